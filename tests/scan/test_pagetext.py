"""The first page's text of searchable PDFs: read once, kept in the catalogue, never asked of
image-only scans."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import fpdf
import matplotlib
import pikepdf
import pytest
from PIL import Image

from khaudit.scan import inspect as inspect_module
from khaudit.scan.catalogue import SCHEMA_VERSION, Catalogue
from khaudit.scan.inspect import inspect_file
from khaudit.scan.pagetext import MAX_CHARS, first_page_text

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
HEADING = "UBND xã Diên Lạc — Hồ sơ A.12: Đăng ký kết hôn năm 2019"


def searchable(lines: list[str], pages: int = 2, invisible: bool = True) -> bytes:
    """A scan with an OCR layer as stations write it: the page image, text drawn over it."""
    pdf = fpdf.FPDF(unit="in", format=(8.27, 11.69))
    pdf.add_font("DejaVu", "", str(FONT))
    for number in range(pages):
        pdf.add_page()
        pdf.image(Image.new("L", (1654, 2339), 235), x=0, y=0, w=8.27)
        if invisible:
            pdf.text_mode = fpdf.enums.TextMode.INVISIBLE
        pdf.set_font("DejaVu", size=11)
        for i, line in enumerate(lines if number == 0 else [f"Trang {number + 1}"]):
            pdf.set_xy(0.8, 0.8 + 0.3 * i)
            pdf.cell(text=line)
    return bytes(pdf.output())


def test_text_layer_of_the_first_page_only(tmp_path: Path):
    path = tmp_path / "a.pdf"
    path.write_bytes(searchable([HEADING, "Mã hồ sơ: 22678.A.12"]))
    facts = inspect_file(str(path))
    assert (facts.integrity, facts.pages, facts.dpi) == ("ok", 2, 200)
    assert facts.first_page_text == HEADING + " Mã hồ sơ: 22678.A.12"
    assert "Trang 2" not in facts.first_page_text
    # the same file saved again by qpdf with object streams, linearized
    with pikepdf.open(path) as pdf:
        pdf.save(
            tmp_path / "b.pdf", linearize=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
    assert inspect_file(str(tmp_path / "b.pdf")).first_page_text.startswith(HEADING)


def test_image_only_scans_are_not_asked(tmp_path: Path, monkeypatch):
    def refuse(source):
        raise AssertionError("an image-only scan was read for text")

    monkeypatch.setattr(inspect_module, "first_page_text", refuse)
    path = tmp_path / "scan.pdf"
    out = io.BytesIO()
    Image.new("L", (400, 560), 200).save(out, "PDF", resolution=200)
    path.write_bytes(out.getvalue())
    assert inspect_file(str(path)).first_page_text == ""


def test_text_is_bounded_and_whitespace_collapsed():
    data = searchable([f"dòng {i}    có   khoảng trắng " * 4 for i in range(30)], pages=1)
    text = first_page_text(data)
    assert len(text) == MAX_CHARS and "  " not in text
    assert first_page_text(b"%PDF-1.4 not really") == ""


def test_catalogue_keeps_texts_and_rescans_cost_nothing(tmp_path: Path):
    root = tmp_path / "scans"
    root.mkdir()
    (root / "A.12.pdf").write_bytes(searchable([HEADING]))
    out = io.BytesIO()
    Image.new("L", (400, 560), 200).save(out, "PDF", resolution=200)
    (root / "A.13.pdf").write_bytes(out.getvalue())
    path = tmp_path / "cat.sqlite"
    with Catalogue(path) as cat:
        cat.scan(root, workers=1)
        texts = cat.first_page_texts([root])
        assert list(texts["path"]) == ["A.12.pdf"] and texts["first_page_text"][0] == HEADING
        assert cat.scan(root, workers=1).read == 0
    with sqlite3.connect(path) as db:  # as version 4 left it: no texts yet
        db.executescript("ALTER TABLE files DROP COLUMN first_page_text; PRAGMA user_version = 4;")
    with Catalogue(path) as cat:
        assert cat.scan(root, workers=1).read == 2
        assert cat.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert list(cat.first_page_texts([root])["first_page_text"]) == [HEADING]


@pytest.mark.parametrize("invisible", [True, False])
def test_visible_and_invisible_layers(tmp_path: Path, invisible: bool):
    path = tmp_path / "v.pdf"
    path.write_bytes(searchable([HEADING], pages=1, invisible=invisible))
    assert inspect_file(str(path)).first_page_text == HEADING
