"""The room's progress, from its answers: who did what, what went wrong, who is stuck, who finished.

Pure functions over the records of `coopkit.answers.AnswerStore.records` (one dict per trainee
and task) and the exercise sets of `coopkit.exercises`: the trainer page shows them live, the
``make answers`` command writes them to Excel (`room_xlsx`), and the certificates list what
`completed` finds.

A record's ``workbook`` is a lesson's name (``"break_even"``) or, for the before/after quiz,
``"quiz-before"`` / ``"quiz-after"``.

A small room: Lan did the four tasks of workbook 2, Minh tried the break-even volume three
times, Hoa opened every hint of the margin:

>>> records, sets = _example_records(), _example_sets()
>>> completed(records, sets)["lan--htx-mat-ong-ha-giang-2fa1c0"]
['break_even']
>>> sorted(s.name for s in stuck(records, sets))
['Hoa', 'Minh']
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coopkit import i18n

__all__ = [
    "QUIZ_BEFORE",
    "QUIZ_AFTER",
    "STUCK_ATTEMPTS",
    "Stuck",
    "QuizGain",
    "workbook_title",
    "room_table",
    "common_wrong",
    "task_summary",
    "stuck",
    "completed",
    "quiz_gain",
    "room_xlsx",
]

#: The quiz's two rounds, as the records name them.
QUIZ_BEFORE = "quiz-before"
QUIZ_AFTER = "quiz-after"
#: A trainee with this many attempts at a task, still not right, is stuck.
STUCK_ATTEMPTS = 3
#: Wrong answers shown per task.
COMMON_WRONG = 3
#: Longest mistake message shown in a summary (the first sentence, cut here).
SHORT_MESSAGE = 70

ROOM_COLUMNS = ("trainee", "cooperative", "workbook", "task", "attempts", "hints", "right", "solution_seen",
                "last_answer", "last_time")
TASK_COLUMNS = ("workbook", "task", "answered", "right_by", "wrong_answers", "stuck")
QUIZ_COLUMNS = ("trainee", "cooperative", "before", "after")
QUESTION_COLUMNS = ("question", "before", "after")


def _t(key: str, lang: str, **params: Any) -> str:
    return i18n.tr(f"room.{key}", lang, **params)


def _exercise_sets(sets: Iterable[Any]) -> list[Any]:
    """The workbooks' sets (not the quiz)."""
    return [s for s in sets if s.workbook != "quiz"]


def workbook_title(workbook: str, sets: Iterable[Any], lang: str) -> str:
    """The title of a record's workbook: its exercise set's title, the quiz round's name, or the
    lesson's name when no set is known.

    >>> workbook_title("break_even", _example_sets(), "en")
    'Exercises: the Yên Thủy hill-chicken cooperative'
    >>> workbook_title("quiz-after", [], "vi")
    'Kiểm tra cuối buổi'
    """
    lang = i18n.normalize_language(lang)
    if workbook in (QUIZ_BEFORE, QUIZ_AFTER):
        return _t("quiz_before" if workbook == QUIZ_BEFORE else "quiz_after", lang)
    for exercise_set in sets:
        if exercise_set.workbook == workbook:
            return exercise_set.title.get(lang)
    return workbook


def _when(text: object) -> pd.Timestamp | None:
    if not text:
        return None
    try:
        return pd.Timestamp(str(text)).tz_convert("UTC")
    except (ValueError, TypeError):
        return None


def room_table(records: Sequence[Mapping[str, Any]], lang: str, sets: Iterable[Any] = ()) -> pd.DataFrame:
    """One row per trainee and task: who, which workbook and task, attempts, hints opened,
    right or not, solution seen, the last answer typed and when (UTC). Column titles in ``lang``;
    workbooks by their exercise set's title when ``sets`` are given.

    >>> table = room_table(_example_records(), "en", _example_sets())
    >>> list(table.columns)[:4]
    ['Trainee', 'Cooperative', 'Workbook', 'Task']
    >>> table.loc[4, ["Trainee", "Task", "Attempts", "Right", "Last answer"]].to_dict()
    {'Trainee': 'Minh', 'Task': 'volume', 'Attempts': 3, 'Right': False, 'Last answer': '1,0'}
    """
    lang = i18n.normalize_language(lang)
    sets = list(sets)
    rows = []
    for record in records:
        answers = record.get("answers") or []
        rows.append({
            "trainee": record["trainee"]["name"],
            "cooperative": record["trainee"]["cooperative"],
            "workbook": workbook_title(record["workbook"], sets, lang),
            "task": record["task"],
            "attempts": int(record.get("attempts", 0)),
            "hints": int(record.get("hints", 0)),
            "right": bool(record.get("right", False)),
            "solution_seen": bool(record.get("solution_seen", False)),
            "last_answer": str(answers[-1].get("typed", "")) if answers else "",
            "last_time": _when(record.get("last")),
        })
    frame = pd.DataFrame(rows, columns=list(ROOM_COLUMNS))
    frame["last_time"] = pd.to_datetime(frame["last_time"], utc=True)
    return frame.rename(columns={c: _t(f"column.{c}", lang) for c in ROOM_COLUMNS})


