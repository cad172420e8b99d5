"""One locality end to end: habits, inventory, the station's scans and export, labels, truth."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from . import inventory, sidecar
from .habits import Habits, draw
from .labels import compatible, decided_alone, label
from .layout import (
    COUNTERS,
    Scan,
    batch_names,
    counter_name,
    finish_path,
    folder_for,
    name_for,
    segments,
)
from .records import Record, build, orphan_record
from .scanfiles import scan_bytes
from .typed import Typing, type_title


@dataclass
class Locality:
    name: str
    root: str
    inventories: list[str]
    columns: dict[str, str]
    sidecar: str = ""
    record_rows: list[dict[str, object]] = field(default_factory=list)
    file_rows: list[dict[str, object]] = field(default_factory=list)
    habits_json: dict[str, object] = field(default_factory=dict)


def _slug(name: str) -> str:
    from .typed import fold

    return "-".join(fold(name).lower().split())


def _known(h: Habits) -> set[str]:
    known = set()
    if "record_code" in h.columns:
        known |= {"code", "file_no", "year"}
    if "file_no" in h.columns:
        known.add("file_no")
    if "box" in h.columns:
        known.add("box")
    if "dates" in h.columns:
        known.add("year")
        if h.dates_form in ("range_dmy", "two_columns", "excel_dates"):
            known.add("date")
    if "sheets" in h.columns:
        known.add("sheets")
    return known


def _pages(rng: random.Random, sheets: int) -> int:
    return sheets if rng.random() < 0.6 else rng.randint(sheets, 2 * sheets)


def _fmt(h: Habits, pages: int) -> str:
    if h.image_format == "tif":
        return "tif"
    if h.image_format == "jpg_single" and pages == 1:
        return "jpg"
    return h.pdf_writer


def _ext(fmt: str) -> str:
    return {"tif": ".tif", "jpg": ".jpg"}.get(fmt, ".pdf")


class _Station:
    """Names and orders one locality's scans."""

    def __init__(self, rng: random.Random, h: Habits, slug: str, abbr: str, known: set[str]):
        self.rng, self.h, self.slug, self.known = rng, h, slug, known
        self.prefix = h.prefix.format(ab=abbr, k=rng.randint(1, 4))
        h.prefix = self.prefix
        self.paths: set[str] = set()

    def unique(self, path: str) -> str:
        stem, dot, ext = path.rpartition(".")
        k = 0
        while path in self.paths:
            k += 1
            path = f"{stem} ({k}).{ext}"
        self.paths.add(path)
        return path

    def named(self, scan: Scan, batch: str) -> None:
        record = scan.record
        assert record is not None
        stem, ev = name_for(self.rng, self.h, record)
        folder, fev = folder_for(self.h, record, batch)
        scan.evidence = {**ev, **fev}
        scan.batch = batch
        scan.path = self.unique(finish_path(self.h, folder, stem, _ext(scan.fmt)))

    def counters(self, scans: list[Scan], batches: list[str], keying: str) -> None:
        """Counter names in scanning order; the export's rows for ``counter_sidecar``."""
        restart = bool(self.h.name_style["counter_restart"]) or keying == "box_counter"
        n = 0
        last = None
        for scan in scans:
            record = scan.record
            assert record is not None
            folder, fev = folder_for(self.h, record, scan.batch)
            if restart and folder != last:
                n = 0
            last = folder
            n += 1
            scan.path = self.unique(
                finish_path(self.h, folder, counter_name(self.h, n), _ext(scan.fmt))
            )
            scan.evidence = dict(fev)
            scan.batch = folder
            if keying == "counter_sidecar":
                self._export_row(scan, record)
            else:
                scan.evidence["bare"] = (keying, record.box if keying == "box_counter" else None)

    def _export_row(self, scan: Scan, record: Record) -> None:
        spec = self.h.sidecar
        typing = dataclasses.replace(self.h.typing, case="as", joiner=" ")
        title, visible = type_title(record.title.words, typing, self.rng, self.h.sidecar_limit)
        row: dict[str, object] = {
            "name": sidecar.file_name(scan.path, str(spec["name_value"]), self.slug),
            "title": title,
        }
        scan.evidence["title"] = visible
        if spec["year"]:
            row["year"] = record.year_start
            scan.evidence["year"] = record.year_start
        if spec["pages"]:
            row["pages"] = scan.pages
        if spec["code"]:
            row["code"] = record.code
            scan.evidence["code"] = segments(record.code)
        row["operator"] = self.rng.choice(("Hùng", "Mai", "Tuấn", "Lan", "may2"))
        row["date"] = scan.batch.rsplit("/", 1)[-1][:10]
        scan.sidecar_row = row
        scan.evidence["order"] = True


