"""Tests for coopkit.pricing: worked examples, edge cases, invariants and regressions."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from helpers import assert_input_error
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coopkit import breakeven, pricing
from coopkit.breakeven import profit
from coopkit.demand import DemandCurve, plan_demand, price_response
from coopkit.errors import InputError
from coopkit.models import PRICING_PLAN, channel_inputs, pricing_plan_inputs
from coopkit.pricing import (
    Channel,
    ChannelResult,
    channel_result,
    compare_channels,
    margin_to_markup,
    markup_to_margin,
    net_per_unit,
    price_for_channel_margin,
    price_for_margin,
    price_for_markup,
)
from coopkit.whatif import evaluate

# Channels for Lạc Thủy oranges (illustrative fees, not any platform's published tariff).
WHOLESALE = Channel("cho", "Chợ đầu mối", "Wholesale market")
ONLINE = Channel(
    "san_tmdt",
    "Sàn thương mại điện tử",
    "Online marketplace",
    commission_rate=0.10,
    payment_fee_rate=0.05,
    packaging_per_order=20_000,
    units_per_order=5,
)
SUPERMARKET = Channel("sieu_thi", "Siêu thị", "Supermarket", commission_rate=0.25, vat_rate=0.05)


# 1. Worked examples -------------------------------------------------------------------------


def test_markup_and_margin_by_hand() -> None:
    # 25 % on cost: 100 → 125; profit 25 is 25 / 125 = 20 % of the price.
    assert markup_to_margin(0.25) == 0.2
    assert margin_to_markup(0.2) == 0.25
    assert price_for_markup(100_000, 0.25) == 125_000.0
    assert price_for_margin(100_000, 0.20) == 125_000.0
    # A 150 % markup (a cheap raw product sold dear) is a 60 % margin.
    assert markup_to_margin(1.5) == 0.6
    assert price_for_markup(10_000, 1.5) == 25_000.0


def test_shopee_price_for_a_margin_with_the_fees_of_2025_by_hand() -> None:
    """The shipped Shopee fees (datasets/channel_fees.csv): what a 25 000 ₫ jar of pickles must be
    listed at for a 20 % margin, before and after the fee rises of 2025."""
    from coopkit.data import load_channels

    # from 1 Jul 2025: 10 % category fee + 5 % payment fee; 3 000 ₫ infrastructure fee + 6 000 ₫ box per order.
    # price = (9 000 + 25 000) / (1 − 0.15 − 0.20) = 34 000 / 0.65 = 52 307.69 ₫
    today = load_channels()["shopee"]
    assert price_for_channel_margin(today, cost_per_unit=25_000, target_margin=0.20) == pytest.approx(34_000 / 0.65)
    # early 2025: 4 % fixed fee + 5 % payment fee, no per-order fee, the 6 000 ₫ box.
    # price = (6 000 + 25 000) / (1 − 0.09 − 0.20) = 31 000 / 0.71 = 43 661.97 ₫
    before = load_channels(on="2025-03-31")["shopee"]
    assert price_for_channel_margin(before, cost_per_unit=25_000, target_margin=0.20) == pytest.approx(31_000 / 0.71)
    # at 52 307.69 ₫ the jar keeps its 20 % margin: 52 307.69 × 0.85 − 9 000 − 25 000 = 10 461.54 = 20 %
    r = channel_result(today, list_price=34_000 / 0.65, cost_per_unit=25_000)
    assert r.profit_per_unit == pytest.approx(0.2 * 34_000 / 0.65)


def test_online_oranges_by_hand() -> None:
    # 35 000 đ/kg: commission 3 500, payment 1 750, box 20 000 / 5 kg = 4 000 per kg.
    # Net 35 000 − 3 500 − 1 750 − 4 000 = 25 750 đ/kg; × 5 = 128 750 per order.
    # Cost 15 000 → profit 10 750 đ/kg; margin 10 750 / 35 000 = 0.30714.
    r = channel_result(ONLINE, list_price=35_000, cost_per_unit=15_000)
    assert (r.commission_per_unit, r.payment_fee_per_unit, r.per_order_costs_per_unit) == (3_500, 1_750, 4_000)
    assert r.vat_per_unit == 0
    assert r.net_per_unit == 25_750 and r.net_per_order == 128_750
    assert r.profit_per_unit == 10_750
    assert r.margin == pytest.approx(0.307143, rel=1e-5)
    # 1 − 25 750 / 35 000 = 0.26429.
    assert r.fees_share == pytest.approx(0.264286, rel=1e-5)
    assert r.fees_per_unit == 9_250


def test_supermarket_with_vat_by_hand() -> None:
    # 32 000 đ/kg with 5 % VAT inside: VAT = 32 000 × 0.05 / 1.05 = 1 523.81;
    # commission 25 % = 8 000; net 32 000 − 1 523.81 − 8 000 = 22 476.19 đ/kg.
    r = channel_result(SUPERMARKET, list_price=32_000, cost_per_unit=15_000)
    assert r.vat_per_unit == pytest.approx(1_523.8095, rel=1e-7)
    assert r.commission_per_unit == 8_000
    assert r.net_per_unit == pytest.approx(22_476.1905, rel=1e-7)


def test_price_for_online_margin_by_hand() -> None:
    # Kept share a = 1 − 0.10 − 0.05 = 0.85; per-order b = 4 000; cost 15 000; target 30 %:
    # price = (4 000 + 15 000) / (0.85 − 0.30) = 34 545.45 đ/kg.
    price = price_for_channel_margin(ONLINE, cost_per_unit=15_000, target_margin=0.30)
    assert price == pytest.approx(34_545.4545, rel=1e-8)
    assert channel_result(ONLINE, list_price=price, cost_per_unit=15_000).margin == pytest.approx(0.30, abs=1e-12)


def test_price_for_supermarket_margin_by_hand() -> None:
    # a = 1 / 1.05 − 0.25 = 0.702381; price = 15 000 / (0.702381 − 0.2) = 29 857.82 đ/kg.
    assert price_for_channel_margin(SUPERMARKET, cost_per_unit=15_000, target_margin=0.2) == \
        pytest.approx(29_857.82, rel=1e-6)


def test_compare_channels_by_hand() -> None:
    table = compare_channels(
        [WHOLESALE, ONLINE, SUPERMARKET],
        list_price={"cho": 18_000, "san_tmdt": 35_000, "sieu_thi": 32_000},
        cost_per_unit=15_000,
        target_margin=0.2,
        lang="en",
    )
    assert list(table.columns) == [
        "key", "channel", "list_price", "fees_per_unit", "net_per_unit", "net_per_order",
        "profit_per_unit", "margin", "fees_share", "price_for_target",
    ]
    assert table["key"].tolist() == ["cho", "san_tmdt", "sieu_thi"]
    assert table["channel"].tolist() == ["Wholesale market", "Online marketplace", "Supermarket"]
    # Wholesale keeps everything: 18 000 − 15 000 = 3 000 đ/kg, margin 1/6; for 20 %: 15 000 / 0.8.
    assert table.loc[0, "net_per_unit"] == 18_000 and table.loc[0, "fees_per_unit"] == 0
    assert table.loc[0, "margin"] == pytest.approx(1 / 6)
    assert table.loc[0, "price_for_target"] == 18_750
    # Online: as worked above; for 20 %: 19 000 / 0.65 = 29 230.77.
    assert table.loc[1, "net_per_order"] == 128_750
    assert table.loc[1, "price_for_target"] == pytest.approx(29_230.769, rel=1e-6)
    assert table.loc[2, "net_per_unit"] == pytest.approx(22_476.1905, rel=1e-7)


def test_compare_channels_one_price_and_no_target() -> None:
    table = compare_channels([WHOLESALE, ONLINE], list_price=30_000)
    assert "price_for_target" not in table.columns
    assert table["list_price"].tolist() == [30_000, 30_000]
    assert table["channel"].tolist() == ["Chợ đầu mối", "Sàn thương mại điện tử"]


def test_channel_result_to_frame() -> None:
    table = channel_result(ONLINE, list_price=35_000, cost_per_unit=15_000).to_frame()
    assert list(table.columns) == ["key", "value"]
    assert table.attrs["channel_key"] == "san_tmdt"
    assert table.set_index("key").loc["net_per_unit", "value"] == 25_750
    assert "channel_key" not in table["key"].tolist()
    assert len(table) == len(ChannelResult.__dataclass_fields__) - 1


def test_channel_names() -> None:
    assert ONLINE.name("vi") == "Sàn thương mại điện tử" and ONLINE.name("en") == "Online marketplace"
    assert Channel("x", "Bán tại vườn", "").name("en") == "Bán tại vườn"


# 2. Edge cases ------------------------------------------------------------------------------


def test_a_fixed_fee_can_eat_a_cheap_item() -> None:
    # 10 000 đ eggs pack, 15 000 đ fixed fee per single-unit order: net −5 000. A result, not an error.
    channel = Channel("app", "Ứng dụng giao hàng", "Delivery app", fixed_fee_per_order=15_000)
    r = channel_result(channel, list_price=10_000, cost_per_unit=6_000)
    assert r.net_per_unit == -5_000 and r.profit_per_unit == -11_000
    assert r.fees_share == 1.5


def test_zero_margin_and_zero_markup() -> None:
    assert price_for_margin(10_000, 0) == 10_000 and price_for_markup(10_000, 0) == 10_000
    assert markup_to_margin(0) == 0 and margin_to_markup(0) == 0
    assert price_for_channel_margin(WHOLESALE, cost_per_unit=10_000, target_margin=0) == 10_000


def test_margin_of_one_is_rejected() -> None:
    for call in (lambda: price_for_margin(10_000, 1.0), lambda: margin_to_markup(1.0)):
        with pytest.raises(InputError) as excinfo:
            call()
        assert_input_error(excinfo, "margin", "not_a_fraction")


def test_negative_markup_and_cost() -> None:
    with pytest.raises(InputError) as excinfo:
        price_for_markup(10_000, -0.1)
    assert_input_error(excinfo, "markup", "negative")
    with pytest.raises(InputError) as excinfo:
        price_for_markup(-10_000, 0.1)
    assert_input_error(excinfo, "cost_per_unit", "negative")
    with pytest.raises(InputError) as excinfo:
        markup_to_margin(-0.5)
    assert_input_error(excinfo, "markup", "negative")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_inputs(bad: float) -> None:
    with pytest.raises(InputError) as excinfo:
        channel_result(ONLINE, list_price=bad)
    assert_input_error(excinfo, "list_price", "not_finite")
    with pytest.raises(InputError) as excinfo:
        Channel("x", "X", "X", shipping_per_order=bad)
    assert_input_error(excinfo, "shipping_per_order", "not_finite")
    with pytest.raises(InputError) as excinfo:
        price_for_markup(10_000, bad)
    assert_input_error(excinfo, "markup", "not_finite")


@pytest.mark.parametrize("price", [0, -1])
def test_list_price_must_be_positive(price: float) -> None:
    with pytest.raises(InputError) as excinfo:
        channel_result(ONLINE, list_price=price)
    assert_input_error(excinfo, "list_price", "not_positive")


@pytest.mark.parametrize(
    "kwargs, field, reason",
    [
        ({"commission_rate": -0.1}, "commission_rate", "not_a_fraction"),
        ({"commission_rate": 1.0}, "commission_rate", "not_a_fraction"),
        ({"payment_fee_rate": 1.2}, "payment_fee_rate", "not_a_fraction"),
        ({"vat_rate": -0.05}, "vat_rate", "not_a_fraction"),
        ({"fixed_fee_per_order": -1}, "fixed_fee_per_order", "negative"),
        ({"packaging_per_order": -1}, "packaging_per_order", "negative"),
        ({"units_per_order": 0}, "units_per_order", "not_positive"),
        ({"commission_rate": 0.6, "payment_fee_rate": 0.4}, "commission_rate", "fees_too_high"),
        ({"commission_rate": 0.5, "payment_fee_rate": 0.45, "vat_rate": 0.1}, "commission_rate", "fees_too_high"),
    ],
)
def test_channel_validation(kwargs: dict[str, float], field: str, reason: str) -> None:
    with pytest.raises(InputError) as excinfo:
        Channel("x", "Kênh X", "Channel X", **kwargs)
    assert_input_error(excinfo, field, reason)


def test_fees_too_high_message_shows_each_part() -> None:
    with pytest.raises(InputError) as excinfo:
        Channel("x", "X", "X", commission_rate=0.5, payment_fee_rate=0.45, vat_rate=0.1)
    vi, en = excinfo.value.message("vi"), excinfo.value.message("en")
    assert "50%" in vi and "45%" in vi and "9,1%" in vi
    assert "50%" in en and "45%" in en and "9.1%" in en


@pytest.mark.parametrize("key, name_vi", [("", "X"), ("x", ""), (None, "X")])
def test_channel_needs_a_code_and_a_name(key: object, name_vi: str) -> None:
    with pytest.raises(InputError) as excinfo:
        Channel(key, name_vi, "X")  # type: ignore[arg-type]
    assert_input_error(excinfo, "channel", "empty_name")


@pytest.mark.parametrize("target", [0.85, 0.9])
def test_margin_unreachable(target: float) -> None:
    # Online keeps 85 % of the price at most: a 85 % or 90 % margin is out of reach.
    with pytest.raises(InputError) as excinfo:
        price_for_channel_margin(ONLINE, cost_per_unit=15_000, target_margin=target)
    assert_input_error(excinfo, "target_margin", "margin_unreachable")
    err = excinfo.value
    assert err.params["fees_share"] == pytest.approx(0.15)
    assert err.params["max_margin"] == pytest.approx(0.85)
    assert "15%" in err.message("vi") and "85%" in err.message("en")


def test_price_for_channel_margin_needs_a_cost() -> None:
    with pytest.raises(InputError) as excinfo:
        price_for_channel_margin(ONLINE, cost_per_unit=0, target_margin=0.2)
    assert_input_error(excinfo, "cost_per_unit", "not_positive")
    with pytest.raises(InputError) as excinfo:
        price_for_channel_margin(ONLINE, cost_per_unit=15_000, target_margin=1.0)
    assert_input_error(excinfo, "target_margin", "not_a_fraction")


def test_compare_channels_unreachable_target_is_nan() -> None:
    greedy = Channel("greedy", "Đại lý", "Agent", commission_rate=0.45)
    table = compare_channels([WHOLESALE, greedy], list_price=30_000, cost_per_unit=15_000, target_margin=0.6)
    assert table.loc[0, "price_for_target"] == pytest.approx(37_500)
    assert math.isnan(table.loc[1, "price_for_target"])


def test_compare_channels_errors() -> None:
    with pytest.raises(InputError) as excinfo:
        compare_channels([], list_price=30_000)
    assert_input_error(excinfo, "channels", "no_channels")
    with pytest.raises(InputError) as excinfo:
        compare_channels([WHOLESALE, WHOLESALE], list_price=30_000)
    assert_input_error(excinfo, "channel", "duplicate_key")
    with pytest.raises(InputError) as excinfo:
        compare_channels([WHOLESALE, ONLINE], list_price={"cho": 18_000})
    assert_input_error(excinfo, "list_price", "missing_channel_price")
    assert "san_tmdt" in excinfo.value.message("vi")
    with pytest.raises(InputError) as excinfo:
        compare_channels([WHOLESALE], list_price={"cho": 0})
    assert_input_error(excinfo, "list_price", "not_positive")
    with pytest.raises(InputError) as excinfo:
        compare_channels([WHOLESALE], list_price=30_000, target_margin=1.5)
    assert_input_error(excinfo, "target_margin", "not_a_fraction")


def test_wrong_channel_type_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        channel_result("cho", list_price=30_000)  # type: ignore[arg-type]


# 3. Invariants ------------------------------------------------------------------------------

prices = st.floats(min_value=100, max_value=10_000_000, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=0.3, allow_nan=False, allow_infinity=False)
per_order = st.floats(min_value=0, max_value=50_000, allow_nan=False, allow_infinity=False)
channels = st.builds(
    Channel,
    key=st.just("k"),
    name_vi=st.just("Kênh"),
    name_en=st.just("Channel"),
    commission_rate=rates,
    payment_fee_rate=rates,
    fixed_fee_per_order=per_order,
    packaging_per_order=per_order,
    shipping_per_order=per_order,
    units_per_order=st.integers(min_value=1, max_value=20),
    vat_rate=st.sampled_from([0.0, 0.05, 0.08, 0.10]),
)


@given(markup=st.floats(min_value=0, max_value=10, allow_nan=False))
def test_markup_to_margin_and_back(markup: float) -> None:
    assert margin_to_markup(markup_to_margin(markup)) == pytest.approx(markup, rel=1e-9, abs=1e-12)


@given(margin=st.floats(min_value=0, max_value=0.95, allow_nan=False))
def test_margin_to_markup_and_back(margin: float) -> None:
    assert markup_to_margin(margin_to_markup(margin)) == pytest.approx(margin, rel=1e-9, abs=1e-12)


@given(cost=prices, margin=st.floats(min_value=0, max_value=0.95, allow_nan=False))
def test_markup_and_margin_give_the_same_price(cost: float, margin: float) -> None:
    assert price_for_markup(cost, margin_to_markup(margin)) == pytest.approx(price_for_margin(cost, margin))


@given(price=prices, channel=channels)
def test_net_never_exceeds_the_list_price(price: float, channel: Channel) -> None:
    r = channel_result(channel, list_price=price)
    assert r.net_per_unit <= price
    assert r.fees_share >= 0
    assert r.fees_per_unit == pytest.approx(
        r.vat_per_unit + r.commission_per_unit + r.payment_fee_per_unit + r.per_order_costs_per_unit,
        rel=1e-9,
        abs=1e-9 * price,
    )


@given(price=prices, step=st.floats(min_value=0, max_value=1_000_000, allow_nan=False), channel=channels)
def test_a_higher_price_never_lowers_the_net(price: float, step: float, channel: Channel) -> None:
    assert channel_result(channel, list_price=price + step).net_per_unit >= \
        channel_result(channel, list_price=price).net_per_unit


@given(cost=prices, target=st.floats(min_value=0, max_value=0.6, allow_nan=False), channel=channels)
def test_price_for_channel_margin_reaches_the_target(cost: float, target: float, channel: Channel) -> None:
    assume(1 - channel.percentage_share - target > 1e-6)
    price = price_for_channel_margin(channel, cost_per_unit=cost, target_margin=target)
    assert price > 0
    assert channel_result(channel, list_price=price, cost_per_unit=cost).margin == pytest.approx(target, abs=1e-9)


@given(cost=prices, target=st.floats(min_value=0, max_value=0.95, allow_nan=False), channel=channels)
def test_unreachable_exactly_when_fees_leave_no_room(cost: float, target: float, channel: Channel) -> None:
    reachable = 1 - channel.percentage_share - target > 0
    try:
        price_for_channel_margin(channel, cost_per_unit=cost, target_margin=target)
    except InputError as err:
        assert err.reason == "margin_unreachable" and not reachable
    else:
        assert reachable


# 4. Regressions -----------------------------------------------------------------------------


def test_commission_is_charged_on_the_vat_inclusive_price() -> None:
    # The channel's commission is a share of what the buyer pays (VAT included), as the
    # brief and marketplaces define it; only the VAT part is computed as vat / (1 + vat).
    r = channel_result(Channel("x", "X", "X", commission_rate=0.1, vat_rate=0.1), list_price=110_000)
    assert r.vat_per_unit == pytest.approx(10_000) and r.commission_per_unit == pytest.approx(11_000)


def test_channel_rates_are_stored_as_floats() -> None:
    channel = Channel("x", "X", "X", commission_rate=0, units_per_order=3)
    assert isinstance(channel.commission_rate, float) and isinstance(channel.units_per_order, float)


# 5. One formula in one place (issue 11 §1) ----------------------------------------------------
# What a channel leaves per unit is written once (`pricing.net_per_unit`), the profit once
# (`breakeven.profit`); channel_result, the pricing_plan model, its grid and the demand curve use
# them. Checked by behaviour (same numbers; change the formula and every path follows), never by
# reading the source text.

plan_fixed = st.floats(min_value=0, max_value=1e10, allow_nan=False, allow_infinity=False)
plan_variable = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
plan_volume = st.floats(min_value=1, max_value=1e7, allow_nan=False, allow_infinity=False)


def _every_path(
    price: float, channel: Channel, fixed: float, variable: float, volume: float
) -> tuple[dict[str, float], dict[str, float], float]:
    """Net per unit and profit of one plan from each place that computes them, and the demand
    curve's net revenue (net per unit × units sold)."""
    inputs = pricing_plan_inputs(channel, fixed_costs=fixed, list_price=price, variable_cost_per_unit=variable,
                                 volume=volume)
    plan = evaluate("pricing_plan", inputs)
    grid = PRICING_PLAN.grid_function({name: np.array([value]) for name, value in inputs.items()})
    # Buyers would take twice the volume at this price: the curve sells the whole volume there.
    curve = DemandCurve("linear", a=3 * volume, b=volume / price)
    row = price_response(curve, channel, variable_cost_per_unit=variable, fixed_costs=fixed, capacity=volume, price_low=price, price_high=2 * price,
                         points=2).iloc[0]
    assert row["price"] == price and row["quantity_sold"] == volume
    nets = {
        "channel_result": channel_result(channel, list_price=price, cost_per_unit=0.0).net_per_unit,
        "Channel.net_per_unit": channel.net_per_unit(price),
        "net_per_unit": net_per_unit(price, **channel.to_inputs()),
        "pricing_plan": plan["net_per_unit"],
        "pricing_plan grid": float(grid["net_per_unit"][0]),
    }
    profits = {"pricing_plan": plan["profit"], "pricing_plan grid": float(grid["profit"][0]),
               "demand curve": float(row["profit"])}
    return nets, profits, float(row["net_revenue"])