def _short(text: str) -> str:
    first = text.split(". ")[0].strip().rstrip(".")
    return first if len(first) <= SHORT_MESSAGE else first[:SHORT_MESSAGE - 1].rstrip() + "…"


def common_wrong(records: Sequence[Mapping[str, Any]], exercise_set: Any, task: Any, lang: str,
                 count: int = COMMON_WRONG) -> list[tuple[str, int]]:
    """The ``count`` wrong answers of ``task`` that most trainees gave, with how many gave each.

    Answers that match a known mistake are counted together, under the first sentence of the
    mistake's message; other wrong answers under the text typed. A trainee who gave the same
    wrong answer three times counts once.

    >>> eggs = _example_sets()[0]
    >>> common_wrong(_example_records(), eggs, eggs.task("volume"), "en")
    [('You divided by the whole price', 2), ('1,0', 1)]
    """
    lang = i18n.normalize_language(lang)
    messages = {m.id: m for m in getattr(task, "mistakes", ())}
    seen: Counter[str] = Counter()
    for record in records:
        if record["workbook"] != exercise_set.workbook or record["task"] != task.id:
            continue
        given: set[str] = set()
        for answer in record.get("answers") or []:
            if answer.get("status") not in ("mistake", "wrong"):
                continue
            mistake = answer.get("mistake")
            if mistake:
                known = messages.get(mistake)
                label = _mistake_label(exercise_set, task, known, lang) if known is not None else str(mistake)
            else:
                label = " ".join(str(answer.get("typed", "")).split()) or "—"
            given.add(label)
        seen.update(given)
    return sorted(seen.items(), key=lambda item: (-item[1], item[0]))[:count]


_LABELS: dict[tuple[str, ...], str] = {}


def _mistake_label(exercise_set: Any, task: Any, mistake: Any, lang: str) -> str:
    """The first sentence of a mistake's message, filled once per case (its numbers come from the
    case's formulas, which a live page would otherwise compute again every few seconds)."""
    key = (str(exercise_set.file), exercise_set.workbook, repr(exercise_set.inputs), repr(exercise_set.values),
           task.id, repr(task.inputs), repr(task.values), mistake.id, mistake.message.get(lang), lang)
    if key not in _LABELS:
        if len(_LABELS) > 4096:
            _LABELS.clear()
        _LABELS[key] = _short(exercise_set.say(task, mistake.message, lang))
    return _LABELS[key]


@dataclass(frozen=True)
class Stuck:
    """A trainee stuck on a task: many attempts, or every hint opened, and still not right."""

    key: str
    name: str
    cooperative: str
    workbook: str
    task: str
    attempts: int
    hints: int


def _tasks(sets: Iterable[Any]) -> dict[tuple[str, str], Any]:
    return {(s.workbook, t.id): t for s in _exercise_sets(sets) for t in s.tasks}


def stuck(records: Sequence[Mapping[str, Any]], sets: Iterable[Any]) -> list[Stuck]:
    """Who is stuck, on which task: at least `STUCK_ATTEMPTS` attempts, or every hint of the task
    opened, and not right yet (a trainee on two tasks is listed twice). Quiz answers do not count.

    >>> [(s.name, s.task, s.attempts, s.hints) for s in stuck(_example_records(), _example_sets())]
    [('Minh', 'volume', 3, 0), ('Hoa', 'margin', 1, 2)]
    """
    tasks = _tasks(sets)
    found = []
    for record in records:
        task = tasks.get((record["workbook"], record["task"]))
        if task is None or record.get("right"):
            continue
        attempts, hints = int(record.get("attempts", 0)), int(record.get("hints", 0))
        if attempts >= STUCK_ATTEMPTS or (task.hints and hints >= len(task.hints)):
            trainee = record["trainee"]
            found.append(Stuck(trainee["key"], trainee["name"], trainee["cooperative"], record["workbook"],
                               record["task"], attempts, hints))
    return found


