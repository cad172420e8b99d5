"""Makers of damaged and crafted inventory and sidecar files (for tests and bench/hostile.py).

The spreadsheets start as real workbooks written by openpyxl; only the one part a hostile file
changes is rewritten, so everything else is what an office's Excel file would hold.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import openpyxl


def deep_json(path: Path, depth: int = 100_000) -> Path:
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    return path


def long_cell_csv(path: Path, length: int = 200_000) -> Path:
    path.write_text(
        "Tên tệp,Tiêu đề hồ sơ\n001.pdf,Hồ sơ một\n002.pdf," + "x" * length + "\n", encoding="utf-8"
    )
    return path


def broken_xml(path: Path) -> Path:
    path.write_text(
        "<?xml version='1.0'?>\n<records>\n  <record><file>001.pdf</file>\n"
        "  <record><file>002.pdf</fil></record>\n",
        encoding="utf-8",
    )
    return path


def wide_csv(path: Path, columns: int = 5_000_000) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("STT,Tiêu đề hồ sơ,Số tờ\n1,Hồ sơ một,3\n")
        fh.write("a," * (columns - 1) + "a\n")
    return path


def binary_csv(path: Path, size: int = 64 * 1024) -> Path:
    data = bytearray(os.urandom(size))
    data[100:104] = b"\x00\x00\x00\x00"
    path.write_bytes(bytes(data))
    return path


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Mục lục"
    ws.append(["STT", "Hộp số", "Hồ sơ số", "Tiêu đề hồ sơ", "Số tờ"])
    for i in range(1, 6):
        ws.append([i, 1, i, f"Hồ sơ số {i}", 10])
    book.save(path)
    return path


def _rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one member of a zip, copying every other member as it is."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                change(dst, info, data)
            else:
                dst.writestr(info, data)
    tmp.replace(path)


def hidden_columns_xlsx(path: Path, last: int = 30_000_000) -> Path:
    """A real workbook whose sheet declares columns 1..``last`` hidden (a 5 KB file)."""
    _workbook(path)

    def change(dst, info, data):
        cols = f'<cols><col min="1" max="{last}" width="9" hidden="1"/></cols>'.encode()
        dst.writestr(info, re.sub(rb"<sheetData", cols + b"<sheetData", data, count=1))

    _rewrite_member(path, "xl/worksheets/sheet1.xml", change)
    return path


def zip_bomb_xlsx(path: Path, unpacked: int = 1_000_000_000) -> Path:
    """A real workbook whose sheet XML is padded with ``unpacked`` bytes of blanks inside a
    cell's text (deflate packs them about 1000 to 1, so 1 GB makes a 1 MB file)."""
    _workbook(path)

    def change(dst, info, data):
        head, tail = data.split(b"</sheetData>", 1)
        packed = zipfile.ZipInfo(info.filename, info.date_time)
        packed.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(packed, "w", force_zip64=True) as fh:
            fh.write(head)
            fh.write(b'<row r="7"><c r="A7" t="inlineStr"><is><t xml:space="preserve">')
            block = b" " * (1 << 20)
            for _ in range(unpacked // len(block)):
                fh.write(block)
            fh.write(b"</t></is></c></row></sheetData>" + tail)

    _rewrite_member(path, "xl/worksheets/sheet1.xml", change)
    return path


def far_cell_xlsx(path: Path) -> Path:
    """A real workbook with one stray value in the very last cell (XFD1048576)."""
    book = openpyxl.load_workbook(_workbook(path))
    book.active["XFD1048576"] = "x"
    book.save(path)
    return path
