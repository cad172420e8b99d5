"""The inventory as the office typed it: mostly a table in Word, then saved to xlsx or text.

``write(path_stem, records, habits, rng)`` writes one file and returns, for every data row, where
it is (``source_sheet``, ``source_row`` as a spreadsheet shows it) and whether it repeats an
earlier row (a row typed twice: ``duplicate_entry``).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from . import xlsx
from .records import Record
from .text import tcvn3_glyphs


@dataclass
class Row:
    record: Record
    repeat: bool
    sheet: str
    row: int


def _columns(habits: dict[str, Any]) -> list[str]:
    have = habits["inventory"]["columns"]
    order = ["stt", "box", "file_no", "code", "title", "map_sheet", "parcel", "birth", "docs"]
    order += ["dates", "sheets", "retention", "notes"]
    always = {"stt", "title", "dates", "notes"}
    return [c for c in order if c in always or have.get(c)]


def _dates(rec: Record, form: str) -> str:
    if form == "year" or rec.start is None or rec.end is None:
        return str(rec.year)
    if form == "range_years":
        return str(rec.year) if rec.year == rec.year_end else f"{rec.year} - {rec.year_end}"
    return f"{rec.start:%d/%m/%Y} - {rec.end:%d/%m/%Y}"


def _wrap(text: str, width: int = 48) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _cells(rec: Record, stt: int, columns: list[str], inv: dict[str, Any]) -> list[object]:
    title = _wrap(rec.title) if inv["wrapped_titles"] else rec.title
    if inv["title_cells"] == "tcvn3":
        title = tcvn3_glyphs(title)
    docs = "; ".join(f"{n}/{k}-{i}" for n, k, i in rec.docs)
    value = {
        "stt": stt,
        "box": rec.box,
        "file_no": rec.file_no,
        "code": rec.code,
        "title": title,
        "map_sheet": rec.map_sheet or "",
        "parcel": rec.parcel or "",
        "birth": f"{rec.birth:%d/%m/%Y}" if rec.birth else "",
        "docs": docs,
        "dates": _dates(rec, inv["dates"]),
        "sheets": rec.sheets,
        "retention": rec.retention,
        "notes": "",
    }
    return [value[c] for c in columns]


_Entries = list[tuple[Record, bool]]


def _entries(records: list[Record], rate: float, rng: random.Random) -> _Entries:
    out: list[tuple[Record, bool]] = []
    for rec in records:
        out.append((rec, False))
        if rng.random() < rate:
            out.append((rec, True))
    return out


def write(
    stem: Path, records: list[Record], habits: dict[str, Any], rng: random.Random
) -> tuple[Path, list[Row]]:
    """Write the inventory beside ``stem`` (its suffix chosen by the layout)."""
    inv = habits["inventory"]
    entries = _entries(records, inv["duplicate_rows"], rng)
    columns = _columns(habits)
    heads = [inv["headings"][c] for c in columns]
    if inv["layout"] in ("csv_bom", "txt_utf16"):
        return _text(stem, entries, columns, heads, inv)
    if inv["layout"] == "plain_xlsx":
        return _plain(stem, entries, columns, heads, inv)
    return _word(stem, entries, columns, heads, habits)


def _text(
    stem: Path, entries: _Entries, columns: list[str], heads: list[str], inv: dict[str, Any]
) -> tuple[Path, list[Row]]:
    buffer = io.StringIO()
    tab = inv["layout"] == "txt_utf16"
    writer = csv.writer(buffer, delimiter="\t" if tab else ",", lineterminator="\r\n")
    lead = [["MỤC LỤC HỒ SƠ"], []] if tab else []
    for line in lead:
        writer.writerow(line)
    writer.writerow(heads)
    rows = []
    for n, (rec, repeat) in enumerate(entries, start=1):
        writer.writerow(_cells(rec, n, columns, inv))
        rows.append(Row(rec, repeat, "", len(lead) + 1 + n))
    path = stem.with_suffix(".txt" if tab else ".csv")
    encoding = "utf-16" if tab else "utf-8-sig"
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path, rows


def _plain(
    stem: Path, entries: _Entries, columns: list[str], heads: list[str], inv: dict[str, Any]
) -> tuple[Path, list[Row]]:
    book = Workbook()
    book.remove(book.active)
    groups: dict[str, list[tuple[Record, bool]]] = {}
    for rec, repeat in entries:
        name = f"{rec.year - rec.year % 5}-{rec.year - rec.year % 5 + 4}"
        groups.setdefault(name if inv["sheet_per_years"] else "Mục lục", []).append((rec, repeat))
    rows = []
    for name, group in groups.items():
        sheet = book.create_sheet(name)
        sheet.append(heads)
        for n, (rec, repeat) in enumerate(group, start=1):
            sheet.append(_cells(rec, n, columns, inv))
            rows.append(Row(rec, repeat, name, n + 1))
    path = stem.with_suffix(".xlsx")
    xlsx.save(book, path)
    return path, rows


def _word(
    stem: Path, entries: _Entries, columns: list[str], heads: list[str], habits: dict[str, Any]
) -> tuple[Path, list[Row]]:
    inv = habits["inventory"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    width = len(columns)
    block = ["UBND TỈNH KHÁNH HÒA", habits["unit"].upper(), "", "MỤC LỤC HỒ SƠ"]
    block += [f"Phông: {habits['unit']}", f"Mục lục số: {habits['catalogue']}", ""]
    for line in block:
        sheet.append([line])
        if line:
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
            )
    sheet.append([_wrap(h, 10) for h in heads])
    sheet.append([f"({i})" for i in range(1, width + 1)])
    rows, box = [], 0
    for n, (rec, repeat) in enumerate(entries, start=1):
        if inv["box_sections"] and rec.box != box and not repeat:
            box = rec.box
            sheet.append([f"Hộp số {box:02d}"])
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
            )
        sheet.append(_cells(rec, n, columns, inv))
        rows.append(Row(rec, repeat, "Sheet1", sheet.max_row))
    sheet.append([])
    sheet.append([f"Mục lục này gồm có {len(entries)} hồ sơ."])
    for row in sheet.iter_rows(min_row=len(block) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = stem.with_suffix(".xlsx")
    xlsx.save(book, path)
    return path, rows
