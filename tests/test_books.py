"""Workbook 13's data layer: the blank template, reading a filled-in file, writing results back.

Four kinds (STYLE.md §5): worked examples (the orange cooperative of `coopkit.costs.cost_summary`'s
example, the Sơn La members of ``datasets/members_example.csv``), edge cases and ambiguous numbers,
hypothesis round trips (template → filled in → read → exported → read again), and a corpus of
awkward files made here in ``tmp_path``, each refused (or read) with its own message in both
languages and nothing imported.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile
from datetime import date, datetime
from functools import cache

import pandas as pd
import pytest
from babel.numbers import format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from coopkit import books, i18n
from coopkit.books import (
    MAX_FILE_BYTES,
    TABLES,
    book_template,
    read_books,
    read_cash_book,
    read_cost_items,
    read_members,
    tables_to_xlsx,
    write_tables_xlsx,
)
from coopkit.cashflow import cash_flow_plan
from coopkit.costs import CostItem, cost_summary
from coopkit.errors import InputError

SHEETS = {"vi": ("Chi phí", "Sổ quỹ", "Thành viên"), "en": ("Cost items", "Cash book", "Members")}


# -- helpers ---------------------------------------------------------------------------------------


@cache
def _template(lang: str) -> bytes:
    return book_template(lang)


def filled(lang: str, costs=(), cash=(), members=()) -> bytes:
    """The template in ``lang`` with rows written from row 3, as a manager fills it in."""
    book = load_workbook(io.BytesIO(_template(lang)))
    for title, rows in zip(SHEETS[lang], (costs, cash, members)):
        for r, row in enumerate(rows, start=3):
            for c, value in enumerate(row, start=1):
                book[title].cell(r, c).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook(**sheets) -> bytes:
    """A workbook with the given sheets, each a list of rows (row 1 first)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(call) -> InputError:
    """The error ``call`` raises; nothing was imported (the call returned nothing)."""
    imported = []
    with pytest.raises(InputError) as info:
        imported.append(call())
    assert imported == []
    err = info.value
    for lang in ("vi", "en"):
        text = err.message(lang)
        assert text.strip() and "{" not in text and "error." not in text and "books." not in text, text
    assert err.message("vi") != err.message("en")
    return err


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """``text`` in Windows-1258 as old Vietnamese Excel wrote it: tone marks as combining characters."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


# -- 1. worked examples ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_template_has_three_sheets_headers_formats_and_lists(lang):
    book = load_workbook(io.BytesIO(book_template(lang)))
    notes = {"vi": "Hướng dẫn", "en": "Instructions"}[lang]
    assert book.sheetnames == [*SHEETS[lang], notes]
    costs, cash, members = (book[t] for t in SHEETS[lang])
    assert [c.value for c in costs[2]][:4] == {
        "vi": ["Khoản chi phí", "Loại (cố định / biến đổi)", "Cách tính", "Số tiền (₫)"],
        "en": ["Cost item", "Kind (fixed / variable)", "Basis", "Amount (₫)"]}[lang]
    assert costs["A1"].value and costs.freeze_panes == "A3"  # the instruction row, then the headers
    assert costs["D3"].number_format == "#,##0" and cash["A3"].number_format == "dd/mm/yyyy"
    assert members["C3"].number_format == "#,##0"
    assert costs.column_dimensions["A"].width > costs.column_dimensions["E"].width
    lists = [v.formula1 for v in costs.data_validations.dataValidation if v.type == "list"]
    assert {"vi": '"cố định,biến đổi"', "en": '"fixed,variable"'}[lang] in lists
    assert any("Bán hàng" in v.formula1 or "Sales" in v.formula1 for v in cash.data_validations.dataValidation)
    assert "5 MB" in book[notes]["A7"].value and {"vi": "10.000", "en": "10,000"}[lang] in book[notes]["A7"].value


def test_the_lac_thuy_orange_costs_give_the_cost_summary_of_the_costs_example():
    """coopkit.costs.cost_summary's example (5 ha, 100 t: fixed 120 M, 2 000 ₫/kg, 3 200 ₫/kg), with the
    per-hectare items written per sào Bắc Bộ (360 m²) and the picking per tạ, as a manager writes them."""
    data = filled("vi", costs=[
        ["Thuê đất", "cố định", "mỗi ha", 432_000, "sào"],  # 12 M a ha
        ["Khấu hao vườn", "cố định", "mỗi vụ", 60_000_000],
        ["Phân bón", "biến đổi", "mỗi ha", "648.000 ₫", "sào"],  # 18 M a ha
        ["Công thu hoạch", "biến đổi", "mỗi đơn vị", "80.000đ", "tạ"],  # 800 ₫/kg
        ["Thùng đóng gói", "biến đổi", "mỗi mẻ", 150_000],
    ])
    book = read_cost_items(data)
    expected = cost_summary([
        CostItem("thue_dat", "Thuê đất", "Land lease", 12_000_000, "ha", "fixed"),
        CostItem("khau_hao", "Khấu hao vườn", "Orchard depreciation", 60_000_000, "season", "fixed"),
        CostItem("phan_bon", "Phân bón", "Fertiliser", 18_000_000, "ha", "variable"),
        CostItem("thu_hoach", "Công thu hoạch", "Harvest labour", 800, "unit", "variable"),
        CostItem("thung", "Thùng đóng gói", "Crates", 150_000, "batch", "variable"),
    ], volume=100_000, area_ha=5, units_per_batch=500)
    summary = book.summary(volume=100_000, area_ha=5, units_per_batch=500)
    assert (summary.fixed_costs, summary.variable_cost_per_unit, summary.unit_cost) == pytest.approx(
        (expected.fixed_costs, expected.variable_cost_per_unit, expected.unit_cost))
    assert (summary.fixed_costs, summary.unit_cost) == pytest.approx((120_000_000, 3_200))
    assert [i.key for i in book.items] == ["thue_dat", "khau_hao_vuon", "phan_bon", "cong_thu_hoach", "thung_dong_goi"]
    assert book.table["unit"].tolist() == ["sao_bac_bo", "", "sao_bac_bo", "ta", ""]


def test_the_son_la_members_trade_what_members_example_says():
    """datasets/members_example.csv: 15 t of cherry at 15 000 ₫/kg is 225 M; written as 150 tạ."""
    data = filled("vi", members=[
        ["Lò Văn Bình", "chính thức", 50_000_000, 10, "sào", 150, "tạ"],
        ["Cà Thị Hoa", "chính thức", "30.000.000", "0,5", "ha", "12", "tấn"],
        ["Đinh Thị Thu", "liên kết góp vốn", 30_000_000],
    ])
    members = read_members(data).members(price_per_unit=15_000)
    assert [(m.name, m.transactions, m.capital, m.kind) for m in members] == [
        ("Lò Văn Bình", 225_000_000, 50_000_000, "official"),
        ("Cà Thị Hoa", 180_000_000, 30_000_000, "official"),
        ("Đinh Thị Thu", 0, 30_000_000, "associate"),
    ]
    assert read_members(data).table["area_ha"].tolist() == pytest.approx([0.36, 0.5, 0.0])


def test_a_cash_book_becomes_the_months_of_a_cash_plan():
    """Oranges: inputs paid in March, wages monthly, sales in December; the plan's worst month is November."""
    data = filled("en", cash=[
        [date(2025, 3, 5), "Fertiliser", None, 40_000_000, "Inputs"],
        *[[date(2025, m, 28), "Wages", None, 5_000_000, "Wages"] for m in range(3, 13)],
        ["15/12/2025", "Oranges to Hà Nội", "95,000,000", None, "Sales"],
        ["2025-11-20", "Loan from the bank", 30_000_000, None, "Loan received"],
    ])
    book = read_cash_book(data)
    inputs = book.cash_flow_inputs()
    assert (inputs["start_month"], inputs["months"]) == (3, 10)
    plan = cash_flow_plan(**inputs, opening_cash=50_000_000)
    assert plan.inflow == 125_000_000 and plan.outflow == 90_000_000
    assert plan.closing_cash == 85_000_000
    assert plan.worst_calendar_month == 10 and plan.lowest_cash == 50e6 - 40e6 - 8 * 5e6
    assert book.entries["date"].is_monotonic_increasing


