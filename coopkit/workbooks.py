"""The workbooks: one entry each in ``notebooks/workbooks.toml``, the lesson in the notebook.

A workbook is a notebook that is a lesson and a Voila app. What the code needs to know about it
is written once, in ``notebooks/workbooks.toml`` (the notebook, the lesson's name, its app and
default product, its minutes; the order of the entries is the order on the start page). What a
manager reads is written once too, in the notebook's markdown cells: Vietnamese and English side
by side, each cell tagged with its language (``lang-vi``, ``lang-en``) and, for some, its role:

``header``
    title (``# …``), a one-line summary (the first paragraph), audience and minutes, questions
    and objectives; the start page lists the title and the summary.
``example``
    a worked example with its working; every number in it is checked against the code
    (``tests/test_lessons.py``), and the answer is printed by the code cell that follows.
``key-points``, ``formulas``
    what to remember, and the formula card of the handout.
``worksheet``
    a blank table for the cooperative's own numbers: printed in the handout, not shown on screen.
``screen-only``
    words about the app on the page ("try your own numbers"): shown on screen, not printed.

Voila shows the cells of the visitor's language only (the ``coopkit`` template); JupyterLab and
GitHub show both, one after the other.

>>> [w.notebook for w in workbooks()][:2]
['01_unit_cost.ipynb', '02_break_even.ipynb']
>>> find("break_even").app
'coopkit.ui:BreakEvenApp'
>>> header(find("break_even"), "en").title
'2. Break-even: how much must we sell not to lose money?'
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopkit.errors import InputError

__all__ = [
    "LANGUAGES",
    "ROLES",
    "Workbook",
    "ProseCell",
    "Header",
    "notebooks_dir",
    "workbooks",
    "load_workbooks",
    "find",
    "prose",
    "header",
    "START",
    "PAGES",
]

#: The languages a lesson is written in, in the order their twin cells come.
LANGUAGES: tuple[str, ...] = ("vi", "en")
#: The roles a prose cell may carry besides its language (see the module's docstring).
ROLES: tuple[str, ...] = ("header", "example", "key-points", "formulas", "worksheet", "screen-only")
#: The start page: not a workbook, but a lesson page with a header of its own.
START = "00_start.ipynb"
#: Pages that are not workbooks, by the name their ``Lesson(…)`` uses: the start page, the
#: before/after quiz and the trainer's view of the room. Their lesson format is the same.
PAGES: dict[str, str] = {"start": START, "quiz": "quiz.ipynb", "trainer": "trainer.ipynb"}
#: The registry's file name, in the notebooks folder.
REGISTRY = "workbooks.toml"
_KEYS = {"notebook", "lesson", "app", "product", "options", "teaching_minutes", "exercise_minutes"}
_REQUIRED = ("notebook", "lesson", "app", "teaching_minutes", "exercise_minutes")


@dataclass(frozen=True)
class Workbook:
    """One workbook: its notebook, lesson name, app (``"module:Class"``) and minutes.

    >>> w = Workbook("01_unit_cost.ipynb", "unit_cost", "coopkit.ui:UnitCostApp",
    ...              teaching_minutes=30, exercise_minutes=25, product="ca_phe_nhan_son_la")
    >>> w.app_options()
    {'product': 'ca_phe_nhan_son_la'}
    >>> w.minutes
    55
    """

    notebook: str
    lesson: str
    app: str
    teaching_minutes: int
    exercise_minutes: int
    product: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    number: int = 0

    @property
    def minutes(self) -> int:
        """Teaching and exercises together."""
        return self.teaching_minutes + self.exercise_minutes

    def app_options(self) -> dict[str, Any]:
        """The keyword arguments the app is built with: the product, then the other options."""
        return ({"product": self.product} if self.product else {}) | dict(self.options)

    def app_class(self) -> type:
        """The app's class, imported from ``"module:Class"``."""
        import importlib

        module, _, name = self.app.partition(":")
        return getattr(importlib.import_module(module), name)

    def path(self, folder: str | os.PathLike[str] | None = None) -> Path:
        """The notebook's file."""
        return (Path(folder) if folder is not None else notebooks_dir()) / self.notebook


@dataclass(frozen=True)
class ProseCell:
    """One markdown cell of a lesson: its place among the notebook's cells, language, roles, text."""

    index: int
    lang: str | None
    roles: tuple[str, ...]
    source: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    """The start of a lesson in one language: the title and the one-line summary under it."""

    title: str
    summary: str


def notebooks_dir() -> Path:
    """The notebooks folder: ``COOPKIT_NOTEBOOKS`` when set, else the working folder when it holds a
    ``workbooks.toml`` (Voila runs a page's kernel in the notebook's folder, so a page reads the
    lessons it is served from), else ``notebooks/`` of the repository.

    >>> (notebooks_dir() / REGISTRY).is_file()
    True
    """
    folder = os.environ.get("COOPKIT_NOTEBOOKS")
    if folder:
        return Path(folder).expanduser().resolve()
    here = Path.cwd()
    if (here / REGISTRY).is_file():
        return here.resolve()
    return Path(__file__).resolve().parent.parent / "notebooks"


def _bad(entry: object, key: str, problem: str, file: str, **params: Any) -> InputError:
    return InputError(key, reason=f"workbook_{problem}", value=params.pop("value", None), file=file, entry=entry, key=key, **params)


