"""Evidence a scan carries about which record it is, read from its path.

Offices name scans by record code, by box and file number, by a file number and a typed title,
or by a scanner counter (whose evidence then comes from a sidecar, see sidecar.py). One parser
per naming habit, tried on the file name and on every folder above it, so mixed schemes in one
tree work without configuration. A project file's ``naming_pattern`` (a regular expression with
named groups) is tried first when given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..textnorm import fold
from .keystrokes import read_back
from .spoilt import repaired

_SEPARATORS = re.compile(r"[\s._\-/\\,;:]+")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})

_BOX = re.compile(r"^(?:hop|box|cap|h)\s*(?:so\s*)?0*(\d{1,4})$")
_FILE = re.compile(r"^(?:hs|ho so|file|f)\s*(?:so\s*)?0*(\d{1,5})$")
#: A row of the list by its label ("STT 12", "TT0303": a number behind "thứ tự" is a row, not
#: a circular's number): no title's words; which numbering it is the root's links tell.
_ROW = re.compile(r"^(?:stt|tt)\s*0*(\d{1,5})$")
_BOX_FILE = re.compile(r"^(?:h|hop|b|box)\s*0*(\d{1,4})\s+(?:hs|f)?\s*0*(\d{1,5})$")
_NUMBER_ONLY = re.compile(r"^0*(\d{1,5})$")
#: A number before a typed title, "số"/"so"/"No."/"STT" before it or not ("045 - Hồ sơ…",
#: "so 004 Tap_QD…", "No.12_Bao cao…", "HS 487 Hs.chuyen.nhuong…", "HS_0001 HS_chuyển…",
#: "STT 100_BAO CAO…").
_LEADING_NUMBER = r"^(?:(?:s[oố]|s\.|no\.?|#|hs|h[oồ] s[oơ]|stt|tt)[\s_]*)?0*(\d{1,5})"
_NUMBER_TITLE = re.compile(
    rf"{_LEADING_NUMBER}\s*[-_.)]+\s*(.+)$|{_LEADING_NUMBER}\s+(\D.+)$", re.IGNORECASE
)
#: A box and a file by their labels, then a typed title ("Hop1-HS1_HS CAP GCN …", "H03 HS 12 -
#: Ho so …"): both numbers are the record's place, neither is the title's.
_BOX_FILE_TITLE = re.compile(
    r"^(?:h|hop|hộp|b|box)\s*0*(\d{1,4})\s*[-_.,/ ]\s*(?:hs|h[oồ] s[oơ]|f|file)\s*0*(\d{1,5})"
    r"(?:\s*[-_.):,]+\s*|\s+)(\D.+)$",
    re.IGNORECASE,
)
#: A typed title, then the record's number behind its label ("Bao_cao_…_nam_2016-STT 23",
#: "… - HS 12"): the number is no title's. ("…, số 03" is a register's volume: the title's.)
_TITLE_NUMBER = re.compile(
    r"^(.+?)\s*[-_.,]+\s*(?P<label>stt|tt|hs|h[oồ] s[oơ]|no\.?)\s*0*(\d{1,5})$", re.IGNORECASE
)
#: ... or without a label, after a dash: a number of three digits or more after a year
#: ("…nam 2011-339", "…-năm-2018-192"), padded after a word ("…_DUONG_HONG_NGA_006"), or
#: after a word where the title's words are not joined by that dash ("…Ngoc Hoa-464";
#: "…-den-so-150" is a title's own number): a list's numbering or the code's, as no title
#: writes its own ("…2015-01" may be a register's volume, "…to 10-434" a map sheet and
#: parcel).
_TITLE_BARE_NUMBER = re.compile(r"^(.+?)\s*([-_])\s*(\d{3,5})$")
#: Words a title writes its own numbers after ("số 001", "quyển 02", "thửa đất 434", "tờ
#: bản đồ 12", "năm 2011").
NUMBERS_WORDS = frozenset({"so", "quyen", "q", "tap", "to", "thua", "dat", "do", "nam"})
_ENDS_WITH_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d$")
#: The words scanning software and cameras put before the numbers they count with. A name of
#: one of them and numbers only ("IMG_000123", "DOC-2025-0057", "Scan 2025-03-12 0007") or a bare
#: date-time stamp ("20250312_143501", as some document scanners save) names no record.
COUNTER_WORDS = frozenset(
    {
        "img",
        "image",
        "scan",
        "scanned",
        "dsc",
        "dscn",
        "doc",
        "document",
        "page",
        "pic",
        "photo",
        "anh",
        "hinh",
        "ccf",
        "epson",
    }
)
# One digit a repetition: "(?:\s*\d+)+" reads the same names, but tries every way of cutting
# a run of digits before it fails, so a name of 24 digits and then words ("Scan_20250414_
# 151909_0918416063_Nguyen_Kim_Lien") took half a second, a whole locality of them minutes.
_COUNTER = re.compile(
    rf"^(?:(?:{'|'.join(sorted(COUNTER_WORDS))})(?:\s*\d)+|\d{{8}}\s*\d{{4,6}}|\d{{14}})$"
)
_PAGE_NAME = re.compile(r"^(?:p|page|trang|tr)?\s*0*\d{1,4}$")


_COPY_MARK = re.compile(
    r"\([1-9]\d?\)$|[ _-]+(copy|ban sao|sao chep|sao)( \d+)?$"
    r"|^(copy of|ban sao|sao chep|sao)\b|[ _-]copy[ _-]?\d*$"
)


_COPY_SUFFIX = re.compile(
    r"\s*(\([1-9]\d?\)|[ _-]+(copy|ban sao|bản sao|sao chep|sao chép)"
    r"( \d+)?)$",
    re.IGNORECASE,
)
_COPY_FOLDER = re.compile(
    r"^(ban sao|sao luu|copy|copies|backup|du phong|trung|trung lap"
    r"|duplicates?)( \d+)?$"
)


#: What an operator adds to the name of a record scanned again ("… - quét lại", "307_new",
#: "…_lan2", "… scan2"): the record's, not a number or word of its title.
_RESCAN_SUFFIX = re.compile(
    r"[ _.-]+(quet lai|quét lại|scan lai|scan lại|re-?scan|scan ?\d|lan\d|lần\d"
    r"|new|ban moi|bản mới|v\d)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 18)
def strip_copy_mark(stem: str) -> str:
    """A name without the mark a copy got ("X (1)" -> "X", "X - Sao chép" -> "X") or a
    record scanned again ("X_new", "X - quét lại"), so the numbers and words read from it
    are the original's. Kept once computed: a scan's name is read here by its evidence, its
    readings and its name shape."""
    for _ in range(2):  # "X_new (1)"
        stem = _RESCAN_SUFFIX.sub("", _COPY_SUFFIX.sub("", stem).strip()).strip()
    return stem


def is_copy_name(path: str) -> bool:
    """A name a person or a system gives a copy: "X (1).pdf", "X - Copy.pdf", "Copy of X",
    "X - Bản sao.pdf", or any file in a folder of copies ("Bản sao/", "backup/")."""
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    return bool(
        _COPY_MARK.search(fold(stem))
        or _COPY_MARK.search(stem.strip())
        or any(_COPY_FOLDER.match(fold(folder)) for folder in parts[:-1])
    )


_COLLISION_SUFFIX = re.compile(r"_\d{1,2}$")
#: A number written with leading zeros after a title ("…_012", "… (001)"): the file's number
#: in its series, which the title does not write; the readings take it.
_PADDED_TAIL = re.compile(r"(_0\d{1,4}|\s*\(0\d{1,4}\)|\s+-\s+0\d{1,4})$")


_FIRST_DASH = re.compile(r"\s*-\s*")


def _without_repeated_name(text: str) -> str:
    """A name that writes an owner before the title that names them again
    ("châu_công_thắng-hồ_sơ_cấp_…_của_hộ_ông_châu_công_thắng_…", as an office sorting by owner
    does), or after it: the title alone. Counted twice, the owner's rare words would be words
    the record lacks."""
    parts = _FIRST_DASH.split(text)
    if len(parts) < 2:
        return text
    for name, rest in ((parts[0], "-".join(parts[1:])), (parts[-1], "-".join(parts[:-1]))):
        words = fold(name).split()
        named = 2 <= len(words) <= 6 and all(w.isalpha() for w in words)
        if named and f" {' '.join(words)} " in f" {fold(rest)} ":
            return rest.strip()
    return text


#: A citizen's ID or phone number written beside an owner's name ("0560861487396_Pham Quoc
#: Tam_0966413829"): nine digits or more, no number a title writes.
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{9,}(?![0-9])")


def typed_title(text: str) -> str:
    """The title an operator typed into a name, without what the file system or a copy added
    ("… từ số_3", a third file of that cut name, or "… (1)") and without the file's number
    in its series written after it with leading zeros ("…_012", "… (001)"). A trailing
    "_12" is kept when the name is written with underscores for spaces: there it is a
    number of the title."""
    text = _without_repeated_name(strip_copy_mark(text.strip()))
    text = _ID_NUMBER.sub(" ", text).strip(" _-") or text
    if " " not in text:  # underscores for spaces: "…_quyển_02" is the title's number
        return text.strip()
    text = _COLLISION_SUFFIX.sub("", text)
    untailed = _PADDED_TAIL.sub("", text)
    return (untailed if sum(map(str.isalpha, untailed)) >= 6 else text).strip()


@lru_cache(maxsize=1 << 17)
def normalize_code(code: str) -> str:
    """A record code in the form both sides are compared in.

    Case, separators (. _ - / space), O/0 and I/l/1 confusions and zero padding of numeric
    segments do not distinguish codes: ``h56_22366_2O19_001`` equals ``H56.22366.2019.0001``.
    """
    text = unicodedata.normalize("NFKC", code).upper().translate(_CONFUSABLE)
    segments = [s for s in _SEPARATORS.split(text) if s]
    return ".".join(s.lstrip("0") or "0" if s.isdigit() else s for s in segments)


def code_year(code: str) -> int | None:
    """The year a record code carries ("H56.22.2019.0012", "2016/HS/0001"): its one segment
    that reads as a year, for an inventory whose dates a matcher cannot read (no column, or
    a heading no one knows); None when no segment or several do."""
    years = {
        int(s)
        for s in normalize_code(code).split(".")
        if len(s) == 4 and s.isdigit() and 1945 <= int(s) <= 2100
    }
    return years.pop() if len(years) == 1 else None


@dataclass
class PathEvidence:
    #: (normalized code, as written, where: "pattern" | "name" | "folder"), nearest first.
    code_keys: list[tuple[str, str, str]] = field(default_factory=list)
    box: int | None = None
    file_no: int | None = None
    box_file_source: str = ""  # the path part the numbers came from
    title: str = ""  # typed title (original spelling) from the name
    counter: bool = False  # a scanner counter name: identity must come from a sidecar
    year: int | None = None
    #: A row of the list the name labels as one ("STT 087", "img0002-STT 087"): the STT's,
    #: not a file number (the two drift apart after a row typed twice).
    row: int | None = None


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def is_box_name(folder: str) -> bool:
    """ "Hộp 05", "hop-1", "Box 12": a box of records, not the folder of one record's pages."""
    return bool(_BOX.match(fold(folder)))


