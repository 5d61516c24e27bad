"""The what-if workbench in a real browser: pin two scenarios, goal-seek, export and import."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import coopkit as ck
import coopkit.models  # noqa: F401  (ck.models)
from coopkit import data, exchange, fields, fmt
from coopkit.ui.whatif_app import MODEL

from .conftest import open_app, result_cell, type_into as _type

pytestmark = pytest.mark.browser


def _tab(page, title: str) -> None:
    page.locator(".ck-sections button.ck-section-tab", has_text=title).click()


def _fill(app, field: str, text: str) -> None:
    """Type into a box that changes nothing until a button is pressed (the goal's target): there
    is no update to wait for."""
    box = app.locator(f".ck-field-{field} input").first
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value(text)


def _value(locator) -> float:
    return float(locator.get_attribute("data-value"))


def test_pin_two_scenarios_goal_seek_and_export(voila_server, page, tmp_path):
    app = open_app(page, voila_server, "04_what_if_pricing.ipynb")
    expect(app.locator(".ck-title")).to_contain_text("nếu… thì sao")
    profit = app.locator('.ck-results td[data-key="profit"]')
    expect(profit).to_have_count(1)
    expect(app.locator(".ck-chart img")).to_be_visible()

    # Pin the plan (sold to traders), then Shopee at 28 000 ₫ with a 20 % smaller harvest.
    oranges, shopee = data.load_products()["cam_lac_thuy"], data.load_channels()["shopee"]
    app.locator(".ck-scenario-name input").fill("Kế hoạch")
    app.locator("button.ck-pin").click()
    expect(app.locator(".ck-status")).to_contain_text("Đã ghim “Kế hoạch”")
    app.locator(".ck-channel select").select_option(label="Shopee")
    expect(app.locator(".ck-field-commission_rate .ck-readout")).to_have_text(fmt.percent(shopee.commission_rate, "vi"))
    _type(app, "list_price", "28.000")
    expect(app.locator(".ck-field-list_price input")).to_have_value("28.000")
    app.locator(".ck-field-volume select").select_option(label="kg")
    # Wait for the box to show the harvest in kg before typing (the kernel converts it).
    expect(app.locator(".ck-field-volume input").first).to_have_value(fmt.number(oranges.volume_per_season, "vi", decimals=3))
    _type(app, "volume", "128.000")
    plan = oranges.cost_summary()  # the boxes show whole đồng and the app computes with what they show
    inputs = ck.models.pricing_plan_inputs(shopee, fixed_costs=round(plan.fixed_costs), list_price=28_000,
                                           variable_cost_per_unit=round(plan.variable_cost_per_unit), volume=128_000)
    expect(profit).to_have_attribute("data-value", repr(ck.whatif.evaluate(MODEL, inputs)["profit"]))
    app.locator(".ck-scenario-name input").fill("Shopee 28.000 ₫, mất mùa 20 %")
    app.locator("button.ck-pin").click()
    rows = app.locator(".ck-pinned tbody tr")
    expect(rows).to_have_count(2)
    second = app.locator('.ck-pinned td[data-key="profit:Shopee 28.000 ₫, mất mùa 20 %"]')
    first = app.locator('.ck-pinned td[data-key="profit:Kế hoạch"]')
    change = app.locator('.ck-pinned td[data-key="profit_change:Shopee 28.000 ₫, mất mùa 20 %"]')
    assert _value(change) == pytest.approx(_value(second) - _value(first))
    expect(app.locator(".ck-pinned-chart")).to_be_visible()

    # Goal seek: which price gives a profit of 500 million đồng at this volume?
    _tab(page, "Tìm giá trị mục tiêu")
    app.locator(".ck-goal-output select").select_option(label=fields.label("profit", "vi"))
    app.locator(".ck-goal-input select").select_option(label=fields.label("list_price", "vi"))
    _fill(app, "target", "500.000.000")
    app.locator("button.ck-goal-run").click()
    answer = app.locator(".ck-goal-answer b")
    expect(answer).to_have_count(1)
    price = _value(answer)
    app.locator("button.ck-goal-apply").click()
    expect(app.locator(".ck-field-list_price input")).to_have_value(fmt.number(price, "vi", decimals=0))
    # The box keeps whole đồng, so the profit is 500 million give or take the volume's worth of 1 đồng.
    expect(profit).to_have_attribute("data-value", re.compile(r"^(499|500)\d{6}(\.\d*)?$"))

    # An unreachable goal is said in words.
    app.locator(".ck-goal-output select").select_option(label=fields.label("margin", "vi"))
    _fill(app, "target", "99")
    app.locator("button.ck-goal-run").click()
    expect(app.locator(".ck-goal-result")).to_contain_text("Không có giá trị nào")

    # Export: the Excel file holds the two pinned scenarios, and imports back.
    _tab(page, "Kịch bản")
    with page.expect_download() as info:
        app.locator("a.ck-download-xlsx").click()
    download = info.value
    assert download.suggested_filename == "kich-ban-gia.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    scenarios = exchange.scenarios_from_xlsx(path)
    assert [s.name for s in scenarios] == ["Kế hoạch", "Shopee 28.000 ₫, mất mùa 20 %"]
    assert scenarios[1].inputs["list_price"] == 28_000 and scenarios[1].inputs["volume"] == 128_000
    assert ck.whatif.evaluate(MODEL, scenarios[1].inputs)["profit"] == pytest.approx(_value(second), rel=1e-9)

    with page.expect_download() as info:
        app.locator("a.ck-download-csv").click()
    assert info.value.suggested_filename == "kich-ban-gia.csv"

    app.locator(".ck-pinned-choice select").select_option(label="Kế hoạch")
    app.locator("button.ck-unpin").click()
    expect(rows).to_have_count(1)
    with page.expect_file_chooser() as chooser:
        app.locator(".ck-upload").click()
    chooser.value.set_files(str(path))
    expect(app.locator(".ck-status")).to_contain_text("Đã nhập và ghim 2 kịch bản")
    expect(rows).to_have_count(2)
    assert "Traceback" not in page.locator("body").inner_text()


def test_save_and_reopen_in_the_cooperative_folder(voila_server, page):
    app = open_app(page, voila_server, "04_what_if_pricing.ipynb", lang="en")
    app.locator(".ck-scenario-name input").fill("Plan")
    app.locator("button.ck-pin").click()
    app.locator("button.ck-save").click()
    expect(app.locator(".ck-status")).to_contain_text("is empty")
    app.locator(".ck-owner input").fill("Test Cooperative")
    app.locator(".ck-owner input").press("Enter")
    app.locator("button.ck-save").click()
    expect(app.locator(".ck-status")).to_contain_text("Saved 1 scenarios")
    expect(app.locator(".ck-saved-choice select option")).to_have_count(1)
    app.locator(".ck-pinned-choice select").select_option(label="Plan")
    app.locator("button.ck-unpin").click()
    expect(app.locator(".ck-pinned")).to_contain_text("No scenario pinned yet")
    app.locator("button.ck-load").click()
    expect(app.locator('.ck-pinned td[data-key="profit:Plan"]')).to_have_count(1)
    saved = list((voila_server.log_path.parent / "scenarios" / "test-cooperative").glob("*.json"))
    assert len(saved) == 1


def test_section_tabs_fit_a_phone_and_the_pinned_table_scrolls_sideways(voila_server, make_page):
    """Issue 10: on a 412 px phone the tabs read "Kịch bả…"; at 1366 px the pinned table was cut."""
    page = make_page(viewport={"width": 412, "height": 915})
    app = open_app(page, voila_server, "04_what_if_pricing.ipynb")
    tabs = app.locator(".ck-section-tab")
    expect(tabs).to_have_count(5)
    titles = ["Kịch bản", "Tìm giá trị mục tiêu", "Độ nhạy", "Giá và lượng bán", "Bảng dữ liệu"]
    for index, title in enumerate(titles):
        tab = tabs.nth(index)
        expect(tab).to_have_text(title)
        size = tab.evaluate("e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]")
        assert size[0] <= size[1], f"{title}: label clipped ({size[0]} > {size[1]} px)"
        assert size[2] <= 412, f"{title}: tab beyond the screen's right edge ({size[2]} px)"
    _tab(page, "Giá và lượng bán")
    expect(app.locator(".ck-section-tab-open")).to_have_text("Giá và lượng bán")
    expect(app.locator(".ck-demand-source")).to_contain_text("doanh số ví dụ")
    _tab(page, "Kịch bản")

    page.set_viewport_size({"width": 1366, "height": 900})
    for name in ("Kế hoạch", "Shopee 28.000 ₫, mất mùa 20 % — giá thử cho mùa sau"):
        app.locator(".ck-scenario-name input").fill(name)
        app.locator("button.ck-pin").click()
    expect(app.locator(".ck-pinned tbody tr")).to_have_count(2)
    for width in (1366, 412):
        page.set_viewport_size({"width": width, "height": 900})
        shape = app.locator(".ck-pinned table").evaluate(_SCROLL_BOX_JS)
        assert shape is not None, f"{width} px: the pinned table is in no sideways-scrolling box"
        assert shape["right"] <= width, f"{width} px: the table's box is cut at the right ({shape})"
        assert shape["scroll"] >= shape["table"] - 1  # the whole table is reachable by scrolling
        assert shape["box"] >= shape["table"] - 1 or shape["scroll"] > shape["client"]


# The table's nearest box (up to .ck-pinned) that scrolls sideways: its edges and widths.
_SCROLL_BOX_JS = """t => {
    for (let e = t.parentElement; e; e = e.parentElement) {
        const overflow = getComputedStyle(e).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') {
            const r = e.getBoundingClientRect();
            return {right: r.right, box: r.width, client: e.clientWidth, scroll: e.scrollWidth,
                    table: t.getBoundingClientRect().width};
        }
        if (e.classList.contains('ck-pinned')) break;
    }
    return null;
}"""


def test_a_20_mb_file_gets_a_message_and_the_page_keeps_working(voila_server, page, tmp_path):
    """Issue 10: a 20 MB file given to the import dropped the page's connection without a word."""
    app = open_app(page, voila_server, "04_what_if_pricing.ipynb")
    app.locator(".ck-scenario-name input").fill("Kế hoạch")
    app.locator("button.ck-pin").click()
    expect(app.locator(".ck-pinned tbody tr")).to_have_count(1)
    big = tmp_path / "kich-ban-gia.xlsx"
    big.write_bytes(b"PK\x03\x04" + bytes(20_000_000 - 4))
    with page.expect_file_chooser() as chooser:
        app.locator(".ck-upload").click()
    chooser.value.set_files(str(big))
    status = app.locator(".ck-status")
    expect(status).to_contain_text("nặng 20 MB", timeout=60_000)
    expect(status).to_contain_text("giới hạn 5 MB")
    expect(app.locator(".ck-pinned tbody tr")).to_have_count(1)  # nothing the manager had is lost
    # The connection is alive: the page still answers.
    _type(app, "list_price", "28.000")
    expect(result_cell(app, "profit")).to_have_attribute("data-value", re.compile(r"^-?\d"))
    expect(app.locator(".ck-results td[data-key='best_price']")).to_have_count(1)
    photo = tmp_path / "anh-cam.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a workbook")
    with page.expect_file_chooser() as chooser:
        app.locator(".ck-upload").click()
    chooser.value.set_files(str(photo))
    expect(status).to_contain_text("không phải là tệp Excel")
