"""Naming conventions learned from the data: which number in a scan's path is which field of its
record.

Offices name scans by habits nobody wrote down: ``0012 - <title>.pdf`` where 12 is the last
segment of the record code, ``Hop 03/HS 012.pdf``, a year folder and a number, a sidecar column
whose heading nobody can guess. Rather than a list of schemes to fall outside of, every number a
path shows is a *reading* (the first and the last number of the file name and of each folder
above it, the box and file number the path parser finds, each numeric sidecar column), and every
number a record has is a *field* (file number, box, STT, year, each numeric segment of its code
counted from the end). On the links that are certain (codes, decisions, titles that fit one
record only) every reading is compared with every field, per scan root; a reading that agrees on
nearly all of them is adopted for that root and reported with its count ("số đầu tên tệp = số
cuối của mã hồ sơ: khớp 598/600"); one that disagrees is dropped. The path parser's box and file
number are adopted unless the certain links contradict them. A root with too few certain links
adopts a reading only when it names exactly one record for nearly every scan and no two scans
the same record: a number that fits that well is not chance.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

import pandas as pd

from ..i18n import t
from ..inventory.columns import SYNONYMS
from ..textnorm import fold, match_form
from .evidence import (
    COUNTER_WORDS,
    is_opaque_id,
    is_year,
    normalize_code,
    strip_copy_mark,
    without_device_prefix,
    without_part_mark,
)
from .items import Item, stem

#: A reading is adopted when it agrees with a field on at least this share of the certain links
#: that have both, and on at least MIN_AGREEING of them.
MIN_AGREEMENT = 0.95
MIN_AGREEING = 3
#: The path parser's box and file number stand unless this many certain links check them and
#: fewer than PARSED_MIN_AGREEMENT agree.
PARSED_MIN_CHECKED = 5
PARSED_MIN_AGREEMENT = 0.8
#: Without certain links: the share of a root's scans a reading must name exactly one record
#: for, and the share of them that may name a record another scan also names.
UNSUPERVISED_MIN_UNIQUE = 0.8
UNSUPERVISED_MAX_SHARED = 0.05
#: ...and the fewest scans that show it: five numbers can each fit one record by chance.
UNSUPERVISED_MIN_SCANS = 20
#: A reading that names one record for this share of the scans is taken alone, without
#: trying pairs of readings.
UNSUPERVISED_ALONE = 0.98
#: Two readings that name shares of the scans within 1/TIE_BUCKETS of each other name them
#: equally well.
TIE_BUCKETS = 50
#: Names a scanning station numbers ("DOC-2025-0131", "SCAN_0007", "IMG 12"): their numbers
#: are the station's, so without certain links they are never read as a record's.
#: A contractor's lot and sequence ("L001-00045", "LO03_0045", "Lot 2 - 017") is such a
#: counter too: the sequence runs through the lot, not through the inventory.
#: How a reading of a station's list is named: "sidecar:" and the column's heading.
SIDECAR_READING = "sidecar:"
#: The share of a name shape's scans a list must number, and whose names' numbers must be
#: none of the list's, for the names' numbers to be taken for a running count.
LIST_SHARE = 0.8
COUNTER_SHAPES = COUNTER_WORDS | {"l", "lo", "lot", "batch"}
#: Certain links per root a convention is learned from at most.
LEARN_MAX_ANCHORS = 5000
#: Fields that may name one record and fields that narrow the choice. Which of the first are
#: keys in a locality is read from the data: a field is a key when at least KEY_DISTINCT of its
#: values are distinct.
TITLE_FIELDS = ("title.1", "title.2", "title.-2", "title.-1")
#: A record's start date names it where few records share one (a station naming each scan by
#: its document's date); it is a scope where many do.
#: The fields that number records: a number beyond them all names none of the list's.
NUMBERINGS = frozenset({"file_no", "stt", "code.1"})
KEY_FIELDS = ("file_no", "stt", "code.1", "code.2", "code.3", "date", *TITLE_FIELDS)
SCOPE_FIELDS = ("box", "year", "month", "sheet")
#: A reading whose records' sheets fewer of the scans' page counts fit than this share is
#: ranked below every reading they fit, however many scans it names: a numbering that has
#: drifted from the scans' (the list's STT after a row typed twice) names one record each
#: too, the wrong one.
PAGES_FIT_TRUSTED = 0.8
#: Page counts that fit a record's sheets, as multiples of them (see ``_pages_fit``).
PAGES_FIT = (0.5, 2.2)
#: Prefix of a field read from an inventory column whose heading names no field ("Số lưu",
#: "Giá số"): a key or a scope as its values show, like the others.
COLUMN = "column:"
KEY_DISTINCT = 0.5
_NUMBER = re.compile(r"\d{1,9}")
_DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d(?!\d)")
_WRITTEN_DATES = (
    (re.compile(r"(?<!\d)(\d{2})[._-]?(\d{2})[._-]?((?:19|20)\d\d)(?!\d)"), "dmy"),
    (re.compile(r"(?<!\d)((?:19|20)\d\d)[._-]?(\d{2})[._-]?(\d{2})(?!\d)"), "ymd"),
)


@dataclass(frozen=True)
class Convention:
    """A reading of the path adopted as a field of the record, with the evidence for it."""

    root: str
    reading: str
    field: str
    agree: int  # certain links on which the reading equals the field
    checked: int  # certain links that have both
    basis: str  # "links" (learned), "parsed" (the path parser's), "unique" (no certain links)
    shape: str = ""  # the name shape it holds for (name_shape)
    #: The field names one record (a key) rather than narrowing the choice (a scope: a box, a
    #: year, an STT that restarts per sheet, a code segment that is a year).
    is_key: bool = True


def item_readings(item: Item) -> dict[str, int]:
    """Every number the item's path (and its sidecar row) shows, by where it stands."""
    parts = unicodedata.normalize("NFC", item.named_as).split("/")
    # A device's count or clock before what the operator typed ("Doc7_Cap giay…",
    # "IMG_20250204_102044-085") and a part's mark ("…_p2") are no number of the record's.
    name = strip_copy_mark(parts[-1] if item.series else stem(parts[-1]))
    name = without_part_mark(without_device_prefix(name))
    out: dict[str, int] = {}
    places = [("name", name)] + [
        (f"folder{d}", folder) for d, folder in enumerate(reversed(parts[:-1]), 1) if d <= 3
    ]
    for place, text in places:
        found = _NUMBER.findall(text)
        if len(found) >= 3 and is_year(found[-1]) and not _DATE.search(text):
            # "10-434. 2012": a map sheet, a parcel and the year; the year is no numbering's
            # last number ("09.04.2012 …" is a date: its numbers stay as they were).
            out[f"{place}.year"] = int(found.pop())
        if found:
            out[f"{place}.first"] = int(found[0])
            if len(found) > 1:
                out[f"{place}.last"] = int(found[-1])
    if (day := written_date(name)) is not None:
        out["name.date"] = day
    ev = item.evidence
    if ev.file_no is not None:
        out["parsed.file_no"] = ev.file_no
    if ev.box is not None:
        out["parsed.box"] = ev.box
    if ev.row is not None:
        out["parsed.stt"] = ev.row
    if item.sidecar is not None:
        for heading, value in item.sidecar.numbers.items():
            out[f"{SIDECAR_READING}{heading}"] = value
    return out


