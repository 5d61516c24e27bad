"""The JupyterHub recipe (deploy/jupyterhub/, issue 14 §4), run for real on this machine.

One hub is started with ``deploy/jupyterhub/jupyterhub_config.py`` as a trainer would start it:
``configurable-http-proxy`` from ``make hub-proxy``, every port on 127.0.0.1 and free, the state
(database, cookie secret, homes, the shared answers) in a temporary folder, the trainer's list of
names, the workshop password and SimpleLocalProcessSpawner (every trainee's server runs as the
current OS user: a real room uses systemdspawner on The Littlest JupyterHub or KubeSpawner).

Three trainees log in over HTTP (urllib and a cookie jar), land on the start page served by Voila,
open a workbook and get their own kernel in their own server; a trainee cannot open another's
server; a wrong password and a name not on the list are refused; one page is driven in chromium to
see the kernel answer in the language asked for. At the end the hub is stopped and no process it
started is left.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.roomclient import run

ROOT = Path(__file__).resolve().parent.parent.parent
HUB_DIR = ROOT / "deploy" / "jupyterhub"
CONFIG = HUB_DIR / "jupyterhub_config.py"
PROXY = HUB_DIR / ".proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
JUPYTERHUB = Path(sys.executable).with_name("jupyterhub")
CHROMIUM = "/usr/bin/chromium"

TRAINEES = ("an", "binh", "chi")
PASSWORD = "hop-tac-xa-2026"
TRAINER, TRAINER_PASSWORD, TRAINER_KEY = "trainer", "the-trainer's-own-password-of-32+-characters", "khoa-giang-vien"
MEM_LIMIT = "1G"
#: Seconds: the hub to answer, a trainee's server to start, a page to arrive, the hub to stop.
HUB_START, SERVER_START, PAGE, HUB_STOP = 60, 90, 60, 45
#: prctl(2): the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text(errors="replace")
    return int(stat[stat.rfind(")") + 2:].split()[1])


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and int(entry) != os.getpid()]


@dataclass
class Hub:
    url: str
    state: Path
    log_path: Path
    process: subprocess.Popen
    marker: str
    api_url: str
    stopped: bool = False
    clients: dict = field(default_factory=dict)

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def processes(self) -> list[int]:
        """Every process this hub started, or its servers did: the proxy, services, servers, kernels."""
        found = []
        for pid in _pids():
            env = _environ(pid)
            if env.get("COOPKIT_HUB_TEST_RUN") == self.marker or env.get("JUPYTERHUB_API_URL", "").startswith(self.api_url):
                found.append(pid)
        return found

    def stop(self) -> None:
        """SIGTERM the hub (it stops the trainees' servers, the culler and the proxy) and wait."""
        if self.stopped:
            return
        self.stopped = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=HUB_STOP)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@contextlib.contextmanager
def running_hub(state: Path, **settings: str) -> Iterator[Hub]:
    """A hub started with ``jupyterhub_config.py`` in ``state``, its settings from the environment, stopped at the end."""
    if not PROXY.exists():
        pytest.fail(f"configurable-http-proxy is missing ({PROXY.relative_to(ROOT)}): run `make hub-proxy`", pytrace=False)
    if not JUPYTERHUB.exists():
        pytest.fail(f"{JUPYTERHUB} is missing: run `make install-test` (the test extra installs jupyterhub)", pytrace=False)
    port, api_port, proxy_api_port = _free_port(), _free_port(), _free_port()
    marker = secrets.token_hex(8)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COOPKIT_", "JUPYTER"))}
    env.update(
        COOPKIT_HUB_TEST_RUN=marker,
        COOPKIT_HUB_PASSWORD=PASSWORD,
        COOPKIT_HUB_STATE=str(state),
        COOPKIT_HUB_PORT=str(port),
        COOPKIT_HUB_API_PORT=str(api_port),
        COOPKIT_HUB_PROXY_API_PORT=str(proxy_api_port),
        **settings,
    )
    log_path = state / "hub.log"

    def preexec():
        # A hub started from a background shell would inherit SIGINT ignored: its servers and services
        # would then take 30 s each to stop.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # If the tests are killed (a time-out), the hub gets SIGTERM and stops its servers: no orphans.
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(JUPYTERHUB), "-f", str(CONFIG)], cwd=state, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                   preexec_fn=preexec)
    hub = Hub(url=f"http://127.0.0.1:{port}", state=state, log_path=log_path, process=process, marker=marker,
              api_url=f"http://127.0.0.1:{api_port}/")
    try:
        deadline = time.monotonic() + HUB_START
        while True:
            if process.poll() is not None:
                pytest.fail(f"the hub exited (code {process.returncode}):\n{hub.log_tail()}", pytrace=False)
            status, _, _ = Client(hub).get("/hub/api")
            if status == 200:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the hub did not answer within {HUB_START} s:\n{hub.log_tail()}", pytrace=False)
            time.sleep(0.5)
        yield hub
    finally:
        hub.stop()
        for pid in hub.processes():  # backstop: nothing the hub started outlives the tests
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The room's hub: the trainer's list, the trainer's password and key, 1 GB per trainee."""
    state = tmp_path_factory.mktemp("hub")
    names = state / "trainees.txt"
    names.write_text("# the trainer's list\n" + "\n".join(n.capitalize() for n in TRAINEES) + "\n", encoding="utf-8")
    with running_hub(state, COOPKIT_HUB_USERS=str(names), COOPKIT_HUB_MEM_LIMIT=MEM_LIMIT,
                     COOPKIT_HUB_ADMIN_PASSWORD=TRAINER_PASSWORD, COOPKIT_TRAINER_KEY=TRAINER_KEY) as hub:
        yield hub


