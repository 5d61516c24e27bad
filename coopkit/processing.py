"""Processing chains: how much raw material a sales target needs, and what each step adds to the cost.

Many cooperatives sell a processed product: fresh coffee cherry is dried, hulled to green
bean and roasted; fresh tea shoots become made tea; young cassava leaves are pickled. Each
step of such a chain takes more kilograms in than it gives out (a **conversion ratio**: input
kg per output kg), loses a share of its output (a **loss rate**: sorting, spoilage, roast
weight loss) and costs something per kg it makes (fuel, labour, packing).

`chain_plan` walks the chain backwards from the kilograms to sell to the raw material to buy,
and forwards to build up the cost of one kilogram of final product, step by step. Each step
follows the same rule as `coopkit.costs.raw_input_needed`:
``input kg = output kg × conversion_ratio / (1 − loss_rate)``.

The default chains (`CHAINS`) use commonly reported ratios or illustrative assumptions, each
named in its ``source``: measure your own batches and replace them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from coopkit.costs import raw_input_needed
from coopkit.errors import InputError
from coopkit.fields import register_fields
from coopkit.i18n import normalize_language
from coopkit.validate import check_fraction, check_nonnegative, check_positive

__all__ = ["Step", "Chain", "ChainPlan", "CHAINS", "raw_material_needed", "chain_plan"]

register_fields(
    {
        "steps": "text",
        "step": "text",
        "sales_target_kg": "number",
        "raw_price_per_kg": "money",
        "cost_per_output_kg": "money",
        "raw_material_kg": "number",
        "final_cost_per_kg": "money",
    }
)


@dataclass(frozen=True)
class Step:
    """One processing step: what goes in per kg that comes out, what is lost, what it costs.

    Parameters
    ----------
    name_vi, name_en
        What the step makes (``"Cà phê nhân"``, ``"Green bean"``).
    conversion_ratio
        Input kg per output kg (more than zero), e.g. 2.5 kg of dried cherry per kg of green
        bean.
    loss_rate
        Share of the output lost afterwards (sorting, spoilage, roast weight loss), from 0 up
        to but not including 1.
    cost_per_output_kg
        VND per kg of this step's output (zero or more): labour, fuel, power, packing.
    source
        Where the figures come from, or "illustrative assumption".

    Examples
    --------
    >>> Step("Cà phê rang", "Roasted coffee", 1.0, 0.18, 25_000).name("en")
    'Roasted coffee'
    """

    name_vi: str
    name_en: str
    conversion_ratio: float
    loss_rate: float = 0.0
    cost_per_output_kg: float = 0.0
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name_vi, str) or not self.name_vi.strip():
            raise InputError("step", reason="empty_name", value=self.name_vi)
        if not isinstance(self.name_en, str):
            raise InputError("step", reason="empty_name", value=self.name_en)
        for name, check in (
            ("conversion_ratio", check_positive),
            ("loss_rate", check_fraction),
            ("cost_per_output_kg", check_nonnegative),
        ):
            try:
                object.__setattr__(self, name, check(name, getattr(self, name)))
            except InputError as err:
                named = {lang: f"{_field_label(name, lang)} ({self.name(lang)})" for lang in ("vi", "en")}
                raise InputError(err.field, err.reason, err.value, label=named, **err.params) from None

    def name(self, lang: str | None = None) -> str:
        """The step's name in ``lang`` (``"vi"`` or ``"en"``)."""
        if normalize_language(lang) == "en" and self.name_en.strip():
            return self.name_en
        return self.name_vi

    @property
    def input_per_output_kg(self) -> float:
        """Input kg per kg of output after losses: ``conversion_ratio / (1 − loss_rate)``."""
        return self.conversion_ratio / (1.0 - self.loss_rate)


def _field_label(name: str, lang: str) -> str:
    from coopkit import fields

    return fields.label(name, lang)


def _check_steps(steps: Iterable[Step]) -> tuple[Step, ...]:
    if isinstance(steps, Step):
        steps = (steps,)
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Iterable):
        raise InputError("steps", reason="not_a_step", value=str(steps))
    checked = tuple(steps)
    if not checked:
        raise InputError("steps", reason="no_steps")
    for step in checked:
        if not isinstance(step, Step):
            raise InputError("steps", reason="not_a_step", value=str(step))
    return checked


