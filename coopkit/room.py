"""The room's answers in one table and an Excel file (a trainer's command, as ``coopkit.collect``).

At the end of the workshop the trainer runs, on the server::

    python -m coopkit.room                          # each task: answered, right, stuck, on screen
    python -m coopkit.room --xlsx answers.xlsx      # and the room in Excel (make answers)
    python -m coopkit.room DIR --xlsx answers.xlsx --lang en

``DIR`` is the answer folder the pages record into (default ``$COOPKIT_ANSWER_DIR``, else
``~/coopkit-answers``). The Excel file has the sheets of `coopkit.progress.room_xlsx`: every
answer, every task, the quiz before and after.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from coopkit import exercises, i18n, progress
from coopkit.answers import AnswerStore, default_root
from coopkit.errors import InputError
from coopkit.exchange import write_atomic

__all__ = ["room_summary", "main"]


def room_summary(root: str | Path | None, lang: str, folder: str | Path | None = None) -> str:
    """The room on screen: one line per task of the exercise sets, and who is stuck.

    >>> import tempfile
    >>> room_summary(tempfile.mkdtemp(), "en").startswith("No answers in")
    True
    """
    store = AnswerStore(root if root is not None else default_root())
    records = store.records()
    if not records:
        return i18n.tr("room.empty", lang, folder=str(store.root))
    sets = exercises.exercise_sets(folder)
    table = progress.task_summary(records, sets, lang)
    answered = table[table[i18n.tr("room.column.answered", lang)] > 0]
    lines = [i18n.tr("room.summary", lang, trainees=len({r["trainee"]["key"] for r in records}), records=len(records))]
    lines.append(answered.to_string(index=False) if not answered.empty else "")
    for person in progress.stuck(records, sets):
        lines.append(i18n.tr("room.stuck_line", lang, name=person.name, cooperative=person.cooperative,
                             workbook=person.workbook, task=person.task, attempts=person.attempts, hints=person.hints))
    return "\n".join(line for line in lines if line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopkit.room", description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=None, help="answer folder (default: $COOPKIT_ANSWER_DIR)")
    parser.add_argument("--xlsx", type=Path, help="write the room to this Excel file")
    parser.add_argument("--lang", default="vi", choices=i18n.LANGUAGES)
    args = parser.parse_args(argv)
    root = default_root() if args.folder is None else Path(args.folder).expanduser()
    try:
        print(room_summary(root, args.lang))
        if args.xlsx:
            records = AnswerStore(root).records()
            write_atomic(args.xlsx, progress.room_xlsx(records, exercises.exercise_sets(), args.lang))
            print(i18n.tr("room.written", args.lang, count=len(records), file=str(args.xlsx)))
    except InputError as err:
        print(f"⚠ {err.message(args.lang)}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"⚠ {i18n.tr('collect.cannot_write', args.lang, file=str(err.filename or ''), reason=err.strerror or err)}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
