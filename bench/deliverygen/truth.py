"""The ground truth of a planned and written locality, in the rows ``khaudit score`` reads.

``records.csv``: one row a data row of the inventory (``expected_status``, ``injected``,
``keying``); ``files.csv``: one row a scan file (its path under the root, ``expected_status``,
the row of the record it was made from, except for an orphan). A ``needs_review`` file still
names its own record; a copy names the record of the file it copies.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .items import Item
from .locality import Plan


def keying(item_or_lot: Item | dict[str, Any], series: bool = False) -> str:
    """The anchor that named the scan (or would have), and the damage when it spoilt the
    name (``person/mojibake``)."""
    if isinstance(item_or_lot, Item):
        lot, name = item_or_lot.lot, item_or_lot.keying
        spoilt = (item_or_lot.copy_of or item_or_lot).spoilt
    else:
        lot, name = item_or_lot, item_or_lot["anchor"]
        if series and name in ("parcel", "person"):
            name = f"{name}_series_title"
        spoilt = lot["damage"] != "none"
    return f"{name}/{lot['damage']}" if spoilt else name


def _file_status(item: Item, cands: list[Any]) -> str:
    if not cands:
        return "orphan"
    if len(cands) > 1:
        return "needs_review"
    return {"empty": "empty", "truncated": "corrupt"}.get(item.injected, "matched")


def rows(plan: Plan, locality: str, source_file: str) -> tuple[list[dict], list[dict]]:
    """The truth's records and files of one planned, written locality."""
    where: dict[int, tuple[str, int]] = {}
    for entry in plan.rows:
        if not entry.repeat:
            where.setdefault(entry.record.index, (entry.sheet, entry.row))
    linked: dict[int, list[Item]] = {}
    review: set[int] = set()
    files = []
    for item in plan.items:
        cands = plan.decided[id(item.copy_of or item)]
        status = "duplicate" if item.copy_of is not None else _file_status(item, cands)
        if status == "needs_review":
            assert item.record in cands, "a tie without the scan's own record"
            review.update(r.index for r in cands)
        elif status != "duplicate" and cands:
            assert cands[0] is item.record, "the rule decided a scan for another record"
            linked.setdefault(item.record.index, []).append(item)
        sheet, row = ("", "") if item.orphan else where[item.record.index]
        source = "" if item.orphan else source_file
        for path in item.paths:
            files.append(
                {
                    "locality": locality,
                    "path": path,
                    "expected_status": status,
                    "injected": item.injected,
                    "source_file": source,
                    "source_sheet": sheet,
                    "source_row": row,
                    "keying": keying(item),
                }
            )
    return _records(plan, locality, source_file, linked, review), files


def _records(
    plan: Plan, locality: str, source_file: str, linked: dict[int, list[Item]], review: set[int]
) -> list[dict]:
    scanned = {it.record.index: it for it in plan.items if not it.orphan}
    as_scanned = _lot_keyings(plan)
    out = []
    for entry in plan.rows:
        rec = entry.record
        status, injected = _record_status(rec.index, linked, review, entry.repeat)
        item = scanned.get(rec.index)
        lot, series = plan.lots[rec.index], rec.kind == "series"
        key = keying(item) if item else as_scanned.get((id(lot), series), keying(lot, series))
        out.append(
            {
                "locality": locality,
                "source_file": source_file,
                "source_sheet": entry.sheet,
                "source_row": entry.row,
                "record_code": rec.code,
                "title": rec.title,
                "expected_status": status,
                "injected": injected,
                "keying": key,
            }
        )
    return out


def _lot_keyings(plan: Plan) -> dict[tuple[int, bool], str]:
    """Each lot's keying as most of its scans have it (series apart): what a record without a
    scan would have had (its damage only where the damage touched the lot's names)."""
    counts: dict[tuple[int, bool], Counter[str]] = {}
    for it in plan.items:
        if not it.orphan and it.copy_of is None:
            key = (id(it.lot), it.record.kind == "series")
            counts.setdefault(key, Counter())[keying(it)] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}


def _record_status(index: int, linked: dict, review: set, repeat: bool) -> tuple[str, str]:
    if repeat:
        return "duplicate_entry", "duplicate_entry"
    if index in linked:
        kinds = {it.injected for it in linked[index]}
        if kinds - {"short", "empty", "truncated"}:
            return "digitized", ""
        if "short" in kinds:
            return "page_mismatch", "short"
        return "damaged_scan", sorted(kinds)[0]
    if index in review:
        return "needs_review", ""
    return "missing", "missing"
