"""The layer-flock app: hens, laying rate, losses, feed and costs → eggs, trays, cost per egg.

The inputs start from the egg template (``trung_son_nam``): 5 000 hens, the laying rate that
gives the template's eggs a day, its selling price, and its cost items turned into other costs
per month and per egg (the feed item is left out: the app computes feed from grams and price).
One call to `coopkit.flock.flock_plan` makes the results; see `coopkit.ui.base.App`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


from coopkit import costs, i18n
from coopkit.errors import InputError
from coopkit.flock import DAYS_PER_MONTH, Flock, FlockPlan, flock_plan
from coopkit.plots.flock import flock_chart
from coopkit.ui.base import App
from coopkit.ui.controls import Control, NumberBox, OptionChoice, PercentSlider, text_labels
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_nonnegative, check_positive

__all__ = ["FlockApp", "LayingModeToggle", "FlockDefaults", "flock_defaults"]

#: Hens of the Sơn Nam cooperative as reported (datasets/products.csv, ``trung_son_nam``, source_volume).
TEMPLATE_HENS = 5_000
#: Cost items that are the hens' feed: the app computes feed from grams a day and the feed price.
FEED_ITEM_KEYS = frozenset({"thuc_an"})
#: Months the app plans (its results say "in the year").
PLAN_MONTHS = 12
MODES = ("flat", "curve")
#: Largest values the boxes accept: ten million hens (far above the largest farms), a hen of 200 weeks
#: (layers are sold at 70–100), 1 kg of feed a hen a day (a layer eats 100–130 g).
MAX_HENS = 10_000_000
MAX_AGE_WEEKS = 200
MAX_FEED_G_PER_HEN_DAY = 1_000


@dataclass(frozen=True)
class FlockDefaults:
    """Starting values of the app for an egg template."""

    hens: float
    laying_rate: float
    other_costs_per_month: float
    other_cost_per_egg: float
    price_per_egg: float


def flock_defaults(product: Any, hens: float = TEMPLATE_HENS) -> FlockDefaults:
    """The app's starting values from an egg product template.

    The laying rate is the template's eggs a day ÷ ``hens``; the other costs are the template's
    cost items without the feed: season costs ÷ season months per month, the rest per egg.

    >>> from coopkit import data
    >>> d = flock_defaults(data.load_products()["trung_son_nam"])
    >>> round(d.laying_rate, 3), round(d.other_costs_per_month), round(d.other_cost_per_egg, 1)
    (0.6, 50833333, 316.7)
    """
    items = [item for item in product.all_cost_items() if item.key not in FEED_ITEM_KEYS]
    summary = costs.cost_summary(items, product.volume_per_season, product.area_ha, product.units_per_batch)
    eggs_per_day = product.volume_per_season / (product.season_months * DAYS_PER_MONTH)
    return FlockDefaults(
        hens=hens,
        laying_rate=min(eggs_per_day / hens, 0.95),
        other_costs_per_month=summary.fixed_costs / product.season_months,
        other_cost_per_egg=summary.variable_cost_per_unit,
        price_per_egg=product.price_per_unit,
    )


def LayingModeToggle(field: str, mode: str, lang: str) -> OptionChoice:  # noqa: N802 (a control, named like one)
    """Flat laying rate or laying curve by age: ``read()`` gives ``"flat"`` or ``"curve"``."""
    return OptionChoice(field, mode, MODES, lang, label_of=text_labels("app.layer_flock.mode_"), css="ck-mode")


class FlockApp(App):
    """How many eggs and trays does the flock lay, what does an egg cost, where is break-even?"""

    name = "layer_flock"

    def __init__(self, product: str = "trung_son_nam", lang: str | None = None, *, standalone: bool = True):
        from coopkit import data

        template = data.load_products().get(product)
        if template is None or template.unit != "egg":
            raise InputError("product", reason="unknown_product", value=product)
        super().__init__(product, lang, standalone=standalone)

    def _product_options(self) -> list[tuple[str, str]]:
        return [(t.name(self.lang), key) for key, t in self.products.items() if t.unit == "egg"]

    def build_controls(self) -> list[Control]:
        lang = self.lang
        start = flock_defaults(self.product)
        plan = Flock()  # feed, age and losses: the documented defaults of coopkit.flock
        price = start.price_per_egg
        return [
            NumberBox("hens", start.hens, lang, decimals=0, check=check_positive,
                      unit_key="app.layer_flock.unit_hens", maximum=MAX_HENS),
            LayingModeToggle("laying_mode", "flat", lang),
            PercentSlider("laying_rate", start.laying_rate, lang, maximum=0.98, step=0.005),
            NumberBox("age_weeks", plan.age_weeks, lang, decimals=0, check=check_nonnegative,
                      unit_key="app.layer_flock.unit_weeks", slider=(16.0, 100.0, 1.0), maximum=MAX_AGE_WEEKS),
            PercentSlider("mortality_per_month", plan.mortality_per_month, lang, maximum=0.1, step=0.001),
            NumberBox("feed_g_per_hen_day", plan.feed_g_per_hen_day, lang, decimals=0, check=check_positive,
                      unit_key="app.layer_flock.unit_g_per_hen_day", slider=(80.0, 160.0, 1.0),
                      maximum=MAX_FEED_G_PER_HEN_DAY),
            NumberBox("feed_price_per_kg", plan.feed_price_per_kg, lang, money=True, unit_key="unit.vnd_per_kg"),
            NumberBox("other_costs_per_month", start.other_costs_per_month, lang, money=True,
                      unit_key="app.layer_flock.unit_vnd_per_month"),
            NumberBox("other_cost_per_egg", start.other_cost_per_egg, lang, money=True, unit_key="unit.vnd_per_egg"),
            NumberBox("price_per_egg", price, lang, money=True, unit_key="unit.vnd_per_egg", check=check_positive,
                      slider=(0.0, round(price * 2), max(round(price / 100), 1))),
        ]

    def _inactive_field(self) -> str:
        """The laying input not in use: the age with a flat rate, the rate with the curve."""
        return "age_weeks" if self.control("laying_mode").read() == "flat" else "laying_rate"

    def compute(self) -> FlockPlan:
        inactive = self._inactive_field()
        for control in self.controls:
            control.box.layout.display = "none" if control.field == inactive else None
            if control.field == inactive:
                control.show_error(None)
        values: dict[str, Any] = self.read_all(c for c in self.controls if c.field != inactive)
        flat = values.pop("laying_mode") == "flat"
        flock = Flock(
            hens=values["hens"],
            laying_rate=values["laying_rate"] if flat else None,
            age_weeks=values.get("age_weeks", Flock.age_weeks),
            mortality_per_month=values["mortality_per_month"],
            feed_g_per_hen_day=values["feed_g_per_hen_day"],
            feed_price_per_kg=values["feed_price_per_kg"],
            other_costs_per_month=values["other_costs_per_month"],
            other_cost_per_egg=values["other_cost_per_egg"],
            price_per_egg=values["price_per_egg"],
        )
        return flock_plan(flock, PLAN_MONTHS)

    def render(self, plan: FlockPlan) -> tuple[str, Any]:
        lang = self.lang

        def text(key: str) -> str:
            return i18n.tr(f"app.layer_flock.{key}", lang)

        rows = [
            Row("eggs_per_day", text("eggs_per_day"), plan.eggs_per_day, kind="count", strong=True),
            Row("trays_per_day", text("trays_per_day"), plan.trays_per_day, kind="number"),
            Row("eggs_per_year", text("eggs_per_year"), plan.eggs_per_year, kind="count"),
            Row("average_laying_rate", text("average_laying_rate"), plan.average_laying_rate, kind="rate"),
            Row("hens_at_end", text("hens_at_end"), plan.hens_at_end, kind="count"),
            Row("feed_cost_per_egg", text("feed_cost_per_egg"), plan.feed_cost_per_egg),
            Row("cost_per_egg", text("cost_per_egg"), plan.cost_per_egg, strong=True),
            Row("break_even_price_per_egg", text("break_even_price"), plan.break_even_price_per_egg),
            Row("break_even_laying_rate", text("break_even_laying_rate"), plan.break_even_laying_rate, kind="rate"),
            Row("revenue", text("revenue"), plan.revenue),
            Row("total_costs", text("total_costs"), plan.total_costs),
            Row("profit", text("profit"), plan.profit, strong=True),
        ]
        columns = [
            Column("month", text("month"), "count"),
            Column("hens", text("hens"), "count"),
            Column("laying_rate", i18n.tr("field.laying_rate", lang), "rate"),
            Column("eggs", text("eggs"), "count"),
            Column("trays", text("trays"), "count"),
            Column("feed_cost", text("feed_cost")),
            Column("cost_per_egg", text("cost_per_egg")),
        ]
        note = f"<p class='ck-note'>{text('monthly_note')}</p>"
        html = summary_table(rows, lang) + frame_table(plan.table, columns, "month", lang) + note
        return html, flock_chart(plan, lang)
