"""Tags an office adds to the names it types: a record's kind after its owner's name
("TA XUAN NAM - HT.pdf": hộ tịch, "VO THU NGA - XD.pdf": xây dựng, "- DON", "- GCN").

Read as a title's words where they stand, they count against the right record: a tag no
title has ("HT") is a word the record lacks, and one it has ("DON": đơn, "GCN": giấy chứng
nhận) stands after the owner's name while the title writes it before, and an operator's
title is read in the record's order. A tag shows by what the office does with it: the same
short token, of letters only, in many names of one scan root, as a segment of its own
("… - DON", "HT_…"). A tag no title has is left out of the name's title; one a title has is
read first, where titles write the kind, so it still tells an owner's two records apart
("TA XUAN NAM - DON" is the petition, not the land certificate). A station's list types
titles, not tags: its titles are read as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from ..textnorm import ABBREVIATIONS, fold

#: A tag is this short (letters) and in at least this share (and number) of a root's names.
TAG_MAX_LETTERS = 4
TAG_MIN_SHARE = 0.03
TAG_MIN_NAMES = 5
#: The share of a tag's names in which it stands as a segment of its own.
TAG_ALONE_SHARE = 0.8

_TOKEN = re.compile(r"[^\W\d_]+")
_SEGMENT = re.compile(r"\s*[-_–,;()\[\]]\s*")
_EDGES = re.compile(r"^(?:\s*[-_–.,]\s*)+|(?:\s*[-_–.,]\s*)+$")


@dataclass(frozen=True)
class Tags:
    """One root's tags (folded): those no title has (``dropped``), those titles have
    (``leading``: a word of the inventory or an abbreviation khaudit expands)."""

    dropped: frozenset[str] = field(default_factory=frozenset)
    leading: frozenset[str] = field(default_factory=frozenset)


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(fold(text)))


def _alone(text: str) -> set[str]:
    """The tokens that are a whole segment of ``text`` ("- XD", "_GCN"), with no number,
    beside a segment of words (a name joined word by word, "HỒ-SƠ-CẤP-…", has none)."""
    parts = _SEGMENT.split(text)
    segments = [_TOKEN.findall(fold(part)) for part in parts]
    if not any(len(tokens) >= 2 for tokens in segments):
        return set()
    # "TD.662" is a parcel's label and number, not a tag.
    return {
        tokens[0]
        for tokens, part in zip(segments, parts)
        if len(tokens) == 1 and not any(ch.isdigit() for ch in part)
    }


def find_tags(names: Iterable[str], vocabulary: Collection[str]) -> Tags:
    """The tags in these names of one root: tokens of 2 to 4 letters in at least
    ``TAG_MIN_SHARE`` of them, standing as a segment of their own in nearly every name that
    has them (a label typed with numbers, "So KT 2012 Q01", is read as initials instead).
    Known tags are an abbreviation or a word of the inventory (``vocabulary``: its titles'
    words, folded) or its beginning."""
    names = list(names)
    counts: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    for name in names:
        counts.update(_tokens(name))
        alone.update(_alone(name))
    floor = max(TAG_MIN_NAMES, TAG_MIN_SHARE * len(names))
    dropped: set[str] = set()
    leading: set[str] = set()
    for token, n in counts.items():
        if (
            n >= floor
            and 2 <= len(token) <= TAG_MAX_LETTERS
            and alone[token] >= TAG_ALONE_SHARE * n
        ):
            known = token in ABBREVIATIONS or any(word.startswith(token) for word in vocabulary)
            (leading if known else dropped).add(token)
    return Tags(frozenset(dropped), frozenset(leading))


def read_tags(title: str, tags: Tags) -> str:
    """``title`` as its words are read: tags no title has left out, tags titles have first,
    the rest as typed; unchanged when fewer than two words of letters would be left beside
    them ("QD - 124" is a decision, not a tag)."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        token = fold(match.group(0))
        if token in tags.dropped or token in tags.leading:
            if token in tags.leading:
                found.append(match.group(0))
            return ""
        return match.group(0)

    rest = _TOKEN.sub(take, title)
    if len(_TOKEN.findall(rest)) < 2 or rest == title:
        return title
    rest = _EDGES.sub("", re.sub(r"\s{2,}", " ", rest)).strip()
    return " ".join([*found, rest])
