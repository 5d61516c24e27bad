"""Loans (coopkit.loans): instalments, schedules, grace periods and early repayments."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from helpers import assert_input_error
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.loans import (
    SCHEDULE_COLUMNS,
    Loan,
    loan_payment,
    loan_schedule,
    loan_summary,
    total_interest,
    yearly_loan_payments,
)

# -- worked examples ------------------------------------------------------------------------


def test_100_million_at_12_percent_over_12_months():
    # By hand: 1 % a month, P·r / (1 − (1 + r)^−n) = 100 000 000 × 0.01 / (1 − 1.01^−12)
    # = 8 884 878.87 ₫; the first month's interest is 1 % of 100 million.
    assert loan_payment(100_000_000, 0.12, 12) == pytest.approx(8_884_878.87, abs=0.01)
    assert round(loan_payment(100_000_000, 0.12, 12)) == 8_884_879
    table = loan_schedule(100_000_000, 0.12, 12)
    assert list(table.columns) == list(SCHEDULE_COLUMNS)
    assert table["period"].tolist() == list(range(1, 13))
    assert table["payment"].to_numpy() == pytest.approx([8_884_878.87] * 12, abs=0.01)
    assert table["interest"].iloc[0] == pytest.approx(1_000_000)
    assert table["principal"].iloc[0] == pytest.approx(7_884_878.87, abs=0.01)
    assert total_interest(table) == pytest.approx(12 * 8_884_878.868 - 100_000_000, abs=0.1)


def test_numpy_financial_documentation_example():
    # numpy-financial's documentation of pmt: "What is the monthly payment needed to pay off a
    # $200,000 loan in 15 years at an annual interest rate of 7.5%?" → 1 854.02.
    assert loan_payment(200_000, 0.075, 15 * 12) == pytest.approx(1_854.0247200054619)


def test_equal_principal_example_of_a_vietnamese_lender():
    # smartfinance.vn, "Trả gốc và lãi theo dư nợ giảm dần": 100 triệu over 5 months at 1 %/month,
    # 20 triệu of principal a month; payments 21, 20.8, 20.6, 20.4 and 20.2 triệu.
    table = loan_schedule(100_000_000, 0.12, 5, method="equal_principal")
    assert table["principal"].tolist() == pytest.approx([20_000_000] * 5)
    assert table["interest"].tolist() == pytest.approx([1_000_000, 800_000, 600_000, 400_000, 200_000])
    assert table["payment"].tolist() == pytest.approx([21_000_000, 20_800_000, 20_600_000, 20_400_000, 20_200_000])
    assert table["balance"].tolist() == pytest.approx([80e6, 60e6, 40e6, 20e6, 0])


def test_equal_principal_total_interest_by_formula():
    # Interest on a balance falling by P/n each month: P × r × (n + 1) / 2 = 100 000 000 × 0.01 × 13 / 2.
    summary = loan_summary(100_000_000, 0.12, 12, method="equal_principal")
    assert summary.total_interest == pytest.approx(6_500_000)
    assert summary.first_instalment == pytest.approx(100_000_000 / 12 + 1_000_000)
    assert summary.largest_payment == summary.first_instalment
    annuity = loan_summary(100_000_000, 0.12, 12)
    assert annuity.total_interest == pytest.approx(6_618_546.4, abs=0.1)


def test_grace_period_pays_interest_only_then_repays_over_the_rest():
    # 300 million at 9 %/year (0.75 % a month) over 36 months with 6 months of grace: 2 250 000 ₫
    # of interest a month for 6 months, then 10 million of principal a month for 30 months.
    summary = loan_summary(300_000_000, 0.09, 36, method="equal_principal", grace_months=6)
    table = summary.schedule
    assert table["principal"].iloc[:6].tolist() == [0.0] * 6
    assert table["payment"].iloc[:6].tolist() == pytest.approx([2_250_000] * 6)
    assert table["principal"].iloc[6:].tolist() == pytest.approx([10_000_000] * 30)
    assert summary.grace_payment == pytest.approx(2_250_000)
    assert summary.first_instalment == pytest.approx(12_250_000)
    # 6 × 2.25 million + 0.0075 × 10 million × (30 × 31 / 2)
    assert summary.total_interest == pytest.approx(6 * 2_250_000 + 0.0075 * 10_000_000 * 465)
    annuity = loan_schedule(300_000_000, 0.09, 36, grace_months=6)
    assert annuity["payment"].iloc[6:].to_numpy() == pytest.approx([npf.pmt(0.0075, 30, -300_000_000)] * 30)


def test_quarterly_and_yearly_payments():
    quarterly = loan_schedule(100_000_000, 0.12, 24, payments_per_year=4)
    assert len(quarterly) == 8
    assert quarterly["interest"].iloc[0] == pytest.approx(3_000_000)
    assert quarterly["payment"].iloc[0] == pytest.approx(npf.pmt(0.03, 8, -100_000_000))
    yearly = loan_schedule(120_000_000, 0.10, 36, method="equal_principal", payments_per_year=1, grace_months=12)
    assert yearly["principal"].tolist() == pytest.approx([0, 60_000_000, 60_000_000])
    assert yearly["interest"].tolist() == pytest.approx([12_000_000, 12_000_000, 6_000_000])


def test_a_tiny_rate_is_almost_no_interest():
    # Regression: numpy-financial's pmt gives infinity for a rate of 1e-42 a month, which once
    # made the whole loan due in the first month.
    table = loan_schedule(1_000_000, 1e-40, 2)
    assert table["payment"].tolist() == pytest.approx([500_000, 500_000])


def test_zero_interest_loan_repays_equal_parts():
    table = loan_schedule(90_000_000, 0.0, 9)
    assert table["payment"].tolist() == pytest.approx([10_000_000] * 9)
    assert total_interest(table) == 0


def test_one_month_loan():
    table = loan_schedule(50_000_000, 0.12, 1)
    assert table["payment"].tolist() == pytest.approx([50_500_000])
    assert table["balance"].tolist() == [0.0]


def test_early_repayment_shortens_the_loan_with_the_same_instalment():
    base = loan_summary(100_000_000, 0.12, 12)
    early = loan_summary(100_000_000, 0.12, 12, extra_payment=30_000_000, extra_payment_period=3)
    table = early.schedule
    assert table["payment"].iloc[2] == pytest.approx(base.first_instalment + 30_000_000)
    assert table["payment"].iloc[3:-1].to_numpy() == pytest.approx([base.first_instalment] * (len(table) - 4))
    assert early.periods_paid == 9 and early.months_to_repay == 9
    assert early.last_payment < base.first_instalment
    assert early.total_interest < base.total_interest
    assert table["principal"].sum() == pytest.approx(100_000_000)


def test_early_repayment_lowers_the_later_instalments():
    early = loan_summary(100_000_000, 0.12, 12, extra_payment=30_000_000, extra_payment_period=3,
                         after_extra="lower_payment")
    table = early.schedule
    assert len(table) == 12
    balance_after = table["balance"].iloc[2]
    assert table["payment"].iloc[3:].to_numpy() == pytest.approx([npf.pmt(0.01, 9, -balance_after)] * 9)
    equal = loan_schedule(100_000_000, 0.12, 12, method="equal_principal", extra_payment=30_000_000,
                          extra_payment_period=3, after_extra="lower_payment")
    assert equal["principal"].iloc[3:].to_numpy() == pytest.approx([equal["balance"].iloc[2] / 9] * 9)


def test_early_repayment_larger_than_the_balance_repays_everything():
    table = loan_schedule(100_000_000, 0.12, 12, extra_payment=500_000_000, extra_payment_period=2)
    assert len(table) == 2
    assert table["balance"].iloc[-1] == 0
    assert table["principal"].sum() == pytest.approx(100_000_000)


def test_early_repayment_during_grace():
    table = loan_schedule(120_000_000, 0.12, 12, method="equal_principal", grace_months=3, extra_payment=30_000_000,
                          extra_payment_period=2, after_extra="lower_payment")
    assert table["interest"].iloc[2] == pytest.approx(900_000)  # 1 % of the 90 million left
    assert table["principal"].iloc[3:].to_numpy() == pytest.approx([10_000_000] * 9)


def test_yearly_totals_of_a_schedule():
    table = loan_schedule(300_000_000, 0.09, 36, method="equal_principal", grace_months=6)
    years = yearly_loan_payments(table)
    assert years["year"].tolist() == [1, 2, 3]
    assert years["principal"].tolist() == pytest.approx([60e6, 120e6, 120e6])
    assert years["payment"].sum() == pytest.approx(table["payment"].sum())
    assert years["balance"].tolist() == pytest.approx([240e6, 120e6, 0])
    quarterly = yearly_loan_payments(loan_schedule(100_000_000, 0.12, 24, payments_per_year=4), payments_per_year=4)
    assert quarterly["year"].tolist() == [1, 2]


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"principal": 0}, "principal", "not_positive"),
        ({"annual_rate": -0.05}, "annual_rate", "negative"),
        ({"annual_rate": 12}, "annual_rate", "loan_rate_above_100"),
        ({"annual_rate": float("nan")}, "annual_rate", "not_finite"),
        ({"months": 0}, "months", "not_positive"),
        ({"months": 7.5}, "months", "loan_months_out_of_range"),
        ({"months": 361}, "months", "loan_months_out_of_range"),
        ({"months": 13, "payments_per_year": 4}, "months", "loan_months_not_whole_periods"),
        ({"months": 18, "payments_per_year": 1}, "months", "loan_months_not_whole_periods"),
        ({"payments_per_year": 6}, "payments_per_year", "loan_bad_frequency"),
        ({"method": "bullet"}, "loan_method", "loan_unknown_method"),
        ({"grace_months": 36}, "grace_months", "loan_grace_too_long"),
        ({"grace_months": 40}, "grace_months", "loan_grace_too_long"),
        ({"grace_months": -1}, "grace_months", "negative"),
        ({"grace_months": 2, "payments_per_year": 4}, "grace_months", "loan_months_not_whole_periods"),
        ({"extra_payment": -5}, "extra_payment", "negative"),
        ({"extra_payment": 5e6}, "extra_payment_period", "loan_extra_needs_period"),
        ({"extra_payment": 5e6, "extra_payment_period": 37}, "extra_payment_period", "loan_period_out_of_range"),
        ({"extra_payment": 5e6, "extra_payment_period": 0}, "extra_payment_period", "not_positive"),
        ({"after_extra": "both"}, "after_extra", "loan_unknown_after_extra"),
    ],
)
def test_bad_loan_is_explained(kwargs, field, reason):
    terms = {"principal": 300_000_000, "annual_rate": 0.09, "months": 36, **kwargs}
    with pytest.raises(InputError) as excinfo:
        loan_schedule(**terms)
    assert_input_error(excinfo, field, reason)


def test_grace_message_names_the_loan_term():
    with pytest.raises(InputError) as excinfo:
        Loan(300_000_000, 0.09, 24, grace_months=24)
    assert "24 tháng" in excinfo.value.message("vi")
    assert "loan term (24 months)" in excinfo.value.message("en")


def test_quarterly_message_says_three_months():
    with pytest.raises(InputError) as excinfo:
        loan_payment(100_000_000, 0.12, 13, payments_per_year=4)
    assert "multiple of 3 months" in excinfo.value.message("en")
    assert "bội số của 3 tháng" in excinfo.value.message("vi")


# -- invariants -----------------------------------------------------------------------------

frequencies = st.sampled_from([12, 4, 1])


@st.composite
def loans(draw, extra: bool = False):
    frequency = draw(frequencies)
    period_months = 12 // frequency
    periods = draw(st.integers(min_value=1, max_value=360 // period_months))
    grace = draw(st.integers(min_value=0, max_value=periods - 1))
    terms = {
        "principal": draw(st.floats(min_value=1e6, max_value=1e10)),
        "annual_rate": draw(st.floats(min_value=0.0, max_value=0.4)),
        "months": periods * period_months,
        "method": draw(st.sampled_from(["annuity", "equal_principal"])),
        "grace_months": grace * period_months,
        "payments_per_year": frequency,
    }
    if extra:
        terms["extra_payment"] = draw(st.floats(min_value=0.0, max_value=2e10))
        terms["extra_payment_period"] = draw(st.integers(min_value=1, max_value=periods))
        terms["after_extra"] = draw(st.sampled_from(["shorter_term", "lower_payment"]))
    return terms


@given(terms=loans(extra=True))
def test_principal_paid_sums_to_the_loan_and_the_balance_ends_at_zero(terms):
    table = loan_schedule(**terms)
    principal = terms["principal"]
    assert table["principal"].sum() == pytest.approx(principal, rel=1e-9)
    assert table["balance"].iloc[-1] == 0.0
    assert np.all(table["balance"].to_numpy() >= 0)
    assert np.all(np.diff(table["balance"].to_numpy()) <= 1e-6 * principal)
    assert table["payment"].to_numpy() == pytest.approx((table["interest"] + table["principal"]).to_numpy())
    opening = np.concatenate([[principal], table["balance"].to_numpy()[:-1]])
    rate = terms["annual_rate"] / terms["payments_per_year"]
    assert table["interest"].to_numpy() == pytest.approx(opening * rate, rel=1e-9, abs=1e-6)
    assert table["period"].tolist() == list(range(1, len(table) + 1))


@given(terms=loans())
def test_grace_periods_pay_interest_only(terms):
    table = loan_schedule(**terms)
    grace = terms["grace_months"] * terms["payments_per_year"] // 12
    rate = terms["annual_rate"] / terms["payments_per_year"]
    assert table["principal"].iloc[:grace].tolist() == [0.0] * grace
    assert table["interest"].iloc[:grace].to_numpy() == pytest.approx([terms["principal"] * rate] * grace)
    assert len(table) == terms["months"] * terms["payments_per_year"] // 12


@given(terms=loans())
def test_annuity_payments_equal_numpy_financial(terms):
    assume(terms["annual_rate"] == 0 or terms["annual_rate"] > 1e-5)  # numpy-financial's pmt fails below
    terms["method"] = "annuity"
    table = loan_schedule(**terms)
    periods = len(table)
    grace = terms["grace_months"] * terms["payments_per_year"] // 12
    rate = terms["annual_rate"] / terms["payments_per_year"]
    expected = -npf.pmt(rate, periods - grace, terms["principal"])
    # 1e-8: at a rate near 1e-5 a year, (1 + r)^n − 1 cancels digits in both formulas; hypothesis
    # found a last payment 1.0e-9 apart (0.000015 đồng on 14 708 đồng)
    assert table["payment"].iloc[grace:].to_numpy() == pytest.approx([expected] * (periods - grace), rel=1e-8)
    if grace == 0 and rate > 0:
        per = np.arange(1, periods + 1)
        assert table["interest"].to_numpy() == pytest.approx(-npf.ipmt(rate, per, periods, terms["principal"]),
                                                             rel=1e-7, abs=1e-3)
        assert table["principal"].to_numpy() == pytest.approx(-npf.ppmt(rate, per, periods, terms["principal"]),
                                                              rel=1e-7, abs=1e-3)


@given(principal=st.floats(min_value=1e6, max_value=1e10), rate=st.just(0.0) | st.floats(min_value=1e-4, max_value=1.0),
       months=st.integers(min_value=1, max_value=360))
def test_loan_payment_is_numpy_financial_pmt(principal, rate, months):
    assert loan_payment(principal, rate, months) == pytest.approx(-npf.pmt(rate / 12, months, principal), rel=1e-12)


@given(terms=loans())
def test_equal_principal_costs_less_interest_than_an_annuity(terms):
    periods = terms["months"] * terms["payments_per_year"] // 12
    grace = terms["grace_months"] * terms["payments_per_year"] // 12
    assume(terms["annual_rate"] > 1e-4 and periods - grace > 1)
    annuity = loan_summary(**{**terms, "method": "annuity"})
    equal = loan_summary(**{**terms, "method": "equal_principal"})
    assert equal.total_interest < annuity.total_interest
    assert equal.first_instalment > annuity.first_instalment


@given(terms=loans(extra=True))
def test_an_early_repayment_never_costs_more_interest(terms):
    plain = {k: v for k, v in terms.items() if k not in ("extra_payment", "extra_payment_period", "after_extra")}
    with_extra = loan_summary(**terms)
    assert with_extra.total_interest <= loan_summary(**plain).total_interest * (1 + 1e-9) + 1e-6
    if terms["after_extra"] == "lower_payment" and with_extra.schedule["balance"].iloc[-2:].min() > 0:
        assert len(with_extra.schedule) == terms["months"] * terms["payments_per_year"] // 12
