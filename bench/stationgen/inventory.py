"""The inventory as the clerk typed it: xlsx (title block, merged two-row header, a row of
column numbers, a sheet per year range, TCVN3 cells) or CSV (UTF-8, UTF-8 with BOM,
Windows-1258; comma, semicolon or tab). Sets each record's source file, sheet and row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from .habits import Habits
from .records import Record
from .typed import fold
from .vocab import to_cp1258_form, to_tcvn3

KNOWN = {
    "stt": ("STT", "Số TT", "Số thứ tự", "TT"),
    "box": ("Hộp số", "Hộp/cặp số", "Số hộp", "Hộp"),
    "file_no": ("Hồ sơ số", "Số hồ sơ", "HS số"),
    "record_code": ("Số, ký hiệu hồ sơ", "Mã hồ sơ", "Ký hiệu hồ sơ", "Số và ký hiệu hồ sơ"),
    "title": ("Tiêu đề hồ sơ", "Tên hồ sơ", "Trích yếu nội dung", "Tiêu đề"),
    "dates": ("Thời gian bắt đầu - kết thúc", "Thời gian tài liệu", "Thời gian", "Năm"),
    "sheets": ("Số tờ", "Số lượng tờ", "Số trang"),
    "retention": ("Thời hạn bảo quản", "THBQ"),
    "notes": ("Ghi chú",),
}
# Headings offices use that are not the common ones (Circular 05's terms, old habits).
UNKNOWN = {
    "box": ("Cặp số", "Số cặp", "Cặp/hộp"),
    "file_no": ("ĐVBQ số", "Số ĐVBQ", "Số lưu trữ"),
    "record_code": ("Mã số", "Số hiệu", "Mã lưu trữ"),
    "title": ("Tên gọi hồ sơ", "Tên tài liệu", "Tên và trích yếu hồ sơ"),
    "dates": ("Ngày tháng", "Thời điểm"),
    "sheets": ("Số lượng", "Tờ"),
    "retention": ("Thời hạn lưu trữ",),
    "notes": ("Chú thích",),
}
ORDER = ("stt", "box", "file_no", "record_code", "title", "dates", "sheets", "retention", "notes")


def headings(rng: random.Random, habits: Habits) -> dict[str, str]:
    out = {}
    for name in ORDER:
        if name not in habits.columns:
            continue
        pool = KNOWN[name]
        if name in UNKNOWN and rng.random() < habits.unknown_headings:
            pool = UNKNOWN[name]
        text = rng.choice(pool)
        if habits.heading_style == "plain":
            text = fold(text)
        elif habits.heading_style == "caps":
            text = text.upper()
        out[name] = text
    return out


def _dates_cells(record: Record, form: str) -> list[object]:
    a, b = record.date_start, record.date_end
    if form == "year":
        return [str(a.year) if a.year == b.year else f"{a.year}-{b.year}"]
    if form == "range_my":
        return [f"{a:%m/%Y} - {b:%m/%Y}"]
    if form == "range_dmy":
        return [f"{a:%d/%m/%Y} - {b:%d/%m/%Y}"]
    if form == "excel_dates":
        return [dt.datetime(a.year, a.month, a.day), dt.datetime(b.year, b.month, b.day)]
    return [f"{a:%d/%m/%Y}", f"{b:%d/%m/%Y}"]


def _row(record: Record, stt: int, habits: Habits, tcvn3: bool) -> list[object]:
    cells: list[object] = []
    for name in ORDER:
        if name not in habits.columns:
            continue
        if name == "stt":
            cells.append(stt)
        elif name == "box":
            cells.append(record.box)
        elif name == "file_no":
            cells.append(record.file_no)
        elif name == "record_code":
            cells.append(record.code)
        elif name == "title":
            text = record.text.upper() if habits.title_case == "upper" else record.text
            cells.append(to_tcvn3(text) if tcvn3 else text)
        elif name == "dates":
            cells += _dates_cells(record, habits.dates_form)
        elif name == "sheets":
            cells.append(record.sheets)
        elif name == "retention":
            cells.append(record.retention)
        else:
            cells.append(record.notes)
    return cells


def _header(heads: dict[str, str], habits: Habits) -> tuple[list[str], list[str] | None]:
    """The header row(s); two columns of dates share one heading over two sub-headings."""
    top: list[str] = []
    sub: list[str] = []
    for name, text in heads.items():
        if name == "dates" and habits.dates_form in ("two_columns", "excel_dates"):
            top += [
                text if habits.two_row_header else "Bắt đầu",
                "" if habits.two_row_header else "Kết thúc",
            ]
            sub += ["Bắt đầu", "Kết thúc"]
        else:
            top.append(text)
            sub.append("")
    return top, (sub if habits.two_row_header else None)


def _groups(records: list[Record], habits: Habits) -> list[tuple[str, list[Record]]]:
    if not habits.sheets_by_year:
        return [("Mục lục" if habits.inv_format == "xlsx" else "", records)]
    years = sorted({r.year_start for r in records})
    cut = years[len(years) // 2]
    first = [r for r in records if r.year_start < cut]
    second = [r for r in records if r.year_start >= cut]
    return [(f"{years[0]}-{cut - 1}", first), (f"{cut}-{years[-1]}", second)]


def _block(unit: str, count: int) -> list[list[object]]:
    return [
        [f"UBND {unit.upper()}"],
        ["MỤC LỤC HỒ SƠ"],
        [f"Phông: UBND {unit}"],
        ["Mục lục số: 01"],
        [],
    ]


def table_rows(
    rng: random.Random,
    habits: Habits,
    unit: str,
    group: list[Record],
    heads: dict[str, str],
    stt0: int,
    tcvn3: bool,
) -> tuple[list[list[object]], int, tuple[int, int]]:
    """The rows of one table, records placed with their source_row; the header's first row."""
    rows: list[list[object]] = _block(unit, len(group)) if habits.title_block else []
    top, sub = _header(heads, habits)
    header_at = len(rows) + 1
    rows.append(list(top))
    if sub:
        rows.append(list(sub))
    if habits.numbered_row:
        rows.append([f"({k + 1})" for k in range(len(top))])
    stt = stt0
    for record in group:
        if rng.random() < habits.blank_rate:
            rows.append([])
        stt += 1
        rows.append(_row(record, stt, habits, tcvn3))
        record.source_row = len(rows)
        record.stt = stt
    if habits.footer:
        rows += [[], [f"Mục lục này gồm có {len(group)} hồ sơ"]]
    return rows, stt, (header_at, len(top))


