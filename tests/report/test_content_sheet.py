"""The workbook's content sheet: scans checked by their first page, and each contradicted
scan with both records, the one its name gives and the one its page gives."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from khaudit.reconcile import CANDIDATE_COLUMNS
from khaudit.report.content_check import content_figures, content_intro, contradicted_table
from khaudit.report.content_sheet import BOTH_RECORDS_VIEW, both_records, figure_rows
from khaudit.report.xlsx import write_locality_workbook

LOCALITY = "Phường Nha Trang"  # the demo's locality of searchable PDFs, one pair swapped


def test_content_sheet_shows_the_swapped_pair_with_both_records(demo_run, tmp_path: Path):
    path = write_locality_workbook(demo_run, LOCALITY, tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    assert "Đối chiếu nội dung" in book.sheetnames
    ws = book["Đối chiếu nội dung"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    files = demo_run.locality_table("files", LOCALITY)
    figures = content_figures(files)
    assert figures.contradicted == 2
    assert cells["Nội dung mâu thuẫn với tên tệp"].offset(column=1).value == 2
    assert cells["Đã kiểm tra theo nội dung"].offset(column=1).value == figures.checked
    header = cells["Mã hồ sơ theo tên tệp"].row
    headings = [c.value for c in ws[header]]
    rows = [
        dict(zip(headings, (c.value for c in row)))
        for row in ws.iter_rows(min_row=header + 1)
        if row[0].value
    ]
    assert len(rows) == 2
    named = {r["Mã hồ sơ theo tên tệp"] for r in rows}
    shown = {r["Mã hồ sơ theo trang đầu"] for r in rows}
    assert named == shown and len(named) == 2  # each scan holds the other's pages
    for row in rows:
        assert row["Mã hồ sơ theo tên tệp"] != row["Mã hồ sơ theo trang đầu"]
        assert row["Tiêu đề hồ sơ theo tên tệp"] and row["Tiêu đề hồ sơ theo trang đầu"]
        assert isinstance(row["Khớp nội dung"], int | float)  # a number, not text


def test_both_records_of_a_contradicted_scan_without_a_second_record():
    files = pd.DataFrame(
        {
            "path": ["a.pdf", "b.pdf"],
            "record_code": ["X.1", "X.2"],
            "status": ["needs_review", "matched"],
            "content_match": [0.1, 0.95],
            "text_source": ["ocr", "layer"],
            "match_method": ["code", "code"],
            "note": ["its page agrees only 10%", ""],
        }
    )

    class NoCandidates:
        meta: dict = {}

        def table(self, name: str) -> pd.DataFrame:
            return pd.DataFrame(columns=CANDIDATE_COLUMNS)

    table = both_records(NoCandidates(), "L", files)  # type: ignore[arg-type]
    assert list(table.columns) == BOTH_RECORDS_VIEW
    assert table.to_dict("records")[0] | {"page_score": None} == {
        "path": "a.pdf",
        "text_source": "ocr",
        "content_match": 0.1,
        "named_code": "X.1",
        "named_title": "",
        "page_code": "",
        "page_title": "",
        "page_score": None,
        "explanation": "its page agrees only 10%",
    }
    assert dict((k, v) for k, v, _ in figure_rows(files))["report.content_by_ocr"] == 1


def test_intro_names_the_sample_and_the_ocr_engine():
    meta = {"parameters": {"content": {"sample": 0.05, "ocr_engine": "tesseract 5.3.0 vie"}}}
    text = content_intro(meta, "en")
    assert "5%" in text and "tesseract 5.3.0 vie" in text
    assert "tesseract" not in content_intro({"parameters": {"content": {"sample": 1.0}}}, "en")


def test_only_scans_whose_page_contradicts_count_as_contradicted(demo_run):
    """A scan in review for a tie of two records, its page agreeing with the record its name
    gives, is not contradicted by its content."""
    files = pd.DataFrame(
        {
            "path": ["tie.pdf", "swapped.pdf", "right.pdf"],
            "record_code": ["X.1", "X.2", "X.3"],
            "status": ["needs_review", "needs_review", "matched"],
            "content_match": [0.95, 0.3, 0.9],
            "content_verdict": ["agrees", "contradicts", "agrees"],
            "text_source": ["layer"] * 3,
            "match_method": ["title"] * 3,
            "note": ["two records fit", "its page names X.9", ""],
        }
    )
    figures = content_figures(files)
    assert (figures.checked, figures.contradicted) == (3, 1)
    assert list(contradicted_table(files)["path"]) == ["swapped.pdf"]
    demo = demo_run.locality_table("files", LOCALITY)
    assert (demo["content_verdict"] == "contradicts").sum() == 2  # the swapped pair
    assert set(demo.loc[demo["content_match"].isna(), "content_verdict"]) <= {""}


def test_the_fingerprint_table_shows_the_ocr_texts_and_decisions_digests():
    from khaudit.report.figures import fingerprint_table

    meta = {"fingerprint": "f" * 64, "ocr_texts_sha256": "a" * 64, "decisions_sha256": "d" * 64}
    shown = dict(fingerprint_table(meta, "en").itertuples(index=False))
    assert shown["SHA-256 of the texts OCR read"] == "a" * 64
    assert shown["Review decisions in force SHA-256"] == "d" * 64
    without = dict(fingerprint_table({"fingerprint": "f" * 64}, "en").itertuples(index=False))
    assert "SHA-256 of the texts OCR read" not in without
