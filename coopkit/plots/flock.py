"""Chart of a laying flock's plan: eggs per month (bars) and the cost per egg (line).

The numbers come from `coopkit.flock.flock_plan`; this module only draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coopkit import fmt, i18n
from coopkit.plots import (
    COST_COLOUR,
    FIGURE_WIDTH,
    REVENUE_COLOUR,
    VARIABLE_COLOUR,
    frame_margins,
    legend_below,
    TickLabels,
    axes_title,
    styled,
)

if TYPE_CHECKING:
    from coopkit.flock import FlockPlan

__all__ = ["flock_chart"]


@styled
def flock_chart(plan: FlockPlan, lang: str) -> Figure:
    """Eggs laid each month (green bars, in thousands) and the cost per egg each month (red
    line, right axis), with the selling price as a dashed line: months where the red line is
    above the price lose money on every egg.

    ``plan`` is `coopkit.flock.flock_plan`'s result. A month with no eggs has no cost point.
    """
    table = plan.table
    figure = Figure(figsize=(FIGURE_WIDTH, 3.8))
    frame_margins(figure, left=0.14, bottom=0.17)
    figure.subplots_adjust(right=0.85)
    ax = figure.add_subplot()
    months = table["month"]
    ax.bar(months, table["eggs"], color=VARIABLE_COLOUR, width=0.7, label=i18n.tr("chart.flock.eggs", lang))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(TickLabels(lambda x, _pos: fmt.number(x / 1000, lang)))
    ax.set_ylabel(i18n.tr("chart.flock.eggs", lang))
    ax.set_xlabel(i18n.tr("chart.flock.month", lang))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
    ax.spines[["top"]].set_visible(False)

    cost_ax = ax.twinx()
    cost_ax.plot(months, table["cost_per_egg"], color=COST_COLOUR, lw=2, marker="o", ms=3.5,
                 label=i18n.tr("chart.flock.cost_per_egg", lang))
    cost_ax.axhline(plan.price_per_egg, color=REVENUE_COLOUR, lw=1.2, ls="--",
                    label=i18n.tr("chart.flock.price", lang, price=fmt.money(plan.price_per_egg, lang)))
    costs = table["cost_per_egg"].dropna()
    # A month of pullets just starting to lay costs many times the price per egg: keep the
    # axis on the usual months (such a point leaves the top of the chart).
    usual = max(float(costs.median()), plan.price_per_egg)
    high = min(max(float(costs.max()), plan.price_per_egg), 2.0 * usual)
    cost_ax.set_ylim(0, high * 1.15 if high > 0 else 1)
    cost_ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    cost_ax.yaxis.set_major_formatter(TickLabels(lambda x, _pos: fmt.number(x, lang)))
    cost_ax.set_ylabel(i18n.tr("chart.flock.cost_per_egg", lang))
    cost_ax.spines[["top"]].set_visible(False)
    axes_title(ax, i18n.tr("chart.flock.title", lang))
    legend_below(figure)
    return figure
