"""Workbook 5 (output plan) in a real browser: area in sào, a wrong loss, the processing chain."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import data, fmt, processing, units, yields

from .conftest import open_app, result_cell as _cell, type_into as _type

pytestmark = pytest.mark.browser


def test_yield_plan_follows_area_in_sao_and_explains_a_wrong_loss(voila_server, page):
    app = open_app(page, voila_server, "05_yield_plan.ipynb")
    oranges = data.load_products()["cam_lac_thuy"]
    plan = yields.plan_from_template(oranges)
    expect(app.locator(".ck-title")).to_have_text("Kế hoạch sản lượng và chuỗi chế biến")
    expect(_cell(app, "marketable_kg")).to_have_text(fmt.number(plan.marketable_kg, "vi"))
    expect(_cell(app, "revenue")).to_have_text(fmt.money(plan.revenue, "vi"))
    expect(app.locator(".ck-chart img").first).to_be_visible()

    # The orchard measured in sào Bắc Bộ: 100 sào = 3.6 ha.
    app.locator(".ck-field-area_ha select").select_option(label="sào Bắc Bộ (360 m²)")
    # Wait for the box to show the same orchard in sào before typing (the kernel converts it).
    shown = fmt.number(units.ha_to_area(plan.area_ha, "sao_bac_bo"), "vi", decimals=3)
    expect(app.locator(".ck-field-area_ha input").first).to_have_value(shown)
    _type(app, "area_ha", "100")
    expected = yields.marketable_output(units.area_to_ha(100, "sao_bac_bo"), plan.yield_kg_per_ha, plan.loss_rate)
    expect(_cell(app, "marketable_kg")).to_have_text(fmt.number(expected, "vi"))
    expect(_cell(app, "marketable_kg")).to_have_attribute("data-value", repr(expected))

    _type(app, "loss_rate", "120")
    error = app.locator(".ck-field-loss_rate .ck-error")
    expect(error).to_contain_text("Hao hụt sau thu hoạch")
    expect(error).to_contain_text("120%")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    assert "Traceback" not in page.locator("body").inner_text()

    _type(app, "loss_rate", "10")
    expect(error).to_have_text("")
    expected = yields.marketable_output(3.6, plan.yield_kg_per_ha, 0.10)
    expect(_cell(app, "marketable_kg")).to_have_attribute("data-value", repr(expected))

    _type(app, "grade_share-loai_3", "0")
    expect(app.locator(".ck-field-grade_share-loai_3 .ck-error")).to_contain_text("90%")


def test_processing_chain_in_english(voila_server, page):
    app = open_app(page, voila_server, "05_yield_plan.ipynb", lang="en")
    expect(app.locator(".ck-title")).to_have_text("Output plan and processing chain")
    _type(app, "sales_target_kg", "40")  # tonnes of roasted coffee
    coffee = processing.chain_plan(processing.CHAINS["ca_phe_robusta"].steps, 40_000, 15_000)
    # quantities in tonnes, like the target; the cost of a kg stays per kg (issue 10 §6)
    expect(_cell(app, "raw_material_kg")).to_have_text(fmt.by_kind(coffee.raw_material_kg / 1000, "number", "en"))
    expect(app.locator(".ck-results")).to_contain_text("Raw material to buy: fresh coffee cherry (tonnes)")
    expect(_cell(app, "final_cost_per_kg")).to_have_text(fmt.money(coffee.final_cost_per_kg, "en"))
    app.locator(".ck-chain select").select_option(label="Made tea")
    tea = processing.chain_plan(processing.CHAINS["che"].steps, 40_000, processing.CHAINS["che"].raw_price_per_kg)
    expect(_cell(app, "raw_material_kg")).to_have_text(fmt.by_kind(tea.raw_material_kg / 1000, "number", "en"))
    expect(page.locator(".ck-lang-en.ck-header h1")).to_contain_text("Output plan")
