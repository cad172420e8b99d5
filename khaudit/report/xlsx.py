"""The locality workbook (xlsxwriter): a summary sheet with a chart, one sheet per problem.

Untrusted text never becomes a formula or a link: the workbook is opened with
``strings_to_formulas`` and ``strings_to_urls`` off, so "=HYPERLINK(...)" typed into a title
stays text. Headings are in the report's language; every sheet has a frozen header, an
autofilter and widths fitted to its content; the review sheet's decision column only accepts
Accept/Reject.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from ..atomic import atomic_path
from ..i18n import t
from ..run import Run
from . import figures as F

SHEET_KEYS = [
    "missing",
    "page_mismatch",
    "damaged",
    "duplicate_entry",
    "orphans",
    "duplicates",
    "bad_files",
]


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join(ch for ch in text if ch not in "[]:*?/\\")[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def _write_table(
    workbook: xlsxwriter.Workbook, ws, frame: pd.DataFrame, start_row: int = 0, header_format=None
) -> None:
    for c, column in enumerate(frame.columns):
        ws.write_string(start_row, c, str(column), header_format)
    for r, row in enumerate(frame.itertuples(index=False), start_row + 1):
        for c, value in enumerate(row):
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    for c, column in enumerate(frame.columns):
        lengths = [len(str(column))] + [len(str(v)) for v in frame.iloc[:200, c]]
        ws.set_column(c, c, min(60, max(8, max(lengths) + 2)))
    ws.freeze_panes(start_row + 1, 0)
    ws.autofilter(start_row, 0, start_row + max(1, len(frame)), max(0, len(frame.columns) - 1))


def write_locality_workbook(run: Run, locality: str, target: Path, lang: str = "vi") -> Path:
    """Write ``target`` (atomically) for one locality of ``run``."""
    records, files = F.locality_tables(run, locality)
    head = F.headline(records, files)
    with atomic_path(target) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        bold = workbook.add_format(
            {"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        title = workbook.add_format({"bold": True, "font_size": 14})
        used: set[str] = set()

        summary = workbook.add_worksheet(_sheet_name(t("report.summary_sheet", lang), used))
        summary.write_string(0, 0, f"{t('report.title', lang)} — {locality}", title)
        headline = F.headline_table(head, lang)
        _write_table(workbook, summary, headline, start_row=2, header_format=bold)
        counts = F.record_status_counts(records, lang).drop(columns=["status"])
        start = 4 + len(headline)
        _write_table(workbook, summary, counts, start_row=start, header_format=bold)
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": t("report.chart_title", lang),
                "categories": [summary.name, start + 1, 0, start + len(counts), 0],
                "values": [summary.name, start + 1, 1, start + len(counts), 1],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": t("report.chart_title", lang)})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        summary.insert_chart(2, 4, chart, {"x_scale": 1.3, "y_scale": 1.2})
        fp = F.fingerprint_table(run.meta, lang)
        _write_table(workbook, summary, fp, start_row=start + len(counts) + 3, header_format=bold)
        summary.freeze_panes(0, 0)

        all_records = F.localized(records[F.RECORD_VIEW], lang)
        ws = workbook.add_worksheet(_sheet_name(t("report.all_records", lang), used))
        _write_table(workbook, ws, all_records, header_format=bold)
        for key in SHEET_KEYS:
            ws = workbook.add_worksheet(_sheet_name(t(f"report.{key}", lang), used))
            _write_table(
                workbook,
                ws,
                F.localized(F.problem_table(records, files, key), lang),
                header_format=bold,
            )
        ws = workbook.add_worksheet(_sheet_name(t("report.inventory_issues", lang), used))
        _write_table(
            workbook, ws, F.localized(F.issue_table(run, locality), lang), header_format=bold
        )
        ws = workbook.add_worksheet(_sheet_name(t("report.changes_sheet", lang), used))
        _write_table(
            workbook, ws, F.localized(F.change_table(run, locality, lang), lang), header_format=bold
        )

        ws = workbook.add_worksheet(_sheet_name(t("report.quality_sheet", lang), used))
        quality = F.quality_figures(files)
        ws.write_string(0, 0, F.quality_standard(run.meta, lang))
        ws.write_string(1, 0, t("report.quality_pages", lang))
        ws.write_string(
            1, 1, f"{F.quality_share_text(quality)} ({quality.pages_ok}/{quality.pages})"
        )
        _write_table(
            workbook,
            ws,
            F.localized(F.quality_table(files, lang), lang),
            start_row=3,
            header_format=bold,
        )

        ws = workbook.add_worksheet(_sheet_name(t("report.progress_sheet", lang), used))
        trend = F.forecast_figures(F.locality_forecast(run, locality), lang)
        _write_table(workbook, ws, trend, header_format=bold)
        history = F.locality_history(run, locality)
        if len(history):
            _write_table(
                workbook,
                ws,
                history.drop(columns=["excluded"]),
                start_row=len(trend) + 3,
                header_format=bold,
            )
            ws.freeze_panes(1, 0)

        review = F.localized(F.review_table(run, locality), lang)
        review[t("col.decision", lang)] = ""
        ws = workbook.add_worksheet(_sheet_name(t("report.review", lang), used))
        _write_table(workbook, ws, review, header_format=bold)
        decision_col = len(review.columns) - 1
        ws.data_validation(
            1,
            decision_col,
            max(1, len(review)),
            decision_col,
            {
                "validate": "list",
                "source": [t("report.accept", lang), t("report.reject", lang)],
            },
        )
        workbook.close()
    return target
