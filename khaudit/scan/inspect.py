"""Per-file facts in one read: size, mtime, hashes, format by magic bytes, pages, integrity.

Each file is read once: the bytes feed xxh3-128 (always) and SHA-256 (when asked) and then the
format inspector, which only looks at what it needs (headers, trailers, page trees). Files are
opened read-only. Integrity verdicts: ok, empty, truncated, unparsable, encrypted, unreadable.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass

import xxhash

_CHUNK = 1 << 20
_IN_MEMORY_LIMIT = 64 << 20  # files up to this size are inspected from the bytes already read

MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "zip"),
]
SCAN_FORMATS = {"pdf", "tiff", "jpeg", "png"}
EXTENSION_FORMAT = {".pdf": "pdf", ".tif": "tiff", ".tiff": "tiff", ".jpg": "jpeg",
                    ".jpeg": "jpeg", ".png": "png"}


@dataclass
class FileFacts:
    size: int = 0
    mtime: float = 0.0
    inode: int = 0
    xxh3_128: str = ""
    sha256: str = ""
    format: str = ""
    pages: int | None = None
    dpi: int | None = None
    color_mode: str = ""
    integrity: str = "ok"
    integrity_note: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sniff_format(head: bytes) -> str:
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    return "unknown"


def _inspect_pdf(data: bytes, facts: FileFacts) -> None:
    import pypdf

    tail = data[-2048:]
    if b"%%EOF" not in tail:
        facts.integrity, facts.integrity_note = "truncated", "PDF has no end-of-file marker"
        return
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            facts.integrity, facts.integrity_note = "encrypted", "PDF is encrypted"
            return
        facts.pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on damaged files
        facts.integrity, facts.integrity_note = "unparsable", f"PDF cannot be parsed: {exc}"[:200]
        return
    if facts.pages == 0:
        facts.integrity, facts.integrity_note = "unparsable", "PDF has no pages"


def _inspect_image(data: bytes, facts: FileFacts) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings(), Image.open(io.BytesIO(data)) as image:
            warnings.simplefilter("ignore")  # damaged files are reported by the verdict
            facts.color_mode = image.mode
            dpi = image.info.get("dpi")
            if dpi:
                facts.dpi = int(round(float(dpi[0])))
            frames = getattr(image, "n_frames", 1)
            end = 0
            for i in range(frames):
                image.seek(i)
                counts = image.tag_v2.get(279) if hasattr(image, "tag_v2") else None
                offsets = [t[2] for t in image.tile]
                if counts and offsets:
                    end = max(end, max(o + c for o, c in zip(offsets, counts)))
            facts.pages = frames
    except Exception as exc:  # Pillow raises many kinds on damaged files
        facts.integrity, facts.integrity_note = "unparsable", f"image cannot be read: {exc}"[:200]
        return
    if facts.format == "tiff" and end > len(data):
        facts.integrity, facts.integrity_note = "truncated", "TIFF image data ends early"
    elif facts.format == "jpeg" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        facts.integrity, facts.integrity_note = "truncated", "JPEG has no end-of-image marker"
    elif facts.format == "png" and b"IEND" not in data[-32:]:
        facts.integrity, facts.integrity_note = "truncated", "PNG has no end chunk"


INSPECTORS: dict[str, Callable[[bytes, FileFacts], None]] = {
    "pdf": _inspect_pdf,
    "tiff": _inspect_image,
    "jpeg": _inspect_image,
    "png": _inspect_image,
}


def inspect_file(path: str, sha256: bool = False, pages: bool = True) -> FileFacts:
    """Hash and inspect one file; never raises for a bad file (the verdict says what is wrong)."""
    facts = FileFacts()
    try:
        st = os.stat(path)
        facts.size, facts.mtime, facts.inode = st.st_size, st.st_mtime, st.st_ino
        xh = xxhash.xxh3_128()
        sh = hashlib.sha256() if sha256 else None
        kept = bytearray()
        with open(path, "rb", buffering=0) as fh:
            while chunk := fh.read(_CHUNK):
                xh.update(chunk)
                if sh is not None:
                    sh.update(chunk)
                if len(kept) <= _IN_MEMORY_LIMIT:
                    kept += chunk
        facts.xxh3_128 = xh.hexdigest()
        facts.sha256 = sh.hexdigest() if sh is not None else ""
    except OSError as exc:
        facts.integrity, facts.integrity_note = "unreadable", f"cannot read: {exc.strerror}"
        return facts
    if facts.size == 0:
        facts.format, facts.integrity, facts.integrity_note = "empty", "empty", "zero-byte file"
        return facts
    facts.format = sniff_format(bytes(kept[:16]))
    expected = EXTENSION_FORMAT.get(os.path.splitext(path)[1].lower())
    if facts.format == "unknown" and expected:
        facts.integrity = "unparsable"
        facts.integrity_note = f"not a {expected.upper()} file despite its extension"
        return facts
    inspector = INSPECTORS.get(facts.format)
    if inspector and pages:
        if len(kept) == facts.size:
            data = bytes(kept)
        else:  # larger than the in-memory limit: read again for the inspector
            with open(path, "rb") as fh:
                data = fh.read()
        inspector(data, facts)
    return facts
