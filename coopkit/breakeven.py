"""Break-even: how much the cooperative must sell, or at what price, to cover all its costs.

The cost-volume-profit model of every farm-management textbook: revenue is price × volume,
costs are fixed costs plus variable cost × volume. Each unit sold brings its contribution
margin (price − variable cost) towards the fixed costs; the break-even volume is the number
of units whose contributions add up to the fixed costs.

All amounts are positive VND; ratios are fractions.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from coopkit._compat import old_positional_order
from coopkit.errors import InputError
from coopkit.validate import check_finite, check_nonnegative, check_positive

__all__ = [
    "contribution_margin",
    "contribution_margin_ratio",
    "profit",
    "break_even_volume",
    "break_even_price",
    "margin_of_safety",
    "BreakEven",
    "break_even",
    "cvp_table",
    "MAX_POINTS",
]

#: Most rows `cvp_table` makes (a chart needs a few hundred at most).
MAX_POINTS = 10_000


def check_points(points: object) -> int:
    """Number of rows or prices in a table: a whole number from 2 to `MAX_POINTS`.

    >>> check_points(51.0)
    51
    """
    whole = (isinstance(points, numbers.Real) and not isinstance(points, bool)
             and math.isfinite(points) and points == int(points))
    if not whole or points < 2:
        raise InputError("points", reason="too_few_points", value=points)
    if points > MAX_POINTS:
        raise InputError("points", reason="too_many_points", value=points, limit=MAX_POINTS)
    return int(points)


def contribution_margin(price_per_unit: float, variable_cost_per_unit: float) -> float:
    """What each unit sold leaves towards the fixed costs: price − variable cost.

    Parameters
    ----------
    price_per_unit
        VND the cooperative receives per unit (more than zero).
    variable_cost_per_unit
        VND spent per unit (zero or more).

    Returns
    -------
    float
        VND per unit; negative when the price does not cover the variable cost.

    Examples
    --------
    Sơn Nam eggs sell at 2 600 đ each and cost 1 900 đ each in feed and trays:

    >>> contribution_margin(2_600, 1_900)
    700.0
    """
    price_per_unit = check_positive("price_per_unit", price_per_unit)
    variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    return price_per_unit - variable_cost_per_unit


def contribution_margin_ratio(price_per_unit: float, variable_cost_per_unit: float) -> float:
    """The contribution margin as a fraction of the price.

    Parameters
    ----------
    price_per_unit, variable_cost_per_unit
        As in `contribution_margin`.

    Returns
    -------
    float
        ``(price − variable cost) / price``: of every đồng of sales, the part left for the
        fixed costs and profit.

    Examples
    --------
    Of each 2 600 đ egg, about 27 % is left for the fixed costs:

    >>> round(contribution_margin_ratio(2_600, 1_900), 3)
    0.269
    """
    price_per_unit = check_positive("price_per_unit", price_per_unit)
    return contribution_margin(price_per_unit, variable_cost_per_unit) / price_per_unit


@old_positional_order("volume", "price_per_unit", "fixed_costs", "variable_cost_per_unit")
def profit(*, fixed_costs: float, price_per_unit: float, variable_cost_per_unit: float, volume: float) -> float:
    """Profit of the season: revenue minus fixed and variable costs.

    Parameters
    ----------
    fixed_costs
        VND for the season (zero or more).
    price_per_unit
        VND the cooperative receives per unit: the price, or what a sales channel leaves of
        it (`coopkit.pricing.net_per_unit`), which may be zero or less.
    variable_cost_per_unit
        VND per unit (zero or more).
    volume
        Units sold (zero or more).

    Returns
    -------
    float or numpy.ndarray
        ``volume × (price_per_unit − variable_cost_per_unit) − fixed_costs``, VND; negative
        for a loss. Numbers are checked; numpy arrays (a data table, a price–profit curve)
        are broadcast and computed element by element without checks: the caller marks its
        own invalid cells.

    Warnings
    --------
    The arguments are taken by name, in the package's one order (fixed costs, price, variable
    cost, volume). Until coopkit 0.3 a positional call in the old order
    ``profit(volume, price_per_unit, fixed_costs, variable_cost_per_unit)`` still works and
    emits a `DeprecationWarning`; use the names.

    Examples
    --------
    The Sơn Nam layer farm (5 000 hens, about 3 000 eggs a day, 1 095 000 eggs a year)
    has 600 million đồng of fixed costs a year:

    >>> profit(fixed_costs=600_000_000, price_per_unit=2_600, variable_cost_per_unit=1_900, volume=1_095_000)
    166500000.0

    And if it sold only 800 000 or 900 000 eggs?

    >>> profit(fixed_costs=600e6, price_per_unit=2_600, variable_cost_per_unit=1_900,
    ...        volume=np.array([800_000, 900_000])) / 1e6
    array([-40.,  30.])
    """
    if not any(isinstance(x, np.ndarray) for x in (fixed_costs, price_per_unit, variable_cost_per_unit, volume)):
        volume = check_nonnegative("volume", volume)
        fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
        price_per_unit = check_finite("price_per_unit", price_per_unit)
        variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    return volume * (price_per_unit - variable_cost_per_unit) - fixed_costs


def break_even_volume(fixed_costs: float, price_per_unit: float, variable_cost_per_unit: float) -> float:
    """Units the cooperative must sell in a season to cover all its costs.

    Parameters
    ----------
    fixed_costs
        VND for the season (zero or more).
    price_per_unit
        VND per unit (more than zero), above the variable cost.
    variable_cost_per_unit
        VND per unit (zero or more).

    Returns
    -------
    float
        ``fixed_costs / (price − variable cost)`` units; 0 when there are no fixed costs.

    Raises
    ------
    InputError
        ``below_variable_cost`` on ``price_per_unit`` when the price is at or below the
        variable cost: no volume then covers the fixed costs.

    Examples
    --------
    How many eggs must the Sơn Nam farm sell to cover 600 million đồng of fixed costs?

    >>> round(break_even_volume(600_000_000, 2_600, 1_900))
    857143

    A Lạc Thủy orange cooperative with 150 million đồng of fixed costs, 4 000 đ/kg of
    variable costs and a farm-gate price of 12 000 đ/kg:

    >>> break_even_volume(150_000_000, 12_000, 4_000)
    18750.0
    """
    fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
    margin = contribution_margin(price_per_unit, variable_cost_per_unit)
    if margin <= 0:
        raise InputError(
            "price_per_unit",
            reason="below_variable_cost",
            value=float(price_per_unit),
            variable_cost_per_unit=float(variable_cost_per_unit),
        )
    return fixed_costs / margin


def break_even_price(fixed_costs: float, variable_cost_per_unit: float, volume: float) -> float:
    """The lowest price that covers all costs when ``volume`` units are sold.

    It equals the unit cost: variable cost + fixed costs / volume.

    Parameters
    ----------
    fixed_costs
        VND for the season (zero or more).
    variable_cost_per_unit
        VND per unit (zero or more).
    volume
        Units sold (more than zero).

    Returns
    -------
    float
        VND per unit.

    Examples
    --------
    Below what price per egg does the Sơn Nam farm lose money?

    >>> round(break_even_price(600_000_000, 1_900, 1_095_000))
    2448
    """
    fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
    variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    volume = check_positive("volume", volume)
    return variable_cost_per_unit + fixed_costs / volume


@old_positional_order("volume", "price_per_unit", "fixed_costs", "variable_cost_per_unit")
def margin_of_safety(*, fixed_costs: float, price_per_unit: float, variable_cost_per_unit: float,
                     volume: float) -> float:
    """How far sales may fall before the season makes a loss, as a fraction of the volume.

    Parameters
    ----------
    fixed_costs, price_per_unit, variable_cost_per_unit
        As in `break_even_volume`.
    volume
        Units the cooperative expects to sell (more than zero).

    Returns
    -------
    float
        ``(volume − break-even volume) / volume``; negative when the expected volume is
        below break-even.

    Warnings
    --------
    The arguments are taken by name, in the package's one order (fixed costs, price, variable
    cost, volume). Until coopkit 0.3 a positional call in the old order
    ``margin_of_safety(volume, price_per_unit, fixed_costs, variable_cost_per_unit)`` still
    works and emits a `DeprecationWarning`; use the names.

    Examples
    --------
    Egg sales may fall by about 22 % before the Sơn Nam farm makes a loss:

    >>> round(margin_of_safety(fixed_costs=600_000_000, price_per_unit=2_600,
    ...                        variable_cost_per_unit=1_900, volume=1_095_000), 3)
    0.217
    """
    volume = check_positive("volume", volume)
    return (volume - break_even_volume(fixed_costs, price_per_unit, variable_cost_per_unit)) / volume


@dataclass(frozen=True)
class BreakEven:
    """Everything the break-even lesson shows for one product and season.

    Attributes
    ----------
    fixed_costs, price_per_unit, variable_cost_per_unit, volume
        The inputs (VND, VND per unit, VND per unit, units).
    contribution_margin
        Price − variable cost, VND per unit.
    contribution_margin_ratio
        Contribution margin / price.
    break_even_volume
        Units to sell to cover all costs.
    break_even_revenue
        Break-even volume × price, VND.
    break_even_price
        Lowest price that covers all costs at ``volume``, VND per unit.
    margin_of_safety
        (volume − break-even volume) / volume.
    revenue, total_costs, profit
        At ``volume``, VND.
    """

    fixed_costs: float
    price_per_unit: float
    variable_cost_per_unit: float
    volume: float
    contribution_margin: float
    contribution_margin_ratio: float
    break_even_volume: float
    break_even_revenue: float
    break_even_price: float
    margin_of_safety: float
    revenue: float
    total_costs: float
    profit: float

    def to_frame(self) -> pd.DataFrame:
        """The results as a table with columns ``key`` and ``value`` (labels are the UI's job).

        >>> table = break_even(150_000_000, 12_000, 4_000, 25_000).to_frame()
        >>> float(table.set_index("key").loc["break_even_volume", "value"])
        18750.0
        """
        values = asdict(self)
        return pd.DataFrame({"key": list(values), "value": [float(v) for v in values.values()]})


def break_even(fixed_costs: float, price_per_unit: float, variable_cost_per_unit: float, volume: float) -> BreakEven:
    """Break-even volume, price, revenue, margin of safety and profit in one call.

    Parameters
    ----------
    fixed_costs
        VND for the season (zero or more).
    price_per_unit
        VND per unit (more than zero), above the variable cost.
    variable_cost_per_unit
        VND per unit (zero or more).
    volume
        Units the cooperative expects to sell (more than zero).

    Returns
    -------
    BreakEven

    Raises
    ------
    InputError
        ``below_variable_cost`` when the price does not exceed the variable cost.

    Examples
    --------
    The Lạc Thủy orange cooperative expects to sell 25 tonnes at 12 000 đ/kg:

    >>> r = break_even(150_000_000, 12_000, 4_000, 25_000)
    >>> r.break_even_volume, r.margin_of_safety, r.profit
    (18750.0, 0.25, 50000000.0)
    """
    fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
    price_per_unit = check_positive("price_per_unit", price_per_unit)
    variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    volume = check_positive("volume", volume)
    bev = break_even_volume(fixed_costs, price_per_unit, variable_cost_per_unit)
    margin = price_per_unit - variable_cost_per_unit
    revenue = price_per_unit * volume
    total_costs = fixed_costs + variable_cost_per_unit * volume
    return BreakEven(
        fixed_costs=fixed_costs,
        price_per_unit=price_per_unit,
        variable_cost_per_unit=variable_cost_per_unit,
        volume=volume,
        contribution_margin=margin,
        contribution_margin_ratio=margin / price_per_unit,
        break_even_volume=bev,
        break_even_revenue=bev * price_per_unit,
        break_even_price=break_even_price(fixed_costs, variable_cost_per_unit, volume),
        margin_of_safety=(volume - bev) / volume,
        revenue=revenue,
        total_costs=total_costs,
        profit=revenue - total_costs,
    )


def cvp_table(
    fixed_costs: float,
    price_per_unit: float,
    variable_cost_per_unit: float,
    max_volume: float,
    points: int = 51,
) -> pd.DataFrame:
    """Revenue, costs and profit at evenly spaced volumes from 0 to ``max_volume`` (for a chart).

    Parameters
    ----------
    fixed_costs
        VND for the season (zero or more).
    price_per_unit
        VND per unit (more than zero). It may be below the variable cost: the table then
        shows a loss that grows with every unit.
    variable_cost_per_unit
        VND per unit (zero or more).
    max_volume
        Largest volume in the table (more than zero).
    points
        Number of rows, a whole number from 2 to `MAX_POINTS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``volume, revenue, fixed_costs, total_costs, profit``.

    Examples
    --------
    The orange cooperative's cost-volume-profit table up to 30 tonnes, every 10 tonnes:

    >>> print(cvp_table(150_000_000, 12_000, 4_000, 30_000, points=4).to_string(index=False))
     volume     revenue  fixed_costs  total_costs       profit
        0.0         0.0  150000000.0  150000000.0 -150000000.0
    10000.0 120000000.0  150000000.0  190000000.0  -70000000.0
    20000.0 240000000.0  150000000.0  230000000.0   10000000.0
    30000.0 360000000.0  150000000.0  270000000.0   90000000.0
    """
    fixed_costs = check_nonnegative("fixed_costs", fixed_costs)
    price_per_unit = check_positive("price_per_unit", price_per_unit)
    variable_cost_per_unit = check_nonnegative("variable_cost_per_unit", variable_cost_per_unit)
    max_volume = check_positive("max_volume", max_volume)
    points = check_points(points)
    volume = np.linspace(0.0, max_volume, points)
    revenue = price_per_unit * volume
    total_costs = fixed_costs + variable_cost_per_unit * volume
    return pd.DataFrame(
        {
            "volume": volume,
            "revenue": revenue,
            "fixed_costs": np.full_like(volume, fixed_costs),
            "total_costs": total_costs,
            "profit": revenue - total_costs,
        }
    )
