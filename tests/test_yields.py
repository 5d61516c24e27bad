"""The output plan (coopkit.yields): marketable output, grades, harvest calendar, cost per kg."""

from __future__ import annotations

import math

import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

from coopkit import data, units
from coopkit.errors import InputError
from coopkit.plots.yields import harvest_chart
from coopkit.yields import (
    HARVEST_CALENDARS,
    MONTHS,
    Grade,
    default_grades,
    harvest_calendar,
    marketable_output,
    output_plan,
    plan_from_template,
)

ORANGE_MONTHS = HARVEST_CALENDARS["cam_lac_thuy"]
EVEN = [1 / 12] * 12


def grades(*pairs: tuple[float, float]) -> list[Grade]:
    return [Grade(f"loai_{i}", f"Loại {i}", f"Grade {i}", share, price) for i, (share, price) in enumerate(pairs, 1)]


ORANGE_GRADES = grades((0.6, 19_200), (0.3, 12_800), (0.1, 6_400))


# -- 1. worked examples ---------------------------------------------------------------------


def test_two_hectares_at_twenty_tonnes_with_five_percent_loss_give_38_tonnes():
    # Hand calculation of the brief: 2 ha × 20 t/ha × (1 − 5 %) = 38 t.
    assert marketable_output(2, 20_000, 0.05) == pytest.approx(38_000)
    plan = output_plan(2, 20_000, 0.05, ORANGE_GRADES, ORANGE_MONTHS, season_costs=300_000_000)
    assert plan.harvest_kg == pytest.approx(40_000)
    assert plan.loss_kg == pytest.approx(2_000)
    assert plan.marketable_kg == pytest.approx(38_000)


def test_revenue_by_grade_and_average_price_worked_by_hand():
    # 38 000 kg: 22 800 kg × 19 200 + 11 400 kg × 12 800 + 3 800 kg × 6 400 = 608 000 000 đ.
    plan = output_plan(2, 20_000, 0.05, ORANGE_GRADES, ORANGE_MONTHS, season_costs=300_000_000)
    table = plan.grade_table("vi").set_index("key")
    assert table.loc["loai_1", "kg"] == pytest.approx(22_800)
    assert table.loc["loai_1", "revenue"] == pytest.approx(437_760_000)
    assert table.loc["loai_3", "revenue"] == pytest.approx(24_320_000)
    assert plan.revenue == pytest.approx(608_000_000)
    assert plan.average_price_per_kg == pytest.approx(16_000)
    assert plan.revenue == pytest.approx(plan.marketable_kg * plan.average_price_per_kg)
    assert plan.cost_per_sellable_kg == pytest.approx(300_000_000 / 38_000)
    assert plan.profit == pytest.approx(308_000_000)
    assert table.loc["loai_2", "name"] == "Loại 2"
    assert plan.grade_table("en").loc[1, "name"] == "Grade 2"


def test_monthly_sales_follow_the_calendar():
    plan = output_plan(2, 20_000, 0.05, ORANGE_GRADES, ORANGE_MONTHS)
    monthly = plan.monthly_table().set_index("month")
    assert list(monthly.index) == list(range(1, 13))
    assert monthly.loc[11, "kg"] == pytest.approx(38_000 * 0.30)
    assert monthly.loc[1, "revenue"] == pytest.approx(38_000 * 0.20 * 16_000)
    assert monthly.loc[6, "kg"] == 0
    assert monthly["kg"].sum() == pytest.approx(plan.marketable_kg)
    assert monthly["revenue"].sum() == pytest.approx(plan.revenue)


def test_area_in_sao_and_cong_converts_to_hectares():
    # 100 sào Bắc Bộ = 36 000 m² = 3.6 ha; 20 công = 2 ha.
    assert marketable_output(units.area_to_ha(100, "sao_bac_bo"), 10_000) == pytest.approx(36_000)
    assert marketable_output(units.area_to_ha(20, "cong"), 20_000, 0.05) == pytest.approx(38_000)


