"""Check a lesson notebook the way a trainer edits it: ``python -m coopkit.lessoncheck [notebook …]``.

What is checked (``make check-lessons`` runs it on every workbook, and so does ``make test``):

1. **Twins.** Every markdown cell carries one language tag (``lang-vi`` or ``lang-en``); each
   Vietnamese cell is followed by its English twin with the same roles, the same headings,
   list items and table rows, and the same numbers (``2.800`` in Vietnamese is ``2,800`` in
   English; whole numbers up to 12 and years may be written in words or dates in one of them).
2. **Header.** Each language has a ``header`` cell with a ``# `` title, a summary line, and the
   minutes of its entry in ``notebooks/workbooks.toml``.
3. **Numbers that the code computes.** The notebook's code runs; every number written in a cell
   tagged ``example`` must be one the code holds (a number typed in a code cell, or a value the
   code computed), as shown: ``333.334`` or ``1,2 tỷ`` matches within the last digit written,
   ``40 tấn`` also matches 40 000 kg, ``20 %`` also matches 0.2 (whole numbers up to 12, as in
   "1 kg" or "3 năm", are not checked). A worked example whose product
   was changed in the prose but not in the code (or the other way round) is reported with the
   number, the cell and the language.

A problem is a plain sentence naming the notebook, the cell (as JupyterLab numbers them) and the
language; the command exits with 1 when there is one.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coopkit import workbooks

__all__ = ["prose_numbers", "code_numbers", "check_twins", "check_header", "check_numbers", "check_notebook", "main"]

_NUMBER = {
    "vi": r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?",
    "en": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?",
}
#: Words after a number that scale it, in both languages.
_SCALE = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9}
#: Units after a number that give another reading in kilograms.
_KG = {"tấn": 1000, "t": 1000, "tonne": 1000, "tonnes": 1000, "tạ": 100, "yến": 10}
#: Tables of more numbers than this are samples (20 000 simulated seasons), not figures a lesson
#: quotes: their numbers would match almost anything in their range, so they are not counted.
_LARGEST_TABLE = 5_000
_AFTER = re.compile(r"\s*(%|[^\W\d_]+)", re.UNICODE)


@dataclasses.dataclass(frozen=True)
class ProseNumber:
    """A number as written in the prose, and the values it may stand for."""

    text: str
    value: float
    tolerance: float
    readings: tuple[float, ...]


def prose_numbers(text: str, lang: str) -> list[ProseNumber]:
    """The numbers written in ``text`` (Vietnamese or English prose), with their readings.

    >>> [(n.text, n.value) for n in prose_numbers("chi phí cố định 120 triệu đồng, 9.000 đồng/kg, hao hụt 2,5%", "vi")]
    [('120 triệu', 120000000.0), ('9.000', 9000.0), ('2,5%', 2.5)]
    >>> [n.readings for n in prose_numbers("40 tonnes", "en")]
    [(40.0, 40000.0)]

    Numbers glued to letters (P10, QH15) are names, not amounts:

    >>> prose_numbers("P10 and Law 17/2023/QH15", "en")[0].text
    '17'
    """
    pattern = re.compile(rf"(?<![\w.,/])({_NUMBER[lang]})(?![\w])")
    found = []
    for match in pattern.finditer(text):
        raw = match.group(1)
        digits = raw.replace(".", "").replace(",", ".") if lang == "vi" else raw.replace(",", "")
        value = float(digits)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        tolerance = 0.5 * 10.0 ** -decimals
        shown = raw
        readings = [value]
        after = _AFTER.match(text, match.end())
        word = after.group(1).lower() if after else ""
        if word in _SCALE:
            value *= _SCALE[word]
            tolerance *= _SCALE[word]
            readings = [value]
            shown = f"{raw} {after.group(1)}"
        elif word == "%":
            readings = [value, value / 100]
            shown = f"{raw}%"
        elif word in _KG:
            readings = [value, value * _KG[word]]
        found.append(ProseNumber(shown, value, tolerance, tuple(readings)))
    return found


def _walk(value: Any, depth: int = 0) -> Iterator[float]:
    if depth > 5:
        return
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield float(value)
        return
    module = type(value).__module__
    if module.startswith("numpy"):
        import numpy as np

        array = np.asarray(value)
        if array.dtype.kind in "iuf" and array.size <= _LARGEST_TABLE:
            yield from (float(v) for v in array.ravel())
        return
    if module.startswith("pandas"):
        import pandas as pd

        if isinstance(value, (pd.Series, pd.DataFrame)):
            frame = value.to_frame() if isinstance(value, pd.Series) else value
            numbers = frame.select_dtypes("number").to_numpy().ravel()
            if numbers.size > _LARGEST_TABLE:
                return
            yield from (float(v) for v in numbers)
            if frame.index.dtype.kind in "iuf":
                yield from (float(v) for v in frame.index)
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        if len(value) > _LARGEST_TABLE:
            return
        for item in value:
            yield from _walk(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name), depth + 1)
        for name in dir(type(value)):
            if isinstance(getattr(type(value), name, None), property) and not name.startswith("_"):
                try:
                    yield from _walk(getattr(value, name), depth + 1)
                except Exception:  # noqa: BLE001 - a property that cannot be read holds no number
                    continue


def code_numbers(sources: list[str], namespace: dict[str, Any]) -> list[float]:
    """Every number the code holds: the numbers typed in ``sources`` and the values in ``namespace``.

    >>> sorted(code_numbers(["x = 120_000_000 / 40_000"], {"x": 3000.0}))
    [3000.0, 40000.0, 120000000.0]
    """
    numbers: set[float] = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                numbers.add(float(node.value))
    for name, value in namespace.items():
        if name.startswith("_") or type(value).__module__.startswith(("ipywidgets", "coopkit.ui", "builtins")) and not isinstance(value, (int, float, list, tuple, dict)):
            continue
        numbers.update(v for v in _walk(value) if math.isfinite(v))
    return sorted(numbers)


def _cells(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict[str, Any]) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _shape(source: str) -> list[str]:
    """The skeleton of a markdown text: its headings' levels and its list items, in order."""
    shape = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            shape.append("#" * (len(stripped) - len(stripped.lstrip("#"))))
        elif re.match(r"^([-*+]|\d+\.)\s", stripped):
            shape.append("item")
        elif stripped.startswith("|") and not set(stripped) <= set("|-: "):
            shape.append("row")
    return shape


