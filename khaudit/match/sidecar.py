"""Sidecar metadata files exported by scanning software: file name -> code, title, year, pages.

A sidecar is a CSV, XLSX, JSON or XML file, in a scan root or named in the project file, whose
columns include a file name. Field names follow Circular 05/2025/TT-BNV where tools use them
(mã hồ sơ, tiêu đề hồ sơ, số lượng trang, mã hồ sơ gốc giấy...). Anything else in a root with
those suffixes is not a sidecar and is left for the inspector (ignored_files.csv).
"""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..errors import InventoryFileError
from ..inventory.loader import find_header
from ..inventory.readers import RawSheet, read_sheets
from ..inventory.values import cell_text, parse_count, parse_years
from ..textnorm import fold

SIDECAR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "file": ("ten tep", "ten tep tin", "tep tin", "ten file", "file name", "filename", "file",
             "duong dan", "path", "tep"),
    "record_code": ("ma ho so goc giay", "ma ho so", "so ky hieu ho so", "record code", "code",
                    "ma hs"),
    "title": ("tieu de ho so", "tieu de", "title", "ten ho so"),
    "pages": ("so luong trang", "so trang", "pages", "page count"),
    "year": ("thoi gian bat dau", "nam", "year", "thoi gian"),
}


@dataclass(frozen=True)
class SidecarEntry:
    file: str  # as written in the sidecar
    record_code: str
    title: str
    pages: int | None
    year: int | None
    source: str  # "metadata.csv row 12"


def _key(name: str) -> str:
    """Sidecar rows name a file by base name or path, in any case and normal form."""
    return unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1]).lower()


def _from_sheet(sheet: RawSheet, source: str) -> list[SidecarEntry]:
    header = find_header(sheet, synonyms=SIDECAR_SYNONYMS, required=("file",))
    if header is None:
        return []
    col = {f: c for c, f in header.mapping.items()}
    entries = []
    for r in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[r]

        def get(field: str, row: list[object] = row) -> object:
            c = col.get(field)
            return row[c] if c is not None and c < len(row) else ""

        name = cell_text(get("file"))
        if not name:
            continue
        entries.append(SidecarEntry(
            file=name, record_code=cell_text(get("record_code")),
            title=unicodedata.normalize("NFC", cell_text(get("title"))),
            pages=parse_count(get("pages")), year=parse_years(get("year"))[0],
            source=f"{source} row {r + 1}",
        ))
    return entries


def _records_from_json(data: object) -> list[dict[str, object]]:
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                return [v for v in value if isinstance(v, dict)]
        return [data]
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def _from_mappings(rows: list[dict[str, object]], source: str) -> list[RawSheet]:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    return [RawSheet(name=source, rows=[keys, *[[row.get(k, "") for k in keys] for row in rows]])]


def read_sidecar(path: Path) -> list[SidecarEntry]:
    """Entries of a sidecar file; [] when the file is not a sidecar (no file-name column)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            sheets = _from_mappings(_records_from_json(data), path.name)
        elif suffix == ".xml":
            root = ET.parse(path).getroot()
            rows = [{child.tag: (child.text or "") for child in element} | dict(element.attrib)
                    for element in root.iter() if len(element) and not len(element[0])]
            sheets = _from_mappings(rows, path.name)
        else:
            sheets = read_sheets(path)
    except (OSError, ValueError, ET.ParseError, InventoryFileError):
        return []
    return [e for sheet in sheets for e in _from_sheet(sheet, path.name)]


class SidecarIndex:
    """Look up a scan's sidecar entry by its file name."""

    def __init__(self, entries: list[SidecarEntry]):
        self._by_name: dict[str, SidecarEntry] = {}
        for entry in entries:
            self._by_name.setdefault(_key(entry.file), entry)
            self._by_name.setdefault(fold(_key(entry.file)), entry)

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, relpath: str) -> SidecarEntry | None:
        key = _key(relpath)
        return self._by_name.get(key) or self._by_name.get(fold(key))
