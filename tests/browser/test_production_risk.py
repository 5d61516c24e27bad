"""Workbook 6 (production risk) in a real browser: the real-data charts, then the risk app."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import data, fmt, risk
from coopkit.ui.risk_app import DRAWS, SEED, default_ranges

from .conftest import open_app, result_cell as _cell

pytestmark = pytest.mark.browser

NOTEBOOK = "06_production_risk.ipynb"


def _type_range(app, field: str, values: tuple[str, str, str]) -> None:
    for part, text in zip(("minimum", "most_likely", "maximum"), values, strict=True):
        box = app.locator(f".ck-field-{field} .ck-range-{part} input")
        box.fill(text)
        box.press("Enter")


def _shown(value: risk.Estimate) -> tuple[float, float, float]:
    """The range as the boxes show it (whole numbers), which is what the app computes with."""
    return tuple(float(round(v)) for v in value.as_tuple())


def _expected(price: tuple[float, float, float]) -> risk.ProfitSimulation:
    coffee = data.load_products()["ca_phe_nhan_son_la"]
    ranges = default_ranges(coffee)
    return risk.simulate_profit(price, _shown(ranges["variable_cost_per_unit"]), volume=_shown(ranges["harvest"][1]),
                                fixed_costs=round(coffee.cost_summary().fixed_costs), draws=DRAWS, seed=SEED)


def test_price_range_updates_the_probability_of_loss_and_bad_ranges_are_explained(voila_server, page):
    app = open_app(page, voila_server, NOTEBOOK)
    expect(app.locator(".ck-title")).to_have_text("Rủi ro sản xuất: mùa tới lãi hay lỗ?")
    expect(page.locator(".ck-figure img")).to_have_count(3)
    expect(app.locator(".ck-chart img")).to_be_visible()

    coffee = data.load_products()["ca_phe_nhan_son_la"]
    start = _expected(_shown(default_ranges(coffee)["price_per_unit"]))
    loss = _cell(app, "probability_of_loss:market")
    expect(loss).to_have_text(fmt.percent(start.summary.probability_of_loss, "vi"))

    # A narrower, lower price range: 80.000 – 100.000 – 120.000 ₫/kg
    _type_range(app, "price_per_unit", ("80.000", "100.000", "120.000"))
    lower = _expected((80_000.0, 100_000.0, 120_000.0))
    expect(loss).to_have_attribute("data-value", repr(lower.summary.probability_of_loss))
    expect(loss).to_have_text(fmt.percent(lower.summary.probability_of_loss, "vi"))
    expect(_cell(app, "p50_profit:market")).to_have_text(fmt.money(lower.summary.p50_profit, "vi"))
    assert lower.summary.probability_of_loss > start.summary.probability_of_loss

    # Lowest above highest: the message sits beside the boxes, the results are marked stale
    box = app.locator(".ck-field-price_per_unit .ck-range-minimum input")
    box.fill("150.000")
    box.press("Enter")
    error = app.locator(".ck-field-price_per_unit .ck-error")
    expect(error).to_contain_text("giá trị thấp nhất (150.000")
    expect(error).to_contain_text("cao hơn giá trị cao nhất (120.000")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    expect(loss).to_have_attribute("data-value", repr(lower.summary.probability_of_loss))
    assert "Traceback" not in page.locator("body").inner_text()

    box.fill("80.000")
    box.press("Enter")
    expect(error).to_have_text("")


def test_the_workbook_switches_to_english(voila_server, page):
    app = open_app(page, voila_server, NOTEBOOK)
    page.locator(".ck-lang button", has_text="English").click()
    expect(app.locator(".ck-title")).to_have_text("Production risk: profit or loss next season?")
    expect(page.locator(".ck-lang-en.ck-header h1")).to_contain_text("Production risk")
    expect(app.locator(".ck-field-price_per_unit .ck-range-caption").first).to_have_text("lowest")
