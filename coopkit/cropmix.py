"""Crop and land mix: how many hectares of each crop earn the most, within the cooperative's limits.

A manager in Sơn La asks: "we have 50 ha, our members can work so many days each month, we
have 3.4 billion đồng to spend before the harvests, and we promised 40 t of coffee to a partner:
how much coffee, tea, oranges, plums, maize and vegetables should we plant?" That is a linear
programme (spreadsheet equivalent: Excel's Solver with "Simplex LP"):

- choose the area ``x_i`` (ha) of each crop, ``x_i ≥ 0``;
- to make the total contribution margin ``Σ x_i · (yield × price − variable costs per ha)``
  as large as possible;
- without using more land than the cooperative has (``Σ x_i ≤ land``), more labour-days than
  its members can give in any month (``Σ x_i · days_i,m ≤ days_m``, 12 limits), more working
  capital than it has (``Σ x_i · cash_i ≤ capital``), more than the area each crop may take
  (``x_i ≤ max_i``), while growing enough of each contracted crop (``x_i · yield_i ≥ contract_i``).

`best_crop_mix` solves it with HiGHS (``scipy.optimize.linprog(method="highs")``) and also
reports which limits are used up ("bind") and what one more unit of each would be worth (its
shadow price: one more ha of land, one more labour-day in a month, one more million đồng of
working capital), with `CropMix.explain` putting it in words.

A plan that no area can meet (the contracts need more land, labour or money than there is)
raises `InfeasiblePlan`, an `InputError` whose message names the conflicting limits. Every
limit except the contracts only gets harder with more area, so the contracts can be met at all
exactly when their smallest areas (contract ÷ yield, nothing else planted) fit every limit: the
limits broken there are the ones that must be loosened, each of them and together enough.

All amounts are positive VND; areas in ha, outputs in kg, labour in labour-days (one person,
one day). The default example (`son_la_example`) is a teaching plan, not a statistic: each
number's source is in `Crop.source` and `SON_LA_SOURCES`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from coopkit import fields, i18n
from coopkit.errors import InputError
from coopkit.validate import check_nonnegative, check_positive

__all__ = [
    "MONTHS",
    "SON_LA_SOURCES",
    "Crop",
    "CropMix",
    "Farm",
    "InfeasiblePlan",
    "Limit",
    "best_crop_mix",
    "son_la_example",
]

MONTHS = 12

fields.register_fields(
    {
        "crops": "text",
        "crop": "text",
        "land_ha": "number",
        "labour_days_per_month": "number",
        "working_capital": "money",
        "yield_kg_per_ha": "number",
        "price_per_kg": "money",
        "variable_costs_per_ha": "money",
        "cash_per_ha": "money",
        "max_area_ha": "number",
        "min_output_kg": "number",
        "margin_per_ha": "money",
        "total_margin": "money",
        "shadow_price": "money",
    }
)

#: What one "more" of each kind of limit is, for shadow prices: 1 ha, 1 labour-day,
#: 1 000 000 ₫ of working capital, 1 tonne of contract, 1 ha of a crop's maximum area.
STEPS = {"land": 1.0, "labour": 1.0, "working_capital": 1e6, "contract": 1_000.0, "max_area": 1.0}
_REL_TOL = 1e-7


# --------------------------------------------------------------------------- inputs


def _crop_label(name: str, crop_names: dict[str, str]) -> dict[str, str]:
    return {lang: i18n.tr("cropmix.crop_field", lang, field=fields.label(name, lang), crop=crop_names[lang])
            for lang in i18n.LANGUAGES}


def _months(name: str, values: object, label: dict[str, str] | None = None) -> tuple[float, ...]:
    """12 labour-day figures, each finite and ≥ 0."""
    try:
        items = list(values)  # type: ignore[call-overload]
    except TypeError:
        raise InputError(name, reason="crop_mix_months", value=None, label=label, count=1) from None
    if len(items) != MONTHS:
        raise InputError(name, reason="crop_mix_months", value=None, label=label, count=len(items))
    out = []
    for item in items:
        try:
            out.append(check_nonnegative(name, item))
        except InputError as err:
            raise InputError(name, reason=err.reason, value=err.value, label=label, **err.params) from None
    return tuple(out)


@dataclass(frozen=True)
class Crop:
    """One crop the cooperative may plant, per hectare and per year.

    Parameters
    ----------
    key
        Short code, unique in a plan (``"ca_phe"``).
    name_vi, name_en
        The crop's name on screen.
    yield_kg_per_ha
        Saleable output per hectare (kg, > 0).
    price_per_kg
        Selling price (VND per kg, ≥ 0).
    variable_costs_per_ha
        Costs that grow with the area: seedlings, fertiliser, sprays, hired picking,
        processing (VND per ha, ≥ 0).
    labour_days_per_month
        Members' labour-days one hectare needs in each month, January to December (12 numbers ≥ 0).
    cash_per_ha
        Working capital one hectare ties up before its harvest is paid (VND per ha, ≥ 0).
    max_area_ha
        Most area the crop may take (ha; ``inf`` for no limit): bearing orchards, irrigated fields.
    min_output_kg
        Output promised under a contract (kg, ≥ 0): the area must be at least this ÷ the yield.
    source
        Where the numbers come from.

    Examples
    --------
    A hectare of arabica coffee giving 2.5 t of green bean at 115 000 ₫/kg, with 170 million
    đồng of variable costs, leaves 117.5 million đồng:

    >>> coffee = Crop("ca_phe", "Cà phê", "Coffee", 2_500, 115_000, 170_000_000, [10] * 12, 90_000_000)
    >>> coffee.margin_per_ha
    117500000.0
    >>> coffee.min_area_ha
    0.0
    """

    key: str
    name_vi: str
    name_en: str
    yield_kg_per_ha: float
    price_per_kg: float
    variable_costs_per_ha: float
    labour_days_per_month: tuple[float, ...]
    cash_per_ha: float
    max_area_ha: float = math.inf
    min_output_kg: float = 0.0
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key.strip():
            raise InputError("crop", reason="empty_name", value=self.key)
        names = {"vi": str(self.name_vi or self.key), "en": str(self.name_en or self.name_vi or self.key)}

        def checked(name: str, check) -> float:
            try:
                return check(name, getattr(self, name))
            except InputError as err:
                raise InputError(name, reason=err.reason, value=err.value, label=_crop_label(name, names),
                                 crop=self.key, **err.params) from None

        set_ = object.__setattr__
        set_(self, "yield_kg_per_ha", checked("yield_kg_per_ha", check_positive))
        set_(self, "price_per_kg", checked("price_per_kg", check_nonnegative))
        set_(self, "variable_costs_per_ha", checked("variable_costs_per_ha", check_nonnegative))
        set_(self, "cash_per_ha", checked("cash_per_ha", check_nonnegative))
        set_(self, "min_output_kg", checked("min_output_kg", check_nonnegative))
        max_area = self.max_area_ha
        if max_area is None:
            max_area = math.inf
        if not (isinstance(max_area, (int, float)) and not isinstance(max_area, bool) and max_area == math.inf):
            max_area = checked("max_area_ha", check_nonnegative)
        set_(self, "max_area_ha", float(max_area))
        try:
            months = _months("labour_days_per_month", self.labour_days_per_month,
                             _crop_label("labour_days_per_month", names))
        except InputError as err:
            err.params["crop"] = self.key
            raise
        set_(self, "labour_days_per_month", months)

    def name(self, lang: str | None = None) -> str:
        """The crop's name in ``lang``."""
        return self.name_en or self.name_vi if i18n.normalize_language(lang) == "en" else self.name_vi

    @property
    def margin_per_ha(self) -> float:
        """Contribution margin of one hectare: yield × price − variable costs (VND)."""
        return self.yield_kg_per_ha * self.price_per_kg - self.variable_costs_per_ha

    @property
    def min_area_ha(self) -> float:
        """Smallest area that meets the contract: ``min_output_kg ÷ yield_kg_per_ha`` (ha)."""
        return self.min_output_kg / self.yield_kg_per_ha


