"""Dossier titles as an office writes them, with the near-twins real series produce.

A title is rendered from a family (land certificate, civil-status book, quarterly report, decision
book, ...) and its slots (person, parcel, map sheet, quarter, year, number range). A twin copies a
drawn dossier's slots and changes one, so "the same title for parcel 124" or "the same report
for the next quarter" appear as often as in a real catalogue.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from . import vocab


@dataclass
class Dossier:
    """One inventory dossier before it is laid out in a sheet."""

    family: str
    slots: dict[str, object]
    title: str
    year_start: int
    year_end: int
    sheets: int
    twin_of: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _person(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return (
            f"ông {rng.choice(vocab.SURNAMES)} {rng.choice(vocab.MIDDLE_M)} "
            f"{rng.choice(vocab.GIVEN_M)}"
        )
    return (
        f"bà {rng.choice(vocab.SURNAMES)} {rng.choice(vocab.MIDDLE_F)} {rng.choice(vocab.GIVEN_F)}"
    )


def _child(rng: random.Random) -> str:
    given = rng.choice(vocab.GIVEN_M + vocab.GIVEN_F)
    return f"{rng.choice(vocab.SURNAMES)} {rng.choice(vocab.MIDDLE_M + vocab.MIDDLE_F)} {given}"


def _unit(commune: str) -> str:
    """'Xã Diên Lạc' as it reads inside a title: 'xã Diên Lạc'."""
    kind, _, name = commune.partition(" ")
    if kind == "Đặc":
        kind, _, name = commune.partition(" khu ")
        return f"đặc khu {name}"
    return f"{kind.lower()} {name}"


def _land_cert(s: dict, commune: str) -> str:
    return (
        f"Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ {s['person']}, "
        f"thửa đất số {s['parcel']}, tờ bản đồ số {s['map']}"
    )


def _land_transfer(s: dict, commune: str) -> str:
    return (
        f"Hồ sơ đăng ký biến động chuyển nhượng quyền sử dụng đất từ {s['person']} sang "
        f"{s['person2']}, thửa đất số {s['parcel']}, tờ bản đồ số {s['map']}"
    )


def _construction(s: dict, commune: str) -> str:
    return (
        f"Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ {s['person']}, thửa đất số "
        f"{s['parcel']}, tờ bản đồ số {s['map']}, thôn {s['hamlet']}"
    )


def _marriage_book(s: dict, commune: str) -> str:
    return f"Sổ đăng ký kết hôn năm {s['year']}, quyển số {s['book']:02d}"


def _birth_book(s: dict, commune: str) -> str:
    return f"Sổ đăng ký khai sinh năm {s['year']}, quyển số {s['book']:02d}"


def _birth_file(s: dict, commune: str) -> str:
    return f"Hồ sơ đăng ký khai sinh cho cháu {s['child']}, con của {s['person']}"


def _quarterly(s: dict, commune: str) -> str:
    return (
        f"Báo cáo tình hình kinh tế - xã hội quý {vocab.ROMAN[s['quarter'] - 1]} năm "
        f"{s['year']} của Ủy ban nhân dân {_unit(commune)}"
    )


def _annual(s: dict, commune: str) -> str:
    return f"Báo cáo tổng kết công tác {s['topic']} năm {s['year']}"


def _decisions(s: dict, commune: str) -> str:
    return (
        f"Tập quyết định của Chủ tịch Ủy ban nhân dân {_unit(commune)} năm {s['year']} "
        f"từ số {s['first']:02d} đến số {s['last']:02d}"
    )


def _letters(s: dict, commune: str) -> str:
    return (
        f"Tập công văn đi của Ủy ban nhân dân {_unit(commune)} năm {s['year']} "
        f"từ số {s['first']:02d} đến số {s['last']:02d}"
    )


def _minutes(s: dict, commune: str) -> str:
    return (
        f"Biên bản kỳ họp thứ {s['session']} Hội đồng nhân dân {_unit(commune)} khóa "
        f"{vocab.ROMAN[s['term'] - 1]} năm {s['year']}"
    )


def _plan(s: dict, commune: str) -> str:
    return f"Kế hoạch {s['topic']} năm {s['year']} của Ủy ban nhân dân {_unit(commune)}"


def _resolution(s: dict, commune: str) -> str:
    return (
        f"Nghị quyết của Hội đồng nhân dân {_unit(commune)} về dự toán thu chi ngân sách "
        f"năm {s['year']}"
    )


def _draw_slots(family: str, rng: random.Random, year: int) -> dict:
    s: dict[str, object] = {"year": year}
    if family in ("land_cert", "land_transfer", "construction"):
        s.update(person=_person(rng), parcel=rng.randint(1, 980), map=rng.randint(1, 60))
        if family == "land_transfer":
            s["person2"] = _person(rng)
        if family == "construction":
            s["hamlet"] = rng.choice(vocab.HAMLETS)
    elif family in ("marriage_book", "birth_book"):
        s["book"] = rng.randint(1, 3)
    elif family == "birth_file":
        s.update(child=_child(rng), person=_person(rng))
    elif family == "quarterly":
        s["quarter"] = rng.randint(1, 4)
    elif family in ("annual",):
        s["topic"] = rng.choice(vocab.ANNUAL_TOPICS)
    elif family == "plan":
        s["topic"] = rng.choice(vocab.PLAN_TOPICS)
    elif family in ("decisions", "letters"):
        first = rng.randint(0, 6) * 50 + 1
        s.update(first=first, last=first + rng.choice((49, 49, 39, 59)))
    elif family == "minutes":
        s.update(session=rng.randint(1, 12), term=rng.choice((11, 12, 13)))
    return s


#: family -> (renderer, weight, sheets range, slot a twin changes).
FAMILIES: dict[str, tuple[Callable[[dict, str], str], float, tuple[int, int], tuple[str, ...]]] = {
    "land_cert": (_land_cert, 0.24, (6, 40), ("parcel", "parcel", "map", "person")),
    "land_transfer": (_land_transfer, 0.10, (8, 45), ("parcel", "person2")),
    "construction": (_construction, 0.09, (10, 60), ("parcel", "hamlet", "person")),
    "birth_file": (_birth_file, 0.08, (3, 12), ("child",)),
    "marriage_book": (_marriage_book, 0.04, (30, 100), ("year", "book")),
    "birth_book": (_birth_book, 0.04, (30, 100), ("year", "book")),
    "quarterly": (_quarterly, 0.09, (8, 40), ("quarter", "year")),
    "annual": (_annual, 0.08, (10, 60), ("year", "topic")),
    "decisions": (_decisions, 0.07, (40, 120), ("first", "year")),
    "letters": (_letters, 0.05, (40, 120), ("first", "year")),
    "minutes": (_minutes, 0.05, (15, 80), ("session", "year")),
    "plan": (_plan, 0.04, (6, 30), ("year", "topic")),
    "resolution": (_resolution, 0.03, (6, 25), ("year",)),
}


def _mutate(family: str, slots: dict, slot: str, rng: random.Random) -> dict:
    s = dict(slots)
    if slot == "parcel":
        s["parcel"] = int(s["parcel"]) + rng.choice((1, 1, 2, -1, 10))
        s["parcel"] = max(1, int(s["parcel"]))
    elif slot == "map":
        s["map"] = int(s["map"]) + rng.choice((1, -1, 10)) or 2
    elif slot in ("person", "person2"):
        old = str(s[slot])
        parts = old.split()
        pool = vocab.GIVEN_M if parts[0] == "ông" else vocab.GIVEN_F
        s[slot] = " ".join(parts[:-1] + [rng.choice([g for g in pool if g != parts[-1]])])
    elif slot == "child":
        parts = str(s["child"]).split()
        s["child"] = " ".join(parts[:-1] + [rng.choice(vocab.GIVEN_M + vocab.GIVEN_F)])
    elif slot == "quarter":
        s["quarter"] = int(s["quarter"]) % 4 + 1
    elif slot == "year":
        s["year"] = int(s["year"]) + rng.choice((1, -1, 1))
    elif slot == "book":
        s["book"] = int(s["book"]) % 3 + 1
    elif slot == "topic":
        pool = vocab.ANNUAL_TOPICS if family == "annual" else vocab.PLAN_TOPICS
        s["topic"] = rng.choice([t for t in pool if t != s["topic"]])
    elif slot == "hamlet":
        s["hamlet"] = rng.choice([h for h in vocab.HAMLETS if h != s["hamlet"]])
    elif slot == "first":
        width = int(s["last"]) - int(s["first"])
        s["first"] = int(s["last"]) + 1
        s["last"] = int(s["first"]) + width
    elif slot == "session":
        s["session"] = int(s["session"]) + 1
    return s


def draw_dossiers(
    rng: random.Random, n: int, commune: str, years: tuple[int, int], twin_rate: float
) -> list[Dossier]:
    """``n`` dossiers of one fonds, a share ``twin_rate`` of them twins of an earlier one."""
    names = list(FAMILIES)
    weights = [FAMILIES[f][1] for f in names]
    out: list[Dossier] = []
    seen: set[str] = set()
    attempts = 0
    while len(out) < n and attempts < n * 20:
        attempts += 1
        twin_of = None
        if out and rng.random() < twin_rate:
            twin_of = rng.randrange(len(out))
            base = out[twin_of]
            family = base.family
            slot = rng.choice(FAMILIES[family][3])
            slots = _mutate(family, base.slots, slot, rng)
        else:
            family = rng.choices(names, weights)[0]
            slots = _draw_slots(family, rng, rng.randint(*years))
        render, _, sheets_range, _ = FAMILIES[family]
        title = render(slots, commune)
        if title in seen:
            continue
        seen.add(title)
        year = int(slots["year"])  # type: ignore[arg-type]
        year_end = year + (
            1 if family in ("land_transfer", "construction") and rng.random() < 0.15 else 0
        )
        out.append(
            Dossier(
                family=family,
                slots=slots,
                title=title,
                year_start=year,
                year_end=year_end,
                sheets=rng.randint(*sheets_range),
                twin_of=twin_of,
            )
        )
    return out


def draw_orphan_title(rng: random.Random, commune: str, years: tuple[int, int]) -> str:
    """A dossier title that no inventory row carries (a scan of something never inventoried)."""
    family = rng.choice(("land_cert", "construction", "birth_file", "land_transfer"))
    return FAMILIES[family][0](_draw_slots(family, rng, rng.randint(*years)), commune)
