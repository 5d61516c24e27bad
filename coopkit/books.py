"""Our own books: the cooperative's cost items, cash book and members, from Excel and back (workbook 13).

A manager keeps the cooperative's records in Excel. This module gives them a blank template to
fill in (`book_template`), reads a filled file into what the domain functions take
(`read_books`, `read_cost_items`, `read_cash_book`, `read_members`) and writes results back to a
workbook (`tables_to_xlsx`). It holds no widgets: the app of workbook 13 calls it.

Three tables, one sheet each:

**Cost items** (``Chi phí`` / ``Cost items``) → `CostBook` (`coopkit.costs.CostItem` list)
    name, kind (fixed/variable), basis (per season, per ha, per unit, per batch), amount (₫),
    unit (kg, tạ, sào…: what the amount is per), note.
**Cash book** (``Sổ quỹ`` / ``Cash book``) → `CashBook` (the months of `coopkit.cashflow.cash_flow_plan`)
    date (dd/mm/yyyy), description, money in (₫), money out (₫), category.
**Members** (``Thành viên`` / ``Members``) → `MemberBook` (`coopkit.members.Member` list)
    name, kind (official/associate), capital (₫), area and its unit (sào, ha, m², công), volume sold
    through the cooperative and its unit (kg, yến, tạ, tấn).

What a file may look like. An ``.xlsx`` workbook (values as Excel last computed them) or a
``.csv`` file (UTF-8 with or without BOM, UTF-16, or the old Windows code pages 1258 and 1252;
``,`` ``;`` or tab between cells). Headers in Vietnamese or English, in any order, with any case,
accents, spacing or a unit in brackets (``Số tiền (₫)``, ``so tien``, ``Amount (VND)``); the
header row is the row, among the first `HEADER_SEARCH_ROWS` that are not empty, naming most
columns (a header cell merged over two rows counts for both). Empty rows and a totals row
(``Tổng``, ``Tổng cộng``, ``Cộng``, ``Total``) are skipped; other columns are ignored.

Numbers: an Excel number, or text as a manager types it: ``1.250.000``, ``1.250.000 ₫``,
``1.250.000đ``, ``2,5``, ``1,250,000``, ``2.5``, ``₫1,250,000``. The rules for ambiguous text:

1. Both ``.`` and ``,`` in a number: the last one is the decimal mark (``1.250,5``, ``1,250.5``).
2. One mark used twice or more is a thousands separator (``1.250.000``, ``1,250,000``).
3. One mark used once is a decimal mark unless three digits follow it and one to three digits
   (not starting with 0) precede it (``2,5``, ``0.500``, ``1250.5`` are decimals).
4. Otherwise (``1.250``, ``1,250``): in a money column (₫) it is a thousands separator: 1250.
   In another column (area, volume) the sheet's number style decides: the style its other
   numbers show by rules 1–3 (the majority when they disagree), else the language of its
   headers, else ``lang``. Vietnamese style: ``1.250`` is 1250 and ``1,250`` is 1.25;
   English style: the reverse.

Dates: an Excel date, or text ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` or
``yyyy-mm-dd`` (a time after it is ignored). Day first, unless a column's dates are all written
month first (some second number above 12 and no first number above 12: a file from a US Excel).

Anything that cannot be read is refused with one `InputError` naming the sheet (for a CSV file,
the file), the row as Excel numbers it and the column header as written in the file; nothing is
half read. Refused before reading: a file over `MAX_FILE_BYTES`, one that unzips to more than
`MAX_UNPACKED_BYTES`, a file that is not a spreadsheet (a PDF, a picture, a zip that is not a
workbook, an old ``.xls``), a sheet of more than `MAX_ROWS` rows. A formula that Excel never
computed (a file written by a program, not saved in Excel) is refused too: open the file in
Excel or LibreOffice, save it, and import it again.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from coopkit import fields, i18n
from coopkit.cashflow import INFLOWS, MAX_MONTHS, OUTFLOWS
from coopkit.costs import CostItem, CostSummary, cost_summary
from coopkit.errors import InputError
from coopkit.members import Member
from coopkit.units import AREA_UNITS_M2, WEIGHT_UNITS_KG

__all__ = [
    "TABLES",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_ROWS",
    "HEADER_SEARCH_ROWS",
    "TEMPLATE_ROWS",
    "VND_FORMAT",
    "DATE_FORMAT",
    "Books",
    "CostBook",
    "CashBook",
    "CashYear",
    "MemberBook",
    "OWN_BOOKS",
    "product_from_books",
    "book_template",
    "write_book_template",
    "read_books",
    "read_cost_items",
    "read_cash_book",
    "read_members",
    "tables_to_xlsx",
    "write_tables_xlsx",
]

#: Key of the product template made from a cooperative's books (`product_from_books`).
OWN_BOOKS = "own_books"
#: The tables a book file holds, one sheet each, in the template's order.
TABLES: tuple[str, ...] = ("cost_items", "cash_book", "members")
#: Largest file read, in bytes (5 MB): a cooperative's year of books weighs a few hundred KB, and
#: an upload through a Voila page travels in one websocket message (10 MiB at most by default).
MAX_FILE_BYTES = 5_000_000
#: Largest amount of data an .xlsx file (a zip archive) may unzip to, in bytes (25 MB), checked
#: from the archive's directory before anything is unzipped.
MAX_UNPACKED_BYTES = 25_000_000
#: Most rows with something in them a sheet (or a CSV file) may hold: ten thousand cash-book
#: lines are forty a working day for a year.
MAX_ROWS = 10_000
#: How many non-empty rows at the top of a sheet are searched for its header row.
HEADER_SEARCH_ROWS = 10
#: Rows of the template formatted for data (dates, ₫, lists).
TEMPLATE_ROWS = 300
#: Excel number formats: whole đồng with thousands separators, and day/month/year dates.
VND_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"

_CATEGORIES: tuple[str, ...] = INFLOWS + OUTFLOWS

fields.register_fields(
    {
        "book_cost_name": "text",
        "book_cost_kind": "text",
        "book_cost_basis": "text",
        "book_cost_amount": "money",
        "book_cost_unit": "text",
        "book_cost_note": "text",
        "book_date": "text",
        "book_description": "text",
        "book_money_in": "money",
        "book_money_out": "money",
        "book_category": "text",
        "book_member_name": "text",
        "book_member_kind": "text",
        "book_member_capital": "money",
        "book_area": "number",
        "book_area_unit": "text",
        "book_volume": "number",
        "book_volume_unit": "text",
        "book_table": "text",
        "book_column": "text",
        "size_mb": "number",
        "limit_mb": "number",
    }
)


# ---------------------------------------------------------------------------------------------
# The tables and their columns


@dataclass(frozen=True)
class _Column:
    key: str  # column of the table (``amount``)
    field: str  # field whose label is the template's header (``book_cost_amount``)
    kind: str  # text, money, number, date, kind, basis, category, member_kind, unit, area_unit, weight_unit
    required: bool = False  # the column must be in the file
    vi: tuple[str, ...] = ()  # other headers accepted, folded (see _fold)
    en: tuple[str, ...] = ()
    width: int = 14


_COLUMNS: dict[str, tuple[_Column, ...]] = {
    "cost_items": (
        _Column("name", "book_cost_name", "text", True,
                ("khoan chi phi", "ten khoan chi", "ten chi phi", "khoan chi", "khoan muc", "hang muc", "ten",
                 "noi dung"),
                ("cost item", "item", "name", "cost name", "description"), 32),
        _Column("kind", "book_cost_kind", "kind", True,
                ("loai", "loai chi phi", "tinh chat", "co dinh bien doi", "dinh phi bien phi"),
                ("kind", "type", "cost type", "fixed variable", "fixed or variable"), 16),
        _Column("basis", "book_cost_basis", "basis", True,
                ("cach tinh", "tinh theo", "co so tinh", "tinh cho"),
                ("basis", "per", "charged per", "cost basis"), 22),
        _Column("amount", "book_cost_amount", "money", True,
                ("so tien", "thanh tien", "chi phi", "gia tri", "muc chi", "so tien vnd"),
                ("amount", "cost", "value", "amount vnd"), 16),
        _Column("unit", "book_cost_unit", "unit", False, ("don vi", "dvt", "don vi tinh"), ("unit",), 12),
        _Column("note", "book_cost_note", "text", False, ("ghi chu", "chu thich"), ("note", "notes", "comment",
                                                                                    "remarks"), 36),
    ),
    "cash_book": (
        _Column("date", "book_date", "date", True, ("ngay", "ngay thang", "ngay thang nam", "ngay chung tu"),
                ("date", "day"), 13),
        _Column("description", "book_description", "text", False,
                ("dien giai", "noi dung", "ly do", "mo ta", "noi dung thu chi"),
                ("description", "details", "particulars", "memo"), 36),
        _Column("money_in", "book_money_in", "money", False,
                ("thu", "tien thu", "so tien thu", "thu vao", "tien vao", "so thu"),
                ("money in", "in", "receipts", "received", "income", "inflow", "cash in"), 16),
        _Column("money_out", "book_money_out", "money", False,
                ("chi", "tien chi", "so tien chi", "chi ra", "tien ra", "so chi"),
                ("money out", "out", "payments", "paid", "expense", "expenses", "outflow", "cash out"), 16),
        _Column("category", "book_category", "category", False,
                ("loai", "loai thu chi", "khoan muc", "phan loai", "nhom"), ("category", "kind", "type"), 24),
    ),
    "members": (
        _Column("name", "book_member_name", "text", True,
                ("ho va ten", "ho ten", "ten thanh vien", "thanh vien", "ten", "ho va ten thanh vien"),
                ("member", "member name", "name", "member s name", "full name"), 28),
        _Column("kind", "book_member_kind", "member_kind", False, ("loai thanh vien", "loai"),
                ("kind", "kind of member", "member type", "type"), 18),
        _Column("capital", "book_member_capital", "money", True,
                ("von gop", "so von gop", "co phan", "gop von", "von", "von gop vnd"),
                ("capital", "shares", "contribution", "capital contributed", "shares contribution"), 16),
        _Column("area", "book_area", "number", False, ("dien tich", "dien tich canh tac", "dien tich dat"),
                ("area", "land", "farm area"), 12),
        _Column("area_unit", "book_area_unit", "area_unit", False, ("don vi dien tich", "dvt dien tich"),
                ("area unit", "unit of area"), 12),
        _Column("volume", "book_volume", "number", False,
                ("san luong", "san luong ban qua htx", "san luong ban", "khoi luong", "san luong ban cho htx"),
                ("volume", "volume sold", "quantity", "volume sold through the cooperative"), 14),
        _Column("unit", "book_volume_unit", "weight_unit", False,
                ("don vi", "don vi san luong", "dvt"), ("unit", "volume unit", "unit of volume"), 12),
    ),
}

_SHEET_WORDS: dict[str, tuple[str, ...]] = {
    "cost_items": ("chi phi", "khoan chi phi", "cost items", "costs", "cost"),
    "cash_book": ("so quy", "so thu chi", "so quy tien mat", "cash book", "cashbook", "cash"),
    "members": ("thanh vien", "danh sach thanh vien", "members", "member list"),
}

#: Accepted words for the choice columns, folded, by value (the catalogue's words are added).
_CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        "fixed": ("fixed", "co dinh", "chi phi co dinh", "cp co dinh", "dinh phi", "f"),
        "variable": ("variable", "bien doi", "chi phi bien doi", "cp bien doi", "kha bien", "bien phi", "v"),
    },
    "member_kind": {
        "official": ("official", "chinh thuc", "thanh vien chinh thuc", "tv chinh thuc", "official member"),
        "associate": ("associate", "lien ket", "lien ket gop von", "thanh vien lien ket gop von",
                      "associate member", "associate capital member"),
    },
    "category": {
        "sales_receipts": ("sales_receipts", "ban hang", "tien ban hang", "thu ban hang", "doanh thu", "sales"),
        "loan_disbursements": ("loan_disbursements", "vay", "tien vay", "nhan tien vay", "loan", "loan received"),
        "other_receipts": ("other_receipts", "thu khac", "tien vao khac", "other receipts", "other income"),
        "input_payments": ("input_payments", "vat tu", "chi vat tu", "mua vat tu", "dau vao", "inputs"),
        "wage_payments": ("wage_payments", "luong", "tien cong", "tien luong", "chi luong", "wages", "labour",
                          "labor"),
        "member_payments": ("member_payments", "tra thanh vien", "mua cua thanh vien", "thu mua",
                            "payments to members", "members"),
        "loan_instalments": ("loan_instalments", "tra no", "tra no vay", "tra goc lai", "loan repayment",
                             "loan instalments", "instalments", "repayment"),
        "other_payments": ("other_payments", "chi khac", "other payments", "other expenses", "other"),
    },
}

_BASIS_WORDS = {
    "season": ("season", "vu", "mua vu", "nam", "year", "ca vu"),
    "ha": ("ha", "hecta", "hectare", "dien tich", "area"),
    "unit": ("unit", "don vi", "don vi san pham", "san pham", "product", "san luong"),
    "batch": ("batch", "me", "lo", "chuyen", "me say"),
}
_BASIS_PREFIXES = ("moi ", "per ", "theo ", "tren ", "cho ", "each ", "a ")

_AREA_WORDS = {
    "ha": "ha", "hecta": "ha", "hec ta": "ha", "hectare": "ha", "hectares": "ha",
    "m2": "m2", "met vuong": "m2", "sq m": "m2", "sqm": "m2", "square metre": "m2", "square meter": "m2",
    "cong": "cong", "sao bac bo": "sao_bac_bo", "sao bb": "sao_bac_bo", "sao trung bo": "sao_trung_bo",
    "sao tb": "sao_trung_bo",
}
_WEIGHT_WORDS = {
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "ky": "kg", "ki lo": "kg",
    "ki lo gam": "kg", "can": "kg", "yen": "yen", "ta": "ta", "tan": "tan", "t": "tan", "tonne": "tan",
    "tonnes": "tan", "ton": "tan", "tons": "tan",
}
#: How a unit key is written in a file (the template's lists) and in the tables' ``unit`` columns.
_UNIT_SHOWN = {"kg": "kg", "yen": "yến", "ta": "tạ", "tan": "tấn", "ha": "ha", "m2": "m²", "cong": "công",
               "sao_bac_bo": "sào", "sao_trung_bo": "sào Trung Bộ"}
_SAO = ("sao_bac_bo", "sao_trung_bo")

#: A row whose text cell says only this (case, accents kept; "Công" is labour, not "Cộng") is a totals row.
_TOTAL_WORDS = frozenset({"tổng", "tổng cộng", "cộng", "tong", "tong cong", "tổng số", "cộng phát sinh",
                          "total", "totals", "grand total", "sum", "subtotal"})

_MONEY_WORDS = ("vnd", "dong", "d", "vnđ")


def _fold(text: object) -> str:
    """Text without accents, case or punctuation, words joined by one space (``"Số tiền (₫)"`` →
    ``"so tien"``): how headers and words in cells are compared."""
    text = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _header(column: _Column, lang: str) -> str:
    return fields.label(column.field, lang)


@cache
def _header_index(table: str) -> dict[str, tuple[str, str]]:
    """Folded header → (column key, language) for one table: the catalogue's headers, then aliases."""
    index: dict[str, tuple[str, str]] = {}
    for column in _COLUMNS[table]:
        for lang in i18n.LANGUAGES:
            label = _header(column, lang)
            for text in (label, re.sub(r"\(.*?\)", " ", label)):
                index.setdefault(_fold(text), (column.key, lang))
    for column in _COLUMNS[table]:
        for lang in i18n.LANGUAGES:
            for alias in getattr(column, lang):
                index.setdefault(alias, (column.key, lang))
    index.pop("", None)
    return index


