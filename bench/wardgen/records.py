"""The records an office keeps: titles in parts, owners, receipts, dates, boxes.

A title is a list of parts; each part has its full wording and, for the office's usual
abbreviations, the short form an inventory or an operator may write instead. The reader's
view of a title (``Record.twords``) is the folded full wording without a leading "hồ sơ",
so a title typed with "GCN QSDĐ" and one with the words in full are the same words.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cached_property

from .keyboard import fold, words
from .vocab import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    PROCEDURES,
    SHOPS,
    SURNAMES,
    VILLAGES,
)

_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Part:
    text: str  # the full wording
    short: str = ""  # the abbreviation, when offices use one
    role: str = "word"  # word | person | number


@dataclass
class Record:
    """One inventory row (or, for an orphan, the record the inventory lacks)."""

    idx: int
    kind: str
    parts: list[Part]
    persons: tuple[str, ...]  # folded names the title writes
    owner: str  # the first person named, as written (NFC)
    date: dt.date
    period: tuple[int, int]  # (year, quarter/month/volume) of a series; (0, 0) otherwise
    sheets: int
    pages: int  # what a complete scan of it has
    former: str = ""  # the former commune whose archive it comes from
    district: bool = False  # handed over by the abolished district
    receipt: str = ""
    code: str = ""  # the code as the inventory writes it ("" when none)
    stt: int = 0
    box: int = 0
    old_box: int = 0
    file_no: int = 0
    notes: str = ""  # the Ghi chú cell
    title: str = ""  # as the inventory writes it
    repeat_of: int | None = None  # a row typed twice: the first row's idx
    in_inventory: bool = True
    source_file: str = ""
    source_sheet: str = ""
    source_row: int = 0
    cccd: str = ""
    phone: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @cached_property
    def twords(self) -> tuple[str, ...]:
        w = words(" ".join(p.text for p in self.parts))
        return w[2:] if w[:2] == ("ho", "so") else w

    @property
    def year(self) -> int:
        return self.date.year


def person(rng: random.Random, female: bool) -> str:
    sur = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    mid = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{sur} {mid} {given}"


def _p(text: str, short: str = "", role: str = "word") -> Part:
    return Part(text, short, role)


def _tthc_parts(kind: str, rng: random.Random, owner: str, female: bool) -> list[Part]:
    """The title of a procedure's record, its owner named first."""
    mr = "bà" if female else "ông"
    if kind == "khai_sinh":
        return [
            _p("Hồ sơ"),
            _p("đăng ký", "ĐK"),
            _p("khai sinh cho cháu"),
            _p(owner, role="person"),
        ]
    if kind == "ket_hon":
        other = person(rng, not female)
        a, b = ("chị", "anh") if female else ("anh", "chị")
        return [
            _p("Hồ sơ"),
            _p("đăng ký", "ĐK"),
            _p(f"kết hôn giữa {a}"),
            _p(owner, role="person"),
            _p(f"và {b}"),
            _p(other, role="person"),
        ]
    if kind == "khai_tu":
        return [_p("Hồ sơ"), _p("đăng ký", "ĐK"), _p(f"khai tử cho {mr}"), _p(owner, role="person")]
    if kind == "hon_nhan":
        return [
            _p("Hồ sơ cấp giấy xác nhận"),
            _p("tình trạng hôn nhân", "TTHN"),
            _p(f"cho {mr}"),
            _p(owner, role="person"),
        ]
    if kind == "chung_thuc":
        other = person(rng, rng.random() < 0.5)
        return [
            _p("Hồ sơ chứng thực hợp đồng chuyển nhượng"),
            _p("quyền sử dụng đất", "QSDĐ"),
            _p("giữa"),
            _p(owner, role="person"),
            _p("và"),
            _p(other, role="person"),
        ]
    if kind in ("gcn", "bien_dong"):
        head = (
            [_p("Hồ sơ đề nghị cấp"), _p("giấy chứng nhận quyền sử dụng đất", "GCN QSDĐ")]
            if kind == "gcn"
            else [_p("Hồ sơ"), _p("đăng ký", "ĐK"), _p("biến động đất đai")]
        )
        return [
            *head,
            _p(f"cho hộ {mr}" if kind == "gcn" else f"của {mr}"),
            _p(owner, role="person"),
            _p(", "),
            _p("thửa đất số", "thửa"),
            _p(str(rng.randint(1, 480)), role="number"),
            _p(", "),
            _p("tờ bản đồ số", "TBĐ"),
            _p(str(rng.randint(1, 42)), role="number"),
        ]
    if kind == "gpxd":
        return [
            _p("Hồ sơ cấp"),
            _p("giấy phép xây dựng", "GPXD"),
            _p(f"nhà ở riêng lẻ cho {mr}"),
            _p(owner, role="person"),
            _p(f"tại {rng.choice(VILLAGES)}"),
        ]
    return [
        _p("Hồ sơ"),
        _p("đăng ký", "ĐK"),
        _p("hộ kinh doanh", "HKD"),
        _p(rng.choice(SHOPS)),
        _p(f"của {mr}"),
        _p(owner, role="person"),
    ]


