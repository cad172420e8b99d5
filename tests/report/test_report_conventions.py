"""Reports an official signs: the minutes' form and dates, Vietnamese number formatting, no
artefacts, print setup, numbers stored as numbers, headings in the reader's language, and a
province summary of every unit. Each test opens the produced file and reads it back."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.errors import ProjectError
from khaudit.project import load_project
from khaudit.report import numbers as N
from khaudit.report.minutes_pdf import write_minutes_pdf
from khaudit.report.xlsx import sheet_name, write_locality_workbook
from khaudit.run import Run

AUDITED = dt.datetime(2025, 6, 24, 9, 0, tzinfo=dt.UTC)
PROJECT = """title = "Kiểm tra số hóa"
province = "Khánh Hòa"

[progress]
deadline = 2025-06-30
pages_per_day = 50

[handover]
number = "15"
symbol = "UBND"
issuer = "Ủy ban nhân dân xã Diên Lạc"
[handover.giver]
unit = "Công ty Cổ phần Số hóa Nam Trung Bộ"
name = "Nguyễn Văn An"
position = "Giám đốc"
[handover.receiver]
unit = "Ủy ban nhân dân xã Diên Lạc"
name = "Trần Thị Bình"
position = "Chủ tịch"
[handover.province]
name = "Lê Văn Cường"
position = "Phó Giám đốc"
[handover.locality."Xã Cam Lâm".receiver]
unit = "Ủy ban nhân dân xã Cam Lâm"
name = "Phạm Thị Dung"

[[locality]]
name = "Xã Diên Lạc"
code = "22678"
inventories = ["dien-lac.csv"]
scan_roots = ["scans/dien-lac"]

[[locality]]
name = "Xã Cam Lâm"
inventories = ["cam-lam.csv"]
scan_roots = ["scans/cam-lam"]
"""
#: A repeated row, a sheet count that is no number, a record with no year: problems whose
#: codes and blanks must not reach a reader as "duplicate_row", "<NA>" or "nan".
INVENTORY = [
    "STT;Mã hồ sơ;Tiêu đề hồ sơ;Năm;Số tờ",
    "1;A.1;Hồ sơ đăng ký khai sinh;2019;2",
    "2;A.2;Hồ sơ đăng ký kết hôn;2019;2",
    "3;A.3;Báo cáo tổng kết năm;;hai",
    "4;A.4;Hồ sơ cấp giấy chứng nhận;2020;1",
    "4;A.4;Hồ sơ cấp giấy chứng nhận;2020;1",
]


def _province(base: Path) -> Path:
    import random

    rng = random.Random(3)
    for slug in ("dien-lac", "cam-lam"):
        (base / f"{slug}.csv").write_text("\n".join(INVENTORY) + "\n", encoding="utf-8")
        scans = base / "scans" / slug
        scans.mkdir(parents=True)
        for code in ("A.1", "A.2"):
            (scans / f"{code}.pdf").write_bytes(sf.pdf_bytes(code, 2, rng))
    (base / "project.toml").write_text(PROJECT, encoding="utf-8")
    return base / "project.toml"


@pytest.fixture(scope="module")
def handover_run(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("handover")
    project = _province(base)
    audit(project, base / "run-10", as_of=AUDITED - dt.timedelta(days=14))
    import random

    rng = random.Random(4)  # a scan delivered between the two audits: a trend to forecast
    (base / "scans" / "dien-lac" / "A.4.pdf").write_bytes(sf.pdf_bytes("A.4", 1, rng))
    return audit(project, base / "run", as_of=AUDITED)


def _pdf_text(path: Path) -> list[str]:
    """Each page's text, lines joined (a long unit name wraps in its column)."""
    import pypdf

    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def _rendered(pdf: Path, tmp_path: Path) -> int:
    """Render every page (pdftoppm when installed, else pdfium); return the pages rendered."""
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
        return len(list(tmp_path.glob("p*.png")))
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    for page in doc:
        image = page.render(scale=0.5).to_pil()
        assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
    return len(doc)


# --- numbers ---------------------------------------------------------------------------


