"""A trainer edits a lesson and reloads the served page: the change shows at once (issue 12).

``make serve`` keeps a kernel per notebook warmed ahead, which renders its notebook long before
anyone visits. Without care the first reload after an edit showed the page prepared from the old
notebook. ``share/jupyter/config/voila.py`` stamps each prepared page with the notebook file's
time and size and prepares it again when the file changed. Here: a preheated server on a copy of
workbook 2, an edit of the title, a sentence in each language and the worked example's numbers,
one reload per language.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from playwright.sync_api import expect

from coopkit import fmt

from .conftest import REPO_ROOT, open_app

pytestmark = pytest.mark.browser

NOTEBOOK = "02_break_even.ipynb"


def _edit(path):
    """What a trainer does in JupyterLab: her cooperative in the title, a sentence in each
    language, her own numbers in the first worked example (its code cell)."""
    nb = nbformat.read(path, as_version=4)
    added = {"vi": "Ví dụ của HTX Cà phê Chiềng Ban.", "en": "An example from Chiềng Ban Coffee Cooperative."}
    headers = 0
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown" and "header" in tags:
            lang = "vi" if "lang-vi" in tags else "en"
            lines = cell.source.split("\n")
            lines[0] += " (Chiềng Ban)"
            lines.insert(1, "\n" + added[lang])
            cell.source = "\n".join(lines)
            headers += 1
    assert headers == 2
    answer = next(c for c in nb.cells if c.cell_type == "code" and "page.answer(" in c.source)
    answer.source = "page.answer(123_456_789)"
    nbformat.write(nb, path)
    return added


def test_an_edited_lesson_shows_on_the_next_reload_in_both_languages(make_voila_server, make_page, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "notebooks" / NOTEBOOK, folder)
    shutil.copy(REPO_ROOT / "notebooks" / "workbooks.toml", folder)
    server = make_voila_server(notebooks=folder, preheat=True, pool_size=1)

    page = make_page()
    open_app(page, server, NOTEBOOK, lang="vi")
    title = page.locator(".ck-header.ck-lang-vi h1")
    expect(title).to_be_visible()
    expect(title).not_to_contain_text("Chiềng Ban")
    # The visit took the warm page; the pool is preparing the next one from the notebook as it is now.

    added = _edit(folder / NOTEBOOK)

    for lang in ("vi", "en"):
        page = make_page()
        open_app(page, server, NOTEBOOK, lang=lang)
        header = page.locator(f".ck-header.ck-lang-{lang}")
        expect(header.locator("h1")).to_contain_text("(Chiềng Ban)")
        expect(header).to_contain_text(added[lang])
        expect(page.locator(f".ck-header.ck-lang-{'en' if lang == 'vi' else 'vi'}")).to_be_hidden()
        expect(page.locator(".ck-lesson-example b").first).to_have_text(fmt.money(123_456_789, lang))
        expect(page).to_have_title(f"{header.locator('h1').inner_text().replace('¶', '').strip()} — coopkit")
        # nothing else moved: the app is there and computes
        expect(page.locator(".ck-app.ck-ready")).to_be_visible()
    assert "changed since its page was prepared" in server.log_path.read_text(errors="replace")