@cache
def _choice_index(kind: str) -> dict[str, str]:
    """Folded word → value for a choice column (``"bien doi"`` → ``"variable"``)."""
    index: dict[str, str] = {}
    for value, words in _CHOICES[kind].items():
        for lang in i18n.LANGUAGES:
            index.setdefault(_fold(i18n.tr(f"books.choice.{kind}.{value}", lang)), value)
            if kind == "category":
                index.setdefault(_fold(fields.label(value, lang)), value)
        for word in words:
            index.setdefault(_fold(word), value)
    return index


def _choice_words(kind: str, lang: str) -> list[str]:
    values = _CHOICES[kind] if kind in _CHOICES else _BASIS_WORDS
    return [i18n.tr(f"books.choice.{kind}.{value}", lang) for value in values]


def _unit_key(text: object, sao: str) -> str | None:
    """The `coopkit.units` key of a unit as written (``"tạ"`` → ``"ta"``, ``"sào"`` → ``sao``)."""
    folded = _fold(text)
    if folded == "sao":
        return sao
    joined = folded.replace(" ", "_")
    return _AREA_WORDS.get(folded) or _WEIGHT_WORDS.get(folded) or (
        joined if joined in AREA_UNITS_M2 or joined in WEIGHT_UNITS_KG else None)


def _unit_shown(key: str, lang: str | None = "vi") -> str:
    """How a unit key is written in ``lang`` (``"ta"`` → ``"tạ"``; a tấn is a tonne in English)."""
    if key == "tan" and i18n.normalize_language(lang) == "en":
        return "tonne"
    return _UNIT_SHOWN.get(key, key)


def _units_shown(units: Iterable[str]) -> _PerLanguage:
    units = list(units)
    return _per_language(lambda lg: ", ".join(_unit_shown(u, lg) for u in units))


# ---------------------------------------------------------------------------------------------
# Errors


class _PerLanguage(dict):
    """A message parameter that reads differently in each language (``{"vi": …, "en": …}``)."""


class _BookError(InputError):
    """An `InputError` whose parameters may depend on the message's language (`_PerLanguage`)."""

    def message(self, lang: str | None = None) -> str:
        lang = i18n.normalize_language(lang)
        params = {k: (v[lang] if isinstance(v, _PerLanguage) else v) for k, v in self.params.items()}
        return InputError(self.field, self.reason, self.value, label=self.label, **params).message(lang)


class _CellError(InputError):
    """A domain check failed on one row: the sheet, row and column, then the domain's own message."""

    def __init__(self, inner: InputError, *, sheet: str, row: int, column: str) -> None:
        super().__init__(inner.field, inner.reason, inner.value, label=inner.label, **inner.params)
        self.inner, self.sheet, self.row, self.column = inner, sheet, row, column

    def message(self, lang: str | None = None) -> str:
        where = i18n.tr("books.at_cell", lang, sheet=self.sheet, row=fields.as_typed(self.row, lang),
                        column=self.column)
        return f"{where} {self.inner.message(lang)}"


def _per_language(make: Any) -> _PerLanguage:
    return _PerLanguage({lang: make(lang) for lang in i18n.LANGUAGES})


# ---------------------------------------------------------------------------------------------
# Files: size, kind, sheets as rows


@dataclass
class _Grid:
    """One sheet (or a CSV file) as its non-empty rows: ``(row number, values, formulas)``."""

    title: str
    is_csv: bool
    _load: Any = field(repr=False)
    _rows: list[tuple[int, tuple, tuple | None]] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[tuple[int, tuple, tuple | None]]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows


