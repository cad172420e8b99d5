"""The labelling rule: what a careful reader, given the scans and the inventory, can decide.

A reader sees each scan's path, the scanning log's row that names it, its page count, and
the inventory (its cells, its sheets and section lines). An *item* is what the reader takes
as one scan: a file, a folder of page images, or the parts of one name (``X_p1``, ``X_p2``)
and a rescan kept beside it (``X_quet lai``); byte-identical copies are set aside first.

1. The item's candidates are the inventory's rows (rows typed twice excluded) that fit all of
   its evidence (``naming.Evidence``): a code whole or its tail, a person named in the title
   (a cut name: a prefix of one), the procedure, a date or year, a period, a box (or a former
   commune's old box, when the inventory has that column), a file number, a row number, a
   former commune, parcel and map sheet numbers, the title typed (read through marks, Telex
   and VNI keystrokes, abbreviations, slips and words run together, but not through a cut:
   the typed words must be the title's first words, a leading "hồ sơ" set aside on both
   sides, the last visible word a prefix when the name was cut, and the title must end there
   when it was not).
2. Several: a Ghi chú cell that names the item's file (its name, no other file having it;
   or one letter off, naming no other file) keeps the rows whose cell it is, when any. Then,
   when the inventory has a sheets column, those whose sheets the item's pages fit
   (``sheets <= pages <= 2 x sheets``) are kept, when any do. A scan of several records
   (names of two or three owners) is never narrowed by pages.
3. A record that an item alone is left with is struck from every other item; repeated until
   nothing changes.
4. One candidate: linked (``matched``; or ``empty``/``corrupt`` with its record
   ``damaged_scan``; ``page_mismatch`` when its pages do not fit the sheets). None:
   ``orphan``. Several: a true tie, ``needs_review``, and so is every candidate record no
   linked item took (the item's truth row still names the record it was made from).

Damage and short scans are injected only into items their evidence and Ghi chú alone decide
(before pages, ``Item.first``); orphans only where no record fits; copies and rescans only of
linked items. Scanning order (the device's clock) is
not used: the reader of a log or a Ghi chú column needs none.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .keyboard import fold
from .naming import Evidence
from .records import Record


@dataclass
class ScanFile:
    path: str  # relative to the scan root
    pages: int
    damage: str = ""  # "", empty, truncated
    role: str = "scan"  # scan, copy, rescan, page (of a series), part (a component PDF)
    series: str = ""  # the page-series folder this page belongs to


@dataclass
class Item:
    records: list[Record]  # the record(s) it was made from (an orphan's is not in the inventory)
    evidence: list[Evidence]
    keying: str
    stem: str  # the name as the Ghi chú would type it
    files: list[ScanFile] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)
    first: list[int] = field(default_factory=list)  # step 1's candidates, before pages
    short: bool = False

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files if f.role in ("scan", "page", "part"))

    @property
    def damaged(self) -> str:
        return next((f.damage for f in self.files if f.damage), "")

    @property
    def multi(self) -> bool:
        return len(self.records) > 1


def _strip_hoso(ws: tuple[str, ...]) -> tuple[str, ...]:
    return ws[2:] if ws[:2] == ("ho", "so") else ws


def _numbers(rec: Record) -> set[int]:
    return {int(p.text) for p in rec.parts if p.role == "number"}


def fits(rec: Record, ev: Evidence) -> bool:
    """Whether one piece of evidence fits a record, as the reader checks it."""
    k, v = ev.kind, ev.value
    if k == "code":
        return _code(rec.code) == _code(str(v))
    if k == "code_tail":
        return rec.code.endswith(str(v))
    if k == "person":
        return v in rec.persons
    if k == "person_prefix":  # spaces aside: a name typed CamelCase is cut as one word
        shown = str(v).replace(" ", "")
        return any(p.replace(" ", "").startswith(shown) for p in rec.persons)
    if k == "persons_any":
        return bool(set(rec.persons) & v)  # type: ignore[operator]
    if k == "kind":
        return rec.kind == v
    if k == "year":
        return rec.year == v
    if k == "date":
        return rec.date == v
    if k == "period":
        return rec.period == v
    if k == "numbers":
        return set(v) <= _numbers(rec)  # type: ignore[call-overload]
    if k in ("box", "old_box", "file_no", "stt", "former"):
        return getattr(rec, k) == v
    if k == "title":
        return _title_fits(rec, v)  # type: ignore[arg-type]
    if k == "row":
        return rec.idx == v
    raise ValueError(k)


def _code(text: str) -> str:
    """A code as a reader compares it: letters and digits, whatever separates them."""
    return "".join(c for c in text.upper() if c.isalnum())


def _title_fits(rec: Record, value: tuple[tuple[str, ...], str, bool]) -> bool:
    typed, partial, whole = value
    typed = _strip_hoso(typed)
    title = rec.twords
    n = len(typed)
    if title[:n] != typed:
        return False
    if partial:
        return len(title) > n and title[n].startswith(partial)
    return len(title) == n if whole else True


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _notes_key(text: str) -> str:
    text = text.strip()
    return fold(text[:-4] if text.lower().endswith((".pdf", ".tif", ".jpg")) else text)


_EXACT = ("kind", "year", "date", "period", "box", "old_box", "file_no", "stt", "former")


def index_of(live: list[Record]) -> dict[tuple[str, object], set[int]]:
    """Records by each exactly compared field, so an item's pool is a few set lookups."""
    index: dict[tuple[str, object], set[int]] = defaultdict(set)
    for r in live:
        index[("code", _code(r.code))].add(r.idx)
        for p in r.persons:
            index[("person", p)].add(r.idx)
        for k in _EXACT:
            value = r.year if k == "year" else getattr(r, k)
            index[(k, value)].add(r.idx)
    return index


