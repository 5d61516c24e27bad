"""Real public statistics behind the risk workbook: Viet Nam coffee yields and world coffee prices.

The files live in ``datasets/reference/`` (``README.md`` there gives the publisher, table,
filter, units, licence and known problems of each). Like `coopkit.data`, every file is
checked when read, and a problem is an `InputError` naming the file, the row (the header is
row 1) and the column.

Files
-----
``faostat_vn_coffee_area_yield_production.csv``
    FAOSTAT, Viet Nam, coffee (green): area harvested (ha), production (t), yield (kg/ha), 1961–2023.
``faostat_vn_coffee_producer_price.csv``
    FAOSTAT, Viet Nam, coffee (green) producer price (USD/t and VND/t), 2000–2023, with the
    years whose price is implausible marked ``plausible = no``.
``wb_pink_sheet_coffee_tea_orange_monthly.csv``
    World Bank Pink Sheet, monthly world prices in USD/kg: coffee robusta and arabica, tea
    (average of three auctions), oranges.
``wdi_vn_vnd_per_usd.csv``
    World Bank WDI, official exchange rate, VND per USD (annual average).

What learners see is computed here: the yield trend (`yield_trend`) and how much the price
swings (`price_swings`); both suggest a minimum / most likely / maximum for the risk app
(`YieldTrend.yield_range`, `PriceSwings.price_range`).

Examples
--------
How much did Viet Nam's coffee yield grow a year since 2000, and how much can robusta move in a year?

>>> trend = yield_trend(load_coffee_yields(), start_year=2000)
>>> round(trend.slope_kg_per_ha_per_year)
57
>>> swings = price_swings(load_world_prices(), "robusta", years=10)
>>> swings.start_month, swings.end_month, round(swings.coefficient_of_variation, 2)
('2016-06', '2026-05', 0.45)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from coopkit.data import Sheet, datasets_dir, file_stamp
from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.risk import Estimate, estimate

__all__ = [
    "REFERENCE_FOLDER",
    "YIELDS_FILE",
    "PRODUCER_PRICES_FILE",
    "WORLD_PRICES_FILE",
    "EXCHANGE_RATES_FILE",
    "SERIES",
    "reference_dir",
    "load_coffee_yields",
    "load_coffee_producer_prices",
    "load_world_prices",
    "load_exchange_rates",
    "YieldTrend",
    "yield_trend",
    "PriceSwings",
    "price_swings",
    "world_price_vnd_per_kg",
]

register_fields({
    "commodity": "text",
    "years": "count",
    "start_year": "count",
    "end_year": "count",
    "month": "text",
})

#: Sub-folder of the datasets folder holding the reference extracts.
REFERENCE_FOLDER = "reference"
YIELDS_FILE = "faostat_vn_coffee_area_yield_production.csv"
PRODUCER_PRICES_FILE = "faostat_vn_coffee_producer_price.csv"
WORLD_PRICES_FILE = "wb_pink_sheet_coffee_tea_orange_monthly.csv"
EXCHANGE_RATES_FILE = "wdi_vn_vnd_per_usd.csv"

#: World price series: key → column of the Pink Sheet extract (USD per kg).
SERIES: dict[str, str] = {
    "robusta": "robusta_usd_per_kg",
    "arabica": "arabica_usd_per_kg",
    "tea": "tea_usd_per_kg",
    "orange": "orange_usd_per_kg",
}

_YIELD_COLUMNS = ("year", "area_harvested_ha", "production_t", "yield_kg_per_ha")
_PRODUCER_COLUMNS = ("year", "usd_per_t", "vnd_per_t", "plausible")
_PRICE_COLUMNS = ("month", *SERIES.values())
_RATE_COLUMNS = ("year", "vnd_per_usd")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def reference_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder read: ``path``, else ``<datasets folder>/reference``.

    >>> reference_dir().name, reference_dir().parent == datasets_dir()
    ('reference', True)
    """
    if path is not None:
        return Path(path).expanduser().resolve()
    return datasets_dir() / REFERENCE_FOLDER


def _years(sheet: Sheet) -> dict[int, int]:
    """``{row: year}`` with every year a whole number and given once."""
    seen: dict[int, int] = {}
    years = {}
    for row in sheet.rows.index:
        year = int(sheet.number(row, "year", "count"))
        sheet.unique(seen, year, row, "year", str(year))
        years[row] = year
    return years


# ---------------------------------------------------------------------------------------------
# Loaders


