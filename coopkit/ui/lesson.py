"""A workbook page: the language switch, worked answers and the app, around the lesson's prose.

The lesson's words are the notebook's markdown cells, Vietnamese and English side by side
(`coopkit.workbooks`); the ``coopkit`` Voila template shows the cells of the page's language
only. The widgets here carry what the code computes: the switch, a worked example's answer, the
app. The switch flips the page at once: it sets the page's language (a hidden element the
template watches, which shows the other language's cells) and re-words every widget.

In a notebook::

    page = Lesson("unit_cost")          # the entry of notebooks/workbooks.toml
    page.switch()                       # the language switch, at the top
    page.answer(ck.unit_cost(...))      # a worked example's answer, after its markdown
    page.app()                          # the workbook's app (its entry: app and product)
    page.finish()                       # the visitor's language (?lang= or the browser's)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import i18n, workbooks
from coopkit.ui.base import safe
from coopkit.ui.controls import language_toggle
from coopkit.ui.tables import format_kind

__all__ = ["Lesson", "page_language", "page_title"]


def page_language(environ: dict[str, str] | None = None) -> str:
    """The language the visitor asked for.

    Under a preheated Voila kernel the notebook runs before anyone visits; this waits for
    the visit (``voila.utils.wait_for_request``) so that ``?lang=`` and the browser's
    Accept-Language are known.
    """
    if environ is None and os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        wait_for_request()
    return i18n.language_from_environ(environ)


def page_title(title: str) -> str:
    """The browser tab's title for a page titled ``title``: ``"2. Hòa vốn: … — coopkit"``."""
    return title if "coopkit" in title else f"{title} — coopkit"


def _page_meta(title: str, lang: str) -> str:
    """A hidden element carrying the page's language and tab title.

    The ``coopkit`` Voila template watches it: it sets ``<html lang>`` (which shows the lesson's
    cells of that language) and ``document.title``.
    """
    return (f"<span class='ck-page-meta' hidden data-ck-lang='{escape(lang)}' "
            f"data-ck-title='{escape(page_title(title))}'></span>")


