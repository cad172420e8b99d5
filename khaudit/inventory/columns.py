"""Column mapping: the names offices give inventory columns, mapped to khaudit's fields.

Names are compared folded (no marks, lower case, single spaces), so "Tiêu đề hồ sơ",
"TIEU DE HO SO" and "Tiêu  đề\\nhồ sơ" are one name. The synonym table is the one place to teach
khaudit a new heading; a project file may also map a heading explicitly (see project.py).
"""

from __future__ import annotations

from ..textnorm import fold

#: field -> headings seen in real inventories (folded form), most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so tt", "so thu tu", "tt", "no", "row no"),
    "box": (
        "hop cap so",
        "hop so",
        "so hop",
        "hop cap",
        "hop",
        "cap so",
        "so cap",
        "cap",
        "box no",
        "box",
    ),
    "file_no": ("ho so so", "so ho so", "hs so", "so hs", "file no", "file number"),
    "record_code": (
        "so va ky hieu ho so",
        "so hieu ho so",
        "so hieu",
        "so ky hieu ho so",
        "ma ho so",
        "ky hieu ho so",
        "so ky hieu",
        "ky hieu",
        "ma hs",
        "ky hieu hs",
        "so ky hieu hs",
        "record code",
        "file code",
        "code",
    ),
    "title": (
        "tieu de ho so",
        "tieu de",
        "trich yeu noi dung",
        "trich yeu",
        "ten ho so",
        "ten goi ho so",
        "ten tai lieu",
        "ten van ban",
        "noi dung",
        "title",
    ),
    # "Thời gian" over "Từ (ngày)" and "Đến (ngày)"; English exports' "From" and "To" (a
    # "To" is the end date only beside a start: alone, "Tờ" counts sheets, see map_headings)
    "date_start": (
        "thoi gian bat dau",
        "bat dau",
        "ngay bat dau",
        "thoi gian tu",
        "tu ngay",
        "tu",
        "start date",
        "start",
        "from date",
        "from",
    ),
    "date_end": (
        "thoi gian ket thuc",
        "ket thuc",
        "ngay ket thuc",
        "thoi gian den",
        "den ngay",
        "den",
        "end date",
        "end",
        "to date",
        "until",
    ),
    "dates": (
        "thoi gian bat dau ket thuc",
        "thoi gian tai lieu",
        "thoi gian",
        "nien dai",
        "nam",
        "year",
        "dates",
    ),
    "sheets": (
        "so luong to",
        "so to",
        "so trang",
        "sl to",
        "sl trang",
        "so luong trang",
        # "Số lượng" alone, in an inventory, counts the record's sheets.
        "so luong",
        "sl",
        "sheets",
        "pages",
        "to",
    ),
    "retention": ("thoi han bao quan", "thbq", "retention"),
    "notes": ("ghi chu", "chu thich", "notes", "note", "remarks"),
    # where the record's subject lies (a parcel, a household): zoning reads its place names
    "address": (
        "dia chi thua dat",
        "dia chi",
        "dia ban",
        "dia diem",
        "noi cu tru",
        "vi tri thua dat",
        "xa phuong thi tran",
        "xa phuong",
        "don vi hanh chinh",
        "address",
    ),
}

#: A data table must have these; the error lists the headings seen when one is missing.
REQUIRED = ("title",)


def _lookup(synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {name: field for field, names in synonyms.items() for name in names}


_LOOKUP = _lookup(SYNONYMS)


#: Words that, added to a known heading, make it name something else than the file's field:
#: "Số, ký hiệu văn bản" (the numbers of the documents inside), "Số tờ BĐ" / "Số tờ bản đồ"
#: (a map sheet), "Số thửa" (a parcel), "Ngày sinh" (a person's birth date). Such a column is
#: left unclaimed (its whole numbers still go to ``other_numbers``).
OTHER_OBJECTS = ("van ban", "vb", "ban do", "bd", "thua", "sinh")


def _names_other(rest: str) -> bool:
    words = f" {rest} "
    return any(f" {w} " in words for w in OTHER_OBJECTS)


def exact_field(heading: str) -> str | None:
    """The field a heading names by one of the synonyms exactly (no prefix), or None."""
    return _LOOKUP.get(fold(heading))


def names_other_thing(heading: str) -> bool:
    """Whether a heading names something else than the file ("Ngày sinh", "Số tờ BĐ"): its
    column is never taken for a field, by name or by content."""
    return _names_other(fold(heading))


def field_for_heading(heading: str, lookup: dict[str, str] | None = None) -> str | None:
    """The field a heading names, or None. Exact folded names win over prefixes."""
    lookup = _LOOKUP if lookup is None else lookup
    key = fold(heading)
    if not key:
        return None
    if key in lookup:
        return lookup[key]
    # "Tiêu đề hồ sơ (trích yếu)" or a two-row "Thời gian / Bắt đầu": the longest known prefix,
    # unless the words beside it name another thing ("Số, ký hiệu văn bản", "Số tờ BĐ").
    best: tuple[int, str] | None = None
    for name, field in lookup.items():
        if len(name) < 3:
            continue
        if key.startswith(name + " "):
            rest = key[len(name) + 1 :]
        elif key.endswith(" " + name):
            rest = key[: -len(name) - 1]
        else:
            continue
        if not _names_other(rest) and (best is None or len(name) > best[0]):
            best = (len(name), field)
    return best[1] if best else None


def map_headings(
    headings: list[str],
    overrides: dict[str, str] | None = None,
    synonyms: dict[str, tuple[str, ...]] | None = None,
) -> dict[int, str]:
    """Map column index -> field for one header row; first column wins for a repeated field.

    ``overrides`` maps a field to the heading text a project file names for it; ``synonyms``
    replaces the inventory table (sidecar metadata files use their own).
    """
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    folded_overrides = {fold(h): f for f, h in (overrides or {}).items()}
    lookup = _LOOKUP if synonyms is None else _lookup(synonyms)
    ends = _ends_beside_starts(headings, lookup)
    for index, heading in enumerate(headings):
        field = (
            folded_overrides.get(fold(heading))
            or ends.get(index)
            or field_for_heading(heading, lookup)
        )
        if field and field not in taken:
            mapping[index] = field
            taken.add(field)
    return mapping


def _ends_beside_starts(headings: list[str], lookup: dict[str, str]) -> dict[int, str]:
    """The "To" right of a start-date heading ("From | To"): the end date, where "Tờ" alone
    (folded alike) would be the sheets."""
    return {
        c: "date_end"
        for c in range(1, len(headings))
        if fold(headings[c]) == "to" and field_for_heading(headings[c - 1], lookup) == "date_start"
    }