def _source_bytes(source: str | os.PathLike[str] | bytes, name: str | None) -> tuple[bytes, str]:
    """The file's content and the name its messages use; the size is checked before reading."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        shown = name or "upload"
        _check_size(len(data), shown)
        return data, shown
    path = Path(source)
    shown = name or path.name
    if not path.is_file():
        raise InputError("file", reason="books_missing_file", value=shown, file=shown)
    _check_size(path.stat().st_size, shown)
    return path.read_bytes(), shown


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InputError("file", reason="books_file_too_large", value=name, file=name,
                         size_mb=math.ceil(size / 100_000) / 10, limit_mb=MAX_FILE_BYTES / 1_000_000)
    if size == 0:
        raise InputError("file", reason="books_empty_file", value=name, file=name)


_NOT_SPREADSHEET = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF", b"\x1f\x8b", b"Rar!",
                    b"7z\xbc\xaf", b"II*\x00", b"MM\x00*", b"<!DOCTYPE", b"<html", b"{\\rtf")


def _grids(data: bytes, name: str) -> list[_Grid]:
    """The sheets of an .xlsx file, or the one table of a CSV file."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _xlsx_grids(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("file", reason="books_old_xls", value=name, file=name)
    head = data[:4096]
    if data.startswith(_NOT_SPREADSHEET) or (b"\x00" in head and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
        raise InputError("file", reason="books_not_spreadsheet", value=name, file=name)
    return [_csv_grid(data, name)]


def _xlsx_grids(data: bytes, name: str) -> list[_Grid]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError("file", reason="books_unreadable_xlsx", value=name, file=name) from None
    if "xl/workbook.xml" not in names:
        raise InputError("file", reason="books_zip_not_workbook", value=name, file=name)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError("file", reason="books_unpacks_too_large", value=name, file=name,
                         size_mb=math.ceil(unpacked / 100_000) / 10, limit_mb=MAX_UNPACKED_BYTES / 1_000_000)
    from openpyxl import load_workbook

    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001  (zip, XML and openpyxl errors alike: for the manager, a bad file)
        raise InputError("file", reason="books_unreadable_xlsx", value=name, file=name) from None

    def loader(title: str) -> Any:
        def load() -> list[tuple[int, tuple, tuple | None]]:
            try:
                pairs = zip(values[title].iter_rows(values_only=True), formulas[title].iter_rows(values_only=True))
                return _kept_rows(((v, f) for v, f in pairs), title)
            except InputError:
                raise
            except Exception:  # noqa: BLE001
                raise InputError("file", reason="books_unreadable_xlsx", value=name, file=name) from None
        return load

    return [_Grid(title, False, loader(title)) for title in values.sheetnames]


def _kept_rows(pairs: Iterable[tuple[tuple, tuple | None]], title: str) -> list[tuple[int, tuple, tuple | None]]:
    """The rows with something in them (a value or a formula), numbered as Excel numbers them."""
    kept = []
    for number, (row, formulas) in enumerate(pairs, start=1):
        row = tuple(row)
        if all(_blank(v) for v in row) and (formulas is None or all(f is None for f in formulas)):
            continue
        kept.append((number, row, tuple(formulas) if formulas is not None else None))
        if len(kept) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise InputError("sheet", reason="books_too_many_rows", value=title, sheet=title, limit=MAX_ROWS)
    return kept


#: Bytes that are Vietnamese letters or tone marks in code page 1258 (ơ ư đ, combining marks) and
#: rare letters in code page 1252: a file with them is read as 1258.
_CP1258_BYTES = frozenset(b"\xcc\xd2\xde\xec\xf2\xf0\xd0\xfd\xdd\xf5\xd5")


def _decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1258 or 1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            first = "cp1258" if _CP1258_BYTES.intersection(data) else "cp1252"
            second = "cp1252" if first == "cp1258" else "cp1258"
            try:
                text = data.decode(first)
            except UnicodeDecodeError:
                text = data.decode(second, errors="replace")
    return unicodedata.normalize("NFC", text)


def _delimiter(text: str) -> str:
    """``,``, ``;`` or tab: the one that splits most of the first lines into the same number of
    cells (more than one), so that ``1,250,000`` in a ``;`` file or a title line do not mislead."""
    from collections import Counter

    lines = [line for line in text.splitlines()[:50] if line.strip()][:10]
    best, score = ",", (0, 0)
    for candidate in (",", ";", "\t"):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=candidate) if len(row) > 1]
        except csv.Error:
            continue
        if counts:
            cells, lines_alike = Counter(counts).most_common(1)[0]
            if (lines_alike, cells) > score:
                best, score = candidate, (lines_alike, cells)
    return best


def _csv_grid(data: bytes, name: str) -> _Grid:
    text = _decode(data)

    def load() -> list[tuple[int, tuple, tuple | None]]:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
            return _kept_rows(((tuple(row), None) for row in reader), name)
        except csv.Error:
            raise InputError("file", reason="books_unreadable_csv", value=name, file=name) from None

    return _Grid(name, True, load)


# ---------------------------------------------------------------------------------------------
# Cells


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text (a number typed in a text column reads as Excel shows it)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_CURRENCY_START = re.compile(r"^(₫|vnđ|vnd)", re.IGNORECASE)
_CURRENCY_END = re.compile(r"(₫|vnđ|vnd|đồng|đ|dong|d)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


def _number_text(text: str) -> tuple[int, str]:
    """The sign and the digits and marks of a number typed as text (currency and spaces dropped)."""
    t = _SPACES.sub("", unicodedata.normalize("NFC", text))
    sign = 1
    if t.startswith("(") and t.endswith(")"):
        sign, t = -1, t[1:-1]
    for _ in range(2):
        t = _CURRENCY_END.sub("", _CURRENCY_START.sub("", t))
    if t[:1] in ("-", "−", "+"):
        sign, t = (1 if t[0] == "+" else -1) * sign, t[1:]
    t = _CURRENCY_START.sub("", t)
    return sign, t


def _style_of(t: str, money: bool) -> str | None:
    """``"vi"`` or ``"en"`` when the digits ``t`` can be read one way only (rules 1–3 of the module,
    and rule 4's money case); ``None`` when the sheet's style must decide."""
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        return "vi" if t.rfind(",") > t.rfind(".") else "en"
    if dots > 1:
        return "vi"
    if commas > 1:
        return "en"
    if dots == 1 or commas == 1:
        mark = "." if dots else ","
        head, tail = t.split(mark)
        if not (len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0")):
            return "en" if mark == "." else "vi"  # a decimal mark
        if money:
            return "vi" if mark == "." else "en"  # a thousands separator
        return None
    return "vi"  # digits only: either style


def _number_of_text(text: str, money: bool, style: str) -> float | None:
    """The number a manager typed as text, or ``None`` when it is not one."""
    from babel.numbers import NumberFormatError, parse_decimal

    sign, t = _number_text(text)
    if re.fullmatch(r"\d+(\.\d+)?[eE][+-]?\d+", t):
        return sign * float(t)
    if not re.fullmatch(r"\d[\d.,]*", t) or not t[-1].isdigit():
        return None
    chosen = _style_of(t, money) or style
    try:
        number = float(parse_decimal(t, locale=i18n.LOCALES[chosen], strict=True))
    except (NumberFormatError, ValueError, ArithmeticError):
        return None
    return sign * number if math.isfinite(number) else None


def _vote(value: object) -> str | None:
    """The number style a cell shows by itself, if any (for the sheet's style)."""
    if not isinstance(value, str):
        return None
    _sign, t = _number_text(value)
    if not re.fullmatch(r"\d[\d.,]*\d", t) or not (t.count(".") or t.count(",")):
        return None
    return _style_of(t, money=False)


_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})")


def _date_parts(text: str) -> tuple[int, int, int, bool] | None:
    """``(a, b, year, day_month)`` of a date typed as text: ``day_month`` is False for y-m-d."""
    first = text.strip().replace("T", " ").split(" ")[0]
    match = _YMD.fullmatch(first)
    if match:
        return int(match[3]), int(match[2]), int(match[1]), False
    match = _DMY.fullmatch(first)
    if match:
        return int(match[1]), int(match[2]), int(match[3]), True
    return None


def _date_of(value: object, month_first: bool) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= 73_050:  # an Excel day number (a date cell formatted as a number), up to 2099
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        return None
    parts = _date_parts(str(value))
    if parts is None:
        return None
    a, b, year, day_month = parts
    day, month = (b, a) if day_month and month_first else (a, b)
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Reading one table from one sheet


