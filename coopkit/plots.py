"""matplotlib figures for the apps: each function takes results and returns a Figure.

No computation happens here (the numbers come from the domain functions) and no pyplot
state is used, so figures are safe to make in any kernel. Labels come from the catalogues and
numbers on axes are formatted by the locale. DejaVu Sans (matplotlib's default) covers
Vietnamese diacritics and ₫.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from coopkit import fmt, i18n

if TYPE_CHECKING:
    import pandas as pd

    from coopkit.breakeven import BreakEven

__all__ = ["cost_chart", "cvp_chart", "channel_chart"]

FIXED_COLOUR = "#5c6bc0"
VARIABLE_COLOUR = "#66bb6a"
COST_COLOUR = "#c62828"
REVENUE_COLOUR = "#1b5e20"


def _frame(figure: Figure, *, left: float = 0.1, bottom: float = 0.16) -> None:
    """Fixed margins: one draw per figure (constrained layout draws twice, which doubles the time)."""
    figure.subplots_adjust(left=left, right=0.95, top=0.92, bottom=bottom)


def _label_margin(figure: Figure, labels, fontsize: float = 10.0) -> float:
    """Left margin (fraction of the width) that fits the longest bar label, estimated from its length."""
    longest = max((len(str(label)) for label in labels), default=0)
    width_pt = figure.get_figwidth() * 72  # figure width in points, as font sizes are
    return min(0.55, (longest * fontsize * 0.55 + 14) / width_pt)


def _money_axis(axis, lang: str, scale: float = 1.0) -> None:
    decimals = 1 if scale > 1 else 0
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.number(x / scale, lang, decimals=decimals)))


def cost_chart(breakdown: "pd.DataFrame", unit_cost: float, lang: str, unit_label: str) -> Figure:
    """What one unit costs, item by item (₫ per unit), fixed and variable items coloured apart.

    ``breakdown`` is `coopkit.cost_breakdown`'s table.
    """
    rows = breakdown.sort_values("per_unit")
    height = 0.4 * len(rows) + 1.6
    figure = Figure(figsize=(8, height))
    _frame(figure, left=_label_margin(figure, rows["name"]), bottom=1.0 / height)
    ax = figure.add_subplot()
    colours = [FIXED_COLOUR if kind == "fixed" else VARIABLE_COLOUR for kind in rows["kind"]]
    ax.barh(rows["name"], rows["per_unit"], color=colours)
    _money_axis(ax.xaxis, lang)
    ax.set_xlabel(i18n.tr("chart.vnd_per_unit", lang, unit=unit_label))
    ax.set_title(i18n.tr("chart.cost.title", lang, unit=unit_label, cost=fmt.money(unit_cost, lang)))
    from matplotlib.patches import Patch

    figure.legend(
        handles=[
            Patch(color=FIXED_COLOUR, label=i18n.tr("cost.kind.fixed", lang)),
            Patch(color=VARIABLE_COLOUR, label=i18n.tr("cost.kind.variable", lang)),
        ],
        loc="lower center",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def cvp_chart(table: "pd.DataFrame", result: "BreakEven", lang: str, unit_label: str) -> Figure:
    """Cost-volume-profit chart: revenue and total costs against volume, break-even marked.

    ``table`` is `coopkit.cvp_table`'s output and ``result`` the `coopkit.break_even` result.
    """
    figure = Figure(figsize=(8, 4.2))
    _frame(figure, left=0.1, bottom=0.13)
    ax = figure.add_subplot()
    volume = table["volume"]
    ax.plot(volume, table["revenue"], color=REVENUE_COLOUR, lw=2, label=i18n.tr("chart.cvp.revenue", lang))
    ax.plot(volume, table["total_costs"], color=COST_COLOUR, lw=2, label=i18n.tr("chart.cvp.total_costs", lang))
    ax.plot(volume, table["fixed_costs"], color=FIXED_COLOUR, lw=1, ls="--", label=i18n.tr("chart.cvp.fixed_costs", lang))
    above = table["revenue"] >= table["total_costs"]
    ax.fill_between(volume, table["revenue"], table["total_costs"], where=above, color=REVENUE_COLOUR, alpha=0.12,
                    label=i18n.tr("chart.cvp.profit", lang))
    ax.fill_between(volume, table["revenue"], table["total_costs"], where=~above, color=COST_COLOUR, alpha=0.12,
                    label=i18n.tr("chart.cvp.loss", lang))
    bev = result.break_even_volume
    if bev <= float(volume.max()):
        ax.axvline(bev, color="#444", lw=1, ls=":")
        ax.annotate(i18n.tr("chart.cvp.break_even", lang, volume=fmt.number(bev, lang), unit=unit_label),
                    (bev, result.break_even_revenue), xytext=(6, -14), textcoords="offset points", fontsize=8)
    ax.axvline(result.volume, color=REVENUE_COLOUR, lw=1)
    ax.annotate(i18n.tr("chart.cvp.planned", lang), (result.volume, 0), xytext=(4, 6), textcoords="offset points",
                fontsize=8, color=REVENUE_COLOUR)
    _money_axis(ax.yaxis, lang, scale=1e6)
    _money_axis(ax.xaxis, lang)
    ax.set_ylabel(i18n.tr("chart.million_vnd", lang))
    ax.set_xlabel(i18n.tr("chart.volume", lang, unit=unit_label))
    ax.set_title(i18n.tr("chart.cvp.title", lang))
    ax.legend(fontsize=8, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def channel_chart(comparison: "pd.DataFrame", cost_per_unit: float, lang: str, unit_label: str) -> Figure:
    """Per channel, what the cooperative keeps of the list price and what goes to fees.

    ``comparison`` is `coopkit.compare_channels`'s table. A red line marks the cost per unit:
    a channel whose green bar stops left of it loses money on every unit.
    """
    rows = comparison.iloc[::-1]
    height = 0.42 * len(rows) + 1.6
    figure = Figure(figsize=(8, height))
    _frame(figure, left=_label_margin(figure, rows["channel"]), bottom=1.0 / height)
    ax = figure.add_subplot()
    net = rows["net_per_unit"]
    ax.barh(rows["channel"], net, color=VARIABLE_COLOUR, label=i18n.tr("chart.channel.net", lang))
    ax.barh(rows["channel"], rows["fees_per_unit"], left=net.clip(lower=0), color="#bdbdbd",
            label=i18n.tr("chart.channel.fees", lang))
    ax.axvline(cost_per_unit, color=COST_COLOUR, lw=1.5, label=i18n.tr("chart.channel.cost", lang))
    ax.axvline(0, color="#444", lw=0.8)
    _money_axis(ax.xaxis, lang)
    ax.set_xlabel(i18n.tr("chart.vnd_per_unit", lang, unit=unit_label))
    ax.set_title(i18n.tr("chart.channel.title", lang, unit=unit_label))
    figure.legend(fontsize=8, loc="lower center", ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return figure
