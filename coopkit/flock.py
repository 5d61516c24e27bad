"""A flock of laying hens: eggs a day, trays, feed, cost per egg and break-even.

A manager of an egg cooperative thinks in hens and in the *hen-day laying rate* (tỷ lệ đẻ):
the eggs laid in a day divided by the hens alive that day. 5 000 hens at 60 % lay 3 000 eggs a
day, 100 trays of 30 (khay 30 trứng). The flock shrinks as hens die or are culled
(``mortality_per_month``), every hen eats every day whether she lays or not, and the other
costs (pullet depreciation, henhouse, vaccines, labour, power) run per month or per egg.

`flock_plan` turns a `Flock` into a month-by-month table and its totals: eggs, trays, feed,
cost per egg, the egg price that breaks even and the laying rate that breaks even.

The laying rate is either flat (``laying_rate=0.6``) or read month by month from a laying
curve by the hens' age (``laying_rate=None`` and ``age_weeks``): see `laying_curve`.

Conventions: a year has 365 days, a month 365 / 12 days; amounts are positive VND; rates are
fractions (0.6 = 60 %). The hens of a month are the average of its first and last day.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_object, check_positive

__all__ = [
    "BROWN_LAYER_CURVE",
    "DAYS_PER_MONTH",
    "EGGS_PER_TRAY",
    "MAX_MONTHS",
    "Flock",
    "FlockPlan",
    "break_even_egg_price",
    "break_even_laying_rate",
    "eggs_per_day",
    "flock_plan",
    "laying_curve",
    "monthly_mortality",
    "trays",
]

register_fields(
    {
        "hens": "count",
        "laying_rate": "rate",
        "laying_mode": "text",
        "age_weeks": "number",
        "mortality_per_month": "rate",
        "mortality_per_cycle": "rate",
        "cycle_months": "number",
        "feed_g_per_hen_day": "number",
        "feed_price_per_kg": "money",
        "other_costs_per_month": "money",
        "other_cost_per_egg": "money",
        "price_per_egg": "money",
        "plan_months": "number",
        "egg_count": "number",
        "laying_curve": "text",
        "flock": "text",
    }
)

#: Eggs in one tray (khay), the unit traders and shops count in.
EGGS_PER_TRAY = 30
DAYS_PER_YEAR = 365
#: Days in an average month (365 / 12), so that 12 months make a year.
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7
#: Longest plan `flock_plan` makes, in months (a laying cycle is 12–18 months).
MAX_MONTHS = 120

#: Hen-day laying rate of commercial brown layers by age in weeks of life, as points
#: ``(week, rate)`` joined by straight lines. Illustrative assumption shaped like the
#: production tables of brown-layer management guides (Hy-Line Brown, ISA Brown, Lohmann
#: Brown): first eggs at 18 weeks, about 20 % at 19 weeks, a peak of about 92 % from 26 to
#: 30 weeks, then a slow decline to about 70 % at 72 weeks. Guides show peaks of 94–96 %
#: under ideal housing; a village flock usually lays less: measure your own.
BROWN_LAYER_CURVE: tuple[tuple[float, float], ...] = (
    (17, 0.0),
    (18, 0.05),
    (19, 0.20),
    (20, 0.45),
    (21, 0.65),
    (22, 0.78),
    (23, 0.86),
    (24, 0.89),
    (26, 0.92),
    (30, 0.92),
    (35, 0.90),
    (40, 0.88),
    (50, 0.83),
    (60, 0.77),
    (72, 0.70),
    (80, 0.67),
)


def laying_curve(age_weeks, curve: tuple[tuple[float, float], ...] = BROWN_LAYER_CURVE):
    """Hen-day laying rate at ``age_weeks`` (weeks of life) on a laying curve.

    Between the curve's points the rate runs in a straight line; before the first point it is
    the first rate (0: pullets do not lay), after the last point the last rate.

    Parameters
    ----------
    age_weeks
        Age of the hens in weeks of life (a number or an array), zero or more.
    curve
        ``(week, rate)`` points, weeks increasing; default `BROWN_LAYER_CURVE`.

    Returns
    -------
    float or numpy.ndarray
        The rate as a fraction (0.92 = 92 %).

    Examples
    --------
    A cooperative's brown hens are 28 weeks old: near their peak. At 72 weeks they lay less.

    >>> laying_curve(28), laying_curve(72), laying_curve(16)
    (0.92, 0.7, 0.0)
    """
    weeks, rates = _check_curve(curve)
    if np.ndim(age_weeks) == 0 or isinstance(age_weeks, (str, bytes)):
        return float(np.interp(check_nonnegative("age_weeks", age_weeks), weeks, rates))
    if isinstance(age_weeks, np.ndarray) and age_weeks.dtype.kind in "iuf":
        ages = age_weeks.astype(float)
        for age in ages.ravel():
            if not (math.isfinite(age) and age >= 0):
                check_nonnegative("age_weeks", float(age))
    else:
        ages = np.array([check_nonnegative("age_weeks", age) for age in np.asarray(age_weeks, dtype=object).ravel()])
        ages = ages.reshape(np.shape(age_weeks))
    return np.interp(ages, weeks, rates)


def _check_curve(curve: object) -> tuple[np.ndarray, np.ndarray]:
    """A laying curve's weeks (increasing, zero or more) and rates (0 to 1), each point a pair."""
    if isinstance(curve, (str, bytes, Mapping)) or not isinstance(curve, Iterable):
        raise InputError("laying_curve", reason="laying_curve_points", value=str(curve))
    weeks, rates = [], []
    for point in curve:
        if isinstance(point, (str, bytes, Mapping)) or not isinstance(point, Iterable) or len(point := tuple(point)) != 2:
            raise InputError("laying_curve", reason="laying_curve_points", value=str(point))
        week = check_nonnegative("age_weeks", point[0])
        if weeks and week <= weeks[-1]:
            raise InputError("laying_curve", reason="laying_curve_order", value=week)
        weeks.append(week)
        rates.append(check_fraction("laying_rate", point[1], allow_one=True))
    if not weeks:
        raise InputError("laying_curve", reason="laying_curve_points", value="")
    return np.array(weeks), np.array(rates)


