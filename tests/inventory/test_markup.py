"""Spreadsheets that are markup, as web applications and .NET tools "export to Excel": an HTML
table or an XML Spreadsheet 2003 saved as .xls. Read with provenance, spans filled, hidden
rows flagged; crafted ones refused, located."""

from __future__ import annotations

from pathlib import Path

from khaudit.inventory import markup
from khaudit.inventory.encodings import encode_cp1258
from khaudit.inventory.loader import load_inventory, load_locality

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
</head><body><p>Phần mềm quản lý hồ sơ</p><table border=1>
<tr><td colspan=5>MỤC LỤC HỒ SƠ</td>
<tr><th rowspan=2>STT<th rowspan=2>Hộp số<th rowspan=2>Tiêu đề hồ sơ<th colspan=2>Thời gian
<tr><th>Bắt đầu<th>Kết thúc
<tr><td>1<td rowspan=2>3<td>Hồ sơ cấp GCN QSDĐ &amp; bản đồ<br>thửa đất số 12<td>2015<td>2016
<tr><td>2<td>Báo cáo năm 2016<td>2016<td>2016
</table></body></html>"""


def test_an_html_table_saved_as_xls_is_read_with_its_spans(tmp_path: Path):
    path = tmp_path / "xuat-excel.xls"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    records, issues = load_inventory(path, "xuat-excel.xls", "X")
    assert [(r["source_sheet"], r["source_row"], r["box"]) for r in records] == [
        ("Bảng 1", 4, 3),
        ("Bảng 1", 5, 3),  # the box spans both rows
    ]
    assert records[0]["title"] == "Hồ sơ cấp GCN QSDĐ & bản đồ\nthửa đất số 12"
    assert (records[0]["year_start"], records[0]["year_end"]) == (2015, 2016)
    assert issues == []


def test_an_html_export_in_windows_1258_is_decoded(tmp_path: Path):
    path = tmp_path / "xuat-excel.xls"
    path.write_bytes(encode_cp1258(PAGE.format(charset="windows-1258")))
    records, _ = load_inventory(path, "xuat-excel.xls", "X")
    assert records[1]["title"] == "Báo cáo năm 2016"


SSML = """<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="Nháp"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row>
</Table></Worksheet>
<Worksheet ss:Name="Mục lục"><Table>
<Row><Cell ss:MergeAcross="3"><Data ss:Type="String">MỤC LỤC HỒ SƠ</Data></Cell></Row>
<Row ss:Index="3"><Cell><Data ss:Type="String">STT</Data></Cell>
 <Cell><Data ss:Type="String">Hộp số</Data></Cell>
 <Cell><Data ss:Type="String">Tiêu đề hồ sơ</Data></Cell>
 <Cell><Data ss:Type="String">Số tờ</Data></Cell></Row>
<Row><Cell><Data ss:Type="Number">1</Data></Cell>
 <Cell ss:MergeDown="1"><Data ss:Type="Number">7</Data></Cell>
 <Cell><Data ss:Type="String">Sổ đăng ký khai sinh năm 2015</Data></Cell>
 <Cell><Data ss:Type="Number">12</Data></Cell></Row>
<Row ss:Hidden="1"><Cell><Data ss:Type="Number">2</Data></Cell>
 <Cell ss:Index="3"><Data ss:Type="String">Sổ đăng ký kết hôn năm 2015</Data></Cell></Row>
</Table></Worksheet></Workbook>"""


def test_an_xml_spreadsheet_2003_is_read_with_its_gaps_merges_and_hidden_rows(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text(SSML, encoding="utf-8")
    records, issues = load_inventory(path, "export.xls", "X")
    assert [(r["source_sheet"], r["source_row"], r["box"], r["hidden"]) for r in records] == [
        ("Mục lục", 4, 7, False),
        ("Mục lục", 5, 7, True),
    ]
    assert [r["sheets"] for r in records] == [12, None]
    assert [(i.source_sheet, i.problem) for i in issues] == [
        ("Nháp", "no_header"),
        ("Mục lục", "hidden_row"),
    ]


def test_a_span_wider_than_a_sheet_is_refused_naming_the_table(tmp_path: Path):
    path = tmp_path / "rong.xls"
    path.write_text("<table><tr><td colspan=4000000>x</td></tr></table>", encoding="utf-8")
    frame, issues = load_locality([(path, "rong.xls")], "X")
    assert frame.empty and [(i.problem, i.source_sheet) for i in issues] == [
        ("file_unreadable", "Bảng 1")
    ]
    assert "16,384" in issues[0].value


def test_the_cells_of_all_tables_together_are_capped(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(markup, "MAX_CELLS", 10)
    path = tmp_path / "nhieu.xls"
    rows = "".join("<tr><td>1</td><td>2</td><td>3</td></tr>" for _ in range(3))
    path.write_text(f"<table>{rows}</table><table>{rows}</table>", encoding="utf-8")
    frame, issues = load_locality([(path, "nhieu.xls")], "X")
    assert frame.empty and [(i.problem, i.source_sheet) for i in issues] == [
        ("file_unreadable", "Bảng 2")
    ]


def test_markup_with_no_table_or_broken_xml_is_one_located_issue(tmp_path: Path):
    page = tmp_path / "trang.xls"
    page.write_text("<html><body>Không có dữ liệu</body></html>", encoding="utf-8")
    xml = tmp_path / "hong.xls"
    xml.write_text(SSML[:400], encoding="utf-8")
    frame, issues = load_locality([(page, "trang.xls"), (xml, "hong.xls")], "X")
    assert frame.empty
    assert [(i.source_file, i.problem) for i in issues] == [
        ("trang.xls", "file_unreadable"),
        ("hong.xls", "file_unreadable"),
    ]
