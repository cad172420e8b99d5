"""Real PDFs of a chosen size and page count, fast, for the scan and handover benchmarks.

Each page draws one raw greyscale image of random bytes, so the file is a valid PDF (classic
cross-reference table, as scanners write) that renders as noise, is incompressible, and has
exactly the size and pages asked for, within a few hundred bytes.
"""

from __future__ import annotations

import random


def make_pdf(pages: int, size: int, rng: random.Random) -> bytes:
    per_page = max(64, (size - 600 - 300 * pages) // pages)
    side = max(8, int(per_page ** 0.5))
    image_bytes = side * side
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in below)
    kids = []
    for _ in range(pages):
        image = len(objects) + 1
        content = len(objects) + 2
        page = len(objects) + 3
        data = rng.randbytes(image_bytes)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                       b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
                       % (side, side, image_bytes) + data + b"\nendstream")
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                       % (image, content))
        kids.append(b"%d 0 R" % page)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
