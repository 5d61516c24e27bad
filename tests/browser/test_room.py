"""A room arriving together: kernels start a few at a time and never hang, and a full server
says so politely, then lets the next visitor in (issue 14 §1–3).

The visits are `tests.roomclient` visitors: each reads the page, fetches its scripts, opens the
kernel's websocket and asks for every widget's state, as the page does in a browser, so that thirty
of them fit on the same 2-core machine as the server. One real browser checks what a refused
visitor sees. The notebook is the minimal benchmark app (a slider and a chart) served with the
project's own configuration: the subject is the server, and a light notebook keeps the test short.
The full-size measurements (10/30/50 trainees on workbook 04, a soak) are `benchmarks/bench_room.py`.
"""

from __future__ import annotations

import os
import shutil
import urllib.request

import pytest
from playwright.sync_api import expect

from coopkit import workbooks
from tests.roomclient import Visitor, input_models, open_room, percentile, run

from .conftest import REPO_ROOT, running_voila, shutdown_kernel

pytestmark = pytest.mark.browser

MINIMAL = REPO_ROOT / "benchmarks" / "minimal" / "minimal.ipynb"


@pytest.fixture(scope="module")
def minimal_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("room")
    shutil.copy(MINIMAL, folder / "minimal.ipynb")
    return folder


@pytest.fixture(scope="module")
def room_folder(tmp_path_factory):
    """The minimal app and the trainer's page."""
    folder = tmp_path_factory.mktemp("room-trainer")
    shutil.copy(MINIMAL, folder / "minimal.ipynb")
    shutil.copy(REPO_ROOT / "notebooks" / workbooks.PAGES["trainer"], folder / workbooks.PAGES["trainer"])
    return folder


def _kernel_count(server) -> int:
    return len(server.kernel_pids())


@pytest.fixture
def busy_server(minimal_folder):
    with running_voila(notebooks=minimal_folder, preheat=True, env={**os.environ, "COOPKIT_MAX_KERNELS": "200"}) as server:
        yield server


@pytest.fixture
def small_server(room_folder, tmp_path):
    """A server that holds four kernels at most: at the start, one warm for the app and one for the trainer."""
    env = {**os.environ, "COOPKIT_MAX_KERNELS": "4", "COOPKIT_ANSWER_DIR": str(tmp_path / "answers")}
    with running_voila(notebooks=room_folder, preheat=True, env=env) as server:
        # Visitors who come before the warm kernels have started get kernels of their own (the warm
        # ones stay counted for the next visitors): the room is measured once they are ready.
        server.wait_for_log("Kernel pool of minimal.ipynb is filled", "Kernel pool of trainer.ipynb is filled")
        yield server


def test_thirty_visits_at_once_get_their_apps_in_turn_three_times_in_a_row(busy_server):
    """Thirty visits at the same moment, three rounds: every one gets its app (none hangs, none
    fails), and they arrive in turn — half of the room is working well before the last one
    arrives — because kernels start a few at a time instead of all together."""
    server = busy_server
    for round_ in range(3):
        visits, _ = run(open_room(server.url, "minimal.ipynb", 30, timeout=420))
        for visit in visits:
            if visit.kernel_id:
                shutdown_kernel(server.url, visit.kernel_id)
        failed = [v.error for v in visits if not v.ok]
        assert failed == [], f"round {round_ + 1}: {len(failed)} of 30 visits failed: {failed[:3]}\n{server.log_tail()}"
        times = [v.usable for v in visits]
        assert len({v.kernel_id for v in visits}) == 30, "two visits shared a kernel"
        assert percentile(times, 50) < 0.8 * max(times), (
            f"round {round_ + 1}: the room arrived all together (p50 {percentile(times, 50):.1f} s, "
            f"last {max(times):.1f} s)")
    assert "Address already in use" not in server.log_text()


