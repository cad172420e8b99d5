"""First-page text of searchable PDFs made by other writers than the project's generators:
LibreOffice from a .odt and a .docx, Tesseract's own PDF (an invisible text layer over the
page image, as ocrmypdf writes), matplotlib's Type 3 and Type 42 (CID) fonts, and documents
typed in a legacy Vietnamese font (TCVN3, VNI), whose layer holds the font's one-byte codes.
Each must read as the Vietnamese on the page. Tests that need LibreOffice or Tesseract are
skipped on a machine without them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from scanned_pages import has_vietnamese_tesseract, page_image, saved

from khaudit.inventory.encodings import encode_tcvn3, encode_vni
from khaudit.match.content import readable
from khaudit.scan.inspect import inspect_file

LINES = [
    "ỦY BAN NHÂN DÂN XÃ DIÊN LẠC",
    "HỒ SƠ",
    "KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN NĂM 2019",
    "Mã hồ sơ: H56.22.01.2019.0007",
    "Người lập: Nguyễn Thị Hường, Đặng Văn Tám",
]
EXPECTED = " ".join(LINES)


def page_text(path: Path) -> str:
    """The first page's text as a scan keeps it, read as content evidence reads it."""
    facts = inspect_file(str(path))
    assert facts.integrity == "ok", facts.integrity_note
    return readable(facts.first_page_text)


def flat_odt(path: Path) -> None:
    paragraphs = "".join(
        f'<text:h text:outline-level="1">{line}</text:h>' if i < 3 else f"<text:p>{line}</text:p>"
        for i, line in enumerate(LINES)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:body><office:text>{paragraphs}</office:text></office:body></office:document>",
        encoding="utf-8",
    )


def soffice(tmp: Path, target: str, source: Path, outdir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe is not None
    profile = f"-env:UserInstallation=file://{tmp / 'profile'}"
    subprocess.run(
        [exe, "--headless", profile, "--convert-to", target, "--outdir", str(outdir), str(source)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    made = outdir / (source.stem + "." + target.split(":")[0])
    if not made.exists():
        pytest.skip("LibreOffice cannot convert text documents here (no Writer)")
    return made


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="needs LibreOffice"
)
@pytest.mark.parametrize("kind", ["odt", "docx"])
def test_libreoffice_pdf_of_a_document_reads_as_its_vietnamese(tmp_path: Path, kind: str):
    flat_odt(tmp_path / "cover.fodt")
    target = "odt" if kind == "odt" else "docx:MS Word 2007 XML"
    document = soffice(tmp_path, target, tmp_path / "cover.fodt", tmp_path / "doc")
    pdf = soffice(tmp_path, "pdf", document, tmp_path / "pdf")
    assert page_text(pdf) == EXPECTED


@pytest.mark.skipif(not has_vietnamese_tesseract(), reason="needs tesseract with Vietnamese")
def test_tesseract_pdf_with_its_invisible_text_layer(tmp_path: Path):
    image = tmp_path / "page.tiff"
    image.write_bytes(saved(page_image(LINES[2], "H56.22.01.2019.0007", 300), "tiff", 300))
    subprocess.run(
        ["tesseract", str(image), str(tmp_path / "ocr"), "-l", "vie", "pdf"],
        capture_output=True,
        timeout=300,
        check=True,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    text = page_text(tmp_path / "ocr.pdf")
    assert LINES[2] in text
    assert "Mã hồ sơ: H56.22.01.2019.0007" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


@pytest.mark.parametrize("fonttype", [3, 42])
def test_matplotlib_type3_and_cid_fonts(tmp_path: Path, fonttype: int):
    import matplotlib

    matplotlib.use("pdf")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"pdf.fonttype": fonttype}):
        figure = plt.figure(figsize=(8.27, 11.69))
        for i, line in enumerate(LINES):
            figure.text(0.1, 0.9 - i * 0.04, line, fontsize=12)
        figure.savefig(tmp_path / "cover.pdf")
        plt.close(figure)
    assert page_text(tmp_path / "cover.pdf") == EXPECTED


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni], ids=["tcvn3", "vni"])
def test_a_document_typed_in_a_legacy_font_reads_as_vietnamese(tmp_path: Path, encode):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "cover.pdf"), pagesize=A4)
    pdf.setFont("Times-Roman", 12)  # the font's codes, as a .VnTime or VNI-Times PDF keeps
    for i, line in enumerate(LINES[1:]):
        pdf.drawString(60, 780 - 20 * i, encode(line.lower() if i < 2 else line))
    pdf.showPage()
    pdf.save()
    expected = " ".join([LINES[1].lower(), LINES[2].lower(), *LINES[3:]])
    assert page_text(tmp_path / "cover.pdf") == expected
