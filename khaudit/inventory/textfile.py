"""Decoding a text inventory's or sidecar's bytes, as the tools that write them save them.

Offices export CSV from Excel (UTF-8 with or without BOM, "Unicode text" in UTF-16, the
Windows code page), from LibreOffice (any of UTF-8/16/32), from old Macs (a lone CR ends each
line) and from files typed in the legacy TCVN3 or VNI fonts, whose bytes are not Windows-1258
at all. Each is read as its writer meant; line ends become ``\\n`` so that rows are the rows a
spreadsheet shows.
"""

from __future__ import annotations

import codecs

from .encodings import ENCODINGS, decode_cp1258
from .syllables import plausibility

#: Byte-order marks, longest first: a UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: How much of a file the guesses look at: enough for hundreds of rows.
_SAMPLE = 64 * 1024

#: How much more of a legacy reading's words must be Vietnamese syllables than of the
#: Windows-1258 reading for the file to be taken as typed in that legacy font.
_LEGACY_MARGIN = 0.15


def bom_encoding(data: bytes) -> str:
    """The encoding a byte-order mark at the start names, or ''."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return ""


def utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when the bytes are UTF-16 text without a mark: in text
    mostly of ASCII letters, digits and punctuation, every other byte is NUL, always on the
    same side (the other side's few are combining marks, U+0300); a binary file has its NULs
    anywhere."""
    head = data[:_SAMPLE]
    if len(head) < 4 or len(data) % 2:
        return ""
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul > 0.3 * len(odd) and even_nul <= 0.05 * len(even):
        return "utf-16-le"
    if even_nul > 0.3 * len(even) and odd_nul <= 0.05 * len(odd):
        return "utf-16-be"
    return ""


#: Control bytes that typed text never holds (tab, line feed, form feed and carriage return
#: are text); NUL is counted apart.
_CONTROL = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13))

#: Most NUL bytes, as a share of the file, that a text file may hold and still be read as
#: text, the NULs dropped: a stray NUL or two from an exporter, not a binary file.
_NUL_SHARE = 0.01


def looks_binary(data: bytes) -> bool:
    """Not typed text: NUL bytes in a file that is not UTF-16 or UTF-32, more than a stray
    few, or beside other control bytes (a binary file has both)."""
    nuls = data.count(0)
    if not nuls or bom_encoding(data) or utf16_without_bom(data):
        return False
    if nuls > _NUL_SHARE * len(data):
        return True
    sample = data[:_SAMPLE]
    return len(sample.translate(None, _CONTROL)) < len(sample)


def drop_nul(data: bytes) -> tuple[bytes, list[int]]:
    """The bytes without their stray NULs, and the 1-based lines that held one: a NUL is no
    character of any text a person typed, and the rest of its row is read as it was."""
    if b"\x00" not in data or bom_encoding(data) or utf16_without_bom(data):
        return data, []
    lines: list[int] = []
    end = b"\n" if b"\n" in data else b"\r"
    line, seen, at = 1, 0, data.find(0)
    while at >= 0:
        line += data.count(end, seen, at)
        seen = at
        if not lines or lines[-1] != line:
            lines.append(line)
        at = data.find(0, at + 1)
    return data.replace(b"\x00", b""), lines


def _legacy_bytes(data: bytes) -> str:
    """The name of the legacy font encoding the bytes were typed in, or '' for Windows-1258.

    TCVN3 and VNI reuse the byte values Windows-1258 gives its combining tone marks, so read
    as Windows-1258 they compose into wrong letters ('ký' becomes 'kư') that no later step
    can undo. The reading whose words are Vietnamese syllables wins.
    """
    sample = data[:_SAMPLE]
    as_bytes = sample.decode("latin-1")
    if not any(e.evidence(as_bytes) for e in ENCODINGS.values()):
        return ""
    try:
        best, score = "", plausibility(decode_cp1258(sample))
    except UnicodeDecodeError:
        best, score = "", -1.0
    for name, encoding in ENCODINGS.items():
        legacy = plausibility(encoding.decode(as_bytes))
        if legacy > score + _LEGACY_MARGIN:
            best, score = name, legacy
    return best


def decode_text_file(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes: by its byte-order mark, else UTF-16 by its NULs, else
    UTF-8, else a legacy font's bytes (kept one character a byte, which the loader converts
    cell by cell, recording what was typed), else Windows-1258. Line ends become ``\\n``."""
    encoding = bom_encoding(data) or utf16_without_bom(data)
    if encoding:
        text = data.decode(encoding)
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            legacy = _legacy_bytes(data)
            if legacy:
                text, encoding = data.decode("latin-1"), legacy
            else:
                text, encoding = decode_cp1258(data), "cp1258"
    return normalise_line_ends(text), encoding


def normalise_line_ends(text: str) -> str:
    """CRLF (Windows) and a lone CR (classic Mac OS, some exporters) become LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
