"""The panels of the what-if workbench: scenarios and files, goal seek, sensitivity, demand, data table.

Each panel is one tab under the results (`coopkit.ui.base.Panel`): it builds its widgets,
draws the app's result in ``render`` and switches language in ``set_lang``. A panel asks its
app (``self.app``, a `coopkit.ui.whatif_app.WhatIfApp`) for what the boxes say
(``inputs()``, ``result``) and for the unit quantities are shown in (``quantity_unit()``);
the arithmetic is in the domain modules (`coopkit.whatif`, `coopkit.demand`,
`coopkit.store`, `coopkit.exchange`).
"""

from __future__ import annotations

import base64
import math
import time
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd

from coopkit import demand, exchange, fields, fmt, i18n, plots, whatif
from coopkit.errors import InputError
from coopkit.store import MAX_NAME_LENGTH, ScenarioStore, default_root, normalize_code, owner_folder
from coopkit.ui.base import Panel, figure_png
from coopkit.ui.controls import Control, NumberBox, PercentSlider, ScaledBox, set_options
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_finite, check_positive

if TYPE_CHECKING:
    from coopkit.ui.whatif_app import WhatIfApp

__all__ = ["CodeGuard", "StatusLine", "owner_boxes", "ScenariosPanel", "GoalPanel", "SensitivityPanel", "DemandPanel", "TablePanel", "MODEL",
           "SHOWN_INPUTS", "GOAL_OUTPUTS", "QUANTITY_OUTPUTS", "MAX_PINNED"]

MODEL = "pricing_plan"
#: Inputs the manager sets with a box or a slider; the other channel inputs come from the channel.
SHOWN_INPUTS = ("list_price", "volume", "variable_cost_per_unit", "fixed_costs", "commission_rate", "payment_fee_rate")
#: Outputs a manager can aim at (goal seek) or rank inputs by (sensitivity).
GOAL_OUTPUTS = ("profit", "margin", "net_per_unit", "unit_cost", "break_even_volume")
#: Outputs that are quantities: shown and typed in the unit of the volume box.
QUANTITY_OUTPUTS = ("break_even_volume",)
MAX_PINNED = 12
#: Wrong cooperative codes a session may type before it must wait `CODE_WAIT_SECONDS`.
MAX_CODE_TRIES = 5
CODE_WAIT_SECONDS = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- small widget factories ------------------------------------------------------------------
def button(css: str) -> widgets.Button:
    widget = widgets.Button(layout=widgets.Layout(width="auto"))
    widget.add_class(css)
    return widget


def html(css: str) -> widgets.HTML:
    widget = widgets.HTML()
    widget.add_class(css)
    return widget


def scrolling_html(css: str) -> widgets.HTML:
    """An HTML table that scrolls sideways inside the page when it is wider than the screen."""
    widget = widgets.HTML(layout=widgets.Layout(width="100%", max_width="100%", overflow="auto hidden"))
    widget.add_class(css)
    widget.add_class("ck-scroll-x")
    return widget


def image(css: str) -> widgets.Image:
    widget = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))  # as App.chart
    widget.add_class(css)
    return widget


def dropdown(css: str, width: str = "16em") -> widgets.Dropdown:
    widget = widgets.Dropdown(layout=widgets.Layout(width=width))
    widget.add_class(css)
    return widget


def row(*children: widgets.Widget) -> widgets.HBox:
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap", align_items="center"))


def download_link(css: str, filename: str, mime: str, payload: bytes, text: str) -> str:
    data = base64.b64encode(payload).decode("ascii")
    return (f'<a class="ck-download {css}" download="{escape(filename)}" '
            f'href="data:{mime};base64,{data}">↓ {escape(text)}</a>')


def owner_boxes(css: str) -> tuple[widgets.HTML, widgets.Text, widgets.HTML, widgets.Password]:
    """The cooperative's name and code boxes of a page that opens its folder, with their labels:
    ``(owner_label, owner, code_label, owner_code)``, classes ``<css>-owner`` and ``<css>-code``."""
    owner = widgets.Text(layout=widgets.Layout(width="18em"))
    owner.add_class(f"{css}-owner")
    code = widgets.Password(layout=widgets.Layout(width="11em"))
    code.add_class(f"{css}-code")
    return html("ck-input-label"), owner, html("ck-input-label"), code


