"""The review loop: export the pairs to decide as a workbook, import the decisions back.

``khaudit review export RUN_DIR`` writes every review candidate side by side with the record it
may be, and a Decision column that only accepts Đồng ý / Không đồng ý (Accept / Reject).
``khaudit review import FILE --project PROJECT --by NAME`` checks each filled-in decision
against the run the workbook came from (recorded in a hidden sheet) and appends those that
belong to it to the project's decision log; the next audit applies them. Notebooks call the
same functions. A second sheet lists the records of former units' fonds with a receiver
column: zoning decisions go through the same loop (khaudit.zoning.review).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import xlsxwriter

from .atomic import atomic_path
from .errors import KhauditError
from .i18n import LANGUAGES, t
from .match.decisions import Decision, record_decisions
from .run import Run, load_run
from .zoning import review as zoning_review

RUN_SHEET = "khaudit"
COLUMNS = [
    "locality",
    "path",
    "candidate_rank",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "candidate_score",
    "explanation",
    "xxh3_128",
]
DECISION = "decision"


def export_review(run_dir: str | Path, out: str | Path, lang: str = "vi") -> int:
    """Write the review workbook; return the number of candidate rows."""
    run = load_run(run_dir)
    candidates = run.table("candidates")
    frame = candidates[COLUMNS] if len(candidates) else pd.DataFrame(columns=COLUMNS)
    out = Path(out)
    with atomic_path(out) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        ws = book.add_worksheet(t("report.review", lang)[:31])
        bold = book.add_format(
            {"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True}
        )
        headings = [t(f"col.{c}", lang) for c in COLUMNS] + [t("col.decision", lang)]
        for c, heading in enumerate(headings):
            ws.write_string(0, c, heading, bold)
        for r, row in enumerate(frame.itertuples(index=False), 1):
            for c, value in enumerate(row):
                ws.write_string(r, c, "" if value is None else str(value))
        last = max(1, len(frame))
        ws.data_validation(
            1,
            len(COLUMNS),
            last,
            len(COLUMNS),
            {"validate": "list", "source": [t("report.accept", lang), t("report.reject", lang)]},
        )
        zoning_review.write_sheet(book, run.meta, run.table("records"), lang)
        info = book.add_worksheet(RUN_SHEET)  # where the pairs came from, for the import
        for r, (key, value) in enumerate(
            (
                ("run_id", run.meta.get("run_id", "")),
                ("fingerprint", run.meta.get("fingerprint", "")),
                ("run_dir", str(Path(run_dir).resolve())),
            )
        ):
            info.write_string(r, 0, key)
            info.write_string(r, 1, value)
        info.hide()
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


def _cell(value: object) -> str:
    """A workbook cell as text: an empty cell is "", never "None"; 12.0 typed as a number is
    "12"."""
    if value is None or (isinstance(value, float) and value != value):  # None, NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook_run(book: object) -> dict[str, str]:
    """What the export wrote about its run (run_id, fingerprint, run_dir), if it is there."""
    names = getattr(book, "sheetnames", [])
    if RUN_SHEET not in names:
        return {}
    ws = book[RUN_SHEET]  # type: ignore[index]
    return {
        _cell(row[0]): _cell(row[1])
        for row in ws.iter_rows(max_col=2, values_only=True)
        if len(row) >= 2 and row[0]
    }


def _find_run(path: Path, book: object, run_dir: str | Path | None) -> Run:
    """The run the workbook was exported from: ``run_dir`` if given, else the folder the
    export recorded; refused when it holds another run than the workbook's."""
    recorded = _workbook_run(book)
    folder = run_dir or recorded.get("run_dir")
    if not folder:
        raise KhauditError(t("err.review.no_run", path=path))
    try:
        run = load_run(folder)
    except KhauditError as exc:
        raise KhauditError(t("err.review.run_gone", path=path, run_dir=folder, error=exc)) from exc
    expected = recorded.get("run_id")
    if expected and run.meta.get("run_id") != expected:
        raise KhauditError(
            t(
                "err.review.other_run",
                path=path,
                run_dir=folder,
                expected=expected,
                found=run.meta.get("run_id", ""),
            )
        )
    return run


