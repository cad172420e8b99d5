"""Benchmark: memory of the scan catalogue as the number of files grows.

Usage: .venv/bin/python bench/catalogue_memory.py [--files 100000 1000000] [--dir /tmp/...]

For each size, makes a tree of that many small files (100 per folder; kept between runs), then
in a fresh process: a first scan (hash only), a rescan of the unchanged tree, and reading the
catalogue rows into a table as an audit does. Prints seconds and the peak resident memory of
each, so "memory flat as the number of files grows" can be read off. The issue's bar: 1,000,000
catalogue rows within 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from khaudit.scan.catalogue import Catalogue
root, db, step = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
start = time.perf_counter()
with Catalogue(db) as cat:
    if step == "table":
        rows = len(cat.files([root]))
    else:
        rows = cat.scan(root, pages=False).files
print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_tree(root: Path, files: int) -> None:
    marker = root / ".complete"
    if marker.exists():
        return
    for i in range(files):
        folder = root / f"d{i // 100:05d}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"f{i:07d}.pdf", "wb") as fh:
            fh.write(b"%PDF-1.4\n%% " + str(i).encode() + b"\n%%EOF\n")
    marker.touch()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/khaudit-bench-catalogue"))
    args = parser.parse_args()
    results = []
    for n in args.files:
        root = args.dir / f"tree-{n}"
        make_tree(root, n)
        db = args.dir / f"catalogue-{n}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        for step in ("first scan", "rescan", "table"):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(root), str(db), step],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(
                {
                    "files": n,
                    "step": step,
                    "rows": result["rows"],
                    "seconds": round(result["seconds"], 2),
                    "peak_mb": round(result["peak_mb"]),
                }
            )
    print(pd.DataFrame(results).to_string(index=False))


if __name__ == "__main__":
    main()