def eggs_per_day(hens: float, laying_rate: float) -> float:
    """Eggs laid in a day: hens × hen-day laying rate.

    Examples
    --------
    5 000 hens laying at 60 % give 3 000 eggs a day:

    >>> eggs_per_day(5_000, 0.60)
    3000.0
    """
    hens = check_positive("hens", hens)
    rate = check_fraction("laying_rate", laying_rate, allow_one=True)
    return hens * rate


def trays(eggs: float) -> float:
    """Trays of 30 eggs (khay 30 trứng) for ``eggs`` eggs.

    Examples
    --------
    3 000 eggs a day fill 100 trays:

    >>> trays(3_000)
    100.0
    """
    return check_nonnegative("egg_count", eggs) / EGGS_PER_TRAY


def monthly_mortality(mortality_per_cycle: float, cycle_months: float) -> float:
    """The monthly mortality that loses ``mortality_per_cycle`` of the hens over a cycle.

    Breed guides and vets often quote losses per laying cycle ("6 % over 12 months"); the flock
    plan needs them per month: ``1 − (1 − cycle) ** (1 / months)``.

    Examples
    --------
    Losing 6 % of the hens over a 12-month cycle is about 0.51 % a month:

    >>> round(monthly_mortality(0.06, 12), 5)
    0.00514
    """
    cycle = check_fraction("mortality_per_cycle", mortality_per_cycle)
    months = check_positive("cycle_months", cycle_months)
    return 1.0 - (1.0 - cycle) ** (1.0 / months)


