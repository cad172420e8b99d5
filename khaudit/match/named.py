"""Scans the inventory names: a "Ghi chú" cell holding the scan's file name as a clerk typed it.

An office that scans with a device's own names ("img0042.pdf", "HPSCAN_20250412073441/",
"Doc5 (2).pdf") often writes the name in the list's notes column, with or without its
extension, sometimes one letter off. Such a cell is the record's key whatever else the scan's
name says; a name the notes of several records hold (a counter restarting each day) names one
of them, which the scan's year or title then chooses.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..textnorm import fold
from .items import Item, stem

_SCAN_SUFFIX = re.compile(r"\.(?:pdf|tiff?|jpe?g|png|jp2)$", re.IGNORECASE)
_SPLIT = re.compile(r"[;,\n]+")
#: A part of a scan in several files after its name ("Doc5 (3)-1.pdf", "img0042_2.pdf").
_PART = re.compile(r"[-_ ]\d{1,2}$")
#: A name this long or longer may be one letter off ("HPSCAN_2020412080836" typed for
#: "HPSCAN_20250412080836"); shorter ones are counters one apart ("img0005", "img0006").
MIN_FUZZY_LENGTH = 12
#: A name of digits only this long is a device's date and time, not a number of the list's.
MIN_CLOCK_DIGITS = 12


def name_key(text: str) -> str:
    """A file name as the two sides are compared: the last part of a path, without a scan's
    extension, folded; "" unless it has letters and digits both, or is a device's clock of
    twelve digits or more ("20250401081957"): a remark or a count is no name."""
    last = re.split(r"[\\/]", text.strip())[-1]
    key = fold(_SCAN_SUFFIX.sub("", last.strip()))
    has_both = any(ch.isdigit() for ch in key) and any(ch.isalpha() for ch in key)
    clock = key.isdigit() and len(key) >= MIN_CLOCK_DIGITS
    return key if (has_both and len(key) >= 4) or clock else ""


class InventoryNames:
    """The records by the file names their notes hold."""

    def __init__(self, targets: pd.DataFrame):
        self.records: dict[str, set[int]] = defaultdict(set)
        if "notes" not in targets:
            return
        for label, notes in zip(targets.index, targets["notes"]):
            for part in _SPLIT.split(str(notes or "")):
                if key := name_key(part):
                    self.records[key].add(label)
        self._keys = list(self.records)

    def __bool__(self) -> bool:
        return bool(self.records)

    def named(self, item: Item) -> tuple[set[int], bool]:
        """The records whose notes name ``item`` (its file or its folder, a part's whole),
        and whether the name was one letter off."""
        name = item.named_as.rsplit("/", 1)[-1]
        key = fold(name if item.series else stem(name))
        for candidate in dict.fromkeys((key, _PART.sub("", key))):
            if candidate in self.records:
                return self.records[candidate], False
        if len(key) < MIN_FUZZY_LENGTH:
            return set(), False
        near = process.extract(
            key, self._keys, scorer=Levenshtein.distance, score_cutoff=1, limit=2
        )
        if len(near) == 1:
            return self.records[near[0][0]], True
        return set(), False
