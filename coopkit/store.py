"""A local scenario store: each manager saves, lists and reopens what-if scenarios.

On the workshop server every Voila kernel runs as the same OS user, and 20–50 managers work at
once. Each owner (a cooperative or a person) gets a folder under one root, and each scenario is
one JSON file in it::

    <root>/htx-cam-lac-thuy/gia-28-000-c924980ef830.json

The file name is a plain-ASCII slug of the scenario name plus a short hash of the exact name,
so ``"Giá 28.000"`` and ``"gia 28 000"`` never share a file, and any Vietnamese text, ``/``,
``..`` or emoji in a name is safe. The name itself is kept, exactly, inside the file.

Writes are atomic: the new text goes to a temporary file in the same folder, is flushed to disk
(``os.fsync``) and then moved over the old file with `os.replace`, and the folder is synced.
A session that is killed half-way leaves the old version whole (and maybe a hidden ``.tmp``
file, which listings ignore and later saves remove after an hour). Two sessions saving
different scenarios at once keep both; saving the same name at once leaves one whole file
(the last one wins).

A cooperative's scenarios are its own. The first save into a folder gives it a short code
(``K7P-Q2M``: six characters drawn with `secrets` from 31 that cannot be mistaken for one
another, no ``0 O 1 I L``), which the app shows once to the manager; from then on listing,
loading, saving, renaming and deleting in that folder need the code. Spelling variants of the
name (``"htx cam lac thuy"``) land in the same folder and need the same code. The folder keeps
only a salted scrypt hash of the code, in a hidden file ``.code`` (mode 600, written atomically
under a lock on the folder, so two first saves at the same moment end with one code): reading
the folder, or a copy of it, does not reveal the code, and trying codes against the hash costs
tens of milliseconds each. The code therefore cannot be printed again: a manager who lost it
asks the trainer, who gives the folder a new one (`reset_code`, ``python -m coopkit.collect
--reset-code "HTX …"``). A folder saved before codes existed keeps working without one and gets
its code on its next save. The code guards the apps, which are the only way a visitor reaches
the store; Python code on the server (the trainer's `collect`, a store made without ``code``)
is trusted, as it could read the files anyway.

Examples
--------
HTX Cam Lạc Thủy tries two prices for its oranges and comes back to them the next day.

>>> import tempfile
>>> import coopkit
>>> store = ScenarioStore(tempfile.mkdtemp(), owner="HTX Cam Lạc Thủy")
>>> store.folder.name
'htx-cam-lac-thuy'
>>> oranges = {"fixed_costs": 180e6, "price_per_unit": 28_000,
...            "variable_cost_per_unit": 14_000, "volume": 20_000}
>>> saved = store.save(coopkit.Scenario("Giá 28.000", "break_even", oranges))
>>> saved = store.save(coopkit.Scenario("Giá 25.000", "break_even", {**oranges, "price_per_unit": 25_000}))
>>> store.names()
['Giá 25.000', 'Giá 28.000']
>>> round(store.load("Giá 25.000").evaluate()["profit"] / 1e6)
40
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import time
import unicodedata
from datetime import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.whatif import MODELS, Scenario, evaluate

try:
    import fcntl
except ImportError:  # Windows: one manager on one laptop, nobody to race with
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODE_ALPHABET",
    "ENV_VAR",
    "MAX_NAME_LENGTH",
    "ScenarioStore",
    "collect",
    "default_root",
    "new_code",
    "normalize_code",
    "owner_folder",
    "reset_code",
    "scenario_file_name",
]

#: Environment variable naming the root folder of all owners' scenarios.
ENV_VAR = "COOPKIT_SCENARIO_DIR"
#: Longest scenario name, in characters (after removing surrounding spaces).
MAX_NAME_LENGTH = 120
#: Longest owner folder name and longest slug part of a scenario file name.
_MAX_OWNER_SLUG = 60
_MAX_FILE_SLUG = 40
_HASH_CHARS = 12
#: Temporary files older than this (seconds) were left by a killed writer and may be removed.
_STALE_TEMP_SECONDS = 3600.0
_SUFFIX = ".json"
_TEMP_SUFFIX = ".tmp"
_FORMAT_KEY = "coopkit_scenario"
_FORMAT_VERSION = 1
#: Letters and digits of a cooperative's code: no 0/O, 1/I/L, which are read one for another.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 6
#: The hidden files of an owner folder: the hash of its code, and the lock taken to make it.
_CODE_FILE = ".code"
_LOCK_FILE = ".lock"
_CODE_FORMAT = "coopkit_code"
#: scrypt's cost: about 40 ms and 16 MB per check on the workshop server.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

register_fields({"owner_code": "text"})


def default_root() -> Path:
    """The folder that holds every owner's scenarios.

    ``$COOPKIT_SCENARIO_DIR`` when it is set (the workshop server points it at a shared
    folder), otherwise ``~/coopkit-scenarios``.

    >>> import os
    >>> before = os.environ.pop("COOPKIT_SCENARIO_DIR", None)
    >>> default_root().name
    'coopkit-scenarios'
    >>> os.environ["COOPKIT_SCENARIO_DIR"] = "/srv/workshop/scenarios"
    >>> default_root().as_posix()
    '/srv/workshop/scenarios'
    >>> _ = os.environ.pop("COOPKIT_SCENARIO_DIR")
    >>> if before is not None:
    ...     os.environ["COOPKIT_SCENARIO_DIR"] = before
    """
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value).expanduser() if value else Path.home() / "coopkit-scenarios"


def _ascii_slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single dashes; Vietnamese diacritics removed."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _truncate(slug: str, length: int) -> str:
    return slug[:length].strip("-")


def owner_folder(owner: str) -> str:
    """A safe folder name for a cooperative or user name.

    Diacritics are removed (``đ`` becomes ``d``), letters are lower-cased and anything else
    becomes a single dash, so the result can never climb out of the root folder.

    Parameters
    ----------
    owner
        The name as the manager types it (``"HTX Cam Lạc Thủy"``).

    Returns
    -------
    str
        At most 60 characters of ``a-z``, ``0-9`` and ``-``.

    Raises
    ------
    InputError
        ``owner`` is empty (``empty_name``) or has no letter or digit (``owner_unusable``).

    Examples
    --------
    >>> owner_folder("HTX Cam Lạc Thủy"), owner_folder("Đồng Tháp – Tổ hợp tác Sen Đá")
    ('htx-cam-lac-thuy', 'dong-thap-to-hop-tac-sen-da')
    >>> owner_folder("../../etc")
    'etc'
    """
    if not isinstance(owner, str) or not owner.strip():
        raise InputError("owner", reason="empty_name", value=owner)
    slug = _truncate(_ascii_slug(owner), _MAX_OWNER_SLUG)
    if not slug:
        raise InputError("owner", reason="owner_unusable", value=owner.strip())
    return slug


def new_code() -> str:
    """A fresh cooperative code like ``K7P-Q2M``: six characters of `CODE_ALPHABET`, grouped by three
    (31**6, about 890 million codes).

    >>> code = new_code()
    >>> len(code), code[3], all(c in CODE_ALPHABET for c in code.replace("-", ""))
    (7, '-', True)
    """
    plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{plain[:3]}-{plain[3:]}"


def normalize_code(text: str) -> str:
    """A typed code as it is checked: upper case, spaces and dashes dropped.

    >>> normalize_code(" k7p-q2m "), normalize_code("K7P Q2M")
    ('K7PQ2M', 'K7PQ2M')
    """
    return re.sub(r"[^0-9A-Z]", "", str(text).upper())


def _code_hash(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(normalize_code(code).encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=32)


#: ``(record, code)`` pairs already checked right in this process, so a session pays scrypt once.
_VERIFIED: set[tuple[str, str]] = set()


def _not_a_link(folder: Path) -> Path:
    """``folder``, unless it is a link: a link planted in the root (to a folder outside it) is
    never followed to write there (`PermissionError`)."""
    if folder.is_symlink():
        raise PermissionError(f"{folder} is a link: the scenario store does not write through it")
    return folder


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (its hidden ``.lock`` file) while its code is made."""
    _not_a_link(folder).mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK_FILE, "a+b") as handle:
        if fcntl is None:
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _write_code(folder: Path, code: str) -> None:
    """Put the hash of ``code`` in ``folder/.code`` (mode 600) in one step; call under the lock."""
    salt = secrets.token_bytes(16)
    record = {_CODE_FORMAT: 1, "kdf": "scrypt", **_SCRYPT, "salt": salt.hex(),
              "hash": _code_hash(code, salt, **_SCRYPT).hex(), "made_at": _now()}
    temp = folder / f"{_CODE_FILE}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), 0o600)
            f.write(json.dumps(record) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, folder / _CODE_FILE)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    _fsync_folder(folder)


