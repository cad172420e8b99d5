"""Gap exploration: the queries, the decisions, and the notebook executing on a run."""

from __future__ import annotations

import shutil
from pathlib import Path

from khaudit.match.decisions import read_decisions
from khaudit.report import gaps
from khaudit.report.render import execute

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_gap_queries_filter_by_locality_status_and_text(demo_run):
    everything = gaps.gaps(demo_run)
    assert set(everything["status"]) <= set(gaps.GAP_STATUSES)
    assert len(everything) == (demo_run.records["status"] != "digitized").sum()
    missing = gaps.gaps(demo_run, "Xã Diên Lạc", ("missing",))
    assert set(missing["locality"]) == {"Xã Diên Lạc"} and set(missing["status"]) == {"missing"}
    found = gaps.gaps(demo_run, text="ho so cap gcn")  # no marks, any case
    assert len(found) and found["title"].str.contains("GCN").all()


def test_drill_down_and_decide(demo_run, tmp_path):
    review = gaps.gaps(demo_run, statuses=("needs_review",))
    first = review.iloc[0]
    candidates = gaps.candidates_for(
        demo_run,
        first["locality"],
        first["source_file"],
        first["source_sheet"],
        first["source_row"],
    )
    assert len(candidates) >= 1
    log = tmp_path / "decisions.jsonl"
    assert gaps.decide(log, candidates.iloc[0], "accept", by="Lê Thị Phân Tích") == 1
    index = read_decisions(log)
    assert index.accepted(first["locality"], candidates.iloc[0]["xxh3_128"]) is not None


def test_explorer_widget_builds_and_decides(demo_run, tmp_path):
    log = tmp_path / "decisions.jsonl"
    box = gaps.explorer(demo_run, log, by="x")
    filters, status, table, actions, detail = box.children
    locality, text, tthc = filters.children
    locality.value = "Xã Cam Lâm"
    row_number, accept, reject = actions.children
    row_number.value = 0
    status.value = ("needs_review",)
    row_number.value = 1
    row_number.value = 0
    reject.click()
    assert log.exists() and '"verdict": "reject"' in log.read_text(encoding="utf-8")


def test_explore_gaps_notebook_executes(demo_dir, demo_run, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(demo_dir, project, ignore=shutil.ignore_patterns(".khaudit"))
    execute(
        NOTEBOOKS / "explore_gaps.ipynb",
        tmp_path / "out.ipynb",
        {
            "run_dir": str(demo_run.path),
            "project": str(project / "project.toml"),
            "reviewer": "test",
        },
        tmp_path,
    )
