"""Gap exploration for analysts: what is not digitized and which scans nobody claimed, the
scans nearest a missing record and the records nearest an orphan scan, and decisions about any
of them, from a JupyterLab notebook (notebooks/explore_gaps.ipynb).

The queries are plain functions over the run tables (tested); :func:`explorer` wires them to
ipywidgets, and decisions go through the same log as ``khaudit review import``
(:func:`khaudit.match.decisions.record_decisions`), which refuses a decision without a reviewer.
Tables are shown with itables: searchable, sortable, every row, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..contract import FileStatus, RecordStatus, true_column
from ..errors import KhauditError
from ..i18n import t
from ..match.decisions import Decision, record_decisions
from ..run import Run

GAP_STATUSES = (
    RecordStatus.MISSING,
    RecordStatus.PAGE_MISMATCH,
    RecordStatus.DAMAGED_SCAN,
    RecordStatus.NEEDS_REVIEW,
    RecordStatus.DUPLICATE_ENTRY,
)
#: Scan files no record claims (the orphans) and those waiting for a person to link them.
ORPHAN_STATUSES = (FileStatus.ORPHAN, FileStatus.NEEDS_REVIEW)
GAP_COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "box",
    "file_no",
    "title",
    "year_start",
    "sheets",
    "pages",
    "status",
    "note",
]
ORPHAN_COLUMNS = ["locality", "root", "path", "format", "pages", "size", "status", "note"]
#: A candidate pair (a record and a scan), whichever side it was found from.
OPTION_COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "path",
    "xxh3_128",
    "candidate_score",
    "origin",
    "explanation",
]
#: How many near candidates to propose beside the linker's own.
NEAREST = 10


def localities(run: Run) -> list[str]:
    return [loc["name"] for loc in run.meta.get("localities", [])]


def _folded(values: pd.Series) -> pd.Series:
    from ..textnorm import fold

    return values.fillna("").astype(str).map(fold)


def gaps(
    run: Run,
    locality: str | None = None,
    statuses: tuple[str, ...] = GAP_STATUSES,
    text: str = "",
    tthc_only: bool = False,
) -> pd.DataFrame:
    """Records that are not digitized, filtered; ``text`` searches title, code and note
    without regard to case or Vietnamese marks."""
    from ..textnorm import fold

    records = run.records
    mask = records["status"].isin(statuses)
    if locality:
        mask &= records["locality"] == locality
    if tthc_only:
        mask &= true_column(records["tthc"])
    if text.strip():
        haystack = _folded(records["title"] + " " + records["record_code"].fillna("") + " ")
        haystack = haystack + " " + _folded(records["note"])
        mask &= haystack.str.contains(fold(text), regex=False)
    return records.loc[mask, GAP_COLUMNS].reset_index(drop=True)


def orphans(run: Run, locality: str | None = None, text: str = "") -> pd.DataFrame:
    """Scan files no record claims, or waiting for review; ``text`` searches the path."""
    from ..textnorm import fold

    files = run.files
    mask = files["status"].isin(ORPHAN_STATUSES)
    if locality:
        mask &= files["locality"] == locality
    if text.strip():
        mask &= _folded(files["path"]).str.contains(fold(text), regex=False)
    columns = [c for c in ORPHAN_COLUMNS if c in files.columns]
    return files.loc[mask, [*columns, "xxh3_128"]].reset_index(drop=True)


def candidates_for(
    run: Run, locality: str, source_file: str, source_sheet: str, source_row: int
) -> pd.DataFrame:
    """The scans the linker proposed for one record, best first."""
    table = run.table("candidates")
    if table.empty:
        return table
    mine = table[
        (table["locality"] == locality)
        & (table["source_file"] == source_file)
        & (table["source_sheet"].astype(str) == str(source_sheet or ""))
        & (table["source_row"].astype(str) == str(source_row))
    ]
    return mine.sort_values("candidate_score", ascending=False).reset_index(drop=True)


def _words(values: pd.Series) -> pd.Series:
    """Folded text with separators as spaces, so "H56.22366.2021.0075" and a file named
    "H56_22366_2021_0075" share their words."""
    return _folded(values).str.replace(r"[/\\_.\-,;:()]+", " ", regex=True)


def _record_text(frame: pd.DataFrame) -> pd.Series:
    return _words(frame["record_code"].fillna("").astype(str) + " " + frame["title"].fillna(""))


def _path_text(paths: pd.Series) -> pd.Series:
    """A scan's path as words: folders and name, the extension dropped."""
    return _words(paths.astype(str).str.replace(r"\.[A-Za-z0-9]{2,4}$", "", regex=True))


