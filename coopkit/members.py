"""Where the year's surplus goes under the Law on Cooperatives 17/2023/QH15, and each member's share.

At the end of the year a cooperative that earned more than it spent has a *surplus* (thu nhập,
lãi). `distribute_surplus` follows it in the order of the law:

1. **Two kinds of income** (Art. 85). Income from *internal transactions* (giao dịch nội bộ:
   with the cooperative's members) and from *external transactions* (with everyone else) are
   accounted separately; a cooperative that does not keep them apart treats **all** its income as
   external. Pass ``internal_surplus`` when the books keep them apart; leave it out (``None``)
   when they do not. (The cooperative accounting regime, Circular 71/2024/TT-BTC, has separate
   revenue accounts: 512 internal, 511 external.)
2. **The indivisible common fund** (quỹ chung không chia, Art. 84): ``indivisible_internal_rate``
   of the internal income (the charter sets the rate: *your charter decides*) and at least 5 % of
   the external income (10 % for a union of cooperatives: ``union=True``).
3. **Tax, other obligations and past losses** (Art. 86). Internal-transaction income and income
   that forms the indivisible fund get corporate income tax exemptions or reductions (Art. 22);
   here they are treated as exempt and ``income_tax_rate`` applies to the external income left
   after its indivisible fund (a simplification: the tax office decides). ``obligations`` (other
   obligations and past losses still to cover, VND) come next.
4. **Funds the law requires and funds the general meeting decides** (Art. 86): each `Fund` takes
   a share of what is left (defaults in ``datasets/fund_shares.csv``: *your charter decides*).
5. **The members** (Art. 86). Of what remains from internal transactions, at least 51 %
   (``use_share``) goes to *official members* (thành viên chính thức) by their use of the
   cooperative's products and services (here: the value of what each traded with it) or their
   labour; the rest by capital, as the charter says. What remains from external transactions
   goes as the charter says: here, by capital (an illustrative charter).

`capital_warnings` checks the capital limits of Art. 74: one official member at most 30 % of the
charter capital (40 % in a union), associate capital members (thành viên liên kết góp vốn)
together at most 30 %. A loss (a negative surplus) distributes nothing (``is_loss``).
`member_income` compares what a member earns selling through the cooperative (its price plus
their share of the surplus) with selling to a trader.

Sources and what is not confirmed. The articles above (Law on Cooperatives 17/2023/QH15, passed
20 June 2023, in force 1 July 2024: Art. 4.17, 22, 74, 84, 85, 86) were read from the law's
codified (Pháp điển) text and press reports; **they could not be checked against the law as
published in the Official Gazette when this module was written**: confirm them, and the guiding
decrees, before relying on them. Where the law leaves a number to the cooperative (the internal
rate of the indivisible fund, the other funds, the share paid by use above 51 %, how external
income is shared) the defaults are illustrative assumptions: your charter decides. The repealed
2012 law's minimums (development investment fund 20 %, reserve fund 5 %) no longer apply.
Corporate income tax: the Law on Corporate Income Tax 67/2025/QH15 has replaced Law 14/2008/QH12
since 1 October 2025. The old law (Art. 4.1 as amended by Laws 32/2013/QH13 and 71/2014/QH13)
exempted a cooperative's income from cultivation, animal husbandry, aquaculture and the
processing of farm and aquatic products, processed products qualifying when farm or aquatic raw
materials were at least 30 % of their production cost (Decree 218/2013/ND-CP as amended by
Decree 12/2015/ND-CP); **what Law 67/2025/QH15 and its decree say for cooperatives and for
processed products was not confirmed**: the default rate 0 assumes the farm-income exemption
continues; ask the tax office for your year.

Conventions: amounts are positive VND (a loss is a negative ``surplus``); shares are fractions.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import Shown, register_fields
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_positive

__all__ = [
    "ASSOCIATES_CAPITAL_LIMIT",
    "DEFAULT_INDIVISIBLE_INTERNAL_RATE",
    "DEFAULT_TRANSACTIONS_SHARE",
    "DEFAULT_USE_SHARE",
    "FUNDS_FILE",
    "INDIVISIBLE_EXTERNAL_MINIMUM",
    "MEMBERS_FILE",
    "MEMBER_KINDS",
    "OFFICIAL_CAPITAL_LIMIT",
    "USE_SHARE_MINIMUM",
    "CapitalWarning",
    "Distribution",
    "Fund",
    "Member",
    "MemberIncome",
    "capital_warnings",
    "distribute_surplus",
    "example_members",
    "indivisible_external_minimum",
    "load_funds",
    "member_income",
    "share_of_pool",
]

register_fields(
    {
        "surplus": "money",
        "internal_surplus": "money",
        "books": "text",
        "indivisible_internal_rate": "rate",
        "indivisible_external_rate": "rate",
        "income_tax_rate": "rate",
        "obligations": "money",
        "fund_share": "rate",
        "funds_total_share": "rate",
        "use_share": "rate",
        "transactions_share": "rate",
        "members": "text",
        "member_name": "text",
        "member_kind": "text",
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
#: Official members (thành viên chính thức, Art. 4.17) and associate capital members
#: (thành viên liên kết góp vốn).
MEMBER_KINDS: tuple[str, ...] = ("official", "associate")
#: Art. 86: at least 51 % of what remains from internal transactions goes to official members by
#: their use of the cooperative's products and services (or their labour).
USE_SHARE_MINIMUM = 0.51
#: Share paid by use: the charter decides, at least `USE_SHARE_MINIMUM` (70 %: illustrative).
DEFAULT_USE_SHARE = 0.70
#: Deprecated name of `DEFAULT_USE_SHARE` (kept for one release).
DEFAULT_TRANSACTIONS_SHARE = DEFAULT_USE_SHARE
#: Art. 84: the indivisible common fund takes at least this share of external-transaction income
#: (cooperative, union of cooperatives).
INDIVISIBLE_EXTERNAL_MINIMUM = {"cooperative": 0.05, "union": 0.10}
#: Art. 84: the charter sets the indivisible fund's share of internal-transaction income (5 %:
#: illustrative, your charter decides).
DEFAULT_INDIVISIBLE_INTERNAL_RATE = 0.05
#: Art. 74: most one official member may hold of the charter capital (cooperative, union).
OFFICIAL_CAPITAL_LIMIT = {"cooperative": 0.30, "union": 0.40}
#: Art. 74: most the associate capital members may hold together.
ASSOCIATES_CAPITAL_LIMIT = 0.30

_UNSET = object()


def _entity(union: bool) -> str:
    return "union" if union else "cooperative"


def indivisible_external_minimum(union: bool = False) -> float:
    """The least share of external-transaction income the indivisible fund takes (Art. 84).

    >>> indivisible_external_minimum(), indivisible_external_minimum(union=True)
    (0.05, 0.1)
    """
    return INDIVISIBLE_EXTERNAL_MINIMUM[_entity(union)]


@dataclass(frozen=True)
class Fund:
    """A fund the cooperative keeps after tax, obligations and losses: its names and its share.

    The funds the law requires and those the general meeting decides (Art. 86); the shares are the
    charter's (``datasets/fund_shares.csv`` holds illustrative ones).

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
    """A member: name, what they traded with the cooperative in the year (VND), capital (VND), kind.

    ``kind`` is ``"official"`` (thành viên chính thức: contributes capital and uses the
    cooperative's products or services, or its labour, Art. 4.17) or ``"associate"`` (thành viên
    liên kết góp vốn: contributes capital only). Only official members share by use (Art. 86);
    an associate's ``transactions`` are not counted for it.

    >>> Member("Lò Văn Bình", transactions=225_000_000, capital=50_000_000).capital
    50000000.0
    """

    name: str
    transactions: float
    capital: float
    kind: str = "official"

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
        if self.kind not in MEMBER_KINDS:
            raise InputError("member_kind", reason="unknown_member_kind", value=self.kind,
                             label=_member_label("member_kind", name), member=name)

    @property
    def is_official(self) -> bool:
        return self.kind == "official"


