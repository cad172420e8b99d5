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


def expand_abbreviations(folded: str) -> str:
    """Expand office abbreviations in already-folded text ("gcn qsdd" -> the full words)."""
    return _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], folded)


#: "thửa 123" is how operators type "thửa đất số 123"; "số" before a number ("tờ bản đồ số 18",
#: "Quyết định số 12") is dropped on both sides, since some typists leave it out.
_PARCEL = re.compile(r"\bthua (?!dat\b)")
_NUMBER_WORD = re.compile(r"\bso (?=\d)|\s*\bso$")


#: "ô." and "b." are how operators type "ông" and "bà"; both sides are read alike, so the "o"
#: that "ở" folds to becomes "ong" too, harmlessly.
_TITLES_OF_ADDRESS = re.compile(r"\b(o|b)\b")
_ADDRESS = {"o": "ong", "b": "ba"}


@lru_cache(maxsize=_CACHE)
def match_form(text: str) -> str:
    """The form titles are fuzzy-compared in: folded, abbreviations expanded, "số" before a
    number and the words operators leave out of "thửa đất số" dropped."""
    form = expand_abbreviations(fold(text))
    form = _TITLES_OF_ADDRESS.sub(lambda m: _ADDRESS[m.group(1)], form)
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
