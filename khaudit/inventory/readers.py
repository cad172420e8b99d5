"""Readers: turn an inventory file into raw grids, one per sheet, exactly as typed.

A registry by file suffix (papermill's habit for I/O handlers): a reader returns every cell with
its 1-based spreadsheet row, so provenance survives all later steps. Merged ranges are filled
with their top-left value, which is how a person reads them (a box number merged down over its
files belongs to each of them).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InventoryFileError
from ..i18n import t
from .archive import check_xlsx_extent, check_zip
from .biff import check_xls_extent
from .hidden import hidden_cells
from .limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_JSON_DEPTH,
    MAX_ROWS,
    MAX_TEXT_BYTES,
    MAX_WORKBOOK_BYTES,
)
from .textfile import decode_text_file, drop_nul, looks_binary


@dataclass
class RawSheet:
    """One sheet as typed. ``rows[0]`` is spreadsheet row 1."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    byte_encoding: str = ""  # for text files: the encoding the bytes were decoded with
    hidden_rows: set[int] = field(default_factory=set)  # 0-based, as rows[]
    hidden_columns: set[int] = field(default_factory=set)
    nul_rows: list[int] = field(default_factory=list)  # 1-based: rows that held a NUL byte
    #: (row 1-based, column 0-based, characters) of cells over Excel's limit, read as empty,
    #: and of cells of exactly the limit, read as they are: what a program that saves a
    #: spreadsheet (Excel, LibreOffice, openpyxl) leaves of a longer text it cut
    long_cells: list[tuple[int, int, int]] = field(default_factory=list)


def _cell_typed(rows: list[list[Any]], r: int, c: int) -> bool:
    return c < len(rows[r]) and rows[r][c] not in ("", None)


def _fill_merged(
    rows: list[list[Any]], merged: list[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """Give each cell of a merged range the range's value, within the sheet's used area.

    A range reaching past the used area (a crafted A1:XFD1048576) is cut to it, so it cannot
    widen every row to 16,384 cells; a range over cells that hold values of their own is
    no merge a spreadsheet would have saved (merging keeps one value), so those values are
    kept as typed and the range is dropped. Returns the ranges kept, cut to the used area.
    """
    kept = []
    width = max((len(row) for row in rows), default=0)
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows) or c0 >= width:
            continue
        r1, c1 = min(r1, len(rows) - 1), min(c1, width - 1)
        area = ((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        if any(_cell_typed(rows, r, c) for r, c in area if (r, c) != (r0, c0)):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, r1 + 1):
            rows[r].extend([""] * (c1 + 1 - len(rows[r])))
            for c in range(c0, c1 + 1):
                rows[r][c] = value
        kept.append((r0, c0, r1, c1))
    return kept


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index (0 -> A, 16383 -> XFD)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_QUIET = getattr(os, "O_NOATIME", 0) | getattr(os, "O_NONBLOCK", 0)


def _open_quietly(path: Path) -> int:
    """A read-only descriptor that leaves the file's access time as it was where the system
    allows (O_NOATIME needs the file's owner), and never blocks on a pipe."""
    try:
        return os.open(path, os.O_RDONLY | _QUIET)
    except PermissionError:
        if not _QUIET & getattr(os, "O_NOATIME", 0):
            raise
        return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))