def _get(url: str, lang: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": lang})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_a_full_server_refuses_a_visitor_politely_and_lets_the_next_one_in(small_server, make_page):
    """Fill the server to its limit; one more visitor gets a page in their language that says the
    room is full and retries by itself; those working keep working; when one tab closes, the
    waiting visitor's page gets the app without anyone touching it."""
    server = small_server
    visits, _ = run(open_room(server.url, "minimal.ipynb", 3, timeout=300))  # with the trainer's warm kernel: full
    try:
        assert [v.error for v in visits] == [None, None, None], server.log_tail()

        # One more: refused, in the visitor's language, with a time to come back.
        status, headers, body = _get(f"{server.url}voila/render/minimal.ipynb", "vi-VN,vi;q=0.9")
        assert status == 503 and headers.get("Retry-After") == "10", (status, _kernel_count(server), server.log_tail(60))
        assert 'lang="vi"' in body and "đầy" in body and "location.reload" in body
        status, _headers, body = _get(f"{server.url}voila/render/minimal.ipynb?lang=en", "vi")
        assert status == 503 and 'lang="en"' in body and "full" in body
        assert _kernel_count(server) <= 4

        # A phone in Vietnamese sees the message, not a spinner.
        page = make_page("vi-VN", viewport={"width": 412, "height": 860})
        page.goto(f"{server.url}voila/render/minimal.ipynb", wait_until="commit")
        expect(page.locator("body.ck-room-full h1")).to_contain_text("đầy", timeout=60_000)

        # Those already working keep working: a page coming back to its kernel moves its slider
        # and gets its chart redrawn.
        async def still_working():
            visitor = Visitor(server.url, "minimal.ipynb", timeout=120)
            try:
                await visitor.attach(visits[1].kernel_id)
                slider = next(mid for mid, m in visitor.visit.states.items()
                              if m["state"].get("_model_name") == "IntSliderModel")
                return await visitor.change(slider, 7)
            finally:
                await visitor.close()

        assert run(still_working()) < 60

        # A tab closes: its kernel ends, and the waiting page comes in by itself.
        assert shutdown_kernel(server.url, visits[0].kernel_id) in (200, 204)
        expect(page.locator(".widget-slider").first).to_be_visible(timeout=120_000)
        assert _kernel_count(server) <= 4

        # The trainer's page is let in past the limit (a full room is when the trainer needs it),
        # after its warm kernel is taken too.
        for _ in range(2):
            status, _headers, body = _get(f"{server.url}voila/render/{workbooks.PAGES['trainer']}", "vi")
            assert status == 200 and "ck-room-full" not in body
    finally:
        for visit in visits:
            if visit.kernel_id:
                shutdown_kernel(server.url, visit.kernel_id)


def test_visitors_who_come_before_the_warm_kernels_are_ready_never_push_past_the_limit(room_folder, tmp_path):
    """Visitors arriving while the warm kernels are still starting get kernels of their own (Voila
    hands out a warm kernel only once it renders): they are counted with the warm ones on their way,
    so the server never holds more kernels than its limit, and the visitor too many is told so."""
    env = {**os.environ, "COOPKIT_MAX_KERNELS": "3", "COOPKIT_ANSWER_DIR": str(tmp_path / "answers")}
    with running_voila(notebooks=room_folder, preheat=True, env=env) as server:
        # At once, before the warm kernels for the app and the trainer's page have started.
        visits, _ = run(open_room(server.url, "minimal.ipynb", 3, timeout=300))
        try:
            server.wait_for_log("Kernel pool of minimal.ipynb is filled", "Kernel pool of trainer.ipynb is filled")
            errors = sorted(str(v.error) for v in visits if not v.ok)
            assert errors and set(errors) == {"HTTP 503"}, (errors, server.log_tail(150))
            assert _kernel_count(server) <= 3, server.log_tail()
            assert "room full" in server.log_text()
        finally:
            for visit in visits:
                if visit.kernel_id:
                    shutdown_kernel(server.url, visit.kernel_id)


def test_the_rooms_kernels_are_warmed_once_then_one_at_a_time(minimal_folder):
    """``make serve ROOM=3 WORKBOOK=…``: three kernels are warmed for the room's workbook. Once the
    room has taken them, the next visitor's kernel is warmed one at a time, not three again (that
    refill held twice the room's memory in the 10-minute soak)."""
    env = {**os.environ, "COOPKIT_ROOM_NOTEBOOK": "minimal.ipynb", "COOPKIT_MAX_KERNELS": "50"}
    pools = {"default": {"pool_size": 0}, "minimal.ipynb": {"pool_size": 3}}
    with running_voila(notebooks=minimal_folder, preheat=True, env=env,
                       extra_args=(f"--VoilaKernelManager.kernel_pools_config={pools!r}",)) as server:
        server.wait_for_log("Kernel pool of minimal.ipynb is filled with 3 kernel(s)")
        assert _kernel_count(server) == 3
        visits, _ = run(open_room(server.url, "minimal.ipynb", 3, timeout=300))
        try:
            assert [v.error for v in visits] == [None] * 3, server.log_tail()
            assert "Using pre-heated kernel" in server.log_text()
            # The room's three took the warm three; one more is warmed for whoever comes next.
            server.wait_for_log("Kernel pool of minimal.ipynb is filled with 1 kernel(s)")
            (fourth,), _ = run(open_room(server.url, "minimal.ipynb", 1, timeout=300))
            visits.append(fourth)
            assert fourth.ok, (fourth.error, server.log_tail())
            assert server.log_text().count("Using pre-heated kernel") == 4
            assert server.log_text().count("Kernel pool of minimal.ipynb is filled with 1 kernel(s)") >= 1
            assert _kernel_count(server) <= 5, (_kernel_count(server), server.log_tail())  # 4 visitors + 1 warm
        finally:
            for visit in visits:
                if visit.kernel_id:
                    shutdown_kernel(server.url, visit.kernel_id)


def test_the_room_client_sees_what_a_visitor_sees(voila_server):
    """The load client is honest: on a real workbook it gets the app marked ready, its inputs,
    and an input change answered by the app (what the benchmark times)."""
    server = voila_server

    async def visit():
        visitor = Visitor(server.url, "02_break_even.ipynb", timeout=300)
        try:
            result = await visitor.open()
            assert result.ok, (result.error, server.log_tail())
            inputs = input_models(result.states)
            assert inputs, "no input found in the app's widgets"
            took = await visitor.change(inputs[0][0], "12345")
            return result, took
        finally:
            await visitor.close()
            if visitor.visit.kernel_id:
                shutdown_kernel(server.url, visitor.visit.kernel_id)

    result, took = run(visit())
    assert result.bytes_moved > 100_000  # the page and its scripts, not only a status line
    assert took < 60
