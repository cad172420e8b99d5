"""Zoning decisions in the review workbook: the same loop as links.

``khaudit review export`` adds a sheet listing every record of a former unit's fonds (those
zoning decided by successor, place or default, and first those it could not decide) with a
column where a person picks the receiver from the province's 2025 units (or the default
receiver); ``khaudit review import`` turns each pick into a ``zone`` decision in the same
append-only log, checked against the run like link decisions. The next audit applies it
(basis ``decision``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..i18n import LANGUAGES, t
from ..match.decisions import Decision
from ..report.notes import notes_in_language, run_language
from ..report.present import code_text
from ..report.xlsx import print_setup, write_cells
from .official import units_of_province

SHEET_KEY = "report.zoning_sheet"
COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "address",
    "receiver",
    "receiver_code",
    "zoning_basis",
    "zoning_note",
]
DECIDED = "zoning_decision"
#: Order of the sheet: what waits for a person first.
_FIRST = {"unresolved": 0, "default": 1, "place": 2, "successor": 3, "decision": 4}


def zoning_rows(records: pd.DataFrame) -> pd.DataFrame:
    """The records a person may rezone: all but a current unit's own (basis ``unit``)."""
    if "zoning_basis" not in records.columns:
        return pd.DataFrame(columns=COLUMNS)
    rows = records[records["zoning_basis"].fillna("unit") != "unit"]
    order = rows["zoning_basis"].map(_FIRST).fillna(9)
    return rows.assign(_order=order).sort_values(["_order", "locality", "source_row"])[COLUMNS]


def receiver_choices(meta: dict[str, Any], records: pd.DataFrame) -> list[str]:
    """The receivers a person may pick: the province's 2025 units, then any other receiver
    the run already names (the default receiver)."""
    names = [u.name for u in units_of_province(str(meta.get("province", "")))]
    others = sorted(
        {str(r) for r in records.get("receiver", pd.Series(dtype=str)).fillna("") if r} - set(names)
    )
    return names + others


def write_sheet(book: Any, meta: dict[str, Any], records: pd.DataFrame, lang: str) -> int:
    """Add the zoning sheet (and its list of receivers) to an xlsxwriter workbook: the
    basis and the reason of each record's receiver in ``lang``, its row a number."""
    frame = zoning_rows(records)
    if frame.empty:
        return 0
    frame = notes_in_language(frame, lang, run_language(meta))
    frame = frame.assign(
        zoning_basis=[code_text("zoning_basis", b, lang) for b in frame["zoning_basis"]]
    )
    ws = book.add_worksheet(t(SHEET_KEY, lang)[:31])
    bold = book.add_format({"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True})
    headings = [t(f"col.{c}", lang) for c in COLUMNS] + [t("col.zoning_decision", lang)]
    for c, heading in enumerate(headings):
        ws.write_string(0, c, heading, bold)
    write_cells(book, ws, frame)
    choices = book.add_worksheet("khaudit_receivers")
    names = receiver_choices(meta, records)
    for r, name in enumerate(names):
        choices.write_string(r, 0, name)
    choices.hide()
    column = len(COLUMNS)
    ws.data_validation(
        1,
        column,
        len(frame),
        column,
        {"validate": "list", "source": f"=khaudit_receivers!$A$1:$A${len(names)}"},
    )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(frame), column)
    for c, width in enumerate([18, 30, 12, 8, 18, 60, 30, 26, 10, 12, 50, 26]):
        ws.set_column(c, c, width)
    print_setup(ws, column + 1)
    return len(frame)


def _label_map() -> dict[str, str]:
    labels = {}
    for lang in LANGUAGES:
        labels.update({t(f"col.{c}", lang): c for c in COLUMNS})
        labels[t("col.zoning_decision", lang)] = DECIDED
    return labels


def zoning_sheet(book: Any) -> Any | None:
    """The workbook's zoning sheet, in either language, or None."""
    titles = {t(SHEET_KEY, lang)[:31] for lang in LANGUAGES}
    return next((book[name] for name in book.sheetnames if name in titles), None)


def read_decisions(
    book: Any, rows_in_run: set[tuple[str, str, str, str]], known: set[str], cell: Any
) -> tuple[list[Decision], list[str]]:
    """The receivers picked in the zoning sheet as ``zone`` decisions, and the rows refused
    (a record not in the run, a receiver that is no unit of the province)."""
    ws = zoning_sheet(book)
    if ws is None:
        return [], []
    rows = ws.iter_rows(values_only=True)
    labels = _label_map()
    columns = [labels.get(cell(h)) for h in next(rows, [])]
    decisions, problems = [], []
    for number, values in enumerate(rows, 2):
        row = {c: cell(v) for c, v in zip(columns, values) if c}
        receiver = row.get(DECIDED, "")
        if not receiver:
            continue
        key = (row.get("locality", ""), row.get("source_file", ""), row.get("source_sheet", ""))
        if not row.get("source_row", "").isdigit() or (*key, row["source_row"]) not in rows_in_run:
            problems.append(t("review.zoning_no_record", row=number, locality=key[0]))
            continue
        if receiver not in known:
            problems.append(t("review.zoning_receiver", row=number, receiver=receiver))
            continue
        decisions.append(
            Decision(
                locality=key[0],
                content="",
                source_file=key[1],
                source_sheet=key[2],
                source_row=int(row["source_row"]),
                verdict="zone",
                receiver=receiver,
            )
        )
    return decisions, problems


__all__ = ["COLUMNS", "read_decisions", "receiver_choices", "write_sheet", "zoning_rows"]
