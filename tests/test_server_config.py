"""share/jupyter/config/voila.py: what it changes in Voila's own behaviour, checked without a server."""

from __future__ import annotations

import types
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

REPO_ROOT = Path(__file__).resolve().parent.parent


def _load_config():
    return PyFileConfigLoader("voila.py", path=str(REPO_ROOT / "share" / "jupyter" / "config")).load_config()


def test_voila_stops_its_kernels_before_removing_their_folder(tmp_path):
    """Kernels over IPC keep their sockets in Voila's connection folder; Voila 0.5 removed the
    folder first, and a kernel still starting then broke the stop ("Directory not empty")."""
    _load_config()
    from voila.app import Voila

    folder = tmp_path / "voila_x"
    folder.mkdir()
    (folder / "kernel-1-ipc-1").write_text("")
    seen = []

    async def shutdown_all():
        seen.append(folder.exists())
        (folder / "kernel-2-ipc-1").write_text("")  # a kernel that was still starting

    fake = types.SimpleNamespace(connection_dir=str(folder), kernel_manager=types.SimpleNamespace(shutdown_all=shutdown_all),
                                 log=types.SimpleNamespace(warning=lambda *a, **k: None))
    Voila.stop(fake)
    assert seen == [True]          # the kernels were asked to stop while their folder was there
    assert not folder.exists()     # and the folder is gone afterwards


def test_a_failing_kernel_shutdown_still_removes_the_folder(tmp_path):
    _load_config()
    from voila.app import Voila

    folder = tmp_path / "voila_y"
    folder.mkdir()
    warned = []

    async def shutdown_all():
        raise RuntimeError("kernel died while starting")

    fake = types.SimpleNamespace(connection_dir=str(folder), kernel_manager=types.SimpleNamespace(shutdown_all=shutdown_all),
                                 log=types.SimpleNamespace(warning=lambda *a, **k: warned.append(a)))
    Voila.stop(fake)
    assert warned and not folder.exists()
