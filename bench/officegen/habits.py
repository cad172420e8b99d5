"""One locality's habits, each axis drawn on its own (seeded).

Office (what it keeps and how it numbers and codes files), inventory (format, encoding, sheets,
columns and their headings, dates), scanning (which naming conventions, folders, formats,
writers, the operator's typing) and accidents (the rates of each injected problem).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .typist import TypingHabit

#: Conventions that name any record; each locality gets two or three of them.
GENERIC = (
    "code",
    "number_only",
    "number_title",
    "title_only",
    "box_file",
    "stt_sheet",
    "counter_sidecar",
    "date_title",
    "page_folder",
    "doc_folder",
    "lot_seq",
)
#: Conventions for one kind of record; a locality that keeps that kind may use them.
SPECIFIC = {
    "receipt": "tthc",
    "symbol": "decision",
    "parcel": "land",
    "owner": "owned",
    "book_page": "register",
}
CONVENTIONS = GENERIC + tuple(SPECIFIC)

CODE_FORMS = (
    "{fonds}.{year}.{no:04d}",
    "{year}.{unit}.{no:03d}",
    "{no:03d}/{year}/HS-{unit}",
    "{fonds}-{cat:02d}-{year}-{no:04d}",
    "{unit}.{cat:02d}.{no:05d}",  # no year: only with numbers that run across the years
)


@dataclass
class Habits:
    """Everything drawn for one locality."""

    kinds: dict[str, float]
    years: range
    numbering: str  # global | per_year
    code_form: str
    fonds: str
    unit: str
    catalogue: int
    agency: str  # the one-stop shop's agency code for receipt numbers
    generic: list[str]
    specific: list[str]
    # inventory
    inv_format: str  # xlsx | xls | csv
    csv_encoding: str
    csv_delimiter: str
    columns: list[str]
    unknown_headings: float
    sheets_by: int  # years per sheet; 0: one sheet
    stt_restart: bool
    title_block: bool
    two_row_header: bool
    numbered_row: bool
    footer: bool
    blank_rows: float
    dates_form: str  # range_dmy | range_my | two_text | two_dates | year
    nfd: bool
    title_upper: bool
    # scanning
    writers: list[str]
    tiff_share: float
    typing: dict[str, TypingHabit] = field(default_factory=dict)
    folder: dict[str, str] = field(default_factory=dict)
    style: dict[str, int] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)


def _typing(rng: random.Random) -> TypingHabit:
    return TypingHabit(
        abbreviate=rng.choice((0.0, 0.5, 0.9)),
        marks=rng.choice(("keep", "strip", "strip", "half", "nfd")),
        case=rng.choice(("asis", "asis", "upper", "lower")),
        joiner=rng.choice((" ", " ", "_", ".")),
        slips=rng.choice((0.0, 0.04, 0.1)),
        limit=rng.choice((40, 60, 80, 120, 255)),
    )


def _kinds(rng: random.Random) -> dict[str, float]:
    kinds = {
        "land": rng.choice((0.0, 2.0, 4.0)),
        "civil": rng.choice((0.5, 2.0)),
        "business": rng.choice((0.0, 1.0)),
        "construction": rng.choice((0.0, 1.0)),
        "complaint": rng.choice((0.3, 1.0)),
        "decision": rng.choice((0.0, 1.5, 3.0)),
        "report": rng.choice((0.0, 0.7, 1.0)),
        "decision_book": rng.choice((0.0, 0.6)),
        "yearly": rng.choice((0.0, 0.8)),
        "register": rng.choice((0.0, 0.7)),
    }
    if not any(kinds[k] for k in ("land", "business", "construction", "decision")):
        kinds["land"] = 2.0
    return kinds


def _specific(rng: random.Random, kinds: dict[str, float]) -> list[str]:
    present = {
        "tthc": True,
        "decision": kinds["decision"] > 0,
        "land": kinds["land"] > 0,
        "owned": True,
        "register": kinds["register"] > 0,
    }
    return [c for c, need in SPECIFIC.items() if present[need] and rng.random() < 0.45]


def _columns(rng: random.Random) -> list[str]:
    cols = ["title", "sheets"]
    for name, p in (("stt", 0.85), ("box", 0.7), ("file_no", 0.55), ("record_code", 0.75)):
        if rng.random() < p:
            cols.append(name)
    for name, p in (("retention", 0.6), ("notes", 0.5)):
        if rng.random() < p:
            cols.append(name)
    return cols


def draw(rng: random.Random, generic: list[str]) -> Habits:
    """A locality's habits; ``generic`` are the generic conventions dealt to it."""
    kinds = _kinds(rng)
    first = rng.randint(2010, 2016)
    numbering = rng.choice(("global", "per_year"))
    forms = CODE_FORMS if numbering == "global" else CODE_FORMS[:4]
    habits = Habits(
        kinds=kinds,
        years=range(first, first + rng.randint(5, 10)),
        numbering=numbering,
        code_form=rng.choice(forms),
        fonds=rng.choice(("H56.22", "KH.UBX", "000.00.21.H56", "H56.17"))
        + f"{rng.randint(10, 99)}",
        unit=rng.choice(("VP", "TP", "ĐC", "VPUB")),
        catalogue=rng.randint(1, 9),
        agency=f"000.{rng.randint(10, 40):02d}.{rng.randint(20, 39)}.H56",
        generic=generic,
        specific=_specific(rng, kinds),
        inv_format=rng.choice(("xlsx", "xlsx", "xls", "csv")),
        csv_encoding=rng.choice(("utf-8-sig", "cp1258", "utf-8")),
        csv_delimiter=rng.choice((",", ";", "\t")),
        columns=_columns(rng),
        unknown_headings=rng.choice((0.0, 0.3, 0.6)),
        sheets_by=rng.choice((0, 1, 2, 3)),
        stt_restart=rng.random() < 0.7,
        title_block=rng.random() < 0.6,
        two_row_header=rng.random() < 0.5,
        numbered_row=rng.random() < 0.5,
        footer=rng.random() < 0.5,
        blank_rows=rng.choice((0.0, 0.01, 0.03)),
        dates_form=rng.choice(("range_dmy", "range_my", "two_text", "two_dates", "year")),
        nfd=rng.random() < 0.15,
        title_upper=rng.random() < 0.15,
        writers=rng.sample(("pikepdf", "fpdf2", "img2pdf", "reportlab"), rng.randint(1, 3)),
        tiff_share=rng.choice((0.0, 0.0, 0.1)),
    )
    for convention in [*habits.generic, *habits.specific]:
        habits.typing[convention] = _typing(rng)
        habits.folder[convention] = rng.choice(("flat", "year", "box", "kind_year"))
        habits.style[convention] = rng.randrange(6)
    habits.style["sidecar_variant"] = rng.randrange(3)
    habits.rates = {
        "missing": rng.choice((0.02, 0.04, 0.07)),
        "short": rng.choice((0.01, 0.03)),
        "damaged": rng.choice((0.005, 0.01)),
        "copy": rng.choice((0.01, 0.02)),
        "rescan": rng.choice((0.0, 0.01)),
        "orphan": rng.choice((0.01, 0.02)),
        "repeat": rng.choice((0.005, 0.01)),
        "wrong_year": rng.choice((0.0, 0.01)),
        "swap_digits": rng.choice((0.0, 0.01)),
    }
    return habits
