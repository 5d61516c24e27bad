"""Seasonal cash flow (coopkit.cashflow) and its chart; the app is in test_app_cashflow.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import assert_input_error
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit import data
from coopkit.cashflow import (
    INFLOWS,
    OUTFLOWS,
    SEASON_CALENDARS,
    cash_calendar,
    cash_flow_plan,
    credit_line_needed,
    in_season_order,
    loan_cash_flows,
    month_name,
    monthly_sales,
    season_flows,
    season_months,
)
from coopkit.errors import InputError

M = 1_000_000


def coffee_example(**changes):
    """The worked example of workbook 10's lesson (its cells tagged example), in millions of đồng."""
    arguments = dict(
        wage_payments=[30 * M] * 12,
        member_payments=[0] * 5 + [400 * M, 600 * M, 300 * M] + [0] * 4,
        sales_receipts=[0] * 7 + [700 * M] * 3 + [0] * 2,
        opening_cash=100 * M,
        minimum_cash=50 * M,
        start_month=5,
    )
    arguments.update(changes)
    return cash_flow_plan(**arguments)


@pytest.fixture(scope="module")
def products():
    return data.load_products()


# -- worked examples ------------------------------------------------------------------------


def test_coffee_example_by_hand():
    # Worked by hand in the lesson (workbook 10's example cell): May–Sep −30 a month, Oct −430,
    # Nov −630, Dec +700 −330, Jan–Feb +700 −30, Mar–Apr −30 (millions of đồng).
    plan = coffee_example()
    expected = [70, 40, 10, -20, -50, -480, -1_110, -740, -70, 600, 570, 540]
    assert (plan.table["month_end_cash"] / M).tolist() == pytest.approx(expected)
    assert plan.table["calendar_month"].tolist() == [5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4]
    assert plan.worst_month == 7 and plan.worst_calendar_month == 11
    assert plan.lowest_cash == pytest.approx(-1_110 * M)
    assert plan.credit_line == pytest.approx(1_160 * M)  # 50 − (−1 110)
    assert plan.closing_cash == pytest.approx(540 * M)
    assert plan.inflow == pytest.approx(2_100 * M) and plan.outflow == pytest.approx(1_660 * M)
    assert plan.months_short == 8  # June (40) to January (−70) end below 50 million
    assert plan.lean_months == 9  # every month without sales
    assert (plan.table["credit_drawn"] / M).tolist() == pytest.approx(
        [0, 10, 40, 70, 100, 530, 1_160, 790, 120, 0, 0, 0])
    assert plan.table["cash_at_start"].iloc[0] == 100 * M
    assert plan.table["cash_at_start"].iloc[1:].tolist() == pytest.approx(plan.table["month_end_cash"].iloc[:-1].tolist())


def test_a_loan_received_in_october_covers_the_example():
    # 1.2 billion received in October (plan month 6), interest only 1 % a month for 6 months:
    # the month-end cash is the example's + 1 200 million − the interest paid so far.
    schedule = pd.DataFrame({"period": range(1, 7), "payment": [12 * M] * 6, "interest": [12 * M] * 6,
                             "balance": [1_200 * M] * 6})
    loan = loan_cash_flows(1_200 * M, schedule, loan_month=6)
    assert loan.loan_disbursements[5] == 1_200 * M and sum(loan.loan_disbursements) == 1_200 * M
    assert loan.loan_instalments == (0, 0, 0, 0, 0, 0, 12 * M, 12 * M, 12 * M, 12 * M, 12 * M, 12 * M)
    assert loan.owed_at_end == 1_200 * M
    plan = coffee_example(loan_disbursements=loan.loan_disbursements, loan_instalments=loan.loan_instalments)
    base = coffee_example()
    # Now September, before the loan arrives, is the worst month: −50 million, so 100 million
    # of credit instead of 1 160 (November ends at −50 + 1 200 − 430 − 630 − 12 = 78 million).
    assert plan.worst_calendar_month == 9
    assert plan.lowest_cash == pytest.approx(-50 * M)
    assert plan.credit_line == pytest.approx(100 * M)
    assert plan.table["month_end_cash"].iloc[6] == pytest.approx(78 * M)
    assert plan.credit_line < base.credit_line
    assert plan.closing_cash == pytest.approx(base.closing_cash + 1_200 * M - 6 * 12 * M)


