"""Where an app's time goes inside the kernel, against the minimal notebook's chart. Not a test.

    python benchmarks/bench_kernel.py [--repeats 20] [--clock cpu|wall] [--apps 06,09] [--out FILE]
    python benchmarks/bench_kernel.py --profile 09          # cProfile of one app's changes

One Python process, no browser, no Voila: the part of "input → updated chart" and of "time to
interactive" that the kernel spends, measured without the noise of a browser and a server
(`bench_apps.py` measures the whole path on a quiet machine). For each workbook it

1. builds the app's cell as the notebook does (``Lesson(...).app()``, the app and options of
   ``notebooks/workbooks.toml``, in Vietnamese,
   for 06 with the S-curve that follows the app's results): **build**;
2. changes the input `bench_apps.py` changes (the first ``.ck-field-*`` box that drives the
   results: its first digit up, then back), ``--repeats`` times, inside an event loop as in a
   kernel, and times **chart** (from the new value to the app's new chart image: what the page
   waits for) and **all work** (until the kernel is idle again, work the app defers included),
   split into **compute** (`App.compute`), **figure** (the ``coopkit.plots`` chart functions),
   **png** (`coopkit.ui.base.figure_png`) and the rest (**other**: results HTML, widget traits);
3. does the minimal notebook's change (``benchmarks/minimal``: ``plt.subplots(figsize=(6, 3))``,
   a bar chart, and ``display(fig)`` as the inline backend makes its PNG: ``print_figure`` with
   ``bbox_inches="tight"``) as the **baseline**, interleaved with the apps' changes;
4. runs each notebook's imports and app cell in a fresh interpreter (**cold cells**, CPU ms),
   and the minimal notebook's cell, ``--cold-rounds`` times each.

Ratios are app ÷ baseline, of the medians and of the p95s. ``--clock cpu`` (default) uses the
process's CPU time, which other busy processes on the machine change less than wall time.
Widget messages go nowhere (no kernel), so their cost is not included: it is the same for the
minimal notebook's image. Also reported: ``import coopkit.ui`` in a fresh interpreter (wall
ms), the app cell built again in this process and the widgets each app cell creates.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime as dt
import functools
import io
import math
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(REPO_ROOT))

#: notebook → the field bench_apps.py changes (the first ``.ck-field-*`` box that drives the results).
FIELDS: dict[str, str] = {
    "01": "volume", "02": "fixed_costs", "03": "cost_per_unit", "04": "list_price", "05": "area_ha",
    "06": "volume", "07": "land_ha", "08": "hens", "09": "purchase_price", "10": "price_per_unit",
    "11": "surplus",
}


def _apps() -> dict[str, tuple[str, tuple[str, str], dict, str]]:
    """notebook → (lesson, app class (module, name), keyword arguments, field): the lesson, app and
    options from ``notebooks/workbooks.toml`` (`coopkit.workbooks`), the field from `FIELDS`."""
    from coopkit import workbooks

    apps = {}
    for workbook in workbooks.workbooks():
        number = workbook.notebook[:2]
        if number not in FIELDS:
            raise SystemExit(f"bench_kernel.py: add the field to change in {workbook.notebook} to FIELDS")
        module, _, name = workbook.app.partition(":")
        apps[number] = (workbook.lesson, (module, name), workbook.app_options(), FIELDS[number])
    return apps


#: notebook → (lesson, app class (module, name), keyword arguments, field bench_apps.py changes).
APPS: dict[str, tuple[str, tuple[str, str], dict, str]] = _apps()
PHASES = ("compute", "figure", "png")


def _quantile(values: list[float], q: float) -> float:
    """Nearest rank, as bench_apps.py."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_apps import bump_first_digit, lower_first_digit  # noqa: E402 - the same new values as the browser run


