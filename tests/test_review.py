"""The review loop: export, decide in the workbook, import, and every later audit applies it."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from khaudit.audit import audit
from khaudit.cli import cli
from khaudit.project import load_project


@pytest.fixture()
def province(demo_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns(".khaudit"))
    return copy


def decide(workbook: Path, choose) -> None:
    book = openpyxl.load_workbook(workbook)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        values = dict(zip(header, (c.value for c in row)))
        verdict = choose(values)
        if verdict:
            row[len(header) - 1].value = verdict
    book.save(workbook)


def test_decisions_are_applied_by_every_later_audit_and_survive_a_rename(province, tmp_path):
    project = province / "project.toml"
    first = audit(project, tmp_path / "run1")
    review = first.records[first.records["status"] == "needs_review"]
    assert len(review) >= 2
    candidates = first.table("candidates")
    accepted_path = str(candidates["path"].iloc[0])
    true_row = review[review["note"].str.startswith(accepted_path)]["source_row"].iloc[0]

    workbook = tmp_path / "review.xlsx"
    runner = CliRunner()
    result = runner.invoke(cli, ["review", "export", "--lang", "vi", str(tmp_path / "run1"),
                                 "--out", str(workbook)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(workbook).worksheets[0]
    assert sheet.data_validations.dataValidation[0].formula1 == '"Đồng ý,Không đồng ý"'

    def choose(row: dict) -> str | None:
        if row["Đường dẫn tệp"] == accepted_path:
            return "Đồng ý" if str(row["Dòng"]) == str(true_row) else "Không đồng ý"
        return "Không đồng ý"  # the other scan in review is no record's

    decide(workbook, choose)
    result = runner.invoke(cli, ["review", "import", str(workbook), "--project", str(project),
                                 "--by", "Nguyễn Văn Kiểm"])
    assert result.exit_code == 0, result.output
    assert load_project(project).decisions.exists()

    # The accepted scan is renamed before the next audit: the decision follows its content.
    locality_root = next(p for p in (province / "scans").iterdir()
                         if (p / accepted_path).exists())
    (locality_root / accepted_path).rename(locality_root / "da doi ten.pdf")
    second = audit(project, tmp_path / "run2")
    records, files = second.records, second.files
    decided = records[records["match_method"] == "decision"]
    assert list(decided["source_row"]) == [true_row]
    assert decided["status"].iloc[0] in ("digitized", "page_mismatch")
    assert "Nguyễn Văn Kiểm" in decided["note"].iloc[0]
    renamed = files[files["path"] == "da doi ten.pdf"]
    assert renamed["status"].iloc[0] == "matched"
    assert (files["status"] == "needs_review").sum() == 0  # the rejected scan is an orphan now
    assert second.table("candidates").empty


def test_import_rejects_what_is_not_a_review_workbook(province, tmp_path):
    other = tmp_path / "x.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.save(other)
    result = CliRunner().invoke(cli, ["review", "import", str(other), "--project",
                                      str(province / "project.toml")])
    assert result.exit_code == 2 and "not a khaudit review workbook" in result.output