def test_plan_from_the_lac_thuy_orange_template():
    oranges = data.load_products()["cam_lac_thuy"]
    plan = plan_from_template(oranges)
    assert plan.area_ha == oranges.area_ha
    assert plan.yield_kg_per_ha == pytest.approx(oranges.volume_per_season / oranges.area_ha)
    assert plan.marketable_kg == pytest.approx(oranges.volume_per_season * 0.95)
    assert plan.average_price_per_kg == pytest.approx(oranges.price_per_unit)
    expected_costs = oranges.cost_summary(volume=plan.marketable_kg).total_costs
    assert plan.season_costs == pytest.approx(expected_costs)
    assert plan.calendar == ORANGE_MONTHS
    # Oranges are picked October to January (illustrative assumption).
    assert [m for m, share in enumerate(plan.calendar, 1) if share > 0] == [1, 10, 11, 12]


def test_every_land_based_template_gives_a_plan():
    for template in data.load_products().values():
        if template.area_ha > 0:
            plan = plan_from_template(template, loss_rate=0)
            assert plan.marketable_kg == pytest.approx(template.volume_per_season)
            assert sum(plan.calendar) == pytest.approx(1)
        else:
            with pytest.raises(InputError) as excinfo:
                plan_from_template(template)
            assert_input_error(excinfo, "area_ha", "not_positive")


def test_default_grades_average_the_usual_price():
    for price in (6_000, 16_000, 115_000):
        mix = default_grades(price)
        assert sum(g.share for g in mix) == pytest.approx(1)
        assert sum(g.share * g.price_per_kg for g in mix) == pytest.approx(price, rel=0.01)


def test_harvest_calendars_add_up_to_one():
    for key, calendar in HARVEST_CALENDARS.items():
        assert len(calendar) == MONTHS, key
        assert sum(calendar) == pytest.approx(1), key
    assert harvest_calendar("unknown", season_months=4) == (0.25,) * 4 + (0.0,) * 8


# -- 2. edge cases --------------------------------------------------------------------------


def test_zero_yield_sells_nothing_and_has_no_cost_per_kg():
    plan = output_plan(1, 0, 0.1, ORANGE_GRADES, EVEN, season_costs=50_000_000)
    assert plan.marketable_kg == 0
    assert plan.revenue == 0
    assert math.isnan(plan.cost_per_sellable_kg)
    assert plan.profit == -50_000_000
    assert plan.average_price_per_kg == pytest.approx(16_000)


def test_one_grade_and_one_harvest_month():
    calendar = [0.0] * 12
    calendar[5] = 1.0
    plan = output_plan(5, 35_000, 0, grades((1.0, 6_000)), calendar)
    assert plan.revenue == pytest.approx(5 * 35_000 * 6_000)
    assert plan.monthly_table()["kg"].tolist()[5] == pytest.approx(175_000)


def test_shares_within_rounding_count_as_one():
    # thirds and twelfths as a spreadsheet rounds them: off from 1 by less than SHARE_TOLERANCE
    thirds = grades((1 / 3, 1_000), (1 / 3, 1_000), (1 / 3 + 5e-7, 1_000))
    months = [1 / 12] * 11 + [1 / 12 - 5e-7]
    plan = output_plan(1, 1_000, 0, thirds, months)
    assert plan.marketable_kg == 1_000
    assert plan.grade_table("en")["kg"].sum() == pytest.approx(1_000, rel=1e-6)
    assert plan.monthly_table()["kg"].sum() == pytest.approx(1_000, rel=1e-6)
    assert plan.revenue == pytest.approx(1_000 * 1_000, rel=1e-6)
    # ten times further off is no longer rounding
    with pytest.raises(InputError) as excinfo:
        output_plan(1, 1_000, 0, grades((1 / 3, 1_000), (1 / 3, 1_000), (1 / 3 + 1e-5, 1_000)), EVEN)
    assert_input_error(excinfo, "grades", "shares_not_one")
    with pytest.raises(InputError) as excinfo:
        output_plan(1, 1_000, 0, thirds, [1 / 12] * 11 + [1 / 12 - 1e-5])
    assert_input_error(excinfo, "harvest_calendar", "shares_not_one")


