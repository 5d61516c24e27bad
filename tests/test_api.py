"""The public API: a small top level, one argument order, old names and orders deprecated (issue 11 §2)."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import warnings
from pathlib import Path

import pandas.testing as pd_testing
import pytest

import coopkit as ck
from coopkit import breakeven, pricing
from coopkit._compat import REMOVED_IN, old_first_argument, old_positional_order

ROOT = Path(__file__).resolve().parent.parent

# 1. A small top level --------------------------------------------------------------------------


def test_the_top_level_is_small_and_every_name_resolves_without_a_warning():
    assert 20 <= len(ck.__all__) <= 35, len(ck.__all__)
    assert len(set(ck.__all__)) == len(ck.__all__)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ck.__all__:
            assert getattr(ck, name) is not None
            assert name in vars(ck), f"{name} is in __all__ but reached through the deprecation path"
        exec("from coopkit import *", {})


def test_the_top_level_offers_the_lessons_verbs():
    # One per topic of a lesson or a manager's notebook (issue 11 §2).
    verbs = {"unit_cost", "break_even", "price_for_markup", "price_for_margin", "Channel", "channel_result",
             "compare_channels", "goal_seek", "data_table", "simulate_profit", "best_crop_mix", "loan_payment",
             "npv", "irr", "appraise", "cash_flow_plan", "distribute_surplus", "InputError"}
    assert verbs <= set(ck.__all__)


def test_no_name_of_the_old_top_level_is_lost():
    # 0.1 exported 110 names; each is now either at the top level or moved to its module.
    assert set(ck.__all__).isdisjoint(ck._MOVED)
    assert len(ck.__all__) + len(ck._MOVED) == 110


# 2. Moved names work for one release, with a warning ----------------------------------------------


@pytest.mark.parametrize("name", sorted(ck._MOVED))
def test_a_moved_name_still_works_warns_and_is_the_modules_object(name):
    module = ck._MOVED[name]
    with pytest.warns(DeprecationWarning, match=rf"coopkit\.{name} is deprecated .* coopkit {re.escape(REMOVED_IN)}; "
                                                rf"use {re.escape(module)}\.{name} ") as caught:
        obj = getattr(ck, name)
    assert obj is getattr(importlib.import_module(module), name)
    assert name not in ck.__all__ and name in dir(ck)
    assert caught[0].filename == __file__  # the warning points at the caller's line


def test_a_moved_name_can_still_be_imported_from_the_top_level():
    with pytest.warns(DeprecationWarning, match=r"use coopkit\.flock\.flock_plan"):
        from coopkit import flock_plan
    from coopkit.flock import flock_plan as from_module
    assert flock_plan is from_module


def test_an_unknown_name_is_an_attribute_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="no_such_function"):
            ck.no_such_function  # noqa: B018
        assert not hasattr(ck, "__wrapped__")


def test_notebooks_use_only_the_top_level_or_module_paths():
    # Notebooks run in a kernel, out of reach of pytest's warning filter: check their ck.X by name.
    used = {}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for name in re.findall(r"\bck\.(\w+)", "".join(cell["source"])):
                    used.setdefault(name, notebook.name)
    assert used, "the notebooks call no ck.X: the check would prove nothing"
    deprecated = {name: where for name, where in used.items() if name in ck._MOVED}
    assert not deprecated, f"use the module path for {deprecated}"
    unknown = {name: where for name, where in used.items() if name not in ck.__all__ and not
               inspect.ismodule(getattr(ck, name, None))}
    assert not unknown


# 3. One argument order ----------------------------------------------------------------------------

#: The package's one order for the same quantities: fixed costs, price, variable cost, volume.
#: A list price is a price and a cost per unit a variable cost; a target margin comes after them.
#: A sales channel comes before all of them (`_channel_after_a_number`).
RANK = {"fixed_costs": 0, "price_per_unit": 1, "list_price": 1, "variable_cost_per_unit": 2, "cost_per_unit": 2,
        "volume": 3, "target_margin": 4}


def _public_functions():
    seen = set()
    for info in pkgutil.walk_packages(ck.__path__, "coopkit."):
        if any(part.startswith("_") for part in info.name.split(".")) or info.name == "coopkit.server":
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not callable(obj) or getattr(obj, "__module__", None) != info.name:
                continue
            functions = [(name, obj)] if inspect.isfunction(obj) else []
            if inspect.isclass(obj):
                functions = [(f"{name}.{m}", f) for m, f in vars(obj).items()
                             if not m.startswith("_") and inspect.isfunction(f)]
            for qualname, function in functions:
                if (info.name, qualname) not in seen:
                    seen.add((info.name, qualname))
                    yield f"{info.name}.{qualname}", function


def _groups(function) -> list[list[str]]:
    """The quantities a function takes, in signature order: those a caller may pass by position, and
    the keyword-only ones (which cannot be swapped by position, but read in the same order)."""
    positional, keyword_only = [], []
    for name, parameter in inspect.signature(function).parameters.items():
        if name in RANK:
            (keyword_only if parameter.kind is inspect.Parameter.KEYWORD_ONLY else positional).append(name)
    return [positional, keyword_only]


def _out_of_order(function) -> list[str]:
    return [n for group in _groups(function) if [RANK[n] for n in group] != sorted(RANK[n] for n in group)
            for n in group]


#: Still in an old order, waiting for its module's owner (issue 11 §2). Remove a line when its
#: function is fixed (the test says so).
PENDING: dict[str, list[str]] = {}


def _channel_after_a_number(function) -> list[str]:
    """The parameters that take a `Channel` (by their annotation) and come after one of the quantities."""
    parameters = list(inspect.signature(function).parameters.items())
    first_number = next((i for i, (name, _) in enumerate(parameters) if name in RANK), len(parameters))
    return [name for name, p in parameters[first_number:] if re.search(r"\bChannel\b", str(p.annotation))]


def test_every_public_function_takes_the_quantities_in_one_order():
    checked = {name: function for name, function in _public_functions()
               if sum(map(len, _groups(function))) >= 2}
    # The sweep reaches the functions it is about (a wrong walk would check nothing).
    assert {"coopkit.breakeven.profit", "coopkit.breakeven.margin_of_safety", "coopkit.breakeven.break_even",
            "coopkit.pricing.channel_result", "coopkit.costs.unit_cost", "coopkit.risk.simulate_profit"} <= set(checked)
    wrong = {name: _out_of_order(function) for name, function in checked.items() if _out_of_order(function)}
    assert wrong == PENDING, f"take {', '.join(RANK)} in this order (and update PENDING): {wrong}"


def test_a_channel_comes_before_the_numbers():
    with_channel = {name: function for name, function in _public_functions()
                    if any(re.search(r"\bChannel\b", str(p.annotation))
                           for p in inspect.signature(function).parameters.values())}
    # The sweep reaches the functions about a channel (by the annotation, not by the name).
    assert {"coopkit.pricing.channel_result", "coopkit.pricing.price_for_channel_margin",
            "coopkit.pricing.compare_channels", "coopkit.models.pricing_plan_inputs", "coopkit.models.channel_inputs",
            "coopkit.demand.best_price", "coopkit.demand.plan_demand"} <= set(with_channel)
    late = {name: _channel_after_a_number(function) for name, function in with_channel.items()
            if _channel_after_a_number(function)}
    assert late == {}, f"take the channel first, then the numbers: {late}"


def test_the_order_check_sees_an_old_order():
    def old_profit(volume, price_per_unit, fixed_costs, variable_cost_per_unit): ...

    def new_profit(*, fixed_costs, price_per_unit, variable_cost_per_unit, volume): ...

    def mixed(price_per_unit, variable_cost_per_unit, *, volume, fixed_costs): ...

    assert _out_of_order(old_profit) == ["volume", "price_per_unit", "fixed_costs", "variable_cost_per_unit"]
    assert _out_of_order(mixed) == ["volume", "fixed_costs"]
    assert _out_of_order(new_profit) == [] and _out_of_order(breakeven.break_even) == []


def test_the_channel_check_sees_a_channel_after_a_number():
    def old_result(list_price: float, channel: pricing.Channel, cost_per_unit: float = 0.0): ...

    def old_target(cost_per_unit: float, target_margin: float, channel: "Channel"): ...

    def old_compare(list_price: float, channels: "Iterable[Channel]"): ...

    def key_only(list_price: float, channel: str): ...  # a channel's key is not a Channel

    assert _channel_after_a_number(old_result) == ["channel"]
    assert _channel_after_a_number(old_target) == ["channel"]
    assert _channel_after_a_number(old_compare) == ["channels"]
    assert _channel_after_a_number(key_only) == []
    assert _out_of_order(lambda target_margin, cost_per_unit: None) == ["target_margin", "cost_per_unit"]
    for function in (pricing.channel_result, pricing.price_for_channel_margin, pricing.compare_channels):
        assert _channel_after_a_number(function) == [] and _out_of_order(function) == []


# 4. Changed orders: the old positional call still gives the old answer, with a warning ----------------

# Sơn Nam eggs: 600 million đồng fixed, 2 600 đ an egg, 1 900 đ variable, 1 095 000 eggs a year.
EGGS = dict(fixed_costs=600_000_000, price_per_unit=2_600, variable_cost_per_unit=1_900, volume=1_095_000)


def test_profit_by_name_is_the_textbook_answer():
    # 1 095 000 × (2 600 − 1 900) − 600 000 000 = 766 500 000 − 600 000 000
    assert ck.profit(**EGGS) == 166_500_000.0
    assert breakeven.profit(volume=0, fixed_costs=5e6, price_per_unit=10, variable_cost_per_unit=1) == -5e6


def test_margin_of_safety_by_name_is_the_textbook_answer():
    # break-even 600 000 000 / 700 = 857 142.857 eggs; (1 095 000 − 857 142.857) / 1 095 000
    assert ck.margin_of_safety(**EGGS) == pytest.approx((1_095_000 - 600_000_000 / 700) / 1_095_000, rel=1e-12)
    assert ck.margin_of_safety(**EGGS) == pytest.approx(0.217221, rel=1e-5)


@pytest.mark.parametrize(("function", "answer"), [(breakeven.profit, 166_500_000.0),
                                                   (breakeven.margin_of_safety, 0.2172211350293542)])
def test_an_old_positional_call_gives_the_old_answer_with_a_warning(function, answer):
    # 0.1 order: (volume, price_per_unit, fixed_costs, variable_cost_per_unit)
    with pytest.warns(DeprecationWarning, match=rf"{function.__name__}\(\): positional arguments are deprecated "
                                                rf".*pass them by name: {function.__name__}\(volume=\.\.\.") as caught:
        old = function(1_095_000, 2_600, 600_000_000, 1_900)
    assert old == pytest.approx(answer, rel=1e-12)
    assert old == pytest.approx(function(**EGGS), rel=1e-12)
    assert caught[0].filename == __file__
    # Two positional and the rest by name: still mapped by the old order.
    with pytest.warns(DeprecationWarning):
        assert function(1_095_000, 2_600, variable_cost_per_unit=1_900, fixed_costs=600_000_000) == \
            pytest.approx(answer, rel=1e-12)


def test_the_demand_functions_old_positional_calls_give_the_old_answer_with_a_warning():
    from coopkit import demand
    from coopkit.pricing import Channel

    curve = demand.fit_demand(*demand.example_sales(28_000, 128_000))
    market = Channel("cho", "Chợ đầu mối", "Wholesale market")
    by_name = demand.plan_demand(curve, market, fixed_costs=300e6, list_price=28_000, variable_cost_per_unit=14_000,
                                 volume=128_000)
    # 0.1 order: (curve, channel, variable_cost_per_unit, fixed_costs, volume, list_price)
    with pytest.warns(DeprecationWarning, match=r"plan_demand\(variable_cost_per_unit=\.\.\., fixed_costs=\.\.\."):
        old = demand.plan_demand(curve, market, 14_000, 300e6, 128_000, 28_000)
    assert old.profit == by_name.profit and old.best.price == by_name.best.price
    # (1 492.0 million đồng, as in plan_demand's docstring)
    assert round(by_name.profit / 1e6, 1) == 1492.0
    with pytest.warns(DeprecationWarning, match=r"best_price\(variable_cost_per_unit=\.\.\., fixed_costs=\.\.\.\)"):
        old_best = demand.best_price(curve, market, 14_000, 300e6)
    assert old_best == demand.best_price(curve, market, fixed_costs=300e6, variable_cost_per_unit=14_000)
    with pytest.warns(DeprecationWarning, match=r"price_response\(variable_cost_per_unit=\.\.\.\)"):
        old_table = demand.price_response(curve, market, 14_000, points=5)
    assert old_table.equals(demand.price_response(curve, market, variable_cost_per_unit=14_000, points=5))


@pytest.mark.parametrize("function", [breakeven.profit, breakeven.margin_of_safety])
def test_the_new_order_is_keyword_only_and_documented(function):
    parameters = inspect.signature(function).parameters
    assert list(parameters) == ["fixed_costs", "price_per_unit", "variable_cost_per_unit", "volume"]
    assert {p.kind for p in parameters.values()} == {inspect.Parameter.KEYWORD_ONLY}
    assert "Warnings\n    --------" in function.__doc__ and "DeprecationWarning" in function.__doc__


def test_an_old_call_that_names_an_argument_twice_or_passes_too_many_is_refused():
    with pytest.raises(TypeError, match="multiple values for argument 'volume'"):
        breakeven.profit(1_095_000, volume=1)
    with pytest.raises(TypeError, match="at most 4 positional arguments"):
        breakeven.profit(1, 2, 3, 4, 5)


def test_the_deprecation_shim_keeps_the_signature_and_calls_by_name():
    @old_positional_order("b", "a")
    def minus(*, a, b):
        """a − b."""
        return a - b

    assert minus(a=5, b=2) == 3
    with pytest.warns(DeprecationWarning, match=r"minus\(b=\.\.\., a=\.\.\.\)"):
        assert minus(2, 5) == 3
    assert list(inspect.signature(minus).parameters) == ["a", "b"] and minus.__doc__ == "a − b."


def test_the_shim_keeps_leading_positional_parameters():
    @old_positional_order("curve", "variable_cost_per_unit", "fixed_costs")
    def best(curve, *, fixed_costs=0.0, variable_cost_per_unit):
        return curve, fixed_costs, variable_cost_per_unit

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert best("demand", variable_cost_per_unit=2) == ("demand", 0.0, 2)
    with pytest.warns(DeprecationWarning, match=r"best\(variable_cost_per_unit=\.\.\., fixed_costs=\.\.\.\)"):
        assert best("demand", 2, 5) == ("demand", 5, 2)
    with pytest.raises(TypeError, match="must start the old order"):
        old_positional_order("a", "b")(lambda b, *, a: None)


def test_our_deprecations_are_errors_in_the_test_run():
    # pyproject's filter turns coopkit's own DeprecationWarnings into errors (not third parties').
    with pytest.raises(DeprecationWarning):
        breakeven.profit(1_095_000, 2_600, 600_000_000, 1_900)
    with pytest.raises(DeprecationWarning):
        ck.cvp_table  # noqa: B018


# 5. The channel first: the old calls (a number first) still give the old answer, with a warning ------

# Lạc Thủy oranges online (illustrative 10 % commission, 5 % payment fee, a 20 000 đ box per 5 kg order),
# costing 15 000 đ/kg, at 35 000 đ/kg: 25 750 đ/kg reaches the cooperative (pricing's docstrings).
ONLINE = pricing.Channel("san_tmdt", "Sàn thương mại điện tử", "Online marketplace", commission_rate=0.10,
                         payment_fee_rate=0.05, packaging_per_order=20_000, units_per_order=5)
MARKET = pricing.Channel("cho", "Chợ đầu mối", "Wholesale market")


def _old_call(function, *args, **kwargs):
    """``function(*args, **kwargs)`` in an old order: its result and the warning's message."""
    with pytest.warns(DeprecationWarning, match=rf"{function.__name__}\(\): this argument order is deprecated "
                                                rf"and stops working in coopkit {re.escape(REMOVED_IN)}") as caught:
        result = function(*args, **kwargs)
    assert len(caught) == 1 and caught[0].filename == __file__  # the warning points at the caller's line
    return result, str(caught[0].message)


