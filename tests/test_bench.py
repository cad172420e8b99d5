"""The benchmarks still run (tiny sizes, khaudit only): a README figure must be reproducible."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def run(script: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_bench_match_runs_and_scores_khaudit():
    text = run("match.py", "--tools", "khaudit", "--records", "400", "--seeds", "1", "--scale", "0")
    row = next(line for line in text.splitlines() if line.startswith("khaudit "))
    numbers = [float(x) for x in re.findall(r"\d+\.\d+|\d+", row)]
    records, files, precision, recall, f1, macro, review = numbers[:7]
    assert records > 400 and files > records
    assert f1 > 0.98 and precision > 0.98 and macro > 0.9 and review < 0.05


def test_bench_province_runs_a_small_province():
    text = run("province.py", "--sizes", "500", "--localities", "4")
    row = text.strip().splitlines()[-1].split()
    assert int(row[0]) >= 500 and int(row[1]) > 400  # rows and files


def test_bench_zoning_runs_and_zones_as_the_mapping_says():
    text = run("zoning.py", "--sizes", "200")
    row = next(line for line in text.splitlines() if line.startswith("| 200 "))
    assert row.rstrip(" |").endswith("1.0000")


def test_the_report_probe_flags_what_a_reader_should_not_find():
    """bench/report_probe.py's search: a blank or a code shown, an English number or status
    in a Vietnamese report, a Vietnamese note in an English one; never a right figure."""
    sys.path.insert(0, str(BENCH))
    try:
        from report_probe import _text_problems
    finally:
        sys.path.remove(str(BENCH))
    found = _text_problems(["92.3% of 190,500", "<NA> duplicate_row", "digitized"], "vi")
    assert len(found) == 5
    assert _text_problems(["92,3% của 190.500; matching.accept_score=85"], "vi") == []
    assert _text_problems(["no scan found", "không tìm thấy bản quét"], "en") == [
        "Vietnamese note 'không tìm thấy bản quét'"
    ]
