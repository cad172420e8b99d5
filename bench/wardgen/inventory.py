"""The inventory as the office typed it: xlsx with a title block, or CSV as tools export it.

A merged commune's inventory is one sheet per former commune, or the former communes'
tables concatenated under section lines with their row numbers restarting (the boxes
renumbered through, the old box kept in a column or lost). An abolished district's records
come in a file of their own. CSV is UTF-8 with a BOM as a Word table saved through Excel
(titles wrapped inside their cells), plain UTF-8, or Windows-1258 (tone marks as combining
characters after the precomposed vowel, as that code page must write them).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import keyboard as kb
from .habits import Habits
from .records import Record

_RETENTION = ("Vĩnh viễn", "20 năm", "10 năm", "Vĩnh viễn")


@dataclass
class Sheet:
    name: str
    entries: list[tuple[str, object]]  # ("section", text) | ("row", Record)


def _slug(text: str) -> str:
    return "-".join(kb.fold(text).split())


def title_text(rec: Record, abbreviate: bool) -> str:
    out = ""
    for p in rec.parts:
        t = p.short if abbreviate and p.short else p.text
        if t.startswith(","):
            out = out.rstrip() + t
        else:
            out += (" " if out and not out.endswith(" ") else "") + t
    return out.strip()


def _date(rec: Record, style: str) -> str:
    d = rec.date
    if style == "dmy":
        return f"{d:%d/%m/%Y}"
    if style == "dmy_dash":
        return f"{d.day}-{d.month}-{d.year}"
    if style == "my":
        return f"{d:%m/%Y}"
    if style == "y":
        return str(d.year)
    return f"{d:%d/%m/%Y} - {d:%d/%m/%Y}"


def _columns(h: Habits, district: bool) -> list[str]:
    cols = ["stt"]
    if h.has_box:
        cols.append("box")
    if h.former and h.old_box_column and not district:
        cols.append("old_box")
    if h.has_file_no or district:
        cols.append("file_no")
    if h.code_form != "none" or district:
        cols.append("code")
    cols += ["title", "dates"]
    if h.has_sheets:
        cols.append("sheets")
    cols.append("retention")
    if h.notes_style != "none":
        cols.append("notes")
    return cols


def _cell(rec: Record, col: str, h: Habits, stt: int, wrap: bool) -> object:
    if col == "stt":
        return stt
    if col in ("box", "old_box", "file_no"):
        return getattr(rec, col)
    if col == "code":
        return rec.code
    if col == "title":
        text = rec.title
        if wrap and len(text) > 55:
            cut = text.rfind(" ", 0, 50)
            text = text[:cut] + "\n" + text[cut + 1 :] if cut > 0 else text
        return text
    if col == "dates":
        return _date(rec, h.date_style)
    if col == "sheets":
        return rec.sheets if rec.idx % 7 else f"{rec.sheets} tờ"
    if col == "retention":
        return _RETENTION[rec.idx % 4] if rec.kind in ("gcn", "bien_dong") else "20 năm"
    return rec.notes


def sheets_of(h: Habits, records: list[Record]) -> list[tuple[str, list[Sheet], bool]]:
    """(file stem, its sheets, is the district's file) as the office laid them out."""
    main = [r for r in records if not r.district]
    district = [r for r in records if r.district]
    if h.former and h.merge_layout == "sheets":
        sheets = [
            Sheet(kb.strip_marks(f)[:31], [("row", r) for r in main if r.former == f])
            for f in h.former
        ]
    elif h.former:
        entries: list[tuple[str, object]] = []
        for n, f in enumerate(h.former):
            roman = ("I", "II", "III")[n]
            entries.append(("section", f"{roman}. {f.upper()} (CŨ)"))
            entries += [("row", r) for r in main if r.former == f]
        sheets = [Sheet("Sheet1", entries)]
    elif h.split_by_year:
        lo, hi = h.years
        mid = (lo + hi) // 2
        sheets = [
            Sheet(f"{lo}-{mid}", [("row", r) for r in main if r.year <= mid]),
            Sheet(f"{mid + 1}-{hi}", [("row", r) for r in main if r.year > mid]),
        ]
        sheets = [s for s in sheets if s.entries]
    else:
        sheets = [Sheet("Mục lục", [("row", r) for r in main])]
    out = [(f"muc-luc-{_slug(h.unit)}", sheets, False)]
    if district:
        name = f"ho-so-{_slug(h.district_name)}-ban-giao"
        out.append((name, [Sheet("Ban giao", [("row", r) for r in district])], True))
    return out


def _grid(h: Habits, sheet: Sheet, district: bool, wrap: bool) -> tuple[list[list[object]], list]:
    """The sheet's rows as typed, and (row, record) for each data row (0-based row)."""
    cols = _columns(h, district)
    heads = dict(h.headings)
    grid: list[list[object]] = []
    unit = h.district_name if district else h.unit
    if h.title_block:
        grid += [
            [f"ỦY BAN NHÂN DÂN {unit.upper()}"],
            [],
            ["MỤC LỤC HỒ SƠ"],
            [f"Phông: UBND {unit}"],
            ["Mục lục số: 01"],
            [],
        ]
    group = [c for c in cols if c in ("box", "old_box", "file_no")]
    if h.two_row_header and group:
        # the group "Hộp, hồ sơ" over its columns, the others' headings one row up (a CSV
        # export of merged cells keeps each value in its first cell only)
        grid.append(
            [("Hộp, hồ sơ" if c == group[0] else "") if c in group else heads[c] for c in cols]
        )
        grid.append([heads[c] if c in group else "" for c in cols])
    else:
        grid.append([heads[c] for c in cols])
    if h.number_row:
        grid.append([f"({i})" for i in range(1, len(cols) + 1)])
    placed: list[tuple[int, Record]] = []
    for kind, value in sheet.entries:
        if kind == "section":
            grid.append([value])
            continue
        rec = value
        assert isinstance(rec, Record)
        placed.append((len(grid), rec))
        grid.append([_cell(rec, c, h, rec.stt, wrap) for c in cols])
        if rec.stt % 97 == 0:
            grid.append([])
    if h.footer:
        n = sum(1 for k, _ in sheet.entries if k == "row")
        grid += [[], [f"Mục lục này gồm có: {n} hồ sơ"], ["", "", "NGƯỜI LẬP"]]
    return grid, placed


def number_rows(h: Habits, records: list[Record]) -> None:
    """The STT column: counted per sheet, and again from 1 under each section line."""
    for _, sheets, _ in sheets_of(h, records):
        for sheet in sheets:
            stt = 0
            for kind, value in sheet.entries:
                if kind == "section":
                    stt = 0
                    continue
                stt += 1
                assert isinstance(value, Record)
                value.stt = stt


def write(h: Habits, records: list[Record], folder: Path, rel: str) -> list[str]:
    """Write the inventory files; each record gets its source file, sheet and row. Returns
    the files' paths relative to the project file."""
    for r in records:
        r.title = title_text(r, h.inv_abbreviate)
    written: list[str] = []
    for stem, sheets, district in sheets_of(h, records):
        if h.inv_format == "xlsx":
            path = f"{rel}/{stem}.xlsx"
            _xlsx(h, sheets, district, folder / f"{stem}.xlsx", path)
            written.append(path)
            continue
        for sheet in sheets:
            name = stem if len(sheets) == 1 else f"{stem}-{_slug(sheet.name)}"
            path = f"{rel}/{name}.csv"
            _csv(h, sheet, district, folder / f"{name}.csv", path)
            written.append(path)
    return written


def _xlsx(h: Habits, sheets: list[Sheet], district: bool, target: Path, rel: str) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(2025, 5, 20, 8, 0), "author": "Văn thư"})
    bold = book.add_format({"bold": True, "align": "center", "text_wrap": True})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        grid, placed = _grid(h, sheet, district, False)
        width = len(_columns(h, district))
        for r, row in enumerate(grid):
            if len(row) == 1 and isinstance(row[0], str) and width > 1:
                ws.merge_range(r, 0, r, width - 1, row[0], bold)
                continue
            for c, value in enumerate(row):
                ws.write(r, c, value)
        if h.two_row_header and any(
            c in ("box", "old_box", "file_no") for c in _columns(h, district)
        ):
            _merge_header(ws, grid, h, district, bold)
        for r, rec in placed:
            rec.source_file, rec.source_sheet, rec.source_row = rel, sheet.name, r + 1
        ws.set_column(0, width, 14)
    book.close()


