"""How many kernels a room's server starts at once, how many it holds, and what a visitor sees when it is full.

A workshop is 20–50 managers who open the same workbook within a minute. Each visit needs a
kernel that runs the notebook (seconds of CPU). Voila starts every kernel at once: on 2 cores, 30
visits all finished together after 84 s and nobody got an app early, and a server that outgrew
its memory would fail for everyone (Voila has no kernel limit). ``share/jupyter/config/voila.py``
uses this module to:

- start kernels through a `StartGate`: a few at a time (as many as the machine has cores), the
  rest waiting in order, a visitor's kernel before a kernel warmed for later;
- refuse a new visitor when the server holds `Capacity.max_kernels` kernels or the machine's free
  memory falls under `Capacity.min_free_mb`, with `room_full_page`: a page in the visitor's
  language that says the room is full and tries again by itself. Visitors already working keep
  working; a visitor who can take a kernel warmed ahead is always let in.

The limits come from the environment that ``coopkit.server`` gives the Voila process
(``make serve MAX_KERNELS=… KERNEL_STARTS=…``), or are sized from the machine.
"""

from __future__ import annotations

import asyncio
import heapq
import html
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from coopkit import i18n

__all__ = [
    "KERNEL_MB",
    "RESERVE_MB",
    "Capacity",
    "StartGate",
    "machine_memory_mb",
    "room_full_page",
]

#: Memory one app kernel holds once it has run its notebook, MB (measured: 180–200 MB).
KERNEL_MB = 200
#: Memory kept free for the server itself, the system and a trainer's browser, MB.
RESERVE_MB = 1500
#: How a kernel a visitor waits for and one warmed for later rank in the queue (lower goes first).
VISITOR, WARM = 0, 1


def machine_memory_mb(meminfo: str | os.PathLike[str] = "/proc/meminfo") -> tuple[int, int]:
    """The machine's (total, available) memory in MB, from ``/proc/meminfo``; (0, 0) when unknown.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "meminfo"
    >>> _ = f.write_text("MemTotal:       16384000 kB\\nMemFree: 1 kB\\nMemAvailable:    8192000 kB\\n")
    >>> machine_memory_mb(f)
    (16000, 8000)
    """
    values = {}
    try:
        for line in Path(meminfo).read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("MemTotal", "MemAvailable"):
                values[name] = int(rest.split()[0]) // 1024
    except (OSError, ValueError, IndexError):
        return 0, 0
    return values.get("MemTotal", 0), values.get("MemAvailable", 0)


@dataclass(frozen=True)
class Capacity:
    """What one server may hold.

    Parameters
    ----------
    max_kernels
        Kernels the server holds at most, visitors' and warm ones together.
    min_free_mb
        Free memory (``MemAvailable``) under which no new kernel is started.
    starts
        Kernels started (and running their notebook) at the same time.

    Examples
    --------
    A 16 GB machine with 2 cores holds 72 kernels of 200 MB beside its 1.5 GB reserve:

    >>> Capacity.for_machine(total_mb=16000, cpus=2)
    Capacity(max_kernels=72, min_free_mb=600, starts=2)
    >>> Capacity.from_environ({"COOPKIT_MAX_KERNELS": "3", "COOPKIT_KERNEL_STARTS": "1"}, total_mb=16000, cpus=2)
    Capacity(max_kernels=3, min_free_mb=600, starts=1)
    """

    max_kernels: int
    min_free_mb: int
    starts: int

    @classmethod
    def for_machine(cls, total_mb: int | None = None, cpus: int | None = None) -> Capacity:
        if total_mb is None:
            total_mb = machine_memory_mb()[0]
        cpus = cpus or os.cpu_count() or 2
        max_kernels = max(2, (total_mb - RESERVE_MB) // KERNEL_MB) if total_mb else 50
        return cls(max_kernels=int(max_kernels), min_free_mb=3 * KERNEL_MB, starts=max(1, cpus))

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None, **machine: int) -> Capacity:
        """`for_machine`, with ``COOPKIT_MAX_KERNELS``, ``COOPKIT_MIN_FREE_MB`` and
        ``COOPKIT_KERNEL_STARTS`` from the environment where they are set."""
        environ = os.environ if environ is None else environ
        base = cls.for_machine(**machine)

        def number(name: str, default: int, least: int) -> int:
            try:
                return max(least, int(environ.get(name) or default))
            except ValueError:
                return default

        return cls(max_kernels=number("COOPKIT_MAX_KERNELS", base.max_kernels, 1),
                   min_free_mb=number("COOPKIT_MIN_FREE_MB", base.min_free_mb, 0),
                   starts=number("COOPKIT_KERNEL_STARTS", base.starts, 1))

    def admits(self, kernels: int, free_mb: int | None) -> bool:
        """Whether a new kernel may start beside ``kernels`` others with ``free_mb`` free.

        >>> cap = Capacity(max_kernels=3, min_free_mb=600, starts=2)
        >>> cap.admits(2, 5000), cap.admits(3, 5000), cap.admits(0, 500), cap.admits(2, None)
        (True, False, False, True)
        """
        if kernels >= self.max_kernels:
            return False
        return free_mb is None or free_mb == 0 or free_mb >= self.min_free_mb


