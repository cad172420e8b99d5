"""Fast PDF page counts agree with pypdf, and fall back to it when they cannot tell."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdf
import pytest

from khaudit.demo import scanfiles as sf
from khaudit.scan import inspect as inspect_module
from khaudit.scan.pdf import Encrypted, count_pages


def pages_of(data: bytes) -> int | None:
    return count_pages(lambda o, n: data[o : o + n], len(data))


def blank_pdf(pages: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("pages", [1, 3, 40])
def test_agrees_with_pypdf(pages):
    for data in (sf.pdf_bytes("x", pages, random.Random(pages)), blank_pdf(pages)):
        assert pages_of(data) == len(pypdf.PdfReader(io.BytesIO(data)).pages) == pages


def test_incremental_update_is_counted(tmp_path: Path):
    path = tmp_path / "base.pdf"
    path.write_bytes(blank_pdf(2))
    writer = pypdf.PdfWriter(path, incremental=True)
    writer.add_blank_page(100, 100)
    updated = io.BytesIO()
    writer.write(updated)
    data = updated.getvalue()
    assert b"/Prev" in data
    # pypdf writes its update with a cross-reference stream: the fast path says it cannot
    # tell, and the inspection asks pypdf, which follows /Prev.
    assert pages_of(data) in (None, 3)
    target = tmp_path / "updated.pdf"
    target.write_bytes(data)
    facts = inspect_module.inspect_file(str(target))
    assert (facts.pages, facts.integrity) == (3, "ok")


def test_encrypted_is_reported():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(Encrypted):
        pages_of(out.getvalue())


def test_unknown_structure_returns_none_and_inspection_falls_back(tmp_path: Path, monkeypatch):
    assert pages_of(b"%PDF-1.7\nnot a real body\n%%EOF\n") is None
    path = tmp_path / "x.pdf"
    path.write_bytes(sf.pdf_bytes("x", 6, random.Random(1)))
    monkeypatch.setattr(inspect_module, "count_pages", lambda read_at, size: None)
    facts = inspect_module.inspect_file(str(path))
    assert (facts.pages, facts.integrity) == (6, "ok")


# -- verdicts that hold, and what pikepdf reads of the pages ------------------------------------

import pikepdf  # noqa: E402
from PIL import Image  # noqa: E402

from khaudit.scan.inspect import inspect_file  # noqa: E402
from khaudit.scan.pdf import Malformed  # noqa: E402
from khaudit.scan.pdfdoc import pdfa_claim, read_pdf  # noqa: E402


def classic_pdf(objects: list[bytes], tail: bytes = b"") -> bytes:
    """A PDF with a correct classic cross-reference table around ``objects`` (1: catalog)."""
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
    return bytes(out) + tail


def stream(head: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (head, len(data)) + data + b"\nendstream"


def one_page(content: bytes, xobjects: bytes, extra: list[bytes], count: bytes = b"1") -> bytes:
    """Catalog, pages, one page drawing ``content``; ``extra`` objects are numbered from 5."""
    return classic_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count " + count + b" >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << "
            + xobjects
            + b" >> >> /Contents 4 0 R >>",
            stream(b"", content),
            *extra,
        ]
    )


def gray_image(width: int, height: int, bits: int = 8, space: bytes = b"/DeviceGray") -> bytes:
    data = bytes((width * bits + 7) // 8 * height)
    return stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
        b"/BitsPerComponent %d" % (width, height, space, bits),
        data,
    )


def facts_of(tmp_path: Path, data: bytes, name: str = "f.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return inspect_file(str(path))


def pikepdf_saved(data: bytes, **options) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()


def pillow_pdf(mode: str, size: tuple[int, int], dpi: int, pages: int = 1) -> bytes:
    images = [
        Image.new(mode, size, 255 if mode in ("1", "L") else (250, 240, 230)) for _ in range(pages)
    ]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def test_owner_password_only_is_readable_user_password_is_encrypted(tmp_path: Path):
    base = pillow_pdf("L", (300, 400), 150, pages=2)
    owner_only = pikepdf_saved(
        base,
        encryption=pikepdf.Encryption(
            owner="chairman", user="", allow=pikepdf.Permissions(extract=False, modify_other=False)
        ),
    )
    facts = facts_of(tmp_path, owner_only, "owner.pdf")
    assert (facts.integrity, facts.pages, facts.dpi) == ("ok", 2, 150)
    # pypdf writes a classic table: the fast path sees /Encrypt, pikepdf opens it unasked
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(base))
    writer.encrypt(user_password="", owner_password="chairman")
    out = io.BytesIO()
    writer.write(out)
    facts = facts_of(tmp_path, out.getvalue(), "owner-pypdf.pdf")
    assert (facts.integrity, facts.pages) == ("ok", 2)
    locked = pikepdf_saved(base, encryption=pikepdf.Encryption(owner="chairman", user="open"))
    assert facts_of(tmp_path, locked, "user.pdf").integrity == "encrypted"


@pytest.mark.parametrize("tail", [b"\x00" * 5000, b"\r\n" * 3000, b"\n%padding from a station\n"])
def test_bytes_after_eof_are_not_truncation(tmp_path: Path, tail: bytes):
    data = pillow_pdf("L", (200, 300), 200) + tail
    facts = facts_of(tmp_path, data)
    assert (facts.integrity, facts.pages, facts.dpi) == ("ok", 1, 200)


def test_cut_files_are_still_truncated(tmp_path: Path):
    data = pillow_pdf("L", (400, 600), 200, pages=3)
    assert facts_of(tmp_path, data[: len(data) // 2], "cut.pdf").integrity == "truncated"
    linear = pikepdf_saved(data, linearize=True)
    assert linear.find(b"%%EOF") < len(linear) // 2  # the first-page section's own marker
    assert (
        facts_of(tmp_path, linear[: int(len(linear) * 0.8)], "cut-linear.pdf").integrity
        == "truncated"
    )


def test_a_large_bilevel_tiff_is_read_from_its_header(tmp_path: Path):
    path = tmp_path / "ban-do.tif"
    Image.new("1", (20000, 10000), 1).save(path, compression="group4", dpi=(400, 400))
    facts = inspect_file(str(path))
    assert (facts.integrity, facts.pages, facts.dpi, facts.color_mode) == ("ok", 1, 400, "1")
    assert Image.MAX_IMAGE_PIXELS is not None  # the guard is back for code that decodes


@pytest.mark.parametrize("count", [b"100000000000000000000000", b"-3", b"100001"])
def test_impossible_page_counts_are_unparsable(tmp_path: Path, count: bytes):
    data = one_page(b"q 612 0 0 792 0 0 cm /Im0 Do Q", b"/Im0 5 0 R", [gray_image(8, 8)], count)
    with pytest.raises(Malformed):
        pages_of(data)
    facts = facts_of(tmp_path, data)
    assert facts.integrity == "unparsable" and facts.pages is None
    # pikepdf reaches the same verdict when the fast path cannot read the table
    from khaudit.scan.pdfdoc import Unreadable

    with pytest.raises(Unreadable) as caught:
        read_pdf(io.BytesIO(data))
    assert caught.value.verdict == "unparsable"


def test_an_absurd_count_never_reaches_sqlite(tmp_path: Path):
    from khaudit.scan.catalogue import scan_roots

    root = tmp_path / "scans"
    root.mkdir()
    (root / "a.pdf").write_bytes(
        one_page(b"/Im0 Do", b"/Im0 5 0 R", [gray_image(8, 8)], b"100000000000000000000000")
    )
    files = scan_roots("x", [root]).files
    assert list(files["integrity"]) == ["unparsable"]


def test_xref_parsing_is_bounded(tmp_path: Path):
    base = pillow_pdf("L", (50, 50), 100)
    xref_at = base.rindex(b"xref")
    bomb = (
        base[:xref_at]
        + b"xref\n"
        + b"0 0\n" * 500_000
        + b"trailer\n<< /Size 9 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    reads = []

    def read_at(offset: int, n: int) -> bytes:
        reads.append(n)
        return bomb[offset : offset + n]

    with pytest.raises(Malformed):
        count_pages(read_at, len(bomb))
    assert len(reads) < 5000  # stopped after the first few thousand subsections, not 500,000
    facts = facts_of(tmp_path, bomb)
    assert facts.integrity == "unparsable" and "subsections" in facts.integrity_note


def test_resolution_is_the_placed_size_not_the_media_box(tmp_path: Path):
    # 600×800 pixels drawn at 144×192 pt (2×2.67 in): 300 dpi, whatever the page size
    data = one_page(b"q 144 0 0 192 36 36 cm /Im0 Do Q", b"/Im0 5 0 R", [gray_image(600, 800)])
    facts = facts_of(tmp_path, data)
    assert (facts.dpi, facts.color_mode, facts.pages) == (300, "L", 1)
    # rotated a quarter turn: the image's width runs up the page
    data = one_page(b"q 0 144 -192 0 300 36 cm /Im0 Do Q", b"/Im0 5 0 R", [gray_image(600, 800)])
    assert facts_of(tmp_path, data, "rotated.pdf").dpi == 300
    # placed through a form XObject that halves it: twice the resolution
    form = stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 1000 1000] /Matrix [0.5 0 0 0.5 0 0]"
        b" /Resources << /XObject << /Im1 6 0 R >> >>",
        b"q 144 0 0 192 0 0 cm /Im1 Do Q",
    )
    data = one_page(b"q /Fm0 Do Q", b"/Fm0 5 0 R", [form, gray_image(600, 800)])
    assert facts_of(tmp_path, data, "form.pdf").dpi == 600


def test_page_takes_its_sharpest_image_file_its_poorest_page(tmp_path: Path):
    # a mixed-raster page: 300 dpi bilevel mask over a 100 dpi colour background
    content = (
        b"q 612 0 0 792 0 0 cm /Bg Do Q q 612 0 0 792 0 0 cm /Mask Do Q "
        b"BT /F1 12 Tf (q Q 1 0 0 1 0 0 cm) Tj ET"
    )
    data = one_page(
        content,
        b"/Bg 5 0 R /Mask 6 0 R",
        [gray_image(850, 1100, space=b"/DeviceRGB"), gray_image(2550, 3300, 1)],
    )
    facts = facts_of(tmp_path, data)
    assert (facts.dpi, facts.color_mode) == (300, "RGB")
    two = pypdf.PdfWriter()
    for part in (pillow_pdf("RGB", (1700, 2200), 200), pillow_pdf("1", (2550, 3300), 300)):
        two.append(io.BytesIO(part))
    out = io.BytesIO()
    two.write(out)
    facts = facts_of(tmp_path, out.getvalue(), "two.pdf")
    assert (facts.pages, facts.dpi, facts.color_mode) == (2, 200, "1")


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"object_stream_mode": pikepdf.ObjectStreamMode.generate},
        {"object_stream_mode": pikepdf.ObjectStreamMode.generate, "linearize": True},
    ],
)
def test_writers_and_structures_agree(tmp_path: Path, options):
    for mode, dpi in (("1", 300), ("L", 200), ("RGB", 150)):
        data = pikepdf_saved(pillow_pdf(mode, (dpi * 2, dpi * 3), dpi, pages=3), **options)
        facts = facts_of(tmp_path, data)
        assert (facts.integrity, facts.pages, facts.dpi, facts.color_mode) == ("ok", 3, dpi, mode)


def test_fpdf2_placement(tmp_path: Path):
    import fpdf

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (1200, 800), (10, 20, 30)), x=10, y=10, w=101.6)  # 4 in
    pdf.add_page()
    pdf.image(Image.new("L", (900, 900), 128), x=10, y=10, w=76.2)  # 3 in
    facts = facts_of(tmp_path, bytes(pdf.output()))
    assert (facts.pages, facts.dpi, facts.color_mode) == (2, 300, "L")


def xmp(body: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        + body
        + '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


@pytest.mark.parametrize(
    "body, claim",
    [
        (
            '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
            'pdfaid:part="1" pdfaid:conformance="B"/>',
            "1B",
        ),
        (
            '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
            "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>u</pdfaid:conformance>"
            "</rdf:Description>",
            "2U",
        ),
        (
            '<rdf:Description rdf:about="" xmlns:a="http://www.aiim.org/pdfa/ns/id/" a:part="3" '
            'a:conformance="A"/>',
            "3A",
        ),
        (
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:format>application/pdf</dc:format></rdf:Description>",
            "",
        ),
    ],
)
def test_pdfa_claims_are_read_exactly(tmp_path: Path, body: str, claim: str):
    with pikepdf.open(io.BytesIO(pillow_pdf("L", (200, 200), 200))) as pdf:
        pdf.Root.Metadata = pdf.make_stream(
            xmp(body), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )
        assert pdfa_claim(pdf) == claim
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert facts_of(tmp_path, out.getvalue()).pdfa == claim


def test_pikepdf_metadata_claims(tmp_path: Path):
    for part, conformance in (("1", "B"), ("2", "B")):
        with pikepdf.open(io.BytesIO(pillow_pdf("L", (200, 200), 200))) as pdf:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["pdfaid:part"] = part
                meta["pdfaid:conformance"] = conformance
            out = io.BytesIO()
            pdf.save(out)
        assert read_pdf(io.BytesIO(out.getvalue())).pdfa == part + conformance
