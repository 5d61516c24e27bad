"""Layers import downward only; importing coopkit stays light (STYLE.md §1).

The checker reads every ``.py`` under ``coopkit/`` (subpackages included), names each module by
its full dotted path (``coopkit.plots.risk`` is not ``coopkit.risk``), puts it in a layer and
looks at *every* import in it: top of the file, inside functions and methods, under
``if TYPE_CHECKING:``, relative imports and ``importlib.import_module("...")`` calls.
``test_checker_sees_planted_upward_imports`` proves it on a copy of the package.
"""

from __future__ import annotations

import ast
import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coopkit"

# Layers, from the bottom up (STYLE.md §1). Domain, data and fmt/i18n form one level: loaders
# build domain dataclasses (data → costs, pricing), a few domain functions fall back to the
# shipped datasets or format a sentence (investment → data, cropmix → fmt), and fmt raises the
# domain's InputError. None of them may import plots, ui or tooling, nor a widget/plot library.
RANK = {"domain": 0, "data": 0, "fmt/i18n": 0, "plots": 1, "ui": 2, "tooling": 3}

# Where a module sits, by its first name under ``coopkit`` (``coopkit.plots.risk`` → "plots").
# Any other top-level module is domain (the strictest rule); a module in a subpackage that is not
# named here is reported as unclassified, so a new subpackage gets a layer on purpose.
LAYER_OF_TOP = {
    "plots": "plots",
    "ui": "ui",
    "data": "data",
    "store": "data",
    "exchange": "data",
    "books": "data",
    "bookstore": "data",
    "reference": "data",
    "workbooks": "data",
    "fmt": "fmt/i18n",
    "i18n": "fmt/i18n",
    "server": "tooling",
    "collect": "tooling",
    "lessoncheck": "tooling",
    "exercises": "data",
    "answers": "data",
    "progress": "data",
    "room": "tooling",
    "handouts": "tooling",
    "admission": "tooling",
}

# Libraries a layer may not import (a name matches the package or any of its submodules).
FORBIDDEN = {
    "domain": {"ipywidgets", "IPython", "matplotlib", "voila"},
    "data": {"ipywidgets", "IPython", "matplotlib", "voila"},
    "fmt/i18n": {"ipywidgets", "IPython", "matplotlib", "voila"},
    "plots": {"ipywidgets", "IPython", "voila"},
    "ui": set(),
    "tooling": {"ipywidgets", "IPython", "matplotlib"},
}

# Private names that one module takes from another. None is left (issue 11 §3: the plots
# package's drawing parts and the store's owner folders are public now); the set stays so that a
# planted private import shows the check still works, and a new one fails.
KNOWN_PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "coopkit.costs"
    line: int
    target: str  # the full module path imported, e.g. "coopkit.ui.controls" or "ipywidgets"
    name: str | None  # the name taken from it (``from target import name``), if not a module
    text: str  # the statement as written, for the message


