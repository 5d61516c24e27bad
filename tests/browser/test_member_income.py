"""Workbook 11 (member income and financial health) in a real browser, as a manager uses it.

The page's numbers are checked against `coopkit.members.distribute_surplus` (Law on Cooperatives
2023) and `coopkit.health.financial_health`; bad input must be explained beside its box, and
capital beyond Art. 74 warned beside the member table without blocking the results.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import fmt
from coopkit.health import Statement, financial_health
from coopkit.members import Member, distribute_surplus, example_members, load_funds
from coopkit.ui.members_app import EXAMPLE_INTERNAL_SURPLUS, EXAMPLE_SURPLUS

from .conftest import open_app, result_cell as _cell, type_into as _type

pytestmark = pytest.mark.browser


def test_member_income_workbook_shares_the_surplus_and_explains_bad_input(voila_server, page):
    app = open_app(page, voila_server, "11_member_income.ipynb")
    expect(app.locator(".ck-title")).to_have_text("Lãi của HTX về tay thành viên thế nào?")
    start = distribute_surplus(EXAMPLE_SURPLUS, example_members(), internal_surplus=EXAMPLE_INTERNAL_SURPLUS,
                               funds=load_funds())
    expect(_cell(app, "to_members")).to_have_text(fmt.money(start.to_members, "vi"))
    expect(_cell(app, "indivisible_fund")).to_have_text(fmt.money(start.indivisible_fund, "vi"))
    expect(_cell(app, "total:Lò Văn Bình")).to_have_text(fmt.money(start.member("Lò Văn Bình")["total"], "vi"))
    expect(page.locator(".ck-lesson-example b")).to_have_text(fmt.money(17_955_000, "vi"))
    health = financial_health(Statement())
    expect(app.locator('[data-key="band:operating_profit_margin"]')).to_have_text("kém hơn ngưỡng nông trại Mỹ")
    expect(app.locator('[data-key="health:current_ratio"]')).to_have_text(
        fmt.number(health.ratio("current_ratio").value, "vi", decimals=2))
    expect(app.locator(".ck-chart img")).to_be_visible()

    # 20 % tax and everything left from internal income by use.
    _type(app, "income_tax_rate", "20")
    _type(app, "use_share", "100")
    expected = distribute_surplus(EXAMPLE_SURPLUS, example_members(), internal_surplus=EXAMPLE_INTERNAL_SURPLUS,
                                  income_tax_rate=0.2, use_share=1.0, funds=load_funds())
    expect(_cell(app, "income_tax")).to_have_text(fmt.money(expected.income_tax, "vi"))
    expect(_cell(app, "total:Quàng Văn Minh")).to_have_text(fmt.money(expected.member("Quàng Văn Minh")["total"], "vi"))

    # Edit the member table: an eighth member who puts in much capital (a warning, not an error).
    app.locator(".ck-member-add").click()
    expect(app.locator(".ck-member-row")).to_have_count(8)  # the kernel has added the row
    row = app.locator(".ck-member-row").nth(7)
    row.locator(".ck-member-name input").fill("Hà Văn Tú")
    row.locator(".ck-member-name input").press("Enter")
    row.locator(".ck-member-transactions input").fill("60.000.000")
    row.locator(".ck-member-transactions input").press("Enter")
    row.locator(".ck-member-capital input").fill("200.000.000")
    row.locator(".ck-member-capital input").press("Enter")
    with_tu = distribute_surplus(EXAMPLE_SURPLUS, [*example_members(), Member("Hà Văn Tú", 60_000_000, 200_000_000)],
                                 internal_surplus=EXAMPLE_INTERNAL_SURPLUS, income_tax_rate=0.2, use_share=1.0, funds=load_funds())
    expect(_cell(app, "total:Hà Văn Tú")).to_have_text(fmt.money(with_tu.member("Hà Văn Tú")["total"], "vi"))
    expect(app.locator(".ck-field-members .ck-capital-warning")).to_contain_text("Hà Văn Tú nắm 43,5% vốn điều lệ")
    expect(app.locator(".ck-field-members .ck-capital-warning")).to_contain_text("Điều 74")
    expect(app.locator(".ck-error-summary")).to_have_text("")
    row.locator(".ck-member-capital input").fill("0")
    row.locator(".ck-member-capital input").press("Enter")
    expect(app.locator(".ck-field-members .ck-capital-warning")).to_have_text("")

    # Books kept together: everything counts as external, nothing is paid by use (Art. 85).
    app.locator(".ck-field-books button", has_text="Không, hạch toán chung").click()
    expect(app.locator(".ck-books-note")).to_contain_text("Điều 85")
    expect(_cell(app, "by_transactions")).to_have_text(fmt.money(0, "vi"))
    expect(app.locator(".ck-field-internal_surplus")).to_be_hidden()
    app.locator(".ck-field-books button", has_text="Có, hạch toán riêng").click()
    expect(app.locator(".ck-field-internal_surplus")).to_be_visible()

    # Bad input: beside its box, results marked as not updated, no traceback.
    _type(app, "use_share", "40")
    expect(app.locator(".ck-field-use_share .ck-error")).to_contain_text("Điều 86")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    _type(app, "use_share", "70")
    _type(app, "fund_share-dau_tu_phat_trien", "120")
    expect(app.locator(".ck-field-fund_share-dau_tu_phat_trien .ck-error")).to_contain_text("100%")
    _type(app, "fund_share-dau_tu_phat_trien", "10")
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
    expect(app.locator('[data-key="band:operating_profit_margin"]')).to_have_text("beyond the US farm limits")
