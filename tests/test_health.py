"""Financial-health ratios and their bands (coopkit.health)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.health import BAND_NAMES, BANDS, RATIOS, Band, Statement, financial_health


def test_worked_example_by_hand():
    # The illustrative cooperative (Statement defaults), by hand:
    # current 850/500 = 1.7 (Cornell scorecard: caution between 1.3 and 2.0);
    # debt-to-assets 1 300/3 200 = 40.625 % (caution between 30 % and 60 %);
    # margin (4 000 − 3 640)/4 000 = 9 % (CFFM scorecard: below 15 % is danger);
    # coverage (360 + 150)/320 = 1.59375 (above 1.5: comfort).
    report = financial_health(Statement())
    values = {r.ratio: r.value for r in report.ratios}
    assert values == pytest.approx({"current_ratio": 1.7, "debt_to_assets": 0.40625,
                                    "operating_profit_margin": 0.09, "debt_service_coverage": 1.59375})
    assert [r.band for r in report.ratios] == ["caution", "caution", "danger", "comfort"]
    assert report.statement.operating_profit == pytest.approx(360_000_000)


def test_bands_cite_their_sources_and_follow_the_scorecards():
    assert (BANDS["current_ratio"].danger, BANDS["current_ratio"].comfort) == (1.3, 2.0)
    assert (BANDS["debt_to_assets"].comfort, BANDS["debt_to_assets"].danger) == (0.30, 0.60)
    assert (BANDS["operating_profit_margin"].danger, BANDS["operating_profit_margin"].comfort) == (0.15, 0.25)
    assert "not fully confirmed" in BANDS["debt_service_coverage"].source
    assert all(band.source for band in BANDS.values())
    assert "cornell.edu" in BANDS["current_ratio"].source


def test_limits_are_caution_on_both_sides():
    band = BANDS["current_ratio"]
    assert [band.classify(v) for v in (2.01, 2.0, 1.3, 1.29)] == ["comfort", "caution", "caution", "danger"]
    band = BANDS["debt_to_assets"]
    assert [band.classify(v) for v in (0.29, 0.30, 0.60, 0.61)] == ["comfort", "caution", "caution", "danger"]


def test_no_short_debts_and_no_loans_are_comfortable():
    report = financial_health(Statement(current_liabilities=0, total_liabilities=0, loan_payments=0))
    assert math.isinf(report.ratio("current_ratio").value) and report.ratio("current_ratio").band == "comfort"
    assert report.ratio("debt_to_assets").value == 0 and report.ratio("debt_to_assets").band == "comfort"
    assert report.ratio("debt_service_coverage").band == "comfort"
    assert "∞" in report.ratio("current_ratio").sentence("vi")


def test_an_operating_loss_is_danger():
    report = financial_health(Statement(operating_costs=4_500_000_000))
    assert report.ratio("operating_profit_margin").value == pytest.approx(-0.125)
    assert report.ratio("operating_profit_margin").band == "danger"
    assert report.ratio("debt_service_coverage").band == "danger"


def test_sentences_in_both_languages_name_value_band_and_limits():
    frame = financial_health(Statement()).to_frame("vi")
    assert frame["ratio"].tolist() == list(RATIOS)
    vi = frame.set_index("ratio")["sentence"]
    assert vi["current_ratio"].startswith("Hệ số thanh toán ngắn hạn 1,7: giữa hai ngưỡng nông trại Mỹ.")
    assert "tham chiếu nông trại Mỹ: mạnh khi trên 2" in vi["current_ratio"]
    assert "yếu khi trên 60%" in vi["debt_to_assets"]
    en = financial_health(Statement()).ratio("operating_profit_margin").sentence("en")
    assert en.startswith("Operating profit margin 9%: beyond the US farm limits.")
    assert "US farm reference: strong above 25%" in en


def test_the_us_bands_are_a_labelled_reference_not_a_verdict():
    # Issue 10: the US farm scorecard's bands marked the shipped example cooperative "danger". The
    # limits stay (a reference with its source), but no sentence gives a verdict on the cooperative.
    report = financial_health(Statement())
    assert report.ratio("operating_profit_margin").band == "danger"  # beyond the farm limit, as before
    for lang, reference, verdicts in (("vi", "nông trại Mỹ", ("nguy hiểm", "an toàn")),
                                      ("en", "US farm", ("danger", "comfort"))):
        for result in report.ratios:
            text = result.sentence(lang)
            assert reference in text, text
            assert not any(word in text.lower() for word in verdicts), text
    margin = report.ratio("operating_profit_margin").sentence("en")
    assert "buys and resells" in margin and "own past years" in margin


# -- invariants -----------------------------------------------------------------------------

RANK = {name: i for i, name in enumerate(BAND_NAMES)}  # 0 comfort … 2 danger


@pytest.mark.parametrize("ratio", RATIOS)
@given(a=st.floats(min_value=-10, max_value=10), b=st.floats(min_value=-10, max_value=10))
def test_bands_are_monotone(ratio, a, b):
    band = BANDS[ratio]
    low, high = sorted((a, b))
    if band.higher_is_better:
        assert RANK[band.classify(high)] <= RANK[band.classify(low)]
    else:
        assert RANK[band.classify(high)] >= RANK[band.classify(low)]


@pytest.mark.parametrize("ratio", RATIOS)
def test_band_limits_are_consistent(ratio):
    band = BANDS[ratio]
    assert band.classify(band.comfort) == band.classify(band.danger) == "caution"
    step = 1e-9 if band.higher_is_better else -1e-9
    assert band.classify(band.comfort + step) == "comfort"
    assert band.classify(band.danger - step) == "danger"


@pytest.mark.parametrize(("higher_is_better", "danger", "comfort", "reason"), [
    (True, 2.0, 1.3, "band_order_higher"),
    (True, 1.5, 1.5, "band_order_higher"),
    (False, 0.3, 0.6, "band_order_lower"),
])
def test_band_limits_in_the_wrong_order_are_refused(higher_is_better, danger, comfort, reason):
    with pytest.raises(InputError) as excinfo:
        Band("current_ratio", higher_is_better, danger=danger, comfort=comfort, source="x")
    assert_input_error(excinfo, "danger_limit", reason)


def test_band_limits_in_the_wrong_order_are_explained_in_both_languages():
    with pytest.raises(InputError) as excinfo:
        Band("debt_to_assets", False, danger=0.3, comfort=0.6, source="x")
    assert excinfo.value.message("vi") == (
        "Ngưỡng nguy hiểm (0,3) phải lớn hơn ngưỡng an toàn (0,6) khi hệ số càng thấp càng tốt: "
        "hệ số trên ngưỡng nguy hiểm là nguy hiểm, dưới ngưỡng an toàn là an toàn.")
    assert excinfo.value.message("en") == (
        "Danger limit (0.3) must be above the comfort limit (0.6) when a lower ratio is better: "
        "the ratio is in danger above the danger limit and comfortable below the comfort limit.")


@pytest.mark.parametrize("bad", [None, "abc", math.nan, math.inf, -math.inf, True])
@pytest.mark.parametrize("field", ["danger", "comfort"])
def test_a_band_limit_that_is_not_a_finite_number_is_refused(field, bad):
    # Before: None or text raised a bare TypeError, NaN a bare ValueError; inf and True were accepted.
    limits = {"danger": 1.3, "comfort": 2.0, field: bad}
    with pytest.raises(InputError) as excinfo:
        Band("current_ratio", True, source="x", **limits)
    reason = "not_finite" if isinstance(bad, float) else "not_a_number"
    assert_input_error(excinfo, f"{field}_limit", reason)


def test_band_limits_are_kept_as_floats():
    band = Band("current_ratio", True, danger=1, comfort=2, source="x")
    assert (band.danger, band.comfort) == (1.0, 2.0) and isinstance(band.danger, float)


amounts = st.floats(min_value=1, max_value=1e10)


@given(current=amounts, extra=amounts, debts=amounts, extra_debts=amounts)
def test_more_debt_never_improves_debt_to_assets(current, extra, debts, extra_debts):
    base = Statement(current_assets=current, total_assets=current + extra, current_liabilities=0,
                     total_liabilities=debts)
    more = replace(base, total_liabilities=debts + extra_debts)
    assert financial_health(more).ratio("debt_to_assets").value >= financial_health(base).ratio("debt_to_assets").value


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"total_assets": 0}, "total_assets", "not_positive"),
        ({"revenue": 0}, "revenue", "not_positive"),
        ({"current_assets": -1}, "current_assets", "negative"),
        ({"loan_payments": float("nan")}, "loan_payments", "not_finite"),
        ({"current_assets": 4e9}, "current_assets", "part_above_whole"),
        ({"current_liabilities": 2e9}, "current_liabilities", "part_above_whole"),
        ({"depreciation": 5e9}, "depreciation", "part_above_whole"),
    ],
)
def test_bad_statement_is_explained(changes, field, reason):
    with pytest.raises(InputError) as excinfo:
        Statement(**changes)
    assert_input_error(excinfo, field, reason)
