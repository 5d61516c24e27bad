"""A cooperative's own books, kept in workbook 13, opened in the apps of workbooks 01, 02, 03, 04, 10 and 11.

The books are saved as workbook 13's app saves them (`coopkit.bookstore.BookStore`); each app
opens them with its "our own books" row (`coopkit.ui.ownbooks.BooksOpener`), and its results are
checked against what workbook 13's app computes from the same file and the same boxes.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from coopkit import i18n
from coopkit.books import OWN_BOOKS, book_template, read_books
from coopkit.bookstore import BookStore
from coopkit.cashflow import cash_flow_plan
from coopkit.ui import base as ui_base
from coopkit.ui.apps import BreakEvenApp, ChannelPricingApp, UnitCostApp
from coopkit.ui.books_app import BooksApp, example_book
from coopkit.ui.cashflow_app import CashFlowApp
from coopkit.ui.controls import MAX_MEMBERS
from coopkit.ui.members_app import MemberIncomeApp
from coopkit.ui.panels import CODE_WAIT_SECONDS, MAX_CODE_TRIES
from coopkit.ui.whatif_app import WhatIfApp

OWNER = "HTX Dưa muối Thanh Sơn"
APPS = (UnitCostApp, BreakEvenApp, ChannelPricingApp, WhatIfApp, CashFlowApp, MemberIncomeApp)


@pytest.fixture(autouse=True)
def _no_png(monkeypatch):
    monkeypatch.setattr(ui_base, "figure_png", lambda figure: b"")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def keep(root, content: bytes, name: str = "sổ sách.xlsx", owner: str = OWNER) -> str:
    """Save ``content`` as workbook 13 saves it; the folder's new code."""
    store = BookStore(root, owner, code="")
    store.save(content, name)
    return store.new_code


