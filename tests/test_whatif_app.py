"""The what-if workbench without a browser: pin, compare, goal seek, sensitivity, demand, save."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape

import pytest

import coopkit as ck
from coopkit import data, exchange, fmt, i18n
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
    inputs = ck.models.pricing_plan_inputs(shopee, fixed_costs=planned.fixed_costs, list_price=oranges.price_per_unit,
                                           variable_cost_per_unit=planned.variable_cost_per_unit,
                                           volume=oranges.volume_per_season)
    expected = ck.whatif.evaluate(MODEL, inputs)
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
        assert app.goal.output.value == "profit" and app.goal.input.value == "list_price"
        assert app.sensitivity.output.value == "profit" and app.table.output.value == "profit"
        assert app.demand.kind.value == "linear" and app.channel_choice.value == "shopee"


def test_constant_elasticity_curve_can_be_chosen(app):
    app.demand.kind.value = "constant_elasticity"
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
    app.scenarios.scenario_name.value = "Kế hoạch"
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
    assert "Shopee 28.000 ₫, mất mùa 20 %" in app.scenarios.pinned_table.value
    assert bytes(app.scenarios.pinned_chart.value).startswith(b"\x89PNG")
    assert 'class="ck-download ck-download-xlsx"' in app.scenarios.downloads.value
    # Pinning the same name again replaces it; unpinning removes it.
    app.pin("Kế hoạch")
    assert len(app.pinned) == 2
    app.unpin("Kế hoạch")
    assert [s.name for s in app.pinned] == ["Shopee 28.000 ₫, mất mùa 20 %"]


def test_goal_seek_finds_the_price_and_applies_it(app):
    app.goal.output.value = "profit"
    app.goal.input.value = "list_price"
    app.goal.target.value = 500_000_000
    found = app.run_goal_seek()
    assert found is not None
    assert ck.whatif.evaluate(MODEL, {**app.result.inputs, "list_price": found})["profit"] == pytest.approx(500e6, rel=1e-6)
    assert f"data-value='{found!r}'" in app.goal.answer.value
    app.apply_goal()
    assert app.result.outputs["profit"] == pytest.approx(500e6, rel=1e-3)  # the box shows whole đồng


def test_goal_seek_says_when_the_target_cannot_be_reached(app):
    app.goal.output.value = "margin"
    app.goal.input.value = "volume"
    app.goal.target.value = 95  # percent: fees alone take more than 5 % of the price
    assert app.run_goal_seek() is None
    assert "ck-status-error" in app.goal.answer.value
    assert "Traceback" not in app.goal.answer.value


def test_sensitivity_section_ranks_the_inputs(app):
    app.sections.selected_index = 2
    table = app.show_sensitivity()
    assert table["effect"].is_monotonic_decreasing
    assert table["input"].iloc[0] == "list_price"
    assert bytes(app.sensitivity.tornado_chart.value).startswith(b"\x89PNG")
    assert bytes(app.sensitivity.spider_chart.value).startswith(b"\x89PNG")


def test_data_table_cells_equal_single_evaluations(app):
    app.sections.selected_index = 4
    grid = app.show_table()
    price, volume = grid.index[1], grid.columns[2]
    alone = ck.whatif.evaluate(MODEL, {**app.result.inputs, "list_price": price, "volume": volume})["profit"]
    assert grid.loc[price, volume] == pytest.approx(alone)
    assert bytes(app.table.heatmap.value).startswith(b"\x89PNG")


def test_demand_pairs_drive_the_best_price(app):
    app.sections.selected_index = 3
    (p1, q1), _, (p3, q3) = app.demand_controls
    p3.text.value = ""
    q3.text.value = ""  # an empty row is skipped: two sales are enough
    curve = app.result.curve
    assert len(curve.prices) == 2
    assert curve.quantity(p1.read()) == pytest.approx(q1.read(), rel=1e-6)
    assert "ck-summary" in app.demand.result.value


def test_bad_demand_row_is_marked_beside_the_box(app):
    price_box, _ = app.demand_controls[0]
    price_box.text.value = "-5"
    assert app.error is not None
    assert price_box.error_text.startswith("⚠")
    assert "ck-stale" in app.results._dom_classes


def test_save_load_rename_delete_in_the_cooperative_folder(app, tmp_path):
    app.pin("Kế hoạch")
    app.save_pinned()
    assert "ck-status-error" in app.scenarios.status.value  # no cooperative name yet
    app.scenarios.owner.value = "HTX Cam Lạc Thủy"
    app.save_pinned()
    assert "ck-status-ok" in app.scenarios.status.value
    store = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy")
    assert store.names() == ["Kế hoạch"]
    assert list(app.scenarios.saved_choice.options) == ["Kế hoạch"]
    app.rename_saved("Kế hoạch", "Giá chợ")
    assert store.names() == ["Giá chợ"]
    app.unpin("Kế hoạch")
    assert app.scenarios.saved_choice.value == "Giá chợ"
    app.scenarios.load_button.click()
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
    app.scenarios.upload.value = ()  # nothing chosen: nothing happens
    app.scenarios.guard(lambda: app.import_file(b"not an excel file"))
    assert "ck-status-error" in app.scenarios.status.value


def test_language_switch_relabels_everything(app):
    app.pin("Plan")
    app.set_lang("en")
    assert app.section_title(0) == "Scenarios"
    assert fmt.money(app.result.profit, "en") in app.results.value
    assert "Profit change" in app.scenarios.pinned_table.value
    app.set_lang("vi")
    assert app.section_title(0) == "Kịch bản"


def test_lesson_page_holds_the_workbench():
    page = Lesson("what_if", lang="en")
    app = page.app(WhatIfApp, product="trung_son_nam", channel="farm_gate")
    page.set_lang("vi")
    assert app.lang == "vi" and app.error is None



# Issue 10, section 2: one question, one answer ------------------------------------------------


def _shopee_28000_128_tonnes(app):
    """The issue's steps: Shopee, 28.000 ₫, 128 tấn."""
    app.channel_choice.value = "shopee"
    app.control("list_price").value = 28_000
    volume = app.control("volume")
    assert volume.unit_choice.value == "tan"
    volume.text.value = "128"