@settings(max_examples=60, deadline=None)
@given(price=prices, channel=channels, fixed=plan_fixed, variable=plan_variable, volume=plan_volume)
def test_channel_result_the_plan_model_its_grid_and_the_demand_curve_agree_to_the_last_digit(
    price: float, channel: Channel, fixed: float, variable: float, volume: float
) -> None:
    nets, profits, net_revenue = _every_path(price, channel, fixed, variable, volume)
    net = channel_result(channel, list_price=price).net_per_unit
    expected_profit = profit(fixed_costs=fixed, price_per_unit=net, variable_cost_per_unit=variable, volume=volume)
    assert nets == dict.fromkeys(nets, net)
    assert profits == dict.fromkeys(profits, expected_profit)
    assert net_revenue == net * volume


@settings(max_examples=15, deadline=None)
@given(price=prices, channel=channels, fixed=plan_fixed, variable=plan_variable, volume=plan_volume)
def test_the_plan_on_its_demand_curve_makes_the_plan_models_profit(
    price: float, channel: Channel, fixed: float, variable: float, volume: float
) -> None:
    curve = DemandCurve("linear", a=3 * volume, b=volume / price)
    on_curve = plan_demand(curve, channel, variable_cost_per_unit=variable, fixed_costs=fixed, volume=volume, list_price=price, points=5)
    assert on_curve.quantity_sold == volume
    plan = evaluate("pricing_plan", pricing_plan_inputs(channel, fixed_costs=fixed, list_price=price,
                                                        variable_cost_per_unit=variable, volume=volume))
    assert on_curve.profit == plan["profit"]