def reset_code(root: str | os.PathLike[str], owner: str) -> str:
    """Give ``owner``'s folder a new code and return it: the trainer's remedy for a lost code.

    The old code stops working at once. A folder that does not exist yet is made, so a trainer
    can also hand out codes before the workshop. Command line: ``python -m coopkit.collect
    --reset-code "HTX …"``.

    Examples
    --------
    HTX Sen Đá lost the slip with its code; the trainer gives it a new one.

    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> old = reset_code(root, "HTX Sen Đá")
    >>> new = reset_code(root, "htx sen da")
    >>> ScenarioStore(root, "HTX Sen Đá", code=new).names()
    []
    >>> try:
    ...     ScenarioStore(root, "HTX Sen Đá", code=old).names()
    ... except InputError as err:
    ...     print(err.reason)
    wrong_code
    """
    folder = Path(root).expanduser() / owner_folder(owner)
    code = new_code()
    with _folder_lock(folder):
        _write_code(folder, code)
    return code


def _clean_name(name: object) -> str:
    """The scenario name as stored: surrounding spaces removed, Unicode in composed form (NFC)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("scenario", reason="empty_name", value=name)
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(
            "scenario", reason="name_too_long", value=name, length=str(len(name)), max_length=str(MAX_NAME_LENGTH)
        )
    return name


def scenario_file_name(name: str) -> str:
    """The file that holds scenario ``name``: a readable slug plus a hash of the exact name.

    >>> scenario_file_name("Giá 28.000")
    'gia-28-000-c924980ef830.json'
    >>> scenario_file_name("gia 28 000") != scenario_file_name("Giá 28.000")
    True
    >>> scenario_file_name("../../etc/passwd").startswith("etc-passwd-")
    True
    """
    name = _clean_name(name)
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    slug = _truncate(_ascii_slug(name), _MAX_FILE_SLUG) or "scenario"
    return f"{slug}-{digest}{_SUFFIX}"


def _now() -> str:
    """Local time with its UTC offset, to the second (``2025-03-14T09:30:00+07:00``)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _fsync_folder(folder: Path) -> None:
    """Make a rename or a removal in ``folder`` durable (a no-op where folders cannot be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sort_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


class ScenarioStore:
    """The saved scenarios of one owner (a cooperative or a user), in ``root / owner_folder(owner)``.

    Parameters
    ----------
    root
        Folder of every owner's scenarios (usually `default_root`).
    owner
        The cooperative's or user's name, any text (``"HTX Cam Lạc Thủy"``).
    code
        The folder's code as the manager typed it (``"k7p-q2m"`` will do): the apps always pass
        it, ``""`` when nothing was typed, and then every listing, loading, saving, renaming and
        deleting in a folder that has a code checks it (`InputError` ``code_needed``,
        ``wrong_code``). ``None`` (the default): no check, for trusted code on the server.

    Attributes
    ----------
    owner
        ``owner`` without surrounding spaces.
    folder
        Where the files go; created on the first save.
    new_code
        The code this store's first save gave the folder (show it once to the manager), else None.

    Examples
    --------
    Chị Lan of HTX Sen Đá saves a channel plan, renames it after the meeting, then tidies up.

    >>> import tempfile
    >>> import coopkit
    >>> store = ScenarioStore(tempfile.mkdtemp(), owner="HTX Sen Đá")
    >>> plan = coopkit.Scenario("Bán qua Shopee", "unit_cost",
    ...                         {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000})
    >>> store.save(plan).saved_at != ""
    True
    >>> store.rename("Bán qua Shopee", "Shopee – phương án chốt").name
    'Shopee – phương án chốt'
    >>> store.names()
    ['Shopee – phương án chốt']
    >>> store.delete("Shopee – phương án chốt")
    >>> store.names(), store.problems()
    ([], [])

    In the app, the first save of HTX Mật ong gives its folder a code, shown once. Another
    visitor who types the name, even spelled otherwise, sees nothing without that code.

    >>> root = tempfile.mkdtemp()
    >>> mine = ScenarioStore(root, owner="HTX Mật ong", code="")
    >>> _ = mine.save(plan)
    >>> code = mine.new_code
    >>> len(code), mine.has_code()
    (7, True)
    >>> try:
    ...     ScenarioStore(root, owner="htx mat ong", code="").names()
    ... except InputError as err:
    ...     print(err.message("en"))
    Cooperative code: the scenarios of “htx mat ong” are protected by a code. Type your cooperative's code (the trainer can give you a new one if it was lost).
    >>> ScenarioStore(root, owner="htx mat ong", code=code.lower()).names()
    ['Bán qua Shopee']
    """

    def __init__(self, root: str | os.PathLike[str], owner: str, code: str | None = None) -> None:
        self.folder = Path(root).expanduser() / owner_folder(owner)
        self.owner = owner.strip()
        self.code = code
        self.new_code: str | None = None

    @classmethod
    def _at(cls, folder: Path) -> ScenarioStore:
        """The store of an existing folder, whatever its name (used by `collect`; no code check)."""
        store = cls.__new__(cls)
        store.folder = folder
        store.owner = folder.name
        store.code = None
        store.new_code = None
        return store

    def __repr__(self) -> str:
        return f"ScenarioStore(folder={str(self.folder)!r}, owner={self.owner!r})"

    # -- the folder's code -----------------------------------------------------------------

    def _code_record(self) -> str | None:
        """The text of the folder's ``.code`` file; None when the folder has no code."""
        try:
            return (self.folder / _CODE_FILE).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            raise InputError("owner_code", reason="code_unreadable", value=self.owner) from None

    def has_code(self) -> bool:
        """Whether the folder has a code (folders saved before codes existed have none)."""
        return self._code_record() is not None

    def check_code(self) -> None:
        """Raise `InputError` unless this store may open its folder.

        ``code_needed``: the folder has a code and none was typed; ``wrong_code``: another code
        was typed; ``code_unreadable``: the ``.code`` file is damaged (the trainer resets it).
        A store made without ``code`` and a folder without a code pass.
        """
        if self.code is None:
            return
        record = self._code_record()
        if record is None:
            return
        typed = normalize_code(self.code)
        if not typed:
            raise InputError("owner_code", reason="code_needed", value=self.owner)
        if (record, typed) in _VERIFIED:
            return
        try:
            data = json.loads(record)
            expected = bytes.fromhex(data["hash"])
            found = _code_hash(typed, bytes.fromhex(data["salt"]), int(data["n"]), int(data["r"]), int(data["p"]))
        except (ValueError, KeyError, TypeError, MemoryError):
            raise InputError("owner_code", reason="code_unreadable", value=self.owner) from None
        if not hmac.compare_digest(found, expected):
            raise InputError("owner_code", reason="wrong_code", value=self.owner)
        if len(_VERIFIED) > 1000:
            _VERIFIED.clear()
        _VERIFIED.add((record, typed))

    def _claim(self) -> None:
        """Before a save: give a folder without a code one (under the folder's lock, so two first
        saves at once make one code), or check the code of a folder that has one."""
        if self.has_code():
            self.check_code()
            return
        with _folder_lock(self.folder):
            if self.has_code():  # another session made it meanwhile
                self.check_code()
                return
            code = new_code()
            _write_code(self.folder, code)
        self.new_code = code
        if self.code is not None:
            self.code = code

    # -- reading -------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        """The scenario files of the folder: ``*.json``, not hidden (temporary files are hidden)."""
        try:
            entries = list(os.scandir(self.folder))
        except (FileNotFoundError, NotADirectoryError):
            return []
        files = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.endswith(_SUFFIX):
                continue
            try:
                if entry.is_file():
                    files.append(Path(entry.path))
            except OSError:
                continue
        return sorted(files)

    @staticmethod
    def _read(path: Path) -> Scenario:
        """The scenario in ``path``; raises whatever reading or checking it raises."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return Scenario.from_dict(data)

    def _scan(self) -> tuple[dict[str, tuple[Path, Scenario]], list[str]]:
        """``({name: (path, scenario)}, [unreadable file names])`` for the whole folder.

        Two files holding the same name (a file copied by hand) count once: the one whose
        file name matches the scenario name wins.
        """
        self.check_code()
        found: dict[str, tuple[Path, Scenario]] = {}
        problems = []
        for path in self._files():
            try:
                scenario = self._read(path)
            except FileNotFoundError:
                continue  # deleted or renamed by another session meanwhile
            except Exception:  # noqa: BLE001 - any unreadable file is reported, never fatal
                problems.append(path.name)
                continue
            if scenario.name in found and path.name != scenario_file_name(scenario.name):
                continue
            found[scenario.name] = (path, scenario)
        return found, sorted(problems)

    def names(self) -> list[str]:
        """The names of the saved scenarios, sorted without regard to case."""
        return sorted(self._scan()[0], key=_sort_key)

    def scenarios(self) -> list[Scenario]:
        """Every readable saved scenario, in the order of `names`."""
        found = self._scan()[0]
        return [found[name][1] for name in sorted(found, key=_sort_key)]

    def problems(self) -> list[str]:
        """Names of the files in the folder that could not be read as scenarios.

        They are left in place (a trainer may repair them by hand); temporary files of an
        interrupted save are not listed.
        """
        return self._scan()[1]

    def _find(self, name: str) -> tuple[Path, Scenario]:
        self.check_code()
        name = _clean_name(name)
        path = self.folder / scenario_file_name(name)
        try:
            scenario = self._read(path)
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - the file is there but broken
            raise InputError("scenario", reason="not_a_scenario", value=name) from None
        else:
            if scenario.name == name:
                return path, scenario
        found = self._scan()[0]  # a file renamed by hand still holds its scenario
        if name in found:
            return found[name]
        raise InputError("scenario", reason="unknown_scenario", value=name)

    def load(self, name: str) -> Scenario:
        """The saved scenario called ``name``.

        Raises `InputError` (``unknown_scenario``) when there is none.
        """
        return self._find(name)[1]

    # -- writing -------------------------------------------------------------------------

    def _write(self, scenario: Scenario, *, replace: bool) -> None:
        """Write ``scenario`` to its file atomically; with ``replace=False`` never overwrite."""
        _not_a_link(self.folder).mkdir(parents=True, exist_ok=True)
        target = self.folder / scenario_file_name(scenario.name)
        document = {_FORMAT_KEY: _FORMAT_VERSION, **scenario.to_dict(), "owner": self.owner}
        text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
        temp = self.folder / f".{target.stem}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
        try:
            with open(temp, "x", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            if replace:
                os.replace(temp, target)
            else:
                self._link_new(temp, target, scenario.name)
        finally:
            try:
                temp.unlink()
            except FileNotFoundError:
                pass
        _fsync_folder(self.folder)

    @staticmethod
    def _link_new(temp: Path, target: Path, name: str) -> None:
        """Put ``temp`` at ``target`` only if ``target`` does not exist, in one step where possible."""
        try:
            os.link(temp, target)  # atomic "create if absent"; temp is removed by the caller
        except FileExistsError:
            raise InputError("scenario", reason="scenario_exists", value=name) from None
        except OSError:  # a file system without hard links: check, then move
            if target.exists():
                raise InputError("scenario", reason="scenario_exists", value=name) from None
            os.replace(temp, target)

    def _remove_stale_temp_files(self) -> None:
        """Remove temporary files that a killed save left behind more than an hour ago."""
        limit = time.time() - _STALE_TEMP_SECONDS
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(_TEMP_SUFFIX):
                try:
                    if entry.stat().st_mtime < limit:
                        os.unlink(entry.path)
                except OSError:
                    continue

    def save(self, scenario: Scenario, *, replace: bool = True) -> Scenario:
        """Save ``scenario`` under its name and return it as saved (``saved_at`` set).

        Parameters
        ----------
        scenario
            Any scenario of a registered model; its name loses surrounding spaces.
        replace
            Whether a scenario of the same name may be overwritten. With ``False`` an existing
            name raises `InputError` (``scenario_exists``), even when another session saves
            it at the same moment.

        Returns
        -------
        Scenario
            The scenario as stored, ``saved_at`` being the time now (ISO 8601 with the UTC
            offset, to the second).

        The first save into a folder without a code gives it one, kept in `new_code`; a folder
        with a code needs it (see the ``code`` parameter).
        """
        name = _clean_name(scenario.name)
        try:
            data = scenario.to_dict()
        except (TypeError, ValueError):  # an input that is not a number
            raise InputError("scenario", reason="not_a_scenario", value=name) from None
        stored = Scenario.from_dict({**data, "name": name, "saved_at": _now()})
        self._claim()
        self._write(stored, replace=replace)
        self._remove_stale_temp_files()
        return stored

    def rename(self, old: str, new: str) -> Scenario:
        """Give saved scenario ``old`` the name ``new``; returns it (its ``saved_at`` is kept).

        The scenario is written under the new name before the old file is removed, so a crash
        in between leaves both, never neither. Raises `InputError` when ``old`` is unknown
        (``unknown_scenario``) or ``new`` is taken (``scenario_exists``).
        """
        path, scenario = self._find(old)
        new = _clean_name(new)
        if new == scenario.name:
            return scenario
        renamed = dataclasses.replace(scenario, name=new)
        self._write(renamed, replace=False)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        _fsync_folder(self.folder)
        return renamed

    def delete(self, name: str) -> None:
        """Remove saved scenario ``name``; `InputError` (``unknown_scenario``) when there is none."""
        path, _ = self._find(name)
        try:
            path.unlink()
        except FileNotFoundError:
            pass  # another session removed it first
        _fsync_folder(self.folder)


def owner_folders(root: Path) -> list[Path]:
    """The folders under ``root`` that hold one owner's scenarios each (hidden ones left out), sorted;
    none when ``root`` does not exist. The trainer's collection (`coopkit.collect`) walks them."""
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(Path(e.path) for e in entries if not e.name.startswith(".") and e.is_dir())


