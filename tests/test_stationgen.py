"""bench/stationgen: a second labelled province generator (scanning stations' and clerks'
habits). Deterministic per seed, its truth consistent with the files it wrote, its tie rule
as documented, and a province it writes audits and scores end to end."""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pandas as pd
import pikepdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import stationgen  # noqa: E402
from bench.stationgen.labels import label  # noqa: E402
from bench.stationgen.layout import Scan  # noqa: E402
from bench.stationgen.records import Record  # noqa: E402
from bench.stationgen.typed import Typing, Visible, type_title  # noqa: E402
from bench.stationgen.vocab import Title  # noqa: E402

SIDECAR_SUFFIXES = {".csv", ".xlsx", ".json", ".xml"}


def _tree(province: Path) -> dict[str, str]:
    out = {}
    for path in sorted(province.rglob("*")):
        if path.is_file():
            out[path.relative_to(province).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return out


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stationgen") / "p"
    stationgen.generate(out, 7, 60, 5)
    return out


def test_same_seed_same_province_other_seed_other(province: Path, tmp_path: Path) -> None:
    again = stationgen.generate(tmp_path / "again", 7, 60, 5).parent
    first, second = _tree(province), _tree(again)
    # xlsx files carry their save time in docProps: compare everything else byte for byte
    assert {k for k in first if not k.endswith(".xlsx")} == {
        k for k in second if not k.endswith(".xlsx")
    }
    assert all(first[k] == second[k] for k in first if not k.endswith(".xlsx"))
    other = stationgen.generate(tmp_path / "other", 8, 60, 5).parent
    assert (other / "ground_truth" / "records.csv").read_bytes() != (
        province / "ground_truth" / "records.csv"
    ).read_bytes()


def _truth(province: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    truth = province / "ground_truth"
    records = pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False)
    files = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    return records, files


def test_truth_lists_every_scan_and_only_scans(province: Path) -> None:
    _, files = _truth(province)
    roots = {}
    for text in (province / "project.toml").read_text("utf-8").split("[[locality]]")[1:]:
        name = text.split('name = "', 1)[1].split('"', 1)[0]
        root = text.split('scan_roots = ["', 1)[1].split('"', 1)[0]
        roots[name] = province / root
    on_disk = set()
    for name, root in roots.items():
        for path in root.rglob("*"):
            if path.is_file() and path.suffix.lower() not in SIDECAR_SUFFIXES:
                on_disk.add((name, path.relative_to(root).as_posix()))
    listed = set(zip(files["locality"], files["path"], strict=True))
    assert listed == on_disk
    assert len(listed) == len(files)


def test_truth_statuses_agree_with_files_and_rows(province: Path) -> None:
    records, files = _truth(province)
    key = ["locality", "source_file", "source_sheet", "source_row"]
    assert not records.duplicated(key).any()
    known = set(records[key].itertuples(index=False, name=None))
    linked = files[files["expected_status"] != "orphan"]
    assert set(linked[key].itertuples(index=False, name=None)) <= known
    assert (files.loc[files["expected_status"] == "orphan", "source_row"] == "").all()
    status_of = {tuple(r[k] for k in key): r["expected_status"] for _, r in records.iterrows()}
    allowed = {
        "matched": {"digitized", "page_mismatch"},
        "duplicate": {"digitized", "page_mismatch"},
        "empty": {"damaged_scan"},
        "corrupt": {"damaged_scan"},
        "needs_review": {"needs_review"},
    }
    for _, f in linked.iterrows():
        assert status_of[tuple(f[k] for k in key)] in allowed[f["expected_status"]], f.to_dict()
    # every scanned record has exactly one original scan
    originals = files[~files["expected_status"].isin(["orphan", "duplicate"])]
    assert not originals.duplicated(key).any()
    scanned = records[
        records["expected_status"].isin(["digitized", "page_mismatch", "damaged_scan"])
    ]
    assert set(scanned[key].itertuples(index=False, name=None)) <= set(
        originals[key].itertuples(index=False, name=None)
    )
    assert set(records["expected_status"]) >= {"digitized", "missing", "duplicate_entry"}
    assert set(files["expected_status"]) >= {"matched", "duplicate", "orphan"}


def test_copies_are_byte_identical_and_pages_as_labelled(province: Path) -> None:
    records, files = _truth(province)
    roots = {}
    for text in (province / "project.toml").read_text("utf-8").split("[[locality]]")[1:]:
        name = text.split('name = "', 1)[1].split('"', 1)[0]
        roots[name] = province / text.split('scan_roots = ["', 1)[1].split('"', 1)[0]
    key = ["locality", "source_file", "source_sheet", "source_row"]
    original = {}
    for _, f in files[files["expected_status"] == "matched"].iterrows():
        original[tuple(f[k] for k in key)] = (roots[f["locality"]] / f["path"]).read_bytes()
    for _, f in files[files["expected_status"] == "duplicate"].iterrows():
        assert (roots[f["locality"]] / f["path"]).read_bytes() == original[tuple(f[k] for k in key)]
    for _, f in files[files["expected_status"] == "empty"].iterrows():
        assert (roots[f["locality"]] / f["path"]).stat().st_size == 0
    habits = json.loads((province / "ground_truth" / "habits.json").read_text("utf-8"))
    status = {tuple(r[k] for k in key): r["expected_status"] for _, r in records.iterrows()}
    checked = 0
    for _, f in files[files["expected_status"] == "matched"].iterrows():
        if not f["path"].endswith(".pdf") or "sheets" not in habits[f["locality"]]["known"]:
            continue
        pages = len(pikepdf.open(roots[f["locality"]] / f["path"]).pages)
        assert pages >= 1
        checked += status[tuple(f[k] for k in key)] in ("digitized", "page_mismatch")
    assert checked


def _record(position: int, title: str, sheets: int) -> Record:
    import datetime as dt

    words = title.split()
    return Record(
        title=Title(words, "", "", 2019),
        year_start=2019,
        year_end=2019,
        date_start=dt.date(2019, 1, 1),
        date_end=dt.date(2019, 1, 1),
        file_no=position + 1,
        box=1,
        code=f"2019.{position + 1}",
        sheets=sheets,
        retention="",
        notes="",
        keying="title_only",
        position=position,
    )


def test_tie_rule_pages_decide_twins_cut_before_their_number() -> None:
    a = _record(0, "Báo cáo tình hình kinh tế - xã hội quý III năm 2019", 4)
    b = _record(1, "Báo cáo tình hình kinh tế - xã hội quý IV năm 2019", 10)
    cut = Visible("bao cao tinh hinh kinh te xa hoi quy", True, True)
    scans = [Scan(record=a, pages=5, evidence={"title": cut})]
    scans.append(Scan(record=b, pages=12, evidence={"title": cut}))
    label(scans, [a, b], {"sheets", "year"})
    assert [s.status for s in scans] == ["matched", "matched"]
    b.sheets = 4  # now the pages fit both: a true tie, both to review with both candidates
    scans = [Scan(record=a, pages=5, evidence={"title": cut})]
    scans.append(Scan(record=b, pages=6, evidence={"title": cut}))
    label(scans, [a, b], {"sheets", "year"})
    assert [s.status for s in scans] == ["needs_review", "needs_review"]
    assert scans[0].candidates == {0, 1}


def test_tie_rule_counters_follow_order_unless_pages_say_swapped() -> None:
    recs = [_record(k, f"Hồ sơ số {k}", s) for k, s in enumerate((2, 10, 30, 3))]
    for r in recs:
        r.keying = "counter_bare"
    bare = ("counter_bare", None)
    scans = [
        Scan(record=r, pages=r.sheets, seq=k, evidence={"bare": bare}) for k, r in enumerate(recs)
    ]
    label(scans, recs, {"sheets"})
    assert all(s.status == "matched" for s in scans)
    # the second and third scanned in each other's place: pages show it, so it is decided
    swapped = [scans[0], scans[2], scans[1], scans[3]]
    for k, s in enumerate(swapped):
        s.seq = k
    label(swapped, recs, {"sheets"})
    assert all(s.status == "matched" for s in swapped)


def test_typed_title_keeps_what_a_cut_leaves() -> None:
    words = "Hồ sơ cấp GCN cho hộ ông An, thửa đất số 18, tờ bản đồ số 4"
    words = words.split()  # noqa: SIM905
    typed, visible = type_title(words, Typing(fold=True), random.Random(1), 45)
    assert len(typed) <= 45 and visible.cut
    assert visible.fits(" ".join(words))
    assert not visible.fits("Hồ sơ cấp GCN cho hộ bà Lan, thửa đất số 18, tờ bản đồ số 4")


def test_conventions_dealt_over_three_seeds() -> None:
    dealt = {
        stationgen.CONVENTIONS[(5 * seed + k) % len(stationgen.CONVENTIONS)]
        for seed in (200, 201, 202)
        for k in range(5)
    }
    assert dealt == set(stationgen.CONVENTIONS)
    assert len(stationgen.CONVENTIONS) >= 12


def test_tiny_province_audits_and_scores(tmp_path: Path) -> None:
    from bench.generalize import run_one

    result = run_one(3, 25, tmp_path, 2, True, False, "stationgen")
    assert "error" not in result, result
    for name in ("link_precision", "link_recall", "link_f1", "record_status_f1", "file_status_f1"):
        assert 0.0 <= float(result[name]) <= 1.0  # type: ignore[arg-type]
    assert 0.0 <= float(result["review_rate"]) <= 1.0  # type: ignore[arg-type]
    keyings = {row["keying"] for row in result["by_keying"]}  # type: ignore[attr-defined]
    assert keyings <= set(stationgen.CONVENTIONS)
