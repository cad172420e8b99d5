"""The inventory (mục lục hồ sơ) as the office typed it: xlsx, xls or CSV.

Writes the rows in the office's layout (title block, one or two header rows with merged
cells, a row of column numbers, blank rows, a footer; one sheet, or a sheet per year or per
kind with the STT restarting or running on), its headings and its encoding, and records on
each row where it went (``sheet``, ``stt``, ``row``: the row number a spreadsheet shows, or
the line of a CSV file), which is how the truth names a record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from .habits import Habits
from .legacy import cell, text_bytes
from .records import Record

# heading per column and style (marks, plain, caps, short)
_HEADINGS = {
    "stt": ("STT", "So TT", "SỐ TT", "TT"),
    "box": ("Hộp số", "Hop so", "HỘP/CẶP SỐ", "Hộp"),
    "file_no": ("Hồ sơ số", "Ho so so", "HỒ SƠ SỐ", "HS số"),
    "code": ("Số, ký hiệu hồ sơ", "Ma ho so", "MÃ HỒ SƠ", "Ký hiệu"),
    "title": ("Tiêu đề hồ sơ", "Tieu de ho so", "TIÊU ĐỀ HỒ SƠ", "Tên HS"),
    "dates": ("Thời gian bắt đầu - kết thúc", "Thoi gian", "THỜI GIAN", "Năm"),
    "date_start": ("Thời gian bắt đầu", "Bat dau", "THỜI GIAN BẮT ĐẦU", "Bắt đầu"),
    "date_end": ("Thời gian kết thúc", "Ket thuc", "THỜI GIAN KẾT THÚC", "Kết thúc"),
    "sheets": ("Số lượng tờ", "So to", "SỐ TỜ", "SL tờ"),
    "retention": ("Thời hạn bảo quản", "Thoi han bao quan", "THBQ", "THBQ"),
    "notes": ("Ghi chú", "Ghi chu", "GHI CHÚ", "GC"),
    "owner": ("Chủ sử dụng", "Chu su dung", "CHỦ SỬ DỤNG", "Chủ SD"),
    "parcel": ("Số thửa", "So thua", "SỐ THỬA", "Thửa"),
    "mapsheet": ("Tờ bản đồ", "To ban do", "TỜ BẢN ĐỒ", "TBĐ"),
}
_STYLES = ("marks", "plain", "caps", "short")
#: headings DOMAIN.md does not list, which the office maps in the project file
_UNLISTED = {"title": "Tên HS", "sheets": "SL tờ", "notes": "GC"}
_ORDER = (
    "stt",
    "box",
    "file_no",
    "code",
    "title",
    "dates",
    "sheets",
    "retention",
    "notes",
)


def columns_of(h: Habits) -> list[str]:
    cols = [c for c in _ORDER if c in h.columns]
    if "dates" in cols and h.dates_form == "start_end":
        i = cols.index("dates")
        cols[i : i + 1] = ["date_start", "date_end"]
    if "land" in h.columns:
        i = cols.index("title") + 1
        cols[i:i] = ["owner", "parcel", "mapsheet"]
    return cols


def heading(col: str, h: Habits) -> str:
    style = _STYLES.index(h.headings)
    if h.dates_form == "year" and col == "dates":
        return ("Năm", "Nam", "NĂM", "Năm")[style]
    return _HEADINGS[col][style]


def unlisted(h: Habits) -> dict[str, str]:
    """Headings the office must name in ``[locality.columns]``."""
    if h.headings != "short":
        return {}
    return {f: _UNLISTED[f] for f in _UNLISTED if f in columns_of(h)}


def value(rec: Record, col: str, h: Habits, rng: random.Random) -> object:
    if col == "stt":
        return rec.stt
    if col in ("box", "file_no", "sheets"):
        return {"box": rec.box, "file_no": rec.file_no, "sheets": rec.sheets}[col]
    if col == "parcel":
        return rec.parcel or ""
    if col == "mapsheet":
        return rec.mapsheet or ""
    if col == "date_start":
        return rec.date
    if col == "date_end":
        return rec.end
    if col == "dates":
        if h.dates_form == "year":
            return rec.year
        if h.dates_form == "day":
            return rec.date
        return f"{rec.date:%d/%m/%Y} - {rec.end:%d/%m/%Y}"
    title = rec.title
    if h.breaks and len(title) > 70:  # typed on two lines of the cell
        cut = title.rfind(" ", 0, 55)
        title = title[:cut] + "\n" + title[cut + 1 :]
    return {
        "code": rec.code,
        "title": title,
        "retention": rec.retention,
        "notes": rec.notes,
        "owner": rec.owner if rec.parcel else "",
    }[col]


def _sheets(rows: list[Record], h: Habits) -> list[tuple[str, list[Record]]]:
    if h.split == "one":
        return [("Mục lục", rows)]
    out: dict[str, list[Record]] = {}
    for rec in rows:
        name = f"Năm {rec.year}" if h.split == "year" else rec.group
        out.setdefault(name, []).append(rec)
    return list(out.items())


def _title_block(locality: str, h: Habits, count: int) -> list[str]:
    return [
        f"ỦY BAN NHÂN DÂN {locality.upper()}",
        "MỤC LỤC HỒ SƠ",
        f"Phông: UBND {locality}",
        f"Mục lục số: 01 (từ năm {h.first_year} đến năm {h.first_year + h.years - 1})",
    ]


def write(
    folder: Path, locality: str, rows: list[Record], h: Habits, rng: random.Random
) -> list[Path]:
    """Write the inventory into ``folder``; set each row's sheet, STT and row number."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = "muc-luc-ho-so"
    if h.inv_format == "csv":
        return [_csv(folder / f"{stem}.csv", rows, h, rng)]
    sheets = _sheets(rows, h)
    if h.inv_format == "xls":
        return [_xls(folder / f"{stem}.xls", locality, sheets, h, rng)]
    return [_xlsx(folder / f"{stem}.xlsx", locality, sheets, h, rng)]