@dataclass(frozen=True)
class Farm:
    """What the cooperative has for a year's plan.

    Parameters
    ----------
    land_ha
        Land that can be planted (ha, ≥ 0).
    labour_days_per_month
        Labour-days the members can give in each month, January to December (12 numbers ≥ 0).
    working_capital
        Money available to spend before the harvests are paid (VND, ≥ 0).

    Examples
    --------
    >>> farm = Farm(50, [1_500] * 12, 3_400_000_000)
    >>> farm.land_ha, len(farm.labour_days_per_month)
    (50.0, 12)
    """

    land_ha: float
    labour_days_per_month: tuple[float, ...]
    working_capital: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "land_ha", check_nonnegative("land_ha", self.land_ha))
        object.__setattr__(self, "working_capital", check_nonnegative("working_capital", self.working_capital))
        object.__setattr__(self, "labour_days_per_month", _months("labour_days_per_month", self.labour_days_per_month))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Limit:
    """One limit of the plan after solving.

    ``kind`` is ``"land"``, ``"labour"`` (one per ``month``, 1–12), ``"working_capital"``,
    ``"contract"`` or ``"max_area"`` (one per ``crop``). ``limit`` and ``used`` are in the
    limit's own unit (ha, labour-days, VND, kg); ``slack`` is what is left (for a contract:
    the output above the contract). ``shadow_price`` is the change in the best total margin
    (VND) when the limit grows by one ``step`` (1 ha, 1 labour-day, 1 000 000 ₫, 1 t): worth
    ≥ 0 for land, labour, capital and maximum areas; ≤ 0 for a contract, whose every extra
    tonne costs margin. It holds for small changes; a larger one may change which limits bind.

    Examples
    --------
    The Sơn La cooperative plants all its 50 ha; one more hectare would add about 26 million
    đồng to its best total margin:

    >>> crops, farm = son_la_example()
    >>> land = best_crop_mix(crops, farm).limit("land")
    >>> land.limit, round(land.used, 1), land.binding, round(land.shadow_price / 1e6)
    (50.0, 50.0, True, 26)
    """

    key: str
    kind: str
    limit: float
    used: float
    slack: float
    shadow_price: float
    step: float
    binding: bool
    month: int | None = None
    crop: str | None = None