def written_date(text: str) -> int | None:
    """The first whole date a name writes, as the number yyyymmdd the inventory's start date
    is compared by ("22052011 TTR…", "2011.05.22 …", "20110522_…"): a station that names a
    scan by its document's date tells twins apart that a cut title cannot."""
    for pattern, order in _WRITTEN_DATES:
        for m in pattern.finditer(text):
            parts = dict(zip(order, map(int, m.groups())))
            try:
                day = datetime.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                continue
            return day.year * 10000 + day.month * 100 + day.day
    return None


def whole_number(value: object) -> int | None:
    """A cell's value as a whole number (12, "12", 12.0), None for anything else."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    if text.isdigit() and len(text) <= 9:
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 0 <= number < 1e9 else None


def record_fields(records: pd.DataFrame) -> dict[str, dict[int, int]]:
    """field -> {record label: value} for every number a record has."""
    fields: dict[str, dict[int, int]] = defaultdict(dict)
    for column, field in (
        ("file_no", "file_no"),
        ("box", "box"),
        ("stt", "stt"),
        ("year_start", "year"),
    ):
        if column not in records:
            continue
        for label, value in zip(records.index, records[column]):
            number = whole_number(value)
            if number is not None:
                fields[field][label] = number
    for label, code in zip(records.index, records["record_code"]):
        if not code:
            continue
        segments = [s for s in normalize_code(str(code)).split(".") if s.isdigit() and len(s) <= 9]
        for k, segment in enumerate(reversed(segments[-3:]), 1):
            fields[f"code.{k}"][label] = int(segment)
    _title_fields(records, fields)
    if "date_start" in records:
        # A station's month folders ("2009/08") and dated names ("20091012-…") hold the
        # record's start as the inventory types it: its month, and its day when typed.
        for label, value in zip(records.index, records["date_start"]):
            text = str(value) if isinstance(value, str) else ""
            if len(text) >= 7 and text[4] == "-" and text[5:7].isdigit():
                fields["month"][label] = int(text[5:7])
            if len(text) == 10 and text.replace("-", "").isdigit():
                fields["date"][label] = int(text.replace("-", ""))
    sheets = sheet_numbers(records)
    if len(sheets) > 1:
        for label, name in zip(records.index, record_sheets(records)):
            fields["sheet"][label] = sheets[sheet_key(name)]
    if "other_numbers" in records:
        for label, cell in zip(records.index, records["other_numbers"]):
            for heading, number in (
                json.loads(cell) if isinstance(cell, str) and cell else {}
            ).items():
                fields[COLUMN + heading][label] = int(number)
    return dict(fields)


_LEADING_NUMBER = re.compile(r"^\d{1,3} ")
#: A unit's kind before its name and "(cũ)"/"(mới)" after it: a merged commune keeps a sheet
#: per former commune ("Xã Diên Sơn") and scans into a folder per one ("Dien Son (cu)").
_UNIT_WORDS = re.compile(r"^(?:ubnd |xa |phuong |thi tran |tt )+|(?: cu| moi)+$")


def sheet_key(name: object) -> str:
    """A sheet's or folder's name as the two are compared: folded, without a leading
    ordinal ("01. Báo cáo" and the sheet "Báo cáo") nor the unit's kind and "(cũ)"."""
    key = _LEADING_NUMBER.sub("", fold(str(name or "")))
    return _UNIT_WORDS.sub("", key).strip() or key


