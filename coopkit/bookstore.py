"""A cooperative's own books, kept in its folder so that the manager can reopen them tomorrow (workbook 13).

The app of workbook 13 reads a cooperative's Excel or CSV books (`coopkit.books`). Once a file has
been read without error, its bytes are kept here, in the same folder as the cooperative's saved
scenarios (`coopkit.store`: one folder per cooperative under `coopkit.store.default_root`, named by
`coopkit.store.owner_folder`, guarded by the same code)::

    <root>/htx-dua-muoi-thanh-son/
        .code                       the hash of the cooperative's code (coopkit.store)
        books.info                  which file holds the books, its original name, size, SHA-256, time
        books-3f9c1a2b7d4e.xlsx     the bytes as uploaded (or ``.csv``)

One set of books per cooperative: a new save replaces the old one. The data file gets a new
name at every save, and ``books.info`` names it; the info file is the commit point:

1. the bytes go to a temporary file in the folder, are flushed to disk and moved to their new
   name (``books-<random>.xlsx``);
2. ``books.info`` is written the same way and moved over the old one (`os.replace`): a reader
   sees the old books or the new ones, never a mix;
3. the folder is synced and the data file that the old ``books.info`` named is removed (a data
   file that no ``books.info`` names, left by a save killed half-way, is removed by a later save
   after an hour).

A reader checks the SHA-256 the info file records, so a damaged data file is refused rather
than read. Neither file ends in ``.json``, so the scenario listing of the folder ignores them.

The code: the first save into a folder without a code gives it one (`BookStore.new_code`, shown
once to the manager), exactly as a first scenario save does, and the same code then opens the
scenarios and the books. A folder with a code needs it to save or open books
(``books_code_needed``, ``books_wrong_code``); a store made with ``code=None`` (trusted code
on the server) does not check it.

Examples
--------
The manager of HTX Dưa muối Thanh Sơn uploads the cash book, comes back the next day and opens it
with the cooperative's code.

>>> import tempfile
>>> root = tempfile.mkdtemp()
>>> store = BookStore(root, "HTX Dưa muối Thanh Sơn", code="")
>>> saved = store.save("Ngày,Thu\\n02/10/2025,15000000\\n".encode(), "sổ quỹ tháng 10.csv")
>>> code = store.new_code
>>> later = BookStore(root, "htx dua muoi thanh son", code=code).load()
>>> later.name, later.kind, later.content[:4]
('sổ quỹ tháng 10.csv', 'csv', b'Ng\\xc3\\xa0')
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coopkit.books import MAX_FILE_BYTES
from coopkit.errors import InputError
from coopkit.exchange import write_atomic
from coopkit.store import ScenarioStore

__all__ = ["BOOKS_INFO", "KINDS", "MAX_BOOK_NAME", "BookStore", "SavedBooks", "book_kind"]

#: The file that names the data file of a cooperative's books (the commit point of a save).
BOOKS_INFO = "books.info"
#: The kinds of file kept: an Excel workbook or a CSV file.
KINDS = ("xlsx", "csv")
#: Longest original file name kept (characters); a longer one is cut, keeping its extension.
MAX_BOOK_NAME = 120
_FORMAT_KEY = "coopkit_books"
_FORMAT_VERSION = 1
_DATA_FILE = re.compile(r"books-[0-9a-f]{12}\.(xlsx|csv)")
#: A data file no ``books.info`` names and older than this (seconds) was left by a killed save.
_STALE_SECONDS = 3600.0


def book_kind(name: str) -> str:
    """``"xlsx"`` or ``"csv"`` from a file's name; `InputError` ``books_not_spreadsheet`` otherwise.

    >>> book_kind("Sổ sách HTX.XLSX"), book_kind("so-quy.csv")
    ('xlsx', 'csv')
    >>> try:
    ...     book_kind("hoa-don.pdf")
    ... except InputError as err:
    ...     print(err.reason)
    books_not_spreadsheet
    """
    suffix = Path(str(name)).suffix.lower().lstrip(".")
    if suffix not in KINDS:
        raise InputError("file", reason="books_not_spreadsheet", value=str(name), file=str(name))
    return suffix


def _clean_file_name(name: object) -> str:
    """The original name as kept: no folder part, no control characters, at most `MAX_BOOK_NAME`."""
    text = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if c.isprintable()).strip()
    if len(text) > MAX_BOOK_NAME:
        stem, dot, suffix = text.rpartition(".")
        text = stem[: MAX_BOOK_NAME - len(suffix) - 1] + dot + suffix if dot else text[:MAX_BOOK_NAME]
    return text or "books"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (a no-op where folders cannot be synced).

    The same as ``coopkit.store._fsync_folder``, which is private to that module (tests/test_layers.py
    forbids taking a private name across modules): to be replaced by it once store.py makes it public.
    """
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class SavedBooks:
    """A cooperative's books as kept: the bytes and what the info file says about them.

    Attributes
    ----------
    name
        The file's name on the manager's computer (``"Sổ sách 2025.xlsx"``).
    kind
        ``"xlsx"`` or ``"csv"``.
    content
        The bytes as uploaded.
    saved_at
        When they were saved (ISO 8601 with the UTC offset, to the second).

    Examples
    --------
    >>> import tempfile
    >>> saved = BookStore(tempfile.mkdtemp(), "HTX Sen Đá").save(b"Name,Capital\\nHoa,1\\n", "members.csv")
    >>> saved.name, saved.kind, saved.size
    ('members.csv', 'csv', 19)
    """

    name: str
    kind: str
    content: bytes = field(repr=False)
    saved_at: str = ""

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.content)


