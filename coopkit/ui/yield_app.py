"""The output-plan app (workbook 5): from hectares to kilograms to sell, by grade and by month.

The manager picks a land-based product template (oranges, winter melon), then changes the
area (in ha, m², sào or công), the yield per hectare, the post-harvest loss, the grade mix
and prices and the season's costs; the app shows the marketable output, revenue, average
price, cost per sellable kg and profit, and a chart of sales by month. A second part follows
a processing chain (coffee, tea, pickled cassava leaves) backwards from a sales target to the
raw material to buy and builds up the cost of one kilogram step by step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from coopkit import i18n, processing, yields
from coopkit.errors import InputError
from coopkit.plots import yields as yield_plots
from coopkit.ui.base import App, figure_png, safe
from coopkit.ui.controls import Control, NumberBox, PercentBox, QuantityBox, choice
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_fraction, check_positive

__all__ = ["YieldPlanApp", "YieldPlanResult"]


#: Highest yield a box accepts: 1 000 tonnes a hectare, far above any crop (greenhouse tomatoes give a
#: few hundred), so that a slip of the finger is refused instead of planning a harvest of millions of tonnes.
MAX_YIELD_KG_PER_HA = 1_000_000


def _share(field: str, value: object) -> float:
    return check_fraction(field, value, allow_one=True)


@dataclass(frozen=True)
class YieldPlanResult:
    """What the app shows: the season's output plan and the processing chain's plan."""

    plan: yields.OutputPlan
    chain: processing.ChainPlan

    @property
    def marketable_kg(self) -> float:
        return self.plan.marketable_kg


class YieldPlanApp(App):
    """How much will we sell, of which grade, in which month, and what does a sellable kg cost?"""

    name = "yield_plan"

    def __init__(self, product: str = "cam_lac_thuy", lang: str | None = None, *, standalone: bool = True,
                 chain: str = "ca_phe_robusta") -> None:
        from coopkit import data

        template = data.load_products().get(product)
        if template is not None and template.area_ha <= 0:
            raise InputError("area_ha", reason="not_positive", value=template.area_ha)
        if chain not in processing.CHAINS:
            raise InputError("steps", reason="unknown_chain", value=chain)
        self.chain_key = chain
        # Widgets the base class's first refresh needs exist before it runs.
        self.headings = {part: widgets.HTML() for part in ("plan", "grades", "chain")}
        for part, heading in self.headings.items():
            heading.add_class("ck-section-heading")
            heading.add_class(f"ck-heading-{part}")
        self.chain_label = widgets.HTML()
        self.chain_label.add_class("ck-input-label")
        self.chain_choice = choice(self._chain_options(i18n.normalize_language(lang or i18n.DEFAULT_LANGUAGE)),
                                   chain, "ck-chain")
        self.chain_row = widgets.HBox([self.chain_label, self.chain_choice],
                                      layout=widgets.Layout(align_items="center"))
        self.chain_chart = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="720px"))
        self.chain_chart.add_class("ck-chain-chart")
        #: What the chain chart on show was drawn from (redrawn only when it changes).
        self._chain_chart_key: tuple | None = None
        super().__init__(product, lang, standalone=standalone)
        self.chart_box.children = (self.chart, self.chain_chart)
        self.chart_box.layout.flex_flow = "column"
        self.chain_choice.observe(safe(self, self._chain_picked), "value")

    # -- the template and the chain --------------------------------------------------------
    def _product_options(self) -> list[tuple[str, str]]:
        """Only land-based templates: an output plan starts from hectares."""
        return [(t.name(self.lang), key) for key, t in self.products.items() if t.area_ha > 0]

    @staticmethod
    def _chain_options(lang: str) -> list[tuple[str, str]]:
        return [(chain.name(lang), key) for key, chain in processing.CHAINS.items()]

    @property
    def chain(self) -> processing.Chain:
        return processing.CHAINS[self.chain_key]

    def _chain_picked(self, change: dict) -> None:
        if self._relabelling or change["new"] == self.chain_key:
            return
        self.set_chain(change["new"])

    def set_chain(self, key: str) -> None:
        """Follow another processing chain, starting from its typical raw-material price."""
        self.chain_key = key
        if self.chain_choice.value != key:
            self.chain_choice.value = key
        price = self.control("raw_price_per_kg")
        price.set(self.chain.raw_price_per_kg)
        price.label = self._raw_price_label()
        price.set_lang(self.lang)
        self.refresh()

    def _raw_price_label(self) -> dict[str, str]:
        return {code: i18n.tr("app.yield_plan.raw_price", code, material=self.chain.raw_material(code))
                for code in i18n.LANGUAGES}

    # -- the inputs ------------------------------------------------------------------------
    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        plan = yields.plan_from_template(product)
        controls: list[Control] = [
            QuantityBox("area_ha", plan.area_ha, lang, dimension="area", unit="ha", check=check_positive),
            NumberBox("yield_kg_per_ha", plan.yield_kg_per_ha, lang, unit_key="app.yield_plan.unit_kg_per_ha",
                      decimals=0, maximum=MAX_YIELD_KG_PER_HA),
            PercentBox("loss_rate", plan.loss_rate, lang, slider_max=0.5,
                       label={code: i18n.tr("app.yield_plan.loss", code) for code in i18n.LANGUAGES}),
            NumberBox("season_costs", plan.season_costs, lang, money=True),
        ]
        for grade in plan.grades:
            names = {code: grade.name(code) for code in i18n.LANGUAGES}
            controls += [
                PercentBox(f"grade_share:{grade.key}", grade.share, lang, check=_share,
                           label={code: i18n.tr("app.yield_plan.grade_share", code, grade=names[code])
                                  for code in i18n.LANGUAGES}),
                NumberBox(f"grade_price:{grade.key}", grade.price_per_kg, lang, money=True,
                          unit_key="unit.vnd_per_kg",
                          label={code: i18n.tr("app.yield_plan.grade_price", code, grade=names[code])
                                 for code in i18n.LANGUAGES}),
            ]
        self._grades = plan.grades
        self._calendar = plan.calendar
        target = self.control_value_or("sales_target_kg", 10_000.0)
        controls += [
            QuantityBox("sales_target_kg", target, lang, dimension="weight", unit="tan", check=check_positive),
            NumberBox("raw_price_per_kg", self.control_value_or("raw_price_per_kg", self.chain.raw_price_per_kg),
                      lang, money=True, unit_key="unit.vnd_per_kg", label=self._raw_price_label()),
        ]
        return controls

    def control_value_or(self, field: str, default: float) -> float:
        """The current value of a control kept across products (the chain part), else ``default``."""
        control = self.control(field)
        if control is None:
            return default
        try:
            return control.read()
        except InputError:
            return default

    def load_product(self, key: str) -> None:
        super().load_product(key)
        self._arrange()

    def _arrange(self) -> None:
        boxes = {control.field: control.box for control in self.controls}
        grade_boxes = [boxes[f"{kind}:{g.key}"] for g in self._grades for kind in ("grade_share", "grade_price")]
        self.controls_box.children = [
            self.headings["plan"], boxes["area_ha"], boxes["yield_kg_per_ha"], boxes["loss_rate"],
            boxes["season_costs"], self.headings["grades"], *grade_boxes,
            self.headings["chain"], self.chain_row, boxes["sales_target_kg"], boxes["raw_price_per_kg"],
        ]

    def _render_texts(self) -> None:
        super()._render_texts()
        for part, heading in self.headings.items():
            heading.value = f"<h4>{i18n.tr(f'app.yield_plan.section.{part}', self.lang)}</h4>"
        self.chain_label.value = i18n.tr("app.yield_plan.chain", self.lang)

    def set_lang(self, lang: str) -> None:
        self._relabelling = True
        try:
            self.chain_choice.options = self._chain_options(i18n.normalize_language(lang))
            self.chain_choice.value = self.chain_key
        finally:
            self._relabelling = False
        super().set_lang(lang)

    # -- compute and show ------------------------------------------------------------------
    def compute(self) -> YieldPlanResult:
        v = self.read_all()
        grades = [yields.Grade(g.key, g.name_vi, g.name_en, v[f"grade_share:{g.key}"], v[f"grade_price:{g.key}"])
                  for g in self._grades]
        try:
            plan = yields.output_plan(v["area_ha"], v["yield_kg_per_ha"], v["loss_rate"], grades, self._calendar,
                                      v["season_costs"])
        except InputError as err:
            if err.field != "grades":
                raise
            last = self.control(f"grade_share:{self._grades[-1].key}")  # shown beside the last share
            raise last.error(err.reason, err.value, **err.params) from None
        chain = processing.chain_plan(self.chain.steps, v["sales_target_kg"], v["raw_price_per_kg"], self.lang)
        return YieldPlanResult(plan, chain)

    def render(self, result: YieldPlanResult) -> tuple[str, Any]:
        lang, plan, chain = self.lang, result.plan, result.chain

        def text(key: str, **params: object) -> str:
            return i18n.tr(f"app.yield_plan.{key}", lang, **params)

        rows = [
            Row("marketable_kg", text("marketable_kg"), plan.marketable_kg, kind="number", strong=True),
            Row("harvest_kg", text("harvest_kg"), plan.harvest_kg, kind="number"),
            Row("loss_kg", text("loss_kg"), plan.loss_kg, kind="number"),
            Row("revenue", text("revenue"), plan.revenue, strong=True),
            Row("average_price_per_kg", text("average_price_per_kg"), plan.average_price_per_kg),
            Row("cost_per_sellable_kg", text("cost_per_sellable_kg"), plan.cost_per_sellable_kg, strong=True),
            Row("profit", text("profit"), plan.profit, strong=True),
        ]
        grade_columns = [
            Column("name", text("grade"), "text"),
            Column("share", text("share"), "rate"),
            Column("kg", text("kg"), "number"),
            Column("price_per_kg", text("price_per_kg")),
            Column("revenue", text("revenue")),
        ]
        material = self.chain.raw_material(lang)
        # The chain's quantities in the unit of the sales-target box (tấn when typed in tấn); money stays per kg.
        target = self.control("sales_target_kg")
        unit = target.unit_label(lang)
        chain_rows = [
            Row("raw_material_kg", text("raw_material_kg", material=material, unit=unit),
                target.from_base(chain.raw_material_kg), kind="number", strong=True),
            Row("final_cost_per_kg", text("final_cost_per_kg"), chain.final_cost_per_kg, strong=True),
        ]
        chain_table = chain.table.assign(key=chain.table["step"].astype(str),
                                          output_kg=[target.from_base(kg) for kg in chain.table["output_kg"]])
        chain_columns = [
            Column("name", text("step"), "text"),
            Column("output_kg", text("output_kg", unit=unit), "number"),
            Column("step_cost_per_kg", text("step_cost_per_kg")),
            Column("cost_per_kg", text("cost_per_kg")),
        ]
        html = (
            summary_table(rows, lang)
            + f"<h4>{text('section.grades')}</h4>"
            + frame_table(plan.grade_table(lang), grade_columns, "key", lang)
            + f"<p class='ck-note'>{text('note')}</p>"
            + f"<h4>{text('chain_result', chain=self.chain.name(lang))}</h4>"
            + summary_table(chain_rows, lang)
            + frame_table(chain_table, chain_columns, "key", lang)
        )
        # The chain chart depends only on the chain part: redraw it when that part changed, not on every
        # change of area, yield or grades (one PNG less per update).
        table = chain.table
        chain_key = (lang, material, chain.raw_price_per_kg, tuple(table.columns),
                     tuple(table.itertuples(index=False, name=None)))
        if chain_key != self._chain_chart_key:
            self.chain_chart.value = figure_png(yield_plots.chain_cost_chart(chain.table, chain.raw_price_per_kg, lang,
                                                                             material))
            self._chain_chart_key = chain_key
        return html, yield_plots.harvest_chart(plan.monthly_table(), lang, self.product.name(lang))
