"""An office's habits, drawn axis by axis.

Nothing here is a whole scheme: how scans are keyed (code, number, box and file, year folder,
title, scanner counter, page series), how codes are formed, how boxes are spelt, how counters
look, what the scanning tool exports and under which headings, how the operator types, how long
names may be, which columns the inventory has and how it is laid out are independent draws.
A locality may also keep two keyings (an old batch and a new one) in one tree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .vocab import ABBREVIATIONS

#: How a scan is keyed to its dossier. Each is one naming convention; ``mixed`` (two of them in
#: batches) is a further one.
KEYINGS = (
    "code_name",  # H56.22366.2019.0001.pdf, 2019_VP_012.pdf, 01-2019-HS-UBND.pdf
    "number_in_code_title",  # 0012 - <typed title>.pdf, the number only in the code
    "number_in_code_only",  # 0012.pdf, the number only in the code
    "number_title",  # 045 - <typed title>.pdf
    "number_only",  # 045.pdf
    "title_only",  # <typed title>.pdf
    "box_folders",  # Hop 12/HS 045.pdf, hop-12/045.pdf, Hộp 12/Hồ sơ 45.pdf
    "box_flat",  # H012_045.pdf, B12-F45.pdf
    "year_number",  # 2019/045.pdf
    "year_title",  # 2019/<typed title>.pdf
    "counter_sidecar",  # IMG_000123.pdf + the scanning tool's export
    "counter_ordered",  # SCAN0001.tif, no export: the scan order only
    "page_series",  # HS045/001.jpg, a folder of pages per dossier
)
CONVENTIONS = (*KEYINGS, "mixed")

#: Keyings that need the file number to identify one dossier across the whole fonds.
_NEEDS_UNIQUE_NUMBER = {
    "number_in_code_title",
    "number_in_code_only",
    "number_title",
    "number_only",
    "box_folders",
    "box_flat",
    "page_series",
}

CODE_FORMS = (
    "fonds_commune_year_no",
    "year_office_no",
    "no_year_suffix",
    "fonds_cat_year_no",
    "office_year_no",
)
BOX_SPELLINGS = (
    "Hop {b}/HS {f}",
    "H{b3}_{f3}",
    "hop-{b}/{f}",
    "B{b}-F{f}",
    "Hộp {b}/Hồ sơ {f}",
    "Hop_{b2}/HS_{f3}",
    "HOP {b2}/{f3}",
)
COUNTERS = (
    "IMG_{n:06d}",
    "SCAN{n:04d}",
    "DOC-{year}-{n:04d}",
    "Scan_{stamp}",
    "IMG{n:05d}",
    "image{n:04d}",
)
SIDECAR_FORMATS = ("csv", "xlsx", "json", "xml")
SIDECAR_HEADINGS = ("vi_marked", "vi_unmarked", "english", "abbreviated", "unknown")
COPY_MARKS = (
    "{stem} (1){ext}",
    "{stem} - Copy{ext}",
    "Copy of {stem}{ext}",
    "{stem} - Sao chép{ext}",
    "folder",
)
COPY_FOLDERS = ("ban sao", "Copy", "_trung", "backup")
SEPARATORS = (" - ", "_", ". ", " ", "-")


@dataclass(frozen=True)
class Habits:
    keyings: tuple[str, ...]  # one, or two for an old and a new batch
    batch_split: float  # share of the inventory (in order) scanned by the first keying
    batch_folders: tuple[str, str] | None
    code_form: str
    per_year_numbering: bool
    columns: tuple[str, ...]  # inventory fields present, in order
    rare_heading_rate: float
    heading_style: str
    dates_form: str  # year, range, dmy_range, split
    inv_format: str  # xlsx_openpyxl, xlsx_xlsxwriter, csv
    csv_encoding: str
    csv_delimiter: str
    split_sheets: int  # 1..3 parts (sheets, or CSV files)
    stt_restart: bool
    title_block: bool
    two_row_header: bool
    numbered_row: bool
    blank_rate: float
    footer: bool
    noise: str  # low, mid, high
    abbreviations: frozenset[str]
    cut_at: int  # the scanning tool's title field length (high noise)
    name_limit: int  # how many characters of a title a file name keeps
    separator: str
    pad: int  # digits of a file number in names (0: as is)
    underscores: bool  # spaces in typed names become underscores
    box_spelling: str
    counter: str
    counter_shuffle: float  # share of neighbouring scans swapped
    sidecar_format: str
    sidecar_headings: str
    sidecar_fields: tuple[str, ...]
    sidecar_outside: bool  # the export lives beside the tree, named in the project file
    pdf_writer: str
    image_format: str  # pdf, tif (multi-page) for single files
    series_format: str  # jpg, tif pages of a page series
    series_key: str  # number, box, code
    year_folders: bool  # code and number names also sorted into year folders
    twin_rate: float
    decomposed: bool  # the inventory's text in NFD, as macOS tools save it


def draw(rng: random.Random, keyings: tuple[str, ...] | None = None) -> Habits:
    """One office's habits; ``keyings`` forces the scan keying (tests reach each one)."""
    if keyings is None:
        first = rng.choice(KEYINGS)
        keyings = (first,)
        if rng.random() < 0.25:
            keyings = (first, rng.choice([k for k in KEYINGS if k != first]))
    cols = ["stt"]
    needs_code = (
        any(k in ("code_name", "number_in_code_title", "number_in_code_only") for k in keyings)
        or "page_series" in keyings
        and rng.random() < 0.3
    )
    no_file_no = any(k.startswith("number_in_code") for k in keyings)
    needs_number = any(
        k in _NEEDS_UNIQUE_NUMBER - {"number_in_code_title", "number_in_code_only"} for k in keyings
    )
    if no_file_no and needs_number:
        # The code carries the number; a box or number keying reads it from there too.
        needs_code = True
    has_box = any(k.startswith("box") for k in keyings) or rng.random() < 0.5
    if has_box:
        cols.append("box")
    if not no_file_no and (needs_number or rng.random() < 0.6):
        cols.append("file_no")
    if needs_code or rng.random() < 0.5:
        cols.append("record_code")
    cols.append("title")
    dates_form = rng.choice(("year", "range", "dmy_range", "split"))
    cols += ["date_start", "date_end"] if dates_form == "split" else ["dates"]
    if rng.random() < 0.9:
        cols.append("sheets")
    if rng.random() < 0.6:
        cols.append("retention")
    if rng.random() < 0.5:
        cols.append("notes")
    if "record_code" not in cols and "file_no" not in cols and "box" in cols:
        cols.insert(cols.index("box") + 1, "file_no")
    inv_format = rng.choice(("xlsx_openpyxl", "xlsx_xlsxwriter", "csv"))
    series_key = rng.choice(
        ("number", "box", "code") if "record_code" in cols else ("number", "box")
    )
    if series_key == "box" and "box" not in cols:
        series_key = "number"
    unique_needed = bool(set(keyings) & _NEEDS_UNIQUE_NUMBER) or (
        "page_series" in keyings and series_key != "code"
    )
    noise = rng.choice(("low", "mid", "high"))
    abbreviation_pool = [short for _, short in ABBREVIATIONS]
    chosen = frozenset(s for s in abbreviation_pool if rng.random() < 0.7)
    if "thửa" in chosen:  # an office that shortens the parcel also shortens the map sheet
        chosen |= {"TBĐ"}
    sidecar_fields = ["title"] + [
        f for f in ("code", "year", "pages", "scanned", "operator") if rng.random() < 0.5
    ]
    if "record_code" not in cols and "code" in sidecar_fields:
        sidecar_fields.remove("code")
    split = rng.choice((1, 1, 2, 3))
    title_keyed = bool({"title_only", "year_title"} & set(keyings))
    return Habits(
        keyings=keyings,
        batch_split=rng.uniform(0.3, 0.7),
        batch_folders=rng.choice(
            (
                None,
                ("Dot 1", "Dot 2"),
                ("cu", "moi"),
                ("Lo 01", "Lo 02"),
                ("Batch A", "Batch B"),
                ("So hoa dot 1", "So hoa dot 2"),
            )
        ),
        code_form=rng.choice(CODE_FORMS),
        per_year_numbering=not unique_needed and rng.random() < 0.5,
        columns=tuple(cols),
        rare_heading_rate=rng.choice((0.0, 0.0, 0.15, 0.3)),
        heading_style=rng.choice(("marked", "marked", "unmarked", "upper")),
        dates_form=dates_form,
        inv_format=inv_format,
        csv_encoding=rng.choice(("utf-8", "utf-8-sig", "cp1258")),
        csv_delimiter=rng.choice((",", ";")),
        split_sheets=split,
        stt_restart=split > 1 and rng.random() < 0.7,
        title_block=rng.random() < 0.6,
        two_row_header=inv_format != "csv" and dates_form == "split" and rng.random() < 0.6,
        numbered_row=rng.random() < 0.4,
        blank_rate=rng.choice((0.0, 0.01, 0.03)),
        footer=rng.random() < 0.5,
        noise=noise,
        abbreviations=chosen,
        cut_at=rng.randint(60, 120),
        # Offices naming by title alone keep long names; a number in front allows short ones.
        name_limit=rng.choice(
            (80, 100, 120, 150, 200) if title_keyed else (40, 50, 64, 80, 100, 120, 200)
        ),
        separator=rng.choice(SEPARATORS),
        pad=rng.choice((0, 2, 3, 3, 4)),
        underscores=rng.random() < 0.15,
        box_spelling=rng.choice(BOX_SPELLINGS),
        counter=rng.choice(COUNTERS),
        counter_shuffle=rng.choice((0.0, 0.02, 0.05)),
        sidecar_format=rng.choice(SIDECAR_FORMATS),
        sidecar_headings=rng.choice(SIDECAR_HEADINGS),
        sidecar_fields=tuple(sidecar_fields),
        sidecar_outside=rng.random() < 0.3,
        pdf_writer=rng.choice(("classic", "pypdf", "fpdf2", "pillow")),
        image_format=rng.choice(("pdf", "pdf", "pdf", "tif")),
        series_format=rng.choice(("jpg", "tif")),
        series_key=series_key,
        year_folders=rng.random() < 0.3,
        twin_rate=rng.uniform(0.2, 0.4),
        decomposed=rng.random() < 0.15,
    )
