"""Fixtures and options shared by every test folder.

Keep this file light: it must not import ``coopkit`` (a broken module would then stop every
test from being collected) nor anything heavy. Browser fixtures live in ``tests/browser``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("coopkit", "coopkit browser tests")
    group.addoption(
        "--voila-notebooks",
        action="store",
        default=None,
        metavar="DIR",
        help="folder of notebooks the browser tests serve (default: notebooks/ of the repository)",
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout (where ``voila.json`` and ``notebooks/`` live)."""
    return ROOT


@pytest.fixture(scope="session")
def notebooks_dir(pytestconfig: pytest.Config) -> Path:
    """The notebooks the browser tests serve: ``--voila-notebooks`` or ``notebooks/``."""
    option = pytestconfig.getoption("--voila-notebooks")
    return Path(option).resolve() if option else ROOT / "notebooks"


# Property tests check invariants, not speed: no per-example deadline (a loaded 2-core CI
# machine made a cheap example miss hypothesis's default 200 ms once), and a fixed number of
# examples so a run takes the same time everywhere.
from hypothesis import settings  # noqa: E402

settings.register_profile("coopkit", deadline=None, max_examples=100, derandomize=False)
settings.load_profile("coopkit")
