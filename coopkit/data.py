"""The shipped datasets: product templates with their cost items, and sales channels with their fees.

The CSV files live in ``datasets/`` at the top of the repository (``datasets/README.md`` is
their data dictionary, with a source for every number). A trainer may edit them in a
spreadsheet, so everything read here is checked: columns, numbers, ranges, allowed words,
unique keys, and that each cost row belongs to a product and each fee row to a channel.
Every problem is an `InputError` whose message names the file, the row (as a spreadsheet
numbers it: the header is row 1) and the column, in Vietnamese or in English.

Files (in one folder; ``COOPKIT_DATASETS`` may point to another folder):

``products.csv``
    one product template per row (a season's plan: volume, price, area, raw material).
``product_costs.csv``
    the cost items of each product, one per row.
``channels.csv``
    the sales channels and their names.
``channel_fees.csv``
    dated fee components, one per row; for each channel and component the row with the
    latest ``as_of`` date is in effect, so a fee is updated by appending a row.

Examples
--------
Which product templates can a workshop start from, and what is the egg cooperative's plan?

>>> products = load_products()
>>> list(products)[:3]
['cam_lac_thuy', 'trung_son_nam', 'ca_phe_nhan_son_la']
>>> eggs = products["trung_son_nam"]
>>> eggs.name("vi"), eggs.unit_label("vi"), eggs.unit_label("en")
('Trứng gà Sơn Nam', 'quả', 'egg')
>>> round(eggs.volume_per_season / 365)
3000
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from coopkit import fields, i18n
from coopkit.errors import InputError
from coopkit.i18n import normalize_language

if TYPE_CHECKING:  # imported at run time inside the functions (layers import downward)
    from coopkit.costs import CostItem, CostSummary
    from coopkit.pricing import Channel

__all__ = [
    "DATASETS_DIR",
    "PRODUCTS_FILE",
    "COSTS_FILE",
    "CHANNELS_FILE",
    "FEES_FILE",
    "UNITS",
    "FEE_COMPONENTS",
    "RAW_MATERIAL_KEY",
    "COST_CATEGORIES",
    "PRODUCT_COLUMNS",
    "COST_COLUMNS",
    "CHANNEL_COLUMNS",
    "FEE_COLUMNS",
    "OPTIONAL_COLUMNS",
    "ProductTemplate",
    "Sheet",
    "RowError",
    "dataset_folder",
    "datasets_dir",
    "file_stamp",
    "load_products",
    "load_channels",
    "channel_fee_table",
    "FEE_SCHEDULE_COMPONENTS",
    "FeeSchedule",
    "channel_fee_schedules",
]

#: The repository's ``datasets/`` folder, or the folder named by ``COOPKIT_DATASETS``.
DATASETS_DIR: Path = Path(
    os.environ.get("COOPKIT_DATASETS") or Path(__file__).resolve().parent.parent / "datasets"
)

PRODUCTS_FILE = "products.csv"
COSTS_FILE = "product_costs.csv"
CHANNELS_FILE = "channels.csv"
FEES_FILE = "channel_fees.csv"

#: Sales units a product may be counted in.
UNITS: tuple[str, ...] = ("kg", "egg")
#: Fee components of a channel and the unit each is written in.
FEE_COMPONENTS: dict[str, str] = {
    "commission_rate": "fraction",
    "payment_fee_rate": "fraction",
    "fixed_fee_per_order": "VND",
    "packaging_per_order": "VND",
    "shipping_per_order": "VND",
    "units_per_order": "units",
    "vat_rate": "fraction",
}
_BASES = ("season", "ha", "unit", "batch")
_KINDS = ("fixed", "variable")
_FEE_UNITS = ("fraction", "VND", "units")
#: Key of the raw-material item that `ProductTemplate.all_cost_items` adds; not allowed in the file.
RAW_MATERIAL_KEY = "raw_material"
#: What a cost item is (column ``category`` of ``product_costs.csv``): bought goods and services
#: (inputs, fuel, packaging, rent, fees), labour (wages and allowances), depreciation (a cost
#: but not a payment) or interest. The raw material bought from members, which
#: `ProductTemplate.all_cost_items` adds, is category ``raw_material`` (not allowed in the file).
COST_CATEGORIES: tuple[str, ...] = ("purchase", "labour", "depreciation", "interest")

PRODUCT_COLUMNS = (
    "key", "name_vi", "name_en", "province", "unit", "unit_vi", "unit_en", "season_months",
    "volume_per_season", "price_per_unit", "area_ha", "units_per_batch", "raw_material_vi",
    "raw_material_en", "raw_price_per_unit", "conversion_ratio", "loss_rate",
    "source_volume", "source_price", "source_raw",
)
COST_COLUMNS = ("product", "key", "name_vi", "name_en", "amount", "basis", "kind", "category", "source")
CHANNEL_COLUMNS = ("channel", "name_vi", "name_en", "description_vi", "description_en")
FEE_COLUMNS = ("channel", "component", "value", "unit", "as_of", "source")
#: Columns that may be left empty (everything else must be filled in), unless a `Sheet` is given others.
OPTIONAL_COLUMNS: frozenset[str] = frozenset(
    {"raw_material_vi", "raw_material_en", "name_en", "description_vi", "description_en"}
)

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# ---------------------------------------------------------------------------------------------
# The product template


@dataclass(frozen=True)
class ProductTemplate:
    """One product's season plan, as shipped in ``datasets/products.csv``.

    Attributes
    ----------
    key
        Short code (``"cam_lac_thuy"``).
    name_vi, name_en
        The product's name.
    province
        Where the cooperative is, as the reports name it.
    unit, unit_vi, unit_en
        The sales unit (``"kg"`` or ``"egg"``) and how to write it in each language.
    season_months
        Length of the planning season in months (12 for a year, 4 for one melon crop).
    volume_per_season
        Units sold in the season (after losses).
    price_per_unit
        VND per unit: the typical selling price at the farm gate or to traders.
    area_ha
        Hectares farmed (0 when the product is not land-based).
    units_per_batch
        Units in one batch (a drying run, a truckload, a day's eggs).
    raw_material_vi, raw_material_en
        What is bought and processed (empty when nothing is).
    raw_price_per_unit
        VND per raw unit (0 when nothing is bought).
    conversion_ratio
        Raw units per finished unit (1 when nothing is bought).
    loss_rate
        Share of the finished product lost after processing (a fraction below 1).
    source_volume, source_price, source_raw
        Where the volume (and area, batch), the price and the raw-material figures come from.
    cost_items
        The season's cost items (raw material not included: see `all_cost_items`).
    cost_categories
        ``(key, category)`` of each cost item (`COST_CATEGORIES`), from the file's ``category``
        column: see `cost_category`.
    """

    key: str
    name_vi: str
    name_en: str
    province: str
    unit: Literal["kg", "egg"]
    unit_vi: str
    unit_en: str
    season_months: int
    volume_per_season: float
    price_per_unit: float
    area_ha: float
    units_per_batch: float
    raw_material_vi: str
    raw_material_en: str
    raw_price_per_unit: float
    conversion_ratio: float
    loss_rate: float
    source_volume: str
    source_price: str
    source_raw: str
    cost_items: tuple[CostItem, ...] = ()
    cost_categories: tuple[tuple[str, str], ...] = ()

    def name(self, lang: str | None = None) -> str:
        """The product's name in ``lang`` (``"vi"`` or ``"en"``)."""
        return _pick(self.name_vi, self.name_en, lang)

    def unit_label(self, lang: str | None = None) -> str:
        """The sales unit as a manager writes it in ``lang`` (``"quả"``, ``"egg"``, ``"kg"``)."""
        return _pick(self.unit_vi, self.unit_en, lang)

    def raw_material(self, lang: str | None = None) -> str:
        """What is bought and processed, in ``lang``; empty when nothing is."""
        return _pick(self.raw_material_vi, self.raw_material_en, lang)

    @property
    def source(self) -> str:
        """All the row's sources in one text (volume, price, raw material)."""
        return f"volume: {self.source_volume}; price: {self.source_price}; raw material: {self.source_raw}"

    def cost_category(self, key: str) -> str:
        """What cost item ``key`` is: one of `COST_CATEGORIES` as the file says, ``raw_material``
        for the item `all_cost_items` adds, ``purchase`` for an item the file does not list.

        >>> coffee = load_products()["ca_phe_nhan_son_la"]
        >>> [coffee.cost_category(key) for key in ("cong_so_che", "khau_hao_xat", "lai_vay", "bao_bi")]
        ['labour', 'depreciation', 'interest', 'purchase']
        >>> coffee.cost_category(RAW_MATERIAL_KEY)
        'raw_material'
        """
        if key == RAW_MATERIAL_KEY:
            return "raw_material"
        return dict(self.cost_categories).get(key, "purchase")

    @property
    def has_raw_material(self) -> bool:
        """Whether the cooperative buys a raw material to process."""
        return self.raw_price_per_unit > 0

    def raw_material_cost_per_unit(self) -> float:
        """VND of raw material in one finished unit: ``raw price × ratio / (1 − loss)``.

        >>> coffee = load_products()["ca_phe_nhan_son_la"]
        >>> round(coffee.raw_material_cost_per_unit())
        90625
        """
        from coopkit.costs import raw_material_cost_per_unit

        return raw_material_cost_per_unit(self.raw_price_per_unit, self.conversion_ratio, self.loss_rate)

    def all_cost_items(self) -> tuple[CostItem, ...]:
        """The cost items plus, for a processed product, the raw material as a per-unit item."""
        if not self.has_raw_material:
            return self.cost_items
        from coopkit.costs import CostItem

        raw = CostItem(
            RAW_MATERIAL_KEY,
            i18n.tr("cost.raw_material", "vi", material=self.raw_material("vi")),
            i18n.tr("cost.raw_material", "en", material=self.raw_material("en")),
            self.raw_material_cost_per_unit(),
            "unit",
            "variable",
        )
        return (*self.cost_items, raw)

    def cost_summary(self, volume: float | None = None) -> CostSummary:
        """Fixed costs and variable cost per unit (raw material included) for ``volume`` units.

        Parameters
        ----------
        volume
            Units sold; default: the planned ``volume_per_season``.

        Examples
        --------
        What does a kilogram of Lạc Thủy oranges cost in the shipped plan?

        >>> plan = load_products()["cam_lac_thuy"].cost_summary()
        >>> round(plan.fixed_costs / 1e6), round(plan.variable_cost_per_unit), round(plan.unit_cost)
        (539, 10100, 13469)
        """
        from coopkit.costs import cost_summary

        return cost_summary(
            self.all_cost_items(),
            self.volume_per_season if volume is None else volume,
            area_ha=self.area_ha,
            units_per_batch=self.units_per_batch,
        )


def _pick(vi: str, en: str, lang: str | None) -> str:
    """The English text for ``"en"`` when there is one, otherwise the Vietnamese."""
    return en if normalize_language(lang) == "en" and en.strip() else vi


# ---------------------------------------------------------------------------------------------
# The reader every loader uses (here, and in `members`, `investment`, `reference`)


class RowError(InputError):
    """An `InputError` of a domain object built from a file row, raised again naming the file
    and the row; the inner message is rendered in the same language as the outer one.

    Parameters
    ----------
    inner
        The error the domain object raised (a negative price, a life of zero years…).
    column
        The column of the file that holds the bad value.
    **params
        ``file`` and ``row`` (as a spreadsheet numbers it), and anything else the message names.

    Examples
    --------
    A trainer typed a negative salvage value on row 4 of ``equipment.csv``:

    >>> inner = InputError("salvage_value", reason="negative", value=-5)
    >>> err = RowError(inner, "salvage_value", file="equipment.csv", row=4)
    >>> err.field, err.params["row"], err.inner is inner
    ('salvage_value', 4, True)
    >>> "equipment.csv" in err.message("en") and inner.message("en") in err.message("en")
    True
    """

    def __init__(self, inner: InputError, column: str, **params: Any) -> None:
        super().__init__(column, reason="data_invalid_row", value=inner.value, column=column, **params)
        self.inner = inner

    def message(self, lang: str | None = None) -> str:
        values = {name: fields.format_value(name, v, lang) for name, v in self.params.items()}
        return i18n.tr(
            f"error.{self.reason}",
            lang,
            field=fields.label(self.field, lang),
            value=fields.format_value(self.field, self.value, lang),
            detail=self.inner.message(lang),
            **values,
        )


class Sheet:
    """A CSV file of a datasets folder read as text, with its spreadsheet row numbers and typed
    accessors that raise an `InputError` naming the file, the row and the column.

    Parameters
    ----------
    folder
        The folder holding the file (`dataset_folder` gives the default one).
    name
        The file name (``"products.csv"``).
    columns
        The columns the file must have (others are kept and ignored).
    optional
        Columns whose cells may be left empty; every other listed cell must be filled in.

    Attributes
    ----------
    rows
        The non-blank rows as a DataFrame of stripped text, indexed by spreadsheet row number
        (the header is row 1, so the first data row is row 2).

    Examples
    --------
    What does the egg cooperative's row of ``products.csv`` say?

    >>> sheet = Sheet(datasets_dir(), PRODUCTS_FILE, PRODUCT_COLUMNS)
    >>> row = next(r for r in sheet.rows.index if sheet.text(r, "key") == "trung_son_nam")
    >>> sheet.choice(row, "unit", UNITS), sheet.number(row, "season_months", "count")
    ('egg', 12.0)

    A file that is not there is bad input naming it:

    >>> try:
    ...     Sheet(datasets_dir(), "no_such.csv", ("key",))
    ... except InputError as err:
    ...     print(err.reason, err.params["file"])
    data_missing_file no_such.csv
    """

    def __init__(
        self,
        folder: Path,
        name: str,
        columns: tuple[str, ...],
        optional: Collection[str] = OPTIONAL_COLUMNS,
    ) -> None:
        self.name = name
        self.optional = frozenset(optional)
        path = Path(folder) / name
        if not path.is_file():
            raise InputError("file", reason="data_missing_file", value=name, file=name, folder=str(folder))
        try:
            table = pd.read_csv(
                path, dtype=str, keep_default_na=False, na_filter=False,
                skip_blank_lines=False, encoding="utf-8-sig",
            )
        except UnicodeDecodeError as err:
            raise InputError("file", reason="data_not_utf8", value=name, file=name) from err
        except pd.errors.EmptyDataError as err:
            raise InputError("file", reason="data_empty_file", value=name, file=name) from err
        except pd.errors.ParserError as err:
            line = re.search(r"line (\d+)", str(err))
            if line:
                raise InputError(
                    "file", reason="data_bad_row_shape", value=name, file=name, row=int(line.group(1))
                ) from err
            raise InputError("file", reason="data_unreadable", value=name, file=name) from err
        table.columns = [str(c).strip() for c in table.columns]
        for column in columns:
            if column not in table.columns:
                raise InputError(column, reason="data_missing_column", value=column, column=column, file=name, row=1)
        table = table.fillna("").astype(str).apply(lambda col: col.str.strip())
        # Spreadsheet row numbers: the header is row 1; blank lines keep their number.
        table.index = range(2, len(table) + 2)
        self.rows = table[(table[list(columns)] != "").any(axis=1)]
        if self.rows.empty:
            raise InputError("file", reason="data_empty_file", value=name, file=name)

    def error(self, row: int, column: str, reason: str, value: str, **params: Any) -> InputError:
        """The `InputError` for the cell at ``row`` and ``column`` (to raise)."""
        return InputError(column, reason=reason, value=value, column=column, file=self.name, row=row, **params)

    def text(self, row: int, column: str) -> str:
        """The cell as text; an empty cell is bad input unless its column is optional."""
        value = self.rows.at[row, column]
        if not value and column not in self.optional:
            raise self.error(row, column, "data_empty_cell", value)
        return value

    def choice(self, row: int, column: str, allowed: tuple[str, ...]) -> str:
        """The cell, which must be one of the ``allowed`` words."""
        value = self.text(row, column)
        if value not in allowed:
            raise self.error(row, column, "data_unknown_value", value, allowed=", ".join(allowed))
        return value

    def number(self, row: int, column: str, check: str = "nonnegative") -> float:
        """The cell as a number; ``check`` is ``nonnegative``, ``positive``, ``fraction`` or ``count``."""
        text = self.text(row, column)
        if not _NUMBER.fullmatch(text):
            raise self.error(row, column, "data_not_a_number", text)
        number = float(text)
        if not math.isfinite(number):
            raise self.error(row, column, "data_not_a_number", text)
        if check == "positive" and number <= 0:
            raise self.error(row, column, "data_not_positive", text)
        if check == "fraction" and not 0 <= number < 1:
            raise self.error(row, column, "data_not_a_fraction", text)
        if check == "count":
            if number != int(number):
                raise self.error(row, column, "data_not_whole_number", text)
            if number < 1:
                raise self.error(row, column, "data_below_minimum", text, minimum=1)
        if number < 0:
            raise self.error(row, column, "data_negative", text)
        return number

    def date(self, row: int, column: str) -> date:
        """The cell as a calendar day written ``YYYY-MM-DD``."""
        text = self.text(row, column)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError as err:
            raise self.error(row, column, "data_bad_date", text) from err

    def unique(self, seen: dict[Any, int], key: Any, row: int, column: str, shown: str) -> None:
        """Record ``key`` of ``row`` in ``seen``; a key seen on an earlier row is bad input."""
        if key in seen:
            raise self.error(row, column, "data_duplicate_key", shown, first_row=seen[key])
        seen[key] = row


def dataset_folder(path: str | os.PathLike[str] | None = None) -> Path:
    """The datasets folder to read: ``path`` when given, else `datasets_dir()`.

    >>> dataset_folder() == datasets_dir()
    True
    >>> dataset_folder("/tmp/workshop/../workshop").as_posix()
    '/tmp/workshop'
    """
    if path is not None:
        return Path(path).expanduser().resolve()
    return datasets_dir()


def datasets_dir() -> Path:
    """The folder the loaders read by default (``COOPKIT_DATASETS`` when it is set now).

    >>> (datasets_dir() / PRODUCTS_FILE).is_file()
    True
    """
    env = os.environ.get("COOPKIT_DATASETS")
    return Path(env).expanduser().resolve() if env else DATASETS_DIR.resolve()


def file_stamp(folder: Path, names: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Modification time and size of each file, so that a loader's cache reads an edited file
    again (pass the stamp to the cached function with the folder). A missing file is
    ``(name, -1, -1)``.

    >>> stamp = file_stamp(datasets_dir(), (PRODUCTS_FILE, "no_such.csv"))
    >>> stamp[0][0], stamp[0][2] > 0, stamp[1]
    ('products.csv', True, ('no_such.csv', -1, -1))
    """
    stamp = []
    for name in names:
        try:
            st = (Path(folder) / name).stat()
            stamp.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((name, -1, -1))
    return tuple(stamp)


# ---------------------------------------------------------------------------------------------
# Products


def load_products(path: str | os.PathLike[str] | None = None) -> dict[str, ProductTemplate]:
    """The product templates, in the order of ``products.csv``, each with its cost items.

    Parameters
    ----------
    path
        Folder holding ``products.csv`` and ``product_costs.csv``; default `datasets_dir()`.

    Returns
    -------
    dict
        ``{key: ProductTemplate}``. Files are read once per folder and again when edited.

    Raises
    ------
    InputError
        A reason starting ``data_`` and the file, row and column that are wrong.

    Examples
    --------
    Is the Sơn La coffee plan above its break-even volume?

    >>> coffee = load_products()["ca_phe_nhan_son_la"]
    >>> plan = coffee.cost_summary()
    >>> break_even = plan.fixed_costs / (coffee.price_per_unit - plan.variable_cost_per_unit)
    >>> coffee.volume_per_season > break_even
    True
    """
    folder = dataset_folder(path)
    return dict(_products_cached(str(folder), file_stamp(folder, (PRODUCTS_FILE, COSTS_FILE))))


@lru_cache(maxsize=32)
def _products_cached(folder: str, stamp: tuple) -> dict[str, ProductTemplate]:
    from coopkit.costs import CostItem

    sheet = Sheet(Path(folder), PRODUCTS_FILE, PRODUCT_COLUMNS)
    rows: dict[str, int] = {}
    values: dict[str, dict[str, Any]] = {}
    for row in sheet.rows.index:
        key = sheet.text(row, "key")
        sheet.unique(rows, key, row, "key", key)
        values[key] = {
            "key": key,
            "name_vi": sheet.text(row, "name_vi"),
            "name_en": sheet.text(row, "name_en"),
            "province": sheet.text(row, "province"),
            "unit": sheet.choice(row, "unit", UNITS),
            "unit_vi": sheet.text(row, "unit_vi"),
            "unit_en": sheet.text(row, "unit_en"),
            "season_months": int(sheet.number(row, "season_months", "count")),
            "volume_per_season": sheet.number(row, "volume_per_season", "positive"),
            "price_per_unit": sheet.number(row, "price_per_unit", "positive"),
            "area_ha": sheet.number(row, "area_ha"),
            "units_per_batch": sheet.number(row, "units_per_batch", "positive"),
            "raw_material_vi": sheet.text(row, "raw_material_vi"),
            "raw_material_en": sheet.text(row, "raw_material_en"),
            "raw_price_per_unit": sheet.number(row, "raw_price_per_unit"),
            "conversion_ratio": sheet.number(row, "conversion_ratio", "positive"),
            "loss_rate": sheet.number(row, "loss_rate", "fraction"),
            "source_volume": sheet.text(row, "source_volume"),
            "source_price": sheet.text(row, "source_price"),
            "source_raw": sheet.text(row, "source_raw"),
        }

    costs = Sheet(Path(folder), COSTS_FILE, COST_COLUMNS)
    items: dict[str, list[CostItem]] = {key: [] for key in values}
    categories: dict[str, list[tuple[str, str]]] = {key: [] for key in values}
    seen: dict[tuple[str, str], int] = {}
    for row in costs.rows.index:
        product = costs.text(row, "product")
        if product not in values:
            raise costs.error(row, "product", "data_unknown_product", product, products_file=PRODUCTS_FILE)
        key = costs.text(row, "key")
        if key == RAW_MATERIAL_KEY:
            raise costs.error(row, "key", "data_reserved_key", key)
        costs.unique(seen, (product, key), row, "key", f"{product} / {key}")
        item = {
            "key": key,
            "name_vi": costs.text(row, "name_vi"),
            "name_en": costs.text(row, "name_en"),
            "amount": costs.number(row, "amount"),
            "basis": costs.choice(row, "basis", _BASES),
            "kind": costs.choice(row, "kind", _KINDS),
        }
        category = costs.choice(row, "category", COST_CATEGORIES)
        costs.text(row, "source")
        try:
            items[product].append(CostItem(**item))
            categories[product].append((key, category))
        except InputError as err:
            column = {"cost_kind": "kind", "cost_basis": "basis", "cost_item": "key"}.get(err.field, err.field)
            raise RowError(err, column if column in COST_COLUMNS else "key", file=COSTS_FILE, row=row) from err

    for key, row in rows.items():
        if not items[key]:
            raise sheet.error(row, "key", "data_no_cost_items", key, costs_file=COSTS_FILE)
    return {
        key: ProductTemplate(**values[key], cost_items=tuple(items[key]), cost_categories=tuple(categories[key]))
        for key in values
    }


# ---------------------------------------------------------------------------------------------
# Channels


@dataclass(frozen=True)
class _Fee:
    row: int
    channel: str
    component: str
    value: float
    unit: str
    as_of: date
    source: str


@lru_cache(maxsize=32)
def _channels_cached(folder: str, stamp: tuple) -> tuple[dict[str, tuple[str, str, int]], tuple[_Fee, ...]]:
    """Channel names ``{key: (name_vi, name_en, row)}`` and the checked fee rows."""
    sheet = Sheet(Path(folder), CHANNELS_FILE, CHANNEL_COLUMNS)
    names: dict[str, tuple[str, str, int]] = {}
    rows: dict[str, int] = {}
    for row in sheet.rows.index:
        key = sheet.text(row, "channel")
        sheet.unique(rows, key, row, "channel", key)
        names[key] = (sheet.text(row, "name_vi"), sheet.text(row, "name_en"), row)

    fees = Sheet(Path(folder), FEES_FILE, FEE_COLUMNS)
    seen: dict[tuple[str, str, date], int] = {}
    result = []
    for row in fees.rows.index:
        channel = fees.text(row, "channel")
        if channel not in names:
            raise fees.error(row, "channel", "data_unknown_channel", channel, channels_file=CHANNELS_FILE)
        component = fees.choice(row, "component", tuple(FEE_COMPONENTS))
        unit = fees.choice(row, "unit", _FEE_UNITS)
        expected = FEE_COMPONENTS[component]
        if unit != expected:
            raise fees.error(row, "unit", "data_wrong_unit", unit, expected=expected, component=component)
        check = {"fraction": "fraction", "VND": "nonnegative", "units": "count"}[expected]
        value = fees.number(row, "value", check)
        as_of = fees.date(row, "as_of")
        fees.unique(seen, (channel, component, as_of), row, "as_of", f"{channel} / {component} / {as_of.isoformat()}")
        source = fees.text(row, "source")
        result.append(_Fee(row, channel, component, value, unit, as_of, source))
    return names, tuple(result)


def _in_effect(fees: tuple[_Fee, ...], on: date | None) -> dict[tuple[str, str], _Fee]:
    """For each channel and component, the latest row dated on or before ``on``."""
    latest: dict[tuple[str, str], _Fee] = {}
    for fee in fees:
        if on is not None and fee.as_of > on:
            continue
        current = latest.get((fee.channel, fee.component))
        if current is None or fee.as_of > current.as_of:
            latest[(fee.channel, fee.component)] = fee
    return latest


def _as_date(on: date | str | None) -> date | None:
    if on is None or isinstance(on, date):
        return on
    try:
        return date.fromisoformat(str(on))
    except ValueError as err:
        raise InputError("as_of", reason="data_bad_date_text", value=str(on)) from err


def load_channels(
    path: str | os.PathLike[str] | None = None, on: date | str | None = None
) -> dict[str, Channel]:
    """The sales channels with the fees in effect, in the order of ``channels.csv``.

    Parameters
    ----------
    path
        Folder holding ``channels.csv`` and ``channel_fees.csv``; default `datasets_dir()`.
    on
        Use the fees in effect on this date (``"2025-06-30"``); default: the latest rows.

    Returns
    -------
    dict
        ``{key: Channel}``. A component without any row keeps the `Channel` default
        (0, or 1 unit per order).

    Examples
    --------
    A trainer's point: on an online marketplace a fixed fee per order weighs heavily on a
    cheap item sent one per order.

    >>> shopee = load_channels()["shopee"]
    >>> shopee.name("vi"), shopee.commission_rate, shopee.units_per_order
    ('Shopee', 0.1, 1.0)
    >>> shopee.fixed_fee_per_order + shopee.packaging_per_order
    9000.0
    >>> load_channels(on="2025-03-31")["shopee"].commission_rate
    0.04
    """
    from coopkit.pricing import Channel

    folder = dataset_folder(path)
    names, fees = _channels_cached(str(folder), file_stamp(folder, (CHANNELS_FILE, FEES_FILE)))
    latest = _in_effect(fees, _as_date(on))
    channels: dict[str, Channel] = {}
    for key, (name_vi, name_en, row) in names.items():
        chosen = {comp: fee for (ch, comp), fee in latest.items() if ch == key}
        try:
            channels[key] = Channel(key, name_vi, name_en, **{comp: fee.value for comp, fee in chosen.items()})
        except InputError as err:
            fee = chosen.get(err.field)
            if fee is None:
                raise RowError(err, "channel", file=CHANNELS_FILE, row=row) from err
            raise RowError(err, "value", file=FEES_FILE, row=fee.row) from err
    return channels


def channel_fee_table(path: str | os.PathLike[str] | None = None, on: date | str | None = None) -> pd.DataFrame:
    """The dated fee rows as written in ``channel_fees.csv``, for display.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (spreadsheet row), ``channel, component, value`` (a number),
        ``unit, as_of`` (a date), ``source`` and ``in_effect`` (whether `load_channels`
        uses this row).

    Examples
    --------
    >>> table = channel_fee_table()
    >>> shopee = table[(table.channel == "shopee") & (table.component == "commission_rate")]
    >>> shopee[["value", "in_effect"]].values.tolist()
    [[0.04, False], [0.1, True]]
    """
    folder = dataset_folder(path)
    _names, fees = _channels_cached(str(folder), file_stamp(folder, (CHANNELS_FILE, FEES_FILE)))
    effective = {fee.row for fee in _in_effect(fees, _as_date(on)).values()}
    return pd.DataFrame(
        {
            "row": [f.row for f in fees],
            "channel": [f.channel for f in fees],
            "component": [f.component for f in fees],
            "value": [f.value for f in fees],
            "unit": [f.unit for f in fees],
            "as_of": pd.to_datetime([f.as_of for f in fees]),
            "source": [f.source for f in fees],
            "in_effect": [f.row in effective for f in fees],
        }
    )


#: The components that are the channel's own charges (not the cooperative's packaging, delivery
#: or VAT): their ``as_of`` dates are the date of the fee schedule a channel is built from.
FEE_SCHEDULE_COMPONENTS: tuple[str, ...] = ("commission_rate", "payment_fee_rate", "fixed_fee_per_order")


@dataclass(frozen=True)
class FeeSchedule:
    """Which fees a channel is built from: their date and whether they were published.

    Attributes
    ----------
    channel
        The channel's code.
    as_of
        The newest ``as_of`` among the channel's rows in effect for `FEE_SCHEDULE_COMPONENTS`
        (``None`` when the file has none).
    status
        ``"published"`` when at least one of those rows cites what a platform or the press
        published (its source does not call it an assumption), ``"assumption"`` when every
        one is an assumption, ``"no_fees"`` when the channel charges nothing.
    """

    channel: str
    as_of: date | None
    status: Literal["published", "assumption", "no_fees"]


def _is_assumption(source: str) -> bool:
    text = source.lower()
    return "assumption" in text or "giả định" in text


def channel_fee_schedules(
    path: str | os.PathLike[str] | None = None, on: date | str | None = None
) -> dict[str, FeeSchedule]:
    """For each channel of `load_channels`, the date of the fees it uses and where they come from.

    Parameters
    ----------
    path, on
        As for `load_channels` (the same rows are in effect).

    Returns
    -------
    dict
        ``{key: FeeSchedule}`` in the order of ``channels.csv``.

    Examples
    --------
    Which fee schedule does the Shopee channel use, and is the farm gate charged anything?

    >>> schedules = channel_fee_schedules()
    >>> schedules["shopee"].as_of, schedules["shopee"].status
    (datetime.date(2025, 7, 1), 'published')
    >>> schedules["farm_gate"].status
    'no_fees'
    >>> channel_fee_schedules(on="2025-06-30")["shopee"].as_of
    datetime.date(2025, 4, 1)
    """
    folder = dataset_folder(path)
    names, fees = _channels_cached(str(folder), file_stamp(folder, (CHANNELS_FILE, FEES_FILE)))
    latest = _in_effect(fees, _as_date(on))
    schedules: dict[str, FeeSchedule] = {}
    for key in names:
        rows = [latest[(key, comp)] for comp in FEE_SCHEDULE_COMPONENTS if (key, comp) in latest]
        as_of = max((fee.as_of for fee in rows), default=None)
        if all(fee.value == 0 for fee in rows):
            status = "no_fees"
        elif any(not _is_assumption(fee.source) for fee in rows):
            status = "published"
        else:
            status = "assumption"
        schedules[key] = FeeSchedule(key, as_of, status)
    return schedules
