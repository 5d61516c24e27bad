"""The app shell every workbook shares: one class per app, one refresh path, one error path.

An app shows a title and short help, a product picker, its inputs, a results table and a
chart. Every change goes through `App.refresh`: read the inputs (each checks itself), make
one domain call, show the result. Bad input (`InputError`) is shown beside the input it is
about and the last good results stay visible, marked as not updated; anything unexpected
shows a short "tell your trainer" line and goes to the log, never a traceback.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import replace
from collections.abc import Callable, Collection, Iterable
from typing import Any

import ipywidgets as widgets

from coopkit import i18n
from coopkit.errors import InputError
from coopkit.ui.controls import Control, choice, language_toggle

__all__ = ["App", "Panel", "safe", "figure_png", "BUSY_CLASS", "DONE_CLASS"]

log = logging.getLogger("coopkit.ui")


#: The boxes whose values carry over to the template made from a cooperative's books, and the
#: template's attribute each gives (`App.use_books`).
TEMPLATE_BOXES = (("volume", "volume_per_season"), ("price_per_unit", "price_per_unit"),
                  ("list_price", "price_per_unit"), ("area_ha", "area_ha"))

#: Class on an app's root while one of its callbacks runs.
BUSY_CLASS = "ck-busy"
#: Prefix of the class that counts the callbacks an app has finished: ``ck-done-3``.
DONE_CLASS = "ck-done-"


def _mark_busy(app: Any, busy: bool) -> None:
    """Show on the app's root whether it is computing (``ck-busy``) and, when it has finished,
    how many times (``ck-done-<n>``), in one message to the page.

    The page sees the results of a callback before it sees the count go up (widget messages
    arrive in order), so a browser test waits for the app to settle after an input, however
    busy the machine, instead of guessing a time.
    """
    view = getattr(app, "view", None)
    if view is None:
        return
    classes = [c for c in view._dom_classes if c != BUSY_CLASS and not (not busy and c.startswith(DONE_CLASS))]
    if busy:
        classes.append(BUSY_CLASS)
    else:
        app._ck_done = getattr(app, "_ck_done", 0) + 1
        classes.append(f"{DONE_CLASS}{app._ck_done}")
    view._dom_classes = tuple(classes)


def safe(app: "App", callback: Callable[..., Any]) -> Callable[..., None]:
    """Wrap a widget callback so that no exception ever reaches the page.

    While the outermost wrapped callback of an app runs, its root carries ``ck-busy``; when it
    ends, ``ck-done-<n>`` counts it (see `_mark_busy`). The garbage a change leaves (a chart is
    thousands of objects in reference cycles) is collected after the page has the new chart
    (`_young_garbage`).
    """

    def wrapped(*args: Any, **kwargs: Any) -> None:
        depth = getattr(app, "_ck_depth", 0)
        app._ck_depth = depth + 1
        if depth == 0:
            _mark_busy(app, True)
        _young_garbage(hold=True)
        try:
            callback(*args, **kwargs)
        except InputError as err:
            app.show_input_error(err)
        except Exception:  # noqa: BLE001 - the page must survive any bug; it is logged
            log.exception("coopkit app %s failed", app.name)
            app.show_unexpected_error()
        finally:
            app._ck_depth = depth
            try:
                if depth == 0:
                    _mark_busy(app, False)
            finally:
                _young_garbage(hold=False)

    return wrapped


_gc_held = 0
_gc_was_enabled = False


def _young_garbage(*, hold: bool) -> None:
    """Hold Python's cyclic garbage collector while callbacks run (``hold=True``), then collect the
    youngest generation once when the outermost callback has ended.

    A change builds and drops a matplotlib figure (3 000–9 000 objects in reference cycles). With
    the collector running, they outlive a few collections during the change and reach the oldest
    generation, which only a full collection frees: every ninth change or so then took 70–180 ms
    more (the whole kernel's heap traversed). Held, they stay young and one collection of the
    youngest generation frees them in a few milliseconds, after the new chart has been sent.
    """
    import gc

    global _gc_held, _gc_was_enabled
    if hold:
        if _gc_held == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_held += 1
        return
    _gc_held -= 1
    if _gc_held == 0 and _gc_was_enabled:
        gc.enable()
        gc.collect(0)


def figure_png(figure: Any) -> bytes:
    """A matplotlib Figure as PNG bytes (rendered with Agg, no pyplot state) at `coopkit.plots.DPI`,
    cropped to what is drawn: a legend or a long title outside the figure's box is kept, not cut.
    Drawn once, with a shared renderer that remembers texts (`coopkit.plots.render.png`)."""
    from coopkit.plots import DPI
    from coopkit.plots.render import png

    return png(figure, DPI)


class Panel(ABC):
    """A part of an app's page below its results, shown as a tab (scenarios, goal seek…).

    A panel builds its own widgets (``box``) when it is made, draws the app's latest result in
    `render`, and switches its words to another language in `set_lang`. The app shell places
    the panels an app declares (`App.panels`) and calls them in one loop: `render` with each
    new result while the panel is on show (and when it is opened), `set_lang` on a language
    switch. Its tab's title is ``app.<app name>.section.<key>`` in the catalogues.
    """

    #: Short name: the tab's classes ``ck-section-tab-<key>``, ``ck-section-<key>``.
    key: str = "panel"

    def __init__(self, app: "App") -> None:
        self.app = app
        self.box = widgets.VBox()

    def title(self, lang: str) -> str:
        """The title on the panel's tab."""
        return i18n.tr(f"app.{self.app.name}.section.{self.key}", lang)

    def render(self, result: Any) -> None:  # noqa: B027 - a panel that only acts on a click draws nothing here
        """Show what the panel says about ``result`` (the app's last good result)."""

    @abstractmethod
    def set_lang(self, lang: str) -> None:
        """Switch the panel's labels and texts to ``lang`` (the app redraws the result after)."""

    def redraw(self, _change: object = None) -> None:
        """Draw the app's result again (after a choice inside the panel); nothing while an input is bad."""
        if self.app.error is None and self.app.result is not None:
            self.render(self.app.result)

    def on(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """``callback`` wrapped by the app's `safe` (busy mark, errors beside their box)."""
        return safe(self.app, callback)


class App(ABC):
    """Base of the workbook apps. Subclasses define the inputs, the domain call and the view.

    Test an app without a browser: set a control's ``value`` (as typing would), then read
    ``app.result`` (the last domain result), ``app.error`` (the last bad-input error) and
    ``control.error_text`` (the message shown beside an input).

    The page is built after the subclass is ready: `App.__init__` makes the shared widgets,
    calls `setup` (the subclass makes its own state, pickers and panels there), then places
    `pickers` under the product picker and `panels` under the results, then loads the product.
    """

    #: Short name: CSS class ``ck-app-<name>`` and catalogue keys ``app.<name>.*``.
    name: str = "app"
    #: The tables of a cooperative's own books (workbook 13, `coopkit.books.TABLES`) the app can
    #: run on: an app that names some has the "our own books" row under its product picker
    #: (`coopkit.ui.ownbooks.BooksOpener`) and defines `use_books`.
    books_tables: tuple[str, ...] = ()
    #: Folder of the cooperatives' folders that row opens (None: `coopkit.store.default_root`).
    store_root: str | None = None
    #: What the row says once the books' cost items are open (an ``own_books.*`` key; see `use_books`).
    books_said: str = "opened_cost_items"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.books_tables and cls.books_tables != ("cost_items",) and cls.use_books is App.use_books:
            raise TypeError(f"{cls.__name__} opens the books' {', '.join(cls.books_tables)}: it must define use_books")

    def __init__(self, product: str, lang: str | None = None, *, standalone: bool = True) -> None:
        self.lang = i18n.normalize_language(lang or i18n.DEFAULT_LANGUAGE)
        self.products = self.load_templates()
        if product not in self.products:
            raise InputError("product", reason="unknown_product", value=product)
        self.product_key = product
        self.result: Any = None
        self.error: InputError | None = None
        self.controls: list[Control] = []

        self.title = widgets.HTML()
        self.title.add_class("ck-title")
        self.help = widgets.HTML()
        self.help.add_class("ck-help")
        self.toggle = language_toggle(self.lang) if standalone else None
        self.product_label = widgets.HTML()
        self.product_label.add_class("ck-input-label")
        self.product_choice = choice(self._product_options(), product, "ck-product")
        self.controls_box = widgets.VBox()
        self.controls_box.add_class("ck-controls")
        self.summary = widgets.HTML()
        self.summary.add_class("ck-error-summary")
        self.results = widgets.HTML()
        self.results.add_class("ck-results")
        # natural size on a desktop, shrunk to the column on a phone (never stretched: blurry text)
        self.chart = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))
        self.chart_box = widgets.Box([self.chart])
        self.chart_box.add_class("ck-chart")

        self.setup()
        self.panel_list: tuple[Panel, ...] = tuple(self.panels())
        self.books_opener = None
        if self.books_tables:
            from coopkit.ui.ownbooks import BooksOpener

            self.books_opener = BooksOpener(self, self.store_root)
        opener = [self.books_opener.box] if self.books_opener is not None else []
        header = [self.title] + ([self.toggle] if self.toggle is not None else [])
        product_row = widgets.HBox([self.product_label, self.product_choice], layout=widgets.Layout(align_items="center"))
        left = widgets.VBox([product_row, *self.pickers(), *opener, self.controls_box],
                            layout=widgets.Layout(flex="1 1 480px", min_width="320px"))
        right = widgets.VBox([self.summary, self.results, self.chart_box],
                             layout=widgets.Layout(flex="1 1 520px", min_width="320px"))
        page = [
            widgets.HBox(header, layout=widgets.Layout(justify_content="space-between", flex_flow="row wrap")),
            self.help,
            widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
        ]
        if self.panel_list:
            page.append(self._build_panels())
        self.view = widgets.VBox(page)
        self.view.add_class("ck-app")
        self.view.add_class(f"ck-app-{self.name}")

        self.refresh_now = safe(self, self.refresh)
        if self.toggle is not None:
            self.toggle.observe(safe(self, self._toggled), "value")
        self._relabelling = False
        self.product_choice.observe(safe(self, self._product_picked), "value")
        self._render_texts()
        self.load_product(product)
        self.view.add_class("ck-ready")

    # -- what each app defines -----------------------------------------------------------
    def setup(self) -> None:  # noqa: B027 - most apps need nothing besides their inputs
        """Make the app's own widgets and state (pickers, panels) before the page is built.

        Runs inside `App.__init__` after the shared widgets exist (``self.lang``,
        ``self.product``) and before `build_controls` and the first refresh.
        """

    def pickers(self) -> list[widgets.Widget]:
        """Widgets placed under the product picker (another picker: a sales channel, say)."""
        return []

    def panels(self) -> list[Panel]:
        """The panels placed under the results, one tab each, in this order."""
        return []

    @abstractmethod
    def build_controls(self) -> list[Control]:
        """The inputs for the current product (``self.product``), filled from its template."""

    @abstractmethod
    def compute(self) -> Any:
        """Read the inputs and make the domain call; return the result."""

    @abstractmethod
    def render(self, result: Any) -> tuple[str, Any]:
        """HTML of the results table and the matplotlib Figure for ``result``."""

    def use_books(self, books: Any, owner: str, file_name: str) -> tuple[str, dict[str, Any]]:
        """Run on a cooperative's own books (a `coopkit.books.Books` kept by ``owner``, read from
        ``file_name``): set the inputs from the tables named in `books_tables` and show the results.

        Returns what the "our own books" row says (an ``own_books.*`` catalogue key and its
        parameters); raises `InputError` when the books lack what the app needs.

        This one is for the apps that start from a product template's costs (`books_tables` is
        ``("cost_items",)``): the books' cost items become a template in the product picker
        (`coopkit.books.product_from_books`, `offer_product`), with the volume, price and area
        the boxes hold now (the template's when a box holds no good number). An app that opens
        another table defines its own.
        """
        from coopkit.books import product_from_books

        if books.cost_items is None or books.cost_items.empty:
            raise InputError("owner", reason="own_books_no_cost_items", value=owner, file=file_name)
        typed = self.typed_values(*(box for box, _name in TEMPLATE_BOXES))
        kept = {name: typed[box] for box, name in TEMPLATE_BOXES
                if box in typed and (name != "price_per_unit" or typed[box] > 0)}
        self.offer_product(product_from_books(books, replace(self.product, **kept), owner))
        return self.books_said, {"owner": owner, "file": file_name, "count": len(books.cost_items.items)}

    def offer_product(self, template: Any) -> None:
        """Add ``template`` (made from a cooperative's books: `coopkit.books.product_from_books`)
        to the product picker, replacing one of the same key, and load it."""
        self.products = {**self.products, template.key: template}
        self._relabelling = True
        try:
            self.product_choice.options = self._product_options()
        finally:
            self._relabelling = False
        self.load_product(template.key)

    def typed_values(self, *fields: str) -> dict[str, float]:
        """The values of the boxes of ``fields`` that hold a good one now (to keep what the manager
        typed when the inputs are built again)."""
        values = {}
        for name in fields:
            control = self.control(name)
            if control is None:
                continue
            try:
                values[name] = control.read()
            except InputError:
                continue
        return values

    def load_templates(self) -> dict[str, Any]:
        """The templates the picker offers, by key (each has ``name(lang)``): the product templates.

        An app about something else (equipment, say) returns its own templates here.
        """
        from coopkit import data

        return data.load_products()

    # -- the shared machinery ------------------------------------------------------------
    @property
    def product(self):
        return self.products[self.product_key]

    def _product_options(self) -> list[tuple[str, str]]:
        return [(template.name(self.lang), key) for key, template in self.products.items()]

    def _render_texts(self) -> None:
        self.title.value = f"<h2>{i18n.tr(f'app.{self.name}.title', self.lang)}</h2>"
        self.help.value = i18n.tr(f"app.{self.name}.help", self.lang)
        self.product_label.value = i18n.tr("field.product", self.lang)

    def _product_picked(self, change: dict) -> None:
        if not self._relabelling and change["new"] != self.product_key:
            self.load_product(change["new"])

    # -- panels --------------------------------------------------------------------------
    def _build_panels(self) -> widgets.VBox:
        """The panels' tabs and pages. Only the first page is filled at start; the others get
        their widgets when first opened, so the page has fewer widgets to draw before it is ready."""
        self.section_boxes = {panel.key: widgets.VBox() for panel in self.panel_list}
        for key, box in self.section_boxes.items():
            box.add_class(f"ck-section-{key}")
        # Tabs are buttons in a row that wraps: on a phone every title shows in full
        # (a Tab bar cuts them to "Kịch bả…").
        self.section_buttons = []
        for index, panel in enumerate(self.panel_list):
            button = widgets.Button(layout=widgets.Layout(width="auto", flex="0 0 auto"))
            button.add_class("ck-section-tab")
            button.add_class(f"ck-section-tab-{panel.key}")
            button.on_click(safe(self, lambda _b, index=index: setattr(self.sections, "selected_index", index)))
            self.section_buttons.append(button)
        self.section_tabs = widgets.HBox(self.section_buttons, layout=widgets.Layout(flex_flow="row wrap"))
        self.section_tabs.add_class("ck-section-tabs")
        self.sections = widgets.Stack(children=list(self.section_boxes.values()), selected_index=0)
        self.sections.add_class("ck-section-pages")
        self._panel_titles()
        self._open_panel()
        self.sections.observe(safe(self, lambda _c: self._open_panel(render=True)), "selected_index")
        box = widgets.VBox([self.section_tabs, self.sections], layout=widgets.Layout(width="100%", max_width="100%"))
        box.add_class("ck-sections")
        return box

    @property
    def open_panel(self) -> Panel | None:
        """The panel on show (None for an app without panels)."""
        if not self.panel_list:
            return None
        return self.panel_list[self.sections.selected_index or 0]

    def section_title(self, index: int) -> str:
        """The title of panel ``index`` as its tab shows it."""
        return self.section_buttons[index].description

    def _panel_titles(self) -> None:
        for button, panel in zip(self.section_buttons, self.panel_list):
            button.description = panel.title(self.lang)

    def _open_panel(self, *, render: bool = False) -> None:
        """Put the open panel's widgets on the page (once), draw its tab pressed and, with
        ``render``, show the last result in it."""
        panel = self.open_panel
        box = self.section_boxes[panel.key]
        if not box.children:
            box.children = [panel.box]
        for button, other in zip(self.section_buttons, self.panel_list):
            button.button_style = "info" if other is panel else ""
            if other is panel:
                button.add_class("ck-section-tab-open")
            else:
                button.remove_class("ck-section-tab-open")
        if render:
            panel.redraw()

    def _render_panels(self) -> None:
        """Show the new result in the panel on show (the others draw it when opened)."""
        panel = self.open_panel
        if panel is not None:
            safe(self, panel.redraw)()

    def control(self, field: str) -> Control | None:
        """The control whose ``field`` is ``field``, if any."""
        return next((c for c in self.controls if c.field == field), None)

    def load_product(self, key: str) -> None:
        """Fill the inputs from a product template and show its results."""
        self.product_key = key
        if self.product_choice.value != key:
            self.product_choice.value = key
        old, self.controls = self.controls, self.build_controls()
        for control in self.controls:
            control.on_change(self.refresh_now)
        self.controls_box.children = [control.box for control in self.controls]
        for control in old:
            control.close()
        self.refresh()

    def read_all(self, controls: Iterable[Control] | None = None) -> dict[str, float]:
        """Every control's value by field (default: the app's inputs); all bad inputs are marked
        before raising the first."""
        values: dict[str, float] = {}
        errors: list[InputError] = []
        for control in self.controls if controls is None else controls:
            try:
                values[control.field] = control.read()
                control.show_error(None)
            except InputError as err:
                control.show_error(err)
                errors.append(err)
        if errors:
            raise errors[0]
        return values

    def refresh(self, _change: object = None) -> None:
        """Recompute from the inputs and show the result (or the error beside its input)."""
        try:
            result = self.compute()
        except InputError as err:
            self.show_input_error(err)
            return
        self.error = None
        self.result = result
        for control in self.controls:
            control.show_error(None)
        self.summary.value = ""
        self.results.remove_class("ck-stale")
        html, figure = self.render(result)
        self.results.value = html
        if figure is not None:
            self.chart.value = figure_png(figure)
        self._render_panels()

    def control_for(self, err: InputError) -> Control | None:
        """The input ``err`` is about: the control of its field (apps with several boxes per
        field, or errors about a group of boxes, point to the right one)."""
        return self.control(err.field)

    def hide_controls(self, fields: Collection[str], hidden: bool) -> list[Control]:
        """Hide the controls of ``fields`` (or show them again); a hidden one shows no error.

        Returns the controls still shown: the ones to read (``read_all(...)``).
        """
        for control in self.controls:
            if control.field in fields:
                control.box.layout.display = "none" if hidden else None
                if hidden:
                    control.show_error(None)
        return [c for c in self.controls if not (hidden and c.field in fields)]

    def show_input_error(self, err: InputError) -> None:
        """Show ``err`` beside its input (or above the results) and mark results as stale."""
        self.error = err
        control = self.control_for(err)
        if control is not None:
            control.show_error(err)
            self.summary.value = i18n.tr("app.results_not_updated", self.lang)
        else:
            self.summary.value = f"⚠ {err.message(self.lang)}"
        self.results.add_class("ck-stale")

    def show_unexpected_error(self) -> None:
        self.summary.value = i18n.tr("app.unexpected_error", self.lang)
        self.results.add_class("ck-stale")

    def _toggled(self, change: dict) -> None:
        """The language toggle moved: switch, unless `set_lang` moved it (the page is not drawn twice)."""
        if change["new"] != self.lang:
            self.set_lang(change["new"])

    def set_lang(self, lang: str) -> None:
        """Switch every label, number and message to ``lang`` and redraw."""
        self.lang = i18n.normalize_language(lang)
        if self.toggle is not None and self.toggle.value != self.lang:
            self.toggle.value = self.lang
        self._render_texts()
        self._relabelling = True
        try:
            self.product_choice.options = self._product_options()
            self.product_choice.value = self.product_key
        finally:
            self._relabelling = False
        for control in self.controls:
            try:
                control.set_lang(self.lang)
            except Exception:  # noqa: BLE001 - one control's bug must not leave the page half translated
                log.exception("coopkit app %s: %s did not switch language", self.name, control.field)
        for panel in self.panel_list:
            try:
                panel.set_lang(self.lang)
            except Exception:  # noqa: BLE001 - as for a control
                log.exception("coopkit app %s: panel %s did not switch language", self.name, panel.key)
        if self.panel_list:
            self._panel_titles()
        if self.books_opener is not None:
            try:
                self.books_opener.set_lang(self.lang)
            except Exception:  # noqa: BLE001 - as for a control
                log.exception("coopkit app %s: the books row did not switch language", self.name)
        try:
            self.refresh()
        except Exception:  # noqa: BLE001 - as `safe`: logged, a short line on the page
            log.exception("coopkit app %s failed", self.name)
            self.show_unexpected_error()
        if "ck-stale" in self.results._dom_classes and self.result is not None:
            self._show_stale(self.result)

    def _show_stale(self, result: Any) -> None:
        """Show the last good ``result`` again in the page's language, still marked as not updated
        (after a language switch while a box holds a bad value)."""
        try:
            html, figure = self.render(result)
        except Exception:  # noqa: BLE001 - the page keeps the old text rather than failing
            log.exception("coopkit app %s: last result not redrawn", self.name)
            return
        self.results.value = html
        if figure is not None:
            self.chart.value = figure_png(figure)

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.view._repr_mimebundle_(**kwargs)
