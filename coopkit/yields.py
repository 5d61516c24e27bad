"""The output plan: from hectares and yield to kilograms to sell, by grade and by month.

A cooperative plans its season from the land up. Area × yield per hectare gives the harvest;
post-harvest losses (bruising, rot, sorting out) leave the **marketable output**. That output
is sorted into grades (loại 1, loại 2, loại 3), each with its own price, which gives the
season's revenue and the average price per kg. A harvest calendar (the share of the output
picked each month) shows when the money comes in, and the season's costs divided by the
kilograms actually sold give the **cost per sellable kg**.

Areas are in hectares: convert sào or công first with `coopkit.units.area_to_ha`. Weights are
in kg, money in VND, rates and shares are fractions (``0.05`` for 5 %).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.i18n import normalize_language
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_object, check_positive

if TYPE_CHECKING:
    from coopkit.data import ProductTemplate

__all__ = [
    "Grade",
    "OutputPlan",
    "MONTHS",
    "SHARE_TOLERANCE",
    "check_calendar",
    "check_shares",
    "DEFAULT_LOSS_RATE",
    "DEFAULT_GRADE_MIX",
    "HARVEST_CALENDARS",
    "default_grades",
    "harvest_calendar",
    "marketable_output",
    "output_plan",
    "plan_from_template",
]

register_fields(
    {
        "yield_kg_per_ha": "number",
        "season_costs": "money",
        "grades": "text",
        "grade_share": "rate",
        "grade_price": "money",
        "harvest_calendar": "rate",
        "share_total": "rate",
        "calendar_months": "count",
        "harvest_month": "count",
        "season_months": "count",
        "marketable_kg": "number",
        "average_price_per_kg": "money",
        "cost_per_sellable_kg": "money",
    }
)

#: Months in a harvest calendar (January to December).
MONTHS = 12
#: How far a list of shares may be from 1 (100 %) and still count as adding up to it.
SHARE_TOLERANCE = 1e-6
#: Post-harvest loss used when a template gives none: an illustrative assumption (5 %).
DEFAULT_LOSS_RATE = 0.05
#: Default grade mix, as (key, vi, en, share, price as a share of the template price).
#: Illustrative assumption: 60 % loại 1 at 120 % of the usual price, 30 % loại 2 at 80 %,
#: 10 % loại 3 (small or marked fruit, for juice or processing) at 40 %; the mix averages
#: exactly the template price. Replace with the cooperative's own sorting records.
DEFAULT_GRADE_MIX: tuple[tuple[str, str, str, float, float], ...] = (
    ("loai_1", "Loại 1", "Grade 1", 0.6, 1.2),
    ("loai_2", "Loại 2", "Grade 2", 0.3, 0.8),
    ("loai_3", "Loại 3", "Grade 3", 0.1, 0.4),
)
#: Share of the season's output harvested each month (January first), by product template.
#: Illustrative assumptions, not measurements: oranges in Hòa Bình are picked from October to
#: January, most in November–December (before Tết); the winter-melon crop of Điện Biên is
#: taken as a spring–summer crop picked from May to July.
HARVEST_CALENDARS: dict[str, tuple[float, ...]] = {
    "cam_lac_thuy": (0.20, 0, 0, 0, 0, 0, 0, 0, 0, 0.15, 0.30, 0.35),
    "bi_xanh_dien_bien": (0, 0, 0, 0, 0.30, 0.50, 0.20, 0, 0, 0, 0, 0),
}


def _check_text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, reason="empty_name", value=value)
    return value


@dataclass(frozen=True)
class Grade:
    """One quality grade of the harvest: its share of the marketable output and its price.

    Parameters
    ----------
    key
        Short code, unique in a list of grades (``"loai_1"``).
    name_vi, name_en
        The grade's name; an empty English name falls back to the Vietnamese one.
    share
        Fraction of the marketable output sorted into this grade (0 to 1).
    price_per_kg
        VND per kg this grade sells for (zero or more).

    Examples
    --------
    >>> Grade("loai_1", "Loại 1", "Grade 1", share=0.6, price_per_kg=19_200).name("en")
    'Grade 1'
    """

    key: str
    name_vi: str
    name_en: str
    share: float
    price_per_kg: float

    def __post_init__(self) -> None:
        _check_text("grades", self.key)
        _check_text("grades", self.name_vi)
        if not isinstance(self.name_en, str):
            raise InputError("grades", reason="empty_name", value=self.name_en)
        label = {"vi": self.name("vi"), "en": self.name("en")}
        for field, attribute, check in (
            ("grade_share", "share", lambda f, v: check_fraction(f, v, allow_one=True)),
            ("grade_price", "price_per_kg", check_nonnegative),
        ):
            try:
                object.__setattr__(self, attribute, check(field, getattr(self, attribute)))
            except InputError as err:
                raise InputError(err.field, err.reason, err.value, label=_grade_label(field, label),
                                 **err.params) from None

    def name(self, lang: str | None = None) -> str:
        """The grade's name in ``lang`` (``"vi"`` or ``"en"``)."""
        if normalize_language(lang) == "en" and self.name_en.strip():
            return self.name_en
        return self.name_vi


