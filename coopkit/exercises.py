"""Exercises that check themselves: a case, tasks, known mistakes, a hint ladder, a solution.

An exercise set is data a trainer can edit: ``exercises/<notebook>.toml`` (one per workbook, and
``exercises/quiz.toml`` for the before/after quiz). A set tells a short case with named inputs;
each task asks one question whose answer is a *call of coopkit's own functions* on those inputs,
written as a small formula in the file (never a number typed by hand)::

    [inputs]
    price = 2_800
    variable_cost = 1_900
    fixed_costs = 300_000_000

    [[task]]
    id = "volume"
    kind = "count"
    answer = "break_even_volume(fixed_costs, price, variable_cost)"

A formula may use the set's inputs, the named ``values`` before it, numbers, + − × ÷ and
powers, comparisons and ``a if condition else b``, lists (also ``[m.name for m in members]``),
attributes and items of a result
(``plan.months[0]``), and calls of coopkit's public domain functions and of ``min``, ``max``,
``abs``, ``round``, ``sum``, ``len``, ``argmax``, ``argmin``. Nothing else runs: no import, no
name starting with ``_``. `load_set` checks a file as soon as it is read and raises
`~coopkit.errors.InputError` naming the file, the task and the key, in the reader's language.

Answers are typed the way the page writes numbers, with units: ``1.250.000``, ``1,25 triệu``,
``30,5 %``, ``12 tạ``; `ExerciseSet.check` reads them and says right, a known mistake (with its
own explanation), or not yet. The model is learntools' ``Problem`` (check, hints, solution).

>>> s = load_set(exercises_dir() / "02_break_even.toml")
>>> task = s.task("volume")
>>> s.check(task, "not a number", "en").status
'unreadable'
>>> wrong = s.check(task, "1", "en")
>>> wrong.status, wrong.right
('wrong', False)
"""

from __future__ import annotations

import ast
import functools
import math
import numbers
import operator
import os
import re
import string
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from coopkit import fmt, i18n
from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.units import WEIGHT_UNITS_KG

__all__ = [
    "KINDS",
    "Text",
    "Mistake",
    "Task",
    "Verdict",
    "ExerciseSet",
    "exercises_dir",
    "load_set",
    "exercise_sets",
    "set_for",
    "evaluate",
    "read_answer",
    "answer_sheet",
]

register_fields({"answer": "number", "exercise": "text"})

#: What an answer is: an amount of đồng, a rate (typed in %), a plain number, a whole count, a
#: weight (the task's ``unit`` says which: kg, yến, tạ or tấn), or one of the task's options.
KINDS = ("money", "rate", "number", "count", "weight", "choice")
#: Default tolerance of each kind, relative to the answer, and the absolute floor (half a unit
#: for a count, a twentieth of a percentage point for a rate).
_TOLERANCE = {"money": 0.01, "rate": 0.01, "number": 0.01, "count": 0.005, "weight": 0.01, "choice": 0.0}
_FLOOR = {"money": 0.5, "rate": 0.0005, "number": 1e-9, "count": 0.5, "weight": 1e-9, "choice": 0.0}
MAX_HINTS = 3
_SET_KEYS = {"workbook", "title", "case", "inputs", "values", "task"}
_TASK_KEYS = {"id", "kind", "question", "answer", "unit", "options", "tolerance", "hints", "solution",
              "mistake", "inputs", "values", "use_app", "about"}
_MISTAKE_KEYS = {"id", "answer", "message"}
QUIZ = "quiz"


@dataclass(frozen=True)
class Text:
    """One text in both languages; it may name inputs and values: ``{price:money}``.

    >>> Text(vi="Giá bán", en="Price").get("en")
    'Price'
    """

    vi: str
    en: str

    def get(self, lang: str | None) -> str:
        return self.vi if i18n.normalize_language(lang) == "vi" else self.en


@dataclass(frozen=True)
class Mistake:
    """A wrong answer the trainer expects, the formula that gives it, and what to say.

    >>> task = load_set(exercises_dir() / "02_break_even.toml").task("volume")
    >>> [(m.id, m.answer) for m in task.mistakes][0]
    ('divided_by_price', 'fixed_costs / price')
    """

    id: str
    answer: str
    message: Text


@dataclass(frozen=True)
class Task:
    """One question of a set (see the module's documentation for the keys).

    >>> task = load_set(exercises_dir() / "02_break_even.toml").task("volume")
    >>> task.kind, task.answer, len(task.hints)
    ('count', 'break_even_volume(fixed_costs, price, variable_cost)', 3)
    """

    id: str
    kind: str
    question: Text
    answer: str
    hints: tuple[Text, ...]
    solution: Text
    mistakes: tuple[Mistake, ...] = ()
    unit: str | None = None
    options: tuple[Text, ...] = ()
    tolerance: float | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    use_app: bool = False
    about: str | None = None


