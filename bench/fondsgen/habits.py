"""An office's habits, drawn axis by axis (never from a list of whole schemes).

Axes: what the office keeps; how it codes, numbers and boxes records; the inventory's format,
encoding, layout, columns and headings; how each scanning operator names scans (folders and
name parts combined from building blocks, separators, padding, case, file format, typing);
and how often each problem happens. A locality has one operator, or two who split the boxes
(a mixed tree).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

#: Building blocks of a scan's name (one anchor, then extras); see ``naming``.
ANCHORS = (
    "code",
    "code_tail",
    "code_yearnum",
    "num",
    "box_num",
    "stt",
    "title",
    "subject",
    "counter",
)
FOLDERS = ("year", "box", "group", "sheet", "batch", "item")
FORMATS = ("pdf", "pdf", "pdf", "pdf", "tif", "jpg_pages", "tif_pages", "pdf_docs")
CODE_FORMS = ("none", "h56", "yeardept", "slashed", "fonds", "dashed")


@dataclass
class Typing:
    """How one operator types a title or a name."""

    marks: bool  # keeps the marks (else folds them, đ as d)
    abbreviate: float  # chance to shorten each phrase DOMAIN.md lists
    noise: int  # 0 clean, 1 a slip now and then, 2 careless (letters dropped, doubled, swapped)
    cut: int  # title cut at so many characters (0: never)
    case: str  # as typed, upper, lower
    sep: str  # between words in a file name
    local: float = 0.0  # chance to use the office's own shortenings (vocab.LOCAL_ABBREVIATIONS)


@dataclass
class Scheme:
    """How one operator names and files the scans of the boxes given to them."""

    anchor: str
    extras: tuple[str, ...]  # "title", "year", "date", "subject"
    lead: bool  # a number before the words (else after)
    folders: tuple[str, ...]
    joint: str  # between name parts
    pad: int  # numbers zero-padded to so many digits (0: as they are)
    fmt: str
    typing: Typing
    counter: str = ""  # the counter's form, e.g. "IMG_{:06d}"
    sidecar: dict[str, str] = field(default_factory=dict)  # field -> heading
    sidecar_fmt: str = ""
    sidecar_cut: int = 0
    folder_style: int = 0  # how folders, numbers and codes are spelt, e.g. "Hop 03" or "H003"
    parcel_first: bool = False  # a land file named by its parcel (else by its owner)
    export_per_batch: bool = False  # the tool wrote one export into each batch folder

    @property
    def keying(self) -> str:
        """The convention's name in the truth: folders, then the name's parts in order."""
        parts = [f"{f}/" for f in self.folders if f not in ("batch",)]
        name = [self.anchor, *self.extras]
        if not self.lead and self.anchor in ("num", "code_tail", "stt") and self.extras:
            name = [*self.extras, self.anchor]
        return "".join(parts) + "+".join(name) + ("" if self.fmt == "pdf" else f"[{self.fmt}]")


@dataclass
class Habits:
    kinds: dict[str, float]
    first_year: int
    years: int
    code_form: str
    per_year_numbers: bool  # file numbers restart each year (else run through the catalogue)
    box_size: int
    inv_format: str  # xlsx, xls, csv
    encoding: str  # nfc, nfd, tcvn3, vni (cells); utf-8, utf-8-sig, cp1258, tcvn3, vni (csv)
    delimiter: str
    split: str  # one sheet, a sheet per year, a sheet per kind group
    stt_restarts: bool
    columns: tuple[str, ...]
    dates_form: str  # start_end, range, year, day
    headings: str  # marks, plain, caps, short
    title_block: bool
    two_row_header: bool
    numbers_row: bool
    footer: bool
    schemes: list[Scheme]
    rates: dict[str, float]
    breaks: bool = False  # long titles typed on two lines of their cell (Alt+Enter)


def _kinds(rng: random.Random) -> dict[str, float]:
    tthc = rng.sample(["land", "civil", "permit", "business"], rng.randint(1, 4))
    docs = rng.sample(["decision", "report", "minutes"], rng.randint(1, 3))
    kinds = {k: rng.uniform(1.0, 4.0) for k in tthc}
    kinds.update({k: rng.uniform(0.5, 2.0) for k in docs})
    return kinds


def _columns(rng: random.Random, code_form: str) -> tuple[str, ...]:
    cols = ["title"]
    for name, chance in (
        ("stt", 0.9),
        ("box", 0.6),
        ("file_no", 0.55),
        ("sheets", 0.8),
    ):
        if rng.random() < chance:
            cols.append(name)
    if code_form != "none" and rng.random() < 0.9:
        cols.append("code")
    for name, chance in (
        ("dates", 0.85),
        ("retention", 0.6),
        ("notes", 0.5),
        ("land", 0.2),
    ):
        if rng.random() < chance:
            cols.append(name)
    return tuple(cols)


def _typing(rng: random.Random) -> Typing:
    return Typing(
        marks=rng.random() < 0.3,
        abbreviate=rng.choice((0.0, 0.3, 0.8)),
        noise=rng.choice((0, 1, 2)),
        cut=rng.choice((0, 60, 80, 80, 120, 255)),
        case=rng.choice(("as", "as", "as", "upper", "lower")),
        sep=rng.choice((" ", " ", "_", "-")),
        local=rng.choice((0.0, 0.0, 0.5, 0.9)),
    )


def anchors_possible(
    columns: tuple[str, ...], code_form: str, kinds: dict[str, float]
) -> list[str]:
    """The anchors an operator could name by that a reader could check in this inventory."""
    out = ["title", "counter"]
    numbered = "file_no" in columns or "code" in columns
    if "code" in columns:
        out += ["code", "code_tail"]
        if code_form in ("h56", "yeardept", "slashed", "fonds", "dashed"):
            out.append("code_yearnum")
    if numbered:
        out.append("num")
        if "box" in columns:
            out.append("box_num")
    if "stt" in columns:
        out.append("stt")
    if set(kinds) & {"land", "permit", "civil", "business", "decision"}:
        out.append("subject")
    return out


def _scheme(rng: random.Random, h: Habits, taken: str = "") -> Scheme:
    possible = [a for a in anchors_possible(h.columns, h.code_form, h.kinds) if a != taken]
    anchor = rng.choice(possible)
    extras: list[str] = []
    if anchor in ("num", "code_tail", "stt", "box_num") and rng.random() < 0.55:
        extras.append("title")
    if anchor == "subject" and rng.random() < 0.3:
        extras.append("title")
    if anchor in ("title", "subject", "num") and rng.random() < 0.25:
        extras.append("year")
    if anchor in ("title", "subject", "num") and "dates" in h.columns and rng.random() < 0.15:
        extras.append("date")
    folders: list[str] = []
    if rng.random() < (0.8 if h.per_year_numbers else 0.35):
        folders.append("year")
    if "box" in h.columns and anchor != "box_num" and rng.random() < 0.35:
        folders.append("box")
    if rng.random() < 0.15:
        folders.append("group")
    if anchor == "stt" and h.split != "one" and not folders:
        folders.append("sheet")
    if rng.random() < 0.2:
        folders.append("batch")
    fmt = rng.choice(FORMATS)
    if fmt in ("jpg_pages", "tif_pages", "pdf_docs"):
        folders.append("item")
    scheme = Scheme(
        anchor=anchor,
        extras=tuple(extras),
        lead=rng.random() < 0.7,
        folders=tuple(folders),
        joint=rng.choice((" - ", "_", " ", "-", ". ")),
        pad=rng.choice((0, 3, 3, 4)),
        fmt=fmt if anchor != "counter" else rng.choice(("pdf", "pdf", "tif")),
        typing=_typing(rng),
        folder_style=rng.randrange(4),
        parcel_first=rng.random() < 0.5,
    )
    if anchor == "counter":
        _sidecar(rng, scheme, h)
    return scheme


_SIDECAR_HEADINGS = {
    "file": ("Tên tệp", "Ten file", "File name", "FileName", "Tệp tin", "Đường dẫn"),
    "title": ("Tiêu đề", "Tieu de ho so", "Title", "TĐ", "Nội dung", "Trích yếu"),
    "year": ("Năm", "Nam", "Year", "Năm HS"),
    "pages": ("Số trang", "So trang", "Pages", "SL trang", "Page count"),
    "code": ("Mã hồ sơ", "Ma HS", "Code", "Mã hồ sơ gốc giấy"),
    "file_no": ("Hồ sơ số", "So HS", "File no"),
    "scanned": ("Ngày quét", "Ngay scan", "Scan date", "Thời gian quét"),
    "operator": ("Người quét", "Nguoi thuc hien", "Operator"),
}


def _sidecar(rng: random.Random, scheme: Scheme, h: Habits) -> None:
    scheme.counter = rng.choice(
        (
            "IMG_{:06d}",
            "SCAN{:04d}",
            "DOC{:05d}",
            "Scan_{:04d}",
            "{:08d}",
            "image{:03d}",
            "TIME",
        )
    )
    scheme.export_per_batch = "batch" in scheme.folders and rng.random() < 0.5
    fields = ["file"]
    if "code" in h.columns and rng.random() < 0.35:
        fields.append("code")
    elif "file_no" in h.columns and rng.random() < 0.2:
        fields.append("file_no")
    if len(fields) == 1 or rng.random() < 0.85:
        fields.append("title")
    for name, chance in (
        ("year", 0.6),
        ("pages", 0.6),
        ("scanned", 0.5),
        ("operator", 0.3),
    ):
        if rng.random() < chance:
            fields.append(name)
    style = rng.randrange(6)
    scheme.sidecar = {f: _SIDECAR_HEADINGS[f][style % len(_SIDECAR_HEADINGS[f])] for f in fields}
    if rng.random() < 0.15:  # a tool that exports no headings anyone knows
        scheme.sidecar = {f: f"Cột {i + 1}" for i, f in enumerate(fields)}
    scheme.sidecar_fmt = rng.choice(("csv", "csv", "xlsx", "csv-1258", "xml"))
    scheme.sidecar_cut = rng.choice((0, 100, 255))


def draw(rng: random.Random) -> Habits:
    """One office's habits; every axis drawn on its own."""
    code_form = rng.choice(CODE_FORMS)
    inv_format = rng.choice(("xlsx", "xlsx", "xlsx", "xls", "csv", "csv"))
    if inv_format == "csv":
        encoding = rng.choice(
            ("utf-8", "utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni", "nfd", "viqr")
        )
    else:
        encoding = rng.choice(("nfc", "nfc", "nfd", "tcvn3", "vni"))
    kinds = _kinds(rng)
    h = Habits(
        kinds=kinds,
        first_year=rng.randint(2008, 2018),
        years=rng.randint(3, 7),
        code_form=code_form,
        per_year_numbers=rng.random() < 0.4,
        box_size=rng.randint(5, 14),
        inv_format=inv_format,
        encoding=encoding,
        delimiter=rng.choice((",", ";", "\t")) if inv_format == "csv" else "",
        split=rng.choice(("one", "one", "year", "group")) if inv_format != "csv" else "one",
        stt_restarts=rng.random() < 0.7,
        columns=_columns(rng, code_form),
        dates_form=rng.choice(("start_end", "range", "year", "day")),
        headings=rng.choice(("marks", "marks", "plain", "caps", "short")),
        title_block=rng.random() < 0.7,
        two_row_header=rng.random() < 0.4,
        numbers_row=rng.random() < 0.4,
        footer=rng.random() < 0.5,
        schemes=[],
        rates={
            "missing": rng.uniform(0.01, 0.08),
            "orphan": rng.uniform(0.0, 0.02),
            "copy": rng.uniform(0.0, 0.02),
            "short": rng.uniform(0.0, 0.04),
            "damaged": rng.uniform(0.0, 0.01),
            "twice": rng.uniform(0.0, 0.015),
            "rescan": rng.uniform(0.0, 0.02),
        },
    )
    h.breaks = inv_format != "csv" and rng.random() < 0.3
    h.schemes.append(_scheme(rng, h))
    if rng.random() < 0.35:  # a second operator took some boxes: a mixed tree
        h.schemes.append(_scheme(rng, h, taken=h.schemes[0].anchor))
    return h
