"""OCOP stars (coopkit.ocop): scoring, the cheapest upgrade, the upgrade's payback, the data files."""

from __future__ import annotations

import itertools
import shutil

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit import ocop
from coopkit.data import datasets_dir
from coopkit.errors import InputError
from coopkit.ocop import Criterion, StarUpgrade


def _criterion(key: str, part: str = "A", points: int = 3, mandatory: bool = False, low: float = 1e6,
               high: float = 3e6) -> Criterion:
    return Criterion(key, part, "g", f"{key} vi", f"{key} en", points, mandatory, low, high)


# ---------------------------------------------------------------------------------------------
# 1. Worked examples


@pytest.mark.parametrize(("points", "star"), [(0, 1), (29, 1), (30, 2), (49, 2), (50, 3), (69, 3), (70, 4),
                                               (89, 4), (90, 5), (100, 5)])
def test_star_bands_of_decision_148(points, star):
    assert ocop.star_for_points(points) == star


def test_every_product_set_has_the_part_totals_of_decision_148():
    for product_set in ocop.PRODUCT_SETS:
        checklist = ocop.load_ocop_criteria(product_set)
        totals = {part: sum(c.points for c in checklist if c.part == part) for part in ocop.PARTS}
        assert totals == {"A": 40, "B": 25, "C": 35}
        mandatory = {c.key for c in checklist if c.mandatory_3star}
        assert mandatory == {"a_registered", "a_food_safety", "b_label", "c_test_results", "c_standard_published"}


def test_every_row_names_its_source_and_says_when_points_are_not_the_annexs():
    for product_set in ocop.PRODUCT_SETS:
        for c in ocop.load_ocop_criteria(product_set):
            assert c.source and c.cost_source and c.as_of == "2023-02-24"
            assert c.points_from_secondary_source
            assert "illustrative" in c.source.lower() or "check annex iii" in c.source.lower()


def test_the_honey_example_scores_63_points_and_3_stars():
    honey = ocop.load_ocop_products()["mat_ong"]
    a = ocop.assess(ocop.load_ocop_criteria("processed"), honey.met)
    assert a.points_by_part == {"A": (30, 40), "B": (12, 25), "C": (21, 35)}
    assert (a.total, a.star_by_points, a.star, a.next_star, a.points_to_next) == (63, 3, 3, 4, 7)
    assert a.mandatory_missing == ()
    frame = a.to_frame()
    assert frame.loc["total", "points"] == 63 and frame.loc["B", "out_of"] == 25


def test_a_missing_mandatory_criterion_caps_the_star_at_two():
    pickle = ocop.load_ocop_products()["dua_muoi_phu_tho"]
    a = ocop.assess(ocop.load_ocop_criteria("processed"), pickle.met)
    assert a.star_by_points == 3 and a.star == 2
    assert [c.key for c in a.mandatory_missing] == ["a_food_safety"]
    # the next star needs no more points, only the certificate
    assert (a.next_star, a.points_to_next) == (3, 0)
    plan = ocop.cheapest_upgrade(ocop.load_ocop_criteria("processed"), pickle.met)
    assert [c.key for c in plan.criteria] == ["a_food_safety"]
    assert plan.star_after == 3


def test_the_cheapest_way_to_four_stars_for_the_honey():
    honey = ocop.load_ocop_products()["mat_ong"]
    plan = ocop.cheapest_upgrade(ocop.load_ocop_criteria("processed"), honey.met)
    # 7 points needed; a trademark (3) and the heritage story (5) cost 13.5 million in the middle
    assert [c.key for c in plan.criteria] == ["b_trademark", "b_story_heritage"]
    assert (plan.cost_low, plan.cost_high, plan.cost_mid) == (5e6, 22e6, 13.5e6)
    assert (plan.total_after, plan.star_after, plan.target_star) == (71, 4, 4)
    assert list(plan.to_frame("en")["criterion"]) == ["Registered trademark (or application filed)",
                                                      "The story tied to local culture, history and people"]


