"""The text layer of a PDF's first page, for matching a scan by what its first page says (its
heading, often its record code) as well as by its name.

Searchable PDFs carry the text their scanning software recognised, usually as invisible text
over the page image. Only the first page is read (a record's heading is there), only when
pdfdoc.py saw text-showing operators or a form on it (an image-only scan costs nothing here),
and only its first ``MAX_CHARS`` characters are kept: headings and codes come first, and the
scan catalogue keeps the text of every file, so a rescan reads none again.

Two readers, fastest first. OCR layers are simple: a few fonts whose ``/ToUnicode`` maps say
which character each code is, strings shown by ``Tj``/``TJ`` between positioning operators.
:func:`layer_text` decodes those straight from the content stream of the page pikepdf has
already opened for its images, so the text costs a regex pass over a small stream.
Anything else (a form holding the text, a Type 3 font, a font without a Unicode map, an inline
image, letters placed one by one) is left to PDFium (:func:`first_page_text`), which lays the
page out completely: about two milliseconds a page, most of it loading the page.
"""

from __future__ import annotations

import re
import sys
from array import array
from typing import Any

MAX_CHARS = 2000
_SPACE = re.compile(r"\s+")

_DELIM = rb"\s()<>\[\]{}/%"
#: The tokens of a content stream the text layer needs; anything else is skipped over.
_TOKEN = re.compile(
    rb"(?P<lit>\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\))"
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<name>/[^" + _DELIM + rb"]*)"
    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))"
    rb"|(?P<open>\[)|(?P<close>\])"
    rb"|(?P<dict><<|>>)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<op>[A-Za-z'\"*]+)",
    re.S,
)
_MOVES = {b"Td", b"TD", b"Tm", b"T*", b"BT", b"ET"}
_SHOWS = {b"Tj", b"TJ", b"'", b'"'}
_LITERAL_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
#: A TJ adjustment at least this far left (thousandths of an em) is a gap between words.
_WORD_GAP = 250
#: Letters placed one by one read back as single letters: below this mean word length the
#: layout needs PDFium's reading.
_MIN_WORD_LENGTH = 2.0
_CMAP_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_CMAP_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_PAIR = re.compile(rb"<([0-9A-F]+)>\s*<([0-9A-F\s]*)>")
_WHITE = re.compile(rb"\s")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")


class _NotSimple(Exception):
    """The page's text layer needs a full layout engine: PDFium reads it."""


def first_page_text(source: Any, password: str = "") -> str:
    """The first page's text as PDFium lays it out, whitespace collapsed, at most MAX_CHARS
    characters; "" when the page has none or PDFium cannot read it (the integrity verdict is
    pikepdf's to give). ``source`` is the file's bytes or its path."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(source, password=password or None)
    except (pdfium.PdfiumError, OSError, ValueError):
        return ""
    try:
        if len(document) == 0:
            return ""
        page = document[0]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError:
        return ""
    finally:
        document.close()
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def layer_text(page: Any) -> str | None:
    """The text of a pikepdf page's simple text layer, whitespace collapsed, at most
    MAX_CHARS characters; None when the layer is not simple (PDFium must read it)."""
    import pikepdf

    try:
        data = _content(page.obj, pikepdf)
        resources = page.obj.get("/Resources")
        fonts = _fonts(resources, pikepdf)
        text = _SPACE.sub(" ", _show(data, fonts, _forms(resources, pikepdf))).strip()
    except (_NotSimple, pikepdf.PdfError, ValueError, KeyError, TypeError, RuntimeError):
        return None
    words = text.split(" ")
    if not text or len(text) - len(words) + 1 < _MIN_WORD_LENGTH * len(words):
        return None
    return text[:MAX_CHARS]


def _content(page: Any, pikepdf: Any) -> bytes:
    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(p.read_bytes() for p in contents if isinstance(p, pikepdf.Stream))
    if isinstance(contents, pikepdf.Stream):
        return bytes(contents.read_bytes())
    raise _NotSimple


def _forms(resources: Any, pikepdf: Any) -> set[str]:
    """Names of the page's form XObjects (drawing one may show text this reader skips)."""
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary):
        return set()
    return {
        name[1:]
        for name, x in xobjects.items()
        if isinstance(x, pikepdf.Stream) and str(x.get("/Subtype", "")) == "/Form"
    }


def _fonts(resources: Any, pikepdf: Any) -> dict[str, _Font]:
    """Font resource name -> (bytes per code, code -> text) for every font of the page."""
    fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(fonts, pikepdf.Dictionary):
        return {}
    out = {}
    for name, font in fonts.items():
        if isinstance(font, pikepdf.Dictionary):
            out[name[1:]] = _decoder(font, pikepdf)
    return out


class _Font:
    """How a font's string bytes read as text: ``width`` bytes a code; ToUnicode entries kept
    as the CMap writes them (hex, upper case) and decoded only for the codes a page shows."""

    def __init__(self, width: int, chars: dict[bytes, bytes], ranges: list[tuple[int, int, str]]):
        self.width, self.chars, self.ranges = width, chars, ranges
        self.seen: dict[int, str] = {}

    def decode(self, data: bytes) -> str:
        if self.width == 2:
            codes: Any = array("H", data[: len(data) & ~1])
            if sys.byteorder == "little":
                codes.byteswap()
        else:
            codes = data
        seen = self.seen
        return "".join([seen[c] if c in seen else self._char(c) for c in codes])

    def _char(self, code: int) -> str:
        dst = self.chars.get(b"%0*X" % (2 * self.width, code))
        known = _utf16(dst) if dst is not None else self._in_range(code)
        self.seen[code] = known
        return known

    def _in_range(self, code: int) -> str:
        for lo, hi, first in self.ranges:
            if lo <= code <= hi and first:
                return first[:-1] + chr(ord(first[-1]) + code - lo)
        return ""


