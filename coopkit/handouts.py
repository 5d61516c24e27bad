"""Printable handouts: one A4 PDF per workbook and language, for a manager to take home.

``python -m coopkit.handouts --out handouts`` (what ``make handouts`` runs) starts Voila the way
`coopkit.server` does, on a free port of 127.0.0.1 without preheated kernels, opens every
workbook's page in each language in Debian's chromium (Playwright), waits until the page has
settled (its apps ready and idle, every worked answer shown, every chart drawn) and prints it
to ``<out>/<lang>/<notebook>.pdf``. What goes on paper is the template's print style
(``share/jupyter/voila/templates/coopkit/ck_print.html.j2``): the lesson text, the worked
examples with their answers, the formula card and the blank worksheet, in black on white; the
apps and the language switch stay on screen.

Options: ``--lang vi en`` (the languages, default both), then the notebooks or lesson names to
print (default: every workbook of ``notebooks/workbooks.toml``). Each file is written whole or
not at all (a temporary file in the same folder, then renamed). A page that does not settle in
``--timeout`` seconds, or shows an error, is named with its language; the others are still
printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass
from html import escape
from pathlib import Path

from coopkit import workbooks as wb
from coopkit.errors import InputError
from coopkit.server import REPO_ROOT, voila_command, voila_environ, wait_until_answering

__all__ = [
    "CHROMIUM",
    "Handout",
    "handout_path",
    "expected_answers",
    "header_template",
    "footer_template",
    "paper_text",
    "formula_lines",
    "write_atomically",
    "print_handouts",
    "main",
]

#: Debian's chromium; Playwright cannot download a browser on these machines.
CHROMIUM = "/usr/bin/chromium"
_CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
#: A4 with room for the running head (the workbook's title) and foot (page numbers).
MARGINS = {"top": "18mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
#: Seconds a page may take to settle before it is reported as failed.
PAGE_TIMEOUT = 180.0
#: Pages loading at once: the next page's kernel runs its notebook while this one prints.
AHEAD = 2

#: What Voila shows for a failed page or cell (tracebacks are hidden, the marks are not). The
#: page's own "not ready yet" notice (90 s after loading, on a busy machine) is not a failure: it
#: goes away when the app arrives, and the page keeps its time-out.
_ERRORS = ", ".join([".voila-error", '[data-mime-type="application/vnd.jupyter.stderr"]',
                     ".jp-OutputArea-output.jp-mod-error", '.ck-page-problem:not([data-reason="not_ready"])'])

#: The page has settled when this returns true: Voila has finished, the page is in the asked
#: language, every cell that shows a widget shows it, every app is ready and idle, every worked
#: answer is there and every image that is printed (not an app's) has been drawn. A string
#: starting with "error" names an error; what is still awaited is kept in ``window.ckAwaited``.
_SETTLED_JS = """([lang, answers, apps, errors]) => {
    const bad = document.querySelector(errors);
    if (bad) return 'error: ' + (bad.innerText || bad.className).trim().slice(0, 300);
    const awaiting = (what) => { window.ckAwaited = what; return false; };
    const cells = document.getElementById('rendered_cells');
    if (!cells || cells.style.display === 'none') return awaiting('the notebook to finish running');
    const loading = document.getElementById('loading');
    if (loading && loading.checkVisibility()) return awaiting('the spinner to go');
    if (document.documentElement.lang !== lang) return awaiting('the page language ' + lang);
    for (const cell of document.querySelectorAll('[data-ck-widget]')) {
        if (!cell.querySelector('.jupyter-widgets')) return awaiting('the widget of cell ' + cell.getAttribute('cell-index'));
    }
    const roots = document.querySelectorAll('.ck-app');
    if (roots.length < apps) return awaiting(apps + ' app(s), ' + roots.length + ' shown');
    for (const root of roots) {
        if (!root.classList.contains('ck-ready')) return awaiting('the app to be ready');
        if (root.classList.contains('ck-busy')) return awaiting('the app to finish computing');
    }
    const shown = document.querySelectorAll('.ck-lesson-example').length;
    if (shown < answers) return awaiting(answers + ' worked answers, ' + shown + ' shown');
    for (const img of document.querySelectorAll('#rendered_cells img')) {
        if (!img.closest('.ck-app') && (!img.complete || img.naturalWidth === 0)) return awaiting('a chart to be drawn');
    }
    return true;
}"""

_KERNEL_ID_JS = """() => {
    const el = document.getElementById('jupyter-config-data');
    try { return el ? JSON.parse(el.textContent).kernelId || null : null; } catch (e) { return null; }
}"""

# Never send loopback traffic through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Handout:
    """One handout to print: a workbook's notebook in one language, and where it goes."""

    notebook: str
    lang: str
    title: str
    path: Path
    answers: int = 0
    apps: int = 0