def _similar(query: str, choices: pd.Series, limit: int) -> list[tuple[int, float]]:
    """(position, score 0..1) of the ``limit`` choices nearest ``query``, best first.

    Shared words weigh most (a file name holds a part of the record's words: the code, the
    start of a cut title); their order breaks the ties between names that share as many.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    if not query.strip() or choices.empty:
        return []
    shared = process.cdist([query], list(choices), scorer=fuzz.token_set_ratio)[0]
    ordered = process.cdist([query], list(choices), scorer=fuzz.token_sort_ratio)[0]
    score = (0.7 * shared + 0.3 * ordered) / 100
    best = np.argsort(-score, kind="stable")[:limit]
    return [(int(i), round(float(score[i]), 3)) for i in best if score[i] >= 0.3]


def _linker_options(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame(columns=OPTION_COLUMNS)
    options = table.assign(origin="linker")
    return options[[c for c in OPTION_COLUMNS if c in options.columns]]


def _options(linker: pd.DataFrame, near: pd.DataFrame) -> pd.DataFrame:
    """The linker's candidates first, then the near ones it did not propose; one row a pair."""
    both = pd.concat([_linker_options(linker), near], ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=OPTION_COLUMNS)
    both = both.drop_duplicates(["path", "xxh3_128", "source_file", "source_sheet", "source_row"])
    return both.reindex(columns=OPTION_COLUMNS).reset_index(drop=True)


def nearest_scans(
    run: Run, record: Mapping[str, Any], limit: int = NEAREST, lang: str = "vi"
) -> pd.DataFrame:
    """Scans that could be this record: the linker's candidates, then the files of its
    locality whose path is nearest its code and title (``file_status`` says whether another
    record already has a file)."""
    locality = str(record["locality"])
    files = run.files[run.files["locality"] == locality]
    files = files[files["xxh3_128"].fillna("").astype(str) != ""].reset_index(drop=True)
    query = _record_text(pd.DataFrame([dict(record)])).iloc[0]
    found = _similar(query, _path_text(files["path"]), limit)
    near = pd.DataFrame(
        [_pair(record, files.iloc[i], score, lang) for i, score in found],
        columns=OPTION_COLUMNS,
    )
    linker = candidates_for(
        run, locality, record["source_file"], record["source_sheet"], record["source_row"]
    )
    options = _options(linker, near)
    status = dict(zip(files["path"], files["status"]))
    return options.assign(file_status=options["path"].map(status).fillna(""))


def nearest_records(
    run: Run, scan: Mapping[str, Any], limit: int = NEAREST, lang: str = "vi"
) -> pd.DataFrame:
    """Records that could be this scan: the linker's candidates for it, then the records of
    its locality not yet digitized whose code and title are nearest its path."""
    locality = str(scan["locality"])
    records = run.records
    open_records = records[
        (records["locality"] == locality) & (records["status"] != RecordStatus.DIGITIZED)
    ].reset_index(drop=True)
    query = _path_text(pd.Series([str(scan["path"])])).iloc[0]
    found = _similar(query, _record_text(open_records), limit)
    near = pd.DataFrame(
        [_pair(open_records.iloc[i], scan, score, lang) for i, score in found],
        columns=OPTION_COLUMNS,
    )
    table = run.table("candidates")
    linker = table[(table["locality"] == locality) & (table["path"] == scan["path"])]
    options = _options(linker.sort_values("candidate_score", ascending=False), near)
    return options.assign(file_status=str(scan.get("status", "")))


def _pair(record: Mapping[str, Any], scan: Mapping[str, Any], score: float, lang: str) -> dict:
    """A near pair: the record, the scan, how near (0..1) and why, in ``lang``."""
    return {
        "locality": record["locality"],
        "source_file": record["source_file"],
        "source_sheet": record["source_sheet"],
        "source_row": record["source_row"],
        "record_code": record["record_code"],
        "title": record["title"],
        "path": scan["path"],
        "xxh3_128": scan["xxh3_128"],
        "candidate_score": score,
        "origin": "nearest",
        "explanation": t("gaps.nearest_why", lang, score=round(100 * score)),
    }


def decide(decisions_file: Path, candidate: pd.Series | dict, verdict: str, by: str = "") -> int:
    """Record a decision about one candidate pair (a row of an options table).

    ``by`` is required: a decision a handover rests on names the person who made it.
    """
    if not str(by or "").strip():
        raise KhauditError(t("err.review.by"))
    row = dict(candidate)
    return record_decisions(
        decisions_file,
        [
            Decision(
                locality=str(row["locality"]),
                content=str(row["xxh3_128"]),
                source_file=str(row["source_file"]),
                source_sheet=str(row.get("source_sheet") or ""),
                source_row=int(row["source_row"]),
                verdict=verdict,
                path=str(row["path"]),
            )
        ],
        by=str(by).strip(),
    )


def explorer(run: Run, decisions_file: Path | None = None, by: str = "", lang: str = "vi") -> Any:
    """The interactive explorer (see :mod:`khaudit.report.explorer`)."""
    from .explorer import explorer as build

    return build(run, decisions_file, by=by, lang=lang)