def record_sheets(records: pd.DataFrame) -> list[str]:
    """Each record's sheet: its spreadsheet sheet, or, where the locality's inventory is in
    several files, its file's name (a merged commune's lists kept a file per former commune,
    "muc-luc-xa-dien-son.csv"), with the sheet where that file has several."""
    if "source_sheet" not in records:
        return []
    sheets = [str(s or "") for s in records["source_sheet"]]
    files = [str(f or "") for f in records["source_file"]]
    if len(set(files)) < 2:
        return sheets
    per_file: dict[str, set[str]] = defaultdict(set)
    for file, sheet in zip(files, sheets):
        per_file[file].add(sheet)
    return [
        sheet if len(per_file[file]) > 1 else PurePosixPath(file).stem
        for file, sheet in zip(files, sheets)
    ]


def sheet_numbers(records: pd.DataFrame) -> dict[str, int]:
    """The inventory's sheets by name, numbered in the order they first hold a record. An
    office that keeps one sheet per kind of record ("Hộ tịch", "Xây dựng") and restarts the
    STT on each often scans into a folder per sheet: the folder is the sheet's scope."""
    keys = [k for k in dict.fromkeys(sheet_key(n) for n in record_sheets(records)) if k]
    return {key: number for number, key in enumerate(keys, 1)}


def folder_sheet(folder: str, sheets: dict[str, int]) -> int | None:
    """The sheet a folder is named after: by its whole name, or as the one sheet (a file)
    whose name ends with the folder's of two words or more ("Dien Son (cu)" and
    "muc-luc-xa-dien-dien-xa-dien-son.csv")."""
    key = sheet_key(folder)
    if key in sheets or " " not in key:
        return sheets.get(key)
    ends = [number for name, number in sheets.items() if name.endswith(" " + key)]
    return ends[0] if len(ends) == 1 else None


def _numbering_rank(field: str) -> int:
    """Of two numberings that name the scans equally well, the one offices name files by
    first: the record's code and file number are its own, a list's row number (STT) moves
    when a row is typed twice or left out."""
    if field.startswith("code.") or field == "file_no":
        return 0
    return 2 if field == "stt" else 1


def _title_fields(records: pd.DataFrame, fields: dict[str, dict[int, int]]) -> None:
    """The numbers a record's title writes, by place: the first two and the last two. A
    parcel and its map sheet ("thửa đất số 718, tờ bản đồ số 1"), a decision's number, a
    register's year and volume: offices name scans by them ("1-718.pdf", "QĐ 124.pdf")."""
    for label, title in zip(records.index, records["title"]):
        numbers = [int(n) for n in _NUMBER.findall(match_form(str(title or ""))) if len(n) <= 9]
        for field, k in zip(TITLE_FIELDS, (0, 1, -2, -1)):
            if len(numbers) >= (k + 1 if k >= 0 else -k):
                fields[field][label] = numbers[k]


def _column_fields(fields: dict[str, dict[int, int]]) -> list[str]:
    """The inventory's unnamed numeric columns, as fields."""
    return sorted(f for f in fields if f.startswith(COLUMN))


