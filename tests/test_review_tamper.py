"""A review workbook whose record of its run was edited is refused before any decision is
read: a fingerprint that is not the run's (its first 16 digits, the run id, left as they
were) names both, and the decision log is left as it was."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from khaudit.audit import audit
from khaudit.cli import cli
from khaudit.project import load_project
from khaudit.review import RUN_SHEET


def _project(base: Path) -> Path:
    (base / "inv").mkdir(parents=True)
    (base / "inv" / "muc-luc.csv").write_text(
        "STT,Số và ký hiệu hồ sơ,Tiêu đề hồ sơ,Số tờ\n"
        "1,HS.001,Báo cáo tổng kết năm 2019,3\n2,HS.002,Tờ trình về việc cấp phép,4\n",
        encoding="utf-8",
    )
    (base / "scans").mkdir()
    (base / "scans" / "bao cao tong ket.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    project = base / "project.toml"
    project.write_text(
        'title = "T"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Diên Lạc"\n'
        'inventories = ["inv/*.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return project


def test_a_workbook_whose_fingerprint_was_edited_is_refused(tmp_path: Path):
    project = _project(tmp_path / "p")
    run = audit(project, tmp_path / "run")
    workbook = tmp_path / "review.xlsx"
    exported = CliRunner().invoke(
        cli, ["review", "export", str(tmp_path / "run"), "--out", str(workbook)]
    )
    assert exported.exit_code == 0, exported.output
    book = openpyxl.load_workbook(workbook)
    for row in book[RUN_SHEET].iter_rows():
        if row[0].value == "fingerprint":
            row[1].value = run.meta["run_id"] + "0" * 48
    book.save(workbook)
    log = load_project(project).decisions
    result = CliRunner().invoke(
        cli, ["review", "import", str(workbook), "--project", str(project), "--by", "Lê Văn A"]
    )
    assert result.exit_code == 2
    assert run.meta["fingerprint"] in result.output and "0" * 48 in result.output
    assert not log.exists() or log.read_text(encoding="utf-8") == ""
