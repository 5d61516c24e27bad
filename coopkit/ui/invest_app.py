"""The investment app: an equipment template, its financing and loan → payment, NPV, IRR, payback.

The manager picks a machine or building from ``datasets/equipment.csv`` (coffee dryer, tea
roller, net house, cold store), changes its price, life, salvage value, extra revenue or
savings and running cost, the grant, the loan and its terms; the cooperative's own funds are
the rest of the price. One call to `coopkit.investment.appraise` makes the results; see
`coopkit.ui.base.App`.

The App shell's picker offers *equipment* templates here (`InvestmentApp.load_templates`), so
the shell's ``products``, ``product_key`` and ``product`` are equipment.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import pandas as pd

from coopkit import i18n
from coopkit.errors import InputError
from coopkit.investment import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_LOAN,
    MAX_LIFE_YEARS,
    Appraisal,
    Equipment,
    Investment,
    appraise,
    fully_financed_text,
    load_equipment,
    verdict_text,
)
from coopkit.loans import FREQUENCIES, MAX_LOAN_MONTHS, METHODS, Loan
from coopkit.plots.finance import investment_stack
from coopkit.ui.base import App
from coopkit.ui.controls import Control, NumberBox, OptionChoice, PercentBox, text_labels
from coopkit.ui.tables import Column, Row, frame_table, summary_table
from coopkit.validate import check_nonnegative, check_positive

__all__ = ["ChoiceBox", "InvestmentApp", "LOAN_FIELDS"]

#: Inputs about the loan's terms: hidden (and not read) while the loan amount is 0.
LOAN_FIELDS = ("annual_rate", "months", "loan_method", "grace_months", "payments_per_year")
#: Where a missing IRR is explained: the box that most changes the cash flows concerned.
IRR_NOTE_BESIDE = {"project_cash_flows": "extra_revenue_per_year", "own_cash_flows": "loan_amount"}


def ChoiceBox(field: str, value: object, options: Sequence[object], lang: str, *, text_key: str,  # noqa: N802
              buttons: bool = True) -> OptionChoice:
    """One of a few fixed options; each option's label is the catalogue text ``<text_key><option>``."""
    return OptionChoice(field, value, options, lang, label_of=text_labels(text_key), buttons=buttons,
                        width="16em" if buttons else "11em")


