"""verify-report reads a report someone else sent: hostile files are clear errors, no hang."""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest

from khaudit.errors import KhauditError
from khaudit.report.verify_report import report_fingerprint


def test_a_fifo_report_is_refused_not_read(tmp_path: Path):
    os.mkfifo(tmp_path / "report.html")
    with pytest.raises(KhauditError, match="cannot read"):
        report_fingerprint(tmp_path / "report.html")


def test_a_workbook_that_would_inflate_too_far_is_not_opened(tmp_path: Path):
    target = tmp_path / "report.xlsx"
    with zipfile.ZipFile(target, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", b"<x/>")
    data = bytearray(target.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 0xFFFFFFF0)  # "4 GB once unpacked"
    target.write_bytes(bytes(data))
    with pytest.raises(KhauditError, match="once unpacked"):
        report_fingerprint(target)


@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", b"%PDF-1.4 garbage"),
        ("report.xlsx", b"PK not a zip"),
        ("report.html", b"<html>" + b"\xff" * 1000),
    ],
)
def test_unreadable_reports_say_they_carry_no_fingerprint(tmp_path: Path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(KhauditError, match="fingerprint"):
        report_fingerprint(tmp_path / name)
