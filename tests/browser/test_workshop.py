"""The workshop loop in a real browser (issue 13 §4).

A trainee on a phone-width Vietnamese page types a name once, answers a task with a known
mistake and reads its message, opens a hint, answers right; the trainer's page (opened with the
trainer's key, in English) shows it within seconds; a solution the trainer releases appears on
the trainee's page; the trainer's Excel export holds the answer; the trainee's next workbook
knows the name without asking. Every wait is for a condition, never a fixed time.
"""

from __future__ import annotations

import base64
import io

import pytest
from playwright.sync_api import expect

from coopkit import exercises

from .conftest import SETTLE_TIMEOUT_MS, open_app

pytestmark = pytest.mark.browser

KEY = "lop-hoc-son-la-2026"
PHONE = {"width": 412, "height": 915}


@pytest.fixture(scope="module")
def workshop_server(make_voila_server, tmp_path_factory):
    answers = tmp_path_factory.mktemp("answers")
    server = make_voila_server(env={"COOPKIT_ANSWER_DIR": str(answers), "COOPKIT_TRAINER_KEY": KEY})
    server.answers = answers
    return server


def test_a_trainee_answers_the_trainer_sees_it_and_releases_a_solution(workshop_server, make_page):
    server = workshop_server
    eggs = exercises.set_for("break_even")
    volume, safety = eggs.task("volume"), eggs.task("safety")

    trainee = make_page("vi-VN", viewport=PHONE)
    open_app(trainee, server, "02_break_even.ipynb", lang="vi")
    sheet = trainee.locator(".ck-exercises")
    expect(sheet.locator(".ck-task")).to_have_count(len(eggs.tasks), timeout=SETTLE_TIMEOUT_MS)
    # No answer is in the page before its solution is shown.
    text = sheet.inner_text()
    for task in eggs.tasks:
        shown = eggs.shown_answer(task, "vi")
        if task.kind != "choice" and sum(c.isdigit() for c in shown) >= 3:
            assert shown not in text, task.id

    bar = trainee.locator(".ck-trainee")
    bar.locator(".ck-trainee-name input").fill("Lan")
    bar.locator(".ck-trainee-coop input").fill("HTX Mật ong Hà Giang")
    bar.locator(".ck-trainee-go").click()
    expect(bar.locator(".ck-trainee-hello")).to_contain_text("Lan — HTX Mật ong Hà Giang", timeout=SETTLE_TIMEOUT_MS)

    task = sheet.locator(".ck-task-volume")
    task.locator(".ck-answer input").fill("69.231")
    task.locator(".ck-check").click()
    mistake = eggs.say(volume, volume.mistakes[0].message, "vi")
    expect(task.locator(".ck-feedback")).to_have_text(mistake, timeout=SETTLE_TIMEOUT_MS)
    expect(task.locator(".ck-solution-button")).to_be_disabled()
    task.locator(".ck-hint").click()
    expect(task.locator(".ck-hints")).to_contain_text(eggs.hints(volume, "vi")[0], timeout=SETTLE_TIMEOUT_MS)
    task.locator(".ck-answer input").fill("240.000")
    task.locator(".ck-check").click()
    expect(task.locator(".ck-feedback")).to_have_text("Đúng rồi!", timeout=SETTLE_TIMEOUT_MS)

    # The trainer's page: nothing without the key, the room with it.
    trainer = make_page("en-US")
    open_app(trainer, server, "trainer.ipynb", lang="en")
    room = trainer.locator(".ck-trainer")
    key_box = room.locator(".ck-trainer-key input")
    key_box.fill("not-the-key")
    room.locator(".ck-trainer-open").click()
    expect(room.locator(".ck-status-error")).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
    expect(room.locator(".ck-room-grid td")).to_have_count(0)
    assert "Lan" not in room.inner_text()
    key_box.fill(KEY)
    room.locator(".ck-trainer-open").click()
    cell = room.locator(".ck-room-grid td[data-workbook='break_even'][data-task='volume']")
    expect(cell).to_have_attribute("data-state", "right", timeout=SETTLE_TIMEOUT_MS)
    expect(room.locator(".ck-room-grid")).to_contain_text("Lan")

    # A second answer on the trainee's phone reaches the trainer's page by itself.
    other = sheet.locator(".ck-task-safety")
    other.locator(".ck-answer input").fill("60 %")
    other.locator(".ck-check").click()
    expect(other.locator(".ck-feedback")).to_have_text(eggs.say(safety, safety.mistakes[0].message, "vi"),
                                                       timeout=SETTLE_TIMEOUT_MS)
    safety_cell = room.locator(".ck-room-grid td[data-workbook='break_even'][data-task='safety']")
    expect(safety_cell).to_have_attribute("data-state", "tried", timeout=SETTLE_TIMEOUT_MS)

    # The trainer releases the solution of the task the trainee is stuck on.
    expect(other.locator(".ck-solution")).to_have_text("")
    room.locator(".ck-release-break_even-safety").click()
    expect(other.locator(".ck-solution")).to_contain_text(eggs.shown_answer(safety, "vi"), timeout=SETTLE_TIMEOUT_MS)
    expect(other.locator(".ck-released")).to_be_visible()

    # The Excel export holds the answers.
    link = room.locator("a.ck-room-xlsx")
    expect(link).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
    href = link.get_attribute("href")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(href.split(",", 1)[1])), read_only=True)
    cells = [str(v) for sheet_ in book.worksheets for row in sheet_.iter_rows(values_only=True) for v in row if v is not None]
    assert "Lan" in cells and "HTX Mật ong Hà Giang" in cells
    assert any("240.000" in c or c in ("240000", "240000.0") for c in cells)

    # The trainee's next workbook knows the name: nothing to type again.
    trainee.goto(f"{server.url}voila/render/01_unit_cost.ipynb?lang=vi", wait_until="commit")
    expect(trainee.locator(".ck-trainee-hello")).to_contain_text("Lan — HTX Mật ong Hà Giang", timeout=SETTLE_TIMEOUT_MS)