class StatusLine:
    """One line that says what an action did, ✓ or ⚠, and says it again after a language switch.

    What it says is a catalogue key under ``prefix`` with its parameters, or an `InputError`
    (its own message); ``widget`` is the line on the page.

    >>> line = StatusLine("ck-status", "own_books")
    >>> line.say("open", "en")
    >>> line.widget.value
    "<p class='ck-status-ok'>✓ Open our books</p>"
    >>> line.show("vi")
    >>> line.widget.value
    "<p class='ck-status-ok'>✓ Mở sổ sách</p>"
    """

    def __init__(self, css: str, prefix: str) -> None:
        self.widget = html(css)
        self.prefix = prefix
        self._said: tuple[str | InputError, dict, bool] | None = None

    def say(self, said: str | InputError, lang: str, *, error: bool = False, **params: Any) -> None:
        """Say ``said`` (a key under the prefix, or an error) in ``lang``; ``error`` marks it ⚠."""
        self._said = (said, params, error)
        self.show(lang)

    def show(self, lang: str) -> None:
        """Say again in ``lang`` what was said last (nothing when nothing was)."""
        if self._said is None:
            self.widget.value = ""
            return
        said, params, error = self._said
        text = said.message(lang) if isinstance(said, InputError) else i18n.tr(f"{self.prefix}.{said}", lang, **params)
        css, mark = ("ck-status-error", "⚠ ") if error else ("ck-status-ok", "✓ ")
        self.widget.value = f"<p class='{css}'>{mark}{escape(text)}</p>"


class CodeGuard:
    """A session's wrong codes for cooperatives' folders, of scenarios (`ScenariosPanel`) or of
    books (workbook 13): after `MAX_CODE_TRIES` wrong codes the session waits `CODE_WAIT_SECONDS`
    before any code is tried, and a wrong code typed again for the same folder is refused again
    without counting (nor hashing it once more).

    >>> guard = CodeGuard()
    >>> guard.wrong_tries, guard.locked_until
    (0, 0.0)
    """

    def __init__(self) -> None:
        self.wrong_tries = 0
        self.locked_until = 0.0
        self._refused: dict[tuple[str, str], InputError] = {}

    def check(self, store: Any, now: float) -> None:
        """Check the code ``store`` was opened with (a `coopkit.store.ScenarioStore` or a
        `coopkit.bookstore.BookStore`) at time ``now``: the store's own `InputError` when a code is
        needed or wrong, ``code_locked`` while the session waits."""
        if not store.has_code():
            return
        typed = normalize_code(store.code or "")
        if not typed:
            store.check_code()  # the store's own words: a code is needed
            return
        if now < self.locked_until:
            raise InputError("owner_code", reason="code_locked", value=store.owner,
                             seconds=str(math.ceil(self.locked_until - now)))
        told = self._refused.get((store.folder.name, typed))
        if told is not None:  # told already: not another try
            raise InputError(told.field, reason=told.reason, value=told.value, **told.params)
        try:
            store.check_code()
        except InputError as err:
            if err.reason.endswith("wrong_code"):
                self._refused[(store.folder.name, typed)] = err
                self.wrong_tries += 1
                if self.wrong_tries >= MAX_CODE_TRIES:
                    self.wrong_tries, self.locked_until = 0, now + CODE_WAIT_SECONDS
            raise