def test_loan_schedule_from_coopkit_loans_fills_the_series():
    loans = pytest.importorskip("coopkit.loans")
    schedule = loans.loan_schedule(300 * M, 0.12, 3, method="equal_principal")
    flows = loan_cash_flows(300 * M, schedule, loan_month=10, months=12)
    # 100 million of the loan + 1 % a month on 300, 200, 100 million: 103, 102 and 101 million;
    # received in month 10, so only two instalments fall inside the plan.
    assert [round(x / M) for x in flows.loan_instalments] == [0] * 10 + [103, 102]
    assert flows.owed_at_end == pytest.approx(100 * M)
    assert sum(flows.interest) == pytest.approx(5 * M)


def test_quarterly_instalments_fall_every_three_months():
    schedule = pd.DataFrame({"period": [1, 2, 3, 4], "payment": [10.0] * 4, "interest": [0.0] * 4,
                             "balance": [30.0, 20.0, 10.0, 0.0]})
    flows = loan_cash_flows(40.0, schedule, loan_month=1, months=12, period_months=3)
    assert [i for i, x in enumerate(flows.loan_instalments, start=1) if x] == [4, 7, 10]
    assert flows.owed_at_end == 10.0


def test_orange_sales_by_month_from_the_harvest_calendar(products):
    # Lạc Thủy: 160 t at 16 000 ₫/kg = 2 560 million, picked October–January (yields.HARVEST_CALENDARS).
    oranges = products["cam_lac_thuy"]
    sales = monthly_sales(oranges.volume_per_season * oranges.price_per_unit, cash_calendar(oranges).sales)
    assert sum(sales) == pytest.approx(2_560 * M)
    assert [round(x / M) for x in sales] == [512, 0, 0, 0, 0, 0, 0, 0, 0, 384, 768, 896]


def test_season_flows_of_the_coffee_template(products):
    coffee = products["ca_phe_nhan_son_la"]
    flows = season_flows(coffee)
    assert flows.revenue == pytest.approx(32_000 * 115_000)
    # Cherry from members: 5.8 kg at 15 000 ₫ per kg of green coffee, 4 % sorted out.
    assert sum(flows.member_payments) == pytest.approx(32_000 * 15_000 * 5.8 / 0.96)
    assert all(flows.member_payments[m - 1] == 0 for m in range(2, 10))  # no cherry from February to September
    assert flows.sales_receipts[9] == 0 and flows.sales_receipts[1] > 0  # paid after drying, not in October
    # Everything the template costs is either paid in the season or left out (depreciation, interest).
    total = coffee.cost_summary().total_costs
    assert flows.payments() + flows.depreciation + flows.interest == pytest.approx(total)
    assert flows.depreciation == pytest.approx(100 * M) and flows.interest == pytest.approx(90 * M)
    assert flows.start_month == 5


@pytest.mark.parametrize("key", ["cam_lac_thuy", "trung_son_nam", "ca_phe_nhan_son_la", "ca_phe_honey_son_la",
                                 "dua_muoi_phu_tho", "bi_xanh_dien_bien", "mat_ong", "che_shan_tuyet"])
def test_every_template_has_a_season_that_pays_what_it_costs(products, key):
    template = products[key]
    flows = season_flows(template)
    assert sum(flows.sales_receipts) == pytest.approx(template.volume_per_season * template.price_per_unit)
    assert flows.payments() + flows.depreciation + flows.interest == pytest.approx(
        template.cost_summary().total_costs)
    for name in ("sales_receipts", "input_payments", "wage_payments", "member_payments", "other_payments"):
        assert len(getattr(flows, name)) == 12 and min(getattr(flows, name)) >= 0


