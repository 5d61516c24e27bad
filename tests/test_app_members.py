"""Workbook 11, member income: the app (coopkit.ui.members_app) without a browser."""

from __future__ import annotations

import math

import pytest

from coopkit import fmt
from coopkit.members import DEFAULT_USE_SHARE, distribute_surplus, example_members, load_funds


@pytest.fixture
def app():
    from coopkit.ui.members_app import MemberIncomeApp

    return MemberIncomeApp()


def test_app_starts_with_the_example_cooperative(app):
    from coopkit.ui.members_app import EXAMPLE_INTERNAL_SURPLUS, EXAMPLE_SURPLUS, TRADER_PRICE_RATIO

    assert app.error is None
    expected = distribute_surplus(EXAMPLE_SURPLUS, example_members(), internal_surplus=EXAMPLE_INTERNAL_SURPLUS,
                                  funds=load_funds(), use_share=DEFAULT_USE_SHARE)
    d = app.result.distribution
    assert d.accounted_separately and d.by_transactions == pytest.approx(95_760_000)
    assert d.to_members == pytest.approx(expected.to_members)
    assert d.statement["total"].tolist() == pytest.approx(expected.statement["total"].tolist())
    assert app.result.member == "Lò Văn Bình"
    c = app.result.comparison
    assert c.quantity_kg == pytest.approx(15_000)  # 225 M ₫ of cherry at 15 000 ₫/kg
    assert c.price_via_trader_per_kg == pytest.approx(15_000 * TRADER_PRICE_RATIO)
    assert c.refund == pytest.approx(expected.member("Lò Văn Bình")["total"])
    html = app.results.value
    assert f'data-key="to_members" data-value="{d.to_members!r}"' in html
    assert f'data-key="indivisible_fund" data-value="{d.indivisible_fund!r}"' in html
    assert fmt.money(d.to_members, "vi") in html
    assert 'data-key="total:Lò Văn Bình"' in html and "Thành viên liên kết góp vốn" in html
    assert "Điều 84" in html and "Điều 86" in html
    assert "health:current_ratio" in html
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert app.product_choice.layout.display == "none"
    assert app.control("members").warning.value == ""
    assert "ck-ready" in app.view._dom_classes


def test_app_recomputes_when_inputs_change(app):
    app.control("income_tax_rate").value = 0.2
    app.control("use_share").value = 1.0
    expected = distribute_surplus(240e6, example_members(), internal_surplus=180e6, income_tax_rate=0.2, funds=load_funds(),
                                  use_share=1.0)
    assert app.result.distribution.income_tax == pytest.approx(expected.income_tax)
    assert app.result.distribution.statement["total"].tolist() == pytest.approx(expected.statement["total"].tolist())
    app.control("member").value = "Quàng Văn Minh"
    assert app.result.comparison.refund == pytest.approx(expected.member("Quàng Văn Minh")["total"])


def test_app_books_kept_together_count_everything_as_external(app):
    app.control("internal_surplus").value = 999e9  # a bad value in a box that is then hidden does not block
    assert app.error is not None
    app.control("books").value = "together"
    assert app.error is None
    d = app.result.distribution
    assert not d.accounted_separately and d.by_transactions == 0
    assert app.control("internal_surplus").box.layout.display == "none"
    assert app.control("indivisible_internal_rate").box.layout.display == "none"
    assert "Điều 85" in app.results.value and "ck-books-note" in app.results.value
    app.control("books").value = "separate"
    assert app.control("internal_surplus").box.layout.display is None


