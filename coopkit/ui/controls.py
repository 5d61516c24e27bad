"""Labelled inputs shared by every app: each reads, checks and shows its own error.

A control has a ``field`` (the name a domain function uses, e.g. ``"volume"``), a label in
both languages, the widgets a manager types into or drags, and an error line right below.
Money and numbers are typed the way the locale writes them (``1.250.000`` in Vietnamese) and
shown back the same way; slider readouts are formatted here with Babel, never by the browser
(whose readout uses US grouping).

Every number box has a range: the kind of number it holds (money, a percentage, a quantity, a
count, months…) gives its largest value (`coopkit.fields.LARGEST`), and a number outside it is
refused with a message in words ("from 0 ₫ to 1.000.000.000.000 ₫"), so that no typed number
can overflow the arithmetic behind the results. What the manager typed is quoted in messages,
shortened when it is long (`typed_text`).
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as widgets

from coopkit import fields, fmt, i18n, risk, units
from coopkit.cashflow import month_name
from coopkit.errors import InputError
from coopkit.members import MEMBER_KINDS, Member
from coopkit.validate import check_finite, check_fraction, check_nonnegative, check_positive, parse_number

__all__ = [
    "Control",
    "NumberBox",
    "QuantityBox",
    "ScaledBox",
    "PercentBox",
    "PercentSlider",
    "OptionChoice",
    "parse_typed",
    "typed_text",
    "text_labels",
    "language_toggle",
    "choice",
    "MonthChoice",
    "MonthColumn",
    "MemberTable",
    "RangeBox",
    "set_options",
    "volume_control",
]

Check = Callable[[str, object], float]
Label = dict[str, str] | None

_LAYOUT_LABEL = widgets.Layout(width="15em", min_width="10em")

#: Characters of a typed text quoted in a message; a longer text is cut with "…".
QUOTED_CHARS = 20
#: The decimal mark and the thousands separator of each page language.
_MARKS = {"vi": (",", "."), "en": (".", ",")}


def typed_text(text: object, limit: int = QUOTED_CHARS) -> str:
    """What the manager typed, as a message quotes it: stripped, and cut to ``limit`` characters
    with "…" when longer (a 5 000-character paste must not fill the page).

    >>> typed_text(" 12 "), typed_text("1234567890" * 3)
    ('12', '1234567890123456789…')
    """
    raw = "" if text is None else str(text).strip()
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def _decimal_typed_as_group(cleaned: str, lang: str) -> str:
    """``cleaned`` with the other language's decimal mark read as this one's, when unambiguous."""
    decimal, group = _MARKS[i18n.normalize_language(lang)]
    found = re.fullmatch(rf"([+-]?)(\d*){re.escape(group)}(\d+)([^\d.,]*)", cleaned)
    if found is None:
        return cleaned
    sign, whole, fraction, rest = found.groups()
    if len(fraction) != 3 or whole in ("", "0"):
        return f"{sign}{whole}{decimal}{fraction}{rest}"
    return cleaned  # "1.250" on a vi page: thousands, as a Vietnamese manager means it


def parse_typed(text: object, lang: str | None, field: str) -> float:
    """The number typed in a box of a page in ``lang``; raises `InputError` about ``field``.

    The page's own way is read first: ``1.250.000`` and ``30,5`` on a Vietnamese page,
    ``1,250,000`` and ``30.5`` on an English one (`coopkit.validate.parse_number`). A phone keypad
    often offers only the other mark, so a *single* other mark that cannot be a thousands
    separator is read as the decimal mark:

    * on a vi page ``30.5``, ``0.25``, ``0.250`` and ``1.2500`` are decimals (30,5 · 0,25 · 0,25
      · 1,25): a thousands separator is followed by exactly three digits and never follows 0;
    * ``1.250`` stays one thousand two hundred and fifty on a vi page (what a Vietnamese manager
      means), and ``1.250.000`` is grouping;
    * the same rule with the marks swapped on an en page: ``30,5`` is 30.5, ``1,250`` is 1250.

    Anything else with the other mark (``1.250,5`` on an en page) is refused with a message
    that says which mark the page uses. Infinite and NaN results are returned as they are
    (``inf`` for a number too long to hold): the box's range check words them.

    >>> parse_typed("30.5", "vi", "volume"), parse_typed("1.250", "vi", "volume"), parse_typed("30,5", "en", "volume")
    (30.5, 1250.0, 30.5)
    >>> parse_typed("1.250", "en", "volume"), parse_typed("1,250", "en", "volume"), parse_typed("0.25", "vi", "volume")
    (1.25, 1250.0, 0.25)
    """
    lang = i18n.normalize_language(lang)
    raw = "" if text is None else str(text)
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw)
    try:
        return parse_number(_decimal_typed_as_group(cleaned, lang), lang, field=field)
    except InputError as err:
        if err.reason == "not_finite":
            return float(err.value)
        if err.reason == "not_a_number":
            decimal, group = _MARKS[lang]
            reason = "not_a_number_marks" if re.search(r"\d[.,]\d", cleaned) else "not_a_number"
            raise InputError(field, reason=reason, text=typed_text(raw),
                             decimal_mark=decimal, group_mark=group) from None
        raise


class Control(ABC):
    """Base of every input: label, widgets, unit text, error line, one ``field`` name."""

    def __init__(self, field: str, lang: str, *, label: Label = None, unit_key: str | None = None) -> None:
        self.field = field
        self.lang = i18n.normalize_language(lang)
        self.label = label
        self.unit_key = unit_key
        self._callbacks: list[Callable[[], None]] = []
        self._silent = False
        # Classes given at construction travel with the widget's first message: an add_class()
        # afterwards is one more message per widget, and an app's cell sends hundreds of them.
        self._label = widgets.HTML(layout=_LAYOUT_LABEL, _dom_classes=("ck-input-label",))
        self._unit = widgets.HTML(_dom_classes=("ck-unit",))
        self._error = widgets.HTML(_dom_classes=("ck-error",))
        #: Range of the number typed, in the unit shown (`NumberBox` sets them by kind).
        self.minimum = 0.0
        self.maximum = math.inf

    # -- built by subclasses -------------------------------------------------------------
    @abstractmethod
    def _inputs(self) -> list[widgets.Widget]:
        """The widgets the manager types into or drags, left to right."""

    def _box(self) -> widgets.Box:
        row = widgets.HBox([self._label, *self._inputs(), self._unit], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        box = widgets.VBox([row, self._error], _dom_classes=("ck-field", f"ck-field-{self.field.replace('.', '-').replace(':', '-')}"))
        self._render_label()
        return box

    # -- shared behaviour ----------------------------------------------------------------
    def label_text(self, lang: str | None = None) -> str:
        lang = i18n.normalize_language(lang or self.lang)
        return self.label[lang] if self.label else fields.label(self.field, lang)

    def _render_label(self) -> None:
        self._label.value = self.label_text()
        self._unit.value = i18n.tr(self.unit_key, self.lang) if self.unit_key else ""

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the manager changes this input."""
        self._callbacks.append(callback)

    def _changed(self, _change: object = None) -> None:
        if self._silent:
            return
        for callback in self._callbacks:
            callback()

    def show_error(self, error: InputError | None) -> None:
        """Show ``error`` (in the control's language) below the input, or clear it."""
        self._error.value = "" if error is None else f"⚠ {error.message(self.lang)}"
        if error is None:
            self.box.remove_class("ck-invalid")
        else:
            self.box.add_class("ck-invalid")

    @property
    def error_text(self) -> str:
        return self._error.value

    @abstractmethod
    def read(self) -> float:
        """The value entered, checked; raises `InputError` about this control."""

    @abstractmethod
    def _enter(self, number: float) -> None:
        """Put ``number`` in the control as if the manager had entered it."""

    @property
    def value(self) -> float:
        """The checked value; setting it acts as if the manager typed or dragged it."""
        return self.read()

    @value.setter
    def value(self, number: float) -> None:
        self._enter(number)

    def close(self) -> None:
        """Close this control's widgets (the kernel forgets them; the page removes them)."""
        self._callbacks.clear()
        for widget in (*self._inputs(), self._label, self._unit, self._error, *self.box.children, self.box):
            widget.close()

    def set_lang(self, lang: str) -> None:
        self.lang = i18n.normalize_language(lang)
        self._render_label()

    def _limit_shown(self, number: float) -> object:
        """A limit of the range as a message shows it (a `coopkit.fields.Shown`)."""
        return fields.Shown(number, "volume")

    def in_range(self, number: float, typed: object, check: Callable[[], object] | None = None) -> float:
        """``number`` (read from ``typed``) if it is a number inside this control's range.

        A number above the largest value, or below the smallest by more than the largest
        (``-1e308``), is refused naming the whole range; a small negative number is left to the
        control's own check, which says "cannot be negative" in its words. ``check()``, when
        given, checks the number as the control does: a number out of range but not absurd (at
        most a thousand times the largest, so it prints well: "120 %") gets the check's own
        words when the check refuses it ("must be from 0 % to below 100 %").
        """
        if math.isnan(number):
            raise InputError(self.field, reason="not_a_number", text=typed_text(typed))
        low = self.minimum if self.minimum < 0 else -self.maximum
        if number > self.maximum or number < low:
            if check is not None and abs(number) <= 1000 * max(self.maximum, 1.0):
                check()
            raise InputError(self.field, reason="out_of_range", text=typed_text(typed),
                             minimum=self._limit_shown(self.minimum), maximum=self._limit_shown(self.maximum))
        return number

    def error(self, reason: str, value: object = None, **params: object) -> InputError:
        """An `InputError` about this control, labelled as the manager sees it."""
        label = {code: self.label_text(code) for code in i18n.LANGUAGES}
        return InputError(self.field, reason=reason, value=value, label=label, **params)


