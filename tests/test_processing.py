"""Processing chains (coopkit.processing): raw material for a sales target, cost built up step by step."""

from __future__ import annotations

import math

import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

from coopkit.costs import processed_unit_cost, raw_input_needed
from coopkit.errors import InputError
from coopkit.plots.yields import chain_cost_chart
from coopkit.processing import CHAINS, Step, chain_plan, raw_material_needed

GREEN_BEAN = Step("Cà phê nhân", "Green bean", 5.0)


# -- 1. worked examples ---------------------------------------------------------------------


def test_forty_tonnes_of_green_bean_need_two_hundred_tonnes_of_cherry():
    # About 5 kg of fresh robusta cherry per kg of green bean (commonly reported 5–6):
    # 40 t × 5 = 200 t.
    assert raw_material_needed([GREEN_BEAN], 40_000) == pytest.approx(200_000)


def test_default_coffee_chain_is_about_five_kg_of_cherry_per_kg_of_green_bean():
    coffee = CHAINS["ca_phe_robusta"].steps
    per_green = raw_material_needed(coffee[:2], 1)
    assert 5.0 <= per_green <= 6.0
    # roasting loses 15–20 % of the weight
    assert 1 / 0.85 <= coffee[2].input_per_output_kg <= 1 / 0.80


def test_default_tea_chain_uses_about_four_and_a_half_kg_of_fresh_leaf():
    tea = CHAINS["che"].steps
    assert tea[0].conversion_ratio == pytest.approx(4.5)
    assert raw_material_needed(tea[:1], 1_000) == pytest.approx(4_500)


def test_three_step_chain_worked_by_hand():
    # 10 000 kg roasted ÷ (1 − 0.18) = 12 195.12 kg green; × 2.5 ÷ 0.98 = 31 110.0 kg dried cherry;
    # × 2 = 62 220.0 kg fresh cherry.
    plan = chain_plan(CHAINS["ca_phe_robusta"].steps, 10_000, 15_000, lang="en")
    table = plan.table
    assert table["output_kg"].tolist() == pytest.approx([31_110.0099, 12_195.1220, 10_000], rel=1e-6)
    assert table["input_kg"].tolist()[0] == pytest.approx(62_220.0199, rel=1e-6)
    assert plan.raw_material_kg == pytest.approx(62_220.0199, rel=1e-6)
    assert table["name"].tolist() == ["Dried cherry", "Green bean", "Roasted coffee"]
    # cost of one kg, step by step: 15 000 × 2 + 1 000 = 31 000 đ/kg dried cherry;
    # 31 000 × 2.5 / 0.98 + 1 500 = 80 581.63 đ/kg green; 80 581.63 / 0.82 + 25 000 = 123 270.28 đ/kg roasted.
    assert table["cost_per_kg"].tolist() == pytest.approx([31_000, 80_581.6327, 123_270.2838], rel=1e-8)
    assert plan.final_cost_per_kg == pytest.approx(123_270.2838, rel=1e-8)
    assert plan.total_cost == pytest.approx(plan.final_cost_per_kg * 10_000)


def test_one_step_chain_equals_coopkit_costs():
    step = Step("Dưa muối", "Pickle", 1.5, 0.05, 9_000)
    plan = chain_plan([step], 20_000, 3_000)
    assert plan.raw_material_kg == pytest.approx(raw_input_needed(20_000, 1.5, 0.05))
    assert plan.final_cost_per_kg == pytest.approx(processed_unit_cost(3_000, 1.5, 0.05, 9_000))
    assert raw_material_needed([step], 20_000) == pytest.approx(raw_input_needed(20_000, 1.5, 0.05))


def test_added_per_final_kg_and_raw_material_sum_to_the_final_cost():
    plan = chain_plan(CHAINS["che"].steps, 5_000, 15_000)
    raw_per_kg = plan.raw_material_cost / 5_000
    assert raw_per_kg + plan.table["added_per_final_kg"].sum() == pytest.approx(plan.final_cost_per_kg)
    assert plan.to_frame() is not plan.table and plan.to_frame().equals(plan.table)


# -- 2. edge cases --------------------------------------------------------------------------


def test_a_target_of_zero_needs_nothing_but_still_has_a_cost_per_kg():
    plan = chain_plan(CHAINS["dua_la_san"].steps, 0, 3_000)
    assert plan.raw_material_kg == 0
    assert plan.total_cost == 0
    assert plan.final_cost_per_kg == pytest.approx(processed_unit_cost(3_000, 1.5, 0.05, 9_000))
    assert math.isnan(plan.table["added_per_final_kg"].iloc[0])


