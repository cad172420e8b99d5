"""Hidden rows and columns of spreadsheets: read anyway, and flagged for the inspector.

calamine reads every cell but does not say what Excel or LibreOffice hides, and a hidden row in
an inventory is exactly what an inspector must see. This module reads the visibility flags from
the file itself: the sheet XML of an xlsx (``<row hidden="1">``, ``<col hidden="1">``) and
the content.xml of an ods (``table:visibility="collapse"``). Other formats report nothing.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .limits import MAX_COLUMNS, MAX_ROWS

Hidden = dict[str, tuple[set[int], set[int]]]  # sheet name -> (0-based rows, 0-based columns)

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ATTR = {name: re.compile(rb"\b" + name.encode() + rb'="(\d+)"') for name in ("r", "min", "max")}
#: The relationship id attribute's namespace: transitional (what Excel saves by default) and
#: Strict OOXML (Excel's "Strict Open XML Spreadsheet").
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)


def _workbook_part(z: zipfile.ZipFile) -> str:
    """The workbook part the package's relationships name (``xl/workbook.xml`` by default)."""
    try:
        rels = ET.fromstring(z.read("_rels/.rels"))
    except (KeyError, ET.ParseError):
        return "xl/workbook.xml"
    for rel in rels:
        target = rel.get("Target", "")
        if rel.get("Type", "").endswith("/officeDocument") and target:
            return posixpath.normpath(target.lstrip("/"))
    return "xl/workbook.xml"


def _relation_id(sheet: ET.Element) -> str:
    for ns in _REL_NS:
        if found := sheet.get(f"{{{ns}}}id"):
            return found
    return ""


def xlsx_sheet_parts(z: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(sheet name, zip member) of each worksheet of an open xlsx, in workbook order."""
    part = _workbook_part(z)
    folder, name = posixpath.split(part)
    workbook = ET.fromstring(z.read(part))
    rels = ET.fromstring(z.read(posixpath.join(folder, "_rels", name + ".rels")))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(_relation_id(sheet), "")
        member = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        yield sheet.get("name", ""), member


def xlsx_sheets(z: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    """(sheet name, sheet XML) of each worksheet of an open xlsx, in workbook order."""
    for name, member in xlsx_sheet_parts(z):
        try:
            yield name, z.read(member)
        except KeyError:
            continue


def _xlsx(source: Path | io.BytesIO) -> Hidden:
    out: Hidden = {}
    with zipfile.ZipFile(source) as z:
        for name, xml in xlsx_sheets(z):
            rows: set[int] = set()
            cols: set[int] = set()
            for tag in _ROW_TAG.findall(xml):
                if _HIDDEN.search(tag) and (m := _ATTR["r"].search(tag)):
                    rows.add(int(m.group(1)) - 1)
            for tag in _COL_TAG.findall(xml):
                if _HIDDEN.search(tag):
                    lo, hi = _ATTR["min"].search(tag), _ATTR["max"].search(tag)
                    if lo and hi:  # a range past Excel's last column hides nothing more
                        cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), MAX_COLUMNS)))
            if rows or cols:
                out[name] = (rows, cols)
    return out


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods(source: Path | io.BytesIO) -> Hidden:
    out: Hidden = {}
    t = f"{{{_TABLE}}}"
    with zipfile.ZipFile(source) as z, z.open("content.xml") as fh:
        name, row, col = "", 0, 0
        rows: set[int] = set()
        cols: set[int] = set()
        for event, el in ET.iterparse(fh, events=("start", "end")):
            if event == "start" and el.tag == f"{t}table":
                name, row, col, rows, cols = el.get(f"{t}name", ""), 0, 0, set(), set()
            elif event == "start" and el.tag in (f"{t}table-row", f"{t}table-column"):
                is_row = el.tag == f"{t}table-row"
                repeat = int(el.get(f"{t}number-{'rows' if is_row else 'columns'}-repeated", 1))
                hidden = el.get(f"{t}visibility", "visible") != "visible"
                start = row if is_row else col
                limit = MAX_ROWS if is_row else MAX_COLUMNS
                if hidden and repeat < 100000 and start < limit:
                    (rows if is_row else cols).update(range(start, min(start + repeat, limit)))
                if is_row:
                    row += repeat
                else:
                    col += repeat
            elif event == "end" and el.tag == f"{t}table":
                if rows or cols:
                    out[name] = (rows, cols)
                el.clear()
    return out


def hidden_cells(path: Path, data: bytes | None = None) -> Hidden:
    """Hidden rows and columns per sheet; {} for formats that do not say, or on any doubt.
    ``data``: the file's bytes, when they were read already."""
    suffix = path.suffix.lower()
    source = path if data is None else io.BytesIO(data)
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(source)
        if suffix == ".ods":
            return _ods(source)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, ValueError):
        return {}
    return {}
