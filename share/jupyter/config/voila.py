"""Voila configuration that ``voila.json`` cannot hold (a Python function).

Voila reads ``voila.json`` from the repository folder and this file from ``$JUPYTER_CONFIG_PATH``
(`coopkit.server.voila_environ` adds this folder). It must not sit beside ``voila.json``: a
``voila.py`` in the repository folder would hide the ``voila`` package from ``python -m``.

A workbook's last cell, ``page.finish()``, waits for the visitor when the kernel is preheated
(it must learn ``?lang=`` and the browser's language before the page is shown), and a room
fills slowly: that cell has no time-out. Every other cell keeps ``VoilaExecutor.timeout`` from
``voila.json``, so a hung cell still ends with an error instead of a spinner.
"""

import json
import os
from pathlib import Path

#: The call that ends every workbook and waits for the visit (see coopkit.ui.Lesson.finish).
WAITS_FOR_VISIT = "page.finish()"
#: Seconds any other cell may run: voila.json's ``VoilaExecutor.timeout`` (this function takes
#: its place, so ``--VoilaExecutor.timeout`` on the command line has no effect), or
#: ``COOPKIT_CELL_TIMEOUT`` from the environment (the tests use a short one).
CELL_TIMEOUT = float(os.environ.get("COOPKIT_CELL_TIMEOUT") or
                     json.loads((Path(__file__).resolve().parents[3] / "voila.json").read_text())["VoilaExecutor"]["timeout"])


def cell_timeout(cell):
    """Seconds a cell may run: none for the cell that waits for the visitor."""
    return None if cell.source.strip() == WAITS_FOR_VISIT else CELL_TIMEOUT


c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)
c.VoilaExecutor.timeout_func = cell_timeout

#: Largest websocket message the server takes, in bytes. With Tornado's default (10 MiB) a larger file
#: given to workbook 4's Excel import dropped the page's connection without a word; the app refuses
#: any file over `coopkit.exchange.MAX_IMPORT_BYTES` (5 MB) with a message, so the server lets such
#: a file through to be refused. A file over this limit still drops the connection.
c.Voila.tornado_settings = {"websocket_max_message_size": 64 * 1024 * 1024}
#: Seconds between the server's pings to a page (jupyter_server's default: 30 s; a page that has
#: not answered for three of them is dropped). ``COOPKIT_WS_PING_SECONDS`` (the tests use 1 s).
if os.environ.get("COOPKIT_WS_PING_SECONDS"):
    _ping_ms = 1000 * float(os.environ["COOPKIT_WS_PING_SECONDS"])
    c.Voila.tornado_settings.update(ws_ping_interval=_ping_ms, ws_ping_timeout=3 * _ping_ms)


# --------------------------------------------------------------------------- a page always ends
# When a page's kernel cannot start (it dies at once, or does not answer within
# VoilaExecutor.startup_timeout on a crowded server), Voila 0.5's renderer raises inside a
# background task that feeds the page; the page then received heartbeats forever and the visitor
# saw the spinner with no word. Here the page's renderer ends the page instead, with a call that
# shows the visitor a message in the page's language and a reload button
# (templates/coopkit/ck_page_watch.html.j2). Other visitors' pages are not affected.
from voila.notebook_renderer import NotebookRenderer  # noqa: E402

#: What ends a page whose rendering failed: the watcher's message, and the page's closing tags.
PAGE_FAILED = "<script>window.ckPageFailed && window.ckPageFailed();</script>\n</div></div></body></html>\n"


def _page_that_always_ends(generate):
    def generate_content_generator(self, kernel_id=None, kernel_future=None):
        inner = generate(self, kernel_id, kernel_future)

        async def guarded():
            try:
                async for item in inner:
                    yield item
            except Exception:  # noqa: BLE001 - logged; the visitor gets a message, not a spinner
                self.log.exception("coopkit: the page of %s could not be completed (kernel %s)", self.notebook_path, kernel_id)
                yield PAGE_FAILED, {}
            finally:
                _release_start(kernel_id)  # its notebook has run: the next kernel may start

        return guarded()

    generate_content_generator.coopkit_guarded = True
    return generate_content_generator


