"""The output-plan app without a browser: set inputs as a manager would, read what it shows."""

from __future__ import annotations


import pytest
from helpers import assert_input_error

from coopkit import data, fmt, processing, yields
from coopkit.errors import InputError
from coopkit.ui import Lesson
from coopkit.ui.yield_app import YieldPlanApp


@pytest.fixture(scope="module")
def products():
    return data.load_products()


@pytest.fixture
def app():
    return YieldPlanApp(product="cam_lac_thuy")


def test_starts_with_the_orange_template_plan(app, products):
    expected = yields.plan_from_template(products["cam_lac_thuy"])
    assert app.error is None
    assert app.result.plan.marketable_kg == pytest.approx(expected.marketable_kg)
    assert app.result.plan.revenue == pytest.approx(expected.revenue)
    assert f'data-key="marketable_kg" data-value="{app.result.plan.marketable_kg!r}"' in app.results.value
    assert fmt.money(expected.revenue, "vi") in app.results.value
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert bytes(app.chain_chart.value).startswith(b"\x89PNG")
    assert "ck-ready" in app.view._dom_classes


def test_only_land_based_templates_are_offered(app, products):
    keys = [key for _label, key in app.product_choice.options]
    assert keys and all(products[key].area_ha > 0 for key in keys)
    with pytest.raises(InputError) as excinfo:
        YieldPlanApp(product="ca_phe_nhan_son_la")
    assert_input_error(excinfo, "area_ha", "not_positive")


def test_area_in_sao_updates_the_marketable_output(app):
    area = app.control("area_ha")
    area.unit_choice.value = "sao_bac_bo"
    assert area.read() == pytest.approx(10, rel=1e-4)
    area.text.value = "100"  # 100 sào Bắc Bộ = 3.6 ha
    yield_kg = app.control("yield_kg_per_ha").read()
    assert app.result.plan.area_ha == pytest.approx(3.6)
    assert app.result.plan.marketable_kg == pytest.approx(yields.marketable_output(3.6, yield_kg, 0.05))


def test_yield_loss_and_costs_recompute(app):
    app.control("yield_kg_per_ha").value = 20_000
    app.control("loss_rate").value = 0.1
    app.control("season_costs").value = 1_000_000_000
    plan = app.result.plan
    assert plan.marketable_kg == pytest.approx(10 * 20_000 * 0.9)
    assert plan.cost_per_sellable_kg == pytest.approx(1e9 / 180_000)
    assert plan.profit == pytest.approx(plan.revenue - 1e9)
    assert app.control("loss_rate").slider.value == pytest.approx(10)


def test_loss_slider_moves_the_box(app):
    app.control("loss_rate").slider.value = 20
    assert app.control("loss_rate").text.value == "20"
    assert app.result.plan.loss_rate == pytest.approx(0.2)


def test_a_loss_of_120_percent_is_explained_beside_the_box(app):
    before = app.result
    app.control("loss_rate").text.value = "120"
    assert app.error is not None and app.error.reason == "not_a_fraction"
    assert "120%" in app.control("loss_rate").error_text
    assert "Hao hụt sau thu hoạch" in app.control("loss_rate").error_text
    assert app.result is before
    assert "ck-stale" in app.results._dom_classes
    app.control("loss_rate").text.value = "5"
    assert app.error is None and app.control("loss_rate").error_text == ""


def test_grade_shares_must_add_up_and_the_message_says_the_sum(app):
    app.control("grade_share:loai_3").text.value = "0"
    text = app.control("grade_share:loai_3").error_text
    assert "90%" in text and "100%" in text
    app.control("grade_share:loai_1").text.value = "70"
    assert app.error is None
    assert app.result.plan.grades[0].share == pytest.approx(0.7)


def test_grade_price_changes_revenue(app):
    app.control("grade_price:loai_1").value = 25_000
    plan = app.result.plan
    assert plan.average_price_per_kg == pytest.approx(0.6 * 25_000 + 0.3 * 12_800 + 0.1 * 6_400)
    assert 'data-key="revenue:loai_1"' in app.results.value


def test_empty_and_bad_boxes_show_their_message(app):
    app.control("yield_kg_per_ha").text.value = ""
    assert "trống" in app.control("yield_kg_per_ha").error_text
    app.control("yield_kg_per_ha").text.value = "abc"
    assert "abc" in app.control("yield_kg_per_ha").error_text
    app.control("area_ha").text.value = "0"
    assert "lớn hơn 0" in app.control("area_ha").error_text