def _grade_label(field: str, names: dict[str, str]) -> dict[str, str]:
    """``"Tỷ lệ loại 1"``: the field's label with the grade's name, in each language."""
    from coopkit import fields

    return {lang: f"{fields.label(field, lang)} ({name})" for lang, name in names.items()}


def check_shares(field: str, shares: Sequence[float]) -> tuple[float, ...]:
    """Shares that are numbers, not negative and add up to 1 (within `SHARE_TOLERANCE`).

    Examples
    --------
    Grades of a coffee harvest sold at 60 %, 30 % and 10 %, as a spreadsheet rounds them,
    count as the whole harvest; 60 % + 30 % alone leaves a tenth unsold and is refused:

    >>> check_shares("grades", [0.6, 0.3, 0.1000001])
    (0.6, 0.3, 0.1000001)
    >>> check_shares("grades", [0.6, 0.3])
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Phân loại hàng: các tỷ lệ cộng lại được 90%, nhưng phải bằng đúng 100%.
    """
    if isinstance(shares, (str, bytes, Mapping)) or not isinstance(shares, Iterable):
        raise InputError(field, reason="calendar_not_12_months", calendar_months=1)
    checked = []
    for month, share in enumerate(shares, start=1):
        number = check_finite(field, share)
        if number < 0:
            raise InputError(field, reason="negative_share", value=number, harvest_month=month)
        checked.append(number)
    total = math.fsum(checked)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise InputError(field, reason="shares_not_one", share_total=total)
    return tuple(checked)


def _check_grades(grades: Iterable[Grade]) -> tuple[Grade, ...]:
    if isinstance(grades, (str, bytes, Grade)) or not isinstance(grades, Iterable):
        raise InputError("grades", reason="not_a_grade", value=str(grades))
    checked = tuple(grades)
    if not checked:
        raise InputError("grades", reason="no_grades")
    seen: set[str] = set()
    for grade in checked:
        if not isinstance(grade, Grade):
            raise InputError("grades", reason="not_a_grade", value=str(grade))
        if grade.key in seen:
            raise InputError("grades", reason="duplicate_key", value=grade.key)
        seen.add(grade.key)
    total = math.fsum(g.share for g in checked)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise InputError("grades", reason="shares_not_one", share_total=total)
    return checked


def check_calendar(calendar: Iterable[float], field: str = "harvest_calendar") -> tuple[float, ...]:
    """Twelve monthly shares (January first), none negative, adding up to 1 (100 %).

    Examples
    --------
    An orange cooperative sells 40 % of its fruit in October, 40 % in November and 20 % in
    December; a calendar with eleven months is refused:

    >>> calendar = check_calendar([0] * 9 + [0.4, 0.4, 0.2])
    >>> calendar[9:]
    (0.4, 0.4, 0.2)
    >>> check_calendar([1 / 11] * 11)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Lịch thu hoạch theo tháng: cần đúng 12 tỷ lệ, mỗi tháng một tỷ lệ (bạn đã nhập 11).
    """
    if isinstance(calendar, (str, bytes, Mapping)) or not isinstance(calendar, Iterable):
        raise InputError(field, reason="calendar_not_12_months", calendar_months=1)
    shares = tuple(calendar)
    if len(shares) != MONTHS:
        raise InputError(field, reason="calendar_not_12_months", calendar_months=len(shares))
    return check_shares(field, shares)


