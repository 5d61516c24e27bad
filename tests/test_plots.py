"""What-if charts: they build, render to PNG in both languages, and say what the tables say."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.text import Text

import coopkit as ck
from coopkit import fields, i18n, plots, whatif

LANGS = ("vi", "en")
# Sơn Nam eggs (the break-even lesson's template)
EGGS = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067, "volume": 1_095_000}
BASE_PROFIT = ck.whatif.evaluate("break_even", EGGS)["profit"]
TORNADO = whatif.tornado("break_even", EGGS, "profit", change=0.1)
SPIDER = whatif.spider("break_even", EGGS, "profit")
PRICES = [2_300.0, 2_600.0, 2_900.0, 3_200.0]
VOLUMES = [700_000.0, 900_000.0, 1_100_000.0, 1_300_000.0]
GRID = whatif.data_table("break_even", EGGS, {"price_per_unit": PRICES, "volume": VOLUMES}, output="profit")
SCENARIOS = whatif.evaluate_scenarios("break_even", {
    "Kế hoạch năm 2025, bán ở chợ đầu mối Hà Đông": EGGS,
    "Giá thức ăn tăng 10 %": {**EGGS, "variable_cost_per_unit": 2_274},
    "Sai số liệu": {**EGGS, "volume": 0},
})


def _curve() -> pd.DataFrame:
    """A made-up demand response (constant elasticity −1.8), one row per price."""
    price = np.linspace(20_000, 60_000, 41)
    quantity = 50_000 * (price / 40_000) ** -1.8
    revenue = price * quantity
    return pd.DataFrame({"price": price, "quantity_sold": quantity, "revenue": revenue,
                         "net_revenue": 0.9 * revenue, "profit": 0.9 * revenue - 14_000 * quantity - 300e6})


CURVE = _curve()
BEST = CURVE.loc[CURVE["profit"].idxmax()]

CHARTS = {
    "tornado": lambda lang: plots.tornado_chart(TORNADO, BASE_PROFIT, "profit", lang),
    "spider": lambda lang: plots.spider_chart(SPIDER, "profit", lang),
    "heatmap": lambda lang: plots.heatmap_chart(GRID, "profit", lang),
    "price_response": lambda lang: plots.price_response_chart(
        CURVE, lang, best_price=BEST["price"], best_profit=BEST["profit"], current_price=30_000),
    "scenario": lambda lang: plots.scenario_chart(SCENARIOS, ["profit", "revenue"], lang),
}


def _png(figure: Figure) -> bytes:
    """Render as the apps do (Agg, dpi 80); this also fills in the tick labels."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _texts(figure: Figure) -> list[str]:
    """Every visible text on a rendered figure: titles, labels, ticks, legends, annotations."""
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _rendered(name: str, lang: str) -> tuple[Figure, list[str]]:
    figure = CHARTS[name](lang)
    assert _png(figure).startswith(b"\x89PNG")
    return figure, _texts(figure)


def _other(lang: str) -> str:
    return "en" if lang == "vi" else "vi"


# every chart, both languages ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_renders_with_catalogue_texts_only(name, lang):
    figure, texts = _rendered(name, lang)
    assert isinstance(figure, Figure)
    for text in texts:
        assert "{" not in text and "}" not in text, text
        assert not text.startswith(("chart.", "field.")), f"missing catalogue key: {text}"
    expected = {
        "tornado": ["chart.tornado.title", "chart.tornado.lower", "chart.tornado.higher"],
        "spider": ["chart.spider.title", "chart.spider.change"],
        "heatmap": ["chart.heatmap.title", "chart.break_even"],
        "price_response": ["chart.price.title"],
        "scenario": ["chart.scenario.title"],
    }[name]
    for key in expected:
        want = i18n.tr(key, lang, output=fields.label("profit", lang))
        assert want in texts, (key, texts)
        assert i18n.tr(key, _other(lang), output=fields.label("profit", _other(lang))) not in texts