def test_processing_chain_part(app):
    target = app.control("sales_target_kg")
    target.unit_choice.value = "tan"
    target.text.value = "40"
    expected = processing.chain_plan(processing.CHAINS["ca_phe_robusta"].steps, 40_000, 15_000)
    assert app.result.chain.raw_material_kg == pytest.approx(expected.raw_material_kg)
    assert app.result.chain.final_cost_per_kg == pytest.approx(expected.final_cost_per_kg)
    assert 'data-key="cost_per_kg:3"' in app.results.value
    app.chain_choice.value = "che"
    assert app.control("raw_price_per_kg").read() == processing.CHAINS["che"].raw_price_per_kg
    tea = processing.chain_plan(processing.CHAINS["che"].steps, 40_000, 15_000)
    assert app.result.chain.raw_material_kg == pytest.approx(tea.raw_material_kg)
    assert "búp chè tươi" in app.control("raw_price_per_kg").label_text("vi")


def test_chain_quantities_follow_the_unit_of_the_sales_target(app):
    """Issue 10 §6: a target typed in tấn gives the raw material and each step's output in tấn."""
    target = app.control("sales_target_kg")
    target.unit_choice.value = "tan"
    target.text.value = "12"
    expected = processing.chain_plan(processing.CHAINS["ca_phe_robusta"].steps, 12_000, 15_000)
    html = app.results.value
    assert f'data-key="raw_material_kg" data-value="{expected.raw_material_kg / 1000!r}"' in html
    assert "Nguyên liệu cần mua: quả cà phê tươi (tấn)" in html
    last = float(expected.table["output_kg"].iloc[-1])
    assert f'data-key="output_kg:3" data-value="{last / 1000!r}"' in html
    assert "Đầu ra (tấn)" in html
    assert fmt.money(expected.final_cost_per_kg, "vi") in html  # money stays per kg
    target.unit_choice.value = "kg"  # the same target in kg: the results follow the unit
    assert f'data-key="raw_material_kg" data-value="{expected.raw_material_kg!r}"' in app.results.value
    assert "Đầu ra (kg)" in app.results.value
    target.unit_choice.value = "tan"
    app.set_lang("en")
    assert "Output (tonnes)" in app.results.value
    assert f'data-value="{expected.raw_material_kg / 1000!r}"' in app.results.value


def test_changing_product_keeps_the_chain_inputs(app, products):
    app.control("sales_target_kg").value = 5_000
    app.product_choice.value = "bi_xanh_dien_bien"
    melon = yields.plan_from_template(products["bi_xanh_dien_bien"])
    assert app.result.plan.marketable_kg == pytest.approx(melon.marketable_kg)
    assert app.control("sales_target_kg").read() == pytest.approx(5_000)
    assert app.result.plan.calendar == yields.HARVEST_CALENDARS["bi_xanh_dien_bien"]


def test_language_switch_keeps_values_and_relabels(app):
    app.control("loss_rate").value = 0.125
    app.set_lang("en")
    assert app.control("loss_rate").text.value == "12.5"
    assert app.control("loss_rate").label_text() == "Post-harvest loss"
    assert fmt.money(app.result.plan.revenue, "en") in app.results.value
    assert app.result.plan.loss_rate == pytest.approx(0.125)
    assert [label for label, _ in app.chain_choice.options][0] == "Roasted robusta coffee"
    app.control("loss_rate").text.value = "120"
    assert "must be from 0%" in app.control("loss_rate").error_text



def test_lesson_page_drives_the_app():
    page = Lesson("yield_plan", lang="vi")
    app = page.app(YieldPlanApp, product="cam_lac_thuy")
    page.set_lang("en")
    assert app.lang == "en"
    assert app.title.value == "<h2>Output plan and processing chain</h2>"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_text_shown_comes_from_the_catalogue(lang):
    # Keys built at run time (f"app.yield_plan.{key}") fall back to the key itself when missing.
    app = YieldPlanApp(product="cam_lac_thuy", lang=lang)
    shown = [app.results.value, app.title.value, app.help.value]
    shown += [heading.value for heading in app.headings.values()] + [app.chain_label.value]
    shown += [control.label_text(lang) for control in app.controls]
    for text in shown:
        assert text.strip()
        assert "app.yield_plan." not in text and "chart.yields." not in text and "field." not in text, text


def test_the_chain_chart_is_redrawn_only_when_the_chain_part_changes(app, monkeypatch):
    from coopkit.plots import yields as yield_plots

    calls = []
    real = yield_plots.chain_cost_chart
    monkeypatch.setattr(yield_plots, "chain_cost_chart", lambda *a, **k: calls.append(1) or real(*a, **k))
    app.control("yield_kg_per_ha").value = 12_000
    assert calls == []  # the orchard changed, the chain did not
    app.control("raw_price_per_kg").value = 18_000
    assert len(calls) == 1
    app.set_lang("en")  # new words on the chart
    assert len(calls) == 2
