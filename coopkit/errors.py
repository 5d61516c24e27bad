"""The one error type for bad input.

`InputError` carries the field, the value and a message key; the words come from the
translation catalogues (``coopkit/locale``), so the same error reads well in Vietnamese and
in English. Apps show ``err.message(lang)`` beside the input that is wrong.
"""

from __future__ import annotations

import math
from typing import Any

from coopkit import fields, i18n

__all__ = ["InputError", "COUNTED_REASONS", "COUNT_PARAMS"]

#: Messages whose ``{value}`` is a count ("3 numbers are needed; you gave {value}") or a number
#: that must be whole ("must be a whole number from 1 to 60 (you entered {value})"): the value
#: is shown as a count, as typed ("2,5"), whatever the kind of the field it is about, never as
#: money ("₫2") or a percentage ("200%"), never rounded ("2" for 2.5). A test checks that every
#: message saying "whole number" or counting what was given is listed here.
COUNTED_REASONS: frozenset[str] = frozenset({
    # counts of what was given
    "cash_wrong_months",
    "data_table_inputs",
    "range_needs_three",
    "too_many_draws",
    "too_many_points",
    "tornado_pair",
    # whole numbers
    "cash_month_out_of_range",
    "cash_whole_months",
    "invest_not_whole_in_range",
    "loan_months_not_whole_periods",
    "loan_months_out_of_range",
    "loan_period_out_of_range",
    "months_out_of_range",
    "not_whole",
    "ocop_bad_criterion_points",
    "ocop_bad_star",
    "too_few_points",
    "workbook_bad_minutes",
})

#: Message parameters that are always counts ("from 1 to {limit}", "you entered {count}"),
#: shown as counts whatever field they come with.
COUNT_PARAMS: frozenset[str] = frozenset({
    "count", "limit", "length", "max_length", "pairs", "periods", "price_count", "quantity_count", "first_row",
})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class InputError(ValueError):
    """Bad input, described for a cooperative manager.

    Parameters
    ----------
    field
        Name of the input that is wrong, as the domain function calls it (``"volume"``).
    reason
        Message key: the text is ``error.<reason>`` in the catalogues.
    value
        The value that was given (formatted by the field's kind in the message).
    label
        Optional label per language (``{"vi": ..., "en": ...}``) for an input that is not one
        of the named fields, such as one cost item of a product template.
    **params
        Further values the message names (another field's value, a row number, a limit).

    Examples
    --------
    >>> err = InputError("volume", reason="not_positive", value=0)
    >>> err.field, err.reason
    ('volume', 'not_positive')
    >>> print(err.message("en"))
    Volume sold must be greater than zero (you entered 0).
    >>> print(err.message("vi"))
    Sản lượng bán phải lớn hơn 0 (bạn đã nhập 0).

    A count is shown as a count, and a number that must be whole as it was typed:

    >>> print(InputError("loss_rate", reason="range_needs_three", value=2).message("en"))
    Loss rate: exactly 3 numbers are needed (lowest, most likely, highest); you gave 2.
    >>> print(InputError("points", reason="too_few_points", value=2.5).message("en"))
    Number of points must be a whole number of at least 2 (you entered 2.5).
    """

    def __init__(
        self,
        field: str,
        reason: str,
        value: Any = None,
        *,
        label: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.field = field
        self.label = label
        self.reason = reason
        self.value = value
        self.params = params
        super().__init__(field, reason, value)

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``; default: the current language)."""
        lang = i18n.normalize_language(lang)
        values = {name: fields.as_typed(v, lang) if name in COUNT_PARAMS and _is_number(v)
                  else fields.format_value(name, v, lang) for name, v in self.params.items()}
        label = self.label[lang] if self.label else fields.label(self.field, lang)
        return i18n.tr(
            f"error.{self.reason}",
            lang,
            field=label,
            value=fields.as_typed(self.value, lang) if self.reason in COUNTED_REASONS and _is_number(self.value)
            else fields.format_value(self.field, self.value, lang),
            **values,
        )

    @property
    def messages(self) -> dict[str, str]:
        """The message in every supported language."""
        return {lang: self.message(lang) for lang in i18n.LANGUAGES}

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"InputError(field={self.field!r}, reason={self.reason!r}, value={self.value!r})"
