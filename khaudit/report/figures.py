"""The figures and tables a locality report shows, as tested functions of the run tables.

Notebooks and exporters (HTML, xlsx) call these, so every number an inspector reads comes from
one place and is checked by the tests against the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from ..contract import FILE_STATUSES, RECORD_STATUSES, FileStatus, RecordStatus, true_column
from ..i18n import catalogue, t
from ..run import Run
from .notes import notes_in_language, run_language

T = TypeVar("T")

#: Problem tables: key -> (table, statuses, columns shown).
RECORD_VIEW = [
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "box",
    "file_no",
    "title",
    "sheets",
    "pages",
    "status",
    "file_path",
    "note",
]
FILE_VIEW = ["path", "format", "size", "pages", "status", "record_code", "source_row", "note"]
PROBLEMS: dict[str, tuple[str, tuple[str, ...], list[str]]] = {
    "missing": ("records", (RecordStatus.MISSING,), RECORD_VIEW),
    "page_mismatch": ("records", (RecordStatus.PAGE_MISMATCH,), RECORD_VIEW),
    "damaged": ("records", (RecordStatus.DAMAGED_SCAN,), RECORD_VIEW),
    "duplicate_entry": ("records", (RecordStatus.DUPLICATE_ENTRY,), RECORD_VIEW),
    "orphans": ("files", (FileStatus.ORPHAN,), FILE_VIEW),
    "duplicates": ("files", (FileStatus.DUPLICATE,), FILE_VIEW),
    "bad_files": ("files", (FileStatus.CORRUPT, FileStatus.EMPTY), FILE_VIEW),
}
REVIEW_VIEW = [
    "path",
    "candidate_rank",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "candidate_score",
    "explanation",
]
ISSUE_VIEW = ["source_file", "source_sheet", "source_row", "column", "value", "problem", "expected"]


@dataclass(frozen=True)
class Headline:
    records: int  # inventory rows
    unique_records: int  # rows that are not repeats
    digitized: int
    completion: float  # digitized / unique records, 0-1
    tthc_records: int
    tthc_digitized: int
    pages_expected: int
    pages_scanned: int
    files: int
    problems: int  # unique records neither digitized nor missing
    missing: int

    @property
    def tthc_completion(self) -> float:
        return self.tthc_digitized / self.tthc_records if self.tthc_records else 1.0

    @property
    def ready_for_handover(self) -> bool:
        return self.unique_records > 0 and self.digitized == self.unique_records


#: The last locality's tables: (run, (locality, language), records, files).
_LAST: list[tuple[Run, tuple[str, str | None], pd.DataFrame, pd.DataFrame]] = []


def locality_tables(
    run: Run, locality: str, lang: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One locality's records and files, their notes in ``lang`` when given (the run wrote
    them in its own: :mod:`.notes`). The last locality's are kept: its page, workbook and
    minutes each ask for them, and callers only derive new frames from them."""
    if _LAST and _LAST[0][0] is run and _LAST[0][1] == (locality, lang):
        return _LAST[0][2], _LAST[0][3]
    records, files = run.locality_table("records", locality), run.locality_table("files", locality)
    if lang is not None:
        source = run_language(run.meta)
        records = notes_in_language(records, lang, source)
        files = notes_in_language(files, lang, source)
    _LAST[:] = [(run, (locality, lang), records, files)]
    return records, files


def _bool(series: pd.Series) -> pd.Series:
    return true_column(series)


#: What was last derived under each name: (records, files, value).
_DERIVED: dict[str, tuple[object, object, object]] = {}


def _kept(name: str, records: object, files: object, make: Callable[[], T]) -> T:
    """``make()``, kept under ``name`` for these very tables: a locality's page, workbook and
    minutes each ask for the same figures and tables of it (callers derive new frames from a
    kept one, never change it)."""
    entry = _DERIVED.get(name)
    if entry is not None and entry[0] is records and entry[1] is files:
        return entry[2]  # type: ignore[return-value]
    value = make()
    _DERIVED[name] = (records, files, value)
    return value


