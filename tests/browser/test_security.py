"""Security of the room (issue 14 §5), against a real Voila server started as ``make serve`` does.

- a visitor cannot run code through a page's kernel websocket (an ``execute_request`` is dropped
  while the same channel answers a ``kernel_info_request``);
- with a token, a visitor without it gets only the login page and starts no kernel;
- no notebook, ``.py``, data or configuration file can be downloaded by any route or encoding,
  even when the answer and scenario folders sit inside the served folder;
- text a trainee types (scenario, cooperative, trainee names, answers) is shown as text, never
  run as HTML or script, on the what-if save panel, the exercise pages and the trainer page.

`tests/browser/test_server.py` already checks a first set of traversals of ``coopkit/server.py``;
this file plants files of every kind and checks every route for them. The kernel websocket is
spoken to by a plain client (``websocket-client``, a dependency of jupyter_server), no browser.
Every wait is bounded; every server is stopped by its fixture.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import _DONE_JS, _OPENER, _SETTLED_JS, REPO_ROOT, SETTLE_TIMEOUT_MS, http_get, open_app, running_voila, shutdown_kernel

pytestmark = pytest.mark.browser

KEY = "khoa-phong-hoc-2026"
TOKEN = "ma-phong-hoc-7f3a9c"
#: What a trainee might type to attack the pages: an element with a handler, a script.
IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
#: Answers with a number first (so they are read and kept for the trainer) and markup after.
WRONG_BOLD = "12 <b>x</b>"
WRONG_IMG = "13 <img src=x onerror=window.__pwned=1>"
#: Files planted in the served folder, each with a line no page may ever show.
PLANTED = {
    "secret.py": "SECRET_PY = 1\n",
    "secret.ipynb.bak": "SECRET_BAK\n",
    "prices.csv": "name,SECRET_CSV\n",
    "settings.json": '{"SECRET_JSON": 1}\n',
    "settings.toml": "SECRET_TOML = 1\n",
    "notes.txt": "SECRET_TXT\n",
    "vi.po": 'msgid "SECRET_PO"\n',
    "book.xlsx": "PK\x03\x04SECRET_XLSX",
    "Makefile": "SECRET_MAKEFILE:\n",
    "voila.json": '{"SECRET_VOILA_JSON": 1}\n',
    "pyproject.toml": "[SECRET_PYPROJECT]\n",
    ".env": "SECRET_DOTENV=1\n",
    ".git/config": "[SECRET_GIT]\n",
    "datasets/yields.csv": "crop,SECRET_DATASET\n",
    "answers/trainer-key.txt": "SECRET_TRAINER_KEY\n",
    "answers/trainees/lan--htx-abc123/break_even--volume.json": '{"SECRET_ANSWER": 1}\n',
    "scenarios/htx-cam/gia.json": '{"SECRET_SCENARIO": 1}\n',
}
#: A file the server is meant to serve (an image): proves each route answers at all.
IMAGE = "logo.svg"
IMAGE_TEXT = '<svg xmlns="http://www.w3.org/2000/svg"><title>VISIBLE_IMAGE</title></svg>\n'


def _plant(folder) -> None:
    for name in sorted(os.listdir(REPO_ROOT / "notebooks")):
        source = REPO_ROOT / "notebooks" / name
        if source.is_file():
            shutil.copy(source, folder / name)
    for name, text in PLANTED.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (folder / IMAGE).write_text(IMAGE_TEXT)


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """The workbooks served from a folder that also holds secrets of every kind, the room's
    answer folder and the scenario folder (the worst place a trainer could put them)."""
    served = tmp_path_factory.mktemp("served")
    _plant(served)
    env = {**os.environ, "COOPKIT_ANSWER_DIR": str(served / "answers"), "COOPKIT_SCENARIO_DIR": str(served / "scenarios"),
           "COOPKIT_TRAINER_KEY": KEY}
    with running_voila(notebooks=served, preheat=False, env=env, log_path=tmp_path_factory.mktemp("voila") / "voila.log") as server:
        server.served = served
        yield server


# --------------------------------------------------------------------------- the kernel websocket


def _page_kernel_id(server, notebook: str, query: str = "", timeout: float = 120.0) -> str:
    """Open a workbook over plain HTTP (its page streams until the notebook has run) and return
    the id of its kernel, which Voila writes into the page."""
    with _OPENER.open(f"{server.url}voila/render/{notebook}{query}", timeout=timeout) as response:
        body = response.read().decode("utf-8", errors="replace")
    found = re.search(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"', body)
    assert found, f"no kernel id in the page of {notebook}:\n{body[-2000:]}\n{server.log_tail()}"
    return found.group(1)


def _message(msg_type: str, content: dict, channel: str = "shell") -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "visitor", "session": uuid.uuid4().hex,
                   "date": "2026-01-01T00:00:00Z", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
    })


def _v1_message(msg_type: str, content: dict, channel: str = "shell") -> bytes:
    """The same message in the ``v1.kernel.websocket.jupyter.org`` binary framing (JupyterLab's)."""
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "visitor", "session": uuid.uuid4().hex,
              "date": "2026-01-01T00:00:00Z", "version": "5.3"}
    parts = [channel.encode()] + [json.dumps(p).encode() for p in (header, {}, {}, content)]
    offsets, position = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)
    head = (len(offsets)).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + b"".join(parts)


