"""OCOP stars: where a product stands, what the next star needs, and whether the upgrade pays.

OCOP (*Mỗi xã một sản phẩm*, One Commune One Product) rates a product out of 100 points in three
parts, under Decision 148/QĐ-TTg (24 February 2023), whose procedure Decision 1489/QĐ-TTg amended
from 6 July 2025 (the province now rates; products of 90 points or more go on to the national
level):

- part A, the product and the strength of the community: 40 points;
- part B, marketing, including the product's story: 25 points;
- part C, quality (taste and uniqueness, standards, export): 35 points.

The total gives the star: 5★ from 90 points, 4★ from 70, 3★ from 50, 2★ from 30, 1★ below.
A product that misses a criterion *mandatory for 3 stars* (a registered business, a food-safety
certificate, a lawful label, valid test results, a published standard) is rated 2★ at most,
whatever its points. A certificate of 3★ or more is valid 36 months, then the product is rated
again.

The criteria are data (``datasets/ocop_criteria.csv``, each row with its source and date), so a
new decision is a data edit. The points of each criterion there are **an illustrative split**
of the part totals: Annex III of Decision 148 grades most criteria on several levels and its
text could not be read for this kit; the file says so on every row.

`assess` scores a checklist, `cheapest_upgrade` finds the cheapest criteria that reach the next
star (an exact search over whole points), and `appraise_upgrade` / `simulate_upgrade` ask
whether that upgrade pays: its cost against a price premium, more volume, a provincial award,
upkeep and the re-rating every 36 months, as a range and as the probability of a loss.

Conventions: amounts are positive VND; rates are fractions (0.05 = 5 %); a year's gain comes at
the end of the year, the upgrade is paid at the start (year 0), as in `coopkit.investment`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.investment import DEFAULT_DISCOUNT_RATE, npv, payback_years
from coopkit.risk import DEFAULT_DRAWS, EstimateLike, ProfitSimulation, estimate, simulate_model
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_positive

__all__ = [
    "CRITERIA_FILE",
    "MAX_YEARS",
    "PARTS",
    "PART_POINTS",
    "PRODUCTS_FILE",
    "PRODUCT_SETS",
    "RERATING_MONTHS",
    "STAR_BANDS",
    "Assessment",
    "Criterion",
    "OcopProduct",
    "StarUpgrade",
    "UpgradeAppraisal",
    "UpgradePlan",
    "appraise_upgrade",
    "assess",
    "cheapest_upgrade",
    "load_ocop_criteria",
    "load_ocop_products",
    "points_for_star",
    "star_for_points",
    "simulate_upgrade",
    "upgrade_cash_flows",
]

register_fields(
    {
        "product_set": "text",
        "met_criteria": "text",
        "ocop_points": "number",
        "ocop_part": "text",
        "cost_low": "money",
        "cost_high": "money",
        "target_star": "count",
        "upgrade_cost": "money",
        "price_premium": "rate",
        "extra_volume": "rate",
        "award": "money",
        "upkeep_per_year": "money",
        "rerating_cost": "money",
        "volume_per_year": "number",
        "horizon_years": "number",
    }
)

CRITERIA_FILE = "ocop_criteria.csv"
PRODUCTS_FILE = "ocop_products.csv"
#: The product sets of the criteria file: fresh farm produce (oranges, melons, eggs), processed
#: food (pickles, honey) and tea and coffee.
PRODUCT_SETS: tuple[str, ...] = ("fresh", "processed", "tea_coffee")
PARTS: tuple[str, ...] = ("A", "B", "C")
#: Points of each part under Decision 148/QĐ-TTg (under the older 1048/QĐ-TTg: 35 / 25 / 40).
PART_POINTS: Mapping[str, int] = {"A": 40, "B": 25, "C": 35}
#: ``(lowest total, star)`` from the top: 90–100 points 5★, 70–89 4★, 50–69 3★, 30–49 2★, below 30 1★.
STAR_BANDS: tuple[tuple[int, int], ...] = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))
#: A certificate of 3★ or more is valid this many months; then the product is rated again.
RERATING_MONTHS = 36
#: Longest horizon `appraise_upgrade` looks at, in years.
MAX_YEARS = 30
#: Largest cost a criterion may be given in the data (100 billion ₫), to catch a slipped digit.
MAX_CRITERION_COST = 1e11

_CRITERIA_COLUMNS = ("product_set", "part", "group", "key", "name_vi", "name_en", "points", "mandatory_3star",
                     "cost_low", "cost_high", "source", "cost_source", "as_of")
_PRODUCTS_COLUMNS = ("product", "product_set", "met", "source")


# ---------------------------------------------------------------------------------------------
# Stars and points


def star_for_points(points: float) -> int:
    """The OCOP star of a total of ``points`` out of 100 (before the mandatory criteria).

    Examples
    --------
    A honey that scores 68 points is a 3-star product; two more points make it 4 stars:

    >>> star_for_points(68), star_for_points(70), star_for_points(29.5)
    (3, 4, 1)
    """
    points = check_finite("ocop_points", points)
    if not 0 <= points <= 100:
        raise InputError("ocop_points", reason="ocop_points_out_of_range", value=points)
    return next(star for lowest, star in STAR_BANDS if points >= lowest)


def points_for_star(star: int) -> int:
    """The lowest total that earns ``star`` (1 to 5).

    >>> points_for_star(4), points_for_star(1)
    (70, 0)
    """
    if isinstance(star, bool) or not isinstance(star, (int, np.integer)) or not 1 <= star <= 5:
        raise InputError("target_star", reason="ocop_bad_star", value=star)
    return next(lowest for lowest, s in STAR_BANDS if s == star)


@dataclass(frozen=True)
class Criterion:
    """One criterion of the OCOP checklist for a product set.

    ``points`` is what meeting it adds to the total; ``cost_low`` and ``cost_high`` what meeting
    it usually costs a small cooperative (VND, an illustrative range unless ``cost_source``
    names a source).

    Examples
    --------
    >>> c = Criterion("b_label", "B", "marketing", "Nhãn đúng quy định", "Lawful label", 3, True, 5e6, 15e6)
    >>> c.name("en"), c.cost_mid
    ('Lawful label', 10000000.0)
    """

    key: str
    part: str
    group: str
    name_vi: str
    name_en: str
    points: int
    mandatory_3star: bool
    cost_low: float
    cost_high: float
    source: str = ""
    cost_source: str = ""
    as_of: str = ""

    def __post_init__(self) -> None:
        if self.part not in PARTS:
            raise InputError("ocop_part", reason="ocop_unknown_part", value=self.part, allowed=", ".join(PARTS))
        points = self.points
        if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not 0 < points <= PART_POINTS[self.part]:
            raise InputError("ocop_points", reason="ocop_bad_criterion_points", value=points,
                             limit=PART_POINTS[self.part])
        low = check_nonnegative("cost_low", self.cost_low)
        high = check_nonnegative("cost_high", self.cost_high)
        if high < low:
            raise InputError("cost_high", reason="ocop_cost_range", value=high, cost_low=low)
        if high > MAX_CRITERION_COST:
            raise InputError("cost_high", reason="ocop_cost_too_large", value=high, limit=MAX_CRITERION_COST)
        object.__setattr__(self, "points", int(points))
        object.__setattr__(self, "cost_low", low)
        object.__setattr__(self, "cost_high", high)

    def name(self, lang: str | None = None) -> str:
        """The criterion's name in ``lang``."""
        from coopkit.i18n import normalize_language

        return self.name_en if normalize_language(lang) == "en" and self.name_en else self.name_vi

    @property
    def cost_mid(self) -> float:
        """The middle of the cost range: what `cheapest_upgrade` compares."""
        return (self.cost_low + self.cost_high) / 2

    @property
    def points_from_secondary_source(self) -> bool:
        """Whether the row says its points are not the annex's own (most rows, see the module)."""
        return not self.source.lower().startswith("decision")