def test_the_upgrade_cash_flows_by_hand():
    # 6 000 kg, 260 000 ₫, 201 000 ₫ variable: 2 % premium and 5 % more volume
    up = StarUpgrade(34e6, 6_000, 260_000, 201_000, 0.02, 0.05, award=150e6, upkeep_per_year=15e6,
                     rerating_cost=20e6, years=7)
    yearly = 6_000 * (1.05 * (260_000 * 1.02 - 201_000) - (260_000 - 201_000)) - 15e6
    assert yearly == pytest.approx(35.46e6)
    flows = ocop.upgrade_cash_flows(up)
    # the award in year 1; a new rating at the end of years 3 and 6 (the one of year 7 is past the horizon)
    assert flows == pytest.approx([yearly + 150e6, yearly, yearly - 20e6, yearly, yearly, yearly - 20e6, yearly])


def test_the_appraisal_agrees_with_numpy_financial():
    up = StarUpgrade((25e6, 34e6, 60e6), 6_000, 260_000, 201_000, (0, 0.02, 0.10), (0, 0.05, 0.20),
                     upkeep_per_year=15e6, rerating_cost=20e6)
    a = ocop.appraise_upgrade(up)
    assert a.npv == pytest.approx(npf.npv(0.09, [-34e6, *a.cash_flows]))
    worst = ocop.upgrade_cash_flows(up, 0.0, 0.0)
    assert a.npv_worst == pytest.approx(npf.npv(0.09, [-60e6, *worst]))
    # no premium and no extra volume: the upkeep and the new rating are all that is left
    assert worst == pytest.approx([-15e6, -15e6, -35e6, -15e6, -15e6, -15e6])
    assert a.payback_years == pytest.approx(34e6 / a.cash_flows[0])
    assert a.yearly_gain == pytest.approx(6_000 * (1.05 * (260_000 * 1.02 - 201_000) - 59_000) - 15e6)
    assert a.to_frame("worst")["cumulative"].iloc[-1] == pytest.approx(-60e6 + sum(worst))
    frame = a.to_frame()
    assert frame.loc[0, "cash_flow"] == -34e6 and frame["cumulative"].iloc[-1] == pytest.approx(-34e6 + sum(a.cash_flows))


# ---------------------------------------------------------------------------------------------
# 2. Edge cases and bad input


def test_a_five_star_product_has_no_next_star():
    checklist = ocop.load_ocop_criteria("fresh")
    everything = {c.key for c in checklist}
    a = ocop.assess(checklist, everything)
    assert (a.total, a.star, a.next_star, a.points_to_next) == (100, 5, None, 0)
    assert ocop.cheapest_upgrade(checklist, everything) is None


def test_nothing_ticked_is_one_star_and_the_plan_to_three_stars_has_every_mandatory_criterion():
    checklist = ocop.load_ocop_criteria("fresh")
    a = ocop.assess(checklist, [])
    assert (a.total, a.star, a.next_star) == (0, 1, 2)
    plan = ocop.cheapest_upgrade(checklist, [], target_star=3)
    assert {c.key for c in plan.criteria} >= {c.key for c in checklist if c.mandatory_3star}
    assert plan.total_after >= 50 and plan.star_after >= 3


def test_a_plan_for_a_star_already_held_is_none():
    honey = ocop.load_ocop_products()["mat_ong"]
    assert ocop.cheapest_upgrade(ocop.load_ocop_criteria("processed"), honey.met, target_star=3) is None


