"""The province workbook beside province.html: every unit of the province ranked against the
deadline with a totals row and the Department of Home Affairs' signature block, then what each
receiving unit gets at the handover, summed across the localities that give it records.

The same figures as the page (:mod:`.province`), stored as numbers with number formats so
Home Affairs can sum, sort and re-use them; units not audited yet are listed with their note
and empty figures, never zeros.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from ..contract import RECORD_STATUSES, RecordStatus
from ..i18n import t
from ..run import Run
from . import figures as F
from . import numbers as N
from .minutes import place_date
from .province import ProvinceReport, receiver_table, totals_row
from .xlsx import Book, fit_heights, print_setup

#: The ranking sheet's columns: (column of :func:`.province.province_table`, kind).
RANKING: list[tuple[str, str]] = [
    ("rank", "plain"),
    ("locality", "text"),
    ("code", "text"),
    ("completion", "percent"),
    ("tthc_completion", "percent"),
    ("records", "count"),
    ("digitized", "count"),
    *((str(s), "count") for s in RECORD_STATUSES if s != RecordStatus.DIGITIZED),
    ("forecast", "date"),
    ("days_vs_deadline", "days"),
    ("pages_to_scan", "count"),
    ("changes", "count"),
    ("quality_share", "percent"),
    ("note", "text"),
]
RECEIVERS: list[tuple[str, str]] = [
    ("receiver", "text"),
    ("receiver_code", "text"),
    ("records", "count"),
    ("digitized", "count"),
    ("completion", "percent"),
    ("giving_units", "text"),
]


#: Width of the receivers sheet's column of giving units (a list of localities, wrapped).
GIVERS_WIDTH = 50


def _heading(column: str, lang: str) -> str:
    if column in RECORD_STATUSES:
        return t(f"status.{column}", lang)
    return t("col.unit_code" if column == "code" else f"col.{column}", lang)


def _frame(rows: pd.DataFrame, columns: list[tuple[str, str]], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _heading(c, lang): rows[c].tolist() if c in rows else [None] * len(rows)
            for c, _ in columns
        }
    )


def _form_heading(book: Book, ws: Any, report: ProvinceReport, width: int) -> int:
    """The national heading beside the issuing unit, as the page has it; the next free row."""
    lang, meta = book.lang, report.run.meta
    province = meta.get("province", "")
    unit = report.signer().unit or t("report.home_affairs", lang, province=province)
    day = N.to_date(meta.get("as_of"))
    right = max(3, width - 4)
    for row, left_text, right_text in (
        (0, unit.upper(), t("minutes.republic", lang)),
        (1, t("report.province_number", lang), t("minutes.motto", lang)),
        (2, "", place_date(province, day, lang) if day else ""),
    ):
        ws.merge_range(row, 0, row, 2, left_text, book.centre_bold if row == 0 else book.centre)
        ws.merge_range(row, right, row, width - 1, right_text, book.centre_bold)
    ws.merge_range(4, 0, 4, width - 1, t("report.province_title", lang), book.title_centre)
    deadline = N.date_text(F.deadline(report.run), lang)
    subtitle = (
        f"{t('report.province', lang)}: {province} · {t('report.as_of', lang)}: "
        f"{N.date_text(meta.get('as_of'), lang)} · {t('report.deadline', lang)}: {deadline or '…'}"
    )
    ws.merge_range(5, 0, 5, width - 1, subtitle, book.centre)
    return 7


def _ranking_sheet(book: Book, report: ProvinceReport) -> None:
    lang = book.lang
    table = report.rows().copy()
    table["note"] = [t(f"report.{o}", lang) if o else "" for o in table["outlook"]]
    total = totals_row(table)
    total.update(locality=t("report.total", lang), note="", rank=None)
    ws = book.sheet(t("report.province_sheet", lang))
    start = _form_heading(book, ws, report, len(RANKING))
    frame = _frame(pd.concat([table, pd.DataFrame([total])], ignore_index=True), RANKING, lang)
    book.table(ws, frame, start_row=start, kinds=[k for _, k in RANKING], total_row=True)
    _signature_block(book, ws, report, start + len(frame) + 2, len(RANKING))
    ws.set_column(1, 1, 28)
    ws.set_column(len(RANKING) - 1, len(RANKING) - 1, 26)
    print_setup(ws, len(RANKING), start)


def _signature_block(book: Book, ws: Any, report: ProvinceReport, row: int, width: int) -> None:
    """Recipients on the left, the Department's signature on the right, as the page has it."""
    lang = book.lang
    signer = report.signer()
    right = max(3, width - 5)
    position = signer.position or t("report.home_affairs_head", lang)
    ws.write_string(row, 1, t("report.recipients", lang), book.bold_italic)
    for i, line in enumerate(t("report.recipients_list", lang).split("\n"), 1):
        ws.write_string(row + i, 1, line)
    ws.merge_range(row, right, row, width - 1, position.upper(), book.centre_bold)
    ws.merge_range(
        row + 1, right, row + 1, width - 1, t("report.sign_seal", lang), book.centre_italic
    )
    ws.merge_range(row + 6, right, row + 6, width - 1, signer.name or "", book.centre_bold)
    printed = t("report.printed", lang, date=N.date_text(dt.date.today(), lang))
    ws.write_string(row + 8, 1, printed, book.muted)


