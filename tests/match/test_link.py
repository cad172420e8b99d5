"""The linker's decisions on small hand-made localities (no files on disk)."""

from __future__ import annotations

import pandas as pd
import pytest

from khaudit.inventory.loader import RECORD_FIELDS
from khaudit.match.link import match_locality
from khaudit.match.settings import MatchSettings
from khaudit.match.sidecar import SidecarIndex
from khaudit.scan.catalogue import SCAN_COLUMNS

LAND = "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An, thửa đất số {}, tờ bản đồ số 4"
BIRTHS = [
    f"Hồ sơ đăng ký khai sinh cho cháu {name}"
    for name in (
        "Trần Văn Bình",
        "Lê Thị Cúc",
        "Phạm Văn Dũng",
        "Võ Thị Hà",
        "Đỗ Văn Hùng",
        "Bùi Thị Lan",
        "Ngô Văn Long",
        "Đặng Thị Mai",
        "Hồ Văn Nam",
        "Dương Thị Oanh",
        "Lý Văn Phúc",
    )
]


def records(titles: list[str], codes: list[str] | None = None) -> pd.DataFrame:
    rows = []
    for i, title in enumerate(titles):
        row = dict.fromkeys(RECORD_FIELDS, "")
        row.update(
            locality="Xã Thử",
            source_file="muc_luc.xlsx",
            source_sheet="Sheet1",
            source_row=i + 2,
            title=title,
            box=None,
            file_no=None,
            year_start=2019,
            year_end=2019,
            sheets=5,
            hidden=False,
            record_code=codes[i] if codes else "",
        )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=RECORD_FIELDS)
    for col in ("box", "file_no", "year_start", "year_end", "sheets"):
        frame[col] = frame[col].astype("Int64")
    return frame


def scans(paths: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "locality": "Xã Thử",
                "root": "/scans",
                "path": p,
                "role": "scan",
                "size": 1000,
                "mtime": 0.0,
                "inode": i,
                "xxh3_128": f"{i:032x}",
                "sha256": "",
                "format": "pdf",
                "pages": 7,
                "dpi": None,
                "color_mode": "",
                "integrity": "ok",
                "integrity_note": "",
            }
            for i, p in enumerate(paths, 1)
        ],
        columns=SCAN_COLUMNS,
    )


