"""Spreadsheets that are markup: what web applications and old .NET tools save as ".xls".

Archive and one-stop-shop software very often "exports to Excel" by writing an HTML table, or
Excel 2003's XML Spreadsheet (SpreadsheetML), into a file named ``.xls``. Excel opens both
(after a warning nobody reads), so offices send them as their mục lục; a spreadsheet reader
refuses them, and the whole locality would be lost. Each HTML ``<table>`` (nested ones too, in
reading order) becomes a sheet named "Bảng N"; each SpreadsheetML ``Worksheet`` a sheet of its
own name. Cells spanning rows or columns (``rowspan``/``colspan``, ``ss:MergeDown``/
``ss:MergeAcross``) are filled, as merged ranges are; hidden rows (``ss:Hidden``) are flagged.
The bytes are decoded as text files are (a byte-order mark, UTF-8, else a legacy encoding,
converted cell by cell later); the caps of :mod:`.limits` hold for the cells of every table.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import InventoryFileError
from ..i18n import t
from .limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from .readers import RawSheet, check_cells
from .textfile import decode_text_file
from .word import TABLE_NAME  # an HTML table is named as a Word table is: "Bảng N"

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def is_markup(data: bytes) -> bool:
    """Whether a file's bytes are text markup (HTML or XML), not a zip or an OLE file."""
    head = data[:512].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return head[:1] == b"<"


def _decode(data: bytes) -> tuple[str, str]:
    """The text (NFC), and the encoding it was read in: a ``<meta charset>`` Python knows
    wins (Windows-1258 writes tone marks apart: they are composed)."""
    found = _CHARSET.search(data[:4096])
    if found:
        name = found.group(1).decode("ascii").lower()
        try:
            return unicodedata.normalize("NFC", data.decode(name)), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text_file(data)