def test_app_member_table_can_be_edited(app):
    table = app.control("members")
    table.value = [("An", 100_000_000, 10_000_000), ("Bình", 300_000_000, 30_000_000, "official"),
                   ("Công ty Xanh", 0, 10_000_000, "associate")]
    assert app.error is None
    assert app.result.distribution.statement["member"].tolist() == ["An", "Bình", "Công ty Xanh"]
    assert app.result.distribution.statement["kind"].tolist() == ["official", "official", "associate"]
    assert list(app.control("member").dropdown.options) == ["An", "Bình", "Công ty Xanh"]
    table.add_button.click()
    assert app.error is not None and app.error.reason == "empty_name"  # the new row has no name yet
    table.rows[-1][0].value = "Cường"
    table.rows[-1][1].value = "50.000.000"
    assert app.error is None and len(app.result.distribution.statement) == 4
    table.rows[-1][4].value = "associate"  # Cường becomes an associate: no capital, no transactions counted
    assert app.error is not None and app.error.reason == "member_nothing"
    table.rows[-1][3].click()  # remove Cường
    table.rows[0][3].click()  # remove An
    assert app.result.distribution.statement["member"].tolist() == ["Bình", "Công ty Xanh"]


def test_capital_beyond_article_74_is_a_warning_beside_the_table(app):
    table = app.control("members")
    table.value = [("An", 100e6, 50e6), ("Bình", 100e6, 30e6), ("Công ty Xanh", 0, 40e6, "associate")]
    assert app.error is None and app.result is not None  # not an error: the distribution is shown
    assert [w.member for w in app.result.distribution.warnings] == ["An", ""]
    assert "An nắm 41,7% vốn điều lệ" in table.warning.value and "Điều 74" in table.warning.value
    assert "thành viên liên kết góp vốn" in table.warning.value.lower()
    assert table.error_text == ""
    app.set_lang("en")
    assert "An holds 41.7% of the charter capital" in table.warning.value
    table.value = [("An", 100e6, 30e6), ("Bình", 100e6, 70e6)]
    assert "Bình holds 70%" in table.warning.value and "An holds" not in table.warning.value
    table.value = [("An", 100e6, 30e6), ("Bình", 100e6, 30e6), ("Cường", 100e6, 40e6)]
    assert "Cường" in table.warning.value
    table.value = [("An", 100e6, 35e6), ("Bình", 100e6, 35e6), ("Cường", 100e6, 30e6)]
    assert table.warning.value.count("ck-warning") == 2


@pytest.mark.parametrize(
    ("field", "value", "vi", "en"),
    [
        ("fund_share:dau_tu_phat_trien", 1.2, "100%", "100%"),
        ("use_share", 0.5, "Điều 86", "Art. 86"),
        ("indivisible_external_rate", 0.03, "Điều 84", "Art. 84"),
        ("internal_surplus", 300e6, "không thể lớn hơn", "cannot be more than"),
        ("total_assets", 0, "phải lớn hơn 0", "must be greater than zero"),
        ("current_liabilities", 2e9, "không thể lớn hơn", "cannot be more than"),
        ("price_via_coop_per_kg", 0, "phải lớn hơn 0", "must be greater than zero"),
    ],
)
def test_bad_input_shows_beside_its_box(app, field, value, vi, en):
    before = app.result
    app.control(field).value = value
    assert app.error is not None
    assert vi in app.control(field).error_text
    assert app.result is before and "ck-stale" in app.results._dom_classes
    app.set_lang("en")
    assert en in app.control(field).error_text


def test_funds_above_100_percent_show_beside_the_last_fund(app):
    app.control("fund_share:dau_tu_phat_trien").value = 0.95
    assert app.error.reason == "funds_above_total"
    assert "vượt quá 100%" in app.control("fund_share:phuc_loi_khen_thuong").error_text


def test_duplicate_and_empty_members_show_below_the_table(app):
    table = app.control("members")
    table.value = [("Hoa", 1, 1), ("hoa", 2, 2)]
    assert "trùng" in table.error_text and "ck-invalid-row" in table.rows[1][-1]._dom_classes
    table.value = [("Hoa", 1, 1), ("", 2, 2)]
    assert "dòng 2" in table.error_text
    table.value = [("Hoa", 1, 1), ("Mai", 0, 0)]
    assert "không có giao dịch" in table.error_text
    table.rows[1][1].value = "-5"
    assert "Mai" in table.error_text and "không được âm" in table.error_text


