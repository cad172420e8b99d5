"""Benchmark: inventories as offices and other tools make them, read back against their truth.

Usage: .venv/bin/python bench/inventory_corpus.py [--out DIR] [--keep]

Writes one small inventory (the same 36 known records, three years) in each of the ways the
mục lục of a Khánh Hòa office arrive: written by openpyxl, xlsxwriter, xlwt (.xls), odfpy
(.ods) and python-docx (a Word table, or one table a page), and as CSV in UTF-8, UTF-8 with a
BOM, UTF-16 (Excel's "Unicode text"), Windows-1258, TCVN3 and VNI bytes, with commas,
semicolons or tabs; with title blocks of varying height, headings wrapped in two rows under
merged cells, the "(1) (2) (3)" row, the header repeated on each printed page, section rows
("Năm 2015", "I. Hộ tịch"), totals and signature footers, empty columns between, headings in
English, abbreviated or unknown to khaudit, a sheet a year, a hidden sheet and a second table
beside the first. Then loads each with khaudit's loader and prints, per file: records expected,
visible records read, records of the truth found with their exact title, of those with every
field exact (box, file number, code, years, sheets), records read that are none of the truth
(a section line, a header row, a record twice), and the issues raised. Nothing here is tuned
to khaudit: the writers are the tools' own APIs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from khaudit.inventory.encodings import encode_tcvn3, encode_vni
from khaudit.inventory.loader import load_inventory

SUBJECTS = [
    "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông Nguyễn Văn An, thửa đất số {n}",
    "Quyết định về việc thành lập Ban chỉ đạo số hóa tài liệu lưu trữ năm {y}",
    "Báo cáo tình hình kinh tế - xã hội quý {q} năm {y}",
    "Hồ sơ đăng ký kết hôn của anh Trần Văn Bình và chị Lê Thị Cúc",
    "Tờ trình đề nghị phê duyệt kế hoạch sử dụng đất năm {y}",
    "Công văn của UBND tỉnh Khánh Hòa về việc sắp xếp đơn vị hành chính cấp xã",
    "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho bà Phạm Thị Dung",
    "Kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn năm {y}",
    "Biên bản họp Hội đồng nhân dân xã kỳ họp thứ {q}",
    "Sổ đăng ký khai sinh năm {y}, quyển số {q}",
    "Hồ sơ giải quyết đơn khiếu nại của ông Võ Văn Em về tranh chấp đất đai",
    "Thông báo kết luận của Chủ tịch Ủy ban nhân dân xã tại cuộc họp giao ban tháng {q}",
]
RETENTIONS = ["Vĩnh viễn", "70 năm", "20 năm", "10 năm"]
YEARS = (2014, 2015, 2016)
PER_YEAR = 12


@dataclass
class Truth:
    stt: int
    box: int
    file_no: int
    code: str
    title: str
    year: int
    start: dt.date
    end: dt.date
    sheets: int
    retention: str
    section: str  # "I. Hộ tịch" or "II. Đất đai"


def truth_records() -> list[Truth]:
    out = []
    for i in range(len(YEARS) * PER_YEAR):
        year = YEARS[i // PER_YEAR]
        subject = SUBJECTS[i % len(SUBJECTS)]
        title = subject.format(n=100 + i, y=year, q=i % 4 + 1)
        if "{y}" not in subject and "{n}" not in subject:
            title += f", năm {year}"
        start = dt.date(year, i % 12 + 1, i % 27 + 1)  # before 29 December
        end = dt.date(year, 12, 31 - i % 3)
        out.append(
            Truth(
                stt=i + 1,
                box=i // 6 + 1,
                file_no=i + 1,
                code=f"H56.22678.{year}.{i + 1:04d}",
                title=title,
                year=year,
                start=start,
                end=end,
                sheets=5 + (i * 7) % 60,
                retention=RETENTIONS[i % len(RETENTIONS)],
                section="I. Hộ tịch" if i % PER_YEAR < 6 else "II. Đất đai",
            )
        )
    return out


# -- the grid: rows of cells as a person sees the sheet, with merges ------------------------------

Cell = Any


@dataclass
class Grid:
    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    hidden: bool = False
    #: rows (0-based) that are the table (header onward): a docx writes these as its table
    table_from: int = 0

    def add(self, row: list[Cell]) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def covered(self) -> set[tuple[int, int]]:
        """The cells a merged range covers, its top-left cell left out."""
        return {
            (r, c)
            for r0, c0, r1, c1 in self.merges
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)
        }

    def placed(self) -> Iterator[tuple[int, int, int, int, Cell]]:
        """(r0, c0, r1, c1, value) of each filled cell (r0 == r1, c0 == c1) and each merged
        range, in row order; the cells a range covers are left out."""
        spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in self.merges}
        covered = self.covered()
        for r, row in enumerate(self.rows):
            for c, v in enumerate(row):
                r1, c1 = spans.get((r, c), (r, c))
                if (r, c) not in covered and (v != "" or (r1, c1) != (r, c)):
                    yield r, c, r1, c1, v


@dataclass
class Style:
    """One office's habits. Every flag is independent."""

    headings: str = "standard"  # standard | two_row | grouped | english | abbrev | unknown_title
    title_block: int = 4  # rows above the header (0 = none)
    numbering: bool = False  # the "(1) (2) (3)" row
    sections: bool = False  # "Năm 2015" and "I. Hộ tịch" rows inside the data
    repeat_header_every: int = 0  # the header again every N data rows (a printed page)
    footer: bool = False  # totals, "Mục lục này gồm có", signatures
    gap_columns: bool = False  # an empty column between some columns
    beside: bool = False  # a second table to the right of the first
    merge_boxes: bool = False  # the box number merged down over its files
    box_sections: bool = False  # "Hộp số 03" lines instead of a box column
    #: a Word table pasted into Excel: a title typed over two paragraphs becomes two rows, the
    #: other cells merged down over both (in a CSV of it, left empty on the second)
    pasted: bool = False
    no_code: bool = False  # no record code column
    #: columns of the kind's own, after the title: birth (a person's birth date), docs (the
    #: numbers of the documents inside), map and parcel (a land file's map sheet and parcel)
    own: tuple[str, ...] = ()
    #: text (dd/mm/yyyy) | date (a real date cell) | year (one "Năm") | none (no date column)
    dates_as: str = "text"
    text: Callable[[str], str] = lambda s: s  # a legacy font's typing, applied to text cells