def module_names(package: Path) -> dict[str, Path]:
    """Every module of the package folder by its full dotted name (``__init__`` names the package)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = (package.name, *path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def layer_of(module: str, subpackage: bool = False) -> str | None:
    """The module's layer; ``subpackage`` when it lives in a folder under the package."""
    parts = module.split(".")
    if len(parts) == 1:
        return "domain"  # the package's __init__
    if parts[1] in LAYER_OF_TOP:
        return LAYER_OF_TOP[parts[1]]
    return None if subpackage or len(parts) > 2 else "domain"


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import in the file, wherever it stands, with targets as full module paths."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    package = module if _is_package(path) else module.rpartition(".")[0]
    found = []

    def resolve(name: str, level: int, anchor: str = package) -> str:
        if not level:
            return name
        base = anchor.split(".")
        base = base[: len(base) - (level - 1)]
        return ".".join([*base, name] if name else base)

    bound = {}  # names in this file that stand for a module: {"store": "coopkit.store"}
    lines = source.splitlines()

    def segment(node: ast.AST) -> str:
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return lines[first][node.col_offset : node.end_col_offset]
        return " ".join(line.strip() for line in lines[first : last + 1])

    for node in ast.walk(tree):
        text = segment(node) if isinstance(node, (ast.Import, ast.ImportFrom, ast.Call)) else ""
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(module, node.lineno, alias.name, None, text))
                head = alias.asname or alias.name.split(".")[0]
                bound[head] = alias.name if alias.asname else head
        elif isinstance(node, ast.ImportFrom):
            target = resolve(node.module or "", node.level)
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in modules:
                    found.append(Import(module, node.lineno, submodule, None, text))
                    bound[alias.asname or alias.name] = submodule
                else:
                    found.append(Import(module, node.lineno, target, alias.name, text))
        elif isinstance(node, ast.Call) and _call_name(node.func) in {"import_module", "__import__"}:
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args[:2]]
            if args and args[0]:
                name = args[0]
                if name.startswith("."):
                    level = len(name) - len(name.lstrip("."))
                    name = resolve(name.lstrip("."), level, args[1] if len(args) > 1 and args[1] else package)
                found.append(Import(module, node.lineno, name, None, text))
    # ``store._owner_folders`` where ``store`` names a coopkit module: a private name, taken
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
            continue
        chain, value = [], node.value
        while isinstance(value, ast.Attribute):
            chain.insert(0, value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in bound:
            owner = ".".join([bound[value.id], *chain])
            if owner in modules:
                found.append(Import(module, node.lineno, owner, node.attr, segment(node)))
    return found


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def layer_violations(package: Path) -> list[str]:
    """What breaks STYLE.md §1 in the package folder, one sentence each (empty when all is well)."""
    modules = module_names(package)
    problems = []
    for module, path in modules.items():
        layer = layer_of(module, subpackage=len(path.relative_to(package).parts) > 1)
        if layer is None:
            problems.append(f"{module} ({path.name}) is in no layer: add its subpackage to LAYER_OF_TOP")
            continue
        for imp in imports_of(module, path, modules):
            where = f"{module} ({layer}) line {imp.line}: {imp.text!r}"
            if _within(imp.target, package.name):
                target_layer = layer_of(imp.target)
                if target_layer is None or RANK[target_layer] > RANK[layer]:
                    problems.append(f"{where} imports {imp.target} ({target_layer}), a higher layer")
            else:
                for library in FORBIDDEN[layer]:
                    if _within(imp.target, library):
                        problems.append(f"{where} imports {imp.target}: {layer} may not import {library}")
    return problems


def private_imports(package: Path) -> set[tuple[str, str, str]]:
    """(importer, owner, name) for each private name a module takes from another module."""
    modules = module_names(package)
    taken = set()
    for module, path in modules.items():
        for imp in imports_of(module, path, modules):
            if (
                imp.name
                and imp.name.startswith("_")
                and not imp.name.startswith("__")
                and _within(imp.target, package.name)
                and imp.target != module
            ):
                taken.add((module, imp.target, imp.name))
    return taken


# ---------------------------------------------------------------------------------------------
# The package as it is


def test_every_module_is_found_and_classified():
    modules = module_names(PACKAGE)
    # full paths: the risk model and the risk chart are two modules, not one short name
    assert {"coopkit", "coopkit.risk", "coopkit.plots.risk", "coopkit.ui.risk_app", "coopkit.server"} <= set(modules)
    in_folder = {m: len(p.relative_to(PACKAGE).parts) > 1 for m, p in modules.items()}
    assert [m for m in modules if layer_of(m, in_folder[m]) is None] == []
    assert layer_of("coopkit.costs") == "domain"
    assert layer_of("coopkit.plots.risk") == "plots"
    assert layer_of("coopkit.ui.controls") == "ui"


def test_layers_import_downward_only():
    assert layer_violations(PACKAGE) == []


@functools.cache
def package_imports() -> dict[str, list[Import]]:
    modules = module_names(PACKAGE)
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


@pytest.mark.parametrize("module", sorted(m for m in module_names(PACKAGE) if layer_of(m) in {"domain", "data", "fmt/i18n"}))
def test_domain_modules_do_not_import_widgets_or_plots(module):
    targets = {imp.target for imp in package_imports()[module]}
    assert {t for t in targets if any(_within(t, lib) for lib in FORBIDDEN["domain"])} == set()
    assert {t for t in targets if _within(t, "coopkit.plots") or _within(t, "coopkit.ui")} == set()


def test_only_ui_imports_ipywidgets():
    offenders = sorted(
        module
        for module, imports in package_imports().items()
        if layer_of(module) != "ui" and any(_within(i.target, "ipywidgets") for i in imports)
    )
    assert offenders == []


def test_no_new_private_imports_across_modules():
    new = private_imports(PACKAGE) - KNOWN_PRIVATE_IMPORTS
    assert new == set(), "a module takes another module's private name; make it public or move it"


def test_known_private_imports_are_still_there():
    gone = KNOWN_PRIVATE_IMPORTS - private_imports(PACKAGE)
    assert gone == set(), "these private imports are gone: remove them from KNOWN_PRIVATE_IMPORTS"


def test_import_coopkit_does_not_pull_in_heavy_libraries():
    code = "import sys, coopkit; print(sorted(m for m in ('scipy', 'matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


# ---------------------------------------------------------------------------------------------
# The checker catches what it claims to catch: plant upward imports in a copy and see them fail


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "coopkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    return copy  # as clean as the package (test_layers_import_downward_only)


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code + "\n", encoding="utf-8")


