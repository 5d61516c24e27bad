"""Charts of production risk: simulated profits and the real yield and price records behind them.

Each function takes results (`coopkit.risk.ProfitSimulation`, `coopkit.reference.YieldTrend`,
`coopkit.reference.PriceSwings`) and returns a matplotlib Figure; no pyplot state, fixed
margins, words from the catalogues, numbers formatted by the locale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coopkit import fmt, i18n
from coopkit.plots import (
    BASE_COLOUR,
    COST_COLOUR,
    REVENUE_COLOUR,
    FIGURE_WIDTH,
    SERIES_COLOURS,
    TickLabels,
    frame_margins,
    kind_axis,
    legend_below,
    axes_title,
    value_text,
    styled,
)

if TYPE_CHECKING:
    from coopkit.reference import PriceSwings, YieldTrend
    from coopkit.risk import ProfitSimulation

__all__ = ["profit_histogram", "profit_s_curve", "yield_trend_chart", "price_history_chart"]

_BINS = 50
_CURVE_POINTS = 201  # the S-curve is drawn through this many quantiles, not every draw


def _plan_label(labels: tuple[str, str] | None, index: int, lang: str) -> str:
    if labels is not None:
        return labels[index]
    return i18n.tr("chart.risk.plan_a" if index == 0 else "chart.risk.plan_b", lang)


@styled
def profit_histogram(
    simulation: ProfitSimulation,
    lang: str,
    *,
    other: ProfitSimulation | None = None,
    labels: tuple[str, str] | None = None,
) -> Figure:
    """How often each profit came out: bars left of zero (red) are the seasons that lose money.

    Dashed lines mark P10, P50 and P90; the title gives the probability of a loss. ``other``
    (a second plan over the same seasons) is drawn as an outline on the same bins.
    """
    summary = simulation.summary
    profit = simulation.profit
    values = profit if other is None else np.concatenate([profit, other.profit])
    low, high = float(values.min()), float(values.max())
    if high <= low:
        low, high = low - 1.0, high + 1.0
    edges = np.linspace(low, high, _BINS + 1)
    counts, _ = np.histogram(profit, edges)
    share = counts / profit.size
    centres = (edges[:-1] + edges[1:]) / 2

    figure = Figure(figsize=(FIGURE_WIDTH, 4.0))
    frame_margins(figure, left=0.14, bottom=0.16)
    ax = figure.add_subplot()
    # Two filled step outlines (losing bins, earning bins) draw like 50 bars at a fraction of the cost.
    losing = centres < 0
    ax.stairs(np.where(losing, share, 0.0), edges, fill=True, color=COST_COLOUR, alpha=0.75, lw=0)
    ax.stairs(np.where(losing, 0.0, share), edges, fill=True, color=REVENUE_COLOUR, alpha=0.75, lw=0,
              label=_plan_label(labels, 0, lang))
    if other is not None:
        other_share = np.histogram(other.profit, edges)[0] / other.profit.size
        ax.stairs(other_share, edges, color=SERIES_COLOURS[0], lw=1.8, label=_plan_label(labels, 1, lang))
    ax.axvline(0, color=BASE_COLOUR, lw=1)
    top = float(max(share.max(), 1e-9))
    for key, value in (("p10", summary.p10_profit), ("p50", summary.p50_profit), ("p90", summary.p90_profit)):
        ax.axvline(value, color="#424242", lw=1, ls="--")
        ax.annotate(i18n.tr(f"chart.risk.{key}", lang, value=value_text(value, "money", lang)), (value, top),
                    xytext=(3, 0), textcoords="offset points", rotation=90, va="top",
                    bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    unit = kind_axis(ax.xaxis, "money", lang, [low, high])
    ax.set_xlabel(i18n.tr("chart.risk.profit_axis", lang, unit=unit) if unit else i18n.tr("chart.risk.profit", lang))
    ax.yaxis.set_major_formatter(TickLabels(lambda y, _pos: fmt.percent(y, lang, decimals=1)))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.set_ylabel(i18n.tr("chart.risk.share_of_seasons", lang))
    axes_title(ax, i18n.tr("chart.risk.histogram_title", lang, probability=fmt.percent(summary.probability_of_loss, lang)))
    from matplotlib.patches import Patch

    handles = [Patch(color=COST_COLOUR, alpha=0.75, label=i18n.tr("chart.risk.loss", lang)),
               Patch(color=REVENUE_COLOUR, alpha=0.75, label=i18n.tr("chart.risk.gain", lang))]
    if other is not None:
        from matplotlib.lines import Line2D

        handles = [Patch(color="#9e9e9e", label=_plan_label(labels, 0, lang)),
                   Line2D([], [], color=SERIES_COLOURS[0], lw=1.8, label=_plan_label(labels, 1, lang)), *handles]
    legend_below(figure, handles)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def profit_s_curve(
    first: ProfitSimulation,
    second: ProfitSimulation,
    lang: str,
    labels: tuple[str, str] | None = None,
) -> Figure:
    """Cumulative chart ("S-curve") of two plans: for each profit, the share of seasons below it.

    Where a curve crosses zero profit is that plan's probability of a loss; the curve further
    right is the plan that earns more in that share of seasons; a steeper curve is a safer plan.
    """
    levels = np.linspace(0, 1, _CURVE_POINTS)
    figure = Figure(figsize=(FIGURE_WIDTH, 4.0))
    frame_margins(figure, left=0.14, bottom=0.16)
    ax = figure.add_subplot()
    ends = []
    for index, simulation in enumerate((first, second)):
        curve = np.quantile(simulation.profit, levels)
        ends += [curve[0], curve[-1]]
        label = _plan_label(labels, index, lang)
        probability = fmt.percent(simulation.summary.probability_of_loss, lang)
        # solid and dashed as well as two colours: the two plans stay apart on a black-and-white handout
        ax.plot(curve, levels, color=SERIES_COLOURS[index], lw=2, ls=("-", "--")[index],
                label=i18n.tr("chart.risk.curve_label", lang, plan=label, probability=probability))
    ax.axvline(0, color=COST_COLOUR, lw=1)
    ax.axhline(0.5, color="#9e9e9e", lw=0.8, ls=":")
    unit = kind_axis(ax.xaxis, "money", lang, ends)
    ax.set_xlabel(i18n.tr("chart.risk.profit_axis", lang, unit=unit) if unit else i18n.tr("chart.risk.profit", lang))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(TickLabels(lambda y, _pos: fmt.percent(y, lang, decimals=0)))
    ax.set_ylabel(i18n.tr("chart.risk.share_below", lang))
    axes_title(ax, i18n.tr("chart.risk.s_curve_title", lang))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def yield_trend_chart(trend: YieldTrend, lang: str) -> Figure:
    """Viet Nam's coffee yield by year (t/ha, dots) and its straight-line trend."""
    table = trend.table
    years = table["year"].to_numpy()
    figure = Figure(figsize=(FIGURE_WIDTH, 3.6))
    frame_margins(figure, left=0.14, bottom=0.12)
    ax = figure.add_subplot()
    ax.plot(years, table["yield_kg_per_ha"] / 1000, "o-", color=SERIES_COLOURS[2], ms=4, lw=1,
            label=i18n.tr("chart.risk.yield", lang))
    ax.plot(years, table["trend_kg_per_ha"] / 1000, color=BASE_COLOUR, lw=1.5, ls="--",
            label=i18n.tr("chart.risk.trend", lang,
                          slope=fmt.number(trend.slope_kg_per_ha_per_year, lang, decimals=0)))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.xaxis.set_major_formatter(TickLabels(lambda x, _pos: str(int(x))))
    ax.yaxis.set_major_formatter(TickLabels(lambda y, _pos: fmt.number(y, lang, decimals=1)))
    ax.set_ylabel(i18n.tr("chart.risk.t_per_ha", lang))
    axes_title(ax, i18n.tr("chart.risk.yield_title", lang, start=str(trend.start_year), end=str(trend.end_year)))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def price_history_chart(swings: PriceSwings, lang: str, other: PriceSwings | None = None) -> Figure:
    """Monthly world price (USD/kg) over the period of ``swings``, lowest and highest months
    marked, the average dashed; ``other`` (e.g. arabica) as a second, thinner line."""
    monthly = swings.monthly
    x = np.arange(len(monthly))
    figure = Figure(figsize=(FIGURE_WIDTH, 3.6))
    frame_margins(figure, left=0.14, bottom=0.12)
    ax = figure.add_subplot()
    name = i18n.tr(f"chart.risk.series.{swings.commodity}", lang)
    ax.plot(x, monthly["usd_per_kg"], color=SERIES_COLOURS[1], lw=2, label=name)
    if other is not None and len(other.monthly) == len(monthly):
        ax.plot(x, other.monthly["usd_per_kg"], color=SERIES_COLOURS[4], lw=1,
                label=i18n.tr(f"chart.risk.series.{other.commodity}", lang))
    ax.axhline(swings.mean_usd_per_kg, color="#9e9e9e", lw=1, ls="--",
               label=i18n.tr("chart.risk.mean_price", lang, value=fmt.number(swings.mean_usd_per_kg, lang, decimals=2)))
    months = list(monthly["month"])
    for month, value, key in ((swings.minimum_month, swings.minimum_usd_per_kg, "chart.risk.lowest"),
                              (swings.maximum_month, swings.maximum_usd_per_kg, "chart.risk.highest")):
        at = months.index(month)
        right = at < len(months) / 2  # write the label towards the middle of the chart
        ax.plot([at], [value], "o", color=BASE_COLOUR, ms=5)
        ax.annotate(i18n.tr(key, lang, month=month, value=fmt.number(value, lang, decimals=2)), (at, value),
                    xytext=(8 if right else -8, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center")
    ax.margins(y=0.1)
    starts = [i for i, m in enumerate(months) if m.endswith("-01")]
    step = max(1, -(-len(starts) // 6))  # at most six years written
    ax.set_xticks(starts[::step], [months[i][:4] for i in starts[::step]])
    ax.yaxis.set_major_formatter(TickLabels(lambda y, _pos: fmt.number(y, lang, decimals=1)))
    ax.set_ylabel(i18n.tr("chart.risk.usd_per_kg", lang))
    axes_title(ax, i18n.tr("chart.risk.price_title", lang, series=name, start=swings.start_month, end=swings.end_month))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure
