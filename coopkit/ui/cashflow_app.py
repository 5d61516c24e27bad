"""The seasonal cash-flow app (workbook 10): can we pay our bills in the lean months?

The manager picks a product template; its price, volume and sales calendar give the sales by
month, and its cost items, spread over the months they are paid (`coopkit.cashflow.season_flows`),
fill a month table like a cash book: one row per month of the plan, one column per kind of
money in or out. The manager edits any cell, the opening cash, the cash to keep, the month the
plan starts, and may add a loan (amount, rate, months, grace, the month it is received) whose
instalments come from `coopkit.loans.loan_schedule`. One call to
`coopkit.cashflow.cash_flow_plan` gives the worst month, the credit line needed and the cash at
the end of the plan, and a chart of money in and out and month-end cash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import cashflow, fmt, i18n
from coopkit.books import OWN_BOOKS, CashYear, product_from_books
from coopkit.errors import InputError
from coopkit.cashflow import month_name
from coopkit.plots.cashflow import cash_flow_chart
from coopkit.ui.base import App
from coopkit.ui.controls import (MILLION, Control, MonthChoice, MonthColumn, NumberBox, OptionChoice,
                                 PercentBox, QuantityBox, text_labels)
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_finite, check_nonnegative, check_positive

__all__ = ["CashFlowApp", "CashFlowResult", "MonthChoice", "MonthColumn", "LoanSwitch", "LoanDefaults",
           "loan_defaults"]

#: The columns of the month table: the sales calendar (%), then money in and out.
TABLE_COLUMNS = ("sales_calendar", "other_receipts", "input_payments", "wage_payments", "member_payments",
                 "other_payments")
#: Opening cash and the minimum cash to keep of the app's first screen: illustrative assumptions.
OPENING_CASH = 100_000_000
MINIMUM_CASH = 50_000_000
#: A working-capital loan's rate a year: the rate of the templates' interest items
#: (datasets/product_costs.csv, ``lai_vay``: 8–9 %), itself an illustrative assumption.
LOAN_RATE = 0.09
LOAN_MONTHS = 12
LOAN_GRACE_MONTHS = 6
#: Longest loan the app accepts (as `coopkit.loans`: 30 years).
MAX_LOAN_MONTHS = 360
LOAN_METHODS = ("equal_principal", "annuity")
#: The loan's boxes: hidden, and not read, while "without a loan" is picked.
LOAN_FIELDS = ("loan_amount", "loan_rate", "loan_months", "loan_grace_months", "loan_kind", "loan_month")


def _whole_months(field: str, value: object) -> float:
    number = check_finite(field, value)
    if number != int(number) or not 0 <= number <= MAX_LOAN_MONTHS:
        raise InputError(field, reason="cash_whole_months", value=number, limit=MAX_LOAN_MONTHS)
    return number


def _loan_months(field: str, value: object) -> float:
    number = _whole_months(field, value)
    return check_positive(field, number)

def _month_year(month: str) -> str:
    """``"2025-05"`` as both languages write it in a sentence: ``05/2025``."""
    year, number = month.split("-")
    return f"{number}/{year}"


@dataclass(frozen=True)
class CashFlowResult:
    """What the app shows: the cash plan, the loan's flows (``None`` without a loan), the sales."""

    plan: cashflow.CashFlowPlan
    loan: cashflow.LoanCashFlows | None
    revenue: float

    @property
    def credit_line(self) -> float:
        return self.plan.credit_line


@dataclass(frozen=True)
class LoanDefaults:
    """The loan the app offers first: enough to cover the credit line, received when cash runs short."""

    amount: float
    calendar_month: int


def loan_defaults(flows: cashflow.SeasonFlows, opening_cash: float = OPENING_CASH,
                  minimum_cash: float = MINIMUM_CASH) -> LoanDefaults:
    """The app's first loan for a template's season: the credit line rounded up to 100 million
    đồng (at least 100 million), received in the first month whose cash falls below the minimum.

    >>> from coopkit.data import load_products
    >>> d = loan_defaults(cashflow.season_flows(load_products()["ca_phe_nhan_son_la"]))
    >>> d.amount / 1e6, d.calendar_month
    (2500.0, 10)
    """
    start = flows.start_month
    plan = cashflow.cash_flow_plan(
        **{name: cashflow.in_season_order(getattr(flows, name), start)
           for name in ("sales_receipts", "input_payments", "wage_payments", "member_payments", "other_payments")},
        opening_cash=opening_cash, minimum_cash=minimum_cash, start_month=start)
    short = plan.table[plan.table["below_minimum"]]
    month = int(short["calendar_month"].iloc[0]) if len(short) else start
    amount = max(math.ceil(plan.credit_line / 1e8) * 1e8, 1e8)
    return LoanDefaults(amount=amount, calendar_month=month)