def completed(records: Sequence[Mapping[str, Any]], sets: Iterable[Any]) -> dict[str, list[str]]:
    """``{trainee key: [lessons whose every task the trainee answered right]}``, every trainee of
    the room listed (with an empty list when none), lessons in the order of ``sets``.

    >>> completed(_example_records(), _example_sets())["minh--htx-rau-moc-chau-7179fd"]
    []
    """
    right = {(r["trainee"]["key"], r["workbook"], r["task"]) for r in records if r.get("right")}
    keys = list(dict.fromkeys(r["trainee"]["key"] for r in records))
    return {key: [s.workbook for s in _exercise_sets(sets)
                  if s.tasks and all((key, s.workbook, t.id) in right for t in s.tasks)]
            for key in keys}


@dataclass(frozen=True)
class QuizGain:
    """The quiz before and after: the room's mean score (a fraction of the questions, None when
    nobody took that round), each trainee's score, each question's share of right answers."""

    before: float | None
    after: float | None
    trainees: pd.DataFrame
    questions: pd.DataFrame

    @property
    def gain(self) -> float | None:
        """The mean score after minus before (None until both rounds were taken)."""
        return None if self.before is None or self.after is None else self.after - self.before


def _chose_right(record: Mapping[str, Any]) -> bool:
    answers = record.get("answers") or []
    return answers[-1].get("status") == "right" if answers else bool(record.get("right"))


def _mean(values: Iterable[float]) -> float | None:
    found = [v for v in values if not math.isnan(v)]
    return sum(found) / len(found) if found else None


def quiz_gain(records: Sequence[Mapping[str, Any]], quiz_set: Any) -> QuizGain:
    """The room's gain on the quiz. The questions are those of ``quiz_set`` that the room was
    asked (a day's quiz asks ten of the file's questions); a trainee's score in a round is the
    share of them whose chosen option (the last one chosen) is right; the room's is the mean over
    the trainees who took that round.

    Frames: ``trainees`` (key, trainee, cooperative, before, after: NaN for a round not taken)
    and ``questions`` (question, before, after: the share of those who answered it who were right).

    >>> gain = quiz_gain(_example_records(), _example_quiz())
    >>> gain.before, gain.after, round(gain.gain, 2)
    (0.25, 0.75, 0.5)
    >>> gain.questions.to_string(index=False)
    'question  before  after\\n   price     0.5    1.0\\n  volume     0.0    0.5'
    """
    asked = {r["task"] for r in records if r["workbook"] in (QUIZ_BEFORE, QUIZ_AFTER)}
    ids = [t.id for t in quiz_set.tasks if t.id in asked]
    chosen: dict[tuple[str, str], dict[str, bool]] = {}
    people: dict[str, Mapping[str, Any]] = {}
    for record in records:
        if record["workbook"] not in (QUIZ_BEFORE, QUIZ_AFTER) or record["task"] not in ids:
            continue
        people.setdefault(record["trainee"]["key"], record["trainee"])
        chosen.setdefault((record["trainee"]["key"], record["workbook"]), {})[record["task"]] = _chose_right(record)
    rows = []
    for key, trainee in people.items():
        scores = {}
        for column, round_name in (("before", QUIZ_BEFORE), ("after", QUIZ_AFTER)):
            answers = chosen.get((key, round_name))
            scores[column] = sum(answers.values()) / len(ids) if answers is not None else math.nan
        rows.append({"key": key, "trainee": trainee["name"], "cooperative": trainee["cooperative"], **scores})
    trainees = pd.DataFrame(rows, columns=["key", "trainee", "cooperative", "before", "after"])
    questions = []
    for task_id in ids:
        row: dict[str, Any] = {"question": task_id}
        for column, round_name in (("before", QUIZ_BEFORE), ("after", QUIZ_AFTER)):
            given = [c[task_id] for (_, r), c in chosen.items() if r == round_name and task_id in c]
            row[column] = sum(given) / len(given) if given else math.nan
        questions.append(row)
    return QuizGain(_mean(trainees["before"]), _mean(trainees["after"]), trainees,
                    pd.DataFrame(questions, columns=list(QUESTION_COLUMNS)))


