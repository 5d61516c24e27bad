"""The OCOP stars app (coopkit.ui.OcopApp) driven without a browser, as a manager would use it."""

from __future__ import annotations

import re

import pytest

from coopkit import exercises, ocop, risk
from coopkit.ui import OcopApp
from coopkit.ui.ocop_app import STARTING_UPGRADE


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_honey_opens_with_its_example_score_plan_and_upgrade():
    app = OcopApp("mat_ong", "vi")
    assert app.error is None
    result = app.result
    assert (result.assessment.total, result.assessment.star) == (63, 3)
    assert [c.key for c in result.plan.criteria] == ["b_trademark", "b_story_heritage"]
    # the cost boxes follow the plan plus the dossier for the new rating
    dossier = STARTING_UPGRADE["rerating_cost"]
    assert app.control("upgrade_cost").read() == risk.Estimate(5e6 + dossier, 13.5e6 + dossier, 22e6 + dossier)
    for part, points in (("A", 30), ("B", 12), ("C", 21)):  # each part's points, a number the table right-aligns
        assert f'data-key="part_{part}" data-value="{float(points)!r}"' in app.results.value
    shown = _text(app.results.value)
    assert "A. Sản phẩm và sức mạnh cộng đồng (40 điểm) 30" in shown
    assert "★★★☆☆ (3 sao)" in shown and "Cách rẻ nhất để lên ★★★★☆ (4 sao)" in shown
    assert "Khả năng lỗ (NPV dưới 0)" in shown
    assert app.chart.value  # a chart was drawn


def test_unticking_a_mandatory_criterion_caps_the_star_and_says_why():
    app = OcopApp("mat_ong", "en")
    checklist = app.control("met_criteria")
    checklist.value = checklist.read() - {"c_test_results"}
    a = app.result.assessment
    assert (a.total, a.star_by_points, a.star) == (58, 3, 2)
    shown = _text(app.results.value)
    assert "★★☆☆☆ (2 stars)" in shown
    assert "a mandatory criterion is missing" in shown
    assert "Valid laboratory test results for safety limits" in shown  # named as missing and in the plan
    # the plan to 3 stars is the test itself, and the cost follows it
    assert [c.key for c in app.result.plan.criteria] == ["c_test_results"]
    assert app.control("upgrade_cost").read().most_likely == 5e6 + STARTING_UPGRADE["rerating_cost"]


def test_a_typed_cost_stays_until_a_tick_changes():
    app = OcopApp("mat_ong", "vi")
    app.control("upgrade_cost").value = (30e6, 40e6, 80e6)
    assert app.result.appraisal.upgrade_cost == 40e6
    app.control("award").value = 150e6  # another box: the typed cost stays
    assert app.control("upgrade_cost").read() == risk.Estimate(30e6, 40e6, 80e6)
    checklist = app.control("met_criteria")
    checklist.value = checklist.read() | {"b_trademark"}
    assert app.control("upgrade_cost").read() != risk.Estimate(30e6, 40e6, 80e6)


def test_a_five_star_product_hides_the_upgrade_and_says_so():
    app = OcopApp("che_shan_tuyet", "en")
    checklist = app.control("met_criteria")
    checklist.value = {c.key for c in app.criteria}
    assert app.error is None and app.result.plan is None
    assert "Five stars are rated again at the national level" in _text(app.results.value)
    hidden = [c.field for c in app.controls if c.box.layout.display == "none"]
    assert "upgrade_cost" in hidden and "met_criteria" not in hidden


def test_the_language_switch_keeps_the_ticks_and_translates_the_checklist():
    app = OcopApp("dua_muoi_phu_tho", "vi")
    checklist = app.control("met_criteria")
    ticked = checklist.read()
    app.set_lang("en")
    assert checklist.read() == ticked
    assert checklist.ticks["a_food_safety"].description.startswith("Food-safety certificate")
    assert "required for 3★" in checklist.ticks["a_food_safety"].description
    assert "Product set: Processed food." in _text(app.results.value)


def test_only_products_with_an_ocop_example_are_offered():
    app = OcopApp(lang="vi")
    offered = {key for _label, key in app.product_choice.options}
    assert offered == set(ocop.load_ocop_products())
    app.product_choice.value = "bi_xanh_dien_bien"
    assert app.result.assessment.star == 2 and len(app.result.assessment.mandatory_missing) == 4


def test_the_exercise_that_uses_the_app_gets_the_apps_npv_and_chance_of_a_loss():
    """Task `npv` of exercises/12_ocop_stars.toml: the boxes it names, typed in the app, give its answer."""
    exercise_set = exercises.set_for("ocop_stars")
    inputs = exercise_set.inputs
    app = OcopApp("che_shan_tuyet", "vi")
    app.control("upgrade_cost").value = (inputs["cost_low"], inputs["cost_likely"], inputs["cost_high"])
    app.control("variable_cost_per_unit").value = inputs["variable_cost"]
    assert app.control("volume_per_year").read() == inputs["volume"]
    assert app.control("price_per_unit").read() == inputs["price"]
    assert app.result.appraisal.npv == pytest.approx(exercise_set.expected(exercise_set.task("npv")))
    assert app.result.simulation.summary.probability_of_loss == pytest.approx(
        exercise_set.expected(exercise_set.task("loss")))
