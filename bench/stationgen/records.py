"""The inventory's rows of one locality: titles (with near-twin series), years and dates,
file numbers (running on or restarting each year), boxes, codes, sheets; rows typed twice."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .habits import Habits
from .vocab import Title, series_titles, single_title


@dataclass
class Record:
    title: Title
    year_start: int
    year_end: int
    date_start: dt.date
    date_end: dt.date
    file_no: int
    box: int
    code: str
    sheets: int
    retention: str
    notes: str
    keying: str
    repeat_of: Record | None = None
    orphan: bool = False  # made for an orphan scan; never written to the inventory
    source_file: str = ""
    source_sheet: str = ""
    source_row: int = 0
    stt: int = 0
    position: int = 0  # inventory order among the rows that are not repeats
    injected: str = ""
    key: tuple[str, str, str] = field(default=("", "", ""))

    @property
    def text(self) -> str:
        return self.title.text


def _sheets(rng: random.Random) -> int:
    return rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22, 27, 33, 40, 48, 60))


def _dates(rng: random.Random, year: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(330))
    end = start + dt.timedelta(days=rng.choice((0, 3, 15, 40, 90, 200, 400)))
    return start, min(end, dt.date(year + 1, 12, 31))


def _titles(rng: random.Random, unit: str, year: int, n: int, twins: float) -> list[Title]:
    """A year's titles: near-twin series (one of each kind a year, as offices keep them) and
    ordinary records, no two the same."""
    out: list[Title] = []
    kinds = ["quarter", "decisions", "parcel", "book", "sessions"]
    seen: set[str] = set()
    while len(out) < n:
        if kinds and rng.random() < twins / 2.5:
            kind = kinds.pop(rng.randrange(len(kinds)))
            size = 4 if kind == "quarter" else rng.randint(2, 4)
            out += series_titles(rng, unit, kind, year, min(size, n - len(out)))
        else:
            title = single_title(rng, unit, year)
            if title.text not in seen:
                seen.add(title.text)
                out.append(title)
    return out


def build(
    rng: random.Random, habits: Habits, unit: str, n: int, years: tuple[int, int]
) -> list[Record]:
    """``n`` inventory rows (repeats included), in inventory order."""
    span = list(range(years[0], years[1] + 1))
    per_year = [n // len(span)] * len(span)
    for k in rng.sample(range(len(span)), n - sum(per_year)):
        per_year[k] += 1
    records: list[Record] = []
    number = 0
    box, in_box = 1, 0
    catalogue = rng.randint(1, 12)
    for year, count in zip(span, per_year, strict=True):
        if habits.numbering == "per_year":
            number = 0
        for title in _titles(rng, unit, year, count, habits.rates["twins"]):
            number += 1
            if in_box >= habits.box_size:
                box, in_box = box + 1, 0
            in_box += 1
            start, end = _dates(rng, year)
            if title.series == "quarter":
                quarter = ("I", "II", "III", "IV").index(title.slot)
                start = dt.date(year, 3 * quarter + 3, rng.randint(10, 25))
                end = start
            code = habits.code_form.format(cat=catalogue, year=year, no=number)
            keying = habits.conventions[-1] if year >= habits.split_year else habits.conventions[0]
            records.append(
                Record(
                    title=title,
                    year_start=start.year,
                    year_end=end.year,
                    date_start=start,
                    date_end=end,
                    file_no=number,
                    box=box,
                    code=code,
                    sheets=_sheets(rng),
                    retention=rng.choice(("Vĩnh viễn", "Vĩnh viễn", "20 năm", "10 năm", "5 năm")),
                    notes=rng.choice(
                        ("", "", "", "", "Bản chính", "Bản sao", "Có bản đồ kèm theo")
                    ),
                    keying=keying,
                )
            )
    return _repeat_rows(rng, habits, records)


def _repeat_rows(rng: random.Random, habits: Habits, records: list[Record]) -> list[Record]:
    """Rows a clerk typed twice: the same record again a row or a few rows later."""
    out = list(records)
    picks = rng.sample(range(len(records)), max(1, round(len(records) * habits.rates["repeat"])))
    for k in sorted(picks, reverse=True):
        original = records[k]
        copy = Record(**{**original.__dict__, "repeat_of": original, "injected": "repeat"})
        at = out.index(original) + rng.randint(1, 3)
        out.insert(min(at, len(out)), copy)
    position = 0
    for record in out:
        if record.repeat_of is None:
            record.position = position
            position += 1
    return out


def orphan_record(
    rng: random.Random, habits: Habits, unit: str, years: tuple[int, int], number: int, box: int
) -> Record:
    """A record the inventory does not have (a scan of it is an orphan)."""
    year = rng.randint(*years)
    start, end = _dates(rng, year)
    return Record(
        title=single_title(rng, unit, year),
        year_start=year,
        year_end=end.year,
        date_start=start,
        date_end=end,
        file_no=number,
        box=box,
        code=habits.code_form.format(cat=99, year=year, no=number),
        sheets=_sheets(rng),
        retention="",
        notes="",
        keying="",
        orphan=True,
    )
