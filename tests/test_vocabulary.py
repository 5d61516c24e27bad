"""The words managers and trainers use, in one voice (issue 10, section 4).

Vietnamese catalogues use the vocabulary of the Law on Cooperatives 2023 and of Vietnamese
management accounting: "thành viên" (never "xã viên"), "Hội đồng quản trị, Giám đốc" (never "ban
quản lý"), "số dư an toàn" (never "biên an toàn"), "biểu đồ độ nhạy (tornado)" (never "lốc
xoáy"), "phí mỗi đơn (phí hạ tầng)" for a fee charged per order (on Shopee "phí cố định" is the
percentage commission). English pages carry no untranslated Vietnamese word such as "loại".

Money: the symbol ₫ goes with amounts and unit labels in the apps (Babel writes ``1.250.000 ₫``);
lesson prose writes the word "đồng" ("300 triệu đồng", "2.800 đồng/quả"); a bare "đ" is never a
currency sign.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopkit import cropmix, i18n, processing, yields

LOCALE_DIR = Path(i18n.__file__).with_name("locale")
DATASETS = Path(__file__).resolve().parent.parent / "datasets"


def _messages(lang: str) -> list[tuple[str, str, str]]:
    """(file, key, text) of every message of ``lang``, all catalogues."""
    found = []
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f, locale=lang):
                if message.id and message.string:
                    found.append((path.name, str(message.id), str(message.string)))
    return found


VI = _messages("vi")
EN = _messages("en")


def _hits(messages, pattern: re.Pattern[str]) -> list[str]:
    return [f"{file} {key}: …{match.group(0)}…" for file, key, text in messages
            for match in pattern.finditer(text)]


# --------------------------------------------------------------------------- banned words


#: Words a Vietnamese page must not use, with what to write instead.
BANNED_VI = {
    "xã viên": "thành viên",
    "biên an toàn": "số dư an toàn",
    "lốc xoáy": "biểu đồ độ nhạy (tornado)",
    "ban quản lý": "Hội đồng quản trị, Giám đốc",
    "ban giám đốc": "Giám đốc",
    "cán bộ quản lý": "Hội đồng quản trị, Giám đốc",
    "phí cố định mỗi đơn": "phí mỗi đơn (phí hạ tầng)",
}


@pytest.mark.parametrize("word", sorted(BANNED_VI))
def test_vietnamese_catalogues_do_not_use_banned_words(word):
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    assert _hits(VI, pattern) == [], f"write “{BANNED_VI[word]}” instead of “{word}”"


def test_english_catalogues_call_a_per_order_fee_by_its_name():
    """"Fixed fee" only in quotes, as Shopee's name for its percentage commission."""
    assert _hits(EN, re.compile(r"(?<!“)fixed fee", re.IGNORECASE)) == []


@pytest.mark.parametrize("messages", [VI, EN], ids=["vi", "en"])
def test_tornado_is_always_the_sensitivity_chart(messages):
    """"tornado" appears only as the nickname in brackets after "sensitivity chart"."""
    bare = re.compile(r"(?<!\()tornado(?!\))", re.IGNORECASE)
    assert _hits(messages, bare) == []


# --------------------------------------------------------------------------- đồng and ₫

#: A "đ" standing alone (not inside a word such as "đồng" or "đơn"): "15.000 đ/kg", "354 triệu đ".
BARE_DONG = re.compile(r"(?<![^\W\d_])đ(?![^\W\d_])", re.IGNORECASE)


@pytest.mark.parametrize("messages", [VI, EN], ids=["vi", "en"])
def test_no_bare_d_as_a_currency_sign(messages):
    assert _hits(messages, BARE_DONG) == []


def test_bare_d_pattern_finds_the_sign_and_spares_words():
    assert BARE_DONG.findall("giá 95.000–150.000 đ/kg, chi phí cố định 354 triệu đ. 15.000đ")
    assert len(BARE_DONG.findall("giá 95.000–150.000 đ/kg, 354 triệu đ, 15.000đ")) == 3
    assert not BARE_DONG.findall("300 triệu đồng, đơn hàng, ĐỒNG, Đường")


#: Lesson texts being rewritten elsewhere (workbook 11, for the 2023 Law on Cooperatives); they are
#: checked by the other tests here, and join this one when that rewrite lands.
PROSE_NOT_YET_CHECKED = ("lesson.member_income.",)