@dataclass(frozen=True)
class Verdict:
    """What the check says: ``status`` is ``right``, ``mistake`` (a known one: ``mistake`` names
    it), ``wrong`` or ``unreadable``; ``message`` is the sentence to show; ``value`` what was read.

    >>> verdict = Verdict("right", "Right!", 240_000.0)
    >>> verdict.right, verdict.mistake
    (True, None)
    """

    status: Literal["right", "mistake", "wrong", "unreadable"]
    message: str
    value: float | None = None
    mistake: str | None = None

    @property
    def right(self) -> bool:
        return self.status == "right"


# --- formulas -----------------------------------------------------------------------------------

def argmax(values: Sequence[float]) -> int:
    """The place (from 0) of the largest of ``values``."""
    items = list(values)
    return max(range(len(items)), key=items.__getitem__)


def argmin(values: Sequence[float]) -> int:
    """The place (from 0) of the smallest of ``values``."""
    items = list(values)
    return min(range(len(items)), key=items.__getitem__)


_DOMAIN_MODULES = ("costs", "breakeven", "pricing", "whatif", "yields", "risk", "investment", "loans",
                   "cashflow", "members", "flock", "cropmix", "processing", "demand", "units", "roots", "ocop",
                   "data", "models")
_BUILTINS: dict[str, Callable[..., Any]] = {
    "min": min, "max": max, "abs": abs, "round": round, "sum": sum, "len": len,
    "argmax": argmax, "argmin": argmin, "float": float, "int": int,
}
#: Methods of a result a formula may call besides those of coopkit's own results (which are
#: pure): they read, never write (``to_csv`` may not run).
_METHODS = frozenset({
    "sum", "min", "max", "mean", "median", "idxmin", "idxmax", "argmin", "argmax", "round", "abs", "tolist",
    "item", "lt", "le", "gt", "ge", "eq", "ne", "cumsum", "count", "get", "keys", "values", "items",
    "nlargest", "nsmallest", "sort_values", "head", "tail", "index", "quantile", "prod", "diff",
    "set_index", "reset_index", "sort_index", "to_dict", "to_list", "unique", "any", "all", "std", "astype",
})
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}


@functools.cache
def _functions() -> dict[str, Callable[..., Any]]:
    """Every public name of coopkit's domain modules, and the few builtins formulas may call."""
    import importlib

    names: dict[str, Callable[..., Any]] = {}
    for module_name in _DOMAIN_MODULES:
        module = importlib.import_module(f"coopkit.{module_name}")
        for name in getattr(module, "__all__", ()):
            names[name] = getattr(module, name)
    return names | _BUILTINS


class _FormulaError(Exception):
    """A formula that may not run here, or that fails; ``str`` says why (in English, for authors)."""


def _value(node: ast.AST, names: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _value(node.body, names)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return node.value
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise _FormulaError(f"the name {node.id!r} may not be used")
        if node.id in names:
            return names[node.id]
        if node.id in _functions():
            return _functions()[node.id]
        raise _FormulaError(f"{node.id!r} is not an input, a value or a coopkit function")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_value(node.left, names), _value(node.right, names))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        operand = _value(node.operand, names)
        return -operand if isinstance(node.op, ast.USub) else (not operand if isinstance(node.op, ast.Not) else +operand)
    if isinstance(node, ast.BoolOp):
        results = [_value(v, names) for v in node.values]
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = _value(node.left, names)
        for op, right_node in zip(node.ops, node.comparators):
            if type(op) not in _COMPARE:
                raise _FormulaError("only < <= > >= == != compare here")
            right = _value(right_node, names)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return _value(node.body if _value(node.test, names) else node.orelse, names)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_value(item, names) for item in node.elts]
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _FormulaError("{**…} is not allowed in a formula")
        return {_value(k, names): _value(v, names) for k, v in zip(node.keys, node.values)}
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)) and len(node.generators) == 1:
        loop = node.generators[0]
        if not isinstance(loop.target, ast.Name) or loop.target.id.startswith("_") or loop.is_async:
            raise _FormulaError("a list may only be made as [x … for x in items if …]")
        made = []
        for item in _value(loop.iter, names):
            inner = {**names, loop.target.id: item}
            if all(_value(test, inner) for test in loop.ifs):
                made.append(_value(node.elt, inner))
        return made
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise _FormulaError(f"the attribute {node.attr!r} may not be used")
        owner = _value(node.value, names)
        if isinstance(owner, type) or callable(owner) and not hasattr(owner, "__self__"):
            raise _FormulaError(f"{node.attr!r} of a function or class may not be used")
        return getattr(owner, node.attr)
    if isinstance(node, ast.Subscript):
        return _value(node.value, names)[_value(node.slice, names)]
    if isinstance(node, ast.Call):
        function = _value(node.func, names)
        if not callable(function):
            raise _FormulaError("only functions can be called")
        owner_module = type(getattr(function, "__self__", None)).__module__
        if isinstance(node.func, ast.Attribute) and node.func.attr not in _METHODS and not owner_module.startswith("coopkit."):
            raise _FormulaError(f"the method {node.func.attr!r} may not be called in a formula "
                                f"(these may: {', '.join(sorted(_METHODS))})")
        args = [_value(a, names) for a in node.args]
        kwargs = {k.arg: _value(k.value, names) for k in node.keywords if k.arg is not None}
        return function(*args, **kwargs)
    raise _FormulaError(f"“{ast.unparse(node)}” is not allowed in a formula")


