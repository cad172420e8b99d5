"""Naming conventions learned from the data (khaudit/match/readings.py), on small localities."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from test_link import records, scans

from khaudit.match.link import match_locality
from khaudit.match.settings import MatchSettings
from khaudit.match.sidecar import SidecarEntry, SidecarIndex, read_sidecar
from khaudit.textnorm import strip_marks

PEOPLE = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Võ Thị Giang",
    "Đỗ Văn Hải",
    "Bùi Thị Hoa",
    "Ngô Văn Khánh",
    "Dương Thị Lan",
    "Lý Văn Minh",
    "Đặng Thị Nga",
    "Hồ Văn Phúc",
    "Mai Thị Quyên",
    "Tô Văn Sơn",
    "Châu Thị Tâm",
    "Lâm Văn Uy",
    "Kiều Thị Vân",
    "Tạ Văn Xuân",
    "Quách Thị Yến",
]


def land_titles(n: int) -> list[str]:
    return [
        f"Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông {PEOPLE[i % 20]}, "
        f"thửa đất số {100 + i}, tờ bản đồ số {i % 7 + 1}"
        for i in range(n)
    ]


def typed(title: str, rng: random.Random, cut: int) -> str:
    """As a scanning operator types it: no marks, office abbreviations, a letter dropped, cut."""
    text = strip_marks(title).replace("giay chung nhan quyen su dung dat", "GCN QSDD")
    text = text.replace("thua dat so", "thua").replace("to ban do so", "TBD").replace(",", "")
    words = text.split()
    k = rng.randrange(len(words))
    if len(words[k]) > 5:
        words[k] = words[k][:2] + words[k][3:]
    return " ".join(words)[:cut].rstrip()


def test_the_number_in_the_name_is_learned_as_the_codes_last_segment():
    # No file-number column; the STT restarts on every sheet; scans are "0012 - <title>".
    rng = random.Random(7)
    titles = land_titles(60)
    recs = records(titles, codes=[f"H56.22.2019.{i + 1:04d}" for i in range(60)])
    recs["source_sheet"] = ["Sheet1" if i < 30 else "Sheet2" for i in range(60)]
    recs["stt"] = [str(i % 30 + 1) for i in range(60)]
    names = [f"{i + 1:04d} - {typed(t, rng, 60)}.pdf" for i, t in enumerate(titles)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert sorted(zip(links["item_id"], links["record"])) == [(i, i) for i in range(60)]
    adopted = {(c["reading"], c["field"]) for c in result.conventions["/scans"]}
    assert ("name.first", "code.1") in adopted
    assert ("name.first", "stt") not in adopted  # the STT restarts: it disagrees on sheet 2


def test_a_bare_number_names_its_record_when_nothing_else_is_certain():
    # "0007.pdf" only: no title, no code in the name. The number names one record each.
    titles = land_titles(40)
    recs = records(titles, codes=[f"2019.VP.{i + 1:03d}" for i in range(40)])
    result = match_locality(
        recs, scans([f"{i + 1:04d}.pdf" for i in range(40)]), SidecarIndex([]), MatchSettings()
    )
    links = result.links[result.links["decision"] == "link"]
    assert sorted(zip(links["item_id"], links["record"])) == [(i, i) for i in range(40)]
    assert result.conventions["/scans"][0]["basis"] == "unique"


def test_a_copy_folder_read_as_a_file_number_does_not_speak_for_the_bare_numbers():
    # "ban sao/0013.pdf" (a copy folder) parses as a file number; the forty bare numbers
    # beside it do not. That one parsed name must not stop the search for what they share.
    titles = land_titles(40)
    recs = records(titles, codes=[f"2019.VP.{i + 1:03d}" for i in range(40)])
    recs["file_no"] = pd.array(list(range(1, 41)), dtype="Int64")
    names = [f"{i + 1:04d}.pdf" for i in range(40)] + ["ban sao/0013.pdf"]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert {(i, i) for i in range(40)} <= set(zip(links["item_id"], links["record"]))


def test_a_number_that_does_not_agree_is_not_adopted():
    # Counters that are not in inventory order: their numbers fit the codes by chance only.
    rng = random.Random(3)
    titles = land_titles(40)
    recs = records(titles, codes=[f"H56.22.2019.{i + 1:04d}" for i in range(40)])
    order = list(range(40))
    rng.shuffle(order)
    names = [f"{n + 1:04d} - {typed(titles[i], rng, 200)}.pdf" for n, i in enumerate(order)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    adopted = {(c["reading"], c["field"]) for c in result.conventions["/scans"]}
    assert ("name.first", "code.1") not in adopted
    links = result.links[result.links["decision"] == "link"]
    truth = set(enumerate(order))
    assert set(zip(links["item_id"], links["record"])) <= truth  # titles decide, rightly


def test_sidecar_columns_are_read_whatever_their_headings(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame(
        {
            "Ảnh": ["IMG_000101.pdf", "IMG_000102.pdf", "IMG_000103.pdf"],
            "Nội dung": [
                "Ho so cap GCN QSDD cho ho ong Nguyen Van An thua 100",
                "Ho so cap GCN QSDD cho ho ba Tran Thi Binh thua 101",
                "Ho so cap GCN QSDD cho ho ong Le Van Cuong thua 102",
            ],
            "Năm lập": ["2019", "2019", "2020"],
            "SL": ["12", "4", "7"],
        }
    ).to_csv(path, index=False)
    entries = read_sidecar(path)
    assert [e.file for e in entries] == ["IMG_000101.pdf", "IMG_000102.pdf", "IMG_000103.pdf"]
    assert entries[0].title.startswith("Ho so cap GCN")
    assert [e.year for e in entries] == [2019, 2019, 2020]
    assert entries[1].numbers == {"sl": 4}
    assert entries[2].source == "export.csv row 4"


def test_counters_with_an_operators_sidecar_are_linked_even_when_cut_inside_a_number():
    rng = random.Random(11)
    titles = land_titles(50)
    recs = records(titles)
    names = [f"IMG_{i + 500:06d}.pdf" for i in range(50)]
    side = SidecarIndex(
        [
            SidecarEntry(
                file=n,
                record_code="",
                title=typed(t, rng, 62),
                pages=None,
                year=None,
                source=f"x.csv row {i + 2}",
            )
            for i, (n, t) in enumerate(zip(names, titles))
        ]
    )
    result = match_locality(recs, scans(names), side, MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert set(zip(links["item_id"], links["record"])) <= {(i, i) for i in range(50)}
    assert len(links) >= 48
    assert (result.links["decision"] == "review").sum() <= 2


def test_near_twins_in_a_counter_series_are_settled_by_scan_order():
    # Quarterly reports whose quarter was cut off: the title cannot tell them apart, the order
    # the station scanned them in (the inventory's) can.
    titles = [
        f"Báo cáo tình hình kinh tế xã hội quý {q} năm 2019" for q in ("I", "II", "III", "IV")
    ]
    recs = records(titles + PEOPLE[:6])
    names = [f"SCAN{i:04d}.pdf" for i in range(1, 5)]
    side = SidecarIndex(
        [
            SidecarEntry(
                file=n,
                record_code="",
                title="Bao cao tinh hinh KT-XH quy",
                pages=None,
                year=2019,
                source=f"x.csv row {i + 2}",
            )
            for i, n in enumerate(names)
        ]
    )
    result = match_locality(recs, scans(names), side, MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert sorted(zip(links["item_id"], links["record"])) == [(i, i) for i in range(4)]


def test_a_true_tie_goes_to_review_with_both_candidates():
    titles = [f"Báo cáo tình hình kinh tế xã hội quý {q} năm 2019" for q in ("I", "II")]
    recs = records(titles + PEOPLE[:6])
    result = match_locality(
        recs, scans(["Bao cao tinh hinh KT-XH quy.pdf"]), SidecarIndex([]), MatchSettings()
    )
    review = result.links[result.links["decision"] == "review"]
    assert sorted(review["record"]) == [0, 1]
    assert not (result.links["decision"] == "link").any()


def test_a_scan_no_record_claims_names_its_nearest_records_and_why():
    titles = land_titles(20)
    result = match_locality(
        records(titles),
        scans(["Ho so cap GCN QSDD cho ho ong Truong Van Tam.pdf"]),
        SidecarIndex([]),
        MatchSettings(),
    )
    assert set(result.links["decision"]) == {"hint"}
    assert result.reasons[0]
    assert "None" not in " ".join(result.links["explanation"])


def test_a_convention_holds_for_the_name_shape_it_was_learned_on():
    # One root, two batches: "012 - <title>" (the number is the file number) and counters
    # "SCAN0012" whose numbers follow the station, not the inventory.
    rng = random.Random(5)
    titles = land_titles(40)
    recs = records(titles)
    recs["file_no"] = pd.array(range(1, 41), dtype="Int64")
    names = [f"dot1/{i + 1:03d} - {typed(t, rng, 200)}.pdf" for i, t in enumerate(titles[:20])]
    names += [f"dot2/SCAN{i + 1:04d}.pdf" for i in range(20)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert set(zip(links["item_id"], links["record"])) == {(i, i) for i in range(20)}
    shapes = {c["shape"] for c in result.conventions["/scans"]}
    assert shapes == {"+title"}


def test_two_numbers_name_a_record_together_when_neither_does_alone():
    # "2019/004.pdf" with codes "VP-2019-0004": the number restarts every year.
    titles = land_titles(40)
    years = [2018 + i // 20 for i in range(40)]
    recs = records(titles, codes=[f"VP-{y}-{i % 20 + 1:04d}" for i, y in enumerate(years)])
    recs["year_start"] = pd.array(years, dtype="Int64")
    recs["year_end"] = pd.array(years, dtype="Int64")
    names = [f"{y}/{i % 20 + 1:03d}.pdf" for i, y in enumerate(years)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert sorted(zip(links["item_id"], links["record"])) == [(i, i) for i in range(40)]


def test_a_station_counter_with_a_year_is_not_read_as_a_file_number():
    # "DOC-2025-0007": the last number runs 1..n as file numbers do, by the station's count.
    titles = land_titles(40)
    recs = records(titles)
    recs["file_no"] = pd.array(range(1, 41), dtype="Int64")
    result = match_locality(
        recs,
        scans([f"DOC-2025-{n + 1:04d}.pdf" for n in range(40)]),
        SidecarIndex([]),
        MatchSettings(),
    )
    assert not (result.links["decision"] == "link").any()


def test_twins_whose_cut_names_a_file_system_numbered_go_to_review_together():
    # The same household's three parcels: the name is cut before the parcel number, and the
    # station's file system numbered the later saves (X, X_2, X_3). The number says in what
    # order they were saved, not which parcel each is: a person decides, with all three.
    titles = [
        f"Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Nguyễn Văn An, thửa đất số {n}"
        for n in (101, 102, 103)
    ] + land_titles(20)[1:]
    names = []
    for title in titles:
        stem = strip_marks(title).replace(" ", "_").replace(",", "")[:60]
        twin = sum(1 for n in names if n.startswith(stem))
        names.append(f"{stem}_{twin + 1}.pdf" if twin else f"{stem}.pdf")
    result = match_locality(records(titles), scans(names), SidecarIndex([]), MatchSettings())
    review = result.links[result.links["decision"] == "review"]
    for item in (0, 1, 2):  # "_2" is not read as a title's number: all three fit all three
        assert sorted(review[review["item_id"] == item]["record"]) == [0, 1, 2]
    assert not result.links[result.links["decision"] == "link"]["item_id"].isin([0, 1, 2]).any()


def test_one_number_agreeing_with_two_fields_does_not_name_a_record():
    # "2024/<a title>": the folder is the year and, in codes "600/2024/HS", also the code's
    # last number. One number, two fields: a scope, never a key, so a scan of a record that
    # is not in the inventory is not linked to the year's one record.
    titles = land_titles(30)
    years = [2020 + i // 10 for i in range(30)] + [2024]
    recs = records(
        titles + ["Báo cáo tình hình kinh tế - xã hội quý IV năm 2024"],
        codes=[f"{i + 1}/{y}/HS-UBND" for i, y in enumerate(years)],
    )
    recs["year_start"] = pd.array(years, dtype="Int64")
    recs["year_end"] = pd.array(years, dtype="Int64")
    names = [f"{y}/{strip_marks(t)}.pdf" for t, y in zip(titles, years)]
    names += ["2024/Bao cao tinh hinh kinh te - xa hoi quy IV nam 2024.pdf"]
    names += ["2024/Ho so dang ky khai sinh cho chau Truong Thanh Quyen.pdf"]  # no record
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert len(names) - 1 not in set(links["item_id"])
    assert (30, 30) in set(zip(links["item_id"], links["record"]))


def _twins_with_pages(first_pages: int, second_pages: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Twenty distinct land records scanned one page a sheet, and two parcels of one
    household whose cut names a file system numbered (X, X_2), with the given page counts."""
    titles = [
        f"Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Nguyễn Văn An, thửa đất số {n}"
        for n in (101, 102)
    ] + land_titles(21)[1:]
    recs = records(titles)
    recs["sheets"] = pd.array([15, 11] + [6 + (i % 30) for i in range(20)], dtype="Int64")
    names = []
    for title in titles:
        stem = strip_marks(title).replace(" ", "_").replace(",", "")[:72]
        twin = sum(1 for n in names if n.startswith(stem))
        names.append(f"{stem}_{twin + 1}.pdf" if twin else f"{stem}.pdf")
    frame = scans(names)
    frame["pages"] = [first_pages, second_pages] + [int(s) for s in recs["sheets"][2:]]
    return recs, frame


