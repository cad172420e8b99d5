"""PDF page counts without parsing the document: the cross-reference table says where the
catalogue is, the catalogue says where the page tree is, the page tree says how many pages.

That reads a few kilobytes of any PDF with a classic cross-reference table (what scanners and
most tools write), in microseconds, so counting pages costs almost nothing beside hashing. PDFs
whose cross-reference is itself a compressed stream (PDF 1.5 object streams) return None here
and are counted by pypdf instead (inspect.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

ReadAt = Callable[[int, int], bytes]

_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_SUBSECTION = re.compile(rb"(\d+)\s+(\d+)\s*[\r\n]+")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*(?:startxref|$)", re.S)
_ROOT = re.compile(rb"/Root\s+(\d+)\s+\d+\s+R")
_PREV = re.compile(rb"/Prev\s+(\d+)")
_PAGES = re.compile(rb"/Pages\s+(\d+)\s+\d+\s+R")
_COUNT = re.compile(rb"/Count\s+(\d+)")
_MAX_SECTIONS = 64


class Encrypted(Exception):
    """The trailer names an /Encrypt dictionary."""


def _xref_section(read_at: ReadAt, offset: int, size: int) -> tuple[dict[int, int], bytes] | None:
    """Object offsets of one classic xref section, and its trailer dictionary."""
    head = read_at(offset, 4)
    if head != b"xref":
        return None
    block = read_at(offset, min(size - offset, 1 << 16))
    end = block.find(b"trailer")
    while end < 0 and len(block) < size - offset:  # a long table: read on
        block = read_at(offset, min(size - offset, len(block) * 4))
        end = block.find(b"trailer")
    if end < 0:
        return None
    trailer = _TRAILER.search(block, end)
    table = block[4:end]
    offsets: dict[int, int] = {}
    pos = len(table) - len(table.lstrip())
    while m := _SUBSECTION.match(table, pos) if pos < len(table) else None:
        first, count = int(m.group(1)), int(m.group(2))
        pos = m.end()
        for i in range(count):
            entry = table[pos:pos + 20]
            pos += 20
            if entry[17:18] == b"n":
                offsets.setdefault(first + i, int(entry[:10]))
        while pos < len(table) and table[pos:pos + 1] in b" \r\n":
            pos += 1
    return offsets, trailer.group(1) if trailer else b""


def _object(read_at: ReadAt, offsets: dict[int, int], number: int) -> bytes:
    offset = offsets.get(number)
    if offset is None:
        return b""
    body = read_at(offset, 4096)
    end = body.find(b"endobj")
    return body if end < 0 else body[:end]


def count_pages(read_at: ReadAt, size: int) -> int | None:
    """Pages of a classic-xref PDF, or None when this fast path cannot tell.

    Raises Encrypted when the document is encrypted.
    """
    tail = read_at(max(0, size - 2048), min(size, 2048))
    found = list(_STARTXREF.finditer(tail))
    if not found:
        return None
    offset = int(found[-1].group(1))
    offsets: dict[int, int] = {}
    root = None
    seen: set[int] = set()
    for _ in range(_MAX_SECTIONS):  # follow /Prev through incremental updates
        if offset in seen or not 0 <= offset < size:
            break
        seen.add(offset)
        section = _xref_section(read_at, offset, size)
        if section is None:
            return None
        table, trailer = section
        for number, at in table.items():
            offsets.setdefault(number, at)
        if b"/Encrypt" in trailer:
            raise Encrypted
        if root is None and (m := _ROOT.search(trailer)):
            root = int(m.group(1))
        prev = _PREV.search(trailer)
        if not prev:
            break
        offset = int(prev.group(1))
    if root is None:
        return None
    pages_ref = _PAGES.search(_object(read_at, offsets, root))
    if not pages_ref:
        return None
    count = _COUNT.search(_object(read_at, offsets, int(pages_ref.group(1))))
    return int(count.group(1)) if count else None