def test_headline_curve_and_best_price_agree_for_the_plan_on_screen(tmp_path):
    """Regression (issue 10): the headline said +62,6 million at 28.000 ₫ while the price–profit
    curve said about −480 million there and the best price earned −483 million."""
    app = WhatIfApp(product="cam_lac_thuy", channel="trader", store_root=str(tmp_path))
    _shopee_28000_128_tonnes(app)
    result = app.result
    assert result.inputs["list_price"] == 28_000 and result.inputs["volume"] == 128_000
    headline = result.outputs["profit"]
    assert result.best.profit >= headline
    curve = result.response.set_index("price")["profit"]
    assert curve.index.min() <= 28_000 <= curve.index.max()
    assert curve.loc[28_000] == headline  # the curve at the current price is the headline, exactly
    assert result.best.profit >= curve.max()
    # The example sales follow the plan on screen: the middle one is 28.000 ₫ and 128 tấn.
    (_, _), (p2, q2), (_, _) = app.demand_controls
    assert p2.read() == 28_000 and q2.read() == 128_000


def test_example_sales_are_said_to_be_examples_next_to_the_best_price(app):
    price, volume = app.result.inputs["list_price"], app.result.inputs["volume"]
    for lang, tonnes in (("vi", "tấn"), ("en", "tonnes")):
        app.set_lang(lang)
        html = app.results.value
        note = i18n.tr("demand.example_note", lang, price=fmt.money(price, lang),
                       volume=f"{fmt.number(volume / 1_000, lang, decimals=3)} {tonnes}",
                       elasticity=fmt.number(-1.5, lang, decimals=1))
        assert escape(note) in html
        assert html.index('data-key="best_price"') < html.index("ck-demand-example-note")
    # Once the manager types their own sales, they are no longer examples.
    price_box, _ = app.demand_controls[0]
    price_box.value = 13_000
    assert not app.result.examples
    assert "ck-demand-example-note" not in app.results.value
    assert app.result.curve.prices[0] == 13_000
    app.use_example_sales()
    assert app.result.examples and "ck-demand-example-note" in app.results.value


# Issue 10, section 6: units, names, tabs, import ------------------------------------------------


def test_results_and_pinned_table_follow_the_unit_of_the_volume_box(app):
    """Regression (issue 10): the pinned table showed "160.000" beside a "160 tấn" box."""
    volume = app.control("volume")
    assert volume.unit_choice.value == "tan" and volume.text.value == "160"
    app.control("list_price").value = 28_000  # a price that breaks even on Shopee
    app.pin("Kế hoạch")
    table = app.scenarios.pinned_table.value
    assert "Sản lượng (tấn)" in table
    assert 'data-key="volume:Kế hoạch" data-value="160.0">160<' in table
    break_even_kg = app.result.outputs["break_even_volume"]
    assert f'data-key="break_even_volume" data-value="{break_even_kg / 1_000!r}"' in app.results.value
    (_, q1), _, _ = app.demand_controls
    assert q1.text.value == fmt.number(1.3 * 160, "vi", decimals=3)  # example sales in tấn too
    assert q1.text.value == "208"
    volume.unit_choice.value = "kg"
    assert 'data-key="volume:Kế hoạch" data-value="160000.0">160.000<' in app.scenarios.pinned_table.value
    assert "Sản lượng (kg)" in app.scenarios.pinned_table.value
    assert f'data-key="break_even_volume" data-value="{break_even_kg!r}"' in app.results.value
    assert q1.read() == pytest.approx(1.3 * 160_000) and q1.text.value == "208.000"
    assert app.result.inputs["volume"] == 160_000


