"""The run contract: the tables and ``run.json`` an audit writes, and the only code that writes
or reads them. Reports, notebooks and other systems depend on these names: add columns freely,
never rename or drop one.

``DIR/records.{csv,parquet}``   one row per inventory data row (RECORD_COLUMNS)
``DIR/files.{csv,parquet}``     one row per scan file under the roots (FILE_COLUMNS)
``DIR/inventory_issues.csv``    every located inventory problem (ISSUE_COLUMNS)
``DIR/candidates.csv``          review candidates, scan and record side by side
``DIR/ignored_files.csv``       sidecars and system files under the roots, with the reason
``DIR/scan_problems.csv``       folders and links the walker could not or would not enter
``DIR/scan_changes.csv``        scan files changed, moved or deleted since the last audit
``DIR/history.csv``             the project's audits up to this one, per locality (history.py)
``DIR/forecast.csv``            pace and forecast per locality against the deadline
``DIR/run.json``                version, parameters, input digests, counts, fingerprint

Tables are written atomically, and ``run.json`` last: it holds each table's SHA-256, so a reader
can tell a complete run from one interrupted between two tables.

The CSV tables are opened by people in spreadsheets: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a CR (a formula to Excel or LibreOffice) is written with a leading
apostrophe, and so is a cell already starting with apostrophes before one of those, so
:func:`unescape_cell` gives back the exact text. The Parquet tables keep the exact text.

A run is written only where it cannot be mistaken for input: :func:`check_out` refuses an
output folder inside a scan root (the next audit would read the run as scans and sidecars) and
a non-empty folder that is not a khaudit run (its files would be overwritten).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .contract import FILE_STATUSES, RECORD_STATUSES, true_column
from .errors import KhauditError
from .i18n import t
from .inventory.issues import ISSUE_COLUMNS

RECORD_COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "box",
    "file_no",
    "title",
    "year_start",
    "year_end",
    "sheets",
    "status",
    "file_path",
    "match_method",
    "match_score",
    "note",
    # additions beyond the minimum contract
    "stt",
    "title_original",
    "dates_raw",
    "retention",
    "notes",
    "encoding",
    "duplicate_of",
    "pages",
    "tthc",
    "hidden",
    "date_start",
    "date_end",
    "original_cells",
    "quality",
    "address",
    "receiver",
    "receiver_code",
    "zoning_basis",
    "zoning_note",
    "other_numbers",
]
FILE_COLUMNS = [
    "locality",
    "path",
    "size",
    "mtime",
    "xxh3_128",
    "sha256",
    "format",
    "pages",
    "status",
    "record_code",
    "source_row",
    # additions beyond the minimum contract
    "root",
    "source_file",
    "source_sheet",
    "match_method",
    "match_score",
    "note",
    "item",
    "duplicate_of",
    "integrity",
    "integrity_note",
    "dpi",
    "color_mode",
    "inode",
    "pdfa",
    "quality",
    "text_source",
    "content_match",
    "content_verdict",
]
#: Review candidates and hints, scan and record side by side (reconcile.py writes them).
CANDIDATE_COLUMNS = [
    "locality",
    "path",
    "xxh3_128",
    "candidate_rank",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "match_method",
    "candidate_score",
    "explanation",
    "provenance",
    "candidate_kind",
]
IGNORED_COLUMNS = ["locality", "root", "path", "role", "size", "xxh3_128", "reason"]
PROBLEM_COLUMNS = ["locality", "root", "path", "problem"]
#: What the scan catalogue saw change since the previous completed audit of the same roots:
#: kind is changed (same path, other content: xxh3_128 is the old hash), moved (to other_path,
#: same content) or deleted. History, not state: re-running from a fresh catalogue lists none.
CHANGE_COLUMNS = [
    "locality",
    "root",
    "kind",
    "path",
    "other_path",
    "xxh3_128",
    "scan_id",
    "scanned_at",
]
HISTORY_COLUMNS = [
    "run_id",
    "as_of",
    "locality",
    "excluded",
    "records",
    "digitized",
    "tthc_records",
    "tthc_digitized",
    "pages_expected",
    "pages_scanned",
    "pages_to_scan",
    "files",
]
FORECAST_COLUMNS = [
    "locality",
    "as_of",
    "runs",
    "records",
    "digitized",
    "completion",
    "remaining",
    "pace",
    "forecast",
    "earliest",
    "latest",
    "days_vs_deadline",
    "pages_to_scan",
    "working_days",
    "budget",
    "note",
    "will_miss_deadline",
    "tthc_completion",
    "tthc_remaining",
]
TABLES = (
    "records",
    "files",
    "inventory_issues",
    "candidates",
    "ignored_files",
    "scan_problems",
    "scan_changes",
    "history",
    "forecast",
)
TABLE_COLUMNS = {
    "records": RECORD_COLUMNS,
    "files": FILE_COLUMNS,
    "inventory_issues": ISSUE_COLUMNS,
    "candidates": CANDIDATE_COLUMNS,
    "ignored_files": IGNORED_COLUMNS,
    "scan_problems": PROBLEM_COLUMNS,
    "scan_changes": CHANGE_COLUMNS,
    "history": HISTORY_COLUMNS,
    "forecast": FORECAST_COLUMNS,
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


#: Columns of the Parquet tables that are not text, with their pandas type. Every piece of a
#: table is cast to these (text to str), so the pieces written by different localities share
#: one schema whatever each locality happened to hold (an all-empty column is still text).
COLUMN_TYPES: dict[str, dict[str, str]] = {
    "records": {
        "source_row": "Int64",
        "box": "Int64",
        "file_no": "Int64",
        "year_start": "Int64",
        "year_end": "Int64",
        "sheets": "Int64",
        "match_score": "float64",
        "pages": "Int64",
        "tthc": "bool",
        "hidden": "bool",
    },
    "files": {
        "size": "Int64",
        "mtime": "float64",
        "pages": "Int64",
        "source_row": "Int64",
        "match_score": "float64",
        "dpi": "Int64",
        "inode": "Int64",
        "content_match": "float64",
    },
}


_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def escape_cell(value: object) -> object:
    """A text cell a spreadsheet will not run as a formula (see the module docstring)."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """The exact text of a cell written by :func:`escape_cell`."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value, 1) else value