@pytest.mark.parametrize("lang", LANGS)
def test_axis_numbers_are_written_the_locale_way(lang):
    _, texts = _rendered("heatmap", lang)
    price_ticks = [t for t in texts if "₫" in t and any(c.isdigit() for c in t)]
    assert price_ticks
    if lang == "vi":
        assert all(t.endswith("\xa0₫") and "," not in t for t in price_ticks), price_ticks
        assert any("." in t for t in texts if t[:1].isdigit())  # 1.100.000 sản phẩm
    else:
        assert all(t.startswith("₫") for t in price_ticks), price_ticks
        assert any("," in t for t in texts if t[:1].isdigit())


# tornado ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_tornado_bars_are_in_the_table_order_largest_on_top(lang):
    figure, texts = _rendered("tornado", lang)
    ax = figure.axes[0]
    lower, higher = ax.containers
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]  # long names on two lines
    ticks = list(ax.get_yticks())
    # the tick labels from top to bottom are the table's inputs, largest effect first
    top_down = [label for _, label in sorted(zip(ticks, labels), reverse=True)]
    assert top_down == [fields.label(name, lang) for name in TORNADO["input"]]
    for container, column in ((lower, "output_low"), (higher, "output_high")):
        centres = [bar.get_y() + bar.get_height() / 2 for bar in container]
        assert centres == sorted(centres, reverse=True)
        for bar, end in zip(container, TORNADO[column]):
            assert bar.get_x() == pytest.approx(BASE_PROFIT)
            assert bar.get_x() + bar.get_width() == pytest.approx(end)
    # the input values tried are written at the bar ends
    price_low = fields.format_value("price_per_unit", TORNADO.set_index("input").loc["price_per_unit", "low"], lang)
    assert price_low in texts


def test_tornado_row_without_results_shows_a_dash():
    table = TORNADO.copy()
    table.loc[3, ["output_low", "output_high", "effect"]] = math.nan
    figure = plots.tornado_chart(table, BASE_PROFIT, "profit", "vi")
    _png(figure)
    assert "—" in _texts(figure)


def test_tornado_axis_of_a_rate_output_is_in_percent():
    online = {"list_price": 45_000, "cost_per_unit": 13_469, "commission_rate": 0.10, "payment_fee_rate": 0.05,
              "fixed_fee_per_order": 3_000, "packaging_per_order": 6_000, "shipping_per_order": 0,
              "units_per_order": 1, "vat_rate": 0.0}
    table = whatif.tornado("channel_pricing", online, "margin")
    figure = plots.tornado_chart(table, ck.whatif.evaluate("channel_pricing", online)["margin"], "margin", "en")
    _png(figure)
    ticks = [t.get_text() for t in figure.axes[0].get_xticklabels() if t.get_text()]
    assert ticks and all(t.endswith("%") for t in ticks)


# spider ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_spider_has_a_labelled_line_per_input_and_marks_today(lang):
    figure, texts = _rendered("spider", lang)
    ax = figure.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    for name in SPIDER.columns:
        line = lines[fields.label(name, lang)]
        assert list(line.get_xdata()) == list(SPIDER.index)
        assert list(line.get_ydata()) == pytest.approx(list(SPIDER[name]))
        assert fields.label(name, lang) in texts  # in the legend
    today = [line for line in ax.get_lines() if list(line.get_xdata()) == [0.0] and len(line.get_ydata()) == 1]
    assert len(today) == 1 and today[0].get_ydata()[0] == pytest.approx(BASE_PROFIT)
    assert fmt_percent(0.2, lang) in texts and fmt_percent(-0.2, lang) in texts


def fmt_percent(value: float, lang: str) -> str:
    return ck.fmt.percent(value, lang, decimals=1)


def test_spider_without_the_current_point_or_with_gaps_still_draws():
    table = SPIDER.drop(index=0.0)
    table.iloc[0, 0] = math.nan
    figure = plots.spider_chart(table, "profit", "en")
    _png(figure)
    assert not any(line.get_label().startswith("Today") for line in figure.axes[0].get_lines())


# heatmap ---------------------------------------------------------------------------------------


def _contours(figure: Figure) -> list[ContourSet]:
    return [artist for ax in figure.axes for artist in ax.get_children() if isinstance(artist, ContourSet)]


