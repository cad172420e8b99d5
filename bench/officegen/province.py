"""A province of several localities: files, project.toml and ground truth."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import unicodedata
from pathlib import Path

from . import habits as habits_mod
from . import inventory
from .locality import Built, build, write_scans, write_sidecars
from .vocab import LOCALITIES

RECORD_COLUMNS = (
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
)
FILE_COLUMNS = (
    "locality",
    "path",
    "expected_status",
    "injected",
    "source_file",
    "source_sheet",
    "source_row",
    "keying",
)


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join(text.split())


def _deal(rng: random.Random, localities: int) -> list[list[str]]:
    """Generic conventions dealt round a shuffled deck, so a province covers most of them."""
    deck = list(habits_mod.GENERIC)
    rng.shuffle(deck)
    hands: list[list[str]] = []
    pos = 0
    for _ in range(localities):
        size = rng.choice((2, 2, 3))
        hand: list[str] = []
        while len(hand) < size:
            card = deck[pos % len(deck)]
            pos += 1
            if card not in hand:
                hand.append(card)
        hands.append(hand)
    return hands


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _truth_rows(
    name: str, source: str, built: Built
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    where = {row.record: row for row in built.rows if not row.repeat}
    paths: dict[int, list[str]] = {}
    for f in built.files:
        if f.record is not None and f.status != "duplicate":
            paths.setdefault(f.record, []).append(f.path)
    records = []
    for row in built.rows:
        r = built.records[row.record]
        status = "duplicate_entry" if row.repeat else built.status[row.record]
        injected = "repeat" if row.repeat else built.injected[row.record]
        records.append(
            {
                "locality": name,
                "source_file": source,
                "source_sheet": _sheet(row, built),
                "source_row": str(row.source_row),
                "record_code": r.code,
                "title": r.title,
                "expected_status": status,
                "injected": injected,
                "true_paths": "" if row.repeat else "|".join(paths.get(row.record, [])),
                "keying": built.conventions[row.record],
            }
        )
    files = []
    for f in built.files:
        at: inventory.Row | None = where.get(f.record) if f.record is not None else None
        files.append(
            {
                "locality": name,
                "path": f.path,
                "expected_status": f.status,
                "injected": f.injected,
                "source_file": source if at else "",
                "source_sheet": _sheet(at, built) if at else "",
                "source_row": str(at.source_row) if at else "",
                "keying": f.keying,
            }
        )
    return records, files


def _sheet(row: inventory.Row, built: Built) -> str:
    return built.sheet_names.get(row.sheet, row.sheet)


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def generate(
    out_dir: str | Path, seed: int, records_per_locality: int, localities: int = 5
) -> Path:
    """Write a labelled province under ``out_dir``; returns its project file."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    (out / "ground_truth").mkdir(parents=True)
    rng = random.Random(f"officegen:{seed}")
    places = rng.sample(LOCALITIES, localities)
    hands = _deal(rng, localities)
    project = [
        f"title = {_toml(f'Kiểm tra số hóa tài liệu lưu trữ (officegen, seed {seed})')}",
        'province = "Khánh Hòa"',
        "",
    ]
    all_records: list[dict[str, str]] = []
    all_files: list[dict[str, str]] = []
    described: dict[str, object] = {}
    for (name, code), hand in zip(places, hands):
        slug = _slug(name)
        local = random.Random(f"officegen:{seed}:{slug}")
        habits, ctx, built = build(local, name, records_per_locality, hand)
        heads, overrides = inventory.headings(habits, local)
        sheets = inventory.build_sheets(built.records, built.rows, habits, heads, name, local)
        # the truth names a sheet as the workbook holds it (31 characters at most; none in CSV)
        built.sheet_names = {
            row.sheet: ("" if habits.inv_format == "csv" else (row.sheet or "Mục lục")[:31])
            for row in built.rows
        }
        inv_path = inventory.write_inventory(out / "inventories" / slug, sheets, habits, local)
        root = out / "scans" / slug
        root.mkdir(parents=True, exist_ok=True)
        write_scans(root, built, habits, local, f"{seed:04x}{len(all_files):06x}")
        write_sidecars(root, built.scans, habits, local)
        source = inv_path.relative_to(out).as_posix()
        recs, files = _truth_rows(name, source, built)
        all_records += recs
        all_files += files
        project += [
            "[[locality]]",
            f"name = {_toml(name)}",
            *([f"code = {_toml(code)}"] if code else []),
            f"inventories = [{_toml(source)}]",
            f"scan_roots = [{_toml(root.relative_to(out).as_posix())}]",
        ]
        if overrides:
            project += [
                "[locality.columns]",
                *(f"{k} = {_toml(v)}" for k, v in sorted(overrides.items())),
            ]
        project.append("")
        described[name] = {
            "conventions": sorted(set(built.conventions)),
            "columns": sorted(habits.columns),
            "headings": heads,
            "inventory": [
                habits.inv_format,
                habits.csv_encoding if habits.inv_format == "csv" else "",
            ],
            "numbering": habits.numbering,
            "code_form": habits.code_form,
            "dates_form": habits.dates_form,
            "folders": habits.folder,
            "styles": habits.style,
            "typing": {k: vars(v) for k, v in habits.typing.items()},
            "rates": habits.rates,
        }
    (out / "project.toml").write_text("\n".join(project), encoding="utf-8")
    _write_csv(out / "ground_truth" / "records.csv", RECORD_COLUMNS, all_records)
    _write_csv(out / "ground_truth" / "files.csv", FILE_COLUMNS, all_files)
    (out / "ground_truth" / "habits.json").write_text(
        json.dumps(described, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return out / "project.toml"