def _execute(code: str) -> dict:
    return {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True}


def _received(ws, v1: bool, wait_after_info: float) -> list[str]:
    """Message types that come back until ``wait_after_info`` s after the kernel_info_reply (at
    most 30 s in all)."""
    seen: list[str] = []
    deadline = time.monotonic() + 30.0
    ws.settimeout(0.5)
    import websocket

    while time.monotonic() < deadline:
        try:
            raw = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        if not raw:
            break
        if v1:
            count = int.from_bytes(raw[:8], "little")
            offsets = [int.from_bytes(raw[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
            msg_type = json.loads(raw[offsets[1]:offsets[2]])["msg_type"]
        else:
            msg_type = json.loads(raw)["header"]["msg_type"]
        seen.append(msg_type)
        if msg_type == "kernel_info_reply":
            deadline = min(deadline, time.monotonic() + wait_after_info)
    return seen


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_a_visitor_cannot_run_code_through_the_kernel_websocket(room, tmp_path, protocol):
    import websocket

    kernel_id = _page_kernel_id(room, "01_unit_cost.ipynb")
    marker = tmp_path / "pwned"
    v1 = protocol == "v1"
    url = f"ws://127.0.0.1:{room.port}/api/kernels/{kernel_id}/channels"
    ws = websocket.create_connection(url, timeout=10, subprotocols=["v1.kernel.websocket.jupyter.org"] if v1 else None)
    try:
        send = (lambda m: ws.send_binary(_v1_message(*m))) if v1 else (lambda m: ws.send(_message(*m)))
        code = f"open({str(marker)!r}, 'w').write('x')"
        send(("execute_request", _execute(code)))
        # The debugger on the control channel can evaluate code too, once attached.
        send(("debug_request", {"seq": 1, "type": "request", "command": "evaluate",
                                "arguments": {"expression": code, "context": "repl"}}, "control"))
        send(("inspect_request", {"code": "open", "cursor_pos": 4, "detail_level": 1}))
        send(("kernel_info_request", {}))
        seen = _received(ws, v1, wait_after_info=3.0)
    finally:
        ws.close()
        shutdown_kernel(room.url, kernel_id)
    assert "kernel_info_reply" in seen, f"the channel did not answer at all: {seen}\n{room.log_tail()}"
    assert not {"execute_reply", "execute_input", "debug_reply", "inspect_reply"} & set(seen), seen
    assert not marker.exists()
    assert 'Received message of type "execute_request", which is not allowed' in room.log_text()


@pytest.mark.parametrize("path", ["api/kernels", "api/sessions", "api/contents", "api/terminals", "api/kernelspecs",
                                  "api/kernels?token=", "voila/api/kernels"])
def test_nobody_can_list_the_kernels_of_others(room, path):
    """A kernel's id is all a visitor needs to speak to it: the server never lists them."""
    status, body = http_get(room.url + path)
    assert status in (403, 404, 405), f"{path}: HTTP {status}"
    assert not re.search(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", body), body[:300]


# --------------------------------------------------------------------------- nothing to download

_ROUTES = [
    "files/{name}",
    "voila/files/{name}",
    "voila/static/{name}",
    "voila/tree/{name}",
    "voila/render/{name}",
    "api/contents/{name}",
    "edit/{name}",
    "view/{name}",
    "nbconvert/html/{name}",
    "voila/files/./{name}",
    "voila/files//{name}",
    "voila/files/x/../{name}",
    "voila/files/x/%2e%2e/{name}",
    "voila/files/x%2f..%2f{name}",
    "voila/files/x/%252e%252e/{name}",
    "voila/files/x\\..\\{name}",
    "voila/files/x/..%5c{name}",
    "voila/files/{name}%00.png",
    "voila/files/{name}?.png",
    "voila/files/{name}%23.png",
    "voila/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e{served}/{name}",
    "voila/templates/coopkit/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e{served}/{name}",
]


def _urls(room, name: str) -> list[str]:
    return [room.url + route.format(name=name, served=room.served.as_posix()) for route in _ROUTES]


def test_the_served_image_is_downloadable_so_the_routes_are_real(room):
    status, body = http_get(f"{room.url}voila/files/{IMAGE}")
    assert status == 200 and b"VISIBLE_IMAGE" in body


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_no_planted_file_can_be_downloaded_by_any_route(room, name):
    secret = PLANTED[name].encode()[:12]
    served = []
    for url in _urls(room, name):
        status, body = http_get(url)
        if status == 200 or secret in body:
            served.append(f"{url}: HTTP {status}, {body[:80]!r}")
    assert not served, "\n".join(served)


@pytest.mark.parametrize("name", ["01_unit_cost.ipynb", "trainer.ipynb", "workbooks.toml"])
def test_no_notebook_can_be_downloaded_by_any_route(room, name):
    served = []
    for url in _urls(room, name):
        if "voila/render/" in url and url.endswith(".ipynb"):
            continue  # rendering a workbook is what the server is for (its code stays hidden)
        status, body = http_get(url)
        if status == 200 or b'"cell_type"' in body or b"[[workbook]]" in body:
            served.append(f"{url}: HTTP {status}, {body[:80]!r}")
    assert not served, "\n".join(served)


@pytest.mark.parametrize("name", ["voila.json", "pyproject.toml", "Makefile", ".git/config", "datasets/channel_fees.csv",
                                  "coopkit/locale/vi/LC_MESSAGES/cashflow.po", "coopkit/answers.py", "requirements/lock.txt"])
def test_no_repository_file_can_be_reached_by_climbing_out_of_the_served_folder(room, name):
    path = REPO_ROOT / name
    if not path.is_file():
        pytest.skip(f"{name} is not in this checkout")
    line = next(l for l in path.read_text(errors="replace").splitlines() if len(l.strip()) > 6).strip().encode()
    up = "/".join([".."] * (len(room.served.parts)))
    encoded = "/".join(["%2e%2e"] * (len(room.served.parts)))
    served = []
    for route in [f"voila/files/{up}{REPO_ROOT}/{name}", f"voila/files/{encoded}{REPO_ROOT}/{name}",
                  f"voila/static/{encoded}{REPO_ROOT}/{name}", f"voila/tree/{encoded}{REPO_ROOT}/{name}",
                  f"voila/templates/coopkit/static/{encoded}{REPO_ROOT}/{name}", f"files/{encoded}{REPO_ROOT}/{name}"]:
        status, body = http_get(room.url + route)
        if status == 200 or line in body:
            served.append(f"{route}: HTTP {status}, {body[:80]!r}")
    assert not served, "\n".join(served)


def test_the_folder_list_shows_no_file_nor_the_answer_folders(room):
    """The tree (if any) never names the planted files, a trainee's folder or the trainer key."""
    for path in ("voila/tree", "voila/tree/answers", "voila/tree/answers/trainees", "voila/tree/scenarios", "tree"):
        status, body = http_get(room.url + path)
        for name in ("secret.py", "trainer-key", "lan--htx", "htx-cam", "prices.csv", ".git"):
            assert name.encode() not in body, f"{path} (HTTP {status}) names {name}"


# --------------------------------------------------------------------------- typed text stays text

@contextlib.contextmanager
def _handled(view):
    """``with _handled(sheet): click()`` waits until the view (``.ck-exercises``, whose callbacks
    count ``ck-done-<n>`` as an app's do) has finished handling what the block did."""
    handle = view.element_handle(timeout=SETTLE_TIMEOUT_MS)
    before = handle.evaluate(_DONE_JS)
    yield
    view.page.wait_for_function(_SETTLED_JS, arg=[handle, before], timeout=SETTLE_TIMEOUT_MS, polling=50)


_PWNED_JS = "() => window.__pwned === undefined && !document.querySelector('img[src=\"x\"]')"


def _assert_not_run(page) -> None:
    assert page.evaluate(_PWNED_JS), "typed HTML became an element or a script ran"


def test_what_a_visitor_puts_in_the_address_or_headers_is_not_echoed_into_the_page(room):
    """``?lang=`` and Accept-Language reach the kernel (the page's language); a crafted value, or a
    crafted page name, never comes back into the HTML."""
    from urllib.parse import quote

    attack = '"><script>window.__pwned=1</script>'
    request = urllib.request.Request(
        f"{room.url}voila/render/01_unit_cost.ipynb?lang={quote(attack)}&x={quote('</script>' + SCRIPT)}",
        headers={"Accept-Language": "vi" + attack})
    with _OPENER.open(request, timeout=120) as response:
        body = response.read()
    assert b"ck-app" in body and b"__pwned" not in body
    shutdown_kernel(room.url, re.search(rb'"kernelId"\s*:\s*"([0-9a-f-]{36})"', body).group(1).decode())
    status, body = http_get(f"{room.url}voila/render/{quote(attack)}.ipynb")
    assert status == 404 and b"__pwned" not in body


def test_names_typed_on_the_what_if_save_panel_are_shown_as_text(room, make_page):
    page = make_page("en-US")
    app = open_app(page, room, "04_what_if_pricing.ipynb", lang="en")
    app.locator(".ck-scenario-name input").fill(IMG)
    app.locator("button.ck-pin").click()
    expect(app.locator(".ck-pinned tbody tr")).to_have_count(1)
    expect(app.locator(".ck-pinned")).to_contain_text(IMG)
    expect(app.locator(".ck-status")).to_contain_text(IMG)
    app.locator(".ck-scenario-name input").fill(SCRIPT)
    app.locator("button.ck-pin").click()
    expect(app.locator(".ck-pinned tbody tr")).to_have_count(2)
    expect(app.locator(".ck-pinned")).to_contain_text(SCRIPT)
    app.locator(".ck-owner input").fill(f"HTX {SCRIPT}")
    app.locator(".ck-owner input").press("Enter")
    app.locator("button.ck-save").click()
    expect(app.locator(".ck-saved-choice select option")).to_have_count(2)
    expect(app.locator(".ck-saved-choice select option").first).to_have_text(re.compile(re.escape("<")))
    app.locator(".ck-new-name input").fill(f"{IMG} 2")
    app.locator("button.ck-rename").click()
    expect(app.locator(".ck-status")).to_contain_text(f"{IMG} 2")
    _assert_not_run(page)
    # The folder is a plain name inside the scenario root.
    assert [p.name for p in (room.served / "scenarios").iterdir() if p.name != "htx-cam"] == ["htx-script-window-pwned-1-script"]


def test_names_and_answers_typed_by_a_trainee_are_text_on_the_exercise_and_trainer_pages(room, make_page):
    trainee = make_page("vi-VN")
    open_app(trainee, room, "02_break_even.ipynb", lang="vi")
    bar = trainee.locator(".ck-trainee")
    bar.locator(".ck-trainee-name input").fill(IMG)
    bar.locator(".ck-trainee-coop input").fill(SCRIPT)
    bar.locator(".ck-trainee-go").click()
    expect(bar.locator(".ck-trainee-hello")).to_contain_text(f"{IMG} — {SCRIPT}", timeout=SETTLE_TIMEOUT_MS)
    task = trainee.locator(".ck-exercises .ck-task-volume")
    feedback = task.locator(".ck-feedback")
    # No number in it: the message quotes what was typed.
    task.locator(".ck-answer input").fill("<b>69.231</b>")
    task.locator(".ck-check").click()
    expect(feedback).to_contain_text("<b>69.231</b>", timeout=SETTLE_TIMEOUT_MS)
    # Numbers followed by markup are read, kept, and shown to the trainer.
    for typed in (WRONG_BOLD, WRONG_IMG):
        with _handled(trainee.locator(".ck-exercises")):
            task.locator(".ck-answer input").fill(typed)
            task.locator(".ck-check").click()
    _assert_not_run(trainee)

    trainer = make_page("en-US")
    open_app(trainer, room, "trainer.ipynb", lang="en")
    page_room = trainer.locator(".ck-trainer")
    page_room.locator(".ck-trainer-key input").fill(KEY)
    page_room.locator(".ck-trainer-open").click()
    grid = page_room.locator(".ck-room-grid")
    expect(grid).to_contain_text(IMG, timeout=SETTLE_TIMEOUT_MS)
    expect(grid).to_contain_text(SCRIPT)
    tasks = page_room.locator(".ck-room-tasks")
    expect(tasks).to_contain_text(WRONG_BOLD)
    expect(tasks).to_contain_text(WRONG_IMG)
    expect(page_room.locator("a.ck-room-xlsx")).to_be_visible()
    _assert_not_run(trainer)
    assert trainer.locator(".ck-room-tasks b, .ck-room img, .ck-room script").count() == 0


# --------------------------------------------------------------------------- a token


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    with running_voila(preheat=False, extra_args=(f"--Voila.token={TOKEN}",),
                       log_path=tmp_path_factory.mktemp("voila-token") / "voila.log") as server:
        yield server


@pytest.mark.parametrize("path", ["", "voila/render/01_unit_cost.ipynb", "voila/render/01_unit_cost.ipynb?token=wrong",
                                  "voila/tree", "voila/files/01_unit_cost.ipynb", "api/kernels"])
def test_without_the_token_only_a_login_page_and_no_kernel(token_server, path):
    status, body = http_get(token_server.url + path)
    assert b"jupyter-config-data" not in body and b"kernelId" not in body and b"ck-app" not in body, path
    assert status in (200, 302, 401, 403, 404), f"{path}: HTTP {status}"
    if status == 200:
        assert b'name="password"' in body and b"token" in body.lower(), body[:500]  # the login form
    assert token_server.kernel_pids() == [], f"{path} started a kernel"


def test_with_the_token_the_app_loads_and_its_websocket_needs_it(token_server, make_page):
    import websocket

    page = make_page("en-US")
    page.goto(f"{token_server.url}voila/render/01_unit_cost.ipynb?lang=en&token={TOKEN}", wait_until="commit")
    expect(page.locator(".ck-app.ck-ready")).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
    kernel_id = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    assert len(token_server.kernel_pids()) == 1
    # Knowing the kernel's id is not enough without the token: no websocket, no shutdown.
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(f"ws://127.0.0.1:{token_server.port}/api/kernels/{kernel_id}/channels", timeout=10)
    assert refused.value.status_code in (401, 403)
    assert shutdown_kernel(token_server.url, kernel_id) in (401, 403)
    assert len(token_server.kernel_pids()) == 1
    # The browser that came with the token keeps it (a cookie): the next workbook opens without it.
    page.goto(f"{token_server.url}voila/render/02_break_even.ipynb?lang=en", wait_until="commit")
    expect(page.locator(".ck-app.ck-ready")).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
