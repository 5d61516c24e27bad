"""matplotlib figures for the apps: each function takes results and returns a Figure.

No computation happens here (the numbers come from the domain functions) and no pyplot
state is used, so figures are safe to make in any kernel. Labels come from the catalogues and
numbers on axes are formatted by the locale. DejaVu Sans (matplotlib's default) covers
Vietnamese diacritics and ₫.

The chart modules (``coopkit.plots.risk``, ``.finance``…) share the drawing parts defined here:
`wrap_label`, `axes_title`, `legend_below`, `legend_columns`, `draw_bars`, `frame_margins`,
`label_margin`, `TickLabels`, `kind_axis`, `axis_label`, `value_text`.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from coopkit import fields, fmt, i18n

if TYPE_CHECKING:
    import pandas as pd

    from coopkit.breakeven import BreakEven

__all__ = [
    "channel_chart",
    "cost_chart",
    "cvp_chart",
    "heatmap_chart",
    "price_response_chart",
    "scenario_chart",
    "spider_chart",
    "tornado_chart",
]

FIXED_COLOUR = "#5c6bc0"
VARIABLE_COLOUR = "#66bb6a"
COST_COLOUR = "#c62828"
REVENUE_COLOUR = "#1b5e20"
LOWER_COLOUR = "#ef6c00"
HIGHER_COLOUR = "#1e88e5"
PROFIT_COLOUR = "#6a1b9a"
BASE_COLOUR = "#212121"
#: one colour per line or bar series (Okabe–Ito, readable by colour-blind readers)
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")

# Size and type: one place for every chart ----------------------------------------------------
# Managers read the charts on cheap phones (a column of about 380 CSS px at a 412 px screen) as
# well as on a projector. A chart image is shrunk to the column, so what counts is the text size
# relative to the figure's width: FONT_SIZE / 72 × (shown width in px) / FIGURE_WIDTH px. At
# 5.5 in and 10 pt, text stays above 9 CSS px down to a 360 px wide image (tests/browser/test_phone.py
# measures it); on a desktop the image is shown at its natural size (FIGURE_WIDTH × DPI px).

#: Width of every chart, in inches (panels are stacked, never side by side, to keep it).
FIGURE_WIDTH = 5.5
#: Resolution of the PNG the apps show (`coopkit.ui.base.figure_png`): 96 dpi, so 1 pt is 4/3 px.
DPI = 96
#: The smallest text a chart draws (points): tick labels, legends, notes on bars and lines.
FONT_SIZE = 10.0
#: Chart titles (points).
TITLE_SIZE = 11.5
#: The matplotlib settings every chart is drawn with (see `styled`).
STYLE = {
    "font.size": FONT_SIZE,
    "axes.titlesize": TITLE_SIZE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "legend.title_fontsize": FONT_SIZE,
    "figure.titlesize": TITLE_SIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    # Text is drawn as typed: a member or scenario name with two "$" is not TeX (mathtext), which
    # drew it in italics or, with a stray "^", broke the whole chart.
    "text.parse_math": False,
}

_Chart = TypeVar("_Chart", bound=Callable[..., Figure])


def styled(chart: _Chart) -> _Chart:
    """Draw ``chart`` with `STYLE` (text sizes are read when each text is made, so the whole
    function runs inside the settings); every public chart function is decorated with it."""

    @functools.wraps(chart)
    def draw(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return chart(*args, **kwargs)

    return draw  # type: ignore[return-value]


def wrap_label(label: object, width: int = 22) -> str:
    """A long bar label on a few short lines, so that it does not take half of a narrow chart."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def axes_title(ax, text: str, width: int = 48) -> None:
    """``ax``'s title, on two lines or more when it would not fit a narrow chart."""
    ax.set_title("\n".join(textwrap.wrap(text, width)) or text)


