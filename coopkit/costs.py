"""What a product costs: cost items, the season's cost summary, unit cost and processing.

A cooperative lists its costs as it pays them: some once a season (a land lease, a
manager's pay), some per hectare (fertiliser), per batch (a drying run) or per unit of
product (a box per 10 kg). `cost_summary` turns such a list into the two numbers the
break-even lessons need, the fixed costs of the season and the variable cost per unit.
For processed products (green coffee from fresh cherry, pickled cassava) the raw material
needed per finished unit comes from a conversion ratio and a loss rate.

All amounts are positive VND; rates are fractions (``0.02`` for 2 %).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal, get_args

import pandas as pd

from coopkit.errors import InputError
from coopkit.i18n import normalize_language
from coopkit.validate import check_fraction, check_nonnegative, check_object, check_positive

__all__ = [
    "CostBasis",
    "CostKind",
    "CostItem",
    "CostSummary",
    "cost_summary",
    "cost_breakdown",
    "unit_cost",
    "raw_input_needed",
    "raw_material_cost_per_unit",
    "processed_unit_cost",
    "straight_line_depreciation",
]

CostBasis = Literal["season", "ha", "unit", "batch"]
CostKind = Literal["fixed", "variable"]

_BASES: tuple[str, ...] = get_args(CostBasis)
_KINDS: tuple[str, ...] = get_args(CostKind)


def _check_name(field: str, value: object) -> str:
    """A non-empty piece of text (a code or a name)."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, reason="empty_name", value=value)
    return value


@dataclass(frozen=True)
class CostItem:
    """One cost of the season, as the cooperative pays it.

    Parameters
    ----------
    key
        Short code, unique in a list of items (``"phan_bon"``).
    name_vi, name_en
        The name a manager reads; an empty English name falls back to the Vietnamese one.
    amount
        VND per ``basis``: for the season, per hectare, per unit of product or per batch.
    basis
        ``"season"`` (once a season), ``"ha"`` (per hectare), ``"unit"`` (per unit of
        product) or ``"batch"`` (per batch of ``units_per_batch`` units).
    kind
        ``"fixed"`` (does not change with the volume sold) or ``"variable"``. A season
        amount is always fixed and a per-unit amount always variable; per-hectare and
        per-batch amounts may be either.

    Examples
    --------
    Fertiliser for the orange orchards of a Lạc Thủy cooperative costs 18 million đồng a
    hectare; on 5 ha that is 90 million for the season:

    >>> fertiliser = CostItem("phan_bon", "Phân bón", "Fertiliser", 18_000_000, "ha", "variable")
    >>> fertiliser.season_total(volume=100_000, area_ha=5)
    90000000.0
    >>> fertiliser.name("en")
    'Fertiliser'
    """

    key: str
    name_vi: str
    name_en: str
    amount: float
    basis: CostBasis
    kind: CostKind

    def __post_init__(self) -> None:
        _check_name("cost_item", self.key)
        _check_name("cost_item", self.name_vi)
        if not isinstance(self.name_en, str):
            raise InputError("cost_item", reason="empty_name", value=self.name_en)
        # Errors about this item carry its name, so that an app can show which item is wrong.
        label = {"vi": self.name("vi"), "en": self.name("en")}
        try:
            object.__setattr__(self, "amount", check_nonnegative("amount", self.amount))
        except InputError as err:
            raise InputError(err.field, err.reason, err.value, label=label, cost_item=self.key, **err.params) from None
        if self.basis not in _BASES:
            raise InputError("cost_basis", reason="unknown_cost_basis", value=self.basis, cost_item=self.key)
        if self.kind not in _KINDS:
            raise InputError("cost_kind", reason="unknown_cost_kind", value=self.kind, cost_item=self.key)
        if self.basis == "season" and self.kind != "fixed":
            raise InputError(
                "cost_kind", reason="season_cost_must_be_fixed", value=self.kind, label=label, cost_item=self.key
            )
        if self.basis == "unit" and self.kind != "variable":
            raise InputError(
                "cost_kind", reason="unit_cost_must_be_variable", value=self.kind, label=label, cost_item=self.key
            )

    def name(self, lang: str | None = None) -> str:
        """The item's name in ``lang`` (``"vi"`` or ``"en"``)."""
        if normalize_language(lang) == "en" and self.name_en.strip():
            return self.name_en
        return self.name_vi

    def season_total(self, volume: float, area_ha: float = 1.0, units_per_batch: float = 1.0) -> float:
        """VND this item costs in a season of ``volume`` units on ``area_ha`` hectares.

        Parameters
        ----------
        volume
            Units produced and sold in the season (zero or more).
        area_ha
            Hectares farmed (zero or more); used by per-hectare items.
        units_per_batch
            Units in one batch (more than zero); used by per-batch items.

        Returns
        -------
        float
            ``amount`` for a season item, ``amount × area_ha`` per hectare,
            ``amount × volume / units_per_batch`` per batch and ``amount × volume`` per unit.

        Examples
        --------
        One drying run of 2 000 kg of cherry costs 1.5 million đồng; 60 tonnes need 30 runs:

        >>> drying = CostItem("say", "Sấy", "Drying", 1_500_000, "batch", "variable")
        >>> drying.season_total(volume=60_000, units_per_batch=2_000)
        45000000.0
        """
        volume = check_nonnegative("volume", volume)
        area_ha = check_nonnegative("area_ha", area_ha)
        units_per_batch = check_positive("units_per_batch", units_per_batch)
        if self.basis == "season":
            return float(self.amount)
        if self.basis == "ha":
            return self.amount * area_ha
        if self.basis == "batch":
            return self.amount * volume / units_per_batch
        return self.amount * volume


