"""Workbook 9 (investment and loans) in a real browser, as a manager uses it.

The page's numbers are checked against `coopkit.investment.appraise` with the inputs the
boxes show; bad input (a negative rate, 0 months, a grace period as long as the loan, cash
flows with no IRR) must be explained beside its box, never as a traceback.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from coopkit import fmt
from coopkit.investment import appraise, load_equipment
from coopkit.loans import Loan

from .conftest import open_app, result_cell as _cell, type_into as _type

pytestmark = pytest.mark.browser


def _dryer(**changes):
    """The coffee dryer as the workbook starts: its template and the default loan terms."""
    return replace(load_equipment()["may_say_ca_phe"].investment(), **changes)


def test_investment_workbook_computes_the_loan_and_the_appraisal_and_explains_bad_input(voila_server, page):
    app = open_app(page, voila_server, "09_investment_and_loans.ipynb")
    expect(app.locator(".ck-title")).to_have_text("Mua thiết bị bằng vốn vay: có đáng không?")
    start = appraise(_dryer())
    expect(_cell(app, "first_instalment")).to_have_text(fmt.money(start.loan.first_instalment, "vi"))
    expect(_cell(app, "total_interest")).to_have_text(fmt.money(start.loan.total_interest, "vi"))
    expect(_cell(app, "project_npv")).to_have_text(fmt.money(start.project_npv, "vi"))
    expect(_cell(app, "project_irr")).to_have_text(fmt.percent(start.project_irr, "vi"))
    expect(app.locator(".ck-verdict")).to_have_attribute("data-verdict", start.verdict)
    expect(app.locator(".ck-chart img")).to_be_visible()
    expect(page.locator(".ck-lesson-example b").first).to_have_text("8.884.879\xa0₫")

    # Borrow 350 million at 10 % in equal instalments, no grace.
    _type(app, "loan_amount", "350.000.000")
    _type(app, "annual_rate", "10")
    _type(app, "grace_months", "0")
    app.locator(".ck-field-loan_method button", has_text="Trả góp đều").click()
    expected = appraise(_dryer(loan=Loan(350e6, 0.10, 36)))
    expect(_cell(app, "first_instalment")).to_have_text(fmt.money(expected.loan.first_instalment, "vi"))
    expect(_cell(app, "own_funds")).to_have_text(fmt.money(100e6, "vi"))
    expect(_cell(app, "own_npv")).to_have_text(fmt.money(expected.own_npv, "vi"))
    expect(_cell(app, "payment:36")).to_have_text(fmt.money(expected.loan.schedule["payment"].iloc[-1], "vi"))

    # Bad input: beside its box, results marked as not updated, no traceback.
    _type(app, "annual_rate", "-5")
    expect(app.locator(".ck-field-annual_rate .ck-error")).to_contain_text("không được âm")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    _type(app, "annual_rate", "10")
    _type(app, "months", "0")
    expect(app.locator(".ck-field-months .ck-error")).to_contain_text("phải lớn hơn 0")
    _type(app, "months", "36")
    _type(app, "grace_months", "36")
    expect(app.locator(".ck-field-grace_months .ck-error")).to_contain_text("phải ngắn hơn thời hạn vay")
    _type(app, "grace_months", "0")
    expect(app.locator(".ck-field-grace_months .ck-error")).to_have_text("")
    expect(_cell(app, "first_instalment")).to_have_text(fmt.money(expected.loan.first_instalment, "vi"))
    assert "Traceback" not in page.locator("body").inner_text()


def test_investment_workbook_in_english_explains_a_missing_irr(voila_server, make_page):
    page = make_page(locale="en-US")
    app = open_app(page, voila_server, "09_investment_and_loans.ipynb", lang="en")
    expect(app.locator(".ck-title")).to_have_text("Buying equipment with a loan: is it worth it?")
    # No revenue and no salvage: money only goes out, so there is no IRR.
    _type(app, "salvage_value", "0")
    _type(app, "extra_revenue_per_year", "0")
    expect(app.locator(".ck-field-extra_revenue_per_year .ck-error")).to_contain_text("no internal rate of return")
    expect(_cell(app, "project_irr")).to_have_text("none")
    expected = appraise(_dryer(salvage_value=0, extra_revenue_per_year=0))
    expect(_cell(app, "project_npv")).to_have_text(fmt.money(expected.project_npv, "en"))
    expect(app.locator(".ck-verdict")).to_contain_text("Not worth it yet")

    # Without a loan the loan terms are hidden and own funds pay the whole price.
    _type(app, "loan_amount", "0")
    expect(app.locator(".ck-field-months")).to_be_hidden()
    expect(_cell(app, "own_funds")).to_have_text(fmt.money(450e6, "en"))


def test_absurd_numbers_and_a_loan_for_the_whole_price_are_answered_in_words(voila_server, page):
    """Issue 10 §6 on a Vietnamese page: 1e308 in a money box gets its range in words beside the
    box (no "tell your trainer"), a language switch then translates it, 30.5 is read as 30,5 and
    a loan for the whole price explains that there is no own payback to count."""
    app = open_app(page, voila_server, "09_investment_and_loans.ipynb")
    start = appraise(_dryer())
    _type(app, "purchase_price", "1e308")
    error = app.locator(".ck-field-purchase_price .ck-error")
    expect(error).to_contain_text("từ 0\xa0₫ đến 1.000.000.000.000\xa0₫ (bạn đã nhập “1e308”)")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    expect(app.locator(".ck-error-summary")).not_to_contain_text("giảng viên")
    expect(_cell(app, "project_npv")).to_have_text(fmt.money(start.project_npv, "vi"))  # last good result kept

    page.locator(".ck-lang button", has_text="English").click()
    expect(error).to_contain_text("from ₫0 to ₫1,000,000,000,000 (you typed “1e308”)")
    expect(app.locator(".ck-field-grant .ck-input-label")).to_have_text("Grant (not repaid)")
    expect(_cell(app, "project_npv")).to_have_text(fmt.money(start.project_npv, "en"))
    page.locator(".ck-lang button", has_text="Tiếng Việt").click()
    expect(error).to_contain_text("bạn đã nhập “1e308”")

    _type(app, "purchase_price", "450.000.000")
    expect(error).to_have_text("")
    _type(app, "annual_rate", "10.5")  # a phone keypad's dot: 10,5 % on a Vietnamese page
    expect(app.locator(".ck-field-annual_rate .ck-error")).to_have_text("")
    expected = appraise(_dryer(loan=replace(_dryer().loan, annual_rate=0.105)))
    expect(_cell(app, "first_instalment")).to_have_text(fmt.money(expected.loan.first_instalment, "vi"))

    _type(app, "loan_amount", "450.000.000")  # no own funds at all
    expect(app.locator(".ck-field-loan_amount .ck-error")).to_have_text("")
    expect(_cell(app, "own_payback_years")).to_have_text("không bỏ vốn tự có")
    expect(app.locator(".ck-fully-financed")).to_contain_text("không bỏ vốn tự có lúc đầu")
    assert "Traceback" not in page.locator("body").inner_text()
