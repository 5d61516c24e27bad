"""A chart as PNG bytes, drawn once: what an app sends to the page after every change.

matplotlib's ``savefig(bbox_inches="tight")`` lays the whole figure out twice (once to find
what is drawn, once to draw it) and its fresh renderer measures every text again; with
libraqm (matplotlib 3.11) shaping one label costs 0.3–2 ms, so a chart cost two to four times
the minimal notebook's. `png` draws the figure once on a canvas with room around it (a legend
under the chart, a long title above it), crops the pixels to what is drawn plus `PAD` (the
look of ``bbox_inches="tight"``), and keeps one renderer, so texts seen before (axis labels,
titles, legends, most tick labels) are neither measured nor shaped again.
"""

from __future__ import annotations

import io
import math
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode
from matplotlib.transforms import Bbox

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["png", "Stack", "PAD"]

#: Space kept around what is drawn (inches), as ``pad_inches`` with ``bbox_inches="tight"``.
PAD = 0.08
#: Room drawn around the figure's box (inches: left, below, right, above): a legend placed under
#: the chart and a title above it are drawn there and kept; anything further out is cut.
ROOM = (0.5, 3.0, 0.5, 1.0)
#: Height of the drawing area (inches) for every figure up to ``ROOM_HEIGHT - ROOM[1] - ROOM[3]``
#: high: one size, so one renderer (and its cache of text sizes) serves every chart.
ROOM_HEIGHT = 16.0
#: Texts whose shaped glyphs are kept (a chart has 20–80; a few apps' worth).
LAYOUT_CACHE_SIZE = 4096
#: Glyph images kept (each a few hundred bytes): every character of a few scripts at 16 sub-pixel offsets.
GLYPH_CACHE_SIZE = 20_000
#: Parts of stacked charts kept as pixels (`Stack`): a few apps' panels (each about 1 MB).
PART_CACHE_SIZE = 6
#: zlib effort of the PNG (3: about as fast as 1, 3 % larger than matplotlib's 6).
COMPRESS_LEVEL = 3


class _Renderer(RendererAgg):
    """Agg, keeping the glyph layout of each text it has drawn and each glyph image (shaping
    and rendering glyphs are the costly parts of a chart)."""

    def _get_font_height_metrics(self, prop):
        """Ascent, descent and line gap of ``prop``'s font (what `matplotlib.text.Text` asks of a
        renderer that has this method before reading the font's tables for every text)."""
        key = (_font_key(prop), self.dpi)
        metrics = _HEIGHTS.get(key)
        if metrics is None:
            metrics = _HEIGHTS[key] = _font_height_metrics(prop, self.dpi)
        return metrics

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: D102 - as RendererAgg
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        flags = get_hinting_flag()
        key = (_font_key(prop), self.dpi, s, flags,
               tuple(features) if features else None,
               language if language is None or isinstance(language, str) else tuple(language))
        items = _LAYOUTS.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(s, flags=flags, features=features, language=language)]
            _LAYOUTS[key] = items
            if len(_LAYOUTS) > LAYOUT_CACHE_SIZE:
                _LAYOUTS.popitem(last=False)
        else:
            _LAYOUTS.move_to_end(key)
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        antialiased = bool(gc.get_antialiased())
        height = int(self.height)
        for ft_object, glyph, dx, dy in items:
            # the glyph's origin (FreeType's y is upwards), to a quarter of a pixel
            gx = round(4 * (x + dx * cos - dy * sin)) / 4
            gy = round(4 * (self.height - y + dx * sin + dy * cos)) / 4
            ix, iy = math.floor(gx), math.floor(gy)
            glyph_key = (id(ft_object), size, self.dpi, glyph, flags, angle, gx - ix, gy - iy, antialiased)
            image = _GLYPHS.get(glyph_key)
            if image is None:
                image = _render_glyph(ft_object, size, self.dpi, glyph, flags, cos, sin, gx - ix, gy - iy, antialiased)
                _GLYPHS[glyph_key] = image
                if len(_GLYPHS) > GLYPH_CACHE_SIZE:
                    _GLYPHS.popitem(last=False)
            buffer, left, top, _font = image
            self._renderer.draw_text_image(buffer, left + ix, height - (top + iy) + buffer.shape[0], 0, gc)


