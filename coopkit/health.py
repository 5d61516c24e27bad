"""Is the cooperative financially healthy? Four farm-finance ratios, shown against a US farm reference.

From a small balance sheet and the year's income statement (`Statement`), `financial_health`
computes:

- **current ratio** = current assets ÷ current liabilities: can the cooperative pay what falls
  due within a year from what turns into cash within a year? (higher is better)
- **debt-to-assets** = total liabilities ÷ total assets: the lenders' share of everything the
  cooperative owns (lower is better);
- **operating profit margin** = (revenue − operating costs) ÷ revenue, operating costs counting
  depreciation but not interest (higher is better);
- **debt-service coverage** = (operating profit + depreciation) ÷ loan payments due in the
  year (principal and interest): how many times the year's cash from operations covers them
  (higher is better; no payments due: infinite).

Each ratio is placed against the limits of a **US farm scorecard** (`Band`): above its "strong"
limit, between the limits, or beyond its "vulnerable" limit (``band`` is ``"comfort"``,
``"caution"`` or ``"danger"`` inside the code). The page shows this as a *reference*, labelled as
US farm limits, **not as a verdict** on a Vietnamese cooperative: no published limits for
Vietnamese agricultural cooperatives were found when this module was written (the Law on
Cooperatives 17/2023/QH15 and the cooperative accounting regime of Circular 71/2024/TT-BTC set
the accounts, not comfort limits for these ratios). A cooperative that buys its members' produce
and resells it has a large revenue and a thin margin by nature, so its operating profit margin
sits beyond the farm limit even when it is sound: compare each ratio with the cooperative's own
past years and with cooperatives like it.

Sources of the US reference limits:

- current ratio (strong above 2.0, vulnerable below 1.3) and debt-to-assets (strong below 30 %,
  vulnerable above 60 %): Cornell Small Farms Program, "Financial Scorecard"
  (https://smallfarms.cornell.edu/recursos/financial-scorecard/), which follows the Farm Financial
  Scorecard of the Center for Farm Financial Management (CFFM), University of Minnesota, built on
  the Farm Financial Standards Council's ratios;
- operating profit margin (strong above 25 %, vulnerable below 15 %): CFFM, "Farm Finance
  Scorecard" (copies of two editions read on yumpu.com and slideshare.net show the same limits);
- debt-service coverage (strong above 1.5, vulnerable below 1.2): the term-debt coverage ratio of
  the older CFFM scorecard edition as read from a copy (yumpu.com); **not fully confirmed**: the
  newer edition's limits could not be read unambiguously.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from coopkit.errors import InputError
from coopkit.fields import Shown, register_fields
from coopkit.validate import check_finite, check_nonnegative, check_positive

__all__ = [
    "BANDS",
    "BAND_NAMES",
    "EXAMPLE_STATEMENT",
    "RATIOS",
    "Band",
    "HealthReport",
    "RatioResult",
    "Statement",
    "financial_health",
]

register_fields(
    {
        "current_assets": "money",
        "current_liabilities": "money",
        "total_assets": "money",
        "total_liabilities": "money",
        "operating_costs": "money",
        "depreciation": "money",
        "loan_payments": "money",
        "current_ratio": "number",
        "debt_to_assets": "rate",
        "operating_profit_margin": "rate",
        "debt_service_coverage": "number",
        "danger_limit": "number",
        "comfort_limit": "number",
    }
)

#: The ratios in the order they are shown.
RATIOS: tuple[str, ...] = ("current_ratio", "debt_to_assets", "operating_profit_margin", "debt_service_coverage")
#: Bands from best to worst.
BAND_NAMES: tuple[str, ...] = ("comfort", "caution", "danger")


@dataclass(frozen=True)
class Band:
    """The reference limits of one ratio (a US farm scorecard's "strong" and "vulnerable" limits).

    ``higher_is_better``: comfort above ``comfort``, danger below ``danger`` (``danger <
    comfort``); otherwise comfort below ``comfort`` and danger above ``danger``. A value equal to
    a limit is in caution. Both limits are finite numbers (an error names ``danger_limit`` or
    ``comfort_limit``).

    >>> band = Band("current_ratio", True, danger=1.3, comfort=2.0, source="Cornell")
    >>> band.classify(2.5), band.classify(2.0), band.classify(1.3), band.classify(1.0)
    ('comfort', 'caution', 'caution', 'danger')
    >>> try:
    ...     Band("current_ratio", True, danger=2.0, comfort=1.3, source="Cornell")
    ... except InputError as err:
    ...     print(err.message("en"))
    Danger limit (2) must be below the comfort limit (1.3) when a higher ratio is better: the ratio is in danger below the danger limit and comfortable above the comfort limit.
    """

    ratio: str
    higher_is_better: bool
    danger: float
    comfort: float
    source: str

    def __post_init__(self) -> None:
        danger = check_finite("danger_limit", self.danger)
        comfort = check_finite("comfort_limit", self.comfort)
        if not (danger < comfort if self.higher_is_better else comfort < danger):
            raise InputError("danger_limit", reason="band_order_higher" if self.higher_is_better else "band_order_lower",
                             value=danger, comfort=Shown(comfort, "comfort_limit"))
        object.__setattr__(self, "danger", danger)
        object.__setattr__(self, "comfort", comfort)

    def classify(self, value: float) -> str:
        """``"comfort"``, ``"caution"`` or ``"danger"`` for ``value`` (NaN: danger)."""
        if math.isnan(value):
            return "danger"
        sign = 1.0 if self.higher_is_better else -1.0
        if sign * value > sign * self.comfort:
            return "comfort"
        if sign * value < sign * self.danger:
            return "danger"
        return "caution"


_CORNELL = ("Cornell Small Farms Program, Financial Scorecard (after the CFFM Farm Financial Scorecard, "
            "University of Minnesota), https://smallfarms.cornell.edu/recursos/financial-scorecard/")
_CFFM = "Center for Farm Financial Management, University of Minnesota: Farm Finance Scorecard"
BANDS: dict[str, Band] = {
    "current_ratio": Band("current_ratio", True, danger=1.3, comfort=2.0, source=_CORNELL),
    "debt_to_assets": Band("debt_to_assets", False, danger=0.60, comfort=0.30, source=_CORNELL),
    "operating_profit_margin": Band("operating_profit_margin", True, danger=0.15, comfort=0.25, source=_CFFM),
    "debt_service_coverage": Band(
        "debt_service_coverage", True, danger=1.2, comfort=1.5,
        source=_CFFM + " (older edition, term-debt coverage ratio; not fully confirmed)",
    ),
}


@dataclass(frozen=True)
class Statement:
    """A small balance sheet (end of year) and income statement (the year), in VND.

    Parameters
    ----------
    current_assets
        Cash, money owed to the cooperative, stocks: what turns into cash within a year.
    current_liabilities
        What the cooperative must pay within a year: suppliers, short loans, this year's part of
        long loans (at most ``total_liabilities``).
    total_assets
        Everything the cooperative owns (more than zero, at least ``current_assets``).
    total_liabilities
        Everything it owes.
    revenue
        The year's sales and service income (more than zero).
    operating_costs
        The year's costs except interest, depreciation included.
    depreciation
        The part of ``operating_costs`` that is depreciation (no cash paid out).
    loan_payments
        Principal and interest due on loans in the year.

    The defaults are an illustrative Sơn La coffee cooperative (an assumption, not a real one).

    >>> try:
    ...     Statement(current_assets=900e6, total_assets=800e6)
    ... except InputError as err:
    ...     print(err.message("en"))
    Current assets (₫900,000,000) cannot be more than Total assets (₫800,000,000).
    """

    current_assets: float = 850_000_000.0
    current_liabilities: float = 500_000_000.0
    total_assets: float = 3_200_000_000.0
    total_liabilities: float = 1_300_000_000.0
    revenue: float = 4_000_000_000.0
    operating_costs: float = 3_640_000_000.0
    depreciation: float = 150_000_000.0
    loan_payments: float = 320_000_000.0

    def __post_init__(self) -> None:
        checked = {
            "current_assets": check_nonnegative("current_assets", self.current_assets),
            "current_liabilities": check_nonnegative("current_liabilities", self.current_liabilities),
            "total_assets": check_positive("total_assets", self.total_assets),
            "total_liabilities": check_nonnegative("total_liabilities", self.total_liabilities),
            "revenue": check_positive("revenue", self.revenue),
            "operating_costs": check_nonnegative("operating_costs", self.operating_costs),
            "depreciation": check_nonnegative("depreciation", self.depreciation),
            "loan_payments": check_nonnegative("loan_payments", self.loan_payments),
        }
        for part, whole in (("current_assets", "total_assets"), ("current_liabilities", "total_liabilities"),
                            ("depreciation", "operating_costs")):
            if checked[part] > checked[whole]:
                raise InputError(part, reason="part_above_whole", value=checked[part],
                                 whole=Shown(whole, "output_label"), total=Shown(checked[whole], whole))
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def operating_profit(self) -> float:
        """Revenue − operating costs (negative: an operating loss)."""
        return self.revenue - self.operating_costs


#: The defaults of `Statement`: an illustrative cooperative (assumption).
EXAMPLE_STATEMENT = Statement()


@dataclass(frozen=True)
class RatioResult:
    """One ratio: its value, its band and the band's limits.

    Examples
    --------
    The Sơn La coffee cooperative of `Statement` must pay 450 million đồng on its loans this year
    instead of 320 million: does the year's cash still cover the payments comfortably?

    >>> r = financial_health(Statement(loan_payments=450e6)).ratio("debt_service_coverage")
    >>> round(r.value, 2), r.band, (r.danger_limit, r.comfort_limit), r.higher_is_better
    (1.13, 'danger', (1.2, 1.5), True)
    """

    ratio: str
    value: float
    band: str
    danger_limit: float
    comfort_limit: float
    higher_is_better: bool
    source: str

    def sentence(self, lang: str | None = None) -> str:
        """The result in words: the value, what the band means, the limit it is measured against.

        >>> r = financial_health(Statement()).ratio("current_ratio")
        >>> print(r.sentence("en"))
        Current ratio 1.7: between the US farm limits. Each 1 ₫ due within a year is covered by 1.7 ₫ of current assets (US farm reference: strong above 2, vulnerable below 1.3).
        """
        from coopkit import fields, i18n

        kind = fields.kind(self.ratio)

        def shown(value: float) -> str:
            if math.isinf(value):
                return "∞"
            return fields.format_value(self.ratio, value, lang) if kind == "rate" else _plain(value, lang)

        head = i18n.tr("health.sentence", lang, ratio=fields.label(self.ratio, lang), value=shown(self.value),
                       band=i18n.tr(f"health.band.{self.band}", lang))
        meaning = i18n.tr(f"health.{self.ratio}.{self.band}", lang, value=shown(self.value))
        key = "health.limits_higher" if self.higher_is_better else "health.limits_lower"
        limits = i18n.tr(key, lang, comfort=shown(self.comfort_limit), danger=shown(self.danger_limit))
        return f"{head} {meaning} ({limits})."


def _plain(value: float, lang: str | None) -> str:
    from coopkit import fmt

    return fmt.number(value, lang, decimals=2)


@dataclass(frozen=True)
class HealthReport:
    """The four ratios of a `Statement`, in the order of `RATIOS`."""

    statement: Statement
    ratios: tuple[RatioResult, ...]

    def ratio(self, name: str) -> RatioResult:
        for result in self.ratios:
            if result.ratio == name:
                return result
        raise KeyError(name)

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per ratio: ``ratio``, ``value``, ``band``, ``danger_limit``, ``comfort_limit``,
        ``higher_is_better``, ``sentence`` (in ``lang``), ``source``."""
        rows = []
        for result in self.ratios:
            row = asdict(result)
            row["sentence"] = result.sentence(lang)
            rows.append(row)
        return pd.DataFrame(rows)


def financial_health(statement: Statement, bands: dict[str, Band] | None = None) -> HealthReport:
    """The four ratios of ``statement``, each placed against the US farm reference limits.

    Parameters
    ----------
    statement
        The balance sheet and the year's income (`Statement`).
    bands
        Limits per ratio; default `BANDS` (a US farm reference, sources in the module).

    Examples
    --------
    A coffee cooperative has 850 million đồng of current assets against 500 million due within a
    year, owes 1.3 of its 3.2 billion đồng of assets, sold 4 billion đồng for 3.64 billion of
    costs (150 million of depreciation) and must pay 320 million đồng on its loans this year:

    >>> report = financial_health(Statement())
    >>> [(r.ratio, round(r.value, 3), r.band) for r in report.ratios]  # doctest: +NORMALIZE_WHITESPACE
    [('current_ratio', 1.7, 'caution'), ('debt_to_assets', 0.406, 'caution'),
     ('operating_profit_margin', 0.09, 'danger'), ('debt_service_coverage', 1.594, 'comfort')]
    """
    bands = BANDS if bands is None else bands
    s = statement
    values = {
        "current_ratio": s.current_assets / s.current_liabilities if s.current_liabilities > 0 else math.inf,
        "debt_to_assets": s.total_liabilities / s.total_assets,
        "operating_profit_margin": s.operating_profit / s.revenue,
        "debt_service_coverage": (s.operating_profit + s.depreciation) / s.loan_payments
        if s.loan_payments > 0 else math.inf,
    }
    results = []
    for name in RATIOS:
        band = bands[name]
        value = values[name]
        results.append(RatioResult(name, value, band.classify(value), band.danger, band.comfort,
                                   band.higher_is_better, band.source))
    return HealthReport(statement, tuple(results))
