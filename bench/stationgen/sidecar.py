"""The scanning software's export: one row per scan in scanning order, as CSV, XLSX, JSON or
XML, with the headings of one software or office (Vietnamese with or without marks, English,
abbreviated, or the generic index fields of a capture program)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HEADINGS = {
    "vi_marked": (
        "Tên tệp",
        "Tiêu đề hồ sơ",
        "Năm",
        "Số trang",
        "Mã hồ sơ gốc giấy",
        "Người quét",
        "Ngày quét",
    ),
    "vi_plain": ("Ten file", "Tieu de", "Nam", "So trang", "Ma ho so", "Nguoi scan", "Ngay scan"),
    "en": ("FileName", "Title", "Year", "PageCount", "RecordCode", "Operator", "ScanDate"),
    "abbrev": ("TenTep", "TD", "Nam", "ST", "MaHS", "NV", "NgQuet"),
    "unknown": ("DocumentName", "Index1", "Index2", "Pages", "Index3", "Station", "Created"),
}
FIELDS = ("name", "title", "year", "pages", "code", "operator", "date")


def file_name(path: str, form: str, slug: str) -> str:
    """The file-name cell: with or without its extension, or the station's Windows path."""
    if form == "no_ext":
        return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if form == "windows_path":
        return "D:\\Scan\\" + slug + "\\" + path.replace("/", "\\")
    return path.rsplit("/", 1)[-1]


def write(rows: list[dict[str, object]], spec: dict[str, object], path: Path) -> Path:
    """Write ``rows`` (keys from FIELDS; absent fields left out) in the spec's format."""
    names = dict(zip(FIELDS, HEADINGS[str(spec["headings"])], strict=True))
    fields = [f for f in FIELDS if f in rows[0]] if rows else list(FIELDS[:2])
    heads = [names[f] for f in fields]
    table = [[row.get(f, "") for f in fields] for row in rows]
    fmt = str(spec["format"])
    path = path.with_suffix("." + fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(heads)
        writer.writerows(table)
        path.write_bytes(buf.getvalue().encode(str(spec["encoding"])))
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "Export"
        ws.append(heads)
        for row in table:
            ws.append(row)
        wb.save(path)
    elif fmt == "json":
        docs = [dict(zip(heads, row, strict=True)) for row in table]
        path.write_text(
            json.dumps({"batch": path.stem, "documents": docs}, ensure_ascii=False, indent=1),
            "utf-8",
        )
    else:
        path.write_text(_xml(heads, table, path.stem), "utf-8")
    return path


def _xml(heads: list[str], table: list[list[object]], batch: str) -> str:
    plain = all(h.isidentifier() for h in heads)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<Batch name={quoteattr(batch)}>"]
    for row in table:
        lines.append("  <Document>")
        for head, value in zip(heads, row, strict=True):
            text = escape(str(value))
            if plain:
                lines.append(f"    <{head}>{text}</{head}>")
            else:
                lines.append(f"    <Field name={quoteattr(head)}>{text}</Field>")
        lines.append("  </Document>")
    lines.append("</Batch>")
    return "\n".join(lines) + "\n"