def collect(root: str | os.PathLike[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Every owner's scenarios in one table, evaluated: what a trainer shows the room.

    Parameters
    ----------
    root
        Folder of the owners' folders (default: `default_root`).
    lang
        Language of the error texts (default: the current language).

    Returns
    -------
    pandas.DataFrame
        One row per readable scenario, sorted by owner (the folder name) then scenario name:
        ``owner, scenario, model, product, channel, saved_at``, then the inputs and then the
        outputs of every model that appears (NaN where a model has no such input or output),
        then ``error``: the message for a scenario whose inputs are bad (its outputs are NaN),
        ``""`` otherwise. Unreadable files are left out (see `ScenarioStore.problems`).

    Examples
    --------
    Two cooperatives saved their unit costs; the trainer compares them.

    >>> import tempfile
    >>> import coopkit
    >>> root = tempfile.mkdtemp()
    >>> for owner, volume in [("HTX Sen Đá", 40_000), ("HTX Cam Lạc Thủy", 0)]:
    ...     _ = ScenarioStore(root, owner).save(coopkit.Scenario("Vụ hè", "unit_cost",
    ...         {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": volume}))
    >>> table = collect(root, lang="en")
    >>> table[["owner", "unit_cost"]].values.tolist()
    [['htx-cam-lac-thuy', nan], ['htx-sen-da', 12000.0]]
    >>> print(table["error"][0])
    Volume sold must be greater than zero (you entered 0).
    """
    import pandas as pd

    root = default_root() if root is None else Path(root).expanduser()
    rows = []
    used: set[str] = set()
    for folder in owner_folders(root):
        for scenario in ScenarioStore._at(folder).scenarios():
            model = MODELS[scenario.model]
            used.add(model.name)
            row: dict[str, object] = {
                "owner": folder.name, "scenario": scenario.name, "model": scenario.model,
                "product": scenario.product, "channel": scenario.channel, "saved_at": scenario.saved_at,
                **scenario.inputs,
            }
            try:
                row.update(evaluate(model, scenario.inputs))
                row["error"] = ""
            except InputError as err:
                row.update({k: math.nan for k in model.outputs})
                row["error"] = err.message(lang)
            rows.append(row)
    models = [m for name, m in MODELS.items() if name in used]
    inputs = list(dict.fromkeys(k for m in models for k in m.inputs))
    outputs = [k for k in dict.fromkeys(k for m in models for k in m.outputs) if k not in inputs]
    columns = ["owner", "scenario", "model", "product", "channel", "saved_at", *inputs, *outputs, "error"]
    rows.sort(key=lambda r: (r["owner"], *_sort_key(str(r["scenario"]))))
    return pd.DataFrame(rows, columns=columns)
