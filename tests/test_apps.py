"""The apps without a browser: set widget values as a manager would, read what the app shows."""

from __future__ import annotations

import re
from html import escape

import pytest

import coopkit as ck
from coopkit import data, fmt, workbooks
from coopkit.ui import BreakEvenApp, ChannelPricingApp, Lesson, UnitCostApp
from coopkit.ui.lesson import page_title


@pytest.fixture(scope="module")
def products():
    return data.load_products()


def test_unit_cost_app_starts_with_the_template_result(products):
    app = UnitCostApp(product="ca_phe_nhan_son_la")
    p = products["ca_phe_nhan_son_la"]
    expected = ck.costs.cost_summary(p.all_cost_items(), p.volume_per_season, p.area_ha, p.units_per_batch)
    assert app.result.unit_cost == pytest.approx(expected.unit_cost)
    assert app.error is None
    assert f'data-key="unit_cost" data-value="{expected.unit_cost!r}"' in app.results.value
    assert fmt.money(expected.unit_cost, "vi") in app.results.value
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert "ck-ready" in app.view._dom_classes


def test_changing_the_volume_recomputes_the_unit_cost(products):
    app = UnitCostApp(product="cam_lac_thuy")
    p = products["cam_lac_thuy"]
    app.control("volume").unit_choice.value = "kg"
    app.control("volume").value = 200_000
    expected = ck.costs.cost_summary(p.all_cost_items(), 200_000, p.area_ha, p.units_per_batch)
    assert app.result.unit_cost == pytest.approx(expected.unit_cost)


def test_volume_typed_in_tonnes_is_converted(products):
    app = UnitCostApp(product="cam_lac_thuy")
    volume = app.control("volume")
    volume.unit_choice.value = "tan"
    volume.text.value = "120"
    assert app.result.summary.volume == pytest.approx(120_000)
    volume.unit_choice.value = "ta"  # same quantity, shown in tạ
    assert volume.text.value == "1.200"
    assert app.result.summary.volume == pytest.approx(120_000)


def test_area_in_sao_changes_the_per_hectare_costs(products):
    app = UnitCostApp(product="cam_lac_thuy")
    p = products["cam_lac_thuy"]
    area = app.control("area_ha")
    area.unit_choice.value = "sao_bac_bo"
    assert area.read() == pytest.approx(p.area_ha, rel=1e-4)
    area.text.value = "100"  # 100 sào Bắc Bộ = 3.6 ha
    expected = ck.costs.cost_summary(p.all_cost_items(), p.volume_per_season, 3.6, p.units_per_batch)
    assert app.result.summary.total_costs == pytest.approx(expected.total_costs)


def test_processing_inputs_change_the_raw_material_cost(products):
    app = UnitCostApp(product="ca_phe_nhan_son_la")
    before = app.result.unit_cost
    app.control("conversion_ratio").value = 6.5
    assert app.result.unit_cost > before
    p = products["ca_phe_nhan_son_la"]
    assert app.result.raw_input_needed == pytest.approx(ck.raw_input_needed(p.volume_per_season, 6.5, p.loss_rate))


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [("volume", "0", "not_positive")],  # letters, nothing, negative, huge: tests/test_app_errors.py
)
def test_bad_volume_shows_a_message_beside_the_box_and_keeps_results(field, text, reason):
    app = UnitCostApp(product="cam_lac_thuy")
    good = app.result
    app.control(field).text.value = text
    assert app.error is not None and app.error.reason == reason
    assert app.control(field).error_text.startswith("⚠")
    assert "Traceback" not in app.control(field).error_text
    assert app.result is good
    assert "ck-stale" in app.results._dom_classes
    app.control(field).text.value = "100"
    assert app.error is None and app.control(field).error_text == ""
    assert "ck-stale" not in app.results._dom_classes