@dataclass(frozen=True)
class CostSummary:
    """The season's costs reduced to what the break-even lessons need.

    Attributes
    ----------
    fixed_costs
        VND for the season that do not change with the volume sold.
    variable_cost_per_unit
        VND per unit that grow with every unit produced.
    volume
        Units produced and sold in the season.
    total_costs
        ``fixed_costs + variable_cost_per_unit × volume``.
    unit_cost
        ``total_costs / volume``: what one unit costs on average.
    """

    fixed_costs: float
    variable_cost_per_unit: float
    volume: float
    total_costs: float
    unit_cost: float

    def to_frame(self) -> pd.DataFrame:
        """The summary as a table with columns ``key`` and ``value``.

        >>> summary = CostSummary(120e6, 2_000, 100_000, 320e6, 3_200)
        >>> summary.to_frame()["key"].tolist()[:2]
        ['fixed_costs', 'variable_cost_per_unit']
        """
        return pd.DataFrame({"key": list(asdict(self)), "value": [float(v) for v in asdict(self).values()]})


def _check_items(items: Iterable[CostItem]) -> list[CostItem]:
    """The items as a list; bad input when empty or when two share a key."""
    if isinstance(items, (str, bytes, CostItem)) or not isinstance(items, Iterable):
        raise InputError("cost_items", reason="not_an_object", value=str(items)[:80], expected="CostItem")
    checked = list(items)
    if not checked:
        raise InputError("cost_items", reason="no_cost_items")
    seen: set[str] = set()
    for item in checked:
        check_object("cost_items", item, CostItem)
        if item.key in seen:
            raise InputError("cost_item", reason="duplicate_key", value=item.key)
        seen.add(item.key)
    return checked


def cost_summary(
    items: Iterable[CostItem], volume: float, area_ha: float = 1.0, units_per_batch: float = 1.0
) -> CostSummary:
    """Fixed costs and variable cost per unit of a season, from its list of cost items.

    Parameters
    ----------
    items
        The season's cost items (at least one, each with its own ``key``).
    volume
        Units produced and sold in the season (more than zero).
    area_ha
        Hectares farmed (zero or more), for per-hectare items.
    units_per_batch
        Units in one batch (more than zero), for per-batch items.

    Returns
    -------
    CostSummary
        Fixed costs (sum of the fixed items' season totals), variable cost per unit (sum of
        the variable items' season totals divided by ``volume``), total costs and unit cost.

    Examples
    --------
    A Lạc Thủy orange cooperative farms 5 ha and expects to sell 100 tonnes. What does one
    kilogram cost? (Illustrative figures.)

    >>> items = [
    ...     CostItem("thue_dat", "Thuê đất", "Land lease", 12_000_000, "ha", "fixed"),
    ...     CostItem("khau_hao", "Khấu hao vườn", "Orchard depreciation", 60_000_000, "season", "fixed"),
    ...     CostItem("phan_bon", "Phân bón", "Fertiliser", 18_000_000, "ha", "variable"),
    ...     CostItem("thu_hoach", "Công thu hoạch", "Harvest labour", 800, "unit", "variable"),
    ...     CostItem("thung", "Thùng đóng gói", "Crates", 150_000, "batch", "variable"),
    ... ]
    >>> s = cost_summary(items, volume=100_000, area_ha=5, units_per_batch=500)
    >>> s.fixed_costs, s.variable_cost_per_unit, s.unit_cost
    (120000000.0, 2000.0, 3200.0)
    """
    item_list = _check_items(items)
    volume = check_positive("volume", volume)
    area_ha = check_nonnegative("area_ha", area_ha)
    units_per_batch = check_positive("units_per_batch", units_per_batch)
    fixed = sum(i.season_total(volume, area_ha, units_per_batch) for i in item_list if i.kind == "fixed")
    variable = sum(i.season_total(volume, area_ha, units_per_batch) for i in item_list if i.kind == "variable")
    variable_per_unit = variable / volume
    total = fixed + variable
    return CostSummary(
        fixed_costs=float(fixed),
        variable_cost_per_unit=float(variable_per_unit),
        volume=volume,
        total_costs=float(total),
        unit_cost=float(total / volume),
    )