def legend_below(figure: Figure, handles: list | None = None, labels: list[str] | None = None) -> None:
    """The figure's legend under the chart (the PNG is cropped to its content, so it grows to
    hold it), in as many columns as fit the figure's width at `FONT_SIZE`."""
    if handles is None:
        handles, labels = [], []
        for ax in figure.axes:
            more = ax.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
    elif labels is None:
        labels = [h.get_label() for h in handles]
    if not handles:
        return
    figure.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=legend_columns(figure, labels),
                  frameon=False, handlelength=1.6, columnspacing=1.0)


def legend_columns(figure: Figure, labels: Iterable[str]) -> int:
    """How many legend entries of ``labels`` fit side by side in the figure's width (at least 1)."""
    labels = [str(label) for label in labels]
    if not labels:
        return 1
    widest = max(len(label) for label in labels) * FONT_SIZE * 0.55 + 3.2 * FONT_SIZE  # text + line sample
    return max(1, min(len(labels), int(figure.get_figwidth() * 72 * 0.95 // widest)))


def draw_bars(ax, x: Iterable[float], heights: Iterable[float], *, bottom: Iterable[float] | None = None,
          width: float = 0.8, color: str, label: str | None = None):
    """Vertical bars as one PolyCollection: drawn like ``ax.bar`` but several times faster when
    there are many (``ax.bar`` makes one artist per bar; an app redraws on every change).

    Returns the collection; its ``get_paths()`` are the bars' rectangles, in order.
    """
    import numpy as np
    from matplotlib.collections import PolyCollection

    x = np.asarray(list(x), dtype=float)
    top = np.asarray(list(heights), dtype=float)
    base = np.zeros_like(top) if bottom is None else np.asarray(list(bottom), dtype=float)
    top = base + top
    left, right = x - width / 2, x + width / 2
    corners = np.stack([np.column_stack(pair) for pair in ((left, base), (left, top), (right, top), (right, base))], axis=1)
    bars = PolyCollection(corners, facecolors=color, edgecolors="none", label=label)
    ax.add_collection(bars)
    ax.update_datalim(corners.reshape(-1, 2))
    ax.autoscale_view()
    return bars


def frame_margins(figure: Figure, *, left: float = 0.1, bottom: float = 0.16) -> None:
    """Fixed margins: one draw per figure (constrained layout draws twice, which doubles the time)."""
    figure.subplots_adjust(left=left, right=0.95, top=0.92, bottom=bottom)


def label_margin(figure: Figure, labels, fontsize: float = FONT_SIZE) -> float:
    """Left margin (fraction of the width) that fits the longest bar label (longest line of it),
    estimated from its length."""
    longest = max((len(line) for label in labels for line in str(label).split("\n")), default=0)
    width_pt = figure.get_figwidth() * 72  # figure width in points, as font sizes are
    return min(0.55, (longest * fontsize * 0.55 + 14) / width_pt)


class TickLabels(FuncFormatter):
    """A tick formatter that writes each value once: matplotlib formats every tick three or four
    times a draw (and Babel takes 50–100 µs a number). ``text(x, pos)`` must not depend on ``pos``."""

    def __init__(self, text: Callable[[float, int | None], str]) -> None:
        written: dict[float, str] = {}

        def write(x: float, pos: int | None = None) -> str:
            label = written.get(x)
            if label is None:
                label = written[x] = text(x, pos)
            return label

        super().__init__(write)


def _money_axis(axis, lang: str, scale: float = 1.0) -> None:
    decimals = 1 if scale > 1 else 0
    axis.set_major_formatter(TickLabels(lambda x, _pos: fmt.number(x / scale, lang, decimals=decimals)))


@styled
def cost_chart(breakdown: pd.DataFrame, unit_cost: float, lang: str, unit_label: str) -> Figure:
    """What one unit costs, item by item (₫ per unit), fixed and variable items coloured apart.

    ``breakdown`` is `coopkit.costs.cost_breakdown`'s table.
    """
    rows = breakdown.sort_values("per_unit")
    names = [wrap_label(name) for name in rows["name"]]
    height = 0.45 * len(rows) + 1.3
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    frame_margins(figure, left=label_margin(figure, names), bottom=0.65 / height)
    figure.subplots_adjust(top=1 - 0.5 / height)
    ax = figure.add_subplot()
    colours = [FIXED_COLOUR if kind == "fixed" else VARIABLE_COLOUR for kind in rows["kind"]]
    ax.barh(range(len(rows)), rows["per_unit"], color=colours)
    ax.set_yticks(range(len(rows)), names)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    _money_axis(ax.xaxis, lang)
    ax.set_xlabel(i18n.tr("chart.vnd_per_unit", lang, unit=unit_label))
    axes_title(ax, i18n.tr("chart.cost.title", lang, unit=unit_label, cost=fmt.money(unit_cost, lang)))
    from matplotlib.patches import Patch

    legend_below(figure, [Patch(color=FIXED_COLOUR, label=i18n.tr("cost.kind.fixed", lang)),
                           Patch(color=VARIABLE_COLOUR, label=i18n.tr("cost.kind.variable", lang))])
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def cvp_chart(table: pd.DataFrame, result: BreakEven, lang: str, unit_label: str) -> Figure:
    """Cost-volume-profit chart: revenue and total costs against volume, break-even marked.

    ``table`` is `coopkit.breakeven.cvp_table`'s output and ``result`` the `coopkit.break_even` result.
    """
    figure = Figure(figsize=(FIGURE_WIDTH, 4.2))
    frame_margins(figure, left=0.14, bottom=0.16)
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
                    (bev, result.break_even_revenue), xytext=(6, -14), textcoords="offset points")
    ax.axvline(result.volume, color=REVENUE_COLOUR, lw=1)
    ax.annotate(i18n.tr("chart.cvp.planned", lang), (result.volume, 0), xytext=(4, 6), textcoords="offset points", color=REVENUE_COLOUR)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    _money_axis(ax.yaxis, lang, scale=1e6)
    _money_axis(ax.xaxis, lang)
    ax.set_ylabel(i18n.tr("chart.million_vnd", lang))
    ax.set_xlabel(i18n.tr("chart.volume", lang, unit=unit_label))
    axes_title(ax, i18n.tr("chart.cvp.title", lang))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def channel_chart(comparison: pd.DataFrame, cost_per_unit: float, lang: str, unit_label: str) -> Figure:
    """Per channel, what the cooperative keeps of the list price and what goes to fees.

    ``comparison`` is `coopkit.compare_channels`'s table. A red line marks the cost per unit:
    a channel whose green bar stops left of it loses money on every unit.
    """
    rows = comparison.iloc[::-1]
    names = [wrap_label(name) for name in rows["channel"]]
    height = 0.45 * len(rows) + 1.3
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    frame_margins(figure, left=label_margin(figure, names), bottom=0.65 / height)
    figure.subplots_adjust(top=1 - 0.5 / height)
    ax = figure.add_subplot()
    net = rows["net_per_unit"]
    y = range(len(rows))
    ax.barh(y, net, color=VARIABLE_COLOUR, label=i18n.tr("chart.channel.net", lang))
    ax.barh(y, rows["fees_per_unit"], left=net.clip(lower=0), color="#bdbdbd",
            label=i18n.tr("chart.channel.fees", lang))
    ax.set_yticks(y, names)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.axvline(cost_per_unit, color=COST_COLOUR, lw=1.5, label=i18n.tr("chart.channel.cost", lang))
    ax.axvline(0, color="#444", lw=0.8)
    _money_axis(ax.xaxis, lang)
    ax.set_xlabel(i18n.tr("chart.vnd_per_unit", lang, unit=unit_label))
    axes_title(ax, i18n.tr("chart.channel.title", lang, unit=unit_label))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


# What-if charts -----------------------------------------------------------------------------
# The what-if tools (`coopkit.whatif`) return plain DataFrames; these charts draw them. Values
# on axes are formatted by the kind of the field they show (money, rate, number), labels come
# from `coopkit.fields.label`, other words from the ``chart.*`` catalogue keys.

_MILLIONS = 1e7  # money axes whose values reach this are shown in millions of đồng


def _finite(values: Iterable[float]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _in_millions(kind: str, values: Iterable[float]) -> bool:
    return kind == "money" and max((abs(v) for v in _finite(values)), default=0.0) >= _MILLIONS


def _tick(kind: str, lang: str, millions: bool):
    """Tick text for a value of ``kind``: money (in millions when ``millions``), rate as %, or a number."""
    if millions:
        return lambda x: fmt.number(x / 1e6, lang, decimals=1)
    if kind == "money":
        return lambda x: fmt.money(x, lang)
    if kind == "rate":
        return lambda x: fmt.percent(x, lang, decimals=1)
    return lambda x: fmt.by_kind(x, kind, lang)


def kind_axis(axis, kind: str, lang: str, values: Iterable[float]) -> str:
    """Format ``axis`` for values of ``kind``; returns the unit to add to its label (or "")."""
    millions = _in_millions(kind, values)
    tick = _tick(kind, lang, millions)
    # few ticks: each label costs a text layout per draw, and long numbers side by side must not touch
    axis.set_major_locator(MaxNLocator(nbins=3 if axis.axis_name == "x" else 5))
    axis.set_major_formatter(TickLabels(lambda x, _pos: tick(x)))
    return i18n.tr("chart.million_vnd", lang) if millions else ""


def axis_label(text: str, unit: str, lang: str) -> str:
    """An axis label with its unit in the page's words ("Lợi nhuận (triệu đồng)"), or the label alone."""
    return i18n.tr("chart.axis_unit", lang, label=text, unit=unit) if unit else text


def value_text(value: float, kind: str, lang: str) -> str:
    """A value written on a bar or beside a point: money of a million or more in millions."""
    if value is None or not math.isfinite(value):
        return "—"
    if kind == "money" and abs(value) >= 1e6:
        sign = "-" if value < 0 else ""  # "-₫34 million", as Babel writes negative money
        return sign + i18n.tr("chart.money_million", lang, value=fmt.number(abs(value) / 1e6, lang, decimals=1))
    return fmt.by_kind(value, kind, lang)


def _contour_text(output: str, contour: float, lang: str) -> str:
    if contour == 0 and output in ("profit", "profit_per_unit"):
        return i18n.tr("chart.break_even", lang)
    return i18n.tr("chart.heatmap.level", lang, output=fields.label(output, lang),
                   value=value_text(contour, fields.kind(output), lang))


@styled
def tornado_chart(table: pd.DataFrame, base_value: float, output: str, lang: str) -> Figure:
    """Which input moves ``output`` most: for each input, a bar from today's result to the
    result with the input lower and one to the result with the input higher.

    ``table`` is `coopkit.whatif.tornado`'s table (largest effect first, drawn on top) and
    ``base_value`` the output with today's inputs. Each bar end shows the input value tried;
    an input whose result could not be computed has no bar and shows "—".
    """
    rows = table.reset_index(drop=True)
    count = len(rows)
    height = 0.45 * count + 1.5
    labels = [wrap_label(fields.label(name, lang)) for name in rows["input"]]
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    frame_margins(figure, left=label_margin(figure, labels), bottom=0.65 / height)
    figure.subplots_adjust(top=1 - 0.4 / height)
    ax = figure.add_subplot()
    kind = fields.kind(output)
    y = [count - 1 - i for i in range(count)]  # first row (largest effect) on top
    for side, colour, key in (("low", LOWER_COLOUR, "chart.tornado.lower"),
                              ("high", HIGHER_COLOUR, "chart.tornado.higher")):
        ends = rows[f"output_{side}"].astype(float)
        widths = [(end - base_value) if math.isfinite(end) else 0.0 for end in ends]
        ax.barh(y, widths, left=base_value, height=0.6, color=colour, label=i18n.tr(key, lang))
        for yi, name, end, tried in zip(y, rows["input"], ends, rows[side]):
            if not math.isfinite(end):
                continue
            right = end >= base_value
            ax.annotate(value_text(float(tried), fields.kind(name), lang), (end, yi), xytext=(4 if right else -4, 0),
                        textcoords="offset points", ha="left" if right else "right", va="center")
    for yi, low, high in zip(y, rows["output_low"], rows["output_high"]):
        if not (math.isfinite(low) or math.isfinite(high)):
            ax.annotate("—", (base_value, yi), xytext=(4, 0), textcoords="offset points", va="center")
    ax.axvline(base_value, color=BASE_COLOUR, lw=1,
               label=i18n.tr("chart.base_value", lang, value=value_text(base_value, kind, lang)))
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, count - 0.4)
    ax.margins(x=0.3)  # room for the values tried, written beyond the bars' ends
    unit = kind_axis(ax.xaxis, kind, lang, [base_value, *rows["output_low"], *rows["output_high"]])
    ax.set_xlabel(axis_label(fields.label(output, lang), unit, lang))
    axes_title(ax, i18n.tr("chart.tornado.title", lang, output=fields.label(output, lang)))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def spider_chart(table: pd.DataFrame, output: str, lang: str) -> Figure:
    """``output`` as each input changes by the same percentages: the steeper the line, the
    more the result depends on that input.

    ``table`` is `coopkit.whatif.spider`'s table (index: the change, one column per input).
    Today's result (change 0, when the table has it) is marked; NaN cells leave gaps.
    """
    rows = table.sort_index()
    changes = [float(c) for c in rows.index]
    kind = fields.kind(output)
    today = rows[[c == 0 for c in changes]]
    base = [v for v in today.iloc[0].astype(float) if math.isfinite(v)] if len(today) else []
    labels = [fields.label(name, lang) for name in rows.columns]
    base_label = i18n.tr("chart.base_value", lang, value=value_text(base[0], kind, lang)) if base else ""
    figure = Figure(figsize=(FIGURE_WIDTH, 4.0))
    frame_margins(figure, left=0.17, bottom=0.16)
    ax = figure.add_subplot()
    for i, (name, label) in enumerate(zip(rows.columns, labels)):
        ax.plot(changes, rows[name].astype(float), color=SERIES_COLOURS[i % len(SERIES_COLOURS)], lw=1.8,
                marker="o", ms=3.5, label=label)
    if base:
        ax.plot([0.0], [base[0]], "o", color=BASE_COLOUR, ms=7, zorder=5, label=base_label)
        ax.axvline(0.0, color="#9e9e9e", lw=0.8, ls=":")
    if len(changes) <= 9:
        ax.set_xticks(changes)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.xaxis.set_major_formatter(TickLabels(lambda x, _pos: fmt.percent(x, lang, decimals=1)))
    unit = kind_axis(ax.yaxis, kind, lang, rows.to_numpy().ravel())
    ax.set_xlabel(i18n.tr("chart.spider.change", lang))
    ax.set_ylabel(axis_label(fields.label(output, lang), unit, lang))
    axes_title(ax, i18n.tr("chart.spider.title", lang, output=fields.label(output, lang)))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def heatmap_chart(grid: pd.DataFrame, output: str, lang: str, contour: float = 0.0) -> Figure:
    """``output`` over two inputs at once, as coloured cells, with the line where it equals
    ``contour`` (for profit and 0: the break-even line, labelled so).

    ``grid`` is a two-way `coopkit.whatif.data_table` (index: the first input's values, drawn
    up the side; columns: the second's, along the bottom). When the grid has both signs around
    ``contour`` the colours diverge from it (red below, green above). The line is left out when
    the grid never crosses ``contour`` or has NaN cells (drawn grey).
    """
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    z = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    xs = grid.columns.to_numpy(dtype=float)
    ys = grid.index.to_numpy(dtype=float)
    x_name, y_name = str(grid.columns.name or ""), str(grid.index.name or "")
    kind = fields.kind(output)
    figure = Figure(figsize=(FIGURE_WIDTH, 4.6))
    ax = figure.add_axes((0.2, 0.15, 0.5, 0.74))
    bar_ax = figure.add_axes((0.74, 0.15, 0.03, 0.74))
    finite = z.compressed()
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    crosses = low < contour < high
    if crosses:
        cmap, norm = "RdYlGn", TwoSlopeNorm(vcenter=contour, vmin=low, vmax=high)
    else:
        cmap, norm = ("Greens" if low >= contour else "Reds_r"), None
    mesh = ax.pcolormesh(xs, ys, z, cmap=cmap, norm=norm, shading="nearest")
    ax.set_facecolor("#e0e0e0")  # NaN cells
    bar = figure.colorbar(mesh, cax=bar_ax)
    unit = kind_axis(bar.ax.yaxis, kind, lang, finite)
    bar.set_label(axis_label(fields.label(output, lang), unit, lang))
    if crosses and not np.ma.is_masked(z) and len(xs) > 1 and len(ys) > 1:
        lines = ax.contour(xs, ys, z, levels=[contour], colors=BASE_COLOUR, linewidths=1.6)
        lines.set_label(_contour_text(output, contour, lang))
        ax.clabel(lines, fmt={contour: _contour_text(output, contour, lang)}, fontsize=FONT_SIZE, inline_spacing=4)
    x_unit = kind_axis(ax.xaxis, fields.kind(x_name), lang, xs)
    y_unit = kind_axis(ax.yaxis, fields.kind(y_name), lang, ys)
    ax.set_xlabel(axis_label(fields.label(x_name, lang), x_unit, lang))
    ax.set_ylabel(axis_label(fields.label(y_name, lang), y_unit, lang))
    axes_title(ax, i18n.tr("chart.heatmap.title", lang, output=fields.label(output, lang)), width=40)
    return figure


@styled
def price_response_chart(
    curve: pd.DataFrame,
    lang: str,
    best_price: float | None = None,
    best_profit: float | None = None,
    current_price: float | None = None,
    data: pd.DataFrame | None = None,
    current_profit: float | None = None,
) -> Figure:
    """Revenue and profit at each price the demand curve allows, the best price marked.

    ``curve`` has one row per price, columns ``price, quantity_sold, revenue, net_revenue,
    profit``. ``best_price``/``best_profit`` mark the most profitable price (a point and its
    values; without ``best_profit`` the point sits on the curve's row nearest that price);
    ``current_price`` is a dashed line, and ``current_profit`` (the plan's profit there, which the
    curve passes through when it is computed for the plan) a ring on the profit curve. ``data``
    (observed prices and quantities) is accepted so that callers can pass what they have, but is
    not drawn here: it is in quantities, not money, and belongs on a demand chart.
    """
    del data  # see the docstring: not drawn on this chart
    figure = Figure(figsize=(FIGURE_WIDTH, 4.0))
    frame_margins(figure, left=0.14, bottom=0.16)
    ax = figure.add_subplot()
    prices = curve["price"].astype(float)
    ax.plot(prices, curve["revenue"], color=REVENUE_COLOUR, lw=2, label=fields.label("revenue", lang))
    ax.plot(prices, curve["profit"], color=PROFIT_COLOUR, lw=2, label=fields.label("profit", lang))
    ax.axhline(0, color="#9e9e9e", lw=0.8)
    if current_price is not None and math.isfinite(current_price):
        ax.axvline(current_price, color=BASE_COLOUR, lw=1.2, ls="--",
                   label=i18n.tr("chart.price.current", lang, price=fmt.money(current_price, lang)))
        if current_profit is not None and math.isfinite(current_profit):
            ax.plot([current_price], [current_profit], "o", color="white", mec=PROFIT_COLOUR, mew=2, ms=8,
                    zorder=6, gid="current_profit")
    if best_price is not None and math.isfinite(best_price):
        if best_profit is None and len(curve):
            best_profit = float(curve["profit"].iloc[int((prices - best_price).abs().to_numpy().argmin())])
        if best_profit is not None and math.isfinite(best_profit):
            ax.plot([best_price], [best_profit], "o", color=PROFIT_COLOUR, ms=8, mec="white", zorder=5,
                    gid="best_price")
            right = best_price <= float(prices.median()) if len(prices) else True
            ax.annotate(
                i18n.tr("chart.price.best", lang, price=fmt.money(best_price, lang),
                        profit=value_text(best_profit, "money", lang)),
                (best_price, best_profit), xytext=(8 if right else -8, 8), textcoords="offset points",
                ha="left" if right else "right", va="bottom", color=PROFIT_COLOUR,
            )
    kind_axis(ax.xaxis, "money", lang, [])
    unit = kind_axis(ax.yaxis, "money", lang, [*curve["revenue"], *curve["profit"]])
    ax.set_xlabel(fields.label("price_per_unit", lang))
    if unit:
        ax.set_ylabel(unit)
    axes_title(ax, i18n.tr("chart.price.title", lang))
    legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure


@styled
def scenario_chart(table: pd.DataFrame, outputs: Iterable[str], lang: str) -> Figure:
    """Saved scenarios side by side: one group of bars per scenario, one bar per output.

    ``table`` is `coopkit.whatif.evaluate_scenarios`' table (index: scenario names, first on
    top); ``outputs`` names its columns to show, all of the same kind (the axis is formatted
    by the first one's). A scenario whose outputs could not be computed shows "—".
    """
    outputs = list(outputs)
    kind = fields.kind(outputs[0])
    names = ["\n".join(textwrap.wrap(str(name), 24)) or "—" for name in table.index]
    lines = [line for name in names for line in name.split("\n")]
    count, series = len(names), len(outputs)
    height = max(0.22 * len(lines) + 0.3 * count * series, 0.5 * count) + 1.2
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    frame_margins(figure, left=label_margin(figure, lines), bottom=0.65 / height)
    figure.subplots_adjust(top=1 - 0.4 / height)
    ax = figure.add_subplot()
    bar = 0.8 / series
    values = table[outputs].astype(float)
    for j, name in enumerate(outputs):
        offsets = [count - 1 - i + 0.4 - bar * (j + 0.5) for i in range(count)]
        column = values[name]
        widths = [v if math.isfinite(v) else 0.0 for v in column]
        ax.barh(offsets, widths, height=bar * 0.9, color=SERIES_COLOURS[j % len(SERIES_COLOURS)],
                label=fields.label(name, lang))
        for y, v in zip(offsets, column):
            # beyond the end of a positive bar; right of zero for a negative one (clear of the names)
            at = v if math.isfinite(v) and v > 0 else 0.0
            ax.annotate(value_text(v, kind, lang), (at, y), xytext=(3, 0), textcoords="offset points",
                        va="center")
    ax.axvline(0, color="#444", lw=0.8)
    ax.set_yticks([count - 1 - i for i in range(count)], names)
    ax.set_ylim(-0.6, count - 0.4)
    ax.margins(x=0.3)
    unit = kind_axis(ax.xaxis, kind, lang, values.to_numpy().ravel())
    x_label = fields.label(outputs[0], lang) if series == 1 else ""
    ax.set_xlabel(axis_label(x_label, unit, lang) if x_label else unit)
    axes_title(ax, i18n.tr("chart.scenario.title", lang))
    if series > 1:
        legend_below(figure)
    ax.spines[["top", "right"]].set_visible(False)
    return figure