@dataclass(frozen=True)
class CapitalWarning:
    """A capital share beyond the limits of Art. 74 (a warning: the table is still computed).

    ``kind``: ``"official_above_limit"`` (one official member above 30 %, 40 % in a union; ``member``
    names them) or ``"associates_above_limit"`` (associate capital members together above 30 %).
    """

    kind: str
    member: str
    share: float
    limit: float

    def message(self, lang: str | None = None) -> str:
        """The warning in words.

        >>> w = capital_warnings([Member("An", 1, 40), Member("Bình", 1, 60)])
        >>> print(w[1].message("en"))
        Bình holds 60% of the charter capital: one official member may hold at most 30% (Law on Cooperatives 2023, Art. 74).
        """
        from coopkit import fmt, i18n

        return i18n.tr(f"members.warning.{self.kind}", lang, member=self.member,
                       share=fmt.percent(self.share, lang, decimals=1), limit=fmt.percent(self.limit, lang))


def capital_warnings(members: Iterable[Member], *, union: bool = False) -> tuple[CapitalWarning, ...]:
    """The members whose capital is beyond the limits of Art. 74, as warnings (none: empty).

    The charter capital is everything the members contributed. One official member may hold at
    most 30 % of it (40 % in a union of cooperatives); the associate capital members together at
    most 30 %. A share equal to the limit is allowed.

    Examples
    --------
    Three members put in 50, 20 and 30 million đồng; the third is an associate capital member:

    >>> ws = capital_warnings([Member("An", 1, 50e6), Member("Bình", 1, 20e6), Member("Công ty Xanh", 0, 30e6, "associate")])
    >>> [(w.kind, w.member, w.share) for w in ws]
    [('official_above_limit', 'An', 0.5)]
    """
    members = tuple(members)
    total = math.fsum(m.capital for m in members)
    if total <= 0:
        return ()
    limit = OFFICIAL_CAPITAL_LIMIT[_entity(union)]
    found = [CapitalWarning("official_above_limit", m.name, m.capital / total, limit)
             for m in members if m.is_official and m.capital / total > limit + 1e-12]
    associates = math.fsum(m.capital for m in members if not m.is_official) / total
    if associates > ASSOCIATES_CAPITAL_LIMIT + 1e-12:
        found.append(CapitalWarning("associates_above_limit", "", associates, ASSOCIATES_CAPITAL_LIMIT))
    return tuple(found)


