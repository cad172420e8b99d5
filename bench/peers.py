"""Benchmark: khaudit's whole pipeline on a labelled province, with only the linker swapped.

Usage:
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/peers.py PROJECT.toml TRUTH_DIR [--tools khaudit splink recordlinkage]

Each tool audits the same project through ``khaudit.audit`` (inventories loaded, scans read,
sidecars found, statuses reconciled, run written) and only ``match_locality`` is replaced by the
peer's linker from ``match.py`` (Splink with DuckDB, the Record Linkage Toolkit). The runs are
scored with the same measures as ``generalize.py``: link precision, recall and F1, record- and
file-status macro F1 (mean per-status F1 over the statuses the truth has) and the review rate.
Each tool runs in its own process, so one cannot warm the other's caches.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

audit_module = importlib.import_module("khaudit.audit")
from khaudit.contract import FILE_STATUSES, RECORD_STATUSES  # noqa: E402
from khaudit.evaluate import score_run  # noqa: E402
from khaudit.match.link import MatchResult  # noqa: E402
from khaudit.match.settings import MatchSettings  # noqa: E402


def swapped(tool: str):  # type: ignore[no-untyped-def]
    """A function with ``match_locality``'s signature that links with ``tool`` instead."""
    from match import TOOLS  # the peers' linkers, shared with match.py

    linker = TOOLS[tool]

    def match_locality(
        records: pd.DataFrame,
        scans: pd.DataFrame,
        sidecars: object,
        settings: MatchSettings,
        pattern: str = "",
        lang: str = "vi",
        decisions: object = None,
    ) -> MatchResult:
        return linker(SimpleNamespace(records=records, scans=scans, sidecars=sidecars), settings)

    return match_locality


def macro_f1(expected: pd.Series, got: pd.Series, statuses: tuple[str, ...]) -> float:
    """Mean per-status F1 over the statuses the truth has."""
    scores = []
    for status in statuses:
        truth = expected == status
        if not truth.any():
            continue
        hit = int((truth & (got == status)).sum())
        precision = hit / max(1, int((got == status).sum()))
        recall = hit / int(truth.sum())
        scores.append(2 * precision * recall / (precision + recall) if hit else 0.0)
    return sum(scores) / len(scores) if scores else 1.0


def measure(tool: str, project: Path, truth: Path) -> dict[str, object]:
    if tool != "khaudit":
        audit_module.match_locality = swapped(tool)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        audit_module.audit(project, Path(tmp) / "run")
        seconds = time.perf_counter() - start
        score = score_run(Path(tmp) / "run", truth)
    records = score.records.stack()
    files = score.files.stack()
    rec_expected = records.index.get_level_values(0).repeat(records.to_numpy())
    rec_got = records.index.get_level_values(1).repeat(records.to_numpy())
    file_expected = files.index.get_level_values(0).repeat(files.to_numpy())
    file_got = files.index.get_level_values(1).repeat(files.to_numpy())
    n_records = len(rec_expected)
    return {
        "tool": tool,
        "records": n_records,
        "files": len(file_expected),
        "link_precision": score.link_precision,
        "link_recall": score.link_recall,
        "link_f1": score.link_f1,
        "record_macro_f1": macro_f1(pd.Series(rec_expected), pd.Series(rec_got), RECORD_STATUSES),
        "file_macro_f1": macro_f1(pd.Series(file_expected), pd.Series(file_got), FILE_STATUSES),
        "review_rate": float((pd.Series(rec_got) == "needs_review").sum() / max(1, n_records)),
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--tools", nargs="+", default=["khaudit", "splink", "recordlinkage"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.project, args.truth), default=float))
        return
    rows = []
    for tool in args.tools:
        out = subprocess.run(
            [sys.executable, __file__, str(args.project), str(args.truth), "--one", tool],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(f"{tool} failed: {out.stderr.strip().splitlines()[-1]}")
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    table = pd.DataFrame(rows).set_index("tool")
    pd.set_option("display.width", 200)
    print(table.round(4).to_string())


if __name__ == "__main__":
    main()
