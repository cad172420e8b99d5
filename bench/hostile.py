"""Benchmark: damaged and crafted inventories and sidecars, each loaded in a fresh process.

Usage: .venv/bin/python bench/hostile.py [--bomb-mb 1000] [--columns 5000000]

Builds each hostile file (tests/hostile_files.py), then loads it the way ``khaudit audit`` does
(an inventory through ``load_locality``, a sidecar through ``read_sidecar``) in a new Python
process, and prints the file's size, the seconds the load took, the process's peak memory
(ru_maxrss) before and after the load (before: Python, pandas and khaudit's modules alone),
and what khaudit said.
The bar: each file handled in well under a second and a few hundred MB, as a located issue.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import hostile_files as H  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
kind, path = sys.argv[1], Path(sys.argv[2])
import pandas  # loaded before timing: every audit has it already
from khaudit.inventory.loader import load_locality
from khaudit.match.sidecar import read_sidecar
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
if kind == "sidecar":
    problems = []
    entries = read_sidecar(path, problems)
    said = problems[0] if problems else f"{len(entries)} entries"
else:
    frame, issues = load_locality([(path, path.name)], "bench")
    said = str(issues[0]) if issues else f"{len(frame)} records"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "base_mb": base, "peak_mb": peak, "said": said}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=1000)
    parser.add_argument("--columns", type=int, default=5_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        cases = [
            ("sidecar", "JSON nested 100,000 deep", H.deep_json(d / "deep.json")),
            ("sidecar", "CSV cell of 200,000 characters", H.long_cell_csv(d / "cell.csv")),
            ("sidecar", "broken XML", H.broken_xml(d / "broken.xml")),
            (
                "inventory",
                "xlsx hiding columns 1-30,000,000",
                H.hidden_columns_xlsx(d / "hidden30m.xlsx"),
            ),
            (
                "inventory",
                "xlsx hiding columns 1-4,000,000,000",
                H.hidden_columns_xlsx(d / "hidden4g.xlsx", 4_000_000_000),
            ),
            (
                "inventory",
                f"zip bomb xlsx ({args.bomb_mb} MB unpacked)",
                H.zip_bomb_xlsx(d / "bomb.xlsx", args.bomb_mb * 1_000_000),
            ),
            ("inventory", "xlsx with a value in XFD1048576", H.far_cell_xlsx(d / "far.xlsx")),
            (
                "inventory",
                f"CSV row of {args.columns:,} columns",
                H.wide_csv(d / "wide.csv", args.columns),
            ),
            ("inventory", "binary file named .csv", H.binary_csv(d / "binary.csv")),
        ]
        print(
            f"{'file':40} {'size':>11} {'seconds':>8} {'base MB':>8} {'peak MB':>8}  khaudit says"
        )
        for kind, label, path in cases:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, kind, str(path)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if out.returncode:
                print(f"{label:40} FAILED: {out.stderr.strip().splitlines()[-1]}")
                continue
            got = json.loads(out.stdout.strip().splitlines()[-1])
            size = path.stat().st_size
            print(
                f"{label:40} {size:>11,} {got['seconds']:>8.3f} {got['base_mb']:>8.0f} "
                f"{got['peak_mb']:>8.0f}  {got['said'][:90]}"
            )


if __name__ == "__main__":
    main()
