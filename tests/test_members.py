"""Where the surplus goes (coopkit.members), its chart and the member-income app, without a browser."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

from coopkit import fmt
from coopkit.errors import InputError
from coopkit.members import (
    DEFAULT_TRANSACTIONS_SHARE,
    Fund,
    Member,
    distribute_surplus,
    example_members,
    load_funds,
    member_income,
    share_of_pool,
)

FUNDS = (
    Fund("dau_tu", "Quỹ đầu tư phát triển", "Development investment fund", 0.20),
    Fund("du_phong", "Quỹ dự phòng tài chính", "Financial reserve fund", 0.05),
    Fund("phuc_loi", "Quỹ phúc lợi", "Welfare fund", 0.05),
)


# -- worked examples ------------------------------------------------------------------------


def test_worked_example_by_hand_with_tax():
    # Checked by hand (the lesson's example, with 20 % tax, the standard CIT rate of the Law on
    # CIT 2008 Art. 10 as amended in 2013, for income that is not exempt):
    # 240 M − 20 % tax (48 M) = 192 M; funds 30 % = 57.6 M; members 134.4 M;
    # 70 % by transactions = 94.08 M, 30 % by capital = 40.32 M.
    # Bình: 225/1 200 of 94.08 M = 17.64 M; 50/230 of 40.32 M = 8 765 217.39 ₫.
    d = distribute_surplus(240_000_000, example_members(), income_tax_rate=0.20, funds=FUNDS,
                           transactions_share=0.70)
    assert d.income_tax == pytest.approx(48_000_000)
    assert d.after_tax == pytest.approx(192_000_000)
    assert d.funds_total == pytest.approx(57_600_000)
    assert d.funds["amount"].tolist() == pytest.approx([38_400_000, 9_600_000, 9_600_000])
    assert d.to_members == pytest.approx(134_400_000)
    assert d.by_transactions == pytest.approx(94_080_000)
    assert d.by_capital == pytest.approx(40_320_000)
    binh = d.member("Lò Văn Bình")
    assert binh["share_of_transactions"] == pytest.approx(0.1875)
    assert binh["by_transactions"] == pytest.approx(17_640_000)
    assert binh["by_capital"] == pytest.approx(8_765_217.39, abs=0.01)
    assert binh["total"] == pytest.approx(26_405_217.39, abs=0.01)
    assert not d.is_loss and d.loss == 0


def test_default_funds_and_example_members_from_the_datasets():
    funds = load_funds()
    assert [(f.key, f.share) for f in funds] == [
        ("dau_tu_phat_trien", 0.20), ("du_phong_tai_chinh", 0.05), ("phuc_loi_khen_thuong", 0.05)]
    assert all(f.source for f in funds) and all("assumption" in f.source for f in funds)
    members = example_members()
    assert len(members) == 6
    assert sum(m.transactions for m in members) == 1_200_000_000
    d = distribute_surplus(240_000_000, members)  # default funds, no tax, 70 % by transactions
    assert d.to_members == pytest.approx(168_000_000)
    assert d.member("Lò Văn Bình")["total"] == pytest.approx(22_050_000 + 50 / 230 * 50_400_000)


def test_share_of_pool_and_member_income_by_hand():
    assert share_of_pool(117_600_000, 225_000_000, 1_200_000_000) == pytest.approx(22_050_000)
    # 15 t at 15 000 ₫ + 33 006 522 ₫ refund against 15 t at 13 500 ₫.
    income = member_income(15_000, 15_000, 13_500, refund=33_006_522)
    assert income.sales_via_coop == 225_000_000
    assert income.income_with_coop == 258_006_522
    assert income.income_without_coop == 202_500_000
    assert income.gain == pytest.approx(55_506_522)
    assert income.gain_per_kg == pytest.approx(55_506_522 / 15_000)
    assert member_income(0, 15_000, 13_500).gain_per_kg == 0.0


def test_shares_add_up_to_the_surplus():
    d = distribute_surplus(240_000_000, example_members(), income_tax_rate=0.2, funds=FUNDS)
    shares = d.shares()
    assert shares["amount"].sum() == pytest.approx(240_000_000)
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares["key"].tolist() == ["income_tax", "dau_tu", "du_phong", "phuc_loi", "by_transactions", "by_capital"]


# -- edge cases -----------------------------------------------------------------------------


def test_a_loss_distributes_nothing():
    d = distribute_surplus(-50_000_000, example_members(), income_tax_rate=0.2, funds=FUNDS)
    assert d.is_loss and d.loss == 50_000_000
    assert d.income_tax == d.after_tax == d.funds_total == d.to_members == 0
    assert (d.statement["total"] == 0).all()
    assert (d.shares()["amount"] == 0).all()


def test_a_zero_surplus_is_not_a_loss_and_shares_nothing():
    d = distribute_surplus(0, example_members(), funds=FUNDS)
    assert not d.is_loss and d.to_members == 0


def test_funds_taking_everything_leave_nothing_for_members():
    d = distribute_surplus(100_000_000, example_members(), funds=(replace(FUNDS[0], share=1.0),))
    assert d.funds_total == pytest.approx(100_000_000) and d.to_members == 0


def test_all_by_transactions_needs_no_capital_and_all_by_capital_needs_no_transactions():
    d = distribute_surplus(100e6, [Member("A", 300, 0), Member("B", 100, 0)], funds=(), transactions_share=1.0)
    assert d.statement["total"].tolist() == pytest.approx([75e6, 25e6])
    d = distribute_surplus(100e6, [Member("A", 0, 10), Member("B", 0, 30)], funds=(), transactions_share=0.0)
    assert d.statement["total"].tolist() == pytest.approx([25e6, 75e6])


def test_a_member_with_only_capital_gets_only_the_capital_part():
    d = distribute_surplus(100e6, [Member("A", 100, 10), Member("B", 0, 10)], funds=(), transactions_share=0.5)
    assert d.member("B")["by_transactions"] == 0 and d.member("B")["by_capital"] == pytest.approx(25e6)


# -- invariants -----------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=5e9)
positive_amounts = st.floats(min_value=1_000, max_value=5e9)
member_lists = st.lists(st.tuples(positive_amounts, positive_amounts), min_size=1, max_size=12)
fractions = st.floats(min_value=0, max_value=1)


def _members(pairs):
    return [Member(f"Thành viên {i}", t, c) for i, (t, c) in enumerate(pairs, start=1)]


@st.composite
def fund_lists(draw):
    shares = draw(st.lists(st.floats(min_value=0, max_value=0.5), max_size=4))
    total = sum(shares)
    if total > 1:
        shares = [s / total for s in shares]
    return tuple(Fund(f"q{i}", f"Quỹ {i}", f"Fund {i}", min(s, 1.0)) for i, s in enumerate(shares))


@given(surplus=positive_amounts, pairs=member_lists, tax=fractions, split=fractions, funds=fund_lists())
def test_members_plus_funds_plus_tax_equal_the_surplus(surplus, pairs, tax, split, funds):
    d = distribute_surplus(surplus, _members(pairs), income_tax_rate=tax, funds=funds, transactions_share=split)
    paid = d.statement["total"].sum() + d.funds["amount"].sum() + d.income_tax
    assert paid == pytest.approx(surplus, rel=1e-9)
    assert (d.statement["total"] >= 0).all()


@given(surplus=positive_amounts, pairs=member_lists, split=fractions)
def test_each_share_is_proportional_to_transactions_and_capital(surplus, pairs, split):
    d = distribute_surplus(surplus, _members(pairs), funds=FUNDS, transactions_share=split)
    total_t = sum(t for t, _ in pairs)
    total_c = sum(c for _, c in pairs)
    for (t, c), (_, row) in zip(pairs, d.statement.iterrows(), strict=True):
        assert row["by_transactions"] == pytest.approx(d.by_transactions * t / total_t, rel=1e-9, abs=1e-6)
        assert row["by_capital"] == pytest.approx(d.by_capital * c / total_c, rel=1e-9, abs=1e-6)


@given(surplus=amounts, pairs=member_lists, factor=st.floats(min_value=0.01, max_value=100), split=fractions)
def test_scaling_every_members_transactions_does_not_change_the_statement(surplus, pairs, factor, split):
    base = distribute_surplus(surplus, _members(pairs), funds=FUNDS, transactions_share=split)
    scaled = distribute_surplus(surplus, _members([(t * factor, c) for t, c in pairs]), funds=FUNDS,
                                transactions_share=split)
    for column in ("share_of_transactions", "by_transactions", "by_capital", "total"):
        assert scaled.statement[column].tolist() == pytest.approx(base.statement[column].tolist(), rel=1e-9, abs=1e-6)


def test_doubling_every_members_transactions_does_not_change_the_statement():
    members = example_members()
    base = distribute_surplus(240e6, members)
    doubled = distribute_surplus(240e6, [replace(m, transactions=2 * m.transactions) for m in members])
    assert doubled.statement["total"].tolist() == pytest.approx(base.statement["total"].tolist())


@given(surplus=st.floats(min_value=-5e9, max_value=0), pairs=member_lists)
def test_no_surplus_means_nothing_to_anyone(surplus, pairs):
    d = distribute_surplus(surplus, _members(pairs), income_tax_rate=0.2, funds=FUNDS)
    assert d.to_members == 0 and d.funds_total == 0 and d.income_tax == 0
    assert d.is_loss == (surplus < 0)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"income_tax_rate": 1.2}, "income_tax_rate", "not_a_fraction_incl"),
        ({"income_tax_rate": -0.1}, "income_tax_rate", "not_a_fraction_incl"),
        ({"transactions_share": 1.5}, "transactions_share", "not_a_fraction_incl"),
        ({"surplus": float("nan")}, "surplus", "not_finite"),
        ({"surplus": "hai trăm triệu"}, "surplus", "not_a_number"),
        ({"funds": (replace(FUNDS[0], share=0.7), replace(FUNDS[1], share=0.5))}, "funds_total_share",
         "funds_above_total"),
        ({"funds": (FUNDS[0], FUNDS[0])}, "fund_share", "duplicate_key"),
        ({"members": []}, "members", "no_members"),
        ({"members": [Member("Lò Văn Bình", 1, 1), Member("lò  văn bình", 2, 2)]}, "member_name", "duplicate_member"),
        ({"members": [Member("A", 1, 1), Member("B", 0, 0)]}, "member_transactions", "member_nothing"),
        ({"members": [Member("A", 0, 1)], "transactions_share": 0.5}, "member_transactions", "no_member_transactions"),
        ({"members": [Member("A", 1, 0)], "transactions_share": 0.5}, "member_capital", "no_member_capital"),
    ],
)
def test_bad_distribution_input_is_explained(kwargs, field, reason):
    args = {"surplus": 240e6, "members": example_members(), "funds": FUNDS} | kwargs
    surplus, members = args.pop("surplus"), args.pop("members")
    with pytest.raises(InputError) as excinfo:
        distribute_surplus(surplus, members, **args)
    assert_input_error(excinfo, field, reason)


def test_duplicate_names_say_which_rows():
    with pytest.raises(InputError) as excinfo:
        distribute_surplus(1e6, [Member("An", 1, 1), Member("Bình", 1, 1), Member("an", 1, 1)], funds=())
    assert "dòng 3" in excinfo.value.message("vi") and "dòng 1" in excinfo.value.message("vi")
    assert "row 3" in excinfo.value.message("en")


@pytest.mark.parametrize(
    ("call", "field", "reason", "words"),
    [
        (lambda: Member("", 1, 1), "member_name", "empty_name", "empty"),
        (lambda: Member("Hoa", -5, 1), "member_transactions", "negative", "of Hoa"),
        (lambda: Member("Hoa", 1, float("inf")), "member_capital", "not_finite", "of Hoa"),
        (lambda: Fund("x", "Quỹ X", "Fund X", 1.5), "fund_share", "not_a_fraction_incl", "Fund X"),
        (lambda: Fund("x", "Quỹ X", "Fund X", -0.1), "fund_share", "not_a_fraction_incl", "Fund X"),
        (lambda: share_of_pool(100, 200, 100), "member_transactions", "member_above_total", "₫100"),
        (lambda: member_income(-1, 15_000, 13_500), "quantity_kg", "negative", "cannot be negative"),
    ],
)
def test_bad_member_or_fund_is_explained(call, field, reason, words):
    with pytest.raises(InputError) as excinfo:
        call()
    assert_input_error(excinfo, field, reason)
    assert words in excinfo.value.message("en")


def test_unknown_member_in_a_statement():
    with pytest.raises(InputError) as excinfo:
        distribute_surplus(1e6, example_members()).member("Không có")
    assert_input_error(excinfo, "member", "unknown_member")


def test_a_bad_funds_file_names_row_and_column(tmp_path):
    (tmp_path / "fund_shares.csv").write_text("key,name_vi,name_en,share,source\nq,Quỹ,Fund,abc,x\n", encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_funds(tmp_path)
    assert excinfo.value.reason == "data_not_a_number"
    assert "row 2" in excinfo.value.message("en") and "share" in excinfo.value.message("en")
    (tmp_path / "fund_shares.csv").write_text("key,name_vi,name_en,share,source\nq,Quỹ,Fund,0.8,x\nr,R,R,0.5,x\n",
                                              encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_funds(tmp_path)
    assert excinfo.value.reason == "funds_above_total"


# -- chart ----------------------------------------------------------------------------------


def test_chart_draws_each_destination_and_each_member():
    from coopkit.plots.members import member_income_chart
    from coopkit.ui.base import figure_png

    d = distribute_surplus(240e6, example_members(), funds=FUNDS)
    figure = member_income_chart(d, "vi", highlight="Lò Văn Bình")
    where, per_member = figure.axes
    assert [p.get_width() for p in where.patches] == pytest.approx(d.shares()["amount"].tolist())
    assert len(per_member.patches) == 2 * len(d.statement)
    assert where.get_title() == "Lãi đi đâu?"
    assert figure_png(figure).startswith(b"\x89PNG")
    loss = member_income_chart(distribute_surplus(-1e6, example_members(), funds=FUNDS), "en")
    assert "nothing to share" in " ".join(t.get_text() for t in loss.axes[0].texts)


# -- app ------------------------------------------------------------------------------------


@pytest.fixture
def app():
    from coopkit.ui.members_app import MemberIncomeApp

    return MemberIncomeApp()


def test_app_starts_with_the_example_cooperative(app):
    from coopkit.ui.members_app import EXAMPLE_SURPLUS, TRADER_PRICE_RATIO

    assert app.error is None
    expected = distribute_surplus(EXAMPLE_SURPLUS, example_members(), transactions_share=DEFAULT_TRANSACTIONS_SHARE)
    d = app.result.distribution
    assert d.to_members == pytest.approx(expected.to_members)
    assert d.statement["total"].tolist() == pytest.approx(expected.statement["total"].tolist())
    assert app.result.member == "Lò Văn Bình"
    c = app.result.comparison
    assert c.quantity_kg == pytest.approx(15_000)  # 225 M ₫ of cherry at 15 000 ₫/kg
    assert c.price_via_trader_per_kg == pytest.approx(15_000 * TRADER_PRICE_RATIO)
    assert c.refund == pytest.approx(expected.member("Lò Văn Bình")["total"])
    html = app.results.value
    assert f'data-key="to_members" data-value="{d.to_members!r}"' in html
    assert fmt.money(d.to_members, "vi") in html
    assert 'data-key="total:Lò Văn Bình"' in html
    assert "data-band='caution'" in html and "health:current_ratio" in html
    assert bytes(app.chart.value).startswith(b"\x89PNG")
    assert app.product_choice.layout.display == "none"
    assert "ck-ready" in app.view._dom_classes


def test_app_recomputes_when_inputs_change(app):
    app.control("income_tax_rate").value = 0.2
    app.control("transactions_share").value = 1.0
    expected = distribute_surplus(240e6, example_members(), income_tax_rate=0.2, transactions_share=1.0)
    assert app.result.distribution.by_capital == 0
    assert app.result.distribution.statement["total"].tolist() == pytest.approx(expected.statement["total"].tolist())
    app.control("member").value = "Quàng Văn Minh"
    assert app.result.comparison.refund == pytest.approx(expected.member("Quàng Văn Minh")["total"])


def test_app_member_table_can_be_edited(app):
    table = app.control("members")
    table.value = [("An", 100_000_000, 10_000_000), ("Bình", 300_000_000, 30_000_000)]
    assert app.error is None
    assert app.result.distribution.statement["member"].tolist() == ["An", "Bình"]
    assert list(app.control("member").dropdown.options) == ["An", "Bình"]
    table.add_button.click()
    assert app.error is not None and app.error.reason == "empty_name"  # the new row has no name yet
    table.rows[-1][0].value = "Cường"
    table.rows[-1][1].value = "50.000.000"
    assert app.error is None and len(app.result.distribution.statement) == 3
    table.rows[0][3].click()  # remove An
    assert app.result.distribution.statement["member"].tolist() == ["Bình", "Cường"]


@pytest.mark.parametrize(
    ("field", "value", "vi", "en"),
    [
        ("fund_share:dau_tu_phat_trien", 1.2, "phải từ 0% đến 100%", "must be from 0% to 100%"),
        ("transactions_share", -0.1, "phải từ 0% đến 100%", "must be from 0% to 100%"),
        ("total_assets", 0, "phải lớn hơn 0", "must be greater than zero"),
        ("current_liabilities", 2e9, "không thể lớn hơn", "cannot be more than"),
        ("price_via_coop_per_kg", 0, "phải lớn hơn 0", "must be greater than zero"),
    ],
)
def test_bad_input_shows_beside_its_box(app, field, value, vi, en):
    before = app.result
    app.control(field).value = value
    assert app.error is not None
    assert vi in app.control(field).error_text
    assert app.result is before and "ck-stale" in app.results._dom_classes
    app.set_lang("en")
    assert en in app.control(field).error_text


def test_funds_above_100_percent_show_beside_the_last_fund(app):
    app.control("fund_share:dau_tu_phat_trien").value = 0.95
    assert app.error.reason == "funds_above_total"
    assert "vượt quá 100%" in app.control("fund_share:phuc_loi_khen_thuong").error_text


def test_duplicate_and_empty_members_show_below_the_table(app):
    table = app.control("members")
    table.value = [("Hoa", 1, 1), ("hoa", 2, 2)]
    assert "trùng" in table.error_text and "ck-invalid-row" in table.rows[1][-1]._dom_classes
    table.value = [("Hoa", 1, 1), ("", 2, 2)]
    assert "dòng 2" in table.error_text
    table.value = [("Hoa", 1, 1), ("Mai", 0, 0)]
    assert "không có giao dịch" in table.error_text
    table.rows[1][1].value = "-5"
    assert "Mai" in table.error_text and "không được âm" in table.error_text


def test_a_loss_year_is_explained_not_an_error(app):
    app.control("surplus").value = -80_000_000
    assert app.error is None and app.result.distribution.is_loss
    assert "lỗ" in app.results.value and "ck-loss" in app.results.value
    assert all(math.isclose(v, 0.0) for v in app.result.distribution.statement["total"])