def links(titles: list[str], paths: list[str], codes: list[str] | None = None) -> pd.DataFrame:
    result = match_locality(records(titles, codes), scans(paths), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    table = result.links.copy()
    table["path"] = table["item_id"].map(path_of)
    return table


def test_an_exact_title_links_one_to_one():
    name = "Ho so cap GCN QSDD cho ho ong Nguyen Van An thua dat so 124 to ban do so 4.pdf"
    table = links([LAND.format(123), LAND.format(124)] + BIRTHS, [name])
    assert table[["record", "method", "decision"]].values.tolist() == [[1, "title", "link"]]
    assert "100%" in table["explanation"].iloc[0]


def test_twins_a_cut_title_takes_the_twin_whose_record_has_no_scan_yet():
    # Record 0 has its own scan by code; the cut title fits both twins equally. One scan per
    # record: the twin left is record 1, and the link says which scan record 0 has.
    table = links(
        [LAND.format(123), LAND.format(124)] + BIRTHS,
        ["H56.01.2019.0001.pdf", "Ho so cap GCN QSDD cho ho ong Nguyen Van An.pdf"],
        codes=["H56.01.2019.0001", "H56.01.2019.0002"] + [""] * len(BIRTHS),
    )
    linked = table[table["decision"] == "link"].sort_values("record")
    assert linked[["record", "path"]].values.tolist() == [
        [0, "H56.01.2019.0001.pdf"],
        [1, "Ho so cap GCN QSDD cho ho ong Nguyen Van An.pdf"],
    ]
    assert "H56.01.2019.0001.pdf" in linked["explanation"].iloc[1]  # why record 0 is out
    assert (table["decision"] == "review").sum() == 0


def test_twins_a_cut_title_whose_records_all_have_scans_goes_to_a_person():
    # Both twins already have their scans by code: the third scan (a second copy? a part?)
    # fits only records that are taken, so a person decides; every candidate is shown.
    table = links(
        [LAND.format(123), LAND.format(124)] + BIRTHS,
        [
            "H56.01.2019.0001.pdf",
            "H56.01.2019.0002.pdf",
            "Ho so cap GCN QSDD cho ho ong Nguyen Van An.pdf",
        ],
        codes=["H56.01.2019.0001", "H56.01.2019.0002"] + [""] * len(BIRTHS),
    )
    review = table[table["decision"] == "review"].sort_values("record")
    assert review["record"].tolist() == [0, 1]
    assert review["path"].unique().tolist() == ["Ho so cap GCN QSDD cho ho ong Nguyen Van An.pdf"]
    assert "H56.01.2019.0001.pdf" in review["explanation"].iloc[0]
    assert sorted(table[table["decision"] == "link"]["record"]) == [0, 1]


def test_a_different_person_with_a_common_given_name_is_left_unmatched():
    # "Trương Văn Bình" is in no record; "Văn" and boilerplate are in many. Not a candidate.
    table = links(BIRTHS, ["Ho so dang ky khai sinh cho chau Truong Van Binh.pdf"])
    # Never silent: the nearest records are named as hints, none is linked or put to review.
    assert set(table["decision"]) <= {"hint"}


def test_a_scan_that_fits_many_records_weakly_points_at_none():
    settings = MatchSettings()
    titles = [
        f"Hồ sơ đăng ký khai sinh cho cháu Trần Văn {n}"
        for n in ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng")
    ]
    result = match_locality(
        records(titles),
        scans(["Ho so dang ky khai sinh cho chau Tran.pdf"]),
        SidecarIndex([]),
        settings,
    )
    # Six records fit the cut title equally and fully: a real ambiguity, listed for review.
    assert sorted(result.links["record"]) == list(range(6))
    weak = match_locality(
        records(titles),
        scans(["Ho so dang ky khai sinh cho chau Tran Lo.pdf"]),
        SidecarIndex([]),
        settings,
    )
    # Below accept, fitting more than weak_candidates: it points at none (hints only).
    assert set(weak.links["decision"]) == {"hint"}
    assert weak.reasons[0]


@pytest.mark.parametrize(
    "name",
    [
        "KHCR_H56-01-2019-0002.pdf",
        "H56.01.2019.0002_Ho so cap GCN.pdf",
        "H56 01 2019 0002 Bao cao.pdf",
    ],
)
def test_a_record_code_inside_a_longer_name_links_its_record(name):
    # A station's prefix before the code, or a title typed after it with no space between.
    table = links(
        [LAND.format(123), LAND.format(124)] + BIRTHS,
        [name],
        codes=["H56.01.2019.0001", "H56.01.2019.0002"] + [""] * len(BIRTHS),
    )
    assert table[["record", "decision"]].values.tolist() == [[1, "link"]]


def test_a_titled_name_no_record_fits_is_not_called_a_code():
    # A title with a year in it is no code; the note says what the name carries.
    result = match_locality(
        records(BIRTHS),
        scans(["Phieu xuat kho vat tu thang 3 nam 2019.pdf"]),
        SidecarIndex([]),
        MatchSettings(),
        lang="en",
    )
    assert result.links.empty
    reason = result.reasons[0]
    assert "code" not in reason
    assert "Phieu xuat kho vat tu thang 3 nam 2019" in reason


@pytest.mark.parametrize(
    "paths",
    [
        ["Hop 34/HS 003/01.pdf", "Hop 34/HS 003/02.pdf", "Hop 34/HS 003/03.pdf"],
        ["H56.22.2019.0003/Van ban 1.pdf", "H56.22.2019.0003/Van ban 2.pdf"],
        ["0003/IMG_0001.jpg", "0003/IMG_0002.jpg", "0003/IMG_0003.jpg"],
    ],
)
def test_a_record_folder_with_its_documents_is_one_scan_of_that_record(paths):
    # The files' numbers are the documents' or pages', not file numbers 1, 2, 3.
    titles = [f"Hồ sơ số {n}" for n in range(1, 6)]
    codes = [f"H56.22.2019.{n:04d}" for n in range(1, 6)]
    frame = records(titles, codes)
    frame["file_no"] = pd.array(range(1, 6), dtype="Int64")
    result = match_locality(frame, scans(paths), SidecarIndex([]), MatchSettings())
    assert len(result.items) == 1 and result.items[0].series
    assert result.links[["record", "decision"]].values.tolist() == [[2, "link"]]


def test_a_numbered_folder_of_numbered_files_is_a_box_not_a_record():
    result = match_locality(
        records(BIRTHS[:4]),
        scans(["0003/001.pdf", "0003/002.pdf"]),
        SidecarIndex([]),
        MatchSettings(),
    )
    assert len(result.items) == 2


def test_empty_files_are_told_apart_by_their_names_not_their_content():
    # Every empty file has the same (no) content: that makes none a copy of another.
    table = scans(
        [
            "Ho so dang ky khai sinh cho chau Tran Van Binh.pdf",
            "Ho so dang ky khai sinh cho chau Le Thi Cuc.pdf",
        ]
    )
    table["xxh3_128"] = "99aa06d3014798d86001c324468d497f"
    table["format"] = "empty"
    table["pages"] = None
    result = match_locality(records(BIRTHS), table, SidecarIndex([]), MatchSettings())
    linked = result.links[result.links["decision"] == "link"]
    assert sorted(linked["record"]) == [0, 1]