@dataclass(frozen=True)
class CropMix:
    """The best areas and what limits them (see `best_crop_mix`)."""

    crops: tuple[Crop, ...]
    farm: Farm
    areas_ha: tuple[float, ...]
    total_margin: float
    limits: tuple[Limit, ...]

    def area(self, key: str) -> float:
        """Area (ha) of crop ``key`` in the best plan."""
        return self.areas_ha[[c.key for c in self.crops].index(key)]

    def limit(self, key: str) -> Limit:
        """The limit ``key``: ``"land"``, ``"labour:11"``, ``"working_capital"``, ``"contract:ca_phe"``…"""
        for item in self.limits:
            if item.key == key:
                return item
        raise KeyError(key)

    def shadow_price(self, key: str) -> float:
        """What one more step of limit ``key`` adds to the best total margin (VND)."""
        return self.limit(key).shadow_price

    @property
    def binding(self) -> tuple[Limit, ...]:
        """The limits that are used up in the best plan."""
        return tuple(item for item in self.limits if item.binding)

    @property
    def land_used_ha(self) -> float:
        return float(sum(self.areas_ha))

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per crop: ``key, crop, area_ha, output_kg, margin_per_ha, margin, share``."""
        total_area = self.land_used_ha
        rows = []
        for crop, area in zip(self.crops, self.areas_ha, strict=True):
            rows.append({
                "key": crop.key,
                "crop": crop.name(lang),
                "area_ha": area,
                "output_kg": area * crop.yield_kg_per_ha,
                "margin_per_ha": crop.margin_per_ha,
                "margin": area * crop.margin_per_ha,
                "share": area / total_area if total_area > 0 else 0.0,
            })
        return pd.DataFrame(rows)

    def limits_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per limit: ``key, limit_name, kind, limit, used, slack, binding, shadow_price, step``."""
        return pd.DataFrame([
            {"key": item.key, "limit_name": _limit_name(item, self.crops, lang), "kind": item.kind,
             "limit": item.limit, "used": item.used, "slack": item.slack, "binding": item.binding,
             "shadow_price": item.shadow_price, "step": item.step}
            for item in self.limits
        ])

    def labour_frame(self) -> pd.DataFrame:
        """Labour by month: ``month`` (1–12), ``used`` and ``available`` labour-days."""
        rows = [item for item in self.limits if item.kind == "labour"]
        return pd.DataFrame({"month": [r.month for r in rows], "used": [r.used for r in rows],
                             "available": [r.limit for r in rows]})

    def explain(self, lang: str | None = None) -> list[str]:
        """The plan in sentences: what to plant, which limits bind and what more of each is worth.

        >>> crops, farm = son_la_example()
        >>> print(best_crop_mix(crops, farm).explain("vi")[1].replace("\xa0", " "))
        Đất là giới hạn chặt: thêm 1 ha đất đem lại thêm 26.352.941 ₫.
        """
        from coopkit import fmt, i18n

        lang = i18n.normalize_language(lang)
        names = {c.key: c.name(lang) for c in self.crops}
        planted = [(c, a) for c, a in zip(self.crops, self.areas_ha, strict=True) if a > 1e-9]
        if planted:
            parts = [i18n.tr("cropmix.explain.crop_area", lang, crop=names[c.key], area=fmt.number(a, lang, decimals=1))
                     for c, a in planted]
            lines = [i18n.tr("cropmix.explain.plan", lang, crops="; ".join(parts), margin=fmt.money(self.total_margin, lang))]
        else:
            lines = [i18n.tr("cropmix.explain.nothing", lang)]
        for item in self.limits:
            worth = fmt.money(abs(item.shadow_price), lang)
            params: dict[str, Any] = {"worth": worth}
            if item.crop is not None:
                params["crop"] = names[item.crop]
            if item.month is not None:
                params["month"] = _month_name(item.month, lang)
            if item.kind == "contract":
                params["output"] = _tonnes(item.limit, lang)
            if item.binding:
                if abs(item.shadow_price) < 0.5:  # used up, but more of it would not change the best margin
                    lines.append(i18n.tr(f"cropmix.explain.{item.kind}_used_up", lang, **params))
                else:
                    lines.append(i18n.tr(f"cropmix.explain.{item.kind}_binding", lang, **params))
            elif item.kind == "land" and item.slack > 1e-9:
                lines.append(i18n.tr("cropmix.explain.land_left", lang, left=fmt.number(item.slack, lang, decimals=1)))
            elif item.kind == "working_capital" and item.slack > 0.5:
                lines.append(i18n.tr("cropmix.explain.working_capital_left", lang, left=fmt.money(item.slack, lang)))
        return lines


