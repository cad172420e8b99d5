"""The locality workbook (xlsxwriter): a summary sheet with a chart, one sheet per problem, the
progress over audits with its burn-down chart.

Untrusted text never becomes a formula or a link: the workbook is opened with
``strings_to_formulas`` and ``strings_to_urls`` off, so "=HYPERLINK(...)" typed into a title
stays text. Numbers are stored as numbers with a number format (a share as 0.923 shown as
92.3%, a count with thousands separators, a date as a date), so they sum and sort; blanks are
empty cells. Headings are in the report's language; every sheet has a frozen header, an
autofilter, widths fitted to its content and a print setup (A4, landscape when wide, one page
wide, the header row repeated on every page); the review sheet's decision column only accepts
Accept/Reject.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from ..atomic import atomic_path
from ..i18n import catalogue, t
from ..run import Run
from . import figures as F
from .content_sheet import write_content_sheet
from .numbers import integer
from .present import kind_of, stored, stored_column

SHEET_KEYS = [
    "missing",
    "page_mismatch",
    "damaged",
    "duplicate_entry",
    "orphans",
    "duplicates",
    "bad_files",
]

#: Excel's limit on a sheet name, and the characters it refuses in one.
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = set("[]:*?/\\")
#: Columns beyond which a sheet prints in landscape.
PORTRAIT_COLUMNS = 5


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary when it has one."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head.strip() else text[:limit]
    return cut[:limit].rstrip(" -–,;.(")


def sheet_name(text: str, used: set[str]) -> str:
    """A valid, unique sheet name for ``text``: Excel's forbidden characters dropped, at most
    31 characters cut at a word, a number added when the name (case aside) is taken."""
    clean = " ".join("".join(ch for ch in text if ch not in SHEET_NAME_BAD).split()).strip("'")
    clean = clean or "Sheet"
    name, n = _cut(clean, SHEET_NAME_MAX), 2
    taken = {u.casefold() for u in used}
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = _cut(clean, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    used.add(name)
    return name


class Book:
    """A workbook being written, with the formats of the report's language."""

    def __init__(self, path: Path, lang: str):
        self.lang = lang
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": True,  # no temporary file per sheet
            },
        )
        add = self.workbook.add_format
        self.bold = add(
            {"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.title = add({"bold": True, "font_size": 14})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.title_centre = add({"bold": True, "font_size": 14, "align": "center"})
        self.centre = add({"align": "center", "valign": "top", "text_wrap": True})
        self.centre_bold = add(
            {"bold": True, "align": "center", "valign": "top", "text_wrap": True}
        )
        self.centre_italic = add({"italic": True, "align": "center", "valign": "top"})
        self.bold_italic = add({"bold": True, "italic": True})
        self.muted = add({"italic": True, "font_color": "#666666"})
        self.formats = {
            "count": add({"num_format": "#,##0"}),
            "plain": add({"num_format": "0"}),
            "percent": add({"num_format": "0.0%"}),
            "decimal": add({"num_format": "#,##0.00"}),
            "days": add({"num_format": t("report.days_format", lang)}),
            "date": add({"num_format": "dd/mm/yyyy" if lang == "vi" else "yyyy-mm-dd"}),
            "moment": add(
                {"num_format": "dd/mm/yyyy hh:mm:ss" if lang == "vi" else "yyyy-mm-dd hh:mm:ss"}
            ),
        }
        self.used: set[str] = set()
        self._totals: dict[str, Any] = {}

    def total_format(self, kind: str) -> Any:
        """The format of a totals row's cell of ``kind``: bold, a rule above, its number format."""
        if kind not in self._totals:
            number = self.formats.get(kind)
            spec: dict[str, Any] = {"bold": True, "top": 1}
            if number is not None:
                spec["num_format"] = number.num_format
            self._totals[kind] = self.workbook.add_format(spec)
        return self._totals[kind]

    def sheet(self, title: str) -> Any:
        return self.workbook.add_worksheet(sheet_name(title, self.used))

    def value(self, ws: Any, row: int, col: int, value: Any, kind: str = "text") -> None:
        """One cell, stored as its kind says (a number, a date, a truth value or text)."""
        self.write(ws, row, col, stored(value, kind), kind)

    def write(
        self, ws: Any, row: int, col: int, value: Any, kind: str, fmt: Any | None = None
    ) -> None:
        """One value already in its stored form (:func:`.present.stored`); None is no cell.
        ``fmt`` replaces the kind's format (a totals row's)."""
        if value is None:
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
            return
        if isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt or self.formats.get(kind))
        elif kind in ("date", "moment") and hasattr(value, "isoformat"):
            day = pd.Timestamp(value).to_pydatetime()
            ws.write_datetime(row, col, day, fmt or self.formats[kind])
        else:
            ws.write_string(row, col, str(value), fmt)

    def column(self, ws: Any, first_row: int, col: int, values: list[Any], kind: str) -> None:
        """:meth:`write` down a column from ``first_row``: the sheet of every record holds tens
        of thousands of cells, so text and numbers go straight to the sheet, the rest (dates,
        truth values) through :meth:`write`."""
        fmt = self.formats.get(kind)
        text, number = ws.write_string, ws.write_number
        for r, value in enumerate(values, first_row):
            if value is None:
                continue
            cls = type(value)
            if cls is str:
                text(r, col, value)
            elif cls is int or cls is float:
                number(r, col, value, fmt)
            else:
                self.write(ws, r, col, value, kind)

    def table(
        self,
        ws: Any,
        frame: pd.DataFrame,
        start_row: int = 0,
        setup: bool = True,
        kinds: list[str] | None = None,
        total_row: bool = False,
    ) -> None:
        """``frame`` (headings in the report's language) from ``start_row``; with ``setup``,
        the sheet is a table sheet (frozen header, filter, print setup for it). ``kinds``
        gives each column's kind where its heading does not tell it; with ``total_row`` the
        last row is set as totals (bold under a rule) and left out of the filter."""
        kinds = kinds or [kind_of(str(c), self.lang) for c in frame.columns]
        last = start_row + len(frame)
        for c, column in enumerate(frame.columns):
            ws.write_string(start_row, c, str(column), self.bold)
            values = stored_column(frame.iloc[:, c], kinds[c])
            body = values[:-1] if total_row and values else values
            self.column(ws, start_row + 1, c, body, kinds[c])
            if len(body) < len(values):
                self.write(ws, last, c, values[-1], kinds[c], self.total_format(kinds[c]))
        wrapped = False
        for c, column in enumerate(frame.columns):
            lengths = [len(str(column)) // 2 + 2] + [len(str(v)) for v in frame.iloc[:200, c]]
            width = min(60, max(9, max(lengths) + 2))
            ws.set_column(c, c, width)
            wrapped = wrapped or len(str(column)) > width
        if wrapped:  # a heading on two lines: the row is made tall enough to show it
            ws.set_row(start_row, 32)
        if not setup:
            return
        ws.freeze_panes(start_row + 1, 0)
        rows = max(1, len(frame) - (1 if total_row else 0))
        ws.autofilter(start_row, 0, start_row + rows, max(0, len(frame.columns) - 1))
        print_setup(ws, len(frame.columns), start_row)

    def figures(self, ws: Any, rows: list[F.FigureRow], start_row: int) -> None:
        """Two columns, label and figure, each figure stored as its kind says."""
        ws.write_string(start_row, 0, t("col.metric", self.lang), self.bold)
        ws.write_string(start_row, 1, t("col.figure", self.lang), self.bold)
        for r, (key, value, kind) in enumerate(rows, start_row + 1):
            ws.write_string(r, 0, t(key, self.lang))
            self.value(ws, r, 1, value, kind)
        ws.set_column(0, 0, 44)
        ws.set_column(1, 1, 18)


#: Number formats of a plain sheet's numeric kinds (:func:`write_cells`).
CELL_FORMATS = {"plain": "0", "decimal": "0.00", "count": "#,##0", "percent": "0.0%"}


def write_cells(
    book: xlsxwriter.Workbook, ws: Any, frame: pd.DataFrame, first_row: int = 1
) -> None:
    """``frame``'s cells (its columns named as in the run contract) from ``first_row`` down,
    each stored as its column's kind says: a row number, a rank or a score as a number with a
    number format (so it sums, sorts and filters), a blank as no cell, the rest as text. For
    sheets a person fills in and khaudit reads back (the review workbook), outside :class:`Book`."""
    for c, column in enumerate(frame.columns):
        kind = kind_of(str(column))
        number = book.add_format({"num_format": CELL_FORMATS.get(kind, "General")})
        for r, value in enumerate(stored_column(frame[column], kind), first_row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value, number)
            elif value is not None:
                ws.write_string(r, c, str(value))


#: Points per line of wrapped text at the workbook's default font (Calibri 11).
LINE_POINTS = 15


def wrapped_lines(text: object, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (counted
    generously: a line holds one character less than the width, a long word is cut)."""
    per_line = max(1, int(width) - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def fit_heights(
    ws: Any, first_row: int, rows: Sequence[Sequence[Any]], widths: Sequence[float]
) -> None:
    """Make each row tall enough for its wrapped cells. A spreadsheet program keeps a row one
    line high unless told (LibreOffice then prints wrapped lines over the next row), so the
    height is set from the longest cell of the row."""
    for r, cells in enumerate(rows, first_row):
        lines = max(
            (wrapped_lines(v, w) for v, w in zip(cells, widths, strict=False) if v is not None),
            default=1,
        )
        if lines > 1:
            ws.set_row(r, LINE_POINTS * lines)


def print_setup(ws: Any, columns: int, header_row: int = 0) -> None:
    """A4, landscape when wide, one page wide, the header row on every page."""
    ws.set_paper(9)
    if columns > PORTRAIT_COLUMNS:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C&P / &N")


def _sheet_title(key: str, lang: str) -> str:
    """A problem sheet's name: its heading, or a shorter name where the heading would be cut
    at 31 characters into words that no longer say what the sheet holds."""
    short = f"sheet.{key}"
    return t(short, lang) if short in catalogue(lang) else t(f"report.{key}", lang)


def write_locality_workbook(run: Run, locality: str, target: Path, lang: str = "vi") -> Path:
    """Write ``target`` (atomically) for one locality of ``run``."""
    records, files = F.locality_tables(run, locality, lang)
    with atomic_path(target) as tmp:
        book = Book(tmp, lang)
        _summary(book, run, locality, records, files)
        ws = book.sheet(t("report.all_records", lang))
        book.table(ws, F.localized(records[F.RECORD_VIEW], lang))
        for key in SHEET_KEYS:
            ws = book.sheet(_sheet_title(key, lang))
            book.table(ws, F.localized(F.problem_table(records, files, key), lang))
        ws = book.sheet(t("report.inventory_issues", lang))
        book.table(ws, F.localized(F.issue_table(run, locality), lang))
        ws = book.sheet(t("report.changes_sheet", lang))
        book.table(ws, F.localized(F.change_table(run, locality, lang), lang))
        _scan_problems(book, run, locality)
        _quality(book, files, run.meta)
        write_content_sheet(book, run, locality, files)
        _progress(book, run, locality)
        _review(book, run, locality)
        book.workbook.close()
    return target


def _summary(
    book: Book, run: Run, locality: str, records: pd.DataFrame, files: pd.DataFrame
) -> None:
    """The first sheet: headline figures, records per status with a chart, the fingerprint
    (``khaudit verify-report`` reads the fingerprint's row from its first two columns)."""
    lang = book.lang
    ws = book.sheet(t("report.summary_sheet", lang))
    ws.write_string(0, 0, f"{t('report.title', lang)} — {locality}", book.title)
    rows = F.headline_rows(F.headline(records, files))
    book.figures(ws, rows, 2)
    counts = F.record_status_counts(records, lang).drop(columns=["status"])
    start = 4 + len(rows)
    book.table(ws, counts, start_row=start, setup=False)
    chart = book.workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": t("report.chart_title", lang),
            "categories": [ws.name, start + 1, 0, start + len(counts), 0],
            "values": [ws.name, start + 1, 1, start + len(counts), 1],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": t("report.chart_title", lang)})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True})
    basis = F.share_basis(F.headline(records, files), lang)
    ws.write_string(start + len(counts) + 1, 0, basis, book.muted)
    fp = F.fingerprint_table(run.meta, lang)
    fp_row = start + len(counts) + 3
    book.table(ws, fp, start_row=fp_row, setup=False)
    ws.insert_chart(fp_row + len(fp) + 2, 0, chart, {"x_scale": 1.2, "y_scale": 1.1})
    widths = [44, 70]
    ws.set_column(0, 0, widths[0], book.wrap)
    ws.set_column(1, 1, widths[1], book.wrap)  # long digests and parameters wrap inside the page
    labels = [[t(key, lang)] for key, _, _ in rows]
    fit_heights(ws, 3, labels, widths)
    fit_heights(ws, fp_row + 1, fp.values.tolist(), widths)
    print_setup(ws, 2)


def _scan_problems(book: Book, run: Run, locality: str) -> None:
    """How many scans and folders had a problem, then each with its problem."""
    lang = book.lang
    frame = F.scan_problem_table(run, locality, lang)
    ws = book.sheet(t("sheet.scan_problems", lang))
    count = t("report.scan_problems_count", lang, n=integer(len(frame), lang))
    ws.write_string(0, 0, count, book.bold_italic)
    book.table(ws, F.localized(frame, lang), start_row=2)


def _quality(book: Book, files: pd.DataFrame, meta: dict) -> None:
    lang = book.lang
    ws = book.sheet(t("report.quality_sheet", lang))
    quality = F.quality_figures(files)
    ws.write_string(0, 0, F.quality_standard(meta, lang))
    book.figures(
        ws,
        [
            ("report.quality_pages", quality.share, "percent"),
            ("report.quality_pages_ok", quality.pages_ok, "count"),
            ("report.quality_pages_judged", quality.pages, "count"),
        ],
        1,
    )
    book.table(ws, F.localized(F.quality_table(files, lang), lang), start_row=6)


#: The progress sheet's audit table: the history columns a reader needs, in order.
PROGRESS_VIEW = [
    "as_of",
    "run_id",
    "records",
    "digitized",
    "remaining",
    "completion",
    "tthc_records",
    "tthc_digitized",
    "pages_expected",
    "pages_scanned",
    "pages_to_scan",
    "files",
]


def progress_table(run: Run, locality: str) -> pd.DataFrame:
    """This locality's audits with what is left and the completion of each, numbers as
    numbers (the history table of the run holds them as text)."""
    history = F.locality_history(run, locality)
    if history.empty:
        return pd.DataFrame(columns=PROGRESS_VIEW)
    out = history.copy()
    for column in PROGRESS_VIEW:
        if column in out and column not in ("as_of", "run_id"):
            out[column] = pd.to_numeric(out[column], errors="coerce")
    out["remaining"] = out["records"] - out["digitized"]
    out["completion"] = (out["digitized"] / out["records"]).where(out["records"] > 0)
    return out.reindex(columns=PROGRESS_VIEW)


def _progress(book: Book, run: Run, locality: str) -> None:
    """Trend figures, the audits, and the burn-down: records left at each audit, the forecast
    line to zero and the deadline, as a native chart."""
    lang = book.lang
    ws = book.sheet(t("report.progress_sheet", lang))
    forecast = F.locality_forecast(run, locality)
    rows = F.forecast_rows(forecast, lang)
    if rows:
        book.figures(ws, rows, 0)
    history = progress_table(run, locality)
    start = len(rows) + 2 if rows else 0
    book.table(ws, F.localized(history, lang), start_row=start)
    ws.set_column(0, 0, 40 if rows else 12)  # the figures' labels above the audit dates
    if len(history):
        _burndown(book, ws, history, forecast, F.deadline(run), start)


def _burndown(
    book: Book, ws: Any, history: pd.DataFrame, forecast: dict | None, deadline: str, start: int
) -> None:
    """A scatter chart with straight lines over the audits (dates as x), plus the forecast
    and the deadline from a small helper table beside the audits."""
    lang = book.lang
    first, last = start + 1, start + len(history)
    date_col, left_col = PROGRESS_VIEW.index("as_of"), PROGRESS_VIEW.index("remaining")
    chart = book.workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    chart.add_series(
        {
            "name": t("report.remaining", lang),
            "categories": [ws.name, first, date_col, last, date_col],
            "values": [ws.name, first, left_col, last, left_col],
            "marker": {"type": "circle"},
        }
    )
    helper = len(PROGRESS_VIEW) + 1
    ws.set_column(helper, helper, 12)
    row = start
    end = forecast.get("forecast") if forecast else None
    peak = float(pd.to_numeric(history["remaining"], errors="coerce").max() or 0)
    for key, points, dash in (
        (
            "report.forecast",
            [(history["as_of"].iloc[-1], history["remaining"].iloc[-1]), (end, 0)],
            "dash",
        ),
        ("report.deadline", [(deadline, 0), (deadline, peak)], "solid"),
    ):
        if not points[-1][0]:
            continue
        ws.write_string(row, helper, t(key, lang), book.bold)
        for i, (x, y) in enumerate(points, 1):
            book.value(ws, row + i, helper, x, "date")
            book.value(ws, row + i, helper + 1, y, "count")
        chart.add_series(
            {
                "name": t(key, lang),
                "categories": [ws.name, row + 1, helper, row + 2, helper],
                "values": [ws.name, row + 1, helper + 1, row + 2, helper + 1],
                "line": {
                    "dash_type": dash,
                    "color": "#c62828" if key == "report.deadline" else "#2e7d32",
                },
                "marker": {"type": "none"},
            }
        )
        row += 4
    chart.set_title({"name": t("report.burndown", lang)})
    chart.set_x_axis({"num_format": "dd/mm/yyyy" if lang == "vi" else "yyyy-mm-dd"})
    chart.set_y_axis({"min": 0, "num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    ws.insert_chart(last + 2, 0, chart, {"x_scale": 1.4, "y_scale": 1.2})


def _review(book: Book, run: Run, locality: str) -> None:
    lang = book.lang
    review = F.localized(F.review_table(run, locality, lang), lang)
    review[t("col.decision", lang)] = ""
    ws = book.sheet(t("report.review", lang))
    book.table(ws, review)
    decision_col = len(review.columns) - 1
    ws.data_validation(
        1,
        decision_col,
        max(1, len(review)),
        decision_col,
        {"validate": "list", "source": [t("report.accept", lang), t("report.reject", lang)]},
    )
