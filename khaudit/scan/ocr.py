"""OCR of an image-only scan's first page with Tesseract and its Vietnamese model, for content
evidence when a scan has no text layer.

Optional twice over: the project asks for it (``[content] ocr = true``) and the machine has
``tesseract`` with the ``vie`` model (Debian/Ubuntu: ``apt install tesseract-ocr
tesseract-ocr-vie``); without either, scans are read as before. A page takes seconds, so only
the scans content evidence reads are recognised (the sample, the counters), several at once,
each file within ``TIMEOUT`` seconds, and each content hash once per engine: the text is kept
in the scan catalogue by xxh3-128 and :func:`engine`, so a rescan, a rename or a move costs
nothing, and a new Tesseract reads the pages again instead of passing off an old reading.

A page is read as it lies first; a page scanned sideways or upside down reads as symbols,
which are not Vietnamese syllables, and is then read again with Tesseract's orientation
detection (``--psm 1``), keeping the reading with more Vietnamese in it.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..inventory.syllables import plausibility
from ..textnorm import nfc
from .pagetext import MAX_CHARS

LANG = "vie"
#: Resolution the first page of a PDF is rendered at for recognition, and the longest side
#: allowed (a poster-sized page is drawn smaller rather than taking minutes).
OCR_DPI = 300
MAX_SIDE = 6000
#: Seconds one file may take, both readings together; a file that takes longer has no text.
TIMEOUT = 60
#: Share of a reading's words that must be Vietnamese syllables for it to stand without a
#: second reading that detects the page's orientation.
PLAUSIBLE = 0.6
#: How the page is prepared and read; part of the cache key with Tesseract's version.
RECIPE = f"png{OCR_DPI}-psm3-psm1"
_SPACE = re.compile(r"\s+")
#: The orientation tag of TIFF and Exif, and how each value is put upright.
_ORIENTATION = 0x0112
_UPRIGHT = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
#: Letters Tesseract's Vietnamese model writes for others that look alike: the Icelandic eth
#: for the Vietnamese D with stroke.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "ƒ": "f"})
_TABLE = (
    "DROP TABLE IF EXISTS ocr_text",  # texts of an unknown engine: read again, not trusted
    "CREATE TABLE IF NOT EXISTS ocr_pages (xxh3_128 TEXT NOT NULL, engine TEXT NOT NULL, "
    "text TEXT NOT NULL, PRIMARY KEY (xxh3_128, engine))",
)


@functools.cache
def engine() -> str | None:
    """``"tesseract <version> vie"`` when Tesseract is on the PATH with the Vietnamese model,
    else None. The run's parameters name it: a reading depends on the engine that made it."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    langs = _tesseract_says(exe, "--list-langs")
    if langs is None or LANG not in langs.split():
        return None
    said = (_tesseract_says(exe, "--version") or "").split()
    version = said[1] if len(said) > 1 and said[0].lower() == "tesseract" else "unknown"
    return f"tesseract {version} {LANG}"


def available() -> bool:
    """Tesseract is on the PATH and has the Vietnamese model."""
    return engine() is not None


