"""Zip containers (xlsx, xlsm, ods, docx): sizes checked before any reader unpacks one.

A spreadsheet reader trusts the zip: a 1 MB "zip bomb" unpacks to gigabytes in memory. Before
calamine or the hidden-cell scan opens a workbook, every member's declared size and
compression ratio are checked against the caps in :mod:`.limits`, then every member is
unpacked once, as a stream, counting the real bytes and checking each CRC, so a member whose
header lies about its size is caught too.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import InventoryFileError
from ..i18n import t
from .hidden import xlsx_sheet_parts
from .limits import MAX_CELLS, MAX_COLUMNS, MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_BYTES

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,7})([0-9]{1,10})"')

_CHUNK = 1 << 20
_RATIO_FLOOR = 1 << 20  # small members (styles, shared strings of a short list) may compress


def _too_big(path: Path, member: str, size: int) -> InventoryFileError:
    return InventoryFileError(
        str(path),
        t("err.inventory.zip_size", member=member, size=size, limit=MAX_UNCOMPRESSED_BYTES),
        t("err.inventory.zip_hint"),
    )


def check_zip(path: Path, data: bytes | None = None) -> None:
    """Raise InventoryFileError when the zip at ``path`` (its ``data`` if already read) unpacks
    beyond the caps."""
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as z:
            members = z.infolist()
            declared = 0
            for info in members:
                declared += info.file_size
                if declared > MAX_UNCOMPRESSED_BYTES:
                    raise _too_big(path, info.filename, declared)
                if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
                    1, info.compress_size
                ):
                    raise InventoryFileError(
                        str(path),
                        t(
                            "err.inventory.zip_ratio",
                            member=info.filename,
                            ratio=info.file_size // max(1, info.compress_size),
                            limit=MAX_COMPRESSION_RATIO,
                        ),
                        t("err.inventory.zip_hint"),
                    )
            real = 0
            for info in members:
                if info.is_dir():
                    continue
                with z.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        real += len(chunk)
                        if real > MAX_UNCOMPRESSED_BYTES:
                            raise _too_big(path, info.filename, real)
    except InventoryFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise InventoryFileError(
            str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint")
        ) from exc


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


_UNIQUE_COUNT = re.compile(rb'\buniqueCount="\s*([0-9]+)')


def check_shared_strings(path: Path, z: zipfile.ZipFile) -> None:
    """Raise InventoryFileError when the shared-strings part declares more strings than a
    sheet may hold cells: calamine reserves room for the declared count up front, so a
    5 KB file declaring four billion asks for 96 GB and aborts the process."""
    for info in z.infolist():
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        with z.open(info) as fh:
            head = fh.read(4096)
        found = _UNIQUE_COUNT.search(head)
        if found and int(found.group(1)) > MAX_CELLS:
            raise InventoryFileError(
                str(path),
                t(
                    "err.inventory.strings_count",
                    member=info.filename,
                    count=int(found.group(1)),
                    limit=MAX_CELLS,
                ),
                t("err.inventory.zip_hint"),
            )


def _xml_parts(z: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    """(sheet name, or the member's name for a part no listed sheet is, its bytes) of each
    part of an open xlsx, whatever its name: a crafted package may point a sheet at any."""
    try:
        named = {member: name for name, member in xlsx_sheet_parts(z)}
    except (KeyError, ET.ParseError):
        named = {}
    for info in z.infolist():
        if not info.is_dir():
            yield named.get(info.filename, info.filename), z.read(info)


def check_xlsx_extent(path: Path, data: bytes | None = None) -> None:
    """Raise InventoryFileError when a sheet's cells span more than the caps allow, or the
    shared strings declare more than a sheet may hold.

    calamine lays a sheet out as one dense grid from A1 to its last cell, so a single stray
    value in XFD1048576 asks for 17 billion cells and aborts the process; the cell references
    are read from the XML first, of every part, not only the sheets the workbook lists as
    khaudit reads it (calamine may find a sheet another way, as in a Strict OOXML file).
    """
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as z:
            check_shared_strings(path, z)
            for name, xml in _xml_parts(z):
                rows = columns = 0
                for letters, digits in set(_CELL_REF.findall(xml)):
                    columns = max(columns, _column_number(letters))
                    rows = max(rows, int(digits))
                if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
                    raise InventoryFileError(
                        str(path),
                        t("err.inventory.area", rows=rows, columns=columns, limit=MAX_CELLS),
                        t("err.inventory.split_hint"),
                        sheet=name,
                    )
    except InventoryFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ET.ParseError, zlib.error, OSError) as exc:
        raise InventoryFileError(
            str(path), t("err.inventory.open", error=exc), t("err.inventory.open_hint")
        ) from exc
