"""Is a machine worth buying, and can the cooperative carry the loan? NPV, IRR and payback.

A cooperative thinks of buying a coffee dryer, a tea roller, a net house or a cold store. It
pays the price now; for each year of the machine's life it earns extra revenue or saves
money and pays running costs; at the end it sells the machine for its salvage value. Three
questions, each answered by a function:

`npv` (net present value, giá trị hiện tại ròng)
    What the project is worth in today's money: every future đồng is discounted at the rate
    money costs the cooperative (``rate``), then the price is taken away. Worth it when ≥ 0.
`irr` (internal rate of return, tỷ suất hoàn vốn nội bộ)
    The discount rate at which the NPV is zero: the yearly return the project earns.
`payback_years` / `discounted_payback_years` (thời gian hoàn vốn)
    How many years until the money put in has come back (without / with discounting).

`appraise` puts a whole `Investment` together: the machine (`Equipment` templates in
``datasets/equipment.csv``), straight-line depreciation, and the financing mix (the
cooperative's own funds, a grant, a loan repaid as `coopkit.loans.loan_schedule` says). It
gives the yearly cash flows of the *project* (the whole price paid at year 0, no financing:
is the machine itself worth it?) and of the cooperative's *own money* (own funds out at
year 0, loan payments each year, the grant reducing the outlay), their NPV, IRR and
payback, and a verdict in words.

Conventions: cash flows are yearly, at the end of each year (year 0 = the day of purchase);
amounts are positive VND, with the direction in the name (``investment`` paid out,
``yearly_cash_flows`` net received, negative in a year that costs more than it brings);
rates are fractions; figures are before tax and without inflation.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from coopkit.costs import straight_line_depreciation
from coopkit.errors import InputError
from coopkit.fields import Shown, register_fields
from coopkit.loans import Loan, LoanSummary, yearly_loan_payments
from coopkit.validate import check_finite, check_nonnegative, check_positive

__all__ = [
    "DEFAULT_DISCOUNT_RATE",
    "DEFAULT_LOAN",
    "EQUIPMENT_FILE",
    "IRR_HIGHEST",
    "IRR_LOWEST",
    "MAX_LIFE_YEARS",
    "VERDICTS",
    "Appraisal",
    "Equipment",
    "Investment",
    "appraise",
    "discounted_payback_years",
    "fully_financed_text",
    "irr",
    "load_equipment",
    "npv",
    "payback_years",
    "verdict_text",
]

register_fields(
    {
        "investment": "money",
        "yearly_cash_flows": "money",
        "project_cash_flows": "money",
        "own_cash_flows": "money",
        "discount_rate": "rate",
        "irr": "rate",
        "extra_revenue_per_year": "money",
        "running_cost_per_year": "money",
        "own_funds": "money",
        "grant": "money",
        "loan_amount": "money",
        "equipment": "text",
    }
)

#: The file of equipment templates in the datasets folder.
EQUIPMENT_FILE = "equipment.csv"
EQUIPMENT_COLUMNS = (
    "key", "name_vi", "name_en", "purchase_price", "useful_life_years", "salvage_value",
    "extra_revenue_per_year", "running_cost_per_year", "grant", "loan_amount", "source",
)
#: Longest life of a machine or building accepted, in years.
MAX_LIFE_YEARS = 50
#: Longest series of yearly cash flows accepted by `npv`, `irr` and the paybacks.
MAX_YEARS = 100
#: The range of rates searched for an IRR: −99 % to 1 000 % a year.
IRR_LOWEST, IRR_HIGHEST = -0.99, 10.0
#: Rate used to discount the cooperative's future money: what money costs it (illustrative
#: assumption: 9 %/year, the default loan rate below).
DEFAULT_DISCOUNT_RATE = 0.09
#: Loan terms the app starts from (illustrative assumption, not a bank's offer: 9 %/year over
#: 3 years, equal principal with 6 months of grace, monthly payments).
DEFAULT_LOAN = {"annual_rate": 0.09, "months": 36, "method": "equal_principal", "grace_months": 6,
                "payments_per_year": 12}
#: The verdicts `appraise` gives (catalogue texts ``invest.verdict.<key>``).
VERDICTS = ("worth_it", "worth_it_tight_cash", "only_with_support", "not_worth_it")

# Rates scanned for sign changes of the NPV (denser where IRRs usually are).
_IRR_GRID = np.unique(np.concatenate([
    np.linspace(IRR_LOWEST, -0.5, 50, endpoint=False),
    np.linspace(-0.5, 1.0, 1501, endpoint=False),
    np.geomspace(1.0, IRR_HIGHEST, 400),
]))


# ---------------------------------------------------------------------------------------------
# NPV, IRR, payback


def _flows(investment: object, yearly_cash_flows: object) -> np.ndarray:
    """``[-investment, flow 1, …, flow n]`` after checking every number."""
    investment = check_nonnegative("investment", investment)
    if isinstance(yearly_cash_flows, (str, bytes)) or not hasattr(yearly_cash_flows, "__iter__"):
        raise InputError("yearly_cash_flows", reason="invest_not_a_list", value=str(yearly_cash_flows))
    values = [check_finite("yearly_cash_flows", v) for v in yearly_cash_flows]
    if not values:
        raise InputError("yearly_cash_flows", reason="invest_no_years", value=None)
    if len(values) > MAX_YEARS:
        raise InputError("yearly_cash_flows", reason="invest_too_many_years", value=None, limit=MAX_YEARS)
    return np.array([-investment, *values], dtype=float)


def _check_discount_rate(rate: object) -> float:
    rate = check_nonnegative("discount_rate", rate)
    if rate > 1:
        raise InputError("discount_rate", reason="not_a_fraction_incl", value=rate)
    return rate


def _npv_at(rates: np.ndarray, flows: np.ndarray) -> np.ndarray:
    years = np.arange(len(flows))
    return (flows / (1.0 + rates[:, None]) ** years).sum(axis=1)


def npv(rate: float, investment: float, yearly_cash_flows: Sequence[float]) -> float:
    """Net present value: the yearly cash flows discounted at ``rate``, less the investment.

    Spreadsheet equivalent: ``NPV(rate, flows) − investment`` (the spreadsheet's NPV starts
    discounting at year 1).

    Parameters
    ----------
    rate
        What money costs the cooperative a year (a loan's rate, or what the money would earn
        elsewhere), as a fraction from 0 to 1.
    investment
        VND paid at the start (year 0), zero or more.
    yearly_cash_flows
        Net VND received at the end of years 1, 2, … (negative in a year that costs more
        than it brings).

    Returns
    -------
    float
        VND in today's money; worth investing when zero or more.

    Examples
    --------
    A coffee cooperative buys a dryer for 450 million đồng and saves 120 million a year
    for five years. Is it worth it if money costs 9 % a year?

    >>> round(npv(0.09, investment=450e6, yearly_cash_flows=[120e6] * 5) / 1e6, 1)
    16.8
    """
    rate = _check_discount_rate(rate)
    flows = _flows(investment, yearly_cash_flows)
    return float(_npv_at(np.array([rate]), flows)[0])


def irr(investment: float, yearly_cash_flows: Sequence[float]) -> float:
    """Internal rate of return: the yearly rate at which the NPV is zero.

    How the rate is found: the NPV is computed on a grid of about 1 950 rates from −99 % to
    1 000 % a year (denser from −50 % to 100 %); each sign change between two neighbouring
    rates holds a root, found with Brent's method (`coopkit.roots.root_between`). Cash flows
    that change sign once (money out, then money in) have exactly one IRR. A root where the
    NPV only touches zero without crossing it is not found.

    Parameters
    ----------
    investment
        VND paid at the start (year 0).
    yearly_cash_flows
        Net VND received at the end of years 1, 2, … (negative in a costly year).

    Returns
    -------
    float
        The IRR as a fraction (0.15 = 15 % a year).

    Raises
    ------
    InputError
        ``irr_no_sign_change`` when money only goes out or only comes in (no rate makes the
        NPV zero); ``irr_several`` when the NPV is zero at more than one rate (cash flows
        that change sign several times: the IRR means nothing, use the NPV);
        ``irr_not_found`` when no rate from −99 % to 1 000 % makes the NPV zero.

    Examples
    --------
    A roller for the tea cooperative costs 123.4 million đồng and brings 36.2, 54.8 and 48.1
    million in three years: it earns about 6 % a year.

    >>> round(irr(123_400_000, [36_200_000, 54_800_000, 48_100_000]), 4)
    0.0596
    """
    flows = _flows(investment, yearly_cash_flows)
    if not (np.any(flows > 0) and np.any(flows < 0)):
        raise InputError("yearly_cash_flows", reason="irr_no_sign_change", value=None)
    from coopkit.roots import root_between

    scale = float(np.abs(flows).max())
    values = _npv_at(_IRR_GRID, flows / scale)
    roots: list[float] = []
    for i, (rate, value) in enumerate(zip(_IRR_GRID, values)):
        if value == 0.0:
            roots.append(float(rate))
        elif i + 1 < len(values) and value * values[i + 1] < 0:
            f = lambda r: float(_npv_at(np.array([r]), flows / scale)[0])  # noqa: E731
            roots.append(root_between(f, rate, _IRR_GRID[i + 1], xtol=1e-14, rtol=1e-12))
    if not roots:
        raise InputError("yearly_cash_flows", reason="irr_not_found", value=None,
                         low=Shown(IRR_LOWEST, "irr"), high=Shown(IRR_HIGHEST, "irr"))
    if len(roots) > 1:
        raise InputError("yearly_cash_flows", reason="irr_several", value=None, count=len(roots),
                         low=Shown(min(roots), "irr"), high=Shown(max(roots), "irr"))
    return roots[0]


def _payback(flows: np.ndarray) -> float | None:
    cumulative = np.cumsum(flows)
    if cumulative[-1] < 0:
        return None
    below = np.flatnonzero(cumulative < 0)
    if below.size == 0:
        return 0.0
    year = int(below[-1])  # the last year still short: it is paid back during the next one
    return year + float(-cumulative[year] / flows[year + 1])


def payback_years(investment: float, yearly_cash_flows: Sequence[float]) -> float | None:
    """Years until the cash received has paid back the investment (simple payback).

    Within a year the money is taken to come in evenly, so the payback is interpolated:
    2.6 years is two full years and 0.6 of the third (in its eighth month). If the running
    total dips below zero again later (a costly year), the payback is when it recovers for
    the last time.

    Parameters
    ----------
    investment
        VND paid at the start.
    yearly_cash_flows
        Net VND received at the end of years 1, 2, ….

    Returns
    -------
    float or None
        Years (0 when nothing was invested); ``None`` when the money never comes back within
        the years given.

    Examples
    --------
    A sorting machine costs 100 million đồng and brings 30, 40 and 50 million: after two
    years 70 million are back; the last 30 million take 30/50 of the third year.

    >>> payback_years(100e6, [30e6, 40e6, 50e6])
    2.6
    >>> payback_years(100e6, [30e6, 30e6]) is None
    True
    """
    return _payback(_flows(investment, yearly_cash_flows))


def discounted_payback_years(rate: float, investment: float, yearly_cash_flows: Sequence[float]) -> float | None:
    """Years until the *discounted* cash received has paid back the investment.

    Like `payback_years`, but each year's cash is first discounted at ``rate`` (worth less the
    later it comes), so it is never shorter than the simple payback when ``rate`` ≥ 0. It
    exists exactly when the NPV over the years given is zero or more.

    Examples
    --------
    The 450 million đồng dryer saving 120 million a year pays back in 3.75 years, but at 9 %
    only in about 4.8 years:

    >>> payback_years(450e6, [120e6] * 5), round(discounted_payback_years(0.09, 450e6, [120e6] * 5), 2)
    (3.75, 4.79)
    """
    rate = _check_discount_rate(rate)
    flows = _flows(investment, yearly_cash_flows)
    return _payback(flows / (1.0 + rate) ** np.arange(len(flows)))


# ---------------------------------------------------------------------------------------------
# An investment and its appraisal


def _check_life(years: object) -> int:
    number = check_positive("useful_life_years", years)
    if number != int(number) or number > MAX_LIFE_YEARS:
        raise InputError("useful_life_years", reason="invest_not_whole_in_range", value=number, limit=MAX_LIFE_YEARS)
    return int(number)


@dataclass(frozen=True)
class Investment:
    """A machine or building, what it brings each year, and how it is paid for.

    Parameters
    ----------
    purchase_price
        VND paid for it, installation included (more than zero).
    useful_life_years
        Whole years it will be used (1 to 50).
    salvage_value
        VND it can be sold for at the end of its life (zero up to the price).
    extra_revenue_per_year
        Extra revenue or savings it brings each year (VND): a better price for dried coffee,
        less spoiled fruit, less hired labour.
    running_cost_per_year
        What running it costs each year (VND): fuel, power, repairs, the operator.
    grant
        VND of support (a province's or a project's grant) paid towards the price.
    loan
        The loan taken to buy it (a `coopkit.loans.Loan`), drawn at year 0; ``None``: no loan.
    own_funds
        VND the cooperative pays from its own money; ``None``: the rest of the price after
        the grant and the loan. Own funds, grant and loan must add up to the price.
    discount_rate
        What money costs the cooperative a year (0 to 1), to discount future cash.

    Examples
    --------
    >>> from coopkit.loans import Loan
    >>> dryer = Investment(450e6, 10, salvage_value=50e6, extra_revenue_per_year=160e6,
    ...                    running_cost_per_year=40e6, loan=Loan(300e6, 0.09, 36))
    >>> dryer.own_funds_amount, dryer.loan_amount, dryer.yearly_depreciation
    (150000000.0, 300000000.0, 40000000.0)
    >>> Investment(450e6, 10, grant=200e6, loan=Loan(300e6, 0.09, 36))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Số tiền vay (300.000.000...) cộng tiền hỗ trợ (200.000.000...) vượt quá giá mua thiết bị (450.000.000...).
    """

    purchase_price: float
    useful_life_years: int
    salvage_value: float = 0.0
    extra_revenue_per_year: float = 0.0
    running_cost_per_year: float = 0.0
    grant: float = 0.0
    loan: Loan | None = None
    own_funds: float | None = None
    discount_rate: float = DEFAULT_DISCOUNT_RATE

    def __post_init__(self) -> None:
        price = check_positive("purchase_price", self.purchase_price)
        life = _check_life(self.useful_life_years)
        salvage = check_nonnegative("salvage_value", self.salvage_value)
        straight_line_depreciation(price, salvage, life)  # checks the salvage against the price
        grant = check_nonnegative("grant", self.grant)
        if grant > price:
            raise InputError("grant", reason="above_purchase_price", value=grant, purchase_price=price)
        if self.loan is not None and not isinstance(self.loan, Loan):
            raise InputError("loan_amount", reason="invest_not_a_loan", value=str(self.loan))
        loan = self.loan.principal if self.loan is not None else 0.0
        if loan + grant > price * (1 + 1e-12):
            raise InputError("loan_amount", reason="invest_financing_above_price", value=loan, grant=grant,
                             purchase_price=price)
        if self.own_funds is None:
            own = max(price - grant - loan, 0.0)
        else:
            own = check_nonnegative("own_funds", self.own_funds)
            if abs(own + grant + loan - price) > 0.5:  # half a đồng: VND has no smaller unit
                raise InputError("own_funds", reason="invest_financing_not_price", value=own, grant=grant,
                                 loan_amount=loan, purchase_price=price)
        checked = {
            "purchase_price": price,
            "useful_life_years": life,
            "salvage_value": salvage,
            "extra_revenue_per_year": check_nonnegative("extra_revenue_per_year", self.extra_revenue_per_year),
            "running_cost_per_year": check_nonnegative("running_cost_per_year", self.running_cost_per_year),
            "grant": grant,
            "own_funds": None if self.own_funds is None else own,
            "_own_funds_amount": own,
            "discount_rate": _check_discount_rate(self.discount_rate),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def own_funds_amount(self) -> float:
        """VND the cooperative pays from its own money: ``own_funds``, or the rest of the price
        after the grant and the loan when ``own_funds`` is ``None`` (it stays ``None``, so that
        `dataclasses.replace` with another price or loan keeps "the rest")."""
        return self._own_funds_amount

    @property
    def loan_amount(self) -> float:
        """VND borrowed (0 without a loan)."""
        return self.loan.principal if self.loan is not None else 0.0

    @property
    def yearly_depreciation(self) -> float:
        """Straight-line depreciation a year (`coopkit.costs.straight_line_depreciation`)."""
        return straight_line_depreciation(self.purchase_price, self.salvage_value, self.useful_life_years)


@dataclass(frozen=True)
class Appraisal:
    """An investment's yearly cash flows, NPV, IRR, payback and verdict.

    Attributes
    ----------
    investment
        The `Investment` appraised.
    years
        Years in the table: the machine's life, or the loan's term when that is longer.
    project_npv, project_irr, project_payback_years, project_discounted_payback_years
        Of the project alone: the whole price at year 0, no grant and no loan. ``irr`` is
        ``None`` when there is none (``project_irr_error`` says why, naming the field
        ``project_cash_flows``); a payback is ``None`` when the money never comes back.
    own_funds, own_npv, own_irr, own_payback_years, own_irr_error
        Of the cooperative's own money: own funds at year 0, then what the machine brings
        less the loan payments of each year (``own_irr_error`` names ``own_cash_flows``).
        When the grant and the loan pay the whole price (`fully_financed`), no own money is
        put in at the start: there is nothing to pay back and no rate it earns, so
        ``own_irr``, ``own_irr_error`` and ``own_payback_years`` are ``None`` and
        `fully_financed_text` says so in words (a payback of "0 years" while the own cash is
        negative in later years would mislead).
    loan
        The loan's `coopkit.loans.LoanSummary` (``None`` without a loan).
    shortfall_years
        Years (1, 2, …) in which the loan payments are more than what the machine brings:
        the cooperative must find the difference elsewhere.
    verdict
        One of `VERDICTS`; `verdict_text` says it in words.
    table
        One row per year from 0: ``year``, ``extra_revenue``, ``running_cost``, ``salvage``,
        ``depreciation``, ``project_cash_flow``, ``grant``, ``loan_drawn``, ``loan_payment``,
        ``loan_interest``, ``own_cash_flow``, ``cumulative_project``, ``cumulative_own``,
        ``profit`` (accounting profit: extra revenue − running cost − depreciation − loan
        interest; not cash).
    """

    investment: Investment
    years: int
    project_npv: float
    project_irr: float | None
    project_irr_error: InputError | None
    project_payback_years: float | None
    project_discounted_payback_years: float | None
    own_funds: float
    own_npv: float
    own_irr: float | None
    own_irr_error: InputError | None
    own_payback_years: float | None
    loan: LoanSummary | None
    shortfall_years: tuple[int, ...]
    verdict: str
    table: pd.DataFrame = field(repr=False, compare=False)

    @property
    def discount_rate(self) -> float:
        return self.investment.discount_rate

    @property
    def fully_financed(self) -> bool:
        """Whether the grant and the loan pay the whole price (own funds under half a đồng)."""
        return self.own_funds < 0.5

    def to_frame(self) -> pd.DataFrame:
        """The figures as a table with columns ``key`` and ``value`` (``None`` shown as NaN).

        >>> appraise(Investment(100e6, 2, extra_revenue_per_year=60e6)).to_frame().set_index("key").loc["own_funds", "value"].item()
        100000000.0
        """
        keys = ["project_npv", "project_irr", "project_payback_years", "project_discounted_payback_years",
                "own_funds", "own_npv", "own_irr", "own_payback_years"]
        values = [getattr(self, k) for k in keys]
        if self.loan is not None:
            keys += ["first_instalment", "total_interest"]
            values += [self.loan.first_instalment, self.loan.total_interest]
        return pd.DataFrame({"key": keys, "value": [math.nan if v is None else float(v) for v in values]})


def _irr_or_error(field: str, investment: float, flows: Sequence[float]) -> tuple[float | None, InputError | None]:
    """The IRR, or None and the reason there is none, naming ``field`` (whose cash flows)."""
    try:
        return irr(investment, flows), None
    except InputError as err:
        return None, InputError(field, reason=err.reason, value=err.value, **err.params)


def appraise(investment: Investment) -> Appraisal:
    """The yearly cash flows of an investment, of the project and of the cooperative's own
    money, with NPV, IRR, payback and a verdict.

    Year 0 is the purchase. Years 1 to the machine's life bring the extra revenue less the
    running cost; the last year of life adds the salvage value. A loan is drawn at year 0 and
    its payments are summed by year of the loan; years after the machine's life (a loan
    longer than the life) have only loan payments.

    Parameters
    ----------
    investment
        An `Investment`.

    Returns
    -------
    Appraisal

    Examples
    --------
    A coffee dryer for 450 million đồng, used 10 years and then sold for 50 million, brings
    160 million a year more and costs 40 million a year to run. Money costs 9 %. The
    cooperative pays 150 million and borrows 300 million over 3 years.

    >>> from coopkit.loans import Loan
    >>> dryer = Investment(450e6, 10, salvage_value=50e6, extra_revenue_per_year=160e6,
    ...                    running_cost_per_year=40e6, loan=Loan(300e6, 0.09, 36, method="equal_principal"),
    ...                    discount_rate=0.09)
    >>> result = appraise(dryer)
    >>> round(result.project_npv / 1e6, 1), round(result.project_irr, 3), result.project_payback_years
    (341.2, 0.238, 3.75)

    Worth it, but in year 1 the loan payments (100 million of principal plus interest) are
    more than the 120 million the dryer brings: the cash must come from elsewhere.

    >>> result.verdict, result.shortfall_years
    ('worth_it_tight_cash', (1,))
    """
    inv = investment
    life = inv.useful_life_years
    loan_years = None
    if inv.loan is not None:
        summary = inv.loan.summary()
        loan_years = yearly_loan_payments(summary.schedule, inv.loan.payments_per_year)
    else:
        summary = None
    years = max(life, int(loan_years["year"].max()) if loan_years is not None else 0)
    year = np.arange(years + 1)
    in_life = (year >= 1) & (year <= life)
    revenue = np.where(in_life, inv.extra_revenue_per_year, 0.0)
    running = np.where(in_life, inv.running_cost_per_year, 0.0)
    salvage = np.where(year == life, inv.salvage_value, 0.0)
    depreciation = np.where(in_life, inv.yearly_depreciation, 0.0)
    project = revenue - running + salvage
    project[0] = -inv.purchase_price
    payment = np.zeros(years + 1)
    interest = np.zeros(years + 1)
    if loan_years is not None:
        payment[loan_years["year"].to_numpy()] = loan_years["payment"].to_numpy()
        interest[loan_years["year"].to_numpy()] = loan_years["interest"].to_numpy()
    own = project - payment
    own[0] = -inv.own_funds_amount
    table = pd.DataFrame({
        "year": year,
        "extra_revenue": revenue,
        "running_cost": running,
        "salvage": salvage,
        "depreciation": depreciation,
        "project_cash_flow": project,
        "grant": np.where(year == 0, inv.grant, 0.0),
        "loan_drawn": np.where(year == 0, inv.loan_amount, 0.0),
        "loan_payment": payment,
        "loan_interest": interest,
        "own_cash_flow": own,
        "cumulative_project": np.cumsum(project),
        "cumulative_own": np.cumsum(own),
        "profit": np.where(year >= 1, revenue - running - depreciation - interest, 0.0),
    })
    rate = inv.discount_rate
    project_flows = project[1:].tolist()
    own_flows = own[1:].tolist()
    project_npv = npv(rate, inv.purchase_price, project_flows)
    own_npv = npv(rate, inv.own_funds_amount, own_flows)
    project_irr, project_error = _irr_or_error("project_cash_flows", inv.purchase_price, project_flows)
    own_irr, own_error = _irr_or_error("own_cash_flows", inv.own_funds_amount, own_flows)
    own_payback = payback_years(inv.own_funds_amount, own_flows)
    if inv.own_funds_amount < 0.5:  # fully financed: nothing of its own to pay back (see Appraisal)
        own_irr, own_error, own_payback = None, None, None
    shortfall = tuple(int(y) for y in year[1:][own[1:] < 0] if payment[y] > 0)
    if project_npv >= 0:
        verdict = "worth_it_tight_cash" if shortfall else "worth_it"
    elif own_npv >= 0 and (inv.grant > 0 or inv.loan is not None):
        verdict = "only_with_support"
    else:
        verdict = "not_worth_it"
    return Appraisal(
        investment=inv,
        years=years,
        project_npv=project_npv,
        project_irr=project_irr,
        project_irr_error=project_error,
        project_payback_years=payback_years(inv.purchase_price, project_flows),
        project_discounted_payback_years=discounted_payback_years(rate, inv.purchase_price, project_flows),
        own_funds=inv.own_funds_amount,
        own_npv=own_npv,
        own_irr=own_irr,
        own_irr_error=own_error,
        own_payback_years=own_payback,
        loan=summary,
        shortfall_years=shortfall,
        verdict=verdict,
        table=table,
    )


def fully_financed_text(appraisal: Appraisal, lang: str | None = None) -> str | None:
    """What a loan (and grant) for the whole price means for the own money, in words; ``None``
    when the cooperative pays part of the price itself.

    >>> from coopkit.loans import Loan
    >>> result = appraise(Investment(100e6, 4, extra_revenue_per_year=30e6, loan=Loan(100e6, 0.1, 24)))
    >>> result.own_payback_years is None, result.shortfall_years
    (True, (1, 2))
    >>> print(fully_financed_text(result, "en"))
    The loan and the grant pay the whole price: the cooperative puts none of its own money in at the start, so there is no payback or return of own funds to count. In year 1, 2 its own cash is negative: the loan payments are more than the machine brings, and other money must cover them.
    """
    from coopkit import i18n

    if not appraisal.fully_financed:
        return None
    if appraisal.shortfall_years:
        return i18n.tr("invest.fully_financed_shortfall", lang,
                       years=", ".join(str(y) for y in appraisal.shortfall_years))
    return i18n.tr("invest.fully_financed", lang)


def verdict_text(appraisal: Appraisal, lang: str | None = None) -> str:
    """The verdict in a sentence or two, in ``lang`` (catalogue texts ``invest.verdict.*``).

    >>> result = appraise(Investment(100e6, 2, extra_revenue_per_year=40e6, discount_rate=0.1))
    >>> print(verdict_text(result, "en"))
    Not worth it yet: at 10% a year the machine brings ₫30,578,512 less than it costs, in today's money. Try a lower price, more revenue or savings, or ask for a grant.
    """
    from coopkit import fmt, i18n

    def years(value: float | None) -> str:
        return fmt.number(value, lang, decimals=1) if value is not None else i18n.tr("invest.never", lang)

    return i18n.tr(
        f"invest.verdict.{appraisal.verdict}",
        lang,
        rate=fmt.percent(appraisal.discount_rate, lang),
        npv=fmt.money(appraisal.project_npv, lang),
        loss=fmt.money(-appraisal.project_npv, lang),
        own_npv=fmt.money(appraisal.own_npv, lang),
        payback=years(appraisal.project_payback_years),
        years=", ".join(str(y) for y in appraisal.shortfall_years),
    )


# ---------------------------------------------------------------------------------------------
# Equipment templates (datasets/equipment.csv)


@dataclass(frozen=True)
class Equipment:
    """An equipment template: a machine or building a cooperative may buy, with its source.

    The numbers are those of one row of ``datasets/equipment.csv`` (see its data dictionary
    in ``datasets/README.md``); ``grant`` and ``loan_amount`` are the financing the app
    starts from. They are checked as `Investment` checks them: a price above zero, a life of
    whole years from 1 to `MAX_LIFE_YEARS`, amounts zero or more, a salvage value and a grant
    not above the price, a loan and a grant together not above it.

    Examples
    --------
    >>> Equipment("may_say", "Máy sấy", "Dryer", 450e6, 10, salvage_value=500e6,
    ...           extra_revenue_per_year=160e6, running_cost_per_year=40e6, grant=0.0,
    ...           loan_amount=0.0, source="illustrative assumption")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Giá trị thanh lý (500.000.000...) không được cao hơn giá mua thiết bị (450.000.000...).
    """

    key: str
    name_vi: str
    name_en: str
    purchase_price: float
    useful_life_years: int
    salvage_value: float
    extra_revenue_per_year: float
    running_cost_per_year: float
    grant: float
    loan_amount: float
    source: str

    def __post_init__(self) -> None:
        price = check_positive("purchase_price", self.purchase_price)
        salvage = check_nonnegative("salvage_value", self.salvage_value)
        if salvage > price:
            raise InputError("salvage_value", reason="above_purchase_price", value=salvage, purchase_price=price)
        grant = check_nonnegative("grant", self.grant)
        if grant > price:
            raise InputError("grant", reason="above_purchase_price", value=grant, purchase_price=price)
        loan = check_nonnegative("loan_amount", self.loan_amount)
        if loan + grant > price * (1 + 1e-12):
            raise InputError("loan_amount", reason="invest_financing_above_price", value=loan, grant=grant,
                             purchase_price=price)
        checked = {
            "purchase_price": price,
            "useful_life_years": _check_life(self.useful_life_years),
            "salvage_value": salvage,
            "extra_revenue_per_year": check_nonnegative("extra_revenue_per_year", self.extra_revenue_per_year),
            "running_cost_per_year": check_nonnegative("running_cost_per_year", self.running_cost_per_year),
            "grant": grant,
            "loan_amount": loan,
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def is_assumption(self) -> bool:
        """Every number of the template is an illustrative assumption (no published source)."""
        return self.source.strip().lower().startswith("illustrative assumption")

    def name(self, lang: str | None = None) -> str:
        """The template's name in ``lang`` (Vietnamese when there is no English)."""
        from coopkit.i18n import normalize_language

        return self.name_en if normalize_language(lang) == "en" and self.name_en else self.name_vi

    def investment(self, discount_rate: float = DEFAULT_DISCOUNT_RATE, **loan_terms: object) -> Investment:
        """The template as an `Investment`, its loan on `DEFAULT_LOAN` terms unless given.

        >>> dryer = load_equipment()["may_say_ca_phe"].investment()
        >>> dryer.purchase_price, dryer.loan.months, dryer.loan.method
        (450000000.0, 36, 'equal_principal')
        """
        loan = None
        if self.loan_amount > 0:
            loan = Loan(self.loan_amount, **{**DEFAULT_LOAN, **loan_terms})
        return Investment(self.purchase_price, self.useful_life_years, self.salvage_value,
                          self.extra_revenue_per_year, self.running_cost_per_year, self.grant, loan,
                          discount_rate=discount_rate)