class _Table:
    """One table read from one sheet: its header row, columns, style, then typed cells."""

    def __init__(self, grid: _Grid, table: str, lang: str | None, sao: str) -> None:
        self.grid, self.table, self.sao = grid, table, sao
        self.sheet = grid.title
        self.columns = {c.key: c for c in _COLUMNS[table]}
        found = _find_header(grid.rows, table)
        if found is None:
            expected = _per_language(lambda lg: ", ".join(
                f"“{_header(c, lg)}”" for c in _COLUMNS[table] if c.required))
            raise _BookError("sheet", reason="books_no_header", value=self.sheet, sheet=self.sheet,
                             count=HEADER_SEARCH_ROWS, expected=expected)
        self.header_row, self.where, implied, header_lang = found
        self.implied = {key: _unit_key(unit, sao) for key, unit in implied.items()}
        for column in _COLUMNS[table]:
            if column.required and column.key not in self.where:
                raise _BookError("book_column", reason="books_missing_column", value=self.sheet, sheet=self.sheet,
                                 row=self.header_row, label={lg: _header(column, lg) for lg in i18n.LANGUAGES})
        if table == "cash_book" and not {"money_in", "money_out"} & set(self.where):
            column = self.columns["money_in"]
            raise _BookError("book_column", reason="books_missing_column", value=self.sheet, sheet=self.sheet,
                             row=self.header_row, label={lg: _header(column, lg) for lg in i18n.LANGUAGES})
        self.rows = [r for r in grid.rows if r[0] > self.header_row]
        self.rows = [r for r in self.rows if not self._skipped(r)]
        if len(self.rows) > MAX_ROWS:
            raise InputError("sheet", reason="books_too_many_rows", value=self.sheet, sheet=self.sheet,
                             limit=MAX_ROWS)
        self.style = self._number_style(header_lang or i18n.normalize_language(lang))
        self.month_first = self._month_first()

    # -- rows -------------------------------------------------------------------------------

    def _raw(self, row: tuple, key: str) -> object:
        index = self.where[key][0]
        return row[index] if index < len(row) else None

    def _skipped(self, entry: tuple[int, tuple, tuple | None]) -> bool:
        """An empty row (in the table's columns) or a totals row."""
        _number, row, formulas = entry
        cells = [self._raw(row, key) for key in self.where]
        uncomputed = formulas is not None and any(
            _blank(self._raw(row, key)) and self._formula(formulas, key) is not None for key in self.where)
        if all(_blank(v) for v in cells) and not uncomputed:
            return True
        texts = [unicodedata.normalize("NFC", v).strip().rstrip(":").strip().casefold()
                 for v in cells if isinstance(v, str) and v.strip()]
        return bool(texts) and texts[0] in _TOTAL_WORDS

    def _formula(self, formulas: tuple, key: str) -> object:
        index = self.where[key][0]
        return formulas[index] if index < len(formulas) else None

    def _number_style(self, fallback: str) -> str:
        votes = {"vi": 0, "en": 0}
        numeric = [k for k, c in self.columns.items() if k in self.where and c.kind in ("money", "number")]
        for _number, row, _formulas in self.rows:
            for key in numeric:
                vote = _vote(self._raw(row, key))
                if vote:
                    votes[vote] += 1
        if votes["vi"] != votes["en"]:
            return "vi" if votes["vi"] > votes["en"] else "en"
        return fallback if fallback in votes else "vi"

    def _month_first(self) -> bool:
        if "date" not in self.where:
            return False
        firsts, seconds = [], []
        for _number, row, _formulas in self.rows:
            value = self._raw(row, "date")
            parts = _date_parts(value) if isinstance(value, str) else None
            if parts and parts[3]:
                firsts.append(parts[0])
                seconds.append(parts[1])
        return any(b > 12 for b in seconds) and not any(a > 12 for a in firsts)

    def entries(self) -> Iterator[tuple[int, tuple, tuple | None]]:
        return iter(self.rows)

    # -- cells ------------------------------------------------------------------------------

    def header(self, key: str) -> str:
        """The column's header as written in the file (the template's, when the column is absent)."""
        return self.where[key][1] if key in self.where else _header(self.columns[key], "vi")

    def error(self, number: int, key: str, reason: str, value: object = None, **params: Any) -> InputError:
        return _BookError(self.columns[key].field, reason=reason, value=value, sheet=self.sheet, row=number,
                          column=self.header(key), **params)

    def raw(self, entry: tuple[int, tuple, tuple | None], key: str) -> object:
        """The cell's value; a formula never computed is refused, an absent column is empty."""
        number, row, formulas = entry
        if key not in self.where:
            return None
        value = self._raw(row, key)
        if _blank(value) and formulas is not None:
            formula = self._formula(formulas, key)
            if formula is not None:
                raise self.error(number, key, "books_formula_not_computed", str(formula))
        if isinstance(value, str) and value.strip() in ("-", "–", "—") and self.columns[key].kind in (
                "money", "number"):
            return None
        return value

    def text(self, entry: tuple, key: str, required: bool = False) -> str:
        value = self.raw(entry, key)
        if _blank(value):
            if required:
                raise self.error(entry[0], key, "books_empty_cell")
            return ""
        return unicodedata.normalize("NFC", _text(value))

    def number(self, entry: tuple, key: str, required: bool = False) -> float | None:
        """A number zero or more (money: rule 4 reads ``1.250`` as 1250); ``None`` when empty."""
        value = self.raw(entry, key)
        if _blank(value):
            if required:
                raise self.error(entry[0], key, "books_empty_cell")
            return None
        if isinstance(value, bool) or isinstance(value, (datetime, date)):
            raise self.error(entry[0], key, "books_not_a_number", _text(value))
        if isinstance(value, (int, float)):
            number = float(value)
            if not math.isfinite(number):
                raise self.error(entry[0], key, "books_not_a_number", _text(value))
        else:
            number = _number_of_text(str(value), self.columns[key].kind == "money", self.style)
            if number is None:
                raise self.error(entry[0], key, "books_not_a_number", _text(value))
        if number < 0:
            raise self.error(entry[0], key, "books_negative", _text(value))
        if abs(number) > fields.LARGEST["money"]:
            raise self.error(entry[0], key, "books_too_large", _text(value))
        return number

    def quantity(self, entry: tuple, key: str) -> tuple[float | None, str | None]:
        """A number that may carry its unit in the cell (``"5 sào"``, ``"3 tạ"``)."""
        value = self.raw(entry, key)
        if isinstance(value, str):
            match = re.fullmatch(r"\s*([-−+(]?[\d.,\s\u00a0]*\d\)?)\s*([^\d\s].*?)\s*", value)
            if match:
                unit = _unit_key(match[2], self.sao)
                if unit is not None:
                    number = _number_of_text(match[1], False, self.style)
                    if number is None:
                        raise self.error(entry[0], key, "books_not_a_number", value.strip())
                    if number < 0:
                        raise self.error(entry[0], key, "books_negative", value.strip())
                    return number, unit
        return self.number(entry, key), None

    def choice(self, entry: tuple, key: str, kind: str, required: bool = True) -> str | None:
        text = self.text(entry, key, required=required)
        if not text:
            return None
        value = _choice_index(kind).get(_fold(text))
        if value is None:
            raise self.error(entry[0], key, "books_unknown_choice", text,
                             allowed=_per_language(lambda lg: ", ".join(_choice_words(kind, lg))))
        return value

    def date(self, entry: tuple, key: str) -> date:
        value = self.raw(entry, key)
        if _blank(value):
            raise self.error(entry[0], key, "books_empty_cell")
        day = _date_of(value, self.month_first)
        if day is None:
            raise self.error(entry[0], key, "books_not_a_date", _text(value))
        return day

    def unit(self, entry: tuple, key: str, units: Mapping[str, float] | None = None) -> str | None:
        """A unit key of ``units`` (area or weight), or ``None`` when the cell is empty."""
        text = self.text(entry, key)
        if not text:
            return None
        unit = _unit_key(text, self.sao)
        if unit is None or (units is not None and unit not in units):
            allowed = _units_shown(units or {**AREA_UNITS_M2, **WEIGHT_UNITS_KG})
            raise self.error(entry[0], key, "books_unknown_unit", text, allowed=allowed)
        return unit


def _find_header(rows: list[tuple[int, tuple, tuple | None]], table: str
                 ) -> tuple[int, dict[str, tuple[int, str]], dict[str, str], str | None] | None:
    """The header row among the first non-empty rows: ``(row number, {key: (index, header)},
    {key: unit in the header}, language of the headers)``; ``None`` when no row names two columns."""
    index = _header_index(table)
    best = None
    previous: tuple[int, tuple] | None = None
    for number, row, _formulas in rows[:HEADER_SEARCH_ROWS]:
        above = previous[1] if previous and previous[0] == number - 1 else ()
        where: dict[str, tuple[int, str]] = {}
        implied: dict[str, str] = {}
        langs = {"vi": 0, "en": 0}
        for position in range(max(len(row), len(above))):
            cell = row[position] if position < len(row) else None
            if _blank(cell) and position < len(above):
                cell = above[position]  # a header cell merged over two rows: Excel keeps the top one
            if not isinstance(cell, str) or _blank(cell):
                continue
            match = _match_header(cell, index)
            if match is None or match[0] in where:
                continue
            key, lang, unit = match
            where[key] = (position, cell.strip())
            langs[lang] += 1
            if unit:
                implied[key] = unit
        if len(where) >= 2 and (best is None or len(where) > len(best[1])):
            lang = None if langs["vi"] == langs["en"] else ("vi" if langs["vi"] > langs["en"] else "en")
            best = (number, where, implied, lang)
        previous = (number, row)
    return best


def _match_header(cell: str, index: dict[str, tuple[str, str]]) -> tuple[str, str, str | None] | None:
    """``(column key, language, unit named in the header, folded)`` of a header cell, or ``None``:
    ``"Diện tích (sào)"`` → ``("area", "vi", "sao")``, ``"Số tiền (₫)"`` → ``("amount", "vi", None)``."""
    folded = _fold(cell)
    if folded in index:
        return (*index[folded], None)
    inner = _fold(" ".join(re.findall(r"[(\[](.*?)[)\]]", cell)))
    base = _fold(re.sub(r"[(\[].*?[)\]]", " ", cell))
    if base in index:
        return (*index[base], inner if inner and _unit_key(inner, "sao_bac_bo") else None)
    words = folded.split()
    if len(words) > 1 and words[-1] in _MONEY_WORDS and " ".join(words[:-1]) in index:
        return (*index[" ".join(words[:-1])], None)
    for size in (1, 2, 3):
        unit, rest = " ".join(words[-size:]), " ".join(words[:-size])
        if len(words) > size and rest in index and _unit_key(unit, "sao_bac_bo"):
            return (*index[rest], unit)
    return None


# ---------------------------------------------------------------------------------------------
# Sheets of a file


def _sheet_title(table: str, lang: str) -> str:
    return i18n.tr(f"books.sheet.{table}", lang)


def _pick_grid(grids: list[_Grid], table: str, taken: set[str]) -> _Grid | None:
    """The sheet that holds ``table``: by its name (either language), else by its headers."""
    words = {_fold(_sheet_title(table, lang)) for lang in i18n.LANGUAGES} | set(_SHEET_WORDS[table])
    for grid in grids:
        if grid.title not in taken and _fold(grid.title) in words:
            return grid
    for grid in grids:
        if grid.title in taken or _fold(grid.title) in {_fold(_sheet_title("notes", lg)) for lg in i18n.LANGUAGES}:
            continue
        found = _find_header(grid.rows, table)
        required = {c.key for c in _COLUMNS[table] if c.required}
        if found and required <= set(found[1]) and (table != "cash_book" or {"money_in", "money_out"} & set(found[1])):
            if _best_table(grid) == table:
                return grid
    return None


def _best_table(grid: _Grid) -> str | None:
    """The table whose required headers the sheet names best (for a CSV file or an unnamed sheet)."""
    scores = {}
    for table in TABLES:
        found = _find_header(grid.rows, table)
        if found is None:
            continue
        required = {c.key for c in _COLUMNS[table] if c.required}
        scores[table] = (len(required & set(found[1])) / len(required), len(found[1]))
    return max(scores, key=scores.get) if scores else None


def _missing_sheet(table: str, name: str, grids: list[_Grid]) -> InputError:
    return _BookError("book_table", reason="books_missing_sheet", value=name, file=name,
                      sheet=_per_language(lambda lg: _sheet_title(table, lg)),
                      sheets=", ".join(f"“{g.title}”" for g in grids))


def _open(source: str | os.PathLike[str] | bytes, name: str | None) -> tuple[str, list[_Grid]]:
    data, shown = _source_bytes(source, name)
    return shown, _grids(data, shown)