def _month_name(month: int, lang: str | None) -> str:
    from coopkit import fmt

    return fmt.month_name(month, lang, in_sentence=True)


def _tonnes(kg: float, lang: str | None) -> str:
    from coopkit import fmt, i18n

    return i18n.tr("cropmix.tonnes", lang, value=fmt.number(kg / 1_000, lang, decimals=1))


def _limit_name(item: Limit, crops: Sequence[Crop], lang: str | None) -> str:
    params: dict[str, Any] = {}
    if item.crop is not None:
        params["crop"] = next(c.name(lang) for c in crops if c.key == item.crop)
    if item.month is not None:
        params["month"] = _month_name(item.month, lang)
    return i18n.tr(f"cropmix.limit.{item.kind}", lang, **params)


class InfeasiblePlan(InputError):
    """No area meets every contract within the limits; the message names the limits in conflict.

    ``conflicts`` holds one ``(kind, month, crop, needed, available)`` per limit broken by the
    contracts' smallest areas (each must be loosened, all of them together are enough);
    ``contracts`` one ``(crop key, min_output_kg, min_area_ha)`` per contract. ``limit_keys``
    gives their keys as in `Limit.key` (``"land"``, ``"labour:11"``, ``"contract:ca_phe"``…).
    """

    def __init__(self, crops: Sequence[Crop], conflicts: list[tuple[str, int | None, str | None, float, float]]) -> None:
        contracts = [(c.key, c.min_output_kg, c.min_area_ha) for c in crops if c.min_output_kg > 0]
        first = contracts[0][0] if contracts else None
        super().__init__("min_output_kg", reason="crop_mix_infeasible", value=None, crop=first)
        self.crops = tuple(crops)
        self.conflicts = tuple(conflicts)
        self.contracts = tuple(contracts)

    @property
    def limit_keys(self) -> tuple[str, ...]:
        keys = [_key(kind, month, crop) for kind, month, crop, _n, _a in self.conflicts]
        return tuple(keys) + tuple(f"contract:{key}" for key, _kg, _ha in self.contracts)

    def message(self, lang: str | None = None) -> str:
        from coopkit import fmt, i18n

        lang = i18n.normalize_language(lang)
        names = {c.key: c.name(lang) for c in self.crops}
        crops_by_key = {c.key: c for c in self.crops}
        sentences = []
        for kind, month, crop, needed, available in self.conflicts:
            users = [(key, kg, ha) for key, kg, ha in self.contracts
                     if kind != "max_area" or key == crop]
            if kind == "labour":
                users = [(k, kg, ha) for k, kg, ha in users if crops_by_key[k].labour_days_per_month[month - 1] > 0]
            elif kind == "working_capital":
                users = [(k, kg, ha) for k, kg, ha in users if crops_by_key[k].cash_per_ha > 0]
            listed = "; ".join(
                i18n.tr("cropmix.conflict.contract", lang, output=_tonnes(kg, lang), crop=names[key],
                        area=fmt.number(ha, lang, decimals=1))
                for key, kg, ha in users
            )
            if kind == "working_capital":
                amounts = {"needed": fmt.money(needed, lang), "available": fmt.money(available, lang)}
            else:
                amounts = {"needed": fmt.number(needed, lang, decimals=1), "available": fmt.number(available, lang, decimals=1)}
            extra: dict[str, Any] = {}
            if month is not None:
                extra["month"] = _month_name(month, lang)
            if crop is not None:
                extra["crop"] = names[crop]
            template = "land_one" if kind == "land" and len(users) == 1 else kind
            sentences.append(i18n.tr(f"cropmix.conflict.{template}", lang, contracts=listed, **amounts, **extra))
        return i18n.tr("error.crop_mix_infeasible", lang, details=" ".join(sentences))


