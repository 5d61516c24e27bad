"""The exercises at the end of a workbook, and the before/after quiz, as a manager sees them.

A page has one `TraineeBar`: the trainee types a name and a cooperative once per workshop (the
``coopkit`` template keeps them in the browser and fills them in on the next page). An
`ExerciseView` shows a set's case and tasks: an answer box that reads the page's numbers and
units, or options; **Check** says right or not yet, or explains a known mistake; hints open one
by one; the solution comes after the last hint, or when the trainer releases it (the view
looks every few seconds). Every check, hint and solution is recorded in the room's answer store
(`coopkit.answers`). The expected answer is not in the page before the solution is shown.

A `QuizView` asks the day's ten quiz questions, before the first lesson and again at the end;
each is answered once, and the "after" quiz shows what was right.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import exercises, i18n
from coopkit.answers import AnswerStore, Trainee
from coopkit.errors import InputError
from coopkit.exercises import ExerciseSet, Task
from coopkit.ui.base import safe
from coopkit.ui.panels import button as _button
from coopkit.ui.panels import html as _html

__all__ = ["TraineeBar", "ExerciseView", "QuizView", "markdown", "QUIZ_DAYS", "quiz_tasks"]

log = logging.getLogger("coopkit.ui")

#: How often (milliseconds) a page looks for solutions the trainer has released.
RELEASE_POLL_MS = 4000
#: The quiz's days: the workbooks each day teaches (docs/agenda.*.md).
QUIZ_DAYS: dict[str, tuple[str, ...]] = {
    "day1": ("unit_cost", "break_even", "channel_pricing", "what_if", "cash_flow"),
    "day2": ("yield_plan", "production_risk", "investment", "member_income", "crop_mix", "layer_flock"),
}
QUIZ_SIZE = 10


def markdown(text: str) -> str:
    """A trainer's text (``**bold**``, lists) as HTML; any HTML in it is shown as text."""
    import mistune

    return str(mistune.create_markdown(escape=True)(text))


def numbered(label: str, body: str) -> str:
    """``body`` (HTML from `markdown`) with ``label`` (HTML) at the start of its first paragraph:
    "**Câu 2.** HTX phải bán…" on one line, not a heading above it."""
    if body.startswith("<p>"):
        return f"<p>{label} {body[3:]}"
    return f"<p>{label}</p>{body}"


def t(key: str, lang: str, **params: object) -> str:
    return i18n.tr(f"exercise.{key}", lang, **params)


class _Shell:
    """What `coopkit.ui.base.safe` needs of a view: its root, a name and the two error paths."""

    name = "exercises"
    view: widgets.Box
    problem: widgets.HTML
    lang: str

    def show_input_error(self, err: InputError) -> None:
        self.problem.value = f"<p class='ck-error'>{escape(err.message(self.lang))}</p>"

    def show_unexpected_error(self) -> None:
        self.problem.value = f"<p class='ck-error'>{escape(i18n.tr('exercise.unexpected', self.lang))}</p>"