def test_twins_are_told_apart_by_page_counts_the_locality_shows_exact():
    # The locality's other scans have exactly a page a sheet: 15 and 11 pages name the twins'
    # records (15 and 11 sheets), which the order of X, X_2 agrees with.
    recs, frame = _twins_with_pages(15, 11)
    result = match_locality(recs, frame, SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert {(0, 0), (1, 1)} <= set(zip(links["item_id"], links["record"]))


def test_twins_whose_pages_and_order_disagree_go_to_review():
    # X has the later record's count and X_2 the earlier's: the page counts and the order
    # the file system numbered them in pull apart, so a person decides.
    recs, frame = _twins_with_pages(11, 15)
    result = match_locality(recs, frame, SidecarIndex([]), MatchSettings())
    linked = result.links[result.links["decision"] == "link"]
    assert not linked["item_id"].isin([0, 1]).any()
    review = result.links[result.links["decision"] == "review"]
    assert {0, 1} <= set(review[review["item_id"] == 0]["record"])


@pytest.mark.parametrize("named_by", ["column", "stt"])
def test_of_two_numberings_that_drift_apart_the_one_the_pages_fit_is_read(named_by):
    # The inventory has the STT and a column no synonym lists ("Số lưu"); an inserted row puts
    # the STT one ahead of the column from there on. Scans are named "B<box>-F<number>" by one
    # of the two: both name one record per scan, and the page counts say which one it was.
    n = 41
    titles = land_titles(n)
    recs = records(titles)
    column = [i + 1 if i < 20 else n if i == 20 else i for i in range(n)]
    recs["other_numbers"] = [json.dumps({"Số lưu": v}, ensure_ascii=False) for v in column]
    recs["stt"] = [str(i + 1) for i in range(n)]
    recs["sheets"] = pd.array([5 if i % 2 else 30 + i % 3 for i in range(n)], dtype="Int64")
    number = column if named_by == "column" else [i + 1 for i in range(n)]
    scanned = [i for i in range(n) if i != 20]
    frame = scans([f"B{1 + i // 10}-F{number[i]}.pdf" for i in scanned])
    frame["pages"] = [int(recs["sheets"][i]) for i in scanned]
    result = match_locality(recs, frame, SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    assert sorted((path_of[k], r) for k, r in zip(links["item_id"], links["record"])) == sorted(
        (f"B{1 + i // 10}-F{number[i]}.pdf", i) for i in scanned
    )
    said = "Số lưu" if named_by == "column" else "STT"
    assert said in links["explanation"].iloc[-1]


def test_month_folders_learned_from_the_certain_links_tell_twins_apart():
    # Scans filed by year and month ("2009/08/…"), as the records start. Distinct titles
    # link for certain and show the month folder is the record's start month; two twins whose
    # names were cut before the village that tells them apart are then told apart by it.
    titles = land_titles(30) + [
        "Thông báo kết luận của Chủ tịch Ủy ban nhân dân phường Cam Ranh tại buổi làm việc "
        f"với thôn {village}"
        for village in ("Xuân Phong", "Phú Lộc Đông")
    ]
    recs = records(titles)
    months = [1 + i % 12 for i in range(30)] + [8, 10]
    recs["date_start"] = [f"2009-{m:02d}" for m in months]
    names = [f"2009/{m:02d}/{strip_marks(t)[:64]}.pdf" for t, m in zip(titles, months)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    linked = {path_of[k]: r for k, r in zip(links["item_id"], links["record"])}
    assert linked.get(names[30]) == 30 and linked.get(names[31]) == 31
    assert names[30] == names[31].replace("/10/", "/08/")  # only the folder differs
    assert (result.links["decision"] == "review").sum() == 0


def test_a_parsed_file_number_that_names_no_record_gives_way_to_what_does():
    # "2022/0001.pdf": the parser reads 1 as a file number, but the inventory numbers its files
    # from 101 through the years and the name holds the code's last segment, counted within
    # the year ("56.7.2022.1"). No certain link checks either reading.
    titles = land_titles(60)
    years = [2021] * 40 + [2022] * 20
    within = [i + 1 for i in range(40)] + [i + 1 for i in range(20)]
    recs = records(titles, codes=[f"56.7.{y}.{n}" for y, n in zip(years, within)])
    recs["file_no"] = pd.array(list(range(101, 161)), dtype="Int64")
    recs["year_start"] = pd.array(years, dtype="Int64")
    recs["year_end"] = pd.array(years, dtype="Int64")
    names = [f"{y}/{n:04d}.pdf" for y, n in zip(years, within)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    linked = {path_of[k]: r for k, r in zip(links["item_id"], links["record"])}
    assert linked == {name: i for i, name in enumerate(names)}


@pytest.mark.parametrize("lot", ["L001/L001-{:05d}.pdf", "LO03/LO03_{:04d}.pdf"])
def test_a_contractors_lot_sequence_is_not_read_as_a_row_number(lot):
    # The sequence runs through the lot, not through the inventory: 1..n fits the STT by chance.
    titles = land_titles(40)
    recs = records(titles)
    recs["file_no"] = pd.array(range(1, 41), dtype="Int64")
    result = match_locality(
        recs, scans([lot.format(n + 1) for n in range(40)]), SidecarIndex([]), MatchSettings()
    )
    assert not (result.links["decision"] == "link").any()


def test_bare_numbers_named_two_ways_in_one_root_learn_each_way():
    # Receipts named by their whole code "000.20.24.H56-130105-0001" (its last number the
    # code's last segment, certain links teach) beside "2011/001.2011.pdf" (the number
    # within the year, then the year: the last number is no code's last segment here).
    titles = land_titles(60)
    years = [2011] * 20 + [2012] * 20 + [2013] * 20
    codes = [f"VP.{y}.{i % 20 + 1:04d}" for i, y in enumerate(years[:40])]
    codes += [f"000.20.24.H56-1301{i + 1:02d}-0001" for i in range(20)]
    recs = records(titles, codes=codes)
    recs["year_start"] = recs["year_end"] = pd.array(years, dtype="Int64")
    names = [f"{y}/{i % 20 + 1:03d}.{y}.pdf" for i, y in enumerate(years[:40])]
    names += [f"{code}.pdf" for code in codes[40:]]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    path_of = {item.item_id: item.relpath for item in result.items}
    assert dict(zip(links["item_id"].map(path_of), links["record"])) == {
        name: i for i, name in enumerate(names)
    }


def test_a_stations_list_names_its_files_with_or_without_their_extension():
    entry = SidecarEntry("DSC_00001", "", "Sổ đăng ký khai sinh năm 2013", 56, 2013, "x.csv row 2")
    index = SidecarIndex([entry])
    assert index.get("DSC_00001.pdf") is entry
    assert index.get("Hop 1/dsc_00001.TIF") is entry
    assert index.get("DSC_00002.pdf") is None


def test_a_handover_list_with_abbreviated_headings_gives_codes_and_titles(tmp_path):
    # "MHS", "TĐ": headings no list holds; a data cell "Trần Văn Nam" holds a heading's word
    # ("năm"), yet a row naming a scan is data, not the headings.
    path = tmp_path / "Danh sach ban giao L001.csv"
    rows = [
        ("L001-00001.pdf", "H56.2274-06-2020-0001", "Hồ sơ đăng ký khai tử cho ông Tạ Hữu Vinh"),
        ("L001-00002.pdf", "H56.2274-06-2020-0002", "Báo cáo tình hình quý I năm 2020 của UBND"),
        ("L001-00003.pdf", "H56.2274-06-2020-0003", "Báo cáo tình hình quý II năm 2020 của UBND"),
    ]
    lines = ["L;TT;Tệp;MHS;TĐ;ST;Người quét"]
    lines += [f"1;{i};{f};{c};{t};{i + 2};Trần Văn Nam" for i, (f, c, t) in enumerate(rows, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    entries = read_sidecar(path)
    assert [(e.file, e.record_code, e.title) for e in entries] == rows


def test_a_name_two_lists_hold_is_read_from_the_list_beside_the_scan():
    # Each lot's handover list numbers its files from 001: "Lo 2/001.pdf" is the second list's.
    first = SidecarEntry(
        "001.pdf", "H56.1.2011.0001", "", None, None, "Lo 1.csv row 2", folder="Lo 1"
    )
    second = SidecarEntry(
        "001.pdf", "H56.1.2011.0027", "", None, None, "Lo 2.csv row 2", folder="Lo 2"
    )
    whole = SidecarEntry("IMG_9.pdf", "H56.1.2011.0009", "", None, None, "all.csv row 2")
    index = SidecarIndex([first, second, whole])
    assert index.get("Lo 2/001.pdf") is second and index.get("Lo 1/001.pdf") is first
    assert index.get("Lo 3/001.pdf") is None  # two lists name it, neither beside it
    assert index.get("Lo 3/IMG_9.pdf") is whole


def test_documents_numbered_in_numbered_folders_are_no_file_numbers():
    # "0035/01.pdf", "0036/01.pdf", ...: every folder's first document would be file 1. The
    # folders, as many as most records, are the records (file 35, 36 …) holding them.
    titles = land_titles(40)
    recs = records(titles)
    recs["file_no"] = pd.array(range(1, 41), dtype="Int64")
    names = [f"{folder:04d}/{doc:02d}.pdf" for folder in range(10, 40) for doc in (1, 2)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    linked = result.links[result.links["decision"] == "link"]
    path_of = {item.item_id: item.relpath for item in result.items}
    assert dict(zip(linked["item_id"].map(path_of), linked["record"])) == {
        f"{folder:04d}": folder - 1 for folder in range(10, 40)
    }


def test_one_list_naming_a_file_in_each_lot_is_read_by_the_lot_column_or_path():
    # One handover list for four lots, "001.pdf" in each: its "Đợt" column, or the path it
    # writes out, names the lot folder; a row no column or path singles out is not guessed.
    rows = [
        SidecarEntry(
            "001.pdf",
            f"2017.DC.{lot:03d}",
            "",
            None,
            None,
            f"list.csv row {lot + 1}",
            numbers={"dot": lot, "so dot": 1},
        )
        for lot in (1, 2, 3)
    ]
    index = SidecarIndex(rows)
    assert index.get("Lo 2/001.pdf") is rows[1] and index.get("Lo 1/001.pdf") is rows[0]
    assert index.get("Lo 9/001.pdf") is None and index.get("001.pdf") is None
    written = [
        SidecarEntry(f"D:\\Scan\\Lo {lot}\\002.pdf", f"X.{lot}", "", None, None, "l.csv")
        for lot in (1, 2)
    ]
    assert SidecarIndex(written).get("Lo 2/002.pdf") is written[1]


def test_a_counters_list_with_box_and_file_columns_names_the_records():
    # "img1.pdf" … with a list giving "Hộp số" and "Hồ sơ số" (no title): the counter names
    # nothing, the list's two columns together name one record each (file numbers restart
    # every year, so neither alone does).
    titles = land_titles(60)
    recs = records(titles, [f"H56.1731-03-{2016 + i // 20}-{i % 20 + 1:04d}" for i in range(60)])
    recs["box"] = pd.array([i // 5 + 1 for i in range(60)], dtype="Int64")
    names = [f"img{i + 1}.pdf" for i in range(60)]
    side = SidecarIndex(
        [
            SidecarEntry(
                n,
                "",
                "",
                None,
                None,
                f"list.csv row {i + 2}",
                numbers={"hop so": i // 5 + 1, "ho so so": i % 20 + 1},
            )
            for i, n in enumerate(names)
        ]
    )
    result = match_locality(recs, scans(names), side, MatchSettings())
    linked = result.links[result.links["decision"] == "link"]
    assert sorted(zip(linked["item_id"], linked["record"])) == [(i, i) for i in range(60)]


def test_counters_restarting_in_each_box_folder_are_placed_among_that_boxs_records():
    # "Hop so 2/Scan_00001.tif" …: the station's counter restarts in every box and no list
    # names the files; the box folder holds that box's records, in inventory order, so the
    # order (and the page counts) decide within the box, where a record not scanned in
    # another box moves nothing.
    titles = land_titles(20)
    recs = records(titles)
    recs["box"] = pd.array([i // 5 + 1 for i in range(20)], dtype="Int64")
    sheets = [3, 8, 15, 4, 10] * 4
    recs["sheets"] = pd.array(sheets, dtype="Int64")
    kept = [i for i in range(20) if i != 2]
    names = [
        f"Hop so {i // 5 + 1}/Scan_{(i % 5 + 1) if i // 5 else kept.index(i) + 1:05d}.tif"
        for i in kept
    ]
    frame = scans(names)
    frame["pages"] = [2 * sheets[i] for i in kept]
    result = match_locality(recs, frame, SidecarIndex([]), MatchSettings())
    linked = result.links[result.links["decision"] == "link"]
    path_of = {item.item_id: item.relpath for item in result.items}
    got = {path_of[i]: r for i, r in zip(linked["item_id"], linked["record"])}
    truth = dict(zip(names, kept))
    assert got.items() <= truth.items()
    assert {p for p in truth if not p.startswith("Hop so 1/")} <= set(got)


def test_a_numbering_the_page_counts_do_not_fit_loses_though_it_names_more_scans():
    # Scans named by the record's own number ("Số lưu"), a few of which two records share
    # (typed twice; one of the two not scanned yet): that numbering names fewer scans alone
    # than the STT, which drifted one ahead after a row inserted. The STT names a record for
    # every scan, the wrong one from there on, and the page counts say so.
    n = 41
    titles = land_titles(n)
    recs = records(titles)
    column = [i + 1 if i < 20 else n if i == 20 else i for i in range(n)]
    for a in (4, 14, 30):
        column[a + 1] = column[a]
    recs["other_numbers"] = [json.dumps({"Số lưu": v}, ensure_ascii=False) for v in column]
    recs["stt"] = [str(i + 1) for i in range(n)]
    recs["sheets"] = pd.array([5 if i % 2 else 30 + i % 3 for i in range(n)], dtype="Int64")
    scanned = [i for i in range(n) if i not in (20, 5, 15, 31)]
    frame = scans([f"B{1 + i // 10}-F{column[i]}.pdf" for i in scanned])
    frame["pages"] = [int(recs["sheets"][i]) for i in scanned]
    result = match_locality(recs, frame, SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    path_of = {item.item_id: item.relpath for item in result.items}
    truth = {(f"B{1 + i // 10}-F{column[i]}.pdf", i) for i in scanned}
    got = {(path_of[k], r) for k, r in zip(links["item_id"], links["record"])}
    assert got <= truth and len(got) >= 30
    assert "Số lưu" in links["explanation"].iloc[-1]


def test_a_receipts_day_and_number_and_a_file_number_and_year_are_two_ways():
    # "2015/011.2015.pdf" (file number, year) beside "Dat dai/2015/150223-0001.pdf" (a
    # one-stop receipt's day and number, the end of its code, which certain links teach):
    # both names hold two numbers, and what the receipts teach is not how the others name.
    titles = land_titles(60)
    codes = [f"000.00.21.H5683-04-2015-{i + 1:04d}" for i in range(30)]
    codes += [f"000.15.37.H56-1502{i - 29:02d}-0001" for i in range(30, 60)]
    recs = records(titles, codes=codes)
    recs["file_no"] = pd.array(range(1, 61), dtype="Int64")
    names = [f"2015/{i + 1:03d}.2015.pdf" for i in range(30, 60)]
    names += [f"Dat dai/2015/1502{i - 29:02d}-0001.pdf" for i in range(30, 60)]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    path_of = {item.item_id: item.relpath for item in result.items}
    got = dict(zip(links["item_id"].map(path_of), links["record"]))
    assert {n: r for n, r in got.items() if n.startswith("2015/")} == {
        f"2015/{i + 1:03d}.2015.pdf": i for i in range(30, 60)
    }


def test_folders_named_by_the_inventorys_sheets_scope_an_stt_that_restarts_per_sheet():
    # "Báo cáo/001/VB01.pdf": the office keeps a sheet per kind, numbers each from 1, and
    # scans into a folder per sheet and one per record; no name carries a title or a code.
    sheets = ["Hộ tịch", "Báo cáo", "Xây dựng"]
    titles = land_titles(60)
    recs = records(titles)
    recs["source_sheet"] = [sheets[i // 20] for i in range(60)]
    recs["stt"] = [str(i % 20 + 1) for i in range(60)]
    paths = [f"{sheets[i // 20]}/{i % 20 + 1:03d}/VB{d:02d}.pdf" for i in range(60) for d in (1, 2)]
    result = match_locality(recs, scans(paths), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    folders = {item.item_id: item.relpath for item in result.items}
    assert sorted((folders[i], r) for i, r in zip(links["item_id"], links["record"])) == sorted(
        (f"{sheets[i // 20]}/{i % 20 + 1:03d}", i) for i in range(60)
    )
    fields = {c["field"] for c in result.conventions["/scans"]}
    assert {"sheet", "stt"} <= fields


def test_a_year_ending_a_name_of_three_numbers_is_set_apart_from_its_last():
    # "10-434. 2012": map sheet 10, parcel 434 and the year; the parcel is the last number.
    from khaudit.match.evidence import path_evidence
    from khaudit.match.items import Item
    from khaudit.match.readings import item_readings

    relpath = "Năm_2012/10-434. 2012"
    item = Item(0, "/scans", relpath, [0], True, 3, frozenset(), path_evidence(relpath, True))
    readings = item_readings(item)
    assert (readings["name.first"], readings["name.last"], readings["name.year"]) == (
        10,
        434,
        2012,
    )


def test_a_badly_typed_title_nothing_else_comes_near_is_linked_without_review():
    # "HScap", "hoong": the title scores under accept_score, yet no other record is within
    # clear_margin points, no number contradicts it and its pages agree.
    name = "HScap GCN cho hoong Nguyen Van An thua 100 TBD 1.pdf"
    titles = land_titles(20)
    result = match_locality(records(titles), scans([name]), SidecarIndex([]), MatchSettings())
    link = result.links.iloc[0]
    assert (link["record"], link["decision"]) == (0, "link")
    assert link["score"] < MatchSettings().accept_score / 100
    assert "không hồ sơ nào khác gần" in link["explanation"]
    # The same record typed twice in the inventory (which makes each word commoner, so the
    # floor for review is lowered here): the two are a tie, a person decides.
    twins = match_locality(
        records([titles[0], *titles]),
        scans([name]),
        SidecarIndex([]),
        MatchSettings(review_score=70),
    )
    assert sorted(twins.links.loc[twins.links["decision"] == "review", "record"]) == [0, 1]


def test_a_file_number_each_year_restarts_is_told_apart_by_the_year_folder():
    # "2021/0003/01_0003.pdf": file 3 of 2021, where every year numbers its files from 1.
    titles = land_titles(12)
    recs = records(titles)
    years = [2020] * 6 + [2021] * 6
    recs["year_start"] = pd.array(years, dtype="Int64")
    recs["year_end"] = pd.array(years, dtype="Int64")
    recs["file_no"] = pd.array([i % 6 + 1 for i in range(12)], dtype="Int64")
    paths = [
        f"{2020 + i // 6}/{i % 6 + 1:04d}/0{d}_{i % 6 + 1:04d}.pdf" for i in (1, 8) for d in (1, 2)
    ]
    result = match_locality(recs, scans(paths), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    folders = {item.item_id: item.relpath for item in result.items}
    assert sorted((folders[i], r) for i, r in zip(links["item_id"], links["record"])) == [
        ("2020/0002", 1),
        ("2021/0003", 8),
    ]
    assert all("2020" in n or "2021" in n for n in links["explanation"])


def test_a_former_communes_folder_is_its_sheet_in_the_merged_communes_inventory():
    # A merged commune keeps a sheet per former commune ("Xa Dien Son") and its scans in a
    # folder per one ("Dien Son (cu)").
    from khaudit.match.readings import sheet_key

    assert sheet_key("Xa Dien Son") == sheet_key("Dien Son (cu)") == "dien son"
    assert sheet_key("Xã Diên Phú") == sheet_key("UBND xã Diên Phú (cũ)")
    assert sheet_key("01. Báo cáo") == sheet_key("Báo cáo")


def test_a_merged_communes_lists_one_file_each_scope_their_former_communes_folders():
    # Two lists, one per former commune, the STT restarting in each and the file numbers
    # running through; the scans name the STT ("img0007-STT 007") in a folder per former
    # commune. Neither the STT nor its equal file number alone names the record.
    titles = land_titles(40)
    recs = records(titles)
    recs["source_file"] = [
        "muc-luc-xa-dien-dien.csv" if i < 20 else "muc-luc-xa-dien-son.csv" for i in range(40)
    ]
    recs["source_sheet"] = ""
    recs["stt"] = [str(i % 20 + 1) for i in range(40)]
    recs["file_no"] = pd.array(list(range(1, 41)), dtype="Int64")
    names = [
        f"{'Dien Dien' if i < 20 else 'Dien Son'} (cu)/img{i + 1:04d}-STT {i % 20 + 1:03d}.pdf"
        for i in range(40)
    ]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    links = result.links[result.links["decision"] == "link"]
    assert sorted(zip(links["item_id"], links["record"])) == [(i, i) for i in range(40)]


def test_a_scanning_log_naming_owner_and_procedure_gives_the_title(tmp_path):
    path = tmp_path / "nhat_ky_quet.csv"
    pd.DataFrame(
        {
            "Ten tep": ["IMG_20250303_074500.pdf", "IMG_20250303_074939.pdf"],
            "Chủ hồ sơ": ["Nguyễn Ngọc My", "Nguyễn Thị Vân"],
            "Nhan vien": ["Hùng", "Lan"],
            "Thủ tục": ["xin phep XD", "ho kinh doanh"],
            "Số trang": [15, 6],
        }
    ).to_csv(path, index=False)
    entries = read_sidecar(path)
    assert [e.title for e in entries] == [
        "xin phep XD Nguyễn Ngọc My",
        "ho kinh doanh Nguyễn Thị Vân",
    ]
    assert [e.pages for e in entries] == [15, 6]


def test_scans_the_inventory_notes_name_are_linked_by_that_name():
    # The clerk typed the device's name of each scan in "Ghi chú": with or without ".pdf", one
    # letter off where the name is long, the same counter on two years (the year decides).
    titles = land_titles(6)
    recs = records(titles)
    recs["notes"] = [
        "img0001",
        "img0002.pdf",
        "HPSCAN_2020412080836",
        "Doc5",
        "Doc5",
        "Bản chính",
    ]
    recs["year_start"] = pd.array([2019, 2019, 2019, 2015, 2016, 2019], dtype="Int64")
    recs["year_end"] = recs["year_start"]
    names = [
        "Lo 1/img0002.pdf",
        "Lo 1/img0001.pdf",
        "Lo 1/HPSCAN_20250412080836.pdf",
        "2016/Doc5.pdf",
        "2015/Doc5.pdf",
        "Lo 1/img0003.pdf",
    ]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    assert {path_of[i]: r for i, r in zip(links["item_id"], links["record"])} == {
        "Lo 1/img0001.pdf": 0,
        "Lo 1/img0002.pdf": 1,
        "Lo 1/HPSCAN_20250412080836.pdf": 2,
        "2015/Doc5.pdf": 3,
        "2016/Doc5.pdf": 4,
    }
    assert set(links["method"]) == {"inventory_name"}


def test_a_number_beyond_every_records_names_a_record_the_list_lacks():
    # Receipts "000.57.36.H34-<day>-<sequence>", scans named by the day and the sequence. A
    # scan of the day 121003 with sequence 9000 (none of the list's runs past 2) is no record
    # of that day's, however well the day agrees.
    days = [f"12{m:02d}{d:02d}" for m in range(1, 11) for d in (3, 17)]
    two = ("120103", "120117")  # two receipts on these days, one on the others
    codes = [f"000.57.36.H34-{d}-{seq:04d}" for d in days for seq in (1, 2)[: 1 + (d in two)]]
    recs = records(land_titles(len(codes)), codes=codes)
    names = [f"{c.split('-', 1)[1]}.pdf" for c in codes] + ["121003-9000.pdf"]
    result = match_locality(recs, scans(names), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    linked = {path_of[i] for i in result.links.loc[result.links["decision"] == "link", "item_id"]}
    assert "121003-0001.pdf" in linked and "121003-9000.pdf" not in linked


def test_words_the_office_writes_and_the_list_never_does_weigh_little():
    # "xin phep XD" for "cấp GPXD": "xin" is in every scan's name and no record's title; an
    # owner the list lacks ("Nguyen Van Zung") still names no record.
    owners = ["Nguyễn Bích Diễm", "Dương Văn Tài", "Lê Văn Phúc", "Trần Thị Hạnh", "Võ Minh Quân"]
    titles = [f"Hồ sơ cấp GPXD nhà ở riêng lẻ cho ông {o} tại thôn Lạc Lợi" for o in owners]
    titles.append("Hồ sơ cấp GPXD nhà ở riêng lẻ cho ông Nguyễn Văn Hùng tại thôn Lạc Lợi")
    names = [f"GPXD/{strip_marks(o)} xin phep XD.pdf" for o in owners]
    names.append("GPXD/Nguyen Van Zung xin phep XD.pdf")
    result = match_locality(records(titles), scans(names), SidecarIndex([]), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    linked = {path_of[i]: r for i, r in zip(links["item_id"], links["record"])}
    assert linked == {name: k for k, name in enumerate(names[:5])}


def test_a_metadata_file_beside_each_scan_describes_the_scan_of_its_name(tmp_path):
    # A contractor's eDoc: "EDOC-2022-3019046.pdf" and its "EDOC-2022-3019046.json" (or
    # .xml), Circular 05's field names in camelCase, the record nested under one key.
    (tmp_path / "EDOC-2022-3019046.json").write_text(
        json.dumps(
            {"hoSo": {"tieuDe": "BC cai cach hanh chinh 2013", "nam": 2013, "soLuongTrang": 4}}
        ),
        encoding="utf-8",
    )
    (tmp_path / "E111.xml").write_text(
        "<HoSo><nam>2019</nam><hoSoSo>383</hoSoSo><soLuongTrang>35</soLuongTrang></HoSo>",
        encoding="utf-8",
    )
    (entry,) = read_sidecar(tmp_path / "EDOC-2022-3019046.json")
    assert (entry.file, entry.title, entry.year, entry.pages) == (
        "EDOC-2022-3019046",
        "BC cai cach hanh chinh 2013",
        2013,
        4,
    )
    (entry,) = read_sidecar(tmp_path / "E111.xml")
    assert (entry.file, entry.pages, entry.numbers) == ("E111", 35, {"ho so so": 383})
    index = SidecarIndex([entry])
    assert index.get("LO 1/E111.pdf") == entry


def test_a_lots_running_number_is_no_file_number_where_its_list_numbers_the_scans():
    # "BG_003/0024.tif": the contractor's count in the lot; its delivery list (its own rows
    # numbered as the lot) gives the box and the file number, in another order.
    titles = land_titles(40)
    recs = records(titles)
    recs["file_no"] = pd.array(list(range(1, 41)), dtype="Int64")
    names = [f"BG_003/{k + 1:04d}.tif" for k in range(40)]
    order = list(range(40))
    random.Random(3).shuffle(order)
    entries = [
        SidecarEntry(
            file=f"\\\\NAS\\bangiao\\BG_003\\{k + 1:04d}.tif",
            record_code="",
            title="",
            pages=None,
            year=None,
            source=f"DANH MUC BAN GIAO.xlsx row {k + 2}",
            numbers={"no": k + 1, "box": 33, "file no": 1 + order[k]},
        )
        for k in range(40)
    ]
    result = match_locality(recs, scans(names), SidecarIndex(entries), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    linked = {path_of[i]: r for i, r in zip(links["item_id"], links["record"])}
    assert linked == {names[k]: order[k] for k in range(40)}


def test_scans_named_by_opaque_ids_learn_from_their_metadata_files_as_one_naming():
    # UUIDs (whose letters before the first digit vary) with a metadata file each naming the
    # file number ("hoSoSo"): one way of naming, learned as one.
    titles = land_titles(40)
    recs = records(titles)
    recs["file_no"] = pd.array(list(range(1, 41)), dtype="Int64")
    rng = random.Random(5)
    ids = [
        f"{rng.getrandbits(32):08X}-{rng.getrandbits(16):04X}-4F00-898D-D59546BDF6E1"
        for _ in range(40)
    ]
    entries = [
        SidecarEntry(
            file=i,
            record_code="",
            title="",
            pages=None,
            year=None,
            source=f"{i}.xml row 2",
            numbers={"ho so so": k + 1},
        )
        for k, i in enumerate(ids)
    ]
    names = [f"LO 1/{i}.pdf" for i in ids]
    result = match_locality(recs, scans(names), SidecarIndex(entries), MatchSettings())
    path_of = {item.item_id: item.relpath for item in result.items}
    links = result.links[result.links["decision"] == "link"]
    assert {path_of[i]: r for i, r in zip(links["item_id"], links["record"])} == {
        n: k for k, n in enumerate(names)
    }


def test_a_dos_short_alias_finds_the_long_name_its_list_writes():
    long = "289BEC12-4B3E-4946-9D94-D50BDCAD8943.pdf"
    entry = SidecarEntry(
        file=f"\\\\NAS\\bangiao\\Lo 03\\{long}",
        record_code="",
        title="Ho so X",
        pages=3,
        year=None,
        source="DANH MUC row 2",
    )
    other = SidecarEntry(
        file="\\\\NAS\\bangiao\\Lo 03\\E718FD00-1111.pdf",
        record_code="",
        title="Ho so Y",
        pages=3,
        year=None,
        source="DANH MUC row 3",
    )
    index = SidecarIndex([entry, other])
    assert index.get("Lo 03/289BEC~1.PDF") == entry
    assert index.get("Lo 03/AAAAAA~1.PDF") is None
