"""Write requirements/lock.txt, the exact versions `make serve` and `make test` install (`make lock`).

pip resolves pyproject.toml's dependencies and test tools (``-e ".[test]"``) in a fresh virtualenv of
the Python that runs this script, without installing them (``pip install --dry-run --ignore-installed
--report``), keeping every version already in the lock; ``--upgrade`` (``make lock UPGRADE=1``) takes
the newest versions instead. pip itself and the build backend of pyproject.toml's ``[build-system]``
are pinned in a second section, so that ``make wheelhouse`` holds what an offline install builds with.

Run it after changing a dependency in pyproject.toml, then ``make test``, and commit the lock with the
change: the lock is updated on purpose, never by an install.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
PROJECT = "coopkit"
#: The comment line that starts the second section (tests/test_install.py reads the lock by it).
BUILD_SECTION = "# pip and the build backend"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(text: str) -> dict[str, str]:
    """``{normalised name: "name==version"}`` of a lock's lines."""
    lines = [line.strip() for line in text.splitlines()]
    return {_normalise(line.split("==")[0]): line for line in lines if line and not line.startswith("#")}


def _resolve(python: Path, requirements: list[str], constraints: list[Path]) -> dict[str, str]:
    """``{normalised name: "name==version"}`` of everything pip would install for ``requirements``."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [str(python), "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                   "--report", str(report)]
        for path in constraints:
            command += ["-c", str(path)]
        subprocess.run(command + requirements, check=True, cwd=ROOT)
        installs = json.loads(report.read_text())["install"]
    pins = {}
    for item in installs:
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        if _normalise(name) != PROJECT:
            pins[_normalise(name)] = f"{name}=={version}"
    return pins


def _sorted(pins: dict[str, str]) -> list[str]:
    return [pins[name] for name in sorted(pins)]


def lock_text(python: Path, upgrade: bool) -> str:
    """The lock's text: the project's section, then pip and the build backend."""
    kept = [LOCK] if LOCK.exists() and not upgrade else []
    project = _resolve(python, ["-e", ".[test]"], kept)
    with tempfile.TemporaryDirectory() as tmp:
        # the build tools may share a package with the project (packaging…): the project's version wins
        project_pins = Path(tmp) / "project.txt"
        project_pins.write_text("\n".join(_sorted(project)) + "\n")
        build_system = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
        build = _resolve(python, ["pip", *build_system], [project_pins, *kept])
    build = {name: pin for name, pin in build.items() if name not in project}
    header = f"""\
# The exact versions `make serve` and `make test` install: pip install -c requirements/lock.txt -e ".[test]"
# (README, "Installing"). For Python {platform.python_version_tuple()[0]}.{platform.python_version_tuple()[1]} on \
{platform.system()} {platform.machine()}.
# Written by `make lock` (requirements/lock.py): pip resolves pyproject.toml's dependencies and test tools in a
# fresh virtualenv, keeping the versions already here; `make lock UPGRADE=1` takes the newest ones. Update it on
# purpose (after changing pyproject.toml, or to move to newer versions), run `make test`, commit it. Do not edit.

# pyproject.toml's dependencies and test tools, with everything they need
"""
    return header + "\n".join(_sorted(project)) + f"\n\n{BUILD_SECTION} (pyproject.toml [build-system]), " \
        "for `make wheelhouse` and an offline install\n" + "\n".join(_sorted(build)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="take the newest versions, not the locked ones")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coopkit-lock-") as tmp:
        venv.create(tmp, with_pip=True)
        python = Path(tmp) / "bin" / "python"
        pip_pin = [] if args.upgrade or not LOCK.exists() else [_pins(LOCK.read_text()).get("pip", "pip")]
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", *(pip_pin or ["pip"])],
                       check=True)
        try:
            text = lock_text(python, args.upgrade)
        except subprocess.CalledProcessError:
            print("pip could not keep the locked versions with pyproject.toml's requirements: "
                  "run `make lock UPGRADE=1` to take the newest ones.", file=sys.stderr)
            return 1
    old = _pins(LOCK.read_text()) if LOCK.exists() else {}
    LOCK.write_text(text)
    new = _pins(text)
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) != new.get(name):
            print(f"{old.get(name, '(new)'):>40} -> {new.get(name, '(gone)')}")
    print(f"{LOCK.relative_to(ROOT)}: {len(new)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
