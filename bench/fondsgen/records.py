"""The fonds an office keeps: its records, as the paper files are (before anyone types them).

Records come in the kinds a commune keeps (administrative procedure records first: land, civil
status, construction permits, business registration; then the People's Committee's
decisions, reports and minutes), arranged as an archivist arranges them: by year, then by
kind, then by date; numbered within the catalogue or within each year; boxed in order.
Near-twins arise as they do in offices: an owner with several parcels, a quarterly report
each quarter, a decision book per number range, a register book per volume.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import vocab

if TYPE_CHECKING:
    from .habits import Habits

#: kind -> (group folder name an office gives it, administrative procedure?)
KINDS = {
    "land": ("Đất đai", True),
    "civil": ("Hộ tịch", True),
    "permit": ("Xây dựng", True),
    "business": ("Kinh doanh", True),
    "decision": ("Quyết định", False),
    "report": ("Báo cáo", False),
    "minutes": ("Biên bản", False),
}
_SHEETS = {
    "land": (6, 40),
    "civil": (2, 9),
    "permit": (8, 30),
    "business": (3, 12),
    "decision": (2, 8),
    "report": (3, 24),
    "minutes": (2, 14),
}


@dataclass
class Record:
    """One paper file (hồ sơ) and what is written on it."""

    kind: str
    title: str
    date: dt.date
    end: dt.date
    sheets: int
    owner: str = ""
    parcel: int = 0
    mapsheet: int = 0
    decision_no: int = 0
    retention: str = "Vĩnh viễn"
    notes: str = ""
    # numbered and boxed by the fonds, as the archivist arranged it
    box: int = 0
    file_no: int = 0
    code: str = ""
    in_inventory: bool = True  # False: scanned, yet the inventory lacks it (an orphan)
    repeat_of: int = -1  # a row typed twice: the index of the row it repeats
    # where the inventory writer put it
    sheet: str = ""
    stt: int = 0
    row: int = 0
    index: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def group(self) -> str:
        return KINDS[self.kind][0]


def person(rng: random.Random, female: bool | None = None) -> str:
    """A full name; ``female`` chooses, else drawn."""
    if female is None:
        female = rng.random() >= 0.55
    if not female:
        parts = (rng.choice(vocab.MIDDLE_MALE), rng.choice(vocab.GIVEN_MALE))
    else:
        parts = (rng.choice(vocab.MIDDLE_FEMALE), rng.choice(vocab.GIVEN_FEMALE))
    return " ".join((rng.choice(vocab.SURNAMES), *parts))


def is_female(name: str) -> bool:
    return name.split()[-1] in vocab.GIVEN_FEMALE and name.split()[-1] not in vocab.GIVEN_MALE


class Fonds:
    """Draws the records of one office, kind by kind, with the office's own title forms."""

    def __init__(self, rng: random.Random, locality: str, kinds: dict[str, float], years: range):
        self.rng = rng
        self.locality = locality
        self.kinds = kinds
        self.years = years
        self.variant = rng.randrange(2)  # the office's wording of its land and permit titles
        self.owners: list[tuple[str, int]] = []  # recent owners with their map sheet
        self.seen: set[str] = set()
        self.decisions: dict[int, int] = {}  # year -> last decision number

    def draw(self, count: int) -> list[Record]:
        names, weights = zip(*self.kinds.items())
        out: list[Record] = []
        while len(out) < count:
            kind = self.rng.choices(names, weights)[0]
            year = self.rng.choice(self.years)
            for rec in getattr(self, "_" + kind)(year):
                if rec.title not in self.seen and len(out) < count:
                    self.seen.add(rec.title)
                    out.append(rec)
        return out

    def _dates(self, year: int, span: int = 40) -> tuple[dt.date, dt.date]:
        start = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(330))
        return start, min(dt.date(year, 12, 31), start + dt.timedelta(self.rng.randrange(span)))

    def _sheets(self, kind: str) -> int:
        lo, hi = _SHEETS[kind]
        return self.rng.randint(lo, hi)

    def _owner(self) -> tuple[str, int, bool]:
        """An owner (a twin's owner again, now and then), their map sheet, a repeat?"""
        if self.owners and self.rng.random() < 0.2:
            name, sheet = self.rng.choice(self.owners[-6:])
            return name, sheet, True
        name, sheet = person(self.rng), self.rng.randint(1, 42)
        self.owners.append((name, sheet))
        return name, sheet, False

    def _land(self, year: int) -> list[Record]:
        owner, sheet, _again = self._owner()
        parcel = self.rng.randint(1, 760)
        title_of = "bà" if is_female(owner) else "ông"
        hamlet = self.rng.choice(vocab.HAMLETS)
        lead = self.rng.choice(
            (
                "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
                "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản "
                "khác gắn liền với đất",
                "Hồ sơ chuyển nhượng quyền sử dụng đất",
                "Hồ sơ chuyển mục đích sử dụng đất",
                "Hồ sơ tặng cho quyền sử dụng đất",
            )
        )
        if self.variant:
            title = f"{lead} cho hộ {title_of} {owner}, thửa đất số {parcel}, tờ bản đồ số {sheet}"
        else:
            title = f"{lead} của {title_of} {owner} tại thôn {hamlet}, thửa đất số {parcel}, "
            title += f"tờ bản đồ số {sheet}"
        start, end = self._dates(year, 60)
        rec = Record("land", title, start, end, self._sheets("land"), owner, parcel, sheet)
        return [rec]

    def _permit(self, year: int) -> list[Record]:
        owner, sheet, _again = self._owner()
        parcel = self.rng.randint(1, 760)
        what = self.rng.choice(("nhà ở riêng lẻ", "sửa chữa, cải tạo nhà ở", "công trình"))
        title_of = "bà" if is_female(owner) else "ông"
        title = (
            f"Hồ sơ cấp giấy phép xây dựng {what} của hộ {title_of} {owner}, thửa đất số {parcel}"
        )
        title += f", tờ bản đồ số {sheet}"
        start, end = self._dates(year, 30)
        return [Record("permit", title, start, end, self._sheets("permit"), owner, parcel, sheet)]

    def _business(self, year: int) -> list[Record]:
        owner = person(self.rng)
        trade = self.rng.choice(vocab.BUSINESSES)
        title = f"Hồ sơ đăng ký hộ kinh doanh {trade} của {owner}"
        start, end = self._dates(year, 15)
        return [Record("business", title, start, end, self._sheets("business"), owner)]

    def _civil(self, year: int) -> list[Record]:
        start, end = self._dates(year, 10)
        roll = self.rng.random()
        if roll < 0.2:  # register books, one a volume: twins by volume and year
            book = self.rng.choice(("khai sinh", "kết hôn", "khai tử"))
            out = []
            for volume in range(1, self.rng.randint(2, 3) + 1):
                title = f"Sổ đăng ký {book} năm {year}, quyển số {volume:02d}"
                out.append(
                    Record("civil", title, start, end, self.rng.randint(40, 120), retention="")
                )
            return out
        owner = person(self.rng)
        if roll < 0.5:
            owner = person(self.rng, female=False)
            title = f"Hồ sơ đăng ký kết hôn giữa anh {owner} và chị {person(self.rng, True)}"
        elif roll < 0.8:
            title = f"Hồ sơ đăng ký khai sinh cho cháu {owner}"
        else:
            title = f"Hồ sơ xác nhận tình trạng hôn nhân của {owner}"
        return [Record("civil", title, start, end, self._sheets("civil"), owner)]

    def _decision(self, year: int) -> list[Record]:
        start, end = self._dates(year, 1)
        if self.rng.random() < 0.15:  # a decision book per number range: twins by range
            out, low = [], 1
            for _ in range(self.rng.randint(2, 3)):
                high = low + self.rng.choice((49, 99))
                title = f"Tập quyết định của Chủ tịch Ủy ban nhân dân năm {year} từ số {low:02d}"
                title += f" đến số {high}"
                out.append(Record("decision", title, start, end, self.rng.randint(60, 160)))
                low = high + 1
            return out
        number = self.decisions.get(year, 0) + self.rng.randint(1, 9)
        self.decisions[year] = number
        subject = self.rng.choice(vocab.DECISION_SUBJECTS)
        title = f"Quyết định số {number}/QĐ-UBND ngày {start.day}/{start.month}/{year} của Ủy "
        title += f"ban nhân dân {self.locality.lower()} về việc {subject}"
        sheets = self._sheets("decision")
        return [Record("decision", title, start, start, sheets, decision_no=number)]

    def _report(self, year: int) -> list[Record]:
        topic = self.rng.choice(vocab.REPORT_TOPICS)
        out = []
        for quarter in range(1, 5):  # a quarterly series: twins by quarter
            if self.rng.random() < 0.7:
                start = dt.date(year, 3 * quarter, 15 + self.rng.randrange(10))
                title = f"Báo cáo {topic} quý {quarter} năm {year}"
                out.append(Record("report", title, start, start, self._sheets("report")))
        return out

    def _minutes(self, year: int) -> list[Record]:
        body = self.rng.choice(vocab.MEETINGS)
        month = self.rng.randint(1, 12)
        start = dt.date(year, month, self.rng.randint(1, 28))
        title = f"Biên bản họp {body} tháng {month} năm {year}"
        return [Record("minutes", title, start, start, self._sheets("minutes"), retention="")]