def evaluate(formula: str, names: Mapping[str, Any]) -> Any:
    """The value of ``formula`` with ``names`` (the case's inputs and values).

    >>> evaluate("break_even_volume(300_000_000, 2_800, 1_900)", {})
    333333.3333333333
    >>> evaluate("(price - cost) / price", {"price": 2_800, "cost": 1_900})
    0.32142857142857145
    >>> evaluate("__import__('os')", {})
    Traceback (most recent call last):
    ...
    coopkit.exercises._FormulaError: the name '__import__' may not be used
    """
    try:
        tree = ast.parse("(" + str(formula).strip() + "\n)", mode="eval")  # a formula may span lines
    except SyntaxError as err:
        raise _FormulaError(f"cannot be read: {err.msg}") from None
    return _value(tree, names)


# --- reading an answer --------------------------------------------------------------------------

def _plain(text: str) -> str:
    """Lower case without diacritics: ``"Tạ"`` → ``"ta"``, ``"triệu"`` → ``"trieu"``."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


_SCALES = {"nghin": 1e3, "ngan": 1e3, "k": 1e3, "thousand": 1e3, "trieu": 1e6, "tr": 1e6,
           "million": 1e6, "millions": 1e6, "ty": 1e9, "ti": 1e9, "billion": 1e9, "billions": 1e9}
_CURRENCY = {"d", "dong", "vnd", "₫"}
_WEIGHTS = {"kg": "kg", "kilo": "kg", "kilos": "kg", "yen": "yen", "ta": "ta", "quintal": "ta", "quintals": "ta",
            "tan": "tan", "tonne": "tan", "tonnes": "tan", "ton": "tan", "tons": "tan", "t": "tan"}


def read_answer(typed: object, kind: str, lang: str | None, unit: str | None = None) -> list[float]:
    """The numbers ``typed`` may mean, in the task's units (a rate as a fraction, a weight in
    ``unit``). Most answers have one reading; a rate typed without ``%`` and at most 1 has two
    (``0,2`` may be 20 % or 0,2 %), and the check accepts either.

    Raises `InputError` (field ``answer``) when it holds no number.

    >>> read_answer("1.250.000 ₫", "money", "vi"), read_answer("1,25 triệu", "money", "vi")
    ([1250000.0], [1250000.0])
    >>> read_answer("30,5 %", "rate", "vi"), read_answer("30.5", "rate", "vi")
    ([0.305], [0.305])
    >>> read_answer("12 tạ", "weight", "vi", unit="kg"), read_answer("1.200", "weight", "vi", unit="ta")
    ([1200.0], [1200.0])
    >>> read_answer("₫1,250,000", "money", "en"), read_answer("-₫5,000", "money", "en")
    ([1250000.0], [-5000.0])
    >>> read_answer("0,2", "rate", "vi")
    [0.002, 0.2]
    """
    from coopkit.validate import parse_number

    lang = i18n.normalize_language(lang)
    raw = "" if typed is None else str(typed).strip()
    if not raw:
        raise InputError("answer", reason="empty")
    raw = re.sub(r"(?i)^([-+−]?)\s*(₫|vnđ|vnd)\s*", r"\1", raw)  # "₫1,250,000" as an English page writes it
    found = re.fullmatch(r"([-+−]?\s*[\d][\d.,\s\u00a0\u202f]*)(.*)", raw)
    if found is None:
        raise InputError("answer", reason="answer_not_a_number", text=raw[:20])
    number_text = re.sub(r"[\s\u00a0\u202f]", "", found.group(1)).replace("−", "-").rstrip(".,")
    words = [w for w in re.split(r"[\s/]+", _plain(found.group(2)).replace("%", " % ")) if w]
    quoted = raw if len(raw) <= 20 else raw[:19] + "…"
    number = None
    for reading in (lang, "en" if lang == "vi" else "vi"):
        try:
            number = parse_number(number_text, reading, field="answer")
            break
        except InputError as err:
            if err.reason == "not_finite":
                raise InputError("answer", reason="answer_too_large", text=quoted) from None
    if number is None:
        raise InputError("answer", reason="answer_not_a_number", text=quoted)
    if abs(number) > 1e15:  # a thousand times the largest amount any box of coopkit takes
        raise InputError("answer", reason="answer_too_large", text=quoted)
    percent = False
    weight_unit: str | None = None
    for word in words[:3]:  # "1,2 triệu đồng/kg": the words that change the number come first
        if word in _SCALES and kind in ("money", "number", "count"):
            number *= _SCALES[word]
        elif word == "%":
            percent = True
        elif word in _WEIGHTS and kind == "weight" and weight_unit is None:
            weight_unit = _WEIGHTS[word]
    if kind == "weight" and unit and weight_unit and weight_unit != unit:
        number = number * WEIGHT_UNITS_KG[weight_unit] / WEIGHT_UNITS_KG[unit]
    if kind == "rate":
        if percent or abs(number) > 1:
            return [number / 100]
        return [number / 100, number]
    return [number]


# --- sets ---------------------------------------------------------------------------------------

class _Formatter(string.Formatter):
    """Fills ``{name}`` and ``{name:kind}`` in a text with the case's numbers, in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def weight(self, amount: float, unit: str) -> str:
        """``amount`` of ``unit`` (already in that unit), with the unit's short name."""
        decimals = 2 if abs(amount) < 100 else 0
        return f"{fmt.number(amount, self.lang, decimals=decimals)} {i18n.tr(f'exercise.unit_short_{unit}', self.lang)}"

    def format_field(self, value: Any, format_spec: str) -> str:
        spec = format_spec.strip()
        if spec in WEIGHT_UNITS_KG:  # a weight in kg, shown in the unit named
            return self.weight(float(value) / WEIGHT_UNITS_KG[spec], spec)
        if spec in ("money", "rate", "count", "number"):
            return fmt.by_kind(float(value), spec, self.lang)
        if spec == "rate2":  # a small rate, such as 0,75 % a month
            return fmt.percent(float(value), self.lang, decimals=2)
        if spec.startswith("million"):
            return f"{fmt.number(float(value) / 1e6, self.lang, decimals=1)} {i18n.tr('exercise.million', self.lang)}"
        if spec == "month":
            return fmt.month_name(int(value), self.lang, in_sentence=True)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, numbers.Real):
            return fmt.by_kind(float(value), "number", self.lang)
        return super().format_field(value, spec)


