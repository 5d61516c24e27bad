"""The what-if workbench without a browser: pin, compare, goal seek, sensitivity, demand, save."""

from __future__ import annotations

import pytest

import coopkit as ck
from coopkit import data, exchange, fmt
from coopkit.store import ScenarioStore
from coopkit.ui import Lesson, WhatIfApp
from coopkit.ui.whatif_app import MODEL


@pytest.fixture
def app(tmp_path):
    return WhatIfApp(product="cam_lac_thuy", channel="shopee", store_root=str(tmp_path))


def test_starts_from_the_template_on_the_chosen_channel(app):
    oranges = data.load_products()["cam_lac_thuy"]
    shopee = data.load_channels()["shopee"]
    planned = oranges.cost_summary()
    inputs = ck.models.pricing_plan_inputs(shopee, oranges.price_per_unit, planned.fixed_costs,
                                           planned.variable_cost_per_unit, oranges.volume_per_season)
    expected = ck.evaluate(MODEL, inputs)
    assert app.error is None
    assert app.result.profit == pytest.approx(expected["profit"], rel=1e-6)
    assert f'data-key="profit" data-value="{app.result.profit!r}"' in app.results.value
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert "ck-ready" in app.view._dom_classes


def test_only_the_first_section_is_on_the_page_until_opened(app):
    assert app.section_boxes["scenarios"].children and not app.section_boxes["goal"].children
    app.sections.selected_index = 1
    assert app.section_boxes["goal"].children


def test_every_choice_starts_chosen_in_both_languages(app):
    """ipywidgets leaves a drop-down empty when its options change; the app must not."""
    for lang in ("vi", "en", "vi"):
        app.set_lang(lang)
        assert app.goal_output.value == "profit" and app.goal_input.value == "list_price"
        assert app.sensitivity_output.value == "profit" and app.table_output.value == "profit"
        assert app.demand_kind.value == "linear" and app.channel_choice.value == "shopee"


def test_constant_elasticity_curve_can_be_chosen(app):
    app.demand_kind.value = "constant_elasticity"
    assert app.result.curve.kind == "constant_elasticity"
    assert app.result.curve.elasticity(16_000) < 0


def test_best_price_is_the_top_of_the_price_profit_curve(app):
    best, curve = app.result.best, app.result.response
    assert best.profit >= curve["profit"].max() - 1e-6 * abs(best.profit)
    assert f'data-key="best_price" data-value="{best.price!r}"' in app.results.value


def test_changing_the_channel_takes_its_fees(app):
    app.channel_choice.value = "farm_gate"
    farm = data.load_channels()["farm_gate"]
    assert app.result.inputs["commission_rate"] == pytest.approx(farm.commission_rate)
    assert app.result.outputs["net_per_unit"] == pytest.approx(app.result.inputs["list_price"])


def test_pin_two_scenarios_and_compare(app):
    app.scenario_name.value = "Kế hoạch"
    app.pin()
    app.control("list_price").value = 28_000
    app.control("volume").unit_choice.value = "kg"
    app.control("volume").value = 128_000
    app.pin("Shopee 28.000 ₫, mất mùa 20 %")
    table = app.comparison()
    assert list(table.index) == ["Kế hoạch", "Shopee 28.000 ₫, mất mùa 20 %"]
    second = table.iloc[1]
    assert second["profit_change"] == pytest.approx(second["profit"] - table.iloc[0]["profit"])
    assert second["list_price"] == 28_000 and second["volume"] == pytest.approx(128_000)
    assert "Shopee 28.000 ₫, mất mùa 20 %" in app.pinned_table.value
    assert bytes(app.pinned_chart.value).startswith(b"\x89PNG")
    assert 'class="ck-download ck-download-xlsx"' in app.downloads.value
    # Pinning the same name again replaces it; unpinning removes it.
    app.pin("Kế hoạch")
    assert len(app.pinned) == 2
    app.unpin("Kế hoạch")
    assert [s.name for s in app.pinned] == ["Shopee 28.000 ₫, mất mùa 20 %"]