def _pool(item: Item, live: list[Record], index: dict, by_idx: dict) -> list[Record]:
    sets = []
    for e in item.evidence:
        if e.kind in _EXACT or e.kind in ("code", "person"):
            value = _code(str(e.value)) if e.kind == "code" else e.value
            sets.append(index.get((e.kind, value), set()))
    if not sets:
        return live
    ids = set.intersection(*sets)
    return [by_idx[i] for i in sorted(ids)]


def label(
    records: list[Record], items: list[Item], has_sheets: bool, index: dict | None = None
) -> None:
    """Fill each item's ``candidates`` (record idx) by the rule above (``index``: the
    records' ``index_of``, when the caller labels many times against the same records)."""
    live = [r for r in records if r.in_inventory and r.repeat_of is None]
    index = index_of(live) if index is None else index
    by_idx = {r.idx: r for r in live}
    stems = Counter(fold(item.stem) for item in items)
    for item in items:
        pool = _pool(item, live, index, by_idx)
        cands = [r for r in pool if all(fits(r, e) for e in item.evidence)]
        key = fold(item.stem)
        if len(cands) > 1 and stems[key] == 1:
            # a Ghi chú names a file by its name alone: only a name no other file has
            noted = [r for r in cands if r.notes and _notes_key(r.notes) == key]
            if not noted and len(key) >= 12:
                # a slip: a cell one letter off this name that names no other file
                noted = [
                    r
                    for r in cands
                    if r.notes
                    and _notes_key(r.notes) not in stems
                    and _one_edit(_notes_key(r.notes), key)
                ]
            cands = noted or cands
        item.first = [r.idx for r in cands]
        if len(cands) > 1 and has_sheets and not item.multi and not item.damaged:
            fit = [r for r in cands if r.sheets <= item.pages <= 2 * r.sheets]
            cands = fit or cands
        item.candidates = [r.idx for r in cands]
    _strike(items)


def _strike(items: list[Item]) -> None:
    changed = True
    while changed:
        changed = False
        taken = {it.candidates[0] for it in items if len(it.candidates) == 1}
        for it in items:
            if len(it.candidates) > 1:
                left = [c for c in it.candidates if c not in taken]
                if left != it.candidates:
                    it.candidates = left
                    changed = True
