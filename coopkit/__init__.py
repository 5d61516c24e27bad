"""coopkit: plan prices, costs and yields for a Vietnamese agricultural cooperative.

The top level holds the verbs a lesson or a manager's notebook calls, and the few inputs they
take; everything else is imported from its module (``coopkit.breakeven.contribution_margin``,
``coopkit.flock.flock_plan``, ...). Quantities come in one order everywhere: fixed costs,
price, variable cost, volume (``fixed_costs, price_per_unit, variable_cost_per_unit, volume``);
rates are fractions and money is VND.

- unit cost: `unit_cost`, `raw_input_needed`
- break-even: `break_even`, `break_even_volume`, `profit`, `margin_of_safety`
- prices: `price_for_markup`, `price_for_margin`, `markup_to_margin`
- channels: `Channel`, `channel_result`, `compare_channels`
- what if: `goal_seek`, `data_table`, `Scenario`, `compare_scenarios`
- risk: `simulate_profit`; crop mix: `best_crop_mix`, `Crop`, `Farm`
- loans: `loan_payment`, `loan_schedule`, `Loan`; investment: `npv`, `irr`, `appraise`, `Investment`
- cash flow: `cash_flow_plan`; surplus distribution: `distribute_surplus`, `Member`
- bad input: `InputError`

The names that left the top level in 0.2 still work until 0.3, with a `DeprecationWarning` that
names their module. Importing ``coopkit`` stays light: matplotlib, ipywidgets and scipy are
imported only by the parts that need them (``coopkit.plots``, ``coopkit.ui``).

>>> import coopkit as ck
>>> ck.unit_cost(fixed_costs=120_000_000, variable_cost_per_unit=9_000, volume=40_000)
12000.0
"""

from coopkit.breakeven import break_even, break_even_volume, margin_of_safety, profit
from coopkit.cashflow import cash_flow_plan
from coopkit.costs import raw_input_needed, unit_cost
from coopkit.cropmix import Crop, Farm, best_crop_mix
from coopkit.errors import InputError
from coopkit.investment import Investment, appraise, irr, npv
from coopkit.loans import Loan, loan_payment, loan_schedule
from coopkit.members import Member, distribute_surplus
from coopkit.pricing import (
    Channel,
    channel_result,
    compare_channels,
    markup_to_margin,
    price_for_margin,
    price_for_markup,
)
from coopkit.risk import simulate_profit
from coopkit.whatif import Scenario, compare_scenarios, data_table, goal_seek

__version__ = "0.1.0"

__all__ = [
    "InputError",
    # unit cost
    "unit_cost",
    "raw_input_needed",
    # break-even
    "break_even",
    "break_even_volume",
    "profit",
    "margin_of_safety",
    # prices
    "price_for_markup",
    "price_for_margin",
    "markup_to_margin",
    # channels
    "Channel",
    "channel_result",
    "compare_channels",
    # what if: goal seek, data tables, scenarios
    "goal_seek",
    "data_table",
    "Scenario",
    "compare_scenarios",
    # risk
    "simulate_profit",
    # crop mix
    "best_crop_mix",
    "Crop",
    "Farm",
    # loans
    "loan_payment",
    "loan_schedule",
    "Loan",
    # investment
    "npv",
    "irr",
    "appraise",
    "Investment",
    # cash flow
    "cash_flow_plan",
    # surplus distribution
    "distribute_surplus",
    "Member",
]

#: Names that left the top level in 0.2, by module: ``coopkit.X`` still works until 0.3, with a
#: DeprecationWarning; import them from ``coopkit.<module>``.
_MOVED_BY_MODULE = {
    "breakeven": ("break_even_price", "BreakEven", "contribution_margin", "contribution_margin_ratio", "cvp_table"),
    "cashflow": ("CashFlowPlan", "credit_line_needed", "loan_cash_flows", "LoanCashFlows", "monthly_sales", "season_flows", "SeasonFlows"),
    "costs": ("cost_breakdown", "cost_summary", "CostItem", "CostSummary", "processed_unit_cost", "raw_material_cost_per_unit", "straight_line_depreciation"),
    "cropmix": ("CropMix", "InfeasiblePlan"),
    "demand": ("best_price", "BestPrice", "DemandCurve", "fit_demand", "price_response"),
    "flock": ("break_even_egg_price", "break_even_laying_rate", "eggs_per_day", "Flock", "flock_plan", "FlockPlan", "laying_curve", "monthly_mortality", "trays"),
    "health": ("Band", "financial_health", "HealthReport", "RatioResult", "Statement"),
    "investment": ("Appraisal", "discounted_payback_years", "Equipment", "load_equipment", "payback_years", "verdict_text"),
    "loans": ("loan_summary", "LoanSummary", "total_interest", "yearly_loan_payments"),
    "members": ("Distribution", "Fund", "member_income", "MemberIncome", "share_of_pool"),
    "pricing": ("ChannelResult", "margin_to_markup", "price_for_channel_margin"),
    "processing": ("Chain", "chain_plan", "ChainPlan", "raw_material_needed", "Step"),
    "risk": ("compare_plans", "Estimate", "PlanComparison", "ProfitSimulation", "RiskSummary"),
    "whatif": ("evaluate", "evaluate_scenarios", "Model", "register_model", "spider", "tornado"),
    "yields": ("Grade", "marketable_output", "output_plan", "OutputPlan", "plan_from_template"),
}
_MOVED = {name: f"coopkit.{module}" for module, names in _MOVED_BY_MODULE.items() for name in names}


def __getattr__(name: str) -> object:
    """A submodule (``coopkit.store``), imported when first asked for; or a name that moved to its
    module: warn, and return it from there (until coopkit 0.3)."""
    import importlib
    import importlib.util
    import warnings

    module = _MOVED.get(name)
    if module is None:
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    from coopkit._compat import REMOVED_IN

    warnings.warn(
        f"coopkit.{name} is deprecated and leaves the top level in coopkit {REMOVED_IN}; "
        f"use {module}.{name} (from {module} import {name})",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    """The top-level names, the moved ones included (they still work until coopkit 0.3)."""
    return sorted(set(globals()) | set(_MOVED))
