"""The trainer's documents in docs/ (issue 13, section 3): the agendas add up, follow the lessons' minutes
and say the same in both languages; the trainer guide has a section for every workbook; every `make`
target, option and file the documents name exists; the English documents are in English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopkit import workbooks
from test_vocabulary import BANNED_VI, BARE_DONG, VIETNAMESE

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = ("vi", "en")
DOC_NAMES = ("trainer-guide", "agenda", "room-setup")
#: Documents that follow the same rules of both languages and words (not the agenda's or the guide's tables).
OTHER_DOCS = ("jupyterhub",)

#: Names that were being added while these documents were written; they all exist now, and
#: every name the documents mention is checked (nothing is skipped).
PENDING_TARGETS: set[str] = set()
PENDING_OPTIONS: set[str] = set()
PENDING_NOTEBOOKS: set[str] = set()
#: Written by `make exercise-answers` and committed (tests/test_exercises.py keeps them up to date).
GENERATED_ANSWERS: set[str] = set()

WORKBOOKS = {w.notebook[:2]: w for w in workbooks.workbooks()}
#: Rows of an agenda that are not work: breaks and lunch.
BREAK_WORDS = {"vi": ("nghỉ",), "en": ("break", "lunch")}


def _text(name: str, lang: str) -> str:
    return (DOCS / f"{name}.{lang}.md").read_text(encoding="utf-8")


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


# --------------------------------------------------------------------------- agenda tables


class Row:
    def __init__(self, cells: list[str], lang: str) -> None:
        self.clock, self.block, minutes = (cell.strip() for cell in cells)
        self.minutes = int(minutes.strip("*"))
        match = re.match(r"(\d\d) · ", self.block)
        self.workbook = match.group(1) if match else None
        self.is_total = "–" in self.clock
        self.is_break = self.workbook is None and self.block.lower().startswith(BREAK_WORDS[lang])

    def __repr__(self) -> str:
        return f"{self.clock} {self.block[:30]} {self.minutes}"


def _tables(text: str, lang: str) -> list[list[Row]]:
    """Every three-column table of a document, its rows after the header line."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = line.strip().strip("|").split("|")
            if current is None:
                current = []  # the header
            elif not set(line) <= set("|-: "):
                assert len(cells) == 3, f"an agenda row has three columns: {line}"
                current.append(Row(cells, lang))
        elif current is not None:
            tables.append(current)
            current = None
    if current is not None:
        tables.append(current)
    return tables


AGENDAS = {lang: _tables(_text("agenda", lang), lang) for lang in LANGS}


def test_the_agendas_hold_four_tables():
    """One day; two days: day 1, day 2 with 07 for crop cooperatives, day 2 with 08 for egg producers."""
    for lang in LANGS:
        assert len(AGENDAS[lang]) == 4, lang
        assert all(len(table) > 5 for table in AGENDAS[lang]), lang


@pytest.mark.parametrize("lang", LANGS)
def test_each_agenda_adds_up_to_its_total_row(lang):
    for table in AGENDAS[lang]:
        *rows, total = table
        assert total.is_total and not any(row.is_total for row in rows), table
        assert sum(row.minutes for row in rows) == total.minutes, table


@pytest.mark.parametrize("lang", LANGS)
def test_each_block_starts_when_the_one_before_ends(lang):
    for table in AGENDAS[lang]:
        *rows, total = table
        for before, after in zip(rows, rows[1:]):
            assert _minutes(after.clock) == _minutes(before.clock) + before.minutes, (before, after)
        first, last = total.clock.split("–")
        assert first == rows[0].clock
        assert _minutes(last) == _minutes(rows[-1].clock) + rows[-1].minutes
        assert _minutes(last) - _minutes(first) == total.minutes


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_blocks_take_their_lessons_minutes(lang):
    """A workbook's block = its teaching + exercise minutes in notebooks/workbooks.toml, and says both."""
    words = {"vi": ("giảng", "bài tập"), "en": ("teaching", "exercises")}[lang]
    blocks = [row for table in AGENDAS[lang] for row in table if row.workbook]
    assert len(blocks) >= 15
    for row in blocks:
        w = WORKBOOKS[row.workbook]
        assert row.minutes == w.teaching_minutes + w.exercise_minutes, row
        assert f"({words[0]} {w.teaching_minutes}, {words[1]} {w.exercise_minutes})" in row.block, row