PLANTS = {
    "widgets inside a function": (
        "costs.py",
        "def _planted():\n    import ipywidgets\n    return ipywidgets",
        ["coopkit.costs (domain)", "import ipywidgets", "may not import ipywidgets"],
    ),
    "ui module at the top": (
        "breakeven.py",
        "from coopkit.ui import controls",
        ["coopkit.breakeven (domain)", "from coopkit.ui import controls", "imports coopkit.ui.controls (ui)"],
    ),
    "ui module inside a method, relative": (
        "pricing.py",
        "class _Planted:\n    def show(self):\n        from .ui.controls import NumberBox\n        return NumberBox",
        ["coopkit.pricing (domain)", "from .ui.controls import NumberBox", "imports coopkit.ui.controls (ui)"],
    ),
    "matplotlib submodule in a loader": (
        "data.py",
        "def _planted():\n    from matplotlib.figure import Figure\n    return Figure",
        ["coopkit.data (data)", "matplotlib.figure", "may not import matplotlib"],
    ),
    "importlib string": (
        "yields.py",
        "def _planted():\n    import importlib\n    return importlib.import_module('coopkit.plots.yields')",
        ["coopkit.yields (domain)", "import_module('coopkit.plots.yields')", "imports coopkit.plots.yields (plots)"],
    ),
    "plots reaching into ui": (
        "plots/risk.py",
        "def _planted():\n    from coopkit.ui.base import figure_png\n    return figure_png",
        ["coopkit.plots.risk (plots)", "from coopkit.ui.base import figure_png", "imports coopkit.ui.base (ui)"],
    ),
}


@pytest.mark.parametrize("plant", PLANTS, ids=list(PLANTS))
def test_checker_sees_planted_upward_imports(package_copy, plant):
    file, code, words = PLANTS[plant]
    _append(package_copy / file, code)
    problems = layer_violations(package_copy)
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0]


def test_checker_names_the_short_name_module_by_its_full_path(package_copy):
    # plots/risk.py may import matplotlib; the domain's risk.py may not: one short name, two rules
    _append(package_copy / "plots" / "risk.py", "def _fine():\n    import matplotlib.pyplot")
    assert layer_violations(package_copy) == []
    _append(package_copy / "risk.py", "def _planted():\n    import matplotlib.pyplot")
    assert [p.split(" line")[0] for p in layer_violations(package_copy)] == ["coopkit.risk (domain)"]


def test_checker_sees_a_new_unclassified_subpackage(package_copy):
    (package_copy / "extras").mkdir()
    (package_copy / "extras" / "__init__.py").write_text("", encoding="utf-8")
    assert layer_violations(package_copy) == ["coopkit.extras (__init__.py) is in no layer: add its subpackage to LAYER_OF_TOP"]


def test_checker_sees_a_planted_private_import(package_copy):
    before = private_imports(package_copy)
    _append(package_copy / "loans.py", "def _planted():\n    from coopkit.breakeven import _planted_helper\n    from coopkit import fmt\n    return fmt._planted_too")
    assert private_imports(package_copy) - before == {
        ("coopkit.loans", "coopkit.breakeven", "_planted_helper"),
        ("coopkit.loans", "coopkit.fmt", "_planted_too"),
    }
