"""The inventory as the office typed it: xlsx, legacy xls or CSV, one or several sheets.

Rows are planned first (which record or repeated row sits on which sheet and spreadsheet row,
its STT), so scans named by sheet and STT and the truth's source rows agree with the file.
Headings come in variants; a heading khaudit's column list may not know, for a field the
scans need, is named in the project file (``[locality.columns]``), as a user would after the
first audit; other unknown headings are left for khaudit to cope with.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .habits import Habits
from .records import Record

HEADINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # field: (headings offices use that are common, rarer ones)
    "stt": (("STT", "Số TT", "Số thứ tự"), ("TT hồ sơ", "Thứ tự", "Số TT hồ sơ trong mục lục")),
    "box": (("Hộp số", "Hộp/cặp số", "Số hộp"), ("Cặp/hộp số", "Số cặp", "ĐVBQ")),
    "file_no": (("Hồ sơ số", "Số hồ sơ", "HS số"), ("Số lưu trữ", "Số h.sơ", "Số thứ tự HS")),
    "record_code": (
        ("Số, ký hiệu hồ sơ", "Mã hồ sơ", "Ký hiệu hồ sơ"),
        ("Ký mã hiệu", "Mã số hồ sơ", "Mã lưu trữ"),
    ),
    "title": (
        ("Tiêu đề hồ sơ", "Trích yếu nội dung", "Tên hồ sơ"),
        ("Tên gọi hồ sơ", "Tên tài liệu", "Về việc"),
    ),
    "dates": (
        ("Thời gian bắt đầu - kết thúc", "Thời gian tài liệu", "Năm"),
        ("Khởi - kết", "Từ ngày - đến ngày", "Thời điểm"),
    ),
    "date_start": (("Thời gian bắt đầu", "Ngày bắt đầu"), ("Từ ngày", "Ngày mở hồ sơ")),
    "date_end": (("Thời gian kết thúc", "Ngày kết thúc"), ("Đến ngày", "Ngày đóng hồ sơ")),
    "sheets": (("Số tờ", "Số lượng tờ", "Số trang"), ("Khối lượng (tờ)", "SL", "Tờ số")),
    "retention": (("Thời hạn bảo quản", "THBQ"), ("Thời hạn lưu trữ", "Thời hạn BQ")),
    "notes": (("Ghi chú",), ("Chú thích", "Ghi chép")),
}
#: fields the scans or the statuses depend on: a rare heading for them is named in the project
NEEDED = {
    "stt",
    "box",
    "file_no",
    "record_code",
    "title",
    "dates",
    "date_start",
    "date_end",
    "sheets",
}


@dataclass
class Row:
    record: int
    repeat: bool
    sheet: str
    stt: int
    source_row: int = 0


def _sheet_name(years: list[int], style: int) -> str:
    if len(years) == 1:
        return ("Năm {a}", "{a}", "MLHS {a}")[style % 3].format(a=years[0])
    return ("{a}-{b}", "Giai đoạn {a}-{b}", "MLHS {a}-{b}")[style % 3].format(
        a=years[0], b=years[-1]
    )


def plan_rows(
    records: list[Record], repeats: set[int], habits: Habits, rng: random.Random
) -> list[Row]:
    """Every data row in order: sheets by year groups, STT restarting per sheet or not."""
    years = list(habits.years)
    style = rng.randrange(3)
    group = habits.sheets_by or len(years)
    sheet_of = {
        y: _sheet_name(years[k : k + group], style)
        for k in range(0, len(years), group)
        for y in years[k : k + group]
    }
    if not habits.sheets_by:
        sheet_of = {y: "" for y in years}
    rows: list[Row] = []
    stt, last = 0, None
    for i, r in enumerate(records):
        sheet = sheet_of[r.year]
        if sheet != last and habits.stt_restart:
            stt = 0
        last = sheet
        stt += 1
        rows.append(Row(i, False, sheet, stt))
        if i in repeats:
            stt += 1
            rows.append(Row(i, True, sheet, stt))
    return rows


def headings(habits: Habits, rng: random.Random) -> tuple[dict[str, str], dict[str, str]]:
    """field -> heading for this inventory, and the project overrides for rare needed ones."""
    out, overrides = {}, {}
    fields = list(habits.columns)
    if habits.dates_form in ("two_text", "two_dates"):
        fields += ["date_start", "date_end"]
    else:
        fields.append("dates")
    for f in fields:
        common, rare = HEADINGS[f]
        if rng.random() < habits.unknown_headings:
            out[f] = rng.choice(rare)
            if f in NEEDED:
                overrides[f] = out[f]
        else:
            out[f] = rng.choice(common)
    if habits.dates_form == "year" and "dates" in out and out["dates"] not in ("Năm",):
        out["dates"] = "Năm"
        overrides.pop("dates", None)
    return out, overrides


def _dates(r: Record, form: str) -> list[object]:
    if form == "range_dmy":
        return [f"{r.start:%d/%m/%Y} - {r.end:%d/%m/%Y}"]
    if form == "range_my":
        return [
            f"{r.start:%m/%Y} - {r.end:%m/%Y}"
            if r.start.month != r.end.month
            else f"{r.start:%m/%Y}"
        ]
    if form == "two_text":
        return [f"{r.start:%d/%m/%Y}", f"{r.end:%d/%m/%Y}"]
    if form == "two_dates":
        return [dt.datetime.combine(r.start, dt.time()), dt.datetime.combine(r.end, dt.time())]
    return [str(r.year)]


def _cells(
    r: Record, habits: Habits, order: list[str], stt: int, rng: random.Random
) -> list[object]:
    title = r.title.upper() if habits.title_upper else r.title
    values: dict[str, object] = {
        "stt": stt,
        "box": r.box,
        "file_no": r.file_no,
        "record_code": r.code,
        "title": title,
        "sheets": r.sheets,
        "retention": "Vĩnh viễn"
        if r.kind in ("land_gcn", "land_transfer", "register", "decision_book")
        else f"{rng.choice((10, 20, 70))} năm",
        "notes": rng.choice(("", "", "", "Bản chính", "Có bản sao", "Thiếu phụ lục")),
    }
    dates = _dates(r, habits.dates_form)
    values.update(dict(zip(("date_start", "date_end") if len(dates) == 2 else ("dates",), dates)))
    cells = [values[f] for f in order]
    if habits.nfd:
        cells = [unicodedata.normalize("NFD", c) if isinstance(c, str) else c for c in cells]
    return cells


def _order(habits: Habits, heads: dict[str, str]) -> list[str]:
    preferred = [
        "stt",
        "box",
        "file_no",
        "record_code",
        "title",
        "dates",
        "date_start",
        "date_end",
        "sheets",
        "retention",
        "notes",
    ]
    return [f for f in preferred if f in heads]


def _title_block(locality: str, habits: Habits) -> list[list[object]]:
    block: list[list[object]] = [
        [f"UBND {locality.upper()}"],
        ["MỤC LỤC HỒ SƠ"],
        [f"Phông: UBND {locality}"],
        [f"Mục lục số: {habits.catalogue:02d}"],
        [],
    ]
    return block


@dataclass
class Sheet:
    name: str
    lines: list[list[object]]  # every spreadsheet row, as written
    merges: list[tuple[int, int, int, int]]  # (row, col, row, col), 0-based


def build_sheets(
    records: list[Record],
    rows: list[Row],
    habits: Habits,
    heads: dict[str, str],
    locality: str,
    rng: random.Random,
) -> list[Sheet]:
    """The sheets' rows; sets each Row's ``source_row`` (1-based, as the spreadsheet shows it)."""
    order = _order(habits, heads)
    sheets: list[Sheet] = []
    for name in dict.fromkeys(row.sheet for row in rows):
        lines: list[list[object]] = []
        merges: list[tuple[int, int, int, int]] = []
        if habits.title_block:
            lines += _title_block(locality, habits)
        top = len(lines)
        if habits.two_row_header and "date_start" in order:
            first: list[object] = [
                ("Thời gian" if f in ("date_start", "date_end") else heads[f]) for f in order
            ]
            lines.append(first)
            lines.append([heads[f] if f in ("date_start", "date_end") else "" for f in order])
            a = order.index("date_start")
            merges.append((top, a, top, a + 1))
            merges += [
                (top, c, top + 1, c)
                for c, f in enumerate(order)
                if f not in ("date_start", "date_end")
            ]
        else:
            lines.append([heads[f] for f in order])
        if habits.numbered_row:
            lines.append([f"({k + 1})" for k in range(len(order))])  # the column numbers row
        for row in (x for x in rows if x.sheet == name):
            if rng.random() < habits.blank_rows:
                lines.append([])
            row.source_row = len(lines) + 1
            lines.append(_cells(records[row.record], habits, order, row.stt, rng))
        if habits.footer:
            lines += [[], [f"Mục lục này gồm có {sum(1 for x in rows if x.sheet == name)} hồ sơ"]]
        sheets.append(Sheet(name or "Mục lục", lines, merges))
    return sheets


def _xlsx(path: Path, sheets: list[Sheet]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        for line in sheet.lines:
            ws.append(line)
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.save(path)


def _xls(path: Path, sheets: list[Sheet]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for sheet in sheets:
        ws = book.add_sheet(sheet.name[:31])
        merged = {(r1, c1) for r1, c1, _, _ in sheet.merges}
        for r1, c1, r2, c2 in sheet.merges:
            ws.write_merge(r1, r2, c1, c2, sheet.lines[r1][c1])
        for r, line in enumerate(sheet.lines):
            for c, value in enumerate(line):
                if (r, c) in merged or any(
                    r1 <= r <= r2 and c1 <= c <= c2 for r1, c1, r2, c2 in sheet.merges
                ):
                    continue
                if isinstance(value, dt.datetime):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value)
    book.save(str(path))


def _cp1258(text: str) -> str:
    """Windows-1258 keeps circumflex, breve and horn letters whole and writes tones apart."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch):
            out.append(ch)
        elif ch in "\u0302\u0306\u031b" and out:
            # the letter's own mark joins it; a tone already after it moves behind
            base, tones = out[-1][0], out[-1][1:]
            out[-1] = unicodedata.normalize("NFC", base + ch) + tones
        elif out:
            out[-1] += ch
        else:
            out.append(ch)
    return "".join(out)


def _csv(path: Path, sheets: list[Sheet], habits: Habits) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=habits.csv_delimiter, lineterminator="\r\n")
    for line in sheets[0].lines:
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.datetime) else v for v in line])
    text = buffer.getvalue()
    if habits.csv_encoding == "cp1258":
        path.write_bytes(_cp1258(text).encode("cp1258"))
    else:
        path.write_bytes(text.encode(habits.csv_encoding))


def write_inventory(folder: Path, sheets: list[Sheet], habits: Habits, rng: random.Random) -> Path:
    """Write the inventory; a CSV holds one sheet (all rows), so it is written from one."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = rng.choice(("Muc luc ho so", "MLHS", "muc_luc", "Mục lục hồ sơ"))
    if habits.inv_format == "csv":
        path = folder / f"{stem}.csv"
        _csv(path, sheets, habits)
    elif habits.inv_format == "xls":
        path = folder / f"{stem}.xls"
        _xls(path, sheets)
    else:
        path = folder / f"{stem}.xlsx"
        _xlsx(path, sheets)
    return path
