"""The trainer page (coopkit.ui.trainer) without a browser: the key, the live room, releases,
escaping of what trainees typed, the language switch, the downloads, and its notebook."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pypdf
import pytest

from coopkit import lessoncheck, workbooks
from coopkit.answers import AnswerStore, Trainee, trainer_key
from coopkit.ui.trainer import TrainerPage

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def no_key_from_the_environment(monkeypatch):
    monkeypatch.delenv("COOPKIT_TRAINER_KEY", raising=False)


@pytest.fixture()
def folders(tmp_path):
    """An answer folder with two trainees, and an exercises folder holding workbook 2's set."""
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    shutil.copy(ROOT / "exercises" / "02_break_even.toml", exercises)
    store = AnswerStore(tmp_path / "answers")
    lan = Trainee("Lan", "HTX Mật ong Hà Giang")
    for task in ("margin", "volume", "profit_drop", "safety"):
        store.record(lan, "break_even", task, "attempt", typed="1", value=1.0, status="right")
    bad = Trainee(SCRIPT, "HTX <b>Gà</b>")
    store.record(bad, "break_even", "volume", "attempt", typed="<img src=x onerror=alert(2)>", value=None,
                 status="wrong")
    store.record(bad, "break_even", "volume", "solution")
    return store, exercises


def page_for(folders, lang="en") -> TrainerPage:
    store, exercises = folders
    return TrainerPage(lang=lang, root=store.root, exercises_folder=exercises)


def room_html(page: TrainerPage) -> str:
    return "".join(w.value for w in (page.status, page.grid, page.tasks, page.stuck, page.quiz, page.downloads))


def test_a_wrong_key_shows_a_message_and_nothing_of_the_room(folders):
    page = page_for(folders)
    page.key.value = "not-the-key"
    assert not page.unlocked and page.room.layout.display == "none"
    assert "not right" in page.message.value
    assert "Lan" not in room_html(page) and page.records == [] and page.release_buttons == {}
    assert page.tick.playing is False
    assert page.key.value == ""  # the typed key does not stay in the page


def test_the_right_key_shows_the_grid_of_trainees_and_tasks(folders):
    store, _ = folders
    page = page_for(folders)
    assert "ck-trainer" in page.view._dom_classes and "ck-trainer-key" in page.key._dom_classes
    page.key.value = trainer_key(store.root)
    assert page.unlocked and page.room.layout.display is None and page.key_form.layout.display == "none"
    assert page.tick.playing and page.tick.repeat and page.tick.interval == 3000 and page.tick.layout.display == "none"
    assert "ck-room-grid" in page.grid._dom_classes
    grid = page.grid.value
    assert "ck-table-scroll" in grid  # scrolls sideways in its own box on a phone
    lan = Trainee("Lan", "HTX Mật ong Hà Giang").key
    cells = dict(re.findall(r"data-trainee='([^']+)' data-workbook='break_even' data-task='volume' data-state='(\w+)'", grid))
    assert cells[lan] == "right"
    assert cells[Trainee(SCRIPT, "HTX <b>Gà</b>").key] == "tried"
    assert ">✓</td>" in grid and ">1 ★</td>" in grid
    assert "Nobody is stuck" in page.stuck.value


def test_the_key_compares_in_constant_time_and_a_wrong_key_locks_again(folders, monkeypatch):
    import hmac

    store, _ = folders
    seen = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: seen.append((a, b)) or real(a, b))
    page = page_for(folders)
    assert page.unlock(trainer_key(store.root))
    assert seen and seen[-1][1] == trainer_key(store.root).encode()
    assert not page.unlock("wrong")
    assert page.room.layout.display == "none" and page.grid.value == "" and not page.unlocked


def test_the_key_from_the_environment_opens_the_page(folders, monkeypatch):
    monkeypatch.setenv("COOPKIT_TRAINER_KEY", "workshop-key-42")
    page = page_for(folders)
    assert not page.unlock(trainer_key(folders[0].root) + "x")
    assert page.unlock("workshop-key-42")


def test_names_and_answers_typed_by_trainees_are_escaped_everywhere(folders):
    store, _ = folders
    page = page_for(folders)
    page.unlock(trainer_key(store.root))
    html = room_html(page)
    assert SCRIPT not in html and "<b>Gà</b>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.grid.value
    assert "&lt;img src=x onerror=alert(2)&gt;" in page.tasks.value
    for _ in range(2):  # stuck: three attempts
        store.record(Trainee(SCRIPT, "HTX <b>Gà</b>"), "break_even", "volume", "attempt", typed="2", value=2.0,
                     status="wrong")
    page.refresh()
    assert "&lt;script&gt;" in page.stuck.value and SCRIPT not in page.stuck.value