def for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell escaped (numbers and booleans are left as they are)."""
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)
    ]
    if not text:
        return frame
    return frame.assign(**{c: frame[c].map(escape_cell) for c in text})


def _typed(values: pd.Series, dtype: str) -> pd.Series:
    """``values`` as ``dtype``; text read back from a CSV ("" for missing, "True") included."""
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(dtype)
    if dtype == "bool":
        return true_column(values)
    blank = values.isna() | (values.astype(str).str.strip() == "")
    numbers = pd.to_numeric(values.where(~blank, None), errors="raise")
    return numbers.astype(dtype)


def _conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = TABLE_COLUMNS[name]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name} lacks contract columns {missing}")
    frame = frame[columns].reset_index(drop=True)
    if name not in COLUMN_TYPES:
        return frame
    types = COLUMN_TYPES[name]
    out = {}
    for column in columns:
        values = frame[column]
        if column in types:
            out[column] = _typed(values, types[column])
        else:
            out[column] = pd.Series(
                [
                    None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)
                    for v in values
                ],
                dtype=object,
            )
    return pd.DataFrame(out)


class RunWriter:
    """A run written a piece at a time: each locality's rows are appended as they come (one
    Parquet row group per piece, CSV appended), so writing a province never holds all its
    rows at once. Everything goes to a staging folder; :meth:`commit` renames it into place
    with ``run.json`` last (see :func:`write_run`), :meth:`abort` leaves ``out`` as it was.
    """

    def __init__(
        self,
        out: Path,
        scan_roots: Iterable[str | Path] = (),
        inventory_patterns: Iterable[str] = (),
    ):
        self.out = Path(out)
        check_out(self.out, scan_roots, inventory_patterns)
        self._created = not self.out.exists()  # an aborted first run leaves no empty folder
        self.out.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out))
        self._parquet: dict[str, Any] = {}
        self._started: set[str] = set()

    def add(self, name: str, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame = _conform(name, frame)
        first = name not in self._started
        self._started.add(name)
        # CRLF rows, as spreadsheets write them: a cell holding a CR or LF is then quoted
        # (with LF rows, Python's csv leaves a bare CR unquoted and the row breaks on reading).
        for_spreadsheet(frame).to_csv(
            self.staging / f"{name}.csv",
            index=False,
            encoding="utf-8",
            mode="w" if first else "a",
            header=first,
            lineterminator="\r\n",
        )
        if name in PARQUET_TABLES:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if name not in self._parquet:
                schema = table.schema.with_metadata(table.schema.metadata)
                for i, field_ in enumerate(schema):
                    if pa.types.is_null(field_.type):  # all empty in this piece: text
                        schema = schema.set(i, pa.field(field_.name, pa.string()))
                self._parquet[name] = pq.ParquetWriter(self.staging / f"{name}.parquet", schema)
            writer = self._parquet[name]
            writer.write_table(table.cast(writer.schema))

    def commit(self, meta: dict[str, Any]) -> dict[str, Any]:
        try:
            for name in TABLES:
                if name not in self._started:
                    self.add(name, pd.DataFrame(columns=TABLE_COLUMNS[name]))
            for writer in self._parquet.values():
                writer.close()
            digests: dict[str, str] = {}
            for name in TABLES:
                for suffix in ("csv", "parquet") if name in PARQUET_TABLES else ("csv",):
                    digests[f"{name}.{suffix}"] = sha256_file(self.staging / f"{name}.{suffix}")
            meta = {**meta, "tables": digests}
            (self.staging / "run.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
            for name in [*digests, "run.json"]:
                os.chmod(self.staging / name, 0o644)
                os.replace(self.staging / name, self.out / name)
        finally:
            self.abort()
        return meta

    def abort(self) -> None:
        for writer in self._parquet.values():
            with contextlib.suppress(Exception):
                writer.close()
        self._parquet.clear()
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._created and self.out.is_dir() and not any(self.out.iterdir()):
            self.out.rmdir()


def is_run(folder: Path) -> bool:
    """Whether ``folder`` holds a run khaudit wrote (its run.json says so)."""
    try:
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    # every run.json RunWriter commits lists its tables with their digests
    return isinstance(meta, dict) and (
        meta.get("tool") == "khaudit" or isinstance(meta.get("tables"), dict)
    )


#: Files a run holds that an inventory pattern could name (its tables; a locality's report).
_RUN_FILES = (*(f"{name}.csv" for name in TABLES), "locality/report.xlsx", "province.xlsx")


def check_out(
    out: Path, scan_roots: Iterable[str | Path] = (), inventory_patterns: Iterable[str] = ()
) -> None:
    """Refuse an output folder inside a scan root (links resolved, either way round), one
    whose files an inventory pattern of the project would name (the next audit would read
    the run's tables as inventory rows), or a non-empty folder that is not a khaudit run:
    KhauditError, one line, nothing written."""
    from .outfile import glob_reaches

    real = Path(os.path.realpath(out))
    for root in scan_roots:
        root_real = Path(os.path.realpath(root))
        if real == root_real or root_real in real.parents or real in root_real.parents:
            raise KhauditError(t("err.out.in_scan_root", out=out, root=root))
    for pattern in inventory_patterns:
        if any(glob_reaches(pattern, real / name) for name in _RUN_FILES):
            raise KhauditError(t("err.out.inventory_pattern", out=out, pattern=pattern))
    if (
        real.is_dir()
        and not is_run(real)
        and any(not entry.name.startswith(".staging-") for entry in os.scandir(real))
    ):
        raise KhauditError(t("err.out.not_a_run", out=out))
    if real.exists() and not real.is_dir():
        raise KhauditError(t("err.out.not_a_folder", out=out))


def fingerprint(source: dict[str, Any]) -> str:
    """The SHA-256 of everything that can change a status, as canonical JSON: two runs with the
    same fingerprint were made by the same version from the same inputs and settings."""
    return hashlib.sha256(json.dumps(source, sort_keys=True).encode("utf-8")).hexdigest()


def run_meta(source: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The content of ``run.json`` but the table digests (:meth:`RunWriter.commit` adds them):
    the tool and version, the fingerprint of ``source`` and its first 16 digits as the run's
    id, then ``fields`` in the order given."""
    digest = fingerprint(source)
    return {
        "tool": "khaudit",
        "version": source["version"],
        "run_id": digest[:16],
        "fingerprint": digest,
        **fields,
    }


def write_locality_run(run: Run, name: str, folder: Path) -> dict[str, Any]:
    """Locality ``name``'s rows of every table of ``run``, written as a run of its own into
    ``folder`` (a new folder); its ``run.json`` keeps the run's fingerprint and id (the
    reports name them) and records the whole run's table digests under ``source_tables``.

    A run of that locality alone already holds exactly its rows (checked against ``run.json``
    by :meth:`Run.verify_tables`): its tables are copied as they are.
    """
    meta = dict(run.meta)
    meta["localities"] = [loc for loc in meta.get("localities", []) if loc.get("name") == name]
    for key in ("counts", "schemes"):
        meta[key] = {k: v for k, v in meta.get(key, {}).items() if k == name}
    meta["inputs"] = [i for i in meta.get("inputs", []) if i.get("locality") == name]
    meta["source_tables"] = meta.get("tables", {})
    meta["bag_locality"] = name
    if {loc.get("name") for loc in run.meta.get("localities", [])} != {name}:
        meta.pop("tables", None)
        tables = {table: run.locality_table(table, name) for table in TABLES}
        return write_run(folder, tables, meta)
    folder.mkdir(parents=True)
    for file in meta["tables"]:
        shutil.copyfile(run.path / file, folder / file)
    (folder / "run.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return meta


def write_run(out: Path, tables: dict[str, pd.DataFrame], meta: dict[str, Any]) -> dict[str, Any]:
    """Write the run: every table into a staging folder first, then renamed into ``out``.

    A crash or Ctrl-C while tables are written (the slow part) leaves ``out`` untouched; the
    renames that follow take microseconds, and ``run.json`` comes last with every table's
    digest, so :meth:`Run.verify_tables` tells a complete run from one cut between renames.
    """
    writer = RunWriter(out)
    try:
        for name in TABLES:
            writer.add(name, tables[name])
    except BaseException:
        writer.abort()
        raise
    return writer.commit(meta)


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

    def locality_table(
        self, name: str, locality: str, columns: list[str] | None = None
    ) -> pd.DataFrame:
        """One locality's rows of a table (only ``columns``, if given). From Parquet only that
        locality's row groups are read (a province run holds one or more per locality), so a
        locality report does not load the province."""
        if (
            name in self._tables
            or name not in PARQUET_TABLES
            or not (self.path / f"{name}.parquet").exists()
        ):
            frame = self.table(name)
            frame = frame[frame["locality"] == locality].reset_index(drop=True)
            return frame if columns is None else frame[columns]
        return pd.read_parquet(
            self.path / f"{name}.parquet",
            columns=columns,
            filters=[("locality", "==", locality)],
        ).reset_index(drop=True)

    def _read(self, name: str) -> pd.DataFrame:
        if name in PARQUET_TABLES and (self.path / f"{name}.parquet").exists():
            return pd.read_parquet(self.path / f"{name}.parquet")
        if not (self.path / f"{name}.csv").exists():
            return pd.DataFrame(columns=TABLE_COLUMNS.get(name, []))
        frame = pd.read_csv(self.path / f"{name}.csv", dtype=str, keep_default_na=False)
        return frame.apply(lambda column: column.map(unescape_cell)) if len(frame) else frame

    @property
    def records(self) -> pd.DataFrame:
        return self.table("records")

    @property
    def files(self) -> pd.DataFrame:
        return self.table("files")

    def verify_tables(self) -> list[str]:
        """Tables whose bytes differ from the digests in run.json (empty when intact)."""
        return [
            name
            for name, digest in self.meta.get("tables", {}).items()
            if not (self.path / name).exists() or sha256_file(self.path / name) != digest
        ]


#: run.json holds the run's parameters, inputs and counts: a few MB for a province at most.
MAX_RUN_JSON_BYTES = 256 << 20


def load_run(path: str | Path) -> Run:
    """The run in folder ``path``; KhauditError, naming the file, when its run.json is not
    there, not a regular file, too large, or not the JSON object an audit writes."""
    from .errors import KhauditError

    path = Path(path)
    meta_path = path / "run.json"
    if not meta_path.exists():
        raise KhauditError(t("err.run.none", path=path))
    try:
        if not meta_path.is_file() or meta_path.stat().st_size > MAX_RUN_JSON_BYTES:
            raise ValueError(t("err.run.not_file"))
        meta = json.loads(meta_path.read_bytes().decode("utf-8"))
        if not isinstance(meta, dict):
            raise ValueError(t("err.run.not_object"))
    except (OSError, ValueError, RecursionError) as exc:
        raise KhauditError(t("err.run.damaged", path=meta_path, error=exc)) from None
    return Run(path=path, meta=meta)


def status_counts(frame: pd.DataFrame, statuses: tuple[str, ...]) -> dict[str, int]:
    counts = frame["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in statuses}


__all__ = [
    "RECORD_COLUMNS",
    "FILE_COLUMNS",
    "RECORD_STATUSES",
    "FILE_STATUSES",
    "Run",
    "check_out",
    "escape_cell",
    "fingerprint",
    "load_run",
    "run_meta",
    "unescape_cell",
    "write_locality_run",
    "write_run",
]
