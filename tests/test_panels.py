"""Panels: the app shell places them, each renders a known result, switches language and shows
its errors beside its box (issue 11 §3)."""

from __future__ import annotations

import re

import pytest

from coopkit import demand, fields, fmt, i18n, whatif
from coopkit.ui import WhatIfApp
from coopkit.ui.base import App, Panel
from coopkit.ui.controls import NumberBox
from coopkit.ui.panels import MODEL, SHOWN_INPUTS, DemandPanel, GoalPanel, ScenariosPanel, SensitivityPanel, TablePanel


def _value(html: str, key: str) -> float:
    """The ``data-value`` of the cell whose ``data-key`` is ``key``."""
    found = re.search(rf"""data-key=["']{re.escape(key)}["'] data-value=["']([^"']+)["']""", html)
    assert found, f"no cell {key!r}"
    return float(found.group(1))


# -- the shell ------------------------------------------------------------------------------------------
class _CountingPanel(Panel):
    key = "count"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.rendered: list[float] = []
        self.languages: list[str] = []

    def title(self, lang: str) -> str:
        return f"count-{lang}"

    def render(self, result: float) -> None:
        self.rendered.append(result)

    def set_lang(self, lang: str) -> None:
        self.languages.append(lang)


class _TinyApp(App):
    """An app with one input, a picker and two panels; records the order the shell calls it in."""

    name = "unit_cost"

    def setup(self) -> None:
        self.calls = ["setup"]
        self.first = _CountingPanel(self)
        self.second = _CountingPanel(self)
        self.second.key = "count2"
        self.picker = NumberBox("fixed_costs", 1.0, self.lang)

    def pickers(self):
        return [self.picker.box]

    def panels(self):
        return [self.first, self.second]

    def build_controls(self):
        self.calls.append("build_controls")
        return [NumberBox("volume", 10.0, self.lang)]

    def compute(self) -> float:
        return self.read_all()["volume"]

    def render(self, result: float):
        return f"<p>{result}</p>", None


def test_the_shell_builds_the_page_after_setup_and_places_pickers_and_panels():
    app = _TinyApp("cam_lac_thuy", "vi")
    assert app.calls == ["setup", "build_controls"]
    assert app.panel_list == (app.first, app.second)
    boxes = list(_walk(app.view))
    # the picker sits under the product picker, above the inputs
    assert boxes.index(app.product_choice) < boxes.index(app.picker.box) < boxes.index(app.controls_box)
    sections = next(w for w in boxes if "ck-sections" in getattr(w, "_dom_classes", ()))
    assert app.sections in sections.children and boxes.index(app.results) < boxes.index(sections)
    assert [app.section_title(i) for i in range(2)] == ["count-vi", "count-vi"]
    # Only the open panel draws each new result; another draws it when opened.
    assert app.first.rendered == [10.0] and app.second.rendered == []
    app.controls[0].value = 12
    assert app.first.rendered == [10.0, 12.0] and app.second.rendered == []
    app.sections.selected_index = 1
    assert app.second.rendered == [12.0]
    assert app.section_boxes["count2"].children == (app.second.box,)
    # A language switch reaches every panel and its tab.
    app.set_lang("en")
    assert app.first.languages == ["en"] and app.second.languages == ["en"]  # once, though the toggle moved too
    assert app.section_title(0) == "count-en"
    # A bad input: no panel draws anything.
    assert app.second.rendered == [12.0, 12.0]  # the open panel redrawn in the new language
    app.controls[0].text.value = "abc"
    assert app.error is not None and app.second.rendered == [12.0, 12.0]
    # A click on the page's language toggle switches once too.
    app.toggle.value = "vi"
    assert app.first.languages == ["en", "vi"] and app.lang == "vi"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_an_app_without_panels_has_no_tabs():
    from coopkit.ui import BreakEvenApp

    app = BreakEvenApp("cam_lac_thuy", "vi")
    assert app.panel_list == () and app.open_panel is None
    assert not any("ck-sections" in w._dom_classes for w in _walk(app.view) if hasattr(w, "_dom_classes"))


# -- the what-if panels -----------------------------------------------------------------------------------
@pytest.fixture
def app(tmp_path):
    return WhatIfApp(product="cam_lac_thuy", channel="shopee", store_root=str(tmp_path))