def _key(kind: str, month: int | None, crop: str | None) -> str:
    if kind == "labour":
        return f"labour:{month}"
    if kind in ("contract", "max_area"):
        return f"{kind}:{crop}"
    return kind


# --------------------------------------------------------------------------- the solver


def _check_crops(crops: Iterable[Crop]) -> tuple[Crop, ...]:
    if isinstance(crops, Crop):
        crops = [crops]
    try:
        items = tuple(crops)
    except TypeError:
        raise InputError("crops", reason="crop_mix_no_crops", value=None) from None
    if not items:
        raise InputError("crops", reason="crop_mix_no_crops", value=None)
    seen: set[str] = set()
    for crop in items:
        if not isinstance(crop, Crop):
            raise InputError("crops", reason="crop_mix_not_a_crop", value=str(crop))
        if crop.key in seen:
            raise InputError("crops", reason="duplicate_key", value=crop.key)
        seen.add(crop.key)
    return items


#: The largest figure (VND, kg, ha or labour-days, per hectare or in all) a plan is computed with:
#: far above any cooperative's, far below what the solver can no longer handle (a typing mistake).
LARGEST_FIGURE = 1e15


def _check_solvable(crops: Sequence[Crop], farm: Farm) -> None:
    """Every figure the linear programme uses is finite and at most `LARGEST_FIGURE`.

    Each input is checked on its own when a `Crop` or `Farm` is made; their products (a
    margin per hectare of yield × price) can still overflow, and HiGHS fails on such numbers.
    """
    for crop in crops:
        names = {"vi": str(crop.name_vi or crop.key), "en": str(crop.name_en or crop.name_vi or crop.key)}
        figures = [("margin_per_ha", crop.margin_per_ha), ("yield_kg_per_ha", crop.yield_kg_per_ha),
                   ("cash_per_ha", crop.cash_per_ha), ("min_output_kg", crop.min_output_kg),
                   *(("labour_days_per_month", days) for days in crop.labour_days_per_month)]
        for name, value in figures:
            if not math.isfinite(value) or abs(value) > LARGEST_FIGURE:
                raise InputError(name, reason="crop_mix_too_large", value=value, label=_crop_label(name, names),
                                 crop=crop.key)
    for name, value in [("land_ha", farm.land_ha), ("working_capital", farm.working_capital),
                        *(("labour_days_per_month", days) for days in farm.labour_days_per_month)]:
        if value > LARGEST_FIGURE:
            raise InputError(name, reason="crop_mix_too_large", value=value)


