"""Widgets for the workbooks (ipywidgets): controls, the app shell, the apps and lesson pages.

Only this sub-package imports ipywidgets; ``import coopkit`` does not import it.
"""

from coopkit.ui.apps import BreakEvenApp, ChannelPricingApp, UnitCostApp
from coopkit.ui.books_app import BooksApp
from coopkit.ui.cashflow_app import CashFlowApp
from coopkit.ui.base import App, safe
from coopkit.ui.controls import NumberBox, PercentSlider, QuantityBox, language_toggle
from coopkit.ui.lesson import Lesson, page_language
from coopkit.ui.cropmix_app import CropMixApp
from coopkit.ui.flock_app import FlockApp
from coopkit.ui.invest_app import InvestmentApp
from coopkit.ui.members_app import MemberIncomeApp
from coopkit.ui.ocop_app import OcopApp
from coopkit.ui.risk_app import FigureView, ProductionRiskApp
from coopkit.ui.whatif_app import WhatIfApp
from coopkit.ui.yield_app import YieldPlanApp

__all__ = [
    "App",
    "BooksApp",
    "BreakEvenApp",
    "CashFlowApp",
    "ChannelPricingApp",
    "CropMixApp",
    "FigureView",
    "FlockApp",
    "InvestmentApp",
    "Lesson",
    "MemberIncomeApp",
    "NumberBox",
    "OcopApp",
    "PercentSlider",
    "ProductionRiskApp",
    "QuantityBox",
    "UnitCostApp",
    "WhatIfApp",
    "YieldPlanApp",
    "language_toggle",
    "page_language",
    "safe",
]