class _RunFacts:
    """What a decision must match in its run: localities, record rows, scan hashes."""

    def __init__(self, run: Run):
        self.localities = {loc["name"] for loc in run.meta.get("localities", [])}
        records = run.table("records")
        self.rows = {
            (str(r.locality), str(r.source_file), _cell(r.source_sheet), _cell(r.source_row))
            for r in records[["locality", "source_file", "source_sheet", "source_row"]].itertuples(
                index=False
            )
        }
        files = run.table("files")
        self.hashes = {
            (str(loc), str(h))
            for loc, h in zip(files["locality"], files["xxh3_128"])
            if isinstance(h, str) and h
        }
        candidates = run.table("candidates")
        self.hashes |= {
            (str(loc), str(h))
            for loc, h in zip(candidates["locality"], candidates["xxh3_128"])
            if isinstance(h, str) and h
        }

    def problem(self, number: int, d: Decision) -> str | None:
        """Why this row's decision does not belong to the run, or None."""
        if d.locality not in self.localities:
            return t("review.no_locality", row=number, locality=d.locality)
        if (d.locality, d.source_file, d.source_sheet, str(d.source_row)) not in self.rows:
            return t(
                "review.no_record",
                row=number,
                file=d.source_file,
                sheet=d.source_sheet,
                source_row=d.source_row,
                locality=d.locality,
            )
        parts = d.content.split("|")
        if not d.content or (
            (d.locality, d.content) not in self.hashes
            and not all((d.locality, p) in self.hashes for p in parts)
        ):
            return t("review.no_scan", row=number, content=d.content[:40], locality=d.locality)
        return None


def import_review(
    path: str | Path, decisions_file: Path, by: str = "", run_dir: str | Path | None = None
) -> tuple[int, list[str]]:
    """Append the workbook's decisions to the log; return (recorded, problems by row).

    Each decision is checked against the run the workbook was exported from (``run_dir``, or
    the folder the export recorded): its locality, its record's row and its scan's hash must
    be in that run, else the row is refused and named. Receivers picked in the zoning sheet
    become ``zone`` decisions (khaudit.zoning.review). ``by``, who decided, is required.
    """
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on files that are not workbooks
        raise KhauditError(t("err.review.open", path=path, error=exc)) from exc
    ws = book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(h) for h in next(rows, [])]
    labels = _label_map()
    columns = [labels.get(h) for h in header]
    missing = {*COLUMNS, DECISION} - {c for c in columns if c}
    if missing:
        raise KhauditError(t("err.review.columns", path=path, columns=", ".join(sorted(missing))))
    if not by.strip():
        raise KhauditError(t("err.review.by"))
    run = _find_run(Path(path), book, run_dir)
    facts = _RunFacts(run)
    decisions, problems = _link_decisions(rows, columns, facts)
    known = set(zoning_review.receiver_choices(run.meta, run.table("records")))
    zoned, refused = zoning_review.read_decisions(book, facts.rows, known, _cell)
    decisions += zoned
    problems += refused
    return record_decisions(decisions_file, decisions, by=by.strip()), problems


def _link_decisions(
    rows: Any, columns: list[str | None], facts: _RunFacts
) -> tuple[list[Decision], list[str]]:
    """The accept/reject decisions of the links sheet that belong to the run, and the rows
    refused; a scan accepted for two records is refused both times."""
    decisions, problems = [], []
    for number, values in enumerate(rows, 2):
        row = {c: _cell(v) for c, v in zip(columns, values) if c}
        if not any(row.values()) or not row.get(DECISION):
            continue
        verdict = _verdict(row.get(DECISION))
        if verdict is None:
            problems.append(
                t(
                    "review.neither",
                    row=number,
                    value=row.get(DECISION),
                    accept=t("report.accept"),
                    reject=t("report.reject"),
                )
            )
            continue
        if not row.get("source_row", "").isdigit():
            problems.append(t("review.row_number", row=number, value=row.get("source_row")))
            continue
        decision = Decision(
            locality=row.get("locality", ""),
            content=row.get("xxh3_128", ""),
            source_file=row.get("source_file", ""),
            source_sheet=row.get("source_sheet", ""),
            source_row=int(row["source_row"]),
            verdict=verdict,
            path=row.get("path", ""),
        )
        problem = facts.problem(number, decision)
        if problem:
            problems.append(problem)
            continue
        decisions.append(decision)
    accepted: dict[tuple[str, str], int] = {}
    for d in decisions:
        if d.verdict == "accept":
            accepted[(d.locality, d.content)] = accepted.get((d.locality, d.content), 0) + 1
    doubles = {k for k, n in accepted.items() if n > 1}
    if doubles:
        problems += [
            t("review.double", content=content[:12], locality=locality)
            for locality, content in doubles
        ]
        decisions = [d for d in decisions if (d.locality, d.content) not in doubles]
    return decisions, problems
