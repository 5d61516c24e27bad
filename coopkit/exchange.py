"""Scenarios to Excel and CSV, and back from Excel: share a comparison with the board or a bank.

A manager compares a few scenarios in an app, exports them to a workbook, opens it in Excel
(or LibreOffice), changes a price or a volume and imports the scenarios back.

Workbook layout (sheet and column titles in the export language, Vietnamese or English):

1. **Inputs** (``Đầu vào``): one row per scenario. Row 1 holds the titles (bold); row 2 holds
   the *column keys* in small grey italics (``name``, ``model``, ``product``, ``channel``,
   ``note``, ``saved_at``, then each input such as ``fixed_costs``); scenarios start on row 3.
   Scenarios of several models share the sheet: the input columns are the union of their
   models' inputs, and a cell whose input the row's model does not use stays empty.
   Import reads only this sheet and finds the columns by their keys, so titles may be edited
   and columns moved; a file whose key row is gone is refused with a clear message.
2. **Results** (``Kết quả``): one row per scenario with its outputs (and, with ``base``, each
   output minus the base scenario's, for scenarios of the base's model), then the problem, if
   any, that stopped a scenario from being computed. Same two header rows.
3. **Data table** (``Bảng dữ liệu``, only with ``table``): a 1-D or 2-D `coopkit.whatif.data_table`.

Money cells show whole đồng (``#,##0 "₫"``), rates a percentage with one decimal (``0.0%``).
Every text cell is stored as text, never as a formula, even when it begins with ``=``, ``+``,
``-`` or ``@`` (it also gets Excel's quote prefix, so editing it in Excel keeps it text).

Warnings
--------
Numbers keep 15 significant digits, as in Excel itself. Line breaks in text are stored as
``"\\n"`` (a lone ``"\\r"`` becomes ``"\\n"``), and control characters that a workbook cannot
hold (``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``–``\\x1f``, lone surrogates,
``\\ufffe``, ``\\uffff``) are left out. Scenario names come back without leading or
trailing spaces, as `Scenario.from_dict` gives them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopkit import fields, i18n
from coopkit.errors import InputError
from coopkit.store import MAX_NAME_LENGTH
from coopkit.whatif import MODELS, Model, Scenario, evaluate, get_model

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KEY_ROW",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_UNPACKED_BYTES",
    "META_KEYS",
    "check_upload",
    "scenarios_from_xlsx",
    "scenarios_to_csv",
    "scenarios_to_xlsx",
    "write_atomic",
    "write_csv",
    "write_xlsx",
]

#: Largest Excel file an app imports, in bytes (5 MB). An exported file of scenarios weighs a few
#: kilobytes; a file sent through the page travels in one websocket message, and Voila's server
#: drops the connection, silently, above its message limit (10 MiB by default).
MAX_IMPORT_BYTES = 5_000_000
#: Largest amount of data an imported workbook may hold once unzipped, in bytes (10 MB). An
#: exported file of twelve scenarios holds about 30 KB. An .xlsx is a zip archive: a file under
#: `MAX_IMPORT_BYTES` can unzip to hundreds of megabytes (2.4 MB held 21 MB of cells, which
#: took 13 s and 0.9 GB of the page's kernel to read), so the import measures it first.
MAX_IMPORT_UNPACKED_BYTES = 10_000_000
_XLSX_START = b"PK\x03\x04"  # an .xlsx file is a zip archive

fields.register_fields({"size_mb": "number", "limit_mb": "number"})

#: Row of the column keys on the Inputs and Results sheets (row 1 holds the titles).
KEY_ROW = 2
#: Keys of the columns before the inputs, in order.
META_KEYS = ("name", "model", "product", "channel", "note", "saved_at")
_TEXT_KEYS = ("product", "channel", "note", "saved_at")
#: How far down import looks for the key row (a manager may insert a title row or two).
_KEY_ROW_SEARCH = 10

MONEY_FORMAT = '#,##0 "₫"'
RATE_FORMAT = "0.0%"
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
_DIFF_FORMATS = {
    "money": '+#,##0 "₫";-#,##0 "₫";0 "₫"',
    "rate": "+0.0%;-0.0%;0.0%",
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KEY_FONT = {"color": "808080", "italic": True, "size": 9}
_MAX_WIDTH = 50


# ---------------------------------------------------------------------------------------------
# Export


def scenarios_to_xlsx(
    scenarios: Sequence[Scenario],
    *,
    lang: str | None = None,
    base: str | None = None,
    table: pd.DataFrame | None = None,
    table_output: str | None = None,
) -> bytes:
    """A workbook (.xlsx) comparing ``scenarios``: their inputs, their results, a data table.

    Parameters
    ----------
    scenarios
        The scenarios, each with a different name; they may belong to different models.
    lang
        Language of the sheet and column titles (``"vi"`` or ``"en"``; default: the current one).
    base
        Name of a scenario: the Results sheet then also shows each output minus the base's.
    table
        A data table from `coopkit.whatif.data_table` (one input: a row per value and a column
        per output; two inputs: a grid), written on a third sheet.
    table_output
        The output shown in a two-input ``table`` (needed to format its cells); with a
        one-input table, shows only this output column.

    Returns
    -------
    bytes
        The .xlsx file; `write_xlsx` saves it, a download button can serve it as it is.

    Raises
    ------
    InputError
        Two scenarios share a name, ``base`` is not one of them, or a two-input ``table``
        has no ``table_output``.

    Examples
    --------
    The Sơn Nam egg cooperative compares selling at 2 800 đ and at 3 000 đ an egg, sends the
    workbook to its board, and reads it back:

    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> plan = Scenario("Giá 2.800 đ", "break_even", eggs, product="trung_son_nam")
    >>> dearer = Scenario("Giá 3.000 đ", "break_even", {**eggs, "price_per_unit": 3_000},
    ...                   product="trung_son_nam", note="nếu siêu thị nhận giá mới")
    >>> data = scenarios_to_xlsx([plan, dearer], lang="vi", base="Giá 2.800 đ")
    >>> data[:2]  # a zip archive, as every .xlsx
    b'PK'
    >>> back = scenarios_from_xlsx(data)
    >>> [s.name for s in back], back == [plan, dearer]
    (['Giá 2.800 đ', 'Giá 3.000 đ'], True)
    """
    from openpyxl import Workbook

    lang = i18n.normalize_language(lang)
    scenarios = list(scenarios)
    _check_names(scenarios)
    if base is not None and base not in {s.name for s in scenarios}:
        raise InputError("scenario", reason="unknown_scenario", value=base)
    models = _models_of(scenarios)

    book = Workbook()
    inputs_sheet = book.active
    inputs_sheet.title = i18n.tr("exchange.sheet.inputs", lang)
    _write_inputs(inputs_sheet, scenarios, models, lang)
    _write_results(book.create_sheet(i18n.tr("exchange.sheet.results", lang)), scenarios, models, base, lang)
    if table is not None:
        _write_table(book.create_sheet(i18n.tr("exchange.sheet.table", lang)), table, table_output, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: str | os.PathLike[str], scenarios: Sequence[Scenario], **kwargs: Any) -> Path:
    """Save `scenarios_to_xlsx` ``(scenarios, **kwargs)`` to ``path``; returns the path.

    The file is written whole or not at all: the workbook goes to a temporary file in the same
    folder, which then replaces ``path`` in one step, so an interrupted export never leaves a
    half-written file in place of the previous one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_xlsx(pathlib.Path(folder) / "trung.xlsx", [Scenario("plan", "break_even", eggs)])
    ...     [s.name for s in scenarios_from_xlsx(path)]
    ['plan']
    """
    return write_atomic(Path(path), scenarios_to_xlsx(scenarios, **kwargs))


def scenarios_to_csv(scenarios: Sequence[Scenario], *, lang: str | None = None) -> str:
    """The scenarios as CSV text: one row per scenario, its inputs then its outputs.

    Columns: scenario name, model, product, channel, note, time saved, each input (the union
    over the scenarios' models), each output, and the problem that stopped a scenario from
    being computed. The header row shows the titles in ``lang``; numbers are written for
    machines (``2800``, ``0.085``: a dot for decimals, no grouping), rates as fractions, and
    cells that do not apply are empty.

    The file opens in Excel when saved as UTF-8 with a byte order mark, which `write_csv`
    does (Excel set to a Vietnamese locale may expect ``;`` between columns; then use the
    .xlsx export or Data → From Text/CSV). Text that Excel would take for a formula (it begins
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, which
    Excel shows as a text marker.

    Examples
    --------
    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> text = scenarios_to_csv([Scenario("plan", "break_even", eggs)], lang="en")
    >>> print(text.splitlines()[1][:40])
    plan,break_even,,,,,610000000,2800,2067,
    """
    lang = i18n.normalize_language(lang)
    scenarios = list(scenarios)
    _check_names(scenarios)
    models = _models_of(scenarios)
    inputs, outputs = _union(m.inputs for m in models), _union(m.outputs for m in models)
    header = [_meta_title(k, lang) for k in META_KEYS]
    header += [fields.label(k, lang) for k in (*inputs, *outputs)]
    header.append(i18n.tr("exchange.column.error", lang))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for scenario in scenarios:
        results, problem = _evaluate(scenario, lang)
        row = [_csv_text(_meta_value(scenario, k)) for k in META_KEYS]
        row += [_csv_number(scenario.inputs.get(k)) for k in inputs]
        row += [_csv_number(results.get(k)) for k in outputs]
        row.append(_csv_text(problem))
        writer.writerow(row)
    return buffer.getvalue()


def write_csv(path: str | os.PathLike[str], scenarios: Sequence[Scenario], *, lang: str | None = None) -> Path:
    """Save `scenarios_to_csv` to ``path`` as UTF-8 with a byte order mark (so Excel reads the
    Vietnamese letters right), whole or not at all like `write_xlsx`; returns the path.

    Examples
    --------
    The Sơn Nam egg plan at 2 800 đ an egg, saved for the board in Vietnamese: the file starts with
    the mark Excel looks for, and the plan's profit (192.6 million đồng) is in it as a plain number.

    >>> import codecs, csv
    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067,
    ...         "volume": 1_095_000}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_csv(Path(folder) / "trung_son_nam.csv", [Scenario("Giá 2.800 đ", "break_even", eggs)],
    ...                      lang="vi")
    ...     raw = path.read_bytes()
    >>> path.name, raw.startswith(codecs.BOM_UTF8)
    ('trung_son_nam.csv', True)
    >>> row = next(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    >>> row["Tên kịch bản"], row["Giá bán mỗi đơn vị"], row["Lợi nhuận"]
    ('Giá 2.800 đ', '2800', '192635000')
    """
    text = scenarios_to_csv(scenarios, lang=lang)
    return write_atomic(Path(path), text.encode("utf-8-sig"))


# ---------------------------------------------------------------------------------------------
# Import


def scenarios_from_xlsx(source: str | os.PathLike[str] | bytes) -> list[Scenario]:
    """The scenarios of a workbook written by `scenarios_to_xlsx` (possibly edited in Excel).

    Only the Inputs sheet is read (``Đầu vào`` or ``Inputs``: files in either language are
    accepted), by the column keys of its grey key row; titles, the Results and Data table
    sheets and columns with no key are ignored, and empty rows are skipped. Values are checked
    like `Scenario.from_dict` does.

    Parameters
    ----------
    source
        Path of the .xlsx file, or its contents (an upload).

    Returns
    -------
    list of Scenario
        In the order of the rows (empty when the sheet has no scenario).

    Raises
    ------
    InputError
        The only error for a bad file, naming the sheet and the cell: not an .xlsx file or a
        damaged one, no Inputs sheet, no key row or a missing key column, an empty or repeated
        scenario name, an unknown model, a missing or non-numeric input, a number in an input
        the row's model does not use.

    Examples
    --------
    >>> scenarios_from_xlsx(b"name,model")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Không đọc được tệp: đây không phải là tệp Excel (.xlsx) hoặc tệp đã bị hỏng. \
Hãy mở tệp bằng Excel, lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” rồi thử lại.
    """
    book = _open_workbook(source)
    sheet = _inputs_sheet(book)
    title = sheet.title
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    key_row = _find_key_row(rows, title)
    columns: dict[str, int] = {}
    for index, key in enumerate(rows[key_row - 1]):
        if isinstance(key, str) and key.strip() and key.strip() not in columns:
            columns[key.strip()] = index
    all_inputs = set(_union(m.inputs for m in MODELS.values()))
    scenarios: list[Scenario] = []
    first_cell: dict[str, str] = {}
    for row_number, row in enumerate(rows[key_row:], start=key_row + 1):
        values = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
        if all(_blank(v) for key, v in values.items() if key in META_KEYS or key in all_inputs):
            continue

        def cell(key: str, row_number: int = row_number) -> str:
            return _coordinate(row_number, columns[key])

        name = _text(values["name"])
        if not name.strip():
            raise InputError("scenario", reason="cell_empty_name", sheet=title, cell=cell("name"))
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH:  # what is imported can be pinned and saved
            raise InputError("scenario", reason="cell_name_too_long", sheet=title, cell=cell("name"),
                             length=len(name), max_length=MAX_NAME_LENGTH)
        if name in first_cell:
            raise InputError("scenario", reason="cell_duplicate_name", value=name, sheet=title,
                             cell=cell("name"), other=first_cell[name])
        first_cell[name] = cell("name")
        model = _model_of_cell(values["model"], title, cell("model"))
        inputs: dict[str, float] = {}
        for key in model.inputs:
            if key not in columns:
                raise InputError(key, reason="missing_key_column", sheet=title, row=key_row, expected=key)
            inputs[key] = _number_of_cell(key, values[key], title, cell(key))
        for key in sorted(all_inputs - set(model.inputs), key=lambda k: columns.get(k, -1)):
            if key in columns and not _blank(values[key]):
                raise InputError(key, reason="cell_not_for_model", value=values[key], sheet=title,
                                 cell=cell(key), model=model.name)
        data = {"name": name, "model": model.name, "inputs": inputs,
                **{k: _text(values[k]) if k in columns else "" for k in _TEXT_KEYS}}
        try:
            scenarios.append(Scenario.from_dict(data))
        except InputError as err:
            at = cell(err.field) if err.field in columns else cell("name")
            raise _CellError(err, sheet=title, cell=at) from err
    return scenarios


class _CellError(InputError):
    """An `InputError` of one scenario read from a workbook, re-raised naming the sheet and the
    cell: the message is the inner one (same field and reason) after “Sheet «…», cell …:”."""

    def __init__(self, inner: InputError, *, sheet: str, cell: str) -> None:
        super().__init__(inner.field, inner.reason, inner.value, label=inner.label, **inner.params)
        self.inner, self.sheet, self.cell = inner, sheet, cell

    def message(self, lang: str | None = None) -> str:
        where = i18n.tr("exchange.at_cell", lang, sheet=self.sheet, cell=self.cell)
        return f"{where} {self.inner.message(lang)}"


def check_upload(name: str, size: int, content: bytes | None = None) -> None:
    """Refuse a file given to an app's import before reading it: too large, or not an .xlsx.

    Parameters
    ----------
    name
        The file's name as the manager's computer gives it.
    size
        Its size in bytes (the upload says it before the content is read).
    content
        Its first bytes, when at hand: an .xlsx file is a zip archive.

    Raises
    ------
    InputError
        ``file_too_large`` (more than `MAX_IMPORT_BYTES`; the message gives both sizes in MB),
        ``not_xlsx_file`` (another kind of file).

    Examples
    --------
    >>> check_upload("kich-ban-gia.xlsx", 12_000)
    >>> check_upload("anh-cam.jpg", 12_000)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Tệp “anh-cam.jpg” không phải là tệp Excel (.xlsx). Hãy chọn tệp .xlsx đã tải về từ trang này.
    """
    size = int(size)
    if size > MAX_IMPORT_BYTES:
        raise InputError("file", reason="file_too_large", value=name,
                         size_mb=math.ceil(size / 100_000) / 10, limit_mb=MAX_IMPORT_BYTES / 1_000_000)
    if not str(name).lower().endswith(".xlsx") or (content is not None and not bytes(content[:4]) == _XLSX_START):
        raise InputError("file", reason="not_xlsx_file", value=name)


def _check_unpacked_size(stream: Any) -> None:
    """Refuse a workbook that holds more than `MAX_IMPORT_UNPACKED_BYTES` once unzipped, before
    anything is unzipped (the sizes stand in the archive's directory; a part that unzips to more
    than its stated size fails its check). Anything that is not a zip archive is left to the reader,
    which says the file is not a workbook."""
    import zipfile

    try:
        with zipfile.ZipFile(stream) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        size = 0
    finally:
        if hasattr(stream, "seek"):
            stream.seek(0)
    if size > MAX_IMPORT_UNPACKED_BYTES:
        raise InputError("file", reason="file_unpacks_too_large", size_mb=math.ceil(size / 100_000) / 10,
                         limit_mb=MAX_IMPORT_UNPACKED_BYTES / 1_000_000)


def _open_workbook(source: str | os.PathLike[str] | bytes) -> Any:
    from openpyxl import load_workbook

    if isinstance(source, (bytes, bytearray, memoryview)):
        stream: Any = io.BytesIO(bytes(source))
        name = None
    else:
        path = Path(source)
        name = path.name
        if not path.is_file():
            raise InputError("file", reason="data_missing_file", value=name, file=name,
                             folder=str(path.parent))
        stream = path
    _check_unpacked_size(stream)
    try:
        return load_workbook(stream, data_only=True)
    except Exception:  # noqa: BLE001  (zip, XML, openpyxl errors alike: for the manager, a bad file)
        if name is None:
            raise InputError("file", reason="xlsx_unreadable") from None
        raise InputError("file", reason="xlsx_unreadable_file", value=name) from None


def _inputs_sheet(book: Any) -> Any:
    titles = [i18n.tr("exchange.sheet.inputs", lang) for lang in i18n.LANGUAGES]
    for title in titles:
        if title in book.sheetnames:
            return book[title]
    folded = {name.strip().casefold(): name for name in book.sheetnames}
    for title in titles:
        if title.casefold() in folded:
            return book[folded[title.casefold()]]
    raise InputError("sheet", reason="missing_sheet", sheet=titles[0], expected=titles[1])


def _find_key_row(rows: list[list[Any]], title: str) -> int:
    for number, row in enumerate(rows[:_KEY_ROW_SEARCH], start=1):
        keys = {v.strip() for v in row if isinstance(v, str)}
        if {"name", "model"} <= keys:
            return number
    raise InputError("sheet", reason="missing_key_row", sheet=title)


def _model_of_cell(value: object, sheet: str, cell: str) -> Model:
    name = _text(value).strip()
    if not name:
        raise InputError("model", reason="cell_empty", sheet=sheet, cell=cell)
    if name not in MODELS:
        raise InputError("model", reason="cell_unknown_model", value=name, sheet=sheet, cell=cell,
                         expected=", ".join(sorted(MODELS)))
    return get_model(name)


def _number_of_cell(key: str, value: object, sheet: str, cell: str) -> float:
    if _blank(value):
        raise InputError(key, reason="cell_empty", sheet=sheet, cell=cell)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(key, reason="cell_not_a_number", value=None, text=_text(value), sheet=sheet, cell=cell)
    number = float(value)
    if not math.isfinite(number):
        raise InputError(key, reason="cell_not_finite", value=number, sheet=sheet, cell=cell)
    return number


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell's value as text (a number typed in a text column reads as Excel shows it)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _coordinate(row: int, index: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{row}"


# ---------------------------------------------------------------------------------------------
# Sheets


def _write_inputs(sheet: Any, scenarios: list[Scenario], models: list[Model], lang: str) -> None:
    inputs = _union(m.inputs for m in models)
    keys = [*META_KEYS, *inputs]
    _header(sheet, [_meta_title(k, lang) for k in META_KEYS] + [fields.label(k, lang) for k in inputs], keys, lang)
    for row, scenario in enumerate(scenarios, start=KEY_ROW + 1):
        for column, key in enumerate(META_KEYS, start=1):
            _text_cell(sheet, row, column, _meta_value(scenario, key))
        for column, key in enumerate(inputs, start=len(META_KEYS) + 1):
            if key in scenario.inputs:
                _number_cell(sheet, row, column, scenario.inputs[key], _number_format(key, scenario.inputs[key]))
    _finish(sheet, freeze="C3")


def _write_results(
    sheet: Any, scenarios: list[Scenario], models: list[Model], base: str | None, lang: str
) -> None:
    outputs = _union(m.outputs for m in models)
    evaluated = {s.name: _evaluate(s, lang) for s in scenarios}
    base_scenario = next((s for s in scenarios if s.name == base), None)
    diffs = list(get_model(base_scenario.model).outputs) if base_scenario else []
    titles = [_meta_title("name", lang), _meta_title("model", lang)]
    titles += [fields.label(k, lang) for k in outputs]
    titles += [i18n.tr("exchange.column.diff", lang, label=fields.label(k, lang), base=base) for k in diffs]
    titles.append(i18n.tr("exchange.column.error", lang))
    keys = ["name", "model", *outputs, *(f"diff:{k}" for k in diffs), "error"]
    _header(sheet, titles, keys, lang)
    base_results = evaluated[base_scenario.name][0] if base_scenario else {}
    for row, scenario in enumerate(scenarios, start=KEY_ROW + 1):
        results, problem = evaluated[scenario.name]
        _text_cell(sheet, row, 1, scenario.name)
        _text_cell(sheet, row, 2, scenario.model)
        for column, key in enumerate(outputs, start=3):
            if key in results:
                _number_cell(sheet, row, column, results[key], _number_format(key, results[key]))
        if base_scenario is not None and scenario.model == base_scenario.model:
            for column, key in enumerate(diffs, start=3 + len(outputs)):
                if key in results:
                    difference = results[key] - base_results[key]
                    _number_cell(sheet, row, column, difference, _diff_format(key, difference))
        _text_cell(sheet, row, len(keys), problem)
    _finish(sheet, freeze="C3")


def _write_table(sheet: Any, table: pd.DataFrame, output: str | None, lang: str) -> None:
    from openpyxl.styles import Font

    if table.columns.name is None:  # one input: a row per value, a column per output
        if output is not None and output in table.columns:
            table = table[[output]]
        row_key = str(table.index.name or "")
        columns = [str(c) for c in table.columns]
        _header(sheet, [fields.label(row_key, lang), *(fields.label(c, lang) for c in columns)], None, lang)
        for row, (value, record) in enumerate(zip(table.index, table.itertuples(index=False)), start=2):
            _number_cell(sheet, row, 1, value, _number_format(row_key, value)).font = Font(bold=True)
            for column, (key, cell_value) in enumerate(zip(columns, record), start=2):
                _number_cell(sheet, row, column, cell_value, _number_format(key, cell_value))
        _finish(sheet, freeze="B2")
        return
    if output is None:  # two inputs: a grid of one output, which the cells' format needs
        raise InputError("output", reason="data_table_needs_output")
    row_key, column_key = str(table.index.name or ""), str(table.columns.name)
    row_label, column_label = fields.label(row_key, lang), fields.label(column_key, lang)
    _text_cell(sheet, 1, 1, i18n.tr("exchange.table.title", lang, output=fields.label(output, lang),
                                    rows=row_label, columns=column_label)).font = Font(bold=True, size=12)
    _text_cell(sheet, 2, 1, i18n.tr("exchange.table.corner", lang, rows=row_label, columns=column_label))
    sheet.cell(2, 1).font = Font(bold=True)
    for column, value in enumerate(table.columns, start=2):
        _number_cell(sheet, 2, column, value, _number_format(column_key, value)).font = Font(bold=True)
    for row, (value, record) in enumerate(zip(table.index, table.itertuples(index=False)), start=3):
        _number_cell(sheet, row, 1, value, _number_format(row_key, value)).font = Font(bold=True)
        for column, cell_value in enumerate(record, start=2):
            _number_cell(sheet, row, column, cell_value, _number_format(output, cell_value))
    _finish(sheet, freeze="B3", skip_rows=1)


def _header(sheet: Any, titles: list[str], keys: list[str] | None, lang: str) -> None:
    """Row 1: the titles in bold; row 2 (when ``keys``): the column keys, small and grey."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    for column, title in enumerate(titles, start=1):
        cell = _text_cell(sheet, 1, column, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if keys is None:
        return
    for column, key in enumerate(keys, start=1):
        _text_cell(sheet, KEY_ROW, column, key).font = Font(**_KEY_FONT)
    sheet.cell(KEY_ROW, 1).comment = Comment(i18n.tr("exchange.keys_note", lang), "coopkit", width=300, height=110)


def _text_cell(sheet: Any, row: int, column: int, text: str) -> Any:
    """A cell that holds ``text`` as text: never a formula, an error code or a number."""
    text = _ILLEGAL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    cell = sheet.cell(row, column)
    if not text:
        return cell  # an empty cell, not an empty string cell
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error
    if text.startswith(_FORMULA_START) or text.startswith("#"):
        cell.quotePrefix = True  # and Excel keeps it text when the manager edits the cell
    return cell


def _number_cell(sheet: Any, row: int, column: int, value: object, number_format: str) -> Any:
    cell = sheet.cell(row, column)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)  # numpy numbers
        except (TypeError, ValueError):
            return _text_cell(sheet, row, column, str(value))
    if not math.isfinite(value):
        return cell  # NaN, inf: nothing to show
    cell.value = _significant(float(value))
    cell.number_format = number_format
    return cell


def _finish(sheet: Any, *, freeze: str, skip_rows: int = 0) -> None:
    """Freeze the headers and make each column wide enough for its title and values."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = freeze
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=1 + skip_rows):
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, str):
                width = max((len(line) for line in cell.value.split("\n")), default=0)
            else:
                width = 16  # a grouped number with its currency sign
            widths[cell.column] = max(widths.get(cell.column, 8), width + 2)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width, _MAX_WIDTH)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _check_names(scenarios: list[Scenario]) -> None:
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.name in seen:
            raise InputError("scenario", reason="duplicate_scenario", value=scenario.name)
        seen.add(scenario.name)


def _models_of(scenarios: Iterable[Scenario]) -> list[Model]:
    names = list(dict.fromkeys(s.model for s in scenarios))
    return [get_model(name) for name in names]


def _union(groups: Iterable[Iterable[str]]) -> list[str]:
    return list(dict.fromkeys(key for group in groups for key in group))


def _meta_title(key: str, lang: str) -> str:
    return i18n.tr("exchange.column.name", lang) if key == "name" else fields.label(key, lang)


def _meta_value(scenario: Scenario, key: str) -> str:
    return str(getattr(scenario, key))


def _evaluate(scenario: Scenario, lang: str) -> tuple[Mapping[str, float], str]:
    """The scenario's outputs, or none and the problem in ``lang``."""
    try:
        return evaluate(scenario.model, scenario.inputs), ""
    except InputError as err:
        return {}, err.message(lang)


def _number_format(key: str, value: object) -> str:
    kind = fields.kind(key)
    if kind == "money":
        return MONEY_FORMAT
    if kind == "rate":
        return RATE_FORMAT
    if kind == "count":
        return WHOLE_FORMAT
    number = float(value) if isinstance(value, (int, float)) else math.nan
    if math.isfinite(number) and (number.is_integer() or abs(number) >= 100):
        return WHOLE_FORMAT  # like the apps: no decimals from 100 up (eggs, kilograms)
    return DECIMAL_FORMAT


def _diff_format(key: str, value: float) -> str:
    return _DIFF_FORMATS.get(fields.kind(key), "+#,##0.##;-#,##0.##;0")


def _significant(value: float) -> float:
    """``value`` with Excel's 15 significant digits (so the file reads back exactly)."""
    return float(f"{value:.15g}")


def _csv_number(value: object) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    number = float(value)
    if not math.isfinite(number):
        return ""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temporary file + `os.replace`).

    A file that was there keeps its permissions; a new one is readable by all (``0o644``), so
    that a trainer can share it.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "room.csv"
    >>> write_atomic(target, b"a;b").read_bytes(), oct(target.stat().st_mode & 0o777)
    (b'a;b', '0o644')
    >>> sorted(p.name for p in target.parent.iterdir())
    ['room.csv']
    """
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path
