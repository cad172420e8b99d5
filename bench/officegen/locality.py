"""One locality end to end: records, inventory, scans, sidecars, and its truth rows."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import habits as habits_mod
from . import inventory, labels, naming, office, pdfs, sidecar
from .naming import Context, Scan
from .records import SINGLES, Record, _land, _registers, assign_receipts, draw_records
from .typist import fold

_SAVED_AGAIN = re.compile(r" \(\d{1,2}\)(\.[a-z]+)$")
COPY_NAMES = ("{s} (1)", "{s} - Copy", "{s} - Bản sao", "Copy of {s}", "{s}_copy", "{s}(2)")
RESCAN_NAMES = ("{s}_scan2", "{s}_new", "{s}_lan2", "{s} - quet lai")
JUNK = (
    "test.pdf",
    "Scan_test_001.pdf",
    "trang trang.pdf",
    "Tài liệu chưa đặt tên.pdf",
    "New Document.pdf",
    "Untitled.pdf",
)


@dataclass
class FileOut:
    """One file under the scan root and its truth."""

    path: str
    pages: int
    fmt: str
    status: str
    injected: str
    record: int | None
    keying: str
    copy_of: str = ""
    damage: str = ""  # truncated | empty


@dataclass
class Built:
    records: list[Record]
    conventions: list[str]
    rows: list[inventory.Row]
    status: dict[int, str]
    injected: dict[int, str]
    files: list[FileOut] = field(default_factory=list)
    scans: list[Scan] = field(default_factory=list)
    sheet_names: dict[str, str] = field(default_factory=dict)  # planned sheet -> as written


def _choose(rng: random.Random, pool: list[int], rate: float, n: int, used: set[int]) -> set[int]:
    free = [i for i in pool if i not in used]
    k = min(len(free), max(1, round(rate * n)) if rate else 0)  # each problem at least once
    out = set(rng.sample(free, k)) if k else set()
    used |= out
    return out


def _phantom(ctx: Context, convention: str, k: int, rng: random.Random) -> Record:
    """A record the office scanned but never listed (its scan is an orphan)."""
    base = rng.choice(ctx.records)
    year, place = base.year, "xã"
    if convention == "symbol":
        r = SINGLES["decision"](rng, year, place)
        r.decision_no = 900 + k
        r.title = r.title.format(no=r.decision_no, day=f"{r.start:%d/%m/%Y}")
    elif convention == "book_page":
        r = replace(_registers(rng, year, 1)[rng.randrange(3)])
        r.register = (r.register[0], 9 + k)
    elif convention == "parcel":
        r = _land(rng, year, set())[0]
        r.parcel, r.map_sheet = 5000 + k, 90 + k % 9
    else:
        r = SINGLES[rng.choice(("civil", "business", "construction", "complaint"))](
            rng, year, place
        )
    habits = ctx.habits
    r.box = max(x.box for x in ctx.records) + 1 + k // 6
    r.file_no = (
        max(x.file_no for x in ctx.records if x.year == year or habits.numbering == "global")
        + 1
        + k
    )
    r.receipt = f"{habits.agency}-{r.start:%y%m%d}-{9000 + k:04d}"
    if r.tthc and "receipt" in habits.specific:
        r.code = r.receipt
    else:
        r.code = habits.code_form.format(
            fonds=habits.fonds, year=year, no=r.file_no, unit=habits.unit, cat=habits.catalogue
        )
    return r


def _orphans(
    ctx: Context,
    used: list[str],
    count: int,
    rng: random.Random,
    files: list[FileOut],
    scans: list[Scan],
) -> None:
    n_real = len(ctx.records)
    made, tries = 0, 0
    while made < count and tries < count * 20:
        tries += 1
        if rng.random() < 0.2:
            path = naming._unique(ctx, rng.choice(JUNK).rsplit(".", 1)[0], ".pdf")
            files.append(FileOut(path, rng.randint(1, 5), "pdf", "orphan", "orphan", None, "stray"))
            made += 1
            continue
        convention = rng.choice(used)
        phantom = _phantom(ctx, convention, made, rng)
        if convention == "owner" and not phantom.owner:
            continue
        ctx.records.append(phantom)
        ctx.folded.append(fold(phantom.title))
        sheet = ctx.rows[rng.randrange(n_real)][0]
        ctx.rows[n_real] = (sheet, max(s for sh, s in ctx.rows.values() if sh == sheet) + 1 + made)
        taken = set(ctx.taken)
        try:
            scan = naming.NAMERS[convention](ctx, n_real)
        finally:
            ctx.records.pop()
            ctx.folded.pop()
            del ctx.rows[n_real]
        if [c for c in scan.candidates if c < n_real]:
            ctx.taken = taken  # a phantom another record could claim is no orphan: drop it
            continue
        made += 1
        scan.record = -1
        scans.append(scan)
        for part in scan.parts:
            files.append(
                FileOut(part.path, part.pages, part.fmt, "orphan", "orphan", None, convention)
            )


def _same_name_series(scans: list[Scan]) -> None:
    """'X.pdf', 'X (2).pdf', 'X (3).pdf' in one folder were saved in scanning order."""
    series: dict[str, list[Scan]] = {}
    for scan in scans:
        if len(scan.parts) == 1 and not scan.order_group:
            base = _SAVED_AGAIN.sub(r"\1", scan.parts[0].path).lower()
            series.setdefault(base, []).append(scan)
    for base, group in series.items():
        if len(group) > 1:
            for scan in group:
                scan.order_group = f"name:{base}"


def _pages(rng: random.Random, sheets: int) -> int:
    """Good scans: one page a sheet, or some sheets written on both sides."""
    return sheets if rng.random() < 0.7 else sheets + rng.randint(1, sheets)


def build(
    ctx_rng: random.Random, name: str, n: int, generic: list[str]
) -> tuple[habits_mod.Habits, Context, Built]:
    rng = ctx_rng
    habits = habits_mod.draw(rng, generic)
    records = draw_records(rng, n, name, habits.years, habits.kinds)
    assign_receipts(records, habits.agency)
    office.number_records(records, habits, rng)
    conventions = office.assign_conventions(records, habits, rng)
    office.settle_columns(habits, set(conventions))
    if habits.inv_format == "csv":
        habits.sheets_by = 0
    used: set[int] = set()
    everyone = list(range(len(records)))
    repeats = _choose(rng, everyone, habits.rates["repeat"], n, set())
    rows = inventory.plan_rows(records, repeats, habits, rng)
    ctx = Context(habits, records, rng, {r.record: (r.sheet, r.stt) for r in rows if not r.repeat})
    ctx.folded = [fold(r.title) for r in records]
    missing = _choose(rng, everyone, habits.rates["missing"], n, used)
    scans = [naming.NAMERS[conventions[i]](ctx, i) for i in everyone if i not in missing]
    for scan in scans:
        if len(scan.parts) == 1:
            scan.parts[0].pages = _pages(rng, records[scan.record].sheets)
            if scan.sidecar:
                scan.sidecar["pages"] = str(scan.parts[0].pages)
    _same_name_series(scans)
    built = Built(records, conventions, rows, {}, {}, scans=scans)
    _settle(ctx, built, scans, missing, rng)
    _orphans(
        ctx,
        sorted(set(conventions)),
        max(1, round(habits.rates["orphan"] * n)),
        rng,
        built.files,
        scans,
    )
    return habits, ctx, built


def _settle(
    ctx: Context, built: Built, scans: list[Scan], missing: set[int], rng: random.Random
) -> None:
    """Statuses, injected problems and every file's truth."""
    records, habits, n = built.records, ctx.habits, len(built.records)
    linked, open_ = labels.decide(scans, records)
    single = [
        k
        for k, s in enumerate(scans)
        if s.candidates == [s.record] and len(s.parts) == 1 and s.parts[0].fmt == "pdf"
    ]
    taken: set[int] = set()
    short = _choose(rng, single, habits.rates["short"], n, taken)
    damaged = _choose(rng, single, habits.rates["damaged"], n, taken)
    copies = _choose(rng, single, habits.rates["copy"], n, taken)
    rescans = _choose(
        rng, [k for k in single if not scans[k].order_group], habits.rates["rescan"], n, taken
    )
    for i in range(n):
        built.status[i], built.injected[i] = (
            ("missing", "missing") if i in missing else ("digitized", "")
        )
    for k, scan in enumerate(scans):
        r = records[scan.record]
        part = scan.parts[0]
        if k in copies or k in rescans:
            part.pages = r.sheets  # two files of the whole record still fit twice its sheets
            if scan.sidecar:
                scan.sidecar["pages"] = str(part.pages)
        if k in open_:
            built.status[scan.record], built.injected[scan.record] = "needs_review", "tie"
            for c in open_[k]:
                if built.status[c] in ("missing", "digitized") and not any(
                    scans[j].record == c for j in linked
                ):
                    built.status[c] = "needs_review"
            for p in scan.parts:
                built.files.append(
                    FileOut(p.path, p.pages, p.fmt, "needs_review", "tie", scan.record, scan.keying)
                )
            continue
        status, injected, damage = "matched", "", ""
        if k in short and r.sheets > 1:
            part.pages = rng.randint(max(1, r.sheets // 3), r.sheets - 1)
            built.status[scan.record], built.injected[scan.record] = "page_mismatch", "short"
            if scan.sidecar:
                scan.sidecar["pages"] = str(part.pages)
        if k in damaged:
            damage = rng.choice(("truncated", "empty"))
            status, injected = (
                ("corrupt", "truncated") if damage == "truncated" else ("empty", "empty")
            )
            built.status[scan.record], built.injected[scan.record] = "damaged_scan", injected
        wrong = _wrong_year(ctx, scan, rng)
        for p in scan.parts:
            built.files.append(
                FileOut(
                    p.path,
                    p.pages,
                    p.fmt,
                    status,
                    injected or wrong,
                    scan.record,
                    scan.keying,
                    damage=damage,
                )
            )
        if k in copies:
            stem, ext = part.path.rsplit(".", 1)
            folder, _, base = stem.rpartition("/")
            copy = (folder + "/" if folder else "") + rng.choice(COPY_NAMES).format(s=base)
            copy = naming._unique(ctx, copy, "." + ext)
            built.files.append(
                FileOut(
                    copy,
                    part.pages,
                    part.fmt,
                    "duplicate",
                    "duplicate",
                    scan.record,
                    scan.keying,
                    copy_of=part.path,
                )
            )
        if k in rescans:
            stem, ext = part.path.rsplit(".", 1)
            again = naming._unique(ctx, rng.choice(RESCAN_NAMES).format(s=stem), "." + ext)
            built.files.append(
                FileOut(again, part.pages, part.fmt, "matched", "rescan", scan.record, scan.keying)
            )


def _wrong_year(ctx: Context, scan: Scan, rng: random.Random) -> str:
    """A scan filed under a neighbouring year's folder; its name still carries a unique key."""
    if scan.keying not in ("code", "receipt", "parcel") or ctx.habits.folder[scan.keying] != "year":
        return ""
    part = scan.parts[0]
    year = str(ctx.records[scan.record].year)
    if (
        "/" not in part.path
        or year not in part.path.split("/")[0]
        or rng.random() >= ctx.habits.rates["wrong_year"]
    ):
        return ""
    head, rest = part.path.split("/", 1)
    part.path = head.replace(year, str(int(year) + rng.choice((-1, 1)))) + "/" + rest
    return "wrong_year"


def write_scans(
    root: Path, built: Built, habits: habits_mod.Habits, rng: random.Random, token: str
) -> None:
    """Every scan file; copies are byte-identical to their original."""
    written: dict[str, bytes] = {}
    for n, f in enumerate(built.files):
        if f.copy_of:
            continue
        data = _bytes(f, habits, rng, f"{token}{n:06x}")
        written[f.path] = data
        pdfs.write(root / f.path, data)
    for f in built.files:
        if f.copy_of:
            pdfs.write(root / f.path, written[f.copy_of])
    for stray in ("Thumbs.db", ".DS_Store"):
        if rng.random() < 0.4:
            pdfs.write(root / stray, b"\x00" * 64)


def _bytes(f: FileOut, habits: habits_mod.Habits, rng: random.Random, token: str) -> bytes:
    if f.damage == "empty":
        return b""
    if f.fmt == "jpg":
        return pdfs.jpeg_page(int(token[-10:], 16))
    if f.fmt == "tif":
        data = pdfs.tiff_bytes(f.pages, int(token[-10:], 16))
    else:
        data = pdfs.pdf_bytes(rng.choice(habits.writers), f.pages, token)
    if f.damage == "truncated":
        return data[: len(data) * 2 // 5]
    return data


def write_sidecars(
    root: Path, scans: list[Scan], habits: habits_mod.Habits, rng: random.Random
) -> None:
    """The scanning tool's export (counters) and the handover lists (lots)."""
    counter = [s.sidecar for s in scans if s.order_group == "counter" and s.sidecar]
    style = habits.style.get("counter_sidecar", 0)
    if counter:
        stem = rng.choice(("metadata", "export_20250612", "DanhSachScan", "scan_log"))
        sidecar.write(root, "", counter, style, rng, stem)
    lots: dict[str, list[dict[str, str]]] = {}
    for s in scans:
        if s.order_group == "lot" and s.sidecar:
            lots.setdefault(s.sidecar["file"].split("/")[0], []).append(s.sidecar)
    if not lots:
        return
    per_lot = habits.style.get("lot_seq", 0) < 3
    if per_lot:
        for lot, rows in lots.items():
            sidecar.write(
                root, f"{lot}/", rows, habits.style["lot_seq"] + 1, rng, f"Danh sach ban giao {lot}"
            )
    else:
        every = [row for rows in lots.values() for row in rows]
        sidecar.write(root, "", every, habits.style["lot_seq"], rng, "Danh_sach_ban_giao")
