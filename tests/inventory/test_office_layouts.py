"""Layouts of inventories as offices and their tools save them (bench/inventory_corpus.py):
section lines inside the table, the header repeated on each printed page, hidden sheets and
headings no synonym names. Each is read with every record and no invented one."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from khaudit.i18n import t
from khaudit.inventory.loader import load_inventory

TITLES = [
    "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Nguyễn Văn An, thửa đất số 12",
    "Quyết định về việc thành lập Ban chỉ đạo số hóa tài liệu lưu trữ năm 2015",
    "Báo cáo tình hình kinh tế - xã hội quý 3 năm 2015",
    "Hồ sơ đăng ký kết hôn của anh Trần Văn Bình và chị Lê Thị Cúc",
    "Tờ trình đề nghị phê duyệt kế hoạch sử dụng đất năm 2016",
    "Công văn của UBND tỉnh Khánh Hòa về việc sắp xếp đơn vị hành chính cấp xã",
]


def _data(i: int) -> list[object]:
    return [i + 1, 1, i + 1, f"H56.22678.2015.{i + 1:04d}", TITLES[i], "03/2015", 10 + i]


def _csv(path: Path, lines: list[list[object]], delimiter: str = ";") -> Path:
    path.write_text(
        "\n".join(delimiter.join(str(v) for v in line) for line in lines) + "\n",
        encoding="utf-8-sig",
    )
    return path


HEAD = ["STT", "Hộp số", "Hồ sơ số", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Năm", "Số tờ"]


def test_section_lines_typed_in_one_cell_are_not_records(tmp_path: Path):
    # A CSV (or an ods) keeps no merge: "I. Hộ tịch" stands alone in the STT column,
    # "Năm 2015" alone in the title column. Neither is a record, nor a record with no title.
    blank = [""] * 7
    lines: list[list[object]] = [HEAD]
    lines.append(["I. Hộ tịch"] + blank[1:])
    lines.append(blank[:4] + ["Năm 2015"] + blank[5:])
    lines += [_data(0), _data(1)]
    lines.append(["II. Đất đai"] + blank[1:])
    lines += [_data(2)]
    lines.append(blank[:4] + ["Quý I năm 2016"] + blank[5:])
    lines += [_data(3)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records] == TITLES[:4]
    assert [r["source_row"] for r in records] == [4, 5, 7, 9]
    assert issues == []


def test_a_title_alone_on_its_row_is_still_a_record(tmp_path: Path):
    # Only the shapes of a section heading are skipped: a title typed without its other
    # cells, even one starting with a number, stays a record.
    blank = [""] * 7
    lines: list[list[object]] = [HEAD, _data(0)]
    lines.append(blank[:4] + ["Hồ sơ đăng ký khai sinh năm 2015"] + blank[5:])
    lines.append(blank[:4] + ["1. Sổ đăng ký kết hôn năm 2015"] + blank[5:])
    records, _ = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records][1:] == [
        "Hồ sơ đăng ký khai sinh năm 2015",
        "1. Sổ đăng ký kết hôn năm 2015",
    ]


def test_a_two_row_header_repeated_on_each_printed_page_is_not_read_as_records(tmp_path):
    # "Hồ sơ" merged over "Số" and "Ký hiệu", "Thời gian" over "Bắt đầu" and "Kết thúc",
    # the other headings merged down both rows; the whole header again on each page.
    path = tmp_path / "pages.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    top = ["STT", "Hồ sơ", None, "Tiêu đề hồ sơ", "Thời gian", None, "Số tờ"]
    low = [None, "Số", "Ký hiệu", None, "Bắt đầu", "Kết thúc", None]

    def header() -> None:
        ws.append(top)
        ws.append(low)
        r = ws.max_row - 1
        for c in (1, 4, 7):
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
        for c in (2, 5):
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
        ws.append([f"({i})" for i in range(1, 8)])

    for page in range(3):
        header()
        for i in (2 * page, 2 * page + 1):
            ws.append([i + 1, i + 1, f"H56.2015.{i + 1:04d}", TITLES[i], "2015", "2015", 9])
    wb.save(path)
    records, issues = load_inventory(path, "pages.xlsx", "X")
    assert [r["title"] for r in records] == TITLES
    assert [r["file_no"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert [r["record_code"] for r in records][:1] == ["H56.2015.0001"]
    assert issues == []


def test_a_hidden_sheet_is_read_and_every_row_of_it_flagged(tmp_path: Path):
    path = tmp_path / "years.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "2015"
    wb.active.append(HEAD)
    wb.active.append(_data(0))
    draft = wb.create_sheet("Nháp")
    draft.append(HEAD)
    draft.append(_data(1))
    draft.sheet_state = "hidden"
    wb.save(path)
    records, issues = load_inventory(path, "years.xlsx", "X")
    assert [(r["source_sheet"], r["hidden"]) for r in records] == [("2015", False), ("Nháp", True)]
    assert [(i.source_sheet, i.source_row, i.problem, i.severity) for i in issues] == [
        ("Nháp", 2, "hidden_row", "info")
    ]


UNNAMED = ["STT", "Hộp số", "Hồ sơ số", "Mã hồ sơ", "Tên gọi và nội dung hồ sơ", "Năm", "Số tờ"]


def test_a_title_column_no_heading_names_is_found_by_its_cells_and_said(tmp_path: Path):
    lines: list[list[object]] = [["UBND XÃ DIÊN LẠC"], ["MỤC LỤC HỒ SƠ"], UNNAMED]
    lines += [_data(i) for i in range(6)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records] == TITLES
    assert [r["file_no"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert [(i.source_row, i.column, i.field, i.problem, i.severity) for i in issues] == [
        (3, "Tên gọi và nội dung hồ sơ", "title", "column_by_content", "info")
    ]
    for lang in ("vi", "en"):
        assert issues[0].expected(lang) == t("issue.expected.column_by_content", lang)
        assert "column_by_content" not in issues[0].expected(lang)


def test_a_named_title_column_is_never_replaced_by_a_longer_one(tmp_path: Path):
    # "Trích yếu" is a synonym: it stays the title although "Diễn giải" holds longer text.
    head = ["STT", "Trích yếu", "Diễn giải", "Số tờ"]
    lines: list[list[object]] = [head]
    lines += [[i + 1, f"Hồ sơ số {i + 1}", TITLES[i], 5] for i in range(6)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records] == [f"Hồ sơ số {i}" for i in range(1, 7)]
    assert issues == []


def test_the_project_files_column_wins_over_a_guess(tmp_path: Path):
    lines: list[list[object]] = [UNNAMED] + [_data(i) for i in range(6)]
    path = _csv(tmp_path / "m.csv", lines)
    records, issues = load_inventory(path, "m.csv", "X", {"title": "Mã hồ sơ"})
    assert records[0]["title"] == "H56.22678.2015.0001"
    assert issues == []


@pytest.mark.parametrize(
    "column",
    [
        [f"H56.22678.2015.{i:04d}" for i in range(6)],  # codes: few letters
        ["Bản chính"] * 6,  # short, repeated notes
        [str(10 + i) for i in range(6)],  # counts
    ],
)
def test_no_title_is_guessed_from_a_column_that_does_not_read_like_titles(tmp_path, column):
    lines: list[list[object]] = [["STT", "Hộp số", "Cột lạ", "Số tờ"]]
    lines += [[i + 1, 1, column[i], 5] for i in range(6)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert records == []
    assert [i.problem for i in issues] == ["no_header"]


def test_a_column_of_years_under_an_unknown_heading_gives_the_dates(tmp_path: Path):
    head = ["STT", "Tiêu đề hồ sơ", "Niên hạn", "Số tờ"]
    lines: list[list[object]] = [head]
    lines += [[i + 1, TITLES[i], 2014 + i % 3, 5 + i] for i in range(6)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["year_start"] for r in records] == [2014, 2015, 2016, 2014, 2015, 2016]
    assert [r["sheets"] for r in records] == [5, 6, 7, 8, 9, 10]  # counts are never years
    assert [(i.column, i.field, i.problem) for i in issues] == [
        ("Niên hạn", "dates", "column_by_content")
    ]


def test_a_second_table_below_the_first_footer_is_read_and_signatures_are_not(tmp_path):
    # "Mục lục này gồm có" closes the first table; the signatures under it are no records,
    # and the supplement below, under its own title and the same header, is read.
    blank = [""] * 7
    lines: list[list[object]] = [HEAD, _data(0), _data(1)]
    lines.append(["Mục lục này gồm có 2 hồ sơ"] + blank[1:])
    lines.append(["", "Người lập", "", "", "Thủ trưởng đơn vị", "", ""])
    lines.append(["", "Nguyễn Thị Hoa", "", "", "Lê Văn Cường", "", ""])
    lines.append(["DANH MỤC HỒ SƠ BỔ SUNG"] + blank[1:])
    lines += [HEAD, _data(2), _data(3)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records] == TITLES[:4]
    assert [r["source_row"] for r in records] == [2, 3, 9, 10]
    assert issues == []


def test_a_cover_sheet_without_a_table_is_a_note_and_a_headerless_table_an_error(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Bìa"
    for line in (["UBND XÃ DIÊN LẠC"], ["MỤC LỤC HỒ SƠ"], ["Từ năm 2014", None, "Số: 01"]):
        cover.append(line)
    table = wb.create_sheet("Lạ")
    for i in range(3):
        table.append([i + 1, "x" * (i + 1), i + 2015, "y"])
    data = wb.create_sheet("Mục lục")
    data.append(HEAD)
    data.append(_data(0))
    wb.save(path)
    records, issues = load_inventory(path, "book.xlsx", "X")
    assert [r["title"] for r in records] == TITLES[:1]
    assert [(i.source_sheet, i.problem, i.severity) for i in issues] == [
        ("Bìa", "no_header", "info"),
        ("Lạ", "no_header", "error"),
    ]


@pytest.mark.parametrize(
    "start, end",
    [("From", "To"), ("Từ ngày", "Đến ngày"), ("Thời gian từ", "Thời gian đến")],
)
def test_from_and_to_headings_are_the_dates_and_to_alone_still_counts_sheets(start, end):
    from khaudit.inventory.columns import map_headings

    headings = ["No.", "Title", start, end, "Pages"]
    assert map_headings(headings) == {
        0: "stt",
        1: "title",
        2: "date_start",
        3: "date_end",
        4: "sheets",
    }
    assert map_headings(["STT", "Tiêu đề", "Năm", "Tờ"])[3] == "sheets"


def test_rows_without_dates_take_the_year_of_their_sheet_or_section_line_and_say_so(tmp_path):
    # A sheet a year, no date column: the year is the sheet's; under "Năm 2016" the section's.
    path = tmp_path / "years.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Năm 2015"
    ws.append(["STT", "Tiêu đề hồ sơ", "Số tờ"])
    ws.append([1, TITLES[0], 5])
    ws.append([2, TITLES[1], 6])
    ws.append([None, "Năm 2016", None])
    ws.append([3, TITLES[2], 7])
    other = wb.create_sheet("Phụ lục")
    other.append(["STT", "Tiêu đề hồ sơ", "Năm", "Số tờ"])
    other.append([1, TITLES[3], 2014, 5])
    other.append([2, TITLES[4], None, 5])
    wb.save(path)
    records, issues = load_inventory(path, "years.xlsx", "X")
    assert [(r["year_start"], r["year_end"], r["dates_raw"]) for r in records] == [
        (2015, 2015, ""),
        (2015, 2015, ""),
        (2016, 2016, ""),
        (2014, 2014, "2014"),
        (None, None, ""),  # a sheet named for no year gives none
    ]
    assert [(i.source_sheet, i.source_row, i.value, i.problem, i.severity) for i in issues] == [
        ("Năm 2015", 2, "2015", "year_from_context", "info"),
        ("Năm 2015", 5, "2016", "year_from_context", "info"),
    ]
    assert all(i.expected(lang) for i in issues for lang in ("vi", "en"))


def test_a_column_of_birth_dates_is_no_code_column(tmp_path: Path):
    # "28/12/1986" has a code's shape (three segments, nearly all different), but is a date.
    head = ["STT", "Hồ sơ số", "Tiêu đề hồ sơ", "Ngày, tháng, năm sinh", "Số tờ"]
    lines: list[list[object]] = [head]
    lines += [[i + 1, i + 1, TITLES[i], f"{i + 3:02d}/0{i + 1}/198{i}", 5] for i in range(6)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert {r["record_code"] for r in records} == {""}
    assert issues == []


@pytest.mark.parametrize(
    "heading", ["Số, ký hiệu văn bản", "Số tờ BĐ", "Số tờ bản đồ", "Số thửa", "Ngày sinh"]
)
def test_a_heading_naming_another_thing_is_not_taken_for_the_files_field(heading):
    # "Số, ký hiệu" is the file's code, but "Số, ký hiệu văn bản" lists its documents' numbers;
    # "Số tờ" counts sheets, but "Số tờ BĐ" is a map sheet.
    from khaudit.inventory.columns import field_for_heading, map_headings

    assert field_for_heading(heading) is None
    assert map_headings(["STT", "Tiêu đề hồ sơ", heading, "Số tờ"])[3] == "sheets"
    assert field_for_heading("Số, ký hiệu hồ sơ") == "record_code"
    assert field_for_heading("Tiêu đề hồ sơ (trích yếu)") == "title"


def test_box_section_lines_give_the_box_of_the_rows_under_them(tmp_path: Path):
    # No box column: "Hộp số 01" lines (alone in a CSV, merged in a workbook) head each box.
    blank = [""] * 6
    head = ["STT", "Hồ sơ số", "Tiêu đề hồ sơ", "Năm", "Số tờ", "Ghi chú"]
    lines: list[list[object]] = [head, ["Hộp số 01"] + blank[1:]]
    lines += [[i + 1, i + 1, TITLES[i], 2015, 5, ""] for i in range(2)]
    lines += [["HỘP SỐ 2"] + blank[1:]]
    lines += [[i + 1, i + 1, TITLES[i], 2015, 5, ""] for i in range(2, 4)]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["box"] for r in records] == [1, 1, 2, 2]
    assert [r["title"] for r in records] == TITLES[:4]
    assert [(i.source_row, i.field, i.value, i.problem, i.severity) for i in issues] == [
        (3, "box", "1", "box_from_section", "info")
    ]
    assert all(i.expected(lang) for i in issues for lang in ("vi", "en"))


def test_a_box_column_wins_over_a_box_section_line(tmp_path: Path):
    head = ["STT", "Hộp số", "Tiêu đề hồ sơ", "Số tờ"]
    lines: list[list[object]] = [head, ["Hộp số 01", "", "", ""]]
    lines += [[1, 7, TITLES[0], 5], [2, "", TITLES[1], 5]]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["box"] for r in records] == [7, 1]
    assert [i.problem for i in issues] == ["box_from_section"]


def test_a_title_split_over_two_rows_by_a_word_paste_is_one_record(tmp_path: Path):
    # Excel puts each paragraph of a pasted Word cell on its own row and merges the other
    # cells down over both; a box merged down over its files is no such split.
    path = tmp_path / "paste.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Hộp số", "Tiêu đề hồ sơ", "Số tờ"])
    ws.append([1, 4, "Hồ sơ về việc thành lập Hội đồng thẩm định giá", 5])
    ws.append([None, None, "đất (Quyết định số 22/QĐ-UBND)", None])
    ws.append([2, None, "Báo cáo tổng kết năm 2015", 6])
    for cells in ("A2:A3", "D2:D3", "B2:B4"):  # the box merged down over both files
        ws.merge_cells(cells)
    wb.save(path)
    records, issues = load_inventory(path, "paste.xlsx", "X")
    assert [(r["source_row"], r["title"], r["box"]) for r in records] == [
        (2, "Hồ sơ về việc thành lập Hội đồng thẩm định giá đất (Quyết định số 22/QĐ-UBND)", 4),
        (4, "Báo cáo tổng kết năm 2015", 4),
    ]
    assert [(i.source_row, i.problem, i.severity) for i in issues] == [
        (3, "title_continued", "info")
    ]


def test_a_lower_case_title_line_alone_continues_the_title_above_in_a_csv(tmp_path: Path):
    lines: list[list[object]] = [["STT", "Tiêu đề hồ sơ", "Số tờ"]]
    lines += [[1, "Hồ sơ về việc thành lập Hội đồng thẩm định giá", 5]]
    lines += [["", "đất (Quyết định số 22/QĐ-UBND)", ""]]
    lines += [["", "Sổ đăng ký khai sinh năm 2015", ""]]  # a capital: a record of its own
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records] == [
        "Hồ sơ về việc thành lập Hội đồng thẩm định giá đất (Quyết định số 22/QĐ-UBND)",
        "Sổ đăng ký khai sinh năm 2015",
    ]
    assert [i.problem for i in issues] == ["title_continued"]


def test_a_heading_wrapped_onto_the_next_row_of_a_csv_is_no_record(tmp_path: Path):
    # "Tiêu đề" over "hồ sơ", "Số" over "tờ": the headings' second lines, not a record.
    lines: list[list[object]] = [["STT", "Hộp số", "Tiêu đề", "Số"], ["", "", "hồ sơ", "tờ"]]
    lines += [[1, 1, TITLES[0], 5]]
    records, issues = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [(r["source_row"], r["title"], r["sheets"]) for r in records] == [(3, TITLES[0], 5)]
    assert issues == []


def test_a_title_alone_on_the_first_row_under_the_header_stays_a_record(tmp_path: Path):
    lines: list[list[object]] = [["STT", "Tiêu đề hồ sơ", "Số tờ"], ["", "Báo cáo năm 2015", ""]]
    records, _ = load_inventory(_csv(tmp_path / "m.csv", lines), "m.csv", "X")
    assert [r["title"] for r in records] == ["Báo cáo năm 2015"]
