"""Workbook 07, crop mix: the app (coopkit.ui.cropmix_app) without a browser."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopkit.cropmix import InfeasiblePlan, best_crop_mix, son_la_example


@pytest.fixture
def app():
    from coopkit.ui.cropmix_app import CropMixApp

    return CropMixApp(lang="vi")


def test_app_starts_with_the_son_la_plan(app):
    crops, farm = son_la_example()
    assert app.result == best_crop_mix(crops, farm)
    assert app.error is None
    html = app.results.value
    for c in crops:
        assert f'data-key="area_ha:{c.key}"' in html
    assert f'data-value="{app.result.total_margin!r}"' in html
    assert "Đất là giới hạn chặt" in html
    assert app.chart.value[:4] == b"\x89PNG"
    assert app.product_choice.layout.display == "none"


def test_app_recomputes_when_the_land_changes(app):
    crops, farm = son_la_example()
    app.control("land_ha").value = 45
    assert app.result == best_crop_mix(crops, replace(farm, land_ha=45))
    assert f'data-value="{app.result.area("ca_phe")!r}"' in app.results.value


def test_app_price_and_largest_area_reach_the_domain(app):
    crops, farm = son_la_example()
    app.control("price_per_kg:ngo").value = 20_000
    app.control("max_area_ha:man").value = 5
    changed = tuple(
        replace(c, price_per_kg=20_000) if c.key == "ngo" else replace(c, max_area_ha=5) if c.key == "man" else c
        for c in crops
    )
    assert app.result == best_crop_mix(changed, farm)


def test_app_shows_an_impossible_contract_beside_its_box(app):
    app.control("min_output_kg:ca_phe").value = 200_000  # 200 t of coffee needs 80 ha
    assert isinstance(app.error, InfeasiblePlan)
    text = app.control("min_output_kg:ca_phe").error_text
    assert "200 tấn Cà phê chè" in text and "80 ha" in text and "50 ha" in text
    assert "ck-stale" in app.results._dom_classes
    app.control("min_output_kg:ca_phe").value = 40_000
    assert app.error is None and app.control("min_output_kg:ca_phe").error_text == ""


def test_app_switches_language(app):
    app.set_lang("en")
    assert "Land is a binding limit" in app.results.value
    assert app.title.value == "<h2>Crop mix: what to plant, and how many hectares?</h2>"
    assert app.control("price_per_kg:cam").label_text() == "Price per kg – Oranges"
