"""Seasonal cash flow: can the cooperative pay its bills in the lean months before harvest?

Profit is not cash. A coffee cooperative may end the season with a good profit and still be
unable to pay its members for their cherry in November, because the buyers pay for the green
coffee only in January to April. The cash plan follows the money month by month:

    cash at the end of a month = cash at its start + money in − money out

Money in (``INFLOWS``): sales receipts, loan disbursements, other receipts (a grant, members'
contributions). Money out (``OUTFLOWS``): inputs, wages, payments to members for their
produce, loan instalments, other payments. Every amount is positive VND; the name says which
way it goes. `cash_flow_plan` gives the month-end cash, the **worst month** (lowest month-end
cash) and the **credit line needed** so that the month-end cash never falls below a chosen
minimum: ``max(0, minimum_cash − lowest month-end cash)``.

Months: a plan runs ``months`` months (12 by default) from ``start_month`` (1 = January): a
coffee plan may run from May, when the last sales are in, to April. Calendars by month
(`SEASON_CALENDARS`, `monthly_sales`) are written January first, like
`coopkit.yields.HARVEST_CALENDARS`; `in_season_order` turns them into the plan's order.

Conventions: cash is checked at the end of each month (within a month payments may come
before receipts: keep a minimum cash for that); the credit line is drawn when needed and
repaid as soon as cash allows, and its interest is not counted. Depreciation is a cost but
not a payment, so it is not in the cash plan; a loan's principal is a payment but not a cost.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import Shown, register_fields
from coopkit.validate import check_finite, check_nonnegative, check_object, check_positive
from coopkit.yields import HARVEST_CALENDARS, check_calendar

if TYPE_CHECKING:
    from coopkit.data import ProductTemplate

__all__ = [
    "INFLOWS",
    "OUTFLOWS",
    "MONTHS_IN_YEAR",
    "MAX_MONTHS",
    "SEASON_CALENDARS",
    "CashCalendar",
    "CashFlowPlan",
    "LoanCashFlows",
    "SeasonFlows",
    "cash_calendar",
    "cash_flow_plan",
    "credit_line_needed",
    "in_season_order",
    "loan_cash_flows",
    "month_name",
    "monthly_sales",
    "season_flows",
    "season_months",
]

#: Money coming in, by kind (keyword arguments of `cash_flow_plan`, columns of its table).
INFLOWS: tuple[str, ...] = ("sales_receipts", "loan_disbursements", "other_receipts")
#: Money going out, by kind.
OUTFLOWS: tuple[str, ...] = ("input_payments", "wage_payments", "member_payments", "loan_instalments",
                             "other_payments")

register_fields(
    {
        **{name: "money" for name in INFLOWS + OUTFLOWS},
        "opening_cash": "money",
        "minimum_cash": "money",
        "month_end_cash": "money",
        "credit_line": "money",
        "start_month": "count",
        "cash_month": "count",
        "cash_months": "count",
        "loan_month": "count",
        "sales_calendar": "rate",
        "loan_schedule": "text",
        "period_months": "count",
        # the cash-flow app's loan inputs (coopkit.ui.cashflow_app)
        "with_loan": "text",
        "loan_amount": "money",
        "loan_rate": "rate",
        "loan_months": "count",
        "loan_grace_months": "count",
        "loan_kind": "text",
    }
)

MONTHS_IN_YEAR = 12
#: Longest plan `cash_flow_plan` accepts, in months (five years).
MAX_MONTHS = 60


# -- checks -------------------------------------------------------------------------------------


def _check_month(field: str, month: object, last: int = MONTHS_IN_YEAR) -> int:
    number = check_finite(field, month)
    if number != int(number) or not 1 <= number <= last:
        raise InputError(field, reason="cash_month_out_of_range", value=number, cash_months=last)
    return int(number)


def _check_months(months: object) -> int:
    number = check_finite("cash_months", months)
    if number != int(number) or not 1 <= number <= MAX_MONTHS:
        raise InputError("cash_months", reason="months_out_of_range", value=number, limit=MAX_MONTHS)
    return int(number)


def _check_list(field: str, values: object) -> list:
    """``values`` as a list; bad input when it is text, a single number or nothing."""
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__len__") or not hasattr(values, "__iter__"):
        raise InputError(field, reason="cash_not_a_list", text=str(values))
    return list(values)


def _check_amount(field: str, value: object, month: int) -> float:
    """One month's amount, a finite number; a blank month (None, NaN: an empty cell) or text
    names its month, so a manager finds the cell."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, Real) and math.isnan(value)):
        raise InputError(field, reason="cash_month_empty", cash_month=month)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(field, reason="cash_cell_not_a_number", text=str(value), cash_month=month)
    number = float(value)
    if not math.isfinite(number):
        raise InputError(field, reason="cash_month_not_finite", value=number, cash_month=month)
    return number


