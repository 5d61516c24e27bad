"""The production-risk app: what next season's profit may be, with and without a price contract.

The manager gives a lowest / most likely / highest value for the harvest, the price and the
variable cost, the fixed costs, and a contract that fixes the price of part of the harvest.
Both plans are simulated over the same 20 000 seasons (`coopkit.risk.simulate_profit` with
one seed) and compared: probability of a loss, P10 / P50 / P90 and average profit, and a
histogram of the market plan's profits with the contract plan's outline.

The default ranges come from real records (`coopkit.reference`): the spread of Viet Nam's
coffee yield around its trend and the 12-month swings of the product's world price.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from coopkit import fmt, i18n, reference, risk
from coopkit.errors import InputError
from coopkit.plots import risk as risk_plots
from coopkit.ui.base import App, figure_png, safe
from coopkit.ui.controls import Control, NumberBox, PercentSlider, QuantityBox, RangeBox
from coopkit.ui.tables import Column, frame_table
from coopkit.validate import check_positive

__all__ = ["RangeBox", "ProductionRiskApp", "RiskAppResult", "FigureView", "PRICE_SERIES"]

#: Which world price suggests each product's price range (others: an illustrative ±20 %).
PRICE_SERIES: dict[str, str] = {
    "ca_phe_nhan_son_la": "robusta",
    "ca_phe_honey_son_la": "arabica",
    "cam_lac_thuy": "orange",
    "che_shan_tuyet": "tea",
}
#: Variable cost range around the plan (illustrative: input prices rarely move as much as sale prices).
COST_RATIOS = (0.95, 1.0, 1.08)
ILLUSTRATIVE_PRICE_RATIOS = (0.8, 1.0, 1.2)
#: The app's seed and draws: everyone in the room sees the same numbers for the same inputs.
SEED = 2026
DRAWS = risk.DEFAULT_DRAWS


@dataclass(frozen=True)
class RiskAppResult:
    """Both plans over the same seasons and their comparison."""

    market: risk.ProfitSimulation
    contract: risk.ProfitSimulation
    comparison: risk.PlanComparison

    @property
    def probability_of_loss(self) -> float:
        return self.market.summary.probability_of_loss


def default_ranges(product: Any) -> dict[str, Any]:
    """The app's starting ranges for ``product``, from the reference data, and where they come from."""
    trend = reference.yield_trend(reference.load_coffee_yields(), start_year=2000)
    series = PRICE_SERIES.get(product.key)
    price = product.price_per_unit
    if series is not None:
        price_range = reference.price_swings(reference.load_world_prices(), series, years=10).price_range(price)
    else:
        price_range = risk.estimate("price_per_unit", tuple(price * r for r in ILLUSTRATIVE_PRICE_RATIOS))
    variable = product.cost_summary().variable_cost_per_unit
    if product.area_ha > 0 and product.unit == "kg":
        harvest = ("yield_kg_per_ha", trend.yield_range(product.volume_per_season / product.area_ha))
    else:
        harvest = ("volume", risk.estimate("volume", (product.volume_per_season * trend.low_ratio,
                                                      product.volume_per_season,
                                                      product.volume_per_season * trend.high_ratio)))
    return {
        "harvest": harvest,
        "price_per_unit": price_range,
        "variable_cost_per_unit": risk.estimate("variable_cost_per_unit", tuple(variable * r for r in COST_RATIOS)),
        "series": series,
        "trend": trend,
    }