def _labelled(names: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    return [(fields.label(name, lang), name) for name in names]


def _error_line(err: InputError, lang: str) -> str:
    return f"<p class='ck-status-error'>⚠ {escape(err.message(lang))}</p>"


class _WhatIfPanel(Panel):
    app: "WhatIfApp"

    def t(self, key: str, **params: Any) -> str:
        return i18n.tr(f"app.what_if.{key}", self.app.lang, **params)


# -- scenarios and files --------------------------------------------------------------------------
class ScenariosPanel(_WhatIfPanel):
    """Pin the inputs on screen as scenarios, compare them, save them in the cooperative's folder,
    export them to Excel or CSV and import an exported file.

    A cooperative's folder has a code (`coopkit.store`): the first save makes it and shows it
    once (``code_note``); later the code box (``owner_code``, shown only for a folder that has a
    code) must hold it before anything is listed, loaded, saved, renamed or deleted. After
    `MAX_CODE_TRIES` wrong codes the session waits `CODE_WAIT_SECONDS` before any code is tried.
    """

    key = "scenarios"
    #: The clock of the wait after wrong codes (tests replace it).
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, app: "WhatIfApp", store_root: str | None = None) -> None:
        super().__init__(app)
        self.store_root = store_root
        self.pinned: list[whatif.Scenario] = []
        self.scenario_name = widgets.Text(layout=widgets.Layout(width="18em"))
        self.scenario_name.add_class("ck-scenario-name")
        self.pin_button = button("ck-pin")
        self.pinned_table = scrolling_html("ck-pinned")
        self.pinned_chart = image("ck-pinned-chart")
        self.pinned_choice = dropdown("ck-pinned-choice", "18em")
        self.use_button = button("ck-use")
        self.unpin_button = button("ck-unpin")
        self.owner_label = html("ck-input-label")
        self.owner = widgets.Text(layout=widgets.Layout(width="18em"))
        self.owner.add_class("ck-owner")
        self.code_label = html("ck-input-label")
        self.owner_code = widgets.Password(layout=widgets.Layout(width="11em"), continuous_update=False)
        self.owner_code.add_class("ck-owner-code")
        self.code_box = widgets.HBox([self.code_label, self.owner_code],
                                     layout=widgets.Layout(display="none", align_items="center"))
        self.code_help = html("ck-code-help")
        self.code_note = html("ck-code-new")
        #: The folder the owner box names, the code the first save made there (shown once), and
        #: the wrong codes typed in this session.
        self._folder: str | None = None
        self._new_code: str | None = None
        self.code_guard = CodeGuard()
        self.save_button = button("ck-save")
        self.saved_choice = dropdown("ck-saved-choice", "18em")
        self.load_button = button("ck-load")
        self.new_name = widgets.Text(layout=widgets.Layout(width="14em"))
        self.new_name.add_class("ck-new-name")
        self.rename_button = button("ck-rename")
        self.delete_button = button("ck-delete")
        self.downloads = html("ck-downloads")
        self.upload_label = html("ck-input-label")
        self.upload = widgets.FileUpload(accept=".xlsx", multiple=False)
        self.upload.add_class("ck-upload")
        self.status = html("ck-status")
        self.help = html("ck-section-help")
        self.store_help = html("ck-section-help")
        self.box.children = [
            self.help,
            row(self.scenario_name, self.pin_button),
            self.status,
            self.pinned_table,
            self.pinned_chart,
            row(self.pinned_choice, self.use_button, self.unpin_button),
            self.downloads,
            self.store_help,
            row(self.owner_label, self.owner, self.code_box, self.save_button),
            self.code_help,
            self.code_note,
            row(self.saved_choice, self.load_button, self.delete_button),
            row(self.new_name, self.rename_button),
            row(self.upload_label, self.upload),
        ]
        self.pin_button.on_click(self.on(lambda _b: self.guard(self.pin)))
        self.use_button.on_click(self.on(lambda _b: self.use_pinned(self.pinned_choice.value)))
        self.unpin_button.on_click(self.on(lambda _b: self.unpin(self.pinned_choice.value)))
        self.save_button.on_click(self.on(lambda _b: self.save_pinned()))
        self.load_button.on_click(self.on(lambda _b: self.load_saved(self.saved_choice.value)))
        self.rename_button.on_click(self.on(lambda _b: self.rename_saved(self.saved_choice.value, self.new_name.value)))
        self.delete_button.on_click(self.on(lambda _b: self.delete_saved(self.saved_choice.value)))
        self.owner.observe(self.on(lambda _c: self._owner_changed()), "value")
        self.owner_code.observe(self.on(lambda _c: self.show_saved()), "value")
        self.upload.observe(self.on(self._uploaded), "value")
        #: The language and unit the pinned table was drawn in (drawn again when either changes).
        self._drawn_in: tuple[str, float] | None = None
        self._label()
        self.show_pinned()

    def _label(self) -> None:
        t = self.t
        self.help.value = t("scenarios_help")
        self.scenario_name.placeholder = t("scenario_name_placeholder")
        self.pin_button.description = t("pin")
        self.use_button.description = t("use")
        self.unpin_button.description = t("unpin")
        self.store_help.value = t("store_help")
        self.owner_label.value = i18n.tr("field.owner", self.app.lang)
        self.owner.placeholder = t("owner_placeholder")
        self.code_label.value = i18n.tr("field.owner_code", self.app.lang)
        self.owner_code.placeholder = t("code_placeholder")
        self.code_help.value = f"<p class='ck-note'>{escape(t('code_help'))}</p>"
        self.save_button.description = t("save")
        self.load_button.description = t("load")
        self.new_name.placeholder = t("new_name_placeholder")
        self.rename_button.description = t("rename")
        self.delete_button.description = t("delete")
        self.upload_label.value = t("import")
        self.upload.description = t("upload")

    def set_lang(self, lang: str) -> None:
        self._label()
        self.status.value = ""
        self._show_code_note()
        self.show_pinned()

    def render(self, result: Any) -> None:
        """The pinned scenarios do not change with the inputs; the table follows the volume's unit."""
        if self._drawn_in != (self.app.lang, self.app.quantity_unit()[0]):
            self.show_pinned()

    # -- pinned scenarios
    def pin(self, name: str | None = None) -> whatif.Scenario:
        """Pin the current inputs as a scenario (same name: replaced)."""
        name = (name if name is not None else self.scenario_name.value).strip()
        if not name:
            name = self.t("default_name", n=len(self.pinned) + 1)
        if len(name) > MAX_NAME_LENGTH:  # the same limit as a saved scenario's name
            raise InputError("scenario", reason="name_too_long", value=name, length=str(len(name)),
                             max_length=str(MAX_NAME_LENGTH))
        scenario = self.app.current_scenario(name)
        self.pin_all([scenario])
        self.scenario_name.value = ""
        self.show_status(self.t("pinned", name=name))
        return scenario

    def pin_all(self, scenarios: list[whatif.Scenario]) -> None:
        by_name = {s.name: s for s in self.pinned}
        for scenario in scenarios:
            by_name[scenario.name] = scenario
        if len(by_name) > MAX_PINNED:
            raise InputError("scenarios", reason="too_many_pinned", value=len(by_name), limit=MAX_PINNED)
        self.pinned = list(by_name.values())
        self.show_pinned()

    def unpin(self, name: str | None) -> None:
        self.pinned = [s for s in self.pinned if s.name != name]
        self.show_pinned()

    def use_pinned(self, name: str | None) -> None:
        """Put a pinned scenario's numbers back in the boxes."""
        scenario = next((s for s in self.pinned if s.name == name), None)
        if scenario is not None:
            self.app.apply_scenario(scenario)

    def comparison(self) -> pd.DataFrame:
        """The pinned scenarios evaluated, with the profit difference against the first."""
        table = whatif.evaluate_scenarios(MODEL, self.pinned)
        if len(table):
            table["profit_change"] = table["profit"] - table["profit"].iloc[0]
        return table

    def show_pinned(self) -> None:
        lang = self.app.lang
        factor, unit_key, _ = self.app.quantity_unit()
        self._drawn_in = (lang, factor)
        names = [s.name for s in self.pinned]
        set_options(self.pinned_choice, names)
        if not self.pinned:
            self.pinned_table.value = f"<p class='ck-note'>{escape(self.t('nothing_pinned'))}</p>"
            self.pinned_chart.layout.display = "none"
            self.downloads.value = ""
            return
        table = self.comparison().reset_index()
        unit = i18n.tr(unit_key, lang)
        shown = table.assign(volume=table["volume"] / factor, break_even_volume=table["break_even_volume"] / factor)
        columns = [
            Column("scenario", i18n.tr("field.scenario", lang), "text"),
            Column("list_price", i18n.tr("field.list_price", lang)),
            Column("volume", self.t("volume_in", unit=unit), "number"),
            Column("commission_rate", i18n.tr("field.commission_rate", lang), "rate"),
            Column("profit", i18n.tr("result.profit", lang)),
            Column("profit_change", self.t("profit_change", base=names[0])),
            Column("margin", i18n.tr("field.margin", lang), "rate"),
            Column("break_even_volume", i18n.tr("result.break_even_volume", lang, unit=unit), "number"),
        ]
        self.pinned_table.value = frame_table(shown, columns, "scenario", lang)
        self.pinned_chart.value = figure_png(plots.scenario_chart(table.set_index("scenario"), ["profit"], lang))
        self.pinned_chart.layout.display = None
        self._show_downloads()

    def _show_downloads(self) -> None:
        lang = self.app.lang
        stem = self.t("file_stem")
        xlsx = exchange.scenarios_to_xlsx(self.pinned, lang=lang, base=self.pinned[0].name,
                                          table=self.app.price_volume_table("profit"), table_output="profit")
        csv = exchange.scenarios_to_csv(self.pinned, lang=lang).encode("utf-8-sig")
        self.downloads.value = (
            download_link("ck-download-xlsx", f"{stem}.xlsx", XLSX, xlsx, self.t("download_xlsx"))
            + " &nbsp; "
            + download_link("ck-download-csv", f"{stem}.csv", "text/csv", csv, self.t("download_csv"))
        )

    # -- the status line and the cooperative's folder
    def show_status(self, text: str, *, error: bool = False) -> None:
        css = "ck-status-error" if error else "ck-status-ok"
        self.status.value = f"<p class='{css}'>{'⚠ ' if error else '✓ '}{escape(text)}</p>"

    def store(self) -> ScenarioStore:
        """The folder the owner box names, opened with the code box's code (`InputError` when the
        folder has a code and the box does not hold it)."""
        store = ScenarioStore(self.store_root or default_root(), self.owner.value, code=self.owner_code.value)
        self._check_code(store)
        return store

    def _check_code(self, store: ScenarioStore) -> None:
        """Check the typed code, counting wrong ones: too many, and the session waits."""
        self.code_guard.check(store, self.clock())

    def _owner_changed(self) -> None:
        """Another folder named: its code must be typed again, and the new-code note goes."""
        try:
            folder = owner_folder(self.owner.value) if self.owner.value.strip() else None
        except InputError:
            folder = None
        if folder != self._folder:
            self._folder = folder
            self._new_code = None
            self._show_code_note()
            if self.owner_code.value:
                self.owner_code.value = ""  # shows the folder's scenarios (its observer)
                return
        self.show_saved()

    def _show_code_note(self) -> None:
        if not self._new_code:
            self.code_note.value = ""
            return
        said = escape(self.t("code_new", code="\0")).replace("\0", f"<b class='ck-code'>{escape(self._new_code)}</b>")
        self.code_note.value = f"<p class='ck-status-ok'>🔑 {said}</p>"

    def guard(self, action: Callable[[], Any]) -> Any:
        """Run a pin/save/load action; a bad input or file is told in the status line."""
        try:
            return action()
        except InputError as err:
            self.show_status(err.message(self.app.lang), error=True)
            return None

    def save_pinned(self) -> None:
        """Save every pinned scenario in the cooperative's folder."""
        def action():
            if not self.pinned:
                raise InputError("scenarios", reason="nothing_pinned")
            store = self.store()
            for scenario in self.pinned:
                store.save(scenario)
            self.show_status(self.t("saved", count=len(self.pinned), owner=store.owner))
            if store.new_code:  # the folder's first save: its code, shown this once
                self._folder, self._new_code = store.folder.name, store.new_code
                self._show_code_note()
                self.owner_code.value = store.new_code  # this session goes on working
            self.show_saved()
        self.guard(action)

    def show_saved(self) -> None:
        """List the folder's scenarios: none until its code (if it has one) is typed."""
        names: list[str] = []
        coded = False
        if self.owner.value.strip():
            try:
                store = ScenarioStore(self.store_root or default_root(), self.owner.value, code=self.owner_code.value)
                coded = store.has_code()
                names = self.store().names()
            except InputError as err:
                coded = coded or err.field == "owner_code"
                if err.field == "owner_code" and err.reason != "code_needed":
                    self.show_status(err.message(self.app.lang), error=True)
        self.code_box.layout.display = None if coded else "none"
        self.code_help.layout.display = None if coded and not names and not self.owner_code.value else "none"
        set_options(self.saved_choice, names)

    def load_saved(self, name: str | None) -> None:
        """Pin a saved scenario and show its numbers."""
        def action():
            if not name:
                raise InputError("scenario", reason="nothing_selected")
            scenario = self.store().load(name)
            self.pin_all([scenario])
            self.app.apply_scenario(scenario)
            self.show_status(self.t("loaded", name=name))
        self.guard(action)

    def rename_saved(self, old: str | None, new: str) -> None:
        def action():
            if not old:
                raise InputError("scenario", reason="nothing_selected")
            renamed = self.store().rename(old, new)
            self.new_name.value = ""
            self.show_saved()
            self.show_status(self.t("renamed", old=old, new=renamed.name))
        self.guard(action)

    def delete_saved(self, name: str | None) -> None:
        def action():
            if not name:
                raise InputError("scenario", reason="nothing_selected")
            self.store().delete(name)
            self.show_saved()
            self.show_status(self.t("deleted", name=name))
        self.guard(action)

    def import_file(self, content: bytes) -> list[whatif.Scenario]:
        """Pin the scenarios of an exported Excel file (those of this workbook's model)."""
        scenarios = [s for s in exchange.scenarios_from_xlsx(content) if s.model == MODEL]
        if not scenarios:
            raise InputError("file", reason="no_scenarios_in_file")
        self.pin_all(scenarios)
        self.show_status(self.t("imported", count=len(scenarios)))
        return scenarios

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]

        def action():
            # The bytes that arrived, not the size the browser's description claims.
            exchange.check_upload(upload.get("name", ""), len(upload["content"]), bytes(upload["content"][:4]))
            return self.import_file(bytes(upload["content"]))

        try:
            self.guard(action)
        finally:
            self.upload.value = ()  # nothing the manager had pinned is touched; the file is forgotten