# -- 2. numbers, dates and units -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "money", "style", "expected"), [
    ("1.250.000", True, "en", 1_250_000), ("1.250.000 ₫", True, "vi", 1_250_000), ("1.250.000đ", True, "vi", 1_250_000),
    ("1,250,000", True, "vi", 1_250_000), ("₫1,250,000", True, "en", 1_250_000), ("1.250", True, "en", 1_250),
    ("1,250", True, "vi", 1_250), ("2,5", False, "en", 2.5), ("2.5", False, "vi", 2.5), ("1.250", False, "vi", 1_250),
    ("1.250", False, "en", 1.25), ("1,250", False, "vi", 1.25), ("1,250", False, "en", 1_250),
    ("0.500", False, "vi", 0.5), ("1250.5", False, "vi", 1250.5), ("1.250,5", False, "en", 1250.5),
    ("1,250.5", False, "vi", 1250.5), ("1 250 000 VND", True, "vi", 1_250_000), ("12", False, "en", 12),
])
def test_numbers_as_managers_type_them(text, money, style, expected):
    assert books._number_of_text(text, money, style) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["một triệu", "1.25.0", "12,50,0", "1,2.3,4", "abc", "1.250.000,", "--5"])
def test_text_that_is_not_a_number(text):
    assert books._number_of_text(text, True, "vi") is None


