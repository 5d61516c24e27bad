"""The same install everywhere (issue 14 §7): requirements/lock.txt pins exactly what pyproject.toml's
dependencies and test tools need, the tests run with those versions, and `make serve`/`make test` install
them (from wheelhouse/ alone with WHEELHOUSE=…).
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
BUILD_SECTION = "# pip and the build backend"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The lock's two sections, ``{normalised name: version}``: the project's packages, then pip and the build backend."""
    project: dict[str, str] = {}
    build: dict[str, str] = {}
    section = project
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(BUILD_SECTION):
            section = build
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"lock.txt line {number} is not an exact pin (name==version): {line!r}"
        name = _name(match.group(1))
        assert name not in project and name not in build, f"lock.txt pins {name} twice"
        section[name] = match.group(2)
    return project, build


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
#: What `make test` installs: `-e ".[test]"`.
REQUIREMENTS = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]
                + PYPROJECT["project"]["optional-dependencies"]["test"]]
PROJECT_PINS, BUILD_PINS = _lock(LOCK.read_text())


def _needs(requirements: list[Requirement]) -> set[str]:
    """Every distribution the requirements need in this environment, read from the installed packages' metadata."""
    wanted: dict[str, set[str]] = {}
    todo = [(req, {""}) for req in requirements]
    while todo:
        req, parent_extras = todo.pop()
        if req.marker and not any(req.marker.evaluate({"extra": extra}) for extra in parent_extras):
            continue
        name, extras = _name(req.name), set(req.extras)
        if name in wanted and extras <= wanted[name]:
            continue
        wanted[name] = wanted.get(name, set()) | extras
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            pytest.fail(f"{req.name} is not installed: run `make install-test` (and `make lock` if it is new)")
        todo += [(Requirement(r), {""} | wanted[name]) for r in requires]
    return set(wanted)


def test_the_lock_holds_what_pyproject_needs_and_nothing_else():
    needed = _needs(REQUIREMENTS)
    assert set(PROJECT_PINS) == needed, (
        f"missing from the lock: {sorted(needed - set(PROJECT_PINS))}; "
        f"not needed: {sorted(set(PROJECT_PINS) - needed)}. Run `make lock` and commit requirements/lock.txt."
    )


def test_the_locked_versions_meet_pyproject():
    for req in REQUIREMENTS:
        assert req.specifier.contains(PROJECT_PINS[_name(req.name)], prereleases=True), (req, PROJECT_PINS[_name(req.name)])
    for text in PYPROJECT["build-system"]["requires"]:
        req = Requirement(text)
        assert req.specifier.contains(BUILD_PINS[_name(req.name)]), (req, BUILD_PINS)
    assert "pip" in BUILD_PINS


def test_the_tests_run_with_the_locked_versions():
    """`make test` installed the lock: every locked package has its locked version in this environment."""
    installed = {name: metadata.version(name) for name in PROJECT_PINS}
    different = {name: (PROJECT_PINS[name], version) for name, version in installed.items() if version != PROJECT_PINS[name]}
    assert different == {}, f"(locked, installed): {different}; run `make install-test`"
    assert metadata.version("pip") == BUILD_PINS["pip"]


def test_the_lock_reader_refuses_what_is_not_a_pin():
    project, build = _lock(f"# head\nnumpy==2.4.6\nJinja2==3.1.6\n\n{BUILD_SECTION}\npip==26.3\n")
    assert project == {"numpy": "2.4.6", "jinja2": "3.1.6"} and build == {"pip": "26.3"}
    for text in ("numpy>=2\n", "numpy\n", "numpy_financial==1.0.0\nnumpy.Financial==1.0.0\n", f"numpy==1\n{BUILD_SECTION}\nNumPy==1\n"):
        with pytest.raises(AssertionError):
            _lock(text)


# --------------------------------------------------------------------------- the Makefile's install rules


def _make_dry_run(tmp_path: Path, target: str, *args: str) -> list[str]:
    """The pip commands `make -n` would run for ``target`` of a virtualenv in ``tmp_path`` that is up to date."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    later = time.time() + 3600
    for path in (venv / "bin" / "python", venv / ".installed", venv / ".installed-test"):
        path.touch()
        os.utime(path, (later, later))
    result = subprocess.run(["make", "-n", f"VENV={venv}", *args, target.replace("VENV", str(venv))],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if " -m pip " in line]


@pytest.mark.parametrize("target", ["VENV/.installed", "VENV/.installed-test"])
def test_the_install_rules_install_the_lock_and_rerun_when_it_changes(tmp_path, target):
    assert _make_dry_run(tmp_path, target) == []  # up to date
    commands = _make_dry_run(tmp_path, target, "-W", "requirements/lock.txt")
    assert len(commands) == 2 and all("pip install" in c and "-c requirements/lock.txt" in c for c in commands), commands
    assert commands[0].endswith("--upgrade pip")
    assert "--build-constraint requirements/lock.txt" in commands[1]
    assert commands[1].endswith('-e ".[test]"' if target.endswith("-test") else "-e .")
    assert not any("--no-index" in c for c in commands)


def test_wheelhouse_installs_from_the_folder_alone(tmp_path):
    commands = _make_dry_run(tmp_path, "VENV/.installed", "-W", "pyproject.toml", "WHEELHOUSE=/media/usb/wheelhouse")
    assert len(commands) == 2
    assert all("--no-index --find-links /media/usb/wheelhouse" in c and "-c requirements/lock.txt" in c for c in commands)
    (download,) = _make_dry_run(tmp_path, "wheelhouse")
    assert download.endswith("-m pip wheel --quiet --wheel-dir wheelhouse -r requirements/lock.txt")
