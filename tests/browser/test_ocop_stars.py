"""Workbook 12 (OCOP stars) in a real browser, on a phone-sized screen in Vietnamese.

The manager unticks a mandatory criterion and sees the star fall; the page's numbers are checked
against `coopkit.ocop` with the same inputs; bad input is explained beside its box.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import fmt, ocop

from .conftest import open_app, result_cell as _cell, settles, type_into as _type

pytestmark = pytest.mark.browser

PHONE = {"width": 412, "height": 900}


def test_ocop_workbook_on_a_phone_scores_caps_the_star_and_weighs_the_upgrade(voila_server, make_page):
    page = make_page(locale="vi-VN", viewport=PHONE)
    app = open_app(page, voila_server, "12_ocop_stars.ipynb")
    expect(app.locator(".ck-title")).to_have_text("Sao OCOP: sản phẩm đang ở đâu, nâng hạng có lời không?")
    honey = ocop.load_ocop_products()["mat_ong"]
    criteria = ocop.load_ocop_criteria("processed")
    expect(_cell(app, "total")).to_have_text(fmt.number(ocop.assess(criteria, honey.met).total, "vi"))
    expect(_cell(app, "star")).to_have_text("★★★☆☆ (3 sao)")
    expect(app.locator(".ck-ocop-plan")).to_contain_text("Nhãn hiệu được bảo hộ")
    expect(app.locator(".ck-chart img")).to_be_visible()

    # Each criterion's name wraps inside the phone's width: the page never scrolls sideways.
    tick = app.locator(".ck-criterion-c_test_results")
    expect(tick).to_contain_text("Phiếu kết quả kiểm nghiệm")
    box = tick.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"] + 1, box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    # The lab results expire: untick them. 58 points, but 2 stars, and the page says why.
    with settles(app):
        tick.locator("input").click()
    after = ocop.assess(criteria, honey.met - {"c_test_results"})
    expect(_cell(app, "total")).to_have_text(fmt.number(after.total, "vi"))
    expect(_cell(app, "star")).to_have_text("★★☆☆☆ (2 sao)")
    expect(app.locator(".ck-ocop-capped")).to_contain_text("còn thiếu tiêu chí bắt buộc")
    expect(_cell(app, "mandatory_missing")).to_contain_text("Phiếu kết quả kiểm nghiệm")

    # The upgrade to 3 stars, with the app's own cost range typed again: the NPV shown is coopkit's.
    _type(app, "upgrade_cost", "23.000.000")  # the first of the three boxes: the lowest cost
    plan = ocop.cheapest_upgrade(criteria, after.met)
    upgrade = ocop.StarUpgrade(
        (23e6, plan.cost_mid + 20e6, plan.cost_high + 20e6), 6_000, 260_000,
        float(app.locator(".ck-field-variable_cost_per_unit input").first.input_value().replace(".", "")),
        (0, 0.02, 0.10), (0, 0.05, 0.20), upkeep_per_year=15e6, rerating_cost=20e6, years=6)
    npv = ocop.appraise_upgrade(upgrade).npv
    shown = float(_cell(app, "npv").get_attribute("data-value"))
    assert shown == pytest.approx(npv, rel=1e-4, abs=2e5)  # the variable cost box shows whole đồng

    # A premium range in the wrong order is explained beside its boxes; nothing breaks.
    _type(app, "price_premium", "50")
    expect(app.locator(".ck-field-price_premium .ck-error")).to_contain_text("đang cao hơn giá trị cao nhất (10%)")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    assert "Traceback" not in page.locator("body").inner_text()
