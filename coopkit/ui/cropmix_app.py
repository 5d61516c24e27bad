"""The crop-mix app: how many hectares of each crop, within land, labour, capital and contracts.

The manager changes the land, the working capital, the coffee contract and each crop's price
and largest area; the app calls `coopkit.cropmix.best_crop_mix` once and shows the areas, the
total margin, the binding limits and their shadow prices in words, and a chart. It starts from
the Sơn La example (`coopkit.cropmix.son_la_example`), so the screen is never empty.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Any

from coopkit import cropmix, fields, i18n
from coopkit.errors import InputError
from coopkit.plots.cropmix import crop_mix_chart
from coopkit.ui.base import App
from coopkit.ui.controls import Control, NumberBox, QuantityBox
from coopkit.ui.tables import Column, Row, frame_table, summary_table

__all__ = ["CropMixApp"]


def _crop_label(field: str, crop: cropmix.Crop) -> dict[str, str]:
    from coopkit import fields

    return {lang: i18n.tr("cropmix.crop_field", lang, field=fields.label(field, lang), crop=crop.name(lang))
            for lang in i18n.LANGUAGES}


class CropMixApp(App):
    """What should we plant, and how much of each? A linear programme over the Sơn La crops."""

    name = "crop_mix"

    def __init__(self, product: str = "ca_phe_nhan_son_la", lang: str | None = None, *, standalone: bool = True,
                 contract_crop: str = "ca_phe") -> None:
        self.base_crops, self.base_farm = cropmix.son_la_example()
        if contract_crop not in {c.key for c in self.base_crops}:
            raise InputError("crop", reason="unknown_input", value=contract_crop)
        self.contract_crop = contract_crop
        super().__init__(product, lang, standalone=standalone)
        self.product_choice.layout.display = "none"  # the app is about several crops, not one product
        self.product_label.layout.display = "none"

    def build_controls(self) -> list[Control]:
        lang, farm = self.lang, self.base_farm
        contract = next(c for c in self.base_crops if c.key == self.contract_crop)
        controls: list[Control] = [
            QuantityBox("land_ha", farm.land_ha, lang, dimension="area", unit="ha"),
            NumberBox("working_capital", farm.working_capital, lang, money=True),
            QuantityBox(f"min_output_kg:{contract.key}", contract.min_output_kg, lang, dimension="weight", unit="tan",
                        label=_crop_label("min_output_kg", contract)),
        ]
        for crop in self.base_crops:
            controls.append(NumberBox(f"price_per_kg:{crop.key}", crop.price_per_kg, lang, money=True,
                                      label=_crop_label("price_per_kg", crop), unit_key="unit.vnd_per_kg"))
            if crop.max_area_ha != float("inf"):
                controls.append(NumberBox(f"max_area_ha:{crop.key}", crop.max_area_ha, lang, decimals=2,
                                          label=_crop_label("max_area_ha", crop), unit_key="unit.ha",
                                          maximum=fields.LARGEST["area"]))
        return controls

    def compute(self) -> cropmix.CropMix:
        values = self.read_all()
        crops = []
        for crop in self.base_crops:
            changes: dict[str, float] = {"price_per_kg": values[f"price_per_kg:{crop.key}"]}
            if f"max_area_ha:{crop.key}" in values:
                changes["max_area_ha"] = values[f"max_area_ha:{crop.key}"]
            if crop.key == self.contract_crop:
                changes["min_output_kg"] = values[f"min_output_kg:{crop.key}"]
            crops.append(replace(crop, **changes))
        farm = replace(self.base_farm, land_ha=values["land_ha"], working_capital=values["working_capital"])
        return cropmix.best_crop_mix(crops, farm)

    def control_for(self, err: InputError) -> Control | None:
        crop = err.params.get("crop")
        return self.control(err.field) or (self.control(f"{err.field}:{crop}") if crop else None)

    def show_input_error(self, err: InputError) -> None:
        """Beside its box; a plan no area can meet is also explained above the results."""
        super().show_input_error(err)
        if isinstance(err, cropmix.InfeasiblePlan) and self.control_for(err) is not None:
            self.summary.value = f"⚠ {escape(err.message(self.lang))}"

    def render(self, mix: cropmix.CropMix) -> tuple[str, Any]:
        lang = self.lang
        # areas in the unit of the land box, outputs in the unit of the contract box (ha and tấn at first)
        land = self.control("land_ha")
        output = self.control(f"min_output_kg:{self.contract_crop}")
        area_unit, output_unit = land.unit_label(lang), output.unit_label(lang)
        rows = [
            Row("total_margin", i18n.tr("field.total_margin", lang), mix.total_margin, strong=True),
            Row("land_used_ha", i18n.tr("app.crop_mix.land_used_in", lang, unit=area_unit),
                land.from_base(mix.land_used_ha), kind="number"),
            Row("working_capital_used", i18n.tr("app.crop_mix.capital_used", lang),
                mix.limit("working_capital").used),
        ]
        table = mix.to_frame(lang)
        # the cells keep their keys (area_ha:<crop>, output_t:<crop>); their numbers are in the units picked
        table = table.assign(area_ha=[land.from_base(a) for a in table["area_ha"]],
                             output_t=[output.from_base(kg) for kg in table["output_kg"]])
        columns = [
            Column("crop", i18n.tr("field.crop", lang), "text"),
            Column("area_ha", i18n.tr("app.crop_mix.area_in", lang, unit=area_unit), "number"),
            Column("output_t", i18n.tr("app.crop_mix.output_in", lang, unit=output_unit), "number"),
            Column("margin_per_ha", i18n.tr("field.margin_per_ha", lang)),
            Column("margin", i18n.tr("app.crop_mix.margin", lang)),
        ]
        planted = {key for key, area in zip(table["key"], table["area_ha"], strict=True) if area > 0}
        sentences = "".join(f"<li>{escape(line)}</li>" for line in mix.explain(lang))
        explanation = (f"<h4>{escape(i18n.tr('app.crop_mix.explain_heading', lang))}</h4>"
                       f"<ul class='ck-explain'>{sentences}</ul>")
        html = summary_table(rows, lang) + frame_table(table, columns, "key", lang, strong=planted) + explanation
        return html, crop_mix_chart(mix, lang)
