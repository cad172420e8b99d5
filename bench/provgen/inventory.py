"""Inventories (mục lục hồ sơ) laid out and written as offices do.

A locality's inventory is laid out as grids (one per sheet, or per CSV file): a title block, one
or two header rows with or without marks, a numbered "(1) (2) (3)" row, data rows with blank rows
between them, a footer with a count and a signature. The grid records which spreadsheet row each
dossier landed on, which is the provenance the ground truth names. Grids are written with
openpyxl or xlsxwriter (xlsx) or as CSV in UTF-8, UTF-8 with BOM or Windows-1258 with ``,`` or
``;``.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .typist import strip_marks

#: field -> headings offices use. The last entries of some lists are headings real offices use
#: that the loader may not know ("TT", "Số HS", "Nội dung", ...).
HEADINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # field: (common headings, rarer ones)
    "stt": (("STT", "Số TT", "Số thứ tự"), ("TT",)),
    "box": (("Hộp số", "Hộp/cặp số", "Số hộp", "Hộp"), ("Cặp số",)),
    "file_no": (("Hồ sơ số", "Số hồ sơ", "HS số"), ("Số HS", "Số lưu")),
    "record_code": (
        ("Số, ký hiệu hồ sơ", "Số và ký hiệu hồ sơ", "Mã hồ sơ", "Ký hiệu"),
        ("Mã HS",),
    ),
    "title": (
        ("Tiêu đề hồ sơ", "Tiêu đề", "Trích yếu nội dung", "Tên hồ sơ"),
        ("Nội dung", "Tên gọi hồ sơ"),
    ),
    "dates": (("Thời gian bắt đầu - kết thúc", "Thời gian tài liệu", "Năm"), ("Niên đại",)),
    "date_start": (("Thời gian bắt đầu", "Ngày bắt đầu"), ()),
    "date_end": (("Thời gian kết thúc", "Ngày kết thúc"), ()),
    "sheets": (("Số tờ", "Số lượng tờ", "Số trang"), ("SL tờ",)),
    "retention": (("Thời hạn bảo quản", "THBQ"), ()),
    "notes": (("Ghi chú",), ()),
}


@dataclass
class Grid:
    """One sheet (or CSV file) as rows of cells; rows are 0-based here, 1-based in the truth."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2

    def add(self, cells: list[object]) -> int:
        self.rows.append(cells)
        return len(self.rows)  # the 1-based spreadsheet row


@dataclass(frozen=True)
class Layout:
    """How an office lays a sheet out."""

    title_block: bool
    two_row_header: bool
    numbered_row: bool
    blank_rate: float
    footer: bool
    heading_style: str  # marked, unmarked, upper


def heading(field_name: str, rng: random.Random, style: str, rare_rate: float) -> str:
    common, rare = HEADINGS[field_name]
    text = rng.choice(rare) if rare and rng.random() < rare_rate else rng.choice(common)
    if style == "unmarked":
        text = strip_marks(text)
    elif style == "upper":
        text = text.upper()
    return text


def build_grid(
    name: str,
    columns: list[tuple[str, str]],
    rows: list[dict[str, object]],
    layout: Layout,
    unit: str,
    catalogue_no: int,
    rng: random.Random,
    blank_rows: bool = True,
) -> tuple[Grid, list[int]]:
    """Lay ``rows`` (field -> cell) under ``columns`` ((field, heading) pairs).

    Returns the grid and, for each row, its 1-based spreadsheet row.
    """
    grid = Grid(name)
    width = len(columns)
    if layout.title_block:
        grid.add([unit.upper()] + [None] * (width - 1))
        grid.merges.append((0, 0, 0, min(3, width - 1)))
        grid.add([None] * width)
        grid.add(["MỤC LỤC HỒ SƠ"] + [None] * (width - 1))
        grid.add([f"Phông: {unit}"] + [None] * (width - 1))
        grid.add([f"Mục lục số: {catalogue_no:02d}"] + [None] * (width - 1))
        grid.add([None] * width)
    if layout.two_row_header:
        top: list[object] = []
        bottom: list[object] = []
        start = len(grid.rows)
        for c, (fname, text) in enumerate(columns):
            if fname in ("date_start", "date_end"):
                group = (
                    strip_marks("Thời gian") if layout.heading_style == "unmarked" else "Thời gian"
                )
                top.append(group if fname == "date_start" else None)
                sub = "Bắt đầu" if fname == "date_start" else "Kết thúc"
                bottom.append(strip_marks(sub) if layout.heading_style == "unmarked" else sub)
                if fname == "date_start":
                    grid.merges.append((start, c, start, c + 1))
            else:
                top.append(text)
                bottom.append(None)
                grid.merges.append((start, c, start + 1, c))
        grid.add(top)
        grid.add(bottom)
    else:
        grid.add([text for _, text in columns])
    if layout.numbered_row:
        grid.add([f"({i + 1})" for i in range(width)])
    where: list[int] = []
    for row in rows:
        if blank_rows and rng.random() < layout.blank_rate:
            grid.add([None] * width)
        where.append(grid.add([row.get(f) for f, _ in columns]))
    if layout.footer:
        grid.add([None] * width)
        grid.add([f"Mục lục này gồm có {len(rows)} hồ sơ."] + [None] * (width - 1))
        grid.add([None] * (width - 1) + ["Người lập mục lục"])
    return grid, where


_FIXED = "2025-06-01T08:00:00Z"


def freeze_xlsx(path: Path) -> None:
    """Give a workbook fixed timestamps (zip entries, document properties), so one seed always
    writes the same bytes; the writers stamp the time of saving."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + _FIXED.encode(),
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 6, 1, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def write_xlsx_openpyxl(path: Path, grids: list[Grid]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for grid in grids:
        sheet = book.create_sheet(grid.name)
        for row in grid.rows:
            sheet.append(list(row))
        for r1, c1, r2, c2 in grid.merges:
            if (r1, c1) != (r2, c2):
                sheet.merge_cells(
                    start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1
                )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    freeze_xlsx(path)


def write_xlsx_xlsxwriter(path: Path, grids: list[Grid]) -> None:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True, "text_wrap": True, "align": "center"})
    for grid in grids:
        sheet = book.add_worksheet(grid.name)
        merged = set()
        for r1, c1, r2, c2 in grid.merges:
            if (r1, c1) != (r2, c2):
                value = grid.rows[r1][c1]
                sheet.merge_range(r1, c1, r2, c2, value if value is not None else "", bold)
                merged.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value is not None and (r, c) not in merged:
                    sheet.write(r, c, value)
    book.close()
    freeze_xlsx(path)


_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: precomposed in cp1258


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as old tools write it: shaped vowels precomposed, tone marks combining."""
    out: list[str] = []
    base = ""
    marks: list[str] = []

    def flush() -> None:
        if base:
            shape = "".join(m for m in marks if m in _SHAPE_MARKS)
            tone = "".join(m for m in marks if m not in _SHAPE_MARKS)
            out.append(unicodedata.normalize("NFC", base + shape) + tone)

    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            marks.append(ch)
        else:
            flush()
            base, marks = ch, []
    flush()
    return "".join(out).encode("cp1258", errors="replace")


def write_csv(path: Path, grid: Grid, encoding: str, delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in grid.rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "cp1258":
        path.write_bytes(to_cp1258(text))
    else:
        path.write_bytes(text.encode(encoding))