def _swap_neighbours(rng: random.Random, scans: list[Scan], rate: float) -> None:
    """Two dossiers next to each other in the box scanned in each other's place."""
    k = 0
    while k + 1 < len(scans):
        a, b = scans[k].record, scans[k + 1].record
        adjacent = a is not None and b is not None and b.position == a.position + 1
        if adjacent and not a.orphan and not b.orphan and rng.random() < rate:  # type: ignore[union-attr]
            scans[k], scans[k + 1] = scans[k + 1], scans[k]
            k += 2
        else:
            k += 1


def _batches(rng: random.Random, h: Habits, scans: list[Scan]) -> None:
    size = rng.randint(30, 90)
    names = batch_names(rng, h, len(scans) // size + 1)
    for k, scan in enumerate(scans):
        scan.batch = names[k // size]


def build_locality(
    rng: random.Random, out: Path, name: str, abbr: str, n: int, convention: str
) -> Locality:
    slug = _slug(name)
    years = (rng.randint(2008, 2016), 2024)
    h = draw(rng, years, convention)
    unit = name[0].lower() + name[1:]
    rows = build(rng, h, unit, n, years)
    live = [r for r in rows if r.repeat_of is None]
    known = _known(h)
    paths, columns = inventory.write(
        rng, h, unit, rows, out / "inventories" / slug, f"inventories/{slug}"
    )
    for r in rows:
        r.key = (r.source_file, r.source_sheet, str(r.source_row))
    missing = set(rng.sample(range(len(live)), round(len(live) * h.rates["missing"])))
    scans: list[Scan] = []
    for k, record in enumerate(live):
        if k in missing:
            record.injected = "missing"
            continue
        pages = _pages(rng, record.sheets)
        scans.append(Scan(record=record, pages=pages, fmt=_fmt(h, pages)))
    station = _Station(rng, h, slug, abbr, known)
    _place(rng, h, station, scans, live, unit, years, known)
    label(scans, live, known)
    _inject(rng, h, station, scans, live, known)
    root = out / "scans" / slug
    side_path = _write_scans(rng, h, root, scans, out, slug)
    loc = Locality(name, f"scans/{slug}", paths, columns, side_path)
    _truth_rows(loc, rows, scans)
    loc.habits_json = _habits_json(h, known)
    return loc


def _place(
    rng: random.Random,
    h: Habits,
    station: _Station,
    scans: list[Scan],
    live: list[Record],
    unit: str,
    years: tuple[int, int],
    known: set[str],
) -> None:
    """Name every scan, orphans added, in each convention's scanning order."""
    for keying in h.conventions:
        group = [s for s in scans if s.record is not None and s.record.keying == keying]
        if keying not in ("counter_bare", "box_counter"):
            group += _orphans(rng, h, keying, live, unit, years, len(group))
        if keying in COUNTERS:
            group.sort(
                key=lambda s: (
                    (s.record.box, s.record.position)
                    if keying == "box_counter"
                    else s.record.position
                )
            )  # type: ignore[union-attr]
            _orphans_in_order(rng, group)
            _swap_neighbours(rng, group, h.rates["swap"])
            _batches(rng, h, group)
            station.counters(group, [], keying)
        else:
            _batches(rng, h, group)
            for scan in group:
                station.named(scan, scan.batch)
        # an orphan some record fits would be a tie, not an orphan: the station made none
        group = [
            s
            for s in group
            if s.injected != "orphan" or not any(compatible(r, s.evidence, known) for r in live)
        ]
        for seq, scan in enumerate(group):
            scan.seq = seq
        for scan in group:
            if scan not in scans:
                scans.append(scan)


def _orphans(
    rng: random.Random,
    h: Habits,
    keying: str,
    live: list[Record],
    unit: str,
    years: tuple[int, int],
    size: int,
) -> list[Scan]:
    out = []
    top = max((r.file_no for r in live), default=0)
    boxes = sorted({r.box for r in live})
    for k in range(round(size * h.rates["orphan"])):
        record = orphan_record(rng, h, unit, years, top + 500 + k, rng.choice(boxes))
        record.keying = keying
        pages = _pages(rng, record.sheets)
        out.append(Scan(record=record, pages=pages, fmt=_fmt(h, pages), injected="orphan"))
    return out


def _orphans_in_order(rng: random.Random, group: list[Scan]) -> None:
    orphans = [s for s in group if s.injected == "orphan"]
    for scan in orphans:
        group.remove(scan)
        group.insert(rng.randrange(len(group) + 1), scan)


def _inject(
    rng: random.Random,
    h: Habits,
    station: _Station,
    scans: list[Scan],
    live: list[Record],
    known: set[str],
) -> None:
    """Damage, page shortfalls and copies, where the truth stays knowable; then relabel."""
    alone = [
        s
        for s in scans
        if s.status == "matched" and s.injected == "" and decided_alone(s, live, known)
    ]
    rng.shuffle(alone)
    n = len(live)
    take = {kind: round(n * h.rates[kind]) for kind in ("empty", "truncated", "short", "long")}
    if "sheets" not in known:
        take["short"] = take["long"] = 0
    for kind, count in take.items():
        for scan in [s for s in alone if s.injected == ""][:count]:
            if kind in ("short", "long") and (
                scan.fmt == "jpg" or (kind == "short" and scan.record.sheets < 2)
            ):  # type: ignore[union-attr]
                continue
            scan.injected = kind
            sheets = scan.record.sheets  # type: ignore[union-attr]
            if kind == "short":
                scan.pages = rng.randint(1, sheets - 1)
            elif kind == "long":
                scan.pages = 2 * sheets + rng.randint(1, 4)
            else:
                scan.pages = None
    originals = [s for s in scans if s.copy_of is None]
    label(originals, live, known)
    matched = [s for s in originals if s.status == "matched" and s.injected == ""]
    for scan in rng.sample(matched, min(len(matched), round(n * h.rates["copy"]))):
        scans.append(_copy(rng, station, scan))


def _copy(rng: random.Random, station: _Station, scan: Scan) -> Scan:
    folder, _, file = scan.path.rpartition("/")
    stem, _, ext = file.rpartition(".")
    form = rng.choice(("{s} (1)", "{s} - Copy", "Copy of {s}", "{s} - Sao chép", "move"))
    if form == "move":
        where = rng.choice(("Trung lap", "Scan lai", "_Ban sao"))
        path = f"{where}/{folder}/{file}" if folder else f"{where}/{file}"
    else:
        new = form.format(s=stem) + "." + ext
        path = f"{folder}/{new}" if folder else new
    copy = dataclasses.replace(scan, copy_of=scan, injected="duplicate", sidecar_row={})
    copy.path = station.unique(path)
    return copy


def _write_scans(
    rng: random.Random, h: Habits, root: Path, scans: list[Scan], out: Path, slug: str
) -> str:
    """Write the files (mtimes in scanning order) and the export; returns a sidecar path for
    the project file when the export lies beside the tree."""
    root.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2025, 5, 6, 7, 30).timestamp()
    data: dict[int, bytes] = {}
    for k, scan in enumerate(scans):
        target = root / scan.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if scan.copy_of is not None:
            blob = data[id(scan.copy_of)]
        else:
            pages = scan.pages if scan.pages is not None else max(1, scan.record.sheets)  # type: ignore[union-attr]
            fmt = scan.fmt if not (scan.fmt == "jpg" and pages != 1) else h.pdf_writer
            blob = scan_bytes(fmt, pages, f"{rng.getrandbits(128):032x}")
            data[id(scan)] = blob
            if scan.injected == "empty":
                blob = b""
            elif scan.injected == "truncated":
                blob = blob[: len(blob) // 2]
        target.write_bytes(blob)
        when = start + 60 * (scan.seq + (5000 if scan.copy_of is not None else 0)) + k
        os.utime(target, (when, when))
    return _write_export(h, root, scans, out, slug)


def _write_export(h: Habits, root: Path, scans: list[Scan], out: Path, slug: str) -> str:
    rows = [s for s in scans if s.sidecar_row]
    if not rows:
        return ""
    rows.sort(key=lambda s: s.seq)
    place = h.sidecar["place"]
    if place == "batch":
        by_batch: dict[str, list[dict[str, object]]] = {}
        for s in rows:
            by_batch.setdefault(s.path.rpartition("/")[0], []).append(s.sidecar_row)
        for folder, group in by_batch.items():
            sidecar.write(
                group, h.sidecar, (root / folder / "export") if folder else root / "export"
            )
        return ""
    table = [s.sidecar_row for s in rows]
    if place == "root":
        sidecar.write(table, h.sidecar, root / "metadata")
        return ""
    written = sidecar.write(table, h.sidecar, out / "exports" / slug / f"{slug}-export")
    return written.relative_to(out).as_posix()


def _truth_rows(loc: Locality, rows: list[Record], scans: list[Scan]) -> None:
    by_record: dict[int, Scan] = {}
    named: set[int] = set()
    decided: set[int] = set()
    for s in scans:
        if s.copy_of is None and s.record is not None and not s.record.orphan:
            by_record[id(s.record)] = s
            if s.status == "needs_review":
                named |= set(s.candidates)
            else:
                decided.add(s.record.position)
    for r in rows:
        scan = by_record.get(id(r))
        status = _record_status(r, scan, named, decided)
        loc.record_rows.append(
            {
                "locality": loc.name,
                "source_file": r.source_file,
                "source_sheet": r.source_sheet,
                "source_row": r.source_row,
                "record_code": r.code,
                "title": r.text,
                "expected_status": status,
                "injected": r.injected or (scan.injected if scan else ""),
                "true_paths": scan.path if scan else "",
                "keying": r.keying,
            }
        )
    for s in scans:
        r = s.record
        assert r is not None
        status = _file_status(s)
        source = ("", "", "") if status == "orphan" else r.key
        loc.file_rows.append(
            {
                "locality": loc.name,
                "path": s.path,
                "expected_status": status,
                "injected": s.injected if s.injected not in ("short", "long") else "",
                "source_file": source[0],
                "source_sheet": source[1],
                "source_row": source[2],
                "keying": r.keying,
            }
        )


def _record_status(r: Record, scan: Scan | None, named: set[int], decided: set[int]) -> str:
    if r.repeat_of is not None:
        return "duplicate_entry"
    if scan is None:
        return "needs_review" if r.position in named and r.position not in decided else "missing"
    if scan.status == "needs_review":
        return "needs_review"
    if scan.injected in ("empty", "truncated"):
        return "damaged_scan"
    if scan.injected in ("short", "long"):
        return "page_mismatch"
    return "digitized"


def _file_status(s: Scan) -> str:
    if s.copy_of is not None:
        return "duplicate"
    if s.status in ("orphan", "needs_review"):
        return s.status
    return {"empty": "empty", "truncated": "corrupt"}.get(s.injected, "matched")


def _habits_json(h: Habits, known: set[str]) -> dict[str, object]:
    out = {k: v for k, v in dataclasses.asdict(h).items() if k != "typing"}
    out["columns"] = sorted(h.columns)
    out["typing"] = dataclasses.asdict(h.typing) if isinstance(h.typing, Typing) else {}
    out["known"] = sorted(known)
    return out
