"""The scenario store: files, names, crash safety, concurrent sessions and the trainer's table."""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from helpers import assert_input_error
from hypothesis import given, settings
from hypothesis import strategies as st

import coopkit  # noqa: F401  (registers the models)
from coopkit.errors import InputError
from coopkit.store import (
    CODE_ALPHABET,
    MAX_NAME_LENGTH,
    ScenarioStore,
    collect,
    default_root,
    normalize_code,
    owner_folder,
    reset_code,
    scenario_file_name,
)
from coopkit.whatif import Scenario, evaluate

ROOT = Path(__file__).resolve().parent.parent
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{12}\.json$")
ORANGES = {"fixed_costs": 180e6, "price_per_unit": 28_000, "variable_cost_per_unit": 14_000, "volume": 20_000}
EGGS_COST = {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000}
NAMES = [
    "Giá 28.000",
    "gia 28 000",
    "Bán qua Shopee / Lazada",
    "..",
    "../../etc/passwd",
    "=1+1",
    "Cam 🍊 mùa hè",
    "Đơn hàng Tết – Đà Lạt",
    "🍊🍊",
]


def oranges(name: str, price: float = 28_000, **extra: str) -> Scenario:
    return Scenario(name, "break_even", {**ORANGES, "price_per_unit": price}, **extra)


@pytest.fixture
def store(tmp_path: Path) -> ScenarioStore:
    return ScenarioStore(tmp_path, "HTX Cam Lạc Thủy")


def _json_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".json")


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- round trip -------------------------------------------------------------------------------


def test_save_list_load_round_trip_with_vietnamese_and_awkward_names(store):
    saved = {name: store.save(oranges(name, price=20_000 + 1_000 * i)) for i, name in enumerate(NAMES)}
    assert store.names() == sorted(NAMES, key=lambda n: (n.casefold(), n))
    for name, scenario in saved.items():
        assert store.load(name) == scenario
        assert store.load(name).inputs["price_per_unit"] == scenario.inputs["price_per_unit"]
    files = _json_files(store.folder)
    assert len(files) == len(NAMES) and all(FILE_NAME.match(f) for f in files), files
    everything = list(store.folder.rglob("*"))
    assert [p.parent for p in everything] == [store.folder] * (len(NAMES) + 2)  # nothing escaped
    assert sorted(p.name for p in everything if p.name.startswith(".")) == [".code", ".lock"]  # the folder's code
    assert store.problems() == [] and _temp_files(store.folder) == []
    assert [s.name for s in store.scenarios()] == store.names()


def test_similar_names_never_share_a_file():
    assert scenario_file_name("Giá 28.000") != scenario_file_name("gia 28 000")
    assert scenario_file_name("Giá 28.000").startswith("gia-28-000-")
    assert scenario_file_name("Cam") != scenario_file_name("cam")
    assert scenario_file_name("🍊").startswith("scenario-")


def test_file_is_utf8_json_with_the_exact_name_inside(store):
    store.save(oranges("Giá 28.000", note="Bán ở chợ Lạc Thủy"))
    (path,) = store.folder.glob("*.json")
    text = path.read_text(encoding="utf-8")
    assert "Giá 28.000" in text and "chợ Lạc Thủy" in text  # not \u escapes
    data = json.loads(text)
    assert data["name"] == "Giá 28.000" and data["owner"] == "HTX Cam Lạc Thủy"


def test_saved_at_is_iso_8601_to_the_second_with_utc_offset(store):
    saved = store.save(oranges("Vụ hè"))
    when = datetime.fromisoformat(saved.saved_at)
    assert when.utcoffset() is not None and when.microsecond == 0
    assert abs(time.time() - when.timestamp()) < 60
    assert store.load("Vụ hè").saved_at == saved.saved_at


def test_names_lose_surrounding_spaces_and_unicode_form(store):
    decomposed = unicodedata.normalize("NFD", "Giá bán")
    saved = store.save(oranges(f"  {decomposed}\n"))
    assert saved.name == "Giá bán" and store.names() == ["Giá bán"]
    assert store.load(decomposed) == saved and store.load(" Giá bán ") == saved


def test_save_replaces_by_default(store):
    store.save(oranges("Giá 28.000", price=28_000))
    store.save(oranges("Giá 28.000", price=29_000))
    assert store.names() == ["Giá 28.000"]
    assert store.load("Giá 28.000").inputs["price_per_unit"] == 29_000


def test_names_sorted_without_regard_to_case(store):
    for name in ["b", "A", "a", "Ă", "C"]:
        store.save(oranges(name))
    assert store.names() == ["A", "a", "b", "C", "Ă"]