def test_numbers_are_written_the_readers_way():
    assert N.integer(190500, "vi") == "190.500" and N.integer(190500, "en") == "190,500"
    assert N.percent(0.923, "vi") == "92,3%" and N.percent(0.923, "en") == "92.3%"
    assert N.decimal(1234.5, "vi") == "1.234,50" and N.integer(-1200, "vi", sign=True) == "-1.200"
    assert N.plain(2019.0) == "2019" and N.plain("0012") == "12"
    for blank in (None, float("nan"), "nan", "<NA>", "None", ""):
        assert N.integer(blank) == "" and N.percent(blank) == "" and N.date_text(blank) == ""
    import pandas as pd

    assert N.integer(pd.NA) == "" and N.date_text("2025-06-24", "vi") == "24/06/2025"


# --- the minutes --------------------------------------------------------------------------


def test_minutes_pdf_has_the_form_of_an_administrative_record(handover_run, tmp_path):
    pdf = write_minutes_pdf(handover_run, "Xã Diên Lạc", tmp_path / "bien-ban.pdf")
    pages = _pdf_text(pdf)
    text = "\n".join(pages)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ DIÊN LẠC",
        "Số: 15/BB-UBND",
        "Khánh Hòa, ngày 24 tháng 6 năm 2025",
        "BIÊN BẢN",
        "Công ty Cổ phần Số hóa Nam Trung Bộ",
        "Nguyễn Văn An",
        "Giám đốc",
        "Trần Thị Bình",
        "Chủ tịch",
        "Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản",
        "KẾT LUẬN",
        handover_run.meta["fingerprint"],
    ):
        assert phrase in text, phrase
    # the day of printing only as "in ngày …"; the record speaks for the audit's day
    today = dt.date.today().strftime("%d/%m/%Y")
    assert f"in ngày {today}" in text
    assert text.count(today) == 1 or today == "24/06/2025"
    # the conclusion, the copies clause and both signers on one page; identifiers in an annex
    sign_page = next(i for i, p in enumerate(pages) if "KẾT LUẬN" in p)
    for phrase in ("02 bản", "ĐẠI DIỆN BÊN GIAO", "ĐẠI DIỆN BÊN NHẬN", "Trần Thị Bình"):
        assert phrase in pages[sign_page], phrase
    assert "PHỤ LỤC" in pages[-1] and handover_run.meta["fingerprint"] in pages[-1]
    assert handover_run.meta["fingerprint"] not in "".join(pages[: sign_page + 1])
    # in Vietnamese throughout, numbers too
    for english in ("Fingerprint", "SHA-256 catalogue", "scan catalogue", "project SHA"):
        assert english not in text
    assert re.search(r"\d+,\d%", text) and not re.search(r"\d+\.\d%", text)
    for artefact in ("<NA>", "None", "nan", "duplicate_row"):
        assert not re.search(rf"(?<!\w){re.escape(artefact)}(?!\w)", text), artefact
    assert _rendered(pdf, tmp_path) == len(pages)


def test_minutes_take_a_localitys_own_parties_and_verify(handover_run, tmp_path):
    from khaudit.report.verify_report import verify_report

    pdf = write_minutes_pdf(handover_run, "Xã Cam Lâm", tmp_path / "bien-ban.pdf")
    text = "\n".join(_pdf_text(pdf))
    assert "Ủy ban nhân dân xã Cam Lâm" in text and "Phạm Thị Dung" in text
    assert "Chủ tịch" in text  # the position not overridden stays the project's
    assert "Nguyễn Văn An" in text  # the giver is the project's
    assert verify_report(pdf, handover_run.path).matches


def test_english_minutes_use_english_dates_and_numbers(handover_run, tmp_path):
    pdf = write_minutes_pdf(handover_run, "Xã Diên Lạc", tmp_path / "minutes.pdf", lang="en")
    text = "\n".join(_pdf_text(pdf))
    assert "No.: 15/BB-UBND" in text and "Khánh Hòa, 24 June 2025" in text
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text and "Biên bản" not in text
    assert re.search(r"\d+\.\d%", text) and not re.search(r"\d+,\d%", text)


def test_minutes_without_parties_leave_lines_to_fill_by_hand(handover_run, tmp_path):
    bare = Run(path=handover_run.path, meta={**handover_run.meta, "handover": {}})
    text = "\n".join(_pdf_text(write_minutes_pdf(bare, "Xã Cam Lâm", tmp_path / "b.pdf")))
    assert "Số: ……/BB-……" in text and "Ông/Bà: …" in text