def test_an_ambiguous_area_follows_the_sheets_other_numbers_then_its_headers():
    vi_headers = "Họ và tên;Vốn góp;Diện tích;Đơn vị diện tích\n"
    en_headers = "Name;Capital;Area;Area unit\n"
    one = "An;1000;1.250;m²\n"
    # no other number shows a style: the headers' language decides
    assert read_members((vi_headers + one).encode()).table["area"].tolist() == [1250]
    assert read_members((en_headers + one).encode()).table["area"].tolist() == [1.25]
    # English headers, but the numbers are Vietnamese (2,5 and 1.250.000): Vietnamese style
    rows = one + "Bình;1.250.000;2,5;ha\n"
    assert read_members((en_headers + rows).encode()).table["area"].tolist() == [1250, 2.5]


@pytest.mark.parametrize(("value", "expected"), [
    ("05/03/2025", date(2025, 3, 5)), ("5/3/2025", date(2025, 3, 5)), ("05-03-2025", date(2025, 3, 5)),
    ("05.03.2025", date(2025, 3, 5)), ("2025-03-05", date(2025, 3, 5)), ("05/03/2025 14:30", date(2025, 3, 5)),
    (datetime(2025, 3, 5, 9, 0), date(2025, 3, 5)), (45721, date(2025, 3, 5)),
])
def test_dates_as_excel_or_text(value, expected):
    assert books._date_of(value, month_first=False) == expected


def test_a_column_of_us_dates_is_read_month_first():
    text = "Date,Money in\n3/25/2025,100\n4/2/2025,200\n"
    assert read_cash_book(text.encode()).entries["date"].dt.date.tolist() == [date(2025, 3, 25), date(2025, 4, 2)]
    text = "Date,Money in\n25/3/2025,100\n4/2/2025,200\n"  # day first: 4 February
    assert read_cash_book(text.encode()).entries["date"].dt.date.tolist() == [date(2025, 2, 4), date(2025, 3, 25)]


@pytest.mark.parametrize(("unit", "kg"), [("kg", 3), ("yến", 30), ("tạ", 300), ("tấn", 3000), ("tonne", 3000)])
def test_volume_units(unit, kg):
    text = f"Name,Capital,Volume,Unit\nAn,0,3,{unit}\n"
    assert read_members(text.encode()).table["volume_base"].tolist() == [kg]


@pytest.mark.parametrize(("unit", "ha"), [("ha", 2), ("sào", 0.072), ("sào Trung Bộ", 0.1), ("m²", 0.0002),
                                          ("m2", 0.0002), ("công", 0.2)])
def test_area_units(unit, ha):
    text = f"Name,Capital,Area,Area unit\nAn,0,2,{unit}\n"
    assert read_members(text.encode()).table["area_ha"].tolist() == pytest.approx([ha])


def test_a_unit_written_in_the_cell_or_the_header():
    text = "Họ và tên,Vốn góp,Diện tích (sào),Sản lượng\nAn,0,5,3 tạ\nBình,0,\"1.800 m²\",200 kg\n"
    table = read_members(text.encode()).table
    assert table["area_ha"].tolist() == pytest.approx([0.18, 0.18]) and table["volume_base"].tolist() == [300, 200]


# -- 3. round trips with hypothesis ----------------------------------------------------------------

VI_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
WORD = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper()[:20], min_size=2, max_size=8)
NAME = st.lists(WORD, min_size=1, max_size=4).map(" ".join).filter(
    lambda n: n.casefold() not in books._TOTAL_WORDS and books._fold(n) not in books._TOTAL_WORDS)


def shown(number: float, style: str, money: bool) -> object:
    """``number`` as a manager may type it: an Excel number, or text in the file's style."""
    if style == "excel":
        return number
    text = format_decimal(number, locale=i18n.LOCALES[style], group_separator=True,
                          format="#,##0" if money else "#,##0.##")
    return text + " ₫" if money and style == "vi" else text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lang=st.sampled_from(["vi", "en"]),
    text_numbers=st.booleans(),
    costs=st.lists(st.tuples(NAME, st.sampled_from(["season", "ha", "unit", "batch"]),
                             st.integers(0, 10**11)), min_size=1, max_size=5),
    members=st.lists(st.tuples(NAME, st.integers(0, 10**10), st.decimals(0, 5_000, places=2),
                               st.integers(0, 10**6)), min_size=1, max_size=5,
                     unique_by=lambda m: " ".join(m[0].split()).casefold()),
    days=st.lists(st.tuples(st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.integers(1, 10**10),
                            st.booleans()), min_size=1, max_size=6),
)
def test_template_filled_read_exported_and_read_again(lang, text_numbers, costs, members, days):
    style = lang if text_numbers else "excel"
    kind = {"season": "fixed", "unit": "variable", "ha": "variable", "batch": "fixed"}
    cost_rows = [[name, i18n.tr(f"books.choice.kind.{kind[basis]}", lang),
                  i18n.tr(f"books.choice.basis.{basis}", lang), shown(amount, style, True)]
                 for name, basis, amount in costs]
    member_rows = [[name, None, shown(capital, style, True), shown(float(area), style, False), "ha",
                    shown(volume, style, False), "kg"] for name, capital, area, volume in members]
    cash_rows = [[day if style == "excel" else day.strftime("%d/%m/%Y"), "Bán cam",
                  shown(amount, style, True) if incoming else None,
                  None if incoming else shown(amount, style, True)] for day, amount, incoming in days]
    first = read_books(filled(lang, cost_rows, cash_rows, member_rows), name="so-sach.xlsx")

    assert [i.name("vi") for i in first.cost_items.items] == [name for name, *_ in costs]
    assert first.cost_items.table["amount"].tolist() == [amount for *_, amount in costs]
    assert first.members.table["name"].tolist() == [" ".join(m[0].split()) for m in members]
    assert first.members.table["area"].tolist() == pytest.approx([float(m[2]) for m in members])
    assert first.members.table["volume"].tolist() == [m[3] for m in members]
    assert first.cash_book.entries["money_in"].sum() + first.cash_book.entries["money_out"].sum() == sum(
        amount for _day, amount, _in in days)

    exported = tables_to_xlsx(first.tables(), lang="en" if lang == "vi" else "vi")
    again = read_books(exported, name="ket-qua.xlsx")
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(again, table).to_frame(), getattr(first, table).to_frame(),
                                      check_dtype=False)


