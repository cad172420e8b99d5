"""Scan files as real files of their formats: small PDFs with the right page count, TIFF
(multi-page or one a page) and JPEG pages. Each carries its own identity in its bytes, so
no two scans are byte-identical unless a copy was made on purpose."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

from PIL import Image

_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"


def pdf_bytes(pages: int, uid: str) -> bytes:
    """A PDF 1.4 of ``pages`` A4 pages sharing one content stream, ``uid`` in its Info."""
    stream = f"BT /F1 1 Tf ({uid}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{5 + k} 0 R".encode() for k in range(pages))
        + f"] /Count {pages} >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Producer (fondsgen) /Title ({uid}) >>".encode(),
    ] + [_PAGE] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    digest = hashlib.md5(uid.encode()).hexdigest()
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R "
        f"/ID [<{digest}> <{digest}>] >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _image(uid: str, page: int, mode: str = "L") -> Image.Image:
    seed = hashlib.sha256(f"{uid}/{page}".encode()).digest()
    size = (16, 12)
    data = (seed * 20)[: size[0] * size[1] * (3 if mode == "RGB" else 1)]
    return Image.frombytes(mode, size, data)


def tiff_bytes(pages: int, uid: str, width: int = 16, height: int = 12) -> bytes:
    """An uncompressed grey TIFF of ``pages`` pages at 300 dpi (written directly: Pillow
    takes a thousand times longer for a page this small)."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for page in range(pages):
        pixels = (hashlib.sha256(f"{uid}/{page}".encode()).digest() * 8)[: width * height]
        entries = 12
        ifd = len(out)
        after = ifd + 2 + entries * 12 + 4
        res, data = after, after + 16
        nxt = 0 if page == pages - 1 else data + len(pixels)
        tags = [
            (256, 3, 1, width),
            (257, 3, 1, height),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, data),
            (277, 3, 1, 1),
            (278, 3, 1, height),
            (279, 4, 1, len(pixels)),
            (282, 5, 1, res),
            (283, 5, 1, res + 8),
            (296, 3, 1, 2),
        ]
        out += struct.pack("<H", entries)
        for tag, kind, count, value in tags:
            packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, count) + packed
        out += struct.pack("<I", nxt)
        out += struct.pack("<IIII", 300, 1, 300, 1) + pixels
    return bytes(out)


_JPEG: list[bytes] = []


def jpg_bytes(uid: str, page: int) -> bytes:
    """A small JPEG page at 200 dpi: one image encoded once, each page's identity in a
    comment segment (encoding thousands of pages would be most of the generator's time)."""
    if not _JPEG:
        out = io.BytesIO()
        _image("page", 0, "RGB").save(out, "JPEG", quality=70, dpi=(200, 200))
        _JPEG.append(out.getvalue())
    note = f"{uid}/{page}".encode()
    return _JPEG[0][:2] + b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + _JPEG[0][2:]


def write(path: Path, fmt: str, pages: int, uid: str, damage: str = "") -> None:
    """Write one scan file; ``damage`` 'empty' (zero bytes) or 'truncated' (cut short)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if damage == "empty":
        path.write_bytes(b"")
        return
    if fmt == "jpg":
        data = jpg_bytes(uid, pages)
    elif fmt == "tif":
        data = tiff_bytes(pages, uid)
    else:
        data = pdf_bytes(pages, uid)
    if damage == "truncated":
        data = data[: max(16, len(data) * 2 // 5)]
    path.write_bytes(data)