class Client:
    """One browser's worth of HTTP: a cookie jar, redirects followed, no proxy from the environment."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, data: dict | None = None, timeout: float = PAGE,
            headers: dict | None = None) -> tuple[int, str, str]:
        """``(status, final URL, body)``; an HTTP error is returned, not raised; no answer is status 0.
        With ``data`` it is a POST of that form."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.hub.url + path, data=body, headers=headers or {})
        deadline = time.monotonic() + timeout
        try:
            with self.opener.open(request, timeout=timeout) as response:
                # A Voila page streams (with heartbeats while its cells run): bound the whole read, not each chunk.
                chunks = []
                while chunk := response.read1(65536):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        pytest.fail(f"{path} did not arrive whole within {timeout:.0f} s:\n{self.hub.log_tail()}",
                                    pytrace=False)
                return response.status, response.geturl(), b"".join(chunks).decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")
        except OSError:
            return 0, "", ""

    def log_in(self, name: str, password: str) -> tuple[int, str, str]:
        status, _, page = self.get("/hub/login")
        assert status == 200, page[:500]
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        return self.get("/hub/login?next=", {"username": name, "password": password, "_xsrf": xsrf},
                        timeout=SERVER_START)


def _trainee(hub: Hub, name: str) -> Client:
    """The trainee's logged-in client, its server started and its start page reached (once per name)."""
    if name not in hub.clients:
        client = Client(hub)
        status, url, page = client.log_in(name.capitalize(), PASSWORD)  # the list says "An"; names are lower-cased
        assert status == 200, f"{name}: {status} {url}\n{page[:500]}\n{hub.log_tail()}"
        hub.clients[name] = client
    return hub.clients[name]


def _open_when_started(hub: Hub, client: Client, path: str) -> tuple[int, str, str]:
    """GET ``path`` of a trainee's server, again while the hub still shows "your server is starting"."""
    deadline = time.monotonic() + SERVER_START
    while True:
        status, url, page = client.get(path)
        if "/hub/spawn-pending/" not in url or time.monotonic() > deadline:
            return status, url, page
        time.sleep(1)


def _server_of(hub: Hub, name: str) -> int:
    """The pid of the trainee's own Jupyter server (jupyterhub-singleuser)."""
    found = [pid for pid in hub.processes()
             if "jupyterhub-singleuser" in _cmdline(pid) and _environ(pid).get("JUPYTERHUB_USER") == name]
    assert len(found) == 1, (name, found)
    return found[0]


def _kernel_process(kernel_id: str) -> int:
    found = [pid for pid in _pids() if f"kernel-{kernel_id}.json" in _cmdline(pid)]
    assert len(found) == 1, (kernel_id, found)
    return found[0]