if not getattr(NotebookRenderer.generate_content_generator, "coopkit_guarded", False):
    NotebookRenderer.generate_content_generator = _page_that_always_ends(NotebookRenderer.generate_content_generator)


# --------------------------------------------------------------------------- a clean stop
# Kernels talk to the server over IPC (voila.json): their socket files sit in Voila's connection
# folder. Voila 0.5 removes that folder *before* it shuts the kernels down, so a kernel still
# starting (a warm pool refilling) could add a socket file during the removal: the stop ended in
# "Directory not empty" with a traceback and `make serve` reported an error. Kernels first, then
# the folder.
from voila.app import Voila  # noqa: E402


def _stop_kernels_then_folder(self):
    import shutil

    from jupyter_core.utils import run_sync

    try:
        run_sync(self.kernel_manager.shutdown_all)()
    except Exception:  # noqa: BLE001 - a kernel caught starting; it ends with its parent anyway
        self.log.warning("coopkit: not every kernel answered the shutdown", exc_info=True)
    finally:
        shutil.rmtree(self.connection_dir, ignore_errors=True)


_stop_kernels_then_folder.coopkit_guarded = True
if not getattr(Voila.stop, "coopkit_guarded", False):
    Voila.stop = _stop_kernels_then_folder


# --------------------------------------------------------------------------- an edited lesson shows at once
# A preheated kernel renders its notebook when the pool fills, long before anyone visits. A trainer
# who edits a lesson in JupyterLab and reloads the served page would get the page rendered from the
# old notebook (and only the next visit the new one). Each pooled page remembers the notebook's file
# stamp (modification time and size) when its rendering began; a visit to a notebook that changed
# since then discards the stale pages (their kernels are shut down) and gets a fresh one.
import voila.app as _voila_app  # noqa: E402
from voila.voila_kernel_manager import voila_kernel_manager_factory as _voila_factory  # noqa: E402


