"""coopkit: plan prices, costs and yields for a Vietnamese agricultural cooperative.

The top level holds the pure domain functions (numbers in, numbers or tables out) and the
error type for bad input. Importing ``coopkit`` stays light: matplotlib, ipywidgets and scipy
are imported only by the parts that need them (``coopkit.plots``, ``coopkit.ui``).

>>> import coopkit as ck
>>> ck.unit_cost(fixed_costs=120_000_000, variable_cost_per_unit=9_000, volume=40_000)
12000.0
"""

from coopkit.breakeven import (
    BreakEven,
    break_even,
    break_even_price,
    break_even_volume,
    contribution_margin,
    contribution_margin_ratio,
    cvp_table,
    margin_of_safety,
    profit,
)
from coopkit.costs import (
    CostItem,
    CostSummary,
    cost_breakdown,
    cost_summary,
    processed_unit_cost,
    raw_input_needed,
    raw_material_cost_per_unit,
    straight_line_depreciation,
    unit_cost,
)
from coopkit.demand import BestPrice, DemandCurve, best_price, fit_demand, price_response
from coopkit.errors import InputError
from coopkit.pricing import (
    Channel,
    ChannelResult,
    channel_result,
    compare_channels,
    margin_to_markup,
    markup_to_margin,
    price_for_channel_margin,
    price_for_margin,
    price_for_markup,
)

from coopkit.whatif import (
    Model,
    Scenario,
    compare_scenarios,
    data_table,
    evaluate,
    evaluate_scenarios,
    goal_seek,
    register_model,
    spider,
    tornado,
)
from coopkit import models as _models  # noqa: E402,F401  (registers the workbooks' models)
from coopkit import exchange, store  # noqa: E402,F401  (scenario files: coopkit.store, coopkit.exchange)

__version__ = "0.1.0"

__all__ = [
    "BestPrice",
    "BreakEven",
    "Channel",
    "ChannelResult",
    "CostItem",
    "CostSummary",
    "DemandCurve",
    "InputError",
    "Model",
    "Scenario",
    "best_price",
    "break_even",
    "break_even_price",
    "break_even_volume",
    "channel_result",
    "compare_channels",
    "compare_scenarios",
    "contribution_margin",
    "contribution_margin_ratio",
    "cost_breakdown",
    "cost_summary",
    "cvp_table",
    "data_table",
    "evaluate",
    "evaluate_scenarios",
    "fit_demand",
    "goal_seek",
    "margin_of_safety",
    "margin_to_markup",
    "markup_to_margin",
    "price_for_channel_margin",
    "price_for_margin",
    "price_for_markup",
    "price_response",
    "processed_unit_cost",
    "profit",
    "raw_input_needed",
    "raw_material_cost_per_unit",
    "register_model",
    "spider",
    "straight_line_depreciation",
    "tornado",
    "unit_cost",
]
