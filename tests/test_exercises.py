"""Every exercise set loads, and every task is checked both ways (learntools' pattern): the
answer computed by coopkit, typed as a manager types it in each language, is right; each known
mistake gets its own message; anything else is "not yet". Broken files are refused with a
message naming the file, the entry and the key."""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit import fmt, workbooks
from coopkit.errors import InputError
from coopkit.exercises import (
    ExerciseSet,
    Task,
    _FormulaError,
    evaluate,
    exercise_sets,
    exercises_dir,
    load_set,
    read_answer,
    set_for,
)

SETS = exercise_sets()
TASKS = [(s, t) for s in SETS for t in s.tasks]


def _id(item: tuple[ExerciseSet, Task]) -> str:
    return f"{item[0].file.stem}:{item[1].id}"


def typed_as_a_manager(exercise_set: ExerciseSet, task: Task, value: float, lang: str) -> list[str]:
    """How a manager would type ``value``: as the page shows it, and as bare digits."""
    if task.kind == "money":
        return [fmt.money(value, lang), fmt.number(value, lang)]
    if task.kind == "rate":
        return [fmt.percent(value, lang, decimals=2), fmt.number(value * 100, lang, decimals=2)]
    if task.kind == "count":
        return [fmt.number(value, lang)]
    if task.kind == "weight":
        return [exercise_set.shown_answer(task, lang) if value == exercise_set.expected(task)
                else fmt.number(value, lang, decimals=2)]
    decimals = 0 if abs(value) >= 100 else max(2, 3 - math.floor(math.log10(abs(value)))) if value else 2
    return [fmt.number(value, lang, decimals=decimals)]


def test_every_workbook_has_an_exercise_set_and_the_quiz_is_there():
    have = {s.workbook for s in SETS}
    assert {w.lesson for w in workbooks.workbooks()} <= have
    assert "quiz" in have
    for workbook in workbooks.workbooks():
        assert set_for(workbook.lesson).file.stem == Path(workbook.notebook).stem


def test_every_set_asks_the_manager_to_use_the_app_at_least_once():
    for exercise_set in SETS:
        if exercise_set.workbook != "quiz":
            assert any(t.use_app for t in exercise_set.tasks), exercise_set.file.name
            assert 3 <= len(exercise_set.tasks) <= 5


@pytest.mark.parametrize(("exercise_set", "task"), TASKS, ids=[_id(x) for x in TASKS])
def test_the_computed_answer_is_right_in_both_languages(exercise_set, task):
    expected = exercise_set.expected(task)
    if task.kind == "choice":
        assert exercise_set.check(task, int(expected), "vi").right
        others = [i for i in range(len(task.options)) if i != expected]
        for other in others:
            verdict = exercise_set.check(task, other, "en")
            assert not verdict.right and verdict.status in ("mistake", "wrong")
        return
    assert math.isfinite(expected)
    for lang in ("vi", "en"):
        for typed in typed_as_a_manager(exercise_set, task, expected, lang):
            verdict = exercise_set.check(task, typed, lang)
            assert verdict.right, (typed, lang, verdict)
    far = expected * 3 + 1_000_003 if task.kind != "rate" else expected + 0.37
    verdict = exercise_set.check(task, typed_as_a_manager(exercise_set, task, far, "vi")[0], "vi")
    assert verdict.status in ("wrong", "mistake") and not verdict.right


MISTAKES = [(s, t, m) for s, t in TASKS for m in t.mistakes]


@pytest.mark.parametrize(("exercise_set", "task", "mistake"), MISTAKES,
                         ids=[f"{_id((s, t))}:{m.id}" for s, t, m in MISTAKES])
def test_each_known_mistake_gets_its_own_message(exercise_set, task, mistake):
    value = exercise_set.mistake_values(task)[mistake.id]
    for lang in ("vi", "en"):
        typed = int(value) if task.kind == "choice" else typed_as_a_manager(exercise_set, task, value, lang)[-1]
        verdict = exercise_set.check(task, typed, lang)
        assert verdict.status == "mistake" and verdict.mistake == mistake.id, (typed, lang, verdict)
        assert verdict.message == exercise_set.say(task, mistake.message, lang)
        assert verdict.message not in (exercise_set.check(task, "1", lang).message,)


