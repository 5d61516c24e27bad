"""Tests for coopkit.costs: worked examples, edge cases, invariants and regressions."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

import coopkit
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
from coopkit.errors import InputError


# Lạc Thủy orange cooperative, 5 ha, 100 tonnes, crates of 500 kg (illustrative assumptions).
def orange_items() -> list[CostItem]:
    return [
        CostItem("thue_dat", "Thuê đất", "Land lease", 12_000_000, "ha", "fixed"),
        CostItem("khau_hao", "Khấu hao vườn", "Orchard depreciation", 60_000_000, "season", "fixed"),
        CostItem("phan_bon", "Phân bón", "Fertiliser", 18_000_000, "ha", "variable"),
        CostItem("thu_hoach", "Công thu hoạch", "Harvest labour", 800, "unit", "variable"),
        CostItem("thung", "Thùng đóng gói", "Crates", 150_000, "batch", "variable"),
    ]


# 1. Worked examples -------------------------------------------------------------------------


def test_unit_cost_worked_example() -> None:
    # 120 000 000 / 40 000 = 3 000 đ/kg of fixed cost, + 9 000 variable = 12 000 đ/kg.
    assert unit_cost(120_000_000, 9_000, 40_000) == 12000.0


def test_orange_cost_summary_by_hand() -> None:
    # Fixed: 12 000 000 × 5 ha + 60 000 000 = 120 000 000 đ.
    # Variable: 18 000 000 × 5 ha = 90 000 000; 800 × 100 000 kg = 80 000 000;
    #           150 000 × 100 000 / 500 = 30 000 000; total 200 000 000 → 2 000 đ/kg.
    # Total 320 000 000 đ → 3 200 đ/kg.
    s = cost_summary(orange_items(), volume=100_000, area_ha=5, units_per_batch=500)
    assert s == CostSummary(120_000_000.0, 2_000.0, 100_000.0, 320_000_000.0, 3_200.0)
    assert s.unit_cost == unit_cost(s.fixed_costs, s.variable_cost_per_unit, s.volume)


def test_orange_cost_breakdown_by_hand() -> None:
    table = cost_breakdown(orange_items(), volume=100_000, area_ha=5, units_per_batch=500, lang="en")
    assert list(table.columns) == ["key", "name", "kind", "basis", "season_total", "per_unit", "share"]
    assert table["key"].tolist() == ["thue_dat", "khau_hao", "phan_bon", "thu_hoach", "thung"]
    assert table["name"].tolist()[0] == "Land lease"
    # Season totals from the hand calculation above, per kg = total / 100 000.
    assert table["season_total"].tolist() == [60e6, 60e6, 90e6, 80e6, 30e6]
    assert table["per_unit"].tolist() == [600.0, 600.0, 900.0, 800.0, 300.0]
    # Fertiliser: 90 / 320 = 0.28125.
    assert table.loc[2, "share"] == pytest.approx(0.28125)
    assert table["share"].sum() == pytest.approx(1.0)


def test_cost_breakdown_names_in_vietnamese_by_default() -> None:
    table = cost_breakdown(orange_items(), volume=100_000, area_ha=5, units_per_batch=500)
    assert table["name"].tolist()[:2] == ["Thuê đất", "Khấu hao vườn"]


def test_green_coffee_from_fresh_cherry() -> None:
    # 1 000 kg green × 5 kg cherry/kg / 0.98 = 5 102.04 kg of cherry.
    assert raw_input_needed(1_000, 5, 0.02) == pytest.approx(5_102.0408, rel=1e-6)
    # 22 000 × 5 / 0.98 = 112 244.90 đ of cherry per kg green; + 6 000 processing = 118 244.90.
    assert raw_material_cost_per_unit(22_000, 5, 0.02) == pytest.approx(112_244.898, rel=1e-6)
    assert processed_unit_cost(22_000, 5, 0.02, 6_000) == pytest.approx(118_244.898, rel=1e-6)


def test_roasted_coffee_from_green_bean() -> None:
    # About 1.2 kg green per kg roasted: 110 000 × 1.2 + 25 000 = 157 000 đ/kg.
    assert processed_unit_cost(110_000, 1.2, processing_cost_per_unit=25_000) == pytest.approx(157_000)


def test_pickled_cassava() -> None:
    # 4 000 × 1.4 / 0.95 = 5 894.74; + 9 000 = 14 894.74 đ/kg.
    assert processed_unit_cost(4_000, 1.4, 0.05, 9_000) == pytest.approx(14_894.737, rel=1e-6)


def test_coffee_dryer_depreciation() -> None:
    # (450 000 000 − 50 000 000) / 10 = 40 000 000 đ a year.
    assert straight_line_depreciation(450_000_000, 50_000_000, 10) == 40_000_000.0


def test_cost_item_names_and_season_totals() -> None:
    item = CostItem("say", "Sấy", "Drying", 1_500_000, "batch", "variable")
    assert item.name("vi") == "Sấy" and item.name("en") == "Drying" and item.name("en-GB") == "Drying"
    # 60 000 kg / 2 000 kg per run = 30 runs × 1 500 000 = 45 000 000.
    assert item.season_total(60_000, units_per_batch=2_000) == 45_000_000.0
    assert CostItem("l", "Lương", "Pay", 5e6, "season", "fixed").season_total(123) == 5e6
    assert CostItem("b", "Bao", "Bag", 300, "unit", "variable").season_total(1_000) == 300_000


def test_empty_english_name_falls_back_to_vietnamese() -> None:
    assert CostItem("x", "Điện", "", 1, "season", "fixed").name("en") == "Điện"


# 2. Edge cases ------------------------------------------------------------------------------


def test_empty_cost_list() -> None:
    with pytest.raises(InputError) as excinfo:
        cost_summary([], volume=100)
    assert_input_error(excinfo, "cost_items", "no_cost_items")
    with pytest.raises(InputError) as excinfo:
        cost_breakdown(iter([]), volume=100)
    assert_input_error(excinfo, "cost_items", "no_cost_items")


@pytest.mark.parametrize("volume", [0, -10])
def test_volume_must_be_positive(volume: float) -> None:
    with pytest.raises(InputError) as excinfo:
        cost_summary(orange_items(), volume=volume)
    assert_input_error(excinfo, "volume", "not_positive")
    with pytest.raises(InputError) as excinfo:
        unit_cost(1_000, 10, volume)
    assert_input_error(excinfo, "volume", "not_positive")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_inputs(bad: float) -> None:
    with pytest.raises(InputError) as excinfo:
        unit_cost(bad, 10, 100)
    assert_input_error(excinfo, "fixed_costs", "not_finite")
    with pytest.raises(InputError) as excinfo:
        cost_summary(orange_items(), volume=bad)
    assert_input_error(excinfo, "volume", "not_finite")
    with pytest.raises(InputError) as excinfo:
        raw_input_needed(100, bad)
    assert_input_error(excinfo, "conversion_ratio", "not_finite")


def test_text_instead_of_number() -> None:
    with pytest.raises(InputError) as excinfo:
        unit_cost("nhiều", 10, 100)  # type: ignore[arg-type]
    assert_input_error(excinfo, "fixed_costs", "not_a_number")


def test_negative_inputs() -> None:
    with pytest.raises(InputError) as excinfo:
        unit_cost(-1, 10, 100)
    assert_input_error(excinfo, "fixed_costs", "negative")
    with pytest.raises(InputError) as excinfo:
        cost_summary(orange_items(), volume=100, area_ha=-1)
    assert_input_error(excinfo, "area_ha", "negative")
    with pytest.raises(InputError) as excinfo:
        raw_material_cost_per_unit(-22_000, 5)
    assert_input_error(excinfo, "raw_price_per_unit", "negative")
    with pytest.raises(InputError) as excinfo:
        processed_unit_cost(22_000, 5, processing_cost_per_unit=-1)
    assert_input_error(excinfo, "processing_cost_per_unit", "negative")


def test_zero_fixed_and_zero_area() -> None:
    assert unit_cost(0, 9_000, 1) == 9_000.0
    s = cost_summary(orange_items(), volume=100_000, area_ha=0, units_per_batch=500)
    assert s.fixed_costs == 60_000_000.0  # only the season item is left


def test_units_per_batch_must_be_positive() -> None:
    with pytest.raises(InputError) as excinfo:
        cost_summary(orange_items(), volume=100, units_per_batch=0)
    assert_input_error(excinfo, "units_per_batch", "not_positive")


def test_all_zero_costs_give_zero_shares() -> None:
    items = [CostItem("a", "A", "A", 0, "season", "fixed"), CostItem("b", "B", "B", 0, "unit", "variable")]
    table = cost_breakdown(items, volume=10)
    assert table["share"].tolist() == [0.0, 0.0]
    assert cost_summary(items, volume=10).unit_cost == 0.0


def test_loss_rate_of_one_is_rejected() -> None:
    with pytest.raises(InputError) as excinfo:
        raw_input_needed(1_000, 5, loss_rate=1.0)
    assert_input_error(excinfo, "loss_rate", "not_a_fraction")
    with pytest.raises(InputError) as excinfo:
        processed_unit_cost(22_000, 5, loss_rate=-0.1)
    assert_input_error(excinfo, "loss_rate", "not_a_fraction")


@pytest.mark.parametrize("ratio", [0, -5])
def test_conversion_ratio_must_be_positive(ratio: float) -> None:
    with pytest.raises(InputError) as excinfo:
        raw_input_needed(1_000, ratio)
    assert_input_error(excinfo, "conversion_ratio", "not_positive")


def test_zero_output_needs_no_raw_material() -> None:
    assert raw_input_needed(0, 5, 0.02) == 0.0


def test_cost_item_unknown_basis_and_kind() -> None:
    with pytest.raises(InputError) as excinfo:
        CostItem("a", "A", "A", 1, "week", "fixed")  # type: ignore[arg-type]
    assert_input_error(excinfo, "cost_basis", "unknown_cost_basis")
    with pytest.raises(InputError) as excinfo:
        CostItem("a", "A", "A", 1, "ha", "semi")  # type: ignore[arg-type]
    assert_input_error(excinfo, "cost_kind", "unknown_cost_kind")


def test_season_items_must_be_fixed() -> None:
    with pytest.raises(InputError) as excinfo:
        CostItem("thue", "Thuê đất", "Land lease", 1, "season", "variable")
    assert_input_error(excinfo, "cost_kind", "season_cost_must_be_fixed")
    assert excinfo.value.message("vi").startswith("Thuê đất:")
    assert excinfo.value.message("en").startswith("Land lease:")
    assert excinfo.value.params["cost_item"] == "thue"


def test_unit_items_must_be_variable() -> None:
    with pytest.raises(InputError) as excinfo:
        CostItem("bao", "Bao bì", "Bags", 1, "unit", "fixed")
    assert_input_error(excinfo, "cost_kind", "unit_cost_must_be_variable")


@pytest.mark.parametrize("basis", ["ha", "batch"])
@pytest.mark.parametrize("kind", ["fixed", "variable"])
def test_hectare_and_batch_items_may_be_either_kind(basis: str, kind: str) -> None:
    assert CostItem("x", "X", "X", 1, basis, kind).kind == kind  # type: ignore[arg-type]


def test_cost_item_amount_is_checked_and_names_the_item() -> None:
    with pytest.raises(InputError) as excinfo:
        CostItem("pb", "Phân bón", "Fertiliser", -5, "ha", "variable")
    assert_input_error(excinfo, "amount", "negative")
    assert "Phân bón" in excinfo.value.message("vi")
    with pytest.raises(InputError) as excinfo:
        CostItem("pb", "Phân bón", "Fertiliser", math.nan, "ha", "variable")
    assert_input_error(excinfo, "amount", "not_finite")


@pytest.mark.parametrize("key, name_vi", [("", "A"), ("a", "  "), (None, "A")])
def test_cost_item_needs_a_code_and_a_name(key: object, name_vi: str) -> None:
    with pytest.raises(InputError) as excinfo:
        CostItem(key, name_vi, "A", 1, "season", "fixed")  # type: ignore[arg-type]
    assert_input_error(excinfo, "cost_item", "empty_name")


def test_duplicate_cost_keys() -> None:
    items = orange_items() + [CostItem("thung", "Thùng", "Crates", 1, "unit", "variable")]
    with pytest.raises(InputError) as excinfo:
        cost_summary(items, volume=100)
    assert_input_error(excinfo, "cost_item", "duplicate_key")


def test_salvage_above_purchase_price() -> None:
    with pytest.raises(InputError) as excinfo:
        straight_line_depreciation(100_000_000, 120_000_000, 5)
    assert_input_error(excinfo, "salvage_value", "above_purchase_price")
    assert "100.000.000" in excinfo.value.message("vi")
    assert "100,000,000" in excinfo.value.message("en")


def test_salvage_equal_to_price_and_zero_life() -> None:
    assert straight_line_depreciation(100_000_000, 100_000_000, 5) == 0.0
    with pytest.raises(InputError) as excinfo:
        straight_line_depreciation(100_000_000, 0, 0)
    assert_input_error(excinfo, "useful_life_years", "not_positive")


def test_cost_summary_to_frame() -> None:
    table = cost_summary(orange_items(), volume=100_000, area_ha=5, units_per_batch=500).to_frame()
    assert list(table.columns) == ["key", "value"]
    assert table.set_index("key")["value"].to_dict() == {
        "fixed_costs": 120e6,
        "variable_cost_per_unit": 2_000.0,
        "volume": 100_000.0,
        "total_costs": 320e6,
        "unit_cost": 3_200.0,
    }


# 3. Invariants ------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=5e9, allow_nan=False, allow_infinity=False)
per_unit = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
volumes = st.floats(min_value=1, max_value=1e7, allow_nan=False, allow_infinity=False)
ratios = st.floats(min_value=0.05, max_value=20, allow_nan=False, allow_infinity=False)
losses = st.floats(min_value=0, max_value=0.5, allow_nan=False, allow_infinity=False)


@given(fixed=money, variable=per_unit, volume=volumes)
def test_unit_cost_times_volume_is_total_cost(fixed: float, variable: float, volume: float) -> None:
    assert unit_cost(fixed, variable, volume) * volume == pytest.approx(fixed + variable * volume, rel=1e-9)


@given(fixed=money, variable=per_unit, volume=volumes)
def test_cost_summary_agrees_with_unit_cost(fixed: float, variable: float, volume: float) -> None:
    items = [
        CostItem("f", "Cố định", "Fixed", fixed, "season", "fixed"),
        CostItem("v", "Biến đổi", "Variable", variable, "unit", "variable"),
    ]
    s = cost_summary(items, volume)
    assert s.unit_cost == pytest.approx(unit_cost(fixed, variable, volume), rel=1e-9)
    assert s.total_costs == pytest.approx(s.unit_cost * volume, rel=1e-9)
    shares = cost_breakdown(items, volume)["share"]
    assert shares.sum() == pytest.approx(1.0 if fixed + variable > 0 else 0.0)


@given(price=per_unit, ratio=ratios, loss=losses)
def test_raw_material_cost_is_price_times_raw_input_per_unit(price: float, ratio: float, loss: float) -> None:
    assert raw_material_cost_per_unit(price, ratio, loss) == pytest.approx(
        price * raw_input_needed(1, ratio, loss), rel=1e-12
    )


@given(price=per_unit, ratio=ratios, loss=losses, extra=st.floats(0, 0.4))
def test_more_loss_never_lowers_the_unit_cost(price: float, ratio: float, loss: float, extra: float) -> None:
    assert processed_unit_cost(price, ratio, min(loss + extra, 0.9)) >= processed_unit_cost(price, ratio, loss)


# 4. Regressions -----------------------------------------------------------------------------


def test_cost_summary_accepts_a_generator_and_does_not_change_the_items() -> None:
    items = orange_items()
    before = list(items)
    s = cost_summary((i for i in items), volume=100_000, area_ha=5, units_per_batch=500)
    assert s.fixed_costs == 120e6 and items == before


def test_cost_item_is_frozen() -> None:
    item = CostItem("a", "A", "A", 1, "season", "fixed")
    with pytest.raises(AttributeError):
        item.amount = 2  # type: ignore[misc]


def test_cost_item_amount_is_stored_as_float() -> None:
    assert isinstance(CostItem("a", "A", "A", 1, "season", "fixed").amount, float)


def test_breakdown_returns_a_dataframe_with_float_columns() -> None:
    table = cost_breakdown(orange_items(), volume=100_000, area_ha=5, units_per_batch=500)
    assert isinstance(table, pd.DataFrame)
    assert all(table[c].dtype == float for c in ("season_total", "per_unit", "share"))


def test_costs_module_imports_no_heavy_library() -> None:
    code = (
        "import sys, coopkit.costs, coopkit.breakeven, coopkit.pricing; "
        "print(sorted(m for m in ('scipy', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    root = str(Path(coopkit.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
