"""Workbook 8 (the laying flock) in a real browser, as a manager uses it.

The page's numbers are checked against `coopkit.flock.flock_plan` with the inputs the boxes
show; bad input must be explained beside its box, never as a traceback.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from coopkit import data, fmt
from coopkit.flock import Flock, flock_plan
from coopkit.ui.flock_app import flock_defaults

from .conftest import open_app, result_cell as _cell, type_into as _type

pytestmark = pytest.mark.browser


def _shown_flock() -> Flock:
    """The flock as the workbook starts: the egg template's values, money in whole đồng."""
    start = flock_defaults(data.load_products()["trung_son_nam"])
    return Flock(hens=5_000, laying_rate=start.laying_rate, other_costs_per_month=round(start.other_costs_per_month),
                 other_cost_per_egg=round(start.other_cost_per_egg), price_per_egg=start.price_per_egg)


def test_flock_workbook_computes_eggs_and_cost_per_egg_and_explains_bad_input(voila_server, page):
    app = open_app(page, voila_server, "08_layer_flock.ipynb")
    expect(app.locator(".ck-title")).to_have_text("Đàn gà đẻ: trứng, thức ăn và giá thành mỗi quả")
    start = flock_plan(_shown_flock())
    expect(_cell(app, "eggs_per_day")).to_have_text(fmt.number(start.eggs_per_day, "vi"))
    expect(_cell(app, "cost_per_egg")).to_have_text(fmt.money(start.cost_per_egg, "vi"))
    expect(app.locator(".ck-chart img")).to_be_visible()
    expect(page.locator(".ck-lesson-example b").first).to_have_text("3.000")

    # 8 000 hens at the same rate, feed at 9 800 ₫/kg.
    _type(app, "hens", "8.000")
    _type(app, "feed_price_per_kg", "9.800")
    expected = flock_plan(replace(_shown_flock(), hens=8_000, feed_price_per_kg=9_800))
    expect(_cell(app, "eggs_per_day")).to_have_text(fmt.number(expected.eggs_per_day, "vi"))
    expect(_cell(app, "cost_per_egg")).to_have_text(fmt.money(expected.cost_per_egg, "vi"))
    expect(_cell(app, "break_even_price_per_egg")).to_have_text(fmt.money(expected.break_even_price_per_egg, "vi"))
    expect(_cell(app, "profit")).to_have_text(fmt.money(expected.profit, "vi"))

    # Bad input: the message sits beside its box and the results are marked as not updated.
    _type(app, "hens", "-5")
    expect(app.locator(".ck-field-hens .ck-error")).to_contain_text("phải lớn hơn 0")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    _type(app, "feed_g_per_hen_day", "")
    expect(app.locator(".ck-field-feed_g_per_hen_day .ck-error")).to_contain_text("ô này đang trống")
    assert "Traceback" not in page.locator("body").inner_text()

    _type(app, "hens", "8.000")
    _type(app, "feed_g_per_hen_day", "115")
    expect(app.locator(".ck-field-hens .ck-error")).to_have_text("")
    expect(_cell(app, "cost_per_egg")).to_have_text(fmt.money(expected.cost_per_egg, "vi"))


def test_flock_workbook_reads_the_laying_rate_from_the_curve(voila_server, make_page):
    page = make_page(locale="en-US")
    app = open_app(page, voila_server, "08_layer_flock.ipynb", lang="en")
    expect(app.locator(".ck-field-age_weeks")).to_be_hidden()
    app.locator(".ck-mode button", has_text="By age (laying curve)").click()
    expect(app.locator(".ck-field-age_weeks")).to_be_visible()
    expect(app.locator(".ck-field-laying_rate")).to_be_hidden()
    _type(app, "age_weeks", "25")
    expected = flock_plan(replace(_shown_flock(), laying_rate=None, age_weeks=25))
    expect(_cell(app, "eggs_per_day")).to_have_text(fmt.number(expected.eggs_per_day, "en"))
    expect(_cell(app, "cost_per_egg")).to_have_text(fmt.money(expected.cost_per_egg, "en"))

    # A negative age is explained beside its box, in English.
    _type(app, "age_weeks", "-3")
    expect(app.locator(".ck-field-age_weeks .ck-error")).to_contain_text("cannot be negative")
