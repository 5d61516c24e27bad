"""Assertions shared by the test modules."""

from __future__ import annotations

import pytest

from coopkit import i18n
from coopkit.errors import InputError
from coopkit.fields import FIELD_KINDS


def assert_input_error(excinfo: pytest.ExceptionInfo[InputError], field: str, reason: str) -> None:
    """The error names ``field`` and ``reason`` and reads as a full sentence in vi and en."""
    err = excinfo.value
    assert (err.field, err.reason) == (field, reason)
    assert field in FIELD_KINDS
    texts = {}
    for lang in ("vi", "en"):
        assert i18n.has(f"error.{reason}", lang), f"error.{reason} missing in {lang}"
        text = err.message(lang)
        assert text.strip(), lang
        assert "{" not in text and "}" not in text, text
        assert "error." not in text, text
        texts[lang] = text
    assert texts["vi"] != texts["en"]
