"""OCR of image-only first pages (scan/ocr.py): Vietnamese read back with its marks, pages
turned the way their file or their letters say, each file within its time.

Tests that need Tesseract with its Vietnamese model are skipped on a machine without it;
the others run everywhere."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from scanned_pages import has_vietnamese_tesseract, page_image, saved

from khaudit.scan import ocr

HEADING = "KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN NĂM 2019"
CODE = "H56.22.01.2019.0007"


needs_tesseract = pytest.mark.skipif(
    not has_vietnamese_tesseract(), reason="needs tesseract with its Vietnamese model"
)


def test_tidy_keeps_ocr_text_as_khaudit_keeps_text():
    decomposed = unicodedata.normalize("NFD", "Hồ sơ   cấp\nGCN")
    assert ocr.tidy(decomposed) == "Hồ sơ cấp GCN"
    assert unicodedata.is_normalized("NFC", ocr.tidy(decomposed))
    assert ocr.tidy("ÐĂNG KÝ ðất") == "ĐĂNG KÝ đất"  # the eth Tesseract writes for Đ
    assert len(ocr.tidy("chữ " * 2000)) == ocr.MAX_CHARS


@pytest.mark.parametrize("fmt", ["tiff", "jpeg"])
def test_an_image_is_drawn_upright_as_its_orientation_tag_says(tmp_path: Path, fmt: str):
    upright = Image.new("L", (300, 500), 255)
    lying = upright.rotate(90, expand=True)  # 500 wide, 300 high as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view"
    path = tmp_path / f"page.{fmt}"
    path.write_bytes(saved(lying, fmt, 150, exif=exif))
    png = ocr.first_page_png(path, fmt)
    assert png is not None
    with Image.open(io.BytesIO(png)) as drawn:
        assert drawn.size == (300, 500)
        assert round(drawn.info["dpi"][0]) == 150


def test_a_pdf_page_is_drawn_at_the_ocr_resolution(tmp_path: Path):
    path = tmp_path / "page.pdf"
    path.write_bytes(saved(Image.new("L", (413, 585), 255), "pdf", 50))
    png = ocr.first_page_png(path, "pdf")
    assert png is not None
    with Image.open(io.BytesIO(png)) as drawn:
        assert round(drawn.info["dpi"][0]) == ocr.OCR_DPI
        assert abs(drawn.size[0] - 413 / 50 * ocr.OCR_DPI) <= 2


def test_a_file_that_cannot_be_drawn_has_no_text(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    assert ocr.first_page_png(path, "pdf") is None
    assert ocr.recognise(path, "pdf") == ""


@needs_tesseract
def test_engine_names_tesseract_its_version_and_vietnamese():
    ocr.engine.cache_clear()
    name = ocr.engine()
    assert name is not None
    tool, version, lang = name.split(" ")
    assert (tool, lang) == ("tesseract", "vie")
    assert version[0].isdigit()


@needs_tesseract
@pytest.mark.parametrize(("fmt", "dpi"), [("pdf", 200), ("tiff", 300), ("jpeg", 200)])
def test_tesseract_reads_a_vietnamese_heading_with_its_marks(tmp_path: Path, fmt: str, dpi: int):
    path = tmp_path / f"scan.{fmt}"
    path.write_bytes(saved(page_image(HEADING, CODE, dpi), fmt, dpi))
    text = ocr.recognise(path, fmt)
    assert HEADING in text
    assert CODE in text
    assert "ỦY BAN NHÂN DÂN XÃ DIÊN LẠC" in text
    assert unicodedata.is_normalized("NFC", text)


@needs_tesseract
@pytest.mark.parametrize("angle", [90, 180])
def test_a_page_scanned_sideways_or_upside_down_is_read(tmp_path: Path, angle: int):
    path = tmp_path / "scan.pdf"
    path.write_bytes(saved(page_image(HEADING, CODE).rotate(angle, expand=True), "pdf"))
    text = ocr.recognise(path, "pdf")
    assert HEADING in text
    assert CODE in text


@needs_tesseract
def test_a_file_is_read_within_its_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "scan.pdf"
    path.write_bytes(saved(page_image(HEADING, CODE), "pdf"))
    monkeypatch.setattr(ocr, "TIMEOUT", 0.05)
    assert ocr.recognise(path, "pdf") == ""
