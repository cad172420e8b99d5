"""An operator typing a title or a name, and what a careful reader can still see in it.

``type_title`` returns the typed text and its ``TitleSeen``: the record's own words behind the
whole tokens that survived (abbreviations and slips read through, since a reader knows both),
the start of the last token when the text was cut (a cut is not read through: ``TBD 1`` may be
``tờ bản đồ số 18``), and whether the title was typed to its end.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .habits import Typing
from .legacy import fold
from .vocab import ABBREVIATIONS, LOCAL_ABBREVIATIONS

_WORD = re.compile(r"\w+")


def words(text: str, folded: bool) -> tuple[str, ...]:
    """A title's words as a reader compares them: lower case, marks dropped if ``folded``."""
    text = text.lower()
    return tuple(_WORD.findall(fold(text) if folded else text))


@dataclass(frozen=True)
class TitleSeen:
    """What a typed title shows of the record's title."""

    words: tuple[str, ...]
    partial: str  # the visible start of the next word ("" when none can be relied on)
    complete: bool  # typed to the end of the title (no cut)
    folded: bool

    def fits(self, title_words: tuple[str, ...]) -> bool:
        n = len(self.words)
        if title_words[:n] != self.words:
            return False
        if self.complete:
            return len(title_words) == n
        if self.partial:
            return len(title_words) > n and title_words[n].startswith(self.partial)
        return True


@dataclass
class _Token:
    text: str
    span: tuple[str, ...]  # the record's words this token stands for
    plain: bool  # a word as written (no abbreviation, no slip)
    glued: bool = False  # typed onto the previous token without a space


_PHRASES = sorted(
    (
        (
            tuple(_WORD.findall(full.lower())),
            marked,
            bare,
            (full, marked, bare) in ABBREVIATIONS,
        )
        for full, marked, bare in ABBREVIATIONS + LOCAL_ABBREVIATIONS
    ),
    key=lambda p: -len(p[0]),
)


_STARTS: dict[str, list[tuple[tuple[str, ...], str, str, bool]]] = {}
for _phrase in _PHRASES:
    _STARTS.setdefault(_phrase[0][0], []).append(_phrase)


def _tokens(title: str, typing: Typing, rng: random.Random) -> list[_Token]:
    raw = _WORD.findall(title)
    lower = [w.lower() for w in raw]
    out: list[_Token] = []
    i = 0
    while i < len(raw):
        for phrase, marked, bare, listed in _STARTS.get(lower[i], ()):
            n = len(phrase)
            chance = typing.abbreviate if listed else typing.local
            if tuple(lower[i : i + n]) == phrase and rng.random() < chance:
                text = marked if typing.marks else bare
                out.append(_Token(text, tuple(lower[i : i + n]), False))
                i += n
                break
        else:
            word = raw[i] if typing.marks else fold(raw[i])
            out.append(_Token(word, (lower[i],), True))
            i += 1
    return out


def _slip(token: _Token, rng: random.Random) -> None:
    text = token.text
    if len(text) < 4 or not text.isalpha():
        return
    at = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        text = text[:at] + text[at + 1 :]
    elif kind == 1:
        text = text[:at] + text[at] + text[at:]
    else:
        text = text[: at - 1] + text[at] + text[at - 1] + text[at + 1 :]
    if text != token.text:
        token.text, token.plain = text, False


def _case(text: str, case: str) -> str:
    return text.upper() if case == "upper" else text.lower() if case == "lower" else text


def type_title(
    title: str, typing: Typing, rng: random.Random, cut: int | None = None
) -> tuple[str, TitleSeen]:
    """The title as this operator types it, cut at ``cut`` characters (default: theirs)."""
    tokens = _tokens(title, typing, rng)
    slip, glue = {0: (0.0, 0.0), 1: (0.05, 0.03), 2: (0.15, 0.08)}[typing.noise]
    for k, token in enumerate(tokens):
        if rng.random() < slip:
            _slip(token, rng)
        if k and rng.random() < glue and token.text[:1].isalpha():
            token.glued = True
    text, ends = "", []
    for token in tokens:
        if text and not token.glued:
            text += typing.sep
        text += _case(token.text, typing.case)
        ends.append(len(text))
    limit = typing.cut if cut is None else cut
    folded = not typing.marks
    if not limit or len(text) <= limit:
        every = tuple(w for t in tokens for w in t.span)
        return text, TitleSeen(tuple(map(fold, every)) if folded else every, "", True, folded)
    shown = text[:limit].rstrip(" _-.")
    whole = [t for t, end in zip(tokens, ends) if end < len(shown)]
    last = tokens[len(whole)] if len(whole) < len(tokens) else None
    partial = ""
    if last is not None and last.plain and not last.glued:
        start = ends[len(whole)] - len(last.text)
        partial = words(shown[start:], folded)[0] if words(shown[start:], folded) else ""
    seen = TitleSeen(tuple(w for t in whole for w in t.span), partial, False, folded)
    if folded:
        seen = TitleSeen(tuple(fold(w) for w in seen.words), fold(partial), False, True)
    return shown, seen


def type_name(name: str, typing: Typing, glue: bool) -> str:
    """A person's name in a file name: marks as the operator keeps them, maybe run together."""
    text = name if typing.marks else fold(name)
    text = _case(text, typing.case)
    return text.replace(" ", "") if glue else text.replace(" ", typing.sep)
