"""What a PDF's pages say about its scanning, read with pikepdf (qpdf): pages, each page's image
resolution and colour, the PDF/A claim, encryption.

Resolution is what the page shows, not what the image file claims: an image of W×H pixels drawn
by the content stream through the current transformation matrix covers |(a, b)| × |(c, d)|
points, so its effective resolution is W over that width in inches (and H over the height);
the smaller of the two is the image's. A page's resolution is that of its sharpest image (a
mixed-raster page pairs a 300 dpi text mask with a deliberately coarse background, and it was
scanned at 300 dpi); a page's colour is its richest image's. The file's figures are its poorest
page's: the lowest resolution and the poorest colour, since the standard binds every page.

Only the operators that place images are parsed (q, Q, cm, Do, inline images), through form
XObjects up to a small depth, so a page of OCR text costs little more than a bare scan.
"""

from __future__ import annotations

import math
from typing import Any

import pikepdf

from .colour import color_rank
from .pagetext import layer_text
from .pdf import MAX_PAGES
from .pdfpages import IDENTITY as _IDENTITY
from .pdfpages import SHOWS_TEXT as _SHOWS_TEXT
from .pdfpages import Matrix, PdfFacts, instructions_of, xmp_claim
from .pdfpages import matrix_of as _matrix
from .pdfpages import times as _times

_FORM_DEPTH = 4  # forms inside forms, at most: deeper nesting is not what scanners write
_OPERATORS = "q Q cm Do"


class Unreadable(Exception):
    """The PDF cannot be read: the message says why (integrity verdict, then the note)."""

    def __init__(self, verdict: str, note: str):
        super().__init__(note)
        self.verdict, self.note = verdict, note


def _color_of(space: Any, bits: int, resources: Any, depth: int = 0) -> str:
    """A colour space as a Pillow mode name ("" when it cannot be told)."""
    if isinstance(space, pikepdf.Name):
        name = str(space)
        if name == "/DeviceGray" or name == "/CalGray" or name == "/G":
            return "1" if bits == 1 else "L"
        if name in ("/DeviceRGB", "/CalRGB", "/RGB"):
            return "RGB"
        if name in ("/DeviceCMYK", "/CMYK"):
            return "CMYK"
        if name == "/Lab":
            return "LAB"
        named = resources.get("/ColorSpace") if resources is not None else None
        if depth < 2 and isinstance(named, pikepdf.Dictionary) and name in named:
            return _color_of(named[name], bits, resources, depth + 1)
        return ""
    if isinstance(space, pikepdf.Array) and len(space) and depth < 3:
        family = str(space[0])
        if family == "/ICCBased" and len(space) > 1:
            n = int(space[1].get("/N", 3))
            return {1: "1" if bits == 1 else "L", 3: "RGB", 4: "CMYK"}.get(n, "")
        if family in ("/Indexed", "/I"):
            return "P"
        if family in ("/Separation", "/DeviceN"):
            return "1" if bits == 1 else "L" if family == "/Separation" else "CMYK"
        return _color_of(space[0], bits, resources, depth + 1)
    return ""