def _where(path: Path, index: int, lang: str | None = None) -> str:
    return f"{path.name}, cell {index + 1}" + (f" ({lang})" if lang else "")


def _wordy(value: float) -> bool:
    """A number one language may write in words or as a date ("1 kg" / "one kilo", "tháng 4/2020" /
    "April 2020"): whole numbers up to 12 and years; the twins need not both write it in digits."""
    return value.is_integer() and (0 <= value <= 12 or 1900 <= value <= 2100)


def check_twins(path: Path) -> list[str]:
    """Every prose cell has one language, and its twin in the other language right after it."""
    problems = []
    cells = _cells(path)
    index = 0
    while index < len(cells):
        cell = cells[index]
        if cell.get("cell_type") != "markdown":
            index += 1
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        langs = [t for t in tags if t.startswith("lang-")]
        if len(langs) != 1 or langs[0] != "lang-vi":
            problems.append(f"{_where(path, index)}: a lesson cell starts with its Vietnamese text, tagged lang-vi "
                            f"(its tags are {tags or 'none'}).")
            index += 1
            continue
        twin = cells[index + 1] if index + 1 < len(cells) else None
        twin_tags = twin.get("metadata", {}).get("tags", []) if twin else []
        if twin is None or twin.get("cell_type") != "markdown" or "lang-en" not in twin_tags:
            problems.append(f"{_where(path, index, 'vi')}: its English twin (a markdown cell tagged lang-en) must come right after it.")
            index += 1
            continue
        vi, en = _source(cell), _source(twin)
        roles = sorted(t for t in tags if t in workbooks.ROLES), sorted(t for t in twin_tags if t in workbooks.ROLES)
        if roles[0] != roles[1]:
            problems.append(f"{_where(path, index)}: the twins have different roles ({roles[0]} and {roles[1]}).")
        if _shape(vi) != _shape(en):
            problems.append(f"{_where(path, index)}: the twins differ in headings, list items or table rows "
                            f"(vi {_shape(vi)}, en {_shape(en)}).")
        vi_numbers = {round(n.value, 9) for n in prose_numbers(vi, "vi") if not _wordy(n.value)}
        en_numbers = {round(n.value, 9) for n in prose_numbers(en, "en") if not _wordy(n.value)}
        if vi_numbers != en_numbers:
            only_vi = [n.text for n in prose_numbers(vi, "vi") if round(n.value, 9) in vi_numbers - en_numbers]
            only_en = [n.text for n in prose_numbers(en, "en") if round(n.value, 9) in en_numbers - vi_numbers]
            problems.append(f"{_where(path, index)}: the twins do not say the same numbers "
                            f"(only in Vietnamese: {only_vi or '-'}; only in English: {only_en or '-'}).")
        index += 2
    return problems


