"""Where the year's surplus goes: income tax, the cooperative's funds, and each member's share.

At the end of the year a cooperative that earned more than it spent has a *surplus* (lãi, thu
nhập). `distribute_surplus` follows it step by step, as a general meeting of members would:

1. corporate income tax: ``surplus × income_tax_rate`` (nothing when the year is a loss);
2. the cooperative's funds (development investment, financial reserve, welfare…): each a share
   of what is left after tax (`Fund`; defaults in ``datasets/fund_shares.csv``);
3. the rest goes to the members: ``transactions_share`` of it in proportion to what each member
   traded with the cooperative (mức độ sử dụng sản phẩm, dịch vụ: here the value of the produce
   they sold to it), the rest in proportion to the capital each contributed.

A loss (a negative surplus) distributes nothing: the result says so (``is_loss``) and every
amount is zero. `member_income` then compares what a member earns selling through the
cooperative (its price plus the member's share of the surplus) with selling to a trader.

Sources. Corporate income tax: the Law on Corporate Income Tax 2008, Art. 4.1 as amended by
Laws 32/2013/QH13 and 71/2014/QH13, exempts a cooperative's income from cultivation, animal
husbandry, aquaculture and the processing of agricultural and aquatic products, so the default
rate is 0; other income is taxed at the standard rate of 20 % (Art. 10 as amended in 2013)
(quoted by lawnet.vn, "Are cooperatives subject to corporate income tax on income from
cultivation and farming in Vietnam?"). Check with the tax office: a new corporate income tax law
may apply to your year. Fund shares and the split between transactions and capital are
**assumptions, not confirmed**: the Law on Cooperatives 17/2023/QH15 and its guiding decrees (such as Decree 113/2024/ND-CP)
set rules for them, but their articles and minimum shares could not be checked when this module
was written; your cooperative's charter decides within the law.

Conventions: amounts are positive VND (a loss is a negative ``surplus``); shares are fractions.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import Shown, register_fields
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_positive

__all__ = [
    "DEFAULT_TRANSACTIONS_SHARE",
    "FUNDS_FILE",
    "MEMBERS_FILE",
    "Distribution",
    "Fund",
    "Member",
    "MemberIncome",
    "distribute_surplus",
    "example_members",
    "load_funds",
    "member_income",
    "share_of_pool",
]

register_fields(
    {
        "surplus": "money",
        "income_tax_rate": "rate",
        "fund_share": "rate",
        "funds_total_share": "rate",
        "transactions_share": "rate",
        "members": "text",
        "member_name": "text",
        "member_transactions": "money",
        "member_capital": "money",
        "member": "text",
        "pool": "money",
        "price_via_coop_per_kg": "money",
        "price_via_trader_per_kg": "money",
        "quantity_kg": "number",
        "refund": "money",
    }
)

FUNDS_FILE = "fund_shares.csv"
MEMBERS_FILE = "members_example.csv"
#: Share of the members' part distributed by transactions (the rest by capital). Illustrative
#: assumption, not confirmed: the law asks that members be paid mainly by their use of the
#: cooperative's products and services; the exact rule could not be checked.
DEFAULT_TRANSACTIONS_SHARE = 0.70


@dataclass(frozen=True)
class Fund:
    """A fund the cooperative keeps from its after-tax income: its names and its share.

    >>> Fund("du_phong", "Quỹ dự phòng tài chính", "Financial reserve fund", 0.05).name("en")
    'Financial reserve fund'
    >>> Fund("x", "Quỹ X", "Fund X", 1.5)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Tỷ lệ trích Quỹ X phải từ 0% đến 100% (bạn đã nhập 150%).
    """

    key: str
    name_vi: str
    name_en: str
    share: float
    source: str = ""

    def __post_init__(self) -> None:
        if not str(self.key).strip():
            raise InputError("fund_share", reason="empty_name", value=self.key)
        try:
            share = check_fraction("fund_share", self.share, allow_one=True)
        except InputError as err:
            raise InputError("fund_share", reason=err.reason, value=err.value, label=self.share_label(),
                             fund=self.key, **err.params) from None
        object.__setattr__(self, "share", share)

    def name(self, lang: str | None = None) -> str:
        from coopkit.i18n import normalize_language

        return self.name_en if normalize_language(lang) == "en" and self.name_en else self.name_vi

    def share_label(self) -> dict[str, str]:
        """The label of this fund's share in each language ("Share to the reserve fund")."""
        from coopkit import i18n

        return {lang: i18n.tr("members.fund_share_label", lang, fund=self.name(lang)) for lang in i18n.LANGUAGES}


