"""Zoning cost and accuracy: a former district's fonds of growing size, zoned record by record.

Rows come from the demo's district generator (khaudit/demo/district.py: titles and addresses
naming Diên Khánh's former communes as offices write them, district-wide records, records
naming two communes); the expected receiver of each is the official mapping's. Prints one
table row per size: seconds to load the official data (first use in the process), seconds
to zone, records a second, and the share zoned as expected.

    python bench/zoning.py --sizes 1000 10000 50000
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from khaudit.demo.district import DEFAULT_RECEIVER, FORMER, NAME, district_rows
from khaudit.zoning import plan_locality, zone_records
from khaudit.zoning.check import check_locality


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    started = time.perf_counter()
    zone, problems = check_locality(NAME, "", FORMER, "Khánh Hòa", NAME)
    assert not problems, problems
    plan = plan_locality(NAME, zone, "Khánh Hòa", DEFAULT_RECEIVER)
    load = time.perf_counter() - started
    print("| records | load official data, s | zone, s | records/s | as expected |")
    print("|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        rows = district_rows(random.Random(size), size)
        records = pd.DataFrame(
            {
                "source_file": "muc-luc.xlsx",
                "source_sheet": "",
                "source_row": range(2, size + 2),
                "title": [r.title for r in rows],
                "notes": "",
                "address": [r.address for r in rows],
            }
        )
        start = time.perf_counter()
        zoned = zone_records(records, plan)
        spent = time.perf_counter() - start
        right = sum(
            (z.receiver, z.receiver_code, z.zoning_basis) == (r.receiver, r.receiver_code, r.basis)
            for z, r in zip(zoned.itertuples(index=False), rows)
        )
        print(f"| {size:,} | {load:.2f} | {spent:.2f} | {size / spent:,.0f} | {right / size:.4f} |")


if __name__ == "__main__":
    main()