def is_page_name(stem: str) -> bool:
    """ "001", "p001", "page_3": a page of a page series rather than a record of its own."""
    return bool(_PAGE_NAME.match(fold(stem)))


#: What an office names the documents or page images inside a record's own folder: a number
#: ("01", "p003"), a document ("Văn bản 2", "VB_02", "Tài liệu 3") or a camera's counter
#: ("IMG_0001"), possibly after the folder's own name ("0034_001").
_PART_NAME = re.compile(
    r"^(?:p|page|trang|tr|van ban|vb|tai lieu|tl|doc|img|image|scan|anh)?\s*0*\d{1,4}$"
)
_YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
_CODE_SHAPE = re.compile(r"^[A-Za-z0-9]{1,8}(?:[./_-][A-Za-z0-9]{1,8}){2,}$")
_DATE = re.compile(r"^\d{1,4}[-._/]\d{1,2}[-._/]\d{1,4}$")


#: A system's opaque id for a scan: a UUID or a long run of hexadecimal digits.
_OPAQUE_ID = re.compile(r"^(?=.*\d)(?=.*[a-f])[0-9a-f]{8,}(?:-[0-9a-f]{4,})*$", re.IGNORECASE)


def is_opaque_id(name: str) -> bool:
    """ "B8C34DAA-F27D-4689-8614-15B14A5D57FD", "7ab8278cc2944520": a system's id for a scan,
    which names no record by itself (its metadata file or list does)."""
    return bool(_OPAQUE_ID.match(name))


