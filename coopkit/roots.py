"""One root of a function between two numbers where it changes sign (Brent's method), and the
peak of a function with one peak between two numbers (golden-section search).

Goal seek (`coopkit.whatif.goal_seek`) and the internal rate of return (`coopkit.investment.irr`)
each look for the number at which a money amount crosses zero, inside a bracket they already
know. ``scipy.optimize.brentq`` does exactly that, but importing ``scipy.optimize`` costs about
0.3 s of CPU, a third of what a cold workbook page spends in its kernel; this module is Brent's
(1973) ``zeroin``, the same method in pure Python, and ``tests/test_roots.py`` checks it
against ``scipy.optimize.brentq`` on many functions. The best price (`coopkit.demand.best_price`)
refines a peak found on a grid the same way, with the golden-section search, checked against
``scipy.optimize.minimize_scalar``. SciPy stays for what it alone does well
(fitting curves, linear programmes, distributions).

>>> round(root_between(lambda x: x * x - 2.0, 0.0, 2.0), 9)
1.414213562
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["peak_between", "root_between"]

#: Twice the spacing of floats near 1 (what ``scipy.optimize.brentq`` uses as its least ``rtol``).
_EPS = 2.0 * 2.220446049250313e-16


def root_between(
    function: Callable[[float], float],
    low: float,
    high: float,
    *,
    xtol: float = 2e-12,
    rtol: float = 4 * 2.220446049250313e-16,
    max_steps: int = 200,
) -> float:
    """A number ``x`` between ``low`` and ``high`` where ``function(x)`` is zero.

    ``function(low)`` and ``function(high)`` must have opposite signs (or one of them be zero).
    The answer is within ``xtol + rtol × |x|`` of a true root, as with ``scipy.optimize.brentq``.

    Parameters
    ----------
    function
        A continuous function of one number returning a number.
    low, high
        The bracket.
    xtol, rtol
        Absolute and relative tolerance on the root.
    max_steps
        Steps allowed before giving up (Brent's method needs far fewer).

    Raises
    ------
    ValueError
        The function has the same sign at both ends, or the steps ran out. Callers that face a
        manager turn this into an `coopkit.errors.InputError` with their own words.

    Examples
    --------
    At what price per egg does a flock of 1 095 000 eggs a year with 610 million đồng of fixed
    costs and 2 067 đồng of feed and care per egg make 300 million?

    >>> price = root_between(lambda p: (p - 2_067) * 1_095_000 - 610e6 - 300e6, 2_067, 10_000)
    >>> round(price, 2)
    2898.05
    """
    a, b = float(low), float(high)
    fa, fb = float(function(a)), float(function(b))
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    if math.isnan(fa) or math.isnan(fb) or (fa > 0) == (fb > 0):
        raise ValueError("the function must have opposite signs at low and high")
    rtol = max(rtol, _EPS / 2.0)
    c, fc = a, fa
    d = e = b - a
    for _ in range(max_steps):
        if (fb > 0) == (fc > 0):  # keep the root between b and c
            c, fc = a, fa
            d = e = b - a
        if abs(fc) < abs(fb):  # b is the best guess so far
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 0.5 * (xtol + rtol * abs(b))
        half = 0.5 * (c - b)
        if abs(half) <= tol or fb == 0.0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:  # secant step
                p, q = 2.0 * half * s, 1.0 - s
            else:  # inverse quadratic interpolation
                q, r = fa / fc, fb / fc
                p = s * (2.0 * half * q * (q - r) - (b - a) * (r - 1.0))
                q = (q - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if 2.0 * p < min(3.0 * half * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q  # interpolation accepted
            else:
                d = e = half  # bisection
        else:
            d = e = half
        a, fa = b, fb
        b += d if abs(d) > tol else math.copysign(tol, half)
        fb = float(function(b))
        if math.isnan(fb):
            raise ValueError("the function gave no number inside the bracket")
    raise ValueError(f"no root found in {max_steps} steps")


_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0  # 0.618…


def peak_between(function: Callable[[float], float], low: float, high: float, *, xtol: float) -> float:
    """The number between ``low`` and ``high`` where ``function`` is highest, for a function with
    one peak there (golden-section search; within ``xtol`` of the peak).

    Raises
    ------
    ValueError
        ``low`` is not below ``high``, ``xtol`` is not more than zero, or the function gave no number.

    Examples
    --------
    A market stall sells ``1 000 − 20·p`` kg a day at ``p`` thousand đồng a kilo, and each kilo
    costs it 15 thousand: the best price is half-way between the cost and the price at which
    nobody buys (50), 32.5 thousand đồng.

    >>> round(peak_between(lambda p: (p - 15) * (1_000 - 20 * p), 15, 50, xtol=1e-9), 6)
    32.5
    """
    a, b = float(low), float(high)
    if not (a < b) or not (xtol > 0):
        raise ValueError("need low < high and xtol > 0")
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    fc, fd = float(function(c)), float(function(d))
    while b - a > xtol:
        if math.isnan(fc) or math.isnan(fd):
            raise ValueError("the function gave no number inside the bracket")
        if fc >= fd:  # the peak is in [a, d]
            b, d, fd = d, c, fc
            c = b - _GOLDEN * (b - a)
            fc = float(function(c))
        else:  # the peak is in [c, b]
            a, c, fc = c, d, fd
            d = a + _GOLDEN * (b - a)
            fd = float(function(d))
    return c if fc >= fd else d
