"""The low modules import one way: i18n → fmt → fields → errors → validate → units (issue 11 §2).

Each module may import only the ones before it in `ORDER`, never one after it, whether at the
top of the file or inside a function; so none of them imports a module that imports it back
(the old circle was errors → fields → fmt → errors, through imports inside functions).

Two checks: one reads the sources (`ast`, every import wherever it is), the other imports each
module first in a fresh interpreter, without running ``coopkit/__init__.py`` (which imports
everything), uses it, and lists the coopkit modules that were loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coopkit"

#: From the bottom up: what each module may import (the ones before it).
ORDER = ("i18n", "fmt", "fields", "errors", "validate", "units")

#: Imports that go up only for a deprecated name, removed in coopkit 0.3 (with the name):
#: ``fmt.parse_number`` is now ``validate.parse_number``. (module, function, imported module).
DEPRECATED_UPWARD = {("fmt", "__getattr__", "validate")}


def coopkit_imports(name: str) -> set[tuple[str, str]]:
    """``(function, module)`` for every coopkit module that ``coopkit/<name>.py`` imports;
    ``function`` is the enclosing function's name, ``""`` at module level."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Import):
                found.update((function, alias.name.split(".")[1]) for alias in child.names
                             if alias.name.startswith("coopkit."))
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                if child.module == "coopkit":  # from coopkit import fields, i18n
                    found.update((function, alias.name) for alias in child.names
                                 if (PACKAGE / f"{alias.name}.py").exists() or (PACKAGE / alias.name).is_dir())
                elif child.module.startswith("coopkit."):
                    found.add((function, child.module.split(".")[1]))
            elif isinstance(child, ast.ImportFrom) and child.level > 0:
                raise AssertionError(f"{name}: use absolute imports (from coopkit import ...)")
            visit(child, inner)

    visit(tree, "")
    return found


@pytest.mark.parametrize("name", ORDER)
def test_a_low_module_imports_only_the_ones_below_it(name):
    below = set(ORDER[: ORDER.index(name)])
    upward = {(function or "<module>", target) for function, target in coopkit_imports(name)
              if target not in below and (name, function, target) not in DEPRECATED_UPWARD
              and not target.startswith("_")}
    assert upward == set(), f"coopkit.{name} imports modules above it (function, module): {sorted(upward)}"


@pytest.mark.parametrize("name", ORDER)
def test_a_private_helper_module_imported_by_a_low_module_imports_no_coopkit_module(name):
    helpers = {target for _function, target in coopkit_imports(name) if target.startswith("_")}
    for helper in helpers:
        assert {t for _f, t in coopkit_imports(helper)} == set(), f"coopkit.{helper} must stay a leaf"


def test_the_deprecated_upward_import_still_serves_its_deprecated_name():
    """When ``fmt.parse_number`` goes (coopkit 0.3), `DEPRECATED_UPWARD` must go with it."""
    from coopkit import fmt, validate

    for module, function, target in DEPRECATED_UPWARD:
        assert (function, target) in coopkit_imports(module)
    with pytest.warns(DeprecationWarning):
        assert fmt.parse_number is validate.parse_number
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate.parse_number("12,5", "vi") == 12.5


def test_the_source_check_catches_an_import_inside_a_function(tmp_path, monkeypatch):
    """The check above fails on the old circle: errors' imports inside methods are seen."""
    planted = tmp_path / "coopkit"
    planted.mkdir()
    (planted / "fmt.py").write_text("def parse(text):\n    from coopkit.errors import InputError\n    raise InputError('x', 'y')\n")
    (planted / "errors.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", planted)
    assert coopkit_imports("fmt") == {("parse", "errors")}
    with pytest.raises(AssertionError, match="imports modules above it"):
        test_a_low_module_imports_only_the_ones_below_it("fmt")


# What each module does once imported, so that imports inside its functions run too.
_USE = {
    "i18n": "m.tr('lang.name', 'en')",
    "fmt": "m.money(1_250_000, 'vi'); m.percent(0.05, 'en'); m.month_name(2, 'vi'); m.calendar_date(__import__('datetime').date(2025, 7, 1), 'en')",
    "fields": "m.format_value('fixed_costs', 1e6, 'en'); m.as_typed(2.5, 'vi'); m.label('volume', 'vi')",
    "errors": "e = m.InputError('volume', reason='not_positive', value=0); e.message('en'); e.messages; str(e)",
    "validate": "m.check_positive('volume', 3); m.parse_number('1.250.000', 'vi')\ntry:\n    m.parse_number('', 'vi', field='volume')\nexcept Exception as err:\n    err.messages",
    "units": "m.area_to_ha(10, 'sao_bac_bo')\ntry:\n    m.weight_to_kg(1, 'bao')\nexcept Exception as err:\n    err.messages",
}

_FRESH = """
import importlib, json, sys, types
package = types.ModuleType("coopkit")
package.__path__ = [{folder!r}]
sys.modules["coopkit"] = package  # the package without its __init__ (which imports everything)
m = importlib.import_module("coopkit.{name}")
{use}
print(json.dumps(sorted(k.split(".")[1] for k in sys.modules if k.startswith("coopkit."))))
"""


@pytest.mark.parametrize("name", ORDER)
def test_imported_first_in_a_fresh_interpreter_a_module_loads_only_the_ones_below_it(name):
    code = _FRESH.format(folder=str(PACKAGE), name=name, use=_USE[name])
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    loaded = set(json.loads(run.stdout.strip().splitlines()[-1])) - {name}
    allowed = set(ORDER[: ORDER.index(name)])
    assert loaded <= allowed, f"coopkit.{name} loaded {sorted(loaded - allowed)}, which sit above it"