def test_data_table_and_goal_answer_show_the_volume_in_its_unit(app):
    app.control("list_price").value = 28_000
    app.sections.selected_index = 4
    app.show_table()
    assert "Sản lượng (tấn)" in app.table.grid_table.value and "&gt;160<" not in app.table.grid_table.value
    assert ">160</th>" in app.table.grid_table.value
    app.goal.output.value = "profit"
    app.goal.input.value = "volume"
    app.goal.target.value = 0
    found = app.run_goal_seek()
    assert f"{fmt.number(found / 1_000, 'vi', decimals=3)} tấn</b>" in app.goal.answer.value


def test_a_pinned_name_has_the_saved_names_length_limit(app):
    from coopkit.store import MAX_NAME_LENGTH

    app.scenarios.scenario_name.value = "x" * (MAX_NAME_LENGTH + 1)
    app.scenarios.pin_button.click()
    assert app.pinned == [] and "ck-status-error" in app.scenarios.status.value
    assert str(MAX_NAME_LENGTH) in app.scenarios.status.value
    assert app.error is None and "ck-stale" not in app.results._dom_classes
    app.scenarios.scenario_name.value = "x" * MAX_NAME_LENGTH
    app.scenarios.pin_button.click()
    assert [s.name for s in app.pinned] == ["x" * MAX_NAME_LENGTH]


def _upload(app, name, content):
    app.scenarios.upload.value = ({"name": name, "type": "", "size": len(content), "content": memoryview(content),
                         "last_modified": datetime.now(timezone.utc)},)


def test_a_large_or_non_excel_upload_is_refused_with_a_message_and_nothing_is_lost(app):
    app.pin("Kế hoạch")
    big = b"PK\x03\x04" + b"\0" * (20_000_000 - 4)
    _upload(app, "kich-ban-gia.xlsx", big)
    assert "ck-status-error" in app.scenarios.status.value
    assert "20 MB" in app.scenarios.status.value and "5 MB" in app.scenarios.status.value
    assert [s.name for s in app.pinned] == ["Kế hoạch"]
    assert app.scenarios.upload.value == ()  # the same file can be chosen again
    _upload(app, "anh-cam.jpg", b"\xff\xd8\xff\xe0 a photo")
    assert "không phải là tệp Excel" in app.scenarios.status.value
    assert [s.name for s in app.pinned] == ["Kế hoạch"]
    app.set_lang("en")
    _upload(app, "kich-ban-gia.xlsx", big)
    assert "more than the 5 MB this page accepts" in app.scenarios.status.value
    good = exchange.scenarios_to_xlsx([app.current_scenario("Giá mới")], lang="vi")
    _upload(app, "kich-ban-gia.xlsx", good)
    assert [s.name for s in app.pinned] == ["Kế hoạch", "Giá mới"]


def test_a_break_even_goal_is_typed_in_the_volume_boxs_unit(app):
    app.control("list_price").value = 28_000
    app.goal.output.value = "break_even_volume"
    app.goal.input.value = "list_price"
    assert "tấn" in app.goal.target._unit.value
    app.goal.target.value = 100  # tấn
    found = app.run_goal_seek()
    assert found is not None
    outputs = ck.whatif.evaluate(MODEL, {**app.result.inputs, "list_price": found})
    assert outputs["break_even_volume"] == pytest.approx(100_000, rel=1e-6)
    assert "100 tấn" in app.goal.answer.value


def test_own_sales_that_take_less_than_the_plan_are_told_beside_the_results(app):
    """The plan sells all 160 tấn; the manager's sales say buyers take about 100 tấn at that
    price: the page says so and gives the curve's profit at the plan's price."""
    for (price_box, quantity_box), (p, q) in zip(app.demand_controls,
                                                 [(14_000, 120_000), (16_000, 100_000), (18_000, 80_000)]):
        price_box.value = p
        quantity_box.value = q
    result = app.result
    assert not result.examples and result.plan.demand_below_plan
    assert result.plan.quantity_sold == pytest.approx(100_000)
    expected = i18n.tr("demand.below_plan", "vi", price=fmt.money(16_000, "vi"), quantity="100 tấn",
                       volume="160 tấn", profit=fmt.money(result.plan.profit, "vi"))
    assert escape(expected) in app.results.value
    assert result.best.profit >= result.plan.profit
    assert "ck-demand-own-note" in app.results.value