class TraineeBar(_Shell):
    """The trainee's name and cooperative, typed once (the page's template remembers them)."""

    name = "trainee"

    def __init__(self, lang: str, store: AnswerStore | None = None) -> None:
        self.lang = i18n.normalize_language(lang)
        self.store = store or AnswerStore()
        self.trainee: Trainee | None = None
        self._listeners: list[Callable[[Trainee | None], None]] = []
        self.name_box = widgets.Text(layout=widgets.Layout(width="auto"))
        self.name_box.add_class("ck-trainee-name")
        self.coop_box = widgets.Text(layout=widgets.Layout(width="auto"))
        self.coop_box.add_class("ck-trainee-coop")
        self.go = _button("ck-trainee-go")
        self.change = _button("ck-trainee-change")
        self.intro = _html("ck-trainee-intro")
        self.problem = _html("ck-trainee-problem")
        self.form = widgets.VBox([self.intro, self.name_box, self.coop_box, self.go, self.problem])
        self.form.add_class("ck-trainee-form")
        self.hello = _html("ck-trainee-hello")
        self.view = widgets.VBox([self.form])
        self.view.add_class("ck-trainee")
        self.view.add_class("ck-trainee-ask")
        self.go.on_click(safe(self, lambda _b: self.confirm()))
        self.change.on_click(safe(self, lambda _b: self.forget()))
        self.set_lang(self.lang)

    def on_change(self, callback: Callable[[Trainee | None], None]) -> None:
        self._listeners.append(callback)

    def confirm(self) -> None:
        """Take the typed name and cooperative (an error is shown beside the boxes)."""
        try:
            trainee = Trainee(self.name_box.value, self.coop_box.value)
        except InputError as err:
            self.show_input_error(err)
            return
        self.problem.value = ""
        self.trainee = trainee
        self.view.children = [self.hello, self.change]
        self.view.remove_class("ck-trainee-ask")
        self.view.add_class("ck-trainee-set")
        self._render()
        for listener in self._listeners:
            listener(trainee)

    def forget(self) -> None:
        self.trainee = None
        self.view.children = [self.form]
        self.view.remove_class("ck-trainee-set")
        self.view.add_class("ck-trainee-ask")
        for listener in self._listeners:
            listener(None)

    def _render(self) -> None:
        lang = self.lang
        self.intro.value = f"<p>{escape(i18n.tr('trainee.ask', lang))}</p>"
        self.name_box.placeholder = i18n.tr("field.trainee_name", lang)
        self.coop_box.placeholder = i18n.tr("field.trainee_cooperative", lang)
        self.name_box.description = ""
        self.go.description = i18n.tr("trainee.go", lang)
        self.change.description = i18n.tr("trainee.change", lang)
        if self.trainee is not None:
            self.hello.value = "<p>{}</p>".format(escape(i18n.tr(
                "trainee.hello", lang, name=self.trainee.name, cooperative=self.trainee.cooperative)))

    def set_lang(self, lang: str) -> None:
        self.lang = i18n.normalize_language(lang)
        self._render()