def _checked_criteria(criteria: Iterable[Criterion]) -> tuple[Criterion, ...]:
    items = tuple(criteria)
    if not items or not all(isinstance(c, Criterion) for c in items):
        raise InputError("met_criteria", reason="ocop_no_criteria", value=len(items))
    return items


def _met_keys(criteria: tuple[Criterion, ...], met: Iterable[str]) -> frozenset[str]:
    if isinstance(met, str):
        met = met.split()
    keys = {c.key for c in criteria}
    chosen = frozenset(str(k) for k in met)
    unknown = sorted(chosen - keys)
    if unknown:
        raise InputError("met_criteria", reason="ocop_unknown_criterion", value=unknown[0])
    return chosen


@dataclass(frozen=True)
class Assessment:
    """A product's self-assessment: points by part, the star, what holds it back.

    Attributes
    ----------
    total
        Points out of 100.
    points_by_part
        ``{"A": (points, out of), "B": …, "C": …}``.
    star_by_points
        The star the total alone gives.
    star
        The star: ``star_by_points``, but 2★ at most while a mandatory criterion is missing.
    mandatory_missing
        The criteria mandatory for 3★ that are not met, in the checklist's order.
    next_star
        The next star up (None at 5★), and ``points_to_next`` the points it needs beyond the total
        (0 when only mandatory criteria hold the product back).
    """

    total: int
    points_by_part: Mapping[str, tuple[int, int]]
    star_by_points: int
    star: int
    met: frozenset[str]
    mandatory_missing: tuple[Criterion, ...]
    next_star: int | None
    points_to_next: int

    def to_frame(self) -> pd.DataFrame:
        """One row per part and a total: points, out of and share."""
        rows = [{"part": part, "points": got, "out_of": out_of, "share": got / out_of}
                for part, (got, out_of) in self.points_by_part.items()]
        rows.append({"part": "total", "points": self.total, "out_of": 100, "share": self.total / 100})
        return pd.DataFrame(rows).set_index("part")


