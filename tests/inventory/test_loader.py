"""Awkward inventories, built here, each loaded with exact provenance and values."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khaudit.demo.inventories import SheetPlan, tcvn3, write_cp1258_csv, write_xlsx
from khaudit.inventory.loader import load_inventory, load_locality

HEAD = [
    "STT",
    "Hộp số",
    "Hồ sơ số",
    "Số, ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian",
    "Số tờ",
    "THBQ",
    "Ghi chú",
]


def rows(n: int, start: int = 1) -> list[list[object]]:
    return [
        [
            i,
            1 + i // 10,
            i,
            f"H56.01.2019.{i:04d}",
            f"Báo cáo số {i} năm 2019",
            dt.date(2019, 1, 2),
            dt.date(2019, 12, 30),
            f"{i % 9 + 1} tờ",
            "Vĩnh viễn",
            "",
        ]
        for i in range(start, start + n)
    ]


def test_title_block_two_row_header_numbered_row_blanks_and_footer(tmp_path: Path):
    path = tmp_path / "a.xlsx"
    prov = write_xlsx(
        path,
        ["UBND XÃ A", "MỤC LỤC HỒ SƠ", "Phông: UBND xã A"],
        HEAD,
        [SheetPlan("Mục lục", rows(25), "full")],
        two_row_dates=(5, "Bắt đầu", "Kết thúc"),
        blank_every=10,
        footer="Mục lục này gồm có 25 hồ sơ",
    )
    records, issues = load_inventory(path, "a.xlsx", "A")
    assert [(r["source_sheet"], r["source_row"]) for r in records] == prov
    first = records[0]
    assert (first["box"], first["file_no"], first["record_code"]) == (1, 1, "H56.01.2019.0001")
    assert (first["year_start"], first["year_end"], first["sheets"]) == (2019, 2019, 2)
    assert first["retention"] == "permanent"
    assert issues == []


def test_several_sheets_repeat_and_continuation(tmp_path: Path):
    path = tmp_path / "b.xlsx"
    plans = [
        SheetPlan("2019", rows(5), "full"),
        SheetPlan("2020", rows(5, 6), "repeat"),
        SheetPlan("2021", rows(5, 11), "none"),
    ]
    prov = write_xlsx(path, ["MỤC LỤC"], HEAD, plans, two_row_dates=(5, "Bắt đầu", "Kết thúc"))
    records, issues = load_inventory(path, "b.xlsx", "B")
    assert [(r["source_sheet"], r["source_row"]) for r in records] == prov
    assert [r["file_no"] for r in records] == list(range(1, 16))
    assert issues == []


def test_tcvn3_workbook_converts_and_keeps_originals(tmp_path: Path):
    path = tmp_path / "c.xlsx"
    data = [
        [
            1,
            1,
            "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An",
            "Quý I/2019",
            "12 tờ",
            "Vĩnh viễn",
            "Bản sao",
        ]
    ]
    write_xlsx(
        path,
        ["MỤC LỤC HỒ SƠ"],
        [
            "STT",
            "Hồ sơ số",
            "Tiêu đề hồ sơ",
            "Thời gian bắt đầu - kết thúc",
            "Số tờ",
            "THBQ",
            "Ghi chú",
        ],
        [SheetPlan("S", data, "full")],
        transform=tcvn3,
    )
    (record,), issues = load_inventory(path, "c.xlsx", "C")
    assert record["title"] == "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An"
    assert record["title_original"] == tcvn3(record["title"])
    assert json.loads(record["original_cells"])["Ghi chú"] == tcvn3("Bản sao")
    assert record["notes"] == "Bản sao" and record["sheets"] == 12
    assert record["encoding"] == "tcvn3" and record["year_start"] == 2019
    assert issues == []


def test_cp1258_csv_with_semicolons_and_commas_in_titles(tmp_path: Path):
    path = tmp_path / "d.csv"
    data = [[1, "01/2019/HS-UBND", "Hồ sơ cấp GCN, thửa 12, tờ 4", "01/2019", "12/2019", 3]]
    prov = write_cp1258_csv(
        path,
        [
            "STT",
            "Số, ký hiệu hồ sơ",
            "Tiêu đề hồ sơ",
            "Thời gian bắt đầu",
            "Thời gian kết thúc",
            "Số tờ",
        ],
        data,
    )
    (record,), _ = load_inventory(path, "d.csv", "D")
    assert (record["source_sheet"], record["source_row"]) == prov[0]
    assert record["title"] == "Hồ sơ cấp GCN, thửa 12, tờ 4"
    assert record["record_code"] == "01/2019/HS-UBND"


def test_every_row_problem_is_collected_with_its_location(tmp_path: Path):
    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    for c, h in enumerate(
        ["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Thời gian bắt đầu", "Thời gian kết thúc", "Số tờ"]
    ):
        ws.write(0, c, h)
    data = [
        [1, "A.1", "Tốt", "2019", "2019", 3],
        [2, "A.2", "", "2019", "2019", 3],
        [3, "A.3", "Ngày sai", "không rõ", "2019", 3],
        [4, "A.4", "Ngược", "2020", "2018", 3],
        [5, "A.5", "Tờ sai", "2019", "2019", "nhiều"],
        [6, "A.1", "Mã trùng", "2019", "2019", 3],
        [7, "A.1", "Tốt", "2019", "2019", 3],
    ]
    for r, row in enumerate(data, 1):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    frame, issues = load_locality([(path, "e.xlsx")], "E")
    found = {(i.source_row, i.problem, i.column) for i in issues}
    assert found == {
        (3, "no_title", "Tiêu đề hồ sơ"),
        (4, "unreadable_date", "Thời gian bắt đầu"),
        (5, "end_before_start", "Thời gian kết thúc"),
        (6, "sheets_not_number", "Số tờ"),
        (7, "duplicate_code", ""),
        (8, "duplicate_row", ""),
    }
    assert frame.loc[frame["source_row"] == 8, "duplicate_of"].item() == "e.xlsx!S:2"


def test_unreadable_file_is_one_issue_and_others_still_load(tmp_path: Path):
    good = tmp_path / "good.csv"
    good.write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    frame, issues = load_locality([(bad, "bad.xlsx"), (good, "good.csv")], "F")
    assert len(frame) == 1
    assert [(i.source_file, i.problem) for i in issues] == [("bad.xlsx", "file_unreadable")]


def test_sheet_without_header_is_reported(tmp_path: Path):
    path = tmp_path / "g.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    frame, issues = load_locality([(path, "g.csv")], "G")
    assert frame.empty and [i.problem for i in issues] == ["no_header"]


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 2)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8))
def test_no_cell_content_crashes_the_loader(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("fuzz") / "h.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("S")
    for c, h in enumerate(["STT", "Tiêu đề hồ sơ", "Năm", "Số tờ", "Hộp số", "Ghi chú"]):
        ws.write(0, c, h)
    for r, row in enumerate(body, 1):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()))
            elif v is not None:
                ws.write(r, c, v)
    wb.close()
    frame, issues = load_locality([(path, "h.xlsx")], "H")
    assert len(frame) <= len(body)
    assert all(i.source_file == "h.xlsx" for i in issues)


FORMAT_ROWS = [
    ["MỤC LỤC HỒ SƠ", None, None, None],
    [None, None, None, None],
    ["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Năm"],
    [1, "X.1", "Báo cáo năm 2019", 2019],
    [2, "X.2", "Kế hoạch năm 2020", "2020"],
    [3, "X.3", "Tờ trình", "2021"],
]


def test_legacy_xls_is_read(tmp_path: Path):
    from spreadsheets import write_xls

    path = tmp_path / "old.xls"
    write_xls(path, {"Mục lục": FORMAT_ROWS})
    records, issues = load_inventory(path, "old.xls", "X")
    assert [(r["source_sheet"], r["source_row"], r["record_code"]) for r in records] == [
        ("Mục lục", 4, "X.1"),
        ("Mục lục", 5, "X.2"),
        ("Mục lục", 6, "X.3"),
    ]
    assert records[1]["year_start"] == 2020 and issues == []


def test_ods_is_read_with_hidden_rows_and_columns_flagged(tmp_path: Path):
    from spreadsheets import write_ods

    path = tmp_path / "lo.ods"
    write_ods(path, {"Mục lục": FORMAT_ROWS}, hidden_rows={4}, hidden_columns={3})
    records, issues = load_inventory(path, "lo.ods", "X")
    assert [r["source_row"] for r in records] == [4, 5, 6]
    assert [r["hidden"] for r in records] == [False, True, False]
    assert {(i.problem, i.source_row, i.column) for i in issues} == {
        ("hidden_row", 5, ""),
        ("hidden_column", None, "Năm"),
    }


def test_xlsx_hidden_rows_and_columns_are_read_and_flagged(tmp_path: Path):
    path = tmp_path / "h.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    for r, row in enumerate(FORMAT_ROWS):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    ws.set_row(3, None, None, {"hidden": True})
    ws.set_column(3, 3, None, None, {"hidden": True})
    wb.close()
    records, issues = load_inventory(path, "h.xlsx", "X")
    assert len(records) == 3 and records[0]["hidden"] and records[0]["year_start"] == 2019
    assert {(i.problem, i.source_row, i.severity) for i in issues} == {
        ("hidden_row", 4, "info"),
        ("hidden_column", None, "info"),
    }


def test_text_encodings_and_delimiters_of_csv(tmp_path: Path):
    text = "STT\tTiêu đề hồ sơ\tSố tờ\r\n1\tHồ sơ cấp GCN, thửa 12\t3\r\n"
    for name, data in {
        "bom.tsv": text.encode("utf-8-sig"),
        "u16.txt": text.encode("utf-16"),
        "plain.tsv": text.encode("utf-8"),
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        (record,), issues = load_inventory(path, name, "X")
        assert (record["title"], record["sheets"], record["source_row"]) == (
            "Hồ sơ cấp GCN, thửa 12",
            3,
            2,
        ), name
        assert issues == []


def test_english_headings_section_lines_and_subtotals(tmp_path: Path):
    path = tmp_path / "en.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    for c, h in enumerate(["No.", "Box", "File no.", "Title", "Year", "Sheets", "Notes"]):
        ws.write(0, c, h)
    ws.merge_range(1, 0, 1, 6, "I. Năm 2019")
    ws.write_row(2, 0, [1, 1, 1, "Annual report", 2019, 4])
    ws.write_row(3, 0, [2, 1, 2, "Meeting minutes", 2019, 2])
    ws.write(4, 0, "Cộng: 2 hồ sơ")
    ws.merge_range(5, 0, 5, 6, "II. Năm 2020")
    ws.write_row(6, 0, [3, 2, 3, "Budget plan", 2020, 5])
    ws.write(8, 0, "Tổng cộng: 3 hồ sơ")
    wb.close()
    records, issues = load_inventory(path, "en.xlsx", "X")
    assert [(r["source_row"], r["title"], r["box"]) for r in records] == [
        (3, "Annual report", 1),
        (4, "Meeting minutes", 1),
        (7, "Budget plan", 2),
    ]
    assert issues == []


def test_numbers_of_columns_no_field_claims_are_kept_for_the_matcher(tmp_path: Path):
    # "Số lưu" and "Giá số" are headings no synonym lists; a station may still name scans by
    # them. Their whole numbers are kept (by heading); text and blank cells are not.
    path = tmp_path / "muc-luc.csv"
    path.write_text(
        "STT,Giá số,Số lưu,Tiêu đề hồ sơ,Độ mật\n"
        "1,1,7,Sổ đăng ký khai sinh năm 2019,Thường\n"
        "2,1,,Sổ đăng ký kết hôn năm 2019,\n",
        encoding="utf-8",
    )
    records, issues = load_inventory(path, "muc-luc.csv", "A")
    assert [json.loads(r["other_numbers"] or "{}") for r in records] == [
        {"Giá số": 1, "Số lưu": 7},
        {"Giá số": 1},
    ]
    assert records[0]["stt"] == "1" and records[0]["title"] == "Sổ đăng ký khai sinh năm 2019"
    assert issues == []


def test_a_column_of_codes_under_a_heading_no_synonym_lists_is_read_as_the_code(tmp_path: Path):
    # "Mã lưu trữ" names no field; its cells are record codes, nearly all different.
    path = tmp_path / "muc-luc.csv"
    lines = ["TT;Ma luu tru;Ten ho so;Chu thich"]
    lines += [
        f"{i};H56.03.2016.{i:04d};Sổ đăng ký khai sinh năm 2016, quyển {i};" for i in range(1, 9)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, issues = load_inventory(path, "muc-luc.csv", "A")
    assert [r["record_code"] for r in records[:2]] == ["H56.03.2016.0001", "H56.03.2016.0002"]
    assert issues == []


def test_a_column_of_repeated_or_plain_values_is_not_taken_for_codes(tmp_path: Path):
    # Dates and a box column repeat or are no codes: no code column is invented.
    path = tmp_path / "muc-luc.csv"
    lines = ["TT;Ngay;Hop;Ten ho so"]
    lines += [f"{i};01/02/2016;1;Sổ đăng ký khai sinh năm 2016, quyển {i}" for i in range(1, 9)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, _ = load_inventory(path, "muc-luc.csv", "A")
    assert {r["record_code"] for r in records} == {""}


def test_headings_offices_shorten_name_their_fields():
    from khaudit.inventory.columns import map_headings

    headings = ["Số thứ tự", "Cặp số", "Tiêu đề", "Bắt đầu", "Kết thúc", "Số lượng", "Chú thích"]
    assert map_headings(headings) == {
        0: "stt",
        1: "box",
        2: "title",
        3: "date_start",
        4: "date_end",
        5: "sheets",
        6: "notes",
    }


@pytest.mark.parametrize("heading", ["Tên tài liệu", "Tên văn bản", "Tên gọi hồ sơ"])
def test_a_title_named_after_the_documents_it_holds_is_the_title(heading):
    from khaudit.inventory.columns import field_for_heading

    assert field_for_heading(heading) == "title"
