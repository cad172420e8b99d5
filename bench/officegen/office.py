"""How the office files its records: boxes, file numbers, codes, and which convention names each.

The inventory's columns follow from the conventions drawn: a locality that names scans by box
and file keeps a box column, one that names them by receipt number codes its one-stop-shop
records by receipt. What a scan name needs is always somewhere in the inventory (a column, or
the code's last segment), so every label stays reachable.
"""

from __future__ import annotations

import random

from .habits import Habits
from .records import Record

_KIND_OF = {
    "receipt": lambda r: r.tthc,
    "symbol": lambda r: r.kind == "decision",
    "parcel": lambda r: r.kind in ("land_gcn", "land_transfer"),
    "owner": lambda r: bool(r.owner),
    "book_page": lambda r: r.kind == "register",
}


def number_records(records: list[Record], habits: Habits, rng: random.Random) -> None:
    """Boxes (a handful of files each, never across a year when numbers restart) and numbers."""
    box, in_box, no, year = 1, 0, 0, None
    size = rng.randint(6, 14)
    for r in records:
        if r.year != year:
            if habits.numbering == "per_year":
                no = 0
                if in_box:
                    box, in_box = box + 1, 0
            year = r.year
        no += 1
        if in_box >= size:
            box, in_box, size = box + 1, 0, rng.randint(6, 14)
        in_box += 1
        r.box, r.file_no = box, no
        if r.tthc and "receipt" in habits.specific:
            r.code = r.receipt
        else:
            r.code = habits.code_form.format(
                fonds=habits.fonds, year=r.year, no=no, unit=habits.unit, cat=habits.catalogue
            )


def assign_conventions(records: list[Record], habits: Habits, rng: random.Random) -> list[str]:
    """The convention that names each record's scan (kind-specific first, else by years)."""
    years = list(habits.years)
    blocks = len(habits.generic)
    out = []
    specific = list(habits.specific)
    rng.shuffle(specific)
    for r in records:
        fitting = [c for c in specific if _KIND_OF[c](r)]
        if fitting and rng.random() < 0.85:
            out.append(fitting[0])
            continue
        block = min(blocks - 1, (years.index(r.year) * blocks) // len(years))
        out.append(habits.generic[block])
    return out


def settle_columns(habits: Habits, conventions: set[str]) -> None:
    """Add the inventory columns the drawn conventions need (the office would keep them)."""
    cols = habits.columns
    need: set[str] = set()
    if conventions & {"code", "receipt"}:
        need.add("record_code")
    if "box_file" in conventions:
        need.add("box")
    if "stt_sheet" in conventions:
        need.add("stt")
        habits.stt_restart = habits.sheets_by > 0 and habits.stt_restart
    numbered = {
        "number_only",
        "number_title",
        "box_file",
        "page_folder",
        "doc_folder",
        "lot_seq",
        "counter_sidecar",
    }
    if conventions & numbered and not {"file_no", "record_code"} & set(cols):
        need.add(random.Random(len(cols)).choice(("file_no", "record_code")))
    if "receipt" in habits.specific and conventions & numbered:
        need.add("file_no")  # receipts stand in the code column: the number needs its own
    if conventions & {"lot_seq", "counter_sidecar"} and not {"box", "record_code"} & set(cols):
        need.add("record_code")
    for name in sorted(need):
        if name not in cols:
            cols.append(name)