def _check_series(field: str, values: Sequence[float] | None, months: int, start_month: int) -> np.ndarray:
    """``months`` amounts, each a finite number zero or more; none given: all zero."""
    if values is None:
        return np.zeros(months)
    values = _check_list(field, values)
    if len(values) != months:
        raise InputError(field, reason="cash_wrong_months", value=len(values), cash_months=months)
    checked = np.empty(months)
    for index, (value, month) in enumerate(zip(values, season_months(start_month, months))):
        number = _check_amount(field, value, month)
        if number < 0:
            raise InputError(field, reason="cash_negative_amount", value=number, cash_month=month)
        checked[index] = number
    return checked


def _even(months: Sequence[int]) -> tuple[float, ...]:
    """Equal shares over the calendar ``months`` (1–12), zero elsewhere, January first."""
    share = 1.0 / len(months)
    return tuple(share if month in months else 0.0 for month in range(1, MONTHS_IN_YEAR + 1))


def _shares(**by_month: float) -> tuple[float, ...]:
    """Shares by month name abbreviation (``jan=0.2, oct=0.15``), January first."""
    names = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return tuple(float(by_month.get(name, 0.0)) for name in names)


@dataclass(frozen=True)
class CashCalendar:
    """When a product's money moves, as shares of the season by month (January first).

    Attributes
    ----------
    sales
        When buyers pay: shares of the season's sales.
    harvest
        When the product is made: payments to members for their produce (raw material) and
        the costs per kg or per batch (picking, processing, packaging, delivery).
    inputs
        When the inputs and care per hectare are paid (fertiliser, pesticides, seed, care labour).
    work
        When the season's fixed payments are made (staff, seasonal workers, certification, land lease).
    source
        Where the shares come from.
    """

    sales: tuple[float, ...]
    harvest: tuple[float, ...]
    inputs: tuple[float, ...]
    work: tuple[float, ...]
    source: str = "illustrative assumption"

    def __post_init__(self) -> None:
        for name in ("sales", "harvest", "inputs", "work"):
            object.__setattr__(self, name, check_calendar(getattr(self, name), "sales_calendar"))


_ALL_YEAR = _even(range(1, 13))
_COFFEE_HARVEST = _shares(oct=0.15, nov=0.35, dec=0.35, jan=0.15)

