"""The room's answer store: records, releases, the trainer's key; fifty writers at once and a
writer killed mid-write lose nothing and corrupt nothing."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coopkit.answers import AnswerStore, Trainee, trainer_key
from coopkit.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def test_a_record_counts_attempts_hints_and_the_solution(tmp_path):
    room = AnswerStore(tmp_path)
    lan = Trainee("Lan", "HTX Mật ong Hà Giang")
    room.record(lan, "break_even", "volume", "attempt", typed="abc", status="unreadable")
    room.record(lan, "break_even", "volume", "attempt", typed="69.231", value=69231.0, status="mistake", mistake="divided_by_price")
    room.record(lan, "break_even", "volume", "hint", hints=2)
    room.record(lan, "break_even", "volume", "hint", hints=1)  # a page reloaded shows fewer: the most is kept
    room.record(lan, "break_even", "volume", "solution")
    last = room.record(lan, "break_even", "volume", "attempt", typed="240.000", value=240000.0, status="right")
    assert last["attempts"] == 2  # the unreadable one is not an attempt
    assert last["hints"] == 2 and last["solution_seen"] and last["right"] and last["right_at"]
    assert [a["status"] for a in last["answers"]] == ["mistake", "right"]
    assert last["answers"][0]["mistake"] == "divided_by_price"
    (record,) = room.records()
    assert record == last
    assert room.records(lan) == [last]
    assert room.records(Trainee("Minh", "HTX Cam Cao Phong")) == []


def test_trainees_are_told_apart_by_name_and_cooperative_not_by_case_or_spaces():
    assert Trainee("Lan", "HTX A").key != Trainee("Lan", "HTX B").key
    assert Trainee("Lan", "HTX A").key != Trainee("Lân", "HTX A").key
    assert Trainee(" lan ", "htx  a").key == Trainee("Lan", "HTX A").key
    assert Trainee("../../etc", "x/../../y").key.startswith("etc--x-y-")
    with pytest.raises(InputError) as err:
        Trainee("Lan", "   ")
    assert err.value.field == "trainee_cooperative"
    assert "Your cooperative" in err.value.message("en")
    with pytest.raises(InputError) as err:
        Trainee("L" * 200, "HTX")
    assert "200" in err.value.message("en")


def test_releases_are_kept_and_can_be_taken_back(tmp_path):
    room = AnswerStore(tmp_path)
    assert room.released() == set() and room.released_stamp() == 0.0
    room.release("break_even", "volume")
    room.release("unit_cost", "kilo")
    assert room.released() == {("break_even", "volume"), ("unit_cost", "kilo")}
    assert room.released_stamp() > 0
    room.release("unit_cost", "kilo", released=False)
    assert AnswerStore(tmp_path).released() == {("break_even", "volume")}


def test_the_trainer_key_comes_from_the_environment_or_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPKIT_TRAINER_KEY", raising=False)
    key = trainer_key(tmp_path)
    assert len(key) >= 8 and trainer_key(tmp_path) == key
    assert (tmp_path / "trainer-key.txt").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("COOPKIT_TRAINER_KEY", "lop-hoc-2026")
    assert trainer_key(tmp_path) == "lop-hoc-2026"


def _answer_many(root: str, number: int, start: multiprocessing.synchronize.Event) -> None:
    room = AnswerStore(root)
    me = Trainee(f"Học viên {number}", f"HTX số {number % 7}")
    shared = Trainee("Lan", "HTX Mật ong Hà Giang")  # fifty tabs of one trainee, at once
    start.wait()
    for attempt in range(10):
        for task in ("kilo", "volume", "price"):
            room.record(me, "break_even", task, "attempt", typed=str(attempt), value=float(attempt),
                        status="right" if attempt == 9 else "wrong")
    room.record(shared, "break_even", "shared", "attempt", typed=str(number), value=float(number), status="wrong")


def test_fifty_trainees_answering_at_once_lose_nothing(tmp_path):
    context = multiprocessing.get_context("fork")
    start = context.Event()
    writers = [context.Process(target=_answer_many, args=(str(tmp_path), n, start)) for n in range(50)]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(timeout=120)
    assert [w.exitcode for w in writers] == [0] * 50
    records = AnswerStore(tmp_path).records()
    own = [r for r in records if r["task"] != "shared"]
    assert len(own) == 150
    assert all(r["attempts"] == 10 and r["right"] for r in own)
    (shared,) = [r for r in records if r["task"] == "shared"]
    assert shared["attempts"] == 50
    kept = [a["value"] for a in shared["answers"]]
    assert len(set(kept)) == len(kept) and set(kept) <= set(map(float, range(50)))  # no answer written twice
    assert len(shared["answers"]) == 40  # the first ten and the last thirty are kept
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


WRITER = textwrap.dedent("""
    import sys
    from coopkit.answers import AnswerStore, Trainee
    room = AnswerStore(sys.argv[1])
    lan = Trainee("Lan", "HTX Mật ong Hà Giang")
    for n in range(1, 100_000):
        room.record(lan, "break_even", "volume", "attempt", typed=str(n), value=float(n), status="wrong")
        print(n, flush=True)
""")


def test_a_writer_killed_mid_write_leaves_every_record_whole(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    acknowledged = 0
    deadline = time.monotonic() + 120
    try:
        while acknowledged < 30 and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            acknowledged = int(line)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)
        writer.stdout.close()
    assert acknowledged >= 30, "the writer did not get going"
    path = next((tmp_path / "trainees").glob("*/*.json"))
    record = json.loads(path.read_text(encoding="utf-8"))  # whole, never half-written
    assert acknowledged <= record["attempts"] <= acknowledged + 1  # nothing acknowledged is lost
    # The lock died with the writer: the next writer goes on from the record as it was.
    room = AnswerStore(tmp_path)
    after = room.record(Trainee("Lan", "HTX Mật ong Hà Giang"), "break_even", "volume", "attempt",
                        typed="240.000", value=240000.0, status="right")
    assert after["attempts"] == record["attempts"] + 1 and after["right"]
    assert [r["attempts"] for r in room.records()] == [after["attempts"]]
