"""The two ways to install coopkit name the same packages, and the project layout holds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    """Distribution name of a requirement, normalised (PEP 503)."""
    name = re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_name(r) for r in requirements}


def _conda_names() -> set[str]:
    names: set[str] = set()
    in_dependencies = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"^\S", line):  # a top-level key starts a new section
            in_dependencies = line.startswith("dependencies:")
            continue
        match = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+)", line)
        if in_dependencies and match:
            names.add(_name(match.group(1)))
    return names - {"python", "pip"}


def test_environment_yml_names_the_same_packages_as_pyproject():
    pyproject, conda = _pyproject_names(), _conda_names()
    assert pyproject == conda, (
        f"only in pyproject.toml: {sorted(pyproject - conda)}; only in environment.yml: {sorted(conda - pyproject)}"
    )


def test_name_parsing_handles_version_specifiers_and_extras():
    assert _name("voila>=0.5.6") == "voila"
    assert _name("numpy_financial [x] >= 1") == "numpy-financial"
    assert _name("Babel") == "babel"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make serve" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_server_binds_to_loopback_by_default():
    from coopkit.server import voila_command

    assert "--Voila.ip=127.0.0.1" in voila_command()
