"""The run's notes in the report's language.

An audit writes why each record and file has its status (``note``), why a pair waits for a
person (``explanation``), why a record goes to its receiver (``zoning_note``) and why a folder
was not entered (``scan_problems.csv``) in the language it ran in, composed from the
catalogue's templates ("mã {code} trong tên tệp") joined by "; " or ", ". A report in another
language reads each part back against the other language's templates and writes it again in
its own ("code {code} in the file name"); the values a template holds (a code, a path, a
number) are kept, or translated in turn when they are themselves a template's words (a
damaged file's "tệp bị cắt cụt"). A part no template wrote (a person's name, a path) stays as
it is. Notes are never rewritten in the run: they are part of its fingerprinted tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from ..i18n import LANGUAGES, catalogue

#: The catalogue families notes are written from.
FAMILIES = ("why.", "integrity.", "walk.", "zoning.", "reading.", "field.", "scheme.")
#: The columns of run tables that hold notes.
NOTE_COLUMNS = ("note", "explanation", "zoning_note", "problem", "integrity_note")
#: Placeholders that hold a template's words in turn (the others hold codes, paths, titles,
#: names: kept as they are).
WORDS = frozenset({"what", "parts", "reading", "field"})
#: Placeholders that hold a number (as does any placeholder a "%" follows): read as one, so
#: "{pages} trang" never takes "tiêu đề khớp 100%, 12 trang" for its pages.
NUMBERS = frozenset(
    {"pages", "sheets", "max", "n", "score", "own", "accept", "review", "year", "value"}
    | {
        "position",
        "batch",
        "length",
        "limit",
        "agree",
        "checked",
        "records",
        "digitized",
        "not_utf8",
        "lead",
    }
)
_NUMBER = r"[-+]?\d+(?:[.,]\d+)*"
#: Any other placeholder's value: never across "; ", which joins a note's reasons, unless
#: quoted (a typed title: its own text may hold anything).
_VALUE = r"(?:(?!; ).)+?"
QUOTES = frozenset("\"“'")
_PLACEHOLDER = re.compile(r"\{(\w+)(?:[:!][^}]*)?\}")


@dataclass(frozen=True)
class _Templates:
    """One language's note templates: fixed texts by their words, and one pattern that tells
    which template wrote a text and what it held."""

    fixed: dict[str, list[str]]  # text -> the keys that write it
    pattern: re.Pattern[str] | None
    keys: dict[str, tuple[str, list[str]]]  # group prefix -> (key, placeholder names)


@cache
def _templates(lang: str) -> _Templates:
    fixed: dict[str, list[str]] = {}
    alternatives: list[tuple[int, str]] = []
    keys: dict[str, tuple[str, list[str]]] = {}
    known = catalogue(lang)
    for key, text in known.items():
        if not key.startswith(FAMILIES) or not text.strip():
            continue
        names = _PLACEHOLDER.findall(text)
        if not names:
            fixed.setdefault(text, []).append(key)
            continue
        prefix = f"t{len(keys)}"
        keys[prefix] = (key, names)
        literal = len(_PLACEHOLDER.sub("", text))
        alternatives.append((literal, _regex(text, prefix)))
    # The most specific templates (most fixed words) are tried first.
    alternatives.sort(key=lambda a: -a[0])
    body = "|".join(f"(?:{regex})" for _, regex in alternatives)
    return _Templates(fixed, re.compile(body, re.DOTALL) if body else None, keys)


def _regex(text: str, prefix: str) -> str:
    """``text`` as a pattern: its words as they are, each placeholder a group named
    ``<prefix>_<name>`` (a placeholder used twice must hold the same text twice)."""
    out = [f"(?P<{prefix}>)"]
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(re.escape(text[position : match.start()]))
        name = match.group(1)
        group = f"{prefix}_{name}"
        number = name in NUMBERS or text[match.end() : match.end() + 1] == "%"
        quoted = text[match.start() - 1 : match.start()] in QUOTES
        value = _NUMBER if number else ".+?" if quoted else _VALUE
        out.append(f"(?P={group})" if name in seen else f"(?P<{group}>{value})")
        seen.add(name)
        position = match.end()
    out.append(re.escape(text[position:]))
    return "".join(out)


def _whole(text: str, source: str, lang: str, family: str = "why.") -> str | None:
    """``text`` written again in ``lang`` when one template of ``source`` wrote all of it (of
    two that write the same words, "số hồ sơ", the one of ``family``)."""
    templates = _templates(source)
    keys = templates.fixed.get(text)
    if keys:
        key = next((k for k in keys if k.startswith(family)), keys[0])
        return catalogue(lang).get(key, text)
    if templates.pattern is None:
        return None
    match = templates.pattern.fullmatch(text)
    if match is None:
        return None
    prefix = next(g for g, v in match.groupdict().items() if v is not None and "_" not in g)
    key, names = templates.keys[prefix]
    values = {
        name: _part(value, source, lang, f"{name}.") if name in WORDS else value
        for name in names
        for value in [match.group(f"{prefix}_{name}")]
    }
    try:
        return catalogue(lang).get(key, catalogue(source)[key]).format(**values)
    except (KeyError, IndexError, ValueError):  # a template whose placeholders differ
        return None


@cache
def _part(text: str, source: str, lang: str, family: str = "why.") -> str:
    """``text`` in ``lang``: whole when one template wrote it, else part by part; what no
    template wrote is kept as it is."""
    whole = _whole(text, source, lang, family)
    if whole is not None:
        return whole
    if "; " in text:
        return _joined(text, "; ", source, lang, family)
    if ": " in text:  # "<path>: <reason>": a review note names its scan first
        head, _, tail = text.partition(": ")
        written = _part(tail, source, lang, family)
        if written != tail:
            return f"{head}: {written}"
    if ", " in text:
        return _joined(text, ", ", source, lang, family)
    word, own = f" {catalogue(source)['why.and']} ", f" {catalogue(lang)['why.and']} "
    if word in text and word != own:  # "năm 2018 và 9 trang": each part a template's
        parts = text.split(word)
        written_parts = [_part(p, source, lang, family) for p in parts]
        if all(w != p for w, p in zip(written_parts, parts, strict=True)):
            return own.join(written_parts)
    return text


def _joined(text: str, separator: str, source: str, lang: str, family: str) -> str:
    """``text``'s parts (split at ``separator``) each in ``lang``: the longest run of parts
    one template wrote first, then part by part; ``text`` unchanged when no part changed."""
    parts = text.split(separator)
    out, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            piece = separator.join(parts[i:j])
            found = (
                _whole(piece, source, lang, family)
                if j - i > 1
                else _part(piece, source, lang, family)
            )
            if found is not None:
                out.append(found)
                i = j
                break
    written = separator.join(out)
    return text if written == separator.join(parts) else written


def in_language(text: object, lang: str, source: str | None = None) -> object:
    """A note in ``lang``, from ``source`` (the run's language; None: any other language).
    Anything but text (a blank) is returned as it is."""
    if not isinstance(text, str) or not text:
        return text
    for other in [source] if source else [x for x in LANGUAGES if x != lang]:
        if other == lang:
            return text
        written = _part(text, other, lang)
        if written != text:
            return written
    return text


def run_language(meta: dict) -> str | None:
    """The language a run wrote its notes in (None for a run that does not say)."""
    lang = meta.get("parameters", {}).get("lang")
    return lang if lang in LANGUAGES else None


def notes_in_language(frame: pd.DataFrame, lang: str, source: str | None) -> pd.DataFrame:
    """``frame`` with its note columns in ``lang`` (a copy; ``frame`` itself when nothing is
    to be translated)."""
    columns = [c for c in NOTE_COLUMNS if c in frame.columns]
    if not columns or not len(frame) or source == lang:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = [in_language(v, lang, source) for v in out[column]]
    return out