@dataclass(frozen=True)
class Distribution:
    """Where a year's surplus went (Law on Cooperatives 2023, Art. 84–86).

    Attributes
    ----------
    surplus
        The year's surplus before tax (negative: a loss).
    is_loss
        True when the surplus is below zero: nothing is distributed.
    accounted_separately
        Whether internal and external income were accounted apart (Art. 85); if not, all of it
        counted as external.
    internal_surplus, external_surplus
        The surplus from transactions with members and from all other transactions (0 for a loss).
    indivisible_internal_rate, indivisible_external_rate
        The indivisible fund's rates on each kind of income.
    indivisible_internal, indivisible_external, indivisible_fund
        Set aside in the indivisible common fund from each kind of income, and together.
    income_tax_rate, income_tax
        The rate (on external income after its indivisible part) and the tax.
    obligations, obligations_uncovered
        Other obligations and past losses paid from this year's surplus, and what was left unpaid.
    funds, funds_total
        One row per other fund: ``key``, ``name_vi``, ``name_en``, ``share`` (of what is left after
        tax and obligations), ``amount``; and their total.
    distributable_internal, distributable_external
        What remains for the members from each kind of income.
    use_share
        Share of ``distributable_internal`` paid to official members by use (at least 51 %).
    by_transactions
        The pool paid by use (transactions): ``use_share × distributable_internal``.
    by_capital
        The pool paid by capital: the rest of ``distributable_internal`` and all of
        ``distributable_external`` (an illustrative charter).
    to_members
        ``by_transactions + by_capital``.
    statement
        One row per member: ``member``, ``kind``, ``transactions``, ``capital``,
        ``share_of_transactions`` and ``share_of_capital`` (fractions of the totals),
        ``by_transactions``, ``by_capital``, ``total``.
    warnings
        `CapitalWarning` for capital beyond the limits of Art. 74.
    """

    surplus: float
    is_loss: bool
    accounted_separately: bool
    internal_surplus: float
    external_surplus: float
    indivisible_internal_rate: float
    indivisible_external_rate: float
    indivisible_internal: float
    indivisible_external: float
    income_tax_rate: float
    income_tax: float
    obligations: float
    obligations_uncovered: float
    funds_total: float
    distributable_internal: float
    distributable_external: float
    use_share: float
    by_transactions: float
    by_capital: float
    funds: pd.DataFrame = field(repr=False, compare=False)
    statement: pd.DataFrame = field(repr=False, compare=False)
    warnings: tuple[CapitalWarning, ...] = ()

    @property
    def loss(self) -> float:
        """The year's loss (0 when there is a surplus)."""
        return max(-self.surplus, 0.0)

    @property
    def indivisible_fund(self) -> float:
        """Set aside in the indivisible common fund (Art. 84)."""
        return self.indivisible_internal + self.indivisible_external

    @property
    def to_members(self) -> float:
        """Shared among the members."""
        return self.by_transactions + self.by_capital

    @property
    def after_tax(self) -> float:
        """Surplus − indivisible fund − tax: what obligations, the other funds and the members share."""
        return self.distributable_internal + self.distributable_external + self.funds_total + self.obligations

    @property
    def transactions_share(self) -> float:
        """Deprecated name of `use_share`."""
        return self.use_share

    def member(self, name: str) -> pd.Series:
        """The statement row of member ``name``."""
        rows = self.statement[self.statement["member"] == name]
        if rows.empty:
            raise InputError("member", reason="unknown_member", value=name)
        return rows.iloc[0]

    def to_frame(self) -> pd.DataFrame:
        """The totals as ``key``, ``value`` rows (the tables are ``funds`` and ``statement``).

        >>> d = distribute_surplus(100_000_000, [Member("A", 1, 1)], funds=())
        >>> d.to_frame().set_index("key").loc[["indivisible_fund", "to_members"], "value"].tolist()
        [5000000.0, 95000000.0]
        """
        keys = ["surplus", "internal_surplus", "external_surplus", "indivisible_fund", "income_tax", "obligations",
                "funds_total", "distributable_internal", "distributable_external", "to_members", "by_transactions",
                "by_capital"]
        return pd.DataFrame({"key": keys, "value": [float(getattr(self, k)) for k in keys]})

    def shares(self) -> pd.DataFrame:
        """Where the surplus goes, one row per destination: ``key`` (``indivisible_fund``,
        ``income_tax``, ``obligations``, each fund's key, ``by_transactions``, ``by_capital``),
        ``amount`` and ``share`` of the surplus (all 0 for a loss or a zero surplus). The amounts
        add up to the surplus."""
        rows = [("indivisible_fund", self.indivisible_fund), ("income_tax", self.income_tax),
                ("obligations", self.obligations)]
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
    The pool paid to official members by use is 95.76 million đồng; Bình sold the cooperative
    225 million đồng of cherry out of 1.2 billion. What does he get from that pool?

    >>> share_of_pool(95_760_000, 225_000_000, 1_200_000_000)
    17955000.0
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
        if member.capital == 0 and (member.transactions == 0 or not member.is_official):
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