def test_rename_keeps_the_scenario_and_removes_the_old_file(store):
    saved = store.save(oranges("Giá 28.000", note="chốt với siêu thị"))
    renamed = store.rename("Giá 28.000", "Giá chốt / Tết 2025")
    assert renamed == oranges("Giá chốt / Tết 2025", note="chốt với siêu thị", saved_at=saved.saved_at)
    assert store.names() == ["Giá chốt / Tết 2025"]
    assert store.load("Giá chốt / Tết 2025") == renamed
    assert _json_files(store.folder) == [scenario_file_name("Giá chốt / Tết 2025")]
    assert store.rename("Giá chốt / Tết 2025", " Giá chốt / Tết 2025 ") == renamed  # same name: nothing to do


def test_rename_only_the_case(store):
    store.save(oranges("giá sỉ"))
    store.rename("giá sỉ", "Giá sỉ")
    assert store.names() == ["Giá sỉ"]


def test_rename_onto_a_taken_name_keeps_both(store):
    store.save(oranges("A", price=25_000))
    store.save(oranges("B", price=30_000))
    with pytest.raises(InputError) as info:
        store.rename("A", "B")
    assert_input_error(info, "scenario", "scenario_exists")
    assert info.value.value == "B"
    assert store.names() == ["A", "B"] and store.load("B").inputs["price_per_unit"] == 30_000
    assert _temp_files(store.folder) == []


def test_delete(store):
    store.save(oranges("Giá 28.000"))
    store.save(oranges("Giá 25.000"))
    store.delete("Giá 28.000")
    assert store.names() == ["Giá 25.000"]
    with pytest.raises(InputError) as info:
        store.load("Giá 28.000")
    assert_input_error(info, "scenario", "unknown_scenario")


def test_an_empty_store_creates_no_folder(store):
    assert store.names() == [] and store.scenarios() == [] and store.problems() == []
    assert not store.folder.exists()


def test_a_file_renamed_by_hand_still_loads(store):
    store.save(oranges("Giá 28.000"))
    (path,) = store.folder.glob("*.json")
    path.rename(store.folder / "copy-of-my-plan.json")
    assert store.names() == ["Giá 28.000"]
    assert store.load("Giá 28.000").name == "Giá 28.000"
    store.delete("Giá 28.000")
    assert _json_files(store.folder) == []


# -- owners ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "folder"),
    [
        ("HTX Cam Lạc Thủy", "htx-cam-lac-thuy"),
        ("ĐỒNG THÁP", "dong-thap"),
        ("Tổ hợp tác Sen Đá", "to-hop-tac-sen-da"),
        ("  nguyễn   văn  an ", "nguyen-van-an"),
        ("HTX Nông nghiệp Ứng Hòa", "htx-nong-nghiep-ung-hoa"),
        ("../../etc", "etc"),
        ("..\\..\\Windows\\System32", "windows-system32"),
        ("/home/coop/.ssh", "home-coop-ssh"),
        ("~root", "root"),
        ("HTX 🍊 Cam", "htx-cam"),
    ],
)
def test_owner_folder_slugs(owner, folder):
    assert owner_folder(owner) == folder


def test_owner_folder_is_short_and_stable():
    long = owner_folder("Hợp tác xã " * 30)
    assert len(long) <= 60 and not long.endswith("-")
    assert owner_folder(long) == long


@pytest.mark.parametrize(("owner", "reason"), [("", "empty_name"), ("   ", "empty_name"), ("..", "owner_unusable"),
                                               ("../..", "owner_unusable"), ("🍊", "owner_unusable")])
def test_unusable_owners(tmp_path, owner, reason):
    with pytest.raises(InputError) as info:
        ScenarioStore(tmp_path, owner)
    assert_input_error(info, "owner", reason)


