"""Demand response: how much buyers take at each price, and the price that earns the most.

A manager rarely knows a demand curve, but remembers a few weeks: "at 30 000 đ/kg we sold
1 200 kg, at 35 000 đ only 900 kg". `fit_demand` draws a curve through such
(price, quantity sold) pairs, `price_response` shows quantity, revenue and profit over a range
of prices through one sales channel, and `best_price` finds the price with the highest profit.

Two shapes of curve are offered:

- ``"linear"``: ``q = a − b·p``; each extra đồng on the price loses the same number of units.
- ``"constant_elasticity"``: ``q = a · p^(−b)``; each extra 1 % on the price loses about
  ``b`` % of the sales, whatever the price.

With a normal product ``b > 0``: demand falls as the price rises.

Warnings
--------
A curve fitted to three or four remembered weeks is a rough guide. Outside the prices the
manager has actually sold at, it is guesswork: the default search range stops at half the
lowest and 1.5 times the highest observed price, and `BestPrice.at_edge` says when the best
price found sits at the edge of that range (the app should warn then).

All amounts are positive VND; quantities are in the product's unit (kg, eggs, trays).
"""

from __future__ import annotations

import math
import warnings as _warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import overload

import numpy as np
import pandas as pd

from coopkit import breakeven
from coopkit._compat import old_positional_order
from coopkit.breakeven import MAX_POINTS, check_points
from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.pricing import Channel
from coopkit.validate import check_finite, check_nonnegative, check_positive

__all__ = [
    "DEMAND_MODELS",
    "MAX_POINTS",
    "POOR_FIT_R_SQUARED",
    "BestPrice",
    "DemandCurve",
    "EXAMPLE_ELASTICITY",
    "PlanDemand",
    "best_price",
    "example_sales",
    "fit_demand",
    "model_label",
    "plan_demand",
    "price_response",
]

register_fields({"demand_a": "number", "demand_b": "number"})

#: The curve shapes `fit_demand` knows.
DEMAND_MODELS: tuple[str, ...] = ("linear", "constant_elasticity")

#: Below this R² (with three pairs or more) a fitted curve carries the ``demand_poor_fit`` warning.
POOR_FIT_R_SQUARED = 0.5

#: The default search range runs from this share of the lowest observed price ...
LOW_SHARE = 0.5
#: ... to this multiple of the highest one.
HIGH_SHARE = 1.5

# Grid for the coarse search in `best_price`: a multiple of 60 intervals, so it contains the
# points of the default 61-point `price_response` table.
_SEARCH_INTERVALS = 600


def model_label(kind: str, lang: str | None = None) -> str:
    """The name of a curve shape a manager reads (``"Đường thẳng"``, ``"Linear"``).

    >>> model_label("linear", "vi"), model_label("constant_elasticity", "en")
    ('Đường thẳng', 'Constant elasticity')
    """
    from coopkit import i18n

    kind = _check_kind(kind)
    return i18n.tr(f"demand.model.{kind}", lang)


def _check_kind(kind: object) -> str:
    if not isinstance(kind, str) or kind not in DEMAND_MODELS:
        raise InputError("demand_model", reason="demand_unknown_model", value=kind)
    return kind