def cost_breakdown(
    items: Iterable[CostItem],
    volume: float,
    area_ha: float = 1.0,
    units_per_batch: float = 1.0,
    lang: str | None = "vi",
) -> pd.DataFrame:
    """One row per cost item: its season total, its cost per unit and its share of all costs.

    Parameters
    ----------
    items, volume, area_ha, units_per_batch
        As in `cost_summary`.
    lang
        Language of the ``name`` column (``"vi"`` or ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``key, name, kind, basis, season_total, per_unit, share``; the shares sum to
        1 (all zero when every item costs nothing).

    Examples
    --------
    Which cost weighs most in a kilogram of Lạc Thủy oranges?

    >>> items = [
    ...     CostItem("khau_hao", "Khấu hao vườn", "Orchard depreciation", 60_000_000, "season", "fixed"),
    ...     CostItem("phan_bon", "Phân bón", "Fertiliser", 18_000_000, "ha", "variable"),
    ...     CostItem("thu_hoach", "Công thu hoạch", "Harvest labour", 800, "unit", "variable"),
    ... ]
    >>> table = cost_breakdown(items, volume=100_000, area_ha=5, lang="en")
    >>> print(table[["name", "per_unit", "share"]].round(3).to_string(index=False))
                    name  per_unit  share
    Orchard depreciation     600.0  0.261
              Fertiliser     900.0  0.391
          Harvest labour     800.0  0.348
    """
    item_list = _check_items(items)
    volume = check_positive("volume", volume)
    area_ha = check_nonnegative("area_ha", area_ha)
    units_per_batch = check_positive("units_per_batch", units_per_batch)
    totals = [i.season_total(volume, area_ha, units_per_batch) for i in item_list]
    grand_total = sum(totals)
    return pd.DataFrame(
        {
            "key": [i.key for i in item_list],
            "name": [i.name(lang) for i in item_list],
            "kind": [i.kind for i in item_list],
            "basis": [i.basis for i in item_list],
            "season_total": [float(t) for t in totals],
            "per_unit": [t / volume for t in totals],
            "share": [t / grand_total if grand_total > 0 else 0.0 for t in totals],
        }
    )


def unit_cost(fixed_costs: float, variable_cost_per_unit: float, volume: float) -> float:
    """What one unit costs on average: fixed costs spread over the volume, plus the variable cost.

    Parameters
    ----------
    fixed_costs
        VND for the season (zero or more).
    variable_cost_per_unit
        VND per unit (zero or more).
    volume
        Units produced in the season (more than zero).

    Returns
    -------
    float
        ``fixed_costs / volume + variable_cost_per_unit``, VND per unit.

    Examples
    --------
    A cooperative with 120 million đồng of fixed costs, 9 000 đ/kg of variable costs and
    40 tonnes to sell:

    >>> unit_cost(120_000_000, 9_000, 40_000)
    12000.0
    """
    fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
    variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    volume = check_positive("volume", volume)
    return fixed_costs / volume + variable_cost_per_unit


def _yield_factor(conversion_ratio: float, loss_rate: float) -> float:
    """Raw units bought per finished unit sold: ``ratio / (1 − loss)``."""
    conversion_ratio = check_positive("conversion_ratio", conversion_ratio)
    loss_rate = check_fraction("loss_rate", loss_rate)
    return conversion_ratio / (1.0 - loss_rate)


def raw_input_needed(output_units: float, conversion_ratio: float, loss_rate: float = 0.0) -> float:
    """Raw material to buy for a given finished output.

    Parameters
    ----------
    output_units
        Finished units wanted (zero or more), e.g. kg of green coffee.
    conversion_ratio
        Raw units per finished unit (more than zero), e.g. kg of fresh cherry per kg of
        green bean. It is an assumption: measure it on your own batches when you can.
    loss_rate
        Share of the finished product lost afterwards (spoilage, sorting, samples), a
        fraction from 0 up to but not including 1.

    Returns
    -------
    float
        ``output_units × conversion_ratio / (1 − loss_rate)``, raw units.

    Examples
    --------
    A coffee cooperative in Đắk Lắk has an order for 1 000 kg of green robusta. With the
    commonly reported ratio of about 5 kg of fresh cherry per kg of green bean and 2 % lost
    in sorting, how much cherry must it buy?

    >>> round(raw_input_needed(1_000, conversion_ratio=5, loss_rate=0.02))
    5102
    """
    output_units = check_nonnegative("output_units", output_units)
    return output_units * _yield_factor(conversion_ratio, loss_rate)


