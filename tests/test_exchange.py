"""Scenarios to Excel/CSV and back (coopkit.exchange)."""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

import coopkit  # noqa: F401  (registers the models)
from coopkit import exchange, fields, i18n
from coopkit.errors import InputError
from coopkit.exchange import scenarios_from_xlsx, scenarios_to_csv, scenarios_to_xlsx, write_csv, write_xlsx
from coopkit.models import pricing_plan_inputs
from coopkit.pricing import Channel
from coopkit.whatif import Scenario, compare_scenarios, data_table, evaluate

# Sơn Nam eggs (the break-even lesson's worked example).
EGGS = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067, "volume": 1_095_000}
PLAN = Scenario("Giá 2.800 đ", "break_even", EGGS, product="trung_son_nam", note="giá hiện nay")
DEARER = Scenario("Giá 3.000 đ", "break_even", {**EGGS, "price_per_unit": 3_000}, product="trung_son_nam")
SHOPEE = Channel("shopee", "Shopee", "Shopee", commission_rate=0.085, payment_fee_rate=0.02, units_per_order=10)
ONLINE = Scenario("Bán trên Shopee", "pricing_plan", pricing_plan_inputs(SHOPEE, fixed_costs=610e6, list_price=3_300,
                                                                          variable_cost_per_unit=2_067, volume=1_095_000),
                  product="trung_son_nam", channel="shopee", saved_at="2026-03-01T08:00:00")
COST = Scenario("Giá thành", "unit_cost", {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000})


def _book(data: bytes, **kwargs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **kwargs)