@settings(max_examples=40, deadline=None)
@given(amount=st.integers(0, 10**12), style=st.sampled_from(["vi", "en"]), headers=st.sampled_from(["vi", "en"]),
       suffix=st.sampled_from(["", " ₫", "₫", "đ", " VND", " đồng"]))
def test_money_reads_back_whatever_the_style_and_sign(amount, style, headers, suffix):
    text = format_decimal(amount, locale=i18n.LOCALES[style], format="#,##0") + suffix
    header = {"vi": "Ngày;Thu", "en": "Date;Money in"}[headers]
    book = read_cash_book(f"{header}\n01/01/2025;{text}\n".encode())
    assert book.entries["money_in"].tolist() == [amount]


# -- 4. a corpus of awkward files -------------------------------------------------------------------

COSTS_VI = "Khoản chi phí,Loại,Cách tính,Số tiền (₫)\nPhân bón,biến đổi,mỗi ha,18000000\nThuê đất,cố định,mỗi vụ,60000000\n"


def test_a_utf8_csv_with_bom_is_read(tmp_path):
    path = tmp_path / "chi-phi.csv"
    path.write_bytes(codecs.BOM_UTF8 + COSTS_VI.encode())
    assert [i.name("vi") for i in read_cost_items(path).items] == ["Phân bón", "Thuê đất"]


def test_a_cp1258_csv_from_old_vietnamese_excel_is_read(tmp_path):
    path = tmp_path / "thanh-vien.csv"
    path.write_bytes(cp1258("Họ và tên,Vốn góp\nNguyễn Thị Lan,30000000\nQuàng Văn Minh,60000000\n"))
    assert path.read_bytes() != "Nguyễn".encode()  # not UTF-8
    assert read_members(path).table["name"].tolist() == ["Nguyễn Thị Lan", "Quàng Văn Minh"]


