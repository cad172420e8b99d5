"""Reconciliation at the edges: nothing matches, nothing to match."""

from __future__ import annotations

import random
from pathlib import Path

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf


def project(tmp_path: Path, rows: list[str], scans: dict[str, bytes]) -> Path:
    (tmp_path / "scans").mkdir()
    for name, data in scans.items():
        (tmp_path / "scans" / name).write_bytes(data)
    (tmp_path / "inv.csv").write_text(
        "\n".join(["STT,Mã hồ sơ,Tiêu đề hồ sơ,Số tờ", *rows]) + "\n", encoding="utf-8"
    )
    path = tmp_path / "project.toml"
    path.write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return path


def test_nothing_matches_every_record_missing_every_file_orphan(tmp_path: Path):
    rng = random.Random(1)
    scans = {f"IMG_{i:04d}.pdf": sf.pdf_bytes(str(i), 1, rng) for i in range(3)}
    run = audit(
        project(tmp_path, ["1,A.1,Báo cáo năm 2019,2", "2,A.2,Kế hoạch năm 2020,3"], scans),
        tmp_path / "run",
    )
    assert list(run.records["status"]) == ["missing", "missing"]
    assert list(run.files["status"]) == ["orphan"] * 3
    assert run.records["match_score"].isna().all()


def test_no_scans_at_all(tmp_path: Path):
    run = audit(project(tmp_path, ["1,A.1,Báo cáo năm 2019,2"], {}), tmp_path / "run")
    assert list(run.records["status"]) == ["missing"] and run.files.empty


def test_two_empty_scans_are_each_their_records_not_copies(tmp_path: Path):
    # Empty files share one content (none): each is its own record's damaged scan.
    run = audit(
        project(
            tmp_path,
            ["1,A.1,Báo cáo năm 2019,2", "2,A.2,Kế hoạch năm 2020,3"],
            {"A.1.pdf": b"", "A.2.pdf": b""},
        ),
        tmp_path / "run",
    )
    files = run.files.sort_values("path")
    assert list(files["status"]) == ["empty", "empty"]
    assert list(run.records.sort_values("source_row")["status"]) == ["damaged_scan"] * 2