def test_the_workbench_is_its_five_panels(app):
    kinds = [type(p) for p in app.panel_list]
    assert kinds == [ScenariosPanel, GoalPanel, SensitivityPanel, DemandPanel, TablePanel]
    assert [p.key for p in app.panel_list] == ["scenarios", "goal", "sensitivity", "demand", "table"]
    assert app.channel_row in list(_walk(app.view))


def test_sensitivity_panel_shows_the_tornado_of_the_result(app):
    panel = app.sensitivity
    panel.output.value = "margin"
    table = panel.render(app.result)
    expected = whatif.tornado(MODEL, app.result.inputs, "margin", change=0.2)
    expected = expected[expected["input"].isin(SHOWN_INPUTS)].reset_index(drop=True)
    assert list(table["input"]) == list(expected["input"])
    first = expected.iloc[0]
    assert _value(panel.tornado_table.value, f"effect:{first['input']}") == pytest.approx(first["effect"])
    assert bytes(panel.tornado_chart.value).startswith(b"\x89PNG")


def test_table_panel_cells_are_the_models_answers(app):
    grid = app.table.render(app.result)
    price, volume = grid.index[0], grid.columns[-1]
    alone = whatif.evaluate(MODEL, {**app.result.inputs, "list_price": price, "volume": volume})["profit"]
    assert grid.loc[price, volume] == pytest.approx(alone)
    assert fmt.money(price, "vi") in app.table.grid_table.value


def test_demand_panel_shows_the_curves_fit(app):
    app.demand.render(app.result)
    curve = app.result.curve
    assert _value(app.demand.result.value, "r_squared") == pytest.approx(curve.r_squared)
    assert "ck-demand-example-note" in app.demand.source.value
    prices, quantities = demand.example_sales(app.result.inputs["list_price"], app.result.inputs["volume"], "linear")
    assert [box.read() for box, _ in app.demand.controls] == pytest.approx(list(prices))
    assert [box.read() for _, box in app.demand.controls] == pytest.approx(list(quantities))


def test_scenarios_panel_pins_and_compares(app):
    app.scenarios.pin("Kế hoạch")
    profit = whatif.evaluate(MODEL, app.inputs())["profit"]
    assert _value(app.scenarios.pinned_table.value, "profit:Kế hoạch") == pytest.approx(profit)
    assert "ck-status-ok" in app.scenarios.status.value


def test_goal_panel_finds_the_price_for_a_profit(app):
    goal = app.goal
    goal.output.value, goal.input.value = "profit", "list_price"
    goal.target.value = 300_000_000
    found = goal.run()
    assert whatif.evaluate(MODEL, {**app.inputs(), "list_price": found})["profit"] == pytest.approx(3e8, rel=1e-6)
    assert _value(goal.answer.value, "list_price") == found


@pytest.mark.parametrize(("panel", "help_key"), [
    ("scenarios", "scenarios_help"), ("goal", "goal_help"), ("sensitivity", "sensitivity_help"),
    ("demand", "demand_help"), ("table", "table_help"),
])
def test_each_panel_switches_language(app, panel, help_key):
    shown = getattr(app, panel)
    assert shown.help.value == i18n.tr(f"app.what_if.{help_key}", "vi")
    app.set_lang("en")
    assert shown.help.value == i18n.tr(f"app.what_if.{help_key}", "en")
    assert shown.title("en") == i18n.tr(f"app.what_if.section.{panel}", "en")


def test_language_switch_relabels_choices_and_boxes_inside_panels(app):
    app.set_lang("en")
    assert dict(app.goal.output.options)[fields.label("profit", "en")] == "profit"
    assert app.goal.target.label_text() == fields.label("target", "en")
    price_box, _ = app.demand.controls[0]
    assert price_box.label_text() == i18n.tr("app.what_if.demand_price", "en", n=1)
    assert app.sensitivity.change.label_text() == fields.label("change", "en")


def test_a_bad_goal_target_is_shown_beside_its_box(app):
    app.goal.target.text.value = "nhiều"
    assert app.goal.run() is None
    assert app.goal.target.error_text.startswith("⚠")
    assert app.goal.answer.value == "" and app.error is None  # the inputs are fine: results stay