def test_a_loss_year_is_explained_not_an_error(app):
    app.control("surplus").value = -80_000_000
    assert app.error is None and app.result.distribution.is_loss
    assert "lỗ" in app.results.value and "ck-loss" in app.results.value
    assert all(math.isclose(v, 0.0) for v in app.result.distribution.statement["total"])


def test_health_bands_are_a_labelled_us_reference_not_a_verdict(app):
    # Issue 10: the US farm scorecard marked the shipped example cooperative as "danger".
    html = app.results.value
    assert "nguy hiểm" not in html and "#ffcdd2" not in html
    assert "nông trại Mỹ" in html and "không phải kết luận" in html
    app.set_lang("en")
    html = app.results.value
    assert "danger" not in html.lower().replace("data-band='danger'", "").replace("ck-band-danger", "")
    assert "US farm" in html and "not a verdict" in html


# -- the member table's cells read as every number box reads (regressions) --------------------


def test_member_cell_reads_the_page_decimal_rule(app):
    """Regression: ``30.5`` was refused on a Vietnamese page (cells were read by fmt.parse_number)."""
    table = app.control("members")
    table.value = [("An", 100e6, 10e6), ("Bình", 300e6, 30e6)]
    table.rows[0][1].value = "30.5"
    assert app.error is None
    assert app.result.distribution.statement["transactions"].tolist()[0] == pytest.approx(30.5)
    table.rows[0][1].value = "1.250.000"
    assert app.result.distribution.statement["transactions"].tolist()[0] == pytest.approx(1_250_000)
    table.rows[0][2].value = "1.250"  # thousands on a vi page
    assert app.result.distribution.statement["capital"].tolist()[0] == pytest.approx(1_250)
    app.set_lang("en")
    table.rows[0][2].value = "1.25"
    assert app.error is None
    assert app.result.distribution.statement["capital"].tolist()[0] == pytest.approx(1.25)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_member_cell_out_of_range_names_member_row_and_column(lang):
    """Regression: ``1e308`` in a member's cell was silently accepted."""
    from coopkit.ui.members_app import MemberIncomeApp

    app = MemberIncomeApp(lang=lang)
    table = app.control("members")
    table.value = [("An", 100e6, 10e6), ("Bình", 300e6, 30e6)]
    good = app.result
    table.rows[1][2].value = "1e308"
    assert app.error is not None and app.error.reason == "out_of_range"
    assert app.result is good and "ck-invalid-row" in table.rows[1][-1]._dom_classes
    shown = table.error_text
    assert shown == f"⚠ {app.error.message(lang)}"
    assert fmt.money(1e12, lang) in shown and fmt.money(0, lang) in shown and "“1e308”" in shown
    words = {"vi": ("Bình", "dòng 2", "Vốn"), "en": ("Bình", "row 2", "apital")}[lang]
    assert all(w in shown for w in words), shown
    table.rows[1][2].value = "x" * 5000
    assert app.error.reason == "not_a_number"
    assert "…" in table.error_text and len(table.error_text) < 300
    table.rows[1][2].value = "-1e308"
    assert app.error.reason == "out_of_range"
    table.rows[1][2].value = "-5"
    assert app.error.reason == "negative"
    table.rows[1][2].value = "999999999999"
    assert app.error is None and app.result is not good


def test_member_cell_keeps_its_decimals_through_a_language_switch(app):
    table = app.control("members")
    table.rows[0][1].value = "30,5"
    app.set_lang("en")
    assert table.rows[0][1].value == "30.5"
    table.rows[0][2].value = "1e308"
    app.set_lang("vi")
    assert table.rows[0][2].value == "1e308" and "dòng 1" in table.error_text
