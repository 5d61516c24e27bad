"""Chart of a seasonal cash plan: money in and out by month (bars) and month-end cash (line).

The numbers come from `coopkit.cashflow.cash_flow_plan`; this module only draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coopkit import fmt, i18n
from coopkit.cashflow import month_name
from coopkit.plots import (
    COST_COLOUR,
    FIGURE_WIDTH,
    HIGHER_COLOUR,
    LOWER_COLOUR,
    VARIABLE_COLOUR,
    TickLabels,
    frame_margins,
    legend_below,
    axes_title,
    styled,
)

if TYPE_CHECKING:
    from coopkit.cashflow import CashFlowPlan

__all__ = ["cash_flow_chart"]

#: Amounts on the axis are in millions of đồng.
MILLION = 1_000_000


@styled
def cash_flow_chart(plan: CashFlowPlan, lang: str) -> Figure:
    """Money in (green bars) and out (red bars) each month, and the cash at each month end
    (blue line), with the minimum cash to keep as a dashed line and the worst month marked.

    Months are labelled by their names, in the order of the plan; amounts in millions of đồng.
    """
    table = plan.table
    figure = Figure(figsize=(FIGURE_WIDTH, 4.0))
    frame_margins(figure, left=0.13, bottom=0.16)
    ax = figure.add_subplot()
    x = np.arange(len(table))
    width = 0.38
    ax.bar(x - width / 2, table["inflow"] / MILLION, width=width, color=VARIABLE_COLOUR,
           label=i18n.tr("chart.cash_flow.inflow", lang))
    ax.bar(x + width / 2, table["outflow"] / MILLION, width=width, color=COST_COLOUR, alpha=0.8,
           label=i18n.tr("chart.cash_flow.outflow", lang))
    ax.plot(x, table["month_end_cash"] / MILLION, color=HIGHER_COLOUR, lw=2.2, marker="o", ms=4,
            label=i18n.tr("chart.cash_flow.month_end_cash", lang))
    ax.axhline(plan.minimum_cash / MILLION, color=LOWER_COLOUR, lw=1.3, ls="--",
               label=i18n.tr("chart.cash_flow.minimum", lang, minimum=fmt.money(plan.minimum_cash, lang)))
    ax.axhline(0, color="#616161", lw=0.8)
    worst = plan.worst_month - 1
    ax.annotate(i18n.tr("chart.cash_flow.worst", lang, cash=fmt.money(plan.lowest_cash, lang)),
                xy=(worst, plan.lowest_cash / MILLION), xytext=(0, -16 if plan.lowest_cash < 0 else 12),
                textcoords="offset points", ha="center", va="top" if plan.lowest_cash < 0 else "bottom", color=HIGHER_COLOUR)
    ax.set_xticks(x)
    # every month named; on a narrow chart the names stand upright so that they never touch
    ax.set_xticklabels([month_name(m, lang, short=True) for m in table["calendar_month"]],
                       rotation=90 if len(table) > 6 else 0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.yaxis.set_major_formatter(TickLabels(lambda v, _pos: fmt.number(v, lang)))
    ax.set_ylabel(i18n.tr("chart.cash_flow.million", lang))
    low = min(0.0, float(table["month_end_cash"].min()) / MILLION)
    ax.set_ylim(bottom=low * 1.25 if low < 0 else 0)
    ax.spines[["top", "right"]].set_visible(False)
    axes_title(ax, i18n.tr("chart.cash_flow.title", lang))
    legend_below(figure)
    return figure