def assess(criteria: Iterable[Criterion], met: Iterable[str]) -> Assessment:
    """Score a checklist: ``met`` holds the keys of the criteria the cooperative meets.

    Examples
    --------
    The Hà Giang honey cooperative ticks what it has (the example of ``ocop_products.csv``):

    >>> honey = load_ocop_products()["mat_ong"]
    >>> a = assess(load_ocop_criteria(honey.product_set), honey.met)
    >>> a.total, a.star, a.next_star, a.points_to_next
    (63, 3, 4, 7)

    Without valid test results it is a 2-star product, however many points it has:

    >>> a = assess(load_ocop_criteria("processed"), honey.met - {"c_test_results"})
    >>> a.total, a.star_by_points, a.star, [c.key for c in a.mandatory_missing]
    (58, 3, 2, ['c_test_results'])
    """
    items = _checked_criteria(criteria)
    chosen = _met_keys(items, met)
    by_part = {part: (sum(c.points for c in items if c.part == part and c.key in chosen),
                      sum(c.points for c in items if c.part == part)) for part in PARTS}
    total = sum(got for got, _ in by_part.values())
    by_points = star_for_points(min(total, 100))
    missing = tuple(c for c in items if c.mandatory_3star and c.key not in chosen)
    star = min(by_points, 2) if missing else by_points
    next_star = star + 1 if star < 5 else None
    to_next = max(points_for_star(next_star) - total, 0) if next_star else 0
    return Assessment(total, by_part, by_points, star, chosen, missing, next_star, to_next)


