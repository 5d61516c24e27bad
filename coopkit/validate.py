"""Checks shared by the domain functions, and the reading of a typed number; each raises
`InputError` naming the field."""

from __future__ import annotations

import math
import re
from numbers import Real

from coopkit import fmt
from coopkit.errors import InputError

__all__ = ["check_finite", "check_positive", "check_nonnegative", "check_fraction", "check_object", "parse_number"]


def check_finite(field: str, value: object) -> float:
    """``value`` as a float; bad input when it is not a number, infinite or NaN.

    >>> check_finite("volume", 12)
    12.0
    >>> check_finite("volume", float("nan"))
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Sản lượng bán: cần một số hữu hạn (bạn đã nhập nan).
    """
    kind = type(value)
    if kind is float or kind is int:  # the usual case, without the slower abstract-class check
        number = float(value)
    elif isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(field, reason="not_a_number", text=str(value))
    else:
        number = float(value)
    if not math.isfinite(number):
        raise InputError(field, reason="not_finite", value=number)
    return number


def check_positive(field: str, value: object) -> float:
    """A finite number greater than zero.

    A price of zero đồng is refused, naming the box the manager typed it in:

    >>> check_positive("price_per_unit", 28_000)
    28000.0
    >>> try:
    ...     check_positive("price_per_unit", 0)
    ... except InputError as err:
    ...     print(err.message("en"))
    Price per unit must be greater than zero (you entered ₫0).
    """
    number = check_finite(field, value)
    if number <= 0:
        raise InputError(field, reason="not_positive", value=number)
    return number


def check_nonnegative(field: str, value: object) -> float:
    """A finite number, zero or more.

    A cooperative with no fixed costs is possible; negative fixed costs are a typing mistake:

    >>> check_nonnegative("fixed_costs", 0)
    0.0
    >>> try:
    ...     check_nonnegative("fixed_costs", -5_000_000)
    ... except InputError as err:
    ...     print(err.message("en"))
    Fixed costs cannot be negative (you entered -₫5,000,000).
    """
    number = check_finite(field, value)
    if number < 0:
        raise InputError(field, reason="negative", value=number)
    return number


def check_fraction(field: str, value: object, *, allow_one: bool = False) -> float:
    """A rate from 0 up to (but not including, unless ``allow_one``) 1.

    Losing 5 % of the harvest is a rate; losing all of it leaves nothing to sell, and 120 % is
    a percentage typed where a fraction was meant:

    >>> check_fraction("loss_rate", 0.05)
    0.05
    >>> try:
    ...     check_fraction("loss_rate", 1.2)
    ... except InputError as err:
    ...     print(err.message("en"))
    Loss rate must be from 0% up to, but not including, 100% (you entered 120%).
    >>> check_fraction("grade_share", 1.0, allow_one=True)  # one grade may take the whole harvest
    1.0
    """
    number = check_finite(field, value)
    if number < 0 or number > 1 or (number == 1 and not allow_one):
        raise InputError(field, reason="not_a_fraction" if not allow_one else "not_a_fraction_incl", value=number)
    return number


def check_object(field: str, value: object, kind: type) -> object:
    """``value`` when it is a ``kind`` (a `Flock`, a schedule table…); bad input naming
    ``field`` otherwise, instead of an ``AttributeError`` deep inside a calculation.

    A loan of 500 million đồng passed as a bare number, where a `Loan` (amount, rate, term)
    is needed:

    >>> from coopkit.loans import Loan
    >>> try:
    ...     check_object("loan", 500_000_000, Loan)
    ... except InputError as err:
    ...     print(err.message("en"))
    loan: “500000000” cannot be used here (a Loan is needed).
    """
    if not isinstance(value, kind):
        raise InputError(field, reason="not_an_object", value=str(value)[:80], expected=kind.__name__)
    return value


_NOISE = re.compile(r"[\s\u00a0\u202f₫%]|(?i:vnd|đồng|đ)$")


def parse_number(text: str, lang: str | None = None, field: str = "value") -> float:
    """Read a number typed in the locale's way (``"1.250.000"`` in vi, ``"1,250,000"`` in en).

    A currency sign, ``đ``, ``VND``, a percent sign and spaces are ignored. Raises
    `InputError` naming ``field`` when the box is empty or holds no number. (It was
    ``coopkit.fmt.parse_number``, which still works until coopkit 0.3, with a warning.)

    >>> parse_number("1.250.000 ₫", "vi"), parse_number("1,250,000", "en")
    (1250000.0, 1250000.0)
    >>> parse_number("12,5", "vi"), parse_number("12.5", "en")
    (12.5, 12.5)
    >>> parse_number("", "vi", field="volume")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Sản lượng bán: ô này đang trống, hãy nhập một số.
    """
    from babel.numbers import NumberFormatError, parse_decimal

    raw = "" if text is None else str(text)
    cleaned = _NOISE.sub("", raw.strip())
    cleaned = re.sub(r"(?i)(vnd|đồng|đ)$", "", cleaned).strip()
    if not cleaned:
        raise InputError(field, reason="empty")
    try:
        value = float(parse_decimal(cleaned, locale=fmt.locale_of(lang), strict=True))
    except (NumberFormatError, ValueError):
        raise InputError(field, reason="not_a_number", text=raw.strip()) from None
    if not math.isfinite(value):
        raise InputError(field, reason="not_finite", value=value)
    return value
