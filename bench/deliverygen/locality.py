"""One locality, decided: records, inventory rows, the delivered items and their labels.

``plan`` draws everything but writes only the inventory; ``bench.deliverygen.writer`` then
writes the tree, the metadata files and the delivery list from the plan, and the truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import inventory, items, labels, naming, records
from .items import Item
from .records import Record


@dataclass
class Plan:
    habits: dict[str, Any]
    records: list[Record]
    rows: list[inventory.Row]
    inventory_path: Path
    items: list[Item]
    decided: dict[int, list[Record]] = field(default_factory=dict)  # id(item) -> candidates
    view: labels.View | None = None
    lots: list[dict[str, Any]] = field(default_factory=list)  # each record's lot


def _lots(recs: list[Record], lots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record's lot: the boxes split into contiguous runs, one a lot."""
    boxes = sorted({r.box for r in recs})
    per = -(-len(boxes) // len(lots))
    lot_of_box = {b: lots[min(i // per, len(lots) - 1)] for i, b in enumerate(boxes)}
    return [lot_of_box[r.box] for r in recs]


def _orphans(habits: dict[str, Any], count: int, rng: random.Random, base: int) -> list[Record]:
    """Scans of files the inventory lacks (another office's, or a file never inventoried)."""
    extra = records.make(rng, habits, count)
    for i, rec in enumerate(extra):
        rec.index = base + i
        rec.file_no = 9000 + i
        rec.box = 900 + i
        rec.code = records.code_of(rec, habits)
    return extra


def plan(folder: Path, habits: dict[str, Any], count: int, rng: random.Random) -> Plan:
    recs = records.make(rng, habits, count)
    records.number(recs, habits, rng)
    path, rows = inventory.write(folder / "muc-luc-ho-so", recs, habits, rng)
    inv = habits["inventory"]
    view = labels.View(recs, inv["columns"]["box"] or inv["box_sections"], inv["columns"]["sheets"])
    lot_of = _lots(recs, habits["lots"])
    problems = habits["problems"]
    made = [
        items.make(rec, lot, habits, rng)
        for rec, lot in zip(recs, lot_of)
        if rng.random() >= problems["missing"]
    ]
    orphans = _orphans(habits, max(1, round(problems["orphan"] * count)), rng, len(recs))
    for rec in orphans:
        item = items.make(rec, rng.choice(habits["lots"]), habits, rng)
        item.orphan, item.injected = True, "orphan"
        if not labels.candidates(item.ev, view):
            made.insert(rng.randrange(len(made) + 1), item)
    result = Plan(habits, recs, rows, path, made, view=view, lots=lot_of)
    _inject(result, rng)
    _number_lots(result)
    result.decided = _settle(result)
    return result


def _first_pass(p: Plan) -> dict[int, list[Record]]:
    assert p.view is not None
    return {id(it): labels.candidates(it.ev, p.view) for it in p.items if it.copy_of is None}


def _settle(p: Plan) -> dict[int, list[Record]]:
    assert p.view is not None
    first = _first_pass(p)
    paged = {
        key: labels.by_pages(c, _pages(it), p.view)
        for it in p.items
        if (key := id(it)) in first
        for c in [first[key]]
    }
    return labels.settle(paged, _sequences(p))


def _sequences(p: Plan) -> list[list[int]]:
    """Each listed lot's scans in the list's order (the order they were delivered in)."""
    lots: dict[int, list[int]] = {}
    for it in p.items:
        if it.row is not None and it.copy_of is None:
            lots.setdefault(id(it.lot), []).append(id(it))
    return list(lots.values())


def _pages(item: Item) -> int | None:
    return None if item.injected in ("empty", "truncated") else sum(item.pages)


def _inject(p: Plan, rng: random.Random) -> None:
    """Damage, short scans, rescans and copies, each only where the rule still decides."""
    first = _first_pass(p)
    blind = labels.settle(first, _sequences(p))
    sure = [
        it for it in p.items if not it.orphan and len(blind[id(it)]) == 1 and len(it.names) == 1
    ]
    rates = p.habits["problems"]
    has_sheets = p.habits["inventory"]["columns"]["sheets"]
    for it in sure:
        draw = rng.random()
        if draw < rates["empty"]:
            it.injected = "empty"
        elif draw < rates["empty"] + rates["truncated"]:
            it.injected = "truncated"
        elif len(first[id(it)]) > 1:
            continue  # its pages might single out another record: the rule reads pages first
        elif has_sheets and draw < rates["empty"] + rates["truncated"] + rates["short"]:
            it.injected, it.pages = "short", [rng.randint(1, it.record.sheets - 1)]
            _scan_again(p, it, rates.get("rescan_short", 0.0))
    for it in list(sure):
        if it.injected:
            continue
        if rng.random() < rates["copy"]:
            copy = Item(it.record, it.lot, it.keying, list(it.names), it.pages, it.ev, it.ident)
            copy.copy_of, copy.injected = it, "duplicate"
            p.items.append(copy)
        elif rng.random() < rates["rescan"] and it.lot["anchor"] not in ("uuid_list", "lot_seq"):
            again = items.make(it.record, it.lot, p.habits, rng)
            again.ev, again.keying, again.injected = it.ev, it.keying, "rescan"
            again.meta = it.meta
            if it.lot["anchor"] not in ("uuid_meta",):
                again.names = [f"{it.names[0]}_quet lai"]
            p.items.append(again)


def _scan_again(p: Plan, short: Item, rate: float) -> None:
    """A short scan the contractor scanned again, whole, beside the first (the record then has
    a complete scan); drawn from the scan's own id, so the plan's other draws stay as they
    were."""
    own = random.Random(short.ident)
    if short.lot["anchor"] in ("uuid_list", "lot_seq") or own.random() >= rate:
        return
    again = Item(
        short.record,
        short.lot,
        short.keying,
        [],
        [items.good_pages(short.record, own)],
        short.ev,
        naming.new_id(own, short.lot["id_form"]),
        meta=short.meta,
    )
    again.injected = "rescan"
    if short.lot["anchor"] == "uuid_meta":
        again.names = [again.ident]
    else:
        again.names = [f"{short.names[0]}{own.choice(('_quet lai', ' (scan lai)', '_v2'))}"]
    p.items.append(again)


def _number_lots(p: Plan) -> None:
    """The contractor's running number in each lot (``lot_seq``), in delivery order."""
    seq: dict[int, int] = {}
    for it in p.items:
        if it.lot["anchor"] == "lot_seq" and it.copy_of is None:
            seq[id(it.lot)] = seq.get(id(it.lot), 0) + 1
            it.names = [f"{seq[id(it.lot)]:04d}"]
