"""The workbook apps: unit cost, break-even and channel pricing.

Each app is built from a product template (``datasets/``), lets the manager change the
numbers, and shows a results table and a chart computed by the domain functions. See
`coopkit.ui.base.App` for the shared shell and refresh path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

import coopkit as ck
from coopkit import breakeven, costs, fmt, i18n, plots
from coopkit.ui.base import App
from coopkit.ui.controls import Control, NumberBox, PercentSlider, QuantityBox, volume_control
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_positive

__all__ = ["UnitCostApp", "BreakEvenApp", "ChannelPricingApp", "UnitCostResult", "fee_schedule_text", "channel_fees_line"]


#: Most raw material per unit of product a box accepts (dried tea takes about 4–5 kg of fresh leaf a kg,
#: green coffee 5–6 kg of cherry; 100 leaves room for any product and refuses a typing slip of 10 000).
MAX_CONVERSION_RATIO = 100


def fee_schedule_text(schedule: Any, lang: str, *, short: bool = False) -> str:
    """What a manager reads about a channel's fees (a `coopkit.data.FeeSchedule`): the date they
    were published ("Phí theo biểu ngày 01/07/2025"), or that they are assumed, or that there are none.
    ``short`` gives the table cell (the date alone under a "Fees as published on" header)."""
    if schedule.status == "published" and schedule.as_of is not None:
        day = fmt.calendar_date(schedule.as_of, lang)
        return day if short else i18n.tr("app.channel_fees.published", lang, date=day)
    if schedule.status == "no_fees":
        return i18n.tr("app.channel_fees.none_short" if short else "app.channel_fees.none", lang)
    return i18n.tr("app.channel_fees.assumed_short" if short else "app.channel_fees.assumed", lang)


def channel_fees_line(channel: str, lang: str) -> str:
    """`fee_schedule_text` for the shipped channel ``channel``, with the fees in effect today."""
    from coopkit import data

    return fee_schedule_text(data.channel_fee_schedules()[channel], lang)


def volume_in_box_unit(app: App, kg_or_units: float) -> tuple[float, str]:
    """A volume result in the unit of the app's volume box, and that unit's short name: tấn
    when the manager types the volume in tấn (the product's own unit when the box has none)."""
    box = app.control("volume")
    if isinstance(box, QuantityBox):
        return box.from_base(kg_or_units), box.unit_label(app.lang)
    return kg_or_units, app.product.unit_label(app.lang)


@dataclass(frozen=True)
class UnitCostResult:
    """What the unit-cost app shows: the summary, the item table and the raw input needed."""

    summary: costs.CostSummary
    breakdown: pd.DataFrame
    raw_input_needed: float | None

    @property
    def unit_cost(self) -> float:
        return self.summary.unit_cost


class UnitCostApp(App):
    """What does one kilo (or one egg) cost us? Cost items, area, volume and processing."""

    name = "unit_cost"
    books_tables = ("cost_items",)

    def __init__(self, product: str = "ca_phe_nhan_son_la", lang: str | None = None, *, standalone: bool = True,
                 store_root: str | None = None):
        self.store_root = store_root
        super().__init__(product, lang, standalone=standalone)

    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        controls: list[Control] = []
        if product.area_ha > 0:
            controls.append(QuantityBox("area_ha", product.area_ha, lang, dimension="area", unit="ha"))
        controls.append(volume_control(product, lang))
        for item in product.cost_items:
            controls.append(
                NumberBox(f"cost.{item.key}", item.amount, lang, money=True,
                          label={"vi": item.name_vi, "en": item.name_en or item.name_vi},
                          unit_key=f"unit.vnd_per_{item.basis if item.basis != 'unit' else product.unit}")
            )
        if product.has_raw_material:
            controls += [
                NumberBox("raw_price_per_unit", product.raw_price_per_unit, lang, money=True,
                          label={code: i18n.tr("app.unit_cost.raw_price", code, material=product.raw_material(code))
                                 for code in i18n.LANGUAGES},
                          unit_key="unit.vnd_per_raw_unit"),
                NumberBox("conversion_ratio", product.conversion_ratio, lang, check=check_positive, decimals=2,
                          unit_key=f"unit.raw_per_{product.unit}", maximum=MAX_CONVERSION_RATIO),
                PercentSlider("loss_rate", product.loss_rate, lang, maximum=0.5),
            ]
        return controls

    def compute(self) -> UnitCostResult:
        values = self.read_all()
        product = self.product
        edited = replace(product, cost_items=tuple(replace(item, amount=values[f"cost.{item.key}"])
                                                   for item in product.cost_items))
        raw_needed = None
        if product.has_raw_material:
            edited = replace(edited, raw_price_per_unit=values["raw_price_per_unit"],
                             conversion_ratio=values["conversion_ratio"], loss_rate=values["loss_rate"])
            raw_needed = ck.raw_input_needed(values["volume"], values["conversion_ratio"], values["loss_rate"])
        items = edited.all_cost_items()
        area = values.get("area_ha", product.area_ha)
        summary = costs.cost_summary(items, values["volume"], area, product.units_per_batch)
        breakdown = costs.cost_breakdown(items, values["volume"], area, product.units_per_batch, lang=self.lang)
        return UnitCostResult(summary, breakdown, raw_needed)

    def render(self, result: UnitCostResult) -> tuple[str, Any]:
        lang, unit = self.lang, self.product.unit_label(self.lang)
        rows = [
            Row("unit_cost", i18n.tr("result.unit_cost", lang, unit=unit), result.summary.unit_cost, strong=True),
            Row("fixed_costs", i18n.tr("field.fixed_costs", lang), result.summary.fixed_costs),
            Row("variable_cost_per_unit", i18n.tr("result.variable_cost_per_unit", lang, unit=unit),
                result.summary.variable_cost_per_unit),
            Row("total_costs", i18n.tr("result.total_costs", lang), result.summary.total_costs),
        ]
        if result.raw_input_needed is not None:  # in the unit the volume is typed in (tấn of cherry)
            raw, raw_unit = volume_in_box_unit(self, result.raw_input_needed)
            rows.append(Row("raw_input_needed", i18n.tr("result.raw_input_needed_in", lang, unit=raw_unit,
                                                         material=self.product.raw_material(lang)),
                            raw, kind="number"))
        table = result.breakdown.assign(kind=[i18n.tr(f"cost.kind.{k}", lang) for k in result.breakdown["kind"]])
        columns = [
            Column("name", i18n.tr("result.item", lang), "text"),
            Column("kind", i18n.tr("field.cost_kind", lang), "text"),
            Column("season_total", i18n.tr("result.season_total", lang)),
            Column("per_unit", i18n.tr("result.per_unit", lang, unit=unit)),
            Column("share", i18n.tr("result.share", lang), "rate"),
        ]
        html = summary_table(rows, lang) + frame_table(table, columns, "key", lang)
        return html, plots.cost_chart(result.breakdown, result.summary.unit_cost, lang, unit)


class BreakEvenApp(App):
    """How many must we sell to break even, and at what price? Cost-volume-profit."""

    name = "break_even"
    books_tables = ("cost_items",)

    def __init__(self, product: str = "trung_son_nam", lang: str | None = None, *, standalone: bool = True,
                 store_root: str | None = None):
        self.store_root = store_root
        super().__init__(product, lang, standalone=standalone)

    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        planned = product.cost_summary()
        price = product.price_per_unit
        return [
            NumberBox("fixed_costs", planned.fixed_costs, lang, money=True),
            NumberBox("variable_cost_per_unit", planned.variable_cost_per_unit, lang, money=True,
                      unit_key=f"unit.vnd_per_{product.unit}"),
            NumberBox("price_per_unit", price, lang, money=True, unit_key=f"unit.vnd_per_{product.unit}",
                      check=check_positive, slider=(0.0, round(price * 3), max(round(price / 100), 1))),
            volume_control(product, lang),
        ]

    def compute(self) -> tuple[breakeven.BreakEven, pd.DataFrame]:
        v = self.read_all()
        result = ck.break_even(v["fixed_costs"], v["price_per_unit"], v["variable_cost_per_unit"], v["volume"])
        top = max(v["volume"], result.break_even_volume) * 1.4
        table = breakeven.cvp_table(v["fixed_costs"], v["price_per_unit"], v["variable_cost_per_unit"], top)
        return result, table

    def render(self, result: tuple[breakeven.BreakEven, pd.DataFrame]) -> tuple[str, Any]:
        be, table = result
        lang, unit = self.lang, self.product.unit_label(self.lang)
        # volumes in the unit of the volume box (tấn when it is typed in tấn); prices stay per kg
        bev, volume_unit = volume_in_box_unit(self, be.break_even_volume)
        per_kg = volume_in_box_unit(self, 1.0)[0]  # for the chart's axis (units conversions are linear)
        rows = [
            Row("profit", i18n.tr("result.profit", lang), be.profit, strong=True),
            Row("break_even_volume", i18n.tr("result.break_even_volume", lang, unit=volume_unit), bev,
                kind="number", strong=True),
            Row("break_even_price", i18n.tr("result.break_even_price", lang, unit=unit), be.break_even_price),
            Row("margin_of_safety", i18n.tr("result.margin_of_safety", lang), be.margin_of_safety, kind="rate"),
            Row("contribution_margin", i18n.tr("result.contribution_margin", lang, unit=unit), be.contribution_margin),
            Row("contribution_margin_ratio", i18n.tr("result.contribution_margin_ratio", lang),
                be.contribution_margin_ratio, kind="rate"),
            Row("revenue", i18n.tr("result.revenue", lang), be.revenue),
            Row("total_costs", i18n.tr("result.total_costs", lang), be.total_costs),
        ]
        shown = replace(be, volume=be.volume * per_kg, break_even_volume=bev)
        chart = plots.cvp_chart(table.assign(volume=table["volume"] * per_kg), shown, lang, volume_unit)
        return summary_table(rows, lang), chart


class ChannelPricingApp(App):
    """What do we net on each sales channel, and what list price does each need?"""

    name = "channel_pricing"
    books_tables = ("cost_items",)
    #: The books' cost per unit is at the volume of the product picked (the app has no volume box).
    books_said = "opened_cost_per_unit"

    def __init__(self, product: str = "cam_lac_thuy", lang: str | None = None, *, standalone: bool = True,
                 store_root: str | None = None):
        from coopkit import data

        self.store_root = store_root
        self.channels = data.load_channels()
        self.fee_schedules = data.channel_fee_schedules()
        super().__init__(product, lang, standalone=standalone)

    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        price = product.price_per_unit
        return [
            NumberBox("cost_per_unit", product.cost_summary().unit_cost, lang, money=True,
                      unit_key=f"unit.vnd_per_{product.unit}"),
            NumberBox("list_price", price, lang, money=True, unit_key=f"unit.vnd_per_{product.unit}",
                      check=check_positive, slider=(0.0, round(price * 4), max(round(price / 100), 1))),
            PercentSlider("target_margin", 0.2, lang, maximum=0.6),
        ]

    def compute(self) -> pd.DataFrame:
        v = self.read_all()
        table = ck.compare_channels(self.channels.values(), list_price=v["list_price"],
                                    cost_per_unit=v["cost_per_unit"], target_margin=v["target_margin"],
                                    lang=self.lang)
        table.attrs["cost_per_unit"] = v["cost_per_unit"]  # drawn with the result, not re-read from its box
        return table

    def render(self, table: pd.DataFrame) -> tuple[str, Any]:
        lang, unit = self.lang, self.product.unit_label(self.lang)
        units = table.assign(units_per_order=[self.channels[key].units_per_order for key in table["key"]],
                             fees_as_of=[fee_schedule_text(self.fee_schedules[key], lang, short=True)
                                         for key in table["key"]])
        columns = [
            Column("channel", i18n.tr("field.channel", lang), "text"),
            Column("units_per_order", i18n.tr("field.units_per_order", lang), "count"),
            Column("fees_per_unit", i18n.tr("result.fees_per_unit", lang, unit=unit)),
            Column("net_per_unit", i18n.tr("result.net_per_unit", lang, unit=unit)),
            Column("profit_per_unit", i18n.tr("result.profit_per_unit", lang, unit=unit)),
            Column("margin", i18n.tr("field.margin", lang), "rate"),
            Column("price_for_target", i18n.tr("result.price_for_target", lang, unit=unit)),
            Column("fees_as_of", i18n.tr("app.channel_fees.column", lang), "text"),
        ]
        cost = table.attrs["cost_per_unit"]
        note = f"<p class='ck-note'>{i18n.tr('app.channel_pricing.note', lang)}</p>"
        return frame_table(units, columns, "key", lang) + note, plots.channel_chart(table, cost, lang, unit)