def test_a_bad_sale_is_shown_beside_its_box_in_the_demand_panel(app):
    _, quantity_box = app.demand.controls[1]
    quantity_box.text.value = "-3"
    assert app.error is not None and app.error.field == "demand_quantity.2"
    assert quantity_box.error_text.startswith("⚠")
    assert "ck-stale" in app.results._dom_classes
    quantity_box.value = 100_000
    assert app.error is None and quantity_box.error_text == ""


def test_a_file_that_is_not_excel_is_told_in_the_scenarios_status_line(app):
    app.scenarios.guard(lambda: app.scenarios.import_file(b"not an excel file"))
    assert "ck-status-error" in app.scenarios.status.value and app.error is None


def test_the_channel_travels_as_a_channel(app):
    from dataclasses import replace

    from coopkit import data

    shopee = data.load_channels()["shopee"]
    app.control("commission_rate").value = 0.12
    assert app.current_channel() == replace(shopee, commission_rate=0.12)
    inputs = app.result.inputs
    assert inputs["commission_rate"] == 0.12
    assert {k: inputs[k] for k in ("fixed_fee_per_order", "units_per_order", "vat_rate")} == {
        "fixed_fee_per_order": shopee.fixed_fee_per_order, "units_per_order": shopee.units_per_order,
        "vat_rate": shopee.vat_rate}


def test_old_attribute_names_of_the_workbench_still_work_with_a_warning(app):
    with pytest.warns(DeprecationWarning, match="coopkit 0.3.*goal.output"):
        assert app.goal_output is app.goal.output
    with pytest.warns(DeprecationWarning, match="scenarios.status"):
        assert app.status is app.scenarios.status
    with pytest.raises(AttributeError):
        app.no_such_thing  # noqa: B018


# -- a cooperative's code (issue 14 §6) ---------------------------------------------------------------
CODE = re.compile(r"<b class='ck-code'>([2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3})</b>")


def _text(html: str) -> str:
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html))


def _visitor(root, lang="vi"):
    """Another manager's page on the same server: its own app, the same scenario folder."""
    return WhatIfApp(product="cam_lac_thuy", channel="shopee", store_root=str(root), lang=lang)


def _first_save(app, owner="HTX Cam Lạc Thủy") -> str:
    app.scenarios.pin("Giá chợ")
    app.scenarios.owner.value = owner
    app.scenarios.save_pinned()
    found = CODE.search(app.scenarios.code_note.value)
    assert found, app.scenarios.code_note.value
    return found.group(1)


def _other_codes(code: str, count: int) -> list[str]:
    others = [f"{a}{b}{c}-{a}{b}{c}" for a, b, c in zip("ABCDEFGH", "23456789", "KMNPQRST")]
    return [c for c in others if c != code][:count]


def _files(root) -> list[str]:
    from pathlib import Path

    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*"))


