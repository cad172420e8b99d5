"""Names spoilt on their way to the archive, read back to what was typed.

A contractor's copy tool that read UTF-8 names as Windows-1252 leaves "Há»“ sÆ¡" for "Hồ sơ";
a name typed in a TCVN3 or VNI font keeps the font's one-byte codes ("Hå s¬"). Both are read
back only when the reading is clearly more Vietnamese than the name as it stands (the share of
valid syllables, as the inventory's cells are judged: ``khaudit.inventory.encodings``), so a
name in genuine Unicode is never touched.
"""

from __future__ import annotations

from functools import lru_cache

from ..inventory.encodings import MIN_GAIN, convert_cell
from ..inventory.syllables import plausibility


def _as_utf8(text: str) -> str | None:
    """``text`` as the UTF-8 its characters' Windows-1252 (or Latin-1) bytes were, or None."""
    data = bytearray()
    for ch in text:
        if ord(ch) < 0x100:
            data.append(ord(ch))
        else:
            try:
                data += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=1 << 16)
def repaired(text: str) -> str:
    """``text`` read back from UTF-8 shown as Windows-1252, or from TCVN3/VNI font codes, when
    that reads clearly more like Vietnamese; else ``text``."""
    if text.isascii():
        return text
    utf8 = _as_utf8(text)
    if utf8 is not None and utf8 != text and plausibility(utf8) >= plausibility(text) + MIN_GAIN:
        return utf8
    return convert_cell(text, None)[0]
