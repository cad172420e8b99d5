"""The bytes reader (pdfpages.py) reads what pikepdf reads, or hands the file to pikepdf."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image

from khaudit.scan import inspect as inspect_module
from khaudit.scan.inspect import inspect_file
from khaudit.scan.pdf import Malformed
from khaudit.scan.pdfdoc import read_pdf
from khaudit.scan.pdfobjects import parse_object
from khaudit.scan.pdfpages import Unsure, read_pages


def pillow_pdf(mode: str, dpi: int, pages: int, inches=(2.0, 2.5)) -> bytes:
    size = (int(dpi * inches[0]), int(dpi * inches[1]))
    images = [Image.new(mode, size, 200 if mode in ("1", "L") else (9, 8, 7)) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def resaved(data: bytes, pdfa: str = "", **options) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdfa:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["pdfaid:part"], meta["pdfaid:conformance"] = pdfa[0], pdfa[1]
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()


def merged(*parts: bytes) -> bytes:
    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def classic(objects: list[bytes]) -> bytes:
    """A classic-xref PDF around ``objects`` (1: catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
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


def with_xref_stream(objects: list[bytes]) -> bytes:
    """The same objects behind an uncompressed cross-reference stream (/W [1 4 2])."""
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets.append(len(out))
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets
    )
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        len(offsets),
        len(offsets) + 1,
        len(rows),
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[-1]
    return bytes(out)


def stream(head: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (head, len(data)) + data + b"\nendstream"


def image(width: int, height: int, head: bytes = b"/ColorSpace /DeviceGray /BitsPerComponent 8"):
    return stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d " % (width, height) + head, b""
    )