def headline(records: pd.DataFrame, files: pd.DataFrame) -> Headline:
    """The headline figures of a locality's records and files."""
    return _kept("headline", records, files, lambda: _headline(records, files))


def _headline(records: pd.DataFrame, files: pd.DataFrame) -> Headline:
    unique = records[records["status"] != RecordStatus.DUPLICATE_ENTRY]
    digitized = unique["status"] == RecordStatus.DIGITIZED
    tthc = _bool(unique["tthc"])
    sheets = pd.to_numeric(unique["sheets"], errors="coerce").fillna(0)
    pages = pd.to_numeric(unique["pages"], errors="coerce").fillna(0)
    missing = int((unique["status"] == RecordStatus.MISSING).sum())
    return Headline(
        records=len(records),
        unique_records=len(unique),
        digitized=int(digitized.sum()),
        completion=float(digitized.mean()) if len(unique) else 0.0,
        tthc_records=int(tthc.sum()),
        tthc_digitized=int((tthc & digitized).sum()),
        pages_expected=int(sheets.sum()),
        pages_scanned=int(pages.sum()),
        files=len(files),
        problems=len(unique) - int(digitized.sum()) - missing,
        missing=missing,
    )


#: One figure of a two-column table: its label key, its value and its kind (see .present).
FigureRow = tuple[str, object, str]


def headline_rows(h: Headline) -> list[FigureRow]:
    """The headline figures with their kinds, for a page (as text) or a workbook (as numbers)."""
    return [
        ("report.records", h.records, "count"),
        ("report.records_unique", h.unique_records, "count"),
        ("report.digitized", h.digitized, "count"),
        ("report.completion", h.completion, "percent"),
        ("report.tthc", h.tthc_records, "count"),
        ("report.tthc_completion", h.tthc_completion, "percent"),
        ("report.pages_expected", h.pages_expected, "count"),
        ("report.pages_scanned", h.pages_scanned, "count"),
        ("report.files", h.files, "count"),
    ]


def rows_table(rows: list[FigureRow], lang: str = "vi") -> pd.DataFrame:
    """Figure rows as a two-column table of text, written the reader's way."""
    from .present import shown

    return pd.DataFrame(
        {
            t("col.metric", lang): [t(k, lang) for k, _, _ in rows],
            t("col.figure", lang): [shown(v, kind, lang) for _, v, kind in rows],
        }
    )


def headline_table(h: Headline, lang: str = "vi") -> pd.DataFrame:
    """The headline figures as text ("92,3%", "1.204" in Vietnamese)."""
    return rows_table(headline_rows(h), lang)


def status_counts(
    frame: pd.DataFrame, statuses: tuple[str, ...], lang: str = "vi", mask: pd.Series | None = None
) -> pd.DataFrame:
    """Count and share (0-1) per status, every status listed (zero included), in contract
    order; with no rows at all the shares are blank (a share of nothing is no 0%)."""
    status = frame["status"] if mask is None else frame["status"][mask]
    counts = status.value_counts()
    total = len(status)
    return pd.DataFrame(
        {
            "status": list(statuses),
            t("col.status", lang): [t(f"status.{s}", lang) for s in statuses],
            t("col.count", lang): [int(counts.get(s, 0)) for s in statuses],
            t("col.percent", lang): pd.Series(
                [counts.get(s, 0) / total if total else None for s in statuses], dtype=object
            ),
        }
    )


def record_status_counts(
    records: pd.DataFrame, lang: str = "vi", tthc_only: bool = False
) -> pd.DataFrame:
    """Records per status, each share taken of the records that are not repeated rows: the
    base the completion share has (:class:`Headline`), so "digitized" reads the same share in
    every table and headline. A repeated row is counted but has no share: it is no record."""
    mask = _bool(records["tthc"]) if tthc_only else None
    out = status_counts(records, RECORD_STATUSES, lang, mask)
    count = out[t("col.count", lang)]
    repeats = out["status"] == RecordStatus.DUPLICATE_ENTRY
    base = int(count[~repeats].sum())
    out[t("col.percent", lang)] = pd.Series(
        [None if r or not base else n / base for n, r in zip(count, repeats)],
        dtype=object,
    )
    return out


