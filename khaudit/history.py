"""Run history: every audit of a project kept as a dated entry, never rewritten.

One JSON file per run in the project's history folder (``.khaudit/history/`` beside the project
file unless ``[progress] history`` says otherwise), written atomically under a name no other run
can take, so two audits running at once both land. A run is excluded from forecasts by
appending a line with the reason to ``exclusions.jsonl`` (under a lock: the history folder
may be on a share that several machines write); nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .atomic import write_text
from .contract import RecordStatus, true_column
from .errors import KhauditError
from .fslock import FileLock
from .i18n import t

EXCLUSIONS = "exclusions.jsonl"


@dataclass(frozen=True)
class HistoryEntry:
    run_id: str
    as_of: dt.date
    path: Path
    localities: dict[str, dict]
    excluded: str = ""  # the reason, when excluded


def locality_snapshot(
    records: pd.DataFrame, files: pd.DataFrame, min_pages_per_sheet: float = 1.0
) -> dict:
    """What history keeps of one locality's run: counts, pages, and pages still to scan."""
    unique = records[records["status"] != RecordStatus.DUPLICATE_ENTRY]
    status = unique["status"]
    sheets = pd.to_numeric(unique["sheets"], errors="coerce").fillna(0)
    pages = pd.to_numeric(unique["pages"], errors="coerce").fillna(0)
    needed = (sheets * min_pages_per_sheet).round()
    to_do = [RecordStatus.MISSING, RecordStatus.DAMAGED_SCAN, RecordStatus.NEEDS_REVIEW]
    to_scan = needed.where(status.isin(to_do), 0)
    short = (needed - pages).clip(lower=0).where(status == RecordStatus.PAGE_MISMATCH, 0)
    tthc = true_column(unique["tthc"])
    return {
        "records": int(len(unique)),
        "digitized": int((status == RecordStatus.DIGITIZED).sum()),
        "tthc_records": int(tthc.sum()),
        "tthc_digitized": int((tthc & (status == RecordStatus.DIGITIZED)).sum()),
        "statuses": {str(k): int(v) for k, v in status.value_counts().items()},
        "pages_expected": int(needed.sum()),
        "pages_scanned": int(pages.sum()),
        "pages_to_scan": int(to_scan.sum() + short.sum()),
        "files": int(len(files)),
    }


def record_run(history_dir: Path, meta: dict, snapshots: dict[str, dict]) -> Path:
    """Add one run to the history (atomically, under a name of its own)."""
    as_of = meta["as_of"][:10]
    stamp = f"{os.getpid()}_{dt.datetime.now().timestamp():.6f}"
    target = history_dir / f"{as_of}_{meta['run_id']}_{stamp}.json"
    entry = {
        "run_id": meta["run_id"],
        "fingerprint": meta["fingerprint"],
        "as_of": as_of,
        "started": meta["started"],
        "version": meta["version"],
        "localities": snapshots,
    }
    write_text(target, json.dumps(entry, ensure_ascii=False, indent=1))
    return target


def exclude_run(history_dir: Path, run_id: str, reason: str) -> None:
    """Exclude a run from forecasts, with a reason; the run itself stays."""
    if not reason.strip():
        raise KhauditError(t("err.history.reason"))
    if not any(e.run_id == run_id for e in read_history(history_dir, include_excluded=True)):
        raise KhauditError(t("err.history.no_run", run_id=run_id, folder=history_dir))
    line = json.dumps(
        {
            "run_id": run_id,
            "reason": reason.strip(),
            "by": getpass.getuser(),
            "at": dt.datetime.now(dt.UTC).isoformat(),
        },
        ensure_ascii=False,
    )
    history_dir.mkdir(parents=True, exist_ok=True)
    # O_APPEND makes one write whole on a local disk but not over NFS, where two machines'
    # appends can overwrite each other: the lock keeps them one after the other.
    with (
        FileLock(history_dir / (EXCLUSIONS + ".lock"), what=str(history_dir / EXCLUSIONS)),
        open(history_dir / EXCLUSIONS, "a", encoding="utf-8") as fh,
    ):
        fh.write(line + "\n")


def read_history(
    history_dir: Path, include_excluded: bool = False, problems: list[str] | None = None
) -> list[HistoryEntry]:
    """The runs in date order (then by start time), each run id once.

    A history file or an exclusion line that cannot be read (a hand edit, a damaged disk) is
    left out and named in ``problems`` (file and line); the other runs still count.
    """
    if not history_dir.is_dir():
        return []
    problems = [] if problems is None else problems
    excluded: dict[str, str] = {}
    if (history_dir / EXCLUSIONS).exists():
        text = (history_dir / EXCLUSIONS).read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    item = json.loads(line)
                    excluded[str(item["run_id"])] = str(item["reason"])
                except (ValueError, KeyError, TypeError, RecursionError) as exc:
                    problems.append(
                        t("history.bad_line", path=history_dir / EXCLUSIONS, line=number, error=exc)
                    )
    entries = []
    for path in sorted(history_dir.glob("*.json")):
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
            entry = HistoryEntry(
                run_id=str(data["run_id"]),
                as_of=dt.date.fromisoformat(data["as_of"]),
                path=path,
                localities=dict(data["localities"]),
                excluded=excluded.get(str(data["run_id"]), ""),
            )
            started = str(data.get("started", ""))
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            problems.append(t("history.bad_file", path=path, error=exc))
            continue
        if include_excluded or not entry.excluded:
            entries.append((started, entry))
    # The same inputs audited again give the same run id: one run, listed once, as last seen.
    latest: dict[str, tuple[str, HistoryEntry]] = {}
    for started, entry in entries:
        if entry.run_id not in latest or started >= latest[entry.run_id][0]:
            latest[entry.run_id] = (started, entry)
    ordered = sorted(latest.values(), key=lambda pair: (pair[1].as_of, pair[0]))
    return [entry for _, entry in ordered]


def history_table(entries: list[HistoryEntry]) -> pd.DataFrame:
    """One row per (run, locality): the series forecasts and charts are drawn from."""
    rows = []
    for entry in entries:
        for name, snap in entry.localities.items():
            rows.append(
                {
                    "run_id": entry.run_id,
                    "as_of": entry.as_of,
                    "locality": name,
                    "excluded": entry.excluded,
                    **{k: v for k, v in snap.items() if k != "statuses"},
                }
            )
    return pd.DataFrame(rows)