#: Cash calendars of the product templates (`CashCalendar`). Products not listed here sell,
#: make and pay evenly over their season (`cash_calendar`). All shares are illustrative
#: assumptions; the windows are as commonly reported:
#:
#: - oranges of Lạc Thủy: picked and sold October to January (`coopkit.yields.HARVEST_CALENDARS`),
#:   fertiliser and care from February to September;
#: - coffee of Sơn La: cherry picked and bought from members October to January (the Vietnamese
#:   harvest "starts in October and lasts until January or February", Tarmo Coffee, "Our
#:   farmers", tarmocoffee.com/pages/our-farmers); green coffee sold December to April, after
#:   drying and hulling; seasonal workers and cupping paid in the picking months;
#: - winter melon of Điện Biên: planted February–March, sold May to July;
#: - Hà Giang honey: harvested October to December (mint-flower honey), bottled and sold all year;
#: - Tà Xùa Shan tuyết tea: shoots picked March to October, most in spring; sold all year.
SEASON_CALENDARS: dict[str, CashCalendar] = {
    "cam_lac_thuy": CashCalendar(
        sales=HARVEST_CALENDARS["cam_lac_thuy"],
        harvest=HARVEST_CALENDARS["cam_lac_thuy"],
        inputs=_even(range(2, 10)),
        work=_ALL_YEAR,
    ),
    "ca_phe_nhan_son_la": CashCalendar(
        sales=_shares(dec=0.10, jan=0.25, feb=0.30, mar=0.25, apr=0.10),
        harvest=_COFFEE_HARVEST,
        inputs=_COFFEE_HARVEST,
        work=_even((10, 11, 12, 1)),
    ),
    "ca_phe_honey_son_la": CashCalendar(
        sales=_shares(jan=0.20, feb=0.30, mar=0.30, apr=0.20),
        harvest=_COFFEE_HARVEST,
        inputs=_COFFEE_HARVEST,
        work=_even((10, 11, 12, 1)),
    ),
    "bi_xanh_dien_bien": CashCalendar(
        sales=HARVEST_CALENDARS["bi_xanh_dien_bien"],
        harvest=HARVEST_CALENDARS["bi_xanh_dien_bien"],
        inputs=_shares(feb=0.30, mar=0.30, apr=0.20, may=0.20),
        work=_even(range(2, 8)),
    ),
    "mat_ong": CashCalendar(
        sales=_ALL_YEAR,
        harvest=_shares(oct=0.30, nov=0.40, dec=0.30),
        inputs=_ALL_YEAR,
        work=_ALL_YEAR,
    ),
    "che_shan_tuyet": CashCalendar(
        sales=_ALL_YEAR,
        harvest=_shares(mar=0.20, apr=0.25, may=0.15, jun=0.10, jul=0.10, aug=0.10, sep=0.05, oct=0.05),
        inputs=_ALL_YEAR,
        work=_ALL_YEAR,
    ),
}


# -- months and calendars ----------------------------------------------------------------------


def season_months(start_month: int = 1, months: int = MONTHS_IN_YEAR) -> tuple[int, ...]:
    """The calendar month (1–12) of each month of a plan starting in ``start_month``.

    Examples
    --------
    A coffee cooperative plans from May, after its last sales, to April:

    >>> season_months(5)
    (5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4)
    """
    start = _check_month("start_month", start_month)
    count = _check_months(months)
    return tuple((start - 1 + k) % MONTHS_IN_YEAR + 1 for k in range(count))


def month_name(month: int, lang: str | None = None, *, short: bool = False, in_sentence: bool = False) -> str:
    """`coopkit.fmt.month_name` of a checked month (1–12; a bad one names the field ``cash_month``).

    >>> month_name(11, "vi"), month_name(2, "vi", in_sentence=True)
    ('Tháng 11', 'tháng 2')
    """
    from coopkit.fmt import month_name as name

    return name(_check_month("cash_month", month), lang, short=short, in_sentence=in_sentence)


def in_season_order(values_jan_first: Sequence[float], start_month: int = 1, *,
                    field: str = "cash_months") -> tuple[float, ...]:
    """Twelve monthly values written January first, put in the order of a plan from ``start_month``.

    Each value must be a finite number; a bad one is reported as ``field`` in its calendar month.

    Examples
    --------
    >>> in_season_order([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], start_month=10)
    (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    """
    values = tuple(_check_list(field, values_jan_first))
    if len(values) != MONTHS_IN_YEAR:
        raise InputError(field, reason="cash_wrong_months", value=len(values), cash_months=MONTHS_IN_YEAR)
    for month, value in enumerate(values, start=1):
        _check_amount(field, value, month)
    return tuple(values[month - 1] for month in season_months(start_month))


