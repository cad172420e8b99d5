"""The run contract: the tables and ``run.json`` an audit writes, and the only code that writes
or reads them. Reports, notebooks and other systems depend on these names: add columns freely,
never rename or drop one.

``DIR/records.{csv,parquet}``   one row per inventory data row (RECORD_COLUMNS)
``DIR/files.{csv,parquet}``     one row per scan file under the roots (FILE_COLUMNS)
``DIR/inventory_issues.csv``    every located inventory problem (ISSUE_COLUMNS)
``DIR/candidates.csv``          review candidates, scan and record side by side
``DIR/ignored_files.csv``       sidecars and system files under the roots, with the reason
``DIR/scan_problems.csv``       folders and links the walker could not or would not enter
``DIR/history.csv``             the project's audits up to this one, per locality (history.py)
``DIR/forecast.csv``            pace and forecast per locality against the deadline
``DIR/run.json``                version, parameters, input digests, counts, fingerprint

Tables are written atomically, and ``run.json`` last: it holds each table's SHA-256, so a reader
can tell a complete run from one interrupted between two tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .i18n import t
from .inventory.issues import ISSUE_COLUMNS
from .reconcile import CANDIDATE_COLUMNS, FILE_STATUSES, RECORD_STATUSES

RECORD_COLUMNS = [
    "locality", "source_file", "source_sheet", "source_row", "record_code", "box", "file_no",
    "title", "year_start", "year_end", "sheets", "status", "file_path", "match_method",
    "match_score", "note",
    # additions beyond the minimum contract
    "stt", "title_original", "dates_raw", "retention", "notes", "encoding", "duplicate_of",
    "pages", "tthc", "hidden", "date_start", "date_end", "original_cells",
]
FILE_COLUMNS = [
    "locality", "path", "size", "mtime", "xxh3_128", "sha256", "format", "pages", "status",
    "record_code", "source_row",
    # additions beyond the minimum contract
    "root", "source_file", "source_sheet", "match_method", "match_score", "note", "item",
    "duplicate_of", "integrity", "integrity_note", "dpi", "color_mode", "inode",
]
IGNORED_COLUMNS = ["locality", "root", "path", "role", "size", "xxh3_128", "reason"]
PROBLEM_COLUMNS = ["locality", "root", "path", "problem"]
HISTORY_COLUMNS = ["run_id", "as_of", "locality", "excluded", "records", "digitized",
                   "tthc_records", "tthc_digitized", "pages_expected", "pages_scanned",
                   "pages_to_scan", "files"]
FORECAST_COLUMNS = ["locality", "as_of", "runs", "records", "digitized", "completion",
                    "remaining", "pace", "forecast", "earliest", "latest", "days_vs_deadline",
                    "pages_to_scan", "working_days", "budget", "note", "will_miss_deadline",
                    "tthc_completion", "tthc_remaining"]
TABLES = ("records", "files", "inventory_issues", "candidates", "ignored_files", "scan_problems",
          "history", "forecast")
TABLE_COLUMNS = {
    "records": RECORD_COLUMNS, "files": FILE_COLUMNS, "inventory_issues": ISSUE_COLUMNS,
    "candidates": CANDIDATE_COLUMNS, "ignored_files": IGNORED_COLUMNS,
    "scan_problems": PROBLEM_COLUMNS, "history": HISTORY_COLUMNS, "forecast": FORECAST_COLUMNS,
}
PARQUET_TABLES = ("records", "files")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def digest_rows(rows: Iterable[Iterable[object]]) -> str:
    """A SHA-256 over rows of values, independent of how they are later stored."""
    h = hashlib.sha256()
    for row in rows:
        h.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def _conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = TABLE_COLUMNS[name]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name} lacks contract columns {missing}")
    return frame[columns].reset_index(drop=True)


def write_run(out: Path, tables: dict[str, pd.DataFrame], meta: dict[str, Any]) -> dict[str, Any]:
    """Write the run: every table into a staging folder first, then renamed into ``out``.

    A crash or Ctrl-C while tables are written (the slow part) leaves ``out`` untouched; the
    renames that follow take microseconds, and ``run.json`` comes last with every table's
    digest, so :meth:`Run.verify_tables` tells a complete run from one cut between renames.
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        digests: dict[str, str] = {}
        for name in TABLES:
            frame = _conform(name, tables[name])
            frame.to_csv(staging / f"{name}.csv", index=False, encoding="utf-8")
            digests[f"{name}.csv"] = sha256_file(staging / f"{name}.csv")
            if name in PARQUET_TABLES:
                frame.to_parquet(staging / f"{name}.parquet", index=False)
                digests[f"{name}.parquet"] = sha256_file(staging / f"{name}.parquet")
        meta = {**meta, "tables": digests}
        (staging / "run.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        for name in [*digests, "run.json"]:
            os.chmod(staging / name, 0o644)
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return meta


@dataclass
class Run:
    """A run read back: its metadata and tables (each read once, on first use; callers treat
    them as read-only and derive new frames)."""

    path: Path
    meta: dict[str, Any]
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def table(self, name: str) -> pd.DataFrame:
        """A table of the run; empty (with its columns) if the run predates that table."""
        if name not in self._tables:
            self._tables[name] = self._read(name)
        return self._tables[name]

    def _read(self, name: str) -> pd.DataFrame:
        if name in PARQUET_TABLES and (self.path / f"{name}.parquet").exists():
            return pd.read_parquet(self.path / f"{name}.parquet")
        if not (self.path / f"{name}.csv").exists():
            return pd.DataFrame(columns=TABLE_COLUMNS.get(name, []))
        return pd.read_csv(self.path / f"{name}.csv", dtype=str, keep_default_na=False)

    @property
    def records(self) -> pd.DataFrame:
        return self.table("records")

    @property
    def files(self) -> pd.DataFrame:
        return self.table("files")

    def verify_tables(self) -> list[str]:
        """Tables whose bytes differ from the digests in run.json (empty when intact)."""
        return [name for name, digest in self.meta.get("tables", {}).items()
                if not (self.path / name).exists() or sha256_file(self.path / name) != digest]


def load_run(path: str | Path) -> Run:
    path = Path(path)
    meta_path = path / "run.json"
    if not meta_path.exists():
        from .errors import KhauditError

        raise KhauditError(t("err.run.none", path=path))
    return Run(path=path, meta=json.loads(meta_path.read_text(encoding="utf-8")))


def status_counts(frame: pd.DataFrame, statuses: tuple[str, ...]) -> dict[str, int]:
    counts = frame["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in statuses}


__all__ = ["RECORD_COLUMNS", "FILE_COLUMNS", "RECORD_STATUSES", "FILE_STATUSES", "Run",
           "load_run", "write_run"]
