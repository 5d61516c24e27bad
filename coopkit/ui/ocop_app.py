"""The OCOP stars app: tick the criteria met → points by part, the star, what holds it back,
the cheapest way to the next star, and whether that upgrade pays.

The checklist starts from the product's example in ``datasets/ocop_products.csv``; the money
inputs from the product template (volume, price, variable cost). The cost of the upgrade follows
the cheapest plan (its cost range plus the dossier for the new rating) whenever a tick changes;
a cost typed by the manager stays until the next tick. One call to `coopkit.ocop.assess`,
`cheapest_upgrade`, `appraise_upgrade` and `simulate_upgrade` makes the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import fields, fmt, i18n, ocop, risk
from coopkit.errors import InputError
from coopkit.investment import DEFAULT_DISCOUNT_RATE
from coopkit.plots.ocop import ocop_chart
from coopkit.ui.base import App
from coopkit.ui.controls import Control, NumberBox, PercentBox, RangeBox, parse_typed
from coopkit.ui.tables import Row, summary_table
from coopkit.validate import check_fraction, check_positive

__all__ = ["OcopApp", "CriteriaChecklist", "PercentRangeBox", "OcopResult", "STARTING_UPGRADE"]

#: Starting values of the upgrade's inputs (illustrative assumptions; the lesson explains them):
#: premium 0–10 % (most likely 2 %), volume 0–20 % (most likely 5 %), no award (it differs by
#: province and year), 15 million ₫ a year to keep the star, 20 million ₫ for a dossier and its tests.
STARTING_UPGRADE = {
    "price_premium": (0.0, 0.02, 0.10),
    "extra_volume": (0.0, 0.05, 0.20),
    "award": 0.0,
    "upkeep_per_year": 15e6,
    "rerating_cost": 20e6,
    "horizon_years": 6,
}


def _fraction_or_one(field: str, value: object) -> float:
    return check_fraction(field, value, allow_one=True)


class PercentRangeBox(RangeBox):
    """`RangeBox` for a rate: three percentages typed (``2`` for 2 %), read as fractions."""

    def __init__(self, field: str, value: risk.Estimate, lang: str) -> None:
        super().__init__(field, value, lang, unit_key="unit.percent", check=_fraction_or_one)
        self.maximum = 100.0

    def _format(self, number: float) -> str:
        return fmt.number(number * 100, self.lang, decimals=2)

    def _limit_shown(self, number: float) -> object:
        return fields.Shown(number / 100, "loss_rate")

    def _typed(self, text: widgets.Text) -> float:
        return self.in_range(parse_typed(text.value, self.lang, self.field), text.value) / 100


class CriteriaChecklist(Control):
    """The OCOP checklist: one tick box per criterion, grouped by part; ``read()`` gives the keys ticked."""

    def __init__(self, field: str, criteria: tuple[ocop.Criterion, ...], met: frozenset[str], lang: str) -> None:
        super().__init__(field, lang)
        self.criteria = criteria
        self.ticks = {
            c.key: widgets.Checkbox(value=c.key in met, indent=False, layout=widgets.Layout(width="100%"),
                                    _dom_classes=("ck-criterion", f"ck-criterion-{c.key}"))
            for c in criteria
        }
        for tick in self.ticks.values():
            tick.observe(self._changed, "value")
        self.heads = {part: widgets.HTML(_dom_classes=("ck-part-head",)) for part in ocop.PARTS}
        children: list[widgets.Widget] = []
        for part in ocop.PARTS:
            children.append(self.heads[part])
            children.extend(self.ticks[c.key] for c in criteria if c.part == part)
        self.column = widgets.VBox(children, layout=widgets.Layout(width="100%"), _dom_classes=("ck-checklist",))
        self.box = self._box()
        self._describe()

    def _inputs(self) -> list[widgets.Widget]:
        return [self.column]

    def label_text(self, lang: str | None = None) -> str:
        return i18n.tr("app.ocop_stars.checklist", lang or self.lang)

    def _describe(self) -> None:
        lang = self.lang
        for part in ocop.PARTS:
            points = i18n.tr("app.ocop_stars.part_points", lang, points=ocop.PART_POINTS[part])
            self.heads[part].value = f"<b>{escape(i18n.tr(f'app.ocop_stars.part_{part}', lang))}</b> ({points})"
        for c in self.criteria:
            words = [c.name(lang), i18n.tr("app.ocop_stars.criterion_points", lang, points=c.points)]
            if c.mandatory_3star:
                words.append(i18n.tr("app.ocop_stars.mandatory", lang))
            self.ticks[c.key].description = " · ".join(words)

    def set_lang(self, lang: str) -> None:
        super().set_lang(lang)
        self._describe()

    def read(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset(key for key, tick in self.ticks.items() if tick.value)

    def _enter(self, keys: Any) -> None:  # type: ignore[override]
        """Tick exactly ``keys`` (a set of criterion keys, or text "a b c"): one change event."""
        wanted = set(keys.split()) if isinstance(keys, str) else set(keys)
        unknown = wanted - set(self.ticks)
        if unknown:
            raise InputError(self.field, reason="ocop_unknown_criterion", value=sorted(unknown)[0])
        self._silent = True
        try:
            for key, tick in self.ticks.items():
                tick.value = key in wanted
        finally:
            self._silent = False
        self._changed()


@dataclass(frozen=True)
class OcopResult:
    """What the app shows: the assessment, the plan, and the upgrade's appraisal and simulation."""

    assessment: ocop.Assessment
    plan: ocop.UpgradePlan | None
    upgrade: ocop.StarUpgrade | None
    appraisal: ocop.UpgradeAppraisal | None
    simulation: risk.ProfitSimulation | None