def monthly_sales(revenue: float, calendar: Sequence[float]) -> tuple[float, ...]:
    """A season's sales (VND) spread over the months by a sales calendar (January first).

    Parameters
    ----------
    revenue
        VND the season's sales bring in (zero or more).
    calendar
        Twelve shares of the sales, January to December, none negative, adding up to 1.

    Examples
    --------
    Lạc Thủy sells 160 tonnes of oranges at 16 000 đ/kg: 2.56 billion đồng, 35 % of it in
    December, before Tết.

    >>> from coopkit.yields import HARVEST_CALENDARS
    >>> sales = monthly_sales(160_000 * 16_000, HARVEST_CALENDARS["cam_lac_thuy"])
    >>> sales[11], sales[0], sales[5]
    (896000000.0, 512000000.0, 0.0)
    """
    revenue = check_nonnegative("sales_receipts", revenue)
    return tuple(revenue * share for share in check_calendar(calendar, "sales_calendar"))


def cash_calendar(template: ProductTemplate) -> CashCalendar:
    """The cash calendar of a product template: `SEASON_CALENDARS`, or an even spread.

    A template not listed sells, makes and pays evenly over its ``season_months`` from
    January (eggs, pickles: the same every month) and pays its fixed costs over the year.

    >>> from coopkit.data import load_products
    >>> eggs = cash_calendar(load_products()["trung_son_nam"])
    >>> eggs.sales == eggs.harvest == tuple([1 / 12] * 12)
    True
    """
    from coopkit.data import ProductTemplate

    check_object("product", template, ProductTemplate)
    if template.key in SEASON_CALENDARS:
        return SEASON_CALENDARS[template.key]
    months = min(max(int(template.season_months), 1), MONTHS_IN_YEAR)
    season = _even(range(1, months + 1))
    return CashCalendar(sales=season, harvest=season, inputs=season, work=_ALL_YEAR)


# -- from a product template to monthly payments ------------------------------------------------

#: Names kept for one release: the dataset's key prefixes, no longer read. What an item is comes
#: from the ``category`` column of ``datasets/product_costs.csv`` (`coopkit.data.COST_CATEGORIES`).
_DEPRECATED_KEY_PREFIXES = {
    "WAGE_KEYS": ("cong_", "luong_", "lao_dong", "nhan_vien"),
    "NOT_PAID_KEYS": ("khau_hao", "lai_vay"),
}