def marketable_output(area_ha: float, yield_kg_per_ha: float, loss_rate: float = 0.0) -> float:
    """Kilograms left to sell after post-harvest losses.

    Parameters
    ----------
    area_ha
        Hectares harvested (more than zero).
    yield_kg_per_ha
        Kilograms harvested per hectare (zero or more).
    loss_rate
        Share of the harvest lost after picking, from 0 up to but not including 1.

    Returns
    -------
    float
        ``area_ha × yield_kg_per_ha × (1 − loss_rate)``, kg.

    Examples
    --------
    A cooperative harvests 2 ha of oranges at 20 tonnes a hectare and loses 5 % in sorting
    and transport: 38 tonnes are left to sell.

    >>> marketable_output(2, 20_000, 0.05)
    38000.0

    The same orchard measured as 50 sào Trung Bộ (500 m² each) is 2.5 ha:

    >>> from coopkit.units import area_to_ha
    >>> marketable_output(area_to_ha(50, "sao_trung_bo"), 20_000, 0.05)
    47500.0
    """
    area_ha = check_positive("area_ha", area_ha)
    yield_kg_per_ha = check_nonnegative("yield_kg_per_ha", yield_kg_per_ha)
    loss_rate = check_fraction("loss_rate", loss_rate)
    return area_ha * yield_kg_per_ha * (1.0 - loss_rate)


@dataclass(frozen=True)
class OutputPlan:
    """A season's output plan: harvest, losses, sales by grade and by month, cost per kg.

    Attributes
    ----------
    area_ha, yield_kg_per_ha, loss_rate, season_costs
        The inputs (hectares, kg per hectare, fraction lost after harvest, VND for the season).
    grades
        The grades (shares add up to 1).
    calendar
        Twelve monthly shares of the output (January first), adding up to 1.
    harvest_kg
        ``area_ha × yield_kg_per_ha``: kilograms picked.
    loss_kg
        ``harvest_kg × loss_rate``: kilograms lost after harvest.
    marketable_kg
        ``harvest_kg − loss_kg``: kilograms to sell.
    revenue
        Σ over grades of ``marketable_kg × share × price_per_kg``, VND.
    average_price_per_kg
        Σ ``share × price_per_kg``: what one kilogram sells for on average (also when
        nothing is harvested).
    cost_per_sellable_kg
        ``season_costs / marketable_kg``; NaN when there is nothing to sell.
    profit
        ``revenue − season_costs``.
    """

    area_ha: float
    yield_kg_per_ha: float
    loss_rate: float
    season_costs: float
    grades: tuple[Grade, ...]
    calendar: tuple[float, ...]
    harvest_kg: float
    loss_kg: float
    marketable_kg: float
    revenue: float
    average_price_per_kg: float
    cost_per_sellable_kg: float
    profit: float

    def to_frame(self) -> pd.DataFrame:
        """The plan's numbers as a table with columns ``key`` and ``value``.

        >>> plan = output_plan(2, 20_000, 0.05, default_grades(16_000), HARVEST_CALENDARS["cam_lac_thuy"])
        >>> float(plan.to_frame().set_index("key").loc["marketable_kg", "value"])
        38000.0
        """
        keys = ("area_ha", "yield_kg_per_ha", "loss_rate", "harvest_kg", "loss_kg", "marketable_kg", "revenue",
                "average_price_per_kg", "season_costs", "cost_per_sellable_kg", "profit")
        return pd.DataFrame({"key": list(keys), "value": [float(getattr(self, k)) for k in keys]})

    def grade_table(self, lang: str | None = "vi") -> pd.DataFrame:
        """One row per grade: ``key, name, share, kg, price_per_kg, revenue``.

        >>> plan = output_plan(2, 20_000, 0.05, default_grades(16_000), HARVEST_CALENDARS["cam_lac_thuy"])
        >>> print(plan.grade_table("en")[["name", "kg", "revenue"]].to_string(index=False))
           name      kg     revenue
        Grade 1 22800.0 437760000.0
        Grade 2 11400.0 145920000.0
        Grade 3  3800.0  24320000.0
        """
        return pd.DataFrame(
            {
                "key": [g.key for g in self.grades],
                "name": [g.name(lang) for g in self.grades],
                "share": [g.share for g in self.grades],
                "kg": [self.marketable_kg * g.share for g in self.grades],
                "price_per_kg": [g.price_per_kg for g in self.grades],
                "revenue": [self.marketable_kg * g.share * g.price_per_kg for g in self.grades],
            }
        )

    def monthly_table(self) -> pd.DataFrame:
        """Sales by month: ``month`` (1–12), ``share``, ``kg`` and ``revenue`` (VND).

        Each month's kilograms sell at the season's average price (the grade mix is taken
        to be the same every month).

        >>> plan = output_plan(2, 20_000, 0.05, default_grades(16_000), HARVEST_CALENDARS["cam_lac_thuy"])
        >>> table = plan.monthly_table()
        >>> table.loc[table["month"] == 12, ["kg", "revenue"]].values.tolist()
        [[13300.0, 212800000.0]]
        >>> float(table["kg"].sum())
        38000.0
        """
        months = list(range(1, MONTHS + 1))
        kg = [self.marketable_kg * share for share in self.calendar]
        return pd.DataFrame(
            {
                "month": months,
                "share": list(self.calendar),
                "kg": kg,
                "revenue": [k * self.average_price_per_kg for k in kg],
            }
        )