def _bad(file: str, entry: str, key: str, what: str, **params: Any) -> InputError:
    return InputError("exercise", reason=f"exercise_{what}", file=file, entry=entry, key=key, **params)


def _text(raw: object, file: str, entry: str, key: str) -> Text:
    if isinstance(raw, str):
        raise _bad(file, entry, key, "needs_languages")
    if not isinstance(raw, dict) or set(raw) != {"vi", "en"}:
        raise _bad(file, entry, key, "needs_languages")
    for lang in ("vi", "en"):
        if not isinstance(raw[lang], str) or not raw[lang].strip():
            raise _bad(file, entry, key, "empty_text", lang=lang)
    return Text(vi=raw["vi"].strip(), en=raw["en"].strip())


def _texts(raw: object, file: str, entry: str, key: str) -> tuple[Text, ...]:
    """A list of texts given as ``key.vi = [...]`` and ``key.en = [...]``."""
    if not isinstance(raw, dict) or set(raw) != {"vi", "en"} or not all(isinstance(raw[x], list) for x in raw):
        raise _bad(file, entry, key, "needs_language_lists")
    if len(raw["vi"]) != len(raw["en"]):
        raise _bad(file, entry, key, "lists_differ", vi=len(raw["vi"]), en=len(raw["en"]))
    return tuple(_text({"vi": vi, "en": en}, file, entry, key) for vi, en in zip(raw["vi"], raw["en"]))