def __getattr__(name: str) -> tuple[str, ...]:
    if name in _DEPRECATED_KEY_PREFIXES:
        warnings.warn(f"coopkit.cashflow.{name} is deprecated: a cost item's category is read from the "
                      "'category' column of product_costs.csv (ProductTemplate.cost_category)",
                      DeprecationWarning, stacklevel=2)
        return _DEPRECATED_KEY_PREFIXES[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class SeasonFlows:
    """A product template's money by month, January first (the starting point of a cash plan).

    Attributes
    ----------
    product
        The template's key.
    revenue
        Volume × price: what the season's sales bring in (VND).
    calendar
        The `CashCalendar` used.
    sales_receipts, input_payments, wage_payments, member_payments, other_payments
        Twelve amounts each (VND, January first).
    depreciation, interest
        The template's costs left out of the payments: depreciation and interest (VND a season).
    start_month
        A sensible first month for the plan: the month after the last sales of the season
        (1 when there are sales every month).
    """

    product: str
    revenue: float
    calendar: CashCalendar
    sales_receipts: tuple[float, ...]
    input_payments: tuple[float, ...]
    wage_payments: tuple[float, ...]
    member_payments: tuple[float, ...]
    other_payments: tuple[float, ...]
    depreciation: float
    interest: float
    start_month: int

    def payments(self) -> float:
        """All the season's payments (VND)."""
        return math.fsum(sum(getattr(self, name)) for name in
                         ("input_payments", "wage_payments", "member_payments", "other_payments"))


def _first_month_after_sales(sales: Sequence[float]) -> int:
    for month in range(1, MONTHS_IN_YEAR + 1):
        before = sales[(month - 2) % MONTHS_IN_YEAR]
        if sales[month - 1] == 0 and before > 0:
            return month
    return 1


def season_flows(template: ProductTemplate, calendar: CashCalendar | None = None) -> SeasonFlows:
    """Spread a product template's sales and cost items over the months they are paid.

    Each cost item's season total (`coopkit.costs.CostItem.season_total`) is paid by a rule
    (an illustrative assumption, to replace with the cooperative's own cash book):

    - the raw material bought from members (coffee cherry, tea shoots, raw honey): payments
      to members, in the harvest months;
    - labour (category ``labour`` in ``product_costs.csv``, `ProductTemplate.cost_category`):
      wages; per kg or per batch in the harvest months, per hectare with the inputs, per season
      over the work months;
    - other items per hectare: inputs, with the inputs; per kg or per batch: inputs, in the
      harvest months; per season: other payments, over the work months;
    - depreciation and interest (categories ``depreciation``, ``interest``) are left out (see
      `SeasonFlows`).

    Examples
    --------
    The Sơn La coffee cooperative pays its members for cherry from October to January but is
    paid for its green coffee from December to April:

    >>> from coopkit.data import load_products
    >>> flows = season_flows(load_products()["ca_phe_nhan_son_la"])
    >>> round(flows.revenue / 1e6), round(sum(flows.member_payments) / 1e6), flows.start_month
    (3680, 2900, 5)
    >>> round(flows.member_payments[10] / 1e6), flows.sales_receipts[10]
    (1015, 0.0)
    """
    cal = calendar if calendar is not None else cash_calendar(template)
    check_object("sales_calendar", cal, CashCalendar)
    volume = template.volume_per_season
    revenue = volume * template.price_per_unit
    totals = {name: np.zeros(MONTHS_IN_YEAR) for name in
              ("input_payments", "wage_payments", "member_payments", "other_payments")}
    depreciation = interest = 0.0
    for item in template.all_cost_items():
        amount = item.season_total(volume, template.area_ha, template.units_per_batch)
        category = template.cost_category(item.key)
        if category == "depreciation":
            depreciation += amount
            continue
        if category == "interest":
            interest += amount
            continue
        if category == "raw_material":
            totals["member_payments"] += amount * np.array(cal.harvest)
            continue
        timing = {"unit": cal.harvest, "batch": cal.harvest, "ha": cal.inputs, "season": cal.work}[item.basis]
        if category == "labour":
            kind = "wage_payments"
        elif item.basis == "season" or (item.basis == "ha" and item.kind == "fixed"):
            kind = "other_payments"
        else:
            kind = "input_payments"
        if item.basis == "ha" and item.kind == "fixed":
            timing = cal.work  # a land lease is paid like the season's fixed costs
        totals[kind] += amount * np.array(timing)
    sales = monthly_sales(revenue, cal.sales)
    return SeasonFlows(
        product=template.key,
        revenue=revenue,
        calendar=cal,
        sales_receipts=sales,
        **{name: tuple(float(v) for v in values) for name, values in totals.items()},
        depreciation=depreciation,
        interest=interest,
        start_month=_first_month_after_sales(cal.sales),
    )


# -- loans --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanCashFlows:
    """A loan's money in a cash plan, month by month in the plan's order.

    Attributes
    ----------
    loan_disbursements
        The loan paid out, in the month it is received.
    loan_instalments
        The instalments (principal + interest) that fall inside the plan.
    interest
        The interest part of those instalments.
    owed_at_end
        Principal still owed after the plan's last month.
    """

    loan_disbursements: tuple[float, ...]
    loan_instalments: tuple[float, ...]
    interest: tuple[float, ...]
    owed_at_end: float


def loan_cash_flows(
    principal: float,
    schedule: pd.DataFrame,
    loan_month: int = 1,
    months: int = MONTHS_IN_YEAR,
    period_months: int = 1,
) -> LoanCashFlows:
    """Place a loan and its repayment schedule in the months of a cash plan.

    The loan is received in plan month ``loan_month``; instalment ``k`` of the schedule is
    paid ``k × period_months`` months later (a loan received in May is first repaid in June).
    Instalments after the plan's last month are not in the plan: what is still owed then is
    ``owed_at_end``.

    Parameters
    ----------
    principal
        VND received (more than zero): the loan the schedule repays (its first period's
        principal part plus the balance left after it).
    schedule
        A repayment schedule with columns ``period``, ``payment``, ``interest`` and
        ``balance``, such as `coopkit.loans.loan_schedule` makes for ``principal``.
    loan_month
        Month of the plan (1 = its first month) in which the loan is received.
    months
        Months in the plan.
    period_months
        Months between two instalments (1 monthly, 3 quarterly, 12 yearly).

    Examples
    --------
    A 300 million đồng loan received in the 5th month of the plan, repaid in 3 equal parts of
    the loan plus 1 % interest a month on what is owed:

    >>> schedule = pd.DataFrame({"period": [1, 2, 3], "payment": [103e6, 102e6, 101e6],
    ...                          "interest": [3e6, 2e6, 1e6], "balance": [200e6, 100e6, 0.0]})
    >>> flows = loan_cash_flows(300e6, schedule, loan_month=5, months=7)
    >>> [round(x / 1e6) for x in flows.loan_disbursements], [round(x / 1e6) for x in flows.loan_instalments]
    ([0, 0, 0, 0, 300, 0, 0], [0, 0, 0, 0, 0, 103, 102])
    >>> flows.owed_at_end
    100000000.0
    """
    principal = check_positive("loan_disbursements", principal)
    months = _check_months(months)
    start = _check_month("loan_month", loan_month, months)
    every = check_finite("period_months", period_months)
    if every not in (1, 3, 12):
        raise InputError("period_months", reason="cash_period_months", value=every)
    every = int(every)
    if not isinstance(schedule, pd.DataFrame):
        raise InputError("loan_schedule", reason="cash_bad_schedule", value="period, payment, interest, balance")
    missing = [name for name in ("period", "payment", "interest", "balance") if name not in schedule.columns]
    if missing:
        raise InputError("loan_schedule", reason="cash_bad_schedule", value=", ".join(missing))
    rows = [
        (_check_period(period), check_nonnegative("loan_instalments", payment),
         check_nonnegative("loan_schedule", part_interest), check_nonnegative("loan_schedule", balance))
        for period, payment, part_interest, balance in schedule[["period", "payment", "interest", "balance"]]
        .itertuples(index=False)
    ]
    if rows:
        _, payment, part_interest, balance = rows[0]
        repays = balance + payment - part_interest  # what the schedule lends: owed after period 1 + principal repaid
        if not math.isclose(repays, principal, rel_tol=1e-9, abs_tol=1.0):
            raise InputError("loan_disbursements", reason="cash_loan_not_schedule", value=principal,
                             schedule_principal=Shown(repays, "loan_disbursements"))
    received = np.zeros(months)
    paid = np.zeros(months)
    interest = np.zeros(months)
    received[start - 1] = principal
    owed = principal
    for period, payment, part_interest, balance in rows:
        month = start + period * every  # plan month (1-based) of this instalment
        if month > months:
            break
        paid[month - 1] += payment
        interest[month - 1] += part_interest
        owed = balance
    return LoanCashFlows(
        loan_disbursements=tuple(float(v) for v in received),
        loan_instalments=tuple(float(v) for v in paid),
        interest=tuple(float(v) for v in interest),
        owed_at_end=max(owed, 0.0),
    )


def _check_period(period: object) -> int:
    """A schedule's period number: a whole number from 1."""
    number = check_finite("loan_schedule", period)
    if number != int(number) or number < 1:
        raise InputError("loan_schedule", reason="not_whole", value=number)
    return int(number)


# -- the cash plan ------------------------------------------------------------------------------


def credit_line_needed(month_end_cash: Sequence[float], minimum_cash: float = 0.0) -> float:
    """The smallest credit line that keeps every month-end cash at ``minimum_cash`` or more.

    ``max(0, minimum_cash − lowest month-end cash)``: drawn in the worst month, repaid when
    the sales come in (its interest is not counted).

    Every month must hold a finite amount (negative when the cash is overdrawn): a blank month
    (None or NaN, an empty cell) is refused, naming the month (1 = the first of the list),
    rather than read as "no credit needed".

    Examples
    --------
    Month-end cash of 120, −350 and 80 million đồng, and 50 million to keep in the till:

    >>> credit_line_needed([120e6, -350e6, 80e6], minimum_cash=50e6)
    400000000.0
    >>> credit_line_needed([120e6, 90e6], minimum_cash=50e6)
    0.0
    """
    minimum = check_nonnegative("minimum_cash", minimum_cash)
    values = _check_list("month_end_cash", month_end_cash)
    if not values:
        raise InputError("month_end_cash", reason="cash_wrong_months", value=0, cash_months=1)
    cash = np.array([_check_amount("month_end_cash", value, month) for month, value in enumerate(values, start=1)])
    return float(max(0.0, minimum - float(cash.min())))


@dataclass(frozen=True)
class CashFlowPlan:
    """A cash plan month by month, and what a manager must know from it.

    Attributes
    ----------
    months, start_month
        Length of the plan and its first calendar month (1 = January).
    opening_cash, minimum_cash
        Cash at the start of the plan; the least cash to keep at every month end (VND).
    inflow, outflow
        All the money in and out over the plan (VND).
    closing_cash
        Cash at the end of the plan's last month: ``opening_cash + inflow − outflow``
        (negative: more was paid than the cash and receipts allow, without a credit line).
    lowest_cash
        The lowest month-end cash.
    worst_month, worst_calendar_month
        The month of the plan (1, 2, …) with the lowest month-end cash (the first one if
        several tie) and its calendar month (1–12).
    credit_line
        The credit line needed to keep every month-end cash at ``minimum_cash`` or more
        (`credit_line_needed`); 0 when no credit is needed.
    months_short
        Months whose month-end cash is below ``minimum_cash``.
    lean_months
        Months that pay out more than they bring in.
    table
        One row per month: ``month``, ``calendar_month``, ``cash_at_start``, one column per
        kind of inflow (`INFLOWS`) and outflow (`OUTFLOWS`), ``inflow``, ``outflow``,
        ``net_cash_flow`` (inflow − outflow), ``month_end_cash``, ``below_minimum`` and
        ``credit_drawn`` (the credit line in use at the month's end:
        ``max(0, minimum_cash − month_end_cash)``).
    """

    months: int
    start_month: int
    opening_cash: float
    minimum_cash: float
    inflow: float
    outflow: float
    closing_cash: float
    lowest_cash: float
    worst_month: int
    worst_calendar_month: int
    credit_line: float
    months_short: int
    lean_months: int
    table: pd.DataFrame = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """The totals as a table with columns ``key`` and ``value`` (the months are in ``table``).

        >>> plan = cash_flow_plan(sales_receipts=[0, 300e6], input_payments=[200e6, 0], opening_cash=50e6)
        >>> float(plan.to_frame().set_index("key").loc["credit_line", "value"])
        150000000.0
        """
        keys = ("months", "start_month", "opening_cash", "minimum_cash", "inflow", "outflow", "closing_cash",
                "lowest_cash", "worst_month", "worst_calendar_month", "credit_line", "months_short", "lean_months")
        return pd.DataFrame({"key": list(keys), "value": [float(getattr(self, k)) for k in keys]})


def cash_flow_plan(
    *,
    sales_receipts: Sequence[float] | None = None,
    loan_disbursements: Sequence[float] | None = None,
    other_receipts: Sequence[float] | None = None,
    input_payments: Sequence[float] | None = None,
    wage_payments: Sequence[float] | None = None,
    member_payments: Sequence[float] | None = None,
    loan_instalments: Sequence[float] | None = None,
    other_payments: Sequence[float] | None = None,
    opening_cash: float = 0.0,
    minimum_cash: float = 0.0,
    start_month: int = 1,
    months: int | None = None,
) -> CashFlowPlan:
    """Month-end cash, the worst month and the credit line needed, month by month.

    Parameters
    ----------
    sales_receipts, loan_disbursements, other_receipts
        Money in each month of the plan (VND, zero or more), in the plan's order (the first
        amount is ``start_month``'s). A kind left out is zero every month.
    input_payments, wage_payments, member_payments, loan_instalments, other_payments
        Money out each month (VND, zero or more), in the plan's order.
    opening_cash
        Cash at the start of the first month; negative when the cooperative starts the year
        overdrawn (the credit line then covers it).
    minimum_cash
        Cash to keep at every month end (zero or more): a safety margin for payments that
        come before receipts within a month.
    start_month
        Calendar month of the plan's first month (1 = January … 12 = December).
    months
        Months in the plan (1 to `MAX_MONTHS`); default: the length of the amounts given
        (12 when none is given). Every list of amounts must have this length.

    Returns
    -------
    CashFlowPlan

    Raises
    ------
    InputError
        A negative amount (naming its kind and month), a list with the wrong number of
        months, a start month outside 1–12, a negative minimum cash, a blank or non-finite
        amount (naming its month).

    Examples
    --------
    A coffee cooperative starts May with 100 million đồng and wants to keep 50 million at
    every month end. It pays members 400, 600 and 300 million for cherry in October to
    December (plan months 6–8) and 30 million a month in wages; buyers pay 700 million a month
    in December, January and February. Where is the worst month, and how large a
    credit line does it need?

    >>> members = [0] * 5 + [400e6, 600e6, 300e6] + [0] * 4
    >>> sales = [0] * 7 + [700e6, 700e6, 700e6] + [0] * 2
    >>> plan = cash_flow_plan(sales_receipts=sales, member_payments=members, wage_payments=[30e6] * 12,
    ...                       opening_cash=100e6, minimum_cash=50e6, start_month=5)
    >>> plan.worst_calendar_month, plan.lowest_cash / 1e6, plan.credit_line / 1e6
    (11, -1110.0, 1160.0)
    >>> plan.closing_cash / 1e6
    540.0
    """
    given = {
        "sales_receipts": sales_receipts, "loan_disbursements": loan_disbursements, "other_receipts": other_receipts,
        "input_payments": input_payments, "wage_payments": wage_payments, "member_payments": member_payments,
        "loan_instalments": loan_instalments, "other_payments": other_payments,
    }
    start = _check_month("start_month", start_month)
    if months is None:
        first = next((v for v in given.values() if v is not None and hasattr(v, "__len__")
                      and not isinstance(v, (str, bytes))), None)
        months = len(first) if first is not None else MONTHS_IN_YEAR
        if months == 0:
            raise InputError(next(k for k, v in given.items() if v is first), reason="cash_wrong_months", value=0,
                             cash_months=1)
    months = _check_months(months)
    series = {name: _check_series(name, values, months, start) for name, values in given.items()}
    opening = check_finite("opening_cash", opening_cash)
    minimum = check_nonnegative("minimum_cash", minimum_cash)

    inflow = sum(series[name] for name in INFLOWS)
    outflow = sum(series[name] for name in OUTFLOWS)
    net = inflow - outflow
    month_end = opening + np.cumsum(net)
    cash_at_start = np.concatenate(([opening], month_end[:-1]))
    table = pd.DataFrame({"month": np.arange(1, months + 1), "calendar_month": season_months(start, months),
                          "cash_at_start": cash_at_start})
    for name in INFLOWS:
        table[name] = series[name]
    table["inflow"] = inflow
    for name in OUTFLOWS:
        table[name] = series[name]
    table["outflow"] = outflow
    table["net_cash_flow"] = net
    table["month_end_cash"] = month_end
    table["below_minimum"] = month_end < minimum
    table["credit_drawn"] = np.maximum(0.0, minimum - month_end)
    worst = int(np.argmin(month_end))
    return CashFlowPlan(
        months=months,
        start_month=start,
        opening_cash=opening,
        minimum_cash=minimum,
        inflow=float(inflow.sum()),
        outflow=float(outflow.sum()),
        closing_cash=float(month_end[-1]),
        lowest_cash=float(month_end[worst]),
        worst_month=worst + 1,
        worst_calendar_month=int(table["calendar_month"].iloc[worst]),
        credit_line=credit_line_needed(month_end, minimum),
        months_short=int((month_end < minimum).sum()),
        lean_months=int((net < 0).sum()),
        table=table,
    )
