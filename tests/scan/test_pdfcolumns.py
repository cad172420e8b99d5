"""The column reader (pdfcolumns.py) answers what the object reader (pdfpages.py) answers, or
turns the file over to it: never a fact of its own, never a damaged file read as sound."""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import pikepdf
import pypdf
import pytest
from PIL import Image

from khaudit.scan.inspect import inspect_file
from khaudit.scan.pdfcolumns import read_figures
from khaudit.scan.pdfobjects import Document, Unsure
from khaudit.scan.pdfpages import _figures, _leaves, read_pages


def tree_of(data: bytes) -> tuple[Document, dict, int]:
    doc = Document(data)
    tree = doc.get(doc.get(doc.trailer["/Root"])["/Pages"])
    return doc, tree, tree["/Count"]


def by_columns(data: bytes) -> list:
    return read_figures(*tree_of(data))


def by_objects(data: bytes) -> list:
    doc, tree, count = tree_of(data)
    return _figures(doc, _leaves(doc, tree, count))


def pillow_pdf(mode: str, dpi: int, pages: int, inches=(2.0, 2.5)) -> bytes:
    size = (int(dpi * inches[0]), int(dpi * inches[1]))
    images = [Image.new(mode, size, 90 if mode in ("1", "L") else (9, 8, 7)) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def resaved(data: bytes, **options) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()


def img2pdf_jpeg(dpi: int, pages: int) -> bytes:
    frames = []
    for _ in range(pages):
        buffer = io.BytesIO()
        Image.new("RGB", (2 * dpi, 3 * dpi), (40, 50, 60)).save(buffer, "JPEG", dpi=(dpi, dpi))
        frames.append(buffer.getvalue())
    return img2pdf.convert(frames)


def merged(*parts: bytes) -> bytes:
    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def classic(objects: list[bytes]) -> bytes:
    """A classic-xref PDF around ``objects`` (1: catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def scan_pdf(pages: int, page: bytes = b"", image: bytes = b"", content: bytes = b"") -> bytes:
    """Catalog, tree, then per page: its dictionary, its content stream, its image (600 x 750
    pixels placed at 2 x 2.5 inches: 300 dpi). ``page``, ``image`` add entries; ``content``
    replaces the drawing."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    draw = content or b"q 144 0 0 180 0 0 cm /Im0 Do Q"
    for _ in range(pages):
        number = len(objects) + 1
        kids.append(b"%d 0 R" % number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s /Resources << /XObject "
            b"<< /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (page, number + 2, number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width 600 /Height 750 /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 %s /Length 0 >>\nstream\n\nendstream" % image
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return classic(objects)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"object_stream_mode": pikepdf.ObjectStreamMode.generate},
        {"object_stream_mode": pikepdf.ObjectStreamMode.generate, "linearize": True},
        {"compress_streams": False, "object_stream_mode": pikepdf.ObjectStreamMode.disable},
    ],
)
def test_what_the_columns_read_is_what_the_objects_read(options):
    for data in (
        pillow_pdf("1", 300, 3),
        pillow_pdf("RGB", 150, 1),
        img2pdf_jpeg(200, 4),
        merged(pillow_pdf("L", 240, 2), pillow_pdf("RGB", 400, 1), pillow_pdf("1", 300, 2)),
    ):
        data = resaved(data, **options)
        assert by_columns(data) == by_objects(data)


def test_a_stations_file_is_read_by_columns():
    found = by_columns(scan_pdf(5))
    assert [round(dpi) for dpi, _ in found] == [300] * 5
    assert {mode for _, mode in found} == {"L"}
    assert read_pages(scan_pdf(5)).dpi == 300


@pytest.mark.parametrize(
    ("page", "image", "content"),
    [
        (b"/UserUnit 2", b"", b""),  # a unit the columns do not scale by
        (b"", b"/Filter /JBIG2Decode", b""),  # read: a bilevel filter
        (b"", b"/ImageMask true", b""),
        (b"", b"", b"q 144 0 0 180 0 0 cm /Im0 Do Q q 72 0 0 90 0 0 cm /Im0 Do Q"),
        (b"", b"", b"q 0 180 -144 0 144 0 cm /Im0 Do Q"),  # a quarter turn
        (b"", b"", b"q 144 0 0 180 0 0 cm /Im9 Do Q"),  # an image not in the resources
        (b"", b"", b"q 0 0 0 0 0 0 cm /Im0 Do Q"),  # placed at no size
    ],
)
def test_the_objects_read_what_the_columns_turn_away_and_agree_with_what_they_read(
    page, image, content
):
    data = scan_pdf(3, page, image, content)
    try:
        fast = by_columns(data)
    except Unsure:
        return
    assert fast == by_objects(data)