# -- goal seek --------------------------------------------------------------------------------------
class GoalPanel(_WhatIfPanel):
    """Make [output] equal [target] by changing [input]; the answer can be put in its box."""

    key = "goal"

    def __init__(self, app: "WhatIfApp") -> None:
        super().__init__(app)
        self.help = html("ck-section-help")
        self.words = [html("ck-goal-word") for _ in range(3)]
        self.output = dropdown("ck-goal-output")
        self.target = NumberBox("target", 0.0, app.lang, check=check_finite, decimals=2)
        self.input = dropdown("ck-goal-input")
        self.run_button = button("ck-goal-run")
        self.answer = html("ck-goal-result")
        self.apply_button = button("ck-goal-apply")
        self.apply_button.layout.display = "none"
        #: The last answer: (input, value), or None.
        self.last: tuple[str, float] | None = None
        self.box.children = [
            self.help,
            row(self.words[0], self.output),
            row(self.words[1], self.target.box),
            row(self.words[2], self.input),
            row(self.run_button),
            self.answer,
            row(self.apply_button),
        ]
        self._label()
        self.run_button.on_click(self.on(lambda _b: self.run()))
        self.apply_button.on_click(self.on(lambda _b: self.apply()))
        self.output.observe(self.on(lambda _c: self.show_unit()), "value")

    def _label(self) -> None:
        lang, t = self.app.lang, self.t
        set_options(self.output, _labelled(GOAL_OUTPUTS, lang))
        set_options(self.input, _labelled(SHOWN_INPUTS, lang))
        self.help.value = t("goal_help")
        for widget, key in zip(self.words, ("goal_make", "goal_equal", "goal_by_changing")):
            widget.value = t(key)
        self.run_button.description = t("goal_run")
        self.apply_button.description = t("goal_apply")
        self.show_unit()

    def set_lang(self, lang: str) -> None:
        self._label()
        self._forget()

    def _forget(self) -> None:
        self.answer.value = ""
        self.apply_button.layout.display = "none"
        self.last = None

    def show_unit(self) -> None:
        """The target box's unit follows the output: %, ₫, or the volume box's unit."""
        output = self.output.value or "profit"
        kind = fields.kind(output)
        self.target.unit_key = "unit.percent" if kind == "rate" else ("unit.vnd" if kind == "money" else None)
        if output in QUANTITY_OUTPUTS:  # typed in the volume box's unit (tấn, tạ …)
            self.target.unit_key = self.app.quantity_unit()[1]
        self.target.set_lang(self.app.lang)

    def target_value(self) -> float:
        """The target as the model counts it (a fraction, đồng, product units)."""
        value = self.target.read()
        if self.output.value in QUANTITY_OUTPUTS:
            return value * self.app.quantity_unit()[0]
        return value / 100 if fields.kind(self.output.value) == "rate" else value

    def run(self) -> float | None:
        """Find the value of the chosen input that makes the chosen output reach the target."""
        app = self.app
        lang, output, vary = app.lang, self.output.value, self.input.value
        self._forget()
        try:
            target = self.target_value()
            self.target.show_error(None)
        except InputError as err:
            self.target.show_error(err)
            return None
        try:
            inputs = app.inputs()
        except InputError as err:
            app.show_input_error(err)
            self.answer.value = _error_line(err, lang)
            return None
        try:
            found = whatif.goal_seek(MODEL, inputs, vary=vary, output=output, target=target)
        except InputError as err:
            self.answer.value = _error_line(err, lang)
            return None
        self.last = (vary, found)
        shown = app.quantity_text(found) if vary == "volume" else fields.format_value(vary, found, lang)
        aim = app.quantity_text(target) if output in QUANTITY_OUTPUTS else fields.format_value(output, target, lang)
        said = self.t("goal_found", input=fields.label(vary, lang), output=fields.label(output, lang), target=aim)
        self.answer.value = (f"<p class='ck-goal-answer'>{escape(said)} "
                             f"<b data-key='{vary}' data-value='{found!r}'>{escape(shown)}</b></p>")
        self.apply_button.layout.display = None
        return found

    def apply(self) -> None:
        """Put the answer in its box."""
        if self.last is not None:
            vary, found = self.last
            self.app.control(vary).value = found


