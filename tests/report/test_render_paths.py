"""The faster ways of rendering print what the plain ways printed: minutes set in the cut-down
DejaVu faces (and in the full ones when a name needs a letter those lack), workbook columns of
numbers stored as each cell would be, the render's jobs all queued at once; and the words a
reader sees for a forecast against the deadline and the province's wide table."""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from khaudit.report import minutes_fonts as MF
from khaudit.report.minutes_pdf import write_minutes_pdf
from khaudit.report.present import (
    COLUMN_AT_ONCE,
    against_deadline,
    for_people,
    shown,
    shown_column,
    stored,
    stored_column,
)


def _pdf_text(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


@pytest.fixture
def fresh_fonts(monkeypatch):
    """A process state in which no minutes were written yet."""
    monkeypatch.setattr(MF._Process, "documents", 0)
    monkeypatch.setattr(MF._Process, "faces", None)


def test_cut_faces_keep_every_vietnamese_letter_and_are_smaller(fresh_fonts):
    from fontTools.ttLib import TTFont

    faces = MF.cut_faces()
    vietnamese = "ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    for style, path in faces.items():
        cmap = TTFont(str(path)).getBestCmap()
        assert all(ord(c) in cmap for c in vietnamese + vietnamese.upper() + "₫№–—…“”−")
        assert path.stat().st_size < MF.FULL_FACES[style].stat().st_size / 2
    assert MF.cut_faces() is faces  # once per process


def test_minutes_in_cut_faces_print_and_read_as_in_full_faces(demo_run, tmp_path, fresh_fonts):
    first, second = tmp_path / "full", tmp_path / "cut"
    first.mkdir(), second.mkdir()
    write_minutes_pdf(demo_run, "Xã Cam Lâm", first / "bien-ban.pdf")
    assert MF._Process.faces is None  # a single document is set in the full faces
    write_minutes_pdf(demo_run, "Xã Cam Lâm", second / "bien-ban.pdf")
    assert MF._Process.faces is not None
    full, cut = first / "bien-ban.pdf", second / "bien-ban.pdf"
    assert _pdf_text(full) == _pdf_text(cut)
    assert "BIÊN BẢN" in _pdf_text(cut) and "Độc lập - Tự do - Hạnh phúc" in _pdf_text(cut)
    if shutil.which("pdftoppm"):  # the same pixels, page by page
        for pdf in (full, cut):
            subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(pdf.parent / "p")])
        pages = sorted(p.name for p in first.glob("p*.png"))
        assert pages and pages == sorted(p.name for p in second.glob("p*.png"))
        for name in pages:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_letter_the_cut_faces_lack_is_set_in_the_full_faces(demo_run, tmp_path, fresh_fonts):
    meta = {**demo_run.meta}
    meta["handover"] = {
        **(meta.get("handover") or {}),
        "giver": {"unit": "Công ty Số hóa", "name": "Иван Петров", "position": "Giám đốc"},
    }
    run = dataclasses.replace(demo_run, meta=meta)
    MF._Process.documents = 1  # as in a worker that has written minutes before
    pdf = write_minutes_pdf(run, "Xã Cam Lâm", tmp_path / "bien-ban.pdf")
    assert MF._Process.faces is not None  # the cut faces were tried first
    assert "Иван Петров" in _pdf_text(pdf)


def test_numeric_columns_are_stored_as_each_of_their_cells_would_be():
    n = COLUMN_AT_ONCE + 7
    columns = {
        "Int64": pd.array([1, None, 3, 2019, 0, -4, 12345678901] * n, dtype="Int64")[:n],
        "int64": np.arange(n, dtype="int64") - 50,
        "float": [0.5, math.nan, 2.0, -3.25, math.inf, 1e15, 0.0] * n,
        "float32": np.linspace(0, 3, n, dtype="float32"),
    }
    for name, values in columns.items():
        series = pd.Series(values[:n])
        for kind in ("count", "percent", "plain", "decimal", "days"):
            expected = [stored(v, kind) for v in series.tolist()]
            got = stored_column(series, kind)
            assert [(type(v), v) for v in got] == [(type(v), v) for v in expected], (name, kind)


