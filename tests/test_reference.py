"""The real reference data (datasets/reference/) and what coopkit.reference computes from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import assert_input_error

from coopkit import reference
from coopkit.errors import InputError

REFERENCE = Path(__file__).resolve().parent.parent / "datasets" / "reference"


@pytest.fixture
def copy(tmp_path):
    """A copy of the reference folder that a test may break."""
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    return folder


# ------------------------------------------------------------------ the files say what SOURCE.md says


def test_coffee_yields_match_the_faostat_plausibility_checks():
    # /work/shared/data/faostat_vietnam_crops/SOURCE.md: 2021–2023 = 2,825 / 2,979 / 2,934 kg/ha;
    # production 2023 = 1.957 Mt; derived area 2023 ≈ 667,000 ha.
    y = reference.load_coffee_yields().set_index("year")
    assert y.loc[[2021, 2022, 2023], "yield_kg_per_ha"].round().tolist() == [2825, 2979, 2934]
    assert y.loc[2023, "production_t"] == pytest.approx(1.957e6, rel=1e-3)
    assert y.loc[2023, "area_harvested_ha"] == pytest.approx(667_000, rel=2e-3)
    assert y.index.min() == 1961 and y.index.is_monotonic_increasing
    # area is derived as production / yield × 1000
    assert np.allclose(y["area_harvested_ha"], y["production_t"] / y["yield_kg_per_ha"] * 1000, rtol=1e-3)


def test_world_prices_match_the_pink_sheet_checks():
    # /work/shared/data/worldbank_pink_sheet/SOURCE.md: Robusta 2024-06 4.50, 2025-01 5.41, 2026-05 3.67 $/kg;
    # Arabica 2026-05 6.95 $/kg.
    p = reference.load_world_prices().set_index("month")
    assert p.loc["2024-06", "robusta"] == 4.50 and p.loc["2025-01", "robusta"] == 5.41
    assert p.loc["2026-05", "robusta"] == 3.67 and p.loc["2026-05", "arabica"] == 6.95
    assert len(p) == 797 and p.index[0] == "1960-01"


def test_exchange_rate_and_producer_price_caveats():
    rates = reference.load_exchange_rates()
    assert round(rates[2023]) == 23787 and round(rates[2024]) == 24165
    pp = reference.load_coffee_producer_prices().set_index("year")
    doubtful = sorted(pp.index[~pp["plausible"]])
    assert doubtful == [2001, 2002, 2003, 2004, 2022, 2023]
    assert pp.loc[2022, "usd_per_t"] == 604.5


# ------------------------------------------------------------------ trend and swings


def test_yield_trend_is_the_least_squares_line():
    yields = reference.load_coffee_yields()
    trend = reference.yield_trend(yields, start_year=2000, end_year=2023)
    chosen = yields[(yields.year >= 2000) & (yields.year <= 2023)]
    slope, intercept = np.polyfit(chosen.year, chosen.yield_kg_per_ha, 1)
    assert trend.slope_kg_per_ha_per_year == pytest.approx(slope)
    assert trend.trend_next_kg_per_ha == pytest.approx(intercept + slope * 2024)
    table = trend.to_frame()
    assert len(table) == 24 and table["ratio"].min() == pytest.approx(trend.low_ratio)
    # residuals of a least-squares line sum to zero
    assert (table["yield_kg_per_ha"] - table["trend_kg_per_ha"]).sum() == pytest.approx(0, abs=1e-6)
    r = trend.yield_range(3_000)
    assert r.minimum == pytest.approx(3_000 * trend.low_ratio) and r.most_likely == 3_000


def test_yield_trend_on_a_straight_line_is_exact():
    line = pd.DataFrame({"year": range(2000, 2010), "yield_kg_per_ha": [1000 + 50 * i for i in range(10)]})
    trend = reference.yield_trend(line)
    assert trend.slope_kg_per_ha_per_year == pytest.approx(50)
    assert trend.low_ratio == pytest.approx(1) and trend.high_ratio == pytest.approx(1)


def test_robusta_swings_by_hand():
    prices = reference.load_world_prices().set_index("month")["robusta"]
    swings = reference.price_swings(reference.load_world_prices(), "robusta", years=10)
    window = prices.loc["2016-06":"2026-05"]
    assert len(window) == 120
    assert swings.coefficient_of_variation == pytest.approx(window.std() / window.mean())
    assert (swings.minimum_usd_per_kg, swings.maximum_usd_per_kg) == (window.min(), window.max())
    change = (prices / prices.shift(12) - 1).loc["2016-06":"2026-05"]
    assert swings.largest_fall == pytest.approx(change.min()) and swings.largest_rise == pytest.approx(change.max())
    assert swings.p10_change < 0 < swings.p90_change
    yearly = swings.to_frame().set_index("year")
    assert yearly.loc[2024, "change"] == pytest.approx(window.loc["2024-01":"2024-12"].mean()
                                                       / window.loc["2023-01":"2023-12"].mean() - 1)
    r = swings.price_range(100_000)
    assert r.minimum < 100_000 < r.maximum


def test_swings_end_month_and_vnd_conversion():
    prices = reference.load_world_prices()
    old = reference.price_swings(prices, "tea", years=2, end_month="2010-12")
    assert (old.start_month, old.end_month) == ("2009-01", "2010-12")
    rates = reference.load_exchange_rates()
    assert reference.world_price_vnd_per_kg(prices, "robusta", "2023-06", rates) == pytest.approx(
        prices.set_index("month").loc["2023-06", "robusta"] * rates[2023])


@pytest.mark.parametrize(
    ("call", "field", "reason"),
    [
        (lambda p: reference.price_swings(p, "durian"), "commodity", "unknown_series"),
        (lambda p: reference.price_swings(p, "robusta", years=0), "years", "too_few_points"),
        (lambda p: reference.price_swings(p, "robusta", years=80), "years", "too_few_years"),
        (lambda p: reference.price_swings(p, "robusta", end_month="2030-01"), "month", "unknown_month"),
        (lambda p: reference.world_price_vnd_per_kg(p, "robusta", "1970-01", reference.load_exchange_rates()),
         "month", "unknown_month"),
        (lambda p: reference.yield_trend(reference.load_coffee_yields(), start_year=2022), "start_year", "too_few_years"),
    ],
)
def test_bad_requests_are_input_errors(call, field, reason):
    with pytest.raises(InputError) as excinfo:
        call(reference.load_world_prices())
    assert_input_error(excinfo, field, reason)


# ------------------------------------------------------------------ broken files name file, row, column


def _edit(folder: Path, name: str, row: int, column: str, value: str) -> None:
    table = pd.read_csv(folder / name, dtype=str)
    table.loc[row - 2, column] = value
    table.to_csv(folder / name, index=False)


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "reason", "loader"),
    [
        (reference.YIELDS_FILE, 5, "yield_kg_per_ha", "abc", "data_not_a_number", reference.load_coffee_yields),
        (reference.YIELDS_FILE, 7, "production_t", "-3", "data_not_positive", reference.load_coffee_yields),
        (reference.YIELDS_FILE, 4, "year", "1961", "data_duplicate_key", reference.load_coffee_yields),
        (reference.WORLD_PRICES_FILE, 10, "month", "2026/05", "data_bad_month", reference.load_world_prices),
        (reference.WORLD_PRICES_FILE, 12, "robusta_usd_per_kg", "", "data_empty_cell", reference.load_world_prices),
        (reference.EXCHANGE_RATES_FILE, 3, "vnd_per_usd", "0", "data_not_positive", reference.load_exchange_rates),
        (reference.PRODUCER_PRICES_FILE, 2, "plausible", "maybe", "data_unknown_value",
         reference.load_coffee_producer_prices),
    ],
)
def test_a_broken_cell_is_named(copy, name, row, column, value, reason, loader):
    _edit(copy, name, row, column, value)
    with pytest.raises(InputError) as excinfo:
        loader(copy)
    err = excinfo.value
    assert (err.reason, err.params["file"], err.params["row"], err.field) == (reason, name, row, column)
    assert name in err.message("vi") and str(row) in err.message("en")


def test_a_missing_file_or_column_is_named(copy):
    (copy / reference.EXCHANGE_RATES_FILE).unlink()
    with pytest.raises(InputError) as excinfo:
        reference.load_exchange_rates(copy)
    assert excinfo.value.reason == "data_missing_file"
    table = pd.read_csv(copy / reference.YIELDS_FILE).drop(columns="production_t")
    table.to_csv(copy / reference.YIELDS_FILE, index=False)
    with pytest.raises(InputError) as excinfo:
        reference.load_coffee_yields(copy)
    assert excinfo.value.reason == "data_missing_column" and excinfo.value.params["column"] == "production_t"


def test_an_edited_file_is_read_again(copy):
    assert reference.load_exchange_rates(copy)[2024] == pytest.approx(24164.88583)
    _edit(copy, reference.EXCHANGE_RATES_FILE, 41, "vnd_per_usd", "25000.5")
    assert reference.load_exchange_rates(copy)[2024] == 25000.5


def test_loaders_return_copies():
    a = reference.load_world_prices()
    a.loc[0, "robusta"] = -1
    assert reference.load_world_prices().loc[0, "robusta"] > 0
