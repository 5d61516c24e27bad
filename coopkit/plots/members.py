"""Charts of a year's surplus: where it goes, and what each member receives.

The numbers come from `coopkit.members.distribute_surplus`; this module only draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coopkit import fmt, i18n
from coopkit.plots import (
    BASE_COLOUR,
    COST_COLOUR,
    FIGURE_WIDTH,
    SERIES_COLOURS,
    TickLabels,
    label_margin,
    legend_below,
    axes_title,
    wrap_label,
    styled,
)

if TYPE_CHECKING:
    from coopkit.members import Distribution

__all__ = ["member_income_chart"]

TRANSACTIONS_COLOUR = SERIES_COLOURS[0]
CAPITAL_COLOUR = SERIES_COLOURS[1]
FUND_COLOURS = (SERIES_COLOURS[2], SERIES_COLOURS[4], SERIES_COLOURS[3], SERIES_COLOURS[6])
TAX_COLOUR = "#9e9e9e"
INDIVISIBLE_COLOUR = SERIES_COLOURS[5]
OBLIGATIONS_COLOUR = "#bdbdbd"


def _millions(lang: str):
    return TickLabels(lambda x, _pos: fmt.number(x / 1e6, lang, decimals=1))


@styled
def member_income_chart(distribution: Distribution, lang: str, highlight: str | None = None) -> Figure:
    """Two panels, one above the other, in millions of đồng. Top: where the surplus goes in the order of the Law on
    Cooperatives 2023 (indivisible common fund, tax, obligations and past losses, each other fund,
    the members' pools by use and by capital), one bar each. Below: what each member receives, a bar
    split into the part paid by transactions and the part paid by capital; ``highlight`` (a
    member's name) is drawn with a dark edge.

    For a loss (or a zero surplus) the top panel says that nothing is distributed.
    """
    d = distribution
    shares = d.shares()
    names = {
        "indivisible_fund": i18n.tr("chart.members.indivisible", lang),
        "income_tax": i18n.tr("chart.members.tax", lang),
        "obligations": i18n.tr("chart.members.obligations", lang),
        "by_transactions": i18n.tr("chart.members.by_transactions", lang),
        "by_capital": i18n.tr("chart.members.by_capital", lang),
    }
    for key, vi, en in zip(d.funds["key"], d.funds["name_vi"], d.funds["name_en"], strict=True):
        names[key] = en if lang == "en" else vi
    colours = {"indivisible_fund": INDIVISIBLE_COLOUR, "income_tax": TAX_COLOUR, "obligations": OBLIGATIONS_COLOUR,
               "by_transactions": TRANSACTIONS_COLOUR, "by_capital": CAPITAL_COLOUR}
    for i, key in enumerate(d.funds["key"]):
        colours[key] = FUND_COLOURS[i % len(FUND_COLOURS)]

    members = d.statement
    # the two panels one above the other (a phone's column is narrow), heights in inches
    where_height, member_height = max(1.0, 0.4 * len(shares) + 0.2), max(1.0, 0.4 * len(members) + 0.2)
    gap, bottom = 1.3, 0.65  # the first panel's axis label and the second's title; the axis label
    height = 0.6 + where_height + gap + member_height + bottom
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    left = label_margin(figure, [*(wrap_label(name) for name in names.values()), *members["member"]]) + 0.02
    where = figure.add_axes((left, (bottom + member_height + gap) / height, 0.95 - left, where_height / height))
    per_member = figure.add_axes((left, bottom / height, 0.95 - left, member_height / height))

    y = list(range(len(shares)))[::-1]
    if d.surplus > 0:
        where.barh(y, shares["amount"], color=[colours[k] for k in shares["key"]], height=0.65)
        for yi, amount, share in zip(y, shares["amount"], shares["share"], strict=True):
            where.annotate(fmt.percent(share, lang, decimals=0), (amount, yi), xytext=(3, 0), textcoords="offset points",
                           va="center")
        where.margins(x=0.22)
    else:
        key = "chart.members.loss" if d.is_loss else "chart.members.nothing"
        where.text(0.5, 0.5, i18n.tr(key, lang, loss=fmt.money(d.loss, lang)), transform=where.transAxes,
                   ha="center", va="center", color=COST_COLOUR, wrap=True)
        where.set_xlim(0, 1)
        where.set_xticks([])
    where.set_yticks(y, [wrap_label(names[k]) for k in shares["key"]])
    axes_title(where, i18n.tr("chart.members.where_title", lang))
    if d.surplus > 0:
        where.xaxis.set_major_locator(MaxNLocator(nbins=4))
        where.xaxis.set_major_formatter(_millions(lang))
    where.set_xlabel(i18n.tr("chart.million_vnd", lang))

    ym = list(range(len(members)))[::-1]
    edges = [BASE_COLOUR if name == highlight else "none" for name in members["member"]]
    per_member.barh(ym, members["by_transactions"], color=TRANSACTIONS_COLOUR, height=0.65, edgecolor=edges,
                    label=i18n.tr("chart.members.by_transactions", lang))
    per_member.barh(ym, members["by_capital"], left=members["by_transactions"], color=CAPITAL_COLOUR, height=0.65,
                    edgecolor=edges, label=i18n.tr("chart.members.by_capital", lang))
    per_member.set_yticks(ym, list(members["member"]))
    axes_title(per_member, i18n.tr("chart.members.member_title", lang))
    per_member.xaxis.set_major_locator(MaxNLocator(nbins=4))
    per_member.xaxis.set_major_formatter(_millions(lang))
    per_member.set_xlabel(i18n.tr("chart.million_vnd", lang))
    legend_below(figure, per_member.get_legend_handles_labels()[0])
    if not members["total"].gt(0).any():  # nothing shared: no scale to read
        per_member.set_xlim(0, 1)
        per_member.set_xticks([])
    for ax in (where, per_member):
        ax.spines[["top", "right"]].set_visible(False)
    return figure