@pytest.mark.parametrize("owner", ["../../outside", "..", "/etc", "a/../../b", ".hidden", "~/x", "\\..\\x"])
def test_owner_traversal_stays_under_root(tmp_path, owner):
    root = tmp_path / "root"
    root.mkdir()
    try:
        store = ScenarioStore(root, owner)
    except InputError as err:
        assert err.field == "owner"
        return
    assert store.folder.resolve().parent == root.resolve()
    store.save(oranges("Giá"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root"]
    assert [p.parent.parent for p in root.rglob("*.json")] == [root]


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=60)
def test_owner_folder_is_always_a_plain_name(owner):
    try:
        folder = owner_folder(owner)
    except InputError as err:
        assert err.reason in {"empty_name", "owner_unusable"}
        return
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", folder) and len(folder) <= 60


def test_default_root(monkeypatch, tmp_path):
    monkeypatch.setenv("COOPKIT_SCENARIO_DIR", str(tmp_path / "room"))
    assert default_root() == tmp_path / "room"
    monkeypatch.delenv("COOPKIT_SCENARIO_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_root() == tmp_path / "coopkit-scenarios"


# -- errors ------------------------------------------------------------------------------------


def test_replace_false_refuses_a_taken_name_and_keeps_the_old_one(store):
    store.save(oranges("Giá 28.000", price=28_000))
    with pytest.raises(InputError) as info:
        store.save(oranges("Giá 28.000", price=31_000), replace=False)
    assert_input_error(info, "scenario", "scenario_exists")
    assert store.load("Giá 28.000").inputs["price_per_unit"] == 28_000
    assert _temp_files(store.folder) == []
    assert store.save(oranges("Giá 31.000", price=31_000), replace=False).name == "Giá 31.000"


@pytest.mark.parametrize("action", ["load", "delete", "rename"])
def test_unknown_names(store, action):
    store.save(oranges("Giá 28.000"))
    with pytest.raises(InputError) as info:
        if action == "rename":
            store.rename("Giá 25.000", "Giá mới")
        else:
            getattr(store, action)("Giá 25.000")
    assert_input_error(info, "scenario", "unknown_scenario")
    assert info.value.value == "Giá 25.000"
    assert store.names() == ["Giá 28.000"]


@pytest.mark.parametrize("name", ["", "   ", "\n\t"])
def test_empty_names(store, name):
    store.save(oranges("Giá 28.000"))
    for call in (lambda: store.save(oranges(name)), lambda: store.load(name), lambda: store.delete(name),
                 lambda: store.rename("Giá 28.000", name)):
        with pytest.raises(InputError) as info:
            call()
        assert_input_error(info, "scenario", "empty_name")
    assert store.names() == ["Giá 28.000"]


def test_names_have_a_maximum_length(store):
    assert store.save(oranges("x" * MAX_NAME_LENGTH)).name == "x" * MAX_NAME_LENGTH
    with pytest.raises(InputError) as info:
        store.save(oranges("Giá " + "x" * MAX_NAME_LENGTH))
    assert_input_error(info, "scenario", "name_too_long")
    assert str(MAX_NAME_LENGTH) in info.value.message("vi") and str(MAX_NAME_LENGTH) in info.value.message("en")


def test_a_scenario_with_text_for_a_number_is_not_saved(store):
    with pytest.raises(InputError) as info:
        store.save(Scenario("Giá", "unit_cost", {**EGGS_COST, "volume": "bốn vạn"}))
    assert_input_error(info, "scenario", "not_a_scenario")
    assert store.names() == []


def test_a_scenario_of_an_unknown_model_is_not_saved(store):
    with pytest.raises(InputError) as info:
        store.save(Scenario("Năng suất", "yield_v0", {"area_ha": 2.0}))
    assert_input_error(info, "model", "unknown_model")
    assert not store.folder.exists() or _json_files(store.folder) == []


# -- damaged folders ----------------------------------------------------------------------------


def test_corrupt_and_half_written_files_are_reported_never_fatal_never_deleted(store):
    store.save(oranges("Giá 28.000"))
    good = scenario_file_name("Giá 28.000")
    folder = store.folder
    (folder / "hong.json").write_text('{"name": "Giá 25.000", "model": "break', encoding="utf-8")
    (folder / "latin1.json").write_bytes("{\"name\": \"Gi\xe1\"}".encode("latin-1"))
    (folder / "old-model.json").write_text(json.dumps({"name": "cũ", "model": "yield_v0", "inputs": {}}))
    (folder / "a-list.json").write_text("[1, 2, 3]")
    (folder / f".{good[:-5]}.999.dead.tmp").write_text('{"name": "Giá 28.000", "mod', encoding="utf-8")
    (folder / "ghi-chu.txt").write_text("notes of the trainer")
    (folder / "sub.json").mkdir()
    before = sorted(p.name for p in folder.iterdir())

    assert store.problems() == ["a-list.json", "hong.json", "latin1.json", "old-model.json"]
    assert store.names() == ["Giá 28.000"]
    assert [s.name for s in store.scenarios()] == ["Giá 28.000"]
    store.save(oranges("Giá 30.000"))
    assert store.names() == ["Giá 28.000", "Giá 30.000"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*before, scenario_file_name("Giá 30.000")])


def test_loading_a_name_whose_file_is_broken_says_so(store):
    store.save(oranges("Giá 28.000"))
    (store.folder / scenario_file_name("Giá 28.000")).write_text("{", encoding="utf-8")
    with pytest.raises(InputError) as info:
        store.load("Giá 28.000")
    assert_input_error(info, "scenario", "not_a_scenario")
    assert store.problems() == [scenario_file_name("Giá 28.000")]


def test_stale_temp_files_are_cleaned_fresh_ones_kept(store):
    store.save(oranges("Giá 28.000"))
    stale, fresh = store.folder / ".gia-x.1.aaaa.tmp", store.folder / ".gia-x.2.bbbb.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    store.save(oranges("Giá 29.000"))
    assert not stale.exists() and fresh.exists()


# -- properties ---------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=MAX_NAME_LENGTH).filter(lambda s: s.strip())


@given(st.lists(names, min_size=1, max_size=8))
@settings(max_examples=40)
def test_any_names_give_safe_distinct_files(many):
    cleaned = {unicodedata.normalize("NFC", n.strip()) for n in many}
    cleaned = {n for n in cleaned if len(n) <= MAX_NAME_LENGTH}
    files = {scenario_file_name(n) for n in cleaned}
    assert len(files) == len(cleaned)
    assert all(FILE_NAME.match(f) and len(f) <= 60 for f in files), files


@given(names)
@settings(max_examples=25)
def test_any_name_round_trips(name):
    with tempfile.TemporaryDirectory() as root:
        store = ScenarioStore(root, "HTX Thử")
        try:
            saved = store.save(oranges(name))
        except InputError as err:
            assert err.reason == "name_too_long"  # a few characters grow under NFC
            return
        assert store.names() == [saved.name]
        assert store.load(saved.name) == saved and store.load(name) == saved
        store.delete(name)
        assert store.names() == []


# -- other sessions: crashes and concurrency ----------------------------------------------------

# One helper process imports coopkit once and forks a writer process per request, so the tests
# can start and kill many sessions without paying Python's start-up each time. Protocol, one
# line each way: "fork <json job>" -> "<pid>"; "reap <pid>" -> "<exit status>".
HELPER = r"""
import json, os, sys, time, traceback
from coopkit.store import ScenarioStore
from coopkit.whatif import Scenario

def version(name, tag, i, size):
    inputs = {"fixed_costs": 120e6, "variable_cost_per_unit": 9000.0, "volume": 1000.0 + i}
    return Scenario(name, "unit_cost", inputs, note=f"{tag}:{i}|" + "Cam Lạc Thủy, vụ Tết. " * size)

def run(job, helper):
    store = ScenarioStore(job["root"], job["owner"], code=job.get("code"))
    deadline = time.monotonic() + 20  # never outlive a broken test
    while job.get("go") and not os.path.exists(job["go"]):  # start together with the other writers
        if time.monotonic() > deadline or os.getppid() != helper:
            return 1
        time.sleep(0.001)
    if job["mode"] == "claim":  # one first save; tell whether it made the folder's code
        try:
            store.save(version(job["name"], job["tag"], 0, 1))
            outcome = {"made": store.new_code}
        except Exception as err:
            outcome = {"refused": getattr(err, "reason", repr(err))}
        with open(job["out"], "w") as f:
            json.dump(outcome, f)
        return 0
    if job["mode"] == "forever":  # until killed
        i = 0
        while os.getppid() == helper and time.monotonic() < deadline:
            store.save(version(job["name"], job["tag"], i, job["size"]))
            i += 1
        return 0
    for i in range(job["count"]):
        name = job["name"] if job["mode"] == "same" else f"{job['name']} {i}"
        store.save(version(name, job["tag"], i, job["size"]))
    return 0

me = os.getpid()
print("ready", flush=True)
for line in sys.stdin:
    command, _, arg = line.strip().partition(" ")
    if command == "fork":
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = run(json.loads(arg), me)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        print(pid, flush=True)
    elif command == "reap":
        print(os.waitstatus_to_exitcode(os.waitpid(int(arg), 0)[1]), flush=True)
"""
BODY_UNIT = "Cam Lạc Thủy, vụ Tết. "


class Sessions:
    """Writer processes forked by the helper; the test may kill them and must reap them."""

    def __init__(self, helper: subprocess.Popen[str]) -> None:
        self.helper = helper
        self.running: list[int] = []

    def _ask(self, line: str) -> str:
        self.helper.stdin.write(line + "\n")
        self.helper.stdin.flush()
        answer = self.helper.stdout.readline().strip()
        assert answer, "the helper process died"
        return answer

    def start(self, **job: object) -> int:
        pid = int(self._ask("fork " + json.dumps(job)))
        self.running.append(pid)
        return pid

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid cannot belong to anyone else

    def wait(self, pid: int) -> int:
        """Exit code of ``pid`` once it ends (negative: killed by that signal)."""
        self.running.remove(pid)
        return int(self._ask(f"reap {pid}"))


@pytest.fixture(scope="module")
def helper() -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # no native threads in a process that forks
    proc = subprocess.Popen([sys.executable, "-c", HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, cwd=ROOT, env=env)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.kill()  # its writers notice (their parent changes) and stop; init reaps them
        proc.wait(timeout=10)
        proc.stdin.close()
        proc.stdout.close()


@pytest.fixture
def sessions(helper) -> Sessions:
    """Writer processes; any still running when the test ends are killed and reaped."""
    writers = Sessions(helper)
    try:
        yield writers
    finally:
        for pid in list(writers.running):
            writers.kill(pid)
            writers.wait(pid)


def _check_version(scenario: Scenario, size: int) -> tuple[str, int]:
    """The (tag, i) a writer saved, after checking that the whole scenario is there."""
    head, _, rest = scenario.note.partition("|")
    tag, _, i = head.partition(":")
    assert rest == BODY_UNIT * size, "note cut short"
    assert scenario.inputs == {"fixed_costs": 120e6, "variable_cost_per_unit": 9000.0, "volume": 1000.0 + int(i)}
    return tag, int(i)


def test_a_killed_save_leaves_the_old_or_the_new_version(tmp_path, sessions):
    """SIGKILL a session at random moments while it saves a big scenario over and over."""
    size = 40_000  # about 1 MB of note, so each write takes a while
    store = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy")
    name = "Kế hoạch Tết"
    store.save(Scenario(name, "unit_cost", {**EGGS_COST, "volume": 1000.0}, note="start:0|" + BODY_UNIT * size))
    seen = ("start", 0)
    rng = random.Random(20250314)
    changed = kill = 0
    # ~20 kills; a few more (at most 40) while none has landed in the middle of a write
    while kill < 20 or (not _temp_files(store.folder) and kill < 40):
        kill += 1
        pid = sessions.start(mode="forever", root=str(tmp_path), owner="HTX Cam Lạc Thủy", name=name,
                             tag=f"k{kill}", size=size)
        time.sleep(rng.uniform(0.005, 0.08))
        sessions.kill(pid)
        assert sessions.wait(pid) == -signal.SIGKILL
        now = _check_version(store.load(name), size)
        assert now == seen or now[0] == f"k{kill}", (seen, now)  # the old version or a new one
        changed += now != seen
        seen = now
        assert store.names() == [name] and store.problems() == []
    assert changed > 0, "no save ever completed: the test did not exercise anything"
    assert _temp_files(store.folder), "no kill landed in the middle of a write"  # left behind, ignored, kept


def _run_together(tmp_path: Path, sessions: Sessions, jobs: list[dict]) -> None:
    go = tmp_path / "go"
    pids = [sessions.start(go=str(go), **job) for job in jobs]
    go.touch()
    assert [sessions.wait(pid) for pid in pids] == [0] * len(jobs)


def test_two_sessions_saving_different_scenarios_keep_all(tmp_path, sessions):
    root = tmp_path / "room"  # the owner folder does not exist yet: both create it
    common = {"mode": "many", "root": str(root), "owner": "HTX Sen Đá", "count": 50, "size": 200}
    _run_together(tmp_path, sessions, [{**common, "name": "Tổ 1", "tag": "a"}, {**common, "name": "Tổ 2", "tag": "b"}])
    store = ScenarioStore(root, "HTX Sen Đá")
    assert set(store.names()) == {f"Tổ {team} {i}" for team in (1, 2) for i in range(50)}
    assert len(store.scenarios()) == 100
    for scenario in store.scenarios():
        tag, i = _check_version(scenario, 200)
        assert scenario.name == f"Tổ {1 if tag == 'a' else 2} {i}"
    assert store.problems() == [] and _temp_files(store.folder) == []


def test_two_sessions_saving_the_same_name_leave_one_whole_file(tmp_path, sessions):
    root = tmp_path / "room"
    common = {"mode": "same", "root": str(root), "owner": "HTX Sen Đá", "count": 50, "size": 2_000,
              "name": "Giá chung"}
    _run_together(tmp_path, sessions, [{**common, "tag": "a"}, {**common, "tag": "b"}])
    store = ScenarioStore(root, "HTX Sen Đá")
    assert store.names() == ["Giá chung"] and store.problems() == []
    tag, i = _check_version(store.load("Giá chung"), 2_000)
    assert tag in {"a", "b"} and i == 49  # the last save of one of them
    assert _json_files(store.folder) == [scenario_file_name("Giá chung")] and _temp_files(store.folder) == []


def test_two_first_saves_at_once_end_with_one_code(tmp_path, sessions):
    """Two visitors save the same new cooperative at the same moment: one code, made by one of them."""
    for round_ in range(8):
        root, owner = tmp_path / f"room{round_}", "HTX Sen Đá"
        outs = [tmp_path / f"out{round_}-{i}.json" for i in range(2)]
        jobs = [{"mode": "claim", "root": str(root), "owner": spelling, "code": "", "name": f"Tổ {i}",
                 "tag": str(i), "size": 1, "out": str(out)}
                for i, (spelling, out) in enumerate(zip([owner, "htx sen da"], outs))]
        _run_together(tmp_path, sessions, jobs)
        outcomes = [json.loads(out.read_text()) for out in outs]
        made = [o["made"] for o in outcomes if "made" in o]
        assert len(made) == 1 and made[0], outcomes
        assert [o.get("refused") for o in outcomes if "made" not in o] == ["code_needed"]
        assert ScenarioStore(root, owner, code=made[0]).names() in (["Tổ 0"], ["Tổ 1"])
        assert _wrong(ScenarioStore(root, owner, code="")).reason == "code_needed"


# -- a cooperative's code ---------------------------------------------------------------------------
CODE = re.compile(rf"^[{CODE_ALPHABET}]{{3}}-[{CODE_ALPHABET}]{{3}}$")


def _wrong(store: ScenarioStore, action=lambda s: s.names()) -> InputError:
    with pytest.raises(InputError) as info:
        action(store)
    assert_input_error(info, "owner_code", info.value.reason)
    return info.value


@pytest.fixture
def coded(tmp_path: Path) -> tuple[ScenarioStore, str]:
    """HTX Cam Lạc Thủy's folder after its first save in the app, and the code it was shown."""
    store = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code="")
    store.save(oranges("Giá 28.000"))
    assert store.new_code is not None
    return store, store.new_code


def test_the_first_save_makes_a_code_shown_once(coded, tmp_path):
    store, code = coded
    assert CODE.match(code) and not set(code) & set("0O1IL")
    assert store.has_code() and store.code == code  # the manager who saved goes on working
    store.save(oranges("Giá 25.000", 25_000))
    assert store.new_code == code  # the same store: no second code
    again = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=code)
    again.save(oranges("Giá 30.000", 30_000))
    assert again.new_code is None and again.names() == ["Giá 25.000", "Giá 28.000", "Giá 30.000"]
    assert ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=code).names() == again.names()  # unchanged code


