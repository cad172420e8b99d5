"""The review loop: export the pairs to decide as a workbook, import the decisions back.

``khaudit review export RUN_DIR`` writes every review candidate side by side with the record it
may be, and a Decision column that only accepts Đồng ý / Không đồng ý (Accept / Reject).
``khaudit review import FILE --project PROJECT --by NAME`` checks each filled-in decision
against the run the workbook came from (recorded in a hidden sheet) and appends those that
belong to it to the project's decision log; the next audit applies them. A second sheet lists
the records of former units' fonds with a receiver column: zoning decisions go through the same
loop (khaudit.zoning.review). A locality's ``report.xlsx`` can be filled in and imported as it
is: its review sheet names the pairs by path and inventory row, its summary names the run, and
the run (the folder the report sits in) gives the locality and the scan's hash. Notebooks call
the same functions; the decision log itself is ``match/decisions.py``.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import xlsxwriter

from .atomic import atomic_path
from .errors import KhauditError
from .i18n import LANGUAGES, t
from .match.decisions import Decision, record_decisions
from .outfile import check_out_file, run_places
from .report.notes import notes_in_language, run_language
from .report.xlsx import print_setup, write_cells
from .run import Run, is_run, load_run
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
#: What a review sheet must show to be read back: the pair (a scan's path and the record's
#: inventory row) and the decision. A report's review sheet has no locality or hash column.
REQUIRED = {"path", "source_file", "source_sheet", "source_row", DECISION}


def review_frame(run: Run, locality: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """The review candidates of ``run`` (one locality's, if given) in the review's columns,
    their reasons in ``lang``.
    A pair whose scan is a byte-identical copy of another record's scan says so first in its
    explanation: accepting it would move that record's scan (the import refuses it)."""
    candidates = run.table("candidates")
    if locality is not None and len(candidates):
        candidates = candidates[candidates["locality"] == locality]
    if not len(candidates):
        return pd.DataFrame(columns=COLUMNS)
    frame = notes_in_language(
        candidates[COLUMNS].reset_index(drop=True), lang, run_language(run.meta)
    )
    linked = linked_contents(run.table("files"))
    notes = []
    for row in frame.itertuples(index=False):
        original = linked.get((str(row.locality), str(row.xxh3_128)))
        record = (str(row.source_file), _cell(row.source_sheet), _cell(row.source_row))
        if original is None or record in original.records:
            notes.append(_cell(row.explanation))
            continue
        said = t(
            "review.hint_copy",
            lang,
            original=original.path,
            code=original.code,
            file=original.source_file,
            source_row=original.source_row,
        )
        notes.append(f"{said} {_cell(row.explanation)}".strip())
    return frame.assign(explanation=notes)


def write_review_sheet(
    book: xlsxwriter.Workbook, name: str, frame: pd.DataFrame, lang: str
) -> None:
    """A review sheet in ``book``: the candidates headed in ``lang`` (ranks, rows and scores
    stored as numbers, so they sort and filter as numbers), then a Decision column that only
    accepts Accept / Reject; printed on A4 as the report's sheets are."""
    ws = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True})
    headings = [t(f"col.{c}", lang) for c in COLUMNS] + [t("col.decision", lang)]
    for c, heading in enumerate(headings):
        ws.write_string(0, c, heading, bold)
    write_cells(book, ws, frame[COLUMNS])
    last = max(1, len(frame))
    choices = [t("report.accept", lang), t("report.reject", lang)]
    ws.data_validation(1, len(COLUMNS), last, len(COLUMNS), {"validate": "list", "source": choices})
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last, len(COLUMNS))
    for c, width in enumerate([16, 40, 8, 30, 12, 8, 18, 60, 8, 60, 34, 14]):
        ws.set_column(c, c, width)
    print_setup(ws, len(COLUMNS) + 1)


def write_run_sheet(book: xlsxwriter.Workbook, run: Run) -> None:
    """A hidden sheet naming the run the pairs came from, which the import checks against."""
    info = book.add_worksheet(RUN_SHEET)
    for r, (key, value) in enumerate(
        (
            ("run_id", run.meta.get("run_id", "")),
            ("fingerprint", run.meta.get("fingerprint", "")),
            ("run_dir", str(Path(run.path).resolve())),
        )
    ):
        info.write_string(r, 0, key)
        info.write_string(r, 1, value)
    info.hide()