@dataclass(frozen=True)
class DemandCurve:
    """A demand curve: the quantity buyers take at each price.

    Parameters
    ----------
    kind
        ``"linear"``: ``q = a − b·p``; ``"constant_elasticity"``: ``q = a · p^(−b)``.
    a
        Linear: the quantity the formula gives at a price of zero (units). Constant
        elasticity: the scale, the quantity at a price of 1 đ (units).
    b
        Linear: units lost per extra đồng on the price. Constant elasticity: the elasticity
        with its sign flipped (a 1 % higher price loses about ``b`` % of the sales).
        More than zero when demand falls as the price rises.
    prices, quantities
        The pairs the curve was fitted to (VND per unit, units); empty for a curve written
        down directly. A curve written down directly must make economic sense: ``b`` zero or
        more (a negative ``b`` sells more the higher the price) and ``a`` more than zero (else
        it sells nothing at any price); a curve fitted to pairs keeps what the pairs say, with
        a warning (``demand_wrong_sign``).
    r_squared
        Share of the spread of the observed *quantities* that the curve explains (1 is a
        perfect fit). For both kinds it is computed on the quantities themselves (units, not
        their logarithms): the constant-elasticity curve is fitted by least squares on the
        quantities too, so the two kinds can be compared. NaN for a curve written down
        directly.
    warnings
        Reason keys about the fit (see `fit_demand`); `warning_messages` gives the texts.

    Examples
    --------
    A curve taken from an extension bulletin rather than fitted: at 30 000 đ/kg, buyers
    take 1 200 kg a week, and each extra 1 000 đ loses 55 kg:

    >>> curve = DemandCurve("linear", a=2_850, b=0.055)
    >>> float(curve.quantity(30_000)), round(curve.elasticity(30_000), 2)
    (1200.0, -1.38)

    The elasticity typed with its minus sign is explained:

    >>> DemandCurve("constant_elasticity", a=5e6, b=-1.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Đường cầu: hệ số b không được âm (bạn đã nhập -1,5)...
    """

    kind: str
    a: float
    b: float
    prices: tuple[float, ...] = ()
    quantities: tuple[float, ...] = ()
    r_squared: float = math.nan
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_kind(self.kind)
        a = check_finite("demand_a", self.a)
        b = check_finite("demand_b", self.b)
        prices = tuple(float(p) for p in self.prices)
        if not prices:  # written down, not fitted: it must make economic sense
            if b < 0:
                raise InputError("demand_b", reason="demand_rising", value=b)
            if a <= 0:
                raise InputError("demand_a", reason="demand_sells_nothing", value=a)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "prices", prices)
        object.__setattr__(self, "quantities", tuple(float(q) for q in self.quantities))
        object.__setattr__(self, "r_squared", float(self.r_squared))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @overload
    def quantity(self, price: float) -> float: ...
    @overload
    def quantity(self, price: np.ndarray) -> np.ndarray: ...

    def quantity(self, price):
        """Units buyers take at ``price`` (VND per unit, more than zero); never negative.

        A float gives a float, a numpy array an array of the same shape.

        >>> curve = DemandCurve("constant_elasticity", a=5e6, b=1.5)
        >>> round(curve.quantity(10_000), 1)
        5.0
        >>> DemandCurve("linear", a=2_850, b=0.055).quantity(np.array([30_000, 60_000]))
        array([1200.,    0.])
        """
        if isinstance(price, np.ndarray):
            return self._quantity(_check_price_array(price))
        return float(self._quantity(np.float64(check_positive("list_price", price))))

    def _quantity(self, price: np.ndarray) -> np.ndarray:
        """`quantity` without the checks (``price`` already positive and finite)."""
        with np.errstate(over="ignore"):
            if self.kind == "linear":
                q = self.a - self.b * price
            else:
                q = self.a * np.power(price, -self.b)
        return np.maximum(q, 0.0)

    def elasticity(self, price: float) -> float:
        """The price elasticity of demand at ``price``: ``d ln q / d ln p``.

        Negative for a normal product: ``-2`` means a 1 % higher price sells about 2 % less.
        A constant-elasticity curve gives ``−b`` at every price. A linear curve gives
        ``−b·p / (a − b·p)``; where it sells nothing (``a − b·p ≤ 0``) the elasticity is
        ``-inf`` when ``b > 0`` and NaN otherwise.

        >>> round(DemandCurve("linear", a=2_850, b=0.055).elasticity(25_000), 2)
        -0.93
        >>> DemandCurve("constant_elasticity", a=5e6, b=1.5).elasticity(25_000)
        -1.5
        """
        price = check_positive("list_price", price)
        if self.kind == "constant_elasticity":
            return -self.b
        if self.b == 0:
            return 0.0
        q = self.a - self.b * price
        if q <= 0:
            return -math.inf if self.b > 0 else math.nan
        return -self.b * price / q

    def warning_messages(self, lang: str | None = None) -> list[str]:
        """The warnings as sentences in ``lang`` (``"vi"`` or ``"en"``; default: current).

        >>> curve = fit_demand([30_000, 40_000], [1_200, 650])
        >>> curve.warnings
        ('demand_exact_fit',)
        >>> print(curve.warning_messages("en")[0][:52])
        With only 2 pairs the curve passes exactly through b
        """
        from coopkit import fields, i18n

        params = {
            "r_squared": fields.format_value("r_squared", self.r_squared, lang),
            "elasticity": fields.format_value("elasticity", -self.b, lang),
        }
        texts = []
        for key in self.warnings:
            name = key.removeprefix("demand_")
            texts.append(i18n.tr(f"demand.warning.{name}", lang, **params))
        return texts

    def to_frame(self) -> pd.DataFrame:
        """The observed pairs beside what the curve gives: columns ``price``, ``quantity``,
        ``fitted_quantity`` (for a chart of the data and the curve).

        >>> fit_demand([30_000, 40_000], [1_200, 650]).to_frame()["fitted_quantity"].round(6).tolist()
        [1200.0, 650.0]
        """
        prices = np.asarray(self.prices, dtype=float)
        fitted = self._quantity(prices) if prices.size else np.empty(0)
        return pd.DataFrame(
            {"price": prices, "quantity": np.asarray(self.quantities, dtype=float), "fitted_quantity": fitted}
        )