def _member_label(field_name: str, name: str) -> dict[str, str]:
    from coopkit import i18n

    return {lang: i18n.tr("members.member_field_label", lang, field=i18n.tr(f"field.{field_name}", lang), member=name)
            for lang in i18n.LANGUAGES}


@dataclass(frozen=True)
class Member:
    """A member: name, what they traded with the cooperative in the year (VND), capital (VND).

    >>> Member("Lò Văn Bình", transactions=225_000_000, capital=50_000_000).capital
    50000000.0
    """

    name: str
    transactions: float
    capital: float

    def __post_init__(self) -> None:
        name = str(self.name).strip()
        if not name:
            raise InputError("member_name", reason="empty_name", value=self.name)
        object.__setattr__(self, "name", name)
        for attribute, field_name in (("transactions", "member_transactions"), ("capital", "member_capital")):
            try:
                value = check_nonnegative(field_name, getattr(self, attribute))
            except InputError as err:
                raise InputError(field_name, reason=err.reason, value=err.value, label=_member_label(field_name, name),
                                 member=name, **err.params) from None
            object.__setattr__(self, attribute, value)


@dataclass(frozen=True)
class Distribution:
    """Where a year's surplus went.

    Attributes
    ----------
    surplus
        The year's surplus (negative: a loss).
    is_loss
        True when the surplus is below zero: nothing is distributed.
    income_tax_rate, income_tax
        The rate and the tax paid (0 for a loss).
    after_tax
        Surplus − tax (0 for a loss).
    funds
        One row per fund: ``key``, ``name_vi``, ``name_en``, ``share`` (of the after-tax
        surplus), ``amount``.
    funds_total
        Set aside in all the funds.
    to_members
        Left for the members: after-tax surplus − funds.
    transactions_share
        Share of ``to_members`` paid by transactions (the rest by capital).
    by_transactions, by_capital
        The two pools.
    statement
        One row per member: ``member``, ``transactions``, ``capital``, ``share_of_transactions``
        and ``share_of_capital`` (fractions of the totals), ``by_transactions``, ``by_capital``,
        ``total``.
    """

    surplus: float
    is_loss: bool
    income_tax_rate: float
    income_tax: float
    after_tax: float
    funds_total: float
    to_members: float
    transactions_share: float
    by_transactions: float
    by_capital: float
    funds: pd.DataFrame = field(repr=False, compare=False)
    statement: pd.DataFrame = field(repr=False, compare=False)

    @property
    def loss(self) -> float:
        """The year's loss (0 when there is a surplus)."""
        return max(-self.surplus, 0.0)

    def member(self, name: str) -> pd.Series:
        """The statement row of member ``name``."""
        rows = self.statement[self.statement["member"] == name]
        if rows.empty:
            raise InputError("member", reason="unknown_member", value=name)
        return rows.iloc[0]

    def to_frame(self) -> pd.DataFrame:
        """The totals as ``key``, ``value`` rows (the tables are ``funds`` and ``statement``).

        >>> d = distribute_surplus(100_000_000, [Member("A", 1, 1)], funds=())
        >>> float(d.to_frame().set_index("key").loc["to_members", "value"])
        100000000.0
        """
        keys = ["surplus", "income_tax", "after_tax", "funds_total", "to_members", "by_transactions", "by_capital"]
        return pd.DataFrame({"key": keys, "value": [float(getattr(self, k)) for k in keys]})

    def shares(self) -> pd.DataFrame:
        """Where the surplus goes, one row per destination: ``key`` (``income_tax``, each fund's
        key, ``by_transactions``, ``by_capital``), ``amount`` and ``share`` of the surplus (all 0
        for a loss or a zero surplus). The amounts add up to the surplus."""
        rows = [("income_tax", self.income_tax)]
        rows += list(zip(self.funds["key"], self.funds["amount"], strict=True))
        rows += [("by_transactions", self.by_transactions), ("by_capital", self.by_capital)]
        total = self.surplus if self.surplus > 0 else 0.0
        return pd.DataFrame(
            {
                "key": [k for k, _ in rows],
                "amount": [float(a) for _, a in rows],
                "share": [float(a) / total if total > 0 else 0.0 for _, a in rows],
            }
        )


