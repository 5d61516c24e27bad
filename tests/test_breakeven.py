"""Tests for coopkit.breakeven: worked examples, edge cases, invariants and regressions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_input_error
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit.breakeven import (
    BreakEven,
    break_even,
    break_even_price,
    break_even_volume,
    contribution_margin,
    contribution_margin_ratio,
    cvp_table,
    margin_of_safety,
    profit,
)
from coopkit.costs import unit_cost
from coopkit.errors import InputError

# Sơn Nam layer farm: 5 000 hens laying about 3 000 eggs a day (a 60 % laying rate), so
# 3 000 × 365 = 1 095 000 eggs a year. Illustrative costs: 600 000 000 đ fixed a year
# (barn depreciation, pullets, staff, interest), 1 900 đ per egg variable (feed, trays),
# farm-gate price 2 600 đ per egg.
EGGS = 3_000 * 365
EGG_FIXED = 600_000_000
EGG_VARIABLE = 1_900
EGG_PRICE = 2_600


# 1. Worked examples -------------------------------------------------------------------------


def test_son_nam_eggs_by_hand() -> None:
    assert EGGS == 1_095_000
    # Contribution margin 2 600 − 1 900 = 700 đ per egg; ratio 700 / 2 600 = 0.26923.
    assert contribution_margin(EGG_PRICE, EGG_VARIABLE) == 700.0
    assert contribution_margin_ratio(EGG_PRICE, EGG_VARIABLE) == pytest.approx(0.269231, rel=1e-5)
    # Break-even: 600 000 000 / 700 = 857 142.86 eggs, about 286 days of laying (÷ 3 000 a day).
    assert break_even_volume(EGG_FIXED, EGG_PRICE, EGG_VARIABLE) == pytest.approx(857_142.857, rel=1e-8)
    # Profit: 700 × 1 095 000 − 600 000 000 = 766 500 000 − 600 000 000 = 166 500 000 đ.
    assert profit(fixed_costs=EGG_FIXED, price_per_unit=EGG_PRICE, variable_cost_per_unit=EGG_VARIABLE,
                  volume=EGGS) == 166_500_000.0
    # Break-even price: 1 900 + 600 000 000 / 1 095 000 = 1 900 + 547.945 = 2 447.945 đ.
    assert break_even_price(EGG_FIXED, EGG_VARIABLE, EGGS) == pytest.approx(2_447.945, rel=1e-6)
    # Margin of safety: (1 095 000 − 857 142.86) / 1 095 000 = 0.21722.
    assert margin_of_safety(fixed_costs=EGG_FIXED, price_per_unit=EGG_PRICE, variable_cost_per_unit=EGG_VARIABLE,
                            volume=EGGS) == pytest.approx(0.217221, rel=1e-5)


def test_lac_thuy_oranges_by_hand() -> None:
    # Illustrative: 150 000 000 đ fixed, 4 000 đ/kg variable, 12 000 đ/kg farm gate, 25 t sold.
    r = break_even(150_000_000, 12_000, 4_000, 25_000)
    # 150 000 000 / (12 000 − 4 000) = 18 750 kg; × 12 000 = 225 000 000 đ of sales.
    assert r.break_even_volume == 18_750.0
    assert r.break_even_revenue == 225_000_000.0
    # 4 000 + 150 000 000 / 25 000 = 10 000 đ/kg.
    assert r.break_even_price == 10_000.0
    # (25 000 − 18 750) / 25 000 = 0.25.
    assert r.margin_of_safety == 0.25
    # 12 000 × 25 000 = 300 000 000 revenue; 150 000 000 + 100 000 000 = 250 000 000 costs.
    assert (r.revenue, r.total_costs, r.profit) == (300_000_000.0, 250_000_000.0, 50_000_000.0)
    assert r.contribution_margin == 8_000.0
    assert r.contribution_margin_ratio == pytest.approx(2 / 3)


def test_break_even_to_frame() -> None:
    r = break_even(150_000_000, 12_000, 4_000, 25_000)
    table = r.to_frame()
    assert list(table.columns) == ["key", "value"]
    assert table["key"].tolist() == list(BreakEven.__dataclass_fields__)
    assert table.set_index("key").loc["profit", "value"] == 50_000_000.0


def test_cvp_table_by_hand() -> None:
    table = cvp_table(150_000_000, 12_000, 4_000, 30_000, points=4)
    assert list(table.columns) == ["volume", "revenue", "fixed_costs", "total_costs", "profit"]
    assert table["volume"].tolist() == [0.0, 10_000.0, 20_000.0, 30_000.0]
    # At 20 000 kg: 240 000 000 − (150 000 000 + 80 000 000) = 10 000 000 đ.
    assert table["profit"].tolist() == [-150e6, -70e6, 10e6, 90e6]
    assert (table["fixed_costs"] == 150e6).all()


def test_cvp_table_default_points() -> None:
    table = cvp_table(EGG_FIXED, EGG_PRICE, EGG_VARIABLE, 1_500_000)
    assert len(table) == 51
    assert table["volume"].iloc[0] == 0.0 and table["volume"].iloc[-1] == 1_500_000.0


# 2. Edge cases ------------------------------------------------------------------------------


def test_zero_fixed_costs_break_even_at_zero() -> None:
    assert break_even_volume(0, 12_000, 4_000) == 0.0
    r = break_even(0, 12_000, 4_000, 1_000)
    assert r.break_even_volume == 0.0 and r.margin_of_safety == 1.0 and r.break_even_price == 4_000.0


@pytest.mark.parametrize("price", [15_500, 12_000])
def test_price_at_or_below_variable_cost_has_no_break_even(price: float) -> None:
    with pytest.raises(InputError) as excinfo:
        break_even_volume(100_000_000, price, 15_500)
    assert_input_error(excinfo, "price_per_unit", "below_variable_cost")
    err = excinfo.value
    assert err.value == price and err.params == {"variable_cost_per_unit": 15_500}
    vi, en = err.message("vi"), err.message("en")
    assert "15.500" in vi and "không có sản lượng hòa vốn" in vi and "lỗ" in vi
    assert "15,500" in en and "no break-even volume" in en


def test_price_below_variable_cost_raises_in_every_function_that_needs_break_even() -> None:
    for call in (
        lambda: break_even(100, 10, 20, 5),
        lambda: margin_of_safety(fixed_costs=100, price_per_unit=10, variable_cost_per_unit=20, volume=5),
    ):
        with pytest.raises(InputError) as excinfo:
            call()
        assert_input_error(excinfo, "price_per_unit", "below_variable_cost")


def test_contribution_margin_may_be_negative_and_profit_a_loss() -> None:
    assert contribution_margin(10_000, 12_000) == -2_000.0
    assert profit(fixed_costs=0, price_per_unit=10_000, variable_cost_per_unit=12_000, volume=100) == -200_000.0
    # A loss-making price still gives a chart: the loss grows with volume.
    assert cvp_table(0, 10_000, 12_000, 100, points=2)["profit"].tolist() == [0.0, -200_000.0]


def test_zero_volume() -> None:
    assert profit(fixed_costs=EGG_FIXED, price_per_unit=EGG_PRICE, variable_cost_per_unit=EGG_VARIABLE,
                  volume=0) == -EGG_FIXED
    for call, field in (
        (lambda: break_even_price(EGG_FIXED, EGG_VARIABLE, 0), "volume"),
        (lambda: margin_of_safety(fixed_costs=EGG_FIXED, price_per_unit=EGG_PRICE, variable_cost_per_unit=EGG_VARIABLE,
                                  volume=0), "volume"),
        (lambda: break_even(EGG_FIXED, EGG_PRICE, EGG_VARIABLE, 0), "volume"),
        (lambda: cvp_table(EGG_FIXED, EGG_PRICE, EGG_VARIABLE, 0), "max_volume"),
    ):
        with pytest.raises(InputError) as excinfo:
            call()
        assert_input_error(excinfo, field, "not_positive")


def test_margin_of_safety_is_negative_below_break_even() -> None:
    # Break-even 18 750 kg; selling 15 000 kg: (15 000 − 18 750) / 15 000 = −0.25.
    assert margin_of_safety(fixed_costs=150_000_000, price_per_unit=12_000, variable_cost_per_unit=4_000,
                            volume=15_000) == -0.25


@pytest.mark.parametrize("price", [0, -2_600])
def test_price_must_be_positive(price: float) -> None:
    with pytest.raises(InputError) as excinfo:
        contribution_margin_ratio(price, 1_900)
    assert_input_error(excinfo, "price_per_unit", "not_positive")


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_inputs(bad: float) -> None:
    with pytest.raises(InputError) as excinfo:
        break_even_volume(bad, 2_600, 1_900)
    assert_input_error(excinfo, "fixed_costs", "not_finite")
    with pytest.raises(InputError) as excinfo:
        break_even_volume(1e6, bad, 1_900)
    assert_input_error(excinfo, "price_per_unit", "not_finite")
    with pytest.raises(InputError) as excinfo:
        profit(fixed_costs=1e6, price_per_unit=2_600, variable_cost_per_unit=1_900, volume=bad)
    assert_input_error(excinfo, "volume", "not_finite")


def test_negative_inputs() -> None:
    with pytest.raises(InputError) as excinfo:
        break_even_volume(-1, 2_600, 1_900)
    assert_input_error(excinfo, "fixed_costs", "negative")
    with pytest.raises(InputError) as excinfo:
        contribution_margin(2_600, -1)
    assert_input_error(excinfo, "variable_cost_per_unit", "negative")
    with pytest.raises(InputError) as excinfo:
        profit(fixed_costs=0, price_per_unit=2_600, variable_cost_per_unit=1_900, volume=-5)
    assert_input_error(excinfo, "volume", "negative")


@pytest.mark.parametrize("points", [1, 0, -3, 2.5, True, math.nan, "51"])
def test_cvp_table_points(points: object) -> None:
    with pytest.raises(InputError) as excinfo:
        cvp_table(1e6, 2_600, 1_900, 1e6, points=points)  # type: ignore[arg-type]
    assert_input_error(excinfo, "points", "too_few_points")


def test_cvp_table_accepts_whole_number_floats_and_numpy_ints() -> None:
    assert len(cvp_table(1e6, 2_600, 1_900, 1e6, points=3.0)) == 3  # type: ignore[arg-type]
    assert len(cvp_table(1e6, 2_600, 1_900, 1e6, points=np.int64(2))) == 2


# 3. Invariants ------------------------------------------------------------------------------

prices = st.floats(min_value=100, max_value=10_000_000, allow_nan=False, allow_infinity=False)
cost_shares = st.floats(min_value=0, max_value=0.95, allow_nan=False, allow_infinity=False)
fixed = st.floats(min_value=0, max_value=1e10, allow_nan=False, allow_infinity=False)
volumes = st.floats(min_value=1, max_value=1e8, allow_nan=False, allow_infinity=False)


@given(fixed_costs=fixed, price=prices, share=cost_shares)
def test_profit_at_break_even_volume_is_zero(fixed_costs: float, price: float, share: float) -> None:
    variable = price * share
    assume(price - variable > 1e-6 * price)
    volume = break_even_volume(fixed_costs, price, variable)
    assert profit(fixed_costs=fixed_costs, price_per_unit=price, variable_cost_per_unit=variable,
                  volume=volume) == pytest.approx(0, abs=1e-9 * max(fixed_costs, 1))


@given(fixed_costs=fixed, variable=st.floats(0, 1e7), volume=volumes)
def test_profit_at_break_even_price_is_zero_and_equals_unit_cost(
    fixed_costs: float, variable: float, volume: float
) -> None:
    price = break_even_price(fixed_costs, variable, volume)
    assume(price > 0)
    assert price == pytest.approx(unit_cost(fixed_costs, variable, volume), rel=1e-12)
    revenue = price * volume
    assert profit(fixed_costs=fixed_costs, price_per_unit=price, variable_cost_per_unit=variable,
                  volume=volume) == pytest.approx(0, abs=1e-9 * max(revenue, 1))


@given(fixed_costs=fixed, price=prices, share=cost_shares, volume=volumes)
def test_break_even_result_is_consistent(fixed_costs: float, price: float, share: float, volume: float) -> None:
    variable = price * share
    assume(price - variable > 1e-6 * price)
    r = break_even(fixed_costs, price, variable, volume)
    assert r.profit == pytest.approx(r.revenue - r.total_costs)
    assert r.profit == pytest.approx(profit(fixed_costs=fixed_costs, price_per_unit=price, variable_cost_per_unit=variable,
                                            volume=volume), abs=1e-6 * max(r.revenue, 1))
    assert r.break_even_revenue == pytest.approx(r.break_even_volume * price)
    assert r.margin_of_safety == pytest.approx(margin_of_safety(fixed_costs=fixed_costs, price_per_unit=price,
                                                                variable_cost_per_unit=variable, volume=volume))
    # Profit is the margin of safety's volume times the contribution margin.
    assert r.profit == pytest.approx(
        r.margin_of_safety * volume * r.contribution_margin, abs=1e-6 * max(r.revenue, fixed_costs, 1)
    )
    # Above break-even (positive margin of safety) means a profit, and the other way round.
    if r.margin_of_safety > 1e-9:
        assert r.profit > -1e-6 * max(r.revenue, 1)
    if r.margin_of_safety < -1e-9:
        assert r.profit < 1e-6 * max(r.revenue, fixed_costs, 1)


@given(fixed_costs=fixed, price=prices, share=cost_shares, max_volume=volumes)
def test_cvp_profit_grows_with_volume_when_price_covers_variable_cost(
    fixed_costs: float, price: float, share: float, max_volume: float
) -> None:
    table = cvp_table(fixed_costs, price, price * share, max_volume, points=11)
    assert table["profit"].iloc[0] == -fixed_costs
    assert (np.diff(table["profit"]) >= 0).all()
    assert np.allclose(table["profit"], table["revenue"] - table["total_costs"])


# 4. Regressions -----------------------------------------------------------------------------


def test_break_even_returns_plain_floats() -> None:
    r = break_even(150_000_000, 12_000, 4_000, 25_000)
    assert all(type(v) is float for v in r.__dict__.values())


def test_break_even_is_frozen() -> None:
    r = break_even(150_000_000, 12_000, 4_000, 25_000)
    with pytest.raises(AttributeError):
        r.profit = 0  # type: ignore[misc]
