"""Real, small scan files with the page counts asked for: PDF, multi-page TIFF, JPEG pages.

Each page draws one A4 image at the office's resolution (a blank sheet compresses to a few
hundred bytes, so a 60-page PDF stays small); every file carries its own identifier, so no
two scans are byte-identical unless a copy was meant.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import lru_cache

_A4_PT = (595.28, 841.89)


@lru_cache(maxsize=8)
def _page_image(mode: str, dpi: int) -> tuple[int, int, int, bytes]:
    """(width, height, bits per component, Flate-compressed samples) of a blank A4 page."""
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    bits = 1 if mode == "bilevel" else 8
    row = (w + 7) // 8 if bits == 1 else w
    fill = b"\xff" if bits == 1 else b"\xf4"
    return w, h, bits, zlib.compress(fill * row * h, 6)


def pdf(pages: int, ident: str, producer: str, mode: str = "bilevel", dpi: int = 200) -> bytes:
    """A PDF 1.4 of ``pages`` pages, each the scanned image, with a cross-reference table."""
    w, h, bits, data = _page_image(mode, dpi)
    objs: list[bytes] = []
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objs.append(
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
        f"/BitsPerComponent {bits} /Filter /FlateDecode /Length {len(data)} >>\nstream\n".encode()
        + data
        + b"\nendstream"
    )
    info = f"<< /Producer ({producer}) /Title ({ident}) /CreationDate (D:20250515080000+07'00') >>"
    objs.append(info.encode())
    content = f"q {_A4_PT[0]} 0 0 {_A4_PT[1]} 0 0 cm /Im0 Do Q\n".encode()
    for i in range(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_A4_PT[0]} {_A4_PT[1]}] "
            f"/Resources << /XObject << /Im0 3 0 R >> >> /Contents {6 + 2 * i} 0 R >>".encode()
        )
        stream = content + f"% {ident} p{i + 1}\n".encode()
        objs.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"endstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets))
    uid = zlib.crc32(ident.encode())
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 4 0 R "
        f"/ID [<{uid:08x}{uid:08x}> <{uid:08x}{uid:08x}>] >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


@lru_cache(maxsize=4)
def _packbits_page(dpi: int) -> tuple[int, int, bytes]:
    """A blank bilevel A4 page as PackBits strips (WhiteIsZero: all zero bytes)."""
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    row = (w + 7) // 8
    runs = b""
    left = row
    while left:
        n = min(128, left)
        runs += bytes([(257 - n) & 0xFF, 0]) if n > 1 else b"\x00\x00"
        left -= n
    return w, h, runs * h


def tiff(pages: int, ident: str, dpi: int = 200) -> bytes:
    """A multi-page TIFF (little-endian, PackBits), one IFD a page; all pages share one strip."""
    w, h, strip = _packbits_page(dpi)
    desc = ident.encode() + b"\x00"
    head = 8
    strip_at = head
    desc_at = strip_at + len(strip)
    res_at = desc_at + len(desc) + (len(desc) % 2)
    ifd_at = res_at + 8
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_at))
    out += strip + desc + (b"\x00" if len(desc) % 2 else b"")
    out += struct.pack("<II", dpi, 1)
    n_tags = 13
    ifd_size = 2 + 12 * n_tags + 4
    for p in range(pages):
        at = ifd_at + p * ifd_size
        nxt = at + ifd_size if p + 1 < pages else 0
        tags = [
            (254, 4, 1, 2),
            (256, 4, 1, w),
            (257, 4, 1, h),
            (258, 3, 1, 1),
            (259, 3, 1, 32773),
            (262, 3, 1, 0),
            (270, 2, len(desc), desc_at),
            (273, 4, 1, strip_at),
            (277, 3, 1, 1),
            (278, 4, 1, h),
            (279, 4, 1, len(strip)),
            (282, 5, 1, res_at),
            (283, 5, 1, res_at),
        ]
        out += struct.pack("<H", n_tags)
        for tag, typ, count, value in tags:
            out += struct.pack("<HHII", tag, typ, count, value)
        out += struct.pack("<I", nxt)
    return bytes(out)


@lru_cache(maxsize=4)
def _jpeg_page(dpi: int) -> bytes:
    from PIL import Image

    w, h = round(8.27 * dpi), round(11.69 * dpi)
    buf = io.BytesIO()
    Image.new("L", (w, h), 244).save(buf, format="JPEG", quality=70, dpi=(dpi, dpi))
    return buf.getvalue()


def jpeg(ident: str, dpi: int = 200) -> bytes:
    """One page as a JPEG (the phone or flatbed's), its identifier in a comment segment."""
    base = _jpeg_page(dpi)
    text = ident.encode()
    return base[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + base[2:]


def truncated(data: bytes) -> bytes:
    """The first part of a file, as a copy cut off by a full disk or a dropped share leaves it."""
    return data[: max(64, len(data) * 11 // 20)]
