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
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from coopkit import answers, workbooks

__all__ = ["REPO_ROOT", "voila_command", "voila_environ", "wait_until_answering", "connection_root", "warm_ahead", "main"]

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
    room: tuple[str, int] | None = None,
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
    room
        ``(notebook, n)``: warm ``n`` kernels ahead for the workbook the room opens next (they are
        warmed once; then one at a time as visitors come, see ``share/jupyter/config/voila.py``).
        The trainer's page keeps one warm kernel; the other pages none, unless ``pool_size`` says
        so (each warm kernel holds about 0.2 GB that the room needs more).
    extra_args
        Further Voila options (``--MappingKernelManager.cull_idle_timeout=5``), after the others.

    Examples
    --------
    >>> cmd = voila_command(port=9000, preheat=False)
    >>> cmd[1:3], "--port=9000" in cmd, "--Voila.ip=127.0.0.1" in cmd
    (['-m', 'voila'], True, True)
    >>> [a for a in voila_command(room=("04_what_if_pricing.ipynb", 30)) if "pools" in a]
    ["--VoilaKernelManager.kernel_pools_config={'default': {'pool_size': 0}, 'trainer.ipynb': {'pool_size': 1}, '04_what_if_pricing.ipynb': {'pool_size': 30}}"]
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
    if not preheat or (pool_size == 0 and not room):
        cmd.append("--VoilaConfiguration.preheat_kernel=False")
    elif pool_size is not None or room:
        if room and pool_size is None:  # the room's kernels and the trainer's, no others
            pools = {"default": {"pool_size": 0}, workbooks.PAGES["trainer"]: {"pool_size": 1}}
        else:
            pools = {"default": {"pool_size": int(1 if pool_size is None else pool_size)}}
        if room:
            pools[room[0]] = {"pool_size": int(room[1])}
        cmd.append(f"--VoilaKernelManager.kernel_pools_config={pools!r}")
    if token:
        cmd.append(f"--Voila.token={token}")
    root = connection_root()
    if root is not None:
        cmd.append(f"--Voila.connection_dir_root={root}")
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


#: Longest path a Unix socket may have (``sun_path`` is 108 bytes on Linux, with its final NUL).
_SOCKET_PATH_MAX = 107
#: What Voila and jupyter_client add to the connection folder's root for a kernel's IPC
#: sockets: ``/voila_<8>/kernel-<36-character id>-ipc-<n>``.
_IPC_SUFFIX = len("/voila_00000000/kernel-00000000-0000-0000-0000-000000000000-ipc-99")


def connection_root(temp: str | None = None) -> str | None:
    """A folder for the kernels' connection files and IPC sockets, or ``None`` for Voila's own.

    ``voila.json`` starts kernels over IPC (Unix sockets beside the connection files, which
    Voila keeps under the temporary folder) so that kernels started at the same moment cannot
    take each other's TCP ports. A socket's path may not be longer than 107 bytes: under a long
    ``$TMPDIR`` the kernels would not start, so the server then uses ``/tmp``.

    >>> connection_root("/tmp") is None, connection_root("/" + "x" * 80)
    (True, '/tmp')
    """
    import tempfile

    temp = os.path.abspath(temp or tempfile.gettempdir())
    if len(os.fsencode(temp)) + _IPC_SUFFIX <= _SOCKET_PATH_MAX:
        return None
    return "/tmp"


