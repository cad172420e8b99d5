"""Vietnamese text normalisation shared by inventory loading and matching.

Everything is compared in NFC: the same Vietnamese word arrives precomposed from one office and
decomposed from another (macOS file names, older input methods). Matching also needs a folded
form, because file names usually drop every mark and ``đ`` becomes ``d``: :func:`fold` gives
that form, and :func:`expand_abbreviations` turns the abbreviations offices type (UBND, GCN,
QSDĐ...) into words, so that "GCN QSDĐ" and "giấy chứng nhận quyền sử dụng đất" compare as
the same text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NUMBER = re.compile(r"\d+")

#: Abbreviations offices type in titles, keyed by their folded form, longest first when applied.
ABBREVIATIONS: dict[str, str] = {
    "gcn qsdd": "giay chung nhan quyen su dung dat",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "qd": "quyet dinh",
    "ttr": "to trinh",
    "cv": "cong van",
    "bc": "bao cao",
    "kh": "ke hoach",
    "tb": "thong bao",
    "gcn": "giay chung nhan",
    "qsdd": "quyen su dung dat",
    "tbd": "to ban do",
    "kt xh": "kinh te xa hoi",
    "tthc": "thu tuc hanh chinh",
    "dkkh": "dang ky ket hon",
    "cccd": "can cuoc cong dan",
    "xd": "xay dung",
    "gpxd": "giay phep xay dung",
    "gcnqsdd": "giay chung nhan quyen su dung dat",
    "hgd": "ho gia dinh",
    "tp": "thanh pho",
    "tx": "thi xa",
    "nd cp": "nghi dinh chinh phu",
    "dksh": "dang ky khai sinh",
    "gks": "giay khai sinh",
    "bb": "bien ban",
    "sdd": "su dung dat",
    "ktxh": "kinh te xa hoi",
    "hs": "ho so",
    "qsd": "quyen su dung",
    "to bd": "to ban do",
    "ct ubnd": "chu tich uy ban nhan dan",
    "pct ubnd": "pho chu tich uy ban nhan dan",
    "ct hdnd": "chu tich hoi dong nhan dan",
    "dk": "dang ky",
    # "KH" alone is a plan (kế hoạch); registered, it is a marriage ("ĐK KH", "Sổ ĐKKH").
    "dk kh": "dang ky ket hon",
    "dk ks": "dang ky khai sinh",
    "dk kt": "dang ky khai tu",
    "dkks": "dang ky khai sinh",
    "dkkt": "dang ky khai tu",
    "dkbd": "dang ky bien dong",
    "dkkd": "dang ky kinh doanh",
    "gpkd": "giay phep kinh doanh",
    "cmnd": "chung minh nhan dan",
    # One-stop shops' names for procedures ("XNHN Nguyễn Thu Hoa", "XPXD_Tran_Van_Son").
    "xnhn": "xac nhan tinh trang hon nhan",
    "xntthn": "xac nhan tinh trang hon nhan",
    "xpxd": "giay phep xay dung",
    "hkd": "ho kinh doanh",
    "dkhkd": "dang ky ho kinh doanh",
    "cthd": "chung thuc hop dong",
}
_ABBREV_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b"
)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form khaudit stores and compares."""
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Drop every Vietnamese mark (tones, circumflex, breve, horn) and map đ/Đ to d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = _COMBINING.sub("", decomposed).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", bare)


#: Titles, names and folder names repeat across a locality (the same boilerplate, the same
#: folder above a thousand scans): the folded forms are kept rather than computed again.
_CACHE = 1 << 17


