"""A room of trainees opening one workbook together, against bare Voila. Not a test.

    python benchmarks/bench_room.py [--sizes 10 30 50] [--workbook 04_what_if_pricing.ipynb]
                                    [--soak-minutes 10] [--out benchmarks/RESULTS_room.md]

One run, bounded in time (``--time-limit``), loopback only. For each room size N:

1. **bare Voila**: ``python -m voila minimal.ipynb`` with Voila's own defaults (no coopkit
   configuration, no preheating, no compression) serving the minimal app (a slider and a chart);
2. **coopkit, cold**: the project's server (``coopkit.server.voila_command``: ``voila.json``, the
   CDN-free template, ``share/jupyter/config/voila.py``) with its default pools, one warm kernel
   per workbook: the room arrives before anyone warmed kernels for it;
3. **coopkit, room warmed**: the same server started like ``make serve ROOM=N WORKBOOK=…``, once
   its warm kernels have run the notebook.

N visitors (`tests.roomclient.Visitor`: the page, its scripts and styles as a first visit fetches
them — the list is recorded from a real chromium visit —, the kernel websocket, every widget's
state) arrive spread evenly over ``--within`` seconds. Reported: time until the app is usable
(p50/p95), failures, bytes moved per visit, memory of the server and its kernels before and after
(per trainee all in, and per added trainee). Then a soak: ``--soak-trainees`` visitors on the warmed
server change an input every ``--soak-every`` seconds for ``--soak-minutes``: answer time, kernel
deaths, memory growth from the first to the last minute.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(HERE))

import bench_apps  # noqa: E402  (server helpers, machine info)
from tests.roomclient import Visitor, close_room, input_models, open_room, percentile  # noqa: E402

H = bench_apps.H
MINIMAL = HERE / "minimal" / "minimal.ipynb"


def tree_rss_kb(server) -> int:
    return server.rss_kb(with_kernels=True)


def record_assets(server, notebook: str, query: str = "?lang=vi") -> list[str]:
    """The local files a first visit fetches (scripts, styles, fonts), from a real chromium visit."""
    from playwright.sync_api import sync_playwright

    urls: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=H.CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: urls.append(r.url))
            page.goto(f"{server.url}voila/render/{notebook}{query}", wait_until="commit")
            page.wait_for_selector(".ck-app.ck-ready, .widget-slider", timeout=300_000)
            page.wait_for_load_state("load", timeout=60_000)
            kernel = H.page_kernel_id(page)
        finally:
            browser.close()
    if kernel:
        H.shutdown_kernel(server.url, kernel)
    base = server.url.rstrip("/")
    return sorted({u[len(base):].split("?")[0] for u in urls
                   if u.startswith(base) and "/api/" not in u and "/voila/render/" not in u})


def start_bare(folder: Path, log: Path):
    """Voila as it comes: its defaults, run outside the repository (no voila.json, no config)."""
    port = H.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["JUPYTER_CONFIG_DIR"] = str(folder / ".jupyter")  # no user config either
    process = subprocess.Popen([sys.executable, "-m", "voila", str(folder), "--no-browser", f"--port={port}",
                                "--Voila.ip=127.0.0.1"], cwd=folder, env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    server = H.VoilaServer(url=f"http://127.0.0.1:{port}/", port=port, log_path=log, process=process,
                           notebooks=folder, preheat=False, command=process.args)
    from coopkit.server import wait_until_answering

    if not wait_until_answering(server.url, process, timeout=120):
        raise RuntimeError(server.log_tail())
    return server


def start_project(workbook: str | None, room: int | None, log: Path):
    from coopkit.server import voila_command

    env = dict(os.environ)
    args = []
    if room:
        env["COOPKIT_ROOM_NOTEBOOK"] = workbook
        pools = voila_command(room=(workbook, room))
        args = [a for a in pools if a.startswith("--VoilaKernelManager.kernel_pools_config")]
    return H.start_voila(preheat=True, log_path=log, env=env, extra_args=tuple(args))


def shut_all(server, visits) -> None:
    for visit in visits:
        if visit.kernel_id:
            H.shutdown_kernel(server.url, visit.kernel_id)


def one_room(server, notebook: str, n: int, within: float, assets: list[str], timeout: float) -> dict:
    before = tree_rss_kb(server)

    async def arrive():
        visits, visitors = await open_room(server.url, notebook, n, within=within, assets=assets,
                                           timeout=timeout, keep=True)
        after, kernels = tree_rss_kb(server), len(server.kernel_pids())  # everyone in, every app open
        await close_room(visitors)
        return visits, after, kernels

    visits, after, kernels = asyncio.run(arrive())
    shut_all(server, visits)
    usable = [v.usable for v in visits if v.ok]
    return {
        "n": n, "ok": len(usable), "failed": n - len(usable), "refused": sum(v.refused for v in visits),
        "errors": sorted({v.error for v in visits if v.error})[:3],
        "p50": percentile(usable, 50), "p95": percentile(usable, 95), "first": min(usable, default=None),
        "bytes": percentile([v.bytes_moved for v in visits if v.ok], 50),
        "rss_before_mb": before / 1024, "rss_after_mb": after / 1024, "kernels": kernels,
        "per_trainee_mb": after / 1024 / n, "per_added_mb": (after - before) / 1024 / n,
    }


def soak(server, notebook: str, n: int, minutes: float, every: float, assets: list[str]) -> dict:
    """``n`` visitors keep changing an input for ``minutes``: answer times, deaths, memory growth."""

    async def run() -> dict:
        visits, visitors = await open_room(server.url, notebook, n, within=10, assets=assets, timeout=600, keep=True)
        pids_start = set(server.kernel_pids())
        alive = [v for v in visitors if v.visit.ok]
        end = time.monotonic() + minutes * 60
        samples: list[tuple[float, int]] = []
        errors: list[str] = []

        async def trainee(visitor: Visitor) -> None:
            inputs = input_models(visitor.visit.states)
            if not inputs:
                errors.append("no input")
                return
            model_id = inputs[0][0]
            state = visitor.visit.states[model_id]["state"]
            digits = "".join(ch for ch in str(state.get("value", "")) if ch.isdigit()) or "1000"
            values = [digits, str(int(digits) + 1000)]
            k = 0
            await asyncio.sleep(random.uniform(0, every))
            while time.monotonic() < end:
                k += 1
                try:
                    await visitor.change(model_id, values[k % 2], timeout=120)
                except Exception as exc:  # noqa: BLE001 - a lost answer is a result
                    errors.append(f"{type(exc).__name__}: {exc}")
                    return
                await asyncio.sleep(every * random.uniform(0.7, 1.3))

        async def memory() -> None:
            while time.monotonic() < end:
                samples.append((time.monotonic(), tree_rss_kb(server)))
                await asyncio.sleep(15)

        await asyncio.gather(memory(), *(trainee(v) for v in alive))
        changes = [t for v in alive for t in v.visit.changes]
        pids_end = set(server.kernel_pids())
        await close_room(visitors)
        shut_all(server, visits)
        first_minute = [kb for t, kb in samples if t <= samples[0][0] + 60] if samples else []
        last_minute = [kb for t, kb in samples if t >= samples[-1][0] - 60] if samples else []
        growth = (max(last_minute) / max(first_minute) - 1) if first_minute and last_minute else None
        return {"n": n, "usable": len(alive), "minutes": minutes, "changes": len(changes),
                "p50": percentile(changes, 50), "p95": percentile(changes, 95), "errors": errors[:5],
                "error_count": len(errors), "kernels_lost": len(pids_start - pids_end),
                "rss_first_mb": max(first_minute) / 1024 if first_minute else None,
                "rss_last_mb": max(last_minute) / 1024 if last_minute else None, "growth": growth}

    return asyncio.run(run())


def fmt(value, unit="s", digits=1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f} {unit}".strip()


def render(info: dict, args, rows: list[dict], soaked: dict | None, problems: list[str]) -> str:
    out = ["# A room opening one workbook together", "",
           f"`python benchmarks/bench_room.py --sizes {' '.join(map(str, args.sizes))} --workbook {args.workbook} "
           f"--within {args.within:g} --soak-minutes {args.soak_minutes:g}`", "",
           "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in info.items()]
    out += ["", "## Arrivals", "",
            f"N visitors arrive spread over {args.within:g} s. *Usable*: the page, its scripts and the app's widgets "
            "have arrived (the app marked ready). Ratios are against bare Voila serving the minimal app with N "
            "visitors in the same run.", "",
            "| N | server | usable p50 | p95 | × bare p95 | first | failed | refused | moved per visit | "
            "memory after | per trainee all in | per added trainee |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    bare = {r["n"]: r for r in rows if r["server"] == "bare Voila, minimal app"}
    for r in rows:
        ratio = r["p95"] / bare[r["n"]]["p95"] if r["n"] in bare and r["p95"] and bare[r["n"]]["p95"] else None
        out.append(f"| {r['n']} | {r['server']} | {fmt(r['p50'])} | {fmt(r['p95'])} | "
                   f"{fmt(ratio, '×', 2)} | {fmt(r['first'])} | {r['failed']} | {r['refused']} | "
                   f"{fmt((r['bytes'] or 0) / 1e6, 'MB', 2)} | {fmt(r['rss_after_mb'] / 1024, 'GB', 2)} "
                   f"({r['kernels']} kernels) | {fmt(r['per_trainee_mb'] / 1024, 'GB', 2)} | "
                   f"{fmt(r['per_added_mb'] / 1024, 'GB', 2)} |")
        if r["errors"]:
            out.append(f"| | errors: {'; '.join(r['errors'])} | | | | | | | | | | |")
    if soaked:
        s = soaked
        out += ["", "## Soak", "",
                f"{s['usable']} of {s['n']} trainees on the warmed server change an input every ~{args.soak_every:g} s "
                f"for {s['minutes']:g} minutes.", "",
                "| changes | answer p50 | p95 | lost answers | kernels lost | memory, first minute | last minute | growth |",
                "|---|---|---|---|---|---|---|---|",
                f"| {s['changes']} | {fmt(s['p50'] and 1000 * s['p50'], 'ms', 0)} | {fmt(s['p95'] and 1000 * s['p95'], 'ms', 0)} | {s['error_count']} | {s['kernels_lost']} | "
                f"{fmt((s['rss_first_mb'] or 0) / 1024, 'GB', 2)} | {fmt((s['rss_last_mb'] or 0) / 1024, 'GB', 2)} | "
                f"{fmt(None if s['growth'] is None else 100 * s['growth'], '%', 1)} |"]
        if s["errors"]:
            out.append(f"\nErrors: {'; '.join(s['errors'])}")
    if problems:
        out += ["", "## Not measured", ""] + [f"- {p}" for p in problems]
    return "\n".join(out) + "\n"


class _SoakOnly(Exception):
    pass


def _soak(args, assets, work, left, problems):
    if args.soak_minutes and left() > args.soak_minutes * 60 + 300:
        warmed = start_project(args.workbook, args.soak_trainees, work / "soak.log")
        try:
            bench_apps.wait_until_steady(warmed, bench_apps.Budget(min(900, left())), kernels=args.soak_trainees,
                                         cap_s=900)
            soaked = soak(warmed, args.workbook, args.soak_trainees, args.soak_minutes, args.soak_every, assets)
            print(json.dumps(soaked), flush=True)
            return soaked
        finally:
            H.stop_voila(warmed)
    if args.soak_minutes:
        problems.append("soak: out of time")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 50])
    parser.add_argument("--workbook", default="04_what_if_pricing.ipynb")
    parser.add_argument("--within", type=float, default=10.0, help="seconds over which a room arrives")
    parser.add_argument("--soak-minutes", type=float, default=10.0)
    parser.add_argument("--soak-trainees", type=int, default=30)
    parser.add_argument("--soak-every", type=float, default=15.0, help="seconds between one trainee's changes")
    parser.add_argument("--skip-cold", action="store_true", help="leave out the cold coopkit server")
    parser.add_argument("--arrivals-from", default=None,
                        help="a log of an earlier run (its JSON rows): report those arrivals, run only the soak")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a visit may take")
    parser.add_argument("--time-limit", type=float, default=3600.0)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.time_limit
    info = bench_apps.machine_info()
    rows: list[dict] = []
    problems: list[str] = []
    soaked = None
    work = Path(tempfile.mkdtemp(prefix="coopkit-room-"))
    shutil.copy(MINIMAL, work / "minimal.ipynb")

    def left() -> float:
        return deadline - time.monotonic()

    if args.arrivals_from:
        rows = [json.loads(line) for line in Path(args.arrivals_from).read_text().splitlines()
                if line.startswith('{"server"')]
        args.sizes = sorted({r["n"] for r in rows})
    with contextlib.ExitStack() as stack:
        if args.arrivals_from:
            stack.enter_context(contextlib.suppress(_SoakOnly))
            project = start_project(None, None, work / "assets.log")
            stack.callback(H.stop_voila, project)
            bench_apps.wait_until_steady(project, bench_apps.Budget(min(600, left())), cap_s=600)
            assets = record_assets(project, args.workbook)
            H.stop_voila(project)
            soaked = _soak(args, assets, work, left, problems)
            raise _SoakOnly
        bare = start_bare(work, work / "bare.log")
        stack.callback(H.stop_voila, bare)
        bare_assets = record_assets(bare, "minimal.ipynb", "")
        project = start_project(None, None, work / "cold.log")
        stack.callback(H.stop_voila, project)
        bench_apps.wait_until_steady(project, bench_apps.Budget(min(600, left())), cap_s=600)
        assets = record_assets(project, args.workbook)
        print(f"recorded {len(assets)} files of a first visit (bare: {len(bare_assets)})", flush=True)
        for n in args.sizes:
            if left() < 120:
                problems.append(f"N={n}: out of time")
                continue
            row = one_room(bare, "minimal.ipynb", n, args.within, bare_assets, min(args.timeout, left()))
            rows.append({"server": "bare Voila, minimal app", **row})
            print(json.dumps(rows[-1]), flush=True)
            if not args.skip_cold:
                bench_apps.wait_until_steady(project, bench_apps.Budget(min(600, left())), cap_s=600)
                row = one_room(project, args.workbook, n, args.within, assets, min(args.timeout, left()))
                rows.append({"server": "coopkit, cold", **row})
                print(json.dumps(rows[-1]), flush=True)
        H.stop_voila(project)
        for n in args.sizes:
            if left() < 180:
                problems.append(f"warmed room of {n}: out of time")
                continue
            warmed = start_project(args.workbook, n, work / f"room{n}.log")
            try:
                _rss, waited = bench_apps.wait_until_steady(warmed, bench_apps.Budget(min(900, left())),
                                                            kernels=n, cap_s=900)
                print(f"room of {n}: warm after {waited:.0f} s", flush=True)
                row = one_room(warmed, args.workbook, n, args.within, assets, min(args.timeout, left()))
                rows.append({"server": f"coopkit, ROOM={n} warmed", **row})
                print(json.dumps(rows[-1]), flush=True)
            finally:
                H.stop_voila(warmed)
        soaked = _soak(args, assets, work, left, problems)
    report = render(info, args, rows, soaked, problems)
    print(report)
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
