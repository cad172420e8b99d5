"""Benchmark: a whole province (65 localities) at growing size, matching to the written run.

Usage: .venv/bin/python bench/province.py [--sizes 10000 100000 1000000] [--localities 65]

Catalogue-only: each locality is a labelled ``matchgen`` locality (one file per record,
mostly, no page series) written to Parquet beforehand, outside the timing; the bytes on disk
and their hashing are measured by ``bench/scan.py``. For each size, in a fresh process:

1. match + reconcile: khaudit's own ``run_match_job`` for every locality through the executor
   (local processes, one per core), each task reading its locality's records and scan table
   from Parquet as an audit reads the catalogue;
2. write: each locality's rows appended to the run as they come back (``RunWriter``, as
   ``khaudit audit`` writes: CSV and one Parquet row group per locality, atomically), so the
   province's rows are never all in memory. "match" is the wall time not spent writing.

It prints seconds and peak memory per stage (the parent and the largest worker; peak_mb adds
the parent and one largest worker per process), the cost per inventory row, and its ratio to
the smallest size's and to the size before.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from matchgen import generate  # noqa: E402

from khaudit import executor  # noqa: E402
from khaudit.audit import MatchJob, run_match_job  # noqa: E402
from khaudit.match.decisions import DecisionIndex  # noqa: E402
from khaudit.match.settings import MatchSettings  # noqa: E402
from khaudit.run import RunWriter  # noqa: E402


def _make(task: tuple[str, int, int]) -> int:
    """Write one locality's records, scans and sidecar entries under ``folder``."""
    folder, rows, seed = task
    case = generate(rows, seed, locality=f"Xã {seed:02d}", series_share=0.0)
    base = Path(folder) / f"{seed:02d}"
    base.mkdir(parents=True, exist_ok=True)
    case.records.drop(columns=["expected_status"]).to_parquet(base / "records.parquet")
    case.scans.drop(columns=["expected_status", "expected_record"]).to_parquet(
        base / "scans.parquet"
    )
    (base / "sidecars.pickle").write_bytes(pickle.dumps(case.sidecar_entries))
    return len(case.scans)


def _run(folder: str) -> tuple[object, float]:
    """One locality: read it as an audit reads the catalogue, then khaudit's match job."""
    base = Path(folder)
    records = pd.read_parquet(base / "records.parquet")
    scans = pd.read_parquet(base / "scans.parquet")
    entries = pickle.loads((base / "sidecars.pickle").read_bytes())
    job = MatchJob(
        locality=str(records["locality"].iloc[0]),
        records=records,
        scans=scans,
        sidecars=entries,
        settings=MatchSettings(),
        pattern="",
        lang="vi",
        decisions=DecisionIndex(),
    )
    outcome = run_match_job(job)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return outcome, peak


def measure(folder: Path, localities: int) -> dict[str, float]:
    """The timed part, in this (fresh) process: as ``khaudit audit`` does, each locality's
    rows are appended to the run (RunWriter) as they come back, never gathered."""
    parts = [str(folder / f"{i:02d}") for i in range(localities)]
    start = time.perf_counter()
    rows = files = 0
    writing, worker_peak = 0.0, 0.0
    with tempfile.TemporaryDirectory() as out:
        writer = RunWriter(Path(out))
        for outcome, peak in executor.stream_map(_run, parts, in_flight=1):
            worker_peak = max(worker_peak, peak)
            began = time.perf_counter()
            writer.add("records", outcome.records)
            writer.add("files", outcome.files)
            writer.add("candidates", outcome.candidates)
            writing += time.perf_counter() - began
            rows, files = rows + len(outcome.records), files + len(outcome.files)
        began = time.perf_counter()
        writer.commit({"tool": "khaudit", "bench": "province"})
        writing += time.perf_counter() - began
    total = time.perf_counter() - start
    return {
        "rows": rows,
        "files": files,
        "total_s": total,
        "write_s": writing,
        "match_s": total - writing,
        "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": worker_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--localities", type=int, default=65)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(Path(args.one), args.localities)))
        return
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            per = max(1, size // args.localities)
            made = time.perf_counter()
            list(executor.stream_map(_make, [(tmp, per, i) for i in range(args.localities)]))
            made = time.perf_counter() - made
            out = subprocess.run(
                [sys.executable, __file__, "--one", tmp, "--localities", str(args.localities)],
                capture_output=True,
                text=True,
            )
            if out.returncode:
                sys.exit(out.stderr)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row["generated_s"] = made
            results.append(row)
            print(f"size {size}: {row}", file=sys.stderr)
    table = pd.DataFrame(results)
    table["us_per_row"] = 1e6 * table["total_s"] / table["rows"]
    table["x_smallest"] = table["us_per_row"] / table["us_per_row"].iloc[0]
    table["x_previous"] = table["us_per_row"] / table["us_per_row"].shift(1)
    table["peak_mb"] = table["parent_mb"] + executor.cpu_workers() * table["worker_mb"]
    pd.set_option("display.width", 200)
    print(f"{args.localities} localities, {executor.cpu_workers()} worker processes\n")
    print(
        table[
            [
                "rows",
                "files",
                "match_s",
                "write_s",
                "total_s",
                "us_per_row",
                "x_smallest",
                "x_previous",
                "parent_mb",
                "worker_mb",
                "peak_mb",
                "generated_s",
            ]
        ]
        .round(2)
        .to_string(index=False)
    )


if __name__ == "__main__":
    main()