@pytest.mark.parametrize(("exercise_set", "task"), TASKS, ids=[_id(x) for x in TASKS])
def test_texts_are_filled_in_both_languages_and_the_solution_states_the_answer(exercise_set, task):
    for lang in ("vi", "en"):
        assert "{" not in exercise_set.question(task, lang)
        solution = exercise_set.solution(task, lang)
        assert "{" not in solution
        if task.kind != "choice":
            assert exercise_set.shown_answer(task, lang) in solution
        for hint in exercise_set.hints(task, lang):
            assert exercise_set.shown_answer(task, lang) not in hint


def test_a_wrong_answer_and_an_unreadable_one_are_told_apart():
    eggs = set_for("break_even")
    task = eggs.task("volume")
    assert eggs.check(task, "1", "vi").status == "wrong"
    assert eggs.check(task, "1", "vi").message.startswith("Chưa đúng")
    unreadable = eggs.check(task, "hai trăm nghìn", "vi")
    assert unreadable.status == "unreadable" and "hai trăm nghìn" in unreadable.message
    assert eggs.check(task, "", "en").status == "unreadable"
    huge = eggs.check(task, "9" * 400, "en")
    assert huge.status == "unreadable" and "far too large" in huge.message and "9" * 19 + "…" in huge.message
    # typed on the Vietnamese page, worded later in English: still right
    assert eggs.check(task, "240.000", "vi", words="en").message == "Right!"


@pytest.mark.parametrize(("typed", "kind", "lang", "unit", "expected"), [
    ("1.250.000", "money", "vi", None, [1_250_000.0]),
    ("1.250.000 ₫", "money", "vi", None, [1_250_000.0]),
    ("1,25 triệu", "money", "vi", None, [1_250_000.0]),
    ("1,25 tr đồng", "money", "vi", None, [1_250_000.0]),
    ("₫1,250,000", "money", "en", None, [1_250_000.0]),
    ("-₫5,000", "money", "en", None, [-5_000.0]),
    ("không biết", "money", "vi", None, []),
    ("9" * 400, "money", "vi", None, []),
    ("1.2 million", "money", "en", None, [1_200_000.0]),
    ("27.000 đ/kg", "money", "vi", None, [27_000.0]),
    ("30,5 %", "rate", "vi", None, [0.305]),
    ("30.5%", "rate", "en", None, [0.305]),
    ("30.5", "rate", "vi", None, [0.305]),  # a phone keypad's dot on a Vietnamese page
    ("12 tạ", "weight", "vi", "kg", [1_200.0]),
    ("1,2 tấn", "weight", "vi", "ta", [12.0]),
    ("1.200", "weight", "vi", "ta", [1_200.0]),
    ("333.334 quả", "count", "vi", None, [333_334.0]),
    ("−5.000.000", "money", "vi", None, [-5_000_000.0]),
])
def test_answers_are_read_with_the_pages_numbers_and_units(typed, kind, lang, unit, expected):
    if not expected:
        with pytest.raises(InputError):
            read_answer(typed, kind, lang, unit)
        return
    assert read_answer(typed, kind, lang, unit) == pytest.approx(expected)


@settings(max_examples=60, deadline=None)
@given(amount=st.integers(min_value=-10**11, max_value=10**11), lang=st.sampled_from(["vi", "en"]))
def test_any_amount_the_page_shows_reads_back_exactly(amount, lang):
    assert read_answer(fmt.money(amount, lang).replace("₫", ""), "money", lang) == [float(amount)]
    assert read_answer(fmt.number(amount, lang), "count", lang) == [float(amount)]


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(min_value=0.011, max_value=0.99), lang=st.sampled_from(["vi", "en"]))
def test_any_rate_the_page_shows_reads_back_within_its_last_digit(rate, lang):
    (value,) = read_answer(fmt.percent(rate, lang, decimals=1), "rate", lang)
    assert abs(value - rate) <= 0.0005 + 1e-12


