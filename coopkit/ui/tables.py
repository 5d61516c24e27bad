"""Results as HTML tables, formatted by the locale, with the raw number kept in ``data-value``.

Browser tests and screen readers read the same table: each value cell carries
``data-key`` (what it is) and ``data-value`` (the unrounded number).

Each table sits in its own box that scrolls sideways (``div.ck-table-scroll``) when it is wider
than the screen, its scroll bar right under it; the first column (``ck-row-head``), which names
the row, stays in view while the rest scrolls (the CSS is in the Voila template).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from numbers import Real

from coopkit import fmt

__all__ = ["Row", "Column", "format_kind", "summary_table", "frame_table", "scroll_box"]


def format_kind(value: object, kind: str, lang: str) -> str:
    """``value`` formatted for the screen as ``kind``: money, rate, number, count or text."""
    if kind == "text" or not _is_number(value):
        return escape(str(value))
    return escape(fmt.by_kind(float(value), kind, lang))


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def scroll_box(table: str) -> str:
    """``table`` (HTML) in a box that scrolls sideways when the table is wider than the screen."""
    return f'<div class="ck-table-scroll">{table}</div>'


def _cell(key: str, value: object, kind: str, lang: str, head: bool = False) -> str:
    raw = ""
    if _is_number(value):
        number = float(value)
        raw = f' data-value="{number!r}"' if math.isfinite(number) else ' data-value=""'
    css = ("ck-num" if kind != "text" else "ck-text") + (" ck-row-head" if head else "")
    return f'<td class="{css}" data-key="{escape(key)}"{raw}>{format_kind(value, kind, lang)}</td>'


@dataclass(frozen=True)
class Row:
    """One line of a two-column summary: label and value."""

    key: str
    label: str
    value: object
    kind: str = "money"
    strong: bool = False


def summary_table(rows: list[Row], lang: str) -> str:
    """A two-column table (label, value); ``strong`` rows are highlighted.

    >>> html = summary_table([Row("unit_cost", "Giá thành", 12_000.0, strong=True)], "vi")
    >>> 'data-key="unit_cost"' in html and 'data-value="12000.0"' in html and "12.000" in html
    True
    """
    lines = ['<table class="ck-summary">']
    for row in rows:
        css = ["ck-key-row"] if row.strong else []
        if _is_number(row.value) and row.kind in ("money", "rate") and float(row.value) < 0:
            css.append("ck-negative")
        lines.append(
            f'<tr class="{" ".join(css)}"><th class="ck-row-head">{escape(row.label)}</th>'
            f'{_cell(row.key, row.value, row.kind, lang)}</tr>'
        )
    lines.append("</table>")
    return scroll_box("".join(lines))


@dataclass(frozen=True)
class Column:
    """A column of a frame table: the DataFrame column, its header and its kind."""

    name: str
    header: str
    kind: str = "money"


def frame_table(frame, columns: list[Column], key_column: str, lang: str, strong: set[str] | None = None) -> str:
    """A DataFrame as an HTML table; value cells keyed ``"<column>:<row key>"``. The first column
    names the row: it stays in view when the table scrolls sideways."""
    strong = strong or set()
    head = "".join(
        f'<th class="{"ck-num" if c.kind != "text" else "ck-text"}{" ck-row-head" if i == 0 else ""}">'
        f"{escape(c.header)}</th>"
        for i, c in enumerate(columns)
    )
    lines = [f'<table class="ck-frame"><thead><tr>{head}</tr></thead><tbody>']
    for record in frame.to_dict("records"):
        row_key = str(record[key_column])
        css = "ck-key-row" if row_key in strong else ""
        cells = "".join(_cell(f"{c.name}:{row_key}", record[c.name], c.kind, lang, head=i == 0)
                        for i, c in enumerate(columns))
        lines.append(f'<tr class="{css}" data-row="{escape(row_key)}">{cells}</tr>')
    lines.append("</tbody></table>")
    return scroll_box("".join(lines))