def share_of_pool(pool: float, member_amount: float, total_amount: float) -> float:
    """A member's part of ``pool`` in proportion to their amount: ``pool × member ÷ total``.

    Examples
    --------
    The members' pool paid by transactions is 117.6 million đồng; Bình sold the cooperative
    225 million đồng of cherry out of 1.2 billion. What does he get from that pool?

    >>> share_of_pool(117_600_000, 225_000_000, 1_200_000_000)
    22050000.0
    """
    pool = check_nonnegative("pool", pool)
    part = check_nonnegative("member_transactions", member_amount)
    total = check_positive("member_transactions", total_amount)
    if part > total:
        raise InputError("member_transactions", reason="member_above_total", value=part,
                         total=Shown(total, "member_transactions"))
    return pool * part / total


def _check_members(members: Iterable[Member]) -> tuple[Member, ...]:
    members = tuple(members)
    if not members:
        raise InputError("members", reason="no_members")
    seen: dict[str, int] = {}
    for number, member in enumerate(members, start=1):
        key = " ".join(member.name.split()).casefold()
        if key in seen:
            raise InputError("member_name", reason="duplicate_member", value=member.name, member=member.name,
                             row=number, first_row=seen[key])
        seen[key] = number
        if member.transactions == 0 and member.capital == 0:
            raise InputError("member_transactions", reason="member_nothing", value=0.0, member=member.name, row=number)
    return members


def _check_funds(funds: Iterable[Fund]) -> tuple[Fund, ...]:
    funds = tuple(funds)
    seen: set[str] = set()
    for fund in funds:
        if fund.key in seen:
            raise InputError("fund_share", reason="duplicate_key", value=fund.key)
        seen.add(fund.key)
    total = math.fsum(f.share for f in funds)
    if total > 1 + 1e-12:
        raise InputError("funds_total_share", reason="funds_above_total", value=total)
    return funds


