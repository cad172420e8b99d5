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


OWNERS = [
    "Hồ sơ giải quyết đơn kiến nghị của ông Bùi Công Phúc về việc lấn chiếm lối đi chung",
    "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho ông Bùi Hữu Phúc tại thôn Lương Hòa",
    "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho bà Dương Kim Mai tại thôn Văn Đăng",
    "Hồ sơ giải quyết đơn kiến nghị của bà Phan Kim Mai về việc bồi thường giải phóng mặt bằng",
    "Hồ sơ đăng ký kết hôn giữa anh Đặng Thành Sơn và chị Huỳnh Thanh Thảo",
    "Hồ sơ chuyển nhượng quyền sử dụng đất của ông Lương Thành Khoa cho Đỗ Ngọc Hằng, "
    "thửa đất số 301, tờ bản đồ số 20",
    "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Hồ Văn Nam, thửa đất số 1103, "
    "tờ bản đồ số 20",
] + BIRTHS


def test_a_name_that_is_a_part_of_one_title_links_to_it():
    # Offices name a scan by its owner or its parcel: words found in one record's title,
    # wherever they stand in it; a parcel and sheet in either order; a name typed together.
    paths = [
        "2015/Bùi Công Phúc.pdf",
        "2015/Dương Kim Mai.pdf",
        "2015/dangthanhson.pdf",
        "Hộp 1/To 20 thua 301.pdf",
    ]
    table = links(OWNERS, paths)
    linked = table[table["decision"] == "link"].sort_values("record")
    assert linked[["record", "path"]].values.tolist() == [
        [0, "2015/Bùi Công Phúc.pdf"],
        [2, "2015/Dương Kim Mai.pdf"],
        [4, "2015/dangthanhson.pdf"],
        [5, "Hộp 1/To 20 thua 301.pdf"],
    ]


def test_owner_names_of_one_length_are_not_taken_for_cut_titles():
    # Names of people pile up at a common length as cut titles do, with as many longer: they
    # are no cut, and a cut title is read against the start of a record's title only.
    from khaudit.match.link import _cut_length

    names = ["Bùi Công Phúc", "Lê Văn Tám", "Đỗ Thị Hoa", "Hồ Văn Nam", "Lê Thị Cúc"] * 4
    names += ["Nguyễn Thị Minh Khai", "Trần Quang Khải", "Phạm Ngọc Thạch"] * 4
    assert _cut_length(names) > 100
    cut = ["Bao cao tinh hinh thuc hien nhiem vu kinh te xa hoi quy I nam 20"] * 6
    assert _cut_length(cut + ["Bao cao nam 2019", "Ke hoach nam 2020"]) == len(cut[0]) - 1


def test_a_name_that_ends_a_record_code_links_to_that_record():
    codes = [f"000.29.22.H56-16012{n}-0001" for n in range(1, 5)]
    table = links(
        BIRTHS[:4],
        ["Nam 2016/H56-160121-0001.pdf", "2016/160122_0001 TRAN VAN BINH.pdf", "0001.pdf"],
        codes,
    )
    linked = table[table["decision"] == "link"].sort_values("record")
    assert linked[["record", "method"]].values.tolist() == [[0, "code_tail"], [1, "code_tail"]]
    assert "000.29.22.H56-160121-0001" in linked["explanation"].iloc[0]
    assert "0001.pdf" not in set(linked["path"])  # the end of every code names no record


