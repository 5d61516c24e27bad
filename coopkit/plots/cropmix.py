"""Charts of a crop mix (`coopkit.cropmix.best_crop_mix`): the land split and labour by month.

Each function takes a `coopkit.cropmix.CropMix` and returns a matplotlib Figure; nothing is
computed here but positions and labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from coopkit import fmt, i18n
from coopkit.plots import (
    BASE_COLOUR,
    COST_COLOUR,
    FIGURE_WIDTH,
    SERIES_COLOURS,
    VARIABLE_COLOUR,
    TickLabels,
    frame_margins,
    label_margin,
    axes_title,
    wrap_label,
    styled,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from coopkit.cropmix import CropMix

__all__ = ["crop_mix_chart", "labour_chart", "land_chart"]

USED_COLOUR = VARIABLE_COLOUR
TIGHT_COLOUR = COST_COLOUR


def _number_axis(axis, lang: str) -> None:
    axis.set_major_locator(MaxNLocator(nbins=5))
    axis.set_major_formatter(TickLabels(lambda x, _pos: fmt.number(x, lang)))


def _draw_land(ax: Axes, mix: CropMix, lang: str) -> None:
    frame = mix.to_frame(lang).iloc[::-1]  # first crop on top
    y = list(range(len(frame)))
    colours = [SERIES_COLOURS[(len(frame) - 1 - i) % len(SERIES_COLOURS)] for i in y]
    ax.barh(y, frame["area_ha"], color=colours, height=0.65)
    crops = list(mix.crops)[::-1]
    caps = [(yi, crop.max_area_ha) for yi, crop in zip(y, crops, strict=True) if crop.max_area_ha != float("inf")]
    if caps:
        ax.scatter([c for _y, c in caps], [yi for yi, _c in caps], marker="|", s=260, color=BASE_COLOUR, zorder=4,
                   label=i18n.tr("chart.cropmix.max_area", lang))
        # under the axis label (0.45 in below the axes), right-aligned
        below = ax.transAxes + ScaledTranslation(0, -0.45, ax.figure.dpi_scale_trans)
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.0), bbox_transform=below, frameon=False,
                  handletextpad=0.2)
    for yi, area in zip(y, frame["area_ha"], strict=True):
        ax.annotate(fmt.number(area, lang, decimals=1), (area, yi), xytext=(3, 0), textcoords="offset points",
                    va="center")
    ax.set_yticks(y, [wrap_label(name) for name in frame["crop"]])
    ax.set_ylim(-0.6, len(frame) - 0.4)
    ax.margins(x=0.12)
    _number_axis(ax.xaxis, lang)
    ax.set_xlabel(i18n.tr("chart.cropmix.area_axis", lang))
    axes_title(ax, i18n.tr("chart.cropmix.land_title", lang, used=fmt.number(mix.land_used_ha, lang, decimals=1),
                       land=fmt.number(mix.farm.land_ha, lang, decimals=1)))
    ax.spines[["top", "right"]].set_visible(False)


def _draw_labour(ax: Axes, mix: CropMix, lang: str) -> None:
    labour = mix.labour_frame()
    tight = {item.month for item in mix.limits if item.kind == "labour" and item.binding}
    colours = [TIGHT_COLOUR if m in tight else USED_COLOUR for m in labour["month"]]
    ax.bar(labour["month"], labour["used"], color=colours, width=0.7, label=i18n.tr("chart.cropmix.labour_used", lang))
    ax.step(list(labour["month"]), list(labour["available"]), where="mid", color=BASE_COLOUR, lw=1.6,
            label=i18n.tr("chart.cropmix.labour_available", lang))
    ax.set_xticks(list(labour["month"]))
    ax.set_xlim(0.4, 12.6)
    _number_axis(ax.yaxis, lang)
    ax.set_xlabel(i18n.tr("chart.cropmix.month_axis", lang))
    ax.set_ylabel(i18n.tr("chart.cropmix.days_axis", lang))
    axes_title(ax, i18n.tr("chart.cropmix.labour_title", lang))
    ax.legend(loc="upper left", ncol=2, frameon=False)
    ax.margins(y=0.18)
    ax.spines[["top", "right"]].set_visible(False)


@styled
def land_chart(mix: CropMix, lang: str) -> Figure:
    """Hectares of each crop in the best plan (horizontal bars), each crop's largest area marked."""
    height = 0.45 * len(mix.crops) + 1.7
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    frame_margins(figure, left=label_margin(figure, [wrap_label(c.name(lang)) for c in mix.crops]) + 0.03, bottom=1.0 / height)
    _draw_land(figure.add_subplot(), mix, lang)
    return figure


@styled
def labour_chart(mix: CropMix, lang: str) -> Figure:
    """Labour-days the plan needs in each month against what the members have; full months in red."""
    figure = Figure(figsize=(FIGURE_WIDTH, 3.4))
    frame_margins(figure, left=0.14, bottom=0.18)
    _draw_labour(figure.add_subplot(), mix, lang)
    return figure


@styled
def crop_mix_chart(mix: CropMix, lang: str) -> Figure:
    """Both charts in one figure (the app's): the land split on top, labour by month below."""
    land_height = 0.45 * len(mix.crops) + 1.2
    height = land_height + 3.6
    figure = Figure(figsize=(FIGURE_WIDTH, height))
    left = label_margin(figure, [wrap_label(c.name(lang)) for c in mix.crops]) + 0.03
    top_ax = figure.add_axes((left, 1 - (land_height - 0.3) / height, 0.95 - left, (land_height - 1.0) / height))
    _draw_land(top_ax, mix, lang)
    bottom_ax = figure.add_axes((0.14, 0.55 / height, 0.81, 2.0 / height))
    _draw_labour(bottom_ax, mix, lang)
    return figure
