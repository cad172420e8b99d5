"""The labelling rule: what a careful reader can decide of each scan, and nothing more.

A reader has the inventory, the tree, every metadata file beside a scan and the delivery list
(danh mục bàn giao). A spoilt name is read back where the spoiling is one-to-one: a UTF-8 name
shown as Windows-1252, TCVN3 glyphs, a DOS 8.3 alias (the list gives the long names in the order
they were copied, and ``~N`` is the N-th of its folder's names sharing the alias's first six
letters); a name typed in capitals without marks is compared without marks.

**Evidence** is each field the name, the metadata or the list row gives, checked against what
the inventory shows (its columns, and its titles, which name the parcel, map sheet, commune,
person and birth date): a record code (separators and case aside); a file number (the column,
or the number inside the code when there is no column); a box (the column or the "Hộp số"
section lines); a year (within the row's dates); a map sheet, parcel, commune; a person (with
or without marks, as the name was typed) and a birth date or year; and a typed title, which
fits a record when, folded, lower case and with punctuation as spaces, it reads as the start of
the record's title written out or with the office's abbreviations, one letter (never a digit)
left out at most, and reaches the title's end unless it is as long as the clerk's field (or two
less: a name drops a trailing space or dot), when it was cut, perhaps inside a word or a number
("TBD 1" fits sheet 12 and sheet 18).

1. A scan's candidates are the inventory's rows (a row typed twice counted once) that fit all
   its evidence.
2. Several, and the inventory has a sheets column: those whose sheets its pages fit
   (sheets <= pages <= 2 x sheets) are kept, when any do.
3. A record some scan alone is left with is struck from the other scans' candidates
   (byte-identical copies take no part).
4. The contractor lists a lot's scans, and numbers them, in the order of the boxes (the
   inventory's order): a scan in the delivery list (by id or by running number) keeps only
   the candidates after the record of the nearest decided scan above it in the list and
   before that of the nearest decided scan below it. Steps 3 and 4 are repeated until
   nothing changes.
5. One candidate: the scan is that record's. None: ``orphan``. Several: a true tie, the scan
   ``needs_review`` and so is every candidate record that no decided scan took.

Zero-byte and truncated scans are injected only into scans decided without their pages (steps
1, 3 and 4); short scans only into scans their evidence alone decides (step 1), and only where
the inventory has sheets; orphans only where no row fits; copies only of decided scans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .records import Record
from .text import abbreviate, fold


@lru_cache(maxsize=200_000)
def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text).lower()).split())


def _reads_as(typed: str, full: str, cut: bool) -> bool:
    if full.startswith(typed):
        return cut or len(typed) == len(full)
    i = next((k for k, (a, b) in enumerate(zip(typed, full)) if a != b), len(typed))
    if i >= len(full) or not full[i].isalpha():
        return False
    rest = full[i + 1 :]
    if not rest.startswith(typed[i:]):
        return False
    return cut or len(typed) == len(full) - 1


def title_fits(typed: str, cut_length: int, title: str) -> bool:
    """The typed title fits the record's ``title`` (the rule in the module's docstring)."""
    t = _norm(typed)
    # a name loses the spaces and dots it ended with, so a cut one may be two letters shorter
    was_cut = bool(cut_length) and len(typed) >= cut_length - 2
    return any(_reads_as(t, _norm(form), was_cut) for form in (title, abbreviate(title)))


@dataclass
class View:
    """What the inventory shows of its records: which fields a reader can check."""

    records: list[Record]
    has_box: bool
    has_sheets: bool
    by_code: dict[str, list[Record]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rec in self.records:
            if rec.code:
                self.by_code.setdefault(_code_key(rec.code), []).append(rec)


def _code_key(code: str) -> str:
    return re.sub(r"[^0-9A-Z]+", ".", code.upper()).strip(".")


def _fits(rec: Record, ev: dict[str, Any], view: View) -> bool:  # noqa: C901 - one check a field
    if "code" in ev and _code_key(ev["code"]) != _code_key(rec.code):
        return False
    if "file_no" in ev and ev["file_no"] != rec.file_no:
        return False
    if "box" in ev and view.has_box and ev["box"] != rec.box:
        return False
    if "year" in ev and not rec.year <= ev["year"] <= rec.year_end:
        return False
    for key in ("map_sheet", "parcel", "commune"):
        if key in ev and ev[key] != getattr(rec, key):
            return False
    if "person" in ev:
        mine, theirs = rec.person, ev["person"]
        if ev.get("folded"):
            mine, theirs = fold(mine).lower(), fold(theirs).lower()
        if mine != theirs:
            return False
    if "birth" in ev and ev["birth"] != rec.birth:
        return False
    if "birth_year" in ev and (rec.birth is None or rec.birth.year != ev["birth_year"]):
        return False
    return not ("typed" in ev and not title_fits(ev["typed"], ev["cut"], rec.title))


def candidates(ev: dict[str, Any], view: View) -> list[Record]:
    pool = view.by_code.get(_code_key(ev["code"]), []) if "code" in ev else view.records
    return [rec for rec in pool if _fits(rec, ev, view)]


def by_pages(cands: list[Record], pages: int | None, view: View) -> list[Record]:
    if len(cands) < 2 or not view.has_sheets or not pages:
        return cands
    fit = [r for r in cands if r.sheets <= pages <= 2 * r.sheets]
    return fit or cands


def settle(
    sets: dict[int, list[Record]], sequences: list[list[int]] | None = None
) -> dict[int, list[Record]]:
    """Steps 3 and 4: strike records other scans alone are left with, and keep each listed
    scan between the records of its nearest decided neighbours in the list, until nothing
    changes."""
    sets = {k: list(v) for k, v in sets.items()}
    while True:
        changed = _strike(sets) | any([_between(sets, seq) for seq in sequences or []])
        if not changed:
            return sets


def _strike(sets: dict[int, list[Record]]) -> bool:
    taken = {v[0].index for v in sets.values() if len(v) == 1}
    changed = False
    for key, cands in sets.items():
        if len(cands) > 1:
            kept = [r for r in cands if r.index not in taken]
            if len(kept) < len(cands):
                sets[key], changed = kept, True
    return changed


def _between(sets: dict[int, list[Record]], sequence: list[int]) -> bool:
    """The list follows the boxes, so a listed scan's record lies after the record of the
    nearest decided scan above it and before that of the nearest decided scan below it."""
    decided = [sets[k][0].index if len(sets[k]) == 1 else -1 for k in sequence]
    changed = False
    highs = [10**9] * len(sequence)
    high = 10**9
    for i in range(len(sequence) - 1, -1, -1):
        highs[i] = high
        high = decided[i] if decided[i] >= 0 else high
    low = -1
    for i, key in enumerate(sequence):
        cands = sets[key]
        if len(cands) > 1:
            kept = [r for r in cands if low < r.index < highs[i]]
            if kept and len(kept) < len(cands):
                sets[key], changed = kept, True
        low = decided[i] if decided[i] >= 0 else low
    return changed
