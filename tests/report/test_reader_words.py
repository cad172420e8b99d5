"""What a person reads says one thing one way: one completion share in every table of a
locality, a run id and a fingerprint under two names, colour modes in words, a score written
the reader's way, each naming convention once."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from khaudit.cli import _conventions, cli
from khaudit.report import figures as F
from khaudit.report.minutes import _figures
from khaudit.report.verify_report import report_fingerprint

RUN_ID, FINGERPRINT = "ab12" * 4, "ab12" * 4 + "cd34" * 12
#: Status codes a person must never read (the CSV tables keep them).
CODES = re.compile(r"\b(digitized|damaged_scan|duplicate_entry|page_mismatch|needs_review)\b")


def _locality() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seven inventory rows: four records digitized, one missing, one short of pages, and one
    row that repeats a record (a row, not a record of its own)."""
    statuses = ["digitized"] * 4 + ["missing", "page_mismatch", "duplicate_entry"]
    records = pd.DataFrame(
        {
            "status": statuses,
            "tthc": [True, True, False, False, True, False, True],
            "sheets": [2] * 7,
            "pages": [2] * 7,
        }
    )
    return records, pd.DataFrame({"status": ["matched"] * 4})


def test_the_status_table_takes_its_shares_as_the_completion_share_does():
    records, files = _locality()
    head = F.headline(records, files)
    assert head.completion == 4 / 6
    for lang in ("vi", "en"):
        counts = F.record_status_counts(records, lang).set_index("status")
        shares = counts.iloc[:, 2]
        assert shares["digitized"] == head.completion
        assert shares["duplicate_entry"] is None  # a repeated row is no record: no share
        assert sum(s for s in shares if s is not None) == pytest.approx(1.0)
    tthc = F.record_status_counts(records, "vi", tthc_only=True).set_index("status")
    assert tthc.iloc[:, 2]["digitized"] == 2 / 3  # of the TTHC records, the repeat not counted


def test_the_minutes_say_the_completion_share_once_and_state_its_base():
    records, files = _locality()
    rows = dict(_figures(records, F.headline(records, files), "vi"))
    assert rows["Tỷ lệ hoàn thành"] == "66,7%"
    assert rows["Đã số hóa"] == "4 (66,7%)"
    assert rows["Dòng mục lục trùng"] == "1"
    basis = F.share_basis(F.headline(records, files), "vi")
    assert "6 hồ sơ" in basis and "1 dòng mục lục trùng" in basis


def test_the_run_id_and_the_fingerprint_have_a_name_each():
    meta = {"run_id": RUN_ID, "fingerprint": FINGERPRINT, "version": "0"}
    for lang in ("vi", "en"):
        rows = list(F.fingerprint_table(meta, lang).itertuples(index=False, name=None))
        labels = [label for label, _ in rows]
        assert len(labels) == len(set(labels))
        by_value = {value: label for label, value in rows}
        assert by_value[RUN_ID] != by_value[FINGERPRINT]
    assert dict(F.fingerprint_table(meta, "vi").itertuples(index=False))["Dấu vân tay"] == (
        FINGERPRINT
    )


def test_verify_report_reads_the_fingerprint_row_of_new_and_older_workbooks(tmp_path):
    for name, rows in (
        ("new.xlsx", [("Mã lần kiểm tra", RUN_ID), ("Dấu vân tay", FINGERPRINT)]),
        ("older.xlsx", [("Mã lần kiểm tra", FINGERPRINT)]),  # the id's label, the digest
        ("english.xlsx", [("Run id", RUN_ID), ("Fingerprint", FINGERPRINT)]),
    ):
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(tmp_path / name)
        assert report_fingerprint(tmp_path / name) == FINGERPRINT, name


def test_colour_modes_are_said_in_words_in_the_quality_table():
    files = pd.DataFrame(
        {
            "path": ["a.tif", "b.pdf", "c.pdf", "d.tif"],
            "format": ["tiff", "pdf", "pdf", "tiff"],
            "pages": [1, 2, 2, 1],
            "dpi": [150, 150, 150, 150],
            "color_mode": ["L", "1", "CMYK", "RGB"],
            "pdfa": ["", "", "", ""],
            "quality": ["dpi<200"] * 4,
            "status": ["matched"] * 4,
        }
    )
    vi = F.localized(F.quality_table(files, "vi"), "vi")
    assert list(vi["Chế độ màu"]) == [
        "Thang xám",
        "Đen trắng (1 bit)",
        "Màu in (CMYK)",
        "Màu (RGB)",
    ]
    en = F.localized(F.quality_table(files, "en"), "en")
    assert "Greyscale" in set(en.iloc[:, 4])
    standard = F.quality_standard({"parameters": {"quality": {"color_mode": "gray"}}}, "vi")
    assert "chế độ màu: thang xám" in standard and "gray" not in standard


