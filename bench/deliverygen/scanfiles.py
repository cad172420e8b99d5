"""Small real scans: PDFs whose pages each draw one bilevel page image, multi-page TIFFs.

A PDF is written by hand (a page tree, one shared image at the contractor's resolution, a
cross-reference table), so 3,000 of them take well under a second; each carries its own id in
its trailer, so two scans never share bytes unless one is a copy of the other.
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache

from PIL import Image

_A4 = (595, 842)  # points
_DRAW = b"q 595 0 0 842 0 0 cm /Im0 Do Q"  # the page: its image, stretched over A4


@lru_cache(maxsize=4)
def _image(dpi: int) -> tuple[int, int, bytes]:
    """A white A4 page at ``dpi``, one bit a pixel, compressed once."""
    width, height = _A4[0] * dpi // 72, _A4[1] * dpi // 72
    row = b"\xff" * ((width + 7) // 8)
    return width, height, zlib.compress(row * height, 9)


def pdf(pages: int, ident: str, dpi: int = 300, producer: str = "Kodak Capture Pro") -> bytes:
    width, height, data = _image(dpi)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 1 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(data))
        + data
        + b"\nendstream",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_DRAW), _DRAW),
        b"<< /Producer (%s) /Title (%s) >>" % (producer.encode(), ident.encode()),
    ]
    kids = []
    for _ in range(pages):
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 3 0 R >> >> /Contents 4 0 R >>"
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, pages)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    key = ident.encode().hex()[:32].ljust(32, "0").encode()
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, key, key, xref)
    )
    return out.getvalue()


def tiff(pages: int, ident: str) -> bytes:
    """A multi-page bilevel TIFF (Group 4), small pages at 200 dpi; the id in its description."""
    frames = [Image.new("1", (160, 226), 1) for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="group4",
        dpi=(200, 200),
        description=ident,
    )
    return out.getvalue()


def scan(fmt: str, pages: int, ident: str) -> bytes:
    return tiff(pages, ident) if fmt == "tiff" else pdf(pages, ident)


def truncated(data: bytes) -> bytes:
    """The first part of a file whose copy was cut off (a dropped network share)."""
    return data[: max(64, len(data) // 3)]
