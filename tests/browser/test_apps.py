"""The workbook apps in a real browser, as a manager uses them.

Each test opens a workbook from the Voila server the fixtures start, types into the boxes,
and checks what the page shows against what coopkit computes. `make_page` fails a test whose
page sent a request to any host but the local server or raised a JavaScript error.
"""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

import coopkit as ck
from coopkit import data, fmt
from coopkit.workbooks import workbooks

from .conftest import open_app, result_cell as _cell, type_into as _type

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

pytestmark = pytest.mark.browser


def test_unit_cost_app_updates_the_result_and_explains_bad_input(voila_server, page):
    app = open_app(page, voila_server, "01_unit_cost.ipynb")
    coffee = data.load_products()["ca_phe_nhan_son_la"]
    expect(app.locator(".ck-title")).to_have_text("Giá thành một đơn vị sản phẩm")
    expect(_cell(app, "unit_cost")).to_have_text(fmt.money(coffee.cost_summary().unit_cost, "vi"))
    expect(app.locator(".ck-chart img")).to_be_visible()

    # The planned 32 tonnes are shown in tấn; 20 tấn is 20 000 kg.
    expect(app.locator(".ck-field-volume select")).to_have_value("tấn (1.000 kg)")
    _type(app, "volume", "20")
    expected = ck.costs.cost_summary(coffee.all_cost_items(), 20_000, coffee.area_ha, coffee.units_per_batch).unit_cost
    expect(_cell(app, "unit_cost")).to_have_text(fmt.money(expected, "vi"))
    expect(_cell(app, "unit_cost")).to_have_attribute("data-value", repr(expected))

    _type(app, "volume", "0")
    expect(app.locator(".ck-field-volume .ck-error")).to_contain_text("phải lớn hơn 0")
    expect(app.locator(".ck-error-summary")).to_contain_text("chưa được cập nhật")
    _type(app, "volume", "")
    expect(app.locator(".ck-field-volume .ck-error")).to_contain_text("ô này đang trống")
    item = coffee.cost_items[0]
    _type(app, f"cost-{item.key}", "-100.000")
    expect(app.locator(f".ck-field-cost-{item.key} .ck-error")).to_contain_text("không được âm")
    assert "Traceback" not in page.locator("body").inner_text()

    _type(app, "volume", "20")
    _type(app, f"cost-{item.key}", fmt.number(item.amount, "vi"))
    expect(app.locator(".ck-field-volume .ck-error")).to_have_text("")
    expect(_cell(app, "unit_cost")).to_have_text(fmt.money(expected, "vi"))


def test_language_switch_changes_labels_and_money_format(voila_server, page):
    app = open_app(page, voila_server, "01_unit_cost.ipynb")
    coffee = data.load_products()["ca_phe_nhan_son_la"]
    expect(app.locator(".ck-field-volume .ck-input-label")).to_have_text("Sản lượng bán")
    page.locator(".ck-lang button", has_text="English").click()
    expect(app.locator(".ck-title")).to_have_text("What does one unit cost us?")
    expect(app.locator(".ck-field-volume .ck-input-label")).to_have_text("Volume sold")
    expect(_cell(app, "unit_cost")).to_have_text(fmt.money(coffee.cost_summary().unit_cost, "en"))
    expect(page.locator(".ck-lang-en.ck-header h1")).to_contain_text("Unit cost")
    page.locator(".ck-lang button", has_text="Tiếng Việt").click()
    expect(app.locator(".ck-title")).to_have_text("Giá thành một đơn vị sản phẩm")


def test_break_even_app_in_english_from_the_address(voila_server, page):
    app = open_app(page, voila_server, "02_break_even.ipynb", lang="en")
    eggs = data.load_products()["trung_son_nam"]
    plan = eggs.cost_summary()
    # The boxes show whole đồng (VND has no minor unit) and the app computes with what they show.
    fixed, variable = round(plan.fixed_costs), round(plan.variable_cost_per_unit)
    expect(app.locator(".ck-field-variable_cost_per_unit input")).to_have_value(fmt.number(variable, "en"))
    expect(app.locator(".ck-title")).to_have_text("Break-even")
    bev = ck.break_even_volume(fixed, eggs.price_per_unit, variable)
    expect(_cell(app, "break_even_volume")).to_have_text(fmt.number(bev, "en"))

    _type(app, "price_per_unit", "3,000")
    bev = ck.break_even_volume(fixed, 3_000, variable)
    expect(_cell(app, "break_even_volume")).to_have_text(fmt.number(bev, "en"))

    _type(app, "price_per_unit", "1,500")  # below the variable cost of about 2,067 ₫ an egg
    error = app.locator(".ck-field-price_per_unit .ck-error")
    expect(error).to_contain_text("no break-even volume")
    expect(error).to_contain_text("₫1,500")