def write(
    rng: random.Random,
    habits: Habits,
    unit: str,
    records: list[Record],
    folder: Path,
    rel: str,
) -> tuple[list[str], dict[str, str]]:
    """Write the inventory; returns its paths (relative to the project) and the column
    mapping a user would add to the project for a title heading khaudit cannot know."""
    folder.mkdir(parents=True, exist_ok=True)
    heads = headings(rng, habits)
    override = {"title": heads["title"]} if heads["title"] in _unknown_titles(habits) else {}
    groups = _groups(records, habits)
    if habits.inv_format == "xlsx":
        name = rng.choice(("muc-luc-ho-so.xlsx", "MLHS.xlsx", "Muc luc ho so.xlsx"))
        _xlsx(rng, habits, unit, groups, heads, folder / name)
        for _, group in groups:
            for r in group:
                r.source_file = f"{rel}/{name}"
        return [f"{rel}/{name}"], override
    paths = []
    stt = 0
    for k, (_, group) in enumerate(groups):
        name = f"muc-luc-{k + 1}.csv" if len(groups) > 1 else "muc_luc.csv"
        rows, stt, _ = table_rows(
            rng, habits, unit, group, heads, 0 if habits.stt_restart else stt, False
        )
        _csv(habits, rows, folder / name)
        for r in group:
            r.source_file, r.source_sheet = f"{rel}/{name}", ""
        paths.append(f"{rel}/{name}")
    return paths, override


def _unknown_titles(habits: Habits) -> set[str]:
    out = set()
    for text in UNKNOWN["title"]:
        out |= {text, fold(text), text.upper()}
    return out


def _csv(habits: Habits, rows: list[list[object]], path: Path) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=habits.csv_delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    text = buf.getvalue()
    if habits.csv_encoding == "cp1258":
        path.write_bytes(to_cp1258_form(text).encode("cp1258"))
    else:
        path.write_bytes(text.encode(habits.csv_encoding))


def _xlsx(
    rng: random.Random,
    habits: Habits,
    unit: str,
    groups: list[tuple[str, list[Record]]],
    heads: dict[str, str],
    path: Path,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    stt = 0
    for sheet_name, group in groups:
        ws = wb.create_sheet(sheet_name)
        rows, stt_end, (header_at, width) = table_rows(
            rng, habits, unit, group, heads, 0 if habits.stt_restart else stt, habits.tcvn3_cells
        )
        stt = stt_end
        for row in rows:
            ws.append(row)
        if habits.two_row_header:
            _merge_header(ws, heads, habits, header_at)
        if habits.title_block:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        if habits.tcvn3_cells and "title" in heads:
            col = list(heads).index("title") + 1
            for r in group:
                ws.cell(row=r.source_row, column=col).font = Font(name=".VnTime")
        for cell in ws[header_at]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy"
        for r in group:
            r.source_sheet = sheet_name
            for cell in ws[r.source_row]:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "dd/mm/yyyy"
    wb.save(path)


def _merge_header(ws: object, heads: dict[str, str], habits: Habits, at: int) -> None:
    col = 1
    for name in heads:
        if name == "dates" and habits.dates_form in ("two_columns", "excel_dates"):
            ws.merge_cells(start_row=at, start_column=col, end_row=at, end_column=col + 1)  # type: ignore[attr-defined]
            col += 2
        else:
            ws.merge_cells(start_row=at, start_column=col, end_row=at + 1, end_column=col)  # type: ignore[attr-defined]
            col += 1
