"""`coopkit.roots.root_between` against ``scipy.optimize.brentq`` (the method it replaces to keep
``scipy.optimize`` out of a cold page's import time)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from coopkit.roots import peak_between, root_between

FUNCTIONS = {
    "sqrt2": (lambda x: x * x - 2.0, 0.0, 2.0),
    "cubic": (lambda x: x**3 - 2.0 * x - 5.0, 2.0, 3.0),  # Wallis's example, root 2.0945514815
    "cosine": (lambda x: math.cos(x) - x, 0.0, 1.0),
    "steep": (lambda x: math.exp(20.0 * x) - 1e6, 0.0, 2.0),
    "flat_then_steep": (lambda x: x**9 - 1e-3, 0.0, 1.5),
    "step_like": (lambda x: math.atan(1e6 * (x - 0.3)), 0.0, 1.0),
    "npv": (lambda r: -450e6 + sum(120e6 / (1 + r) ** t for t in range(1, 6)), 0.0, 1.0),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_same_root_as_scipy_brentq(name):
    f, a, b = FUNCTIONS[name]
    ours = root_between(f, a, b, xtol=1e-12, rtol=1e-12)
    theirs = brentq(f, a, b, xtol=1e-12, rtol=1e-12)
    assert ours == pytest.approx(theirs, abs=4e-12, rel=4e-12)
    assert a <= ours <= b


def test_wallis_cubic_root_is_the_textbook_value():
    f, a, b = FUNCTIONS["cubic"]
    assert root_between(f, a, b) == pytest.approx(2.0945514815423265, abs=1e-11)


@settings(max_examples=300, deadline=None)
@given(
    root=st.floats(-1e6, 1e6, allow_nan=False),
    slope=st.floats(1e-3, 1e3),
    curve=st.floats(0, 5),
    left=st.floats(1e-3, 1e5),
    right=st.floats(1e-3, 1e5),
)
def test_finds_the_root_of_any_monotone_function_in_its_bracket(root, slope, curve, left, right):
    def f(x):
        return slope * (x - root) + curve * (x - root) ** 3

    x = root_between(f, root - left, root + right, xtol=1e-9, rtol=1e-12)
    assert abs(x - root) <= 1e-9 + 1e-12 * abs(root) + 1e-9 * max(1.0, abs(root))
    assert x == pytest.approx(brentq(f, root - left, root + right, xtol=1e-9, rtol=1e-12), abs=2e-9, rel=1e-9)


def test_an_end_that_is_already_a_root_is_returned():
    assert root_between(lambda x: x - 1.0, 1.0, 5.0) == 1.0
    assert root_between(lambda x: x - 5.0, 1.0, 5.0) == 5.0


@pytest.mark.parametrize(
    "f, a, b",
    [
        (lambda x: x * x + 1.0, -1.0, 1.0),  # no sign change
        (lambda x: float("nan"), 0.0, 1.0),  # no number
    ],
)
def test_no_bracket_is_refused(f, a, b):
    with pytest.raises(ValueError):
        root_between(f, a, b)


def test_goal_seek_irr_and_best_price_do_not_import_scipy():
    """What the module is for: a workbook page that seeks a goal, an IRR or the best price on a
    straight demand line does not pay for scipy (workbooks 04 and 09)."""
    code = (
        "import sys\n"
        "from coopkit import demand, investment, pricing, whatif\n"
        "curve = demand.fit_demand([30_000, 35_000, 40_000], [1_200, 900, 650])\n"
        "best = demand.best_price(curve, pricing.Channel('cho', 'Chợ', 'Market'), variable_cost_per_unit=15_000)\n"
        "assert round(best.price, -2) == 33300.0, best\n"
        "eggs = {'fixed_costs': 610e6, 'price_per_unit': 2_800, 'variable_cost_per_unit': 2_067, 'volume': 1_095_000}\n"
        "price = whatif.goal_seek('break_even', eggs, vary='price_per_unit', output='profit', target=300e6)\n"
        "rate = investment.irr(450e6, [120e6] * 5)\n"
        "assert round(price) == 2898, price\n"
        "assert round(rate, 4) == 0.1042, rate\n"
        "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


PEAKS = {
    "parabola": (lambda p: (p - 15) * (1_000 - 20 * p), 15.0, 50.0),
    "elastic_demand": (lambda p: (p - 15_000) * 5e9 * p**-1.8, 15_000.0, 200_000.0),
    "capped": (lambda p: (p - 10.0) * min(800.0, 2_000.0 - 25.0 * p), 10.0, 80.0),
    "cosine": (lambda x: math.cos(x), -1.0, 2.0),
}


@pytest.mark.parametrize("name", sorted(PEAKS))
def test_same_peak_as_scipy_bounded_minimize_scalar(name):
    from scipy.optimize import minimize_scalar

    f, a, b = PEAKS[name]
    ours = peak_between(f, a, b, xtol=(b - a) * 1e-10)
    theirs = minimize_scalar(lambda x: -f(x), bounds=(a, b), method="bounded", options={"xatol": (b - a) * 1e-10}).x
    assert a <= ours <= b
    assert f(ours) >= f(theirs) - 1e-9 * max(1.0, abs(f(theirs)))
    assert ours == pytest.approx(theirs, abs=(b - a) * 1e-6)


@settings(max_examples=200, deadline=None)
@given(top=st.floats(-1e5, 1e5), left=st.floats(1e-2, 1e4), right=st.floats(1e-2, 1e4), width=st.floats(1e-2, 1e3))
def test_finds_the_top_of_any_one_peak_function(top, left, right, width):
    x = peak_between(lambda x: -((x - top) / width) ** 2, top - left, top + right, xtol=1e-9 * (left + right))
    assert abs(x - top) <= 2e-9 * (left + right) + 1e-12 * abs(top)


@pytest.mark.parametrize("low, high, xtol", [(1.0, 1.0, 1e-6), (2.0, 1.0, 1e-6), (0.0, 1.0, 0.0)])
def test_a_peak_needs_a_real_bracket(low, high, xtol):
    with pytest.raises(ValueError):
        peak_between(lambda x: -x * x, low, high, xtol=xtol)