def test_a_release_button_writes_released_json_and_takes_it_back(folders):
    store, _ = folders
    page = page_for(folders)
    page.unlock(trainer_key(store.root))
    assert len(page.release_buttons) == 4
    button = page.release_buttons[("break_even", "volume")]
    assert "ck-release" in button._dom_classes and "volume" in button.tooltip
    assert button.description == "Release the solution"
    button.click()
    assert json.loads((store.root / "released.json").read_text(encoding="utf-8")) == [["break_even", "volume"]]
    assert store.released() == {("break_even", "volume")}
    assert button.description == "Take back"
    button.click()
    assert store.released() == set() and button.description == "Release the solution"


def test_the_page_refreshes_on_a_tick_only_when_the_answers_changed(folders):
    store, _ = folders
    page = page_for(folders)
    page.unlock(trainer_key(store.root))
    drawn = page.grid.value
    page.grid.value = "marker"
    page.tick.value += 1  # nothing changed: nothing redrawn
    assert page.grid.value == "marker"
    store.record(Trainee("Tú", "HTX Cà phê"), "break_even", "margin", "attempt", typed="5", value=5.0, status="wrong")
    page.tick.value += 1
    assert "Tú" in page.grid.value and page.grid.value != drawn
    assert "Trainees: 3" in page.status.value


def test_the_downloads_hold_the_room_and_the_certificates(folders):
    store, _ = folders
    page = page_for(folders)
    page.unlock(trainer_key(store.root))
    page.workshop.value = "Hà Giang workshop"
    links = dict(re.findall(r'class="ck-download (ck-room-\w+)" download="[^"]+" href="data:[^;]+;base64,([^"]+)"',
                            page.downloads.value))
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(links["ck-room-xlsx"])))
    names = [row[0].value for row in book["Answers"].iter_rows(min_row=2)]
    assert "Lan" in names and SCRIPT in names
    pages = pypdf.PdfReader(io.BytesIO(base64.b64decode(links["ck-room-certificates"]))).pages
    assert len(pages) == 1  # only Lan completed a workbook
    text = " ".join(pages[0].extract_text().split())
    assert "Lan" in text and "Hà Giang workshop" in text and "2. Break-even" in text


def test_set_lang_rewords_the_page(folders):
    store, _ = folders
    page = page_for(folders)
    page.key.value = "wrong"
    page.set_lang("vi")
    assert "Mã chưa đúng" in page.message.value and page.open_button.description == "Mở"
    page.unlock(trainer_key(store.root))
    page.set_lang("en")
    assert "Who did which task" in page.heads["grid"].value and "key" in page.help.value
    assert page.title.value == ""  # on its lesson page the header is the title
    assert page.help.layout.display == "none"  # how to open the room, once it is open
    own = TrainerPage(lang="en", standalone=True, root=store.root)
    assert "Trainer&#x27;s page" in own.title.value
    page.set_lang("vi")
    assert "Ai đã làm bài nào" in page.heads["grid"].value and "Học viên" in page.grid.value
    assert page.release_buttons[("break_even", "volume")].description == "Công bố lời giải"


def test_the_lesson_page_builds_the_trainer_page_and_switches_it(folders, monkeypatch):
    from coopkit.ui import Lesson

    store, exercises = folders
    monkeypatch.setenv("COOPKIT_ANSWER_DIR", str(store.root))
    monkeypatch.setenv("COOPKIT_EXERCISES", str(exercises))
    page = Lesson("trainer", lang="en")
    assert page.title("vi").startswith("Trang của giảng viên")
    trainer = page.trainer()
    assert isinstance(trainer, TrainerPage) and trainer.toggle is None and trainer.store.root == store.root
    page.set_lang("vi")
    assert trainer.lang == "vi" and trainer.open_button.description == "Mở"


def test_the_trainer_notebook_is_a_sound_page_and_not_a_workbook():
    path = workbooks.notebooks_dir() / "trainer.ipynb"
    assert path.name not in [w.notebook for w in workbooks.workbooks()]
    assert lessoncheck.check_notebook(path) == []
    code = [("".join(c["source"])) for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert 'page = Lesson("trainer")' in code[1] and "page.trainer()" in code and code[-1] == "page.finish()"
