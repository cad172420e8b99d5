"""Run against run: records whose status moved, scan files added, removed, changed, moved;
the `khaudit compare` command and its CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from khaudit.cli import cli
from khaudit.compare import compare
from khaudit.run import TABLE_COLUMNS, write_run


def _run(out: Path, run_id: str, records: list[tuple], files: list[tuple]) -> Path:
    """A run with records (row, code, status) and files (path, hash) of one locality."""
    tables = {
        "records": pd.DataFrame(
            [
                {
                    "locality": "Xã A",
                    "source_file": "muc-luc.xlsx",
                    "source_sheet": "S",
                    "source_row": row,
                    "record_code": code,
                    "title": f"Hồ sơ {code}",
                    "status": status,
                }
                for row, code, status in records
            ]
        ),
        "files": pd.DataFrame(
            [
                {"locality": "Xã A", "root": "scans", "path": path, "xxh3_128": digest}
                for path, digest in files
            ]
        ),
    }
    for name, columns in TABLE_COLUMNS.items():
        frame = tables.get(name, pd.DataFrame(columns=columns))
        for column in columns:
            if column not in frame.columns:
                frame[column] = ""
        tables[name] = frame
    meta = {"run_id": run_id, "fingerprint": "0" * 64, "localities": [{"name": "Xã A"}]}
    write_run(out, tables, meta)
    return out


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    a = _run(
        tmp_path / "a",
        "run-a",
        [(2, "C1", "missing"), (3, "C2", "digitized"), (4, "C3", "missing"), (5, "C4", "missing")],
        [("x/C2.pdf", "h2"), ("x/old.pdf", "h9"), ("x/C5.pdf", "h5"), ("x/gone.pdf", "h7")],
    )
    b = _run(
        tmp_path / "b",
        "run-b",
        [
            (2, "C1", "digitized"),
            (3, "C2", "digitized"),
            (4, "C3", "needs_review"),
            (6, "C6", "missing"),
        ],
        [("x/C2.pdf", "h2"), ("y/renamed.pdf", "h9"), ("x/C5.pdf", "h5-new"), ("x/C1.pdf", "h1")],
    )
    return a, b


def test_records_that_moved_and_files_that_changed(tmp_path):
    a, b = _pair(tmp_path)
    result = compare(a, b)
    moved = {(r.source_row, r.status_a, r.status_b) for r in result.records.itertuples()}
    assert moved == {
        ("2", "missing", "digitized"),
        ("4", "missing", "needs_review"),
        ("5", "missing", ""),  # a row gone from the inventory
        ("6", "", "missing"),  # a row new in the inventory
    }
    kinds = {(r.kind, r.path, r.other_path) for r in result.files.itertuples()}
    assert kinds == {
        ("moved", "x/old.pdf", "y/renamed.pdf"),
        ("changed", "x/C5.pdf", ""),
        ("added", "x/C1.pdf", ""),
        ("removed", "x/gone.pdf", ""),
    }
    assert result.file_counts() == {"added": 1, "removed": 1, "changed": 1, "moved": 1}
    transitions = result.transitions()
    assert transitions["records"].sum() == 4


def test_compare_command_prints_in_the_language_and_writes_the_csv(tmp_path):
    a, b = _pair(tmp_path)
    out = tmp_path / "changes.csv"
    result = CliRunner().invoke(cli, ["compare", str(a), str(b), "--out", str(out), "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert "Chưa có bản quét" in result.output and "Đã số hóa" in result.output
    assert "di chuyển" in result.output  # the moved file, in words
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8
    assert {r["kind"] for r in rows} == {"status", "moved", "changed", "added", "removed"}
    english = CliRunner().invoke(cli, ["compare", str(a), str(b), "--lang", "en"])
    assert "Missing" in english.output or "missing" in english.output.lower()
    assert "moved" in english.output


def test_compare_never_writes_into_a_run(tmp_path):
    a, b = _pair(tmp_path)
    before = sorted(p.name for p in a.iterdir())
    result = CliRunner().invoke(cli, ["compare", str(a), str(b), "--out", str(a / "c.csv")])
    assert result.exit_code == 2
    assert "never writes into a run" in result.output
    assert sorted(p.name for p in a.iterdir()) == before
