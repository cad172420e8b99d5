"""Workbooks whose declarations lie are refused as a located issue before calamine sizes
anything from them (each of these aborted the whole Python process with a Rust allocation
failure), and the other inventories load:

- an xlsx whose shared-strings part declares four billion strings (calamine reserves room
  for them: 96 GB);
- an xls whose DIMENSIONS record declares 1,048,576 x 16,384 cells, in a workbook written by
  xlwt and in one saved by LibreOffice 7.4 (its small workbook stream lives in the compound
  file's mini stream, ``tests/data/inventory/muc-luc-libreoffice.xls``);
- a Strict OOXML workbook (Excel's "Strict Open XML Spreadsheet") with a value in
  XFD1048576, whose sheets the transitional-only lookup did not find.

A merged range that reaches past the used area or over cells holding their own values loses
no row and widens nothing. A Strict workbook's hidden row is flagged like a transitional one.
"""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from spreadsheets import write_xls

from khaudit.inventory.loader import load_locality

FIXTURE_XLS = Path(__file__).parents[1] / "data" / "inventory" / "muc-luc-libreoffice.xls"
ROWS = [["STT", "Tiêu đề hồ sơ", "Số tờ"]] + [[i, f"Hồ sơ số {i}", 10 + i] for i in range(1, 6)]

TRANSITIONAL = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def _xlsx(path: Path, hidden_row: int | None = None) -> Path:
    """A workbook as xlsxwriter writes it (shared strings, transitional namespaces)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Mục lục")
    for r, row in enumerate(ROWS):
        sheet.write_row(r, 0, row)
    if hidden_row:
        sheet.set_row(hidden_row - 1, None, None, {"hidden": True})
    book.close()
    return path


def _rewrite(path: Path, change) -> Path:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
    tmp.replace(path)
    return path


def _strict(name: str, data: bytes) -> bytes:
    for old, new in TRANSITIONAL.items():
        data = data.replace(old, new)
    return data


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    return path


def _refused(tmp_path: Path, path: Path) -> str:
    """The one unreadable-file issue of ``path``, the other inventory loaded."""
    good = _good(tmp_path)
    frame, issues = load_locality([(path, path.name), (good, good.name)], "Xã A")
    unreadable = [i for i in issues if i.problem == "file_unreadable"]
    assert [i.source_file for i in unreadable] == [path.name]
    assert list(frame["source_file"]) == ["good.csv"]
    return str(unreadable[0])


def test_shared_strings_declaring_four_billion_are_refused(tmp_path: Path):
    path = _rewrite(
        _xlsx(tmp_path / "strings.xlsx"),
        lambda name, data: (
            re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', data)
            if name.endswith("sharedStrings.xml")
            else data
        ),
    )
    assert "4,000,000,000" in _refused(tmp_path, path)


def _declare_dimensions(path: Path, rows: int, columns: int) -> Path:
    data = bytearray(path.read_bytes())
    found = 0
    for match in re.finditer(rb"\x00\x02\x0e\x00", bytes(data)):
        at = match.start() + 4
        data[at + 4 : at + 8] = struct.pack("<I", rows)
        data[at + 10 : at + 12] = struct.pack("<H", columns)
        found += 1
    assert found, "no DIMENSIONS record in the test workbook"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("writer", ["xlwt", "libreoffice"])
def test_an_xls_declaring_a_huge_sheet_is_refused(tmp_path: Path, writer: str):
    path = tmp_path / f"{writer}.xls"
    if writer == "xlwt":
        write_xls(path, {"Mục lục": ROWS})
    else:
        shutil.copy(FIXTURE_XLS, path)
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert len(frame) >= 2 and not issues  # the workbook as written reads
    _declare_dimensions(path, 1_048_576, 16_384)
    assert "1,048,576" in _refused(tmp_path, path)


def test_a_strict_ooxml_workbook_reads_and_its_far_cell_is_refused(tmp_path: Path):
    strict = _rewrite(_xlsx(tmp_path / "strict.xlsx", hidden_row=3), _strict)
    frame, issues = load_locality([(strict, strict.name)], "Xã A")
    assert list(frame["title"]) == [f"Hồ sơ số {i}" for i in range(1, 6)]
    assert [i.source_row for i in issues if i.problem == "hidden_row"] == [3]

    far = _rewrite(
        _xlsx(tmp_path / "far.xlsx"),
        lambda name, data: (
            data.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
            )
            if name.endswith("sheet1.xml")
            else data
        ),
    )
    _rewrite(far, _strict)
    message = _refused(tmp_path, far)
    assert "Mục lục" in message and "16,384" in message


def test_a_merged_range_over_typed_cells_or_past_the_sheet_loses_nothing(tmp_path: Path):
    path = _xlsx(tmp_path / "merged.xlsx")
    merges = '<mergeCells count="2"><mergeCell ref="A1:XFD1048576"/><mergeCell ref="C7:XFD9"/>'
    path = _rewrite(
        path,
        lambda name, data: (
            data.replace(b"</sheetData>", b"</sheetData>" + merges.encode() + b"</mergeCells>")
            if name.endswith("sheet1.xml")
            else data
        ),
    )
    frame, _ = load_locality([(path, path.name)], "Xã A")
    assert list(frame["title"]) == [f"Hồ sơ số {i}" for i in range(1, 6)]
    assert list(frame["sheets"]) == [11, 12, 13, 14, 15]
