"""Collect the scenarios a workshop room saved into one comparison (a trainer's command).

At the end of an exercise the trainer runs, on the workshop server::

    python -m coopkit.collect                          # the table on screen
    python -m coopkit.collect --xlsx room.xlsx         # and an Excel file to project or share
    python -m coopkit.collect DIR --csv room.csv --lang en

``DIR`` is the scenario folder the apps save into (default ``$COOPKIT_SCENARIO_DIR``, else
``~/coopkit-scenarios``): one sub-folder per cooperative. Files that cannot be read are named
on the error stream and left where they are. The trainer sees every folder, whatever its code.

A cooperative's code is kept only as a hash, so it cannot be printed again; a manager who lost
it gets a new one, and the old one stops working (a folder not made yet gets its first code, so
codes can also be handed out on slips before the workshop)::

    python -m coopkit.collect DIR --reset-code "HTX Cam Lạc Thủy" --reset-code "HTX Sen Đá"
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from coopkit import exchange, fields, i18n, store
from coopkit.errors import InputError
from coopkit.whatif import Scenario

__all__ = ["room_scenarios", "room_problems", "main"]

#: Columns shown on screen, when the room's models have them.
SHOWN = ("owner", "scenario", "list_price", "price_per_unit", "volume", "profit", "margin", "unit_cost")


def room_scenarios(root: str | Path | None = None) -> list[Scenario]:
    """Every saved scenario of the room, each renamed ``"<cooperative folder> · <name>"``.

    >>> import tempfile, coopkit
    >>> root = tempfile.mkdtemp()
    >>> plan = coopkit.Scenario("Kế hoạch", "unit_cost",
    ...                         {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000})
    >>> for owner in ("HTX Sen Đá", "HTX Cam Lạc Thủy"):
    ...     _ = store.ScenarioStore(root, owner).save(plan)
    >>> [s.name for s in room_scenarios(root)]
    ['htx-cam-lac-thuy · Kế hoạch', 'htx-sen-da · Kế hoạch']
    """
    from dataclasses import replace

    root = store.default_root() if root is None else Path(root).expanduser()
    scenarios = []
    for folder in store.owner_folders(root):
        for scenario in store.ScenarioStore._at(folder).scenarios():
            scenarios.append(replace(scenario, name=f"{folder.name} · {scenario.name}"))
    return scenarios


def room_problems(root: str | Path | None = None) -> list[str]:
    """``folder/file`` of every saved file that could not be read."""
    root = store.default_root() if root is None else Path(root).expanduser()
    return [f"{folder.name}/{name}" for folder in store.owner_folders(root)
            for name in store.ScenarioStore._at(folder).problems()]


def _screen_table(root: Path, lang: str) -> str:
    import pandas as pd

    table = store.collect(root, lang=lang)
    if table.empty:
        return i18n.tr("collect.empty", lang, folder=str(root))
    columns = [c for c in SHOWN if c in table.columns]
    shown = table[columns].copy()
    for column in columns:
        shown[column] = [fields.format_value(column, v, lang) if pd.notna(v) else "—" for v in shown[column]]
    shown.columns = [fields.label(c, lang) for c in columns]
    return shown.to_string(index=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopkit.collect", description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=None, help="scenario folder (default: $COOPKIT_SCENARIO_DIR)")
    parser.add_argument("--xlsx", type=Path, help="write the comparison to this Excel file")
    parser.add_argument("--csv", type=Path, help="write the comparison to this CSV file")
    parser.add_argument("--lang", default="vi", choices=i18n.LANGUAGES)
    parser.add_argument("--reset-code", action="append", default=[], metavar="COOPERATIVE",
                        help="give this cooperative's folder a new code and print it (repeatable)")
    args = parser.parse_args(argv)
    root = store.default_root() if args.folder is None else Path(args.folder).expanduser()
    try:
        if args.reset_code:
            return _reset_codes(root, args.lang, args.reset_code)
        return _run(root, args.lang, args.xlsx, args.csv)
    except InputError as err:
        print(f"⚠ {err.message(args.lang)}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"⚠ {i18n.tr('collect.cannot_write', args.lang, file=str(err.filename or ''), reason=err.strerror or err)}",
              file=sys.stderr)
        return 2


def _reset_codes(root: Path, lang: str, owners: list[str]) -> int:
    """Print a new code for each cooperative: one line each, to hand over or print."""
    folders = [store.owner_folder(owner) for owner in owners]  # every name checked before any change
    for owner, folder in zip(owners, folders):
        code = store.reset_code(root, owner)
        print(i18n.tr("collect.code_reset", lang, owner=owner.strip(), folder=folder, code=code))
    return 0


def _run(root: Path, lang: str, xlsx: Path | None, csv: Path | None) -> int:
    print(_screen_table(root, lang))
    for problem in room_problems(root):
        print(i18n.tr("collect.unreadable", lang, file=problem), file=sys.stderr)
    scenarios = room_scenarios(root)
    if xlsx:
        exchange.write_xlsx(xlsx, scenarios, lang=lang)
        print(i18n.tr("collect.written", lang, count=len(scenarios), file=str(xlsx)))
    if csv:
        exchange.write_csv(csv, scenarios, lang=lang)
        print(i18n.tr("collect.written", lang, count=len(scenarios), file=str(csv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
