"""bench/fondsgen: its truth agrees with the files it writes and with its labelling rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import fondsgen  # noqa: E402
from bench.fondsgen import legacy  # noqa: E402
from bench.fondsgen.habits import Scheme, Typing  # noqa: E402
from bench.fondsgen.keyboard import type_title  # noqa: E402
from bench.fondsgen.labels import Reader, label  # noqa: E402
from bench.fondsgen.naming import Item  # noqa: E402
from bench.fondsgen.records import Record  # noqa: E402

_EXPORTS = {".csv", ".xlsx", ".xml"}  # the scanning tool's exports: never scans


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fondsgen") / "p"
    # a seed whose small province holds a tie, an orphan, a copy, a rescan, a short and a
    # damaged scan (checked below), so that every check here meets each kind
    fondsgen.generate(out, seed=24, records_per_locality=40, localities=3)
    return out


def _truth(province: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = {"dtype": str, "keep_default_na": False}
    return (
        pd.read_csv(province / "ground_truth" / "records.csv", **read),
        pd.read_csv(province / "ground_truth" / "files.csv", **read),
    )


def _roots(province: Path) -> dict[str, Path]:
    text = (province / "project.toml").read_text("utf-8")
    import tomllib

    return {loc["name"]: province / loc["scan_roots"][0] for loc in tomllib.loads(text)["locality"]}


def test_every_truth_file_exists_and_every_scan_is_in_the_truth(province: Path) -> None:
    _, files = _truth(province)
    for name, root in _roots(province).items():
        listed = set(files.loc[files["locality"] == name, "path"])
        on_disk = {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.suffix not in _EXPORTS
        }
        assert listed == on_disk


def test_labels_follow_the_rule(province: Path) -> None:
    records, files = _truth(province)
    kinds = set(files["expected_status"]) | set(files["injected"])
    assert {"needs_review", "orphan", "duplicate", "rescan", "short_scan", "corrupt"} <= kinds
    key = ["locality", "source_file", "source_sheet", "source_row"]
    linked = files[files["expected_status"].isin(["matched", "empty", "corrupt"])]
    status = linked.merge(records, on=key, suffixes=("", "_record"))["expected_status_record"]
    assert len(status) == len(linked)  # every linked scan names an inventory row
    assert set(status) <= {"digitized", "page_mismatch", "damaged_scan"}
    assert (files.loc[files["expected_status"] == "orphan", "source_row"] == "").all()
    scanned = set(map(tuple, linked[key].to_numpy()))
    done = records[records["expected_status"].isin(["digitized", "page_mismatch"])]
    assert set(map(tuple, done[key].to_numpy())) <= scanned
    missing = records[records["expected_status"] == "missing"]
    assert not set(map(tuple, missing[key].to_numpy())) & scanned
    reviewed = files[files["expected_status"] == "needs_review"]
    reviewed_rows = reviewed.merge(records, on=key, suffixes=("", "_record"))
    assert (reviewed_rows["expected_status_record"] == "needs_review").all()
    for copy in files[files["expected_status"] == "duplicate"].itertuples():
        twins = files[
            (files["locality"] == copy.locality) & (files["source_row"] == copy.source_row)
        ]
        assert (twins["expected_status"] == "matched").any()


def test_copies_are_byte_identical_and_other_scans_are_not(province: Path) -> None:
    _, files = _truth(province)
    roots = _roots(province)
    digests: dict[str, str] = {}
    copies = []
    for row in files.itertuples():
        data = (roots[row.locality] / row.path).read_bytes()
        if row.expected_status == "empty":
            assert data == b""
            continue
        digest = hashlib.sha256(data).hexdigest()
        if row.expected_status == "duplicate":
            copies.append(digest)
        else:
            assert digest not in digests, (row.path, digests.get(digest))
            digests[digest] = row.path
    assert copies and set(copies) <= set(digests)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_habits(tmp_path: Path, province: Path) -> None:
    fondsgen.generate(tmp_path / "again", seed=24, records_per_locality=40, localities=3)
    assert _digests(tmp_path / "again") == _digests(province)
    fondsgen.generate(tmp_path / "other", seed=25, records_per_locality=40, localities=3)
    ours = json.loads((province / "ground_truth" / "habits.json").read_text("utf-8"))
    theirs = json.loads((tmp_path / "other" / "ground_truth" / "habits.json").read_text("utf-8"))
    assert list(ours.values()) != list(theirs.values())
    _, files = _truth(province)
    other = pd.read_csv(tmp_path / "other" / "ground_truth" / "files.csv", dtype=str)
    assert set(files["keying"]) != set(other["keying"])


def test_legacy_encoders_write_the_fonts_codes() -> None:
    assert legacy.tcvn3("Hồ sơ cấp giấy chứng nhận") == "Hå s¬ cÊp giÊy chøng nhËn"
    assert legacy.vni("Hoà") == "Hoaø"
    assert legacy.cp1258("Việt").decode("cp1258") == "Vie\u0323\u0302t".replace(
        "e\u0323\u0302", "ê\u0323"
    )


def _record(index: int, title: str, sheets: int) -> Record:
    day = dt.date(2019, 3, 1)
    return Record("report", title, day, day, sheets, index=index, row=index + 2)


def _item(rec: Record, title: str, pages: int, order: int = 0) -> Item:
    typing = Typing(marks=False, abbreviate=0.0, noise=0, cut=40, case="as", sep=" ")
    scheme = Scheme("title", (), True, (), " ", 0, "pdf", typing)
    _, seen = type_title(title, typing, random.Random(0))
    return Item(rec, scheme, "", title, "title", seen=[seen], pages=pages, order=order)


def test_a_cut_title_ties_twins_unless_pages_or_order_decide() -> None:
    base = "Báo cáo tình hình an ninh trật tự trên địa bàn quý {} năm 2019"
    recs = [_record(k, base.format(k + 1), sheets) for k, sheets in enumerate((4, 10, 4))]
    reader = Reader(recs)
    tie = _item(recs[0], recs[0].title, pages=5)
    by_pages = _item(recs[1], recs[1].title, pages=12)  # only 10 sheets take 12 pages
    label([tie, by_pages], reader, pages_visible=True)
    assert by_pages.expected == "matched" and by_pages.fit == (1,)
    assert tie.expected == "needs_review" and tie.fit == (0, 2)
    counters = [_item(r, r.title, pages=5, order=10 + k) for k, r in enumerate(recs)]
    counters[0].seen = counters[2].seen = []  # the export names these two outright
    for k, rec in enumerate(recs):
        rec.stt = k + 1
    counters[0].eq = {"stt": 1}
    counters[2].eq = {"stt": 3}
    label(counters, Reader(recs), pages_visible=False)
    assert [c.fit for c in counters] == [(0,), (1,), (2,)]


def test_a_name_saved_again_is_read_in_scanning_order() -> None:
    base = "Biên bản họp Ủy ban nhân dân tháng 10 năm 201{}"
    recs = [_record(k, base.format(k + 5), sheets=4) for k in range(3)]
    again = [_item(r, base.format(5), pages=5) for r in recs]  # cut before the year
    for k, item in enumerate(again):
        item.sequence, item.order = "bien ban", k + 1
    label(again, Reader(recs), pages_visible=True)
    assert [i.fit for i in again] == [(0,), (1,), (2,)]
    label(again[:2], Reader(recs), pages_visible=True)  # two scans, three records: a tie
    assert {i.expected for i in again[:2]} == {"needs_review"}
