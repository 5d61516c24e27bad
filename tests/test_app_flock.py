"""Workbook 08, the laying flock: the app (coopkit.ui.flock_app) without a browser."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopkit import data, fmt
from coopkit.errors import InputError
from coopkit.flock import Flock, flock_plan


@pytest.fixture(scope="module")
def eggs_template():
    return data.load_products()["trung_son_nam"]


@pytest.fixture
def app():
    from coopkit.ui.flock_app import FlockApp

    return FlockApp()


def _shown_flock(app) -> Flock:
    """The flock as the boxes show it (money boxes show whole đồng)."""
    from coopkit.ui.flock_app import flock_defaults

    start = flock_defaults(app.product)
    return Flock(hens=5_000, laying_rate=round(start.laying_rate * 200) / 200,
                 other_costs_per_month=round(start.other_costs_per_month),
                 other_cost_per_egg=round(start.other_cost_per_egg), price_per_egg=start.price_per_egg)


def test_app_starts_with_the_son_nam_plan(app, eggs_template):
    expected = flock_plan(_shown_flock(app))
    assert app.error is None
    assert app.result.eggs_per_day == pytest.approx(expected.eggs_per_day)
    assert app.result.cost_per_egg == pytest.approx(expected.cost_per_egg)
    assert app.result.eggs_per_day == pytest.approx(3_000, rel=0.05)
    assert app.control("price_per_egg").value == eggs_template.price_per_unit
    assert app.control("other_cost_per_egg").value < 1_000  # the feed item is not counted twice
    html = app.results.value
    assert f'data-key="cost_per_egg" data-value="{app.result.cost_per_egg!r}"' in html
    assert fmt.money(app.result.cost_per_egg, "vi") in html
    assert 'data-key="eggs:12"' in html
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert "ck-ready" in app.view._dom_classes
    assert [key for _label, key in app.product_choice.options] == ["trung_son_nam"]


def test_app_without_losses_gives_3000_eggs_and_100_trays(app):
    app.control("mortality_per_month").value = 0.0
    assert app.result.eggs_per_day == pytest.approx(3_000)
    assert app.result.trays_per_day == pytest.approx(100)
    assert 'data-key="trays_per_day" data-value="100.0"' in app.results.value


def test_app_recomputes_when_inputs_change(app):
    app.control("hens").value = 10_000
    app.control("feed_price_per_kg").value = 10_000
    expected = flock_plan(replace(_shown_flock(app), hens=10_000, feed_price_per_kg=10_000))
    assert app.result.eggs_per_day == pytest.approx(expected.eggs_per_day)
    assert app.result.cost_per_egg == pytest.approx(expected.cost_per_egg)


def test_app_reads_the_rate_from_the_curve_by_age(app):
    rate = app.control("laying_rate")
    app.control("laying_mode").value = "curve"
    app.control("age_weeks").value = 25
    assert rate.box.layout.display == "none"
    assert app.control("age_weeks").box.layout.display is None
    expected = flock_plan(replace(_shown_flock(app), laying_rate=None, age_weeks=25))
    assert app.result.eggs_per_day == pytest.approx(expected.eggs_per_day)
    app.control("laying_mode").value = "flat"
    assert app.control("age_weeks").box.layout.display == "none"
    assert app.result.eggs_per_day == pytest.approx(flock_plan(_shown_flock(app)).eggs_per_day)


def test_laying_rate_zero_is_explained_beside_the_slider(app):
    app.control("laying_rate").value = 0.0
    assert app.error.reason == "no_eggs"
    assert "không đẻ quả trứng nào" in app.control("laying_rate").error_text
    app.control("laying_rate").value = 0.6
    assert app.error is None and app.control("laying_rate").error_text == ""


def test_a_bad_hidden_input_does_not_block_the_other_mode(app):
    app.control("laying_mode").value = "curve"
    app.control("age_weeks").text.value = "-3"
    assert app.error.field == "age_weeks"
    app.control("laying_mode").value = "flat"
    assert app.error is None
    assert app.control("age_weeks").error_text == ""


def test_app_switches_language(app):
    app.set_lang("en")
    assert "Laying flock" in app.title.value
    assert app.control("hens").text.value == "5,000"
    assert fmt.money(app.result.cost_per_egg, "en") in app.results.value
    assert [label for label, _key in app.control("laying_mode").widget.options] == [
        "Flat laying rate", "By age (laying curve)"]


def test_app_refuses_a_product_that_is_not_eggs():
    from coopkit.ui.flock_app import FlockApp

    with pytest.raises(InputError) as excinfo:
        FlockApp(product="cam_lac_thuy")
    assert excinfo.value.reason == "unknown_product"


def test_lesson_page_drives_the_app():
    from coopkit.ui import Lesson
    from coopkit.ui.flock_app import FlockApp

    page = Lesson("layer_flock", lang="vi")
    switch = page.switch()
    app = page.app(FlockApp, product="trung_son_nam")
    assert "Đàn gà đẻ" in switch.children[1].value and "data-ck-lang='vi'" in switch.children[1].value
    page.set_lang("en")
    assert app.lang == "en" and "The laying flock" in switch.children[1].value and "data-ck-lang='en'" in switch.children[1].value