def _check_price_array(price: np.ndarray) -> np.ndarray:
    """An array of prices as floats; bad input when one is not finite or not above zero."""
    try:
        price = np.asarray(price, dtype=float)
    except (TypeError, ValueError):
        raise InputError("list_price", reason="demand_not_a_list", value=str(price)) from None
    if price.size:
        bad = ~np.isfinite(price)
        if bad.any():
            raise InputError("list_price", reason="not_finite", value=float(price[bad].flat[0]))
        low = float(price.min())
        if low <= 0:
            raise InputError("list_price", reason="not_positive", value=low)
    return price


def _numbers(field: str, values: object) -> list[float]:
    """``values`` as a list of finite floats; bad input naming ``field`` otherwise."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InputError(field, reason="demand_not_a_list", value=str(values))
    return [check_finite(field, v) for v in values]


def _r_squared(observed: np.ndarray, fitted: np.ndarray) -> float:
    """``1 − SS_res / SS_tot`` on the quantities; 1 for equal quantities fitted exactly."""
    ss_res = float(np.sum((observed - fitted) ** 2))
    ss_tot = float(np.sum((observed - observed.mean()) ** 2))
    scale = max(float(np.sum(observed**2)), 1.0)
    if ss_tot <= 1e-24 * scale:
        return 1.0 if ss_res <= 1e-18 * scale else 0.0
    return 1.0 - ss_res / ss_tot


def fit_demand(prices: Iterable[float], quantities: Iterable[float], kind: str = "linear") -> DemandCurve:
    """Fit a demand curve to remembered (price, quantity sold) pairs.

    The fit is least squares on the quantities (``scipy.optimize.curve_fit``), for both kinds;
    for the constant-elasticity curve the straight line through the logarithms is only the
    starting point.

    Parameters
    ----------
    prices
        VND per unit, one per remembered period, each more than zero, at least two different.
    quantities
        Units sold at each price, zero or more (more than zero for ``"constant_elasticity"``,
        whose logarithm must exist).
    kind
        ``"linear"`` (``q = a − b·p``) or ``"constant_elasticity"`` (``q = a · p^(−b)``).

    Returns
    -------
    DemandCurve
        With ``warnings`` (reason keys, texts from `DemandCurve.warning_messages`):

        - ``demand_exact_fit``: only two pairs, so the curve passes exactly through both and
          R² says nothing;
        - ``demand_poor_fit``: R² below `POOR_FIT_R_SQUARED` (three pairs or more);
        - ``demand_wrong_sign``: more was sold at higher prices (``b < 0``);
        - ``demand_flat``: the same quantity at every price (no response to the price);
        - ``demand_inelastic``: constant elasticity with ``0 < b ≤ 1``: revenue rises with the
          price without end, so the best price will sit at the top of any range.

    Raises
    ------
    InputError
        Fewer than two pairs (``demand_too_few_pairs``, or ``empty`` for none), lists of
        different lengths (``demand_length_mismatch``), a price not above zero
        (``not_positive``), a negative quantity (``negative``), a zero quantity with
        constant elasticity (``demand_zero_quantity``), one price only
        (``demand_same_price``), an unknown ``kind`` (``demand_unknown_model``).

    Examples
    --------
    A Hòa Bình orange cooperative sold 1 200 kg a week at 30 000 đ/kg, 900 kg at 35 000 đ
    and 650 kg at 40 000 đ. Each extra 1 000 đ on the price lost about 55 kg a week:

    >>> curve = fit_demand([30_000, 35_000, 40_000], [1_200, 900, 650])
    >>> round(curve.b * 1_000), round(curve.a), round(curve.r_squared, 3), curve.warnings
    (55, 2842, 0.997, ())

    As a constant-elasticity curve, a 1 % higher price sells about 2.1 % less:

    >>> ce = fit_demand([30_000, 35_000, 40_000], [1_200, 900, 650], kind="constant_elasticity")
    >>> round(ce.elasticity(35_000), 1)
    -2.1
    """
    kind = _check_kind(kind)
    p_list = _numbers("demand_prices", prices)
    q_list = _numbers("demand_quantities", quantities)
    if not p_list:
        raise InputError("demand_prices", reason="empty")
    if len(p_list) != len(q_list):
        raise InputError(
            "demand_quantities",
            reason="demand_length_mismatch",
            price_count=len(p_list),
            quantity_count=len(q_list),
        )
    if len(p_list) < 2:
        raise InputError("demand_prices", reason="demand_too_few_pairs", pairs=len(p_list))
    for p in p_list:
        if p <= 0:
            raise InputError("demand_prices", reason="not_positive", value=p)
    for q in q_list:
        if q < 0:
            raise InputError("demand_quantities", reason="negative", value=q)
        if q == 0 and kind == "constant_elasticity":
            raise InputError("demand_quantities", reason="demand_zero_quantity", value=q)
    p = np.array(p_list)
    q = np.array(q_list)
    if np.ptp(p) <= 1e-12 * float(p.max()):
        raise InputError("demand_prices", reason="demand_same_price", value=float(p[0]))

    a, b = _fit_linear(p, q) if kind == "linear" else _fit_constant_elasticity(p, q)
    curve = DemandCurve(kind, a, b, tuple(p_list), tuple(q_list))
    fitted = curve._quantity(p)
    r2 = _r_squared(q, fitted)

    found = []
    if len(p) == 2:
        found.append("demand_exact_fit")
    elif r2 < POOR_FIT_R_SQUARED:
        found.append("demand_poor_fit")
    if np.ptp(q) == 0:
        found.append("demand_flat")
    elif b < 0:
        found.append("demand_wrong_sign")
    elif kind == "constant_elasticity" and b <= 1:
        found.append("demand_inelastic")
    return DemandCurve(kind, a, b, tuple(p_list), tuple(q_list), r2, tuple(found))


def _fit_linear(p: np.ndarray, q: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` of ``q = a − b·p`` by least squares.

    A straight line's least-squares fit has a closed form (``numpy.polyfit``, degree 1); prices are
    scaled to about 1 first so that the normal equations stay well conditioned.
    """
    scale = float(p.mean())
    slope, intercept = np.polyfit(p / scale, q, 1)
    return float(intercept), float(-slope) / scale