#: Decimals a typed number keeps when the language switches (more are float noise, not typing).
TYPED_DECIMALS = 6
#: A number this large is far out of every box's range and is not formatted with grouping (Babel's
#: decimal arithmetic has 28 digits): a value set from code is shown as Python writes it.
UNFORMATTED = 1e18


class NumberBox(Control):
    """A number or an amount of money typed in the locale's format, with an optional slider.

    ``check`` (from `coopkit.validate`) says what is allowed; ``money=True`` formats as VND.

    Numbers are read by `parse_typed`. The page's decimal mark comes first; the other mark (the
    dot a phone keypad offers on a Vietnamese page) counts as a decimal mark only when it cannot
    be a thousands separator: on a vi page ``30.5`` and ``0.25`` are 30,5 and 0,25, ``1.250`` is
    1250 and ``1.250.000`` is grouping; on an en page ``30,5`` is 30.5 and ``1,250`` is 1250.

    The range: up to ``maximum`` (default: the largest value of the box's kind in
    `coopkit.fields.LARGEST`, money or number), from ``minimum`` (default 0; a box whose check
    accepts negative numbers, `check_finite`, goes down to ``-maximum``). Both are in the unit
    shown. A number outside is refused with a message naming the range.
    """

    def __init__(
        self,
        field: str,
        value: float,
        lang: str,
        *,
        money: bool = False,
        label: Label = None,
        unit_key: str | None = None,
        check: Check = check_nonnegative,
        decimals: int = 2,
        slider: tuple[float, float, float] | None = None,
        maximum: float | None = None,
        minimum: float | None = None,
    ) -> None:
        super().__init__(field, lang, label=label, unit_key=unit_key or ("unit.vnd" if money else None))
        self.money = money
        self.check = check
        self.decimals = 0 if money else decimals
        self.maximum = float(maximum if maximum is not None else self._largest())
        self.minimum = float(minimum if minimum is not None else (-self.maximum if check is check_finite else 0.0))
        self._value = float(value)
        self.text = widgets.Text(continuous_update=False, layout=widgets.Layout(width="11em"), _dom_classes=("ck-number",))
        self.text.observe(self._text_changed, "value")
        self.slider: widgets.FloatSlider | None = None
        if slider is not None:
            low, high, step = slider
            self.slider = widgets.FloatSlider(
                min=low, max=high, step=step, value=min(max(value, low), high),
                readout=False, continuous_update=False, layout=widgets.Layout(width="16em"),
            )
            self.slider.add_class("ck-slider")
            self.slider.observe(self._slider_moved, "value")
        self.box = self._box()
        self._show(self._value)

    def _inputs(self) -> list[widgets.Widget]:
        return [self.text] + ([self.slider] if self.slider is not None else [])

    def _largest(self) -> float:
        """The default largest value shown in this box (by its kind)."""
        return fields.LARGEST["money" if self.money else "number"]

    def _limit_shown(self, number: float) -> object:
        if self.money:
            return fields.Shown(number, "amount")
        return fields.Shown(number, "volume", unit=self.unit_key if number else None)

    def typed_number(self) -> float | None:
        """The number in the box as typed (in the unit shown), or ``None`` when it holds no
        number inside the range (a language switch then leaves the text as it is)."""
        try:
            return self.in_range(parse_typed(self.text.value, self.lang, self.field), self.text.value)
        except InputError:
            return None

    def _format(self, value: float) -> str:
        if not math.isfinite(value) or abs(value) >= UNFORMATTED:
            return str(value)  # far out of any range (set from code): as Python writes it; read() refuses it in words
        return fmt.number(value, self.lang, decimals=self.decimals)

    def _show(self, value: float, *, as_typed: bool = False) -> None:
        """Show ``value``; ``as_typed`` keeps the decimals a person typed (a language switch
        must not round "30,5" to "30")."""
        self._silent = True
        try:
            self.text.value = (fmt.number(value, self.lang, decimals=max(self.decimals, TYPED_DECIMALS))
                               if as_typed else self._format(value))
            if self.slider is not None:
                self.slider.value = min(max(value, self.slider.min), self.slider.max)
        finally:
            self._silent = False

    def _to_shown(self, value: float) -> float:
        """The number the box shows for ``value`` (subclasses scale it, e.g. a fraction as a percentage)."""
        return value

    def _from_shown(self, number: float) -> float:
        """The value for the number typed (the inverse of `_to_shown`)."""
        return number

    def _text_changed(self, _change: object) -> None:
        if self._silent:
            return
        try:
            self._value = self._to_shown(self.read())
        except InputError:
            pass  # the app's refresh shows the error beside this box
        else:
            if self.slider is not None:
                self._silent = True
                self.slider.value = min(max(self._value, self.slider.min), self.slider.max)
                self._silent = False
        self._changed()

    def _slider_moved(self, change: dict) -> None:
        if self._silent:
            return
        self._value = float(change["new"])
        self._show(self._value)
        self._changed()

    def read(self) -> float:
        """The value typed, checked; raises `InputError` about this control."""
        try:
            number = parse_typed(self.text.value, self.lang, self.field)
            self.in_range(number, self.text.value, check=lambda: self.check(self.field, self._from_shown(number)))
            return self.check(self.field, self._from_shown(number))
        except InputError as err:
            raise self.error(err.reason, err.value, **err.params) from None

    def _enter(self, number: float) -> None:
        self.text.value = self._format(self._to_shown(number))

    def set(self, number: float) -> None:
        """Set the shown value without announcing a change (apps loading a template)."""
        self._value = float(self._to_shown(number))
        self._show(self._value)

    def set_lang(self, lang: str) -> None:
        current = self.typed_number()
        super().set_lang(lang)
        if current is not None:
            self._show(current, as_typed=True)


