"""The trainer's command that collects a room's saved scenarios."""

from __future__ import annotations

import coopkit as ck
from coopkit import collect, exchange, fmt
from coopkit.store import ScenarioStore

EGGS = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067, "volume": 1_095_000}


def _room(tmp_path):
    ScenarioStore(tmp_path, "HTX Sơn Nam").save(ck.Scenario("Kế hoạch", "break_even", EGGS))
    ScenarioStore(tmp_path, "HTX Sơn Nam").save(ck.Scenario("Giá 3.000", "break_even", {**EGGS, "price_per_unit": 3_000}))
    ScenarioStore(tmp_path, "HTX Cam Lạc Thủy").save(
        ck.Scenario("=1+1", "unit_cost", {"fixed_costs": 539e6, "variable_cost_per_unit": 10_100, "volume": 160_000}))
    return tmp_path


def test_the_room_table_and_files_hold_every_cooperative(tmp_path, capsys):
    root = _room(tmp_path / "room")
    xlsx, csv = tmp_path / "room.xlsx", tmp_path / "room.csv"
    assert collect.main([str(root), "--xlsx", str(xlsx), "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    profit = ck.whatif.evaluate("break_even", EGGS)["profit"]
    assert "htx-son-nam" in out and "htx-cam-lac-thuy" in out
    assert fmt.money(profit, "vi") in out
    back = exchange.scenarios_from_xlsx(xlsx)
    assert sorted(s.name for s in back) == ["htx-cam-lac-thuy · =1+1", "htx-son-nam · Giá 3.000", "htx-son-nam · Kế hoạch"]
    assert {s.name: s.inputs for s in back}["htx-son-nam · Kế hoạch"] == EGGS
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")


def test_unreadable_files_are_named_and_kept(tmp_path, capsys):
    root = _room(tmp_path)
    broken = tmp_path / "htx-son-nam" / "hong.json"
    broken.write_text("{ not json", encoding="utf-8")
    assert collect.main([str(root), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "htx-son-nam/hong.json" in captured.err
    assert broken.exists()
    assert len(collect.room_scenarios(root)) == 3


def test_an_empty_room_says_so(tmp_path, capsys):
    assert collect.main([str(tmp_path), "--lang", "en"]) == 0
    assert "No scenario has been saved" in capsys.readouterr().out


def test_a_file_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path, capsys):
    root = _room(tmp_path / "room")
    assert collect.main([str(root), "--xlsx", str(tmp_path / "missing" / "room.xlsx"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Could not write" in err and "room.xlsx" in err and "Traceback" not in err
