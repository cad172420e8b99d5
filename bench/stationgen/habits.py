"""A locality's habits, each drawn on its own axis (seeded), so localities combine them freely.

Two offices are involved: the clerk who typed the inventory (columns, headings, code form,
encoding, layout) and the scanning station (naming convention, folders, typing of titles,
the scanning software's export, the PDF writer). Conventions constrain the inventory only
where a station could not have named files that way without the column (a box folder needs
a box column); everything else is independent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .typed import Typing

#: naming conventions: the ``keying`` column of the truth.
CONVENTIONS = (
    "code_resep",  # the record code, separators and padding changed: H56-01-2019-1.pdf
    "station_code",  # a station prefix and the code: KH_DL_56_2019_001.pdf
    "code_title",  # code then a typed title
    "number_title",  # "so 0124 - Ho so cap GCN ...", "124_HoSoCapGCN..."
    "date_title",  # 2019-03-12_Bao cao ..., 12032019 Bao cao ...
    "title_only",  # a typed title, in year, month, batch or operator folders
    "box_folder_number",  # Hộp 03/HS 012.pdf, BOX_003/12.pdf
    "box_flat",  # H03_012.pdf, Hop3-HS12.pdf
    "year_number",  # 2019/0012.pdf, 2019_12.pdf
    "counter_sidecar",  # IMG_000123.pdf with the scanning software's export
    "counter_bare",  # SCAN0001.pdf in batch folders, no metadata, inventory order
    "box_counter",  # Hop 3/IMG_0001.jpg, the counter restarting in each box
)

_NEEDS = {
    "code_resep": {"record_code"},
    "station_code": {"record_code"},
    "code_title": {"record_code"},
    "number_title": {"number"},
    "year_number": {"number", "year"},
    "box_folder_number": {"box", "number"},
    "box_flat": {"box", "number"},
    "counter_bare": {"sheets"},
    "box_counter": {"box", "sheets"},
    "date_title": {"dates_full"},
}

CODE_FORMS = (
    "H56.{cat:02d}.{year}.{no:04d}",
    "{year}.VP.{no:03d}",
    "{no:02d}/{year}/HS-UBND",
    "{year}/HS/{no:04d}",
    "56.{cat}.{year}.{no}",
    "H56-{cat:02d}-{year}-{no:04d}",
)


@dataclass
class Habits:
    conventions: list[str]
    split_year: int  # with two conventions: records of this year on use the second
    numbering: str  # "global" or "per_year"
    code_form: str
    columns: set[str]  # fields the inventory has
    dates_form: str  # year, range_dmy, range_my, two_columns, excel_dates
    heading_style: str  # marked, plain, caps
    unknown_headings: float
    inv_format: str  # xlsx, csv
    csv_encoding: str
    csv_delimiter: str
    sheets_by_year: bool
    stt_restart: bool
    title_block: bool
    two_row_header: bool
    numbered_row: bool
    footer: bool
    blank_rate: float
    title_case: str  # as, upper
    tcvn3_cells: bool
    typing: Typing
    noise: str
    name_limit: int | None
    sidecar_limit: int
    name_style: dict[str, object] = field(default_factory=dict)
    folders: str = "flat"
    sidecar: dict[str, object] = field(default_factory=dict)
    pdf_writer: str = "fpdf2"
    image_format: str = "pdf"
    rates: dict[str, float] = field(default_factory=dict)
    box_size: int = 10
    prefix: str = ""


def _typing(rng: random.Random, noise: str) -> Typing:
    level = {"low": 0, "mid": 1, "high": 2}[noise]
    return Typing(
        fold=rng.random() < 0.85,
        abbr_p=(0.15, 0.6, 0.9)[level],
        typo_p=(0.0, 0.04, 0.1)[level],
        run_p=(0.0, 0.03, 0.07)[level],
    )


def _conventions(rng: random.Random, first: str) -> list[str]:
    if rng.random() < 0.35:
        second = rng.choice([c for c in CONVENTIONS if c != first])
        return [first, second]
    return [first]


def _columns(rng: random.Random, needs: set[str]) -> set[str]:
    cols = {"stt", "title"}
    for name, p in (
        ("record_code", 0.7),
        ("file_no", 0.55),
        ("box", 0.55),
        ("dates", 0.85),
        ("sheets", 0.8),
        ("retention", 0.6),
        ("notes", 0.5),
    ):
        if rng.random() < p:
            cols.add(name)
    if "record_code" in needs:
        cols.add("record_code")
    if "number" in needs and "file_no" not in cols:
        cols.add(rng.choice(("file_no", "record_code")))
    if "box" in needs:
        cols.add("box")
    if "year" in needs and "dates" not in cols:
        cols.add("record_code")
    if "sheets" in needs:
        cols.add("sheets")
    if "dates_full" in needs:
        cols.add("dates")
    return cols


def draw(rng: random.Random, years: tuple[int, int], first: str) -> Habits:
    """A locality's habits; ``first`` is its (main) naming convention, dealt by the province
    so that its localities differ."""
    conventions = _conventions(rng, first)
    needs: set[str] = set().union(*(_NEEDS.get(c, set()) for c in conventions))
    columns = _columns(rng, needs)
    dates_forms = ["range_dmy", "range_my", "year", "two_columns", "excel_dates"]
    if "dates_full" in needs:
        dates_forms = ["range_dmy", "two_columns", "excel_dates"]
    noise = rng.choice(("low", "mid", "high"))
    inv_format = rng.choice(("xlsx", "xlsx", "csv"))
    return Habits(
        conventions=conventions,
        split_year=rng.randint(years[0] + 3, years[1] - 2),
        numbering=rng.choice(("global", "global", "per_year")),
        code_form=rng.choice(CODE_FORMS),
        columns=columns,
        dates_form=rng.choice(dates_forms),
        heading_style=rng.choice(("marked", "marked", "plain", "caps")),
        unknown_headings=rng.choice((0.0, 0.0, 0.3, 0.6)),
        inv_format=inv_format,
        csv_encoding=rng.choice(("utf-8", "utf-8-sig", "cp1258")),
        csv_delimiter=rng.choice((",", ",", ";", "\t")),
        sheets_by_year=inv_format == "xlsx" and rng.random() < 0.5,
        stt_restart=rng.random() < 0.7,
        title_block=rng.random() < 0.6,
        two_row_header=rng.random() < 0.4,
        numbered_row=rng.random() < 0.4,
        footer=rng.random() < 0.5,
        blank_rate=rng.choice((0.0, 0.01, 0.03)),
        title_case=rng.choice(("as", "as", "as", "upper")),
        tcvn3_cells=inv_format == "xlsx" and rng.random() < 0.25,
        typing=_typing(rng, noise),
        noise=noise,
        name_limit=rng.choice((None, 64, 64, 80, 120)),
        sidecar_limit=rng.choice((60, 80, 100, 120, 255)),
        name_style={
            "case": rng.choice(("as", "as", "upper", "lower", "camel")),
            "joiner": rng.choice((" ", " ", "_", "-", ".")),
            "marks": rng.choice(("fold", "fold", "nfc", "nfd")),
            "pad": rng.choice((0, 3, 4, "mixed")),
            "number_form": rng.choice(("{n}", "{n} - ", "so {n} ", "số {n}_", "HS{n}_", "{n}.")),
            "code_sep": rng.choice(("-", "_", ".", " ")),
            "date_form": rng.choice(("%Y-%m-%d_", "%d%m%Y ", "%Y%m%d-", "%d.%m.%Y ")),
            "box_form": rng.choice(("Hộp {b:02d}", "H{b}", "BOX_{b:03d}", "Hop so {b}", "HOP {b}")),
            "file_form": rng.choice(("HS {f:03d}", "{f:03d}", "hs{f}", "Ho so {f}", "{f}")),
            "flat_form": rng.choice(("H{b:02d}_{f:03d}", "Hop{b}-HS{f}", "B{b:03d}.{f:03d}")),
            "counter": rng.choice(("IMG_{n:06d}", "SCAN{n:04d}", "Scan_{n:05d}", "DOC{n:04d}")),
            "counter_restart": rng.random() < 0.4,
        },
        folders=rng.choice(("flat", "year", "year_month", "batch", "operator")),
        sidecar={
            "format": rng.choice(("csv", "xlsx", "json", "xml")),
            "headings": rng.choice(("vi_marked", "vi_plain", "en", "abbrev", "unknown")),
            "name_value": rng.choice(("with_ext", "no_ext", "windows_path")),
            "year": rng.random() < 0.6,
            "pages": rng.random() < 0.6,
            "code": rng.random() < 0.15,
            "place": rng.choice(("root", "batch", "outside")),
            "encoding": rng.choice(("utf-8", "utf-8-sig")),
        },
        pdf_writer=rng.choice(("fpdf2", "reportlab", "pikepdf")),
        image_format=rng.choice(("pdf", "pdf", "pdf", "tif", "jpg_single")),
        rates={
            "missing": rng.uniform(0.02, 0.06),
            "short": rng.uniform(0.01, 0.04),
            "long": rng.uniform(0.0, 0.01),
            "empty": rng.uniform(0.004, 0.012),
            "truncated": rng.uniform(0.004, 0.012),
            "copy": rng.uniform(0.005, 0.02),
            "orphan": rng.uniform(0.005, 0.015),
            "repeat": rng.uniform(0.004, 0.012),
            "twins": rng.uniform(0.15, 0.4),
            "swap": rng.uniform(0.0, 0.02),
        },
        box_size=rng.randint(6, 15),
        prefix=rng.choice(("KH_{ab}_", "{ab}-", "KH{ab}_", "MAY{k}_")),
    )
