"""Word inventories (.docx): each table of the document as one raw grid.

Offices very often type the mục lục in Word: a title block in paragraphs, then a table, or one
table a page, sometimes inside a one-cell frame table. Each table, nested ones included, becomes
a :class:`RawSheet` named "Bảng N" (its place among the document's tables in reading order, a
frame before the table it holds), so a record's provenance is the table and its row
(1-based, as the table's rows count down). Cells merged across columns (``gridSpan``) or down
rows (``vMerge``) are filled with the merge's text, as the spreadsheet readers fill merged
ranges. Tables narrower than three columns are the layout of a heading or signatures, never
an inventory, and are left out.

The file is held to the same caps as a workbook (:mod:`.limits`): its size, its zip members
(a zip bomb is refused before python-docx unpacks anything), and the cells of every table
together; python-docx parses with entities unresolved.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import InventoryFileError
from ..i18n import t
from .archive import check_zip
from .limits import MAX_CELLS, MAX_COLUMNS, MAX_WORKBOOK_BYTES
from .readers import RawSheet, check_cells, read_quietly

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Fewest columns of a table that can be an inventory.
MIN_COLUMNS = 3
#: The name a table takes as a sheet: its number among the document's tables.
TABLE_NAME = "Bảng {n}"


def _attr(element: Any, tag: str) -> str | None:
    """The ``w:val`` of the child ``tag`` of a cell's or row's properties, or None."""
    found = element.find(_W + tag) if element is not None else None
    return None if found is None else str(found.get(_W + "val", ""))


def _cell_text(tc: Any) -> str:
    """The text of one cell: its paragraphs joined by line breaks (nested tables left out)."""
    lines = []
    for p in tc.xpath("./w:p | ./w:sdt/w:sdtContent/w:p"):
        parts = []
        for node in p.iter(_W + "t", _W + "tab", _W + "br"):
            parts.append((node.text or "") if node.tag == _W + "t" else " ")
        lines.append("".join(parts))
    return "\n".join(lines).strip()


def _span(path: Path, name: str, r: int, value: str | None) -> int:
    try:
        span = int(value) if value else 1
    except ValueError:
        span = 1
    if not 1 <= span <= MAX_COLUMNS:
        raise InventoryFileError(
            str(path),
            t("err.inventory.too_wide", width=span, limit=MAX_COLUMNS),
            t("err.inventory.split_hint"),
            sheet=name,
            row=r + 1,
        )
    return span


def _table(path: Path, name: str, tbl: Any, budget: int) -> RawSheet:
    """One table as a grid, merged cells filled; ``budget``: the cells still allowed."""
    rows: list[list[Any]] = []
    merged: list[tuple[int, int, int, int]] = []
    down: dict[int, int] = {}  # column -> index in ``merged`` of the vertical merge open there
    for r, tr in enumerate(tbl.iterchildren(_W + "tr")):
        before = _attr(tr.find(_W + "trPr"), "gridBefore")  # grid columns the row skips
        row: list[Any] = [""] * (_span(path, name, r, before) if before else 0)
        for tc in tr.iterchildren(_W + "tc"):
            props = tc.find(_W + "tcPr")
            c, span = len(row), _span(path, name, r, _attr(props, "gridSpan"))
            vmerge = _attr(props, "vMerge")
            text = _cell_text(tc)
            if vmerge is not None and vmerge != "restart" and c in down:
                r0, c0, _, c1 = merged[down[c]]
                merged[down[c]] = (r0, c0, r, c1)
                text = rows[r0][c0]
            elif vmerge == "restart" or span > 1:
                merged.append((r, c, r, c + span - 1))
                down.pop(c, None)
                if vmerge == "restart":
                    down[c] = len(merged) - 1
            row.extend([text] * span)
            budget -= span
        if budget < 0:
            raise InventoryFileError(
                str(path),
                t("err.inventory.book_area", cells=MAX_CELLS - budget, limit=MAX_CELLS),
                t("err.inventory.split_hint"),
                sheet=name,
                row=r + 1,
            )
        rows.append(row)
    long_cells = check_cells(path, name, rows)
    return RawSheet(name=name, rows=rows, merged=merged, long_cells=long_cells)


def read_docx(path: Path) -> list[RawSheet]:
    """The tables of a Word document (.docx), each a sheet; paragraphs between them (the
    title block, the signatures) are not data and are not read. A cell's text leaves out the
    tables nested in it: each of those is a sheet of its own."""
    import docx

    data = read_quietly(path, MAX_WORKBOOK_BYTES)
    check_zip(path, data)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx and lxml raise their own types on a damaged file
        raise InventoryFileError(
            str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint")
        ) from exc
    sheets = []
    budget = MAX_CELLS
    for n, tbl in enumerate(body.iter(_W + "tbl"), 1):  # nested ones too, in document order
        sheet = _table(path, TABLE_NAME.format(n=n), tbl, budget)
        budget -= sum(len(row) for row in sheet.rows)
        if max((len(row) for row in sheet.rows), default=0) >= MIN_COLUMNS:
            sheets.append(sheet)
    return sheets
