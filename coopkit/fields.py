"""What each input is: its kind (money, rate, quantity…), so messages and apps format it right.

The label of field ``name`` is the catalogue text ``field.<name>``. Domain functions, data
loaders and apps name their inputs with these keys; a test checks that every field that an
`InputError` can name is listed here and labelled in both languages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from coopkit import fmt, i18n

__all__ = ["FIELD_KINDS", "LARGEST", "Shown", "kind", "label", "format_value", "as_typed", "register_fields"]

Kind = Literal["money", "rate", "number", "count", "text"]

#: The largest value a box of each kind accepts (apps may set a smaller one for a field, such as
#: 360 months for a loan). Far above anything a cooperative plans, far below what overflows the
#: arithmetic: money 1 000 billion đồng (10¹²), a rate 100 %, a count a billion, a weight a million
#: tonnes (in kg), an area a million hectares; a plain number as much as money (a box whose meaning
#: changes, such as a goal-seek target, may hold an amount of đồng).
LARGEST: dict[str, float] = {
    "money": 1e12,
    "rate": 1.0,
    "number": 1e12,
    "count": 1e9,
    "weight": 1e9,
    "area": 1e6,
}

FIELD_KINDS: dict[str, Kind] = {
    # costs
    "fixed_costs": "money",
    "variable_cost_per_unit": "money",
    "cost_per_unit": "money",
    "amount": "money",
    "cost_items": "text",
    "cost_item": "text",
    "cost_kind": "text",
    "cost_basis": "text",
    "volume": "number",
    "output_units": "number",
    "units_per_batch": "number",
    "area_ha": "number",
    "conversion_ratio": "number",
    "loss_rate": "rate",
    "raw_price_per_unit": "money",
    "processing_cost_per_unit": "money",
    "purchase_price": "money",
    "salvage_value": "money",
    "useful_life_years": "number",
    # break-even
    "price_per_unit": "money",
    "points": "count",
    "max_volume": "number",
    # pricing
    "markup": "rate",
    "margin": "rate",
    "target_margin": "rate",
    "list_price": "money",
    "channel": "text",
    "channels": "text",
    "commission_rate": "rate",
    "payment_fee_rate": "rate",
    "fixed_fee_per_order": "money",
    "packaging_per_order": "money",
    "shipping_per_order": "money",
    "units_per_order": "count",
    "vat_rate": "rate",
    "vat_share": "rate",
    "fees_share": "rate",
    "max_margin": "rate",
    # what-if outputs and tools
    "unit_cost": "money",
    "total_costs": "money",
    "profit": "money",
    "revenue": "money",
    "contribution_margin": "money",
    "break_even_volume": "number",
    "break_even_price": "money",
    "margin_of_safety": "rate",
    "net_per_unit": "money",
    "net_per_order": "money",
    "profit_per_unit": "money",
    "model": "text",
    "vary": "text",
    "output": "text",
    "target": "number",
    "change": "rate",
    "scenario": "text",
    "scenarios": "text",
    "note": "text",
    "saved_at": "text",
    # demand response (coopkit.demand)
    "demand_prices": "money",
    "demand_quantities": "number",
    "demand_model": "text",
    "elasticity": "number",
    "r_squared": "number",
    "capacity": "number",
    "best_price": "money",
    "price_low": "money",
    "price_high": "money",
    "quantity_sold": "number",
    "net_revenue": "money",
    # scenario store and files (coopkit.store, coopkit.exchange)
    "owner": "text",
    "folder": "text",
    "sheet": "text",
    "cell": "text",
    # products and data files
    "product": "text",
    "file": "text",
    "row": "count",
    "column": "text",
    "text": "text",
    "expected": "text",
    "language": "text",
}


def register_fields(kinds: dict[str, Kind]) -> None:
    """Add the fields of a domain module (``{name: kind}``), called when that module is imported.

    Each field needs a label ``field.<name>`` in both languages (a test checks every field).
    A name already registered with another kind is a programming error.

    Examples
    --------
    The list price of a kilo of oranges is money wherever it is registered; registering it again
    as money changes nothing, as a rate is refused:

    >>> register_fields({"list_price": "money"})
    >>> kind("list_price")
    'money'
    >>> register_fields({"list_price": "rate"})
    Traceback (most recent call last):
    ValueError: field 'list_price' is already a 'money', not a 'rate'
    """
    for name, new_kind in kinds.items():
        if FIELD_KINDS.get(name, new_kind) != new_kind:
            raise ValueError(f"field {name!r} is already a {FIELD_KINDS[name]!r}, not a {new_kind!r}")
        FIELD_KINDS[name] = new_kind


@dataclass(frozen=True)
class Shown:
    """A message parameter shown as another field: ``Shown(2_898.5, "price_per_unit")`` is
    formatted as money, ``Shown("profit", "output_label")`` as the label of ``profit``;
    ``unit`` (a catalogue key) follows the number: ``Shown(1e6, "volume", unit="unit.tan")``.

    Examples
    --------
    A message about the egg price's break-even (2 898 đ an egg) shows it as money, whatever
    field the message names; the goal a manager sought is shown by its label:

    >>> format_value("target", Shown(2_898.0, "price_per_unit"), "en")
    '₫2,898'
    >>> format_value("output", Shown("profit", "output_label"), "vi")
    'Lợi nhuận'
    """

    value: object
    field: str
    unit: str | None = None


def kind(name: str) -> Kind:
    """The kind of field ``name`` (``"text"`` for names not listed).

    >>> kind("list_price"), kind("commission_rate"), kind("units_per_order"), kind("ten_hop_tac_xa")
    ('money', 'rate', 'count', 'text')
    """
    return FIELD_KINDS.get(name, "text")


def label(name: str, lang: str | None = None) -> str:
    """The field's label in ``lang``; the bare name when it has none.

    >>> label("list_price", "vi"), label("list_price", "en"), label("ten_hop_tac_xa", "en")
    ('Giá niêm yết', 'List price', 'ten_hop_tac_xa')
    """
    key = f"field.{name}"
    return i18n.tr(key, lang) if i18n.has(key, "vi") or i18n.has(key, "en") else name


def format_value(name: str, value: object, lang: str | None = None) -> str:
    """``value`` of field ``name`` formatted for the screen in ``lang``.

    >>> format_value("fixed_costs", 1_250_000, "en"), format_value("loss_rate", 0.05, "vi")
    ('₫1,250,000', '5%')
    """
    if isinstance(value, Shown):
        if value.field == "output_label":
            return label(str(value.value), lang)
        shown = format_value(value.field, value.value, lang)
        return f"{shown} {i18n.tr(value.unit, lang)}" if value.unit else shown
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return str(value)  # "nan", "inf": say what was entered
    if kind(name) == "count":
        return as_typed(value, lang)
    return fmt.by_kind(value, kind(name), lang)


def as_typed(value: float, lang: str | None = None) -> str:
    """A number as the manager typed it, in the language's way: whole numbers without decimals,
    others with all their decimals (a count of 2.5 is shown ``2,5``, not rounded to ``2``).

    >>> as_typed(2.5, "vi"), as_typed(2.5, "en"), as_typed(1_200, "vi"), as_typed(3.0, "en")
    ('2,5', '2.5', '1.200', '3')
    """
    return fmt.number(value, lang, decimals=0 if float(value).is_integer() else _TYPED_DECIMALS)


#: Decimals kept when a number is shown as typed (enough for anything typed in a box).
_TYPED_DECIMALS = 9