def is_year(text: str) -> bool:
    """ "2019", "1998": a year, as a folder of a year's scans is named."""
    return bool(_YEAR.match(text))


def has_code_shape(text: str) -> bool:
    """Written as a record code is: three segments or more of letters and digits joined by
    ". / _ -" ("H56.22.2019.0012", "000.20.24.H56-130105-0001"), and no date."""
    return bool(_CODE_SHAPE.match(text)) and not _DATE.match(text)


_WORD_OF_LETTERS = re.compile(r"(?<![a-z0-9])[a-z]+(?![a-z0-9])")
#: Words of letters a folder's name needs to read as a record's title.
TITLE_FOLDER_WORDS = 5


def names_a_record(folder: str) -> bool:
    """A folder named as one record is: "HS 338", "Hồ sơ số 12", "0034" (not a year), a
    record code of three segments or more ("H56.22.2019.0012", not a date), or its title -
    not a box, a batch, a lot, a category or a day's scans."""
    folded = fold(folder)
    if _FILE.match(folded) or (_NUMBER_ONLY.match(folded) and not _YEAR.match(folded)):
        return True
    # A record's title ("HS-CẤP-GCN QSDĐ-CỦA-ÔNG-CHÂU-HỮU-MINH-…"), five words of letters at
    # least: a category ("Báo cáo", "01. Đất đai") has fewer.
    return has_code_shape(folder) or len(_WORD_OF_LETTERS.findall(folded)) >= TITLE_FOLDER_WORDS


