"""Investment appraisal (coopkit.investment) and its chart; the app is in test_app_investment.py."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import numpy_financial as npf
import pytest
from helpers import assert_input_error
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit import fmt
from coopkit.costs import straight_line_depreciation
from coopkit.errors import InputError
from coopkit.investment import (
    DEFAULT_LOAN,
    EQUIPMENT_FILE,
    Equipment,
    Investment,
    appraise,
    discounted_payback_years,
    irr,
    load_equipment,
    npv,
    payback_years,
    verdict_text,
)
from coopkit.loans import Loan, loan_summary

# -- NPV, IRR, payback: worked examples -----------------------------------------------------


def test_dryer_npv_of_the_style_guide():
    # 450 million, 120 million a year for 5 years at 9 %: 120 × (1 − 1.09^−5) / 0.09 − 450 = 16.758 million.
    value = npv(0.09, 450e6, [120e6] * 5)
    assert value == pytest.approx(120e6 * (1 - 1.09**-5) / 0.09 - 450e6)
    assert value == pytest.approx(npf.npv(0.09, [-450e6] + [120e6] * 5))
    assert round(value / 1e6, 1) == 16.8


def test_irr_of_a_published_excel_exercise():
    # Cash flows −123 400, 36 200, 54 800, 48 100 (Brainmass, "Investment: The Internal Rate of
    # Return", an Excel IRR exercise, https://brainmass.com/business/capital-budgeting/
    # investment-internal-rate-return-165803): IRR 5.96 % (checked here against numpy-financial).
    rate = irr(123_400, [36_200, 54_800, 48_100])
    assert round(rate * 100, 2) == 5.96
    assert rate == pytest.approx(npf.irr([-123_400, 36_200, 54_800, 48_100]), abs=1e-10)
    assert npv(0, 123_400, [36_200, 54_800, 48_100]) > 0


def test_two_irrs_of_the_pump_problem_are_refused():
    # The "oil pump" exercise (−1 600, +10 000, −10 000; e.g. assignmentexpert.com question 131526,
    # where Excel's IRR gives 25 %): the NPV is zero at 25 % and at 400 % (by hand:
    # −1600 + 10000/1.25 − 10000/1.25² = 0 and −1600 + 10000/5 − 10000/25 = 0), so the IRR means nothing.
    with pytest.raises(InputError) as excinfo:
        irr(1_600, [10_000, -10_000])
    assert_input_error(excinfo, "yearly_cash_flows", "irr_several")
    assert "25%" in excinfo.value.message("en") and "400%" in excinfo.value.message("en")
    assert "2 mức IRR" in excinfo.value.message("vi")


@pytest.mark.parametrize(
    ("investment", "flows"),
    [(100e6, [-10e6, -10e6]), (0, [10e6, 20e6]), (100e6, [0, 0]), (0, [0])],
)
def test_no_irr_when_money_never_changes_direction(investment, flows):
    with pytest.raises(InputError) as excinfo:
        irr(investment, flows)
    assert_input_error(excinfo, "yearly_cash_flows", "irr_no_sign_change")


def test_no_irr_inside_the_range_searched():
    # 100 million for 0.5 million back: the IRR is −99.5 %, below the −99 % searched.
    with pytest.raises(InputError) as excinfo:
        irr(100e6, [0.5e6])
    assert_input_error(excinfo, "yearly_cash_flows", "irr_not_found")
    assert "-99%" in excinfo.value.message("en")


def test_one_year_irr_by_hand():
    assert irr(100e6, [112e6]) == pytest.approx(0.12)
    assert irr(100e6, [50e6]) == pytest.approx(-0.5)


def test_payback_examples_by_hand():
    assert payback_years(100e6, [30e6, 40e6, 50e6]) == pytest.approx(2.6)  # 2 + 30/50
    assert payback_years(450e6, [120e6] * 5) == pytest.approx(3.75)
    assert payback_years(100e6, [30e6, 30e6]) is None
    assert payback_years(0, [10e6]) == 0.0
    assert payback_years(100e6, [100e6]) == 1.0
    # Paid back in year 2, then a costly year 3 (−50): back for good half-way through year 4.
    assert payback_years(100e6, [60e6, 60e6, -50e6, 60e6]) == pytest.approx(3.5)


def test_discounted_payback_by_hand():
    # 120/1.09^t: 110.09, 101.00, 92.66, 85.01, 77.99 (million); after 4 years 61.24 million are
    # still missing, 61.24 / 77.99 of the fifth year.
    discounted = [120 / 1.09**t for t in range(1, 6)]
    missing = 450 - sum(discounted[:4])
    assert discounted_payback_years(0.09, 450e6, [120e6] * 5) == pytest.approx(4 + missing / discounted[4])
    assert discounted_payback_years(0.0, 450e6, [120e6] * 5) == pytest.approx(3.75)
    assert discounted_payback_years(0.5, 450e6, [120e6] * 5) is None


@pytest.mark.parametrize(
    ("call", "field", "reason"),
    [
        (lambda: npv(-0.01, 100, [50]), "discount_rate", "negative"),
        (lambda: npv(1.5, 100, [50]), "discount_rate", "not_a_fraction_incl"),
        (lambda: npv(0.1, -100, [50]), "investment", "negative"),
        (lambda: npv(0.1, 100, []), "yearly_cash_flows", "invest_no_years"),
        (lambda: npv(0.1, 100, [50, float("nan")]), "yearly_cash_flows", "not_finite"),
        (lambda: npv(0.1, 100, "50"), "yearly_cash_flows", "invest_not_a_list"),
        (lambda: npv(0.1, 100, [1] * 101), "yearly_cash_flows", "invest_too_many_years"),
        (lambda: irr(100, ["a"]), "yearly_cash_flows", "not_a_number"),
        (lambda: payback_years(100, []), "yearly_cash_flows", "invest_no_years"),
        (lambda: discounted_payback_years(-1, 100, [50]), "discount_rate", "negative"),
    ],
)
def test_bad_cash_flows_are_explained(call, field, reason):
    with pytest.raises(InputError) as excinfo:
        call()
    assert_input_error(excinfo, field, reason)


# -- NPV, IRR, payback: invariants ----------------------------------------------------------

amounts = st.floats(min_value=1e5, max_value=1e10)
rates = st.floats(min_value=0.0, max_value=1.0)
signed_flows = st.lists(st.floats(min_value=-1e9, max_value=1e9), min_size=1, max_size=30)
# whole đồng: numpy-financial's irr fails on subnormal floats such as 2.2e-311
positive_flows = st.lists(st.integers(min_value=0, max_value=10**9).map(float), min_size=1, max_size=30)


def npv_at(values, rate: float) -> tuple[float, float]:
    """NPV of ``values`` (year 0 first) at ``rate``, and the size of its terms (to judge "zero")."""
    terms = np.asarray(values, dtype=float) / (1 + rate) ** np.arange(len(values))
    return float(terms.sum()), float(np.abs(terms).sum())


@given(rate=rates, investment=amounts, flows=signed_flows)
def test_npv_equals_numpy_financial(rate, investment, flows):
    expected = npf.npv(rate, [-investment, *flows])
    assert npv(rate, investment, flows) == pytest.approx(expected, rel=1e-9, abs=1e-3)


@given(investment=amounts, flows=positive_flows)
def test_npv_is_zero_at_the_irr_and_matches_numpy_financial(investment, flows):
    assume(sum(flows) > 0)
    try:
        rate = irr(investment, flows)
    except InputError as err:  # one sign change: only a root outside −99 % … 1 000 % is possible
        assert err.reason == "irr_not_found"
        return
    values = np.array([-investment, *flows])
    at_irr, size = npv_at(values, rate)
    assert abs(at_irr) <= 1e-9 * size
    expected = npf.irr(values)
    if not math.isnan(expected):
        assert rate == pytest.approx(expected, abs=1e-7)


@given(investment=amounts, flows=positive_flows, low=rates, high=rates)
def test_npv_falls_as_the_rate_rises(investment, flows, low, high):
    low, high = sorted((low, high))
    assert npv(high, investment, flows) <= npv(low, investment, flows) + 1e-6 * investment


@given(investment=amounts, flows=positive_flows, rate=rates)
def test_discounted_payback_is_never_shorter(investment, flows, rate):
    simple = payback_years(investment, flows)
    discounted = discounted_payback_years(rate, investment, flows)
    if discounted is not None:
        assert simple is not None and discounted >= simple - 1e-9
    assert (discounted is not None) == (npv(rate, investment, flows) >= -1e-9 * investment) or discounted is None


@given(investment=amounts, flows=signed_flows)
def test_cumulative_cash_is_zero_at_the_payback(investment, flows):
    years = payback_years(investment, flows)
    cumulative = np.cumsum([-investment, *flows])
    if years is None:
        assert cumulative[-1] < 0
        return
    whole = int(math.floor(years))
    tolerance = 1e-9 * investment  # sums of floats: -1e-223 is zero
    if years == whole:
        assert cumulative[whole] >= -tolerance
    else:
        at = cumulative[whole] + (years - whole) * flows[whole]
        assert at == pytest.approx(0, abs=1e-6 * investment)
    assert np.all(cumulative[whole + 1:] >= -tolerance)


# -- the appraisal --------------------------------------------------------------------------


def dryer(**changes) -> Investment:
    """The coffee dryer template: 450 million, 10 years, 50 million salvage, +160 / −40 million a year."""
    base = Investment(450e6, 10, salvage_value=50e6, extra_revenue_per_year=160e6, running_cost_per_year=40e6)
    return replace(base, **changes)


def test_dryer_without_financing_by_hand():
    result = appraise(dryer())
    flows = [120e6] * 9 + [170e6]
    assert result.table["project_cash_flow"].tolist() == pytest.approx([-450e6, *flows])
    assert result.project_npv == pytest.approx(npf.npv(0.09, [-450e6, *flows]))
    assert result.project_irr == pytest.approx(npf.irr([-450e6, *flows]), abs=1e-9)
    assert result.project_payback_years == pytest.approx(3.75)
    assert result.own_funds == 450e6
    assert result.table["own_cash_flow"].tolist() == result.table["project_cash_flow"].tolist()
    assert result.own_npv == pytest.approx(result.project_npv)
    assert result.loan is None and result.shortfall_years == ()
    assert result.verdict == "worth_it"
    # Depreciation 40 million a year (coopkit.costs), accounting profit 120 − 40 = 80 million.
    assert result.table["depreciation"].iloc[1:].tolist() == pytest.approx([straight_line_depreciation(450e6, 50e6, 10)] * 10)
    assert result.table["profit"].iloc[1:].tolist() == pytest.approx([80e6] * 10)


def test_dryer_with_a_loan_sums_the_loan_payments_by_year():
    loan = Loan(300e6, 0.09, 36, method="equal_principal", grace_months=6)
    result = appraise(dryer(loan=loan))
    summary = loan_summary(300e6, 0.09, 36, method="equal_principal", grace_months=6)
    table = result.table
    assert result.own_funds == pytest.approx(150e6)
    assert table["own_cash_flow"].iloc[0] == pytest.approx(-150e6)
    assert table["loan_drawn"].iloc[0] == 300e6
    assert table["loan_payment"].sum() == pytest.approx(summary.total_paid)
    assert table["loan_interest"].sum() == pytest.approx(summary.total_interest)
    year_1 = summary.schedule["payment"].iloc[:12].sum()
    assert table["loan_payment"].iloc[1] == pytest.approx(year_1)
    assert table["own_cash_flow"].iloc[1:].tolist() == pytest.approx(
        (table["project_cash_flow"] - table["loan_payment"]).iloc[1:].tolist())
    assert result.own_npv == pytest.approx(npf.npv(0.09, table["own_cash_flow"].tolist()))
    # Years 2 and 3 repay 120 million of principal plus interest: more than the 120 million a year
    # the dryer brings, so cash is short although the project is worth it.
    assert result.shortfall_years == (2, 3)
    assert result.verdict == "worth_it_tight_cash"
    assert result.loan.first_instalment == pytest.approx(12_250_000)


def test_cold_store_with_the_reported_grant_is_only_worth_it_thanks_to_the_grant():
    # Tịnh Thọ cooperative (Quảng Ngãi, 2023): 2 billion đồng, 1.5 billion from the province,
    # 500 million of its own (datasets/equipment.csv); revenue and running costs illustrative.
    store = load_equipment()["kho_lanh"]
    result = appraise(store.investment())
    assert result.own_funds == pytest.approx(500e6)
    assert result.project_npv < 0 <= result.own_npv
    assert result.verdict == "only_with_support"
    assert "thanks to the grant" in verdict_text(result, "en")
    assert "nhờ tiền hỗ trợ" in verdict_text(result, "vi")


def test_a_loan_longer_than_the_machine_life_adds_years_of_payments_only():
    result = appraise(dryer(useful_life_years=2, salvage_value=0, loan=Loan(300e6, 0.09, 48)))
    assert result.years == 4
    late = result.table.iloc[3:]
    assert late["project_cash_flow"].tolist() == [0.0, 0.0]
    assert (late["own_cash_flow"] == -late["loan_payment"]).all()


def test_explicit_own_funds_must_complete_the_price():
    assert appraise(dryer(own_funds=150e6, loan=Loan(300e6, 0.09, 36))).own_funds == 150e6
    with pytest.raises(InputError) as excinfo:
        dryer(own_funds=100e6, loan=Loan(300e6, 0.09, 36))
    assert_input_error(excinfo, "own_funds", "invest_financing_not_price")
    assert "450.000.000" in excinfo.value.message("vi")


def test_verdict_when_not_worth_it():
    result = appraise(dryer(extra_revenue_per_year=60e6))
    assert result.project_npv < 0 and result.verdict == "not_worth_it"
    assert fmt.money(-result.project_npv, "en") in verdict_text(result, "en")


def test_no_irr_is_explained_not_raised():
    result = appraise(dryer(extra_revenue_per_year=0, salvage_value=0))
    assert result.project_irr is None
    assert result.project_irr_error.field == "project_cash_flows"
    assert result.project_irr_error.reason == "irr_no_sign_change"
    assert "The project's cash flows" in result.project_irr_error.message("en")
    assert result.project_payback_years is None
    assert math.isnan(result.to_frame().set_index("key").loc["project_irr", "value"])


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"purchase_price": 0}, "purchase_price", "not_positive"),
        ({"useful_life_years": 0}, "useful_life_years", "not_positive"),
        ({"useful_life_years": 2.5}, "useful_life_years", "invest_not_whole_in_range"),
        ({"useful_life_years": 51}, "useful_life_years", "invest_not_whole_in_range"),
        ({"salvage_value": 500e6}, "salvage_value", "above_purchase_price"),
        ({"extra_revenue_per_year": -1}, "extra_revenue_per_year", "negative"),
        ({"running_cost_per_year": float("inf")}, "running_cost_per_year", "not_finite"),
        ({"grant": -5}, "grant", "negative"),
        ({"grant": 500e6}, "grant", "above_purchase_price"),
        ({"grant": 200e6, "loan": Loan(300e6, 0.09, 36)}, "loan_amount", "invest_financing_above_price"),
        ({"loan": 300e6}, "loan_amount", "invest_not_a_loan"),
        ({"discount_rate": -0.02}, "discount_rate", "negative"),
        ({"discount_rate": 9}, "discount_rate", "not_a_fraction_incl"),
    ],
)
def test_bad_investment_is_explained(changes, field, reason):
    with pytest.raises(InputError) as excinfo:
        dryer(**changes)
    assert_input_error(excinfo, field, reason)


@given(
    price=st.floats(min_value=1e7, max_value=5e9),
    life=st.integers(min_value=1, max_value=20),
    benefit=st.floats(min_value=0, max_value=2e9),
    running=st.floats(min_value=0, max_value=1e9),
    grant_share=st.floats(min_value=0, max_value=0.5),
    loan_share=st.floats(min_value=0, max_value=0.5),
    months=st.integers(min_value=1, max_value=120),
    rate=st.floats(min_value=0, max_value=0.3),
    method=st.sampled_from(["annuity", "equal_principal"]),
)
def test_own_cash_is_project_cash_plus_financing_less_loan_payments(price, life, benefit, running, grant_share,
                                                                    loan_share, months, rate, method):
    loan = Loan(price * loan_share, rate, months, method=method) if loan_share > 0.01 else None
    inv = Investment(price, life, salvage_value=price * 0.1, extra_revenue_per_year=benefit,
                     running_cost_per_year=running, grant=price * grant_share, loan=loan, discount_rate=rate)
    result = appraise(inv)
    table = result.table
    assert result.own_funds + inv.grant + inv.loan_amount == pytest.approx(price)
    paid = loan.summary().total_paid if loan else 0.0
    assert table["own_cash_flow"].sum() == pytest.approx(
        table["project_cash_flow"].sum() + inv.grant + inv.loan_amount - paid, rel=1e-9, abs=1e-3 * price)
    assert table["cumulative_own"].iloc[-1] == pytest.approx(table["own_cash_flow"].sum(), rel=1e-9, abs=1)
    if result.project_irr is not None:
        at_irr, size = npv_at(table["project_cash_flow"], result.project_irr)
        assert abs(at_irr) <= 1e-9 * size


# -- equipment templates --------------------------------------------------------------------


def test_equipment_templates_load_with_a_source_each():
    templates = load_equipment()
    assert list(templates) == ["may_say_ca_phe", "may_vo_che", "nha_luoi", "kho_lanh"]
    for template in templates.values():
        assert template.source.strip()
        assert template.name("vi") and template.name("en")
        appraise(template.investment())
    dryer_template = templates["may_say_ca_phe"]
    assert (dryer_template.purchase_price, dryer_template.useful_life_years, dryer_template.salvage_value) == (
        450e6, 10, 50e6)
    assert templates["may_say_ca_phe"].investment().loan.months == DEFAULT_LOAN["months"]


@pytest.mark.parametrize(
    ("old", "new", "column", "reason"),
    [
        (",450000000,10,", ",450000000,ten,", "useful_life_years", "data_not_a_number"),
        (",450000000,10,", ",-450000000,10,", "purchase_price", "data_not_positive"),
        (",450000000,10,50000000,", ",450000000,10,500000000,", "salvage_value", "data_invalid_row"),
        (",0,300000000,", ",300000000,300000000,", "loan_amount", "data_invalid_row"),
    ],
)
def test_a_broken_equipment_file_names_row_and_column(tmp_path, old, new, column, reason):
    from coopkit.data import datasets_dir

    text = (datasets_dir() / EQUIPMENT_FILE).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / EQUIPMENT_FILE).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_equipment(tmp_path)
    err = excinfo.value
    assert (err.field, err.reason) == (column, reason)
    assert err.params["row"] == 2
    assert EQUIPMENT_FILE in err.message("en")


TEMPLATE = dict(key="may_say", name_vi="Máy sấy", name_en="Dryer", purchase_price=450e6, useful_life_years=10,
                salvage_value=50e6, extra_revenue_per_year=160e6, running_cost_per_year=40e6, grant=0.0,
                loan_amount=300e6, source="illustrative assumption")


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"purchase_price": None}, "purchase_price", "not_a_number"),
        ({"purchase_price": 0}, "purchase_price", "not_positive"),
        ({"purchase_price": math.nan}, "purchase_price", "not_finite"),
        ({"useful_life_years": "abc"}, "useful_life_years", "not_a_number"),
        ({"useful_life_years": 0}, "useful_life_years", "not_positive"),
        ({"useful_life_years": 2.5}, "useful_life_years", "invest_not_whole_in_range"),
        ({"useful_life_years": 51}, "useful_life_years", "invest_not_whole_in_range"),
        ({"useful_life_years": True}, "useful_life_years", "not_a_number"),
        ({"salvage_value": -1}, "salvage_value", "negative"),
        ({"salvage_value": 500e6}, "salvage_value", "above_purchase_price"),
        ({"extra_revenue_per_year": math.inf}, "extra_revenue_per_year", "not_finite"),
        ({"running_cost_per_year": -5}, "running_cost_per_year", "negative"),
        ({"grant": None}, "grant", "not_a_number"),
        ({"grant": 500e6}, "grant", "above_purchase_price"),
        ({"loan_amount": -math.inf}, "loan_amount", "not_finite"),
        ({"loan_amount": -1}, "loan_amount", "negative"),
        ({"grant": 200e6}, "loan_amount", "invest_financing_above_price"),
    ],
)
def test_bad_equipment_template_is_explained(changes, field, reason):
    # Before: Equipment took None, NaN, text, inf and negatives for every number.
    with pytest.raises(InputError) as excinfo:
        Equipment(**{**TEMPLATE, **changes})
    assert_input_error(excinfo, field, reason)


def test_a_template_loan_and_grant_above_the_price_is_explained_in_both_languages():
    with pytest.raises(InputError) as excinfo:
        Equipment(**{**TEMPLATE, "grant": 200e6})
    assert excinfo.value.message("en") == (
        "Amount borrowed (₫300,000,000) plus the grant (₫200,000,000) is more than the purchase price (₫450,000,000).")
    assert excinfo.value.message("vi").startswith("Số tiền vay (300.000.000")


def test_a_good_template_keeps_its_numbers_as_floats_and_whole_years():
    template = Equipment(**{**TEMPLATE, "purchase_price": 450_000_000, "useful_life_years": 10.0,
                            "grant": 150_000_000, "loan_amount": 300_000_000})
    assert template.useful_life_years == 10 and isinstance(template.useful_life_years, int)
    assert isinstance(template.purchase_price, float) and isinstance(template.loan_amount, float)
    assert template.investment().own_funds_amount == 0.0


def test_missing_equipment_file_is_explained(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load_equipment(tmp_path)
    assert excinfo.value.reason == "data_missing_file"


# -- chart ----------------------------------------------------------------------------------


def test_chart_splits_each_payment_and_draws_the_cumulative_cash():
    from matplotlib.figure import Figure

    from coopkit.plots.finance import investment_chart, loan_chart, payback_chart
    from coopkit.ui.base import figure_png

    result = appraise(dryer(loan=Loan(300e6, 0.09, 36, method="equal_principal", grace_months=6)))
    figure = investment_chart(result, "vi")
    assert isinstance(figure, Figure)
    loan_ax, cash_ax, balance_ax = figure.axes
    interest, principal = loan_ax.collections  # one bar per payment in each, principal stacked on interest
    schedule = result.loan.schedule

    def bottoms_and_tops(bars):
        paths = bars.get_paths()
        return [p.vertices[:, 1].min() for p in paths], [p.vertices[:, 1].max() for p in paths]

    bottoms, tops = bottoms_and_tops(interest)
    assert bottoms == pytest.approx([0] * 36) and tops == pytest.approx(schedule["interest"].tolist())
    bottoms, tops = bottoms_and_tops(principal)
    assert bottoms == pytest.approx(schedule["interest"].tolist())
    assert tops == pytest.approx((schedule["interest"] + schedule["principal"]).tolist())
    middles = [(p.vertices[:, 0].min() + p.vertices[:, 0].max()) / 2 for p in interest.get_paths()]
    assert middles == pytest.approx(schedule["period"].tolist())
    assert balance_ax.lines[0].get_ydata().tolist() == pytest.approx(result.loan.schedule["balance"].tolist())
    assert cash_ax.lines[0].get_ydata().tolist() == pytest.approx(result.table["cumulative_project"].tolist())
    assert cash_ax.get_title() == "Dòng tiền cộng dồn: khi nào hoàn vốn?"
    assert figure_png(figure).startswith(b"\x89PNG")
    assert len(investment_chart(appraise(dryer()), "en").axes) == 1  # no loan: only the cash flow
    assert loan_chart(result.loan.schedule, "en").axes[0].get_title().startswith("Each payment")
    assert payback_chart(result, "en").axes[0].get_title() == "Cumulative cash flow: when is the money back?"


# -- a loan for the whole price (issue 10 §6) --------------------------------------------------------------

def test_a_loan_for_the_whole_price_has_no_own_payback_or_return_to_count():
    """Nothing of the cooperative's own is put in: a payback of "0 years" while its own cash is
    negative in years 1-2 would mislead, and an IRR of own funds has nothing to earn on."""
    from coopkit.investment import fully_financed_text

    result = appraise(Investment(100e6, 4, extra_revenue_per_year=30e6, loan=Loan(100e6, 0.1, 24)))
    assert result.fully_financed and result.own_funds == 0
    assert result.own_payback_years is None and result.own_irr is None and result.own_irr_error is None
    assert result.shortfall_years == (1, 2)
    assert (result.table["own_cash_flow"].iloc[1:3] < 0).all()
    for lang, words in (("vi", "không bỏ vốn tự có"), ("en", "puts none of its own money in")):
        text = fully_financed_text(result, lang)
        assert words in text and "1, 2" in text
    partly = appraise(Investment(100e6, 4, extra_revenue_per_year=30e6, loan=Loan(90e6, 0.1, 24)))
    assert not partly.fully_financed and fully_financed_text(partly, "en") is None
    assert partly.own_payback_years is not None


def test_a_loan_repaid_from_the_first_year_was_read_as_paid_back_in_zero_years():
    """Regression: own cash +, −, −, + … with nothing put in gave a payback of 0 years."""
    result = appraise(Investment(300e6, 6, extra_revenue_per_year=120e6, running_cost_per_year=20e6,
                                 loan=Loan(300e6, 0.09, 36, payments_per_year=1, method="equal_principal")))
    own = result.table["own_cash_flow"].to_numpy()
    assert own[1] < 0 or own[2] < 0
    assert result.own_payback_years is None