@dataclass(frozen=True)
class UpgradePlan:
    """The cheapest set of criteria to meet for a star (`cheapest_upgrade`).

    ``cost_low`` / ``cost_high`` add up the criteria's cost ranges; the plan minimises the
    middle of each range. ``star_after`` and ``total_after`` are the assessment once they are met.
    """

    target_star: int
    criteria: tuple[Criterion, ...]
    cost_low: float
    cost_high: float
    total_after: int
    star_after: int

    @property
    def points_added(self) -> int:
        return sum(c.points for c in self.criteria)

    @property
    def cost_mid(self) -> float:
        return (self.cost_low + self.cost_high) / 2

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per criterion: part, name, points, cost range, whether mandatory."""
        return pd.DataFrame(
            [{"key": c.key, "part": c.part, "criterion": c.name(lang), "points": c.points,
              "mandatory_3star": c.mandatory_3star, "cost_low": c.cost_low, "cost_high": c.cost_high}
             for c in self.criteria],
            columns=["key", "part", "criterion", "points", "mandatory_3star", "cost_low", "cost_high"],
        ).set_index("key")


def cheapest_upgrade(criteria: Iterable[Criterion], met: Iterable[str], target_star: int | None = None) -> UpgradePlan | None:
    """The criteria not yet met that reach ``target_star`` (default: the next star) for the least money.

    Every criterion mandatory for 3★ that is missing is in the plan when the target is 3★ or
    more. Among the others the search is exact (a knapsack over whole points): the smallest
    sum of mid-range costs that adds the points needed; at equal cost, fewer criteria, then
    the checklist's order. None when the product already has the target star or is at 5★.

    Examples
    --------
    What is the cheapest way for the Hà Giang honey (63 points, 3★) to reach 4★?

    >>> honey = load_ocop_products()["mat_ong"]
    >>> plan = cheapest_upgrade(load_ocop_criteria("processed"), honey.met)
    >>> [c.key for c in plan.criteria], plan.points_added, plan.total_after, plan.star_after
    (['b_trademark', 'b_story_heritage'], 8, 71, 4)
    >>> plan.cost_low / 1e6, plan.cost_high / 1e6
    (5.0, 22.0)
    """
    items = _checked_criteria(criteria)
    now = assess(items, met)
    if target_star is None:
        if now.next_star is None:
            return None
        target_star = now.next_star
    needed_total = points_for_star(target_star)
    if now.star >= target_star:
        return None
    forced = list(now.mandatory_missing) if target_star >= 3 else []
    forced_keys = {c.key for c in forced}
    optional = [c for c in items if c.key not in now.met and c.key not in forced_keys]
    need = max(needed_total - now.total - sum(c.points for c in forced), 0)
    chosen = forced + _cheapest_cover(optional, need)
    order = {c.key: i for i, c in enumerate(items)}
    chosen.sort(key=lambda c: order[c.key])
    after = assess(items, now.met | {c.key for c in chosen})
    return UpgradePlan(target_star, tuple(chosen), sum(c.cost_low for c in chosen), sum(c.cost_high for c in chosen),
                       after.total, after.star)


def _cheapest_cover(options: list[Criterion], need: int) -> list[Criterion]:
    """The subset of ``options`` with at least ``need`` points of least (cost, count, order)."""
    if need <= 0:
        return []
    # best[j]: (cost, count, chosen indices) of the cheapest subset with min(points, need) == j
    best: list[tuple[float, int, tuple[int, ...]] | None] = [None] * (need + 1)
    best[0] = (0.0, 0, ())
    for index, option in enumerate(options):
        for j in range(need, -1, -1):
            current = best[j]
            if current is None:
                continue
            k = min(need, j + option.points)
            candidate = (current[0] + option.cost_mid, current[1] + 1, current[2] + (index,))
            if best[k] is None or candidate < best[k]:
                best[k] = candidate
    found = best[need]
    if found is None:
        raise InputError("target_star", reason="ocop_star_out_of_reach", value=need)
    return [options[i] for i in found[2]]


# ---------------------------------------------------------------------------------------------
# The data


def _read_criteria(folder: str, stamp: tuple) -> dict[str, tuple[Criterion, ...]]:
    from coopkit.data import RowError, Sheet

    sheet = Sheet(Path(folder), CRITERIA_FILE, _CRITERIA_COLUMNS)
    by_set: dict[str, list[tuple[int, Criterion]]] = {s: [] for s in PRODUCT_SETS}
    seen: dict[tuple[str, str], int] = {}
    for row in sheet.rows.index:
        product_set = sheet.choice(row, "product_set", ("all", *PRODUCT_SETS))
        part = sheet.choice(row, "part", PARTS)
        key = sheet.text(row, "key")
        for s in PRODUCT_SETS if product_set == "all" else (product_set,):
            sheet.unique(seen, (s, key), row, "key", key)
        mandatory = sheet.choice(row, "mandatory_3star", ("0", "1")) == "1"
        points = sheet.number(row, "points", "count")
        sheet.date(row, "as_of")
        try:
            criterion = Criterion(
                key, part, sheet.text(row, "group"), sheet.text(row, "name_vi"), sheet.text(row, "name_en"),
                int(points), mandatory, sheet.number(row, "cost_low"), sheet.number(row, "cost_high"),
                sheet.text(row, "source"), sheet.text(row, "cost_source"), sheet.text(row, "as_of"),
            )
        except InputError as err:
            column = {"ocop_points": "points", "ocop_part": "part"}.get(err.field, err.field)
            raise RowError(err, column if column in _CRITERIA_COLUMNS else "points", file=CRITERIA_FILE, row=row) from err
        for s in PRODUCT_SETS if product_set == "all" else (product_set,):
            by_set[s].append((row, criterion))
    result: dict[str, tuple[Criterion, ...]] = {}
    for product_set, rows in by_set.items():
        for part in PARTS:
            total = sum(c.points for _, c in rows if c.part == part)
            if total != PART_POINTS[part]:
                last = max((r for r, c in rows if c.part == part), default=2)
                raise sheet.error(last, "points", "ocop_part_total", str(total), part=part,
                                  product_set=product_set, expected=PART_POINTS[part])
        result[product_set] = tuple(c for _, c in rows)
    return result


@lru_cache(maxsize=16)
def _criteria_cached(folder: str, stamp: tuple) -> dict[str, tuple[Criterion, ...]]:
    return _read_criteria(folder, stamp)


def load_ocop_criteria(product_set: str, path: str | os.PathLike[str] | None = None) -> tuple[Criterion, ...]:
    """The checklist of one product set (``fresh``, ``processed`` or ``tea_coffee``), in the file's order.

    The rows of ``product_set == "all"`` belong to every set. Each set's parts must add up to
    40, 25 and 35 points, or the file is refused naming its row and column.

    Examples
    --------
    >>> checklist = load_ocop_criteria("tea_coffee")
    >>> len(checklist), sum(c.points for c in checklist), sum(c.mandatory_3star for c in checklist)
    (29, 100, 5)
    """
    from coopkit.data import dataset_folder, file_stamp

    if product_set not in PRODUCT_SETS:
        raise InputError("product_set", reason="ocop_unknown_product_set", value=product_set,
                         allowed=", ".join(PRODUCT_SETS))
    folder = dataset_folder(path)
    return _criteria_cached(str(folder), file_stamp(folder, (CRITERIA_FILE,)))[product_set]


@dataclass(frozen=True)
class OcopProduct:
    """A product template's OCOP example: its product set and what it meets (illustrative)."""

    product: str
    product_set: str
    met: frozenset[str]
    source: str