class ProductionRiskApp(App):
    """How likely is a loss next season, and does a price contract make it less likely?"""

    name = "production_risk"

    def __init__(self, product: str = "ca_phe_nhan_son_la", lang: str | None = None, *, standalone: bool = True):
        self.defaults: dict[str, Any] = {}
        super().__init__(product, lang, standalone=standalone)

    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        self.defaults = default_ranges(product)
        unit = product.unit
        harvest_field, harvest_range = self.defaults["harvest"]
        controls: list[Control] = []
        if harvest_field == "yield_kg_per_ha":
            controls.append(QuantityBox("area_ha", product.area_ha, lang, dimension="area", unit="ha", check=check_positive))
            controls.append(RangeBox("yield_kg_per_ha", harvest_range, lang, unit_key="app.production_risk.kg_per_ha"))
        else:
            controls.append(RangeBox("volume", harvest_range, lang, unit_key=f"unit.{unit}"))
        controls += [
            RangeBox("price_per_unit", self.defaults["price_per_unit"], lang, money=True, unit_key=f"unit.vnd_per_{unit}"),
            RangeBox("variable_cost_per_unit", self.defaults["variable_cost_per_unit"], lang, money=True,
                     unit_key=f"unit.vnd_per_{unit}"),
            NumberBox("fixed_costs", product.cost_summary().fixed_costs, lang, money=True),
            NumberBox("contract_price", product.price_per_unit, lang, money=True, unit_key=f"unit.vnd_per_{unit}",
                      check=check_positive),
            PercentSlider("contract_share", 0.7, lang, maximum=1.0, step=0.05, allow_one=True),
        ]
        return controls

    def compute(self) -> RiskAppResult:
        v = self.read_all()
        if "yield_kg_per_ha" in v:
            harvest = {"area_ha": v["area_ha"], "yield_kg_per_ha": v["yield_kg_per_ha"]}
        else:
            harvest = {"volume": v["volume"]}
        common = dict(harvest, fixed_costs=v["fixed_costs"], draws=DRAWS, seed=SEED)
        market = risk.simulate_profit(v["price_per_unit"], v["variable_cost_per_unit"], **common)
        contract = risk.simulate_profit(v["price_per_unit"], v["variable_cost_per_unit"], **common,
                                        contract_share=v["contract_share"], contract_price=v["contract_price"])
        return RiskAppResult(market, contract, risk.compare_plans(market, contract))

    def labels(self) -> tuple[str, str]:
        """The two plans' names in the app's language (the contract's share included)."""
        share = self.control("contract_share")
        percent = fmt.percent(share.read(), self.lang) if share is not None else ""
        return (i18n.tr("app.production_risk.plan_market", self.lang),
                i18n.tr("app.production_risk.plan_contract", self.lang, share=percent))

    def render(self, result: RiskAppResult) -> tuple[str, Any]:
        import pandas as pd

        lang = self.lang
        labels = self.labels()
        keys = ["probability_of_loss", "p10_profit", "p50_profit", "p90_profit", "mean_profit", "expected_loss"]
        rows = []
        for plan, label, simulation in (("market", labels[0], result.market), ("contract", labels[1], result.contract)):
            summary = simulation.summary
            rows.append({"plan": plan, "name": label, **{k: getattr(summary, k) for k in keys}})
        columns = [Column("name", i18n.tr("app.production_risk.plan", lang), "text")]
        columns += [Column(k, i18n.tr(f"field.{k}", lang), "rate" if k == "probability_of_loss" else "money")
                    for k in keys]
        table = frame_table(pd.DataFrame(rows), columns, "plan", lang, strong={"market"})
        better = result.comparison.probability_second_better
        notes = [
            i18n.tr("app.production_risk.reading", lang),
            i18n.tr("app.production_risk.contract_better", lang, share=fmt.percent(better, lang)),
            self._source_note(),
        ]
        html = table + "".join(f"<p class='ck-note'>{note}</p>" for note in notes)
        figure = risk_plots.profit_histogram(result.market, lang, other=result.contract, labels=labels)
        return html, figure

    def _source_note(self) -> str:
        trend = self.defaults["trend"]
        series = self.defaults["series"]
        harvest = i18n.tr("app.production_risk.source_harvest", self.lang, start=str(trend.start_year),
                          end=str(trend.end_year))
        if series is None:
            price = i18n.tr("app.production_risk.source_price_illustrative", self.lang)
        else:
            price = i18n.tr("app.production_risk.source_price", self.lang,
                            series=i18n.tr(f"chart.risk.series.{series}", self.lang))
        return f"{harvest} {price} {i18n.tr('app.production_risk.source_cost', self.lang)}"


class FigureView:
    """A chart on a lesson page that is redrawn in the page's language when it switches.

    Use through `coopkit.ui.Lesson.app`: ``page.app(FigureView, draw=lambda lang: chart(..., lang))``;
    ``follow=app.results`` also redraws it whenever that widget's value changes.
    """

    name = "figure"

    def __init__(self, draw: Callable[[str], Any], lang: str | None = None, *, standalone: bool = False,
                 follow: widgets.Widget | None = None) -> None:
        self.draw = draw
        self.lang = i18n.normalize_language(lang)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="720px"))
        self.summary = widgets.HTML()
        self.view = widgets.VBox([self.summary, self.image])
        self.view.add_class("ck-chart")
        self.view.add_class("ck-figure")
        self.set_lang(self.lang)
        self._pending = False
        if follow is not None:  # e.g. an app's results: redraw when they change
            follow.observe(self._follow, "value")

    def _follow(self, _change: object = None) -> None:
        """Redraw once the kernel has handled the message that changed what is followed: the app's
        own chart goes to the page first (the app sets its results before its chart, and this
        redraw took as long as the app's). Without a running event loop (tests, scripts), now."""
        import asyncio

        redraw = safe(self, self._redraw)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            redraw()
            return
        if not self._pending:  # several changes in one message: one redraw
            self._pending = True
            loop.call_soon(redraw)

    def _redraw(self) -> None:
        self._pending = False
        self.set_lang(self.lang)

    def set_lang(self, lang: str) -> None:
        self.lang = i18n.normalize_language(lang)
        self.image.value = figure_png(self.draw(self.lang))

    def show_input_error(self, err: InputError) -> None:  # called by `safe`; a chart has no inputs
        self.summary.value = f"⚠ {err.message(self.lang)}"

    def show_unexpected_error(self) -> None:
        self.summary.value = i18n.tr("app.unexpected_error", self.lang)

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.view._repr_mimebundle_(**kwargs)