def is_part_name(stem: str, folder: str) -> bool:
    """A document or page of the record whose folder is ``folder``: "01", "Văn bản 2",
    "IMG_0001", or the folder's name and a number either way round ("0034_001",
    "01_0034")."""
    folded, own = fold(stem), fold(folder)
    readings = [folded]
    if own and folded.startswith(own + " "):
        readings.append(folded[len(own) + 1 :])
    if own and folded.endswith(" " + own):
        readings.append(folded[: -len(own) - 1])
    return any(_PART_NAME.match(reading) for reading in readings)


#: A name with this many lower-to-upper changes is typed in CamelCase, not with spaces.
CAMEL_CHANGES = 2


def spaced_camel(name: str) -> str:
    """A name typed without spaces, each word capitalised ("KHPhatTrienKT-XHNam2016CuaUBND"),
    with its words set apart ("KH Phat Trien KT-XH Nam 2016 Cua UBND"): at a lower-case
    letter followed by a capital, before the last capital of a run that starts a word
    ("UBNDXa"), and between letters and digits. Names with fewer changes are left alone:
    "DOC0001", "H56.01.2019.0001" and a title typed with spaces are no CamelCase."""
    # Every scan name passes here: the changes are counted on the letters' cases as bit
    # masks (a byte a character, shifted by one or two characters), not pair by pair.
    lower = int.from_bytes(bytes(map(str.islower, name)), "big")
    upper = int.from_bytes(bytes(map(str.isupper, name)), "big")
    changes = ((lower >> 8) & upper).bit_count()  # lower, then upper
    changes += ((upper >> 16) & (upper >> 8) & lower).bit_count()  # upper, upper, lower
    if changes < CAMEL_CHANGES:
        return name
    out = [name[:1]]
    for i in range(1, len(name)):
        before, char, after = name[i - 1], name[i], name[i + 1 : i + 2]
        if (
            (before.islower() and char.isupper())
            or (before.isupper() and char.isupper() and after.islower())
            or (before.isalpha() and char.isdigit())
            or (before.isdigit() and char.isalpha())
        ):
            out.append(" ")
        out.append(char)
    return "".join(out)


