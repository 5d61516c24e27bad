"""Every message exists in Vietnamese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from coopkit import fields, i18n, workbooks
from coopkit.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "coopkit").rglob("*.py"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    vi, en = i18n.catalog("vi"), i18n.catalog("en")
    assert set(vi) - set(en) == set(), "keys with no English text"
    assert set(en) - set(vi) == set(), "keys with no Vietnamese text"
    assert len(vi) > 100


@pytest.mark.parametrize("key", sorted(i18n.catalog("vi")))
def test_texts_are_filled_and_share_placeholders(key):
    vi, en = i18n.catalog("vi")[key], i18n.catalog("en")[key]
    assert vi.strip() and en.strip()
    assert _placeholders(vi) == _placeholders(en), f"{key}: {vi!r} vs {en!r}"


def test_catalogues_have_no_fuzzy_or_empty_entries():
    from babel.messages.pofile import read_po

    for path in (ROOT / "coopkit" / "locale").rglob("*.po"):
        with path.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if message.id:
                assert message.string, f"{path.name}: {message.id} has no text"
                assert not message.fuzzy, f"{path.name}: {message.id} is fuzzy"


def _literal_keys() -> set[str]:
    pattern = re.compile(r"""\btr\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")
    return {key for path in SOURCES for key in pattern.findall(path.read_text(encoding="utf-8"))}


def test_every_key_used_in_the_code_exists():
    keys = _literal_keys()
    assert keys, "no tr() calls found"
    missing = sorted(k for k in keys if not (i18n.has(k, "vi") and i18n.has(k, "en")))
    assert missing == []


def test_every_error_reason_raised_has_a_message():
    pattern = re.compile(r"""(?<![\w-])reason=["']([a-z0-9_]+)["']""")  # not an HTML data-reason="…"
    reasons = {r for path in SOURCES for r in pattern.findall(path.read_text(encoding="utf-8"))}
    assert {"empty", "not_positive", "below_variable_cost"} <= reasons
    missing = sorted(r for r in reasons if not (i18n.has(f"error.{r}", "vi") and i18n.has(f"error.{r}", "en")))
    assert missing == []


@pytest.mark.parametrize("name", sorted(fields.FIELD_KINDS))
def test_every_field_has_a_label_in_both_languages(name):
    assert i18n.has(f"field.{name}", "vi") and i18n.has(f"field.{name}", "en")


@pytest.mark.parametrize("notebook", list(workbooks.PAGES.values()) + [w.notebook for w in workbooks.workbooks()])
def test_lessons_have_their_header_parts(notebook):
    """Each lesson's header, in both languages: a title and a summary (the start page), and for a
    workbook its audience, the minutes of its entry, its questions and objectives, and key points."""
    from coopkit.lessoncheck import check_header

    workbook = None if notebook in workbooks.PAGES.values() else workbooks.find(notebook)
    path = workbooks.notebooks_dir() / notebook
    assert check_header(path, workbook) == []
    if workbook is None:
        return
    parts = {"vi": ("**Dành cho:**", "### Câu hỏi", "### Mục tiêu"), "en": ("**For:**", "### Questions", "### Objectives")}
    for lang in workbooks.LANGUAGES:
        cells = workbooks.prose(path, lang)
        header = next(cell.source for cell in cells if "header" in cell.roles)
        assert [part for part in parts[lang] if part not in header] == [], lang
        assert any("key-points" in cell.roles for cell in cells), f"{lang}: no key points"


#: Markup of the old lesson texts (headings, lists): an app's message is a sentence or a paragraph.
LESSON_MARKUP = re.compile(r"<(h[1-6]|ul|ol|li)\b", re.IGNORECASE)


def test_no_lesson_prose_is_left_in_the_catalogues():
    """The lessons live in the notebooks: no ``lesson.*`` key, no headings or lists, no lesson's title
    or summary in any catalogue."""
    from babel.messages.pofile import read_po

    heads = {lang: [workbooks.header(nb, lang) for nb in [workbooks.START, *workbooks.workbooks()]]
             for lang in workbooks.LANGUAGES}
    titles = {lang: [t for head in heads[lang] for t in (head.title, head.summary) if t] for lang in heads}
    found = []
    for path in sorted((ROOT / "coopkit" / "locale").rglob("*.po")):
        lang = path.parent.parent.name
        with path.open("rb") as f:
            for message in read_po(f):
                if not message.id:
                    continue
                key, text = str(message.id), str(message.string)
                if key.startswith("lesson."):
                    found.append(f"{lang}/{path.name} {key}: a lesson key")
                if LESSON_MARKUP.search(text):
                    found.append(f"{lang}/{path.name} {key}: lesson markup {LESSON_MARKUP.search(text).group(0)}")
                found += [f"{lang}/{path.name} {key}: holds “{t}”" for t in titles.get(lang, []) if t in text]
    assert [key for key in i18n.catalog("vi") if key.startswith("lesson.")] == []
    assert found == []


def test_a_missing_key_falls_back_without_breaking():
    assert i18n.tr("no.such.key", "en") == "no.such.key"


def test_error_message_in_each_language():
    err = InputError("price_per_unit", reason="below_variable_cost", value=12_000, variable_cost_per_unit=15_500)
    assert "12.000\xa0₫" in err.message("vi") and "15.500\xa0₫" in err.message("vi")
    assert "₫12,000" in err.message("en") and "₫15,500" in err.message("en")
    assert set(err.messages) == {"vi", "en"}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "vi"),
        ({"QUERY_STRING": "lang=en"}, "en"),
        ({"QUERY_STRING": "lang=vi", "HTTP_ACCEPT_LANGUAGE": "en-US"}, "vi"),
        ({"QUERY_STRING": "lang=fr", "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr;q=0.9,vi;q=0.5,en;q=0.4"}, "vi"),
        ({"HTTP_ACCEPT_LANGUAGE": "vi;q=0.2,en;q=0.8"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "garbage;q=x"}, "vi"),
    ],
)
def test_language_of_a_request(environ, expected):
    assert i18n.language_from_environ(environ) == expected