class ConventionIndex:
    """The records of a locality by the value of each field, and the conventions per root."""

    def __init__(self, records: pd.DataFrame):
        self.fields = record_fields(records)
        self.sheet_names = sheet_numbers(records) if "sheet" in self.fields else {}
        self.sheets: dict[int, int] = {}
        if "sheets" in records:
            for label, value in zip(records.index, records["sheets"]):
                number = whole_number(value)
                if number:
                    self.sheets[label] = number
        self.by_value: dict[str, dict[int, frozenset[int]]] = {}
        for field, values in self.fields.items():
            groups: dict[int, set[int]] = defaultdict(set)
            for label, value in values.items():
                groups[value].add(label)
            self.by_value[field] = {v: frozenset(labels) for v, labels in groups.items()}
        #: The largest value of each field: a key beyond it names a record the list lacks.
        self.top = {field: max(values) for field, values in self.by_value.items() if values}
        self.conventions: dict[str, list[Convention]] = {}
        self._shapes: dict[int, str] = {}
        self._titled = False  # the name shape being learned carries a typed title
        self.keys = {
            f
            for f in (*KEY_FIELDS, *_column_fields(self.fields))
            if f in self.fields and len(self.by_value[f]) >= KEY_DISTINCT * len(self.fields[f])
        }

    def read_sheets(self, items: list[Item], readings: dict[int, dict[str, int]]) -> None:
        """Add to ``readings`` the inventory sheet a folder above each item is named after
        ("Báo cáo/001/VB01.pdf": sheet "Báo cáo", STT 1), as ``folderN.sheet``."""
        if not self.sheet_names:
            return
        for item in items:
            folders = unicodedata.normalize("NFC", item.relpath).split("/")[:-1]
            for depth, folder in enumerate(reversed(folders[-3:]), 1):
                number = folder_sheet(folder, self.sheet_names)
                if number is not None:
                    readings[item.item_id][f"folder{depth}.sheet"] = number

    def learn(
        self, items: list[Item], readings: dict[int, dict[str, int]], anchors: dict[int, int]
    ) -> None:
        """Adopt, per root and name shape, the readings that agree with the fields on the
        certain links (``anchors``: item id -> record label). A root holding two batches
        named two ways ("034 - <title>.pdf" and "SCAN0034.pdf") learns each on its own."""
        groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
        for item in items:
            groups[(item.root, self._shape(item))].append(item)
        for (root, shape), members in sorted(groups.items()):
            # A typed title writes its own numbers: that a titled name holds its record's
            # title numbers says nothing of how the root names scans, and read alone they
            # would name the wrong record ("…_012" is no parcel 12).
            self._titled = shape.endswith("+title")
            self.conventions[_group(root, shape)] = self._learn_root(
                root, members, readings, anchors
            )
        self._titled = False

    def _usable(self, field: str) -> bool:
        """Whether ``field`` may be tried for the name shape being learned."""
        return not (self._titled and field in TITLE_FIELDS)

    def _learn_root(
        self,
        root: str,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        anchors: dict[int, int],
    ) -> list[Convention]:
        agree, checked = self._checked(members, readings, anchors)
        adopted = [
            Convention(root, r, f, agree[(r, f)], n, "links", is_key=f in self.keys)
            for (r, f), n in checked.items()
            if agree[(r, f)] >= MIN_AGREEING and agree[(r, f)] >= MIN_AGREEMENT * n
        ]
        adopted += self._parsed(root, members, readings, (agree, checked), adopted)
        # A scanner counter numbers what the station saw, not the inventory: with no certain
        # link to vouch for it, its number is never taken as a record's.
        counters = all(
            item.evidence.counter or self._shape(item) in COUNTER_SHAPES for item in members
        )
        if _list_renumbers(members, readings):
            # "BG_003/0024.tif" listed as box 33, file 407: the lot's running number, not a
            # file number; the list says which record.
            adopted = [c for c in adopted if c.reading != "parsed.file_no"]
            counters = True
        if counters:
            # The station's list is no counter: its columns ("Hộp số", "Hồ sơ số") may name
            # the records the counter cannot.
            readings = {i.item_id: _listed(readings[i.item_id]) for i in members}
        if len(members) >= UNSUPERVISED_MIN_SCANS and any(readings[i.item_id] for i in members):
            adopted = self._search_unchecked(root, members, readings, (agree, checked), adopted)
        # Keys first, most agreeing first: they are intersected in this order.
        adopted.sort(
            key=lambda c: (
                not c.is_key,
                c.basis != "links",
                -(c.agree / c.checked if c.checked else 0),
                c.reading,
            )
        )
        return adopted

    def _search_unchecked(
        self,
        root: str,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        counts: tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]],
        adopted: list[Convention],
    ) -> list[Convention]:
        """``adopted`` with what names the root's records when no certain link says: searched
        for when few names carry an adopted key (a copy folder's "ban sao/013.pdf" parsed as a
        file number does not speak for the rest), or when the parser's box and file number,
        unchecked by any link, name few records ("2022/0001.pdf" where 1 is the code's last
        segment within the year): then the search's reading replaces the parser's."""
        agree, checked = counts
        keyed = sum(
            1
            for item in members
            if any(c.is_key and c.reading in readings[item.item_id] for c in adopted)
        )
        named = self._named(members, readings, adopted)
        misnamed = not any(
            c.is_key and c.basis == "links" for c in adopted
        ) and named < UNSUPERVISED_MIN_UNIQUE * len(members)
        if keyed >= UNSUPERVISED_MIN_UNIQUE * len(members) and not misnamed:
            return adopted
        # A pair the certain links checked and found wanting is not taken up again.
        refuted = {
            pair
            for pair, n in checked.items()
            if n >= MIN_AGREEING and agree[pair] < MIN_AGREEMENT * n
        }
        found = self._unique_reading(root, members, readings, refuted)
        if misnamed and self._named(members, readings, found) > named:
            adopted = [c for c in adopted if c.basis != "parsed"]
        return adopted + found

    def _checked(
        self, members: list[Item], readings: dict[int, dict[str, int]], anchors: dict[int, int]
    ) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
        """Over the root's certain links: how often each (reading, field) pair agreed, and
        how often it could be checked."""
        agree: Counter[tuple[str, str]] = Counter()
        checked: Counter[tuple[str, str]] = Counter()
        learned_from = 0
        for item in members:
            record = anchors.get(item.item_id)
            if record is None:
                continue
            learned_from += 1
            if learned_from > LEARN_MAX_ANCHORS:
                break  # enough to tell a convention from chance; keeps a huge root linear
            for reading, value in readings[item.item_id].items():
                for field, values in self.fields.items():
                    if record in values and self._usable(field):
                        checked[(reading, field)] += 1
                        agree[(reading, field)] += values[record] == value
        return agree, checked

    def _parsed(
        self,
        root: str,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        counts: tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]],
        adopted: list[Convention],
    ) -> list[Convention]:
        """Box and file numbers and rows the name parser read, and the sheets folders are
        named after, taken as conventions unless the links refute them (or already adopted
        the pair)."""
        agree, checked = counts
        taken = {(c.reading, c.field) for c in adopted}
        parsed = []
        # A folder named as an inventory sheet is read as that sheet as the parser's numbers
        # are read as theirs ("Dien Son (cu)" and the former commune's list).
        sheets = sorted({r for i in members for r in readings[i.item_id] if r.endswith(".sheet")})
        for reading, field in (
            ("parsed.box", "box"),
            ("parsed.file_no", "file_no"),
            ("parsed.stt", "stt"),
            *((sheet, "sheet") for sheet in sheets),
        ):
            n = checked[(reading, field)]
            if field not in self.fields or (reading, field) in taken:
                continue
            if n >= PARSED_MIN_CHECKED and agree[(reading, field)] < PARSED_MIN_AGREEMENT * n:
                continue
            if (
                field in self.keys
                and n < PARSED_MIN_CHECKED
                and self._shares(members, readings, reading, field)
            ):
                continue
            if any(readings[i.item_id].get(reading) is not None for i in members):
                parsed.append(
                    Convention(
                        root,
                        reading,
                        field,
                        agree[(reading, field)],
                        n,
                        "parsed",
                        is_key=field in self.keys,
                    )
                )
        return parsed

    def _shares(
        self, members: list[Item], readings: dict[int, dict[str, int]], reading: str, field: str
    ) -> bool:
        """Whether ``reading`` read as ``field`` gives many records scans of different content
        (every "0035/01.pdf", "0036/01.pdf" as file 1): documents numbered within their
        record's folder, not file numbers."""
        index = self.by_value[field]
        contents: dict[int, set[frozenset[str]]] = defaultdict(set)
        single = 0
        for item in members:
            value = readings[item.item_id].get(reading)
            hits = index.get(value, frozenset()) if value is not None else frozenset()
            if len(hits) == 1:
                single += 1
                contents[next(iter(hits))].add(item.hashes)
        shared = sum(len(c) - 1 for c in contents.values())
        return shared > UNSUPERVISED_MAX_SHARED * max(single, 1)

    def _unique_reading(
        self,
        root: str,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        refuted: set[tuple[str, str]],
    ) -> list[Convention]:
        """With no certain link to learn from: the reading that names one record for nearly
        every scan, and no two scans (of different content) the same record."""
        best: tuple[tuple[bool, float, float, int], Convention] | None = None
        names = {r for item in members for r in readings[item.item_id]}
        for reading in sorted(names):
            having = [i for i in members if reading in readings[i.item_id]]
            if len(having) < max(MIN_AGREEING, 0.5 * len(members)):
                continue
            for field in sorted(self.keys):
                index = self.by_value.get(field)
                if not index or (reading, field) in refuted or not self._usable(field):
                    continue
                hits = [index.get(readings[i.item_id][reading], frozenset()) for i in having]
                single = [(next(iter(h)), i) for h, i in zip(hits, having) if len(h) == 1]
                if len(single) < UNSUPERVISED_MIN_UNIQUE * len(having):
                    continue
                contents: dict[int, set[frozenset[str]]] = defaultdict(set)
                for record, item in single:
                    contents[record].add(item.hashes)
                shared = sum(len(c) - 1 for c in contents.values())
                if shared > UNSUPERVISED_MAX_SHARED * len(single):
                    continue
                # Two keys may each name one record per scan (the STT and an unnamed "Số
                # lưu" column, equal until a row is repeated): the one whose records' sheets
                # the scans' page counts fit is the one the station named by.
                fit = self._pages_fit(single)
                rank = (
                    fit >= PAGES_FIT_TRUSTED,
                    round(len(single) / len(having), 2),
                    fit,
                    -_numbering_rank(field),
                )
                if best is None or rank > best[0]:
                    best = (
                        rank,
                        Convention(
                            root, reading, field, len(single), len(having), "unique", is_key=True
                        ),
                    )
        # Two readings together may name more scans than the best one alone ("1-718.pdf":
        # the map sheet and the parcel, where a parcel number recurs across sheets).
        if best and best[0][0] and best[0][1] >= UNSUPERVISED_ALONE:
            return [best[1]]
        pair = self._unique_pair(root, members, readings, refuted)
        if pair and (best is None or pair[0][:2] > best[0][:2]):
            return pair[1]
        return [best[1]] if best else []

    def _pages_fit(self, pairs: list[tuple[int, Item]]) -> float:
        """Share of (record, scan) pairs with both counts whose scan has between
        ``PAGES_FIT`` times the record's sheets: half (a duplex sheet counted once) to a
        little over two (both sides and a cover); 1 when no pair has both (nothing says
        the reading is wrong)."""
        low, high = PAGES_FIT
        counted = [
            (self.sheets[record], item.pages)
            for record, item in pairs
            if self.sheets.get(record) and item.pages
        ]
        if not counted:
            return 1.0
        return sum(low * n <= p <= high * n + 2 for n, p in counted) / len(counted)

    def _unique_pair(
        self,
        root: str,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        refuted: set[tuple[str, str]],
    ) -> tuple[tuple[bool, float, float, int], list[Convention]] | None:
        """Two readings that name one record together ("2019/004.pdf": the year folder and
        the number within the year, as the code "VP-2019-0004" has them), when neither does
        alone, with their rank (pages trusted, share named, pages fit, kind of numbering). Only
        pairs of readings whose every value some record has are tried."""
        present = self._present(members, readings, refuted)
        best: tuple[tuple[bool, float, float, int], list[Convention]] | None = None
        for a, (r1, f1) in enumerate(present):
            for r2, f2 in present[a + 1 :]:
                if r1 == r2 or f1 == f2:
                    continue
                counts = self._pair_names_one(members, readings, (r1, f1), (r2, f2))
                if counts is None:
                    continue
                named, having = counts
                single = len(named)
                # Shares this close are a tie: the page counts, then the kind of numbering,
                # tell two numberings apart that drift by a row typed twice.
                fit = self._pages_fit(named)
                rank = (
                    fit >= PAGES_FIT_TRUSTED,
                    round(single / having * TIE_BUCKETS) / TIE_BUCKETS,
                    fit,
                    -_numbering_rank(f1) - _numbering_rank(f2),
                )
                if best is None or rank > best[0]:
                    # Together they are a key: the more distinct field carries it.
                    finer = max((f1, f2), key=lambda f: len(self.by_value[f]))
                    best = (
                        rank,
                        [
                            Convention(root, r, f, single, having, "unique", is_key=f == finer)
                            for r, f in ((r1, f1), (r2, f2))
                        ],
                    )
        return best

    def _present(
        self,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        refuted: set[tuple[str, str]],
    ) -> list[tuple[str, str]]:
        """(reading, field) pairs worth trying: a reading most scans have, whose values are
        nearly all some record's value of the field, and which no link refuted."""
        fields = [
            f
            for f in (*KEY_FIELDS, *SCOPE_FIELDS, *_column_fields(self.fields))
            if self.by_value.get(f) and self._usable(f)
        ]
        names = sorted({r for item in members for r in readings[item.item_id]})
        present = []
        for reading in names:
            having = [i for i in members if reading in readings[i.item_id]]
            if len(having) < max(MIN_AGREEING, 0.5 * len(members)):
                continue
            for field in fields:
                index = self.by_value[field]
                if (reading, field) in refuted:
                    continue
                found = sum(readings[i.item_id][reading] in index for i in having)
                if found >= UNSUPERVISED_MIN_UNIQUE * len(having):
                    present.append((reading, field))
        return present

    def _pair_names_one(
        self,
        members: list[Item],
        readings: dict[int, dict[str, int]],
        first: tuple[str, str],
        second: tuple[str, str],
    ) -> tuple[list[tuple[int, Item]], int] | None:
        """((record, scan) for the scans the two readings name one record for, how many scans
        have both) when nearly all are named one record and few records get scans of
        different content; else None."""
        (r1, f1), (r2, f2) = first, second
        having = [i for i in members if r1 in readings[i.item_id] and r2 in readings[i.item_id]]
        if not having:  # each reading in half the scans, never together
            return None
        single: list[tuple[int, Item]] = []
        for item in having:
            hits = self.by_value[f1].get(readings[item.item_id][r1], frozenset()) & self.by_value[
                f2
            ].get(readings[item.item_id][r2], frozenset())
            if len(hits) == 1:
                single.append((next(iter(hits)), item))
        if len(single) < UNSUPERVISED_MIN_UNIQUE * len(having):
            return None
        contents: dict[int, set[frozenset[str]]] = defaultdict(set)
        for record, item in single:
            contents[record].add(item.hashes)
        if sum(len(c) - 1 for c in contents.values()) > UNSUPERVISED_MAX_SHARED * len(single):
            return None
        return single, len(having)

    def _named(
        self, members: list[Item], readings: dict[int, dict[str, int]], adopted: list[Convention]
    ) -> int:
        """How many of ``members`` the conventions name exactly one record for."""
        ordered = sorted(adopted, key=lambda c: not c.is_key)
        named = 0
        for item in members:
            allowed, _ = self._narrow(ordered, readings[item.item_id])
            named += allowed is not None and len(allowed) == 1
        return named

    def candidates(
        self, item: Item, readings: dict[str, int]
    ) -> tuple[frozenset[int] | None, list[Convention]]:
        """The records the adopted readings allow for ``item`` (None: no reading applies),
        and the conventions that narrowed them."""
        return self._narrow(
            self.conventions.get(_group(item.root, self._shape(item)), []), readings
        )

    def _shape(self, item: Item) -> str:
        """``name_shape(item)``, read once per item: learning and every look-up ask it."""
        shape = self._shapes.get(item.item_id)
        if shape is None:
            shape = self._shapes[item.item_id] = name_shape(item)
        return shape

    def _narrow(
        self, conventions: list[Convention], readings: dict[str, int]
    ) -> tuple[frozenset[int] | None, list[Convention]]:
        allowed: frozenset[int] | None = None
        used: list[Convention] = []
        row = readings.get("parsed.stt")
        for convention in conventions:
            value = readings.get(convention.reading)
            place = convention.reading.removesuffix(".last")
            if value is None and place != convention.reading and f"{place}.first" in readings:
                # A name with one number: it is the last as much as the first ("…_012" where
                # "…thửa 714, TBĐ 47_003" taught the last number).
                convention = replace(convention, reading=f"{place}.first")
                value = readings[convention.reading]
            if value is None:
                continue
            if value == row and convention.field != "stt" and convention.basis != "parsed":
                continue  # "img0002-STT 087": the name labels 87 a row of the list
            hits = self.by_value.get(convention.field, {}).get(value, frozenset())
            top = self.top.get(convention.field)
            numbering = convention.field in NUMBERINGS
            beyond = top is not None and value > top and not is_year(str(value))
            if not hits and numbering and beyond:
                # Beyond every record's ("201207-9000" where a day's receipts run to 12): a
                # record the inventory lacks, not a number mistyped (a year, "13.04.2012",
                # is a date's, not beyond a numbering).
                return None, []
            narrowed = hits if allowed is None else allowed & hits
            if not narrowed:
                continue  # a reading the others contradict here: the others decide
            if allowed is None and not convention.is_key:
                # A scope alone (a box, a year) narrows only once a key or a title speaks.
                allowed, used = hits, [convention]
                continue
            allowed = narrowed
            used.append(convention)
        return allowed, used

    def summary(self) -> dict[str, list[dict[str, object]]]:
        """root -> the adopted conventions (each with the name shape it holds for), as
        run.json and the terminal show them."""
        out: dict[str, list[dict[str, object]]] = defaultdict(list)
        for group, conventions in self.conventions.items():
            root, shape = group.split(_SHAPE_MARK, 1)
            out[root] += [
                {
                    "reading": c.reading,
                    "field": c.field,
                    "agree": c.agree,
                    "checked": c.checked,
                    "basis": c.basis,
                    "shape": shape,
                }
                for c in conventions
            ]
        return dict(out)


