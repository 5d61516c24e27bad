"""The cooperative's books kept in its folder (coopkit.bookstore): saves, reload, code, nothing half-written."""

from __future__ import annotations

import json
import os

import pytest

from coopkit.bookstore import BOOKS_INFO, BookStore, book_kind
from coopkit.errors import InputError
from coopkit.store import ScenarioStore

CSV = "Họ và tên,Vốn góp\nLò Văn Bình,50000000\n".encode()
XLSX = b"PK\x03\x04" + b"x" * 100


def test_two_saves_then_a_reload_with_the_code_gives_the_last(tmp_path):
    store = BookStore(tmp_path, "HTX Dưa muối Thanh Sơn", code="")
    assert store.load() is None
    store.save(CSV, "thành viên.csv")
    code = store.new_code
    assert code and store.has_code()
    store.save(XLSX, "C:\\Sổ sách\\so-sach-2025.xlsx")
    again = BookStore(tmp_path, "htx dua muoi thanh son", code=code.lower())
    saved = again.load()
    assert (saved.name, saved.kind, saved.content) == ("so-sach-2025.xlsx", "xlsx", XLSX)
    files = sorted(p.name for p in store.folder.iterdir() if not p.name.startswith("."))
    assert BOOKS_INFO in files and len(files) == 2, files  # the first save's data file is gone


def test_wrong_or_missing_code_is_refused_and_nothing_is_written(tmp_path):
    first = BookStore(tmp_path, "HTX Chè", code="")
    first.save(CSV, "a.csv")
    before = sorted(os.listdir(first.folder))
    for typed, reason in (("", "books_code_needed"), ("AAA-AAA", "books_wrong_code")):
        other = BookStore(tmp_path, "HTX Chè", code=typed)
        with pytest.raises(InputError) as excinfo:
            other.load()
        assert excinfo.value.reason == reason and excinfo.value.field == "owner_code"
        with pytest.raises(InputError):
            other.save(XLSX, "b.xlsx")
        assert "HTX Chè" in excinfo.value.message("en")
    assert sorted(os.listdir(first.folder)) == before
    assert BookStore(tmp_path, "HTX Chè", code=first.new_code).load().content == CSV


def test_the_code_is_the_one_of_the_cooperatives_scenarios(tmp_path):
    import coopkit

    scenarios = ScenarioStore(tmp_path, "HTX Mật ong", code="")
    scenarios.save(coopkit.Scenario("Vụ hè", "unit_cost", {"fixed_costs": 1e6, "variable_cost_per_unit": 1, "volume": 10}))
    books = BookStore(tmp_path, "HTX Mật ong", code=scenarios.new_code)
    books.save(CSV, "a.csv")
    assert books.new_code is None  # the folder had its code already
    assert ScenarioStore(tmp_path, "HTX Mật ong", code=scenarios.new_code).names() == ["Vụ hè"]  # books are not scenarios


def test_a_save_killed_before_its_info_leaves_the_old_books_whole(tmp_path, monkeypatch):
    store = BookStore(tmp_path, "HTX Cam", code=None)
    store.save(CSV, "cu.csv")
    import coopkit.bookstore as bookstore

    real = bookstore.write_atomic

    def dies_on_info(path, data):
        if path.name == BOOKS_INFO:
            raise OSError("disk full")
        return real(path, data)

    monkeypatch.setattr(bookstore, "write_atomic", dies_on_info)
    with pytest.raises(OSError):
        store.save(XLSX, "moi.xlsx")
    monkeypatch.undo()
    saved = store.load()
    assert (saved.name, saved.content) == ("cu.csv", CSV)


def test_a_damaged_data_file_is_refused_not_read(tmp_path):
    store = BookStore(tmp_path, "HTX Cam", code=None)
    store.save(CSV, "cu.csv")
    info = json.loads((store.folder / BOOKS_INFO).read_text(encoding="utf-8"))
    (store.folder / info["file"]).write_bytes(CSV[:10])  # half a file
    with pytest.raises(InputError) as excinfo:
        store.load()
    assert excinfo.value.reason == "books_store_unreadable"
    (store.folder / BOOKS_INFO).write_text('{"file": "../../etc/passwd"}', encoding="utf-8")
    with pytest.raises(InputError):
        store.load()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("hoa-don.pdf", b"%PDF", "books_not_spreadsheet"),
    ("lon.xlsx", b"PK" + b"0" * 6_000_000, "books_file_too_large"),
])
def test_a_file_that_is_not_books_is_not_kept(tmp_path, name, content, reason):
    store = BookStore(tmp_path, "HTX Cam", code="")
    with pytest.raises(InputError) as excinfo:
        store.save(content, name)
    assert excinfo.value.reason == reason
    assert not store.folder.exists() or not any(p.suffix in (".xlsx", ".pdf") for p in store.folder.iterdir())


def test_names_and_kinds():
    assert book_kind("A.CSV") == "csv"
    with pytest.raises(InputError):
        book_kind("so.xls")
    with pytest.raises(InputError) as excinfo:
        BookStore("/tmp", "   ")
    assert excinfo.value.reason == "empty_name"
