"""Workbook 13 in a real browser on a phone: upload a filled book, see its own numbers.

The workbook's page (`notebooks/13_own_books.ipynb`) is served by the suite's Voila server as
`make serve` serves it; the manager types into the boxes and uploads a filled template.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from coopkit import i18n
from coopkit.books import book_template

from .conftest import open_app, result_cell, settles, type_into

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

PHONE = {"width": 412, "height": 900}


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


def test_a_manager_uploads_the_books_and_sees_their_numbers_on_a_phone(make_page, voila_server, tmp_path):
    page = make_page(locale="vi-VN", viewport=PHONE)
    app = open_app(page, voila_server, "13_own_books.ipynb")
    fixed = result_cell(app, "fixed_costs")
    expect(fixed).to_have_attribute("data-value", "223000000.0")  # the example book, marked as such
    # The exercise's boxes: 25 tấn at 38.000 ₫ on the example book break even at 223 M ÷ (38.000 − 17.737).
    type_into(app, "volume", "25")
    type_into(app, "price_per_unit", "38.000")
    expect(result_cell(app, "break_even_volume")).to_have_text("11,01")
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


def test_books_kept_in_workbook_13_open_in_the_unit_cost_app_on_a_phone(make_page, voila_server, tmp_path):
    """The manager's way: upload and save the books in workbook 13, note the code, open workbook 01,
    type the cooperative's name and code in its "our own books" row: its results are the books'."""
    page = make_page(locale="vi-VN", viewport=PHONE)
    books = open_app(page, voila_server, "13_own_books.ipynb")
    with settles(books):
        with page.expect_file_chooser() as chooser:
            books.locator("button.ck-books-upload").click()
        chooser.value.set_files(_filled(tmp_path))
    expect(books.locator(".ck-books-status")).to_contain_text("✓")
    owner = "HTX Dưa muối Bảo Yên"
    books.locator(".ck-books-owner input").fill(owner)
    with settles(books):
        books.locator("button.ck-books-save").click()
    code = books.locator(".ck-code-new b.ck-code").inner_text(timeout=120_000).strip()
    assert code, "workbook 13 shows the new code once"

    app = open_app(page, voila_server, "01_unit_cost.ipynb")
    fixed = result_cell(app, "fixed_costs")
    template_fixed = fixed.get_attribute("data-value")
    assert template_fixed != "100000000.0"
    row = app.locator(".ck-own-books")
    expect(row.locator(".ck-own-books-owner")).to_be_hidden()  # folded: one button on a phone
    with settles(app):
        row.locator(".ck-own-books-toggle").click()
    row.locator(".ck-own-books-owner input").fill(owner)
    row.locator(".ck-own-books-code input").fill(code)
    with settles(app):
        row.locator("button.ck-own-books-open").click()
    expect(row.locator(".ck-own-books-status")).to_contain_text("✓")
    expect(fixed).to_have_attribute("data-value", "100000000.0")
    expect(result_cell(app, "variable_cost_per_unit")).to_have_attribute("data-value", "10000.0")
    expect(app.locator(".ck-product select")).to_have_value(f"Sổ sách của {owner}")
    assert code not in page.url, "the code never travels in the page's address"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page scrolls sideways on a phone ({width} px)"
    # a wrong code is said on the row, and the books' results stay
    row.locator(".ck-own-books-code input").fill("AAA-BBB")
    with settles(app):
        row.locator("button.ck-own-books-open").click()
    expect(row.locator(".ck-own-books-status")).to_contain_text("⚠")
    expect(fixed).to_have_attribute("data-value", "100000000.0")
