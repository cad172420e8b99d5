"""Inventory files as offices typed them, for the demo province.

Each writer returns where every row landed (sheet name, 1-based row), which becomes the
ground truth's provenance. The mess is the point: title blocks, merged two-row headers, the
numbered "(1) (2) (3)" row, blank rows, footers, several sheets, TCVN3, NFD and Windows-1258.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from ..inventory.encodings import encode_cp1258, encode_tcvn3

Cell = object  # str, int, float or date


@dataclass
class SheetPlan:
    name: str
    rows: list[list[Cell]]  # data rows, one per record (in order)
    header: str  # "full" (title block + header), "repeat" (header only), "none" (continuation)


def _text(transform: Callable[[str], str]) -> Callable[[Cell], Cell]:
    return lambda v: transform(v) if isinstance(v, str) else v


def identity(text: str) -> str:
    return text


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def tcvn3(text: str) -> str:
    return encode_tcvn3(text)


def write_xlsx(
    path: Path,
    title_block: Sequence[str],
    headings: Sequence[str],
    sheets: Sequence[SheetPlan],
    transform: Callable[[str], str] = identity,
    two_row_dates: tuple[int, str, str] | None = None,
    numbered_row: bool = True,
    blank_every: int = 0,
    footer: str = "",
) -> list[tuple[str, int]]:
    """Write a workbook; return (sheet, row) for each data row, sheets in order.

    ``two_row_dates`` = (column, sub-heading 1, sub-heading 2): the heading at that column is
    merged over two columns and two sub-headings go under it (a two-row header); the other
    headings are merged down over both rows.
    """
    conv = _text(transform)
    provenance: list[tuple[str, int]] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    bold = workbook.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1}
    )
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    width = len(headings) + (1 if two_row_dates else 0)
    for plan in sheets:
        ws = workbook.add_worksheet(plan.name)
        r = 0
        if plan.header == "full":
            for line in title_block:
                ws.merge_range(r, 0, r, width - 1, conv(line), bold)
                r += 1
            r += 1
        if plan.header in ("full", "repeat"):
            if two_row_dates:
                col, first, second = two_row_dates
                c = 0
                for i, heading in enumerate(headings):
                    if i == col:
                        ws.merge_range(r, c, r, c + 1, conv(heading), bold)
                        ws.write(r + 1, c, conv(first), bold)
                        ws.write(r + 1, c + 1, conv(second), bold)
                        c += 2
                    else:
                        ws.merge_range(r, c, r + 1, c, conv(heading), bold)
                        c += 1
                r += 2
            else:
                for c, heading in enumerate(headings):
                    ws.write(r, c, conv(heading), bold)
                r += 1
            if numbered_row:
                for c in range(width):
                    ws.write(r, c, f"({c + 1})", bold)
                r += 1
        for i, row in enumerate(plan.rows):
            if blank_every and i and i % blank_every == 0:
                r += 1  # a blank row, as typists leave between pages
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif value is not None and value != "":
                    ws.write(r, c, conv(value))
            provenance.append((plan.name, r + 1))
            r += 1
        if footer and plan is sheets[-1]:
            r += 1
            ws.write(r, 0, conv(footer))
            ws.write(r + 2, len(headings) - 2, conv("Người lập biểu"))
        ws.set_column(0, width - 1, 14)
    workbook.close()
    return provenance


def write_cp1258_csv(
    path: Path, headings: Sequence[str], rows: Sequence[Sequence[Cell]], delimiter: str = ";"
) -> list[tuple[str, int]]:
    """A CSV as old Windows tools exported it: Windows-1258 bytes, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_cp1258(buffer.getvalue()))
    return [("", i + 2) for i in range(len(rows))]
