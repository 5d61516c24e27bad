"""Production risk by Monte Carlo (coopkit.risk) and its charts; the app is in test_app_risk.py."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from coopkit import fmt, i18n, reference, risk
from coopkit.errors import InputError
from coopkit.plots import risk as risk_plots

COFFEE = dict(volume=(28_000, 32_000, 34_000), fixed_costs=354e6)
PRICE = (95_000, 115_000, 150_000)
COST = (96_000, 101_625, 108_000)


# ------------------------------------------------------------------ worked examples


def test_pert_and_triangular_means_match_the_textbook_formulas():
    # PERT mean (a + 4m + b) / 6 and triangular mean (a + m + b) / 3: e.g. Vose, "Risk Analysis"
    # (3rd ed., 2008), ch. 9 (PERT) and the triangular distribution's moments.
    assert risk.mean_of((2, 3, 7)) == pytest.approx(3.5)
    assert risk.mean_of((2, 3, 7), "triangular") == pytest.approx(4.0)
    assert risk.mean_of(5) == 5


@pytest.mark.parametrize("shape", risk.SHAPES)
def test_monte_carlo_mean_converges_to_the_analytic_mean(shape):
    """With n draws the sample mean is within 5 standard errors (sd / sqrt(n)) of the true mean:
    failing by chance has probability below 1e-6. sd of a triangular(a, m, b) is
    sqrt((a² + m² + b² − am − ab − mb) / 18); PERT's is smaller, so that bound covers both."""
    low, mode, high, n = 95_000.0, 115_000.0, 150_000.0, 200_000
    drawn = risk.draw_inputs({"price_per_unit": (low, mode, high)}, draws=n, seed=7, shape=shape)["price_per_unit"]
    sd = math.sqrt((low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18)
    assert abs(drawn.mean() - risk.mean_of((low, mode, high), shape)) < 5 * sd / math.sqrt(n)
    assert drawn.min() >= low and drawn.max() <= high


def test_profit_of_a_known_plan_is_exact():
    # No uncertainty: 32 t × (115 000 − 101 625) − 354 million = 74 million in every season.
    sim = risk.simulate_profit(115_000, 101_625, volume=32_000, fixed_costs=354e6, draws=10)
    assert np.allclose(sim.profit, 74e6)
    s = sim.summary
    assert (s.mean_profit, s.p10_profit, s.p90_profit) == pytest.approx((74e6, 74e6, 74e6))
    assert s.probability_of_loss == 0 and s.expected_loss == 0 and s.std_profit == pytest.approx(0, abs=1e-6)


def test_area_times_yield_is_the_harvest_and_losses_reduce_it():
    # Lạc Thủy oranges: 10 ha × 16 t/ha, 5 % lost, 16 000 − 10 100 đ/kg, 539 million fixed.
    sim = risk.simulate_profit(16_000, 10_100, area_ha=10, yield_kg_per_ha=16_000, loss_rate=0.05,
                               fixed_costs=539e6, draws=4)
    assert sim.summary.mean_profit == pytest.approx(10 * 16_000 * 0.95 * 5_900 - 539e6)


def test_mean_profit_of_a_linear_model_matches_the_analytic_value():
    # With a known volume, profit is linear in price and cost: E[profit] = V (E[p] − E[c]) − F.
    n = 200_000
    sim = risk.simulate_profit(PRICE, COST, volume=32_000, fixed_costs=354e6, draws=n, seed=3)
    expected = 32_000 * (risk.mean_of(PRICE) - risk.mean_of(COST)) - 354e6
    assert abs(sim.summary.mean_profit - expected) < 5 * sim.summary.mean_standard_error


def test_summary_of_a_small_sample_by_hand():
    s = risk.summarize_profit([-30e6, -10e6, 20e6, 40e6, 80e6])
    assert s.probability_of_loss == pytest.approx(0.4)
    assert s.expected_loss == pytest.approx(20e6)
    assert s.p50_profit == pytest.approx(20e6)
    assert (s.worst_profit, s.best_profit) == (-30e6, 80e6)
    table = s.to_frame().set_index("key")["value"]
    assert table["probability_of_loss"] == pytest.approx(0.4)


def test_a_contract_for_the_whole_harvest_removes_price_risk():
    market = risk.simulate_profit(PRICE, 101_625, volume=32_000, fixed_costs=354e6, seed=5)
    contract = risk.simulate_profit(PRICE, 101_625, volume=32_000, fixed_costs=354e6, seed=5,
                                    contract_share=1, contract_price=115_000)
    assert np.allclose(contract.profit, 74e6)
    assert market.summary.probability_of_loss > 0.2
    c = risk.compare_plans(market, contract)
    assert c.paired
    assert c.mean_difference == pytest.approx(contract.summary.mean_profit - market.summary.mean_profit)
    frame = c.to_frame().set_index("key")
    assert frame.loc["probability_of_loss", "second"] == 0.0


def test_same_seed_shares_the_draws_of_common_inputs():
    a = risk.simulate_profit(PRICE, COST, **COFFEE, seed=11)
    b = risk.simulate_profit(PRICE, COST, **COFFEE, seed=11, contract_share=0.5, contract_price=110_000)
    for name in ("volume", "price_per_unit", "variable_cost_per_unit"):
        assert np.array_equal(a.inputs[name], b.inputs[name])
    # fixing one input does not move the draws of the others
    c = risk.simulate_profit(115_000, COST, **COFFEE, seed=11)
    assert np.array_equal(a.inputs["volume"], c.inputs["volume"])
    other_seed = risk.simulate_profit(PRICE, COST, **COFFEE, seed=12)
    assert not np.array_equal(a.profit, other_seed.profit)
    assert not risk.compare_plans(a, risk.simulate_profit(PRICE, COST, **COFFEE, seed=12, draws=100)).paired


def test_general_model_gives_the_same_as_simulate_profit():
    def model(volume, price_per_unit, variable_cost_per_unit):
        return volume * (price_per_unit - variable_cost_per_unit) - 354e6

    general = risk.simulate_model(model, {"volume": COFFEE["volume"], "price_per_unit": PRICE,
                                          "variable_cost_per_unit": COST}, seed=4)
    direct = risk.simulate_profit(PRICE, COST, **COFFEE, seed=4)
    assert np.allclose(general.profit, direct.profit)
    assert set(general.draws_frame().columns) == {"volume", "price_per_unit", "variable_cost_per_unit", "profit"}


# ------------------------------------------------------------------ edge cases and errors


def test_most_likely_at_an_end_of_the_range_still_draws():
    for shape in risk.SHAPES:
        drawn = risk.draw_inputs({"price_per_unit": (100, 100, 200)}, draws=1_000, seed=1, shape=shape)
        assert drawn["price_per_unit"].min() >= 100


def test_min_above_max_names_the_field():
    with pytest.raises(InputError) as excinfo:
        risk.simulate_profit((150_000, 115_000, 95_000), COST, **COFFEE)
    assert_input_error(excinfo, "price_per_unit", "range_min_above_max")
    assert "150.000\xa0₫" in excinfo.value.message("vi")
    assert "₫95,000" in excinfo.value.message("en")


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"price_per_unit": (90_000, 160_000, 150_000)}, "price_per_unit", "range_outside"),
        ({"price_per_unit": (1, 2)}, "price_per_unit", "range_needs_three"),
        ({"variable_cost_per_unit": (-5, 1, 2)}, "variable_cost_per_unit", "negative"),
        ({"volume": (1, float("nan"), 3)}, "volume", "not_finite"),
        ({"draws": 0}, "draws", "too_few_points"),
        ({"draws": 2.5}, "draws", "too_few_points"),
        ({"draws": 10**9}, "draws", "too_many_draws"),
        ({"seed": -1}, "seed", "negative"),
        ({"seed": 1.5}, "seed", "not_whole"),
        ({"shape": "normal"}, "distribution", "unknown_distribution"),
        ({"loss_rate": 1.0}, "loss_rate", "not_a_fraction"),
        ({"contract_share": 1.5}, "contract_share", "not_a_fraction_incl"),
        ({"contract_share": 0.5}, "contract_price", "missing_input"),
        ({"contract_share": 0.5, "contract_price": 0}, "contract_price", "not_positive"),
        ({"area_ha": 2, "yield_kg_per_ha": 3_000}, "volume", "harvest_given_twice"),
        ({"volume": None}, "volume", "harvest_missing"),
        ({"volume": None, "area_ha": 0, "yield_kg_per_ha": 3_000}, "area_ha", "not_positive"),
        ({"fixed_costs": "many"}, "fixed_costs", "not_a_number"),
    ],
)
def test_bad_input_is_an_input_error(kwargs, field, reason):
    args = {"price_per_unit": PRICE, "variable_cost_per_unit": COST, **COFFEE, **kwargs}
    with pytest.raises(InputError) as excinfo:
        risk.simulate_profit(args.pop("price_per_unit"), args.pop("variable_cost_per_unit"), **args)
    assert_input_error(excinfo, field, reason)