def notebook_stamp(root_dir, notebook_name):
    """The notebook file's (mtime in ns, size), or None when it cannot be read."""
    path = notebook_name if os.path.isabs(notebook_name) else os.path.join(root_dir or "", notebook_name)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _fresh_lessons_factory(base_class, preheat_kernel, pool_size, **kwargs):
    manager = _voila_factory(base_class, preheat_kernel, pool_size, **kwargs)
    if getattr(manager, "coopkit_guarded", False):
        return manager

    class RoomKernelManager(manager):
        """Kernels start a few at a time (`_start_gate`), and no new one starts past `CAPACITY`."""

        coopkit_guarded = True

        def kernels_held(self):
            """Kernels running or about to start (warm ones waiting in the queue included)."""
            return sum(self.kernels_held_parts().values())

        def kernels_held_parts(self):
            # A kernel counts once: as a place until jupyter_client gives it its id, then by its id
            # (pending until it has started, then listed).
            ids = set(self.list_kernel_ids()) | set(getattr(self, "_pending_kernels", {}))
            return {"kernels": len(ids), "places": len(_PLACES)}

        def pre_start_kernel(self, *args, **kw):
            # Called, with no wait, just before the new kernel's id enters _pending_kernels.
            place = _PLACE.get()
            if place is not None:
                place.release()
            return super().pre_start_kernel(*args, **kw)

        def admits_new_kernel(self, notebook=None):
            # The trainer's page is let in past the kernel limit (not past the memory floor): a full
            # room is when the trainer needs it most.
            held = 0 if notebook == TRAINER_PAGE else self.kernels_held()
            return CAPACITY.admits(held, machine_memory_mb()[1])

        async def start_kernel(self, *args, **kw):
            # A visitor's own kernel (no warm one): it waits for its turn, ahead of warm-ups.
            place = _PLACE.get()
            if place is None or place.released:  # a start no visit was admitted for (API, tests)
                place = _Place()
                _PLACE.set(place)
            ticket = _start_gate().enter(VISITOR)
            try:
                await ticket.wait()
                kernel_id = await super().start_kernel(*args, **kw)
            except BaseException:
                ticket.release()
                raise
            finally:
                place.release()
            _hold_start(kernel_id, ticket)
            return kernel_id

    if not preheat_kernel:
        return RoomKernelManager

    class FreshLessonKernelManager(RoomKernelManager):
        coopkit_guarded = True

        async def _initialize(self, notebook_path, kernel_id=None, **kw):
            ticket = _start_gate().enter(WARM)
            task = asyncio.current_task()
            if task is not None:
                _POOL_TICKETS[task] = ticket
                _PLACE.set(_WARM_PLACES.get(task))
            try:
                await ticket.wait()
                stamp = notebook_stamp(self.root_dir, notebook_path)
                content = await super()._initialize(notebook_path, kernel_id, **kw)
            except BaseException:
                ticket.release()
                raise
            finally:
                if task is not None:
                    _POOL_TICKETS.pop(task, None)
            content["coopkit_stamp"] = stamp
            # The warm kernel runs its notebook up to the cell that waits for the visitor: then the
            # next kernel may start (`_release_at_visitor_cell`), or when its rendering ends.
            _hold_start(content["kernel_id"], ticket)
            renderer, kid = content["renderer"], content["kernel_id"]
            # A visitor who takes it before then stops this task after the current cell and runs the
            # rest through the page (whose end releases it): only an ending of its own releases it here.
            content["task"].add_done_callback(lambda _t: None if renderer.stop_generator else _release_start(kid))
            return content

        def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables={}, **kw):  # noqa: B006 - Voila's signature
            pool = self._pools.get(notebook_name, [])
            filled = self.__dict__.setdefault("_coopkit_filled", set())
            configs = self.kernel_pools_config
            default = configs.get("default", {})
            config = configs.get(notebook_name, default)
            configured = wanted = config.get("pool_size", default.get("pool_size", 1))
            if notebook_name == ROOM_NOTEBOOK and notebook_name in filled:
                # The room's kernels are warmed once. After them, one at a time as visitors come:
                # refilling all of them when the last was taken held twice the room's memory.
                if pool:
                    return
                wanted = min(1, configured)
            filled.add(notebook_name)
            before = len(pool)
            room = max(0, CAPACITY.max_kernels - self.kernels_held())
            # Past the limit no kernel is warmed ahead now (they come back as kernels end): the pool
            # is filled to what fits, for this call only.
            fits = min(wanted, before + room)
            if fits < configured:
                self.kernel_pools_config = {**configs, notebook_name: {**config, "pool_size": fits}}
            try:
                super().fill_if_needed(delay, notebook_name, extra_kernel_env_variables, **kw)
            finally:
                self.kernel_pools_config = configs
            pool = self._pools.get(notebook_name, [])
            for task in pool[before:]:  # each counted until its kernel has an id (or it is cancelled)
                place = _WARM_PLACES[task] = _Place()
                task.add_done_callback(lambda t, place=place: (place.release(), _WARM_PLACES.pop(t, None)))
            if len(pool) < wanted:
                self.log.warning("coopkit: %d kernel(s) for %s not warmed ahead: the server holds %d of %d",
                                 wanted - len(pool), notebook_name, self.kernels_held(), CAPACITY.max_kernels)

        async def get_rendered_notebook(self, notebook_name, extra_kernel_env_variables={}, **kw):  # noqa: B006 - Voila's signature
            now = notebook_stamp(self.root_dir, notebook_name)
            pool = self._pools.get(notebook_name, [])
            if pool and pool[0] in _POOL_TICKETS:
                _POOL_TICKETS[pool[0]].hurry()  # a visitor waits for this one now
            while pool:
                try:
                    content = await pool[0]
                except Exception:  # noqa: BLE001 - Voila reports a pooled kernel that failed
                    break
                if content.get("coopkit_stamp") in (now, None) or now is None:
                    break
                self.log.info("coopkit: %s changed since its page was prepared; preparing it again", notebook_name)
                pool.pop(0)
                content["task"].cancel()
                try:
                    await self.shutdown_kernel(content["kernel_id"], now=True)
                except Exception:  # noqa: BLE001 - the kernel is gone already
                    self.log.debug("coopkit: stale kernel %s was already gone", content["kernel_id"])
            if not pool:
                self.fill_if_needed(delay=0, notebook_name=notebook_name,
                                    extra_kernel_env_variables=extra_kernel_env_variables, **kw)
            if not pool:  # the last warm kernel went to a visitor let in beside this one, and none fits
                raise RoomFull(notebook_name)
            return await super().get_rendered_notebook(notebook_name, extra_kernel_env_variables, **kw)

    return FreshLessonKernelManager


