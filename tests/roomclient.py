"""A room of visitors without a browser: what a trainee's page asks of the server, many at once.

A visit does what the page does in the browser, in order: it reads the page (Voila streams it
while the notebook runs), fetches the page's scripts and styles (gzip, like a browser), opens the
kernel's websocket, asks for the kernel's info and then for every widget's state (ipywidgets'
``request_states`` on the ``jupyter.widget.control`` comm, which is how the page draws the app).
The visit is *usable* when that answer holds the app marked ready (``ck-ready``) or, for a notebook
without coopkit, any slider. So the server does the same work as for a real visitor (kernel,
notebook, static files, compression, widget state), while the client stays light enough that fifty
visits fit on the same 2-core machine as the server.

Used by ``tests/test_room.py`` (a bounded room) and ``benchmarks/bench_room.py`` (10/30/50 and a soak).
Everything talks to loopback only and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import datetime
import gzip
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from tornado import httpclient, websocket

#: Where Voila's page puts the kernel id (page config JSON).
_KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"')
_ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@dataclass
class Visit:
    """What one visit saw: times in seconds from its start, or the reason it failed."""

    notebook: str
    started: float = 0.0
    page_done: float | None = None
    usable: float | None = None
    kernel_id: str | None = None
    status: int | None = None
    refused: bool = False  #: the server said the room is full (HTTP 503)
    error: str | None = None
    bytes_moved: int = 0
    changes: list[float] = field(default_factory=list)  #: seconds from an input change to the app's answer
    states: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.usable is not None and self.error is None


#: The kernel websocket protocol JupyterLab's front end (and so Voila's page) speaks: binary frames
#: that carry widget buffers. (Over the older JSON protocol, Voila 0.5 never delivered the answer
#: to ``request_states`` for an app with an image buffer.)
PROTOCOL = "v1.kernel.websocket.jupyter.org"


def _message(session: str, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None,
             msg_id: str | None = None) -> bytes:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    header = {"msg_id": msg_id or uuid.uuid4().hex, "username": "room", "session": session, "msg_type": msg_type,
              "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()}
    parts = [json.dumps(part).encode() for part in (header, {}, metadata or {}, content)]
    return serialize_msg_to_ws_v1(parts, channel)


def _decode(frame: str | bytes) -> dict:
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    if isinstance(frame, str):
        return json.loads(frame)
    channel, parts = deserialize_msg_from_ws_v1(frame)
    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
    return {"channel": channel, "header": header, "msg_type": header.get("msg_type"), "parent_header": parent,
            "metadata": metadata, "content": content, "buffers": parts[4:]}


def _ready(states: dict) -> bool:
    for model in states.values():
        state = model.get("state", {})
        if "ck-ready" in state.get("_dom_classes", ()):
            return True
        if state.get("_model_name", "").endswith("SliderModel") and not any(
                "ck-" in c for s in states.values() for c in s.get("state", {}).get("_dom_classes", ())):
            return True
    return False


def input_models(states: dict) -> list[tuple[str, str]]:
    """The app's text inputs as (model id, field class): the Text widget inside each ``ck-field-*`` box."""

    def text_in(model_id: str, depth: int = 0) -> str | None:
        state = states.get(model_id, {}).get("state", {})
        if state.get("_model_name") == "TextModel":
            return model_id
        if depth > 4:
            return None
        for child in state.get("children", ()):
            found = text_in(str(child).removeprefix("IPY_MODEL_"), depth + 1)
            if found:
                return found
        return None

    found = {}
    for model_id, model in states.items():
        for cls in model.get("state", {}).get("_dom_classes", ()):
            if cls.startswith("ck-field-") and cls not in found:
                text = text_in(model_id)
                if text:
                    found[cls] = text
    return sorted(((text, cls) for cls, text in found.items()), key=lambda item: item[1])