def test_each_trainee_logs_in_and_lands_on_the_start_page(hub):
    start = time.monotonic()
    for name in TRAINEES:  # each login starts the trainee's server; the three start side by side
        _trainee(hub, name)
    for name in TRAINEES:
        target = f"/user/{name}/voila/render/00_start.ipynb"
        status, url, page = _open_when_started(hub, hub.clients[name], f"/user/{name}/")
        assert status == 200 and url.endswith(target), f"{name}: {status} {url}\n{hub.log_tail()}"
        assert 'id="ck-page-lang"' in page  # the coopkit template (share/jupyter), not Voila's own
        assert KERNEL_ID.search(page), "the start page ran in a kernel"
        assert "page.finish()" not in page and "from coopkit" not in page  # strip_sources (voila.json)
    assert time.monotonic() - start < 2 * SERVER_START


def test_each_trainee_opens_a_workbook_in_a_kernel_of_their_own(hub):
    kernels, servers = {}, {}
    for name in TRAINEES:
        status, url, page = _trainee(hub, name).get(f"/user/{name}/voila/render/02_break_even.ipynb?lang=en")
        assert status == 200 and url.endswith("02_break_even.ipynb?lang=en"), f"{name}: {status} {url}"
        # the page streams while the kernel runs the notebook: it arrived whole, with the app's widgets
        assert page.rstrip().endswith("</html>")
        assert page.count("application/vnd.jupyter.widget-view+json") >= 1, "the app's output"
        assert "Traceback" not in page and "voila-error" not in page
        assert "page.finish()" not in page and "from coopkit" not in page
        kernels[name] = KERNEL_ID.search(page).group(1)
        servers[name] = _server_of(hub, name)
    assert len(set(kernels.values())) == len(TRAINEES)
    assert len(set(servers.values())) == len(TRAINEES)
    answers = hub.state / "answers"
    for name, kernel_id in kernels.items():
        kernel = _kernel_process(kernel_id)
        assert _parent(kernel) == servers[name], f"{name}'s kernel runs in {name}'s own server"
        env = _environ(kernel)
        assert env["HOME"] == str(hub.state / "home" / name)
        assert env["QUERY_STRING"] == "lang=en"  # ?lang= reaches the kernel
        # the room's answers are one shared folder (the trainer page sees everyone); scenarios are each one's own
        assert env["COOPKIT_ANSWER_DIR"] == str(answers) and "COOPKIT_SCENARIO_DIR" not in env
        assert env["JUPYTER_PATH"] == str(ROOT / "share" / "jupyter")
        # the memory limit is handed to the server (LocalProcessSpawner does not enforce it; systemd and Kubernetes do)
        assert _environ(servers[name])["MEM_LIMIT"] == str(1024 ** 3)


def test_a_trainee_cannot_open_another_trainees_server(hub):
    an, binh = _trainee(hub, "an"), _trainee(hub, "binh")
    before = set(hub.processes())
    for path in ("/user/binh/voila/render/02_break_even.ipynb", "/user/binh/", "/user/binh/api/kernels"):
        status, url, page = an.get(path)
        # binh's server sends an to the hub to be let in, and the hub refuses (403): an is not binh
        assert status == 403 and not KERNEL_ID.search(page), f"an reached {path}: {status} {url}"
    assert set(hub.processes()) <= before, "no kernel was started in binh's server for an"
    # binh still gets in
    status, url, _ = binh.get("/user/binh/api/status")
    assert status == 200 and url.endswith("/user/binh/api/status")


def test_a_trainees_server_serves_the_workbooks_and_not_the_rest(hub):
    """No JupyterLab, no terminals, no files or contents API (voila.json's denylist holds for /voila/files)."""
    an = _trainee(hub, "an")
    assert an.get("/user/an/lab")[0] == 404
    assert an.get("/user/an/tree")[0] == 404
    assert an.get("/user/an/terminals/1")[0] == 404
    assert an.get("/user/an/api/contents/02_break_even.ipynb")[0] == 403
    assert an.get("/user/an/files/02_break_even.ipynb")[0] == 403
    assert an.get("/user/an/voila/files/02_break_even.ipynb")[0] == 403
    assert an.get("/user/an/api/sessions")[0] == 403
    assert an.get("/user/an/api/status")[0] == 200
    # no kernel started through the API (the request itself is well formed: its XSRF token passes)
    xsrf = next(c.value for c in an.jar if c.name == "_xsrf" and c.path.startswith("/user/an"))
    status, _, body = an.get("/user/an/api/kernels", {}, headers={"X-XSRFToken": xsrf})
    assert status == 403 and "not authorized to write on resource: kernels" in body, (status, body[:300])


