"""Layers import downward only; importing coopkit stays light (STYLE.md §1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coopkit"
DOMAIN = ["costs", "breakeven", "pricing", "whatif", "models", "errors", "validate", "units", "fields", "fmt", "i18n", "data", "demand", "store", "exchange", "collect", "yields", "processing", "flock", "risk", "reference", "cropmix", "loans", "investment", "members", "health", "cashflow"]
FORBIDDEN_IN_DOMAIN = {"ipywidgets", "IPython", "matplotlib", "voila"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_modules_do_not_import_widgets_or_plots(module):
    assert _imports(PACKAGE / f"{module}.py") & FORBIDDEN_IN_DOMAIN == set()


def test_only_ui_imports_ipywidgets():
    offenders = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "ipywidgets" in _imports(p) and p.parent.name != "ui"
    ]
    assert offenders == []


def test_import_coopkit_does_not_pull_in_heavy_libraries():
    code = "import sys, coopkit; print(sorted(m for m in ('scipy', 'matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
