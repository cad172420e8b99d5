"""Legacy Vietnamese encodings: detection and conversion to NFC Unicode.

Old inventories were typed with font encodings. An ``.xlsx`` typed in a TCVN3 (ABC) font stores
one-byte codes as Latin-1 characters, which show as mojibake (``Hå s¬`` for "Hồ sơ"). khaudit
converts such cells back and keeps the original beside the result.

Detection must never alter genuine Unicode text, so a cell is converted only on positive
evidence: every character fits in one byte *and* at least one is a code that no Vietnamese
Unicode text uses (``¬``, ``å``, ``®``...). A column in which most such cells carry evidence is
treated as legacy as a whole, so its evidence-free cells (``cã`` for "có") convert too.

TCVN3 has no toned capital letters: headings typed in the capital fonts (.VnTimeH) reuse the
lower-case codes, so they convert to lower case. khaudit keeps them so (it cannot know which
letters were meant as capitals); folded comparison in matching ignores case anyway.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

# TCVN 5712:1993 (VN3), the "ABC" font encoding: code point (as a Latin-1 character) -> letter.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ "
    "×ì Ýí Øỉ Üĩ Þị ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ ïù óú ñủ òũ ôụ "
    "\u00adư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ ¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items()}

# Latin-1 letters that genuine Vietnamese Unicode text uses; any other TCVN3 code is evidence.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TCVN3_EVIDENCE = frozenset(TCVN3_TO_UNICODE) - _VIETNAMESE_LATIN1


def decode_tcvn3(text: str) -> str:
    """Convert TCVN3 mojibake (as read from a spreadsheet cell) to NFC Unicode."""
    return unicodedata.normalize("NFC", "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text))


def encode_tcvn3(text: str) -> str:
    """Write Unicode text as a TCVN3 font user would have typed it (used by the demo and tests).

    Toned capitals do not exist in TCVN3: they are written with the lower-case code.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch])
        elif ch.lower() in UNICODE_TO_TCVN3 and not ch.isascii():
            out.append(UNICODE_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def has_tcvn3_evidence(text: str) -> bool:
    """True if ``text`` can only be TCVN3 mojibake, never genuine Vietnamese Unicode."""
    return all(ord(ch) < 256 for ch in text) and any(ch in _TCVN3_EVIDENCE for ch in text)


def fits_one_byte(text: str) -> bool:
    return all(ord(ch) < 256 for ch in text)


def encode_cp1258(text: str) -> bytes:
    """Encode as old Windows tools wrote CSV: precomposed base vowels, tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            # Re-attach the non-tone marks (circumflex, breve, horn) that cp1258 has precomposed.
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            shape = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
            out += (shape + "".join(tones)).encode("cp1258")
    return bytes(out)


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


#: Cell decoders by encoding name (one registry, extended by the inventory issue's encodings).
CELL_DECODERS: dict[str, Callable[[str], str]] = {"tcvn3": decode_tcvn3}
_EVIDENCE: dict[str, Callable[[str], bool]] = {"tcvn3": has_tcvn3_evidence}


def detect_column_encoding(values: Iterable[str], threshold: float = 0.5) -> str | None:
    """Name the legacy encoding of a column of text cells, or None if it is genuine Unicode.

    A column is legacy when at least ``threshold`` of its one-byte cells that contain letters
    beyond ASCII carry that encoding's evidence, and no cell holds a character beyond one byte
    that the encoding could not have produced.
    """
    candidates = [v for v in values if v and not v.isascii()]
    if not candidates:
        return None
    one_byte = [v for v in candidates if fits_one_byte(v)]
    for name, evidence in _EVIDENCE.items():
        hits = sum(1 for v in one_byte if evidence(v))
        if hits and hits >= threshold * len(candidates):
            return name
    return None


def convert_cell(text: str, column_encoding: str | None) -> tuple[str, str | None]:
    """Return (NFC text, encoding converted from or None) for one cell.

    A cell converts when its column was detected as legacy and the cell fits in one byte, or
    when the cell alone carries evidence. Anything else is only normalised to NFC.
    """
    if column_encoding and fits_one_byte(text) and not text.isascii():
        return CELL_DECODERS[column_encoding](text), column_encoding
    for name, evidence in _EVIDENCE.items():
        if evidence(text):
            return CELL_DECODERS[name](text), name
    return unicodedata.normalize("NFC", text), None