def test_a_pages_kernel_runs_no_code_a_trainee_sends(hub):
    """Through the page's kernel websocket the kernel answers the widgets' messages (a kernel_info_request)
    but an execute_request never reaches it (singleuser/jupyter_server_config.py: allowed_message_types)."""
    import asyncio
    import json
    import uuid

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    an = _trainee(hub, "an")
    status, url, page = an.get("/user/an/voila/render/02_break_even.ipynb")
    assert status == 200 and KERNEL_ID.search(page), (status, url)
    kernel_id, session = KERNEL_ID.search(page).group(1), uuid.uuid4().hex
    proof = hub.state / "home" / "an" / "code-ran.txt"
    cookies = "; ".join(f"{c.name}={c.value}" for c in an.jar if "/user/an/".startswith(c.path.rstrip("/") + "/"))
    ws_url = f"{hub.url.replace('http://', 'ws://')}/user/an/api/kernels/{kernel_id}/channels?session_id={session}"

    def message(msg_type: str, content: dict) -> str:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "an",
                  "version": "5.3", "date": ""}
        return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                           "channel": "shell", "buffers": []})

    async def talk() -> list[str]:
        ws = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookies}, connect_timeout=PAGE))
        seen: list[str] = []
        try:
            await ws.write_message(message("execute_request", {
                "code": f"open({str(proof)!r}, 'w').write('ran')", "silent": False, "store_history": False,
                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}))
            await ws.write_message(message("kernel_info_request", {}))
            deadline = time.monotonic() + PAGE
            while "kernel_info_reply" not in seen and time.monotonic() < deadline:
                raw = await asyncio.wait_for(ws.read_message(), timeout=PAGE)
                if raw is None:
                    break
                if isinstance(raw, str):
                    seen.append(json.loads(raw)["header"]["msg_type"])
            await asyncio.sleep(2)  # had the code been passed on, the kernel would have run it before its reply
        finally:
            ws.close()
        return seen

    seen = run(talk())  # in a thread of its own: the browser tests keep Playwright's loop running in this one
    assert "kernel_info_reply" in seen, seen
    assert "execute_reply" not in seen and "execute_input" not in seen, seen
    assert not proof.exists()


def test_the_trainer_is_the_hub_admin_and_alone_holds_the_trainer_key(hub):
    trainer = Client(hub)
    status, url, _ = trainer.log_in(TRAINER, PASSWORD)  # the trainer's name needs the trainer's own password
    assert status == 403, (status, url)
    status, url, page = trainer.log_in(TRAINER, TRAINER_PASSWORD)
    assert status == 200, (status, url, hub.log_tail())
    hub.clients[TRAINER] = trainer
    assert trainer.get("/hub/admin")[0] == 200
    assert _trainee(hub, "an").get("/hub/admin")[0] == 403
    status, url, page = _open_when_started(hub, trainer, f"/user/{TRAINER}/voila/render/trainer.ipynb")
    assert status == 200 and url.endswith("/trainer.ipynb") and KERNEL_ID.search(page), (status, url)
    assert "Traceback" not in page
    kernel = _environ(_kernel_process(KERNEL_ID.search(page).group(1)))
    assert kernel["COOPKIT_TRAINER_KEY"] == TRAINER_KEY
    assert _environ(_server_of(hub, "an"))["COOPKIT_TRAINER_KEY"] == ""  # a trainee's server: no key
    assert kernel["COOPKIT_ANSWER_DIR"] == str(hub.state / "answers")  # the room's answers, as the trainees'


def test_a_wrong_password_and_a_name_not_on_the_list_are_refused(hub):
    for name, password in (("an", "not-the-password"), ("dung", PASSWORD), ("an", "")):
        client = Client(hub)
        status, url, page = client.log_in(name, password)
        assert status == 403 and "/hub/login" in url, (name, status, url)
        assert "Invalid username or password" in page
        status, url, _ = client.get("/user/an/voila/render/02_break_even.ipynb")
        assert "/hub/login" in url and "/user/an/" not in url, (name, status, url)


