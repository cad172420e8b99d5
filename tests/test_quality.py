"""The digitization standard: settings, each file's shortfalls, records, and the reports."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pikepdf
import pytest
from PIL import Image

from khaudit.audit import audit
from khaudit.errors import ProjectError
from khaudit.project import load_project
from khaudit.quality import QualitySettings, combine, explain, file_quality, shortfalls
from khaudit.report import figures as F
from khaudit.report.locality import LocalityReport
from khaudit.report.render import render_locality
from khaudit.run import load_run


def test_defaults_and_validation():
    assert QualitySettings() == QualitySettings(min_dpi=200, require_pdfa=False, color_mode=None)
    assert QualitySettings.from_mapping({"color_mode": "Màu"}).color_mode == "color"
    assert QualitySettings.from_mapping({"color_mode": "grey"}).color_mode == "gray"
    for raw, key in (
        ({"min_dpi": 0}, "min_dpi"),
        ({"min_dpi": "300"}, "min_dpi"),
        ({"require_pdfa": "yes"}, "require_pdfa"),
        ({"color_mode": "sepia"}, "color_mode"),
        ({"min_dpl": 300}, "min_dpl"),
    ):
        with pytest.raises(ProjectError, match=f"quality.{key}"):
            QualitySettings.from_mapping(raw, source="p.toml: ")


def test_shortfalls_in_a_fixed_order():
    strict = QualitySettings(min_dpi=300, require_pdfa=True, color_mode="gray")
    assert shortfalls("pdf", 300, "L", "1B", strict) == ""
    assert shortfalls("pdf", 299, "1", "", strict) == "dpi<300;not_pdfa;not_gray"
    assert shortfalls("tiff", None, "RGB", "", QualitySettings()) == "dpi_unknown"
    assert shortfalls("jpeg", 150, "RGB", "", QualitySettings(color_mode="color")) == "dpi<200"
    assert shortfalls("jpeg", 250, "L", "", QualitySettings(color_mode="color")) == "not_color"
    assert shortfalls("docx", None, "", "", strict) == ""  # not a scan: nothing to judge
    assert combine(["not_pdfa", "dpi<200;not_pdfa", "", None]) == "dpi<200;not_pdfa"
    assert explain("dpi<200;not_pdfa", "en") == "resolution below 200 dpi; not PDF/A"
    frame = pd.DataFrame(
        {
            "format": ["pdf", "png"],
            "dpi": pd.array([180, pd.NA], "Int64"),
            "color_mode": ["L", "RGB"],
            "pdfa": ["", ""],
        }
    )
    assert list(file_quality(frame, QualitySettings())) == ["dpi<200", "dpi_unknown"]


def test_project_file_quality_table(tmp_path: Path):
    (tmp_path / "scans").mkdir()
    (tmp_path / "inv.csv").write_text("STT;Mã hồ sơ;Tiêu đề hồ sơ\n1;A.1;Hồ sơ\n", encoding="utf-8")
    head = (
        'title = "T"\nprovince = "P"\n[[locality]]\nname = "X"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n'
    )
    (tmp_path / "p.toml").write_text(head, encoding="utf-8")
    assert load_project(tmp_path / "p.toml").quality == QualitySettings()
    (tmp_path / "p.toml").write_text(
        head + '[quality]\nmin_dpi = 300\nrequire_pdfa = true\ncolor_mode = "gray"\n',
        encoding="utf-8",
    )
    assert load_project(tmp_path / "p.toml").quality == QualitySettings(300, True, "gray")
    (tmp_path / "p.toml").write_text(head + "[quality]\nrequire_pdfa = 1\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="p.toml.*quality.require_pdfa"):
        load_project(tmp_path / "p.toml")


def _pdf(dpi: int, pages: int, mode: str = "L", pdfa: str = "") -> bytes:
    images = [Image.new(mode, (dpi, int(dpi * 1.4)), 255) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    if not pdfa:
        return out.getvalue()
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"], meta["pdfaid:conformance"] = pdfa[0], pdfa[1]
        final = io.BytesIO()
        pdf.save(final, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return final.getvalue()


@pytest.fixture(scope="module")
def quality_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("quality")
    scans = base / "scans"
    scans.mkdir()
    rows = [
        "STT;Mã hồ sơ;Tiêu đề hồ sơ;Năm;Số tờ",
        "1;A.1;Hồ sơ đăng ký kết hôn;2019;2",
        "2;A.2;Hồ sơ cấp giấy phép xây dựng;2019;3",
        "3;A.3;Bản đồ địa chính xã;2019;1",
    ]
    (base / "inv.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (scans / "A.1.pdf").write_bytes(_pdf(300, 2, pdfa="1B"))
    (scans / "A.2.pdf").write_bytes(_pdf(150, 3))
    Image.new("1", (20000, 10000), 1).save(scans / "A.3.tif", compression="group4", dpi=(400, 400))
    (base / "project.toml").write_text(
        'title = "T"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Cam Lâm"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n'
        "[quality]\nmin_dpi = 200\nrequire_pdfa = true\n",
        encoding="utf-8",
    )
    out = base / "run"
    audit(base / "project.toml", out)
    render_locality(out, "Xã Cam Lâm")
    return out


def test_run_tables_carry_quality(quality_run: Path):
    files = pd.read_csv(quality_run / "files.csv", dtype=str, keep_default_na=False)
    by_path = files.set_index("path")
    assert by_path.loc["A.1.pdf", ["pdfa", "dpi", "color_mode", "quality"]].tolist() == [
        "1B",
        "300",
        "L",
        "",
    ]
    assert by_path.loc["A.2.pdf", ["pdfa", "dpi", "quality"]].tolist() == [
        "",
        "150",
        "dpi<200;not_pdfa",
    ]
    assert by_path.loc["A.3.tif", ["integrity", "dpi", "quality"]].tolist() == [
        "ok",
        "400",
        "not_pdfa",
    ]
    records = pd.read_csv(quality_run / "records.csv", dtype=str, keep_default_na=False)
    assert dict(zip(records["record_code"], records["quality"])) == {
        "A.1": "",
        "A.2": "dpi<200;not_pdfa",
        "A.3": "not_pdfa",
    }
    assert load_run(quality_run).meta["parameters"]["quality"]["require_pdfa"] is True


def test_quality_figures_and_report(quality_run: Path):
    run = load_run(quality_run)
    _, files = F.locality_tables(run, "Xã Cam Lâm")
    q = F.quality_figures(files)
    assert (q.files, q.files_ok, q.pages, q.pages_ok) == (3, 1, 6, 2)
    table = F.quality_table(files, "vi")
    assert list(table["path"]) == ["A.2.pdf", "A.3.tif"]
    assert table["quality"].iloc[0] == "độ phân giải dưới 200 dpi; không phải PDF/A"
    section = LocalityReport(run, "Xã Cam Lâm").quality()
    assert "Chất lượng số hóa" in section and "33,3%" in section  # Vietnamese decimal comma
    page = (quality_run / "xa-cam-lam" / "report.html").read_text(encoding="utf-8")
    assert "Chất lượng số hóa" in page and "không phải PDF/A" in page
    book = openpyxl.load_workbook(quality_run / "xa-cam-lam" / "report.xlsx")
    sheet = book["Chất lượng số hóa"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "A.2.pdf" in values and 2 in values and 6 in values
    share = next(c for row in sheet.iter_rows() for c in row if c.value == pytest.approx(1 / 3))
    assert "%" in share.number_format  # a share stored as a number, shown as a percentage
    english = LocalityReport(run, "Xã Cam Lâm", lang="en").quality()
    assert "Digitization quality" in english and "not PDF/A" in english


def test_province_roll_up_has_the_share(quality_run: Path):
    from khaudit.report.province import ProvinceReport

    report = ProvinceReport(load_run(quality_run), units=[])  # its localities only
    assert report.table()["Tỷ lệ trang đạt chuẩn"].tolist() == [pytest.approx(1 / 3)]
    assert "33,3%" in report.ranking()