def test_season_flows_read_the_category_column_not_the_key(products, tmp_path):
    """Regression: wages, depreciation and interest were found by key prefixes (``cong_``, ``khau_hao``…)."""
    import csv
    import shutil

    for name in (data.PRODUCTS_FILE, data.COSTS_FILE):
        shutil.copy(data.datasets_dir() / name, tmp_path / name)
    path = tmp_path / data.COSTS_FILE
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["product"] == "ca_phe_nhan_son_la" and row["key"] == "cong_so_che":
            row["key"] = "so_che_thue"  # same item, a key without the old prefix
        if row["product"] == "ca_phe_nhan_son_la" and row["key"] == "lai_vay":
            row["category"] = "purchase"  # a trainer says this item is paid in the season
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shipped, edited = season_flows(products["ca_phe_nhan_son_la"]), season_flows(data.load_products(tmp_path)["ca_phe_nhan_son_la"])
    assert sum(edited.wage_payments) == pytest.approx(sum(shipped.wage_payments))
    assert edited.interest == 0 and shipped.interest == pytest.approx(90 * M)
    assert edited.payments() == pytest.approx(shipped.payments() + shipped.interest)


def test_the_old_key_prefixes_still_answer_with_a_warning():
    from coopkit import cashflow

    with pytest.warns(DeprecationWarning, match="category"):
        assert cashflow.WAGE_KEYS == ("cong_", "luong_", "lao_dong", "nhan_vien")


def test_templates_without_a_calendar_sell_evenly(products):
    eggs = cash_calendar(products["trung_son_nam"])
    assert eggs.sales == pytest.approx([1 / 12] * 12)
    assert "trung_son_nam" not in SEASON_CALENDARS
    assert season_flows(products["trung_son_nam"]).start_month == 1


def test_months_and_their_names():
    assert season_months(10, 4) == (10, 11, 12, 1)
    assert in_season_order(list(range(1, 13)), 11)[:3] == (11, 12, 1)
    assert month_name(1, "vi") == "Tháng 1" and month_name(12, "en") == "December"
    assert month_name(3, "en", short=True) == "Mar"


def test_credit_line_helper():
    assert credit_line_needed([0.0], 0.0) == 0.0
    assert credit_line_needed([-10.0, 5.0], 0.0) == 10.0


def test_to_frame_holds_the_totals():
    frame = coffee_example().to_frame().set_index("key")["value"]
    assert frame["credit_line"] == pytest.approx(1_160 * M)
    assert frame["worst_calendar_month"] == 11


# -- edge cases -----------------------------------------------------------------------------


def test_one_month_plan():
    plan = cash_flow_plan(sales_receipts=[10.0], input_payments=[30.0], opening_cash=5.0)
    assert plan.months == 1 and plan.closing_cash == -15.0 and plan.credit_line == 15.0


def test_nothing_given_is_twelve_quiet_months():
    plan = cash_flow_plan(opening_cash=100.0, minimum_cash=100.0)
    assert plan.months == 12 and plan.credit_line == 0.0 and plan.closing_cash == 100.0
    assert plan.worst_month == 1


def test_opening_cash_below_the_minimum_needs_credit_even_in_a_quiet_year():
    assert cash_flow_plan(opening_cash=20.0, minimum_cash=50.0).credit_line == 30.0


def test_a_plan_may_run_two_years():
    plan = cash_flow_plan(sales_receipts=[1.0] * 24, start_month=7)
    assert plan.months == 24 and plan.table["calendar_month"].iloc[-1] == 6


# -- invariants -----------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=5e9, allow_nan=False, allow_infinity=False)


@st.composite
def cash_plans(draw, months=None):
    n = draw(st.integers(min_value=1, max_value=24)) if months is None else months
    kinds = draw(st.lists(st.sampled_from(INFLOWS + OUTFLOWS), min_size=1, max_size=8, unique=True))
    series = {kind: draw(st.lists(amounts, min_size=n, max_size=n)) for kind in kinds}
    return dict(series, opening_cash=draw(amounts), minimum_cash=draw(amounts),
                start_month=draw(st.integers(min_value=1, max_value=12)), months=n)