@dataclass(frozen=True)
class Chain:
    """A named chain of steps from a raw material to a final product.

    Attributes
    ----------
    key
        Short code (``"ca_phe_robusta"``).
    name_vi, name_en
        The chain's name.
    raw_vi, raw_en
        The raw material bought at the start.
    steps
        The steps, first to last.
    raw_price_per_kg
        A typical price of the raw material, VND per kg (zero or more).
    source
        Where the price comes from.

    Examples
    --------
    A cooperative dries fresh cherry (4.5 kg a kg of dried cherry) bought at 12 000 ₫/kg and
    hulls it (2 kg of dried cherry a kg of green bean, 2 % lost in sorting):

    >>> chain = Chain("ca_phe", "Cà phê nhân", "Green coffee", "Cà phê tươi", "Fresh cherry",
    ...               (Step("Cà phê khô", "Dried cherry", 4.5, 0.0, 500),
    ...                Step("Cà phê nhân", "Green bean", 2.0, 0.02, 1_500)), 12_000)
    >>> chain.name("en"), chain.raw_material("vi")
    ('Green coffee', 'Cà phê tươi')
    >>> round(raw_material_needed(chain.steps, 1_000))
    9184
    """

    key: str
    name_vi: str
    name_en: str
    raw_vi: str
    raw_en: str
    steps: tuple[Step, ...]
    raw_price_per_kg: float
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", _check_steps(self.steps))
        object.__setattr__(self, "raw_price_per_kg", check_nonnegative("raw_price_per_kg", self.raw_price_per_kg))

    def name(self, lang: str | None = None) -> str:
        return self.name_en if normalize_language(lang) == "en" and self.name_en.strip() else self.name_vi

    def raw_material(self, lang: str | None = None) -> str:
        return self.raw_en if normalize_language(lang) == "en" and self.raw_en.strip() else self.raw_vi


#: Example chains. Ratios and losses are commonly reported figures or illustrative
#: assumptions (see each step's ``source``); step costs and raw prices are illustrative.
CHAINS: dict[str, Chain] = {
    "ca_phe_robusta": Chain(
        "ca_phe_robusta", "Cà phê Robusta rang", "Roasted robusta coffee",
        "quả cà phê tươi", "fresh coffee cherry",
        (
            Step("Cà phê quả khô", "Dried cherry", 2.0, 0.0, 1_000,
                 "about 2 kg of fresh cherry per kg of dried cherry: illustrative assumption, chosen so that "
                 "cherry to green bean is about 5 kg per kg (commonly reported 5–6 for robusta)"),
            Step("Cà phê nhân", "Green bean", 2.5, 0.02, 1_500,
                 "about 2.5 kg of dried cherry per kg of green bean (hulling), 2 % sorted out as defects: "
                 "illustrative assumption; with the drying step about 5.1 kg of cherry per kg of green bean"),
            Step("Cà phê rang", "Roasted coffee", 1.0, 0.18, 25_000,
                 "roasting loses about 15–20 % of the weight (18 % here): illustrative assumption; "
                 "25 000 đ/kg for roasting, grinding and bags: illustrative assumption"),
        ),
        15_000,
        "raw price: illustrative assumption, as the Sơn La coffee template (datasets/products.csv)",
    ),
    "che": Chain(
        "che", "Chè khô", "Made tea", "búp chè tươi", "fresh tea shoots",
        (
            Step("Chè khô", "Made tea", 4.5, 0.0, 40_000,
                 "about 4.5 kg of fresh leaf per kg of made tea (commonly reported 4–5); 40 000 đ/kg for "
                 "withering, rolling, drying and fuel: illustrative assumption"),
            Step("Chè đóng gói", "Packed tea", 1.0, 0.03, 8_000,
                 "3 % lost in sieving and grading, 8 000 đ/kg for bags and labels: illustrative assumption"),
        ),
        15_000,
        "raw price: illustrative assumption, as the Shan tuyết tea template (datasets/products.csv)",
    ),
    "dua_la_san": Chain(
        "dua_la_san", "Dưa lá sắn muối chua", "Pickled cassava leaves", "lá sắn non tươi",
        "fresh young cassava leaves",
        (
            Step("Dưa lá sắn muối", "Pickled cassava leaves", 1.5, 0.05, 9_000,
                 "1.5 kg of fresh leaves per kg of pickle and 5 % of jars rejected (as the Phú Thọ template); "
                 "9 000 đ/kg for salt, jars and labour: illustrative assumption"),
        ),
        3_000,
        "raw price: illustrative assumption, as the Phú Thọ template (datasets/products.csv)",
    ),
}


def raw_material_needed(steps: Iterable[Step], sales_target_kg: float) -> float:
    """Kilograms of raw material to buy so that the last step gives ``sales_target_kg``.

    Walks the chain backwards: each step needs ``output × conversion_ratio / (1 − loss_rate)``
    of the previous step's product (the rule of `coopkit.costs.raw_input_needed`).

    Parameters
    ----------
    steps
        The chain's steps, first to last (at least one).
    sales_target_kg
        Kilograms of final product to sell (zero or more).

    Returns
    -------
    float
        Kilograms of raw material.

    Examples
    --------
    A Đắk Lắk cooperative wants 40 tonnes of green robusta. At about 5 kg of fresh cherry per
    kg of green bean, how much cherry must its members pick?

    >>> raw_material_needed([Step("Cà phê nhân", "Green bean", 5.0)], 40_000)
    200000.0

    Through the default chain (dried cherry, green bean, then roasting) for 10 tonnes of
    roasted coffee:

    >>> round(raw_material_needed(CHAINS["ca_phe_robusta"].steps, 10_000))
    62220
    """
    kg = check_nonnegative("sales_target_kg", sales_target_kg)
    for step in reversed(_check_steps(steps)):
        kg = raw_input_needed(kg, step.conversion_ratio, step.loss_rate)
    return kg