def test_codes_differ_between_cooperatives(tmp_path):
    codes = set()
    for n in range(12):
        store = ScenarioStore(tmp_path, f"HTX số {n}", code="")
        store.save(oranges("Kế hoạch"))
        codes.add(store.new_code)
    assert len(codes) == 12


@pytest.mark.parametrize("typed", ["", "   ", "K7P-Q2M", "ABCDEF", "x"])
def test_without_the_right_code_nothing_is_listed_loaded_renamed_deleted_or_saved(coded, tmp_path, typed):
    store, code = coded
    if normalize_code(typed) == normalize_code(code):
        pytest.skip("drew the right code")
    before = sorted(p.name for p in store.folder.iterdir())
    other = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=typed)
    reason = "code_needed" if not typed.strip() else "wrong_code"
    for action in (lambda s: s.names(), lambda s: s.scenarios(), lambda s: s.problems(),
                   lambda s: s.load("Giá 28.000"), lambda s: s.rename("Giá 28.000", "Của tôi"),
                   lambda s: s.delete("Giá 28.000"), lambda s: s.save(oranges("Giá 28.000", 1_000)),
                   lambda s: s.save(oranges("Mới"))):
        assert _wrong(other, action).reason == reason
    assert sorted(p.name for p in store.folder.iterdir()) == before
    assert store.load("Giá 28.000").inputs["price_per_unit"] == 28_000
    assert other.new_code is None


