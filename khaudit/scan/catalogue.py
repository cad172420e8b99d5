"""The scan of a locality: every file under its roots, hashed and inspected, as one table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..executor import parallel_map
from .inspect import inspect_file
from .walk import WalkedFile, WalkProblem, walk_root

#: Columns of a scan table (the scan half of files.csv, before matching adds its verdicts).
SCAN_COLUMNS = [
    "locality", "root", "path", "role", "size", "mtime", "inode", "xxh3_128", "sha256", "format",
    "pages", "dpi", "color_mode", "integrity", "integrity_note",
]


@dataclass
class ScanResult:
    files: pd.DataFrame
    problems: list[WalkProblem] = field(default_factory=list)


def _inspect(item: tuple[str, bool]) -> dict[str, object]:
    path, sha256 = item
    return inspect_file(path, sha256=sha256).as_dict()


def scan_roots(
    locality: str, roots: list[Path], sha256: bool = False, workers: int = 0
) -> ScanResult:
    """Walk and inspect every file under ``roots``; the trees are only ever read."""
    problems: list[WalkProblem] = []
    walked: list[WalkedFile] = [w for root in roots for w in walk_root(root, problems)]
    facts = parallel_map(
        _inspect, [(w.abspath, sha256) for w in walked], workers=workers,
        desc=f"scan {locality}", unit="file",
    )
    rows = []
    for w, f in zip(walked, facts):
        rows.append({"locality": locality, "root": str(w.root),
                     "path": w.relpath, "role": w.role, **f})
    frame = pd.DataFrame(rows, columns=SCAN_COLUMNS)
    frame["pages"] = frame["pages"].astype("Int64")
    frame["dpi"] = frame["dpi"].astype("Int64")
    return ScanResult(files=frame, problems=problems)

