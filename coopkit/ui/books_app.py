"""The "our own books" app (workbook 13): the cooperative's Excel or CSV books in, its results out.

The manager downloads a blank template (`coopkit.books.book_template`, in the page's language),
fills it in with the cooperative's cost items, cash book and members, and uploads it. The app
reads it (`coopkit.books.read_books`: any problem is said beside the upload, naming the sheet,
row and column, and the file is forgotten) and shows, from whichever tables the file holds:

* from the cost items: fixed costs, variable cost and cost of one unit (`coopkit.costs`), the
  break-even volume and price (`coopkit.breakeven.break_even`) at the volume sold, the area, the
  units per batch and the selling price typed in the boxes (prefilled from the product picked);
* from the cash book: the cash position month by month (`coopkit.cashflow.cash_flow_plan`) from
  the opening cash typed in its box, and a chart;
* from the members: each member's share of the surplus typed in its box
  (`coopkit.members.distribute_surplus`: by use, the quantity each sold through the cooperative,
  and by capital; the other funds at their illustrative shares of ``datasets/fund_shares.csv``).

The tables a file does not hold are named on the page. The results download as an Excel file
(`coopkit.books.tables_to_xlsx`). A manager keeps the uploaded file in the cooperative's folder
(`coopkit.bookstore`: the cooperative's name and its code, as for saved scenarios) and reopens
it on another day.

Before any upload the app shows an example book: the Phú Thọ pickled-cassava-leaf cooperative
(product ``dua_muoi_phu_tho``), its cost items from ``datasets/product_costs.csv`` and a cash
book and member list whose numbers are illustrative assumptions (`example_book`), marked so on
the page.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd

from coopkit import data, i18n
from coopkit.bookstore import BookStore
from coopkit.books import TABLES, Books, book_template, read_books, tables_to_xlsx
from coopkit.breakeven import BreakEven, break_even
from coopkit.cashflow import CashFlowPlan, cash_flow_plan, month_name
from coopkit.costs import CostSummary
from coopkit.errors import InputError
from coopkit.members import Distribution, distribute_surplus, load_funds
from coopkit.plots.cashflow import cash_flow_chart
from coopkit.store import default_root
from coopkit.ui.base import App, safe
from coopkit.ui.controls import Control, NumberBox, volume_control
from coopkit.ui.panels import XLSX, CodeGuard, StatusLine, button, download_link, html, owner_boxes, row
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_finite, check_nonnegative, check_positive

__all__ = ["BooksApp", "BooksResult", "example_book", "EXAMPLE_PRODUCT", "OPENING_CASH", "EXAMPLE_SURPLUS",
           "INTERNAL_SHARE"]

#: The product whose cooperative the example book is about.
EXAMPLE_PRODUCT = "dua_muoi_phu_tho"
#: Cash in the till at the start of the cash book (illustrative assumption).
OPENING_CASH = 50_000_000.0
#: The year's surplus to share when the cost items give no profit to start from (illustrative).
EXAMPLE_SURPLUS = 120_000_000.0
#: Share of the surplus the internal-income box starts from: the part from transactions with the
#: members, accounted apart (Art. 85); three quarters, as in workbook 11's example (illustrative
#: assumption, the manager types the cooperative's own).
INTERNAL_SHARE = 0.75
#: The months of the example cash book (illustrative year).
EXAMPLE_YEAR = 2025


@dataclass(frozen=True)
class BooksResult:
    """What the app shows for one book and the boxes' values.

    Attributes
    ----------
    books
        The tables read (`coopkit.books.Books`).
    file_name
        The uploaded file's name; None for the example book.
    costs, break_even, cost_error
        From the cost items: the cost summary and the break-even results, or the reason there
        are none (``cost_error``: an `InputError`, such as a price below the variable cost).
    cash, months, cash_error
        From the cash book: the plan, the months' labels (``"2025-10"``) and any error.
    distribution, members_error
        From the members: the surplus shared out, and any error.
    inputs
        The boxes' values (volume in the product's unit, ``area_ha``, ``units_per_batch``,
        ``price_per_unit``, ``opening_cash``, ``surplus``).
    """

    books: Books
    file_name: str | None
    inputs: dict
    costs: CostSummary | None = None
    break_even: BreakEven | None = None
    cost_error: InputError | None = None
    cash: CashFlowPlan | None = None
    months: tuple[str, ...] = ()
    cash_error: InputError | None = None
    distribution: Distribution | None = None
    members_error: InputError | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """The tables the file does not hold (``cost_items``, ``cash_book``, ``members``)."""
        return tuple(t for t in TABLES if getattr(self.books, t) is None)


def _cell_kind(words: str, lang: str) -> str:
    return i18n.tr(f"books.choice.{words}", lang)


@cache
def example_book(lang: str = "vi") -> bytes:
    """The example book (.xlsx) of the Phú Thọ pickled-cassava-leaf cooperative, in ``lang``.

    The cost items are the product template's (``datasets/product_costs.csv``); the cash book
    (a year of receipts and payments) and the eight members are illustrative assumptions,
    consistent with the template's 20 tonnes a year at 35 000 ₫/kg.

    >>> from coopkit.books import read_books
    >>> books = read_books(example_book("en"), name="example.xlsx")
    >>> len(books.cost_items.items), books.cash_book.monthly().shape[0], len(books.members.table)
    (11, 12, 8)
    """
    from openpyxl import load_workbook

    lang = i18n.normalize_language(lang)
    product = data.load_products()[EXAMPLE_PRODUCT]
    book = load_workbook(io.BytesIO(book_template(lang)))
    costs, cash, members = book.worksheets[:3]
    for item in product.all_cost_items():
        amount = round(item.amount) if item.amount >= 100 else item.amount
        costs.append([item.name(lang), _cell_kind(f"kind.{item.kind}", lang), _cell_kind(f"basis.{item.basis}", lang),
                      amount, "kg" if item.basis == "unit" else None, None])
    # Sales follow the Tết peak; leaves are bought from members in the growing months (illustrative).
    sales = [90, 40, 45, 50, 50, 45, 45, 50, 55, 60, 75, 95]
    leaves = [0, 2, 10, 12, 12, 12, 12, 12, 12, 8, 3, 0]
    words = {key: _cell_kind(f"category.{key}", lang) for key in
             ("sales_receipts", "member_payments", "wage_payments", "input_payments", "loan_disbursements",
              "loan_instalments", "other_payments")}
    text = {"vi": ("Bán dưa muối", "Mua lá sắn của thành viên", "Lương nhân viên", "Hũ, tem, muối",
                   "Vay vốn lưu động", "Trả nợ vay", "Điện, vận chuyển", "Hội chợ Tết"),
            "en": ("Pickle sales", "Leaves bought from members", "Employee pay", "Jars, labels, salt",
                   "Working-capital loan", "Loan repayment", "Power, transport", "Tet fair")}[lang]
    for month in range(1, 13):
        day = date(EXAMPLE_YEAR, month, 5)
        cash.append([day, text[0], sales[month - 1] * 1_000_000, None, words["sales_receipts"]])
        if leaves[month - 1]:
            cash.append([date(EXAMPLE_YEAR, month, 10), text[1], None, leaves[month - 1] * 1_000_000,
                         words["member_payments"]])
        cash.append([date(EXAMPLE_YEAR, month, 25), text[2], None, 8_000_000, words["wage_payments"]])
        cash.append([date(EXAMPLE_YEAR, month, 15), text[3], None, sales[month - 1] * 157_000, words["input_payments"]])
        cash.append([date(EXAMPLE_YEAR, month, 20), text[6], None, 4_500_000, words["other_payments"]])
        if month == 2:
            cash.append([date(EXAMPLE_YEAR, month, 3), text[4], 300_000_000, None, words["loan_disbursements"]])
        if month in (6, 12):
            cash.append([date(EXAMPLE_YEAR, month, 28), text[5], None, 163_500_000, words["loan_instalments"]])
        if month == 1:
            cash.append([date(EXAMPLE_YEAR, month, 12), text[7], None, 30_000_000, words["other_payments"]])
    official, associate = _cell_kind("member_kind.official", lang), _cell_kind("member_kind.associate", lang)
    for name, kind, capital, area_sao, kg in (
        ("Hà Văn Thắng", official, 40_000_000, 8, 6_000), ("Đinh Thị Lan", official, 30_000_000, 6, 5_000),
        ("Nguyễn Văn Hùng", official, 30_000_000, 5, 4_500), ("Hà Thị Mai", official, 20_000_000, 4, 4_000),
        ("Đinh Công Sơn", official, 20_000_000, 4, 3_500), ("Trần Thị Hoa", official, 15_000_000, 3, 3_000),
        ("Lê Văn Bình", official, 15_000_000, 3, 2_500), ("Phạm Minh Tuấn", associate, 30_000_000, 0, 0),
    ):
        members.append([name, kind, capital, area_sao or None, "sào" if area_sao else None, kg or None,
                        "kg" if kg else None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class BooksApp(App):
    """Our own books: upload the cooperative's Excel or CSV file and see its costs, cash and members' shares."""

    name = "own_books"
    #: The clock of the wait after wrong codes (tests replace it).
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, product: str = EXAMPLE_PRODUCT, lang: str | None = None, *, standalone: bool = True,
                 store_root: str | None = None) -> None:
        self.store_root = store_root
        lang_now = i18n.normalize_language(lang or i18n.DEFAULT_LANGUAGE)
        #: The books shown, the file they came from (None: the example) and its bytes (kept in
        #: memory to save them in the cooperative's folder).
        self.books: Books = _example_books(lang_now)
        self.file_name: str | None = None
        self.file_bytes: bytes | None = None
        #: The last refused file's error (shown beside the upload, translated on a switch).
        self.upload_error: InputError | None = None
        self._upload_ok: tuple[str, dict] | None = None
        self._new_code: str | None = None
        self.code_guard = CodeGuard()
        super().__init__(product, lang, standalone=standalone)

    # -- widgets -----------------------------------------------------------------------------
    def setup(self) -> None:
        self.books_heading = html("ck-section")
        self.books_help = html("ck-section-help")
        self.template_link = html("ck-books-template")
        self.upload_label = html("ck-input-label")
        self.upload = widgets.FileUpload(accept=".xlsx,.csv", multiple=False)
        self.upload.add_class("ck-books-upload")
        self.upload_status = html("ck-books-status")
        self.source_note = html("ck-books-source")
        self.export_button = button("ck-books-export")
        self.export_link = html("ck-books-download")
        self.store_heading = html("ck-section")
        self.store_help = html("ck-section-help")
        self.owner_label, self.owner, self.code_label, self.owner_code = owner_boxes("ck-books")
        self.save_button = button("ck-books-save")
        self.open_button = button("ck-books-open")
        #: What the folder's last save or open did (said again on a language switch).
        self.store_line = StatusLine("ck-books-store-status", "app.own_books")
        self.store_status = self.store_line.widget
        self.code_note = html("ck-code-new")
        self.books_box = widgets.VBox([
            self.books_heading, self.books_help, self.template_link,
            row(self.upload_label, self.upload), self.upload_status, self.source_note,
        ])
        self.books_box.add_class("ck-books")
        self.store_box = widgets.VBox([
            self.store_heading, self.store_help,
            row(self.owner_label, self.owner), row(self.code_label, self.owner_code),
            row(self.save_button, self.open_button), self.store_status, self.code_note,
            row(self.export_button), self.export_link,
        ])
        self.store_box.add_class("ck-books-store")
        self.upload.observe(safe(self, self._uploaded), "value")
        self.export_button.on_click(safe(self, lambda _b: self.export()))
        self.save_button.on_click(safe(self, lambda _b: self.save_books()))
        self.open_button.on_click(safe(self, lambda _b: self.open_books()))
        self.owner.observe(safe(self, lambda _c: self._owner_changed()), "value")

    def pickers(self) -> list[widgets.Widget]:
        return [self.books_box]

    def load_product(self, key: str) -> None:
        super().load_product(key)
        self.controls_box.children = [*self.controls_box.children, self.store_box]

    def t(self, key: str, **params: Any) -> str:
        return i18n.tr(f"app.own_books.{key}", self.lang, **params)

    def _render_texts(self) -> None:
        super()._render_texts()
        t = self.t
        self.books_heading.value = f"<h4>{escape(t('section_books'))}</h4>"
        self.books_help.value = f"<p class='ck-note'>{escape(t('books_help'))}</p>"
        self.template_link.value = download_link("ck-download-template", t("template_file") + ".xlsx", XLSX,
                                                 _template(self.lang), t("download_template"))
        self.upload_label.value = t("upload_label")
        self.upload.description = t("upload")
        self.export_button.description = t("export")
        self.export_link.value = ""
        self.store_heading.value = f"<h4>{escape(t('section_store'))}</h4>"
        self.store_help.value = f"<p class='ck-note'>{escape(t('store_help'))}</p>"
        self.owner_label.value = i18n.tr("field.owner", self.lang)
        self.owner.placeholder = t("owner_placeholder")
        self.code_label.value = i18n.tr("field.owner_code", self.lang)
        self.owner_code.placeholder = t("code_placeholder")
        self.save_button.description = t("save")
        self.open_button.description = t("open")
        self._show_upload_status()
        self.store_line.show(self.lang)
        self._show_code_note()

    def set_lang(self, lang: str) -> None:
        if self.file_name is None:  # the example's cost items are named in the page's language
            self.books = _example_books(i18n.normalize_language(lang))
        super().set_lang(lang)

    # -- inputs and results --------------------------------------------------------------------
    def _start_surplus(self, volume: float, price: float) -> float:
        """The surplus box's first value: the profit the cost items give at the template's volume
        and price, in whole millions (the example's surplus when there is none)."""
        try:
            summary = self.books.cost_items.summary(volume, self.product.area_ha, self.product.units_per_batch)
            profit = price * volume - summary.total_costs
        except (AttributeError, InputError):
            return EXAMPLE_SURPLUS
        return float(max(round(profit / 1e6), 0) * 1e6) or EXAMPLE_SURPLUS

    def build_controls(self) -> list[Control]:
        lang, product = self.lang, self.product
        unit = product.unit
        surplus = self._start_surplus(product.volume_per_season, product.price_per_unit)
        return [
            volume_control(product, lang),
            NumberBox("area_ha", product.area_ha, lang, unit_key="unit.ha", decimals=2),
            NumberBox("units_per_batch", product.units_per_batch, lang, unit_key=f"unit.{unit}", decimals=0,
                      check=check_positive),
            NumberBox("price_per_unit", product.price_per_unit, lang, money=True, unit_key=f"unit.vnd_per_{unit}",
                      check=check_positive),
            NumberBox("opening_cash", OPENING_CASH, lang, money=True, check=check_finite),  # may start overdrawn
            NumberBox("surplus", surplus, lang, money=True, check=check_finite),  # a loss distributes nothing
            NumberBox("internal_surplus", round(surplus * INTERNAL_SHARE / 1e6) * 1e6, lang, money=True,
                      check=check_nonnegative),
        ]

    def compute(self) -> BooksResult:
        """Read the boxes (errors beside them), then one domain call per table the book holds;
        what a table cannot give is kept as its section's error."""
        v = self.read_all()
        books, parts = self.books, {}
        if books.cost_items is not None:
            try:
                costs = books.cost_items.summary(v["volume"], v["area_ha"], v["units_per_batch"])
                parts["costs"] = costs
                parts["break_even"] = break_even(costs.fixed_costs, v["price_per_unit"],
                                                 costs.variable_cost_per_unit, v["volume"])
            except InputError as err:
                parts["cost_error"] = err
        if books.cash_book is not None:
            try:
                inputs = books.cash_book.cash_flow_inputs()
                parts["months"] = tuple(books.cash_book.monthly()["month"])
                parts["cash"] = cash_flow_plan(**inputs, opening_cash=v["opening_cash"])
            except InputError as err:
                parts["cash_error"] = err
        if books.members is not None:
            surplus = v["surplus"]
            try:
                parts["distribution"] = distribute_surplus(
                    surplus, books.members.members(price_per_unit=1.0),
                    internal_surplus=v["internal_surplus"] if surplus > 0 else None, funds=load_funds())
            except InputError as err:
                parts["members_error"] = err
        return BooksResult(books, self.file_name, v, **parts)

    def refresh(self, _change: object = None) -> None:
        """As the shell does; a section's error about a box (a price below the variable cost) is
        also said beside that box, while the other sections show their results."""
        super().refresh(_change)
        self.export_link.value = ""  # an Excel file made before is of other numbers
        result = self.result
        if self.error is not None or result is None:
            return
        for err in (result.cost_error, result.cash_error, result.members_error):
            control = self.control(err.field) if err is not None else None
            if control is not None and not control.error_text:
                control.show_error(err)

    def quantity(self, kg_or_units: float) -> tuple[float, str]:
        """A quantity in the volume box's unit (tấn, kg, eggs) and that unit's short name."""
        box = self.control("volume")
        if hasattr(box, "from_base"):
            return box.from_base(kg_or_units), box.unit_label(self.lang)
        return kg_or_units, i18n.tr(f"unit.{self.product.unit}", self.lang)

    def render(self, result: BooksResult) -> tuple[str, Any]:
        lang, t = self.lang, self.t
        parts = [self._source_html(result)]
        parts.append(self._costs_html(result))
        parts.append(self._cash_html(result))
        parts.append(self._members_html(result))
        parts.append(f"<p class='ck-note ck-books-assumptions'>{escape(t('assumptions'))}</p>")
        self.chart_box.layout.display = None if result.cash is not None else "none"
        figure = cash_flow_chart(result.cash, lang) if result.cash is not None else None
        return "".join(parts), figure

    def _section(self, table: str, body: str) -> str:
        return (f"<div class='ck-books-result ck-books-{table.replace('_', '-')}'>"
                f"<h4>{escape(self.t(f'title_{table}'))}</h4>{body}</div>")

    @staticmethod
    def _error_html(err: InputError, lang: str) -> str:
        return f"<p class='ck-status-error'>⚠ {escape(err.message(lang))}</p>"

    def _source_html(self, result: BooksResult) -> str:
        t = self.t
        if result.file_name is None:
            said = t("source_example")
            css = "ck-books-example"
        else:
            said = t("source_file", file=result.file_name)
            css = "ck-books-file"
        found = [t(f"table_{table}") for table in TABLES if table not in result.missing]
        lines = [f"<p class='ck-note {css}'>{escape(said)}</p>",
                 f"<p class='ck-note ck-books-found'>{escape(t('tables_found', tables=', '.join(found)))}</p>"]
        if result.missing:
            missing = ", ".join(t(f"table_{table}") for table in result.missing)
            lines.append(f"<p class='ck-note ck-books-missing'>{escape(t('tables_missing', tables=missing))}</p>")
        return "".join(lines)

    def _costs_html(self, result: BooksResult) -> str:
        lang, t = self.lang, self.t
        if result.books.cost_items is None:
            return ""
        rows = []
        costs, be = result.costs, result.break_even
        if costs is not None:
            unit = i18n.tr(f"unit.{self.product.unit}", lang)
            rows += [
                Row("fixed_costs", i18n.tr("field.fixed_costs", lang), costs.fixed_costs),
                Row("variable_cost_per_unit", t("variable_cost", unit=unit), costs.variable_cost_per_unit),
                Row("unit_cost", t("unit_cost", unit=unit), costs.unit_cost, strong=True),
                Row("total_costs", i18n.tr("field.total_costs", lang), costs.total_costs),
            ]
        if be is not None:
            volume, shown_unit = self.quantity(be.break_even_volume)
            rows += [
                Row("break_even_volume", t("break_even_volume", unit=shown_unit), volume, kind="number", strong=True),
                Row("break_even_price", t("break_even_price", unit=i18n.tr(f"unit.{self.product.unit}", lang)),
                    be.break_even_price, strong=True),
                Row("revenue", i18n.tr("field.revenue", lang), be.revenue),
                Row("profit", i18n.tr("result.profit", lang), be.profit, strong=True),
                Row("margin_of_safety", i18n.tr("field.margin_of_safety", lang), be.margin_of_safety, kind="rate"),
            ]
        body = summary_table(rows, lang) if rows else ""
        if result.cost_error is not None:
            body += self._error_html(result.cost_error, lang)
        items = result.books.cost_items.to_frame().copy()
        items["key"] = [str(n) for n in range(1, len(items) + 1)]
        items["kind"] = [i18n.tr(f"books.choice.kind.{k}", lang) for k in items["kind"]]
        items["basis"] = [i18n.tr(f"books.choice.basis.{b}", lang) for b in items["basis"]]
        columns = [Column("name", t("item"), "text"), Column("kind", t("kind"), "text"),
                   Column("basis", t("basis"), "text"), Column("amount", t("amount"))]
        body += (f"<details class='ck-books-items'><summary>{escape(t('items', count=len(items)))}</summary>"
                 f"{frame_table(items, columns, 'key', lang)}</details>")
        return self._section("cost_items", body)

    def _cash_html(self, result: BooksResult) -> str:
        lang, t = self.lang, self.t
        if result.books.cash_book is None:
            return ""
        plan = result.cash
        if plan is None:
            return self._section("cash_book", self._error_html(result.cash_error, lang) if result.cash_error else "")
        worst = result.months[plan.worst_month - 1] if len(result.months) >= plan.worst_month else ""
        rows = [
            Row("opening_cash", i18n.tr("field.opening_cash", lang), plan.opening_cash),
            Row("inflow", t("inflow"), plan.inflow),
            Row("outflow", t("outflow"), plan.outflow),
            Row("closing_cash", t("closing_cash"), plan.closing_cash, strong=True),
            Row("lowest_cash", t("lowest_cash", month=_month_label(worst, lang)), plan.lowest_cash, strong=True),
            Row("credit_line", t("credit_line"), plan.credit_line),
        ]
        table = plan.table.copy()
        table["label"] = [_month_label(m, lang) for m in result.months]
        columns = [Column("label", t("month"), "text"), Column("inflow", t("inflow")),
                   Column("outflow", t("outflow")), Column("month_end_cash", t("month_end_cash"))]
        strong = {_month_label(worst, lang)} if plan.lowest_cash < 0 else set()
        body = summary_table(rows, lang) + frame_table(table, columns, "label", lang, strong=strong)
        return self._section("cash_book", body)

    def _members_html(self, result: BooksResult) -> str:
        lang, t = self.lang, self.t
        if result.books.members is None:
            return ""
        d = result.distribution
        if d is None:
            return self._section("members", self._error_html(result.members_error, lang)
                                 if result.members_error else "")
        rows = [
            Row("surplus", i18n.tr("field.surplus", lang), d.surplus),
            Row("to_members", t("to_members"), d.to_members, strong=True),
            Row("by_transactions", t("by_use"), d.by_transactions),
            Row("by_capital", t("by_capital"), d.by_capital),
        ]
        columns = [Column("member", t("member"), "text"), Column("capital", t("capital")),
                   Column("by_transactions", t("by_use")), Column("by_capital", t("by_capital")),
                   Column("total", t("member_total"))]
        body = summary_table(rows, lang)
        if d.is_loss or d.surplus == 0:
            body += f"<p class='ck-note'>{escape(t('no_surplus'))}</p>"
        body += frame_table(d.statement, columns, "member", lang)
        body += f"<p class='ck-note'>{escape(t('members_note'))}</p>"
        return self._section("members", body)

    # -- the file: upload, template, results -----------------------------------------------------
    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        try:
            name = str(upload.get("name") or "upload")
            content = bytes(upload["content"])  # the bytes that arrived, not the size announced
            self.show_books(read_books(content, name=name, lang=self.lang), name, content)
        except InputError as err:
            self.upload_error, self._upload_ok = err, None
            self._show_upload_status()
        finally:
            self.upload.value = ()  # the file is forgotten: nothing of a refused file is kept

    def show_books(self, books: Books, name: str | None, content: bytes | None) -> None:
        """Show ``books`` (read from file ``name``; None: the example) and recompute."""
        self.books, self.file_name, self.file_bytes = books, name, content
        self.upload_error = None
        if name is not None:
            found = [table for table in TABLES if getattr(books, table) is not None]
            self._upload_ok = ("read", {"file": name, "count": len(found)})
        self._show_upload_status()
        self.refresh()

    def _show_upload_status(self) -> None:
        if self.upload_error is not None:
            self.upload_status.value = self._error_html(self.upload_error, self.lang)
        elif self._upload_ok is not None:
            key, params = self._upload_ok
            self.upload_status.value = f"<p class='ck-status-ok'>✓ {escape(self.t(key, **params))}</p>"
        else:
            self.upload_status.value = ""

    def results_tables(self) -> dict[str, pd.DataFrame]:
        """The results and the books' tables, one sheet each, as the Excel download holds them."""
        result, lang, t = self.result, self.lang, self.t
        if result is None:
            raise InputError("book_table", reason="books_nothing_to_export")
        sheets: dict[str, pd.DataFrame] = {}
        label, value = t("what"), t("value")
        if result.costs is not None:
            rows = [(i18n.tr("field.fixed_costs", lang), result.costs.fixed_costs),
                    (i18n.tr("field.variable_cost_per_unit", lang), result.costs.variable_cost_per_unit),
                    (i18n.tr("field.unit_cost", lang), result.costs.unit_cost),
                    (i18n.tr("field.total_costs", lang), result.costs.total_costs)]
            if result.break_even is not None:
                be = result.break_even
                rows += [(i18n.tr("field.break_even_volume", lang), be.break_even_volume),
                         (i18n.tr("field.break_even_price", lang), be.break_even_price),
                         (i18n.tr("field.revenue", lang), be.revenue),
                         (i18n.tr("field.profit", lang), be.profit)]
            sheets[t("sheet_costs")] = pd.DataFrame(rows, columns=[label, value])
        if result.cash is not None:
            table = result.cash.table
            sheets[t("sheet_cash")] = pd.DataFrame({
                t("month"): list(result.months), t("inflow"): table["inflow"], t("outflow"): table["outflow"],
                t("month_end_cash"): table["month_end_cash"]})
        if result.distribution is not None:
            s = result.distribution.statement
            sheets[t("sheet_members")] = pd.DataFrame({
                t("member"): s["member"], t("capital"): s["capital"], t("by_use"): s["by_transactions"],
                t("by_capital"): s["by_capital"], t("member_total"): s["total"]})
        sheets.update(result.books.tables())
        return sheets

    def export(self) -> bytes:
        """Make the Excel file of the results and show its download link; returns its bytes."""
        content = tables_to_xlsx(self.results_tables(), lang=self.lang)
        self.export_link.value = download_link("ck-download-xlsx", self.t("results_file") + ".xlsx", XLSX, content,
                                               self.t("download_results"))
        return content

    # -- the cooperative's folder ------------------------------------------------------------------
    def store(self) -> BookStore:
        """The folder the name box names, opened with the code box's code (wrong codes counted)."""
        store = BookStore(self.store_root or default_root(), self.owner.value, code=self.owner_code.value)
        self.code_guard.check(store, self.clock())
        return store

    def _say(self, key: str | InputError, *, error: bool = False, **params: Any) -> None:
        self.store_line.say(key, self.lang, error=error, **params)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except InputError as err:
            self._say(err, error=True)  # translated when shown

    def _show_code_note(self) -> None:
        if not self._new_code:
            self.code_note.value = ""
            return
        said = escape(self.t("code_new", code="\0")).replace("\0", f"<b class='ck-code'>{escape(self._new_code)}</b>")
        self.code_note.value = f"<p class='ck-status-ok'>🔑 {said}</p>"

    def _owner_changed(self) -> None:
        self._new_code = None
        self._show_code_note()

    def save_books(self) -> None:
        """Keep the file shown in the cooperative's folder (the example cannot be saved)."""
        def action() -> None:
            if self.file_bytes is None or self.file_name is None:
                raise InputError("file", reason="books_nothing_to_save")
            store = self.store()
            saved = store.save(self.file_bytes, self.file_name)
            self._say("saved", file=saved.name, owner=store.owner)
            if store.new_code:
                self._new_code = store.new_code
                self.owner_code.value = store.new_code  # this session goes on working
                self._show_code_note()
        self._guard(action)

    def open_books(self) -> None:
        """Show the books kept in the cooperative's folder."""
        def action() -> None:
            store = self.store()
            saved = store.load()
            if saved is None:
                raise InputError("owner", reason="books_none_saved", value=store.owner)
            books = read_books(saved.content, name=saved.name, lang=self.lang)
            self.show_books(books, saved.name, saved.content)
            self._say("opened", file=saved.name, owner=store.owner)
        self._guard(action)


@cache
def _example_books(lang: str) -> Books:
    return read_books(example_book(lang), name="example.xlsx")


@cache
def _template(lang: str) -> bytes:
    return book_template(lang)


def _month_label(month: str, lang: str) -> str:
    """``"2025-10"`` as the page says it: ``Tháng 10/2025``, ``October 2025``."""
    try:
        year, number = (int(part) for part in month.split("-"))
    except ValueError:
        return month
    return f"{month_name(number, lang)} {year}" if lang == "en" else f"{month_name(number, lang)}/{year}"

