"""The scanning tool's export: one row per counter scan, headings as the tool names them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from .habits import Scheme
from .legacy import text_bytes


def write(path: Path, scheme: Scheme, rows: list[dict[str, str]]) -> Path:
    """Write the export as ``scheme.sidecar_fmt`` says (CSV in UTF-8 or Windows-1258, XLSX)."""
    fields = list(scheme.sidecar)
    headings = [scheme.sidecar[f] for f in fields]
    path.parent.mkdir(parents=True, exist_ok=True)
    if scheme.sidecar_fmt == "xlsx":
        import xlsxwriter

        path = path.with_suffix(".xlsx")
        book = xlsxwriter.Workbook(str(path), {"in_memory": True})
        book.set_properties({"created": dt.datetime(2025, 6, 1, 8, 0, 0)})
        sheet = book.add_worksheet("Export")
        sheet.write_row(0, 0, headings)
        for r, row in enumerate(rows, start=1):
            for c, f in enumerate(fields):
                value = row.get(f, "")
                sheet.write(r, c, int(value) if value.isdigit() and f != "file" else value)
        book.close()
        return path
    if scheme.sidecar_fmt == "xml":
        return _xml(path.with_suffix(".xml"), scheme, rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields])
    encoding = "cp1258" if scheme.sidecar_fmt == "csv-1258" else "utf-8"
    path = path.with_suffix(".csv")
    path.write_bytes(text_bytes(out.getvalue(), encoding))
    return path


_XML_TAGS = {
    "file": ("FileName", "TenTep"),
    "title": ("Title", "TieuDe"),
    "year": ("Year", "Nam"),
    "pages": ("PageCount", "SoTrang"),
    "code": ("RecordCode", "MaHoSo"),
    "file_no": ("FileNo", "HoSoSo"),
    "scanned": ("ScanDate", "NgayQuet"),
    "operator": ("Operator", "NguoiQuet"),
}


def _xml(path: Path, scheme: Scheme, rows: list[dict[str, str]]) -> Path:
    """An XML export: one element a scan, one child a field (English or Vietnamese tags)."""
    from xml.sax.saxutils import escape

    style = scheme.folder_style % 2
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<Documents>"]
    for row in rows:
        lines.append("  <Document>")
        for f in scheme.sidecar:
            tag = _XML_TAGS[f][style]
            lines.append(f"    <{tag}>{escape(row.get(f, ''))}</{tag}>")
        lines.append("  </Document>")
    lines.append("</Documents>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
