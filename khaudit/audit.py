"""One audit: project -> inventories + scans -> matching -> reconciliation -> the run.

Data flows one way; this module only wires the stages together and records what went in
(digests of every input, of the scan catalogue and of the review decisions applied) so the run
can be reproduced and checked: anything that can change a status is in the fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import executor
from ._version import __version__
from .forecast import forecast_all, forecast_table
from .history import HistoryEntry, history_table, locality_snapshot, read_history, record_run
from .i18n import t
from .inventory.loader import load_locality
from .inventory.readers import sha256_quietly
from .match.content import TEXT_HEAD, with_ocr, with_texts
from .match.decisions import DecisionIndex, read_decisions
from .match.link import match_locality
from .match.settings import MatchSettings
from .match.sidecar import SidecarEntry, SidecarIndex, read_sidecar
from .progress import NoProgress, StageProgress
from .project import Locality, Project, load_project
from .quality import QualitySettings
from .reconcile import FILE_STATUSES, RECORD_STATUSES, candidate_table, reconcile
from .run import (
    FORECAST_COLUMNS,
    HISTORY_COLUMNS,
    TABLE_COLUMNS,
    Run,
    RunWriter,
    digest_rows,
    status_counts,
)
from .scan.catalogue import Catalogue, scan_roots
from .zoning.assign import ZoningPlan, plan_locality, zone_records
from .zoning.check import Zone


@dataclass
class LocalityResult:
    records: pd.DataFrame
    files: pd.DataFrame
    issues: pd.DataFrame
    candidates: pd.DataFrame
    ignored: pd.DataFrame
    problems: pd.DataFrame
    schemes: dict[str, dict[str, int]]
    inputs: list[dict[str, object]]
    #: Files changed, moved or deleted since the last audit (run table scan_changes), and the
    #: scan of each root (absolute) this audit reported them up to.
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    scan_ids: dict[str, int] = field(default_factory=dict)
    #: root -> the naming conventions matching adopted there (match/readings.py).
    conventions: dict[str, list[dict[str, object]]] = field(default_factory=dict)


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _input(locality: str, kind: str, path: Path, display: str) -> dict[str, object]:
    """One input of the fingerprint: an inventory or a sidecar (in a scan root or the
    project's own), whose content changes statuses. One that vanished since it was read has
    no size and an empty digest, which differs from any content's."""
    try:
        size: int | None = path.stat().st_size
        digest = sha256_quietly(path)
    except OSError:
        size, digest = None, ""
    return {"locality": locality, "kind": kind, "path": display, "size": size, "sha256": digest}


@dataclass
class MatchJob:
    """Everything matching and reconciliation of one locality need, as plain data: it runs
    wherever the executor sends it (a local process, a Dask worker) and touches no file."""

    locality: str
    records: pd.DataFrame
    scans: pd.DataFrame
    sidecars: list[SidecarEntry]
    settings: MatchSettings
    pattern: str
    lang: str
    decisions: DecisionIndex
    quality: QualitySettings = QualitySettings()
    zoning: ZoningPlan | None = None  # None: the locality receives its own records
    receivers: dict[tuple[str, str, int], tuple[str, str]] = field(default_factory=dict)


@dataclass
class MatchOutcome:
    records: pd.DataFrame
    files: pd.DataFrame
    candidates: pd.DataFrame
    schemes: dict[str, dict[str, int]]
    conventions: dict[str, list[dict[str, object]]] = field(default_factory=dict)


def run_match_job(job: MatchJob) -> MatchOutcome:
    """Link one locality's scans to its records and reconcile them into statuses."""
    match = match_locality(
        job.records,
        job.scans,
        SidecarIndex(job.sidecars),
        job.settings,
        pattern=job.pattern,
        lang=job.lang,
        decisions=job.decisions,
    )
    records, files = reconcile(
        job.records, job.scans, match, job.settings, lang=job.lang, quality=job.quality
    )
    plan = job.zoning or ZoningPlan(job.locality, Zone())
    records = zone_records(records, plan, job.receivers, job.lang)
    return MatchOutcome(
        records=records,
        files=files,
        candidates=candidate_table(job.records, match),
        schemes=match.schemes,
        conventions=match.conventions,
    )


@dataclass
class _Prepared:
    """A locality read and scanned, waiting for its matching to come back."""

    job: MatchJob
    issues: pd.DataFrame
    ignored: pd.DataFrame
    problems: pd.DataFrame
    inputs: list[dict[str, object]]
    changes: pd.DataFrame
    scan_ids: dict[str, int]


def _prepare(
    project: Project,
    locality: Locality,
    lang: str,
    progress: StageProgress | NoProgress,
    catalogue: Catalogue | str | Path | None,
    decisions: DecisionIndex,
) -> _Prepared:
    """Load a locality's inventories, bring its scans up to date and read its sidecars."""
    base = project.base
    with progress.stage(locality.name, "inventory"):
        records, issues = load_locality(list(locality.inventories), locality.name, locality.columns)
    with progress.stage(locality.name, "scan"):
        scanned = scan_roots(
            locality.name,
            list(locality.scan_roots),
            sha256=project.scan.sha256,
            workers=project.scan.workers,
            catalogue=catalogue or project.scan.catalogue,
            max_mbps=project.scan.max_mbps,
            texts=TEXT_HEAD,
        )
    table = scanned.files
    table["root"] = [_relative(Path(r), base) for r in table["root"]]
    texts = scanned.texts.assign(root=[_relative(Path(r), base) for r in scanned.texts["root"]])
    scans = with_texts(
        table[table["role"] == "scan"].reset_index(drop=True), texts, project.content.sample
    )
    if project.content.ocr:
        db = catalogue.db if isinstance(catalogue, Catalogue) else None
        scans = with_ocr(scans, base, project.content.sample, db)
    others = table[table["role"] != "scan"]

    entries = []
    reasons = []
    inputs = [
        _input(locality.name, "inventory", path, display) for path, display in locality.inventories
    ]
    for _, row in others.iterrows():
        if row["role"] == "sidecar":
            unreadable: list[str] = []
            inputs.append(
                _input(
                    locality.name,
                    "sidecar",
                    base / row["root"] / row["path"],
                    f"{row['root']}/{row['path']}",
                )
            )
            found = read_sidecar(base / row["root"] / row["path"], unreadable)
            entries += found
            reasons.append(
                t("ignored.sidecar", lang, n=len(found))
                if found
                else t("ignored.unreadable", lang, error=unreadable[0])
                if unreadable
                else t("ignored.not_sidecar", lang)
            )
        else:
            reasons.append(t("ignored.system", lang))
    scan_problems = [
        {
            "locality": locality.name,
            "root": _relative(p.root, base),
            "path": p.relpath,
            "problem": p.problem,
        }
        for p in scanned.problems
    ]
    if locality.sidecar is not None:
        unreadable = []
        entries += read_sidecar(locality.sidecar, unreadable)
        scan_problems += [
            {
                "locality": locality.name,
                "root": "",
                "path": _relative(locality.sidecar, base),
                "problem": t("ignored.unreadable", lang, error=error),
            }
            for error in unreadable
        ]
    problems = pd.DataFrame(scan_problems, columns=["locality", "root", "path", "problem"])
    if locality.sidecar is not None:
        inputs.append(
            _input(locality.name, "sidecar", locality.sidecar, _relative(locality.sidecar, base))
        )
    job = MatchJob(
        locality=locality.name,
        records=records,
        scans=scans,
        sidecars=entries,
        settings=project.matching,
        pattern=locality.naming_pattern,
        lang=lang,
        decisions=decisions,
        quality=project.quality,
        zoning=plan_locality(
            locality.name, locality.zone, project.province, project.default_receiver
        ),
        receivers=decisions.receivers(locality.name),
    )
    changes = scanned.changes.assign(
        root=[_relative(Path(r), base) for r in scanned.changes["root"]]
    )
    issue_rows = pd.DataFrame([i.as_row(lang) for i in issues])
    if len(issue_rows):  # a file-level issue has no row: the column stays whole numbers
        issue_rows["source_row"] = issue_rows["source_row"].astype("Int64")
    return _Prepared(
        job=job,
        issues=issue_rows,
        ignored=others.assign(reason=reasons),
        problems=problems,
        inputs=inputs,
        changes=changes,
        scan_ids={s.root: s.scan_id for s in scanned.summaries},
    )


def _result(prepared: _Prepared, outcome: MatchOutcome, base: Path) -> LocalityResult:
    return LocalityResult(
        records=outcome.records,
        files=outcome.files,
        issues=prepared.issues,
        candidates=outcome.candidates,
        ignored=prepared.ignored,
        problems=prepared.problems,
        schemes={
            _relative(Path(root), base) if os.path.isabs(root) else root: counts
            for root, counts in outcome.schemes.items()
        },
        conventions={
            _relative(Path(root), base) if os.path.isabs(root) else root: adopted
            for root, adopted in outcome.conventions.items()
        },
        inputs=prepared.inputs,
        changes=prepared.changes,
        scan_ids=prepared.scan_ids,
    )


def audit_localities(
    project: Project,
    lang: str,
    progress: StageProgress | NoProgress,
    catalogue: Catalogue,
    decisions: DecisionIndex,
) -> Iterator[tuple[str, LocalityResult]]:
    """Every locality: read and scanned here one after another, matched and reconciled on the
    executor (local processes or a Dask cluster), which works on one locality while the next
    is being scanned. Results come back in project order whoever ran them."""
    waiting: dict[str, _Prepared] = {}

    def jobs():
        for locality in project.localities:
            prepared = _prepare(project, locality, lang, progress, catalogue, decisions)
            waiting[locality.name] = prepared
            progress.started(locality.name, "match")
            yield prepared.job

    for outcome, locality in zip(
        executor.stream_map(run_match_job, jobs(), in_flight=1), project.localities
    ):
        prepared = waiting.pop(locality.name)
        progress.done(locality.name, "match")
        yield locality.name, _result(prepared, outcome, project.base)


def _with_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with every contract column of ``table`` (an empty table may have none)."""
    missing = [c for c in TABLE_COLUMNS[table] if c not in frame.columns]
    return frame.assign(**{c: pd.Series(dtype="object") for c in missing}) if missing else frame


def audit(
    project: Project | str | Path,
    out: str | Path,
    lang: str = "vi",
    as_of: dt.datetime | None = None,
    scheduler: str | None = None,
) -> Run:
    """Audit every locality of ``project`` and write the run to ``out``.

    ``scheduler`` (or the project's ``[cluster] scheduler``) runs the work on a Dask cluster.
    """
    if not isinstance(project, Project):
        project = load_project(project)
    if scheduler or project.scheduler:
        executor.configure(scheduler or project.scheduler)
    out = Path(out)
    started = dt.datetime.now(dt.UTC)
    progress = StageProgress(len(project.localities))
    writer = RunWriter(
        out, scan_roots=[root for loc in project.localities for root in loc.scan_roots]
    )
    # What is kept of each locality once its rows are written: counts, a snapshot for the
    # history, and the few columns the catalogue digest needs. A province's rows are never
    # all in memory at once.
    counts: dict[str, dict[str, dict[str, int]]] = {}
    snapshots: dict[str, dict[str, Any]] = {}
    schemes: dict[str, dict[str, dict[str, int]]] = {}
    conventions: dict[str, dict[str, list[dict[str, object]]]] = {}
    inputs: list[dict[str, object]] = []
    keys: list[pd.DataFrame] = []
    audited: dict[str, int] = {}  # root -> the scan whose changes this run reports
    try:
        decisions = read_decisions(project.decisions)
        with Catalogue(project.scan.catalogue or ":memory:") as catalogue:
            notes = [catalogue.note] if catalogue.note else []  # kept in the cache: say where
            for name, result in audit_localities(project, lang, progress, catalogue, decisions):
                for table, frame in (
                    ("records", result.records),
                    ("files", result.files),
                    ("inventory_issues", result.issues),
                    ("candidates", result.candidates),
                    ("ignored_files", result.ignored),
                    ("scan_problems", result.problems),
                    ("scan_changes", result.changes),
                ):
                    writer.add(table, _with_columns(frame, table))
                audited.update(result.scan_ids)
                files = _with_columns(result.files, "files")
                counts[name] = {
                    "records": status_counts(result.records, RECORD_STATUSES),
                    "files": status_counts(files, FILE_STATUSES),
                }
                snapshots[name] = locality_snapshot(
                    result.records, files, project.matching.min_pages_per_sheet
                )
                schemes[name] = result.schemes
                conventions[name] = result.conventions
                inputs += result.inputs
                keys.append(files[["locality", "root", "path", "size", "xxh3_128"]])
    except BaseException:
        writer.abort()
        raise
    finally:
        progress.close()

    every_file = pd.concat(keys, ignore_index=True) if keys else pd.DataFrame()
    catalogue_digest = (
        digest_rows(every_file.sort_values(["locality", "root", "path"]).itertuples(index=False))
        if len(every_file)
        else digest_rows([])
    )
    del every_file, keys
    project_text = project.path.read_bytes()
    parameters = {
        "lang": lang,
        "matching": project.matching.as_dict(),
        "quality": project.quality.as_dict(),
        "content": {"sample": project.content.sample, "ocr": project.content.ocr},
        "scan": {"sha256": project.scan.sha256},
        "progress": {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in project.progress.__dict__.items()
        },
    }
    fingerprint_source = {
        "version": __version__,
        "parameters": parameters,
        "project_sha256": hashlib.sha256(project_text).hexdigest(),
        "inputs": sorted((i["path"], i["sha256"]) for i in inputs),
        "scan_catalogue_sha256": catalogue_digest,
        "decisions_sha256": decisions.digest(),
    }
    fingerprint = hashlib.sha256(
        json.dumps(fingerprint_source, sort_keys=True).encode("utf-8")
    ).hexdigest()
    meta: dict[str, Any] = {
        "tool": "khaudit",
        "version": __version__,
        "run_id": fingerprint[:16],
        "fingerprint": fingerprint,
        "title": project.title,
        "province": project.province,
        "project": {
            "path": project.path.name,
            "sha256": fingerprint_source["project_sha256"],
            "location": str(project.path),
        },  # where this machine found it (packaging)
        "as_of": (as_of or started).isoformat(),
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "parameters": parameters,
        "inputs": inputs,
        "scan_catalogue_sha256": catalogue_digest,
        "decisions_sha256": fingerprint_source["decisions_sha256"],
        "decisions": len(decisions),
        "warnings": [*notes, *project.warnings, *decisions.problems],
        "localities": [
            {"name": loc.name, "slug": loc.slug, "code": loc.code, "former": loc.former}
            for loc in project.localities
        ],
        "counts": counts,
        "schemes": schemes,
        "conventions": conventions,
        "handover": project.handover,  # the minutes' parties ([handover] of the project file)
    }
    history_problems: list[str] = []
    history = read_history(project.history, problems=history_problems) if project.history else []
    meta["warnings"] = [*meta["warnings"], *history_problems]
    this_run = HistoryEntry(
        run_id=meta["run_id"],
        as_of=dt.date.fromisoformat(meta["as_of"][:10]),
        path=out,
        localities=snapshots,
    )
    series = history_table([*(e for e in history if e.run_id != this_run.run_id), this_run])
    try:
        writer.add("history", series.reindex(columns=HISTORY_COLUMNS))
        writer.add(
            "forecast",
            forecast_table(forecast_all(series, project.progress)).reindex(
                columns=FORECAST_COLUMNS
            ),
        )
    except BaseException:
        writer.abort()
        raise
    meta = writer.commit(meta)
    if project.history is not None:
        record_run(project.history, meta, snapshots)
    if project.scan.catalogue is not None:  # only a completed run has reported the changes
        with Catalogue(project.scan.catalogue) as catalogue:
            catalogue.mark_audited(audited)
    return Run(path=out, meta=meta)
