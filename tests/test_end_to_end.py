"""The whole audit on a generated province: every injected problem gets its exact status."""

from __future__ import annotations

import json

import pandas as pd

from khaudit.contract import FILE_STATUSES, RECORD_STATUSES
from khaudit.evaluate import score_run
from khaudit.run import load_run

KEY = ["locality", "source_file", "source_sheet", "source_row"]


def _s(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for c in cols:
        frame[c] = frame[c].astype(str).replace({"<NA>": "", "nan": ""})
    return frame


def test_every_record_gets_its_expected_status(demo_dir, demo_run):
    truth = _s(
        pd.read_csv(demo_dir / "ground_truth" / "records.csv", dtype=str, keep_default_na=False),
        KEY,
    )
    records = _s(demo_run.records, KEY)
    merged = truth.merge(records[[*KEY, "status"]], on=KEY, how="left", validate="one_to_one")
    assert merged["status"].notna().all(), "a ground-truth row was not loaded"
    wrong = merged[merged["status"] != merged["expected_status"]]
    assert wrong.empty, wrong[[*KEY, "expected_status", "status"]].to_string()
    assert len(records) == len(truth), "the run has rows the inventory does not"


def test_every_file_gets_its_expected_status(demo_dir, demo_run):
    truth = pd.read_csv(demo_dir / "ground_truth" / "files.csv", dtype=str, keep_default_na=False)
    files = demo_run.files
    merged = truth.merge(
        files[["locality", "path", "status"]],
        on=["locality", "path"],
        how="left",
        validate="one_to_one",
    )
    wrong = merged[merged["status"] != merged["expected_status"]]
    assert wrong.empty, wrong.to_string()
    assert len(files) == len(truth)


def test_injected_problems_each_present_and_found(demo_dir, demo_run):
    score = score_run(demo_run.path, demo_dir / "ground_truth")
    injected = set(score.injected["injected"])
    assert {
        "missing",
        "short",
        "truncated",
        "empty",
        "repeat",
        "ambiguous",
        "orphan",
        "duplicate",
    } <= injected
    assert score.all_injected_found, score.injected.to_string()
    assert score.link_precision == 1.0 and score.link_recall == 1.0


def test_run_contract_columns_and_statuses(demo_run):
    records, files = demo_run.records, demo_run.files
    assert list(records.columns[:16]) == [
        "locality",
        "source_file",
        "source_sheet",
        "source_row",
        "record_code",
        "box",
        "file_no",
        "title",
        "year_start",
        "year_end",
        "sheets",
        "status",
        "file_path",
        "match_method",
        "match_score",
        "note",
    ]
    assert list(files.columns[:11]) == [
        "locality",
        "path",
        "size",
        "mtime",
        "xxh3_128",
        "sha256",
        "format",
        "pages",
        "status",
        "record_code",
        "source_row",
    ]
    assert set(records["status"]) <= set(RECORD_STATUSES)
    assert set(files["status"]) <= set(FILE_STATUSES)
    for name in ("records", "files"):
        csv = pd.read_csv(demo_run.path / f"{name}.csv", dtype=str, keep_default_na=False)
        assert len(csv) == len(getattr(demo_run, name))


def test_run_json_states_version_parameters_and_digests(demo_run):
    meta = json.loads((demo_run.path / "run.json").read_text(encoding="utf-8"))
    assert meta["version"]
    assert meta["parameters"]["matching"]["accept_score"] > 0
    assert all(len(i["sha256"]) == 64 for i in meta["inputs"])
    assert len(meta["scan_catalogue_sha256"]) == 64
    assert set(meta["counts"]) == {loc["name"] for loc in meta["localities"]}
    assert load_run(demo_run.path).verify_tables() == []


def test_sha256_requested_by_demo_project_is_filled(demo_run):
    files = demo_run.files
    assert files.loc[files["size"] > 0, "sha256"].str.len().eq(64).all()


def test_same_inputs_give_the_same_fingerprint(demo_dir, demo_run, tmp_path):
    from khaudit.audit import audit

    again = audit(demo_dir / "project.toml", tmp_path / "again")
    assert again.meta["fingerprint"] == demo_run.meta["fingerprint"]
    assert again.meta["counts"] == demo_run.meta["counts"]


def test_the_run_is_written_a_locality_at_a_time(demo_run):
    import pyarrow.parquet as pq

    names = [loc["name"] for loc in demo_run.meta["localities"]]
    for table in ("records", "files"):
        parquet = pq.ParquetFile(demo_run.path / f"{table}.parquet")
        assert parquet.num_row_groups == len(names)  # one row group a locality
        for group, name in enumerate(names):
            localities = set(
                parquet.read_row_group(group, columns=["locality"]).column("locality").to_pylist()
            )
            assert localities == {name}
        whole = demo_run.table(table)
        for name in names:
            one = demo_run.locality_table(table, name)
            expected = whole[whole["locality"] == name].reset_index(drop=True)
            pd.testing.assert_frame_equal(one, expected)


def test_a_run_lists_what_changed_in_the_scans_since_the_last_audit(demo_dir, tmp_path):
    import shutil

    import openpyxl

    from khaudit.audit import audit
    from khaudit.report.locality import LocalityReport
    from khaudit.report.province import ProvinceReport
    from khaudit.report.xlsx import write_locality_workbook

    province = tmp_path / "demo"
    shutil.copytree(demo_dir, province, ignore=shutil.ignore_patterns(".khaudit"))
    project = province / "project.toml"
    first = audit(project, tmp_path / "first")
    assert first.table("scan_changes").empty  # a first scan finds files, not changes
    files = first.files
    scans = files[(files["format"] == "pdf") & (files["integrity"] == "ok")]
    root = scans["root"].iloc[0]
    changed, deleted, moved = scans[scans["root"] == root]["path"].iloc[:3]
    base = province / root
    (base / changed).write_bytes((base / changed).read_bytes() + b"\n% edited\n")
    (base / deleted).unlink()
    (base / moved).rename((base / moved).with_name("moved <here> & co.pdf"))
    second = audit(project, tmp_path / "second")
    table = second.table("scan_changes")
    found = set(zip(table["kind"], table["path"], table["other_path"]))
    new_name = (moved.rsplit("/", 1)[0] + "/" if "/" in moved else "") + "moved <here> & co.pdf"
    assert found == {("changed", changed, ""), ("deleted", deleted, ""), ("moved", moved, new_name)}
    assert set(table["root"]) == {root} and table["scanned_at"].str.endswith("Z").all()
    locality = table["locality"].iloc[0]
    section = LocalityReport(second, locality, "vi").changes()
    assert "nội dung đã thay đổi" in section and "đã xóa" in section and "(3)" in section
    assert "moved &lt;here&gt; &amp; co.pdf" in section and "<here>" not in section
    workbook = write_locality_workbook(second, locality, tmp_path / "changes.xlsx", "vi")
    sheet = openpyxl.load_workbook(workbook)["Thay đổi bản quét"]
    assert sheet.max_row == 4 and sheet.cell(1, 1).value == "Loại thay đổi"
    roll_up = ProvinceReport(second, "vi").table().set_index("locality")
    counts = roll_up["Bản quét bị sửa, di chuyển, xóa"]
    assert counts[locality] == 3 and counts.sum() == 3
    assert audit(project, tmp_path / "third").table("scan_changes").empty  # reported once
