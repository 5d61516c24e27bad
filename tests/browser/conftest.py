"""Browser fixtures: a Voila server started like ``make serve`` and Debian's chromium.

Everything is loopback only and bounded in time. The server is started with
`coopkit.server.voila_command` and `coopkit.server.voila_environ` in the repository (so that
``voila.json`` and the CDN-free ``coopkit`` template apply) but without preheated kernels, so
that tests are deterministic and light. `start_voila` (also used by
``benchmarks/bench_apps.py``) can start one with preheated pools.

Fixtures
--------
voila_server (session)      a running server on ``notebooks/`` (or ``--voila-notebooks DIR``)
make_voila_server (session) factory: ``make_voila_server(notebooks=..., preheat=..., pool_size=...)``
browser (session)           headless chromium (``/usr/bin/chromium``) through Playwright
make_page (function)        factory: ``make_page(locale="en-US")``; checks each page at teardown
page (function)             ``make_page(locale="vi-VN")``

Each page made by `make_page` is watched: at teardown the test fails if the page sent any
request (or opened a websocket) to a host other than 127.0.0.1/localhost — the workshop room
may have no internet — or raised an uncaught JavaScript error (``pageerror``).

`open_app(page, server, "01_unit_cost.ipynb", lang="en")` opens a notebook and waits until
its app is ready (``.ck-app.ck-ready`` visible), failing early with the server log if Voila
shows an error instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: Elements Voila (0.5, lab template) uses for a failed page or a failed cell.
VOILA_ERROR_SELECTOR = ", ".join(
    [
        ".voila-error",  # error page (404, bad notebook, kernel failure)
        '[data-mime-type="application/vnd.jupyter.stderr"]',  # a cell raised (tracebacks hidden)
        ".jp-OutputArea-output.jp-mod-error",
    ]
)
SERVER_START_TIMEOUT = 60.0
SERVER_STOP_GRACE = 10.0

# Never send loopback traffic through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """``(status, body)`` of a GET without following proxies; HTTP errors are returned, not raised."""
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _proc_table() -> dict[int, int]:
    """``{pid: parent pid}`` of every process visible in /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        # The command name (field 2) may contain spaces and parentheses: split after the last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        table[int(entry)] = int(fields[1])
    return table