class PercentBox(NumberBox):
    """A rate typed as a percentage (``5`` for 5 %), with an optional slider; reads a fraction.

    Unlike a slider alone, the box accepts any number typed, so a wrong one (``120``) gets
    its message beside the box instead of being silently clamped.
    """

    def __init__(
        self,
        field: str,
        fraction: float,
        lang: str,
        *,
        label: Label = None,
        check: Check = check_fraction,
        slider_max: float | None = None,
        maximum: float | None = None,
    ) -> None:
        """``maximum`` is a fraction (default `coopkit.fields.LARGEST` ``["rate"]``: 100 %)."""
        slider = (0.0, slider_max * 100, 0.5) if slider_max is not None else None
        largest = fields.LARGEST["rate"] if maximum is None else maximum
        super().__init__(field, fraction * 100, lang, label=label, unit_key="unit.percent",
                         check=check, decimals=2, slider=slider, maximum=largest * 100)

    def _limit_shown(self, number: float) -> object:
        return fields.Shown(number / 100, "loss_rate")

    def _to_shown(self, value: float) -> float:
        return value * 100

    def _from_shown(self, number: float) -> float:
        return check_finite(self.field, number) / 100


class QuantityBox(NumberBox):
    """A quantity typed in the unit the manager thinks in: ha / m² / sào / công, or kg … tấn.

    ``read()`` returns hectares or kilograms; changing the unit keeps the quantity and
    converts the number shown.
    """

    def __init__(
        self,
        field: str,
        value_base: float,
        lang: str,
        *,
        dimension: str = "weight",
        unit: str | None = None,
        label: Label = None,
        check: Check = check_nonnegative,
        maximum: float | None = None,
    ) -> None:
        """``maximum`` is in hectares or kilograms (default `coopkit.fields.LARGEST` ``["area"]``
        or ``["weight"]``); the box's range follows the unit picked."""
        self.dimension = dimension
        self.maximum_base = float(fields.LARGEST[dimension] if maximum is None else maximum)
        self.table = units.AREA_UNITS_M2 if dimension == "area" else units.WEIGHT_UNITS_KG
        base = "ha" if dimension == "area" else "kg"
        self.base_unit = base
        self.unit_choice = widgets.Dropdown(layout=widgets.Layout(width="10em"))
        self.unit_choice.add_class("ck-unit-choice")
        self._unit_options(lang, unit or base)
        self.unit_choice.observe(self._unit_changed, "value")
        super().__init__(field, self._to_unit(value_base, unit or base), lang, label=label, check=check, decimals=3)
        self._value_base = float(value_base)

    @property  # type: ignore[override]
    def maximum(self) -> float:
        """The largest number in the unit picked."""
        return self._to_unit(self.maximum_base, self.unit_choice.value)

    @maximum.setter
    def maximum(self, _number: float) -> None:
        pass  # set through ``maximum_base``

    def _limit_shown(self, number: float) -> object:
        return fields.Shown(number, "volume", unit=f"unit.{self.unit_choice.value}" if number else None)

    def _unit_options(self, lang: str, selected: str) -> None:
        options = [(i18n.tr(f"unit.{code}", lang), code) for code in self.table]
        self.unit_choice.options = options
        self.unit_choice.value = selected

    def _inputs(self) -> list[widgets.Widget]:
        return [self.text, self.unit_choice]

    def _to_unit(self, base_value: float, unit: str) -> float:
        return units.ha_to_area(base_value, unit) if self.dimension == "area" else units.kg_to_weight(base_value, unit)

    def _from_unit(self, value: float, unit: str) -> float:
        return units.area_to_ha(value, unit) if self.dimension == "area" else units.weight_to_kg(value, unit)

    def _unit_changed(self, change: dict) -> None:
        if self._silent:
            return
        try:
            typed: float | None = parse_typed(self.text.value, self.lang, self.field)
        except InputError:
            typed = None
        # a number out of range stays as typed; its message says the range in the new unit
        if typed is not None and math.isfinite(typed) and 0 <= typed <= self._to_unit(self.maximum_base, change["old"]):
            self._show(self._to_unit(self._from_unit(typed, change["old"]), change["new"]))
        self._changed()  # the app shows its results again: a volume result follows the unit picked

    def unit_label(self, lang: str | None = None) -> str:
        """The short name of the unit picked ("tấn", "tonnes", "ha"), for results shown in it."""
        return i18n.tr(f"unit.short.{self.unit_choice.value}", lang or self.lang)

    def from_base(self, base_value: float) -> float:
        """``base_value`` (hectares or kilograms) in the unit picked (unchanged in ha or kg)."""
        if self.unit_choice.value == self.base_unit:
            return float(base_value)  # ha → m² → ha is not always exact in floating point
        return self._to_unit(base_value, self.unit_choice.value)

    def read(self) -> float:
        """The quantity in hectares (area) or kilograms (weight), checked."""
        typed = super().read()
        return self._from_unit(typed, self.unit_choice.value)

    def _enter(self, base_value: float) -> None:
        self.text.value = self._format(self._to_unit(base_value, self.unit_choice.value))

    def set(self, base_value: float) -> None:
        super().set(self._to_unit(base_value, self.unit_choice.value))

    def set_lang(self, lang: str) -> None:
        typed = self.typed_number()
        Control.set_lang(self, lang)
        self._silent = True
        self._unit_options(self.lang, self.unit_choice.value)
        self._silent = False
        if typed is not None:
            self._show(typed, as_typed=True)


