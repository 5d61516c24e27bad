"""Loans: the instalment, the repayment schedule and what the loan costs in interest.

A cooperative borrows for a dryer, a milling machine or a cold store and repays in
instalments (kỳ trả nợ) every month, quarter or year. Two ways of repaying are common:

``"annuity"`` (trả góp đều, gốc và lãi chia đều)
    every instalment is the same amount; early instalments are mostly interest.
``"equal_principal"`` (trả gốc đều, lãi theo dư nợ giảm dần)
    the same part of the loan is repaid each time, plus interest on what is still owed, so
    the instalments fall over time. The usual way of Vietnamese bank and fund loans.

A loan may start with a grace period (ân hạn gốc): only interest is paid for
``grace_months``, and the loan is then repaid over the remaining months.

Conventions: ``annual_rate`` is a nominal yearly rate as a fraction (0.12 = 12 %/year); the
interest of one period is the balance × ``annual_rate / payments_per_year`` (a month is a
twelfth of a year, as the banks' published examples compute it; a bank that counts actual
days gives slightly different interest). Payments are made at the end of each period.
Amounts are positive VND. Spreadsheet equivalents: ``PMT``, ``IPMT``, ``PPMT``.

Examples
--------
>>> table = loan_schedule(100_000_000, 0.12, 12)
>>> round(table["payment"].iloc[0]), round(table["balance"].iloc[-1])
(8884879, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.validate import check_finite, check_nonnegative, check_object, check_positive

__all__ = [
    "AFTER_EXTRA",
    "FREQUENCIES",
    "MAX_LOAN_MONTHS",
    "METHODS",
    "SCHEDULE_COLUMNS",
    "Loan",
    "LoanSummary",
    "loan_payment",
    "loan_schedule",
    "loan_summary",
    "total_interest",
    "yearly_loan_payments",
]

register_fields(
    {
        "principal": "money",
        "annual_rate": "rate",
        "months": "number",
        "grace_months": "number",
        "payments_per_year": "count",
        "loan_method": "text",
        "extra_payment": "money",
        "extra_payment_period": "number",
        "after_extra": "text",
    }
)

#: Ways of repaying: equal instalments, or equal parts of the loan plus interest on the balance.
METHODS = ("annuity", "equal_principal")
#: Payments a year the schedule accepts: monthly, quarterly, yearly.
FREQUENCIES = (12, 4, 1)
#: What an extra (early) repayment changes: the loan ends sooner, or later instalments are smaller.
AFTER_EXTRA = ("shorter_term", "lower_payment")
#: Longest loan accepted, in months (30 years).
MAX_LOAN_MONTHS = 360
#: Columns of a repayment schedule, in order.
SCHEDULE_COLUMNS = ("period", "payment", "interest", "principal", "balance")


def _check_frequency(payments_per_year: object) -> int:
    number = check_finite("payments_per_year", payments_per_year)
    if number not in FREQUENCIES:
        raise InputError("payments_per_year", reason="loan_bad_frequency", value=number)
    return int(number)


def _check_months(months: object, period_months: int) -> int:
    number = check_positive("months", months)
    if number != int(number) or number > MAX_LOAN_MONTHS:
        raise InputError("months", reason="loan_months_out_of_range", value=number, limit=MAX_LOAN_MONTHS)
    if int(number) % period_months:
        raise InputError("months", reason="loan_months_not_whole_periods", value=number,
                         period_months=period_months)
    return int(number)


def _check_rate(annual_rate: object) -> float:
    rate = check_nonnegative("annual_rate", annual_rate)
    if rate > 1:
        raise InputError("annual_rate", reason="loan_rate_above_100", value=rate)
    return rate


@dataclass(frozen=True)
class Loan:
    """A loan and how it is repaid; checked when made.

    Parameters
    ----------
    principal
        VND borrowed (more than zero).
    annual_rate
        Nominal interest rate a year as a fraction (0.09 = 9 %/year), from 0 to 1.
    months
        Length of the loan in months, grace period included: a whole number of payment
        periods (a multiple of 3 for quarterly payments, of 12 for yearly), at most 360.
    method
        ``"annuity"`` (equal instalments) or ``"equal_principal"`` (equal parts of the loan
        plus interest on the balance, falling instalments).
    grace_months
        Months at the start when only interest is paid (a whole number of periods, shorter
        than the loan).
    payments_per_year
        12 (monthly), 4 (quarterly) or 1 (yearly).
    extra_payment
        An early repayment: VND of the loan repaid on top of the instalment of
        ``extra_payment_period`` (0: none). More than is still owed repays the whole loan.
    extra_payment_period
        The period (1, 2, …) of the early repayment.
    after_extra
        What the early repayment changes: ``"shorter_term"`` keeps the instalment (annuity)
        or the part of the loan repaid each period (equal principal), so the loan ends
        sooner; ``"lower_payment"`` keeps the end date and spreads what is left over the
        remaining periods, so later instalments are smaller.

    Examples
    --------
    >>> loan = Loan(300_000_000, 0.09, 36, method="equal_principal", grace_months=6)
    >>> loan.periods, loan.grace_periods, loan.period_rate
    (36, 6, 0.0075)
    >>> Loan(300_000_000, 0.09, 36, grace_months=36)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Thời gian ân hạn gốc (36) phải ngắn hơn thời hạn vay (36 tháng).
    """

    principal: float
    annual_rate: float
    months: int
    method: str = "annuity"
    grace_months: int = 0
    payments_per_year: int = 12
    extra_payment: float = 0.0
    extra_payment_period: int | None = None
    after_extra: str = "shorter_term"

    def __post_init__(self) -> None:
        frequency = _check_frequency(self.payments_per_year)
        period_months = 12 // frequency
        months = _check_months(self.months, period_months)
        if self.method not in METHODS:
            raise InputError("loan_method", reason="loan_unknown_method", value=str(self.method))
        grace = check_nonnegative("grace_months", self.grace_months)
        if grace != int(grace) or int(grace) % period_months:
            raise InputError("grace_months", reason="loan_months_not_whole_periods", value=grace,
                             period_months=period_months)
        if grace >= months:
            raise InputError("grace_months", reason="loan_grace_too_long", value=grace, months=months)
        extra = check_nonnegative("extra_payment", self.extra_payment)
        period = self.extra_payment_period
        if extra > 0:
            if period is None:
                raise InputError("extra_payment_period", reason="loan_extra_needs_period", value=None)
            period = check_positive("extra_payment_period", period)
            if period != int(period) or period > months // period_months:
                raise InputError("extra_payment_period", reason="loan_period_out_of_range", value=period,
                                 periods=months // period_months)
            period = int(period)
        if self.after_extra not in AFTER_EXTRA:
            raise InputError("after_extra", reason="loan_unknown_after_extra", value=str(self.after_extra))
        checked = {
            "principal": check_positive("principal", self.principal),
            "annual_rate": _check_rate(self.annual_rate),
            "months": months,
            "grace_months": int(grace),
            "payments_per_year": frequency,
            "extra_payment": extra,
            "extra_payment_period": period if extra > 0 else None,
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def period_months(self) -> int:
        """Months between two payments (1, 3 or 12)."""
        return 12 // self.payments_per_year

    @property
    def periods(self) -> int:
        """Number of payments in the loan's term."""
        return self.months // self.period_months

    @property
    def grace_periods(self) -> int:
        """Payments of interest only at the start."""
        return self.grace_months // self.period_months

    @property
    def period_rate(self) -> float:
        """Interest rate of one period: ``annual_rate / payments_per_year``."""
        return self.annual_rate / self.payments_per_year

    def schedule(self) -> pd.DataFrame:
        """The repayment schedule: see `loan_schedule`."""
        rate, n, grace = self.period_rate, self.periods, self.grace_periods
        balance = self.principal
        level_payment = _annuity(balance, rate, n - grace)
        level_principal = balance / (n - grace)
        rows = []
        tiny = 1e-9 * self.principal
        for k in range(1, n + 1):
            interest = balance * rate
            if k <= grace:
                repaid = 0.0
            elif k == n:
                repaid = balance
            elif self.method == "annuity":
                repaid = min(level_payment - interest, balance)
            else:
                repaid = min(level_principal, balance)
            if k == self.extra_payment_period:
                repaid += min(self.extra_payment, balance - repaid)
            balance -= repaid
            if balance <= tiny:
                repaid, balance = repaid + balance, 0.0
            rows.append((k, interest + repaid, interest, repaid, balance))
            if balance == 0.0:
                break
            if k == self.extra_payment_period and self.after_extra == "lower_payment":
                remaining = n - max(k, grace)
                level_payment = _annuity(balance, rate, remaining)
                level_principal = balance / remaining
        return pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS)).astype({"period": int})

    def summary(self) -> LoanSummary:
        """Totals and the instalments to remember: see `LoanSummary`."""
        table = self.schedule()
        after_grace = table[table["period"] > self.grace_periods]
        during_grace = table[table["period"] <= self.grace_periods]
        return LoanSummary(
            principal=self.principal,
            total_interest=float(table["interest"].sum()),
            total_paid=float(table["payment"].sum()),
            periods_paid=int(len(table)),
            grace_payment=float(during_grace["payment"].iloc[0]) if len(during_grace) else 0.0,
            first_instalment=float(after_grace["payment"].iloc[0]) if len(after_grace) else 0.0,
            last_payment=float(table["payment"].iloc[-1]),
            largest_payment=float(table["payment"].max()),
            months_to_repay=int(len(table)) * self.period_months,
            schedule=table,
        )


