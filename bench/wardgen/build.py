"""One locality's records and items: who is in the inventory, what was scanned and how named."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .habits import Batch, Habits
from .inventory import number_rows
from .labels import Item, ScanFile, index_of, label
from .naming import Clock, Named, log_evidence, name_record
from .records import Record, make_record, same_owner_again
from .vocab import PROCEDURES

_REMARKS = ("Bản chính", "Thiếu tờ khai", "Đã trả kết quả", "Bản sao", "Hồ sơ bổ sung", "")


@dataclass
class Locality:
    habits: Habits
    records: list[Record]  # the inventory's rows, in order (repeats included)
    items: list[Item]  # what was scanned (orphans included)
    missing: list[Record] = field(default_factory=list)
    would_be: dict[int, str] = field(default_factory=dict)  # record idx -> keying
    logs: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # folder -> rows
    log_batches: dict[str, Batch] = field(default_factory=dict)
    log_items: dict[int, Item] = field(default_factory=dict)  # id(log row) -> its item


def _blocks(h: Habits, n: int, rng: random.Random) -> list[tuple[str, bool, int]]:
    """(former commune or district, is the district, how many records) of each block."""
    district = round(n * rng.uniform(0.12, 0.25)) if h.district else 0
    rest = n - district
    if not h.former:
        blocks = [("", False, rest)]
    else:
        weights = [rng.uniform(0.5, 1.5) for _ in h.former]
        sizes = [int(rest * w / sum(weights)) for w in weights]
        sizes[0] += rest - sum(sizes)
        blocks = [(f, False, s) for f, s in zip(h.former, sizes)]
    return blocks + ([(h.district_name, True, district)] if district else [])


def _block_records(
    h: Habits, former: str, district: bool, size: int, start: int, rng: random.Random
) -> list[Record]:
    kinds = list(h.kinds)
    weights = [h.kinds[k] for k in kinds]
    if district:
        kinds, weights = ["gcn", "bien_dong", "gpxd"], [3.0, 2.0, 1.0]
    out: list[Record] = []
    unit = "xã" if h.unit.startswith("Xã") else "phường"
    while len(out) < size:
        idx = start + len(out)
        if out and rng.random() < h.rates["twin"]:
            rec = same_owner_again(rng.choice(out[-5:]), idx, rng)
        else:
            rec = make_record(idx, rng.choices(kinds, weights)[0], rng, h.years, unit)
        rec.former, rec.district = former, district
        out.append(rec)
    out.sort(key=lambda r: (r.year, r.date, r.idx))
    return out


def _number(h: Habits, recs: list[Record], rng: random.Random) -> None:
    """STT, file numbers, boxes, receipts and codes, as the office numbered them."""
    box = 0
    used = 0
    per_box = rng.randint(150, 260)
    seq: dict[object, int] = {}
    block_of: dict[str, list[Record]] = {}
    for r in recs:
        block_of.setdefault(r.former, []).append(r)
    for block in block_of.values():
        old_box, old_used = 1, 0
        for n, r in enumerate(block, 1):
            r.file_no = n
            if used + r.sheets > per_box or box == 0:
                box, used = box + 1, 0
            if old_used + r.sheets > per_box:
                old_box, old_used = old_box + 1, 0
            used += r.sheets
            old_used += r.sheets
            r.box, r.old_box = box, old_box
            r.cccd = f"0560{rng.randint(5, 9)}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}"
            r.phone = f"09{rng.randint(0, 99999999):08d}"
            if PROCEDURES[r.kind].tthc:
                day = r.date.strftime("%y%m%d")
                seq[day] = seq.get(day, 0) + 1
                r.receipt = f"{h.agency}-{day}-{seq[day]:04d}"
            r.code = _code(h, r)


def _code(h: Habits, r: Record) -> str:
    if r.district:
        return f"{h.district_code}.TNMT.{r.year}.{r.file_no:03d}"
    if h.code_form == "receipt":
        return r.receipt
    if h.code_form == "fonds":
        return f"{h.fonds_prefix}.{h.code}.{r.year}.{r.file_no:04d}"
    if h.code_form == "slash":
        return f"{r.file_no:02d}/{r.year}/HS-UBND"
    return ""


def build(h: Habits, n: int, rng: random.Random) -> Locality:
    recs: list[Record] = []
    for former, district, size in _blocks(h, n, rng):
        recs += _block_records(h, former, district, size, len(recs), rng)
    for i, r in enumerate(recs):
        r.idx = i
    _number(h, recs, rng)
    rows: list[Record] = []
    for r in recs:
        rows.append(r)
        if rng.random() < h.rates["repeat"]:
            twice = Record(**{**r.__dict__, "idx": len(recs) + len(rows)})
            twice.repeat_of = r.idx
            rows.append(twice)
    number_rows(h, rows)
    loc = Locality(h, rows, [])
    _scan(loc, [r for r in rows if r.repeat_of is None], rng)
    return loc


def _batch_of(h: Habits, r: Record) -> Batch:
    if len(h.batches) == 1:
        return h.batches[0]
    if h.batch_by == "former" and h.former and r.former in h.former:
        return h.batches[h.former.index(r.former) % len(h.batches)]
    if h.batch_by == "kind":
        return h.batches[sorted(PROCEDURES).index(r.kind) % len(h.batches)]
    lo, hi = h.years
    span = (hi - lo + 1) / len(h.batches)
    return h.batches[min(len(h.batches) - 1, int((r.year - lo) / span))]


def _scan(loc: Locality, live: list[Record], rng: random.Random) -> None:
    """Name every scanned record (and the ones left unscanned, for their keying)."""
    h = loc.habits
    clocks = {id(b): Clock(_drive_start(rng)) for b in h.batches}
    used: set[str] = set()
    skip: set[int] = set()
    for pos, r in enumerate(live):
        if r.idx in skip:
            continue
        b = _batch_of(h, r)
        missing = rng.random() < h.rates["missing"]
        group: list[Record] = []
        tthc = PROCEDURES[r.kind].tthc and not r.district
        if not missing and tthc and b.anchor == "owner_proc" and rng.random() < h.rates["multi"]:
            group = [x for x in live[pos + 1 : pos + 3] if x.kind == r.kind and x.owner]
            group = group[: rng.randint(1, 2)]
            skip |= {x.idx for x in group}
        named = name_record(r, h, b, clocks[id(b)], rng, group)
        if missing:
            loc.missing.append(r)
            loc.would_be[r.idx] = named.keying
            continue
        loc.items.append(_item([r, *group], named, b, used, loc, rng))
    _orphans(loc, live, clocks, used, rng)


def _drive_start(rng: random.Random) -> object:
    import datetime as dt

    return dt.datetime(2025, rng.randint(2, 5), rng.randint(1, 27), 7, 30)


def _unique(path: str, used: set[str]) -> str:
    """The path as the saving software makes it unique in its folder: 'X (2)'."""
    if path.lower() not in used:
        used.add(path.lower())
        return path
    k = 2
    while f"{path} ({k})".lower() in used:
        k += 1
    used.add(f"{path} ({k})".lower())
    return f"{path} ({k})"


def _item(
    recs: list[Record], named: Named, b: Batch, used: set[str], loc: Locality, rng: random.Random
) -> Item:
    folder = "/".join(named.folders)
    stem = _unique(f"{folder}/{named.stem}" if folder else named.stem, used)
    pages = sum(r.pages for r in recs)
    evidence = list(named.evidence)
    if named.log is not None:
        evidence += log_evidence(recs[0], named.log, b)
        row = {k: v for k, v in named.log.items() if k != "_kind"}
        loc.logs.setdefault(folder, []).append(row | {"_stem": stem.rsplit("/", 1)[-1]})
        logged = loc.logs[folder][-1]
        loc.log_batches[folder] = b
    item = Item(recs, evidence, named.keying, stem.rsplit("/", 1)[-1])
    item.files = _files(stem, pages, b, loc.habits, rng)
    if named.log is not None:
        loc.log_items[id(logged)] = item  # its page count is written with the log
    return item


def _files(stem: str, pages: int, b: Batch, h: Habits, rng: random.Random) -> list[ScanFile]:
    ext = {"pdf": ".pdf", "tiff": ".tif", "jpg": ""}[b.fmt]
    if b.fmt == "jpg":
        names = {"num": "{n:03d}.jpg", "page": "Page_{n}.jpg", "stem": "{s}_{n:03d}.jpg"}
        form = names[b.page_names]
        leaf = stem.rsplit("/", 1)[-1]
        return [
            ScanFile(f"{stem}/{form.format(n=n, s=leaf)}", 1, role="page", series=stem)
            for n in range(1, pages + 1)
        ]
    if b.components and b.fmt == "pdf" and pages >= 3:
        return _components(stem, pages, rng)
    if pages >= 4 and rng.random() < h.rates["split"]:
        first = rng.randint(1, pages - 1)
        marks = {"_p": ("_p1", "_p2"), "phan": (" phan 1", " phan 2"), "dash": ("-1", "-2")}
        a, c = marks.get(b.split, (" (1)", " (2)"))
        return [ScanFile(stem + a + ext, first), ScanFile(stem + c + ext, pages - first)]
    return [ScanFile(stem + ext, pages)]


_COMPONENTS = (
    "To khai",
    "Ban sao CCCD",
    "Giay to kem theo",
    "Phieu tiep nhan va hen tra ket qua",
    "Ket qua giai quyet",
    "Bien lai thu phi",
)


def _components(stem: str, pages: int, rng: random.Random) -> list[ScanFile]:
    """A record as the portal hands it back: a folder named for it, a PDF per component."""
    n = min(pages, rng.randint(2, 4))
    cuts = sorted(rng.sample(range(1, pages), n - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, pages])]
    names = rng.sample(_COMPONENTS, n)
    numbered = rng.random() < 0.5
    return [
        ScanFile(f"{stem}/{f'{i:02d}_' if numbered else ''}{name}.pdf", size, role="part")
        for i, (name, size) in enumerate(zip(names, sizes), 1)
    ]


def _orphans(
    loc: Locality, live: list[Record], clocks: dict[int, Clock], used: set[str], rng: random.Random
) -> None:
    """Scans of records the inventory lacks, named as the office names; kept only when no
    inventory row fits what they show."""
    h = loc.habits
    want = round(len(live) * h.rates["orphan"])
    made = 0
    index = index_of(live)
    for attempt in range(want * 4):
        if made >= want:
            break
        model = rng.choice(live)
        b = _batch_of(h, model)
        if b.anchor == "device_notes" and PROCEDURES[model.kind].tthc:
            continue
        r = make_record(10**6 + attempt, model.kind, rng, h.years, "xã")
        r.former, r.district, r.in_inventory = model.former, model.district, False
        r.box, r.old_box, r.stt = model.box, model.old_box, 900 + attempt
        r.file_no = 900 + attempt
        r.receipt = f"{h.agency}-{r.date:%y%m%d}-{9000 + attempt:04d}"
        r.code = _code(h, r)
        r.cccd, r.phone = model.cccd[::-1], model.phone[:2] + model.phone[:1:-1]
        named = name_record(r, h, b, clocks[id(b)], rng, [])
        probe = Item([r], list(named.evidence), named.keying, named.stem)
        if named.log is not None:
            probe.evidence += log_evidence(r, named.log, b)
        label(live, [probe], False, index)
        if probe.candidates:
            continue
        item = _item([r], named, b, used, loc, rng)
        item.keying = named.keying
        loc.items.append(item)
        made += 1


def set_notes(loc: Locality, rng: random.Random) -> None:
    """The Ghi chú column: the scan's name typed by a clerk, or the usual remarks."""
    h = loc.habits
    if h.notes_style == "none":
        return
    share = rng.uniform(0.6, 0.95)
    stems = {it.stem.lower() for it in loc.items}
    for it in loc.items:
        rec = it.records[0]
        if not rec.in_inventory or it.multi:
            continue
        if h.notes_style == "remarks":
            rec.notes = rng.choice(_REMARKS)
            continue
        if rng.random() > share and it.keying != "device_notes":
            continue
        note = it.stem + (".pdf" if rng.random() < 0.2 else "")
        if len(it.stem) >= 12 and rng.random() < 0.05:
            i = rng.randrange(4, len(it.stem) - 1)
            slipped = it.stem[:i] + it.stem[i + 1 :]
            if slipped.lower() not in stems:
                note = slipped
        rec.notes = note
    for r in loc.records:
        if r.repeat_of is not None:
            r.notes = next(x.notes for x in loc.records if x.idx == r.repeat_of)