def read_quietly(path: Path, limit: int) -> bytes:
    """A regular file's bytes, refused beyond ``limit``, read without touching its access
    time: reading an office's inventory leaves no trace on it."""
    try:
        with os.fdopen(_open_quietly(path), "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InventoryFileError(str(path), t("err.inventory.not_regular"))
            if info.st_size > limit:
                raise InventoryFileError(
                    str(path),
                    t("err.inventory.too_large", size=info.st_size, limit=limit),
                    t("err.inventory.too_large_hint"),
                )
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InventoryFileError(
            str(path), t("err.inventory.read", error=exc.strerror or exc)
        ) from exc
    if len(data) > limit:  # grew while read
        raise InventoryFileError(
            str(path),
            t("err.inventory.too_large", size=len(data), limit=limit),
            t("err.inventory.too_large_hint"),
        )
    return data


def sha256_quietly(path: Path, limit: int | None = None) -> str:
    """SHA-256 of a file, read without touching its access time; "" for a file over ``limit``
    bytes, one khaudit refuses to read (a 10 GB sparse file named as an inventory took
    minutes to hash, for a file only its size had already refused)."""
    h = hashlib.sha256()
    with os.fdopen(_open_quietly(path), "rb") as fh:
        if limit is not None and os.fstat(fh.fileno()).st_size > limit:
            return ""
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def check_cells(path: Path, sheet: str, rows: list[list[Any]]) -> list[tuple[int, int, int]]:
    """Refuse a sheet with more rows, or a row with more cells, than a spreadsheet holds,
    naming the place; a cell longer than Excel's limit is emptied and returned (row, column,
    length) so its row is named and the rest of the sheet read, and a cell of exactly the
    limit is returned as it is (it was most likely cut when it was saved)."""
    if len(rows) > MAX_ROWS:
        raise InventoryFileError(
            str(path),
            t("err.inventory.too_many_rows", limit=MAX_ROWS),
            t("err.inventory.split_hint"),
            sheet=sheet,
            row=MAX_ROWS + 1,
        )
    long: list[tuple[int, int, int]] = []
    for r, row in enumerate(rows, 1):
        long += _check_row(path, sheet, r, row)
    return long


def _check_row(path: Path, sheet: str, r: int, row: list[Any]) -> list[tuple[int, int, int]]:
    """The row's cells over Excel's limit, emptied in place, and those of exactly the limit,
    kept; a row wider than a sheet is refused (it could be millions of cells)."""
    if len(row) > MAX_COLUMNS:
        raise InventoryFileError(
            str(path),
            t("err.inventory.too_wide", width=len(row), limit=MAX_COLUMNS),
            t("err.inventory.split_hint"),
            sheet=sheet,
            row=r,
            column=column_letter(MAX_COLUMNS),
        )
    long = []
    for c, value in enumerate(row):
        if isinstance(value, str) and len(value) >= MAX_CELL_CHARS:
            long.append((r, c, len(value)))
            if len(value) > MAX_CELL_CHARS:
                row[c] = ""
    return long


def _calamine_error(path: Path, exc: BaseException, sheet: str) -> BaseException:
    """calamine's failure on a damaged file as a located error. A Rust panic reaches Python
    as a BaseException (pyo3's PanicException), so it is caught by name; an interrupt or an
    exit passes through untouched."""
    if isinstance(exc, InventoryFileError):
        return exc
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        return exc
    return InventoryFileError(
        str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint"), sheet=sheet
    )


def _check_area(path: Path, sheet: str, height: int, width: int, before: int) -> int:
    """The cells of a sheet's used area, refused past a sheet's caps or when the sheets
    read before it (``before`` cells) and it pass the cap together; calamine lays each one
    out whole, and many sheets may name one part."""
    if width > MAX_COLUMNS or height > MAX_ROWS or height * width > MAX_CELLS:
        raise InventoryFileError(
            str(path),
            t("err.inventory.area", rows=height, columns=width, limit=MAX_CELLS),
            t("err.inventory.split_hint"),
            sheet=sheet,
        )
    if before + height * width > MAX_CELLS:
        raise InventoryFileError(
            str(path),
            t("err.inventory.book_area", cells=before + height * width, limit=MAX_CELLS),
            t("err.inventory.split_hint"),
            sheet=sheet,
        )
    return height * width


def read_excel(path: Path) -> list[RawSheet]:
    """xlsx, xlsm, xls and ods through calamine (fast, one engine for every spreadsheet format).

    The file's size, its zip members (for xlsx and ods) and each sheet's used area are checked
    against :mod:`.limits` before anything is unpacked into memory.
    """
    import python_calamine

    data = read_quietly(path, MAX_WORKBOOK_BYTES)
    from .markup import is_markup, read_markup  # markup.py builds on this module

    if is_markup(data):  # an HTML table or an XML Spreadsheet 2003 saved as .xls
        return read_markup(path, data)
    if zipfile.is_zipfile(io.BytesIO(data)):
        check_zip(path, data)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            check_xlsx_extent(path, data)
    else:
        check_xls_extent(path, data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine raises its own error types for each format
        if isinstance(_calamine_error(path, exc, ""), InventoryFileError):
            workbook = None  # some workbooks calamine only recognises by their file name
        else:
            raise
    if workbook is None:
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        except BaseException as exc:
            raise _calamine_error(path, exc, "") from exc
    hidden = hidden_cells(path, data)
    shown = {m.name: str(m.visible).endswith("Visible") for m in workbook.sheets_metadata}
    sheets = []
    cells = 0  # of every sheet so far: forty sheets naming one part of 20,000,000 cells
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            cells += _check_area(path, name, sheet.total_height, sheet.total_width, cells)
            rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except BaseException as exc:  # a damaged sheet part: calamine's own error types
            raise _calamine_error(path, exc, name) from exc
        long_cells = check_cells(path, name, rows)
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        merged = _fill_merged(rows, merged)
        rows_hidden, columns_hidden = hidden.get(name, (set(), set()))
        if not shown.get(name, True):  # a hidden sheet: every row of it is out of sight
            rows_hidden = set(range(len(rows)))
        sheets.append(
            RawSheet(
                name=name,
                rows=rows,
                merged=merged,
                hidden_rows=rows_hidden,
                hidden_columns=columns_hidden,
                long_cells=long_cells,
            )
        )
    return sheets


def read_text(path: Path) -> tuple[str, str, list[int]]:
    """A text file's contents, the encoding they were decoded with and the lines that held a
    stray NUL byte (dropped), size-capped."""
    data = read_quietly(path, MAX_TEXT_BYTES)
    if looks_binary(data):
        raise InventoryFileError(
            str(path), t("err.inventory.binary"), t("err.inventory.binary_hint")
        )
    data, nul_lines = drop_nul(data)
    try:
        text, encoding = decode_text_file(data)
    except UnicodeDecodeError as exc:  # a UTF-16 BOM on bytes that are not UTF-16
        raise InventoryFileError(
            str(path), t("err.inventory.read", error=exc), t("err.inventory.binary_hint")
        ) from exc
    return text, encoding, nul_lines


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """The csv module refuses fields over 128 KB with an error that names no place; lift that
    limit while a file is read (its size is capped) so the cell can be located instead."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _check_line_widths(path: Path, text: str, delimiter: str) -> None:
    """Refuse a line of more cells than a spreadsheet has columns before the csv module
    parses it: a crafted row of millions of cells takes seconds to split, its first
    16,385 cells a millisecond. Only a line with that many delimiters is looked at."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.count(delimiter) < MAX_COLUMNS:
            continue
        cut = -1
        for _ in range(MAX_COLUMNS + 1):
            cut = line.find(delimiter, cut + 1)
        with _field_limit(len(line) + 1):
            try:
                cells = next(csv.reader([line[:cut]], delimiter=delimiter), [])
            except csv.Error:
                continue  # the full parse names it
        if len(cells) > MAX_COLUMNS:  # quoted delimiters are text, so count only without
            width = line.count(delimiter) + 1 if '"' not in line else len(cells)
            raise InventoryFileError(
                str(path),
                t("err.inventory.too_wide", width=width, limit=MAX_COLUMNS),
                t("err.inventory.split_hint"),
                row=number,
                column=column_letter(MAX_COLUMNS),
            )


def _too_many_cells(path: Path, cells: int, row: int) -> InventoryFileError:
    return InventoryFileError(
        str(path),
        t("err.inventory.area", rows=row, columns=cells // max(row, 1), limit=MAX_CELLS),
        t("err.inventory.split_hint"),
        row=row,
    )


#: A quoted field's text; a doubled quote inside it splits it into two matches, both dropped.
_QUOTED = re.compile(r'"[^"]*"')


def _check_cell_count(path: Path, text: str, delimiter: str) -> None:
    """Refuse a text of more cells than a sheet may hold before the csv module parses it:
    rows of thousands of empty cells each stay under the row and width caps yet make
    hundreds of millions of cells. Quoted text (delimiters and line breaks inside it are
    text) is left out of the count, which is then exact for a well-formed file."""
    bare = _QUOTED.sub("", text) if '"' in text else text
    lines = bare.count("\n") + 1
    cells = bare.count(delimiter) + lines
    if cells > MAX_CELLS:
        raise _too_many_cells(path, cells, lines)


def parse_csv(
    path: Path, text: str, delimiter: str, long_cells: list[tuple[int, int, int]] | None = None
) -> list[list[object]]:
    """Rows of a delimited text, each checked as it is read, so a hostile row stops early;
    cells over Excel's limit are emptied and added to ``long_cells`` (line, column, length),
    as are, kept, those of exactly the limit."""
    _check_line_widths(path, text, delimiter)
    _check_cell_count(path, text, delimiter)
    rows: list[list[object]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    with _field_limit(max(MAX_CELL_CHARS + 1, len(text) + 1)):
        try:
            for row in reader:
                if len(rows) >= MAX_ROWS:
                    raise InventoryFileError(
                        str(path),
                        t("err.inventory.too_many_rows", limit=MAX_ROWS),
                        t("err.inventory.split_hint"),
                        row=reader.line_num,
                    )
                long = _check_row(path, "", reader.line_num, row)
                if long and long_cells is not None:
                    long_cells += long
                cells += len(row)
                if cells > MAX_CELLS:
                    raise _too_many_cells(path, cells, reader.line_num)
                rows.append(list(row))
        except csv.Error as exc:
            raise InventoryFileError(
                str(path),
                t("err.inventory.read", error=exc),
                t("err.inventory.csv_hint"),
                row=reader.line_num,
            ) from exc
    return rows


def read_csv(path: Path) -> list[RawSheet]:
    """csv/tsv/txt with any common delimiter and encoding."""
    text, encoding, nul_lines = read_text(path)
    delimiter = sniff_delimiter(text)
    long_cells: list[tuple[int, int, int]] = []
    rows = parse_csv(path, text, delimiter, long_cells)
    return [
        RawSheet(
            name="",
            rows=rows,
            byte_encoding=encoding,
            nul_rows=nul_lines,
            long_cells=long_cells,
        )
    ]


def sniff_delimiter(text: str, candidates: str = ",;\t|") -> str:
    """The delimiter that splits the first lines into the most consistent number of columns.

    csv.Sniffer is easily fooled by commas inside Vietnamese titles ("thửa 12, tờ 4"); what
    real inventories share is a constant column count, so that is what decides here.
    """
    sample = text[:50000].splitlines()[:60]
    best = (0.0, 0, ",")
    for delimiter in candidates:
        try:
            with _field_limit(len(text) + 1):
                counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode, delimiter)
        if score[:2] > best[:2]:
            best = score
    return best[2]


def _read_docx(path: Path) -> list[RawSheet]:
    """Word's tables (word.py, which builds on this module)."""
    from .word import read_docx

    return read_docx(path)


READERS: dict[str, Callable[[Path], list[RawSheet]]] = {
    ".xlsx": read_excel,
    ".xlsm": read_excel,
    ".xls": read_excel,
    ".ods": read_excel,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".txt": read_csv,
    ".docx": _read_docx,
}


def read_sheets(path: Path) -> list[RawSheet]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InventoryFileError(
            str(path),
            t("err.inventory.format", suffix=path.suffix),
            t("err.inventory.format_hint"),
        )
    if not path.is_file():  # a pipe or a device exists, but reading it would hang or not end
        missing = not path.exists()
        raise InventoryFileError(
            str(path), t("err.inventory.not_found" if missing else "err.inventory.not_regular")
        )
    try:
        return reader(path)
    except InventoryFileError:
        raise
    except (
        OSError,
        ValueError,
        EOFError,
        zipfile.BadZipFile,
        RecursionError,
        MemoryError,
    ) as exc:  # a reader's own failure on a damaged file, never a traceback
        raise InventoryFileError(
            str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint")
        ) from exc


def _depth_over(data: object, limit: int) -> bool:
    """Whether JSON ``data`` nests deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values() if isinstance(v, dict | list)]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value if isinstance(v, dict | list)]
    return False


def read_json(path: Path) -> object:
    """A JSON file (a sidecar), size- and depth-capped; a damaged file raises a located error."""
    try:
        text = read_quietly(path, MAX_TEXT_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InventoryFileError(
            str(path), t("err.inventory.read", error=exc), t("err.sidecar.json_hint")
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InventoryFileError(
            str(path),
            t("err.sidecar.at", line=exc.lineno, column=exc.colno, error=exc.msg),
            t("err.sidecar.json_hint"),
        ) from exc
    except RecursionError:  # deeper than the interpreter's own limit
        too_deep = True
    else:
        too_deep = _depth_over(data, MAX_JSON_DEPTH)
    if too_deep:
        raise InventoryFileError(
            str(path), t("err.sidecar.depth", limit=MAX_JSON_DEPTH), t("err.sidecar.json_hint")
        )
    return data


def read_xml(path: Path) -> ET.Element:
    """The root of an XML file (a sidecar), size-capped and read without touching its access
    time; a damaged file raises ET.ParseError with its line and column."""
    return ET.fromstring(read_quietly(path, MAX_TEXT_BYTES))


def unreadable_text(path: Path, exc: BaseException) -> str:
    """One line saying where a sidecar could not be read, why, and what to do."""
    if isinstance(exc, InventoryFileError):
        return str(exc)
    if isinstance(exc, ET.ParseError):
        line, column = getattr(exc, "position", (0, 0))
        return str(
            InventoryFileError(
                str(path),
                t("err.sidecar.at", line=line, column=column, error=exc),
                t("err.sidecar.xml_hint"),
            )
        )
    if isinstance(exc, RecursionError):
        return str(
            InventoryFileError(
                str(path), t("err.sidecar.depth", limit=MAX_JSON_DEPTH), t("err.sidecar.xml_hint")
            )
        )
    error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return str(
        InventoryFileError(
            str(path), t("err.inventory.read", error=error), t("err.inventory.open_hint")
        )
    )