@lru_cache(maxsize=_CACHE)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: the form used to compare names."""
    return _NON_WORD.sub(" ", strip_marks(text).lower()).strip()


#: Abbreviations typed together without a space ("CTUBND", "HSDKKH", "QĐUBND"): two one-word
#: abbreviations (or the chairman's "ct"/"pct") run together are set apart before expanding.
#: No Vietnamese syllable is two of them.
_RUN_TOGETHER_PARTS = sorted(
    {k for k in ABBREVIATIONS if " " not in k} | {"ct", "pct"}, key=len, reverse=True
)
_RUN_TOGETHER = re.compile(
    r"\b({0})({0})\b".format("|".join(re.escape(k) for k in _RUN_TOGETHER_PARTS))
)


def expand_abbreviations(folded: str) -> str:
    """Expand office abbreviations in already-folded text ("gcn qsdd" -> the full words)."""
    folded = _RUN_TOGETHER.sub(
        lambda m: m.group(0) if m.group(0) in ABBREVIATIONS else f"{m.group(1)} {m.group(2)}",
        folded,
    )
    return _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], folded)


#: "thửa 123" is how operators type "thửa đất số 123"; "số" before a number ("tờ bản đồ số 18",
#: "Quyết định số 12") is dropped on both sides, since some typists leave it out.
_PARCEL = re.compile(r"\bthua (?!dat\b)")
_NUMBER_WORD = re.compile(r"\bso? (?=\d)|\s*\bso?$")

#: Quarters, terms, sessions, parts and volumes are numbered in Roman numerals as often as not
#: ("quý III", "khóa XII", "phần II"): after these words a Roman numeral is read as its number,
#: on both sides, so "quý 3" and "quý III" are the same words. Not the last word of a title:
#: a title cut at a fixed length may have cut the numeral ("quý I" of "quý IV").
_ROMAN_AFTER = re.compile(
    r"\b(quy|khoa|ky|dot|phan|tap|quyen|chuong|muc|giai doan|nhiem ky) ([ivxl]{1,7})(?= )"
)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
#: Anywhere else, a Roman numeral of two letters or more that is no Vietnamese word ("vi" as
#: in "vi phạm", "đơn vị", "li"; "xi" before "măng", "nhan", "rô", "dầu") is read as its
#: number too: the word before it may be mistyped ("khhoa XIII").
_ROMAN_ALONE = re.compile(r"\b(?!(?:vi|li)\b|xi (?:mang|nhan|ro|dau)\b)()([ivxl]{2,7})(?= )")


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral of at most seven letters in I, V, X, L; None when it is
    not written the standard way ("iiii", "vx")."""
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    total = sum(-v if v < after else v for v, after in zip(values, values[1:] + [0]))
    return total if _roman(total) == numeral else None


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv")):
        count, value = divmod(value, number)
        out += letters * count
    return out + "i" * value


def _arabic(match: re.Match[str]) -> str:
    value = roman_value(match.group(2))
    if value is None:
        return match.group(0)
    return f"{match.group(1)} {value}" if match.group(1) else str(value)


#: A few letters typed onto a number ("Q4", "TBD07", "số01"), or after it ("46qd", "so 46qđ"
#: for "số 46/QĐ"): a word and a number.
_GLUED_NUMBER = re.compile(r"\b([a-z]{1,3})(\d{1,4})\b")
_NUMBER_GLUED = re.compile(r"\b(\d{1,4})([a-z]{2,4})\b")
#: A date typed without separators ("14012014", "20140114"), as names of decisions carry
#: it: read as its day, month and year, the numbers a title writes "14/01/2014" as.
_DATE_RUN = re.compile(r"\b(\d{8})\b")


def _date_parts(match: re.Match[str]) -> str:
    run = match.group(1)
    for day, month, year in ((run[:2], run[2:4], run[4:]), (run[6:], run[4:6], run[:4])):
        if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 and 1900 <= int(year) <= 2099:
            return f"{int(day)} {int(month)} {year}"
    return run


#: "ô." and "b." are how operators type "ông" and "bà"; both sides are read alike, so the "o"
#: that "ở" folds to becomes "ong" too, harmlessly.
_TITLES_OF_ADDRESS = re.compile(r"\b(o|b)\b")
_ADDRESS = {"o": "ong", "b": "ba"}


def _split_case_changes(text: str) -> str:
    """A space where a lower-case letter meets a capital ("khóaXII", "củaUBND"): words an
    operator ran together, each still capitalised. Vietnamese words have no capital inside."""
    if not any(a.islower() and b.isupper() for a, b in zip(text, text[1:])):
        return text
    out = [text[:1]]
    for before, char in zip(text, text[1:]):
        if before.islower() and char.isupper():
            out.append(" ")
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=_CACHE)
def match_form(text: str) -> str:
    """The form titles are fuzzy-compared in: folded, abbreviations expanded, Roman numerals
    of quarters, terms and volumes as numbers, "số" (or "s.") before a number and the words
    operators leave out of "thửa đất số" dropped."""
    form = _GLUED_NUMBER.sub(r"\1 \2", fold(_split_case_changes(text)))
    form = _NUMBER_GLUED.sub(r"\1 \2", form)
    form = _DATE_RUN.sub(_date_parts, expand_abbreviations(form))
    form = _TITLES_OF_ADDRESS.sub(lambda m: _ADDRESS[m.group(1)], form)
    form = _ROMAN_ALONE.sub(_arabic, _ROMAN_AFTER.sub(_arabic, form))
    return _NUMBER_WORD.sub("", _PARCEL.sub("thua dat ", form))


def numbers(text: str) -> frozenset[int]:
    """Every number written in ``text``: parcel, sheet and map numbers, years, file numbers.

    Numbers are hard evidence for matching: two titles that differ in one are different records.
    """
    return frozenset(int(n) for n in _NUMBER.findall(text) if len(n) <= 9)


def slugify(text: str) -> str:
    """A file-system-safe ASCII name for a locality ("Xã Diên Lạc" -> "xa-dien-lac"), short
    enough for any file system (a very long name is cut and keeps a digest of the whole)."""
    from .escape import for_filename

    return for_filename(fold(text).replace(" ", "-") or "locality", limit=80)
