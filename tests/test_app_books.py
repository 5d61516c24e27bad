"""The app of workbook 13 driven without a browser: upload, refused files, language, keep and reopen."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from coopkit import i18n
from coopkit.books import book_template
from coopkit.ui import base as ui_base
from coopkit.ui.books_app import BooksApp


@pytest.fixture(autouse=True)
def _no_png(monkeypatch):
    monkeypatch.setattr(ui_base, "figure_png", lambda figure: b"")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def filled_book(lang: str = "vi", *, rent: float = 100_000_000, cash: bool = True) -> bytes:
    """The template filled in: two cost items, a cash book of two months (optional), two members."""
    book = load_workbook(io.BytesIO(book_template(lang)))
    costs, cash_book, members = book.worksheets[:3]
    fixed, variable = (i18n.tr(f"books.choice.kind.{k}", lang) for k in ("fixed", "variable"))
    season, unit = (i18n.tr(f"books.choice.basis.{b}", lang) for b in ("season", "unit"))
    costs.append(["Thuê xưởng", fixed, season, rent, None, None])
    costs.append(["Lá sắn", variable, unit, 10_000, "kg", None])
    if cash:
        cash_book.append([datetime(2026, 3, 2), "Bán dưa", 40_000_000, None, None])
        cash_book.append([datetime(2026, 4, 9), "Mua lá", None, 70_000_000, None])
    members.append(["Hà Văn Thắng", None, 60_000_000, 5, "sào", 3, "tấn"])
    members.append(["Đinh Thị Lan", None, 40_000_000, 4, "sào", 1, "tấn"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(app: BooksApp, content: bytes, name: str) -> None:
    """Choose a file as ipywidgets 8 gives it: a tuple of one dict, the content a memoryview."""
    app.upload.value = ({"name": name, "type": "", "size": len(content), "content": memoryview(content),
                         "last_modified": datetime(2026, 1, 1, tzinfo=timezone.utc)},)


@pytest.fixture
def app(tmp_path):
    return BooksApp(lang="vi", store_root=str(tmp_path))


def test_the_example_book_is_shown_before_any_upload_and_says_it_is_illustrative(app):
    result = app.result
    assert app.error is None and result.file_name is None and result.missing == ()
    assert result.costs.fixed_costs == pytest.approx(223_000_000)  # the template's fixed items
    assert result.break_even is not None and result.cash is not None and result.distribution is not None
    assert "minh họa" in app.results.value and "ck-books-example" in app.results.value
    assert "data:application/vnd.openxmlformats" in app.template_link.value and "ck-download" in app.template_link.value


def test_an_uploaded_book_gives_its_own_results_and_says_what_is_missing(app):
    upload(app, filled_book(cash=False), "sổ sách.xlsx")
    result = app.result
    assert app.error is None and result.file_name == "sổ sách.xlsx"
    assert result.costs.fixed_costs == 100_000_000 and result.costs.variable_cost_per_unit == 10_000
    volume = app.control("volume").value
    price = app.control("price_per_unit").value
    assert result.break_even.break_even_volume == pytest.approx(100e6 / (price - 10_000))
    assert result.cash is None and result.missing == ("cash_book",)
    assert "ck-books-missing" in app.results.value and "Sổ quỹ" in app.results.value
    statement = result.distribution.statement.set_index("member")
    assert statement.loc["Hà Văn Thắng", "transactions"] == 3_000  # kg sold through the cooperative
    assert statement["total"].sum() == pytest.approx(result.distribution.to_members)
    assert "✓" in app.upload_status.value and app.upload.value == ()
    app.control("volume").value = volume * 2
    assert app.result.costs.volume == pytest.approx(volume * 2)


def test_a_csv_file_of_one_table(app):
    upload(app, "Ngày;Thu;Chi\n01/03/2026;10.000.000;\n15/05/2026;;4.000.000\n".encode(), "so-quy.csv")
    result = app.result
    assert result.missing == ("cost_items", "members") and len(result.months) == 3
    assert result.cash.closing_cash == pytest.approx(app.control("opening_cash").value + 6_000_000)


@pytest.mark.parametrize(("content", "name", "reason"), [
    (b"%PDF-1.7 hoa don", "hoa-don.pdf", "books_not_spreadsheet"),
    (b"PK\x03\x04" + b"\0" * 20_000_000, "lon.xlsx", "books_file_too_large"),
    ("Ngày;Thu\n01/03/2026;một triệu\n".encode(), "so-quy.csv", "books_not_a_number"),
])
def test_a_refused_file_is_said_beside_the_upload_and_the_results_stay(app, content, name, reason):
    upload(app, filled_book(), "tot.xlsx")
    good, html = app.result, app.results.value
    upload(app, content, name)
    assert app.result is good and app.results.value == html and app.file_name == "tot.xlsx"
    assert app.upload_error.reason == reason
    assert f"⚠ {app.upload_error.message('vi')}" in app.upload_status.value.replace("&#x27;", "'") or \
        app.upload_error.message("vi")[:20] in app.upload_status.value
    assert "Traceback" not in app.upload_status.value and app.upload.value == ()
    app.set_lang("en")
    assert app.upload_error.message("en")[:20] in app.upload_status.value


def test_the_language_switch_translates_the_page_and_the_template(app):
    vi_link = app.template_link.value
    app.set_lang("en")
    assert app.error is None and "Unit cost and break-even" in app.results.value
    assert app.template_link.value != vi_link and "cooperative-books-template.xlsx" in app.template_link.value
    assert app.result.books.cost_items.items[0].name("en") == "Salt and spices"  # the example in English


def test_a_price_below_the_variable_cost_is_said_beside_the_price_and_the_rest_is_shown(app):
    upload(app, filled_book(), "so.xlsx")
    app.control("price_per_unit").value = 5_000
    assert app.result.cost_error.reason == "below_variable_cost"
    assert app.control("price_per_unit").error_text.startswith("⚠")
    assert app.result.cash is not None and app.result.distribution is not None


def test_the_results_download_as_excel(app):
    upload(app, filled_book(), "so.xlsx")
    content = app.export()
    assert "ck-download-xlsx" in app.export_link.value
    book = load_workbook(io.BytesIO(content))
    assert {"Giá thành, hòa vốn", "Tiền mặt theo tháng", "Chia lãi", "Chi phí", "Sổ quỹ", "Thành viên"} <= set(book.sheetnames)
    app.control("opening_cash").value = 1_000_000
    assert app.export_link.value == ""  # made for other numbers


def test_books_are_kept_and_reopened_with_the_name_and_code(app, tmp_path):
    app.save_books()
    assert "⚠" in app.store_status.value  # the example cannot be saved
    upload(app, filled_book(rent=77_000_000), "sổ 2026.xlsx")
    app.owner.value = "HTX Dưa muối Thanh Sơn"
    app.save_books()
    code = app.owner_code.value
    assert code and code in app.code_note.value and "✓" in app.store_status.value
    later = BooksApp(lang="en", store_root=str(tmp_path))  # another day
    later.owner.value = "htx dua muoi thanh son"
    later.owner_code.value = "AAA-AAA"
    later.open_books()
    assert "⚠" in later.store_status.value and later.file_name is None
    later.owner_code.value = code
    later.open_books()
    assert later.file_name == "sổ 2026.xlsx" and later.result.costs.fixed_costs == 77_000_000


def test_too_many_wrong_codes_make_the_session_wait(app, tmp_path):
    upload(app, filled_book(), "so.xlsx")
    app.owner.value = "HTX Cam"
    app.save_books()
    other = BooksApp(lang="vi", store_root=str(tmp_path))
    now = [1000.0]
    other.clock = lambda: now[0]
    other.owner.value = "HTX Cam"
    for n in range(6):
        other.owner_code.value = f"AAA-AA{n + 2}"
        other.open_books()
    assert "60" in other.store_status.value and other.file_name is None


def test_the_exercise_that_uses_the_app_gets_the_apps_break_even_volume():
    """Task `break_even_app` of exercises/13_own_books.toml: the boxes it names, typed in the app (the
    example book), give its answer; its inputs are the example book's costs."""
    from coopkit import exercises

    exercise_set = exercises.set_for("own_books")
    inputs = exercise_set.inputs
    app = BooksApp(lang="vi")
    assert app.result.costs.fixed_costs == inputs["example_fixed"]
    assert app.result.costs.variable_cost_per_unit == pytest.approx(inputs["example_variable"], abs=0.5)
    app.control("volume").value = inputs["app_volume_tan"]  # the box is in tấn
    app.control("price_per_unit").value = inputs["app_price"]
    shown_tonnes = app.result.break_even.break_even_volume / 1000
    assert shown_tonnes == pytest.approx(exercise_set.expected(exercise_set.task("break_even_app")), rel=1e-3)


def test_the_part_of_the_surplus_from_members_is_typed_and_checked_against_the_surplus():
    app = BooksApp(lang="en")
    surplus = app.control("surplus").read()
    assert app.control("internal_surplus").read() == round(surplus * 0.75 / 1e6) * 1e6
    app.control("internal_surplus").value = surplus / 2
    assert app.error is None and app.result.distribution.internal_surplus == surplus / 2
    app.control("internal_surplus").value = surplus * 2  # more than the whole surplus
    assert app.error is None  # the other sections still show; the members' section says why
    assert app.result.members_error is not None and app.result.members_error.reason == "part_above_whole"
    assert app.control("internal_surplus").error_text == f"⚠ {app.result.members_error.message('en')}"
