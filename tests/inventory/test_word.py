"""Word inventories (.docx), written with python-docx as an office types them: a title block
in paragraphs, a table with merged header cells, or one table a page; and damaged or crafted
documents, each one located issue."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from click.testing import CliRunner

from khaudit.cli import cli
from khaudit.inventory import word
from khaudit.inventory.loader import load_inventory, load_locality

HEAD = ["STT", "Hộp số", "Hồ sơ số", "Tiêu đề hồ sơ", "Thời gian", "", "Số tờ"]
SUB = ["", "", "", "", "Bắt đầu", "Kết thúc", ""]


def _row(i: int) -> list[str]:
    title = f"Hồ sơ đăng ký khai sinh năm 2015, quyển {i}"
    return [str(i), "1", str(i), title, "01/2015", "12/2015", str(5 + i)]


def _table(document, rows: list[list[str]], two_row: bool = True) -> None:
    body = [HEAD, SUB] if two_row else [[s or h for h, s in zip(HEAD, SUB)]]
    table = document.add_table(rows=len(body) + len(rows), cols=len(HEAD))
    for r, values in enumerate(body + rows):
        for c, v in enumerate(values):
            if v:
                table.cell(r, c).text = v
    if two_row:
        for c in (0, 1, 2, 3, 6):
            top = table.cell(0, c)
            top.merge(table.cell(1, c)).text = HEAD[c]
        table.cell(0, 4).merge(table.cell(0, 5)).text = "Thời gian"


def _document(path: Path, pages: list[list[int]], layout: bool = True) -> Path:
    document = docx.Document()
    if layout:  # the national heading beside the unit: a two-column layout table
        heading = document.add_table(rows=2, cols=2)
        heading.cell(0, 0).text = "UBND XÃ DIÊN LẠC"
        heading.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    document.add_paragraph("MỤC LỤC HỒ SƠ")
    document.add_paragraph("Phông: UBND xã Diên Lạc")
    for n, page in enumerate(pages):
        if n:
            document.add_page_break()
        _table(document, [_row(i) for i in page], two_row=n == 0)
    document.add_paragraph("Mục lục này gồm có ... hồ sơ")
    document.save(str(path))
    return path


def test_a_word_table_under_a_title_block_is_read_with_table_and_row(tmp_path: Path):
    path = _document(tmp_path / "muc-luc.docx", [[1, 2, 3]])
    records, issues = load_inventory(path, "muc-luc.docx", "Xã Diên Lạc")
    assert [(r["source_sheet"], r["source_row"]) for r in records] == [
        ("Bảng 2", 3),
        ("Bảng 2", 4),
        ("Bảng 2", 5),
    ]
    first = records[0]
    assert first["title"] == "Hồ sơ đăng ký khai sinh năm 2015, quyển 1"
    assert (first["box"], first["file_no"], first["sheets"]) == (1, 1, 6)
    assert (first["date_start"], first["date_end"]) == ("2015-01", "2015-12")
    assert issues == []


def test_one_table_a_page_continues_the_first(tmp_path: Path):
    # The later pages repeat a one-row header; the records of every table are read.
    path = _document(tmp_path / "muc-luc.docx", [[1, 2], [3, 4], [5]], layout=False)
    frame, issues = load_locality([(path, "muc-luc.docx")], "Xã Diên Lạc")
    assert list(frame["file_no"]) == [1, 2, 3, 4, 5]
    assert list(frame["source_sheet"]) == ["Bảng 1"] * 2 + ["Bảng 2"] * 2 + ["Bảng 3"]
    assert list(frame["date_end"]) == ["2015-12"] * 5
    assert issues == []


def test_inventory_check_reads_a_word_file(tmp_path: Path):
    path = _document(tmp_path / "muc-luc.docx", [[1, 2, 3]])
    result = CliRunner().invoke(cli, ["inventory", "check", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Bảng 2" in result.output and "3 records" in result.output


def test_a_damaged_word_file_is_one_located_issue(tmp_path: Path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04 not really a document")
    frame, issues = load_locality([(path, "hong.docx")], "X")
    assert frame.empty and [i.problem for i in issues] == ["file_unreadable"]
    assert issues[0].source_file == "hong.docx"


def test_a_zip_bomb_named_docx_is_refused_before_python_docx_opens_it(tmp_path: Path):
    path = _document(tmp_path / "bomb.docx", [[1]])
    with zipfile.ZipFile(path, "a") as z:
        packed = zipfile.ZipInfo("word/padding.xml")
        packed.compress_type = zipfile.ZIP_DEFLATED
        with z.open(packed, "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(300):
                fh.write(block)
    frame, issues = load_locality([(path, "bomb.docx")], "X")
    assert frame.empty and [i.problem for i in issues] == ["file_unreadable"]
    assert "word/padding.xml" in issues[0].value


def test_a_cell_merged_wider_than_a_sheet_is_refused_naming_the_table(tmp_path: Path):
    path = _document(tmp_path / "wide.docx", [[1]], layout=False)
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    xml = members["word/document.xml"]
    members["word/document.xml"] = xml.replace(
        b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="4000000000"/>', 1
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    frame, issues = load_locality([(path, "wide.docx")], "X")
    assert [(i.problem, i.source_sheet) for i in issues] == [("file_unreadable", "Bảng 1")]
    assert "16,384" in issues[0].value


def test_the_cells_of_all_tables_together_are_capped(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(word, "MAX_CELLS", 40)
    path = _document(tmp_path / "many.docx", [[1, 2], [3, 4], [5, 6]], layout=False)
    frame, issues = load_locality([(path, "many.docx")], "X")
    assert frame.empty and [(i.problem, i.source_sheet) for i in issues] == [
        ("file_unreadable", "Bảng 2")
    ]


def test_a_project_lists_word_inventories(tmp_path: Path):
    from khaudit.project import load_project

    _document(tmp_path / "muc-luc.docx", [[1]])
    (tmp_path / "scans").mkdir()
    (tmp_path / "project.toml").write_text(
        'title = "T"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Diên Lạc"\n'
        'inventories = ["*.docx"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    project = load_project(tmp_path / "project.toml")
    assert [shown for _, shown in project.localities[0].inventories] == ["muc-luc.docx"]


def test_a_box_number_merged_down_over_its_files_belongs_to_each(tmp_path: Path):
    path = _document(tmp_path / "hop.docx", [[1, 2, 3]], layout=False)
    document = docx.Document(str(path))
    table = document.tables[0]
    for r in (3, 4):
        table.cell(r, 1).text = ""
    table.cell(2, 1).merge(table.cell(4, 1)).text = "7"
    document.save(str(path))
    records, issues = load_inventory(path, "hop.docx", "X")
    assert [r["box"] for r in records] == [7, 7, 7] and issues == []


def test_a_table_inside_a_one_cell_frame_is_read(tmp_path: Path):
    document = docx.Document()
    document.add_paragraph("MỤC LỤC HỒ SƠ")
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    table = frame.add_table(rows=3, cols=3)
    for r, values in enumerate([["STT", "Tiêu đề hồ sơ", "Số tờ"], ["1", "Hồ sơ A", "4"]]):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    path = tmp_path / "khung.docx"
    document.save(str(path))
    records, issues = load_inventory(path, "khung.docx", "X")
    assert [(r["source_sheet"], r["source_row"], r["title"]) for r in records] == [
        ("Bảng 2", 2, "Hồ sơ A")
    ]
    assert issues == []
