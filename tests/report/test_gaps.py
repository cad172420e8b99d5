"""Gap exploration: the queries, the decisions, and the notebook executing on a run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from khaudit.errors import KhauditError
from khaudit.i18n import t
from khaudit.match.decisions import read_decisions
from khaudit.report import gaps
from khaudit.report.explorer import Explorer, localized, table_html
from khaudit.report.render import execute

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


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


def test_decisions_need_a_reviewer(demo_run, tmp_path):
    review = gaps.gaps(demo_run, statuses=("needs_review",))
    options = gaps.nearest_scans(demo_run, review.iloc[0])
    log = tmp_path / "decisions.jsonl"
    for nobody in ("", "   "):
        with pytest.raises(KhauditError):
            gaps.decide(log, options.iloc[0], "accept", by=nobody)
    assert not log.exists()


def test_a_missing_record_has_its_nearest_scans_and_an_orphan_its_nearest_records(demo_run):
    missing = gaps.gaps(demo_run, statuses=("missing",))
    assert len(missing)
    options = gaps.nearest_scans(demo_run, missing.iloc[0])
    assert len(options) >= 2 and set(options["origin"]) >= {"nearest"}
    assert set(options["locality"]) == {missing.iloc[0]["locality"]}
    assert options["xxh3_128"].astype(str).str.len().gt(0).all()
    orphan_files = gaps.orphans(demo_run)
    assert len(orphan_files) and set(orphan_files["status"]) <= set(gaps.ORPHAN_STATUSES)
    records = gaps.nearest_records(demo_run, orphan_files.iloc[0])
    assert len(records) >= 2
    assert set(records["path"]) == {orphan_files.iloc[0]["path"]}


def test_explorer_decides_any_candidate_and_refuses_without_reviewer(demo_run, tmp_path):
    log = tmp_path / "decisions.jsonl"
    ui = Explorer(demo_run, log, "", "en")
    c = ui.controls
    c["status"].value = ("missing",)
    c["row"].value = 1  # the table's first row: a person counts from 1
    assert len(c["option"].options) >= 2
    assert ui.options.iloc[0]["path"] in c["option"].options[0][0]
    assert c["option"].options[0][0].startswith("1: ")
    c["option"].value = 1  # not the best candidate: any of them can be decided
    c["accept"].click()
    assert not log.exists() and "Reviewer" in c["message"].value
    c["reviewer"].value = "Lê Thị Phân Tích"
    c["reject"].click()
    chosen = ui.options.iloc[1]
    decided = log.read_text(encoding="utf-8")
    assert '"verdict": "reject"' in decided and chosen["path"] in decided
    assert "Lê Thị Phân Tích" in decided
    c["mode"].value = "files"
    c["row"].value = 1
    assert ui.options.iloc[0]["path"] == ui.frame.iloc[0]["path"]  # row 1 is the first row
    assert len(ui.options) and not repr(ui.box).startswith("VBox(")


def test_tables_speak_the_readers_language(demo_run):
    frame = gaps.gaps(demo_run)
    vi = localized(frame, "vi")
    assert t("col.title", "vi") in vi.columns and "title" not in vi.columns
    assert list(vi[t("col.row", "vi")][:3]) == [1, 2, 3]  # numbered as a person counts
    statuses = set(vi[t("col.status", "vi")])
    assert t("status.missing", "vi") in statuses and "missing" not in statuses
    html = table_html(frame, "x", "vi")
    assert "itables" in html and "<table" in html
    assert "Tìm:" in html or "T\\u00ecm:" in html  # DataTables' own words, in Vietnamese
    assert html.count("<tr") >= len(frame)  # every row, readable with no script run
    # That plain table numbers its rows as the "#" column does, from 1, never pandas' 0.
    import re

    plain = html[html.index("_fallback") :]
    numbers = [int(n) for n in re.findall(r"<tr>\s*<th[^>]*>(\d+)</th>", plain)]
    assert numbers[:3] == [1, 2, 3] and 0 not in numbers


def test_explore_gaps_notebook_executes(demo_dir, demo_run, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(demo_dir, project, ignore=shutil.ignore_patterns(".khaudit"))
    notebook = execute(
        NOTEBOOKS / "explore_gaps.ipynb",
        tmp_path / "out.ipynb",
        {
            "run_dir": str(demo_run.path),
            "project": str(project / "project.toml"),
            "reviewer": "test",
            "lang": "en",
            "compare_with": str(demo_run.path),
        },
        tmp_path,
    )
    html = [
        "".join(o["data"]["text/html"])
        for cell in notebook["cells"]
        for o in cell.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]
    tables = [h for h in html if "itables" in h and "<table" in h]
    assert len(tables) >= 3  # gaps, orphans, comparison
    assert any("Records not digitized" in h for h in tables)
    texts = [
        "".join(o["data"].get("text/plain", ""))
        for cell in notebook["cells"]
        for o in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert texts and not any(x.startswith("VBox(") for x in texts)
