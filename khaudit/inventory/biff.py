"""xls workbooks (BIFF8 in a compound file): each sheet's declared extent, read before calamine.

calamine sizes a sheet's grid from the sheet's DIMENSIONS record, as declared: a 100 KB xls
declaring 1,048,576 rows by 16,384 columns asks for hundreds of gigabytes and aborts the
process. An xls holds at most 65,536 rows by 256 columns, so a declared extent past the caps
of :mod:`.limits` is a damaged or crafted file. Only the compound file's directory, its
allocation table and the workbook stream's record headers are read; a malformed container is
left to calamine, which reports it.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path

from ..errors import InventoryFileError
from ..i18n import t
from .limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_END_OF_CHAIN = 0xFFFFFFFE
_DIMENSIONS = 0x0200


class _Malformed(Exception):
    """The container is not what its header says; calamine will name the problem."""


def _chain(fat: list[int], start: int) -> Iterator[int]:
    """The sectors of a stream, refusing a loop (a crafted table could cycle forever)."""
    seen = 0
    sector = start
    while sector < len(fat):
        yield sector
        seen += 1
        if seen > len(fat):
            raise _Malformed
        sector = fat[sector]


def _fat(data: bytes, size: int) -> list[int]:
    """The file allocation table, from the header's list of its sectors (and the extra
    lists a large file chains after it)."""
    count = min(struct.unpack_from("<I", data, 0x2C)[0], len(data) // size)
    difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
    sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END_OF_CHAIN - 2]
    per = size // 4 - 1
    sector = difat_start
    for _ in range(min(difat_count, len(data) // size)):
        block = data[(sector + 1) * size : (sector + 2) * size]
        if len(block) < size:
            raise _Malformed
        entries = struct.unpack_from(f"<{per + 1}I", block)
        sectors += [s for s in entries[:per] if s < _END_OF_CHAIN - 2]
        sector = entries[per]
    fat: list[int] = []
    for s in sectors[:count]:
        block = data[(s + 1) * size : (s + 2) * size]
        if len(block) < size:
            raise _Malformed
        fat += struct.unpack_from(f"<{size // 4}I", block)
    return fat


def _stream(data: bytes, size: int, fat: list[int], start: int, length: int) -> bytes:
    parts = []
    for sector in _chain(fat, start):
        parts.append(data[(sector + 1) * size : (sector + 2) * size])
        if len(parts) * size >= length:
            break
    return b"".join(parts)[:length]


def _mini_stream(
    data: bytes, size: int, fat: list[int], root: bytes, start: int, length: int
) -> bytes:
    """A stream under the cutoff (4 KB), kept in 64-byte sectors inside the root's stream."""
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    mini_start, mini_count = struct.unpack_from("<II", data, 0x3C)
    mini_fat_bytes = _stream(data, size, fat, mini_start, mini_count * size)
    mini_fat = list(struct.unpack_from(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
    root_start, root_length = struct.unpack_from("<II", root, 116)
    container = _stream(data, size, fat, root_start, root_length)
    parts = []
    for sector in _chain(mini_fat, start):
        parts.append(container[sector * mini_size : (sector + 1) * mini_size])
        if len(parts) * mini_size >= length:
            break
    return b"".join(parts)[:length]


def _workbook(data: bytes) -> bytes:
    """The 'Workbook' (BIFF8) or 'Book' (BIFF5) stream, b'' when there is none."""
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    if size not in (512, 4096):
        raise _Malformed
    fat = _fat(data, size)
    directory = _stream(data, size, fat, struct.unpack_from("<I", data, 0x30)[0], len(data))
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at : at + 128]
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(0, name_length - 2)].decode("utf-16-le", "replace")
        if entry[66] == 2 and name in ("Workbook", "Book"):
            start, length = struct.unpack_from("<II", entry, 116)
            if length >= cutoff:
                return _stream(data, size, fat, start, length)
            return _mini_stream(data, size, fat, directory[:128], start, length)
    return b""


_RAW_DIMENSIONS = re.compile(rb"\x00\x02\x0e\x00(.{14})", re.DOTALL)


def _records(stream: bytes) -> list[tuple[int, int]]:
    extents = []
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == _DIMENSIONS and length >= 14:  # BIFF8: 32-bit rows
            _, last_row, _, last_column = struct.unpack_from("<IIHH", stream, at + 4)
            extents.append((last_row, last_column))
        elif kind == _DIMENSIONS and length >= 8:  # BIFF5 and earlier: 16-bit rows
            _, last_row, _, last_column = struct.unpack_from("<HHHH", stream, at + 4)
            extents.append((last_row, last_column))
        at += 4 + length
    return extents


def declared_extents(data: bytes) -> list[tuple[int, int]]:
    """Each sheet's declared (rows, columns), from its DIMENSIONS record; [] when the file
    is no compound file. A container too damaged to walk is searched byte by byte for the
    records instead, since calamine may still find its way through it."""
    if not data.startswith(_MAGIC):
        return []
    try:
        stream = _workbook(data)
    except (_Malformed, struct.error, IndexError, ValueError):
        stream = b""
    if stream:
        return _records(stream)
    return [struct.unpack("<4xI2xH2x", m.group(1)) for m in _RAW_DIMENSIONS.finditer(data)]


def check_xls_extent(path: Path, data: bytes) -> None:
    """Raise InventoryFileError when an xls sheet declares more rows, columns or cells than
    the caps allow, before calamine sizes its grid from that declaration."""
    for rows, columns in declared_extents(data):
        if columns > MAX_COLUMNS or rows > MAX_ROWS or rows * columns > MAX_CELLS:
            raise InventoryFileError(
                str(path),
                t("err.inventory.area", rows=rows, columns=columns, limit=MAX_CELLS),
                t("err.inventory.zip_hint"),
            )