def distribute_surplus(
    surplus: float,
    members: Sequence[Member],
    *,
    income_tax_rate: float = 0.0,
    funds: Sequence[Fund] | None = None,
    transactions_share: float = DEFAULT_TRANSACTIONS_SHARE,
) -> Distribution:
    """The year's surplus → income tax → the funds → each member, by transactions and capital.

    Parameters
    ----------
    surplus
        The year's surplus before corporate income tax, VND (negative: a loss).
    members
        The members (`Member`): at least one; names unique (ignoring case and extra spaces);
        each with transactions or capital above zero.
    income_tax_rate
        Corporate income tax on the surplus, a fraction from 0 to 1 (default 0: a cooperative's
        income from growing, raising and processing farm products is exempt; see the module).
    funds
        The funds (`Fund`) and their shares of the after-tax surplus, together at most 100 %;
        default `load_funds()` (``datasets/fund_shares.csv``).
    transactions_share
        Share of the members' part paid in proportion to transactions, 0 to 1; the rest is paid
        in proportion to capital (default `DEFAULT_TRANSACTIONS_SHARE`, an assumption).

    Returns
    -------
    Distribution
        For a surplus of zero or less, every amount is zero (``is_loss`` for a loss).

    Raises
    ------
    InputError
        A rate or share outside 0–100 %, funds together above 100 %, no member, a duplicate
        name, a member with neither transactions nor capital, or no transactions (capital) at
        all while part of the surplus is to be paid by them.

    Examples
    --------
    A coffee cooperative in Sơn La ends the year with 240 million đồng. It pays no income tax
    (farm income), keeps 20 % + 5 % + 5 % in its funds and pays 70 % of the rest by the cherry
    each member sold it, 30 % by capital. What is left for the members?

    >>> members = example_members()
    >>> d = distribute_surplus(240_000_000, members, funds=load_funds())
    >>> [round(x) for x in (d.funds_total, d.to_members, d.by_transactions, d.by_capital)]
    [72000000, 168000000, 117600000, 50400000]

    Lò Văn Bình sold 225 of the 1 200 million đồng of cherry and put in 50 of the 230 million
    of capital:

    >>> row = d.member("Lò Văn Bình")
    >>> round(row["by_transactions"]), round(row["by_capital"]), round(row["total"])
    (22050000, 10956522, 33006522)
    """
    surplus = check_finite("surplus", surplus)
    rate = check_fraction("income_tax_rate", income_tax_rate, allow_one=True)
    split = check_fraction("transactions_share", transactions_share, allow_one=True)
    funds = _check_funds(load_funds() if funds is None else funds)
    members = _check_members(members)
    transactions = pd.Series([m.transactions for m in members], dtype=float)
    capital = pd.Series([m.capital for m in members], dtype=float)
    total_transactions, total_capital = float(transactions.sum()), float(capital.sum())
    if split > 0 and total_transactions <= 0:
        raise InputError("member_transactions", reason="no_member_transactions", value=0.0)
    if split < 1 and total_capital <= 0:
        raise InputError("member_capital", reason="no_member_capital", value=0.0)

    positive = surplus > 0
    tax = surplus * rate if positive else 0.0
    after_tax = surplus - tax if positive else 0.0
    fund_amounts = [after_tax * f.share for f in funds]
    funds_total = math.fsum(fund_amounts)
    to_members = max(after_tax - funds_total, 0.0)
    pool_transactions = to_members * split
    pool_capital = to_members - pool_transactions

    share_t = transactions / total_transactions if total_transactions > 0 else transactions * 0.0
    share_c = capital / total_capital if total_capital > 0 else capital * 0.0
    by_t = share_t * pool_transactions
    by_c = share_c * pool_capital
    statement = pd.DataFrame(
        {
            "member": [m.name for m in members],
            "transactions": transactions,
            "capital": capital,
            "share_of_transactions": share_t,
            "share_of_capital": share_c,
            "by_transactions": by_t,
            "by_capital": by_c,
            "total": by_t + by_c,
        }
    )
    fund_table = pd.DataFrame(
        {
            "key": [f.key for f in funds],
            "name_vi": [f.name_vi for f in funds],
            "name_en": [f.name_en for f in funds],
            "share": [f.share for f in funds],
            "amount": fund_amounts,
        },
        columns=["key", "name_vi", "name_en", "share", "amount"],
    )
    return Distribution(
        surplus=surplus,
        is_loss=surplus < 0,
        income_tax_rate=rate,
        income_tax=tax,
        after_tax=after_tax,
        funds_total=funds_total,
        to_members=to_members,
        transactions_share=split,
        by_transactions=pool_transactions,
        by_capital=pool_capital,
        funds=fund_table,
        statement=statement,
    )


@dataclass(frozen=True)
class MemberIncome:
    """A member's income from their produce with and without the cooperative.

    Attributes
    ----------
    quantity_kg
        Kilograms the member sold.
    price_via_coop_per_kg, price_via_trader_per_kg
        Price paid by the cooperative and by a trader (VND/kg).
    sales_via_coop, refund, income_with_coop
        Quantity × cooperative price; the member's share of the surplus; their sum.
    income_without_coop
        Quantity × trader price.
    gain, gain_per_kg
        Income with − income without the cooperative (negative: the trader pays more), in all
        and per kg.
    """

    quantity_kg: float
    price_via_coop_per_kg: float
    price_via_trader_per_kg: float
    sales_via_coop: float
    refund: float
    income_with_coop: float
    income_without_coop: float
    gain: float
    gain_per_kg: float

    def to_frame(self) -> pd.DataFrame:
        """The numbers as ``key``, ``value`` rows."""
        keys = ["quantity_kg", "sales_via_coop", "refund", "income_with_coop", "income_without_coop", "gain"]
        return pd.DataFrame({"key": keys, "value": [float(getattr(self, k)) for k in keys]})


