"""How an operator names a scan, and what its name and folders let a reader check.

A name is composed from building blocks (the code whole or its number, the code's year and
number, a file number leading or trailing, box and file together, the inventory's STT, a typed
title, the owner's name, parcel and map sheet, a decision's number and symbol, a year, a date,
a scanner counter) under folders (year, box, kind of record, the inventory's sheet, a scanning
batch, one folder per record for page images or documents). Each block that a reader could
check against the inventory adds a constraint (``Item.eq``, ``Item.seen``); one the inventory
cannot check (a box folder when it has no box column) adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from .habits import Habits, Scheme
from .keyboard import TitleSeen, type_name, type_title
from .legacy import fold
from .records import Record


@dataclass
class Item:
    """The scan of one record: one file, or a folder of page images or documents."""

    record: Record
    scheme: Scheme
    folder: str
    stem: str
    keying: str
    eq: dict[str, object] = field(default_factory=dict)
    seen: list[TitleSeen] = field(default_factory=list)
    pages: int = 0
    files: list[tuple[str, int]] = field(default_factory=list)  # (path in the root, pages)
    sidecar: dict[str, str] = field(default_factory=dict)  # its row in the export
    expected: str = "matched"
    injected: str = ""
    fit: tuple[int, ...] = ()  # the labelling rule's candidates (record indexes)
    order: int = 0  # its place in a sequence the scanner or the tool numbered (0: none)
    sequence: str = ""  # the sequence: a counter series, or one name saved again and again


def visible(h: Habits) -> set[str]:
    """The fields a reader can check in this office's inventory."""
    cols = set(h.columns)
    vis = {"group", "owner", "parcel", "decision", "sheet", "title"}
    if "code" in cols:
        vis |= {"code", "file_no", "year"}
    if "file_no" in cols:
        vis.add("file_no")
    if "box" in cols:
        vis.add("box")
    if "dates" in cols:
        vis.add("year")
        if h.dates_form != "year":
            vis.add("date")
    if "stt" in cols:
        vis.add("stt")
    if "sheets" in cols:
        vis.add("pages")
    return vis


def _num(n: int, pad: int) -> str:
    return f"{n:0{pad}d}" if pad else str(n)


