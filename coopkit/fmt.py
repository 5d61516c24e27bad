"""Numbers, money and percentages for the screen, formatted by the locale with Babel.

Never format by hand: ``money(1_250_000, "vi")`` is ``'1.250.000 ₫'`` (with a no-break space),
``money(1_250_000, "en")`` is ``'₫1,250,000'``. VND has no minor unit, so money is rounded to
whole đồng.
"""

from __future__ import annotations

import datetime
import decimal
import math

from coopkit.i18n import LOCALES, normalize_language

#: Digits Babel may work with: enough for any float (10³⁰⁸), so a huge amount typed by mistake is
#: shown in its message instead of failing to format (decimal's default is 28 digits: 10³⁰ failed).
_DIGITS = 400


def _digits() -> decimal.Context:
    """A decimal context wide enough for any float (used around every Babel call)."""
    return decimal.localcontext(prec=_DIGITS)

__all__ = ["money", "number", "percent", "by_kind", "locale_of", "month_name", "calendar_date"]


def locale_of(lang: str | None) -> str:
    """Babel locale for a language code (``"vi"`` → ``"vi_VN"``).

    Examples
    --------
    The 1 250 000 đồng a member paid in, written with the page's separators by Babel:

    >>> from babel.numbers import format_decimal
    >>> locale_of("vi"), locale_of("EN")
    ('vi_VN', 'en_US')
    >>> format_decimal(1_250_000.5, locale=locale_of("vi")), format_decimal(1_250_000.5, locale=locale_of("en"))
    ('1.250.000,5', '1,250,000.5')
    """
    return LOCALES[normalize_language(lang)]


def money(amount: float, lang: str | None = None) -> str:
    """An amount of VND as the locale writes it.

    >>> money(1_250_000, "vi") == "1.250.000\\xa0₫"
    True
    >>> money(1_250_000, "en")
    '₫1,250,000'
    >>> money(1850.4, "en")
    '₫1,850'
    >>> money(1e30, "en")[:12]
    '₫1,000,000,0'
    """
    from babel.numbers import format_currency

    if amount is None or not math.isfinite(amount):
        return "—"
    with _digits():
        return format_currency(round(amount), "VND", locale=locale_of(lang))


def number(value: float, lang: str | None = None, decimals: int = 0) -> str:
    """A number with the locale's grouping, with up to ``decimals`` decimals.

    >>> number(3000.5, "vi", decimals=1), number(3000.5, "en", decimals=1)
    ('3.000,5', '3,000.5')
    >>> number(12_345, "vi")
    '12.345'
    """
    from babel.numbers import format_decimal

    if value is None or not math.isfinite(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    with _digits():
        return format_decimal(value, format=pattern, locale=locale_of(lang))


def percent(fraction: float, lang: str | None = None, decimals: int = 1) -> str:
    """A fraction shown as a percentage.

    >>> percent(0.125, "vi"), percent(0.125, "en"), percent(0.2, "en")
    ('12,5%', '12.5%', '20%')
    """
    from babel.numbers import format_percent

    if fraction is None or not math.isfinite(fraction):
        return "—"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "") + "%"
    with _digits():
        return format_percent(fraction, format=pattern, locale=locale_of(lang))


def month_name(month: int, lang: str | None = None, *, short: bool = False, in_sentence: bool = False) -> str:
    """The name of calendar month ``month`` (1–12) in ``lang``, from Babel's locale data.

    ``short`` gives the abbreviation (chart axes); ``in_sentence`` the form used inside a
    sentence (Vietnamese writes "vào tháng 11" but a heading "Tháng 11").

    >>> month_name(11, "vi"), month_name(11, "en"), month_name(11, "en", short=True)
    ('Tháng 11', 'November', 'Nov')
    >>> month_name(2, "vi", short=True), month_name(2, "vi", in_sentence=True)
    ('thg 2', 'tháng 2')
    """
    from babel.dates import get_month_names

    width = "abbreviated" if short else "wide"
    context = "format" if short or in_sentence else "stand-alone"
    return str(get_month_names(width, context, locale=locale_of(lang))[int(month)])


#: How each language writes a day in a sentence (Babel patterns; month names come from Babel).
_DATE_PATTERNS = {"vi": "dd/MM/y", "en": "d MMMM y"}


def calendar_date(day: datetime.date, lang: str | None = None) -> str:
    """A calendar day as the language writes it in a sentence (``01/07/2025``, ``1 July 2025``).

    >>> from datetime import date
    >>> calendar_date(date(2025, 7, 1), "vi"), calendar_date(date(2025, 7, 1), "en")
    ('01/07/2025', '1 July 2025')
    """
    from babel.dates import format_date

    lang = normalize_language(lang)
    return format_date(day, _DATE_PATTERNS[lang], locale=locale_of(lang))


def by_kind(value: float, kind: str, lang: str | None = None) -> str:
    """A number shown as ``kind``: ``money``, ``rate`` (a fraction shown as %), ``count``
    (whole) or anything else (up to two decimals below 100, none above).

    >>> by_kind(0.25, "rate", "vi"), by_kind(5.8, "number", "vi"), by_kind(32_000, "number", "en")
    ('25%', '5,8', '32,000')
    """
    if kind == "money":
        return money(value, lang)
    if kind == "rate":
        return percent(value, lang)
    if kind == "count":
        return number(value, lang)
    return number(value, lang, decimals=2 if abs(value) < 100 else 0)


def __getattr__(name: str) -> object:
    """``fmt.parse_number`` moved to `coopkit.validate.parse_number` (reading what a manager typed
    raises `InputError`, which sits above this module); the old name works until coopkit 0.3."""
    if name == "parse_number":
        import warnings

        from coopkit._compat import REMOVED_IN

        warnings.warn(f"coopkit.fmt.parse_number is deprecated and removed in coopkit {REMOVED_IN}; "
                      "use coopkit.validate.parse_number", DeprecationWarning, stacklevel=2)
        from coopkit.validate import parse_number  # the deprecated name only (see tests/test_imports.py)

        return parse_number
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