def load_coffee_yields(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Viet Nam's coffee (green) area, production and yield by year (FAOSTAT).

    Returns
    -------
    DataFrame
        Columns ``year``, ``area_harvested_ha``, ``production_t``, ``yield_kg_per_ha``,
        sorted by year.

    Examples
    --------
    >>> yields = load_coffee_yields()
    >>> yields.set_index("year").loc[2023, "yield_kg_per_ha"]
    np.float64(2933.9)
    """
    folder = reference_dir(path)
    return _yields_cached(str(folder), file_stamp(folder, (YIELDS_FILE,))).copy()


@lru_cache(maxsize=8)
def _yields_cached(folder: str, stamp: tuple) -> pd.DataFrame:
    sheet = Sheet(Path(folder), YIELDS_FILE, _YIELD_COLUMNS)
    years = _years(sheet)
    rows = [
        {"year": years[row], **{c: sheet.number(row, c, "positive") for c in _YIELD_COLUMNS[1:]}}
        for row in sheet.rows.index
    ]
    return pd.DataFrame(rows, columns=list(_YIELD_COLUMNS)).sort_values("year", ignore_index=True)


def load_coffee_producer_prices(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """FAOSTAT's producer (farm-gate) price of coffee in Viet Nam, with its doubtful years marked.

    Returns
    -------
    DataFrame
        Columns ``year``, ``usd_per_t``, ``vnd_per_t``, ``plausible`` (bool: False for
        2001–2004 and 2022–2023, far below market prices; use the world price instead).

    Examples
    --------
    >>> prices = load_coffee_producer_prices().set_index("year")
    >>> round(prices.loc[2023, "vnd_per_t"] / 1000), bool(prices.loc[2023, "plausible"])
    (15033, False)
    """
    folder = reference_dir(path)
    return _producer_cached(str(folder), file_stamp(folder, (PRODUCER_PRICES_FILE,))).copy()


@lru_cache(maxsize=8)
def _producer_cached(folder: str, stamp: tuple) -> pd.DataFrame:
    sheet = Sheet(Path(folder), PRODUCER_PRICES_FILE, _PRODUCER_COLUMNS)
    years = _years(sheet)
    rows = [
        {
            "year": years[row],
            "usd_per_t": sheet.number(row, "usd_per_t", "positive"),
            "vnd_per_t": sheet.number(row, "vnd_per_t", "positive"),
            "plausible": sheet.choice(row, "plausible", ("yes", "no")) == "yes",
        }
        for row in sheet.rows.index
    ]
    return pd.DataFrame(rows, columns=list(_PRODUCER_COLUMNS)).sort_values("year", ignore_index=True)


def load_world_prices(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """World monthly prices (World Bank Pink Sheet), USD per kg.

    Returns
    -------
    DataFrame
        Column ``month`` (``"YYYY-MM"``, in order) and one column per `SERIES` key
        (``robusta``, ``arabica``, ``tea``, ``orange``).

    Examples
    --------
    >>> prices = load_world_prices()
    >>> prices.iloc[-1]["month"], float(prices.iloc[-1]["robusta"])
    ('2026-05', 3.67)
    """
    folder = reference_dir(path)
    return _prices_cached(str(folder), file_stamp(folder, (WORLD_PRICES_FILE,))).copy()


@lru_cache(maxsize=8)
def _prices_cached(folder: str, stamp: tuple) -> pd.DataFrame:
    sheet = Sheet(Path(folder), WORLD_PRICES_FILE, _PRICE_COLUMNS)
    seen: dict[str, int] = {}
    rows = []
    for row in sheet.rows.index:
        month = sheet.text(row, "month")
        if not _MONTH.fullmatch(month):
            raise sheet.error(row, "month", "data_bad_month", month)
        sheet.unique(seen, month, row, "month", month)
        rows.append({"month": month, **{key: sheet.number(row, column, "positive") for key, column in SERIES.items()}})
    return pd.DataFrame(rows, columns=["month", *SERIES]).sort_values("month", ignore_index=True)


def load_exchange_rates(path: str | os.PathLike[str] | None = None) -> pd.Series:
    """Official exchange rate, VND per USD (annual average, World Bank WDI), indexed by year.

    Examples
    --------
    >>> round(load_exchange_rates()[2024])
    24165
    """
    folder = reference_dir(path)
    return _rates_cached(str(folder), file_stamp(folder, (EXCHANGE_RATES_FILE,))).copy()


@lru_cache(maxsize=8)
def _rates_cached(folder: str, stamp: tuple) -> pd.Series:
    sheet = Sheet(Path(folder), EXCHANGE_RATES_FILE, _RATE_COLUMNS)
    years = _years(sheet)
    rates = {years[row]: sheet.number(row, "vnd_per_usd", "positive") for row in sheet.rows.index}
    return pd.Series(rates, name="vnd_per_usd", dtype=float).sort_index().rename_axis("year")


def world_price_vnd_per_kg(prices: pd.DataFrame, commodity: str, month: str, rates: pd.Series) -> float:
    """A world price converted to VND per kg with that year's exchange rate (or the latest
    year before it when the year has none yet).

    Examples
    --------
    Robusta in May 2026, at the 2024 rate (the latest in the extract):

    >>> round(world_price_vnd_per_kg(load_world_prices(), "robusta", "2026-05", load_exchange_rates()), -2)
    88700.0
    """
    column = _series(commodity)
    row = prices.loc[prices["month"] == month]
    if row.empty:
        raise InputError("month", reason="unknown_month", value=str(month))
    year = int(str(month)[:4])
    known = rates[rates.index <= year]
    if known.empty:
        raise InputError("month", reason="unknown_month", value=str(month))
    return float(row[column].iloc[0]) * float(known.iloc[-1])


def _series(commodity: str) -> str:
    if commodity not in SERIES:
        raise InputError("commodity", reason="unknown_series", value=str(commodity), allowed=", ".join(SERIES))
    return commodity


# ---------------------------------------------------------------------------------------------
# Yield trend


@dataclass(frozen=True, eq=False)
class YieldTrend:
    """A straight-line trend of yield over the years, and how far years fell from it.

    Attributes
    ----------
    start_year, end_year
        Years the line is fitted on.
    slope_kg_per_ha_per_year
        Growth of the trend, kg/ha each year.
    trend_next_kg_per_ha
        The trend's value the year after ``end_year``.
    last_yield_kg_per_ha
        The yield of ``end_year``.
    low_ratio, high_ratio
        Lowest and highest yield ÷ trend over the years (0.85 means a year 15 % below the
        line): used to suggest a minimum and a maximum.
    table
        One row per year: ``year``, ``yield_kg_per_ha``, ``trend_kg_per_ha``, ``ratio``.
    """

    start_year: int
    end_year: int
    slope_kg_per_ha_per_year: float
    trend_next_kg_per_ha: float
    last_yield_kg_per_ha: float
    low_ratio: float
    high_ratio: float
    table: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The table of yields and trend, by year (a copy)."""
        return self.table.copy()

    def yield_range(self, most_likely: float) -> Estimate:
        """A minimum / most likely / maximum around ``most_likely`` that is as wide as the
        years around the trend were.

        >>> trend = yield_trend(load_coffee_yields(), start_year=2000)
        >>> r = trend.yield_range(2_800)
        >>> round(r.minimum), round(r.maximum)
        (2299, 3553)
        """
        return estimate("yield_kg_per_ha", (most_likely * self.low_ratio, most_likely, most_likely * self.high_ratio))