_SHAPE_MARK = "\x00"
#: A number of this many digits or more is a date, a receipt's day or a counter, not a
#: file, box or year number: names of numbers only are grouped by where they hold one.
LONG_NUMBER = 5
_LEADING_LETTERS = re.compile(r"^[a-z ]*")


#: The headings of a list's own row number: the inventory's STT headings, and "#".
_ROWS = frozenset(SYNONYMS["stt"]) | {"#"}


def _list_renumbers(members: list[Item], readings: dict[int, dict[str, int]]) -> bool:
    """Whether a list beside the scans gives its own numbers for most of them and the number
    the names carry equals none of a scan's listed numbers for most of those."""
    listed = [r for i in members if (r := readings[i.item_id]) and _listed(r)]
    named = [r for r in listed if r.get("parsed.file_no") is not None]
    if len(listed) < LIST_SHARE * len(members) or not named:
        return False
    # The list's own row number ("No.", "STT") counts its rows as the lot does: no field.
    apart = sum(
        r["parsed.file_no"]
        not in [v for k, v in _listed(r).items() if k.removeprefix(SIDECAR_READING) not in _ROWS]
        for r in named
    )
    return apart >= LIST_SHARE * len(named)


def _listed(readings: dict[str, int]) -> dict[str, int]:
    """The readings a station's list gives (its columns), not the scan's name."""
    return {r: v for r, v in readings.items() if r.startswith(SIDECAR_READING)}


