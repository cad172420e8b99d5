"""The labelling rule: which record each scan is, as far as a careful person could tell.

A scan's *candidates* are the records its path or sidecar row allows (``naming``). Then, in
this order, for the scans still open:

1. one candidate: linked;
2. page count: of the candidates whose sheets fit the scan's pages (sheets to twice the
   sheets), exactly one, and it is the scan's own record: linked; if the only one that fits is
   another record, the page count misleads, and the scan stays open;
3. order: scanning follows the inventory, so in a sequence (a scanner's counter, a
   contractor's lot, or one name saved again as 'X (2)', 'X (3)' in a folder) where every
   candidate has exactly one scan, the order assigns them: linked;
4. elimination, repeated until nothing changes: candidates already linked to another scan
   are struck out; one left: linked.

What stays open is a true tie: the scan is ``needs_review`` and so is every candidate record
without a linked scan of its own (its own record, and a twin whose scan is missing or also
open). Only records whose scan is singled out by step 1 receive the damage, short scans,
copies and rescans that are injected, so those labels never rest on a guess.
"""

from __future__ import annotations

from .naming import Scan
from .records import Record


def _fits(r: Record, pages: int) -> bool:
    return r.sheets <= pages <= 2 * r.sheets


def decide(scans: list[Scan], records: list[Record]) -> tuple[set[int], dict[int, set[int]]]:
    """Scans (by position) linked, and for the others the candidates left."""
    linked: set[int] = set()
    open_: dict[int, set[int]] = {}
    groups: dict[str, dict[int, int]] = {}
    for scan in scans:
        if scan.order_group:
            per = groups.setdefault(scan.order_group, {})
            per[scan.record] = per.get(scan.record, 0) + 1
    for k, scan in enumerate(scans):
        cands = set(scan.candidates)
        if cands == {scan.record}:
            linked.add(k)
            continue
        pages = sum(p.pages for p in scan.parts)
        fit = {c for c in cands if _fits(records[c], pages)}
        if fit == {scan.record}:
            linked.add(k)
            continue
        group = groups.get(scan.order_group, {}) if scan.order_group else {}
        if group and all(group.get(c) == 1 for c in cands):
            linked.add(k)
            continue
        open_[k] = cands
    changed = True
    while changed:
        changed = False
        taken = {scans[k].record for k in linked}
        for k in list(open_):
            left = open_[k] - (taken - {scans[k].record})
            open_[k] = left
            if left == {scans[k].record}:
                linked.add(k)
                del open_[k]
                changed = True
    return linked, open_
