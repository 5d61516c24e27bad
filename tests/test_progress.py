"""The room's progress (coopkit.progress), the Excel export, the certificates and ``make answers``.

A small room is built by hand with the answer store (coopkit.answers), the way the pages record:
known counts, who is stuck, who completed workbook 2, the quiz's gain; the Excel file is read
back with openpyxl; the certificates' words are read back from the PDF with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pypdf
import pytest

from coopkit import exercises, progress, room
from coopkit.answers import AnswerStore, Trainee
from coopkit.plots.certificates import certificates_pdf

ROOT = Path(__file__).resolve().parent.parent
EGGS = exercises.load_set(ROOT / "exercises" / "02_break_even.toml")
TASKS = [t.id for t in EGGS.tasks]  # margin, volume, profit_drop, safety

QUIZ = '''workbook = "quiz"
title = {vi = "Kiểm tra", en = "Quiz"}
case = {vi = "Ba câu hỏi.", en = "Three questions."}
'''
for number, (task_id, right) in enumerate((("q1", 0), ("q2", 1), ("q3", 2), ("unasked", 0))):
    QUIZ += f'''[[task]]
id = "{task_id}"
kind = "choice"
about = "break_even"
question = {{vi = "Câu {number}?", en = "Question {number}?"}}
options = {{vi = ["A", "B", "C"], en = ["A", "B", "C"]}}
answer = "{right}"
solution = {{vi = "Đáp án.", en = "The answer."}}
'''

LAN = Trainee("Lan", "HTX Mật ong Hà Giang")
MINH = Trainee("Minh", "HTX Rau Mộc Châu")
HOA = Trainee("Hoa", "HTX Chè Tân Cương")
FORMULA = Trainee("=1+1", "@HTX")


def attempt(store, who, task, typed, status, mistake=None, workbook="break_even"):
    store.record(who, workbook, task, "attempt", typed=typed, value=None, status=status, mistake=mistake)


@pytest.fixture()
def quiz(tmp_path):
    path = tmp_path / "quiz.toml"
    path.write_text(QUIZ, encoding="utf-8")
    return exercises.load_set(path)


@pytest.fixture()
def store(tmp_path):
    store = AnswerStore(tmp_path / "answers")
    for task in TASKS:  # Lan: every task right, the volume at the second try
        if task == "volume":
            attempt(store, LAN, task, "69.231", "mistake", "divided_by_price")
        attempt(store, LAN, task, "1", "right")
    # Minh: three wrong volumes (twice the known mistake), margin right
    attempt(store, MINH, "volume", "69.231", "mistake", "divided_by_price")
    attempt(store, MINH, "volume", "69.230", "mistake", "divided_by_price")
    attempt(store, MINH, "volume", "7", "wrong")
    attempt(store, MINH, "margin", "750", "right")
    # Hoa: every hint of the margin and one wrong answer; the volume right after the solution
    store.record(HOA, "break_even", "margin", "hint", hints=len(EGGS.task("margin").hints))
    attempt(store, HOA, "margin", "2.600", "wrong")
    store.record(HOA, "break_even", "volume", "solution")
    attempt(store, HOA, "volume", "240.000", "right")
    # "=1+1": one wrong answer typed as a formula
    attempt(store, FORMULA, "margin", "=2*3", "wrong")
    # the quiz: Lan 1 of 3 before, 3 of 3 after; Minh 0 of 3 before (he answered one), 2 of 3 after
    for who, round_name, answers in (
        (LAN, progress.QUIZ_BEFORE, {"q1": "right", "q2": "wrong", "q3": "wrong"}),
        (MINH, progress.QUIZ_BEFORE, {"q1": "wrong"}),
        (LAN, progress.QUIZ_AFTER, {"q1": "right", "q2": "right", "q3": "right"}),
        (MINH, progress.QUIZ_AFTER, {"q1": "right", "q2": "right", "q3": "wrong"}),
    ):
        for task, status in answers.items():
            attempt(store, who, task, "0", status, workbook=round_name)
    return store


def test_room_table_has_a_row_per_trainee_and_task_with_titles_in_the_language(store):
    table = progress.room_table(store.records(), "en", [EGGS])
    assert len(table) == 4 + 2 + 2 + 1 + 3 + 1 + 3 + 3
    minh = table[(table["Trainee"] == "Minh") & (table["Task"] == "volume")].iloc[0]
    assert (minh["Attempts"], minh["Right"], minh["Last answer"]) == (3, False, "7")
    assert minh["Workbook"] == EGGS.title.en
    hoa = table[(table["Trainee"] == "Hoa") & (table["Task"] == "volume")].iloc[0]
    assert hoa["Solution seen"] and hoa["Right"]
    vi = progress.room_table(store.records(), "vi", [EGGS])
    assert list(vi.columns)[:2] == ["Học viên", "Hợp tác xã"]
    assert "Kiểm tra đầu buổi" in set(vi["Bài học"])


def test_task_summary_counts_answers_right_answers_common_mistakes_and_stuck(store):
    summary = progress.task_summary(store.records(), [EGGS], "en").set_index("Task")
    assert list(summary.index) == TASKS
    assert summary.loc["volume", "Answered by"] == 3 and summary.loc["volume", "Right by"] == 2
    assert summary.loc["margin", "Answered by"] == 4 and summary.loc["margin", "Right by"] == 2
    # the known mistake is counted once per trainee (Minh gave it twice), under its message
    assert summary.loc["volume", "Common wrong answers"] == "You divided by the whole price (2); 7 (1)"
    assert summary.loc["volume", "Stuck"] == 1 and summary.loc["margin", "Stuck"] == 1
    assert summary.loc["safety", "Answered by"] == 1 and summary.loc["safety", "Common wrong answers"] == ""


def test_common_wrong_answers_keep_the_three_most_given():
    records = []
    for n, typed in enumerate(["5", "5", "5", "6", "6", "7", "8"]):
        records.append({"trainee": {"key": f"k{n}", "name": f"T{n}", "cooperative": "HTX"}, "workbook": "break_even",
                        "task": "volume", "attempts": 1, "hints": 0, "right": False,
                        "answers": [{"typed": typed, "status": "wrong", "mistake": None}]})
    assert progress.common_wrong(records, EGGS, EGGS.task("volume"), "en") == [("5", 3), ("6", 2), ("7", 1)]


def test_stuck_means_three_attempts_or_every_hint_and_not_right(store):
    found = {(s.name, s.task): s for s in progress.stuck(store.records(), [EGGS])}
    assert set(found) == {("Minh", "volume"), ("Hoa", "margin")}
    assert found[("Minh", "volume")].attempts == 3
    assert found[("Hoa", "margin")].hints == len(EGGS.task("margin").hints)
    attempt(store, MINH, "volume", "240.000", "right")  # right at last: no longer stuck
    assert {(s.name, s.task) for s in progress.stuck(store.records(), [EGGS])} == {("Hoa", "margin")}


def test_completed_lists_the_workbooks_whose_every_task_is_right(store):
    done = progress.completed(store.records(), [EGGS])
    assert done[LAN.key] == ["break_even"]
    assert done[MINH.key] == [] and done[HOA.key] == [] and done[FORMULA.key] == []
    for task in TASKS:
        attempt(store, MINH, task, "1", "right")
    assert progress.completed(store.records(), [EGGS])[MINH.key] == ["break_even"]


def test_quiz_gain_before_and_after(store, quiz):
    gain = progress.quiz_gain(store.records(), quiz)
    assert gain.before == pytest.approx((1 / 3 + 0) / 2)
    assert gain.after == pytest.approx((1 + 2 / 3) / 2)
    assert gain.gain == pytest.approx(gain.after - gain.before)
    people = gain.trainees.set_index("trainee")
    assert people.loc["Lan", "before"] == pytest.approx(1 / 3) and people.loc["Minh", "after"] == pytest.approx(2 / 3)
    questions = gain.questions.set_index("question")
    assert list(questions.index) == ["q1", "q2", "q3"]  # the question nobody was asked is left out
    assert questions.loc["q1", "before"] == 0.5 and questions.loc["q2", "before"] == 0.0
    assert questions.loc["q1", "after"] == 1.0 and questions.loc["q3", "after"] == 0.5


def test_quiz_gain_with_no_quiz_answers_is_empty(quiz):
    gain = progress.quiz_gain([], quiz)
    assert gain.before is None and gain.after is None and gain.gain is None and gain.trainees.empty


def test_the_last_option_chosen_counts():
    record = {"trainee": {"key": "k", "name": "A", "cooperative": "B"}, "workbook": progress.QUIZ_AFTER, "task": "q1",
              "right": True, "answers": [{"status": "right"}, {"status": "wrong"}]}

    class Quiz:
        tasks = [type("T", (), {"id": "q1"})()]

    assert progress.quiz_gain([record], Quiz()).after == 0.0


def test_room_xlsx_has_three_sheets_formats_frozen_headers_and_keeps_text_as_text(store, quiz):
    data = progress.room_xlsx(store.records(), [EGGS, quiz], "en")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Answers", "Tasks", "Quiz"]
    answers = book["Answers"]
    assert answers.freeze_panes == "A2" and book["Tasks"].freeze_panes == "A2"
    head = [c.value for c in answers[1]]
    rows = [dict(zip(head, (c for c in row))) for row in answers.iter_rows(min_row=2)]
    formula = next(r for r in rows if r["Cooperative"].value == "@HTX")
    assert formula["Trainee"].value == "=1+1" and formula["Trainee"].data_type == "s"
    assert formula["Last answer"].value == "=2*3" and formula["Last answer"].data_type == "s"
    assert formula["Attempts"].value == 1 and formula["Attempts"].number_format == "0"
    assert isinstance(formula["Last time (UTC)"].value, dt.datetime)
    assert formula["Last time (UTC)"].number_format == "yyyy-mm-dd hh:mm"
    tasks = {row[1].value: row for row in book["Tasks"].iter_rows(min_row=2)}
    assert tasks["volume"][3].value == 2
    quiz_sheet = book["Quiz"]
    lan = next(row for row in quiz_sheet.iter_rows(min_row=2) if row[0].value == "Lan")
    assert lan[2].value == pytest.approx(1 / 3) and lan[2].number_format == "0%" and lan[3].value == 1
    values = [c.value for row in quiz_sheet.iter_rows() for c in row]
    assert "Question" in values and "q3" in values
    # no formula anywhere: every text cell is text
    for sheet in book.worksheets:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_room_xlsx_in_vietnamese_and_for_an_empty_room(quiz):
    book = openpyxl.load_workbook(io.BytesIO(progress.room_xlsx([], [EGGS, quiz], "vi")))
    assert book.sheetnames == ["Câu trả lời", "Bài tập", "Kiểm tra"]
    assert book["Câu trả lời"]["A1"].value == "Học viên" and book["Câu trả lời"].max_row == 1


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_certificates_have_one_page_per_trainee_with_their_name_and_workbooks():
    people = [({"name": "Nguyễn Thị Lan", "cooperative": "HTX Mật ong Hà Giang"}, ["unit_cost", "break_even"]),
              (Trainee("Minh", "HTX Rau Mộc Châu"), ["break_even"])]
    pages = _pdf_text(certificates_pdf(people, "vi", "Tập huấn Hà Giang", dt.date(2026, 11, 30)))
    assert len(pages) == 2
    lan, minh = (" ".join(p.split()) for p in pages)
    assert "Giấy chứng nhận hoàn thành" in lan and "Nguyễn Thị Lan" in lan and "HTX Mật ong Hà Giang" in lan
    assert "Tập huấn Hà Giang" in lan and "30/11/2026" in lan
    assert "1. Giá thành" in lan and "2. Hòa vốn" in lan
    assert "Minh" in minh and "1. Giá thành" not in minh
    english = " ".join(_pdf_text(certificates_pdf(people[1:], "en", "Mộc Châu workshop", dt.date(2026, 12, 1)))[0].split())
    assert "Certificate of completion" in english and "1 December 2026" in english and "2. Break-even" in english


def test_certificates_for_nobody_are_empty():
    assert certificates_pdf([], "en", "x", dt.date(2026, 1, 1)) == b""


def test_make_answers_writes_the_room(store, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "exercises"
    folder.mkdir()
    shutil.copy(EGGS.file, folder)
    monkeypatch.setenv("COOPKIT_EXERCISES", str(folder))
    out = tmp_path / "answers.xlsx"
    assert room.main([str(store.root), "--xlsx", str(out), "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "4 trainees" in said and "Stuck: Minh (HTX Rau Mộc Châu), break_even · volume" in said
    assert openpyxl.load_workbook(out).sheetnames == ["Answers", "Tasks", "Quiz"]
    assert room.main([str(tmp_path / "nobody")]) == 0
    assert "Chưa có câu trả lời" in capsys.readouterr().out


def test_make_answers_target_calls_the_room_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "python -m coopkit.room $(ANSWERS) --xlsx answers.xlsx" in makefile
