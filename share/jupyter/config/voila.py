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