@lru_cache(maxsize=16)
def _products_cached(folder: str, stamp: tuple) -> dict[str, OcopProduct]:
    from coopkit.data import Sheet

    sheet = Sheet(Path(folder), PRODUCTS_FILE, _PRODUCTS_COLUMNS, optional=("met",))
    seen: dict[str, int] = {}
    found: dict[str, OcopProduct] = {}
    for row in sheet.rows.index:
        product = sheet.text(row, "product")
        sheet.unique(seen, product, row, "product", product)
        product_set = sheet.choice(row, "product_set", PRODUCT_SETS)
        met = frozenset(sheet.text(row, "met").split())
        keys = {c.key for c in load_ocop_criteria(product_set, folder)}
        unknown = sorted(met - keys)
        if unknown:
            raise sheet.error(row, "met", "data_unknown_value", unknown[0], allowed=", ".join(sorted(keys)))
        found[product] = OcopProduct(product, product_set, met, sheet.text(row, "source"))
    return found


def load_ocop_products(path: str | os.PathLike[str] | None = None) -> dict[str, OcopProduct]:
    """The OCOP examples of the product templates (``ocop_products.csv``), by product key.

    >>> load_ocop_products()["che_shan_tuyet"].product_set
    'tea_coffee'
    """
    from coopkit.data import dataset_folder, file_stamp

    folder = dataset_folder(path)
    return dict(_products_cached(str(folder), file_stamp(folder, (PRODUCTS_FILE, CRITERIA_FILE))))