def test_days_against_the_deadline_read_as_words():
    assert against_deadline(0, "vi") == "đúng hạn"
    assert against_deadline(12, "vi") == "sớm 12 ngày"
    assert against_deadline(-3.0, "vi") == "trễ 3 ngày"
    assert against_deadline("1234", "vi") == "sớm 1.234 ngày"
    assert (
        against_deadline(1, "en") == "1 day early" and against_deadline(-2, "en") == "2 days late"
    )
    assert against_deadline(0, "en") == "on the deadline"
    assert against_deadline(None, "vi") == "" and against_deadline("", "vi") == ""
    frame = pd.DataFrame({"days_vs_deadline": [0, 5, -1, None]})
    assert for_people(frame, "vi")["days_vs_deadline"].tolist() == [
        "đúng hạn",
        "sớm 5 ngày",
        "trễ 1 ngày",
        "",
    ]


def test_locality_page_and_workbook_say_the_forecast_against_the_deadline_in_words(
    demo_run, tmp_path
):
    from khaudit.report.locality import LocalityReport
    from khaudit.report.xlsx import write_locality_workbook

    name = "Xã Cam Lâm"
    forecast = demo_run.table("forecast").copy()
    mine = forecast["locality"] == name
    forecast.loc[mine, ["forecast", "days_vs_deadline"]] = ["2026-12-31", "0"]
    run = dataclasses.replace(demo_run, _tables={**demo_run._tables, "forecast": forecast})
    trend = LocalityReport(run, name).trend()
    assert "So với hạn chót" in trend and "đúng hạn" in trend and "+0" not in trend
    book = openpyxl.load_workbook(write_locality_workbook(run, name, tmp_path / "r.xlsx"))
    cells = [
        row[1]
        for ws in book.worksheets
        for row in ws.iter_rows(max_col=2)
        if row[0].value == "So với hạn chót"
    ]
    assert cells and all(c.value == 0 for c in cells)  # a number, worded by its format
    assert all('"đúng hạn"' in c.number_format and "trễ" in c.number_format for c in cells)


def test_province_table_scrolls_on_screen_and_the_page_prints_landscape(demo_run):
    from khaudit.report.province import ProvinceReport

    sections = ProvinceReport(demo_run, units=[]).sections()
    page = "".join(sections)
    assert re.search(r"<div class='kh-wide'><table class='kh-table'>", page)
    assert re.search(r"\.kh-wide\s*\{[^}]*overflow-x:\s*auto", page)
    rules = re.findall(r"@page\s*\{([^}]*)\}", page)
    assert rules and "landscape" in rules[-1]  # the last page rule is the one that applies


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="Chromium is not installed",
)
def test_chromium_prints_the_province_page_on_landscape_a4(own_run, tmp_path):
    import pypdf

    from khaudit.report.render import render_province

    page = render_province(own_run)
    pdf = tmp_path / "province.pdf"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    subprocess.run(
        [
            str(browser),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = pypdf.PdfReader(pdf).pages
    assert all(round(float(p.mediabox.width)) == 842 for p in pages)  # A4 landscape
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Tổng cộng" in text


class _Queue:
    """A pool that notes how many jobs were queued when a first result was asked for."""

    submitted: list[object] = []
    asked_after: list[int] = []

    def __init__(self, *args: object, **kwargs: object):
        pass

    def __enter__(self) -> _Queue:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, func, job):
        _Queue.submitted.append(job)
        queue = self

        class Done:
            def result(self):
                _Queue.asked_after.append(len(_Queue.submitted))
                return str(Path(job[0]) / f"{len(queue.asked_after)}.html")

        return Done()


def test_every_render_job_is_queued_before_the_first_is_waited_for(demo_run, monkeypatch):
    from khaudit.report import render

    monkeypatch.setattr(render, "Pool", _Queue)
    _Queue.submitted, _Queue.asked_after = [], []
    localities = [loc["name"] for loc in demo_run.meta["localities"]]
    paths = render.render_reports(demo_run.path, workers=2)
    jobs = len(localities) + 1  # the province's too
    assert len(paths) == jobs and _Queue.asked_after[0] == jobs
    assert _Queue.submitted[0][1] == render.PROVINCE  # the longest job starts first


def test_a_column_is_shown_as_each_of_its_cells_would_be():
    values = [None, math.nan, pd.NA, "", " ", "nan", "<NA>", "302", " 302 ", "0.923", 0.923]
    values += [5, 5.0, np.int64(7), True, "abc", "Xã Diên Lạc", 12345678901, "-3", " x "]
    for kind in ("text", "count", "percent", "plain", "decimal", "days", "date", "bool"):
        for lang in ("vi", "en"):
            assert shown_column(values, kind, lang) == [shown(v, kind, lang) for v in values]
