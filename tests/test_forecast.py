"""Pace, forecast, pages and budget against values worked out by hand; history safety."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.forecast import ProgressSettings, forecast_locality, forecast_table
from khaudit.history import exclude_run, history_table, read_history
from khaudit.project import load_project

D = dt.date


def series(values: list[int], pages: list[int], records: int = 100) -> pd.DataFrame:
    dates = [D(2025, 6, 1), D(2025, 6, 11), D(2025, 6, 21)][: len(values)]
    return pd.DataFrame(
        {
            "as_of": dates,
            "locality": "Xã A",
            "records": records,
            "digitized": values,
            "pages_to_scan": pages,
            "tthc_records": 40,
            "tthc_digitized": [v // 2 for v in values],
        }
    )


SETTINGS = ProgressSettings(
    deadline=D(2025, 6, 30), pages_per_day=50, stations=2, cost_per_page=1500
)


def test_steady_pace_by_hand():
    # 40, 60, 80 records on days 0, 10, 20: 2 records a day, exactly; 20 left: 10 days.
    f = forecast_locality(series([40, 60, 80], [600, 400, 200]), SETTINGS)
    assert f.pace == pytest.approx(2.0)
    assert f.forecast == f.earliest == f.latest == D(2025, 7, 1)
    assert f.days_vs_deadline == -1 and f.will_miss_deadline
    assert f.pages_to_scan == 200
    assert f.working_days == 2.0  # 200 pages / (50 pages a day x 2 stations)
    assert f.budget == 300_000  # 200 pages x 1,500 VND
    assert f.tthc_completion == 1.0 and f.tthc_remaining == 0  # 40 of 40 procedure records


def test_uneven_pace_gives_an_honest_range():
    # 40, 64, 80: slope 400/200 = 2.0; residuals -4/3, 8/3, -4/3; SSR 32/3;
    # SE = sqrt((32/3) / 1 / 200) = 0.2309; 20 left: 10 days, 20/2.2309 -> 9, 20/1.7691 -> 12.
    f = forecast_locality(series([40, 64, 80], [600, 300, 200]), SETTINGS)
    assert f.pace == pytest.approx(2.0)
    assert (f.earliest, f.forecast, f.latest) == (D(2025, 6, 30), D(2025, 7, 1), D(2025, 7, 3))


def test_too_few_runs_and_no_progress_say_so():
    one = forecast_locality(series([40], [600]), SETTINGS)
    assert one.forecast is None and one.note == "too_few_runs"
    two = forecast_locality(series([40, 60], [600, 400]), SETTINGS)
    assert two.forecast == D(2025, 6, 11) + dt.timedelta(days=20) and two.note == "two_runs"
    stuck = forecast_locality(series([40, 40, 40], [600, 600, 600]), SETTINGS)
    assert stuck.forecast is None and stuck.will_miss_deadline and stuck.note == "no_progress"


def test_ranking_puts_those_that_will_miss_first():
    late = forecast_locality(series([40, 60, 80], [1, 1, 1]), SETTINGS)
    early = forecast_locality(series([90, 95, 99], [1, 1, 1]).assign(locality="Xã B"), SETTINGS)
    table = forecast_table([early, late])
    assert list(table["locality"]) == ["Xã A", "Xã B"]
    assert list(table["will_miss_deadline"]) == [True, False]


def small_project(tmp_path: Path, scanned: int) -> Path:
    (tmp_path / "scans").mkdir(exist_ok=True)
    rows = [f"{i},A.{i},Báo cáo số {i} năm 2019,2" for i in range(1, 11)]
    (tmp_path / "inv.csv").write_text(
        "STT,Mã hồ sơ,Tiêu đề hồ sơ,Số tờ\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    rng = random.Random(1)
    for i in range(1, scanned + 1):
        target = tmp_path / "scans" / f"A.{i}.pdf"
        if not target.exists():
            target.write_bytes(sf.pdf_bytes(f"A.{i}", 2, rng))
    path = tmp_path / "project.toml"
    path.write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[progress]\ndeadline = 2025-06-30\n'
        'pages_per_day = 2\ncost_per_page = 1000\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return path


def test_three_real_audits_on_fixed_dates(tmp_path: Path):
    for day, scanned in ((1, 2), (11, 5), (21, 8)):
        project = small_project(tmp_path, scanned)
        audit(project, tmp_path / f"run-{day}", as_of=dt.datetime(2025, 6, day))
    proj = load_project(project)
    entries = read_history(proj.history)
    assert [e.as_of for e in entries] == [D(2025, 6, 1), D(2025, 6, 11), D(2025, 6, 21)]
    f = forecast_locality(history_table(entries), proj.progress)
    # 2, 5, 8 digitized on days 0, 10, 20: 0.3 a day; 2 left: ceil(6.67) = 7 days after 21 June.
    assert f.pace == pytest.approx(0.3) and f.forecast == D(2025, 6, 28)
    assert f.days_vs_deadline == 2 and not f.will_miss_deadline
    assert f.pages_to_scan == 4 and f.working_days == 2.0 and f.budget == 4000
    exclude_run(proj.history, entries[0].run_id, "scanner misconfigured that day")
    kept = read_history(proj.history)
    assert len(kept) == 2 and len(read_history(proj.history, include_excluded=True)) == 3
    with pytest.raises(Exception, match="reason"):
        exclude_run(proj.history, entries[1].run_id, " ")


def test_two_audits_at_once_both_land_in_the_history(tmp_path: Path):
    project = small_project(tmp_path, 4)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "khaudit.cli",
                "audit",
                str(project),
                "--out",
                str(tmp_path / name),
                "--as-of",
                "2025-06-05",
                "--no-report",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    history = load_project(project).history
    assert len(list(history.glob("*.json"))) == 2  # both landed; neither overwrote the other
    entries = read_history(history)
    # The same inputs make the same run (one fingerprint): the history lists it once.
    assert len(entries) == 1 and entries[0].localities["Xã A"]["digitized"] == 4


def test_a_damaged_history_file_is_left_out_with_a_warning(tmp_path: Path):
    project = small_project(tmp_path, 2)
    audit(project, tmp_path / "run-1", as_of=dt.datetime(2025, 6, 1))
    history = load_project(project).history
    (history / "2025-06-02_broken.json").write_text('{"run_id": ', encoding="utf-8")
    (history / "exclusions.jsonl").write_text("not json\n", encoding="utf-8")
    problems: list[str] = []
    entries = read_history(history, problems=problems)
    assert len(entries) == 1
    assert any("2025-06-02_broken.json" in p for p in problems)
    assert any("exclusions.jsonl, line 1" in p for p in problems)
    run = audit(project, tmp_path / "run-2", as_of=dt.datetime(2025, 6, 3))
    assert any("2025-06-02_broken.json" in w for w in run.meta["warnings"])