@pytest.mark.parametrize(("args", "kwargs"), [((35_000, ONLINE, 15_000), {}), ((35_000, ONLINE), dict(cost_per_unit=15_000)),
                                              ((35_000,), dict(channel=ONLINE, cost_per_unit=15_000))])
def test_channel_results_old_calls_give_the_same_answer_with_a_warning(args, kwargs):
    new = pricing.channel_result(ONLINE, list_price=35_000, cost_per_unit=15_000)
    assert (new.net_per_unit, new.profit_per_unit) == (25_750.0, 10_750.0)
    old, message = _old_call(pricing.channel_result, *args, **kwargs)
    assert old == new
    assert message.endswith("pass channel first and the rest by name: "
                            "channel_result(channel, list_price=..., cost_per_unit=...)")


def test_price_for_channel_margins_old_call_gives_the_same_answer_with_a_warning():
    # (20 000 / 5 + 15 000) / (0.85 − 0.30) = 34 545.45 đ/kg, as in its docstring
    new = pricing.price_for_channel_margin(ONLINE, cost_per_unit=15_000, target_margin=0.30)
    assert new == pytest.approx(19_000 / 0.55, rel=1e-12)
    old, message = _old_call(pricing.price_for_channel_margin, 15_000, 0.30, ONLINE)
    assert old == new
    assert "price_for_channel_margin(channel, cost_per_unit=..., target_margin=...)" in message
    assert _old_call(pricing.price_for_channel_margin, 15_000, target_margin=0.30, channel=ONLINE)[0] == new