def test_negative_cost_item_is_named_in_the_message(products):
    app = UnitCostApp(product="cam_lac_thuy")
    item = products["cam_lac_thuy"].cost_items[0]
    control = app.control(f"cost.{item.key}")
    control.text.value = "-5.000"
    assert item.name_vi in control.error_text and "âm" in control.error_text
    app.set_lang("en")
    assert item.name_en in control.error_text and "negative" in control.error_text


def test_break_even_app_matches_the_domain(products):
    app = BreakEvenApp(product="trung_son_nam")
    app.control("price_per_unit").value = 3_000
    fixed = app.control("fixed_costs").read()
    variable = app.control("variable_cost_per_unit").read()
    volume = app.control("volume").read()
    be, _table = app.result
    assert be.break_even_volume == pytest.approx(ck.break_even_volume(fixed, 3_000, variable))
    assert be.profit == pytest.approx(ck.profit(fixed_costs=fixed, price_per_unit=3_000, variable_cost_per_unit=variable, volume=volume))
    assert f'data-key="break_even_volume" data-value="{be.break_even_volume!r}"' in app.results.value


def test_price_below_variable_cost_says_so_in_words():
    app = BreakEvenApp(product="trung_son_nam")
    variable = app.control("variable_cost_per_unit").read()
    app.control("price_per_unit").value = round(variable * 0.8)
    message = app.control("price_per_unit").error_text
    assert "hòa vốn" in message and app.error.reason == "below_variable_cost"
    app.set_lang("en")
    assert "break-even" in app.control("price_per_unit").error_text


def test_price_slider_drives_the_price_box():
    app = BreakEvenApp(product="trung_son_nam")
    price = app.control("price_per_unit")
    price.slider.value = 3_500
    assert price.text.value == "3.500"
    assert app.result[0].price_per_unit == 3_500


def test_channel_app_compares_every_channel(products):
    app = ChannelPricingApp(product="cam_lac_thuy")
    app.control("list_price").value = 30_000
    channels = data.load_channels()
    cost = app.control("cost_per_unit").read()
    expected = ck.compare_channels(channels.values(), list_price=30_000, cost_per_unit=cost, target_margin=0.2,
                                   lang="vi")
    assert list(app.result["key"]) == list(channels)
    assert app.result["net_per_unit"].tolist() == pytest.approx(expected["net_per_unit"].tolist())
    shopee = ck.channel_result(channels["shopee"], list_price=30_000, cost_per_unit=cost).net_per_unit
    assert f'data-key="net_per_unit:shopee" data-value="{shopee!r}"' in app.results.value


def test_channel_app_shows_the_date_of_the_fees_each_channel_uses():
    """Issue 10: the fees' date is on the page, per channel, in the manager's language."""
    app = ChannelPricingApp(product="cam_lac_thuy", lang="vi")
    html = app.results.value
    assert ">Phí theo biểu ngày</th>" in html
    assert 'data-key="fees_as_of:shopee">01/07/2025</td>' in html  # Shopee's infrastructure fee
    assert 'data-key="fees_as_of:tiktok_shop">27/10/2025</td>' in html  # TikTok Shop's order-processing fee
    assert 'data-key="fees_as_of:supermarket">giả định minh họa</td>' in html
    assert 'data-key="fees_as_of:farm_gate">không thu phí</td>' in html
    app.set_lang("en")
    assert ">Fees as published on</th>" in app.results.value
    assert 'data-key="fees_as_of:shopee">1 July 2025</td>' in app.results.value


def test_what_if_app_shows_the_date_of_the_channels_fees(tmp_path):
    from coopkit.ui.whatif_app import WhatIfApp

    what_if = WhatIfApp(product="cam_lac_thuy", channel="shopee", store_root=str(tmp_path))
    assert "Phí theo biểu ngày 01/07/2025" in what_if.channel_note.value
    what_if.set_channel("tiktok_shop")
    assert "Phí theo biểu ngày 27/10/2025" in what_if.channel_note.value
    what_if.set_lang("en")
    assert "Fees as published on 27 October 2025" in what_if.channel_note.value
    what_if.set_channel("farm_gate")
    assert "This channel charges no fees" in what_if.channel_note.value


