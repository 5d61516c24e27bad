"""A workbook page: the lesson (header, short explanations, key points) around one app.

Every part is a widget whose words come from the catalogues, so the language switch at the
top changes the whole page: lesson text, app labels, numbers and charts.

In a notebook::

    page = Lesson("unit_cost")
    page.header()                       # title, audience, minutes, questions, objectives
    page.text("fixed_and_variable")     # a short explanation
    page.app(UnitCostApp, product="cam_lac_thuy")
    page.key_points()
    page.finish()                       # the visitor's language (?lang= or the browser's)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import i18n
from coopkit.ui.base import safe
from coopkit.ui.controls import language_toggle
from coopkit.ui.tables import format_kind

__all__ = ["Lesson", "page_language", "page_title", "WORKBOOKS"]

#: The workbooks the start page lists, in teaching order: (notebook, lesson name).
WORKBOOKS: tuple[tuple[str, str], ...] = (
    ("01_unit_cost.ipynb", "unit_cost"),
    ("02_break_even.ipynb", "break_even"),
    ("03_channel_pricing.ipynb", "channel_pricing"),
    ("04_what_if_pricing.ipynb", "what_if"),
    ("05_yield_plan.ipynb", "yield_plan"),
    ("06_production_risk.ipynb", "production_risk"),
    ("07_crop_mix.ipynb", "crop_mix"),
    ("08_layer_flock.ipynb", "layer_flock"),
    ("09_investment_and_loans.ipynb", "investment"),
    ("10_seasonal_cash_flow.ipynb", "cash_flow"),
    ("11_member_income.ipynb", "member_income"),
)


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

    The ``coopkit`` Voila template watches it and sets ``<html lang>`` and ``document.title``,
    so that both follow the language switch (screen readers, browser translation, the tab).
    """
    return (f"<span class='ck-page-meta' hidden data-ck-lang='{escape(lang)}' "
            f"data-ck-title='{escape(page_title(title))}'></span>")


def _lines(text: str) -> str:
    items = "".join(f"<li>{escape(line.strip())}</li>" for line in text.split("\n") if line.strip())
    return f"<ul>{items}</ul>"


class Lesson:
    """One workbook page; ``name`` picks the catalogue keys ``lesson.<name>.*``."""

    def __init__(self, name: str, lang: str | None = None) -> None:
        self.name = name
        self.lang = i18n.normalize_language(lang or (None if os.environ.get("VOILA_PREHEAT") == "True" else page_language()))
        self.apps: list[Any] = []
        self._parts: list[tuple[widgets.HTML, Callable[[str], str]]] = []
        self.toggle = language_toggle(self.lang)
        self.toggle.observe(lambda change: self.set_lang(change["new"]), "value")

    def _key(self, part: str) -> str:
        return f"lesson.{self.name}.{part}"

    def _html(self, render: Callable[[str], str], css: str) -> widgets.HTML:
        widget = widgets.HTML(render(self.lang))
        widget.add_class(css)
        self._parts.append((widget, render))
        return widget

    def header(self) -> widgets.VBox:
        """Title, audience, minutes for teaching and exercises, questions and objectives."""

        def render(lang: str) -> str:
            meta = i18n.tr(
                "lesson.meta",
                lang,
                audience=i18n.tr(self._key("audience"), lang),
                teaching=i18n.tr(self._key("teaching_minutes"), lang),
                exercises=i18n.tr(self._key("exercise_minutes"), lang),
            )
            title = i18n.tr(self._key("title"), lang)
            return (
                f"{_page_meta(title, lang)}<h1>{escape(title)}</h1>"
                f"<p class='ck-meta'>{escape(meta)}</p>"
                f"<h3>{escape(i18n.tr('lesson.questions', lang))}</h3>{_lines(i18n.tr(self._key('questions'), lang))}"
                f"<h3>{escape(i18n.tr('lesson.objectives', lang))}</h3>{_lines(i18n.tr(self._key('objectives'), lang))}"
            )

        box = widgets.VBox([self.toggle, self._html(render, "ck-lesson-header")])
        box.add_class("ck-header")
        return box

    def banner(self, section: str = "intro") -> widgets.VBox:
        """The language switch, the page title and an introduction (for the start page)."""

        def render(lang: str) -> str:
            title = i18n.tr(self._key("title"), lang)
            return f"{_page_meta(title, lang)}<h1>{escape(title)}</h1>{i18n.tr(self._key(section), lang)}"

        box = widgets.VBox([self.toggle, self._html(render, "ck-lesson-header")])
        box.add_class("ck-header")
        return box

    def text(self, section: str) -> widgets.HTML:
        """A short explanation (catalogue key ``lesson.<name>.<section>``, simple HTML)."""
        return self._html(lambda lang: i18n.tr(self._key(section), lang), "ck-lesson-text")

    def example(self, section: str, value: float, kind: str = "money") -> widgets.HTML:
        """A worked example's answer, labelled and formatted: ``label: value``."""

        def render(lang: str) -> str:
            label = escape(i18n.tr(self._key(section), lang))
            return f"<p class='ck-example'>{label} <b data-value='{float(value)!r}'>{format_kind(value, kind, lang)}</b></p>"

        return self._html(render, "ck-lesson-example")

    def app(self, app_class: type, **kwargs: Any) -> Any:
        """Build the workbook's app in the page's language; the page's switch drives it."""
        app = app_class(lang=self.lang, standalone=False, **kwargs)
        self.apps.append(app)
        return app

    def key_points(self) -> widgets.HTML:
        """The key points to remember, at the end of the page."""
        return self._html(
            lambda lang: f"<h3>{escape(i18n.tr('lesson.key_points', lang))}</h3>{_lines(i18n.tr(self._key('key_points'), lang))}",
            "ck-lesson-keypoints",
        )

    def workbook_list(self) -> widgets.HTML:
        """The start page's list of workbooks: title, one line each, a link keeping the language."""

        def render(lang: str) -> str:
            items = []
            for notebook, lesson in WORKBOOKS:
                title = escape(i18n.tr(f"lesson.{lesson}.title", lang))
                line = escape(i18n.tr(f"lesson.{lesson}.summary", lang))
                items.append(
                    f"<li><a class='ck-workbook-link' href='{notebook}?lang={lang}' target='_self'>{title}</a><br>{line}</li>"
                )
            return f"<ul class='ck-card-list'>{''.join(items)}</ul>"

        widget = self._html(render, "ck-workbooks")
        box = widgets.VBox([widget])
        box.add_class("ck-app")
        box.add_class("ck-app-start")
        box.add_class("ck-ready")
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