# ------------------------------------------------------------------ properties

triples = st.tuples(*(st.floats(0, 1e6, allow_nan=False) for _ in range(3))).map(sorted)


@given(price=triples, cost=triples, volume=triples, seed=st.integers(0, 2**32 - 1))
def test_fixed_seed_repeats_and_percentiles_are_ordered(price, cost, volume, seed):
    a = risk.simulate_profit(price, cost, volume=volume, fixed_costs=1e6, draws=500, seed=seed)
    b = risk.simulate_profit(price, cost, volume=volume, fixed_costs=1e6, draws=500, seed=seed)
    assert np.array_equal(a.profit, b.profit)
    s = a.summary
    assert s.worst_profit <= s.p10_profit <= s.p50_profit <= s.p90_profit <= s.best_profit
    assert 0 <= s.probability_of_loss <= 1
    assert s.expected_loss >= 0
    assert (s.expected_loss > 0) == (s.probability_of_loss > 0)


@given(low=st.floats(0, 1e5), width=st.floats(1, 1e5), at=st.floats(0, 1), shape=st.sampled_from(risk.SHAPES))
def test_draws_stay_inside_the_range(low, width, at, shape):
    high = low + width
    drawn = risk.draw_inputs({"x": (low, low + at * width, high)}, draws=200, seed=1, shape=shape)["x"]
    assert drawn.min() >= low and drawn.max() <= high


