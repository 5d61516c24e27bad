"""Open a cooperative's own books in the apps of workbooks 01–04, 10 and 11.

In workbook 13 a manager uploads the cooperative's Excel or CSV books and keeps them in the
cooperative's folder (`coopkit.bookstore`: its name and its code). The unit-cost, break-even,
channel-pricing, what-if, cash-flow and member-income apps then open them with `BooksOpener`, a
row under the product picker: the manager types the cooperative's name and code and presses
"Open our books"; the app runs on the tables it needs (`App.use_books`): the cost items (01–04),
the cash book (10), the members (11). The code never travels in the page's address.

The row starts folded (one button, its boxes made when first unfolded), so a phone's page is not
longer, nor slower to arrive, for those who do not use it.
Everything it says is in the page's language and switches with it; a wrong code counts with
`coopkit.ui.panels.CodeGuard` as in workbook 13 and in the scenarios panel.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from coopkit import i18n
from coopkit.bookstore import BookStore
from coopkit.books import Books, read_books
from coopkit.errors import InputError
from coopkit.store import default_root
from coopkit.ui.base import safe
from coopkit.ui.panels import CodeGuard, StatusLine, button, html, owner_boxes, row

if TYPE_CHECKING:
    from coopkit.ui.base import App

__all__ = ["BooksOpener"]


class BooksOpener:
    """The "our own books" row of an app: the cooperative's name and code, an Open button and
    what happened, in the page's language.

    ``app.use_books(books, owner, file_name)`` makes the app run on the books and returns what
    it says it used (a catalogue key and its parameters); it raises `InputError` when the books
    lack the table it needs. ``store_root`` is the folder of the cooperatives' folders (default:
    `coopkit.store.default_root`, as workbook 13 saves them).
    """

    #: The clock of the wait after wrong codes (tests replace it).
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, app: "App", store_root: str | None = None) -> None:
        self.app = app
        self.store_root = store_root
        self.code_guard = CodeGuard()
        self.toggle = widgets.ToggleButton(value=False, description=self.t("toggle"), layout=widgets.Layout(width="auto"),
                                           _dom_classes=("ck-own-books-toggle",))
        #: The row's boxes, made when it is first unfolded (`unfold`): a page that never opens
        #: books sends only the button.
        self.body: widgets.VBox | None = None
        self.box = widgets.VBox([self.toggle], _dom_classes=("ck-own-books",))
        self.toggle.observe(safe(app, self._toggled), "value")

    def unfold(self) -> None:
        """Make the row's boxes (once) and show them."""
        if self.body is None:
            self.help = html("ck-own-books-help")
            self.owner_label, self.owner, self.code_label, self.owner_code = owner_boxes("ck-own-books")
            self.open_button = button("ck-own-books-open")
            #: What the last Open did (said again on a language switch).
            self.line = StatusLine("ck-own-books-status", "own_books")
            self.status = self.line.widget
            self.body = widgets.VBox([self.help, row(self.owner_label, self.owner),
                                      row(self.code_label, self.owner_code), row(self.open_button), self.status])
            self.open_button.on_click(safe(self.app, lambda _b: self.open()))
            self._label_body(self.app.lang)
            self.box.children = [self.toggle, self.body]
        self.body.layout.display = None
        self.toggle.value = True  # pressed, also when the row is opened from code

    def t(self, key: str, **params: Any) -> str:
        return i18n.tr(f"own_books.{key}", self.app.lang, **params)

    def set_lang(self, lang: str) -> None:
        """Say everything again in ``lang`` (the app's language, already switched)."""
        self.toggle.description = self.t("toggle")
        if self.body is not None:
            self._label_body(lang)

    def _label_body(self, lang: str) -> None:
        t = self.t
        self.help.value = f"<p class='ck-note'>{escape(t(f'help.{self.app.name}'))}</p>"
        self.owner_label.value = i18n.tr("field.owner", lang)
        self.owner.placeholder = t("owner_placeholder")
        self.code_label.value = i18n.tr("field.owner_code", lang)
        self.owner_code.placeholder = t("code_placeholder")
        self.open_button.description = t("open")
        self.line.show(lang)

    def _toggled(self, change: dict) -> None:
        if change["new"]:
            self.unfold()
        elif self.body is not None:
            self.body.layout.display = "none"

    def store(self) -> BookStore:
        """The folder the name box names, opened with the code box's code (wrong codes counted)."""
        store = BookStore(self.store_root or default_root(), self.owner.value, code=self.owner_code.value)
        self.code_guard.check(store, self.clock())
        return store

    def open(self) -> Books | None:
        """Read the books kept in the cooperative's folder and let the app run on them; what
        went wrong is said on the status line (the app's inputs stay as they were)."""
        self.unfold()
        try:
            store = self.store()
            saved = store.load()
            if saved is None:
                raise InputError("owner", reason="own_books_none_saved", value=store.owner)
            books = read_books(saved.content, name=saved.name, lang=self.app.lang)
            key, params = self.app.use_books(books, store.owner, saved.name)
        except InputError as err:
            self.line.say(err, self.app.lang, error=True)
            return None
        self.line.say(key, self.app.lang, **params)
        return books