def _render_glyph(ft_object, size, dpi, glyph, flags, cos, sin, fx, fy, antialiased):
    """One glyph's coverage image at the sub-pixel offset (fx, fy): (buffer, left, top, font)."""
    ft_object.set_size(size, dpi)
    ft_object._set_transform(np.array([[round(0x10000 * cos), round(-0x10000 * sin)],
                                       [round(0x10000 * sin), round(0x10000 * cos)]]),
                             [round(0x40 * fx), round(0x40 * fy)])
    bitmap = ft_object._render_glyph(glyph, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
    buffer = np.array(bitmap.buffer, copy=True)
    if not antialiased:
        buffer *= 0xff
    return buffer, bitmap.left, bitmap.top, ft_object  # the font kept alive while its id is a key


def _font_key(prop) -> tuple:
    """What picks a font and its size in ``prop`` (a FontProperties), as a dictionary key."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_file(), prop.get_size_in_points())


def _font_height_metrics(prop, dpi: float) -> tuple[float, float, float] | tuple[None, None, None]:
    """As `matplotlib.text.Text._get_layout` reads them from the font's tables (OS/2, else hhea)."""
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap_key, ascent_key, descent_key in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                        ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = prop.get_size_in_points() * dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


_LAYOUTS: OrderedDict = OrderedDict()
_GLYPHS: OrderedDict = OrderedDict()
_HEIGHTS: dict = {}


_RENDERERS: OrderedDict[tuple, _Renderer] = OrderedDict()


def _can_cache_layouts() -> bool:
    """Whether this matplotlib lays out and renders glyphs as `_Renderer.draw_text` expects (3.11's
    Agg); with another, the plain Agg renderer draws the texts."""
    from matplotlib.ft2font import FT2Font

    return hasattr(RendererAgg, "_prepare_font") and all(
        hasattr(FT2Font, name) for name in ("_layout", "_set_transform", "_render_glyph"))


_CACHE_LAYOUTS = _can_cache_layouts()


class _Canvas(FigureCanvasAgg):
    """An Agg canvas that draws with a shared renderer of its size (at most two sizes kept: the
    usual one and a figure taller than `ROOM_HEIGHT` allows)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderer = _RENDERERS.get(key)
        if renderer is None:
            renderer = _Renderer(w, h, self.figure.dpi) if _CACHE_LAYOUTS else RendererAgg(w, h, self.figure.dpi)
            _RENDERERS[key] = renderer
            while len(_RENDERERS) > 2:
                _RENDERERS.popitem(last=False)
        else:
            _RENDERERS.move_to_end(key)
        self.renderer = renderer
        self._lastKey = key
        return renderer


class _Sink:
    """Where ``savefig(format="rgba")`` writes the pixels: nowhere (they are read from the renderer)."""

    def write(self, data) -> int:
        return len(data)

    def seek(self, *_args) -> int:  # a file handle to matplotlib
        return 0


def _drawn(figure: Figure, dpi: float) -> np.ndarray:
    """The renderer's pixels after drawing ``figure`` in its room: rows from `ROOM` above the
    figure's top down, columns from `ROOM` left of it (a view of the shared buffer)."""
    width, height = figure.get_size_inches()
    left, below, right, above = ROOM
    top = height + above
    bottom = top - max(ROOM_HEIGHT, height + below + above)
    _Canvas(figure)
    figure.savefig(_Sink(), format="rgba", dpi=dpi, bbox_inches=Bbox([[-left, bottom], [width + right, top]]))
    return np.asarray(figure.canvas.renderer.buffer_rgba())


def _encode(rgba: np.ndarray, background: int, box: tuple[int, int, int, int], dpi: float) -> bytes:
    """PNG of ``rgba`` cropped to what differs from ``background`` plus `PAD` (``box``: rows and
    columns of the figure, the crop when nothing is drawn)."""
    from PIL import Image

    drawn = rgba.view(np.uint32)[:, :, 0] != background
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    pad = round(PAD * dpi)
    if rows.size:
        top_row, bottom_row = max(rows[0] - pad, 0), min(rows[-1] + 1 + pad, rgba.shape[0])
        first, last = max(columns[0] - pad, 0), min(columns[-1] + 1 + pad, rgba.shape[1])
    else:  # nothing drawn: the figure's box
        top_row, bottom_row, first, last = box
    rgba = np.ascontiguousarray(rgba[top_row:bottom_row])  # whole rows: already contiguous, no copy
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    image = image.crop((first, 0, last, rgba.shape[0]))  # copied by Pillow, much faster than numpy strides
    if image.getextrema()[3][0] == 255:  # opaque (a white figure): RGB, a quarter fewer bytes to compress
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=COMPRESS_LEVEL)
    return buffer.getvalue()