class _TaskView:
    """One task: its question, the answer box or options, check, hints and solution."""

    def __init__(self, owner: ExerciseView, task: Task, number: int) -> None:
        self.owner = owner
        self.task = task
        self.number = number
        self.attempts = 0
        self.hints_shown = 0
        self.solved = False
        self.solution_shown = False
        self.released = False
        self.verdict: exercises.Verdict | None = None
        self.last_typed: Any = None
        self.typed_lang = owner.lang
        self.question = _html("ck-question")
        if task.kind == "choice":
            self.box: widgets.Widget = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
            self.box.add_class("ck-choice")
        else:
            self.box = widgets.Text(layout=widgets.Layout(width="14em"))
            self.box.add_class("ck-answer")
        self.unit = _html("ck-answer-unit")
        self.check_button = _button("ck-check")
        self.hint_button = _button("ck-hint")
        self.solution_button = _button("ck-solution-button")
        self.feedback = _html("ck-feedback")
        self.hints = _html("ck-hints")
        self.solution = _html("ck-solution")
        answer_row = widgets.HBox([self.box, self.unit]) if task.kind != "choice" else self.box
        buttons = widgets.HBox([self.check_button, self.hint_button, self.solution_button])
        buttons.add_class("ck-task-buttons")
        self.view = widgets.VBox([self.question, answer_row, buttons, self.feedback, self.hints, self.solution])
        self.view.add_class("ck-task")
        self.view.add_class(f"ck-task-{task.id}")
        self.check_button.on_click(safe(owner, lambda _b: self.check()))
        self.hint_button.on_click(safe(owner, lambda _b: self.next_hint()))
        self.solution_button.on_click(safe(owner, lambda _b: self.show_solution()))

    # --- state -------------------------------------------------------------------------------
    def typed(self) -> Any:
        if self.task.kind == "choice":
            return self.box.index if self.box.value is not None else None
        return self.box.value

    def check(self) -> None:
        lang = self.owner.lang
        self.last_typed = self.typed()
        self.typed_lang = lang
        verdict = self.owner.exercise_set.check(self.task, self.last_typed, lang)
        self.verdict = verdict
        if verdict.status != "unreadable":
            self.attempts += 1
            self.solved = self.solved or verdict.right
        self.owner.record(self.task, "attempt", typed=str(self.typed() if self.typed() is not None else ""),
                          value=verdict.value, status=verdict.status, mistake=verdict.mistake)
        self.render()

    def next_hint(self) -> None:
        if self.hints_shown < len(self.task.hints):
            self.hints_shown += 1
            self.owner.record(self.task, "hint", hints=self.hints_shown)
        self.render()

    def show_solution(self) -> None:
        if not self.may_see_solution():
            return
        self.solution_shown = True
        self.owner.record(self.task, "solution")
        self.render()

    def may_see_solution(self) -> bool:
        return self.solved or self.released or self.hints_shown >= len(self.task.hints)

    def restore(self, record: dict[str, Any]) -> None:
        """Take up a task where the trainee left it (a reload, or the next day)."""
        self.attempts = max(self.attempts, int(record.get("attempts", 0)))
        self.hints_shown = max(self.hints_shown, min(int(record.get("hints", 0)), len(self.task.hints)))
        self.solved = self.solved or bool(record.get("right"))
        self.solution_shown = self.solution_shown or bool(record.get("solution_seen"))

    # --- words -------------------------------------------------------------------------------
    def render(self) -> None:
        lang = self.owner.lang
        ex = self.owner.exercise_set
        task = self.task
        app_note = f"<span class='ck-use-app'>{escape(t('use_app', lang))}</span> " if task.use_app else ""
        label = f"<b>{escape(t('task', lang, number=self.number))}</b> {app_note}"
        self.question.value = f"<div class='ck-question-text'>{numbered(label, markdown(ex.question(task, lang)))}</div>"
        if task.kind == "choice":
            options = ex.options(task, lang)
            index = self.box.index if self.box.value is not None else None
            if list(self.box.options) != options:
                self.box.options = options
                self.box.value = options[index] if index is not None else None
        else:
            self.box.placeholder = t("placeholder", lang)
            if task.kind in ("money", "rate"):
                unit = t(f"unit_{task.kind}", lang)
            elif task.kind == "weight":
                unit = i18n.tr(f"unit.{task.unit}", lang)
            else:
                unit = ""
            self.unit.value = f"<span class='ck-unit'>{escape(unit)}</span>" if unit else ""
        self.check_button.description = t("check", lang)
        total = len(task.hints)
        self.hint_button.description = t("hint", lang, shown=self.hints_shown, total=total)
        self.hint_button.disabled = self.hints_shown >= total
        self.solution_button.description = t("solution_button", lang)
        self.solution_button.disabled = not self.may_see_solution() or self.solution_shown
        feedback = ""
        if self.verdict is not None:
            verdict = ex.check(task, self.last_typed, self.typed_lang, words=lang)  # in the page's language now
            css = {"right": "ck-right", "mistake": "ck-mistake", "wrong": "ck-wrong"}.get(verdict.status, "ck-error")
            feedback = f"<p class='{css}'>{escape(verdict.message)}</p>"
        elif self.solved:
            feedback = f"<p class='ck-right'>{escape(t('already_right', lang))}</p>"
        self.feedback.value = feedback
        hints = ex.hints(task, lang)[: self.hints_shown]
        shown_hints = []
        for number, hint in enumerate(hints, start=1):
            label = f"<b>{escape(t('hint_title', lang, number=number))}</b>"
            shown_hints.append(f"<div class='ck-hint-text'>{numbered(label, markdown(hint))}</div>")
        self.hints.value = "".join(shown_hints)
        if self.solution_shown or (self.released and not self.solved):
            note = f"<p class='ck-released'>{escape(t('released', lang))}</p>" if self.released and not self.solution_shown else ""
            label = f"<b>{escape(t('solution_title', lang))}</b>"
            self.solution.value = f"<div class='ck-solution-text'>{note}{numbered(label, markdown(ex.solution(task, lang)))}</div>"
        else:
            self.solution.value = ""


