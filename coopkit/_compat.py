"""Old call forms that keep working for one release, with a DeprecationWarning.

When a function's arguments change order, a positional call in the old order would give a
wrong answer without a word. Such a function takes its arguments by name only, in the new
order, and `old_positional_order` keeps the old positional calls working until coopkit 0.3:
it maps them by the old order and warns that they should be passed by name.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import TypeVar

__all__ = ["REMOVED_IN", "old_positional_order"]

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
