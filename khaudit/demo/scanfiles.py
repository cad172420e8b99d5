"""Real scan files for the demo: multi-page PDFs, multi-page TIFFs and JPG page series.

Pages are small grey images with the record's label, the page number and random strokes, so
every file has unique bytes and a real page count, yet the demo province stays a few MB.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

PAGE_SIZE = (120, 170)
DPI = 200


def _page(label: str, number: int, rng: random.Random) -> Image.Image:
    image = Image.new("L", PAGE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    draw.text((6, 6), label[:18], fill=0)
    draw.text((6, 150), f"{number}", fill=0)
    for _ in range(12):
        x0, y0 = rng.randrange(PAGE_SIZE[0]), rng.randrange(20, 140)
        draw.line(
            (x0, y0, x0 + rng.randrange(10, 60), y0 + rng.randrange(-3, 4)),
            fill=rng.randrange(0, 120),
            width=1,
        )
    return image


def pages(label: str, count: int, rng: random.Random) -> list[Image.Image]:
    return [_page(label, i + 1, rng) for i in range(count)]


def pdf_bytes(label: str, count: int, rng: random.Random) -> bytes:
    images = pages(label, count, rng)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return buffer.getvalue()


def tiff_bytes(label: str, count: int, rng: random.Random) -> bytes:
    images = pages(label, count, rng)
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        "TIFF",
        save_all=True,
        append_images=images[1:],
        compression="tiff_deflate",
        dpi=(DPI, DPI),
    )
    return buffer.getvalue()


def jpeg_series(label: str, count: int, rng: random.Random) -> list[bytes]:
    out = []
    for image in pages(label, count, rng):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=60, dpi=(DPI, DPI))
        out.append(buffer.getvalue())
    return out


def truncate(data: bytes, share: float = 0.6) -> bytes:
    """A file cut short, as an interrupted copy leaves it."""
    return data[: max(16, int(len(data) * share))]


def with_text_layer(data: bytes, lines: list[str]) -> bytes:
    """``data`` (a PDF) with an OCR text layer over its first page, as scanning software that
    makes searchable PDFs writes one: invisible text (render mode 3) in a font that carries no
    glyphs, only a ToUnicode map, so any reader extracts the lines and nobody sees them."""
    import pikepdf

    alphabet = sorted({ch for line in lines for ch in line})
    code = {ch: i + 1 for i, ch in enumerate(alphabet)}
    pairs = "".join(f"<{code[ch]:04X}> <{ord(ch):04X}>\n" for ch in alphabet)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(alphabet)} beginbfchar\n{pairs}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        height = float(page.mediabox[3])
        font = pdf.make_indirect(_glyphless_font(pdf, cmap))
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        fonts = resources.get("/Font", pikepdf.Dictionary())
        fonts["/FKh"] = font
        resources["/Font"] = fonts
        page.obj.Resources = resources
        body = ["BT", "3 Tr", "/FKh 2 Tf"]
        for i, line in enumerate(lines):
            hexed = "".join(f"{code[ch]:04X}" for ch in line)
            body.append(f"1 0 0 1 2 {height - 4 - 3 * i:.1f} Tm <{hexed}> Tj")
        body.append("ET")
        text = pdf.make_stream("\n".join(body).encode())
        contents = page.obj.get("/Contents")
        page.obj.Contents = pikepdf.Array(
            [*(contents if isinstance(contents, pikepdf.Array) else [contents]), text]
        )
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _glyphless_font(pdf, cmap: bytes):
    """A Type 0 font with no glyph program: its ToUnicode map is all a reader needs."""
    import pikepdf

    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name.GlyphLessFont,
        Flags=5,
        FontBBox=[0, 0, 500, 1000],
        ItalicAngle=0,
        Ascent=1000,
        Descent=0,
        CapHeight=1000,
        StemV=80,
    )
    descendant = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name.GlyphLessFont,
        CIDToGIDMap=pikepdf.Name.Identity,
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=descriptor,
        DW=500,
    )
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=pikepdf.Name.GlyphLessFont,
        Encoding=pikepdf.Name("/Identity-H"),
        ToUnicode=pdf.make_stream(cmap),
        DescendantFonts=[descendant],
    )


def cover_lines(fonds: str, title: str, code: str) -> list[str]:
    """The first page of a record as offices make it: the fonds, "HỒ SƠ", the title in
    capitals, the code line."""
    return [fonds.upper(), "HỒ SƠ", title.upper(), f"Mã hồ sơ: {code}"]
