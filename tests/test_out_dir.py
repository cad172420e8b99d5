"""Where a run may be written: never inside a scan root, never over a folder that is not a run."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from khaudit.demo import scanfiles as sf
from khaudit.errors import KhauditError
from khaudit.run import RunWriter, check_out


def project(base: Path) -> Path:
    (base / "scans").mkdir(parents=True)
    (base / "scans" / "A.0.pdf").write_bytes(sf.pdf_bytes("0", 1, random.Random(1)))
    (base / "inv.csv").write_text("STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.0,Báo cáo\n", encoding="utf-8")
    (base / "project.toml").write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return base / "project.toml"


def khaudit(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "--lang", lang, *args], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "lang, words", [("en", "inside the scan root"), ("vi", "nằm trong thư mục quét")]
)
def test_out_inside_a_scan_root_is_refused_in_both_languages(tmp_path: Path, lang: str, words: str):
    toml = project(tmp_path / "p")
    before = sorted(p.name for p in (tmp_path / "p/scans").iterdir())
    cli = khaudit(
        "audit", str(toml), "--out", str(tmp_path / "p/scans/run"), "--no-report", lang=lang
    )
    assert cli.returncode == 2 and words in cli.stderr
    assert len(cli.stderr.strip().splitlines()) == 1 and "Traceback" not in cli.stderr
    assert sorted(p.name for p in (tmp_path / "p/scans").iterdir()) == before


def test_out_reaching_a_scan_root_through_a_link_is_refused(tmp_path: Path):
    toml = project(tmp_path / "p")
    os.symlink(tmp_path / "p/scans", tmp_path / "shortcut")
    cli = khaudit("audit", str(toml), "--out", str(tmp_path / "shortcut/run"), "--no-report")
    assert cli.returncode == 2 and "inside the scan root" in cli.stderr
    assert not (tmp_path / "p/scans/run").exists()
    with pytest.raises(KhauditError, match="inside the scan root"):
        RunWriter(tmp_path / "shortcut/run", scan_roots=[tmp_path / "p/scans"])


@pytest.mark.parametrize(
    "lang, words", [("en", "holds no khaudit run"), ("vi", "không chứa kết quả khaudit")]
)
def test_a_folder_that_is_not_a_run_is_never_overwritten(tmp_path: Path, lang: str, words: str):
    toml = project(tmp_path / "p")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "history.csv").write_text("my own table\n", encoding="utf-8")
    cli = khaudit("audit", str(toml), "--out", str(mine), "--no-report", lang=lang)
    assert cli.returncode == 2 and words in cli.stderr
    assert len(cli.stderr.strip().splitlines()) == 1
    assert (mine / "history.csv").read_text(encoding="utf-8") == "my own table\n"
    assert [p.name for p in mine.iterdir()] == ["history.csv"]


def test_an_earlier_run_or_an_empty_folder_is_accepted(tmp_path: Path):
    toml = project(tmp_path / "p")
    (tmp_path / "empty").mkdir()
    for _ in range(2):  # the second audit rewrites the first run in place
        cli = khaudit("audit", str(toml), "--out", str(tmp_path / "empty"), "--no-report")
        assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "empty/run.json").is_file()
    check_out(tmp_path / "new", [tmp_path / "p/scans"])  # a new folder elsewhere: fine


def test_a_file_is_not_an_output_folder(tmp_path: Path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(KhauditError, match="not empty|not a folder"):
        check_out(tmp_path / "file")


def test_the_python_api_refuses_an_out_inside_a_scan_root_too(tmp_path: Path):
    from khaudit.audit import audit

    toml = project(tmp_path / "p")
    before = sorted(p.name for p in (tmp_path / "p/scans").iterdir())
    with pytest.raises(KhauditError):
        audit(toml, tmp_path / "p/scans/run")
    assert sorted(p.name for p in (tmp_path / "p/scans").iterdir()) == before


def test_out_that_an_inventory_pattern_reaches_is_refused(tmp_path: Path):
    from khaudit.outfile import glob_reaches

    base = tmp_path / "p"
    toml = project(base)
    (base / "inventories").mkdir()
    (base / "inv.csv").rename(base / "inventories" / "inv.csv")
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('["inv.csv"]', '["inventories/**/*.csv"]'), encoding="utf-8")
    for out in (base / "inventories" / "run", base / "inventories" / "a" / "b" / "run"):
        cli = khaudit("audit", str(toml), "--out", str(out), "--no-report")
        assert cli.returncode == 2 and "inventory pattern" in cli.stderr, cli.stderr
        assert not out.exists()
    with pytest.raises(KhauditError, match="inventory pattern"):
        RunWriter(
            base / "inventories" / "run",
            inventory_patterns=[str(base / "inventories" / "**" / "*.csv")],
        )
    cli = khaudit("audit", str(toml), "--out", str(base / "run"), "--no-report")
    assert cli.returncode == 0, cli.stderr
    again = khaudit("audit", str(toml), "--out", str(base / "run2"), "--no-report")
    assert again.returncode == 0, again.stderr
    assert glob_reaches(base / "inventories/*.csv", base / "inventories/x.csv")
    assert not glob_reaches(base / "inventories/*.csv", base / "inventories/run/x.csv")
    assert glob_reaches(base / "**/*.csv", base / "run/records.csv")
    assert not glob_reaches(base / "*.xlsx", base / "run/province.xlsx")
