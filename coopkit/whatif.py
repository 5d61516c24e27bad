"""What-if tools over any model: scenarios, goal seek, data tables and tornado sensitivity.

A `Model` is a named function from a dict of inputs to a dict of outputs, with the range in
which each input makes sense. The tools below work on any model, so a new model (yields,
loans…) plugs in by being registered with `register_model`, without changing this code.

The tools find a model by name in `MODELS`: the workbooks' models (the ``MODELS`` tuple of
`coopkit.models`, read on the first lookup) and those added with `register_model`.

Spreadsheet equivalents: `goal_seek` is Excel's Goal Seek, `data_table` its Data Table (one or
two inputs), `evaluate_scenarios` and `compare_scenarios` its Scenario Manager.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coopkit.errors import InputError
from coopkit.fields import Shown, register_fields
from coopkit.validate import check_finite, check_object, check_positive

register_fields({"goal_low": "number", "goal_high": "number", "goal_tolerance": "number"})


def _values_list(field: str, values: object) -> list:
    """``values`` (numbers to try) as a list; text, a single number or a table is bad input."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise InputError(field, reason="values_not_a_list", text=str(values))
    return list(values)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MODELS",
    "Model",
    "Scenario",
    "compare_scenarios",
    "data_table",
    "evaluate",
    "evaluate_scenarios",
    "get_model",
    "goal_seek",
    "register_model",
    "spider",
    "tornado",
]

Values = Mapping[str, float]


@dataclass(frozen=True)
class Model:
    """A what-if model: inputs in, outputs out.

    Parameters
    ----------
    name
        Short key (``"break_even"``).
    inputs
        Input names, each a field of `coopkit.fields` (``"price_per_unit"``).
    outputs
        Output names, each a field of `coopkit.fields` (``"profit"``).
    function
        ``function(inputs) -> {output: value}``; it may raise `InputError` for bad inputs.
    bounds
        For each input, the smallest and largest value a search may try. ``None`` as the upper
        bound means "ten times the current value" (at least 1).
    grid_function
        Optional: the same model on numpy arrays (inputs broadcast together), with NaN outputs
        where ``function`` would raise `InputError`. `data_table` uses it for two-input grids;
        a test checks that it agrees with ``function`` cell by cell.
    """

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    function: Callable[[Values], Values]
    bounds: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)
    grid_function: Callable[[Mapping[str, object]], Mapping[str, object]] | None = None

    def range_of(self, name: str, current: float) -> tuple[float, float]:
        """The search range of input ``name`` around its ``current`` value."""
        low, high = self.bounds.get(name, (0.0, None))
        return low, (high if high is not None else max(10.0 * abs(current), 1.0))


def _builtin_models() -> tuple[Model, ...]:
    """The workbooks' models: the ``MODELS`` tuple of `coopkit.models`.

    Imported here, on the first lookup, because `coopkit.models` builds its models with this
    module's `Model` (a module-level import would go round in a circle).
    """
    from coopkit import models

    return models.MODELS


class ModelRegistry(Mapping[str, Model]):
    """The models the what-if tools know by name (read-only; add one with `register_model`).

    The built-in models are read from `coopkit.models` on the first lookup, so importing
    `coopkit.whatif` registers nothing as a side effect; a model registered later with the same
    name replaces a built-in one.

    >>> MODELS["break_even"].inputs
    ('fixed_costs', 'price_per_unit', 'variable_cost_per_unit', 'volume')
    >>> {"unit_cost", "break_even", "channel_pricing", "pricing_plan"} <= set(MODELS)
    True
    """

    def __init__(self) -> None:
        self._models: dict[str, Model] | None = None

    def _all(self) -> dict[str, Model]:
        if self._models is None:
            self._models = {model.name: model for model in _builtin_models()}
        return self._models

    def add(self, model: Model) -> Model:
        """Add ``model`` under its name (`register_model` calls this); returns it."""
        self._all()[check_object("model", model, Model).name] = model
        return model

    def __getitem__(self, name: str) -> Model:
        return self._all()[name]

    def __iter__(self):  # noqa: ANN204 - Mapping's iterator
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"ModelRegistry({sorted(self._all())!r})"


#: Every model the tools know by name.
MODELS = ModelRegistry()