class Timers:
    """Time spent in the wrapped functions (outermost call only), per phase, while ``on``."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.spent = dict.fromkeys(PHASES, 0.0)
        self.depth = dict.fromkeys(PHASES, 0)

    def reset(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)

    def wrap(self, phase: str, function):
        if getattr(function, "_ck_timed", False):
            return function

        @functools.wraps(function)
        def timed(*args, **kwargs):
            self.depth[phase] += 1
            start = self.clock()
            try:
                return function(*args, **kwargs)
            finally:
                self.depth[phase] -= 1
                if self.depth[phase] == 0:
                    self.spent[phase] += self.clock() - start

        timed._ck_timed = True
        return timed


def instrument(timers: Timers) -> None:
    """Wrap the chart functions (``coopkit.plots*``, where the apps look them up), `figure_png`
    and every app's ``compute``."""
    import importlib
    import pkgutil

    import coopkit.plots
    import coopkit.ui
    from coopkit.ui import base

    charts = {}
    for module_name in ["coopkit.plots"] + [f"coopkit.plots.{m.name}" for m in pkgutil.iter_modules(coopkit.plots.__path__)]:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            original = getattr(module, name)
            if getattr(original, "__wrapped__", None) is None:  # a chart is `styled`; png() is timed as png
                continue
            charts[id(original)] = timers.wrap("figure", original)
            setattr(module, name, charts[id(original)])
    original_png = base.figure_png
    png = timers.wrap("png", original_png)
    for info in pkgutil.iter_modules(coopkit.ui.__path__):
        module = importlib.import_module(f"coopkit.ui.{info.name}")
        for name, value in list(vars(module).items()):
            if id(value) in charts:
                setattr(module, name, charts[id(value)])
            elif value is original_png:
                setattr(module, name, png)
    base.figure_png = png
    for _nb, (_lesson, (module_name, class_name), _kwargs, _field) in APPS.items():
        cls = getattr(importlib.import_module(module_name), class_name)
        if "compute" in vars(cls):
            cls.compute = timers.wrap("compute", cls.compute)


# --------------------------------------------------------------------------- the baseline


def minimal_change(n: int) -> int:
    """The minimal notebook's ``draw()`` for a slider at ``n`` (the PNG as the inline backend makes it)."""
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(range(1, n + 1), [k * k for k in range(1, n + 1)], color="#1b5e20")
    ax.set_title(f"n = {n}")
    data = print_figure(fig, "png", bbox_inches="tight", base64=True)
    plt.close(fig)
    return len(data)


# --------------------------------------------------------------------------- the apps


@dataclass
class AppRun:
    notebook: str
    field: str
    build_first_ms: float = 0.0
    build_ms: list[float] = field(default_factory=list)
    widgets: int = 0
    change_ms: list[float] = field(default_factory=list)  # until the app's chart is set
    work_ms: list[float] = field(default_factory=list)  # everything the change made the kernel do
    phase_ms: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PHASES})
    error: str = ""


def build(notebook: str):
    """The notebook's app cell (and, for 06, the S-curve cell that follows it): (page, app)."""
    import importlib

    from coopkit.ui import Lesson

    lesson, (module_name, class_name), _kwargs, _field = APPS[notebook]
    page = Lesson(lesson, lang="vi")
    app = page.app()  # the notebook's cell: the registry's app and options (APPS[notebook])
    assert type(app) is getattr(importlib.import_module(module_name), class_name), (notebook, type(app))
    if notebook == "06":
        from coopkit.plots import risk as risk_plots
        from coopkit.ui.risk_app import FigureView

        page.app(FigureView, follow=app.results,
                 draw=lambda lang: risk_plots.profit_s_curve(app.result.market, app.result.contract, lang,
                                                             labels=app.labels()))
    return page, app


def widget_count() -> int:
    from ipywidgets.widgets import widget

    return len(widget._instances)