@dataclass(frozen=True, eq=False)
class ChainPlan:
    """What a processing chain needs and costs for a sales target.

    Attributes
    ----------
    sales_target_kg
        Kilograms of final product.
    raw_price_per_kg
        VND per kg of raw material.
    raw_material_kg
        Kilograms of raw material to buy.
    raw_material_cost
        ``raw_material_kg × raw_price_per_kg``.
    total_cost
        Raw material plus every step's cost, VND.
    final_cost_per_kg
        What one kg of final product costs: raw material and every step (equal to
        ``total_cost / sales_target_kg``; defined also for a target of zero).
    table
        One row per step (see `chain_plan`).
    """

    sales_target_kg: float
    raw_price_per_kg: float
    raw_material_kg: float
    raw_material_cost: float
    total_cost: float
    final_cost_per_kg: float
    table: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The step-by-step table (a copy)."""
        return self.table.copy()


def chain_plan(steps: Iterable[Step], sales_target_kg: float, raw_price_per_kg: float,
               lang: str | None = "vi") -> ChainPlan:
    """Raw material to buy for a sales target and the cost of one kg, built up step by step.

    Parameters
    ----------
    steps
        The chain's steps, first to last (at least one).
    sales_target_kg
        Kilograms of final product to sell (zero or more).
    raw_price_per_kg
        VND per kg of raw material (zero or more).
    lang
        Language of the ``name`` column.

    Returns
    -------
    ChainPlan
        Its ``table`` has one row per step, first to last, with columns

        ``step`` (1, 2, …), ``name``, ``input_kg`` and ``output_kg`` (kilograms in and out for
        the target), ``input_per_output_kg`` (input kg per kg out, losses included),
        ``input_cost_per_kg`` (VND of input in one kg out), ``step_cost_per_kg`` (the step's own
        cost per kg out), ``cost_per_kg`` (cumulative: what one kg out of this step has cost so
        far), ``step_cost`` (the step's cost for the target, VND) and ``added_per_final_kg``
        (the step's cost spread over the kilograms of final product).

        The raw material per final kg plus the ``added_per_final_kg`` of every step equals the
        final cost per kg.

    Examples
    --------
    Pickled cassava leaves from Phú Thọ: 1.5 kg of fresh leaves per kg, 5 % of jars rejected,
    leaves at 3 000 đ/kg and 9 000 đ/kg for salt, jars and labour. For 20 tonnes:

    >>> plan = chain_plan(CHAINS["dua_la_san"].steps, 20_000, 3_000)
    >>> round(plan.raw_material_kg), round(plan.final_cost_per_kg)
    (31579, 13737)

    The same cost as `coopkit.costs.processed_unit_cost`:

    >>> from coopkit.costs import processed_unit_cost
    >>> round(processed_unit_cost(3_000, 1.5, 0.05, 9_000))
    13737
    """
    step_list = _check_steps(steps)
    target = check_nonnegative("sales_target_kg", sales_target_kg)
    raw_price = check_nonnegative("raw_price_per_kg", raw_price_per_kg)

    outputs = [0.0] * len(step_list)
    kg = target
    for index in range(len(step_list) - 1, -1, -1):  # backwards: what each step must give out
        outputs[index] = kg
        kg = raw_input_needed(kg, step_list[index].conversion_ratio, step_list[index].loss_rate)
    raw_kg = kg

    rows = []
    cost_per_kg = raw_price  # cost of one kg of the current input
    for number, (step, output_kg) in enumerate(zip(step_list, outputs, strict=True), start=1):
        input_cost = cost_per_kg * step.input_per_output_kg
        cost_per_kg = input_cost + step.cost_per_output_kg
        step_cost = step.cost_per_output_kg * output_kg
        rows.append(
            {
                "step": number,
                "name": step.name(lang),
                "input_kg": raw_input_needed(output_kg, step.conversion_ratio, step.loss_rate),
                "output_kg": output_kg,
                "input_per_output_kg": step.input_per_output_kg,
                "input_cost_per_kg": input_cost,
                "step_cost_per_kg": step.cost_per_output_kg,
                "cost_per_kg": cost_per_kg,
                "step_cost": step_cost,
                "added_per_final_kg": step_cost / target if target > 0 else math.nan,
            }
        )
    table = pd.DataFrame(rows)
    raw_cost = raw_kg * raw_price
    total = raw_cost + math.fsum(table["step_cost"])
    return ChainPlan(
        sales_target_kg=target,
        raw_price_per_kg=raw_price,
        raw_material_kg=raw_kg,
        raw_material_cost=raw_cost,
        total_cost=total,
        final_cost_per_kg=cost_per_kg,
        table=table,
    )