class Lesson:
    """One workbook page; ``name`` is the lesson's name in ``notebooks/workbooks.toml``
    (or a page of `coopkit.workbooks.PAGES`: ``"start"``, ``"quiz"``, ``"trainer"``)."""

    def __init__(self, name: str, lang: str | None = None) -> None:
        self.name = name
        self.page = workbooks.PAGES.get(name)
        self.workbook = None if self.page else workbooks.find(name)
        self.lang = i18n.normalize_language(lang or (None if os.environ.get("VOILA_PREHEAT") == "True" else page_language()))
        self.apps: list[Any] = []
        self._parts: list[tuple[widgets.HTML, Callable[[str], str]]] = []
        self.toggle = language_toggle(self.lang)
        self.toggle.observe(lambda change: self.set_lang(change["new"]), "value")

    def title(self, lang: str) -> str:
        """The lesson's title in ``lang``, from its notebook's header cell."""
        return workbooks.header(self.workbook or self.page or workbooks.START, lang).title

    def _html(self, render: Callable[[str], str], css: str) -> widgets.HTML:
        widget = widgets.HTML(render(self.lang))
        widget.add_class(css)
        self._parts.append((widget, render))
        return widget

    def switch(self) -> widgets.VBox:
        """The language switch, with the page's language and title for the template."""
        titles = {lang: self.title(lang) for lang in workbooks.LANGUAGES}
        box = widgets.VBox([self.toggle, self._html(lambda lang: _page_meta(titles[lang], lang), "ck-page-lang")])
        box.add_class("ck-switch")
        return box

    def answer(self, value: float, kind: str = "money") -> widgets.HTML:
        """A worked example's answer, formatted in the page's language (``kind``: money, number,
        count or rate); the example's question and working are the markdown just above."""

        def render(lang: str) -> str:
            return f"<p class='ck-example'><b data-value='{float(value)!r}'>{format_kind(value, kind, lang)}</b></p>"

        return self._html(render, "ck-lesson-example")

    def app(self, app_class: type | None = None, **kwargs: Any) -> Any:
        """Build an app in the page's language; the page's switch drives it.

        Without ``app_class``, the workbook's own app with the options of its entry in
        ``notebooks/workbooks.toml`` (``kwargs`` override them: ``page.app(product="…")``).
        """
        if app_class is None:
            if self.workbook is None:
                raise TypeError("the start page has no app of its own")
            app_class = self.workbook.app_class()
            kwargs = self.workbook.app_options() | kwargs
        app = app_class(lang=self.lang, standalone=False, **kwargs)
        self.apps.append(app)
        return app

    def workbook_list(self) -> widgets.VBox:
        """The start page's list of workbooks: title, one line each, a link keeping the language.

        The list follows ``notebooks/workbooks.toml``, then the before/after quiz; titles and lines
        are the notebooks' headers.
        """
        headers = {(w.notebook, lang): workbooks.header(w, lang) for w in workbooks.workbooks() for lang in workbooks.LANGUAGES}
        quiz = workbooks.PAGES["quiz"]
        quiz_headers = {lang: workbooks.header(quiz, lang) for lang in workbooks.LANGUAGES}

        def render(lang: str) -> str:
            items = []
            for workbook in workbooks.workbooks():
                head = headers[(workbook.notebook, lang)]
                items.append(
                    f"<li><a class='ck-workbook-link' href='{escape(workbook.notebook)}?lang={lang}' target='_self'>"
                    f"{escape(head.title)}</a><br>{escape(head.summary)}</li>"
                )
            head = quiz_headers[lang]
            items.append(
                f"<li><a class='ck-quiz-link' href='{escape(quiz)}?lang={lang}' target='_self'>"
                f"{escape(head.title)}</a><br>{escape(head.summary)}</li>"
            )
            return f"<ul class='ck-card-list'>{''.join(items)}</ul>"

        widget = self._html(render, "ck-workbooks")
        box = widgets.VBox([widget])
        box.add_class("ck-app")
        box.add_class("ck-app-start")
        box.add_class("ck-ready")
        return box

    def trainee_bar(self) -> Any:
        """The page's one box for the trainee's name and cooperative (made on first use)."""
        from coopkit.ui.exercise_ui import TraineeBar

        if getattr(self, "_bar", None) is None:
            self._bar = TraineeBar(self.lang)
            self.apps.append(self._bar)
        return self._bar

    def exercises(self, *, poll: bool = True) -> widgets.VBox:
        """The workbook's exercises (``exercises/<notebook>.toml``) under the trainee's name box.

        Answers are recorded in the room's answer store (`coopkit.answers`); the view looks
        every few seconds for solutions the trainer has released (``poll``).
        """
        from coopkit import exercises
        from coopkit.ui.exercise_ui import ExerciseView

        exercise_set = exercises.set_for(self.name)
        if exercise_set is None:
            raise LookupError(f"no exercises/*.toml file holds the exercises of {self.name!r}")
        bar = self.trainee_bar()
        view = ExerciseView(exercise_set, self.lang, bar, poll=poll)
        self.apps.append(view)
        box = widgets.VBox([bar.view, view.view])
        box.add_class("ck-exercise-page")
        return box

    def quiz(self) -> widgets.VBox:
        """The before/after quiz (``exercises/quiz.toml``) under the trainee's name box."""
        from coopkit import exercises
        from coopkit.ui.exercise_ui import QuizView

        quiz = exercises.set_for(exercises.QUIZ)
        if quiz is None:
            raise LookupError("exercises/quiz.toml is missing")
        bar = self.trainee_bar()
        view = QuizView(quiz, self.lang, bar)
        self.apps.append(view)
        box = widgets.VBox([bar.view, view.view])
        box.add_class("ck-exercise-page")
        return box

    def set_lang(self, lang: str) -> None:
        """Switch the whole page, lesson and apps, to ``lang``."""
        self.lang = i18n.normalize_language(lang)
        if self.toggle.value != self.lang:
            self.toggle.value = self.lang
        for widget, render in self._parts:
            widget.value = render(self.lang)
        for app in self.apps:
            safe(app, app.set_lang)(self.lang)

    def finish(self) -> None:
        """Last cell: switch to the visitor's language.

        A preheated kernel runs the notebook before anyone visits and waits here for the visit
        (``voila.utils.wait_for_request``), so that the page is in the visitor's language before
        the browser shows it. ``share/jupyter/config/voila.py`` exempts this cell from the cell time-out: a room
        fills slowly.
        """
        lang = page_language()
        if i18n.normalize_language(lang) != self.lang:
            self.set_lang(lang)

    def trainer(self, **kwargs: Any) -> Any:
        """The trainer's live view of the room (`coopkit.ui.trainer.TrainerPage`), opened with the
        trainer's key, in the page's language; the page's switch drives it."""
        from coopkit.ui.trainer import TrainerPage

        return self.app(TrainerPage, **kwargs)
