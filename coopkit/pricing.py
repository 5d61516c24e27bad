"""Prices: markup and margin, and what a sales channel leaves the cooperative.

Markup is profit ÷ cost; margin is profit ÷ price. A 25 % markup is a 20 % margin: the
two are easy to confuse and the lessons practise converting between them.

A sales channel (a wholesale market, a supermarket, an online marketplace) takes part of
the list price: a commission and a payment fee as shares of the price, the VAT included in
the price, and per-order costs the seller pays (a fixed fee, packaging, shipping).
`net_per_unit` is that one formula, on numbers or numpy arrays; `channel_result` shows what
is left per unit, part by part; `price_for_channel_margin` finds the list price that leaves a
target margin; `compare_channels` puts channels side by side.

All amounts are positive VND; rates are fractions. A function about a channel takes the channel
first, then its numbers by name in the package's one order: the price, then the cost, then a
target margin (``channel_result(online, list_price=35_000, cost_per_unit=15_000)``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coopkit._compat import old_first_argument
from coopkit.errors import InputError
from coopkit.i18n import normalize_language
from coopkit.validate import check_fraction, check_nonnegative, check_object, check_positive

__all__ = [
    "price_for_markup",
    "price_for_margin",
    "markup_to_margin",
    "margin_to_markup",
    "Channel",
    "ChannelResult",
    "net_per_unit",
    "channel_result",
    "price_for_channel_margin",
    "compare_channels",
]


def price_for_markup(cost_per_unit: float, markup: float) -> float:
    """The price that adds ``markup`` (a fraction of the cost) to the cost.

    Parameters
    ----------
    cost_per_unit
        VND per unit (zero or more).
    markup
        Profit as a fraction of the cost (zero or more; may exceed 1).

    Returns
    -------
    float
        ``cost_per_unit × (1 + markup)``, VND per unit.

    Examples
    --------
    Green coffee costs the cooperative 118 000 đ/kg; with a 25 % markup it sells at:

    >>> price_for_markup(118_000, 0.25)
    147500.0
    """
    cost_per_unit = check_nonnegative("cost_per_unit", cost_per_unit)
    markup = check_nonnegative("markup", markup)
    return cost_per_unit * (1.0 + markup)


def price_for_margin(cost_per_unit: float, margin: float) -> float:
    """The price at which profit is ``margin`` (a fraction) of the price.

    Parameters
    ----------
    cost_per_unit
        VND per unit (zero or more).
    margin
        Profit as a fraction of the price, from 0 up to but not including 1.

    Returns
    -------
    float
        ``cost_per_unit / (1 − margin)``, VND per unit.

    Examples
    --------
    For a 20 % margin on green coffee that costs 118 000 đ/kg, the price is the same as
    with a 25 % markup:

    >>> price_for_margin(118_000, 0.20)
    147500.0
    """
    cost_per_unit = check_nonnegative("cost_per_unit", cost_per_unit)
    margin = check_fraction("margin", margin)
    return cost_per_unit / (1.0 - margin)


def markup_to_margin(markup: float) -> float:
    """The margin (profit ÷ price) that a markup (profit ÷ cost) gives.

    Parameters
    ----------
    markup
        Zero or more.

    Returns
    -------
    float
        ``markup / (1 + markup)``.

    Examples
    --------
    A 25 % markup is a 20 % margin:

    >>> markup_to_margin(0.25)
    0.2
    """
    markup = check_nonnegative("markup", markup)
    return markup / (1.0 + markup)


def margin_to_markup(margin: float) -> float:
    """The markup (profit ÷ cost) that a margin (profit ÷ price) needs.

    Parameters
    ----------
    margin
        From 0 up to but not including 1.

    Returns
    -------
    float
        ``margin / (1 − margin)``.

    Examples
    --------
    A 20 % margin is a 25 % markup:

    >>> margin_to_markup(0.2)
    0.25
    """
    margin = check_fraction("margin", margin)
    return margin / (1.0 - margin)


# The one formula for what a channel leaves: numbers or numpy arrays, broadcast, unchecked.
# `net_per_unit`, `Channel` and `channel_result` call these; nothing else writes them again.


def _vat_share(vat_rate):
    """Share of a VAT-inclusive price that is VAT: ``vat / (1 + vat)``."""
    return vat_rate / (1.0 + vat_rate)


def _percentage_share(commission_rate, payment_fee_rate, vat_rate):
    """Share of the list price taken by commission, payment fee and VAT together."""
    return commission_rate + payment_fee_rate + _vat_share(vat_rate)


def _per_order_costs(fixed_fee_per_order, packaging_per_order, shipping_per_order):
    """VND per order the seller pays: fixed fee + packaging + shipping."""
    return fixed_fee_per_order + packaging_per_order + shipping_per_order


def _deductions(list_price, commission_rate, payment_fee_rate, fixed_fee_per_order, packaging_per_order,
                shipping_per_order, units_per_order, vat_rate):
    """Per unit: ``(vat, commission, payment_fee, per_order_costs, net)`` at ``list_price``."""
    vat = list_price * _vat_share(vat_rate)
    commission = list_price * commission_rate
    payment = list_price * payment_fee_rate
    per_order = _per_order_costs(fixed_fee_per_order, packaging_per_order, shipping_per_order) / units_per_order
    return vat, commission, payment, per_order, list_price - vat - commission - payment - per_order


def _valid(list_price, commission_rate, payment_fee_rate, fixed_fee_per_order, packaging_per_order,
           shipping_per_order, units_per_order, vat_rate):
    """Where the list price is above zero and a `Channel` would accept the numbers (arrays)."""

    def fraction(x):  # check_fraction: 0 <= x < 1
        return (x >= 0) & (x < 1)

    def amount(x):  # check_nonnegative: finite, 0 or more
        return (x >= 0) & np.isfinite(x)

    def positive(x):  # check_positive: finite, more than 0
        return (x > 0) & np.isfinite(x)

    return (positive(list_price) & fraction(commission_rate) & fraction(payment_fee_rate) & fraction(vat_rate)
            & amount(fixed_fee_per_order) & amount(packaging_per_order) & amount(shipping_per_order)
            & positive(units_per_order)
            & (_percentage_share(commission_rate, payment_fee_rate, vat_rate) < 1.0))


def _is_array(value: object) -> bool:
    return isinstance(value, np.ndarray) or np.ndim(value) > 0


def net_per_unit(
    list_price: float | np.ndarray,
    *,
    commission_rate: float | np.ndarray = 0.0,
    payment_fee_rate: float | np.ndarray = 0.0,
    fixed_fee_per_order: float | np.ndarray = 0.0,
    packaging_per_order: float | np.ndarray = 0.0,
    shipping_per_order: float | np.ndarray = 0.0,
    units_per_order: float | np.ndarray = 1.0,
    vat_rate: float | np.ndarray = 0.0,
) -> float | np.ndarray:
    """What the cooperative keeps of each unit sold at ``list_price`` through a sales channel.

    ``net = list_price − VAT − commission − payment fee − (fixed fee + packaging + shipping)
    / units_per_order``, where the VAT is ``list_price × vat / (1 + vat)`` (the list price
    includes it) and the commission and payment fee are shares of the list price. This is the
    package's one copy of the formula: `channel_result`, the ``pricing_plan`` what-if model and
    its data tables, and the demand module's price–profit curve and best price all use it.

    Parameters
    ----------
    list_price
        VND per unit the buyer pays, VAT included (more than zero).
    commission_rate, payment_fee_rate, vat_rate
        Shares of the list price, as in `Channel`, by name only.
    fixed_fee_per_order, packaging_per_order, shipping_per_order, units_per_order
        Per-order costs (VND) and the units they are spread over, as in `Channel`, by name only.

    Returns
    -------
    float or numpy.ndarray
        VND per unit; negative when the per-order costs eat a cheap item. Numbers are checked as
        a `Channel` checks them (`InputError` naming the field). Any argument may be a numpy
        array: they are broadcast together, as in numpy-financial, and an element that a
        `Channel` would refuse (or a price not above zero) gives NaN, a gap in a data table.

    See Also
    --------
    Channel.net_per_unit : the same for a channel you already have.
    channel_result : the same, part by part (VAT, commission, fees), with the margin.

    Examples
    --------
    Lạc Thủy oranges at 35 000 đ/kg on an online marketplace (illustrative 10 % commission,
    5 % payment fee, a 20 000 đ box per 5 kg order). What reaches the cooperative per kg?

    >>> net_per_unit(35_000, commission_rate=0.10, payment_fee_rate=0.05,
    ...              packaging_per_order=20_000, units_per_order=5)
    25750.0

    At 30 000, 35 000 or 40 000 đ/kg, and if the marketplace raised its commission to 12 %
    (one row per commission)?

    >>> net_per_unit(np.array([30_000, 35_000, 40_000]), commission_rate=np.array([[0.10], [0.12]]),
    ...              payment_fee_rate=0.05, packaging_per_order=20_000, units_per_order=5)
    array([[21500., 25750., 30000.],
           [20900., 25050., 29200.]])
    """
    numbers = {"commission_rate": commission_rate, "payment_fee_rate": payment_fee_rate,
               "fixed_fee_per_order": fixed_fee_per_order, "packaging_per_order": packaging_per_order,
               "shipping_per_order": shipping_per_order, "units_per_order": units_per_order, "vat_rate": vat_rate}
    if not any(_is_array(x) for x in (list_price, *numbers.values())):
        return Channel("net", "net", "", **numbers).net_per_unit(list_price)
    price = np.asarray(list_price, dtype=float)
    arrays = {name: np.asarray(value, dtype=float) for name, value in numbers.items()}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        net = _deductions(price, **arrays)[-1]
        return np.where(_valid(price, **arrays), net, np.nan)


@dataclass(frozen=True)
class Channel:
    """A way of selling, and what it takes from the list price.

    Parameters
    ----------
    key
        Short code, unique among the channels compared (``"san_tmdt"``).
    name_vi, name_en
        The name a manager reads; an empty English name falls back to the Vietnamese one.
    commission_rate
        Share of the list price the channel keeps (commission, discount to the retailer).
    payment_fee_rate
        Share of the list price taken for payment (card, e-wallet, cash on delivery).
    fixed_fee_per_order
        VND per order the seller pays the channel.
    packaging_per_order
        VND per order for boxes, bags, labels.
    shipping_per_order
        VND per order of shipping paid by the seller (zero when the buyer pays it).
    units_per_order
        Units in a typical order (more than zero); per-order costs are spread over them.
    vat_rate
        VAT rate included in the list price; the seller remits ``price × vat / (1 + vat)``.

    The commission, the payment fee and the VAT share together must stay below 100 % of
    the price.

    A channel is made and checked once, then passed around as it is. `from_inputs` makes one
    from a what-if model's inputs (or an app's boxes) and `to_inputs` gives them back;
    ``dataclasses.replace(channel, commission_rate=0.12)`` makes a checked copy with a new fee.

    Examples
    --------
    An online marketplace with an illustrative 10 % commission and 5 % payment fee; the
    cooperative packs each 5 kg order of oranges in a 20 000 đ box:

    >>> online = Channel("san_tmdt", "Sàn thương mại điện tử", "Online marketplace",
    ...                  commission_rate=0.10, payment_fee_rate=0.05,
    ...                  packaging_per_order=20_000, units_per_order=5)
    >>> online.name("vi"), round(online.percentage_share, 2)
    ('Sàn thương mại điện tử', 0.15)

    What reaches the cooperative of a 35 000 đ kilo, and if the commission rose to 12 %?

    >>> import dataclasses
    >>> online.net_per_unit(35_000), dataclasses.replace(online, commission_rate=0.12).net_per_unit(35_000)
    (25750.0, 25050.0)
    """

    #: The channel's numbers (the fields after its names), in order: the inputs of the
    #: channel what-if models.
    NUMBERS: ClassVar[tuple[str, ...]] = (
        "commission_rate",
        "payment_fee_rate",
        "fixed_fee_per_order",
        "packaging_per_order",
        "shipping_per_order",
        "units_per_order",
        "vat_rate",
    )

    key: str
    name_vi: str
    name_en: str
    commission_rate: float = 0.0
    payment_fee_rate: float = 0.0
    fixed_fee_per_order: float = 0.0
    packaging_per_order: float = 0.0
    shipping_per_order: float = 0.0
    units_per_order: float = 1.0
    vat_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("key", "name_vi"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InputError("channel", reason="empty_name", value=value)
        if not isinstance(self.name_en, str):
            raise InputError("channel", reason="empty_name", value=self.name_en)
        checked = {
            "commission_rate": check_fraction("commission_rate", self.commission_rate),
            "payment_fee_rate": check_fraction("payment_fee_rate", self.payment_fee_rate),
            "fixed_fee_per_order": check_nonnegative("fixed_fee_per_order", self.fixed_fee_per_order),
            "packaging_per_order": check_nonnegative("packaging_per_order", self.packaging_per_order),
            "shipping_per_order": check_nonnegative("shipping_per_order", self.shipping_per_order),
            "units_per_order": check_positive("units_per_order", self.units_per_order),
            "vat_rate": check_fraction("vat_rate", self.vat_rate),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        if self.percentage_share >= 1.0:
            raise InputError(
                "commission_rate",
                reason="fees_too_high",
                value=self.commission_rate,
                payment_fee_rate=self.payment_fee_rate,
                vat_share=self.vat_share,
            )

    @classmethod
    def from_inputs(
        cls, values: Mapping[str, float], key: str = "what_if", name_vi: str = "Kênh", name_en: str = "Channel"
    ) -> Channel:
        """A channel from a mapping that holds its `NUMBERS` (other entries are left alone).

        The what-if models and apps keep a channel's numbers among their inputs, one box each;
        this makes the `Channel` from them once, checked, to pass on as it is.

        Raises
        ------
        InputError
            ``missing_input`` naming the first number not in ``values``; any check of `Channel`.

        Examples
        --------
        >>> inputs = {"list_price": 35_000, "commission_rate": 0.10, "payment_fee_rate": 0.05,
        ...           "fixed_fee_per_order": 0, "packaging_per_order": 20_000, "shipping_per_order": 0,
        ...           "units_per_order": 5, "vat_rate": 0}
        >>> Channel.from_inputs(inputs).net_per_unit(inputs["list_price"])
        25750.0
        """
        check_object("channel", values, Mapping)
        missing = [name for name in cls.NUMBERS if name not in values]
        if missing:
            raise InputError(missing[0], reason="missing_input", value=None)
        return cls(key, name_vi, name_en, **{name: values[name] for name in cls.NUMBERS})

    def to_inputs(self) -> dict[str, float]:
        """The channel's `NUMBERS` by name, as the channel what-if models take them.

        >>> Channel("cho", "Chợ", "Market", vat_rate=0.05).to_inputs()["vat_rate"]
        0.05
        """
        return {name: getattr(self, name) for name in self.NUMBERS}

    def name(self, lang: str | None = None) -> str:
        """The channel's name in ``lang`` (``"vi"`` or ``"en"``)."""
        if normalize_language(lang) == "en" and self.name_en.strip():
            return self.name_en
        return self.name_vi

    def net_per_unit(self, list_price: float | np.ndarray) -> float | np.ndarray:
        """VND the cooperative keeps per unit sold through this channel at ``list_price``.

        The formula of the module's `net_per_unit`. ``list_price`` (VND per unit, VAT included)
        is a number, more than zero, or a numpy array of prices (NaN where one is not above
        zero), as for a price–profit curve.

        >>> Channel("cho", "Chợ", "Market", vat_rate=0.05).net_per_unit(np.array([21_000, 31_500]))
        array([20000., 30000.])
        """
        if _is_array(list_price):
            price = np.asarray(list_price, dtype=float)
            with np.errstate(invalid="ignore", over="ignore"):
                net = _deductions(price, **self.to_inputs())[-1]
                return np.where((price > 0) & np.isfinite(price), net, np.nan)
        return _deductions(check_positive("list_price", list_price), **self.to_inputs())[-1]

    @property
    def vat_share(self) -> float:
        """Share of the VAT-inclusive list price that is VAT: ``vat / (1 + vat)``."""
        return _vat_share(self.vat_rate)

    @property
    def percentage_share(self) -> float:
        """Share of the list price taken by commission, payment fee and VAT together."""
        return _percentage_share(self.commission_rate, self.payment_fee_rate, self.vat_rate)

    @property
    def per_order_costs(self) -> float:
        """VND per order the seller pays: fixed fee + packaging + shipping."""
        return _per_order_costs(self.fixed_fee_per_order, self.packaging_per_order, self.shipping_per_order)


