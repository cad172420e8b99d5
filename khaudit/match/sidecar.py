"""Sidecar metadata files exported by scanning software: file name -> code, title, year, pages.

A sidecar is a CSV, XLSX, JSON or XML file, in a scan root or named in the project file, whose
columns include a file name. Field names follow Circular 05/2025/TT-BNV where tools use them
(mã hồ sơ, tiêu đề hồ sơ, số lượng trang, mã hồ sơ gốc giấy...). Anything else in a root with
those suffixes is not a sidecar and is left for the inspector (ignored_files.csv).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InventoryFileError
from ..i18n import t
from ..inventory.limits import MAX_CELL_CHARS
from ..inventory.loader import find_header
from ..inventory.readers import (
    RawSheet,
    check_cells,
    column_letter,
    read_json,
    read_sheets,
    read_xml,
    unreadable_text,
)
from ..inventory.values import cell_text, parse_count, parse_years
from ..textnorm import fold
from .evidence import has_code_shape

SIDECAR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "file": (
        "ten tep",
        "ten tep tin",
        "tep tin",
        "ten file",
        "file name",
        "filename",
        "file",
        "duong dan",
        "path",
        "tep",
        "ten anh",
        "image",
        "scan",
        "ten ban quet",
    ),
    "record_code": (
        "ma ho so goc giay",
        "ma ho so",
        "so ky hieu ho so",
        "record code",
        "code",
        "ma hs",
    ),
    "title": (
        "tieu de ho so",
        "tieu de",
        "title",
        "ten ho so",
        "trich yeu",
        "noi dung",
        "mo ta",
        "description",
        "desc",
        "subject",
    ),
    "pages": (
        "so luong trang",
        "so trang",
        "pages",
        "page count",
        "sl trang",
        "trang",
        "so anh",
        "so to",
    ),
    "year": ("thoi gian bat dau", "nam", "year", "thoi gian"),
    # A one-stop shop's scanning log names the record by whose it is and what was asked:
    # together they are the title an operator would have typed.
    "procedure": ("thu tuc", "ten thu tuc", "thu tuc hanh chinh", "loai ho so", "procedure"),
    "owner": (
        "chu ho so",
        "ten chu ho so",
        "nguoi nop",
        "nguoi nop ho so",
        "nguoi de nghi",
        "cong dan",
        "ho ten",
        "ho va ten",
        "owner",
        "applicant",
    ),
}


@dataclass(frozen=True)
class SidecarEntry:
    file: str  # as written in the sidecar
    record_code: str
    title: str
    pages: int | None
    year: int | None
    source: str  # "metadata.csv row 12"
    #: Every other column holding a whole number, by its heading (folded): the readings a
    #: project's conventions are learned from, whatever the scanning tool called them.
    numbers: dict[str, int] = field(default_factory=dict)
    #: The folder of the list under its scan root ("" for the project's own list): a name
    #: two lists hold ("001.pdf" in each lot's list) is read from the list beside the scan.
    folder: str = ""


def _key(name: str) -> str:
    """Sidecar rows name a file by base name or path, in any case and normal form."""
    return unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1]).lower()


_FILE_NAME = re.compile(r"\.(pdf|tiff?|jpe?g|png|jp2|bmp|gif)$", re.IGNORECASE)
_WHOLE = re.compile(r"^\d{1,9}$")
#: A column is read as a field by its content when at least this share of its cells fit.
CONTENT_SHARE = 0.8


def _column(rows: list[list[object]], c: int) -> list[str]:
    return [cell_text(row[c]) if c < len(row) else "" for row in rows]


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    filled = [v for v in values if v]
    return sum(map(test, filled)) / len(filled) if filled else 0.0


def _is_year(text: str) -> bool:
    years = parse_years(text)
    return years[0] is not None and 1900 <= years[0] <= 2100 and len(text) <= 25


def _is_title(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 12 and len(text.split()) >= 3


def _by_content(rows: list[list[object]], known: dict[str, int], width: int) -> dict[str, int]:
    """Fields the headings did not name, found from what the columns hold: file names (a scan
    extension), the operator's title (the column of longest text), record codes (written
    as codes are: "MHS", "Số KH" are headings no list holds), a year."""
    found = dict(known)
    free = [c for c in range(width) if c not in found.values()]
    columns = {c: _column(rows, c) for c in free}
    if "file" not in found:
        names = [
            c
            for c in free
            if _share(columns[c], lambda v: bool(_FILE_NAME.search(v))) >= CONTENT_SHARE
        ]
        if names:
            found["file"] = names[0]
    if "title" not in found:
        titles = [
            (sum(len(v) for v in columns[c]), c)
            for c in free
            if c != found.get("file") and _share(columns[c], _is_title) >= CONTENT_SHARE
        ]
        if titles:
            found["title"] = max(titles)[1]
    if "record_code" not in found:
        codes = [
            c
            for c in free
            if c not in found.values()
            and _share(columns[c], lambda v: has_code_shape(v) and not _FILE_NAME.search(v))
            >= CONTENT_SHARE
        ]
        if codes:
            found["record_code"] = codes[0]
    if "year" not in found:
        years = [
            c
            for c in free
            if c not in found.values() and _share(columns[c], _is_year) >= CONTENT_SHARE
        ]
        if years:
            found["year"] = years[0]
    return found


def _header_row(sheet: RawSheet) -> int:
    """Without a heading khaudit knows: the first row of two or more cells that the rows
    under it do not resemble (a row of headings), else -1 (no header)."""
    for r, row in enumerate(sheet.rows[:20]):
        cells = [cell_text(v) for v in row]
        if sum(bool(c) for c in cells) >= 2:
            names = [c for c in cells if _FILE_NAME.search(c)]
            return -1 if names else r
    return -1


def _headings(sheet: RawSheet) -> tuple[int, list[str], dict[str, int]]:
    """The header row's index (-1 for none), its headings and the fields they name."""
    header = find_header(sheet, synonyms=SIDECAR_SYNONYMS, required=())
    if header is not None and any(
        _FILE_NAME.search(cell_text(v)) for v in sheet.rows[header.row_index]
    ):
        # A row naming a scan is a row of data, whatever words of its cells ("… Trần Văn
        # Nam", a title) a heading list holds: the headings are above it.
        header = None
    if header is not None and header.mapping:
        return header.row_index, header.headings, {f: c for c, f in header.mapping.items()}
    top = _header_row(sheet)
    return top, [cell_text(v) for v in sheet.rows[top]] if top >= 0 else [], {}