def load_workbooks(path: str | os.PathLike[str] | None = None) -> tuple[Workbook, ...]:
    """Read and check the registry; raise `InputError` naming the file, the entry and the key.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "workbooks.toml").write_text('[[workbook]]\\nnotebook = "01_a.ipynb"\\nlesson = "a"\\n')
    >>> try:
    ...     load_workbooks(folder / "workbooks.toml")
    ... except InputError as err:
    ...     print(err.message("en"))
    File “workbooks.toml”, workbook 1 (01_a.ipynb): “app” is missing.
    """
    file = Path(path) if path is not None else notebooks_dir() / REGISTRY
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError("workbook", reason="workbook_not_toml", value=str(err), file=file.name) from None
    entries = data.get("workbook", [])
    result: list[Workbook] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        name = entry.get("notebook", number) if isinstance(entry, dict) else number
        label = f"{number} ({name})" if name != number else str(number)
        for key in _REQUIRED:
            if key not in entry:
                raise _bad(label, key, "missing", file.name)
        for key in entry:
            if key not in _KEYS:
                raise _bad(label, key, "unknown_key", file.name)
        for key in ("notebook", "lesson", "app") + (("product",) if "product" in entry else ()):
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise _bad(label, key, "not_text", file.name, value=entry[key])
        for key in ("teaching_minutes", "exercise_minutes"):
            minutes = entry[key]
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 600:
                raise _bad(label, key, "bad_minutes", file.name, value=minutes)
        if not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", entry["app"]):
            raise _bad(label, "app", "bad_app", file.name, value=entry["app"])
        if not entry["notebook"].endswith(".ipynb") or "/" in entry["notebook"]:
            raise _bad(label, "notebook", "bad_notebook", file.name, value=entry["notebook"])
        options = entry.get("options", {})
        if not isinstance(options, dict):
            raise _bad(label, "options", "not_table", file.name)
        for key in ("notebook", "lesson"):
            if (entry[key], key) in seen:
                raise _bad(label, key, "duplicate", file.name, value=entry[key], other=seen[(entry[key], key)])
            seen[(entry[key], key)] = number
        result.append(Workbook(
            notebook=entry["notebook"], lesson=entry["lesson"], app=entry["app"],
            teaching_minutes=entry["teaching_minutes"], exercise_minutes=entry["exercise_minutes"],
            product=entry.get("product"), options=dict(options), number=number,
        ))
    return tuple(result)


@functools.cache
def _cached(folder: Path) -> tuple[Workbook, ...]:
    return load_workbooks(folder / REGISTRY)


def workbooks() -> tuple[Workbook, ...]:
    """The workbooks in the order of the start page (``notebooks/workbooks.toml``)."""
    return _cached(notebooks_dir())


def find(lesson: str) -> Workbook:
    """The workbook whose lesson is ``lesson`` (or whose notebook is ``lesson``).

    >>> find("04_what_if_pricing.ipynb").lesson
    'what_if'
    """
    for workbook in workbooks():
        if lesson in (workbook.lesson, workbook.notebook):
            return workbook
    raise InputError("lesson", reason="workbook_unknown", value=lesson)


def _tags(cell: dict[str, Any]) -> tuple[str, ...]:
    return tuple(cell.get("metadata", {}).get("tags", ()))


def prose(notebook: str | os.PathLike[str] | Workbook, lang: str | None = None) -> list[ProseCell]:
    """The lesson's markdown cells (of one language when ``lang`` is given), in the notebook's order.

    >>> cells = prose(find("break_even"), "vi")
    >>> cells[0].roles, cells[0].source.splitlines()[0]
    (('header',), '# 2. Hòa vốn: phải bán bao nhiêu để không lỗ?')
    """
    path = notebook.path() if isinstance(notebook, Workbook) else Path(notebook)
    if not path.is_absolute() and not path.exists():
        path = notebooks_dir() / path
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        tags = _tags(cell)
        langs = [t.removeprefix("lang-") for t in tags if t.startswith("lang-")]
        cell_lang = langs[0] if len(langs) == 1 else None
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if lang is None or cell_lang == lang:
            found.append(ProseCell(index, cell_lang, tuple(t for t in tags if t in ROLES), source, tags))
    return found


_EMPHASIS = re.compile(r"^[*_]+|[*_]+$")


def header(notebook: str | os.PathLike[str] | Workbook, lang: str) -> Header:
    """The title and the summary of a lesson in ``lang``, read from its ``header`` cell.

    The title is the cell's first ``# `` line; the summary is the first paragraph after it,
    without its emphasis. A notebook without a header in ``lang`` gives its file name.

    >>> header(START, "vi").title
    'coopkit — Sổ tay tính giá cho hợp tác xã'
    """
    name = notebook.notebook if isinstance(notebook, Workbook) else Path(notebook).name
    for cell in prose(notebook, lang):
        if "header" not in cell.roles:
            continue
        lines = cell.source.splitlines()
        titles = [i for i, line in enumerate(lines) if line.startswith("# ")]
        if not titles:
            break
        title = lines[titles[0]][2:].strip()
        paragraph: list[str] = []
        for line in lines[titles[0] + 1:]:
            if line.strip():
                paragraph.append(line.strip())
            elif paragraph:
                break
        summary = _EMPHASIS.sub("", " ".join(paragraph)).strip()
        return Header(title, summary)
    return Header(name, "")