@given(arguments=cash_plans())
def test_last_month_end_cash_is_opening_plus_inflows_minus_outflows(arguments):
    plan = cash_flow_plan(**arguments)
    inflows = math.fsum(sum(arguments.get(k, [])) for k in INFLOWS)
    outflows = math.fsum(sum(arguments.get(k, [])) for k in OUTFLOWS)
    scale = max(inflows, outflows, arguments["opening_cash"], 1.0)
    assert plan.closing_cash == pytest.approx(arguments["opening_cash"] + inflows - outflows, abs=1e-9 * scale)
    assert plan.lowest_cash == pytest.approx(float(plan.table["month_end_cash"].min()))
    assert plan.credit_line >= 0
    # With the credit line drawn, no month ends below the minimum.
    assert np.all(plan.table["month_end_cash"] + plan.credit_line >= plan.minimum_cash - 1e-6 * scale)


@given(arguments=cash_plans(), margins=st.lists(st.floats(min_value=1, max_value=1e9), min_size=24, max_size=24))
def test_no_credit_when_every_month_brings_in_more_than_it_pays(arguments, margins):
    months = arguments["months"]
    outflow = np.zeros(months)
    for kind in OUTFLOWS:
        outflow += np.array(arguments.get(kind, [0.0] * months))
    inflow = {kind: arguments.get(kind, [0.0] * months) for kind in INFLOWS}
    inflow["other_receipts"] = list(np.array(inflow["other_receipts"]) + outflow + np.array(margins[:months]))
    arguments = dict(arguments, **inflow, opening_cash=arguments["minimum_cash"] + arguments["opening_cash"])
    plan = cash_flow_plan(**arguments)
    assert plan.lean_months == 0
    assert plan.credit_line == 0.0


@given(arguments=cash_plans(), extra=st.floats(min_value=0, max_value=1e9))
def test_a_higher_minimum_raises_a_positive_credit_line_by_as_much(arguments, extra):
    plan = cash_flow_plan(**arguments)
    assume(plan.credit_line > 0)
    higher = cash_flow_plan(**dict(arguments, minimum_cash=arguments["minimum_cash"] + extra))
    scale = max(plan.credit_line, extra, 1.0)
    assert higher.credit_line == pytest.approx(plan.credit_line + extra, abs=1e-9 * scale)


@given(arguments=cash_plans(months=12), data=st.data())
def test_moving_a_sale_earlier_never_raises_the_credit_line(arguments, data):
    sales = list(arguments.get("sales_receipts", [0.0] * 12))
    late = data.draw(st.integers(min_value=1, max_value=11))
    early = data.draw(st.integers(min_value=0, max_value=late - 1))
    moved = data.draw(st.floats(min_value=0, max_value=1)) * sales[late]
    earlier = list(sales)
    earlier[late] -= moved
    earlier[early] += moved
    before = cash_flow_plan(**dict(arguments, sales_receipts=sales))
    after = cash_flow_plan(**dict(arguments, sales_receipts=earlier))
    assert after.credit_line <= before.credit_line + 1e-6 * max(before.credit_line, 1.0)


@given(shares=st.lists(st.floats(min_value=0, max_value=1), min_size=12, max_size=12), revenue=amounts)
def test_monthly_sales_add_up_to_the_revenue(shares, revenue):
    total = math.fsum(shares)
    assume(total > 0.01)
    calendar = [s / total for s in shares]
    assume(abs(math.fsum(calendar) - 1) < 1e-9)
    assert math.fsum(monthly_sales(revenue, calendar)) == pytest.approx(revenue)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"input_payments": [10.0] * 11 + [-5.0]}, "input_payments", "cash_negative_amount"),
        ({"input_payments": [1.0] * 11}, "input_payments", "cash_wrong_months"),
        ({"member_payments": [float("nan")] * 12}, "member_payments", "cash_month_empty"),
        ({"member_payments": [0.0] * 5 + [None] + [0.0] * 6}, "member_payments", "cash_month_empty"),
        ({"member_payments": [0.0] * 5 + [float("inf")] + [0.0] * 6}, "member_payments", "cash_month_not_finite"),
        ({"wage_payments": ["ba triệu"] * 12}, "wage_payments", "cash_cell_not_a_number"),
        ({"wage_payments": [True] * 12}, "wage_payments", "cash_cell_not_a_number"),
        ({"other_payments": "1000"}, "other_payments", "cash_not_a_list"),
        ({"other_payments": 1000}, "other_payments", "cash_not_a_list"),
        ({"opening_cash": float("nan")}, "opening_cash", "not_finite"),
        ({"minimum_cash": -1.0}, "minimum_cash", "negative"),
        ({"start_month": 13}, "start_month", "cash_month_out_of_range"),
        ({"start_month": 2.5}, "start_month", "cash_month_out_of_range"),
        ({"months": 61}, "cash_months", "months_out_of_range"),
    ],
)
def test_bad_cash_plan_is_explained(changes, field, reason):
    arguments = {"sales_receipts": [1.0] * 12, **changes}
    with pytest.raises(InputError) as excinfo:
        cash_flow_plan(**arguments)
    assert_input_error(excinfo, field, reason)


