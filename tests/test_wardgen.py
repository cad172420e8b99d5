"""bench/wardgen: its truth agrees with the files it writes and with its labelling rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
import sys
import tomllib
import unicodedata
from pathlib import Path

import pandas as pd
import pikepdf
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import wardgen  # noqa: E402
from bench.wardgen.build import _components  # noqa: E402
from bench.wardgen.inventory import _cp1258  # noqa: E402
from bench.wardgen.keyboard import fold, marks  # noqa: E402
from bench.wardgen.labels import Item, ScanFile, label  # noqa: E402
from bench.wardgen.naming import Evidence  # noqa: E402
from bench.wardgen.records import Part, Record  # noqa: E402
from khaudit.inventory.loader import load_locality  # noqa: E402
from khaudit.project import load_project  # noqa: E402

_KEY = ("locality", "source_file", "source_sheet", "source_row")
_LOGS = {"nhat_ky_quet.csv", "DanhSachFile.xlsx"}  # the day folders' scanning logs


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wardgen") / "p"
    # a seed whose small province holds every injected kind (a tie, an orphan, a copy, a
    # rescan, a scan in two parts, a damaged and a short scan, a row typed twice)
    wardgen.generate(out, seed=46, records_per_locality=50, localities=3)
    return out


def _truth(province: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = {"dtype": str, "keep_default_na": False}
    return (
        pd.read_csv(province / "ground_truth" / "records.csv", **read),
        pd.read_csv(province / "ground_truth" / "files.csv", **read),
    )


def _roots(province: Path) -> dict[str, Path]:
    text = (province / "project.toml").read_text("utf-8")
    return {loc["name"]: province / loc["scan_roots"][0] for loc in tomllib.loads(text)["locality"]}


def _pages(path: Path) -> int:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def test_every_kind_is_injected(province: Path) -> None:
    records, files = _truth(province)
    injected = set(records["injected"]) | set(files["injected"])
    kinds = {"orphan", "copy", "rescan", "split", "tie", "short_scan", "repeat_row", "missing"}
    assert kinds <= injected and {"empty", "truncated"} & injected


def test_a_record_handed_back_by_the_portal_is_a_folder_of_component_pdfs() -> None:
    parts = _components("BN_000_70_10_H34-190128-0001", 11, random.Random(3))
    assert 2 <= len(parts) <= 4 and sum(p.pages for p in parts) == 11
    assert all(p.pages >= 1 and p.role == "part" for p in parts)
    assert len({p.path.rsplit("/", 1)[0] for p in parts}) == 1


def test_every_truth_file_exists_and_every_scan_is_in_the_truth(province: Path) -> None:
    _, files = _truth(province)
    for name, root in _roots(province).items():
        listed = set(files.loc[files["locality"] == name, "path"])
        on_disk = {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.name not in _LOGS
        }
        assert listed == on_disk


def test_the_truth_rows_are_the_rows_khaudit_loads(province: Path) -> None:
    """Every inventory data row is in the truth, with its sheets; and every linked record's
    scans have the pages its status says."""
    records, files = _truth(province)
    project = load_project(province / "project.toml")
    roots = _roots(province)
    for loc in project.localities:
        table, _ = load_locality(list(loc.inventories), loc.name, loc.columns)
        loaded = table.assign(source_row=table["source_row"].astype(str)).set_index(
            ["source_file", "source_sheet", "source_row"]
        )
        mine = records[records["locality"] == loc.name].set_index(
            ["source_file", "source_sheet", "source_row"]
        )
        assert set(mine.index) <= set(loaded.index)
        # a two-row header saved as CSV keeps its second row apart (no merged cells to
        # fill): khaudit reads it as a row with no title; it is no record of the truth
        extra = loaded.loc[sorted(set(loaded.index) - set(mine.index))]
        assert (extra["title"].fillna("") == "").all()
        for key, row in mine.iterrows():
            sheets = loaded.at[key, "sheets"]
            if not row["true_paths"] or pd.isna(sheets):
                continue
            paths = [roots[loc.name] / p for p in row["true_paths"].split("|")]
            if row["expected_status"] == "damaged_scan":
                continue
            first = [p for p in paths if not _rescan(p.name)]
            pages = sum(_pages(p) for p in first)
            fits = int(sheets) <= pages <= 2 * int(sheets)
            assert fits == (row["expected_status"] in ("digitized", "needs_review")), key


def _rescan(name: str) -> bool:
    return any(m in name for m in ("_quet lai", " (scan lai)", "_v2", "_lan2"))


def test_damaged_copies_and_statuses_agree_with_the_bytes(province: Path) -> None:
    records, files = _truth(province)
    roots = _roots(province)
    digest = {}
    for _, f in files.iterrows():
        data = (roots[f["locality"]] / f["path"]).read_bytes()
        digest[(f["locality"], f["path"])] = hashlib.sha256(data).hexdigest()
        if f["expected_status"] == "empty":
            assert data == b""
        elif f["expected_status"] == "corrupt":
            # cut off: a head without its cross-reference table and end marker
            assert data.startswith(b"%PDF-") and b"%%EOF" not in data and b"xref" not in data
        elif f["path"].endswith(".pdf"):
            pikepdf.open(io.BytesIO(data)).close()
    matched = files[files["expected_status"] == "matched"]
    originals = {digest[(loc, p)]: (loc, p) for loc, p in zip(matched["locality"], matched["path"])}
    for _, f in files[files["expected_status"] == "duplicate"].iterrows():
        assert digest[(f["locality"], f["path"])] in originals
    # no two scans share their bytes unless one is a copy (or both are empty)
    kept = files[~files["expected_status"].isin(["duplicate", "empty"])]
    assert len({digest[(a, b)] for a, b in zip(kept["locality"], kept["path"])}) == len(kept)
    statuses = dict(zip(zip(*(records[k] for k in _KEY)), records["expected_status"]))
    for _, f in files[files["expected_status"] == "matched"].iterrows():
        status = statuses[tuple(f[k] for k in _KEY)]
        assert status in ("digitized", "page_mismatch")
    for _, f in files[files["expected_status"] == "needs_review"].iterrows():
        assert statuses[tuple(f[k] for k in _KEY)] == "needs_review"
    assert (files.loc[files["expected_status"] == "orphan", "source_row"] == "").all()


def _record(idx: int, title: str, sheets: int = 4, owner: str = "") -> Record:
    parts = [Part(title)] + ([Part(owner, role="person")] if owner else [])
    persons = (fold(owner),) if owner else ()
    return Record(idx, "gcn", parts, persons, owner, dt.date(2020, 1, 1), (0, 0), sheets, sheets)


def _item(idx: int, evidence: list[Evidence], pages: int = 4, stem: str = "x") -> Item:
    rec = _record(idx, "")
    item = Item([rec], evidence, "t", stem)
    item.files = [ScanFile(f"{stem}.pdf", pages)]
    return item


def test_the_rule_reads_a_cut_number_as_a_prefix_and_ties_what_it_cannot_tell() -> None:
    a = _record(0, "Hồ sơ cấp GCN QSDĐ thửa đất số 18 tờ bản đồ số 4")
    b = _record(1, "Hồ sơ cấp GCN QSDĐ thửa đất số 124 tờ bản đồ số 4")
    c = _record(2, "Hồ sơ cấp GCN QSDĐ thửa đất số 30 tờ bản đồ số 4")
    words = ("cap", "gcn", "qsdd", "thua", "dat", "so")
    cut = _item(0, [Evidence("title", (words, "1", False))])
    label([a, b, c], [cut], has_sheets=False)
    assert cut.candidates == [0, 1]  # "thửa đất số 1…": 18 or 124, never 30


def test_the_rule_narrows_by_pages_then_strikes_what_another_scan_took() -> None:
    a = _record(0, "Báo cáo năm", sheets=3)
    b = _record(1, "Báo cáo năm", sheets=10)
    whole = ("bao", "cao", "nam")
    first = _item(0, [Evidence("title", (whole, "", True))], pages=4, stem="a")
    second = _item(1, [Evidence("title", (whole, "", True))], pages=12, stem="b")
    label([a, b], [first, second], has_sheets=True)
    assert (first.candidates, second.candidates) == ([0], [1])
    # without a sheets column the two stay a true tie
    label([a, b], [first, second], has_sheets=False)
    assert first.candidates == second.candidates == [0, 1]


def test_the_rule_reads_a_ghi_chu_that_names_the_file_once() -> None:
    a = _record(0, "Hồ sơ", owner="Nguyễn Văn An")
    b = _record(1, "Hồ sơ", owner="Nguyễn Văn An")
    b.notes = "Scan_20250515_143022.pdf"
    scan = _item(1, [Evidence("person", "nguyen van an")], stem="Scan_20250515_143022")
    label([a, b], [scan], has_sheets=False)
    assert scan.candidates == [1]
    b.notes = "Scan_2025051_143022"  # one letter off, and no other file has that name
    label([a, b], [scan], has_sheets=False)
    assert scan.candidates == [1]
    twin = _item(0, [Evidence("person", "nguyen van an")], stem="Scan_20250515_143022")
    label([a, b], [scan, twin], has_sheets=False)  # two files of that name: the cell names none
    assert scan.candidates == twin.candidates == [0, 1]


def test_an_orphan_fits_no_row() -> None:
    a = _record(0, "Hồ sơ", owner="Nguyễn Văn An")
    scan = _item(5, [Evidence("person", "tran thi binh")])
    label([a], [scan], has_sheets=False)
    assert scan.candidates == []


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_and_other_seeds_other_habits(tmp_path: Path) -> None:
    one = wardgen.generate(tmp_path / "a", seed=7, records_per_locality=15, localities=2)
    two = wardgen.generate(tmp_path / "b", seed=7, records_per_locality=15, localities=2)
    assert _tree(one.parent) == _tree(two.parent)
    three = wardgen.generate(tmp_path / "c", seed=8, records_per_locality=15, localities=2)
    habits = [
        json.loads((p.parent / "ground_truth" / "habits.json").read_text()) for p in (one, three)
    ]
    anchors = [[[b["anchor"] for b in loc["batches"]] for loc in h] for h in habits]
    assert habits[0] != habits[1] and anchors[0] != anchors[1]


def test_keystrokes_and_code_pages_are_written_as_offices_leave_them() -> None:
    assert marks("Quyết định", "telex") == "Quyeets ddinhj"
    assert marks("Quyết định", "vni") == "Quye6t1 d9inh5"
    assert marks("Quyết định", "nfd") == unicodedata.normalize("NFD", "Quyết định")
    assert fold("Hồ sơ ĐK khai sinh") == "ho so dk khai sinh"
    text = "Hồ sơ đăng ký biến động đất đai của bà Trần Thị Ngọc Ánh, Ậ Ặ Ưng"
    assert unicodedata.normalize("NFC", _cp1258(text).decode("cp1258")) == text
