"""The province workbook and the receivers of the roll-up, read back from the files written:
every unit (those not audited too), a totals row, the signature block, numbers as numbers,
per-receiver counts summed across localities; wrapped rows tall enough to print."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest

from khaudit.contract import RecordStatus
from khaudit.report.province import ProvinceReport, receiver_table
from khaudit.report.province_xlsx import write_province_workbook
from khaudit.report.render import render_province
from khaudit.report.xlsx import LINE_POINTS, write_locality_workbook

UNITS = [("Xã Diên Lạc", "22678"), ("Phường Bắc Nha Trang", "22333"), ("Xã Diên Điền", "22657")]


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True)]


def test_province_workbook_lists_every_unit_with_totals_and_signature(demo_run, tmp_path):
    path = write_province_workbook(demo_run, tmp_path / "province.xlsx", units=UNITS)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    rows = _rows(ws)
    header = next(i for i, r in enumerate(rows) if r[0] == "Thứ tự")
    table = [dict(zip(rows[header], r, strict=True)) for r in rows[header + 1 :]]
    by_name = {r["Địa phương"]: r for r in table if r["Địa phương"]}
    audited = [loc["name"] for loc in demo_run.meta["localities"]]
    assert set(audited) <= set(by_name)
    assert {"Phường Bắc Nha Trang", "Xã Diên Điền"} <= set(by_name)  # not audited, still listed
    not_audited = by_name["Phường Bắc Nha Trang"]
    assert not_audited["Ghi chú"] == "Chưa kiểm tra" and not_audited["Số hồ sơ"] is None
    ranked = [r for r in table if isinstance(r["Thứ tự"], int)]
    assert [r["Thứ tự"] for r in ranked] == list(range(1, len(audited) + 1))
    total = by_name["Tổng cộng"]
    assert isinstance(total["Số hồ sơ"], int)
    assert total["Số hồ sơ"] == sum(r["Số hồ sơ"] for r in ranked)
    assert total["Đã số hóa"] == sum(r["Đã số hóa"] for r in ranked)
    assert isinstance(total["Tỷ lệ hoàn thành"], float)
    assert total["Tỷ lệ hoàn thành"] == pytest.approx(total["Đã số hóa"] / total["Số hồ sơ"])
    share = ws.cell(header + 2, 4)
    assert isinstance(share.value, float) and "%" in share.number_format
    texts = [v for r in rows for v in r if isinstance(v, str)]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "SỞ NỘI VỤ TỈNH KHÁNH HÒA" in texts
    assert "Nơi nhận:" in texts and "GIÁM ĐỐC" in texts and "Đặng Văn Giang" in texts
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in texts
    codes = {r["Mã đơn vị"] for r in table}  # official codes are identifiers: text ("00004")
    for text in set(texts) - codes:  # no artefact, no number stored as text
        assert text not in ("<NA>", "None", "nan", "NaT") and not re.fullmatch(r"\d+%?", text)
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows and ws.page_setup.fitToHeight == 0


def test_receivers_are_summed_across_localities(demo_run, tmp_path):
    records = demo_run.records
    kept = records[records["status"] != RecordStatus.DUPLICATE_ENTRY]
    table = receiver_table(demo_run)
    assert table["records"].sum() == len(kept)
    for row in table.itertuples():
        mine = kept[kept["receiver"].fillna("") == row.receiver]
        assert row.records == len(mine)
        assert row.digitized == (mine["status"] == RecordStatus.DIGITIZED).sum()
        assert set(row.giving_units.split("; ")) == set(mine["locality"])
    book = openpyxl.load_workbook(write_province_workbook(demo_run, tmp_path / "p.xlsx"))
    ws = book["Bàn giao theo nơi nhận"]
    rows = _rows(ws)
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert total[2] == len(kept) and isinstance(total[3], int)
    page = ProvinceReport(demo_run, units=[]).receivers()
    first = table.iloc[0]
    assert f"bàn giao cho {first['receiver']}" in page and "hồ sơ" in page


def test_the_province_page_writes_counts_as_whole_numbers(demo_run):
    page = ProvinceReport(demo_run, units=UNITS).ranking()
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert "Chưa kiểm tra" in cells and "Tổng cộng" in cells
    assert not [c for c in cells if re.fullmatch(r"\d+,00", c)]  # never "9,00" records


def test_render_province_writes_the_workbook_beside_the_page(own_run):
    page = render_province(own_run)
    assert (page.parent / "province.xlsx").exists()
    assert "Bàn giao theo đơn vị nhận" in page.read_text(encoding="utf-8")


def test_summary_rows_with_wrapped_text_are_tall_enough(demo_run, tmp_path):
    path = write_locality_workbook(demo_run, "Xã Diên Lạc", tmp_path / "report.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[0]
    width = ws.column_dimensions["B"].width
    long_cells = [
        c for c in ws["B"] if isinstance(c.value, str) and len(c.value) > width and c.row > 1
    ]
    assert long_cells  # the parameters and the digests wrap
    for cell in long_cells:
        height = ws.row_dimensions[cell.row].height
        assert height and height >= LINE_POINTS * 2, (cell.coordinate, cell.value)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_province_workbook(demo_run, tmp_path):
    path = write_province_workbook(demo_run, tmp_path / "province.xlsx", units=UNITS)
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "province.pdf").stat().st_size > 0