def pages_pdf(pages: list[tuple[bytes, bytes]], extra: list[bytes], tree: bytes = b"") -> bytes:
    """Catalog (1), page tree (2), then each page (3, 5, ...) followed by its content stream;
    ``extra`` objects follow, numbered on. A page is (its dictionary's extra entries, its
    content)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for entries, content in pages:
        number = len(objects) + 1
        kids.append(b"%d 0 R" % number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s /Contents %d 0 R >>"
            % (entries, number + 1)
        )
        objects.append(stream(b"", content))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d %s >>" % (
        b" ".join(kids),
        len(pages),
        tree,
    )
    return classic(objects + extra)


def facts(data: bytes) -> tuple:
    found = read_pages(data)
    return found.pages, found.dpi, found.color_mode, found.pdfa


def agree(data: bytes) -> tuple:
    """The bytes reader's facts, checked equal to pikepdf's, page by page."""
    mine, theirs = read_pages(data), read_pdf(io.BytesIO(data))
    assert (mine.pages, mine.dpi, mine.color_mode, mine.pdfa) == (
        theirs.pages,
        theirs.dpi,
        theirs.color_mode,
        theirs.pdfa,
    )
    assert mine.page_dpi == pytest.approx(theirs.page_dpi)
    return mine.pages, mine.dpi, mine.color_mode, mine.pdfa


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"object_stream_mode": pikepdf.ObjectStreamMode.generate},
        {"object_stream_mode": pikepdf.ObjectStreamMode.generate, "linearize": True},
        {"compress_streams": False, "object_stream_mode": pikepdf.ObjectStreamMode.disable},
    ],
)
def test_structures_as_qpdf_writes_them(options):
    for mode, dpi in (("1", 300), ("L", 200), ("RGB", 150)):
        assert agree(resaved(pillow_pdf(mode, dpi, 3), **options)) == (3, dpi, mode, "")


def test_pdfa_claims_and_mixed_pages_report_the_lowest():
    data = resaved(pillow_pdf("RGB", 300, 2), pdfa="2B", object_stream_mode=1)
    assert agree(data) == (2, 300, "RGB", "2B")
    mixed = merged(pillow_pdf("RGB", 300, 2), pillow_pdf("1", 150, 1), pillow_pdf("L", 400, 2))
    assert agree(mixed) == (5, 150, "1", "")
    assert agree(resaved(mixed, object_stream_mode=pikepdf.ObjectStreamMode.generate))[1] == 150


def test_an_incremental_update_is_read_through_its_previous_sections():
    base = pillow_pdf("L", 240, 2)
    writer = pypdf.PdfWriter(io.BytesIO(base), incremental=True)
    writer.add_metadata({"/Title": "Hồ sơ 12"})
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(base)
    assert agree(out.getvalue()) == (2, 240, "L", "")


def test_fpdf2_pages_placed_at_their_size():
    import fpdf

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (1200, 800), (10, 20, 30)), x=10, y=10, w=101.6)  # 4 in
    pdf.add_page()
    pdf.image(Image.new("L", (900, 900), 128), x=10, y=10, w=76.2)  # 3 in
    assert agree(bytes(pdf.output())) == (2, 300, "L", "")


def test_placements_units_colour_spaces_and_inheritance():
    icc = stream(b"/N 1", b"")
    data = pages_pdf(
        [
            # a quarter turn, 600x800 px over 144x192 pt: 300 dpi; a named colour space
            (
                b"/Resources << /XObject << /Im0 9 0 R >> /ColorSpace << /CS0 /DeviceRGB >> >>",
                b"q 0 144 -192 0 300 36 cm /Im0 Do Q",
            ),
            # UserUnit 2: the placed size doubles, the resolution halves; an ICC grey image
            (
                b"/UserUnit 2 /Resources << /XObject << /Im1 10 0 R >> >>",
                b"q 72 0 0 72 0 0 cm /Im1 Do Q",
            ),
            # an image drawn twice at different sizes: the sharper placement is the page's
            (
                b"/Resources << /XObject << /Im0 11 0 R >> >>",
                b"q 288.5 0 0 288.5 0 0 cm /Im0 Do Q\nq 144 0 0 144 0 0 cm /Im0 Do Q",
            ),
        ],
        [
            image(600, 800, b"/ColorSpace /CS0 /BitsPerComponent 8"),
            image(400, 400, b"/ColorSpace [/ICCBased 12 0 R] /BitsPerComponent 8"),
            image(
                600, 600, b"/ColorSpace [/Indexed /DeviceRGB 1 <00FF00FF00FF>] /BitsPerComponent 1"
            ),
            icc,
        ],
    )
    assert agree(data) == (3, 200, "L", "")
    assert read_pages(data).page_dpi == pytest.approx([300.0, 400 / 2, 600 / (144 / 72)])


def test_a_nested_page_tree_inherits_resources():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3"
        b" /Resources << /XObject << /Im0 8 0 R >> >> >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 7 0 R"
        b" /Resources << /XObject << /Im0 9 0 R >> >> >>",
        b"<< /Type /Page /Parent 3 0 R /Contents 7 0 R >>",
        b"<< /Type /Page /Parent 3 0 R /Contents 7 0 R >>",
        stream(b"", b"q 144 0 0 144 0 0 cm /Im0 Do Q"),
        image(300, 300),
        image(800, 800, b"/ImageMask true"),
    ]
    data = classic(objects)
    assert agree(data) == (3, 150, "1", "")
    assert read_pages(data).page_dpi == pytest.approx([150.0, 150.0, 400.0])


def test_content_streams_through_a_chain_of_filters():
    import base64
    import zlib

    content = b"q 144 0 0 144 0 0 cm /Im0 Do Q"
    encoded = {
        b"/Filter [/ASCII85Decode /FlateDecode]": base64.a85encode(zlib.compress(content)) + b"~>",
        b"/Filter /ASCIIHexDecode": content.hex().encode() + b">",
    }
    for head, data in encoded.items():
        pdf = classic(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R"
                b" /Resources << /XObject << /Im0 5 0 R >> >> >>",
                stream(head, data),
                image(450, 450),
            ]
        )
        assert agree(pdf) == (1, 225, "L", "")


def test_objects_with_strings_comments_and_escapes_are_parsed_token_by_token():
    assert parse_object(b"<< /Lang (vi (VN)) /A#20B <48 6 9> /N -.5 /K [1 0 R true null] >>") == {
        "/Lang": b"vi (VN)",
        "/A B": b"Hi",
        "/N": -0.5,
        "/K": [(1, 0), True, None],
    }
    data = pages_pdf(
        [
            (
                b"/Resources << /XObject << /Im0 5 0 R >> >> /PieceInfo (a % b) % note\n",
                b"q 72 0 0 72 0 0 cm /Im0 Do Q",
            )
        ],
        [image(200, 200)],
    )
    assert agree(data) == (1, 200, "L", "")


@pytest.mark.parametrize(
    "case",
    ["form", "inline image", "text", "no cross-reference", "offset off", "owner password"],
)
def test_what_the_bytes_reader_leaves_to_pikepdf(tmp_path: Path, case: str):
    resources = b"/Resources << /XObject << /Im0 5 0 R >> >>"
    content, extra = b"q 144 0 0 144 0 0 cm /Im0 Do Q", [image(600, 600)]
    if case == "form":
        extra = [
            stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 1 1]"
                b" /Resources << /XObject << /Im1 6 0 R >> >>",
                b"q 144 0 0 144 0 0 cm /Im1 Do Q",
            ),
            image(600, 600),
        ]
        content = b"q /Im0 Do Q"
    elif case == "inline image":
        content += b" q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q"
    elif case == "text":
        resources = b"/Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R >> >>"
        content += b" BT /F1 12 Tf (Ho so 12) Tj ET"
        extra.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    data = pages_pdf([(resources, content)], extra)
    if case == "no cross-reference":  # pikepdf rebuilds the table by scanning the file
        data = data[: data.index(b"xref")] + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    if case == "offset off":
        at = data.index(b"xref\n0 ") + len(b"xref\n0 7\n") + 20 * 3
        entry = int(data[at : at + 10])
        data = data[:at] + b"%010d" % (entry + 2) + data[at + 10 :]
    if case == "owner password":
        data = resaved(data, encryption=pikepdf.Encryption(owner="chu tich", user=""))
    with pytest.raises(Unsure):
        read_pages(data)
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    found = inspect_file(str(path))
    assert (found.integrity, found.pages, found.dpi) == ("ok", 1, 300)


@pytest.mark.parametrize("count", [b"-3", b"100001", b"100000000000000000000000"])
def test_impossible_counts_behind_a_cross_reference_stream_are_unparsable(tmp_path: Path, count):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count " + count + b" >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im0 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        stream(b"", b"q 72 0 0 72 0 0 cm /Im0 Do Q"),
        image(300, 300),
    ]
    assert agree(
        with_xref_stream(objects[:1] + [objects[1].replace(count, b"1")] + objects[2:])
    ) == (
        1,
        300,
        "L",
        "",
    )
    data = with_xref_stream(objects)
    with pytest.raises(Malformed):
        read_pages(data)
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    found = inspect_file(str(path))
    assert found.integrity == "unparsable" and found.pages is None


def test_damaged_files_never_raise(tmp_path: Path):
    base = resaved(
        merged(pillow_pdf("L", 200, 2), pillow_pdf("RGB", 150, 1)),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=False,
    )
    rng = random.Random(16)
    allowed = inspect_module._NOT_VOUCHED + (Malformed,)
    answered = 0
    for _ in range(150):
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            data[at : at + 1] = rng.choice(
                [b"", b"0", b"9", b"<", b"]", b" ", b"R", bytes([rng.randrange(256)])]
            )
        try:
            found = read_pages(bytes(data))
        except allowed:
            continue
        answered += 1
        assert 0 <= found.pages <= 100_000
    assert answered > 0  # most small damage elsewhere than the objects read leaves them readable
    path = tmp_path / "f.pdf"
    for _ in range(20):
        path.write_bytes(base[: rng.randrange(len(base))] + b"%%EOF\n")
        assert inspect_file(str(path)).integrity in ("ok", "truncated", "unparsable")


def test_a_scan_uses_the_bytes_reader_and_pikepdf_only_when_needed(tmp_path: Path, monkeypatch):
    calls = []
    import khaudit.scan.pdfdoc as pdfdoc

    real = pdfdoc.read_pdf
    monkeypatch.setattr(pdfdoc, "read_pdf", lambda source, *a: calls.append(1) or real(source, *a))
    path = tmp_path / "a.pdf"
    path.write_bytes(
        resaved(pillow_pdf("L", 240, 3), object_stream_mode=pikepdf.ObjectStreamMode.generate)
    )
    assert (inspect_file(str(path)).pages, inspect_file(str(path)).dpi) == (3, 240)
    assert calls == []
    path.write_bytes(
        resaved(pillow_pdf("L", 240, 3), encryption=pikepdf.Encryption(owner="x", user=""))
    )
    assert inspect_file(str(path)).dpi == 240 and calls == [1]


def test_objects_of_many_shapes_are_parsed_without_a_function_each():
    from khaudit.scan import pdfobjects

    segments = [b"<< /Key%s %d >>" % (b"x" * i, i) for i in range(500)]
    before = len(pdfobjects._shapes)
    found = pdfobjects.parse_many(segments)
    assert [value for _, value in found][7] == {"/Key" + "x" * 7: 7}
    assert len(pdfobjects._shapes) <= before  # none learned: each was parsed token by token


def test_68_mb_of_empty_cross_reference_subsections_cost_little_memory(tmp_path: Path):
    import subprocess
    import sys

    base = pillow_pdf("L", 100, 1)
    xref_at = base.rindex(b"xref")
    path = tmp_path / "bom.pdf"
    with open(path, "wb") as out:
        out.write(base[:xref_at] + b"xref\n")
        for _ in range(17):
            out.write(b"0 0\n" * 1_000_000)  # 68 MB of subsections that list no object
        out.write(b"trailer\n<< /Size 9 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    assert path.stat().st_size > 68_000_000
    probe = (
        "import resource, sys\n"
        "from khaudit.scan.inspect import inspect_file\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "found = inspect_file(sys.argv[1])\n"
        "grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before\n"
        "print(found.integrity, grown, found.integrity_note)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    )
    verdict, grown_kb, note = done.stdout.split(" ", 2)
    assert verdict == "unparsable" and "subsections" in note
    assert int(grown_kb) < 40_000  # read in 8 MB chunks and turned away early, never held whole


def test_a_cross_reference_stream_cannot_ask_for_more_entries_than_it_holds():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im0 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        stream(b"", b"q 72 0 0 72 0 0 cm /Im0 Do Q"),
        image(300, 300),
    ]
    data = with_xref_stream(objects)
    assert agree(data) == (1, 300, "L", "")
    for index in (b"/Index [0 1000000000]", b"/Index [0 -5 0 7]"):
        with pytest.raises(Unsure):
            read_pages(data.replace(b"/Type /XRef", b"/Type /XRef " + index))
