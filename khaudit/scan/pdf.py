"""PDF page counts without parsing the document: the cross-reference table says where the
catalogue is, the catalogue says where the page tree is, the page tree says how many pages.

That reads a few kilobytes of any PDF with a classic cross-reference table (what scanners and
most tools write), in microseconds, so counting pages costs almost nothing beside hashing. Only
the two entries needed are read from the table (each entry is 20 bytes, so entry n of a
subsection is found by arithmetic). PDFs whose cross-reference is a compressed stream (PDF 1.5
object streams) return None here and are read by pikepdf instead (inspect.py, pdfdoc.py).

Work per file is bounded whatever the file says: at most 64 sections (incremental updates),
a table of empty subsections (which no writer needs) is malformed after a few, and a page
count outside 0..100,000 is impossible rather than a number to store.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ReadAt = Callable[[int, int], bytes]

_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)\s*?(?:\r\n|\r|\n| \r| \n)")
_ROOT = re.compile(rb"/Root\s+(\d+)\s+\d+\s+R")
_PREV = re.compile(rb"/Prev\s+(\d+)")
_PAGES = re.compile(rb"/Pages\s+(\d+)\s+\d+\s+R")
_COUNT = re.compile(rb"/Count\s+([+-]?\d+)")
_MAX_SECTIONS = 64
_MAX_EMPTY_SUBSECTIONS = 1024
_MAX_SUBSECTIONS = 1 << 20
MAX_PAGES = 100_000


class Encrypted(Exception):
    """The trailer names an /Encrypt dictionary (which may only restrict an owner)."""


class Malformed(Exception):
    """The file states what no PDF can be: the message says what."""


class _Section:
    """One classic xref section: where its subsections' entries start, and its trailer."""

    def __init__(self, read_at: ReadAt, offset: int, size: int):
        self.read_at = read_at
        self.subsections: list[tuple[int, int, int]] = []  # (first object, count, file offset)
        self.trailer = b""
        self.valid = read_at(offset, 4) == b"xref"
        if not self.valid:
            return
        pos = offset + 4
        empty = 0
        while pos < size:
            if len(self.subsections) >= _MAX_SUBSECTIONS:
                self.valid = False
                return
            head = read_at(pos, 64)
            m = _SUBSECTION.match(head)
            if not m:
                rest = read_at(pos, 4096)
                start = rest.find(b"trailer")
                if start < 0:
                    self.valid = False
                    return
                end = rest.find(b">>", start)
                depth_end = rest.find(b"startxref", start)
                self.trailer = rest[start : depth_end if depth_end > 0 else end + 2]
                return
            first, count = int(m.group(1)), int(m.group(2))
            if count == 0:
                empty += 1
                if empty > _MAX_EMPTY_SUBSECTIONS:
                    raise Malformed(
                        f"cross-reference table has over {_MAX_EMPTY_SUBSECTIONS} empty subsections"
                    )
                pos += m.end()
                continue
            self.subsections.append((first, count, pos + m.end()))
            pos += m.end() + 20 * count

    def offset_of(self, number: int) -> int | None:
        for first, count, at in self.subsections:
            if first <= number < first + count:
                entry = self.read_at(at + 20 * (number - first), 20)
                return int(entry[:10]) if entry[17:18] == b"n" else None
        return None


def count_pages(read_at: ReadAt, size: int) -> int | None:
    """Pages of a classic-xref PDF, or None when this fast path cannot tell.

    Raises Encrypted when the document is encrypted, Malformed when its cross-reference
    table or page count is impossible.
    """
    tail = read_at(max(0, size - 2048), min(size, 2048))
    found = list(_STARTXREF.finditer(tail))
    if not found:
        return None
    offset = int(found[-1].group(1))
    sections: list[_Section] = []
    root = None
    seen: set[int] = set()
    for _ in range(_MAX_SECTIONS):  # follow /Prev through incremental updates, newest first
        if offset in seen or not 0 <= offset < size:
            break
        seen.add(offset)
        section = _Section(read_at, offset, size)
        if not section.valid:
            return None
        sections.append(section)
        if b"/Encrypt" in section.trailer:
            raise Encrypted
        if root is None and (m := _ROOT.search(section.trailer)):
            root = int(m.group(1))
        prev = _PREV.search(section.trailer)
        if not prev:
            break
        offset = int(prev.group(1))
    if root is None:
        return None

    def body(number: int) -> bytes:
        for section in sections:
            at = section.offset_of(number)
            if at is not None:
                text = read_at(at, 4096)
                end = text.find(b"endobj")
                return text if end < 0 else text[:end]
        return b""

    pages_ref = _PAGES.search(body(root))
    if not pages_ref:
        return None
    count = _COUNT.search(body(int(pages_ref.group(1))))
    if not count:
        return None
    pages = int(count.group(1))
    if not 0 <= pages <= MAX_PAGES:
        raise Malformed(f"page count is impossible: {count.group(1)[:40].decode()}")
    return pages
