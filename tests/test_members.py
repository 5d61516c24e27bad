"""Where the surplus goes under the Law on Cooperatives 2023 (coopkit.members) and its chart; the
member-income app is in test_app_members.py."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
from helpers import assert_input_error
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.members import (
    USE_SHARE_MINIMUM,
    Fund,
    Member,
    capital_warnings,
    distribute_surplus,
    example_members,
    load_funds,
    member_income,
    share_of_pool,
)

FUNDS = (
    Fund("dau_tu", "Quỹ đầu tư phát triển", "Development investment fund", 0.10),
    Fund("du_phong", "Quỹ dự phòng tài chính", "Financial reserve fund", 0.05),
    Fund("phuc_loi", "Quỹ phúc lợi", "Welfare fund", 0.05),
)


# -- worked examples (Law on Cooperatives 17/2023/QH15, Art. 84–86) --------------------------


def test_worked_example_of_the_lesson_with_separate_accounts():
    # By hand. 240 M surplus: 180 M internal (accounted separately), 60 M external.
    # Art. 84 indivisible fund: 5 % of 180 M = 9 M (charter rate), 5 % of 60 M = 3 M (legal minimum): 12 M.
    # No tax (farm income). Left: internal 171 M, external 57 M, 228 M together.
    # Other funds 10 % + 5 % + 5 % of 228 M = 22.8 + 11.4 + 11.4 = 45.6 M.
    # Members: internal 171 × 0.8 = 136.8 M, external 57 × 0.8 = 45.6 M.
    # Art. 86: 70 % of 136.8 M by use = 95.76 M; by capital 41.04 M + 45.6 M = 86.64 M.
    # Bình: 225/1 200 of 95.76 M = 17 955 000; 50/260 of 86.64 M = 16 661 538.46; total 34 616 538.46.
    # Thu (associate capital member, no use share): 30/260 of 86.64 M = 9 996 923.08.
    d = distribute_surplus(240_000_000, example_members(), internal_surplus=180_000_000, funds=FUNDS)
    assert d.accounted_separately
    assert (d.internal_surplus, d.external_surplus) == (180_000_000, 60_000_000)
    assert (d.indivisible_internal, d.indivisible_external) == pytest.approx((9_000_000, 3_000_000))
    assert d.indivisible_fund == pytest.approx(12_000_000)
    assert d.income_tax == 0 and d.obligations == 0
    assert d.funds["amount"].tolist() == pytest.approx([22_800_000, 11_400_000, 11_400_000])
    assert d.distributable_internal == pytest.approx(136_800_000)
    assert d.distributable_external == pytest.approx(45_600_000)
    assert d.by_transactions == pytest.approx(95_760_000)
    assert d.by_capital == pytest.approx(86_640_000)
    assert d.to_members == pytest.approx(182_400_000)
    binh = d.member("Lò Văn Bình")
    assert binh["by_transactions"] == pytest.approx(17_955_000)
    assert binh["by_capital"] == pytest.approx(16_661_538.46, abs=0.01)
    assert binh["total"] == pytest.approx(34_616_538.46, abs=0.01)
    thu = d.member("Đinh Thị Thu")
    assert thu["kind"] == "associate" and thu["by_transactions"] == 0
    assert thu["total"] == pytest.approx(9_996_923.08, abs=0.01)
    assert not d.is_loss and d.loss == 0 and d.warnings == ()
    # The lesson's example number is this pool shared by Bình's transactions.
    assert share_of_pool(d.by_transactions, 225_000_000, 1_200_000_000) == pytest.approx(binh["by_transactions"])


def test_worked_example_with_tax_and_past_losses():
    # By hand, as above with 20 % tax and 21.66 M of obligations and past losses:
    # indivisible 12 M; tax = 20 % × (60 − 3) M = 11.4 M (internal income and the fund: exempt, Art. 22).
    # Left: internal 171 M, external 45.6 M = 216.6 M; obligations 21.66 M = 10 % of it, carried in
    # proportion: 17.1 M internal, 4.56 M external → 153.9 M and 41.04 M = 194.94 M.
    # Funds 20 % = 38.988 M; members: internal 123.12 M, external 32.832 M.
    # By use 70 % × 123.12 = 86.184 M; by capital 36.936 + 32.832 = 69.768 M.
    # 12 + 11.4 + 21.66 + 38.988 + 86.184 + 69.768 = 240 M.
    d = distribute_surplus(240_000_000, example_members(), internal_surplus=180_000_000, funds=FUNDS,
                           income_tax_rate=0.20, obligations=21_660_000)
    assert d.income_tax == pytest.approx(11_400_000)
    assert d.obligations == pytest.approx(21_660_000) and d.obligations_uncovered == 0
    assert d.funds_total == pytest.approx(38_988_000)
    assert d.distributable_internal == pytest.approx(123_120_000)
    assert d.by_transactions == pytest.approx(86_184_000)
    assert d.by_capital == pytest.approx(69_768_000)
    assert d.shares()["amount"].sum() == pytest.approx(240_000_000)


def test_without_separate_accounts_everything_is_external():
    # Art. 85. By hand: all 240 M external; indivisible 5 % = 12 M; funds 20 % of 228 M = 45.6 M;
    # 182.4 M to the members, all by capital (nothing by use); Bình 50/260 × 182.4 M = 35 076 923.08.
    d = distribute_surplus(240_000_000, example_members(), funds=FUNDS)
    assert not d.accounted_separately
    assert (d.internal_surplus, d.external_surplus) == (0, 240_000_000)
    assert d.indivisible_fund == pytest.approx(12_000_000)
    assert d.by_transactions == 0 and d.by_capital == pytest.approx(182_400_000)
    assert d.member("Lò Văn Bình")["total"] == pytest.approx(35_076_923.08, abs=0.01)


def test_the_2012_rules_are_gone():
    # Regression: the repealed 2012 law took 20 % + 5 % funds after tax and split 70/30 over the
    # whole surplus (Bình got 33 006 522 ₫ from 240 M); the 2023 law starts with the indivisible fund.
    funds = load_funds()
    assert [(f.key, f.share) for f in funds] == [
        ("dau_tu_phat_trien", 0.10), ("du_phong_tai_chinh", 0.05), ("phuc_loi_khen_thuong", 0.05)]
    assert all("your charter decides" in f.source for f in funds)
    assert all("2012" not in f.source or "no longer applies" in f.source for f in funds)
    d = distribute_surplus(240_000_000, example_members(), internal_surplus=180_000_000, funds=funds)
    assert d.shares()["key"].tolist()[:3] == ["indivisible_fund", "income_tax", "obligations"]
    assert round(d.member("Lò Văn Bình")["total"]) != 33_006_522


def test_example_members_from_the_dataset():
    members = example_members()
    assert len(members) == 7
    assert [m.kind for m in members].count("associate") == 1
    assert sum(m.transactions for m in members) == 1_200_000_000
    assert sum(m.capital for m in members) == 260_000_000
    assert capital_warnings(members) == ()


def test_share_of_pool_and_member_income_by_hand():
    assert share_of_pool(95_760_000, 225_000_000, 1_200_000_000) == pytest.approx(17_955_000)
    # 15 t at 15 000 ₫ + 34 616 538 ₫ refund against 15 t at 13 500 ₫.
    income = member_income(15_000, 15_000, 13_500, refund=34_616_538)
    assert income.sales_via_coop == 225_000_000
    assert income.income_with_coop == 259_616_538
    assert income.income_without_coop == 202_500_000
    assert income.gain == pytest.approx(57_116_538)
    assert income.gain_per_kg == pytest.approx(57_116_538 / 15_000)
    assert member_income(0, 15_000, 13_500).gain_per_kg == 0.0


def test_shares_add_up_to_the_surplus():
    d = distribute_surplus(240_000_000, example_members(), internal_surplus=100e6, income_tax_rate=0.2, funds=FUNDS)
    shares = d.shares()
    assert shares["amount"].sum() == pytest.approx(240_000_000)
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares["key"].tolist() == ["indivisible_fund", "income_tax", "obligations", "dau_tu", "du_phong", "phuc_loi",
                                      "by_transactions", "by_capital"]


def test_a_union_keeps_ten_percent_of_external_income_and_allows_forty_percent_of_capital():
    # Art. 84 and 74 for a union: 10 % of 100 M external = 10 M; one official member up to 40 %.
    members = [Member("HTX A", 100, 35), Member("HTX B", 100, 65)]
    d = distribute_surplus(100e6, members, funds=(), union=True)
    assert d.indivisible_fund == pytest.approx(10e6) and d.indivisible_external_rate == 0.10
    assert [w.member for w in d.warnings] == ["HTX B"]
    assert [w.member for w in capital_warnings(members)] == ["HTX A", "HTX B"]


def test_capital_limits_of_article_74_are_warnings():
    # Hoa 35 of 100 M (> 30 %); associates 20 + 15 = 35 % (> 30 %); exactly 30 % is allowed.
    members = [Member("Hoa", 10, 35), Member("Mai", 10, 30), Member("Thu", 0, 20, "associate"),
               Member("Lan", 0, 15, "associate")]
    found = capital_warnings(members)
    assert [(w.kind, w.member) for w in found] == [("official_above_limit", "Hoa"), ("associates_above_limit", "")]
    assert found[0].share == pytest.approx(0.35) and found[1].share == pytest.approx(0.35)
    assert "Điều 74" in found[0].message("vi") and "thành viên chính thức" in found[0].message("vi")
    assert "associate capital members" in found[1].message("en").lower()
    d = distribute_surplus(100e6, members, funds=())  # a warning, not an error
    assert d.warnings == found and d.to_members > 0


# -- edge cases -----------------------------------------------------------------------------


def test_a_loss_distributes_nothing():
    d = distribute_surplus(-50_000_000, example_members(), internal_surplus=0, income_tax_rate=0.2, funds=FUNDS)
    assert d.is_loss and d.loss == 50_000_000
    assert d.indivisible_fund == d.income_tax == d.funds_total == d.to_members == 0
    assert (d.statement["total"] == 0).all()
    assert (d.shares()["amount"] == 0).all()


def test_a_zero_surplus_is_not_a_loss_and_shares_nothing():
    d = distribute_surplus(0, example_members(), funds=FUNDS)
    assert not d.is_loss and d.to_members == 0


def test_funds_taking_everything_leave_nothing_for_members():
    d = distribute_surplus(100_000_000, example_members(), funds=(replace(FUNDS[0], share=1.0),))
    assert d.funds_total == pytest.approx(95_000_000) and d.to_members == 0


def test_obligations_above_what_is_left_stay_uncovered():
    # 100 M external: 5 M indivisible; 95 M left; 120 M of past losses: 95 M covered, 25 M uncovered.
    d = distribute_surplus(100e6, [Member("A", 1, 1)], funds=FUNDS, obligations=120e6)
    assert d.obligations == pytest.approx(95e6) and d.obligations_uncovered == pytest.approx(25e6)
    assert d.to_members == 0 and d.funds_total == 0


def test_all_by_use_needs_no_capital_when_all_income_is_internal():
    d = distribute_surplus(100e6, [Member("A", 300, 0), Member("B", 100, 0)], internal_surplus=100e6,
                           indivisible_internal_rate=0, funds=(), use_share=1.0)
    assert d.statement["total"].tolist() == pytest.approx([75e6, 25e6])


def test_a_member_with_only_capital_gets_only_the_capital_part():
    d = distribute_surplus(100e6, [Member("A", 100, 10), Member("B", 0, 10)], internal_surplus=100e6,
                           indivisible_internal_rate=0, funds=(), use_share=0.6)
    assert d.member("B")["by_transactions"] == 0 and d.member("B")["by_capital"] == pytest.approx(20e6)


def test_an_associate_members_transactions_do_not_share_by_use():
    d = distribute_surplus(100e6, [Member("A", 100, 10), Member("B", 100, 10, "associate")], internal_surplus=100e6,
                           indivisible_internal_rate=0, funds=(), use_share=0.6)
    assert d.member("A")["by_transactions"] == pytest.approx(60e6) and d.member("B")["by_transactions"] == 0


def test_funds_left_out_still_read_the_dataset_with_a_deprecation_warning():
    """The domain function takes its funds; `load_funds` reads the file (for one release, None still does)."""
    members = example_members()
    with pytest.warns(DeprecationWarning, match="load_funds"):
        old = distribute_surplus(240e6, members, internal_surplus=180e6)
    new = distribute_surplus(240e6, members, internal_surplus=180e6, funds=load_funds())
    assert old.funds_total == pytest.approx(new.funds_total) and new.funds_total > 0
    assert old.statement["total"].tolist() == pytest.approx(new.statement["total"].tolist())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert distribute_surplus(240e6, members, internal_surplus=180e6, funds=()).funds_total == 0


def test_transactions_share_still_works_with_a_deprecation_warning():
    members = example_members()
    with pytest.warns(DeprecationWarning, match="use_share"):
        old = distribute_surplus(240e6, members, internal_surplus=180e6, funds=FUNDS, transactions_share=0.8)
    assert old.use_share == old.transactions_share == 0.8
    new = distribute_surplus(240e6, members, internal_surplus=180e6, funds=FUNDS, use_share=0.8)
    assert old.statement["total"].tolist() == pytest.approx(new.statement["total"].tolist())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        distribute_surplus(240e6, members, internal_surplus=180e6, funds=FUNDS)  # the new name does not warn
    with pytest.warns(DeprecationWarning), pytest.raises(InputError) as excinfo:
        distribute_surplus(240e6, members, internal_surplus=180e6, funds=FUNDS, transactions_share=0.3)
    assert_input_error(excinfo, "use_share", "below_legal_minimum")


# -- invariants -----------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=5e9)
positive_amounts = st.floats(min_value=1_000, max_value=5e9)
member_lists = st.lists(st.tuples(positive_amounts, positive_amounts), min_size=1, max_size=12)
fractions = st.floats(min_value=0, max_value=1)
use_shares = st.floats(min_value=USE_SHARE_MINIMUM, max_value=1)
external_rates = st.floats(min_value=0.05, max_value=1)


def _members(pairs):
    return [Member(f"Thành viên {i}", t, c) for i, (t, c) in enumerate(pairs, start=1)]


@st.composite
def fund_lists(draw):
    shares = draw(st.lists(st.floats(min_value=0, max_value=0.5), max_size=4))
    total = sum(shares)
    if total > 1:
        shares = [s / total for s in shares]
    return tuple(Fund(f"q{i}", f"Quỹ {i}", f"Fund {i}", min(s, 1.0)) for i, s in enumerate(shares))


@given(surplus=positive_amounts, internal=fractions, pairs=member_lists, internal_rate=fractions,
       external_rate=external_rates, tax=fractions, owed=amounts, split=use_shares, funds=fund_lists())
def test_indivisible_fund_tax_obligations_funds_and_members_add_up_to_the_surplus(
        surplus, internal, pairs, internal_rate, external_rate, tax, owed, split, funds):
    d = distribute_surplus(surplus, _members(pairs), internal_surplus=surplus * internal,
                           indivisible_internal_rate=internal_rate, indivisible_external_rate=external_rate,
                           income_tax_rate=tax, obligations=owed, funds=funds, use_share=split)
    paid = d.indivisible_fund + d.income_tax + d.obligations + d.funds["amount"].sum() + d.statement["total"].sum()
    assert paid == pytest.approx(surplus, rel=1e-9)
    assert d.obligations + d.obligations_uncovered == pytest.approx(owed, rel=1e-9, abs=1e-6)
    assert (d.statement["total"] >= 0).all()


@given(surplus=positive_amounts, internal=fractions, pairs=member_lists, split=use_shares, tax=fractions,
       funds=fund_lists())
def test_official_members_get_at_least_51_percent_of_the_distributable_internal_income_by_use(
        surplus, internal, pairs, split, tax, funds):
    d = distribute_surplus(surplus, _members(pairs), internal_surplus=surplus * internal, income_tax_rate=tax,
                           funds=funds, use_share=split)
    by_use = d.statement["by_transactions"].sum()
    assert by_use == pytest.approx(d.by_transactions, rel=1e-9, abs=1e-6)
    assert by_use >= USE_SHARE_MINIMUM * d.distributable_internal * (1 - 1e-9) - 1e-6
    assert d.indivisible_external >= 0.05 * d.external_surplus * (1 - 1e-12)


@given(surplus=positive_amounts, pairs=member_lists, tax=fractions, split=use_shares, funds=fund_lists())
def test_income_not_accounted_separately_is_all_external(surplus, pairs, tax, split, funds):
    unknown = distribute_surplus(surplus, _members(pairs), income_tax_rate=tax, funds=funds, use_share=split)
    assert not unknown.accounted_separately
    assert unknown.external_surplus == surplus and unknown.internal_surplus == 0
    assert unknown.by_transactions == 0 and unknown.distributable_internal == 0
    assert unknown.indivisible_fund >= 0.05 * surplus * (1 - 1e-12)
    none_internal = distribute_surplus(surplus, _members(pairs), internal_surplus=0, income_tax_rate=tax, funds=funds,
                                       use_share=split)
    assert unknown.statement["total"].tolist() == pytest.approx(none_internal.statement["total"].tolist())


@given(surplus=positive_amounts, internal=fractions, pairs=member_lists, split=use_shares)
def test_each_share_is_proportional_to_transactions_and_capital(surplus, internal, pairs, split):
    d = distribute_surplus(surplus, _members(pairs), internal_surplus=surplus * internal, funds=FUNDS, use_share=split)
    total_t = sum(t for t, _ in pairs)
    total_c = sum(c for _, c in pairs)
    for (t, c), (_, row) in zip(pairs, d.statement.iterrows(), strict=True):
        assert row["by_transactions"] == pytest.approx(d.by_transactions * t / total_t, rel=1e-9, abs=1e-6)
        assert row["by_capital"] == pytest.approx(d.by_capital * c / total_c, rel=1e-9, abs=1e-6)


@given(surplus=amounts, pairs=member_lists, factor=st.floats(min_value=0.01, max_value=100), split=use_shares)
def test_scaling_every_members_transactions_does_not_change_the_statement(surplus, pairs, factor, split):
    base = distribute_surplus(surplus, _members(pairs), internal_surplus=surplus / 2, funds=FUNDS, use_share=split)
    scaled = distribute_surplus(surplus, _members([(t * factor, c) for t, c in pairs]), internal_surplus=surplus / 2,
                                funds=FUNDS, use_share=split)
    for column in ("share_of_transactions", "by_transactions", "by_capital", "total"):
        assert scaled.statement[column].tolist() == pytest.approx(base.statement[column].tolist(), rel=1e-9, abs=1e-6)


@given(capitals=st.lists(st.floats(min_value=0, max_value=1e9), min_size=1, max_size=8),
       kinds=st.lists(st.sampled_from(["official", "associate"]), min_size=8, max_size=8), union=st.booleans())
def test_a_capital_warning_is_given_exactly_beyond_the_limits(capitals, kinds, union):
    members = [Member(f"TV {i}", 1.0, c, k) for i, (c, k) in enumerate(zip(capitals, kinds))]
    total = sum(capitals)
    warned = {w.member for w in capital_warnings(members, union=union) if w.kind == "official_above_limit"}
    limit = 0.40 if union else 0.30
    expected = {m.name for m in members if m.kind == "official" and total > 0 and m.capital / total > limit + 1e-12}
    assert warned == expected


@given(surplus=st.floats(min_value=-5e9, max_value=0), pairs=member_lists)
def test_no_surplus_means_nothing_to_anyone(surplus, pairs):
    d = distribute_surplus(surplus, _members(pairs), income_tax_rate=0.2, funds=FUNDS)
    assert d.to_members == 0 and d.funds_total == 0 and d.income_tax == 0 and d.indivisible_fund == 0
    assert d.is_loss == (surplus < 0)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"income_tax_rate": 1.2}, "income_tax_rate", "not_a_fraction_incl"),
        ({"income_tax_rate": -0.1}, "income_tax_rate", "not_a_fraction_incl"),
        ({"use_share": 1.5}, "use_share", "not_a_fraction_incl"),
        ({"use_share": 0.5}, "use_share", "below_legal_minimum"),
        ({"indivisible_external_rate": 0.04}, "indivisible_external_rate", "below_legal_minimum"),
        ({"indivisible_external_rate": 0.08, "union": True}, "indivisible_external_rate", "below_legal_minimum"),
        ({"indivisible_internal_rate": 1.1}, "indivisible_internal_rate", "not_a_fraction_incl"),
        ({"internal_surplus": 300e6}, "internal_surplus", "part_above_whole"),
        ({"internal_surplus": -1}, "internal_surplus", "negative"),
        ({"obligations": -1}, "obligations", "negative"),
        ({"surplus": float("nan")}, "surplus", "not_finite"),
        ({"surplus": "hai trăm triệu"}, "surplus", "not_a_number"),
        ({"funds": (replace(FUNDS[0], share=0.7), replace(FUNDS[1], share=0.5))}, "funds_total_share",
         "funds_above_total"),
        ({"funds": (FUNDS[0], FUNDS[0])}, "fund_share", "duplicate_key"),
        ({"members": []}, "members", "no_members"),
        ({"members": [Member("Lò Văn Bình", 1, 1), Member("lò  văn bình", 2, 2)]}, "member_name", "duplicate_member"),
        ({"members": [Member("A", 1, 1), Member("B", 0, 0)]}, "member_transactions", "member_nothing"),
        ({"members": [Member("A", 1, 1), Member("B", 5, 0, "associate")]}, "member_transactions", "member_nothing"),
        ({"members": [Member("A", 0, 1)], "internal_surplus": 100e6}, "member_transactions", "no_member_transactions"),
        ({"members": [Member("A", 1, 0)]}, "member_capital", "no_member_capital"),
    ],
)
def test_bad_distribution_input_is_explained(kwargs, field, reason):
    args = {"surplus": 240e6, "members": example_members(), "funds": FUNDS} | kwargs
    surplus, members = args.pop("surplus"), args.pop("members")
    with pytest.raises(InputError) as excinfo:
        distribute_surplus(surplus, members, **args)
    assert_input_error(excinfo, field, reason)


def test_a_legal_minimum_names_the_article():
    with pytest.raises(InputError) as excinfo:
        distribute_surplus(240e6, example_members(), funds=FUNDS, use_share=0.5)
    assert "Điều 86" in excinfo.value.message("vi") and "51%" in excinfo.value.message("vi")
    with pytest.raises(InputError) as excinfo:
        distribute_surplus(240e6, example_members(), funds=FUNDS, indivisible_external_rate=0.02)
    assert "Art. 84" in excinfo.value.message("en") and "5%" in excinfo.value.message("en")


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
        (lambda: Member("Hoa", 1, 1, "xã viên"), "member_kind", "unknown_member_kind", "associate capital member"),
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
        distribute_surplus(1e6, example_members(), funds=FUNDS).member("Không có")
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


def test_a_bad_member_kind_in_the_file_names_row_and_column(tmp_path):
    (tmp_path / "members_example.csv").write_text("name,kind,transactions,capital,source\nAn,xa_vien,1,1,x\n",
                                                  encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        example_members(tmp_path)
    assert excinfo.value.reason == "data_unknown_value" and "kind" in excinfo.value.message("en")


def test_member_texts_use_the_2023_law_terms():
    # Issue 10, section 4: "thành viên" (never "xã viên"), "thành viên chính thức",
    # "thành viên liên kết góp vốn", "Hội đồng quản trị, Giám đốc" (not "ban quản lý").
    from pathlib import Path

    import coopkit

    from coopkit import workbooks

    # the app's texts, and the lesson (its notebook's Vietnamese cells) since issue 12
    text = (Path(coopkit.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "members.po").read_text(encoding="utf-8")
    lesson = "\n".join(cell.source for cell in workbooks.prose(workbooks.find("member_income"), "vi"))
    for words in (text, lesson):
        assert "xã viên" not in words.lower() and "ban quản lý" not in words.lower()
    for term in ("thành viên chính thức", "thành viên liên kết góp vốn"):
        assert term in text and term in lesson
    assert "Hội đồng quản trị" in lesson and "Giám đốc" in lesson


# -- chart ----------------------------------------------------------------------------------


def test_chart_draws_each_destination_and_each_member():
    from coopkit.plots.members import member_income_chart
    from coopkit.ui.base import figure_png

    d = distribute_surplus(240e6, example_members(), internal_surplus=180e6, obligations=5e6, funds=FUNDS)
    figure = member_income_chart(d, "vi", highlight="Lò Văn Bình")
    where, per_member = figure.axes
    assert [p.get_width() for p in where.patches] == pytest.approx(d.shares()["amount"].tolist())
    labels = [t.get_text() for t in where.get_yticklabels()]
    assert labels[0] == "Quỹ chung không chia" and "Nghĩa vụ, bù lỗ" in labels
    assert len(per_member.patches) == 2 * len(d.statement)
    assert where.get_title() == "Lãi đi đâu?"
    assert figure_png(figure).startswith(b"\x89PNG")
    loss = member_income_chart(distribute_surplus(-1e6, example_members(), funds=FUNDS), "en")
    assert "nothing to share" in " ".join(t.get_text() for t in loss.axes[0].texts)