def only_members(count: int = 2) -> bytes:
    """A book whose only filled sheet is the members list, of ``count`` members."""
    book = load_workbook(io.BytesIO(book_template("vi")))
    for number in range(count):
        book.worksheets[2].append([f"Thành viên {number + 1}", None, 10_000_000, None, None, 500, "kg"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def open_books(app, owner: str = OWNER, code: str = "") -> str:
    """Type the name and code in the app's row and press Open (as the page does); the status line."""
    opener = app.books_opener
    opener.toggle.value = True
    opener.owner.value = owner
    opener.owner_code.value = code
    opener.open_button.click()
    return opener.status.value


@pytest.fixture
def root(tmp_path):
    return str(tmp_path)


@pytest.mark.parametrize("cls", APPS)
def test_the_row_starts_folded_and_opens_with_its_button(cls, root):
    app = cls(lang="vi", store_root=root)
    opener = app.books_opener
    # folded: only the button is on the page (its boxes are made when it is first pressed)
    assert opener.body is None and opener.box.children == (opener.toggle,)
    assert "Dùng sổ sách" in opener.toggle.description
    opener.toggle.value = True
    assert opener.body.layout.display is None and opener.box.children == (opener.toggle, opener.body)
    assert "bài 13" in opener.help.value and opener.status.value == ""
    opener.toggle.value = False
    assert opener.body.layout.display == "none"
    app.set_lang("en")
    opener.toggle.value = True
    assert opener.open_button.description == "Open our books" and "workbook 13" in opener.help.value


def test_the_apps_on_a_template_or_a_table_of_the_books_have_the_row_and_the_others_not():
    from coopkit.ui import __all__ as names
    from coopkit import ui

    with_row = {name for name in names if isinstance(getattr(ui, name), type)
                and issubclass(getattr(ui, name), ui_base.App) and getattr(ui, name).books_tables}
    assert with_row == {cls.__name__ for cls in APPS}
    assert [cls.books_tables for cls in APPS] == [("cost_items",)] * 4 + [("cash_book",), ("members",)]
    from coopkit.ui.yield_app import YieldPlanApp

    assert YieldPlanApp(lang="vi").books_opener is None


def test_unit_cost_runs_on_the_books_cost_items_as_workbook_13_does(root):
    code = keep(root, example_book("vi"))
    app = UnitCostApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    app.control("volume").value = 25_000  # typed before opening: kept
    said = open_books(app, code=code)
    assert "✓" in said and "11 khoản chi phí" in said and "sổ sách.xlsx" in said
    assert app.product_key == OWN_BOOKS and app.product_choice.value == OWN_BOOKS
    assert dict(app.product_choice.options)["Sổ sách của HTX Dưa muối Thanh Sơn"] == OWN_BOOKS
    assert app.control("volume").read() == pytest.approx(25_000)
    thirteen = BooksApp(lang="vi", store_root=root)
    thirteen.control("volume").value = 25_000
    assert app.error is None
    assert app.result.summary.fixed_costs == pytest.approx(thirteen.result.costs.fixed_costs) == pytest.approx(223e6)
    assert app.result.unit_cost == pytest.approx(thirteen.result.costs.unit_cost)
    assert app.result.raw_input_needed is None  # what the cooperative buys is one of its own items
    # the books' cost items are boxes like a template's: change one and the cost changes
    season_item = next(item for item in app.product.cost_items if item.basis == "season")
    box = app.control(f"cost.{season_item.key}")
    before = app.result.unit_cost
    box.value = box.read() + 25_000_000
    assert app.result.unit_cost == pytest.approx(before + 1_000)


def test_break_even_runs_on_the_books_and_meets_workbook_13s_exercise(root):
    code = keep(root, example_book("vi"))
    app = BreakEvenApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    open_books(app, code=code)
    app.control("volume").value = 25_000
    app.control("price_per_unit").value = 38_000
    result = app.result[0]
    # 223 M ÷ (38 000 − 17 737) ≈ 11 005 kg: workbook 13's exercise, from the same books
    assert result.break_even_volume == pytest.approx(223e6 / (38_000 - app.control("variable_cost_per_unit").read()))
    assert result.break_even_volume / 1_000 == pytest.approx(11.01, abs=0.005)


def test_books_in_kilograms_opened_on_the_egg_template_are_sold_by_the_kilogram(root):
    code = keep(root, example_book("vi"))
    app = BreakEvenApp("trung_son_nam", lang="vi", store_root=root)
    open_books(app, code=code)
    assert app.product.unit == "kg"
    # the egg price (2 800 ₫) is below the books' variable cost per kg: said beside the price box
    assert "không cao hơn chi phí biến đổi" in app.control("price_per_unit").error_text
    app.control("price_per_unit").value = 35_000
    assert app.error is None and app.result[0].break_even_volume > 0


def test_picking_a_template_and_the_books_again(root):
    code = keep(root, example_book("vi"))
    app = UnitCostApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    open_books(app, code=code)
    books_cost = app.result.unit_cost
    app.product_choice.value = "cam_lac_thuy"
    assert app.product_key == "cam_lac_thuy" and app.result.unit_cost != pytest.approx(books_cost)
    app.product_choice.value = OWN_BOOKS
    assert app.product_key == OWN_BOOKS and app.result.summary.fixed_costs == pytest.approx(223e6)


def test_cash_flow_runs_on_the_cash_books_months_as_workbook_13_does(root):
    code = keep(root, example_book("vi"))
    app = CashFlowApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    said = open_books(app, code=code)
    assert "12 tháng, từ 01/2025 đến 12/2025" in said
    assert app.product_key == OWN_BOOKS and app.control("start_month").read() == 1
    app.control("opening_cash").value = 50_000_000
    app.control("minimum_cash").value = 0
    books = read_books(example_book("vi"))
    expected = cash_flow_plan(**books.cash_book.cash_flow_inputs(), opening_cash=50_000_000)
    plan = app.result.plan
    # The month table holds millions with two decimals and shares with two: ten thousand đồng a cell.
    assert plan.inflow == pytest.approx(expected.inflow, abs=200_000)
    assert plan.outflow == pytest.approx(expected.outflow, abs=200_000)
    assert plan.lowest_cash == pytest.approx(expected.lowest_cash, abs=400_000)
    assert plan.worst_month == expected.worst_month
    # price × volume is the book's sales: change the price and the sales follow
    sales = app.result.revenue
    assert sales == pytest.approx(sum(books.cash_book.latest_year().sales_receipts), rel=1e-3)
    app.control("price_per_unit").value = app.control("price_per_unit").read() * 0.9
    assert app.result.revenue == pytest.approx(sales * 0.9, rel=1e-3)
    # the loan received in February is an other receipt of February in the month table
    assert app.control("other_receipts").read()[1] == pytest.approx(300_000_000)


def test_cash_flow_takes_the_latest_twelve_months_of_a_longer_book(root):
    book = load_workbook(io.BytesIO(book_template("vi")))
    cash = book.worksheets[1]
    sales = i18n.tr("books.choice.category.sales_receipts", "vi")
    cash.append([datetime(2025, 3, 5), "Bán trứng", 9_000_000, None, sales])
    cash.append([datetime(2025, 6, 5), "Bán trứng", 10_000_000, None, sales])
    cash.append([datetime(2026, 5, 20), "Bán trứng", 12_000_000, None, sales])
    cash.append([datetime(2026, 5, 28), "Hội chợ", 3_000_000, None, None])  # no category: an other receipt
    out = io.BytesIO()
    book.save(out)
    code = keep(root, out.getvalue(), "so-quy.xlsx")
    app = CashFlowApp("trung_son_nam", lang="en", store_root=root)
    said = open_books(app, code=code)
    assert "12 months, from 06/2025 to 05/2026" in said
    assert app.control("start_month").read() == 6
    calendar = app.control("sales_calendar").read()
    assert calendar[5] == pytest.approx(10 / 22, abs=1e-4) and calendar[4] == pytest.approx(12 / 22, abs=1e-4)
    assert calendar[2] == 0  # March 2025 is more than twelve months back
    assert app.control("other_receipts").read()[4] == pytest.approx(3_000_000)


def test_a_cash_book_without_sales_keeps_its_receipts_and_shows_no_error(root):
    book = load_workbook(io.BytesIO(book_template("vi")))
    book.worksheets[1].append([datetime(2026, 1, 5), "Thu tiền", 12_000_000, None, None])  # no category
    book.worksheets[1].append([datetime(2026, 2, 5), "Lương", None, 20_000_000, None])
    out = io.BytesIO()
    book.save(out)
    code = keep(root, out.getvalue(), "so-quy.csv.xlsx")
    app = CashFlowApp(lang="vi", store_root=root)
    open_books(app, code=code)
    assert app.error is None and app.result.revenue == 0
    assert app.control("volume").read() == 0
    assert app.result.plan.inflow == pytest.approx(12_000_000) and app.result.plan.outflow == pytest.approx(20_000_000)


def test_member_income_takes_the_books_members_at_the_cooperatives_price(root):
    code = keep(root, example_book("vi"))
    app = MemberIncomeApp(lang="vi", store_root=root)
    app.control("price_via_coop_per_kg").value = 4_000
    said = open_books(app, code=code)
    assert "8 thành viên" in said
    members = read_books(example_book("vi")).members.members(price_per_unit=4_000)
    shown = app.control("members").read()
    assert [(m.name, m.capital, m.kind) for m in shown] == [(m.name, m.capital, m.kind) for m in members]
    assert [m.transactions for m in shown] == pytest.approx([m.transactions for m in members])
    assert app.error is None
    statement = app.result.distribution.statement
    assert list(statement["member"]) == [m.name for m in members]
    assert app.control("member").read() == members[0].name  # the comparison is of a member in the books


def test_a_book_with_more_members_than_the_table_takes_is_refused_whole(root):
    code = keep(root, only_members(MAX_MEMBERS + 1))
    app = MemberIncomeApp(lang="vi", store_root=root)
    before = app.control("members").read()
    said = open_books(app, code=code)
    assert "⚠" in said and f"{MAX_MEMBERS + 1} thành viên" in said and "Bài 13" in said
    assert app.control("members").read() == before


@pytest.mark.parametrize("cls, missing", [(UnitCostApp, "bảng chi phí"), (BreakEvenApp, "bảng chi phí"),
                                          (CashFlowApp, "sổ quỹ")])
def test_books_without_the_table_an_app_needs_are_refused_and_nothing_changes(cls, missing, root):
    code = keep(root, only_members())
    app = cls(lang="vi", store_root=root)
    key, before = app.product_key, app.result
    said = open_books(app, code=code)
    assert "⚠" in said and missing in said and "bài 13" in said
    assert app.product_key == key and app.result is before and OWN_BOOKS not in app.products


def test_members_app_refuses_books_without_members(root):
    book = load_workbook(io.BytesIO(book_template("en")))
    book.worksheets[1].append([datetime(2026, 3, 2), "Egg sales", 40_000_000, None, None])
    out = io.BytesIO()
    book.save(out)
    code = keep(root, out.getvalue(), "cash.xlsx")
    app = MemberIncomeApp(lang="en", store_root=root)
    said = open_books(app, code=code)
    assert "⚠" in said and "no members list" in said and "workbook 13" in said


@pytest.mark.parametrize("cls", APPS)
def test_no_books_saved_says_where_to_save_them(cls, root):
    app = cls(lang="vi", store_root=root)
    said = open_books(app, owner="HTX Chưa Lưu")
    assert "⚠" in said and "chưa có sổ sách nào được lưu" in said and "bài 13" in said


@pytest.mark.parametrize("owner", ["", "   ", "x" * 500, "../../etc"])
def test_a_bad_name_is_said_on_the_row(owner, root):
    app = UnitCostApp(lang="vi", store_root=root)
    said = open_books(app, owner=owner)
    assert "⚠" in said and app.error is None and app.product_key != OWN_BOOKS


def test_a_folder_with_a_code_needs_it_and_wrong_codes_make_the_session_wait(root):
    keep(root, example_book("vi"))
    app = UnitCostApp(lang="vi", store_root=root)
    now = [1000.0]
    app.books_opener.clock = lambda: now[0]
    assert "mã" in open_books(app, code="")
    for number in range(MAX_CODE_TRIES):
        said = open_books(app, code=f"AAA-BB{number}")
        assert "không đúng" in said
    said = open_books(app, code="AAA-BBX")
    assert "⚠" in said and app.product_key != OWN_BOOKS
    assert app.books_opener.code_guard.locked_until == pytest.approx(1000.0 + CODE_WAIT_SECONDS)


def test_a_damaged_saved_file_is_refused_in_words(root, tmp_path):
    code = keep(root, example_book("vi"))
    folder = BookStore(root, OWNER).folder
    data_file = next(path for path in folder.iterdir() if path.name.startswith("books-"))
    data_file.write_bytes(b"not the books")
    app = UnitCostApp(lang="vi", store_root=root)
    said = open_books(app, code=code)
    assert "⚠" in said and "hỏng" in said and app.product_key != OWN_BOOKS


def test_the_language_switch_says_the_row_and_the_books_name_again(root):
    code = keep(root, example_book("vi"))
    app = UnitCostApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    open_books(app, code=code)
    app.set_lang("en")
    opener = app.books_opener
    assert opener.toggle.description == i18n.tr("own_books.toggle", "en")
    assert opener.open_button.description == "Open our books"
    assert "Opened the books of" in opener.status.value and "11 cost items" in opener.status.value
    assert dict(app.product_choice.options)["Books of HTX Dưa muối Thanh Sơn"] == OWN_BOOKS
    assert app.product_key == OWN_BOOKS and app.error is None
    open_books(app, owner="nobody")
    app.set_lang("vi")
    assert "chưa có sổ sách nào được lưu" in opener.status.value


def test_a_bad_box_is_not_lost_when_books_open(root):
    """A box holding a bad number keeps the template's value in the books' template; the
    books still open and the manager sees the boxes' errors as before."""
    code = keep(root, example_book("vi"))
    app = BreakEvenApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    app.control("price_per_unit").text.value = "ba mươi nghìn"
    assert app.error is not None
    said = open_books(app, code=code)
    assert "✓" in said and app.product_key == OWN_BOOKS
    assert app.control("price_per_unit").read() == pytest.approx(app.products["dua_muoi_phu_tho"].price_per_unit)


def test_channel_pricing_takes_the_cost_per_unit_of_the_books(root):
    code = keep(root, example_book("vi"))
    app = ChannelPricingApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    said = open_books(app, code=code)
    assert "✓" in said and "giá thành mỗi đơn vị" in said
    books = read_books(example_book("vi"))
    template = app.products["dua_muoi_phu_tho"]
    expected = books.cost_items.summary(template.volume_per_season, template.area_ha, template.units_per_batch)
    assert app.control("cost_per_unit").read() == pytest.approx(round(expected.unit_cost), abs=1)
    assert app.error is None and app.result.attrs["cost_per_unit"] == app.control("cost_per_unit").read()


def test_what_if_runs_on_the_books_and_a_scenario_saved_on_them_reopens_with_them(root):
    code = keep(root, example_book("vi"))
    app = WhatIfApp("dua_muoi_phu_tho", lang="vi", store_root=root)
    app.control("list_price").value = 38_000
    said = open_books(app, code=code)
    assert "Giá niêm yết và sản lượng" in said and "diện tích" not in said  # the boxes this app has
    assert app.product_key == OWN_BOOKS and app.error is None
    assert app.control("fixed_costs").read() == pytest.approx(223e6)
    assert app.control("list_price").read() == pytest.approx(38_000)  # typed before opening: kept
    scenario = app.scenarios.pin("sổ sách")
    assert scenario.product == OWN_BOOKS
    # Another session without the books open: the scenario's inputs apply to the product shown.
    other = WhatIfApp("cam_lac_thuy", lang="vi", store_root=root)
    other.apply_scenario(scenario)
    assert other.product_key == "cam_lac_thuy" and other.error is None
    assert other.control("fixed_costs").read() == pytest.approx(223e6)
    # With the books open, it opens them again.
    open_books(other, code=code)
    other.product_choice.value = "cam_lac_thuy"
    other.apply_scenario(scenario)
    assert other.product_key == OWN_BOOKS


def test_an_app_that_opens_another_table_must_say_how():
    class Half(ui_base.App):  # noqa: F841 - made to be refused
        books_tables = ("cost_items",)  # the template path: fine without its own use_books

    with pytest.raises(TypeError, match="must define use_books"):
        class Broken(ui_base.App):  # noqa: F841
            books_tables = ("cash_book",)
