"""The review loop: export the pairs to decide as a workbook, import the decisions back.

``khaudit review export RUN_DIR`` writes every review candidate side by side with the record it
may be, and a Decision column that only accepts Đồng ý / Không đồng ý (Accept / Reject).
``khaudit review import FILE --project PROJECT`` appends the filled-in decisions to the
project's decision log; the next audit applies them. Notebooks call the same functions.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import xlsxwriter

from .atomic import atomic_path
from .errors import KhauditError
from .i18n import LANGUAGES, t
from .match.decisions import Decision, record_decisions
from .run import load_run

COLUMNS = ["locality", "path", "candidate_rank", "source_file", "source_sheet", "source_row",
           "record_code", "title", "candidate_score", "explanation", "xxh3_128"]
DECISION = "decision"


def export_review(run_dir: str | Path, out: str | Path, lang: str = "vi") -> int:
    """Write the review workbook; return the number of candidate rows."""
    candidates = load_run(run_dir).table("candidates")
    frame = candidates[COLUMNS] if len(candidates) else pd.DataFrame(columns=COLUMNS)
    out = Path(out)
    with atomic_path(out) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                              "strings_to_urls": False,
                                              "strings_to_numbers": False})
        ws = book.add_worksheet(t("report.review", lang)[:31])
        bold = book.add_format({"bold": True, "bg_color": "#e8eef7", "border": 1,
                                "text_wrap": True})
        headings = [t(f"col.{c}", lang) for c in COLUMNS] + [t("col.decision", lang)]
        for c, heading in enumerate(headings):
            ws.write_string(0, c, heading, bold)
        for r, row in enumerate(frame.itertuples(index=False), 1):
            for c, value in enumerate(row):
                ws.write_string(r, c, "" if value is None else str(value))
        last = max(1, len(frame))
        ws.data_validation(1, len(COLUMNS), last, len(COLUMNS), {
            "validate": "list", "source": [t("report.accept", lang), t("report.reject", lang)]})
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, last, len(COLUMNS))
        for c, width in enumerate([16, 40, 8, 30, 12, 8, 18, 60, 8, 60, 34, 14]):
            ws.set_column(c, c, width)
        book.close()
    return len(frame)


def _label_map() -> dict[str, str]:
    """Heading (either language) -> column name."""
    labels = {}
    for lang in LANGUAGES:
        labels.update({t(f"col.{c}", lang): c for c in COLUMNS})
        labels[t("col.decision", lang)] = DECISION
    return labels


def _verdict(value: object) -> str | None:
    text = str(value or "").strip().lower()
    accept = {t("report.accept", lang).lower() for lang in LANGUAGES} | {"accept", "yes", "y"}
    reject = {t("report.reject", lang).lower() for lang in LANGUAGES} | {"reject", "no", "n"}
    return "accept" if text in accept else "reject" if text in reject else None


def import_review(path: str | Path, decisions_file: Path, by: str = "") -> tuple[int, list[str]]:
    """Append the workbook's decisions to the log; return (recorded, problems by row)."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on files that are not workbooks
        raise KhauditError(t("err.review.open", path=path, error=exc)) from exc
    ws = book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h or "") for h in next(rows, [])]
    labels = _label_map()
    columns = [labels.get(h) for h in header]
    missing = {*COLUMNS, DECISION} - {c for c in columns if c}
    if missing:
        raise KhauditError(t("err.review.columns", path=path, columns=", ".join(sorted(missing))))
    decisions, problems = [], []
    for number, values in enumerate(rows, 2):
        row = {c: v for c, v in zip(columns, values) if c}
        if not any(v not in (None, "") for v in row.values()):
            continue
        verdict = _verdict(row.get(DECISION))
        if row.get(DECISION) in (None, ""):
            continue
        if verdict is None:
            problems.append(t("review.neither", row=number, value=row.get(DECISION),
                              accept=t("report.accept"), reject=t("report.reject")))
            continue
        try:
            decisions.append(Decision(
                locality=str(row["locality"]), content=str(row["xxh3_128"]),
                source_file=str(row["source_file"]), source_sheet=str(row["source_sheet"] or ""),
                source_row=int(str(row["source_row"])), verdict=verdict,
                path=str(row["path"])))
        except (TypeError, ValueError):
            problems.append(t("review.row_number", row=number, value=row.get("source_row")))
    accepted: dict[tuple[str, str], int] = {}
    for d in decisions:
        if d.verdict == "accept":
            accepted[(d.locality, d.content)] = accepted.get((d.locality, d.content), 0) + 1
    doubles = {k for k, n in accepted.items() if n > 1}
    if doubles:
        problems += [t("review.double", content=content[:12], locality=locality)
                     for locality, content in doubles]
        decisions = [d for d in decisions if (d.locality, d.content) not in doubles]
    return record_decisions(decisions_file, decisions, by=by), problems
