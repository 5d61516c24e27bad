"""The member-income app: where the year's surplus goes, each member's share, and the health ratios.

The manager types the year's surplus, whether internal and external income are accounted apart
(and the internal part), the indivisible fund's rates, the income tax rate, obligations and past
losses, the share of each other fund and the share paid by use (at least 51 %), and edits a small
table of members (name, official or associate capital member, what each sold to the cooperative,
the capital each put in). The app calls `coopkit.members.distribute_surplus` once (Law on
Cooperatives 17/2023/QH15, Art. 84–86) and shows where the surplus goes, a statement per member,
the capital limits of Art. 74 as a warning beside the table, and what one member earns with and
without the cooperative (`coopkit.members.member_income`). A second panel takes a small balance
sheet and income statement and shows four ratios against a US farm reference, labelled as such
(`coopkit.health.financial_health`).

The app is about the cooperative, not one product: the `App` shell's product picker is hidden;
the product key (``ca_phe_nhan_son_la``) only gives the example its cherry price. It opens on
the example in ``datasets/members_example.csv`` (six official members and one associate capital
member, marked as an example).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import fields, fmt, i18n
from coopkit.errors import InputError
from coopkit.health import HealthReport, Statement, financial_health
from coopkit.members import (
    DEFAULT_INDIVISIBLE_INTERNAL_RATE,
    DEFAULT_USE_SHARE,
    INDIVISIBLE_EXTERNAL_MINIMUM,
    MEMBER_KINDS,
    USE_SHARE_MINIMUM,
    Distribution,
    Fund,
    Member,
    MemberIncome,
    distribute_surplus,
    example_members,
    load_funds,
    member_income,
)
from coopkit.plots.members import member_income_chart
from coopkit.ui.base import App
from coopkit.ui.controls import UNFORMATTED, Control, NumberBox, OptionChoice, PercentBox, parse_typed, text_labels
from coopkit.ui.tables import Column, Row, format_kind, frame_table, summary_table
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_positive

__all__ = ["MemberChoice", "MemberIncomeApp", "MemberIncomeResult", "MemberTable", "TRADER_PRICE_RATIO",
           "EXAMPLE_SURPLUS", "EXAMPLE_INTERNAL_SURPLUS"]

#: The example cooperative's surplus for the year (illustrative assumption).
EXAMPLE_SURPLUS = 240_000_000.0
#: Of which from transactions with its members, accounted separately (illustrative assumption).
EXAMPLE_INTERNAL_SURPLUS = 180_000_000.0
#: Inputs about internal income, hidden when the books do not keep it apart (Art. 85).
INTERNAL_FIELDS = ("internal_surplus", "indivisible_internal_rate")
#: A trader's price as a share of the cooperative's (illustrative assumption: 10 % less).
TRADER_PRICE_RATIO = 0.9
#: Most members the table takes (a teaching example, not a member register).
MAX_MEMBERS = 30
#: The first control of each section and the section's heading key (``app.member_income.<key>``).
SECTIONS = {
    "surplus": "section_surplus",
    "members": "section_members",
    "member": "section_member",
    "current_assets": "section_health",
}
#: Neutral shades: the bands are a US farm reference, not a verdict (no red / green).
BAND_COLOURS = {"comfort": "#e3f2fd", "caution": "#f5f5f5", "danger": "#fff3e0"}


def _fraction_incl(field: str, value: object) -> float:
    return check_fraction(field, value, allow_one=True)


class MemberTable(Control):
    """An editable table of members: name, kind (official or associate capital member),
    transactions with the cooperative (VND), capital (VND).

    ``read()`` returns a tuple of `coopkit.members.Member`; a bad cell is reported below the
    table, naming the member, the row and the column. Cells are read as every number box reads
    (`coopkit.ui.controls.parse_typed`: the page's decimal mark, ``30.5`` a decimal and
    ``1.250.000`` grouping on a Vietnamese page) and hold money from 0 ₫ to
    `coopkit.fields.LARGEST` ``["money"]``; a number outside is refused naming that range. ``value = [(name, transactions, capital[, kind]), ...]`` types a whole
    table. ``show_warnings`` puts warnings (capital limits) below it without blocking anything.
    """

    def __init__(self, field: str, members: tuple[Member, ...], lang: str) -> None:
        super().__init__(field, lang)
        self.rows: list[tuple[widgets.Text, widgets.Text, widgets.Text, widgets.Button, widgets.Dropdown,
                              widgets.HBox]] = []
        self.header = widgets.HTML()
        self.header.add_class("ck-member-header")
        self.grid = widgets.VBox()
        self.grid.add_class("ck-member-rows")
        self.add_button = widgets.Button(icon="plus", layout=widgets.Layout(width="auto"))
        self.add_button.add_class("ck-member-add")
        self.add_button.on_click(lambda _b: self._add_row("", 0.0, 0.0, "official", announce=True))
        self.note = widgets.HTML()
        self.note.add_class("ck-note")
        self.warning = widgets.HTML()
        self.warning.add_class("ck-capital-warning")
        self._warnings: list[Any] = []
        self.minimum = 0.0
        self.maximum = fields.LARGEST["money"]
        for member in members:
            self._add_row(member.name, member.transactions, member.capital, member.kind, announce=False)
        self.box = self._box()

    # -- layout ----------------------------------------------------------------------------
    def _inputs(self) -> list[widgets.Widget]:
        return [self.grid]

    def _box(self) -> widgets.Box:
        box = widgets.VBox([self._label, self.note, self.header, self.grid, self.add_button, self._error,
                            self.warning])
        box.add_class("ck-field")
        box.add_class(f"ck-field-{self.field}")
        self._render_label()
        return box

    def _render_label(self) -> None:
        super()._render_label()
        tr = lambda key: escape(i18n.tr(f"app.member_income.{key}", self.lang))  # noqa: E731
        self.header.value = (f"<div style='display:flex;gap:0.5em'><b style='width:14em'>{tr('col_member')}</b>"
                             f"<b style='width:10em'>{tr('col_transactions')}</b><b style='width:9em'>{tr('col_capital')}</b>"
                             f"<b style='width:10em'>{tr('col_kind')}</b></div>")
        self.note.value = f"<small>{tr('members_note')}</small>"
        self.add_button.description = i18n.tr("app.member_income.add_member", self.lang)
        for *_texts, remove, kind, _row in self.rows:
            remove.tooltip = i18n.tr("app.member_income.remove_member", self.lang)
            self._relabel_kind(kind)
        self._render_warnings()

    def _kind_options(self) -> list[tuple[str, str]]:
        return [(i18n.tr(f"app.member_income.kind.{kind}", self.lang), kind) for kind in MEMBER_KINDS]

    def _relabel_kind(self, kind: widgets.Dropdown) -> None:
        silent, self._silent = self._silent, True
        try:
            value = kind.value
            kind.options = self._kind_options()
            kind.value = value
        finally:
            self._silent = silent

    def show_warnings(self, items: list[Any]) -> None:
        """Show warnings below the table (objects with ``message(lang)``); an empty list clears them."""
        self._warnings = list(items)
        self._render_warnings()

    def _render_warnings(self) -> None:
        if not hasattr(self, "warning"):
            return
        self.warning.value = "".join(f"<p class='ck-warning'>⚠ {escape(w.message(self.lang))}</p>"
                                     for w in self._warnings)

    def _add_row(self, name: str, transactions: float, capital: float, kind: str, *, announce: bool) -> None:
        if len(self.rows) >= MAX_MEMBERS:
            return
        name_box = widgets.Text(value=name, continuous_update=False, layout=widgets.Layout(width="14em"))
        name_box.add_class("ck-member-name")
        money = []
        for value, css, width in ((transactions, "ck-member-transactions", "10em"), (capital, "ck-member-capital", "9em")):
            text = widgets.Text(value=self._format(value), continuous_update=False,
                                layout=widgets.Layout(width=width))
            text.add_class("ck-number")
            text.add_class(css)
            money.append(text)
        remove = widgets.Button(icon="trash", layout=widgets.Layout(width="2.6em"),
                                tooltip=i18n.tr("app.member_income.remove_member", self.lang))
        remove.add_class("ck-member-remove")
        kind_box = widgets.Dropdown(options=self._kind_options(), value=kind if kind in MEMBER_KINDS else "official",
                                    layout=widgets.Layout(width="10em"))
        kind_box.add_class("ck-member-kind")
        row = widgets.HBox([name_box, *money, kind_box, remove],
                           layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        row.add_class("ck-member-row")
        entry = (name_box, money[0], money[1], remove, kind_box, row)
        self.rows.append(entry)
        remove.on_click(lambda _b, entry=entry: self._remove(entry))
        for text in (name_box, *money, kind_box):
            text.observe(self._changed, "value")
        self.grid.children = [r[-1] for r in self.rows]
        if announce:
            self._changed()

    def _remove(self, entry) -> None:
        if entry in self.rows:
            self.rows.remove(entry)
            self.grid.children = [r[-1] for r in self.rows]
            for widget in entry:
                widget.close()
            self._changed()

    # -- values ----------------------------------------------------------------------------
    def _limit_shown(self, number: float) -> object:
        return fields.Shown(number, "amount")

    def _format(self, value: float) -> str:
        """A cell's amount in the page's format (a number far out of range, set from code, as
        Python writes it: `read` refuses it in words)."""
        value = float(value)
        if not math.isfinite(value) or abs(value) >= UNFORMATTED:
            return str(value)
        return fmt.number(value, self.lang, decimals=0 if value.is_integer() else 2)

    def _typed(self, text: widgets.Text, field: str) -> float:
        """The amount typed in a cell, in range and not negative; raises `InputError` about ``field``."""
        number = parse_typed(text.value, self.lang, field)
        try:
            self.in_range(number, text.value, check=lambda: check_nonnegative(field, number))
        except InputError as err:
            raise InputError(field, reason=err.reason, value=err.value, **err.params) from None
        return check_nonnegative(field, number)

    def _number(self, text: widgets.Text, field: str, number: int, name: str) -> float:
        try:
            return self._typed(text, field)
        except InputError as err:
            label = {code: i18n.tr("app.member_income.cell_label", code, field=i18n.tr(f"field.{field}", code),
                                   row=str(number), member=name) for code in i18n.LANGUAGES}
            raise InputError(field, reason=err.reason, value=err.value, label=label, row=number,
                             **err.params) from None

    def read(self) -> tuple[Member, ...]:  # type: ignore[override]
        members = []
        for number, (name_box, transactions, capital, _remove, kind, _row) in enumerate(self.rows, start=1):
            name = name_box.value.strip()
            if not name:
                label = {code: i18n.tr("app.member_income.row_label", code, row=str(number)) for code in i18n.LANGUAGES}
                raise InputError("member_name", reason="empty_name", value="", label=label, row=number)
            members.append(Member(name, self._number(transactions, "member_transactions", number, name),
                                  self._number(capital, "member_capital", number, name), kind.value))
        return tuple(members)

    def names(self) -> list[str]:
        """The names typed, in order, without empty ones."""
        return [r[0].value.strip() for r in self.rows if r[0].value.strip()]

    def _enter(self, rows: Any) -> None:  # type: ignore[override]
        """Type a whole table (``[(name, transactions, capital[, kind]), ...]``); one change event."""
        self._silent = True
        try:
            for entry in list(self.rows):
                self.rows.remove(entry)
                for widget in entry:
                    widget.close()
            for name, transactions, capital, *kind in rows:
                self._add_row(name, transactions, capital, kind[0] if kind else "official", announce=False)
        finally:
            self._silent = False
        self._changed()

    def show_error(self, error: InputError | None) -> None:
        super().show_error(error)
        row = None if error is None else error.params.get("row")
        for number, entry in enumerate(self.rows, start=1):
            if number == row:
                entry[-1].add_class("ck-invalid-row")
            else:
                entry[-1].remove_class("ck-invalid-row")

    def set_lang(self, lang: str) -> None:
        typed = []
        for _name, transactions, capital, _remove, _kind, _row in self.rows:
            pair = []
            for text in (transactions, capital):
                try:
                    pair.append(self._typed(text, "member_transactions"))
                except InputError:
                    pair.append(None)  # left as typed: its message is translated by the refresh
            typed.append(pair)
        super().set_lang(lang)
        self._silent = True
        try:
            for (_name, transactions, capital, _remove, _kind, _row), pair in zip(self.rows, typed, strict=True):
                for text, number in zip((transactions, capital), pair, strict=True):
                    if number is not None:
                        text.value = self._format(number)
        finally:
            self._silent = False

    def close(self) -> None:
        for entry in self.rows:
            for widget in entry:
                widget.close()
        for widget in (self.header, self.grid, self.add_button, self.note, self.warning):
            widget.close()
        super().close()


class MemberChoice(Control):
    """Which member to compare with and without the cooperative (a drop-down of the table's names)."""

    def __init__(self, field: str, names: list[str], lang: str) -> None:
        super().__init__(field, lang)
        self.dropdown = widgets.Dropdown(options=names, value=names[0] if names else None,
                                         layout=widgets.Layout(width="16em"))
        self.dropdown.add_class("ck-member-choice")
        self.dropdown.observe(self._changed, "value")
        self.box = self._box()

    def _inputs(self) -> list[widgets.Widget]:
        return [self.dropdown]

    def update(self, names: list[str]) -> None:
        """Offer ``names``, keeping the chosen member when still there (no change event)."""
        if list(self.dropdown.options) == names:
            return
        current = self.dropdown.value
        self._silent = True
        try:
            self.dropdown.options = names
            self.dropdown.value = current if current in names else (names[0] if names else None)
        finally:
            self._silent = False

    def read(self) -> str:  # type: ignore[override]
        if self.dropdown.value not in self.dropdown.options or self.dropdown.value is None:
            raise self.error("unknown_member", self.dropdown.value)
        return self.dropdown.value

    def _enter(self, name: str) -> None:  # type: ignore[override]
        self.dropdown.value = name


@dataclass(frozen=True)
class MemberIncomeResult:
    """What the app shows: the distribution, one member's comparison, the health ratios."""

    distribution: Distribution
    member: str
    comparison: MemberIncome
    health: HealthReport


class MemberIncomeApp(App):
    """Where does the surplus go, what does each member get, and is the cooperative healthy?"""

    name = "member_income"

    def __init__(self, product: str = "ca_phe_nhan_son_la", lang: str | None = None, *, standalone: bool = True):
        self.base_funds: tuple[Fund, ...] = load_funds()
        self.base_members: tuple[Member, ...] = example_members()
        self.headings: dict[str, widgets.HTML] = {}
        for field, key in SECTIONS.items():
            heading = widgets.HTML()
            heading.add_class("ck-section")
            heading.add_class(f"ck-{key.replace('_', '-')}")
            self.headings[field] = heading
        super().__init__(product, lang, standalone=standalone)
        self.product_choice.layout.display = "none"  # about the cooperative, not one product
        self.product_label.layout.display = "none"

    def _render_texts(self) -> None:
        super()._render_texts()
        for field, heading in self.headings.items():
            heading.value = f"<h4>{escape(i18n.tr(f'app.member_income.{SECTIONS[field]}', self.lang))}</h4>"

    def load_product(self, key: str) -> None:
        super().load_product(key)
        children = []
        for control in self.controls:
            if control.field in self.headings:
                children.append(self.headings[control.field])
            children.append(control.box)
        self.controls_box.children = children

    def build_controls(self) -> list[Control]:
        lang = self.lang
        controls: list[Control] = [
            NumberBox("surplus", EXAMPLE_SURPLUS, lang, money=True, check=check_finite),
            OptionChoice("books", "separate", ("separate", "together"), lang,
                         label_of=text_labels("app.member_income.books."), width="11em", css="ck-books"),
            NumberBox("internal_surplus", EXAMPLE_INTERNAL_SURPLUS, lang, money=True, check=check_nonnegative),
            PercentBox("indivisible_internal_rate", DEFAULT_INDIVISIBLE_INTERNAL_RATE, lang, check=_fraction_incl),
            PercentBox("indivisible_external_rate", INDIVISIBLE_EXTERNAL_MINIMUM["cooperative"], lang,
                       check=_fraction_incl),
            PercentBox("income_tax_rate", 0.0, lang, check=_fraction_incl),
            NumberBox("obligations", 0.0, lang, money=True, check=check_nonnegative),
        ]
        for fund in self.base_funds:
            controls.append(PercentBox(f"fund_share:{fund.key}", fund.share, lang, label=fund.share_label(),
                                       check=_fraction_incl))
        controls.append(PercentBox("use_share", DEFAULT_USE_SHARE, lang, check=_fraction_incl, slider_max=1.0))
        table = MemberTable("members", self.base_members, lang)
        controls.append(table)
        coop_price = self.product.raw_price_per_unit if self.product.raw_price_per_unit > 0 else self.product.price_per_unit
        controls += [
            MemberChoice("member", table.names(), lang),
            NumberBox("price_via_coop_per_kg", coop_price, lang, money=True, check=check_positive,
                      unit_key="unit.vnd_per_kg"),
            NumberBox("price_via_trader_per_kg", round(coop_price * TRADER_PRICE_RATIO), lang, money=True,
                      unit_key="unit.vnd_per_kg"),
        ]
        example = Statement()
        for field in ("current_assets", "current_liabilities", "total_assets", "total_liabilities", "revenue",
                      "operating_costs", "depreciation", "loan_payments"):
            check = check_positive if field in ("total_assets", "revenue") else check_nonnegative
            controls.append(NumberBox(field, getattr(example, field), lang, money=True, check=check))
        return controls

    def compute(self) -> MemberIncomeResult:
        table = self.control("members")
        choice = self.control("member")
        choice.update(table.names())
        together = self.control("books").read() == "together"
        values: dict[str, Any] = self.read_all(self.hide_controls(INTERNAL_FIELDS, together))
        funds = [replace(fund, share=values[f"fund_share:{fund.key}"]) for fund in self.base_funds]
        distribution = distribute_surplus(
            values["surplus"], values["members"],
            internal_surplus=None if together else values["internal_surplus"],
            indivisible_internal_rate=values.get("indivisible_internal_rate", DEFAULT_INDIVISIBLE_INTERNAL_RATE),
            indivisible_external_rate=values["indivisible_external_rate"],
            income_tax_rate=values["income_tax_rate"], obligations=values["obligations"], funds=funds,
            use_share=values["use_share"])
        row = distribution.member(values["member"])
        coop_price = values["price_via_coop_per_kg"]
        comparison = member_income(row["transactions"] / coop_price, coop_price, values["price_via_trader_per_kg"],
                                   refund=float(row["total"]))
        statement = Statement(**{field: values[field] for field in (
            "current_assets", "current_liabilities", "total_assets", "total_liabilities", "revenue",
            "operating_costs", "depreciation", "loan_payments")})
        return MemberIncomeResult(distribution, values["member"], comparison, financial_health(statement))

    def control_for(self, err: InputError) -> Control | None:
        if err.field.startswith("member_") or err.field in ("members", "member_kind"):
            return self.control("members")
        if err.field == "fund_share" and "fund" in err.params:
            return self.control(f"fund_share:{err.params['fund']}")
        if err.field == "funds_total_share":
            funds = [c for c in self.controls if c.field.startswith("fund_share:")]
            return funds[-1] if funds else None
        return self.control(err.field)


    # -- results ---------------------------------------------------------------------------
    def _text(self, key: str, **params: object) -> str:
        return i18n.tr(f"app.member_income.{key}", self.lang, **params)

    def render(self, result: MemberIncomeResult) -> tuple[str, Any]:
        lang = self.lang
        d = result.distribution
        self.control("members").show_warnings(list(d.warnings))
        parts = [f"<h4>{escape(self._text('where_heading'))}</h4>"]
        if d.is_loss:
            parts.append(f"<p class='ck-note ck-loss'>⚠ {escape(self._text('loss_note', loss=fmt.money(d.loss, lang)))}</p>")
        elif d.surplus == 0:
            parts.append(f"<p class='ck-note ck-loss'>{escape(self._text('zero_note'))}</p>")
        if not d.accounted_separately:
            parts.append(f"<p class='ck-note ck-books-note'>{escape(self._text('together_note'))}</p>")
        pct = lambda x: fmt.percent(x, lang)  # noqa: E731
        rows = [
            Row("surplus", i18n.tr("field.surplus", lang), d.surplus, strong=True),
            Row("internal_surplus", self._text("internal_surplus"), d.internal_surplus),
            Row("external_surplus", self._text("external_surplus"), d.external_surplus),
            Row("indivisible_fund", self._text("indivisible_fund", internal=pct(d.indivisible_internal_rate),
                                               external=pct(d.indivisible_external_rate)), d.indivisible_fund),
            Row("income_tax", self._text("income_tax", rate=pct(d.income_tax_rate)), d.income_tax),
            Row("obligations", self._text("obligations"), d.obligations),
            Row("funds_total", self._text("funds_total"), d.funds_total),
            Row("to_members", self._text("to_members"), d.to_members, strong=True),
            Row("by_transactions", self._text("by_transactions", share=pct(d.use_share),
                                              minimum=pct(USE_SHARE_MINIMUM)), d.by_transactions),
            Row("by_capital", self._text("by_capital", share=pct(1 - d.use_share)), d.by_capital),
        ]
        parts.append(summary_table(rows, lang))
        if d.obligations_uncovered > 0:
            parts.append(f"<p class='ck-note ck-uncovered'>⚠ "
                         f"{escape(self._text('uncovered_note', amount=fmt.money(d.obligations_uncovered, lang)))}</p>")
        funds = d.funds.assign(name=d.funds["name_en"] if lang == "en" else d.funds["name_vi"])
        parts.append(frame_table(funds, [Column("name", self._text("col_fund"), "text"),
                                         Column("share", self._text("col_share"), "rate"),
                                         Column("amount", self._text("col_amount"))], "key", lang))
        parts.append(f"<h4>{escape(self._text('statement_heading'))}</h4>")
        statement = d.statement.assign(kind_label=[self._text(f"kind.{k}") for k in d.statement["kind"]])
        parts.append(frame_table(statement, [
            Column("member", self._text("col_member"), "text"),
            Column("kind_label", self._text("col_kind"), "text"),
            Column("transactions", self._text("col_transactions")),
            Column("capital", self._text("col_capital")),
            Column("share_of_transactions", self._text("col_share_of_transactions"), "rate"),
            Column("share_of_capital", self._text("col_share_of_capital"), "rate"),
            Column("by_transactions", self._text("col_by_transactions")),
            Column("by_capital", self._text("col_by_capital")),
            Column("total", self._text("col_total")),
        ], "member", lang, strong={result.member}))
        parts.append(self._comparison_html(result))
        parts.append(self._health_html(result.health))
        parts.append(f"<p class='ck-note'>{escape(self._text('sources_note'))}</p>")
        return "".join(parts), member_income_chart(d, lang, highlight=result.member)

    def _comparison_html(self, result: MemberIncomeResult) -> str:
        c, lang = result.comparison, self.lang
        rows = [
            Row("quantity_kg", i18n.tr("field.quantity_kg", lang), c.quantity_kg, kind="number"),
            Row("sales_via_coop", self._text("sales_via_coop", price=fmt.money(c.price_via_coop_per_kg, lang)),
                c.sales_via_coop),
            Row("refund", i18n.tr("field.refund", lang), c.refund),
            Row("income_with_coop", self._text("income_with_coop"), c.income_with_coop, strong=True),
            Row("income_without_coop", self._text("income_without_coop",
                                                  price=fmt.money(c.price_via_trader_per_kg, lang)),
                c.income_without_coop, strong=True),
            Row("gain", self._text("gain"), c.gain, strong=True),
        ]
        heading = escape(self._text("member_heading", member=result.member))
        return f"<h4>{heading}</h4>" + summary_table(rows, lang)

    def _health_html(self, report: HealthReport) -> str:
        lang = self.lang
        head = "".join(f"<th>{escape(self._text(k))}</th>" for k in ("col_ratio", "col_value", "col_band", "col_meaning"))
        lines = [f"<h4>{escape(self._text('health_heading'))}</h4>",
                 f"<table class='ck-frame ck-health'><thead><tr>{head}</tr></thead><tbody>"]
        for r in report.ratios:
            kind = "rate" if r.ratio in ("debt_to_assets", "operating_profit_margin") else "number"
            shown = "∞" if math.isinf(r.value) else format_kind(r.value, kind, lang)
            raw = repr(float(r.value)) if math.isfinite(r.value) else ""
            band = escape(i18n.tr(f"health.band.{r.band}", lang))
            lines.append(
                f"<tr data-row='{r.ratio}'><th>{escape(i18n.tr(f'field.{r.ratio}', lang))}</th>"
                f"<td class='ck-num' data-key='health:{r.ratio}' data-value='{raw}'>{shown}</td>"
                f"<td class='ck-band ck-band-{r.band}' data-key='band:{r.ratio}' data-band='{r.band}' "
                f"style='background:{BAND_COLOURS[r.band]}'>{band}</td>"
                f"<td class='ck-text'>{escape(r.sentence(lang))}</td></tr>"
            )
        lines.append("</tbody></table>")
        lines.append(f"<p class='ck-note'>{escape(self._text('health_sources'))}</p>")
        return "".join(lines)
