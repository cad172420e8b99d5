"""An independent labelled province generator: office habits drawn axis by axis.

``generate(out_dir, seed, records_per_locality, localities=5)`` writes a province that
``khaudit audit`` can read (``project.toml``, inventories, scan trees, scanning-tool exports)
and its ground truth (``ground_truth/records.csv`` and ``files.csv`` in the format
``khaudit.evaluate`` reads, plus a ``keying`` column naming the convention that keyed each scan,
and ``ground_truth/habits.json`` with every locality's drawn habits).

Each locality draws its habits independently along many axes (``habits.py``): how scans are keyed
(record code, number inside the code only, number and typed title, number only, title only, box
and file folders or flat names, year folders with numbers or titles, scanner counters with or
without the scanning tool's export, page-series folders, or two of these as an old and a new
batch), how codes, boxes and counters are spelt, which columns the inventory has and how it is
laid out and encoded, the export's format, headings and columns, and the operator's typing
(three noise levels, the office's abbreviations, a title field and a file-name length). Titles
come in families with near-twins (``titles.py``).

Injected, with their expected statuses: dossiers without a scan (``missing``), short scans
(``page_mismatch``; a good scan has between 1 and 2 pages a sheet; only where the inventory has a
sheets column, since nothing else could tell), zero-byte and truncated scans (file ``empty`` /
``corrupt``, record ``damaged_scan``), byte-identical copies (the copy, the name with a copy mark or
in a copy folder, is ``duplicate``; the original stays ``matched``), scans of no inventory row
(``orphan``), rows typed twice (the later one ``duplicate_entry``).

The labelling rule for twins. A scan is linked in the truth to the dossier it was made from, unless
the evidence it carries cannot single that dossier out. Evidence is: a record code, a file number, a
box and file number, a year folder, the scan's position in a counter series without an export
(counters follow the inventory's order, a few neighbours swapped), and the export's code, year and
page count; the scan's own page count when the inventory has a sheets column (a good scan has 1-2
pages a sheet; short and damaged scans give none); and the typed title, which fits a dossier when
every typed word can be read in order from the start of its title (equal after marks and the
abbreviations are undone, one letter off for words of four letters or more, two words run together,
the last word a prefix if the typing was cut; numbers never fuzzy) with no more title words skipped
than the operator dropped, and reaching the title's end unless it was cut. A dossier that another
scan singles out is no longer a candidate (one scan per dossier), applied until nothing changes. A
scan that still fits two or more dossiers is ``needs_review``, and so is its dossier and every other
dossier it fits that no scan singles out. Nothing else is labelled ``needs_review``.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from dataclasses import asdict
from pathlib import Path

from . import habits as habits_mod
from .habits import CONVENTIONS, KEYINGS, Habits
from .locality import LocalityOutput, build_locality
from .vocab import COMMUNES

__all__ = ["CONVENTIONS", "KEYINGS", "generate", "RECORD_STATUSES", "FILE_STATUSES"]

RECORD_STATUSES = (
    "digitized",
    "page_mismatch",
    "damaged_scan",
    "missing",
    "duplicate_entry",
    "needs_review",
)
FILE_STATUSES = ("matched", "orphan", "duplicate", "corrupt", "empty", "needs_review")

_RECORD_COLUMNS = [
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
_FILE_COLUMNS = [
    "locality",
    "path",
    "expected_status",
    "injected",
    "source_file",
    "source_sheet",
    "source_row",
    "keying",
]


def _slug(name: str) -> str:
    from .typist import fold

    return "-".join("".join(c if c.isalnum() else " " for c in fold(name)).split())


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _project_toml(outputs: list[LocalityOutput], seed: int) -> str:
    lines = [
        f"title = {_toml_str(f'Kiểm tra số hóa tài liệu lưu trữ (provgen, seed {seed})')}",
        f"province = {_toml_str('Khánh Hòa')}",
        "",
    ]
    for out in outputs:
        lines += ["[[locality]]", f"name = {_toml_str(out.name)}"]
        if out.code:
            lines.append(f"code = {_toml_str(out.code)}")
        lines.append(f"inventories = [{', '.join(_toml_str(p) for p in out.inventories)}]")
        lines.append(f"scan_roots = [{_toml_str(out.scan_root)}]")
        if out.sidecar:
            lines.append(f"sidecar = {_toml_str(out.sidecar)}")
        if out.columns:
            lines.append("[locality.columns]")
            lines += [f"{k} = {_toml_str(v)}" for k, v in out.columns.items()]
        lines.append("")
    return "\n".join(lines)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def generate(
    out_dir: str | Path,
    seed: int,
    records_per_locality: int,
    localities: int = 5,
    keyings: list[tuple[str, ...]] | None = None,
) -> Path:
    """Write a labelled province into ``out_dir`` (replaced if it exists); return project.toml.

    ``keyings`` forces each locality's scan keying (one tuple per locality, two entries for a
    mixed tree); by default every habit is drawn from ``seed``.
    """
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    communes = rng.sample(COMMUNES, localities)
    outputs: list[LocalityOutput] = []
    for i, (name, code) in enumerate(communes):
        local = random.Random(rng.getrandbits(64))
        forced = keyings[i] if keyings is not None and i < len(keyings) else None
        drawn: Habits = habits_mod.draw(local, forced)
        outputs.append(
            build_locality(local, name, code, _slug(name), records_per_locality, drawn, out)
        )
    project = out / "project.toml"
    project.write_text(_project_toml(outputs, seed), encoding="utf-8")
    truth = out / "ground_truth"
    truth.mkdir()
    _write_csv(truth / "records.csv", _RECORD_COLUMNS, [r for o in outputs for r in o.records])
    _write_csv(truth / "files.csv", _FILE_COLUMNS, [f for o in outputs for f in o.files])
    summary = {
        o.name: {
            k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in asdict(o.habits).items()
        }
        for o in outputs
    }
    (truth / "habits.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return project