@dataclass(frozen=True)
class ChannelResult:
    """What one unit sold through a channel leaves the cooperative.

    Attributes
    ----------
    channel_key
        The channel's code.
    list_price
        VND per unit the buyer pays (VAT included).
    units_per_order
        Units in a typical order.
    vat_per_unit, commission_per_unit, payment_fee_per_unit
        VND per unit taken by VAT, commission and payment fee.
    per_order_costs_per_unit
        Fixed fee, packaging and shipping per order, divided by the units in an order.
    net_per_unit, net_per_order
        VND the cooperative keeps per unit and per order (may be negative).
    cost_per_unit
        VND the unit cost the cooperative.
    profit_per_unit
        ``net_per_unit − cost_per_unit``.
    margin
        ``profit_per_unit / list_price``.
    fees_share
        ``1 − net_per_unit / list_price``: the share of the price that does not reach the
        cooperative.
    """

    channel_key: str
    list_price: float
    units_per_order: float
    vat_per_unit: float
    commission_per_unit: float
    payment_fee_per_unit: float
    per_order_costs_per_unit: float
    net_per_unit: float
    net_per_order: float
    cost_per_unit: float
    profit_per_unit: float
    margin: float
    fees_share: float

    @property
    def fees_per_unit(self) -> float:
        """All deductions from the list price, VND per unit: ``list_price − net_per_unit``."""
        return self.list_price - self.net_per_unit

    def to_frame(self) -> pd.DataFrame:
        """The numbers as a table with columns ``key`` and ``value``; the channel's code is in
        ``attrs["channel_key"]``.

        >>> result = channel_result(Channel("cho", "Chợ đầu mối", "Wholesale market"), list_price=35_000)
        >>> table = result.to_frame()
        >>> table.attrs["channel_key"], float(table.set_index("key").loc["net_per_unit", "value"])
        ('cho', 35000.0)
        """
        values = asdict(self)
        key = values.pop("channel_key")
        table = pd.DataFrame({"key": list(values), "value": [float(v) for v in values.values()]})
        table.attrs["channel_key"] = key
        return table


