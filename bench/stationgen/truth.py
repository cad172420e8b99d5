"""``ground_truth/``: records.csv and files.csv as ``khaudit score`` reads them, habits.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Locality

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


def write_truth(folder: Path, localities: list[Locality]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "records.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, RECORD_COLUMNS)
        writer.writeheader()
        for loc in localities:
            writer.writerows(loc.record_rows)
    with open(folder / "files.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FILE_COLUMNS)
        writer.writeheader()
        for loc in localities:
            writer.writerows(loc.file_rows)
    habits = {loc.name: loc.habits_json for loc in localities}
    (folder / "habits.json").write_text(json.dumps(habits, ensure_ascii=False, indent=1), "utf-8")
