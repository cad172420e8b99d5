"""Tiny scan files with the intended page counts, from several writers.

Writing thousands of PDFs one by one is slow, so each writer makes one template per page
count, whose document title is a fixed-length placeholder; every file is that template with a
unique token in place of the placeholder (same length: the cross-reference table stays right),
so no two scans are byte-identical unless the province means them to be.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

PLACEHOLDER = b"OFFICEGEN-TOKEN-0000000000000000"
WRITERS = ("pikepdf", "fpdf2", "img2pdf", "reportlab")


def _jpeg(seed: int, size: tuple[int, int] = (24, 34)) -> bytes:
    from PIL import Image

    noise = random.Random(seed).randbytes(size[0] * size[1])
    image = Image.frombytes("L", size, bytes(200 + b % 56 for b in noise))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=40)
    return out.getvalue()


def _pikepdf(pages: int) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = PLACEHOLDER.decode()
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True)
    return out.getvalue()


def _fpdf2(pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_title(PLACEHOLDER.decode())
    pdf.set_creation_date(dt.datetime(2025, 6, 12, 9, 30, tzinfo=dt.UTC))  # same bytes each run
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(40, 40, 20, 20)
    return bytes(pdf.output())


def _img2pdf(pages: int) -> bytes:
    import img2pdf

    images = [_jpeg(n) for n in range(pages)]
    # img2pdf's own writer: through pikepdf it would draw a random document ID each run
    return img2pdf.convert(
        images,
        title=PLACEHOLDER.decode(),
        dpi=(200, 200),
        nodate=True,
        engine=img2pdf.Engine.internal,
    )


def _reportlab(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842), invariant=1, pageCompression=0)
    page.setTitle(PLACEHOLDER.decode())
    for _ in range(pages):
        page.rect(40, 40, 20, 20)
        page.showPage()
    page.save()
    return out.getvalue()


_MAKERS: dict[str, Callable[[int], bytes]] = {
    "pikepdf": _pikepdf,
    "fpdf2": _fpdf2,
    "img2pdf": _img2pdf,
    "reportlab": _reportlab,
}


@cache
def template(writer: str, pages: int) -> bytes:
    data = _MAKERS[writer](pages)
    if PLACEHOLDER not in data:
        raise RuntimeError(f"{writer} did not keep the title placeholder uncompressed")
    return data


def pdf_bytes(writer: str, pages: int, token: str) -> bytes:
    """A PDF of ``pages`` pages from ``writer``, unique by ``token`` (hex, any length)."""
    mark = f"OFFICEGEN-{token}".encode()[: len(PLACEHOLDER)].ljust(len(PLACEHOLDER), b"0")
    return template(writer, pages).replace(PLACEHOLDER, mark)


def jpeg_page(seed: int) -> bytes:
    """One page image of a page series (unique by seed)."""
    return _jpeg(seed, (30, 42))


def tiff_bytes(pages: int, seed: int) -> bytes:
    """A multi-page TIFF (scanners' other habit)."""
    from PIL import Image

    frames = []
    for n in range(pages):
        rng = random.Random(seed * 1000 + n)
        image = Image.new("L", (24, 34), 255)
        image.putpixel((rng.randrange(24), rng.randrange(34)), 0)
        frames.append(image)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="raw")
    return out.getvalue()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
