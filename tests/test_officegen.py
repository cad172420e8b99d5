"""bench/officegen: a third labelled province generator (offices' habits), its truth and its
labelling rule for ties."""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pikepdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import officegen  # noqa: E402
from bench.officegen import labels, pdfs  # noqa: E402
from bench.officegen.habits import CONVENTIONS  # noqa: E402
from bench.officegen.naming import Part, Scan  # noqa: E402
from bench.officegen.records import Record  # noqa: E402
from bench.officegen.typist import TypingHabit, fold, title_fits, typed_title  # noqa: E402

RECORD_STATUSES = {
    "digitized",
    "page_mismatch",
    "damaged_scan",
    "missing",
    "duplicate_entry",
    "needs_review",
}
FILE_STATUSES = {"matched", "orphan", "duplicate", "corrupt", "empty", "needs_review"}
KEY = ["locality", "source_file", "source_sheet", "source_row"]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("officegen") / "p"
    officegen.generate(out, seed=11, records_per_locality=60, localities=5)
    return out


def _truth(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = {"dtype": str, "keep_default_na": False}
    return (
        pd.read_csv(out / "ground_truth" / "records.csv", **read),
        pd.read_csv(out / "ground_truth" / "files.csv", **read),
    )


def _digest(out: Path) -> dict[str, str]:
    """Every file's content; a workbook by its cells (openpyxl stamps the time it saved)."""
    digests = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            data = repr([[list(r) for r in s.iter_rows(values_only=True)] for s in book]).encode()
        else:
            data = path.read_bytes()
        digests[path.relative_to(out).as_posix()] = hashlib.sha256(data).hexdigest()
    return digests


def test_same_seed_same_province_other_seed_other(tmp_path: Path) -> None:
    officegen.generate(tmp_path / "a", seed=5, records_per_locality=25, localities=3)
    # another process (its own hash seed, no cached templates) writes the same bytes
    code = f"from bench import officegen; officegen.generate({str(tmp_path / 'b')!r}, 5, 25, 3)"
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    officegen.generate(tmp_path / "c", seed=6, records_per_locality=25, localities=3)
    first = _digest(tmp_path / "a")
    assert first == _digest(tmp_path / "b")
    assert first != _digest(tmp_path / "c")


def test_truth_columns_and_statuses(province: Path) -> None:
    records, files = _truth(province)
    assert list(records.columns) == [
        *KEY,
        "record_code",
        "title",
        "expected_status",
        "injected",
        "true_paths",
        "keying",
    ]
    assert list(files.columns) == [
        "locality",
        "path",
        "expected_status",
        "injected",
        *KEY[1:],
        "keying",
    ]
    assert set(records["expected_status"]) <= RECORD_STATUSES
    assert set(files["expected_status"]) <= FILE_STATUSES
    assert set(records["keying"]) <= set(CONVENTIONS)
    assert set(files["keying"]) <= {*CONVENTIONS, "stray"}
    # the injected problems are all there at this size
    assert {"missing", "repeat"} <= set(records["injected"])
    assert {"duplicate", "orphan"} <= set(files["injected"])


def test_every_file_names_a_record_that_exists_and_agrees(province: Path) -> None:
    records, files = _truth(province)
    rows = records.set_index(KEY)
    linked = files[files["source_row"] != ""]
    for row in linked.itertuples(index=False):
        key = (row.locality, row.source_file, row.source_sheet, row.source_row)
        assert key in rows.index, f"{row.path} names a row the truth lacks: {key}"
        record = rows.loc[key]
        assert record["expected_status"] != "duplicate_entry"
        if row.expected_status in ("matched", "corrupt", "empty"):
            assert row.path in record["true_paths"].split("|")
    assert (files.loc[files["expected_status"] == "orphan", "source_row"] == "").all()
    assert (files.loc[files["expected_status"] != "orphan", "source_row"] != "").all()


def test_statuses_agree_between_records_and_files(province: Path) -> None:
    records, files = _truth(province)
    by_record = files[files["source_row"] != ""].groupby(KEY)["expected_status"].agg(set)
    for row in records.itertuples(index=False):
        key = (row.locality, row.source_file, row.source_sheet, row.source_row)
        statuses = by_record.get(key, set())
        if row.expected_status in ("digitized", "page_mismatch"):
            assert "matched" in statuses, key
        elif row.expected_status == "damaged_scan":
            assert statuses & {"corrupt", "empty"}, key
        elif row.expected_status in ("missing", "duplicate_entry"):
            assert not statuses & {"matched", "corrupt", "empty"}, key
    # a byte-identical copy belongs to a record whose original is matched
    for row in files[files["expected_status"] == "duplicate"].itertuples(index=False):
        key = (row.locality, row.source_file, row.source_sheet, row.source_row)
        assert "matched" in by_record[key]


def test_files_on_disk_are_the_truth_and_copies_are_byte_identical(province: Path) -> None:
    _, files = _truth(province)
    project = (province / "project.toml").read_text(encoding="utf-8")
    listed = set()
    for name in files["locality"].unique():
        assert f'name = "{name}"' in project
    for root in sorted((province / "scans").iterdir()):
        on_disk = {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.suffix.lower() in (".pdf", ".jpg", ".tif")
        }
        listed |= {f"{root.name}/{p}" for p in on_disk}
    truth = {
        f"{_slug_of(province, loc)}/{path}"
        for loc, path in files[["locality", "path"]].itertuples(index=False)
    }
    assert listed == truth
    sizes = {
        (row.locality, row.path): (province / "scans" / _slug_of(province, row.locality) / row.path)
        for row in files.itertuples(index=False)
    }
    empty = files[files["expected_status"] == "empty"]
    for row in empty.itertuples(index=False):
        assert sizes[(row.locality, row.path)].stat().st_size == 0


def _slug_of(province: Path, locality: str) -> str:
    lines = (province / "project.toml").read_text(encoding="utf-8").splitlines()
    at = lines.index(f'name = "{locality}"')
    root = next(line for line in lines[at:] if line.startswith("scan_roots"))
    return root.split('"')[1].split("/", 1)[1]


def test_conventions_cover_twelve_and_every_locality_mixes(tmp_path: Path) -> None:
    seen: set[str] = set()
    for seed in (1, 2):
        out = tmp_path / f"s{seed}"
        officegen.generate(out, seed=seed, records_per_locality=40, localities=5)
        records, _ = _truth(out)
        per = records.groupby("locality")["keying"].nunique()
        assert (per >= 2).all(), per
        seen |= set(records["keying"])
    assert len(seen) >= 12, sorted(seen)


@pytest.mark.parametrize("writer", pdfs.WRITERS)
def test_each_writer_gives_the_pages_asked_and_unique_bytes(writer: str) -> None:
    one = pdfs.pdf_bytes(writer, 3, "aa01")
    two = pdfs.pdf_bytes(writer, 3, "aa02")
    assert one != two
    for data in (one, two):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 3


def test_typed_title_covers_only_what_was_typed() -> None:
    habit = TypingHabit(
        abbreviate=1.0, marks="strip", case="upper", joiner=" ", slips=0.0, limit=42
    )
    title = "Báo cáo tình hình thực hiện nhiệm vụ kinh tế - xã hội quý II năm 2019 của UBND xã A"
    typed = typed_title(title, habit, random.Random(1))
    assert len(typed.text) <= 42 and typed.text == typed.text.upper()
    assert title_fits(typed.covered, fold(title))
    # a cut before the quarter leaves the other quarters of the year possible
    twin = title.replace("quý II", "quý III")
    other_year = title.replace("2019", "2018")
    assert title_fits(typed.covered, fold(twin)) or "Q" in typed.text
    cut = typed_title(title, TypingHabit(0.0, "keep", "asis", " ", 0.0, 20), random.Random(2))
    assert title_fits(cut.covered, fold(twin)) and title_fits(cut.covered, fold(other_year))


def _record(sheets: int) -> Record:
    import datetime as dt

    day = dt.date(2019, 1, 1)
    return Record("report", "t", 2019, day, day, sheets)


def test_labels_tie_rule() -> None:
    records = [_record(4), _record(4), _record(20)]

    def scan(record: int, candidates: list[int], pages: int, group: str = "") -> Scan:
        return Scan(record, "title_only", [Part(f"{record}.pdf", pages)], candidates, group)

    # pages decide between twins whose sheets differ
    linked, open_ = labels.decide([scan(2, [1, 2], 25)], records)
    assert linked == {0} and not open_
    # same sheets, no order: a true tie with both candidates
    linked, open_ = labels.decide([scan(0, [0, 1], 4)], records)
    assert not linked and open_ == {0: {0, 1}}
    # in a counter sequence where both twins were scanned, the order assigns them
    both = [scan(0, [0, 1], 4, "counter"), scan(1, [0, 1], 4, "counter")]
    linked, open_ = labels.decide(both, records)
    assert linked == {0, 1}
    # a twin linked by its own name is struck out of the other scan's candidates
    linked, open_ = labels.decide([scan(0, [0, 1], 4), scan(1, [1], 4)], records)
    assert linked == {0, 1} and not open_


def test_a_tiny_province_audits_and_scores_end_to_end(tmp_path: Path) -> None:
    from bench.generalize import run_one

    result = run_one(3, 30, tmp_path, 2, by_keying=True, keep=False, generator="officegen")
    assert "error" not in result, result
    for key in ("link_precision", "link_recall", "link_f1", "record_status_f1", "file_status_f1"):
        assert 0.0 <= float(result[key]) <= 1.0, (key, result[key])
    assert 0.0 <= float(result["review_rate"]) <= 1.0
    keyings = {row["keying"] for row in result["by_keying"]}
    assert keyings and keyings <= {*CONVENTIONS, "stray"}