# -- sensitivity ---------------------------------------------------------------------------------------
class SensitivityPanel(_WhatIfPanel):
    """Which input matters most for one output: tornado chart and table, spider chart."""

    key = "sensitivity"

    def __init__(self, app: "WhatIfApp") -> None:
        super().__init__(app)
        self.help = html("ck-section-help")
        self.output = dropdown("ck-sensitivity-output")
        self.change = PercentSlider("change", 0.2, app.lang, maximum=0.5, step=0.05)
        self.tornado_table = scrolling_html("ck-tornado")
        self.tornado_chart = image("ck-tornado-chart")
        self.spider_chart = image("ck-spider-chart")
        self.box.children = [self.help, row(self.output), self.change.box,
                             self.tornado_chart, self.tornado_table, self.spider_chart]
        self._label()
        self.output.observe(self.on(self.redraw), "value")
        self.change.on_change(self.on(self.redraw))

    def _label(self) -> None:
        set_options(self.output, _labelled(GOAL_OUTPUTS, self.app.lang))
        self.help.value = self.t("sensitivity_help")

    def set_lang(self, lang: str) -> None:
        self._label()
        self.change.set_lang(lang)

    def render(self, result: Any) -> pd.DataFrame:
        """The tornado table: each shown input moved down and up by the chosen change."""
        lang, inputs = self.app.lang, result.inputs
        output = self.output.value or "profit"
        change = self.change.read()
        names = list(SHOWN_INPUTS)
        table = whatif.tornado(MODEL, inputs, output, change=change)
        table = table[table["input"].isin(names)].reset_index(drop=True)
        self.tornado_chart.value = figure_png(plots.tornado_chart(table, result.outputs[output], output, lang))
        steps = [round(-change + i * change / 2, 6) for i in range(5)]
        spider = whatif.spider(MODEL, inputs, output, changes=steps, names=names)
        self.spider_chart.value = figure_png(plots.spider_chart(spider, output, lang))
        shown = table.assign(label=[fields.label(n, lang) for n in table["input"]])
        kind, label = fields.kind(output), fields.label(output, lang)
        columns = [
            Column("label", self.t("input"), "text"),
            Column("output_low", self.t("output_low", output=label), kind),
            Column("output_high", self.t("output_high", output=label), kind),
            Column("effect", self.t("effect"), kind),
        ]
        self.tornado_table.value = frame_table(shown, columns, "input", lang)
        return table