def _read_one(source: str | os.PathLike[str] | bytes, table: str, name: str | None, lang: str | None,
              sao: str) -> Any:
    shown, grids = _open(source, name)
    grid = grids[0] if len(grids) == 1 and grids[0].is_csv else _pick_grid(grids, table, set())
    if grid is None:
        raise _missing_sheet(table, shown, grids)
    book = _READERS[table](_Table(grid, table, lang, _check_sao(sao)))
    if book.empty:
        raise InputError("sheet", reason="books_no_rows", value=grid.title, sheet=grid.title)
    return book


def _check_sao(sao: str) -> str:
    if sao not in _SAO:
        raise InputError("area_unit", reason="unknown_unit", value=str(sao))
    return sao


# ---------------------------------------------------------------------------------------------
# The three books


def _slug(name: str) -> str:
    return _fold(name).replace(" ", "_") or "khoan"


@dataclass(frozen=True)
class CostBook:
    """The cost items of a season as the cooperative wrote them, and as `CostItem` objects.

    Attributes
    ----------
    table
        One row per item: ``row`` (the Excel row), ``name``, ``kind`` (``fixed``/``variable``),
        ``basis`` (``season``/``ha``/``unit``/``batch``), ``amount`` (₫ as written), ``unit``
        (a `coopkit.units` key such as ``sao_bac_bo`` or ``ta``, another unit as written, or
        empty), ``note``, and ``amount_per_basis``: ₫ per season, per hectare, per product unit
        (per kg when the unit is a weight) or per batch, what `CostItem` takes.
    items
        The `CostItem` objects (keys made from the names: ``phan_bon``, ``phan_bon_2``).

    Examples
    --------
    A Lạc Thủy orange cooperative writes its fertiliser per sào (360 m²) and its picking per tạ:

    >>> text = "Khoản chi phí;Loại;Cách tính;Số tiền (₫);Đơn vị\\n" \\
    ...        "Phân bón;biến đổi;mỗi ha;648.000;sào\\nHái cam;biến đổi;mỗi đơn vị;80.000;tạ\\n"
    >>> book = read_cost_items(text.encode(), name="chi-phi.csv")
    >>> [(i.key, i.basis, i.amount) for i in book.items]
    [('phan_bon', 'ha', 18000000.0), ('hai_cam', 'unit', 800.0)]
    """

    table: pd.DataFrame = field(repr=False, compare=False)
    items: tuple[CostItem, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.items

    def summary(self, volume: float, area_ha: float = 1.0, units_per_batch: float = 1.0) -> CostSummary:
        """`coopkit.costs.cost_summary` of the items for a season of ``volume`` units on ``area_ha``.

        >>> text = "Khoản chi phí,Loại,Cách tính,Số tiền\\nThuê đất,cố định,mỗi vụ,60000000\\n" \\
        ...        "Phân bón,biến đổi,mỗi ha,18000000\\n"
        >>> s = read_cost_items(text.encode()).summary(volume=100_000, area_ha=5)
        >>> s.fixed_costs, s.unit_cost
        (60000000.0, 1500.0)
        """
        return cost_summary(self.items, volume=volume, area_ha=area_ha, units_per_batch=units_per_batch)

    def to_frame(self) -> pd.DataFrame:
        """The items as the template's columns (``name, kind, basis, amount, unit, note``).

        >>> text = "Cost item,Kind,Basis,Amount (VND)\\nLand lease,fixed,per season,\\"12,000,000\\"\\n"
        >>> read_cost_items(text.encode()).to_frame().values.tolist()[0]
        ['Land lease', 'fixed', 'season', 12000000.0, '', '']
        """
        return self.table[[c.key for c in _COLUMNS["cost_items"]]].reset_index(drop=True)


def _read_cost_items(t: _Table) -> CostBook:
    rows, items, keys = [], [], set()
    for entry in t.entries():
        number = entry[0]
        name = t.text(entry, "name", required=True)
        basis_text = t.text(entry, "basis", required=True)
        basis, basis_unit = _basis_of(basis_text, t.sao)
        if basis is None:
            raise t.error(number, "basis", "books_unknown_choice", basis_text,
                          allowed=_per_language(lambda lg: ", ".join(_choice_words("basis", lg))))
        kind = t.choice(entry, "kind", "kind", required=basis not in ("season", "unit"))
        kind = kind or ("fixed" if basis == "season" else "variable")
        if basis == "season" and kind != "fixed":
            raise t.error(number, "kind", "books_season_cost_fixed", t.text(entry, "kind"))
        if basis == "unit" and kind != "variable":
            raise t.error(number, "kind", "books_unit_cost_variable", t.text(entry, "kind"))
        amount = t.number(entry, "amount", required=True)
        unit_text = t.text(entry, "unit")
        unit = _unit_key(unit_text, t.sao) if unit_text else basis_unit
        shown_unit = unit if unit else unit_text
        per_basis = amount
        if basis == "ha" and unit_text and unit not in AREA_UNITS_M2:
            raise t.error(number, "unit", "books_unit_not_area", unit_text,
                          allowed=_units_shown(AREA_UNITS_M2))
        if basis == "ha" and unit:
            per_basis = amount * AREA_UNITS_M2["ha"] / AREA_UNITS_M2[unit]
        if basis == "unit" and unit in AREA_UNITS_M2:
            raise t.error(number, "unit", "books_unit_is_area", unit_text)
        if basis == "unit" and unit in WEIGHT_UNITS_KG:
            per_basis = amount / WEIGHT_UNITS_KG[unit]
        key, count = _slug(name), 2
        while key in keys:
            key, count = f"{_slug(name)}_{count}", count + 1
        keys.add(key)
        try:
            items.append(CostItem(key, name, name, per_basis, basis, kind))
        except InputError as err:
            raise _CellError(err, sheet=t.sheet, row=number, column=t.header("amount")) from err
        rows.append({"row": number, "name": name, "kind": kind, "basis": basis, "amount": amount,
                     "unit": shown_unit or "", "note": t.text(entry, "note"), "amount_per_basis": per_basis})
    columns = ["row", *[c.key for c in _COLUMNS["cost_items"]], "amount_per_basis"]
    return CostBook(pd.DataFrame(rows, columns=columns), tuple(items))


def _basis_of(text: str, sao: str) -> tuple[str | None, str | None]:
    """``(basis, unit)`` of a basis as written: ``"mỗi vụ"`` → season, ``"mỗi sào"`` → (ha, sào)."""
    folded = _fold(text)
    for lang in i18n.LANGUAGES:
        for value in _BASIS_WORDS:
            if folded == _fold(i18n.tr(f"books.choice.basis.{value}", lang)):
                return value, None
    for prefix in _BASIS_PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
            break
    for value, words in _BASIS_WORDS.items():
        if folded in words:
            return value, None
    unit = _unit_key(folded, sao)
    if unit in AREA_UNITS_M2:
        return "ha", unit
    if unit in WEIGHT_UNITS_KG:
        return "unit", unit
    return None, None


@dataclass(frozen=True)
class CashBook:
    """The cash book: one row per receipt or payment, and its months for `coopkit.cashflow`.

    Attributes
    ----------
    entries
        One row per line of the book: ``row`` (the Excel row), ``date``, ``description``,
        ``money_in``, ``money_out`` (₫, zero or more) and ``category``: one of
        `coopkit.cashflow.INFLOWS` for money in and `coopkit.cashflow.OUTFLOWS` for money out
        (``other_receipts`` / ``other_payments`` when the category is left empty; a line with
        both money in and out has two categories, so its ``category`` is empty).

    Examples
    --------
    A honey cooperative in Hà Giang writes three lines in October and one in December:

    >>> text = "Ngày;Diễn giải;Thu;Chi;Loại thu chi\\n" \\
    ...        "02/10/2025;Bán mật ong;15.000.000;;Bán hàng\\n" \\
    ...        "15/10/2025;Mua chai;;2.500.000;Vật tư\\n" \\
    ...        "20/10/2025;Lương tháng 10;;6.000.000;Lương\\n" \\
    ...        "05/12/2025;Bán mật ong;9.000.000;;Bán hàng\\n"
    >>> book = read_cash_book(text.encode(), name="so-quy.csv")
    >>> book.monthly()[["month", "sales_receipts", "input_payments", "wage_payments"]].values.tolist()
    [['2025-10', 15000000.0, 2500000.0, 6000000.0], ['2025-11', 0.0, 0.0, 0.0], ['2025-12', 9000000.0, 0.0, 0.0]]
    """

    entries: pd.DataFrame = field(repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return self.entries.empty

    def monthly(self) -> pd.DataFrame:
        """Money in and out by month and kind, every month from the first line's to the last's.

        Returns
        -------
        pandas.DataFrame
            ``month`` (``"2025-10"``), ``calendar_month`` (1–12), one column per kind of inflow and
            outflow (`coopkit.cashflow.INFLOWS`, `coopkit.cashflow.OUTFLOWS`), ``inflow``, ``outflow``.

        Examples
        --------
        >>> text = "Date,Money in,Money out,Category\\n2025-03-01,1000000,,Sales\\n2025-04-09,,400000,Wages\\n"
        >>> read_cash_book(text.encode()).monthly()[["month", "inflow", "outflow"]].values.tolist()
        [['2025-03', 1000000.0, 0.0], ['2025-04', 0.0, 400000.0]]
        """
        if self.entries.empty:
            return pd.DataFrame(columns=["month", "calendar_month", *_CATEGORIES, "inflow", "outflow"])
        dates = pd.to_datetime(self.entries["date"])
        periods = pd.period_range(dates.min().to_period("M"), dates.max().to_period("M"), freq="M")
        table = pd.DataFrame(0.0, index=periods, columns=list(_CATEGORIES))
        by_month = dates.dt.to_period("M")
        for entry, month in zip(self.entries.itertuples(index=False), by_month):
            if entry.money_in:
                table.loc[month, entry.category if entry.category in INFLOWS else "other_receipts"] += entry.money_in
            if entry.money_out:
                table.loc[month, entry.category if entry.category in OUTFLOWS else "other_payments"] += entry.money_out
        table["inflow"] = table[list(INFLOWS)].sum(axis=1)
        table["outflow"] = table[list(OUTFLOWS)].sum(axis=1)
        table.insert(0, "calendar_month", [p.month for p in periods])
        table.insert(0, "month", [str(p) for p in periods])
        return table.reset_index(drop=True)

    def cash_flow_inputs(self) -> dict[str, Any]:
        """The keyword arguments of `coopkit.cashflow.cash_flow_plan` for the book's months.

        Examples
        --------
        The honey cooperative starts October with 5 million đồng in the till:

        >>> from coopkit.cashflow import cash_flow_plan
        >>> text = "Ngày;Thu;Chi;Loại thu chi\\n02/10/2025;15.000.000;;Bán hàng\\n20/11/2025;;12.000.000;Lương\\n"
        >>> inputs = read_cash_book(text.encode()).cash_flow_inputs()
        >>> inputs["start_month"], inputs["months"]
        (10, 2)
        >>> cash_flow_plan(**inputs, opening_cash=5e6).closing_cash
        8000000.0
        """
        table = self.monthly()
        inputs: dict[str, Any] = {"start_month": int(table["calendar_month"].iloc[0]) if len(table) else 1,
                                  "months": len(table)}
        for name in _CATEGORIES:
            inputs[name] = [float(v) for v in table[name]]
        return inputs

    def latest_year(self) -> "CashYear":
        """The book's latest twelve months (all its months when it holds fewer), by calendar month,
        as workbook 10's month table holds them: loans received count with the other receipts and
        loan instalments with the other payments.

        Examples
        --------
        An egg cooperative's book runs from March 2025 to April 2026: the latest twelve months are
        May 2025 to April 2026, so the March 2025 sales are left out.

        >>> text = ("Ngày;Thu;Chi;Loại thu chi\\n05/03/2025;9.000.000;;Bán hàng\\n"
        ...         "05/05/2025;10.000.000;;Bán hàng\\n10/02/2026;300.000.000;;Tiền vay\\n"
        ...         "20/04/2026;12.000.000;;Bán hàng\\n28/04/2026;;60.000.000;Trả nợ vay\\n")
        >>> year = read_cash_book(text.encode()).latest_year()
        >>> year.first_month, year.last_month, year.months, year.start_month
        ('2025-05', '2026-04', 12, 5)
        >>> year.sales_total, year.other_receipts[1], year.other_payments[3]
        (22000000.0, 300000000.0, 60000000.0)
        >>> [round(share, 3) for share in year.sales_calendar()[3:5]]
        [0.545, 0.455]
        """
        table = self.monthly().tail(12)
        if table.empty:
            raise InputError("cash_book", reason="own_books_empty_cash_book")
        jan_first = {name: [0.0] * 12 for name in CashYear.COLUMNS}
        folded = {"loan_disbursements": "other_receipts", "loan_instalments": "other_payments"}
        for row in table.itertuples(index=False):
            for name in _CATEGORIES:
                jan_first[folded.get(name, name)][int(row.calendar_month) - 1] += float(getattr(row, name))
        return CashYear(first_month=str(table["month"].iloc[0]), last_month=str(table["month"].iloc[-1]),
                        months=len(table), start_month=int(table["calendar_month"].iloc[0]),
                        **{name: tuple(values) for name, values in jan_first.items()})

    def to_frame(self) -> pd.DataFrame:
        """The lines as the template's columns (``date, description, money_in, money_out, category``).

        >>> text = "Ngày,Diễn giải,Thu\\n1/2/2026,Bán trứng,\\"2.800.000\\"\\n"
        >>> read_cash_book(text.encode()).to_frame().values.tolist()[0]
        [Timestamp('2026-02-01 00:00:00'), 'Bán trứng', 2800000.0, 0.0, 'other_receipts']
        """
        return self.entries[[c.key for c in _COLUMNS["cash_book"]]].reset_index(drop=True)


@dataclass(frozen=True)
class CashYear:
    """Twelve months of a cash book by calendar month (January first): `CashBook.latest_year`.

    Attributes
    ----------
    first_month, last_month
        The book's months used (``"2025-05"``, ``"2026-04"``).
    months
        How many months they are (12, or fewer when the book is shorter).
    start_month
        The calendar month of ``first_month`` (1–12): where a plan of these months starts.
    sales_receipts, other_receipts, input_payments, wage_payments, member_payments, other_payments
        Twelve amounts each (₫, January first); loans received are in ``other_receipts`` and loan
        instalments in ``other_payments``.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("sales_receipts", "other_receipts", "input_payments", "wage_payments",
                                          "member_payments", "other_payments")

    first_month: str
    last_month: str
    months: int
    start_month: int
    sales_receipts: tuple[float, ...]
    other_receipts: tuple[float, ...]
    input_payments: tuple[float, ...]
    wage_payments: tuple[float, ...]
    member_payments: tuple[float, ...]
    other_payments: tuple[float, ...]

    @property
    def sales_total(self) -> float:
        """All the sales receipts of the months (₫)."""
        return math.fsum(self.sales_receipts)

    def sales_calendar(self) -> tuple[float, ...]:
        """Each month's share of the sales (twelve fractions summing to 1; all 0 without sales)."""
        total = self.sales_total
        if total <= 0:
            return (0.0,) * 12
        return tuple(value / total for value in self.sales_receipts)


def _read_cash_book(t: _Table) -> CashBook:
    rows = []
    for entry in t.entries():
        number = entry[0]
        day = t.date(entry, "date")
        money_in = t.number(entry, "money_in")
        money_out = t.number(entry, "money_out")
        if money_in is None and money_out is None:
            key = "money_in" if "money_in" in t.where else "money_out"
            raise t.error(number, key, "books_no_amount")
        money_in, money_out = money_in or 0.0, money_out or 0.0
        category = t.choice(entry, "category", "category", required=False)
        if category in INFLOWS and money_out:
            raise t.error(number, "category", "books_category_is_money_in", t.text(entry, "category"))
        if category in OUTFLOWS and money_in:
            raise t.error(number, "category", "books_category_is_money_out", t.text(entry, "category"))
        if category is None:
            category = ("other_receipts" if money_in else "other_payments") if bool(money_in) != bool(money_out) else ""
        if money_in and money_out and category:
            category = ""
        rows.append({"row": number, "date": pd.Timestamp(day), "description": t.text(entry, "description"),
                     "money_in": money_in, "money_out": money_out, "category": category})
    columns = ["row", *[c.key for c in _COLUMNS["cash_book"]]]
    entries = pd.DataFrame(rows, columns=columns)
    if not entries.empty:
        entries["date"] = pd.to_datetime(entries["date"])
        first, last = entries["date"].min(), entries["date"].max()
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        if months > MAX_MONTHS:
            number = int(entries.loc[entries["date"].idxmax(), "row"])
            raise t.error(number, "date", "books_too_many_months", _text(last.date()), limit=MAX_MONTHS)
        entries = entries.sort_values(["date", "row"], kind="stable").reset_index(drop=True)
    return CashBook(entries)


@dataclass(frozen=True)
class MemberBook:
    """The members as the cooperative listed them, and as `Member` objects for `coopkit.members`.

    Attributes
    ----------
    table
        One row per member: ``row`` (the Excel row), ``name``, ``kind`` (``official`` or
        ``associate``), ``capital`` (₫), ``area`` and ``area_unit`` as written (a
        `coopkit.units` key), ``area_ha``, ``volume`` and ``unit`` as written, ``volume_base``
        (kg for a weight; as written for another unit such as eggs) and ``base_unit``.

    Examples
    --------
    Two coffee growers of Sơn La, one writing in tạ and sào, one in kg and ha:

    >>> text = "Họ và tên;Vốn góp (₫);Diện tích;Đơn vị diện tích;Sản lượng;Đơn vị\\n" \\
    ...        "Lò Văn Bình;50.000.000;10;sào;150;tạ\\nCà Thị Hoa;30.000.000;0,8;ha;12.000;kg\\n"
    >>> book = read_members(text.encode(), name="thanh-vien.csv")
    >>> book.table[["name", "area_ha", "volume_base"]].values.tolist()
    [['Lò Văn Bình', 0.36, 15000.0], ['Cà Thị Hoa', 0.8, 12000.0]]
    """

    table: pd.DataFrame = field(repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return self.table.empty

    def members(self, price_per_unit: float) -> tuple[Member, ...]:
        """The `Member` objects, each trading ``volume_base × price_per_unit`` ₫ with the cooperative.

        Examples
        --------
        Cherry bought at 15 000 ₫/kg:

        >>> text = "Name,Capital,Volume,Unit\\nLò Văn Bình,\\"50,000,000\\",15,tấn\\n"
        >>> read_members(text.encode()).members(price_per_unit=15_000)[0].transactions
        225000000.0
        """
        from coopkit.validate import check_nonnegative

        price = check_nonnegative("price_per_unit", price_per_unit)
        return tuple(Member(r.name, r.volume_base * price, r.capital, r.kind) for r in self.table.itertuples())

    def to_frame(self) -> pd.DataFrame:
        """The members as the template's columns (``name, kind, capital, area, area_unit, volume, unit``).

        >>> text = "Name,Capital\\nĐinh Thị Thu,30000000\\n"
        >>> read_members(text.encode()).to_frame().values.tolist()[0]
        ['Đinh Thị Thu', 'official', 30000000.0, 0.0, '', 0.0, '']
        """
        return self.table[[c.key for c in _COLUMNS["members"]]].reset_index(drop=True)


def _read_members(t: _Table) -> MemberBook:
    rows, seen, base_unit_row = [], {}, None
    for entry in t.entries():
        number = entry[0]
        name = " ".join(t.text(entry, "name", required=True).split())
        if name.casefold() in seen:
            raise t.error(number, "name", "books_duplicate_member", name, first_row=seen[name.casefold()])
        seen[name.casefold()] = number
        kind = t.choice(entry, "kind", "member_kind", required=False) or "official"
        capital = t.number(entry, "capital", required=True)
        area, area_in_cell = t.quantity(entry, "area")
        area = area or 0.0
        area_unit = area_in_cell or t.unit(entry, "area_unit", AREA_UNITS_M2) or t.implied.get("area")
        if area and area_unit is None:
            raise t.error(number, "area_unit" if "area_unit" in t.where else "area", "books_no_unit",
                          _text(t.raw(entry, "area")))
        if area_unit is not None and area_unit not in AREA_UNITS_M2:
            raise t.error(number, "area", "books_unknown_unit", _unit_shown(area_unit),
                          allowed=_units_shown(AREA_UNITS_M2))
        area_ha = area * AREA_UNITS_M2[area_unit] / AREA_UNITS_M2["ha"] if area_unit else 0.0
        volume, volume_in_cell = t.quantity(entry, "volume")
        volume = volume or 0.0
        unit_text = t.text(entry, "unit")
        unit = volume_in_cell or (_unit_key(unit_text, t.sao) if unit_text else None) or t.implied.get("volume")
        if unit is not None and unit in AREA_UNITS_M2:
            raise t.error(number, "unit", "books_unit_is_area", unit_text or _unit_shown(unit))
        if unit is None and unit_text:
            unit = unit_text  # eggs, litres: kept as written
        if volume and unit is None:
            raise t.error(number, "unit" if "unit" in t.where else "volume", "books_no_unit",
                          _text(t.raw(entry, "volume")))
        base = "kg" if unit in WEIGHT_UNITS_KG else (unit or "")
        if volume and base_unit_row is not None and base != base_unit_row[0]:
            raise t.error(number, "unit" if "unit" in t.where else "volume", "books_mixed_units",
                          unit_text or _unit_shown(unit), other=base_unit_row[0], first_row=base_unit_row[1])
        if volume and base_unit_row is None:
            base_unit_row = (base, number)
        volume_base = volume * WEIGHT_UNITS_KG[unit] if unit in WEIGHT_UNITS_KG else volume
        try:
            Member(name, volume_base, capital, kind)
        except InputError as err:
            raise _CellError(err, sheet=t.sheet, row=number, column=t.header("name")) from err
        rows.append({"row": number, "name": name, "kind": kind, "capital": capital, "area": area,
                     "area_unit": area_unit or "", "area_ha": round(area_ha, 10), "volume": volume,
                     "unit": unit or "", "volume_base": volume_base, "base_unit": base})
    columns = ["row", *[c.key for c in _COLUMNS["members"]], "area_ha", "volume_base", "base_unit"]
    return MemberBook(pd.DataFrame(rows, columns=columns))


_READERS = {"cost_items": _read_cost_items, "cash_book": _read_cash_book, "members": _read_members}


@dataclass(frozen=True)
class Books:
    """The tables read from one file: each is ``None`` when the file does not hold it.

    Examples
    --------
    >>> books = Books(members=read_members("Họ và tên,Vốn góp\\nLò Văn Bình,50000000\\n".encode()))
    >>> list(books.tables())
    ['members']
    """

    cost_items: CostBook | None = None
    cash_book: CashBook | None = None
    members: MemberBook | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{table: frame}`` of the tables read, as the template's columns (for `tables_to_xlsx`).

        >>> Books().tables()
        {}
        """
        return {name: getattr(self, name).to_frame() for name in TABLES if getattr(self, name) is not None}


def product_from_books(books: Books, base: Any, owner: str) -> Any:
    """The product template of a cooperative's books, for the apps of workbooks 01, 02 and 10.

    The cost items are the books' (none when the books hold none, and no raw material: what the
    cooperative buys is one of its own items); the unit, volume, price, area and batch are the
    ``base`` template's (a `coopkit.data.ProductTemplate`), for the manager to type their own,
    except that a product whose costs per unit are written per kg, tạ or tấn is sold by the kg.
    The template's key is `OWN_BOOKS` and its name says whose books they are.

    Examples
    --------
    HTX Dưa muối Thanh Sơn's books hold two cost items; the pickled-cassava template gives the
    volume (20 tonnes) and the price:

    >>> from coopkit.data import load_products
    >>> text = "Khoản chi phí,Loại,Cách tính,Số tiền\\nThuê xưởng,cố định,mỗi vụ,100000000\\n" \\
    ...        "Lá sắn,biến đổi,mỗi đơn vị,10000\\n"
    >>> books = Books(cost_items=read_cost_items(text.encode()))
    >>> own = product_from_books(books, load_products()["dua_muoi_phu_tho"], "HTX Dưa muối Thanh Sơn")
    >>> own.key, own.name("vi")
    ('own_books', 'Sổ sách của HTX Dưa muối Thanh Sơn')
    >>> own.volume_per_season, own.cost_summary().unit_cost
    (20000.0, 15000.0)

    Opened on the egg template, the same books are still about kilograms:

    >>> text = "Khoản chi phí,Loại,Cách tính,Số tiền,Đơn vị\\nMuối,biến đổi,mỗi đơn vị,300000,tạ\\n"
    >>> eggs = product_from_books(Books(cost_items=read_cost_items(text.encode())),
    ...                           load_products()["trung_son_nam"], "HTX Thanh Sơn")
    >>> eggs.unit, eggs.cost_items[0].amount
    ('kg', 3000.0)
    """
    from dataclasses import replace

    items = books.cost_items.items if books.cost_items is not None else ()
    owner = " ".join(str(owner).split())
    by_weight = books.cost_items is not None and any(
        basis == "unit" and unit in WEIGHT_UNITS_KG
        for basis, unit in zip(books.cost_items.table["basis"], books.cost_items.table["unit"]))
    if by_weight and base.unit != "kg":  # costs written per kg, tạ or tấn: the product is sold by weight
        base = replace(base, unit="kg", unit_vi="kg", unit_en="kg")
    return replace(
        base, key=OWN_BOOKS,
        name_vi=i18n.tr("own_books.product_name", "vi", owner=owner),
        name_en=i18n.tr("own_books.product_name", "en", owner=owner),
        raw_material_vi="", raw_material_en="", raw_price_per_unit=0.0, conversion_ratio=1.0, loss_rate=0.0,
        source_raw="", cost_items=tuple(items), cost_categories=(),
    )


# ---------------------------------------------------------------------------------------------
# Public readers


def read_books(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    lang: str | None = None,
    sao: str = "sao_bac_bo",
) -> Books:
    """Every table a filled-in book file holds: cost items, cash book, members.

    Parameters
    ----------
    source
        Path of an ``.xlsx`` or ``.csv`` file, or its content (an upload).
    name
        The file's name for the messages (default: the path's name).
    lang
        The number style when a sheet shows none (module rule 4); default: its headers' language,
        else the current language.
    sao
        What a plain “sào” is: ``"sao_bac_bo"`` (360 m², the North) or ``"sao_trung_bo"`` (500 m²).

    Returns
    -------
    Books
        A workbook's sheets are found by name (either language) or, failing that, by their
        headers; a CSV file holds the one table its headers name. A table found with no rows
        is ``None``.

    Raises
    ------
    InputError
        For the first thing that cannot be read (module docstring), naming the sheet, row and
        column; nothing is returned then. Also when no sheet holds any table.

    Examples
    --------
    A manager fills in the Vietnamese template and sends it back:

    >>> from openpyxl import load_workbook
    >>> import io
    >>> book = load_workbook(io.BytesIO(book_template("vi")))
    >>> book["Thành viên"].append(["Quàng Văn Minh", "chính thức", 60_000_000, 12, "sào", 20, "tấn"])
    >>> filled = io.BytesIO()
    >>> book.save(filled)
    >>> books = read_books(filled.getvalue(), name="so-sach-htx.xlsx")
    >>> books.cost_items is None, books.members.table[["name", "area_ha", "volume_base"]].values.tolist()
    (True, [['Quàng Văn Minh', 0.432, 20000.0]])
    """
    shown, grids = _open(source, name)
    sao = _check_sao(sao)
    found: dict[str, Any] = {}
    if len(grids) == 1 and grids[0].is_csv:
        table = _best_table(grids[0])
        if table is not None:
            found[table] = _READERS[table](_Table(grids[0], table, lang, sao))
    else:
        taken: set[str] = set()
        for table in TABLES:
            grid = _pick_grid(grids, table, taken)
            if grid is not None:
                taken.add(grid.title)
                found[table] = _READERS[table](_Table(grid, table, lang, sao))
    books = {table: book for table, book in found.items() if not book.empty}
    if not books:
        reason = "books_no_rows" if found else "books_no_tables"
        raise _BookError("file", reason=reason, value=shown, file=shown, sheet=shown,
                         sheets=_per_language(lambda lg: ", ".join(f"“{_sheet_title(t, lg)}”" for t in TABLES)))
    return Books(**books)


def read_cost_items(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None, lang: str | None = None,
    sao: str = "sao_bac_bo",
) -> CostBook:
    """The cost items of a filled-in template or a CSV file (parameters as in `read_books`).

    Examples
    --------
    An egg cooperative of Sơn Nam exports its costs from an English Excel, with a totals row:

    >>> text = "Cost item,Kind,Basis,Amount (VND),Unit\\n" \\
    ...        "Feed,variable,per unit,\\"1,450\\",egg\\nManager,fixed,per season,\\"96,000,000\\",\\n" \\
    ...        "Total,,,\\"96,001,450\\",\\n"
    >>> book = read_cost_items(text.encode(), name="costs.csv")
    >>> [(i.name("en"), i.amount) for i in book.items]
    [('Feed', 1450.0), ('Manager', 96000000.0)]
    >>> book.summary(volume=1_095_000).fixed_costs
    96000000.0
    """
    return _read_one(source, "cost_items", name, lang, sao)


def read_cash_book(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None, lang: str | None = None,
) -> CashBook:
    """The cash book of a filled-in template or a CSV file (parameters as in `read_books`).

    Examples
    --------
    A line whose amount cannot be read is refused, naming where it is:

    >>> text = "Ngày;Diễn giải;Thu;Chi\\n01/03/2025;Bán cam;1.250.000 ₫;\\n02/03/2025;Mua phân;;một triệu\\n"
    >>> try:
    ...     read_cash_book(text.encode(), name="so-quy.csv")
    ... except InputError as err:
    ...     print(err.message("vi"))
    ...     print(err.message("en"))
    Trang «so-quy.csv», dòng 3, cột «Chi»: “một triệu” không phải là một số. Hãy ghi số như 1.250.000 hoặc 2,5.
    Sheet “so-quy.csv”, row 3, column “Chi”: “một triệu” is not a number. Write numbers such as 1,250,000 or 2.5.
    """
    return _read_one(source, "cash_book", name, lang, "sao_bac_bo")


def read_members(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None, lang: str | None = None,
    sao: str = "sao_bac_bo",
) -> MemberBook:
    """The members of a filled-in template or a CSV file (parameters as in `read_books`).

    Examples
    --------
    In Quảng Trị a sào is 500 m²:

    >>> text = "Họ và tên,Vốn góp,Diện tích (sào)\\nHồ Văn An,20000000,4\\n"
    >>> read_members(text.encode(), sao="sao_trung_bo").table["area_ha"].tolist()
    [0.2]
    """
    return _read_one(source, "members", name, lang, sao)


# ---------------------------------------------------------------------------------------------
# Writing: the template and results


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 50
_LIST_KINDS = {"kind": "kind", "basis": "basis", "category": "category", "member_kind": "member_kind"}


def _text_cell(sheet: Any, row: int, column: int, text: object) -> Any:
    """A cell holding ``text`` as text: never a formula, an error code or a number."""
    text = _ILLEGAL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    cell = sheet.cell(row, column)
    if not text:
        return cell
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START) or text.startswith("#"):
        cell.quotePrefix = True
    return cell


def _column_list(kind: str, lang: str) -> list[str]:
    if kind in _LIST_KINDS:
        return _choice_words(_LIST_KINDS[kind], lang)
    if kind == "area_unit":
        return [_unit_shown(u, lang) for u in ("sao_bac_bo", "ha", "m2", "cong", "sao_trung_bo")]
    if kind in ("weight_unit", "unit"):
        units = ["kg", "yen", "ta", "tan"] + (["sao_bac_bo", "ha", "m2", "cong"] if kind == "unit" else [])
        return [_unit_shown(u, lang) for u in units]
    return []


def book_template(lang: str | None = None) -> bytes:
    """A blank book to fill in (.xlsx): a sheet per table and an instructions sheet.

    Each table's sheet has a short instruction in row 1, the headers in ``lang`` in row 2
    (frozen) and `TEMPLATE_ROWS` rows formatted for data: ₫ as ``#,##0``, dates as
    ``dd/mm/yyyy``, and lists to pick the kind, basis, category and units from (another unit
    may be typed in the cost items' unit column).

    Examples
    --------
    >>> from openpyxl import load_workbook
    >>> import io
    >>> book = load_workbook(io.BytesIO(book_template("en")))
    >>> book.sheetnames
    ['Cost items', 'Cash book', 'Members', 'Instructions']
    >>> [c.value for c in book["Cash book"][2]]
    ['Date', 'Description', 'Money in (₫)', 'Money out (₫)', 'Category']
    >>> book["Cash book"]["A3"].number_format, book["Cash book"]["C3"].number_format
    ('dd/mm/yyyy', '#,##0')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = i18n.normalize_language(lang)
    book = Workbook()
    book.remove(book.active)
    last = 2 + TEMPLATE_ROWS
    for table in TABLES:
        sheet = book.create_sheet(_sheet_title(table, lang))
        columns = _COLUMNS[table]
        note = _text_cell(sheet, 1, 1, i18n.tr(f"books.instruction.{table}", lang))
        note.font = Font(italic=True, color="555555")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet.row_dimensions[1].height = 48
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            cell = _text_cell(sheet, 2, index, _header(column, lang))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[letter].width = column.width
            number_format = {"money": VND_FORMAT, "date": DATE_FORMAT}.get(column.kind, "General")
            if column.kind in ("money", "date"):
                for row in range(3, last + 1):
                    sheet.cell(row, index).number_format = number_format
            words = _column_list(column.kind, lang)
            if words:
                check = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                                       showErrorMessage=column.kind != "unit")
                check.error = i18n.tr("books.template.pick_from_list", lang)
                check.errorStyle = "warning"
            elif column.kind == "money":
                check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                       allow_blank=True, showErrorMessage=True, errorStyle="warning")
                check.error = i18n.tr("books.template.not_negative", lang)
            else:
                continue
            sheet.add_data_validation(check)
            check.add(f"{letter}3:{letter}{last}")
        sheet.freeze_panes = "A3"
    notes = book.create_sheet(_sheet_title("notes", lang))
    notes.column_dimensions["A"].width = 110
    lines = [i18n.tr(f"books.note.{n}", lang, limit_mb=MAX_FILE_BYTES // 1_000_000,
                     limit=fields.as_typed(MAX_ROWS, lang)) for n in range(1, 8)]
    for row, line in enumerate(lines, start=1):
        cell = _text_cell(notes, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=13)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_book_template(path: str | os.PathLike[str], lang: str | None = None) -> Path:
    """Write `book_template` to ``path``, whole or not at all (temporary file, then `os.replace`).

    >>> import pathlib, tempfile
    >>> target = write_book_template(pathlib.Path(tempfile.mkdtemp()) / "so-sach-htx.xlsx", "vi")
    >>> target.read_bytes()[:2]
    b'PK'
    """
    from coopkit.exchange import write_atomic

    return write_atomic(path, book_template(lang))


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: object, lang: str, used: set[str]) -> str:
    title = _sheet_title(name, lang) if name in TABLES else _SHEET_NAME_BAD.sub(" ", _ILLEGAL.sub("", str(name)))
    title = title.strip().strip("'")[:31] or "Sheet"
    candidate, count = title, 2
    while candidate.casefold() in used:
        suffix = f" ({count})"
        candidate, count = title[: 31 - len(suffix)] + suffix, count + 1
    used.add(candidate.casefold())
    return candidate


