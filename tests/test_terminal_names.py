"""A locality or file name holding terminal controls reaches the terminal as visible escapes
in every command that shows it: audit (its progress bar and warnings), scan, history,
package and verify."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from khaudit.demo import scanfiles as sf

#: Clears the screen, goes back to the line's start and paints a fake all-clear.
NAME = "Xã A\x1b[2J\rVALID\x1b[32m"
SHOWN = "Xã A\\x1b[2J\\x0dVALID\\x1b[32m"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KHAUDIT_PROGRESS": "1"}  # draw the bars as on a terminal
    env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "--lang", "en", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


def assert_escaped(result: subprocess.CompletedProcess) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "\x1b[2J" not in both and "VALID\x1b[32m" not in both and "\rVALID" not in both
    assert SHOWN in both or "\\x1b[2J" in both


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    base = tmp_path / "p"
    (base / "scans").mkdir(parents=True)
    for i in range(3):
        (base / "scans" / f"A.{i}.pdf").write_bytes(sf.pdf_bytes(str(i), 1, random.Random(i)))
    (base / "scans" / "evil\x1b[2J.pdf").write_bytes(b"")
    (base / "inv.csv").write_text(
        "STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.0,Báo cáo\n2,A.1,Tờ trình\n3,A.2,Quyết định\n",
        encoding="utf-8",
    )
    toml_name = NAME.replace("\x1b", "\\u001b").replace("\r", "\\r")
    (base / "project.toml").write_text(
        f'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "{toml_name}"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return base


def test_every_command_shows_a_hostile_name_escaped(project: Path, tmp_path: Path):
    audit = run("audit", "project.toml", "--out", str(tmp_path / "run"), "--no-report", cwd=project)
    assert audit.returncode == 0, audit.stderr
    assert_escaped(audit)
    assert SHOWN in audit.stderr  # the progress bar's stage and the warning name it
    scan = run("scan", "project.toml", cwd=project)
    assert scan.returncode == 0, scan.stderr
    assert_escaped(scan)
    history = run("history", "project.toml", cwd=project)
    assert history.returncode == 0, history.stderr
    assert_escaped(history)
    package = run(
        "package", str(tmp_path / "run"), "--locality", NAME, "--out", str(tmp_path / "bag"),
        cwd=project,
    )  # fmt: skip
    assert package.returncode == 0, package.stderr
    assert "\x1b" not in package.stdout + package.stderr
    (tmp_path / "bag" / "data" / "extra\x1b[2J\rVALID.txt").write_text("x", encoding="utf-8")
    verify = run("verify", str(tmp_path / "bag"), cwd=project)
    assert verify.returncode == 1
    assert "\x1b" not in verify.stdout + verify.stderr and "\\x1b[2J" in verify.stdout