def test_the_idle_culler_runs_with_its_permissions(hub):
    """The culler (a hub service) lists the users' activity: its role lets it (no 403 in the log)."""
    deadline = time.monotonic() + 20
    while "200 GET /hub/api/users" not in hub.log_path.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.5)
    log = hub.log_path.read_text(errors="replace")
    assert re.search(r"200 GET /hub/api/users\S* \(idle-culler@127\.0\.0\.1\)", log), hub.log_tail()
    assert "(idle-culler@127.0.0.1)" not in "".join(line for line in log.splitlines() if " 403 " in line)


@pytest.mark.browser
def test_the_page_answers_in_the_language_asked_for(hub):
    """In chromium with binh's cookies: the kernel builds the app in English for ?lang=en."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`", pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    binh = _trainee(hub, "binh")

    def in_chromium():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            try:
                context = browser.new_context(locale="vi-VN")
                context.add_cookies([{"name": c.name, "value": c.value, "domain": "127.0.0.1", "path": c.path}
                                     for c in binh.jar])
                page = context.new_page()
                for lang in ("en", "vi"):
                    page.goto(f"{hub.url}/user/binh/voila/render/02_break_even.ipynb?lang={lang}", wait_until="commit")
                    expect(page.locator(".ck-app.ck-ready").first).to_be_visible(timeout=PAGE * 1000)
                    expect(page.locator("[data-ck-lang]").first).to_have_attribute("data-ck-lang", lang)
                    assert page.evaluate("document.documentElement.lang") == lang
                    assert "Traceback" not in page.locator("body").inner_text()
            finally:
                browser.close()

    # In a thread of its own: the browser tests' session keeps Playwright's synchronous API (and its
    # event loop) running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(in_chromium).result(timeout=4 * PAGE + 60)


def test_the_hub_stops_with_every_server_it_started(hub):
    """Last: SIGTERM stops the hub, the trainees' servers and kernels, the culler and the proxy."""
    running = " | ".join(_cmdline(pid) for pid in hub.processes())
    assert "configurable-http-proxy" in running and "jupyterhub_idle_culler" in running
    assert running.count("jupyterhub-singleuser") == len(hub.clients)  # the servers of the trainees logged in
    start = time.monotonic()
    hub.stop()
    assert hub.process.returncode == 0, hub.log_tail()
    deadline = time.monotonic() + 10  # kernels notice that their server has gone within a few seconds
    while hub.processes() and time.monotonic() < deadline:
        time.sleep(0.5)
    left = {pid: _cmdline(pid) for pid in hub.processes()}
    assert left == {}, left
    assert time.monotonic() - start < HUB_STOP


def test_the_idle_culler_stops_a_server_left_alone(tmp_path):
    """A hub of its own whose culler stops servers idle for 20 s: a trainee who logs in and leaves loses
    the server (and its kernel); coming back, the hub's page starts a new one by itself."""
    with running_hub(tmp_path, COOPKIT_HUB_CULL_TIMEOUT="20") as hub:
        client = Client(hub)
        assert client.log_in("an", PASSWORD)[0] == 200
        status, url, _ = _open_when_started(hub, client, "/user/an/voila/render/02_break_even.ipynb")
        assert status == 200 and url.endswith("/user/an/voila/render/02_break_even.ipynb"), (status, url)
        server = _server_of(hub, "an")
        deadline = time.monotonic() + 60
        while server in hub.processes() and time.monotonic() < deadline:
            time.sleep(1)
        assert server not in hub.processes(), hub.log_tail()
        assert "Culling server an" in hub.log_path.read_text(errors="replace")
        deadline = time.monotonic() + 10  # its kernel goes with it (a kernel notices within seconds)
        while [pid for pid in hub.processes() if "ipykernel" in _cmdline(pid)] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not [pid for pid in hub.processes() if "ipykernel" in _cmdline(pid)]
        # coming back: "not running", and the page's own script starts it again after implicit_spawn_seconds
        # (not followed here: with a 20 s culler a server that starts slowly may be culled again at once)
        deadline = time.monotonic() + 20  # until the hub has finished stopping it ("spawn-pending" meanwhile)
        while True:
            status, url, page = client.get("/user/an/voila/render/02_break_even.ipynb")
            if status != 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert status == 424, (status, url)
        assert re.search(r'var spawn_url = "/hub/spawn/an\?next=[^"]*02_break_even.ipynb"', page)
        assert re.search(r"var implicit_spawn_seconds = [1-9]", page)