class PercentSlider(Control):
    """A rate dragged as a percentage; the readout beside it is formatted by the locale."""

    def __init__(
        self,
        field: str,
        fraction: float,
        lang: str,
        *,
        maximum: float = 0.5,
        step: float = 0.005,
        label: Label = None,
        allow_one: bool = False,
    ) -> None:
        super().__init__(field, lang, label=label)
        self.allow_one = allow_one
        self.slider = widgets.FloatSlider(
            min=0.0, max=maximum * 100, step=step * 100, value=min(max(fraction, 0.0), maximum) * 100,
            readout=False, continuous_update=False, layout=widgets.Layout(width="16em"),
        )
        self.slider.add_class("ck-slider")
        self.readout = widgets.HTML()
        self.readout.add_class("ck-readout")
        self.slider.observe(self._moved, "value")
        self.box = self._box()
        self._render_readout()

    def _inputs(self) -> list[widgets.Widget]:
        return [self.slider, self.readout]

    def _render_readout(self) -> None:
        self.readout.value = fmt.percent(self.slider.value / 100, self.lang)

    def _moved(self, _change: object) -> None:
        self._render_readout()
        self._changed()

    def read(self) -> float:
        try:
            return check_fraction(self.field, check_finite(self.field, self.slider.value / 100), allow_one=self.allow_one)
        except InputError as err:
            raise self.error(err.reason, err.value, **err.params) from None

    def _enter(self, fraction: float) -> None:
        self.slider.value = fraction * 100

    def set(self, fraction: float) -> None:
        self._silent = True
        self.slider.value = fraction * 100
        self._silent = False
        self._render_readout()

    def set_lang(self, lang: str) -> None:
        super().set_lang(lang)
        self._render_readout()


def language_toggle(lang: str) -> widgets.ToggleButtons:
    """The Vietnamese / English switch (each language named in itself)."""
    toggle = widgets.ToggleButtons(
        options=[(i18n.tr("lang.name", code), code) for code in i18n.LANGUAGES],
        value=i18n.normalize_language(lang),
        style=widgets.ToggleButtonsStyle(button_width="auto"),
    )
    toggle.add_class("ck-lang")
    return toggle


