"""Reports read back: figures match the run tables, nothing untrusted escapes, no code shows."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.report import figures as F
from khaudit.report import numbers as N
from khaudit.report.locality import LocalityReport
from khaudit.report.render import render_locality
from khaudit.run import load_run

HOSTILE_TITLE = "<script>alert('x')</script> Báo cáo năm 2019"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","bấm vào")'


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    (base / "scans").mkdir()
    rows = [
        "STT;Mã hồ sơ;Tiêu đề hồ sơ;Năm;Số tờ",
        f"1;A.1;{HOSTILE_TITLE};2019;2",
        f"2;A.2;{FORMULA_TITLE};2019;2",
        "3;A.3;Hồ sơ đăng ký kết hôn;2019;2",
    ]
    (base / "inv.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rng = random.Random(1)
    (base / "scans" / "A.3.pdf").write_bytes(sf.pdf_bytes("a", 2, rng))
    (base / "scans" / "<img src=x onerror=alert(1)>.pdf").write_bytes(sf.pdf_bytes("b", 1, rng))
    (base / "project.toml").write_text(
        'title = "<b>T</b>"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Cam Lâm"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    out = base / "run"
    audit(base / "project.toml", out)
    render_locality(out, "Xã Cam Lâm")
    return out


def test_headline_matches_the_run_tables(demo_run):
    records, files = F.locality_tables(demo_run, "Xã Diên Lạc")
    h = F.headline(records, files)
    unique = records[records["status"] != "duplicate_entry"]
    assert h.unique_records == len(unique)
    assert h.digitized == (unique["status"] == "digitized").sum()
    assert h.files == len(files)
    assert 0 < h.completion < 1 and h.tthc_records > 0
    assert not h.ready_for_handover
    counts = F.record_status_counts(records)
    assert counts.iloc[:, 2].sum() == len(records)


def test_progress_by_box_counts_every_unique_record(demo_run):
    records, _ = F.locality_tables(demo_run, "Xã Diên Lạc")
    progress = F.progress_by(records, "box")
    assert progress["records"].sum() == (records["status"] != "duplicate_entry").sum()
    assert progress["completion"].between(0, 1).all()


def test_locality_html_and_xlsx_from_the_notebook(demo_run, own_run):
    html_path = render_locality(own_run, "xa-cam-lam")
    page = html_path.read_text(encoding="utf-8")
    assert "LocalityReport(" not in page and "display(HTML" not in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    assert demo_run.meta["fingerprint"] in page
    assert "Biên bản giao nhận tài liệu" in page and "ĐẠI DIỆN BÊN GIAO" in page
    records, files = F.locality_tables(demo_run, "Xã Cam Lâm")
    h = F.headline(records, files)
    assert N.percent(h.completion, "vi") in page  # 92,3%: the Vietnamese decimal comma

    book = openpyxl.load_workbook(html_path.parent / "report.xlsx")
    assert book.sheetnames[0] == "Tổng hợp"
    assert "Hồ sơ chưa có bản quét" in book.sheetnames
    missing = book["Hồ sơ chưa có bản quét"]
    assert missing.max_row - 1 == (records["status"] == "missing").sum()
    assert missing.freeze_panes == "A2" and missing.auto_filter.ref
    assert [c.value for c in missing[1]][:3] == ["Tệp mục lục", "Trang tính", "Dòng"]
    review = book["Các cặp cần người xem xét"]
    assert review.data_validations.dataValidation[0].formula1 == '"Đồng ý,Không đồng ý"'
    assert book["Tổng hợp"]._charts


def test_english_report(demo_run):
    report = LocalityReport(demo_run.path, "Xã Diên Lạc", lang="en")
    assert "Handover minutes" in report.minutes() and "Biên bản" not in report.minutes()


def test_untrusted_text_is_escaped_and_never_a_formula(hostile_run):
    page = (hostile_run / "xa-cam-lam" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>T</b>" not in page
    book = openpyxl.load_workbook(hostile_run / "xa-cam-lam" / "report.xlsx")
    cells = [
        c for row in book["Danh sách hồ sơ"].iter_rows() for c in row if c.value == FORMULA_TITLE
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    assert load_run(hostile_run).verify_tables() == []


def test_province_summary_ranks_every_locality(demo_run, own_run):
    from khaudit.report.province import ProvinceReport
    from khaudit.report.render import render_province

    report = ProvinceReport(demo_run, units=[])  # the run's localities, no official list
    table = report.table()
    assert set(table["locality"]) == {loc["name"] for loc in demo_run.meta["localities"]}
    assert table["completion"].between(0, 1).all()
    page = render_province(own_run).read_text(encoding="utf-8")
    assert "Báo cáo tổng hợp số hóa tài liệu lưu trữ toàn tỉnh" in page
    assert "Xã Diên Lạc" in page and "<script" not in page
    outlook = report.table()["Ghi chú"]
    assert set(outlook) == {"Chưa đủ dữ liệu để dự báo"}  # one audit only: no forecast
    assert "Chưa đủ dữ liệu để dự báo" in page and "Tổng cộng" in page


def test_trend_section_says_when_there_are_too_few_audits(demo_run):
    trend = LocalityReport(demo_run, "Xã Diên Lạc").trend()
    assert "Tiến độ theo thời gian" in trend and "chưa đủ số lần kiểm tra" in trend


def test_pdf_minutes_render_and_extract_with_diacritics(demo_run, tmp_path):
    import pypdf

    from khaudit.report.minutes_pdf import write_minutes_pdf

    pdf = write_minutes_pdf(demo_run, "Xã Cam Lâm", tmp_path / "bien-ban.pdf")
    reader = pypdf.PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN GIAO NHẬN TÀI LIỆU",
        "Xã Cam Lâm",
        "ĐẠI DIỆN BÊN GIAO",
        "ĐẠI DIỆN BÊN NHẬN",
        "Hồ sơ thủ tục hành chính",
        demo_run.meta["fingerprint"],
    ):
        assert phrase in text, phrase
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_verify_report_tells_a_matching_report_from_a_stale_one(demo_run, tmp_path):
    import shutil

    from click.testing import CliRunner

    from khaudit.cli import cli

    run = tmp_path / "run"
    shutil.copytree(demo_run.path, run)
    html_path = render_locality(run, "Xã Diên Lạc")
    folder = html_path.parent
    runner = CliRunner()
    for name in ("report.html", "report.xlsx", "bien-ban.pdf"):
        result = runner.invoke(cli, ["verify-report", str(folder / name), str(run)])
        assert result.exit_code == 0 and "matches its run" in result.output, result.output
    with open(run / "records.csv", "a", encoding="utf-8") as fh:
        fh.write("forged row\n")
    result = runner.invoke(cli, ["verify-report", str(folder / "bien-ban.pdf"), str(run)])
    assert result.exit_code == 1 and "records.csv" in result.output


def test_a_hung_kernel_is_given_up_on_and_retried_once(tmp_path, monkeypatch):
    import nbformat

    from khaudit.report.render import execute

    marker = tmp_path / "first-attempt"
    nb = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    nb.cells = [
        nbformat.v4.new_code_cell("marker = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import pathlib, time\n"
            "p = pathlib.Path(marker)\n"
            "if not p.exists():\n"
            "    p.write_text('hung')\n"
            "    time.sleep(30)  # the first kernel never answers in time\n"
            "result = 'second kernel'"
        ),
    ]
    source = tmp_path / "hang.ipynb"
    nbformat.write(nb, source)
    monkeypatch.setenv("KHAUDIT_CELL_TIMEOUT", "3")
    done = execute(source, tmp_path / "out.ipynb", {"marker": str(marker)}, tmp_path)
    assert marker.read_text() == "hung"
    assert done.cells[-1].metadata.papermill.status == "completed"