@old_first_argument("list_price", "channel", "cost_per_unit")
def channel_result(channel: Channel, *, list_price: float, cost_per_unit: float = 0.0) -> ChannelResult:
    """What the cooperative keeps per unit when it sells at ``list_price`` through ``channel``.

    Parameters
    ----------
    channel
        The sales channel.
    list_price
        VND per unit the buyer pays, VAT included (more than zero), by name.
    cost_per_unit
        VND the unit costs the cooperative (zero or more).

    Returns
    -------
    ChannelResult
        ``net_per_unit = list_price − VAT − commission − payment fee − per-order costs /
        units_per_order``. It may be negative (a fixed fee can eat a cheap item): that is a
        result, not an error.

    Warnings
    --------
    The channel comes first and the numbers go by name, as everywhere in the package. Until
    coopkit 0.3 the old call ``channel_result(list_price, channel, cost_per_unit)`` (a number
    first) still works and emits a `DeprecationWarning`; pass the channel first.

    Examples
    --------
    Lạc Thủy oranges at 35 000 đ/kg on an online marketplace (illustrative 10 % commission,
    5 % payment fee, a 20 000 đ box per 5 kg order); they cost 15 000 đ/kg:

    >>> online = Channel("san_tmdt", "Sàn thương mại điện tử", "Online marketplace",
    ...                  commission_rate=0.10, payment_fee_rate=0.05,
    ...                  packaging_per_order=20_000, units_per_order=5)
    >>> r = channel_result(online, list_price=35_000, cost_per_unit=15_000)
    >>> r.net_per_unit, r.profit_per_unit, round(r.margin, 3)
    (25750.0, 10750.0, 0.307)
    """
    if not isinstance(channel, Channel):
        raise TypeError(f"channel must be a Channel, not {type(channel).__name__}")
    list_price = check_positive("list_price", list_price)
    cost_per_unit = check_nonnegative("cost_per_unit", cost_per_unit)
    vat, commission, payment, per_order, net = _deductions(list_price, **channel.to_inputs())
    profit_per_unit = net - cost_per_unit
    return ChannelResult(
        channel_key=channel.key,
        list_price=list_price,
        units_per_order=channel.units_per_order,
        vat_per_unit=vat,
        commission_per_unit=commission,
        payment_fee_per_unit=payment,
        per_order_costs_per_unit=per_order,
        net_per_unit=net,
        net_per_order=net * channel.units_per_order,
        cost_per_unit=cost_per_unit,
        profit_per_unit=profit_per_unit,
        margin=profit_per_unit / list_price,
        fees_share=1.0 - net / list_price,
    )