def test_compare_channels_old_calls_give_the_same_table_with_a_warning():
    prices = {"cho": 18_000, "san_tmdt": 35_000}
    new = pricing.compare_channels([MARKET, ONLINE], list_price=prices, cost_per_unit=15_000, target_margin=0.2,
                                   lang="en")
    assert new["net_per_unit"].tolist() == [18_000.0, 25_750.0]
    old, message = _old_call(pricing.compare_channels, prices, [MARKET, ONLINE], 15_000, 0.2, "en")
    pd_testing.assert_frame_equal(old, new)
    assert "compare_channels(channels, list_price=..., cost_per_unit=..., target_margin=..., lang=...)" in message
    # one price for every channel, the channels as a dict's values (as the channel app passes them)
    one_price, _ = _old_call(pricing.compare_channels, 30_000, {"cho": MARKET}.values())
    assert one_price.equals(pricing.compare_channels({"cho": MARKET}.values(), list_price=30_000))


def test_pricing_plan_inputs_old_positional_call_gives_the_same_inputs_with_a_warning():
    new = ck.models.pricing_plan_inputs(MARKET, fixed_costs=610e6, list_price=3_000, variable_cost_per_unit=2_067,
                                        volume=1_095_000)
    # 0.1 order: (channel, list_price, fixed_costs, variable_cost_per_unit, volume)
    with pytest.warns(DeprecationWarning, match=r"pricing_plan_inputs\(list_price=\.\.\., fixed_costs=\.\.\., "
                                                r"variable_cost_per_unit=\.\.\., volume=\.\.\.\)"):
        old = ck.models.pricing_plan_inputs(MARKET, 3_000, 610e6, 2_067, 1_095_000)
    assert old == new and new["list_price"] == 3_000 and new["fixed_costs"] == 610e6
    # Sơn Nam eggs at the market: 1 095 000 × (3 000 − 2 067) − 610 000 000 = 411 635 000 đồng
    assert ck.whatif.evaluate("pricing_plan", old)["profit"] == pytest.approx(411_635_000.0, rel=1e-12)


