"""What a scanning operator types for a dossier title, and which dossiers such a typing fits.

Three noise levels, each adding to the one before:

- ``low``: marks stripped (``đ`` becomes ``d``);
- ``mid``: the office's abbreviations (UBND, HĐND, QĐ, GCN QSDĐ, TBĐ, KT-XH, "thửa" for
  "thửa đất số", "ô." for "ông", ...), a letter dropped, doubled or swapped, two words run
  together;
- ``high``: words dropped, and the field cut at 60-120 characters, even inside a number
  ("TBD 1" for "tờ bản đồ số 18").

:func:`fits` is the labelling side: whether a typing could have come from a given title, knowing
only what the operator may have done (how many words were dropped, whether the text was cut).
It is what decides that a twin is a true tie.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from .vocab import ABBREVIATIONS


@dataclass(frozen=True)
class Typing:
    """An operator's typing of a title and what was done to it."""

    text: str
    dropped: int = 0  # words left out
    cut: bool = False  # the text stops before the title does


def strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold(text: str) -> str:
    return strip_marks(text).lower()


#: folded abbreviation -> folded phrase, to read a typing back. "thua" alone and "o."/"b." are
#: read as the phrases only where the typing does not already spell them out.
_EXPAND = [
    (re.compile(r"(?<![a-z0-9])" + re.escape(fold(short)) + r"(?![a-z0-9])"), fold(long))
    for long, short in ABBREVIATIONS
    if fold(short) not in ("thua", "o.", "b.", "bc", "kh", "cv", "ct")
]
_EXPAND += [
    (re.compile(r"(?<![a-z0-9])thua(?! dat so)(?![a-z0-9])"), "thua dat so"),
    (re.compile(r"(?<![a-z0-9])o\."), "ong"),
    (re.compile(r"(?<![a-z0-9])b\."), "ba"),
    (re.compile(r"(?<![a-z0-9])bc(?![a-z0-9])"), "bao cao"),
    (re.compile(r"(?<![a-z0-9])kh(?![a-z0-9])"), "ke hoach"),
    (re.compile(r"(?<![a-z0-9])cv(?![a-z0-9])"), "cong van"),
    (re.compile(r"(?<![a-z0-9])ct(?![a-z0-9])"), "chu tich"),
]
_TOKEN = re.compile(r"[a-z0-9]+")
#: Short forms are typed as learnt; typing slips hit ordinary words.
_SHORT_FORMS = {fold(short) for _, short in ABBREVIATIONS}


def tokens(text: str) -> list[str]:
    """Folded words with every abbreviation spelt out."""
    folded = fold(text)
    for pattern, long in _EXPAND:
        folded = pattern.sub(long, folded)
    return _TOKEN.findall(folded)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def type_title(
    title: str, level: str, rng: random.Random, abbreviations: frozenset[str], cut_at: int
) -> Typing:
    """The operator's typing of ``title`` at ``level`` (low, mid, high).

    ``abbreviations`` are the short forms this office uses; ``cut_at`` is the length its
    scanning tool's title field keeps (used at ``high``).
    """
    text = title
    if level in ("mid", "high"):
        for long, short in ABBREVIATIONS:
            if short in abbreviations:
                text = re.sub(r"(?<!\w)" + re.escape(long) + r"(?!\w)", short, text)
    text = strip_marks(text)
    words = text.split(" ")
    dropped = 0
    if level == "high" and rng.random() < 0.35:
        plain = [i for i, w in enumerate(words[1:], 1) if w.isalpha() and w.islower()]
        for i in sorted(rng.sample(plain, min(len(plain), rng.choice((1, 1, 2)))), reverse=True):
            del words[i]
            dropped += 1
    if level in ("mid", "high"):
        if rng.random() < (0.35 if level == "mid" else 0.5):
            long_words = [
                i
                for i, w in enumerate(words)
                if len(w) >= 4 and w.isalpha() and not w.isupper() and w.lower() not in _SHORT_FORMS
            ]
            if long_words:
                i = rng.choice(long_words)
                words[i] = _typo(words[i], rng)
        if rng.random() < 0.2:
            pairs = [
                i
                for i in range(len(words) - 1)
                if words[i].isalpha()
                and words[i + 1].isalpha()
                and words[i].islower()
                and words[i + 1].islower()
            ]
            if pairs:
                i = rng.choice(pairs)
                words[i : i + 2] = [words[i] + words[i + 1]]
    text = " ".join(words)
    cut = False
    if level == "high" and len(text) > cut_at:
        text = text[:cut_at].rstrip(" ,.-")
        cut = True
    return Typing(text=text, dropped=dropped, cut=cut)


def cut_for_filename(typing: Typing, limit: int) -> Typing:
    """The typing as a file name keeps it: no characters a file system refuses, cut to ``limit``."""
    text = re.sub(r'[\\/:*?"<>|]', " ", typing.text)
    text = re.sub(r"\s+", " ", text).strip()
    cut = typing.cut
    if len(text) > limit:
        text = text[:limit].rstrip(" ,.-")
        cut = True
    return Typing(text=text, dropped=typing.dropped, cut=cut)


def _word_fits(t: str, r: str) -> bool:
    if t == r:
        return True
    if t.isdigit() or r.isdigit():
        return False
    return len(t) >= 4 and len(r) >= 3 and OSA.distance(t, r) <= 1


def fits(typing: Typing, typed_tokens: list[str], record_tokens: list[str]) -> bool:
    """Could the operator have produced ``typing`` from a title with ``record_tokens``?

    Every typed word must be read in order from the start of the title: equal, one letter off
    (not for numbers), two title words run together, or, for the last word of a cut typing, a
    prefix (numbers too: "1" fits 18 and 19). At most ``typing.dropped`` title words may be
    skipped, and an uncut typing must reach the title's end.
    """
    n, m = len(typed_tokens), len(record_tokens)
    budget = typing.dropped

    def walk(i: int, j: int, skips: int) -> bool:
        if i == n:
            return typing.cut or (m - j) <= budget - skips
        if j >= m:
            return False
        t = typed_tokens[i]
        r = record_tokens[j]
        last = i == n - 1
        if (_word_fits(t, r) or (last and typing.cut and r.startswith(t))) and walk(
            i + 1, j + 1, skips
        ):
            return True
        if j + 1 < m and t == r + record_tokens[j + 1] and walk(i + 1, j + 2, skips):
            return True
        return skips < budget and walk(i, j + 1, skips + 1)

    return walk(0, 0, 0)