def _annuity(principal: float, rate: float, periods: int) -> float:
    """The level instalment that repays ``principal`` in ``periods`` at ``rate`` a period."""
    import numpy_financial as npf

    if periods <= 0:
        return principal
    if rate == 0:
        return principal / periods
    if rate < 1e-6:
        # numpy-financial's formula loses all precision for tiny rates (1e-42 gives infinity):
        # the same annuity written with log1p/expm1 stays exact there.
        return principal * rate / -math.expm1(-periods * math.log1p(rate))
    return float(npf.pmt(rate, periods, -principal))


@dataclass(frozen=True)
class LoanSummary:
    """What a loan costs and the instalments a manager plans the cash for.

    Attributes
    ----------
    principal
        VND borrowed.
    total_interest, total_paid
        Interest over the whole loan; everything paid (principal + interest).
    periods_paid
        Number of payments actually made (fewer than the term after an early repayment that
        shortens the loan).
    grace_payment
        The interest-only payment of the first grace period (0 without grace).
    first_instalment
        The first payment after the grace period (for an annuity: the level instalment; for
        equal principal: the largest one).
    last_payment, largest_payment
        The last and the largest payment of the schedule.
    months_to_repay
        Months until the loan is repaid.
    schedule
        The repayment schedule (`loan_schedule`).
    """

    principal: float
    total_interest: float
    total_paid: float
    periods_paid: int
    grace_payment: float
    first_instalment: float
    last_payment: float
    largest_payment: float
    months_to_repay: int
    schedule: pd.DataFrame = field(repr=False, compare=False)