def test_a_decision_named_by_number_and_symbol_is_told_apart_by_its_year_folder():
    titles = [
        f"Quyết định số {n}/QĐ-UBND ngày 03/04/{year} của Chủ tịch UBND xã về việc {what}"
        for year, n, what in (
            (2015, 106, "kiện toàn Ban chỉ đạo"),
            (2016, 106, "khen thưởng"),
            (2016, 107, "kiện toàn tổ công tác"),
            (2016, 108, "giao chỉ tiêu"),
            (2016, 109, "phê duyệt kế hoạch"),
        )
    ]
    frame = records(titles + BIRTHS)
    frame["year_start"] = frame["year_end"] = pd.array(
        [2015] + [2016] * 4 + [2019] * len(BIRTHS), dtype="Int64"
    )
    paths = [f"Quyet dinh/2016/{n}.QĐ-UBND.pdf" for n in (106, 107, 108, 109)]
    paths += ["Quyet dinh/2015/QĐ 106.pdf", "009_QD-UBND_03042016.pdf"]
    result = match_locality(frame, scans(paths), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    linked = result.links[result.links["decision"] == "link"]
    got = dict(zip(linked["item_id"].map(path_of), linked["record"]))
    assert got == {
        "Quyet dinh/2016/106.QĐ-UBND.pdf": 1,
        "Quyet dinh/2016/107.QĐ-UBND.pdf": 2,
        "Quyet dinh/2016/108.QĐ-UBND.pdf": 3,
        "Quyet dinh/2016/109.QĐ-UBND.pdf": 4,
        "Quyet dinh/2015/QĐ 106.pdf": 0,
    }


def test_a_year_folder_is_no_code_a_note_names():
    from khaudit.match.link import _reads_as_code

    assert not _reads_as_code("NĂM 2010") and not _reads_as_code("Year 2019")
    assert _reads_as_code("H56.01.2019.0012") and _reads_as_code("KS_2015_Q01")


def test_documents_named_by_their_number_and_the_folders_are_parts_of_its_record():
    titles = [f"Hồ sơ số {n}" for n in range(24, 27)]
    frame = records(titles, [f"H56.22.2021.{n:04d}" for n in range(24, 27)])
    frame["file_no"] = pd.array(range(24, 27), dtype="Int64")
    paths = ["2021/0025/01_0025.pdf", "2021/0025/02_0025.pdf", "2021/0025/03_0025.pdf"]
    result = match_locality(frame, scans(paths), SidecarIndex([]), MatchSettings())
    assert len(result.items) == 1 and result.items[0].series
    assert result.links[["record", "decision"]].values.tolist() == [[1, "link"]]


def test_numbered_folders_as_many_as_records_are_records_holding_their_documents():
    # "0001/01.pdf", "0001/02.pdf", "0002/01.pdf" …: folders of bare numbers holding bare
    # numbers from one, as many as a good share of the records: records, not boxes.
    titles = [f"Hồ sơ cấp giấy phép xây dựng cho hộ {name}" for name in BIRTHS] * 4
    titles = [f"{t} lần {k // len(BIRTHS) + 1}" for k, t in enumerate(titles)]
    frame = records(titles)
    frame["file_no"] = pd.array(range(1, len(titles) + 1), dtype="Int64")
    paths = [f"{n:04d}/{d:02d}.pdf" for n in range(1, 13) for d in range(1, 4)]
    result = match_locality(frame, scans(paths), SidecarIndex([]), MatchSettings())
    assert len(result.items) == 12 and all(item.series for item in result.items)
    linked = result.links[result.links["decision"] == "link"]
    path_of = {item.item_id: item.relpath for item in result.items}
    assert dict(zip(linked["item_id"].map(path_of), linked["record"])) == {
        f"{n:04d}": n - 1 for n in range(1, 13)
    }


def test_decisions_sharing_a_number_across_years_are_told_apart_by_their_year_folder():
    # "2011/9.QĐ-UBND.pdf": decision 9 exists in every year; the folder says which. No
    # certain link teaches it (every such name fits one decision a year).
    titles = [
        f"Quyết định số {n}/QĐ-UBND ngày 09/01/{year} của Chủ tịch UBND xã về việc {what}"
        for year in (2011, 2012, 2013)
        for n, what in ((9, "thành lập tổ công tác"), (19, "khen thưởng"), (37, "giao chỉ tiêu"))
    ]
    frame = records(titles + BIRTHS)
    years = [2011] * 3 + [2012] * 3 + [2013] * 3 + [2019] * len(BIRTHS)
    frame["year_start"] = frame["year_end"] = pd.array(years, dtype="Int64")
    paths = [f"{year}/{n}.QĐ-UBND.pdf" for year in (2011, 2012, 2013) for n in (9, 19, 37)]
    result = match_locality(frame, scans(paths), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    linked = result.links[result.links["decision"] == "link"]
    assert dict(zip(linked["item_id"].map(path_of), linked["record"])) == {
        p: k for k, p in enumerate(paths)
    }


def test_a_folder_named_by_the_records_title_holding_its_documents_is_that_record():
    # "Hop 01/<the record's title>/01.pdf, 02.pdf": documents of one record, not box 1's
    # records 1 and 2.
    frame = records([LAND.format(n) for n in (123, 124)] + BIRTHS)
    frame["box"] = pd.array([1] * len(frame), dtype="Int64")
    frame["file_no"] = pd.array(range(1, len(frame) + 1), dtype="Int64")
    folder = "Hop 01/HS cap GCN QSDD cho ho ong Nguyen Van An thua 124 TBD 4"
    paths = [f"{folder}/01.pdf", f"{folder}/02.pdf"]
    result = match_locality(frame, scans(paths), SidecarIndex([]), MatchSettings())
    assert [item.relpath for item in result.items] == [folder]
    linked = result.links[result.links["decision"] == "link"]
    assert linked["record"].tolist() == [1]