def export_review(run_dir: str | Path, out: str | Path, lang: str = "vi") -> int:
    """Write the review workbook; return the number of candidate rows."""
    run = load_run(run_dir)
    scan_roots, inventories = run_places(run.meta)
    check_out_file(out, ".xlsx", is_review_workbook, scan_roots, inventories)
    frame = review_frame(run, lang=lang)
    with atomic_path(Path(out)) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        write_review_sheet(book, t("report.review", lang)[:31], frame, lang)
        zoning_review.write_sheet(book, run.meta, run.table("records"), lang)
        write_run_sheet(book, run)
        book.close()
    return len(frame)


def is_review_workbook(path: Path) -> bool:
    """Whether ``path`` is a workbook ``review export`` wrote (its hidden run sheet is
    there), so a new export may replace it; any other file is the user's to keep."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml")[:1_000_000]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f'name="{RUN_SHEET}"'.encode() in book


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


def _report_run(path: Path, book: Any) -> dict[str, str]:
    """What a locality's report workbook says of its run: the run id (the fingerprint row of
    its summary sheet) and, when the report still sits in its run's folder, that folder."""
    labels = {t("report.run_id", lang) for lang in LANGUAGES}
    fingerprint = ""
    for row in book.worksheets[0].iter_rows(max_col=2, values_only=True):
        if len(row) >= 2 and _cell(row[0]) in labels:
            fingerprint = _cell(row[1])
            break
    if not fingerprint:
        return {}
    found = {"run_id": fingerprint[:16]}  # a run id is its fingerprint's first 16 digits
    folder = path.resolve().parent.parent  # RUN_DIR/<locality>/report.xlsx
    if is_run(folder):
        found["run_dir"] = str(folder)
    return found


def _find_run(path: Path, book: Any, run_dir: str | Path | None) -> Run:
    """The run the workbook was exported from: ``run_dir`` if given, else the folder the
    export recorded (or the report's run folder); refused when it holds another run than the
    workbook's."""
    recorded = _workbook_run(book) or _report_run(path, book)
    folder = run_dir or recorded.get("run_dir")
    if not folder:
        raise KhauditError(t("err.review.no_run", path=path))
    try:
        run = load_run(folder)
    except KhauditError as exc:
        raise KhauditError(t("err.review.run_gone", path=path, run_dir=folder, error=exc)) from exc
    for key in ("run_id", "fingerprint"):  # the id alone is the fingerprint's first digits
        expected = recorded.get(key)
        if expected and run.meta.get(key) != expected:
            raise KhauditError(
                t(
                    "err.review.other_run",
                    path=path,
                    run_dir=folder,
                    expected=expected,
                    found=run.meta.get(key, ""),
                )
            )
    return run


@dataclass
class _Original:
    """The scan a content is linked to in a run, and every record its copies are linked to."""

    path: str
    code: str
    source_file: str
    source_row: str
    records: set[tuple[str, str, str]] = field(default_factory=set)


def linked_contents(files: pd.DataFrame) -> dict[tuple[str, str], _Original]:
    """(locality, content hash) -> the scan of that content linked to a record (the first
    one not a copy), for every content the run links to a record."""
    linked: dict[tuple[str, str], _Original] = {}
    if not len(files):
        return linked
    held = files[files["source_row"].notna() & (files["status"] != "needs_review")]
    held = held.sort_values("status", key=lambda s: s.eq("duplicate"), kind="stable")
    for row in held[
        ["locality", "xxh3_128", "path", "record_code", "source_file", "source_sheet"]
        + ["source_row"]
    ].itertuples(index=False):
        if not isinstance(row.xxh3_128, str) or not row.xxh3_128:
            continue
        key = (str(row.locality), row.xxh3_128)
        original = linked.setdefault(
            key,
            _Original(
                str(row.path), _cell(row.record_code), str(row.source_file), _cell(row.source_row)
            ),
        )
        original.records.add((str(row.source_file), _cell(row.source_sheet), _cell(row.source_row)))
    return linked