class OptionChoice(Control):
    """One of a few fixed options, as buttons or a drop-down; ``read()`` gives the option.

    ``label_of(option, lang)`` names each option; the names follow a language switch and the
    option picked stays picked. A value that is not an option (sent by hand) is refused with a
    message, like any bad input.
    """

    def __init__(self, field: str, value: object, options: Sequence[object], lang: str, *,
                 label_of: Callable[[Any, str], str], buttons: bool = True, width: str = "14em",
                 css: str | None = None) -> None:
        super().__init__(field, lang)
        self.options = tuple(options)
        self.label_of = label_of
        if buttons:
            self.widget: widgets.ValueWidget = widgets.ToggleButtons(
                options=self._labels(), value=value, style=widgets.ToggleButtonsStyle(button_width=width))
        else:
            self.widget = widgets.Dropdown(options=self._labels(), value=value, layout=widgets.Layout(width=width))
        self.widget.add_class("ck-choice")
        if css:
            self.widget.add_class(css)
        self.widget.observe(self._changed, "value")
        self.box = self._box()

    def _labels(self) -> list[tuple[str, object]]:
        return [(self.label_of(option, self.lang), option) for option in self.options]

    def _inputs(self) -> list[widgets.Widget]:
        return [self.widget]

    def read(self) -> Any:  # type: ignore[override]
        value = self.widget.value
        if value not in self.options:
            raise self.error("not_text", value)
        return value

    def _enter(self, value: Any) -> None:  # type: ignore[override]
        self.widget.value = value

    def set_lang(self, lang: str) -> None:
        super().set_lang(lang)
        self._silent = True
        try:
            value = self.widget.value
            self.widget.options = self._labels()
            self.widget.value = value
        finally:
            self._silent = False


def text_labels(prefix: str) -> Callable[[Any, str], str]:
    """``label_of`` for `OptionChoice`: the catalogue text ``<prefix><option>``."""
    return lambda option, lang: i18n.tr(f"{prefix}{option}", lang)


def choice(options: list[tuple[str, str]], value: str, css: str) -> widgets.Dropdown:
    """A drop-down of ``(label, key)`` options with a stable CSS class."""
    dropdown = widgets.Dropdown(options=options, value=value, layout=widgets.Layout(width="22em"))
    dropdown.add_class(css)
    return dropdown


def set_options(dropdown: widgets.Dropdown | widgets.ToggleButtons, options: list) -> None:
    """New options (values, or ``(label, value)`` pairs), keeping the chosen value if it is still
    there, else the first (ipywidgets leaves nothing chosen after a change of options)."""
    chosen = dropdown.value
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    dropdown.options = options
    dropdown.value = chosen if chosen in values else (values[0] if values else None)


def volume_control(product: Any, lang: str, value: float | None = None) -> Control:
    """The box of a product's volume for a season: in tấn or kg (a unit picker) for a product
    sold by weight, else a whole number of the product's units."""
    volume = product.volume_per_season if value is None else value
    if product.unit == "kg":
        return QuantityBox("volume", volume, lang, dimension="weight", unit="tan" if volume >= 10_000 else "kg",
                           check=check_positive)
    return NumberBox("volume", volume, lang, unit_key=f"unit.{product.unit}", check=check_positive, decimals=0)


class ScaledBox(NumberBox):
    """A quantity box that shows the quantity in the unit another box uses (kg, tạ, tấn …)
    and reads it back in the product's unit: ``factor`` product units per shown unit."""

    def __init__(self, field: str, value: float, lang: str, *, factor: float, **kwargs: Any) -> None:
        self.factor = factor
        super().__init__(field, value / factor, lang, **kwargs)

    def _to_shown(self, value: float) -> float:
        return value / self.factor

    def _from_shown(self, number: float) -> float:
        return number * self.factor

    def rescale(self, factor: float, unit_key: str, decimals: int) -> None:
        """Show the same quantity in another unit."""
        try:
            value = self.read()
        except InputError:
            value = None
        self.factor, self.unit_key, self.decimals = factor, unit_key, decimals
        self._render_label()
        if value is not None:
            self.set(value)


# -- controls of several boxes: a month table's column, a member table, a range ----------------------
#: Money in a month table is typed in millions of đồng (triệu đồng), as cooperative reports write it.
MILLION = 1_000_000
#: Shares are typed with two decimals (twelve times 8,33 % is 99,96 %): a total this close to
#: 100 % counts as 100 % and the shares are scaled to add up to exactly 100 %.
SHARE_TOLERANCE = 0.001
#: Most members a member table takes (a teaching example, not a member register).
MAX_MEMBERS = 30
#: The three boxes of a `RangeBox`, lowest first.
RANGE_PARTS = ("minimum", "most_likely", "maximum")


def MonthChoice(field: str, month: int, lang: str) -> OptionChoice:  # noqa: N802 (a control, named like one)
    """A calendar month picked from a list of month names: ``read()`` gives 1–12."""
    return OptionChoice(field, int(month), range(1, 13), lang, label_of=month_name, buttons=False, width="11em",
                        css="ck-month-choice")