def _from_sheet(sheet: RawSheet, source: str, own: str = "") -> list[SidecarEntry]:
    """The entries of one sheet; a sheet of one row naming no file describes the scan of its
    own name (``own``: "EDOC-2022-3019046.json" beside "EDOC-2022-3019046.pdf")."""
    top, headings, col = _headings(sheet)
    body = sheet.rows[top + 1 :]
    width = max((len(r) for r in body), default=0)
    col = _by_content(body, col, width)
    rows = [row for row in body if any(cell_text(v) for v in row)]
    if "file" not in col and own and len(rows) == 1:
        body, col["file"] = [[*rows[0], own]], width
        width += 1
    if "file" not in col:
        return []
    mapped = set(col.values())
    whole = [
        c
        for c in range(width)
        if c not in mapped
        and _share(_column(body, c), lambda v: bool(_WHOLE.match(v))) >= CONTENT_SHARE
    ]
    number_columns = {
        c: fold(headings[c]) if c < len(headings) and headings[c] else f"col{c + 1}" for c in whole
    }
    entries = []
    for r, row in enumerate(body, top + 2):

        def get(field: str, row: list[object] = row) -> object:
            c = col.get(field)
            return row[c] if c is not None and c < len(row) else ""

        name = cell_text(get("file"))
        if not name:
            continue
        numbers = {
            heading: int(text)
            for c, heading in number_columns.items()
            if c < len(row) and _WHOLE.match(text := cell_text(row[c]))
        }
        entries.append(
            SidecarEntry(
                file=name,
                record_code=cell_text(get("record_code")),
                title=unicodedata.normalize("NFC", cell_text(get("title")) or _asked(get)),
                pages=parse_count(get("pages")),
                year=parse_years(get("year"))[0],
                source=f"{source} row {r}",
                numbers=numbers,
            )
        )
    return entries


def _asked(get: Callable[[str], object]) -> str:
    """What a log row says was asked and by whom ("xin phep XD Nguyễn Ngọc My"), as a title."""
    return " ".join(t for f in ("procedure", "owner") if (t := cell_text(get(f))))


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _records_from_json(data: object) -> list[dict[str, object]]:
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), dict):
        return _records_from_json(next(iter(data.values())))  # {"hoSo": {...}}
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                return [v for v in value if isinstance(v, dict)]
        return [data]
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def _from_mappings(path: Path, rows: Sequence[Mapping[str, object]]) -> list[RawSheet]:
    """JSON or XML records as one sheet, checked as a spreadsheet's cells are."""
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    # "soLuongTrang", "so_luong_trang": the words of Circular 05's field names apart.
    headings: list[object] = [_CAMEL.sub(" ", k).replace("_", " ") for k in keys]
    table: list[list[object]] = [headings, *[[row.get(k, "") for k in keys] for row in rows]]
    return [RawSheet(name="", rows=table, long_cells=check_cells(path, "", table))]


def _long_cell_notes(path: Path, sheets: list[RawSheet], lang: str | None) -> list[str]:
    """Where a cell over Excel's limit was read as empty: the entry of that row lost the
    field (a title, a code) it would have had, so the user is told which one."""
    notes = []
    for sheet in sheets:
        for row, column, length in sheet.long_cells:
            if length > MAX_CELL_CHARS:
                where = [path.name, t("issue.row", lang, row=row)]
                where[1:1] = [t("issue.sheet", lang, sheet=sheet.name)] if sheet.name else []
                where.append(t("issue.column", lang, column=column_letter(column)))
                notes.append(t("ignored.long_cell", lang, where=", ".join(where), length=length))
    return notes