def loan_payment(principal: float, annual_rate: float, months: int, payments_per_year: int = 12) -> float:
    """The equal instalment (annuity) that repays a loan: spreadsheet equivalent ``PMT``.

    Parameters
    ----------
    principal
        VND borrowed (more than zero).
    annual_rate
        Nominal rate a year as a fraction (0.12 = 12 %/year); the rate of a period is
        ``annual_rate / payments_per_year``.
    months
        Length of the loan: a whole number of payment periods.
    payments_per_year
        12, 4 or 1.

    Returns
    -------
    float
        VND paid each period, interest included.

    Examples
    --------
    A cooperative borrows 100 million đồng at 12 % a year for 12 months, repaid in equal
    monthly instalments. What does it pay each month?

    >>> round(loan_payment(100_000_000, 0.12, 12))
    8884879

    The same loan over 2 years, repaid every quarter:

    >>> round(loan_payment(100_000_000, 0.12, 24, payments_per_year=4))
    14245639
    """
    loan = Loan(principal, annual_rate, months, payments_per_year=payments_per_year)
    return _annuity(loan.principal, loan.period_rate, loan.periods)


def loan_schedule(
    principal: float,
    annual_rate: float,
    months: int,
    method: str = "annuity",
    grace_months: int = 0,
    payments_per_year: int = 12,
    extra_payment: float = 0.0,
    extra_payment_period: int | None = None,
    after_extra: str = "shorter_term",
) -> pd.DataFrame:
    """The repayment schedule of a loan, one row per payment.

    Parameters are those of `Loan` (see there for the early repayment).

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (1, 2, …), ``payment`` (VND paid at the end of the period),
        ``interest`` (balance at the start × the period's rate), ``principal`` (part of the
        loan repaid, an early repayment included) and ``balance`` (still owed after the
        payment; 0 after the last one). ``payment = interest + principal`` on every row and
        the ``principal`` column sums to the loan.

    Raises
    ------
    InputError
        A negative rate, 0 months, months that are not whole payment periods, a grace
        period as long as the loan, an unknown method…

    Examples
    --------
    A fund lends 100 million đồng for 5 months at 1 % a month (12 %/year), repaying an equal
    part of the loan each month with interest on the balance: 21, 20.8, 20.6, 20.4 and
    20.2 million.

    >>> table = loan_schedule(100_000_000, 0.12, 5, method="equal_principal")
    >>> (table["payment"] / 1e6).round(1).tolist()
    [21.0, 20.8, 20.6, 20.4, 20.2]

    With 2 months of grace the first two payments are interest only:

    >>> table = loan_schedule(100_000_000, 0.12, 5, method="equal_principal", grace_months=2)
    >>> (table["principal"] / 1e6).round(2).tolist()
    [0.0, 0.0, 33.33, 33.33, 33.33]
    """
    return Loan(principal, annual_rate, months, method, grace_months, payments_per_year,
                extra_payment, extra_payment_period, after_extra).schedule()