def test_a_blank_month_names_its_month():
    with pytest.raises(InputError) as excinfo:
        cash_flow_plan(input_payments=[0.0, None] + [0.0] * 10, start_month=11)
    assert "tháng 12" in excinfo.value.message("vi") and "month 12" in excinfo.value.message("en")


def test_a_cooperative_may_start_the_year_overdrawn():
    # 200 million overdrawn on 1 May; the example's worst month (−1 110 million from a start
    # of +100) is 300 million lower, so the credit line grows by as much.
    plan = coffee_example(opening_cash=-200 * M)
    assert plan.opening_cash == -200 * M
    assert plan.table["cash_at_start"].iloc[0] == -200 * M
    assert plan.lowest_cash == pytest.approx(-1_410 * M)
    assert plan.credit_line == pytest.approx(1_460 * M)
    assert plan.closing_cash == pytest.approx(240 * M)


def test_a_quiet_year_that_starts_overdrawn_needs_credit_for_the_overdraft():
    plan = cash_flow_plan(opening_cash=-30 * M)
    assert plan.credit_line == pytest.approx(30 * M) and plan.months_short == 12


@pytest.mark.parametrize("blank", [None, float("nan"), np.nan, pd.NA])
def test_credit_line_refuses_a_blank_month_among_negative_ones(blank):
    # Before: a blank month made min() NaN and the answer "no credit needed" in a year whose
    # worst month is −350 million.
    with pytest.raises(InputError) as excinfo:
        credit_line_needed([120 * M, blank, -350 * M, 80 * M], minimum_cash=50 * M)
    assert_input_error(excinfo, "month_end_cash", "cash_month_empty")
    assert "tháng 2" in excinfo.value.message("vi") and "month 2" in excinfo.value.message("en")


@pytest.mark.parametrize(("value", "reason"), [("ba triệu", "cash_cell_not_a_number"), (True, "cash_cell_not_a_number"),
                                                (-math.inf, "cash_month_not_finite")])
def test_credit_line_refuses_text_and_infinite_months(value, reason):
    with pytest.raises(InputError) as excinfo:
        credit_line_needed([120 * M, -350 * M, value])
    assert_input_error(excinfo, "month_end_cash", reason)
    assert "3" in excinfo.value.message("en")


@pytest.mark.parametrize("cash", ["120000000", 120 * M, None])
def test_credit_line_needs_a_list_of_months(cash):
    with pytest.raises(InputError) as excinfo:
        credit_line_needed(cash)
    assert_input_error(excinfo, "month_end_cash", "cash_not_a_list")


def test_loan_placed_in_the_plan_must_be_the_loan_of_its_schedule():
    from coopkit.loans import loan_schedule

    schedule = loan_schedule(300 * M, 0.12, 12)
    assert loan_cash_flows(300 * M, schedule, months=13).owed_at_end == pytest.approx(0, abs=1)
    with pytest.raises(InputError) as excinfo:
        loan_cash_flows(500 * M, schedule)
    assert_input_error(excinfo, "loan_disbursements", "cash_loan_not_schedule")
    assert "₫300,000,000" in excinfo.value.message("en") and "500.000.000" in excinfo.value.message("vi")