def test_language_switch_relabels_and_reformats():
    app = ChannelPricingApp(product="cam_lac_thuy", lang="vi")
    app.control("list_price").value = 1_250_000
    assert app.control("list_price").text.value == "1.250.000"
    assert "Giá bán theo kênh" in app.title.value
    app.set_lang("en")
    assert app.control("list_price").text.value == "1,250,000"
    assert "Pricing by sales channel" in app.title.value
    assert "₫1,250,000" in app.results.value
    assert app.product_choice.label == data.load_products()["cam_lac_thuy"].name("en")


def test_picking_another_product_reloads_its_template(products):
    app = UnitCostApp(product="cam_lac_thuy")
    old_box = app.control("volume").text
    app.product_choice.value = "trung_son_nam"
    assert old_box.comm is None  # the old inputs are closed, not left in the kernel
    p = products["trung_son_nam"]
    assert {c.field for c in app.controls} >= {f"cost.{i.key}" for i in p.cost_items}
    expected = ck.costs.cost_summary(p.all_cost_items(), p.volume_per_season, p.area_ha, p.units_per_batch)
    assert app.result.unit_cost == pytest.approx(expected.unit_cost)


def test_an_unexpected_failure_shows_a_short_message_not_a_traceback(monkeypatch):
    app = BreakEvenApp(product="trung_son_nam")
    monkeypatch.setattr(ck, "break_even", lambda *a, **k: 1 / 0)
    app.control("fixed_costs").value = 1_000_000
    assert "giảng viên" in app.summary.value and "Traceback" not in app.summary.value
    assert "ck-stale" in app.results._dom_classes


def _meta(switch) -> str:
    """The hidden element of the page's switch that carries the language and the tab's title."""
    return switch.children[1].value


def test_lesson_page_switches_the_app_and_the_text_together():
    workbook = workbooks.find("break_even")
    titles = {lang: workbooks.header(workbook, lang).title for lang in workbooks.LANGUAGES}
    assert titles["vi"].startswith("2. Hòa vốn") and titles["en"].startswith("2. Break-even")
    page = Lesson("break_even", lang="vi")
    switch = page.switch()
    assert page.toggle in switch.children
    assert "data-ck-lang='vi'" in _meta(switch) and escape(page_title(titles["vi"])) in _meta(switch)
    app = page.app(BreakEvenApp, product="trung_son_nam")
    assert app.toggle is None  # one switch per page, at the top
    page.toggle.value = "en"
    assert "data-ck-lang='en'" in _meta(switch) and escape(page_title(titles["en"])) in _meta(switch)
    assert app.lang == "en" and "Break-even" in app.title.value
    page.set_lang("vi")
    assert page.toggle.value == "vi" and app.lang == "vi" and "data-ck-lang='vi'" in _meta(switch)


@pytest.mark.parametrize(("value", "kind"), [(333_333.3333, "money"), (1_095_000, "count"), (0.125, "rate"), (56.8, "number")])
def test_worked_answer_is_written_in_the_page_language(value, kind):
    page = Lesson("break_even", lang="vi")
    answer = page.answer(value, kind=kind)
    vi, en = fmt.by_kind(value, kind, "vi"), fmt.by_kind(value, kind, "en")
    assert vi != en
    assert escape(vi) in answer.value and f"data-value='{float(value)!r}'" in answer.value
    page.set_lang("en")
    assert escape(en) in answer.value and escape(vi) not in answer.value
    assert f"data-value='{float(value)!r}'" in answer.value