#: A date a station or a clerk puts before a typed title ("20161012-…", "2016-10-12_…",
#: "12.10.2016 …", "6-1-2022_…"): the document's date, not a number of its title.
_LEADING_DATE = re.compile(
    r"^(?:(?P<y1>(?:19|20)\d\d)[-._]?[01]\d[-._]?[0-3]\d"
    r"|[0-3]\d[-._]?[01]\d[-._]?(?P<y2>(?:19|20)\d\d)"
    r"|[1-3]?\d[-._/][01]?\d[-._/](?P<y3>(?:19|20)\d\d)"
    r"|[0-3]\d[01]\d\d\d)(?:[ _-]+|(?=[^\d\W]))"
)


def split_leading_date(name: str) -> tuple[int | None, str]:
    """(the year of a date the name starts with, the name without it) when a typed title
    follows the date; else (None, name). A date of six digits ("020411 Ho_so…") is no
    file number 20411, but its year is not told: 02/04/2011 or 2002-04-11."""
    m = _LEADING_DATE.match(name)
    if not m or not any(ch.isalpha() for ch in name[m.end() :]):
        return None, name  # a date-time stamp ("20250312_143501") is a station's counter
    year = m.group("y1") or m.group("y2") or m.group("y3")
    return (int(year) if year else None), name[m.end() :]


#: A date or year typed as a field of its own after a title ("…-25.12.2008", "…. 2010.
#: 20100928", "CHAUDUCCUONG. 2012"), not after "năm" ("…-nam-2008" is the title's).
_TRAILING_DATE = re.compile(
    r"(?<!nam)(?<!năm)(?<!year)(?:\s*[._-][\s._-]*|\s+)"
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?P<y1>(?:19|20)\d\d)|(?P<y2>(?:19|20)\d\d)(?:\d{4})?"
    r"|[0-3]\d[01]\d(?P<y3>(?:19|20)\d\d))$",
    re.IGNORECASE,
)


def split_trailing_date(name: str) -> tuple[int | None, str]:
    """(the year of the dates a name ends with, the name without them) when letters are
    left and the name is no counter; else (None, name). Read as the title's numbers, a
    date conflicts with every record's title; the record's dates and year tell it."""
    year: int | None = None
    if _COUNTER.match(fold(name)):
        return None, name  # "IMG_20190312": a camera's date stamp, the whole name a counter
    while (m := _TRAILING_DATE.search(name)) and sum(ch.isalpha() for ch in name[: m.start()]) >= 2:
        year = year or int(m.group("y1") or m.group("y2") or m.group("y3"))
        name = name[: m.start()]
    return year, name


#: The kinds and issuers a document's symbol is made of ("86/QĐ-UBND", "12-TB-UBND",
#: "05/NQ-HĐND"): after a number they make a decision's symbol, not a title.
_SYMBOL_WORDS = frozenset(
    {
        "qd",
        "tb",
        "bc",
        "kh",
        "cv",
        "ttr",
        "nq",
        "ct",
        "tt",
        "hd",
        "bb",
        "gp",
        "gcn",
        "ubnd",
        "hdnd",
        "vp",
        "tp",
        "cp",
        "nd",
        "btc",
        "bnv",
        "stnmt",
        "snv",
        "ub",
    }
)


def is_document_symbol(text: str) -> bool:
    """ "QĐ-UBND", "TB-UBND", "NQ-HĐND" (a date after it or not): what follows the number of a
    decision or a notice in its symbol, so "86-QD-UBND.pdf" is decision 86, not file 86 with
    a title."""
    words = [word for word in fold(text).split() if not word.isdigit()]  # a date may follow
    return 1 <= len(words) <= 3 and all(word in _SYMBOL_WORDS for word in words)


_LABEL_SPLIT = re.compile(r"[\s._/-]+|(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")


