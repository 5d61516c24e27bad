"""Crop mix by linear programming (coopkit.cropmix): worked examples, limits, shadow prices,
brute-force vertex checks, infeasible plans and the chart; the app is in test_app_cropmix.py."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
from helpers import assert_input_error
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit import cropmix
from coopkit.cropmix import Crop, Farm, InfeasiblePlan, best_crop_mix, son_la_example
from coopkit.errors import InputError

ZERO = (0.0,) * 12


def months(**days: float) -> tuple[float, ...]:
    """12 labour figures, zero except the months named ``m1`` … ``m12``."""
    out = [0.0] * 12
    for name, value in days.items():
        out[int(name[1:]) - 1] = value
    return tuple(out)


def crop(key, margin_million, *, labour=ZERO, cash=0.0, max_area=math.inf, contract_kg=0.0, yield_kg=1_000.0):
    """A crop whose margin per ha is ``margin_million`` million đồng (price × yield, no costs)."""
    return Crop(key, key, key, yield_kg, margin_million * 1e6 / yield_kg, 0.0, labour, cash,
                max_area_ha=max_area, min_output_kg=contract_kg)


# --------------------------------------------------------------------------- worked examples


def test_wyndor_glass_textbook_example():
    """Hillier & Lieberman, Introduction to Operations Research (Wyndor Glass Co., §3.1 and the
    shadow prices of §4.7): max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 → x = 2, y = 6, Z = 36,
    shadow prices 0, 1.5, 1. Here in millions of đồng: x ≤ 4 is crop A's largest area, 2y ≤ 12
    the labour of January, 3x + 2y ≤ 18 the working capital (3 and 2 million per ha, 18 million)."""
    a = crop("a", 3, cash=3e6, max_area=4)
    b = crop("b", 5, labour=months(m1=2), cash=2e6)
    farm = Farm(100, months(m1=12), 18e6)
    mix = best_crop_mix([a, b], farm)
    assert mix.areas_ha == pytest.approx((2.0, 6.0))
    assert mix.total_margin == pytest.approx(36e6)
    assert mix.shadow_price("labour:1") == pytest.approx(1.5e6)  # per labour-day
    assert mix.shadow_price("working_capital") == pytest.approx(1e6)  # per million đồng
    assert mix.shadow_price("max_area:a") == pytest.approx(0.0, abs=1e-6)
    assert mix.shadow_price("land") == pytest.approx(0.0, abs=1e-6)
    assert {limit.key for limit in mix.binding} == {"labour:1", "working_capital"}
    assert mix.limit("max_area:a").slack == pytest.approx(2.0)
    assert mix.limit("land").slack == pytest.approx(92.0)


def test_land_and_contract_worked_by_hand():
    """10 ha; crop 1 earns 10 million/ha, crop 2 6 million/ha and 2 t/ha, 8 t of crop 2 promised.
    By hand: crop 2 takes its contract's 4 ha, crop 1 the other 6 ha → 6·10 + 4·6 = 84 million.
    One more ha of land goes to crop 1: +10 million. One more tonne promised moves 0.5 ha from
    crop 1 to crop 2: −0.5 · (10 − 6) = −2 million."""
    one = crop("one", 10)
    two = crop("two", 6, yield_kg=2_000, contract_kg=8_000)
    mix = best_crop_mix([one, two], Farm(10, ZERO, 0))
    assert mix.areas_ha == pytest.approx((6.0, 4.0))
    assert mix.total_margin == pytest.approx(84e6)
    assert mix.shadow_price("land") == pytest.approx(10e6)
    assert mix.shadow_price("contract:two") == pytest.approx(-2e6)
    assert mix.limit("contract:two").binding and mix.limit("contract:two").used == pytest.approx(8_000)
    assert mix.limit("contract:two").step == 1_000


def test_son_la_example_default_plan():
    crops, farm = son_la_example()
    mix = best_crop_mix(crops, farm)
    areas = dict(zip([c.key for c in crops], mix.areas_ha, strict=True))
    assert areas["ca_phe"] >= 16.0 - 1e-9  # the 40 t contract at 2.5 t/ha
    assert sum(mix.areas_ha) == pytest.approx(50.0)
    assert {limit.key for limit in mix.binding} == {"land", "labour:11", "working_capital", "max_area:man"}
    # every number has a source or is marked as an assumption
    assert all(c.source for c in crops) and "farm" in cropmix.SON_LA_SOURCES
    assert all(("FAOSTAT" in s or "illustrative assumption" in s or "products.csv" in s)
               for s in cropmix.SON_LA_SOURCES.values())


# --------------------------------------------------------------------------- shadow prices by finite difference


def _labour_plus(farm: Farm, month: int, extra: float) -> Farm:
    days = list(farm.labour_days_per_month)
    days[month - 1] += extra
    return replace(farm, labour_days_per_month=tuple(days))


@pytest.mark.parametrize(
    ("key", "change"),
    [
        ("land", lambda crops, farm: (crops, replace(farm, land_ha=farm.land_ha + 1))),
        ("labour:11", lambda crops, farm: (crops, _labour_plus(farm, 11, 1))),
        ("working_capital", lambda crops, farm: (crops, replace(farm, working_capital=farm.working_capital + 1e6))),
        ("max_area:man", lambda crops, farm: (
            tuple(replace(c, max_area_ha=c.max_area_ha + 1) if c.key == "man" else c for c in crops), farm)),
    ],
)
def test_shadow_price_equals_the_margin_of_one_more_unit(key, change):
    crops, farm = son_la_example()
    mix = best_crop_mix(crops, farm)
    more = best_crop_mix(*change(crops, farm))
    assert mix.shadow_price(key) > 0
    assert more.total_margin - mix.total_margin == pytest.approx(mix.shadow_price(key), rel=1e-6)


def test_contract_shadow_price_by_finite_difference():
    crops, farm = son_la_example()
    tight = tuple(replace(c, min_output_kg=45_000) if c.key == "ca_phe" else c for c in crops)
    mix = best_crop_mix(tight, farm)
    assert mix.limit("contract:ca_phe").binding
    more = best_crop_mix(tuple(replace(c, min_output_kg=45_100) if c.key == "ca_phe" else c for c in tight), farm)
    # 100 kg more is a tenth of the one-tonne step
    assert (more.total_margin - mix.total_margin) * 10 == pytest.approx(mix.shadow_price("contract:ca_phe"), rel=1e-6)
    assert mix.shadow_price("contract:ca_phe") < 0


def test_non_binding_limits_are_worth_nothing():
    crops, farm = son_la_example()
    mix = best_crop_mix(crops, farm)
    for limit in mix.limits:
        if not limit.binding:
            assert limit.shadow_price == pytest.approx(0.0, abs=1e-3), limit.key
            assert limit.slack > 0


# --------------------------------------------------------------------------- every limit holds


def _assert_feasible(mix, crops, farm, tol=1e-6):
    areas = np.array(mix.areas_ha)
    assert (areas >= 0).all()
    assert areas.sum() <= farm.land_ha * (1 + tol) + tol
    for m in range(12):
        used = sum(a * c.labour_days_per_month[m] for a, c in zip(areas, crops, strict=True))
        assert used <= farm.labour_days_per_month[m] * (1 + tol) + tol
    assert sum(a * c.cash_per_ha for a, c in zip(areas, crops, strict=True)) <= farm.working_capital * (1 + tol) + 1
    for a, c in zip(areas, crops, strict=True):
        assert a <= c.max_area_ha * (1 + tol) + tol
        assert a * c.yield_kg_per_ha >= c.min_output_kg * (1 - tol) - tol
    assert mix.total_margin == pytest.approx(sum(a * c.margin_per_ha for a, c in zip(areas, crops, strict=True)), rel=1e-9, abs=1e-3)


def test_default_plan_satisfies_every_limit():
    crops, farm = son_la_example()
    _assert_feasible(best_crop_mix(crops, farm), crops, farm)


# --------------------------------------------------------------------------- brute force over vertices


def _brute_force_best(crops, farm):
    """The best margin over all vertices of the feasible polytope (None when there is none)."""
    n = len(crops)
    rows, rhs = [np.ones(n)], [farm.land_ha]
    for m in range(12):
        rows.append(np.array([c.labour_days_per_month[m] for c in crops]))
        rhs.append(farm.labour_days_per_month[m])
    rows.append(np.array([c.cash_per_ha for c in crops]) / 1e6)
    rhs.append(farm.working_capital / 1e6)
    for i, c in enumerate(crops):
        e = np.eye(n)[i]
        if c.min_output_kg > 0:
            rows.append(-e * c.yield_kg_per_ha / 1e3)
            rhs.append(-c.min_output_kg / 1e3)
        if math.isfinite(c.max_area_ha):
            rows.append(e)
            rhs.append(c.max_area_ha)
        rows.append(-e)
        rhs.append(0.0)
    keep = [i for i, r in enumerate(rows) if np.any(r != 0)]
    g, h = np.array([rows[i] for i in keep]), np.array([rhs[i] for i in keep])
    margins = np.array([c.margin_per_ha for c in crops])
    best = None
    for combo in itertools.combinations(range(len(g)), n):
        sub = g[list(combo)]
        if abs(np.linalg.det(sub)) < 1e-9:
            continue
        x = np.linalg.solve(sub, h[list(combo)])
        if np.all(g @ x <= h + 1e-7 * (1 + np.abs(h))):
            value = float(margins @ x)
            best = value if best is None else max(best, value)
    return best


@st.composite
def small_plans(draw):
    n = draw(st.integers(2, 3))
    active = draw(st.lists(st.integers(0, 11), min_size=1, max_size=2, unique=True))
    crops = []
    for i in range(n):
        labour = [0.0] * 12
        for m in active:
            labour[m] = float(draw(st.integers(0, 40)))
        contract = draw(st.sampled_from([0.0, 0.0, float(draw(st.integers(1, 30))) * 1_000]))
        crops.append(Crop(
            f"c{i}", f"c{i}", f"c{i}",
            yield_kg_per_ha=float(draw(st.integers(1, 20))) * 1_000,
            price_per_kg=float(draw(st.integers(1, 50))) * 1_000,
            variable_costs_per_ha=float(draw(st.integers(0, 60))) * 1e6,
            labour_days_per_month=tuple(labour),
            cash_per_ha=float(draw(st.integers(0, 100))) * 1e6,
            max_area_ha=draw(st.sampled_from([math.inf, float(draw(st.integers(0, 30)))])),
            min_output_kg=contract,
        ))
    labour = [0.0] * 12
    for m in active:
        labour[m] = float(draw(st.integers(0, 800)))
    farm = Farm(float(draw(st.integers(0, 40))), tuple(labour), float(draw(st.integers(0, 3_000))) * 1e6)
    return crops, farm


@settings(max_examples=80)
@given(small_plans())
def test_no_vertex_beats_the_lp_answer(plan):
    crops, farm = plan
    best = _brute_force_best(crops, farm)
    try:
        mix = best_crop_mix(crops, farm)
    except InfeasiblePlan:
        assert best is None, "a feasible vertex exists but the plan was called infeasible"
        return
    assert best is not None
    _assert_feasible(mix, crops, farm)
    assert mix.total_margin >= best - 1e-6 * max(1.0, abs(best)) - 1.0
    assert mix.total_margin <= best + 1e-6 * max(1.0, abs(best)) + 1.0


@settings(max_examples=60)
@given(small_plans(), st.sampled_from(["land", "working_capital"]))
def test_shadow_prices_match_small_finite_differences(plan, key):
    crops, farm = plan
    try:
        mix = best_crop_mix(crops, farm)
    except InfeasiblePlan:
        return
    step = 1e-4
    if key == "land":
        more = best_crop_mix(crops, replace(farm, land_ha=farm.land_ha + step))
        less = best_crop_mix(crops, replace(farm, land_ha=farm.land_ha - step)) if farm.land_ha > step else None
        unit = step
    else:
        more = best_crop_mix(crops, replace(farm, working_capital=farm.working_capital + step * 1e6))
        less = None
        unit = step
    slope_up = (more.total_margin - mix.total_margin) / unit
    price = mix.shadow_price(key)
    # at a degenerate corner the dual lies between the left and right slopes
    if less is not None:
        slope_down = (mix.total_margin - less.total_margin) / unit
        assert slope_up - 1e-3 * max(1.0, abs(price)) - 5 <= price <= slope_down + 1e-3 * max(1.0, abs(price)) + 5
    else:
        assert price >= slope_up - 1e-3 * max(1.0, abs(price)) - 5
    assert price >= 0


# --------------------------------------------------------------------------- infeasible plans


def test_infeasible_contract_names_land():
    crops, farm = son_la_example()
    with pytest.raises(InputError) as excinfo:
        best_crop_mix(crops, replace(farm, land_ha=12))
    assert_input_error(excinfo, "min_output_kg", "crop_mix_infeasible")
    err = excinfo.value
    assert isinstance(err, InfeasiblePlan)
    assert err.limit_keys == ("land", "contract:ca_phe")
    en = err.message("en")
    assert "40 t Arabica coffee contract needs at least 16 ha" in en and "only 12 ha" in en
    vi = err.message("vi")
    assert "40 tấn Cà phê chè" in vi and "16 ha" in vi and "12 ha" in vi


def test_infeasible_plan_names_every_conflicting_limit():
    crops, farm = son_la_example()
    # plums promised too: 200 t at 12 t/ha needs 16.7 ha but at most 15 ha may be planted;
    # with coffee's 16 ha the contracts need 32.7 ha of land, 1 480 labour-days in May, ...
    crops = tuple(replace(c, min_output_kg=200_000) if c.key == "man" else c for c in crops)
    small = _labour_plus(replace(farm, land_ha=30, working_capital=2e9), 11, -600)
    with pytest.raises(InfeasiblePlan) as excinfo:
        best_crop_mix(crops, small)
    keys = set(excinfo.value.limit_keys)
    assert {"land", "max_area:man", "working_capital", "labour:11", "contract:ca_phe", "contract:man"} <= keys
    en = excinfo.value.message("en")
    assert "Labour in November" in en and "Working capital" in en and "Largest area for Mộc Châu plums" in en


@settings(max_examples=80)
@given(small_plans())
def test_loosening_the_named_limits_is_necessary_and_enough(plan):
    crops, farm = plan
    try:
        best_crop_mix(crops, farm)
    except InfeasiblePlan as err:
        capacity = [k for k in err.limit_keys if not k.startswith("contract:")]
        assert capacity and all(k.startswith("contract:") for k in err.limit_keys[len(capacity):])

        def loosen(keys):
            f, cs = farm, list(crops)
            for key in keys:
                if key == "land":
                    f = replace(f, land_ha=1e9)
                elif key == "working_capital":
                    f = replace(f, working_capital=1e15)
                elif key.startswith("labour:"):
                    f = _labour_plus(f, int(key.split(":")[1]), 1e9)
                elif key.startswith("max_area:"):
                    cs = [replace(c, max_area_ha=math.inf) if c.key == key.split(":")[1] else c for c in cs]
            return cs, f

        best_crop_mix(*loosen(capacity))  # all of them together: feasible
        for left_out in capacity:  # each one is needed
            with pytest.raises(InfeasiblePlan):
                best_crop_mix(*loosen([k for k in capacity if k != left_out]))
        # dropping the contracts always works
        best_crop_mix([replace(c, min_output_kg=0) for c in crops], farm)


# --------------------------------------------------------------------------- edge cases


def test_no_land_plants_nothing():
    crops, farm = son_la_example()
    free = tuple(replace(c, min_output_kg=0) for c in crops)
    mix = best_crop_mix(free, replace(farm, land_ha=0))
    assert mix.areas_ha == (0.0,) * len(crops) and mix.total_margin == 0
    assert "nên trồng" in mix.explain("vi")[0] or "Không" in mix.explain("vi")[0]


def test_losing_crops_are_not_planted():
    loser = Crop("x", "X", "X", 1_000, 1_000, 5e6, ZERO, 0)
    mix = best_crop_mix([loser], Farm(10, ZERO, 0))
    assert mix.areas_ha == (0.0,)
    assert mix.explain("en")[0].startswith("Plant nothing")


def test_contract_exactly_at_the_land_is_feasible_and_binding():
    coffee = crop("coffee", 10, yield_kg=2_500, contract_kg=40_000)
    mix = best_crop_mix([coffee], Farm(16, ZERO, 0))
    assert mix.areas_ha == pytest.approx((16.0,))
    assert mix.limit("land").binding and mix.limit("contract:coffee").binding


def test_a_contract_on_a_losing_crop_costs_margin():
    loser = Crop("x", "X", "X", 1_000, 1_000, 5e6, ZERO, 0, min_output_kg=3_000)
    mix = best_crop_mix([loser, crop("y", 2)], Farm(10, ZERO, 0))
    assert mix.areas_ha == pytest.approx((3.0, 7.0))
    assert mix.shadow_price("contract:x") == pytest.approx(-(4e6 + 2e6))  # 1 ha of x instead of y per tonne


def test_no_labour_in_a_needed_month_plants_nothing_of_that_crop():
    mix = best_crop_mix([crop("a", 10, labour=months(m3=5)), crop("b", 1)], Farm(10, ZERO, 0))
    assert mix.areas_ha == pytest.approx((0.0, 10.0))


def test_results_as_tables_and_words():
    crops, farm = son_la_example()
    mix = best_crop_mix(crops, farm)
    frame = mix.to_frame("en")
    assert list(frame["key"]) == [c.key for c in crops]
    assert frame["margin"].sum() == pytest.approx(mix.total_margin)
    assert frame["share"].sum() == pytest.approx(1.0)
    limits = mix.limits_frame("vi")
    assert len(limits) == 1 + 12 + 1 + 1 + 5  # land, months, capital, one contract, five largest areas
    assert limits.loc[limits["key"] == "labour:11", "limit_name"].item() == "Công lao động tháng 11"
    assert list(mix.labour_frame()["month"]) == list(range(1, 13))
    for lang in ("vi", "en"):
        lines = mix.explain(lang)
        assert len(lines) == 1 + len(mix.binding)
        assert all("{" not in line and "cropmix." not in line for line in lines)
    assert "Labour in November is a binding limit" in " ".join(mix.explain("en"))


def test_inputs_are_not_changed():
    crops, farm = son_la_example()
    before = (crops, farm)
    best_crop_mix(list(crops), farm)
    assert (crops, farm) == before


# --------------------------------------------------------------------------- bad input


def test_crop_errors_name_the_field_and_the_crop():
    with pytest.raises(InputError) as excinfo:
        Crop("ca_phe", "Cà phê", "Coffee", 0, 115_000, 0, ZERO, 0)
    assert_input_error(excinfo, "yield_kg_per_ha", "not_positive")
    assert excinfo.value.params["crop"] == "ca_phe"
    assert "Cà phê" in excinfo.value.message("vi") and "Coffee" in excinfo.value.message("en")
    with pytest.raises(InputError) as excinfo:
        Crop("c", "C", "C", 1_000, float("nan"), 0, ZERO, 0)
    assert_input_error(excinfo, "price_per_kg", "not_finite")
    with pytest.raises(InputError) as excinfo:
        Crop("c", "C", "C", 1_000, "abc", 0, ZERO, 0)
    assert_input_error(excinfo, "price_per_kg", "not_a_number")
    with pytest.raises(InputError) as excinfo:
        Crop("c", "C", "C", 1_000, 1_000, 0, ZERO, -1)
    assert_input_error(excinfo, "cash_per_ha", "negative")
    with pytest.raises(InputError) as excinfo:
        Crop("c", "C", "C", 1_000, 1_000, 0, ZERO, 0, max_area_ha=-2)
    assert_input_error(excinfo, "max_area_ha", "negative")
    with pytest.raises(InputError) as excinfo:
        Crop("c", "C", "C", 1_000, 1_000, 0, (1, 2, 3), 0)
    assert_input_error(excinfo, "labour_days_per_month", "crop_mix_months")
    with pytest.raises(InputError) as excinfo:
        Crop("c", "C", "C", 1_000, 1_000, 0, (1,) * 11 + (-1,), 0)
    assert_input_error(excinfo, "labour_days_per_month", "negative")
    with pytest.raises(InputError) as excinfo:
        Crop("", "C", "C", 1_000, 1_000, 0, ZERO, 0)
    assert_input_error(excinfo, "crop", "empty_name")


def test_farm_and_plan_errors():
    with pytest.raises(InputError) as excinfo:
        Farm(-1, ZERO, 0)
    assert_input_error(excinfo, "land_ha", "negative")
    with pytest.raises(InputError) as excinfo:
        Farm(10, 5, 0)
    assert_input_error(excinfo, "labour_days_per_month", "crop_mix_months")
    with pytest.raises(InputError) as excinfo:
        Farm(10, ZERO, float("inf"))
    assert_input_error(excinfo, "working_capital", "not_finite")
    farm = Farm(10, ZERO, 0)
    with pytest.raises(InputError) as excinfo:
        best_crop_mix([], farm)
    assert_input_error(excinfo, "crops", "crop_mix_no_crops")
    with pytest.raises(InputError) as excinfo:
        best_crop_mix([crop("a", 1), crop("a", 2)], farm)
    assert_input_error(excinfo, "crops", "duplicate_key")
    with pytest.raises(InputError) as excinfo:
        best_crop_mix(["coffee"], farm)
    assert_input_error(excinfo, "crops", "crop_mix_not_a_crop")
    with pytest.raises(InputError) as excinfo:
        best_crop_mix([crop("a", 1)], {"land_ha": 10})
    assert_input_error(excinfo, "land_ha", "crop_mix_not_a_farm")


def test_import_coopkit_cropmix_does_not_import_scipy_until_solving():
    import subprocess
    import sys

    code = "import sys, coopkit.cropmix; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


# --------------------------------------------------------------------------- chart


def test_charts_draw_the_land_split_and_labour():
    from coopkit.plots.cropmix import crop_mix_chart, labour_chart, land_chart
    from coopkit.ui.base import figure_png

    crops, farm = son_la_example()
    mix = best_crop_mix(crops, farm)
    land = land_chart(mix, "vi")
    ax = land.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [c.name("vi") for c in crops][::-1]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx(sorted(mix.areas_ha))
    labour = labour_chart(mix, "en")
    heights = [p.get_height() for p in labour.axes[0].patches]
    assert heights == pytest.approx(list(mix.labour_frame()["used"]))
    assert labour.axes[0].get_title() == "Labour by month"
    both = crop_mix_chart(mix, "en")
    assert len(both.axes) == 2
    assert figure_png(both)[:4] == b"\x89PNG"