def yield_trend(yields: pd.DataFrame, start_year: int = 2000, end_year: int | None = None) -> YieldTrend:
    """Fit a straight line to yield (kg/ha) by year, by least squares.

    Parameters
    ----------
    yields
        `load_coffee_yields`'s table (columns ``year`` and ``yield_kg_per_ha``).
    start_year, end_year
        Years to use (default: 2000 to the last year in the table); at least 3 years.

    Examples
    --------
    Viet Nam's coffee yield 2000–2023: about 2.9 t/ha in 2023, growing about 57 kg/ha a year,
    with the worst year about 18 % below the line and the best (2007) 27 % above it.

    >>> t = yield_trend(load_coffee_yields(), start_year=2000)
    >>> t.end_year, round(t.last_yield_kg_per_ha), round(t.low_ratio, 2), round(t.high_ratio, 2)
    (2023, 2934, 0.82, 1.27)
    """
    years_all = yields["year"].astype(int)
    last = int(years_all.max()) if end_year is None else int(end_year)
    first = int(start_year)
    chosen = yields[(years_all >= first) & (years_all <= last)].sort_values("year")
    if len(chosen) < 3:
        raise InputError("start_year", reason="too_few_years", value=first, end_year=last, minimum=3)
    x = chosen["year"].to_numpy(dtype=float)
    y = chosen["yield_kg_per_ha"].to_numpy(dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    trend = intercept + slope * x
    ratio = y / trend
    table = pd.DataFrame({"year": chosen["year"].to_numpy(), "yield_kg_per_ha": y, "trend_kg_per_ha": trend,
                          "ratio": ratio})
    return YieldTrend(
        start_year=int(x[0]),
        end_year=int(x[-1]),
        slope_kg_per_ha_per_year=float(slope),
        trend_next_kg_per_ha=float(intercept + slope * (x[-1] + 1)),
        last_yield_kg_per_ha=float(y[-1]),
        low_ratio=float(ratio.min()),
        high_ratio=float(ratio.max()),
        table=table,
    )


# ---------------------------------------------------------------------------------------------
# Price swings


@dataclass(frozen=True, eq=False)
class PriceSwings:
    """How much a world price moved over the last years.

    Attributes
    ----------
    commodity
        The `SERIES` key.
    start_month, end_month
        The months looked at (``"YYYY-MM"``).
    latest_usd_per_kg, mean_usd_per_kg
        Price of ``end_month`` and average over the period.
    minimum_usd_per_kg, minimum_month, maximum_usd_per_kg, maximum_month
        Lowest and highest monthly price and when.
    coefficient_of_variation
        Standard deviation ÷ average of the monthly prices (0.45: prices typically 45 % away
        from their average).
    largest_rise, largest_fall
        Largest 12-month change up and down (fractions; a fall is negative).
    p10_change, p90_change
        12-month changes that 10 % and 90 % of the months stay below: "in one year out of
        ten the price fell more than …".
    yearly
        One row per calendar year: ``year``, ``mean_usd_per_kg``, ``change`` (on the year before).
    monthly
        The monthly prices looked at: ``month``, ``usd_per_kg``.
    """

    commodity: str
    start_month: str
    end_month: str
    latest_usd_per_kg: float
    mean_usd_per_kg: float
    minimum_usd_per_kg: float
    minimum_month: str
    maximum_usd_per_kg: float
    maximum_month: str
    coefficient_of_variation: float
    largest_rise: float
    largest_fall: float
    p10_change: float
    p90_change: float
    yearly: pd.DataFrame = field(repr=False)
    monthly: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The yearly averages and their change on the year before (a copy)."""
        return self.yearly.copy()

    def price_range(self, most_likely: float) -> Estimate:
        """A minimum / most likely / maximum price a year ahead: ``most_likely`` moved by the
        12-month changes of one year in ten (P10 and P90).

        >>> swings = price_swings(load_world_prices(), "robusta", years=10)
        >>> r = swings.price_range(115_000)
        >>> round(r.minimum, -3), round(r.maximum, -3)
        (94000.0, 179000.0)
        """
        return estimate("price_per_unit",
                        (most_likely * (1 + self.p10_change), most_likely, most_likely * (1 + self.p90_change)))


def price_swings(prices: pd.DataFrame, commodity: str = "robusta", years: int = 10,
                 end_month: str | None = None) -> PriceSwings:
    """How much ``commodity``'s world price swung over the ``years`` before ``end_month``.

    Parameters
    ----------
    prices
        `load_world_prices`'s table.
    commodity
        A `SERIES` key: ``robusta``, ``arabica``, ``tea`` or ``orange``.
    years
        Length of the period (whole years, at least 1; the 12-month changes need 12 more
        months of data before it).
    end_month
        Last month (``"YYYY-MM"``); default the latest in the table.

    Examples
    --------
    Robusta over the ten years to May 2026: from 1.41 USD/kg (April 2020) to 5.81 (February 2025).

    >>> s = price_swings(load_world_prices(), "robusta", years=10)
    >>> s.minimum_usd_per_kg, s.minimum_month, s.maximum_usd_per_kg, s.maximum_month
    (1.41, '2020-04', 5.81, '2025-02')
    >>> round(s.p10_change, 2), round(s.p90_change, 2)
    (-0.19, 0.55)
    """
    column = _series(commodity)
    span = years
    if isinstance(span, bool) or not isinstance(span, (int, np.integer)) or span < 1:
        raise InputError("years", reason="too_few_points", value=span)
    series = prices.set_index("month")[column].astype(float).sort_index()
    end = series.index[-1] if end_month is None else str(end_month)
    if end not in series.index:
        raise InputError("month", reason="unknown_month", value=end)
    position = series.index.get_loc(end)
    months = 12 * int(span)
    if position + 1 < months + 12:
        raise InputError("years", reason="too_few_years", value=int(span), end_year=int(end[:4]),
                         minimum=1)
    window = series.iloc[position + 1 - months: position + 1]
    change = (series / series.shift(12) - 1).iloc[position + 1 - months: position + 1]
    low, high = np.percentile(change.to_numpy(), [10, 90])
    by_year = window.groupby(window.index.str[:4]).mean()
    yearly = pd.DataFrame({"year": by_year.index.astype(int), "mean_usd_per_kg": by_year.to_numpy(),
                           "change": by_year.pct_change().to_numpy()})
    return PriceSwings(
        commodity=commodity,
        start_month=str(window.index[0]),
        end_month=str(window.index[-1]),
        latest_usd_per_kg=float(window.iloc[-1]),
        mean_usd_per_kg=float(window.mean()),
        minimum_usd_per_kg=float(window.min()),
        minimum_month=str(window.idxmin()),
        maximum_usd_per_kg=float(window.max()),
        maximum_month=str(window.idxmax()),
        coefficient_of_variation=float(window.std(ddof=1) / window.mean()),
        largest_rise=float(change.max()),
        largest_fall=float(change.min()),
        p10_change=float(low),
        p90_change=float(high),
        yearly=yearly,
        monthly=pd.DataFrame({"month": window.index.to_numpy(), "usd_per_kg": window.to_numpy()}),
    )