@given(share=st.floats(0, 1), seed=st.integers(0, 1000))
def test_a_bigger_contract_share_never_widens_the_price_spread(share, seed):
    """Same seed: the contract plan's profit is the market plan's with part of the price
    fixed, so its P10–P90 spread is at most the market's (known volume and cost)."""
    args = dict(volume=32_000, fixed_costs=354e6, draws=2_000, seed=seed)
    market = risk.simulate_profit(PRICE, 101_625, **args).summary
    contract = risk.simulate_profit(PRICE, 101_625, **args, contract_share=share, contract_price=115_000).summary
    assert contract.p90_profit - contract.p10_profit <= market.p90_profit - market.p10_profit + 1e-3


# ------------------------------------------------------------------ regressions



# ------------------------------------------------------------------ charts

SIM_A = risk.simulate_profit(PRICE, COST, **COFFEE, seed=1)
SIM_B = risk.simulate_profit(PRICE, COST, **COFFEE, seed=1, contract_share=0.7, contract_price=115_000)


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _texts(figure: Figure) -> str:
    return " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_risk_charts_draw_in_both_languages_with_catalogue_texts(lang):
    trend = reference.yield_trend(reference.load_coffee_yields())
    swings = reference.price_swings(reference.load_world_prices(), "robusta")
    arabica = reference.price_swings(reference.load_world_prices(), "arabica")
    figures = [
        risk_plots.profit_histogram(SIM_A, lang),
        risk_plots.profit_histogram(SIM_A, lang, other=SIM_B, labels=("A", "B")),
        risk_plots.profit_s_curve(SIM_A, SIM_B, lang),
        risk_plots.yield_trend_chart(trend, lang),
        risk_plots.price_history_chart(swings, lang, other=arabica),
    ]
    for figure in figures:
        assert _png(figure).startswith(b"\x89PNG")
        text = _texts(figure)
        assert "chart." not in text  # every key found in the catalogue
    assert fmt.percent(SIM_A.summary.probability_of_loss, lang) in _texts(figures[0])
    assert i18n.tr("chart.risk.series.robusta", lang) in _texts(figures[4])


def test_histogram_marks_losses_red_and_draws_the_three_percentile_lines():
    figure = risk_plots.profit_histogram(SIM_A, "en")
    ax = figure.axes[0]
    lines = [line.get_xdata()[0] for line in ax.get_lines()]
    for value in (SIM_A.summary.p10_profit, SIM_A.summary.p50_profit, SIM_A.summary.p90_profit, 0):
        assert any(math.isclose(x, value) for x in lines)
    reds = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((198 / 255, 40 / 255, 40 / 255))]
    assert len(reds) == 1
    values, edges, _baseline = reds[0].get_data()
    centres = (edges[:-1] + edges[1:]) / 2
    k = int((centres < 0).sum())  # bins whose middle is a loss come first
    assert 0 < k < len(centres) and not values[k:].any()
    assert values.sum() == pytest.approx(np.mean(SIM_A.profit < edges[k]))  # every draw left of them is red


def test_histogram_of_a_known_profit_still_draws():
    known = risk.simulate_profit(115_000, 101_625, volume=32_000, fixed_costs=354e6, draws=10)
    assert _png(risk_plots.profit_histogram(known, "vi")).startswith(b"\x89PNG")



# ------------------------------------------------------------------ PERT draws


@pytest.mark.parametrize(("alpha", "beta"), [(1, 5), (5, 1), (3, 3), (2.45, 3.5), (3.67, 1.67), (1.0001, 4.9999)])
def test_pert_quantiles_match_scipy(alpha, beta):
    """The tabulated inverse used for PERT draws agrees with scipy's beta quantiles."""
    from scipy import stats

    u = np.linspace(0.001, 0.999, 999)
    assert np.abs(risk._pert_quantiles(u, alpha, beta) - stats.beta.ppf(u, alpha, beta)).max() < 2e-4
    assert np.all(np.diff(risk._pert_quantiles(u, alpha, beta)) >= 0)  # monotone: common random numbers couple
