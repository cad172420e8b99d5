"""Image-only scans for OCR tests: a record's cover drawn as a scanner sees it (Pillow and the
DejaVu font, Vietnamese with its marks), saved as PDF, TIFF or JPEG at a given resolution."""

from __future__ import annotations

import io
import shutil
import subprocess
import textwrap
from pathlib import Path

import matplotlib
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def has_vietnamese_tesseract() -> bool:
    """Tesseract is on the PATH with its Vietnamese model (tests that need it skip without)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    return "vie" in (langs.stdout + langs.stderr).split()


def page_image(title: str, code: str | None, dpi: int = 200) -> Image.Image:
    """A record's cover as a scanner sees it: an A4 page, grey paper, dark print."""
    image = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 245)
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), round(13 / 72 * dpi))
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), round(16 / 72 * dpi))
    lines = [("ỦY BAN NHÂN DÂN XÃ DIÊN LẠC", body), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", body)]
    lines += [("HỒ SƠ", bold)] + [(part, bold) for part in textwrap.wrap(title.upper(), 40)]
    lines += [(f"Mã hồ sơ: {code}", body)] if code else []
    lines += [("Thời hạn bảo quản: Vĩnh viễn", body), ("Số tờ: 3", body)]
    y = round(0.8 * dpi)
    for text, font in lines:
        draw.text((round(0.8 * dpi), y), text, fill=20, font=font)
        y += round(font.size * 1.6)
    return image


def saved(image: Image.Image, fmt: str, dpi: int = 200, **options: object) -> bytes:
    """``image`` as a file of ``fmt`` ("pdf", "tiff" or "jpeg") at ``dpi``."""
    out = io.BytesIO()
    if fmt == "pdf":
        image.save(out, "PDF", resolution=dpi, **options)
    else:
        image.save(out, fmt.upper(), dpi=(dpi, dpi), **options)
    return out.getvalue()