def output_plan(
    area_ha: float,
    yield_kg_per_ha: float,
    loss_rate: float,
    grades: Iterable[Grade],
    calendar: Iterable[float],
    season_costs: float = 0.0,
) -> OutputPlan:
    """Plan a season's output: marketable kg, revenue by grade, sales by month, cost per kg.

    Parameters
    ----------
    area_ha
        Hectares harvested (more than zero); convert sào or công with `coopkit.units.area_to_ha`.
    yield_kg_per_ha
        Kilograms harvested per hectare (zero or more).
    loss_rate
        Share of the harvest lost after picking, from 0 up to but not including 1.
    grades
        The grades the output is sorted into; their shares add up to 1.
    calendar
        Twelve shares of the output, January to December, not negative, adding up to 1.
    season_costs
        VND spent on the season (zero or more), spread over the kilograms sold.

    Returns
    -------
    OutputPlan
        The harvest, the marketable output, revenue, average price, cost per sellable kg
        and profit; ``grade_table()`` and ``monthly_table()`` give the details.

    Examples
    --------
    A Hòa Bình cooperative has 2 ha of oranges yielding 20 t/ha and loses 5 % after harvest.
    It sorts 60 % as loại 1 at 19 200 đ/kg, 30 % as loại 2 at 12 800 đ/kg and 10 % as loại 3
    at 6 400 đ/kg, and spends 300 million đồng on the season:

    >>> grades = [Grade("loai_1", "Loại 1", "Grade 1", 0.6, 19_200),
    ...           Grade("loai_2", "Loại 2", "Grade 2", 0.3, 12_800),
    ...           Grade("loai_3", "Loại 3", "Grade 3", 0.1, 6_400)]
    >>> calendar = [0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0.15, 0.3, 0.35]   # October to January
    >>> plan = output_plan(2, 20_000, 0.05, grades, calendar, season_costs=300_000_000)
    >>> plan.marketable_kg, plan.revenue, plan.average_price_per_kg
    (38000.0, 608000000.0, 16000.0)
    >>> round(plan.cost_per_sellable_kg), plan.profit
    (7895, 308000000.0)
    """
    area_ha = check_positive("area_ha", area_ha)
    yield_kg_per_ha = check_nonnegative("yield_kg_per_ha", yield_kg_per_ha)
    loss_rate = check_fraction("loss_rate", loss_rate)
    season_costs = check_nonnegative("season_costs", season_costs)
    grade_list = _check_grades(grades)
    shares = check_calendar(calendar)

    harvest = area_ha * yield_kg_per_ha
    marketable = marketable_output(area_ha, yield_kg_per_ha, loss_rate)
    average_price = math.fsum(g.share * g.price_per_kg for g in grade_list)
    revenue = math.fsum(marketable * g.share * g.price_per_kg for g in grade_list)
    return OutputPlan(
        area_ha=area_ha,
        yield_kg_per_ha=yield_kg_per_ha,
        loss_rate=loss_rate,
        season_costs=season_costs,
        grades=grade_list,
        calendar=shares,
        harvest_kg=harvest,
        loss_kg=harvest - marketable,
        marketable_kg=marketable,
        revenue=revenue,
        average_price_per_kg=average_price,
        cost_per_sellable_kg=season_costs / marketable if marketable > 0 else math.nan,
        profit=revenue - season_costs,
    )


