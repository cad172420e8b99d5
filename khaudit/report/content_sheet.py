"""The content sheet of the locality workbook ("Đối chiếu nội dung"): how many scans were
checked by what their first page says, how many agreed with the record their name gives, and
each contradicted scan with both records, the one its name gives and the one its page gives,
side by side, so the reviewer sees at a glance which way the swap goes.

Figures come from content_check.py (the run's files table); the records from the run's
candidates table: a contradicted scan's first candidate is the record its name gives, its
second the record its page names (match/content.py), absent when the page only agrees far
less than the name did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ..i18n import t
from ..run import Run
from .content_check import content_figures, content_intro, contradicted_table
from .figures import localized
from .notes import notes_in_language, run_language

if TYPE_CHECKING:
    from .xlsx import Book

#: The contradicted scans' table, as the sheet shows it.
BOTH_RECORDS_VIEW = [
    "path",
    "text_source",
    "content_match",
    "named_code",
    "named_title",
    "page_code",
    "page_title",
    "page_score",
    "explanation",
]

_SCORES = {"content_match", "page_score"}


def both_records(
    run: Run, locality: str, files: pd.DataFrame, lang: str | None = None
) -> pd.DataFrame:
    """Each scan of ``files`` whose first page contradicts its name, with the record the
    name gives and the record the page gives (empty when the page names none); the reasons
    in ``lang`` when given."""
    contradicted = contradicted_table(files)
    if contradicted.empty:
        return pd.DataFrame(columns=BOTH_RECORDS_VIEW)
    candidates = run.table("candidates")
    mine = candidates[
        (candidates["locality"] == locality) & candidates["path"].isin(contradicted["path"])
    ]
    rank = pd.to_numeric(mine["candidate_rank"], errors="coerce")
    named = mine[rank == 1].drop_duplicates("path").set_index("path")
    page = mine[rank == 2].drop_duplicates("path").set_index("path")
    source = files.drop_duplicates("path").set_index("path")["text_source"]
    paths = list(contradicted["path"])
    frame = pd.DataFrame(
        {
            "path": paths,
            "text_source": _column(paths, source, [""] * len(paths)),
            "content_match": list(contradicted["content_match"]),
            "named_code": _column(paths, named["record_code"], list(contradicted["record_code"])),
            "named_title": _column(paths, named["title"], [""] * len(paths)),
            "page_code": _column(paths, page["record_code"], [""] * len(paths)),
            "page_title": _column(paths, page["title"], [""] * len(paths)),
            "page_score": _column(paths, page["candidate_score"], [None] * len(paths)),
            "explanation": _column(paths, page["explanation"], list(contradicted["note"])),
        },
        columns=BOTH_RECORDS_VIEW,
    )
    return frame if lang is None else notes_in_language(frame, lang, run_language(run.meta))


def _column(paths: list[str], by_path: pd.Series, otherwise: list[Any]) -> list[Any]:
    """``by_path``'s value for each path, ``otherwise``'s where it has none."""
    known = {p: v for p, v in by_path.items() if not pd.isna(v)}
    return [known.get(p, other) for p, other in zip(paths, otherwise)]


def figure_rows(files: pd.DataFrame) -> list[tuple[str, Any, str]]:
    """(label key, figure, kind) of the sheet's figures."""
    f = content_figures(files)
    by_ocr = int((files.get("text_source", pd.Series(dtype=str)).fillna("") == "ocr").sum())
    return [
        ("report.content_with_text", f.with_text, "count"),
        ("report.content_by_ocr", by_ocr, "count"),
        ("report.content_checked", f.checked, "count"),
        ("report.content_agreed", f.agreed, "count"),
        ("report.content_contradicted", f.contradicted, "count"),
        ("report.content_linked", f.linked_by_content, "count"),
    ]


def write_content_sheet(book: Book, run: Run, locality: str, files: pd.DataFrame) -> None:
    """The sheet, in the locality's workbook ``book``."""
    lang = book.lang
    ws = book.sheet(t("report.content_sheet", lang))
    ws.write_string(0, 0, t("report.content_sheet", lang), book.title)
    ws.write_string(1, 0, content_intro(run.meta, lang))
    rows = figure_rows(files)
    book.figures(ws, rows, 3)
    start = 3 + len(rows) + 2
    ws.write_string(start, 0, t("report.content_both_records", lang), book.bold)
    table = localized(both_records(run, locality, files, lang), lang)
    kinds = ["decimal" if c in _SCORES else "text" for c in BOTH_RECORDS_VIEW]
    book.table(ws, table, start_row=start + 1, kinds=kinds)


__all__ = ["BOTH_RECORDS_VIEW", "both_records", "figure_rows", "write_content_sheet"]