def wait_until_answering(url: str, process: subprocess.Popen, timeout: float = 300.0) -> bool:
    """Poll ``url`` until the server answers (any HTTP status) or ``process`` ends.

    Returns ``True`` when it answered, ``False`` when the process ended or ``timeout`` passed.
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with opener.open(url, timeout=5) as response:
                response.read(0)
            return True
        except urllib.error.HTTPError:
            return True  # it answered, even if with an error status (a token asked for, say)
        except OSError:
            time.sleep(0.25)
    return False


def warm_ahead(workbook: str | None, trainees: int, *, pool_size: int | None = None,
               environ: dict[str, str] | None = None) -> tuple[str, int] | None:
    """``(notebook, kernels)`` to warm for a room of ``trainees`` opening ``workbook``, as many as
    the machine's memory and kernel limit hold; prints what it chose, or why it cannot (then None)."""
    from coopkit.admission import KERNEL_MB, RESERVE_MB, Capacity, machine_memory_mb

    folder = REPO_ROOT / "notebooks"
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    wanted = (workbook or "").strip().removesuffix(".ipynb")
    found = [n for n in names if wanted and (n.removesuffix(".ipynb") == wanted or n.split("_", 1)[0] == wanted)]
    if len(found) != 1:
        print(f"coopkit: --room needs --workbook, one of: {', '.join(n.removesuffix('.ipynb') for n in names)}",
              file=sys.stderr, flush=True)
        return None
    capacity = Capacity.from_environ(environ)
    others = 1 if pool_size is None else len(names) * pool_size  # the trainer's page (see voila_command)
    _total, free = machine_memory_mb()
    by_memory = (free - RESERVE_MB) // KERNEL_MB if free else trainees
    kernels = max(1, min(trainees, capacity.max_kernels - others, by_memory))
    note = "" if kernels == trainees else f" (the machine holds {kernels}, not {trainees}: more start as visitors come)"
    print(f"coopkit: warming {kernels} kernels ahead for {found[0]}{note}", flush=True)
    return found[0], kernels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the coopkit workshop apps with Voila.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--pool", type=int, default=None, help="preheated kernels per notebook (0: none)")
    parser.add_argument("--token", default=None, help="require this token to open the apps")
    parser.add_argument("--scenarios", default=None,
                        help="folder where the apps save scenarios (default $COOPKIT_SCENARIO_DIR or ~/coopkit-scenarios)")
    parser.add_argument("--answers", default=None,
                        help="folder where the exercise answers are kept (default $COOPKIT_ANSWER_DIR or ~/coopkit-answers)")
    parser.add_argument("--trainer-key", default=None,
                        help="the key that opens the trainer page (default $COOPKIT_TRAINER_KEY, else one is made "
                             "and kept in <answers>/trainer-key.txt)")
    parser.add_argument("--max-kernels", type=int, default=None,
                        help="kernels the server holds at most; past it a new visitor gets a 'room is full' page "
                             "that retries by itself (default: sized from the machine's memory)")
    parser.add_argument("--kernel-starts", type=int, default=None,
                        help="kernels started at the same time, the others wait in order (default: the CPU count)")
    parser.add_argument("--room", type=int, default=None,
                        help="trainees who will open --workbook together: warm that many kernels ahead "
                             "(as many as the memory holds)")
    parser.add_argument("--workbook", default=None,
                        help="the workbook the room opens next, e.g. 04 or 04_what_if_pricing (with --room)")
    args = parser.parse_args(argv)
    env = voila_environ()
    if args.max_kernels:
        env["COOPKIT_MAX_KERNELS"] = str(args.max_kernels)
    if args.kernel_starts:
        env["COOPKIT_KERNEL_STARTS"] = str(args.kernel_starts)
    room = None
    if args.room:
        room = warm_ahead(args.workbook, args.room, pool_size=args.pool, environ=env)
        if room is None:
            return 2
        env["COOPKIT_ROOM_NOTEBOOK"] = room[0]
    cmd = voila_command(host=args.host, port=args.port, pool_size=args.pool, token=args.token, room=room)
    if args.scenarios:
        env["COOPKIT_SCENARIO_DIR"] = str(Path(args.scenarios).expanduser().resolve())
    if args.answers:
        env["COOPKIT_ANSWER_DIR"] = str(Path(args.answers).expanduser().resolve())
    if args.trainer_key:
        env["COOPKIT_TRAINER_KEY"] = args.trainer_key
    answers_root = Path(env["COOPKIT_ANSWER_DIR"]) if env.get("COOPKIT_ANSWER_DIR") else answers.default_root()
    key = args.trainer_key or env.get("COOPKIT_TRAINER_KEY") or answers.trainer_key(answers_root)
    print(f"coopkit: starting the workshop server on port {args.port}…", flush=True)
    # Voila runs as a child so that the address is printed when the server answers, not
    # before (it takes seconds to load); Ctrl+C and SIGTERM reach it and end it.
    process = subprocess.Popen(cmd, env=env, cwd=REPO_ROOT)

    def forward(_signum: int, _frame: object) -> None:
        if process.poll() is None:
            process.terminate()  # Voila stops cleanly on SIGTERM, shutting its kernels down

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    probe_host = "127.0.0.1" if args.host in ("0.0.0.0", "", "*") else ("::1" if args.host == "::" else args.host)
    probe = f"http://{'[' + probe_host + ']' if ':' in probe_host else probe_host}:{args.port}/"
    if wait_until_answering(probe, process):
        shown = probe if args.host in ("0.0.0.0", "::", "", "*") else f"http://{args.host}:{args.port}/"
        print(f"coopkit: the workshop is ready at {shown}  (Ctrl+C to stop)", flush=True)
        if args.host in ("0.0.0.0", "::", "", "*"):
            print("coopkit: other devices use this machine's address on the room's network, same port", flush=True)
        print(f"coopkit: scenarios are saved in {env.get('COOPKIT_SCENARIO_DIR') or '~/coopkit-scenarios'}", flush=True)
        print(f"coopkit: exercise answers are kept in {answers_root}", flush=True)
        print(f"coopkit: trainer page {shown}voila/render/{workbooks.PAGES['trainer']}  trainer key: {key}", flush=True)
    elif process.poll() is None:
        print(f"coopkit: the server has not answered on {probe} yet; see its messages above", flush=True)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:  # pragma: no cover - the handler above forwards it
            continue


if __name__ == "__main__":
    raise SystemExit(main())
