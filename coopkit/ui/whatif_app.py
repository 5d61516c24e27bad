"""The what-if pricing workbench: scenarios, goal seek, sensitivity, demand and data tables.

A manager starts from a product template and a sales channel, changes a few numbers, pins
the result as a scenario, compares pinned scenarios, asks "what price gives this profit?",
sees which input matters most, and finds the most profitable price from a few sales they
remember. Scenarios are saved in the cooperative's folder and exported to Excel or CSV.

All the arithmetic is in the domain modules (`coopkit.models` "pricing_plan",
`coopkit.whatif`, `coopkit.demand`, `coopkit.store`, `coopkit.exchange`); this module only
reads the boxes, calls them and shows the results.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd

from coopkit import demand, exchange, fields, fmt, i18n, plots, pricing, units, whatif
from coopkit.errors import InputError
from coopkit.models import CHANNEL_INPUTS
from coopkit.store import MAX_NAME_LENGTH, ScenarioStore, default_root
from coopkit.ui.apps import _volume_control, channel_fees_line
from coopkit.ui.base import App, figure_png, safe
from coopkit.ui.controls import Control, NumberBox, PercentSlider, QuantityBox
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_finite, check_positive

__all__ = ["WhatIfApp", "WhatIfResult"]

log = logging.getLogger("coopkit.ui")

MODEL = "pricing_plan"
#: Inputs the manager sets with a box or a slider; the other channel inputs come from the channel.
SHOWN_INPUTS = ("list_price", "volume", "variable_cost_per_unit", "fixed_costs", "commission_rate", "payment_fee_rate")
HIDDEN_INPUTS = tuple(name for name in CHANNEL_INPUTS if name not in SHOWN_INPUTS)
#: Outputs a manager can aim at (goal seek) or rank inputs by (sensitivity).
GOAL_OUTPUTS = ("profit", "margin", "net_per_unit", "unit_cost", "break_even_volume")
SECTIONS = ("scenarios", "goal", "sensitivity", "demand", "table")
#: Outputs that are quantities: shown and typed in the unit of the volume box.
QUANTITY_OUTPUTS = ("break_even_volume",)
DEMAND_ROWS = 3
MAX_PINNED = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class WhatIfResult:
    """What the workbench shows for the current inputs."""

    inputs: dict[str, float]
    outputs: dict[str, float]
    curve: demand.DemandCurve
    best: demand.BestPrice
    response: pd.DataFrame
    #: The demand answer for this plan: the price–profit curve meets ``outputs["profit"]`` at
    #: the plan's price when buyers take the whole volume there.
    plan: demand.PlanDemand
    #: The demand comes from example sales made around the plan, not from the manager's sales.
    examples: bool

    @property
    def profit(self) -> float:
        return self.outputs["profit"]


def _button(css: str) -> widgets.Button:
    button = widgets.Button(layout=widgets.Layout(width="auto"))
    button.add_class(css)
    return button


def _html(css: str) -> widgets.HTML:
    widget = widgets.HTML()
    widget.add_class(css)
    return widget


def _scrolling_html(css: str) -> widgets.HTML:
    """An HTML table that scrolls sideways inside the page when it is wider than the screen."""
    widget = widgets.HTML(layout=widgets.Layout(width="100%", max_width="100%", overflow="auto hidden"))
    widget.add_class(css)
    widget.add_class("ck-scroll-x")
    return widget


def _image(css: str) -> widgets.Image:
    image = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))  # as App.chart
    image.add_class(css)
    return image


class _ScaledBox(NumberBox):
    """A quantity box that shows the quantity in the unit the volume box uses (kg, tạ, tấn …)
    and reads it back in the product's unit."""

    def __init__(self, field: str, value: float, lang: str, *, factor: float, **kwargs: Any) -> None:
        self.factor = factor
        super().__init__(field, value / factor, lang, **kwargs)

    def _to_shown(self, value: float) -> float:
        return value / self.factor

    def _from_shown(self, number: float) -> float:
        return number * self.factor

    def rescale(self, factor: float, unit_key: str, decimals: int) -> None:
        """Show the same quantity in another unit."""
        try:
            value = self.read()
        except InputError:
            value = None
        self.factor, self.unit_key, self.decimals = factor, unit_key, decimals
        self._render_label()
        if value is not None:
            self.set(value)


def _set_options(dropdown: widgets.Dropdown | widgets.ToggleButtons, options: list) -> None:
    """New options (values, or ``(label, value)`` pairs), keeping the chosen value if it is still
    there, else the first (ipywidgets leaves nothing chosen after a change of options)."""
    chosen = dropdown.value
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    dropdown.options = options
    dropdown.value = chosen if chosen in values else (values[0] if values else None)


def _download_link(css: str, filename: str, mime: str, payload: bytes, text: str) -> str:
    data = base64.b64encode(payload).decode("ascii")
    return (f'<a class="ck-download {css}" download="{escape(filename)}" '
            f'href="data:{mime};base64,{data}">↓ {escape(text)}</a>')


