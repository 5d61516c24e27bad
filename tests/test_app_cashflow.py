"""Workbook 10, seasonal cash flow: the app (coopkit.ui.cashflow_app) without a browser."""

from __future__ import annotations

import pytest

from coopkit import fmt
from coopkit.cashflow import (
    cash_flow_plan,
    in_season_order,
    loan_cash_flows,
    monthly_sales,
    season_flows,
    season_months,
)


M = 1_000_000


@pytest.fixture
def app():
    from coopkit.ui.cashflow_app import CashFlowApp

    return CashFlowApp()


def shown_plan(app, **changes):
    """The cash plan of what the app's boxes show (money cells in millions of đồng, two decimals)."""
    from coopkit.ui.cashflow_app import MINIMUM_CASH, OPENING_CASH

    flows = season_flows(app.product)
    start = changes.pop("start_month", flows.start_month)
    opening, minimum = changes.pop("opening_cash", OPENING_CASH), changes.pop("minimum_cash", MINIMUM_CASH)
    revenue = app.product.volume_per_season * app.product.price_per_unit
    series = {name: in_season_order([round(v / M, 2) * M for v in getattr(flows, name)], start)
              for name in ("input_payments", "wage_payments", "member_payments", "other_payments")}
    series.update(changes)
    return cash_flow_plan(sales_receipts=in_season_order(monthly_sales(revenue, flows.calendar.sales), start),
                          **series, opening_cash=opening, minimum_cash=minimum, start_month=start)


def test_app_starts_with_the_coffee_season(app):
    expected = shown_plan(app)
    assert app.error is None
    plan = app.result.plan
    assert plan.start_month == 5
    assert plan.credit_line == pytest.approx(expected.credit_line)
    assert plan.worst_calendar_month == expected.worst_calendar_month == 12
    assert plan.closing_cash == pytest.approx(expected.closing_cash)
    html = app.results.value
    assert f'data-key="credit_line" data-value="{plan.credit_line!r}"' in html
    assert fmt.money(plan.credit_line, "vi") in html
    assert 'data-key="worst_month">Tháng 12<' in html
    assert "Tiền mặt xuống thấp nhất vào tháng 12." in html
    december = float(plan.table["month_end_cash"].iloc[7]) / M
    assert f'data-key="month_end_cash_million:8" data-value="{december!r}">{fmt.number(december, "vi")}<' in html
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert "ck-ready" in app.view._dom_classes
    # The month table runs from May: the first row after the headings is May.
    assert "Tháng 5" in app.grid.children[7].value


def test_app_recomputes_when_a_cell_changes(app):
    app.control("wage_payments").type_cell(6, "20")  # June wages: 20 million đồng
    wages = [round(v / M, 2) * M for v in season_flows(app.product).wage_payments]
    wages[5] = 20_000_000
    expected = shown_plan(app, wage_payments=in_season_order(wages, 5))
    assert app.result.plan.credit_line == pytest.approx(expected.credit_line)
    assert app.result.plan.table.loc[1, "wage_payments"] == 20_000_000  # June is the plan's 2nd month


def test_app_start_month_reorders_the_table(app):
    app.control("start_month").value = 1
    assert app.error is None
    assert app.result.plan.table["calendar_month"].tolist() == list(range(1, 13))
    assert "Tháng 1" in app.grid.children[7].value
    assert app.result.plan.credit_line == pytest.approx(shown_plan(app, start_month=1).credit_line)


def test_app_loan_uses_the_loan_schedule(app):
    loans = pytest.importorskip("coopkit.loans")
    app.control("with_loan").value = True
    assert app.error is None, app.error
    loan = app.result.loan
    amount = app.control("loan_amount").value
    schedule = loans.loan_schedule(amount, 0.09, 12, method="equal_principal", grace_months=6)
    expected = loan_cash_flows(amount, schedule, loan_month=season_months(5).index(10) + 1)
    assert loan.loan_instalments == pytest.approx(expected.loan_instalments)
    assert app.result.plan.table["loan_disbursements"].sum() == amount
    assert app.result.plan.credit_line < shown_plan(app).credit_line
    assert 'data-key="loan_owed_at_end"' in app.results.value