@pytest.mark.parametrize("lang", LANGS)
def test_heatmap_draws_the_break_even_line_when_the_grid_crosses_zero(lang):
    figure, texts = _rendered("heatmap", lang)
    assert GRID.to_numpy().min() < 0 < GRID.to_numpy().max()
    assert len(_contours(figure)) == 1
    assert i18n.tr("chart.break_even", lang) in texts
    ax = figure.axes[0]
    assert ax.get_xlabel() == fields.label("volume", lang)
    assert ax.get_ylabel() == fields.label("price_per_unit", lang)


def test_heatmap_has_no_line_when_the_grid_never_crosses_zero():
    grid = whatif.data_table("break_even", EGGS, {"price_per_unit": [3_000, 3_200], "volume": [1e6, 1.2e6]},
                             output="profit")
    assert (grid.to_numpy() > 0).all()
    figure = plots.heatmap_chart(grid, "profit", "vi")
    _png(figure)
    assert _contours(figure) == []
    assert i18n.tr("chart.break_even", "vi") not in _texts(figure)


def test_heatmap_with_nan_cells_skips_the_line_but_draws():
    grid = GRID.copy()
    grid.iloc[0, 0] = math.nan
    figure = plots.heatmap_chart(grid, "profit", "en")
    assert _png(figure).startswith(b"\x89PNG")
    assert _contours(figure) == []


def test_heatmap_other_outputs_and_levels_are_named():
    grid = whatif.data_table("break_even", EGGS, {"price_per_unit": PRICES, "volume": VOLUMES}, output="revenue")
    figure = plots.heatmap_chart(grid, "revenue", "en", contour=2_800e6)
    _png(figure)
    assert "Revenue of ₫2,800 million" in _texts(figure)


# price response --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_price_response_marks_the_best_and_the_current_price(lang):
    figure, texts = _rendered("price_response", lang)
    ax = figure.axes[0]
    best = [line for line in ax.get_lines() if line.get_gid() == "best_price"]
    assert len(best) == 1
    assert list(best[0].get_xdata()) == [BEST["price"]] and list(best[0].get_ydata()) == [BEST["profit"]]
    current = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert [list(line.get_xdata()) for line in current] == [[30_000, 30_000]]
    assert i18n.tr("chart.price.current", lang, price=ck.fmt.money(30_000, lang)) in texts
    assert fields.label("revenue", lang) in texts and fields.label("profit", lang) in texts


def test_price_response_without_marks_and_best_on_the_curve():
    figure = plots.price_response_chart(CURVE, "vi")
    _png(figure)
    assert not [line for line in figure.axes[0].get_lines() if line.get_gid() == "best_price"]
    figure = plots.price_response_chart(CURVE, "en", best_price=30_100.0, data=CURVE[["price", "quantity_sold"]])
    _png(figure)
    (best,) = [line for line in figure.axes[0].get_lines() if line.get_gid() == "best_price"]
    assert best.get_xdata()[0] == 30_100.0
    assert best.get_ydata()[0] == pytest.approx(CURVE.set_index("price").loc[30_000.0, "profit"])


# scenarios -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_scenario_chart_names_each_scenario_and_writes_its_values(lang):
    figure, texts = _rendered("scenario", lang)
    ax = figure.axes[0]
    names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert names == list(SCENARIOS.index)
    profit = SCENARIOS.loc["Kế hoạch năm 2025, bán ở chợ đầu mối Hà Đông", "profit"]
    million = ck.fmt.number(profit / 1e6, lang, decimals=1)
    assert any(million in t for t in texts)
    assert texts.count("—") == 2  # the scenario with bad inputs: one dash per output
    assert fields.label("revenue", lang) in texts  # legend of the two outputs


def test_scenario_chart_single_output_has_its_label_on_the_axis():
    figure = plots.scenario_chart(SCENARIOS, ["profit"], "vi")
    _png(figure)
    assert figure.axes[0].get_xlabel() == i18n.tr("chart.axis_unit", "vi", label="Lợi nhuận",
                                                  unit=i18n.tr("chart.million_vnd", "vi"))
    assert figure.get_figwidth() == plots.FIGURE_WIDTH



