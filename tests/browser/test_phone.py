"""Every workbook on a cheap phone (412 × 900 CSS px, Vietnamese) and on a 1366 px laptop.

Measured in the browser, not computed: the page never scrolls sideways as a whole; every table
either fits the screen or scrolls sideways in its own box (its scroll bar right under it, the box
within the screen); every chart's text, shrunk with its image to the column, stays readable:
(shown width / natural width) × the charts' font size in px at `coopkit.plots.DPI` ≥ 9 CSS px;
boxes and buttons fit the screen. One server, the pages opened one after another.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coopkit import plots
from coopkit.workbooks import workbooks

from .conftest import open_app

pytestmark = pytest.mark.browser

PHONE = {"width": 412, "height": 900}
LAPTOP = {"width": 1366, "height": 900}
NOTEBOOKS = ["00_start.ipynb", *(w.notebook for w in workbooks())]
#: Smallest text a manager can read on a phone held in the hand, in CSS px.
MIN_TEXT_PX = 9.0
#: The charts' smallest text at its natural size, in px (points × dpi / 72).
CHART_TEXT_PX = plots.FONT_SIZE * plots.DPI / 72

_LAYOUT_JS = """() => {
    const vw = document.documentElement.clientWidth;
    const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && el.checkVisibility(); };
    const name = (el) => (el.tagName + '.' + [...el.classList].join('.')).slice(0, 80);
    const problems = [];
    for (const el of [document.documentElement, document.body, document.getElementById('rendered_cells')]) {
        if (el && el.scrollWidth > el.clientWidth + 1)
            problems.push(`the page scrolls sideways: ${name(el)}#${el.id} is ${el.scrollWidth} px wide in ${el.clientWidth}`);
    }
    for (const table of document.querySelectorAll('table')) {
        if (!shown(table)) continue;
        const r = table.getBoundingClientRect();
        let box = table.parentElement;
        while (box && box.id !== 'rendered_cells' && !['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX))
            box = box.parentElement;
        if (getComputedStyle(table).overflowX === 'auto' || getComputedStyle(table).overflowX === 'scroll') box = table;
        const b = box && box.id !== 'rendered_cells' ? box.getBoundingClientRect() : {left: 0, right: vw};
        const fits = (box === table || (r.left >= b.left - 1 && r.right <= b.right + 1)) && r.left >= -1 && r.right <= vw + 1;
        if (box === table) { if (b.right <= vw + 1 && b.left >= -1) continue; }
        else if (fits) continue;
        const scrolls = box && box.id !== 'rendered_cells' && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
        const own = box && b.height <= r.height + 40;  // the scroll bar is right under the table
        const inside = b.left >= -1 && b.right <= vw + 1;
        if (!(scrolls && own && inside))
            problems.push(`table ${name(table)} (${Math.round(r.left)}–${Math.round(r.right)} px) is cut: its box ` +
                          `${box ? name(box) : 'none'} ${scrolls ? 'scrolls' : 'does not scroll'}, ` +
                          `${Math.round(b.height)} px high for a ${Math.round(r.height)} px table, ${Math.round(b.left)}–${Math.round(b.right)} px`);
    }
    for (const el of document.querySelectorAll('.ck-app input, .ck-app select, .ck-app button, .ck-app textarea, .ck-lang button')) {
        if (!shown(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.left < -1 || r.right > vw + 1)
            problems.push(`${name(el)} "${(el.innerText || el.value || '').slice(0, 30)}" sticks out: ${Math.round(r.left)}–${Math.round(r.right)} px`);
    }
    const charts = [];
    for (const img of document.querySelectorAll('img')) {
        if (!shown(img) || !img.naturalWidth) continue;
        const r = img.getBoundingClientRect();
        charts.push({shown: r.width, natural: img.naturalWidth, left: r.left, right: r.right});
    }
    return {problems, charts, viewport: vw};
}"""

_IMAGES_LOADED_JS = """() => [...document.querySelectorAll('img')].every(img => img.complete)"""


def _open(make_page, server, notebook: str, viewport: dict):
    page = make_page(locale="vi-VN", viewport=viewport)
    open_app(page, server, notebook)
    page.wait_for_function(_IMAGES_LOADED_JS, timeout=30_000)
    return page


def _layout(page) -> dict:
    return page.evaluate(_LAYOUT_JS)


def _chart_problems(layout: dict, notebook: str) -> list[str]:
    problems = []
    for chart in layout["charts"]:
        text_px = CHART_TEXT_PX * chart["shown"] / chart["natural"]
        if text_px < MIN_TEXT_PX:
            problems.append(f"{notebook}: a chart {chart['natural']} px wide is shown {chart['shown']:.0f} px wide: "
                            f"its text is {text_px:.1f} px (at least {MIN_TEXT_PX} px)")
        if chart["right"] > layout["viewport"] + 1 or chart["left"] < -1:
            problems.append(f"{notebook}: a chart sticks out of the screen ({chart['left']:.0f}–{chart['right']:.0f} px)")
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_workbook_reads_on_a_phone(voila_server, make_page, notebook):
    page = _open(make_page, voila_server, notebook, PHONE)
    layout = _layout(page)
    if notebook != "00_start.ipynb":
        assert layout["charts"], f"{notebook}: no chart measured: the page did not show its chart"
    problems = layout["problems"] + _chart_problems(layout, notebook)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_tables_are_not_cut_on_a_laptop(voila_server, make_page, notebook):
    page = _open(make_page, voila_server, notebook, LAPTOP)
    layout = _layout(page)
    problems = list(layout["problems"])
    # on a laptop a chart is shown at its natural size: never stretched (blurry text)
    problems += [f"a chart {c['natural']} px wide is stretched to {c['shown']:.0f} px"
                 for c in layout["charts"] if c["shown"] > c["natural"] + 1]
    assert not problems, "\n".join(problems)


def test_a_wide_table_scrolls_in_its_own_box_with_the_row_names_in_view(voila_server, make_page):
    """The channel table (eight channels, six columns) on a phone: scrolled to its end, the
    channel names are still where they were."""
    page = _open(make_page, voila_server, "03_channel_pricing.ipynb", PHONE)
    box = page.locator(".ck-results .ck-table-scroll").first
    expect(box).to_be_visible()
    widths = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert widths[0] > widths[1], "the table fits: this test needs a table wider than the phone"
    name = box.locator("tbody tr td").first
    before = name.bounding_box()
    assert box.evaluate("b => { b.scrollLeft = b.scrollWidth; return b.scrollLeft; }") > 0
    after = name.bounding_box()
    assert abs(after["x"] - before["x"]) < 1, (before, after)
