"""A province of several localities, its project file and its truth."""

from __future__ import annotations

import csv
import json
import random
import shutil
from dataclasses import asdict
from pathlib import Path

from . import habits as habits_mod
from .locality import LocalityOutput, build_locality
from .vocab import LOCALITIES

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
    "injected",
    "source_file",
    "source_sheet",
    "source_row",
    "keying",
]


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _project(outputs: list[LocalityOutput], seed: int) -> str:
    lines = [
        f"title = {_q(f'Kiểm tra số hóa tài liệu lưu trữ (fondsgen, seed {seed})')}",
        f"province = {_q('Khánh Hòa')}",
    ]
    for out in outputs:
        lines += ["", "[[locality]]", f"name = {_q(out.name)}", f"code = {_q(out.code)}"]
        lines.append(f"inventories = [{', '.join(_q(p) for p in out.inventories)}]")
        lines.append(f"scan_roots = [{_q(out.scan_root)}]")
        if out.sidecar:
            lines.append(f"sidecar = {_q(out.sidecar)}")
        if out.columns:
            lines.append("[locality.columns]")
            lines += [f"{k} = {_q(v)}" for k, v in out.columns.items()]
    return "\n".join(lines) + "\n"


def _csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(
    out_dir: str | Path, seed: int, records_per_locality: int, localities: int = 5
) -> Path:
    """Write a labelled province into ``out_dir`` (replaced if it exists); return its
    project file. The same seed writes the same bytes."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(f"fondsgen/{seed}")
    outputs: list[LocalityOutput] = []
    drawn = {}
    for name, code in rng.sample(LOCALITIES, localities):
        local = random.Random(rng.getrandbits(64))
        habits = habits_mod.draw(local)
        outputs.append(build_locality(local, out, name, code, records_per_locality, habits))
        drawn[name] = asdict(habits)
    project = out / "project.toml"
    project.write_text(_project(outputs, seed), encoding="utf-8")
    truth = out / "ground_truth"
    truth.mkdir()
    _csv(truth / "records.csv", RECORD_COLUMNS, [r for o in outputs for r in o.records])
    _csv(truth / "files.csv", FILE_COLUMNS, [f for o in outputs for f in o.files])
    (truth / "habits.json").write_text(
        json.dumps(drawn, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return project
