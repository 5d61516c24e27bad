"""Serve the workshop apps with Voila, configured from the repository.

``python -m coopkit.server`` (what ``make serve`` runs) starts Voila on ``notebooks/`` with the
committed configuration ``voila.json`` (hidden code, no tracebacks, notebooks and ``.py`` not
downloadable, idle kernels culled, a cell time-out, preheated kernel pools) and the CDN-free
``coopkit`` template from ``share/jupyter``. Tests and benchmarks start the server the same
way, through `voila_command`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["REPO_ROOT", "voila_command", "voila_environ", "main"]

#: The repository: ``voila.json``, ``notebooks/`` and ``share/jupyter`` live here.
REPO_ROOT = Path(__file__).resolve().parent.parent


def voila_command(
    *,
    host: str = "127.0.0.1",
    port: int = 8866,
    notebooks: Path | str | None = None,
    preheat: bool = True,
    pool_size: int | None = None,
    token: str | None = None,
    extra_args: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """The command line that starts Voila for the workshop.

    Parameters
    ----------
    host, port
        Where to listen. The default is loopback only; a trainer serving a room passes
        ``host="0.0.0.0"`` and should set a ``token``.
    notebooks
        Folder (or one notebook) to serve; default ``notebooks/`` of the repository.
    preheat
        Keep kernels ready per notebook (``voila.json`` sets the pool sizes).
    pool_size
        Override every notebook's pool size (``0`` turns pools off as well).
    token
        Ask visitors for this token (``?token=…`` once per browser).
    extra_args
        Further Voila options (``--MappingKernelManager.cull_idle_timeout=5``), after the others.

    Examples
    --------
    >>> cmd = voila_command(port=9000, preheat=False)
    >>> cmd[1:3], "--port=9000" in cmd, "--Voila.ip=127.0.0.1" in cmd
    (['-m', 'voila'], True, True)
    """
    target = Path(notebooks) if notebooks is not None else REPO_ROOT / "notebooks"
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(target),
        "--no-browser",
        f"--port={int(port)}",
        f"--Voila.ip={host}",
    ]
    if not preheat or pool_size == 0:
        cmd.append("--VoilaConfiguration.preheat_kernel=False")
    elif pool_size is not None:
        cmd.append(f"--VoilaKernelManager.kernel_pools_config={{'default': {{'pool_size': {int(pool_size)}}}}}")
    if token:
        cmd.append(f"--Voila.token={token}")
    cmd.extend(extra_args)
    return cmd


def voila_environ(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the Voila process: finds the ``coopkit`` template and config.

    Voila reads ``voila.json`` from its working directory (run it in `REPO_ROOT`), templates
    from ``$JUPYTER_PATH`` and ``share/jupyter/config/voila.py`` (the cell time-outs) from
    ``$JUPYTER_CONFIG_PATH``.
    """
    env = dict(os.environ if base is None else base)
    share = REPO_ROOT / "share" / "jupyter"
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(share), env.get("JUPYTER_PATH", "")) if p)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(share / "config"), env.get("JUPYTER_CONFIG_PATH", "")) if p)
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the coopkit workshop apps with Voila.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--pool", type=int, default=None, help="preheated kernels per notebook (0: none)")
    parser.add_argument("--token", default=None, help="require this token to open the apps")
    parser.add_argument("--scenarios", default=None,
                        help="folder where the apps save scenarios (default $COOPKIT_SCENARIO_DIR or ~/coopkit-scenarios)")
    args = parser.parse_args(argv)
    cmd = voila_command(host=args.host, port=args.port, pool_size=args.pool, token=args.token)
    env = voila_environ()
    if args.scenarios:
        env["COOPKIT_SCENARIO_DIR"] = str(Path(args.scenarios).expanduser().resolve())
    print(f"coopkit: http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    print(f"coopkit: scenarios are saved in {env.get('COOPKIT_SCENARIO_DIR') or '~/coopkit-scenarios'}", flush=True)
    os.chdir(REPO_ROOT)
    os.execvpe(cmd[0], cmd, env)
    return 0  # pragma: no cover - exec does not return


if __name__ == "__main__":
    raise SystemExit(main())