def test_to_frame_lists_the_plan():
    frame = output_plan(2, 20_000, 0.05, ORANGE_GRADES, ORANGE_MONTHS, 300_000_000).to_frame().set_index("key")
    assert frame.loc["marketable_kg", "value"] == pytest.approx(38_000)
    assert frame.loc["profit", "value"] == pytest.approx(308_000_000)


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"loss_rate": 1.2}, "loss_rate", "not_a_fraction"),
        ({"loss_rate": 1.0}, "loss_rate", "not_a_fraction"),
        ({"loss_rate": -0.1}, "loss_rate", "not_a_fraction"),
        ({"area_ha": 0}, "area_ha", "not_positive"),
        ({"area_ha": -2}, "area_ha", "not_positive"),
        ({"yield_kg_per_ha": -1}, "yield_kg_per_ha", "negative"),
        ({"yield_kg_per_ha": float("nan")}, "yield_kg_per_ha", "not_finite"),
        ({"season_costs": -5}, "season_costs", "negative"),
        ({"area_ha": "2 ha"}, "area_ha", "not_a_number"),
    ],
)
def test_bad_numbers_are_explained(kwargs, field, reason):
    args = {"area_ha": 2, "yield_kg_per_ha": 20_000, "loss_rate": 0.05, "grades": ORANGE_GRADES,
            "calendar": ORANGE_MONTHS, "season_costs": 0} | kwargs
    with pytest.raises(InputError) as excinfo:
        output_plan(**args)
    assert_input_error(excinfo, field, reason)


def test_a_loss_of_120_percent_says_so_in_both_languages():
    with pytest.raises(InputError) as excinfo:
        marketable_output(2, 20_000, 1.2)
    assert "120%" in excinfo.value.message("vi") and "120%" in excinfo.value.message("en")
    assert "100%" in excinfo.value.message("en")


def test_grade_shares_not_adding_up_say_what_they_add_up_to():
    with pytest.raises(InputError) as excinfo:
        output_plan(2, 20_000, 0.05, grades((0.6, 19_200), (0.3, 12_800)), ORANGE_MONTHS)
    assert_input_error(excinfo, "grades", "shares_not_one")
    assert "90%" in excinfo.value.message("vi") and "90%" in excinfo.value.message("en")


def test_calendar_must_have_twelve_shares_adding_up_to_one():
    with pytest.raises(InputError) as excinfo:
        output_plan(2, 20_000, 0.05, ORANGE_GRADES, [0.5, 0.5])
    assert_input_error(excinfo, "harvest_calendar", "calendar_not_12_months")
    assert "2" in excinfo.value.message("en")
    with pytest.raises(InputError) as excinfo:
        output_plan(2, 20_000, 0.05, ORANGE_GRADES, [0.1] * 12)
    assert_input_error(excinfo, "harvest_calendar", "shares_not_one")
    assert "120%" in excinfo.value.message("en")
    bad = [0.0] * 12
    bad[2], bad[3] = -0.2, 1.2
    with pytest.raises(InputError) as excinfo:
        output_plan(2, 20_000, 0.05, ORANGE_GRADES, bad)
    assert_input_error(excinfo, "harvest_calendar", "negative_share")
    assert "3" in excinfo.value.message("vi")


