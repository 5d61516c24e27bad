"""Pages say what they are: ``<html lang>`` and the tab's title follow the page's language.

Voila writes ``<html lang="en">`` and the notebook's file name as the title ("04_what_if_pricing").
The coopkit template starts a page in Vietnamese, picks the visitor's language as
`coopkit.i18n.language_from_environ` does (``?lang=``, then the browser's languages), and then
follows the hidden ``[data-ck-lang][data-ck-title]`` element of the page's language switch
(`coopkit.ui.lesson.Lesson.switch`), which the switch re-renders. The titles are the notebooks' own
(``coopkit.workbooks.header``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coopkit import i18n, workbooks
from coopkit.ui.lesson import page_title

from .conftest import open_app

pytestmark = pytest.mark.browser

TEMPLATE = Path(__file__).resolve().parents[2] / "share/jupyter/voila/templates/coopkit/index.html.j2"
SWITCH = {"vi": "Tiếng Việt", "en": "English"}


def _title(lesson: str, lang: str) -> str:
    """The tab's title: the notebook's header (``# …``) in ``lang``, as `coopkit.ui.lesson.page_title` writes it."""
    notebook = workbooks.START if lesson == "start" else workbooks.find(lesson)
    return page_title(workbooks.header(notebook, lang).title)


@pytest.mark.parametrize(
    ("notebook", "lesson", "lang"),
    [
        ("00_start.ipynb", "start", "vi"),
        ("00_start.ipynb", "start", "en"),
        ("02_break_even.ipynb", "break_even", "en"),
        ("04_what_if_pricing.ipynb", "what_if", "vi"),
        ("06_production_risk.ipynb", "production_risk", "en"),
    ],
)
def test_page_declares_its_language_and_title_and_follows_the_switch(voila_server, make_page, notebook, lesson, lang):
    # Vietnamese: the browser asks for it (vi-VN) and the URL says nothing; English: ?lang=en.
    page = make_page(locale="vi-VN")
    open_app(page, voila_server, notebook, lang=None if lang == "vi" else lang)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(page).to_have_title(_title(lesson, lang))
    assert "ipynb" not in page.title() and "_" not in page.title()

    other = "en" if lang == "vi" else "vi"
    page.locator(".ck-lang button", has_text=SWITCH[other]).first.click()
    expect(html).to_have_attribute("lang", other)
    expect(page).to_have_title(_title(lesson, other))

    page.locator(".ck-lang button", has_text=SWITCH[lang]).first.click()
    expect(html).to_have_attribute("lang", lang)
    expect(page).to_have_title(_title(lesson, lang))


def test_english_browser_gets_an_english_page_without_asking(voila_server, make_page):
    """No ?lang=: the browser's language (en-US) decides, on the server and in the page."""
    page = make_page(locale="en-US")
    open_app(page, voila_server, "01_unit_cost.ipynb")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title(_title("unit_cost", "en"))


# --------------------------------------------------------------------------- before the kernel answers


def _head_script() -> str:
    """The template's language script, as the page runs it before any widget exists."""
    match = re.search(r'<script id="ck-page-lang">.*?</script>', TEMPLATE.read_text(encoding="utf-8"), re.S)
    assert match, "the coopkit template has no ck-page-lang script"
    return match.group(0)


def _probe(make_page, locale: str, query: str = ""):
    """A page with only the template's <head> script, served without a kernel."""
    page = make_page(locale=locale)
    html = f'<!DOCTYPE html><html lang="vi"><head><title>coopkit</title>{_head_script()}</head><body></body></html>'
    page.route("http://127.0.0.1:9/**", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(f"http://127.0.0.1:9/voila/render/probe.ipynb{query}")
    return page


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("vi-VN", "", "vi"),
        ("en-US", "", "en"),
        ("en-GB", "?lang=vi", "vi"),
        ("vi-VN", "?lang=en", "en"),
        ("vi-VN", "?lang=EN-us", "en"),
        ("fr-FR", "", "vi"),
        ("fr-FR", "?lang=de", "vi"),
    ],
)
def test_first_language_is_the_one_the_server_will_choose(make_page, locale, query, expected):
    page = _probe(make_page, locale, query)
    expect(page.locator("html")).to_have_attribute("lang", expected)
    # The same rule as the kernel's (Accept-Language is what chromium sends for its locale).
    environ = {"QUERY_STRING": query.lstrip("?"), "HTTP_ACCEPT_LANGUAGE": locale}
    assert i18n.language_from_environ(environ) == expected


def test_title_and_language_follow_the_lesson_header_element(make_page):
    page = _probe(make_page, "vi-VN")
    expect(page).to_have_title("coopkit")
    page.evaluate("""() => {
        const box = document.createElement('div');
        box.innerHTML = "<span hidden data-ck-lang='en' data-ck-title='2. Break-even — coopkit'></span>";
        document.body.appendChild(box);
    }""")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("2. Break-even — coopkit")
    # The switch re-renders the header: the element is replaced.
    page.evaluate("""() => {
        document.body.firstElementChild.innerHTML =
            "<span hidden data-ck-lang='vi' data-ck-title='2. Hòa vốn — coopkit'></span>";
    }""")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title("2. Hòa vốn — coopkit")


def test_server_pages_without_a_lesson_declare_vietnamese_first(voila_server):
    """The front door and error pages (template page.html) are bilingual, Vietnamese first."""
    from .conftest import http_get

    status, body = http_get(voila_server.url + "voila/render/no_such_workbook.ipynb")
    assert status == 404
    assert b'<html lang="vi">' in body
    status, body = http_get(voila_server.url)
    assert b'<html lang="vi">' in body and b"<title>coopkit</title>" in body
