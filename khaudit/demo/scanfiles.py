"""Real scan files for the demo: multi-page PDFs, multi-page TIFFs and JPG page series.

Pages are small grey images with the record's label, the page number and random strokes, so
every file has unique bytes and a real page count, yet the demo province stays a few MB.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

PAGE_SIZE = (120, 170)
DPI = 200


def _page(label: str, number: int, rng: random.Random) -> Image.Image:
    image = Image.new("L", PAGE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    draw.text((6, 6), label[:18], fill=0)
    draw.text((6, 150), f"{number}", fill=0)
    for _ in range(12):
        x0, y0 = rng.randrange(PAGE_SIZE[0]), rng.randrange(20, 140)
        draw.line(
            (x0, y0, x0 + rng.randrange(10, 60), y0 + rng.randrange(-3, 4)),
            fill=rng.randrange(0, 120),
            width=1,
        )
    return image


def pages(label: str, count: int, rng: random.Random) -> list[Image.Image]:
    return [_page(label, i + 1, rng) for i in range(count)]


def pdf_bytes(label: str, count: int, rng: random.Random) -> bytes:
    images = pages(label, count, rng)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return buffer.getvalue()


def tiff_bytes(label: str, count: int, rng: random.Random) -> bytes:
    images = pages(label, count, rng)
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        "TIFF",
        save_all=True,
        append_images=images[1:],
        compression="tiff_deflate",
        dpi=(DPI, DPI),
    )
    return buffer.getvalue()


def jpeg_series(label: str, count: int, rng: random.Random) -> list[bytes]:
    out = []
    for image in pages(label, count, rng):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=60, dpi=(DPI, DPI))
        out.append(buffer.getvalue())
    return out


def truncate(data: bytes, share: float = 0.6) -> bytes:
    """A file cut short, as an interrupted copy leaves it."""
    return data[: max(16, int(len(data) * share))]
