"""Scenarios, goal seek, data tables and tornado over the registered models."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import coopkit as ck
import coopkit.models  # noqa: F401  (ck.models)
from coopkit.errors import InputError
from coopkit.whatif import MODELS, Model, get_model
from helpers import assert_input_error

EGGS = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067, "volume": 1_095_000}
ORANGES_ONLINE = {
    "list_price": 45_000, "cost_per_unit": 13_469, "commission_rate": 0.10, "payment_fee_rate": 0.05,
    "fixed_fee_per_order": 3_000, "packaging_per_order": 6_000, "shipping_per_order": 0,
    "units_per_order": 1, "vat_rate": 0.0,
}

money = st.floats(min_value=1_000, max_value=5e8, allow_nan=False)
unit_money = st.floats(min_value=100, max_value=200_000, allow_nan=False)
volumes = st.floats(min_value=100, max_value=2e6, allow_nan=False)


def test_the_three_workbook_models_are_registered():
    assert {"unit_cost", "break_even", "channel_pricing"} <= set(MODELS)
    for model in MODELS.values():
        for name in (*model.inputs, *model.outputs):
            assert name in ck.fields.FIELD_KINDS, name


def test_models_agree_with_the_domain_functions():
    out = ck.whatif.evaluate("break_even", EGGS)
    assert out["profit"] == pytest.approx(ck.profit(fixed_costs=610e6, price_per_unit=2_800, variable_cost_per_unit=2_067, volume=1_095_000))
    assert out["break_even_volume"] == pytest.approx(ck.break_even_volume(610e6, 2_800, 2_067))
    channel = ck.Channel("x", "x", "x", commission_rate=0.10, payment_fee_rate=0.05,
                         fixed_fee_per_order=3_000, packaging_per_order=6_000)
    online = ck.whatif.evaluate("channel_pricing", ORANGES_ONLINE)
    assert online["net_per_unit"] == pytest.approx(ck.channel_result(channel, list_price=45_000, cost_per_unit=13_469).net_per_unit)


def test_a_price_below_the_variable_cost_leaves_break_even_undefined_not_an_error():
    out = ck.whatif.evaluate("break_even", {**EGGS, "price_per_unit": 2_000})
    assert math.isnan(out["break_even_volume"]) and out["profit"] < 0


def test_scenarios_table_and_comparison():
    scenarios = {"plan": EGGS, "cheaper feed": {**EGGS, "variable_cost_per_unit": 1_900},
                 "bad": {**EGGS, "volume": 0}}
    table = ck.whatif.evaluate_scenarios("break_even", scenarios)
    assert list(table.index) == ["plan", "cheaper feed", "bad"]
    assert table.loc["cheaper feed", "profit"] - table.loc["plan", "profit"] == pytest.approx(167 * 1_095_000)
    assert math.isnan(table.loc["bad", "profit"]) and "0" in table.loc["bad", "error"]
    diff = ck.compare_scenarios("break_even", scenarios, base="plan")
    assert diff.loc["plan"].abs().max() == 0
    assert diff.loc["cheaper feed", "variable_cost_per_unit"] == -167


def test_goal_seek_worked_example_price_for_a_20_percent_margin_online():
    price = ck.goal_seek("channel_pricing", ORANGES_ONLINE, vary="list_price", output="margin", target=0.2)
    # closed form: (0.85 p − 9 000 − 13 469) / p = 0.2  →  p = 22 469 / 0.65
    assert price == pytest.approx(22_469 / 0.65, rel=1e-9)
    assert price == pytest.approx(ck.pricing.price_for_channel_margin(
        ck.Channel("x", "x", "x", commission_rate=0.1, payment_fee_rate=0.05, fixed_fee_per_order=3_000,
                   packaging_per_order=6_000), cost_per_unit=13_469, target_margin=0.2), rel=1e-9)


def test_goal_seek_says_in_words_when_the_target_is_out_of_reach():
    # the percentage fees take 15 %: no price gives a 90 % margin
    with pytest.raises(InputError) as info:
        ck.goal_seek("channel_pricing", ORANGES_ONLINE, vary="list_price", output="margin", target=0.9)
    assert_input_error(info, "list_price", "goal_unreachable")
    message = info.value.message("en")
    assert ck.fields.label("margin", "en") in message and "90%" in message and "closest" in message
    assert ck.fields.label("margin", "vi") in info.value.message("vi")


def test_goal_seek_rejects_unknown_names():
    with pytest.raises(InputError) as info:
        ck.goal_seek("break_even", EGGS, vary="price", output="profit", target=0)
    assert_input_error(info, "vary", "unknown_input")
    with pytest.raises(InputError) as info:
        ck.goal_seek("break_even", EGGS, vary="price_per_unit", output="happiness", target=0)
    assert_input_error(info, "output", "unknown_output")
    with pytest.raises(InputError) as info:
        ck.whatif.evaluate("yield_plan", EGGS)
    assert_input_error(info, "model", "unknown_model")


@given(fixed=money, price=unit_money, variable=unit_money, volume=volumes,
       target=st.floats(min_value=-1e8, max_value=5e8, allow_nan=False))
def test_goal_seek_result_meets_the_target(fixed, price, variable, volume, target):
    inputs = {"fixed_costs": fixed, "price_per_unit": price, "variable_cost_per_unit": variable, "volume": volume}
    try:
        found = ck.goal_seek("break_even", inputs, vary="price_per_unit", output="profit", target=target)
    except InputError as err:
        assert err.reason == "goal_unreachable"
        return
    profit = ck.whatif.evaluate("break_even", {**inputs, "price_per_unit": found})["profit"]
    assert profit == pytest.approx(target, abs=1e-6 * max(abs(target), fixed, 1.0))


@given(fixed=money, price=unit_money, variable=unit_money)
def test_goal_seek_finds_the_break_even_volume(fixed, price, variable):
    assume(price > variable * 1.01)
    inputs = {"fixed_costs": fixed, "price_per_unit": price, "variable_cost_per_unit": variable, "volume": 1_000}
    expected = ck.break_even_volume(fixed, price, variable)
    lo, hi = get_model("break_even").range_of("volume", 1_000)
    assume(expected <= max(hi, expected) and expected >= 1)
    volume = ck.goal_seek("break_even", inputs, vary="volume", output="profit", target=0, high=expected * 2)
    assert volume == pytest.approx(expected, rel=1e-6)


@given(prices=st.lists(unit_money, min_size=1, max_size=6), volumes_=st.lists(volumes, min_size=1, max_size=6))
def test_every_data_table_cell_equals_its_own_evaluation(prices, volumes_):
    grid = ck.data_table("break_even", EGGS, {"price_per_unit": prices, "volume": volumes_}, output="profit")
    assert grid.shape == (len(prices), len(volumes_))
    for i, p in enumerate(prices):
        for j, q in enumerate(volumes_):
            alone = ck.whatif.evaluate("break_even", {**EGGS, "price_per_unit": p, "volume": q})["profit"]
            assert grid.iat[i, j] == pytest.approx(alone)


def test_one_way_data_table_shows_every_output_and_bad_cells_as_nan():
    table = ck.data_table("unit_cost", {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000},
                          {"volume": [0, 20_000, 40_000]})
    assert list(table.columns) == ["unit_cost", "total_costs"]
    assert math.isnan(table.loc[0, "unit_cost"])
    assert table.loc[40_000, "unit_cost"] == 12_000


def test_data_table_limits():
    with pytest.raises(InputError) as info:
        ck.data_table("break_even", EGGS, {"price_per_unit": [1], "volume": [1], "fixed_costs": [1]}, output="profit")
    assert_input_error(info, "vary", "data_table_inputs")
    with pytest.raises(InputError) as info:
        ck.data_table("break_even", EGGS, {"price_per_unit": [1], "volume": [1]})
    assert_input_error(info, "output", "data_table_needs_output")


def test_data_table_50_by_50():
    grid = ck.data_table("break_even", EGGS, {"price_per_unit": range(2_000, 4_500, 50),
                                              "volume": range(500_000, 1_500_000, 20_000)}, output="profit")
    assert grid.shape == (50, 50)


@given(change=st.floats(min_value=0.01, max_value=0.5))
def test_tornado_order_matches_the_effects_computed_one_by_one(change):
    table = ck.whatif.tornado("break_even", EGGS, "profit", change=change)
    effects = {}
    for name, base in EGGS.items():
        low = ck.whatif.evaluate("break_even", {**EGGS, name: base * (1 - change)})["profit"]
        high = ck.whatif.evaluate("break_even", {**EGGS, name: base * (1 + change)})["profit"]
        effects[name] = abs(high - low)
    assert table["effect"].tolist() == pytest.approx(sorted(effects.values(), reverse=True))
    assert set(table["input"]) == set(EGGS)


def test_tornado_with_explicit_values_and_bounds():
    table = ck.whatif.tornado("channel_pricing", ORANGES_ONLINE, "profit_per_unit", change=0.5,
                       values={"list_price": (40_000, 50_000)})
    row = table.set_index("input").loc["list_price"]
    assert (row["low"], row["high"]) == (40_000, 50_000)
    units = table.set_index("input").loc["units_per_order"]
    assert units["low"] == 1.0  # kept within the valid range (one unit at least)


def test_a_new_model_plugs_in_without_changing_the_tools():
    square = Model("area_square", inputs=("area_ha",), outputs=("area",),
                   function=lambda v: {"area": v["area_ha"] ** 2}, bounds={"area_ha": (0.0, 100.0)})
    side = ck.goal_seek(square, {"area_ha": 1.0}, vary="area_ha", output="area", target=49)
    assert side == pytest.approx(7.0)


def test_scenarios_round_trip_and_are_checked_against_their_model():
    plan = ck.Scenario("Kế hoạch", "break_even", EGGS, product="eggs_son_nam", note="giá chợ")
    assert ck.Scenario.from_dict(plan.to_dict()) == plan
    assert plan.evaluate() == ck.whatif.evaluate("break_even", EGGS)
    bad = plan.to_dict() | {"inputs": {**EGGS, "volume": "nhiều"}}
    with pytest.raises(InputError) as excinfo:
        ck.Scenario.from_dict(bad)
    assert_input_error(excinfo, "volume", "not_a_number")
    with pytest.raises(InputError) as excinfo:
        ck.Scenario.from_dict(plan.to_dict() | {"inputs": {"volume": 1.0}})
    assert_input_error(excinfo, "fixed_costs", "missing_input")
    with pytest.raises(InputError) as excinfo:
        ck.Scenario.from_dict(plan.to_dict() | {"name": "  "})
    assert_input_error(excinfo, "scenario", "empty_name")
    with pytest.raises(InputError) as excinfo:
        ck.Scenario.from_dict(["not", "a", "dict"])
    assert_input_error(excinfo, "scenario", "not_a_scenario")


def test_scenario_lists_evaluate_like_mappings():
    low = ck.Scenario("low", "break_even", {**EGGS, "price_per_unit": 2_600})
    plan = ck.Scenario("plan", "break_even", EGGS)
    table = ck.whatif.evaluate_scenarios("break_even", [plan, low])
    assert table.equals(ck.whatif.evaluate_scenarios("break_even", {"plan": EGGS, "low": low.inputs}))
    diff = ck.compare_scenarios("break_even", [plan, low], base="plan")
    assert diff.loc["low", "profit"] == pytest.approx(-200 * 1_095_000)


def test_pricing_plan_is_break_even_after_channel_fees():
    shop = ck.Channel("san", "Sàn", "Marketplace", commission_rate=0.10, payment_fee_rate=0.05,
                      packaging_per_order=6_000, units_per_order=2)
    inputs = ck.models.pricing_plan_inputs(shop, fixed_costs=300e6, list_price=45_000, variable_cost_per_unit=9_000,
                                           volume=40_000)
    out = ck.whatif.evaluate("pricing_plan", inputs)
    net = ck.channel_result(shop, list_price=45_000, cost_per_unit=0).net_per_unit
    assert out["net_per_unit"] == pytest.approx(45_000 * 0.85 - 3_000)
    assert out["profit"] == pytest.approx((net - 9_000) * 40_000 - 300e6)
    at_break_even = ck.whatif.evaluate("pricing_plan", {**inputs, "volume": out["break_even_volume"]})
    assert at_break_even["profit"] == pytest.approx(0, abs=1e-3)
    assert out["unit_cost"] == pytest.approx(ck.unit_cost(300e6, 9_000, 40_000))


grid_prices = st.lists(st.one_of(unit_money, st.sampled_from([0.0, -1_000.0])), min_size=1, max_size=5)
grid_volumes = st.lists(st.one_of(volumes, st.sampled_from([0.0, -5.0])), min_size=1, max_size=5)


@given(prices=grid_prices, volumes_=grid_volumes, commission=st.floats(min_value=0, max_value=0.95),
       payment=st.floats(min_value=0, max_value=0.3), variable=unit_money,
       vary=st.sampled_from([("list_price", "volume"), ("volume", "list_price"), ("list_price", "commission_rate")]))
def test_the_fast_pricing_grid_agrees_with_evaluating_each_cell(prices, volumes_, commission, payment, variable, vary):
    """`pricing_plan` computes 2-D data tables on arrays; every cell (bad ones NaN) must match."""
    shop = ck.Channel("san", "Sàn", "Shop", packaging_per_order=6_000, fixed_fee_per_order=3_000, units_per_order=2)
    inputs = {**ck.models.pricing_plan_inputs(shop, fixed_costs=300e6, list_price=30_000,
                                                 variable_cost_per_unit=variable, volume=40_000),
              "commission_rate": min(commission, 0.5), "payment_fee_rate": payment}
    axis = {"list_price": prices, "volume": volumes_, "commission_rate": [commission, 0.0, 0.99]}
    grid = ck.data_table("pricing_plan", inputs, {vary[0]: axis[vary[0]], vary[1]: axis[vary[1]]}, output="profit")
    for i, a in enumerate(grid.index):
        for j, b in enumerate(grid.columns):
            try:
                alone = ck.whatif.evaluate("pricing_plan", {**inputs, vary[0]: a, vary[1]: b})["profit"]
            except InputError:
                alone = math.nan
            cell = grid.iat[i, j]
            assert (math.isnan(cell) and math.isnan(alone)) or cell == pytest.approx(alone, rel=1e-12, abs=1e-6)


# -- bad search ranges and tool inputs (issue 10) ---------------------------------------------


@pytest.mark.parametrize(("bounds", "field", "reason"), [
    ({"low": math.nan}, "goal_low", "not_finite"),
    ({"high": math.inf}, "goal_high", "not_finite"),
    ({"low": "2000"}, "goal_low", "not_a_number"),
    ({"high": True}, "goal_high", "not_a_number"),
    ({"low": 5_000.0, "high": 2_000.0}, "goal_low", "goal_range"),
    ({"low": 3_000.0, "high": 3_000.0}, "goal_low", "goal_range"),
    ({"tolerance": 0.0}, "goal_tolerance", "not_positive"),
])
def test_goal_seek_checks_its_search_range(bounds, field, reason):
    # Before: low=nan searched "from nan to …" and said no price reaches the target.
    with pytest.raises(InputError) as excinfo:
        ck.goal_seek("break_even", EGGS, vary="price_per_unit", output="profit", target=300e6, **bounds)
    assert_input_error(excinfo, field, reason)
    assert "nan to" not in excinfo.value.message("en")


def test_goal_seek_range_message_shows_the_bounds_as_the_input_kind():
    with pytest.raises(InputError) as excinfo:
        ck.goal_seek("break_even", EGGS, vary="price_per_unit", output="profit", target=0, low=5_000, high=2_000)
    assert "₫5,000" in excinfo.value.message("en") and "₫2,000" in excinfo.value.message("en")


@pytest.mark.parametrize(("pair", "count"), [((1,), "1"), ((1, 2, 3), "3"), (5, "1"), ("ab", "1")])
def test_tornado_needs_a_low_and_a_high_for_each_explicit_input(pair, count):
    # Before: values={"volume": (1,)} raised a bare ValueError.
    with pytest.raises(InputError) as excinfo:
        ck.whatif.tornado("break_even", EGGS, "profit", values={"volume": pair})
    assert_input_error(excinfo, "volume", "tornado_pair")
    assert f"({count})" in excinfo.value.message("en").replace("gave ", "(").replace("(( ", "(")


def test_tornado_refuses_values_for_an_input_the_model_does_not_have():
    with pytest.raises(InputError) as excinfo:
        ck.whatif.tornado("break_even", EGGS, "profit", values={"volumes": (1, 2)})
    assert_input_error(excinfo, "vary", "unknown_input")


@pytest.mark.parametrize("values", [5, "2800", None, 2.5])
def test_data_table_values_must_be_a_list(values):
    with pytest.raises(InputError) as excinfo:
        ck.data_table("break_even", EGGS, {"price_per_unit": values}, output="profit")
    assert_input_error(excinfo, "price_per_unit", "values_not_a_list")


def test_spider_changes_must_be_a_list_and_a_single_name_is_one_input():
    with pytest.raises(InputError) as excinfo:
        ck.whatif.spider("break_even", EGGS, "profit", changes=0.1)
    assert_input_error(excinfo, "change", "values_not_a_list")
    table = ck.whatif.spider("break_even", EGGS, "profit", changes=[0.0, 0.1], names="volume")
    assert list(table.columns) == ["volume"]
