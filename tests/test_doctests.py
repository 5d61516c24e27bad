"""The sweeps check themselves: every public function has an example the doctest run collects,
and every test asserts something (issue 11 §4; model: QuantEcon's test_docstring_examples.py).

``pytest --doctest-modules`` runs the examples it finds and says nothing about those it does not
find: a function without an example, or a module the sweep does not reach, passes silently.
Here the modules come from the layer list (tests/test_layers.py: domain, data, fmt/i18n), the
public names from each module's ``__all__``, and `doctest.DocTestFinder` must find at least one
``>>>`` example for each, in its own docstring or (for a result type) in the example of the
function that returns it.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import re
import sys
import tomllib
import types
from pathlib import Path

import pytest
from test_layers import PACKAGE, layer_of, module_names

ROOT = PACKAGE.parent
SWEPT_LAYERS = {"domain", "data", "fmt/i18n"}

#: Public names with no example anywhere in their module, and why. Keep it short: a new public
#: function gets an example (STYLE.md §4), not a line here.
NO_EXAMPLE: dict[str, str] = {}


def swept_modules() -> list[str]:
    """The modules of the swept layers, without the package's re-exports and private modules."""
    return sorted(
        m for m in module_names(PACKAGE)
        if layer_of(m) in SWEPT_LAYERS and m != "coopkit" and not any(p.startswith("_") for p in m.split("."))
    )


def public_names(module) -> list[str]:
    """Functions and classes the module offers and defines: its ``__all__``, else every name
    without a leading underscore."""
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return [n for n in names
            if (inspect.isfunction(getattr(module, n)) or inspect.isclass(getattr(module, n)))
            and getattr(module, n).__module__ == module.__name__]


def has_own_example(module, name: str) -> bool:
    tests = doctest.DocTestFinder(recurse=False).find(getattr(module, name), name, module=module)
    return any(t.examples for t in tests)


def shown_in_module(module, name: str) -> list[str]:
    """Doctests of ``module`` that show ``name``: they call a function or method whose return
    annotation names it, or their source or expected output names it."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    shown = []
    for test in doctest.DocTestFinder().find(module, module.__name__):
        if not test.examples:
            continue
        obj = _object_of(module, test.name)
        annotation = str(inspect.signature(obj).return_annotation) if callable(obj) and not inspect.isclass(obj) else ""
        text = " ".join(e.source + e.want + (e.exc_msg or "") for e in test.examples)
        if word.search(annotation) or word.search(text):
            shown.append(test.name)
    return shown


def _object_of(module, dotted: str):
    obj = module
    for part in dotted.split(".")[len(module.__name__.split(".")):]:
        obj = getattr(obj, part, None)
    return obj


def missing_examples() -> dict[str, list[str]]:
    """{"coopkit.x.name": [doctests that show it instead]} for public names without their own."""
    missing = {}
    for module_name in swept_modules():
        module = importlib.import_module(module_name)
        for name in public_names(module):
            if not has_own_example(module, name):
                missing[f"{module_name}.{name}"] = shown_in_module(module, name)
    return missing


def test_the_doctest_sweep_runs_on_the_package():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "coopkit" in options["testpaths"]


def test_the_sweep_reaches_every_domain_module_and_finds_examples():
    modules = swept_modules()
    assert {"coopkit.breakeven", "coopkit.pricing", "coopkit.investment", "coopkit.data", "coopkit.fmt"} <= set(modules)
    for module_name in modules:
        module = importlib.import_module(module_name)
        examples = sum(len(t.examples) for t in doctest.DocTestFinder().find(module, module_name))
        assert examples > 0, f"{module_name}: the doctest sweep finds no example in it"


def test_every_public_function_has_an_example():
    missing = missing_examples()
    unexplained = sorted(name for name, shown_by in missing.items() if not shown_by and name not in NO_EXAMPLE)
    assert unexplained == [], "give these an Examples section (STYLE.md §4)"


def test_result_types_are_shown_by_the_function_that_returns_them():
    # e.g. BreakEven has no example of its own; break_even's example returns and prints one
    missing = missing_examples()
    assert "coopkit.breakeven.break_even" in missing["coopkit.breakeven.BreakEven"]
    assert "coopkit.risk.simulate_profit" in missing["coopkit.risk.ProfitSimulation"]


def test_no_example_list_has_no_stale_entry():
    missing = missing_examples()
    stale = sorted(name for name in NO_EXAMPLE if name not in missing or missing[name])
    assert stale == [], "these now have an example (or no longer exist): remove them from NO_EXAMPLE"


PLANTED = '''
"""A module as a helper might write it."""
from dataclasses import dataclass

__all__ = ["Result", "make", "lonely"]


@dataclass(frozen=True)
class Result:
    total: float


def make(price: float) -> Result:
    """Ten kilos at ``price``.

    >>> make(28_000)
    Result(total=280000)
    """
    return Result(10 * price)


def lonely(price: float) -> float:
    """Twice the price, with no example."""
    return 2 * price
'''


def test_a_function_without_an_example_is_caught_and_a_result_type_is_shown_by_its_maker(monkeypatch):
    module = types.ModuleType("planted")
    monkeypatch.setitem(sys.modules, "planted", module)
    exec(compile(PLANTED, "planted.py", "exec"), module.__dict__)
    assert public_names(module) == ["Result", "make", "lonely"]
    assert [has_own_example(module, n) for n in public_names(module)] == [False, True, False]
    assert shown_in_module(module, "Result") == ["planted.make"]
    assert shown_in_module(module, "lonely") == []


# -- every test asserts something ------------------------------------------------------------------

#: Calls that assert (pytest's and the project's helpers, Playwright's expect).
ASSERTING_CALLS = {"raises", "warns", "deprecated_call", "fail", "approx", "expect",
                   "assert_input_error", "check_bad_input", "_assert_feasible"}

#: Tests whose claim is only that the call does not raise (pytest fails them if it does). Empty:
#: a new test asserts what it means.
RUNS_WITHOUT_ERROR: set[str] = set()


def assertionless_tests(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")):
                continue
            asserts = any(
                isinstance(inner, ast.Assert)
                or (isinstance(inner, ast.Call) and _call_name(inner.func) in ASSERTING_CALLS)
                for inner in ast.walk(node)
            )
            if not asserts:
                found.append(f"{path.relative_to(root).as_posix()}::{node.name}")
    return found


def _call_name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def test_every_test_asserts_what_it_claims():
    found = set(assertionless_tests())
    assert sorted(found - RUNS_WITHOUT_ERROR) == []
    assert sorted(RUNS_WITHOUT_ERROR - found) == [], "these assert now: remove them from RUNS_WITHOUT_ERROR"


@pytest.mark.parametrize(("body", "asserts"), [
    ("def test_x():\n    f()\n", False),
    ("def test_x():\n    assert f() == 1\n", True),
    ("def test_x():\n    with pytest.raises(ValueError):\n        f()\n", True),
])
def test_a_test_without_assertions_is_found(tmp_path, body, asserts):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_planted.py").write_text(body, encoding="utf-8")
    expected = [] if asserts else ["tests/test_planted.py::test_x"]
    assert assertionless_tests(tmp_path) == expected