def test_the_demos_minutes_name_their_parties(demo_run, tmp_path):
    text = " ".join(_pdf_text(write_minutes_pdf(demo_run, "Xã Cam Lâm", tmp_path / "b.pdf")))
    assert "Số: 03/BB-UBND" in text and "Ông/Bà: …" not in text
    assert "Công ty Cổ phần Số hóa Nam Trung Bộ" in text and "Nguyễn Văn An" in text
    assert "ỦY BAN NHÂN DÂN XÃ CAM LÂM" in text and "Phạm Thị Dung" in text
    district = " ".join(
        _pdf_text(write_minutes_pdf(demo_run, "UBND huyện Diên Khánh", tmp_path / "d.pdf"))
    )
    assert "Lưu trữ lịch sử tỉnh Khánh Hòa" in district and "Võ Thị Hoa" in district


def test_handover_table_errors_name_the_key(tmp_path):
    project = _province(tmp_path)
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace(
            '[handover.locality."Xã Cam Lâm".receiver]', '[handover.locality."Xã Cam".receiver]'
        ).replace('position = "Giám đốc"', 'positon = "Giám đốc"'),
        encoding="utf-8",
    )
    with pytest.raises(ProjectError) as caught:
        load_project(project)
    message = str(caught.value)
    assert "positon" in message and "position" in message
    project.write_text(
        text.replace(
            '[handover.locality."Xã Cam Lâm".receiver]', '[handover.locality."Xã Cam".receiver]'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProjectError, match="Xã Cam"):
        load_project(project)


# --- HTML -------------------------------------------------------------------------------


def _visible_text(page: str) -> str:
    import html

    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    page = re.sub(r"<(script|head)>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


ARTEFACTS = ("<NA>", "None", "nan", "NaN", "NaT", "duplicate_row", "sheets_not_number", "True")


@pytest.fixture(scope="module")
def rendered(handover_run) -> Path:
    from khaudit.report.render import render_locality, render_province

    render_locality(handover_run.path, "Xã Diên Lạc")
    render_province(handover_run.path)
    return handover_run.path


def test_locality_page_prints_on_a4_and_shows_no_artefacts(rendered, handover_run):
    from khaudit.report import figures as F

    page = (rendered / "xa-dien-lac" / "report.html").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", page)
    assert "display: table-header-group" in page and "break-after: avoid" in page
    assert re.search(r"\.sign[^{]*\{[^}]*break-inside: avoid", page)
    text = _visible_text(page)
    for artefact in ARTEFACTS:
        assert not re.search(rf"(?<![\w<]){re.escape(artefact)}(?![\w>])", text), artefact
    assert "Dòng lặp lại" in text and "Số tờ không phải là số" in text  # codes in words
    records, files = F.locality_tables(handover_run, "Xã Diên Lạc")
    completion = F.headline(records, files).completion
    assert N.percent(completion, "vi") in text and f"{completion:.1%}" not in text
    assert "Số: 15/BB-UBND" in text and "ngày 24 tháng 6 năm 2025" in text


def test_province_summary_lists_every_unit_with_totals_and_signature(rendered, handover_run):
    from khaudit.report.province import ProvinceReport, province_table, totals_row

    units = [("Xã Diên Lạc", "22678"), ("Xã Cam Lâm", ""), ("Phường Bắc Nha Trang", "22333")]
    table = province_table(handover_run, units)
    assert list(table["locality"])[-1] == "Phường Bắc Nha Trang"
    assert table["audited"].tolist() == [True, True, False]
    total = totals_row(table)
    assert total["records"] == table["records"].iloc[:2].sum()
    assert total["completion"] == pytest.approx(total["digitized"] / total["records"])
    ranked = table[table["audited"] == True]  # noqa: E712
    assert ranked["rank"].tolist() == [1, 2]
    # the one that progressed has a forecast; the stalled one will miss the deadline: first
    assert ranked["outlook"].iloc[0] == "will_miss" and ranked["locality"].iloc[0] == "Xã Cam Lâm"
    html_text = "".join(ProvinceReport(handover_run, units=units).sections())
    text = _visible_text(html_text)
    assert "Chưa kiểm tra" in text and "Tổng cộng" in text and "Nơi nhận" in text
    assert "PHÓ GIÁM ĐỐC" in text and "Lê Văn Cường" in text and "SỞ NỘI VỤ" in text
    page = (rendered / "province.html").read_text(encoding="utf-8")
    assert "@page" in page and "<img" in page
    for artefact in ARTEFACTS:
        assert not re.search(rf"(?<![\w<]){re.escape(artefact)}(?![\w>])", _visible_text(page))


# --- the workbook -------------------------------------------------------------------------


def test_sheet_names_are_cut_at_a_word_and_unique():
    used: set[str] = set()
    long = "Hồ sơ quét thiếu hoặc thừa trang của đơn vị"
    first, second = sheet_name(long, used), sheet_name(long.upper(), used)
    assert first == "Hồ sơ quét thiếu hoặc thừa" and len(second) <= 31
    assert first.casefold() != second.casefold() and second.endswith("(2)")
    assert sheet_name("a/b:c*d?[e]", used) == "abcde"
    assert len(sheet_name("x" * 40, used)) == 31


def test_verify_report_reads_the_province_workbook(handover_run, tmp_path):
    from khaudit.report.province_xlsx import write_province_workbook
    from khaudit.report.verify_report import verify_report

    for lang in ("vi", "en"):
        target = write_province_workbook(handover_run, tmp_path / f"province-{lang}.xlsx", lang)
        check = verify_report(target, handover_run.path)
        assert check.report_fingerprint == handover_run.meta["fingerprint"] and check.matches


def test_workbook_stores_numbers_and_prints_on_a4(handover_run, tmp_path):
    path = write_locality_workbook(handover_run, "Xã Diên Lạc", tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert len(set(n.casefold() for n in names)) == len(names)
    for ws in book.worksheets:
        assert len(ws.title) <= 31
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows  # the header row on every printed page
    wide = book["Danh sách hồ sơ"]
    assert wide.page_setup.orientation == "landscape"
    summary = book["Tổng hợp"]
    figures = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r[0] and r[1] is not None}
    assert isinstance(figures["Số dòng trong mục lục (kể cả dòng trùng)"], int)
    share = summary.cell(
        *next((c.row, c.column + 1) for c in summary["A"] if c.value == "Tỷ lệ hoàn thành")
    )
    assert isinstance(share.value, float) and 0 <= share.value <= 1 and "%" in share.number_format
    for ws in book.worksheets:  # nothing a person reads is a pandas artefact or a number as text
        typed = ws.title == "Lỗi trong mục lục hồ sơ"  # holds each bad value as it was typed
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.value not in ("<NA>", "None", "nan", "NaT", "duplicate_row")
                    number_as_text = re.fullmatch(r"\d+(\.\d+)?%?", cell.value)
                    assert typed or not number_as_text, (ws.title, cell.coordinate, cell.value)


def test_progress_sheet_has_translated_headings_and_a_native_burndown(handover_run, tmp_path):
    path = write_locality_workbook(handover_run, "Xã Diên Lạc", tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(path)["Tiến độ"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    for english in ("run_id", "as_of", "tthc_records", "pages_to_scan", "records"):
        assert english not in values
    assert "Ngày kiểm tra" in values and "Còn phải số hóa" in values
    dates = [v for v in values if isinstance(v, dt.datetime)]
    assert dt.datetime(2025, 6, 10) in dates and dt.datetime(2025, 6, 24) in dates
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    burndown = [c for c in charts if "c:scatterChart" in c]
    assert burndown and "Số hồ sơ còn phải số hóa" in burndown[0]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook_without_repair(handover_run, tmp_path):
    path = write_locality_workbook(handover_run, "Xã Diên Lạc", tmp_path / "report.xlsx")
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.pdf").stat().st_size > 0


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("chrome")


@pytest.mark.skipif(not _chromium(), reason="Chromium is not installed")
def test_chromium_prints_the_locality_page_on_a4_with_the_signatures_beside_the_conclusion(
    rendered, tmp_path
):
    import pypdf

    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        [
            str(_chromium()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            (rendered / "xa-dien-lac" / "report.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = pypdf.PdfReader(pdf).pages
    sizes = {
        tuple(sorted((round(float(p.mediabox.width)), round(float(p.mediabox.height)))))
        for p in pages
    }
    assert sizes == {(595, 842)}  # A4 (the problems' pages landscape), not Letter
    assert round(float(pages[0].mediabox.width)) == 595  # the headline portrait
    texts = [" ".join(p.extract_text().split()) for p in pages]
    conclusion = next(i for i, text in enumerate(texts) if "KẾT LUẬN" in text)
    for phrase in ("02 bản", "ĐẠI DIỆN BÊN NHẬN", "Trần Thị Bình"):
        assert phrase in texts[conclusion], phrase
    assert _rendered(pdf, tmp_path) == len(pages)


def test_the_issuing_unit_starts_a_line_at_its_kind_never_inside_its_name(handover_run, tmp_path):
    from khaudit.report.locality import minutes_html
    from khaudit.report.minutes import build_minutes, issuer_lines

    assert issuer_lines("Ủy ban nhân dân xã Diên Lạc") == ["ỦY BAN NHÂN DÂN", "XÃ DIÊN LẠC"]
    assert issuer_lines("UBND thị xã Ninh Hòa") == ["UBND", "THỊ XÃ NINH HÒA"]
    assert issuer_lines("Công ty Cổ phần Số hóa") == ["CÔNG TY CỔ PHẦN SỐ HÓA"]
    assert issuer_lines("Xã Diên Lạc") == ["XÃ DIÊN LẠC"]
    pdf = write_minutes_pdf(handover_run, "Xã Diên Lạc", tmp_path / "bien-ban.pdf")
    import pypdf

    lines = [line.strip() for line in pypdf.PdfReader(pdf).pages[0].extract_text().splitlines()]
    assert "ỦY BAN NHÂN DÂN" in lines and "XÃ DIÊN LẠC" in lines
    page = minutes_html(build_minutes(handover_run, "Xã Diên Lạc"))
    assert "ỦY BAN NHÂN DÂN<br/>XÃ DIÊN LẠC" in page


def test_an_empty_files_format_is_said_in_words(demo_run, tmp_path):
    from khaudit.report.locality import LocalityReport

    empty = demo_run.files[demo_run.files["format"] == "empty"]
    assert len(empty)
    name = empty["locality"].iloc[0]
    page = LocalityReport(demo_run.path, name, "vi").problems()
    assert "Tệp rỗng" in page and not re.search(r">\s*empty\s*<", page)
    book = openpyxl.load_workbook(write_locality_workbook(demo_run, name, tmp_path / "r.xlsx"))
    cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert "empty" not in cells


def test_problem_sheets_have_names_that_say_what_they_hold(handover_run, tmp_path):
    names = {
        lang: openpyxl.load_workbook(
            write_locality_workbook(handover_run, "Xã Diên Lạc", tmp_path / f"{lang}.xlsx", lang)
        ).sheetnames
        for lang in ("vi", "en")
    }
    assert "Too few or too many pages" in names["en"] and "Scans of no record" in names["en"]
    assert "Hồ sơ thiếu hoặc thừa trang" in names["vi"]
    for name in names["en"] + names["vi"]:
        assert len(name) <= 31 and not name.endswith((" no", " too few", " hoặc thừa")), name


def test_a_usual_localitys_minutes_sign_on_their_first_page(demo_run, tmp_path):
    """The demo's localities (16 figures, two parties): the record, its conclusion and both
    signatures on one page, the technical annex on a second; looked at through pdftoppm."""
    for locality in ("Xã Cam Lâm", "Xã Diên Lạc"):
        pdf = write_minutes_pdf(demo_run, locality, tmp_path / f"{locality}.pdf")
        pages = _pdf_text(pdf)
        assert len(pages) == 2, locality
        for phrase in ("BIÊN BẢN", "KẾT LUẬN", "02 bản", "ĐẠI DIỆN BÊN GIAO", "ĐẠI DIỆN BÊN NHẬN"):
            assert phrase in pages[0], (locality, phrase)
        assert "PHỤ LỤC" in pages[1]
        shown = tmp_path / locality
        shown.mkdir()
        assert _rendered(pdf, shown) == 2