def test_channel_app_shows_what_each_channel_leaves(voila_server, page):
    app = open_app(page, voila_server, "03_channel_pricing.ipynb")
    oranges = data.load_products()["cam_lac_thuy"]
    channels = data.load_channels()
    cost = round(oranges.cost_summary().unit_cost)  # the box shows whole đồng
    _type(app, "list_price", "45.000")
    shopee = ck.channel_result(channels["shopee"], list_price=45_000, cost_per_unit=cost)
    expect(_cell(app, "net_per_unit:shopee")).to_have_text(fmt.money(shopee.net_per_unit, "vi"))
    # the date of the fees each channel uses (issue 10): Shopee's infrastructure fee of 1 July 2025
    assert data.channel_fee_schedules()["shopee"].as_of == date(2025, 7, 1)
    expect(app.locator("th", has_text="Phí theo biểu ngày")).to_have_count(1)
    expect(_cell(app, "fees_as_of:shopee")).to_have_text("01/07/2025")
    for key in channels:
        expect(_cell(app, f"net_per_unit:{key}")).to_have_count(1)
    _type(app, "list_price", "")
    expect(app.locator(".ck-field-list_price .ck-error")).to_contain_text("trống")


def test_browser_language_is_used_without_a_lang_parameter(voila_server, make_page):
    page = make_page(locale="en-US")
    app = open_app(page, voila_server, "03_channel_pricing.ipynb")
    expect(app.locator(".ck-title")).to_have_text("Pricing by sales channel")


def test_start_page_lists_the_workbooks_and_opens_one(voila_server, page):
    start = open_app(page, voila_server, "00_start.ipynb")
    links = start.locator("a.ck-workbook-link")
    expect(links).to_have_count(len(workbooks()))
    expect(links.first).to_have_text("1. Giá thành: một kg sản phẩm tốn bao nhiêu?")
    page.locator(".ck-lang button", has_text="English").click()
    expect(links.first).to_have_text("1. Unit cost: what does one kilo cost us?")
    links.nth(1).click()
    page.wait_for_url("**/02_break_even.ipynb?lang=en")
    expect(page.locator(".ck-app-break_even.ck-ready .ck-title")).to_have_text("Break-even", timeout=60_000)


def test_preheated_kernels_still_follow_the_visitors_language(make_voila_server, make_page, tmp_path):
    """`make serve` keeps kernels warm: they run the notebook before anyone visits, then wait
    for the visit (voila.utils.wait_for_request) to learn ?lang= and the browser's language.
    The first visit comes later than the cell time-out, as in a room that fills slowly: the
    waiting cell must not time out (share/jupyter/config/voila.py exempts it; before, it did and the page could show
    the wrong language)."""
    shutil.copy(NOTEBOOKS / "02_break_even.ipynb", tmp_path / "02_break_even.ipynb")
    server = make_voila_server(notebooks=tmp_path, preheat=True, pool_size=1, env={"COOPKIT_CELL_TIMEOUT": "20"},
                               extra_args=("--VoilaExecutor.timeout=20",))  # the same without voila.py's function
    time.sleep(30)  # the preheated kernel has run the notebook and waited past the 20 s time-out
    for lang, locale, title in (("en", "vi-VN", "Break-even"), (None, "en-US", "Break-even"), ("vi", "en-US", "Điểm hòa vốn")):
        page = make_page(locale=locale)
        app = open_app(page, server, "02_break_even.ipynb", lang=lang)
        expect(app.locator(".ck-title")).to_have_text(title)
        _type(app, "fixed_costs", "0")
        expect(_cell(app, "break_even_volume")).to_have_attribute("data-value", "0.0")
        page.close()
    used = [line for line in server.log_text().splitlines() if "Using pre-heated kernel" in line and "02_break_even" in line]
    assert len(used) >= 2, f"visits did not get preheated kernels:\n{server.log_tail()}"
    assert "timed out" not in server.log_text(), server.log_tail()