def test_the_net_and_the_profit_are_each_computed_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Add a 100 đ fee inside the one net formula, and 1 đ inside the one profit formula: every
    path moves by exactly that (a path with its own copy would not move)."""
    price, fixed, variable, volume = 35_000.0, 20e6, 15_000.0, 1_000.0
    nets, profits, net_revenue = _every_path(price, ONLINE, fixed, variable, volume)
    deductions, season_profit = pricing._deductions, breakeven.profit

    def one_more_fee(*args, **kwargs):
        *parts, net = deductions(*args, **kwargs)
        return (*parts, net - 100.0)

    def one_more_dong(**kwargs):
        return season_profit(**kwargs) + 1.0

    monkeypatch.setattr(pricing, "_deductions", one_more_fee)
    monkeypatch.setattr(breakeven, "profit", one_more_dong)
    assert nets["channel_result"] == 25_750.0
    assert _every_path(price, ONLINE, fixed, variable, volume) == (
        {where: net - 100.0 for where, net in nets.items()},
        {where: value - 100.0 * volume + 1.0 for where, value in profits.items()},
        net_revenue - 100.0 * volume,
    )


def test_a_channel_and_arrays_of_fees_give_the_same_net() -> None:
    commissions = np.array([[0.10], [0.12]])
    table = net_per_unit(np.array([30_000.0, 35_000.0]), **{**ONLINE.to_inputs(), "commission_rate": commissions})
    for i, commission in enumerate(commissions[:, 0]):
        channel = dataclasses.replace(ONLINE, commission_rate=float(commission))
        assert table[i].tolist() == [channel.net_per_unit(30_000), channel.net_per_unit(35_000)]
        assert table[i].tolist() == channel.net_per_unit(np.array([30_000, 35_000])).tolist()


any_fraction = st.one_of(st.floats(min_value=-0.5, max_value=1.5), st.sampled_from([0.0, 0.999999, 1.0, math.nan]))
any_amount = st.one_of(st.floats(min_value=-1e3, max_value=1e5), st.sampled_from([0.0, math.nan, math.inf]))
any_price = st.one_of(prices, st.sampled_from([0.0, -1.0, math.nan, math.inf]))
any_numbers = st.fixed_dictionaries({
    "commission_rate": any_fraction, "payment_fee_rate": any_fraction, "vat_rate": any_fraction,
    "fixed_fee_per_order": any_amount, "packaging_per_order": any_amount, "shipping_per_order": any_amount,
    "units_per_order": st.one_of(st.floats(min_value=-2, max_value=30), st.sampled_from([0.0, 1.0, math.nan])),
})


@settings(max_examples=200, deadline=None)
@given(price_list=st.lists(any_price, min_size=1, max_size=4), numbers=any_numbers)
def test_numbers_and_arrays_give_the_same_net_and_nan_exactly_where_a_number_is_refused(
    price_list: list[float], numbers: dict[str, float]
) -> None:
    """The scalar path (checked, InputError) and the array path (NaN) follow the same rules."""
    array = net_per_unit(np.array(price_list), **{name: np.full(len(price_list), v) for name, v in numbers.items()})
    assert array.shape == (len(price_list),)
    for price, from_array in zip(price_list, array.tolist()):
        try:
            alone = net_per_unit(price, **numbers)
        except InputError:
            assert math.isnan(from_array), (price, numbers)
        else:
            assert from_array == alone or (math.isnan(alone) and math.isnan(from_array))
            assert alone == channel_result(Channel("k", "K", "K", **numbers), list_price=price).net_per_unit


def test_net_per_unit_checks_a_number_like_a_channel() -> None:
    with pytest.raises(InputError) as excinfo:
        net_per_unit(35_000, commission_rate=0.6, payment_fee_rate=0.5)
    assert_input_error(excinfo, "commission_rate", "fees_too_high")
    with pytest.raises(InputError) as excinfo:
        net_per_unit(0, commission_rate=0.1)
    assert_input_error(excinfo, "list_price", "not_positive")
    with pytest.raises(InputError) as excinfo:
        ONLINE.net_per_unit(math.nan)
    assert_input_error(excinfo, "list_price", "not_finite")
    assert ONLINE.net_per_unit(np.array([0.0, 35_000.0, math.inf])).tolist()[1:2] == [25_750.0]
    assert np.isnan(ONLINE.net_per_unit(np.array([0.0, -5.0, math.nan, math.inf]))).all()


def test_a_channel_goes_to_the_model_inputs_and_back_unchanged() -> None:
    inputs = channel_inputs(ONLINE, 35_000, 15_000)
    assert Channel.from_inputs(inputs, key=ONLINE.key, name_vi=ONLINE.name_vi, name_en=ONLINE.name_en) == ONLINE
    what_if = Channel.from_inputs({**inputs, "vat_rate": 0.08})
    assert (what_if.key, what_if.vat_rate) == ("what_if", 0.08)
    assert what_if.to_inputs() == {**ONLINE.to_inputs(), "vat_rate": 0.08}
    assert tuple(what_if.to_inputs()) == Channel.NUMBERS


def test_a_channel_from_inputs_names_what_is_missing_or_wrong() -> None:
    inputs = ONLINE.to_inputs()
    del inputs["vat_rate"]
    with pytest.raises(InputError) as excinfo:
        Channel.from_inputs(inputs)
    assert_input_error(excinfo, "vat_rate", "missing_input")
    with pytest.raises(InputError) as excinfo:
        Channel.from_inputs({**ONLINE.to_inputs(), "units_per_order": 0})
    assert_input_error(excinfo, "units_per_order", "not_positive")
    with pytest.raises(InputError) as excinfo:
        Channel.from_inputs([0.1, 0.05])  # type: ignore[arg-type]
    assert_input_error(excinfo, "channel", "not_an_object")


def test_a_replaced_fee_is_checked_like_a_new_channel() -> None:
    with pytest.raises(InputError) as excinfo:
        dataclasses.replace(ONLINE, commission_rate=0.96)
    assert_input_error(excinfo, "commission_rate", "fees_too_high")
    dearer = dataclasses.replace(ONLINE, commission_rate=0.12)
    assert dearer.net_per_unit(35_000) == channel_result(dearer, list_price=35_000).net_per_unit == 25_050.0