@pytest.mark.parametrize("messages", [VI, EN], ids=["vi", "en"])
def test_lesson_prose_writes_dong_not_the_symbol(messages):
    """Lesson texts are prose: "300 triệu đồng", "28.000 đồng"; ₫ is for the apps' amounts and units."""
    symbol = [f"{file} {key}" for file, key, text in messages
              if key.startswith("lesson.") and not key.startswith(PROSE_NOT_YET_CHECKED) and "₫" in text]
    assert symbol == []


@pytest.mark.parametrize("messages", [VI, EN], ids=["vi", "en"])
def test_unit_labels_use_the_symbol(messages):
    """Labels next to a number (units, axes, boxes) use ₫, never the word or a bare đ."""
    labels = [(key, text) for _file, key, text in messages
              if key.startswith("unit.vnd") or key in {"chart.million_vnd", "chart.cash_flow.million",
                                                       "chart.yields.vnd_per_kg", "field.raw_price_per_kg",
                                                       "app.cash_flow.unit_million"}]
    assert len(labels) >= 10
    assert [key for key, text in labels if "₫" not in text and key != "field.raw_price_per_kg"] == []
    assert [key for key, text in labels if "đồng" in text or BARE_DONG.search(text)] == []


# --------------------------------------------------------------------------- the words to use


def test_vietnamese_terms_are_the_agreed_ones():
    tr = i18n.tr
    assert tr("field.margin_of_safety", "vi").startswith("Số dư an toàn")
    assert "số dư an toàn" in tr("result.margin_of_safety", "vi").lower()
    assert "lãi cộng thêm trên giá thành" in tr("field.markup", "vi").lower()
    assert "biên lợi nhuận" in tr("field.margin", "vi") and "tỷ suất lợi nhuận" in tr("field.margin", "vi").lower()
    assert tr("field.fixed_fee_per_order", "vi") == "Phí mỗi đơn (phí hạ tầng)"
    assert "biểu đồ độ nhạy (tornado)" in tr("lesson.what_if.key_points", "vi")
    assert "biểu đồ độ nhạy (tornado)" in tr("lesson.what_if.objectives", "vi")
    assert "thành viên" in tr("field.member_payments", "vi")
    assert "Hội đồng quản trị, Giám đốc" in tr("lesson.break_even.audience", "vi")


def test_english_terms_match():
    tr = i18n.tr
    assert tr("field.markup", "en") == "Markup on cost"
    assert tr("field.margin", "en") == "Profit margin"
    assert tr("field.margin_of_safety", "en") == "Margin of safety"
    assert tr("field.fixed_fee_per_order", "en") == "Per-order fee (infrastructure fee)"
    assert "sensitivity chart (tornado)" in tr("lesson.what_if.key_points", "en")
    assert "contribution margin" in tr("lesson.break_even.contribution", "en")


def test_contribution_margin_is_introduced_with_both_names():
    """First use of "lãi góp" on the break-even and crop-mix pages names "số dư đảm phí" beside it."""
    for key in ("lesson.break_even.contribution", "lesson.crop_mix.problem", "lesson.break_even.summary"):
        text = i18n.tr(key, "vi").lower()
        assert "số dư đảm phí" in text, key
        assert text.index("lãi góp") < text.index("số dư đảm phí"), key


def test_markup_and_profit_margin_are_introduced_with_both_names():
    vi = i18n.tr("lesson.channel_pricing.markup_margin", "vi").lower()
    assert "tỷ lệ lãi cộng thêm trên giá thành" in vi and "biên lợi nhuận" in vi and "tỷ suất lợi nhuận" in vi
    en = i18n.tr("lesson.channel_pricing.markup_margin", "en").lower()
    assert "markup on cost" in en and "profit margin" in en


def test_shopee_fee_names_are_explained():
    """Shopee's "phí cố định" is a percentage: the lesson says so, and names the per-order fee."""
    vi = i18n.tr("lesson.channel_pricing.fees", "vi")
    assert "phí mỗi đơn" in vi and "phí hạ tầng" in vi and "Shopee" in vi and "phí cố định" in vi
    en = i18n.tr("lesson.channel_pricing.fees", "en")
    assert "per-order fee" in en and "infrastructure fee" in en and "Shopee" in en


def test_shadow_price_is_explained_in_plain_words():
    for lang, word, plain in (("vi", "giá mờ", "thêm một đơn vị"), ("en", "shadow price", "one more unit")):
        label = i18n.tr("field.shadow_price", lang)
        assert word in label.lower() and plain in label.lower()
        lesson = i18n.tr("lesson.crop_mix.shadow_prices", lang).lower()
        assert word in lesson and plain in lesson