def test_the_score_is_written_the_readers_way_in_both_languages(demo_dir, demo_run):
    truth = str(demo_dir / "ground_truth")
    vi = CliRunner().invoke(cli, ["--lang", "vi", "score", str(demo_run.path), truth])
    assert vi.exit_code == 0, vi.output
    assert "độ chính xác liên kết 1,0000" in vi.output and "Đã số hóa" in vi.output
    assert not CODES.search(vi.output), vi.output
    assert not re.search(r"\d\.\d{4}", vi.output)  # no English decimal point
    en = CliRunner().invoke(cli, ["score", str(demo_run.path), truth, "--lang", "en"])
    assert "link precision 1.0000" in en.output and not CODES.search(en.output), en.output


def test_a_convention_held_for_several_name_shapes_is_said_once():
    parsed = [
        {"reading": f"parsed.{field}", "field": field, "agree": 0, "checked": 0}
        for field in ("file_no", "box", "file_no", "box")
    ]
    shapes = ["h", "h", "hs", "hs"]
    lines = _conventions(
        "scans/x", [{**c, "basis": "parsed", "shape": s} for c, s in zip(parsed, shapes)], "vi"
    )
    assert len(lines) == 2 and not any("0/0" in line for line in lines), lines
    learned = [
        {"reading": "name.last", "field": "code.1", "agree": a, "checked": c, "basis": b}
        for a, c, b in ((263, 263, "links"), (25, 25, "links"), (44, 46, "unique"))
    ]
    lines = _conventions("scans/y", [{**c, "shape": "h"} for c in learned], "vi")
    assert len(lines) == 1 and "288/288" in lines[0] and "44/46" in lines[0], lines
    assert lines[0].count(" = ") == 1, lines


def test_a_printed_cell_breaks_between_words_and_only_a_long_run_anywhere():
    from khaudit.report.locality import CSS, table_html

    frame = pd.DataFrame(
        {
            "code": ["22453"],
            "path": ["inventories/xa-tan-dinh/muc_luc_ho_so.xlsx"],
            "title": ["Hồ sơ đăng ký kết hôn của anh Nguyễn Văn An"],
        }
    )
    page = table_html(frame, "vi")
    assert "<td>22453</td>" in page and "<td>Hồ sơ đăng ký kết hôn" in page
    assert "<td class='x'>inventories/xa-tan-dinh/" in page
    assert re.search(r"td \{ overflow-wrap: break-word;", CSS)
    assert re.search(r"td\.x \{ overflow-wrap: anywhere; \}", CSS)


def test_a_moment_is_written_the_readers_way():
    from khaudit.report.figures import localized
    from khaudit.report.present import for_people, stored

    frame = localized(pd.DataFrame({"scanned_at": ["2026-11-30T19:44:24Z"]}), "vi")
    assert for_people(frame, "vi").iloc[0, 0] == "30/11/2026 19:44:24"
    english = localized(pd.DataFrame({"scanned_at": ["2026-11-30T19:44:24Z"]}), "en")
    assert for_people(english, "en").iloc[0, 0] == "2026-11-30 19:44:24"
    assert stored("2026-11-30T19:44:24Z", "moment").isoformat() == "2026-11-30T19:44:24"


def test_a_locality_with_no_scan_at_all_reads_true(tmp_path):
    from khaudit.audit import audit
    from khaudit.report.locality import LocalityReport

    (tmp_path / "scans").mkdir()
    rows = [
        "STT;Mã hồ sơ;Tiêu đề hồ sơ;Năm;Số tờ",
        "1;A.1;Hồ sơ một;2019;2",
        "2;A.2;Hồ sơ hai;2019;3",
    ]
    (tmp_path / "muc-luc.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "project.toml").write_text(
        'title = "x"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Trống"\n'
        'inventories = ["muc-luc.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    run = audit(tmp_path / "project.toml", tmp_path / "run")
    report = LocalityReport(run.path, "Xã Trống", "vi")
    quality = report.quality()
    assert "Chưa có tệp quét nào để đánh giá." in quality and "đều đạt tiêu chuẩn" not in quality
    files = F.file_status_counts(report.files, "vi")
    assert files.iloc[:, 3].isna().all()  # no file: no share, not 0,0%
    status = report.status()
    assert "0,0%" in status  # the records' completion is a true 0,0%
    assert "100,0%" in status  # every record is missing