def png(figure: Figure | Stack, dpi: float) -> bytes:
    """``figure`` (or a `Stack` of figures) as PNG bytes at ``dpi``, cropped to what is drawn
    plus `PAD` on each side."""
    if isinstance(figure, Stack):
        return figure.png(dpi)
    width, height = figure.get_size_inches()
    left, below, _right, above = ROOM
    box = (round(above * dpi), round((above + height) * dpi), round(left * dpi), round((left + width) * dpi))
    rows = round((above + height + below) * dpi)  # below that, the drawing area holds nothing of this figure
    return _encode(_drawn(figure, dpi)[:rows], _background(figure), box, dpi)


class Stack:
    """Figures of one width shown one above the other as one image, each drawn only when its
    key changes: an app's chart of two panels redraws the panel whose numbers changed.

    ``parts`` are ``(key, draw)``: ``draw()`` makes the part's Figure, ``key`` (hashable; None:
    always drawn) names what it shows, e.g. ``("loan", lang, schedule_bytes)``. The parts are
    cut at their figures' edges and joined, so a part's legend or title must not cross them;
    the first keeps the room above it, the last the room below it.
    """

    def __init__(self, parts: list[tuple[object, Callable[[], Figure]]]) -> None:
        self.parts = list(parts)
        self._figures: dict[int, Figure] = {}

    def figure(self, index: int) -> Figure:
        """The ``index``-th part's Figure (made once)."""
        if index not in self._figures:
            self._figures[index] = self.parts[index][1]()
        return self._figures[index]

    def figures(self) -> list[Figure]:
        return [self.figure(i) for i in range(len(self.parts))]

    def get_figwidth(self) -> float:
        return self.figure(0).get_figwidth()

    def get_figheight(self) -> float:
        return sum(f.get_figheight() for f in self.figures())

    def findobj(self, match=None) -> list:
        """The artists of every part (as `matplotlib.figure.Figure.findobj`)."""
        return [artist for figure in self.figures() for artist in figure.findobj(match)]

    def png(self, dpi: float) -> bytes:
        left, below, _right, above = ROOM
        pieces, background, box_height = [], None, 0
        last = len(self.parts) - 1
        for index, (key, _draw) in enumerate(self.parts):
            cache_key = (key, dpi, index == 0, index == last)
            piece = _PARTS.get(cache_key) if key is not None else None
            if piece is None:
                figure = self.figure(index)
                height = figure.get_figheight()
                first_row = 0 if index == 0 else round(above * dpi)
                end_row = round((above + height + (below if index == last else 0)) * dpi)
                piece = (np.array(_drawn(figure, dpi)[first_row:end_row]), _background(figure), height)
                if key is not None:
                    _PARTS[cache_key] = piece
                    while len(_PARTS) > PART_CACHE_SIZE:
                        _PARTS.popitem(last=False)
            else:
                _PARTS.move_to_end(cache_key)
            pieces.append(piece[0])
            background = piece[1] if background is None else background
            box_height += piece[2]
        rgba = np.concatenate(pieces)
        width = pieces[0].shape[1] / dpi - ROOM[0] - ROOM[2]
        box = (round(above * dpi), round((above + box_height) * dpi), round(left * dpi), round((left + width) * dpi))
        return _encode(rgba, background, box, dpi)


_PARTS: OrderedDict = OrderedDict()


def _background(figure: Figure) -> int:
    """The figure's background colour as the renderer's 32-bit RGBA pixel."""
    from matplotlib.colors import to_rgba

    red, green, blue, alpha = (round(255 * c) for c in to_rgba(figure.get_facecolor()))
    if alpha == 0:  # a transparent figure: the cleared buffer
        red = green = blue = 0
    return int(np.array([red, green, blue, alpha], dtype=np.uint8).view(np.uint32)[0])