# -- demand -------------------------------------------------------------------------------------------
class DemandPanel(_WhatIfPanel):
    """A few remembered sales (price, quantity), the kind of curve fitted to them, and what the curve says.

    Until the manager types their own sales, the boxes hold example sales made around the plan on
    screen (`demand.example_sales`) and follow it; the app reads the sales in its refresh (`sales`).
    """

    key = "demand"

    def __init__(self, app: "WhatIfApp") -> None:
        super().__init__(app)
        self.help = html("ck-section-help")
        self.kind = widgets.ToggleButtons(style=widgets.ToggleButtonsStyle(button_width="14em"))
        self.kind.add_class("ck-demand-kind")
        self.rows = widgets.VBox()
        self.rows.add_class("ck-controls")
        self.result = html("ck-demand")
        self.source = html("ck-demand-source")
        self.examples_button = button("ck-demand-examples")
        self.controls: list[tuple[NumberBox, ScaledBox]] = []
        #: True while the boxes hold example sales made around the plan on screen.
        self.examples = True
        self.box.children = [self.help, self.kind, self.source, row(self.examples_button), self.rows, self.result]
        self._label()
        self.kind.observe(self.on(lambda _c: app.refresh()), "value")
        self.examples_button.on_click(self.on(lambda _b: self.use_examples()))

    def _label(self) -> None:
        t = self.t
        set_options(self.kind, [(t("demand_linear"), "linear"), (t("demand_constant_elasticity"), "constant_elasticity")])
        self.examples_button.description = i18n.tr("demand.use_examples", self.app.lang)
        self.help.value = t("demand_help")

    def set_lang(self, lang: str) -> None:
        self._label()
        for price_box, quantity_box in self.controls:
            price_box.set_lang(lang)
            quantity_box.set_lang(lang)  # a language switch is not typing: examples stay examples

    @property
    def curve_kind(self) -> str:
        return self.kind.value or "linear"

    def boxes(self) -> list[Control]:
        return [box for pair in self.controls for box in pair]

    def rebuild(self, price: float, volume: float, volume_control: Control) -> None:
        """Example sales around a template's plan (a new product was picked)."""
        old = self.boxes()
        self.examples = True
        prices, quantities = demand.example_sales(price, volume, self.curve_kind)
        factor, unit_key, decimals = self.app.quantity_unit(volume_control)
        unit = self.app.product.unit
        pairs = []
        for n, (p, q) in enumerate(zip(prices, quantities), start=1):
            labels_p = {code: i18n.tr("app.what_if.demand_price", code, n=n) for code in i18n.LANGUAGES}
            labels_q = {code: i18n.tr("app.what_if.demand_quantity", code) for code in i18n.LANGUAGES}
            price_box = NumberBox(f"demand_price.{n}", p, self.app.lang, money=True, label=labels_p,
                                  unit_key=f"unit.vnd_per_{unit}", check=check_positive)
            quantity_box = ScaledBox(f"demand_quantity.{n}", q, self.app.lang, factor=factor, label=labels_q,
                                     decimals=decimals, unit_key=unit_key)
            for box in (price_box, quantity_box):
                box.on_change(self._typed)
            pairs.append((price_box, quantity_box))
        self.controls = pairs
        self.rows.children = [widgets.VBox([p.box, q.box]) for p, q in pairs]
        for control in old:
            control.close()

    def rescale(self, factor: float, unit_key: str, decimals: int) -> None:
        """Show the quantities in the volume box's new unit."""
        for _, quantity_box in self.controls:
            quantity_box.rescale(factor, unit_key, decimals)

    def _typed(self) -> None:
        """The manager typed in a sales box: from now on the sales are theirs."""
        self.examples = False
        self.app.refresh_now()

    def use_examples(self) -> None:
        """Go back to example sales made around the plan on screen."""
        self.examples = True
        self.app.refresh()

    def sales(self, price: float, volume: float) -> tuple[list[float] | tuple[float, ...], list[float] | tuple[float, ...]]:
        """The sales to fit: examples around ``price`` and ``volume`` (shown in the boxes), or the
        manager's (a row left empty is skipped; bad boxes are marked, the first error raised)."""
        if self.examples:
            prices, quantities = demand.example_sales(price, volume, self.curve_kind)
            for (price_box, quantity_box), p, q in zip(self.controls, prices, quantities):
                price_box.set(p)
                quantity_box.set(q)
                price_box.show_error(None)
                quantity_box.show_error(None)
            return prices, quantities
        return self.typed_sales()

    def typed_sales(self) -> tuple[list[float], list[float]]:
        """The sales the boxes hold; a row left empty is skipped (bad boxes marked, the first error raised)."""
        filled = []
        for price_box, quantity_box in self.controls:
            if price_box.text.value.strip() or quantity_box.text.value.strip():
                filled.append((price_box, quantity_box))
            else:
                price_box.show_error(None)
                quantity_box.show_error(None)
        values = self.app.read_all(box for pair in filled for box in pair)
        return [values[p.field] for p, _ in filled], [values[q.field] for _, q in filled]

    def render(self, result: Any) -> None:
        lang, curve = self.app.lang, result.curve
        if result.examples:
            note, css = i18n.tr("demand.examples_follow", lang), "ck-demand-example-note"
            self.examples_button.layout.display = "none"
        else:
            note, css = i18n.tr("demand.own_note", lang), "ck-demand-own-note"
            self.examples_button.layout.display = None
        self.source.value = f"<p class='ck-note {css}'>{escape(note)}</p>"
        price = result.inputs["list_price"]
        rows = [
            Row("elasticity", self.t("elasticity_at", price=fmt.money(price, lang)), curve.elasticity(price),
                kind="number"),
            Row("r_squared", i18n.tr("field.r_squared", lang), curve.r_squared, kind="number"),
        ]
        self.result.value = summary_table(rows, lang)