class Visitor:
    """One trainee's page: `open` it, then `change` an input and wait for the app's answer."""

    def __init__(self, base_url: str, notebook: str, *, lang: str = "vi", assets: list[str] = (),
                 timeout: float = 300.0, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.notebook = notebook
        self.lang = lang
        self.assets = list(assets)
        self.timeout = timeout
        self.token = token
        self.visit = Visit(notebook)
        self.session = uuid.uuid4().hex
        self.ws: websocket.WebSocketClientConnection | None = None
        self.http = httpclient.AsyncHTTPClient(force_instance=True, max_clients=6)

    def _url(self, path: str) -> str:
        url = urljoin(self.base_url, path)
        if self.token:
            url += ("&" if "?" in url else "?") + f"token={self.token}"
        return url

    async def open(self) -> Visit:
        v = self.visit
        t0 = time.monotonic()
        v.started = t0
        try:
            await asyncio.wait_for(self._open(t0), self.timeout)
        except asyncio.TimeoutError:
            v.error = f"not usable after {self.timeout:.0f} s"
        except Exception as exc:  # noqa: BLE001 - a failed visit is a result, not a crash of the room
            v.error = f"{type(exc).__name__}: {exc}"
        return v

    async def _open(self, t0: float) -> None:
        v = self.visit
        url = self._url(f"voila/render/{self.notebook}?lang={self.lang}")
        headers = {"Accept-Encoding": "gzip", "Accept-Language": f"{self.lang},en;q=0.5"}
        try:
            response = await self.http.fetch(url, headers=headers, request_timeout=self.timeout,
                                              decompress_response=False)
        except httpclient.HTTPClientError as exc:
            v.status = exc.code
            v.refused = exc.code == 503
            v.error = f"HTTP {exc.code}"
            return
        v.status = response.code
        raw = response.body or b""
        v.bytes_moved += len(raw)
        if response.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        body = raw.decode("utf-8", "replace")
        v.page_done = time.monotonic() - t0
        found = _KERNEL_ID.search(body)
        if not found:
            v.error = "the page holds no kernel"
            return
        v.kernel_id = found.group(1)
        await self._fetch_assets(body, headers)
        await self._widgets()
        if not _ready(v.states):
            v.error = "the app's widgets came without the app marked ready"
            return
        v.usable = time.monotonic() - t0

    async def _widgets(self) -> None:
        """Open the kernel's websocket and ask for every widget's state, as the page does."""
        v = self.visit
        ws_url = self._url(f"api/kernels/{v.kernel_id}/channels?session_id={self.session}").replace("http", "ws", 1)
        self.ws = await websocket.websocket_connect(ws_url, max_message_size=256 * 1024 * 1024, subprotocols=[PROTOCOL])
        if self.ws.selected_subprotocol != PROTOCOL:
            raise ConnectionError(f"the server chose the websocket protocol {self.ws.selected_subprotocol!r}")
        self._inbox = asyncio.Queue()
        self._pumping = asyncio.ensure_future(self._pump())
        await self._request("kernel_info_request", {}, "kernel_info_reply")
        comm_id = uuid.uuid4().hex
        await self.ws.write_message(binary=True, message=_message(self.session, "comm_open", {
            "comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}}, metadata={"version": "1.0.0"}))
        await self.ws.write_message(binary=True, message=_message(self.session, "comm_msg", {
            "comm_id": comm_id, "data": {"method": "request_states"}}))
        while True:
            msg = await self._read()
            content = msg.get("content", {})
            if msg.get("msg_type") == "comm_msg" and content.get("comm_id") == comm_id:
                data = content.get("data", {})
                if data.get("method") == "update_states":
                    v.states = data.get("states", {})
                    return

    async def attach(self, kernel_id: str) -> Visit:
        """Come back to a page's kernel (a reconnecting page): its websocket and widgets, no new kernel."""
        self.visit.kernel_id = kernel_id
        await asyncio.wait_for(self._widgets(), self.timeout)
        return self.visit

    async def _fetch_assets(self, body: str, headers: dict) -> None:
        page_assets = [a for a in _ASSET.findall(body) if a.startswith(("/voila/", "voila/"))]
        wanted = list(dict.fromkeys(page_assets + self.assets))
        for start in range(0, len(wanted), 6):  # a browser fetches about six at a time from one host
            batch = [self.http.fetch(self._url(urlsplit(a).path.lstrip("/")), headers=headers,
                                     request_timeout=self.timeout, decompress_response=False, raise_error=False)
                     for a in wanted[start:start + 6]]
            for response in await asyncio.gather(*batch):
                self.visit.bytes_moved += len(response.body or b"")

    async def _pump(self) -> None:
        """Read every frame as it comes, as a page does: a client that stops reading stops answering
        the server's pings, and the server then drops it (and buffers the kernel's messages for it)."""
        ws = self.ws
        while ws is not None:
            frame = await ws.read_message()
            await self._inbox.put(frame)
            if frame is None:
                return

    async def _read(self) -> dict:
        if self.ws is None:
            raise RuntimeError("the websocket is not open")
        frame = await self._inbox.get()
        if frame is None:
            await self._inbox.put(None)  # every later read sees the end too
            raise ConnectionError("the server closed the kernel's websocket")
        return _decode(frame)

    async def _request(self, msg_type: str, content: dict, reply: str) -> dict:
        await self.ws.write_message(binary=True, message=_message(self.session, msg_type, content))
        while True:
            msg = await self._read()
            if msg.get("msg_type") == reply:
                return msg

    async def change(self, model_id: str, value: str, timeout: float = 60.0) -> float:
        """Type ``value`` into the input ``model_id`` and wait until the kernel has answered it: it
        updated another widget (the results) and is idle again; returns the seconds it took."""
        while not self._inbox.empty():  # what came before this change is not its answer
            frame = self._inbox.get_nowait()
            if frame is None:
                await self._inbox.put(None)
                break
        msg_id = uuid.uuid4().hex
        t0 = time.monotonic()
        await self.ws.write_message(binary=True, message=_message(self.session, "comm_msg", {
            "comm_id": model_id, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}},
            msg_id=msg_id))

        async def answer() -> None:
            updated = False
            while True:
                msg = await self._read()
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                content = msg.get("content", {})
                if (msg.get("msg_type") == "comm_msg" and content.get("comm_id") != model_id
                        and content.get("data", {}).get("method") == "update"):
                    updated = True
                if msg.get("msg_type") == "status" and content.get("execution_state") == "idle":
                    if not updated:
                        raise AssertionError(f"the app did not answer {value!r}")
                    return

        await asyncio.wait_for(answer(), timeout)
        took = time.monotonic() - t0
        self.visit.changes.append(took)
        return took

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None
            self._pumping.cancel()
        self.http.close()


async def open_room(base_url: str, notebook: str, count: int, *, within: float = 0.0, lang: str = "vi",
                    assets: list[str] = (), timeout: float = 300.0, keep: bool = False,
                    token: str | None = None) -> tuple[list[Visit], list[Visitor]]:
    """``count`` visits to ``notebook``, all started within ``within`` seconds (evenly spread).

    Returns the visits and, with ``keep=True``, the open visitors (close them with `close_room`).
    """
    visitors = [Visitor(base_url, notebook, lang=lang, assets=assets, timeout=timeout, token=token)
                for _ in range(count)]

    async def one(i: int, visitor: Visitor) -> Visit:
        if within and count > 1:
            await asyncio.sleep(within * i / (count - 1))
        return await visitor.open()

    visits = await asyncio.gather(*(one(i, v) for i, v in enumerate(visitors)))
    if not keep:
        await close_room(visitors)
        return list(visits), []
    return list(visits), visitors


async def close_room(visitors: list[Visitor]) -> None:
    for visitor in visitors:
        await visitor.close()


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) by linear interpolation, or None for no values.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([5.0], 95), percentile([], 50)
    (2.5, 5.0, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run(coro, timeout: float = 900.0):
    """Run ``coro`` to its end in a thread of its own (its own event loop), so that it also works
    beside Playwright's synchronous API, which keeps an event loop running in the main thread."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=timeout)
