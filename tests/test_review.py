"""The review loop: export, decide in the workbook, import, and every later audit applies it."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from khaudit.audit import audit
from khaudit.cli import cli
from khaudit.project import load_project


@pytest.fixture()
def province(demo_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns(".khaudit"))
    return copy


def decide(workbook: Path, choose) -> None:
    book = openpyxl.load_workbook(workbook)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        values = dict(zip(header, (c.value for c in row)))
        verdict = choose(values)
        if verdict:
            row[len(header) - 1].value = verdict
    book.save(workbook)


def test_decisions_are_applied_by_every_later_audit_and_survive_a_rename(province, tmp_path):
    project = province / "project.toml"
    first = audit(project, tmp_path / "run1")
    review = first.records[first.records["status"] == "needs_review"]
    assert len(review) >= 2
    candidates = first.table("candidates")
    accepted_path = str(candidates["path"].iloc[0])
    true_row = review[review["note"].str.startswith(accepted_path)]["source_row"].iloc[0]

    workbook = tmp_path / "review.xlsx"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["review", "export", "--lang", "vi", str(tmp_path / "run1"), "--out", str(workbook)]
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(workbook).worksheets[0]
    assert sheet.data_validations.dataValidation[0].formula1 == '"Đồng ý,Không đồng ý"'

    def choose(row: dict) -> str | None:
        if row["Đường dẫn tệp"] == accepted_path:
            return "Đồng ý" if str(row["Dòng"]) == str(true_row) else "Không đồng ý"
        return "Không đồng ý"  # the other scan in review is no record's

    decide(workbook, choose)
    result = runner.invoke(
        cli,
        ["review", "import", str(workbook), "--project", str(project), "--by", "Nguyễn Văn Kiểm"],
    )
    assert result.exit_code == 0, result.output
    assert load_project(project).decisions.exists()

    # The accepted scan is renamed before the next audit: the decision follows its content.
    locality_root = next(p for p in (province / "scans").iterdir() if (p / accepted_path).exists())
    (locality_root / accepted_path).rename(locality_root / "da doi ten.pdf")
    second = audit(project, tmp_path / "run2")
    records, files = second.records, second.files
    decided = records[records["match_method"] == "decision"]
    assert list(decided["source_row"]) == [true_row]
    assert decided["status"].iloc[0] in ("digitized", "page_mismatch")
    assert "Nguyễn Văn Kiểm" in decided["note"].iloc[0]
    renamed = files[files["path"] == "da doi ten.pdf"]
    assert renamed["status"].iloc[0] == "matched"
    assert (files["status"] == "needs_review").sum() == 0  # the rejected scan is an orphan now
    assert second.table("candidates").empty


def test_import_rejects_what_is_not_a_review_workbook(province, tmp_path):
    other = tmp_path / "x.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.save(other)
    result = CliRunner().invoke(
        cli, ["review", "import", str(other), "--project", str(province / "project.toml")]
    )
    assert result.exit_code == 2 and "not a khaudit review workbook" in result.output


def _export(run_dir: Path, workbook: Path) -> None:
    result = CliRunner().invoke(
        cli, ["review", "export", "--lang", "en", str(run_dir), "--out", str(workbook)]
    )
    assert result.exit_code == 0, result.output


def _set_rows(workbook: Path, rows: list[dict]) -> None:
    """Replace the review rows by ``rows`` (headings as exported in English)."""
    book = openpyxl.load_workbook(workbook)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append([row.get(h) for h in header])
    book.save(workbook)


def _row(candidate, **change) -> dict:
    from khaudit.i18n import t

    values = {
        t(f"col.{c}", "en"): candidate[c]
        for c in (
            "locality",
            "path",
            "candidate_rank",
            "source_file",
            "source_sheet",
            "source_row",
            "record_code",
            "title",
            "candidate_score",
            "explanation",
            "xxh3_128",
        )
    }
    values[t("col.decision", "en")] = "Accept"
    values.update({t(f"col.{k}", "en"): v for k, v in change.items()})
    return values


def test_review_decisions_change_the_fingerprint_and_history_lists_each_run_once(
    province, tmp_path
):
    from khaudit.history import read_history
    from khaudit.report.verify_report import verify_report

    project = province / "project.toml"
    first = audit(project, tmp_path / "run1")
    again = audit(project, tmp_path / "run1b")
    assert again.meta["fingerprint"] == first.meta["fingerprint"]  # nothing changed
    candidate = first.table("candidates").iloc[0]
    workbook = tmp_path / "review.xlsx"
    _export(tmp_path / "run1", workbook)
    _set_rows(workbook, [_row(candidate)])
    result = CliRunner().invoke(
        cli,
        ["review", "import", str(workbook), "--project", str(project), "--by", "Trần Thị Rà Soát"],
    )
    assert result.exit_code == 0, result.output
    second = audit(project, tmp_path / "run2")
    assert second.meta["fingerprint"] != first.meta["fingerprint"]
    assert second.meta["decisions_sha256"] != first.meta["decisions_sha256"]
    decided = second.records[second.records["match_method"] == "decision"]
    assert len(decided) == 1  # the decision changed a status
    stale = tmp_path / "report.html"  # a report of the first run carries its fingerprint
    stale.write_text(
        '<html><head><meta name="khaudit-fingerprint" content="'
        f'{first.meta["fingerprint"]}"></head></html>',
        encoding="utf-8",
    )
    assert not verify_report(stale, tmp_path / "run2").matches
    assert verify_report(stale, tmp_path / "run1").matches
    ids = [e.run_id for e in read_history(load_project(project).history, include_excluded=True)]
    assert sorted(ids) == sorted({first.meta["run_id"], second.meta["run_id"]})
    assert len(second.table("history")["run_id"].unique()) == 2


def test_import_refuses_decisions_that_do_not_match_the_run(province, tmp_path):
    import json

    project = province / "project.toml"
    first = audit(project, tmp_path / "run1")
    candidate = first.table("candidates").iloc[0]
    workbook = tmp_path / "review.xlsx"
    _export(tmp_path / "run1", workbook)
    _set_rows(
        workbook,
        [
            _row(candidate, locality="Xã Không Có"),  # row 2
            _row(candidate, source_row=99999),  # row 3
            _row(candidate, xxh3_128="0" * 32),  # row 4
            _row(candidate, path=None, record_code=None, decision="Reject"),  # row 5: fine
        ],
    )
    decisions = load_project(project).decisions
    result = CliRunner().invoke(
        cli,
        ["review", "import", str(workbook), "--project", str(project), "--by", "Trần Thị Rà Soát"],
    )
    assert result.exit_code == 1
    assert "row 2: locality 'Xã Không Có' is not in the run" in result.output
    assert "row 3: the run has no record" in result.output and "row 99999" in result.output
    assert "row 4: the run has no scan with hash" in result.output
    lines = [json.loads(line) for line in decisions.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1 and lines[0]["verdict"] == "reject"
    assert lines[0]["path"] == "" and lines[0]["by"] == "Trần Thị Rà Soát"
    assert "None" not in decisions.read_text(encoding="utf-8")


def test_import_refuses_an_empty_reviewer(province, tmp_path, monkeypatch):
    project = province / "project.toml"
    first = audit(project, tmp_path / "run1")
    workbook = tmp_path / "review.xlsx"
    _export(tmp_path / "run1", workbook)
    _set_rows(workbook, [_row(first.table("candidates").iloc[0])])
    for by in ([], ["--by", "  "]):
        result = CliRunner().invoke(
            cli, ["review", "import", str(workbook), "--project", str(project), *by]
        )
        assert result.exit_code == 2 and "--by" in result.output
    assert not load_project(project).decisions.exists()


def test_a_malformed_decision_line_is_located_and_the_others_still_apply(province, tmp_path):
    import json

    from khaudit.match.decisions import read_decisions

    project = province / "project.toml"
    first = audit(project, tmp_path / "run1")
    candidate = first.table("candidates").iloc[0]
    log = load_project(project).decisions
    log.parent.mkdir(parents=True, exist_ok=True)
    good = {
        "locality": candidate["locality"],
        "content": candidate["xxh3_128"],
        "source_file": candidate["source_file"],
        "source_sheet": str(candidate["source_sheet"] or ""),
        "source_row": int(candidate["source_row"]),
        "verdict": "accept",
        "by": "A",
    }
    log.write_text(
        "\n".join(
            [
                '{"locality": "x", "content": ',
                json.dumps(good),
                json.dumps(good | {"verdict": "maybe"}),
                "[1, 2]",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    index = read_decisions(log)
    assert len(index) == 1
    assert [p.split(":")[0] for p in index.problems] == [
        f"{log}, line 1",
        f"{log}, line 3",
        f"{log}, line 4",
    ]
    second = audit(project, tmp_path / "run2")
    assert len(second.meta["warnings"]) == 3 and "line 1" in second.meta["warnings"][0]
    assert (second.records["match_method"] == "decision").sum() == 1


def test_the_report_workbooks_review_sheet_is_imported_as_it_is(province, tmp_path):
    """The report names pairs by path and inventory row only; the run it sits in gives the
    locality and the scan's hash, and its summary's run id must be that run's."""
    from khaudit.i18n import t
    from khaudit.report.xlsx import write_locality_workbook
    from khaudit.textnorm import slugify

    project = province / "project.toml"
    run = audit(project, tmp_path / "run")
    candidates = run.table("candidates")
    locality = str(candidates["locality"].iloc[-1])
    mine = candidates[candidates["locality"] == locality].reset_index(drop=True)
    report = run.path / slugify(locality) / "report.xlsx"  # where `khaudit report` puts it
    report.parent.mkdir()
    write_locality_workbook(run, locality, report, lang="vi")

    book = openpyxl.load_workbook(report)
    ws = book[t("report.review", "vi")]
    header = [c.value for c in ws[1]]
    assert t("col.xxh3_128", "vi") not in header and t("col.locality", "vi") not in header
    assert header[-1] == t("col.decision", "vi") and ws.max_row - 1 == len(mine)
    ws.cell(row=2, column=len(header)).value = t("report.reject", "vi")
    book.save(report)

    moved = tmp_path / "elsewhere.xlsx"
    shutil.copy(report, moved)
    args = ["--project", str(project), "--by", "Lê Văn Xem"]
    result = CliRunner().invoke(cli, ["review", "import", str(moved), *args])
    assert result.exit_code == 2 and "--run" in result.output  # away from its run: ask for it

    result = CliRunner().invoke(cli, ["review", "import", str(report), *args])
    assert result.exit_code == 0, result.output
    [decision] = [
        line for line in load_project(project).decisions.read_text("utf-8").splitlines() if line
    ]
    first = mine.iloc[0]
    assert '"reject"' in decision and "Lê Văn Xem" in decision
    assert str(first["xxh3_128"]) in decision and locality in decision

    other = audit(project, tmp_path / "run2")  # the decision log changed: another run
    result = CliRunner().invoke(
        cli, ["review", "import", str(moved), *args, "--run", str(other.path)]
    )
    assert other.meta["run_id"] != run.meta["run_id"]
    assert result.exit_code == 2 and run.meta["run_id"] in result.output


def test_the_review_workbook_stores_ranks_rows_and_scores_as_numbers(demo_run, tmp_path):
    """A reviewer sorts the pairs by score and filters by row: those cells are numbers with
    number formats, never text ('0.87'); a sheet's name ('2019') and a code stay text."""
    from khaudit.review import COLUMNS, export_review

    out = tmp_path / "xem-xet.xlsx"
    assert export_review(demo_run.path, out, lang="vi") > 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = list(ws.iter_rows(min_row=2))
    at = {c: COLUMNS.index(c) for c in ("candidate_rank", "source_row", "candidate_score")}
    for row in rows:
        rank, source_row, score = (row[at[c]] for c in at)
        assert isinstance(rank.value, int) and rank.number_format == "0"
        assert isinstance(source_row.value, int) and source_row.number_format == "0"
        assert isinstance(score.value, int | float) and 0 <= score.value <= 1
        assert score.number_format == "0.00"
        assert all(c.value not in ("None", "nan", "<NA>") for c in row)
    path = rows[0][COLUMNS.index("path")]
    assert isinstance(path.value, str) and path.data_type == "s"
    # printed as the report's sheets: A4, landscape, one page wide, the headings on each page
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