def test_the_first_save_shows_the_cooperatives_code_once(app, tmp_path):
    panel = app.scenarios
    assert panel.code_box.layout.display == "none" and panel.code_note.value == ""
    code = _first_save(app)
    note = panel.code_note.value
    assert i18n.tr("app.what_if.code_new", "vi", code=code) in _text(note)
    assert "ck-status-ok" in panel.status.value and list(panel.saved_choice.options) == ["Giá chợ"]
    assert panel.owner_code.value == code and panel.code_box.layout.display is None  # this session works on
    panel.pin("Giá sỉ")
    panel.save_pinned()  # a second save makes no other code
    assert CODE.findall(panel.code_note.value) == [code]
    assert list(panel.saved_choice.options) == ["Giá chợ", "Giá sỉ"]
    app.set_lang("en")
    assert i18n.tr("app.what_if.code_new", "en", code=code) in _text(panel.code_note.value)
    panel.owner.value = "HTX Sen Đá"  # another cooperative: the note goes, the code box empties
    assert panel.code_note.value == "" and panel.owner_code.value == ""
    panel.owner.value = "HTX Cam Lạc Thủy"  # back: the code is not shown again, it must be typed
    assert panel.code_note.value == "" and list(panel.saved_choice.options) == []
    assert code not in repr([w.value for w in _walk(panel.box) if isinstance(getattr(w, "value", None), str)])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_another_visitor_sees_nothing_until_the_right_code(app, tmp_path, lang):
    from coopkit.errors import InputError

    code = _first_save(app)
    before = _files(tmp_path)
    other = _visitor(tmp_path, lang).scenarios
    other.owner.value = "htx cam lac thuy"  # spelled otherwise: the same folder
    assert list(other.saved_choice.options) == [] and other.code_box.layout.display is None
    assert other.code_help.layout.display is None and other.code_note.value == ""
    other.load_saved("Giá chợ")
    needed = InputError("owner_code", reason="code_needed", value="htx cam lac thuy").message(lang)
    assert needed in _text(other.status.value) and "ck-status-error" in other.status.value
    wrong = _other_codes(code, 1)[0]
    other.owner_code.value = wrong
    assert list(other.saved_choice.options) == []
    told = InputError("owner_code", reason="wrong_code", value="htx cam lac thuy").message(lang)
    assert told in _text(other.status.value) and "ck-status-error" in other.status.value
    for action in (lambda: other.load_saved("Giá chợ"), lambda: other.rename_saved("Giá chợ", "Của tôi"),
                   lambda: other.delete_saved("Giá chợ")):
        other.status.value = ""
        action()
        assert told in _text(other.status.value)
    other.pin("Của khách")
    other.save_pinned()
    assert told in _text(other.status.value) and other.pinned[0].name == "Của khách"
    assert _files(tmp_path) == before  # nothing read, written, renamed or removed
    other.owner_code.value = code.lower().replace("-", " ")  # typed as it was read out
    assert list(other.saved_choice.options) == ["Giá chợ"] and other.code_help.layout.display == "none"
    other.load_saved("Giá chợ")
    assert "ck-status-ok" in other.status.value and [s.name for s in other.pinned] == ["Của khách", "Giá chợ"]
    assert other.code_note.value == ""  # the code is never shown to another visitor


def test_wrong_codes_make_the_session_wait(app, tmp_path, monkeypatch):
    from coopkit.errors import InputError
    from coopkit.ui.panels import CODE_WAIT_SECONDS, MAX_CODE_TRIES

    code = _first_save(app)
    other = _visitor(tmp_path).scenarios
    now = [1000.0]
    monkeypatch.setattr(other, "clock", lambda: now[0])
    other.owner.value = "HTX Cam Lạc Thủy"
    wrong = _other_codes(code, MAX_CODE_TRIES)
    for typed in wrong[:-1]:
        other.owner_code.value = typed
        other.load_saved("Giá chợ")  # the same wrong code again is not another try
    other.owner_code.value = wrong[-1]  # the last allowed try
    other.owner_code.value = code
    locked = InputError("owner_code", reason="code_locked", value="HTX Cam Lạc Thủy",
                        seconds=str(CODE_WAIT_SECONDS)).message("vi")
    assert locked in _text(other.status.value) and list(other.saved_choice.options) == []
    now[0] += CODE_WAIT_SECONDS / 2
    other.load_saved("Giá chợ")
    assert "30 giây" in other.status.value and other.pinned == []
    now[0] += CODE_WAIT_SECONDS / 2 + 1
    other.load_saved("Giá chợ")
    assert [s.name for s in other.pinned] == ["Giá chợ"] and "ck-status-ok" in other.status.value


def test_an_old_folder_without_a_code_opens_and_gets_one_on_its_next_save(app, tmp_path):
    from coopkit.store import ScenarioStore

    old = ScenarioStore(tmp_path, "HTX Sen Đá")
    old.save(whatif.Scenario("Vụ hè", MODEL, app.inputs()))
    (old.folder / ".code").unlink()  # saved before codes existed
    panel = app.scenarios
    panel.owner.value = "HTX Sen Đá"
    assert list(panel.saved_choice.options) == ["Vụ hè"] and panel.code_box.layout.display == "none"
    panel.load_saved("Vụ hè")
    panel.save_pinned()
    code = CODE.search(panel.code_note.value).group(1)
    assert ScenarioStore(tmp_path, "HTX Sen Đá", code=code).names() == ["Vụ hè"]
    other = _visitor(tmp_path).scenarios
    other.owner.value = "HTX Sen Đá"
    assert list(other.saved_choice.options) == []
