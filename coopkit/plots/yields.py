"""Charts of the output plan: harvest and sales by month, cost build-up along a processing chain.

Each function takes a result table from `coopkit.yields` or `coopkit.processing` and returns a
matplotlib Figure; nothing is computed here but scales and labels.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from coopkit import fmt, i18n
from coopkit.plots import (
    COST_COLOUR,
    FIXED_COLOUR,
    REVENUE_COLOUR,
    SERIES_COLOURS,
    VARIABLE_COLOUR,
    FIGURE_WIDTH,
    frame_margins,
    kind_axis,
    label_margin,
    legend_below,
    axes_title,
    value_text,
    wrap_label,
    styled,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["harvest_chart", "chain_cost_chart"]

_TONNES = 10_000  # kilogram axes whose bars reach this are shown in tonnes


def _month_names(lang: str) -> list[str]:
    return [fmt.month_name(m, lang, short=True) for m in range(1, 13)]


@styled
def harvest_chart(monthly: pd.DataFrame, lang: str, product: str = "") -> Figure:
    """Kilograms to sell each month (bars), with each month's sales in đồng written above.

    ``monthly`` is `coopkit.yields.OutputPlan.monthly_table` (columns ``month, kg, revenue``).
    Bars are in tonnes when the largest month reaches 10 tonnes.
    """
    figure = Figure(figsize=(FIGURE_WIDTH, 4.0))
    frame_margins(figure, left=0.13, bottom=0.14)
    figure.subplots_adjust(top=0.86)
    ax = figure.add_subplot()
    kg = [float(v) for v in monthly["kg"]]
    tonnes = max(kg, default=0.0) >= _TONNES
    scale = 1_000.0 if tonnes else 1.0
    months = [int(m) for m in monthly["month"]]
    bars = ax.bar(months, [v / scale for v in kg], color=VARIABLE_COLOUR, width=0.7)
    for bar, value, revenue in zip(bars, kg, monthly["revenue"], strict=True):
        if value > 0 and math.isfinite(float(revenue)):
            ax.annotate(value_text(float(revenue), "money", lang), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                        rotation=90, color=REVENUE_COLOUR)
    names = _month_names(lang)
    # every month named; upright so that twelve names never touch on a narrow chart
    ax.set_xticks(range(1, 13), [names[m - 1] for m in range(1, 13)], rotation=90)
    ax.set_xlim(0.4, 12.6)
    ax.margins(y=0.45)  # room for the upright sales labels
    kind_axis(ax.yaxis, "number", lang, [v / scale for v in kg])
    ax.set_ylabel(i18n.tr("chart.yields.tonnes" if tonnes else "chart.yields.kg", lang))
    title = i18n.tr("chart.yields.harvest_title", lang)
    axes_title(ax, f"{title}: {product}" if product else title)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def chain_cost_chart(table: pd.DataFrame, raw_price_per_kg: float, lang: str, raw_material: str = "") -> Figure:
    """How the cost of one kg builds up along a processing chain.

    One horizontal bar per stage: the raw material (its price per kg), then each step's
    cumulative cost per kg of its output, split into the input it used and the step's own
    cost. ``table`` is `coopkit.processing.ChainPlan.table`.
    """
    labels = [wrap_label(label) for label in [raw_material or i18n.tr("chart.yields.raw_material", lang),
                                          *(str(n) for n in table["name"])]]
    inputs = [0.0] + [float(v) for v in table["input_cost_per_kg"]]
    own = [float(raw_price_per_kg)] + [float(v) for v in table["step_cost_per_kg"]]
    totals = [a + b for a, b in zip(inputs, own, strict=True)]
    count = len(labels)
    height = 0.45 * count + 1.5
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    frame_margins(figure, left=label_margin(figure, labels), bottom=0.65 / height)
    figure.subplots_adjust(top=1 - 0.4 / height)
    ax = figure.add_subplot()
    y = [count - 1 - i for i in range(count)]  # raw material on top, final product at the bottom
    ax.barh(y[:1], own[:1], color=SERIES_COLOURS[1], height=0.6, label=i18n.tr("chart.yields.raw_price", lang))
    ax.barh(y[1:], inputs[1:], color=FIXED_COLOUR, height=0.6, label=i18n.tr("chart.yields.input_cost", lang))
    ax.barh(y[1:], own[1:], left=inputs[1:], color=COST_COLOUR, height=0.6,
            label=i18n.tr("chart.yields.step_cost", lang))
    for yi, total in zip(y, totals, strict=True):
        ax.annotate(value_text(total, "money", lang), (total, yi), xytext=(4, 0), textcoords="offset points",
                    va="center")
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, count - 0.4)
    ax.margins(x=0.2)
    kind_axis(ax.xaxis, "money", lang, totals)
    ax.set_xlabel(i18n.tr("chart.yields.vnd_per_kg", lang))
    axes_title(ax, i18n.tr("chart.yields.chain_title", lang))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure
