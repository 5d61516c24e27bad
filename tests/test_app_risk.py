"""Workbook 06, production risk: the app (coopkit.ui.risk_app) without a browser."""

from __future__ import annotations

import numpy as np
import pytest

from coopkit import data, reference, risk


@pytest.fixture(scope="module")
def coffee():
    return data.load_products()["ca_phe_nhan_son_la"]


def test_app_starts_from_the_reference_ranges(coffee):
    from coopkit.ui.risk_app import SEED, ProductionRiskApp

    app = ProductionRiskApp()
    defaults = app.defaults
    expected = risk.simulate_profit(defaults["price_per_unit"], defaults["variable_cost_per_unit"],
                                    volume=defaults["harvest"][1], fixed_costs=round(coffee.cost_summary().fixed_costs),
                                    seed=SEED)
    assert app.error is None
    assert app.result.probability_of_loss == pytest.approx(expected.summary.probability_of_loss, abs=1e-9)
    assert f'data-key="probability_of_loss:market" data-value="{expected.summary.probability_of_loss!r}"' in app.results.value
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    swings = reference.price_swings(reference.load_world_prices(), "robusta")
    assert defaults["price_per_unit"].minimum == pytest.approx(coffee.price_per_unit * (1 + swings.p10_change))
    assert "Ngân hàng Thế giới" in app.results.value


def test_app_price_range_changes_the_probability_of_loss():
    from coopkit.ui.risk_app import ProductionRiskApp

    app = ProductionRiskApp()
    before = app.result.probability_of_loss
    app.control("price_per_unit").value = (80_000, 100_000, 120_000)
    assert app.result.market.inputs["price_per_unit"].max() <= 120_000
    assert app.result.probability_of_loss > before
    assert app.results.value.count("data-key=\"probability_of_loss:market\"") == 1


def test_app_contract_share_of_one_hundred_percent_is_allowed():
    from coopkit.ui.risk_app import ProductionRiskApp

    app = ProductionRiskApp()
    app.control("contract_share").value = 1.0
    assert app.error is None
    contract = app.result.contract
    price = app.control("contract_price").read()
    expected = contract.inputs["volume"] * (price - contract.inputs["variable_cost_per_unit"]) - contract.inputs["fixed_costs"]
    assert np.allclose(contract.profit, expected)  # the market price no longer matters
    assert np.ptp(contract.profit) > 0  # harvest and cost risk stay


def test_app_shows_min_above_max_beside_the_box_in_both_languages():
    from coopkit.ui.risk_app import ProductionRiskApp

    app = ProductionRiskApp()
    good = app.result
    price = app.control("price_per_unit")
    price.value = (150_000, 115_000, 130_000)
    assert app.error is not None and app.error.reason == "range_min_above_max"
    assert app.result is good  # last good result kept
    assert "150.000\xa0₫" in price.error_text and "cao hơn" in price.error_text
    app.set_lang("en")
    assert "₫150,000" in price.error_text and "above" in price.error_text
    price.value = (90_000, 115_000, 130_000)
    assert app.error is None and price.error_text == ""


def test_app_on_a_product_with_area_uses_yield_per_hectare():
    from coopkit.ui.risk_app import SEED, ProductionRiskApp

    app = ProductionRiskApp("cam_lac_thuy", "en")
    assert app.control("yield_kg_per_ha") is not None and app.control("volume") is None
    app.control("area_ha").value = 5
    v = {c.field: c.read() for c in app.controls}
    expected = risk.simulate_profit(v["price_per_unit"], v["variable_cost_per_unit"], area_ha=5,
                                    yield_kg_per_ha=v["yield_kg_per_ha"], fixed_costs=v["fixed_costs"], seed=SEED)
    assert np.array_equal(app.result.market.profit, expected.profit)
    app.product_choice.value = "trung_son_nam"
    assert app.control("volume") is not None and app.error is None