def loan_summary(
    principal: float,
    annual_rate: float,
    months: int,
    method: str = "annuity",
    grace_months: int = 0,
    payments_per_year: int = 12,
    extra_payment: float = 0.0,
    extra_payment_period: int | None = None,
    after_extra: str = "shorter_term",
) -> LoanSummary:
    """Totals of a loan (interest, instalments) and its schedule: a `LoanSummary`.

    Examples
    --------
    Equal principal costs less interest than equal instalments for the same loan, because
    the loan is repaid faster:

    >>> annuity = loan_summary(100_000_000, 0.12, 12)
    >>> equal = loan_summary(100_000_000, 0.12, 12, method="equal_principal")
    >>> round(annuity.total_interest), round(equal.total_interest)
    (6618546, 6500000)
    """
    return Loan(principal, annual_rate, months, method, grace_months, payments_per_year,
                extra_payment, extra_payment_period, after_extra).summary()


def total_interest(schedule: pd.DataFrame) -> float:
    """Interest paid over a schedule made by `loan_schedule`.

    >>> round(total_interest(loan_schedule(100_000_000, 0.12, 12, method="equal_principal")))
    6500000
    """
    return float(_check_schedule(schedule, ("interest",))["interest"].sum())


def _check_schedule(schedule: object, columns: tuple[str, ...]) -> pd.DataFrame:
    """A schedule table with ``columns``; bad input naming ``loan_schedule`` otherwise."""
    check_object("loan_schedule", schedule, pd.DataFrame)
    missing = [name for name in columns if name not in schedule.columns]
    if missing:
        raise InputError("loan_schedule", reason="cash_bad_schedule", value=", ".join(missing))
    return schedule


def yearly_loan_payments(schedule: pd.DataFrame, payments_per_year: int = 12) -> pd.DataFrame:
    """A schedule summed by year of the loan (year 1 = the first 12 months after it is drawn).

    Parameters
    ----------
    schedule
        A table made by `loan_schedule`.
    payments_per_year
        The schedule's payments a year (12, 4 or 1).

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``payment``, ``interest``, ``principal`` (sums of the year's
        payments) and ``balance`` (still owed at the end of the year).

    Examples
    --------
    >>> years = yearly_loan_payments(loan_schedule(120_000_000, 0.0, 24, method="equal_principal"))
    >>> years["principal"].tolist(), years["balance"].tolist()
    ([60000000.0, 60000000.0], [60000000.0, 0.0])
    """
    frequency = _check_frequency(payments_per_year)
    _check_schedule(schedule, ("period", "payment", "interest", "principal", "balance"))
    year = (schedule["period"].to_numpy() - 1) // frequency + 1
    grouped = schedule.assign(year=year).groupby("year", sort=True)
    table = grouped[["payment", "interest", "principal"]].sum()
    table["balance"] = grouped["balance"].last()
    return table.reset_index()