def _fit_constant_elasticity(p: np.ndarray, q: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` of ``q = a · p^(−b)`` by least squares on the quantities.

    Prices are scaled to about 1 (``q = A · (p/s)^(−b)``, so ``a = A · s^b``); the start is the
    straight line through the logarithms. Should the solver fail, that start is kept.
    """
    from scipy.optimize import OptimizeWarning, curve_fit

    scale = float(np.exp(np.log(p).mean()))
    x = p / scale
    slope, intercept = np.polyfit(np.log(x), np.log(q), 1)
    start = (float(np.exp(intercept)), float(-slope))

    def model(x: np.ndarray, big_a: float, b: float) -> np.ndarray:
        return big_a * np.power(x, -b)

    def jac(x: np.ndarray, big_a: float, b: float) -> np.ndarray:
        power = np.power(x, -b)
        return np.column_stack([power, -big_a * power * np.log(x)])

    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore", OptimizeWarning)
            (big_a, b), _ = curve_fit(model, x, q, p0=start, jac=jac, maxfev=2_000)
        if not (np.isfinite(big_a) and np.isfinite(b) and big_a > 0):
            big_a, b = start
    except RuntimeError:  # no convergence
        big_a, b = start
    a = float(big_a) * scale ** float(b)
    if not math.isfinite(a):  # absurd elasticity: keep the log-line start
        big_a, b = start
        a = big_a * scale**b
    return float(a), float(b)


@dataclass(frozen=True)
class BestPrice:
    """The price with the highest profit, and what it brings.

    Attributes
    ----------
    price
        VND per unit the buyer pays (list price, VAT included).
    quantity
        Units sold at that price: demand, capped by the capacity.
    revenue
        ``price × quantity``: what buyers pay, VND.
    net_revenue
        What the cooperative keeps after the channel's commission, payment fee, VAT and
        per-order costs, VND.
    profit
        ``net_revenue − variable cost × quantity − fixed costs``, VND.
    capacity_binding
        Demand at this price reaches (or exceeds) the capacity: the cooperative could sell
        more than it has, so the capacity sets the price.
    at_edge
        The best price is at the edge of the searched range: the curve would push the price
        further, into prices nobody has sold at. Show a warning.
    price_low, price_high
        The range searched, VND per unit.
    """

    price: float
    quantity: float
    revenue: float
    net_revenue: float
    profit: float
    capacity_binding: bool
    at_edge: bool
    price_low: float
    price_high: float

    def to_frame(self) -> pd.DataFrame:
        """The results as a table with columns ``key`` and ``value``.

        >>> curve = DemandCurve("linear", a=2_850, b=0.055)
        >>> table = best_price(curve, Channel("cho", "Chợ", "Market"), variable_cost_per_unit=15_000,
        ...                    price_low=20_000, price_high=50_000).to_frame()
        >>> round(float(table.set_index("key").loc["price", "value"]))
        33409
        """
        values = asdict(self)
        return pd.DataFrame({"key": list(values), "value": [float(v) for v in values.values()]})


@dataclass(frozen=True)
class _Problem:
    """Checked inputs shared by `best_price` and `price_response`."""

    curve: DemandCurve
    channel: Channel
    variable_cost_per_unit: float
    fixed_costs: float
    capacity: float  # inf when there is no limit
    price_low: float
    price_high: float

    def sold(self, price: np.ndarray) -> np.ndarray:
        """Units sold: demand, capped by the capacity (demand within 1e-9 of it counts as it)."""
        demand = self.curve._quantity(price)
        if not math.isfinite(self.capacity):
            return demand
        return np.where(demand >= self.capacity * (1 - 1e-9), self.capacity, demand)

    def table(self, price: np.ndarray) -> dict[str, np.ndarray]:
        """Quantity sold, revenue, net revenue and profit at each price (vectorised).

        The arithmetic is the pricing plan's: the same functions (`coopkit.pricing.net_per_unit`
        through the channel, `coopkit.breakeven.profit`) as the ``pricing_plan`` what-if model,
        so that where the capacity is sold the profit is the plan's to the last digit.
        """
        price = np.asarray(price, dtype=float)
        sold = self.sold(price)
        net_per_unit = self.channel.net_per_unit(price)
        return {
            "price": price,
            "quantity_sold": sold,
            "revenue": price * sold,
            "net_revenue": net_per_unit * sold,
            "profit": breakeven.profit(fixed_costs=self.fixed_costs, price_per_unit=net_per_unit,
                                       variable_cost_per_unit=self.variable_cost_per_unit, volume=sold),
        }

    def profit(self, price: np.ndarray) -> np.ndarray:
        return self.table(price)["profit"]


def _problem(
    curve: DemandCurve,
    channel: Channel,
    variable_cost_per_unit: float,
    fixed_costs: float,
    capacity: float | None,
    price_low: float | None,
    price_high: float | None,
) -> _Problem:
    if not isinstance(curve, DemandCurve):
        raise TypeError(f"curve must be a DemandCurve, not {type(curve).__name__}")
    if not isinstance(channel, Channel):
        raise TypeError(f"channel must be a Channel, not {type(channel).__name__}")
    variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
    limit = math.inf if capacity is None else check_positive("capacity", capacity)

    if price_high is None:
        if not curve.prices:
            raise InputError("price_high", reason="empty")
        price_high = HIGH_SHARE * max(curve.prices)
    else:
        price_high = check_positive("price_high", price_high)
    if price_low is None:
        if not curve.prices:
            raise InputError("price_low", reason="empty")
        price_low = LOW_SHARE * min(curve.prices)
    else:
        price_low = check_nonnegative("price_low", price_low)
    if price_low >= price_high:
        raise InputError("price_low", reason="demand_price_range", value=price_low, price_high=price_high)
    # Prices must stay above zero: a range given from 0 starts just above it.
    price_low = max(price_low, price_high * 1e-6)

    return _Problem(
        curve=curve,
        channel=channel,
        variable_cost_per_unit=variable_cost_per_unit,
        fixed_costs=fixed_costs,
        capacity=limit,
        price_low=price_low,
        price_high=price_high,
    )


def _price_at_quantity(curve: DemandCurve, quantity: float) -> float:
    """The price at which demand equals ``quantity`` (NaN when no single price does)."""
    if curve.b == 0:
        return math.nan
    with np.errstate(all="ignore"):
        if curve.kind == "linear":
            return (curve.a - quantity) / curve.b
        if curve.a <= 0:
            return math.nan
        return float((curve.a / quantity) ** (1.0 / curve.b))


@old_positional_order("curve", "channel", "variable_cost_per_unit", "fixed_costs", "capacity", "price_low",
                      "price_high")
def best_price(
    curve: DemandCurve,
    channel: Channel,
    *,
    fixed_costs: float = 0.0,
    variable_cost_per_unit: float,
    capacity: float | None = None,
    price_low: float | None = None,
    price_high: float | None = None,
) -> BestPrice:
    """The list price with the highest profit through ``channel``, with what it brings.

    At each price ``p``: quantity sold ``= min(demand(p), capacity)``; the cooperative keeps
    ``net_per_unit(p)`` per unit (`coopkit.pricing.net_per_unit`: the price less
    VAT, commission, payment fee and per-order costs spread over the units of an order);
    profit ``= (net_per_unit(p) − variable_cost_per_unit) × quantity sold − fixed_costs``.

    The search runs over a fine grid of prices first (so that a kink where the capacity
    starts to bind, or a profit with two humps, is not missed), then refines around the best
    grid point with ``scipy.optimize.minimize_scalar``. The profit at the price returned is
    at least the profit at every grid point, including every row of `price_response` over
    the same range.

    Parameters
    ----------
    curve
        The demand curve (from `fit_demand`, or written down directly).
    channel
        The sales channel (`coopkit.pricing.Channel`).
    fixed_costs
        VND for the period the quantities cover (zero or more); they do not move the best
        price, only the profit.
    variable_cost_per_unit
        VND per unit sold (zero or more).
    capacity
        Most units the cooperative can sell in that period (more than zero); ``None``: no limit.
    price_low, price_high
        The range of list prices to search, VND per unit. Default: half the lowest observed
        price to 1.5 times the highest. Beyond the prices the manager has sold at, the curve
        is guesswork; a range given from 0 starts just above zero.

    Returns
    -------
    BestPrice
        ``at_edge`` is true when the best price is at an end of the range: widen it with care,
        or better, distrust the curve there.

    Raises
    ------
    InputError
        A negative cost (``negative``), a capacity not above zero (``not_positive``),
        ``price_low`` not below ``price_high`` (``demand_price_range``), no range and no
        observed prices to make one (``empty``).

    Warnings
    --------
    The costs are taken by name, in the package's one order (fixed costs, price, variable
    cost, volume). Until coopkit 0.3 the old positional call
    ``best_price(curve, channel, variable_cost_per_unit, fixed_costs, capacity, ...)`` still
    works and emits a `DeprecationWarning`; use the names.

    Examples
    --------
    The Hòa Bình oranges cost 15 000 đ/kg to grow and pick; sold at the wholesale market
    with no fees, the weekly profit is highest at about 33 300 đ/kg:

    >>> curve = fit_demand([30_000, 35_000, 40_000], [1_200, 900, 650])
    >>> market = Channel("cho", "Chợ đầu mối", "Wholesale market")
    >>> best = best_price(curve, market, variable_cost_per_unit=15_000)
    >>> round(best.price, -2), round(best.quantity), round(best.profit / 1e6, 1), best.at_edge
    (33300.0, 1008, 18.5, False)

    If the orchards can deliver only 800 kg a week, the price should rise until buyers take
    just 800 kg:

    >>> best = best_price(curve, market, variable_cost_per_unit=15_000, capacity=800)
    >>> round(best.price, -2), round(best.quantity), best.capacity_binding
    (37100.0, 800, True)
    """
    from coopkit.roots import peak_between

    problem = _problem(curve, channel, variable_cost_per_unit, fixed_costs, capacity, price_low, price_high)
    low, high = problem.price_low, problem.price_high

    grid = np.linspace(low, high, _SEARCH_INTERVALS + 1)
    # Kinks: where demand meets the capacity, where linear demand reaches zero.
    kinks = [_price_at_quantity(curve, problem.capacity)] if math.isfinite(problem.capacity) else []
    if curve.kind == "linear":
        kinks.append(_price_at_quantity(curve, 0.0))
    kinks = [k for k in kinks if math.isfinite(k) and low < k < high]
    grid_profit = problem.profit(grid)
    i = int(np.argmax(grid_profit))

    candidates = [float(grid[i]), *kinks]
    left, right = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    scale = max(abs(float(grid_profit[i])), 1.0)
    if right > left:
        try:
            candidates.append(peak_between(lambda x: float(problem.profit(np.float64(x))) / scale, left, right,
                                           xtol=(high - low) * 1e-10))
        except ValueError:  # no number near the grid's best (absurd costs): the grid's best stands
            pass
    profits = problem.profit(np.array(candidates))
    price = candidates[int(np.argmax(profits))]

    return _best_at(problem, price)


def _best_at(problem: _Problem, price: float) -> BestPrice:
    """`BestPrice` for ``price`` (already chosen) in ``problem``."""
    low, high = problem.price_low, problem.price_high
    row = {k: float(v) for k, v in problem.table(np.float64(price)).items()}
    demand = float(problem.curve._quantity(np.float64(price)))
    binding = math.isfinite(problem.capacity) and demand >= problem.capacity * (1 - 1e-9)
    edge = min(price - low, high - price) <= (high - low) * 1e-6
    return BestPrice(
        price=price,
        quantity=row["quantity_sold"],
        revenue=row["revenue"],
        net_revenue=row["net_revenue"],
        profit=row["profit"],
        capacity_binding=bool(binding),
        at_edge=bool(edge),
        price_low=low,
        price_high=high,
    )


@old_positional_order("curve", "channel", "variable_cost_per_unit", "fixed_costs", "capacity", "price_low",
                      "price_high", "points")
def price_response(
    curve: DemandCurve,
    channel: Channel,
    *,
    fixed_costs: float = 0.0,
    variable_cost_per_unit: float,
    capacity: float | None = None,
    price_low: float | None = None,
    price_high: float | None = None,
    points: int = 61,
) -> pd.DataFrame:
    """Quantity sold, revenue and profit at evenly spaced list prices (for a chart or a table).

    Same economics and inputs as `best_price`; vectorised, so that an app can redraw it on
    every slider move.

    Parameters
    ----------
    curve, channel, fixed_costs, variable_cost_per_unit, capacity, price_low, price_high
        As in `best_price`.
    points
        Number of prices, from ``price_low`` to ``price_high`` inclusive (a whole number from
        2 to `MAX_POINTS`).

    Returns
    -------
    pandas.DataFrame
        One row per price, ascending; columns ``price`` (VND per unit), ``quantity_sold``
        (units), ``revenue`` (what buyers pay), ``net_revenue`` (what the cooperative keeps
        after the channel) and ``profit`` (VND).

    Warnings
    --------
    As in `best_price`: the costs are taken by name; until coopkit 0.3 the old positional call
    ``price_response(curve, channel, variable_cost_per_unit, fixed_costs, capacity, ...)``
    still works and emits a `DeprecationWarning`.

    Examples
    --------
    The Hòa Bình oranges between 30 000 and 40 000 đ/kg, in steps of 5 000 đ:

    >>> curve = fit_demand([30_000, 35_000, 40_000], [1_200, 900, 650])
    >>> market = Channel("cho", "Chợ đầu mối", "Wholesale market")
    >>> table = price_response(curve, market, variable_cost_per_unit=15_000, price_low=30_000, price_high=40_000,
    ...                        points=3)
    >>> (table[["quantity_sold", "profit"]] / [1, 1e6]).round(1).values.tolist()
    [[1191.7, 17.9], [916.7, 18.3], [641.7, 16.0]]
    """
    points = check_points(points)
    problem = _problem(curve, channel, variable_cost_per_unit, fixed_costs, capacity, price_low, price_high)
    prices = np.linspace(problem.price_low, problem.price_high, points)
    return pd.DataFrame(problem.table(prices))


#: Elasticity of the example sales a what-if page shows until the manager types their own: a 1 %
#: higher price sells about 1.5 % less (illustrative assumption, not a measured figure).
EXAMPLE_ELASTICITY = 1.5
#: The example sales sit at these shares of the plan's price.
EXAMPLE_PRICE_SHARES = (0.8, 1.0, 1.2)


def example_sales(list_price: float, volume: float, kind: str = "linear") -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Example (price, quantity) sales around a plan, to show until the manager enters real ones.

    The plan itself is one of them (``list_price``, ``volume``); the others are 20 % cheaper and
    20 % dearer, on a curve of ``kind`` whose elasticity at the plan's price is
    −`EXAMPLE_ELASTICITY`. So a curve fitted to them passes through the plan: at the plan's
    price buyers take the plan's volume, and the price–profit curve meets the plan's profit.

    Parameters
    ----------
    list_price
        The plan's list price, VND per unit (more than zero).
    volume
        The plan's volume for the period, units (more than zero).
    kind
        The curve shape (`DEMAND_MODELS`).

    Returns
    -------
    tuple
        ``(prices, quantities)``, three each, prices ascending.

    Examples
    --------
    Lạc Thủy oranges planned at 28 000 đ/kg, 128 tonnes a season:

    >>> prices, quantities = example_sales(28_000, 128_000)
    >>> [round(p) for p in prices], [round(q) for q in quantities]
    ([22400, 28000, 33600], [166400, 128000, 89600])
    >>> curve = fit_demand(prices, quantities)
    >>> round(curve.quantity(28_000)), round(curve.elasticity(28_000), 6)
    (128000, -1.5)
    """
    kind = _check_kind(kind)
    list_price = check_positive("list_price", list_price)
    volume = check_positive("volume", volume)
    prices, quantities = [], []
    for share in EXAMPLE_PRICE_SHARES:
        prices.append(list_price * share)
        if kind == "linear":
            quantities.append(volume * (1.0 - EXAMPLE_ELASTICITY * (share - 1.0)))
        else:
            quantities.append(volume * share ** (-EXAMPLE_ELASTICITY))
    return tuple(prices), tuple(quantities)


@dataclass(frozen=True)
class PlanDemand:
    """The demand answer for one pricing plan: the price–profit curve, the most profitable
    price, and the plan's own point on that curve.

    Attributes
    ----------
    curve
        The demand curve.
    response
        `price_response`'s table over the range searched, with one row at the plan's price.
    best
        The most profitable price of that same curve: its profit is at least the profit of
        every row of ``response``, the plan's row included.
    list_price, volume
        The plan's price (VND per unit) and volume (units), the volume being the capacity.
    quantity_sold
        Units the curve says buyers take at the plan's price, at most the volume.
    profit
        Profit at the plan's price on the curve, VND: the plan's profit exactly when buyers
        take the whole volume (``quantity_sold == volume``).
    """

    curve: DemandCurve
    response: pd.DataFrame
    best: BestPrice
    list_price: float
    volume: float
    quantity_sold: float
    profit: float

    @property
    def demand_below_plan(self) -> bool:
        """At the plan's price buyers take less than the plan's volume (the plan sells it all)."""
        return self.quantity_sold < self.volume


@old_positional_order("curve", "channel", "variable_cost_per_unit", "fixed_costs", "volume", "list_price")
def plan_demand(
    curve: DemandCurve,
    channel: Channel,
    *,
    fixed_costs: float,
    list_price: float,
    variable_cost_per_unit: float,
    volume: float,
    points: int = 61,
    price_low: float | None = None,
    price_high: float | None = None,
) -> PlanDemand:
    """The price–profit curve and the best price for a pricing plan, the plan on that curve.

    One question, one answer: the curve is computed with the plan's own arithmetic (the
    channel's VAT, commission, payment fee and per-order costs, the plan's costs, the plan's
    volume as the most that can be sold), so at the plan's price, where buyers take the whole
    volume, its profit *is* the plan's profit (`coopkit.models` ``pricing_plan``); and the best
    price is the top of that same curve.

    Parameters
    ----------
    curve, channel, fixed_costs
        As in `best_price`.
    list_price
        The plan's list price, VND per unit (more than zero).
    variable_cost_per_unit
        As in `best_price`.
    volume
        The plan's volume for the period the quantities cover (more than zero): the capacity.
    points
        Evenly spaced prices in the table, a whole number from 2 to `MAX_POINTS` (the plan's
        price is added).
    price_low, price_high
        The range; default: from the lower of half the lowest observed price and 80 % of the
        plan's price to the higher of 1.5 times the highest observed price and 120 % of it.

    Warnings
    --------
    The plan's numbers are taken by name, in the package's one order (fixed costs, price,
    variable cost, volume). Until coopkit 0.3 the old positional call
    ``plan_demand(curve, channel, variable_cost_per_unit, fixed_costs, volume, list_price)``
    still works and emits a `DeprecationWarning`; use the names.

    Examples
    --------
    Lạc Thủy oranges on a market with no fees, planned at 28 000 đ/kg, 128 tonnes, 14 000 đ/kg
    variable cost and 300 million fixed, with the example sales around that plan:

    >>> market = Channel("cho", "Chợ đầu mối", "Wholesale market")
    >>> curve = fit_demand(*example_sales(28_000, 128_000))
    >>> plan = plan_demand(curve, market, fixed_costs=300e6, list_price=28_000, variable_cost_per_unit=14_000,
    ...                    volume=128_000)
    >>> round(plan.profit / 1e6, 1), plan.demand_below_plan
    (1492.0, False)

    Buyers would still take 112 tonnes at about 30 300 đ/kg, which earns more:

    >>> round(plan.best.price, -2), round(plan.best.quantity / 1_000), round(plan.best.profit / 1e6, 1)
    (30300.0, 112, 1529.3)
    """
    list_price = check_positive("list_price", list_price)
    volume = check_positive("volume", volume)
    points = check_points(points)
    if price_low is None:
        low_seen = LOW_SHARE * min(curve.prices) if curve.prices else LOW_SHARE * list_price
        price_low = min(low_seen, 0.8 * list_price)
    if price_high is None:
        high_seen = HIGH_SHARE * max(curve.prices) if curve.prices else HIGH_SHARE * list_price
        price_high = max(high_seen, 1.2 * list_price)
    best = best_price(curve, channel, fixed_costs=fixed_costs, variable_cost_per_unit=variable_cost_per_unit,
                      capacity=volume,
                      price_low=price_low, price_high=price_high)
    problem = _problem(curve, channel, variable_cost_per_unit, fixed_costs, volume, price_low, price_high)
    prices = np.linspace(problem.price_low, problem.price_high, points)
    inside = problem.price_low <= list_price <= problem.price_high
    if inside:
        prices = np.union1d(prices, [list_price])
    response = pd.DataFrame(problem.table(prices))
    at_plan = {k: float(v) for k, v in problem.table(np.float64(list_price)).items()}
    if inside and at_plan["profit"] > best.profit:
        best = _best_at(problem, list_price)
    return PlanDemand(curve=curve, response=response, best=best, list_price=list_price, volume=volume,
                      quantity_sold=at_plan["quantity_sold"], profit=at_plan["profit"])
