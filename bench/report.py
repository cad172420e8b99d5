"""Benchmark: rendering every locality's report, before and after rendering without a kernel
per locality, measured in one run on the same synthetic run.

Usage: .venv/bin/python bench/report.py [--localities 65] [--rows 2000] [--cli-sample 0]

Builds a synthetic run of --localities localities with --rows records each (tables only: the
report reads tables, not scans), then times, in one run:
  - render_reports(engine="inprocess"): the default; each worker process renders many
    localities in one IPython shell (no Jupyter kernel), HTML + xlsx + PDF + province summary;
  - render_reports(engine="kernel"): the same with papermill and a kernel per notebook (the
    way before);
  - with --cli-sample K > 0, the usual command-line way: for K localities, `papermill` then
    `jupyter nbconvert --to html --no-input` (HTML only), scaled to all localities.
The bar: 65 x 2,000 in at most 60 s on 2 cores (every report, the province summary included).
Each way is also timed in CPU seconds (this process and its ended children: the workers and
their kernels), the figure other people's load on a shared box does not change: CPU seconds
over the cores is the wall time the same work takes on idle cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from khaudit.contract import FILE_STATUSES, RECORD_STATUSES
from khaudit.report.render import notebook_dir, render_reports
from khaudit.run import TABLE_COLUMNS, write_run


def synthetic_run(out: Path, localities: int, rows: int) -> None:
    rng = random.Random(3)
    records, files, names = [], [], []
    for n in range(localities):
        name = f"Xã Mẫu {n + 1:02d}"
        names.append(name)
        for i in range(rows):
            status = rng.choices(RECORD_STATUSES, weights=[85, 4, 5, 1, 1, 4])[0]
            sheets = rng.randint(2, 30)
            records.append(
                {
                    "locality": name,
                    "source_file": f"muc-luc-{n}.xlsx",
                    "source_sheet": "S",
                    "source_row": i + 2,
                    "record_code": f"H56.{n}.{i:05d}",
                    "box": i // 12 + 1,
                    "file_no": i + 1,
                    "title": f"Hồ sơ cấp GCN QSDĐ số {i} <b>&</b>",
                    "year_start": 2015 + i % 10,
                    "year_end": 2015 + i % 10,
                    "sheets": sheets,
                    "status": status,
                    "file_path": f"H56.{n}.{i:05d}.pdf" if status != "missing" else "",
                    "match_method": "code",
                    "match_score": 1.0,
                    "note": "",
                    "stt": str(i + 1),
                    "title_original": "",
                    "dates_raw": "",
                    "retention": "permanent",
                    "notes": "",
                    "encoding": "",
                    "duplicate_of": "",
                    "pages": sheets,
                    "tthc": i % 3 == 0,
                    "hidden": False,
                    "date_start": "",
                    "date_end": "",
                    "original_cells": "",
                }
            )
            if status != "missing":
                files.append(
                    {
                        "locality": name,
                        "path": f"H56.{n}.{i:05d}.pdf",
                        "size": 100000,
                        "mtime": 0.0,
                        "xxh3_128": f"{n:08x}{i:024x}",
                        "sha256": "",
                        "format": "pdf",
                        "pages": sheets,
                        "status": rng.choices(FILE_STATUSES, weights=[95, 2, 1, 1, 0, 1])[0],
                        "record_code": f"H56.{n}.{i:05d}",
                        "source_row": i + 2,
                    }
                )
    tables = {"records": pd.DataFrame(records), "files": pd.DataFrame(files)}
    for name, columns in TABLE_COLUMNS.items():
        frame = tables.get(name, pd.DataFrame(columns=columns))
        for column in columns:
            if column not in frame.columns:
                frame[column] = ""
        tables[name] = frame
    meta = {
        "version": "bench",
        "run_id": "bench",
        "fingerprint": "0" * 64,
        "title": "bench",
        "province": "Khánh Hòa",
        "as_of": dt.date.today().isoformat(),
        "localities": [
            {"name": n, "slug": f"xa-mau-{i + 1:02d}", "code": ""} for i, n in enumerate(names)
        ],
        "parameters": {},
        "inputs": [],
        "counts": {},
        "schemes": {},
    }
    write_run(out, tables, meta)


def cli_loop(run: Path, names: list[str], work: Path) -> float:
    notebook = notebook_dir() / "locality_audit.ipynb"
    bin_dir = Path(sys.executable).parent
    start = time.perf_counter()
    for i, name in enumerate(names):
        executed = work / f"cli-{i}.ipynb"
        subprocess.run(
            [
                str(bin_dir / "papermill"),
                str(notebook),
                str(executed),
                "-p",
                "run_dir",
                str(run),
                "-p",
                "locality",
                name,
                "-p",
                "lang",
                "vi",
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the render's workers
    and their kernels): on a shared box, the figure the load of others does not change."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_render(run: Path, engine: str) -> tuple[float, float]:
    """Wall and CPU seconds of rendering every report of ``run`` with ``engine``."""
    start, cpu = time.perf_counter(), cpu_seconds()
    render_reports(run, engine=engine)
    return time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--localities", type=int, default=65)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--cli-sample", type=int, default=0)
    parser.add_argument(
        "--engines",
        default="inprocess,kernel",
        help="which to time, in this order (comma-separated)",
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        synthetic_run(run, args.localities, args.rows)
        ways = {
            "inprocess": "render_reports, no kernel (IPython shell per worker), after",
            "kernel": "render_reports, papermill + a kernel per notebook, before",
        }
        for engine in args.engines.split(","):
            way = ways[engine]
            load = os.getloadavg()[0]
            print(f"load average {load:.1f} on {os.cpu_count()} cores: {way}", flush=True)
            wall, cpu = timed_render(run, engine)
            after = os.getloadavg()[0]
            rows.append(
                {
                    "way": way,
                    "seconds": wall,
                    "cpu_seconds": cpu,
                    "load_before": load,
                    "load_after": after,
                }
            )
            print(f"{wall:.1f} s, {cpu:.1f} s CPU, load average {after:.1f} after", flush=True)
        if args.cli_sample > 0:
            names = [f"Xã Mẫu {n + 1:02d}" for n in range(min(args.cli_sample, args.localities))]
            loop = cli_loop(run, names, Path(tmp)) * args.localities / len(names)
            rows.append(
                {
                    "way": f"papermill + nbconvert CLI loop (HTML only), {len(names)} scaled",
                    "seconds": loop,
                }
            )
    table = pd.DataFrame(rows)
    table.insert(1, "localities", args.localities)
    table["s_per_locality"] = (table["seconds"] / args.localities).round(2)
    table["seconds"] = table["seconds"].round(1)
    table["cpu_seconds"] = table["cpu_seconds"].round(1)
    if "cpu_seconds" in table:
        table["cpu_s_per_locality"] = (table["cpu_seconds"] / args.localities).round(2)
    cores = os.cpu_count() or 1
    print(f"{args.localities} localities x {args.rows} records, {cores} cores")
    print(table.to_string(index=False))
    ours = rows[0]
    print(
        f"\nbar: {ours['seconds']:.0f} s for all (want <= 60); {ours['cpu_seconds']:.0f} s of CPU,"
        f" {ours['cpu_seconds'] / cores:.0f} s on {cores} idle cores",
        end="",
    )
    if len(rows) > 1 and "cpu_seconds" in rows[1]:
        print(
            f"; {rows[1]['seconds'] / ours['seconds']:.1f}x faster than before"
            f" ({rows[1]['cpu_seconds'] / ours['cpu_seconds']:.1f}x less CPU)",
            end="",
        )
    print(f"; load average at the end {os.getloadavg()[0]:.1f} on {cores} cores")


if __name__ == "__main__":
    main()
