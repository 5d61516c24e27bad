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

from coopkit import fmt, i18n
from coopkit.errors import InputError
from coopkit.health import HealthReport, Statement, financial_health
from coopkit.members import (
    DEFAULT_INDIVISIBLE_INTERNAL_RATE,
    DEFAULT_USE_SHARE,
    INDIVISIBLE_EXTERNAL_MINIMUM,
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
from coopkit.ui.controls import MAX_MEMBERS, Control, MemberTable, NumberBox, OptionChoice, PercentBox, text_labels
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
    books_tables = ("members",)

    def __init__(self, product: str = "ca_phe_nhan_son_la", lang: str | None = None, *, standalone: bool = True,
                 store_root: str | None = None):
        self.store_root = store_root
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

    def use_books(self, books: Any, owner: str, file_name: str) -> tuple[str, dict[str, Any]]:
        """The members table from the books' members: each member's capital, and as what they
        sold through the cooperative their volume times the price the cooperative pays (the
        box ``price_via_coop_per_kg`` as it is now)."""
        if books.members is None or books.members.empty:
            raise InputError("owner", reason="own_books_no_members", value=owner, file=file_name)
        price = self.typed_values("price_via_coop_per_kg").get("price_via_coop_per_kg")
        if price is None:
            price = self.product.raw_price_per_unit or self.product.price_per_unit
        members = books.members.members(price_per_unit=price)
        if len(members) > MAX_MEMBERS:
            raise InputError("owner", reason="own_books_too_many_members", value=owner, file=file_name,
                             count=len(members), limit=MAX_MEMBERS)
        self.control("members").value = [(m.name, m.transactions, m.capital, m.kind) for m in members]
        return "opened_members", {"owner": owner, "file": file_name, "count": len(members)}

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