class MonthColumn(Control):
    """One column of the month table: twelve amounts (in millions of đồng) or shares (in %), one
    per calendar month.

    The cells live in the app's month table (``cells[m - 1]`` is calendar month ``m``; `header` is the
    column's heading there, its short name the catalogue text ``<header_prefix><field>``); this
    control's own box holds only its error line, shown under the table. An empty cell is 0.
    ``read()`` gives twelve numbers, January first (shares as fractions).
    """

    def __init__(self, field: str, values_jan_first: tuple[float, ...], lang: str, *, percent: bool = False,
                 header_prefix: str = "app.cash_flow.col.", money_unit_key: str = "app.cash_flow.unit_million") -> None:
        super().__init__(field, lang, unit_key="unit.percent" if percent else money_unit_key)
        self.percent = percent
        #: catalogue key of the column's short heading: ``<header_prefix><field>``
        self.header_prefix = header_prefix
        #: what one typed unit is worth: 1 % (0.01) for shares, a million đồng for money
        self.scale = 0.01 if percent else MILLION
        #: largest number a cell takes, as typed: 100 % or a million million đồng (`coopkit.fields.LARGEST`)
        self.maximum = (fields.LARGEST["rate"] if percent else fields.LARGEST["money"]) / self.scale
        self._header = widgets.HTML(layout=widgets.Layout(width="auto", min_width="0"), _dom_classes=("ck-column-header",))
        self.cells = []
        for month in range(1, 13):
            cell = widgets.Text(continuous_update=False, layout=widgets.Layout(width="auto", min_width="4.5em"),
                                _dom_classes=("ck-cell", f"ck-cell-{field}", f"ck-month-{month}"))
            cell.observe(self._changed, "value")
            self.cells.append(cell)
        self.box = self._box()
        self.set(values_jan_first)

    def _inputs(self) -> list[widgets.Widget]:
        return self.cells

    def _box(self) -> widgets.Box:
        box = widgets.VBox([self._error], _dom_classes=("ck-field", f"ck-field-{self.field}"))
        self._render_label()
        return box

    def _render_label(self) -> None:
        super()._render_label()
        unit = i18n.tr(self.unit_key, self.lang) if self.unit_key else ""
        short = i18n.tr(f"{self.header_prefix}{self.field}", self.lang)
        self._header.value = (f"<div style='white-space:normal;line-height:1.2' title='{escape(self.label_text())}'>"
                              f"<b>{escape(short)}</b><br><span class='ck-unit'>({escape(unit)})</span></div>")

    def close(self) -> None:
        super().close()
        self._header.close()

    def header(self) -> widgets.HTML:
        """The column's heading in the month table (a short name and the unit)."""
        return self._header

    def _format(self, value: float) -> str:
        return fmt.number(value / self.scale, self.lang, decimals=2)

    def set(self, values_jan_first) -> None:
        """Show twelve values (January first) without announcing a change."""
        self._silent = True
        try:
            for cell, value in zip(self.cells, values_jan_first, strict=True):
                cell.value = self._format(float(value))
        finally:
            self._silent = False

    def _read_cell(self, month: int) -> float:
        text = self.cells[month - 1].value
        if not str(text).strip():
            return 0.0
        try:
            number = parse_typed(text, self.lang, self.field)
        except InputError:
            raise self.error("cash_cell_not_a_number", text=typed_text(text), cash_month=month) from None
        if not -self.maximum <= number <= self.maximum:  # NaN too
            shown = ((fields.Shown(0.0, "volume"), fields.Shown(1.0, "loss_rate")) if self.percent else
                     (fields.Shown(0.0, "volume"), fields.Shown(self.maximum, "volume", unit=self.unit_key)))
            raise self.error("cash_cell_out_of_range", text=typed_text(text), cash_month=month,
                             minimum=shown[0], maximum=shown[1])
        number = number * self.scale
        if number < 0:
            if self.percent:
                raise self.error("negative_share", number, harvest_month=month)
            raise self.error("cash_negative_amount", number, cash_month=month)
        return number

    def read(self) -> tuple[float, ...]:  # type: ignore[override]
        values = []
        for month in range(1, 13):
            try:
                values.append(self._read_cell(month))
            except InputError:
                self.cells[month - 1].add_class("ck-invalid-cell")
                raise
            self.cells[month - 1].remove_class("ck-invalid-cell")
        if self.percent:
            total = math.fsum(values)
            if abs(total - 1.0) > SHARE_TOLERANCE:
                raise self.error("shares_not_one", share_total=total)
            values = [v / total for v in values]
        return tuple(values)

    def show_error(self, error: InputError | None) -> None:
        super().show_error(error)
        if error is None:
            for cell in self.cells:
                cell.remove_class("ck-invalid-cell")

    def _enter(self, values_jan_first) -> None:  # type: ignore[override]
        """Type twelve values (January first), as a manager would, one change at the end."""
        self._silent = True
        try:
            for cell, value in zip(self.cells[:-1], values_jan_first[:-1], strict=True):
                cell.value = self._format(float(value))
        finally:
            self._silent = False
        self.cells[-1].value = self._format(float(values_jan_first[-1]))
        self._changed()

    def type_cell(self, month: int, text: str) -> None:
        """Type ``text`` in the cell of calendar month ``month`` (tests; the page does it by hand)."""
        self.cells[month - 1].value = text

    def set_lang(self, lang: str) -> None:
        old = self.lang
        texts = [cell.value for cell in self.cells]
        super().set_lang(lang)
        self._silent = True
        try:
            for cell, text in zip(self.cells, texts, strict=True):
                try:
                    number = parse_typed(text, old, self.field) if str(text).strip() else 0.0
                except InputError:
                    continue
                if not -self.maximum <= number <= self.maximum:
                    continue  # out of range: left as typed, its message says the range
                cell.value = fmt.number(number, self.lang, decimals=2)
        finally:
            self._silent = False