@pytest.mark.parametrize("call", [
    lambda: pricing.channel_result(ONLINE, list_price=35_000),
    lambda: pricing.channel_result(channel=ONLINE, list_price=35_000),
    lambda: pricing.price_for_channel_margin(ONLINE, cost_per_unit=15_000, target_margin=0.3),
    lambda: pricing.compare_channels([MARKET], list_price=30_000),
    lambda: pricing.compare_channels(iter([MARKET]), list_price=30_000),  # an iterator is not consumed to tell
])
def test_the_new_channel_first_calls_do_not_warn(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert call() is not None


def test_an_old_channel_call_that_names_an_argument_twice_or_passes_too_many_is_refused():
    with pytest.raises(TypeError, match="multiple values for argument 'channel'"):
        pricing.channel_result(35_000, ONLINE, channel=MARKET)
    with pytest.raises(TypeError, match="at most 3 positional arguments"):
        pricing.channel_result(35_000, ONLINE, 15_000, 1)
    # the new form with a number by position is not an old call: Python refuses it
    with pytest.raises(TypeError, match="positional argument"):
        pricing.channel_result(ONLINE, 35_000)  # type: ignore[misc]
    # neither a number nor a Channel first: the function's own refusal, no warning
    with pytest.raises(TypeError, match="channel must be a Channel, not str"):
        pricing.channel_result("san_tmdt", list_price=35_000)  # type: ignore[arg-type]


def test_the_first_argument_shim_keeps_the_signature_and_checks_its_old_order():
    @old_first_argument("price_per_kg", "product", "kilos")
    def sale(product, *, price_per_kg, kilos=1):
        """What ``kilos`` of ``product`` bring."""
        return product, price_per_kg * kilos

    assert sale("cam", price_per_kg=35_000, kilos=2) == ("cam", 70_000)
    with pytest.warns(DeprecationWarning, match=r"sale\(product, price_per_kg=\.\.\., kilos=\.\.\.\)"):
        assert sale(35_000, "cam", 2) == ("cam", 70_000)
    assert list(inspect.signature(sale).parameters) == ["product", "price_per_kg", "kilos"]
    assert sale.__doc__ == "What ``kilos`` of ``product`` bring."
    with pytest.raises(TypeError, match="one positional parameter"):
        old_first_argument("a", "b")(lambda a, b: None)
    with pytest.raises(TypeError, match="one positional parameter"):
        old_first_argument("a", "c")(lambda b, *, a: None)


def test_submodules_are_reached_from_the_top_level_when_first_asked_for():
    """``ck.reference`` or ``ck.store`` works after ``import coopkit`` alone, without a warning and
    without importing them at ``import coopkit`` (nothing is imported for a side effect)."""
    import subprocess
    import sys

    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "import coopkit as ck\n"
        "assert 'coopkit.reference' not in sys.modules and 'coopkit.store' not in sys.modules\n"
        "assert ck.reference.__name__ == 'coopkit.reference'\n"
        "assert ck.store.ScenarioStore.__module__ == 'coopkit.store'\n"
        "try:\n"
        "    ck.no_such_module\n"
        "except AttributeError as err:\n"
        "    assert 'no_such_module' in str(err)\n"
        "else:\n"
        "    raise SystemExit('an unknown name did not raise AttributeError')\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
