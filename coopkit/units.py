"""Units a Vietnamese manager thinks in: area (ha, m², sào, công) and weight (kg, yến, tạ, tấn).

Domain functions work in hectares and kilograms; inputs convert from the unit the manager
chose. Sào and công differ by region: a sào Bắc Bộ is 360 m², a sào Trung Bộ 500 m², and a
công (used in the South) 1 000 m². An area or a weight is never negative: a negative one is
bad input (`InputError` naming ``area`` or ``weight``), not a negative number of hectares.
"""

from __future__ import annotations

from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.validate import check_nonnegative

__all__ = [
    "AREA_UNITS_M2",
    "WEIGHT_UNITS_KG",
    "area_to_ha",
    "ha_to_area",
    "weight_to_kg",
    "kg_to_weight",
]

register_fields({"area": "number", "area_unit": "text", "weight": "number", "weight_unit": "text"})

#: Square metres in one unit of area.
AREA_UNITS_M2: dict[str, float] = {
    "ha": 10_000.0,
    "m2": 1.0,
    "sao_bac_bo": 360.0,
    "sao_trung_bo": 500.0,
    "cong": 1_000.0,
}

#: Kilograms in one unit of weight.
WEIGHT_UNITS_KG: dict[str, float] = {"kg": 1.0, "yen": 10.0, "ta": 100.0, "tan": 1_000.0}


def _unit_size(field: str, unit: object, table: dict[str, float]) -> float:
    """The size of ``unit`` in ``table`` (`AREA_UNITS_M2` or `WEIGHT_UNITS_KG`); bad input
    naming ``field`` (``"area_unit"``, ``"weight_unit"``) when the table has no such unit.

    >>> _unit_size("weight_unit", "ta", WEIGHT_UNITS_KG)
    100.0
    >>> _unit_size("area_unit", "mau", AREA_UNITS_M2)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Đơn vị diện tích: không biết đơn vị “mau”.
    """
    if not isinstance(unit, str) or unit not in table:
        raise InputError(field, reason="unknown_unit", value=str(unit))
    return table[unit]


def area_to_ha(value: float, unit: str = "ha") -> float:
    """Hectares in ``value`` units of area.

    Ten sào Bắc Bộ are 0.36 ha:

    >>> round(area_to_ha(10, "sao_bac_bo"), 4)
    0.36
    >>> area_to_ha(5, "cong")
    0.5

    A negative area is bad input, not −0.3 ha:

    >>> from coopkit.errors import InputError
    >>> try:
    ...     area_to_ha(-3, "cong")
    ... except InputError as err:
    ...     print(err.field, err.reason)
    area negative
    """
    return check_nonnegative("area", value) * _unit_size("area_unit", unit, AREA_UNITS_M2) / AREA_UNITS_M2["ha"]


def ha_to_area(area_ha: float, unit: str = "ha") -> float:
    """``area_ha`` hectares expressed in ``unit``.

    >>> ha_to_area(1, "sao_trung_bo")
    20.0
    """
    return check_nonnegative("area", area_ha) * AREA_UNITS_M2["ha"] / _unit_size("area_unit", unit, AREA_UNITS_M2)


def weight_to_kg(value: float, unit: str = "kg") -> float:
    """Kilograms in ``value`` units of weight.

    Three tạ and forty tấn:

    >>> weight_to_kg(3, "ta"), weight_to_kg(40, "tan")
    (300.0, 40000.0)
    """
    return check_nonnegative("weight", value) * _unit_size("weight_unit", unit, WEIGHT_UNITS_KG)


def kg_to_weight(kg: float, unit: str = "kg") -> float:
    """``kg`` kilograms expressed in ``unit``.

    >>> kg_to_weight(2_500, "yen")
    250.0
    """
    return check_nonnegative("weight", kg) / _unit_size("weight_unit", unit, WEIGHT_UNITS_KG)
