"""Write a province: project file, inventories, scan trees, scanning logs and the truth."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
from pathlib import Path

from . import inventory, scanfiles
from .build import Locality, build, set_notes
from .habits import Batch, draw
from .keyboard import fold
from .labels import Item, ScanFile, label
from .naming import log_heads
from .vocab import UNITS

RECORD_COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "expected_status",
    "injected",
    "true_paths",
    "keying",
]
FILE_COLUMNS = [
    "locality",
    "path",
    "expected_status",
    "source_file",
    "source_sheet",
    "source_row",
    "injected",
    "keying",
]


def _slug(text: str) -> str:
    return "-".join(fold(text).split())


def _decided(it: Item) -> bool:
    return len(it.candidates) == 1 and it.records[0].in_inventory


def _inject(loc: Locality, rng: random.Random) -> None:
    """Damage and short scans, on items their evidence alone decides (step 1)."""
    h = loc.habits
    for it in loc.items:
        alone = it.first == [it.records[0].idx] and it.records[0].in_inventory and not it.multi
        if not alone or len(it.files) != 1 or it.files[0].role != "scan":
            continue
        f = it.files[0]
        x = rng.random()
        if f.path.endswith(".pdf") and x < h.rates["empty"]:
            f.damage = "empty"
        elif f.path.endswith(".pdf") and x < h.rates["empty"] + h.rates["truncated"]:
            f.damage = "truncated"
        elif h.has_sheets and it.records[0].sheets >= 2 and rng.random() < h.rates["short"]:
            sheets = it.records[0].sheets
            f.pages = rng.randint(max(1, sheets // 3), sheets - 1)
            it.short = True


def _check(loc: Locality) -> None:
    """The rule never loses an item's own record: every piece of evidence came from it."""
    for it in loc.items:
        own = it.records[0]
        if own.in_inventory and own.idx not in it.candidates:
            raise AssertionError(f"{loc.habits.unit}: {it.stem} lost its record {own.idx}")
        if not own.in_inventory and it.candidates:
            raise AssertionError(f"{loc.habits.unit}: orphan {it.stem} fits {it.candidates}")
        if not it.stem.strip() or any(part.startswith(".") for part in it.files[0].path.split("/")):
            raise AssertionError(f"{loc.habits.unit}: a name no office writes: {it.files[0].path}")


def _copy_name(path: str, rng: random.Random) -> str:
    folder, _, leaf = path.rpartition("/")
    stem, dot, ext = leaf.rpartition(".")
    forms = (
        f"{stem} (1).{ext}",
        f"{stem} - Copy.{ext}",
        f"Copy of {stem}.{ext}",
        f"{stem} - Bản sao.{ext}",
        f"Ban sao/{stem}.{ext}",
    )
    leaf = rng.choice(forms)
    return f"{folder}/{leaf}" if folder else leaf


def _rescan_name(path: str, rng: random.Random) -> str:
    stem, _, ext = path.rpartition(".")
    return f"{stem}{rng.choice(('_quet lai', ' (scan lai)', '_v2', '_lan2'))}.{ext}"


def _extras(loc: Locality, rng: random.Random) -> None:
    """Byte-identical copies and rescans, of linked single-file scans only."""
    h = loc.habits
    for it in loc.items:
        if not _decided(it) or it.damaged or len(it.files) != 1 or it.files[0].role != "scan":
            continue
        f = it.files[0]
        if rng.random() < h.rates["copy"]:
            it.files.append(ScanFile(_copy_name(f.path, rng), f.pages, role="copy"))
        elif not it.short and rng.random() < h.rates["rescan"]:
            it.files.append(ScanFile(_rescan_name(f.path, rng), f.pages, role="rescan"))


def _write_scans(loc: Locality, root: Path, ident: str) -> None:
    h = loc.habits
    for it in loc.items:
        original = b""
        for f in it.files:
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            tag = f"{ident}/{f.path}"
            if f.role == "copy":
                data = original
            elif f.path.endswith(".jpg"):
                data = scanfiles.jpeg(tag, h.dpi)
            elif f.path.endswith(".tif"):
                data = scanfiles.tiff(f.pages, tag, h.dpi)
            else:
                data = scanfiles.pdf(f.pages, tag, h.producer, h.image_mode, h.dpi)
            if f.damage == "empty":
                data = b""
            elif f.damage == "truncated":
                data = scanfiles.truncated(data)
            if f.role == "scan" and not original:
                original = data
            target.write_bytes(data)