class ExerciseView(_Shell):
    """A workbook's exercises: the case, then its tasks, recorded for the trainee of ``bar``."""

    name = "exercises"

    def __init__(self, exercise_set: ExerciseSet, lang: str, bar: TraineeBar, *, poll: bool = True) -> None:
        self.exercise_set = exercise_set
        self.lang = i18n.normalize_language(lang)
        self.bar = bar
        self.store = bar.store
        self._pending: list[tuple[Task, str, dict[str, Any]]] = []
        self._released_stamp = -1.0
        self.title = _html("ck-exercise-title")
        self.case = _html("ck-case")
        self.note = _html("ck-trainee-note")
        self.problem = _html("ck-exercise-problem")
        self.tasks = [_TaskView(self, task, n) for n, task in enumerate(exercise_set.tasks, start=1)]
        children: list[widgets.Widget] = [self.title, self.case, self.note]
        children += [task.view for task in self.tasks]
        children.append(self.problem)
        # Started by the page (share/…/ck_trainee.html.j2 presses its play button once drawn).
        self.tick = widgets.Play(interval=RELEASE_POLL_MS, max=10**9, repeat=True, playing=False,
                                 layout=widgets.Layout(display="none"))
        self.tick.add_class("ck-release-poll")
        if poll:
            children.append(self.tick)
        self.view = widgets.VBox(children)
        self.view.add_class("ck-exercises")  # not a .ck-app: a workbook page's .ck-app is its app
        self.tick.observe(safe(self, lambda _c: self.look_for_releases()), "value")
        bar.on_change(safe(self, self.trainee_changed))
        self.look_for_releases(render=False)
        self.render()

    def record(self, task: Task, event: str, **details: Any) -> None:
        """Save one event for the trainee; kept until the trainee has typed a name."""
        if self.bar.trainee is None:
            self._pending.append((task, event, details))
            return
        self.store.record(self.bar.trainee, self.exercise_set.workbook, task.id, event, **details)

    def trainee_changed(self, trainee: Trainee | None) -> None:
        if trainee is not None:
            pending, self._pending = self._pending, []
            for task, event, details in pending:
                self.store.record(trainee, self.exercise_set.workbook, task.id, event, **details)
            mine = {r["task"]: r for r in self.store.records(trainee) if r["workbook"] == self.exercise_set.workbook}
            for view in self.tasks:
                if view.task.id in mine:
                    view.restore(mine[view.task.id])
        self.render()

    def look_for_releases(self, render: bool = True) -> None:
        stamp = self.store.released_stamp()
        if stamp == self._released_stamp:
            return
        self._released_stamp = stamp
        released = {task for workbook, task in self.store.released() if workbook == self.exercise_set.workbook}
        changed = False
        for view in self.tasks:
            now = view.task.id in released
            changed = changed or now != view.released
            view.released = now
        if changed and render:
            for view in self.tasks:
                view.render()

    def render(self) -> None:
        lang = self.lang
        ex = self.exercise_set
        self.title.value = f"<h2>{escape(ex.title.get(lang))}</h2>"
        self.case.value = markdown(ex.case_text(lang))
        self.note.value = "" if self.bar.trainee is not None else f"<p class='ck-note'>{escape(i18n.tr('trainee.not_saved', lang))}</p>"
        for view in self.tasks:
            view.render()

    def set_lang(self, lang: str) -> None:
        self.lang = i18n.normalize_language(lang)
        self.render()


def quiz_tasks(quiz: ExerciseSet, day: str) -> list[Task]:
    """The day's quiz: up to ten questions, taken in turn from each of the day's workbooks in
    the file's order, so that every workbook of the day is asked about.

    >>> quiz = exercises.set_for("quiz")
    >>> tasks = quiz_tasks(quiz, "day1")
    >>> len(tasks), {t.about for t in tasks} <= set(QUIZ_DAYS["day1"])
    (10, True)
    """
    lessons = QUIZ_DAYS[day]
    queues = {lesson: [task for task in quiz.tasks if task.about == lesson] for lesson in lessons}
    chosen: list[Task] = []
    while len(chosen) < QUIZ_SIZE and any(queues.values()):
        for lesson in lessons:
            if queues[lesson] and len(chosen) < QUIZ_SIZE:
                chosen.append(queues[lesson].pop(0))
    return chosen


