"""`khaudit compare --out`: a CSV for spreadsheets whose text cells never run as formulas,
written only where it harms nothing (not over a user's file, a scan root or inventories)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from test_compare import _pair, _run

from khaudit.cli import cli


def _compare(a: Path, b: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--lang", "en", "compare", str(a), str(b), "--out", str(out)])
    return result.exit_code, result.output


def test_a_users_file_is_kept_and_an_earlier_comparison_replaced(tmp_path: Path):
    a, b = _pair(tmp_path)
    mine = tmp_path / "mine.csv"
    mine.write_text("my,own\n1,2\n", encoding="utf-8")
    code, output = _compare(a, b, mine)
    assert code == 2 and "already exists" in output and "Traceback" not in output
    assert mine.read_text(encoding="utf-8") == "my,own\n1,2\n"
    code, output = _compare(a, b, tmp_path / "changes.txt")
    assert code == 2 and "must end in .csv" in output
    out = tmp_path / "changes.csv"
    assert _compare(a, b, out)[0] == 0
    assert _compare(a, b, out)[0] == 0  # its own earlier comparison may be replaced


def test_scan_roots_and_inventory_folders_of_the_runs_are_refused(tmp_path: Path):
    a, b = _pair(tmp_path)
    base = tmp_path / "project"
    (base / "scans").mkdir(parents=True)
    (base / "inventories").mkdir()
    (base / "inventories" / "inv.csv").write_text("STT,Tiêu đề\n1,A\n", encoding="utf-8")
    meta = json.loads((a / "run.json").read_text(encoding="utf-8"))
    meta["project"] = {"path": "project.toml", "location": str(base / "project.toml")}
    meta["schemes"] = {"Xã A": {"scans": {}}}
    meta["inputs"] = [{"locality": "Xã A", "kind": "inventory", "path": "inventories/inv.csv"}]
    (a / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    code, output = _compare(a, b, base / "scans" / "changes.csv")
    assert code == 2 and "inside the scan root" in output
    code, output = _compare(a, b, base / "inventories" / "changes.csv")
    assert code == 2 and "beside the inventory" in output
    code, output = _compare(a, b, base / "inventories" / "inv.csv")
    assert code == 2
    assert sorted(p.name for p in (base / "inventories").iterdir()) == ["inv.csv"]
    assert not list((base / "scans").iterdir())


def test_text_cells_are_neutralised_for_spreadsheets(tmp_path: Path):
    a = _run(tmp_path / "a", "run-a", [(2, "=HYPERLINK(1)", "missing")], [])
    b = _run(tmp_path / "b", "run-b", [(2, "=HYPERLINK(1)", "digitized")], [])
    records = pd.read_parquet(b / "records.parquet")
    assert records["title"].iloc[0] == "Hồ sơ =HYPERLINK(1)"
    out = tmp_path / "changes.csv"
    assert _compare(a, b, out)[0] == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["record_code"] == "'=HYPERLINK(1)"
    assert not any(str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_two_runs_without_any_scan_compare_without_a_traceback(tmp_path: Path):
    a = _run(tmp_path / "a", "run-a", [(2, "C1", "missing")], [])
    b = _run(tmp_path / "b", "run-b", [(2, "C1", "missing"), (3, "C2", "missing")], [])
    code, output = _compare(a, b, tmp_path / "changes.csv")
    assert code == 0, output
    with open(tmp_path / "changes.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["kind"], r["source_row"], r["status_b"]) for r in rows] == [
        ("status", "3", "missing")
    ]
