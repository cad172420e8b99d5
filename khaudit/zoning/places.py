"""Commune names in text, as offices write them, resolved to the 2025 unit that covers them.

Records of a former district name the communes they concern: "thửa đất tại xã Diên Phú",
"X. Dien Phu", "TT.Diên Khánh", "P. VĨNH HÒA". Text is compared folded (no marks, lower case,
punctuation as spaces), so marks, case and the abbreviations "X."/"P."/"TT." do not matter; the
kind of unit ("xã", "phường", "thị trấn", "đặc khu") must stand before the name in titles and
notes, because a bare "Diên Khánh" is far more often the district than the town. In an address
column, where every word is a place, a bare name counts too (never a district's or province's).

A name can belong to several units: the kind written, the fonds' own former district and the
marks typed decide, in that order; what they cannot decide is ambiguous, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..textnorm import fold, nfc
from .official import FormerUnit, Unit

#: Kinds of commune-level unit: how offices write each (folded words) -> the official kind.
KINDS: dict[tuple[str, ...], str] = {
    ("thi", "tran"): "thi tran",
    ("thitran",): "thi tran",
    ("tt",): "thi tran",
    ("xa",): "xa",
    ("x",): "xa",
    ("phuong",): "phuong",
    ("p",): "phuong",
    ("dac", "khu"): "dac khu",
    ("dackhu",): "dac khu",
    ("dk",): "dac khu",
}
_KINDS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _written, _kind in KINDS.items():
    _KINDS_BY_FIRST.setdefault(_written[0], []).append((_written, _kind))
#: Words after which a bare name is a village, district or province, not a commune.
_NOT_COMMUNE_AFTER = {
    "huyen", "h", "tx", "tp", "tinh", "quan", "q", "thon", "ap", "xom", "buon", "lang", "kp",
    "to", "tdp", "pho", "xa", "thi", "thanh",
}  # fmt: skip
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Entry:
    """A name the gazetteer knows: a former commune or a 2025 unit."""

    kind: str  # folded kind: "xa", "phuong", "thi tran", "dac khu"
    key: str  # folded name without its kind: "dien phu"
    name: str  # official name with its kind: "Xã Diên Phú"
    receivers: tuple[str, ...]  # 2025 codes, the official default first
    former: FormerUnit | None  # None for a 2025 unit
    home: bool  # in the fonds' own former district (or one of its successors)

    @property
    def label(self) -> str:
        return self.former.label if self.former else self.name


@dataclass(frozen=True)
class Place:
    """A name found in a text and what it resolves to (``entry`` None when ambiguous)."""

    written: str  # the folded words that named it: "x dien phu"
    entry: Entry | None
    candidates: tuple[Entry, ...]


def split_kind(name: str) -> tuple[str, str]:
    """("xa", "dien phu") of "Xã Diên Phú"; kind "" when the name has none."""
    key = fold(name)
    for kind in sorted(set(KINDS.values()), key=len, reverse=True):
        if key.startswith(kind + " "):
            return kind, key[len(kind) + 1 :]
    return "", key


class Gazetteer:
    """The names of one fonds' world: its province's former communes and 2025 units.

    ``home_district`` (folded, e.g. "huyen dien khanh") favours that district's communes when
    a name recurs in the province; ``blocked`` are bare names that mean something else (the
    province's districts and the province itself).
    """

    def __init__(
        self,
        former: tuple[FormerUnit, ...],
        units: list[Unit],
        home_district: str = "",
    ) -> None:
        home_codes = {
            c
            for f in former
            if not f.name and fold(f.district) == home_district
            for c in f.successors
        }
        entries: list[Entry] = []
        for f in former:
            kind, key = split_kind(f.name)
            if f.name and key and f.successors:
                home = fold(f.district) == home_district
                entries.append(Entry(kind, key, f.name, f.successors, f, home))
        for u in units:
            kind, key = split_kind(u.name)
            entries.append(Entry(kind, key, u.name, (u.code,), None, u.code in home_codes))
        self.entries = entries
        self.by_key: dict[str, list[Entry]] = {}
        for e in entries:
            self.by_key.setdefault(e.key, []).append(e)
        self.blocked = {split_kind(f.district)[1] for f in former if not f.name}
        self.blocked |= {_district_key(f.district) for f in former if not f.name}
        self.blocked |= {_district_key(f.province) for f in former}
        self.blocked |= {_district_key(u.province) for u in units}

    @cached_property
    def _longest(self) -> int:
        return max((len(k.split()) for k in self.by_key), default=0)

    def _name_at(self, words: list[str], start: int) -> str:
        """The longest known name starting at ``words[start]``, or ""."""
        for n in range(min(self._longest, len(words) - start), 0, -1):
            key = " ".join(words[start : start + n])
            if key in self.by_key:
                return key
        return ""

    def _kind_at(self, words: list[str], i: int) -> tuple[str, int]:
        """(official kind, words it takes) of a kind written at ``words[i]``, or ("", 0);
        never the "xã" of "thị xã" (a former town, district-level)."""
        for written, kind in _KINDS_BY_FIRST.get(words[i], ()):
            if tuple(words[i : i + len(written)]) == written:
                if kind == "xa" and i and words[i - 1] == "thi":
                    return "", 0
                return kind, len(written)
        return "", 0

    def find(self, text: str, bare: bool = False) -> list[Place]:
        """Every commune named in ``text``; bare names too when ``bare`` (address columns)."""
        if not text or not self.by_key:
            return []
        words = fold(text).split()
        marked = " " + _NON_WORD.sub(" ", nfc(text).lower()) + " "
        places: list[Place] = []
        taken: set[int] = set()
        for i in range(len(words)):
            kind, size = self._kind_at(words, i)
            key = self._name_at(words, i + size) if size else ""
            if key:
                written = " ".join(words[i : i + size + len(key.split())])
                places.append(self._resolve(written, key, kind, marked))
                taken.update(range(i, i + size + len(key.split())))
        if bare:
            i = 0
            while i < len(words):
                key = "" if i in taken else self._name_at(words, i)
                after = i > 0 and words[i - 1] in _NOT_COMMUNE_AFTER
                if key and key not in self.blocked and not after:
                    places.append(self._resolve(key, key, "", marked))
                i += len(key.split()) if key else 1
        return places

    def _resolve(self, written: str, key: str, kind: str, marked: str) -> Place:
        """The entry a name means: the kind written, then home district, then marks."""
        found = self.by_key.get(key, [])
        tiers = [
            [e for e in found if e.former and e.kind == kind and e.home],
            [e for e in found if e.former and e.kind == kind],
            [e for e in found if not e.former and e.kind == kind],
            [e for e in found if e.former and e.home],
            [e for e in found if e.former],
            [e for e in found if not e.former],
        ]
        tier = next((t for t in tiers if t), [])
        if len({e.receivers[0] for e in tier}) > 1:
            marked_ones = [e for e in tier if f" {_marked_key(e.name)} " in marked]
            tier = marked_ones or tier
        if len({e.receivers[0] for e in tier}) == 1:
            return Place(written, tier[0], tuple(tier))
        return Place(written, None, tuple(tier))


def _district_key(name: str) -> str:
    """A district's or province's name folded without its kind ("Huyện Diên Khánh")."""
    key = fold(name)
    for prefix in ("huyen ", "thi xa ", "thanh pho ", "quan ", "tinh "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _marked_key(name: str) -> str:
    """A unit's name without its kind, in lower case with its marks ("diên phú")."""
    words = _NON_WORD.sub(" ", nfc(name).lower()).split()
    kind, _ = split_kind(name)
    return " ".join(words[len(kind.split()) if kind else 0 :])


__all__ = ["KINDS", "Entry", "Gazetteer", "Place", "split_kind"]