class _RunFacts:
    """What a decision must match in its run: localities, record rows, scan hashes."""

    def __init__(self, run: Run):
        self.localities = {loc["name"] for loc in run.meta.get("localities", [])}
        self.run = run
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
        self.linked = linked_contents(files)

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
        return self._takes_a_scan(number, d, parts)

    def _takes_a_scan(self, number: int, d: Decision, parts: list[str]) -> str | None:
        """Why accepting ``d`` would take another record's scan, or None. A decision is kept
        by the scan's content, so accepting a byte-identical copy for record B moves the
        content, and with it the original linked to record A, to B: A loses its scan."""
        if d.verdict != "accept":
            return None
        record = (d.source_file, d.source_sheet, str(d.source_row))
        for content in dict.fromkeys([d.content, *parts]):
            original = self.linked.get((d.locality, content))
            if original and record not in original.records:
                return t(
                    "review.copy_of",
                    row=number,
                    path=d.path or content[:12],
                    original=original.path,
                    code=original.code,
                    file=original.source_file,
                    source_row=original.source_row,
                )
        return None


def _review_sheet(path: str | Path, book: Any) -> tuple[list[str | None], Iterator[tuple]]:
    """The columns and data rows of the workbook's review sheet: the first sheet whose
    headings name the pair and the decision (the review workbook's first, a report's
    review sheet)."""
    labels = _label_map()
    first_missing: set[str] | None = None
    for ws in book.worksheets:
        if ws.title == RUN_SHEET:
            continue
        rows = ws.iter_rows(values_only=True)
        columns = [labels.get(_cell(h)) for h in next(rows, [])]
        missing = REQUIRED - {c for c in columns if c}
        if not missing:
            return columns, rows
        first_missing = missing if first_missing is None else first_missing
    missing_text = ", ".join(sorted(first_missing or REQUIRED))
    raise KhauditError(t("err.review.columns", path=path, columns=missing_text))


def _report_locality(book: Any, run: Run) -> str:
    """The locality a report workbook is about: its summary's title ends with the name."""
    title = _cell(next(book.worksheets[0].iter_rows(max_row=1, values_only=True), [""])[0])
    names = sorted((loc["name"] for loc in run.meta.get("localities", [])), key=len)
    return next((n for n in reversed(names) if title.endswith(f" — {n}")), "")


def _pair_keys(run: Run, locality: str) -> dict[tuple[str, str, str, str], str]:
    """(path, source file, sheet, row) -> the scan's hash, for the locality's review pairs."""
    candidates = run.table("candidates")
    mine = candidates[candidates["locality"] == locality] if len(candidates) else candidates
    return {
        (str(p), str(f), _cell(s), _cell(r)): str(h)
        for p, f, s, r, h in zip(
            mine.get("path", []),
            mine.get("source_file", []),
            mine.get("source_sheet", []),
            mine.get("source_row", []),
            mine.get("xxh3_128", []),
        )
    }


def _decision(number: int, row: dict[str, str], problems: list[str]) -> Decision | None:
    """The decision on one filled-in row, or None with the reason added to ``problems``."""
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
        return None
    if not row.get("source_row", "").isdigit():
        problems.append(t("review.row_number", row=number, value=row.get("source_row")))
        return None
    return Decision(
        locality=row.get("locality", ""),
        content=row.get("xxh3_128", ""),
        source_file=row.get("source_file", ""),
        source_sheet=row.get("source_sheet", ""),
        source_row=int(row["source_row"]),
        verdict=verdict,
        path=row.get("path", ""),
    )


def _without_doubles(decisions: list[Decision], problems: list[str]) -> list[Decision]:
    """A scan accepted for two records is neither: both rows are refused and named."""
    accepted: dict[tuple[str, str], int] = {}
    for d in decisions:
        if d.verdict == "accept":
            accepted[(d.locality, d.content)] = accepted.get((d.locality, d.content), 0) + 1
    doubles = {k for k, n in accepted.items() if n > 1}
    problems += [
        t("review.double", content=content[:12], locality=locality) for locality, content in doubles
    ]
    return [d for d in decisions if (d.locality, d.content) not in doubles]


