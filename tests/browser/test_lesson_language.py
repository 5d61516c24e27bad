"""A served lesson shows the visitor's language only, and the switch flips it all at once (issue 12).

The lesson's prose is the notebook's markdown: each cell tagged ``lang-vi`` or ``lang-en``, which
the ``coopkit`` template turns into the classes ``ck-lang-vi`` / ``ck-lang-en`` on the cell's
wrapper and hides by ``<html lang>``. The page's language is ``?lang=``, then the browser's
Accept-Language, then Vietnamese; the switch changes it without a reload, lesson and app together.
No visitor may see, even for a frame, a cell of the language they did not ask for: a recorder
installed before the page's own scripts (``page.add_init_script``) watches every DOM change and
every animation frame.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit import i18n, workbooks

from .conftest import SETTLE_TIMEOUT_MS, open_app

pytestmark = pytest.mark.browser

SWITCH = {"vi": "Tiếng Việt", "en": "English"}
OTHER = {"vi": "en", "en": "vi"}
#: Workbook 02 (a light page) and workbook 01 (worked answers in two places).
NOTEBOOKS = ["02_break_even.ipynb", "01_unit_cost.ipynb"]

#: True when the page is in ``lang``: ``<html lang>``, every lesson cell of ``lang`` shown (the
#: worksheets are for the handout, never on screen), every cell of the other language hidden, and
#: as many cells of each (every cell has its twin).
_SHOWS_JS = """(lang) => {
    const other = lang === 'vi' ? 'en' : 'vi';
    const cells = (l) => Array.from(document.querySelectorAll('.ck-lang-' + l + ':not(.ck-worksheet)'));
    const own = cells(lang), others = cells(other);
    return document.documentElement.lang === lang && own.length > 0 && own.length === others.length
        && own.every((el) => el.checkVisibility()) && others.every((el) => !el.checkVisibility());
}"""

_STATE_JS = """() => ({
    html: document.documentElement.lang,
    shown: Array.from(document.querySelectorAll('[class*="ck-lang-"]'))
        .filter((el) => el.checkVisibility()).map((el) => el.className + ' @' + el.getAttribute('cell-index')),
})"""

#: The recorder: ``window.__ckFlash.other`` lists each moment a cell of the other language was
#: displayed (the cell's display is not none and #rendered_cells is shown) before the switch was
#: touched; ``afterSwitch`` says it saw one after (so the recorder does see what it looks for).
_RECORDER_JS = """(() => {
    const OWN = '__OWN__', OTHER = '__OTHER__';
    const rec = window.__ckFlash = { other: [], ownSeen: false, checks: 0, switchUsed: false, afterSwitch: false };
    const shown = (el) => getComputedStyle(el).display !== 'none';
    document.addEventListener('pointerdown', (event) => {
        if (event.target.closest && event.target.closest('.ck-lang')) { rec.switchUsed = true; }
    }, true);
    function check(source) {
        const cells = document.getElementById('rendered_cells');
        if (!cells || !shown(cells)) { return; }
        rec.checks += 1;
        for (const el of document.querySelectorAll('.ck-lang-' + OTHER)) {
            if (!el.classList.contains('ck-worksheet') && shown(el)) {
                if (rec.switchUsed) {
                    rec.afterSwitch = true;
                } else if (rec.other.length < 20) {
                    rec.other.push({ cell: el.getAttribute('cell-index'), html: document.documentElement.lang,
                                     source: source, ms: Math.round(performance.now()) });
                }
                break;
            }
        }
        if (!rec.ownSeen) {
            rec.ownSeen = Array.from(document.querySelectorAll('.ck-lang-' + OWN)).some(shown);
        }
    }
    new MutationObserver(() => check('mutation')).observe(document, {
        childList: true, subtree: true, attributes: true, attributeFilter: ['lang', 'class', 'style', 'hidden'],
    });
    (function frame() { check('frame'); requestAnimationFrame(frame); })();
})();"""


def _wait_shows(page, lang: str) -> None:
    """Wait until the page is wholly in ``lang`` (see `_SHOWS_JS`); fail with what it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_SHOWS_JS, arg=lang, timeout=SETTLE_TIMEOUT_MS, polling=50)
    except PlaywrightTimeout:
        pytest.fail(f"the page is not wholly in {lang}: {page.evaluate(_STATE_JS)}", pytrace=False)


def _visitor(make_page, visitor: str, record: str | None = None):
    """A page for ``visitor``: "vi" (vi-VN), "en" (en-US), or "none": a browser in a language the
    lessons are not written in (fr-FR) that sends an empty Accept-Language for the page."""
    page = make_page(locale={"vi": "vi-VN", "en": "en-US", "none": "fr-FR"}[visitor])
    if visitor == "none":
        page.route("**/voila/render/**",
                   lambda route: route.continue_(headers={**route.request.headers, "accept-language": ""}))
    if record:
        page.add_init_script(_RECORDER_JS.replace("__OWN__", record).replace("__OTHER__", OTHER[record]))
    return page