def first_box(app, name: str):
    control = app.control(name)
    if control is None:
        raise LookupError(f"{type(app).__name__} has no control {name!r}")
    return control.text if hasattr(control, "text") else control.texts[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="input changes per app (default 20)")
    parser.add_argument("--builds", type=int, default=3, help="builds per app after the first (default 3)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--apps", default=",".join(APPS), help="notebooks, e.g. 06,09 (default: all)")
    parser.add_argument("--profile", metavar="NB", help="cProfile the changes of one notebook's app and print it")
    parser.add_argument("--out", type=Path, help="write the report (markdown) here too")
    parser.add_argument("--cold-rounds", type=int, default=3,
                        help="fresh interpreters per notebook for the cold cells (0: skip)")
    args = parser.parse_args(argv)

    os.environ.setdefault("MPLBACKEND", "agg")
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    notebooks = [nb.strip().zfill(2) for nb in (args.profile or args.apps).split(",") if nb.strip()]

    import_ms = measure_import()
    cold = measure_cold(notebooks, args.cold_rounds) if args.cold_rounds and not args.profile else {}
    start = clock()
    import ipywidgets  # noqa: F401
    import matplotlib.pyplot  # noqa: F401  (the baseline's; the apps use Figure and Agg only)

    import coopkit.ui  # noqa: F401

    import_in_process_ms = (clock() - start) * 1000
    timers = Timers(clock)
    instrument(timers)

    baseline: list[float] = []

    def baseline_once(n: int) -> None:
        t = clock()
        minimal_change(n)
        baseline.append((clock() - t) * 1000)

    for n in (5, 6, 5):  # warm-up: pyplot, fonts, the inline PNG path
        minimal_change(n)

    runs: list[AppRun] = []
    for notebook in notebooks:
        run = AppRun(notebook, APPS[notebook][3])
        runs.append(run)
        try:
            t = clock()
            page, app = build(notebook)
            run.build_first_ms = (clock() - t) * 1000
            for _ in range(args.builds):
                before = widget_count()
                t = clock()
                page, app = build(notebook)
                run.build_ms.append((clock() - t) * 1000)
                run.widgets = widget_count() - before
            box = first_box(app, run.field)
            original, values = box.value, None
            for other in dict.fromkeys([bump_first_digit(original), lower_first_digit(original)]):
                box.value = other  # warm-up change, a higher value first (as bench_apps.py)
                if app.error is None:
                    values = [other, original]
                    break
                box.value = original
            if values is None:
                raise RuntimeError(f"no change of {run.field} is accepted: {app.error.message('en')}")
            profiler = cProfile.Profile() if args.profile else None
            chart_set: list[float] = []
            app.chart.observe(lambda _change: chart_set.append(clock()), "value")

            async def changes() -> None:
                # inside an event loop, as in a kernel: work an app defers (a lesson chart that
                # follows it) runs after the change, when the app's chart has been sent
                for i in range(args.repeats):
                    baseline_once(5 + i % 2)
                    timers.reset()
                    chart_set.clear()
                    t = clock()
                    if profiler is not None:
                        profiler.enable()
                    box.value = values[(i + 1) % 2]
                    await asyncio.sleep(0)
                    if profiler is not None:
                        profiler.disable()
                    end = clock()
                    run.change_ms.append(((chart_set[0] if chart_set else end) - t) * 1000)
                    run.work_ms.append((end - t) * 1000)
                    for phase in PHASES:
                        run.phase_ms[phase].append(timers.spent[phase] * 1000)

            asyncio.run(changes())
            if app.error is not None:
                raise RuntimeError(app.error.message("en"))
            if profiler is not None:
                stream = io.StringIO()
                stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative")
                stats.print_stats(45)
                stats.sort_stats("tottime").print_stats(30)
                print(stream.getvalue())
        except Exception as err:  # noqa: BLE001 - report it and go on with the next app
            run.error = f"{type(err).__name__}: {err}"
    report = render(runs, baseline, import_ms, import_in_process_ms, args, cold)
    print(report)
    if args.out:
        args.out.write_text(report)
    return 0


COLD_MINIMAL = """
import time
t = time.process_time()
import ipywidgets as widgets
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
slider = widgets.IntSlider(value=5, min=1, max=20, description="n")
chart = widgets.Output(layout=widgets.Layout(height="320px"))
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(range(1, 6), [k * k for k in range(1, 6)], color="#1b5e20")
ax.set_title("n = 5")
print_figure(fig, "png", bbox_inches="tight", base64=True)
plt.close(fig)
widgets.VBox([slider, chart])
print((time.process_time() - t) * 1000)
"""

COLD_APP = """
import sys, time
t = time.process_time()
sys.path.insert(0, {bench!r})
import bench_kernel
bench_kernel.build({notebook!r})
print((time.process_time() - t) * 1000)
"""


