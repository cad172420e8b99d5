"""Benchmark: time and peak memory of each audit stage on demo provinces of growing size.

Usage: .venv/bin/python bench/audit_stages.py [--rows 300 1000 3000] [--localities 4]

For each size it generates a demo province (outside the timing), then times each stage of
an audit for every locality, in this process: inventory loading, scanning (hash + inspection),
matching and reconciliation. It prints one table with seconds, rows/s and the cost per inventory
row, so the growth of each stage with size can be read off (it should be about linear).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from khaudit.demo import generate_demo
from khaudit.inventory.loader import load_locality
from khaudit.match.link import match_locality
from khaudit.match.sidecar import SidecarIndex, read_sidecar
from khaudit.project import load_project
from khaudit.reconcile import reconcile
from khaudit.scan.catalogue import scan_roots


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(rows: int, localities: int, workdir: Path) -> list[dict[str, object]]:
    base = workdir / f"demo-{rows}"
    generate_demo(base, rows=rows, localities=localities, force=True)
    project = load_project(base / "project.toml")
    timings = {"load": 0.0, "scan": 0.0, "match": 0.0, "reconcile": 0.0}
    n_rows = n_files = 0
    for loc in project.localities:
        t = time.perf_counter()
        records, _ = load_locality(list(loc.inventories), loc.name, loc.columns)
        timings["load"] += time.perf_counter() - t
        t = time.perf_counter()
        scanned = scan_roots(loc.name, list(loc.scan_roots), sha256=project.scan.sha256)
        timings["scan"] += time.perf_counter() - t
        scans = scanned.files[scanned.files["role"] == "scan"].reset_index(drop=True)
        entries = [
            e
            for _, r in scanned.files[scanned.files["role"] == "sidecar"].iterrows()
            for e in read_sidecar(Path(r["root"]) / r["path"])
        ]
        t = time.perf_counter()
        match = match_locality(records, scans, SidecarIndex(entries), project.matching)
        timings["match"] += time.perf_counter() - t
        t = time.perf_counter()
        reconcile(records, scans, match, project.matching)
        timings["reconcile"] += time.perf_counter() - t
        n_rows += len(records)
        n_files += len(scans)
    return [
        {
            "rows": n_rows,
            "files": n_files,
            "stage": stage,
            "seconds": round(sec, 3),
            "rows_per_s": round(n_rows / sec) if sec else None,
            "us_per_row": round(1e6 * sec / n_rows, 1),
            "peak_mb": round(peak_mb()),
        }
        for stage, sec in timings.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--localities", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [r for rows in args.rows for r in run(rows, args.localities, Path(tmp))]
    table = pd.DataFrame(results)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
