"""Readers: turn an inventory file into raw grids, one per sheet, exactly as typed.

A registry by file suffix (papermill's habit for I/O handlers): a reader returns every cell with
its 1-based spreadsheet row, so provenance survives all later steps. Merged ranges are filled
with their top-left value, which is how a person reads them (a box number merged down over its
files belongs to each of them).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InventoryFileError
from ..i18n import t
from .encodings import decode_cp1258
from .hidden import hidden_cells


@dataclass
class RawSheet:
    """One sheet as typed. ``rows[0]`` is spreadsheet row 1."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    byte_encoding: str = ""  # for text files: the encoding the bytes were decoded with
    hidden_rows: set[int] = field(default_factory=set)  # 0-based, as rows[]
    hidden_columns: set[int] = field(default_factory=set)


def _fill_merged(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows):
            continue
        width = max(c1 + 1, len(rows[r0]))
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            rows[r].extend([""] * (width - len(rows[r])))
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if rows[r][c] in ("", None):
                    rows[r][c] = value


def read_excel(path: Path) -> list[RawSheet]:
    """xlsx, xlsm, xls and ods through calamine (fast, one engine for every spreadsheet format)."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for each format
        raise InventoryFileError(
            str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint"),
        ) from exc
    hidden = hidden_cells(path)
    sheets = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        _fill_merged(rows, merged)
        rows_hidden, columns_hidden = hidden.get(name, (set(), set()))
        sheets.append(RawSheet(name=name, rows=rows, merged=merged, hidden_rows=rows_hidden,
                               hidden_columns=columns_hidden))
    return sheets


def decode_text_file(data: bytes) -> tuple[str, str]:
    """Decode a CSV's bytes: UTF-8 (with or without BOM), UTF-16 by BOM, else Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return decode_cp1258(data), "cp1258"


def read_csv(path: Path) -> list[RawSheet]:
    """csv/tsv/txt with any common delimiter and encoding."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InventoryFileError(str(path), t("err.inventory.read", error=exc.strerror)) from exc
    text, encoding = decode_text_file(data)
    delimiter = sniff_delimiter(text)
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [RawSheet(name="", rows=rows, byte_encoding=encoding)]


def sniff_delimiter(text: str, candidates: str = ",;\t|") -> str:
    """The delimiter that splits the first lines into the most consistent number of columns.

    csv.Sniffer is easily fooled by commas inside Vietnamese titles ("thửa 12, tờ 4"); what
    real inventories share is a constant column count, so that is what decides here.
    """
    sample = text[:50000].splitlines()[:60]
    best = (0.0, 0, ",")
    for delimiter in candidates:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode, delimiter)
        if score[:2] > best[:2]:
            best = score
    return best[2]


READERS: dict[str, Callable[[Path], list[RawSheet]]] = {
    ".xlsx": read_excel,
    ".xlsm": read_excel,
    ".xls": read_excel,
    ".ods": read_excel,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".txt": read_csv,
}


def read_sheets(path: Path) -> list[RawSheet]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InventoryFileError(
            str(path), t("err.inventory.format", suffix=path.suffix),
            t("err.inventory.format_hint"),
        )
    if not path.is_file():
        raise InventoryFileError(str(path), t("err.inventory.not_found"))
    return reader(path)