# --------------------------------------------------------------------------- a room of many visitors
# Voila starts every kernel at once: 30 visitors on 2 cores all waited 84 s and got their apps at the
# same moment, and nothing stops a room from outgrowing the memory. Kernels now start a few at a time
# (coopkit.admission.StartGate: as many as the machine has cores), a visitor's before one warmed for
# later; a warm kernel frees its place when its notebook reaches the cell that waits for the visitor.
# Past the limit (COOPKIT_MAX_KERNELS, or sized from the memory) a new visitor gets a page that says
# the room is full and tries again by itself (coopkit.admission.room_full_page).
import asyncio  # noqa: E402
import contextvars  # noqa: E402

from coopkit.admission import VISITOR, WARM, Capacity, StartGate, machine_memory_mb, room_full_page  # noqa: E402

CAPACITY = Capacity.from_environ()
#: The workbook the room opens next (``make serve ROOM=30 WORKBOOK=…``): its kernels are warmed once.
ROOM_NOTEBOOK = os.environ.get("COOPKIT_ROOM_NOTEBOOK") or None
_GATE = []
_PLACES = set()  # kernels admitted whose id jupyter_client has not made yet (see kernels_held)
_PLACE = contextvars.ContextVar("coopkit_place", default=None)  # the place of this request or pool task
_WARM_PLACES = {}  # a pool's task -> its place


class _Place:
    """One kernel on its way, counted from its admission until its kernel has an id."""

    def __init__(self):
        self.released = False
        _PLACES.add(self)

    def release(self):
        self.released = True
        _PLACES.discard(self)


_HELD = {}  # kernel id -> the start ticket it holds until its notebook has run
_POOL_TICKETS = {}  # a pool's task -> its ticket while it waits for its turn


def _start_gate():
    if not _GATE:
        _GATE.append(StartGate(CAPACITY.starts))
    return _GATE[0]


def _hold_start(kernel_id, ticket):
    _HELD[kernel_id] = ticket
    # However a rendering ends, the place comes back within two minutes.
    asyncio.get_event_loop().call_later(120, _release_start, kernel_id)


def _release_start(kernel_id):
    ticket = _HELD.pop(kernel_id, None)
    if ticket is not None:
        ticket.release()


from voila.execute import VoilaExecutor  # noqa: E402


def _release_at_visitor_cell(execute_cell):
    async def execute(self, cell, resources, cell_index, store_history=True):
        if cell.get("source", "").strip() == WAITS_FOR_VISIT:
            _release_start(getattr(self.km, "kernel_id", None))
        return await execute_cell(self, cell, resources, cell_index, store_history)

    execute.coopkit_guarded = True
    return execute


if not getattr(VoilaExecutor.execute_cell, "coopkit_guarded", False):
    VoilaExecutor.execute_cell = _release_at_visitor_cell(VoilaExecutor.execute_cell)

import tornado.web  # noqa: E402
from voila.tornado.handler import TornadoVoilaHandler  # noqa: E402

from coopkit import i18n, workbooks  # noqa: E402

TRAINER_PAGE = workbooks.PAGES["trainer"]


class RoomFull(Exception):
    """No kernel fits for this visitor (raised before anything of the page is sent)."""