def _work_minutes(table: list[Row]) -> int:
    return sum(row.minutes for row in table if not row.is_total and not row.is_break)


@pytest.mark.parametrize("lang", LANGS)
def test_one_day_agenda(lang):
    """About 5.5 hours of work (5 to 6), breaks and lunch apart; the workbooks of the issue in order."""
    one_day = AGENDAS[lang][0]
    assert 5 * 60 <= _work_minutes(one_day) <= 6 * 60
    assert [row.workbook for row in one_day if row.workbook] == ["01", "02", "03", "04", "10"]
    breaks = [row for row in one_day if row.is_break]
    assert len(breaks) >= 3 and _work_minutes(one_day) + sum(row.minutes for row in breaks) == one_day[-1].minutes
    # the quiz before the first workbook and after the last, the opening first and the wrap-up last
    blocks = [row.block.lower() for row in one_day]
    quiz = ("kiểm tra đầu buổi", "kiểm tra cuối buổi") if lang == "vi" else ("before quiz", "after quiz")
    quizzes = [i for i, block in enumerate(blocks) if block.startswith(quiz)]
    workbook_rows = [i for i, row in enumerate(one_day) if row.workbook]
    assert len(quizzes) == 2 and quizzes[0] < workbook_rows[0] and quizzes[1] > workbook_rows[-1]
    assert quizzes[0] > 0 and quizzes[1] < len(one_day) - 2  # an opening before, a wrap-up after


@pytest.mark.parametrize("lang", LANGS)
def test_two_day_agenda(lang):
    """Day 1 as the one-day agenda; day 2 with 05, 06, 09, 11, and 07 or 08 as alternatives."""
    one_day, day_1, *day_2 = AGENDAS[lang]
    assert [(row.clock, row.minutes, row.workbook) for row in day_1] == \
           [(row.clock, row.minutes, row.workbook) for row in one_day]
    assert len(day_2) == 2
    alternatives = set()
    for table in day_2:
        listed = [row.workbook for row in table if row.workbook]
        assert {"05", "06", "09", "11"} <= set(listed), listed
        extra = set(listed) - {"05", "06", "09", "11"}
        assert len(extra) == 1 and len(listed) == 5, listed
        alternatives |= extra
        assert 5 * 60 <= _work_minutes(table) <= 6 * 60
    assert alternatives == {"07", "08"}


def test_the_agenda_says_the_same_in_both_languages():
    vi, en = AGENDAS["vi"], AGENDAS["en"]
    assert [[(r.clock, r.minutes, r.workbook, r.is_break) for r in t] for t in vi] == \
           [[(r.clock, r.minutes, r.workbook, r.is_break) for r in t] for t in en]


@pytest.mark.parametrize("name", DOC_NAMES + OTHER_DOCS)
def test_both_languages_have_the_same_headings_and_tables(name):
    def shape(lang):
        text = _text(name, lang)
        headings = [len(m.group(1)) for m in re.finditer(r"^(#+) ", text, re.MULTILINE)]
        rows = [line.count("|") for line in text.splitlines() if line.startswith("|")]
        return headings, rows

    assert shape("vi") == shape("en")


def test_the_tables_parse_like_an_agenda():
    """The parser reads a table as the documents write it: a total row, a break and a workbook block."""
    text = ("| Time | Block | Minutes |\n|---|---|---:|\n| 08:00 | 01 · Unit cost (teaching 20, exercises 25) | 45 |\n"
            "| 08:45 | Lunch | 60 |\n| 08:00–09:45 | **Total** | **105** |\n")
    (table,) = _tables(text, "en")
    assert [(r.workbook, r.is_break, r.is_total, r.minutes) for r in table] == \
           [("01", False, False, 45), (None, True, False, 60), (None, False, True, 105)]


# --------------------------------------------------------------------------- the trainer guide


def _sections(text: str) -> dict[str, str]:
    """The guide's workbook sections: ``"01"`` → the text from its ``## 01 · `` heading to the next."""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part[:2]: part for part in parts[1:] if re.match(r"\d\d · ", part)}