def task_summary(records: Sequence[Mapping[str, Any]], sets: Iterable[Any], lang: str) -> pd.DataFrame:
    """One row per task of every workbook's set (the quiz aside): how many trainees answered it,
    how many got it right, the three most common wrong answers (``"message (2); 1 (1)"``) and how
    many are stuck on it. Column titles in ``lang``.

    >>> summary = task_summary(_example_records(), _example_sets(), "en")
    >>> summary[["Task", "Answered by", "Right by", "Stuck"]].values.tolist()
    [['margin', 3, 2, 1], ['volume', 3, 2, 1], ['profit_drop', 1, 1, 0], ['safety', 1, 1, 0]]
    >>> summary.loc[1, "Common wrong answers"]
    'You divided by the whole price (2); 1,0 (1)'
    """
    lang = i18n.normalize_language(lang)
    sets = _exercise_sets(sets)
    stuck_on = Counter((s.workbook, s.task) for s in stuck(records, sets))
    rows = []
    for exercise_set in sets:
        for task in exercise_set.tasks:
            mine = [r for r in records if r["workbook"] == exercise_set.workbook and r["task"] == task.id]
            wrong = common_wrong(records, exercise_set, task, lang)
            rows.append({
                "workbook": exercise_set.title.get(lang),
                "task": task.id,
                "answered": sum(1 for r in mine if int(r.get("attempts", 0)) > 0),
                "right_by": sum(1 for r in mine if r.get("right")),
                "wrong_answers": "; ".join(f"{text} ({n})" for text, n in wrong),
                "stuck": stuck_on[(exercise_set.workbook, task.id)],
            })
    frame = pd.DataFrame(rows, columns=list(TASK_COLUMNS))
    return frame.rename(columns={c: _t(f"column.{c}", lang) for c in TASK_COLUMNS})


def _quiz_frames(records: Sequence[Mapping[str, Any]], sets: Iterable[Any], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    quiz = next((s for s in sets if s.workbook == "quiz"), None)
    if quiz is None:
        return (pd.DataFrame(columns=[_t(f"column.{c}", lang) for c in QUIZ_COLUMNS]),
                pd.DataFrame(columns=[_t(f"column.{c}", lang) for c in QUESTION_COLUMNS]))
    gain = quiz_gain(records, quiz)
    trainees = gain.trainees.drop(columns=["key"]).rename(columns={c: _t(f"column.{c}", lang) for c in QUIZ_COLUMNS})
    questions = gain.questions.rename(columns={c: _t(f"column.{c}", lang) for c in QUESTION_COLUMNS})
    return trainees, questions


def _as_text(value: object) -> object:
    """Text as Excel must keep it: no control characters (openpyxl refuses them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def room_xlsx(records: Sequence[Mapping[str, Any]], sets: Iterable[Any], lang: str) -> bytes:
    """The room in an Excel workbook (answers.xlsx): the sheets Answers (`room_table`), Tasks
    (`task_summary`) and Quiz (each trainee's score before and after, then each question's share
    of right answers), headers frozen, counts, shares and times formatted. What trainees typed
    stays text: a name ``=1+1`` is not a formula in the file.

    >>> import io, openpyxl
    >>> book = openpyxl.load_workbook(io.BytesIO(room_xlsx(_example_records(), _example_sets(), "en")))
    >>> book.sheetnames
    ['Answers', 'Tasks', 'Quiz']
    >>> book["Answers"]["A2"].value, book["Answers"].freeze_panes
    ('Lan', 'A2')
    """
    lang = i18n.normalize_language(lang)
    sets = list(sets)
    answers = room_table(records, lang, sets)
    time_column = _t("column.last_time", lang)
    answers[time_column] = answers[time_column].dt.tz_localize(None)  # Excel has no time zones: UTC
    tasks = task_summary(records, sets, lang)
    quiz_trainees, quiz_questions = _quiz_frames(records, sets, lang)
    sheets = {"answers": answers, "tasks": tasks}
    names = {key: _t(f"sheet.{key}", lang) for key in ("answers", "tasks", "quiz")}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, frame in sheets.items():
            frame.map(_as_text).to_excel(writer, sheet_name=names[key], index=False)
        quiz_trainees.map(_as_text).to_excel(writer, sheet_name=names["quiz"], index=False)
        gap = len(quiz_trainees) + 3
        quiz_questions.map(_as_text).to_excel(writer, sheet_name=names["quiz"], index=False, startrow=gap - 1)
        formats = {
            names["answers"]: {_t("column.attempts", lang): "0", _t("column.hints", lang): "0",
                               time_column: "yyyy-mm-dd hh:mm"},
            names["tasks"]: {c: "0" for c in (_t("column.answered", lang), _t("column.right_by", lang), _t("column.stuck", lang))},
            names["quiz"]: {_t("column.before", lang): "0%", _t("column.after", lang): "0%"},
        }
        for title, sheet in writer.sheets.items():
            _finish_sheet(sheet, formats[title])
    return buffer.getvalue()


def _finish_sheet(sheet: Any, formats: Mapping[str, str]) -> None:
    """Frozen header, number formats by column title, widths, and text kept as text."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    format_of: dict[int, str] = {}
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, str) and cell.value in formats:
                format_of[cell.column] = formats[cell.value]
            elif cell.column in format_of and not isinstance(cell.value, str):
                cell.number_format = format_of[cell.column]
            if cell.data_type in ("f", "e") or (isinstance(cell.value, str) and cell.value[:1] in "=+-@"):
                cell.data_type = "s"  # openpyxl makes "=1+1" a formula and "#N/A" an error code
                cell.quotePrefix = True  # and Excel keeps it text when the trainer edits the cell
            width = len(str(cell.value)) if isinstance(cell.value, str) else 16
            widths[cell.column] = max(widths.get(cell.column, 8), min(width + 2, 60))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