class LoanSwitch(OptionChoice):
    """Without or with a loan: ``read()`` gives ``False`` or ``True``."""

    def __init__(self, field: str, on: bool, lang: str) -> None:
        super().__init__(field, "on" if on else "off", ("off", "on"), lang, label_of=text_labels("app.cash_flow.loan_"),
                         width="10em", css="ck-loan-switch")

    def read(self) -> bool:  # type: ignore[override]
        return super().read() == "on"

    def _enter(self, on: bool) -> None:  # type: ignore[override]
        super()._enter("on" if on else "off")


def MethodChoice(field: str, method: str, lang: str) -> OptionChoice:  # noqa: N802
    """Equal parts of the loan plus interest, or equal instalments: ``read()`` gives the method."""
    return OptionChoice(field, method, LOAN_METHODS, lang, label_of=text_labels("app.cash_flow.method_"),
                        css="ck-loan-method")


class CashFlowApp(App):
    """In which month does our cash run lowest, and how large a credit line do we need?"""

    name = "cash_flow"
    books_tables = ("cash_book",)

    def __init__(self, product: str = "ca_phe_nhan_son_la", lang: str | None = None, *, standalone: bool = True,
                 store_root: str | None = None):
        self.store_root = store_root
        #: The months of the cooperative's cash book opened (`use_books`), shown while its
        #: template (`coopkit.books.OWN_BOOKS`) is picked.
        self.book_year: CashYear | None = None
        self.headings = {part: widgets.HTML() for part in ("sales", "cash", "table", "loan")}
        for part, heading in self.headings.items():
            heading.add_class("ck-section-heading")
            heading.add_class(f"ck-heading-{part}")
        self.table_note = widgets.HTML()
        self.table_note.add_class("ck-note")
        self.month_labels = [widgets.HTML() for _ in range(12)]
        self.corner = widgets.HTML()
        self.grid = widgets.GridBox(layout=widgets.Layout(
            grid_template_columns="6.5em repeat(6, minmax(4.5em, 1fr))", grid_gap="2px 4px", width="100%"))
        self.grid.add_class("ck-month-table")
        self._start_shown: int | None = None
        super().__init__(product, lang, standalone=standalone)

    # -- the inputs ------------------------------------------------------------------------
    def use_books(self, books: Any, owner: str, file_name: str) -> tuple[str, dict[str, Any]]:
        """The month table from the cash book's latest twelve months (`coopkit.books.CashBook.latest_year`):
        the sales calendar is each month's share of the book's sales, and the volume box the
        book's sales divided by the price the box holds, so that price × volume is the book's sales."""
        if books.cash_book is None or books.cash_book.empty:
            raise InputError("owner", reason="own_books_no_cash_book", value=owner, file=file_name)
        year = books.cash_book.latest_year()
        price = self.typed_values("price_per_unit").get("price_per_unit") or self.product.price_per_unit
        template = replace(product_from_books(books, self.product, owner), price_per_unit=price,
                           volume_per_season=year.sales_total / price)
        self.book_year = year
        self.offer_product(template)
        return "opened_cash_book", {"owner": owner, "file": file_name, "months": year.months,
                                    "first": _month_year(year.first_month), "last": _month_year(year.last_month)}

    def _season_flows(self) -> cashflow.SeasonFlows:
        """The product's money by month: the template's (`coopkit.cashflow.season_flows`), or the
        cash book's while the cooperative's own books are picked."""
        flows = cashflow.season_flows(self.product)
        year = self.book_year
        if self.product_key != OWN_BOOKS or year is None:
            return flows
        return replace(flows, revenue=year.sales_total, sales_receipts=year.sales_receipts,
                       input_payments=year.input_payments, wage_payments=year.wage_payments,
                       member_payments=year.member_payments, other_payments=year.other_payments,
                       start_month=year.start_month)

    def build_controls(self) -> list[Control]:
        product, lang = self.product, self.lang
        flows = self._season_flows()
        self.flows = flows
        year = self.book_year if product.key == OWN_BOOKS else None
        # without sales in the book the volume is 0: any calendar gives no sales, the template's is kept
        sales_calendar = year.sales_calendar() if year is not None and year.sales_total > 0 else flows.calendar.sales
        other_receipts = year.other_receipts if year is not None else (0.0,) * 12
        loan = loan_defaults(flows)
        if product.unit == "kg":
            volume: Control = QuantityBox("volume", product.volume_per_season, lang, dimension="weight",
                                          unit="tan" if product.volume_per_season >= 10_000 else "kg",
                                          check=check_nonnegative)
        else:
            volume = NumberBox("volume", product.volume_per_season, lang, unit_key=f"unit.{product.unit}",
                               check=check_nonnegative, decimals=0)
        price_unit = "unit.vnd_per_kg" if product.unit == "kg" else f"unit.vnd_per_{product.unit}"
        return [
            NumberBox("price_per_unit", product.price_per_unit, lang, money=True, unit_key=price_unit),
            volume,
            NumberBox("opening_cash", OPENING_CASH, lang, money=True, check=check_finite),  # may start overdrawn
            NumberBox("minimum_cash", MINIMUM_CASH, lang, money=True),
            MonthChoice("start_month", flows.start_month, lang),
            MonthColumn("sales_calendar", sales_calendar, lang, percent=True),
            MonthColumn("other_receipts", other_receipts, lang),
            MonthColumn("input_payments", flows.input_payments, lang),
            MonthColumn("wage_payments", flows.wage_payments, lang),
            MonthColumn("member_payments", flows.member_payments, lang),
            MonthColumn("other_payments", flows.other_payments, lang),
            LoanSwitch("with_loan", False, lang),
            NumberBox("loan_amount", loan.amount, lang, money=True, check=check_positive),
            PercentBox("loan_rate", LOAN_RATE, lang),
            NumberBox("loan_months", LOAN_MONTHS, lang, decimals=0, check=_loan_months,
                      unit_key="app.cash_flow.unit_months", maximum=MAX_LOAN_MONTHS),
            NumberBox("loan_grace_months", LOAN_GRACE_MONTHS, lang, decimals=0, check=_whole_months,
                      unit_key="app.cash_flow.unit_months", maximum=MAX_LOAN_MONTHS),
            MethodChoice("loan_kind", "equal_principal", lang),
            MonthChoice("loan_month", loan.calendar_month, lang),
        ]

    def load_product(self, key: str) -> None:
        self._start_shown = None
        super().load_product(key)
        self._arrange()

    def _arrange(self) -> None:
        """Inputs in sections; the month table in the order of the plan (from the start month)."""
        boxes = {control.field: control.box for control in self.controls}
        columns = [self.control(name) for name in TABLE_COLUMNS]
        self.controls_box.children = [
            self.headings["sales"], boxes["price_per_unit"], boxes["volume"],
            self.headings["cash"], boxes["opening_cash"], boxes["minimum_cash"], boxes["start_month"],
            self.headings["table"], self.table_note, self.grid, *(boxes[name] for name in TABLE_COLUMNS),
            self.headings["loan"], boxes["with_loan"], boxes["loan_amount"], boxes["loan_rate"],
            boxes["loan_months"], boxes["loan_grace_months"], boxes["loan_kind"], boxes["loan_month"],
        ]
        self._arrange_grid(columns)

    def _arrange_grid(self, columns: list[MonthColumn] | None = None) -> None:
        columns = columns or [self.control(name) for name in TABLE_COLUMNS]
        try:
            start = self.control("start_month").read()
        except InputError:
            start = self._start_shown or 1
        children: list[widgets.Widget] = [self.corner, *(column.header() for column in columns)]
        for row, month in enumerate(cashflow.season_months(start)):
            label = self.month_labels[row]
            label.value = f"<span class='ck-month-label' data-month='{month}'>{escape(month_name(month, self.lang))}</span>"
            children += [label, *(column.cells[month - 1] for column in columns)]
        self.grid.children = children
        self._start_shown = start

    def _render_texts(self) -> None:
        super()._render_texts()
        for part, heading in self.headings.items():
            heading.value = f"<h4>{escape(i18n.tr(f'app.cash_flow.section.{part}', self.lang))}</h4>"
        self.corner.value = f"<b>{escape(i18n.tr('app.cash_flow.month', self.lang))}</b>"
        self.table_note.value = i18n.tr("app.cash_flow.table_note", self.lang)

    def set_lang(self, lang: str) -> None:
        super().set_lang(lang)
        self._arrange_grid()

    # -- compute and show ------------------------------------------------------------------
    def compute(self) -> CashFlowResult:
        with_loan = self.control("with_loan").read()
        v: dict[str, Any] = self.read_all(self.hide_controls(LOAN_FIELDS, hidden=not with_loan))
        start = v["start_month"]
        if start != self._start_shown:
            self._arrange_grid()
        revenue = v["price_per_unit"] * v["volume"]
        sales = cashflow.monthly_sales(revenue, v["sales_calendar"])
        flows = {name: cashflow.in_season_order(v[name], start)
                 for name in ("other_receipts", "input_payments", "wage_payments", "member_payments",
                              "other_payments")}
        loan = self._loan(v, start) if with_loan else None
        if loan is not None:
            flows["loan_disbursements"] = loan.loan_disbursements
            flows["loan_instalments"] = loan.loan_instalments
        plan = cashflow.cash_flow_plan(sales_receipts=cashflow.in_season_order(sales, start), **flows,
                                       opening_cash=v["opening_cash"], minimum_cash=v["minimum_cash"],
                                       start_month=start)
        return CashFlowResult(plan=plan, loan=loan, revenue=revenue)

    def _loan(self, v: dict[str, Any], start: int) -> cashflow.LoanCashFlows:
        from coopkit.loans import loan_schedule

        months, grace = int(v["loan_months"]), int(v["loan_grace_months"])
        if grace >= months:
            raise self.control("loan_grace_months").error("cash_grace_too_long", grace, loan_months=months)
        schedule = loan_schedule(v["loan_amount"], v["loan_rate"], months, method=v["loan_kind"],
                                 grace_months=grace)
        plan_month = cashflow.season_months(start).index(v["loan_month"]) + 1
        return cashflow.loan_cash_flows(v["loan_amount"], schedule, loan_month=plan_month)

    def render(self, result: CashFlowResult) -> tuple[str, Any]:
        lang, plan = self.lang, result.plan

        def text(key: str, **params: object) -> str:
            return i18n.tr(f"app.cash_flow.{key}", lang, **params)

        worst = month_name(plan.worst_calendar_month, lang)
        rows = [
            Row("worst_month", text("worst_month"), worst, kind="text", strong=True),
            Row("lowest_cash", text("lowest_cash"), plan.lowest_cash, strong=True),
            Row("credit_line", text("credit_line"), plan.credit_line, strong=True),
            Row("closing_cash", text("closing_cash"), plan.closing_cash),
            Row("inflow", text("inflow"), plan.inflow),
            Row("outflow", text("outflow"), plan.outflow),
            Row("months_short", text("months_short"), plan.months_short, kind="count"),
        ]
        if result.loan is not None:
            rows += [
                Row("loan_interest", text("loan_interest"), sum(result.loan.interest)),
                Row("loan_owed_at_end", text("loan_owed_at_end"), result.loan.owed_at_end),
            ]
        # The month by month table in millions of đồng, as the month table is typed.
        table = plan.table.assign(month_name=[month_name(m, lang) for m in plan.table["calendar_month"]],
                                  **{f"{name}_million": plan.table[name] / MILLION
                                     for name in ("inflow", "outflow", "month_end_cash", "credit_drawn")})
        columns = [Column("month_name", text("month"), "text")] + [
            Column(f"{name}_million", text(key), "number")
            for name, key in (("inflow", "inflow_month"), ("outflow", "outflow_month"),
                              ("month_end_cash", "month_end_cash"), ("credit_drawn", "credit_drawn"))
        ]
        short = {str(m) for m in plan.table.loc[plan.table["below_minimum"], "month"]}
        in_sentence = month_name(plan.worst_calendar_month, lang, in_sentence=True)
        if plan.credit_line > 0:
            verdict = text("verdict_credit", month=in_sentence, credit=fmt.money(plan.credit_line, lang),
                           minimum=fmt.money(plan.minimum_cash, lang))
        else:
            verdict = text("verdict_ok", minimum=fmt.money(plan.minimum_cash, lang), month=in_sentence)
        note = f"<p class='ck-verdict'>{escape(verdict)}</p>"
        profit_note = ""
        if self.flows.depreciation > 0 or self.flows.interest > 0:
            profit_note = "<p class='ck-note'>" + escape(text(
                "not_cash_note", depreciation=fmt.money(self.flows.depreciation, lang),
                interest=fmt.money(self.flows.interest, lang))) + "</p>"
        caption = f"<p class='ck-note'>{escape(text('table_caption'))}</p>"
        html = (note + summary_table(rows, lang) + caption + frame_table(table, columns, "month", lang, strong=short)
                + profit_note)
        return html, cash_flow_chart(plan, lang)