@dataclass(frozen=True)
class Scenario:
    """A named set of input values for one model, as a manager pins, saves and shares it.

    Parameters
    ----------
    name
        What the manager calls it (``"Shopee 28 000 ₫, mùa kém"``); any text.
    model
        Name of a registered `Model`.
    inputs
        ``{input: value}`` for every input of the model.
    product, channel
        Keys of the product template and channel it started from (``""`` when none).
    note
        Free text.
    saved_at
        ISO 8601 time of saving (``""`` until saved).

    Examples
    --------
    >>> s = Scenario("plan", "unit_cost", {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000,
    ...                                    "volume": 40_000})
    >>> Scenario.from_dict(s.to_dict()) == s
    True
    """

    name: str
    model: str
    inputs: Mapping[str, float]
    product: str = ""
    channel: str = ""
    note: str = ""
    saved_at: str = ""

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return {
            "name": self.name, "model": self.model, "inputs": {k: float(v) for k, v in self.inputs.items()},
            "product": self.product, "channel": self.channel, "note": self.note, "saved_at": self.saved_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Scenario:
        """A scenario from `to_dict` data, checked against its model.

        Raises `InputError` naming the part that is wrong (a missing name, an unknown model,
        a missing or non-numeric input).
        """
        if not isinstance(data, Mapping):
            raise InputError("scenario", reason="not_a_scenario", value=type(data).__name__)
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError("scenario", reason="empty_name", value=name)
        model = get_model(str(data.get("model", "")))
        raw = data.get("inputs")
        if not isinstance(raw, Mapping):
            raise InputError("scenario", reason="not_a_scenario", value=name)
        inputs = _check_inputs(model, {str(k): _number(str(k), v) for k, v in raw.items()})
        text = {k: data.get(k, "") for k in ("product", "channel", "note", "saved_at")}
        for key, value in text.items():
            if not isinstance(value, str):
                raise InputError(key, reason="not_text", value=value)
        return cls(name=name.strip(), model=model.name, inputs=inputs, **text)  # type: ignore[arg-type]

    def evaluate(self) -> dict[str, float]:
        """The model's outputs for this scenario."""
        return evaluate(self.model, self.inputs)


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(name, reason="not_a_number", value=value, text=str(value))
    return float(value)


def register_model(model: Model) -> Model:
    """Make ``model`` available by name to the what-if tools and apps; returns it.

    A cooperative's own model, revenue of eggs sold by the tray, works with the tools as an
    object; ``register_model(trays)`` would make it available by its name ``"egg_trays"`` too:

    >>> trays = Model("egg_trays", inputs=("volume", "price_per_unit"), outputs=("revenue",),
    ...               function=lambda v: {"revenue": v["volume"] * v["price_per_unit"]})
    >>> evaluate(trays, {"volume": 100, "price_per_unit": 90_000})
    {'revenue': 9000000.0}
    """
    return MODELS.add(model)


def get_model(model: Model | str) -> Model:
    """A model, given itself or its name (`MODELS`); an unknown name is bad input.

    >>> get_model("unit_cost").outputs
    ('unit_cost', 'total_costs')
    """
    if isinstance(model, Model):
        return model
    try:
        return MODELS[model]
    except KeyError:
        raise InputError("model", reason="unknown_model", value=model) from None


def _check_inputs(model: Model, inputs: Values) -> dict[str, float]:
    check_object("model", inputs, Mapping)
    missing = [name for name in model.inputs if name not in inputs]
    if missing:
        raise InputError(missing[0], reason="missing_input", value=None)
    unknown = [name for name in inputs if name not in model.inputs]
    if unknown:
        raise InputError("vary", reason="unknown_input", value=unknown[0])
    return {name: check_finite(name, inputs[name]) for name in model.inputs}


def evaluate(model: Model | str, inputs: Values) -> dict[str, float]:
    """The model's outputs for one set of inputs.

    Examples
    --------
    Sơn Nam eggs: 610 million đồng of fixed costs, 2 067 đ variable cost and 2 800 đ price per
    egg, 1 095 000 eggs a year. What profit?

    >>> out = evaluate("break_even", {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...                               "variable_cost_per_unit": 2_067, "volume": 1_095_000})
    >>> round(out["profit"] / 1e6, 1), round(out["break_even_volume"])
    (192.6, 832196)
    """
    model = get_model(model)
    return dict(model.function(_check_inputs(model, inputs)))


def _output_of(model: Model, output: str) -> str:
    if output not in model.outputs:
        raise InputError("output", reason="unknown_output", value=output)
    return output


def evaluate_scenarios(model: Model | str, scenarios: Mapping[str, Values] | Iterable[Scenario]) -> pd.DataFrame:
    """Many named scenarios at once: one row per scenario, its inputs then its outputs.

    A scenario whose inputs are bad gets NaN outputs and its message in column ``error``.

    >>> table = evaluate_scenarios("unit_cost", {
    ...     "plan": {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000},
    ...     "poor harvest": {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 32_000},
    ... })
    >>> table["unit_cost"].tolist()
    [12000.0, 12750.0]
    """
    import pandas as pd

    model = get_model(model)
    if not isinstance(scenarios, Mapping):
        scenarios = {check_object("scenarios", s, Scenario).name: s.inputs for s in _values_list("scenarios", scenarios)}
    rows = []
    for name, inputs in scenarios.items():
        row: dict[str, object] = {"scenario": name, **{k: inputs.get(k, math.nan) for k in model.inputs}}
        try:
            row.update(evaluate(model, inputs))
            row["error"] = ""
        except InputError as err:
            row.update({k: math.nan for k in model.outputs})
            row["error"] = err.message()
        rows.append(row)
    columns = ["scenario", *model.inputs, *model.outputs, "error"]
    return pd.DataFrame(rows, columns=columns).set_index("scenario")


def compare_scenarios(
    model: Model | str, scenarios: Mapping[str, Values] | Iterable[Scenario], base: str
) -> pd.DataFrame:
    """Scenarios side by side: each input and output minus the ``base`` scenario's.

    >>> diff = compare_scenarios("unit_cost", {
    ...     "plan": {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 40_000},
    ...     "poor harvest": {"fixed_costs": 120e6, "variable_cost_per_unit": 9_000, "volume": 32_000},
    ... }, base="plan")
    >>> diff.loc["poor harvest", ["volume", "unit_cost"]].tolist()
    [-8000.0, 750.0]
    """
    if not isinstance(scenarios, Mapping):
        scenarios = {s.name: s.inputs for s in scenarios}
    if base not in scenarios:
        raise InputError("scenario", reason="unknown_scenario", value=base)
    table = evaluate_scenarios(model, scenarios).drop(columns="error")
    return table - table.loc[base]


def goal_seek(
    model: Model | str,
    inputs: Values,
    vary: str,
    output: str,
    target: float,
    *,
    low: float | None = None,
    high: float | None = None,
    tolerance: float = 1e-9,
) -> float:
    """The value of input ``vary`` that makes ``output`` equal ``target`` (spreadsheet: Goal Seek).

    The input is searched within its valid range (the model's bounds, or ``low``/``high``,
    finite numbers with ``low`` below ``high``): the range is sampled to find where the output crosses the target, then Brent's
    method (`coopkit.roots.root_between`) finds the crossing nearest to the current value. When no value in the range reaches
    the target, `InputError` says so and names the closest output that can be reached.

    Examples
    --------
    What price per egg makes a profit of 300 million đồng?

    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> round(goal_seek("break_even", eggs, vary="price_per_unit", output="profit", target=300e6))
    2898
    """
    from coopkit.roots import root_between

    model = get_model(model)
    base = _check_inputs(model, inputs)
    if vary not in model.inputs:
        raise InputError("vary", reason="unknown_input", value=vary)
    output = _output_of(model, output)
    target = check_finite("target", target)
    tolerance = check_positive("goal_tolerance", tolerance)
    lo, hi = model.range_of(vary, base[vary])
    lo = lo if low is None else check_finite("goal_low", low)
    hi = hi if high is None else check_finite("goal_high", high)
    if not lo < hi:
        raise InputError("goal_low", reason="goal_range", value=lo, low=Shown(lo, vary), high=Shown(hi, vary))

    def gap(x: float) -> float:
        try:
            value = model.function({**base, vary: float(x)})[output]
        except InputError:
            return math.nan
        return value - target if math.isfinite(value) else math.nan

    samples = _samples(lo, hi, base[vary])
    gaps = [gap(x) for x in samples]
    brackets = [
        (a, b, ga, gb)
        for a, b, ga, gb in zip(samples, samples[1:], gaps, gaps[1:])
        if math.isfinite(ga) and math.isfinite(gb) and (ga == 0 or ga * gb < 0)
    ]
    exact = [x for x, g in zip(samples, gaps) if g == 0]
    if exact:
        return min(exact, key=lambda x: abs(x - base[vary]))
    if not brackets:
        finite = [(abs(g), x, g) for x, g in zip(samples, gaps) if math.isfinite(g)]
        if not finite:
            raise InputError(vary, reason="goal_no_value", value=base[vary], output=Shown(output, "output_label"))
        _, at, g = min(finite)
        raise InputError(
            vary,
            reason="goal_unreachable",
            value=base[vary],
            output=Shown(output, "output_label"),
            target=Shown(target, output),
            closest=Shown(g + target, output),
            at=Shown(at, vary),
            low=Shown(lo, vary),
            high=Shown(hi, vary),
        )
    a, b, _, _ = min(brackets, key=lambda br: min(abs(br[0] - base[vary]), abs(br[1] - base[vary])))
    scale = max(abs(a), abs(b), 1.0)
    return root_between(gap, a, b, xtol=tolerance * scale, rtol=4 * 2.3e-16, max_steps=200)


def _samples(low: float, high: float, current: float, count: int = 200) -> list[float]:
    """Points across [low, high], denser near zero for wide ranges, with ``current`` included."""
    import numpy as np

    points = set(np.linspace(low, high, count).tolist())
    if low >= 0 and high > 0:
        start = max(low, high * 1e-6)
        points |= set(np.geomspace(start, high, count).tolist())
    if low <= current <= high:
        points.add(float(current))
    return sorted(points)


def data_table(
    model: Model | str,
    inputs: Values,
    vary: Mapping[str, Iterable[float]],
    output: str | None = None,
) -> pd.DataFrame:
    """One input over a range, or two over a grid (spreadsheet: Data Table).

    Parameters
    ----------
    vary
        ``{input: values}`` for one input (a row per value, a column per output) or two
        inputs (a row per value of the first, a column per value of the second; ``output``
        then names the one output shown).
    output
        With one input, show only this output (default all); with two, required.

    Cells whose inputs are bad are NaN.

    Examples
    --------
    Profit of the egg flock by price and volume (million đồng):

    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> grid = data_table("break_even", eggs, {"price_per_unit": [2_600, 3_000],
    ...                                        "volume": [900_000, 1_095_000]}, output="profit")
    >>> (grid / 1e6).round(1).values.tolist()
    [[-130.3, -26.4], [229.7, 411.6]]
    """
    import numpy as np
    import pandas as pd

    model = get_model(model)
    base = _check_inputs(model, inputs)
    if not isinstance(vary, Mapping):
        raise InputError("vary", reason="unknown_input", value=str(vary))
    names = list(vary)
    if not 1 <= len(names) <= 2:
        raise InputError("vary", reason="data_table_inputs", value=len(names))
    for name in names:
        if name not in model.inputs:
            raise InputError("vary", reason="unknown_input", value=name)
    axes = [[check_finite(name, v) for v in _values_list(name, vary[name])] for name in names]
    for name, values in zip(names, axes):
        if not values:
            raise InputError(name, reason="no_values")
    if output is not None:
        output = _output_of(model, output)

    def run(changes: dict[str, float]) -> dict[str, float]:
        try:
            return dict(model.function({**base, **changes}))
        except InputError:
            return {k: math.nan for k in model.outputs}

    if len(names) == 1:
        rows = [run({names[0]: v}) for v in axes[0]]
        table = pd.DataFrame(rows, index=pd.Index(axes[0], name=names[0]), columns=list(model.outputs))
        return table[[output]] if output else table
    if output is None:
        raise InputError("output", reason="data_table_needs_output")
    if model.grid_function is not None:
        rows, columns = np.meshgrid(np.asarray(axes[0], dtype=float), np.asarray(axes[1], dtype=float), indexing="ij")
        arrays = model.grid_function({**base, names[0]: rows, names[1]: columns})[output]
        grid = np.broadcast_to(np.asarray(arrays, dtype=float), rows.shape).copy()
    else:
        grid = np.array([[run({names[0]: a, names[1]: b})[output] for b in axes[1]] for a in axes[0]], dtype=float)
    return pd.DataFrame(grid, index=pd.Index(axes[0], name=names[0]), columns=pd.Index(axes[1], name=names[1]))


def tornado(
    model: Model | str,
    inputs: Values,
    output: str,
    change: float = 0.2,
    values: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Which input moves ``output`` most: each input set low and high, one at a time.

    Parameters
    ----------
    change
        Low and high are the current value × (1 − change) and × (1 + change), kept within
        the input's valid range.
    values
        Explicit ``{input: (low, high)}`` for some inputs instead of the percentage: two
        finite numbers for an input of the model.

    Returns
    -------
    pandas.DataFrame
        One row per input, largest effect first: ``input, low, high, output_low,
        output_high, effect`` (``effect`` = ``|output_high − output_low|``).

    Examples
    --------
    For the egg flock, a 10 % swing in the price matters more than one in the volume:

    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> tornado("break_even", eggs, "profit", change=0.1)["input"].tolist()
    ['price_per_unit', 'variable_cost_per_unit', 'volume', 'fixed_costs']
    """
    import pandas as pd

    model = get_model(model)
    base = _check_inputs(model, inputs)
    output = _output_of(model, output)
    change = check_finite("change", change)
    if not 0 < change < 1:
        raise InputError("change", reason="not_a_fraction", value=change)
    if values is not None and not isinstance(values, Mapping):
        raise InputError("vary", reason="unknown_input", value=str(values))
    values = dict(values or {})
    for name, pair in values.items():
        if name not in model.inputs:
            raise InputError("vary", reason="unknown_input", value=name)
        if isinstance(pair, (str, bytes, Mapping)) or not isinstance(pair, Iterable):
            raise InputError(name, reason="tornado_pair", value=1)
        values[name] = [check_finite(name, v) for v in pair]
        if len(values[name]) != 2:
            raise InputError(name, reason="tornado_pair", value=len(values[name]))
    rows = []
    for name in model.inputs:
        if name in values:
            low, high = values[name]
        else:
            lo, hi = model.range_of(name, base[name])
            low = min(max(base[name] * (1 - change), lo), hi)
            high = min(max(base[name] * (1 + change), lo), hi)
        results = []
        for x in (low, high):
            try:
                results.append(model.function({**base, name: x})[output])
            except InputError:
                results.append(math.nan)
        effect = abs(results[1] - results[0]) if all(map(math.isfinite, results)) else math.nan
        rows.append({"input": name, "low": low, "high": high, "output_low": results[0],
                     "output_high": results[1], "effect": effect})
    table = pd.DataFrame(rows)
    return table.sort_values("effect", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def spider(
    model: Model | str,
    inputs: Values,
    output: str,
    changes: Iterable[float] = (-0.2, -0.1, 0.0, 0.1, 0.2),
    names: Iterable[str] | None = None,
) -> pd.DataFrame:
    """How ``output`` follows each input changed by the same percentages, one input at a time.

    The steeper an input's line, the more the result depends on getting that input right
    (a spider chart; `tornado` shows the same question as bars for one swing).

    Parameters
    ----------
    changes
        Relative changes to try (``-0.1`` = 10 % lower); each finite and above −100 %.
    names
        Inputs to vary (default: every input of the model), in the order of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per change (index ``change``), one column per input: the output when that
        input alone is set to current × (1 + change). NaN where that value is outside the
        input's valid range (`Model.range_of`) or the model rejects it.

    Examples
    --------
    Sơn Nam eggs: profit (million đồng) when the price, the feed cost or the volume moves by
    10 %. The price line is the steepest: 10 % on the price is 306.6 million.

    >>> eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800,
    ...         "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    >>> table = spider("break_even", eggs, "profit", changes=(-0.1, 0.0, 0.1),
    ...                names=["price_per_unit", "variable_cost_per_unit", "volume"])
    >>> table.index.tolist()
    [-0.1, 0.0, 0.1]
    >>> ((table.loc[0.1] - table.loc[0.0]) / 1e6).round(1).to_dict()
    {'price_per_unit': 306.6, 'variable_cost_per_unit': -226.3, 'volume': 80.3}
    """
    import pandas as pd

    model = get_model(model)
    base = _check_inputs(model, inputs)
    output = _output_of(model, output)
    steps = [check_finite("change", c) for c in _values_list("change", changes)]
    if not steps:
        raise InputError("change", reason="no_values")
    for step in steps:
        if step <= -1:
            raise InputError("change", reason="change_not_above_minus_one", value=step)
    columns = list(model.inputs if names is None else [names] if isinstance(names, str) else names)
    if not columns:
        raise InputError("vary", reason="no_values")
    for name in columns:
        if name not in model.inputs:
            raise InputError("vary", reason="unknown_input", value=name)

    def run(name: str, step: float) -> float:
        value = base[name] * (1 + step)
        low, high = model.range_of(name, base[name])
        if not low <= value <= high:
            return math.nan
        try:
            return float(model.function({**base, name: value})[output])
        except InputError:
            return math.nan

    data = {name: [run(name, step) for step in steps] for name in columns}
    return pd.DataFrame(data, index=pd.Index(steps, name="change"), columns=columns)
