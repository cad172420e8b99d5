"""Reconciliation at the edges: nothing matches, nothing to match."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.reconcile import _mark_copies


def project(tmp_path: Path, rows: list[str], scans: dict[str, bytes]) -> Path:
    (tmp_path / "scans").mkdir()
    for name, data in scans.items():
        (tmp_path / "scans" / name).parent.mkdir(parents=True, exist_ok=True)
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


def _statuses(run) -> dict[str, str]:
    return dict(zip(run.files["path"], run.files["status"]))


def test_a_copy_of_a_scan_no_record_claims_is_a_duplicate_not_a_second_orphan(tmp_path: Path):
    # A byte-identical copy is a duplicate whatever became of its original: the counter
    # without metadata names no record, so the original alone is the orphan.
    rng = random.Random(2)
    data = sf.pdf_bytes("x", 2, rng)
    run = audit(
        project(
            tmp_path, ["1,A.1,Báo cáo năm 2019,2"], {"IMG_0001.pdf": data, "IMG_0001 (1).pdf": data}
        ),
        tmp_path / "run",
        lang="en",
    )
    assert _statuses(run) == {"IMG_0001.pdf": "orphan", "IMG_0001 (1).pdf": "duplicate"}
    copy = run.files.set_index("path").loc["IMG_0001 (1).pdf"]
    assert copy["duplicate_of"] == "IMG_0001.pdf" and "IMG_0001.pdf" in copy["note"]
    assert pd.isna(copy["source_row"])  # an orphan's copy is linked to nothing either
    assert list(run.records["status"]) == ["missing"]


def test_a_copy_filed_in_a_rescan_folder_is_the_duplicate(tmp_path: Path):
    # "Quet lai/" sorts before "So hoa/", yet the tree's file is the original.
    rng = random.Random(4)
    data = sf.pdf_bytes("A.1", 2, rng)
    scans = {"So hoa/A.1.pdf": data, "Quet lai/A.1.pdf": data}
    run = audit(project(tmp_path, ["1,A.1,Báo cáo năm 2019,2"], scans), tmp_path / "run")
    assert _statuses(run) == {"So hoa/A.1.pdf": "matched", "Quet lai/A.1.pdf": "duplicate"}
    assert list(run.records["file_path"]) == ["So hoa/A.1.pdf"]


def test_a_lot_delivered_again_inside_another_folder_is_the_duplicate(tmp_path: Path):
    # "Giao bo sung/Lo 1/A.1.pdf" sorts before "Lo 1/A.1.pdf"; the one in fewer folders is
    # the original.
    rng = random.Random(4)
    data = sf.pdf_bytes("A.1", 2, rng)
    scans = {"Lo 1/A.1.pdf": data, "Giao bo sung/Lo 1/A.1.pdf": data}
    run = audit(project(tmp_path, ["1,A.1,Báo cáo năm 2019,2"], scans), tmp_path / "run")
    assert _statuses(run) == {"Lo 1/A.1.pdf": "matched", "Giao bo sung/Lo 1/A.1.pdf": "duplicate"}


def test_a_record_scanned_again_with_both_scans_kept_is_digitized(tmp_path: Path):
    # Each scan alone has the pages 2 sheets ask for; added up they are too many, but the
    # record has a complete scan (and a short second scan would not make it less complete).
    rng = random.Random(5)
    scans = {"A.1.pdf": sf.pdf_bytes("A.1", 3, rng), "A.1_lan2.pdf": sf.pdf_bytes("A.1 b", 4, rng)}
    rows = ["1,A.1,Báo cáo năm 2019,2", "2,A.2,Kế hoạch năm 2020,2"]
    scans["A.2.pdf"] = sf.pdf_bytes("A.2", 5, rng)  # one scan, too many pages
    run = audit(project(tmp_path, rows, scans), tmp_path / "run")
    assert set(run.files["status"]) == {"matched"}
    records = run.records.set_index("record_code")
    assert records.loc["A.1", "status"] == "digitized" and records.loc["A.1", "pages"] == 7
    assert records.loc["A.2", "status"] == "page_mismatch"


def test_an_original_takes_the_link_matching_gave_its_copy():
    # Matching linked "X (1).pdf" and left "X.pdf" (byte-identical) unlinked: the original is
    # the matched one, the copy its duplicate, both of the same record. A copy of a scan in
    # review is a duplicate of no record: the review's candidate is no link.
    files = pd.DataFrame(
        {
            "path": ["X (1).pdf", "X.pdf", "Y.pdf", "Z.pdf", "Z (1).pdf"],
            "xxh3_128": ["h1", "h1", "h2", "h3", "h3"],
            "integrity": "ok",
            "format": "pdf",
            "status": ["matched", "orphan", "matched", "needs_review", "orphan"],
            "item": "",
            "record": pd.array([7, pd.NA, 8, 9, pd.NA], dtype="Int64"),
            "match_method": ["exact", "", "exact", "title", ""],
            "match_score": [1.0, float("nan"), 1.0, 0.8, float("nan")],
            "note": ["code X", "", "code Y", "2 records score within the margin", ""],
            "duplicate_of": "",
        }
    )
    _mark_copies(files, "en")
    rows = files.set_index("path")
    assert list(rows["status"]) == ["duplicate", "matched", "matched", "needs_review", "duplicate"]
    assert rows.loc["X.pdf", "record"] == 7 and rows.loc["X.pdf", "note"] == "code X"
    assert rows.loc["X (1).pdf", "record"] == 7
    assert rows.loc["X (1).pdf", "duplicate_of"] == "X.pdf"
    assert rows.loc["Z (1).pdf", "duplicate_of"] == "Z.pdf"
    assert pd.isna(rows.loc["Z (1).pdf", "record"]) and rows.loc["Z.pdf", "record"] == 9
