"""A byte-identical copy under another record's name: the review must never lead a person to
an action that takes the original's record its scan (decisions are kept by content)."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.match.decisions import read_decisions
from khaudit.review import export_review, import_review

INVENTORY = (
    "STT,Mã hồ sơ,Tiêu đề hồ sơ,Số tờ\n"
    "1,A.1,Báo cáo tổng kết công tác năm 2019,2\n"
    "2,A.2,Biên bản họp hội đồng nhân dân xã,2\n"
    "3,A.3,Tờ trình xin cấp kinh phí,2\n"
)


def _run(tmp_path: Path):
    """A.1's scan, and a byte-identical copy of it named as A.2's title (a station saved the
    wrong file under A.2's name): the matcher names A.2 as the copy's nearest record."""
    rng = random.Random(3)
    (tmp_path / "inv.csv").write_text(INVENTORY, "utf-8")
    scans = tmp_path / "scans"
    scans.mkdir()
    original = sf.pdf_bytes("A.1", 2, rng)
    (scans / "A.1.pdf").write_bytes(original)
    (scans / "A.3.pdf").write_bytes(sf.pdf_bytes("A.3", 2, rng))
    (scans / "bien ban hop.pdf").write_bytes(original)
    project = tmp_path / "project.toml"
    project.write_text(
        'title = "t"\nprovince = "p"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return project, audit(project, tmp_path / "run", lang="en")


def _decide(book_path: Path, verdict: str) -> None:
    book = openpyxl.load_workbook(book_path)
    ws = book.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        row[-1].value = verdict
    book.save(book_path)


def test_a_copys_pair_with_another_record_is_marked_and_its_accept_refused(tmp_path):
    project, run = _run(tmp_path)
    files = run.table("files").set_index("path")
    assert files.loc["bien ban hop.pdf", "status"] == "duplicate"
    assert files.loc["A.1.pdf", "record_code"] == "A.1"
    pairs = run.table("candidates")
    assert list(pairs["record_code"]) == ["A.2"]  # the hint the person would act on
    (tmp_path / "review").mkdir()
    book = tmp_path / "review" / "xem-xet.xlsx"
    assert export_review(run.path, book, lang="en") == 1
    ws = openpyxl.load_workbook(book).worksheets[0]
    headings = [c.value for c in ws[1]]
    why = ws.cell(2, headings.index("Why") + 1).value
    assert why.startswith("[A COPY: do not accept]") and "A.1.pdf" in why and "A.1" in why
    _decide(book, "Accept")
    log = tmp_path / ".khaudit" / "decisions.jsonl"
    recorded, problems = import_review(book, log, by="Lê Thị Hạnh")
    assert recorded == 0
    assert len(problems) == 1 and "row 2: refused" in problems[0]
    assert "byte-identical copy of A.1.pdf" in problems[0] and "A.1" in problems[0]
    assert len(read_decisions(log)) == 0
    # The original keeps its record on the next audit.
    again = audit(project, tmp_path / "run2", lang="en").table("files").set_index("path")
    assert again.loc["A.1.pdf", "record_code"] == "A.1"


def test_rejecting_a_copys_pair_is_recorded(tmp_path):
    _, run = _run(tmp_path)
    (tmp_path / "review").mkdir()
    book = tmp_path / "review" / "xem-xet.xlsx"
    export_review(run.path, book, lang="en")
    _decide(book, "Reject")
    log = tmp_path / ".khaudit" / "decisions.jsonl"
    recorded, problems = import_review(book, log, by="Lê Thị Hạnh")
    assert (recorded, problems) == (1, [])
