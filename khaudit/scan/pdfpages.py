"""A PDF's pages, resolution, colour and PDF/A claim read from its bytes (pdfobjects.py),
without opening it in a PDF library: what a full scan of a scanning station's tree needs, for
about a third of what pikepdf's reading of it costs (bench/README.md).

A scan's pages differ in their image, rarely in how they place it: a station writes the same
content stream (``q W 0 0 H 0 0 cm /Im0 Do Q``) on every page, or one of a few. So a content
stream's placements (which XObject, through which matrix) are parsed once per distinct stream
and reused for every page that carries the same bytes; per page only its dictionary and its
images' dictionaries are read (width, height, bits, colour space, filter), never image data.
Resolution is the image's pixels over the size its placement gives it (as in pdfdoc.py).

What this reader does not read for certain raises :class:`Unsure` and pikepdf (pdfdoc.py)
reads the file instead: form XObjects, inline images, a first page showing text (its text is
read from the page pikepdf opens), encryption, filters it does not decode, a page tree whose
leaves do not add up to its /Count, and anything pdfobjects.py turns away. A page count that
is negative or absurd is :class:`~khaudit.scan.pdf.Malformed`, as in the fast count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .colour import color_rank
from .pdf import MAX_PAGES, Malformed
from .pdfobjects import Document, Ref, Stream, Unsure, decode

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_TREE_DEPTH = 64
_MAX_TEXT_PAGE = 16 << 20  # a first page whose content is larger is not read for text


@dataclass(slots=True)
class PdfFacts:
    pages: int = 0
    dpi: int | None = None  # the lowest page's effective resolution; None: no page has images
    color_mode: str = ""  # the poorest page's colour, as a Pillow mode name
    pdfa: str = ""  # the claimed PDF/A part and conformance, e.g. "1B"
    owner_password_only: bool = False
    page_dpi: list[float | None] = field(default_factory=list)
    #: The first page shows text (or draws a form, which may): worth asking for its text.
    first_page_has_text: bool = False
    #: Its simple text layer as pagetext.layer_text reads it; None: PDFium must read it.
    first_page_text: str | None = None


def times(m: Matrix, n: Matrix) -> Matrix:
    """m × n as PDF composes matrices (``cm`` makes CTM' = M × CTM)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def matrix_of(values: Any) -> Matrix | None:
    try:
        numbers = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        return None
    return numbers if len(numbers) == 6 else None


_DELIM = rb"\s()<>\[\]{}/%"
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
#: Only what places images: a string is matched to be skipped (a "q" in OCR text is no
#: operator), the rest of the stream is passed over by the regex engine.
_PLACING = re.compile(
    rb"(?P<string>\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))"
    rb"|(?<![^" + _DELIM + rb"])(?:"
    rb"(?P<cm>(?:" + _NUMBER + rb"\s+){6})cm"
    rb"|(?P<do>/[^" + _DELIM + rb"]+)\s*Do"
    rb"|(?P<q>[qQ])"
    rb"|(?P<bi>BI)"
    rb")(?![^" + _DELIM + rb"])",
    re.S,
)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
SHOWS_TEXT = re.compile(rb"(?<![^" + _DELIM + rb"])(?:BT|Tj|TJ)(?![^" + _DELIM + rb"])")


def instructions_of(data: bytes) -> list[tuple[str, list[str]]]:
    """(operator, operands) for each q, Q, cm and Do of decoded content-stream bytes, in
    order. An inline image (BI ... EI) holds raw bytes a scan for operators cannot skip
    safely: the list then ends with ("BI", []) and the caller parses the stream in full."""
    out: list[tuple[str, list[str]]] = []
    for m in _PLACING.finditer(data):
        kind = m.lastgroup
        if kind == "string":
            continue
        if kind == "bi":
            out.append(("BI", []))
            break
        if kind == "cm":
            out.append(("cm", [v.decode() for v in m.group("cm").split()]))
        elif kind == "do":
            name = _ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), m.group("do"))
            out.append(("Do", [name.decode("latin-1")]))
        else:
            out.append((m.group("q").decode(), []))
    return out


# XMP writes a property as an attribute (pdfaid:part="1") or an element
# (<pdfaid:part xmlns:pdfaid="...">1</pdfaid:part>); either is read here without an XML parser.
_PART = re.compile(rb"pdfaid:part(?:\s*=\s*[\"']|(?:\s[^<>]*)?>)\s*(\d+)\s*[<\"']")
_CONFORMANCE = re.compile(
    rb"pdfaid:conformance(?:\s*=\s*[\"']|(?:\s[^<>]*)?>)\s*([A-Za-z])\s*[<\"']"
)
_PDFA_NAMESPACE = b"aiim.org/pdfa/ns/id"