def _save(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _column(sheet, key: str) -> int:
    """1-based column of ``key`` in the key row."""
    keys = [c.value for c in sheet[exchange.KEY_ROW]]
    return keys.index(key) + 1


def _edited(edit, scenarios=(PLAN, DEARER), lang="vi") -> bytes:
    """An export, changed by ``edit(inputs_sheet, book)`` as a manager would in Excel."""
    book = _book(scenarios_to_xlsx(list(scenarios), lang=lang))
    edit(book.worksheets[0], book)
    return _save(book)


def _messages(excinfo) -> dict[str, str]:
    return excinfo.value.messages


# ---------------------------------------------------------------------------------------------
# 1. Worked examples


def test_eggs_results_sheet_shows_the_break_even_lesson_answers():
    book = _book(scenarios_to_xlsx([PLAN, DEARER], lang="vi"))
    assert book.sheetnames == ["Đầu vào", "Kết quả"]
    results = book["Kết quả"]
    row = 1 + exchange.KEY_ROW
    assert results.cell(row, _column(results, "profit")).value == 192_635_000
    assert round(results.cell(row, _column(results, "break_even_volume")).value) == 832_196
    assert results.cell(row + 1, _column(results, "profit")).value == 411_635_000


def test_titles_are_in_the_language_of_the_export():
    vi, en = (_book(scenarios_to_xlsx([PLAN], lang=lang)) for lang in ("vi", "en"))
    assert en.sheetnames == ["Inputs", "Results"]
    assert vi["Đầu vào"]["A1"].value == "Tên kịch bản" and en["Inputs"]["A1"].value == "Scenario name"
    assert vi["Đầu vào"]["G1"].value == "Chi phí cố định" and en["Inputs"]["G1"].value == "Fixed costs"
    assert [c.value for c in vi["Đầu vào"][2]] == [c.value for c in en["Inputs"][2]]  # same keys


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_round_trip_of_several_models(lang):
    scenarios = [PLAN, ONLINE, DEARER, COST]
    assert scenarios_from_xlsx(scenarios_to_xlsx(scenarios, lang=lang)) == scenarios


def test_round_trip_of_no_scenario():
    assert scenarios_from_xlsx(scenarios_to_xlsx([])) == []


_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\ufffe\uffff")
_TEXT = st.text(_ALPHABET, max_size=30).map(lambda t: exchange._ILLEGAL.sub("", t))
_PREFIX = st.sampled_from(["", "=", "+", "-", "@", "=1+1", "#N/A", "Trứng gà Sơn Nam ", "Cà phê Đắk Lắk: "])
_NAME = st.builds(lambda p, t: (p + t).strip(), _PREFIX, _TEXT).filter(bool)
_MONEY = st.floats(0, 5e10, allow_nan=False).map(exchange._significant)


@st.composite
def _scenarios(draw):
    names = draw(st.lists(_NAME, min_size=1, max_size=4, unique=True))
    scenarios = []
    for name in names:
        price, cost = draw(_MONEY), draw(_MONEY)
        scenarios.append(Scenario(
            name, "break_even",
            {"fixed_costs": draw(_MONEY), "price_per_unit": price, "variable_cost_per_unit": cost,
             "volume": draw(st.integers(0, 10**9)) / draw(st.sampled_from([1, 4, 1000]))},
            product=draw(st.builds(str.__add__, _PREFIX, _TEXT)),
            channel=draw(st.sampled_from(["", "cho", "shopee", "-"])),
            note=draw(st.builds(str.__add__, st.sampled_from(["", "\t", "\n", " ", "@"]), _TEXT)),
            saved_at=draw(st.sampled_from(["", "2026-03-01T08:00:00+07:00"])),
        ))
    return scenarios


@given(scenarios=_scenarios(), lang=st.sampled_from(["vi", "en"]))
def test_round_trip_gives_back_the_same_scenarios(scenarios, lang):
    assert scenarios_from_xlsx(scenarios_to_xlsx(scenarios, lang=lang)) == scenarios


@given(value=st.floats(-1e15, 1e15, allow_nan=False))
def test_numbers_keep_excels_15_significant_digits(value):
    scenario = Scenario("x", "unit_cost", {"fixed_costs": value, "variable_cost_per_unit": 1.0, "volume": 1.0})
    back = scenarios_from_xlsx(scenarios_to_xlsx([scenario]))[0].inputs["fixed_costs"]
    assert back == float(f"{value:.15g}")
    assert math.isclose(back, value, rel_tol=1e-14, abs_tol=1e-300)


def test_text_is_kept_exactly_except_lone_carriage_returns():
    scenario = Scenario("  dòng 1\ndòng 2 ", "unit_cost", COST.inputs, note=" a\r\nb\rc ", product="\t@x")
    back = scenarios_from_xlsx(scenarios_to_xlsx([scenario]))[0]
    assert (back.name, back.note, back.product) == ("dòng 1\ndòng 2", " a\nb\nc ", "\t@x")


# ---------------------------------------------------------------------------------------------
# Security: text is never a formula


@pytest.mark.parametrize("name", ["=1+1", "+84 912 345 678", "-5%", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "#N/A"])
def test_text_that_looks_like_a_formula_is_stored_as_text(name):
    scenario = Scenario(name, "break_even", EGGS, note=name)
    data = scenarios_to_xlsx([scenario], base=name)
    book = _book(data)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    cell = book.worksheets[0]["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)
    assert book.worksheets[1]["A3"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all("<f>" not in archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    assert scenarios_from_xlsx(data) == [scenario]


# ---------------------------------------------------------------------------------------------
# Formatting


def test_money_rate_and_quantity_cells_have_their_number_formats():
    book = _book(scenarios_to_xlsx([PLAN, ONLINE], lang="en"))
    inputs, results = book["Inputs"], book["Results"]
    row = exchange.KEY_ROW + 2  # ONLINE
    assert inputs.cell(row, _column(inputs, "fixed_costs")).number_format == '#,##0 "₫"'
    assert inputs.cell(row, _column(inputs, "commission_rate")).number_format == "0.0%"
    assert inputs.cell(row, _column(inputs, "commission_rate")).value == 0.085
    assert inputs.cell(row, _column(inputs, "units_per_order")).number_format == "#,##0"
    assert inputs.cell(row, _column(inputs, "volume")).number_format == "#,##0"
    assert results.cell(row, _column(results, "margin")).number_format == "0.0%"
    assert results.cell(row, _column(results, "profit")).number_format == '#,##0 "₫"'


def test_headers_are_bold_frozen_and_wide_enough():
    book = _book(scenarios_to_xlsx([PLAN, DEARER], lang="vi", base=PLAN.name))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "C3"
        assert all(cell.font.b for cell in sheet[1])
        key = sheet.cell(exchange.KEY_ROW, 1)
        assert key.font.i and key.font.color.rgb.endswith("808080") and key.comment is not None
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= min(len(cell.value), exchange._MAX_WIDTH), cell.value


# ---------------------------------------------------------------------------------------------
# Results sheet


def test_results_equal_evaluate_and_bad_scenarios_say_why():
    broken = Scenario("Không bán được", "unit_cost", {**COST.inputs, "volume": 0})
    scenarios = [PLAN, ONLINE, COST, broken]
    results = _book(scenarios_to_xlsx(scenarios, lang="en"))["Results"]
    for row, scenario in enumerate(scenarios, start=exchange.KEY_ROW + 1):
        assert results.cell(row, 1).value == scenario.name
        assert results.cell(row, 2).value == scenario.model
        if scenario is broken:
            continue
        for output, expected in evaluate(scenario.model, scenario.inputs).items():
            value = results.cell(row, _column(results, output)).value
            if math.isnan(expected):
                assert value is None
            else:
                assert value == pytest.approx(expected, rel=1e-14), output
        assert results.cell(row, _column(results, "error")).value is None
    last = exchange.KEY_ROW + len(scenarios)
    assert results.cell(last, _column(results, "unit_cost")).value is None
    assert results.cell(last, _column(results, "error")).value == "Volume sold must be greater than zero (you entered 0)."


def test_differences_against_the_base_equal_compare_scenarios():
    cheaper = Scenario("Giá 2.600 đ", "break_even", {**EGGS, "price_per_unit": 2_600})
    scenarios = [PLAN, DEARER, cheaper, COST]
    results = _book(scenarios_to_xlsx(scenarios, lang="vi", base=DEARER.name))["Kết quả"]
    expected = compare_scenarios("break_even", [PLAN, DEARER, cheaper], base=DEARER.name)
    assert results.cell(1, _column(results, "diff:profit")).value == "Lợi nhuận: chênh lệch so với “Giá 3.000 đ”"
    for row, scenario in enumerate(scenarios[:3], start=exchange.KEY_ROW + 1):
        for output in ("profit", "revenue", "margin_of_safety"):
            value = results.cell(row, _column(results, f"diff:{output}")).value
            assert value == pytest.approx(expected.loc[scenario.name, output], rel=1e-12, abs=1e-6)
    assert results.cell(exchange.KEY_ROW + 3, _column(results, "diff:profit")).value == -438_000_000  # 400 đ less on 1 095 000 eggs
    assert results.cell(exchange.KEY_ROW + 3, _column(results, "diff:profit")).number_format.startswith("+")
    assert results.cell(exchange.KEY_ROW + 4, _column(results, "diff:profit")).value is None  # other model


def test_export_refuses_an_unknown_base_and_repeated_names():
    with pytest.raises(InputError) as excinfo:
        scenarios_to_xlsx([PLAN], base="không có")
    assert_input_error(excinfo, "scenario", "unknown_scenario")
    with pytest.raises(InputError) as excinfo:
        scenarios_to_xlsx([PLAN, PLAN])
    assert_input_error(excinfo, "scenario", "duplicate_scenario")
    with pytest.raises(InputError) as excinfo:
        scenarios_to_csv([PLAN, PLAN])
    assert_input_error(excinfo, "scenario", "duplicate_scenario")


# ---------------------------------------------------------------------------------------------
# Data table sheet


def test_one_input_data_table_sheet():
    table = data_table("break_even", EGGS, {"price_per_unit": [2_600, 2_800, 3_000]})
    book = _book(scenarios_to_xlsx([PLAN], lang="en", table=table))
    sheet = book["Data table"]
    rows = _rows(sheet)
    assert rows[0][:3] == ["Price per unit", "Profit", "Revenue"]
    assert [r[0] for r in rows[1:]] == [2_600, 2_800, 3_000]
    assert rows[2][1] == 192_635_000
    assert sheet["A2"].number_format == '#,##0 "₫"' and sheet["A2"].font.b
    assert sheet.cell(2, 1 + list(table.columns).index("margin_of_safety") + 1).number_format == "0.0%"
    assert sheet.freeze_panes == "B2" and sheet["B1"].font.b
    only_profit = _book(scenarios_to_xlsx([PLAN], table=table, table_output="profit"))["Bảng dữ liệu"]
    assert _rows(only_profit)[0] == ["Giá bán mỗi đơn vị", "Lợi nhuận"]


def test_two_input_data_table_sheet():
    table = data_table("break_even", EGGS, {"price_per_unit": [2_600, 3_000], "volume": [900_000, 1_095_000]},
                       output="profit")
    sheet = _book(scenarios_to_xlsx([PLAN], lang="vi", table=table, table_output="profit"))["Bảng dữ liệu"]
    rows = _rows(sheet)
    assert "Lợi nhuận" in rows[0][0]
    assert rows[1] == ["Giá bán mỗi đơn vị ↓ / Sản lượng bán →", 900_000, 1_095_000]
    assert [r[1:] for r in rows[2:]] == [[-130_300_000, -26_365_000], [229_700_000, 411_635_000]]
    assert sheet["B2"].number_format == "#,##0" and sheet["A3"].number_format == '#,##0 "₫"'
    assert sheet["B3"].number_format == '#,##0 "₫"' and sheet.freeze_panes == "B3"
    with pytest.raises(InputError) as excinfo:
        scenarios_to_xlsx([PLAN], table=table)
    assert_input_error(excinfo, "output", "data_table_needs_output")


def test_import_ignores_the_results_and_data_table_sheets():
    table = data_table("break_even", EGGS, {"volume": [900_000]})
    assert scenarios_from_xlsx(scenarios_to_xlsx([PLAN], base=PLAN.name, table=table)) == [PLAN]


# ---------------------------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_csv_values_read_back_with_pandas(lang):
    scenarios = [PLAN, Scenario("=1+1", "break_even", {**EGGS, "price_per_unit": 3_000}), ONLINE]
    table = pd.read_csv(io.StringIO(scenarios_to_csv(scenarios, lang=lang)), keep_default_na=False)
    name = i18n.tr("exchange.column.name", lang)
    assert list(table[name]) == ["Giá 2.800 đ", "'=1+1", "Bán trên Shopee"]  # Excel shows =1+1 as text
    assert list(table[fields.label("model", lang)]) == ["break_even", "break_even", "pricing_plan"]
    profit, commission = fields.label("profit", lang), fields.label("commission_rate", lang)
    for row, scenario in zip(table.itertuples(index=False), scenarios):
        record = dict(zip(table.columns, row))
        expected = evaluate(scenario.model, scenario.inputs)
        assert record[profit] == pytest.approx(expected["profit"], rel=1e-15)
        assert record[fields.label("fixed_costs", lang)] == scenario.inputs["fixed_costs"]
    assert list(table[commission]) == ["", "", "0.085"]  # not an input of break_even: empty
    numbers = pd.read_csv(io.StringIO(scenarios_to_csv(scenarios, lang=lang)))[commission]
    assert numbers.isna().tolist() == [True, True, False] and numbers.iloc[2] == 0.085


def test_write_csv_has_a_byte_order_mark_for_excel(tmp_path):
    path = write_csv(tmp_path / "trung.csv", [PLAN], lang="vi")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").startswith("Tên kịch bản,Mô hình,")
    assert pd.read_csv(path, encoding="utf-8-sig")["Lợi nhuận"].tolist() == [192_635_000]


# ---------------------------------------------------------------------------------------------
# Badly edited files


def test_not_an_xlsx_file():
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(scenarios_to_csv([PLAN]).encode())
    assert_input_error(excinfo, "file", "xlsx_unreadable")


def test_a_corrupted_xlsx_file(tmp_path):
    data = scenarios_to_xlsx([PLAN])
    path = tmp_path / "hỏng.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(path)
    assert_input_error(excinfo, "file", "xlsx_unreadable_file")
    assert "hỏng.xlsx" in _messages(excinfo)["vi"]


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(buffer.getvalue())
    assert_input_error(excinfo, "file", "xlsx_unreadable")


def test_a_missing_file(tmp_path):
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(str(tmp_path / "không_có.xlsx"))
    assert_input_error(excinfo, "file", "data_missing_file")


def test_missing_inputs_sheet():
    data = _edited(lambda sheet, book: setattr(sheet, "title", "Trang 1"))
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(data)
    assert_input_error(excinfo, "sheet", "missing_sheet")
    assert "«Đầu vào»" in _messages(excinfo)["vi"] and "«Inputs»" in _messages(excinfo)["en"]


def test_missing_key_row():
    data = _edited(lambda sheet, book: sheet.delete_rows(exchange.KEY_ROW))
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(data)
    assert_input_error(excinfo, "sheet", "missing_key_row")
    assert "«Đầu vào»" in _messages(excinfo)["vi"]


def test_missing_key_column():
    data = _edited(lambda sheet, book: sheet.delete_cols(_column(sheet, "volume")))
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(data)
    assert_input_error(excinfo, "volume", "missing_key_column")
    assert _messages(excinfo)["vi"].startswith("Trang «Đầu vào», hàng 2: không có cột Sản lượng bán")


def test_a_word_in_a_number_cell_names_the_sheet_and_cell():
    def edit(sheet, book):
        sheet.cell(4, _column(sheet, "volume")).value = "nhiều"

    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(_edited(edit))
    assert_input_error(excinfo, "volume", "cell_not_a_number")
    assert _messages(excinfo)["vi"].startswith("Trang «Đầu vào», ô J4: “nhiều” không phải là số.")
    assert _messages(excinfo)["en"].startswith("Sheet «Đầu vào», cell J4: “nhiều” is not a number.")


def test_a_missing_input_value():
    def edit(sheet, book):
        sheet.cell(3, _column(sheet, "fixed_costs")).value = None

    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(_edited(edit, lang="en"))
    assert_input_error(excinfo, "fixed_costs", "cell_empty")
    assert _messages(excinfo)["en"] == "Sheet «Inputs», cell G3: Fixed costs is empty; fill it in."


def test_an_empty_name():
    def edit(sheet, book):
        sheet["A4"].value = "   "

    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(_edited(edit))
    assert_input_error(excinfo, "scenario", "cell_empty_name")
    assert "ô A4" in _messages(excinfo)["vi"]


def test_duplicate_names():
    def edit(sheet, book):
        sheet["A4"].value = f" {PLAN.name}"

    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(_edited(edit))
    assert_input_error(excinfo, "scenario", "cell_duplicate_name")
    assert "ô A4" in _messages(excinfo)["vi"] and "ô A3" in _messages(excinfo)["vi"]


@pytest.mark.parametrize(("model", "reason"), [("hoa_von", "cell_unknown_model"), (None, "cell_empty")])
def test_unknown_or_missing_model(model, reason):
    def edit(sheet, book):
        sheet["B3"].value = model

    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(_edited(edit))
    assert_input_error(excinfo, "model", reason)
    assert "ô B3" in _messages(excinfo)["vi"]
    if model:
        assert "break_even" in _messages(excinfo)["en"]


def test_a_number_in_an_input_the_model_does_not_use():
    def edit(sheet, book):
        sheet.cell(5, _column(sheet, "price_per_unit")).value = 3_000  # COST is a unit_cost scenario

    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(_edited(edit, scenarios=(PLAN, DEARER, COST)))
    assert_input_error(excinfo, "price_per_unit", "cell_not_for_model")
    assert "ô H5" in _messages(excinfo)["vi"]


def test_a_check_of_from_dict_is_reported_at_its_cell(monkeypatch):
    def refuse(data):
        raise InputError("volume", reason="not_positive", value=0)

    data = scenarios_to_xlsx([PLAN])
    monkeypatch.setattr(exchange.Scenario, "from_dict", staticmethod(refuse))
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(data)
    assert_input_error(excinfo, "volume", "not_positive")
    assert _messages(excinfo) == {
        "vi": "Trang «Đầu vào», ô J3: Sản lượng bán phải lớn hơn 0 (bạn đã nhập 0).",
        "en": "Sheet «Đầu vào», cell J3: Volume sold must be greater than zero (you entered 0).",
    }


def test_edits_a_manager_may_make_are_accepted():
    def edit(sheet, book):
        sheet["A1"].value = "Tên"  # a title changed
        sheet.insert_rows(1)  # a title row added above
        sheet["A1"].value = "Trứng gà Sơn Nam — phương án giá 2026"
        sheet.move_range("J1:J10", cols=3)  # a column moved
        sheet.append([])  # an empty row
        sheet.cell(6, 1).value = None  # stays empty
        sheet.cell(4, _column_after_insert(sheet, "volume")).value = 1_200_000  # a number changed
        book.create_sheet("Ghi chú của tôi")

    def _column_after_insert(sheet, key):
        return [c.value for c in sheet[exchange.KEY_ROW + 1]].index(key) + 1

    back = scenarios_from_xlsx(_edited(edit))
    assert back == [Scenario(**{**PLAN.to_dict(), "inputs": {**EGGS, "volume": 1_200_000}}), DEARER]


def test_integers_typed_in_text_columns_read_as_text():
    def edit(sheet, book):
        sheet["A3"].value = 2026
        sheet.cell(3, _column(sheet, "note")).value = 12.5

    back = scenarios_from_xlsx(_edited(edit))[0]
    assert (back.name, back.note) == ("2026", "12.5")


# ---------------------------------------------------------------------------------------------
# Writing files


def test_write_xlsx_replaces_the_file(tmp_path):
    path = write_xlsx(tmp_path / "so_sanh.xlsx", [PLAN], lang="en")
    assert path == tmp_path / "so_sanh.xlsx"
    write_xlsx(str(path), [PLAN, DEARER], lang="vi")
    assert scenarios_from_xlsx(path) == [PLAN, DEARER]
    assert os.listdir(tmp_path) == ["so_sanh.xlsx"]


def test_write_xlsx_failing_mid_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "so_sanh.xlsx", [PLAN])
    before = path.read_bytes()

    def crash(fd):
        raise OSError("disk full")

    monkeypatch.setattr(exchange.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        write_xlsx(path, [PLAN, DEARER])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["so_sanh.xlsx"]  # no temporary file left behind


def test_write_csv_failing_mid_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "so_sanh.csv", [PLAN])
    before = path.read_bytes()
    monkeypatch.setattr(exchange.os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_csv(path, [PLAN, DEARER])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["so_sanh.csv"]


def test_write_xlsx_keeps_the_permissions_of_the_old_file(tmp_path):
    path = write_xlsx(tmp_path / "so_sanh.xlsx", [PLAN])
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    write_xlsx(path, [DEARER])
    assert path.stat().st_mode & 0o777 == 0o600


# ---------------------------------------------------------------------------------------------
# Regressions


def test_importing_coopkit_does_not_load_openpyxl():
    code = "import sys, coopkit, coopkit.exchange; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert out == "False"


def test_characters_a_workbook_cannot_hold_are_left_out_not_a_broken_file():
    scenario = Scenario("a\x01b\ufffe", "unit_cost", COST.inputs, note="x\x0by")
    back = scenarios_from_xlsx(scenarios_to_xlsx([scenario]))[0]
    assert (back.name, back.note) == ("ab", "xy")


# Import size and kind, checked before reading (issue 10) ---------------------------------------


def test_check_upload_refuses_a_file_over_the_limit_saying_both_sizes():
    from coopkit.exchange import MAX_IMPORT_BYTES, check_upload

    check_upload("kich-ban-gia.xlsx", MAX_IMPORT_BYTES, b"PK\x03\x04")  # at the limit: accepted
    with pytest.raises(InputError) as excinfo:
        check_upload("kich-ban-gia.xlsx", 20_000_000)
    assert excinfo.value.field == "file" and excinfo.value.reason == "file_too_large"
    assert "20 MB" in excinfo.value.message("vi") and "5 MB" in excinfo.value.message("vi")
    assert "20 MB (megabytes), more than the 5 MB" in excinfo.value.message("en")
    with pytest.raises(InputError) as excinfo:
        check_upload("big.xlsx", 12_345_678)
    assert "12,4 MB" in excinfo.value.message("vi") and "12.4 MB" in excinfo.value.message("en")


@pytest.mark.parametrize("name, head", [("anh-cam.jpg", b"\xff\xd8\xff\xe0"), ("kich-ban.csv", b"name"),
                                        ("renamed.xlsx", b"name,model")])
def test_check_upload_refuses_a_file_that_is_not_an_xlsx(name, head):
    from coopkit.exchange import check_upload

    with pytest.raises(InputError) as excinfo:
        check_upload(name, len(head), head)
    assert excinfo.value.reason == "not_xlsx_file"
    assert name in excinfo.value.message("en") and ".xlsx" in excinfo.value.message("vi")


def test_a_name_longer_than_a_saved_name_is_refused_naming_its_cell(tmp_path):
    """What is imported is pinned and may be saved: the name has the store's length limit."""
    from coopkit.store import MAX_NAME_LENGTH

    inputs = {"fixed_costs": 1e6, "variable_cost_per_unit": 1_000.0, "volume": 100.0}
    path = tmp_path / "long.xlsx"
    write_xlsx(path, [Scenario("x" * MAX_NAME_LENGTH, "unit_cost", inputs)])
    book = openpyxl.load_workbook(path)
    sheet = book[i18n.tr("exchange.sheet.inputs", "vi")]
    sheet.cell(row=exchange.KEY_ROW + 1, column=1).value = "x" * (MAX_NAME_LENGTH + 1)
    book.save(path)
    with pytest.raises(InputError) as excinfo:
        scenarios_from_xlsx(path)
    assert excinfo.value.reason == "cell_name_too_long"
    assert "A3" in excinfo.value.message("en") and str(MAX_NAME_LENGTH) in excinfo.value.message("vi")