class WhatIfApp(App):
    """What if we sell at another price, on another channel, with a smaller harvest?"""

    name = "what_if"

    def __init__(
        self,
        product: str = "cam_lac_thuy",
        lang: str | None = None,
        *,
        standalone: bool = True,
        channel: str = "trader",
        store_root: str | None = None,
    ) -> None:
        from coopkit import data

        self.channels = data.load_channels()
        if channel not in self.channels:
            raise InputError("channel", reason="unknown_channel", value=channel)
        self.channel_key = channel
        self.channel_extra: dict[str, float] = {}
        self.pinned: list[whatif.Scenario] = []
        self.store_root = store_root
        self.demand_controls: list[tuple[NumberBox, NumberBox]] = []
        #: True while the demand boxes hold example sales made around the plan on screen.
        self.demand_examples = True
        self.last_goal: tuple[str, float] | None = None
        self._build_sections()
        super().__init__(product, lang, standalone=standalone)
        # The channel picker sits under the product picker; the sections under the results.
        left = self.view.children[2].children[0]
        left.children = (left.children[0], self.channel_row, *left.children[1:])
        self.view.children = (*self.view.children, self.sections_box)
        self._show_pinned()

    # -- widgets of the sections ---------------------------------------------------------
    def _build_sections(self) -> None:
        self.channel_label = _html("ck-input-label")
        self.channel_choice = widgets.Dropdown(layout=widgets.Layout(width="22em"))
        self.channel_choice.add_class("ck-channel")
        self.channel_note = _html("ck-channel-note")
        self.channel_row = widgets.VBox([
            widgets.HBox([self.channel_label, self.channel_choice], layout=widgets.Layout(align_items="center")),
            self.channel_note,
        ])

        # Scenarios: pin, compare, save, load, export, import.
        self.scenario_name = widgets.Text(layout=widgets.Layout(width="18em"))
        self.scenario_name.add_class("ck-scenario-name")
        self.pin_button = _button("ck-pin")
        self.pinned_table = _scrolling_html("ck-pinned")
        self.pinned_chart = _image("ck-pinned-chart")
        self.pinned_choice = widgets.Dropdown(layout=widgets.Layout(width="18em"))
        self.pinned_choice.add_class("ck-pinned-choice")
        self.use_button = _button("ck-use")
        self.unpin_button = _button("ck-unpin")
        self.owner_label = _html("ck-input-label")
        self.owner = widgets.Text(layout=widgets.Layout(width="18em"))
        self.owner.add_class("ck-owner")
        self.save_button = _button("ck-save")
        self.saved_choice = widgets.Dropdown(layout=widgets.Layout(width="18em"))
        self.saved_choice.add_class("ck-saved-choice")
        self.load_button = _button("ck-load")
        self.new_name = widgets.Text(layout=widgets.Layout(width="14em"))
        self.new_name.add_class("ck-new-name")
        self.rename_button = _button("ck-rename")
        self.delete_button = _button("ck-delete")
        self.downloads = _html("ck-downloads")
        self.upload_label = _html("ck-input-label")
        self.upload = widgets.FileUpload(accept=".xlsx", multiple=False)
        self.upload.add_class("ck-upload")
        self.status = _html("ck-status")
        row = lambda *children: widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap", align_items="center"))  # noqa: E731
        self.scenarios_help = _html("ck-section-help")
        self.store_help = _html("ck-section-help")
        scenarios = widgets.VBox([
            self.scenarios_help,
            row(self.scenario_name, self.pin_button),
            self.status,
            self.pinned_table,
            self.pinned_chart,
            row(self.pinned_choice, self.use_button, self.unpin_button),
            self.downloads,
            self.store_help,
            row(self.owner_label, self.owner, self.save_button),
            row(self.saved_choice, self.load_button, self.delete_button),
            row(self.new_name, self.rename_button),
            row(self.upload_label, self.upload),
        ])

        # Goal seek: make [output] equal [target] by changing [input].
        self.goal_help = _html("ck-section-help")
        self.goal_words = [_html("ck-goal-word") for _ in range(3)]
        self.goal_output = widgets.Dropdown(layout=widgets.Layout(width="16em"))
        self.goal_output.add_class("ck-goal-output")
        self.goal_target = NumberBox("target", 0.0, "vi", check=check_finite, decimals=2)
        self.goal_input = widgets.Dropdown(layout=widgets.Layout(width="16em"))
        self.goal_input.add_class("ck-goal-input")
        self.goal_button = _button("ck-goal-run")
        self.goal_result = _html("ck-goal-result")
        self.goal_apply = _button("ck-goal-apply")
        self.goal_apply.layout.display = "none"
        goal = widgets.VBox([
            self.goal_help,
            row(self.goal_words[0], self.goal_output),
            row(self.goal_words[1], self.goal_target.box),
            row(self.goal_words[2], self.goal_input),
            row(self.goal_button),
            self.goal_result,
            row(self.goal_apply),
        ])

        # Sensitivity: tornado and spider charts of one output.
        self.sensitivity_help = _html("ck-section-help")
        self.sensitivity_output = widgets.Dropdown(layout=widgets.Layout(width="16em"))
        self.sensitivity_output.add_class("ck-sensitivity-output")
        self.sensitivity_change = PercentSlider("change", 0.2, "vi", maximum=0.5, step=0.05)
        self.tornado_table = _scrolling_html("ck-tornado")
        self.tornado_chart = _image("ck-tornado-chart")
        self.spider_chart = _image("ck-spider-chart")
        sensitivity = widgets.VBox([
            self.sensitivity_help, row(self.sensitivity_output), self.sensitivity_change.box,
            self.tornado_chart, self.tornado_table, self.spider_chart,
        ])

        # Demand: a few remembered sales, the fitted curve, the best price.
        self.demand_help = _html("ck-section-help")
        self.demand_kind = widgets.ToggleButtons(style=widgets.ToggleButtonsStyle(button_width="14em"))
        self.demand_kind.add_class("ck-demand-kind")
        self.demand_box = widgets.VBox()
        self.demand_box.add_class("ck-controls")
        self.demand_result = _html("ck-demand")
        self.demand_source = _html("ck-demand-source")
        self.demand_examples_button = _button("ck-demand-examples")
        demand_section = widgets.VBox([self.demand_help, self.demand_kind, self.demand_source,
                                       row(self.demand_examples_button), self.demand_box, self.demand_result])

        # Data table: price × volume → an output, as a heat map and a table.
        self.table_help = _html("ck-section-help")
        self.table_output = widgets.Dropdown(layout=widgets.Layout(width="16em"))
        self.table_output.add_class("ck-table-output")
        self.heatmap = _image("ck-heatmap")
        self.grid_table = _scrolling_html("ck-grid")
        table = widgets.VBox([self.table_help, row(self.table_output), self.heatmap, self.grid_table])

        # Only the first tab is filled at start; the others get their widgets when first opened,
        # so the page has fewer widgets to draw before it is ready.
        contents = [scenarios, goal, sensitivity, demand_section, table]
        self.section_boxes = {key: widgets.VBox() for key in SECTIONS}
        self._section_contents = dict(zip(SECTIONS, contents))
        # Section tabs are buttons in a row that wraps: on a phone every title shows in full
        # (a Tab bar cuts them to "Kịch bả…").
        self.section_buttons = []
        for key in SECTIONS:
            button = widgets.Button(layout=widgets.Layout(width="auto", flex="0 0 auto"))
            button.add_class("ck-section-tab")
            button.add_class(f"ck-section-tab-{key}")
            self.section_buttons.append(button)
        self.section_tabs = widgets.HBox(self.section_buttons, layout=widgets.Layout(flex_flow="row wrap"))
        self.section_tabs.add_class("ck-section-tabs")
        self.sections = widgets.Stack(children=list(self.section_boxes.values()), selected_index=0)
        self.sections.add_class("ck-section-pages")
        self.sections_box = widgets.VBox([self.section_tabs, self.sections],
                                         layout=widgets.Layout(width="100%", max_width="100%"))
        self.sections_box.add_class("ck-sections")
        for key, box in self.section_boxes.items():
            box.add_class(f"ck-section-{key}")
        self._open_section("scenarios")
        self._mark_section()

    def section_title(self, index: int) -> str:
        """The title of section ``index`` as its tab shows it."""
        return self.section_buttons[index].description

    def _mark_section(self) -> None:
        """The open section's tab is drawn pressed."""
        chosen = self.sections.selected_index or 0
        for index, button in enumerate(self.section_buttons):
            button.button_style = "info" if index == chosen else ""
            if index == chosen:
                button.add_class("ck-section-tab-open")
            else:
                button.remove_class("ck-section-tab-open")

    def _open_section(self, key: str) -> None:
        """Put a section's widgets on the page (once)."""
        box = self.section_boxes[key]
        if not box.children:
            box.children = [self._section_contents[key]]

    def _wire(self) -> None:
        """Connect the section widgets (once, after the base class has made ``safe`` wrappers)."""
        on = lambda callback: safe(self, callback)  # noqa: E731
        self.channel_choice.observe(on(self._channel_picked), "value")
        self.pin_button.on_click(on(lambda _b: self._guard(self.pin)))
        self.use_button.on_click(on(lambda _b: self.use_pinned(self.pinned_choice.value)))
        self.unpin_button.on_click(on(lambda _b: self.unpin(self.pinned_choice.value)))
        self.save_button.on_click(on(lambda _b: self.save_pinned()))
        self.load_button.on_click(on(lambda _b: self.load_saved(self.saved_choice.value)))
        self.rename_button.on_click(on(lambda _b: self.rename_saved(self.saved_choice.value, self.new_name.value)))
        self.delete_button.on_click(on(lambda _b: self.delete_saved(self.saved_choice.value)))
        self.owner.observe(on(lambda _c: self._show_saved()), "value")
        self.upload.observe(on(self._uploaded), "value")
        self.goal_button.on_click(on(lambda _b: self.run_goal_seek()))
        self.goal_apply.on_click(on(lambda _b: self.apply_goal()))
        self.goal_output.observe(on(lambda _c: self._goal_unit()), "value")
        self.sensitivity_output.observe(on(lambda _c: self._show_section()), "value")
        self.sensitivity_change.on_change(on(self._show_section))
        self.demand_kind.observe(on(lambda _c: self.refresh()), "value")
        self.demand_examples_button.on_click(on(lambda _b: self.use_example_sales()))
        for index, button in enumerate(self.section_buttons):
            button.on_click(on(lambda _b, index=index: setattr(self.sections, "selected_index", index)))
        self.table_output.observe(on(lambda _c: self._show_section()), "value")
        self.sections.observe(on(lambda _c: (self._mark_section(), self._show_section())), "selected_index")

    # -- the App contract ----------------------------------------------------------------
    def build_controls(self) -> list[Control]:
        if not hasattr(self, "_wired"):
            self._wired = True
            self._wire()
        product, lang = self.product, self.lang
        planned = product.cost_summary()
        price = product.price_per_unit
        channel = self.channels[self.channel_key]
        unit_key = f"unit.vnd_per_{product.unit}"
        volume = _volume_control(product, lang)
        if isinstance(volume, QuantityBox):
            volume.unit_choice.observe(safe(self, lambda change: self._volume_unit_changed(volume, change)), "value")
        controls: list[Control] = [
            NumberBox("list_price", price, lang, money=True, unit_key=unit_key, check=check_positive,
                      slider=(0.0, round(price * 3), max(round(price / 100), 1))),
            volume,
            NumberBox("variable_cost_per_unit", planned.variable_cost_per_unit, lang, money=True, unit_key=unit_key),
            NumberBox("fixed_costs", planned.fixed_costs, lang, money=True),
            PercentSlider("commission_rate", channel.commission_rate, lang, maximum=0.5),
            PercentSlider("payment_fee_rate", channel.payment_fee_rate, lang, maximum=0.2),
        ]
        self.channel_extra = {name: float(getattr(channel, name)) for name in HIDDEN_INPUTS}
        self._build_demand(price, product.volume_per_season, volume)
        return controls

    def _build_demand(self, price: float, volume: float, volume_control: Control) -> None:
        """Example sales around the template's plan; they follow the plan on screen until the
        manager types their own (`demand_examples`)."""
        old = [c for pair in self.demand_controls for c in pair]
        self.demand_examples = True
        prices, quantities = demand.example_sales(price, volume, self.demand_kind.value or "linear")
        factor, unit_key, decimals = self._quantity_unit(volume_control)
        pairs = []
        for n, (p, q) in enumerate(zip(prices, quantities), start=1):
            labels_p = {code: i18n.tr("app.what_if.demand_price", code, n=n) for code in i18n.LANGUAGES}
            labels_q = {code: i18n.tr("app.what_if.demand_quantity", code) for code in i18n.LANGUAGES}
            price_box = NumberBox(f"demand_price.{n}", p, self.lang, money=True, label=labels_p,
                                  unit_key=f"unit.vnd_per_{self.product.unit}", check=check_positive)
            quantity_box = _ScaledBox(f"demand_quantity.{n}", q, self.lang, factor=factor, label=labels_q,
                                      decimals=decimals, unit_key=unit_key)
            for box in (price_box, quantity_box):
                box.on_change(self._demand_typed)
            pairs.append((price_box, quantity_box))
        self.demand_controls = pairs
        self.demand_box.children = [widgets.VBox([p.box, q.box]) for p, q in pairs]
        for control in old:
            control.close()

    def _quantity_unit(self, volume_control: Control | None = None) -> tuple[float, str, int]:
        """How quantities are shown: product units per shown unit, the unit's key, decimals.

        They follow the volume box: "160 tấn" there means quantities in tấn everywhere.
        """
        control = volume_control if volume_control is not None else self.control("volume")
        if isinstance(control, QuantityBox) and control.dimension == "weight":
            code = control.unit_choice.value
            return units.weight_to_kg(1.0, code), f"app.what_if.unit_short.{code}", 0 if code == "kg" else 3
        return 1.0, f"unit.{self.product.unit}", 0

    def quantity_shown(self, value: float) -> tuple[float, str]:
        """``value`` (product units) in the unit the volume box shows, and that unit's name."""
        factor, unit_key, _ = self._quantity_unit()
        return value / factor, i18n.tr(unit_key, self.lang)

    def _volume_unit_changed(self, volume: QuantityBox, change: dict) -> None:
        """The manager picked another unit for the volume: every quantity on the page follows."""
        if volume._silent or change["new"] is None or change["new"] == change["old"] or volume not in self.controls:
            return
        factor, unit_key, decimals = self._quantity_unit(volume)
        for _, quantity_box in self.demand_controls:
            quantity_box.rescale(factor, unit_key, decimals)
        self._goal_unit()
        self.refresh()
        self._show_pinned()

    def _demand_typed(self) -> None:
        """The manager typed in a sales box: from now on the sales are theirs."""
        self.demand_examples = False
        self.refresh_now()

    def use_example_sales(self) -> None:
        """Go back to example sales made around the plan on screen."""
        self.demand_examples = True
        self.refresh()

    def control(self, field: str) -> Control | None:
        found = super().control(field)
        if found is None:
            found = next((c for pair in self.demand_controls for c in pair if c.field == field), None)
        return found

    def inputs(self) -> dict[str, float]:
        """The model's inputs as the boxes show them (all bad boxes marked first)."""
        values = self.read_all()
        return {**values, **self.channel_extra}

    def read_demand(self) -> tuple[list[float], list[float]]:
        """The remembered (price, quantity) pairs; a row left empty is skipped."""
        filled = []
        for price_box, quantity_box in self.demand_controls:
            if price_box.text.value.strip() or quantity_box.text.value.strip():
                filled.append((price_box, quantity_box))
            else:
                price_box.show_error(None)
                quantity_box.show_error(None)
        values = self.read_all(box for pair in filled for box in pair)
        return [values[p.field] for p, _ in filled], [values[q.field] for _, q in filled]

    def channel(self, inputs: dict[str, float]) -> pricing.Channel:
        return pricing.Channel("what_if", "Kênh", "Channel", **{k: inputs[k] for k in CHANNEL_INPUTS})

    def _show_example_sales(self, prices: tuple[float, ...], quantities: tuple[float, ...]) -> None:
        for (price_box, quantity_box), p, q in zip(self.demand_controls, prices, quantities):
            price_box.set(p)
            quantity_box.set(q)
            price_box.show_error(None)
            quantity_box.show_error(None)

    def compute(self) -> WhatIfResult:
        inputs = self.inputs()
        outputs = whatif.evaluate(MODEL, inputs)
        kind = self.demand_kind.value or "linear"
        price, volume = inputs["list_price"], inputs["volume"]
        examples = self.demand_examples
        if examples:  # made around the plan on screen, so they follow its price, channel and volume
            prices, quantities = demand.example_sales(price, volume, kind)
            self._show_example_sales(prices, quantities)
        else:
            prices, quantities = self.read_demand()
        curve = demand.fit_demand(prices, quantities, kind=kind)
        plan = demand.plan_demand(curve, self.channel(inputs), inputs["variable_cost_per_unit"],
                                  inputs["fixed_costs"], volume=volume, list_price=price)
        return WhatIfResult(inputs, outputs, curve, plan.best, plan.response, plan, examples)

    def render(self, result: WhatIfResult) -> tuple[str, Any]:
        lang, unit = self.lang, self.product.unit_label(self.lang)
        out, best, plan = result.outputs, result.best, result.plan
        break_even, shown_unit = self.quantity_shown(out["break_even_volume"])
        best_quantity, _ = self.quantity_shown(best.quantity)
        rows = [
            Row("profit", i18n.tr("result.profit", lang), out["profit"], strong=True),
            Row("revenue", i18n.tr("result.revenue", lang), out["revenue"]),
            Row("net_per_unit", i18n.tr("result.net_per_unit", lang, unit=unit), out["net_per_unit"]),
            Row("unit_cost", i18n.tr("result.unit_cost", lang, unit=unit), out["unit_cost"]),
            Row("margin", i18n.tr("field.margin", lang), out["margin"], kind="rate"),
            Row("break_even_volume", i18n.tr("result.break_even_volume", lang, unit=shown_unit),
                break_even, kind="number"),
        ]
        best_rows = [
            Row("best_price", i18n.tr("app.what_if.best_price", lang, unit=unit), best.price, strong=True),
            Row("best_quantity", i18n.tr("app.what_if.best_quantity", lang, unit=shown_unit), best_quantity,
                kind="number"),
            Row("best_profit", i18n.tr("app.what_if.best_profit", lang), best.profit),
        ]
        # Where the best price comes from, right under it: example sales or the manager's own.
        if result.examples:
            source = i18n.tr("demand.example_note", lang, price=fmt.money(plan.list_price, lang),
                             volume=self._quantity_text(plan.volume),
                             elasticity=fmt.number(-demand.EXAMPLE_ELASTICITY, lang, decimals=1))
            source_html = f"<p class='ck-note ck-demand-example-note'>{escape(source)}</p>"
        else:
            source_html = f"<p class='ck-note ck-demand-own-note'>{escape(i18n.tr('demand.own_note', lang))}</p>"
        notes = []
        if plan.demand_below_plan:
            notes.append(i18n.tr("demand.below_plan", lang, price=fmt.money(plan.list_price, lang),
                                 quantity=self._quantity_text(plan.quantity_sold),
                                 volume=self._quantity_text(plan.volume), profit=fmt.money(plan.profit, lang)))
        if best.capacity_binding:
            notes.append(i18n.tr("app.what_if.capacity_binding", lang))
        if best.at_edge:
            notes.append(i18n.tr("app.what_if.best_at_edge", lang))
        notes += result.curve.warning_messages(lang)
        html = (summary_table(rows, lang) + summary_table(best_rows, lang) + source_html
                + "".join(f"<p class='ck-note ck-warning'>⚠ {escape(n)}</p>" for n in notes))
        figure = plots.price_response_chart(result.response, lang, best_price=best.price, best_profit=best.profit,
                                            current_price=plan.list_price, current_profit=plan.profit)
        return html, figure

    def _quantity_text(self, value: float) -> str:
        """A quantity in the volume box's unit, with the unit: "128 tấn"."""
        shown, unit = self.quantity_shown(value)
        return f"{fmt.number(shown, self.lang, decimals=3)} {unit}"

    def refresh(self, _change: object = None) -> None:
        super().refresh()
        if self.error is None and hasattr(self, "sections"):
            safe(self, self._show_section)()

    # -- texts ---------------------------------------------------------------------------
    def _render_texts(self) -> None:
        super()._render_texts()
        lang = self.lang
        t = lambda key, **kw: i18n.tr(f"app.what_if.{key}", lang, **kw)  # noqa: E731
        self.channel_label.value = i18n.tr("field.channel", lang)
        self._relabelling = True
        try:
            self.channel_choice.options = [(c.name(lang), key) for key, c in self.channels.items()]
            self.channel_choice.value = self.channel_key
            labelled = lambda names: [(fields.label(name, lang), name) for name in names]  # noqa: E731
            _set_options(self.goal_output, labelled(GOAL_OUTPUTS))
            _set_options(self.goal_input, labelled(SHOWN_INPUTS))
            _set_options(self.sensitivity_output, labelled(GOAL_OUTPUTS))
            _set_options(self.table_output, labelled(("profit", "margin")))
            _set_options(self.demand_kind, [(t("demand_linear"), "linear"),
                                            (t("demand_constant_elasticity"), "constant_elasticity")])
        finally:
            self._relabelling = False
        for button, key in zip(self.section_buttons, SECTIONS):
            button.description = t(f"section.{key}")
        self.demand_examples_button.description = i18n.tr("demand.use_examples", lang)
        self.scenarios_help.value = t("scenarios_help")
        self.scenario_name.placeholder = t("scenario_name_placeholder")
        self.pin_button.description = t("pin")
        self.use_button.description = t("use")
        self.unpin_button.description = t("unpin")
        self.store_help.value = t("store_help")
        self.owner_label.value = i18n.tr("field.owner", lang)
        self.owner.placeholder = t("owner_placeholder")
        self.save_button.description = t("save")
        self.load_button.description = t("load")
        self.new_name.placeholder = t("new_name_placeholder")
        self.rename_button.description = t("rename")
        self.delete_button.description = t("delete")
        self.upload_label.value = t("import")
        self.upload.description = t("upload")
        self.goal_help.value = t("goal_help")
        for widget, key in zip(self.goal_words, ("goal_make", "goal_equal", "goal_by_changing")):
            widget.value = t(key)
        self.goal_button.description = t("goal_run")
        self.goal_target.set_lang(lang)
        self._goal_unit()
        self.sensitivity_help.value = t("sensitivity_help")
        self.sensitivity_change.set_lang(lang)
        self.demand_help.value = t("demand_help")
        self.table_help.value = t("table_help")
        self._show_channel_note()

    def set_lang(self, lang: str) -> None:
        self.lang = i18n.normalize_language(lang)
        for price_box, quantity_box in self.demand_controls:
            price_box.set_lang(self.lang)
            quantity_box.set_lang(self.lang)  # a language switch is not typing: examples stay examples
        if self.last_goal is not None:
            self.goal_result.value = ""
            self.goal_apply.layout.display = "none"
            self.last_goal = None
        super().set_lang(lang)
        self.status.value = ""
        self._show_pinned()

    def _show_channel_note(self) -> None:
        lang = self.lang
        parts = [f"{fields.label(name, lang)}: {fields.format_value(name, self.channel_extra[name], lang)}"
                 for name in HIDDEN_INPUTS if name in self.channel_extra]
        parts.insert(0, channel_fees_line(self.channel_key, lang))  # "Phí theo biểu ngày 01/07/2025"
        self.channel_note.value = f"<p class='ck-note'>{escape(' · '.join(parts))}</p>" if parts else ""

    # -- channel -------------------------------------------------------------------------
    def _channel_picked(self, change: dict) -> None:
        if self._relabelling or change["new"] == self.channel_key or change["new"] is None:
            return
        self.set_channel(change["new"])

    def set_channel(self, key: str) -> None:
        """Take the fees of channel ``key`` (the other inputs stay as they are)."""
        channel = self.channels[key]
        self.channel_key = key
        if self.channel_choice.value != key:
            self.channel_choice.value = key
        for name in ("commission_rate", "payment_fee_rate"):
            self.control(name).set(float(getattr(channel, name)))
        self.channel_extra = {name: float(getattr(channel, name)) for name in HIDDEN_INPUTS}
        self._show_channel_note()
        self.refresh()

    # -- scenarios -----------------------------------------------------------------------
    def current_scenario(self, name: str) -> whatif.Scenario:
        return whatif.Scenario(name=name, model=MODEL, inputs=self.inputs(), product=self.product_key,
                               channel=self.channel_key)

    def pin(self, name: str | None = None) -> whatif.Scenario:
        """Pin the current inputs as a scenario (same name: replaced)."""
        name = (name if name is not None else self.scenario_name.value).strip()
        if not name:
            name = i18n.tr("app.what_if.default_name", self.lang, n=len(self.pinned) + 1)
        if len(name) > MAX_NAME_LENGTH:  # the same limit as a saved scenario's name
            raise InputError("scenario", reason="name_too_long", value=name, length=str(len(name)),
                             max_length=str(MAX_NAME_LENGTH))
        scenario = self.current_scenario(name)
        self._pin_all([scenario])
        self.scenario_name.value = ""
        self._status(i18n.tr("app.what_if.pinned", self.lang, name=name))
        return scenario

    def _pin_all(self, scenarios: list[whatif.Scenario]) -> None:
        by_name = {s.name: s for s in self.pinned}
        for scenario in scenarios:
            by_name[scenario.name] = scenario
        if len(by_name) > MAX_PINNED:
            raise InputError("scenarios", reason="too_many_pinned", value=len(by_name), limit=MAX_PINNED)
        self.pinned = list(by_name.values())
        self._show_pinned()

    def unpin(self, name: str | None) -> None:
        self.pinned = [s for s in self.pinned if s.name != name]
        self._show_pinned()

    def use_pinned(self, name: str | None) -> None:
        """Put a pinned scenario's numbers back in the boxes."""
        scenario = next((s for s in self.pinned if s.name == name), None)
        if scenario is not None:
            self.apply_scenario(scenario)

    def apply_scenario(self, scenario: whatif.Scenario) -> None:
        """Show ``scenario``'s product, channel and inputs in the boxes, then refresh."""
        if scenario.model != MODEL:
            raise InputError("model", reason="unknown_model", value=scenario.model)
        if scenario.product in self.products and scenario.product != self.product_key:
            self.load_product(scenario.product)
        if scenario.channel in self.channels:
            self.channel_key = scenario.channel
            self._relabelling = True
            try:
                self.channel_choice.value = scenario.channel
            finally:
                self._relabelling = False
        for name in SHOWN_INPUTS:
            self.control(name).set(scenario.inputs[name])
        self.channel_extra = {name: float(scenario.inputs[name]) for name in HIDDEN_INPUTS}
        self._show_channel_note()
        self.refresh()

    def comparison(self) -> pd.DataFrame:
        """The pinned scenarios evaluated, with the profit difference against the first."""
        table = whatif.evaluate_scenarios(MODEL, self.pinned)
        if len(table):
            table["profit_change"] = table["profit"] - table["profit"].iloc[0]
        return table

    def _show_pinned(self) -> None:
        lang = self.lang
        names = [s.name for s in self.pinned]
        _set_options(self.pinned_choice, names)
        if not self.pinned:
            self.pinned_table.value = f"<p class='ck-note'>{escape(i18n.tr('app.what_if.nothing_pinned', lang))}</p>"
            self.pinned_chart.layout.display = "none"
            self.downloads.value = ""
            return
        table = self.comparison().reset_index()
        factor, unit_key, _ = self._quantity_unit()
        unit = i18n.tr(unit_key, lang)
        shown = table.assign(volume=table["volume"] / factor, break_even_volume=table["break_even_volume"] / factor)
        columns = [
            Column("scenario", i18n.tr("field.scenario", lang), "text"),
            Column("list_price", i18n.tr("field.list_price", lang)),
            Column("volume", i18n.tr("app.what_if.volume_in", lang, unit=unit), "number"),
            Column("commission_rate", i18n.tr("field.commission_rate", lang), "rate"),
            Column("profit", i18n.tr("result.profit", lang)),
            Column("profit_change", i18n.tr("app.what_if.profit_change", lang, base=names[0])),
            Column("margin", i18n.tr("field.margin", lang), "rate"),
            Column("break_even_volume", i18n.tr("result.break_even_volume", lang, unit=unit), "number"),
        ]
        self.pinned_table.value = frame_table(shown, columns, "scenario", lang)
        self.pinned_chart.value = figure_png(plots.scenario_chart(table.set_index("scenario"), ["profit"], lang))
        self.pinned_chart.layout.display = None
        self._show_downloads()

    def _show_downloads(self) -> None:
        lang = self.lang
        stem = i18n.tr("app.what_if.file_stem", lang)
        xlsx = exchange.scenarios_to_xlsx(self.pinned, lang=lang, base=self.pinned[0].name,
                                          table=self.price_volume_table("profit"), table_output="profit")
        csv = exchange.scenarios_to_csv(self.pinned, lang=lang).encode("utf-8-sig")
        self.downloads.value = (
            _download_link("ck-download-xlsx", f"{stem}.xlsx", XLSX, xlsx, i18n.tr("app.what_if.download_xlsx", lang))
            + " &nbsp; "
            + _download_link("ck-download-csv", f"{stem}.csv", "text/csv", csv, i18n.tr("app.what_if.download_csv", lang))
        )

    def _status(self, text: str, *, error: bool = False) -> None:
        css = "ck-status-error" if error else "ck-status-ok"
        self.status.value = f"<p class='{css}'>{'⚠ ' if error else '✓ '}{escape(text)}</p>"

    def _store(self) -> ScenarioStore:
        return ScenarioStore(self.store_root or default_root(), self.owner.value)

    def _guard(self, action) -> Any:
        """Run a save/load action; a bad input or file is told in the status line."""
        try:
            return action()
        except InputError as err:
            self._status(err.message(self.lang), error=True)
            return None

    def save_pinned(self) -> None:
        """Save every pinned scenario in the cooperative's folder."""
        def action():
            if not self.pinned:
                raise InputError("scenarios", reason="nothing_pinned")
            store = self._store()
            for scenario in self.pinned:
                store.save(scenario)
            self._status(i18n.tr("app.what_if.saved", self.lang, count=len(self.pinned), owner=store.owner))
            self._show_saved()
        self._guard(action)

    def _show_saved(self) -> None:
        if not self.owner.value.strip():
            _set_options(self.saved_choice, [])
            return
        try:
            names = self._store().names()
        except InputError:
            names = []
        _set_options(self.saved_choice, names)

    def load_saved(self, name: str | None) -> None:
        """Pin a saved scenario and show its numbers."""
        def action():
            if not name:
                raise InputError("scenario", reason="nothing_selected")
            scenario = self._store().load(name)
            self._pin_all([scenario])
            self.apply_scenario(scenario)
            self._status(i18n.tr("app.what_if.loaded", self.lang, name=name))
        self._guard(action)

    def rename_saved(self, old: str | None, new: str) -> None:
        def action():
            if not old:
                raise InputError("scenario", reason="nothing_selected")
            renamed = self._store().rename(old, new)
            self.new_name.value = ""
            self._show_saved()
            self._status(i18n.tr("app.what_if.renamed", self.lang, old=old, new=renamed.name))
        self._guard(action)

    def delete_saved(self, name: str | None) -> None:
        def action():
            if not name:
                raise InputError("scenario", reason="nothing_selected")
            self._store().delete(name)
            self._show_saved()
            self._status(i18n.tr("app.what_if.deleted", self.lang, name=name))
        self._guard(action)

    def import_file(self, content: bytes) -> list[whatif.Scenario]:
        """Pin the scenarios of an exported Excel file (those of this workbook's model)."""
        scenarios = [s for s in exchange.scenarios_from_xlsx(content) if s.model == MODEL]
        if not scenarios:
            raise InputError("file", reason="no_scenarios_in_file")
        self._pin_all(scenarios)
        self._status(i18n.tr("app.what_if.imported", self.lang, count=len(scenarios)))
        return scenarios

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]

        def action():
            size = upload.get("size")
            exchange.check_upload(upload.get("name", ""), len(upload["content"]) if size is None else size,
                                  bytes(upload["content"][:4]))
            return self.import_file(bytes(upload["content"]))

        try:
            self._guard(action)
        finally:
            self.upload.value = ()  # nothing the manager had pinned is touched; the file is forgotten

    # -- goal seek -----------------------------------------------------------------------
    def _goal_unit(self) -> None:
        output = self.goal_output.value or "profit"
        rate = fields.kind(output) == "rate"
        self.goal_target.unit_key = "unit.percent" if rate else (
            "unit.vnd" if fields.kind(output) == "money" else None)
        if output in QUANTITY_OUTPUTS:  # typed in the volume box's unit (tấn, tạ …)
            self.goal_target.unit_key = self._quantity_unit()[1]
        self.goal_target.set_lang(self.lang)

    def goal_target_value(self) -> float:
        value = self.goal_target.read()
        if self.goal_output.value in QUANTITY_OUTPUTS:
            return value * self._quantity_unit()[0]
        return value / 100 if fields.kind(self.goal_output.value) == "rate" else value

    def run_goal_seek(self) -> float | None:
        """Find the value of the chosen input that makes the chosen output reach the target."""
        lang, output, vary = self.lang, self.goal_output.value, self.goal_input.value
        self.goal_apply.layout.display = "none"
        self.last_goal = None
        try:
            target = self.goal_target_value()
            self.goal_target.show_error(None)
        except InputError as err:
            self.goal_target.show_error(err)
            self.goal_result.value = ""
            return None
        try:
            inputs = self.inputs()
        except InputError as err:
            self.show_input_error(err)
            self.goal_result.value = f"<p class='ck-status-error'>⚠ {escape(err.message(lang))}</p>"
            return None
        try:
            found = whatif.goal_seek(MODEL, inputs, vary=vary, output=output, target=target)
        except InputError as err:
            self.goal_result.value = f"<p class='ck-status-error'>⚠ {escape(err.message(lang))}</p>"
            return None
        self.last_goal = (vary, found)
        answer = self._quantity_text(found) if vary == "volume" else fields.format_value(vary, found, lang)
        aim = self._quantity_text(target) if output in QUANTITY_OUTPUTS else fields.format_value(output, target, lang)
        self.goal_result.value = (
            f"<p class='ck-goal-answer'>{escape(i18n.tr('app.what_if.goal_found', lang, input=fields.label(vary, lang), output=fields.label(output, lang), target=aim))} "
            f"<b data-key='{vary}' data-value='{found!r}'>{escape(answer)}</b></p>"
        )
        self.goal_apply.description = i18n.tr("app.what_if.goal_apply", lang)
        self.goal_apply.layout.display = None
        return found

    def apply_goal(self) -> None:
        """Put the goal-seek answer in its box."""
        if self.last_goal is None:
            return
        vary, found = self.last_goal
        self.control(vary).value = found

    # -- the section on show -------------------------------------------------------------
    def _show_section(self) -> None:
        section = SECTIONS[self.sections.selected_index or 0]
        self._open_section(section)
        if self.error is not None or self.result is None:
            return
        if section == "sensitivity":
            self.show_sensitivity()
        elif section == "demand":
            self.show_demand()
        elif section == "table":
            self.show_table()

    def show_sensitivity(self) -> pd.DataFrame:
        lang, inputs = self.lang, self.result.inputs
        output = self.sensitivity_output.value or "profit"
        change = self.sensitivity_change.read()
        names = list(SHOWN_INPUTS)
        table = whatif.tornado(MODEL, inputs, output, change=change)
        table = table[table["input"].isin(names)].reset_index(drop=True)
        base = self.result.outputs[output]
        self.tornado_chart.value = figure_png(plots.tornado_chart(table, base, output, lang))
        steps = [round(-change + i * change / 2, 6) for i in range(5)]
        spider = whatif.spider(MODEL, inputs, output, changes=steps, names=names)
        self.spider_chart.value = figure_png(plots.spider_chart(spider, output, lang))
        shown = table.assign(label=[fields.label(n, lang) for n in table["input"]])
        columns = [
            Column("label", i18n.tr("app.what_if.input", lang), "text"),
            Column("output_low", i18n.tr("app.what_if.output_low", lang, output=fields.label(output, lang)),
                   fields.kind(output)),
            Column("output_high", i18n.tr("app.what_if.output_high", lang, output=fields.label(output, lang)),
                   fields.kind(output)),
            Column("effect", i18n.tr("app.what_if.effect", lang), fields.kind(output)),
        ]
        self.tornado_table.value = frame_table(shown, columns, "input", lang)
        return table

    def show_demand(self) -> None:
        lang, curve = self.lang, self.result.curve
        if self.result.examples:
            self.demand_source.value = f"<p class='ck-note ck-demand-example-note'>{escape(i18n.tr('demand.examples_follow', lang))}</p>"
            self.demand_examples_button.layout.display = "none"
        else:
            self.demand_source.value = f"<p class='ck-note ck-demand-own-note'>{escape(i18n.tr('demand.own_note', lang))}</p>"
            self.demand_examples_button.layout.display = None
        price = self.result.inputs["list_price"]
        rows = [
            Row("elasticity", i18n.tr("app.what_if.elasticity_at", lang,
                                      price=fmt.money(price, lang)), curve.elasticity(price), kind="number"),
            Row("r_squared", i18n.tr("field.r_squared", lang), curve.r_squared, kind="number"),
        ]
        self.demand_result.value = summary_table(rows, lang)

    def price_volume_table(self, output: str) -> pd.DataFrame:
        """Data table: list price × volume → ``output``, from 70 % to 130 % of the current values."""
        inputs = self.result.inputs if self.result is not None else self.inputs()
        steps = [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
        prices = [round(inputs["list_price"] * s, -2) or inputs["list_price"] * s for s in steps]
        volumes = [round(inputs["volume"] * s) or inputs["volume"] * s for s in steps]
        return whatif.data_table(MODEL, inputs, {"list_price": prices, "volume": volumes}, output=output)

    def show_table(self) -> pd.DataFrame:
        lang = self.lang
        output = self.table_output.value or "profit"
        grid = self.price_volume_table(output)
        self.heatmap.value = figure_png(plots.heatmap_chart(grid, output, lang, contour=0.0))
        frame = grid.copy()
        factor, unit_key, decimals = self._quantity_unit()
        frame.columns = [fmt.number(v / factor, lang, decimals=decimals) for v in grid.columns]
        frame.insert(0, "price", [fmt.money(v, lang) for v in grid.index])
        volume_header = i18n.tr("app.what_if.volume_in", lang, unit=i18n.tr(unit_key, lang))
        columns = [Column("price", f"{fields.label('list_price', lang)} ↓ {volume_header} →", "text")]
        columns += [Column(c, c, fields.kind(output)) for c in frame.columns[1:]]
        self.grid_table.value = frame_table(frame, columns, "price", lang)
        return grid