def xmp_claim(xmp: bytes) -> str | None:
    """The PDF/A claim of an XMP packet ("1B", "" for none), or None when it names the PDF/A
    namespace under a prefix other than the usual one (an XML parser must read it)."""
    if _PDFA_NAMESPACE not in xmp:
        return ""
    part = _PART.search(xmp)
    if not part:
        return None
    conformance = _CONFORMANCE.search(xmp)
    return part.group(1).decode() + (conformance.group(1).decode().upper() if conformance else "")


def placements(data: bytes) -> list[tuple[str, Matrix]]:
    """(XObject name, matrix from the page's start) for each Do of decoded content bytes."""
    ctm, stack, out = IDENTITY, [], []
    for op, operands in instructions_of(data):
        if op == "cm":
            m = matrix_of(operands)
            if m is not None:
                ctm = times(m, ctm)
        elif op == "q":
            stack.append(ctm)
        elif op == "Q":
            if stack:
                ctm = stack.pop()
        elif op == "Do":
            out.append((operands[0], ctm))
        else:
            raise Unsure("inline image")
    return out


def _number(doc: Document, value: Any, default: float) -> float:
    value = doc.get(value)
    if value is None:
        return default
    if type(value) not in (int, float):
        raise Unsure("a number is not a number")
    return float(value)


def _leaves(doc: Document, tree: dict[str, Any], declared: int) -> list[tuple[dict, Any]]:
    """Each page's dictionary and its (possibly inherited) resources, in order; the tree is
    read a level at a time, each level's nodes parsed together."""
    level: list[tuple[dict, Any]] = [(tree, tree.get("/Resources"))]
    seen: set[Ref] = set()
    for _ in range(_MAX_TREE_DEPTH):
        if all("/Kids" not in node for node, _ in level):
            break
        kids_of = doc.get_many([node.get("/Kids", []) for node, _ in level])
        if any(type(kids) is not list for kids in kids_of):
            raise Unsure("page tree /Kids")
        refs = [kid for kids in kids_of for kid in kids]
        if len(refs) > declared or any(type(r) is not Ref for r in refs) or seen.intersection(refs):
            raise Unsure("page tree loops, holds direct objects or more leaves than /Count")
        seen.update(refs)
        children = iter(doc.get_many(refs))
        following: list[tuple[dict, Any]] = []
        for (node, resources), kids in zip(level, kids_of):
            if "/Kids" not in node:
                following.append((node, resources))
                continue
            for _ in kids:
                child = next(children)
                if not isinstance(child, dict):
                    raise Unsure("page tree node is no dictionary")
                following.append((child, child.get("/Resources", resources)))
        level = following
    else:
        raise Unsure("page tree too deep")
    if len(level) != declared or any(node.get("/Type", "/Page") != "/Page" for node, _ in level):
        raise Unsure("page tree leaves do not add up to /Count, or a leaf is no page")
    return level


def _colour(doc: Document, space: Any, bits: int, resources: dict, depth: int = 0) -> str:
    """A colour space as a Pillow mode name ("" when it cannot be told)."""
    space = doc.get(space)
    if isinstance(space, str):
        if space in ("/DeviceGray", "/CalGray", "/G"):
            return "1" if bits == 1 else "L"
        if space in ("/DeviceRGB", "/CalRGB", "/RGB"):
            return "RGB"
        if space in ("/DeviceCMYK", "/CMYK"):
            return "CMYK"
        if space == "/Lab":
            return "LAB"
        named = doc.get(resources.get("/ColorSpace"))
        if depth < 2 and isinstance(named, dict) and space in named:
            return _colour(doc, named[space], bits, resources, depth + 1)
        return ""
    if isinstance(space, list) and space and depth < 3:
        family = doc.get(space[0])
        if family == "/ICCBased" and len(space) > 1:
            profile = doc.get(space[1])
            n = doc.get(profile.dictionary.get("/N", 3)) if isinstance(profile, Stream) else 3
            return {1: "1" if bits == 1 else "L", 3: "RGB", 4: "CMYK"}.get(n, "")
        if family in ("/Indexed", "/I"):
            return "P"
        if family in ("/Separation", "/DeviceN"):
            return "1" if bits == 1 else "L" if family == "/Separation" else "CMYK"
        return _colour(doc, family, bits, resources, depth + 1)
    return ""


