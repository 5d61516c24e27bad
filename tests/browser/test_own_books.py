"""Workbook 13's app in a real browser on a phone: upload a filled book, see its own numbers.

The workbook's notebook is written by another change; here a one-cell notebook shows the app
(`coopkit.ui.books_app.BooksApp`) from a temporary folder served by Voila, as `make serve` does.
"""

from __future__ import annotations

import io
from datetime import datetime

import nbformat
import pytest
from openpyxl import load_workbook

from coopkit import i18n
from coopkit.books import book_template

from .conftest import open_app, result_cell, settles

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

PHONE = {"width": 412, "height": 900}


@pytest.fixture(scope="module")
def books_server(make_voila_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("own_books")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from coopkit.ui.books_app import BooksApp\nBooksApp()")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "13_own_books.ipynb")
    return make_voila_server(notebooks=folder, preheat=False)


def _filled(tmp_path) -> str:
    book = load_workbook(io.BytesIO(book_template("vi")))
    costs, cash, members = book.worksheets[:3]
    costs.append(["Thuê xưởng", i18n.tr("books.choice.kind.fixed", "vi"), i18n.tr("books.choice.basis.season", "vi"),
                  100_000_000, None, None])
    costs.append(["Lá sắn", i18n.tr("books.choice.kind.variable", "vi"), i18n.tr("books.choice.basis.unit", "vi"),
                  10_000, "kg", None])
    cash.append([datetime(2026, 3, 2), "Bán dưa", 40_000_000, None, None])
    members.append(["Hà Văn Thắng", None, 60_000_000, 5, "sào", 3, "tấn"])
    path = tmp_path / "sổ sách HTX.xlsx"
    book.save(path)
    return str(path)


def test_a_manager_uploads_the_books_and_sees_their_numbers_on_a_phone(make_page, books_server, tmp_path):
    page = make_page(locale="vi-VN", viewport=PHONE)
    app = open_app(page, books_server, "13_own_books.ipynb")
    fixed = result_cell(app, "fixed_costs")
    expect(fixed).to_have_attribute("data-value", "223000000.0")  # the example book, marked as such
    expect(app.locator(".ck-books-example")).to_contain_text("minh họa")
    expect(app.locator("a.ck-download-template")).to_have_attribute("download", "mau-so-sach-htx.xlsx")
    # ipywidgets' upload button makes its <input type=file> outside the page's tree and clicks it:
    # the file chooser it opens is that input (FileChooser.set_files sets its files, as
    # set_input_files would).
    with settles(app):
        with page.expect_file_chooser() as chooser:
            app.locator("button.ck-books-upload").click()
        chooser.value.set_files(_filled(tmp_path))
    expect(fixed).to_have_attribute("data-value", "100000000.0")
    expect(result_cell(app, "variable_cost_per_unit")).to_have_attribute("data-value", "10000.0")
    expect(app.locator(".ck-books-file")).to_contain_text("sổ sách HTX.xlsx")
    expect(app.locator(".ck-books-status")).to_contain_text("✓")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page scrolls sideways on a phone ({width} px)"
