"""Real PDFs of a chosen size and page count, fast, for the scan and handover benchmarks.

Each page draws one raw greyscale image of random bytes, so the file is a valid PDF (classic
cross-reference table, as scanners write) that renders as noise, is incompressible, and has
exactly the size and pages asked for, within a few hundred bytes.
"""

from __future__ import annotations

import random


def make_pdf(pages: int, size: int, rng: random.Random) -> bytes:
    per_page = max(64, (size - 600 - 300 * pages) // pages)
    side = max(8, int(per_page**0.5))
    image_bytes = side * side
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in below)
    kids = []
    for _ in range(pages):
        image = len(objects) + 1
        content = len(objects) + 2
        page = len(objects) + 3
        data = rng.randbytes(image_bytes)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
            b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
            % (side, side, image_bytes)
            + data
            + b"\nendstream"
        )
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (image, content)
        )
        kids.append(b"%d 0 R" % page)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# -- PDFs as scanning stations and other tools write them ------------------------------------
# Each kind comes with the figures its writer put in (pages, dpi, colour, PDF/A claim), so a
# benchmark can check what khaudit reads. Writers: Pillow, img2pdf, pikepdf (qpdf), pypdf,
# fpdf2; the classic kind above is this module's own.


def _image(mode: str, dpi: int, rng: random.Random, inches: tuple[float, float] = (2.0, 2.8)):
    from PIL import Image

    size = (int(dpi * inches[0]), int(dpi * inches[1]))
    colour = (
        rng.randrange(256) if mode in ("1", "L") else tuple(rng.randrange(256) for _ in range(3))
    )
    return Image.new(mode, size, colour)


def _pillow(mode: str, dpi: int, pages: int, rng: random.Random) -> bytes:
    import io

    images = [_image(mode, dpi, rng) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def _img2pdf(kind: str, dpi: int, pages: int, rng: random.Random) -> bytes:
    import io

    import img2pdf

    frames = []
    for _ in range(pages):
        buffer = io.BytesIO()
        if kind == "jpeg":
            _image("RGB", dpi, rng).save(buffer, "JPEG", quality=70, dpi=(dpi, dpi))
        else:
            _image("1", dpi, rng).save(buffer, "TIFF", compression="group4", dpi=(dpi, dpi))
        frames.append(buffer.getvalue())
    return img2pdf.convert(frames)


def _resaved(data: bytes, pdfa: str = "", **options) -> bytes:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdfa:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["pdfaid:part"], meta["pdfaid:conformance"] = pdfa[0], pdfa[1]
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()


def _classic_update(data: bytes) -> bytes:
    """An incremental update with a classic table, as a signing or annotating tool appends:
    the catalogue is rewritten with a /Lang entry, the new section points back by /Prev."""
    import re as _re

    root = int(_re.search(rb"/Root\s+(\d+)", data[data.rindex(b"trailer") :]).group(1))
    size = int(_re.search(rb"/Size\s+(\d+)", data[data.rindex(b"trailer") :]).group(1))
    pages = _re.search(rb"%d 0 obj\s*<<.*?/Pages\s+(\d+\s+\d+\s+R)" % root, data, _re.S).group(1)
    prev = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    at = len(data)
    body = b"%d 0 obj\n<< /Type /Catalog /Pages %s /Lang (vi-VN) >>\nendobj\n" % (root, pages)
    xref = at + len(body)
    return (
        data
        + body
        + b"xref\n%d 1\n%010d 00000 n \n" % (root, at)
        + b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (size, root, prev, xref)
    )


def _pypdf_update(data: bytes) -> bytes:
    import io

    import pypdf

    writer = pypdf.PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_metadata({"/Subject": "Hồ sơ"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fpdf2(dpi: int, pages: int, rng: random.Random) -> bytes:
    import fpdf

    pdf = fpdf.FPDF(unit="in", format=(8.27, 11.69))
    for _ in range(pages):
        pdf.add_page()
        pdf.image(_image("L", dpi, rng), x=0.5, y=0.5, w=2.0)  # 2 inches wide, as generated
    return bytes(pdf.output())


def _searchable(dpi: int, pages: int, rng: random.Random) -> bytes:
    """fpdf2 pages as OCR software leaves them: the page image, invisible text over it."""
    from pathlib import Path

    import fpdf
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = fpdf.FPDF(unit="in", format=(8.27, 11.69))
    pdf.add_font("DejaVu", "", str(font))
    for number in range(pages):
        pdf.add_page()
        pdf.image(_image("L", dpi, rng), x=0.5, y=0.5, w=2.0)
        pdf.text_mode = fpdf.enums.TextMode.INVISIBLE
        pdf.set_font("DejaVu", size=11)
        pdf.set_xy(0.6, 0.6)
        pdf.cell(
            text=f"UBND xã Diên Lạc - Hồ sơ số {rng.randint(1, 999)}: Đăng ký kết hôn "
            f"- trang {number + 1}"
        )
    return bytes(pdf.output())


def _jbig2(dpi: int, pages: int) -> bytes:
    """Pages of JBIG2-coded bilevel images (the dictionary only: khaudit never decodes, and
    no JBIG2 encoder is on PyPI), at a 2 × 2.8 inch placement."""
    width, height = int(dpi * 2.0), int(dpi * 2.8)
    objects: list[bytes] = [b"", b""]
    kids = []
    for _ in range(pages):
        image, content, page = len(objects) + 1, len(objects) + 2, len(objects) + 3
        data = bytes(64)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
            b"/DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode /Length %d >>\n"
            b"stream\n" % (width, height, len(data)) + data + b"\nendstream"
        )
        draw = b"q 144 0 0 201.6 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 144 201.6] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (image, content)
        )
        kids.append(b"%d 0 R" % page)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _reportlab(dpi: int, pages: int, rng: random.Random) -> bytes:
    """reportlab pages: each image drawn at 2 × 2.8 inches (reportlab wraps an image in a
    form XObject of its own)."""
    import io

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595.28, 841.89))
    for _ in range(pages):
        page.drawImage(ImageReader(_image("RGB", dpi, rng)), 36, 36, width=144, height=201.6)
        page.showPage()
    page.save()
    return out.getvalue()