def default_grades(price_per_kg: float) -> tuple[Grade, ...]:
    """Three grades around a usual price, by `DEFAULT_GRADE_MIX` (an illustrative assumption).

    Prices are rounded to 100 đồng; the mix averages the usual price.

    >>> [(g.key, g.share, g.price_per_kg) for g in default_grades(16_000)]
    [('loai_1', 0.6, 19200.0), ('loai_2', 0.3, 12800.0), ('loai_3', 0.1, 6400.0)]
    """
    price_per_kg = check_nonnegative("grade_price", price_per_kg)
    return tuple(Grade(key, vi, en, share, round(price_per_kg * factor, -2))
                 for key, vi, en, share, factor in DEFAULT_GRADE_MIX)


def harvest_calendar(product: str, season_months: int = MONTHS) -> tuple[float, ...]:
    """The monthly harvest shares for a product template (`HARVEST_CALENDARS`).

    A product without a calendar is spread evenly over the first ``season_months`` months
    (an assumption to replace with the cooperative's own picking records).

    >>> harvest_calendar("cam_lac_thuy")[9:]
    (0.15, 0.3, 0.35)
    >>> harvest_calendar("unknown_product", season_months=4)[:5]
    (0.25, 0.25, 0.25, 0.25, 0.0)
    """
    if product in HARVEST_CALENDARS:
        return HARVEST_CALENDARS[product]
    months = min(max(int(check_positive("season_months", season_months)), 1), MONTHS)
    return tuple(1.0 / months if month < months else 0.0 for month in range(MONTHS))


def plan_from_template(
    template: ProductTemplate,
    loss_rate: float = DEFAULT_LOSS_RATE,
    area_ha: float | None = None,
) -> OutputPlan:
    """A starting output plan for a land-based product template (``area_ha > 0``).

    The template's volume per hectare is taken as the harvest yield; the post-harvest loss
    (default 5 %), the grades (`default_grades`) and the harvest months (`harvest_calendar`)
    are illustrative assumptions. The season costs are the template's total costs
    (`ProductTemplate.cost_summary`) for the kilograms left to sell.

    Parameters
    ----------
    template
        A product template from `coopkit.data.load_products` with an area.
    loss_rate
        Share of the harvest lost after picking.
    area_ha
        Hectares; default: the template's area.

    Examples
    --------
    The Lạc Thủy orange template: 10 ha at 16 t/ha; with 5 % lost, 152 t are left to sell.

    >>> from coopkit.data import load_products
    >>> plan = plan_from_template(load_products()["cam_lac_thuy"])
    >>> plan.yield_kg_per_ha, plan.marketable_kg, plan.average_price_per_kg
    (16000.0, 152000.0, 16000.0)
    """
    from coopkit.data import ProductTemplate

    check_object("product", template, ProductTemplate)
    area = template.area_ha if area_ha is None else area_ha
    if template.area_ha <= 0 and area_ha is None:
        raise InputError("area_ha", reason="not_positive", value=template.area_ha)
    area = check_positive("area_ha", area)
    yield_kg_per_ha = template.volume_per_season / template.area_ha if template.area_ha > 0 else 0.0
    marketable = marketable_output(area, yield_kg_per_ha, loss_rate)
    costs = 0.0
    if marketable > 0:
        from coopkit.costs import cost_summary

        items = template.all_cost_items()
        costs = cost_summary(items, marketable, area, template.units_per_batch).total_costs
    return output_plan(
        area,
        yield_kg_per_ha,
        loss_rate,
        default_grades(template.price_per_unit),
        harvest_calendar(template.key, template.season_months),
        season_costs=costs,
    )
