"""How an office's old tools write Vietnamese: the encoders an inventory or export is saved in.

Each encoder takes NFC text and returns what the file holds: a ``str`` for spreadsheet cells
(a legacy font's one-byte codes shown as Latin-1 characters, which is what Excel stores for a
cell typed in .VnTime or VNI-Times) and ``bytes`` for text files. The tables are written here
from the fonts' code charts, not borrowed from khaudit's decoders, so a mistake in either
shows up as a wrong title rather than cancelling out.
"""

from __future__ import annotations

import unicodedata

_BASES = "aăâeêioôơuưy"
_TONES = (
    "",
    "\u0300",
    "\u0309",
    "\u0303",
    "\u0301",
    "\u0323",
)  # none, huyền, hỏi, ngã, sắc, nặng
# TCVN3 (ABC) lower-case codes: for each base, the codes of its five toned forms in the order
# of _TONES[1:] (grave, hook, tilde, acute, dot below).
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_PLAIN = {
    "ă": 0xA8,
    "â": 0xA9,
    "ê": 0xAA,
    "ô": 0xAB,
    "ơ": 0xAC,
    "ư": 0xAD,
    "đ": 0xAE,
}
_TCVN3_CAPS = {
    "Ă": 0xA1,
    "Â": 0xA2,
    "Ê": 0xA3,
    "Ô": 0xA4,
    "Ơ": 0xA5,
    "Ư": 0xA6,
    "Đ": 0xA7,
}

# VNI-Windows: a base letter, then one byte for its shape mark and tone together.
_VNI_TONE = {"\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0301": "ù", "\u0323": "ï"}
_VNI_CIRC = {
    "": "â",
    "\u0300": "à",
    "\u0309": "å",
    "\u0303": "ã",
    "\u0301": "á",
    "\u0323": "ä",
}
_VNI_BREVE = {
    "": "ê",
    "\u0300": "è",
    "\u0309": "ú",
    "\u0303": "ü",
    "\u0301": "é",
    "\u0323": "ë",
}
_VNI_I = {"\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0301": "í", "\u0323": "ò"}


def _split(char: str) -> tuple[str, str, str]:
    """A letter as (base letter, shape mark: circumflex/breve/horn, tone mark)."""
    parts = unicodedata.normalize("NFD", char)
    base, shape, tone = parts[0], "", ""
    for mark in parts[1:]:
        if mark in _TONES:
            tone = mark
        else:
            shape = mark
    return base, shape, tone


def tcvn3(text: str) -> str:
    """TCVN3 (ABC) as Excel shows a .VnTime cell: toned capitals take the lower-case codes,
    as the capital fonts (.VnTimeH) do."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _TCVN3_CAPS:
            out.append(chr(_TCVN3_CAPS[char]))
            continue
        base, shape, tone = _split(char)
        lower = unicodedata.normalize("NFC", (base + shape).lower())
        if lower == "đ" or (lower in _TCVN3_PLAIN and not tone):
            out.append(chr(_TCVN3_PLAIN[lower]))
        elif tone and lower in _TCVN3_TONED:
            out.append(chr(_TCVN3_TONED[lower][_TONES.index(tone) - 1]))
        else:
            out.append(char if ord(char) < 0x80 else "?")
    return "".join(out)


def vni(text: str) -> str:
    """VNI-Windows as Excel shows a VNI-Times cell."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append("ñ" if char == "đ" else "Ñ")
            continue
        base, shape, tone = _split(char)
        upper = base.isupper()
        if not shape and not tone:
            out.append(char if ord(char) < 0x80 else "?")
            continue
        if shape == "\u0302":
            mark = _VNI_CIRC[tone]
        elif shape == "\u0306":
            mark = _VNI_BREVE[tone]
        elif shape == "\u031b":
            base = {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base]
            mark = _VNI_TONE.get(tone, "")
        elif base in "iI":  # i with a tone is one code of its own
            base, mark = "", _VNI_I[tone]
        elif base in "yY" and tone == "\u0323":  # ỵ too
            base, mark = "", "î"
        else:
            mark = _VNI_TONE[tone]
        out.append(base + (mark.upper() if upper else mark))
    return "".join(out)


def cp1258(text: str) -> bytes:
    """Windows-1258: vowels with circumflex, breve or horn precomposed, tones combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        base, shape, tone = _split(char)
        out.append(unicodedata.normalize("NFC", base + shape) + tone)
    return "".join(out).encode("cp1258", errors="replace")


_VIQR_SHAPE = {"\u0302": "^", "\u0306": "(", "\u031b": "+"}
_VIQR_TONE = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
_VIQR_MARKS = set("^(+'`?~.")


def viqr(text: str) -> str:
    """VIQR: ASCII marks after the letter (``Vie^.t``), ``dd`` for đ; a mark character
    typed after a bare vowel is escaped with a backslash, as VIQR writes it."""
    out: list[str] = []
    for k, char in enumerate(unicodedata.normalize("NFC", text)):
        if char in "đĐ":
            out.append("dd" if char == "đ" else "DD")
            continue
        base, shape, tone = _split(char)
        if base.lower() in "aeiouy" and not shape and not tone:
            nxt = text[k + 1 : k + 2]
            out.append(char + ("\\" if nxt and nxt in _VIQR_MARKS else ""))
            continue
        out.append(base + _VIQR_SHAPE.get(shape, "") + _VIQR_TONE.get(tone, ""))
    return "".join(out)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def fold(text: str) -> str:
    """Without marks, đ as d: how a file name or an operator's typing drops them."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cell(text: str, encoding: str) -> str:
    """A spreadsheet cell's text in the inventory's encoding."""
    return {"tcvn3": tcvn3, "vni": vni, "nfd": nfd, "viqr": viqr}.get(encoding, _same)(text)


def text_bytes(text: str, encoding: str) -> bytes:
    """A text file's bytes in its encoding (legacy fonts' codes as Windows writes them)."""
    if encoding == "cp1258":
        return cp1258(text)
    if encoding == "viqr":
        return viqr(text).encode("ascii", errors="replace")
    if encoding in ("tcvn3", "vni"):
        return cell(text, encoding).encode("latin-1", errors="replace")
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return cell(text, encoding).encode("utf-8")


def _same(text: str) -> str:
    return text
