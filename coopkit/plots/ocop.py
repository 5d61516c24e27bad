"""Chart of an OCOP self-assessment and its upgrade: points by part, and the running cash total.

The numbers come from `coopkit.ocop` (`assess`, `cheapest_upgrade`, `appraise_upgrade`); this
module only draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coopkit import fmt, i18n
from coopkit.plots import (
    COST_COLOUR,
    FIGURE_WIDTH,
    FONT_SIZE,
    HIGHER_COLOUR,
    LOWER_COLOUR,
    REVENUE_COLOUR,
    TickLabels,
    axes_title,
    frame_margins,
    legend_below,
    styled,
)

if TYPE_CHECKING:
    from coopkit.ocop import Assessment, UpgradeAppraisal, UpgradePlan

__all__ = ["ocop_chart"]

_LEFT_COLOUR = "#d9d9d9"


@styled
def ocop_chart(assessment: Assessment, plan: UpgradePlan | None, appraisal: UpgradeAppraisal | None,
               lang: str) -> Figure:
    """Top: the points of parts A, B and C as bars out of their maximum, green for what is met,
    orange for what the plan adds, grey for the rest. Bottom (when there is a plan): the running
    total of the upgrade's cash, year by year, most likely (line) and worst and best (dashed);
    where the line crosses zero the upgrade has paid back.
    """

    def text(key: str, **params: object) -> str:
        return i18n.tr(f"app.ocop_stars.{key}", lang, **params)

    with_cash = appraisal is not None
    figure = Figure(figsize=(FIGURE_WIDTH, 5.6 if with_cash else 2.8))
    frame_margins(figure, left=0.12, bottom=0.12 if with_cash else 0.25)
    grid = figure.add_gridspec(2 if with_cash else 1, 1, height_ratios=[1, 1.5] if with_cash else [1], hspace=0.65)
    ax = figure.add_subplot(grid[0])
    parts = list(assessment.points_by_part)
    got = np.array([assessment.points_by_part[p][0] for p in parts], dtype=float)
    out_of = np.array([assessment.points_by_part[p][1] for p in parts], dtype=float)
    added = np.array([sum(c.points for c in plan.criteria if c.part == p) if plan else 0 for p in parts], dtype=float)
    y = np.arange(len(parts))[::-1]
    ax.barh(y, got, color=REVENUE_COLOUR, height=0.6, label=text("chart_got"))
    ax.barh(y, added, left=got, color=LOWER_COLOUR, height=0.6, label=text("chart_plan"))
    ax.barh(y, out_of - got - added, left=got + added, color=_LEFT_COLOUR, height=0.6, label=text("chart_missing"))
    for yi, g, total in zip(y, got, out_of, strict=True):
        ax.text(total + 0.8, yi, f"{fmt.number(g, lang)} / {fmt.number(total, lang)}", va="center", fontsize=FONT_SIZE)
    ax.set_yticks(y, parts)
    ax.set_xlim(0, max(out_of) * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    axes_title(ax, f"{text('chart_points')}: {fmt.number(assessment.total, lang)} / 100")

    if with_cash:
        cash = figure.add_subplot(grid[1])
        for case, colour, style in (("worst", COST_COLOUR, "--"), ("likely", REVENUE_COLOUR, "-"),
                                    ("best", HIGHER_COLOUR, "--")):
            frame = appraisal.to_frame(case)
            cash.plot(frame.index, frame["cumulative"] / 1e6, color=colour, ls=style, lw=2 if style == "-" else 1.3,
                      marker="o" if style == "-" else None, ms=3.5, label=text(f"chart_{case}"))
        cash.axhline(0, color="#555555", lw=0.8)
        cash.xaxis.set_major_locator(MaxNLocator(integer=True))
        cash.yaxis.set_major_locator(MaxNLocator(nbins=5))
        cash.yaxis.set_major_formatter(TickLabels(lambda v, _pos: fmt.number(v, lang)))
        cash.set_xlabel(text("chart_year"))
        cash.set_ylabel(text("chart_million"))
        cash.spines[["top", "right"]].set_visible(False)
        axes_title(cash, text("chart_cash"))
    legend_below(figure)
    return figure
