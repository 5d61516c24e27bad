"""The lessons are the notebooks (issue 12): one registry entry per workbook, prose in both
languages side by side, every number of a worked example held by the code.

``coopkit.lessoncheck`` does the checking (a trainer runs it with ``make check-lessons``); here it
runs on every notebook, and on planted mistakes to show that it fails when it should.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from coopkit import lessoncheck, workbooks
from coopkit.errors import InputError
from coopkit.ui.base import App

NOTEBOOKS = workbooks.notebooks_dir()
ALL_PAGES = list(workbooks.PAGES.values()) + [w.notebook for w in workbooks.workbooks()]


def test_the_registry_lists_every_workbook_notebook_once():
    on_disk = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if p.name != workbooks.START)
    listed = [w.notebook for w in workbooks.workbooks()]
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)
    assert [w.number for w in workbooks.workbooks()] == list(range(1, len(listed) + 1))


@pytest.mark.parametrize("workbook", workbooks.workbooks(), ids=lambda w: w.lesson)
def test_each_notebook_names_its_entry_and_builds_its_app(workbook):
    from coopkit.ui import Lesson

    cells = json.loads(workbook.path().read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert f'page = Lesson("{workbook.lesson}")' in code
    assert re.search(r"^(app = )?page\.app\(\)$", code, re.M), "the app cell stays one line: page.app()"
    assert code.rstrip().endswith("page.finish()")
    page = Lesson(workbook.lesson, lang="vi")
    app = page.app()
    assert isinstance(app, workbook.app_class()) and isinstance(app, App)
    chosen = getattr(app, "product_choice", None)
    wanted = workbook.app_options().get("product") or workbook.app_options().get("equipment")
    if wanted and chosen is not None:
        assert chosen.value == wanted


@pytest.mark.parametrize("notebook", ALL_PAGES)
def test_every_lesson_is_sound(notebook):
    """Twins in the same order, a header with the registry's minutes, worked examples whose every
    number the code holds."""
    assert lessoncheck.check_notebook(NOTEBOOKS / notebook) == []


@pytest.mark.parametrize("notebook", ALL_PAGES)
def test_every_lesson_has_its_parts_in_both_languages(notebook):
    for lang in workbooks.LANGUAGES:
        roles = {role for cell in workbooks.prose(NOTEBOOKS / notebook, lang) for role in cell.roles}
        head = workbooks.header(NOTEBOOKS / notebook, lang)
        assert head.title and head.summary and head.title != notebook
        wanted = {"header"} if notebook in workbooks.PAGES.values() else {"header", "example", "key-points", "formulas", "worksheet"}
        assert wanted <= roles, (lang, wanted - roles)


# --------------------------------------------------------------------------- the check fails when it should
def _copy(tmp_path: Path, notebook: str) -> tuple[Path, dict]:
    target = tmp_path / notebook
    shutil.copy(NOTEBOOKS / notebook, target)
    return target, json.loads(target.read_text(encoding="utf-8"))


def _save(path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _first_example(nb: dict) -> tuple[int, lessoncheck.ProseNumber]:
    """The first cell tagged example (Vietnamese) and its first number above 12."""
    for index, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        if "example" in tags and "lang-vi" in tags:
            numbers = [n for n in lessoncheck.prose_numbers(_source(cell), "vi") if n.value > 12]
            if numbers:
                return index, numbers[0]
    raise AssertionError("no worked example with a number")


def test_a_number_changed_in_one_language_only_is_reported(tmp_path):
    path, nb = _copy(tmp_path, "02_break_even.ipynb")
    index, number = _first_example(nb)
    cell = nb["cells"][index]
    cell["source"] = _source(cell).replace(number.text, number.text.replace(number.text[0], "7", 1), 1)
    _save(path, nb)
    problems = lessoncheck.check_notebook(path)
    assert any(f"cell {index + 1}" in p and "twins do not say the same numbers" in p for p in problems), problems
    assert any(f"cell {index + 1} (vi)" in p and "not one the code" in p for p in problems), problems


def test_a_worked_example_whose_code_changed_but_not_its_prose_is_reported(tmp_path):
    path, nb = _copy(tmp_path, "01_unit_cost.ipynb")
    index, number = _first_example(nb)
    literal = f"{int(number.value):_}"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and literal in _source(cell):
            cell["source"] = _source(cell).replace(literal, f"{int(number.value) * 3:_}")
            break
    else:
        pytest.fail(f"the code does not type {literal}")
    _save(path, nb)
    problems = lessoncheck.check_notebook(path)
    assert any(f"the number {number.text} is not one the code" in p for p in problems), problems


def test_a_missing_twin_and_a_wrong_minute_are_reported(tmp_path):
    path, nb = _copy(tmp_path, "03_channel_pricing.ipynb")
    workbook = workbooks.find("channel_pricing")
    english = [i for i, c in enumerate(nb["cells"]) if "lang-en" in c.get("metadata", {}).get("tags", [])
               and "header" not in c["metadata"]["tags"]]
    del nb["cells"][english[0]]
    for cell in nb["cells"]:
        if "header" in cell.get("metadata", {}).get("tags", []) and "lang-en" in cell["metadata"]["tags"]:
            cell["source"] = _source(cell).replace(f"{workbook.teaching_minutes} min", f"{workbook.teaching_minutes + 5} min")
    _save(path, nb)
    problems = lessoncheck.check_notebook(path)
    assert any("English twin" in p and f"cell {english[0]}" in p for p in problems), problems
    assert any(f"Teaching: {workbook.teaching_minutes} min" in p for p in problems), problems
    assert lessoncheck.main([str(path)]) == 1


def test_a_cell_without_a_language_is_reported(tmp_path):
    path, nb = _copy(tmp_path, "02_break_even.ipynb")
    nb["cells"].insert(3, {"cell_type": "markdown", "id": "nolang01", "metadata": {}, "source": "Ghi chú của giảng viên"})
    _save(path, nb)
    assert any("cell 4" in p and "lang-vi" in p for p in lessoncheck.check_notebook(path))


def test_the_command_says_all_is_sound(capsys):
    assert lessoncheck.main([str(NOTEBOOKS / "02_break_even.ipynb")]) == 0
    assert "all sound" in capsys.readouterr().out


# --------------------------------------------------------------------------- the registry's own errors
GOOD = '[[workbook]]\nnotebook = "01_a.ipynb"\nlesson = "a"\napp = "coopkit.ui:UnitCostApp"\nteaching_minutes = 20\nexercise_minutes = 25\n'


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (GOOD.replace('app = "coopkit.ui:UnitCostApp"\n', ""), "app", {"vi": "thiếu", "en": "missing"}),
        (GOOD + 'colour = "green"\n', "colour", {"vi": "không biết", "en": "not known"}),
        (GOOD.replace("= 20", '= "20"'), "teaching_minutes", {"vi": "số phút", "en": "minutes"}),
        (GOOD.replace("= 25", "= -5"), "exercise_minutes", {"vi": "số phút", "en": "minutes"}),
        (GOOD.replace("= 20", "= 1000"), "teaching_minutes", {"vi": "số phút", "en": "minutes"}),
        (GOOD.replace("= 20", "= true"), "teaching_minutes", {"vi": "số phút", "en": "minutes"}),
        (GOOD.replace("coopkit.ui:UnitCostApp", "UnitCostApp"), "app", {"vi": "mô-đun:Lớp", "en": "module:Class"}),
        (GOOD.replace("01_a.ipynb", "../01_a.txt"), "notebook", {"vi": ".ipynb", "en": ".ipynb"}),
        (GOOD + GOOD.replace('lesson = "a"', 'lesson = "b"'), "notebook", {"vi": "đã dùng cho bài 1", "en": "already used by workbook 1"}),
        (GOOD + "options = 3\n", "options", {"vi": "[workbook.options]", "en": "[workbook.options]"}),
    ],
)
def test_a_bad_registry_entry_names_the_file_the_entry_and_the_key(tmp_path, text, key, words):
    path = tmp_path / "workbooks.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        workbooks.load_workbooks(path)
    for lang in ("vi", "en"):
        message = caught.value.message(lang)
        assert "workbooks.toml" in message and key in message and words[lang] in message, message
        assert re.search(r"(bài|workbook) [12]", message), message


def test_a_registry_that_is_not_toml_says_so(tmp_path):
    path = tmp_path / "workbooks.toml"
    path.write_text("[[workbook]\nnotebook = ", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        workbooks.load_workbooks(path)
    assert "TOML" in caught.value.message("en") and "workbooks.toml" in caught.value.message("vi")


def test_an_unknown_lesson_is_an_input_error():
    with pytest.raises(InputError) as caught:
        workbooks.find("no_such_lesson")
    assert "no_such_lesson" in caught.value.message("vi")


def test_the_template_styles_every_role():
    """The Voila template marks a cell by its role (ck-<role>): the same list as coopkit.workbooks."""
    template = (NOTEBOOKS.parent / "share" / "jupyter" / "voila" / "templates" / "coopkit" / "index.html.j2").read_text(encoding="utf-8")
    listed = re.search(r"tag in \(('header'[^)]*)\)", template).group(1)
    assert tuple(re.findall(r"'([\w-]+)'", listed)) == workbooks.ROLES
    printed = (NOTEBOOKS.parent / "share" / "jupyter" / "voila" / "templates" / "coopkit" / "ck_print.html.j2").read_text(encoding="utf-8")
    assert ".ck-screen-only" in printed and ".ck-worksheet" in printed


def test_some_words_about_the_app_stay_on_screen():
    for notebook in ("01_unit_cost.ipynb", "10_seasonal_cash_flow.ipynb"):
        for lang in workbooks.LANGUAGES:
            assert any("screen-only" in cell.roles for cell in workbooks.prose(NOTEBOOKS / notebook, lang)), (notebook, lang)
