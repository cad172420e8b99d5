"""From raw sheets to inventory records with provenance, converted text and collected issues.

Header detection looks at the first rows of each sheet for the row (or pair of rows, for merged
two-row headers) that names the most known columns; title blocks above it, the numbered
"(1) (2) (3)" row under it, repeated headers, section lines and footers are skipped. A sheet
without a header of its own continues the previous sheet's table when it has the same width.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..contract import provenance_column
from ..errors import InventoryFileError
from ..i18n import t
from ..textnorm import fold, nfc
from . import guess
from . import values as V
from .columns import REQUIRED, exact_field, map_headings, names_other_thing
from .encodings import ENCODINGS, convert_cell, detect_column_encoding
from .issues import InventoryIssue
from .limits import MAX_CELL_CHARS
from .readers import RawSheet, column_letter, read_sheets

HEADER_SEARCH_ROWS = 40
_NUMBERING_CELL = re.compile(r"^\(?(\d{1,2})\)?$")
_FOOTER_PREFIXES = ("muc luc nay", "tong cong", "tong so", "cong ", "nguoi lap", "thu truong")

#: Columns of the records a loader returns (the inventory half of records.csv).
RECORD_FIELDS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "stt",
    "record_code",
    "box",
    "file_no",
    "title",
    "title_original",
    "year_start",
    "year_end",
    "dates_raw",
    "sheets",
    "retention",
    "notes",
    "encoding",
    "duplicate_of",
    "hidden",
    "date_start",
    "date_end",
    "original_cells",
    "address",
    "other_numbers",
]


@dataclass
class Header:
    row_index: int  # 0-based index of the last header row
    mapping: dict[int, str]  # column index -> field
    headings: list[str]
    #: column index -> field, for the columns mapped by what they hold (guess.py), not named
    guessed: dict[int, str] = field(default_factory=dict)


def _texts(row: list[object], encoding: str | None = None) -> list[str]:
    return [convert_cell(V.cell_text(v), encoding)[0] for v in row]


def sheet_encoding(sheet: RawSheet) -> str | None:
    """The legacy encoding a whole sheet was typed in, if its text cells show one.

    Short cells ("Số tờ" typed in TCVN3 is "Sè tê") carry no evidence alone; the sheet does.
    """
    return detect_column_encoding(v for row in sheet.rows for v in row if isinstance(v, str))


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [u if (not lo or lo == u) else (f"{u} {lo}" if u else lo) for u, lo in zip(upper, lower)]


def find_header(
    sheet: RawSheet,
    overrides: dict[str, str] | None = None,
    synonyms: dict[str, tuple[str, ...]] | None = None,
    required: tuple[str, ...] = REQUIRED,
    encoding: str | None = None,
) -> Header | None:
    """The header of a sheet, or None if no row names the ``required`` columns."""
    best: tuple[int, Header] | None = None
    limit = min(HEADER_SEARCH_ROWS, len(sheet.rows))
    for r in range(limit):
        single = _texts(sheet.rows[r], encoding)
        options = [(r, single)]
        if r + 1 < len(sheet.rows):
            options.append((r + 1, _combine(single, _texts(sheet.rows[r + 1], encoding))))
        for last, headings in options:
            mapping = map_headings(headings, overrides, synonyms)
            if not all(f in mapping.values() for f in required):
                continue
            score = len(mapping) * 2 - (last - r)  # prefer one row when two add nothing
            if best is None or score > best[0]:
                best = (score, Header(last, mapping, headings))
    return best[1] if best else None


def _is_numbering_row(texts: list[str]) -> bool:
    cells = [t for t in texts if t]
    if len(cells) < 3 or not _NUMBERING_CELL.match(cells[-1]):
        return False
    numbers = [_NUMBERING_CELL.match(t) for t in cells]
    if not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers if m]
    return values == list(range(values[0], values[0] + len(values)))


def _is_footer(texts: list[str]) -> bool:
    first = next((t for t in texts if t), "")
    return fold(first).startswith(_FOOTER_PREFIXES)


def _row_spans_merged(sheet: RawSheet, r: int, width: int) -> bool:
    """A section line ("Năm 2019") typed in one cell merged across the table."""
    return any(
        r0 <= r <= r1 and (c1 - c0 + 1) >= max(3, width // 2) for r0, c0, r1, c1 in sheet.merged
    )


#: A record code as offices write them: segments of letters and digits joined by . - / _,
#: three or more ("H56.03.2016.0001", "2015/HS/0001", "56-7-2019-12").
_CODE_SHAPE = re.compile(r"^[A-Za-z0-9]{1,8}(?:[./_-][A-Za-z0-9]{1,8}){2,}$")
#: A date as typed ("28/12/1986", "05-03-2019", "2019.03.05"): a column of birth or issue
#: dates has the shape of codes and nearly all different cells, but is no code column.
_DATE_SHAPE = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2})$"
)
#: Cells of a column looked at to tell whether it holds codes.
CODE_SAMPLE = 200


def _code_column(sheet: RawSheet, header: Header, start: int) -> Header:
    """The header with a column of record codes under a heading no synonym lists ("Mã lưu
    trữ", "Ký mã hiệu") mapped as ``record_code``, found by what its cells hold: nearly all
    shaped like codes, with three digits or more, and nearly all different. Unchanged when a
    code column is named or none is found."""
    if "record_code" in header.mapping.values():
        return header
    for c in range(len(header.headings)):
        if c in header.mapping:
            continue
        cells = [
            text
            for row in sheet.rows[start : start + CODE_SAMPLE]
            if c < len(row) and (text := V.cell_text(row[c]))
        ]
        coded = [
            x
            for x in cells
            if _CODE_SHAPE.match(x)
            and sum(ch.isdigit() for ch in x) >= 3
            and not _DATE_SHAPE.match(x)
        ]
        if (
            len(cells) >= 5
            and len(coded) >= 0.8 * len(cells)
            and len(set(coded)) >= 0.9 * len(coded)
        ):
            return Header(header.row_index, {**header.mapping, c: "record_code"}, header.headings)
    return header


#: Prefix of a raw cell taken from a column no field claims: its whole numbers are kept as the
#: record's ``other_numbers``, for the matcher to try against the numbers scan names show
#: ("Số lưu", "Giá số": headings no synonym table can list ahead).
OTHER = "other:"


def _other_columns(header: Header) -> dict[int, str]:
    """column index -> raw key for headed columns no field claims."""
    return {
        c: OTHER + heading.strip()
        for c, heading in enumerate(header.headings)
        if c not in header.mapping and heading.strip()
    }


def _other_numbers(row: _Row) -> str:
    """The whole numbers of the row's unclaimed columns, as JSON (heading -> number)."""
    numbers = {}
    for key, value in row.raw.items():
        if key.startswith(OTHER):
            number = V.parse_count(value)
            if number is not None:
                numbers[key.removeprefix(OTHER)] = number
    return json.dumps(numbers, ensure_ascii=False) if numbers else ""


def _sheet_rows(
    sheet: RawSheet, header: Header, start: int, encoding: str | None
) -> Iterable[tuple[int, dict[str, object], dict[str, str]]]:
    """Yield (row index, raw values by field, heading by field) for each data row."""
    heading_by_field = {
        f: header.headings[c] if c < len(header.headings) else f for c, f in header.mapping.items()
    }
    header_fields = {f: fold(h) for f, h in heading_by_field.items()}
    title_column = next(c for c, f in header.mapping.items() if f == "title")
    width = len(header.headings)
    others = _other_columns(header)
    closed = False  # after "Mục lục này gồm có ...": signatures, until the header comes again
    context = _year_line(sheet.name)  # "2015", "Năm 2015": the sheet of a year
    box = ""  # "Hộp số 03": a section line naming the box of the rows under it
    split = _split_rows(sheet, header, title_column)
    last: dict[str, object] | None = None  # the record a split-off title line continues
    for r in range(start, len(sheet.rows)):
        row = sheet.rows[r]
        raw = {f: (row[c] if c < len(row) else "") for c, f in header.mapping.items()}
        raw |= {key: row[c] for c, key in others.items() if c < len(row)}
        texts = [V.cell_text(v) for v in row]
        if encoding:
            texts = [t if t.isascii() else convert_cell(t, encoding)[0] for t in texts]
        if not any(texts[c] for c in header.mapping if c < len(texts)):
            continue
        if _is_header_repeat(texts, header, header_fields):
            closed, last = False, None  # a page's header, or a second table's below the first
            continue
        first = next(t for t in texts if t)
        if closed or (not first[0].isdigit() and _is_footer(texts)):
            closed = closed or fold(first).startswith("muc luc nay")
            continue
        if _is_numbering_row(texts) or (r == start and _header_tail(texts, header)):
            continue
        if (sheet.merged and _row_spans_merged(sheet, r, width)) or _is_section_row(
            texts, title_column
        ):
            line = next(t for t in texts if t)
            context = _year_line(line) or context
            box = _box_line(line) or box
            last = None
            continue
        if last is not None and (r in split or _title_line(texts, header, title_column)):
            _continue_title(last, raw, r)
            continue
        raw |= {k: v for k, v in ((CONTEXT_YEAR, context), (CONTEXT_BOX, box)) if v}
        last = raw
        yield r, raw, heading_by_field


def _header_tail(texts: list[str], header: Header) -> bool:
    """The rest of headings wrapped onto the row under the header and saved so (a CSV keeps
    no merge): "Tiêu đề" over "hồ sơ". Each filled cell is text under a mapped column, and
    the heading above it with it is exactly a name of the same field (a title alone on the
    first row, "Tiêu đề hồ sơ Báo cáo", is none, and stays a record)."""
    filled = [(c, x) for c, x in enumerate(texts) if x]
    return all(
        c in header.mapping
        and not any(ch.isdigit() for ch in x)
        and exact_field(f"{header.headings[c]} {x}") == header.mapping[c]
        for c, x in filled
    )


#: The raw key of the rows (0-based) whose text continued a record's title.
CONTINUED = "context:continued"


def _split_rows(sheet: RawSheet, header: Header, title_column: int) -> set[int]:
    """Rows that continue the record above: a Word table pasted into Excel puts each paragraph
    of a cell on a row of its own and merges the other cells down, so the row's STT (or file
    number, or code) cell is merged down from above while its title cell is not. (A box
    merged down over its files is no such merge: each file has its own STT.)"""
    own = {f: c for c, f in header.mapping.items()}
    ident = next((own[f] for f in ("stt", "file_no", "record_code") if f in own), None)
    if ident is None:
        return set()
    down: set[int] = set()
    titled: set[int] = set()
    for r0, c0, r1, c1 in sheet.merged:
        if r1 > r0 and c0 <= ident <= c1:
            down.update(range(r0 + 1, r1 + 1))
        if r1 > r0 and c0 <= title_column <= c1:
            titled.update(range(r0 + 1, r1 + 1))
    return down - titled


def _title_line(texts: list[str], header: Header, title_column: int) -> bool:
    """A line of a title carried to the next row (the same paste saved as CSV, where the
    merges are gone): only the title cell filled, in a table with an STT column, its text
    going on in lower case ("đất (Quyết định số 22)"); a title of its own starts a capital."""
    filled = [c for c, t in enumerate(texts) if t]
    if filled != [title_column] or "stt" not in header.mapping.values():
        return False
    letter = next((ch for ch in texts[title_column] if ch.isalpha()), "")
    return letter.islower()


def _continue_title(last: dict[str, object], raw: dict[str, object], r: int) -> None:
    """Join a continuation row's title text to the record it continues, remembering the row."""
    more = V.cell_text(raw.get("title"))
    if more:
        last["title"] = f"{V.cell_text(last.get('title'))} {more}".strip()
    rows = last.setdefault(CONTINUED, [])
    if isinstance(rows, list):
        rows.append(r)


#: The raw keys of the year a row's sheet name or section line gives ("Năm 2015"), and of the
#: box a section line gives ("Hộp số 03", where the boxes are sections, not a column).
CONTEXT_YEAR = "context:year"
CONTEXT_BOX = "context:box"
_BOX_LINE = re.compile(r"^(?:hop|cap|hop cap)(?: so)? ?(\d{1,6})$")


def _box_line(text: str) -> str:
    """ "3" when ``text`` is a box's section line ("Hộp số 03", "HỘP 3", "Cặp số 3"), else ""."""
    m = _BOX_LINE.match(fold(text))
    return "" if m is None else str(int(m.group(1)))


_YEAR_LINE = re.compile(r"^(?:nam )?((?:19|20)\d\d)(?: ?(?:-|den) ?((?:19|20)\d\d))?$")


def _year_line(text: str) -> str:
    """ "2015" or "2015-2016" when ``text`` names only a year or a span of years ("Năm 2015",
    "2015 - 2016", a sheet named "2015"), else ""."""
    m = _YEAR_LINE.match(fold(text))
    return "" if m is None else "-".join(y for y in m.groups() if y)


def _context_year(raw: dict[str, object]) -> str:
    """The year the row's sheet or section gives, for a row with no date typed, else ""."""
    typed = any(V.cell_text(raw.get(f)) for f in ("dates", "date_start", "date_end"))
    return "" if typed else str(raw.get(CONTEXT_YEAR, ""))


def _context_box(raw: dict[str, object]) -> str:
    """The box a section line gives, for a row with no box typed, else ""."""
    return "" if V.cell_text(raw.get("box")) else str(raw.get(CONTEXT_BOX, ""))


def _context_notes(rows: list[_DataRow], where: tuple[str, str, str]) -> list[InventoryIssue]:
    """One note per year taken from a sheet's name or a section line, one per sheet for boxes
    taken from section lines and one for titles continued on the next row (naming the first
    such row and the joined title), each at its first row; ``where``: locality, file, sheet."""
    notes: dict[tuple[str, str], InventoryIssue] = {}
    for r, raw, _ in rows:
        year, box = _context_year(raw), _context_box(raw)
        joined = raw.get(CONTINUED)
        if isinstance(joined, list) and ("title", "") not in notes:
            notes["title", ""] = InventoryIssue(
                *where, joined[0] + 1, "", "title", str(raw["title"]), "title_continued", "info"
            )
        if year and ("dates", year) not in notes:
            notes["dates", year] = InventoryIssue(
                *where, r + 1, "", "dates", year, "year_from_context", "info"
            )
        if box and ("box", "") not in notes:
            notes["box", ""] = InventoryIssue(
                *where, r + 1, "", "box", box, "box_from_section", "info"
            )
    return list(notes.values())


#: A heading typed inside the table: "I. Hộ tịch", "A. Văn bản", "2. Đất đai", "Năm 2015",
#: "Quý I năm 2016" (the period words folded). In the title column the numbered form is left
#: out: a title may begin with its own number.
_SECTION = re.compile(r"^(?:[IVXLC]{1,6}|[A-Za-z]|\d{1,2})[.)]\s*[^\d\s.)]")
_PERIOD = re.compile(
    r"^(?:nam|quy|thang|giai doan|phan|muc|nhom|khoi) (?:\d|[ivxlc]+\b)[\w ]{0,24}$"
)
_SECTION_CHARS = 60


def _is_section_row(texts: list[str], title_column: int) -> bool:
    """A section line of the table: one short cell alone on its row (or one text merged
    across cells), shaped like a section heading. Not a record: reading it as one would add a
    record with no title, or with "Năm 2015" for a title."""
    cells = [(c, t) for c, t in enumerate(texts) if t]
    if not cells or len({t for _, t in cells}) != 1 or len(cells[0][1]) > _SECTION_CHARS:
        return False
    column, text = cells[0][0], cells[0][1].strip()
    if _PERIOD.match(fold(text)) or _box_line(text):
        return True
    return bool(_SECTION.match(text)) and (column != title_column or not text[0].isdigit())


def _is_header_repeat(texts: list[str], header: Header, folded: dict[str, str]) -> bool:
    """A row of the header repeated on a printed page: each filled cell of a mapped column
    reads as that column's heading, or as the upper or lower part of a heading wrapped over
    two rows ("Hồ sơ" over "Số"), with the title's heading or two cells at least."""
    matched = 0
    for c, name in header.mapping.items():
        text = fold(texts[c]) if c < len(texts) else ""
        if not text:
            continue
        heading = folded[name]
        if not (text == heading or heading.startswith(text + " ") or heading.endswith(" " + text)):
            return False
        matched += 2 if name == "title" else 1
    return matched >= 2


@dataclass
class SheetInfo:
    """What the loader detected in one sheet: shown by ``khaudit inventory check``."""

    name: str
    header_rows: str  # "6-7" (1-based), "" when the sheet continues the previous one
    continuation: bool
    mapping: dict[str, str]  # heading as typed -> field
    encodings: dict[str, str]  # field -> legacy encoding converted from
    byte_encoding: str
    data_rows: int
    hidden_rows: int
    skipped: bool = False


def _headings_seen(sheet: RawSheet, encoding: str | None) -> str:
    """The row most like a header, for an error that must show what the file has instead."""
    rows = [_texts(row, encoding) for row in sheet.rows[:HEADER_SEARCH_ROWS]]
    best = max(
        rows, key=lambda texts: sum(1 for t in texts if t and not t[0].isdigit()), default=[]
    )
    return " | ".join(t for t in best if t)


def load_inventory(
    path: Path,
    display_name: str,
    locality: str,
    overrides: dict[str, str] | None = None,
    info: list[SheetInfo] | None = None,
) -> tuple[list[dict[str, object]], list[InventoryIssue]]:
    """Load one inventory file: records with provenance, and every issue found in it.

    Raises InventoryFileError only when the file cannot be opened at all. When ``info`` is a
    list, what was detected in each sheet is appended to it.
    """
    records: list[dict[str, object]] = []
    issues: list[InventoryIssue] = []
    shown = info if info is not None else []
    previous: Header | None = None
    for sheet in read_sheets(path):
        issues += _nul_bytes(sheet, locality, display_name)
        issues += _long_cells(sheet, locality, display_name)
        if not any(any(V.cell_text(v) for v in row) for row in sheet.rows):
            continue
        encoding = sheet_encoding(sheet)
        own = find_header(sheet, overrides, encoding=encoding) or _title_by_content(
            sheet, overrides, encoding
        )
        header = own or _continued(sheet, previous)
        if header is None:
            issues.append(_no_header(sheet, locality, display_name, encoding))
            shown.append(_skipped(sheet))
            continue
        header = _code_column(sheet, header, own.row_index + 1 if own else 0)
        header = _dates_by_content(sheet, header, own.row_index + 1 if own else 0)
        issues += _guessed_columns(sheet, header, locality, display_name) if own else []
        previous = header
        rows = list(_sheet_rows(sheet, header, own.row_index + 1 if own else 0, encoding))
        issues += _hidden_columns(sheet, header, locality, display_name)
        column_encoding = _column_encodings(header, rows, encoding)
        for r, raw, headings in rows:
            row = _Row(locality, display_name, sheet.name, r + 1, headings, issues, raw)
            records.append(_record(row, column_encoding, r in sheet.hidden_rows))
        issues += _context_notes(rows, (locality, display_name, sheet.name))
        shown.append(_sheet_info(sheet, header, own is None, rows, column_encoding, encoding))
    return records, issues


#: Fewest columns a header row must name for a title column to be looked for by content.
GUESS_MIN_NAMED = 2


def _other_thing(header: Header, c: int) -> bool:
    return c < len(header.headings) and names_other_thing(header.headings[c])


def _title_by_content(
    sheet: RawSheet, overrides: dict[str, str] | None, encoding: str | None
) -> Header | None:
    """A header whose title column no heading names, found by its cells (guess.py): the row
    naming the most other columns (two at least), with the column below it that reads like
    titles. None when there is no such row or column."""
    named = find_header(sheet, overrides, required=(), encoding=encoding)
    if named is None or len(named.mapping) < GUESS_MIN_NAMED:
        return None
    rows = sheet.rows[named.row_index + 1 :]
    width = max((len(r) for r in rows), default=0)
    free = (c for c in range(width) if c not in named.mapping and not _other_thing(named, c))
    column = guess.title_column(rows, free)
    if column is None:
        return None
    headings = named.headings + [""] * (width - len(named.headings))
    return Header(named.row_index, {**named.mapping, column: "title"}, headings, {column: "title"})


def _dates_by_content(sheet: RawSheet, header: Header, start: int) -> Header:
    """The header with a column of years or dates mapped as ``dates`` when no heading names
    a date column; unchanged otherwise."""
    if {"dates", "date_start", "date_end"} & set(header.mapping.values()):
        return header
    rows = sheet.rows[start:]
    width = min(len(header.headings), max((len(r) for r in rows), default=0))
    free = (c for c in range(width) if c not in header.mapping and not _other_thing(header, c))
    column = guess.dates_column(rows, free)
    if column is None:
        return header
    return Header(
        header.row_index,
        {**header.mapping, column: "dates"},
        header.headings,
        {**header.guessed, column: "dates"},
    )


#: A data row as :func:`_sheet_rows` gives it: its index, its cells by field, its headings.
_DataRow = tuple[int, dict[str, object], dict[str, str]]


def _continued(sheet: RawSheet, previous: Header | None) -> Header | None:
    """The previous sheet's header when a sheet without its own continues that table (wide
    enough to hold its title column), else None."""
    if previous is None:
        return None
    width = max(len(r) for r in sheet.rows)
    title_column = next((c for c, f in previous.mapping.items() if f == "title"), 0)
    return previous if width > title_column else None


def _no_header(
    sheet: RawSheet, locality: str, display_name: str, encoding: str | None
) -> InventoryIssue:
    """The issue of a sheet with no header and no table to continue: the headings it has."""
    headings = _headings_seen(sheet, encoding)
    table = any(sum(1 for v in row if V.cell_text(v)) >= NO_TABLE_CELLS for row in sheet.rows)
    return InventoryIssue(
        locality,
        display_name,
        sheet.name,
        None,
        "",
        "",
        headings,
        "no_header",
        "error" if table else "info",
    )


#: A sheet none of whose rows fills this many cells holds no table (a cover sheet "Bìa", a
#: sheet of notes): its missing header is a note, not an error.
NO_TABLE_CELLS = 3


def _long_cells(sheet: RawSheet, locality: str, display_name: str) -> list[InventoryIssue]:
    """A cell longer than Excel holds (a paste gone wrong, or crafted): read as empty, its
    place and length named, and the rest of its row and sheet read. A cell of exactly the
    limit is read and named too: Excel, LibreOffice and openpyxl cut a longer text to that
    length without a word when they save a workbook, so only its length tells."""
    return [
        InventoryIssue(
            locality,
            display_name,
            sheet.name,
            row,
            "",
            "",
            t("issue.value.cell_length", column=column_letter(column), length=length),
            "cell_too_long" if length > MAX_CELL_CHARS else "cell_at_limit",
            "error" if length > MAX_CELL_CHARS else "info",
        )
        for row, column, length in sheet.long_cells
    ]


def _nul_bytes(sheet: RawSheet, locality: str, display_name: str) -> list[InventoryIssue]:
    """A row of a text file that held NUL bytes: read without them, and named, since the
    office's file is damaged there."""
    return [
        InventoryIssue(locality, display_name, sheet.name, row, "", "", "NUL", "nul_byte")
        for row in sheet.nul_rows
    ]


def _skipped(sheet: RawSheet) -> SheetInfo:
    return SheetInfo(
        sheet.name, "", False, {}, {}, sheet.byte_encoding, 0, len(sheet.hidden_rows), skipped=True
    )


def _column_notes(
    sheet: RawSheet,
    header: Header,
    where: tuple[str, str],
    columns: Iterable[int],
    problem: str,
    row: int | None = None,
) -> list[InventoryIssue]:
    """A note (info issue) per mapped column of ``columns``, naming its heading as typed
    (its letter when it has none); ``where``: the locality and the file's display name."""
    return [
        InventoryIssue(
            where[0],
            where[1],
            sheet.name,
            row,
            header.headings[c]
            if c < len(header.headings) and header.headings[c]
            else column_letter(c),
            header.mapping[c],
            "",
            problem,
            "info",
        )
        for c in columns
    ]


def _hidden_columns(
    sheet: RawSheet, header: Header, locality: str, display_name: str
) -> list[InventoryIssue]:
    """An info issue per hidden column the header maps: its values are read all the same."""
    hidden = sorted(sheet.hidden_columns & set(header.mapping))
    return _column_notes(sheet, header, (locality, display_name), hidden, "hidden_column")


def _guessed_columns(
    sheet: RawSheet, header: Header, locality: str, display_name: str
) -> list[InventoryIssue]:
    """A note per column mapped by content (guess.py): what was decided, and on which
    heading, at the header's row."""
    where = (locality, display_name)
    return _column_notes(
        sheet, header, where, header.guessed, "column_by_content", header.row_index + 1
    )


def _column_encodings(
    header: Header, rows: list[_DataRow], encoding: str | None
) -> dict[str, str | None]:
    """Each field's legacy encoding, detected from its own cells, else the sheet's."""
    return {
        f: detect_column_encoding(
            V.cell_text(raw[f]) for _, raw, _ in rows if isinstance(raw.get(f), str)
        )
        or encoding
        for f in header.mapping.values()
    }


def _sheet_info(
    sheet: RawSheet,
    header: Header,
    continuation: bool,
    rows: list[_DataRow],
    column_encoding: dict[str, str | None],
    encoding: str | None,
) -> SheetInfo:
    """What was detected in a sheet that was read: header rows, mapping, the encodings that
    some cell actually needed, rows."""
    first = header.row_index + 1 - (1 if _is_two_row(sheet, header, encoding) else 0)
    header_rows = f"{first}-{header.row_index + 1}" if first <= header.row_index else str(first)
    return SheetInfo(
        name=sheet.name,
        header_rows="" if continuation else header_rows,
        continuation=continuation,
        mapping={header.headings[c]: f for c, f in header.mapping.items()},
        encodings={
            f: e
            for f, e in column_encoding.items()
            if e
            and any(
                isinstance(v := raw.get(f), str) and ENCODINGS[e].applies(v.strip())
                for _, raw, _ in rows
            )
        },
        byte_encoding=sheet.byte_encoding,
        data_rows=len(rows),
        hidden_rows=sum(1 for r, _, _ in rows if r in sheet.hidden_rows),
    )


def _is_two_row(sheet: RawSheet, header: Header, encoding: str | None) -> bool:
    """Whether the header's headings combine the row above its last row."""
    last = _texts(sheet.rows[header.row_index], encoding)
    return any(h and h != (last[c] if c < len(last) else "") for c, h in enumerate(header.headings))


@dataclass
class _Row:
    """One data row being read: where it is (for its issues) and its cells as text."""

    locality: str
    source_file: str
    sheet: str
    number: int  # 1-based, as the spreadsheet shows it
    headings: dict[str, str]  # field -> the heading it was found under
    issues: list[InventoryIssue]
    raw: dict[str, object]
    text: dict[str, str] = field(default_factory=dict)

    def issue(self, name: str, value: object, problem: str, severity: str = "error") -> None:
        shown = self.text.get(name, "") if isinstance(value, str) else V.cell_text(value)
        self.issues.append(
            InventoryIssue(
                self.locality,
                self.source_file,
                self.sheet,
                self.number,
                self.headings.get(name, ""),
                name,
                shown,
                problem,
                severity,
            )
        )

    def typed(self, name: str) -> object:
        """The cell as typed, or its converted text when it was typed as text."""
        value = self.raw.get(name)
        return self.text[name] if isinstance(value, str) else value

    def count(self, name: str, problem: str) -> int | None:
        parsed = V.parse_count(self.typed(name))
        if parsed is None and V.cell_text(self.raw.get(name)):
            self.issue(name, self.raw.get(name), problem)
        return parsed


def _convert(row: _Row, column_encoding: dict[str, str | None]) -> tuple[set[str], dict[str, str]]:
    """Every cell as Unicode text in ``row.text``; the legacy encodings met, and the cells
    they converted as typed (by heading)."""
    encodings: set[str] = set()
    originals: dict[str, str] = {}
    for name, value in row.raw.items():
        if name.startswith(OTHER):
            continue
        if isinstance(value, str):
            converted, enc = convert_cell(value.strip(), column_encoding.get(name))
            row.text[name] = converted
            if enc:
                encodings.add(enc)
                originals[row.headings.get(name, name)] = value
        else:
            row.text[name] = V.cell_text(value)
    return encodings, originals


def _dates(row: _Row) -> dict[str, object]:
    """The row's dates: one "dates" column or a start and an end, with the precision typed."""
    raw = row.raw
    if "dates" in raw:
        date_fields = [("dates", raw["dates"])]
    else:
        date_fields = [(f, raw[f]) for f in ("date_start", "date_end") if f in raw]
    spans: list[str] = []
    for name, value in date_fields:
        parsed = V.parse_dates(row.typed(name))
        if parsed is None and V.cell_text(value):
            row.issue(name, value, "unreadable_date")
        spans += list(parsed or ())
    if not spans and (context := _context_year(raw)):
        spans = list(V.parse_dates(context) or ())
    start = spans[0] if spans else ""
    end = spans[-1] if spans else ""
    if start and end and end[: len(start)] < start[: len(end)]:
        row.issue(date_fields[-1][0], date_fields[-1][1], "end_before_start")
    return {
        "year_start": int(start[:4]) if start else None,
        "year_end": int(end[:4]) if end else None,
        "date_start": start,
        "date_end": end,
        "dates_raw": " - ".join(V.cell_text(v) for _, v in date_fields if V.cell_text(v)),
    }


def _record(row: _Row, column_encoding: dict[str, str | None], hidden: bool) -> dict[str, object]:
    """One inventory record from a data row; its problems go to ``row.issues``."""
    if hidden:
        row.issues.append(
            InventoryIssue(
                row.locality,
                row.source_file,
                row.sheet,
                row.number,
                "",
                "",
                "",
                "hidden_row",
                "info",
            )
        )
    encodings, originals = _convert(row, column_encoding)
    title = row.text.get("title", "")
    if not title:
        row.issue("title", "", "no_title")
    dates = _dates(row)  # the issues come in the order the original columns do
    box = row.count("box", "box_not_number")
    if box is None and (given := _context_box(row.raw)):
        box = int(given)
    file_no = row.count("file_no", "file_no_not_number")
    sheets = row.count("sheets", "sheets_not_number")
    return {
        "locality": row.locality,
        "source_file": row.source_file,
        "source_sheet": row.sheet,
        "source_row": row.number,
        "stt": row.text.get("stt", ""),
        "record_code": nfc(row.text.get("record_code", "")),
        "box": box,
        "file_no": file_no,
        "title": title,
        "title_original": V.cell_text(row.raw.get("title")) if encodings else "",
        **dates,
        "sheets": sheets,
        "retention": V.parse_retention(row.text.get("retention")) or "",
        "notes": row.text.get("notes", ""),
        "encoding": ",".join(sorted(encodings)),
        "duplicate_of": "",
        "hidden": hidden,
        "original_cells": json.dumps(originals, ensure_ascii=False) if originals else "",
        "address": nfc(row.text.get("address", "")),
        "other_numbers": _other_numbers(row),
    }


def mark_duplicates(records: pd.DataFrame, issues: list[InventoryIssue]) -> pd.DataFrame:
    """Flag rows typed twice (``duplicate_of``) and codes used by different rows (an issue).

    A repeat is a row whose code, title, box, file number, years and sheets all equal an earlier
    row's; the first stays the record, the repeats point at it.
    """
    if records.empty:
        return records
    records = records.copy()
    key_cols = ["locality", "record_code", "box", "file_no", "year_start", "year_end", "sheets"]
    keys = records["title"].map(fold)
    for col in key_cols:
        keys = keys + "|" + records[col].astype("string").fillna("")
    repeat = keys.duplicated(keep="first")
    provenance = provenance_column(records)
    first_of = dict(zip(keys[~repeat], provenance[~repeat]))
    records["duplicate_of"] = ""
    records.loc[repeat, "duplicate_of"] = keys[repeat].map(first_of)
    for row in records[repeat].itertuples():
        issues.append(
            InventoryIssue(
                row.locality,
                row.source_file,
                row.source_sheet,
                int(row.source_row),
                "",
                "title",
                f"{row.title} (= {row.duplicate_of})",
                "duplicate_row",
            )
        )
    coded = records[(records["record_code"] != "") & ~repeat]
    again = coded[coded.duplicated(["locality", "record_code"], keep="first")]
    for row in again.itertuples():
        issues.append(
            InventoryIssue(
                row.locality,
                row.source_file,
                row.source_sheet,
                int(row.source_row),
                "",
                "record_code",
                str(row.record_code),
                "duplicate_code",
            )
        )
    return records


def unreadable_issue(exc: InventoryFileError, locality: str, display: str) -> InventoryIssue:
    """The located issue for a file that could not be loaded: where, why and what to do."""
    value = f"{exc.reason} ({exc.hint})" if exc.hint else exc.reason
    return InventoryIssue(
        locality, display, exc.sheet, exc.row, exc.column, "", value, "file_unreadable"
    )


def load_locality(
    files: list[tuple[Path, str]], locality: str, overrides: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[InventoryIssue]]:
    """Every inventory of one locality as one table; unreadable files become issues."""
    rows: list[dict[str, object]] = []
    issues: list[InventoryIssue] = []
    for path, display in files:
        try:
            got, found = load_inventory(path, display, locality, overrides)
        except InventoryFileError as exc:
            issues.append(unreadable_issue(exc, locality, display))
            continue
        rows += got
        issues += found
    frame = pd.DataFrame(rows, columns=RECORD_FIELDS)
    for col in ("box", "file_no", "year_start", "year_end", "sheets"):
        frame[col] = frame[col].astype("Int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return mark_duplicates(frame, issues), issues