def _refuse(handler, manager, notebook):
    lang = i18n.language_from_environ({"QUERY_STRING": handler.request.query,
                                       "HTTP_ACCEPT_LANGUAGE": handler.request.headers.get("Accept-Language", "")})
    handler.log.warning("coopkit: room full (%d of %d kernels: %s; %d MB free): %s asked for %s",
                        manager.kernels_held(), CAPACITY.max_kernels, manager.kernels_held_parts(),
                        machine_memory_mb()[1], handler.request.remote_ip, notebook)
    handler.clear()
    handler.set_status(503)
    handler.set_header("Retry-After", "10")
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(room_full_page(lang))


def _refuses_when_full(get):
    @tornado.web.authenticated
    async def guarded_get(self, path=None):
        manager = self.kernel_manager
        notebook = self.notebook_path or path
        # Voila gives a visitor a warm kernel only once one has begun rendering (notebook_data); before
        # that, even with a pool on its way, the visitor gets a kernel of its own.
        pool = (getattr(manager, "_pools", {}).get(notebook) or []) if getattr(manager, "notebook_data", {}).get(notebook) else []
        if not pool and hasattr(manager, "admits_new_kernel") and not manager.admits_new_kernel(notebook):
            _refuse(self, manager, notebook)
            return
        # Admitted for a kernel of its own: its place is held from now (visitors arriving together are
        # each counted before their kernels start), until jupyter_client gives the kernel its id.
        place = None if pool else _Place()
        _PLACE.set(place)
        try:
            return await get(self, path)
        except RoomFull:
            if self._headers_written:
                raise
            _refuse(self, manager, notebook)
        finally:
            if place is not None:
                place.release()

    guarded_get.coopkit_guarded = True
    return guarded_get


if not getattr(TornadoVoilaHandler.get, "coopkit_guarded", False):
    TornadoVoilaHandler.get = _refuses_when_full(TornadoVoilaHandler.get)


if not getattr(_voila_app.voila_kernel_manager_factory, "coopkit_guarded", False):
    _fresh_lessons_factory.coopkit_guarded = True
    _voila_app.voila_kernel_manager_factory = _fresh_lessons_factory


# --------------------------------------------------------------------------- compressed pages
# A page is about 5 MB of scripts, styles and HTML; fifty first visits moved 250 MB over the room's
# Wi-Fi. Tornado compresses text responses (gzip) when the Application is made with
# `compress_response`; Voila 0.5 applies its `tornado_settings` only after making it, too late for
# that setting, so it is given to the Application's settings here. Browsers all ask for gzip.
def _compressed_settings(self):
    settings = _voila_settings(self)
    settings["compress_response"] = True
    return settings


_compressed_settings.coopkit_guarded = True
if not getattr(Voila.init_settings, "coopkit_guarded", False):
    _voila_settings = Voila.init_settings
    Voila.init_settings = _compressed_settings


# --------------------------------------------------------------------------- static files compressed once
# Tornado compresses every response as it is sent: a first visit's 94 scripts and styles (5.5 MB)
# cost the server about 0.2 s of CPU, and its one thread did that again for each of 50 trainees
# arriving together. A static file is now compressed once (kept while its size and time stay the
# same) and the same bytes go to every visitor who accepts gzip.
import gzip as _gzip  # noqa: E402

import tornado.web as _tornado_web  # noqa: E402

_GZIPPED = {}  # (path, mtime_ns, size) -> the file's gzip bytes
_GZIP_MAX_FILE = 32 * 1024 * 1024


def _gzipped(absolute_path):
    """The file's gzip bytes, compressed on first use; None for an empty or very large file."""
    stat = os.stat(absolute_path)
    if not 0 < stat.st_size <= _GZIP_MAX_FILE:
        return None
    key = (absolute_path, stat.st_mtime_ns, stat.st_size)
    data = _GZIPPED.get(key)
    if data is None:
        if len(_GZIPPED) > 2000:  # many versions of many files: start again
            _GZIPPED.clear()
        with open(absolute_path, "rb") as file:
            data = _GZIPPED[key] = _gzip.compress(file.read(), compresslevel=6, mtime=0)
    return data