@old_first_argument("cost_per_unit", "target_margin", "channel")
def price_for_channel_margin(channel: Channel, *, cost_per_unit: float, target_margin: float) -> float:
    """The list price at which the cooperative's profit is ``target_margin`` of the price.

    With ``a`` the share of the price left after commission, payment fee and VAT, and
    ``b`` the per-order costs per unit, the cooperative keeps ``a × price − b``; the margin
    ``(a × price − b − cost) / price`` equals the target at
    ``price = (b + cost) / (a − target)``.

    Parameters
    ----------
    channel
        The sales channel.
    cost_per_unit
        VND the unit costs the cooperative (more than zero), by name.
    target_margin
        Profit as a fraction of the list price, from 0 up to but not including 1, by name.

    Returns
    -------
    float
        VND per unit, VAT included.

    Raises
    ------
    InputError
        ``margin_unreachable`` on ``target_margin`` when the channel's percentage fees
        leave no more than the target: no price reaches it.

    Warnings
    --------
    As in `channel_result`: until coopkit 0.3 the old call
    ``price_for_channel_margin(cost_per_unit, target_margin, channel)`` still works and emits a
    `DeprecationWarning`; pass the channel first and the numbers by name.

    Examples
    --------
    At what price must the oranges be listed online for a 30 % margin?

    >>> online = Channel("san_tmdt", "Sàn thương mại điện tử", "Online marketplace",
    ...                  commission_rate=0.10, payment_fee_rate=0.05,
    ...                  packaging_per_order=20_000, units_per_order=5)
    >>> price = price_for_channel_margin(online, cost_per_unit=15_000, target_margin=0.30)
    >>> round(price), round(channel_result(online, list_price=price, cost_per_unit=15_000).margin, 6)
    (34545, 0.3)
    """
    if not isinstance(channel, Channel):
        raise TypeError(f"channel must be a Channel, not {type(channel).__name__}")
    cost_per_unit = check_positive("cost_per_unit", cost_per_unit)
    target_margin = check_fraction("target_margin", target_margin)
    kept_share = 1.0 - channel.percentage_share
    if kept_share - target_margin <= 0:
        raise InputError(
            "target_margin",
            reason="margin_unreachable",
            value=target_margin,
            fees_share=channel.percentage_share,
            max_margin=kept_share,
        )
    per_order = channel.per_order_costs / channel.units_per_order
    return (per_order + cost_per_unit) / (kept_share - target_margin)


