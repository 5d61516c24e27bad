"""The laying flock (coopkit.flock) and its chart; the app is in test_app_flock.py."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

from coopkit import data
from coopkit.errors import InputError
from coopkit.flock import (
    BROWN_LAYER_CURVE,
    DAYS_PER_MONTH,
    EGGS_PER_TRAY,
    Flock,
    break_even_egg_price,
    break_even_laying_rate,
    eggs_per_day,
    flock_plan,
    laying_curve,
    monthly_mortality,
    trays,
)


@pytest.fixture(scope="module")
def eggs_template():
    return data.load_products()["trung_son_nam"]


def son_nam(**changes) -> Flock:
    """The Sơn Nam flock as reported: 5 000 hens, about 3 000 eggs a day, no losses."""
    return replace(Flock(hens=5_000, laying_rate=0.6, mortality_per_month=0.0), **changes)


# -- worked examples ------------------------------------------------------------------------


def test_son_nam_lays_what_its_template_plans(eggs_template):
    # Reported (datasets/products.csv, trung_son_nam): 5 000 hens, about 3 000 eggs a day,
    # 3 000 × 365 = 1 095 000 eggs a year.
    plan = flock_plan(son_nam())
    assert plan.eggs_per_day == pytest.approx(3_000)
    assert plan.trays_per_day == pytest.approx(100)
    assert plan.eggs_per_year == pytest.approx(eggs_template.volume_per_season)
    assert plan.eggs == pytest.approx(1_095_000)
    assert plan.average_laying_rate == pytest.approx(0.6)


def test_son_nam_cost_per_egg_agrees_with_the_template(eggs_template):
    # The template's feed item is 1 750 ₫ an egg (115 g × 5 000 hens ÷ 3 000 eggs at about
    # 9 200 ₫/kg); by hand 0.115 kg × 9 200 ₫ ÷ 0.6 = 1 763.3 ₫. Its unit cost is 2 623.7 ₫.
    plan = flock_plan(son_nam())
    assert plan.feed_cost_per_egg == pytest.approx(0.115 * 9_200 / 0.6)
    template_cost = eggs_template.cost_summary().unit_cost
    assert plan.cost_per_egg == pytest.approx(template_cost, rel=0.01)
    assert plan.break_even_price_per_egg < eggs_template.price_per_unit
    assert plan.profit == pytest.approx(plan.eggs * (2_800 - plan.cost_per_egg))


def test_son_nam_with_losses_still_lays_about_3000_a_day():
    plan = flock_plan(Flock())  # defaults: Sơn Nam with 0.5 % of the hens lost a month
    assert plan.eggs_per_day == pytest.approx(3_000, rel=0.05)
    assert plan.eggs_per_day < 3_000
    assert plan.hens_at_end == pytest.approx(5_000 * 0.995**12)


def test_six_percent_per_cycle_leaves_94_percent_of_the_hens():
    monthly = monthly_mortality(0.06, 12)
    plan = flock_plan(son_nam(mortality_per_month=monthly))
    assert plan.hens_at_end == pytest.approx(4_700)
    assert monthly == pytest.approx(1 - 0.94 ** (1 / 12))


def test_month_hens_are_the_average_of_first_and_last_day():
    plan = flock_plan(son_nam(mortality_per_month=0.02), months=2)
    assert plan.table["hens"].tolist() == pytest.approx([5_000 * 0.99, 5_000 * 0.98 * 0.99])


def test_feed_and_costs_by_hand():
    plan = flock_plan(son_nam(other_costs_per_month=30_000_000, other_cost_per_egg=200), months=1)
    hen_days = 5_000 * DAYS_PER_MONTH
    assert plan.feed_kg == pytest.approx(hen_days * 0.115)
    assert plan.feed_cost == pytest.approx(hen_days * 0.115 * 9_200)
    assert plan.other_costs == pytest.approx(30_000_000 + 200 * hen_days * 0.6)
    assert plan.cost_per_egg == pytest.approx(plan.total_costs / plan.eggs)


def test_laying_curve_of_brown_layers():
    # Shape of brown-layer guides (illustrative assumption): ~20 % at 19 weeks, ~92 % at 26–30,
    # ~70 % at 72 weeks and after; nothing before 17 weeks.
    assert laying_curve(19) == pytest.approx(0.20)
    assert laying_curve(26) == laying_curve(30) == pytest.approx(0.92)
    assert laying_curve(72) == pytest.approx(0.70)
    assert laying_curve(10) == 0.0
    assert 0.65 <= laying_curve(100) <= 0.70
    weeks = np.arange(17, 26.25, 0.5)
    assert np.all(np.diff(laying_curve(weeks)) > 0)
    later = np.arange(30, 90, 0.5)
    assert np.all(np.diff(laying_curve(later)) <= 0)
    assert max(rate for _week, rate in BROWN_LAYER_CURVE) <= 0.93


def test_curve_plan_reads_the_rate_at_mid_month():
    plan = flock_plan(son_nam(laying_rate=None, age_weeks=24), months=3)
    ages = 24 + (np.arange(1, 4) - 0.5) * DAYS_PER_MONTH / 7
    assert plan.table["age_weeks"].tolist() == pytest.approx(ages.tolist())
    assert plan.table["laying_rate"].tolist() == pytest.approx(laying_curve(ages).tolist())
    assert plan.table["eggs"].tolist() == pytest.approx((5_000 * DAYS_PER_MONTH * laying_curve(ages)).tolist())


def test_small_helpers():
    assert eggs_per_day(5_000, 0.6) == pytest.approx(3_000)
    assert trays(3_000) == 100
    assert EGGS_PER_TRAY == 30


def test_to_frame_holds_every_total():
    plan = flock_plan(son_nam())
    frame = plan.to_frame().set_index("key")["value"]
    assert frame["eggs_per_day"] == pytest.approx(3_000)
    assert frame["cost_per_egg"] == pytest.approx(plan.cost_per_egg)
    assert "table" not in frame.index


# -- edge cases -----------------------------------------------------------------------------


def test_one_month_plan():
    plan = flock_plan(son_nam(), months=1)
    assert len(plan.table) == 1
    assert plan.eggs == pytest.approx(3_000 * DAYS_PER_MONTH)


def test_a_perfect_flock_may_lay_every_day():
    assert flock_plan(son_nam(laying_rate=1.0)).eggs_per_day == pytest.approx(5_000)


def test_pullets_months_without_eggs_have_no_cost_per_egg():
    plan = flock_plan(son_nam(laying_rate=None, age_weeks=10))
    first = plan.table.iloc[0]
    assert first["eggs"] == 0 and math.isnan(first["cost_per_egg"])
    assert math.isfinite(plan.cost_per_egg) and plan.eggs > 0
    assert first["feed_cost"] > 0  # pullets eat before they lay


def test_free_feed_costs_only_the_other_costs():
    plan = flock_plan(son_nam(feed_price_per_kg=0, other_costs_per_month=0, other_cost_per_egg=150))
    assert plan.cost_per_egg == pytest.approx(150)


def test_price_not_covering_the_cost_per_egg_has_no_break_even_rate():
    assert break_even_laying_rate(son_nam(price_per_egg=300, other_cost_per_egg=300)) == math.inf


def test_break_even_rate_above_one_when_the_price_is_too_low():
    assert break_even_laying_rate(son_nam(price_per_egg=1_000)) > 1


# -- invariants -----------------------------------------------------------------------------

rates = st.floats(min_value=0.05, max_value=1.0)
hens = st.floats(min_value=1, max_value=200_000)
mortality = st.floats(min_value=0.0, max_value=0.2)
months = st.integers(min_value=1, max_value=36)


@given(hens=hens, rate=rates, months=months)
def test_eggs_are_hens_times_rate_times_days_without_losses(hens, rate, months):
    plan = flock_plan(Flock(hens=hens, laying_rate=rate, mortality_per_month=0.0), months)
    assert plan.eggs == pytest.approx(hens * rate * months * DAYS_PER_MONTH, rel=1e-9)
    assert plan.eggs_per_day == pytest.approx(hens * rate, rel=1e-9)


@given(low=mortality, high=mortality, rate=rates, age=st.floats(min_value=0, max_value=90), curve=st.booleans(),
       months=months)
def test_more_mortality_never_gives_more_eggs(low, high, rate, age, curve, months):
    low, high = sorted((low, high))
    base = Flock(laying_rate=None if curve else rate, age_weeks=age if curve else 40.0)
    try:
        fewer = flock_plan(replace(base, mortality_per_month=high), months)
    except InputError as err:  # pullets too young to lay in the months planned, whatever the losses
        assert err.reason == "no_eggs" and curve
        return
    more = flock_plan(replace(base, mortality_per_month=low), months)
    assert fewer.eggs <= more.eggs * (1 + 1e-12)
    assert np.all(fewer.table["eggs"].to_numpy() <= more.table["eggs"].to_numpy() * (1 + 1e-12))


@given(rate=rates, m=mortality, months=months)
def test_trays_are_eggs_divided_by_30(rate, m, months):
    plan = flock_plan(Flock(laying_rate=rate, mortality_per_month=m), months)
    assert plan.table["trays"].to_numpy() == pytest.approx(plan.table["eggs"].to_numpy() / 30)
    assert plan.trays_per_day == pytest.approx(plan.eggs_per_day / 30)


@given(rate=rates, m=mortality, price=st.floats(min_value=500, max_value=10_000), months=months)
def test_profit_is_zero_at_the_break_even_price(rate, m, price, months):
    flock = Flock(laying_rate=rate, mortality_per_month=m, price_per_egg=price)
    at_break_even = replace(flock, price_per_egg=break_even_egg_price(flock, months))
    plan = flock_plan(at_break_even, months)
    assert plan.profit == pytest.approx(0, abs=1e-6 * plan.total_costs)


@given(rate=rates, m=mortality, price=st.floats(min_value=1_500, max_value=10_000), months=months)
def test_profit_is_zero_at_the_break_even_laying_rate(rate, m, price, months):
    flock = Flock(laying_rate=rate, mortality_per_month=m, price_per_egg=price)
    needed = break_even_laying_rate(flock, months)
    if not 0 < needed <= 1:
        return
    plan = flock_plan(replace(flock, laying_rate=needed), months)
    assert plan.profit == pytest.approx(0, abs=1e-6 * plan.total_costs)


@given(rate=rates, m=mortality, months=months)
def test_cost_per_egg_is_feed_plus_other_costs_per_egg(rate, m, months):
    plan = flock_plan(Flock(laying_rate=rate, mortality_per_month=m), months)
    assert plan.cost_per_egg == pytest.approx(plan.feed_cost_per_egg + plan.other_costs / plan.eggs)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"hens": -100}, "hens", "not_positive"),
        ({"hens": 0}, "hens", "not_positive"),
        ({"hens": float("nan")}, "hens", "not_finite"),
        ({"hens": "năm nghìn"}, "hens", "not_a_number"),
        ({"laying_rate": 1.5}, "laying_rate", "not_a_fraction_incl"),
        ({"laying_rate": -0.1}, "laying_rate", "not_a_fraction_incl"),
        ({"age_weeks": -3}, "age_weeks", "negative"),
        ({"mortality_per_month": 1.0}, "mortality_per_month", "not_a_fraction"),
        ({"feed_g_per_hen_day": 0}, "feed_g_per_hen_day", "not_positive"),
        ({"feed_price_per_kg": -9_200}, "feed_price_per_kg", "negative"),
        ({"other_costs_per_month": -1}, "other_costs_per_month", "negative"),
        ({"other_cost_per_egg": float("inf")}, "other_cost_per_egg", "not_finite"),
        ({"price_per_egg": 0}, "price_per_egg", "not_positive"),
    ],
)
def test_bad_flock_is_explained(changes, field, reason):
    with pytest.raises(InputError) as excinfo:
        Flock(**changes)
    assert_input_error(excinfo, field, reason)


@pytest.mark.parametrize("months", [0, 121, 1.5, -12])
def test_bad_plan_length_is_explained(months):
    with pytest.raises(InputError) as excinfo:
        flock_plan(Flock(), months)
    assert_input_error(excinfo, "plan_months", "months_out_of_range")
    assert "120" in excinfo.value.message("en")


def test_a_flock_laying_nothing_has_no_cost_per_egg():
    with pytest.raises(InputError) as excinfo:
        flock_plan(son_nam(laying_rate=0.0))
    assert_input_error(excinfo, "laying_rate", "no_eggs")
    with pytest.raises(InputError) as excinfo:
        flock_plan(son_nam(laying_rate=None, age_weeks=0), months=3)
    assert_input_error(excinfo, "age_weeks", "no_eggs")
    assert "3 tháng" in excinfo.value.message("vi")


@pytest.mark.parametrize(
    ("call", "field", "reason"),
    [
        (lambda: monthly_mortality(1.0, 12), "mortality_per_cycle", "not_a_fraction"),
        (lambda: monthly_mortality(0.06, 0), "cycle_months", "not_positive"),
        (lambda: eggs_per_day(5_000, 1.5), "laying_rate", "not_a_fraction_incl"),
        (lambda: trays(-30), "egg_count", "negative"),
        (lambda: laying_curve(-1), "age_weeks", "negative"),
        (lambda: laying_curve([20, float("nan")]), "age_weeks", "not_finite"),
    ],
)
def test_bad_helper_input_is_explained(call, field, reason):
    with pytest.raises(InputError) as excinfo:
        call()
    assert_input_error(excinfo, field, reason)


# -- chart ----------------------------------------------------------------------------------


def test_chart_draws_a_bar_per_month_and_the_cost_line():
    from matplotlib.figure import Figure

    from coopkit.plots.flock import flock_chart
    from coopkit.ui.base import figure_png

    plan = flock_plan(son_nam(laying_rate=None, age_weeks=10))
    figure = flock_chart(plan, "vi")
    assert isinstance(figure, Figure)
    bars_ax, cost_ax = figure.axes
    assert len(bars_ax.patches) == 12
    assert [p.get_height() for p in bars_ax.patches] == pytest.approx(plan.table["eggs"].tolist())
    assert cost_ax.get_title() == "" and bars_ax.get_title() == "Trứng mỗi tháng và giá thành mỗi quả"
    assert figure_png(figure).startswith(b"\x89PNG")
    assert flock_chart(plan, "en").axes[0].get_title() == "Eggs per month and cost per egg"
