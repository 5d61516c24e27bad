"""Charts of a year's surplus: where it goes, and what each member receives.

The numbers come from `coopkit.members.distribute_surplus`; this module only draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from coopkit import fmt, i18n
from coopkit.plots import BASE_COLOUR, COST_COLOUR, SERIES_COLOURS

if TYPE_CHECKING:
    from coopkit.members import Distribution

__all__ = ["member_income_chart"]

TRANSACTIONS_COLOUR = SERIES_COLOURS[0]
CAPITAL_COLOUR = SERIES_COLOURS[1]
FUND_COLOURS = (SERIES_COLOURS[2], SERIES_COLOURS[4], SERIES_COLOURS[3], SERIES_COLOURS[6])
TAX_COLOUR = "#9e9e9e"


def _millions(lang: str):
    return FuncFormatter(lambda x, _pos: fmt.number(x / 1e6, lang, decimals=1))


def member_income_chart(distribution: Distribution, lang: str, highlight: str | None = None) -> Figure:
    """Two panels, in millions of đồng. Left: where the surplus goes (tax, each fund, the members'
    pools by transactions and by capital), one bar each. Right: what each member receives, a bar
    split into the part paid by transactions and the part paid by capital; ``highlight`` (a
    member's name) is drawn with a dark edge.

    For a loss (or a zero surplus) the left panel says that nothing is distributed.
    """
    d = distribution
    shares = d.shares()
    names = {
        "income_tax": i18n.tr("chart.members.tax", lang),
        "by_transactions": i18n.tr("chart.members.by_transactions", lang),
        "by_capital": i18n.tr("chart.members.by_capital", lang),
    }
    for key, vi, en in zip(d.funds["key"], d.funds["name_vi"], d.funds["name_en"], strict=True):
        names[key] = en if lang == "en" else vi
    colours = {"income_tax": TAX_COLOUR, "by_transactions": TRANSACTIONS_COLOUR, "by_capital": CAPITAL_COLOUR}
    for i, key in enumerate(d.funds["key"]):
        colours[key] = FUND_COLOURS[i % len(FUND_COLOURS)]

    members = d.statement
    rows = max(len(shares), len(members))
    height = max(3.6, 0.32 * rows + 1.8)
    figure = Figure(figsize=(9, height))
    figure.subplots_adjust(left=0.22, right=0.97, top=1 - 0.45 / height, bottom=1.05 / height, wspace=0.75)
    where, per_member = figure.subplots(1, 2)

    y = list(range(len(shares)))[::-1]
    if d.surplus > 0:
        where.barh(y, shares["amount"], color=[colours[k] for k in shares["key"]], height=0.65)
        for yi, amount, share in zip(y, shares["amount"], shares["share"], strict=True):
            where.annotate(fmt.percent(share, lang, decimals=0), (amount, yi), xytext=(3, 0), textcoords="offset points",
                           va="center", fontsize=8)
        where.margins(x=0.22)
    else:
        key = "chart.members.loss" if d.is_loss else "chart.members.nothing"
        where.text(0.5, 0.5, i18n.tr(key, lang, loss=fmt.money(d.loss, lang)), transform=where.transAxes,
                   ha="center", va="center", fontsize=9, color=COST_COLOUR, wrap=True)
        where.set_xlim(0, 1)
        where.set_xticks([])
    where.set_yticks(y, [names[k] for k in shares["key"]], fontsize=8)
    where.set_title(i18n.tr("chart.members.where_title", lang), fontsize=10)
    if d.surplus > 0:
        where.xaxis.set_major_locator(MaxNLocator(nbins=4))
        where.xaxis.set_major_formatter(_millions(lang))
    where.set_xlabel(i18n.tr("chart.million_vnd", lang), fontsize=8)

    ym = list(range(len(members)))[::-1]
    edges = [BASE_COLOUR if name == highlight else "none" for name in members["member"]]
    per_member.barh(ym, members["by_transactions"], color=TRANSACTIONS_COLOUR, height=0.65, edgecolor=edges,
                    label=i18n.tr("chart.members.by_transactions", lang))
    per_member.barh(ym, members["by_capital"], left=members["by_transactions"], color=CAPITAL_COLOUR, height=0.65,
                    edgecolor=edges, label=i18n.tr("chart.members.by_capital", lang))
    per_member.set_yticks(ym, list(members["member"]), fontsize=8)
    per_member.set_title(i18n.tr("chart.members.member_title", lang), fontsize=10)
    per_member.xaxis.set_major_locator(MaxNLocator(nbins=4))
    per_member.xaxis.set_major_formatter(_millions(lang))
    per_member.set_xlabel(i18n.tr("chart.million_vnd", lang), fontsize=8)
    figure.legend(handles=per_member.get_legend_handles_labels()[0], loc="lower right", ncol=2, fontsize=7,
                  frameon=False)
    if not members["total"].gt(0).any():  # nothing shared: no scale to read
        per_member.set_xlim(0, 1)
        per_member.set_xticks([])
    for ax in (where, per_member):
        ax.spines[["top", "right"]].set_visible(False)
    return figure
