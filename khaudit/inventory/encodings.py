"""Legacy Vietnamese encodings: detection and conversion to NFC Unicode.

Old inventories were typed with font encodings. A cell typed in a TCVN3 (ABC) font stores
one-byte codes that Excel shows as Latin-1 mojibake (``Hå s¬`` for "Hồ sơ"); a VNI-Windows font
writes a base letter followed by a byte per mark (``Hoaø`` for "Hoà"); VIQR writes marks as ASCII
after the letter (``Vie^.t Nam``; ``DD`` for Đ, so an abbreviation with D before Đ such as
"QSDĐ" reads back as "QSĐD": VIQR itself cannot tell them apart). Windows-1258 is a byte
encoding of whole files (see readers.py) and decodes before any of this.

Each encoding is one entry of :data:`ENCODINGS` (decode, encode, evidence). Detection must never
alter genuine Unicode text, so it takes two things: positive *evidence* (characters or mark
sequences that Vietnamese Unicode text does not contain), and a decoding that makes the text
*more Vietnamese* (a higher share of valid syllables, see syllables.py). The second also decides
between TCVN3 and VNI, which share many codes.

TCVN3 has no toned capital letters: headings typed in the capital fonts (.VnTimeH) reuse the
lower-case codes, so they convert to lower case. khaudit keeps them so (it cannot know which
letters were meant as capitals) and keeps the original cell beside the result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .syllables import plausibility

# -- TCVN3 (TCVN 5712:1993 VN3, "ABC") ---------------------------------------------------------
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ "
    "×ì Ýí Øỉ Üĩ Þị ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ ïù óú ñủ òũ ôụ "
    "\u00adư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ ¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items()}
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TCVN3_EVIDENCE = frozenset(TCVN3_TO_UNICODE) - _VIETNAMESE_LATIN1


def decode_tcvn3(text: str) -> str:
    """Convert TCVN3 mojibake (as read from a spreadsheet cell) to NFC Unicode."""
    return unicodedata.normalize("NFC", "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text))


def encode_tcvn3(text: str) -> str:
    """Unicode as a TCVN3 font user typed it; toned capitals take the lower-case code."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch])
        elif not ch.isascii() and ch.lower() in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def has_tcvn3_evidence(text: str) -> bool:
    """True if ``text`` can only be mojibake, never genuine Vietnamese Unicode."""
    return fits_one_byte(text) and any(ch in _TCVN3_EVIDENCE for ch in text)


_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")

# -- VNI-Windows ---------------------------------------------------------------------------------
# Tone bytes after a vowel: sắc, huyền, hỏi, ngã, nặng.
_VNI_TONES = dict(zip("ùøûõï", "\u0301\u0300\u0309\u0303\u0323"))
_VNI_CIRCUMFLEX = dict(zip("âáàåãä", ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]))
_VNI_BREVE = dict(zip("êéèúüë", ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]))
_VNI_SINGLE = {
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
    "ñ": "đ",
    "ô": "ơ",
    "ö": "ư",
}
_VNI_SINGLE.update({k.upper(): v.upper() for k, v in _VNI_SINGLE.items()})
_VNI = re.compile(
    r"([aA])([âáàåãäÂÁÀÅÃÄ])|([aA])([êéèúüëÊÉÈÚÜË])|([eEoO])([âáàåãäÂÁÀÅÃÄ])"
    r"|([ôÔöÖ])([ùøûõïÙØÛÕÏ])?|([aAeEoOuUyY])([ùøûõïÙØÛÕÏ])|([íìæóòîñÍÌÆÓÒÎÑ])"
)
_VNI_EVIDENCE = frozenset("øûïñæîöåäëüØÛÏÑÆÎÖÅÄËÜ")


def _vni_sub(m: re.Match[str]) -> str:
    nfc = unicodedata.normalize
    if m.group(1):
        return nfc("NFC", m.group(1) + "\u0302" + _VNI_CIRCUMFLEX[m.group(2).lower()])
    if m.group(3):
        return nfc("NFC", m.group(3) + "\u0306" + _VNI_BREVE[m.group(4).lower()])
    if m.group(5):
        return nfc("NFC", m.group(5) + "\u0302" + _VNI_CIRCUMFLEX[m.group(6).lower()])
    if m.group(7):
        base = _VNI_SINGLE[m.group(7)]
        tone = _VNI_TONES[m.group(8).lower()] if m.group(8) else ""
        return unicodedata.normalize("NFC", base + tone)
    if m.group(9):
        return unicodedata.normalize("NFC", m.group(9) + _VNI_TONES[m.group(10).lower()])
    return _VNI_SINGLE[m.group(11)]


