"""The exercises as a manager meets them (without a browser): the name box, check, a known
mistake's message, the hint ladder, the solution only after the last hint or a release, the
answer never in the page before then, records kept across a reload, and the quiz answered once."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from coopkit import exercises, fmt
from coopkit.answers import AnswerStore, Trainee
from coopkit.ui.exercise_ui import QUIZ_DAYS, QuizView, TraineeBar, quiz_tasks
from coopkit.ui.lesson import Lesson


@pytest.fixture
def room(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPKIT_ANSWER_DIR", str(tmp_path))
    return AnswerStore(tmp_path)


def page_texts(widget: widgets.Widget) -> str:
    """Every text the page holds: values, descriptions, placeholders, options, tooltips."""
    found = []
    stack = [widget]
    while stack:
        w = stack.pop()
        for name in ("value", "description", "placeholder", "tooltip"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                found.append(value)
        found += [str(o) for o in getattr(w, "options", ()) or ()]
        stack += list(getattr(w, "children", ()) or ())
    return "\n".join(found)


def exercise_page(lesson: str, lang: str = "vi"):
    page = Lesson(lesson, lang=lang)
    box = page.exercises(poll=False)
    return page, box, page.apps[-1]


def sign_in(page, name="Lan", cooperative="HTX Mật ong Hà Giang"):
    bar = page.trainee_bar()
    bar.name_box.value, bar.coop_box.value = name, cooperative
    bar.go.click()
    return bar


def test_a_known_mistake_then_hints_then_the_right_answer_are_recorded(room):
    page, box, view = exercise_page("break_even")
    sign_in(page)
    volume = view.tasks[1]
    assert volume.task.id == "volume"
    volume.box.value = "69.231"
    volume.check_button.click()
    assert "ck-mistake" in volume.feedback.value and "chia cho cả giá bán" in volume.feedback.value
    assert volume.solution_button.disabled and volume.solution.value == ""
    volume.hint_button.click()
    assert "Gợi ý 1" in volume.hints.value and "Gợi ý 2" not in volume.hints.value
    assert volume.hint_button.description == "Gợi ý (1/3)"
    volume.box.value = "240.000"
    volume.check_button.click()
    assert "Đúng rồi" in volume.feedback.value
    (record,) = room.records()
    assert (record["task"], record["attempts"], record["hints"], record["right"]) == ("volume", 2, 1, True)
    assert [a["mistake"] for a in record["answers"]] == ["divided_by_price", None]


@pytest.mark.parametrize("lesson", ["break_even", "unit_cost", "channel_pricing", "cash_flow"])
def test_the_answer_is_not_in_the_page_before_the_solution(room, lesson):
    page, box, view = exercise_page(lesson)
    exercise_set = view.exercise_set
    for task_view in view.tasks:
        task = task_view.task
        if task.kind == "choice":
            continue
        shown = {exercise_set.shown_answer(task, lang) for lang in ("vi", "en")}
        shown = {a for a in shown if len(re.sub(r"\D", "", a)) >= 3}  # "6" months is in many texts by chance
        for hint in range(len(task.hints)):
            assert not any(answer in page_texts(box) for answer in shown), (task.id, hint)
            assert task_view.solution_button.disabled
            task_view.hint_button.click()
        assert not task_view.solution_button.disabled  # the last hint opens the way to the solution
        assert not any(answer in page_texts(box) for answer in shown)
        task_view.solution_button.click()
        assert exercise_set.shown_answer(task, "vi") in task_view.solution.value
    assert any(t.task.kind != "choice" and len(re.sub(r"\D", "", view.exercise_set.shown_answer(t.task, "vi"))) >= 3
               for t in view.tasks)  # the check above looked at something


def test_a_released_solution_appears_and_a_reload_keeps_the_trainees_work(room):
    page, box, view = exercise_page("break_even")
    sign_in(page)
    safety = view.tasks[3]
    safety.box.value = "60 %"
    safety.check_button.click()
    assert safety.solution.value == ""
    room.release("break_even", "safety")
    view.look_for_releases()
    assert "ck-released" in safety.solution.value
    assert fmt.percent(0.4, "vi") in safety.solution.value
    # The page is opened again (a reload, or day two): the same name brings back the work.
    again, _box, view2 = exercise_page("break_even")
    assert "ck-released" in view2.tasks[3].solution.value  # released before the name is typed
    sign_in(again)
    assert view2.tasks[3].attempts == 1
    view2.tasks[1].box.value = "240000"
    view2.tasks[1].check_button.click()
    (record,) = [r for r in room.records() if r["task"] == "volume"]
    assert record["right"]


def test_answers_before_the_name_is_typed_are_recorded_when_it_is(room):
    page, box, view = exercise_page("break_even")
    assert "chưa được ghi lại" in view.note.value
    view.tasks[0].box.value = "300"
    view.tasks[0].check_button.click()
    assert room.records() == []
    sign_in(page, "Minh", "HTX Cam Cao Phong")
    (record,) = room.records()
    assert record["trainee"]["name"] == "Minh" and record["answers"][0]["mistake"] == "profit_per_egg"
    assert view.note.value == ""


def test_the_name_box_says_what_is_missing_and_a_name_is_shown_as_text(room):
    page, box, view = exercise_page("break_even", lang="en")
    bar = page.trainee_bar()
    bar.name_box.value = "<b>Lan</b>"
    bar.go.click()
    assert "Your cooperative" in bar.problem.value and bar.trainee is None
    bar.coop_box.value = "<script>alert(1)</script>"
    bar.go.click()
    assert "&lt;script&gt;" in bar.hello.value and "<script>" not in bar.hello.value
    assert "ck-trainee-set" in bar.view._dom_classes


def test_switching_the_language_rewords_the_check_and_keeps_what_was_typed(room):
    page, box, view = exercise_page("break_even")
    volume = view.tasks[1]
    volume.box.value = "240.000"
    volume.check_button.click()
    page.set_lang("en")
    assert "Right!" in volume.feedback.value and "Task 2." in volume.question.value
    assert volume.box.value == "240.000"
    assert "Check" == volume.check_button.description


def test_an_unreadable_answer_is_not_an_attempt(room):
    page, box, view = exercise_page("break_even")
    sign_in(page)
    view.tasks[1].box.value = "nhiều lắm"
    view.tasks[1].check_button.click()
    assert "ck-error" in view.tasks[1].feedback.value and "nhiều lắm" in view.tasks[1].feedback.value
    assert view.tasks[1].attempts == 0
    assert room.records() == [] or room.records()[0]["attempts"] == 0


@pytest.mark.parametrize("day", sorted(QUIZ_DAYS))
def test_the_days_quiz_has_ten_questions_about_the_days_workbooks(day):
    quiz = exercises.set_for("quiz")
    tasks = quiz_tasks(quiz, day)
    assert len(tasks) == 10 and len({t.id for t in tasks}) == 10
    assert {t.about for t in tasks} <= set(QUIZ_DAYS[day])
    assert len({t.about for t in tasks}) >= 5


def test_the_quiz_is_answered_once_and_the_after_quiz_shows_what_was_right(room):
    quiz = exercises.set_for("quiz")
    bar = TraineeBar("vi", room)
    view = QuizView(quiz, "vi", bar)
    first_task, *_ = quiz_tasks(quiz, "day1")
    box = view.boxes[first_task.id]
    box.index = 0
    assert room.records() == [] and "Hãy nhập tên" in view.problem.value and box.index is None
    bar.name_box.value, bar.coop_box.value = "Lan", "HTX A"
    bar.go.click()
    box = view.boxes[first_task.id]
    wrong = next(i for i in range(len(first_task.options)) if i != quiz.expected(first_task))
    box.index = wrong
    assert box.disabled and "Đã ghi" in view._rows[0][4].value  # before: no right or wrong shown
    box.index = quiz.expected(first_task)  # a second answer does not count
    (record,) = room.records()
    assert record["workbook"] == "quiz-before" and record["attempts"] == 1 and not record["right"]
    view.stage.value = "after"
    box = view.boxes[first_task.id]
    assert not box.disabled and box.index is None
    box.index = quiz.expected(first_task)
    assert "ck-right" in view._rows[0][4].value
    after = [r for r in room.records() if r["workbook"] == "quiz-after"]
    assert len(after) == 1 and after[0]["right"]
    view.stage.value = "before"
    assert view.boxes[first_task.id].index == wrong and view.boxes[first_task.id].disabled