@dataclass(frozen=True)
class ExerciseSet:
    """The exercises of one workbook (or the quiz): a case, its inputs and its tasks.

    An egg cooperative sells at 2 600 đồng an egg; how many eggs to break even? A manager who
    divides the fixed costs by the whole price is told why that is not it:

    >>> eggs = load_set(exercises_dir() / "02_break_even.toml")
    >>> task = eggs.task("volume")
    >>> eggs.expected(task)
    240000.0
    >>> eggs.check(task, "240.000 quả", "vi").message
    'Đúng rồi!'
    >>> print(eggs.check(task, "69,231", "en").message)
    You divided by the whole price. Each egg first pays its own variable cost; only what is left (the contribution margin) goes to the fixed costs.
    """

    workbook: str
    file: Path
    title: Text
    case: Text
    inputs: Mapping[str, Any]
    values: Mapping[str, str]
    tasks: tuple[Task, ...]
    #: The names computed for each task (formulas are pure: computed once per set and task).
    _computed: dict[str | None, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def names(self, task: Task | None = None) -> dict[str, Any]:
        """The case's inputs (the task's own inputs over them), the case's values computed from
        those, then the task's values."""
        key = task.id if task is not None else None
        if key not in self._computed:
            names: dict[str, Any] = dict(self.inputs) | (dict(task.inputs) if task is not None else {})
            for name, formula in self.values.items():
                names[name] = evaluate(formula, names)
            if task is not None:
                for name, formula in task.values.items():
                    names[name] = evaluate(formula, names)
            self._computed[key] = names
        return dict(self._computed[key])

    def expected(self, task: Task) -> float:
        """The right answer, computed by coopkit's functions from the case (an option's place for
        a choice; a rate as a fraction; a weight in the task's unit)."""
        value = evaluate(task.answer, self.names(task))
        return int(value) if task.kind == "choice" else float(value)

    def mistake_values(self, task: Task) -> dict[str, float]:
        names = self.names(task)
        return {m.id: float(evaluate(m.answer, names)) for m in task.mistakes}

    def close(self, task: Task, given: float, target: float) -> bool:
        """Whether ``given`` is ``target`` within the task's tolerance."""
        if task.kind == "choice":
            return int(given) == int(target)
        tolerance = _TOLERANCE[task.kind] if task.tolerance is None else task.tolerance
        return abs(given - target) <= max(tolerance * abs(target), _FLOOR[task.kind])

    def check(self, task: Task, typed: object, lang: str | None = None, *, words: str | None = None) -> Verdict:
        """Check what the manager typed (or the option chosen, as its place) against the answer.

        ``typed`` is read the way a page in ``lang`` writes numbers; the verdict is worded in
        ``words`` (default ``lang``): a page switched to English after a check still reads
        ``240.000`` as typed on the Vietnamese page.
        """
        read_lang = i18n.normalize_language(lang)
        lang = i18n.normalize_language(words or lang)
        try:
            if task.kind == "choice":
                if isinstance(typed, bool) or not isinstance(typed, int) or not 0 <= typed < len(task.options):
                    raise InputError("answer", reason="answer_choose")
                readings = [float(typed)]
            else:
                readings = read_answer(typed, task.kind, read_lang, task.unit)
        except InputError as err:
            return Verdict("unreadable", err.message(lang))
        expected = self.expected(task)
        for reading in readings:
            if self.close(task, reading, expected):
                return Verdict("right", i18n.tr("exercise.right", lang), reading)
        mistakes = self.mistake_values(task)
        for mistake in task.mistakes:
            for reading in readings:
                if self.close(task, reading, mistakes[mistake.id]):
                    return Verdict("mistake", self.say(task, mistake.message, lang), reading, mistake.id)
        return Verdict("wrong", i18n.tr("exercise.not_yet", lang), readings[0])

    def say(self, task: Task | None, text: Text, lang: str | None, *, with_answer: bool = False) -> str:
        """``text`` in ``lang`` with its ``{names}`` filled (``{answer}`` only in a solution)."""
        lang = i18n.normalize_language(lang)
        names = self.names(task)
        if with_answer and task is not None:
            names["answer"] = self.shown_answer(task, lang)
        return _Formatter(lang).vformat(text.get(lang), (), names)

    def shown_answer(self, task: Task, lang: str | None) -> str:
        """The answer as the solution shows it: formatted by its kind, or the option's words."""
        lang = i18n.normalize_language(lang)
        value = self.expected(task)
        if task.kind == "choice":
            return self.say(task, task.options[int(value)], lang)
        if task.kind == "weight":
            return _Formatter(lang).weight(value, task.unit or "kg")
        return fmt.by_kind(value, task.kind, lang)

    def solution(self, task: Task, lang: str | None) -> str:
        return self.say(task, task.solution, lang, with_answer=True)

    def question(self, task: Task, lang: str | None) -> str:
        return self.say(task, task.question, lang)

    def hints(self, task: Task, lang: str | None) -> list[str]:
        return [self.say(task, hint, lang) for hint in task.hints]

    def options(self, task: Task, lang: str | None) -> list[str]:
        return [self.say(task, option, lang) for option in task.options]

    def case_text(self, lang: str | None) -> str:
        return self.say(None, self.case, lang)


def _formula(raw: object, file: str, entry: str, key: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _bad(file, entry, key, "needs_formula")
    return raw.strip()


def _run(formula: str, names: Mapping[str, Any], file: str, entry: str, key: str) -> Any:
    try:
        return evaluate(formula, names)
    except InputError as err:
        raise _bad(file, entry, key, "formula_fails", problem=err.message("en"), formula=formula) from None
    except _FormulaError as err:
        raise _bad(file, entry, key, "formula_fails", problem=str(err), formula=formula) from None
    except Exception as err:  # an author's formula: say what went wrong, with the formula
        raise _bad(file, entry, key, "formula_fails", problem=f"{type(err).__name__}: {err}", formula=formula) from None


def _parse_task(raw: Any, number: int, file: str, quiz: bool) -> Task:
    if not isinstance(raw, dict):
        raise _bad(file, str(number), "task", "not_table")
    entry = f"{number} ({raw.get('id', '?')})"
    for key in ("id", "kind", "question", "answer", "solution"):
        if key not in raw:
            raise _bad(file, entry, key, "missing")
    for key in raw:
        if key not in _TASK_KEYS:
            raise _bad(file, entry, key, "unknown_key", known=", ".join(sorted(_TASK_KEYS)))
    if not isinstance(raw["id"], str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", raw["id"]):
        raise _bad(file, entry, "id", "bad_id")
    kind = raw["kind"]
    if kind not in KINDS:
        raise _bad(file, entry, "kind", "bad_kind", value=kind, kinds=", ".join(KINDS))
    unit = raw.get("unit")
    if kind == "weight" and unit not in WEIGHT_UNITS_KG:
        raise _bad(file, entry, "unit", "bad_unit", value=unit, units=", ".join(WEIGHT_UNITS_KG))
    if kind != "weight" and unit is not None:
        raise _bad(file, entry, "unit", "unit_only_weight")
    options = _texts(raw["options"], file, entry, "options") if "options" in raw else ()
    if kind == "choice" and not 2 <= len(options) <= 6:
        raise _bad(file, entry, "options", "bad_options")
    if kind != "choice" and options:
        raise _bad(file, entry, "options", "options_only_choice")
    hints = _texts(raw.get("hints", {"vi": [], "en": []}), file, entry, "hints")
    if len(hints) > MAX_HINTS or (not quiz and not hints):
        raise _bad(file, entry, "hints", "bad_hints", most=MAX_HINTS)
    tolerance = raw.get("tolerance")
    if tolerance is not None and (isinstance(tolerance, bool) or not isinstance(tolerance, (int, float))
                                  or not 0 < tolerance <= 0.5):
        raise _bad(file, entry, "tolerance", "bad_tolerance", value=tolerance)
    mistakes = []
    for m_number, m in enumerate(raw.get("mistake", []), start=1):
        m_entry = f"{entry}, mistake {m_number}"
        if not isinstance(m, dict):
            raise _bad(file, m_entry, "mistake", "not_table")
        for key in _MISTAKE_KEYS:
            if key not in m:
                raise _bad(file, m_entry, key, "missing")
        for key in m:
            if key not in _MISTAKE_KEYS:
                raise _bad(file, m_entry, key, "unknown_key", known=", ".join(sorted(_MISTAKE_KEYS)))
        mistakes.append(Mistake(id=str(m["id"]), answer=_formula(m["answer"], file, m_entry, "answer"),
                                message=_text(m["message"], file, m_entry, "message")))
    inputs = raw.get("inputs", {})
    values = raw.get("values", {})
    if not isinstance(inputs, dict) or not isinstance(values, dict):
        raise _bad(file, entry, "inputs", "not_table")
    about = raw.get("about")
    if quiz and not isinstance(about, str):
        raise _bad(file, entry, "about", "missing")
    if about is not None:
        from coopkit import workbooks

        try:
            workbooks.find(str(about))
        except InputError:
            raise _bad(file, entry, "about", "unknown_workbook", value=about) from None
    return Task(
        id=raw["id"], kind=kind, question=_text(raw["question"], file, entry, "question"),
        answer=_formula(raw["answer"], file, entry, "answer"), hints=hints,
        solution=_text(raw["solution"], file, entry, "solution"), mistakes=tuple(mistakes), unit=unit,
        options=options, tolerance=float(tolerance) if tolerance is not None else None, inputs=dict(inputs),
        values={k: _formula(v, file, entry, f"values.{k}") for k, v in values.items()},
        use_app=bool(raw.get("use_app", False)), about=about,
    )


def _check_task(exercise_set: ExerciseSet, task: Task, number: int, file: str) -> None:
    """Run every formula and fill every text of ``task`` once, so that a mistake in the file is
    found when it is read, not in front of the room."""
    entry = f"{number} ({task.id})"
    names = dict(exercise_set.inputs) | dict(task.inputs)
    for key, formula in exercise_set.values.items():
        names[key] = _run(formula, names, file, "values", key)
    for key, formula in task.values.items():
        names[key] = _run(formula, names, file, entry, f"values.{key}")
    expected = _run(task.answer, names, file, entry, "answer")
    if task.kind == "choice":
        if isinstance(expected, bool) or not isinstance(expected, numbers.Integral) or not 0 <= expected < len(task.options):
            raise _bad(file, entry, "answer", "choice_not_option", value=expected, count=len(task.options))
    elif isinstance(expected, bool) or not isinstance(expected, numbers.Real) or not math.isfinite(expected):
        raise _bad(file, entry, "answer", "not_a_number", value=str(expected)[:40])
    seen: dict[str, float] = {}
    for mistake in task.mistakes:
        value = _run(mistake.answer, names, file, f"{entry}, mistake {mistake.id}", "answer")
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise _bad(file, f"{entry}, mistake {mistake.id}", "answer", "not_a_number", value=str(value)[:40])
        if exercise_set.close(task, float(value), float(expected)):
            raise _bad(file, f"{entry}, mistake {mistake.id}", "answer", "mistake_is_answer")
        for other, other_value in seen.items():
            if exercise_set.close(task, float(value), other_value):
                raise _bad(file, f"{entry}, mistake {mistake.id}", "answer", "mistakes_alike", other=other)
        seen[mistake.id] = float(value)
    if len({m.id for m in task.mistakes}) != len(task.mistakes):
        raise _bad(file, entry, "mistake", "duplicate_id")
    for lang in ("vi", "en"):
        # A short answer ("6" months) is in many texts by chance; a longer one is the answer.
        shown = {exercise_set.shown_answer(task, lang)} if task.kind != "choice" else set()
        shown = {a for a in shown if len(re.sub(r"\D", "", a)) >= 3}
        for key, texts in (("question", [task.question]), ("hints", list(task.hints)), ("options", list(task.options)),
                           ("mistake", [m.message for m in task.mistakes])):
            for text in texts:
                try:
                    filled = exercise_set.say(task, text, lang)
                except (KeyError, IndexError, ValueError, AttributeError) as err:
                    raise _bad(file, entry, key, "bad_placeholder", lang=lang, problem=str(err)) from None
                if key != "options" and any(answer in filled for answer in shown):
                    raise _bad(file, entry, key, "reveals_answer", lang=lang)
        try:
            exercise_set.solution(task, lang)
        except (KeyError, IndexError, ValueError, AttributeError) as err:
            raise _bad(file, entry, "solution", "bad_placeholder", lang=lang, problem=str(err)) from None


def load_set(path: str | os.PathLike[str]) -> ExerciseSet:
    """Read and check one exercise file; raise `InputError` naming the file, the task and the key.

    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "02_break_even.toml"
    >>> lines = ['workbook = "break_even"', 'title = {vi = "a", en = "a"}', 'case = {vi = "b", en = "b"}',
    ...          '[[task]]', 'id = "x"']
    >>> _ = bad.write_text(chr(10).join(lines))
    >>> try:
    ...     load_set(bad)
    ... except InputError as err:
    ...     print(err.message("en"))
    File “02_break_even.toml”, entry 1 (x): “kind” is missing.
    """
    file = Path(path)
    name = file.name
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError("exercise", reason="exercise_not_toml", file=name, problem=str(err)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError("exercise", reason="exercise_unreadable", file=name, problem=type(err).__name__) from None
    for key in ("workbook", "title", "case", "task"):
        if key not in data:
            raise _bad(name, "-", key, "missing")
    for key in data:
        if key not in _SET_KEYS:
            raise _bad(name, "-", key, "unknown_key", known=", ".join(sorted(_SET_KEYS)))
    workbook = data["workbook"]
    quiz = workbook == QUIZ
    if not quiz:
        from coopkit import workbooks

        try:
            workbooks.find(workbook)
        except InputError:
            raise _bad(name, "-", "workbook", "unknown_workbook", value=workbook) from None
    inputs = data.get("inputs", {})
    values = data.get("values", {})
    if not isinstance(inputs, dict) or not isinstance(values, dict) or not isinstance(data["task"], list):
        raise _bad(name, "-", "inputs", "not_table")
    tasks = tuple(_parse_task(raw, number, name, quiz) for number, raw in enumerate(data["task"], start=1))
    ids = [t.id for t in tasks]
    for task_id in ids:
        if ids.count(task_id) > 1:
            raise _bad(name, task_id, "id", "duplicate_id")
    if not quiz and not 3 <= len(tasks) <= 5:
        raise _bad(name, "-", "task", "task_count", count=len(tasks))
    result = ExerciseSet(workbook=workbook, file=file, title=_text(data["title"], name, "-", "title"),
                         case=_text(data["case"], name, "-", "case"), inputs=dict(inputs),
                         values={k: _formula(v, name, "values", k) for k, v in values.items()}, tasks=tasks)
    for number, task in enumerate(tasks, start=1):
        _check_task(result, task, number, name)
    for lang in ("vi", "en"):
        try:
            result.case_text(lang)
        except (KeyError, IndexError, ValueError, AttributeError) as err:
            raise _bad(name, "-", "case", "bad_placeholder", lang=lang, problem=str(err)) from None
    return result


def exercises_dir() -> Path:
    """The exercises folder: ``COOPKIT_EXERCISES`` when set, else ``exercises/`` beside the
    notebooks folder (the repository's).

    >>> (exercises_dir() / "README.md").is_file()
    True
    """
    folder = os.environ.get("COOPKIT_EXERCISES")
    if folder:
        return Path(folder).expanduser().resolve()
    from coopkit import workbooks

    beside = workbooks.notebooks_dir().parent / "exercises"
    if beside.is_dir():
        return beside
    return Path(__file__).resolve().parent.parent / "exercises"


@functools.cache
def _cached(path: Path, stamp: float) -> ExerciseSet:
    return load_set(path)


def exercise_sets(folder: str | os.PathLike[str] | None = None) -> list[ExerciseSet]:
    """Every exercise set of the folder, the workbooks' in their order, the quiz last.

    >>> "break_even" in [s.workbook for s in exercise_sets()]
    True
    """
    base = Path(folder) if folder is not None else exercises_dir()
    return [_cached(path, path.stat().st_mtime) for path in sorted(base.glob("*.toml"))]


def set_for(workbook: str, folder: str | os.PathLike[str] | None = None) -> ExerciseSet | None:
    """The exercise set of ``workbook`` (its lesson name, or ``"quiz"``), or None when it has none:
    ``exercises/<notebook>.toml`` (``02_break_even.toml``) or ``exercises/quiz.toml``. A file is
    read again when it has changed (a trainer's edit shows at the next page load).

    >>> set_for("break_even").file.name
    '02_break_even.toml'
    """
    base = Path(folder) if folder is not None else exercises_dir()
    if workbook == QUIZ:
        path = base / "quiz.toml"
    else:
        from coopkit import workbooks

        path = base / (Path(workbooks.find(workbook).notebook).stem + ".toml")
    if not path.is_file():
        return None
    result = _cached(path, path.stat().st_mtime)
    if result.workbook != workbook:
        raise _bad(path.name, "-", "workbook", "wrong_workbook", value=result.workbook, expected=workbook)
    return result


def answer_sheet(lang: str, folder: str | os.PathLike[str] | None = None) -> str:
    """The trainer's answer sheet in ``lang`` (markdown): every workbook's case and tasks with
    the answer, the working, the hints and the known mistakes, then the quiz's right options.
    Computed from the exercise files, as the pages compute them (``make exercise-answers``).

    >>> sheet = answer_sheet("en")
    >>> "`02_break_even`" in sheet and "240,000" in sheet
    True
    """
    from coopkit import workbooks

    lang = i18n.normalize_language(lang)
    base = Path(folder) if folder is not None else exercises_dir()
    def tr(key: str, **params: object) -> str:
        return i18n.tr(key, lang, **params)

    lines = [f"# {tr('sheet.title')}", "", tr("sheet.generated"), ""]
    for workbook in workbooks.workbooks():
        exercise_set = set_for(workbook.lesson, base)
        if exercise_set is None:
            continue
        stem = Path(workbook.notebook).stem
        lines += [f"## {workbooks.header(workbook, lang).title} (`{stem}`)", "",
                  f"**{exercise_set.title.get(lang)}.** {exercise_set.case_text(lang)}", ""]
        for number, task in enumerate(exercise_set.tasks, start=1):
            lines += [f"### {tr('exercise.task', number=number)} {exercise_set.question(task, lang)}", ""]
            if task.kind == "choice":
                lines += [f"- {tr('sheet.option')} {i + 1}: {text}" for i, text in enumerate(exercise_set.options(task, lang))]
            lines += [f"- **{tr('sheet.answer')}: {exercise_set.shown_answer(task, lang)}**",
                      f"- {tr('sheet.working')}: {exercise_set.solution(task, lang)}"]
            lines += [f"- {tr('exercise.hint_title', number=i)} {hint}" for i, hint in enumerate(exercise_set.hints(task, lang), start=1)]
            values = exercise_set.mistake_values(task)
            for mistake in task.mistakes:
                typed = (exercise_set.say(task, task.options[int(values[mistake.id])], lang) if task.kind == "choice"
                         else _Formatter(lang).weight(values[mistake.id], task.unit or "kg") if task.kind == "weight"
                         else fmt.by_kind(values[mistake.id], task.kind, lang))
                lines.append(f"- {tr('sheet.mistake')} ({typed}): {exercise_set.say(task, mistake.message, lang)}")
            lines.append("")
    quiz = set_for(QUIZ, base)
    if quiz is not None:
        lines += [f"## {tr('sheet.quiz')} (`quiz`)", ""]
        for number, task in enumerate(quiz.tasks, start=1):
            about = workbooks.header(workbooks.find(task.about or ""), lang).title if task.about else ""
            lines += [f"### {tr('quiz.question', number=number)} {quiz.question(task, lang)}", "",
                      f"- {tr('sheet.about')}: {about}",
                      f"- **{tr('sheet.answer')}: {quiz.shown_answer(task, lang)}**",
                      f"- {tr('sheet.working')}: {quiz.solution(task, lang)}", ""]
    return "\n".join(line.replace("\n", " ") for line in lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m coopkit.exercises [FILE …]``: check exercise files (all of them by default).
    ``python -m coopkit.exercises --answer-sheets FOLDER``: write the trainer's answer sheets
    (``exercise-answers.vi.md`` and ``exercise-answers.en.md``) into FOLDER."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--answer-sheets"]:
        from coopkit.exchange import write_atomic

        folder = Path(args[1] if len(args) > 1 else "docs")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for lang in i18n.LANGUAGES:
                path = write_atomic(folder / f"exercise-answers.{lang}.md", answer_sheet(lang).encode("utf-8"))
                print(f"wrote {path}")
        except InputError as err:
            print(err.message(i18n.language_from_environ()), file=sys.stderr)
            return 1
        except OSError as err:
            print(f"{folder}: {err.strerror or err}", file=sys.stderr)
            return 1
        return 0
    paths = [Path(a) for a in args] or sorted(exercises_dir().glob("*.toml"))
    lang = i18n.language_from_environ()
    problems = 0
    for path in paths:
        try:
            exercise_set = load_set(path)
        except InputError as err:
            problems += 1
            print(err.message(lang))
            continue
        print(f"{path.name}: {len(exercise_set.tasks)} ✓")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
