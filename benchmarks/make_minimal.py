"""Write ``benchmarks/minimal/minimal.ipynb``: the baseline the app benchmarks compare against.

The smallest notebook that looks like a coopkit app to Voila: one markdown cell and one code
cell with an ``IntSlider`` driving a matplotlib chart in an ``Output``. It imports neither
coopkit nor pandas, so ``bench_apps.py`` can tell what the apps cost on top of "Voila +
ipywidgets + matplotlib".

Run ``python benchmarks/make_minimal.py`` after changing this file; the notebook is committed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
TARGET = HERE / "minimal" / "minimal.ipynb"

MARKDOWN = """# Minimal Voila app (benchmark baseline)

A slider and a chart: what every coopkit app costs at least."""

CODE = """\
import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

slider = widgets.IntSlider(value=5, min=1, max=20, description="n")
chart = widgets.Output(layout=widgets.Layout(height="320px"))


def draw(_change=None):
    n = slider.value
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(range(1, n + 1), [k * k for k in range(1, n + 1)], color="#1b5e20")
    ax.set_title(f"n = {n}")
    with chart:
        chart.clear_output(wait=True)
        display(fig)
    plt.close(fig)


slider.observe(draw, names="value")
draw()
display(widgets.VBox([slider, chart]))
"""


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(MARKDOWN), nbformat.v4.new_code_cell(CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    # Stable cell ids, so that re-running the script does not change the committed file.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"minimal-{i}"
    return nb


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    nb = build()
    nbformat.validate(nb)
    nbformat.write(nb, TARGET)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
