"""Workbook 10 (seasonal cash flow) in a real browser, as a manager uses it.

The page's numbers are checked against `coopkit.cashflow.cash_flow_plan` with the inputs the
boxes show; bad input must be explained beside its box, never as a traceback.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import data, fmt
from coopkit.cashflow import cash_flow_plan, in_season_order, loan_cash_flows, monthly_sales, season_flows, season_months
from coopkit.ui.cashflow_app import LOAN_GRACE_MONTHS, LOAN_MONTHS, LOAN_RATE, MINIMUM_CASH, OPENING_CASH, loan_defaults

from .conftest import open_app, result_cell as _cell

pytestmark = pytest.mark.browser

NOTEBOOK = "10_seasonal_cash_flow.ipynb"


def _shown_plan(start: int | None = None, wages: dict[int, float] | None = None, loan: bool = False):
    """The coffee season as the workbook shows it (money cells in millions of đồng, two decimals)."""
    coffee = data.load_products()["ca_phe_nhan_son_la"]
    flows = season_flows(coffee)
    start = flows.start_month if start is None else start
    series = {name: [round(v / 1e6, 2) * 1e6 for v in getattr(flows, name)]
              for name in ("input_payments", "wage_payments", "member_payments", "other_payments")}
    for month, amount in (wages or {}).items():
        series["wage_payments"][month - 1] = amount
    series = {name: in_season_order(values, start) for name, values in series.items()}
    if loan:
        from coopkit.loans import loan_schedule

        first = loan_defaults(flows)
        schedule = loan_schedule(first.amount, LOAN_RATE, LOAN_MONTHS, method="equal_principal",
                                 grace_months=LOAN_GRACE_MONTHS)
        flows_of_loan = loan_cash_flows(first.amount, schedule,
                                        loan_month=season_months(start).index(first.calendar_month) + 1)
        series["loan_disbursements"] = flows_of_loan.loan_disbursements
        series["loan_instalments"] = flows_of_loan.loan_instalments
    revenue = coffee.volume_per_season * coffee.price_per_unit
    return cash_flow_plan(sales_receipts=in_season_order(monthly_sales(revenue, flows.calendar.sales), start),
                          **series, opening_cash=OPENING_CASH, minimum_cash=MINIMUM_CASH, start_month=start)


def _cell_input(app, field: str, month: int):
    return app.locator(f".ck-cell-{field}.ck-month-{month} input")


def _type_cell(app, field: str, month: int, text: str) -> None:
    box = _cell_input(app, field, month)
    box.fill(text)
    box.press("Enter")


def test_cash_flow_workbook_finds_the_worst_month_and_explains_bad_input(voila_server, page):
    app = open_app(page, voila_server, NOTEBOOK)
    expect(app.locator(".ck-title")).to_have_text("Dòng tiền theo mùa vụ")
    start = _shown_plan()
    expect(_cell(app, "worst_month")).to_have_text("Tháng 12")
    expect(_cell(app, "credit_line")).to_have_text(fmt.money(start.credit_line, "vi"))
    expect(_cell(app, "lowest_cash")).to_have_text(fmt.money(start.lowest_cash, "vi"))
    expect(_cell(app, "closing_cash")).to_have_text(fmt.money(start.closing_cash, "vi"))
    # December, the plan's 8th month, in the month-by-month table (millions of đồng).
    expect(_cell(app, "month_end_cash_million:8")).to_have_text(fmt.number(start.table["month_end_cash"].iloc[7] / 1e6, "vi"))
    expect(app.locator(".ck-chart img")).to_be_visible()
    # The lesson's worked example: 50 − (−1 110) million.
    expect(page.locator(".ck-lesson-example b")).to_have_text(fmt.money(1_160_000_000, "vi"))
    # The month table starts in May and shows the members' cherry in November.
    expect(app.locator(".ck-month-label").first).to_have_text("Tháng 5")
    expect(_cell_input(app, "member_payments", 11)).to_have_value("1.015")  # million đồng

    # 40 million of wages in June: the cash is lower from June on.
    _type_cell(app, "wage_payments", 6, "40")
    expected = _shown_plan(wages={6: 40_000_000})
    expect(_cell(app, "credit_line")).to_have_text(fmt.money(expected.credit_line, "vi"))
    expect(_cell(app, "closing_cash")).to_have_text(fmt.money(expected.closing_cash, "vi"))

    # Bad input: the message sits beside the table and the results are marked as not updated.
    _type_cell(app, "input_payments", 11, "-5")
    expect(app.locator(".ck-field-input_payments .ck-error")).to_contain_text("tháng 11")
    expect(app.locator(".ck-field-input_payments .ck-error")).to_contain_text("không được âm")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    _type_cell(app, "sales_calendar", 1, "50")
    expect(app.locator(".ck-field-sales_calendar .ck-error")).to_contain_text("100%")
    assert "Traceback" not in page.locator("body").inner_text()

    _type_cell(app, "sales_calendar", 1, "25")
    _type_cell(app, "input_payments", 11, "")  # an empty cell is 0
    expect(app.locator(".ck-field-input_payments .ck-error")).to_have_text("")
    november = season_flows(data.load_products()["ca_phe_nhan_son_la"]).input_payments[10]
    _type_cell(app, "input_payments", 11, fmt.number(round(november / 1e6, 2), "vi", decimals=2))
    expect(app.locator(".ck-field-input_payments .ck-error")).to_have_text("")
    expect(app.locator(".ck-field-sales_calendar .ck-error")).to_have_text("")
    expect(_cell(app, "credit_line")).to_have_text(fmt.money(expected.credit_line, "vi"))


def test_cash_flow_workbook_with_a_loan_in_english(voila_server, make_page):
    pytest.importorskip("coopkit.loans")
    page = make_page(locale="en-US")
    app = open_app(page, voila_server, NOTEBOOK, lang="en")
    expect(_cell(app, "worst_month")).to_have_text("December")
    expect(app.locator(".ck-field-loan_amount")).to_be_hidden()
    app.locator(".ck-loan-switch button", has_text="With a loan").click()
    expect(app.locator(".ck-field-loan_amount")).to_be_visible()
    expected = _shown_plan(loan=True)
    expect(_cell(app, "credit_line")).to_have_text(fmt.money(expected.credit_line, "en"))
    expect(_cell(app, "closing_cash")).to_have_text(fmt.money(expected.closing_cash, "en"))
    expect(_cell(app, "loan_owed_at_end")).to_be_visible()

    # A grace period as long as the loan is explained beside its box, in English.
    box = app.locator(".ck-field-loan_grace_months input").first
    box.fill("12")
    box.press("Enter")
    expect(app.locator(".ck-field-loan_grace_months .ck-error")).to_contain_text("must be shorter than the loan")

    # Starting the plan in January puts January in the first row.
    box.fill("6")
    box.press("Enter")
    app.locator(".ck-field-start_month select").select_option(label="January")
    expect(app.locator(".ck-month-label").first).to_have_text("January")
    expect(_cell(app, "month_name:1")).to_have_text("January")
    expect(_cell(app, "credit_line")).to_have_text(fmt.money(_shown_plan(start=1, loan=True).credit_line, "en"))