def _code(form: str, rec: Record, unit: str, abbr: str, number: str) -> str:
    dept = {"land": "ĐC", "civil": "TP", "permit": "XD", "business": "KT"}.get(rec.kind, "VP")
    return {
        "h56": f"H56.{unit[-2:]}.01.{rec.year}.{number}",
        "yeardept": f"{rec.year}.{dept}.{number}",
        "slashed": f"{number}/{rec.year}/HS-UBND",
        "fonds": f"{abbr}.{rec.year}.{number}",
        "dashed": f"{unit}-{rec.year}-{number}",
    }.get(form, "")


def arrange(records: list[Record], h: Habits, unit: str, abbr: str) -> list[Record]:
    """Order, box, number and code the records as the office's archivist did."""
    groups = list(KINDS)
    records.sort(key=lambda r: (r.year, groups.index(r.kind), r.date, r.title))
    box, in_box, year, number = 0, h.box_size, 0, 0
    width = {"h56": 4, "yeardept": 3, "slashed": 2, "fonds": 4, "dashed": 3}.get(h.code_form, 0)
    for i, rec in enumerate(records):
        rec.index = i
        if rec.year != year:
            in_box = h.box_size  # a new year opens a new box
            if h.per_year_numbers:
                number = 0
            year = rec.year
        if in_box >= h.box_size:
            box, in_box = box + 1, 0
        in_box += 1
        number += 1
        rec.box, rec.file_no = box, number
        rec.extra["code_num"] = f"{number:0{width}d}"
        rec.code = _code(h.code_form, rec, unit, abbr, rec.extra["code_num"])
        if rec.kind in ("land", "decision") or rec.title.startswith("Sổ"):
            rec.retention = "Vĩnh viễn"
        elif rec.kind in ("report", "minutes"):
            rec.retention = "20 năm" if "quý" in rec.title else "Vĩnh viễn"
        else:
            rec.retention = "70 năm" if rec.kind == "permit" else "Vĩnh viễn"
    return records