def share_basis(h: Headline, lang: str = "vi") -> str:
    """How every completion share of a report is taken, as a sentence under its figures."""
    from .numbers import integer

    return t(
        "report.share_basis",
        lang,
        records=integer(h.unique_records, lang),
        repeats=integer(h.records - h.unique_records, lang),
    )


def file_status_counts(files: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    return status_counts(files, FILE_STATUSES, lang)


def progress_by(records: pd.DataFrame, column: str) -> pd.DataFrame:
    """Records and digitized records per box or per year, in order (unknown last)."""
    status = records["status"]
    unique = status != RecordStatus.DUPLICATE_ENTRY
    key = pd.to_numeric(records[column][unique], errors="coerce")
    table = pd.DataFrame({"key": key, "digitized": status[unique] == RecordStatus.DIGITIZED})
    grouped = table.groupby("key", dropna=False).agg(
        records=("digitized", "size"), digitized=("digitized", "sum")
    )
    grouped["completion"] = grouped["digitized"] / grouped["records"]
    out = grouped.reset_index()
    out["key"] = out["key"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return out


def problem_table(records: pd.DataFrame, files: pd.DataFrame, key: str) -> pd.DataFrame:
    """The records or files with the problem ``key`` (:data:`PROBLEMS`), in the shown columns."""
    table, statuses, columns = PROBLEMS[key]
    frame = records if table == "records" else files

    def make() -> pd.DataFrame:
        return frame.loc[frame["status"].isin(statuses), columns].reset_index(drop=True)

    return _kept(f"problem.{key}", frame, None, make)


def review_table(run: Run, locality: str, lang: str | None = None) -> pd.DataFrame:
    """The locality's pairs for a person to decide, the reasons in ``lang`` when given."""
    candidates = run.table("candidates")
    mine = candidates[candidates["locality"] == locality][REVIEW_VIEW].reset_index(drop=True)
    return mine if lang is None else notes_in_language(mine, lang, run_language(run.meta))


CHANGE_VIEW = ["kind", "path", "other_path", "old_xxh3_128", "scanned_at"]


def change_table(run: Run, locality: str, lang: str = "vi") -> pd.DataFrame:
    """What the scans saw change since the previous audit, kinds in the report's language.

    The hash is the content before: a changed file's old hash, a moved or deleted file's own."""
    changes = run.table("scan_changes")
    mine = changes[changes["locality"] == locality]
    return pd.DataFrame(
        {
            "kind": [t(f"change.{k}", lang) for k in mine["kind"]],
            "path": [f"{r}/{p}" for r, p in zip(mine["root"], mine["path"])],
            "other_path": [
                f"{r}/{p}" if p else "" for r, p in zip(mine["root"], mine["other_path"])
            ],
            "old_xxh3_128": list(mine["xxh3_128"]),
            "scanned_at": list(mine["scanned_at"]),
        },
        columns=CHANGE_VIEW,
    )


def issue_table(run: Run, locality: str) -> pd.DataFrame:
    issues = run.table("inventory_issues")
    if issues.empty:
        return pd.DataFrame(columns=ISSUE_VIEW)
    return issues[issues["locality"] == locality][ISSUE_VIEW].reset_index(drop=True)


SCAN_PROBLEM_VIEW = ["scan_root", "path", "problem"]


def scan_problem_table(run: Run, locality: str, lang: str | None = None) -> pd.DataFrame:
    """The locality's folders and links the scan could not enter, and its scans a bag or
    Windows cannot hold as named (``scan_problems.csv``), each problem in ``lang`` when given
    (the scan catalogue keeps what an earlier scan wrote, in the language it ran in)."""
    problems = run.table("scan_problems")
    if problems.empty:
        return pd.DataFrame(columns=SCAN_PROBLEM_VIEW)
    mine = problems[problems["locality"] == locality].rename(columns={"root": "scan_root"})
    mine = mine[SCAN_PROBLEM_VIEW].reset_index(drop=True)
    return mine if lang is None else notes_in_language(mine, lang, None)


def localized(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Column headings, statuses and other codes (an inventory problem, a severity) in the
    report's language; the values stay as they are (see :mod:`.present` to show them)."""
    from .present import CODES, code_text

    out = frame.copy()
    for column in CODES:
        if column in out.columns:
            out[column] = [code_text(column, v, lang) for v in out[column]]
    known = catalogue(lang)
    return out.rename(columns={c: t(f"col.{c}", lang) for c in out.columns if f"col.{c}" in known})


def fingerprint_table(meta: dict, lang: str = "vi") -> pd.DataFrame:
    """What makes the report reproducible: version, run id, parameters, input digests (the
    review decisions in force and, when an OCR engine read pages, the texts it read: both
    change statuses, so both are in the fingerprint)."""
    rows = [
        (t("report.tool_version", lang), meta.get("version", "")),
        (t("report.run_id", lang), meta.get("run_id", "")),
        (t("report.fingerprint_digest", lang), meta.get("fingerprint", "")),
        (t("report.parameters", lang), _parameters_text(meta.get("parameters", {}), lang)),
        (t("report.catalogue_sha256", lang), meta.get("scan_catalogue_sha256", "")),
        (t("report.project_sha256", lang), meta.get("project", {}).get("sha256", "")),
    ]
    for key in ("decisions_sha256", "ocr_texts_sha256"):
        if meta.get(key):
            rows.append((t(f"report.{key}", lang), meta[key]))
    known = catalogue(lang)
    rows += [
        (
            t(
                "report.input",
                lang,
                kind=known.get(f"report.input_kind.{i['kind']}", i["kind"]),
                path=i["path"],
            ),
            i["sha256"],
        )
        for i in meta.get("inputs", [])
    ]
    return pd.DataFrame(rows, columns=[t("col.metric", lang), t("col.figure", lang)])


def _parameters_text(parameters: dict, lang: str = "vi") -> str:
    """The run's parameters as "key=value" pairs, values written the reader's way (a truth
    value as a word, an unset value as a dash)."""
    from .present import shown

    def value(v: object) -> str:
        return "—" if v is None or v == "" else shown(v, "text", lang)

    flat = []
    for key, item in parameters.items():
        if isinstance(item, dict):
            flat += [f"{key}.{k}={value(v)}" for k, v in item.items()]
        else:
            flat.append(f"{key}={value(item)}")
    return "; ".join(flat)


def locality_history(run: Run, locality: str) -> pd.DataFrame:
    """This locality's audits up to this run (excluded runs left out), oldest first."""
    history = run.table("history")
    if history.empty:
        return history
    mine = history[(history["locality"] == locality) & (history["excluded"] == "")]
    return mine.sort_values("as_of").reset_index(drop=True)


def locality_forecast(run: Run, locality: str) -> dict | None:
    forecast = run.table("forecast")
    if forecast.empty:
        return None
    rows = forecast[forecast["locality"] == locality]
    return rows.iloc[0].to_dict() if len(rows) else None


def deadline(run: Run) -> str:
    return str(run.meta.get("parameters", {}).get("progress", {}).get("deadline") or "")


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def forecast_rows(forecast: dict | None, lang: str = "vi") -> list[FigureRow]:
    """The trend figures of one locality with their kinds (none without a forecast row)."""
    if not forecast:
        return []
    earliest, latest = forecast.get("earliest"), forecast.get("latest")
    from .numbers import date_text, is_blank

    span = (
        f"{date_text(earliest, lang)} – {date_text(latest, lang)}"
        if not is_blank(earliest) and not is_blank(latest)
        else ""
    )
    note = forecast.get("note")
    return [
        ("report.tthc_completion", _number(forecast.get("tthc_completion")), "percent"),
        ("report.runs", _number(forecast.get("runs")), "plain"),
        ("report.pace", _number(forecast.get("pace")), "decimal"),
        (
            "report.forecast_date",
            forecast.get("forecast") or t("report.no_forecast", lang),
            "date",
        ),
        ("report.forecast_range", span, "text"),
        ("report.days_vs_deadline", _number(forecast.get("days_vs_deadline")), "days"),
        ("report.pages_to_scan", _number(forecast.get("pages_to_scan")), "count"),
        ("report.working_days", _number(forecast.get("working_days")), "decimal"),
        ("report.budget", _number(forecast.get("budget")), "count"),
        ("col.note", t(f"forecast.{note}", lang) if not is_blank(note) else "", "text"),
    ]


def forecast_figures(forecast: dict | None, lang: str = "vi") -> pd.DataFrame:
    """The trend figures of one locality as a two-column table of text."""
    return rows_table(forecast_rows(forecast, lang), lang)


QUALITY_VIEW = ["path", "format", "pages", "dpi", "color_mode", "pdfa", "quality", "status"]


@dataclass(frozen=True)
class QualityFigures:
    """How much of a locality's scanning meets the project's standard (quality.py)."""

    files: int  # scan files judged
    files_ok: int
    pages: int  # their pages
    pages_ok: int

    @property
    def share(self) -> float | None:
        """Pages at standard over all pages judged; None when there are none."""
        return self.pages_ok / self.pages if self.pages else None


def _judged(files: pd.DataFrame) -> pd.DataFrame:
    """Scan files (other formats have no quality), with their shortfalls as text."""
    from ..scan.inspect import SCAN_FORMATS

    scans = files[files["format"].isin(SCAN_FORMATS)]
    quality = scans["quality"] if "quality" in scans else pd.Series("", index=scans.index)
    return scans.assign(quality=quality.fillna("").astype(str))


def quality_figures(files: pd.DataFrame) -> QualityFigures:
    """Files and pages at the standard: a file's pages count when the file has no shortfall."""
    return _kept("quality", None, files, lambda: _quality_figures(files))


def _quality_figures(files: pd.DataFrame) -> QualityFigures:
    scans = _judged(files)
    pages = pd.to_numeric(scans["pages"], errors="coerce").fillna(0)
    ok = scans["quality"] == ""
    return QualityFigures(
        files=len(scans),
        files_ok=int(ok.sum()),
        pages=int(pages.sum()),
        pages_ok=int(pages[ok].sum()),
    )


def quality_share_text(figures: QualityFigures, lang: str = "vi") -> str:
    from .numbers import percent

    return percent(figures.share, lang)


def quality_table(files: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The scan files below the standard and why, in the reader's language, by path."""
    return _kept(f"quality_table.{lang}", None, files, lambda: _quality_table(files, lang))


def _quality_table(files: pd.DataFrame, lang: str) -> pd.DataFrame:
    from ..quality import explain

    scans = _judged(files)
    below = scans[scans["quality"] != ""].sort_values("path")
    view = below.reindex(columns=QUALITY_VIEW).reset_index(drop=True)
    view["quality"] = [explain(q, lang) for q in below["quality"]]
    return view


def quality_standard(meta: dict, lang: str = "vi") -> str:
    """The standard the run applied (from its parameters), as a sentence."""
    from ..quality import QualitySettings

    settings = {**QualitySettings().as_dict(), **meta.get("parameters", {}).get("quality", {})}
    return t(
        "report.quality_intro",
        lang,
        min_dpi=settings["min_dpi"],
        pdfa=t(
            "report.quality_required" if settings["require_pdfa"] else "report.quality_any", lang
        ),
        color=t(f"quality.mode.{settings['color_mode']}", lang)
        if settings["color_mode"]
        else t("report.quality_any", lang),
    )