def _receivers_sheet(book: Book, report: ProvinceReport) -> None:
    lang = book.lang
    table = receiver_table(report.run)
    if table.empty:
        return
    table["receiver"] = [r or t("report.receiver_unresolved", lang) for r in table["receiver"]]
    records, digitized = int(table["records"].sum()), int(table["digitized"].sum())
    total = {
        "receiver": t("report.total", lang),
        "records": records,
        "digitized": digitized,
        "completion": digitized / records if records else None,
    }
    frame = _frame(pd.concat([table, pd.DataFrame([total])], ignore_index=True), RECEIVERS, lang)
    ws = book.sheet(t("report.receivers_sheet", lang))
    ws.write_string(0, 0, t("report.receivers", lang), book.title)
    book.table(ws, frame, start_row=2, kinds=[k for _, k in RECEIVERS], total_row=True)
    ws.set_column(0, 0, 30)
    ws.set_column(len(RECEIVERS) - 1, len(RECEIVERS) - 1, GIVERS_WIDTH, book.wrap)
    givers = [[None] * (len(RECEIVERS) - 1) + [g] for g in frame.iloc[:, -1].tolist()]
    fit_heights(ws, 3, givers, [30] * (len(RECEIVERS) - 1) + [GIVERS_WIDTH])
    print_setup(ws, len(RECEIVERS), 2)


def _fingerprint_sheet(book: Book, run: Run) -> None:
    """What ties the workbook to its run (``khaudit verify-report`` reads the fingerprint's
    row), on a sheet of its own: the ranking's first sheet grows with the province's units."""
    lang = book.lang
    ws = book.sheet(t("report.fingerprint", lang))
    fp = F.fingerprint_table(run.meta, lang)
    book.table(ws, fp, start_row=0, setup=False)
    widths = [44, 70]
    ws.set_column(0, 0, widths[0], book.wrap)
    ws.set_column(1, 1, widths[1], book.wrap)  # long digests and parameters wrap inside the page
    fit_heights(ws, 1, fp.values.tolist(), widths)
    print_setup(ws, 2)


def write_province_workbook(
    run: Run, target: Path, lang: str = "vi", units: list[Any] | None = None
) -> Path:
    """Write ``target`` (atomically): the ranking sheet, then the receivers sheet when the run
    zoned its records, then the run's fingerprint."""
    from ..atomic import atomic_path

    report = ProvinceReport(run, lang, units=units)
    with atomic_path(target) as tmp:
        book = Book(tmp, lang)
        _ranking_sheet(book, report)
        _receivers_sheet(book, report)
        _fingerprint_sheet(book, run)
        book.workbook.close()
    return target
