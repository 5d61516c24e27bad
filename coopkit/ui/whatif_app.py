"""The what-if pricing workbench: scenarios, goal seek, sensitivity, demand and data tables.

A manager starts from a product template and a sales channel, changes a few numbers, pins
the result as a scenario, compares pinned scenarios, asks "what price gives this profit?",
sees which input matters most, and finds the most profitable price from a few sales they
remember. Scenarios are saved in the cooperative's folder and exported to Excel or CSV.

The app holds the inputs, the channel picker and the results; each part below the results is
a panel of `coopkit.ui.panels` (scenarios and files, goal seek, sensitivity, demand, data
table). All the arithmetic is in the domain modules (`coopkit.models` "pricing_plan",
`coopkit.whatif`, `coopkit.demand`); this module only reads the boxes, calls them and shows
the results.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd

from coopkit import demand, fields, fmt, i18n, plots, pricing, units, whatif
from coopkit.errors import InputError
from coopkit.models import CHANNEL_INPUTS, pricing_plan_inputs
from coopkit.ui.apps import channel_fees_line
from coopkit.ui.base import App, Panel, safe
from coopkit.ui.controls import Control, NumberBox, PercentSlider, QuantityBox, volume_control
from coopkit.ui.panels import (GOAL_OUTPUTS, MAX_PINNED, MODEL, QUANTITY_OUTPUTS, SHOWN_INPUTS, XLSX, DemandPanel,
                               GoalPanel, ScenariosPanel, SensitivityPanel, TablePanel, html)
from coopkit.ui.tables import Row, summary_table
from coopkit.validate import check_positive

__all__ = ["WhatIfApp", "WhatIfResult"]

#: The channel's rates the manager sets with a slider; the channel's other inputs come with it.
TYPED_RATES = ("commission_rate", "payment_fee_rate")
HIDDEN_INPUTS = tuple(name for name in CHANNEL_INPUTS if name not in SHOWN_INPUTS)
SECTIONS = ("scenarios", "goal", "sensitivity", "demand", "table")
DEMAND_ROWS = 3
#: Widgets and state that moved from the app into its panels: old attribute → (panel, new attribute).
#: The old names keep working, with a DeprecationWarning, until coopkit 0.3.
MOVED_TO_PANELS = {
    **{name: ("scenarios", name) for name in (
        "scenario_name", "pin_button", "pinned_table", "pinned_chart", "pinned_choice", "use_button", "unpin_button",
        "owner_label", "owner", "save_button", "saved_choice", "load_button", "new_name", "rename_button",
        "delete_button", "downloads", "upload_label", "upload", "status", "store_help")},
    "scenarios_help": ("scenarios", "help"), "_guard": ("scenarios", "guard"), "_status": ("scenarios", "show_status"),
    "_store": ("scenarios", "store"),
    "goal_help": ("goal", "help"), "goal_words": ("goal", "words"), "goal_output": ("goal", "output"),
    "goal_target": ("goal", "target"), "goal_input": ("goal", "input"), "goal_button": ("goal", "run_button"),
    "goal_result": ("goal", "answer"), "goal_apply": ("goal", "apply_button"), "last_goal": ("goal", "last"),
    "sensitivity_help": ("sensitivity", "help"), "sensitivity_output": ("sensitivity", "output"),
    "sensitivity_change": ("sensitivity", "change"), "tornado_table": ("sensitivity", "tornado_table"),
    "tornado_chart": ("sensitivity", "tornado_chart"), "spider_chart": ("sensitivity", "spider_chart"),
    "demand_help": ("demand", "help"), "demand_kind": ("demand", "kind"), "demand_box": ("demand", "rows"),
    "demand_result": ("demand", "result"), "demand_source": ("demand", "source"),
    "demand_examples_button": ("demand", "examples_button"), "demand_examples": ("demand", "examples"),
    "table_help": ("table", "help"), "table_output": ("table", "output"), "heatmap": ("table", "heatmap"),
    "grid_table": ("table", "grid_table"),
}
__all__ += ["MODEL", "SHOWN_INPUTS", "HIDDEN_INPUTS", "GOAL_OUTPUTS", "QUANTITY_OUTPUTS", "SECTIONS", "MAX_PINNED",
            "XLSX", "DEMAND_ROWS"]


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


class WhatIfApp(App):
    """What if we sell at another price, on another channel, with a smaller harvest?

    The panels are attributes: ``scenarios``, ``goal``, ``sensitivity``, ``demand``, ``table``.
    """

    name = "what_if"
    books_tables = ("cost_items",)
    #: The books row names the boxes this app has (a list price, no area).
    books_said = "opened_cost_items_list_price"

    def __getattr__(self, name: str) -> Any:
        """An attribute that moved into a panel (`MOVED_TO_PANELS`), with a DeprecationWarning."""
        moved = MOVED_TO_PANELS.get(name)
        if moved is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        panel, attribute = moved
        warnings.warn(f"WhatIfApp.{name} is deprecated and leaves in coopkit 0.3; use WhatIfApp.{panel}.{attribute}",
                      DeprecationWarning, stacklevel=2)
        return getattr(getattr(self, panel), attribute)

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

        self.channels: dict[str, pricing.Channel] = data.load_channels()
        if channel not in self.channels:
            raise InputError("channel", reason="unknown_channel", value=channel)
        self.channel_key = channel
        #: The channel picked (or a scenario's channel): its rates the sliders do not set come from here.
        self.picked_channel: pricing.Channel = self.channels[channel]
        self.store_root = store_root
        super().__init__(product, lang, standalone=standalone)

    # -- the page ------------------------------------------------------------------------
    def setup(self) -> None:
        self.channel_label = html("ck-input-label")
        self.channel_choice = widgets.Dropdown(layout=widgets.Layout(width="22em"))
        self.channel_choice.add_class("ck-channel")
        self.channel_note = html("ck-channel-note")
        self.channel_row = widgets.VBox([
            widgets.HBox([self.channel_label, self.channel_choice], layout=widgets.Layout(align_items="center")),
            self.channel_note,
        ])
        self.channel_choice.observe(safe(self, self._channel_picked), "value")
        # The demand panel first: its boxes are inputs the other panels may ask for (`control`).
        self.demand = DemandPanel(self)
        self.scenarios = ScenariosPanel(self, self.store_root)
        self.goal = GoalPanel(self)
        self.sensitivity = SensitivityPanel(self)
        self.table = TablePanel(self)

    def pickers(self) -> list[widgets.Widget]:
        return [self.channel_row]

    def panels(self) -> list[Panel]:
        return [self.scenarios, self.goal, self.sensitivity, self.demand, self.table]

    def _render_texts(self) -> None:
        super()._render_texts()
        self._label_channels()

    def _label_channels(self) -> None:
        self.channel_label.value = i18n.tr("field.channel", self.lang)
        self._relabelling = True
        try:
            self.channel_choice.options = [(c.name(self.lang), key) for key, c in self.channels.items()]
            self.channel_choice.value = self.channel_key
        finally:
            self._relabelling = False
        self._show_channel_note()

    # -- the App contract ----------------------------------------------------------------
    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        planned = product.cost_summary()
        price = product.price_per_unit
        channel = self.channels[self.channel_key]
        unit_key = f"unit.vnd_per_{product.unit}"
        volume = volume_control(product, lang)
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
        self.picked_channel = channel
        self._show_channel_note()
        self.demand.rebuild(price, product.volume_per_season, volume)
        return controls

    def read_plan(self) -> tuple[dict[str, float], pricing.Channel]:
        """The model's inputs as the boxes show them, and the channel with the rates on screen
        (every box read once; all bad boxes marked first)."""
        values = self.read_all()
        channel = replace(self.picked_channel, **{name: values[name] for name in TYPED_RATES})
        inputs = pricing_plan_inputs(channel, list_price=values["list_price"], fixed_costs=values["fixed_costs"],
                                     variable_cost_per_unit=values["variable_cost_per_unit"], volume=values["volume"])
        return inputs, channel

    def inputs(self) -> dict[str, float]:
        """The model's inputs as the boxes show them (all bad boxes marked first)."""
        return self.read_plan()[0]

    def current_channel(self) -> pricing.Channel:
        """The picked channel with the rates the sliders show."""
        return self.read_plan()[1]

    def compute(self) -> WhatIfResult:
        inputs, channel = self.read_plan()
        outputs = whatif.evaluate(MODEL, inputs)
        price, volume = inputs["list_price"], inputs["volume"]
        examples = self.demand.examples
        prices, quantities = self.demand.sales(price, volume)
        curve = demand.fit_demand(prices, quantities, kind=self.demand.curve_kind)
        plan = demand.plan_demand(curve, channel, variable_cost_per_unit=inputs["variable_cost_per_unit"],
                                  fixed_costs=inputs["fixed_costs"], volume=volume, list_price=price)
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
                             volume=self.quantity_text(plan.volume),
                             elasticity=fmt.number(-demand.EXAMPLE_ELASTICITY, lang, decimals=1))
            source_html = f"<p class='ck-note ck-demand-example-note'>{escape(source)}</p>"
        else:
            source_html = f"<p class='ck-note ck-demand-own-note'>{escape(i18n.tr('demand.own_note', lang))}</p>"
        notes = []
        if plan.demand_below_plan:
            notes.append(i18n.tr("demand.below_plan", lang, price=fmt.money(plan.list_price, lang),
                                 quantity=self.quantity_text(plan.quantity_sold),
                                 volume=self.quantity_text(plan.volume), profit=fmt.money(plan.profit, lang)))
        if best.capacity_binding:
            notes.append(i18n.tr("app.what_if.capacity_binding", lang))
        if best.at_edge:
            notes.append(i18n.tr("app.what_if.best_at_edge", lang))
        notes += result.curve.warning_messages(lang)
        html_text = (summary_table(rows, lang) + summary_table(best_rows, lang) + source_html
                     + "".join(f"<p class='ck-note ck-warning'>⚠ {escape(n)}</p>" for n in notes))
        figure = plots.price_response_chart(result.response, lang, best_price=best.price, best_profit=best.profit,
                                            current_price=plan.list_price, current_profit=plan.profit)
        return html_text, figure

    def control(self, field: str) -> Control | None:
        """The control of ``field``: an input, or a box of the demand panel."""
        found = super().control(field)
        if found is None:
            found = next((c for c in self.demand.boxes() if c.field == field), None)
        return found

    # -- quantities in the volume box's unit ------------------------------------------------
    def quantity_unit(self, volume_control: Control | None = None) -> tuple[float, str, int]:
        """How quantities are shown: product units per shown unit, the unit's key, decimals.

        They follow the volume box: "160 tấn" there means quantities in tấn everywhere.
        """
        control = volume_control if volume_control is not None else super().control("volume")
        if isinstance(control, QuantityBox) and control.dimension == "weight":
            code = control.unit_choice.value
            return units.weight_to_kg(1.0, code), f"app.what_if.unit_short.{code}", 0 if code == "kg" else 3
        return 1.0, f"unit.{self.product.unit}", 0

    def quantity_shown(self, value: float) -> tuple[float, str]:
        """``value`` (product units) in the unit the volume box shows, and that unit's name."""
        factor, unit_key, _ = self.quantity_unit()
        return value / factor, i18n.tr(unit_key, self.lang)

    def quantity_text(self, value: float) -> str:
        """A quantity in the volume box's unit, with the unit: "128 tấn"."""
        shown, unit = self.quantity_shown(value)
        return f"{fmt.number(shown, self.lang, decimals=3)} {unit}"

    def _volume_unit_changed(self, volume: QuantityBox, change: dict) -> None:
        """The manager picked another unit for the volume: every quantity on the page follows."""
        if volume._silent or change["new"] is None or change["new"] == change["old"] or volume not in self.controls:
            return
        self.demand.rescale(*self.quantity_unit(volume))
        self.goal.show_unit()
        self.refresh()
        self.scenarios.show_pinned()

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
        for name in TYPED_RATES:
            self.control(name).set(float(getattr(channel, name)))
        self.picked_channel = channel
        self._show_channel_note()
        self.refresh()

    def _show_channel_note(self) -> None:
        lang, channel = self.lang, self.picked_channel
        parts = [channel_fees_line(self.channel_key, lang)]  # "Phí theo biểu ngày 01/07/2025"
        parts += [f"{fields.label(name, lang)}: {fields.format_value(name, float(getattr(channel, name)), lang)}"
                  for name in HIDDEN_INPUTS]
        self.channel_note.value = f"<p class='ck-note'>{escape(' · '.join(parts))}</p>"

    def channel(self, inputs: dict[str, float]) -> pricing.Channel:
        """Deprecated: use `current_channel` (the picked channel with the rates on screen)."""
        warnings.warn("WhatIfApp.channel(inputs) is deprecated and leaves in coopkit 0.3; use "
                      "WhatIfApp.current_channel()",
                      DeprecationWarning, stacklevel=2)
        return replace(self.picked_channel, **{k: inputs[k] for k in CHANNEL_INPUTS})

    # -- scenarios -----------------------------------------------------------------------
    def current_scenario(self, name: str) -> whatif.Scenario:
        return whatif.Scenario(name=name, model=MODEL, inputs=self.inputs(), product=self.product_key,
                               channel=self.channel_key)

    def apply_scenario(self, scenario: whatif.Scenario) -> None:
        """Show ``scenario``'s product, channel and inputs in the boxes, then refresh."""
        if scenario.model != MODEL:
            raise InputError("model", reason="unknown_model", value=scenario.model)
        if scenario.product in self.products and scenario.product != self.product_key:
            self.load_product(scenario.product)
        channel = self.picked_channel
        if scenario.channel in self.channels:
            self.channel_key = scenario.channel
            channel = self.channels[scenario.channel]
            self._relabelling = True
            try:
                self.channel_choice.value = scenario.channel
            finally:
                self._relabelling = False
        for name in SHOWN_INPUTS:
            self.control(name).set(scenario.inputs[name])
        self.picked_channel = replace(channel, **{name: float(scenario.inputs[name]) for name in HIDDEN_INPUTS})
        self._show_channel_note()
        self.refresh()

    def price_volume_table(self, output: str) -> pd.DataFrame:
        """Data table: list price × volume → ``output``, from 70 % to 130 % of the current values."""
        inputs = self.result.inputs if self.result is not None else self.inputs()
        steps = [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
        prices = [round(inputs["list_price"] * s, -2) or inputs["list_price"] * s for s in steps]
        volumes = [round(inputs["volume"] * s) or inputs["volume"] * s for s in steps]
        return whatif.data_table(MODEL, inputs, {"list_price": prices, "volume": volumes}, output=output)

    # -- what the panels do, as the app's own methods (tests and notebooks call these) ----------
    @property
    def pinned(self) -> list[whatif.Scenario]:
        return self.scenarios.pinned

    @pinned.setter
    def pinned(self, scenarios: list[whatif.Scenario]) -> None:
        self.scenarios.pinned = list(scenarios)

    def pin(self, name: str | None = None) -> whatif.Scenario:
        """Pin the current inputs as a scenario (same name: replaced)."""
        return self.scenarios.pin(name)

    def unpin(self, name: str | None) -> None:
        self.scenarios.unpin(name)

    def use_pinned(self, name: str | None) -> None:
        """Put a pinned scenario's numbers back in the boxes."""
        self.scenarios.use_pinned(name)

    def comparison(self) -> pd.DataFrame:
        """The pinned scenarios evaluated, with the profit difference against the first."""
        return self.scenarios.comparison()

    def save_pinned(self) -> None:
        self.scenarios.save_pinned()

    def load_saved(self, name: str | None) -> None:
        self.scenarios.load_saved(name)

    def rename_saved(self, old: str | None, new: str) -> None:
        self.scenarios.rename_saved(old, new)

    def delete_saved(self, name: str | None) -> None:
        self.scenarios.delete_saved(name)

    def import_file(self, content: bytes) -> list[whatif.Scenario]:
        """Pin the scenarios of an exported Excel file (those of this workbook's model)."""
        return self.scenarios.import_file(content)

    def run_goal_seek(self) -> float | None:
        """Find the value of the chosen input that makes the chosen output reach the target."""
        return self.goal.run()

    def apply_goal(self) -> None:
        """Put the goal-seek answer in its box."""
        self.goal.apply()

    def goal_target_value(self) -> float:
        return self.goal.target_value()

    def show_sensitivity(self) -> pd.DataFrame:
        return self.sensitivity.render(self.result)

    def show_demand(self) -> None:
        self.demand.render(self.result)

    def show_table(self) -> pd.DataFrame:
        return self.table.render(self.result)

    def use_example_sales(self) -> None:
        """Go back to example sales made around the plan on screen."""
        self.demand.use_examples()

    @property
    def demand_controls(self) -> list[tuple[NumberBox, NumberBox]]:
        """The (price, quantity) boxes of the remembered sales."""
        return self.demand.controls

    def read_demand(self) -> tuple[list[float], list[float]]:
        """The remembered (price, quantity) pairs; a row left empty is skipped."""
        return self.demand.typed_sales()