class MemberTable(Control):
    """An editable table of members: name, kind (official or associate capital member),
    transactions with the cooperative (VND), capital (VND).

    ``read()`` returns a tuple of `coopkit.members.Member`; a bad cell is reported below the
    table, naming the member, the row and the column. Cells are read as every number box reads
    (`coopkit.ui.controls.parse_typed`: the page's decimal mark, ``30.5`` a decimal and
    ``1.250.000`` grouping on a Vietnamese page) and hold money from 0 ₫ to
    `coopkit.fields.LARGEST` ``["money"]``; a number outside is refused naming that range. ``value = [(name, transactions, capital[, kind]), ...]`` types a whole
    table. ``show_warnings`` puts warnings (capital limits) below it without blocking anything.
    """

    def __init__(self, field: str, members: tuple[Member, ...], lang: str) -> None:
        super().__init__(field, lang)
        self.rows: list[tuple[widgets.Text, widgets.Text, widgets.Text, widgets.Button, widgets.Dropdown,
                              widgets.HBox]] = []
        self.header = widgets.HTML()
        self.header.add_class("ck-member-header")
        self.grid = widgets.VBox()
        self.grid.add_class("ck-member-rows")
        self.add_button = widgets.Button(icon="plus", layout=widgets.Layout(width="auto"))
        self.add_button.add_class("ck-member-add")
        self.add_button.on_click(lambda _b: self._add_row("", 0.0, 0.0, "official", announce=True))
        self.note = widgets.HTML()
        self.note.add_class("ck-note")
        self.warning = widgets.HTML()
        self.warning.add_class("ck-capital-warning")
        self._warnings: list[Any] = []
        self.minimum = 0.0
        self.maximum = fields.LARGEST["money"]
        for member in members:
            self._add_row(member.name, member.transactions, member.capital, member.kind, announce=False)
        self.box = self._box()

    # -- layout ----------------------------------------------------------------------------
    def _inputs(self) -> list[widgets.Widget]:
        return [self.grid]

    def _box(self) -> widgets.Box:
        box = widgets.VBox([self._label, self.note, self.header, self.grid, self.add_button, self._error,
                            self.warning])
        box.add_class("ck-field")
        box.add_class(f"ck-field-{self.field}")
        self._render_label()
        return box

    def _render_label(self) -> None:
        super()._render_label()
        tr = lambda key: escape(i18n.tr(f"app.member_income.{key}", self.lang))  # noqa: E731
        self.header.value = (f"<div style='display:flex;gap:0.5em'><b style='width:14em'>{tr('col_member')}</b>"
                             f"<b style='width:10em'>{tr('col_transactions')}</b><b style='width:9em'>{tr('col_capital')}</b>"
                             f"<b style='width:10em'>{tr('col_kind')}</b></div>")
        self.note.value = f"<small>{tr('members_note')}</small>"
        self.add_button.description = i18n.tr("app.member_income.add_member", self.lang)
        for *_texts, remove, kind, _row in self.rows:
            remove.tooltip = i18n.tr("app.member_income.remove_member", self.lang)
            self._relabel_kind(kind)
        self._render_warnings()

    def _kind_options(self) -> list[tuple[str, str]]:
        return [(i18n.tr(f"app.member_income.kind.{kind}", self.lang), kind) for kind in MEMBER_KINDS]

    def _relabel_kind(self, kind: widgets.Dropdown) -> None:
        silent, self._silent = self._silent, True
        try:
            value = kind.value
            kind.options = self._kind_options()
            kind.value = value
        finally:
            self._silent = silent

    def show_warnings(self, items: list[Any]) -> None:
        """Show warnings below the table (objects with ``message(lang)``); an empty list clears them."""
        self._warnings = list(items)
        self._render_warnings()

    def _render_warnings(self) -> None:
        self.warning.value = "".join(f"<p class='ck-warning'>⚠ {escape(w.message(self.lang))}</p>"
                                     for w in self._warnings)

    def _add_row(self, name: str, transactions: float, capital: float, kind: str, *, announce: bool) -> None:
        if len(self.rows) >= MAX_MEMBERS:
            return
        name_box = widgets.Text(value=name, continuous_update=False, layout=widgets.Layout(width="14em"))
        name_box.add_class("ck-member-name")
        money = []
        for value, css, width in ((transactions, "ck-member-transactions", "10em"), (capital, "ck-member-capital", "9em")):
            text = widgets.Text(value=self._format(value), continuous_update=False,
                                layout=widgets.Layout(width=width))
            text.add_class("ck-number")
            text.add_class(css)
            money.append(text)
        remove = widgets.Button(icon="trash", layout=widgets.Layout(width="2.6em"),
                                tooltip=i18n.tr("app.member_income.remove_member", self.lang))
        remove.add_class("ck-member-remove")
        kind_box = widgets.Dropdown(options=self._kind_options(), value=kind if kind in MEMBER_KINDS else "official",
                                    layout=widgets.Layout(width="10em"))
        kind_box.add_class("ck-member-kind")
        row = widgets.HBox([name_box, *money, kind_box, remove],
                           layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        row.add_class("ck-member-row")
        entry = (name_box, money[0], money[1], remove, kind_box, row)
        self.rows.append(entry)
        remove.on_click(lambda _b, entry=entry: self._remove(entry))
        for text in (name_box, *money, kind_box):
            text.observe(self._changed, "value")
        self.grid.children = [r[-1] for r in self.rows]
        if announce:
            self._changed()

    def _remove(self, entry) -> None:
        if entry in self.rows:
            self.rows.remove(entry)
            self.grid.children = [r[-1] for r in self.rows]
            for widget in entry:
                widget.close()
            self._changed()

    # -- values ----------------------------------------------------------------------------
    def _limit_shown(self, number: float) -> object:
        return fields.Shown(number, "amount")

    def _format(self, value: float) -> str:
        """A cell's amount in the page's format (a number far out of range, set from code, as
        Python writes it: `read` refuses it in words)."""
        value = float(value)
        if not math.isfinite(value) or abs(value) >= UNFORMATTED:
            return str(value)
        return fmt.number(value, self.lang, decimals=0 if value.is_integer() else 2)

    def _typed(self, text: widgets.Text, field: str) -> float:
        """The amount typed in a cell, in range and not negative; raises `InputError` about ``field``."""
        number = parse_typed(text.value, self.lang, field)
        try:
            self.in_range(number, text.value, check=lambda: check_nonnegative(field, number))
        except InputError as err:
            raise InputError(field, reason=err.reason, value=err.value, **err.params) from None
        return check_nonnegative(field, number)

    def _number(self, text: widgets.Text, field: str, number: int, name: str) -> float:
        try:
            return self._typed(text, field)
        except InputError as err:
            label = {code: i18n.tr("app.member_income.cell_label", code, field=i18n.tr(f"field.{field}", code),
                                   row=str(number), member=name) for code in i18n.LANGUAGES}
            raise InputError(field, reason=err.reason, value=err.value, label=label, row=number,
                             **err.params) from None

    def read(self) -> tuple[Member, ...]:  # type: ignore[override]
        members = []
        for number, (name_box, transactions, capital, _remove, kind, _row) in enumerate(self.rows, start=1):
            name = name_box.value.strip()
            if not name:
                label = {code: i18n.tr("app.member_income.row_label", code, row=str(number)) for code in i18n.LANGUAGES}
                raise InputError("member_name", reason="empty_name", value="", label=label, row=number)
            members.append(Member(name, self._number(transactions, "member_transactions", number, name),
                                  self._number(capital, "member_capital", number, name), kind.value))
        return tuple(members)

    def names(self) -> list[str]:
        """The names typed, in order, without empty ones."""
        return [r[0].value.strip() for r in self.rows if r[0].value.strip()]

    def _enter(self, rows: Any) -> None:  # type: ignore[override]
        """Type a whole table (``[(name, transactions, capital[, kind]), ...]``); one change event."""
        self._silent = True
        try:
            for entry in list(self.rows):
                self.rows.remove(entry)
                for widget in entry:
                    widget.close()
            for name, transactions, capital, *kind in rows:
                self._add_row(name, transactions, capital, kind[0] if kind else "official", announce=False)
        finally:
            self._silent = False
        self._changed()

    def show_error(self, error: InputError | None) -> None:
        super().show_error(error)
        row = None if error is None else error.params.get("row")
        for number, entry in enumerate(self.rows, start=1):
            if number == row:
                entry[-1].add_class("ck-invalid-row")
            else:
                entry[-1].remove_class("ck-invalid-row")

    def set_lang(self, lang: str) -> None:
        typed = []
        for _name, transactions, capital, _remove, _kind, _row in self.rows:
            pair = []
            for text in (transactions, capital):
                try:
                    pair.append(self._typed(text, "member_transactions"))
                except InputError:
                    pair.append(None)  # left as typed: its message is translated by the refresh
            typed.append(pair)
        super().set_lang(lang)
        self._silent = True
        try:
            for (_name, transactions, capital, _remove, _kind, _row), pair in zip(self.rows, typed, strict=True):
                for text, number in zip((transactions, capital), pair, strict=True):
                    if number is not None:
                        text.value = self._format(number)
        finally:
            self._silent = False

    def close(self) -> None:
        for entry in self.rows:
            for widget in entry:
                widget.close()
        for widget in (self.header, self.grid, self.add_button, self.note, self.warning):
            widget.close()
        super().close()


class RangeBox(Control):
    """Three boxes for one uncertain input: lowest, most likely and highest value.

    ``read()`` returns a checked `coopkit.risk.Estimate`; a minimum above the maximum (or a
    most likely value outside them) is shown below the three boxes. Each box has the range of
    a `NumberBox` of the same kind (money or number, `coopkit.fields.LARGEST`).
    """

    def __init__(self, field: str, value: risk.Estimate, lang: str, *, money: bool = False,
                 unit_key: str | None = None, check: Callable[[str, object], float] = check_nonnegative) -> None:
        super().__init__(field, lang, unit_key=unit_key or ("unit.vnd" if money else None))
        self.money = money
        self.check = check
        self.maximum = fields.LARGEST["money" if money else "number"]
        self.texts = []
        self.captions = []
        for part in RANGE_PARTS:
            text = widgets.Text(continuous_update=False, layout=widgets.Layout(width="9em"))
            text.add_class("ck-number")
            text.add_class(f"ck-range-{part}")
            text.observe(self._changed, "value")
            caption = widgets.HTML()
            caption.add_class("ck-range-caption")
            self.texts.append(text)
            self.captions.append(caption)
        self._columns = [widgets.VBox([caption, text]) for caption, text in zip(self.captions, self.texts, strict=True)]
        self.box = self._box()
        self._show(value)

    def _inputs(self) -> list[widgets.Widget]:
        return self._columns

    def _render_label(self) -> None:
        super()._render_label()
        for caption, part in zip(self.captions, RANGE_PARTS, strict=True):
            caption.value = f"<small>{i18n.tr(f'app.production_risk.{part}', self.lang)}</small>"

    def _format(self, number: float) -> str:
        return fmt.number(number, self.lang, decimals=0 if self.money or abs(number) >= 1000 else 2)

    def _limit_shown(self, number: float) -> object:
        if self.money:
            return fields.Shown(number, "amount")
        return fields.Shown(number, "volume", unit=self.unit_key if number else None)

    def _typed(self, text: widgets.Text) -> float:
        return self.in_range(parse_typed(text.value, self.lang, self.field), text.value)

    def _show(self, value: risk.Estimate) -> None:
        self._silent = True
        try:
            for text, number in zip(self.texts, value.as_tuple(), strict=True):
                text.value = self._format(number)
        finally:
            self._silent = False

    def read(self) -> risk.Estimate:
        try:
            numbers = [self.check(self.field, self._typed(t)) for t in self.texts]
            return risk.estimate(self.field, tuple(numbers), self.check)
        except InputError as err:
            raise self.error(err.reason, err.value, **err.params) from None

    def _enter(self, value: Any) -> None:
        """Type three numbers (or an `Estimate`); one change event, as when the last box is left."""
        parts = value.as_tuple() if isinstance(value, risk.Estimate) else tuple(value)
        self._silent = True
        try:
            for text, number in zip(self.texts[:-1], parts[:-1], strict=True):
                text.value = self._format(number)
        finally:
            self._silent = False
        last = self._format(parts[-1])
        if self.texts[-1].value == last:
            self._changed()  # the last box does not change, so it would not announce the others
        else:
            self.texts[-1].value = last

    def set_lang(self, lang: str) -> None:
        typed = []
        for text in self.texts:  # each box as typed in the old language (even when the range is wrong)
            try:
                typed.append(self._typed(text))
            except InputError:
                typed.append(None)
        super().set_lang(lang)
        self._silent = True
        try:
            for text, number in zip(self.texts, typed, strict=True):
                if number is not None:
                    text.value = self._format(number)
        finally:
            self._silent = False
