"""`review import` reads its workbook as an inventory is read: a pipe, a device or a zip bomb
named as the workbook is refused at once, in one line, and nothing is recorded."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from khaudit.cli import cli


def _project(base: Path) -> Path:
    (base / "scans").mkdir(parents=True)
    (base / "inv.csv").write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    (base / "project.toml").write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return base / "project.toml"


def _import(workbook: Path, project: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        ["--lang", "en", "review", "import", str(workbook), "--project", str(project)]
        + ["--by", "Nguyễn Văn A"],
    )
    return result.exit_code, result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_pipe_or_a_device_as_the_workbook_is_refused_without_hanging(tmp_path: Path):
    project = _project(tmp_path / "p")
    os.mkfifo(tmp_path / "pipe.xlsx")  # opened plainly, reading it would wait for a writer
    os.symlink("/dev/zero", tmp_path / "zero.xlsx")  # and this one would never end
    for name in ("pipe.xlsx", "zero.xlsx"):
        code, output = _import(tmp_path / name, project)
        assert code == 2 and "not a regular file" in output, output
        assert len(output.strip().splitlines()) == 1
    assert not (tmp_path / "p" / ".khaudit" / "decisions.jsonl").exists()


def test_a_zip_bomb_as_the_workbook_is_refused_before_unpacking(tmp_path: Path):
    bomb = tmp_path / "review.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"<a>" + b" " * (300 << 20) + b"</a>")
    assert bomb.stat().st_size < 1 << 20
    project = _project(tmp_path / "p")
    code, output = _import(bomb, project)
    assert code == 2 and "unpacks to more than" in output, output
    assert not (tmp_path / "p" / ".khaudit" / "decisions.jsonl").exists()
