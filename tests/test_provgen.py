"""bench/provgen: a labelled province generator independent of the demo and of matchgen.

Checked here: the same seed writes the same province, the truth agrees with itself and with the
tree on disk, every naming convention is reachable, and a province audits and scores end to end
(the scores are numbers, not a quality bar: the matcher is judged by bench/generalize.py).
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.provgen import (  # noqa: E402
    CONVENTIONS,
    FILE_STATUSES,
    KEYINGS,
    RECORD_STATUSES,
    generate,
)
from bench.provgen import habits as habits_mod  # noqa: E402
from bench.provgen.typist import Typing, fits, tokens, type_title  # noqa: E402


def _tree_digest(base: Path) -> dict[str, str]:
    return {
        p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


def _truth(project: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    truth = project.parent / "ground_truth"
    return (
        pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False),
        pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False),
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("provgen") / "p", seed=11, records_per_locality=60, localities=3
    )


def test_same_seed_same_province_other_seed_other(tmp_path: Path, small: Path):
    again = generate(tmp_path / "again", seed=11, records_per_locality=60, localities=3)
    assert _tree_digest(small.parent) == _tree_digest(again.parent)
    other = generate(tmp_path / "other", seed=12, records_per_locality=60, localities=3)
    assert _tree_digest(other.parent) != _tree_digest(small.parent)


def test_truth_is_self_consistent(small: Path):
    records, files = _truth(small)
    base = small.parent
    assert set(records["expected_status"]) <= set(RECORD_STATUSES)
    assert set(files["expected_status"]) <= set(FILE_STATUSES)
    key = ["locality", "source_file", "source_sheet", "source_row"]
    record_keys = set(records[key].itertuples(index=False, name=None))
    assert len(record_keys) == len(records)  # one truth row per inventory row
    linked = files[files["source_row"] != ""]
    assert set(linked[key].itertuples(index=False, name=None)) <= record_keys
    # Only orphans carry no record; a copy names the record of its original.
    assert (files.loc[files["source_row"] == "", "expected_status"] == "orphan").all()
    assert (files.loc[files["expected_status"] == "orphan", "source_row"] == "").all()
    project = small.read_text(encoding="utf-8")
    for loc, group in files.groupby("locality"):
        root = next(
            line.split('"')[1]
            for line in project.split("[[locality]]")[1:]
            for _ in [0]
            if f'name = "{loc}"' in line
            for line in line.splitlines()
            if line.startswith("scan_roots")
        )
        for path in group["path"]:
            assert (base / root / path).is_file(), path
    for source in set(records["source_file"]):
        assert (base / source).is_file()
    # Every digitized record has a scan, every missing one none; a repeat names no scan.
    assert (records.loc[records["expected_status"] == "digitized", "true_paths"] != "").all()
    assert (records.loc[records["expected_status"] == "missing", "true_paths"] == "").all()
    assert (records.loc[records["expected_status"] == "duplicate_entry", "true_paths"] == "").all()
    # No two scans share their bytes unless one is an injected copy (or both are empty).
    by_digest: dict[str, list[str]] = {}
    for _, row in files.iterrows():
        if row["expected_status"] in ("duplicate", "empty"):
            continue
        data = next((base / "scans").glob(f"*/{row['path']}")).read_bytes()
        by_digest.setdefault(hashlib.sha256(data).hexdigest(), []).append(row["path"])
    assert all(len(paths) == 1 for paths in by_digest.values())
    # A byte-identical copy has an original with the same bytes that is not itself a copy.
    for _, copy in files[files["expected_status"] == "duplicate"].iterrows():
        root = base / "scans"
        data = next(root.glob(f"*/{copy['path']}")).read_bytes()
        same = files[
            (files["source_row"] == copy["source_row"])
            & (files["source_file"] == copy["source_file"])
            & (files["expected_status"] != "duplicate")
        ]
        assert any(next(root.glob(f"*/{p}")).read_bytes() == data for p in same["path"])


def test_every_naming_convention_is_reachable():
    seen: set[str] = set()
    for seed in range(300):
        drawn = habits_mod.draw(random.Random(seed))
        seen |= set(drawn.keyings)
        if len(drawn.keyings) > 1:
            seen.add("mixed")
    assert seen == set(CONVENTIONS)
    assert len(CONVENTIONS) >= 12


@pytest.mark.parametrize("keying", KEYINGS)
def test_each_keying_writes_a_labelled_locality(tmp_path: Path, keying: str):
    project = generate(
        tmp_path / keying, seed=5, records_per_locality=40, localities=1, keyings=[(keying,)]
    )
    records, files = _truth(project)
    assert set(records["keying"]) == {keying} and set(files["keying"]) == {keying}
    assert (files["expected_status"] == "matched").sum() >= 25
    expected = {"missing", "damaged_scan", "duplicate_entry"}
    if (
        "sheets"
        in json.loads(
            (project.parent / "ground_truth" / "habits.json").read_text(encoding="utf-8")
        )[records["locality"][0]]["columns"]
    ):
        expected.add("page_mismatch")  # a short scan shows only against a sheets column
    assert expected <= set(records["expected_status"])
    assert {"duplicate", "empty", "corrupt"} <= set(files["expected_status"])


def test_a_mixed_tree_keeps_two_batches(tmp_path: Path):
    project = generate(
        tmp_path / "mixed",
        seed=8,
        records_per_locality=60,
        localities=1,
        keyings=[("counter_sidecar", "box_folders")],
    )
    _, files = _truth(project)
    assert set(files["keying"]) == {"counter_sidecar", "box_folders"}


def test_a_cut_typing_fits_both_twins_and_a_whole_one_only_its_own():
    rng = random.Random(1)
    a = "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Lê Văn An, thửa đất số 18"
    b = "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Lê Văn An, thửa đất số 19"
    cut = Typing("Ho so cap GCN QSDD cho ho o. Le Van An, thua 1", cut=True)
    assert fits(cut, tokens(cut.text), tokens(a)) and fits(cut, tokens(cut.text), tokens(b))
    whole = type_title(a, "mid", rng, frozenset({"GCN QSDĐ", "thửa"}), cut_at=120)
    assert fits(whole, tokens(whole.text), tokens(a))
    assert not fits(whole, tokens(whole.text), tokens(b))


def test_audit_and_score_run_end_to_end(tmp_path: Path):
    from bench.generalize import run_one

    result = run_one(seed=3, records=40, out=tmp_path, localities=2, by_keying=True, keep=False)
    for name in (
        "link_precision",
        "link_recall",
        "link_f1",
        "record_status_f1",
        "file_status_f1",
        "review_rate",
    ):
        value = result[name]
        assert isinstance(value, float) and 0.0 <= value <= 1.0, (name, value)
    assert result["seconds"] > 0
    assert {row["keying"] for row in result["by_keying"]}  # type: ignore[union-attr]
