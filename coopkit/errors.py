"""The one error type for bad input.

`InputError` carries the field, the value and a message key; the words come from the
translation catalogues (``coopkit/locale``), so the same error reads well in Vietnamese and
in English. Apps show ``err.message(lang)`` beside the input that is wrong.
"""

from __future__ import annotations

from typing import Any

__all__ = ["InputError"]


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
        from coopkit import fields, i18n

        lang = i18n.normalize_language(lang)
        values = {name: fields.format_value(name, v, lang) for name, v in self.params.items()}
        label = self.label[lang] if self.label else fields.label(self.field, lang)
        return i18n.tr(
            f"error.{self.reason}",
            lang,
            field=label,
            value=fields.format_value(self.field, self.value, lang),
            **values,
        )

    @property
    def messages(self) -> dict[str, str]:
        """The message in every supported language."""
        from coopkit import i18n

        return {lang: self.message(lang) for lang in i18n.LANGUAGES}

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"InputError(field={self.field!r}, reason={self.reason!r}, value={self.value!r})"