def _group(root: str, shape: str) -> str:
    return f"{root}{_SHAPE_MARK}{shape}"


def name_shape(item: Item) -> str:
    """How a scan is named, coarsely: the letters before its first number and whether a
    title follows ("", "scan", "img", "hs" ... and "+title"); a name of numbers only, how
    many, and which of them are long ("433" and "001.2011" are two ways of naming, "+2" the
    second; "211101-0001" a third, "+2:Nn"). Conventions hold per shape."""
    name = unicodedata.normalize("NFC", item.named_as).split("/")[-1]
    base = strip_copy_mark(name if item.series else stem(name))
    prefix = _LEADING_LETTERS.match(fold(base))
    letters = prefix.group(0).strip() if prefix else ""
    titled = bool(item.evidence.title or (item.sidecar and item.sidecar.title))
    if is_opaque_id(base):
        # "B8C34DAA-F27D-…", "7AB8278C-…": a system's id, one way of naming whatever its
        # letters.
        letters = "id"
    shape = (letters if len(letters) <= 8 else "text") + ("+title" if titled else "")
    if not shape and len(found := _NUMBER.findall(base)) >= 2:
        # "211101-0001" (a receipt's date and number) and "065.2019" (a file number and a
        # year) are two ways of naming, though both hold two numbers.
        lengths = "".join("N" if len(n) >= LONG_NUMBER else "n" for n in found)
        shape = f"+{len(found)}" + (f":{lengths}" if "N" in lengths else "")
    return shape


