"""One audit: project -> inventories + scans -> matching -> reconciliation -> the run.

Data flows one way; this module only wires the stages together and records what went in
(digests of every input, of the scan catalogue and of the review decisions applied) so the run
can be reproduced and checked: anything that can change a status is in the fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from . import executor
from ._version import __version__
from .contract import FILE_STATUSES, RECORD_STATUSES
from .forecast import forecast_all, forecast_table
from .history import HistoryEntry, history_table, locality_snapshot, read_history, record_run
from .i18n import t
from .inventory.issues import InventoryIssue
from .inventory.limits import MAX_TEXT_BYTES, MAX_WORKBOOK_BYTES
from .inventory.loader import load_locality
from .inventory.readers import sha256_quietly
from .match.content import TEXT_HEAD, ocr_digest, with_ocr, with_texts
from .match.decisions import DecisionIndex, read_decisions
from .match.link import match_locality
from .match.settings import MatchSettings
from .match.sidecar import SidecarEntry, SidecarIndex, read_sidecar
from .progress import NoProgress, StageProgress
from .project import Locality, Project, load_project
from .quality import QualitySettings
from .reconcile import candidate_table, reconcile
from .run import (
    FORECAST_COLUMNS,
    HISTORY_COLUMNS,
    TABLE_COLUMNS,
    Run,
    RunWriter,
    digest_rows,
    run_meta,
    status_counts,
)
from .scan.catalogue import Catalogue, ScanResult, scan_roots
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
    #: Digest of the OCR texts matching read ("" when none was recognised).
    ocr_digest: str = ""


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _input(locality: str, kind: str, path: Path, display: str) -> dict[str, object]:
    """One input of the fingerprint: an inventory or a sidecar (in a scan root or the
    project's own), whose content changes statuses. One that vanished since it was read has
    no size and an empty digest, which differs from any content's; one too large to be read
    has its size and an empty digest (its content changes nothing: it is refused whole)."""
    try:
        size: int | None = path.stat().st_size
        digest = sha256_quietly(path, max(MAX_TEXT_BYTES, MAX_WORKBOOK_BYTES))
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
    ocr_digest: str = ""


def _sidecars(
    locality: Locality, others: pd.DataFrame, base: Path, lang: str
) -> tuple[list[SidecarEntry], list[str], list[dict[str, object]]]:
    """The sidecars found under the scan roots: their entries, the reason each non-scan file
    is ignored (in ``others``' order) and each sidecar as an input of the fingerprint."""
    entries: list[SidecarEntry] = []
    reasons: list[str] = []
    inputs: list[dict[str, object]] = []
    for row in others.itertuples(index=False):
        if row.role == "inventory":
            reasons.append(t("ignored.inventory", lang))
            continue
        if row.role != "sidecar":
            reasons.append(t("ignored.system", lang))
            continue
        path = base / row.root / row.path
        inputs.append(_input(locality.name, "sidecar", path, f"{row.root}/{row.path}"))
        unreadable: list[str] = []
        notes: list[str] = []
        found = read_sidecar(path, unreadable, notes, lang)
        folder = row.path.rsplit("/", 1)[0] if "/" in row.path else ""
        entries += [replace(entry, folder=folder) for entry in found]
        reasons.append(
            "; ".join([t("ignored.sidecar", lang, n=len(found)), *notes])
            if found
            else t("ignored.unreadable", lang, error=unreadable[0])
            if unreadable
            else t("ignored.not_sidecar", lang)
        )
    return entries, reasons, inputs


def _inventories_apart(files: pd.DataFrame, project: Project) -> pd.DataFrame:
    """``files`` with the project's inventory files that lie under a scan root given the role
    ``inventory``: each is read once, as the inventory, never also as a sidecar of the scans
    or an orphan scan, and is listed in ignored_files.csv saying so."""
    inventories = {str(p) for loc in project.localities for p, _ in loc.inventories}
    if not len(files) or not inventories:
        return files
    base = str(project.base)
    places = [
        os.path.normpath(os.path.join(base, str(root), str(path)))
        for root, path in zip(files["root"], files["path"])
    ]
    inside = [place in inventories for place in places]
    if not any(inside):
        return files
    roles = ["inventory" if hit else role for hit, role in zip(inside, files["role"])]
    return files.assign(role=pd.Series(roles, index=files.index, dtype="object"))


def _project_sidecar(
    locality: Locality, base: Path, lang: str
) -> tuple[list[SidecarEntry], list[dict[str, object]], list[dict[str, object]]]:
    """The locality's own sidecar named in the project, if any: its entries, a scan problem
    per unreadable part and per cell read as empty, and it as an input of the fingerprint."""
    if locality.sidecar is None:
        return [], [], []
    unreadable: list[str] = []
    notes: list[str] = []
    entries = read_sidecar(locality.sidecar, unreadable, notes, lang)
    display = _relative(locality.sidecar, base)
    said = [t("ignored.unreadable", lang, error=error) for error in unreadable] + notes
    problems: list[dict[str, object]] = [
        {"locality": locality.name, "root": "", "path": display, "problem": problem}
        for problem in said
    ]
    return entries, problems, [_input(locality.name, "sidecar", locality.sidecar, display)]


def _scan(
    project: Project, locality: Locality, catalogue: Catalogue | str | Path | None
) -> ScanResult:
    """The locality's scan roots brought up to date in the catalogue (with the head of each
    first-page text), roots relative to the project's folder."""
    scanned = scan_roots(
        locality.name,
        list(locality.scan_roots),
        sha256=project.scan.sha256,
        workers=project.scan.workers,
        catalogue=catalogue or project.scan.catalogue,
        max_mbps=project.scan.max_mbps,
        texts=TEXT_HEAD,
    )
    for frame in (scanned.files, scanned.changes, scanned.texts):
        frame["root"] = [_relative(Path(r), project.base) for r in frame["root"]]
    return scanned


def _with_content(
    project: Project,
    table: pd.DataFrame,
    texts: pd.DataFrame,
    catalogue: Catalogue | str | Path | None,
) -> pd.DataFrame:
    """The scan files with what their first pages say: the text layer's head, and OCR of
    image-only first pages when the project asks for it."""
    sample = project.content.sample
    scans = with_texts(table[table["role"] == "scan"].reset_index(drop=True), texts, sample)
    if project.content.ocr:
        db = catalogue.db if isinstance(catalogue, Catalogue) else None
        scans = with_ocr(scans, project.base, sample, db, project.scan.workers)
    return scans


def _issue_rows(issues: list[InventoryIssue], lang: str) -> pd.DataFrame:
    rows = pd.DataFrame([i.as_row(lang) for i in issues])
    if len(rows):  # a file-level issue has no row: the column stays whole numbers
        rows["source_row"] = rows["source_row"].astype("Int64")
    return rows


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
        scanned = _scan(project, locality, catalogue)
    table = _inventories_apart(scanned.files, project)
    others = table[table["role"] != "scan"]
    entries, reasons, sidecar_inputs = _sidecars(locality, others, base, lang)
    own_entries, own_problems, own_input = _project_sidecar(locality, base, lang)
    scan_problems: list[dict[str, object]] = [
        {
            "locality": locality.name,
            "root": _relative(p.root, base),
            "path": p.relpath,
            "problem": p.problem,
        }
        for p in scanned.problems
    ]
    scans = _with_content(project, table, scanned.texts, catalogue)
    job = MatchJob(
        locality=locality.name,
        records=records,
        scans=scans,
        sidecars=entries + own_entries,
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
    inventories = [
        _input(locality.name, "inventory", p, shown) for p, shown in locality.inventories
    ]
    return _Prepared(
        job=job,
        issues=_issue_rows(issues, lang),
        ignored=others.assign(reason=reasons),
        problems=pd.DataFrame(
            scan_problems + own_problems, columns=["locality", "root", "path", "problem"]
        ),
        inputs=inventories + sidecar_inputs + own_input,
        changes=scanned.changes,
        scan_ids={s.root: s.scan_id for s in scanned.summaries},
        ocr_digest=ocr_digest(scans),
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
        ocr_digest=prepared.ocr_digest,
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
    is being scanned. Results come back in project order whoever ran them.

    A project of one locality is matched in this process instead: there is no next locality
    to scan meanwhile, its job and outcome need not be copied to a worker and back, and its
    matching may then run its blocks on every core (``match/blockpool.py``). A cluster still
    gets it."""
    waiting: dict[str, _Prepared] = {}

    def jobs():
        for locality in project.localities:
            prepared = _prepare(project, locality, lang, progress, catalogue, decisions)
            waiting[locality.name] = prepared
            progress.started(locality.name, "match")
            yield prepared.job

    for outcome, locality in zip(
        executor.stream_map(
            run_match_job, jobs(), workers=1 if len(project.localities) == 1 else 0, in_flight=1
        ),
        project.localities,
    ):
        prepared = waiting.pop(locality.name)
        progress.done(locality.name, "match")
        yield locality.name, _result(prepared, outcome, project.base)


def _with_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with every contract column of ``table`` (an empty table may have none)."""
    missing = [c for c in TABLE_COLUMNS[table] if c not in frame.columns]
    return frame.assign(**{c: pd.Series(dtype="object") for c in missing}) if missing else frame


#: The run tables a locality's result fills, and where each comes from.
_LOCALITY_TABLES = (
    ("records", "records"),
    ("files", "files"),
    ("inventory_issues", "issues"),
    ("candidates", "candidates"),
    ("ignored_files", "ignored"),
    ("scan_problems", "problems"),
    ("scan_changes", "changes"),
)


@dataclass
class _Totals:
    """What is kept of each locality once its rows are written: counts, a snapshot for the
    history, and the few columns the catalogue digest needs. A province's rows are never all in
    memory at once."""

    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    schemes: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    conventions: dict[str, dict[str, list[dict[str, object]]]] = field(default_factory=dict)
    inputs: list[dict[str, object]] = field(default_factory=list)
    keys: list[pd.DataFrame] = field(default_factory=list)
    #: root -> the scan whose changes this run reports
    audited: dict[str, int] = field(default_factory=dict)
    #: where the catalogue is kept when it is not where the project asked (say so in run.json)
    notes: list[str] = field(default_factory=list)
    #: locality -> digest of the OCR texts its matching read
    ocr: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, result: LocalityResult, min_pages_per_sheet: float) -> None:
        files = _with_columns(result.files, "files")
        self.counts[name] = {
            "records": status_counts(result.records, RECORD_STATUSES),
            "files": status_counts(files, FILE_STATUSES),
        }
        self.snapshots[name] = locality_snapshot(result.records, files, min_pages_per_sheet)
        self.schemes[name] = result.schemes
        self.conventions[name] = result.conventions
        self.inputs += result.inputs
        self.keys.append(files[["locality", "root", "path", "size", "xxh3_128"]])
        self.audited.update(result.scan_ids)
        if result.ocr_digest:
            self.ocr[name] = result.ocr_digest

    def catalogue_digest(self) -> str:
        """The digest of every scan file's identity (locality, root, path, size, content)."""
        if not any(len(k) for k in self.keys):
            return digest_rows([])
        every_file = pd.concat(self.keys, ignore_index=True)
        return digest_rows(
            every_file.sort_values(["locality", "root", "path"]).itertuples(index=False)
        )


def _write_localities(
    project: Project, lang: str, writer: RunWriter
) -> tuple[_Totals, DecisionIndex]:
    """Audit every locality, adding its rows to ``writer`` as it comes back."""
    totals = _Totals()
    progress = StageProgress(len(project.localities))
    try:
        decisions = read_decisions(project.decisions)
        with Catalogue(project.scan.catalogue or ":memory:") as catalogue:
            totals.notes += [catalogue.note] if catalogue.note else []
            for name, result in audit_localities(project, lang, progress, catalogue, decisions):
                for table, attribute in _LOCALITY_TABLES:
                    writer.add(table, _with_columns(getattr(result, attribute), table))
                totals.add(name, result, project.matching.min_pages_per_sheet)
                totals.notes += _unbaggable(project.base, name, result.files)
    except BaseException:
        writer.abort()
        raise
    finally:
        progress.close()
    return totals, decisions


def _unbaggable(base: Path, locality: str, files: pd.DataFrame) -> list[str]:
    """A warning naming the locality's scans a handover cannot carry as they are (names not
    valid UTF-8, paths over Windows' limit, names another's once Unicode-normalised): the
    terminal and run.json say it when the audit ends, not only a row of scan_problems.csv, so
    they are renamed before packaging."""
    from .handover.names import WINDOWS_MAX_PATH, normal_twins, not_utf8, too_long

    bad: list[str] = []
    long: list[str] = []
    twins: list[str] = []
    for root, rows in files.groupby("root", sort=True) if len(files) else []:
        folder = os.path.join(base, str(root))
        paths = [str(p) for p in rows["path"]]
        bad += [f"{root}/{p}" for p in not_utf8(folder, paths)]
        long += [f"{root}/{p}" for p in too_long(folder, paths)]
        twins += [f"{root}/{p}" for p in normal_twins(paths)]
    said = [
        t("audit.normal_twins", locality=locality, n=len(twins), example=example)
        for example in twins[:1]
    ]
    if not bad and not long:
        return said
    return said + [
        t(
            "audit.unbaggable",
            locality=locality,
            n=len(bad) + len(long),
            not_utf8=len(bad),
            long=len(long),
            limit=WINDOWS_MAX_PATH + 1,
            example=(bad or long)[0],
        )
    ]


def _parameters(project: Project, lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "matching": project.matching.as_dict(),
        "quality": project.quality.as_dict(),
        "content": _content_parameters(project),
        "scan": {"sha256": project.scan.sha256},
        "progress": {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in project.progress.__dict__.items()
        },
    }


def _content_parameters(project: Project) -> dict[str, Any]:
    """``[content]`` as the run used it, with the OCR engine that read image-only pages
    (None when OCR was not asked for or the machine has no Tesseract with Vietnamese)."""
    from .scan import ocr

    engine = ocr.engine() if project.content.ocr else None
    return {"sample": project.content.sample, "ocr": project.content.ocr, "ocr_engine": engine}


def _fingerprint_source(
    project: Project, lang: str, totals: _Totals, decisions: DecisionIndex
) -> dict[str, Any]:
    """Everything that can change a status: version, settings (with the OCR engine), every
    input's digest, the scan catalogue's, the review decisions' and the OCR texts'."""
    return {
        "version": __version__,
        "parameters": _parameters(project, lang),
        "project_sha256": hashlib.sha256(project.path.read_bytes()).hexdigest(),
        "inputs": sorted((i["path"], i["sha256"]) for i in totals.inputs),
        "scan_catalogue_sha256": totals.catalogue_digest(),
        "decisions_sha256": decisions.digest(),
        "ocr_texts_sha256": digest_rows(sorted(totals.ocr.items())) if totals.ocr else "",
    }


def _meta(
    project: Project,
    source: dict[str, Any],
    totals: _Totals,
    decisions: DecisionIndex,
    times: tuple[dt.datetime, dt.datetime],
) -> dict[str, Any]:
    """``run.json`` of this audit; ``times`` are the as-of date and the start."""
    as_of, started = times
    return run_meta(
        source,
        title=project.title,
        province=project.province,
        # ``location`` is where this machine found the project (packaging reads it).
        project={
            "path": project.path.name,
            "sha256": source["project_sha256"],
            "location": str(project.path),
        },
        as_of=as_of.isoformat(),
        started=started.isoformat(),
        finished=dt.datetime.now(dt.UTC).isoformat(),
        parameters=source["parameters"],
        inputs=totals.inputs,
        scan_catalogue_sha256=source["scan_catalogue_sha256"],
        decisions_sha256=source["decisions_sha256"],
        ocr_texts_sha256=source["ocr_texts_sha256"],
        decisions=len(decisions),
        warnings=[*totals.notes, *project.warnings, *decisions.problems],
        localities=[
            {"name": loc.name, "slug": loc.slug, "code": loc.code, "former": loc.former}
            for loc in project.localities
        ],
        counts=totals.counts,
        schemes=totals.schemes,
        conventions=totals.conventions,
        handover=project.handover,  # the minutes' parties ([handover] of the project file)
    )


def _write_trend(
    writer: RunWriter, project: Project, meta: dict[str, Any], out: Path, totals: _Totals
) -> dict[str, Any]:
    """Add the history (the project's earlier audits and this one) and the forecast to the
    run; ``meta`` comes back with any unreadable history file among its warnings."""
    history_problems: list[str] = []
    history = read_history(project.history, problems=history_problems) if project.history else []
    this_run = HistoryEntry(
        run_id=meta["run_id"],
        as_of=dt.date.fromisoformat(meta["as_of"][:10]),
        path=out,
        localities=totals.snapshots,
    )
    series = history_table([*(e for e in history if e.run_id != this_run.run_id), this_run])
    try:
        writer.add("history", series.reindex(columns=HISTORY_COLUMNS))
        forecast = forecast_table(forecast_all(series, project.progress))
        writer.add("forecast", forecast.reindex(columns=FORECAST_COLUMNS))
    except BaseException:
        writer.abort()
        raise
    return {**meta, "warnings": [*meta["warnings"], *history_problems]}


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
    writer = RunWriter(
        out,
        scan_roots=[root for loc in project.localities for root in loc.scan_roots],
        inventory_patterns=[p for loc in project.localities for p in loc.inventory_patterns],
    )
    totals, decisions = _write_localities(project, lang, writer)
    source = _fingerprint_source(project, lang, totals, decisions)
    meta = _meta(project, source, totals, decisions, (as_of or started, started))
    meta = writer.commit(_write_trend(writer, project, meta, out, totals))
    if project.history is not None:
        record_run(project.history, meta, totals.snapshots)
    if project.scan.catalogue is not None:  # only a completed run has reported the changes
        with Catalogue(project.scan.catalogue) as catalogue:
            catalogue.mark_audited(totals.audited)
    return Run(path=out, meta=meta)