def decode_vni(text: str) -> str:
    return unicodedata.normalize("NFC", _VNI.sub(_vni_sub, text))


_TONE_TO_VNI = {v: k for k, v in _VNI_TONES.items()}
_CIRCUMFLEX_TO_VNI = {v: k for k, v in _VNI_CIRCUMFLEX.items()}
_BREVE_TO_VNI = {v: k for k, v in _VNI_BREVE.items()}
_I_TO_VNI = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _marked_letters(text: str, d: tuple[str, str]) -> Iterator[tuple[str, str, list[str]]]:
    """(character, base letter, marks) for each character of ``text`` in NFC; the base is ""
    for characters to keep as they are (unmarked, or not a Vietnamese letter), and đ/Đ come as
    their spelling in ``d``."""
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            yield d[0] if ch == "đ" else d[1], "", []
            continue
        base, *marks = list(unicodedata.normalize("NFD", ch))
        if not marks or not base.isascii() or not set(marks) <= _VIETNAMESE_MARKS:
            yield ch, "", []
        else:
            yield ch, base, marks


def encode_vni(text: str) -> str:
    """Unicode as a VNI-Windows font user typed it (used by tests and the demo)."""
    out = []
    for ch, base, marks in _marked_letters(text, ("ñ", "Ñ")):
        if not base:
            out.append(ch)  # kept as it is: VNI fonts have no code for other letters
            continue
        upper = base.isupper()
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
        tone = next((m for m in marks if m in _TONE_TO_VNI), "")
        if base.lower() == "i" and not shape:
            piece = _I_TO_VNI[tone]
        elif base.lower() == "y" and tone == "\u0323":
            piece = "î"
        elif shape == "\u0302":
            piece = base + _CIRCUMFLEX_TO_VNI[tone]
        elif shape == "\u0306":
            piece = base + _BREVE_TO_VNI[tone]
        elif shape == "\u031b":
            piece = ("ô" if base.lower() == "o" else "ö") + (_TONE_TO_VNI.get(tone, ""))
        else:
            piece = base + _TONE_TO_VNI[tone]
        out.append(piece.upper() if upper else piece)
    return "".join(out)


def has_vni_evidence(text: str) -> bool:
    return fits_one_byte(text) and any(ch in _VNI_EVIDENCE for ch in text)


# -- VIQR ------------------------------------------------------------------------------------------
_VIQR_SHAPE = {"^": "\u0302", "(": "\u0306", "+": "\u031b"}
_VIQR_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR = re.compile(r"([dD])([dD])|([aAeEoOuU])([\^\(\+])?([\'`?~.])?|([iIyY])([\'`?~.])")
_VIQR_EVIDENCE = re.compile(
    r"[aAeEoO]\^|[aA]\(|[oOuU]\+|(?<![A-Za-z])[dD][dD][aeiouy]"
    r"|[aeiouyAEIOUY][\^\(\+]?[\'`?~.][a-zA-Z]"
)
_VIQR_VALID_SHAPES = {("a", "^"), ("a", "("), ("e", "^"), ("o", "^"), ("o", "+"), ("u", "+")}


def _viqr_sub(m: re.Match[str]) -> str:
    if m.group(1):
        return "đ" if m.group(1) == "d" else "Đ"
    if m.group(6):
        return unicodedata.normalize("NFC", m.group(6) + _VIQR_TONE[m.group(7)])
    base, shape, tone = m.group(3), m.group(4) or "", m.group(5) or ""
    if shape and (base.lower(), shape) not in _VIQR_VALID_SHAPES:
        return m.group(0)
    return unicodedata.normalize(
        "NFC", base + _VIQR_SHAPE.get(shape, "") + _VIQR_TONE.get(tone, "")
    )


def decode_viqr(text: str) -> str:
    return unicodedata.normalize("NFC", _VIQR.sub(_viqr_sub, text))