def _image(dictionary: Any, ctm: Matrix, resources: Any) -> tuple[float, str] | None:
    """(effective dpi, colour) of an image drawn through ``ctm``; None when it has no area."""
    try:
        width, height = int(dictionary.get("/Width", 0)), int(dictionary.get("/Height", 0))
    except (TypeError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    across, up = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
    if across < 1e-6 or up < 1e-6:
        return None
    dpi = min(width / (across / 72), height / (up / 72))
    bits = int(dictionary.get("/BitsPerComponent", 8) or 8)
    filters = dictionary.get("/Filter")
    names = (
        [str(f) for f in filters]
        if isinstance(filters, pikepdf.Array)
        else [str(filters)]
        if filters is not None
        else []
    )
    if (
        bool(dictionary.get("/ImageMask", False))
        or names
        and names[-1] in ("/JBIG2Decode", "/CCITTFaxDecode", "/CCF")
    ):
        mode = "1"
    else:
        mode = _color_of(dictionary.get("/ColorSpace"), bits, resources)
    return dpi, mode


_MAX_TEXT_PAGE = 16 << 20  # a first page whose content is larger is not read for text


def _instructions(owner: Any) -> list[tuple[str, Any]]:
    """The placing instructions of a page or form (a page's /Contents may be an array of
    streams, read as one); with inline images, pikepdf parses the stream in full."""
    contents = owner.get("/Contents") if isinstance(owner, pikepdf.Dictionary) else owner
    if isinstance(contents, pikepdf.Array):
        data = b"\n".join(
            part.read_bytes() for part in contents if isinstance(part, pikepdf.Stream)
        )
    elif isinstance(contents, pikepdf.Stream):
        data = contents.read_bytes()
    else:
        return []
    found: list[tuple[str, Any]] = list(instructions_of(data))
    if found and found[-1][0] == "BI":
        return [
            (str(instruction.operator), instruction.operands)
            for instruction in pikepdf.parse_content_stream(owner, _OPERATORS + " INLINE IMAGE")
        ]
    return found


def _placed(
    owner: Any, resources: Any, ctm: Matrix, depth: int, found: list[tuple[float, str]]
) -> None:
    """Every image ``owner``'s content stream draws, with its resolution and colour."""
    stack: list[Matrix] = []
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    for op, operands in _instructions(owner):
        if op == "cm":
            m = _matrix(operands)
            if m is not None:
                ctm = _times(m, ctm)
        elif op == "q":
            stack.append(ctm)
        elif op == "Q":
            if stack:
                ctm = stack.pop()
        elif op == "Do":
            if not isinstance(xobjects, pikepdf.Dictionary) or not operands:
                continue
            xobject = xobjects.get(str(operands[0]))
            if not isinstance(xobject, pikepdf.Stream):
                continue
            kind = str(xobject.get("/Subtype", ""))
            if kind == "/Image":
                seen = _image(xobject, ctm, resources)
                if seen:
                    found.append(seen)
            elif kind == "/Form" and depth < _FORM_DEPTH:
                matrix = _matrix(xobject.get("/Matrix", _IDENTITY)) or _IDENTITY
                inner = xobject.get("/Resources", resources)
                _placed(xobject, inner, _times(matrix, ctm), depth + 1, found)
        elif op == "INLINE IMAGE" and operands:
            inline = operands[0]
            seen = _image(inline.obj, ctm, resources) if hasattr(inline, "obj") else None
            if seen:
                found.append(seen)


def _shows_text(page: pikepdf.Page) -> bool:
    """Whether a page's content shows text or draws a form (whose content may), and is small
    enough for its text to be read in bounded time."""
    contents = page.obj.get("/Contents")
    parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    streams = [p for p in parts if isinstance(p, pikepdf.Stream)]
    if sum(int(p.get("/Length", 0)) for p in streams) > _MAX_TEXT_PAGE:
        return False
    if any(_SHOWS_TEXT.search(p.read_bytes()) for p in streams):
        return True
    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    return isinstance(xobjects, pikepdf.Dictionary) and any(
        isinstance(x, pikepdf.Stream) and str(x.get("/Subtype", "")) == "/Form"
        for x in xobjects.values()
    )


def _page_figures(page: pikepdf.Page) -> tuple[float | None, str]:
    """A page's resolution (its sharpest image) and colour (its richest image)."""
    found: list[tuple[float, str]] = []
    unit = float(page.obj.get("/UserUnit", 1) or 1)
    start = (unit, 0.0, 0.0, unit, 0.0, 0.0)
    _placed(page.obj, page.obj.get("/Resources"), start, 0, found)
    if not found:
        return None, ""
    dpi = max(d for d, _ in found)
    known = [mode for _, mode in found if mode]
    return dpi, max(known, key=color_rank) if known else ""


def pdfa_claim(pdf: pikepdf.Pdf) -> str:
    """The PDF/A part and conformance the catalogue's XMP metadata claims ("1B"), or ""."""
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return ""
    try:
        xmp = metadata.read_bytes()
    except pikepdf.PdfError:
        return ""
    claim = xmp_claim(xmp)
    if claim is None:  # another prefix for the namespace: let an XML parser read it
        try:
            with pdf.open_metadata() as meta:
                return str(meta.pdfa_status or "")
        except Exception:  # noqa: BLE001 - malformed XMP is no claim, never a crash
            return ""
    return claim


def _declared_count(pdf: pikepdf.Pdf) -> int | None:
    try:
        count = pdf.Root.Pages.get("/Count")
    except (AttributeError, KeyError, pikepdf.PdfError):
        return None
    try:
        return int(count) if count is not None else None
    except (TypeError, ValueError, OverflowError):
        return -1


def read_pdf(source: Any, figures: bool = True) -> PdfFacts:
    """Open ``source`` (a path or a binary stream) and read its facts.

    Raises :class:`Unreadable` with the verdict: ``encrypted`` when a password is needed to
    open it (a PDF with only an owner password opens without one: it is readable),
    ``unparsable`` when it cannot be parsed or its page count is impossible.
    ``figures=False`` reads pages, encryption and the PDF/A claim only.
    """
    try:
        pdf = pikepdf.open(source, password="")
    except pikepdf.PasswordError:
        raise Unreadable("encrypted", "PDF needs a password to open") from None
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise Unreadable("unparsable", f"PDF cannot be parsed: {exc}"[:200]) from None
    with pdf:
        facts = PdfFacts(owner_password_only=pdf.is_encrypted)
        declared = _declared_count(pdf)
        if declared is not None and not 0 <= declared <= MAX_PAGES:
            raise Unreadable("unparsable", f"PDF page count is impossible: {declared}"[:200])
        try:
            facts.pages = len(pdf.pages)
        except (pikepdf.PdfError, RuntimeError) as exc:
            raise Unreadable("unparsable", f"PDF page tree cannot be read: {exc}"[:200]) from None
        if facts.pages > MAX_PAGES:
            raise Unreadable("unparsable", f"PDF page count is impossible: {facts.pages}")
        facts.pdfa = pdfa_claim(pdf)
        if not figures:
            return facts
        modes: list[str] = []
        for number, page in enumerate(pdf.pages, 1):
            try:
                dpi, mode = _page_figures(page)
            except (pikepdf.PdfError, RuntimeError, ValueError, TypeError) as exc:
                raise Unreadable(
                    "unparsable", f"PDF page {number} cannot be read: {exc}"[:200]
                ) from None
            facts.page_dpi.append(dpi)
            if mode:
                modes.append(mode)
            if number == 1:
                facts.first_page_has_text = _shows_text(page)
                if facts.first_page_has_text:
                    facts.first_page_text = layer_text(page)
        measured = [d for d in facts.page_dpi if d is not None]
        facts.dpi = int(round(min(measured))) if measured else None
        facts.color_mode = min(modes, key=color_rank) if modes else ""
    return facts


__all__ = [
    "MAX_PAGES",
    "PdfFacts",
    "Unreadable",
    "color_rank",
    "instructions_of",
    "pdfa_claim",
    "read_pdf",
    "xmp_claim",
]