@pytest.mark.parametrize("formula", [
    "__import__('os').system('true')",
    "().__class__.__bases__",
    "(lambda: 1)()",
    "[x for x in range(3)]",
    "open('/etc/passwd')",
    "break_even_volume.__globals__",
    "eval('1')",
    "channel_fee_table().to_csv('/tmp/coopkit-formula-wrote-this')",
    "{**inputs}",
])
def test_a_formula_can_only_compute(formula):
    with pytest.raises(_FormulaError):
        evaluate(formula, {})


def test_a_formula_computes_with_coopkit_functions_and_the_cases_names():
    assert evaluate("price_for_margin(20_000, 0.2)", {}) == pytest.approx(25_000)
    assert evaluate("argmax([net_a, net_b])", {"net_a": 1, "net_b": 2}) == 1
    assert evaluate("0 if npv(0.09, investment=450e6, yearly_cash_flows=[120e6] * 5) > 0 else 1", {}) == 0


def write(folder: Path, text: str, name: str = "02_break_even.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD_HEAD = '''
    workbook = "break_even"
    title.vi = "Bài tập"
    title.en = "Exercises"
    case.vi = "Giá {price:money}."
    case.en = "Price {price:money}."
    [inputs]
    price = 2_600
    cost = 1_850
    fixed = 180_000_000
'''
TASK = '''
    [[task]]
    id = "t{n}"
    kind = "count"
    question.vi = "Hòa vốn?"
    question.en = "Break-even?"
    answer = "break_even_volume(fixed, price, cost)"
    hints.vi = ["Chia."]
    hints.en = ["Divide."]
    solution.vi = "= {{answer}}"
    solution.en = "= {{answer}}"
'''


def good_set(extra: str = "", tasks: int = 3) -> str:
    return GOOD_HEAD + "".join(TASK.format(n=n) for n in range(1, tasks + 1)) + extra


@pytest.mark.parametrize(("text", "words_en"), [
    ("workbook = 1\n[[[", ["cannot be read as TOML"]),
    (good_set().replace('kind = "count"', 'kind = "money"\ncolour = "red"', 1), ["entry 1 (t1)", "“colour” is not known"]),
    (good_set().replace('kind = "count"', 'kind = "length"', 1), ["entry 1 (t1)", "no answer kind “length”"]),
    (good_set().replace('break_even_volume(fixed, price, cost)', 'break_even_volume(fixed, price, costs)', 1),
     ["entry 1 (t1)", "“answer”", "'costs' is not an input"]),
    (good_set().replace('break_even_volume(fixed, price, cost)', 'break_even_volume(fixed, cost, price)', 1),
     ["entry 1 (t1)", "cannot be computed"]),
    (good_set().replace('hints.vi = ["Chia."]', 'hints.vi = ["Chia.", "Hai."]', 1), ["entry 1 (t1)", "“hints” has 2 Vietnamese items but 1"]),
    (good_set().replace('question.en = "Break-even?"', '', 1), ["entry 1 (t1)", "“question” needs Vietnamese and English"]),
    (good_set().replace('hints.vi = ["Chia."]', 'hints.vi = ["Đáp số: {answer}"]', 1), ["entry 1 (t1)", "“hints” (vi) names 'answer'"]),
    (good_set().replace('question.vi = "Hòa vốn?"', 'question.vi = "Hòa vốn ở 240.000 quả?"', 1), ["entry 1 (t1)", "gives the answer away"]),
    (good_set('[[task.mistake]]\nid = "m"\nanswer = "fixed / (price - cost)"\nmessage.vi = "x"\nmessage.en = "x"\n'),
     ["entry 3 (t3), mistake m", "gives the right answer"]),
    (good_set(tasks=2), ["an exercise set has 3 to 5 tasks (this one has 2)"]),
    (good_set().replace('workbook = "break_even"', 'workbook = "breakeven"'), ["no workbook is called “breakeven”"]),
    (good_set().replace('id = "t2"', 'id = "t1"'), ["entry t1", "already used"]),
    (good_set().replace('case.vi = "Giá {price:money}."', 'case.vi = "Giá {gia:money}."'), ["“case” (vi) names 'gia'"]),
])
def test_a_broken_file_is_refused_with_a_message_naming_file_entry_and_key(tmp_path, text, words_en):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_set(path)
    english, vietnamese = err.value.message("en"), err.value.message("vi")
    assert "02_break_even.toml" in english and "02_break_even.toml" in vietnamese
    for words in words_en:
        assert words in english, english
    assert english != vietnamese


def test_a_good_file_loads_and_a_trainers_edit_shows_at_the_next_read(tmp_path):
    path = write(tmp_path, good_set())
    first = set_for("break_even", tmp_path)
    assert first.expected(first.task("t1")) == pytest.approx(240_000)
    path.write_text(path.read_text(encoding="utf-8").replace("price = 2_600", "price = 2_850"), encoding="utf-8")
    import os

    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    again = set_for("break_even", tmp_path)
    assert again.expected(again.task("t1")) == pytest.approx(180_000)


def test_the_readme_documents_the_format_and_the_sample_follows_it():
    readme = (exercises_dir() / "README.md").read_text(encoding="utf-8")
    for key in ("workbook", "case.vi", "[inputs]", "[[task]]", "kind", "answer", "hints.vi", "solution.vi", "[[task.mistake]]",
                "tolerance", "use_app", "about"):
        assert key in readme, key


def _all_texts(lang: str) -> list[tuple[str, str]]:
    """Every text of every set in ``lang``, filled: (where, text)."""
    found = []
    for exercise_set in SETS:
        found.append((f"{exercise_set.file.name} case", exercise_set.case_text(lang)))
        found.append((f"{exercise_set.file.name} title", exercise_set.title.get(lang)))
        for task in exercise_set.tasks:
            where = f"{exercise_set.file.name} {task.id}"
            texts = [exercise_set.question(task, lang), exercise_set.solution(task, lang)]
            texts += exercise_set.hints(task, lang) + exercise_set.options(task, lang)
            texts += [exercise_set.say(task, m.message, lang) for m in task.mistakes]
            found += [(where, text) for text in texts]
    return found


def test_exercise_texts_follow_the_projects_vocabulary():
    from test_vocabulary import BANNED_VI

    hits = []
    for where, text in _all_texts("vi"):
        for word, instead in BANNED_VI.items():
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
                hits.append(f"{where}: “{word}” (write “{instead}”)")
    assert hits == []
    english = [(where, word) for where, text in _all_texts("en")
               for word in ("xã viên", "biên an toàn", "Câu", "Gợi ý")
               if word in text]
    assert english == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_trainers_answer_sheet_is_up_to_date_with_the_exercise_files(lang):
    from coopkit.exercises import answer_sheet

    committed = (Path(workbooks.notebooks_dir()).parent / "docs" / f"exercise-answers.{lang}.md").read_text(encoding="utf-8")
    assert committed == answer_sheet(lang), "run `make exercise-answers` after editing exercises/*.toml"
    for workbook in workbooks.workbooks():
        assert f"(`{Path(workbook.notebook).stem}`)" in committed
    eggs = set_for("break_even")
    assert eggs.shown_answer(eggs.task("volume"), lang) in committed
    heading = {"vi": "Đáp án", "en": "Answer"}
    assert f"**{heading[lang]}: " in committed
    assert f"**{heading['en' if lang == 'vi' else 'vi']}: " not in committed


@settings(max_examples=200, deadline=None)
@given(typed=st.one_of(st.text(max_size=60), st.sampled_from([
    "1e400", "9" * 400, "-0", "--5", "5..000", "1.2.3,4,5", "∞", "NaN", "12 tạ tạ", "%", "₫", "0,0000001 %",
    "١٢٣", "１２３", "1_000", "0x1F", "12 tấn/ha/năm", " " * 50, "x" * 5000])),
       lang=st.sampled_from(["vi", "en"]), pick=st.integers(min_value=0, max_value=len(TASKS) - 1))
def test_whatever_is_typed_the_check_answers_in_words(typed, lang, pick):
    exercise_set, task = TASKS[pick]
    if task.kind == "choice":
        return
    verdict = exercise_set.check(task, typed, lang)
    assert verdict.status in ("right", "mistake", "wrong", "unreadable")
    assert verdict.message and len(verdict.message) < 600
    assert "Traceback" not in verdict.message
