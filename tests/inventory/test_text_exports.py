"""CSV inventories as other tools save them load with the same rows and titles as a UTF-8
file: Excel's "Unicode text" (UTF-16), LibreOffice's UTF-32, UTF-16 without a mark, an old
Mac's lone CR line ends, bytes typed in the TCVN3 font, and a stray NUL byte in one row (read
without it and named, the other rows untouched). A binary file named .csv is still refused."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from khaudit.inventory.loader import load_locality

TITLES = ["Hồ sơ cấp giấy phép xây dựng", "Báo cáo tổng kết năm 2019", "Tờ trình số 12"]
TEXT = "STT;Tiêu đề hồ sơ;Số tờ\n" + "".join(
    f"{n};{title};{n + 10}\n" for n, title in enumerate(TITLES, 1)
)


def _load(path: Path):
    return load_locality([(path, path.name)], "Xã A")


def _titles(path: Path) -> list[str]:
    frame, issues = _load(path)
    assert not [i for i in issues if i.problem == "file_unreadable"], issues
    return list(frame["title"])


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters with their hats, tone marks apart."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and ch not in TONES and out:
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.append(ch)
    return "".join(out).encode("cp1258")


SAVED_AS = {
    "utf-16 (Excel's Unicode text)": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "utf-16 big-endian": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf-16 without a mark": TEXT.encode("utf-16-le"),
    "utf-32 (LibreOffice)": codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    "utf-32 big-endian": codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    "lone CR (classic Mac OS)": TEXT.replace("\n", "\r").encode("utf-8"),
    "CRLF in Windows-1258": _cp1258(TEXT.replace("\n", "\r\n")),
}


@pytest.mark.parametrize("kind", sorted(SAVED_AS))
def test_a_csv_saved_by_another_tool_reads_as_typed(tmp_path: Path, kind: str):
    path = tmp_path / "muc-luc.csv"
    path.write_bytes(SAVED_AS[kind])
    assert _titles(path) == TITLES
    frame, _ = _load(path)
    assert list(frame["sheets"]) == [11, 12, 13]


def test_many_rows_with_lone_cr_line_ends_are_rows_not_one_wide_line(tmp_path: Path):
    # 3,000 rows of 3 cells on one 'line' would pass 16,384 columns if CR were not a line end
    rows = "".join(f"{n};Hồ sơ số {n};5\r" for n in range(1, 3001))
    path = tmp_path / "mac.csv"
    path.write_bytes(("STT;Tiêu đề hồ sơ;Số tờ\r" + rows).encode("utf-8"))
    frame, issues = _load(path)
    assert len(frame) == 3000
    assert list(frame["source_row"])[:2] == [2, 3]


def test_a_csv_typed_in_the_tcvn3_font_is_converted_and_recorded(tmp_path: Path):
    # the bytes a .VnTime-typed sheet saved as CSV holds: 'Tiêu đề hồ sơ' is 'Tiªu ®Ò hå s¬'
    tcvn3 = "STT;Tiªu ®Ò hå s¬;Sè tê\n1;Hå s¬ cÊp giÊy phÐp x©y dùng;11\n2;B¸o c¸o n¨m 2019;12\n"
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(tcvn3.encode("latin-1"))
    frame, issues = _load(path)
    assert list(frame["title"]) == ["Hồ sơ cấp giấy phép xây dựng", "Báo cáo năm 2019"]
    assert list(frame["sheets"]) == [11, 12]
    assert set(frame["encoding"]) == {"tcvn3"}


def test_a_windows_1258_csv_is_not_taken_for_tcvn3(tmp_path: Path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes(_cp1258(TEXT))
    assert _titles(path) == TITLES


def test_a_stray_nul_byte_is_named_at_its_row_and_the_rest_reads(tmp_path: Path):
    data = TEXT.encode("utf-8").replace("Báo cáo".encode(), "Báo\x00 cáo".encode())
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    frame, issues = _load(path)
    assert list(frame["title"]) == TITLES
    nul = [i for i in issues if i.problem == "nul_byte"]
    assert [(i.source_file, i.source_row) for i in nul] == [("nul.csv", 3)]
    assert "NUL" in str(nul[0]) and nul[0].expected("en")


def test_a_binary_file_named_csv_is_still_refused(tmp_path: Path):
    path = tmp_path / "anh.csv"
    path.write_bytes(bytes(range(256)) * 64)
    frame, issues = _load(path)
    assert frame.empty
    assert [i.problem for i in issues] == ["file_unreadable"]
