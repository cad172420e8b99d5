"""Copies of one cut name a file system numbered, aligned with the inventory in their order.

An operator who types the same cut title for a run of records ("ho so cap giay chung nhan
quyen su dung dat quyen so huu nha") saves them as "X.pdf", "X (2).pdf" … "X (57).pdf": the
system numbers each new copy of the name in the order the scans were saved, and the station
scans a box in its inventory's order. The title ties every copy with every record of that run;
the numbering does not: copy k is the k-th of those records, as far as the page counts agree.
The copies, in their numbers' order, and the records they tie with, in inventory order, are
aligned as a counter batch is (``order.align_with_doubts``: a record may have no copy, a copy
may be a stray, neighbours may be swapped; pages that do not follow the order decide nothing).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ..i18n import t
from ..textnorm import fold
from .items import Item, stem
from .order import MIN_BATCH, align_with_doubts
from .scoring import TitleScore

if TYPE_CHECKING:
    from .link import _Linker

#: "X (12)": the copy number a file system adds to a name saved again.
_COPY_NUMBER = re.compile(r"^(?P<base>.*?)\s*\((?P<n>\d{1,3})\)$")
#: The share of a run's copies the order must place for any of them to be linked: copies saved
#: in the inventory's order mostly fit it, and a few counts that fit by chance prove nothing.
RUN_DECIDED = 0.75
#: The score a link by the copies' order is given (as a link by scan order).
SERIES_LINK_SCORE = 0.9

Tie = tuple[Item, list[tuple[TitleScore, int]]]


def _copy_number(item: Item) -> tuple[str, int]:
    """(the name without its copy number, folded; the number, 1 for the first unnumbered)."""
    name = stem(posixpath.basename(item.relpath))
    m = _COPY_NUMBER.match(name)
    base, number = (m.group("base"), int(m.group("n"))) if m else (name, 1)
    return f"{posixpath.dirname(item.relpath)}/{fold(base)}", number


def numbered_runs(ties: list[Tie]) -> list[list[Tie]]:
    """The ties that are copies of one name the system numbered, per folder, in their
    numbers' order: MIN_BATCH of them at least, two numbered."""
    by_name: dict[tuple[str, str], list[tuple[int, Tie]]] = defaultdict(list)
    for tie in ties:
        base, number = _copy_number(tie[0])
        by_name[(tie[0].root, base)].append((number, tie))
    runs = []
    for members in by_name.values():
        numbers = [n for n, _ in members]
        numbered = sum(n > 1 for n in numbers) >= 2 and len(set(numbers)) == len(numbers)
        if len(members) >= MIN_BATCH and numbered:
            runs.append([tie for _, tie in sorted(members, key=lambda x: x[0])])
    return runs


def settle_runs(linker: _Linker, ties: list[Tie]) -> list[Tie]:
    """Link the copies of numbered runs their order and pages place; return the ties left."""
    settled: set[int] = set()
    for run in numbered_runs(ties):
        pool = sorted(
            {r for _, close in run for _, r in close if r not in linker.claimed},
            key=linker.position.__getitem__,
        )
        pages = list(linker._pages([item for item, _ in run]))
        sheets = [float(linker.titles.sheets[linker.position[r]]) for r in pool]
        s = linker.settings
        decided, _ = align_with_doubts(pages, sheets, s.min_pages_per_sheet, s.max_pages_per_sheet)
        if len(decided) < RUN_DECIDED * len(run):
            continue  # a few page counts that happen to fit in order: the order is not shown
        for i, j in sorted(decided.items()):
            item = run[i][0]
            item.scheme = "copy_order"
            why = t("why.copy_order", linker.lang, position=i + 1, batch=len(run))
            linker.add(item, pool[j], "copy_order", SERIES_LINK_SCORE, "link", why)
            settled.add(item.item_id)
    return [tie for tie in ties if tie[0].item_id not in settled]