HEADINGS: dict[str, list[str]] = {
    "standard": [
        "STT",
        "Hộp số",
        "Hồ sơ số",
        "Số, ký hiệu hồ sơ",
        "Tiêu đề hồ sơ",
        "Thời gian bắt đầu",
        "Thời gian kết thúc",
        "Số tờ",
        "Thời hạn bảo quản",
        "Ghi chú",
    ],
    "english": [
        "No.",
        "Box No.",
        "File No.",
        "File code",
        "Title",
        "Start date",
        "End date",
        "Sheets",
        "Retention",
        "Remarks",
    ],
    "abbrev": ["TT", "Hộp", "HS số", "KH hồ sơ", "Trích yếu", "Bắt đầu", "Kết thúc", "SL tờ"]
    + ["THBQ", "GC"],
    "description": [
        "No.",
        "Box",
        "File No.",
        "Code",
        "Description",
        "From",
        "To",
        "Pages",
        "Retention",
        "Remarks",
    ],
    "unknown_title": [
        "STT",
        "Hộp số",
        "Hồ sơ số",
        "Mã hồ sơ",
        "Tên gọi và nội dung hồ sơ",
        "Thời gian bắt đầu",
        "Thời gian kết thúc",
        "Số tờ",
        "THBQ",
        "Ghi chú",
    ],
}


#: Headings of the kinds' own columns, as land, personnel and register offices type them.
OWN_HEADINGS = {
    "birth": "Ngày, tháng, năm sinh",
    "docs": "Số, ký hiệu văn bản",
    "map": "Số tờ BĐ",
    "parcel": "Số thửa",
}


def _columns(style: Style) -> list[str]:
    """The field each column holds, in order; '' for an empty gap column."""
    fields = ["stt", "box", "file_no", "code", "title", "start", "end", "sheets", "ret", "notes"]
    if style.dates_as == "year":
        fields = [f for f in fields if f != "end"]
        fields[fields.index("start")] = "year"
    elif style.dates_as == "none":  # the year only in the sheet's name or a section line
        fields = [f for f in fields if f not in ("start", "end")]
    fields = [f for f in fields if not (f == "box" and style.box_sections)]
    fields = [f for f in fields if not (f == "code" and style.no_code)]
    at = fields.index("title") + 1
    fields[at:at] = list(style.own)
    if style.gap_columns:
        fields.insert(4, "")
        fields.insert(2, "")
    return fields