def _damaged(data: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new) and old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"5 0 obj", b"9 0 obj"),  # the table's offset points at another object
        (b"/Length 30 >>", b"/Length 35 >>"),  # a content stream longer than its data
        (b"/Im0 5 0 R", b"/Im0 3 0 R"),  # an XObject that is a page
        (b"/Kids [3 0 R 6 0 R", b"/Kids [3 0 R 3 0 R"),  # a page named twice
        (b"/ColorSpace /DeviceGray", b"/ColorSpace /Separation"),  # a space said elsewhere
    ],
)
def test_a_damaged_or_unusual_structure_is_turned_over_to_the_object_reader(old, new):
    data = _damaged(scan_pdf(3), old, new)
    with pytest.raises(Unsure):
        by_columns(data)


def test_a_size_held_apart_is_turned_over_to_the_object_reader():
    data = scan_pdf(2, image=b"/Width 6 0 R")  # the later /Width holds: a reference
    with pytest.raises(Unsure):
        by_columns(data)


def test_a_file_damaged_where_the_columns_look_is_never_read_as_sound(tmp_path: Path):
    sound = scan_pdf(4)
    for old, new in (
        (b"5 0 obj", b"9 0 obj"),
        (b"/Length 30 >>", b"/Length 99 >>"),
        (b"endstream\nendobj\n6 0 obj", b"endstreak\nendobj\n6 0 obj"),
    ):
        path = tmp_path / "x.pdf"
        path.write_bytes(_damaged(sound, old, new))
        facts = inspect_file(str(path))
        assert facts.integrity != "ok" or (facts.pages, facts.dpi) == (4, 300)


def test_xref_entries_are_read_in_either_form_and_a_damaged_one_is_turned_away():
    data = scan_pdf(2)
    table = data.index(b"0000000000 65535 f \n")
    end = data.index(b"trailer")
    crlf = data[:table] + data[table:end].replace(b" \n", b"\r\n") + data[end:]
    assert Document(crlf).entries == Document(data).entries
    assert by_columns(crlf) == by_columns(data)
    mixed = data[:table] + data[table:end].replace(b" \n", b"\r\n", 2) + data[end:]
    assert Document(mixed).entries == Document(data).entries  # forms mixed: checked entry by entry
    for at in (table + 20, table + 31, table + 37):  # a digit, a space, an "n"
        damaged = data[:at] + b"x" + data[at + 1 :]
        with pytest.raises(Unsure):
            Document(damaged)


def test_a_file_the_bytes_reader_reads_loads_no_pdf_library(tmp_path: Path):
    import subprocess
    import sys

    path = tmp_path / "scan.pdf"
    path.write_bytes(scan_pdf(3))
    code = (
        "import sys; from khaudit.scan.inspect import inspect_file; "
        f"facts = inspect_file({str(path)!r}); "
        "print(facts.pages, facts.dpi, facts.integrity, 'pikepdf' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "300", "ok", "False"]


def test_matplotlib_figures_read_at_their_resolution_as_pikepdf_reads_them():
    """matplotlib's PDF backend: a writer the bench's generator does not use; it keeps each
    page's resources apart, so the object reader reads the file, to the same figures."""
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from khaudit.scan.pdfdoc import read_pdf

    out = io.BytesIO()
    with PdfPages(out) as pdf:
        for dpi in (300, 200, 240):
            figure = Figure(figsize=(2, 2.5), dpi=dpi)
            figure.figimage(np.full((int(2.5 * dpi), 2 * dpi, 3), 90, dtype=np.uint8))
            pdf.savefig(figure, dpi=dpi)
    data = out.getvalue()
    mine, theirs = read_pages(data), read_pdf(io.BytesIO(data))
    assert (mine.pages, mine.dpi) == (3, 200)
    assert mine.page_dpi == pytest.approx([300, 200, 240])
    assert (mine.pages, mine.dpi, mine.color_mode, mine.page_dpi) == (
        theirs.pages,
        theirs.dpi,
        theirs.color_mode,
        theirs.page_dpi,
    )