_NAMED_DIRECTLY = frozenset(
    ("/DeviceGray", "/CalGray", "/G", "/DeviceRGB", "/CalRGB", "/RGB", "/DeviceCMYK", "/CMYK")
)
_BILEVEL_FILTERS = ("/JBIG2Decode", "/CCITTFaxDecode", "/CCF")
_MAX_REMEMBERED = 1024  # content streams remembered across files (a station writes the same)
_MAX_REMEMBERED_BYTES = 4096
#: (filter, raw content bytes) -> ((XObject name, width placed, height placed) for each Do,
#: whether the stream shows text); kept across files, as stations reuse their streams.
_drawn_by_content: dict[Any, tuple[list[tuple[str, float, float]], bool]] = {}


def _drawing(doc: Document, streams: list[Stream]) -> tuple[list[tuple[str, float, float]], bool]:
    """What a page's content streams draw: each Do's XObject and the size it is placed at."""
    data, spans = doc.data, [doc.span(s) for s in streams]
    key = tuple((repr(s.dictionary.get("/Filter")), data[a:b]) for s, (a, b) in zip(streams, spans))
    known = _drawn_by_content.get(key)
    if known is None:
        decoded = b"\n".join(decode(doc, s) for s in streams)
        known = (
            [
                (name, math.hypot(m[0], m[1]), math.hypot(m[2], m[3]))
                for name, m in placements(decoded)
            ],
            SHOWS_TEXT.search(decoded) is not None,
        )
        if sum(b - a for a, b in spans) <= _MAX_REMEMBERED_BYTES:
            if len(_drawn_by_content) >= _MAX_REMEMBERED:
                _drawn_by_content.clear()
            _drawn_by_content[key] = known
    return known


def _contents(doc: Document, pages: list[dict]) -> list[list[Stream]]:
    """Each page's content streams (a page's /Contents is a stream or an array of them)."""
    contents = doc.get_many([page.get("/Contents") for page in pages])
    if any(type(c) is list for c in contents):
        doc.get_many([part for c in contents if type(c) is list for part in c])
        contents = [doc.get_many(c) if type(c) is list else [c] for c in contents]
    else:
        contents = [[c] for c in contents]
    return [[s for s in c if type(s) is Stream] for c in contents]


#: (colour space, bits, filter, mask) written directly in an image's dictionary -> colour
_colour_of_kind: dict[tuple[Any, Any, Any, Any], str] = {}


def _image(doc: Document, xobject: Stream, resources: dict) -> tuple[int, int, str] | None:
    """(width, height, colour) of an image XObject; None when it has no pixels."""
    d = xobject.dictionary
    width, height = d.get("/Width", 0), d.get("/Height", 0)
    if type(width) is not int or type(height) is not int:
        width, height = doc.get(width), doc.get(height)
        if type(width) is not int or type(height) is not int:
            raise Unsure("image size is not a whole number")
    if width <= 0 or height <= 0:
        return None
    space, filters = d.get("/ColorSpace"), d.get("/Filter")
    if type(space) is str and space in _NAMED_DIRECTLY and type(filters) is not list:
        kind = (space, d.get("/BitsPerComponent"), filters, d.get("/ImageMask"))
        if type(kind[1]) is not Ref and type(kind[3]) is not Ref and type(filters) is not Ref:
            mode = _colour_of_kind.get(kind)
            if mode is None:
                mode = _colour_of_kind[kind] = _mode(doc, d, resources)
            return width, height, mode
    return width, height, _mode(doc, d, resources)


def _mode(doc: Document, d: dict, resources: dict) -> str:
    """The colour of an image by its dictionary, as a Pillow mode name."""
    bits = int(_number(doc, d.get("/BitsPerComponent", 8), 8) or 8)
    filters = doc.get(d.get("/Filter"))
    last = filters[-1] if isinstance(filters, list) and filters else filters
    if doc.get(d.get("/ImageMask", False)) is True or doc.get(last) in _BILEVEL_FILTERS:
        return "1"
    return _colour(doc, d.get("/ColorSpace"), bits, resources)


def _first_page_shows_text(doc: Document, streams: list[Stream], xobjects: dict) -> bool:
    """Whether the first page shows text or draws a form (whose content may), and is small
    enough for its text to be read in bounded time."""
    if sum(end - start for start, end in map(doc.span, streams)) > _MAX_TEXT_PAGE:
        return False
    if _drawing(doc, streams)[1]:
        return True
    found = doc.get_many(list(xobjects.values()))
    return any(type(x) is Stream and x.dictionary.get("/Subtype") == "/Form" for x in found)


