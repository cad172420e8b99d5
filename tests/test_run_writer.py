"""The run written a locality at a time: one schema, one row group per piece, atomic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from khaudit.run import RECORD_COLUMNS, TABLE_COLUMNS, TABLES, RunWriter, load_run


def records(locality: str, n: int, empty_notes: bool) -> pd.DataFrame:
    frame = pd.DataFrame({c: [""] * n for c in RECORD_COLUMNS})
    frame["locality"] = locality
    frame["source_row"] = range(2, n + 2)
    for column in ("file_no", "year_start", "year_end", "pages"):
        frame[column] = pd.array([None] * n, dtype="Int64")
    frame["box"] = pd.array([1] * n, dtype="Int64")
    frame["sheets"] = [5.0] * n  # a float column in this piece; Int64 in the contract
    frame["match_score"] = [None] * n  # all empty: pandas sees objects, arrow sees nulls
    frame["notes"] = [None] * n if empty_notes else ["ghi chú"] * n
    frame["tthc"] = False
    frame["hidden"] = False
    return frame


def test_pieces_of_different_shapes_share_one_schema_and_read_back_whole(tmp_path: Path):
    writer = RunWriter(tmp_path)
    writer.add("records", records("Xã A", 3, empty_notes=True))
    writer.add("records", records("Xã B", 2, empty_notes=False))
    writer.commit({"tool": "khaudit"})
    run = load_run(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*[f"{t}.csv" for t in TABLES], "records.parquet", "files.parquet", "run.json"]
    )
    assert pq.ParquetFile(tmp_path / "records.parquet").num_row_groups == 2  # one a locality
    table = run.table("records")
    assert list(table["locality"]) == ["Xã A"] * 3 + ["Xã B"] * 2
    assert str(table["sheets"].dtype) == "Int64" and table["sheets"].tolist() == [5] * 5
    assert table["notes"].isna().tolist() == [True] * 3 + [False] * 2
    assert table["notes"].iloc[3:].tolist() == ["ghi chú"] * 2
    csv = pd.read_csv(tmp_path / "records.csv", dtype=str, keep_default_na=False)
    assert len(csv) == 5 and list(csv.columns) == RECORD_COLUMNS  # one header
    assert run.verify_tables() == []


def test_a_locality_table_reads_that_locality_only(tmp_path: Path):
    writer = RunWriter(tmp_path)
    for name, n in (("Xã A", 3), ("Xã B", 2), ("Xã C", 4)):
        writer.add("records", records(name, n, empty_notes=False))
    writer.commit({})
    run = load_run(tmp_path)
    b = run.locality_table("records", "Xã B")
    assert b["locality"].tolist() == ["Xã B"] * 2 and b["source_row"].tolist() == [2, 3]
    assert "records" not in run._tables  # the province table was not loaded to get it


def test_an_aborted_writer_leaves_the_previous_run(tmp_path: Path):
    first = RunWriter(tmp_path)
    first.add("records", records("Xã A", 3, empty_notes=False))
    first.commit({"run": 1})
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    second = RunWriter(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        second.add("records", records("Xã A", 1, empty_notes=False))
        raise KeyboardInterrupt  # Ctrl-C between two localities
    second.abort()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_numbers_typed_as_text_are_read_as_numbers_and_blanks_as_missing(tmp_path: Path):
    frame = records("Xã A", 3, empty_notes=False)
    frame["box"] = ["", "12", None]  # as a CSV gives them back
    frame["match_score"] = ["0.95", "", "1"]
    frame["tthc"] = ["True", "False", ""]
    writer = RunWriter(tmp_path)
    writer.add("records", frame)
    writer.commit({})
    table = load_run(tmp_path).table("records")
    assert table["box"].isna().tolist() == [True, False, True] and table["box"][1] == 12
    assert table["match_score"].tolist()[0] == 0.95 and pd.isna(table["match_score"][1])
    assert table["tthc"].tolist() == [True, False, False]


def test_an_aborted_first_run_leaves_no_folder_behind(tmp_path: Path):
    writer = RunWriter(tmp_path / "new-run")
    writer.add("records", records("Xã A", 1, empty_notes=False))
    writer.abort()
    assert not (tmp_path / "new-run").exists()


FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "'=already quoted",
    "''+twice",
    "plain",
    "Xã Diên Lạc",
    "",
    "a=b",
]


def test_csv_cells_are_neutralised_for_spreadsheets_and_read_back_exactly(tmp_path: Path):
    import csv

    frame = records("Xã A", len(FORMULAS), empty_notes=False)
    frame["title"] = FORMULAS
    candidates = pd.DataFrame({c: ["x"] * len(FORMULAS) for c in TABLE_COLUMNS["candidates"]})
    candidates["title"] = FORMULAS
    writer = RunWriter(tmp_path)
    writer.add("records", frame)
    writer.add("candidates", candidates)
    writer.commit({})
    with open(tmp_path / "records.csv", encoding="utf-8", newline="") as fh:
        cells = [row["title"] for row in csv.DictReader(fh)]
    assert cells[:9] == ["'" + v for v in FORMULAS[:9]]  # a spreadsheet shows them as text
    assert cells[9:] == FORMULAS[9:]
    assert not any(c[:1] in "=+-@\t\r" for c in cells if c)
    run = load_run(tmp_path)
    assert pq.read_table(tmp_path / "records.parquet")["title"].to_pylist() == FORMULAS
    assert run.table("records")["title"].tolist() == FORMULAS  # from Parquet: exact
    assert run.table("candidates")["title"].tolist() == FORMULAS  # from CSV: unescaped
    assert run.table("records")["sheets"].tolist() == [5] * len(FORMULAS)  # numbers untouched
