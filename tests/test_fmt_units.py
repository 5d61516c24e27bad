"""Money, numbers and percentages through Babel; units a manager thinks in."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit import fmt, units
from coopkit.errors import InputError
from coopkit.validate import parse_number


def test_money_in_each_locale():
    assert fmt.money(1_250_000, "vi") == "1.250.000\xa0₫"
    assert fmt.money(1_250_000, "en") == "₫1,250,000"
    assert fmt.money(-500, "vi") == "-500\xa0₫"
    assert fmt.money(math.nan, "vi") == "—"


def test_percent_and_number():
    assert fmt.percent(0.2, "vi") == "20%"
    assert fmt.percent(0.125, "en") == "12.5%"
    assert fmt.number(1234.5, "vi", decimals=1) == "1.234,5"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1.250.000", "vi", 1_250_000),
        ("1.250.000 ₫", "vi", 1_250_000),
        ("1.250.000đ", "vi", 1_250_000),
        ("1,250,000", "en", 1_250_000),
        ("₫1,250,000", "en", 1_250_000),
        ("12,5", "vi", 12.5),
        ("  40 ", "vi", 40),
        ("-3", "en", -3),
    ],
)
def test_parse_number(text, lang, expected):
    assert parse_number(text, lang) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), ("   ", "empty"), ("abc", "not_a_number"), ("1.2.3,4,5", "not_a_number")])
def test_parse_number_rejects_with_a_reason(text, reason):
    with pytest.raises(InputError) as info:
        parse_number(text, "vi", field="volume")
    assert info.value.reason == reason and info.value.field == "volume"


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["vi", "en"]))
def test_money_shown_in_a_box_reads_back(amount, lang):
    shown = fmt.number(amount, lang)
    assert parse_number(shown, lang) == amount


def test_the_old_fmt_parse_number_still_reads_with_a_warning():
    """parse_number moved to validate (it raises InputError; fmt sits below errors)."""
    with pytest.warns(DeprecationWarning, match="coopkit.validate.parse_number"):
        old = fmt.parse_number
    assert old is parse_number and old("1.250.000", "vi") == 1_250_000
    assert "parse_number" not in fmt.__all__
    with pytest.raises(AttributeError):
        fmt.no_such_name  # noqa: B018


def test_area_units():
    assert units.area_to_ha(10, "sao_bac_bo") == pytest.approx(0.36)
    assert units.area_to_ha(2, "sao_trung_bo") == pytest.approx(0.1)
    assert units.area_to_ha(1, "cong") == pytest.approx(0.1)
    assert units.area_to_ha(5_000, "m2") == pytest.approx(0.5)


def test_weight_units():
    assert units.weight_to_kg(3, "yen") == 30
    assert units.weight_to_kg(2, "ta") == 200
    assert units.weight_to_kg(40, "tan") == 40_000


def test_unknown_unit_is_bad_input():
    with pytest.raises(InputError) as info:
        units.area_to_ha(1, "mau")
    assert info.value.field == "area_unit" and "mau" in info.value.message("en")


@pytest.mark.parametrize(("convert", "field"), [
    (lambda v: units.area_to_ha(v, "cong"), "area"),
    (lambda v: units.ha_to_area(v, "sao_bac_bo"), "area"),
    (lambda v: units.weight_to_kg(v, "ta"), "weight"),
    (lambda v: units.kg_to_weight(v, "tan"), "weight"),
])
def test_a_negative_area_or_weight_is_bad_input_not_a_negative_quantity(convert, field):
    # Before: area_to_ha(-3, "cong") returned -0.3 ha.
    with pytest.raises(InputError) as info:
        convert(-3)
    assert (info.value.field, info.value.reason) == (field, "negative")
    assert "-3" in info.value.message("en") or "−3" in info.value.message("en")


def test_units_declares_its_fields_like_the_other_domain_modules():
    """Regression: units imported InputError inside a function and left its fields to the central table."""
    from coopkit import fields

    for name, kind in {"area": "number", "area_unit": "text", "weight": "number", "weight_unit": "text"}.items():
        assert fields.kind(name) == kind
    with pytest.raises(InputError) as info:
        units.weight_to_kg(2, "bao")
    for lang, unit_box in (("vi", "Đơn vị khối lượng"), ("en", "Unit of weight")):
        assert info.value.message(lang).startswith(unit_box), info.value.message(lang)


@pytest.mark.parametrize("unit", [None, ["ha"], 1, {"cong": 1}])
def test_a_unit_that_is_not_a_name_is_bad_input(unit):
    with pytest.raises(InputError) as info:
        units.area_to_ha(1, unit)
    assert info.value.field == "area_unit"
    with pytest.raises(InputError) as info:
        units.kg_to_weight(1, unit)
    assert info.value.field == "weight_unit"


def test_zero_area_and_weight_are_allowed():
    assert units.area_to_ha(0, "cong") == 0 and units.weight_to_kg(0, "tan") == 0


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False), st.sampled_from(sorted(units.AREA_UNITS_M2)))
def test_area_round_trip(value, unit):
    assert units.ha_to_area(units.area_to_ha(value, unit), unit) == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.sampled_from(sorted(units.WEIGHT_UNITS_KG)))
def test_weight_round_trip(value, unit):
    assert units.kg_to_weight(units.weight_to_kg(value, unit), unit) == pytest.approx(value, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("amount", [1e30, 1e308, -1e200])
def test_a_huge_number_is_formatted_not_an_error(amount):
    # Before: Babel's 28-digit decimal context failed (decimal.InvalidOperation) from 10³⁰ up, so a
    # message about a huge amount typed by mistake could not even be shown.
    digits = lambda text: sum(c.isdigit() for c in text)  # noqa: E731
    for lang in ("vi", "en"):
        assert digits(fmt.money(amount, lang)) > 30
        assert digits(fmt.number(amount, lang, decimals=2)) > 30
        assert fmt.percent(amount, lang).endswith("%")
    err = InputError("fixed_costs", reason="negative", value=-1e200)
    assert digits(err.message("vi")) >= 200 and digits(err.message("en")) >= 200