def _img2pdf_smaller(dpi: int, pages: int, rng: random.Random) -> bytes:
    """img2pdf with a layout that places each 2 × 2.8 inch scan at 1.5 × 2.1 inches on an A4
    page turned a quarter: the effective resolution is 4/3 of the scan's."""
    import io

    import img2pdf

    frames = []
    for _ in range(pages):
        buffer = io.BytesIO()
        _image("L", dpi, rng).save(buffer, "PNG", dpi=(dpi, dpi))
        frames.append(buffer.getvalue())
    size = ((img2pdf.ImgSize.abs, 108.0), (img2pdf.ImgSize.abs, 151.2))
    layout = img2pdf.get_layout_fun(pagesize=(841.89, 595.28), imgsize=size)
    return img2pdf.convert(frames, layout_fun=layout, rotation=img2pdf.Rotation["90"])


def _mixed(dpi: int, pages: int, rng: random.Random) -> bytes:
    """pypdf merging pages scanned at ``dpi`` and at twice it, in any order: the lowest binds."""
    import io

    import pypdf

    low = rng.randrange(pages)
    writer = pypdf.PdfWriter()
    for number in range(pages):
        writer.append(io.BytesIO(_pillow("L", dpi if number == low else dpi * 2, 1, rng)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: kind -> (writer, structure, how it is made from (dpi, pages, rng), colour, PDF/A claim)
KINDS = {
    "Pillow, JPEG colour": (
        "Pillow",
        "classic xref",
        lambda d, p, r: _pillow("RGB", d, p, r),
        "RGB",
        "",
    ),
    "Pillow, CCITT bilevel": (
        "Pillow",
        "classic xref",
        lambda d, p, r: _pillow("1", d, p, r),
        "1",
        "",
    ),
    "img2pdf, JPEG": (
        "img2pdf",
        "classic xref",
        lambda d, p, r: _img2pdf("jpeg", d, p, r),
        "RGB",
        "",
    ),
    "img2pdf, CCITT G4": (
        "img2pdf",
        "classic xref",
        lambda d, p, r: _img2pdf("g4", d, p, r),
        "1",
        "",
    ),
    "pikepdf, object streams": (
        "Pillow + pikepdf",
        "xref stream + object streams",
        lambda d, p, r: _resaved(_pillow("L", d, p, r), object_stream_mode=_objstm()),
        "L",
        "",
    ),
    "pikepdf, linearized": (
        "Pillow + pikepdf",
        "linearized, object streams",
        lambda d, p, r: _resaved(
            _pillow("L", d, p, r), linearize=True, object_stream_mode=_objstm()
        ),
        "L",
        "",
    ),
    "incremental update, classic": (
        "Pillow + appended section",
        "classic xref, /Prev",
        lambda d, p, r: _classic_update(_pillow("L", d, p, r)),
        "L",
        "",
    ),
    "incremental update, pypdf": (
        "img2pdf + pypdf",
        "xref stream update, /Prev",
        lambda d, p, r: _pypdf_update(_img2pdf("jpeg", d, p, r)),
        "RGB",
        "",
    ),
    "PDF/A-1b claim": (
        "Pillow + pikepdf XMP",
        "classic xref",
        lambda d, p, r: _resaved(_pillow("L", d, p, r), pdfa="1B"),
        "L",
        "1B",
    ),
    "PDF/A-2b claim": (
        "img2pdf + pikepdf XMP",
        "object streams",
        lambda d, p, r: _resaved(
            _img2pdf("jpeg", d, p, r), pdfa="2B", object_stream_mode=_objstm()
        ),
        "RGB",
        "2B",
    ),
    "fpdf2, placed image": ("fpdf2", "classic xref", lambda d, p, r: _fpdf2(d, p, r), "L", ""),
    "JBIG2 (dictionary)": ("hand-written", "classic xref", lambda d, p, r: _jbig2(d, p), "1", ""),
    "fpdf2, searchable": (
        "fpdf2",
        "classic xref, OCR text layer",
        lambda d, p, r: _searchable(d, p, r),
        "L",
        "",
    ),
}
#: Writers this generator's other kinds do not use, and placements it does not make.
KINDS.update(
    {
        "reportlab, placed image": (
            "reportlab",
            "classic xref, image in a form",
            lambda d, p, r: _reportlab(d, p, r),
            "RGB",
            "",
        ),
        "img2pdf, smaller, turned": (
            "img2pdf (layout)",
            "classic xref, /Rotate",
            lambda d, p, r: _img2pdf_smaller(d, p, r),
            "L",
            "",
        ),
        "pypdf, mixed dpi": (
            "Pillow + pypdf",
            "classic xref, pages at dpi and 2x",
            lambda d, p, r: _mixed(d, p, r),
            "L",
            "",
        ),
    }
)
#: Kinds whose resolution is the scan's times this (they place it smaller or larger).
DPI_FACTOR = {"img2pdf, smaller, turned": 4 / 3}
#: Kinds whose first page has a text layer.
SEARCHABLE = {"fpdf2, searchable"}


def _objstm():
    import pikepdf

    return pikepdf.ObjectStreamMode.generate


def make_kind(kind: str, dpi: int, pages: int, rng: random.Random) -> bytes:
    """A PDF of ``kind`` (see KINDS) whose every page is an image at ``dpi``."""
    return KINDS[kind][2](dpi, pages, rng)


def make_objstm(pdf: bytes, linearize: bool = False) -> bytes:
    """``pdf`` saved again by qpdf with compressed object streams (and linearized)."""
    return _resaved(pdf, object_stream_mode=_objstm(), linearize=linearize)
