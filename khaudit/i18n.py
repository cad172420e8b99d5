"""User-facing strings: one catalogue per language (``khaudit/locales/<lang>.json``).

Vietnamese is the default. A missing key in a non-default catalogue falls back to Vietnamese,
and a key missing everywhere is an error caught by the tests, never a silent blank.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DEFAULT_LANG = "vi"
LANGUAGES = ("vi", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    text = resources.files("khaudit").joinpath("locales", f"{lang}.json").read_text("utf-8")
    return json.loads(text)


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text for ``key`` in ``lang`` with ``values`` filled in."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG)[key]
    return text.format(**values) if values else text