def _reads_as_reference(folded: str) -> bool:
    """A name that is a document's number and symbol ("QĐ 124", "124.QĐ-UBND", "QD018"): what a
    title cites ("Quyết định số 124/QĐ-UBND ngày …"), so it is read as a title's words."""
    words = _LABEL_SPLIT.split(folded)
    numbers = [word for word in words if word.isdigit()]
    symbol = [word for word in words if word and not word.isdigit()]
    return bool(numbers) and 1 <= len(symbol) <= 3 and all(w in _SYMBOL_WORDS for w in symbol)


def _reads_as_labels(folded: str) -> bool:
    """A name of numbers each behind a short label ("KS_2015_Q01": the birth register of 2015,
    volume 1): two labels at least, none a word a station counts with. Read as a title's
    words, they are matched against the record's, the labels as its initials."""
    words = _LABEL_SPLIT.split(folded)
    labels = [word for word in words if word and not word.isdigit()]
    return (
        any(word.isdigit() for word in words)
        and 2 <= len(labels) <= 4
        and max(map(len, labels)) >= 2  # "B1-F1" is a box and a file, no words
        and all(len(label) <= 4 and label not in COUNTER_WORDS for label in labels)
    )


_YEAR_FOLDER = re.compile(r"^(?:nam\s*)?((?:19[5-9]|20\d)\d)$")


def _folder_year(folders: list[str]) -> int | None:
    """The year the nearest year folder names ("2011", "Năm 2011"): the scans of that year's
    records, as offices file them (its agreement with a record's year tells apart decisions
    that share a number across years)."""
    for folder in reversed(folders):
        if m := _YEAR_FOLDER.match(fold(folder).strip()):
            return int(m.group(1))
    return None


def _names_box_or_file(folded: str) -> bool:
    """ "Hop1-HS1", "Ho so 12", "HS 045", "STT 12": a box and a file, a file or a row by its
    label and number, which are no title's words ("Ho so" would otherwise fit every "Hồ sơ …"
    title)."""
    return bool(_BOX_FILE.match(folded) or _FILE.match(folded) or _ROW.match(folded))


def _reads_as_title(name: str, folded: str) -> bool:
    """A name an operator typed a title into, six letters at least: three words or more, two
    of them words of letters ("So DKKH 2020, so 03" is the marriage register of 2020), or
    letters only (an owner's name, "dangthanhson", "Lê Văn Hùng"): a name with no digit is
    no code and no counter."""
    words = folded.split()
    return sum(map(str.isalpha, name)) >= 6 and (
        (len(words) >= 3 and sum(w.isalpha() for w in words) >= 2)
        or (bool(words) and all(w.isalpha() for w in words))
    )


def _title_then_number(name: str) -> tuple[str, str] | None:
    """(title, number) of a typed title followed by its record's number ("…-STT 23", "…nam
    2008-089"), or None."""
    if m := _TITLE_NUMBER.match(name):
        return m.group(1), m.group(3)
    if (m := _TITLE_BARE_NUMBER.match(name)) and not is_year(number := m.group(3)):
        title, dash = m.group(1), m.group(2)
        after_year = dash == "-" and _ENDS_WITH_YEAR.search(title)
        after_word = title[-1].isalpha() and fold(title).rsplit(" ", 1)[-1] not in NUMBERS_WORDS
        padded = number[0] == "0" and (after_word or dash not in title)
        if after_year or padded or (dash not in title and after_word):
            return title, number
    return None


#: What a scanner or copier names a file by itself: a few letters and a long run of digits
#: (a model and a date-time or a count: "SKM_C2582503250735140", "HPSCAN_20250509141637",
#: "img0084").
_DEVICE_STEM = re.compile(r"^[A-Za-z]{1,8}[ _-]?[A-Za-z]?\d{3,}(?:[ _-]\d{3,})*$")
#: A procedure's code on the national public service portal before an owner's name
#: ("1.001193_Trần_Văn_Kiên"): the kind of procedure, none of its title's numbers.
_PORTAL_CODE = re.compile(r"^[12]\.\d{6}[\s_-]+(?=\D)")