class QuizView(_Shell):
    """The before/after quiz: the day, the moment (before or after), ten questions answered once."""

    name = "quiz"

    def __init__(self, quiz: ExerciseSet, lang: str, bar: TraineeBar) -> None:
        self.quiz = quiz
        self.lang = i18n.normalize_language(lang)
        self.bar = bar
        self.store = bar.store
        self.day = widgets.ToggleButtons(options=[("1", "day1"), ("2", "day2")], value="day1")
        self.day.add_class("ck-quiz-day")
        self.stage = widgets.ToggleButtons(options=[("1", "before"), ("2", "after")], value="before")
        self.stage.add_class("ck-quiz-stage")
        self.intro = _html("ck-quiz-intro")
        self.questions = widgets.VBox()
        self.questions.add_class("ck-quiz-questions")
        self.score = _html("ck-quiz-score")
        self.problem = _html("ck-quiz-problem")
        self.answers: dict[str, int] = {}
        self.boxes: dict[str, widgets.RadioButtons] = {}
        self.view = widgets.VBox([self.intro, self.day, self.stage, self.questions, self.score, self.problem])
        self.view.add_class("ck-quiz")
        self.view.add_class("ck-app")
        self.day.observe(safe(self, lambda _c: self.rebuild()), "value")
        self.stage.observe(safe(self, lambda _c: self.rebuild()), "value")
        bar.on_change(safe(self, lambda _t: self.rebuild()))
        self.rebuild()
        self.view.add_class("ck-ready")

    @property
    def workbook(self) -> str:
        return f"quiz-{self.stage.value}"

    def rebuild(self) -> None:
        """Show the questions of the chosen day and moment, with the answers already given."""
        self.answers = {}
        if self.bar.trainee is not None:
            for record in self.store.records(self.bar.trainee):
                if record["workbook"] == self.workbook and record["answers"]:
                    self.answers[record["task"]] = int(record["answers"][0]["value"])
        self.boxes = {}
        rows = []
        for number, task in enumerate(quiz_tasks(self.quiz, self.day.value), start=1):
            box = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
            box.add_class("ck-choice")
            box.observe(safe(self, lambda change, task=task: self.answered(task, change)), "index")
            self.boxes[task.id] = box
            question = _html("ck-question")
            feedback = _html("ck-feedback")
            row = widgets.VBox([question, box, feedback])
            row.add_class("ck-task")
            row.add_class(f"ck-task-{task.id}")
            rows.append((task, number, question, box, feedback, row))
        self._rows = rows
        self.questions.children = [row[-1] for row in rows]
        self.render()

    def answered(self, task: Task, change: dict[str, Any]) -> None:
        index = change["new"]
        if index is None or task.id in self.answers:
            return
        if self.bar.trainee is None:
            self.boxes[task.id].index = None
            self.problem.value = f"<p class='ck-error'>{escape(i18n.tr('trainee.first', self.lang))}</p>"
            return
        self.problem.value = ""
        verdict = self.quiz.check(task, int(index), self.lang)
        self.answers[task.id] = int(index)
        self.store.record(self.bar.trainee, self.workbook, task.id, "attempt", typed=str(index),
                          value=float(index), status=verdict.status, mistake=verdict.mistake)
        self.render()

    def render(self) -> None:
        lang = self.lang
        self.intro.value = markdown(i18n.tr("quiz.intro", lang))
        for toggle, keys in ((self.day, ("day1", "day2")), (self.stage, ("before", "after"))):
            options = [(i18n.tr(f"quiz.{key}", lang), key) for key in keys]
            if list(toggle.options) != options:
                toggle.options = options
        after = self.stage.value == "after"
        right = 0
        for task, number, question, box, feedback, _row in self._rows:
            label = f"<b>{escape(i18n.tr('quiz.question', lang, number=number))}</b>"
            question.value = numbered(label, markdown(self.quiz.question(task, lang)))
            options = self.quiz.options(task, lang)
            if list(box.options) != options:
                box.options = options
            chosen = self.answers.get(task.id)
            if chosen is not None:
                if box.index != chosen:
                    box.index = chosen
                box.disabled = True
                is_right = chosen == self.quiz.expected(task)
                right += is_right
                if after:
                    css = "ck-right" if is_right else "ck-wrong"
                    word = i18n.tr("exercise.right" if is_right else "quiz.was_wrong", lang)
                    feedback.value = (f"<p class='{css}'>{escape(word)}</p>"
                                      f"<div class='ck-solution-text'>{markdown(self.quiz.solution(task, lang))}</div>")
                else:
                    feedback.value = f"<p class='ck-saved'>{escape(i18n.tr('quiz.saved', lang))}</p>"
            else:
                box.disabled = False
                feedback.value = ""
        done = len([r for r in self._rows if r[0].id in self.answers])
        if after and done == len(self._rows) and self._rows:
            self.score.value = f"<p class='ck-quiz-total'>{escape(i18n.tr('quiz.score', lang, right=right, total=len(self._rows)))}</p>"
        else:
            self.score.value = f"<p>{escape(i18n.tr('quiz.progress', lang, done=done, total=len(self._rows)))}</p>"

    def set_lang(self, lang: str) -> None:
        self.lang = i18n.normalize_language(lang)
        self.render()