def test_free_raw_material_costs_only_the_steps():
    plan = chain_plan([Step("A", "A", 2.0, 0, 100), Step("B", "B", 1.0, 0, 50)], 10, 0)
    assert plan.final_cost_per_kg == pytest.approx(100 * 1.0 + 50)


# -- errors ---------------------------------------------------------------------------------


def test_bad_steps_and_targets_are_explained():
    with pytest.raises(InputError) as excinfo:
        raw_material_needed([], 1_000)
    assert_input_error(excinfo, "steps", "no_steps")
    with pytest.raises(InputError) as excinfo:
        raw_material_needed([GREEN_BEAN], -5)
    assert_input_error(excinfo, "sales_target_kg", "negative")
    with pytest.raises(InputError) as excinfo:
        chain_plan([GREEN_BEAN], 1_000, -1)
    assert_input_error(excinfo, "raw_price_per_kg", "negative")
    with pytest.raises(InputError) as excinfo:
        Step("Rang", "Roasting", 1.0, 1.2)
    assert_input_error(excinfo, "loss_rate", "not_a_fraction")
    assert "Rang" in excinfo.value.message("vi") and "Roasting" in excinfo.value.message("en")
    with pytest.raises(InputError) as excinfo:
        Step("Rang", "Roasting", 0)
    assert_input_error(excinfo, "conversion_ratio", "not_positive")
    with pytest.raises(InputError) as excinfo:
        Step("Rang", "Roasting", 1, 0, -1)
    assert_input_error(excinfo, "cost_per_output_kg", "negative")
    with pytest.raises(InputError) as excinfo:
        Step(" ", "Roasting", 1)
    assert_input_error(excinfo, "step", "empty_name")


def test_every_default_step_names_its_source():
    for chain in CHAINS.values():
        assert chain.source
        for step in chain.steps:
            assert step.source and ("assumption" in step.source or "commonly reported" in step.source)


# -- 3. invariants --------------------------------------------------------------------------

steps = st.builds(Step, st.just("Bước"), st.just("Step"), st.floats(0.2, 8), st.floats(0, 0.5),
                  st.floats(0, 50_000))


@given(chain=st.lists(steps, min_size=1, max_size=5), target=st.floats(1, 1e6), price=st.floats(0, 100_000))
def test_total_cost_is_raw_material_plus_every_step(chain, target, price):
    plan = chain_plan(chain, target, price)
    assert plan.total_cost == pytest.approx(plan.raw_material_kg * price + plan.table["step_cost"].sum())
    assert plan.final_cost_per_kg * target == pytest.approx(plan.total_cost, rel=1e-9)
    # each step's input is the previous step's output
    assert plan.table["input_kg"].iloc[1:].tolist() == pytest.approx(plan.table["output_kg"].iloc[:-1].tolist())
    assert plan.table["input_kg"].iloc[0] == pytest.approx(plan.raw_material_kg)


@given(chain=st.lists(steps, min_size=1, max_size=4), target=st.floats(0, 1e6), extra=st.floats(0, 0.4))
def test_more_loss_at_any_step_never_needs_less_raw_material(chain, target, extra):
    worse = [Step(s.name_vi, s.name_en, s.conversion_ratio, min(s.loss_rate + extra, 0.95), s.cost_per_output_kg)
             for s in chain]
    assert raw_material_needed(worse, target) >= raw_material_needed(chain, target) * (1 - 1e-12)


# -- 4. the chart ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_chain_chart_has_a_bar_per_stage(lang):
    plan = chain_plan(CHAINS["ca_phe_robusta"].steps, 10_000, 15_000, lang=lang)
    figure = chain_cost_chart(plan.table, 15_000, lang, CHAINS["ca_phe_robusta"].raw_material(lang))
    ax = figure.axes[0]
    assert len(ax.patches) == 1 + 2 * 3  # raw material, then input + step cost per step
    assert [t.get_text() for t in ax.get_yticklabels()][0] == CHAINS["ca_phe_robusta"].raw_material(lang)
    widest = max(p.get_x() + p.get_width() for p in ax.patches)
    assert widest == pytest.approx(plan.final_cost_per_kg)