@pytest.mark.parametrize(("call", "field", "reason"), [
    (lambda: ocop.star_for_points(101), "ocop_points", "ocop_points_out_of_range"),
    (lambda: ocop.star_for_points(float("nan")), "ocop_points", "not_finite"),
    (lambda: ocop.points_for_star(6), "target_star", "ocop_bad_star"),
    (lambda: ocop.points_for_star(3.5), "target_star", "ocop_bad_star"),
    (lambda: ocop.load_ocop_criteria("wine"), "product_set", "ocop_unknown_product_set"),
    (lambda: ocop.assess(ocop.load_ocop_criteria("fresh"), ["no_such_thing"]), "met_criteria", "ocop_unknown_criterion"),
    (lambda: ocop.assess([], []), "met_criteria", "ocop_no_criteria"),
    (lambda: _criterion("x", part="D"), "ocop_part", "ocop_unknown_part"),
    (lambda: _criterion("x", part="B", points=26), "ocop_points", "ocop_bad_criterion_points"),
    (lambda: _criterion("x", low=5e6, high=1e6), "cost_high", "ocop_cost_range"),
    (lambda: _criterion("x", high=1e15), "cost_high", "ocop_cost_too_large"),
    (lambda: StarUpgrade(-1, 100, 1_000, 0), "upgrade_cost", "negative"),
    (lambda: StarUpgrade(1e6, 0, 1_000, 0), "volume_per_year", "not_positive"),
    (lambda: StarUpgrade(1e6, 100, 1_000, 0, price_premium=(0, 0.2, 0.1)), "price_premium", "range_outside"),
    (lambda: StarUpgrade(1e6, 100, 1_000, 0, extra_volume=1.5), "extra_volume", "not_a_fraction_incl"),
    (lambda: StarUpgrade(1e6, 100, 1_000, 0, years=0), "horizon_years", "invest_not_whole_in_range"),
    (lambda: StarUpgrade(1e6, 100, 1_000, 0, years=2.5), "horizon_years", "invest_not_whole_in_range"),
    (lambda: StarUpgrade(1e6, 100, 1_000, 0, discount_rate=1.5), "discount_rate", "not_a_fraction"),
])
def test_bad_input_names_its_field_in_both_languages(call, field, reason):
    from coopkit import fields

    with pytest.raises(InputError) as caught:
        call()
    err = caught.value
    assert (err.field, err.reason) == (field, reason)
    vi, en = err.message("vi"), err.message("en")
    assert vi != en and "{" not in vi + en
    if field not in ("met_criteria",):
        assert fields.label(field, "en") in en or err.reason.startswith("ocop_no")