def test_a_cp1252_csv_from_english_excel_is_read(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_bytes("Cost item,Kind,Basis,Amount (VND)\nCafé sacks,variable,per unit,\"1,200\"\n".encode("cp1252"))
    book = read_cost_items(path)
    assert [(i.name("en"), i.amount) for i in book.items] == [("Café sacks", 1200)]


def test_a_semicolon_csv_with_decimal_commas_is_read():
    text = "Họ và tên;Vốn góp (₫);Diện tích;Đơn vị diện tích\nLò Văn Bình;50.000.000;2,5;ha\n"
    table = read_members(text.encode("utf-8")).table
    assert table[["capital", "area"]].values.tolist() == [[50_000_000, 2.5]]


def test_a_tab_separated_utf16_file_from_excel_unicode_text_is_read():
    text = "Ngày\tDiễn giải\tThu\n01/02/2025\tBán trứng\t2.800.000\n"
    assert read_cash_book(codecs.BOM_UTF16_LE + text.encode("utf-16-le")).entries["money_in"].tolist() == [2_800_000]


def test_columns_in_another_order_with_extra_columns():
    text = "Ghi chú,Số tiền (₫),STT,Cách tính,Khoản chi phí,Loại\nthuê 5 năm,60000000,1,mỗi vụ,Thuê đất,cố định\n"
    book = read_cost_items(text.encode())
    assert book.to_frame().values.tolist() == [["Thuê đất", "fixed", "season", 60_000_000, "", "thuê 5 năm"]]


def test_english_headers_in_an_xlsx_with_spacing_and_case():
    data = workbook(Costs=[["  COST ITEM ", "kind", "BASIS", "amount (vnd)"], ["Drying", "variable", "per batch", 1_500_000]])
    assert [(i.basis, i.amount) for i in read_cost_items(data).items] == [("batch", 1_500_000)]


def test_header_cells_merged_over_two_rows():
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ quỹ"
    sheet.append(["Ngày", "Diễn giải", "Số tiền (₫)", None, "Loại thu chi"])
    sheet.append([None, None, "Thu", "Chi", None])
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        sheet.merge_cells(cells)
    sheet.append([date(2025, 10, 2), "Bán mật ong", 15_000_000, None, "Bán hàng"])
    sheet.append([date(2025, 10, 5), "Mua chai", None, "abc", "Vật tư"])
    out = io.BytesIO()
    book.save(out)
    err = refused(lambda: read_cash_book(out.getvalue()))
    assert err.reason == "books_not_a_number"
    assert err.message("vi").startswith("Trang «Sổ quỹ», dòng 4, cột «Chi»: “abc”")
    assert err.message("en").startswith("Sheet “Sổ quỹ”, row 4, column “Chi”: “abc” is not a number")
    sheet["D4"] = 2_500_000
    out = io.BytesIO()
    book.save(out)
    entries = read_cash_book(out.getvalue()).entries
    assert entries[["money_in", "money_out", "category"]].values.tolist() == [
        [15_000_000, 0, "sales_receipts"], [0, 2_500_000, "input_payments"]]


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers():
    data = workbook(**{"Chi phí": [["SỔ CHI PHÍ VỤ CAM 2025"], [], ["Khoản chi phí", "Loại", "Cách tính", "Số tiền"],
                                   [], ["Thuê đất", "cố định", "mỗi vụ", 60_000_000], [], [],
                                   ["Phân bón", "biến đổi", "mỗi ha", -5]]})
    err = refused(lambda: read_cost_items(data))
    assert err.reason == "books_negative" and err.params["row"] == 8
    assert "dòng 8, cột «Số tiền»" in err.message("vi") and "row 8, column “Số tiền”" in err.message("en")


def test_a_totals_row_is_skipped_but_labour_called_cong_is_not():
    data = filled("vi", costs=[
        ["Công", "biến đổi", "mỗi đơn vị", 800],
        ["Thuê đất", "cố định", "mỗi vụ", 60_000_000],
        ["Tổng cộng", None, None, "=SUM(D3:D4)"],  # never computed: skipped with its row
        ["Cộng", None, None, 60_000_800],
    ])
    assert [i.name("vi") for i in read_cost_items(data).items] == ["Công", "Thuê đất"]


def test_a_formula_excel_never_computed_is_refused():
    data = filled("en", members=[["Lò Văn Bình", "official", 50_000_000], ["Cà Thị Hoa", "official", "=C3*0.6"]])
    err = refused(lambda: read_books(data, name="books.xlsx"))
    assert err.reason == "books_formula_not_computed" and err.params["row"] == 4
    assert "«Thành viên»" not in err.message("vi")  # the English template's sheet
    assert "Trang «Members», dòng 4, cột «Capital contributed (₫)»" in err.message("vi")
    assert "Excel hoặc LibreOffice" in err.message("vi")
    assert "row 4, column “Capital contributed (₫)”" in err.message("en")
    assert "open and save it in Excel or LibreOffice first" in err.message("en")


def test_a_20_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "so-quy.csv"
    with path.open("wb") as f:
        f.write(b"Ngay,Thu\n")
        f.truncate(20_000_000)
    for source in (path, path.read_bytes()):
        err = refused(lambda source=source: read_books(source, name="so-quy.csv"))
        assert err.reason == "books_file_too_large" and err.params["size_mb"] == 20
        assert "20 MB" in err.message("vi") and "5 MB" in err.message("en") and "so-quy.csv" in err.message("en")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "so-sach.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("anh/cam.txt", "ảnh vườn cam")
    err = refused(lambda: read_books(path))
    assert err.reason == "books_zip_not_workbook"
    assert "“so-sach.xlsx”" in err.message("vi") and "zip" in err.message("vi")
    assert "is a zip archive but not an Excel workbook" in err.message("en")


@pytest.mark.parametrize(("content", "reason"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "books_not_spreadsheet"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "books_not_spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "books_old_xls"),
    (b"PK\x03\x04broken", "books_unreadable_xlsx"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path, content, reason):
    path = tmp_path / "so-sach.xlsx"
    path.write_bytes(content)
    err = refused(lambda: read_cost_items(path))
    assert err.reason == reason and "so-sach.xlsx" in err.message("vi") and "so-sach.xlsx" in err.message("en")
    if reason == "books_not_spreadsheet":
        assert "không phải là bảng tính" in err.message("vi") and "is not a spreadsheet" in err.message("en")


def test_an_empty_file_is_refused():
    err = refused(lambda: read_books(b"", name="trong.csv"))
    assert err.reason == "books_empty_file" and "trong.csv" in err.message("en")


def test_a_missing_required_column_names_the_sheet_and_the_header_row():
    data = workbook(**{"Chi phí": [["Khoản chi phí", "Loại", "Số tiền"], ["Thuê đất", "cố định", 60_000_000]]})
    err = refused(lambda: read_cost_items(data))
    assert err.reason == "books_missing_column"
    assert err.message("vi") == "Trang «Chi phí», dòng tiêu đề 1: thiếu cột «Cách tính»."
    assert err.message("en") == "Sheet “Chi phí”, header row 1: the column “Basis” is missing."


def test_a_missing_sheet_is_named_in_the_managers_language():
    data = workbook(**{"Trang 1": [["Ghi chú"], ["chưa có gì"]]})
    err = refused(lambda: read_members(data, name="so-sach.xlsx"))
    assert err.reason == "books_missing_sheet"
    assert "không có trang «Thành viên»" in err.message("vi") and "“Trang 1”" in err.message("vi")
    assert "has no sheet “Members”" in err.message("en")
    err = refused(lambda: read_books(data, name="so-sach.xlsx"))
    assert err.reason == "books_no_tables" and "“Cash book”" in err.message("en")


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(books, "MAX_ROWS", 50)
    text = "Ngày,Thu\n" + "".join(f"01/01/2025,{i}\n" for i in range(80))
    err = refused(lambda: read_cash_book(text.encode(), name="so-quy.csv"))
    assert err.reason == "books_too_many_rows"
    assert "hơn 50 dòng" in err.message("vi") and "more than 50 rows" in err.message("en")


def test_a_workbook_that_unzips_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(books, "MAX_UNPACKED_BYTES", 1_000)
    err = refused(lambda: read_books(_template("vi"), name="mau.xlsx"))
    assert err.reason == "books_unpacks_too_large" and "mau.xlsx" in err.message("en")


def test_nothing_is_imported_when_a_later_sheet_is_wrong():
    """All or nothing: the cost items are good, a member's capital is not; read_books gives nothing."""
    data = filled("vi", costs=[["Thuê đất", "cố định", "mỗi vụ", 60_000_000]],
                  members=[["Lò Văn Bình", "chính thức", "năm mươi triệu"]])
    err = refused(lambda: read_books(data))
    assert err.reason == "books_not_a_number"
    assert "Trang «Thành viên», dòng 3, cột «Vốn góp (₫)»" in err.message("vi")
    assert read_cost_items(data).items[0].amount == 60_000_000  # that sheet alone is fine


@pytest.mark.parametrize(("rows", "reason", "vi", "en"), [
    ([["Thuê đất", "biến đổi", "mỗi vụ", 1]], "books_season_cost_fixed", "cột «Loại (cố định / biến đổi)»",
     "a cost per season is fixed"),
    ([["Bao bì", "cố định", "mỗi đơn vị", 1]], "books_unit_cost_variable", "dòng 3", "is variable, not “cố định”"),
    ([["Bao bì", "cố định", "mỗi tuần", 1]], "books_unknown_choice", "mỗi vụ, mỗi ha, mỗi đơn vị, mỗi mẻ",
     "per season, per ha, per unit, per batch"),
    ([["Phân", "biến đổi", "mỗi ha", 1, "kg"]], "books_unit_not_area", "“kg”", "a unit of area"),
    ([["Phân", "biến đổi", "mỗi ha", None]], "books_empty_cell", "cột «Số tiền (₫)»", "this cell is empty"),
    ([["", "biến đổi", "mỗi ha", 5]], "books_empty_cell", "cột «Khoản chi phí»", "column “Khoản chi phí”"),
])
def test_a_wrong_cost_row_names_its_cell(rows, reason, vi, en):
    err = refused(lambda: read_cost_items(filled("vi", costs=rows)))
    assert err.reason == reason and vi in err.message("vi") and en in err.message("en")
    assert "Trang «Chi phí», dòng 3" in err.message("vi") and "Sheet “Chi phí”, row 3" in err.message("en")


@pytest.mark.parametrize(("rows", "reason", "en"), [
    ([["31/02/2025", "x", 5]], "books_not_a_date", "“31/02/2025” is not a date"),
    ([["01/02/2025", "x", None, None]], "books_no_amount", "this line has no amount"),
    ([["01/02/2025", "x", None, 5, "Bán hàng"]], "books_category_is_money_in", "“Bán hàng” is a kind of money in"),
    ([["01/02/2025", "x", 5, None, "Lương"]], "books_category_is_money_out", "is a kind of money out"),
    ([["01/02/2020", "x", 5], ["01/02/2026", "x", 5]], "books_too_many_months", "more than 60 months"),
])
def test_a_wrong_cash_line_names_its_cell(rows, reason, en):
    err = refused(lambda: read_cash_book(filled("vi", cash=rows)))
    assert err.reason == reason and en in err.message("en") and "Trang «Sổ quỹ», dòng" in err.message("vi")


def test_a_member_written_twice_is_refused_naming_both_rows():
    err = refused(lambda: read_members(filled("vi", members=[["Lò Văn Bình", None, 1], ["lò văn  bình", None, 2]])))
    assert err.reason == "books_duplicate_member" and err.params["first_row"] == 3 and err.params["row"] == 4
    assert "đã có ở dòng 3" in err.message("vi") and "already appears in row 3" in err.message("en")


def test_members_volumes_in_kg_and_eggs_are_refused():
    text = "Name,Capital,Volume,Unit\nAn,0,3,tạ\nBình,0,500,eggs\n"
    err = refused(lambda: read_members(text.encode(), name="members.csv"))
    assert err.reason == "books_mixed_units" and "“eggs” does not match “kg” in row 2" in err.message("en")


def test_an_unknown_unit_lists_the_known_ones_in_each_language():
    text = "Name,Capital,Area,Area unit\nAn,0,3,mẫu\n"
    err = refused(lambda: read_members(text.encode()))
    assert err.reason == "books_unknown_unit" and "“mẫu”" in err.message("en")
    assert "sào" in err.message("en") and "công" in err.message("vi")


# -- 5. export -------------------------------------------------------------------------------------


def test_export_translates_headers_and_formats_money_and_dates():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-10-02"]), "description": ["=HYPERLINK(\"x\")"],
                          "money_in": [15_000_000.0], "money_out": [0.0], "category": ["sales_receipts"]})
    extra = pd.DataFrame({"fixed_costs": [120e6], "loss_rate": [0.05], "plain": [2.5]})
    book = load_workbook(io.BytesIO(tables_to_xlsx({"cash_book": frame, "Kết quả/2025": extra}, lang="vi")))
    assert book.sheetnames == ["Sổ quỹ", "Kết quả 2025"]
    cash = book["Sổ quỹ"]
    assert [c.value for c in cash[1]] == ["Ngày", "Diễn giải", "Thu (₫)", "Chi (₫)", "Loại thu chi"]
    assert cash["A2"].number_format == "dd/mm/yyyy" and cash["C2"].number_format == "#,##0"
    assert cash["B2"].data_type == "s" and cash["B2"].value.startswith("=")  # text, never a formula
    result = book["Kết quả 2025"]
    assert [c.value for c in result[1]][:2] == ["Chi phí cố định", i18n.tr("field.loss_rate", "vi")]
    assert (result["A2"].number_format, result["B2"].number_format) == ("#,##0", "0.0%")


def test_export_refuses_nothing_to_write():
    err = refused(lambda: tables_to_xlsx({}))
    assert err.reason == "books_nothing_to_export"


def test_export_to_disk_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "ket-qua.xlsx"
    target.write_bytes(b"old")
    frame = pd.DataFrame({"name": ["Thuê đất"], "kind": ["fixed"], "basis": ["season"], "amount": [60_000_000]})
    monkeypatch.setattr(books, "tables_to_xlsx", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk")))
    with pytest.raises(RuntimeError):
        write_tables_xlsx(target, {"cost_items": frame})
    assert target.read_bytes() == b"old"
    monkeypatch.undo()
    write_tables_xlsx(target, {"cost_items": frame}, lang="en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.xlsx"]
    assert read_cost_items(target).items[0].amount == 60_000_000


# -- 6. catalogues and regressions -----------------------------------------------------------------


def test_every_text_the_module_builds_is_in_both_catalogues():
    keys = [f"books.sheet.{t}" for t in (*TABLES, "notes")] + [f"books.instruction.{t}" for t in TABLES]
    keys += [f"books.note.{n}" for n in range(1, 8)] + ["books.at_cell"]
    keys += [f"books.choice.{kind}.{value}" for kind in books._CHOICES for value in books._CHOICES[kind]]
    keys += [f"books.choice.basis.{value}" for value in books._BASIS_WORDS]
    keys += [f"field.{c.field}" for columns in books._COLUMNS.values() for c in columns]
    assert [k for k in keys if not (i18n.has(k, "vi") and i18n.has(k, "en"))] == []


def test_every_template_header_is_recognised_in_either_language():
    for table, columns in books._COLUMNS.items():
        for lang in ("vi", "en"):
            assert [books._match_header(books._header(c, lang), books._header_index(table))[0] for c in columns] == [
                c.key for c in columns]


def test_regression_a_domain_error_on_a_row_keeps_its_cell():
    err = books._CellError(InputError("member_capital", reason="negative", value=-1), sheet="Thành viên", row=7,
                           column="Vốn góp")
    assert err.message("en").startswith("Sheet “Thành viên”, row 7, column “Vốn góp”: ")
    assert err.message("vi").startswith("Trang «Thành viên», dòng 7, cột «Vốn góp»: ")


def test_regression_the_size_limit_is_the_upload_limit():
    assert MAX_FILE_BYTES == 5_000_000 and books.MAX_ROWS >= 5_000


# -- the books in the other apps: the latest year of the cash book, the books as a template ---------


def test_the_latest_year_of_a_cash_book_folds_its_months_on_the_calendar():
    text = ("Ngày;Thu;Chi;Loại thu chi\n05/03/2025;9.000.000;;Bán hàng\n05/05/2025;10.000.000;;Bán hàng\n"
            "10/02/2026;300.000.000;;Tiền vay\n20/04/2026;12.000.000;;Bán hàng\n28/04/2026;;60.000.000;Trả nợ vay\n"
            "29/04/2026;;8.000.000;Tiền công\n")
    year = read_cash_book(text.encode()).latest_year()
    assert (year.first_month, year.last_month, year.months, year.start_month) == ("2025-05", "2026-04", 12, 5)
    assert year.sales_receipts[4] == 10e6 and year.sales_receipts[3] == 12e6 and year.sales_receipts[2] == 0
    assert year.other_receipts[1] == 300e6  # the loan, with the other receipts
    assert year.other_payments[3] == 60e6 and year.wage_payments[3] == 8e6
    assert sum(year.sales_calendar()) == pytest.approx(1.0)


def test_a_short_cash_book_is_its_own_year_and_an_empty_one_is_refused():
    year = read_cash_book("Date,Money in,Category\n2026-03-02,5000000,Sales\n".encode()).latest_year()
    assert (year.months, year.start_month, year.sales_total) == (1, 3, 5e6)
    assert year.sales_calendar()[2] == 1.0
    no_sales = read_cash_book("Date,Money out\n2026-03-02,5000000\n".encode()).latest_year()
    assert no_sales.sales_calendar() == (0.0,) * 12
    err = refused(lambda: books.CashBook(pd.DataFrame(columns=["row", "date", "description", "money_in",
                                                               "money_out", "category"])).latest_year())
    assert err.reason == "own_books_empty_cash_book" and "no receipts" in err.message("en")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.integers(1, 10**10),
                          st.sampled_from(["sales_receipts", "other_receipts", "input_payments", "wage_payments",
                                           "loan_disbursements", "loan_instalments", "other_payments"])),
                min_size=1, max_size=12))