@dataclass(frozen=True)
class Flock:
    """A laying flock and what it costs to keep.

    The defaults are the Sơn Nam egg cooperative's plan (template ``trung_son_nam``): about
    5 000 hens laying about 3 000 eggs a day (a hen-day rate of 60 %).

    Parameters
    ----------
    hens
        Hens alive at the start of the plan (more than zero).
    laying_rate
        Hen-day laying rate, a fraction from 0 to 1 (0.6 = 60 %); ``None`` reads it month by
        month from `laying_curve` at the hens' age.
    age_weeks
        Age of the hens at the start of the plan, in weeks of life (used with
        ``laying_rate=None``).
    mortality_per_month
        Share of the hens that die or are culled each month (below 1); see `monthly_mortality`
        for a rate per cycle. Illustrative default: 0.5 % a month, about 6 % a year.
    feed_g_per_hen_day
        Grams of feed one hen eats a day (brown layers: about 110–120 g). Default 115 g, as in
        the template's feed item.
    feed_price_per_kg
        VND per kg of layer feed (default 9 200 ₫, as in the template's feed item).
    other_costs_per_month
        VND a month that do not depend on the eggs laid: pullet (flock) depreciation, henhouse,
        labour, power and water, certification, interest. Default: the template's season costs
        (610 million ₫) ÷ 12.
    other_cost_per_egg
        VND per egg besides feed: vaccines and drugs, trays and labels, delivery. Default: the
        template's 80 + 120 ₫ per egg + a 350 000 ₫ delivery run per 3 000 eggs.
    price_per_egg
        VND the cooperative gets for one egg (more than zero; template: 2 800 ₫).

    Examples
    --------
    >>> flock = Flock(hens=5_000, laying_rate=0.6)
    >>> flock.hens, flock.laying_rate
    (5000.0, 0.6)
    >>> Flock(hens=-10)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Số gà mái đầu kỳ phải lớn hơn 0 (bạn đã nhập -10).
    """

    hens: float = 5_000.0
    laying_rate: float | None = 0.60
    age_weeks: float = 40.0
    mortality_per_month: float = 0.005
    feed_g_per_hen_day: float = 115.0
    feed_price_per_kg: float = 9_200.0
    other_costs_per_month: float = 610_000_000 / 12
    other_cost_per_egg: float = 80 + 120 + 350_000 / 3_000
    price_per_egg: float = 2_800.0

    def __post_init__(self) -> None:
        checked = {
            "hens": check_positive("hens", self.hens),
            "laying_rate": None if self.laying_rate is None
            else check_fraction("laying_rate", self.laying_rate, allow_one=True),
            "age_weeks": check_nonnegative("age_weeks", self.age_weeks),
            "mortality_per_month": check_fraction("mortality_per_month", self.mortality_per_month),
            "feed_g_per_hen_day": check_positive("feed_g_per_hen_day", self.feed_g_per_hen_day),
            "feed_price_per_kg": check_nonnegative("feed_price_per_kg", self.feed_price_per_kg),
            "other_costs_per_month": check_nonnegative("other_costs_per_month", self.other_costs_per_month),
            "other_cost_per_egg": check_nonnegative("other_cost_per_egg", self.other_cost_per_egg),
            "price_per_egg": check_positive("price_per_egg", self.price_per_egg),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def uses_curve(self) -> bool:
        """Whether the laying rate comes from the laying curve by age."""
        return self.laying_rate is None


@dataclass(frozen=True)
class FlockPlan:
    """A flock's plan over ``months`` months: totals, and ``table`` month by month.

    Attributes
    ----------
    months, days
        Length of the plan.
    hens_at_start, hens_at_end
        Hens alive on the first and the last day.
    hen_days
        Sum over the days of the hens alive (what the hens eat is counted on it).
    eggs, eggs_per_day, trays_per_day, eggs_per_year
        Eggs laid in the plan; a day's and a year's worth at the plan's average.
    average_laying_rate
        Eggs ÷ hen-days.
    feed_kg, feed_cost, other_costs, total_costs
        Feed eaten (kg) and what it costs; the other costs; all costs (VND).
    feed_cost_per_egg, cost_per_egg
        Feed cost and all costs per egg laid (VND).
    break_even_price_per_egg
        The egg price at which revenue equals all costs: the cost per egg.
    break_even_laying_rate
        The average hen-day rate at which revenue equals all costs at ``price_per_egg``
        (infinite when the price does not even cover the other cost per egg; above 1 when no
        flock could lay enough).
    price_per_egg
        The selling price the plan assumes (VND per egg).
    revenue, profit
        Eggs × price per egg, and revenue − total costs (negative: a loss).
    table
        One row per month: ``month``, ``age_weeks`` (mid-month), ``hens`` (average),
        ``laying_rate``, ``eggs``, ``eggs_per_day``, ``trays``, ``feed_kg``, ``feed_cost``,
        ``other_costs``, ``total_costs``, ``cost_per_egg`` (NaN for a month with no eggs),
        ``revenue``, ``profit``.
    """

    months: int
    days: float
    hens_at_start: float
    hens_at_end: float
    hen_days: float
    eggs: float
    eggs_per_day: float
    trays_per_day: float
    eggs_per_year: float
    average_laying_rate: float
    feed_kg: float
    feed_cost: float
    other_costs: float
    total_costs: float
    feed_cost_per_egg: float
    cost_per_egg: float
    break_even_price_per_egg: float
    break_even_laying_rate: float
    price_per_egg: float
    revenue: float
    profit: float
    table: pd.DataFrame = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """The totals as a table with columns ``key`` and ``value`` (the monthly table is ``table``).

        >>> plan = flock_plan(Flock(mortality_per_month=0.0))
        >>> float(plan.to_frame().set_index("key").loc["eggs_per_day", "value"])
        3000.0
        """
        values = {k: float(v) for k, v in asdict(self).items() if k != "table"}
        return pd.DataFrame({"key": list(values), "value": list(values.values())})


def _check_months(months: object) -> int:
    number = check_finite("plan_months", months)
    if number != int(number) or not 1 <= number <= MAX_MONTHS:
        raise InputError("plan_months", reason="months_out_of_range", value=number, limit=MAX_MONTHS)
    return int(number)


def flock_plan(flock: Flock, months: int = 12) -> FlockPlan:
    """Month by month: hens, laying rate, eggs, trays, feed, costs and cost per egg.

    Each month the flock loses ``mortality_per_month`` of its hens; the month's hens are the
    average of its first and last day. Eggs = hens × laying rate × days; feed = hens × grams a
    day × days; costs = feed + other costs per month + other cost per egg × eggs.

    Parameters
    ----------
    flock
        The flock and its costs (a `Flock`).
    months
        Length of the plan, a whole number of months from 1 to `MAX_MONTHS` (default 12: a year).

    Returns
    -------
    FlockPlan

    Raises
    ------
    InputError
        ``months`` out of range; ``no_eggs`` when the flock lays no egg in the whole plan (a
        laying rate of 0, or pullets too young for the months planned), so that no cost per
        egg exists.

    Examples
    --------
    The Sơn Nam cooperative keeps 5 000 hens laying 60 %: with no losses that is 3 000 eggs,
    100 trays a day and 1 095 000 eggs a year, as its template plans.

    >>> plan = flock_plan(Flock(hens=5_000, laying_rate=0.6, mortality_per_month=0.0))
    >>> plan.eggs_per_day, plan.trays_per_day, round(plan.eggs_per_year)
    (3000.0, 100.0, 1095000)

    Feed alone (115 g a day at 9 200 ₫/kg) costs about 1 763 ₫ per egg, and all costs about
    2 637 ₫ (the template's unit cost is 2 624 ₫): the egg price that breaks even. At 2 800 ₫
    an egg the flock earns money.

    >>> round(plan.feed_cost_per_egg), round(plan.break_even_price_per_egg), plan.profit > 0
    (1763, 2637, True)
    """
    check_object("flock", flock, Flock)
    months = _check_months(months)
    month = np.arange(1, months + 1, dtype=float)
    survival = 1.0 - flock.mortality_per_month
    start = flock.hens * survival ** (month - 1)
    hens = start * (1.0 + survival) / 2.0
    age = flock.age_weeks + (month - 0.5) * WEEKS_PER_MONTH
    if flock.uses_curve:
        rate = laying_curve(age)
    else:
        rate = np.full(months, flock.laying_rate)
    hen_days = hens * DAYS_PER_MONTH
    eggs = hen_days * rate
    if not eggs.sum() > 0:
        if flock.uses_curve:
            raise InputError("age_weeks", reason="no_eggs", value=flock.age_weeks, months=months)
        raise InputError("laying_rate", reason="no_eggs", value=flock.laying_rate, months=months)
    feed_kg = hen_days * flock.feed_g_per_hen_day / 1000.0
    feed_cost = feed_kg * flock.feed_price_per_kg
    other = flock.other_costs_per_month + flock.other_cost_per_egg * eggs
    total = feed_cost + other
    with np.errstate(divide="ignore", invalid="ignore"):
        cost_per_egg = np.where(eggs > 0, total / np.where(eggs > 0, eggs, 1.0), np.nan)
    revenue = eggs * flock.price_per_egg
    table = pd.DataFrame(
        {
            "month": month.astype(int),
            "age_weeks": age,
            "hens": hens,
            "laying_rate": rate,
            "eggs": eggs,
            "eggs_per_day": eggs / DAYS_PER_MONTH,
            "trays": eggs / EGGS_PER_TRAY,
            "feed_kg": feed_kg,
            "feed_cost": feed_cost,
            "other_costs": other,
            "total_costs": total,
            "cost_per_egg": cost_per_egg,
            "revenue": revenue,
            "profit": revenue - total,
        }
    )
    days = months * DAYS_PER_MONTH
    eggs_total = float(eggs.sum())
    hen_days_total = float(hen_days.sum())
    feed_total = float(feed_cost.sum())
    other_total = float(other.sum())
    costs_total = feed_total + other_total
    revenue_total = float(revenue.sum())
    # Costs that do not depend on the eggs laid, and what each egg leaves to cover them.
    egg_free_costs = feed_total + flock.other_costs_per_month * months
    margin_per_egg = flock.price_per_egg - flock.other_cost_per_egg
    break_even_rate = egg_free_costs / (hen_days_total * margin_per_egg) if margin_per_egg > 0 else math.inf
    per_day = eggs_total / days
    return FlockPlan(
        months=months,
        days=days,
        hens_at_start=flock.hens,
        hens_at_end=float(flock.hens * survival**months),
        hen_days=hen_days_total,
        eggs=eggs_total,
        eggs_per_day=per_day,
        trays_per_day=per_day / EGGS_PER_TRAY,
        eggs_per_year=per_day * DAYS_PER_YEAR,
        average_laying_rate=eggs_total / hen_days_total,
        feed_kg=float(feed_kg.sum()),
        feed_cost=feed_total,
        other_costs=other_total,
        total_costs=costs_total,
        feed_cost_per_egg=feed_total / eggs_total,
        cost_per_egg=costs_total / eggs_total,
        break_even_price_per_egg=costs_total / eggs_total,
        break_even_laying_rate=break_even_rate,
        price_per_egg=flock.price_per_egg,
        revenue=revenue_total,
        profit=revenue_total - costs_total,
        table=table,
    )


def break_even_egg_price(flock: Flock, months: int = 12) -> float:
    """The egg price (VND) at which the flock's revenue covers all its costs over ``months``.

    It is the cost per egg: feed and other costs of the plan divided by the eggs laid.

    Examples
    --------
    What must Sơn Nam get for an egg to break even with 5 000 hens at 60 %, losing 0.5 % of
    the hens a month?

    >>> round(break_even_egg_price(Flock(hens=5_000, laying_rate=0.6)))
    2654
    """
    return flock_plan(flock, months).break_even_price_per_egg


def break_even_laying_rate(flock: Flock, months: int = 12) -> float:
    """The average hen-day laying rate at which revenue covers all costs at ``price_per_egg``.

    Feed and the monthly costs are paid whatever the hens lay; each egg brings its price less
    its other cost per egg. Infinite when the price does not cover the other cost per egg; a
    value above 1 means no flock could lay enough at this price.

    Examples
    --------
    At 2 800 ₫ an egg, how low may Sơn Nam's laying rate fall before the flock loses money?

    >>> round(break_even_laying_rate(Flock(hens=5_000, laying_rate=0.6)), 3)
    0.565
    """
    return flock_plan(flock, months).break_even_laying_rate
