"""Writers for the spreadsheet formats the tests need beyond xlsx: legacy xls and ods."""

from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path


def write_xls(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.save(str(path))


_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)


def _cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
        "</text:p></table:table-cell>"
    )


def write_ods(
    path: Path,
    sheets: dict[str, list[list[object]]],
    hidden_rows: set[int] = frozenset(),
    hidden_columns: set[int] = frozenset(),
) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes its structure."""
    tables = []
    for name, rows in sheets.items():
        width = max(len(r) for r in rows)
        columns = "".join(
            '<table:table-column table:visibility="collapse"/>'
            if c in hidden_columns
            else "<table:table-column/>"
            for c in range(width)
        )
        body = "".join(
            (
                '<table:table-row table:visibility="collapse">'
                if r in hidden_rows
                else "<table:table-row>"
            )
            + "".join(_cell(v) for v in row)
            + "</table:table-row>"
            for r, row in enumerate(rows)
        )
        tables.append(f'<table:table table:name="{escape(name)}">{columns}{body}</table:table>')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}>'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
