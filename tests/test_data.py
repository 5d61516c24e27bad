"""Tests for coopkit.data: the shipped datasets load and make sense, broken files are named.

Kinds: worked checks on the shipped data (hand arithmetic against coopkit.costs), edge cases
(one broken cell per case, blank lines, a byte-order mark), and regressions named after what
they guard (the latest dated fee row wins, an edited file is read again).
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from coopkit import data, i18n
from coopkit.costs import cost_summary
from coopkit.data import (
    CHANNELS_FILE,
    COSTS_FILE,
    DATASETS_DIR,
    FEES_FILE,
    PRODUCTS_FILE,
    ProductTemplate,
    channel_fee_table,
    load_channels,
    load_products,
)
from coopkit.errors import InputError
from coopkit.pricing import Channel, channel_result

TEMPLATES = (
    "cam_lac_thuy",
    "trung_son_nam",
    "ca_phe_nhan_son_la",
    "ca_phe_honey_son_la",
    "dua_muoi_phu_tho",
    "bi_xanh_dien_bien",
    "mat_ong",
    "che_shan_tuyet",
)
CHANNELS = ("farm_gate", "trader", "supermarket", "postmart", "shopee", "lazada", "tiktok_shop", "fanpage_zalo")
FILES = (PRODUCTS_FILE, COSTS_FILE, CHANNELS_FILE, FEES_FILE)


# --------------------------------------------------------------------------------------------
# helpers


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped datasets that a test may break."""
    for name in FILES:
        shutil.copy(DATASETS_DIR / name, tmp_path / name)
    return tmp_path


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(path: Path, sheet_row: int, column: str, value: str) -> None:
    """Write ``value`` in the cell a spreadsheet shows at ``sheet_row`` (header = row 1)."""
    rows = read_rows(path)
    rows[sheet_row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def sheet_row_of(path: Path, **match: str) -> int:
    """The spreadsheet row number of the first data row whose cells equal ``match``."""
    rows = read_rows(path)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return number
    raise LookupError(match)


def assert_names_cell(err: InputError, file: str, row: int, column: str, reason: str) -> None:
    """The error names the file, the row and the column, and reads well in both languages."""
    assert err.reason == reason, (err.reason, err.messages)
    assert err.reason.startswith("data_")
    assert err.field == column
    assert err.params["file"] == file
    assert err.params["row"] == row
    for lang in i18n.LANGUAGES:
        assert i18n.has(f"error.{reason}", lang), f"error.{reason} missing in {lang}"
        text = err.message(lang)
        assert "{" not in text and "}" not in text, text
        assert file in text and str(row) in text and column in text, text


def hand_variable_cost_per_unit(product: ProductTemplate) -> float:
    """Variable cost per unit worked out by hand from the cost items and the raw material."""
    volume = product.volume_per_season
    total = 0.0
    for item in product.cost_items:
        if item.kind != "variable":
            continue
        total += {
            "unit": item.amount * volume,
            "ha": item.amount * product.area_ha,
            "batch": item.amount * volume / product.units_per_batch,
            "season": item.amount,
        }[item.basis]
    raw = product.raw_price_per_unit * product.conversion_ratio / (1 - product.loss_rate)
    return total / volume + raw


def hand_fixed_costs(product: ProductTemplate) -> float:
    return sum(
        item.amount * (product.area_ha if item.basis == "ha" else 1.0)
        for item in product.cost_items
        if item.kind == "fixed"
    )


# --------------------------------------------------------------------------------------------
# the shipped data


def test_shipped_products_hold_the_workshop_templates():
    products = load_products()
    assert set(TEMPLATES) <= set(products)
    assert list(products)[:2] == ["cam_lac_thuy", "trung_son_nam"]  # ordered as in the CSV
    for key, product in products.items():
        assert product.key == key
        assert product.unit in data.UNITS
        assert product.cost_items, key
        for lang in i18n.LANGUAGES:
            assert product.name(lang) and product.unit_label(lang)
        assert product.has_raw_material == bool(product.raw_material("vi"))
        assert product.has_raw_material == bool(product.raw_material("en"))
        if not product.has_raw_material:
            assert product.conversion_ratio == 1 and product.loss_rate == 0


def test_names_and_units_in_both_languages():
    eggs = load_products()["trung_son_nam"]
    assert (eggs.name("vi"), eggs.name("en")) == ("Trứng gà Sơn Nam", "Sơn Nam eggs")
    assert (eggs.unit, eggs.unit_label("vi"), eggs.unit_label("en-GB")) == ("egg", "quả", "egg")
    coffee = load_products()["ca_phe_nhan_son_la"]
    assert coffee.raw_material("vi").startswith("quả cà phê tươi")
    assert coffee.raw_material("en").startswith("fresh")


@pytest.mark.parametrize("key", TEMPLATES)
def test_each_template_sells_above_variable_cost_and_above_break_even(key):
    product = load_products()[key]
    variable = hand_variable_cost_per_unit(product)
    fixed = hand_fixed_costs(product)
    # the hand arithmetic is what coopkit.costs computes
    summary = product.cost_summary()
    assert summary.variable_cost_per_unit == pytest.approx(variable)
    assert summary.fixed_costs == pytest.approx(fixed)
    items_only = cost_summary(product.cost_items, product.volume_per_season, product.area_ha, product.units_per_batch)
    assert items_only.variable_cost_per_unit + product.raw_material_cost_per_unit() == pytest.approx(variable)

    assert product.price_per_unit > variable
    break_even = fixed / (product.price_per_unit - variable)
    margin_of_safety = (product.volume_per_season - break_even) / product.volume_per_season
    assert 0.10 <= margin_of_safety <= 0.50, (key, break_even, margin_of_safety)


def test_son_nam_eggs_match_5000_hens_and_3000_eggs_a_day():
    eggs = load_products()["trung_son_nam"]
    days = eggs.season_months * 365 / 12
    assert eggs.volume_per_season / days == pytest.approx(3_000, rel=0.02)
    assert "5,000 hens" in eggs.source_volume and "3,000 eggs a day" in eggs.source_volume
    assert eggs.area_ha == 0 and not eggs.has_raw_material
    # a laying rate of about 60 % (3 000 eggs from 5 000 hens) and a price of a few thousand đồng
    assert 0.5 <= 3_000 / 5_000 <= 0.9
    assert 1_500 <= eggs.price_per_unit <= 5_000
    feed = next(item for item in eggs.cost_items if item.key == "thuc_an")
    assert feed.basis == "unit" and feed.kind == "variable" and feed.amount < eggs.price_per_unit


def test_son_la_coffee_lines_add_up_to_the_reported_40_tonnes():
    products = load_products()
    total = products["ca_phe_nhan_son_la"].volume_per_season + products["ca_phe_honey_son_la"].volume_per_season
    assert total == 40_000
    for key in ("ca_phe_nhan_son_la", "ca_phe_honey_son_la"):
        coffee = products[key]
        assert 4.5 <= coffee.conversion_ratio <= 6.5  # kg of fresh cherry per kg of green bean
        assert "Pink Sheet" in coffee.source_price


def test_shipped_channels_load_with_the_latest_fees():
    channels = load_channels()
    assert list(channels) == list(CHANNELS)
    assert all(isinstance(c, Channel) for c in channels.values())
    assert channels["farm_gate"].name("vi") == "Bán tại vườn"
    assert channels["trader"].name("vi").startswith("Thương lái")
    assert channels["shopee"].commission_rate == 0.10  # the category fee of 1 Apr 2025, not the earlier 4 %
    assert load_channels(on="2025-03-31")["shopee"].commission_rate == 0.04
    assert load_channels(on=date(2025, 4, 1))["shopee"].commission_rate == 0.10


def test_fixed_fee_per_order_eats_a_cheap_item_sold_one_per_order():
    """The trainer's point: per-order costs are a large share of a cheap unit sent alone."""
    channels = load_channels()
    products = load_products()
    shopee = channels["shopee"]
    assert shopee.units_per_order == 1 and shopee.fixed_fee_per_order > 0
    cheap = products["dua_muoi_phu_tho"].price_per_unit  # a 1 kg jar of pickles
    dear = products["mat_ong"].price_per_unit  # a kilo of honey
    cheap_share = channel_result(shopee, list_price=cheap).per_order_costs_per_unit / cheap
    dear_share = channel_result(shopee, list_price=dear).per_order_costs_per_unit / dear
    assert cheap_share > 0.2 > 0.05 > dear_share
    # the same jar in a family order of 3 on the fanpage spreads its per-order costs
    fanpage = channels["fanpage_zalo"]
    assert fanpage.units_per_order > 1


def test_every_number_in_the_csvs_has_a_source():
    markers = ("assumption", "reported", "FAOSTAT", "World Bank", "Pink Sheet", "Law", "no raw material", "no fee")
    products = pd.read_csv(DATASETS_DIR / PRODUCTS_FILE, dtype=str, keep_default_na=False)
    for column in ("source_volume", "source_price", "source_raw"):
        for text in products[column]:
            assert text.strip() and any(m in text for m in markers), (column, text)
    for name in (COSTS_FILE, FEES_FILE):
        table = pd.read_csv(DATASETS_DIR / name, dtype=str, keep_default_na=False)
        assert len(table) > 0
        for text in table["source"]:
            assert text.strip() and any(m in text for m in markers), (name, text)
    # a fee row either says it is an assumption or names where it was published, with a date
    fees = pd.read_csv(DATASETS_DIR / FEES_FILE, dtype=str, keep_default_na=False)
    for text in fees["source"]:
        assert "assumption" in text or ("https://" in text and re.search(r"20\d\d", text)), text


def test_marketplace_fees_are_the_dated_2025_26_ones():
    """Issue 10, today's platform fees: the apps use what Shopee and TikTok Shop published in 2025."""
    channels = load_channels()
    shopee, tiktok = channels["shopee"], channels["tiktok_shop"]
    # Shopee: food-category fixed fee (a % commission) 10 %, payment fee 5 %, infrastructure fee 3 000 ₫ an order
    assert (shopee.commission_rate, shopee.payment_fee_rate, shopee.fixed_fee_per_order) == (0.10, 0.05, 3_000)
    # TikTok Shop: commission 10 % (SPF folded in), transaction fee 5 %, order-processing fee 3 000 ₫
    assert (tiktok.commission_rate, tiktok.payment_fee_rate, tiktok.fixed_fee_per_order) == (0.10, 0.05, 3_000)
    # the history stays: no per-order fee before 1 Jul 2025 (Shopee) and 27 Oct 2025 (TikTok Shop)
    assert load_channels(on="2025-06-30")["shopee"].fixed_fee_per_order == 0
    assert load_channels(on="2025-10-26")["tiktok_shop"].fixed_fee_per_order == 0
    assert load_channels(on="2025-10-27")["tiktok_shop"].fixed_fee_per_order == 3_000
    assert [load_channels(on=day)["tiktok_shop"].commission_rate for day in ("2025-03-31", "2025-04-01", "2025-07-18")] \
        == [0.02, 0.04, 0.10]
    table = channel_fee_table()
    infra = table[table.in_effect & (table.channel == "shopee") & (table.component == "fixed_fee_per_order")]
    assert infra["as_of"].dt.date.tolist() == [date(2025, 7, 1)]
    assert "phí hạ tầng" in infra["source"].iloc[0]
    # a 35 000 ₫ jar sold one per order on Shopee: 35 000 − 10 % − 5 % − (3 000 fee + 6 000 box) = 20 750 ₫
    assert channel_result(shopee, list_price=35_000).net_per_unit == pytest.approx(35_000 - 3_500 - 1_750 - 9_000)


def test_fee_schedules_date_the_platform_fees_each_channel_uses():
    schedules = data.channel_fee_schedules()
    assert list(schedules) == list(CHANNELS)
    assert (schedules["shopee"].as_of, schedules["shopee"].status) == (date(2025, 7, 1), "published")
    assert (schedules["tiktok_shop"].as_of, schedules["tiktok_shop"].status) == (date(2025, 10, 27), "published")
    # Lazada's rate for food could not be sourced, the supermarket's discount is a plan figure
    assert schedules["lazada"].status == schedules["supermarket"].status == "assumption"
    assert schedules["farm_gate"].status == schedules["trader"].status == "no_fees"
    # the date follows the rows in effect on a day
    assert data.channel_fee_schedules(on="2025-06-30")["shopee"].as_of == date(2025, 4, 1)


def test_fee_schedule_follows_an_appended_row_and_ignores_the_cooperatives_own_costs(folder):
    path = folder / FEES_FILE
    rows = read_rows(path)
    rows.append(["lazada", "commission_rate", "0.1", "fraction", "2026-08-01",
                 "reported: food category 10 % (https://example.org/lazada-fees, 20 Jul 2026)"])
    rows.append(["shopee", "packaging_per_order", "7000", "VND", "2026-09-01", "illustrative assumption: dearer boxes"])
    write_rows(path, rows)
    schedules = data.channel_fee_schedules(folder)
    assert (schedules["lazada"].as_of, schedules["lazada"].status) == (date(2026, 8, 1), "published")
    assert schedules["shopee"].as_of == date(2025, 7, 1)  # a box is not a platform fee
    assert load_channels(folder)["shopee"].packaging_per_order == 7_000


def test_readme_documents_every_column():
    readme = (DATASETS_DIR / "README.md").read_text(encoding="utf-8")
    for name, columns in (
        (PRODUCTS_FILE, data.PRODUCT_COLUMNS),
        (COSTS_FILE, data.COST_COLUMNS),
        (CHANNELS_FILE, data.CHANNEL_COLUMNS),
        (FEES_FILE, data.FEE_COLUMNS),
    ):
        assert name in readme
        for column in columns:
            assert f"`{column}`" in readme, column


def test_fee_table_marks_the_rows_in_effect():
    table = channel_fee_table()
    assert list(table.columns) == ["row", "channel", "component", "value", "unit", "as_of", "source", "in_effect"]
    in_effect = table[table.in_effect]
    assert not in_effect.duplicated(["channel", "component"]).any()
    assert len(in_effect) == len(CHANNELS) * len(data.FEE_COMPONENTS)
    assert table["row"].iloc[0] == 2
    assert pd.api.types.is_datetime64_any_dtype(table["as_of"])


def test_every_data_error_reason_is_translated():
    source = Path(data.__file__).read_text(encoding="utf-8")
    reasons = set(re.findall(r'"(data_[a-z_]+)"', source))
    assert len(reasons) >= 15
    for reason in reasons:
        for lang in i18n.LANGUAGES:
            assert i18n.has(f"error.{reason}", lang), (reason, lang)
            assert "{" in i18n.tr(f"error.{reason}", lang) or reason == "data_empty_file"


# --------------------------------------------------------------------------------------------
# regressions


def test_latest_dated_fee_row_wins_whatever_the_order_of_rows(folder):
    path = folder / FEES_FILE
    rows = read_rows(path)
    # a trainer appends a newer row at the end, and an older one after it
    rows.append(["lazada", "commission_rate", "0.12", "fraction", "2026-07-01", "assumption: new fee page"])
    rows.append(["lazada", "commission_rate", "0.05", "fraction", "2024-01-01", "assumption: history"])
    write_rows(path, rows)
    assert load_channels(folder)["lazada"].commission_rate == 0.12
    assert load_channels(folder, on="2026-03-01")["lazada"].commission_rate == 0.09
    assert load_channels(folder, on="2024-06-01")["lazada"].commission_rate == 0.05
    table = channel_fee_table(folder)
    lazada = table[(table.channel == "lazada") & (table.component == "commission_rate")]
    assert lazada.set_index("value")["in_effect"].to_dict() == {0.09: False, 0.12: True, 0.05: False}


def test_an_edited_file_is_read_again(folder):
    assert load_products(folder)["mat_ong"].price_per_unit == 260_000
    set_cell(folder / PRODUCTS_FILE, sheet_row_of(folder / PRODUCTS_FILE, key="mat_ong"), "price_per_unit", "275000")
    assert load_products(folder)["mat_ong"].price_per_unit == 275_000


def test_env_var_points_to_another_folder(folder, monkeypatch):
    set_cell(folder / PRODUCTS_FILE, 2, "name_en", "Oranges from the test folder")
    monkeypatch.setenv("COOPKIT_DATASETS", str(folder))
    assert load_products()["cam_lac_thuy"].name("en") == "Oranges from the test folder"
    assert data.datasets_dir() == folder.resolve()


def test_blank_lines_and_a_byte_order_mark_keep_spreadsheet_row_numbers(folder):
    path = folder / COSTS_FILE
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines.insert(2, "")  # a blank spreadsheet row 3
    assert ",thuoc_bvtv," in lines[3]  # pesticides: row 3 before, row 4 now
    lines[3] = lines[3].replace(",30000000,", ",-30000000,")
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_products(folder)
    assert_names_cell(excinfo.value, COSTS_FILE, 4, "amount", "data_negative")


def test_returned_dict_is_a_copy():
    products = load_products()
    products.pop("cam_lac_thuy")
    assert "cam_lac_thuy" in load_products()


# --------------------------------------------------------------------------------------------
# broken files: each names the file, the row and the column


def _missing_column(folder: Path):
    rows = read_rows(folder / PRODUCTS_FILE)
    index = rows[0].index("loss_rate")
    write_rows(folder / PRODUCTS_FILE, [r[:index] + r[index + 1 :] for r in rows])
    return PRODUCTS_FILE, 1, "loss_rate", "data_missing_column"


def _not_a_number(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="cam_lac_thuy", key="phan_bon")
    set_cell(folder / COSTS_FILE, row, "amount", "55.000.000")
    return COSTS_FILE, row, "amount", "data_not_a_number"


def _negative_amount(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="mat_ong", key="tiep_thi")
    set_cell(folder / COSTS_FILE, row, "amount", "-40000000")
    return COSTS_FILE, row, "amount", "data_negative"


def _loss_rate_of_one(folder: Path):
    row = sheet_row_of(folder / PRODUCTS_FILE, key="che_shan_tuyet")
    set_cell(folder / PRODUCTS_FILE, row, "loss_rate", "1")
    return PRODUCTS_FILE, row, "loss_rate", "data_not_a_fraction"


def _commission_as_percent(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="lazada", component="commission_rate")
    set_cell(folder / FEES_FILE, row, "value", "9")
    return FEES_FILE, row, "value", "data_not_a_fraction"


def _unknown_basis(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="trung_son_nam", key="cong_nhan")
    set_cell(folder / COSTS_FILE, row, "basis", "month")
    return COSTS_FILE, row, "basis", "data_unknown_value"


def _unknown_category(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="trung_son_nam", key="cong_nhan")
    set_cell(folder / COSTS_FILE, row, "category", "wages")
    return COSTS_FILE, row, "category", "data_unknown_value"


def _duplicate_product(folder: Path):
    rows = read_rows(folder / PRODUCTS_FILE)
    rows.append(list(rows[1]))
    write_rows(folder / PRODUCTS_FILE, rows)
    return PRODUCTS_FILE, len(rows), "key", "data_duplicate_key"


def _duplicate_cost(folder: Path):
    rows = read_rows(folder / COSTS_FILE)
    rows.insert(3, list(rows[1]))
    write_rows(folder / COSTS_FILE, rows)
    return COSTS_FILE, 4, "key", "data_duplicate_key"


def _duplicate_fee_date(folder: Path):
    rows = read_rows(folder / FEES_FILE)
    rows.append(list(rows[1]))
    write_rows(folder / FEES_FILE, rows)
    return FEES_FILE, len(rows), "as_of", "data_duplicate_key"


def _cost_for_unknown_product(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="bi_xanh_dien_bien", key="giong")
    set_cell(folder / COSTS_FILE, row, "product", "bi_xanh_dien_bein")
    return COSTS_FILE, row, "product", "data_unknown_product"


def _fee_for_unknown_channel(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="postmart", component="vat_rate")
    set_cell(folder / FEES_FILE, row, "channel", "voso")
    return FEES_FILE, row, "channel", "data_unknown_channel"


def _bad_date(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="tiktok_shop", component="fixed_fee_per_order")
    set_cell(folder / FEES_FILE, row, "as_of", "01/01/2026")
    return FEES_FILE, row, "as_of", "data_bad_date"


def _impossible_date(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="trader", component="vat_rate")
    set_cell(folder / FEES_FILE, row, "as_of", "2026-02-30")
    return FEES_FILE, row, "as_of", "data_bad_date"


def _empty_source(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="dua_muoi_phu_tho", key="ocop")
    set_cell(folder / COSTS_FILE, row, "source", "")
    return COSTS_FILE, row, "source", "data_empty_cell"


def _unknown_unit(folder: Path):
    row = sheet_row_of(folder / PRODUCTS_FILE, key="mat_ong")
    set_cell(folder / PRODUCTS_FILE, row, "unit", "lít")
    return PRODUCTS_FILE, row, "unit", "data_unknown_value"


def _zero_conversion_ratio(folder: Path):
    row = sheet_row_of(folder / PRODUCTS_FILE, key="ca_phe_nhan_son_la")
    set_cell(folder / PRODUCTS_FILE, row, "conversion_ratio", "0")
    return PRODUCTS_FILE, row, "conversion_ratio", "data_not_positive"


def _zero_units_per_order(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="shopee", component="units_per_order")
    set_cell(folder / FEES_FILE, row, "value", "0")
    return FEES_FILE, row, "value", "data_below_minimum"


def _fractional_units_per_order(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="postmart", component="units_per_order")
    set_cell(folder / FEES_FILE, row, "value", "2.5")
    return FEES_FILE, row, "value", "data_not_whole_number"


def _wrong_fee_unit(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="shopee", component="fixed_fee_per_order", as_of="2025-07-01")
    set_cell(folder / FEES_FILE, row, "unit", "fraction")
    return FEES_FILE, row, "unit", "data_wrong_unit"


def _product_without_costs(folder: Path):
    rows = read_rows(folder / COSTS_FILE)
    product = rows[0].index("product")
    write_rows(folder / COSTS_FILE, [r for r in rows if r[product] != "mat_ong"])
    return PRODUCTS_FILE, sheet_row_of(folder / PRODUCTS_FILE, key="mat_ong"), "key", "data_no_cost_items"


def _variable_cost_for_the_season(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="cam_lac_thuy", key="vietgap")
    set_cell(folder / COSTS_FILE, row, "kind", "variable")
    return COSTS_FILE, row, "kind", "data_invalid_row"


def _reserved_key(folder: Path):
    row = sheet_row_of(folder / COSTS_FILE, product="mat_ong", key="van_chuyen")
    set_cell(folder / COSTS_FILE, row, "key", "raw_material")
    return COSTS_FILE, row, "key", "data_reserved_key"


def _fees_too_high(folder: Path):
    row = sheet_row_of(folder / FEES_FILE, channel="supermarket", component="commission_rate")
    set_cell(folder / FEES_FILE, row, "value", "0.97")
    row_payment = sheet_row_of(folder / FEES_FILE, channel="supermarket", component="payment_fee_rate")
    set_cell(folder / FEES_FILE, row_payment, "value", "0.05")
    return FEES_FILE, row, "value", "data_invalid_row"


def _unquoted_comma(folder: Path):
    path = folder / CHANNELS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("cho_dau_moi,Chợ đầu mối,Wholesale market,Bán cho tiểu thương, chợ đầu mối,Sells to market stalls")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CHANNELS_FILE, len(lines), "file", "data_bad_row_shape"


BROKEN = [
    _missing_column,
    _not_a_number,
    _negative_amount,
    _loss_rate_of_one,
    _commission_as_percent,
    _unknown_basis,
    _unknown_category,
    _duplicate_product,
    _duplicate_cost,
    _duplicate_fee_date,
    _cost_for_unknown_product,
    _fee_for_unknown_channel,
    _bad_date,
    _impossible_date,
    _empty_source,
    _unknown_unit,
    _zero_conversion_ratio,
    _zero_units_per_order,
    _fractional_units_per_order,
    _wrong_fee_unit,
    _product_without_costs,
    _variable_cost_for_the_season,
    _reserved_key,
    _fees_too_high,
    _unquoted_comma,
]


@pytest.mark.parametrize("breaker", BROKEN, ids=[b.__name__.strip("_") for b in BROKEN])
def test_broken_file_names_file_row_and_column(folder, breaker):
    file, row, column, reason = breaker(folder)
    loader = load_products if file in (PRODUCTS_FILE, COSTS_FILE) else load_channels
    with pytest.raises(InputError) as excinfo:
        loader(folder)
    err = excinfo.value
    if reason == "data_bad_row_shape":  # the row is known, the column is not
        assert (err.reason, err.params["file"], err.params["row"]) == (reason, file, row)
        for lang in i18n.LANGUAGES:
            text = err.message(lang)
            assert "{" not in text and file in text and str(row) in text
        return
    assert_names_cell(err, file, row, column, reason)
    if reason == "data_invalid_row":  # the domain object's own message, in the same language
        assert isinstance(err.inner, InputError)
        for lang in i18n.LANGUAGES:
            assert err.inner.message(lang) in err.message(lang)
        assert err.message("vi") != err.message("en")


def test_missing_file_is_named(folder):
    (folder / COSTS_FILE).unlink()
    with pytest.raises(InputError) as excinfo:
        load_products(folder)
    err = excinfo.value
    assert (err.reason, err.params["file"]) == ("data_missing_file", COSTS_FILE)
    for lang in i18n.LANGUAGES:
        assert COSTS_FILE in err.message(lang) and "{" not in err.message(lang)


def test_file_with_only_a_header_is_empty(folder):
    path = folder / CHANNELS_FILE
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_channels(folder)
    assert excinfo.value.reason == "data_empty_file"


def test_bad_date_argument_is_bad_input():
    with pytest.raises(InputError) as excinfo:
        load_channels(on="30/06/2025")
    assert excinfo.value.reason == "data_bad_date_text"
    assert "{" not in excinfo.value.message("en")


def test_extra_columns_are_allowed(folder):
    rows = read_rows(folder / PRODUCTS_FILE)
    write_rows(folder / PRODUCTS_FILE, [r + (["notes"] if i == 0 else ["ghi chú"]) for i, r in enumerate(rows)])
    assert len(load_products(folder)) == len(rows) - 1


# --------------------------------------------------------------------------------------------
# the public reader other loaders use (members, investment, reference)


def test_sheet_reads_any_file_of_the_folder_with_spreadsheet_row_numbers(folder):
    (folder / "farms.csv").write_text("name,area_ha,note\nBà Lan,1.5,\n\nÔng Tư,0.8,vườn mới\n", encoding="utf-8")
    sheet = data.Sheet(folder, "farms.csv", ("name", "area_ha", "note"), optional={"note"})
    assert list(sheet.rows.index) == [2, 4]  # the blank row 3 keeps its number
    assert [sheet.number(row, "area_ha") for row in sheet.rows.index] == [1.5, 0.8]
    assert sheet.text(2, "note") == ""
    strict = data.Sheet(folder, "farms.csv", ("name", "area_ha", "note"), optional=())
    with pytest.raises(InputError) as excinfo:
        strict.text(2, "note")
    assert_names_cell(excinfo.value, "farms.csv", 2, "note", "data_empty_cell")


def test_row_error_names_the_file_and_row_and_keeps_the_inner_message():
    inner = InputError("purchase_price", reason="not_positive", value=0)
    err = data.RowError(inner, "purchase_price", file="equipment.csv", row=5)
    for lang in i18n.LANGUAGES:
        text = err.message(lang)
        assert "equipment.csv" in text and "5" in text and inner.message(lang) in text


def test_file_stamp_changes_when_a_file_is_edited(folder):
    before = data.file_stamp(folder, (PRODUCTS_FILE,))
    with (folder / PRODUCTS_FILE).open("a", encoding="utf-8") as f:
        f.write("\n")
    assert data.file_stamp(folder, (PRODUCTS_FILE,)) != before
    assert data.file_stamp(folder, ("gone.csv",)) == (("gone.csv", -1, -1),)
    assert data.dataset_folder(folder) == folder.resolve()


def test_each_cost_item_says_what_it_is_in_its_category_column():
    products = load_products()
    eggs = products["trung_son_nam"]
    assert eggs.cost_category("cong_nhan") == "labour"
    assert {key for key, _ in eggs.cost_categories} == {item.key for item in eggs.cost_items}
    for template in products.values():
        assert {category for _, category in template.cost_categories} <= set(data.COST_CATEGORIES)
        assert all(template.cost_category(item.key) in (*data.COST_CATEGORIES, "raw_material")
                   for item in template.all_cost_items())
