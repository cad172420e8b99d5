"""What happens to Vietnamese text on its way: typed by a clerk, saved by an old tool.

Every transformation here is one a reader can see through or cannot, and ``labels`` says which:
marks folded and capitals are seen through by comparing folded; a TCVN3 or VNI glyph name or a
UTF-8 name read as Windows-1252 is read back whole (both are one-to-one on the characters used); a
cut is not seen through (the rest of the title is gone).
"""

from __future__ import annotations

import re
import unicodedata

from .vocab import ABBREVIATIONS

# TCVN3 (ABC) codes of the lower-case letters with marks; capitals with tones have no code,
# so a capital is written with its lower-case code (as .VnTimeH headings are).
_TCVN3_BASE = {"ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE}
_TCVN3_CAPS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
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
# grave, hook above, tilde, acute, dot below: the order of each tuple above
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def _tcvn3_char(ch: str) -> str:
    if ch in _TCVN3_BASE:
        return chr(_TCVN3_BASE[ch])
    if ch in _TCVN3_CAPS:
        return chr(_TCVN3_CAPS[ch])
    parts = unicodedata.normalize("NFD", ch)
    tone = next((m for m in parts if m in _TONES), "")
    if not tone:
        return ch
    base = unicodedata.normalize("NFC", parts.replace(tone, "")).lower()
    codes = _TCVN3_TONED.get(base)
    return chr(codes[_TONES.index(tone)]) if codes else ch


def tcvn3_glyphs(text: str) -> str:
    """The text typed in a TCVN3 font, as a Unicode system shows its bytes ("Hå s¬")."""
    return "".join(_tcvn3_char(ch) for ch in unicodedata.normalize("NFC", text))


# VNI-Windows: a base letter, then one byte for the vowel's hat, horn or breve and its tone
# together; ơ, ư, đ and the three letters i's tones have codes of their own.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT = {"\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä", "": "â"}
_VNI_BREVE = {"\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë", "": "ê"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_OWN = {"ơ": "ô", "ư": "ö", "đ": "ñ", "Ơ": "Ô", "Ư": "Ö", "Đ": "Ñ"}


def _vni_char(ch: str) -> str:
    if ch in _VNI_OWN:
        return _VNI_OWN[ch]
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _TONES), "")
    if "\u0302" in marks:
        code = _VNI_HAT[tone]
    elif "\u0306" in marks:
        code = _VNI_BREVE[tone]
    elif "\u031b" in marks:
        base = _VNI_OWN[unicodedata.normalize("NFC", base + "\u031b")]
        code = _VNI_TONE.get(tone, "")
    elif base in "iI" and tone:
        return _VNI_I[tone].upper() if base == "I" else _VNI_I[tone]
    elif tone:
        code = _VNI_TONE[tone]
    else:
        return ch
    return base + (code.upper() if base.isupper() else code)


def vni_glyphs(text: str) -> str:
    """The text typed in a VNI-Windows font, as a Unicode system shows its bytes ("Hoaø")."""
    return "".join(_vni_char(ch) for ch in unicodedata.normalize("NFC", text))


def mojibake(text: str) -> str:
    """A UTF-8 name read as Windows-1252 ("Há»“ sÆ¡"); the five bytes 1252 leaves undefined
    become the control characters Windows maps them to."""
    out = []
    for byte in unicodedata.normalize("NFC", text).encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def fold(text: str) -> str:
    """No marks, đ as d: how a name typed without an input method reads."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def match_form(text: str) -> str:
    """The form ``labels`` compares typed and inventory titles in: folded, lower case, the
    office's abbreviations applied, punctuation as single spaces."""
    text = unicodedata.normalize("NFC", text)
    for long, short in ABBREVIATIONS:
        text = re.sub(re.escape(long), short, text, flags=re.IGNORECASE)
    text = fold(text).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def abbreviate(text: str) -> str:
    for long, short in ABBREVIATIONS:
        text = re.sub(re.escape(long), short, text, flags=re.IGNORECASE)
    return text


def short83(base: str, ordinal: int, ext: str) -> str:
    """The DOS 8.3 alias Windows gives a long name: the first six letters or digits that
    8.3 allows, upper case, then ``~N`` (``ordinal``: the N-th such name in its folder)."""
    letters = re.sub(r"[^0-9A-Z_$%'\-@{}~!#()&^]", "", fold(base).upper().replace(" ", ""))
    return f"{letters[:6]}~{ordinal}.{ext.upper()[:3]}"


def short83_prefix(base: str) -> str:
    return short83(base, 1, "x").split("~")[0]


def cut(text: str, limit: int) -> str:
    """The clerk's field takes ``limit`` characters and no more, even inside a number."""
    return text[:limit]


def drop_letter(text: str, index: int) -> str:
    """A letter left out inside a word of four letters or more (never a digit, never a
    first letter: those the rule does not read through)."""
    letters = [m.start() for m in re.finditer(r"(?<=\w)[^\W\d_](?=\w\w)", text)]
    if not letters:
        return text
    at = letters[index % len(letters)]
    return text[:at] + text[at + 1 :]
