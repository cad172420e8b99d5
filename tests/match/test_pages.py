"""Page counts against sheets (khaudit/match/pages.py, twins.py): classes, learning, twins."""

from __future__ import annotations

import numpy as np
from test_link import scans

from khaudit.match.items import build_items
from khaudit.match.pages import CLASSES, PageModel, page_classes
from khaudit.match.sidecar import SidecarIndex
from khaudit.match.twins import twin_sets


def test_page_counts_fall_in_the_class_of_their_offset():
    pages = np.array([10, 20, 11, 19, 15, 3, 60, np.nan])
    sheets = np.array([10, 10, 10, 10, 10, 10, 10, 10])
    cls, size = page_classes(pages, sheets, 1.0, 2.0)
    names = [CLASSES[c] if c >= 0 else None for c in cls]
    assert names == ["a+0", "b+0", "a+1", "b-1", "between", "short", "long", None]
    assert list(size[:4]) == [1, 1, 1, 1] and size[4] == 20 - 10 - 7


def test_a_locality_that_scans_duplex_makes_two_pages_a_sheet_likely():
    sheets = np.arange(5, 45, dtype=float)
    model = PageModel.learn(sheets * 2, sheets, 1.0, 2.0)
    twice, once, between = model.loglik(np.array([40.0, 20.0, 30.0]), np.full(3, 20.0))
    assert twice > once + 1.5 and twice > between + 1.5
    assert model.loglik(np.array([np.nan]), np.array([20.0]))[0] == 0.0


def test_twin_sets_are_copies_of_one_name_in_numbering_order():
    frame = scans(["a/Ho_so_X_2.pdf", "a/Ho_so_X.pdf", "a/Ho_so_X (3).pdf", "a/Ho_so_Y.pdf"])
    items = build_items(frame, SidecarIndex([]))
    by_path = {item.relpath: k for k, item in enumerate(items)}
    sets = twin_sets(items)
    names = ["a/Ho_so_X.pdf", "a/Ho_so_X_2.pdf", "a/Ho_so_X (3).pdf"]
    assert sets == [[by_path[name] for name in names]]


def test_a_one_page_series_whose_page_was_lost_is_still_a_series():
    # HS114/001.jpg arrived empty: it is the first page of record 114, not record 1.
    frame = scans(["HS114/001.jpg", "HS115/001.jpg", "HS115/002.jpg", "HS116/001.pdf"])
    frame["format"] = ["empty", "jpeg", "jpeg", "empty"]
    frame["pages"] = [None, 1, 1, None]
    items = {item.relpath: item for item in build_items(frame, SidecarIndex([]))}
    assert items["HS114"].series and items["HS115"].series
    # An empty PDF in a record's folder is that record's document as much.
    assert items["HS116"].series and items["HS116"].evidence.file_no == 116


def test_a_box_of_records_numbered_from_one_is_not_a_page_series():
    # "hop-1/1.tif … 3.tif" are records 1-3 of box 1; "HS 12/1.tif, 2.tif" is one record's pages.
    frame = scans(["hop-1/1.tif", "hop-1/2.tif", "hop-1/3.tif", "HS 12/1.tif", "HS 12/2.tif"])
    frame["format"] = "tiff"
    frame["pages"] = 1
    items = {item.relpath: item for item in build_items(frame, SidecarIndex([]))}
    assert not any(items[f"hop-1/{n}.tif"].series for n in (1, 2, 3))
    assert items["HS 12"].series


def test_files_of_many_pages_each_are_not_pages_of_one_series():
    frame = scans(["Dot 1/1.tif", "Dot 1/2.tif", "Dot 1/3.tif"])
    frame["format"] = "tiff"
    frame["pages"] = [12, 7, 30]
    assert not any(item.series for item in build_items(frame, SidecarIndex([])))


def test_a_folder_of_documents_named_by_their_kinds_is_one_record():
    # As the portal hands a record back: each record's folder holds its documents by kind.
    owners = ["000.36.17.H56-151113-0003_Nguyen Van An", "HS 12", "img0241 - HS 560", "0560_Le"]
    kinds = ("01_To khai", "Ban sao CCCD", "03_Giay to kem theo")
    paths = [f"2015/{o}/{d}.pdf" for o in owners for d in kinds]
    paths += ["2015/HS 13/Giay to kem theo.pdf", "2015/Bao cao tong ket.pdf"]
    items = {item.relpath: item for item in build_items(scans(paths), SidecarIndex([]))}
    for owner in owners:
        assert items[f"2015/{owner}"].series and items[f"2015/{owner}"].pages == 21
    # A kind seen in the root's other folders makes a folder of one document a record too;
    # the year folder holding a record of its own stays a folder of records.
    assert items["2015/HS 13"].series and items["2015/HS 13"].evidence.file_no == 13
    assert not items["2015/Bao cao tong ket.pdf"].series


def test_names_that_recur_alone_or_in_year_folders_are_no_documents_kinds():
    # An annual report in each year's folder, an owner's name in each procedure's folder:
    # records, each its own item.
    paths = [f"{y}/Bao cao tong ket.pdf" for y in (2015, 2016, 2017)]
    paths += [f"{y}/Bao cao 6 thang.pdf" for y in (2015, 2016, 2017)]
    paths += [f"{k}/Nguyen Van An.pdf" for k in ("Khai sinh", "Ket hon", "Khai tu")]
    items = build_items(scans(paths), SidecarIndex([]))
    assert len(items) == len(paths) and not any(item.series for item in items)


def test_a_record_scanned_in_parts_is_one_item_read_by_its_name():
    # "152-1.pdf", "152-2.pdf" beside whole records: the parts of 152. Where every name
    # carries a second number ("12-1", "12-2", "13-1") the numbers are a box's and a file's.
    frame = scans(
        ["Nam 2022/150.pdf", "Nam 2022/151.pdf", "Nam 2022/152-1.pdf", "Nam 2022/152-2.pdf"]
    )
    items = {item.relpath: item for item in build_items(frame, SidecarIndex([]))}
    part = items["Nam 2022/152-1.pdf"]
    assert len(part.files) == 2 and part.pages == 14 and part.read_as == "Nam 2022/152.pdf"
    assert part.evidence.file_no == 152 and "Nam 2022/152-2.pdf" not in items
    boxes = scans([f"H1/{b}-{f}.pdf" for b in (12, 13) for f in (1, 2, 3)])
    assert len(build_items(boxes, SidecarIndex([]))) == 6


def test_volumes_of_a_register_are_records_not_parts():
    frame = scans(
        [
            "So/Ket hon 2013 - Quyen-1.pdf",
            "So/Ket hon 2013 - Quyen-2.pdf",
            "So/Khai sinh 2013.pdf",
            "So/Khai tu 2013.pdf",
        ]
    )
    assert len(build_items(frame, SidecarIndex([]))) == 4


def test_titles_a_month_folder_repeats_are_no_kinds_of_document():
    # Monthly reports typed in full in every month's folder: records, not one record's kinds.
    titles = [
        "THONG-BAO-KET-LUAN-CUA-CHU-TICH-UBND-PHUONG-CAM-RANH-TAI-BUOI-LAM-VIEC",
        "BAO-CAO-TINH-HINH-KINH-TE-XA-HOI-VA-QUOC-PHONG-AN-NINH-THANG",
    ]
    paths = [f"2010/{m:02d}/{t}.pdf" for m in (5, 6, 7) for t in titles]
    items = build_items(scans(paths), SidecarIndex([]))
    assert len(items) == len(paths) and not any(item.series for item in items)