def member_income(
    quantity_kg: float, price_via_coop_per_kg: float, price_via_trader_per_kg: float, refund: float = 0.0
) -> MemberIncome:
    """What a member earns selling ``quantity_kg`` through the cooperative (its price plus their
    share of the surplus, ``refund``) against selling to a trader at ``price_via_trader_per_kg``.

    Examples
    --------
    Bình sold 15 t of cherry to the cooperative at 15 000 ₫/kg and received 33 million đồng of
    the surplus; a trader would have paid 13 500 ₫/kg. How much better off is he?

    >>> income = member_income(15_000, 15_000, 13_500, refund=33_006_522)
    >>> income.income_with_coop, income.income_without_coop, income.gain
    (258006522.0, 202500000.0, 55506522.0)
    """
    quantity = check_nonnegative("quantity_kg", quantity_kg)
    coop = check_nonnegative("price_via_coop_per_kg", price_via_coop_per_kg)
    trader = check_nonnegative("price_via_trader_per_kg", price_via_trader_per_kg)
    refund = check_nonnegative("refund", refund)
    sales = quantity * coop
    with_coop = sales + refund
    without = quantity * trader
    gain = with_coop - without
    return MemberIncome(
        quantity_kg=quantity,
        price_via_coop_per_kg=coop,
        price_via_trader_per_kg=trader,
        sales_via_coop=sales,
        refund=refund,
        income_with_coop=with_coop,
        income_without_coop=without,
        gain=gain,
        gain_per_kg=gain / quantity if quantity > 0 else 0.0,
    )


# ---------------------------------------------------------------------------------------------
# Defaults from datasets/


def _folder(path: str | os.PathLike[str] | None):
    from pathlib import Path

    from coopkit.data import datasets_dir

    return Path(path).expanduser().resolve() if path is not None else datasets_dir()


def load_funds(path: str | os.PathLike[str] | None = None) -> tuple[Fund, ...]:
    """The funds and their default shares from ``datasets/fund_shares.csv`` (see its sources).

    Raises `InputError` naming the file, row and column of a bad cell.

    >>> [(f.key, f.share) for f in load_funds()]
    [('dau_tu_phat_trien', 0.2), ('du_phong_tai_chinh', 0.05), ('phuc_loi_khen_thuong', 0.05)]
    """
    from coopkit.data import _Sheet

    sheet = _Sheet(_folder(path), FUNDS_FILE, ("key", "name_vi", "name_en", "share", "source"))
    funds, seen = [], {}
    for row in sheet.rows.index:
        key = sheet.text(row, "key")
        sheet.unique(seen, key, row, "key", key)
        share = sheet.number(row, "share")
        if share > 1:
            raise sheet.error(row, "share", "data_not_a_fraction", sheet.rows.at[row, "share"])
        funds.append(Fund(key, sheet.text(row, "name_vi"), sheet.text(row, "name_en"), share,
                          sheet.text(row, "source")))
    total = math.fsum(f.share for f in funds)
    if total > 1 + 1e-12:
        raise InputError("funds_total_share", reason="funds_above_total", value=total)
    return tuple(funds)


def example_members(path: str | os.PathLike[str] | None = None) -> tuple[Member, ...]:
    """Six example members of a Sơn La coffee cooperative (``datasets/members_example.csv``,
    an illustrative example, not real people).

    >>> members = example_members()
    >>> len(members), sum(m.transactions for m in members), sum(m.capital for m in members)
    (6, 1200000000.0, 230000000.0)
    """
    from coopkit.data import _Sheet

    sheet = _Sheet(_folder(path), MEMBERS_FILE, ("name", "transactions", "capital", "source"))
    members, seen = [], {}
    for row in sheet.rows.index:
        name = sheet.text(row, "name")
        sheet.unique(seen, name.casefold(), row, "name", name)
        members.append(Member(name, sheet.number(row, "transactions"), sheet.number(row, "capital")))
    return tuple(members)
