"""Scan files as different scanning stations write them, a few KB each.

Every file carries a unique tag, so two dossiers' scans are never byte-identical by accident;
only the injected copies are. PDFs come from four writers (a hand-built classic cross-reference
table, pypdf, fpdf2 and Pillow, the last two up to 60 pages), so page counting is not tuned to
one producer; images are Pillow JPEGs and TIFFs (multi-page ones written directly).
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Callable
from pathlib import Path

from PIL import Image

PDF_WRITERS = ("classic", "pypdf", "fpdf2", "pillow")


def _classic_pdf(pages: int, tag: str) -> bytes:
    """A PDF 1.4 with a plain cross-reference table, as older scanner firmware writes."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for i in range(pages):
        content = f"BT /F1 8 Tf 20 20 Td ({tag} p{i + 1}) Tj ET".encode()
        objects.append(
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
        )
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
            f"{len(objects)} 0 R >>".encode()
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>".encode()
    objects.append(f"<< /Producer (ScanStation 3.2) /Title ({tag}) >>".encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _pypdf(pages: int, tag: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": tag, "/Producer": "pypdf"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fpdf2(pages: int, tag: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_title(tag)
    pdf.set_font("helvetica", size=6)
    for i in range(pages):
        pdf.add_page()
        pdf.text(20, 20, f"{tag} {i + 1}")
    return bytes(pdf.output())


def _tiny_image(tag: str, mode: str = "L") -> Image.Image:
    image = Image.new(mode, (40, 4), 255 if mode == "L" else (255, 255, 255))
    # The tag as pixel values: distinct dossiers never give identical files.
    data = tag.encode()[:40]
    for x, byte in enumerate(data):
        image.putpixel((x, 0), byte if mode == "L" else (byte, byte, byte))
    return image


def _pillow_pdf(pages: int, tag: str) -> bytes:
    images = [_tiny_image(f"{tag}/{i}") for i in range(pages)]
    out = io.BytesIO()
    images[0].save(
        out, format="PDF", save_all=True, append_images=images[1:], resolution=200, title=tag
    )
    return out.getvalue()


_PDF: dict[str, Callable[[int, str], bytes]] = {
    "classic": _classic_pdf,
    "pypdf": _pypdf,
    "fpdf2": _fpdf2,
    "pillow": _pillow_pdf,
}


#: A placeholder each writer stores verbatim (pdf /Title, TIFF pixels); a file is made once per
#: writer and page count and the placeholder replaced by the file's own tag of equal length,
#: which keeps every offset valid and generation fast.
_PLACEHOLDER = "PGTAG0123456789abcdef0123456789ab"
_TEMPLATES: dict[tuple[str, int], bytes] = {}


def _unique(tag: str) -> str:
    return "PGTAG" + hashlib.blake2b(tag.encode(), digest_size=14).hexdigest()


def _from_template(kind: str, pages: int, tag: str, make: Callable[[int, str], bytes]) -> bytes:
    key = (kind, pages)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = make(pages, _PLACEHOLDER)
    template = _TEMPLATES[key]
    unique = _unique(tag)
    if kind == "pillow":  # Pillow stores the title as UTF-16BE
        return template.replace(_PLACEHOLDER.encode("utf-16-be"), unique.encode("utf-16-be"))
    return template.replace(_PLACEHOLDER.encode(), unique.encode())


#: fpdf2 and Pillow take about half a millisecond a page; thicker dossiers go to pypdf so a
#: province of thousands of dossiers is written in seconds.
_SLOW_WRITER_MAX_PAGES = 60


def pdf_bytes(writer: str, pages: int, tag: str) -> bytes:
    if writer in ("fpdf2", "pillow") and pages > _SLOW_WRITER_MAX_PAGES:
        writer = "pypdf"
    return _from_template(writer, pages, tag, _PDF[writer])


def _tiff(pages: int, tag: str) -> bytes:
    """A baseline little-endian multi-page TIFF (8-bit grey, uncompressed, 300 dpi), written
    directly: Pillow's multi-page writer re-reads every earlier page for each new one."""
    width, height = 40, 4
    pixels = bytearray(b"\xff" * (width * height))
    raw = tag.encode()[:width]
    pixels[: len(raw)] = raw
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    offsets = []
    for _ in range(pages):
        strip = len(out)
        out += pixels
        res = len(out)
        out += struct.pack("<IIII", 300, 1, 300, 1)
        if len(out) % 2:
            out += b"\x00"
        offsets.append(len(out))
        entries = [
            (256, 3, 1, width),
            (257, 3, 1, height),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, strip),
            (277, 3, 1, 1),
            (278, 3, 1, height),
            (279, 4, 1, width * height),
            (282, 5, 1, res),
            (283, 5, 1, res + 8),
            (296, 3, 1, 2),
        ]
        out += struct.pack("<H", len(entries))
        for tag_id, kind, count, value in entries:
            out += struct.pack("<HHII", tag_id, kind, count, value)
        out += b"\x00\x00\x00\x00"  # next IFD, patched below
    struct.pack_into("<I", out, 4, offsets[0])
    for this, following in zip(offsets, offsets[1:]):
        struct.pack_into("<I", out, this + 2 + 12 * 12, following)
    return bytes(out)


def tiff_bytes(pages: int, tag: str) -> bytes:
    return _from_template("tif", pages, tag, _tiff)


def jpg_bytes(tag: str) -> bytes:
    out = io.BytesIO()
    # JPEG quantisation can make two tiny tagged images equal: the tag goes in a comment too.
    _tiny_image(tag, "RGB").save(
        out, format="JPEG", quality=60, dpi=(300, 300), comment=_unique(tag).encode()
    )
    return out.getvalue()


def scan_bytes(fmt: str, writer: str, pages: int, tag: str) -> bytes:
    """One scan file of ``pages`` pages in format ``pdf``, ``tif`` or ``jpg`` (one page)."""
    if fmt == "pdf":
        return pdf_bytes(writer, pages, tag)
    if fmt == "tif":
        return tiff_bytes(pages, tag)
    return jpg_bytes(tag)


def truncate(data: bytes) -> bytes:
    """A transfer cut short: the head of the file without its end."""
    return data[: max(16, len(data) // 3)]


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