def _check_channels(channels: Iterable[Channel]) -> list[Channel]:
    """The channels as a list; bad input when empty or when two share a key."""
    checked = list(channels)
    if not checked:
        raise InputError("channels", reason="no_channels")
    seen: set[str] = set()
    for channel in checked:
        if not isinstance(channel, Channel):
            raise TypeError(f"channels must be Channel objects, not {type(channel).__name__}")
        if channel.key in seen:
            raise InputError("channel", reason="duplicate_key", value=channel.key)
        seen.add(channel.key)
    return checked


@old_first_argument("list_price", "channels", "cost_per_unit", "target_margin", "lang")
def compare_channels(
    channels: Iterable[Channel],
    *,
    list_price: float | Mapping[str, float],
    cost_per_unit: float = 0.0,
    target_margin: float | None = None,
    lang: str | None = "vi",
) -> pd.DataFrame:
    """Channels side by side: what each leaves per unit and per order, and its margin.

    Parameters
    ----------
    channels
        The channels (at least one, each with its own key).
    list_price
        VND per unit, VAT included: one price for every channel, or a dict
        ``{channel_key: price}``; this and the rest by name.
    cost_per_unit
        VND the unit costs the cooperative (zero or more; more than zero with a target).
    target_margin
        When given, the column ``price_for_target`` holds each channel's list price for this
        margin (NaN where no price reaches it).
    lang
        Language of the ``channel`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``key, channel, list_price, fees_per_unit, net_per_unit, net_per_order,
        profit_per_unit, margin, fees_share`` and, with a target, ``price_for_target``.

    Warnings
    --------
    As in `channel_result`: until coopkit 0.3 the old call
    ``compare_channels(list_price, channels, cost_per_unit, target_margin, lang)`` (a price or a
    dict of prices first) still works and emits a `DeprecationWarning`; pass the channels first.

    Examples
    --------
    Oranges costing 15 000 đ/kg: the wholesale market pays 18 000 đ/kg, a supermarket lists
    them at 32 000 đ/kg but keeps an illustrative 25 % and the price includes 5 % VAT:

    >>> channels = [
    ...     Channel("cho", "Chợ đầu mối", "Wholesale market"),
    ...     Channel("sieu_thi", "Siêu thị", "Supermarket", commission_rate=0.25, vat_rate=0.05),
    ... ]
    >>> table = compare_channels(channels, list_price={"cho": 18_000, "sieu_thi": 32_000},
    ...                          cost_per_unit=15_000, target_margin=0.2, lang="en")
    >>> print(table[["channel", "net_per_unit", "margin", "price_for_target"]].round(2).to_string(index=False))
             channel  net_per_unit  margin  price_for_target
    Wholesale market      18000.00    0.17          18750.00
         Supermarket      22476.19    0.23          29857.82
    """
    channel_list = _check_channels(channels)
    cost_per_unit = check_nonnegative("cost_per_unit", cost_per_unit)
    if target_margin is not None:
        target_margin = check_fraction("target_margin", target_margin)
    rows = []
    for channel in channel_list:
        if isinstance(list_price, Mapping):
            if channel.key not in list_price:
                raise InputError("list_price", reason="missing_channel_price", channel=channel.key)
            price = list_price[channel.key]
        else:
            price = list_price
        r = channel_result(channel, list_price=price, cost_per_unit=cost_per_unit)
        row: dict[str, object] = {
            "key": channel.key,
            "channel": channel.name(lang),
            "list_price": r.list_price,
            "fees_per_unit": r.fees_per_unit,
            "net_per_unit": r.net_per_unit,
            "net_per_order": r.net_per_order,
            "profit_per_unit": r.profit_per_unit,
            "margin": r.margin,
            "fees_share": r.fees_share,
        }
        if target_margin is not None:
            try:
                row["price_for_target"] = price_for_channel_margin(channel, cost_per_unit=cost_per_unit,
                                                                   target_margin=target_margin)
            except InputError as err:
                if err.reason != "margin_unreachable":
                    raise
                row["price_for_target"] = math.nan
        rows.append(row)
    return pd.DataFrame(rows)