def _decoder(font: Any, pikepdf: Any) -> _Font:
    """A font's reading: its ToUnicode map, or for a simple font with a standard encoding and
    no map, that encoding (the ASCII of standard fonts)."""
    subtype = str(font.get("/Subtype", ""))
    encoding = font.get("/Encoding")
    to_unicode = font.get("/ToUnicode")
    if subtype == "/Type3":
        raise _NotSimple
    if subtype == "/Type0":
        if str(encoding) != "/Identity-H" or not isinstance(to_unicode, pikepdf.Stream):
            raise _NotSimple
        return _cmap(to_unicode.read_bytes(), 2)
    if isinstance(to_unicode, pikepdf.Stream):
        return _cmap(to_unicode.read_bytes(), 1)
    if encoding is None or str(encoding) in ("/WinAnsiEncoding", "/StandardEncoding"):
        return _Font(1, _WIN_ANSI, [])
    raise _NotSimple


#: Code -> character of Windows-1252, as a ToUnicode map writes it: made once, since most
#: pages declare a standard font (reportlab's Helvetica) whether they show text in it or not.
_WIN_ANSI = {
    b"%02X" % c: b"%04X" % ord(bytes([c]).decode("cp1252", "replace")) for c in range(32, 256)
}


def _utf16(hexdigits: bytes) -> str:
    digits = _WHITE.sub(b"", hexdigits)
    if len(digits) == 4:
        return chr(int(digits, 16))
    return bytes.fromhex(digits.decode()).decode("utf-16-be", "replace")


def _cmap(data: bytes, width: int) -> _Font:
    """A ToUnicode CMap's bfchar and bfrange entries."""
    chars: dict[bytes, bytes] = {}
    for block in _CMAP_BFCHAR.findall(data):
        chars.update(_PAIR.findall(block.upper()))
    ranges = []
    for block in _CMAP_BFRANGE.findall(data):
        for lo_hex, hi_hex, dst in _RANGE.findall(block):
            lo, hi = int(lo_hex, 16), int(hi_hex, 16)
            if hi - lo > 0xFFFF:
                raise _NotSimple
            if dst.startswith(b"["):
                for code, each in zip(range(lo, hi + 1), _HEX.findall(dst)):
                    chars[b"%0*X" % (2 * width, code)] = each
                continue
            ranges.append((lo, hi, _utf16(dst[1:-1])))
    return _Font(width, chars, ranges)


def _literal(token: bytes) -> bytes:
    def unescape(m: re.Match[bytes]) -> bytes:
        c = m.group(1)
        if c[:1].isdigit():
            return bytes([int(c, 8) & 0xFF])
        if c in (b"\n", b"\r", b"\r\n"):
            return b""
        return _ESCAPES.get(c, c)

    return _LITERAL_ESCAPE.sub(unescape, token[1:-1])


def _string(m: re.Match[bytes]) -> bytes:
    if m.lastgroup == "lit":
        return _literal(m.group())
    digits = re.sub(rb"\s", b"", m.group()[1:-1])
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _show(data: bytes, fonts: dict[str, _Font], forms: set[str]) -> str:
    """The text the content stream shows, a space at every move, in stream order. Strings
    are bytes, numbers floats, names str (without their slash)."""
    out: list[str] = []
    size = 0
    operands: list[Any] = []
    array: list[Any] | None = None
    font: _Font | None = None
    for m in _TOKEN.finditer(data):
        kind = m.lastgroup
        if kind == "op":
            op = m.group()
            if op == b"BI" or op == b"Do" and operands and operands[-1] in forms:
                raise _NotSimple  # inline image bytes are no tokens; a form may hold text
            if op == b"Tf" and len(operands) >= 2 and isinstance(operands[-2], str):
                font = fonts.get(operands[-2])
            elif op in _SHOWS and operands and isinstance(operands[-1], bytes | list):
                if font is None:
                    raise _NotSimple
                shown = _shown(operands[-1], font)
                out.append(shown if op in (b"Tj", b"TJ") else " " + shown)
                size += len(shown)
            elif op in _MOVES:
                out.append(" ")
            operands = []
            if size > 2 * MAX_CHARS:
                break
            continue
        if kind == "open":
            array = []
            continue
        if kind == "close":
            operands.append(array or [])
            array = None
            continue
        if kind in ("lit", "hex"):
            value: Any = _string(m)
        elif kind == "num":
            value = float(m.group())
        elif kind == "name":
            value = m.group()[1:].decode("latin-1")
        else:
            continue
        (array if array is not None else operands).append(value)
    return "".join(out)


def _shown(shown: bytes | list[Any], font: _Font) -> str:
    """A Tj string, or a TJ array's strings with a space where it moves a word's width left."""
    if isinstance(shown, bytes):
        return font.decode(shown)
    parts = []
    for item in shown:
        if isinstance(item, bytes):
            parts.append(font.decode(item))
        elif isinstance(item, float) and item <= -_WORD_GAP:
            parts.append(" ")
    return "".join(parts)


__all__ = ["MAX_CHARS", "first_page_text", "layer_text"]