def test_spelling_variants_share_the_folder_and_need_its_code(coded, tmp_path):
    store, code = coded
    for spelling in ("htx cam lac thuy", "HTX CAM LẠC THỦY", "  Htx  Cam-Lac  Thuy "):
        assert _wrong(ScenarioStore(tmp_path, spelling, code="")).reason == "code_needed"
        for typed in (code, code.lower(), code.replace("-", ""), f" {code[:3]} {code[4:]} "):
            assert ScenarioStore(tmp_path, spelling, code=typed).names() == ["Giá 28.000"]


def test_the_folder_keeps_a_hash_of_the_code_not_the_code(coded):
    store, code = coded
    path = store.folder / ".code"
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert code not in text and normalize_code(code) not in text
    assert code.lower() not in text.lower() and normalize_code(code).lower() not in text.lower()
    record = json.loads(text)
    assert record["kdf"] == "scrypt"
    expected = hashlib.scrypt(normalize_code(code).encode(), salt=bytes.fromhex(record["salt"]),
                              n=record["n"], r=record["r"], p=record["p"], dklen=32)
    assert record["hash"] == expected.hex()
    assert record["n"] >= 2**14  # each guess costs real work
    assert _temp_files(store.folder) == []
    # Nothing in the folder but hidden files says anything about the code.
    for scenario_file in store.folder.glob("*.json"):
        assert normalize_code(code) not in scenario_file.read_text(encoding="utf-8")


