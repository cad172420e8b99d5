"""Benchmark: loading a large inventory, against plain pandas readers, in one run.

Usage: .venv/bin/python bench/inventory.py [--rows 100000] [--repeat 3]

Writes one messy xlsx (title block, merged two-row header, numbered row) of ``--rows`` rows,
then times, best of ``--repeat``:
  - pandas.read_excel(engine="openpyxl")   (the usual way; no header detection, no values)
  - pandas.read_excel(engine="calamine")   (the fast reader khaudit also uses)
  - khaudit load_locality                  (header detection, encodings, values, validation)
and prints seconds, rows/s and the ratio to calamine. The issue's bar: 100,000 rows under 20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

import pandas as pd

from khaudit.demo.inventories import SheetPlan, write_xlsx
from khaudit.demo.titles import make_titles
from khaudit.inventory.loader import load_locality

HEAD = [
    "STT",
    "Hộp số",
    "Hồ sơ số",
    "Số, ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian",
    "Số tờ",
    "THBQ",
    "Ghi chú",
]


def make_inventory(path: Path, rows: int) -> None:
    rng = random.Random(5)
    titles = make_titles(rng, 2000, (2000, 2024), "xã A")
    data = []
    for i in range(rows):
        t = titles[i % len(titles)]
        data.append(
            [
                i + 1,
                i // 12 + 1,
                i + 1,
                f"H56.01.{t.year}.{i + 1:06d}",
                t.text,
                dt.date(t.year, 1, 5),
                f"12/{t.year}",
                f"{i % 20 + 1} tờ",
                "Vĩnh viễn",
                "Bản chính" if i % 7 == 0 else "",
            ]
        )
    write_xlsx(
        path,
        ["UBND XÃ A", "MỤC LỤC HỒ SƠ"],
        HEAD,
        [SheetPlan("Mục lục", data, "full")],
        two_row_dates=(5, "Bắt đầu", "Kết thúc"),
    )


def best_of(repeat: int, fn) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        n = fn()
        times.append(time.perf_counter() - start)
    return min(times), n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inventory.xlsx"
        make_inventory(path, args.rows)
        runs = {
            "pandas + openpyxl": lambda: len(pd.read_excel(path, engine="openpyxl", header=None)),
            "pandas + calamine": lambda: len(pd.read_excel(path, engine="calamine", header=None)),
            "khaudit load_locality": lambda: len(load_locality([(path, path.name)], "A")[0]),
        }
        results = {name: best_of(args.repeat, fn) for name, fn in runs.items()}
    base = results["pandas + calamine"][0]
    table = pd.DataFrame(
        [
            {
                "reader": name,
                "rows": n,
                "seconds": round(sec, 2),
                "rows_per_s": round(n / sec),
                "x_calamine": round(sec / base, 2),
            }
            for name, (sec, n) in results.items()
        ]
    )
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