def test_workbook_6_says_the_son_la_template_is_arabica_and_which_prices_are_shown():
    """The lesson names the template's coffee (arabica) and both reference series, so that a manager
    does not read the Robusta chart as the price of Sơn La's arabica."""
    from coopkit.ui.risk_app import PRICE_SERIES

    assert PRICE_SERIES["ca_phe_nhan_son_la"] == "robusta"  # what the app's default range follows
    for lang in i18n.LANGUAGES:
        text = i18n.tr("lesson.production_risk.price_swings", lang)
        assert "Sơn La" in text
        assert i18n.tr("chart.risk.series.arabica", lang) in text
        assert i18n.tr("chart.risk.series.robusta", lang) in text
        template = i18n.tr("lesson.production_risk.example_loss", lang)
        assert "Arabica" in template


# --------------------------------------------------------------------------- English pages


#: Vietnamese words that must not reach an English page (place names, and the local units sào,
#: công, tạ and yến, are kept on purpose).
VIETNAMESE_WORDS = ("loại", "hạng", "xã viên", "thành viên", "hợp tác xã", "HTX", "giá", "phí", "lãi",
                    "chi phí", "sản lượng", "năng suất", "của", "và", "mỗi", "trứng", "quả", "cà phê")
VIETNAMESE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, VIETNAMESE_WORDS)) + r")(?!\w)", re.IGNORECASE)


def test_english_catalogues_have_no_vietnamese_words():
    assert _hits(EN, VIETNAMESE) == []


def _english_dataset_names() -> list[tuple[str, str]]:
    names = []
    for path in sorted(DATASETS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                names += [(f"{path.name} {column}", value) for column, value in row.items()
                          if column.endswith("_en") and value]
    names += [(f"yields grade {key}", en) for key, _vi, en, *_ in yields.DEFAULT_GRADE_MIX]
    for key, chain in processing.CHAINS.items():
        names.append((f"chain {key}", chain.name("en")))
        names.append((f"chain {key} raw", chain.raw_material("en")))
        names += [(f"chain {key} step", step.name("en")) for step in chain.steps]
    crops, _farm = cropmix.son_la_example()
    names += [(f"crop {crop.key}", crop.name("en")) for crop in crops]
    return names


def test_english_dataset_names_have_no_vietnamese_words():
    names = _english_dataset_names()
    assert len(names) > 30
    assert [f"{where}: {text}" for where, text in names if VIETNAMESE.search(text)] == []


def test_vietnamese_dataset_names_use_the_agreed_words():
    pattern = re.compile("|".join(map(re.escape, BANNED_VI)), re.IGNORECASE)
    found = []
    for path in sorted(DATASETS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                found += [f"{path.name} {column}: {value}" for column, value in row.items()
                          if column.endswith("_vi") and value and pattern.search(value)]
                found += [f"{path.name} {column}: {value}" for column, value in row.items()
                          if column.endswith(("_vi", "_en")) and value and BARE_DONG.search(value)]
    assert found == []


def test_grade_names_on_english_pages_are_english():
    """The yield lesson and the grade table say "grade 1", not "loại 1", in English."""
    lesson = i18n.tr("lesson.yield_plan.grades_months", "en") + i18n.tr("lesson.yield_plan.key_points", "en")
    assert "grade 1" in lesson.lower() and "loại" not in lesson.lower()
    plan = yields.output_plan(1, 10_000, 0.05, yields.default_grades(10_000), [1 / 12] * 12)
    names = plan.grade_table("en")["name"].tolist()
    assert names and not any("loại" in str(name).lower() for name in names)


def test_workbook_6_claim_that_the_template_price_lies_between_the_two_references():
    """The lesson says the Sơn La template's price lies between the Robusta and Arabica references in đồng."""
    from coopkit import data, reference

    prices, rates = reference.load_world_prices(), reference.load_exchange_rates()
    month = prices.iloc[-1]["month"]
    robusta = reference.world_price_vnd_per_kg(prices, "robusta", month, rates)
    arabica = reference.world_price_vnd_per_kg(prices, "arabica", month, rates)
    for key in ("ca_phe_nhan_son_la", "ca_phe_honey_son_la"):
        assert robusta < data.load_products()[key].price_per_unit < arabica