def _heading_rows(style: Style, columns: list[str]) -> tuple[list[list[str]], list[tuple]]:
    """One or two header rows and their merges (relative to the first header row)."""
    if style.headings in HEADINGS:
        names = dict(zip(_columns(Style())[:10], HEADINGS[style.headings]))
        names["year"] = {"english": "Year", "abbrev": "Năm"}.get(style.headings, "Năm")
        names |= OWN_HEADINGS
        return [[names.get(c, "") for c in columns]], []
    top: list[str] = []
    bottom: list[str] = []
    merges: list[tuple] = []
    two = {
        "stt": "STT",
        "box": "Hộp số",
        "file_no": "Hồ sơ số",
        "code": "Số, ký hiệu hồ sơ",
        "title": "Tiêu đề hồ sơ",
        "sheets": "Số tờ",
        "ret": "Thời hạn bảo quản",
        "notes": "Ghi chú",
        "year": "Năm",
        **OWN_HEADINGS,
    }
    for c, name in enumerate(columns):
        if name in ("start", "end"):
            top.append("Thời gian" if name == "start" else "")
            bottom.append("Bắt đầu" if name == "start" else "Kết thúc")
            if name == "start":
                merges.append((0, c, 0, c + 1))
        elif style.headings == "grouped" and name in ("file_no", "code"):
            top.append("Hồ sơ" if name == "file_no" else "")
            bottom.append("Số" if name == "file_no" else "Ký hiệu")
            if name == "file_no":
                merges.append((0, c, 0, c + 1))
        else:
            top.append(two.get(name, ""))
            bottom.append("")
            if name:
                merges.append((0, c, 1, c))
    return [top, bottom], merges


