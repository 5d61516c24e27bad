"""Old call forms that keep working for one release, with a DeprecationWarning.

When a function's arguments change order, a positional call in the old order would give a
wrong answer without a word. Such a function takes its arguments by name only, in the new
order, and `old_positional_order` keeps the old positional calls working until coopkit 0.3:
it maps them by the old order and warns that they should be passed by name.

When a function takes a different argument first (a sales channel before the numbers it
prices), `old_first_argument` tells the old calls from the new ones by the type of their first
argument and maps the old ones the same way.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import warnings
from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = ["REMOVED_IN", "is_amount", "old_first_argument", "old_positional_order"]

#: The release in which the deprecated call forms and top-level names stop working.
REMOVED_IN = "0.3"

F = TypeVar("F", bound=Callable[..., object])


def old_positional_order(*old_order: str) -> Callable[[F], F]:
    """Let a function whose arguments changed order accept positional calls in the old order, with a warning.

    The function takes the moved arguments by name only (after ``*``), in the new order. Its
    leading positional parameters, if any, must be the first names of ``old_order``: a call
    that passes no more than them is a call of today and does not warn.

    Parameters
    ----------
    *old_order
        The parameter names in the order the function took them positionally before.

    Returns
    -------
    callable
        A decorator. The decorated function keeps its signature, docstring and module
        (``inspect.signature`` shows the keyword-only form); a call with more positional
        arguments than the function takes maps them by ``old_order``, emits a
        `DeprecationWarning` that names the keywords to use, and calls the function with them.

    Examples
    --------
    >>> import warnings
    >>> @old_positional_order("volume", "price_per_unit")
    ... def revenue(*, price_per_unit, volume):
    ...     return price_per_unit * volume
    >>> revenue(price_per_unit=3, volume=10)
    30
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     revenue(10, 3)
    30
    >>> print(caught[0].message)
    revenue(): positional arguments are deprecated and stop working in coopkit 0.3; pass them by name: revenue(volume=..., price_per_unit=...)
    """

    def decorate(function: F) -> F:
        name = function.__name__
        parameters = inspect.signature(function).parameters.values()
        positional = [p.name for p in parameters
                      if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        if tuple(positional) != old_order[:len(positional)]:
            raise TypeError(f"{name}: the positional parameters {positional} must start the old order {old_order}")
        kept = len(positional)

        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            if len(args) > kept:
                if len(args) > len(old_order):
                    raise TypeError(f"{name}() takes at most {len(old_order)} positional arguments "
                                    f"({len(args)} given)")
                named = dict(zip(old_order[kept:], args[kept:]))
                twice = sorted(named.keys() & kwargs.keys())
                if twice:
                    raise TypeError(f"{name}() got multiple values for argument {twice[0]!r}")
                keywords = ", ".join(f"{key}=..." for key in named)
                warnings.warn(
                    f"{name}(): positional arguments are deprecated and stop working in coopkit "
                    f"{REMOVED_IN}; pass them by name: {name}({keywords})",
                    DeprecationWarning,
                    stacklevel=2,
                )
                args, kwargs = args[:kept], {**named, **kwargs}
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def is_amount(value: object) -> bool:
    """Whether ``value`` is a number or a mapping of numbers (``{channel_key: price}``): what an old
    call passed first where the new one passes a channel.

    >>> is_amount(35_000), is_amount({"cho": 18_000}), is_amount("cho"), is_amount(True)
    (True, True, False, False)
    """
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)) or isinstance(value, Mapping)


def old_first_argument(*old_order: str, is_old: Callable[[object], bool] = is_amount) -> Callable[[F], F]:
    """Let a function that now takes another argument first accept calls in the old order, with a warning.

    The function takes one argument positionally (a channel) and the rest by name only. An old
    call passed a number first (``channel_result(35_000, online, 15_000)``), a new one passes
    the channel (``channel_result(online, list_price=35_000, cost_per_unit=15_000)``): a call
    whose first positional argument passes ``is_old`` is mapped by ``old_order``, names and all
    (``channel_result(35_000, channel=online)`` too). No call of the new form passes ``is_old``,
    so no new call is mistaken for an old one.

    Parameters
    ----------
    *old_order
        The parameter names in the order the function took them positionally before.
    is_old
        Whether a first positional argument belongs to the old order (default: a number or a
        mapping of numbers, `is_amount`).

    Returns
    -------
    callable
        A decorator. The decorated function keeps its signature, docstring and module; an old call
        emits a `DeprecationWarning` that shows the new call and is made by name.

    Examples
    --------
    A cooperative's price list took the price first, and now takes the product first:

    >>> import warnings
    >>> @old_first_argument("price_per_kg", "product")
    ... def label(product, *, price_per_kg):
    ...     return f"{product}: {price_per_kg:,} đ/kg"
    >>> label("cam", price_per_kg=35_000)
    'cam: 35,000 đ/kg'
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     label(35_000, "cam")
    'cam: 35,000 đ/kg'
    >>> print(caught[0].message)
    label(): this argument order is deprecated and stops working in coopkit 0.3; pass product first and the rest by name: label(product, price_per_kg=...)
    """

    def decorate(function: F) -> F:
        name = function.__name__
        parameters = inspect.signature(function).parameters
        positional = [p for p, v in parameters.items()
                      if v.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        if len(positional) != 1 or positional[0] not in old_order or not set(old_order) <= set(parameters):
            raise TypeError(f"{name}: one positional parameter, and the old order {old_order} among its parameters")
        first = positional[0]
        new_call = ", ".join([first, *(f"{key}=..." for key in parameters if key in old_order and key != first)])

        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            if args and is_old(args[0]):
                if len(args) > len(old_order):
                    raise TypeError(f"{name}() takes at most {len(old_order)} positional arguments "
                                    f"({len(args)} given)")
                named = dict(zip(old_order, args))
                twice = sorted(named.keys() & kwargs.keys())
                if twice:
                    raise TypeError(f"{name}() got multiple values for argument {twice[0]!r}")
                warnings.warn(
                    f"{name}(): this argument order is deprecated and stops working in coopkit {REMOVED_IN}; "
                    f"pass {first} first and the rest by name: {name}({new_call})",
                    DeprecationWarning,
                    stacklevel=2,
                )
                args, kwargs = (), {**named, **kwargs}
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