def test_same_code_different_salts(tmp_path):
    records = []
    for owner in ("HTX A", "HTX B"):
        reset_code(tmp_path, owner)
        records.append(json.loads((tmp_path / owner_folder(owner) / ".code").read_text()))
    assert records[0]["salt"] != records[1]["salt"]


def test_an_old_folder_without_a_code_keeps_working_and_gets_one_on_its_next_save(tmp_path):
    old = ScenarioStore(tmp_path, "HTX Sen Đá")
    old.save(oranges("Vụ hè"))
    (old.folder / ".code").unlink()  # as saved before codes existed
    (old.folder / ".lock").unlink()
    visitor = ScenarioStore(tmp_path, "htx sen da", code="")
    assert not visitor.has_code() and visitor.names() == ["Vụ hè"] and visitor.load("Vụ hè").name == "Vụ hè"
    visitor.rename("Vụ hè", "Vụ hè 2025")
    assert visitor.new_code is None and not visitor.has_code()
    visitor.save(oranges("Vụ đông"))
    assert visitor.new_code and CODE.match(visitor.new_code)
    assert _wrong(ScenarioStore(tmp_path, "HTX Sen Đá", code="")).reason == "code_needed"
    assert ScenarioStore(tmp_path, "HTX Sen Đá", code=visitor.new_code).names() == ["Vụ hè 2025", "Vụ đông"]