def measure_cold(notebooks: list[str], rounds: int = 3) -> dict[str, float]:
    """CPU ms of a notebook's cells in a fresh interpreter (imports, data, the first chart with
    nothing remembered): the kernel's part of a cold visit's time to interactive. Median of
    ``rounds``; "minimal": the minimal notebook's cell."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), MPLBACKEND="agg")
    codes = {"minimal": COLD_MINIMAL} | {nb: COLD_APP.format(bench=str(HERE), notebook=nb) for nb in notebooks}
    result = {}
    for name, code in codes.items():
        times = []
        for _ in range(rounds):
            with contextlib.suppress(subprocess.SubprocessError, ValueError, IndexError):
                done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                      timeout=300, check=True)
                times.append(float(done.stdout.strip().splitlines()[-1]))
        if times:
            result[name] = statistics.median(times)
    return result


def measure_import() -> float | None:
    """``import coopkit.ui`` in a fresh interpreter, wall ms (median of 3)."""
    code = "import time; t = time.perf_counter(); import coopkit.ui; print((time.perf_counter() - t) * 1000)"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    times = []
    for _ in range(3):
        with contextlib.suppress(subprocess.SubprocessError, ValueError):
            done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                                  check=True)
            times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times) if times else None


def render(runs: list[AppRun], baseline: list[float], import_ms: float | None, import_in_process_ms: float,
           args, cold: dict[str, float]) -> str:
    base50, base95 = (statistics.median(baseline), _quantile(baseline, 0.95)) if baseline else (math.nan, math.nan)
    import matplotlib

    lines = [
        "# coopkit in-kernel benchmark (`benchmarks/bench_kernel.py`)",
        "",
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, matplotlib "
        f"{matplotlib.__version__}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; clock: {args.clock}; "
        f"{args.repeats} changes per app.",
        "",
        f"Baseline (the minimal notebook's change: 6 × 3 in bar chart, inline PNG): median {base50:.1f} ms, "
        f"p95 {base95:.1f} ms.",
        "",
        "## Input → updated chart, in the kernel",
        "",
        "| notebook | field | chart p50 | chart p95 | p50 × minimal | p95 × minimal | all work p50 | compute | figure | png | other |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        if run.error or not run.change_ms:
            lines.append(f"| {run.notebook} | {run.field} | – | – | – | – | – | – | – | – | {run.error} |")
            continue
        c50, c95 = statistics.median(run.change_ms), _quantile(run.change_ms, 0.95)
        phases = {p: statistics.median(v) for p, v in run.phase_ms.items()}
        other = statistics.median([w - sum(run.phase_ms[p][i] for p in PHASES) for i, w in enumerate(run.work_ms)])
        lines.append(f"| {run.notebook} | {run.field} | {c50:.0f} ms | {c95:.0f} ms | {c50 / base50:.2f} | "
                     f"{c95 / base95:.2f} | {statistics.median(run.work_ms):.0f} ms | {phases['compute']:.0f} | "
                     f"{phases['figure']:.0f} | {phases['png']:.0f} | {other:.0f} |")
    lines += [
        "",
        "chart: from the new value to the app's new chart image (what the page waits for); all work: "
        "until the kernel is idle again (06 redraws the lesson's S-curve after its chart); compute, figure, "
        "png, other: medians (ms) of the parts of all work.",
        "",
        "## Building the app cell",
        "",
        f"`import coopkit.ui` in a fresh interpreter: {import_ms:.0f} ms (wall)." if import_ms else
        "`import coopkit.ui`: not measured.",
        f"In this process, ipywidgets + pyplot + coopkit.ui: {import_in_process_ms:.0f} ms.",
        "",
        "| notebook | cold cells (CPU) | × minimal | build again | widgets |",
        "|---|---:|---:|---:|---:|",
    ]
    if "minimal" in cold:
        lines.append(f"| minimal | {cold['minimal']:.0f} ms | 1.00 | – | 3 |")
    for run in runs:
        if run.build_ms:
            cells = cold.get(run.notebook)
            ratio = f"{cells / cold['minimal']:.2f}" if cells and "minimal" in cold else "–"
            lines.append(f"| {run.notebook} | {f'{cells:.0f} ms' if cells else '–'} | {ratio} | "
                         f"{statistics.median(run.build_ms):.0f} ms | {run.widgets} |")
    lines += [
        "",
        "cold cells: a fresh interpreter importing what the notebook imports and building its app "
        "(the kernel's part of a cold visit; the minimal notebook: ipywidgets, pyplot, one chart). "
        "build again: the app cell in a process that has built it before (a warm kernel).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
