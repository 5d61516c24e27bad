"""Tests for coopkit.demand: worked examples, edge cases, invariants, bad input and regressions."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from helpers import assert_input_error
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit import i18n
from coopkit.demand import (
    DEMAND_MODELS,
    POOR_FIT_R_SQUARED,
    BestPrice,
    DemandCurve,
    best_price,
    example_sales,
    fit_demand,
    model_label,
    plan_demand,
    price_response,
)
from coopkit.errors import InputError
from coopkit.pricing import Channel, channel_result

# Hòa Bình oranges: three remembered weeks (illustrative figures).
PRICES = [30_000, 35_000, 40_000]
QUANTITIES = [1_200, 900, 650]

# Channels (illustrative fees, not any platform's published tariff).
MARKET = Channel("cho", "Chợ đầu mối", "Wholesale market")
SUPERMARKET = Channel("sieu_thi", "Siêu thị", "Supermarket", commission_rate=0.25)
ONLINE = Channel(
    "san_tmdt",
    "Sàn thương mại điện tử",
    "Online marketplace",
    commission_rate=0.10,
    payment_fee_rate=0.05,
    packaging_per_order=20_000,
    units_per_order=5,
    vat_rate=0.05,
)
CHANNELS = [MARKET, SUPERMARKET, ONLINE]

COLUMNS = ["price", "quantity_sold", "revenue", "net_revenue", "profit"]


def _grid_max(curve, channel, cost, **kwargs) -> float:
    return float(price_response(curve, channel, variable_cost_per_unit=cost, **kwargs)["profit"].max())


# 1. Worked examples -------------------------------------------------------------------------


def test_linear_through_two_points_exactly() -> None:
    # Slope (650 − 1 200) / (40 000 − 30 000) = −0.055 kg per đồng; a = 1 200 + 0.055 × 30 000 = 2 850.
    curve = fit_demand([30_000, 40_000], [1_200, 650])
    assert curve.kind == "linear"
    assert curve.b == pytest.approx(0.055, rel=1e-10)
    assert curve.a == pytest.approx(2_850, rel=1e-10)
    assert curve.r_squared == pytest.approx(1.0)
    assert curve.warnings == ("demand_exact_fit",)
    assert curve.prices == (30_000.0, 40_000.0) and curve.quantities == (1_200.0, 650.0)


def test_hoa_binh_oranges_by_hand() -> None:
    # Mean price 35 000, mean quantity 916.67. Σ(Δp·Δq) = −5 000 × 283.33 + 5 000 × (−266.67)
    # = −2 750 000; Σ Δp² = 5·10⁷ → b = 0.055; a = 916.67 + 0.055 × 35 000 = 2 841.67.
    # Residuals 8.33, −16.67, 8.33: SS_res = 416.67; SS_tot = 151 666.67 → R² = 0.997253.
    curve = fit_demand(PRICES, QUANTITIES)
    assert curve.b == pytest.approx(0.055, rel=1e-9)
    assert curve.a == pytest.approx(2_841.6667, rel=1e-7)
    assert curve.r_squared == pytest.approx(1 - 416.6667 / 151_666.667, rel=1e-6)
    assert curve.warnings == ()


def test_constant_elasticity_recovers_the_generating_curve() -> None:
    # q = 5·10⁶ · p^(−1.5): 10 000 đ → 5 units; 40 000 đ → 0.625.
    prices = [5_000, 10_000, 20_000, 40_000]
    quantities = [5e6 * p**-1.5 for p in prices]
    curve = fit_demand(prices, quantities, kind="constant_elasticity")
    assert curve.b == pytest.approx(1.5, rel=1e-8)
    assert curve.a == pytest.approx(5e6, rel=1e-6)
    assert curve.r_squared == pytest.approx(1.0)
    assert curve.elasticity(12_345) == pytest.approx(-1.5, rel=1e-8)
    assert curve.warnings == ()


@pytest.mark.parametrize("cost", [0.0, 15_000.0, 30_000.0])
def test_linear_optimum_without_fees(cost: float) -> None:
    # Profit (p − c)(a − b·p) is highest where a − 2b·p + b·c = 0: p* = (a/b + c) / 2.
    curve = DemandCurve("linear", a=2_850, b=0.055)
    expected = (2_850 / 0.055 + cost) / 2
    best = best_price(curve, MARKET, variable_cost_per_unit=cost, price_low=1_000, price_high=60_000)
    assert best.price == pytest.approx(expected, rel=1e-7)
    assert best.quantity == pytest.approx(2_850 - 0.055 * best.price)
    assert best.profit == pytest.approx((best.price - cost) * best.quantity)
    assert best.revenue == pytest.approx(best.net_revenue)
    assert not best.at_edge and not best.capacity_binding


@pytest.mark.parametrize("rate", [0.05, 0.25, 0.4])
def test_linear_optimum_with_a_commission(rate: float) -> None:
    # The cooperative keeps (1 − r)·p: profit ((1 − r)p − c)(a − b·p) peaks at
    # p* = (a/b + c/(1 − r)) / 2.
    curve = DemandCurve("linear", a=2_850, b=0.055)
    channel = Channel("ch", "Kênh", "Channel", commission_rate=rate)
    best = best_price(curve, channel, variable_cost_per_unit=15_000, price_low=1_000, price_high=60_000)
    assert best.price == pytest.approx((2_850 / 0.055 + 15_000 / (1 - rate)) / 2, rel=1e-7)
    assert best.net_revenue == pytest.approx((1 - rate) * best.revenue)


def test_linear_optimum_with_every_fee() -> None:
    # Kept share k = 1 − 0.10 − 0.05 − 0.05/1.05; per-order costs d = 20 000 / 5 = 4 000 per unit.
    # Profit (k·p − d − c)(a − b·p) peaks at p* = (a/b + (c + d)/k) / 2.
    k = 1 - 0.10 - 0.05 - 0.05 / 1.05
    curve = DemandCurve("linear", a=2_850, b=0.055)
    best = best_price(curve, ONLINE, variable_cost_per_unit=15_000, price_low=1_000, price_high=60_000)
    assert best.price == pytest.approx((2_850 / 0.055 + (15_000 + 4_000) / k) / 2, rel=1e-7)


def test_constant_elasticity_optimum_is_the_markup_rule() -> None:
    # Profit (k·p − d − c)·a·p^(−b) peaks at p* = b (c + d) / (k (b − 1)); b = 1.5, c = 15 000,
    # no fees: p* = 3 × 15 000 = 45 000.
    curve = DemandCurve("constant_elasticity", a=5e6, b=1.5)
    best = best_price(curve, MARKET, variable_cost_per_unit=15_000, price_low=10_000, price_high=100_000)
    assert best.price == pytest.approx(45_000, rel=1e-6)
    best = best_price(curve, SUPERMARKET, variable_cost_per_unit=15_000, price_low=10_000, price_high=100_000)
    assert best.price == pytest.approx(1.5 * 15_000 / (0.75 * 0.5), rel=1e-6)


def test_capacity_moves_the_optimum_to_where_demand_equals_it() -> None:
    # Without a limit: p* = 33 333 đ and 1 008 kg. With only 800 kg a week, the price rises
    # until buyers take 800 kg: 2 841.67 − 0.055 p = 800 → p = 37 121.2 đ.
    curve = fit_demand(PRICES, QUANTITIES)
    free = best_price(curve, MARKET, variable_cost_per_unit=15_000)
    assert free.quantity > 800
    best = best_price(curve, MARKET, variable_cost_per_unit=15_000, capacity=800)
    assert best.price == pytest.approx((curve.a - 800) / curve.b, rel=1e-9)
    assert best.quantity == pytest.approx(800)
    assert best.capacity_binding
    assert best.profit == pytest.approx((best.price - 15_000) * 800)
    assert best.profit < free.profit
    assert best.profit >= _grid_max(curve, MARKET, 15_000, capacity=800)


def test_capacity_above_the_free_optimum_does_not_bind() -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    free = best_price(curve, MARKET, variable_cost_per_unit=15_000)
    capped = best_price(curve, MARKET, variable_cost_per_unit=15_000, capacity=5_000)
    assert capped.price == pytest.approx(free.price, rel=1e-9)
    assert not capped.capacity_binding and not free.capacity_binding


def test_price_response_profit_is_the_formula_per_row() -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    table = price_response(curve, ONLINE, variable_cost_per_unit=15_000, fixed_costs=2_000_000, capacity=1_000, points=41)
    assert list(table.columns) == COLUMNS
    assert len(table) == 41
    assert table["price"].is_monotonic_increasing
    assert table["price"].iloc[0] == pytest.approx(15_000) and table["price"].iloc[-1] == pytest.approx(60_000)
    for row in table.itertuples():
        net = channel_result(ONLINE, list_price=row.price).net_per_unit
        sold = min(max(curve.a - curve.b * row.price, 0.0), 1_000)
        assert row.quantity_sold == pytest.approx(sold, abs=1e-9)
        assert row.revenue == pytest.approx(row.price * sold, abs=1e-6)
        assert row.net_revenue == pytest.approx(net * sold, abs=1e-6)
        assert row.profit == pytest.approx((net - 15_000) * sold - 2_000_000, abs=1e-6)


def test_best_price_beats_every_row_of_the_table() -> None:
    for kind in DEMAND_MODELS:
        curve = fit_demand(PRICES, QUANTITIES, kind=kind)
        for channel in CHANNELS:
            for capacity in (None, 700, 1_000, 1_500):
                best = best_price(curve, channel, variable_cost_per_unit=15_000, capacity=capacity)
                for points in (61, 7, 500):
                    table = price_response(curve, channel, variable_cost_per_unit=15_000, capacity=capacity, points=points)
                    assert best.profit >= table["profit"].max() - 1e-9 * abs(best.profit), (kind, channel.key, capacity)


def test_model_labels() -> None:
    assert model_label("linear", "vi") == "Đường thẳng"
    assert model_label("constant_elasticity", "en") == "Constant elasticity"


# 2. Edge cases ------------------------------------------------------------------------------


def test_quantity_float_and_array_never_negative() -> None:
    curve = DemandCurve("linear", a=2_850, b=0.055)
    assert isinstance(curve.quantity(30_000), float)
    assert curve.quantity(30_000) == pytest.approx(1_200)
    assert curve.quantity(100_000) == 0.0
    prices = np.array([[10_000, 50_000], [60_000, 80_000]])
    q = curve.quantity(prices)
    assert isinstance(q, np.ndarray) and q.shape == (2, 2)
    assert (q >= 0).all() and q[1, 1] == 0
    ce = DemandCurve("constant_elasticity", a=5e6, b=1.5)
    assert ce.quantity(np.array([10_000.0]))[0] == pytest.approx(5.0)


def test_elasticity_of_a_linear_curve() -> None:
    # −b·p / (a − b·p) = −0.055 × 30 000 / 1 200 = −1.375; unit elastic at a / 2b.
    curve = DemandCurve("linear", a=2_850, b=0.055)
    assert curve.elasticity(30_000) == pytest.approx(-1.375)
    assert curve.elasticity(2_850 / 0.11) == pytest.approx(-1.0)
    assert curve.elasticity(60_000) == -math.inf
    assert DemandCurve("linear", a=500, b=0.0).elasticity(30_000) == 0.0


def test_fixed_costs_lower_the_profit_but_not_the_price() -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    without = best_price(curve, MARKET, variable_cost_per_unit=15_000)
    with_fixed = best_price(curve, MARKET, variable_cost_per_unit=15_000, fixed_costs=5_000_000)
    assert with_fixed.price == pytest.approx(without.price, rel=1e-9)
    assert with_fixed.profit == pytest.approx(without.profit - 5_000_000)


def test_default_range_is_half_the_lowest_to_one_and_a_half_the_highest() -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    best = best_price(curve, MARKET, variable_cost_per_unit=15_000)
    assert (best.price_low, best.price_high) == (15_000, 60_000)
    table = price_response(curve, MARKET, variable_cost_per_unit=15_000)
    assert len(table) == 61 and table["price"].iloc[[0, -1]].tolist() == [15_000, 60_000]


def test_a_range_from_zero_starts_just_above_it() -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    table = price_response(curve, MARKET, variable_cost_per_unit=15_000, price_low=0, price_high=50_000, points=11)
    assert table["price"].iloc[0] > 0
    assert best_price(curve, MARKET, variable_cost_per_unit=15_000, price_low=0, price_high=50_000).price_low > 0


def test_a_curve_written_down_needs_a_range() -> None:
    curve = DemandCurve("linear", a=2_850, b=0.055)
    with pytest.raises(InputError) as excinfo:
        best_price(curve, MARKET, variable_cost_per_unit=15_000)
    assert_input_error(excinfo, "price_high", "empty")
    with pytest.raises(InputError) as excinfo:
        price_response(curve, MARKET, variable_cost_per_unit=15_000, price_high=50_000)
    assert_input_error(excinfo, "price_low", "empty")


def test_wrong_sign_data_warns_and_the_best_price_is_at_the_edge() -> None:
    curve = fit_demand(PRICES, [600, 900, 1_200])
    assert curve.b < 0
    assert "demand_wrong_sign" in curve.warnings
    best = best_price(curve, MARKET, variable_cost_per_unit=15_000)
    assert best.at_edge and best.price == pytest.approx(best.price_high)


def test_noisy_data_warns_of_a_poor_fit() -> None:
    rng = np.random.default_rng(20240611)
    prices = np.linspace(25_000, 45_000, 10)
    quantities = np.clip(2_800 - 0.05 * prices + rng.normal(0, 600, prices.size), 0, None)
    curve = fit_demand(prices, quantities)
    assert curve.r_squared < POOR_FIT_R_SQUARED
    assert "demand_poor_fit" in curve.warnings


def test_equal_quantities_warn_of_no_response() -> None:
    curve = fit_demand(PRICES, [900, 900, 900])
    assert curve.warnings == ("demand_flat",)
    assert curve.b == pytest.approx(0, abs=1e-12)
    assert best_price(curve, MARKET, variable_cost_per_unit=15_000).at_edge


def test_inelastic_constant_elasticity_warns() -> None:
    prices = [20_000, 30_000, 40_000]
    curve = fit_demand(prices, [3e5 * p**-0.5 for p in prices], kind="constant_elasticity")
    assert curve.b == pytest.approx(0.5, rel=1e-8)
    assert curve.warnings == ("demand_inelastic",)
    assert best_price(curve, MARKET, variable_cost_per_unit=15_000).at_edge


def test_a_zero_quantity_is_fine_for_a_straight_line() -> None:
    curve = fit_demand([30_000, 40_000, 50_000], [1_000, 400, 0])
    assert curve.b > 0 and curve.quantity(60_000) == 0.0


@pytest.mark.parametrize(
    ("prices", "quantities", "kind", "key"),
    [
        ([30_000, 40_000], [1_200, 650], "linear", "demand_exact_fit"),
        ([30_000, 35_000, 40_000], [600, 900, 1_200], "linear", "demand_wrong_sign"),
        ([30_000, 35_000, 40_000], [900, 900, 900], "linear", "demand_flat"),
        ([20_000, 40_000, 30_000], [2_121.3, 1_500, 1_732.1], "constant_elasticity", "demand_inelastic"),
        ([25_000, 30_000, 35_000, 40_000], [900, 1_300, 700, 1_000], "linear", "demand_poor_fit"),
    ],
)
def test_every_warning_reads_in_both_languages(prices, quantities, kind, key) -> None:
    curve = fit_demand(prices, quantities, kind=kind)
    assert key in curve.warnings
    vi, en = curve.warning_messages("vi"), curve.warning_messages("en")
    assert len(vi) == len(en) == len(curve.warnings)
    for text_vi, text_en in zip(vi, en, strict=True):
        assert text_vi.strip() and text_en.strip() and text_vi != text_en
        assert "{" not in text_vi + text_en and "demand.warning" not in text_vi + text_en
    assert i18n.has(f"demand.warning.{key.removeprefix('demand_')}", "vi")


def test_best_price_to_frame() -> None:
    best = best_price(fit_demand(PRICES, QUANTITIES), MARKET, variable_cost_per_unit=15_000)
    table = best.to_frame().set_index("key")["value"]
    assert table["price"] == best.price and table["capacity_binding"] == 0.0
    assert isinstance(best, BestPrice)


def test_curve_to_frame_has_the_data_and_the_fit() -> None:
    table = fit_demand(PRICES, QUANTITIES).to_frame()
    assert list(table.columns) == ["price", "quantity", "fitted_quantity"]
    assert table["quantity"].tolist() == QUANTITIES
    assert table["fitted_quantity"].tolist() == pytest.approx([1_191.667, 916.667, 641.667], rel=1e-5)


# 3. Invariants ------------------------------------------------------------------------------

distinct_prices = st.lists(
    st.integers(min_value=5, max_value=200).map(lambda k: k * 1_000.0), min_size=2, max_size=6, unique=True
)


@settings(max_examples=40)
@given(prices=distinct_prices, b=st.floats(0.001, 0.2), headroom=st.floats(10, 5_000))
def test_linear_fit_reproduces_exact_data(prices, b, headroom) -> None:
    a = b * max(prices) + headroom  # every quantity positive
    quantities = [a - b * p for p in prices]
    curve = fit_demand(prices, quantities)
    assert curve.quantity(np.array(prices)) == pytest.approx(quantities, rel=1e-7, abs=1e-6)
    assert curve.b == pytest.approx(b, rel=1e-6)
    assert curve.r_squared == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=40)
@given(prices=distinct_prices, b=st.floats(0.2, 4.0), q_at_mid=st.floats(10, 1e5))
def test_constant_elasticity_fit_reproduces_exact_data(prices, b, q_at_mid) -> None:
    a = q_at_mid * 50_000.0**b
    quantities = [a * p**-b for p in prices]
    curve = fit_demand(prices, quantities, kind="constant_elasticity")
    assert curve.quantity(np.array(prices)) == pytest.approx(quantities, rel=1e-6)
    assert curve.b == pytest.approx(b, rel=1e-6)


@settings(max_examples=40)
@given(
    kind=st.sampled_from(DEMAND_MODELS),
    channel=st.sampled_from(CHANNELS),
    cost=st.floats(0, 40_000),
    capacity=st.none() | st.floats(50, 3_000),
    noise=st.lists(st.floats(-150, 150), min_size=3, max_size=3),
)
def test_best_price_is_at_least_every_grid_point(kind, channel, cost, capacity, noise) -> None:
    quantities = [q + e for q, e in zip(QUANTITIES, noise, strict=True)]
    curve = fit_demand(PRICES, quantities, kind=kind)
    best = best_price(curve, channel, variable_cost_per_unit=cost, fixed_costs=1_000_000, capacity=capacity)
    table = price_response(curve, channel, variable_cost_per_unit=cost, fixed_costs=1_000_000, capacity=capacity)
    assert best.profit >= table["profit"].max() - 1e-9 * max(abs(best.profit), 1.0)
    assert best.price_low <= best.price <= best.price_high
    assert best.quantity <= (math.inf if capacity is None else capacity) * (1 + 1e-12)


@settings(max_examples=30)
@given(
    channel=st.sampled_from(CHANNELS),
    cost=st.floats(0, 40_000),
    fixed=st.floats(0, 1e7),
    capacity=st.none() | st.floats(50, 3_000),
    points=st.integers(2, 120),
)
def test_price_response_matches_the_economics(channel, cost, fixed, capacity, points) -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    table = price_response(curve, channel, variable_cost_per_unit=cost, fixed_costs=fixed, capacity=capacity, points=points)
    assert list(table.columns) == COLUMNS and len(table) == points
    assert (np.diff(table["price"]) > 0).all()
    limit = np.inf if capacity is None else capacity
    sold = np.minimum(curve.quantity(table["price"].to_numpy()), limit)
    net = np.array([channel_result(channel, list_price=p).net_per_unit for p in table["price"]])
    np.testing.assert_allclose(table["quantity_sold"], sold)
    np.testing.assert_allclose(table["profit"], (net - cost) * sold - fixed, rtol=1e-9, atol=1e-3)
    assert (table["quantity_sold"] >= 0).all()


# 4. Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prices", "quantities", "kind", "field", "reason"),
    [
        ([], [], "linear", "demand_prices", "empty"),
        ([30_000], [1_200], "linear", "demand_prices", "demand_too_few_pairs"),
        ([30_000, 35_000, 40_000], [1_200, 900], "linear", "demand_quantities", "demand_length_mismatch"),
        ([30_000, 0, 40_000], [1_200, 900, 650], "linear", "demand_prices", "not_positive"),
        ([30_000, -35_000, 40_000], [1_200, 900, 650], "linear", "demand_prices", "not_positive"),
        ([30_000, 35_000, 40_000], [1_200, -900, 650], "linear", "demand_quantities", "negative"),
        ([30_000, 35_000, 40_000], [1_200, 0, 650], "constant_elasticity", "demand_quantities", "demand_zero_quantity"),
        ([35_000, 35_000, 35_000], [1_200, 900, 650], "linear", "demand_prices", "demand_same_price"),
        ([30_000, 35_000, 40_000], [1_200, 900, 650], "quadratic", "demand_model", "demand_unknown_model"),
        ([30_000, "35 nghìn", 40_000], [1_200, 900, 650], "linear", "demand_prices", "not_a_number"),
        ([30_000, 35_000, 40_000], [1_200, math.nan, 650], "linear", "demand_quantities", "not_finite"),
        ("30000", [1_200], "linear", "demand_prices", "demand_not_a_list"),
        ([30_000, 40_000], 1_200, "linear", "demand_quantities", "demand_not_a_list"),
    ],
)
def test_bad_data_for_a_fit(prices, quantities, kind, field, reason) -> None:
    with pytest.raises(InputError) as excinfo:
        fit_demand(prices, quantities, kind=kind)
    assert_input_error(excinfo, field, reason)


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"price_low": 40_000, "price_high": 30_000}, "price_low", "demand_price_range"),
        ({"price_low": 30_000, "price_high": 30_000}, "price_low", "demand_price_range"),
        ({"price_low": 70_000}, "price_low", "demand_price_range"),  # above the default 60 000
        ({"price_low": -1}, "price_low", "negative"),
        ({"price_high": 0}, "price_high", "not_positive"),
        ({"capacity": 0}, "capacity", "not_positive"),
        ({"capacity": -800}, "capacity", "not_positive"),
        ({"variable_cost_per_unit": -1}, "variable_cost_per_unit", "negative"),
        ({"fixed_costs": -1}, "fixed_costs", "negative"),
        ({"fixed_costs": math.inf}, "fixed_costs", "not_finite"),
    ],
)
@pytest.mark.parametrize("function", [best_price, price_response])
def test_bad_settings_for_a_search(function, kwargs, field, reason) -> None:
    curve = fit_demand(PRICES, QUANTITIES)
    arguments = {"variable_cost_per_unit": 15_000, **kwargs}
    with pytest.raises(InputError) as excinfo:
        function(curve, MARKET, **arguments)
    assert_input_error(excinfo, field, reason)


@pytest.mark.parametrize("points", [1, 0, 2.5, True, "61", math.nan])
def test_bad_number_of_points(points) -> None:
    with pytest.raises(InputError) as excinfo:
        price_response(fit_demand(PRICES, QUANTITIES), MARKET, variable_cost_per_unit=15_000, points=points)
    assert_input_error(excinfo, "points", "too_few_points")


@pytest.mark.parametrize("price", [0, -5_000, math.nan, np.array([30_000, 0]), np.array([30_000, np.inf])])
def test_bad_price_for_a_quantity(price) -> None:
    with pytest.raises(InputError) as excinfo:
        DemandCurve("linear", a=2_850, b=0.055).quantity(price)
    reason = "not_finite" if np.any(np.isnan(price) | np.isinf(price)) else "not_positive"
    assert_input_error(excinfo, "list_price", reason)


def test_bad_curves() -> None:
    with pytest.raises(InputError) as excinfo:
        DemandCurve("exponential", a=1, b=1)
    assert_input_error(excinfo, "demand_model", "demand_unknown_model")
    with pytest.raises(InputError) as excinfo:
        DemandCurve("linear", a=math.nan, b=1)
    assert_input_error(excinfo, "demand_a", "not_finite")
    with pytest.raises(TypeError):
        best_price("not a curve", MARKET, variable_cost_per_unit=15_000)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        price_response(fit_demand(PRICES, QUANTITIES), "cho", variable_cost_per_unit=15_000)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "a", "b", "field", "reason"), [
    ("linear", 2_850, -0.055, "demand_b", "demand_rising"),  # sells more the dearer it is
    ("constant_elasticity", 5e6, -1.5, "demand_b", "demand_rising"),  # elasticity typed with its minus
    ("linear", -1.5, 0.055, "demand_a", "demand_sells_nothing"),  # q < 0 at every price
    ("linear", 0, 0.0, "demand_a", "demand_sells_nothing"),
    ("constant_elasticity", 0, 1.5, "demand_a", "demand_sells_nothing"),
    ("constant_elasticity", -5e6, 1.5, "demand_a", "demand_sells_nothing"),
    ("linear", None, 0.055, "demand_a", "not_a_number"),
    ("linear", 2_850, "abc", "demand_b", "not_a_number"),
    ("linear", 2_850, math.inf, "demand_b", "not_finite"),
    ("linear", True, 0.055, "demand_a", "not_a_number"),
])
def test_a_curve_written_down_must_make_economic_sense(kind, a, b, field, reason) -> None:
    with pytest.raises(InputError) as excinfo:
        DemandCurve(kind, a=a, b=b)
    assert_input_error(excinfo, field, reason)


def test_the_elasticity_typed_with_its_minus_sign_is_explained_in_both_languages() -> None:
    with pytest.raises(InputError) as excinfo:
        DemandCurve("constant_elasticity", a=5e6, b=-1.5)
    vi, en = excinfo.value.message("vi"), excinfo.value.message("en")
    assert "(bạn đã nhập -1,5)" in vi and "(−1,5 thì nhập 1,5)" in vi
    assert "(you entered -1.5)" in en and "(−1.5 is entered as 1.5)" in en


def test_a_flat_curve_and_a_fitted_rising_curve_are_kept() -> None:
    assert DemandCurve("linear", a=500, b=0.0).quantity(30_000) == 500
    rising = fit_demand(PRICES, [600, 900, 1_200])  # more sold at higher prices: kept, with a warning
    assert rising.a < 0 and rising.b < 0 and "demand_wrong_sign" in rising.warnings
    assert DemandCurve("linear", rising.a, rising.b, rising.prices, rising.quantities).b == rising.b


@pytest.mark.parametrize("points", [10_001, 1e9, 1e308])
def test_too_many_points_are_refused(points) -> None:
    # Before: points=1e308 raised numpy's bare "Maximum allowed size exceeded".
    curve = fit_demand(PRICES, QUANTITIES)
    with pytest.raises(InputError) as excinfo:
        price_response(curve, MARKET, variable_cost_per_unit=15_000, points=points)
    assert_input_error(excinfo, "points", "too_many_points")
    with pytest.raises(InputError) as excinfo:
        plan_demand(curve, MARKET, variable_cost_per_unit=15_000, fixed_costs=1e6, volume=1_000, list_price=30_000, points=points)
    assert_input_error(excinfo, "points", "too_many_points")


def test_the_largest_number_of_points_is_allowed() -> None:
    from coopkit.demand import MAX_POINTS

    assert len(price_response(fit_demand(PRICES, QUANTITIES), MARKET, variable_cost_per_unit=15_000, points=MAX_POINTS)) == MAX_POINTS


# 5. Regressions -----------------------------------------------------------------------------


def test_importing_demand_does_not_import_scipy() -> None:
    code = "import sys, coopkit, coopkit.demand; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_kink_at_capacity_is_not_missed_on_a_coarse_grid() -> None:
    # A capacity just under the free optimum's sales makes a sharp kink between grid points.
    curve = fit_demand(PRICES, QUANTITIES)
    capacity = 1_007.0
    best = best_price(curve, MARKET, variable_cost_per_unit=15_000, capacity=capacity)
    assert best.price == pytest.approx((curve.a - capacity) / curve.b, rel=1e-9)
    assert best.capacity_binding


def test_price_response_is_fast() -> None:
    import time

    curve = fit_demand(PRICES, QUANTITIES)
    start = time.perf_counter()
    for _ in range(50):
        table = price_response(curve, ONLINE, variable_cost_per_unit=15_000, capacity=1_000)
    per_call = (time.perf_counter() - start) / 50
    assert isinstance(table, pd.DataFrame)
    assert per_call < 0.02  # a few ms is the target; generous bound for a loaded CI machine


# 6. The demand answer for a pricing plan (issue 10, section 2) --------------------------------


def _plan_inputs(channel, price, volume, cost, fixed):
    from coopkit.models import pricing_plan_inputs

    return pricing_plan_inputs(channel, fixed_costs=fixed, list_price=price, variable_cost_per_unit=cost, volume=volume)


@pytest.mark.parametrize("kind", DEMAND_MODELS)
@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.key)
def test_plan_on_its_example_curve_earns_exactly_the_plans_profit(kind, channel) -> None:
    """The price–profit curve at the plan's price is the what-if model's profit, to the last digit."""
    from coopkit.whatif import evaluate

    price, volume, cost, fixed = 28_000.0, 128_000.0, 14_300.0, 310e6
    curve = fit_demand(*example_sales(price, volume, kind), kind=kind)
    plan = plan_demand(curve, channel, variable_cost_per_unit=cost, fixed_costs=fixed, volume=volume, list_price=price)
    headline = evaluate("pricing_plan", _plan_inputs(channel, price, volume, cost, fixed))["profit"]
    assert not plan.demand_below_plan and plan.quantity_sold == volume
    assert plan.profit == headline
    row = plan.response.loc[plan.response["price"] == price]
    assert len(row) == 1 and float(row["profit"].iloc[0]) == headline
    assert plan.best.profit >= headline
    assert plan.best.profit >= float(plan.response["profit"].max())


@given(
    price=st.floats(1_000, 200_000),
    volume=st.floats(100, 5e6),
    cost_share=st.floats(0.0, 0.9),
    fixed=st.floats(0, 5e9),
    kind=st.sampled_from(DEMAND_MODELS),
)
@settings(max_examples=60, deadline=None)
def test_example_curve_passes_through_the_plan_and_the_best_beats_it(price, volume, cost_share, fixed, kind) -> None:
    from coopkit.whatif import evaluate

    curve = fit_demand(*example_sales(price, volume, kind), kind=kind)
    plan = plan_demand(curve, ONLINE, variable_cost_per_unit=cost_share * price, fixed_costs=fixed, volume=volume, list_price=price)
    headline = evaluate("pricing_plan", _plan_inputs(ONLINE, price, volume, cost_share * price, fixed))["profit"]
    assert plan.profit == headline
    assert plan.best.profit >= headline


def test_own_sales_below_the_plan_are_told_and_the_plan_point_is_on_the_curve() -> None:
    """Sales the manager remembers may say buyers take less than the plan: the curve says so."""
    curve = fit_demand(PRICES, QUANTITIES)  # at 35 000 đ buyers take about 917 kg
    plan = plan_demand(curve, MARKET, variable_cost_per_unit=15_000, fixed_costs=2_000_000, volume=1_500, list_price=35_000)
    assert plan.demand_below_plan
    assert plan.quantity_sold == pytest.approx(curve.quantity(35_000))
    assert plan.profit == pytest.approx((35_000 - 15_000) * curve.quantity(35_000) - 2_000_000)
    assert plan.best.profit >= plan.profit


def test_plan_range_covers_the_plans_price_far_from_the_remembered_sales() -> None:
    """Regression (issue 10): sales remembered at 16 000 đ, plan at 28 000 đ: the curve still
    reaches the plan's price, and the best price is never worse than the plan on that curve."""
    curve = fit_demand([12_800, 16_000, 19_200], [208_000, 160_000, 112_000])
    plan = plan_demand(curve, ONLINE, variable_cost_per_unit=14_300, fixed_costs=310e6, volume=128_000, list_price=28_000)
    assert plan.response["price"].min() <= 28_000 <= plan.response["price"].max()
    assert plan.best.profit >= plan.profit


def test_example_sales_follow_the_plan() -> None:
    prices, quantities = example_sales(28_000, 128_000)
    assert prices[1] == 28_000 and quantities[1] == 128_000
    assert prices[0] < prices[1] < prices[2] and quantities[0] > quantities[1] > quantities[2]
    with pytest.raises(InputError) as excinfo:
        example_sales(0, 128_000)
    assert_input_error(excinfo, "list_price", "not_positive")
