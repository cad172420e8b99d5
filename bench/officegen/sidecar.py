"""The scanning software's export and the contractor's handover lists, beside the scans.

Headings vary by tool and by who set it up: Vietnamese with or without marks, English,
abbreviated, or the tool's own words. A lot's handover list sits in the lot's folder.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

#: field -> heading, one dictionary per style
STYLES: tuple[dict[str, str], ...] = (
    {
        "file": "Tên tệp",
        "code": "Mã hồ sơ gốc giấy",
        "box": "Hộp số",
        "file_no": "Hồ sơ số",
        "title": "Tiêu đề hồ sơ",
        "year": "Năm",
        "pages": "Số lượng trang",
        "lot": "Lô",
        "seq": "STT trong lô",
    },
    {
        "file": "Ten file",
        "code": "Ma ho so",
        "box": "Hop",
        "file_no": "So HS",
        "title": "Tieu de",
        "year": "Nam",
        "pages": "So trang",
        "lot": "Lo so",
        "seq": "Thu tu",
    },
    {
        "file": "File name",
        "code": "Paper record code",
        "box": "Box",
        "file_no": "File no.",
        "title": "Title",
        "year": "Year",
        "pages": "Page count",
        "lot": "Batch",
        "seq": "Sequence",
    },
    {
        "file": "Tệp",
        "code": "MHS",
        "box": "H",
        "file_no": "HS",
        "title": "TĐ",
        "year": "N",
        "pages": "ST",
        "lot": "L",
        "seq": "TT",
    },
    {
        "file": "Tệp tin",
        "code": "Ký hiệu gốc",
        "box": "Cặp",
        "file_no": "Số lưu",
        "title": "Nội dung scan",
        "year": "Niên độ",
        "pages": "Khối lượng trang",
        "lot": "Đợt",
        "seq": "Số đợt",
    },
)
ORDER = ("lot", "seq", "file", "code", "box", "file_no", "title", "year", "pages")


def _file_cell(path: str, how: int, folder: str) -> str:
    name = path[len(folder) :] if folder and path.startswith(folder) else path
    if how == 1:
        return name.rsplit(".", 1)[0]  # without the extension
    if how == 2:
        return name.rsplit("/", 1)[-1]  # the bare name
    return name


def write(
    root: Path, folder: str, rows: list[dict[str, str]], style: int, rng: random.Random, stem: str
) -> str:
    """Write one sidecar under ``root/folder``; returns its path relative to the root."""
    heads = STYLES[style % len(STYLES)]
    fields = [f for f in ORDER if any(f in row for row in rows)]
    how = rng.randrange(3) if not folder else 2
    extra = rng.random() < 0.5
    table = [[heads[f] for f in fields] + (["Người quét", "Ngày quét"] if extra else [])]
    for row in rows:
        cells = [_file_cell(row[f], how, folder) if f == "file" else row.get(f, "") for f in fields]
        if extra:
            cells += [rng.choice(("Nguyễn Thị Hoa", "Trần Văn Nam", "tram2")), "12/06/2025"]
        table.append(cells)
    if rng.random() < 0.5:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for line in table:
            sheet.append(line)
        relative = f"{folder}{stem}.xlsx"
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        book.save(root / relative)
        return relative
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=rng.choice((",", ";")), lineterminator="\r\n").writerows(table)
    relative = f"{folder}{stem}.csv"
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return relative
