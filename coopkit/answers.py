"""The room's answers: every trainee's attempts, hints and solutions, kept on the server.

A trainee types a name and a cooperative once; every check, hint and solution of every task is
recorded in one small JSON file per trainee and task::

    <root>/trainees/lan--htx-mat-ong-ha-giang-3f9a1c/break_even--volume.json

A record is updated under a lock held on the trainee's folder (so two tabs of one trainee do not
lose each other's attempts) and written atomically (temporary file, ``fsync``, `os.replace`), in
the spirit of the scenario store: fifty trainees answering at once write fifty different files,
and a kernel killed half-way leaves the previous version whole and at most a hidden ``.tmp``
file, which readers ignore. The trainer's releases of solutions are one more file,
``released.json``, written the same way.

The root is ``$COOPKIT_ANSWER_DIR`` (the workshop server sets it), else ``~/coopkit-answers``.

>>> import tempfile
>>> room = AnswerStore(tempfile.mkdtemp())
>>> lan = Trainee("Lan", "HTX Mật ong Hà Giang")
>>> _ = room.record(lan, "break_even", "volume", "attempt", typed="69.231", value=69231.0, status="mistake", mistake="divided_by_price")
>>> _ = room.record(lan, "break_even", "volume", "hint", hints=1)
>>> mine = room.record(lan, "break_even", "volume", "attempt", typed="240.000", value=240000.0, status="right")
>>> mine["attempts"], mine["hints"], mine["right"]
(2, 1, True)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopkit.errors import InputError
from coopkit.exchange import write_atomic
from coopkit.fields import register_fields
from coopkit.store import owner_folder

__all__ = [
    "ENV_VAR",
    "KEY_ENV_VAR",
    "EVENTS",
    "Trainee",
    "AnswerStore",
    "default_root",
    "trainer_key",
]

#: Environment variable naming the folder of the room's answers.
ENV_VAR = "COOPKIT_ANSWER_DIR"
#: Environment variable holding the trainer's key (the trainer page asks for it).
KEY_ENV_VAR = "COOPKIT_TRAINER_KEY"
#: What a record counts: an answer checked, a hint opened, the solution shown.
EVENTS = ("attempt", "hint", "solution")
#: Answers kept per record (the first ones and the last ones tell the story).
KEPT_ANSWERS = 40
#: Longest name or cooperative a trainee may type.
MAX_NAME = 60

register_fields({"trainee_name": "text", "trainee_cooperative": "text"})


def default_root() -> Path:
    """``$COOPKIT_ANSWER_DIR`` when set, else ``~/coopkit-answers``.

    >>> import os
    >>> before = os.environ.pop("COOPKIT_ANSWER_DIR", None)
    >>> default_root().name
    'coopkit-answers'
    >>> if before is not None:
    ...     os.environ["COOPKIT_ANSWER_DIR"] = before
    """
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value).expanduser() if value else Path.home() / "coopkit-answers"


def _clean(text: object, field: str) -> str:
    if not isinstance(text, str) or not " ".join(text.split()):
        raise InputError(field, reason="trainee_empty")
    cleaned = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(cleaned) > MAX_NAME:
        raise InputError(field, reason="name_too_long", length=len(cleaned), max_length=MAX_NAME)
    return cleaned


@dataclass(frozen=True)
class Trainee:
    """A trainee as typed once per workshop: a name and a cooperative.

    The same name and cooperative typed again (other case, other spaces) is the same trainee;
    the folder is a safe ASCII name plus a short hash of the exact words.

    >>> Trainee("  Lan ", "HTX Mật ong Hà Giang").key
    'lan--htx-mat-ong-ha-giang-2fa1c0'
    >>> Trainee("lan", "htx mật ong hà giang").key == Trainee("Lan", "HTX Mật ong Hà Giang").key
    True
    >>> Trainee("", "HTX")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Tên của bạn: ô này đang trống, hãy nhập tên.
    """

    name: str
    cooperative: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _clean(self.name, "trainee_name"))
        object.__setattr__(self, "cooperative", _clean(self.cooperative, "trainee_cooperative"))

    @property
    def key(self) -> str:
        exact = f"{self.name.casefold()}|{self.cooperative.casefold()}"
        digest = hashlib.sha256(exact.encode("utf-8")).hexdigest()[:6]
        return f"{_folder_word(self.name, 'x')[:20]}--{_folder_word(self.cooperative, 'x')[:30]}-{digest}"


def _folder_word(text: str, fallback: str) -> str:
    """`owner_folder` of a name, or ``fallback`` for a name with no Latin letter or digit (李明,
    🐝): the key's hash tells such trainees apart.

    >>> _folder_word("Lan", "x"), _folder_word("李明", "x")
    ('lan', 'x')
    """
    try:
        return owner_folder(text)
    except InputError:
        return fallback


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def trainer_key(root: str | os.PathLike[str] | None = None) -> str:
    """The trainer's key: ``$COOPKIT_TRAINER_KEY``, else the one kept in ``<root>/trainer-key.txt``
    (made on first use, readable by the server's user only).

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> key = trainer_key(folder)
    >>> len(key) >= 8 and key == trainer_key(folder)
    True
    """
    given = os.environ.get(KEY_ENV_VAR, "").strip()
    if given:
        return given
    folder = Path(root) if root is not None else default_root()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "trainer-key.txt"
    if not path.exists():
        words = secrets.token_hex(4)
        with contextlib.suppress(FileExistsError):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "w") as file:
                file.write(words + "\n")
    return path.read_text(encoding="utf-8").strip()


class AnswerStore:
    """The answers of one room (one root folder)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.root)!r})"

    def _folder(self, trainee: Trainee) -> Path:
        return self.root / "trainees" / trainee.key

    def _inside(self, folder: Path) -> Path:
        """``folder`` if it stays inside the root once links are followed; else `PermissionError`.

        The root itself may be a link (to a USB disk, say); a link planted below it that leads
        out is never followed to write there."""
        root = self.root.resolve()
        real = folder.resolve()
        if real != root and root not in real.parents:
            raise PermissionError(f"{folder} leads out of the answer folder {self.root} (a link): not written")
        return folder

    @contextlib.contextmanager
    def _locked(self, folder: Path) -> Iterator[None]:
        self._inside(folder).mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a lock file that is a link is refused, not created wherever it points.
        handle = os.open(folder / ".lock", os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o666)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "task" in data else None

    def record(self, trainee: Trainee, workbook: str, task: str, event: str, *, typed: str | None = None,
               value: float | None = None, status: str | None = None, mistake: str | None = None,
               hints: int | None = None) -> dict[str, Any]:
        """Add one ``event`` (``attempt``, ``hint`` or ``solution``) to the trainee's record of a
        task and return the record. An attempt carries what was typed, the number read, the
        check's status (``right``, ``mistake``, ``wrong``, ``unreadable``) and the mistake's id."""
        if event not in EVENTS:
            raise ValueError(f"event must be one of {EVENTS}")
        folder = self._folder(trainee)
        path = folder / f"{owner_folder(workbook)}--{owner_folder(task)}.json"
        with self._locked(folder):
            now = _now()
            data = self._read(path) or {
                "version": 1, "trainee": {"name": trainee.name, "cooperative": trainee.cooperative, "key": trainee.key},
                "workbook": workbook, "task": task, "attempts": 0, "hints": 0, "right": False,
                "solution_seen": False, "first": now, "last": now, "right_at": None, "answers": [],
            }
            data["last"] = now
            if event == "attempt":
                if status == "unreadable":
                    pass  # nothing was read: not an attempt
                else:
                    data["attempts"] += 1
                    data["answers"].append({"typed": (typed or "")[:40], "value": value, "status": status,
                                            "mistake": mistake, "time": now})
                    if len(data["answers"]) > KEPT_ANSWERS:
                        data["answers"] = data["answers"][:10] + data["answers"][-(KEPT_ANSWERS - 10):]
                    if status == "right" and not data["right"]:
                        data["right"], data["right_at"] = True, now
            elif event == "hint":
                data["hints"] = max(data["hints"], int(hints or 0))
            else:
                data["solution_seen"] = True
            write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return data

    def records(self, trainee: Trainee | None = None) -> list[dict[str, Any]]:
        """Every record of the room (or of one trainee), oldest first. A file that cannot be
        read (which atomic writes do not leave) is skipped, not fatal."""
        base = self._folder(trainee) if trainee is not None else self.root / "trainees"
        pattern = "*.json" if trainee is not None else "*/*.json"
        found = [data for path in base.glob(pattern) if (data := self._read(path)) is not None]
        return sorted(found, key=lambda r: (r["first"], r["trainee"]["key"], r["workbook"], r["task"]))

    def release(self, workbook: str, task: str, released: bool = True) -> set[tuple[str, str]]:
        """Release (or take back) the solution of a task for the whole room."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._locked(self.root):
            current = self.released()
            current = current | {(workbook, task)} if released else current - {(workbook, task)}
            text = json.dumps(sorted([w, t] for w, t in current), ensure_ascii=False)
            write_atomic(self.root / "released.json", text.encode("utf-8"))
        return current

    def released(self) -> set[tuple[str, str]]:
        """The tasks whose solutions the trainer has released."""
        try:
            data = json.loads((self.root / "released.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {(str(w), str(t)) for w, t in data} if isinstance(data, list) else set()

    def released_stamp(self) -> float:
        """When the releases last changed (0 when none): a page polls this, cheaply."""
        try:
            return (self.root / "released.json").stat().st_mtime
        except OSError:
            return 0.0
