"""Translations: gettext catalogues (``coopkit/locale/<lang>/LC_MESSAGES/*.po``) read with Babel.

Message ids are stable keys (``"error.not_positive"``, ``"app.unit_cost.title"``); every key
exists in Vietnamese and English, and a test fails when one is missing. Vietnamese is the
default language. Messages use ``str.format`` placeholders (``{field}``, ``{value}``).

Catalogues are split by domain (one ``.po`` file per area: errors, fields, ui, lessons, data)
and merged per language when first needed.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "LOCALES",
    "tr",
    "has",
    "catalog",
    "get_language",
    "set_language",
    "normalize_language",
    "language_from_environ",
]

LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
#: Babel locale used to format numbers and money for each language.
LOCALES = {"vi": "vi_VN", "en": "en_US"}
LOCALE_DIR = Path(__file__).with_name("locale")

_current = DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, ``{key: text}``, from every ``.po`` file of that language."""
    from babel.messages.pofile import read_po

    lang = normalize_language(lang)
    messages: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            po = read_po(f, locale=lang, domain=path.stem)
        for message in po:
            if message.id and message.string and not message.fuzzy:
                messages[str(message.id)] = str(message.string)
    return messages


def normalize_language(lang: str | None) -> str:
    """``"vi"`` or ``"en"`` for anything a browser or a user may send; default Vietnamese.

    >>> normalize_language("en-GB"), normalize_language("vi_VN"), normalize_language("fr")
    ('en', 'vi', 'vi')
    """
    if not lang:
        return _current
    code = str(lang).strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def get_language() -> str:
    """The language used where none is given (Vietnamese until `set_language` is called).

    >>> get_language() in LANGUAGES
    True
    """
    return _current


def set_language(lang: str) -> str:
    """Set the language used where none is given; returns it.

    A trainer switches the default to English for a visiting room, then back:

    >>> before = get_language()
    >>> set_language("en-GB")
    'en'
    >>> tr("lang.name")
    'English'
    >>> set_language(before) == before
    True
    """
    global _current
    _current = normalize_language(lang)
    return _current


def has(key: str, lang: str | None = None) -> bool:
    """Whether ``key`` has a text in ``lang``.

    >>> has("lang.name", "vi"), has("no.such.text", "en")
    (True, False)
    """
    return key in catalog(normalize_language(lang))


def tr(key: str, lang: str | None = None, /, **params: object) -> str:
    """The text of ``key`` in ``lang``, with ``params`` filled in.

    A missing key falls back to the other language, then to the key itself, so that an app
    never breaks on a missing text (the catalogue test catches it before release).

    >>> tr("lang.name", "vi"), tr("lang.name", "en")
    ('Tiếng Việt', 'English')
    """
    lang = normalize_language(lang)
    text = catalog(lang).get(key)
    if text is None:
        other = next(code for code in LANGUAGES if code != lang)
        text = catalog(other).get(key, key)
    return text.format(**params) if params else text


def language_from_environ(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The language a page asked for: ``?lang=`` first, then the browser's Accept-Language.

    Voila puts the query string in ``QUERY_STRING`` and, when configured with
    ``http_header_envs``, the header in ``HTTP_ACCEPT_LANGUAGE``.

    >>> language_from_environ({"QUERY_STRING": "lang=en"})
    'en'
    >>> language_from_environ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9,vi;q=0.8"})
    'en'
    >>> language_from_environ({"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"})
    'vi'
    """
    environ = os.environ if environ is None else environ
    query = parse_qs(environ.get("QUERY_STRING", ""))
    for value in query.get("lang", []):
        code = value.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    header = environ.get("HTTP_ACCEPT_LANGUAGE", "")
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        weighted.append((-weight, position, tag.strip().lower()[:2]))
    for _weight, _position, code in sorted(weighted):
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