def test_goal_seek_finds_the_price_and_applies_it(app):
    app.goal_output.value = "profit"
    app.goal_input.value = "list_price"
    app.goal_target.value = 500_000_000
    found = app.run_goal_seek()
    assert found is not None
    assert ck.evaluate(MODEL, {**app.result.inputs, "list_price": found})["profit"] == pytest.approx(500e6, rel=1e-6)
    assert f"data-value='{found!r}'" in app.goal_result.value
    app.apply_goal()
    assert app.result.outputs["profit"] == pytest.approx(500e6, rel=1e-3)  # the box shows whole đồng


def test_goal_seek_says_when_the_target_cannot_be_reached(app):
    app.goal_output.value = "margin"
    app.goal_input.value = "volume"
    app.goal_target.value = 95  # percent: fees alone take more than 5 % of the price
    assert app.run_goal_seek() is None
    assert "ck-status-error" in app.goal_result.value
    assert "Traceback" not in app.goal_result.value


def test_sensitivity_section_ranks_the_inputs(app):
    app.sections.selected_index = 2
    table = app.show_sensitivity()
    assert table["effect"].is_monotonic_decreasing
    assert table["input"].iloc[0] == "list_price"
    assert bytes(app.tornado_chart.value).startswith(b"\x89PNG")
    assert bytes(app.spider_chart.value).startswith(b"\x89PNG")


def test_data_table_cells_equal_single_evaluations(app):
    app.sections.selected_index = 4
    grid = app.show_table()
    price, volume = grid.index[1], grid.columns[2]
    alone = ck.evaluate(MODEL, {**app.result.inputs, "list_price": price, "volume": volume})["profit"]
    assert grid.loc[price, volume] == pytest.approx(alone)
    assert bytes(app.heatmap.value).startswith(b"\x89PNG")


def test_demand_pairs_drive_the_best_price(app):
    app.sections.selected_index = 3
    (p1, q1), _, (p3, q3) = app.demand_controls
    p3.text.value = ""
    q3.text.value = ""  # an empty row is skipped: two sales are enough
    curve = app.result.curve
    assert len(curve.prices) == 2
    assert curve.quantity(p1.read()) == pytest.approx(q1.read(), rel=1e-6)
    assert "ck-summary" in app.demand_result.value


def test_bad_demand_row_is_marked_beside_the_box(app):
    price_box, _ = app.demand_controls[0]
    price_box.text.value = "-5"
    assert app.error is not None
    assert price_box.error_text.startswith("⚠")
    assert "ck-stale" in app.results._dom_classes


def test_save_load_rename_delete_in_the_cooperative_folder(app, tmp_path):
    app.pin("Kế hoạch")
    app.save_pinned()
    assert "ck-status-error" in app.status.value  # no cooperative name yet
    app.owner.value = "HTX Cam Lạc Thủy"
    app.save_pinned()
    assert "ck-status-ok" in app.status.value
    store = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy")
    assert store.names() == ["Kế hoạch"]
    assert list(app.saved_choice.options) == ["Kế hoạch"]
    app.rename_saved("Kế hoạch", "Giá chợ")
    assert store.names() == ["Giá chợ"]
    app.unpin("Kế hoạch")
    assert app.saved_choice.value == "Giá chợ"
    app.load_button.click()
    assert [s.name for s in app.pinned] == ["Giá chợ"]
    app.delete_saved("Giá chợ")
    assert store.names() == []


def test_exported_file_imports_back(app):
    app.pin("Kế hoạch")
    app.control("list_price").value = 18_000
    app.pin("=1+1")
    content = exchange.scenarios_to_xlsx(app.pinned, lang="vi")
    app.pinned = []
    app.import_file(content)
    assert [s.name for s in app.pinned] == ["Kế hoạch", "=1+1"]
    app.upload.value = ()  # nothing chosen: nothing happens
    app._guard(lambda: app.import_file(b"not an excel file"))
    assert "ck-status-error" in app.status.value


def test_language_switch_relabels_everything(app):
    app.pin("Plan")
    app.set_lang("en")
    assert app.sections.get_title(0) == "Scenarios"
    assert fmt.money(app.result.profit, "en") in app.results.value
    assert "Profit change" in app.pinned_table.value
    app.set_lang("vi")
    assert app.sections.get_title(0) == "Kịch bản"


def test_lesson_page_holds_the_workbench():
    page = Lesson("what_if", lang="en")
    app = page.app(WhatIfApp, product="trung_son_nam", channel="farm_gate")
    page.set_lang("vi")
    assert app.lang == "vi" and app.error is None