#: A scanner's or a phone app's own name before what the operator typed after it
#: ("SKM_C2582503250735140-HS 1", "img0241 - HS 560", "HPSCAN_20250415083735 0560612078873
#: Nguyen Minh Hai", "20250324112147-2014.03.14-le-thi-ngoc", "New Doc 2025-05-19 10.24_xac
#: nhan hn_…"): the device's count or clock, no number of the record's.
_DEVICE_PREFIX = re.compile(
    r"^(?:(?!(?:h|hop|hs|ho so|b|box|cap|f|file|stt|tt|so|no|qd|q|t|to|thua)[ _-]?\d)"
    r"[A-Za-z]{1,8}[ _-]?[A-Za-z]?\d{4,}(?:_\d{4,})*|\d{14}|\d{8}[ _-]\d{6}"
    r"|(?:doc|img|image|scan|dsc|page)\s*\d{1,6}(?:\s*\(\d{1,3}\))?"
    r"|(?:new doc|camscanner|scan|doc|img|image)[ _-]+\d{1,4}[-.]\d{1,2}[-.]\d{1,4}"
    r"(?:[ _-]+\d{1,2}[.:]\d{2}(?:[.:]\d{2})?)?)"
    r"\s*[ _-]\s*(?=[^\W\d_]{2}|\d{3}|[A-Za-z]\d)",
    re.IGNORECASE,
)


_DIGIT_RUN = re.compile(r"\d+")


def without_device_prefix(name: str) -> str:
    """``name`` without a device's name before the operator's words, or before numbers
    after a device's clock ("IMG_20250204_102044-085"). A count with a year in it
    ("DOC-2025-0057", "KS_2015_Q01") is left whole: it may be all the name says."""
    m = _DEVICE_PREFIX.match(name)
    if m is None:
        return name
    runs = [len(r.group()) for r in _DIGIT_RUN.finditer(m.group())]
    clock = max(runs, default=0) >= 8
    if not clock and (not name[m.end()].isalpha() or name[m.end() + 1].isdigit()):
        return name
    if runs == [4] and is_year(_DIGIT_RUN.search(m.group()).group()):  # type: ignore[union-attr]
        return name
    return name[m.end() :]


def _read_numbers(ev: PathEvidence, name: str, folded: str, in_folder: bool) -> None:
    """The box and file number a name carries ("H03_012", "HS 045", "045" in a folder), or a
    file number before a typed title ("045 - Ho so ...")."""
    m = _BOX_FILE.match(folded)
    if row := _ROW.match(folded):
        ev.row, ev.box_file_source = int(row.group(1)), name
    elif m:
        ev.box, ev.file_no, ev.box_file_source = int(m.group(1)), int(m.group(2)), name
    elif (m := _FILE.match(folded)) or (in_folder and (m := _NUMBER_ONLY.match(folded))):
        ev.file_no, ev.box_file_source = int(m.group(1)), name
    elif (m := _BOX_FILE_TITLE.match(name.strip())) and sum(map(str.isalpha, m.group(3))) >= 6:
        ev.box, ev.file_no, ev.box_file_source = int(m.group(1)), int(m.group(2)), name
        ev.title = typed_title(m.group(3))
    elif found := _title_then_number(name.strip()):
        title, number = found
        if _DEVICE_STEM.match(title) and (label := _TITLE_NUMBER.match(name.strip())):
            # "SKM_C2582503250735140-HS 1": a copier's stem, then the file's number (or the
            # row's: "img0002-STT 087").
            if label.group("label").lower() in ("stt", "tt"):
                ev.row, ev.box_file_source = int(number), name
            else:
                ev.file_no, ev.box_file_source = int(number), name
        elif sum(ch.isalpha() for ch in title) >= 6 and not is_year(number):
            ev.file_no, ev.title, ev.box_file_source = int(number), typed_title(title), name
    elif m := _NUMBER_TITLE.match(name.strip()):
        number, title = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if sum(map(str.isalpha, title)) >= 6 and not is_document_symbol(title):
            ev.file_no, ev.title, ev.box_file_source = int(number), typed_title(title), name


