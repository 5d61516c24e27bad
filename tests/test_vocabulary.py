"""The words managers and trainers use, in one voice (issue 10, section 4).

Vietnamese catalogues and lessons (the notebooks' markdown cells) use the vocabulary of the Law on Cooperatives 2023 and of Vietnamese
management accounting: "thành viên" (never "xã viên"), "Hội đồng quản trị, Giám đốc" (never "ban
quản lý"), "số dư an toàn" (never "biên an toàn"), "biểu đồ độ nhạy (tornado)" (never "lốc
xoáy"), "phí mỗi đơn (phí hạ tầng)" for a fee charged per order (on Shopee "phí cố định" is the
percentage commission). English pages carry no untranslated Vietnamese word such as "loại".

Money: the symbol ₫ goes with amounts and unit labels in the apps (Babel writes ``1.250.000 ₫``);
lesson prose (the notebooks) writes the word "đồng" ("300 triệu đồng", "2.800 đồng/quả"); a bare "đ" is never a
currency sign.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopkit import cropmix, i18n, processing, workbooks, yields

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


#: The pages that are not workbooks (start, quiz, trainer) and every workbook of notebooks/workbooks.toml.
NOTEBOOKS = list(workbooks.PAGES.values()) + [w.notebook for w in workbooks.workbooks()]


def _prose(lang: str) -> list[tuple[str, str, str]]:
    """(notebook, cell, text) of every lesson cell of ``lang``, all notebooks."""
    return [(notebook, f"cell {cell.index + 1}", cell.source)
            for notebook in NOTEBOOKS for cell in workbooks.prose(notebook, lang)]


PROSE_VI = _prose("vi")
PROSE_EN = _prose("en")
#: What a page shows in each language: the catalogues' messages and the lessons' cells.
VI = _messages("vi") + PROSE_VI
EN = _messages("en") + PROSE_EN


def _cells(lesson: str, lang: str, role: str | None = None) -> list[str]:
    """The texts of one lesson's cells in ``lang`` (those with ``role`` only, when given)."""
    cells = workbooks.prose(workbooks.find(lesson), lang)
    texts = [cell.source for cell in cells if role is None or role in cell.roles]
    assert texts, f"{lesson} has no {role or 'lesson'} cell in {lang}"
    return texts


def _lesson(lesson: str, lang: str, role: str | None = None) -> str:
    """One lesson's cells in ``lang`` (of ``role`` only, when given), joined."""
    return "\n\n".join(_cells(lesson, lang, role))


def _cell_with(lesson: str, lang: str, *words: str) -> str:
    """The first cell of the lesson in ``lang`` that holds every one of ``words`` (case ignored)."""
    for text in _cells(lesson, lang):
        if all(word.lower() in text.lower() for word in words):
            return text
    raise AssertionError(f"no {lang} cell of {lesson} says all of {words}")


def test_the_lessons_are_read():
    """Every notebook has prose in both languages, so that the checks below have something to check."""
    for prose in (PROSE_VI, PROSE_EN):
        assert {notebook for notebook, _cell, _text in prose} == set(NOTEBOOKS)


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


@pytest.mark.parametrize("prose", [PROSE_VI, PROSE_EN], ids=["vi", "en"])
def test_lesson_prose_writes_dong_not_the_symbol(prose):
    """Lesson texts are prose: "300 triệu đồng", "28.000 đồng"; ₫ is for the apps' amounts and units."""
    symbol = [f"{notebook} {cell}: {text[max(0, text.index('₫') - 30):text.index('₫') + 5]!r}"
              for notebook, cell, text in prose if "₫" in text]
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
    assert "biểu đồ độ nhạy (tornado)" in _lesson("what_if", "vi", "key-points")
    assert "biểu đồ độ nhạy (tornado)" in _lesson("what_if", "vi", "header")  # the objectives
    assert "thành viên" in tr("field.member_payments", "vi")
    assert "Hội đồng quản trị, Giám đốc" in _lesson("break_even", "vi", "header")  # the audience


