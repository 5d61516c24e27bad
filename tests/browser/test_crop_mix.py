"""Workbook 7 (crop mix) in a real browser: the areas follow the land, an impossible contract
is explained beside its box. Values on the page are checked against `best_crop_mix`."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from coopkit import fmt
from coopkit.cropmix import best_crop_mix, son_la_example

from .conftest import open_app, result_cell as _cell, type_into as _type

pytestmark = pytest.mark.browser


def test_crop_mix_follows_the_land_and_explains_an_impossible_contract(voila_server, page):
    app = open_app(page, voila_server, "07_crop_mix.ipynb")
    crops, farm = son_la_example()
    expect(app.locator(".ck-title")).to_have_text("Cơ cấu cây trồng: trồng gì, bao nhiêu ha?")
    start = best_crop_mix(crops, farm)
    expect(_cell(app, "total_margin")).to_have_text(fmt.money(start.total_margin, "vi"))
    for crop, area in zip(crops, start.areas_ha, strict=True):
        expect(_cell(app, f"area_ha:{crop.key}")).to_have_attribute("data-value", repr(area))
    expect(app.locator(".ck-chart img")).to_be_visible()
    expect(app.locator(".ck-explain")).to_contain_text("Đất là giới hạn chặt")

    _type(app, "land_ha", "45")
    smaller = best_crop_mix(crops, replace(farm, land_ha=45))
    assert smaller.areas_ha != start.areas_ha
    for crop, area in zip(crops, smaller.areas_ha, strict=True):
        expect(_cell(app, f"area_ha:{crop.key}")).to_have_attribute("data-value", repr(area))
        expect(_cell(app, f"area_ha:{crop.key}")).to_have_text(fmt.by_kind(area, "number", "vi"))
    expect(_cell(app, "total_margin")).to_have_text(fmt.money(smaller.total_margin, "vi"))

    _type(app, "min_output_kg-ca_phe", "200")  # 200 tấn of coffee needs 80 ha; there are 45
    error = app.locator(".ck-field-min_output_kg-ca_phe .ck-error")
    expect(error).to_contain_text("hợp đồng 200 tấn Cà phê chè cần ít nhất 80 ha")
    expect(error).to_contain_text("chỉ có 45 ha")
    expect(app.locator(".ck-error-summary")).to_contain_text("Không có cách trồng nào")
    assert "Traceback" not in page.locator("body").inner_text()

    _type(app, "min_output_kg-ca_phe", "40")
    expect(error).to_have_text("")
    expect(_cell(app, "total_margin")).to_have_text(fmt.money(smaller.total_margin, "vi"))


def test_crop_mix_in_english_explains_a_bad_price(voila_server, page):
    app = open_app(page, voila_server, "07_crop_mix.ipynb", lang="en")
    expect(app.locator(".ck-title")).to_have_text("Crop mix: what to plant, and how many hectares?")
    expect(app.locator(".ck-explain")).to_contain_text("Labour in November is a binding limit")
    _type(app, "price_per_kg-cam", "-1")
    expect(app.locator(".ck-field-price_per_kg-cam .ck-error")).to_contain_text("Price per kg – Oranges cannot be negative")