class _CodedFolder(ScenarioStore):
    """The cooperative's folder as `coopkit.store` guards it: its code made, checked and kept there."""

    def claim(self) -> None:
        """Before a save: give a folder without a code one (under the folder's lock), or check its code."""
        self._claim()


class BookStore:
    """The books of one cooperative, in ``root / owner_folder(owner)`` (the folder of its scenarios).

    Parameters
    ----------
    root
        Folder of every cooperative's folder (usually `coopkit.store.default_root`).
    owner
        The cooperative's name as typed (``"HTX Dưa muối Thanh Sơn"``); spelling variants land in
        the same folder (`coopkit.store.owner_folder`).
    code
        The code as the manager typed it (``""`` when nothing was typed): the app always passes it.
        ``None``: no check (trusted code on the server).

    Attributes
    ----------
    owner, folder
        The name without surrounding spaces and the folder it names.
    new_code
        The code this store's first save gave the folder (show it once), else None.

    Examples
    --------
    Two saves: the second replaces the first, and a wrong code opens nothing.

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> store = BookStore(root, "HTX Chè Tân Cương", code="")
    >>> store.load() is None
    True
    >>> _ = store.save(b"Name,Capital\\nHoa,1000000\\n", "members.csv")
    >>> _ = store.save(b"Name,Capital\\nHoa,2000000\\n", "members-2.csv")
    >>> BookStore(root, "HTX Chè Tân Cương", code=store.new_code).load().name
    'members-2.csv'
    >>> try:
    ...     BookStore(root, "HTX Chè Tân Cương", code="AAA-AAA").load()
    ... except InputError as err:
    ...     print(err.reason)
    books_wrong_code
    """

    def __init__(self, root: str | os.PathLike[str], owner: str, code: str | None = None) -> None:
        self._coded = _CodedFolder(root, owner, code=code)
        self.folder: Path = self._coded.folder
        self.owner: str = self._coded.owner

    def __repr__(self) -> str:
        return f"BookStore(folder={str(self.folder)!r}, owner={self.owner!r})"

    @property
    def code(self) -> str | None:
        """The code this store opens the folder with (after a first save: the new code)."""
        return self._coded.code

    @property
    def new_code(self) -> str | None:
        return self._coded.new_code

    def has_code(self) -> bool:
        """Whether the folder has a code (made by its first save of scenarios or books).

        >>> import tempfile
        >>> BookStore(tempfile.mkdtemp(), "HTX Mới").has_code()
        False
        """
        return self._coded.has_code()

    def check_code(self) -> None:
        """Raise `InputError` (``books_code_needed``, ``books_wrong_code``, ``code_unreadable``)
        unless this store may open the folder.

        >>> import tempfile
        >>> store = BookStore(tempfile.mkdtemp(), "HTX Mới", code="")
        >>> store.check_code()  # no code yet: nothing to check
        """
        try:
            self._coded.check_code()
        except InputError as err:
            raise self._books_error(err) from None

    def _books_error(self, err: InputError) -> InputError:
        """The code errors of `coopkit.store` in words about books, not scenarios."""
        if err.reason in ("code_needed", "wrong_code"):
            return InputError("owner_code", reason=f"books_{err.reason}", value=self.owner)
        return err

    # -- reading ---------------------------------------------------------------------------------

    def _info(self) -> dict | None:
        """What ``books.info`` says, checked; None when the folder holds no books."""
        try:
            text = (self.folder / BOOKS_INFO).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            raise InputError("books", reason="books_store_unreadable", value=self.owner) from None
        try:
            info = json.loads(text)
            ok = (isinstance(info, dict) and info.get(_FORMAT_KEY) == _FORMAT_VERSION
                  and isinstance(info.get("file"), str) and _DATA_FILE.fullmatch(info["file"])
                  and isinstance(info.get("name"), str) and isinstance(info.get("sha256"), str))
        except ValueError:
            ok = False
        if not ok:
            raise InputError("books", reason="books_store_unreadable", value=self.owner)
        return info

    def load(self) -> SavedBooks | None:
        """The books saved last, or None when the cooperative has saved none.

        Raises `InputError`: the code (see `check_code`), or ``books_store_unreadable`` when the
        kept file is damaged (its SHA-256 differs from the one recorded).
        """
        self.check_code()
        for _attempt in range(3):  # another session may replace the books while they are read
            info = self._info()
            if info is None:
                return None
            try:
                content = (self.folder / info["file"]).read_bytes()
            except FileNotFoundError:
                continue
            except OSError:
                break
            if hashlib.sha256(content).hexdigest() != info["sha256"]:
                break
            kind = _DATA_FILE.fullmatch(info["file"]).group(1)
            return SavedBooks(info["name"], kind, content, str(info.get("saved_at", "")))
        raise InputError("books", reason="books_store_unreadable", value=self.owner)

    # -- writing ---------------------------------------------------------------------------------

    def save(self, content: bytes, name: str) -> SavedBooks:
        """Keep ``content`` (a file already read without error by `coopkit.books.read_books`) as
        the cooperative's books, replacing the ones kept before.

        Parameters
        ----------
        content
            The file's bytes (at most `coopkit.books.MAX_FILE_BYTES`).
        name
            Its name on the manager's computer: ``.xlsx`` or ``.csv``.

        Returns
        -------
        SavedBooks
            As kept (``saved_at`` is now). The first save into a folder without a code gives it
            one (`new_code`).
        """
        content = bytes(content)
        name = _clean_file_name(name)
        kind = book_kind(name)
        if len(content) > MAX_FILE_BYTES:
            raise InputError("file", reason="books_file_too_large", value=name, file=name,
                             size_mb=math.ceil(len(content) / 100_000) / 10, limit_mb=MAX_FILE_BYTES / 1_000_000)
        try:
            self._coded.claim()
        except InputError as err:
            raise self._books_error(err) from None
        old = self._info()
        data_file = f"books-{secrets.token_hex(6)}.{kind}"
        saved = SavedBooks(name, kind, content, _now())
        write_atomic(self.folder / data_file, content)
        info = {_FORMAT_KEY: _FORMAT_VERSION, "file": data_file, "name": name, "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(), "saved_at": saved.saved_at, "owner": self.owner}
        _sync_folder(self.folder)
        write_atomic(self.folder / BOOKS_INFO, (json.dumps(info, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        _sync_folder(self.folder)
        if old is not None and old["file"] != data_file:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / old["file"]).unlink()
        self._remove_stale(keep=data_file)
        return saved

    def _remove_stale(self, keep: str) -> None:
        """Remove data files no save has named for an hour (left by a save killed half-way)."""
        limit = time.time() - _STALE_SECONDS
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name != keep and _DATA_FILE.fullmatch(entry.name):
                    with contextlib.suppress(OSError):
                        if entry.stat().st_mtime < limit:
                            os.unlink(entry.path)

    def delete(self) -> None:
        """Forget the cooperative's books (the code is kept: its scenarios may need it).

        >>> import tempfile
        >>> store = BookStore(tempfile.mkdtemp(), "HTX Mới", code="")
        >>> _ = store.save(b"Name,Capital\\nHoa,1000000\\n", "members.csv")
        >>> store.delete()
        >>> store.load() is None
        True
        """
        self.check_code()
        info = self._info()
        if info is None:
            return
        with contextlib.suppress(FileNotFoundError):
            (self.folder / BOOKS_INFO).unlink()
        _sync_folder(self.folder)
        with contextlib.suppress(FileNotFoundError):
            (self.folder / info["file"]).unlink()