@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_has_a_section_for_every_workbook(lang):
    sections = _sections(_text("trainer-guide", lang))
    assert sorted(sections) == sorted(WORKBOOKS)
    time_line = {"vi": "Giảng {t} phút, bài tập {e} phút (cả bài {s} phút)",
                 "en": "Teaching {t} minutes, exercises {e} minutes ({s} in all)"}[lang]
    for number, w in WORKBOOKS.items():
        section = sections[number]
        stem = Path(w.notebook).stem
        # the heading is the lesson's own title, its number written 01, 02…
        title = workbooks.header(w.notebook, lang).title
        assert section.splitlines()[0] == f"{number} · " + title.split(". ", 1)[1], number
        minutes = w.teaching_minutes + w.exercise_minutes
        assert time_line.format(t=w.teaching_minutes, e=w.exercise_minutes, s=minutes) in section, number
        assert f"`handouts/vi/{stem}.pdf`" in section, number
        assert f"[exercise-answers.{lang}.md](exercise-answers.{lang}.md)" in section and f"`{stem}`" in section
        # what to say and show names at least one box of the app, by its label in this language
        assert len(re.findall(r"\*\*[^*]+\*\*", section)) >= 6, number


def test_the_guides_point_to_sections_the_generated_answers_have():
    """When `make exercise-answers` has written its files, each workbook the guide points to is in them."""
    for lang in LANGS:
        path = DOCS / f"exercise-answers.{lang}.md"
        assert path.exists(), f"{path.name} is written by `make exercise-answers`"
        answers = path.read_text(encoding="utf-8")
        for w in WORKBOOKS.values():
            title = workbooks.header(w.notebook, lang).title
            assert Path(w.notebook).stem in answers or title in answers, (path.name, w.notebook)


# --------------------------------------------------------------------------- commands and files named

ALL_DOCS = sorted(DOCS.glob("*.md"))
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
TARGETS = set(re.findall(r"^([A-Za-z][\w-]*):", MAKEFILE, re.MULTILINE))
OPTIONS = set(re.findall(r"\$\(([A-Z_]+)\)", MAKEFILE))


