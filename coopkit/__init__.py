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
from coopkit import reference  # noqa: E402,F401  (real public data: registers its fields)
from coopkit.cropmix import Crop, CropMix, Farm, InfeasiblePlan, best_crop_mix  # noqa: E402
from coopkit.flock import (  # noqa: E402
    Flock,
    FlockPlan,
    break_even_egg_price,
    break_even_laying_rate,
    eggs_per_day,
    flock_plan,
    laying_curve,
    monthly_mortality,
    trays,
)
from coopkit.processing import Chain, ChainPlan, Step, chain_plan, raw_material_needed  # noqa: E402
from coopkit.risk import (  # noqa: E402
    Estimate,
    PlanComparison,
    ProfitSimulation,
    RiskSummary,
    compare_plans,
    simulate_profit,
)
from coopkit.yields import Grade, OutputPlan, marketable_output, output_plan, plan_from_template  # noqa: E402
from coopkit.loans import (  # noqa: E402
    Loan,
    LoanSummary,
    loan_payment,
    loan_schedule,
    loan_summary,
    total_interest,
    yearly_loan_payments,
)
from coopkit.investment import (  # noqa: E402
    Appraisal,
    Equipment,
    Investment,
    appraise,
    discounted_payback_years,
    irr,
    load_equipment,
    npv,
    payback_years,
    verdict_text,
)
from coopkit.members import (  # noqa: E402
    Distribution,
    Fund,
    Member,
    MemberIncome,
    distribute_surplus,
    member_income,
    share_of_pool,
)
from coopkit.health import Band, HealthReport, RatioResult, Statement, financial_health  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Appraisal",
    "appraise",
    "Band",
    "best_crop_mix",
    "best_price",
    "BestPrice",
    "break_even",
    "break_even_egg_price",
    "break_even_laying_rate",
    "break_even_price",
    "break_even_volume",
    "BreakEven",
    "Chain",
    "chain_plan",
    "ChainPlan",
    "Channel",
    "channel_result",
    "ChannelResult",
    "compare_channels",
    "compare_plans",
    "compare_scenarios",
    "contribution_margin",
    "contribution_margin_ratio",
    "cost_breakdown",
    "cost_summary",
    "CostItem",
    "CostSummary",
    "Crop",
    "CropMix",
    "cvp_table",
    "data_table",
    "DemandCurve",
    "discounted_payback_years",
    "distribute_surplus",
    "Distribution",
    "eggs_per_day",
    "Equipment",
    "Estimate",
    "evaluate",
    "evaluate_scenarios",
    "Farm",
    "financial_health",
    "fit_demand",
    "Flock",
    "flock_plan",
    "FlockPlan",
    "Fund",
    "goal_seek",
    "Grade",
    "HealthReport",
    "InfeasiblePlan",
    "InputError",
    "Investment",
    "irr",
    "laying_curve",
    "load_equipment",
    "Loan",
    "loan_payment",
    "loan_schedule",
    "loan_summary",
    "LoanSummary",
    "margin_of_safety",
    "margin_to_markup",
    "marketable_output",
    "markup_to_margin",
    "Member",
    "member_income",
    "MemberIncome",
    "Model",
    "monthly_mortality",
    "npv",
    "output_plan",
    "OutputPlan",
    "payback_years",
    "plan_from_template",
    "PlanComparison",
    "price_for_channel_margin",
    "price_for_margin",
    "price_for_markup",
    "price_response",
    "processed_unit_cost",
    "profit",
    "ProfitSimulation",
    "RatioResult",
    "raw_input_needed",
    "raw_material_cost_per_unit",
    "raw_material_needed",
    "register_model",
    "RiskSummary",
    "Scenario",
    "share_of_pool",
    "simulate_profit",
    "spider",
    "Statement",
    "Step",
    "straight_line_depreciation",
    "tornado",
    "total_interest",
    "trays",
    "unit_cost",
    "verdict_text",
    "yearly_loan_payments",
]