def encode_viqr(text: str) -> str:
    shapes = {v: k for k, v in _VIQR_SHAPE.items()}
    tones = {v: k for k, v in _VIQR_TONE.items()}
    out = []
    for ch, base, marks in _marked_letters(text, ("dd", "DD")):
        if not base:
            out.append(ch)
            continue
        out.append(
            base
            + "".join(shapes.get(m, "") for m in marks)
            + "".join(tones.get(m, "") for m in marks)
        )
    return "".join(out)


def has_viqr_evidence(text: str) -> bool:
    return text.isascii() and len(_VIQR_EVIDENCE.findall(text)) >= 2


# -- Windows-1258 (file bytes) -----------------------------------------------------------------
def encode_cp1258(text: str) -> bytes:
    """Encode as old Windows tools wrote CSV: precomposed base vowels, tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = list(unicodedata.normalize("NFD", ch))
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            shape = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
            out += (shape + "".join(tones)).encode("cp1258")
    return bytes(out)


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


# -- registry and detection --------------------------------------------------------------------
def fits_one_byte(text: str) -> bool:
    return all(ord(ch) < 256 for ch in text)


@dataclass(frozen=True)
class LegacyEncoding:
    name: str
    decode: Callable[[str], str]
    encode: Callable[[str], str]
    evidence: Callable[[str], bool]
    applies: Callable[[str], bool]  # which cells of a legacy column it may convert


ENCODINGS: dict[str, LegacyEncoding] = {
    "tcvn3": LegacyEncoding(
        "tcvn3",
        decode_tcvn3,
        encode_tcvn3,
        has_tcvn3_evidence,
        lambda s: fits_one_byte(s) and not s.isascii(),
    ),
    "vni": LegacyEncoding(
        "vni",
        decode_vni,
        encode_vni,
        has_vni_evidence,
        lambda s: fits_one_byte(s) and not s.isascii(),
    ),
    "viqr": LegacyEncoding(
        "viqr", decode_viqr, encode_viqr, has_viqr_evidence, lambda s: s.isascii()
    ),
}

#: A decoding must raise the share of valid syllables by at least this much to be believed.
MIN_GAIN = 0.15


def _best_reading(cells: list[str], names: Iterable[str]) -> str | None:
    text = " ".join(cells)
    before = plausibility(text)
    best, best_score = None, before + MIN_GAIN
    for name in names:
        after = plausibility(" ".join(ENCODINGS[name].decode(c) for c in cells))
        if after >= best_score:
            best, best_score = name, after
    return best


def detect_column_encoding(
    values: Iterable[str], threshold: float = 0.5, sample: int = 400
) -> str | None:
    """Name the legacy encoding of a column of text cells, or None if it is genuine Unicode.

    An encoding is a candidate when at least ``threshold`` of the cells it could apply to carry
    its evidence; the candidate whose decoding reads most like Vietnamese wins, provided it reads
    clearly better than the cells as they are.
    """
    cells = [v for v in values if v and not v.isdigit()][: sample * 4]
    candidates = []
    for name, enc in ENCODINGS.items():
        eligible = [v for v in cells if enc.applies(v)]
        if not eligible:
            continue
        hits = [v for v in eligible if enc.evidence(v)]
        if hits and len(hits) >= threshold * len([v for v in cells if not v.isascii()] or eligible):
            candidates.append(name)
    if not candidates:
        return None
    evidence_cells = [v for v in cells if any(ENCODINGS[n].evidence(v) for n in candidates)]
    return _best_reading(evidence_cells[:sample], candidates)


def convert_cell(text: str, column_encoding: str | None) -> tuple[str, str | None]:
    """Return (NFC text, encoding converted from or None) for one cell.

    A cell converts when its column was detected as legacy and the encoding applies to it, or
    when the cell alone carries evidence and its decoding reads clearly more like Vietnamese.
    Anything else is only normalised to NFC.
    """
    if column_encoding:
        enc = ENCODINGS[column_encoding]
        if enc.applies(text):
            return enc.decode(text), column_encoding
    elif not text.isascii() and fits_one_byte(text):
        names = [n for n, enc in ENCODINGS.items() if enc.evidence(text)]
        if names:
            best = _best_reading([text], names)
            if best:
                return ENCODINGS[best].decode(text), best
    return unicodedata.normalize("NFC", text), None
