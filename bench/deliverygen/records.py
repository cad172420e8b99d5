"""The files (hồ sơ) an office holds: what its inventory lists and its scans are made from.

Each record carries what its kind gives a reader: a land file its map sheet, parcel, owner and
commune; a personnel file its person and birth date; a register file its bundle of numbered
documents (``123/QĐ-UBND``). Every office also keeps series (quarterly reports, monthly
minutes) whose titles differ by a period only. Twins are made on purpose, as offices have them:
the same map sheet and parcel in two communes, namesakes (Vietnamese names repeat), the next
period of a series.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from . import vocab


@dataclass
class Record:
    index: int
    kind: str
    title: str
    year: int
    year_end: int
    sheets: int
    box: int = 0
    file_no: int = 0
    code: str = ""
    commune: str = ""
    map_sheet: int = 0
    parcel: int = 0
    person: str = ""
    birth: dt.date | None = None
    docs: list[tuple[int, str, str]] = field(default_factory=list)
    retention: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def _person(rng: random.Random) -> str:
    return f"{rng.choice(vocab.SURNAMES)} {rng.choice(vocab.MIDDLE)} {rng.choice(vocab.GIVEN)}"


def _land(rng: random.Random, rec: Record, communes: list[str]) -> None:
    rec.commune = rng.choice(communes)
    rec.map_sheet, rec.parcel = rng.randint(1, 45), rng.randint(1, 900)
    rec.person = _person(rng)
    owner = "hộ ông" if rng.random() < 0.6 else "hộ bà"
    rec.title = (
        f"{rng.choice(vocab.LAND_MATTERS)} của {owner} {rec.person}, thửa đất số {rec.parcel}, "
        f"tờ bản đồ số {rec.map_sheet}, {rec.commune}"
    )


def _personnel(rng: random.Random, rec: Record) -> None:
    rec.person = _person(rng)
    rec.birth = dt.date(rng.randint(1958, 1998), rng.randint(1, 12), rng.randint(1, 28))
    rec.title = (
        f"{rng.choice(vocab.PERSONNEL_KINDS)}: {rec.person}, {rng.choice(vocab.POSITIONS)}, "
        f"sinh ngày {rec.birth:%d/%m/%Y}"
    )


def _register(rng: random.Random, rec: Record, counter: list[int]) -> None:
    matter = rng.choice(vocab.REGISTER_MATTERS)
    if "dự án" in matter or "công trình" in matter:
        matter += f" {rng.choice(vocab.PROJECTS)}"
    issuer = rng.choice(vocab.ISSUERS)
    for _ in range(rng.randint(2, 5)):
        counter[0] += rng.randint(1, 9)
        rec.docs.append((counter[0], rng.choice(vocab.DOC_KINDS)[0], issuer))
    rec.sheets = max(rec.sheets, len(rec.docs) + 2)
    first = rec.docs[0]
    rec.title = f"Hồ sơ {matter} (Quyết định số {first[0]}/{first[1]}-{first[2]})"


def _series(rng: random.Random, rec: Record, seen: set[str]) -> bool:
    """A period of a series the office has not filed yet (an office files a period once)."""
    for _ in range(12):
        template = rng.choice(vocab.SERIES)
        title = template.format(q=rng.choice("1234"), y=rec.year, m=rng.randint(1, 12))
        if title not in seen:
            seen.add(title)
            rec.title = title
            return True
    return False


def make(rng: random.Random, habits: dict[str, Any], count: int) -> list[Record]:
    """``count`` records in the inventory's order (by year), with twins among them."""
    communes = rng.sample(list(vocab.COMMUNES), rng.randint(2, 4))
    years = sorted(rng.choice(range(2008, 2025)) for _ in range(count))
    counter = [rng.randint(1, 50)]
    out: list[Record] = []
    seen: set[str] = set()
    for i, year in enumerate(years):
        rec = Record(i, habits["kind"], "", year, year, rng.randint(2, 40))
        if rng.random() < 0.12 and _series(rng, rec, seen):
            rec.kind = "series"
        elif rec.kind == "land":
            _land(rng, rec, communes)
        elif rec.kind == "personnel":
            _personnel(rng, rec)
        else:
            _register(rng, rec, counter)
        rec.year_end = year + (1 if rng.random() < 0.15 else 0)
        rec.start = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        rec.end = dt.date(rec.year_end, rng.randint(rec.start.month, 12), 28)
        rec.retention = rng.choice(("Vĩnh viễn", "20 năm", "10 năm", "70 năm"))
        out.append(rec)
    _twins(rng, out)
    return out


def _twins(rng: random.Random, records: list[Record]) -> None:
    """Make offices' twins: a parcel number repeated in another commune, namesakes (some born
    the same year), a series title repeated the next period."""
    for rec in records:
        if rng.random() > 0.05:
            continue
        other = rng.choice(records)
        if other is rec or other.kind != rec.kind:
            continue
        if rec.kind == "land" and other.commune != rec.commune:
            rec.map_sheet, rec.parcel = other.map_sheet, other.parcel
            rec.title = _replace_parcel(rec.title, other)
        elif rec.kind == "personnel":
            rec.title = rec.title.replace(rec.person, other.person)
            rec.person = other.person
            if rng.random() < 0.5 and rec.birth and other.birth:
                rec.birth = rec.birth.replace(year=other.birth.year)
                rec.title = rec.title.rsplit("sinh ngày", 1)[0] + f"sinh ngày {rec.birth:%d/%m/%Y}"


def _replace_parcel(title: str, other: Record) -> str:
    head = title.split(", thửa đất số")[0]
    return (
        f"{head}, thửa đất số {other.parcel}, tờ bản đồ số {other.map_sheet}, "
        + title.rsplit(", ", 1)[1]
    )


def number(records: list[Record], habits: dict[str, Any], rng: random.Random) -> None:
    """Boxes (10-16 files each, in order), file numbers (through the catalogue, or restarting
    each year) and record codes in the office's form."""
    box, in_box, per_box = 1, 0, rng.randint(10, 16)
    by_year: dict[int, int] = {}
    for i, rec in enumerate(records):
        if in_box == per_box:
            box, in_box, per_box = box + 1, 0, rng.randint(10, 16)
        in_box += 1
        rec.box = box
        by_year[rec.year] = by_year.get(rec.year, 0) + 1
        rec.file_no = i + 1 if habits["numbering"] == "through" else by_year[rec.year]
        rec.code = code_of(rec, habits)


def code_of(rec: Record, habits: dict[str, Any]) -> str:
    form, fonds, cat = habits["code_form"], habits["fonds"], habits["catalogue"]
    if form == "fonds_dotted":
        return f"{fonds}.22.{cat}.{rec.year}.{rec.file_no:04d}"
    if form == "year_office":
        return f"{rec.year}.{fonds[1:]}.{rec.file_no:03d}"
    if form == "slashed":
        return f"{rec.file_no:03d}/{rec.year}/HS-{fonds}"
    return ""