def check_header(path: Path, workbook: workbooks.Workbook | None) -> list[str]:
    """The header of each language: a title, a summary, and the entry's minutes."""
    problems = []
    words = {"vi": ("Giảng", "phút", "Bài tập"), "en": ("Teaching", "min", "Exercises")}
    for lang in workbooks.LANGUAGES:
        heads = [c for c in workbooks.prose(path, lang) if "header" in c.roles]
        if not heads:
            problems.append(f"{path.name} ({lang}): no cell tagged header.")
            continue
        head = workbooks.header(path, lang)
        if head.title == path.name or not head.summary:
            problems.append(f"{_where(path, heads[0].index, lang)}: the header starts with a '# ' title and a summary line under it.")
        if workbook is None:
            continue
        teaching, unit, exercises = words[lang]
        for word, minutes in ((teaching, workbook.teaching_minutes), (exercises, workbook.exercise_minutes)):
            if not re.search(rf"{word}:?\**:?\s*{minutes}\s*{unit}", heads[0].source):
                problems.append(f"{_where(path, heads[0].index, lang)}: the header must say “{word}: {minutes} {unit}”, "
                                f"as notebooks/workbooks.toml does for {workbook.notebook}.")
    return problems


def run_notebook(path: Path) -> tuple[list[str], dict[str, Any]]:
    """Run the notebook's code cells (outside Voila) and return their sources and names."""
    sources = [_source(c) for c in _cells(path) if c.get("cell_type") == "code"]
    namespace: dict[str, Any] = {"__name__": "__lesson__"}
    folder = os.getcwd()
    os.chdir(path.parent)
    try:
        for source in sources:
            exec(compile(source, str(path), "exec"), namespace)  # noqa: S102 - the trainer's own notebook
    finally:
        os.chdir(folder)
    return sources, namespace


def _matches(number: ProseNumber, known: list[float]) -> bool:
    import bisect

    for reading in number.readings:
        tolerance = number.tolerance * (reading / number.value if number.value else 1) + 1e-9 * abs(reading)
        for target in (reading, -reading):
            at = bisect.bisect_left(known, target - tolerance)
            if at < len(known) and known[at] <= target + tolerance:
                return True
    return False


def check_numbers(path: Path, sources: list[str], namespace: dict[str, Any]) -> list[str]:
    """Every number of the ``example`` cells is one that the code holds."""
    known = code_numbers(sources, namespace)
    problems = []
    for lang in workbooks.LANGUAGES:
        for cell in workbooks.prose(path, lang):
            if "example" not in cell.roles:
                continue
            for number in prose_numbers(cell.source, lang):
                if not (number.value.is_integer() and 0 <= number.value <= 12) and not _matches(number, known):
                    problems.append(f"{_where(path, cell.index, lang)}: the number {number.text} is not one the code "
                                    f"below computes or is given; change the prose or the code so that they agree.")
    return problems


def check_notebook(path: str | os.PathLike[str]) -> list[str]:
    """Every problem of one lesson notebook (an empty list when it is sound)."""
    path = Path(path).resolve()
    workbook = next((w for w in workbooks.workbooks() if w.notebook == path.name), None)
    problems = check_twins(path) + check_header(path, workbook if path.name not in workbooks.PAGES.values() else None)
    sources, namespace = run_notebook(path)
    return problems + check_numbers(path, sources, namespace)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to check (default: the start page and every workbook)")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or [workbooks.notebooks_dir() / page for page in workbooks.PAGES.values()] + [w.path() for w in workbooks.workbooks()]
    problems = [problem for path in paths for problem in check_notebook(path)]
    for problem in problems:
        print(problem)
    print(f"{len(paths)} notebook(s) checked: " + (f"{len(problems)} problem(s)." if problems else "all sound."))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
