"""The scanning software's metadata export: one row per scan, headings as the tool names them.

Tools differ in format (CSV, XLSX, JSON, XML), in the language of their headings (Vietnamese with
or without marks, English, abbreviated, or words no list knows such as "Nội dung" or "Desc") and
in which columns they keep (file name always; the operator's title; sometimes the record code,
the year, the page count, when and by whom it was scanned).
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from xml.sax.saxutils import escape

from .inventory import freeze_xlsx

HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "vi_marked": {
        "file": ("Tên tệp", "Tên file"),
        "title": ("Tiêu đề", "Tiêu đề hồ sơ"),
        "code": ("Mã hồ sơ",),
        "year": ("Năm",),
        "pages": ("Số trang",),
        "scanned": ("Ngày quét",),
        "operator": ("Người quét",),
    },
    "vi_unmarked": {
        "file": ("Ten tep", "Ten file"),
        "title": ("Tieu de", "Tieu de ho so"),
        "code": ("Ma ho so",),
        "year": ("Nam",),
        "pages": ("So trang",),
        "scanned": ("Ngay quet",),
        "operator": ("Nguoi quet",),
    },
    "english": {
        "file": ("File name", "Filename"),
        "title": ("Title", "Document title"),
        "code": ("Record code", "File code"),
        "year": ("Year",),
        "pages": ("Pages", "Page count"),
        "scanned": ("Scanned at",),
        "operator": ("Operator",),
    },
    "abbreviated": {
        "file": ("Tệp", "File"),
        "title": ("TĐ", "Tiêu đề HS"),
        "code": ("Mã HS",),
        "year": ("Năm",),
        "pages": ("SL trang", "Tr."),
        "scanned": ("Ngày",),
        "operator": ("NV",),
    },
    "unknown": {
        "file": ("Tập tin", "Đường dẫn"),
        "title": ("Nội dung", "Mô tả", "Desc"),
        "code": ("Ký hiệu",),
        "year": ("Niên đại",),
        "pages": ("Trang",),
        "scanned": ("Thời điểm quét",),
        "operator": ("Cán bộ",),
    },
}

NAMES = {
    "csv": ("metadata.csv", "export.csv", "danh_sach_quet.csv"),
    "xlsx": ("metadata.xlsx", "Bao cao quet.xlsx", "export.xlsx"),
    "json": ("scan_log.json", "metadata.json"),
    "xml": ("index.xml", "metadata.xml"),
}


def write_sidecar(
    path: Path,
    fmt: str,
    style: str,
    fields: tuple[str, ...],
    rows: list[dict[str, object]],
    rng: random.Random,
) -> None:
    """Write ``rows`` (field -> value, 'file' included) as the tool would."""
    names = HEADINGS[style]
    order = ("file", *fields)
    headings = [rng.choice(names[f]) for f in order]
    table = [[row.get(f, "") for f in order] for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headings)
        writer.writerows(table)
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Export"
        sheet.append(headings)
        for row in table:
            sheet.append(row)
        book.save(path)
        freeze_xlsx(path)
    elif fmt == "json":
        items = [dict(zip(headings, row)) for row in table]
        path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        tags = ["".join(ch if ch.isalnum() else "_" for ch in h) or "field" for h in headings]
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<scans>"]
        for row in table:
            cells = "".join(f"<{t}>{escape(str(v))}</{t}>" for t, v in zip(tags, row))
            lines.append(f"  <scan>{cells}</scan>")
        lines.append("</scans>")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