class _Grid:
    """A table being built: cells placed around the spans of the rows above."""

    def __init__(self, path: Path, name: str, budget: list[int]) -> None:
        self.path, self.name, self.budget = path, name, budget
        self.rows: list[list[Any]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self.hidden: set[int] = set()
        self.taken: dict[tuple[int, int], Any] = {}  # cells a span from above fills

    def new_row(self, hidden: bool = False) -> None:
        if len(self.rows) >= MAX_ROWS:
            self._refuse(t("err.inventory.too_many_rows", limit=MAX_ROWS))
        self.rows.append([])
        if hidden:
            self.hidden.add(len(self.rows) - 1)

    def put(self, text: str, across: int = 1, down: int = 1, at: int | None = None) -> None:
        """Place a cell in the current row (at column ``at``, else the next free one)."""
        if not self.rows:
            self.new_row()
        r, row = len(self.rows) - 1, self.rows[-1]
        c = len(row) if at is None else at
        while (r, c) in self.taken or c < len(row) and row[c] != "":
            c += 1
        if c + across > MAX_COLUMNS or across < 1 or down < 1:
            self._refuse(t("err.inventory.too_wide", width=c + across, limit=MAX_COLUMNS))
        self.budget[0] -= across * down
        if self.budget[0] < 0:
            self._refuse(t("err.inventory.book_area", cells=MAX_CELLS + 1, limit=MAX_CELLS))
        for dc in range(across):
            for dr in range(1, down):
                self.taken[(r + dr, c + dc)] = text
        row.extend([""] * (c + across - len(row)))
        row[c : c + across] = [text] * across
        if across > 1 or down > 1:
            self.merged.append((r, c, r + down - 1, c + across - 1))

    def end_row(self) -> None:
        """Fill the cells of the current row that spans from above cover."""
        r, row = len(self.rows) - 1, self.rows[-1]
        for (tr, tc), text in [k for k in self.taken.items() if k[0][0] == r]:
            row.extend([""] * (tc + 1 - len(row)))
            row[tc] = text
            del self.taken[(tr, tc)]

    def _refuse(self, message: str) -> None:
        raise InventoryFileError(
            str(self.path), message, t("err.inventory.split_hint"), sheet=self.name
        )

    def sheet(self, encoding: str) -> RawSheet:
        long_cells = check_cells(self.path, self.name, self.rows)
        return RawSheet(
            name=self.name,
            rows=self.rows,
            merged=self.merged,
            byte_encoding=encoding,
            hidden_rows=self.hidden,
            long_cells=long_cells,
        )


def _span(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


class _Tables(HTMLParser):
    """Every <table> of a page as a grid, nested tables each their own. Closing tags that
    HTML lets a page leave out (``</td>``, ``</tr>``) are implied, as browsers imply them."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path, self.budget = path, [MAX_CELLS]
        self.done: list[_Grid] = []
        self.open: list[_Grid] = []  # the tables being read, innermost last
        self.cell: list[list[str] | None] = []  # the open cell's text in each open table
        self.spans: list[tuple[int, int]] = []  # the open cell's colspan, rowspan
        self.in_row: list[bool] = []
        self.count = 0

    def _close_cell(self) -> None:
        parts = self.cell[-1]
        if parts is not None:
            lines = "".join(parts).split("\n")
            self.open[-1].put("\n".join(x.strip() for x in lines).strip(), *self.spans[-1])
            self.cell[-1] = None

    def _close_row(self) -> None:
        self._close_cell()
        if self.in_row[-1]:
            self.open[-1].end_row()
            self.in_row[-1] = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.count += 1
            self.open.append(_Grid(self.path, TABLE_NAME.format(n=self.count), self.budget))
            self.cell.append(None)
            self.spans.append((1, 1))
            self.in_row.append(False)
        elif self.open and tag == "tr":
            self._close_row()
            self.open[-1].new_row()
            self.in_row[-1] = True
        elif self.open and tag in ("td", "th"):
            self._close_cell()
            if not self.in_row[-1]:
                self.open[-1].new_row()
                self.in_row[-1] = True
            got = dict(attrs)
            self.cell[-1] = []
            self.spans[-1] = (_span(got.get("colspan")), _span(got.get("rowspan")))
        elif self.open and tag == "br" and self.cell[-1] is not None:
            self.cell[-1].append("\n")

    def handle_data(self, data: str) -> None:
        if self.open and (parts := self.cell[-1]) is not None:
            parts.append(re.sub(r"\s+", " ", data))

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table":
            self._close_row()
            self.done.append(self.open.pop())
            for stack in (self.cell, self.spans, self.in_row):
                stack.pop()


def _html(path: Path, text: str, encoding: str) -> list[RawSheet]:
    parser = _Tables(path)
    parser.feed(text)
    parser.close()
    while parser.open:  # a page cut short: its open tables as far as they go
        parser.handle_endtag("table")
    grids = sorted(parser.done, key=lambda g: int(g.name.split()[-1]))
    return [g.sheet(encoding) for g in grids if g.rows]


def _spreadsheetml(path: Path, text: str, encoding: str) -> list[RawSheet]:
    root = ET.fromstring(text)
    budget = [MAX_CELLS]
    sheets = []
    for ws in root.iter(f"{_SS}Worksheet"):
        grid = _Grid(path, ws.get(f"{_SS}Name", ""), budget)
        for row in ws.iter(f"{_SS}Row"):
            while len(grid.rows) < _span(row.get(f"{_SS}Index")) - 1:
                grid.new_row()
            grid.new_row(hidden=row.get(f"{_SS}Hidden") in ("1", "true"))
            for cell in row.findall(f"{_SS}Cell"):
                data = cell.find(f"{_SS}Data")
                text = "".join(data.itertext()).strip() if data is not None else ""
                index = cell.get(f"{_SS}Index")
                grid.put(
                    text,
                    _span(cell.get(f"{_SS}MergeAcross", "0")) + 1,
                    _span(cell.get(f"{_SS}MergeDown", "0")) + 1,
                    _span(index) - 1 if index else None,
                )
            grid.end_row()
        sheets.append(grid.sheet(encoding))
    return sheets


def read_markup(path: Path, data: bytes) -> list[RawSheet]:
    """The sheets of an HTML table export or an XML Spreadsheet 2003 file saved as .xls."""
    text, encoding = _decode(data)
    if "urn:schemas-microsoft-com:office:spreadsheet" in text[:4096]:
        try:
            return _spreadsheetml(path, text, encoding)
        except ET.ParseError as exc:
            raise InventoryFileError(
                str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint")
            ) from exc
    sheets = _html(path, text, encoding)
    if not sheets:  # a page, or XML, that holds no table: nothing to read, and said so
        raise InventoryFileError(
            str(path), t("err.inventory.no_table"), t("err.inventory.format_hint")
        )
    return sheets
