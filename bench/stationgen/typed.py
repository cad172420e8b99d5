"""A title as an operator types it, and what of the original it still shows.

The operator abbreviates (UBND, GCN QSDĐ, "thửa" for "thửa đất số", "quý 3" for "quý III"),
drops the marks, drops, doubles or swaps a letter, runs two words together, and the field or
the file name is cut at a fixed length, even inside a number. Each typed token remembers the
original words it stands for, so after the cut we know which prefix of the original title is
still visible: that prefix, not the typed text, is what the labelling rule compares (a matcher
is expected to read through typos and abbreviations, not through a cut).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .vocab import ABBREVIATIONS, ROMAN


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """No marks, đ as d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Folded, lower case, every run of non-alphanumerics one space."""
    return re.sub(r"[^0-9a-z]+", " ", fold(text).lower()).strip()


@dataclass(frozen=True)
class Visible:
    """The part of an original title a typed title still shows."""

    prefix: str  # norm() of the visible original words (the last may be partial)
    cut: bool  # False: the whole title is there
    last_complete: bool  # the cut fell after the last visible word's end

    def fits(self, title: str) -> bool:
        whole = norm(title)
        if not self.cut:
            return whole == self.prefix
        if self.last_complete:
            return (whole + " ").startswith(self.prefix + " ") if self.prefix else True
        return whole.startswith(self.prefix)


_SPANS = [(phrase.split(), forms) for phrase, forms in ABBREVIATIONS]


@dataclass
class _Token:
    typed: str
    words: list[str]  # the original words it stands for
    plain: bool  # typed letter for letter from one word (marks and case aside)


def _tokens(words: list[str], rng: random.Random, abbr_p: float) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(words):
        hit = None
        if rng.random() < abbr_p:
            for span, forms in _SPANS:
                if [w.rstrip(",") for w in words[i : i + len(span)]] == span:
                    hit = (len(span), rng.choice(forms))
                    break
        if hit:
            k, form = hit
            tail = "," if words[i + k - 1].endswith(",") else ""
            out.append(_Token(form + tail, words[i : i + k], False))
            i += k
            continue
        word = words[i]
        if word in ROMAN and i and words[i - 1] == "quý" and rng.random() < abbr_p:
            out.append(_Token(str(ROMAN.index(word) + 1), [word], False))
        else:
            out.append(_Token(word, [word], True))
        i += 1
    return out


def _typo(word: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 4:
        return word
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


@dataclass
class Typing:
    """One operator's habits."""

    fold: bool = True
    abbr_p: float = 0.0
    typo_p: float = 0.0
    run_p: float = 0.0  # two words run together
    case: str = "as"  # as, upper, lower, camel
    joiner: str = " "


def type_title(
    words: list[str], habit: Typing, rng: random.Random, limit: int | None
) -> tuple[str, Visible]:
    """The typed title (at most ``limit`` characters) and the original it still shows."""
    tokens = _tokens(words, rng, habit.abbr_p)
    shown: list[str] = []
    for tok in tokens:
        text = tok.typed
        if tok.plain and rng.random() < habit.typo_p and not any(c.isdigit() for c in text):
            text = _typo(text, rng)
            tok.plain = False
        if habit.fold:
            text = fold(text)
        if habit.case == "upper":
            text = text.upper()
        elif habit.case == "lower":
            text = text.lower()
        elif habit.case == "camel":
            text = text[:1].upper() + text[1:]
        shown.append(text)
    spans: list[tuple[int, int]] = []
    out = ""
    for k, text in enumerate(shown):
        if k:
            joined = habit.case != "camel" and rng.random() < habit.run_p
            out += "" if joined or habit.case == "camel" else habit.joiner
        spans.append((len(out), len(out) + len(text)))
        out += text
    if habit.case == "camel":
        out = out.replace(",", "")
        spans = _respan(shown, ",")
    if limit is None or len(out) <= limit:
        return out, Visible(norm(" ".join(words)), False, True)
    return _cut(out, tokens, spans, limit)


def _respan(shown: list[str], drop: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for text in shown:
        n = len(text.replace(drop, ""))
        spans.append((at, at + n))
        at += n
    return spans


def _cut(
    out: str, tokens: list[_Token], spans: list[tuple[int, int]], limit: int
) -> tuple[str, Visible]:
    cut_text = out[:limit].rstrip(" _-.,")
    end = len(cut_text)
    visible: list[str] = []
    last_complete = True
    for tok, (a, b) in zip(tokens, spans, strict=True):
        if b <= end:
            visible.extend(tok.words)
            last_complete = False  # the reader cannot tell whether the word went on
            continue
        if a < end and tok.plain:
            part = tok.words[0][: end - a]
            visible.append(part)
            last_complete = False
        elif a < end:
            last_complete = True  # an abbreviation cut midway: its words are not shown
        break
    prefix = norm(" ".join(visible))
    return cut_text, Visible(prefix, True, last_complete and bool(prefix))