def _folder(kind: str, rec: Record, s: Scheme) -> str:
    st = s.folder_style
    if kind == "year":
        return ("{}", "Nam {}", "NĂM {}", "Năm_{}")[st].format(rec.year)
    if kind == "box":
        return ("Hop {:02d}", "H{:03d}", "Hộp số {}", "Box_{:02d}")[st].format(rec.box)
    if kind == "group":
        g = rec.group
        return (
            fold(g),
            g.upper(),
            f"{list_index(g):02d}. {g}",
            fold(g).lower().replace(" ", "-"),
        )[st]
    if kind == "sheet":
        return rec.sheet
    return ("Dot {}", "Lan quet {}", "Batch_{:02d}", "May {}")[st].format(1 + (rec.box - 1) // 8)


def list_index(group: str) -> int:
    from .records import KINDS

    return [g for g, _ in KINDS.values()].index(group) + 1


def _code(rec: Record, s: Scheme) -> str:
    code = rec.code.replace("/", "_" if s.folder_style % 2 else "-")
    return (code, code.replace(".", "_"), code.lower(), code.replace(".", "-"))[s.folder_style]


def _subject(rec: Record, s: Scheme, rng: random.Random, eq: dict[str, object]) -> str:
    """A record named by what it is about (parcel, owner, decision); '' when it has none."""
    st = s.folder_style
    if rec.parcel and (s.parcel_first or not rec.owner):
        eq["parcel"] = (rec.parcel, rec.mapsheet)
        forms = ("thua {p} to {s}", "T{p}_TBD{s}", "To {s} thua {p}", "{s}-{p}")
        return forms[st].format(p=rec.parcel, s=rec.mapsheet)
    if rec.owner:
        eq["owner"] = _owner_key(rec.owner, not s.typing.marks)
        return type_name(rec.owner, s.typing, glue=st == 2)
    if rec.decision_no:
        eq["decision"] = rec.decision_no
        if st == 3:
            eq["date"] = rec.date
            return f"{rec.decision_no:03d}_QD-UBND_{rec.date:%d%m%Y}"
        return ("QD {}-QD-UBND", "{}.QĐ-UBND", "QD{:03d}", "")[st].format(rec.decision_no)
    return ""


def _owner_key(owner: str, folded: bool) -> str:
    text = owner.lower()
    return (fold(text) if folded else text).replace(" ", "")


def record_keys(rec: Record) -> dict[str, object]:
    """A record's values for each constraint a name can carry (``Item.eq``)."""
    keys: dict[str, object] = {
        "code": rec.code,
        "file_no": rec.file_no,
        "box": rec.box,
        "year": rec.year,
        "date": rec.date,
        "stt": rec.stt,
        "sheet": rec.sheet,
        "group": rec.group,
        "decision": rec.decision_no,
        "parcel": (rec.parcel, rec.mapsheet),
    }
    return keys


def _anchor(rec: Record, s: Scheme, rng: random.Random, eq: dict[str, object]) -> tuple[str, str]:
    """The anchor's text and the block it really used (a subject falls back to the title)."""
    st, a = s.folder_style, s.anchor
    if a == "code":
        eq["code"] = rec.code
        return _code(rec, s), a
    if a == "code_tail":
        eq["file_no"] = rec.file_no
        return rec.extra["code_num"], a
    if a == "code_yearnum":
        eq["file_no"], eq["year"] = rec.file_no, rec.year
        return f"{rec.year}{'._-'[st % 3]}{rec.extra['code_num']}", a
    if a == "num":
        eq["file_no"] = rec.file_no
        prefix = ("", "HS ", "HS_", "So ")[st] if s.lead else ""
        return prefix + _num(rec.file_no, s.pad), a
    if a == "box_num":
        eq["file_no"], eq["box"] = rec.file_no, rec.box
        forms = ("H{b:03d}_{n:03d}", "Hop{b}-HS{n}", "B{b:02d}.{n:03d}", "{b}_{n}")
        return forms[st].format(b=rec.box, n=rec.file_no), a
    if a == "stt":
        eq["stt"] = rec.stt
        return ("STT {}", "{:03d}", "stt_{}", "{}")[st].format(rec.stt), a
    if a == "subject":
        text = _subject(rec, s, rng, eq)
        if text:
            kind = "parcel" if "parcel" in eq else "owner" if "owner" in eq else "decision"
            return text, kind
    return "", "title"


def name_item(rec: Record, s: Scheme, h: Habits, rng: random.Random, vis: set[str]) -> Item:
    """The scan's folder, stem and evidence as this operator names it (counters excepted)."""
    eq: dict[str, object] = {}
    seen: list[TitleSeen] = []
    text, used = _anchor(rec, s, rng, eq)
    parts, names = [], []
    if used == "title" or "title" in s.extras:
        typed, look = type_title(rec.title, s.typing, rng)
        seen.append(look)
        parts.append(typed)
        names.append("title")
    if text:
        lead = s.lead or used in ("code", "owner", "parcel", "decision")
        parts.insert(0 if lead else len(parts), text)
        names.insert(0 if lead else len(names), used)
    for extra in s.extras:
        if extra == "year":
            eq["year"] = rec.year
            parts.append(str(rec.year))
            names.append("year")
        elif extra == "date":
            eq["date"] = rec.date
            parts.append(
                rec.date.strftime(("%Y%m%d", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d")[s.folder_style])
            )
            names.append("date")
    folders = [f for f in s.folders if f != "item"]
    for f in folders:
        if f in ("year", "box", "group", "sheet"):
            eq[f] = record_keys(rec)[f]
    keying = "".join(f"{f}/" for f in folders if f != "batch") + "+".join(names)
    if s.fmt != "pdf":
        keying += f"[{s.fmt}]"
    eq = {k: v for k, v in eq.items() if k in vis or k == "owner"}
    folder = "/".join(_folder(f, rec, s) for f in folders)
    return Item(rec, s, folder, s.joint.join(parts), keying, eq, seen)


def counter_item(
    rec: Record, s: Scheme, h: Habits, rng: random.Random, vis: set[str], n: int
) -> Item:
    """A scanner counter's scan; the export's row carries the evidence."""
    folders = [f for f in s.folders if f not in ("item",)]
    folder = "/".join(_folder(f, rec, s) for f in folders)
    eq: dict[str, object] = {}
    for f in folders:
        if f in ("year", "box", "group", "sheet"):
            eq[f] = record_keys(rec)[f]
    row: dict[str, str] = {}
    seen: list[TitleSeen] = []
    for fld in s.sidecar:
        if fld == "title":
            typing = replace(s.typing, sep=" ")  # a form's field, not a file name
            typed, look = type_title(rec.title, typing, rng, s.sidecar_cut)
            row[fld] = typed
            seen.append(look)
        elif fld == "code":
            row[fld], eq["code"] = rec.code, rec.code
        elif fld == "file_no":
            row[fld], eq["file_no"] = str(rec.file_no), rec.file_no
        elif fld == "year":
            row[fld], eq["year"] = str(rec.year), rec.year
        elif fld == "operator":
            row[fld] = ("Nguyễn Thị Hoa", "Trần Văn Bình", "may scan 2")[s.folder_style % 3]
        elif fld == "scanned":
            row[fld] = f"{3 + n // 400:02d}/{1 + (n // 20) % 28:02d}/2025"
    eq = {k: v for k, v in eq.items() if k in vis}
    names = (
        "".join(f"{f}/" for f in folders if f != "batch")
        + "counter+export("
        + "+".join(f for f in s.sidecar if f in ("title", "code", "file_no", "year", "pages"))
        + ")"
    )
    stem = s.counter.format(n)
    if s.counter == "TIME":  # the tool names a scan by when it was made
        stem = (dt.datetime(2025, 3, 3, 7, 30) + dt.timedelta(seconds=47 * n)).strftime(
            "Scan_%Y%m%d_%H%M%S"
        )
    return Item(
        rec,
        s,
        folder,
        stem,
        names,
        eq,
        seen,
        sidecar=row,
        order=n,
        sequence="counter",
    )