def _series_parts(kind: str, year: int, n: int, unit: str) -> list[Part]:
    """A series of the office's own papers: the period or volume is the deciding word."""
    if kind == "bao_cao":
        return [
            _p("Báo cáo", "BC"),
            _p("tình hình"),
            _p("kinh tế - xã hội", "KT-XH"),
            _p(f"quý {_ROMAN[n - 1]} năm"),
            _p(str(year), role="number"),
        ]
    if kind == "bien_ban":
        return [
            _p("Biên bản họp giao ban"),
            _p("Ủy ban nhân dân", "UBND"),
            _p(f"{unit} tháng"),
            _p(str(n), role="number"),
            _p("năm"),
            _p(str(year), role="number"),
        ]
    if kind == "quyet_dinh":
        return [
            _p("Tập lưu"),
            _p("quyết định", "QĐ"),
            _p("của Chủ tịch"),
            _p("Ủy ban nhân dân", "UBND"),
            _p(f"{unit} năm"),
            _p(str(year), role="number"),
            _p(f"quyển {n:02d}"),
        ]
    return [
        _p("Sổ"),
        _p("đăng ký", "ĐK"),
        _p("khai sinh năm"),
        _p(str(year), role="number"),
        _p(f"quyển {n:02d}"),
    ]


def make_record(
    idx: int, kind: str, rng: random.Random, years: tuple[int, int], unit: str
) -> Record:
    """A new record of ``kind``: its title, owner, dates and sheets."""
    proc = PROCEDURES[kind]
    lo, hi = proc.sheets
    sheets = rng.randint(lo, hi)
    pages = min(2 * sheets, max(sheets, round(sheets * rng.uniform(1.0, 1.7))))
    year = rng.randint(*years)
    if proc.tthc:
        female = rng.random() < 0.5
        owner = person(rng, female)
        parts = _tthc_parts(kind, rng, owner, female)
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
        if date.weekday() >= 5:
            date -= dt.timedelta(days=date.weekday() - 4)
        period = (0, 0)
    else:
        n = {"bao_cao": rng.randint(1, 4), "bien_ban": rng.randint(1, 12)}.get(
            kind, rng.randint(1, 3)
        )
        parts = _series_parts(kind, year, n, unit)
        owner = ""
        month = {"bao_cao": 3 * n, "bien_ban": n}.get(kind, 1)
        date = dt.date(year, month, 28 if kind != "quyet_dinh" else 1)
        period = (year, n)
    persons = tuple(fold(p.text) for p in parts if p.role == "person")
    return Record(idx, kind, parts, persons, owner, date, period, sheets, pages)


def same_owner_again(rec: Record, idx: int, rng: random.Random) -> Record:
    """Another parcel of the same owner, or the next period of the same series: a twin."""
    parts = list(rec.parts)
    if rec.kind in ("gcn", "bien_dong"):
        k = max(i for i, p in enumerate(parts) if p.role == "number" and i < len(parts) - 1)
        parts[k] = _p(str(int(parts[k].text) + rng.randint(1, 3)), role="number")
        period, date = rec.period, rec.date + dt.timedelta(days=rng.randint(0, 40))
    elif rec.period != (0, 0):
        year, n = rec.period
        top = {"bao_cao": 4, "bien_ban": 12}.get(rec.kind, 3)
        n = n % top + 1
        for i, p in enumerate(parts):
            if p.text.startswith("quý "):
                parts[i] = _p(f"quý {_ROMAN[n - 1]} năm")
            elif p.text.startswith("quyển "):
                parts[i] = _p(f"quyển {n:02d}")
            elif p.role == "number" and i > 0 and "tháng" in parts[i - 1].text:
                parts[i] = _p(str(n), role="number")
        period = (year, n)
        month = {"bao_cao": 3 * n, "bien_ban": n}.get(rec.kind, 1)
        date = dt.date(year, month, rec.date.day)
    else:
        return make_record(idx, rec.kind, rng, (rec.year, rec.year), "")
    pages = min(2 * rec.sheets, rec.pages + rng.choice((-1, 0, 1, 2)))
    twin = Record(idx, rec.kind, parts, rec.persons, rec.owner, date, period, rec.sheets, pages)
    twin.sheets = max(1, rec.sheets + rng.choice((-2, -1, 0, 0, 1, 3)))
    twin.pages = min(2 * twin.sheets, max(twin.sheets, pages))
    return twin