def _write_logs(loc: Locality, root: Path) -> None:
    """Each day's scanning log, in the day's folder, as the station exported it."""
    for folder, rows in loc.logs.items():
        b: Batch = loc.log_batches[folder]
        heads = log_heads(b)
        ext = {"pdf": ".pdf", "tiff": ".tif", "jpg": ""}[b.fmt]
        cols = [heads["file"]] + sorted({k for r in rows for k in r if not k.startswith("_")})
        cols.append(heads["pages"])
        table = []
        for r in rows:
            item = loc.log_items.get(id(r))
            r = r | {heads["pages"]: str(item.pages) if item else ""}
            name = r["_stem"] + (ext if b.log_name_form != "stem" else "")
            if b.log_name_form == "winpath":
                name = "D:\\SO HOA\\" + folder.replace("/", "\\") + "\\" + name
            table.append([name] + [r.get(c, "") for c in cols[1:]])
        target = root / folder if folder else root
        target.mkdir(parents=True, exist_ok=True)
        if b.log_format == "csv":
            with open(target / "nhat_ky_quet.csv", "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(cols)
                writer.writerows(table)
        else:
            import xlsxwriter

            book = xlsxwriter.Workbook(str(target / "DanhSachFile.xlsx"))
            book.set_properties({"created": dt.datetime(2025, 6, 2, 17, 0)})
            ws = book.add_worksheet("Log")
            for r, row in enumerate([cols, *table]):
                for c, v in enumerate(row):
                    ws.write_string(r, c, str(v))
            book.close()


def _truth(loc: Locality, name: str) -> tuple[list[dict], list[dict]]:
    h = loc.habits
    by_idx = {r.idx: r for r in loc.records}
    taken = {it.candidates[0]: it for it in loc.items if _decided(it)}
    tied = {c for it in loc.items if len(it.candidates) > 1 for c in it.candidates}
    own = {r.idx: it for it in loc.items for r in it.records}
    recs, files = [], []
    for r in loc.records:
        it = own.get(r.idx)
        keying = it.keying if it else loc.would_be.get(r.idx, "")
        injected = ""
        if r.repeat_of is not None:
            status, injected = "duplicate_entry", "repeat_row"
            keying = loc.would_be.get(r.repeat_of, "") or (
                own[r.repeat_of].keying if r.repeat_of in own else ""
            )
        elif r.idx in taken:
            t = taken[r.idx]
            fit = r.sheets <= t.pages <= 2 * r.sheets
            if t.damaged:
                status, injected = "damaged_scan", "damaged_scan"
            elif h.has_sheets and not fit:
                status, injected = "page_mismatch", "short_scan" if t.short else ""
            else:
                status = "digitized"
        elif r.idx in tied:
            status = "needs_review"
        else:
            status, injected = "missing", "missing" if r.idx in set(loc.would_be) else ""
        paths = [f.path for f in it.files if f.role != "copy"] if it else []
        recs.append(
            {
                "locality": name,
                "source_file": r.source_file,
                "source_sheet": r.source_sheet,
                "source_row": r.source_row,
                "record_code": r.code,
                "title": r.title,
                "expected_status": status,
                "injected": injected,
                "true_paths": "|".join(paths),
                "keying": keying,
            }
        )
    for it in loc.items:
        files += _file_rows(it, name, by_idx)
    return recs, files


def _file_rows(it: Item, name: str, by_idx: dict) -> list[dict]:
    rec = it.records[0]
    out = []
    for f in it.files:
        source = rec
        if not rec.in_inventory:
            status, injected, source = "orphan", "orphan", None
        elif len(it.candidates) != 1:
            status, injected = "needs_review", "tie"
        elif f.damage:
            status, injected = ("empty" if f.damage == "empty" else "corrupt"), f.damage
        elif f.role == "copy":
            status, injected = "duplicate", "copy"
        else:
            status = "matched"
            split = "split" if len(it.files) > 1 else ""
            injected = {"rescan": "rescan", "part": "components", "page": ""}.get(f.role, split)
        out.append(
            {
                "locality": name,
                "path": f.path,
                "expected_status": status,
                "source_file": source.source_file if source else "",
                "source_sheet": source.source_sheet if source else "",
                "source_row": source.source_row if source else "",
                "injected": injected,
                "keying": it.keying,
            }
        )
    return out


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def generate(
    out_dir: str | Path, seed: int, records_per_locality: int, localities: int = 5
) -> Path:
    """Write the province under ``out_dir`` and return its ``project.toml``."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    units = random.Random(f"wardgen-units-{seed}").sample(UNITS, localities)
    lines = ['title = "Kiểm tra số hóa - wardgen"', 'province = "Khánh Hòa"', ""]
    all_recs: list[dict] = []
    all_files: list[dict] = []
    habits = []
    for i, unit in enumerate(units):
        h = draw(seed, i, unit)
        rng = random.Random(f"wardgen-{seed}-{i}")
        loc = build(h, records_per_locality, rng)
        set_notes(loc, rng)
        live = [r for r in loc.records if r.repeat_of is None]
        label(live, loc.items, h.has_sheets)
        _inject(loc, rng)
        label(live, loc.items, h.has_sheets)
        _check(loc)
        _extras(loc, rng)
        slug = _slug(h.unit)
        root = out / slug / "so-hoa"
        root.mkdir(parents=True)
        (out / slug / "muc-luc").mkdir()
        _write_scans(loc, root, f"{seed}-{slug}")
        _write_logs(loc, root)
        inv = inventory.write(h, loc.records, out / slug / "muc-luc", f"{slug}/muc-luc")
        recs, files = _truth(loc, h.unit)
        all_recs += recs
        all_files += files
        habits.append(h.as_json())
        lines += [
            "[[locality]]",
            f"name = {_toml(h.unit)}",
            f"code = {_toml(h.code)}",
            f"inventories = {_toml(inv)}",
            f"scan_roots = [{_toml(slug + '/so-hoa')}]",
        ]
        if h.mapped:
            lines.append("[locality.columns]")
            lines += [f"{k} = {_toml(v)}" for k, v in sorted(h.mapped.items())]
        lines.append("")
    project = out / "project.toml"
    project.write_text("\n".join(lines), encoding="utf-8")
    truth = out / "ground_truth"
    truth.mkdir()
    _write_csv(truth / "records.csv", RECORD_COLUMNS, all_recs)
    _write_csv(truth / "files.csv", FILE_COLUMNS, all_files)
    (truth / "habits.json").write_text(
        json.dumps(habits, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return project


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