def _stars(count: int, lang: str) -> str:
    return f"{'★' * count}{'☆' * (5 - count)} ({i18n.tr('app.ocop_stars.stars', lang, count=count)})"


class OcopApp(App):
    """Where does our product stand in OCOP, what does the next star need, and does it pay?"""

    name = "ocop_stars"

    def __init__(self, product: str = "mat_ong", lang: str | None = None, *, standalone: bool = True):
        self.examples = ocop.load_ocop_products()
        if product not in self.examples:
            raise InputError("product", reason="unknown_product", value=product)
        self._cost_for: frozenset[str] | None = None
        super().__init__(product, lang, standalone=standalone)

    def _product_options(self) -> list[tuple[str, str]]:
        return [(t.name(self.lang), key) for key, t in self.products.items() if key in self.examples]

    @property
    def example(self) -> ocop.OcopProduct:
        return self.examples[self.product_key]

    @property
    def criteria(self) -> tuple[ocop.Criterion, ...]:
        return ocop.load_ocop_criteria(self.example.product_set)

    def build_controls(self) -> list[Control]:
        lang, product = self.lang, self.product
        summary = product.cost_summary()
        per_year = product.volume_per_season * 12 / product.season_months
        start = STARTING_UPGRADE
        self._cost_for = None
        return [
            CriteriaChecklist("met_criteria", self.criteria, self.example.met, lang),
            RangeBox("upgrade_cost", risk.Estimate(0.0, 0.0, 0.0), lang, money=True),
            NumberBox("volume_per_year", per_year, lang, decimals=0, check=check_positive,
                      unit_key=f"unit.{product.unit}"),
            NumberBox("price_per_unit", product.price_per_unit, lang, money=True, check=check_positive,
                      unit_key=f"unit.vnd_per_{product.unit}"),
            NumberBox("variable_cost_per_unit", summary.variable_cost_per_unit, lang, money=True,
                      unit_key=f"unit.vnd_per_{product.unit}"),
            PercentRangeBox("price_premium", risk.Estimate(*start["price_premium"]), lang),
            PercentRangeBox("extra_volume", risk.Estimate(*start["extra_volume"]), lang),
            NumberBox("award", start["award"], lang, money=True),
            NumberBox("upkeep_per_year", start["upkeep_per_year"], lang, money=True,
                      unit_key="app.ocop_stars.unit_per_year"),
            NumberBox("rerating_cost", start["rerating_cost"], lang, money=True),
            NumberBox("horizon_years", start["horizon_years"], lang, decimals=0, check=check_positive,
                      unit_key="app.ocop_stars.unit_years", maximum=ocop.MAX_YEARS),
            PercentBox("discount_rate", DEFAULT_DISCOUNT_RATE, lang),
        ]

    def _follow_plan(self, met: frozenset[str], plan: ocop.UpgradePlan | None, dossier: float) -> None:
        """Put the plan's cost (plus the dossier) in the cost boxes when the ticks changed."""
        if self._cost_for == met:
            return
        self._cost_for = met
        box = self.control("upgrade_cost")
        if plan is None:
            value = risk.Estimate(0.0, 0.0, 0.0)
        else:
            value = risk.Estimate(plan.cost_low + dossier, plan.cost_mid + dossier, plan.cost_high + dossier)
        box._show(value)  # noqa: SLF001 - the app fills its own box without a change event

    def compute(self) -> OcopResult:
        checklist = self.control("met_criteria")
        met = checklist.read()
        assessment = ocop.assess(self.criteria, met)
        plan = ocop.cheapest_upgrade(self.criteria, met)
        rerating = self.control("rerating_cost").read()
        self._follow_plan(met, plan, rerating)
        money_fields = [c for c in self.controls if c.field != "met_criteria"]
        for control in money_fields:
            control.box.layout.display = None if plan else "none"
        if plan is None:
            for control in money_fields:
                control.show_error(None)
            return OcopResult(assessment, None, None, None, None)
        values: dict[str, Any] = self.read_all(money_fields)
        upgrade = ocop.StarUpgrade(
            upgrade_cost=values["upgrade_cost"],
            volume_per_year=values["volume_per_year"],
            price_per_unit=values["price_per_unit"],
            variable_cost_per_unit=values["variable_cost_per_unit"],
            price_premium=values["price_premium"],
            extra_volume=values["extra_volume"],
            award=values["award"],
            upkeep_per_year=values["upkeep_per_year"],
            rerating_cost=values["rerating_cost"],
            years=values["horizon_years"],
            discount_rate=values["discount_rate"],
        )
        return OcopResult(assessment, plan, upgrade, ocop.appraise_upgrade(upgrade),
                          ocop.simulate_upgrade(upgrade, seed=0))

    def render(self, result: OcopResult) -> tuple[str, Any]:
        lang = self.lang

        def text(key: str, **params: object) -> str:
            return i18n.tr(f"app.ocop_stars.{key}", lang, **params)

        a = result.assessment
        set_name = text(f"set_{self.example.product_set}")
        rows = [Row(f"part_{part}", f"{text(f'part_{part}')} ({text('part_points', points=out_of)})", got, kind="count")
                for part, (got, out_of) in a.points_by_part.items()]
        rows.append(Row("total", text("total"), a.total, kind="count", strong=True))
        rows.append(Row("star", text("star"), _stars(a.star, lang), kind="text", strong=True))
        missing = ", ".join(c.name(lang) for c in a.mandatory_missing) or text("none")
        rows.append(Row("mandatory_missing", text("mandatory_missing"), missing, kind="text"))
        if a.next_star is not None:
            rows.append(Row("next_star", text("next_star"), _stars(a.next_star, lang), kind="text"))
            rows.append(Row("points_to_next", text("points_to_next"), a.points_to_next, kind="count"))
        html = [f"<p class='ck-note'>{escape(text('product_set_note', name=set_name))}</p>", summary_table(rows, lang)]
        if a.star < a.star_by_points:
            html.append(f"<p class='ck-warning ck-ocop-capped'>{escape(text('star_capped', stars=_stars(a.star_by_points, lang)))}</p>")
        if result.plan is None:
            html.append(f"<p class='ck-note ck-ocop-top'>{escape(text('top_star'))}</p>")
            return "".join(html), ocop_chart(a, None, None, lang)
        plan = result.plan
        html.append(f"<h4>{escape(text('plan_heading', stars=_stars(plan.target_star, lang)))}</h4>")
        html.append(self._plan_table(plan))
        html.append(f"<p class='ck-note'>{escape(text('plan_after', points=plan.total_after, stars=_stars(plan.star_after, lang)))} "
                    f"{escape(text('plan_cost_note'))}</p>")
        if plan.target_star == 5:
            html.append(f"<p class='ck-note'>{escape(text('five_star_note'))}</p>")
        html.append(f"<h4>{escape(text('upgrade_heading'))}</h4>")
        html.append(self._upgrade_table(result))
        html.append(f"<p class='ck-note'>{escape(text('upgrade_note'))}</p>")
        figure = ocop_chart(a, plan, result.appraisal, lang)
        return "".join(html), figure

    def _plan_table(self, plan: ocop.UpgradePlan) -> str:
        lang = self.lang

        def text(key: str) -> str:
            return i18n.tr(f"app.ocop_stars.{key}", lang)

        def cost(low: float, high: float) -> str:
            return f"{fmt.money(low, lang)} – {fmt.money(high, lang)}"

        head = (f"<tr><th>{escape(text('plan_criterion'))}</th><th class='ck-num'>{escape(text('plan_points'))}</th>"
                f"<th class='ck-num'>{escape(text('plan_cost'))}</th></tr>")
        body = "".join(
            f"<tr data-key='{escape(c.key)}'><td class='ck-text ck-row-head'>{escape(c.part)}. {escape(c.name(lang))}</td>"
            f"<td class='ck-num'>{c.points}</td><td class='ck-num'>{escape(cost(c.cost_low, c.cost_high))}</td></tr>"
            for c in plan.criteria)
        total = (f"<tr class='ck-key-row' data-key='plan_total'><td class='ck-text ck-row-head'>{escape(text('plan_total'))}</td>"
                 f"<td class='ck-num'>{plan.points_added}</td>"
                 f"<td class='ck-num'>{escape(cost(plan.cost_low, plan.cost_high))}</td></tr>")
        return f"<div class='ck-table-scroll'><table class='ck-ocop-plan'>{head}{body}{total}</table></div>"

    def _upgrade_table(self, result: OcopResult) -> str:
        lang = self.lang
        appraisal, summary = result.appraisal, result.simulation.summary

        def text(key: str, **params: object) -> str:
            return i18n.tr(f"app.ocop_stars.{key}", lang, **params)

        if appraisal.payback_years is None:
            payback = text("no_payback", years=appraisal.years)
        else:
            payback = text("years_value", years=fmt.number(appraisal.payback_years, lang, decimals=1))
        rows = [
            Row("yearly_gain", text("yearly_gain"), appraisal.yearly_gain),
            Row("npv", text("npv"), appraisal.npv, strong=True),
            Row("npv_range", text("npv_range"),
                f"{fmt.money(appraisal.npv_worst, lang)} – {fmt.money(appraisal.npv_best, lang)}", kind="text"),
            Row("payback", text("payback"), payback, kind="text"),
            Row("probability_of_loss", text("probability_of_loss"), summary.probability_of_loss, kind="rate", strong=True),
            Row("p10_p90", text("p10_p90"),
                f"{fmt.money(summary.p10_profit, lang)} – {fmt.money(summary.p90_profit, lang)}", kind="text"),
        ]
        if summary.probability_of_loss < 0.1:
            verdict = text("verdict_pays")
        elif summary.probability_of_loss < 0.5:
            verdict = text("verdict_risky")
        else:
            verdict = text("verdict_loses")
        return summary_table(rows, lang) + f"<p class='ck-ocop-verdict'><b>{escape(verdict)}</b></p>"
