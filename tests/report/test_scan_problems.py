"""What the scan could not enter, or a bag could not hold as named (scan_problems.csv), is
counted and listed in the locality's report and workbook, in the report's language."""

from __future__ import annotations

import html
import os
import random
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.i18n import t
from khaudit.report import figures as F
from khaudit.report.locality import LocalityReport
from khaudit.report.xlsx import write_locality_workbook
from khaudit.run import Run

LOCALITY = "Xã Cam Lâm"


@pytest.fixture(scope="module")
def problem_run(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("scan-problems")
    scans = base / "scans"
    scans.mkdir()
    rng = random.Random(5)
    (scans / "A.1.pdf").write_bytes(sf.pdf_bytes("A.1", 2, rng))
    (scans / "a.1.PDF").write_bytes(sf.pdf_bytes("A.1 bis", 2, rng))  # one file on Windows
    outside = base / "elsewhere"
    outside.mkdir()
    os.symlink(outside, scans / "lien-ket")  # a link to a folder: never followed
    (base / "inv.csv").write_text(
        "STT;Mã hồ sơ;Tiêu đề hồ sơ;Năm;Số tờ\n1;A.1;Hồ sơ đăng ký khai sinh;2019;2\n",
        encoding="utf-8",
    )
    (base / "project.toml").write_text(
        f'title = "T"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "{LOCALITY}"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return audit(base / "project.toml", base / "run", lang="en")


def test_the_page_counts_and_lists_the_scan_problems_in_its_language(problem_run):
    table = F.scan_problem_table(problem_run, LOCALITY)
    assert len(table) == 2 and {"lien-ket", "a.1.PDF"} <= set(table["path"])
    page = LocalityReport(problem_run, LOCALITY, "vi").problems()
    assert f"{html.escape(t('report.scan_problems', 'vi'))} (2)" in page
    assert "lien-ket" in page and "a.1.PDF" in page
    assert html.escape(t("walk.folder_link", "vi")) in page  # the audit wrote it in English
    assert html.escape(t("walk.folder_link", "en")) not in page
    english = LocalityReport(problem_run, LOCALITY, "en").problems()
    assert html.escape(t("walk.folder_link", "en")) in english


def test_the_workbook_has_a_sheet_of_scan_problems(problem_run, tmp_path: Path):
    target = write_locality_workbook(problem_run, LOCALITY, tmp_path / "report.xlsx", "vi")
    ws = openpyxl.load_workbook(target)[t("sheet.scan_problems", "vi")]
    assert ws["A1"].value == t("report.scan_problems_count", "vi", n=2)
    header = [c.value for c in ws[3]]
    assert header == [t(f"col.{c}", "vi") for c in ("scan_root", "path", "problem")]
    paths = {ws.cell(row, 2).value for row in (4, 5)}
    assert paths == {"lien-ket", "a.1.PDF"}
    assert ws.cell(6, 2).value is None


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium is not installed")
def test_problem_tables_print_on_landscape_pages_the_rest_on_portrait(problem_run, tmp_path):
    """A record's row has a dozen columns: printed on a portrait page its title and note
    wrap a word a line (four rows a page). The problems print on landscape A4."""
    import pypdf

    page = tmp_path / "report.html"
    page.write_text("".join(LocalityReport(problem_run, LOCALITY, "vi").sections()), "utf-8")
    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
        + [f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sizes = []
    for p in pypdf.PdfReader(pdf).pages:
        wide = float(p.mediabox.width) > float(p.mediabox.height)
        sizes.append((wide, t("report.problems", "vi") in " ".join(p.extract_text().split())))
    assert sizes[0] == (False, False)  # the headline on portrait A4
    assert (True, True) in sizes  # the problems on landscape A4
    assert sizes[-1][0] is False  # the minutes' annex on portrait again
