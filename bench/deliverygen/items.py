"""The contractor's delivery of one locality: which scan each record got, under which name,
with which metadata file or list row, before anything is written.

An :class:`Item` is one scan as delivered (a file, or the folder of a record's documents): its
record, its lot, its files' names as meant (the lot's damage spoils them on writing), its pages,
its evidence (``naming``), and what was injected into it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from . import naming
from .records import Record


@dataclass
class Item:
    record: Record
    lot: dict[str, Any]
    keying: str
    names: list[str]  # relative to the lot folder, without extension
    pages: list[int]
    ev: dict[str, Any]
    ident: str = ""
    meta: dict[str, Any] | None = None  # what the metadata file beside it says
    row: dict[str, Any] | None = None  # what the delivery list says of it
    injected: str = ""
    orphan: bool = False
    copy_of: Item | None = None
    spoilt: bool = False  # the lot's damage changed its name
    paths: list[str] = field(default_factory=list)  # as written, relative to the root


def good_pages(rec: Record, rng: random.Random) -> int:
    """A complete scan: one page a sheet, up to two when both sides carry content."""
    return rng.randint(rec.sheets, rec.sheets + rec.sheets // 3)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:])]


def make(rec: Record, lot: dict[str, Any], habits: dict[str, Any], rng: random.Random) -> Item:
    """The item a record's scan is delivered as, in its lot's anchor."""
    anchor, typing = lot["anchor"], habits["typing"]
    cols = habits["inventory"]["columns"]
    has_box = cols["box"] or habits["inventory"]["box_sections"]
    pages = good_pages(rec, rng)
    keying = anchor
    ident = naming.new_id(rng, lot["id_form"])
    item = Item(rec, lot, keying, [], [pages], {}, ident)
    if anchor == "code":
        item.names, item.ev = [naming.code_name(rec, lot)], {"code": rec.code}
    elif anchor == "number_title":
        name, item.ev = naming.number_title(rec, lot, typing, rng)
        item.names = [name]
    elif anchor in ("parcel", "person") and rec.kind == "series":
        name, item.ev = naming.title_name(rec, typing, rng)
        item.names, item.keying = [name], f"{anchor}_series_title"
    elif anchor == "parcel":
        name, item.ev = naming.parcel_name(rec, lot)
        item.names = [name]
    elif anchor == "person":
        name, item.ev = naming.person_name(rec, lot)
        item.names = [name]
    elif anchor == "docs_folder":
        by_code = not (cols["box"] and cols["file_no"])
        folder, item.ev = naming.docs_folder(rec, lot, by_code)
        docs = naming.doc_names(rec, lot)
        item.names = [f"{folder}/{d}" for d in docs]
        item.pages = _split(max(pages, len(docs)), len(docs), rng)
    else:
        fields = naming.record_fields(
            rec,
            lot["meta_content" if anchor == "uuid_meta" else "list_content"],
            cols["code"],
            has_box,
            typing,
            rng,
        )
        item.ev = fields
        item.names = [ident]
        if anchor == "uuid_meta":
            # the code's parts, as Circular 05's fields keep them: fonds, catalogue, year, number
            parts = {"fonds": habits["fonds"], "catalogue": habits["catalogue"]}
            item.meta = (
                {**parts, **fields} if "file_no" in fields and "box" not in fields else fields
            )
        else:
            item.row = fields
    return item
