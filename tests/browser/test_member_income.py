"""Workbook 11 (member income and financial health) in a real browser, as a manager uses it.

The page's numbers are checked against `coopkit.members.distribute_surplus` and
`coopkit.health.financial_health`; bad input must be explained beside its box.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import fmt
from coopkit.health import Statement, financial_health
from coopkit.members import Member, distribute_surplus, example_members
from coopkit.ui.members_app import EXAMPLE_SURPLUS

from .conftest import open_app, result_cell as _cell, type_into as _type

pytestmark = pytest.mark.browser


def test_member_income_workbook_shares_the_surplus_and_explains_bad_input(voila_server, page):
    app = open_app(page, voila_server, "11_member_income.ipynb")
    expect(app.locator(".ck-title")).to_have_text("Lãi của HTX về tay thành viên thế nào?")
    start = distribute_surplus(EXAMPLE_SURPLUS, example_members())
    expect(_cell(app, "to_members")).to_have_text(fmt.money(start.to_members, "vi"))
    expect(_cell(app, "total:Lò Văn Bình")).to_have_text(fmt.money(start.member("Lò Văn Bình")["total"], "vi"))
    expect(page.locator(".ck-lesson-example b")).to_have_text(fmt.money(22_050_000, "vi"))
    health = financial_health(Statement())
    expect(app.locator('[data-key="band:operating_profit_margin"]')).to_have_text("nguy hiểm")
    expect(app.locator('[data-key="health:current_ratio"]')).to_have_text(
        fmt.number(health.ratio("current_ratio").value, "vi", decimals=2))
    expect(app.locator(".ck-chart img")).to_be_visible()

    # 20 % tax and everything by transactions.
    _type(app, "income_tax_rate", "20")
    _type(app, "transactions_share", "100")
    expected = distribute_surplus(EXAMPLE_SURPLUS, example_members(), income_tax_rate=0.2, transactions_share=1.0)
    expect(_cell(app, "income_tax")).to_have_text(fmt.money(expected.income_tax, "vi"))
    expect(_cell(app, "total:Quàng Văn Minh")).to_have_text(fmt.money(expected.member("Quàng Văn Minh")["total"], "vi"))

    # Edit the member table: a seventh member.
    app.locator(".ck-member-add").click()
    expect(app.locator(".ck-member-row")).to_have_count(7)  # the kernel has added the row
    row = app.locator(".ck-member-row").nth(6)
    row.locator(".ck-member-name input").fill("Hà Văn Tú")
    row.locator(".ck-member-name input").press("Enter")
    row.locator(".ck-member-transactions input").fill("60.000.000")
    row.locator(".ck-member-transactions input").press("Enter")
    with_tu = distribute_surplus(EXAMPLE_SURPLUS, [*example_members(), Member("Hà Văn Tú", 60_000_000, 0)],
                                 income_tax_rate=0.2, transactions_share=1.0)
    expect(_cell(app, "total:Hà Văn Tú")).to_have_text(fmt.money(with_tu.member("Hà Văn Tú")["total"], "vi"))

    # Bad input: beside its box, results marked as not updated, no traceback.
    _type(app, "fund_share-dau_tu_phat_trien", "120")
    expect(app.locator(".ck-field-fund_share-dau_tu_phat_trien .ck-error")).to_contain_text("phải từ 0% đến 100%")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    _type(app, "fund_share-dau_tu_phat_trien", "20")
    row.locator(".ck-member-name input").fill("lò văn bình")
    row.locator(".ck-member-name input").press("Enter")
    expect(app.locator(".ck-field-members .ck-error")).to_contain_text("trùng")
    row.locator(".ck-member-name input").fill("Hà Văn Tú")
    row.locator(".ck-member-name input").press("Enter")
    expect(app.locator(".ck-field-members .ck-error")).to_have_text("")
    _type(app, "current_liabilities", "5.000.000.000")
    expect(app.locator(".ck-field-current_liabilities .ck-error")).to_contain_text("không thể lớn hơn")
    assert "Traceback" not in page.locator("body").inner_text()


def test_member_income_workbook_explains_a_loss_in_english(voila_server, make_page):
    page = make_page(locale="en-US")
    app = open_app(page, voila_server, "11_member_income.ipynb", lang="en")
    _type(app, "surplus", "-80,000,000")
    expect(app.locator(".ck-loss")).to_contain_text("lost ₫80,000,000")
    expect(_cell(app, "to_members")).to_have_text(fmt.money(0, "en"))
    expect(app.locator(".ck-field-surplus .ck-error")).to_have_text("")