# ---------------------------------------------------------------------------------------------
# Does the upgrade pay?


def _fraction_estimate(name: str, value: EstimateLike):
    return estimate(name, value, lambda f, v: check_fraction(f, v, allow_one=True))


@dataclass(frozen=True)
class StarUpgrade:
    """An OCOP upgrade as an investment: what it costs, what it may bring, for how long.

    Parameters
    ----------
    upgrade_cost
        VND to meet the criteria (tests, trademark, packaging, certificates), paid at the start:
        a number, or ``(lowest, most likely, highest)``.
    volume_per_year, price_per_unit, variable_cost_per_unit
        What the cooperative sells now in a year, its price and its variable cost per unit.
    price_premium
        How much more buyers pay for the new star, as a fraction of the price (a number or three):
        a Hậu Giang study found about 16 % willingness to pay for OCOP drinks; buyers who do not
        know the label pay nothing more.
    extra_volume
        How much more the cooperative sells (supermarkets, contracts), as a fraction of its volume:
        press reports of 10–30 % more contracts after certification.
    award
        A one-off provincial award for the new star, received in year 1 (differs by province
        and year: Bắc Giang 2024–25 paid 50 / 150 / 300 million ₫ for a first 3 / 4 / 5★).
    upkeep_per_year
        Yearly costs of keeping the star (tests, QR stamps, fairs).
    rerating_cost
        VND for the new dossier and tests every 36 months (`RERATING_MONTHS`).
    years
        Years looked at (whole, 1 to `MAX_YEARS`); 6 covers two certificates.
    discount_rate
        What money costs the cooperative a year.
    """

    upgrade_cost: EstimateLike
    volume_per_year: float
    price_per_unit: float
    variable_cost_per_unit: float
    price_premium: EstimateLike = (0.0, 0.05, 0.16)
    extra_volume: EstimateLike = (0.0, 0.10, 0.30)
    award: float = 0.0
    upkeep_per_year: float = 0.0
    rerating_cost: float = 0.0
    years: int = 6
    discount_rate: float = DEFAULT_DISCOUNT_RATE

    def __post_init__(self) -> None:
        object.__setattr__(self, "upgrade_cost", estimate("upgrade_cost", self.upgrade_cost))
        object.__setattr__(self, "volume_per_year", check_positive("volume_per_year", self.volume_per_year))
        object.__setattr__(self, "price_per_unit", check_positive("price_per_unit", self.price_per_unit))
        object.__setattr__(self, "variable_cost_per_unit",
                           check_nonnegative("variable_cost_per_unit", self.variable_cost_per_unit))
        object.__setattr__(self, "price_premium", _fraction_estimate("price_premium", self.price_premium))
        object.__setattr__(self, "extra_volume", _fraction_estimate("extra_volume", self.extra_volume))
        for name in ("award", "upkeep_per_year", "rerating_cost"):
            object.__setattr__(self, name, check_nonnegative(name, getattr(self, name)))
        years = self.years
        if isinstance(years, bool) or not isinstance(years, (int, float, np.integer)) or not math.isfinite(years) \
                or years != int(years) or not 1 <= years <= MAX_YEARS:
            raise InputError("horizon_years", reason="invest_not_whole_in_range", value=years, limit=MAX_YEARS)
        object.__setattr__(self, "years", int(years))
        object.__setattr__(self, "discount_rate", check_fraction("discount_rate", self.discount_rate))


