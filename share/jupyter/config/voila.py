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
    if not preheat_kernel or getattr(manager, "coopkit_guarded", False):
        return manager

    class FreshLessonKernelManager(manager):
        coopkit_guarded = True

        async def _initialize(self, notebook_path, kernel_id=None, **kw):
            stamp = notebook_stamp(self.root_dir, notebook_path)
            content = await super()._initialize(notebook_path, kernel_id, **kw)
            content["coopkit_stamp"] = stamp
            return content

        async def get_rendered_notebook(self, notebook_name, extra_kernel_env_variables={}, **kw):  # noqa: B006 - Voila's signature
            now = notebook_stamp(self.root_dir, notebook_name)
            pool = self._pools.get(notebook_name, [])
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
            return await super().get_rendered_notebook(notebook_name, extra_kernel_env_variables, **kw)

    return FreshLessonKernelManager


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
