"""Benchmark: rendering every locality's report, against a loop of papermill and nbconvert
command-line calls doing the same notebooks.

Usage: .venv/bin/python bench/report.py [--localities 65] [--rows 2000] [--cli-sample 65]

Builds a synthetic run of --localities localities with --rows records each (tables only: the
report reads tables, not scans), then times, in one run:
  - khaudit render_reports: every locality's HTML, xlsx and PDF minutes, and the province
    summary, localities in parallel on all cores;
  - the usual way: for each locality, `papermill locality_audit.ipynb ...` then
    `jupyter nbconvert --to html --no-input ...` (HTML only), one after the other; with
    --cli-sample K < --localities it times K localities and scales to all (said in the table).
The issue's bar: 65 x 2,000 in at most 3 minutes on 2 cores, and at least 2.5x faster than the loop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--localities", type=int, default=65)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--cli-sample", type=int, default=65)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        synthetic_run(run, args.localities, args.rows)
        start = time.perf_counter()
        render_reports(run)
        ours = time.perf_counter() - start
        names = [f"Xã Mẫu {n + 1:02d}" for n in range(min(args.cli_sample, args.localities))]
        loop = cli_loop(run, names, Path(tmp)) * args.localities / len(names)
    table = pd.DataFrame(
        [
            {
                "way": "khaudit render_reports (HTML + xlsx + PDF + province)",
                "localities": args.localities,
                "seconds": round(ours, 1),
                "s_per_locality": round(ours / args.localities, 2),
            },
            {
                "way": "papermill + nbconvert CLI loop (HTML only)"
                + (f", {len(names)} timed and scaled" if len(names) < args.localities else ""),
                "localities": args.localities,
                "seconds": round(loop, 1),
                "s_per_locality": round(loop / args.localities, 2),
            },
        ]
    )
    print(table.to_string(index=False))
    print(
        f"\nbars: {ours:.0f} s for all (want <= 180); "
        f"{loop / ours:.1f}x faster than the CLI loop (want >= 2.5)"
    )


if __name__ == "__main__":
    main()
