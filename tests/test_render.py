"""Charts drawn once (coopkit.plots.render): same picture as ``bbox_inches="tight"``, nothing cut,
texts remembered without changing a pixel; the garbage of a change collected after it."""

from __future__ import annotations

import gc
import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from coopkit import plots, reference, risk
from coopkit.plots import render
from coopkit.plots import risk as risk_plots
from coopkit.ui.base import figure_png, safe


def _image(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def _tight_size(figure: Figure) -> tuple[int, int]:
    """Width and height of matplotlib's own cropped PNG (two layouts), as figure_png made it before."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=plots.DPI, bbox_inches="tight", pad_inches=render.PAD)
    return Image.open(io.BytesIO(buffer.getvalue())).size


def _charts():
    simulation = risk.simulate_profit((95_000, 115_000, 150_000), (96_000, 101_625, 108_000),
                                      volume=(28_000, 32_000, 34_000), fixed_costs=354e6, seed=1)
    contract = risk.simulate_profit((95_000, 115_000, 150_000), (96_000, 101_625, 108_000),
                                    volume=(28_000, 32_000, 34_000), fixed_costs=354e6, seed=1,
                                    contract_share=0.7, contract_price=115_000)
    labels = ("Bán theo giá thị trường", "Hợp đồng cho 70% sản lượng")
    yield "histogram", lambda lang: risk_plots.profit_histogram(simulation, lang, other=contract, labels=labels)
    yield "s_curve", lambda lang: risk_plots.profit_s_curve(simulation, contract, lang, labels=labels)
    trend = reference.yield_trend(reference.load_coffee_yields(), start_year=2000)
    yield "yield_trend", lambda lang: risk_plots.yield_trend_chart(trend, lang)


CHARTS = dict(_charts())


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_chart_is_cropped_as_matplotlib_crops_it_legend_and_title_kept(name):
    """The legend under the chart and the title above it are outside the figure's box: the PNG
    keeps them, as tall and wide as matplotlib's ``bbox_inches="tight"`` (a few pixels apart:
    it crops to the ink, matplotlib to the texts' boxes)."""
    figure = CHARTS[name]("vi")
    width, height = Image.open(io.BytesIO(figure_png(figure))).size
    tight_width, tight_height = _tight_size(CHARTS[name]("vi"))
    assert abs(width - tight_width) <= 8, (width, tight_width)
    assert abs(height - tight_height) <= 8, (height, tight_height)
    assert height > figure.get_figheight() * plots.DPI  # the legend below the figure's box is in


def test_a_text_far_outside_the_figure_is_kept_within_the_room_drawn():
    figure = Figure(figsize=(plots.FIGURE_WIDTH, 2.0))
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 1])
    inside = Image.open(io.BytesIO(render.png(figure, plots.DPI))).size
    figure.text(0.5, -(render.ROOM[1] - 0.5) / 2.0, "dưới xa", ha="center")  # 2.5 in below the box
    below = Image.open(io.BytesIO(render.png(figure, plots.DPI))).size
    assert below[1] - inside[1] >= 2.0 * plots.DPI


def test_remembered_texts_draw_the_same_pixels_as_matplotlib(monkeypatch):
    """Layouts and glyph images kept between charts (positions to a quarter pixel) change no
    more than anti-aliasing: the same size, pixels equal but for faint edges."""
    cached = [figure_png(CHARTS[name]("en")) for name in sorted(CHARTS)]
    again = [figure_png(CHARTS[name]("en")) for name in sorted(CHARTS)]
    assert cached == again  # a chart drawn again (every text remembered) is the same PNG
    monkeypatch.setattr(render, "_CACHE_LAYOUTS", False)
    monkeypatch.setattr(render, "_RENDERERS", type(render._RENDERERS)())
    for name, png in zip(sorted(CHARTS), cached, strict=True):
        plain = figure_png(CHARTS[name]("en"))
        a, b = _image(png), _image(plain)
        assert a.shape == b.shape, name
        difference = np.abs(a - b)  # a glyph moved by up to 1/8 pixel: edges lighter or darker
        assert difference.mean() < 1.0, (name, difference.mean())
        assert difference.max() <= 96, (name, difference.max())
        assert (difference > 32).mean() < 0.005, name


def test_every_chart_is_one_draw_not_two():
    figure = CHARTS["histogram"]("vi")
    draws = []
    original = Figure.draw

    def counting(self, renderer):
        draws.append(renderer)
        return original(self, renderer)

    Figure.draw = counting
    try:
        figure_png(figure)
    finally:
        Figure.draw = original
    assert len(draws) == 1


# the garbage a change leaves --------------------------------------------------------------------


class _Shell:
    """What `safe` needs of an app."""

    name = "test"
    view = None

    def __init__(self):
        self.errors = []

    def show_input_error(self, err):
        self.errors.append(err)

    def show_unexpected_error(self):
        self.errors.append("unexpected")


