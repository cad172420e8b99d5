"""Saving a workbook so that the same seed gives the same bytes.

openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry; the office's
files here carry a fixed date instead (the handover's), so a province is reproducible byte for
byte however long its generation takes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

_WHEN = dt.datetime(2025, 6, 30, 8, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def save(book: Workbook, path: Path) -> None:
    book.properties.created = _WHEN
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2025-06-30T08:00:00Z\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_WHEN.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())