def _other_format(data: bytes) -> str:
    """The spreadsheet format ``data`` is saved in when it is one the import cannot read
    (LibreOffice's own, Excel 97-2003), else ""."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "Excel 97-2003 (.xls)"
    if data.startswith(b"PK"):
        with (
            contextlib.suppress(zipfile.BadZipFile, KeyError, OSError),
            zipfile.ZipFile(io.BytesIO(data)) as archive,
        ):
            if archive.read("mimetype")[:100].startswith(b"application/vnd.oasis"):
                return "OpenDocument (.ods)"
    return ""


def _open_workbook(path: Path) -> Any:
    """The workbook at ``path``, read as an inventory is: a regular file only (a pipe or a
    device would hang the import or never end), size-capped, its zip members checked against
    the unpacking caps before openpyxl inflates them."""
    from .inventory.archive import check_zip
    from .inventory.limits import MAX_WORKBOOK_BYTES
    from .inventory.readers import read_quietly

    try:
        data = read_quietly(path, MAX_WORKBOOK_BYTES)
        if zipfile.is_zipfile(io.BytesIO(data)):
            check_zip(path, data)
    except KhauditError as exc:
        raise KhauditError(t("err.review.open", path=path, error=exc)) from exc
    kind = _other_format(data)
    if kind:
        raise KhauditError(t("err.review.format", path=path, kind=kind))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on files that are not workbooks
        raise KhauditError(t("err.review.open", path=path, error=exc)) from exc


def import_review(
    path: str | Path, decisions_file: Path, by: str = "", run_dir: str | Path | None = None
) -> tuple[int, list[str]]:
    """Append the workbook's decisions to the log; return (recorded, problems by row).

    The workbook is one ``khaudit review export`` wrote, or a locality's ``report.xlsx`` (its
    review sheet). Each decision is checked against the run the workbook was exported from
    (``run_dir``, or the folder the export recorded, or the report's run folder): its
    locality, its record's row and its scan's hash must be in that run, else the row is
    refused and named. Receivers picked in the zoning sheet become ``zone`` decisions
    (khaudit.zoning.review). ``by``, who decided, is required.
    """
    book = _open_workbook(Path(path))
    columns, rows = _review_sheet(path, book)
    if not by.strip():
        raise KhauditError(t("err.review.by"))
    facts = _RunFacts(_find_run(Path(path), book, run_dir))
    decisions, problems = _link_decisions(book, columns, rows, facts)
    known = set(zoning_review.receiver_choices(facts.run.meta, facts.run.table("records")))
    zoned, refused = zoning_review.read_decisions(book, facts.rows, known, _cell)
    decisions += zoned
    problems += refused
    return record_decisions(decisions_file, decisions, by=by.strip()), problems


def _link_decisions(
    book: Any, columns: list[str | None], rows: Iterator[tuple], facts: _RunFacts
) -> tuple[list[Decision], list[str]]:
    """The accept/reject decisions of the review sheet that belong to the run, and the rows
    refused. A sheet without locality and hash columns (a report's) takes them from the run:
    the report's locality, and the hash of the pair its path and inventory row name."""
    locality, pairs = "", {}
    if "locality" not in columns or "xxh3_128" not in columns:
        locality = _report_locality(book, facts.run)
        pairs = _pair_keys(facts.run, locality)
    decisions: list[Decision] = []
    problems: list[str] = []
    for number, values in enumerate(rows, 2):
        row = {c: _cell(v) for c, v in zip(columns, values) if c}
        if not any(row.values()) or not row.get(DECISION):
            continue
        if pairs or locality:
            key = (row.get("path", ""), row.get("source_file", ""), row.get("source_sheet", ""))
            row.setdefault("locality", locality)
            row.setdefault("xxh3_128", pairs.get((*key, row.get("source_row", "")), ""))
        decision = _decision(number, row, problems)
        problem = facts.problem(number, decision) if decision else None
        if problem:
            problems.append(problem)
        elif decision:
            decisions.append(decision)
    return _without_doubles(decisions, problems), problems
