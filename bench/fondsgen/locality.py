"""One locality: its fonds, inventory, scan tree, export and truth, from its drawn habits."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from pathlib import Path

from . import inventory, scans, sidecar
from .habits import Habits, Scheme
from .labels import Reader, label
from .legacy import fold
from .naming import Item, counter_item, name_item, visible
from .records import Fonds, Record, arrange

_EXT = {
    "pdf": ".pdf",
    "tif": ".tif",
    "jpg_pages": ".jpg",
    "tif_pages": ".tif",
    "pdf_docs": ".pdf",
}
_COPY = (
    "{stem} (1){ext}",
    "{stem} - Copy{ext}",
    "Copy of {stem}{ext}",
    "Ban sao/{stem}{ext}",
)
_RESCAN = (
    "{stem}_quet lai{ext}",
    "{stem} - scan lai{ext}",
    "{stem}_lan2{ext}",
    "Quet lai/{stem}{ext}",
)
_AGAIN = (" ({})", "_{}", "-{}", " ({})")


@dataclass
class LocalityOutput:
    name: str
    code: str
    inventories: list[str]
    scan_root: str
    sidecar: str
    columns: dict[str, str]
    records: list[dict[str, str]] = field(default_factory=list)
    files: list[dict[str, str]] = field(default_factory=list)


def _slug(name: str) -> str:
    return "-".join(fold(name).lower().split())


def _abbr(name: str) -> str:
    return "".join(w[0] for w in fold(name).split()).upper()


def _pages(rng: random.Random, sheets: int) -> int:
    return sheets if rng.random() < 0.5 else rng.randint(sheets, 2 * sheets)


def _draw_records(rng: random.Random, name: str, code: str, n: int, h: Habits) -> list[Record]:
    years = range(h.first_year, h.first_year + h.years)
    orphans = round(n * h.rates["orphan"])
    records = arrange(Fonds(rng, name, h.kinds, years).draw(n + orphans), h, code, _abbr(name))
    for rec in rng.sample(records, orphans):
        rec.in_inventory = False
    return records


def _inventory_rows(rng: random.Random, records: list[Record], h: Habits) -> list[Record]:
    rows: list[Record] = []
    kept = [r for r in records if r.in_inventory]
    twice = set(rng.sample(range(len(kept)), round(len(kept) * h.rates["twice"])))
    for k, rec in enumerate(kept):
        rows.append(rec)
        if k in twice:
            again = copy.copy(rec)
            again.repeat_of, again.extra = rec.index, dict(rec.extra)
            rows.append(again)
    return rows


def _scheme_of(records: list[Record], h: Habits, rng: random.Random) -> dict[int, Scheme]:
    """Which operator scanned each record: one, or two who split the boxes."""
    if len(h.schemes) == 1:
        return {r.index: h.schemes[0] for r in records}
    boxes = sorted({r.box for r in records})
    if rng.random() < 0.5:  # the first boxes to one, the rest to the other
        half = boxes[len(boxes) // 2]
        return {r.index: h.schemes[r.box >= half] for r in records}
    return {r.index: h.schemes[r.box % 2] for r in records}  # box by box, in turn


def _items(
    rng: random.Random, records: list[Record], h: Habits, schemes: dict[int, Scheme]
) -> list[Item]:
    vis = visible(h)
    items: list[Item] = []
    counter = rng.randint(1, 4000)
    for rec in records:
        s = schemes[rec.index]
        if not rec.in_inventory and s.anchor == "stt":
            continue  # no STT to name it by
        if s.anchor == "counter":
            counter += 1 + (rng.random() < 0.05) * rng.randint(1, 3)  # pages rejected
            item = counter_item(rec, s, h, rng, vis, counter)
        else:
            item = name_item(rec, s, h, rng, vis)
        item.pages = _pages(rng, rec.sheets)
        items.append(item)
    return items


def _inject(rng: random.Random, items: list[Item], reader: Reader, h: Habits) -> list[Item]:
    """Drop orphans a record would fit; damage, shorten or copy scans their name decides."""
    kept: list[Item] = []
    for item in items:
        named = reader.by_name(item)
        if not item.record.in_inventory:
            if named:
                continue
            item.injected = "orphan"
        elif named == {item.record.index}:
            single = item.scheme.fmt in ("pdf", "tif")
            roll = rng.random()
            if roll < h.rates["short"] and "sheets" in h.columns and item.record.sheets > 1:
                item.injected = "short_scan"
                item.pages = rng.randint(1, item.record.sheets - 1)
            elif single and roll < h.rates["short"] + h.rates["damaged"]:
                item.injected = rng.choice(("empty", "truncated"))
            elif single and roll < h.rates["short"] + h.rates["damaged"] + h.rates["copy"]:
                item.injected = "copied"
            elif (
                single
                and item.scheme.anchor != "counter"
                and roll < sum(h.rates[k] for k in ("short", "damaged", "copy", "rescan"))
            ):
                item.injected = "rescanned"  # scanned again, the first kept too
        kept.append(item)
    return kept


def _base(item: Item) -> str:
    return f"{item.folder}/{item.stem}" if item.folder else item.stem


def _sequences(items: list[Item]) -> None:
    """Names given twice: the tool saves the later scan as ``X (2)``, a sequence in order."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(_base(item).lower(), []).append(item)
    for base, group in groups.items():
        if len(group) > 1:
            for k, item in enumerate(group, start=1):
                item.sequence, item.order = base, k


