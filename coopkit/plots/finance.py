"""Charts of loans and investments: each payment split into interest and principal with the
balance owed, and the cumulative cash flow that shows when the money is back.

The numbers come from `coopkit.loans` and `coopkit.investment`; this module only draws them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from coopkit import fmt, i18n
from coopkit.plots import (
    BASE_COLOUR,
    COST_COLOUR,
    FIXED_COLOUR,
    PROFIT_COLOUR,
    REVENUE_COLOUR,
    VARIABLE_COLOUR,
    FIGURE_WIDTH,
    axis_label,
    draw_bars,
    legend_columns,
    frame_margins,
    kind_axis,
    legend_below,
    axes_title,
    styled,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from coopkit.investment import Appraisal
    from coopkit.plots.render import Stack

__all__ = ["investment_chart", "investment_stack", "loan_chart", "payback_chart"]

#: The two-panel investment chart (inches): its size, margins (fractions) and the gap between panels
#: (a fraction of a panel's height), and where `investment_stack` cuts it in two (clear of both
#: the loan legend above and the cash-flow title below).
_TWO_PANELS = {"height": 8.0, "left": 0.16, "right": 0.84, "top": 0.94, "bottom": 0.14, "hspace": 0.75}
_CUT = 4.0


def _loan_panel(ax: Axes, schedule: pd.DataFrame | None, lang: str) -> Axes | None:
    """Stacked bars (interest, principal) per payment and the balance line on a right axis."""
    axes_title(ax, i18n.tr("chart.invest.loan_title", lang))
    ax.spines[["top"]].set_visible(False)
    if schedule is None or schedule.empty:
        ax.text(0.5, 0.5, i18n.tr("chart.invest.no_loan", lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return None
    periods = schedule["period"]
    draw_bars(ax, periods, schedule["interest"], color=COST_COLOUR, label=i18n.tr("chart.invest.interest", lang))
    draw_bars(ax, periods, schedule["principal"], bottom=schedule["interest"], color=FIXED_COLOUR,
          label=i18n.tr("chart.invest.principal", lang))
    ax.set_ylim(bottom=0)
    unit = kind_axis(ax.yaxis, "money", lang, schedule["payment"])
    ax.set_ylabel(axis_label(i18n.tr("app.investment.payment", lang), unit, lang))
    ax.set_xlabel(i18n.tr("chart.invest.period", lang))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    balance_ax = ax.twinx()
    balance_ax.plot(periods, schedule["balance"], color=BASE_COLOUR, lw=1.8, label=i18n.tr("chart.invest.balance", lang))
    balance_ax.set_ylim(bottom=0)
    balance_unit = kind_axis(balance_ax.yaxis, "money", lang, schedule["balance"])
    balance_ax.set_ylabel(axis_label(i18n.tr("app.investment.balance", lang), balance_unit, lang))
    balance_ax.spines[["top"]].set_visible(False)
    return balance_ax


def _payback_panel(ax: Axes, appraisal: Appraisal, lang: str) -> None:
    """Cumulative cash of the project and of the own funds by year; the project's payback marked."""
    table = appraisal.table
    years = table["year"]
    ax.plot(years, table["cumulative_project"], color=REVENUE_COLOUR, lw=2, marker="o", ms=3.5,
            label=i18n.tr("chart.invest.project", lang))
    ax.plot(years, table["cumulative_own"], color=PROFIT_COLOUR, lw=2, marker="s", ms=3.5, ls="--",
            label=i18n.tr("chart.invest.own", lang))
    ax.axhline(0, color="#9e9e9e", lw=0.8)
    payback = appraisal.project_payback_years
    if payback is not None and math.isfinite(payback) and payback > 0:
        ax.axvline(payback, color=VARIABLE_COLOUR, lw=1.4, ls=":",
                   label=i18n.tr("chart.invest.payback", lang, years=fmt.number(payback, lang, decimals=1)))
    unit = kind_axis(ax.yaxis, "money", lang, [*table["cumulative_project"], *table["cumulative_own"]])
    ax.set_ylabel(unit)
    ax.set_xlabel(i18n.tr("chart.invest.year", lang))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    axes_title(ax, i18n.tr("chart.invest.cash_title", lang))
    ax.spines[["top", "right"]].set_visible(False)