def test_page_app_is_the_registry_app_with_its_product():
    import dataclasses

    workbook = workbooks.find("break_even")
    page = Lesson("break_even", lang="en")
    app = page.app()
    assert type(app) is workbook.app_class() is BreakEvenApp
    assert app.product_key == workbook.product == "trung_son_nam"
    assert app.lang == "en" and app.toggle is None and page.apps == [app]
    # The entry decides: another product in notebooks/workbooks.toml, another app's product.
    page.workbook = dataclasses.replace(workbook, product="cam_lac_thuy")
    assert page.app().product_key == "cam_lac_thuy"
    # A keyword in the notebook's cell wins over the entry.
    assert page.app(product="ca_phe_nhan_son_la").product_key == "ca_phe_nhan_son_la"
    with pytest.raises(TypeError):
        Lesson("start", lang="vi").app()


def test_start_page_links_keep_the_language():
    page = Lesson("start", lang="en")
    box = page.workbook_list()
    html = box.children[0].value
    entries = workbooks.workbooks()
    assert len(entries) >= 11 and html.count("ck-workbook-link") == len(entries)
    assert re.findall(r"href='([^']+)'", html) == [f"{w.notebook}?lang=en" for w in entries] + ["quiz.ipynb?lang=en"]
    assert html.count("ck-quiz-link") == 1 and "Before-and-after quiz" in html
    for workbook in entries:
        head = workbooks.header(workbook, "en")
        assert escape(head.title) in html and escape(head.summary) in html, workbook.notebook
    page.set_lang("vi")
    html = box.children[0].value
    assert re.findall(r"href='([^']+)'", html) == [f"{w.notebook}?lang=vi" for w in entries] + ["quiz.ipynb?lang=vi"]
    assert all(escape(workbooks.header(w, "vi").title) in html for w in entries)
    assert escape(workbooks.header(entries[0], "en").title) not in html


@pytest.mark.parametrize("decimals", [0, 2])
def test_language_switch_keeps_the_decimals_a_person_typed(decimals):
    """A box that shows whole numbers must not round "30,5" to "30" when the language switches."""
    from coopkit.ui.controls import NumberBox, PercentBox

    box = NumberBox("volume", 30, "vi", decimals=decimals)
    box.text.value = "30,5"
    box.set_lang("en")
    assert box.text.value == "30.5" and box.read() == 30.5
    box.set_lang("vi")
    assert box.text.value == "30,5"

    rate = PercentBox("loss_rate", 0.05, "vi")
    rate.text.value = "12,25"
    rate.set_lang("en")
    assert rate.read() == pytest.approx(0.1225)


def test_break_even_volume_follows_the_unit_of_the_volume_box(products):
    """Issue 10 §6: volume typed in tấn, break-even volume shown in tấn (and back in kg)."""
    app = BreakEvenApp(product="cam_lac_thuy", lang="vi")
    volume = app.control("volume")
    volume.unit_choice.value = "tan"
    be = app.result[0]
    shown = f'data-key="break_even_volume" data-value="{be.break_even_volume / 1000!r}"'
    assert shown in app.results.value
    assert "Sản lượng hòa vốn (tấn)" in app.results.value
    volume.unit_choice.value = "kg"
    assert f'data-key="break_even_volume" data-value="{be.break_even_volume!r}"' in app.results.value
    assert "Sản lượng hòa vốn (kg)" in app.results.value
    volume.unit_choice.value = "ta"
    app.set_lang("en")
    assert "Break-even volume (tạ)" in app.results.value
    assert f'data-value="{be.break_even_volume / 100!r}"' in app.results.value


def test_raw_material_needed_is_in_the_unit_of_the_volume_box(products):
    app = UnitCostApp(product="ca_phe_nhan_son_la", lang="en")
    app.control("volume").unit_choice.value = "tan"
    raw = app.result.raw_input_needed
    assert f'data-key="raw_input_needed" data-value="{raw / 1000!r}"' in app.results.value
    assert "Raw material needed, tonnes" in app.results.value