def test_the_latest_year_keeps_every_dong_of_its_months_and_gives_the_same_plan(lines):
    lang = "en"
    rows = []
    for day, amount, category in lines:
        money_in = category in ("sales_receipts", "other_receipts", "loan_disbursements")
        rows.append((datetime(day.year, day.month, day.day), "line", amount if money_in else None,
                     None if money_in else amount, i18n.tr(f"books.choice.category.{category}", lang)))
    book = read_books(filled(lang, cash=rows)).cash_book
    year = book.latest_year()
    months = book.monthly().tail(12)
    assert year.months == len(months) <= 12
    columns = year.COLUMNS
    assert sum(sum(getattr(year, name)) for name in columns) == pytest.approx(
        months["inflow"].sum() + months["outflow"].sum())
    assert sum(year.other_receipts) == pytest.approx(months["other_receipts"].sum() + months["loan_disbursements"].sum())
    if len(book.monthly()) <= 12:  # the whole book: a plan of its year is the plan of its months
        from coopkit.cashflow import in_season_order

        whole = cash_flow_plan(**book.cash_flow_inputs(), opening_cash=1e9)
        folded = cash_flow_plan(**{name: in_season_order(getattr(year, name), year.start_month)[:year.months]
                                   for name in columns}, opening_cash=1e9, start_month=year.start_month,
                                months=year.months)
        assert folded.closing_cash == pytest.approx(whole.closing_cash)
        assert folded.lowest_cash == pytest.approx(whole.lowest_cash)


def test_the_books_as_a_product_template():
    from coopkit.data import load_products

    text = "Khoản chi phí,Loại,Cách tính,Số tiền,Đơn vị\nThuê xưởng,cố định,mỗi vụ,100000000,\nLá sắn,biến đổi,mỗi đơn vị,1000000,tạ\n"
    own = books.product_from_books(books.Books(cost_items=read_cost_items(text.encode())),
                                   load_products()["ca_phe_nhan_son_la"], "  HTX   Thanh Sơn ")
    assert own.key == books.OWN_BOOKS and own.name("en") == "Books of HTX Thanh Sơn"
    assert not own.has_raw_material and own.all_cost_items() == own.cost_items  # no coffee cherry added
    summary = own.cost_summary(50_000)
    assert (summary.fixed_costs, summary.variable_cost_per_unit) == (100e6, 10_000)
    bare = books.product_from_books(books.Books(), load_products()["cam_lac_thuy"], "HTX")
    assert bare.cost_items == () and bare.volume_per_season == load_products()["cam_lac_thuy"].volume_per_season