class InvestmentApp(App):
    """Is a machine worth buying, and can the cooperative carry the loan?"""

    name = "investment"

    def __init__(self, equipment: str = "may_say_ca_phe", lang: str | None = None, *, standalone: bool = True):
        super().__init__(equipment, lang, standalone=standalone)
        self.product_choice.add_class("ck-equipment")

    def load_templates(self) -> dict[str, Equipment]:
        """The picker offers the equipment templates (``datasets/equipment.csv``)."""
        return load_equipment()

    def _render_texts(self) -> None:
        super()._render_texts()
        self.product_label.value = i18n.tr("field.equipment", self.lang)

    def build_controls(self) -> list[Control]:
        lang, template = self.lang, self.product
        price = template.purchase_price
        money_year = "app.investment.unit_vnd_per_year"
        months = "app.investment.unit_months"
        return [
            NumberBox("purchase_price", price, lang, money=True, check=check_positive),
            NumberBox("useful_life_years", template.useful_life_years, lang, check=check_positive,
                      unit_key="app.investment.unit_years", maximum=MAX_LIFE_YEARS),
            NumberBox("salvage_value", template.salvage_value, lang, money=True),
            NumberBox("extra_revenue_per_year", template.extra_revenue_per_year, lang, money=True, unit_key=money_year),
            NumberBox("running_cost_per_year", template.running_cost_per_year, lang, money=True, unit_key=money_year),
            PercentBox("discount_rate", DEFAULT_DISCOUNT_RATE, lang, check=check_nonnegative),
            NumberBox("grant", template.grant, lang, money=True),
            NumberBox("loan_amount", template.loan_amount, lang, money=True),
            PercentBox("annual_rate", DEFAULT_LOAN["annual_rate"], lang, check=check_nonnegative),
            NumberBox("months", DEFAULT_LOAN["months"], lang, check=check_positive, unit_key=months,
                      maximum=MAX_LOAN_MONTHS),
            ChoiceBox("loan_method", DEFAULT_LOAN["method"], METHODS, lang, text_key="app.investment.method_"),
            NumberBox("grace_months", DEFAULT_LOAN["grace_months"], lang, unit_key=months, maximum=MAX_LOAN_MONTHS),
            ChoiceBox("payments_per_year", DEFAULT_LOAN["payments_per_year"], FREQUENCIES, lang,
                      text_key="app.investment.freq_", buttons=False),
        ]

    def _has_loan(self) -> bool:
        """Whether the loan box holds an amount above 0 (a bad amount counts as a loan)."""
        try:
            return self.control("loan_amount").read() > 0
        except InputError:
            return True

    def compute(self) -> Appraisal:
        v: dict[str, Any] = self.read_all(self.hide_controls(LOAN_FIELDS, hidden=not self._has_loan()))
        loan = None
        if v["loan_amount"] > 0:
            loan = Loan(v["loan_amount"], v["annual_rate"], v["months"], method=v["loan_method"],
                        grace_months=v["grace_months"], payments_per_year=v["payments_per_year"])
        investment = Investment(
            purchase_price=v["purchase_price"],
            useful_life_years=v["useful_life_years"],
            salvage_value=v["salvage_value"],
            extra_revenue_per_year=v["extra_revenue_per_year"],
            running_cost_per_year=v["running_cost_per_year"],
            grant=v["grant"],
            loan=loan,
            discount_rate=v["discount_rate"],
        )
        return appraise(investment)

    def refresh(self, _change: object = None) -> None:
        """As the shell does; then a missing IRR is explained beside the box behind it."""
        super().refresh(_change)
        if self.error is not None or self.result is None:
            return
        for err in (self.result.project_irr_error, self.result.own_irr_error):
            control = self.control(IRR_NOTE_BESIDE[err.field]) if err is not None else None
            if control is not None and not control.error_text:
                control.show_error(err)

    def render(self, result: Appraisal) -> tuple[str, Any]:
        lang = self.lang

        def text(key: str, **params: str) -> str:
            return i18n.tr(f"app.investment.{key}", lang, **params)

        def rate_or_none(value: float | None) -> tuple[object, str]:
            return (value, "rate") if value is not None else (text("none"), "text")

        def years_or_never(value: float | None) -> tuple[object, str]:
            return (value, "number") if value is not None else (i18n.tr("invest.never", lang), "text")

        rows = [Row("own_funds", text("own_funds"), result.own_funds)]
        loan = result.loan
        if loan is not None:
            if loan.grace_payment > 0:
                rows.append(Row("grace_payment", text("grace_payment"), loan.grace_payment))
            rows += [
                Row("first_instalment", text("first_instalment"), loan.first_instalment, strong=True),
                Row("last_payment", text("last_payment"), loan.last_payment),
                Row("total_interest", text("total_interest"), loan.total_interest),
            ]
        rows.append(Row("project_npv", text("project_npv"), result.project_npv, strong=True))
        rows.append(Row("project_irr", text("project_irr"), *rate_or_none(result.project_irr)))
        rows.append(Row("project_payback_years", text("project_payback"), *years_or_never(result.project_payback_years)))
        rows.append(Row("project_discounted_payback_years", text("project_discounted_payback"),
                        *years_or_never(result.project_discounted_payback_years)))
        rows.append(Row("own_npv", text("own_npv"), result.own_npv))
        if result.fully_financed:  # no own money put in: nothing to pay back, no rate it earns (said below)
            rows.append(Row("own_irr", text("own_irr"), text("no_own_funds"), kind="text"))
            rows.append(Row("own_payback_years", text("own_payback"), text("no_own_funds"), kind="text"))
        else:
            rows.append(Row("own_irr", text("own_irr"), *rate_or_none(result.own_irr)))
            rows.append(Row("own_payback_years", text("own_payback"), *years_or_never(result.own_payback_years)))

        verdict = (f"<h4>{escape(text('verdict'))}</h4>"
                   f"<p class='ck-verdict' data-verdict='{result.verdict}'>{escape(verdict_text(result, lang))}</p>")
        financed = fully_financed_text(result, lang)
        if financed is not None:
            verdict += f"<p class='ck-note ck-fully-financed'>{escape(financed)}</p>"
        parts = [summary_table(rows, lang), verdict]
        if loan is not None:
            parts.append(f"<h4>{escape(text('schedule'))}</h4>{self._schedule_html(loan.schedule)}")
        else:
            parts.append(f"<p class='ck-note'>{escape(text('no_loan'))}</p>")
        yearly = [
            Column("year", text("year"), "count"),
            Column("project_cash_flow", text("project_cash_flow")),
            Column("loan_payment", text("loan_payment")),
            Column("own_cash_flow", text("own_cash_flow")),
            Column("cumulative_own", text("cumulative_own")),
            Column("profit", text("profit")),
        ]
        strong = {str(y) for y in result.shortfall_years}
        parts.append(f"<h4>{escape(text('yearly'))}</h4>"
                     f"<div class='ck-scroll ck-yearly' style='max-height:22em;overflow:auto'>"
                     f"{frame_table(result.table, yearly, 'year', lang, strong=strong)}</div>")
        parts.append(f"<p class='ck-note'>{escape(text('note'))}</p>")
        # The dataset's source notes are for maintainers (English, with references); the page says what they mean.
        source_key = "source_assumption" if self.product.is_assumption else "source_reported"
        parts.append(f"<p class='ck-note ck-source'>{escape(text(source_key))}</p>")
        return "".join(parts), investment_stack(result, lang)

    def _schedule_html(self, schedule: pd.DataFrame) -> str:
        lang = self.lang

        def text(key: str) -> str:
            return i18n.tr(f"app.investment.{key}", lang)

        total = text("total")
        sums = schedule[["payment", "interest", "principal"]].sum()
        table = pd.concat([schedule.astype({"period": object}),
                           pd.DataFrame([{"period": total, **sums.to_dict(), "balance": float("nan")}])],
                          ignore_index=True)
        columns = [
            Column("period", text("period"), "count"),
            Column("payment", text("payment")),
            Column("interest", text("interest")),
            Column("principal", text("principal")),
            Column("balance", text("balance")),
        ]
        html = frame_table(table, columns, "period", lang, strong={total})
        return f"<div class='ck-scroll ck-schedule' style='max-height:18em;overflow:auto'>{html}</div>"
