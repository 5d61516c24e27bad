"""The trainer's live view of the room (``notebooks/trainer.ipynb``), opened with the trainer's key.

Until the trainer's key is typed (``$COOPKIT_TRAINER_KEY``, or the one ``make serve`` keeps in
``<answer dir>/trainer-key.txt``: `coopkit.answers.trainer_key`) the page shows a key box and
nothing of the room. With the key it shows, refreshed every three seconds when an answer has
changed: who did which task (a grid of trainees × tasks), how many got each task right and the
most common wrong answers, who is stuck, a button per task that releases its solution to the
room (or takes it back), the quiz's gain, and two downloads: the room in Excel (answers.xlsx)
and the certificates of completion (one A4 page per trainee).

A hidden ``Play`` widget ticks every three seconds; its tick goes through the page's one refresh
path, which redraws only when the answer files changed (their count, newest time and size).
Everything a trainee typed is escaped before it is shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import logging
import math
import numbers
import os
import time
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from coopkit import exercises, i18n, progress
from coopkit.answers import AnswerStore, trainer_key
from coopkit.errors import InputError
from coopkit.ui.base import safe
from coopkit.ui.controls import language_toggle
from coopkit.ui.panels import XLSX, download_link
from coopkit.ui.panels import html as _html
from coopkit.ui.tables import scroll_box

__all__ = ["TrainerPage", "REFRESH_MS", "XLSX_FILE", "PDF_FILE", "MAX_KEY_TRIES", "KEY_WAIT_SECONDS"]

log = logging.getLogger("coopkit.ui")

#: How often (milliseconds) the page looks for new answers.
REFRESH_MS = 3000
#: Wrong keys a page may be given before it must wait `KEY_WAIT_SECONDS` (a visitor's page
#: cannot try keys by the thousand).
MAX_KEY_TRIES = 5
KEY_WAIT_SECONDS = 60
#: The downloads' file names.
XLSX_FILE = "answers.xlsx"
PDF_FILE = "certificates.pdf"


def t(key: str, lang: str, **params: object) -> str:
    return i18n.tr(f"trainer.{key}", lang, **params)


class TrainerPage:
    """The trainer page: a key box, then the live room.

    ``root`` is the room's answer folder (default ``$COOPKIT_ANSWER_DIR``); ``exercises_folder``
    the exercise files (default `coopkit.exercises.exercises_dir`). Test it without a browser:
    type the key (``page.key.value = …``), read ``page.records``, the widgets' ``value``, click a
    release button (``page.release_buttons[("break_even", "volume")].click()``).
    """

    name = "trainer"

    def __init__(self, lang: str | None = None, standalone: bool = False, root: str | os.PathLike[str] | None = None,
                 *, exercises_folder: str | os.PathLike[str] | None = None) -> None:
        self.lang = i18n.normalize_language(lang or i18n.DEFAULT_LANGUAGE)
        self.store = AnswerStore(root)
        self.exercises_folder = Path(exercises_folder) if exercises_folder is not None else None
        self.unlocked = False
        self.records: list[dict[str, Any]] = []
        self.sets: list[exercises.ExerciseSet] = []
        self.set_problems: list[str] = []
        self._shown: tuple[Any, ...] | None = None
        self._certificates: tuple[tuple[Any, ...], bytes] | None = None
        self.release_buttons: dict[tuple[str, str], widgets.Button] = {}
        self._questions: dict[tuple[str, str, str], str] = {}
        #: The clock the wait after too many wrong keys is measured with (tests move it on).
        self.clock = time.monotonic
        self._wrong_keys = 0
        self._locked_until = 0.0

        self.title = _html("ck-title")
        self.help = _html("ck-help")
        self.toggle = language_toggle(self.lang) if standalone else None
        self.key_label = _html("ck-input-label")
        self.key = widgets.Password(continuous_update=False, layout=widgets.Layout(width="16em"))
        self.key.add_class("ck-trainer-key")
        self.open_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.open_button.add_class("ck-trainer-open")
        self.message = _html("ck-trainer-message")
        self.problem = _html("ck-trainer-problem")
        form = widgets.HBox([self.key_label, self.key, self.open_button],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.key_form = widgets.VBox([form, self.message])
        self.key_form.add_class("ck-trainer-form")

        self.tick = widgets.Play(interval=REFRESH_MS, min=0, max=10**9, repeat=True, playing=False,
                                 layout=widgets.Layout(display="none"))
        self.tick.add_class("ck-room-tick")
        self.status = _html("ck-room-status")
        self.heads = {key: _html("ck-room-head") for key in ("grid", "tasks", "stuck", "releases", "quiz", "export")}
        self.grid = _html("ck-room-grid")
        self.grid.layout = widgets.Layout(width="100%", max_width="100%")
        self.tasks = _html("ck-room-tasks")
        self.tasks.layout = widgets.Layout(width="100%", max_width="100%")
        self.stuck = _html("ck-room-stuck")
        self.releases = widgets.VBox()
        self.releases.add_class("ck-room-releases")
        self.quiz = _html("ck-room-quiz")
        self.workshop_label = _html("ck-input-label")
        self.workshop = widgets.Text(continuous_update=False, layout=widgets.Layout(width="20em"))
        self.workshop.add_class("ck-room-workshop")
        self.downloads = _html("ck-room-downloads")
        workshop_row = widgets.HBox([self.workshop_label, self.workshop],
                                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.room = widgets.VBox([
            self.status, self.tick,
            self.heads["grid"], self.grid, self.heads["tasks"], self.tasks, self.heads["stuck"], self.stuck,
            self.heads["releases"], self.releases, self.heads["quiz"], self.quiz,
            self.heads["export"], workshop_row, self.downloads,
        ], layout=widgets.Layout(display="none", width="100%"))
        self.room.add_class("ck-room")

        header = [self.title] + ([self.toggle] if self.toggle is not None else [])
        self.view = widgets.VBox([
            widgets.HBox(header, layout=widgets.Layout(justify_content="space-between", flex_flow="row wrap")),
            self.help, self.key_form, self.problem, self.room,
        ])
        for css in ("ck-trainer", "ck-app", "ck-app-trainer"):
            self.view.add_class(css)

        self.key.observe(safe(self, self._key_typed), "value")
        self.open_button.on_click(safe(self, lambda _b: self.unlock(self.key.value)))
        self.tick.observe(safe(self, lambda _c: self.refresh()), "value")
        self.workshop.observe(safe(self, lambda _c: self.refresh(force=True)), "value")
        if self.toggle is not None:
            self.toggle.observe(safe(self, lambda change: self.set_lang(change["new"])), "value")
        self._render_texts()
        self.view.add_class("ck-ready")

    # -- what `coopkit.ui.base.safe` needs ----------------------------------------------------
    def show_input_error(self, err: InputError) -> None:
        self.problem.value = f"<p class='ck-status-error'>⚠ {escape(err.message(self.lang))}</p>"

    def show_unexpected_error(self) -> None:
        self.problem.value = f"<p class='ck-status-error'>{escape(i18n.tr('app.unexpected_error', self.lang))}</p>"

    # -- the key --------------------------------------------------------------------------------
    def _key_typed(self, change: dict) -> None:
        if change["new"]:
            self.unlock(change["new"])

    def unlock(self, typed: str) -> bool:
        """Open the room if ``typed`` is the trainer's key; otherwise say so and show nothing."""
        if not typed:
            return False
        now = self.clock()
        if now < self._locked_until:  # too many wrong keys: this one is not even compared
            if self.key.value:
                self.key.value = ""
            seconds = str(math.ceil(self._locked_until - now))
            self.message.value = f"<p class='ck-status-error'>⚠ {escape(t('key_locked', self.lang, seconds=seconds))}</p>"
            return False
        right = hmac.compare_digest(typed.strip().encode("utf-8"), trainer_key(self.store.root).encode("utf-8"))
        if self.key.value:
            self.key.value = ""  # the key does not stay in the page
        if not right:
            self.lock()
            self._wrong_keys += 1
            if self._wrong_keys >= MAX_KEY_TRIES:
                self._wrong_keys = 0
                self._locked_until = now + KEY_WAIT_SECONDS
            self.message.value = f"<p class='ck-status-error'>⚠ {escape(t('wrong_key', self.lang))}</p>"
            return False
        self._wrong_keys = 0
        self.unlocked = True
        self.message.value = ""
        self.key_form.layout.display = "none"
        self.help.layout.display = "none"  # it tells how to open the room
        self.sets, self.set_problems = self._load_sets()
        self._questions = {}
        self._build_releases()
        self.room.layout.display = None
        self.refresh(force=True)
        self.tick.playing = True
        return True

    def lock(self) -> None:
        """Hide the room and forget what it showed."""
        self.unlocked = False
        self.tick.playing = False
        self.room.layout.display = "none"
        self.key_form.layout.display = None
        self.help.layout.display = None
        self.records = []
        self._shown = None
        self._certificates = None
        for widget in (self.status, self.grid, self.tasks, self.stuck, self.quiz, self.downloads):
            widget.value = ""
        self.releases.children = []
        self.release_buttons = {}

    # -- the room ---------------------------------------------------------------------------------
    def _load_sets(self) -> tuple[list[exercises.ExerciseSet], list[str]]:
        """Every exercise set that reads; a broken file is named, not fatal."""
        folder = self.exercises_folder or exercises.exercises_dir()
        try:
            return exercises.exercise_sets(folder), []  # kept while the files do not change
        except InputError:
            pass
        sets, problems = [], []
        for path in sorted(folder.glob("*.toml")):
            try:
                sets.append(exercises.load_set(path))
            except InputError as err:
                problems.append(err.message(self.lang))
        return sets, problems

    def signature(self) -> tuple[Any, ...]:
        """A cheap fingerprint of the answers: how many files, the newest change, their size; and
        the releases, the language and the workshop's name."""
        count, newest, size = 0, 0, 0
        base = self.store.root / "trainees"
        try:
            folders = list(os.scandir(base))
        except OSError:
            folders = []
        for folder in folders:
            if not folder.is_dir():
                continue
            try:
                entries = list(os.scandir(folder.path))
            except OSError:
                continue
            for entry in entries:
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    try:
                        stat = entry.stat()
                    except OSError:
                        continue
                    count, newest, size = count + 1, max(newest, stat.st_mtime_ns), size + stat.st_size
        return count, newest, size, self.store.released_stamp(), self.lang, self.workshop.value

    def refresh(self, _change: object = None, *, force: bool = False) -> None:
        """The one refresh path: read the answers and redraw, when they changed (or ``force``)."""
        if not self.unlocked:
            return
        signature = self.signature()
        if signature == self._shown and not force:
            return
        self._shown = signature
        self.records = self.store.records()
        released = self.store.released()
        lang = self.lang
        trainees = len({r["trainee"]["key"] for r in self.records})
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.status.value = f"<p class='ck-note'>{escape(t('status', lang, trainees=trainees, time=now))}</p>"
        self.grid.value = self._grid_html()
        self.tasks.value = self._tasks_html()
        self.stuck.value = self._stuck_html()
        self.quiz.value = self._quiz_html()
        self._show_releases(released)
        self.downloads.value = self._downloads_html()
        problems = "".join(f"<li>{escape(p)}</li>" for p in self.set_problems)
        self.problem.value = f"<ul class='ck-status-error'>{problems}</ul>" if problems else ""

    def _question(self, exercise_set: exercises.ExerciseSet, task: exercises.Task) -> str:
        """The task's question in the page's language (filled once: its numbers come from formulas)."""
        key = (exercise_set.workbook, task.id, self.lang)
        if key not in self._questions:
            self._questions[key] = exercise_set.question(task, self.lang)
        return self._questions[key]

    def _task_sets(self) -> list[exercises.ExerciseSet]:
        return [s for s in self.sets if s.workbook != exercises.QUIZ]

    def _grid_html(self) -> str:
        lang = self.lang
        if not self.records:
            return f"<p class='ck-note'>{escape(t('no_answers', lang))}</p>"
        by_cell = {(r["trainee"]["key"], r["workbook"], r["task"]): r for r in self.records}
        people = {r["trainee"]["key"]: r["trainee"] for r in self.records}
        people = dict(sorted(people.items(), key=lambda item: (item[1]["name"].casefold(), item[1]["cooperative"].casefold())))
        answered = {r["workbook"] for r in self.records}
        shown = [s for s in self._task_sets() if s.workbook in answered]
        stuck = {(s.key, s.workbook, s.task) for s in progress.stuck(self.records, self.sets)}
        top = [f"<th class='ck-row-head' rowspan='2'>{escape(t('trainee', lang))}</th>"]
        top += [f"<th colspan='{len(s.tasks)}' title='{escape(s.title.get(lang))}'>{escape(_short_title(s, lang))}</th>"
                for s in shown]
        second = [f"<th title='{escape(self._question(s, task))}'>{escape(task.id)}</th>" for s in shown for task in s.tasks]
        rows = []
        for key, person in people.items():
            cells = []
            for s in shown:
                for task in s.tasks:
                    record = by_cell.get((key, s.workbook, task.id))
                    mark, state = _mark(record)
                    is_stuck = (key, s.workbook, task.id) in stuck
                    css = "ck-room-cell" + (" ck-stuck" if is_stuck else "")
                    style = _CELL_STYLE["stuck" if is_stuck else state]
                    cells.append(f"<td class='{css} ck-room-{state}' style='{style}' data-trainee='{escape(key)}' "
                                 f"data-workbook='{escape(s.workbook)}' data-task='{escape(task.id)}' "
                                 f"data-state='{state}'>{mark}</td>")
            head = (f"<th class='ck-row-head' data-trainee='{escape(key)}'>{escape(person['name'])}"
                    f"<br><small>{escape(person['cooperative'])}</small></th>")
            rows.append(f"<tr>{head}{''.join(cells)}</tr>")
        legend = f"<p class='ck-note' style='white-space:normal'>{escape(t('legend', lang))}</p>"
        table = (f"<table class='ck-frame ck-room-table'><thead><tr>{''.join(top)}</tr><tr>{''.join(second)}</tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table>")
        return scroll_box(table) + legend

    def _tasks_html(self) -> str:
        lang = self.lang
        summary = progress.task_summary(self.records, self.sets, lang)
        if summary.empty:
            return f"<p class='ck-note'>{escape(t('no_sets', lang))}</p>"
        heads = "".join(f"<th>{escape(str(c))}</th>" for c in summary.columns)
        rows = []
        for values in summary.itertuples(index=False):
            cells = "".join(f"<td class='{'ck-num' if isinstance(v, numbers.Number) else 'ck-text'}'>{escape(str(v))}</td>"
                            for v in values)
            rows.append(f"<tr>{cells}</tr>")
        return scroll_box(f"<table class='ck-frame'><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def _stuck_html(self) -> str:
        lang = self.lang
        found = progress.stuck(self.records, self.sets)
        if not found:
            return f"<p class='ck-note'>{escape(t('nobody_stuck', lang))}</p>"
        titles = {s.workbook: _short_title(s, lang) for s in self.sets}
        items = "".join(
            f"<li data-trainee='{escape(s.key)}'><b>{escape(s.name)}</b> ({escape(s.cooperative)}): "
            f"{escape(titles.get(s.workbook, s.workbook))} · {escape(s.task)} — "
            f"{escape(t('stuck_detail', lang, attempts=s.attempts, hints=s.hints))}</li>"
            for s in found)
        return f"<ul class='ck-room-stuck-list'>{items}</ul>"

    def _quiz_html(self) -> str:
        lang = self.lang
        quiz = next((s for s in self.sets if s.workbook == exercises.QUIZ), None)
        gain = progress.quiz_gain(self.records, quiz) if quiz is not None else None
        if gain is None or (gain.before is None and gain.after is None):
            return f"<p class='ck-note'>{escape(t('no_quiz', lang))}</p>"
        from coopkit import fmt

        def share(value: float | None) -> str:
            return "—" if value is None or value != value else fmt.percent(value, lang)

        taken = {c: int(gain.trainees[c].notna().sum()) for c in ("before", "after")}
        line = t("quiz_line", lang, before=share(gain.before), after=share(gain.after),
                 before_count=taken["before"], after_count=taken["after"])
        if gain.gain is not None:
            line += " " + t("quiz_gain", lang, points=fmt.number(round(gain.gain * 100), lang))
        questions = {task.id: self._question(quiz, task) for task in quiz.tasks}
        rows = "".join(
            f"<tr><td class='ck-text ck-row-head' title='{escape(questions.get(q, q))}'>{escape(q)}</td>"
            f"<td class='ck-num'>{escape(share(b))}</td><td class='ck-num'>{escape(share(a))}</td></tr>"
            for q, b, a in gain.questions.itertuples(index=False))
        heads = "".join(f"<th>{escape(i18n.tr(f'room.column.{c}', lang))}</th>" for c in ("question", "before", "after"))
        table = f"<table class='ck-frame'><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        return f"<p class='ck-room-quiz-line'>{escape(line)}</p>" + scroll_box(table)

    def _downloads_html(self) -> str:
        lang = self.lang
        xlsx = progress.room_xlsx(self.records, self.sets, lang)
        links = [download_link("ck-room-xlsx", XLSX_FILE, XLSX, xlsx, t("download_xlsx", lang))]
        pdf = self.certificates()
        if pdf:
            links.append(download_link("ck-room-certificates", PDF_FILE, "application/pdf", pdf, t("download_certificates", lang)))
        else:
            links.append(f"<span class='ck-note ck-room-certificates-none'>{escape(t('no_certificates', lang))}</span>")
        return " &nbsp; ".join(links)

    def certificates(self) -> bytes:
        """The certificates PDF of the trainees who completed at least one workbook (made again
        only when that list, the language or the workshop changed); empty when nobody has."""
        done = progress.completed(self.records, self.sets)
        people = {r["trainee"]["key"]: r["trainee"] for r in self.records}
        chosen = [(people[key], lessons) for key, lessons in done.items() if lessons]
        workshop = self.workshop.value.strip() or t("workshop_default", self.lang)
        today = dt.date.today()
        key = (tuple((p["name"], p["cooperative"], tuple(ls)) for p, ls in chosen), self.lang, workshop, today)
        if self._certificates is None or self._certificates[0] != key:
            from coopkit.plots.certificates import certificates_pdf

            self._certificates = (key, certificates_pdf(chosen, self.lang, workshop, today) if chosen else b"")
        return self._certificates[1]

    # -- releases ---------------------------------------------------------------------------------
    def _build_releases(self) -> None:
        """Per workbook: its title, then each task's name and button side by side, wrapping."""
        groups = []
        self.release_buttons = {}
        self._release_labels: dict[tuple[str, str], widgets.HTML] = {}
        self._release_titles: dict[str, widgets.HTML] = {}
        for exercise_set in self._task_sets():
            items = []
            for task in exercise_set.tasks:
                button = widgets.Button(layout=widgets.Layout(width="auto"))
                button.add_class("ck-release")
                button.add_class(f"ck-release-{exercise_set.workbook}-{task.id}")
                button.on_click(safe(self, lambda _b, w=exercise_set.workbook, k=task.id: self.toggle_release(w, k)))
                label = _html("ck-release-label")
                self.release_buttons[(exercise_set.workbook, task.id)] = button
                self._release_labels[(exercise_set.workbook, task.id)] = label
                items.append(widgets.HBox([label, button], layout=widgets.Layout(align_items="center", margin="0 18px 0 0")))
            title = _html("ck-release-workbook")
            self._release_titles[exercise_set.workbook] = title
            groups.append(widgets.VBox([title, widgets.HBox(items, layout=widgets.Layout(flex_flow="row wrap"))]))
        self.releases.children = groups

    def _show_releases(self, released: set[tuple[str, str]]) -> None:
        lang = self.lang
        for exercise_set in self._task_sets():
            title = self._release_titles.get(exercise_set.workbook)
            if title is not None:
                title.value = f"<b>{escape(_short_title(exercise_set, lang))}</b>"
            for task in exercise_set.tasks:
                key = (exercise_set.workbook, task.id)
                button = self.release_buttons.get(key)
                if button is None:
                    continue
                name = f"{_short_title(exercise_set, lang)} · {task.id}"
                is_out = key in released
                button.description = t("take_back" if is_out else "release", lang)
                button.tooltip = t("release_tooltip" if not is_out else "take_back_tooltip", lang, task=name)
                button.button_style = "warning" if is_out else ""
                state = f" <b>({escape(t('released', lang))})</b>" if is_out else ""
                self._release_labels[key].value = (f"<span title='{escape(self._question(exercise_set, task))}'>"
                                                   f"{escape(task.id)}</span>{state}")

    def toggle_release(self, workbook: str, task: str) -> None:
        """Release the solution of a task to the room, or take it back when it is out."""
        if not self.unlocked:
            return
        self.store.release(workbook, task, (workbook, task) not in self.store.released())
        self.refresh(force=True)

    # -- language ---------------------------------------------------------------------------------
    def _render_texts(self) -> None:
        lang = self.lang
        # On its page the lesson's header is the title; a page of its own (standalone) shows it here.
        self.title.value = f"<h2>{escape(t('title', lang))}</h2>" if self.toggle is not None else ""
        self.help.value = f"<p>{escape(t('help', lang))}</p>"
        self.key_label.value = escape(t('key', lang))
        self.open_button.description = t("open", lang)
        self.workshop_label.value = escape(t("workshop", lang))
        self.workshop.placeholder = t("workshop_default", lang)
        for key, widget in self.heads.items():
            widget.value = f"<h3>{escape(t(f'section.{key}', lang))}</h3>"
        if self.message.value:
            self.message.value = f"<p class='ck-status-error'>⚠ {escape(t('wrong_key', lang))}</p>"

    def set_lang(self, lang: str) -> None:
        """Switch every label and table to ``lang``."""
        self.lang = i18n.normalize_language(lang)
        if self.toggle is not None and self.toggle.value != self.lang:
            self.toggle.value = self.lang
        self._render_texts()
        self.refresh(force=True)

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.view._repr_mimebundle_(**kwargs)


def _short_title(exercise_set: exercises.ExerciseSet, lang: str) -> str:
    """The workbook's number and short title ("2. Break-even"), else the set's title."""
    return _lesson_title(exercise_set.workbook, lang) or exercise_set.title.get(lang)


@functools.lru_cache(maxsize=64)
def _lesson_title(lesson: str, lang: str) -> str:
    from coopkit import workbooks

    try:
        return workbooks.header(workbooks.find(lesson), lang).title.split(":")[0]
    except InputError:
        return ""


_CELL_STYLE = {  # the page's own colours: the grid reads at a glance from the back of the room
    "right": "background:#e8f5e9;color:#1b5e20;text-align:center",
    "stuck": "background:#fde0dc;color:#b71c1c;text-align:center;font-weight:bold",
    "tried": "background:#fff8e1;text-align:center",
    "seen": "text-align:center", "opened": "text-align:center", "none": "text-align:center",
}


def _mark(record: dict[str, Any] | None) -> tuple[str, str]:
    """A grid cell: ✓ right, the number of attempts when tried and not right, ★ solution seen."""
    if record is None:
        return "", "none"
    star = " ★" if record.get("solution_seen") else ""
    if record.get("right"):
        return "✓" + star, "right"
    attempts = int(record.get("attempts", 0))
    if attempts:
        return f"{attempts}{star}", "tried"
    return (star.strip() or "·"), "seen" if star else "opened"