def _paths(items: list[Item], rng: random.Random) -> None:
    """Each item's files; a name taken already is saved again with the tool's suffix."""
    for item in items:
        s = item.scheme
        ext = _EXT[s.fmt]
        path = _base(item)
        if item.sequence != "counter" and item.order > 1:
            path += _AGAIN[s.folder_style].format(item.order)
        if s.fmt in ("pdf", "tif"):
            item.files = [(path + ext, item.pages)]
        elif s.fmt == "pdf_docs":
            docs = min(item.pages, rng.randint(2, 4))
            sizes = [item.pages // docs + (k < item.pages % docs) for k in range(docs)]
            form = ("{:02d}", "VB{:02d}", "{:03d}", "tl_{}")[s.folder_style]
            item.files = [(f"{path}/{form.format(k + 1)}{ext}", n) for k, n in enumerate(sizes)]
        else:
            form = ("{:03d}", "{:04d}", "trang_{:03d}", "{}")[s.folder_style]
            item.files = [(f"{path}/{form.format(k + 1)}{ext}", 1) for k in range(item.pages)]


def _marked(path: str, form: str) -> str:
    """A file's path with a copy's or a rescan's mark (``form`` of its stem and extension)."""
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    marked = form.format(stem=stem, ext=dot + ext)
    return f"{folder}/{marked}" if folder else marked


def _write_scans(root: Path, items: list[Item], uid: str) -> list[tuple[Item, str, str]]:
    """Write every file; (item, path, injected) for each, copies included."""
    out: list[tuple[Item, str, str]] = []
    for item in items:
        fmt = (
            "jpg"
            if item.scheme.fmt == "jpg_pages"
            else "tif"
            if "tif" in item.scheme.fmt
            else "pdf"
        )
        for k, (path, pages) in enumerate(item.files):
            damage = item.injected if item.injected in ("empty", "truncated") else ""
            ident = f"{uid}/{item.record.index}/{k}"
            scans.write(root / path, fmt, pages if fmt != "jpg" else k, ident, damage)
            kept = item.injected not in ("copied", "rescanned")
            out.append((item, path, item.injected if kept else ""))
        if item.injected == "rescanned":
            path = _marked(item.files[0][0], _RESCAN[item.scheme.folder_style])
            scans.write(root / path, fmt, item.pages, f"{uid}/{item.record.index}/again")
            out.append((item, path, "rescan"))
        if item.injected == "copied":
            path = item.files[0][0]
            copy_path = _marked(path, _COPY[item.scheme.folder_style])
            (root / copy_path).parent.mkdir(parents=True, exist_ok=True)
            (root / copy_path).write_bytes((root / path).read_bytes())
            out.append((item, copy_path, "copy"))
    return out


def _export(
    rng: random.Random, base: Path, slug: str, root: Path, items: list[Item]
) -> tuple[Path | None, bool]:
    """The scanning tool's export of the counter scans: in the root, or kept beside it."""
    counted = [i for i in items if i.scheme.anchor == "counter"]
    if not counted:
        return None, False
    scheme = counted[0].scheme
    with_ext = rng.random() < 0.7
    rows = []
    for item in counted:
        name = item.files[0][0].rpartition("/")[2]
        row = dict(item.sidecar)
        row["file"] = name if with_ext else name.rpartition(".")[0]
        if "pages" in scheme.sidecar:
            row["pages"] = str(item.pages)
        rows.append(row)
    stem = rng.choice(("metadata", "DanhSachScan", "export_2025-06-12", "bao_cao_quet"))
    if scheme.export_per_batch:  # one export in each folder the tool scanned into
        folders: dict[str, list[dict[str, str]]] = {}
        for item, row in zip(counted, rows):
            folders.setdefault(item.folder, []).append(row)
        written = [sidecar.write(root / f / f"{stem}.csv", scheme, r) for f, r in folders.items()]
        return written[0], True
    inside = rng.random() < 0.6
    path = (root if inside else base / slug / "xuat-du-lieu") / f"{stem}.csv"
    return sidecar.write(path, scheme, rows), inside


def _record_rows(
    name: str,
    source: str,
    rows: list[Record],
    items: list[Item],
    keyings: dict[int, str],
) -> list[dict[str, str]]:
    linked: dict[int, Item] = {}
    review: set[int] = set()
    for item in items:
        if item.expected == "matched":
            linked[item.fit[0]] = item
    for item in items:
        if item.expected == "needs_review":
            review |= {i for i in item.fit if i not in linked}
    out = []
    scanned = {i.record.index: i for i in items}
    for rec in rows:
        item = scanned.get(rec.index)
        keying = (
            item.keying if item else keyings[rec.repeat_of if rec.repeat_of >= 0 else rec.index]
        )
        status, injected = "missing", "missing"
        if rec.repeat_of >= 0:
            status, injected = "duplicate_entry", "typed_twice"
        elif rec.index in linked:
            got = linked[rec.index].injected
            status = {"short_scan": "page_mismatch", "empty": "damaged_scan"}.get(got, "digitized")
            status = "damaged_scan" if got == "truncated" else status
            injected = {
                "short_scan": "short_scan",
                "empty": "damaged",
                "truncated": "damaged",
            }.get(got, "")
        elif rec.index in review:
            status, injected = "needs_review", "" if item else "missing"
        elif item:
            injected = ""
        out.append(
            {
                "locality": name,
                "source_file": source,
                "source_sheet": rec.sheet,
                "source_row": str(rec.row),
                "record_code": rec.code,
                "title": rec.title,
                "expected_status": status,
                "injected": injected,
                "true_paths": "|".join(p for p, _ in item.files) if item else "",
                "keying": keying,
            }
        )
    return out


def _keyings(records: list[Record], h: Habits, schemes: dict[int, Scheme]) -> dict[int, str]:
    """The convention that named, or would have named, each record's scan."""
    vis, rng = visible(h), random.Random(0)  # apart from the locality's draws
    out = {}
    for rec in records:
        s = schemes[rec.index]
        make = (
            counter_item(rec, s, h, rng, vis, 0)
            if s.anchor == "counter"
            else name_item(rec, s, h, rng, vis)
        )
        out[rec.index] = make.keying
    return out


def _file_rows(
    name: str, source: str, written: list[tuple[Item, str, str]]
) -> list[dict[str, str]]:
    out = []
    for item, path, injected in written:
        rec = item.record
        status = {"copy": "duplicate", "empty": "empty", "truncated": "corrupt"}.get(
            injected, item.expected
        )
        where = rec.in_inventory
        out.append(
            {
                "locality": name,
                "path": path,
                "expected_status": status,
                "injected": injected,
                "source_file": source if where else "",
                "source_sheet": rec.sheet if where else "",
                "source_row": str(rec.row) if where else "",
                "keying": item.keying,
            }
        )
    return sorted(out, key=lambda r: r["path"])


def build_locality(
    rng: random.Random, out: Path, name: str, code: str, count: int, h: Habits
) -> LocalityOutput:
    """Write one locality under ``out/<slug>/``; its project entry and truth rows."""
    slug = _slug(name)
    records = _draw_records(rng, name, code, count, h)
    rows = _inventory_rows(rng, records, h)
    inventories = inventory.write(out / slug / "muc-luc", name, rows, h, rng)
    source = inventories[0].relative_to(out).as_posix()
    scanned = [r for r in records if not r.in_inventory or rng.random() >= h.rates["missing"]]
    schemes = _scheme_of(records, h, rng)
    reader = Reader(rows)
    items = _inject(rng, _items(rng, scanned, h, schemes), reader, h)
    _sequences(items)
    label(items, reader, "sheets" in h.columns)
    for item in items:
        if item.expected == "matched" and item.fit != (item.record.index,):
            item.expected = "needs_review"  # the rule took another record: no reader could know
            item.fit = tuple(sorted({*item.fit, item.record.index}))
    _paths(items, rng)
    root = out / slug / "so-hoa"
    root.mkdir(parents=True, exist_ok=True)
    written = _write_scans(root, items, f"{slug}-{rng.getrandbits(48):x}")
    export, inside = _export(rng, out, slug, root, items)
    result = LocalityOutput(
        name=name,
        code=code,
        inventories=[p.relative_to(out).as_posix() for p in inventories],
        scan_root=root.relative_to(out).as_posix(),
        sidecar=export.relative_to(out).as_posix() if export and not inside else "",
        columns=inventory.unlisted(h),
    )
    result.records = _record_rows(name, source, rows, items, _keyings(records, h, schemes))
    result.files = _file_rows(name, source, written)
    return result