def _copy_datasets(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(datasets_dir(), folder)
    return folder


def test_a_criteria_file_whose_part_does_not_add_up_names_the_row(tmp_path):
    folder = _copy_datasets(tmp_path)
    path = folder / ocop.CRITERIA_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("b_trademark,Nhãn hiệu được bảo hộ hoặc đã nộp đơn đăng ký,Registered trademark "
                                 "(or application filed),3,", "b_trademark,Nhãn hiệu được bảo hộ hoặc đã nộp đơn đăng "
                                 "ký,Registered trademark (or application filed),4,"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ocop.load_ocop_criteria("fresh", folder)
    assert caught.value.reason == "ocop_part_total"
    assert "ocop_criteria.csv" in caught.value.message("en") and "26" in caught.value.message("en")
    assert "phần B" in caught.value.message("vi")


def test_a_criteria_row_with_a_bad_number_names_file_row_and_column(tmp_path):
    folder = _copy_datasets(tmp_path)
    path = folder / ocop.CRITERIA_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ",b_label," in line)
    lines[row] = lines[row].replace(",3,1,5000000,15000000,", ",3,1,5000000,1500000,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ocop.load_ocop_criteria("tea_coffee", folder)
    message = caught.value.message("en")
    assert f"row {row + 1}" in message and "cost_high" in message and ocop.CRITERIA_FILE in message


def test_an_example_that_ticks_an_unknown_criterion_is_refused(tmp_path):
    folder = _copy_datasets(tmp_path)
    path = folder / ocop.PRODUCTS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("mat_ong,processed,a_raw_material",
                                                             "mat_ong,processed,a_raw_materials"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ocop.load_ocop_products(folder)
    assert caught.value.reason == "data_unknown_value"
    assert "a_raw_materials" in caught.value.message("vi") and "row 2" in caught.value.message("en")


def test_every_example_names_a_product_template():
    from coopkit.data import load_products

    assert set(ocop.load_ocop_products()) <= set(load_products())


# ---------------------------------------------------------------------------------------------
# 3. Invariants


@st.composite
def checklists(draw):
    """Small checklists of one part each (A, B, C) with random points and costs, and what is met."""
    items = []
    for part in ocop.PARTS:
        count = draw(st.integers(1, 4))
        points = draw(st.lists(st.integers(1, 12), min_size=count, max_size=count))
        for i, p in enumerate(points):
            low = draw(st.integers(0, 50)) * 1e6
            high = low + draw(st.integers(0, 50)) * 1e6
            items.append(_criterion(f"{part.lower()}{i}", part, p, draw(st.booleans()), low, high))
    met = draw(st.sets(st.sampled_from([c.key for c in items])))
    return items, met


@settings(max_examples=150, deadline=None)
@given(checklists())
def test_the_star_follows_the_points_and_the_mandatory_criteria(case):
    items, met = case
    a = ocop.assess(items, met)
    assert a.total == sum(c.points for c in items if c.key in met)
    assert a.star_by_points == ocop.star_for_points(a.total)
    assert a.star == (min(a.star_by_points, 2) if a.mandatory_missing else a.star_by_points)
    assert all(c.mandatory_3star and c.key not in met for c in a.mandatory_missing)


@settings(max_examples=150, deadline=None)
@given(checklists(), st.integers(2, 5))
def test_the_cheapest_upgrade_is_the_cheapest_of_all_subsets(case, target):
    items, met = case
    now = ocop.assess(items, met)
    reachable = ocop.assess(items, {c.key for c in items})
    if now.star >= target or reachable.star < target:
        return
    plan = ocop.cheapest_upgrade(items, met, target_star=target)
    assert plan.star_after >= target
    unmet = [c for c in items if c.key not in met]
    best = min(
        sum(c.cost_mid for c in subset)
        for n in range(len(unmet) + 1)
        for subset in itertools.combinations(unmet, n)
        if ocop.assess(items, met | {c.key for c in subset}).star >= target
    )
    assert plan.cost_mid == pytest.approx(best)


@settings(max_examples=60, deadline=None)
@given(premium=st.floats(0, 0.5), extra=st.floats(0, 0.5), cost=st.floats(0, 1e9), years=st.integers(1, 12))
def test_the_npv_grows_with_the_premium_and_the_simulation_of_a_known_future_is_the_appraisal(premium, extra, cost, years):
    up = StarUpgrade(cost, 5_000, 100_000, 60_000, premium, extra, upkeep_per_year=5e6, rerating_cost=8e6,
                     years=years)
    a = ocop.appraise_upgrade(up)
    higher = ocop.appraise_upgrade(StarUpgrade(cost, 5_000, 100_000, 60_000, premium + 0.01, extra,
                                               upkeep_per_year=5e6, rerating_cost=8e6, years=years))
    assert higher.npv > a.npv
    assert a.npv_worst == pytest.approx(a.npv) and a.npv_best == pytest.approx(a.npv)
    simulated = ocop.simulate_upgrade(up, draws=10, seed=3).profit
    assert np.allclose(simulated, a.npv, rtol=1e-9, atol=1e-3)


def test_the_probability_of_a_loss_falls_as_the_premium_rises():
    def loss(premium):
        up = StarUpgrade((25e6, 34e6, 60e6), 6_000, 260_000, 201_000, premium, (0, 0.05, 0.2),
                         upkeep_per_year=15e6, rerating_cost=20e6)
        return ocop.simulate_upgrade(up, draws=20_000, seed=7).summary.probability_of_loss

    low, mid, high = loss((0, 0.0, 0.02)), loss((0, 0.02, 0.10)), loss((0.05, 0.08, 0.16))
    assert low > mid > high == 0.0


# ---------------------------------------------------------------------------------------------
# 4. Regressions


def test_a_met_list_given_as_text_is_split_into_keys():
    checklist = ocop.load_ocop_criteria("fresh")
    assert ocop.assess(checklist, "a_registered b_label").total == 6