def descendants(pid: int) -> list[int]:
    """All processes below ``pid`` (children, grandchildren, ...)."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for child, parent in table.items():
        children.setdefault(parent, []).append(child)
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return sorted(found)


def rss_kb(pid: int) -> int:
    """Resident memory of one process in KiB (``VmRSS``), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def shutdown_kernel(base_url: str, kernel_id: str, timeout: float = 5.0) -> int:
    """Ask Voila to shut one kernel down, as its page does on ``beforeunload``; the HTTP status.

    Voila's own beacon is refused (403 "'_xsrf' argument missing", voila issue #1458: the page
    never gets an ``_xsrf`` cookie), so closed tabs keep their kernels until culled. Tornado's
    check is double-submit (cookie == form field), which this request satisfies.
    """
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/voila/api/shutdown/{kernel_id}",
        data=b"_xsrf=coopkit-tests",
        headers={"Cookie": "_xsrf=coopkit-tests", "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


_KERNEL_ID_JS = """() => {
    const el = document.getElementById('jupyter-config-data');
    try { return el ? JSON.parse(el.textContent).kernelId || null : null; } catch (e) { return null; }
}"""


def page_kernel_id(page) -> str | None:
    """The id of the kernel behind a Voila page (``None`` for other pages)."""
    try:
        return page.evaluate(_KERNEL_ID_JS)
    except Exception:
        return None


@dataclass
class VoilaServer:
    """A running Voila server. ``url`` ends with ``/``: ``f"{server.url}voila/render/x.ipynb"``."""

    url: str
    port: int
    log_path: Path
    process: subprocess.Popen
    notebooks: Path
    preheat: bool
    command: list[str] = field(repr=False, default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def wait_for_log(self, *texts: str, timeout: float = 180.0) -> None:
        """Wait until every one of ``texts`` is in the server's log (it polls; fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while not all(text in self.log_text() for text in texts):
            if self.process.poll() is not None or time.monotonic() > deadline:
                missing = [text for text in texts if text not in self.log_text()]
                raise AssertionError(f"the server never logged {missing}:\n{self.log_tail()}")
            time.sleep(0.2)

    def kernel_pids(self) -> list[int]:
        """The kernels: processes below the server running ``ipykernel``."""
        return [p for p in descendants(self.pid) if "ipykernel" in _cmdline(p)]

    def rss_kb(self, *, with_kernels: bool = True) -> int:
        """Resident memory of the server (plus all its descendants) in KiB."""
        pids = [self.pid] + (descendants(self.pid) if with_kernels else [])
        return sum(rss_kb(p) for p in pids)

    def stop(self, grace: float = SERVER_STOP_GRACE) -> None:
        stop_voila(self, grace)


def start_voila(
    *,
    notebooks: Path | str | None = None,
    preheat: bool = False,
    pool_size: int | None = None,
    log_path: Path | str | None = None,
    timeout: float = SERVER_START_TIMEOUT,
    env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> VoilaServer:
    """Start Voila the way ``coopkit.server`` does and wait until ``/`` answers 200.

    ``notebooks`` defaults to the repository's ``notebooks/``. ``preheat=True`` keeps kernel
    pools as configured in ``voila.json`` (``pool_size`` overrides every notebook's pool).
    Raises ``RuntimeError`` with the end of the server log if it exits or does not answer in
    ``timeout`` seconds (the process is stopped first).
    """
    try:
        from coopkit.server import voila_command, voila_environ
    except ModuleNotFoundError:  # not installed and not on sys.path (e.g. a script in benchmarks/)
        sys.path.insert(0, str(REPO_ROOT))
        from coopkit.server import voila_command, voila_environ

    port = free_port()
    cmd = voila_command(port=port, notebooks=notebooks, preheat=preheat, pool_size=pool_size, extra_args=extra_args)
    environ = voila_environ(env)
    if log_path is None:
        log_path = Path(tempfile.mkdtemp(prefix="coopkit-voila-")) / "voila.log"
    log_path = Path(log_path)
    # Scenarios saved by the apps go to the test's own folder, never the user's home.
    if env is None or "COOPKIT_SCENARIO_DIR" not in env:
        environ["COOPKIT_SCENARIO_DIR"] = str(log_path.parent / "scenarios")
    # Kernels import the checkout's coopkit even where it is not pip-installed.
    environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), environ.get("PYTHONPATH", "")) if p)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stopped as a whole
        )
    server = VoilaServer(
        url=f"http://127.0.0.1:{port}/",
        port=port,
        log_path=log_path,
        process=process,
        notebooks=Path(notebooks) if notebooks is not None else REPO_ROOT / "notebooks",
        preheat=preheat,
        command=cmd,
    )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"Voila exited with code {process.returncode} before answering.\n"
                f"command: {' '.join(cmd)}\nlog ({log_path}):\n{server.log_tail()}"
            )
        try:
            status, _ = http_get(server.url, timeout=2.0)
            if status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_voila(server)
            raise RuntimeError(
                f"Voila did not answer 200 on {server.url} within {timeout:.0f} s.\n"
                f"log ({log_path}):\n{server.log_tail()}"
            )
        time.sleep(0.2)


def stop_voila(server: VoilaServer, grace: float = SERVER_STOP_GRACE) -> None:
    """SIGTERM the server's process group, SIGKILL after ``grace`` s; then any kernel left over.

    Kernels run in sessions of their own (jupyter_client starts them so), so the process group
    does not reach them: they are remembered before the server stops and ended by pid if the
    server did not shut them down itself.
    """
    process = server.process
    kernels = {p: _cmdline(p) for p in descendants(process.pid)}
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
    # Leftovers: same pid and same command line as before (not a recycled pid).
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = [p for p, cmd in kernels.items() if cmd and _cmdline(p) == cmd]
        for p in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, sig)
        deadline = time.monotonic() + grace
        while alive and time.monotonic() < deadline:
            alive = [p for p in alive if _cmdline(p) == kernels[p]]
            time.sleep(0.1)
        if not alive:
            break


@contextlib.contextmanager
def running_voila(**kwargs) -> Iterator[VoilaServer]:
    """``with running_voila(preheat=True, pool_size=2) as server: ...`` (see `start_voila`)."""
    server = start_voila(**kwargs)
    try:
        yield server
    finally:
        stop_voila(server)


@pytest.fixture(scope="session")
def make_voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., VoilaServer]]:
    """Factory for extra servers (another notebook folder, preheated pools); all stopped at the end."""
    servers: list[VoilaServer] = []

    def make(**kwargs) -> VoilaServer:
        kwargs.setdefault("log_path", tmp_path_factory.mktemp("voila") / "voila.log")
        try:
            server = start_voila(**kwargs)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        servers.append(server)
        return server

    yield make
    for server in servers:
        stop_voila(server)


@pytest.fixture(scope="session")
def voila_server(make_voila_server, notebooks_dir: Path) -> VoilaServer:
    """Voila on ``notebooks/`` (or ``--voila-notebooks``), without preheated kernels."""
    return make_voila_server(notebooks=notebooks_dir, preheat=False)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright (``playwright install`` cannot work here)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium`", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: run `pip install playwright` (no browser download needed)", pytrace=False)
    from playwright.sync_api import expect

    # Expectations wait for the app (a busy CI machine answers late); met ones return at once.
    expect.set_options(timeout=SETTLE_TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine (loopback hosts, ``data:``, ``blob:``, ``about:``)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript", ""):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


class PageGuard:
    """Records what pages of one browser context do that a test must not allow."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.external: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self._pages: set[int] = set()

    def watch_context(self, context) -> None:
        context.on("request", self._on_request)
        context.on("page", self.watch_page)

    def watch_page(self, page) -> None:
        if id(page) in self._pages:
            return
        self._pages.add(id(page))
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("websocket", lambda ws: self._on_url(ws.url))
        page.on("console", self._on_console)

    def _on_request(self, request) -> None:
        self._on_url(request.url)

    def _on_url(self, url: str) -> None:
        self.requests.append(url)
        if not is_local_url(url):
            self.external.append(url)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def problems(self) -> list[str]:
        """Lines describing every external request and uncaught page error (empty: all fine)."""
        lines = [f"request to a host other than the local server: {u}" for u in dict.fromkeys(self.external)]
        lines += [f"uncaught JavaScript error: {e}" for e in self.page_errors]
        return lines


class PageFactory:
    """``make_page(locale="vi-VN", *, viewport=..., check=True)`` -> a new page in a new context.

    ``make_page.guard(page)`` gives the page's `PageGuard` (requests, page errors, console
    errors). At teardown the kernels of Voila pages are shut down (see `shutdown_kernel`).
    """

    def __init__(self, browser) -> None:
        self._browser = browser
        self._made: list[tuple[object, object, PageGuard, bool]] = []

    def __call__(self, locale: str = "vi-VN", *, viewport: dict | None = None, check: bool = True, **context_args):
        context = self._browser.new_context(
            locale=locale, viewport=viewport or {"width": 1280, "height": 900}, **context_args
        )
        guard = PageGuard()
        guard.watch_context(context)
        context.set_default_timeout(SETTLE_TIMEOUT_MS)
        page = context.new_page()
        guard.watch_page(page)
        self._made.append((context, page, guard, check))
        return page

    def guard(self, page) -> PageGuard:
        for _context, made, guard, _check in self._made:
            if made is page:
                return guard
        raise KeyError("page was not made by make_page")

    def close_all(self) -> list[str]:
        """Close every page and context (shutting Voila kernels down); the guards' problems."""
        problems = []
        for context, _page, guard, check in self._made:
            for p in list(context.pages):
                kernel_id = page_kernel_id(p) if "/voila/render/" in p.url else None
                if kernel_id:
                    parts = urlsplit(p.url)
                    with contextlib.suppress(OSError):
                        shutdown_kernel(f"{parts.scheme}://{parts.netloc}/", kernel_id)
                with contextlib.suppress(Exception):
                    p.close()
            with contextlib.suppress(Exception):
                context.close()
            if check:
                problems += guard.problems()
        self._made.clear()
        return problems


@pytest.fixture
def make_page(browser) -> Iterator[PageFactory]:
    factory = PageFactory(browser)
    yield factory
    problems = factory.close_all()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(make_page):
    """A fresh page (own context) with locale vi-VN and a 1280x900 viewport."""
    return make_page(locale="vi-VN")


# --------------------------------------------------------------------------- opening an app

_STATE_JS = """(sel) => {
    const ready = document.querySelector('.ck-app.ck-ready');
    if (ready && ready.checkVisibility()) return 'ready';
    if (document.querySelector(sel)) return 'error';
    const text = document.body ? document.body.innerText : '';
    if (text.includes('There was an error when executing cell') || text.includes('Traceback')) return 'error';
    return null;
}"""


def result_cell(app, key: str):
    """The results-table cell ``data-key=key`` of an app (its ``data-value`` holds the raw number)."""
    return app.locator(f'.ck-results td[data-key="{key}"]')


#: How long a browser test waits for an app to settle or an expectation to hold. Generous: a
#: CI machine may be busy, and a condition that already holds returns at once.
SETTLE_TIMEOUT_MS = 120_000

_DONE_JS = """(el) => {
    const m = el.className.match(/(?:^|\\s)ck-done-(\\d+)(?:\\s|$)/);
    return m ? Number(m[1]) : 0;
}"""

_SETTLED_JS = """([el, before]) => {
    if (el.classList.contains('ck-busy')) return false;
    const m = el.className.match(/(?:^|\\s)ck-done-(\\d+)(?:\\s|$)/);
    return (m ? Number(m[1]) : 0) > before;
}"""


def app_root(app):
    """The app's root element (``.ck-app``) for a locator inside or of an app."""
    return app.locator("xpath=ancestor-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' ck-app ')][1]")


def app_done_count(app) -> int:
    """How many callbacks the app has finished (its ``ck-done-<n>`` class; see coopkit.ui.base.safe)."""
    return app_root(app).first.evaluate(_DONE_JS)


def wait_settled(app, before: int, timeout: float = SETTLE_TIMEOUT_MS) -> None:
    """Wait until the app has finished a callback after ``before`` (see `app_done_count`) and is
    not busy: whatever the input changed is then on the page."""
    handle = app_root(app).first.element_handle(timeout=timeout)
    app.page.wait_for_function(_SETTLED_JS, arg=[handle, before], timeout=timeout, polling=50)


@contextlib.contextmanager
def settles(app, timeout: float = SETTLE_TIMEOUT_MS) -> Iterator[None]:
    """``with settles(app): button.click()`` waits until the app has handled what the block did."""
    before = app_done_count(app)
    yield
    wait_settled(app, before, timeout)


def type_into(app, field: str, text: str, *, settle: bool = True) -> None:
    """Type ``text`` into the input of field ``field`` and press Enter, as a manager would, then
    wait until the app has taken the input in (it settles; no fixed time).

    If the box already holds exactly ``text``, nothing is sent to the kernel and nothing is
    waited for; ``settle=False`` for a box that by itself starts nothing (a goal's target,
    read when its button is pressed).
    """
    box = app.locator(f".ck-field-{field} input").first
    if not settle or box.input_value(timeout=SETTLE_TIMEOUT_MS) == text:
        box.fill(text)
        box.press("Enter")
        return
    with settles(app):
        box.fill(text)
        box.press("Enter")


def open_app(page, server: VoilaServer, notebook: str, lang: str | None = None, timeout: float = 60_000):
    """Open ``voila/render/<notebook>`` (``?lang=``) and wait until its app is ready.

    Returns the locator of the app root (``.ck-app``). Fails (with the end of the server log)
    if Voila shows an error page or a cell error, if "Traceback" appears in the page, or if
    ``.ck-app.ck-ready`` is not visible within ``timeout`` ms.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    url = f"{server.url}voila/render/{notebook}" + (f"?lang={lang}" if lang else "")
    # Voila streams the page while the kernel runs the notebook; wait for our own selectors,
    # never for "networkidle" (the kernel websocket stays open).
    page.goto(url, wait_until="commit", timeout=timeout)
    try:
        state = page.wait_for_function(_STATE_JS, arg=VOILA_ERROR_SELECTOR, timeout=timeout, polling=100).json_value()
    except PlaywrightTimeout:
        state = "timeout"
    errors = page.locator(VOILA_ERROR_SELECTOR)
    details = "; ".join(t.strip()[:300] for t in errors.all_inner_texts()) if errors.count() else ""
    if server.process.poll() is not None:
        details += f"\nTHE VOILA SERVER HAS EXITED (code {server.process.returncode}); 'Handle signal 15' in the log means something outside the tests stopped it."
    context = f"{url}\n{details}\nserver log ({server.log_path}):\n{server.log_tail()}"
    if state != "ready":
        pytest.fail(f"{notebook}: app not ready ({state}).\n{context}", pytrace=False)
    expect(page.locator("#loading")).to_be_hidden(timeout=timeout)
    if errors.count():
        pytest.fail(f"{notebook}: Voila shows an error.\n{context}", pytrace=False)
    if "Traceback" in page.locator("body").inner_text():
        pytest.fail(f"{notebook}: 'Traceback' in the page.\n{context}", pytrace=False)
    return page.locator(".ck-app").first