def _check_minimum(field_name: str, value: object, minimum: float, article: str) -> float:
    rate = check_fraction(field_name, value, allow_one=True)
    if rate < minimum - 1e-12:
        raise InputError(field_name, reason="below_legal_minimum", value=rate, minimum=Shown(minimum, field_name),
                         article=article)
    return rate


def distribute_surplus(
    surplus: float,
    members: Sequence[Member],
    *,
    internal_surplus: float | None = None,
    indivisible_internal_rate: float = DEFAULT_INDIVISIBLE_INTERNAL_RATE,
    indivisible_external_rate: float | None = None,
    income_tax_rate: float = 0.0,
    obligations: float = 0.0,
    funds: Sequence[Fund] | None = None,
    use_share: float = DEFAULT_USE_SHARE,
    union: bool = False,
    transactions_share: object = _UNSET,
) -> Distribution:
    """The year's surplus → indivisible fund → tax, obligations → other funds → each member (Art. 84–86).

    Parameters
    ----------
    surplus
        The year's surplus before corporate income tax, VND (negative: a loss).
    members
        The members (`Member`): at least one; names unique (ignoring case and extra spaces);
        each with capital, or (an official member) transactions, above zero.
    internal_surplus
        The part of ``surplus`` from internal transactions (with members), from 0 to ``surplus``,
        when the books keep it apart; ``None`` (default): not accounted separately, so all of the
        surplus counts as external (Art. 85).
    indivisible_internal_rate
        The indivisible common fund's share of internal income, 0 to 1: the charter sets it
        (Art. 84; default `DEFAULT_INDIVISIBLE_INTERNAL_RATE`, illustrative).
    indivisible_external_rate
        Its share of external income, at least 5 % (10 % for a union; Art. 84); default the
        minimum.
    income_tax_rate
        Corporate income tax on the external income left after its indivisible part, 0 to 1
        (default 0: farm income is assumed exempt; see the module).
    obligations
        Other obligations and past losses to cover from this year's surplus, VND (Art. 86);
        beyond what is left, the rest stays unpaid (``obligations_uncovered``).
    funds
        The other funds (`Fund`) and their shares of what is left after tax and obligations,
        together at most 100 % (``()`` for none); `load_funds()` reads the illustrative shares of
        ``datasets/fund_shares.csv``. Leaving it out (``None``) is deprecated: it reads that file
        with a warning, for one release.
    use_share
        Share of what remains from internal transactions paid to official members by use, from
        51 % (Art. 86) to 100 %; the rest is paid by capital (default `DEFAULT_USE_SHARE`,
        illustrative: your charter decides).
    union
        A union of cooperatives (liên hiệp hợp tác xã): the external minimum is 10 % and one
        official member's capital limit 40 %.
    transactions_share
        Deprecated name of ``use_share`` (warns; removed in the next release).

    Returns
    -------
    Distribution
        For a surplus of zero or less, every amount is zero (``is_loss`` for a loss).
        Internal and external income each carry their part of the obligations and funds in
        proportion to what is left of them after tax (the law does not say; an assumption).

    Raises
    ------
    InputError
        A rate or share outside 0–100 % or below its legal minimum, funds together above 100 %,
        internal income above the surplus, no member, a duplicate name, a member with neither
        transactions nor capital, or no official member's transactions (no capital) while part of
        the surplus is to be paid by them.

    Examples
    --------
    A coffee cooperative in Sơn La ends the year with 240 million đồng: 180 million from buying
    its members' cherry and selling them inputs (internal transactions, kept in separate
    accounts) and 60 million from drying coffee for outsiders. It sets aside 5 % of each in the
    indivisible fund, pays no income tax (farm income), keeps 10 % + 5 % + 5 % of the rest in other
    funds and pays 70 % of what remains from internal income by the cherry each official member sold
    it. What goes where?

    >>> d = distribute_surplus(240_000_000, example_members(), internal_surplus=180_000_000, funds=load_funds())
    >>> [round(x) for x in (d.indivisible_fund, d.funds_total, d.distributable_internal, d.distributable_external)]
    [12000000, 45600000, 136800000, 45600000]
    >>> round(d.by_transactions), round(d.by_capital)
    (95760000, 86640000)

    Lò Văn Bình sold 225 of the 1 200 million đồng of cherry and put in 50 of the 260 million of
    capital:

    >>> row = d.member("Lò Văn Bình")
    >>> round(row["by_transactions"]), round(row["by_capital"]), round(row["total"])
    (17955000, 16661538, 34616538)

    Without separate accounts all of it counts as external: nothing is paid by use.

    >>> distribute_surplus(240_000_000, example_members(), funds=load_funds()).by_transactions
    0.0
    """
    if transactions_share is not _UNSET:
        warnings.warn("distribute_surplus(transactions_share=...) is deprecated: use use_share=... (at least 51 %, "
                      "Law on Cooperatives 2023, Art. 86)", DeprecationWarning, stacklevel=2)
        use_share = transactions_share  # type: ignore[assignment]
    surplus = check_finite("surplus", surplus)
    split = _check_minimum("use_share", use_share, USE_SHARE_MINIMUM, "86")
    internal_rate = check_fraction("indivisible_internal_rate", indivisible_internal_rate, allow_one=True)
    minimum = indivisible_external_minimum(union)
    external_rate = _check_minimum("indivisible_external_rate",
                                   minimum if indivisible_external_rate is None else indivisible_external_rate,
                                   minimum, "84")
    rate = check_fraction("income_tax_rate", income_tax_rate, allow_one=True)
    owed = check_nonnegative("obligations", obligations)
    if funds is None:
        warnings.warn("distribute_surplus() without funds= is deprecated: pass funds=load_funds() (the shares in "
                      "datasets/fund_shares.csv) or your charter's funds", DeprecationWarning, stacklevel=2)
        funds = load_funds()
    funds = _check_funds(funds)
    members = _check_members(members)
    separately = internal_surplus is not None
    internal = check_nonnegative("internal_surplus", internal_surplus) if separately else 0.0
    if surplus > 0 and internal > surplus:
        raise InputError("internal_surplus", reason="part_above_whole", value=internal,
                         whole=Shown("surplus", "output_label"), total=Shown(surplus, "surplus"))

    if surplus > 0:
        internal_part, external_part = internal, surplus - internal
    else:
        internal_part = external_part = 0.0
    to_fund_internal = internal_part * internal_rate
    to_fund_external = external_part * external_rate
    tax = (external_part - to_fund_external) * rate
    left_internal = internal_part - to_fund_internal
    left_external = external_part - to_fund_external - tax
    left = left_internal + left_external
    paid = min(owed, left) if surplus > 0 else 0.0
    uncovered = owed - paid if surplus > 0 else owed
    weight_internal = left_internal / left if left > 0 else 0.0
    after_internal = left_internal - paid * weight_internal
    after_external = left_external - paid * (1 - weight_internal) if left > 0 else 0.0
    after = after_internal + after_external
    fund_amounts = [after * f.share for f in funds]
    fund_part = math.fsum(f.share for f in funds)
    distributable_internal = max(after_internal * (1 - fund_part), 0.0)
    distributable_external = max(after_external * (1 - fund_part), 0.0)
    pool_use = distributable_internal * split
    pool_capital = distributable_internal - pool_use + distributable_external

    use = pd.Series([m.transactions if m.is_official else 0.0 for m in members], dtype=float)
    capital = pd.Series([m.capital for m in members], dtype=float)
    total_use, total_capital = float(use.sum()), float(capital.sum())
    if pool_use > 0 and total_use <= 0:
        raise InputError("member_transactions", reason="no_member_transactions", value=0.0)
    if pool_capital > 0 and total_capital <= 0:
        raise InputError("member_capital", reason="no_member_capital", value=0.0)
    share_t = use / total_use if total_use > 0 else use * 0.0
    share_c = capital / total_capital if total_capital > 0 else capital * 0.0
    by_t = share_t * pool_use
    by_c = share_c * pool_capital
    statement = pd.DataFrame(
        {
            "member": [m.name for m in members],
            "kind": [m.kind for m in members],
            "transactions": pd.Series([m.transactions for m in members], dtype=float),
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
        accounted_separately=separately,
        internal_surplus=internal_part,
        external_surplus=external_part,
        indivisible_internal_rate=internal_rate,
        indivisible_external_rate=external_rate,
        indivisible_internal=to_fund_internal,
        indivisible_external=to_fund_external,
        income_tax_rate=rate,
        income_tax=tax,
        obligations=paid,
        obligations_uncovered=uncovered,
        funds_total=math.fsum(fund_amounts),
        distributable_internal=distributable_internal,
        distributable_external=distributable_external,
        use_share=split,
        by_transactions=pool_use,
        by_capital=pool_capital,
        funds=fund_table,
        statement=statement,
        warnings=capital_warnings(members, union=union),
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
    Bình sold 15 t of cherry to the cooperative at 15 000 ₫/kg and received 34.6 million đồng
    of the surplus; a trader would have paid 13 500 ₫/kg. How much better off is he?

    >>> income = member_income(15_000, 15_000, 13_500, refund=34_616_538)
    >>> income.income_with_coop, income.income_without_coop, income.gain
    (259616538.0, 202500000.0, 57116538.0)
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


def load_funds(path: str | os.PathLike[str] | None = None) -> tuple[Fund, ...]:
    """The other funds and their default shares from ``datasets/fund_shares.csv``: illustrative
    shares (the charter and the general meeting decide them, Art. 86; see the file's sources).

    Raises `InputError` naming the file, row and column of a bad cell.

    >>> [(f.key, f.share) for f in load_funds()]
    [('dau_tu_phat_trien', 0.1), ('du_phong_tai_chinh', 0.05), ('phuc_loi_khen_thuong', 0.05)]
    """
    from coopkit.data import Sheet, dataset_folder

    sheet = Sheet(dataset_folder(path), FUNDS_FILE, ("key", "name_vi", "name_en", "share", "source"))
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
    """Seven example members of a Sơn La coffee cooperative (``datasets/members_example.csv``,
    an illustrative example, not real people): six official members who sell it cherry and one
    associate capital member.

    >>> members = example_members()
    >>> len(members), sum(m.transactions for m in members), sum(m.capital for m in members)
    (7, 1200000000.0, 260000000.0)
    >>> [m.name for m in members if m.kind == "associate"]
    ['Đinh Thị Thu']
    """
    from coopkit.data import Sheet, dataset_folder

    sheet = Sheet(dataset_folder(path), MEMBERS_FILE, ("name", "kind", "transactions", "capital", "source"))
    members, seen = [], {}
    for row in sheet.rows.index:
        name = sheet.text(row, "name")
        sheet.unique(seen, name.casefold(), row, "name", name)
        kind = sheet.choice(row, "kind", MEMBER_KINDS)
        members.append(Member(name, sheet.number(row, "transactions"), sheet.number(row, "capital"), kind))
    return tuple(members)
