"""Add the exercise cells (a Vietnamese and an English markdown cell, then ``page.exercises()``)
before a workbook notebook's last cell (``page.finish()``), once. A maintainer's tool.

Usage: ``python tools/add_exercise_cells.py notebooks/02_break_even.ipynb [...]``
"""

from __future__ import annotations

import sys

import nbformat

VI = ("## Luyện tập\n\n"
      "Làm các bài tập dưới đây, dùng ứng dụng ở trên khi đề bài nói vậy. Nhập tên và hợp tác xã của bạn "
      "một lần cho cả buổi học: giảng viên sẽ thấy bài làm của bạn. Gõ số như trang này viết "
      "(ví dụ 1.250.000 hoặc 30,5 %). Nếu chưa đúng, hãy mở gợi ý từng cái một; lời giải mở ra sau gợi ý cuối cùng.")
EN = ("## Practice\n\n"
      "Do the exercises below, with the app above where a task says so. Type your name and cooperative "
      "once for the whole workshop: the trainer will see your answers. Type numbers the way this page writes them "
      "(for example 1,250,000 or 30.5 %). If an answer is not yet right, open the hints one at a time; the solution "
      "opens after the last hint.")


def add(path: str) -> bool:
    nb = nbformat.read(path, as_version=4)
    if any("page.exercises()" in c.source for c in nb.cells if c.cell_type == "code"):
        return False
    last = nb.cells[-1]
    assert last.cell_type == "code" and "page.finish()" in last.source, path
    cells = [
        nbformat.v4.new_markdown_cell(VI, metadata={"tags": ["lang-vi", "screen-only"]}),
        nbformat.v4.new_markdown_cell(EN, metadata={"tags": ["lang-en", "screen-only"]}),
        nbformat.v4.new_code_cell("page.exercises()"),
    ]
    nb.cells[-1:-1] = cells
    nbformat.write(nb, path)
    return True


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, "added" if add(name) else "already there")
