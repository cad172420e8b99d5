"""bench/deliverygen: its truth agrees with the files it writes, its labels follow its rule,
and a seed always gives the same province (a different seed, different habits)."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.deliverygen import generate, labels  # noqa: E402
from bench.deliverygen.records import Record  # noqa: E402
from bench.deliverygen.text import mojibake, short83, tcvn3_glyphs, vni_glyphs  # noqa: E402
from khaudit.inventory.loader import load_inventory  # noqa: E402
from khaudit.project import load_project  # noqa: E402

SIDECARS = {".json", ".xml", ".csv", ".xlsx"}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deliverygen")
    generate(out, 11, 80, localities=5)
    return out


def test_every_scan_in_the_tree_is_in_the_truth_and_nothing_else(province: Path) -> None:
    project = load_project(province / "project.toml")
    files = _read(province / "ground_truth" / "files.csv")
    for loc in project.localities:
        root = loc.scan_roots[0]
        written = {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.suffix.lower() not in SIDECARS
        }
        truth = {f["path"] for f in files if f["locality"] == loc.name}
        assert written == truth, loc.name


def test_the_truth_rows_are_the_rows_khaudit_reads(province: Path) -> None:
    project = load_project(province / "project.toml")
    records = _read(province / "ground_truth" / "records.csv")
    for loc in project.localities:
        path, shown = loc.inventories[0]
        rows, _ = load_inventory(path, shown, loc.name)
        read = {(str(r["source_sheet"] or ""), str(r["source_row"])) for r in rows}
        truth = {(r["source_sheet"], r["source_row"]) for r in records if r["locality"] == loc.name}
        assert read == truth, loc.name


def test_statuses_agree_with_the_bytes_and_the_pages(province: Path) -> None:
    files = _read(province / "ground_truth" / "files.csv")
    records = {
        (r["locality"], r["source_row"], r["source_sheet"]): r
        for r in _read(province / "ground_truth" / "records.csv")
    }
    project = load_project(province / "project.toml")
    roots = {loc.name: loc.scan_roots[0] for loc in project.localities}
    by_hash: dict[str, list[dict[str, str]]] = {}
    for f in files:
        data = (roots[f["locality"]] / f["path"]).read_bytes()
        by_hash.setdefault(hashlib.sha256(data).hexdigest(), []).append(f)
        assert (len(data) == 0) == (f["expected_status"] == "empty"), f
        if f["expected_status"] == "corrupt" and f["path"].lower().endswith(".pdf"):
            assert b"%%EOF" not in data
        if f["expected_status"] == "orphan":
            assert f["source_row"] == ""
        else:
            record = records[(f["locality"], f["source_row"], f["source_sheet"])]
            assert record["expected_status"] != "duplicate_entry"
        if f["expected_status"] == "matched" and f["path"].lower().endswith(".pdf"):
            assert len(PdfReader(roots[f["locality"]] / f["path"]).pages) >= 1
    for group in by_hash.values():
        if len(group) > 1 and group[0]["expected_status"] != "empty":
            statuses = sorted(f["expected_status"] for f in group)
            assert statuses.count("duplicate") == len(group) - 1, group


def test_review_records_and_files_go_together(province: Path) -> None:
    files = _read(province / "ground_truth" / "files.csv")
    records = _read(province / "ground_truth" / "records.csv")
    linked = {
        (f["locality"], f["source_sheet"], f["source_row"])
        for f in files
        if f["expected_status"] in ("matched", "corrupt", "empty")
    }
    for r in records:
        key = (r["locality"], r["source_sheet"], r["source_row"])
        if r["expected_status"] in ("digitized", "page_mismatch", "damaged_scan"):
            assert key in linked, r
        if r["expected_status"] in ("missing", "needs_review"):
            assert key not in linked, r
    assert all(r["keying"] for r in records) and all(f["keying"] for f in files)


def test_same_seed_same_bytes_other_seed_other_habits(tmp_path: Path) -> None:
    def digest(folder: Path) -> str:
        h = hashlib.sha256()
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(folder).as_posix().encode() + p.read_bytes())
        return h.hexdigest()

    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, seed, 25, localities=3)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    habits = [
        json.loads((tmp_path / n / "ground_truth" / "habits.json").read_text("utf-8"))
        for n in ("a", "c")
    ]
    assert habits[0] != habits[1]


def test_typed_titles_fit_as_the_rule_says() -> None:
    title = "Hồ sơ tặng cho quyền sử dụng đất, thửa đất số 124, tờ bản đồ số 18"
    assert labels.title_fits("HS tang cho QSDD, thua 124, TBD 1", 33, title)
    assert labels.title_fits("HS tang cho QSDD, thua 124, TBD 18", 0, title)
    assert labels.title_fits(
        "Ho so tang cho quyen su dung dat, thửa đất số 124, tờ bản đồ số 18", 0, title
    )
    assert labels.title_fits("HS tang cho QSDD, thua 124, TBD 18", 0, title)
    assert labels.title_fits("HS tng cho QSDD, thua 124, TBD 18", 0, title)  # a letter left out
    assert not labels.title_fits("HS tang cho QSDD, thua 124, TBD 1", 0, title)  # not cut
    assert not labels.title_fits("HS tang cho QSDD, thua 125, TBD 18", 0, title)  # a number
    assert not labels.title_fits("HS tang cho QSDD, thua 12, TBD 18", 0, title)


def test_the_order_of_the_list_and_struck_records_decide() -> None:
    recs = [Record(i, "series", f"Báo cáo {i}", 2020, 2020, 5) for i in range(4)]
    sets = {10: [recs[0]], 11: [recs[1], recs[2]], 12: [recs[2]], 13: [recs[1], recs[3]]}
    settled = labels.settle(sets)
    assert settled[11] == [recs[1]] and settled[13] == [recs[3]]
    sets = {10: [recs[0]], 11: [recs[1], recs[3]], 12: [recs[2]], 13: [recs[1], recs[3]]}
    assert labels.settle(sets, [[10, 11, 12, 13]])[11] == [recs[1]]
    assert labels.settle(sets)[11] == [recs[1], recs[3]]  # without the list: a true tie


def test_spoilt_names_are_the_ones_offices_see() -> None:
    assert tcvn3_glyphs("Hồ sơ cấp giấy chứng nhận") == "Hå s¬ cÊp giÊy chøng nhËn"
    assert mojibake("Hồ sơ") == "Há»“ sÆ¡"
    assert vni_glyphs("Hoà") == "Hoaø" and vni_glyphs("Hồ sơ đất") == "Hoà sô ñaát"
    assert short83("3f2a9c1e-0000-4000-8000-000000000000", 2, "pdf") == "3F2A9C~2.PDF"