def test_a_damaged_code_file_opens_nothing_until_the_trainer_resets_it(coded, tmp_path):
    store, code = coded
    (store.folder / ".code").write_text("{not json", encoding="utf-8")
    assert _wrong(ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=code)).reason == "code_unreadable"
    new = reset_code(tmp_path, "HTX Cam Lạc Thủy")
    assert ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=new).names() == ["Giá 28.000"]


def test_the_trainer_resets_a_lost_code(coded, tmp_path):
    store, code = coded
    new = reset_code(tmp_path, "htx cam lac thuy")
    assert CODE.match(new)
    if normalize_code(new) != normalize_code(code):
        assert _wrong(ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=code)).reason == "wrong_code"
    assert ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=new).load("Giá 28.000").name == "Giá 28.000"
    # before the workshop: codes for cooperatives that have saved nothing yet
    first = reset_code(tmp_path, "HTX Mật ong")
    assert ScenarioStore(tmp_path, "HTX Mật ong", code=first).names() == []
    assert _wrong(ScenarioStore(tmp_path, "HTX Mật ong", code="")).reason == "code_needed"


def test_reset_code_on_the_command_line_prints_a_list(coded, tmp_path, capsys):
    from coopkit.collect import main

    assert main([str(tmp_path), "--reset-code", "HTX Cam Lạc Thủy", "--reset-code", "HTX Mật ong"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "htx-cam-lac-thuy" in lines[0] and "htx-mat-ong" in lines[1]
    codes = [line.rsplit(" ", 1)[1] for line in lines]
    assert all(CODE.match(c) for c in codes)
    assert ScenarioStore(tmp_path, "HTX Cam Lạc Thủy", code=codes[0]).names() == ["Giá 28.000"]
    assert ScenarioStore(tmp_path, "HTX Mật ong", code=codes[1]).names() == []
    assert main([str(tmp_path), "--reset-code", "!!!", "--lang", "en"]) == 2
    assert "no letters or digits" in capsys.readouterr().err


def test_the_trainer_still_collects_every_folder(coded, tmp_path):
    ScenarioStore(tmp_path, "HTX Sen Đá", code="").save(oranges("Vụ hè"))
    table = collect(tmp_path, lang="en")
    assert table[["owner", "scenario"]].values.tolist() == [["htx-cam-lac-thuy", "Giá 28.000"],
                                                            ["htx-sen-da", "Vụ hè"]]


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> tuple[Path, str]:
    """A room where HTX Cam Lạc Thủy saved once, and the code it was shown."""
    root = tmp_path_factory.mktemp("codes")
    keeper = ScenarioStore(root, "HTX Cam Lạc Thủy", code="")
    keeper.save(oranges("Giá 28.000"))
    return root, keeper.new_code


@given(typed=st.one_of(st.text(alphabet=CODE_ALPHABET + CODE_ALPHABET.lower() + "-0OI1L ", max_size=9),
                       st.text(max_size=12)))
@settings(max_examples=60, deadline=None)
def test_no_other_code_opens_the_folder(room, typed):
    root, right = room
    store = ScenarioStore(root, "htx cam lac thuy", code=typed)
    if normalize_code(typed) == normalize_code(right):
        assert store.names() == ["Giá 28.000"]
        return
    with pytest.raises(InputError) as info:
        store.names()
    assert info.value.reason in ("code_needed", "wrong_code")


# -- the trainer's table --------------------------------------------------------------------------


def test_collect_the_room(tmp_path, monkeypatch):
    sen_da = ScenarioStore(tmp_path, "HTX Sen Đá")
    cam = ScenarioStore(tmp_path, "HTX Cam Lạc Thủy")
    a = sen_da.save(Scenario("Vụ hè", "unit_cost", EGGS_COST, product="trung_ga"))
    b = sen_da.save(Scenario("bán sỉ", "break_even", ORANGES, channel="wholesale"))
    bad = cam.save(Scenario("Chưa có sản lượng", "unit_cost", {**EGGS_COST, "volume": 0}))
    c = cam.save(Scenario("Giá 25.000", "break_even", {**ORANGES, "price_per_unit": 25_000}))
    (cam.folder / "hong.json").write_text("{", encoding="utf-8")  # skipped, not fatal
    (tmp_path / ".trash").mkdir()
    (tmp_path / "readme.txt").write_text("trainer notes")

    table = collect(tmp_path, lang="en")
    assert list(table.columns) == [
        "owner", "scenario", "model", "product", "channel", "saved_at",
        "fixed_costs", "variable_cost_per_unit", "volume", "price_per_unit",
        "unit_cost", "total_costs", "profit", "revenue", "contribution_margin",
        "break_even_volume", "break_even_price", "margin_of_safety", "error",
    ]
    assert table[["owner", "scenario", "model"]].values.tolist() == [
        ["htx-cam-lac-thuy", "Chưa có sản lượng", "unit_cost"],
        ["htx-cam-lac-thuy", "Giá 25.000", "break_even"],
        ["htx-sen-da", "bán sỉ", "break_even"],
        ["htx-sen-da", "Vụ hè", "unit_cost"],
    ]
    rows = {row.scenario: row for row in table.itertuples()}
    for scenario in (a, b, c):
        row = rows[scenario.name]
        assert row.error == "" and row.saved_at == scenario.saved_at
        for key, value in {**scenario.inputs, **evaluate(scenario.model, scenario.inputs)}.items():
            assert getattr(row, key) == pytest.approx(value, nan_ok=True), key
    assert rows["Vụ hè"].product == "trung_ga" and rows["bán sỉ"].channel == "wholesale"
    assert math.isnan(rows["Vụ hè"].price_per_unit) and math.isnan(rows["Vụ hè"].profit)
    assert math.isnan(rows["Giá 25.000"].unit_cost)

    row = rows["Chưa có sản lượng"]
    with pytest.raises(InputError) as info:
        evaluate("unit_cost", bad.inputs)
    assert row.error == info.value.message("en") != "" and row.volume == 0
    assert math.isnan(row.unit_cost) and math.isnan(row.total_costs)
    assert collect(tmp_path, lang="vi").loc[0, "error"] == info.value.message("vi")

    monkeypatch.setenv("COOPKIT_SCENARIO_DIR", str(tmp_path))
    assert collect(lang="en").equals(table)


def test_collect_an_empty_or_missing_room(tmp_path):
    for root in (tmp_path, tmp_path / "missing"):
        table = collect(root)
        assert table.empty
        assert list(table.columns) == ["owner", "scenario", "model", "product", "channel", "saved_at", "error"]