def _merge_header(
    ws: object, grid: list[list[object]], h: Habits, district: bool, fmt: object
) -> None:
    """Merge the two header rows as offices do: each heading over both rows, the group
    heading across its columns."""
    cols = _columns(h, district)
    top = next(r for r, row in enumerate(grid) if len(row) == len(cols) and row[0] != "")
    group = [i for i, c in enumerate(cols) if c in ("box", "old_box", "file_no")]
    for i, value in enumerate(grid[top]):
        if i not in group:
            ws.merge_range(top, i, top + 1, i, value, fmt)  # type: ignore[attr-defined]
    if len(group) > 1:
        ws.merge_range(top, group[0], top, group[-1], grid[top][group[0]], fmt)  # type: ignore[attr-defined]


def _csv(h: Habits, sheet: Sheet, district: bool, target: Path, rel: str) -> None:
    grid, placed = _grid(h, sheet, district, h.inv_format == "csv_word")
    delim = "," if h.inv_format == "csv_word" else h.csv_delim
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim, lineterminator="\r\n")
    writer.writerows(grid)
    text = buf.getvalue()
    if h.inv_format == "csv_1258":
        data = _cp1258(text)
    elif h.inv_format == "csv_word":
        data = text.encode("utf-8-sig")
    else:
        data = text.encode("utf-8")
    target.write_bytes(data)
    for r, rec in placed:
        rec.source_file, rec.source_sheet, rec.source_row = rel, "", r + 1


_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: the vowel with its shape mark precomposed (â, ơ, ư...), the tone
    after it as a combining mark, as that code page must write Vietnamese."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch) or not out:
            out.append(ch)
            continue
        if ch in _SHAPE_MARKS:
            # the base letter is the last non-combining character before the marks
            i = len(out) - 1
            while i > 0 and unicodedata.combining(out[i]):
                i -= 1
            joined = unicodedata.normalize("NFC", out[i] + ch)
            if len(joined) == 1:
                out[i] = joined
                continue
        out.append(ch)
    return "".join(out).encode("cp1258")