def load_equipment(path: str | os.PathLike[str] | None = None) -> dict[str, Equipment]:
    """The equipment templates of ``equipment.csv``, in the file's order.

    Parameters
    ----------
    path
        Folder holding ``equipment.csv``; default the datasets folder (``COOPKIT_DATASETS``
        when set).

    Raises
    ------
    InputError
        A reason starting ``data_`` naming the file, the row and the column that are wrong.

    Examples
    --------
    >>> templates = load_equipment()
    >>> list(templates)
    ['may_say_ca_phe', 'may_vo_che', 'nha_luoi', 'kho_lanh']
    >>> templates["kho_lanh"].grant
    1500000000.0
    """
    from coopkit.data import dataset_folder, file_stamp

    folder = dataset_folder(path)
    return dict(_equipment_cached(str(folder), file_stamp(folder, (EQUIPMENT_FILE,))))


@lru_cache(maxsize=16)
def _equipment_cached(folder: str, stamp: tuple) -> dict[str, Equipment]:
    from coopkit.data import RowError, Sheet

    sheet = Sheet(Path(folder), EQUIPMENT_FILE, EQUIPMENT_COLUMNS)
    seen: dict[str, int] = {}
    templates: dict[str, Equipment] = {}
    for row in sheet.rows.index:
        key = sheet.text(row, "key")
        sheet.unique(seen, key, row, "key", key)
        values = {
            "key": key,
            "name_vi": sheet.text(row, "name_vi"),
            "name_en": sheet.text(row, "name_en"),
            "purchase_price": sheet.number(row, "purchase_price", "positive"),
            "useful_life_years": sheet.number(row, "useful_life_years", "count"),
            "salvage_value": sheet.number(row, "salvage_value"),
            "extra_revenue_per_year": sheet.number(row, "extra_revenue_per_year"),
            "running_cost_per_year": sheet.number(row, "running_cost_per_year"),
            "grant": sheet.number(row, "grant"),
            "loan_amount": sheet.number(row, "loan_amount"),
            "source": sheet.text(row, "source"),
        }
        try:
            template = Equipment(**values)
            template.investment()
        except InputError as err:
            column = err.field if err.field in EQUIPMENT_COLUMNS else "purchase_price"
            raise RowError(err, column, file=EQUIPMENT_FILE, row=row) from err
        templates[key] = template
    return templates