def _tesseract_says(exe: str, flag: str) -> str | None:
    try:
        out = subprocess.run(
            [exe, flag], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout + out.stderr


def first_page_png(path: Path, fmt: str) -> bytes | None:
    """The first page as a grey PNG for recognition, upright as its file says (a PDF page's
    ``/Rotate``, an image's orientation tag) and carrying its resolution, so Tesseract need
    not guess the size of the letters; None when it cannot be drawn."""
    try:
        image, dpi = _pdf_page(path) if fmt == "pdf" else _image_page(path)
        out = io.BytesIO()
        image.save(out, "PNG", dpi=(dpi, dpi))
        return out.getvalue()
    except Exception:  # noqa: BLE001 - a page that cannot be drawn has no text, never a crash
        return None


def _pdf_page(path: Path) -> tuple[Any, int]:
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
    return image.convert("L"), round(72 * scale)


def _image_page(path: Path) -> tuple[Any, int]:
    from PIL import Image

    with Image.open(path) as opened:
        opened.seek(0)
        # read before the pixels: once a TIFF's pixels are loaded its tag may be gone
        turn = _UPRIGHT.get(int(opened.getexif().get(_ORIENTATION, 1) or 1))
        dpi = opened.info.get("dpi", (OCR_DPI, OCR_DPI))[0] or OCR_DPI
        image = opened.convert("L")
    if turn is not None:
        image = image.transpose(getattr(Image.Transpose, turn))
    side = max(image.size)
    if side > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        dpi = dpi * MAX_SIDE / side
    return image, max(round(float(dpi)), 70)


def tidy(text: str) -> str:
    """A reading as khaudit keeps text: NFC, look-alike letters put right, whitespace
    collapsed, at most MAX_CHARS characters."""
    return _SPACE.sub(" ", nfc(text).translate(_LOOKALIKES)).strip()[:MAX_CHARS]


def recognise(path: Path, fmt: str) -> str:
    """The first page's text as Tesseract reads it (:func:`tidy`); "" when it cannot be read
    within TIMEOUT seconds. Read as it lies, then with orientation detection when the first
    reading is not Vietnamese."""
    deadline = time.monotonic() + TIMEOUT
    png = first_page_png(path, fmt)
    exe = shutil.which("tesseract")
    if png is None or exe is None:
        return ""
    best = _read(exe, png, "3", deadline - time.monotonic())
    if plausibility(best) >= PLAUSIBLE:
        return best
    turned = _read(exe, png, "1", deadline - time.monotonic())
    return turned if plausibility(turned) > plausibility(best) else best


def _read(exe: str, png: bytes, psm: str, seconds: float) -> str:
    """One reading of ``png`` in page segmentation mode ``psm``; "" past ``seconds``.
    One thread each: files are read side by side, which uses the cores better than
    Tesseract's own threads on one page."""
    if seconds <= 0:
        return ""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANG, "--psm", psm],
            input=png,
            capture_output=True,
            timeout=seconds,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return tidy(done.stdout.decode("utf-8", "replace")) if done.returncode == 0 else ""


def recognise_all(files: Iterable[tuple[Path, str]], workers: int = 0) -> list[str]:
    """:func:`recognise` of each (path, format), ``workers`` at a time (0: one per core),
    in the order given."""
    jobs = list(files)
    if not jobs:
        return []
    width = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    with ThreadPoolExecutor(width) as pool:
        return list(pool.map(lambda job: recognise(*job), jobs))


def cached_texts(db: sqlite3.Connection | None, hashes: list[str], name: str) -> dict[str, str]:
    """Texts engine ``name`` (:func:`engine`) recognised before, by content hash."""
    if db is None or not hashes:
        return {}
    for statement in _TABLE:
        db.execute(statement)
    key = f"{name} {RECIPE}"
    out: dict[str, str] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT xxh3_128, text FROM ocr_pages WHERE engine = ? AND xxh3_128 IN ({marks})",
            [key, *chunk],
        )
        out.update(dict(rows))
    return out


def keep_texts(db: sqlite3.Connection | None, texts: dict[str, str], name: str) -> None:
    """Remember what engine ``name`` recognised, by content hash ("" too: a page with
    nothing to read)."""
    if db is None or not texts:
        return
    for statement in _TABLE:
        db.execute(statement)
    key = f"{name} {RECIPE}"
    db.executemany(
        "INSERT OR REPLACE INTO ocr_pages VALUES (?, ?, ?)",
        [(digest, key, text) for digest, text in texts.items()],
    )
    db.commit()


__all__ = [
    "available",
    "cached_texts",
    "engine",
    "first_page_png",
    "keep_texts",
    "recognise",
    "recognise_all",
    "tidy",
]
