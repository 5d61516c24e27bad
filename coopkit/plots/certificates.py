"""Certificates of completion: one A4 page per trainee, in a PDF the trainer prints at the end.

A page names the trainee and their cooperative, the workshop and its day, and lists the
workbooks the trainee completed (every task of the workbook's exercises answered right,
`coopkit.progress.completed`) by their titles. DejaVu Sans (matplotlib's default) writes
Vietnamese; the fonts are embedded as TrueType so that the words can be searched and copied.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from coopkit import fmt, i18n, workbooks

__all__ = ["A4_INCHES", "certificates_pdf"]

#: A4 portrait, in inches.
A4_INCHES = (8.27, 11.69)
_INK = "#1b3a4b"
_ACCENT = "#2e7d32"


def _field(trainee: Any, name: str) -> str:
    return str(trainee[name] if isinstance(trainee, Mapping) else getattr(trainee, name))


def _workbook_title(lesson: str, lang: str) -> str:
    try:
        return workbooks.header(workbooks.find(lesson), lang).title
    except Exception:  # noqa: BLE001 - a lesson no longer in the registry still prints, by its name
        return lesson


def _page(trainee: Any, lessons: Sequence[str], lang: str, workshop: str, day: dt.date) -> Figure:
    figure = Figure(figsize=A4_INCHES)
    figure.patch.set_facecolor("white")
    border = Rectangle((0.05, 0.04), 0.90, 0.92, transform=figure.transFigure, fill=False,
                                          edgecolor=_ACCENT, linewidth=3)
    figure.add_artist(border)
    inner = Rectangle((0.065, 0.052), 0.87, 0.896, transform=figure.transFigure, fill=False,
                                         edgecolor=_ACCENT, linewidth=0.8)
    figure.add_artist(inner)

    def text(y: float, words: str, size: float, **style: Any) -> None:
        figure.text(0.5, y, words, ha="center", va="top", fontsize=size, color=_INK, **style)

    text(0.88, i18n.tr("certificate.title", lang), 26, weight="bold")
    text(0.80, i18n.tr("certificate.certifies", lang), 13)
    text(0.755, _field(trainee, "name"), 24, weight="bold")
    text(0.705, _field(trainee, "cooperative"), 15)
    intro = i18n.tr("certificate.completed", lang, workshop=workshop, date=fmt.calendar_date(day, lang))
    text(0.64, "\n".join(textwrap.wrap(intro, 70)), 12.5, linespacing=1.5)
    y = 0.56
    if not lessons:
        text(y, i18n.tr("certificate.none", lang), 12, style="italic")
    titles = [textwrap.wrap(_workbook_title(lesson, lang), 62) for lesson in lessons]
    needed = sum(0.022 * len(lines) + 0.013 for lines in titles)
    scale = min(1.0, (y - 0.17) / needed) if needed else 1.0  # eleven workbooks still fit above the signature
    for lines in titles:
        figure.text(0.14, y, "✓", ha="left", va="top", fontsize=13 * scale, color=_ACCENT, weight="bold")
        figure.text(0.18, y, "\n".join(lines), ha="left", va="top", fontsize=12.5 * scale, color=_INK, linespacing=1.4)
        y -= (0.022 * len(lines) + 0.013) * scale
    figure.text(0.70, 0.13, i18n.tr("certificate.trainer", lang), ha="center", va="top", fontsize=11, color=_INK)
    figure.add_artist(Line2D([0.56, 0.84], [0.135, 0.135], transform=figure.transFigure,
                                              color=_INK, linewidth=0.8))
    figure.text(0.30, 0.13, fmt.calendar_date(day, lang), ha="center", va="top", fontsize=11, color=_INK)
    return figure


def certificates_pdf(trainees_with_workbooks: Iterable[tuple[Any, Sequence[str]]], lang: str, workshop: str,
                     date: dt.date) -> bytes:
    """A PDF with one A4 certificate of completion per trainee.

    Parameters
    ----------
    trainees_with_workbooks
        Pairs of a trainee (a `coopkit.answers.Trainee`, or a record's ``trainee`` dict with
        ``name`` and ``cooperative``) and the lessons they completed (``["unit_cost", "break_even"]``).
    lang
        The certificates' language.
    workshop
        The workshop's name, as the trainer typed it.
    date
        The workshop's day.

    Returns
    -------
    bytes
        The PDF; empty when no trainee is given.

    Examples
    --------
    >>> pdf = certificates_pdf([({"name": "Lan", "cooperative": "HTX Mật ong"}, ["break_even"])],
    ...                        "vi", "Tập huấn Hà Giang", dt.date(2026, 11, 30))
    >>> pdf[:5]
    b'%PDF-'
    """
    lang = i18n.normalize_language(lang)
    buffer = io.BytesIO()
    # Names are printed as typed: text between two "$" is not TeX (a name like "$\alpha^$" broke
    # the whole room's PDF).
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans", "text.parse_math": False}):
        with PdfPages(buffer, metadata={"Title": i18n.tr("certificate.title", lang), "Creator": "coopkit"}) as pdf:
            for trainee, lessons in trainees_with_workbooks:
                pdf.savefig(_page(trainee, list(lessons), lang, workshop, date))
    return buffer.getvalue()
