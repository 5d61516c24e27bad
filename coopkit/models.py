"""The what-if models of the first workbooks: unit cost, break-even and channel pricing.

`MODELS` lists them; `coopkit.whatif` reads that list on its first lookup by name, so scenarios,
goal seek, data tables and tornado charts work on them. A new built-in model joins `MODELS`; a
user's own model is added with `coopkit.whatif.register_model`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from coopkit import breakeven, costs, pricing
from coopkit._compat import old_positional_order
from coopkit.errors import InputError
from coopkit.validate import check_finite, check_object
from coopkit.whatif import Model, Values

__all__ = ["MODELS", "UNIT_COST", "BREAK_EVEN", "CHANNEL_PRICING", "PRICING_PLAN", "channel_inputs", "pricing_plan_inputs"]


def _unit_cost(v: Values) -> dict[str, float]:
    unit = costs.unit_cost(v["fixed_costs"], v["variable_cost_per_unit"], v["volume"])
    return {"unit_cost": unit, "total_costs": unit * v["volume"]}


def _break_even(v: Values) -> dict[str, float]:
    f, p, c, q = v["fixed_costs"], v["price_per_unit"], v["variable_cost_per_unit"], v["volume"]
    out = {
        "profit": breakeven.profit(fixed_costs=f, price_per_unit=p, variable_cost_per_unit=c, volume=q),
        "revenue": p * q,
        "total_costs": f + c * q,
        "contribution_margin": breakeven.contribution_margin(p, c),
        "break_even_price": breakeven.break_even_price(f, c, q),
    }
    try:  # no break-even volume when the price does not cover the variable cost
        out["break_even_volume"] = breakeven.break_even_volume(f, p, c)
        out["margin_of_safety"] = breakeven.margin_of_safety(fixed_costs=f, price_per_unit=p,
                                                             variable_cost_per_unit=c, volume=q)
    except InputError as err:
        if err.reason != "below_variable_cost":
            raise
        out["break_even_volume"] = out["margin_of_safety"] = math.nan
    return out


#: The channel's numbers among the channel models' inputs, in order (`coopkit.pricing.Channel.NUMBERS`).
CHANNEL_INPUTS = pricing.Channel.NUMBERS


def _channel_pricing(v: Values) -> dict[str, float]:
    r = pricing.channel_result(pricing.Channel.from_inputs(v), list_price=v["list_price"],
                               cost_per_unit=v["cost_per_unit"])
    return {
        "net_per_unit": r.net_per_unit,
        "net_per_order": r.net_per_order,
        "profit_per_unit": r.profit_per_unit,
        "margin": r.margin,
        "fees_share": r.fees_share,
    }


def channel_inputs(channel: pricing.Channel, list_price: float, cost_per_unit: float) -> dict[str, float]:
    """The channel-pricing model's inputs for a channel from the fee table.

    The reverse is `coopkit.pricing.Channel.from_inputs`.

    >>> online = pricing.Channel("shopee", "Shopee", "Shopee", commission_rate=0.1)
    >>> channel_inputs(online, 30_000, 14_000)["commission_rate"]
    0.1
    """
    return {"list_price": check_finite("list_price", list_price),
            "cost_per_unit": check_finite("cost_per_unit", cost_per_unit),
            **check_object("channel", channel, pricing.Channel).to_inputs()}


def _plan(list_price, volume, variable_cost_per_unit, fixed_costs, unit_cost, net_per_unit):
    """The pricing plan's outputs, on numbers or on numpy arrays (the same lines for both)."""
    contribution = net_per_unit - variable_cost_per_unit
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "profit": breakeven.profit(fixed_costs=fixed_costs, price_per_unit=net_per_unit,
                                       variable_cost_per_unit=variable_cost_per_unit, volume=volume),
            "revenue": list_price * volume,
            "net_per_unit": net_per_unit,
            "unit_cost": unit_cost,
            "profit_per_unit": net_per_unit - unit_cost,
            "margin": (net_per_unit - unit_cost) / list_price,
            "break_even_volume": np.where(contribution > 0, np.divide(fixed_costs, contribution), np.nan),
        }


def _pricing_plan(v: Values) -> dict[str, float]:
    fixed, variable, volume = v["fixed_costs"], v["variable_cost_per_unit"], v["volume"]
    unit = costs.unit_cost(fixed, variable, volume)
    net = pricing.Channel.from_inputs(v).net_per_unit(v["list_price"])
    return {name: float(value) for name, value in _plan(v["list_price"], volume, variable, fixed, unit, net).items()}


