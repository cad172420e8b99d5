"""OCR of an image-only scan's first page with Tesseract and its Vietnamese model, for content
evidence when a scan has no text layer.

Optional twice over: the project asks for it (``[content] ocr = true``) and the machine has
``tesseract`` with the ``vie`` model (Debian/Ubuntu: ``apt install tesseract-ocr
tesseract-ocr-vie``); without either, scans are read as before. A page takes seconds, so only
the scans content evidence reads are recognised (the sample, the counters), each page at most
``TIMEOUT`` seconds, and each content hash once: the text is kept in the scan catalogue by
xxh3-128, so a rescan, a rename or a move costs nothing.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from .pagetext import MAX_CHARS

LANG = "vie"
#: Resolution the first page is rendered at for recognition, and the longest side allowed.
OCR_DPI = 300
MAX_SIDE = 6000
#: Seconds one page may take; a page that takes longer is left without text.
TIMEOUT = 60
_SPACE = re.compile(r"\s+")
_TABLE = "CREATE TABLE IF NOT EXISTS ocr_text (xxh3_128 TEXT PRIMARY KEY, text TEXT NOT NULL)"


@functools.cache
def available() -> bool:
    """Tesseract is on the PATH and has the Vietnamese model."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANG in (out.stdout + out.stderr).split()


def first_page_png(path: Path, fmt: str) -> bytes | None:
    """The first page as a grey PNG for recognition, or None when it cannot be drawn."""
    from PIL import Image

    try:
        if fmt == "pdf":
            import pypdfium2 as pdfium

            document = pdfium.PdfDocument(str(path))
            try:
                page = document[0]
                width, height = page.get_size()
                scale = min(OCR_DPI / 72, MAX_SIDE / max(width, height, 1))
                image = page.render(scale=scale, grayscale=True).to_pil()
                page.close()
            finally:
                document.close()
        else:
            with Image.open(path) as opened:
                opened.seek(0)
                image = opened.convert("L")
                image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()
    except Exception:  # noqa: BLE001 - a page that cannot be drawn has no text, never a crash
        return None


def recognise(path: Path, fmt: str) -> str:
    """The first page's text as Tesseract reads it, whitespace collapsed, at most MAX_CHARS
    characters; "" when it cannot be read in time."""
    png = first_page_png(path, fmt)
    exe = shutil.which("tesseract")
    if png is None or exe is None:
        return ""
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANG],
            input=png,
            capture_output=True,
            timeout=TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    text = done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def cached_texts(db: sqlite3.Connection | None, hashes: list[str]) -> dict[str, str]:
    """Texts recognised before, by content hash."""
    if db is None or not hashes:
        return {}
    db.execute(_TABLE)
    out: dict[str, str] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT xxh3_128, text FROM ocr_text WHERE xxh3_128 IN ({marks})", chunk)
        out.update(dict(rows))
    return out


def keep_texts(db: sqlite3.Connection | None, texts: dict[str, str]) -> None:
    """Remember recognised texts by content hash ("" too: a page with nothing to read)."""
    if db is None or not texts:
        return
    db.execute(_TABLE)
    db.executemany("INSERT OR REPLACE INTO ocr_text VALUES (?, ?)", list(texts.items()))
    db.commit()


__all__ = ["available", "cached_texts", "first_page_png", "keep_texts", "recognise"]