#: A part of a record scanned in two or more files ("…_p1", "… - phần 2", "…_part2"): the
#: record's scan in parts, the number no title's.
_PART_SUFFIX = re.compile(r"[ _-]+(?:p|phan|phần|part)[ _.]?\d{1,2}$", re.IGNORECASE)


def without_part_mark(name: str) -> str:
    """``name`` without the mark of a part ("…_p1", "… - phần 2")."""
    return _PART_SUFFIX.sub("", name)


def _split_dates(name: str) -> tuple[int | None, str]:
    """(the year of the dates a name begins or ends with, the name without them)."""
    year, name = split_leading_date(spaced_camel(name))
    if year is None:
        # "CHÂU BÍCH HOA. 2014_2": the second file of that name and year; the year still ends
        # the title.
        dated = _COLLISION_SUFFIX.sub("", name) if " " in name else name
        year, undated = split_trailing_date(dated)
        name = undated if year is not None else name
    return year, name


def _read_pattern(ev: PathEvidence, pattern: re.Pattern[str], relpath: str) -> None:
    """What a project's ``naming_pattern`` names in ``relpath``, into ``ev``."""
    m = pattern.search(unicodedata.normalize("NFC", relpath))
    if not m:
        return
    groups = {k: v for k, v in m.groupdict().items() if v}
    if "record_code" in groups:
        ev.code_keys.append(
            (normalize_code(groups["record_code"]), groups["record_code"], "pattern")
        )
    if "box" in groups:
        ev.box = int(groups["box"])
    if "file_no" in groups:
        ev.file_no = int(groups["file_no"])
        ev.box_file_source = m.group(0)
    if "title" in groups:
        ev.title = groups["title"]
    if "year" in groups:
        ev.year = int(groups["year"])


def path_evidence(
    relpath: str, is_folder_item: bool = False, pattern: re.Pattern[str] | None = None
) -> PathEvidence:
    """Everything ``relpath`` (relative to its scan root) says about its record."""
    # "Há»“ sÆ¡", "Hå s¬": a name spoilt on the way is read as it was typed.
    parts = unicodedata.normalize("NFC", repaired(relpath)).split("/")
    name = strip_copy_mark(parts[-1] if is_folder_item else _stem(parts[-1])) or parts[-1]
    folders = parts[:-1]
    ev = PathEvidence()
    if pattern is not None:
        _read_pattern(ev, pattern, relpath)
    # Codes: the whole name, its first word, then each folder from the nearest up.
    seen = {key for key, _, _ in ev.code_keys}
    unmarked = without_part_mark(without_device_prefix(name))  # "…-160718-0001_p1"
    places = [(name, "name"), (name.split(" ")[0], "name"), (unmarked, "name")]
    places += [(folder, "folder") for folder in reversed(folders)]
    for text, where in places:
        key = normalize_code(text)
        if key and any(ch.isdigit() for ch in key) and key not in seen:
            seen.add(key)
            ev.code_keys.append((key, text, where))
    if is_opaque_id(name):
        ev.counter = True  # a system's id: its metadata file or list names the record
        ev.year = ev.year if ev.year is not None else _folder_year(folders)
        return ev
    name = without_device_prefix(name)
    year, name = _split_dates(_PART_SUFFIX.sub("", _PORTAL_CODE.sub("", name)))
    name = read_back(name)  # "Quyeets ddinhj": keys typed with the input method off
    if ev.year is None:
        ev.year = year if year is not None else _folder_year(folders)
    folded = fold(name)
    if ev.file_no is None:
        _read_numbers(ev, name, folded, bool(folders) or is_folder_item)
    if ev.box is None:
        for folder in reversed(folders):
            if m := _BOX.match(fold(folder)):
                ev.box = int(m.group(1))
                ev.box_file_source = f"{folder}/{ev.box_file_source}"
                break
    if _COUNTER.match(folded):
        ev.counter = True
    elif (
        not ev.title
        and not _names_box_or_file(folded)
        and not (ev.file_no is not None and ev.box_file_source.endswith(name))
        and (
            _reads_as_title(name, folded) or _reads_as_reference(folded) or _reads_as_labels(folded)
        )
    ):
        ev.title = typed_title(name)
    return ev