def _pricing_plan_grid(v: Mapping[str, object]) -> dict[str, object]:
    """`_pricing_plan` on numpy arrays, NaN where it would raise (for fast data tables)."""
    a = {name: np.asarray(value, dtype=float) for name, value in v.items()}
    fixed, variable, volume, price = a["fixed_costs"], a["variable_cost_per_unit"], a["volume"], a["list_price"]
    with np.errstate(divide="ignore", invalid="ignore"):
        net = pricing.net_per_unit(price, **{name: a[name] for name in CHANNEL_INPUTS})  # NaN: channel refused
        unit = fixed / volume + variable
        valid = (fixed >= 0) & (variable >= 0) & (volume > 0) & ~np.isnan(net)  # as costs.unit_cost checks
        outputs = _plan(price, volume, variable, fixed, unit, net)
    shape = np.broadcast_shapes(*(x.shape for x in a.values()))
    return {name: np.where(valid, np.broadcast_to(value, shape), np.nan) for name, value in outputs.items()}


@old_positional_order("channel", "list_price", "fixed_costs", "variable_cost_per_unit", "volume")
def pricing_plan_inputs(
    channel: pricing.Channel, *, fixed_costs: float, list_price: float, variable_cost_per_unit: float, volume: float
) -> dict[str, float]:
    """The what-if pricing model's inputs: a product's costs and volume sold through a channel.

    The channel comes first, the numbers by name in the package's one order. Until coopkit 0.3
    the old positional call ``pricing_plan_inputs(channel, list_price, fixed_costs,
    variable_cost_per_unit, volume)`` still works and emits a `DeprecationWarning`.

    Sơn Nam's eggs at 3 000 đ at the market, 610 million đồng fixed costs, 2 067 đ variable
    cost an egg, 1 095 000 eggs a year: what profit, in million đồng?

    >>> from coopkit.whatif import evaluate
    >>> shop = pricing.Channel("cho", "Chợ", "Market")
    >>> inputs = pricing_plan_inputs(shop, fixed_costs=610e6, list_price=3_000, variable_cost_per_unit=2_067,
    ...                              volume=1_095_000)
    >>> evaluate("pricing_plan", inputs)["profit"] / 1e6
    411.635
    """
    numbers = {"fixed_costs": fixed_costs, "variable_cost_per_unit": variable_cost_per_unit, "volume": volume,
               "list_price": list_price}
    return {**{k: check_finite(k, v) for k, v in numbers.items()},
            **check_object("channel", channel, pricing.Channel).to_inputs()}


UNIT_COST = Model(
    "unit_cost",
    inputs=("fixed_costs", "variable_cost_per_unit", "volume"),
    outputs=("unit_cost", "total_costs"),
    function=_unit_cost,
    bounds={"volume": (1.0, None)},
)

BREAK_EVEN = Model(
    "break_even",
    inputs=("fixed_costs", "price_per_unit", "variable_cost_per_unit", "volume"),
    outputs=("profit", "revenue", "total_costs", "contribution_margin", "break_even_volume",
             "break_even_price", "margin_of_safety"),
    function=_break_even,
    bounds={"price_per_unit": (1.0, None), "volume": (1.0, None)},
)

CHANNEL_PRICING = Model(
    "channel_pricing",
    inputs=("list_price", "cost_per_unit", *CHANNEL_INPUTS),
    outputs=("net_per_unit", "net_per_order", "profit_per_unit", "margin", "fees_share"),
    function=_channel_pricing,
    bounds={
        "list_price": (1.0, None),
        "commission_rate": (0.0, 0.9),
        "payment_fee_rate": (0.0, 0.9),
        "vat_rate": (0.0, 0.5),
        "units_per_order": (1.0, None),
    },
)

PRICING_PLAN = Model(
    "pricing_plan",
    inputs=("list_price", "volume", "variable_cost_per_unit", "fixed_costs", *CHANNEL_INPUTS),
    outputs=("profit", "revenue", "net_per_unit", "unit_cost", "profit_per_unit", "margin", "break_even_volume"),
    function=_pricing_plan,
    grid_function=_pricing_plan_grid,
    bounds={
        "list_price": (1.0, None),
        "volume": (1.0, None),
        "commission_rate": (0.0, 0.9),
        "payment_fee_rate": (0.0, 0.9),
        "vat_rate": (0.0, 0.5),
        "units_per_order": (1.0, None),
    },
)

#: The workbooks' models; `coopkit.whatif` reads this tuple on
#: its first lookup by name (`coopkit.whatif.MODELS`): importing this module registers nothing.
MODELS: tuple[Model, ...] = (UNIT_COST, BREAK_EVEN, CHANNEL_PRICING, PRICING_PLAN)
