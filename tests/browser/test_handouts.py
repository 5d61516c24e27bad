"""The printable handouts (issue 12): ``python -m coopkit.handouts`` writes an A4 PDF per workbook and
language that a manager can take home, and it says so.

One run of the generator, for every workbook of ``notebooks/workbooks.toml`` in both languages,
into a temporary folder (module fixture; it prints the served Voila pages with Debian's
chromium). Then, for each workbook and language: the PDF exists and is A4 with pages; its text
holds the workbook's title (in the running head and in the lesson's header on the first page),
at least one formula of its formula card (a workbook without a ``formulas`` cell fails here), the
formula card and the blank worksheet each start a page, and no title of the other language.
The pure helpers (file names, the answers a page must show, the paper text of markdown, the
atomic write) are tested without a browser.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from coopkit import handouts, workbooks

REPO_ROOT = Path(__file__).resolve().parents[2]
#: The whole run (22 pages) must end well within this, even on two busy cores.
RUN_TIMEOUT = 900
#: A4 in PDF points (595.3 × 841.9); Chromium rounds to whole pixels.
A4 = (595.3, 841.9)
OTHER = {"vi": "en", "en": "vi"}

CASES = [pytest.param(w.notebook, lang, id=f"{Path(w.notebook).stem}-{lang}")
         for w in workbooks.workbooks() for lang in workbooks.LANGUAGES]


def normalised(text: str) -> str:
    """Text as compared: NFKC (the PDF's "ﬀ" ligature is "ff"), spaces and line breaks as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------- one run, all handouts


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Run ``python -m coopkit.handouts`` for every workbook in both languages once:
    ``(out folder, completed process, seconds)``."""
    out = tmp_path_factory.mktemp("handouts")
    env = dict(os.environ, COOPKIT_SCENARIO_DIR=str(out.parent / "scenarios"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    started = time.monotonic()
    try:
        run = subprocess.run([sys.executable, "-m", "coopkit.handouts", "--out", str(out), "--lang", "vi", "en"],
                             cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"the handouts took more than {RUN_TIMEOUT} s:\n{error.stdout}\n{error.stderr}", pytrace=False)
    took = time.monotonic() - started
    print(f"\nhandouts: {len(CASES)} PDFs in {took:.0f} s\n{run.stdout}{run.stderr}")
    return out, run, took


@pytest.fixture(scope="module")
def pdf_texts(generated):
    """``{(notebook, lang): [text of each page]}`` of every PDF that was written."""
    from pypdf import PdfReader

    out, _run, _took = generated
    texts = {}
    for workbook in workbooks.workbooks():
        for lang in workbooks.LANGUAGES:
            path = handouts.handout_path(out, workbook.notebook, lang)
            if path.exists():
                reader = PdfReader(path)
                texts[(workbook.notebook, lang)] = [normalised(page.extract_text()) for page in reader.pages]
                sizes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages}
                texts[(workbook.notebook, lang, "sizes")] = sizes
    return texts


@pytest.mark.browser
def test_the_run_writes_every_handout_and_says_so(generated):
    out, run, took = generated
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    for workbook in workbooks.workbooks():
        for lang in workbooks.LANGUAGES:
            assert str(handouts.handout_path(out, workbook.notebook, lang)) in run.stdout
    assert f"{len(CASES)} of {len(CASES)} handouts written" in run.stdout
    # written whole or not at all: no temporary file is left beside the PDFs
    assert sorted(p.name for p in out.rglob("*") if p.is_file() and not p.name.endswith(".pdf")) == []
    assert took < RUN_TIMEOUT


def _cell_heading(workbook: workbooks.Workbook, lang: str, role: str) -> str | None:
    """The first line of the first cell with ``role`` in ``lang``, as it reads on paper."""
    for cell in workbooks.prose(workbook, lang):
        if role in cell.roles:
            lines = [handouts.paper_text(line) for line in cell.source.splitlines() if line.strip()]
            return lines[0] if lines else None
    return None


@pytest.mark.browser
@pytest.mark.parametrize(("notebook", "lang"), CASES)
def test_handout_reads_as_the_lesson_in_its_language(pdf_texts, notebook, lang):
    workbook = workbooks.find(notebook)
    pages = pdf_texts.get((notebook, lang))
    assert pages, f"{notebook} ({lang}): no PDF was written"
    assert pdf_texts[(notebook, lang, "sizes")] == {A4} or all(
        abs(w - A4[0]) < 1.5 and abs(h - A4[1]) < 1.5 for w, h in pdf_texts[(notebook, lang, "sizes")]), "not A4"
    text = " ".join(pages)

    title = normalised(workbooks.header(workbook, lang).title)
    # the running head and the lesson's own header: twice on the first page
    assert pages[0].count(title) >= 2, f"{notebook} ({lang}): the title {title!r} is not in the header and the lesson"
    other = normalised(workbooks.header(workbook, OTHER[lang]).title)
    assert other not in text, f"{notebook} ({lang}): the {OTHER[lang]} title is printed too"

    formulas = [normalised(line) for line in handouts.formula_lines(workbook, lang)]
    assert formulas, f"{notebook} ({lang}): the notebook has no formula card (a markdown cell tagged 'formulas')"
    assert any(line in text for line in formulas), f"{notebook} ({lang}): no line of the formula card is printed"

    # The formula card and the worksheet each begin a page (the page's text starts with their heading).
    for role in ("formulas", "worksheet"):
        heading = _cell_heading(workbook, lang, role)
        if heading is not None:
            assert any(page.startswith(normalised(heading)) for page in pages[1:]), (
                f"{notebook} ({lang}): the {role} cell ({heading!r}) does not start a page")

    # Words about the app (cells tagged screen-only) stay on screen.
    heading = _cell_heading(workbook, lang, "screen-only")
    if heading is not None:
        assert normalised(heading) not in text, f"{notebook} ({lang}): the screen-only cell {heading!r} is printed"


# --------------------------------------------------------------------------- the helpers, no browser


def test_handout_path_is_language_then_notebook():
    assert handouts.handout_path("handouts", "06_production_risk.ipynb", "en") == Path("handouts/en/06_production_risk.pdf")


def _notebook(tmp_path: Path, *sources: str) -> Path:
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": s, "metadata": {}} for s in sources]}))
    return path


def test_a_page_waits_for_every_answer_and_app_of_its_notebook(tmp_path):
    path = _notebook(tmp_path, "import coopkit as ck", 'page = Lesson("x")\npage.switch()',
                     "page.answer(ck.unit_cost(1, 2, 3))", 'page.answer(\n    0.25,\n    kind="rate")',
                     "# a comment\npage.answer(x)", "y = f(1)\npage.answer(y)",
                     'page.app(product="trung_son_nam")', "app = page.app()\napp",
                     "page.app(FigureView, draw=lambda lang: chart(lang))", "page.finish()")
    # an answer counts when it is the cell's last statement, on one line or several
    assert handouts.expected_answers(path) == (4, 2)
    for workbook in workbooks.workbooks():  # every workbook shows its app
        assert handouts.expected_answers(workbook.path())[1] >= 1, workbook.notebook


def test_paper_text_of_markdown():
    assert handouts.paper_text("### **Thẻ công thức**") == "Thẻ công thức"
    assert handouts.paper_text("1. Lãi = doanh thu − chi phí") == "Lãi = doanh thu − chi phí"
    assert handouts.paper_text("| a. Diện tích | &nbsp; | ha |") == "a. Diện tích ha"
    assert handouts.paper_text("Giá \\* 2 = x, __in đậm__") == "Giá * 2 = x, in đậm"


def test_every_workbook_title_differs_between_languages():
    """The test above tells the languages apart by their titles: they must differ, and neither
    may hold the other."""
    for workbook in workbooks.workbooks():
        vi, en = (normalised(workbooks.header(workbook, lang).title) for lang in ("vi", "en"))
        assert vi not in en and en not in vi, workbook.notebook


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path, monkeypatch):
    target = tmp_path / "vi" / "01_unit_cost.pdf"
    handouts.write_atomically(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(handouts.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        handouts.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["01_unit_cost.pdf"]


def test_head_and_foot_say_where_the_reader_is():
    head = handouts.header_template("4. Thử các phương án giá: nếu… thì sao?")
    assert "4. Thử các phương án giá: nếu… thì sao?" in head and "font-size:8pt" in head
    foot = handouts.footer_template()
    assert 'class="pageNumber"' in foot and 'class="totalPages"' in foot


@pytest.mark.browser
@pytest.mark.parametrize(("reason", "settled"), [("not_ready", True), ("missing", False), ("stopped", False)])
def test_the_pages_own_not_ready_notice_is_waited_out_but_a_failure_is_not(make_page, reason, settled):
    """On a busy machine a page shows "not ready yet" 90 s after loading and takes it back when its
    app arrives (ck_page_watch.html.j2): the printer keeps waiting. A missing app or a page that
    stopped loading is a failure."""
    page = make_page()
    page.set_content(
        "<html lang='vi'><body><div id='rendered_cells'>"
        f"<div class='ck-page-problem' data-reason='{reason}'>…</div><div class='ck-app ck-ready'></div>"
        "</div></body></html>")
    state = page.evaluate(handouts._SETTLED_JS, ["vi", 0, 1, handouts._ERRORS])
    assert (state is True) == settled, state
    if not settled:
        assert str(state).startswith("error")