def describe_reading(reading: str, lang: str) -> str:
    """A reading as a person says it ("số đầu tên tệp", "cột 'Số HS' của tệp siêu dữ liệu")."""
    if reading.startswith(SIDECAR_READING):
        return t("reading.sidecar", lang, heading=reading.removeprefix(SIDECAR_READING))
    return t(f"reading.{reading}", lang)


def describe_field(field: str, lang: str) -> str:
    """A record's field as a person says it ("số hồ sơ", "cột 'Số lưu' của mục lục")."""
    if field.startswith(COLUMN):
        return t("field.column", lang, heading=field.removeprefix(COLUMN))
    return t(f"field.{field}", lang)


def describe(convention: Convention, lang: str) -> str:
    """One adopted convention with its evidence, for the terminal and the reports."""
    return t(
        f"convention.{convention.basis}",
        lang,
        reading=describe_reading(convention.reading, lang),
        field=describe_field(convention.field, lang),
        agree=convention.agree,
        checked=convention.checked,
    )


def anchors_from(links: Iterable[tuple[int, int]]) -> dict[int, int]:
    """item id -> record for links that name one record per item."""
    seen: dict[int, set[int]] = defaultdict(set)
    for item_id, record in links:
        seen[item_id].add(record)
    return {i: next(iter(r)) for i, r in seen.items() if len(r) == 1}