# --- the examples' small room ------------------------------------------------------------------

def _record(name: str, cooperative: str, workbook: str, task: str, answers: list[tuple[str, str, str | None]],
            hints: int = 0, minute: int = 0) -> dict[str, Any]:
    from coopkit.answers import Trainee

    trainee = Trainee(name, cooperative)
    time = (dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=minute)).isoformat()
    right_at = next((time for _, status, _ in answers if status == "right"), None)
    return {
        "trainee": {"name": trainee.name, "cooperative": trainee.cooperative, "key": trainee.key},
        "workbook": workbook, "task": task, "attempts": len(answers), "hints": hints,
        "right": right_at is not None, "solution_seen": False, "first": time, "last": time, "right_at": right_at,
        "answers": [{"typed": typed, "value": None, "status": status, "mistake": mistake, "time": time}
                    for typed, status, mistake in answers],
    }


def _example_records() -> list[dict[str, Any]]:
    """A room of three: Lan finished workbook 2; Minh is stuck on the volume; Hoa opened every
    hint of the margin. Lan and Minh took the quiz (two questions) before and after."""
    lan, minh, hoa = ("Lan", "HTX Mật ong Hà Giang"), ("Minh", "HTX Rau Mộc Châu"), ("Hoa", "HTX Chè Tân Cương")
    return [
        *[_record(*lan, "break_even", task, [("1", "right", None)], minute=i) for i, task in
          enumerate(("margin", "volume", "profit_drop", "safety"))],
        _record(*minh, "break_even", "volume", [("69.231", "mistake", "divided_by_price"),
                                                ("69.230", "mistake", "divided_by_price"), ("1,0", "wrong", None)],
                minute=5),
        _record(*minh, "break_even", "margin", [("750", "right", None)], minute=6),
        _record(*hoa, "break_even", "margin", [("2.600", "wrong", None)], hints=2, minute=7),
        _record(*hoa, "break_even", "volume", [("69.231", "mistake", "divided_by_price"), ("240.000", "right", None)],
                minute=8),
        _record(*lan, QUIZ_BEFORE, "price", [("0", "right", None)]),
        _record(*lan, QUIZ_BEFORE, "volume", [("1", "wrong", None)]),
        _record(*minh, QUIZ_BEFORE, "price", [("1", "wrong", None)]),
        _record(*lan, QUIZ_AFTER, "price", [("0", "right", None)]),
        _record(*lan, QUIZ_AFTER, "volume", [("2", "right", None)]),
        _record(*minh, QUIZ_AFTER, "price", [("0", "right", None)]),
        _record(*minh, QUIZ_AFTER, "volume", [("1", "wrong", None), ("1", "wrong", None)]),
    ]


def _example_sets() -> list[Any]:
    from coopkit.exercises import exercises_dir, load_set

    return [load_set(exercises_dir() / "02_break_even.toml")]


_QUIZ = '''workbook = "quiz"
title = {vi = "Kiểm tra", en = "Quiz"}
case = {vi = "Hai câu hỏi.", en = "Two questions."}
[[task]]
id = "price"
kind = "choice"
about = "break_even"
question = {vi = "Giá nào?", en = "Which price?"}
options = {vi = ["Cao", "Thấp"], en = ["High", "Low"]}
answer = "0"
solution = {vi = "Cao.", en = "High."}
[[task]]
id = "volume"
kind = "choice"
about = "break_even"
question = {vi = "Bao nhiêu?", en = "How many?"}
options = {vi = ["Một", "Hai", "Ba"], en = ["One", "Two", "Three"]}
answer = "2"
solution = {vi = "Ba.", en = "Three."}
'''


def _example_quiz() -> Any:
    """A quiz of two questions (``price``, ``volume``), read from a temporary file."""
    import pathlib
    import tempfile

    from coopkit.exercises import load_set

    folder = pathlib.Path(tempfile.mkdtemp())
    (folder / "quiz.toml").write_text(_QUIZ, encoding="utf-8")
    return load_set(folder / "quiz.toml")