def handout_path(out: str | os.PathLike[str], notebook: str, lang: str) -> Path:
    """Where the handout of ``notebook`` in ``lang`` is written.

    >>> handout_path("handouts", "01_unit_cost.ipynb", "vi").as_posix()
    'handouts/vi/01_unit_cost.pdf'
    """
    return Path(out) / lang / (Path(notebook).stem + ".pdf")


def _code_cells(notebook: str | os.PathLike[str]) -> list[str]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c.get("cell_type") == "code"]


def _page_call(node: ast.AST, method: str) -> bool:
    """``node`` calls ``page.<method>(…)``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "page")


def expected_answers(notebook: str | os.PathLike[str]) -> tuple[int, int]:
    """``(answers, apps)``: the worked answers (cells whose last statement is ``page.answer(…)``)
    and the workbook's apps (``page.app()``, with keyword options or none; ``page.app(FigureView,
    …)`` is a chart, not an app) a page of ``notebook`` must show before it is printed.

    >>> import json, tempfile, pathlib
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "x.ipynb"
    >>> code = lambda s: {"cell_type": "code", "source": s, "metadata": {}}
    >>> _ = nb.write_text(json.dumps({"cells": [code("page.answer(1)"), code("x = 2\\npage.answer(\\n  x, kind='rate')"),
    ...     code("app = page.app()\\napp"), code("page.app(FigureView, draw=f)"), code("page.finish()")]}))
    >>> expected_answers(nb)
    (2, 1)
    """
    answers = apps = 0
    for source in _code_cells(notebook):
        try:
            body = ast.parse(source).body
        except SyntaxError:  # a cell magic: nothing of ours
            continue
        if body and isinstance(body[-1], ast.Expr) and _page_call(body[-1].value, "answer"):
            answers += 1
        apps += sum(1 for node in ast.walk(ast.Module(body=body, type_ignores=[]))
                    if _page_call(node, "app") and not node.args)
    return answers, apps


def header_template(title: str) -> str:
    """The running head of every page: the workbook's title, small, in black.

    >>> "1. Giá thành &amp; &lt;lãi&gt;</div>" in header_template("1. Giá thành & <lãi>")
    True
    """
    style = ("font-size:8pt;font-family:'DejaVu Sans',sans-serif;color:#000;width:100%;"
             "margin:0 15mm;border-bottom:0.5pt solid #000;padding-bottom:1mm;")
    return f'<div style="{style}">{escape(title)}</div>'


def footer_template() -> str:
    """The foot of every page: "coopkit" and the page number out of the pages ("3 / 7")."""
    style = "font-size:8pt;font-family:'DejaVu Sans',sans-serif;color:#000;width:100%;margin:0 15mm;display:flex;"
    return (f'<div style="{style}"><span style="flex:1">coopkit</span>'
            '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


#: An escaped character (kept), emphasis and code marks, a list mark or a heading's hashes (dropped).
_MARKUP = re.compile(r"\\([^\w\s])|[*_`]+|^\s*(?:[-+]|\d+\.)\s+|^#+\s*")


def paper_text(line: str) -> str:
    """A line of markdown as it reads on paper: emphasis, list marks, headings, a table's pipes
    and ``&nbsp;`` taken off, spaces collapsed.

    >>> paper_text("- **Giá hòa vốn** = chi phí cố định ÷ sản lượng")
    'Giá hòa vốn = chi phí cố định ÷ sản lượng'
    >>> paper_text("| (5) | Lãi góp = (1) − (2) | &nbsp; | đồng |")
    '(5) Lãi góp = (1) − (2) đồng'
    """
    if line.strip().startswith("|"):
        line = " ".join(cell for cell in line.strip().strip("|").split("|"))
    line = line.replace("&nbsp;", " ")
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or "", line).split())


def formula_lines(workbook: wb.Workbook | str | os.PathLike[str], lang: str) -> list[str]:
    """The formulas of the formula card (markdown cells tagged ``formulas``) in ``lang``: its
    lines with an ``=``, as they read on paper (`paper_text`).

    >>> import json, tempfile, pathlib
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "x.ipynb"
    >>> md = lambda s, *tags: {"cell_type": "markdown", "source": s, "metadata": {"tags": list(tags)}}
    >>> _ = nb.write_text(json.dumps({"cells": [
    ...     md("### Công thức\\n\\n- **Giá thành** = chi phí ÷ sản lượng", "lang-vi", "formulas"),
    ...     md("### Formulas\\n\\n- **Unit cost** = costs ÷ volume", "lang-en", "formulas"),
    ...     md("Profit = revenue − costs", "lang-en")]}))
    >>> formula_lines(nb, "en")
    ['Unit cost = costs ÷ volume']
    """
    lines = []
    for cell in wb.prose(workbook, lang):
        if "formulas" in cell.roles:
            lines += [paper_text(line) for line in cell.source.splitlines() if "=" in line]
    return lines


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (`coopkit.exchange.write_atomic`), making its folder.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "vi" / "a.pdf"
    >>> write_atomically(target, b"%PDF-1.4").read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (b'%PDF-1.4', ['a.pdf'])
    """
    from coopkit.exchange import write_atomic

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data)


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> dict[int, bytes]:
    """``{pid: command line}`` of every process below ``pid`` (the server's kernels)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text(errors="replace")
                parents[int(entry)] = int(stat[stat.rfind(")") + 2:].split()[1])
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, p in parents.items():
            if p == parent and child not in found:
                with contextlib.suppress(OSError):
                    found[child] = Path(f"/proc/{child}/cmdline").read_bytes()
                todo.append(child)
    return found


class _Server:
    """Voila on the notebooks folder, started like ``make serve`` but without preheated kernels."""

    def __init__(self, notebooks: Path, timeout: float = 120.0) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_dir = Path(tempfile.mkdtemp(prefix="coopkit-handouts-"))
        self.log_path = self.log_dir / "voila.log"
        env = voila_environ()
        env["COOPKIT_NOTEBOOKS"] = str(notebooks)
        env["COOPKIT_SCENARIO_DIR"] = str(self.log_dir / "scenarios")  # never the trainer's own folder
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        cmd = voila_command(port=self.port, notebooks=notebooks, preheat=False)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        if not wait_until_answering(self.url, self.process, timeout=timeout):
            tail = self.log_tail()
            self.stop()
            raise RuntimeError(f"the Voila server did not start on {self.url}:\n{tail}")

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Shut one page's kernel down now, as its tab would (Voila's own request lacks the
        ``_xsrf`` pair, voila issue #1458; Tornado checks cookie == form field)."""
        request = urllib.request.Request(
            f"{self.url}voila/api/shutdown/{kernel_id}", data=b"_xsrf=coopkit-handouts", method="POST",
            headers={"Cookie": "_xsrf=coopkit-handouts", "Content-Type": "application/x-www-form-urlencoded"})
        with contextlib.suppress(OSError), _OPENER.open(request, timeout=10) as response:
            response.read()

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the server (it shuts its kernels down), SIGKILL after ``grace`` s; then any
        kernel left, by its pid and command line."""
        kernels = _descendants(self.process.pid)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=grace)
        for pid, cmd in kernels.items():
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/cmdline").read_bytes() == cmd:
                    os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------- printing


def _handouts(out: Path, notebooks: Path, names: list[str], langs: list[str]) -> list[Handout]:
    os.environ["COOPKIT_NOTEBOOKS"] = str(notebooks)
    chosen = [wb.find(name) for name in names] if names else list(wb.workbooks())
    jobs = []
    for lang in langs:
        for workbook in chosen:
            answers, apps = expected_answers(workbook.path(notebooks))
            jobs.append(Handout(workbook.notebook, lang, wb.header(workbook.path(notebooks), lang).title,
                                handout_path(out, workbook.notebook, lang), answers, apps))
    return jobs


def print_handouts(jobs: list[Handout], notebooks: Path, *, timeout: float = PAGE_TIMEOUT, ahead: int = AHEAD,
                   report=print) -> list[tuple[Handout, str]]:
    """Print every handout; the failed ones with why (an empty list: all written)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: run 'sudo apt-get install -y chromium' (or 'make chromium')")
    failed: list[tuple[Handout, str]] = []
    server = _Server(notebooks)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=_CHROMIUM_ARGS)
            todo, loading = deque(jobs), deque()

            def open_next() -> None:
                job = todo.popleft()
                context = browser.new_context(locale="vi-VN" if job.lang == "vi" else "en-US",
                                              viewport={"width": 1100, "height": 1400})
                page = context.new_page()
                url = f"{server.url}voila/render/{job.notebook}?lang={job.lang}"
                try:
                    page.goto(url, wait_until="commit", timeout=timeout * 1000)
                    problem = None
                except PlaywrightError as error:  # reported when its turn comes
                    problem = error
                loading.append((job, context, page, time.monotonic(), problem))

            while todo or loading:
                while todo and len(loading) < max(1, ahead):
                    open_next()
                job, context, page, started, problem = loading.popleft()
                try:
                    if problem is not None:
                        raise RuntimeError(f"the page did not open: {problem}")
                    remaining = max(1.0, timeout - (time.monotonic() - started))
                    try:
                        state = page.wait_for_function(_SETTLED_JS, arg=[job.lang, job.answers, job.apps, _ERRORS],
                                                       timeout=remaining * 1000, polling=200).json_value()
                    except PlaywrightTimeout:
                        awaited = page.evaluate("() => window.ckAwaited || 'the page'")
                        raise RuntimeError(f"not settled after {timeout:.0f} s: still waiting for {awaited}") from None
                    if state is not True:
                        raise RuntimeError(f"the page shows an error: {state}")
                    pdf = page.pdf(format="A4", margin=MARGINS, print_background=False,
                                   display_header_footer=True, header_template=header_template(job.title),
                                   footer_template=footer_template())
                    try:
                        write_atomically(job.path, pdf)
                    except OSError as error:
                        raise RuntimeError(f"could not write {job.path}: {error.strerror or error}") from None
                    report(f"{job.path}  ({len(pdf) // 1024} KB, {time.monotonic() - started:.1f} s)")
                except (PlaywrightError, RuntimeError) as error:
                    why = str(error).splitlines()[0] if str(error) else type(error).__name__
                    if not server.alive():
                        why += f" (the Voila server stopped: {server.log_tail(10)})"
                    failed.append((job, why))
                    report(f"FAILED {job.notebook} ({job.lang}): {why}")
                finally:
                    with contextlib.suppress(PlaywrightError):
                        kernel = page.evaluate(_KERNEL_ID_JS)
                        if kernel:
                            server.shutdown_kernel(kernel)
                    with contextlib.suppress(PlaywrightError):
                        context.close()
                if not server.alive():
                    failed += [(job, "the Voila server stopped") for job, *_ in loading] + [(job, "not tried") for job in todo]
                    break
            browser.close()
    finally:
        server.stop()
        if failed:
            report(f"the server's log: {server.log_path}")
        else:
            shutil.rmtree(server.log_dir, ignore_errors=True)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print each workbook's handout (A4 PDF) in each language.")
    parser.add_argument("notebooks", nargs="*", help="notebooks or lesson names (default: every workbook)")
    parser.add_argument("--out", default="handouts", help="folder for <lang>/<notebook>.pdf (default handouts)")
    parser.add_argument("--lang", nargs="+", default=list(wb.LANGUAGES), choices=wb.LANGUAGES)
    parser.add_argument("--notebooks-dir", default=None, help="the workbooks' folder (default notebooks/)")
    parser.add_argument("--timeout", type=float, default=PAGE_TIMEOUT, help="seconds a page may take (default 180)")
    args = parser.parse_args(argv)
    notebooks = Path(args.notebooks_dir).resolve() if args.notebooks_dir else wb.notebooks_dir()
    out = Path(args.out).resolve()
    try:
        jobs = _handouts(out, notebooks, args.notebooks, args.lang)
    except InputError as error:
        print(f"coopkit: {error.message('en')}", file=sys.stderr)
        return 2

    def interrupted(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # stopped by a signal: the server and its kernels are stopped too

    signal.signal(signal.SIGTERM, interrupted)
    print(f"coopkit: printing {len(jobs)} handouts to {out}…", flush=True)
    started = time.monotonic()
    try:
        failed = print_handouts(jobs, notebooks, timeout=args.timeout, report=lambda line: print(line, flush=True))
    except RuntimeError as error:
        print(f"coopkit: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coopkit: stopped; the handouts written so far are complete", file=sys.stderr)
        return 130
    took = time.monotonic() - started
    print(f"coopkit: {len(jobs) - len(failed)} of {len(jobs)} handouts written in {took:.0f} s", flush=True)
    if failed:
        for job, why in failed:
            print(f"coopkit: {job.notebook} ({job.lang}) was not printed: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