def _heading(title: str) -> re.Pattern[str]:
    """A heading's text: the title, then the anchor link ("¶") that JupyterLab adds to it."""
    return re.compile(rf"^{re.escape(title)}\s*¶?\s*$")


def _app_title(page, lang: str):
    """The break-even app's title, which the app writes in the page's language."""
    return page.locator(".ck-app-break_even .ck-title"), i18n.tr("app.break_even.title", lang)


# --------------------------------------------------------------------------- (a) ?lang=


@pytest.mark.parametrize("notebook", NOTEBOOKS)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_lang_in_the_address_shows_that_language_only(voila_server, make_page, notebook, lang):
    # The browser asks for the other language: the address wins.
    page = _visitor(make_page, OTHER[lang])
    open_app(page, voila_server, notebook, lang=lang)
    _wait_shows(page, lang)
    head = workbooks.header(workbooks.find(notebook), lang)
    expect(page.locator(f".ck-lang-{lang}.ck-header h1")).to_have_text(_heading(head.title))
    expect(page.locator(f".ck-lang-{OTHER[lang]}.ck-header")).to_be_hidden()
    expect(page.locator(f".ck-lang-{lang}.ck-key-points")).to_be_visible()


# --------------------------------------------------------------------------- (b) the browser's language


@pytest.mark.parametrize(("visitor", "lang"), [("en", "en"), ("none", "vi")], ids=["accept-language-en", "no-language"])
def test_without_lang_the_browser_decides_and_vietnamese_is_the_default(voila_server, make_page, visitor, lang):
    page = _visitor(make_page, visitor)
    open_app(page, voila_server, "02_break_even.ipynb")
    _wait_shows(page, lang)
    title, expected = _app_title(page, lang)
    expect(title).to_have_text(expected)
    expect(page.locator(f".ck-lang-{lang}.ck-header h1")).to_have_text(
        _heading(workbooks.header(workbooks.find("break_even"), lang).title))


# --------------------------------------------------------------------------- (c) the switch


def test_switch_flips_lesson_and_app_together_without_a_reload(voila_server, make_page):
    page = _visitor(make_page, "vi")
    open_app(page, voila_server, "02_break_even.ipynb")
    _wait_shows(page, "vi")
    url = page.url
    page.evaluate("() => { window.__ckMarker = 'still the same page'; }")
    title, _ = _app_title(page, "vi")
    for lang in ("en", "vi"):
        page.locator(".ck-lang button", has_text=SWITCH[lang]).first.click()
        _wait_shows(page, lang)
        expect(title).to_have_text(i18n.tr("app.break_even.title", lang))
        expect(page.locator(f".ck-lang-{lang}.ck-header h1")).to_have_text(
            _heading(workbooks.header(workbooks.find("break_even"), lang).title))
        assert page.evaluate("() => window.__ckMarker") == "still the same page", "the page reloaded"
        assert page.url == url


# --------------------------------------------------------------------------- (d) no flash


@pytest.mark.parametrize("notebook", NOTEBOOKS)
@pytest.mark.parametrize(("visitor", "query", "lang"), [("vi", "en", "en"), ("none", None, "vi")],
                         ids=["lang-en", "no-language"])
def test_no_cell_of_the_other_language_is_ever_shown(voila_server, make_page, notebook, visitor, query, lang):
    page = _visitor(make_page, visitor, record=lang)
    open_app(page, voila_server, notebook, lang=query)
    _wait_shows(page, lang)
    # Every answer and app of the page has arrived, and a few more frames were watched.
    expect(page.locator(".ck-lesson-example").first).to_be_visible()
    checks = page.evaluate("() => window.__ckFlash.checks")
    page.wait_for_function("(n) => window.__ckFlash.checks > n + 30", arg=checks, timeout=SETTLE_TIMEOUT_MS)
    record = page.evaluate("() => window.__ckFlash")
    assert record["ownSeen"], "the recorder never saw the page's own lesson cells"
    assert record["other"] == [], f"cells of the other language were shown before the switch: {record['other']}"
    # The recorder sees the other language's cells when they are shown: after the switch.
    page.locator(".ck-lang button", has_text=SWITCH[OTHER[lang]]).first.click()
    _wait_shows(page, OTHER[lang])
    page.wait_for_function("() => window.__ckFlash.afterSwitch", timeout=SETTLE_TIMEOUT_MS)