def test_app_explains_bad_input_beside_its_box(app):
    good = app.result
    app.control("input_payments").type_cell(11, "-5")
    assert app.error.field == "input_payments"
    assert "tháng 11" in app.control("input_payments").error_text
    assert "-5.000.000" in app.control("input_payments").error_text  # typed in millions, shown in đồng
    assert "ck-invalid-cell" in app.control("input_payments").cells[10]._dom_classes
    assert "ck-stale" in app.results._dom_classes and app.result is good
    app.control("input_payments").type_cell(11, "")
    assert app.error is None and app.control("input_payments").error_text == ""
    app.control("sales_calendar").type_cell(1, "50")
    assert "125%" in app.control("sales_calendar").error_text
    app.control("sales_calendar").type_cell(1, "25")
    app.control("with_loan").value = True
    app.control("loan_grace_months").value = 12
    assert app.error.field == "loan_grace_months"
    assert "12" in app.control("loan_grace_months").error_text
    app.control("loan_grace_months").value = 6
    assert app.error is None
    app.control("opening_cash").text.value = "-2.000.000.000.000"  # overdrawn, but beyond any money range
    assert app.error.field == "opening_cash" and app.error.reason == "out_of_range"
    assert app.control("opening_cash").error_text.startswith("⚠ Tiền mặt đầu kỳ")
    assert fmt.money(-1e12, "vi") in app.control("opening_cash").error_text
    app.control("opening_cash").value = 0
    app.control("minimum_cash").value = -1  # a cushion below zero means nothing: still refused
    assert app.error.field == "minimum_cash" and app.error.reason == "negative"
    assert "không được âm" in app.control("minimum_cash").error_text


def test_app_accepts_a_cooperative_starting_the_year_overdrawn(app):
    """Regression: the opening-cash box refused a negative number (cash_flow_plan accepts one)."""
    from coopkit.ui.cashflow_app import MINIMUM_CASH, OPENING_CASH

    before = app.result.plan
    app.control("opening_cash").text.value = "-50.000.000"
    assert app.error is None and app.control("opening_cash").error_text == ""
    plan = app.result.plan
    assert plan.opening_cash == -50_000_000
    expected = shown_plan(app, opening_cash=-50_000_000)
    assert plan.credit_line == pytest.approx(expected.credit_line)
    # Every month-end cash is 50 million + the old opening cash lower: the credit line covers it.
    assert plan.credit_line == pytest.approx(before.credit_line + 50_000_000 + OPENING_CASH)
    assert plan.credit_line >= 50_000_000 + MINIMUM_CASH
    assert min(plan.table["month_end_cash"]) + plan.credit_line == pytest.approx(MINIMUM_CASH)
    assert f'data-key="credit_line" data-value="{plan.credit_line!r}"' in app.results.value
    app.set_lang("en")
    assert app.control("opening_cash").text.value == "-50,000,000"


def test_app_speaks_english(app):
    app.set_lang("en")
    assert app.error is None
    assert 'data-key="worst_month">December<' in app.results.value
    assert "January" in "".join(getattr(w, "value", "") for w in app.grid.children if hasattr(w, "value"))
    assert app.control("member_payments").cells[10].value == "1,015"  # millions, en grouping


def test_app_changes_product(app):
    app.load_product("trung_son_nam")
    assert app.error is None
    assert app.result.plan.credit_line == 0.0  # eggs pay for themselves every month
    app.load_product("cam_lac_thuy")
    assert app.result.plan.start_month == 2
    assert app.result.plan.credit_line == pytest.approx(shown_plan(app).credit_line)