def test_the_collector_is_held_during_a_change_and_young_garbage_freed_after():
    app, inner_app = _Shell(), _Shell()
    seen = []

    class Cycle:
        def __init__(self):
            self.me = self

    def inner():
        seen.append(("inner", gc.isenabled()))

    def outer():
        seen.append(("outer", gc.isenabled()))
        for _ in range(50):
            Cycle()  # garbage in a reference cycle, as a dropped figure is
        safe(inner_app, inner)()  # another app's callback inside (a chart following the results)
        seen.append(("after inner", gc.isenabled()))

    assert gc.isenabled()
    safe(app, outer)()
    assert gc.isenabled()
    assert seen == [("outer", False), ("inner", False), ("after inner", False)]
    assert not [o for o in gc.get_objects(generation=0) if isinstance(o, Cycle)]
    assert not [o for o in gc.get_objects() if isinstance(o, Cycle)]


def test_the_collector_comes_back_after_a_failing_change_and_stays_off_if_it_was():
    app = _Shell()

    def broken():
        raise RuntimeError("bug")

    safe(app, broken)()
    assert gc.isenabled() and app.errors == ["unexpected"]
    gc.disable()
    try:
        safe(app, lambda: None)()
        assert not gc.isenabled()  # someone else turned it off: left off
    finally:
        gc.enable()


# a chart of two panels, drawn as two parts -------------------------------------------------------


def _investment(lang="vi", **changes):
    from coopkit.ui.invest_app import InvestmentApp

    app = InvestmentApp(lang=lang)
    for field, value in changes.items():
        app.control(field).value = value
    assert app.error is None
    return app.result


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_investment_chart_in_two_parts_is_the_same_image(lang):
    from coopkit.plots.finance import investment_chart, investment_stack

    for result in (_investment(lang), _investment(lang, grace_months=6, months=48)):
        whole = _image(figure_png(investment_chart(result, lang)))
        parts = _image(figure_png(investment_stack(result, lang)))
        assert whole.shape == parts.shape
        assert np.abs(whole - parts).max() <= 2  # the same pixels: nothing cut where the parts meet


def test_a_change_that_leaves_the_loan_as_it_was_draws_only_the_cash_flow_panel():
    from coopkit.plots.finance import investment_stack

    today, cheaper, other = (_investment(), _investment(purchase_price=400_000_000),
                             _investment(loan_amount=100_000_000))
    render._PARTS.clear()  # the apps above have drawn their charts already
    first = investment_stack(today, "vi")
    figure_png(first)
    assert sorted(first._figures) == [0, 1]
    again = investment_stack(cheaper, "vi")
    png = figure_png(again)
    assert sorted(again._figures) == [1]  # the loan panel's pixels were kept
    render._PARTS.clear()
    assert png == figure_png(investment_stack(cheaper, "vi"))  # as if drawn whole
    figure_png(first)
    other_loan = investment_stack(other, "vi")
    figure_png(other_loan)
    assert sorted(other_loan._figures) == [0, 1]
    assert other_loan.get_figwidth() == plots.FIGURE_WIDTH and other_loan.findobj()


# a lesson chart that follows an app ---------------------------------------------------------------


def test_a_chart_following_an_app_is_redrawn_after_the_apps_own_chart():
    """Workbook 6's S-curve follows the risk app's results; in a kernel (an event loop runs) it
    is redrawn once the change's message is handled, so the app's histogram is sent first;
    without a loop (a script), at once.

    The test runs in a thread of its own: in the whole test run, Playwright's synchronous API (the
    browser tests) leaves an event loop marked as running in the main thread, where it never turns."""
    import asyncio
    import threading

    failures: list[BaseException] = []

    def in_a_clean_thread():
        try:
            _chart_following_an_app()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(error)

    thread = threading.Thread(target=in_a_clean_thread)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the check did not finish in 300 s"
    if failures:
        raise failures[0]


def _chart_following_an_app():
    import asyncio

    from coopkit.ui.risk_app import FigureView, ProductionRiskApp

    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()  # no loop runs here: the first change redraws at once

    app = ProductionRiskApp(lang="vi")
    drawn = []

    def draw(lang):
        drawn.append(app.chart.value)  # the app's chart when the S-curve is drawn
        return risk_plots.profit_s_curve(app.result.market, app.result.contract, lang)

    view = FigureView(draw, follow=app.results)
    fixed = app.control("fixed_costs")
    fixed.value = fixed.value * 1.5
    assert len(drawn) == 2 and drawn[-1] != app.chart.value  # at once: before the app's new chart
    before = view.image.value

    async def change():
        fixed.value = fixed.value * 1.2
        assert len(drawn) == 2 and view.image.value == before  # not yet
        await asyncio.sleep(0)

    asyncio.run(change())
    assert len(drawn) == 3 and drawn[-1] == app.chart.value  # after the app's new chart
    assert view.image.value != before