class Ticket:
    """A place in the `StartGate`'s queue. ``release()`` gives the place back (once)."""

    def __init__(self, gate: StartGate, rank: int, order: int) -> None:
        self.gate, self.rank, self.order = gate, rank, order
        self.granted = asyncio.get_running_loop().create_future()
        self.released = False

    def key(self) -> tuple[int, int]:
        return (self.rank, self.order)

    def __lt__(self, other: Ticket) -> bool:
        return self.key() < other.key()

    async def wait(self) -> None:
        """Until this ticket's turn; a cancelled wait gives the place back."""
        try:
            await asyncio.shield(self.granted)
        except asyncio.CancelledError:
            self.release()
            raise

    def hurry(self) -> None:
        """A visitor waits for this kernel now: it goes ahead of every warm-up."""
        self.gate.hurry(self)

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.gate._release(self)


class StartGate:
    """At most ``slots`` kernels start at a time; the others wait, best rank first, then in order.

    >>> async def demo():
    ...     gate = StartGate(1)
    ...     first = await gate.acquire(WARM)
    ...     later = gate.enter(WARM)             # a kernel warmed for later waits...
    ...     visitor = gate.enter(VISITOR)        # ...and a visitor's kernel arrives after it
    ...     first.release()
    ...     return visitor.granted.done(), later.granted.done(), gate.waiting
    >>> asyncio.run(demo())
    (True, False, 1)
    """

    def __init__(self, slots: int) -> None:
        self.slots = max(1, int(slots))
        self.running = 0
        self._queue: list[Ticket] = []
        self._order = itertools.count()

    @property
    def waiting(self) -> int:
        return sum(1 for t in self._queue if not t.granted.done())

    def enter(self, rank: int = VISITOR) -> Ticket:
        """Join the queue now; ``await ticket.wait()`` for the turn (a visitor may `Ticket.hurry` it meanwhile)."""
        ticket = Ticket(self, rank, next(self._order))
        heapq.heappush(self._queue, ticket)
        self._grant()
        return ticket

    async def acquire(self, rank: int = VISITOR) -> Ticket:
        ticket = self.enter(rank)
        await ticket.wait()
        return ticket

    def hurry(self, ticket: Ticket) -> None:
        if ticket.rank != VISITOR and not ticket.granted.done():
            ticket.rank = VISITOR
            heapq.heapify(self._queue)

    def _grant(self) -> None:
        while self.running < self.slots and self._queue:
            ticket = heapq.heappop(self._queue)
            if ticket.released or ticket.granted.done():
                continue
            self.running += 1
            ticket.granted.set_result(True)

    def _release(self, ticket: Ticket) -> None:
        if ticket.granted.done() and not ticket.granted.cancelled():
            self.running -= 1
        else:  # it gave up its place before its turn
            try:
                self._queue.remove(ticket)
                heapq.heapify(self._queue)
            except ValueError:
                pass
        self._grant()


#: Seconds before the room-full page tries again (a little more for each try, up to a minute).
RETRY_SECONDS = 10


def room_full_page(lang: str, *, retry_seconds: int = RETRY_SECONDS) -> str:
    """The page a visitor gets when the server is full: in ``lang``, and it tries again by itself.

    >>> page = room_full_page("en")
    >>> "full" in page and 'lang="en"' in page and "location.reload" in page
    True
    >>> "đầy" in room_full_page("vi")
    True
    """
    lang = i18n.normalize_language(lang)
    t = {key: html.escape(i18n.tr(f"room.{key}", lang, seconds=retry_seconds))
         for key in ("title", "full", "wait", "retry", "trying")}
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry_seconds * 3}">
<title>{t["title"]}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; padding: 2rem 1rem; color: #1b1b1b; background: #f6f8f4; }}
main {{ max-width: 32rem; margin: auto; background: #fff; border-left: 6px solid #1b5e20; padding: 1.2rem 1.4rem; }}
h1 {{ font-size: 1.3rem; margin-top: 0; }}
button {{ font-size: 1rem; padding: .6rem 1.2rem; margin-top: .6rem; }}
</style></head>
<body class="ck-room-full"><main>
<h1>{t["full"]}</h1>
<p>{t["wait"]}</p>
<p class="ck-room-full-status" aria-live="polite">{t["trying"]}</p>
<button type="button" onclick="location.reload()">{t["retry"]}</button>
</main>
<script>
(function () {{
  var last = (sessionStorage.getItem("ck-room-full") || "0|0").split("|");
  var tries = Date.now() - Number(last[1]) < 300000 ? Number(last[0]) + 1 : 1;
  sessionStorage.setItem("ck-room-full", tries + "|" + Date.now());
  var wait = Math.min(60, {retry_seconds} + 5 * (tries - 1)) * 1000 * (0.8 + 0.4 * Math.random());
  setTimeout(function () {{ location.reload(); }}, wait);
}})();
</script>
</body></html>
"""