def _code(text: str) -> str:
    """What a document writes as code: inline `spans` and fenced blocks."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    inline = re.findall(r"`([^`\n]+(?:\n[^`\n]+)?)`", re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL))
    return "\n".join(fenced + inline)


def test_the_documents_are_read():
    assert {path.name for path in ALL_DOCS} >= {f"{n}.{lang}.md" for n in DOC_NAMES for lang in LANGS} | {"README.md"}
    assert {"serve", "collect", "handouts"} <= TARGETS and {"HOST", "TOKEN", "SCENARIOS"} <= OPTIONS


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_every_make_target_and_option_exists(path):
    commands = re.findall(r"(?<![\w-])make ([a-z][\w-]*)((?:\s+[A-Z_]+=\S+)*)", _code(path.read_text(encoding="utf-8")))
    assert commands or path.name.startswith("agenda"), "the document names no command"
    for target, options in commands:
        if target in PENDING_TARGETS and target not in TARGETS:
            continue  # named in the preamble of issue 13, being added to the Makefile by another helper
        assert target in TARGETS, f"{path.name}: make {target} is not a Makefile target"
        for option in re.findall(r"([A-Z_]+)=", options):
            if option in PENDING_OPTIONS and option not in OPTIONS:
                continue  # make serve ANSWERS=… / TRAINER_KEY=…: named in the preamble, being added
            assert option in OPTIONS, f"{path.name}: make {target} {option}= is not a Makefile option"


REPO_DIRS = ("notebooks", "handouts", "docs", "benchmarks", "exercises", "coopkit", "tests", "datasets", "share")
#: A path inside the repository; ``<notebook>`` or ``<tên bài>`` stands for any name.
REPO_PATH = re.compile(rf"(?<![\w/.~])(?:\.\./)?(?:{'|'.join(REPO_DIRS)})/(?:[\w./-]|<[^>\n]*>)*")


def _named_paths(path: Path) -> list[tuple[str, Path]]:
    """(as written, resolved) for every repository path a document names: in code, and as a link."""
    text = path.read_text(encoding="utf-8")
    found = [(m.group(0), ROOT / m.group(0).removeprefix("../")) for m in REPO_PATH.finditer(_code(text))]
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            found.append((target, (path.parent / target).resolve()))
    return found


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_every_file_named_exists(path):
    named = _named_paths(path)
    assert named
    stems = {Path(w.notebook).stem for w in WORKBOOKS.values()}
    for written, resolved in named:
        written = written.rstrip(".")
        if written.startswith("handouts/"):
            # written by `make handouts` (not committed): handouts/<lang>/<notebook>.pdf of a real notebook
            match = re.fullmatch(r"handouts/(vi|en)/(?:(<[^>]+>|[\w-]+)\.pdf)?", written)
            assert match, written
            assert match.group(2) is None or match.group(2) in stems or match.group(2).startswith("<"), written
            assert "--out handouts" in MAKEFILE
            continue
        if resolved.name in GENERATED_ANSWERS and not resolved.exists():
            continue  # written by `make exercise-answers` (issue 13), not there yet
        assert resolved.exists(), f"{path.name} names {written}, which does not exist"
    for page in re.findall(r"voila/render/([\w-]+\.ipynb)", path.read_text(encoding="utf-8")):
        if page in PENDING_NOTEBOOKS and not (ROOT / "notebooks" / page).exists():
            continue  # the trainer page and the quiz page of issue 13, being written by other helpers
        assert (ROOT / "notebooks" / page).exists(), page


# --------------------------------------------------------------------------- words

#: Vietnamese words an English document may hold: place and person names, the local units and the currency.
PROPER_NAMES = {"Sơn", "La", "Lạc", "Thủy", "Hòa", "Bình", "Nam", "Đắk", "Lắk", "Mộc", "Châu", "Lò", "Văn", "Hà", "Tà", "Xùa", "Phú", "Thọ"}
#: Abbreviations in the names of legal documents ("Decision 148/QĐ-TTg").
LEGAL_WORDS = {"QĐ"}
LOCAL_WORDS = {"đồng", "sào", "công", "tạ", "yến"}
def _non_english_words(text: str) -> list[str]:
    """The words written with a letter English does not use (ư, đ, é…; not ² or °)."""
    return [word for word in re.findall(r"\w+", text) if any(c.isalpha() and not c.isascii() for c in word)]


@pytest.mark.parametrize("name", DOC_NAMES + OTHER_DOCS)
def test_english_documents_have_no_vietnamese_words(name):
    text = _text(name, "en")
    foreign = {word for word in _non_english_words(text) if word not in PROPER_NAMES | LOCAL_WORDS | LEGAL_WORDS}
    assert foreign == set()
    assert VIETNAMESE.findall(text) == []


def test_the_word_check_finds_vietnamese():
    assert _non_english_words("the margin (tỷ suất lợi nhuận) in đồng, 30 °C, café") == \
           ["tỷ", "suất", "lợi", "nhuận", "đồng", "café"]
    assert not _non_english_words("Break-even: 1,250,000 × 12 ÷ 3 – 20 %, 360 m², a² + b²")


@pytest.mark.parametrize("name", DOC_NAMES + OTHER_DOCS)
def test_vietnamese_documents_use_the_agreed_words(name):
    text = _text(name, "vi")
    banned = [word for word in BANNED_VI if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)]
    assert banned == [], [f"write “{BANNED_VI[word]}”" for word in banned]
    assert "đồng" in text or name in ("room-setup", *OTHER_DOCS)
    # the words the lessons use for what the guide explains
    if name == "trainer-guide":
        for word in ("lãi góp", "số dư đảm phí", "số dư an toàn", "tỷ lệ lãi cộng thêm trên giá thành",
                     "tỷ suất lợi nhuận (biên lợi nhuận)", "phí mỗi đơn (phí hạ tầng)", "biểu đồ độ nhạy (tornado)",
                     "thành viên", "Hội đồng quản trị", "Giám đốc"):
            assert word in text, word


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", DOC_NAMES + OTHER_DOCS)
def test_prose_writes_dong_never_the_sign(name, lang):
    """Documents are prose: "120 triệu đồng"; never ₫ nor a bare đ."""
    text = _text(name, lang)
    assert "₫" not in text
    assert BARE_DONG.findall(text) == []
