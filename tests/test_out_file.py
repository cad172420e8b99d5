"""Where `review export --out` may write: never over an inventory, a run's table or a file
the user made, never inside a scan root or beside an inventory."""

from __future__ import annotations

import os
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from khaudit.audit import audit
from khaudit.cli import cli
from khaudit.demo import scanfiles as sf
from khaudit.errors import KhauditError
from khaudit.review import export_review


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    base = tmp_path / "p"
    (base / "scans").mkdir(parents=True)
    (base / "inventories").mkdir()
    for i in range(3):
        pdf = sf.pdf_bytes(str(i), 1, random.Random(i))
        (base / "scans" / f"A.{i}.pdf").write_bytes(pdf)
    (base / "inventories" / "inv.csv").write_text(
        "STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.0,Báo cáo\n2,A.1,Tờ trình\n3,A.2,Quyết định\n",
        encoding="utf-8",
    )
    (base / "project.toml").write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inventories/*.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    audit(base / "project.toml", tmp_path / "run")
    return tmp_path / "run"


def export(run: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--lang", "en", "review", "export", str(run), "--out", str(out)]
    )
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_inventory_or_a_run_table_is_never_overwritten(run_dir: Path):
    project = run_dir.parent / "p"
    before, run_before = snapshot(project), snapshot(run_dir)
    for target in (
        project / "inventories" / "inv.csv",
        run_dir / "run.json",
        run_dir / "records.csv",
    ):
        code, output = export(run_dir, target)
        assert code == 2 and "Traceback" not in output, output
        assert "must end in .xlsx" in output
    assert snapshot(project) == before and snapshot(run_dir) == run_before


def test_inside_a_scan_root_or_beside_an_inventory_is_refused(run_dir: Path, tmp_path: Path):
    project = tmp_path / "p"
    before = snapshot(project)
    code, output = export(run_dir, project / "scans" / "review.xlsx")
    assert code == 2 and "inside the scan root" in output
    os.symlink(project / "scans", tmp_path / "shortcut")
    code, output = export(run_dir, tmp_path / "shortcut" / "review.xlsx")
    assert code == 2 and "inside the scan root" in output
    code, output = export(run_dir, project / "inventories" / "review.xlsx")
    assert code == 2 and "beside the inventory" in output
    assert snapshot(project) == before


def test_a_workbook_the_user_made_is_kept_but_an_earlier_export_is_replaced(
    run_dir: Path, tmp_path: Path
):
    mine = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "my own numbers"
    book.save(mine)
    kept = mine.read_bytes()
    code, output = export(run_dir, mine)
    assert code == 2 and "already exists" in output
    assert mine.read_bytes() == kept
    with pytest.raises(KhauditError, match="already exists"):
        export_review(run_dir, mine, lang="en")
    (tmp_path / "folder.xlsx").mkdir()
    code, output = export(run_dir, tmp_path / "folder.xlsx")
    assert code != 0 and "Traceback" not in output
    again = tmp_path / "review.xlsx"
    assert export(run_dir, again)[0] == 0
    assert export(run_dir, again)[0] == 0  # its own earlier export may be replaced
    assert openpyxl.load_workbook(again).sheetnames[-1] == "khaudit"