def test_grade_errors():
    with pytest.raises(InputError) as excinfo:
        output_plan(2, 20_000, 0.05, [], ORANGE_MONTHS)
    assert_input_error(excinfo, "grades", "no_grades")
    with pytest.raises(InputError) as excinfo:
        output_plan(2, 20_000, 0.05, [Grade("a", "A", "A", 0.5, 1), Grade("a", "B", "B", 0.5, 1)], ORANGE_MONTHS)
    assert_input_error(excinfo, "grades", "duplicate_key")
    with pytest.raises(InputError) as excinfo:
        Grade("loai_1", "Loại 1", "Grade 1", 1.5, 10_000)
    assert_input_error(excinfo, "grade_share", "not_a_fraction_incl")
    assert "Loại 1" in excinfo.value.message("vi") and "Grade 1" in excinfo.value.message("en")
    with pytest.raises(InputError) as excinfo:
        Grade("loai_1", "Loại 1", "Grade 1", 0.5, -10_000)
    assert_input_error(excinfo, "grade_price", "negative")
    with pytest.raises(InputError) as excinfo:
        Grade("", "Loại 1", "Grade 1", 0.5, 10_000)
    assert_input_error(excinfo, "grades", "empty_name")


# -- 3. invariants --------------------------------------------------------------------------

areas = st.floats(0.01, 500, allow_nan=False)
yields_ = st.one_of(st.just(0.0), st.floats(0.01, 80_000))
losses = st.floats(0, 0.99, allow_nan=False)


@given(area=areas, yield_kg=yields_, low=losses, high=losses)
def test_more_loss_never_gives_more_output(area, yield_kg, low, high):
    low, high = sorted((low, high))
    assert marketable_output(area, yield_kg, high) <= marketable_output(area, yield_kg, low)


@given(area=areas, yield_kg=yields_, loss=losses,
       shares=st.lists(st.floats(0.01, 1), min_size=1, max_size=4),
       prices=st.lists(st.floats(0, 300_000), min_size=4, max_size=4),
       months=st.lists(st.floats(0, 1), min_size=12, max_size=12).filter(lambda m: sum(m) > 0.01))
def test_grades_and_months_split_the_output_without_losing_any(area, yield_kg, loss, shares, prices, months):
    total, month_total = sum(shares), sum(months)
    mix = grades(*[(s / total, p) for s, p in zip(shares, prices[:len(shares)], strict=True)])
    calendar = [m / month_total for m in months]
    plan = output_plan(area, yield_kg, loss, mix, calendar, season_costs=1e8)
    assert plan.grade_table()["kg"].sum() == pytest.approx(plan.marketable_kg, rel=1e-9, abs=1e-6)
    assert plan.monthly_table()["kg"].sum() == pytest.approx(plan.marketable_kg, rel=1e-9, abs=1e-6)
    assert plan.grade_table()["revenue"].sum() == pytest.approx(plan.revenue, rel=1e-9, abs=1e-3)
    assert plan.marketable_kg + plan.loss_kg == pytest.approx(plan.harvest_kg)
    assert min(prices) - 1e-6 <= plan.average_price_per_kg <= max(prices) + 1e-6
    if plan.marketable_kg > 0:
        assert plan.cost_per_sellable_kg * plan.marketable_kg == pytest.approx(1e8)


# -- 4. regressions and the chart -----------------------------------------------------------


def test_average_price_is_defined_when_nothing_is_harvested():
    # guards a division by the marketable output for the average price
    assert output_plan(1, 0, 0, ORANGE_GRADES, EVEN).average_price_per_kg == pytest.approx(16_000)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_harvest_chart_draws_each_month(lang):
    plan = output_plan(2, 20_000, 0.05, ORANGE_GRADES, ORANGE_MONTHS)
    figure = harvest_chart(plan.monthly_table(), lang, "Cam")
    ax = figure.axes[0]
    assert len(ax.patches) == 12
    assert ax.get_ylabel() == ("tấn" if lang == "vi" else "tonnes")
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights[-1] == pytest.approx(38 * 0.35)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 4  # one sales label per month with a harvest