# -- data table ---------------------------------------------------------------------------------------
class TablePanel(_WhatIfPanel):
    """Price × volume → an output, as a heat map and a table."""

    key = "table"

    def __init__(self, app: "WhatIfApp") -> None:
        super().__init__(app)
        self.help = html("ck-section-help")
        self.output = dropdown("ck-table-output")
        self.heatmap = image("ck-heatmap")
        self.grid_table = scrolling_html("ck-grid")
        self.box.children = [self.help, row(self.output), self.heatmap, self.grid_table]
        self._label()
        self.output.observe(self.on(self.redraw), "value")

    def _label(self) -> None:
        set_options(self.output, _labelled(("profit", "margin"), self.app.lang))
        self.help.value = self.t("table_help")

    def set_lang(self, lang: str) -> None:
        self._label()

    def render(self, result: Any) -> pd.DataFrame:
        lang = self.app.lang
        output = self.output.value or "profit"
        grid = self.app.price_volume_table(output)
        self.heatmap.value = figure_png(plots.heatmap_chart(grid, output, lang, contour=0.0))
        frame = grid.copy()
        factor, unit_key, decimals = self.app.quantity_unit()
        frame.columns = [fmt.number(v / factor, lang, decimals=decimals) for v in grid.columns]
        frame.insert(0, "price", [fmt.money(v, lang) for v in grid.index])
        volume_header = self.t("volume_in", unit=i18n.tr(unit_key, lang))
        columns = [Column("price", f"{fields.label('list_price', lang)} ↓ {volume_header} →", "text")]
        columns += [Column(c, c, fields.kind(output)) for c in frame.columns[1:]]
        self.grid_table.value = frame_table(frame, columns, "price", lang)
        return grid
