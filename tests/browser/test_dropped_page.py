"""A page that drops off the Wi-Fi does not take the server down with it (issue 14, found by the soak).

A phone that leaves the room's Wi-Fi stops answering the server's pings and the server closes its
websocket. Before the fix, the kernel's next message with binary parts (a chart, an image) was
packed in the old protocol for the closed socket, Voila read it as the new one, and built a list of
~10^17 entries: the server stopped answering every trainee and its memory grew by 40 MB/s until
the machine killed it. Here a page goes silent (a TCP relay stops passing bytes, as a dead Wi-Fi
link does) while its app keeps sending image updates; the server must drop the page, go on
answering, and keep its memory.
"""

from __future__ import annotations

import asyncio
import os
import time
import urllib.request

import nbformat
import pytest

from tests.roomclient import Visitor, _message, run

from .conftest import rss_kb, running_voila, shutdown_kernel

pytestmark = pytest.mark.browser

#: An app whose every slider change sends image updates (binary parts) for the next 20 seconds.
APP = '''\
import threading, time
import ipywidgets as W
from IPython.display import display

slider = W.IntSlider(value=0, description="n")
image = W.Image(value=bytes(64), format="png")

def burst(change):
    def send():
        for i in range(80):
            time.sleep(0.25)
            image.value = bytes([i % 256]) * 4000
    threading.Thread(target=send, daemon=True).start()

slider.observe(burst, "value")
display(W.VBox([slider, image]))
'''


class Relay:
    """A TCP relay between the page and the server that can go silent in both directions."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.silent = asyncio.Event()
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _client(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.port)
        asyncio.ensure_future(self._pipe(reader, up_writer))
        asyncio.ensure_future(self._pipe(up_reader, writer))

    async def _pipe(self, reader, writer) -> None:
        try:
            while not self.silent.is_set():
                data = await reader.read(65536)
                if not data or self.silent.is_set():
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            return
        if self.silent.is_set():
            await asyncio.Event().wait()  # hold the connection open, passing nothing: a dead link

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


def _answers(url: str, timeout: float) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def app_folder(tmp_path):
    folder = tmp_path / "dropped"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(APP)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "burst.ipynb")
    return folder


def test_a_page_that_goes_silent_is_dropped_and_the_server_goes_on(app_folder):
    env = {**os.environ, "COOPKIT_WS_PING_SECONDS": "1"}
    with running_voila(notebooks=app_folder, env=env) as server:
        port = int(server.url.rstrip("/").rsplit(":", 1)[1])

        async def drop_off() -> str | None:
            relay = Relay(port)
            relay_port = await relay.start()
            visitor = Visitor(f"http://127.0.0.1:{relay_port}/", "burst.ipynb", timeout=120)
            try:
                visit = await visitor.open()
                assert visit.ok, (visit.error, server.log_tail())
                slider = next(mid for mid, m in visit.states.items()
                              if m["state"].get("_model_name") == "IntSliderModel")
                await visitor.ws.write_message(binary=True, message=_message(visitor.session, "comm_msg", {
                    "comm_id": slider, "data": {"method": "update", "state": {"value": 5}, "buffer_paths": []}}))
                while True:  # the app's image updates have begun coming
                    msg = await asyncio.wait_for(visitor._read(), 60)
                    if msg.get("msg_type") == "comm_msg" and msg.get("buffers"):
                        break
                rss_before = rss_kb(server.pid)
                relay.silent.set()  # the phone leaves the Wi-Fi, and the link stays open, passing nothing

                # The server notices (its pings unanswered) and drops the page.
                deadline = time.monotonic() + 60
                while "WebSocket ping timeout" not in server.log_text():
                    assert time.monotonic() < deadline, server.log_tail()
                    await asyncio.sleep(0.2)
                # It goes on answering while the app's messages keep coming for the dropped page,
                # and after they have ended; its memory stays where it was.
                end = time.monotonic() + 25
                while time.monotonic() < end:
                    url = f"{server.url}?at={time.monotonic()}"  # the list of workbooks
                    assert await asyncio.to_thread(_answers, url, 30), (
                        "the server stopped answering after a page dropped off", server.log_tail())
                    await asyncio.sleep(0.5)
                grown_mb = (rss_kb(server.pid) - rss_before) / 1024
                assert grown_mb < 100, (f"the server grew by {grown_mb:.0f} MB", server.log_tail())
                assert "Traceback" not in server.log_text(), server.log_tail(80)
                return visit.kernel_id
            finally:
                if visitor.ws is not None:
                    visitor._pumping.cancel()
                    visitor.ws = None
                visitor.http.close()
                relay.close()

        kernel_id = run(drop_off(), timeout=400)
        if kernel_id:
            shutdown_kernel(server.url, kernel_id)