def _text(value: object, h: Habits) -> object:
    if isinstance(value, str):
        return cell(value, h.encoding)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _layout(
    locality: str, sheet: list[Record], h: Habits, rng: random.Random, start_stt: int
) -> tuple[list[tuple[int, list[object]]], list[tuple[int, int, int, int, str]]]:
    """(row number, cells) of one sheet and its merged ranges (r1, c1, r2, c2, text)."""
    cols = columns_of(h)
    lines: list[tuple[int, list[object]]] = []
    merges: list[tuple[int, int, int, int, str]] = []
    r = 0
    if h.title_block:
        for text in _title_block(locality, h, len(sheet)):
            merges.append((r, 0, r, len(cols) - 1, text))
            r += 1
        r += 1
    names = [heading(c, h) for c in cols]
    if h.two_row_header and "date_start" in cols:
        i = cols.index("date_start")
        for c, name in enumerate(names):
            if c not in (i, i + 1):
                merges.append((r, c, r + 1, c, name))
        merges.append(
            (
                r,
                i,
                r,
                i + 1,
                ("Thời gian", "Thoi gian", "THỜI GIAN", "Thời gian")[_STYLES.index(h.headings)],
            )
        )
        sub = [
            ("Bắt đầu", "Bat dau", "BẮT ĐẦU", "Bắt đầu")[_STYLES.index(h.headings)],
            ("Kết thúc", "Ket thuc", "KẾT THÚC", "Kết thúc")[_STYLES.index(h.headings)],
        ]
        lines.append((r + 1, [None] * i + sub))
        r += 2
    else:
        lines.append((r, list(names)))
        r += 1
    if h.numbers_row:
        lines.append((r, [f"({k + 1})" for k in range(len(cols))]))
        r += 1
    stt = start_stt
    for rec in sheet:
        if rng.random() < 0.015:
            r += 1  # a blank row
        stt += 1
        rec.stt, rec.row = stt, r + 1
        lines.append((r, [value(rec, c, h, rng) for c in cols]))
        r += 1
    if h.footer:
        lines.append((r + 1, [f"Mục lục này gồm có {len(sheet)} hồ sơ."]))
    return lines, merges


Sheets = list[tuple[str, list[Record]]]


def _fill(sheets: Sheets, locality: str, h: Habits, rng: random.Random, add, merge, put) -> None:  # type: ignore[no-untyped-def]
    """Lay every sheet out through a workbook library's ``add`` (a sheet), ``merge`` (a
    merged range with its text) and ``put`` (one cell)."""
    stt = 0
    for name, sheet in sheets:
        ws = add(name)
        for rec in sheet:
            rec.sheet = name
        lines, merges = _layout(locality, sheet, h, rng, 0 if h.stt_restarts else stt)
        stt += len(sheet)
        for r1, c1, r2, c2, text in merges:
            merge(ws, r1, c1, r2, c2, cell(text, h.encoding))
        for r, cells in lines:
            for c, v in enumerate(cells):
                if v is not None and v != "":
                    put(ws, r, c, v)


def _xlsx(path: Path, locality: str, sheets: Sheets, h: Habits, rng: random.Random) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    book.set_properties({"created": dt.datetime(2025, 6, 1, 8, 0, 0)})
    as_dates = rng.random() < 0.5  # real date cells, or dates typed as text
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})

    def merge(ws, r1, c1, r2, c2, text):  # type: ignore[no-untyped-def]
        if (r1, c1) == (r2, c2):
            ws.write(r1, c1, text)
        else:
            ws.merge_range(r1, c1, r2, c2, text)

    def put(ws, r, c, v):  # type: ignore[no-untyped-def]
        if isinstance(v, dt.date) and as_dates:
            ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_fmt)
        else:
            ws.write(r, c, _text(v, h))

    _fill(sheets, locality, h, rng, book.add_worksheet, merge, put)
    book.close()
    return path


def _xls(path: Path, locality: str, sheets: Sheets, h: Habits, rng: random.Random) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")

    def merge(ws, r1, c1, r2, c2, text):  # type: ignore[no-untyped-def]
        ws.write_merge(r1, r2, c1, c2, text)

    def put(ws, r, c, v):  # type: ignore[no-untyped-def]
        ws.write(r, c, _text(v, h))

    _fill(sheets, locality, h, rng, book.add_sheet, merge, put)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _csv(path: Path, rows: list[Record], h: Habits, rng: random.Random) -> Path:
    cols = columns_of(h)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=h.delimiter, lineterminator="\r\n")
    writer.writerow([heading(c, h) for c in cols])
    line = 1
    for stt, rec in enumerate(rows, start=1):
        line += 1
        rec.sheet, rec.stt, rec.row = "", stt, line
        cells = [value(rec, c, h, rng) for c in cols]
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in cells])
    path.write_bytes(text_bytes(out.getvalue(), h.encoding))
    return path
