"""Per-file facts in one read: size, mtime, hashes, format by magic bytes, pages, integrity.

Each file is opened read-only (and without touching its access time where the OS allows) and
read once: files up to 64 MB in one call, hashed in one shot; larger ones in 8 MB chunks. The
bytes feed xxh3-128 (always) and SHA-256 (when asked); then the format inspector looks only at
what it needs (headers, trailers, the PDF cross-reference table), through the bytes already in
memory or a positioned read. Integrity verdicts: ok, empty, truncated, unparsable, encrypted,
unreadable.

Image headers are read without decoding pixels, so Pillow's decompression-bomb guard (meant
for code that decodes) is off while they are: a 20000×10000 bilevel land map is a valid scan.
A PDF's pages, resolution, colour and PDF/A claim come from pikepdf (pdfdoc.py); the
cross-reference fast path (pdf.py) vouches for the page count and the structure first and
turns away what is malformed before any library spends time on it. A searchable PDF's first
page text is read only when pikepdf saw text on that page: from the content stream pikepdf has
open when its text layer is simple, else by pypdfium2 (pagetext.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import xxhash

from .colour import color_rank
from .pagetext import first_page_text
from .pdf import MAX_PAGES, Encrypted, Malformed, count_pages
from .pdfpages import PdfFacts, Unsure, read_pages

#: What makes the bytes reader hand a file to pikepdf: its own doubt, or a value of a type
#: no well-formed file holds where it was looked for.
_NOT_VOUCHED = (Unsure, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)

_CHUNK = 8 << 20
_IN_MEMORY_LIMIT = 64 << 20  # files up to this size are read in one call and kept for inspection
_NOATIME = getattr(os, "O_NOATIME", 0)

MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "zip"),
]
SCAN_FORMATS = {"pdf", "tiff", "jpeg", "png"}
EXTENSION_FORMAT = {
    ".pdf": "pdf",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
}


@dataclass(slots=True)
class FileFacts:
    size: int = 0
    mtime: float = 0.0
    mtime_ns: int = 0
    inode: int = 0
    xxh3_128: str = ""
    sha256: str = ""
    format: str = ""
    pages: int | None = None
    dpi: int | None = None
    color_mode: str = ""
    integrity: str = "ok"
    integrity_note: str = ""
    pdfa: str = ""  # the claimed PDF/A part and conformance, e.g. "1B"
    first_page_text: str = ""  # a searchable PDF's first page, as its text layer says


@dataclass(slots=True)
class Source:
    """What an inspector may read: the whole file when small, positioned reads otherwise."""

    path: str
    size: int
    read_at: Callable[[int, int], bytes]
    data: bytes | None

    def stream(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")


def sniff_format(head: bytes) -> str:
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    return "unknown"


_EOF_WINDOW = 1 << 20  # the end-of-file marker is looked for this far from the end
_BODY_AFTER_EOF = re.compile(rb"\d+\s+\d+\s+obj\b")


def pdf_truncated(src: Source) -> bool:
    """No end-of-file marker, or the body of an update after the last one: the file was cut.

    Bytes after the last %%EOF that hold no object (padding, NULs, a stray line some tools
    write) are not truncation. A linearized file keeps an early %%EOF after its first page,
    so a file cut after it still shows objects past its last marker.
    """
    start = max(0, src.size - _EOF_WINDOW)
    if src.data is not None:  # searched in place: a copy of the tail costs more than the search
        last = src.data.rfind(b"%%EOF", start)
        return last < 0 or _BODY_AFTER_EOF.search(src.data, last) is not None
    tail = src.read_at(start, src.size - start)
    last = tail.rfind(b"%%EOF")
    return last < 0 or _BODY_AFTER_EOF.search(tail, last) is not None


def _read_pdf(src: Source, answered: PdfFacts | None) -> PdfFacts | tuple[str, str]:
    """The PDF's facts: those the bytes reader answered, else pikepdf's; or pikepdf's verdict
    and note when it cannot read the file. pikepdf is loaded only when a file needs it (a
    worker that never needs it saves the import, a sixth of a second)."""
    if answered is not None:
        return answered
    from .pdfdoc import Unreadable, read_pdf

    try:
        with src.stream() as stream:
            return read_pdf(stream)
    except Unreadable as exc:
        return exc.verdict, exc.note


def _bytes_reader(src: Source) -> PdfFacts | Malformed | None:
    """What the bytes reader (pdfpages.py) answers for the file: its facts, the impossibility
    it found, or None when a PDF library must read it."""
    if src.data is None:
        return None
    try:
        return read_pages(src.data)
    except Malformed as exc:
        return exc
    except _NOT_VOUCHED:
        return None


def _inspect_pdf(src: Source, facts: FileFacts) -> None:
    if pdf_truncated(src):
        facts.integrity, facts.integrity_note = "truncated", "PDF has no end-of-file marker"
        return
    answered = _bytes_reader(src)
    counted = None
    # The fast count vouches for the structure of what the bytes reader did not read (and
    # words an impossible count its way); a file the bytes reader read needs no second look.
    if not isinstance(answered, PdfFacts):
        try:
            counted = count_pages(src.read_at, src.size)
        except Malformed as exc:
            facts.integrity, facts.integrity_note = "unparsable", f"PDF {exc}"[:200]
            return
        except Encrypted:  # pikepdf tells a user password (unreadable) from an owner's (readable)
            counted = None
        except (ValueError, IndexError):
            counted = None
    if isinstance(answered, Malformed):
        facts.integrity, facts.integrity_note = "unparsable", f"PDF {answered}"[:200]
        return
    try:
        found = _read_pdf(src, answered)
    except Malformed as exc:
        facts.integrity, facts.integrity_note = "unparsable", f"PDF {exc}"[:200]
        return
    if isinstance(found, tuple):
        facts.integrity, facts.integrity_note = found
        return
    facts.pages = counted if counted is not None else found.pages
    facts.dpi, facts.color_mode, facts.pdfa = found.dpi, found.color_mode, found.pdfa
    if found.owner_password_only:
        facts.integrity_note = "PDF restricted by an owner password only; opens without one"
    if not facts.pages:
        facts.integrity, facts.integrity_note = "unparsable", "PDF has no pages"
    elif found.first_page_text is not None:
        facts.first_page_text = found.first_page_text
    elif found.first_page_has_text:  # a text layer only a layout engine reads
        facts.first_page_text = first_page_text(src.data if src.data is not None else src.path)


def _inspect_image(src: Source, facts: FileFacts) -> None:
    from PIL import Image

    end = 0
    guard = Image.MAX_IMAGE_PIXELS
    heard: list[warnings.WarningMessage] = []
    try:
        Image.MAX_IMAGE_PIXELS = None  # headers only: no pixel is decoded here
        with (
            warnings.catch_warnings(record=True) as heard,
            src.stream() as stream,
            Image.open(stream) as image,
        ):
            warnings.simplefilter("always")  # heard, not shown: a short read marks truncation
            frames = getattr(image, "n_frames", 1)
            if not 0 < frames <= MAX_PAGES:
                facts.integrity = "unparsable"
                facts.integrity_note = f"image frame count is impossible: {frames}"
                return
            resolutions: list[float] = []
            modes: list[str] = []
            for i in range(frames):
                if i:
                    image.seek(i)
                modes.append(image.mode)
                dpi = image.info.get("dpi")
                if dpi:
                    resolutions.append(min(float(dpi[0]), float(dpi[1])))
                counts = image.tag_v2.get(279) if hasattr(image, "tag_v2") else None
                offsets = [t[2] for t in image.tile]
                if counts and offsets:
                    end = max(end, max(o + c for o, c in zip(offsets, counts)))
            facts.pages = frames
            facts.color_mode = min(modes, key=color_rank)  # the poorest frame binds the file
            if resolutions and min(resolutions) > 0:
                facts.dpi = int(round(min(resolutions)))
    except Exception as exc:  # Pillow raises many kinds on damaged files
        facts.integrity, facts.integrity_note = "unparsable", f"image cannot be read: {exc}"[:200]
        return
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    tail = src.read_at(max(0, src.size - 64), 64)
    if facts.format == "tiff" and end > src.size:
        facts.integrity, facts.integrity_note = "truncated", "TIFF image data ends early"
    elif facts.format == "tiff" and any(_short_read(w) for w in heard):
        # A directory (a page's tags) cut by the end of the file: Pillow reads what is there.
        facts.integrity, facts.integrity_note = "truncated", "TIFF directory ends early"
    elif facts.format == "jpeg" and not tail.rstrip(b"\x00").endswith(b"\xff\xd9"):
        facts.integrity, facts.integrity_note = "truncated", "JPEG has no end-of-image marker"
    elif facts.format == "png" and b"IEND" not in tail[-32:]:
        facts.integrity, facts.integrity_note = "truncated", "PNG has no end chunk"


def _short_read(heard: warnings.WarningMessage) -> bool:
    """Pillow's warning that a TIFF tag's bytes run past the end of the file."""
    return "Expecting to read" in str(heard.message)


INSPECTORS: dict[str, Callable[[Source, FileFacts], None]] = {
    "pdf": _inspect_pdf,
    "tiff": _inspect_image,
    "jpeg": _inspect_image,
    "png": _inspect_image,
}


def _open(path: str) -> int:
    try:
        return os.open(path, os.O_RDONLY | _NOATIME)
    except PermissionError:
        if not _NOATIME:
            raise
        return os.open(path, os.O_RDONLY)  # O_NOATIME needs ownership; read-only all the same


def inspect_file(path: str, sha256: bool = False, pages: bool = True) -> FileFacts:
    """Hash and inspect one file; never raises for a bad file (the verdict says what is wrong).

    ``pages=False`` hashes only (format from magic bytes still), for the fastest pass.
    """
    facts = FileFacts()
    try:
        fd = _open(path)
    except OSError as exc:
        facts.integrity, facts.integrity_note = "unreadable", f"cannot read: {exc.strerror}"
        return facts
    try:
        st = os.fstat(fd)
        facts.size, facts.mtime, facts.mtime_ns = st.st_size, st.st_mtime, st.st_mtime_ns
        facts.inode = st.st_ino
        data, head = _hash(fd, facts, sha256)
        if facts.size == 0:
            facts.format, facts.integrity, facts.integrity_note = "empty", "empty", "zero-byte file"
            return facts
        facts.format = sniff_format(head)
        expected = EXTENSION_FORMAT.get(os.path.splitext(path)[1].lower())
        if facts.format == "unknown" and expected:
            facts.integrity = "unparsable"
            facts.integrity_note = f"not a {expected.upper()} file despite its extension"
            return facts
        inspector = INSPECTORS.get(facts.format)
        if inspector and pages:
            inspector(Source(path, facts.size, _reader(fd, data), data), facts)
    except OSError as exc:
        facts.integrity, facts.integrity_note = "unreadable", f"cannot read: {exc.strerror}"
    finally:
        os.close(fd)
    return facts


def _hash(fd: int, facts: FileFacts, sha256: bool) -> tuple[bytes | None, bytes]:
    """Hash the open file into ``facts`` (its size as read, too); return its bytes when it is
    small enough to hold (None otherwise) and its first 16 bytes, for the format."""
    if facts.size <= _IN_MEMORY_LIMIT:
        data = os.read(fd, facts.size)  # one system call for a file of known size
        while len(data) < facts.size and (more := os.read(fd, facts.size - len(data))):
            data += more
        facts.size = len(data)
        facts.xxh3_128 = xxhash.xxh3_128_hexdigest(data)
        if sha256:
            facts.sha256 = hashlib.sha256(data).hexdigest()
        return data, data[:16]
    xh = xxhash.xxh3_128()
    sh = hashlib.sha256() if sha256 else None
    head = os.pread(fd, 16, 0)
    offset = 0
    while chunk := os.pread(fd, _CHUNK, offset):
        offset += len(chunk)
        xh.update(chunk)
        if sh is not None:
            sh.update(chunk)
    facts.size = offset
    facts.xxh3_128 = xh.hexdigest()
    facts.sha256 = sh.hexdigest() if sh is not None else ""
    return None, head


def _reader(fd: int, data: bytes | None) -> Callable[[int, int], bytes]:
    """Read ``n`` bytes at ``offset``: from the bytes held, or from the open file."""
    if data is not None:
        held = data

        def read_at(offset: int, n: int) -> bytes:
            return held[offset : offset + n]

        return read_at

    def pread_at(offset: int, n: int) -> bytes:
        return os.pread(fd, n, offset)

    return pread_at