# readable on a phone ---------------------------------------------------------------------------
# The browser test (tests/browser/test_phone.py) measures each chart's shown width against
# FONT_SIZE at DPI; these keep the constants honest: no chart draws smaller text, none is wider.


def _app_figures():
    """The figure each workbook app draws for its default template, and the extra charts."""
    from coopkit import processing, reference, ui
    from coopkit.plots import risk as risk_plots
    from coopkit.plots import yields as yield_plots

    apps = {
        "unit_cost": (ui.UnitCostApp, {"product": "ca_phe_nhan_son_la"}),
        "break_even": (ui.BreakEvenApp, {"product": "trung_son_nam"}),
        "channel_pricing": (ui.ChannelPricingApp, {"product": "cam_lac_thuy"}),
        "yield_plan": (ui.YieldPlanApp, {"product": "cam_lac_thuy"}),
        "production_risk": (ui.ProductionRiskApp, {"product": "ca_phe_nhan_son_la"}),
        "crop_mix": (ui.CropMixApp, {}),
        "layer_flock": (ui.FlockApp, {"product": "trung_son_nam"}),
        "investment": (ui.InvestmentApp, {"equipment": "may_say_ca_phe"}),
        "cash_flow": (ui.CashFlowApp, {"product": "ca_phe_nhan_son_la"}),
        "member_income": (ui.MemberIncomeApp, {}),
        "ocop_stars": (ui.OcopApp, {"product": "mat_ong"}),
        "own_books": (ui.BooksApp, {}),
    }
    for name, (app_class, kwargs) in apps.items():
        app = app_class(lang="vi", **kwargs)
        yield name, app.render(app.result)[1]
    prices = reference.load_world_prices()
    yield "yield_trend", risk_plots.yield_trend_chart(reference.yield_trend(reference.load_coffee_yields()), "vi")
    yield "price_history", risk_plots.price_history_chart(reference.price_swings(prices, "robusta"), "vi",
                                                          other=reference.price_swings(prices, "arabica"))
    chain = processing.CHAINS["ca_phe_robusta"]
    plan = processing.chain_plan(chain.steps, 10_000, 15_000, lang="vi")
    yield "chain", yield_plots.chain_cost_chart(plan.table, 15_000, "vi", chain.raw_material("vi"))
    for name in sorted(CHARTS):
        yield name, CHARTS[name]("vi")


def test_every_chart_is_drawn_for_a_phone_column():
    """Every chart is FIGURE_WIDTH wide, draws no text smaller than FONT_SIZE (ticks, legends,
    notes, titles), and nothing sticks out sideways (the PNG, cropped to what is drawn, is no
    wider than the figure: a wider one would be shrunk more on a phone)."""
    from PIL import Image

    from coopkit.ui.base import figure_png

    checked = []
    for name, figure in _app_figures():
        png = figure_png(figure)
        width = Image.open(io.BytesIO(png)).width
        assert figure.get_figwidth() == plots.FIGURE_WIDTH, name
        assert width <= plots.FIGURE_WIDTH * plots.DPI + 16, (name, width)  # + the 0.08 in padding each side
        small = [(t.get_text(), t.get_fontsize()) for t in figure.findobj(Text)
                 if t.get_visible() and t.get_text().strip() and t.get_fontsize() < plots.FONT_SIZE]
        assert not small, (name, small)
        checked.append(name)
    assert len(checked) >= 18


def test_chart_style_applies_only_inside_a_chart():
    import matplotlib

    before = matplotlib.rcParams["axes.titlesize"]
    figure = plots.tornado_chart(TORNADO, BASE_PROFIT, "profit", "vi")
    assert figure.axes[0].title.get_fontsize() == plots.TITLE_SIZE
    assert matplotlib.rcParams["axes.titlesize"] == before


def test_every_public_chart_is_drawn_with_the_chart_style():
    import importlib

    for module_name in ("", ".cashflow", ".cropmix", ".finance", ".flock", ".members", ".risk", ".yields"):
        module = importlib.import_module(f"coopkit.plots{module_name}")
        for name in module.__all__:
            assert getattr(getattr(module, name), "__wrapped__", None) is not None, f"{module.__name__}.{name}"
