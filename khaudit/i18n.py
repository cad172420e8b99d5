"""User-facing strings: one catalogue per language (``khaudit/locales/<lang>.json``).

Vietnamese is the default. A missing key in a non-default catalogue falls back to Vietnamese,
and a key missing everywhere is an error caught by the tests, never a silent blank.

Reports take their language as an argument. Terminal messages and errors speak the current
language: ``KHAUDIT_LANG`` in the environment, ``khaudit --lang``, or :func:`set_language`.
"""

from __future__ import annotations

import json
import os
from functools import cache

#: Beside this module. A plain path rather than ``importlib.resources``, whose import alone
#: (tempfile, zip support) costs the command's start-up more than reading the catalogue, and
#: an ``os.path`` one: the command's help imports no pathlib.
_LOCALES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locales")

DEFAULT_LANG = "vi"
LANGUAGES = ("vi", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    with open(os.path.join(_LOCALES, f"{lang}.json"), encoding="utf-8") as fh:
        return json.loads(fh.read())


_language = os.environ.get("KHAUDIT_LANG", DEFAULT_LANG)
if _language not in LANGUAGES:
    _language = DEFAULT_LANG


def set_language(lang: str) -> None:
    """Speak ``lang`` in terminal messages and errors from now on."""
    global _language
    catalogue(lang)  # an unknown language fails here, not in the middle of a message
    _language = lang


def language() -> str:
    """The language of terminal messages and errors."""
    return _language


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The text for ``key`` in ``lang`` (default: the current language) with ``values``."""
    text = catalogue(lang or _language).get(key) or catalogue(DEFAULT_LANG)[key]
    return text.format(**values) if values else text
