"""How fast and how heavy the coopkit apps are, against a minimal Voila app. Not a test.

    python benchmarks/bench_apps.py [--rounds 5] [--changes 20] [--out benchmarks/RESULTS.md]

One run, bounded in time (``--time-limit``, default 600 s), loopback only:

1. ``import coopkit`` in a fresh interpreter: RSS added, and whether scipy, matplotlib or
   ipywidgets got imported (they must not be).
2. A Voila server without preheated kernels, rooted at a temporary folder holding copies of
   ``notebooks/*.ipynb`` and ``benchmarks/minimal/minimal.ipynb``: per notebook, the time to
   interactive (median of ``--rounds`` visits, each in a fresh browser context), the RSS of its
   kernel, and the input → updated result latency (p50/p95 over ``--changes`` changes).
3. A second server with preheated pools (``pool_size=2``) on ``notebooks/``: the server's total
   RSS once the pools are filled, and the time to interactive of two visits of one app.

See benchmarks/README.md for what each number means. The server is started exactly as the
browser tests start it (``tests/browser/conftest.py``: `start_voila`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
MINIMAL = HERE / "minimal" / "minimal.ipynb"
PREHEAT_POOL_SIZE = 2


def _load_browser_helpers():
    """``tests/browser/conftest.py`` as a module (server start/stop, chromium settings)."""
    path = REPO_ROOT / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("coopkit_browser_helpers", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


H = _load_browser_helpers()


class OutOfTime(Exception):
    pass


class Budget:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def ms(self, cap_s: float = 60.0) -> float:
        """A Playwright timeout (ms): at most ``cap_s`` and never past the overall limit."""
        left = self.left()
        if left <= 1:
            raise OutOfTime
        return min(cap_s, left) * 1000

    def check(self) -> None:
        if self.left() <= 1:
            raise OutOfTime


# --------------------------------------------------------------------------- in-page timing

# Installed before any page script: records performance.now() (ms since navigation start) when
# every selector in window.__ck_tti_selectors matches a visible element.
TTI_INIT_JS = """
(() => {
  const selectors = %s;
  window.__ck_tti = null;
  const check = () => {
    if (window.__ck_tti !== null) return true;
    for (const s of selectors) {
      const el = document.querySelector(s);
      if (!el || !el.checkVisibility()) return false;
    }
    window.__ck_tti = performance.now();
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""

# Latency probe: arm() remembers the current "signature" (text of .ck-results, or the src of the
# chart image) and records t0 at the first keydown (or input event) and t1 at the first DOM
# mutation after which the signature differs.
LATENCY_SETUP_JS = """
(kind) => {
  // t1: the result shown changed (apps: the .ck-results text; minimal: its chart image);
  // t2: the chart image changed. A change counts as done when both have happened.
  // Apps: inside the app (.ck-app), not a lesson chart elsewhere on the page.
  const chart = () => { const img = document.querySelector(kind === 'minimal' ? '.widget-output img' : '.ck-app .ck-chart img'); return img ? img.src : ''; };
  const results = kind === 'minimal' ? chart : () => { const r = document.querySelector('.ck-app .ck-results'); return r ? r.textContent : ''; };
  const state = window.__ck_lat = {armed: false, base: '', chartBase: '', hasChart: false, t0: null, tin: null, t1: null, t2: null};
  state.arm = () => {
    state.base = results(); state.chartBase = chart(); state.hasChart = state.chartBase !== '';
    state.t0 = state.tin = state.t1 = state.t2 = null; state.armed = true;
  };
  state.done = () => state.t1 !== null && (state.t2 !== null || !state.hasChart);
  document.addEventListener('keydown', (e) => {
    if (state.armed && state.t0 === null && ['Enter', 'Tab', 'ArrowRight', 'ArrowLeft'].includes(e.key)) state.t0 = performance.now();
  }, true);
  document.addEventListener('input', () => { if (state.armed && state.tin === null) state.tin = performance.now(); }, true);
  new MutationObserver(() => {
    if (!state.armed) return;
    const now = performance.now();
    if (state.t1 === null && results() !== state.base) state.t1 = now;
    if (state.t2 === null && state.hasChart && chart() !== state.chartBase) state.t2 = now;
    if (state.done()) state.armed = false;
  }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}
"""

FIELD_INPUTS = '[class*="ck-field-"] input:not([type="checkbox"])'  # typed boxes (a tick box is clicked, not typed)


def bump_first_digit(text: str) -> str:
    """A clearly different value of the same shape: ``"12.000"`` -> ``"22.000"``, ``"95"`` -> ``"85"``."""
    for i, ch in enumerate(text):
        if ch.isdigit():
            d = int(ch)
            new = d + 1 if d < 9 else d - 1
            if new == 0 and i == 0:
                new = 2
            return text[:i] + str(new) + text[i + 1 :]
    return "1"


def lower_first_digit(text: str) -> str:
    """The same shape one step lower where it can be: ``"22.000"`` -> ``"12.000"`` (a minimum stays below the maximum)."""
    for i, ch in enumerate(text):
        if ch.isdigit():
            d = int(ch)
            return text[:i] + str(d - 1) + text[i + 1 :] if d >= 2 else bump_first_digit(text)
    return "1"


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# --------------------------------------------------------------------------- measurements


@dataclass
class NotebookResult:
    name: str
    kind: str  # "app" or "minimal"
    tti_ms: list[float] = field(default_factory=list)
    kernel_rss_kb: int | None = None
    latency_ms: list[float] = field(default_factory=list)
    chart_latency_ms: list[float] = field(default_factory=list)
    latency_field: str = ""
    notes: list[str] = field(default_factory=list)


def ready_selectors(kind: str) -> list[str]:
    return [".widget-slider", ".widget-output img"] if kind == "minimal" else [".ck-app.ck-ready"]


def visit(browser, server, notebook: str, kind: str, budget: Budget, *, keep_open: bool = False):
    """Open one notebook in a fresh context: (tti ms, new kernel pids, context, page)."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script(TTI_INIT_JS % json.dumps(ready_selectors(kind)))
    page = context.new_page()
    before = set(server.kernel_pids())
    try:
        page.goto(f"{server.url}voila/render/{notebook}", wait_until="commit", timeout=budget.ms())
        page.wait_for_function("window.__ck_tti !== null", timeout=budget.ms(), polling=100)
        tti = page.evaluate("window.__ck_tti")
    except Exception:
        close_visit(server, context, page)
        raise
    kernels = sorted(set(server.kernel_pids()) - before)
    if keep_open:
        return tti, kernels, context, page
    close_visit(server, context, page)
    return tti, kernels, None, None


def close_visit(server, context, page) -> None:
    """Shut the page's kernel down (Voila's own beacon is refused, see conftest) and close."""
    kernel_id = H.page_kernel_id(page)
    if kernel_id:
        with contextlib.suppress(OSError):
            H.shutdown_kernel(server.url, kernel_id)
    with contextlib.suppress(Exception):
        context.close()


def measure_latency(page, result: NotebookResult, changes: int, budget: Budget) -> None:
    page.evaluate(LATENCY_SETUP_JS, result.kind)

    def one_change(action) -> float | None:
        """Make one change; record the time to the new result and to the new chart, return the first."""
        page.evaluate("window.__ck_lat.arm()")
        action()
        try:
            page.wait_for_function("window.__ck_lat.done()", timeout=budget.ms(15), polling="raf")
        except Exception as error:
            if isinstance(error, OutOfTime):
                raise
            return None
        state = page.evaluate("({t0: window.__ck_lat.t0, tin: window.__ck_lat.tin, t1: window.__ck_lat.t1, t2: window.__ck_lat.t2})")
        start = state["t0"] if state["t0"] is not None and state["t0"] <= state["t1"] else state["tin"]
        if start is None:
            return None
        if state["t2"] is not None:
            result.chart_latency_ms.append(state["t2"] - start)
        return state["t1"] - start

    if result.kind == "minimal":
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.focus()
        keys = ["ArrowRight", "ArrowLeft"]
        result.latency_field = "IntSlider (arrow key)"
        if one_change(lambda: handle.press("ArrowRight")) is None:  # warm-up
            result.notes.append("slider: no image change")
            return
        result.chart_latency_ms.clear()
        for i in range(changes):
            latency = one_change(lambda k=keys[(i + 1) % 2]: handle.press(k))
            if latency is not None:
                result.latency_ms.append(latency)
        return

    inputs = page.locator(FIELD_INPUTS)
    for index in range(inputs.count()):
        box = inputs.nth(index)
        if not box.is_visible() or not box.is_editable():
            continue
        original = box.input_value()
        wrapper_class = box.evaluate(
            "(el) => { const w = el.closest('[class*=\"ck-field-\"]');"
            " return [...w.classList].find(c => c.startsWith('ck-field-')) || ''; }"
        )

        def change(value, box=box):
            box.fill(value)
            box.press("Enter")

        # Warm-up, and does this field drive the results? A higher value first, then a lower one
        # (a range's minimum pushed above its most likely value is an input error, not a result).
        values = None
        for other in dict.fromkeys([bump_first_digit(original), lower_first_digit(original)]):
            if other != original and one_change(lambda v=other: change(v)) is not None:
                values = [other, original]
                break
            box.fill(original)
            box.press("Enter")
            page.wait_for_timeout(500)  # let the restored value settle before the next try
        if values is None:
            result.notes.append(f"{wrapper_class}: no result change, next field")
            continue
        result.latency_field = wrapper_class
        result.chart_latency_ms.clear()
        for i in range(changes):
            latency = one_change(lambda v=values[(i + 1) % 2]: change(v))
            if latency is not None:
                result.latency_ms.append(latency)
            else:
                result.notes.append(f"change {i + 1}: no result change within 15 s")
        return
    result.notes.append("no .ck-field-* input changes .ck-results")


def measure_import(budget: Budget) -> dict:
    """``import coopkit`` in a fresh interpreter: RSS delta and heavy modules."""
    script = (
        "import json, sys\n"
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS:'): return int(line.split()[1])\n"
        "before = rss()\n"
        "try:\n"
        "    import coopkit\n"
        "    error = None\n"
        "except Exception as e:\n"
        "    error = f'{type(e).__name__}: {e}'\n"
        "heavy = {m: m in sys.modules for m in ('scipy', 'matplotlib', 'ipywidgets', 'pandas', 'numpy')}\n"
        "print(json.dumps({'rss_before_kb': before, 'rss_after_kb': rss(), 'modules': heavy, 'error': error}))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=max(5, min(60, budget.left())),
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}


def cpu_ticks(pids: list[int]) -> int:
    """utime + stime (clock ticks) of these processes."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rfind(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total


def wait_until_steady(
    server, budget: Budget, *, kernels: int = 0, settle_s: float = 4.0, cap_s: float = 240.0
) -> tuple[int, float]:
    """Total RSS once the pools are really filled; (KiB, seconds waited).

    Voila logs "Kernel pool ... is filled" when the kernels *start*, not when they have run the
    notebook, so the log is not enough: wait until at least ``kernels`` kernels exist, the total
    RSS changes by < 2 % and the processes use < 5 % of one core, both over ``settle_s``.
    """
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    pids = [server.pid] + H.descendants(server.pid)
    last_rss, last_cpu, steady_since = server.rss_kb(), cpu_ticks(pids), time.monotonic()
    while time.monotonic() - start < min(cap_s, budget.left() - 5):
        time.sleep(0.5)
        pids = [server.pid] + H.descendants(server.pid)
        rss, cpu = server.rss_kb(), cpu_ticks(pids)
        busy = (cpu - last_cpu) / hz > 0.05 * 0.5
        last_cpu = cpu
        if busy or abs(rss - last_rss) > 0.02 * max(last_rss, 1) or len(server.kernel_pids()) < kernels:
            last_rss, steady_since = rss, time.monotonic()
        elif time.monotonic() - steady_since >= settle_s:
            break
    return last_rss, time.monotonic() - start


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    versions = {}
    for dist in ("voila", "ipywidgets", "ipykernel", "jupyterlab", "playwright", "matplotlib", "pandas"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "not installed"
    chromium = "missing"
    with contextlib.suppress(Exception):
        chromium = subprocess.run([H.CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "browser": chromium,
        **versions,
    }


# --------------------------------------------------------------------------- report


def mb(kb: int | float | None) -> str:
    return "–" if not kb else f"{kb / 1024:.0f} MB"


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def render(info, args, imported, results, preheat, problems) -> str:
    out = ["# coopkit app benchmark", ""]
    out += ["## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in info.items()]
    out += ["", f"Rounds per notebook: {args.rounds}; input changes per app: {args.changes}.", ""]

    minimal = next((r for r in results if r.kind == "minimal"), None)
    base_tti = statistics.median(minimal.tti_ms) if minimal and minimal.tti_ms else None
    base_rss = minimal.kernel_rss_kb if minimal else None
    out += ["## Time to interactive and kernel memory (server without preheat)", ""]
    out += [
        "Navigation start → app ready (`.ck-app.ck-ready` visible; minimal: slider and chart image"
        " visible), median of fresh browser contexts. Kernel RSS after the first load.",
        "",
        "| notebook | TTI median | min – max | × minimal | kernel RSS | × minimal |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        med = statistics.median(r.tti_ms) if r.tti_ms else None
        spread = f"{min(r.tti_ms):,.0f} – {max(r.tti_ms):,.0f} ms" if r.tti_ms else "–"
        ratio = f"{med / base_tti:.2f}" if med and base_tti else "–"
        rss_ratio = f"{r.kernel_rss_kb / base_rss:.2f}" if r.kernel_rss_kb and base_rss else "–"
        out.append(f"| {r.name} | {ms(med)} | {spread} | {ratio} | {mb(r.kernel_rss_kb)} | {rss_ratio} |")

    out += ["", "## Input → updated result", ""]
    out += [
        "A new value typed into the first `.ck-field-*` input that drives the results, Enter;"
        " time until the `.ck-results` text changes (result) and until the chart image changes"
        " (chart); the next change waits until both have changed, as a person would. Minimal"
        " notebook: arrow key on the slider until its chart image changes. Measured in the page"
        " (keydown → DOM mutation), after one warm-up change.",
        "",
        "| notebook | control | result p50 | result p95 | chart p50 | chart p95 | chart p95 × minimal | changes |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    base_chart = nearest_rank(minimal.chart_latency_ms, 0.95) if minimal and minimal.chart_latency_ms else None
    for r in results:
        if r.latency_ms:
            lat, chart = r.latency_ms, r.chart_latency_ms
            c50 = ms(nearest_rank(chart, 0.5)) if chart else "–"
            c95 = nearest_rank(chart, 0.95) if chart else None
            ratio = f"{c95 / base_chart:.2f}" if c95 and base_chart else "–"
            out.append(
                f"| {r.name} | {r.latency_field} | {ms(nearest_rank(lat, 0.5))} | {ms(nearest_rank(lat, 0.95))}"
                f" | {c50} | {ms(c95)} | {ratio} | {len(lat)} |"
            )
        else:
            out.append(f"| {r.name} | {r.latency_field or '–'} | – | – | – | – | – | 0 |")

    out += ["", "## `import coopkit`", ""]
    if imported.get("error") and "modules" not in imported:
        out.append(f"Could not run: {imported['error']}")
    else:
        delta = imported["rss_after_kb"] - imported["rss_before_kb"]
        mods = imported["modules"]
        bad = [m for m in ("scipy", "matplotlib", "ipywidgets") if mods.get(m)]
        out += [
            f"- RSS added by `import coopkit`: {delta / 1024:.1f} MB",
            "- " + ", ".join(f"{m}: {'imported' if v else 'not imported'}" for m, v in mods.items()),
            f"- verdict: {'FAIL, imports ' + ', '.join(bad) if bad else 'OK (no scipy, matplotlib, ipywidgets)'}",
        ]
        if imported.get("error"):
            out.append(f"- import failed: {imported['error']}")

    out += ["", f"## Preheated kernels (pool_size={PREHEAT_POOL_SIZE} per notebook)", ""]
    if preheat:
        out += [
            "| | value |",
            "|---|---:|",
            f"| server RSS, no kernels (preheat off, idle) | {mb(preheat.get('idle_kb'))} |",
            f"| server + kernels RSS, pools filled ({preheat.get('pool_kernels', '?')} kernels,"
            f" idle after {preheat.get('fill_s', 0):.0f} s) | {mb(preheat.get('filled_kb'))} |",
        ]
        app = preheat.get("app")
        if app:
            cold = preheat.get("cold_ms")
            for i, value in enumerate(preheat.get("visits", []), 1):
                gain = f" ({cold / value:.1f}× faster than cold)" if cold and value else ""
                out.append(f"| {app}: visit {i} TTI{gain} | {ms(value)} |")
            out.append(f"| {app}: cold TTI (median above) | {ms(cold)} |")
        warm = preheat.get("warm") or {}
        minimal_cold = next((statistics.median(r.tti_ms) for r in results if r.kind == "minimal" and r.tti_ms), None)
        minimal_warm = warm.get("minimal.ipynb")
        if warm:
            out += [
                "",
                "A visit that takes a warm kernel (one fresh browser context each, after the pools have settled):",
                "its TTI against the minimal notebook's cold TTI (table above) and against the minimal notebook's",
                "own warm visit in the same run. A warm visit cannot be quicker than Voila's page itself: the",
                "minimal notebook's warm visit is that floor (loading Voila's JavaScript, connecting, drawing).",
                "",
                "| notebook | warm TTI | × minimal cold | × minimal warm |",
                "|---|---:|---:|---:|",
            ]
            for name, value in warm.items():
                vs_cold = f"{value / minimal_cold:.2f}" if minimal_cold and value else "–"
                vs_warm = f"{value / minimal_warm:.2f}" if minimal_warm and value else "–"
                out.append(f"| {name} | {ms(value)} | {vs_cold} | {vs_warm} |")
    else:
        out.append("Not measured.")

    if problems:
        out += ["", "## Problems", ""] + [f"- {p}" for p in problems]
    notes = [f"{r.name}: {n}" for r in results for n in r.notes]
    if notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="visits per notebook for the TTI median (default 5)")
    parser.add_argument("--changes", type=int, default=20, help="input changes per app (default 20)")
    parser.add_argument("--out", type=Path, default=None, help="also write the markdown report here")
    parser.add_argument("--notebooks", type=Path, default=REPO_ROOT / "notebooks", help="app notebooks (default notebooks/)")
    parser.add_argument("--time-limit", type=float, default=600, help="overall limit in seconds (default 600)")
    parser.add_argument("--no-preheat", action="store_true", help="skip the preheated-server part")
    args = parser.parse_args(argv)
    budget = Budget(args.time_limit)

    if not os.path.exists(H.CHROMIUM):
        print(f"{H.CHROMIUM} is missing: run `apt-get install -y chromium`", file=sys.stderr)
        return 2
    if not MINIMAL.exists():
        print(f"{MINIMAL} is missing: run `python benchmarks/make_minimal.py`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    info = machine_info()
    problems: list[str] = []
    imported = measure_import(budget)
    apps = sorted(p for p in args.notebooks.glob("*.ipynb"))
    if not apps:
        problems.append(f"no notebooks in {args.notebooks}: only the minimal notebook was measured")
    results = [NotebookResult("minimal.ipynb", "minimal")] + [NotebookResult(p.name, "app") for p in apps]
    preheat: dict = {}
    scratch = Path(tempfile.mkdtemp(prefix="coopkit-bench-"))
    try:
        root = scratch / "notebooks"
        root.mkdir()
        for p in apps + [MINIMAL]:
            shutil.copy2(p, root / p.name)

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=H.CHROMIUM, headless=True, args=H.CHROMIUM_ARGS)
            try:
                server = H.start_voila(notebooks=root, preheat=False, log_path=scratch / "cold.log")
                try:
                    time.sleep(1)
                    preheat["idle_kb"] = server.rss_kb()
                    for r in results:
                        print(f"[cold] {r.name}", file=sys.stderr, flush=True)
                        try:
                            for i in range(args.rounds):
                                last = i == args.rounds - 1
                                tti, kernels, ctx, page = visit(browser, server, r.name, r.kind, budget, keep_open=last)
                                r.tti_ms.append(tti)
                                if last:
                                    time.sleep(1)  # let the kernel settle after sending the page
                                    r.kernel_rss_kb = sum(H.rss_kb(k) for k in kernels) or None
                                    if len(kernels) != 1:
                                        r.notes.append(f"{len(kernels)} new kernels during the visit")
                                    try:
                                        measure_latency(page, r, args.changes, budget)
                                    finally:
                                        close_visit(server, ctx, page)
                        except OutOfTime:
                            raise
                        except Exception as error:
                            r.notes.append(f"failed: {type(error).__name__}: {str(error).splitlines()[0]}")
                finally:
                    H.stop_voila(server)

                app_name = next((r.name for r in results if r.kind == "app" and r.name != "00_start.ipynb" and r.tti_ms), None)
                if args.no_preheat or app_name is None:
                    problems.append("preheat not measured" + ("" if args.no_preheat else ": no app measured cold"))
                else:
                    print("[preheat] starting pools", file=sys.stderr, flush=True)
                    cold = next(r for r in results if r.name == app_name)
                    preheat["app"], preheat["cold_ms"] = app_name, statistics.median(cold.tti_ms)
                    server = H.start_voila(
                        notebooks=root, preheat=True, pool_size=PREHEAT_POOL_SIZE,
                        log_path=scratch / "preheat.log", timeout=min(120, budget.left()),
                    )
                    try:
                        expected = PREHEAT_POOL_SIZE * len(list(root.glob("*.ipynb")))
                        preheat["filled_kb"], preheat["fill_s"] = wait_until_steady(server, budget, kernels=expected)
                        preheat["pool_kernels"] = len(server.kernel_pids())
                        preheat["visits"] = []
                        for _ in range(2):
                            tti, _k, _c, _p = visit(browser, server, app_name, "app", budget)
                            preheat["visits"].append(tti)
                        # One warm visit of every notebook, the minimal one included; each waits until the
                        # previous visit's refill (a new kernel running its notebook) has settled.
                        preheat["warm"] = {}
                        for r in results:
                            wait_until_steady(server, budget, kernels=expected)
                            print(f"[warm] {r.name}", file=sys.stderr, flush=True)
                            tti, _k, _c, _p = visit(browser, server, r.name, r.kind, budget)
                            preheat["warm"][r.name] = tti
                    except OutOfTime:
                        raise
                    except Exception as error:  # report what was measured; say what failed
                        problems.append(f"preheat visit failed: {type(error).__name__}: {str(error).splitlines()[0]}"
                                        f" (server log: {scratch / 'preheat.log'})")
                    finally:
                        H.stop_voila(server)
            finally:
                browser.close()
    except OutOfTime:
        problems.append(f"time limit of {args.time_limit:.0f} s reached: the report is partial")
    finally:
        failed = bool(problems) or any(n.startswith("failed") for r in results for n in r.notes)
        if failed:
            print(f"server logs kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    report = render(info, args, imported, results, preheat, problems)
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