def _compressed_once(set_extra_headers):
    def set_extra_headers_gzipped(self, path):
        set_extra_headers(self, path)
        ctype = str(self._headers.get("Content-Type", "")).split(";")[0]
        request = self.request
        if (self.settings.get("compress_response") and "gzip" in request.headers.get("Accept-Encoding", "")
                and "Range" not in request.headers and "Content-Encoding" not in self._headers
                and (ctype.startswith("text/") or ctype in _tornado_web.GZipContentEncoding.CONTENT_TYPES)
                and (data := _gzipped(self.absolute_path)) is not None):
            self.set_header("Content-Encoding", "gzip")  # tornado's own gzip leaves it as it is
            self.get_content_size = lambda: len(data)
            self.get_content = lambda _path, start=None, end=None: [data[start:end]]

    set_extra_headers_gzipped.coopkit_guarded = True
    return set_extra_headers_gzipped


if not getattr(_tornado_web.StaticFileHandler.set_extra_headers, "coopkit_guarded", False):
    _tornado_web.StaticFileHandler.set_extra_headers = _compressed_once(_tornado_web.StaticFileHandler.set_extra_headers)


# --------------------------------------------------------------------------- a page that drops off
# A phone that leaves the Wi-Fi stops answering the server's pings, and the server closes its
# websocket. From then on jupyter_server's connection forgot its protocol (it reads it from the
# closed socket): the kernel's next message with binary parts was packed in the old format, and
# Voila's `read_header_from_binary_message` read that as the v1 format, took 8 bytes of it for a
# count of ~10^17 parts and built that list — the server stopped answering anyone and its memory
# grew by 40 MB/s until the machine killed it. A frame the page still sent was read the old way
# too (a 400 MB format string). The protocol is now remembered from the open socket, Voila's
# reader refuses a count the message cannot hold, and a message for a closed socket is dropped.
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection  # noqa: E402
from voila.tornado import kernel_websocket_handler as _voila_ws  # noqa: E402


def _remembered_subprotocol(self):
    """The websocket protocol chosen when the socket opened, also once it has closed."""
    protocol = self.__dict__.get("_coopkit_subprotocol")
    if protocol is None:
        try:
            protocol = self.websocket_handler.selected_subprotocol
        except Exception:  # noqa: BLE001 - a closed socket has none
            protocol = None
        if protocol is not None:
            self.__dict__["_coopkit_subprotocol"] = protocol
    return protocol


_remembered_subprotocol.coopkit_guarded = True


def _bounded_header_reader(read_header):
    def read_header_from_binary_message(ws_msg):
        # v1: an 8-byte count of offsets, then the offsets (8 bytes each), then the parts.
        count = int.from_bytes(ws_msg[:8], "little")
        if not 2 < count < 1024 or 8 * (count + 1) > len(ws_msg):
            return None
        return read_header(ws_msg)

    read_header_from_binary_message.coopkit_guarded = True
    return read_header_from_binary_message


def _nothing_for_a_closed_socket(write_message):
    def write_message_if_open(self, message, binary=False):
        if self.ws_connection is None or self.ws_connection.is_closing():
            # Dropped unread (jupyter_server keeps the kernel's later messages for the page's return).
            self.log.debug("coopkit: a message for a closed websocket was dropped")
            return None
        return write_message(self, message, binary)

    write_message_if_open.coopkit_guarded = True
    return write_message_if_open


if not getattr(ZMQChannelsWebsocketConnection.subprotocol.fget, "coopkit_guarded", False):
    ZMQChannelsWebsocketConnection.subprotocol = property(_remembered_subprotocol)
if not getattr(_voila_ws.read_header_from_binary_message, "coopkit_guarded", False):
    _voila_ws.read_header_from_binary_message = _bounded_header_reader(_voila_ws.read_header_from_binary_message)
if not getattr(_voila_ws.VoilaKernelWebsocketHandler.write_message, "coopkit_guarded", False):
    _voila_ws.VoilaKernelWebsocketHandler.write_message = _nothing_for_a_closed_socket(
        _voila_ws.VoilaKernelWebsocketHandler.write_message)
