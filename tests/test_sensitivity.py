"""Sensitivity tools: spider (every input moved by the same percentages) and tornado."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

import coopkit as ck
from coopkit.errors import InputError
from coopkit.whatif import get_model, spider, tornado

# Sơn Nam eggs (the break-even lesson's template)
EGGS = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067, "volume": 1_095_000}

changes = st.lists(st.floats(min_value=-0.99, max_value=3.0, allow_nan=False), min_size=1, max_size=6)
eggs_like = st.fixed_dictionaries({
    "fixed_costs": st.floats(min_value=1e6, max_value=5e9),
    "price_per_unit": st.floats(min_value=1.0, max_value=200_000),
    "variable_cost_per_unit": st.floats(min_value=0.0, max_value=200_000),
    "volume": st.floats(min_value=1.0, max_value=5e6),
})


def _alone(model: str, inputs: dict, output: str, name: str, change: float) -> float:
    """The output when ``name`` alone is moved by ``change``, by hand; NaN outside its range."""
    value = inputs[name] * (1 + change)
    low, high = get_model(model).range_of(name, inputs[name])
    if not low <= value <= high:
        return math.nan
    try:
        return ck.whatif.evaluate(model, {**inputs, name: value})[output]
    except InputError:
        return math.nan


# worked example ---------------------------------------------------------------------------------


def test_spider_eggs_worked_example():
    # profit = (p − c) q − F = (2 800 − 2 067) × 1 095 000 − 610 000 000 = 192 635 000 ₫
    table = spider("break_even", EGGS, "profit", changes=(-0.1, 0.0, 0.1))
    assert table.index.name == "change"
    assert table.index.tolist() == [-0.1, 0.0, 0.1]
    assert list(table.columns) == list(get_model("break_even").inputs)
    assert table.loc[0.0, "price_per_unit"] == pytest.approx(192_635_000)
    # +10 % on the price: 280 ₫ more on each of 1 095 000 eggs
    assert table.loc[0.1, "price_per_unit"] - table.loc[0.0, "price_per_unit"] == pytest.approx(280 * 1_095_000)
    assert table.loc[0.1, "fixed_costs"] == pytest.approx(192_635_000 - 61e6)


def test_for_break_even_profit_the_price_line_is_steeper_than_the_volume_line():
    table = spider("break_even", EGGS, "profit")
    slope = {name: np.polyfit(table.index, table[name], 1)[0] for name in ("price_per_unit", "volume")}
    assert abs(slope["price_per_unit"]) > abs(slope["volume"])
    # price: 2 800 × 1 095 000 per unit of change; volume: (2 800 − 2 067) × 1 095 000
    assert slope["price_per_unit"] == pytest.approx(2_800 * 1_095_000)
    assert slope["volume"] == pytest.approx(733 * 1_095_000)


# edge cases -----------------------------------------------------------------------------------


def test_spider_only_the_named_inputs_in_their_order():
    table = spider("break_even", EGGS, "revenue", changes=[0.5], names=["volume", "price_per_unit"])
    assert list(table.columns) == ["volume", "price_per_unit"]
    assert table.loc[0.5].tolist() == pytest.approx([2_800 * 1_095_000 * 1.5] * 2)


def test_spider_cells_outside_the_valid_range_are_nan():
    # a channel's commission is at most 90 %: 50 % × 2.0 = 100 % is out of range
    online = {"list_price": 45_000, "cost_per_unit": 13_469, "commission_rate": 0.5, "payment_fee_rate": 0.05,
              "fixed_fee_per_order": 3_000, "packaging_per_order": 6_000, "shipping_per_order": 0,
              "units_per_order": 1, "vat_rate": 0.0}
    table = spider("channel_pricing", online, "profit_per_unit", changes=(0.0, 1.0))
    assert math.isnan(table.loc[1.0, "commission_rate"])
    assert math.isfinite(table.loc[0.0, "commission_rate"])
    # one unit per order at least: 1 × (1 − 0.5) is below it
    assert math.isnan(spider("channel_pricing", online, "profit_per_unit", changes=[-0.5]).loc[-0.5, "units_per_order"])


def test_spider_cells_the_model_rejects_are_nan():
    # a model that refuses volumes above 2 (within the default range, up to 10 × the current value)
    def function(v):
        if v["volume"] > 2:
            raise InputError("volume", reason="not_positive", value=v["volume"])
        return {"unit_cost": 1 / v["volume"]}

    model = ck.whatif.Model("tiny", inputs=("volume",), outputs=("unit_cost",), function=function)
    table = spider(model, {"volume": 1.0}, "unit_cost", changes=(0.0, 2.0))
    assert table.loc[0.0, "volume"] == 1.0 and math.isnan(table.loc[2.0, "volume"])


def test_spider_rejects_bad_arguments():
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "happiness")
    assert_input_error(info, "output", "unknown_output")
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "profit", changes=[])
    assert_input_error(info, "change", "no_values")
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "profit", changes=[0.1, math.nan])
    assert_input_error(info, "change", "not_finite")
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "profit", changes=[0.1, "10%"])
    assert_input_error(info, "change", "not_a_number")
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "profit", changes=[-1.0])
    assert_input_error(info, "change", "change_not_above_minus_one")
    assert "-100%" in info.value.message("en").replace("−", "-")
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "profit", names=["price"])
    assert_input_error(info, "vary", "unknown_input")
    with pytest.raises(InputError) as info:
        spider("break_even", EGGS, "profit", names=[])
    assert_input_error(info, "vary", "no_values")
    with pytest.raises(InputError) as info:
        spider("break_even", {**EGGS, "volume": math.inf}, "profit")
    assert_input_error(info, "volume", "not_finite")


# invariants -------------------------------------------------------------------------------------


@given(inputs=eggs_like, steps=changes, output=st.sampled_from(["profit", "revenue", "break_even_volume"]))
def test_every_spider_cell_equals_its_own_evaluation(inputs, steps, output):
    table = spider("break_even", inputs, output, changes=steps)
    assert table.shape == (len(steps), 4)
    for i, step in enumerate(steps):
        for name in table.columns:
            expected = _alone("break_even", inputs, output, name, step)
            cell = table.iloc[i][name]
            if math.isnan(expected):
                assert math.isnan(cell)
            else:
                assert cell == pytest.approx(expected, rel=1e-12, abs=1e-6)


@given(inputs=eggs_like, output=st.sampled_from(["profit", "revenue", "total_costs", "break_even_price"]))
def test_at_no_change_every_column_is_the_base_output(inputs, output):
    table = spider("break_even", inputs, output, changes=(-0.2, 0.0, 0.2))
    base = ck.whatif.evaluate("break_even", inputs)[output]
    assert table.loc[0.0].tolist() == pytest.approx([base] * 4, rel=1e-12)


@given(inputs=eggs_like, change=st.floats(min_value=0.01, max_value=0.9))
def test_tornado_order_matches_effects_computed_one_by_one_with_evaluate(inputs, change):
    table = tornado("break_even", inputs, "profit", change=change)
    model = get_model("break_even")
    effects = {}
    for name in model.inputs:
        lo, hi = model.range_of(name, inputs[name])
        ends = [min(max(inputs[name] * (1 + sign * change), lo), hi) for sign in (-1, 1)]
        low, high = (ck.whatif.evaluate("break_even", {**inputs, name: x})["profit"] for x in ends)
        effects[name] = abs(high - low)
    # the table lists the inputs from the largest effect down, each with its own effect
    assert set(table["input"]) == set(model.inputs)
    assert table["effect"].tolist() == pytest.approx([effects[n] for n in table["input"]], rel=1e-9)
    ordered = [effects[n] for n in table["input"]]
    assert all(a >= b * (1 - 1e-9) for a, b in itertools.pairwise(ordered))