def _rerating_years(years: int) -> list[int]:
    """Ends of years at which a new rating is paid for inside the horizon (3, 6, … before the last)."""
    step = RERATING_MONTHS // 12
    return [t for t in range(step, years, step)]


def _flows(upgrade: StarUpgrade, premium: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Yearly cash flows (draws × years) for arrays of premium and extra volume."""
    price, cost, volume = upgrade.price_per_unit, upgrade.variable_cost_per_unit, upgrade.volume_per_year
    gain = volume * ((1 + extra) * (price * (1 + premium) - cost) - (price - cost)) - upgrade.upkeep_per_year
    flows = np.repeat(np.asarray(gain, dtype=float)[..., None], upgrade.years, axis=-1)
    flows[..., 0] += upgrade.award
    for year in _rerating_years(upgrade.years):
        flows[..., year - 1] -= upgrade.rerating_cost
    return flows


def upgrade_cash_flows(upgrade: StarUpgrade, price_premium: float | None = None,
                       extra_volume: float | None = None) -> list[float]:
    """What the star brings each year, net (years 1, 2, …), at the most likely premium and volume.

    Each year: the extra margin (the premium on every unit, and the margin of the extra units)
    less the upkeep; year 1 adds the award; every 36 months before the end the new rating is paid.

    Examples
    --------
    6 000 kg of honey at 260 000 ₫ with 201 000 ₫ of variable cost: a 2 % premium and 5 % more
    volume bring 6 000 × (1.05 × (265 200 − 201 000) − 59 000) = 50.46 million ₫ a year, less
    15 million of upkeep; an award of 150 million comes in year 1, the new rating (20 million)
    at the end of year 3:

    >>> up = StarUpgrade(34e6, 6_000, 260_000, 201_000, 0.02, 0.05, award=150e6,
    ...                  upkeep_per_year=15e6, rerating_cost=20e6, years=4)
    >>> [round(f / 1e6, 2) for f in upgrade_cash_flows(up)]
    [185.46, 35.46, 15.46, 35.46]
    """
    premium = upgrade.price_premium.most_likely if price_premium is None else \
        check_fraction("price_premium", price_premium, allow_one=True)
    extra = upgrade.extra_volume.most_likely if extra_volume is None else \
        check_fraction("extra_volume", extra_volume, allow_one=True)
    return [float(f) for f in _flows(upgrade, np.asarray(premium), np.asarray(extra))]


@dataclass(frozen=True)
class UpgradeAppraisal:
    """Does an upgrade pay? The most likely case and the range between the worst and the best.

    ``npv``, ``payback_years`` and ``cash_flows`` are at the most likely cost, premium and extra
    volume; the ``worst_*`` figures at the highest cost and the lowest premium and volume, the
    ``best_*`` the other way round. ``yearly_gain`` is the most likely extra margin of a year less
    the upkeep (without the award and the new ratings). ``payback_years`` is None when the
    upgrade does not pay back within the years.
    """

    upgrade_cost: float
    cash_flows: tuple[float, ...]
    npv: float
    payback_years: float | None
    yearly_gain: float
    worst_cost: float
    worst_cash_flows: tuple[float, ...]
    npv_worst: float
    best_cost: float
    best_cash_flows: tuple[float, ...]
    npv_best: float

    @property
    def years(self) -> int:
        return len(self.cash_flows)

    def to_frame(self, case: str = "likely") -> pd.DataFrame:
        """The yearly cash flows of ``case`` (``likely``, ``worst`` or ``best``), year 0 the
        upgrade, with the running total."""
        cost, flows = {"likely": (self.upgrade_cost, self.cash_flows), "worst": (self.worst_cost, self.worst_cash_flows),
                       "best": (self.best_cost, self.best_cash_flows)}[case]
        values = [-cost, *flows]
        return pd.DataFrame({"year": range(len(values)), "cash_flow": values,
                             "cumulative": np.cumsum(values)}).set_index("year")


def appraise_upgrade(upgrade: StarUpgrade) -> UpgradeAppraisal:
    """NPV, payback and the range of an OCOP upgrade (`coopkit.investment.npv` and `payback_years`).

    Examples
    --------
    The honey cooperative's step from 3★ to 4★ (a trademark and the heritage story, 5 to 22
    million, plus the new dossier): 25 to 60 million, most likely 34. Buyers may pay 0 to 10 %
    more (most likely 2 %) and buy 0 to 20 % more (most likely 5 %); keeping the star costs
    15 million a year and a new rating 20 million after 3 years. Over two certificates at 9 %:

    >>> up = StarUpgrade((25e6, 34e6, 60e6), 6_000, 260_000, 201_000, (0, 0.02, 0.10), (0, 0.05, 0.20),
    ...                  upkeep_per_year=15e6, rerating_cost=20e6)
    >>> a = appraise_upgrade(up)
    >>> round(a.npv / 1e6, 1), round(a.payback_years, 2), round(a.npv_worst / 1e6), round(a.npv_best / 1e6)
    (109.6, 0.96, -143, 1050)

    Worth it if buyers do pay a little more; with no premium and no extra sale it loses 143 million.
    """
    cost, premium, extra = upgrade.upgrade_cost, upgrade.price_premium, upgrade.extra_volume
    rate = upgrade.discount_rate
    flows = upgrade_cash_flows(upgrade)
    worst = upgrade_cash_flows(upgrade, premium.minimum, extra.minimum)
    best = upgrade_cash_flows(upgrade, premium.maximum, extra.maximum)
    bare = replace(upgrade, award=0.0, rerating_cost=0.0, years=1)
    return UpgradeAppraisal(
        upgrade_cost=cost.most_likely,
        cash_flows=tuple(flows),
        npv=npv(rate, cost.most_likely, flows),
        payback_years=payback_years(cost.most_likely, flows),
        yearly_gain=upgrade_cash_flows(bare)[0],
        worst_cost=cost.maximum,
        worst_cash_flows=tuple(worst),
        npv_worst=npv(rate, cost.maximum, worst),
        best_cost=cost.minimum,
        best_cash_flows=tuple(best),
        npv_best=npv(rate, cost.minimum, best),
    )


def simulate_upgrade(upgrade: StarUpgrade, draws: int = DEFAULT_DRAWS, seed: int = 0) -> ProfitSimulation:
    """Many possible futures of the upgrade: the NPV of each, and the probability of a loss.

    The cost, the premium and the extra volume are drawn from their three-point estimates
    (PERT, as in `coopkit.risk`); ``summary.probability_of_loss`` is the share of futures whose
    NPV is below zero, ``summary.p10_profit`` / ``p90_profit`` the range that 8 in 10 fall into.

    Examples
    --------
    The honey's upgrade of `appraise_upgrade`: how often does it lose money?

    >>> up = StarUpgrade((25e6, 34e6, 60e6), 6_000, 260_000, 201_000, (0, 0.02, 0.10), (0, 0.05, 0.20),
    ...                  upkeep_per_year=15e6, rerating_cost=20e6)
    >>> s = simulate_upgrade(up, seed=1).summary
    >>> round(s.probability_of_loss, 2), round(s.p10_profit / 1e6), round(s.p90_profit / 1e6)
    (0.05, 34, 408)

    One future in twenty loses money; in eight of ten the NPV is 34 to 408 million.
    """
    rate = upgrade.discount_rate
    discount = (1 + rate) ** -np.arange(1, upgrade.years + 1)

    def model(upgrade_cost: np.ndarray, price_premium: np.ndarray, extra_volume: np.ndarray) -> np.ndarray:
        return _flows(upgrade, price_premium, extra_volume) @ discount - upgrade_cost

    return simulate_model(model, {"upgrade_cost": upgrade.upgrade_cost, "price_premium": upgrade.price_premium,
                                  "extra_volume": upgrade.extra_volume}, draws=draws, seed=seed)