def _figures(doc: Document, leaves: list[tuple[dict, Any]]) -> list[tuple[float | None, str]]:
    """Each page's resolution (its sharpest image) and colour (its richest image); every
    kind of object the pages need is parsed together, each distinct content stream once."""
    pages = [page for page, _ in leaves]
    resources = [r if type(r) is dict else {} for r in doc.get_many([r for _, r in leaves])]
    xobjects = doc.get_many([r.get("/XObject") for r in resources])
    xobjects = [x if type(x) is dict else {} for x in xobjects]
    streams = _contents(doc, pages)
    if _first_page_shows_text(doc, streams[0], xobjects[0]):
        raise Unsure("the first page may show text: read with the page open")
    drawn = [_drawing(doc, s) for s in streams]
    refs = [x.get(name) for x, (placed, _) in zip(xobjects, drawn) for name, _, _ in placed]
    images = dict(zip(refs, doc.get_many(refs)))
    sizes: dict[Any, tuple[int, int, str] | None] = {}
    out: list[tuple[float | None, str]] = []
    for page, res, x, (placed, _) in zip(pages, resources, xobjects, drawn):
        unit = _number(doc, page["/UserUnit"], 1.0) or 1.0 if "/UserUnit" in page else 1.0
        best: float | None = None
        modes: list[str] = []
        for name, across, up in placed:
            ref = x.get(name)
            xobject = images.get(ref)
            if type(xobject) is not Stream:
                continue
            kind = xobject.dictionary.get("/Subtype")
            if kind != "/Image" and doc.get(kind) != "/Image":
                if doc.get(kind) == "/Form":
                    raise Unsure("a form XObject")
                continue
            seen = sizes[ref] if ref in sizes else _image(doc, xobject, res)
            space = xobject.dictionary.get("/ColorSpace")
            if type(space) is str and space in _NAMED_DIRECTLY:
                sizes[ref] = seen  # the same image reads the same on any page
            if seen is None or across * unit < 1e-6 or up * unit < 1e-6:
                continue
            dpi = min(seen[0] / (across * unit / 72), seen[1] / (up * unit / 72))
            best = dpi if best is None or dpi > best else best
            if seen[2]:
                modes.append(seen[2])
        out.append((best, max(modes, key=color_rank) if modes else ""))
    return out


def _pdfa(doc: Document, root: dict) -> str:
    metadata = doc.get(root.get("/Metadata"))
    if not isinstance(metadata, Stream):
        return ""
    claim = xmp_claim(decode(doc, metadata))
    if claim is None:
        raise Unsure("PDF/A namespace under another prefix: an XML parser reads it")
    return claim


#: What makes the column reader hand a file to the object reader: its own doubt, or a value of
#: a type no well-formed file holds where it was looked for.
_NOT_READ_BY_COLUMNS = (Unsure, ValueError, TypeError, KeyError, IndexError)


def _all_figures(doc: Document, tree: dict, declared: int) -> list[tuple[float | None, str]]:
    """Each page's figures: by the column reader (pdfcolumns.py) when it reads the file, else
    object by object; both hold the page tree's leaves to its /Count."""
    from .pdfcolumns import read_figures  # it builds on this module's readers

    try:
        return read_figures(doc, tree, declared)
    except _NOT_READ_BY_COLUMNS:
        return _figures(doc, _leaves(doc, tree, declared))


def read_pages(data: bytes) -> PdfFacts:
    """Pages, resolution, colour and PDF/A claim of the PDF in ``data``.

    Raises :class:`Unsure` when a PDF library must read the file, and
    :class:`~khaudit.scan.pdf.Malformed` when its page count is impossible.
    """
    doc = Document(data)
    root = doc.get(doc.trailer.get("/Root"))
    tree = doc.get(root.get("/Pages")) if isinstance(root, dict) else None
    if not isinstance(tree, dict):
        raise Unsure("no page tree")
    declared = doc.get(tree.get("/Count"))
    if type(declared) is not int:
        raise Unsure("page count is not a whole number")
    if not 0 <= declared <= MAX_PAGES:
        raise Malformed(f"page count is impossible: {declared}")
    facts = PdfFacts(pages=declared, pdfa=_pdfa(doc, root))
    modes: list[str] = []
    for dpi, mode in _all_figures(doc, tree, declared):
        facts.page_dpi.append(dpi)
        if mode:
            modes.append(mode)
    measured = [d for d in facts.page_dpi if d is not None]
    facts.dpi = int(round(min(measured))) if measured else None
    # the first poorest, as min over every page's: each mode's rank is looked up once
    facts.color_mode = min(dict.fromkeys(modes), key=color_rank) if modes else ""
    return facts


__all__ = [
    "IDENTITY",
    "SHOWS_TEXT",
    "Matrix",
    "PdfFacts",
    "Unsure",
    "instructions_of",
    "matrix_of",
    "placements",
    "read_pages",
    "times",
    "xmp_claim",
]