def _column_title(table: object, key: object, lang: str) -> str:
    if table in _COLUMNS:
        column = next((c for c in _COLUMNS[table] if c.key == key), None)
        if column is not None:
            return _header(column, lang)
    text = str(key)
    return fields.label(text, lang) if i18n.has(f"field.{text}", lang) else text


def _column_format(table: object, key: object, values: pd.Series) -> str | None:
    column = next((c for c in _COLUMNS.get(table, ()) if c.key == key), None) if table in _COLUMNS else None
    kind = column.kind if column is not None else fields.kind(str(key))
    if pd.api.types.is_datetime64_any_dtype(values) or kind == "date":
        return DATE_FORMAT
    if kind == "money" or str(key) in ("money_in", "money_out", "amount", "capital"):
        return VND_FORMAT
    if kind == "rate":
        return "0.0%"
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty or ((numbers % 1 == 0).all() and numbers.abs().max() >= 100):
        return VND_FORMAT if not numbers.empty else None
    return "#,##0.00" if (numbers.abs() >= 100).any() else "General"


def _write_frame(sheet: Any, table: object, frame: pd.DataFrame, lang: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    widths = {}
    for index, key in enumerate(frame.columns, start=1):
        title = _column_title(table, key, lang)
        cell = _text_cell(sheet, 1, index, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        values = frame[key]
        number_format = _column_format(table, key, values)
        width = len(title)
        for row, value in enumerate(values.tolist(), start=2):
            width = max(width, _write_value(sheet, row, index, value, number_format))
        widths[index] = min(max(width + 2, 8), _MAX_WIDTH)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _write_value(sheet: Any, row: int, column: int, value: object, number_format: str | None) -> int:
    """Write one value; returns the width it needs."""
    if value is None or value is pd.NaT or (isinstance(value, float) and not math.isfinite(value)):
        return 0
    if isinstance(value, (pd.Timestamp, datetime, date)):
        cell = sheet.cell(row, column)
        cell.value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        cell.number_format = DATE_FORMAT
        return 11
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy numbers
    if isinstance(value, bool):
        sheet.cell(row, column).value = value
        return 6
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return 0
        cell = sheet.cell(row, column)
        cell.value = float(f"{value:.15g}") if isinstance(value, float) else value
        if number_format and number_format != DATE_FORMAT:
            cell.number_format = number_format
        return min(len(f"{value:,.2f}"), 20)
    text = str(value)
    _text_cell(sheet, row, column, text)
    return max((len(line) for line in text.split("\n")), default=0)


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame], *, lang: str | None = None) -> bytes:
    """A workbook (.xlsx, as bytes for a download button) with one sheet per named table.

    Parameters
    ----------
    tables
        ``{sheet name: DataFrame}``. A name of `TABLES` gets its sheet title and the template's
        headers in ``lang`` (so the file reads back with `read_books`); other columns get their
        field label when coopkit has one (``fixed_costs`` → “Chi phí cố định”), else their name.
        A frame's index is written as columns unless it is a plain row count.
    lang
        ``"vi"`` or ``"en"`` (default: the current language).

    Returns
    -------
    bytes
        Money as ``#,##0``, dates as ``dd/mm/yyyy``, rates as ``0.0%``; text is always written
        as text, never as a formula.

    Examples
    --------
    The honey cooperative sends its monthly cash summary to the bank:

    >>> text = "Ngày,Thu,Loại thu chi\\n02/10/2025,15000000,Bán hàng\\n"
    >>> monthly = read_cash_book(text.encode()).monthly()
    >>> data = tables_to_xlsx({"Theo tháng": monthly[["month", "sales_receipts"]]}, lang="vi")
    >>> from openpyxl import load_workbook
    >>> import io
    >>> sheet = load_workbook(io.BytesIO(data))["Theo tháng"]
    >>> [c.value for c in sheet[1]], sheet["B2"].value, sheet["B2"].number_format
    (['Tháng', 'Tiền bán hàng'], 15000000, '#,##0')
    """
    from openpyxl import Workbook

    lang = i18n.normalize_language(lang)
    if not isinstance(tables, Mapping) or not tables:
        raise InputError("book_table", reason="books_nothing_to_export")
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise InputError("book_table", reason="books_nothing_to_export", value=str(name))
        sheet = book.create_sheet(_sheet_name(name, lang, used))
        _write_frame(sheet, name, frame, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_tables_xlsx(path: str | os.PathLike[str], tables: Mapping[str, pd.DataFrame], *,
                      lang: str | None = None) -> Path:
    """Write `tables_to_xlsx` to ``path``, whole or not at all (temporary file, then `os.replace`).

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> frame = pd.DataFrame({"name": ["Thuê đất"], "amount": [60_000_000]})
    >>> write_tables_xlsx(folder / "chi-phi.xlsx", {"cost_items": frame}, lang="vi").name
    'chi-phi.xlsx'
    >>> sorted(p.name for p in folder.iterdir())
    ['chi-phi.xlsx']
    """
    from coopkit.exchange import write_atomic

    return write_atomic(path, tables_to_xlsx(tables, lang=lang))