def best_crop_mix(crops: Iterable[Crop], farm: Farm) -> CropMix:
    """The areas of each crop that give the largest total contribution margin within the limits.

    Parameters
    ----------
    crops
        The crops that may be planted (`Crop`, unique keys).
    farm
        Land, labour by month and working capital (`Farm`).

    Returns
    -------
    CropMix
        ``areas_ha`` (one per crop, same order), ``total_margin`` (VND), and ``limits``: for each
        limit what is used, what is left, whether it binds and its shadow price (see `Limit`).
        ``explain(lang)`` says it in words.

    Raises
    ------
    InfeasiblePlan
        When the contracts cannot all be met within the limits; the message names them,
        e.g. "the 40 t coffee contract needs 16 ha but you have 12 ha of land".

    Warnings
    --------
    Shadow prices hold for small changes of one limit; where several limits bind at once
    (a "degenerate" plan) HiGHS reports one of several valid values. Solver in a spreadsheet:
    Excel's Solver, "Simplex LP", with the sensitivity report's "Shadow Price" column.

    Examples
    --------
    The Sơn La cooperative's plan (50 ha, members' labour by month, 3.4 billion đồng of working
    capital, 40 t of coffee promised to a partner): how many hectares of each crop?

    >>> crops, farm = son_la_example()
    >>> mix = best_crop_mix(crops, farm)
    >>> {key: round(area, 1) for key, area in zip([c.key for c in crops], mix.areas_ha)}
    {'ca_phe': 17.0, 'che': 13.2, 'cam': 4.8, 'man': 15.0, 'ngo': 0.0, 'rau': 0.0}
    >>> round(mix.total_margin / 1e6)  # million đồng
    4685
    >>> [limit.key for limit in mix.binding]
    ['land', 'labour:11', 'working_capital', 'max_area:man']
    >>> round(mix.shadow_price("land") / 1e6, 1)  # million đồng for one more hectare
    26.4

    The 40 t coffee contract needs 16 ha: with only 12 ha of land no plan can meet it.

    >>> from dataclasses import replace
    >>> best_crop_mix(crops, replace(farm, land_ha=12))
    Traceback (most recent call last):
    ...
    coopkit.cropmix.InfeasiblePlan: Không có cách trồng nào vừa giao đủ hàng theo hợp đồng vừa nằm trong giới hạn của hợp tác xã. Đất: hợp đồng 40 tấn Cà phê chè cần ít nhất 16 ha, nhưng hợp tác xã chỉ có 12 ha. Hãy giảm hợp đồng hoặc nới các giới hạn này.
    """
    from scipy.optimize import linprog

    items = _check_crops(crops)
    if not isinstance(farm, Farm):
        raise InputError("land_ha", reason="crop_mix_not_a_farm", value=None)
    n = len(items)
    yields = np.array([c.yield_kg_per_ha for c in items])
    cash = np.array([c.cash_per_ha for c in items])
    labour = np.array([c.labour_days_per_month for c in items]).T  # 12 × n
    upper = np.array([c.max_area_ha for c in items])
    minimum = np.array([c.min_area_ha for c in items])
    contract_rows = [i for i, c in enumerate(items) if c.min_output_kg > 0]

    # Feasibility: every limit but the contracts grows with the areas, so the plan is possible
    # exactly when the contracts' smallest areas fit; the limits they break are the conflict.
    conflicts: list[tuple[str, int | None, str | None, float, float]] = []

    def too_much(needed: float, available: float) -> bool:
        return needed > available * (1 + _REL_TOL) + 1e-9

    if too_much(float(minimum.sum()), farm.land_ha):
        conflicts.append(("land", None, None, float(minimum.sum()), farm.land_ha))
    for m in range(MONTHS):
        needed = float(labour[m] @ minimum)
        if too_much(needed, farm.labour_days_per_month[m]):
            conflicts.append(("labour", m + 1, None, needed, farm.labour_days_per_month[m]))
    if too_much(float(cash @ minimum), farm.working_capital):
        conflicts.append(("working_capital", None, None, float(cash @ minimum), farm.working_capital))
    for i in contract_rows:
        if too_much(minimum[i], upper[i]):
            conflicts.append(("max_area", None, items[i].key, float(minimum[i]), float(upper[i])))
    if conflicts:
        raise InfeasiblePlan(items, conflicts)
    _check_solvable(items, farm)

    # Scaled for HiGHS: money in millions of đồng, contracts in tonnes (the shadow-price steps).
    margin = np.array([c.margin_per_ha for c in items]) / 1e6
    a_ub = np.vstack([np.ones(n), labour, cash / 1e6] + [-np.eye(n)[i] * yields[i] / 1e3 for i in contract_rows])
    b_ub = np.array([farm.land_ha, *farm.labour_days_per_month, farm.working_capital / 1e6]
                    + [-items[i].min_output_kg / 1e3 for i in contract_rows])
    bounds = [(0.0, None if math.isinf(u) else float(u)) for u in upper]
    result = linprog(-margin, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if result.status != 0:  # cannot happen for a checked plan; say so rather than return nonsense
        raise RuntimeError(f"HiGHS could not solve the crop mix: {result.message}")
    areas = np.where(result.x > 1e-9, result.x, 0.0)
    duals = -np.asarray(result.ineqlin.marginals) * 1e6  # VND of margin per step of each row
    upper_duals = -np.asarray(result.upper.marginals) * 1e6

    used = a_ub @ areas
    limits: list[Limit] = []

    def add(kind: str, row_limit: float, row_used: float, scale: float, dual: float, month=None, crop=None,
            needed: bool = True) -> None:
        # a contract is "at least": what is left is the output above it
        slack = (row_used - row_limit) if kind == "contract" else (row_limit - row_used)
        # a limit no crop needs (a month without work) is never what holds the plan back
        binding = needed and abs(slack) <= _REL_TOL * max(1.0, abs(row_limit)) + 1e-9
        limits.append(Limit(_key(kind, month, crop), kind, float(row_limit * scale), float(row_used * scale),
                            float(max(slack, 0.0) * scale), float(dual) + 0.0, STEPS[kind], bool(binding), month, crop))

    add("land", b_ub[0], used[0], 1.0, duals[0])
    for m in range(MONTHS):
        add("labour", b_ub[1 + m], used[1 + m], 1.0, duals[1 + m], month=m + 1, needed=bool(labour[m].any()))
    add("working_capital", b_ub[13], used[13], 1e6, duals[13], needed=bool(cash.any()))
    for j, i in enumerate(contract_rows):
        # row: −output ≤ −contract; the surplus is output − contract; raising the contract costs margin
        add("contract", -b_ub[14 + j], -used[14 + j], 1e3, -duals[14 + j], crop=items[i].key)
    for i, crop in enumerate(items):
        if not math.isinf(upper[i]):
            add("max_area", upper[i], areas[i], 1.0, upper_duals[i], crop=crop.key)
    total = float(np.array([c.margin_per_ha for c in items]) @ areas)
    return CropMix(items, farm, tuple(float(a) for a in areas), total, tuple(limits))


# --------------------------------------------------------------------------- the example

#: Where the Sơn La example's numbers come from (per crop key, plus ``"farm"``).
SON_LA_SOURCES: dict[str, str] = {
    "ca_phe": (
        "yield: illustrative assumption, 2.5 t green arabica/ha (FAOSTAT QCL, Coffee green, Viet Nam 2023: "
        "2,934 kg/ha national average, mostly robusta); price: datasets/products.csv ca_phe_nhan_son_la "
        "(115,000 VND/kg); costs, labour (picking Oct–Jan), cash and the 30 ha of bearing coffee: illustrative "
        "assumptions; contract: 40 t, as products.csv reports for the cooperative's specialty coffee"
    ),
    "che": (
        "yield: FAOSTAT QCL, Tea leaves, Viet Nam 2023: 10,031 kg fresh leaf/ha; price: FAOSTAT Producer "
        "Prices, Tea leaves, Viet Nam 2023: 405.8 USD/t × WDI 2023 23,787 VND/USD ≈ 9,650 VND/kg; costs, "
        "labour (plucking Mar–Nov), cash and area: illustrative assumptions"
    ),
    "cam": (
        "yield and price: datasets/products.csv cam_lac_thuy (16 t/ha, 16,000 VND/kg, anchored on FAOSTAT "
        "Producer Prices, Oranges, Viet Nam 2023); costs, labour (harvest Oct–Jan), cash and the 10 ha of "
        "bearing orchard: illustrative assumptions"
    ),
    "man": "illustrative assumption: Mộc Châu plums, 12 t/ha at 15,000 VND/kg, harvest May–June",
    "ngo": "illustrative assumption: upland maize, 5 t/ha at 6,500 VND/kg, sown Apr–May, harvested Aug–Sep",
    "rau": "illustrative assumption: Mộc Châu vegetables, two crops a year, 30 t/ha at 4,000 VND/kg, on 8 ha of irrigated fields",
    "farm": (
        "illustrative assumption: 50 ha; about 60 members' workers × 25 days = 1,500 labour-days a month, "
        "fewer around Tết (1,000 in January and February); 3.4 billion đồng of working capital"
    ),
}


def son_la_example() -> tuple[tuple[Crop, ...], Farm]:
    """A Sơn La cooperative's year: six crops and its land, labour and working capital.

    A teaching plan: sources in `SON_LA_SOURCES` (anchored on FAOSTAT and ``datasets/`` where
    possible, otherwise marked "illustrative assumption").

    >>> crops, farm = son_la_example()
    >>> [c.key for c in crops], farm.land_ha
    (['ca_phe', 'che', 'cam', 'man', 'ngo', 'rau'], 50.0)
    >>> round(crops[0].min_area_ha, 1)  # the 40 t coffee contract needs 16 ha
    16.0
    """
    s = SON_LA_SOURCES
    crops = (
        Crop("ca_phe", "Cà phê chè", "Arabica coffee", 2_500, 115_000, 170_000_000,
             (30, 8, 6, 6, 8, 6, 6, 6, 8, 40, 60, 50), 90_000_000, max_area_ha=30, min_output_kg=40_000,
             source=s["ca_phe"]),
        Crop("che", "Chè búp tươi", "Fresh tea leaf", 10_000, 9_650, 45_000_000,
             (4, 4, 20, 25, 25, 25, 25, 25, 25, 20, 15, 4), 30_000_000, max_area_ha=25, source=s["che"]),
        Crop("cam", "Cam", "Oranges", 16_000, 16_000, 150_000_000,
             (25, 10, 8, 8, 8, 8, 8, 8, 10, 30, 40, 45), 120_000_000, max_area_ha=10, source=s["cam"]),
        Crop("man", "Mận hậu Mộc Châu", "Mộc Châu plums", 12_000, 15_000, 80_000_000,
             (6, 8, 10, 10, 45, 40, 6, 6, 6, 6, 6, 6), 60_000_000, max_area_ha=15, source=s["man"]),
        Crop("ngo", "Ngô", "Maize", 5_000, 6_500, 18_000_000,
             (0, 0, 0, 12, 10, 6, 4, 14, 10, 0, 0, 0), 15_000_000, source=s["ngo"]),
        Crop("rau", "Rau Mộc Châu", "Mộc Châu vegetables", 30_000, 4_000, 70_000_000,
             (25, 25, 30, 30, 30, 25, 25, 25, 30, 30, 30, 25), 40_000_000, max_area_ha=8, source=s["rau"]),
    )
    farm = Farm(50, (1_000, 1_000, 1_500, 1_500, 1_500, 1_500, 1_500, 1_500, 1_500, 1_500, 1_500, 1_500),
                3_400_000_000)
    return crops, farm
