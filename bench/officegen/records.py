"""The records of one locality's inventory: kinds, titles, dates, numbers, boxes and codes.

A locality's fonds mixes what a commune office keeps: land certificates and transfers (with
parcel and map sheet), civil-status dossiers and registers (by book), household business
registrations, construction permits, complaints, decisions (number and symbol), decision books
by number range, quarterly reports and yearly plans. Series (quarters of a year, adjacent
parcels of one owner, decision books of one year, the same plan every year) are the near-twins
the matcher must tell apart.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import vocab

QUARTERS = ("I", "II", "III", "IV")
REGISTERS = {"khai sinh": "KS", "kết hôn": "KH", "khai tử": "KT"}
#: Kinds served through the one-stop shop (they carry a receipt number).
TTHC_KINDS = frozenset({"land_gcn", "land_transfer", "civil", "business", "construction"})


@dataclass
class Record:
    """One inventory row as the office meant it (before any typing noise)."""

    kind: str
    title: str
    year: int
    start: dt.date
    end: dt.date
    sheets: int
    owner: str = ""
    parcel: int = 0
    map_sheet: int = 0
    decision_no: int = 0
    register: tuple[str, int] = ("", 0)  # (register kind, book number)
    receipt: str = ""
    series: str = ""  # records of one series are near-twins
    # filled when the inventory is laid out
    box: int = 0
    file_no: int = 0
    code: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def tthc(self) -> bool:
        return self.kind in TTHC_KINDS


def _day(rng: random.Random, year: int, first: int = 1, last: int = 12) -> dt.date:
    month = rng.randint(first, last)
    return dt.date(year, month, rng.randint(1, 28))


def _span(rng: random.Random, start: dt.date, low: int, high: int) -> dt.date:
    end = start + dt.timedelta(days=rng.randint(low, high))
    return min(end, dt.date(start.year, 12, 31))


def _land(rng: random.Random, year: int, parcels: set[tuple[int, int]]) -> list[Record]:
    name, female = vocab.person(rng)
    who = f"{vocab.honorific(female)} {name}"
    while True:
        key = (rng.randint(1, 60), rng.randint(1, 1400))
        if key not in parcels and (key[0], key[1] + 1) not in parcels:
            break
    siblings = 2 if rng.random() < 0.12 else 1
    out = []
    transfer = rng.random() < 0.35
    buyer, _ = vocab.person(rng)
    for k in range(siblings):
        sheet, parcel = key[0], key[1] + k
        parcels.add((sheet, parcel))
        start = _day(rng, year)
        if transfer:
            title = (
                f"Hồ sơ chuyển nhượng quyền sử dụng đất của {who} cho {buyer}, "
                f"thửa đất số {parcel}, tờ bản đồ số {sheet}"
            )
        else:
            title = (
                f"Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ {who}, "
                f"thửa đất số {parcel}, tờ bản đồ số {sheet}"
            )
        out.append(
            Record(
                kind="land_transfer" if transfer else "land_gcn",
                title=title,
                year=year,
                start=start,
                end=_span(rng, start, 10, 60),
                sheets=rng.randint(6, 22),
                owner=name,
                parcel=parcel,
                map_sheet=sheet,
                series=f"land:{name}:{sheet}" if siblings > 1 else "",
            )
        )
    return out


def _civil(rng: random.Random, year: int, locality: str) -> Record:
    start = _day(rng, year)
    choice = rng.random()
    if choice < 0.5:
        groom, _ = vocab.person(rng, female=False)
        bride, _ = vocab.person(rng, female=True)
        title = f"Hồ sơ đăng ký kết hôn giữa anh {groom} và chị {bride}"
        owner = groom
    elif choice < 0.8:
        child, _ = vocab.person(rng)
        title = f"Hồ sơ đăng ký khai sinh cho cháu {child}"
        owner = child
    else:
        dead, female = vocab.person(rng)
        title = f"Hồ sơ đăng ký khai tử cho {vocab.honorific(female)} {dead}"
        owner = dead
    return Record("civil", title, year, start, _span(rng, start, 1, 10), rng.randint(2, 6), owner)


def _business(rng: random.Random, year: int, locality: str) -> Record:
    name, female = vocab.person(rng)
    start = _day(rng, year)
    place = rng.choice(vocab.PLACES)
    title = (
        f"Hồ sơ đăng ký hộ kinh doanh {rng.choice(vocab.SHOPS)} của "
        f"{vocab.honorific(female)} {name} tại {place}"
    )
    return Record(
        "business", title, year, start, _span(rng, start, 3, 15), rng.randint(4, 10), name
    )


def _construction(rng: random.Random, year: int, locality: str) -> Record:
    name, female = vocab.person(rng)
    start = _day(rng, year)
    title = (
        f"Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho {vocab.honorific(female)} {name} "
        f"tại {rng.choice(vocab.PLACES)}"
    )
    return Record(
        "construction", title, year, start, _span(rng, start, 10, 45), rng.randint(8, 20), name
    )


def _complaint(rng: random.Random, year: int, locality: str) -> Record:
    name, female = vocab.person(rng)
    start = _day(rng, year)
    topic = rng.choice(
        ("tranh chấp đất đai", "lấn chiếm lối đi chung", "bồi thường giải phóng mặt bằng")
    )
    title = (
        f"Hồ sơ giải quyết đơn kiến nghị của {vocab.honorific(female)} {name} về việc {topic} "
        f"tại {rng.choice(vocab.PLACES)}"
    )
    return Record(
        "complaint", title, year, start, _span(rng, start, 20, 90), rng.randint(5, 18), name
    )


def _decision(rng: random.Random, year: int, locality: str) -> Record:
    start = _day(rng, year)
    subject = rng.choice(vocab.DECISION_SUBJECTS)
    # the number is set once the year's decisions are sorted by date
    title = (
        "Quyết định số {no}/QĐ-UBND ngày {day} của Chủ tịch UBND " + f"{locality} về việc {subject}"
    )
    return Record("decision", title, year, start, start, rng.randint(2, 6))


SINGLES = {
    "civil": _civil,
    "business": _business,
    "construction": _construction,
    "complaint": _complaint,
    "decision": _decision,
}


def _quarters(rng: random.Random, year: int, locality: str) -> list[Record]:
    out = []
    for q, roman in enumerate(QUARTERS):
        start = dt.date(year, 3 * q + 1, 1)
        end = dt.date(year, 3 * q + 3, 28)
        title = (
            "Báo cáo tình hình thực hiện nhiệm vụ kinh tế - xã hội "
            f"quý {roman} năm {year} của UBND {locality}"
        )
        out.append(
            Record("report", title, year, start, end, rng.randint(3, 10), series=f"q:{year}")
        )
    return out


def _decision_books(rng: random.Random, year: int, locality: str) -> list[Record]:
    out, first = [], 1
    for _ in range(rng.randint(2, 3)):
        last = first + rng.randint(60, 140)
        title = f"Tập quyết định của UBND {locality} năm {year} từ số {first:02d} đến số {last}"
        start = dt.date(year, 1, 2)
        out.append(
            Record(
                "decision_book",
                title,
                year,
                start,
                dt.date(year, 12, 31),
                rng.randint(40, 90),
                series=f"qd:{year}",
            )
        )
        first = last + 1
    return out


def _yearly(rng: random.Random, year: int, locality: str) -> list[Record]:
    plans = (
        f"Kế hoạch phát triển kinh tế - xã hội năm {year} của UBND {locality}",
        f"Hồ sơ hội nghị tổng kết công tác năm {year} của Ủy ban nhân dân {locality}",
    )
    out = []
    for n, title in enumerate(plans):
        start = dt.date(year, 1 + 11 * n, 5)
        out.append(
            Record(
                "yearly",
                title,
                year,
                start,
                _span(rng, start, 5, 25),
                rng.randint(4, 15),
                series=f"y{n}",
            )
        )
    return out


def _registers(rng: random.Random, year: int, books: int) -> list[Record]:
    out = []
    for kind in REGISTERS:
        for book in range(1, books + 1):
            title = f"Sổ đăng ký {kind} năm {year}, quyển số {book:02d}"
            out.append(
                Record(
                    "register",
                    title,
                    year,
                    dt.date(year, 1, 1),
                    dt.date(year, 12, 31),
                    rng.randint(25, 60),
                    register=(kind, book),
                    series=f"reg:{year}",
                )
            )
    return out


def _year_records(
    rng: random.Random,
    year: int,
    count: int,
    locality: str,
    mix: dict[str, float],
    parcels: set[tuple[int, int]],
) -> list[Record]:
    out: list[Record] = []
    if mix.get("report", 0) > rng.random():
        out += _quarters(rng, year, locality)
    if mix.get("decision_book", 0) > rng.random():
        out += _decision_books(rng, year, locality)
    if mix.get("yearly", 0) > rng.random():
        out += _yearly(rng, year, locality)
    if mix.get("register", 0) > rng.random():
        out += _registers(rng, year, rng.randint(1, 2))
    kinds = [k for k in ("land", *SINGLES) if mix.get(k, 0) > 0]
    weights = [mix[k] for k in kinds]
    while len(out) < count:
        kind = rng.choices(kinds, weights)[0]
        if kind == "land":
            out += _land(rng, year, parcels)
        else:
            out.append(SINGLES[kind](rng, year, locality))
    return out


def _number_decisions(records: list[Record], rng: random.Random) -> None:
    by_year: dict[int, list[Record]] = {}
    for r in records:
        if r.kind == "decision":
            by_year.setdefault(r.year, []).append(r)
    for group in by_year.values():
        group.sort(key=lambda r: r.start)
        no = 0
        for r in group:
            no += rng.randint(1, 9)
            r.decision_no = no
            r.title = r.title.format(no=no, day=f"{r.start.day:02d}/{r.start.month:02d}/{r.year}")


def _receipts(records: list[Record], agency: str) -> None:
    per_day: dict[dt.date, int] = {}
    for r in sorted((r for r in records if r.tthc), key=lambda r: r.start):
        per_day[r.start] = per_day.get(r.start, 0) + 1
        r.receipt = f"{agency}-{r.start:%y%m%d}-{per_day[r.start]:04d}"


def draw_records(
    rng: random.Random, n: int, locality: str, years: range, mix: dict[str, float]
) -> list[Record]:
    """``n`` records over ``years`` in the inventory's order (by year; series kept together)."""
    short = vocab.short_name(locality)
    parcels: set[tuple[int, int]] = set()
    per_year = [n // len(years) + (1 if i < n % len(years) else 0) for i in range(len(years))]
    out: list[Record] = []
    for year, count in zip(years, per_year):
        batch = _year_records(rng, year, count, short, mix, parcels)[:count]
        # singles by date; a series stays in one block (at its first date), as a clerk files it
        first: dict[str, dt.date] = {}
        for r in batch:
            if r.series:
                first[r.series] = min(first.get(r.series, r.start), r.start)
        batch.sort(key=lambda r: (first.get(r.series, r.start), r.series))
        out += batch
    _number_decisions(out, rng)
    return out[:n]


def assign_receipts(records: list[Record], agency: str) -> None:
    """One-stop-shop receipt numbers (agency code, day received, the day's sequence)."""
    _receipts(records, agency)
