"""Scan names a handover cannot carry: a name that is not valid UTF-8 and a path longer than
Windows programs open are each a located finding of the audit, said where the person reads
(the terminal and run.json), and packaging says plainly what it does with them."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.errors import KhauditError
from khaudit.handover.package import package_locality
from khaudit.handover.verify import verify_bag
from khaudit.scan.walk import WINDOWS_MAX_PATH

pytestmark = pytest.mark.skipif(os.name == "nt", reason="NTFS names are UTF-16 and paths capped")

LATIN1_NAME = b"HS 02 caf\xe9.pdf"  # a Windows-1252 name copied byte for byte to Linux
SHOWN = "HS 02 caf\\xe9.pdf"


def _project(tmp_path: Path) -> Path:
    (tmp_path / "inv.csv").write_text(
        "STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.1,Báo cáo\n2,A.2,Tờ trình\n3,A.3,Quyết định\n", "utf-8"
    )
    project = tmp_path / "project.toml"
    project.write_text(
        'title = "t"\nprovince = "p"\n[[locality]]\nname = "Xã A"\n'
        "inventories = ['inv.csv']\nscan_roots = ['scans']\n",
        encoding="utf-8",
    )
    return project


def _scans(tmp_path: Path, latin1: bool) -> str:
    """Three scans: A.1 named plainly, one with a Latin-1 name, and A.3 deep enough for its
    path to pass Windows' limit; the deep one's path relative to the root."""
    rng = random.Random(5)
    root = tmp_path / "scans"
    root.mkdir()
    (root / "A.1.pdf").write_bytes(sf.pdf_bytes("A.1", 1, rng))
    if latin1:
        with open(os.path.join(os.fsencode(root), LATIN1_NAME), "wb") as fh:
            fh.write(sf.pdf_bytes("A.2", 1, rng))
    deep = root / ("Hộp 01 " + "d" * 90) / ("Tập 02 " + "e" * 90)
    deep.mkdir(parents=True)
    # Long even inside a bag: 265 characters from the scan root on.
    name = "A.3 " + "f" * (265 - len(deep.relative_to(root).as_posix()) - 9) + ".pdf"
    assert len(str(deep / name)) > WINDOWS_MAX_PATH
    (deep / name).write_bytes(sf.pdf_bytes("A.3", 1, rng))
    return (deep / name).relative_to(root).as_posix()


def test_a_name_not_utf8_and_a_long_path_are_located_findings_said_at_the_end(tmp_path):
    project = _project(tmp_path)
    deep = _scans(tmp_path, latin1=True)
    env = {**os.environ, "KHAUDIT_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "khaudit", "audit", str(project), "--out", str(tmp_path / "run")]
        + ["--no-report"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    problems = pd.read_csv(tmp_path / "run" / "scan_problems.csv", dtype=str)
    by_path = dict(zip(problems["path"], problems["problem"]))
    assert "not valid UTF-8" in by_path[SHOWN] and "rename" in by_path[SHOWN]
    assert "Windows programs" in by_path[deep]
    # The file is kept as a scan under the readable form of its name, never renamed on disk.
    files = pd.read_parquet(tmp_path / "run" / "files.parquet")
    assert SHOWN in set(files["path"]) and deep in set(files["path"])
    assert os.path.exists(os.path.join(os.fsencode(tmp_path / "scans"), LATIN1_NAME))
    # Said where the person reads when the audit ends, and kept in run.json.
    said = done.stderr + done.stdout
    assert "2 scan file(s) cannot be handed over" in said and "scan_problems.csv" in said
    assert "1 with a name that is not valid UTF-8, 1 with a path over 260" in said
    warnings = json.loads((tmp_path / "run" / "run.json").read_text("utf-8"))["warnings"]
    assert any(SHOWN in w for w in warnings)
    # Packaging refuses the name a bag's manifests cannot carry, and says so, leaving no bag.
    with pytest.raises(KhauditError) as refused:
        package_locality(tmp_path / "run", "Xã A", tmp_path / "bag")
    assert "not valid UTF-8" in str(refused.value) and SHOWN in str(refused.value)
    assert "gone" not in str(refused.value)
    assert not (tmp_path / "bag").exists()


def test_packaging_warns_of_paths_windows_cannot_open_and_the_bag_still_verifies(tmp_path):
    project = _project(tmp_path)
    deep = _scans(tmp_path, latin1=False)
    run = audit(project, tmp_path / "run")
    said = [w for w in run.meta["warnings"] if "cannot be handed over" in w]
    assert len(said) == 1 and "0 with a name that is not valid UTF-8, 1 with a path" in said[0]
    result = package_locality(run.path, "Xã A", tmp_path / "bag")
    notes = [n for n in result.notes if "over 260 characters" in n]
    assert len(notes) == 1 and deep in notes[0] and "Windows" in notes[0]
    assert verify_bag(tmp_path / "bag", workers=1).problems == []


def test_scans_whose_names_are_twins_once_normalised_are_said_and_never_bagged(tmp_path):
    # "Biên bản" typed precomposed (Windows) and decomposed (macOS) side by side: khaudit
    # packaged both, then its own verify found the bag NOT VALID (same name once
    # normalised, a repeated line, a Payload-Oxum one file short)
    import unicodedata

    project = _project(tmp_path)
    rng = random.Random(6)
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "A.1.pdf").write_bytes(sf.pdf_bytes("A.1", 1, rng))
    for form in ("NFC", "NFD"):
        name = unicodedata.normalize(form, "Biên bản họp.pdf")
        (tmp_path / "scans" / name).write_bytes(sf.pdf_bytes("A.2", 1, rng))
    run = audit(project, tmp_path / "run")
    said = [w for w in run.meta["warnings"] if "Unicode" in w]
    assert len(said) == 1 and "Biên bản họp.pdf" in unicodedata.normalize("NFC", said[0])
    with pytest.raises(KhauditError) as refused:
        package_locality(run.path, "Xã A", tmp_path / "bag")
    assert "normalised" in str(refused.value) or "chuẩn hóa" in str(refused.value)
    assert not (tmp_path / "bag").exists()