def _date_text(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _data_row(rec: Truth, columns: list[str], style: Style) -> list[Cell]:
    text = style.text
    values: dict[str, Cell] = {
        "stt": rec.stt,
        "box": rec.box,
        "file_no": rec.file_no,
        "code": rec.code,
        "title": text(rec.title),
        "start": rec.start if style.dates_as == "date" else _date_text(rec.start),
        "end": rec.end if style.dates_as == "date" else _date_text(rec.end),
        "year": rec.year,
        "sheets": rec.sheets,
        "ret": text(rec.retention),
        "notes": text("Bản chính") if rec.stt % 5 == 0 else "",
        "birth": f"{rec.stt % 28 + 1:02d}/{rec.stt % 12 + 1:02d}/{1960 + rec.stt % 30}",
        "docs": f"{rec.stt + 10}/QĐ-UBND; {rec.stt + 12}/TTr-UBND",
        "map": rec.stt % 40 + 1,
        "parcel": 100 + rec.stt,
        "": "",
    }
    return [values[c] for c in columns]


def build_grid(name: str, records: list[Truth], style: Style) -> Grid:
    """One sheet of an inventory, laid out by ``style``."""
    grid = Grid(name)
    columns = _columns(style)
    width = len(columns)
    text = style.text
    block = [
        "ỦY BAN NHÂN DÂN XÃ DIÊN LẠC",
        "MỤC LỤC HỒ SƠ",
        "Phông: UBND xã Diên Lạc",
        "Mục lục số: 01",
        "Từ năm 2014 đến năm 2016",
        "(Lập theo Thông tư 05/2025/TT-BNV)",
    ][: style.title_block]
    for line in block:
        r = grid.add([text(line)] + [""] * (width - 1))
        grid.merges.append((r, 0, r, width - 1))
    if block:
        grid.add([""] * width)
    grid.table_from = len(grid.rows)
    header, merges = _heading_rows(style, columns)
    first = len(grid.rows)

    def put_header() -> None:
        at = len(grid.rows)
        for row in header:
            grid.add([text(h) for h in row])
        grid.merges.extend((a + at, b, c + at, d) for a, b, c, d in merges)

    put_header()
    if style.numbering:
        grid.add([f"({i + 1})" for i in range(width)])
    title_col = columns.index("title")
    year = section = box = None
    for printed, rec in enumerate(records):
        if style.sections and rec.year != year:
            year = rec.year
            r = grid.add([""] * title_col + [text(f"Năm {year}")] + [""] * (width - title_col - 1))
        if style.box_sections and rec.box != box:
            box = rec.box
            r = grid.add([text(f"Hộp số {box:02d}")] + [""] * (width - 1))
            grid.merges.append((r, 0, r, width - 1))
        if style.sections and rec.section != section:
            section = rec.section
            r = grid.add([text(section)] + [""] * (width - 1))
            grid.merges.append((r, 0, r, width - 1))
        if style.repeat_header_every and printed and printed % style.repeat_header_every == 0:
            put_header()
            if style.numbering:
                grid.add([f"({i + 1})" for i in range(width)])
        _add_record(
            grid, _data_row(rec, columns, style), columns, style.pasted and rec.stt % 4 == 0
        )
    if style.merge_boxes:
        _merge_boxes(grid, columns.index("box"))
    if style.footer:
        total = [""] * width
        total[0] = text("Tổng cộng")
        total[columns.index("sheets")] = sum(r.sheets for r in records)
        grid.add(total)
        grid.add([""] * width)
        r = grid.add([text(f"Mục lục này gồm có {len(records)} hồ sơ.")] + [""] * (width - 1))
        grid.merges.append((r, 0, r, width - 1))
        sign = [""] * width
        sign[1], sign[width - 3] = text("Người lập"), text("Thủ trưởng đơn vị")
        grid.add(sign)
        names = [""] * width
        names[1], names[width - 3] = text("Nguyễn Thị Hoa"), text("Lê Văn Cường")
        grid.add(names)
    if style.beside:
        _beside(grid, first, records, width, text)
    return grid


def _add_record(grid: Grid, row: list[Cell], columns: list[str], split: bool) -> None:
    """A record's row; ``split``: its title carried over two rows at a word that goes on in
    lower case, the other cells merged down over both, as Excel pastes a Word cell of two
    paragraphs."""
    t = columns.index("title")
    words = str(row[t]).split(" ")
    cut = next((i for i in range(len(words) // 2, len(words)) if words[i][:1].islower()), 0)
    if not split or not cut:
        grid.add(row)
        return
    first = grid.add(row[:t] + [" ".join(words[:cut])] + row[t + 1 :])
    grid.add([""] * t + [" ".join(words[cut:])] + [""] * (len(row) - t - 1))
    grid.merges += [(first, c, first + 1, c) for c in range(len(row)) if c != t and row[c] != ""]


def _merge_boxes(grid: Grid, c: int) -> None:
    """Merge each run of rows of one box number down the box column (the value kept on top)."""
    r = 0
    while r < len(grid.rows):
        box = grid.rows[r][c]
        end = r
        while end + 1 < len(grid.rows) and isinstance(box, int) and grid.rows[end + 1][c] == box:
            end += 1
        if end > r:
            for k in range(r + 1, end + 1):
                grid.rows[k][c] = ""
            grid.merges.append((r, c, end, c))
        r = end + 1


def _beside(grid: Grid, first: int, records: list[Truth], width: int, text) -> None:
    """A summary table two columns right of the inventory: Năm | Số hồ sơ | Số tờ."""
    summary = [[text("Năm"), text("Số hồ sơ"), text("Tổng số tờ")]]
    for y in YEARS:
        mine = [r for r in records if r.year == y]
        summary.append([y, len(mine), sum(r.sheets for r in mine)])
    for i, row in enumerate(summary):
        grid.rows[first + i] = grid.rows[first + i] + ["", ""] + row
    for r in range(len(grid.rows)):
        grid.rows[r] += [""] * (width + 5 - len(grid.rows[r]))


# -- writers: each tool's own API -----------------------------------------------------------------


def write_openpyxl(path: Path, grids: list[Grid]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for g in grids:
        ws = wb.create_sheet(g.name)
        for row in g.rows:
            ws.append([None if v == "" else v for v in row])
        for r0, c0, r1, c1 in g.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        if g.hidden:
            ws.sheet_state = "hidden"
    wb.save(path)


def write_xlsxwriter(path: Path, grids: list[Grid]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for g in grids:
        ws = wb.add_worksheet(g.name)
        for r, c, r1, c1, v in g.placed():
            if (r1, c1) != (r, c):
                ws.merge_range(r, c, r1, c1, v)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), datefmt)
            else:
                ws.write(r, c, v)
        if g.hidden:
            ws.hide()
    wb.close()


def write_xlwt(path: Path, grids: list[Grid]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    datefmt = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for g in grids:
        ws = wb.add_sheet(g.name)
        for r, c, r1, c1, v in g.placed():
            if (r1, c1) != (r, c):
                ws.write_merge(r, r1, c, c1, v)
            elif isinstance(v, dt.date):
                ws.write(r, c, v, datefmt)
            else:
                ws.write(r, c, v)
        if g.hidden:
            ws.visibility = 1
    wb.save(str(path))


def write_odfpy(path: Path, grids: list[Grid]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for g in grids:
        table = Table(name=g.name)
        if g.hidden:
            from odf.style import Style as OdfStyle
            from odf.style import TableProperties

            st = OdfStyle(name=f"hid{g.name}", family="table")
            st.addElement(TableProperties(display=False))
            doc.automaticstyles.addElement(st)
            table.setAttribute("stylename", st)
        starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in g.merges}
        covered = g.covered()
        for r, row in enumerate(g.rows):
            tr = TableRow()
            for c, v in enumerate(row):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                kw: dict[str, Any] = {}
                if (r, c) in starts:
                    h, w = starts[(r, c)]
                    kw = {"numberrowsspanned": h, "numbercolumnsspanned": w}
                if isinstance(v, int):
                    cell = TableCell(valuetype="float", value=v, **kw)
                elif isinstance(v, dt.date):
                    cell = TableCell(valuetype="date", datevalue=v.isoformat(), **kw)
                else:
                    cell = TableCell(valuetype="string", **kw)
                if v != "":
                    cell.addElement(P(text=_date_text(v) if isinstance(v, dt.date) else str(v)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_docx(path: Path, grids: list[Grid], framed: bool = False) -> None:
    """A Word mục lục: the title block as paragraphs, the rest as a table; one table per grid
    (a page each, a page break between); ``framed``: each inside a one-cell frame table."""
    import docx

    document = docx.Document()
    for n, g in enumerate(grids):
        if n:
            document.add_page_break()
        for row in g.rows[: g.table_from]:
            document.add_paragraph(str(row[0]) if row and row[0] != "" else "")
        body = g.rows[g.table_from :]
        width = max(len(r) for r in body)
        holder = document.add_table(rows=1, cols=1).cell(0, 0) if framed else document
        table = holder.add_table(rows=len(body), cols=width)
        for r, row in enumerate(body):
            for c, v in enumerate(row):
                if v != "":
                    table.cell(r, c).text = _date_text(v) if isinstance(v, dt.date) else str(v)
        for r0, c0, r1, c1 in g.merges:
            if r0 >= g.table_from and (r0, c0) != (r1, c1):
                a = table.cell(r0 - g.table_from, c0)
                keep = a.text
                a.merge(table.cell(r1 - g.table_from, c1))
                a.text = keep
    document.save(str(path))


def write_html(path: Path, grids: list[Grid], charset: str = "utf-8") -> None:
    """A web application's "export to Excel": an HTML page of one table per grid, merged
    ranges as colspan/rowspan, saved as .xls."""
    out = [f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">']
    out.append("</head><body>")
    for g in grids:
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in g.merges}
        covered = g.covered()
        out.append('<table border="1">')
        for r, row in enumerate(g.rows):
            cells = []
            for c, v in enumerate(row):
                if (r, c) in covered:
                    continue
                down, across = spans.get((r, c), (1, 1))
                attrs = (f' rowspan="{down}"' if down > 1 else "") + (
                    f' colspan="{across}"' if across > 1 else ""
                )
                text = _date_text(v) if isinstance(v, dt.date) else str(v)
                cells.append(f"<td{attrs}>{html.escape(text)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table><br>")
    out.append("</body></html>")
    text = "\n".join(out)
    path.write_bytes(_cp1258(text) if charset == "windows-1258" else text.encode(charset))


def write_spreadsheetml(path: Path, grids: list[Grid]) -> None:
    """Excel 2003's XML Spreadsheet, as .NET tools export it, saved as .xls: empty cells left
    out (the next cell's ss:Index says where it is), merges as MergeAcross/MergeDown."""
    ns = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet"'
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<?mso-application progid="Excel.Sheet"?>']
    out.append(f'<Workbook {ns} xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">')
    for g in grids:
        spans = {(r0, c0): (r1 - r0, c1 - c0) for r0, c0, r1, c1 in g.merges}
        covered = g.covered()
        out.append(f'<Worksheet ss:Name="{html.escape(g.name)}"><Table>')
        for r, row in enumerate(g.rows):
            cells, skipped = [], False
            for c, v in enumerate(row):
                if (r, c) in covered or (v == "" and (r, c) not in spans):
                    skipped = True
                    continue
                down, across = spans.get((r, c), (0, 0))
                attrs = f' ss:Index="{c + 1}"' if skipped else ""
                attrs += f' ss:MergeAcross="{across}"' if across else ""
                attrs += f' ss:MergeDown="{down}"' if down else ""
                kind = "Number" if isinstance(v, int) else "String"
                text = _date_text(v) if isinstance(v, dt.date) else str(v)
                cells.append(
                    f'<Cell{attrs}><Data ss:Type="{kind}">{html.escape(text)}</Data></Cell>'
                )
                skipped = False
            out.append(f'<Row ss:Index="{r + 1}">' + "".join(cells) + "</Row>")
        out.append("</Table></Worksheet>")
    out.append("</Workbook>")
    path.write_text("\n".join(out), encoding="utf-8")


def write_csv(path: Path, grids: list[Grid], encoding: str = "utf-8", delimiter: str = ",") -> None:
    """Every grid's rows, one after the other; ``encoding`` may be a legacy font's name."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for g in grids:
        for row in g.rows:
            w.writerow([_date_text(v) if isinstance(v, dt.date) else v for v in row])
    text = buf.getvalue()
    if encoding == "tcvn3":
        data = text.encode("latin-1")  # cells were typed by encode_tcvn3 already
    elif encoding == "vni":
        data = text.encode("cp1252")
    elif encoding == "cp1258":
        data = _cp1258(text)
    else:
        data = text.encode(encoding)
    path.write_bytes(data)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: a letter with its circumflex, breve or horn
    precomposed where the code page has it, then the tone as a combining mark."""
    shapes = "\u0302\u0306\u031b"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in parts[1:] if m in shapes)
        tones = "".join(m for m in parts[1:] if m not in shapes)
        out += unicodedata.normalize("NFC", parts[0] + shape).encode("cp1258")
        out += tones.encode("cp1258")
    return bytes(out)


# -- the corpus ----------------------------------------------------------------------------------


@dataclass
class Case:
    name: str  # file name
    write: Callable[[Path, list[Grid]], None]
    grids: Callable[[list[Truth]], list[Grid]]
    expect: Callable[[list[Truth]], list[Truth]] = lambda t: t
    kind: str = ""


def _codeless(truth: list[Truth]) -> list[Truth]:
    """The truth of an inventory with no code column: no record has a code."""
    return [replace(t, code="") for t in truth]


def one(style: Style, name: str = "Mục lục") -> Callable[[list[Truth]], list[Grid]]:
    return lambda recs: [build_grid(name, recs, style)]


def with_cover(style: Style) -> Callable[[list[Truth]], list[Grid]]:
    """A cover sheet ("Bìa") before the inventory: the fonds' title lines, no table."""

    def make(recs: list[Truth]) -> list[Grid]:
        cover = Grid("Bìa")
        for line in ["UBND XÃ DIÊN LẠC", "", "MỤC LỤC HỒ SƠ", "Phông: UBND xã Diên Lạc"]:
            cover.add([line])
        cover.add(["Từ năm 2014 đến năm 2016", "", "Mục lục số: 01"])
        return [cover, build_grid("Mục lục", recs, style)]

    return make


def below(style: Style) -> Callable[[list[Truth]], list[Grid]]:
    """Two tables one under the other on one sheet: the second with its own title lines
    and header (a supplement, "Danh mục hồ sơ bổ sung")."""

    def make(recs: list[Truth]) -> list[Grid]:
        first = build_grid("Mục lục", recs[:24], style)
        second = build_grid("x", recs[24:], Style(**{**style.__dict__, "title_block": 2}))
        second.rows[0][0] = "DANH MỤC HỒ SƠ BỔ SUNG"
        at = len(first.rows) + 2
        first.rows += [[""] * len(first.rows[0])] * 2 + second.rows
        first.merges += [(a + at, b, c + at, d) for a, b, c, d in second.merges]
        return [first]

    return make


def per_year(style: Style, hidden_draft: bool = False) -> Callable[[list[Truth]], list[Grid]]:
    def make(recs: list[Truth]) -> list[Grid]:
        grids = [build_grid(str(y), [r for r in recs if r.year == y], style) for y in YEARS]
        if hidden_draft:
            draft = build_grid("Nhap", recs[:5], Style(title_block=0))
            draft.hidden = True
            grids.insert(1, draft)
        return grids

    return make


def _csv(encoding: str, delimiter: str) -> Callable[[Path, list[Grid]], None]:
    return lambda p, g: write_csv(p, g, encoding, delimiter)


OFFICE = Style(
    headings="two_row", title_block=4, numbering=True, sections=True, footer=True, gap_columns=False
)


def cases() -> list[Case]:
    tc = Style(headings="two_row", title_block=3, numbering=True, text=encode_tcvn3)
    vni = Style(title_block=2, text=encode_vni)
    return [
        Case("openpyxl-office.xlsx", write_openpyxl, one(OFFICE), kind="xlsx"),
        Case(
            "openpyxl-pages.xlsx",
            write_openpyxl,
            one(Style(headings="grouped", numbering=True, repeat_header_every=10, footer=True)),
            kind="xlsx",
        ),
        Case("openpyxl-tcvn3.xlsx", write_openpyxl, one(tc), kind="xlsx"),
        Case("openpyxl-vni.xlsx", write_openpyxl, one(vni), kind="xlsx"),
        Case(
            "openpyxl-years-hidden.xlsx",
            write_openpyxl,
            per_year(Style(title_block=3, footer=True), hidden_draft=True),
            kind="xlsx",
        ),
        Case(
            "xlsxwriter-english.xlsx",
            write_xlsxwriter,
            one(Style(headings="english", title_block=6, gap_columns=True, dates_as="date")),
            kind="xlsx",
        ),
        Case(
            "xlsxwriter-beside.xlsx",
            write_xlsxwriter,
            one(Style(title_block=4, beside=True, dates_as="year")),
            kind="xlsx",
        ),
        Case(
            "xlsxwriter-unknown-title.xlsx",
            write_xlsxwriter,
            one(Style(headings="unknown_title", title_block=2)),
            kind="fallback",
        ),
        Case(
            "xlwt-abbrev.xls",
            write_xlwt,
            one(Style(headings="abbrev", title_block=5, numbering=True, dates_as="date")),
            kind="xls",
        ),
        Case("xlwt-office.xls", write_xlwt, one(OFFICE), kind="xls"),
        Case(
            "odfpy-years.ods",
            write_odfpy,
            per_year(Style(headings="two_row", title_block=4, numbering=True), hidden_draft=True),
            kind="ods",
        ),
        Case("odfpy-office.ods", write_odfpy, one(OFFICE), kind="ods"),
        Case("word-office.docx", write_docx, one(OFFICE), kind="docx"),
        Case(
            "word-pages.docx",
            write_docx,
            per_year(Style(title_block=3, numbering=True, footer=False)),
            kind="docx",
        ),
        Case("word-plain.docx", write_docx, one(Style(title_block=0)), kind="docx"),
        Case("csv-utf8.csv", _csv("utf-8", ","), one(Style(title_block=0)), kind="csv"),
        Case("csv-utf8-bom.csv", _csv("utf-8-sig", ";"), one(OFFICE), kind="csv"),
        Case("csv-utf16-tabs.txt", _csv("utf-16", "\t"), one(Style(title_block=3)), kind="csv"),
        Case(
            "csv-two-row.csv",
            _csv("utf-8", ","),
            one(Style(headings="two_row", title_block=0)),
            kind="csv",
        ),
        Case(
            "csv-cp1258.csv",
            _csv("cp1258", ";"),
            one(Style(title_block=2, sections=True)),
            kind="csv",
        ),
        Case(
            "csv-tcvn3.csv",
            _csv("tcvn3", ","),
            one(Style(title_block=2, text=encode_tcvn3)),
            kind="csv",
        ),
        Case(
            "csv-vni.csv", _csv("vni", "\t"), one(Style(title_block=0, text=encode_vni)), kind="csv"
        ),
        Case(
            "xlwt-years-hidden.xls",
            write_xlwt,
            per_year(Style(title_block=2), hidden_draft=True),
            kind="xls",
        ),
        Case(
            "openpyxl-cover-boxes.xlsx",
            write_openpyxl,
            with_cover(Style(headings="two_row", numbering=True, merge_boxes=True)),
            kind="xlsx",
        ),
        Case(
            "openpyxl-below.xlsx",
            write_openpyxl,
            below(Style(title_block=3, numbering=True, footer=True)),
            kind="xlsx",
        ),
        Case(
            "xlsxwriter-description.xlsx",
            write_xlsxwriter,
            one(Style(headings="description", title_block=1, dates_as="date")),
            kind="fallback",
        ),
        Case(
            "word-boxes-tcvn3.docx",
            write_docx,
            one(Style(headings="two_row", merge_boxes=True, sections=True, text=encode_tcvn3)),
            kind="docx",
        ),
        Case(
            "csv-tcvn3-two-row.csv",
            _csv("tcvn3", ";"),
            one(Style(headings="two_row", title_block=3, numbering=True, text=encode_tcvn3)),
            kind="csv",
        ),
        Case("xlwt-tcvn3.xls", write_xlwt, one(tc), kind="xls"),
        Case("odfpy-vni.ods", write_odfpy, one(vni), kind="ods"),
        Case(
            "csv-nfd.csv",
            _csv("utf-8", ","),
            one(Style(title_block=2, text=lambda x: unicodedata.normalize("NFD", x))),
            kind="csv",
        ),
        Case(
            "openpyxl-years-undated.xlsx",
            write_openpyxl,
            per_year(Style(title_block=3, dates_as="none")),
            kind="xlsx",
        ),
        Case(
            "word-sections-undated.docx",
            write_docx,
            one(Style(title_block=2, sections=True, dates_as="none")),
            kind="docx",
        ),
        Case(
            "word-framed.docx",
            lambda p, g: write_docx(p, g, framed=True),
            one(Style(title_block=3, numbering=True)),
            kind="docx",
        ),
        Case(
            "openpyxl-personnel.xlsx",
            write_openpyxl,
            one(Style(title_block=3, no_code=True, own=("birth",))),
            expect=_codeless,
            kind="xlsx",
        ),
        Case(
            "word-register-boxes.docx",
            write_docx,
            one(Style(box_sections=True, no_code=True, own=("docs",), numbering=True)),
            expect=_codeless,
            kind="docx",
        ),
        Case(
            "csv-land-boxes.csv",
            _csv("utf-8-sig", ","),
            one(Style(title_block=2, box_sections=True, own=("map", "parcel"))),
            kind="csv",
        ),
        Case(
            "openpyxl-pasted-from-word.xlsx",
            write_openpyxl,
            one(Style(headings="two_row", title_block=4, numbering=True, pasted=True)),
            kind="xlsx",
        ),
        Case(
            "csv-pasted-from-word.csv",
            _csv("utf-8-sig", ","),
            one(Style(title_block=2, pasted=True)),
            kind="csv",
        ),
        Case("web-export-office.xls", write_html, one(OFFICE), kind="markup"),
        Case(
            "web-export-cp1258.xls",
            lambda p, g: write_html(p, g, "windows-1258"),
            one(Style(headings="grouped", title_block=2, numbering=True, merge_boxes=True)),
            kind="markup",
        ),
        Case(
            "spreadsheetml-years.xls",
            write_spreadsheetml,
            per_year(Style(headings="two_row", title_block=3, footer=True, merge_boxes=True)),
            kind="markup",
        ),
        Case(
            "csv-english-pages.csv",
            _csv("utf-8", ","),
            one(Style(headings="english", title_block=0, repeat_header_every=12, footer=True)),
            kind="csv",
        ),
    ]


# -- scoring -------------------------------------------------------------------------------------


def _nfc(s: object) -> str:
    return unicodedata.normalize("NFC", str(s or "")).strip()


def _fields_right(rec: dict[str, object], want: Truth) -> bool:
    got = (rec.get("box"), rec.get("file_no"), rec.get("record_code"), rec.get("sheets"))
    if got != (want.box, want.file_no, want.code, want.sheets):
        return False
    return (rec.get("year_start"), rec.get("year_end")) == (want.year, want.year)


@dataclass
class Score:
    want: int
    read: int = 0  # visible records read (hidden rows and sheets: read, flagged, not counted)
    found: int = 0  # records of the truth read with their exact title
    fields: int = 0  # of those, with box, file number, code, years and sheets exact
    extra: int = 0  # visible records that are no record of the truth, or one a second time
    said: str = ""  # the issues raised, by kind, or the error that stopped the file

    @property
    def exact(self) -> bool:
        return self.want == self.read == self.found == self.fields and not self.extra


def score(records: list[dict[str, object]], truth: list[Truth]) -> Score:
    """The visible records against the truth, matched by title."""
    by_title = {t.title.lower(): t for t in truth}
    result = Score(len(truth), len(records))
    seen: set[int] = set()
    for rec in records:
        want = by_title.get(_nfc(rec.get("title")).lower())
        if want is None or want.stt in seen:
            result.extra += 1
            continue
        seen.add(want.stt)
        result.found += 1
        result.fields += _fields_right(rec, want)
    return result


def run(out: Path) -> list[tuple[Case, Score]]:
    truth = truth_records()
    rows = []
    for case in cases():
        path = out / case.name
        case.write(path, case.grids(truth))
        expect = case.expect(truth)
        try:
            records, issues = load_inventory(path, case.name, "Xã Diên Lạc")
        except Exception as exc:  # noqa: BLE001 - the benchmark reports, never stops
            rows.append((case, Score(len(expect), said=type(exc).__name__)))
            continue
        shown = [r for r in records if not r.get("hidden")]
        result = score(shown, expect)
        kinds: dict[str, int] = {"hidden records": len(records) - len(shown)}
        for issue in issues:
            key = f"{issue.problem} ({issue.severity})"
            kinds[key] = kinds.get(key, 0) + 1
        result.said = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()) if v)
        rows.append((case, result))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the corpus here (kept)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="khaudit-corpus-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        rows = run(out)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    names = ("want", "read", "found", "fields", "extra")
    print(f"{'file':30} {'kind':8} " + " ".join(f"{n:>6}" for n in names) + "  issues")
    total = Score(0)
    for case, r in rows:
        figures = (r.want, r.read, r.found, r.fields, r.extra)
        print(f"{case.name:30} {case.kind:8} " + " ".join(f"{v:6d}" for v in figures), r.said)
        for n in names:
            setattr(total, n, getattr(total, n) + getattr(r, n))
    figures = tuple(getattr(total, n) for n in names)
    print(f"{'total':30} {'':8} " + " ".join(f"{v:6d}" for v in figures))
    print(f"files read exactly: {sum(r.exact for _, r in rows)}/{len(rows)}")


if __name__ == "__main__":
    main()