@styled
def loan_chart(schedule: pd.DataFrame, lang: str) -> Figure:
    """Each payment of a loan as a bar split into interest (red, below) and principal (blue),
    with the balance still owed as a black line on the right axis.

    ``schedule`` is `coopkit.loans.loan_schedule`'s table.
    """
    figure = Figure(figsize=(FIGURE_WIDTH, 3.6))
    frame_margins(figure, left=0.16, bottom=0.18)
    figure.subplots_adjust(right=0.84)
    _loan_panel(figure.add_subplot(), schedule, lang)
    legend_below(figure)
    return figure


@styled
def payback_chart(appraisal: Appraisal, lang: str) -> Figure:
    """The running total of cash, year by year, for the project (green) and for the
    cooperative's own funds (purple, dashed): money is back where a line crosses zero.

    ``appraisal`` is `coopkit.investment.appraise`'s result.
    """
    figure = Figure(figsize=(FIGURE_WIDTH, 3.6))
    frame_margins(figure, left=0.16, bottom=0.18)
    _payback_panel(figure.add_subplot(), appraisal, lang)
    legend_below(figure)
    return figure


def _loan_legend(top: Axes, balance_ax: Axes | None) -> None:
    """The loan panel's legend under its axis label (0.5 in below the axes)."""
    handles, labels = top.get_legend_handles_labels()
    if balance_ax is not None:
        more = balance_ax.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    below = ScaledTranslation(0, -0.5, top.figure.dpi_scale_trans)
    top.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=top.transAxes + below,
               ncol=legend_columns(top.figure, labels), frameon=False)


def _payback_legend(bottom: Axes) -> None:
    below = ScaledTranslation(0, -0.5, bottom.figure.dpi_scale_trans)
    labels = bottom.get_legend_handles_labels()[1]
    bottom.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=bottom.transAxes + below,
                  ncol=legend_columns(bottom.figure, labels), frameon=False)


@styled
def investment_chart(appraisal: Appraisal, lang: str) -> Figure:
    """Both charts in one figure (one image for the app): the loan's payments on top, the
    cumulative cash flow below. Without a loan, only the cumulative cash flow."""
    if appraisal.loan is None:
        return payback_chart(appraisal, lang)
    p = _TWO_PANELS
    figure = Figure(figsize=(FIGURE_WIDTH, p["height"]))
    figure.subplots_adjust(left=p["left"], right=p["right"], top=p["top"], bottom=p["bottom"], hspace=p["hspace"])
    top, bottom = figure.subplots(2, 1)
    _loan_legend(top, _loan_panel(top, appraisal.loan.schedule, lang))
    _payback_panel(bottom, appraisal, lang)
    _payback_legend(bottom)
    return figure


def _panel_height() -> float:
    """Height of one panel of `investment_chart` (inches)."""
    p = _TWO_PANELS
    return (p["top"] - p["bottom"]) * p["height"] / (2 + p["hspace"])


@styled
def _loan_part(schedule: pd.DataFrame, lang: str) -> Figure:
    """The top of `investment_chart` (above `_CUT`), as a figure of its own."""
    p, panel = _TWO_PANELS, _panel_height()
    height = p["height"] - _CUT
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    top = figure.add_axes((p["left"], (p["top"] * p["height"] - panel - _CUT) / height,
                           p["right"] - p["left"], panel / height))
    _loan_legend(top, _loan_panel(top, schedule, lang))
    return figure


@styled
def _payback_part(appraisal: Appraisal, lang: str) -> Figure:
    """The bottom of `investment_chart` (below `_CUT`), as a figure of its own."""
    p, panel = _TWO_PANELS, _panel_height()
    figure = Figure(figsize=(FIGURE_WIDTH, _CUT))
    bottom = figure.add_axes((p["left"], p["bottom"] * p["height"] / _CUT, p["right"] - p["left"], panel / _CUT))
    _payback_panel(bottom, appraisal, lang)
    _payback_legend(bottom)
    return figure


@styled
def investment_stack(appraisal: Appraisal, lang: str) -> Figure | Stack:
    """`investment_chart` for an app: the same image, drawn as two parts, so that a change that
    leaves the loan as it was (price, life, revenue, costs, discount rate…) redraws only the
    cash-flow panel. Without a loan, the cash-flow chart."""
    from coopkit.plots.render import Stack

    if appraisal.loan is None:
        return payback_chart(appraisal, lang)
    schedule = appraisal.loan.schedule
    loan_key = ("investment.loan", lang, tuple(schedule.columns),
                schedule.to_numpy(dtype=float).tobytes())
    return Stack([(loan_key, lambda: _loan_part(schedule, lang)),
                  (None, lambda: _payback_part(appraisal, lang))])