def read_sidecar(
    path: Path,
    problems: list[str] | None = None,
    notes: list[str] | None = None,
    lang: str | None = None,
) -> list[SidecarEntry]:
    """Entries of a sidecar file; [] when the file is not a sidecar (no file-name column).

    A file that cannot be read (damaged, too large, nested too deep) also gives [], and the
    reason, located (line and column, or sheet, row and cell), is appended to ``problems``.
    A cell over Excel's limit is read as empty and the rest read; where it was is appended
    to ``notes``, in ``lang``.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            sheets = _from_mappings(path, _records_from_json(read_json(path)))
        elif suffix == ".xml":
            root = read_xml(path)
            rows = [
                {child.tag: (child.text or "") for child in element} | dict(element.attrib)
                for element in root.iter()
                if len(element) and not len(element[0])
            ]
            sheets = _from_mappings(path, rows)
        else:
            sheets = read_sheets(path)
        entries = [e for sheet in sheets for e in _from_sheet(sheet, path.name, path.stem)]
        if notes is not None and entries:
            notes += _long_cell_notes(path, sheets, lang)
        return entries
    except (OSError, ValueError, ET.ParseError, InventoryFileError, RecursionError) as exc:
        if problems is not None:
            problems.append(unreadable_text(path, exc))
        return []


class SidecarIndex:
    """Look up a scan's sidecar entry by its file name."""

    def __init__(self, entries: list[SidecarEntry]):
        self._by_name: dict[str, list[SidecarEntry]] = defaultdict(list)
        #: Entries by the first six characters of the name a DOS short alias keeps.
        self._by_alias: dict[str, list[SidecarEntry]] = defaultdict(list)
        for entry in entries:
            for name in dict.fromkeys((_key(entry.file), fold(_key(entry.file)))):
                self._by_name[name].append(entry)
            self._by_alias[_alias_prefix(_key(entry.file))].append(entry)

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, relpath: str) -> SidecarEntry | None:
        """The entry naming ``relpath``'s file, with its extension or without it (a
        station's list names "DSC_00001" for "DSC_00001.pdf"), from the list in the scan's
        folder or the nearest one above it; from another folder's list only when no other
        list names the file."""
        key = _key(relpath)
        bare = _FILE_NAME.sub("", key)
        for name in (key, fold(key), bare, fold(bare)):
            if found := self._by_name.get(name):
                return _nearest(found, relpath)
        if m := _SHORT_ALIAS.match(bare):
            # "289BEC~1.PDF": the copy's DOS alias of a long name the list writes whole.
            same = [e for e in self._by_alias.get(m.group(1), []) if _is_alias_of(e, bare)]
            if len(same) == 1:
                return same[0]
        return None


#: A DOS 8.3 short name's stem: six characters of the long name, "~" and a number.
_SHORT_ALIAS = re.compile(r"^([^~]{1,6})~(\d)$")


def _alias_prefix(name: str) -> str:
    """The first six characters a short alias keeps of a long name: no spaces or dots."""
    stem = _FILE_NAME.sub("", name)
    return re.sub(r"[\s.]", "", stem)[:6]


def _is_alias_of(entry: SidecarEntry, alias: str) -> bool:
    """Whether ``alias`` ("289bec~1") is what DOS calls ``entry``'s long name (longer than
    eight characters or not a plain name: else DOS keeps the name itself)."""
    stem = _FILE_NAME.sub("", _key(entry.file))
    return len(stem) > 8 and _alias_prefix(stem) == alias.split("~", 1)[0]


def _nearest(entries: list[SidecarEntry], relpath: str) -> SidecarEntry | None:
    folder = posixpath.dirname(relpath)
    above = [
        e
        for e in entries
        if not e.folder or folder == e.folder or folder.startswith(e.folder + "/")
    ]
    if not above:
        return entries[0] if len(entries) == 1 else None
    depth = max(len(e.folder) for e in above)
    nearest = [e for e in above if len(e.folder) == depth]
    return nearest[0] if len(nearest) == 1 else _of_folder(nearest, folder)


_FOLDER_NUMBER = re.compile(r"\d+")


def _of_folder(entries: list[SidecarEntry], folder: str) -> SidecarEntry | None:
    """Of the rows of one list naming the same file ("001.pdf" once per lot), the one that
    names the scan's folder: its path written out ("D:\\Scan\\Lo 2\\001.pdf"), or a
    column holding the folder's number ("Đợt" 2 for "Lo 2/001.pdf"). None while two rows
    still fit: a wrong row's title would link the wrong record."""
    parent = fold(unicodedata.normalize("NFC", posixpath.basename(folder)))
    written = [
        e
        for e in entries
        if "/" in (path := e.file.replace("\\", "/"))
        and fold(unicodedata.normalize("NFC", posixpath.basename(posixpath.dirname(path))))
        == parent
    ]
    if len(written) == 1:
        return written[0]
    numbers = {int(n) for part in folder.split("/") for n in _FOLDER_NUMBER.findall(part)}
    chosen = {
        id(fits[0]): fits[0]
        for heading in {h for e in entries for h in e.numbers}
        if len(fits := [e for e in entries if e.numbers.get(heading) in numbers]) == 1
    }
    return next(iter(chosen.values())) if len(chosen) == 1 else None