def raw_material_cost_per_unit(raw_price_per_unit: float, conversion_ratio: float, loss_rate: float = 0.0) -> float:
    """The raw material cost in one finished unit.

    Parameters
    ----------
    raw_price_per_unit
        VND per raw unit (zero or more), e.g. đồng per kg of fresh cherry.
    conversion_ratio, loss_rate
        As in `raw_input_needed`.

    Returns
    -------
    float
        ``raw_price_per_unit × conversion_ratio / (1 − loss_rate)``, VND per finished unit.

    Examples
    --------
    Fresh robusta cherry bought at an illustrative 22 000 đ/kg, about 5 kg per kg of green
    bean (the commonly reported ratio; an assumption) and 2 % sorting loss:

    >>> round(raw_material_cost_per_unit(22_000, conversion_ratio=5, loss_rate=0.02))
    112245
    """
    raw_price_per_unit = check_nonnegative("raw_price_per_unit", raw_price_per_unit)
    return raw_price_per_unit * _yield_factor(conversion_ratio, loss_rate)


def processed_unit_cost(
    raw_price_per_unit: float,
    conversion_ratio: float,
    loss_rate: float = 0.0,
    processing_cost_per_unit: float = 0.0,
) -> float:
    """Variable cost of one finished unit: its raw material plus the processing.

    Parameters
    ----------
    raw_price_per_unit, conversion_ratio, loss_rate
        As in `raw_material_cost_per_unit`.
    processing_cost_per_unit
        VND per finished unit for processing (zero or more): labour, fuel, packing.

    Returns
    -------
    float
        Raw material cost per finished unit plus ``processing_cost_per_unit``.

    Warnings
    --------
    The conversion ratio is an assumption that varies with variety, ripeness, moisture and
    method. The figures below are commonly reported ones or illustrative; replace them with
    the cooperative's own measurements.

    Examples
    --------
    **Green coffee from fresh robusta cherry.** About 5 kg of cherry per kg of green bean is
    the commonly reported ratio for dry-processed robusta. Cherry at 22 000 đ/kg, 2 % sorting
    loss and 6 000 đ/kg for drying and hulling:

    >>> round(processed_unit_cost(22_000, conversion_ratio=5, loss_rate=0.02, processing_cost_per_unit=6_000))
    118245

    **Roasted coffee from green bean.** Roasting loses about 16–20 % of the weight, so about
    1.2 kg of green bean make 1 kg of roasted coffee. Green bean at 110 000 đ/kg and
    25 000 đ/kg for roasting and packing:

    >>> round(processed_unit_cost(110_000, conversion_ratio=1.2, processing_cost_per_unit=25_000))
    157000

    The same with the roast loss as a loss rate (ratio 1, 18 % loss) gives nearly the same:

    >>> round(processed_unit_cost(110_000, conversion_ratio=1, loss_rate=0.18, processing_cost_per_unit=25_000))
    159146

    **Pickled cassava.** Peeling and trimming leave an illustrative 1.4 kg of fresh root per
    kg of pickle; roots at 4 000 đ/kg, 5 % of jars rejected, 9 000 đ/kg for brine, jars and
    labour:

    >>> round(processed_unit_cost(4_000, conversion_ratio=1.4, loss_rate=0.05, processing_cost_per_unit=9_000))
    14895
    """
    processing_cost_per_unit = check_nonnegative("processing_cost_per_unit", processing_cost_per_unit)
    return raw_material_cost_per_unit(raw_price_per_unit, conversion_ratio, loss_rate) + processing_cost_per_unit


def straight_line_depreciation(
    purchase_price: float, salvage_value: float = 0.0, useful_life_years: float = 10.0
) -> float:
    """Yearly depreciation of a machine or building, the same amount every year.

    Spreadsheet equivalent: ``SLN(cost, salvage, life)``.

    Parameters
    ----------
    purchase_price
        VND paid (zero or more).
    salvage_value
        VND the cooperative expects to sell it for at the end (zero up to the purchase price).
    useful_life_years
        Years it will be used (more than zero; a fraction of a year is allowed).

    Returns
    -------
    float
        ``(purchase_price − salvage_value) / useful_life_years``, VND per year: a fixed cost.

    Examples
    --------
    A coffee dryer costs 450 million đồng, lasts 10 years and can then be sold for
    50 million. How much of it is a cost of each year?

    >>> straight_line_depreciation(450_000_000, salvage_value=50_000_000, useful_life_years=10)
    40000000.0
    """
    purchase_price = check_nonnegative("purchase_price", purchase_price)
    salvage_value = check_nonnegative("salvage_value", salvage_value)
    useful_life_years = check_positive("useful_life_years", useful_life_years)
    if salvage_value > purchase_price:
        raise InputError(
            "salvage_value", reason="above_purchase_price", value=salvage_value, purchase_price=purchase_price
        )
    return (purchase_price - salvage_value) / useful_life_years