def test_english_terms_match():
    tr = i18n.tr
    assert tr("field.markup", "en") == "Markup on cost"
    assert tr("field.margin", "en") == "Profit margin"
    assert tr("field.margin_of_safety", "en") == "Margin of safety"
    assert tr("field.fixed_fee_per_order", "en") == "Per-order fee (infrastructure fee)"
    assert "sensitivity chart (tornado)" in _lesson("what_if", "en", "key-points")
    assert "sensitivity chart (tornado)" in _lesson("what_if", "en", "header")
    _cell_with("break_even", "en", "break-even volume", "contribution margin")  # the section that explains it


def test_contribution_margin_is_introduced_with_both_names():
    """First use of "lãi góp" on the break-even and crop-mix pages names "số dư đảm phí" beside it:
    in the break-even header's summary, and in the first cell of each lesson that explains it."""
    texts = {"break_even summary": workbooks.header(workbooks.find("break_even"), "vi").summary}
    for lesson in ("break_even", "crop_mix"):
        body = [cell.source for cell in workbooks.prose(workbooks.find(lesson), "vi")
                if "header" not in cell.roles and "lãi góp" in cell.source.lower()]
        assert body, f"{lesson} never explains lãi góp"
        texts[lesson] = body[0]
    for where, text in texts.items():
        text = text.lower()
        assert "số dư đảm phí" in text, where
        assert text.index("lãi góp") < text.index("số dư đảm phí"), where


def test_markup_and_profit_margin_are_introduced_with_both_names():
    """One cell of the channel lesson names both, with both Vietnamese names of the margin."""
    assert _cell_with("channel_pricing", "vi", "tỷ lệ lãi cộng thêm trên giá thành", "biên lợi nhuận", "tỷ suất lợi nhuận")
    assert _cell_with("channel_pricing", "en", "markup on cost", "profit margin")


def test_shopee_fee_names_are_explained():
    """Shopee's "phí cố định" is a percentage: the lesson says so, and names the per-order fee."""
    vi = _cell_with("channel_pricing", "vi", "phí mỗi đơn", "phí hạ tầng", "Shopee", "phí cố định")
    assert re.search(r"“phí cố định”[^.]*%", vi), "the lesson says Shopee's “phí cố định” is a percentage"
    en = _cell_with("channel_pricing", "en", "per-order fee", "infrastructure fee", "Shopee")
    assert re.search(r"“fixed fee”[^.]*percentage", en), "the lesson says Shopee's “fixed fee” is a percentage"


def test_shadow_price_is_explained_in_plain_words():
    for lang, word, plain in (("vi", "giá mờ", "thêm một đơn vị"), ("en", "shadow price", "one more unit")):
        label = i18n.tr("field.shadow_price", lang)
        assert word in label.lower() and plain in label.lower()
        _cell_with("crop_mix", lang, word, plain)


def test_workbook_6_says_the_son_la_template_is_arabica_and_which_prices_are_shown():
    """The lesson names the template's coffee (arabica) and both reference series, so that a manager
    does not read the Robusta chart as the price of Sơn La's arabica."""
    from coopkit.ui.risk_app import PRICE_SERIES

    assert PRICE_SERIES["ca_phe_nhan_son_la"] == "robusta"  # what the app's default range follows
    for lang in i18n.LANGUAGES:
        _cell_with("production_risk", lang, "Sơn La", i18n.tr("chart.risk.series.arabica", lang),
                   i18n.tr("chart.risk.series.robusta", lang))
        # Every worked example about the Sơn La coffee calls it arabica ("cà phê chè" in Vietnamese).
        arabica = ("Arabica", "cà phê chè") if lang == "vi" else ("Arabica",)
        examples = [text for text in _cells("production_risk", lang, "example") if "Sơn La" in text]
        assert examples and [text[:60] for text in examples if not any(name in text for name in arabica)] == []


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
    lesson = _lesson("yield_plan", "en").lower()
    assert "grade 1" in lesson and "loại" not in lesson
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
