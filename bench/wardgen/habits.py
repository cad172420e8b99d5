"""A locality's habits, drawn axis by axis: no whole scheme is picked from a list.

Axes: what the office keeps; whether it is a commune merged from former ones (and how their
inventories were joined) and whether it received an abolished district's records; the
inventory (format, encoding, layout, which columns, their headings, the date form, what the
Ghi chú column holds); how each batch of scans is named (an anchor per batch, and the
decorations: capture device, folders, separators, case, marks, order, noise numbers, the
64-character cut); the file format; and the rate of each problem.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from .vocab import DEVICES, PROCEDURES, PRODUCERS

TTHC_KINDS = [k for k, p in PROCEDURES.items() if p.tthc]
SERIES_KINDS = [k for k, p in PROCEDURES.items() if not p.tthc]

#: anchors for procedure records; what the inventory must show for each to be readable
TTHC_ANCHORS = (
    "receipt",  # the one-stop shop's receipt number whole
    "receipt_tail",  # its date and sequence only: 230515-0001
    "owner_proc",  # the owner's name and the procedure, in either order
    "portal_owner",  # the national portal's procedure code and the owner
    "id_owner",  # a citizen's ID number (or phone) and the owner
    "date_owner",  # the receipt date in one of many orders and the owner
    "device_notes",  # the capture device's stem, typed into the inventory's Ghi chú
    "device_log",  # the capture device's stem, listed in the day's scanning log
    "box_file",  # box and file folders
    "typed_title",  # the title as the operator typed it
    "stt_former",  # a former commune's folder and the row number of its inventory
)
SERIES_ANCHORS = ("typed_title", "period", "box_file", "code")


@dataclass
class Batch:
    """One operator's or one contractor lot's way of naming: an anchor and decorations."""

    anchor: str
    series_anchor: str
    device: str  # capture device stem kept in front of the name, or the stem itself
    keep_device: bool  # a renamed scan keeps the device stem before the rest
    folders: list[str]  # outermost first: day, kind, year, former, box, lot, operator
    sep: str  # " ", "_", "-", or "" (CamelCase)
    case: str  # as, upper, lower, title
    marks: str  # nfc, nfd, none, telex, vni
    proc_first: bool
    short_proc: bool  # the procedure shortened (KS) or in words (khai sinh)
    date_form: str  # dmy_dash, ymd_dot, dmy_compact, dmy_dot
    abbreviate: bool  # the operator writes the office's abbreviations
    slips: float  # share of words of four letters or more typed wrong
    run_together: float  # share of word pairs typed without a space
    noise_number: float  # share of names that carry a phone or ID number
    name_limit: int  # 0, or the 64 characters an old burning tool allowed
    fmt: str  # pdf, tiff, jpg
    page_names: str  # jpg series: 001.jpg, Page_1.jpg, stem_001.jpg
    log_format: str  # csv, xlsx: the day's scanning log (device_log)
    log_name_form: str  # stem, name, winpath
    log_evidence: str  # receipt, owner, title: what the log's row says of the record
    split: str  # how a record scanned in two parts is named: _p, phan, dash, paren
    components: bool  # a folder per record, one PDF per component document (portal habit)
    receipt_form: str  # as, underscore (dots typed as _), prefix ("BN " before it)


@dataclass
class Habits:
    seed: int
    unit: str
    code: str
    former: list[str]  # former communes (merged) or []
    merge_layout: str  # sheets (one per former commune) or concat (one table, STT restarts)
    old_box_column: bool
    box_labels: str  # new or old: the labels on the boxes the contractor scanned
    district: bool  # holds records handed over by the abolished district
    district_name: str
    district_code: str
    kinds: dict[str, float]
    years: tuple[int, int]
    code_form: str  # receipt, fonds, slash, none
    fonds_prefix: str
    agency: str  # the one-stop shop's agency code in receipts
    has_box: bool
    has_file_no: bool
    has_sheets: bool
    date_style: str  # dmy, dmy_dash, my, y, range
    notes_style: str  # none, remarks, filename
    inv_format: str  # xlsx, csv_word, csv_1258, csv_utf8
    csv_delim: str
    title_block: bool
    two_row_header: bool
    number_row: bool
    footer: bool
    headings: dict[str, str]
    mapped: dict[str, str]  # [locality.columns]: field -> heading khaudit may not know
    inv_abbreviate: bool  # the inventory writes GCN QSDĐ, UBND...
    split_by_year: bool  # one inventory file (xlsx: one sheet) per year group
    batches: list[Batch]
    batch_by: str  # year, kind, former: what decides a record's batch
    producer: str
    image_mode: str  # bilevel, gray
    dpi: int
    rates: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def _pick(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


_HEADINGS = {
    "stt": ("STT", "Số TT", "TT", "Số thứ tự"),
    "box": ("Hộp số", "Hộp/cặp số", "Số hộp", "Hộp"),
    "old_box": ("Hộp cũ", "Số hộp cũ", "Hộp (cũ)"),
    "file_no": ("Hồ sơ số", "Số hồ sơ", "HS số"),
    "title": ("Tiêu đề hồ sơ", "Tên hồ sơ", "Trích yếu nội dung", "TIÊU ĐỀ HỒ SƠ", "Tieu de ho so"),
    "dates": ("Thời gian", "Thời gian bắt đầu - kết thúc", "Ngày tiếp nhận", "Ngày nhận"),
    "sheets": ("Số tờ", "Số lượng tờ", "SL tờ", "So to"),
    "retention": ("Thời hạn bảo quản", "THBQ"),
    "notes": ("Ghi chú", "GHI CHÚ", "Ghi chu"),
    "code_receipt": ("Số biên nhận", "Mã biên nhận", "Mã hồ sơ một cửa", "Số hồ sơ TTHC"),
    "code": ("Số, ký hiệu hồ sơ", "Mã hồ sơ", "Ký hiệu", "Số và ký hiệu hồ sơ"),
    "former": ("Đơn vị cũ", "Xã (cũ)", "Phông"),
}
#: headings an office types that no synonym list holds: the project file must map them
_ODD_TITLE = ("Tên TTHC / Người nộp", "Nội dung hồ sơ TTHC", "Tên hồ sơ, tài liệu")


def _headings(rng: random.Random, code_form: str) -> tuple[dict[str, str], dict[str, str]]:
    heads = {k: rng.choice(v) for k, v in _HEADINGS.items()}
    mapped: dict[str, str] = {}
    if code_form == "receipt":
        heads["code"] = heads["code_receipt"]
        mapped["record_code"] = heads["code"]
    if rng.random() < 0.25:
        heads["title"] = rng.choice(_ODD_TITLE)
        mapped["title"] = heads["title"]
    if heads["dates"] in ("Ngày tiếp nhận", "Ngày nhận"):
        mapped["dates"] = heads["dates"]
    del heads["code_receipt"]
    return heads, mapped


def _batch(rng: random.Random, h: Habits, anchors: list[str]) -> Batch:
    anchor = rng.choice(anchors)
    # a series has no receipt: it is named by a code only where the office codes its files
    coded = h.code_form in ("fonds", "slash")
    series = rng.choice([a for a in SERIES_ANCHORS if a != "code" or coded])
    if series == "box_file" and not _readable("box_file", h):
        series = "typed_title"
    folders: list[str] = []
    for level, p in (("lot", 0.2), ("day", 0.35), ("kind", 0.4), ("year", 0.35)):
        if rng.random() < p:
            folders.append(level)
    if h.former and rng.random() < 0.7:
        folders.insert(0, "former")
    if anchor == "device_log" and "day" not in folders:
        folders.append("day")
    if anchor == "stt_former" and "former" not in folders:
        folders.insert(0, "former")
    if anchor == "box_file" or (series == "box_file" and rng.random() < 0.5):
        folders = [f for f in folders if f not in ("day", "kind")] + ["box"]
    rng.shuffle(folders) if rng.random() < 0.15 else None
    camel = rng.random() < 0.2
    marks = _pick(rng, {"none": 5, "nfc": 2, "nfd": 1.5, "telex": 1, "vni": 0.6})
    return Batch(
        anchor=anchor,
        series_anchor=series,
        device=rng.choice(list(DEVICES)),
        keep_device=rng.random() < 0.25,
        folders=folders,
        sep="" if camel else rng.choice((" ", "_", "_", "-", " - ")),
        case=rng.choice(("as", "as", "upper", "lower", "title")),
        marks=marks,
        proc_first=rng.random() < 0.5,
        short_proc=rng.random() < 0.65,
        date_form=rng.choice(("dmy_dash", "ymd_dot", "dmy_compact", "dmy_dot", "ymd_compact")),
        abbreviate=rng.random() < 0.6,
        slips=rng.choice((0.0, 0.02, 0.06)),
        run_together=rng.choice((0.0, 0.0, 0.03, 0.08)),
        noise_number=rng.choice((0.0, 0.0, 0.1, 0.4)),
        name_limit=64 if rng.random() < 0.3 else 0,
        fmt=_pick(rng, {"pdf": 8, "tiff": 1.2, "jpg": 1}),
        page_names=rng.choice(("num", "page", "stem")),
        log_format=rng.choice(("csv", "xlsx")),
        log_name_form=rng.choice(("stem", "name", "winpath")),
        log_evidence=rng.choice(
            ("receipt", "owner", "title") if h.code_form == "receipt" else ("owner", "title")
        ),
        split=rng.choice(("_p", "phan", "dash", "paren")),
        components=rng.random() < 0.15,
        receipt_form=rng.choice(("as", "as", "underscore", "prefix")),
    )


def draw(seed: int, index: int, unit: tuple[str, str, tuple[str, ...], str, str]) -> Habits:
    """The habits of one locality, each axis drawn on its own."""
    rng = random.Random(f"wardgen-habits-{seed}-{index}")
    name, code, formers, district_name, district_code = unit
    merged = rng.random() < 0.55
    former = list(formers[: rng.choice((2, 3))]) if merged else []
    weights = {k: rng.choice((0.0, 0.5, 1.0, 2.0, 4.0)) for k in TTHC_KINDS}
    weights[rng.choice(TTHC_KINDS)] = 5.0
    series_share = rng.choice((0.0, 0.1, 0.25))
    for k in SERIES_KINDS:
        weights[k] = series_share * rng.random()
    code_form = _pick(rng, {"receipt": 4, "fonds": 2, "slash": 1, "none": 2})
    heads, mapped = _headings(rng, code_form)
    start = rng.randint(2012, 2019)
    h = Habits(
        seed=seed,
        unit=name,
        code=code,
        former=former,
        merge_layout=rng.choice(("sheets", "concat")),
        old_box_column=merged and rng.random() < 0.5,
        box_labels=rng.choice(("new", "old")) if merged else "new",
        district=rng.random() < 0.35,
        district_name=district_name,
        district_code=district_code,
        kinds=weights,
        years=(start, min(2025, start + rng.randint(3, 9))),
        code_form=code_form,
        fonds_prefix=rng.choice(("H56", "VP", "UB", "HS")),
        agency=f"000.{rng.randint(0, 99):02d}.{rng.randint(10, 40)}.H{rng.choice((34, 41, 56))}",
        has_box=rng.random() < 0.7,
        has_file_no=rng.random() < 0.6,
        has_sheets=rng.random() < 0.8,
        date_style=rng.choice(("dmy", "dmy", "dmy_dash", "my", "y", "range")),
        notes_style=_pick(rng, {"none": 3, "remarks": 3, "filename": 2}),
        inv_format=_pick(rng, {"xlsx": 5, "csv_word": 2, "csv_1258": 1, "csv_utf8": 1}),
        csv_delim=rng.choice((",", ";")),
        title_block=rng.random() < 0.7,
        two_row_header=rng.random() < 0.3,
        number_row=rng.random() < 0.5,
        footer=rng.random() < 0.6,
        headings=heads,
        mapped=mapped,
        inv_abbreviate=rng.random() < 0.4,
        split_by_year=rng.random() < 0.3,
        batches=[],
        batch_by=rng.choice(("year", "kind", "former") if merged else ("year", "kind")),
        producer=rng.choice(PRODUCERS),
        image_mode=rng.choice(("bilevel", "bilevel", "gray")),
        dpi=rng.choice((200, 300)),
    )
    h.rates = {
        "missing": rng.uniform(0.02, 0.07),
        "orphan": rng.uniform(0.005, 0.02),
        "copy": rng.uniform(0.0, 0.02),
        "rescan": rng.uniform(0.0, 0.015),
        "split": rng.choice((0.0, 0.0, 0.02, 0.05)),
        "multi": rng.choice((0.0, 0.0, 0.005, 0.01)),
        "short": rng.uniform(0.0, 0.03) if h.has_sheets else 0.0,
        "empty": rng.uniform(0.0, 0.006),
        "truncated": rng.uniform(0.0, 0.006),
        "repeat": rng.uniform(0.0, 0.015),
        "twin": rng.uniform(0.03, 0.12),
    }
    anchors = [a for a in TTHC_ANCHORS if _readable(a, h)]
    h.batches = [_batch(rng, h, anchors) for _ in range(rng.choice((1, 1, 2, 3)))]
    if h.notes_style == "filename" and rng.random() < 0.5:
        # the clerk types the file names into the Ghi chú because the scanner named them
        h.batches[0].anchor = "device_notes"
    return h


def _readable(anchor: str, h: Habits) -> bool:
    """Whether the inventory shows what the anchor names (else no office would name so)."""
    if anchor in ("receipt", "receipt_tail"):
        return h.code_form == "receipt"
    if anchor == "device_notes":
        return h.notes_style == "filename"
    if anchor == "box_file":
        # the number on the folder is the file number: an office names so when the
        # inventory writes it (a column, or the last segment of the code)
        return h.has_file_no or h.code_form in ("fonds", "slash")
    if anchor == "stt_former":
        return bool(h.former)
    if anchor == "date_owner":
        return h.date_style in ("dmy", "dmy_dash", "range")
    return True
