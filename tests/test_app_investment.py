"""Workbook 09, investment and loans: the app (coopkit.ui.invest_app) without a browser."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopkit import fmt
from coopkit.investment import Investment, appraise, load_equipment
from coopkit.loans import Loan


@pytest.fixture
def app():
    from coopkit.ui.invest_app import InvestmentApp

    return InvestmentApp()


def _shown(**changes) -> Investment:
    """The dryer as the app starts: the template and the default loan terms."""
    return replace(load_equipment()["may_say_ca_phe"].investment(), **changes)


def test_app_starts_with_the_dryer_and_its_loan(app):
    expected = appraise(_shown())
    result = app.result
    assert app.error is None
    assert result.project_npv == pytest.approx(expected.project_npv)
    assert result.own_npv == pytest.approx(expected.own_npv)
    assert result.loan.first_instalment == pytest.approx(expected.loan.first_instalment)
    html = app.results.value
    assert f'data-key="project_npv" data-value="{result.project_npv!r}"' in html
    assert fmt.money(result.loan.total_interest, "vi") in html
    assert 'data-key="payment:36"' in html and 'data-key="payment:Tổng"' in html
    assert "data-verdict='worth_it_tight_cash'" in html
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert "ck-ready" in app.view._dom_classes
    assert [key for _label, key in app.product_choice.options] == list(load_equipment())
    assert "Thiết bị mẫu" in app.product_label.value


def test_app_recomputes_when_inputs_change(app):
    app.control("purchase_price").value = 500e6
    app.control("annual_rate").value = 0.12
    app.control("loan_method").value = "annuity"
    app.control("payments_per_year").value = 4
    app.control("grace_months").value = 0
    expected = appraise(_shown(purchase_price=500e6, loan=Loan(300e6, 0.12, 36, payments_per_year=4)))
    assert app.result.project_npv == pytest.approx(expected.project_npv)
    assert app.result.own_funds == pytest.approx(200e6)
    assert app.result.loan.first_instalment == pytest.approx(expected.loan.first_instalment)
    assert len(app.result.loan.schedule) == 12


def test_app_without_a_loan_hides_the_loan_terms(app):
    app.control("loan_amount").value = 0
    assert app.result.loan is None and app.result.own_funds == 450e6
    assert app.control("months").box.layout.display == "none"
    app.control("months").text.value = "0"  # not read while hidden
    assert app.error is None
    app.control("loan_amount").value = 100e6
    assert app.error.field == "months"
    assert "phải lớn hơn 0" in app.control("months").error_text


def test_app_explains_a_missing_irr_beside_the_revenue_box(app):
    app.control("salvage_value").value = 0
    app.control("extra_revenue_per_year").value = 0
    assert app.error is None and app.result.project_irr is None
    assert "không có tỷ suất hoàn vốn nội bộ" in app.control("extra_revenue_per_year").error_text
    assert 'data-key="project_irr"' in app.results.value and "không có" in app.results.value
    app.control("extra_revenue_per_year").value = 160e6
    assert app.control("extra_revenue_per_year").error_text == ""


def test_app_picks_another_template_and_switches_language(app):
    app.product_choice.value = "kho_lanh"
    assert app.control("grant").value == 1.5e9
    assert app.result.verdict == "only_with_support"
    assert app.control("months").box.layout.display == "none"  # the template has no loan
    app.set_lang("en")
    assert "Buying equipment with a loan" in app.title.value
    assert app.control("purchase_price").text.value == "2,000,000,000"
    assert "Equipment template" in app.product_label.value
    assert [label for label, _ in app.product_choice.options][0] == "Coffee dryer (Sơn La)"
    assert "thanks to the grant" in app.results.value


def test_lesson_page_drives_the_app():
    from coopkit.ui import Lesson
    from coopkit.ui.invest_app import InvestmentApp

    page = Lesson("investment", lang="vi")
    switch = page.switch()
    app = page.app(InvestmentApp, equipment="nha_luoi")
    assert "Đầu tư và vay vốn" in switch.children[1].value and "data-ck-lang='vi'" in switch.children[1].value
    assert app.control("grant").value == 50e6
    page.set_lang("en")
    assert app.lang == "en" and "Investment and loans" in switch.children[1].value and "data-ck-lang='en'" in switch.children[1].value


def test_app_explains_a_loan_for_the_whole_price_in_words_not_as_an_error(app):
    price = app.control("purchase_price").read()
    app.control("grant").value = 0
    app.control("loan_amount").value = price
    assert app.error is None
    assert app.control("loan_amount").error_text == ""
    assert all(c.error_text == "" for c in app.controls)
    assert "ck-fully-financed" in app.results.value
    assert "không bỏ vốn tự có" in app.results.value
    assert 'data-key="own_payback_years"' in app.results.value
    app.set_lang("en")
    assert "puts none of its own money in" in app.results.value