@pytest.mark.parametrize(("column", "value", "field"), [
    ("payment", float("nan"), "loan_instalments"), ("interest", None, "loan_schedule"),
    ("balance", "abc", "loan_schedule"), ("period", 1.5, "loan_schedule"),
])
def test_a_broken_schedule_is_refused(column, value, field):
    from coopkit.loans import loan_schedule

    schedule = loan_schedule(300 * M, 0.12, 3).astype(object)
    schedule.loc[1, column] = value
    with pytest.raises(InputError) as excinfo:
        loan_cash_flows(300 * M, schedule)
    assert excinfo.value.field == field


@pytest.mark.parametrize("every", [True, 2, 5.5, "3", None])
def test_instalments_fall_every_1_3_or_12_months(every):
    from coopkit.loans import loan_schedule

    with pytest.raises(InputError) as excinfo:
        loan_cash_flows(300 * M, loan_schedule(300 * M, 0.12, 3), period_months=every)
    assert excinfo.value.field == "period_months"


def test_a_negative_amount_names_its_month():
    with pytest.raises(InputError) as excinfo:
        cash_flow_plan(input_payments=[0.0, -5.0] + [0.0] * 10, start_month=11)
    assert "tháng 12" in excinfo.value.message("vi") and "month 12" in excinfo.value.message("en")


@pytest.mark.parametrize(
    ("calendar", "reason"),
    [([0.1] * 12, "shares_not_one"), ([0.5] * 2, "calendar_not_12_months"), ([-0.1, 1.1] + [0] * 10, "negative_share")],
)
def test_a_bad_sales_calendar_is_explained(calendar, reason):
    with pytest.raises(InputError) as excinfo:
        monthly_sales(1e9, calendar)
    assert_input_error(excinfo, "sales_calendar", reason)


@pytest.mark.parametrize(
    ("call", "field", "reason"),
    [
        (lambda: loan_cash_flows(0, pd.DataFrame(), 1), "loan_disbursements", "not_positive"),
        (lambda: loan_cash_flows(1e8, pd.DataFrame({"period": [1]}), 1), "loan_schedule", "cash_bad_schedule"),
        (lambda: loan_cash_flows(1e8, pd.DataFrame(), 13), "loan_month", "cash_month_out_of_range"),
        (lambda: monthly_sales(-1, [1 / 12] * 12), "sales_receipts", "negative"),
        (lambda: in_season_order([1] * 11), "cash_months", "cash_wrong_months"),
        (lambda: in_season_order([1] * 11 + [None]), "cash_months", "cash_month_empty"),
        (lambda: in_season_order([1] * 11 + ["x"], field="sales_receipts"), "sales_receipts", "cash_cell_not_a_number"),
        (lambda: month_name(0, "vi"), "cash_month", "cash_month_out_of_range"),
    ],
)
def test_bad_helper_input_is_explained(call, field, reason):
    with pytest.raises(InputError) as excinfo:
        call()
    assert_input_error(excinfo, field, reason)


# -- chart ----------------------------------------------------------------------------------


def test_chart_draws_money_in_and_out_and_the_cash_line():
    from matplotlib.figure import Figure

    from coopkit.plots.cashflow import cash_flow_chart
    from coopkit.ui.base import figure_png

    plan = coffee_example()
    figure = cash_flow_chart(plan, "vi")
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert len(ax.patches) == 24  # 12 bars in, 12 bars out
    heights = [p.get_height() for p in ax.patches]
    assert heights[:12] == pytest.approx((plan.table["inflow"] / M).tolist())
    assert heights[12:] == pytest.approx((plan.table["outflow"] / M).tolist())
    line = ax.lines[0]
    assert list(line.get_ydata()) == pytest.approx((plan.table["month_end_cash"] / M).tolist())
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["thg 5", "thg 6"]
    assert ax.get_title() == "Tiền vào, tiền ra và tiền cuối tháng"
    assert figure_png(figure).startswith(b"\x89PNG")
    assert cash_flow_chart(plan, "en").axes[0].get_title() == "Money in, money out and month-end cash"
