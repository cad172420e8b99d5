"""Untrusted text (file names, inventory cells, locality names) made harmless for where it is
shown: a terminal, a matplotlib chart, a file name. One helper per medium, used at the point
where such text leaves khaudit, so a name is stored exactly as typed and escaped only on show.
"""

from __future__ import annotations

import re

#: Longest name khaudit gives a file or folder it makes, in UTF-8 bytes (file systems allow
#: 255; the rest is left for suffixes such as ".xlsx" and atomic writes' ".tmp" names).
NAME_BYTES = 120

_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def for_terminal(text: object, lines: bool = False) -> str:
    """``text`` with every character a terminal would act on written as an escape.

    Control characters (ESC of an ANSI sequence, CR that rewrites a line, LF that starts a fake
    one), C1 controls, bidirectional overrides and undecodable bytes (surrogate escapes) are
    shown as ``\\x1b``, ``\\u202e``…; printable text, Vietnamese included, is unchanged.
    ``lines`` keeps line feeds, for a message khaudit itself wrote on several lines.
    """
    text = str(text)
    if text.isprintable():
        return text
    keep = " \n" if lines else " "
    return "".join(ch if ch.isprintable() or ch in keep else _escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def for_mathtext(text: object) -> str:
    """``text`` as matplotlib shows it literally: a "$" would start mathtext, where ``_``,
    ``^`` and ``\\`` are operators and an unbalanced pair raises an error."""
    return str(text).replace("$", r"\$")


def for_filename(text: str, limit: int = NAME_BYTES) -> str:
    """``text`` as one safe file or folder name: no separator, reserved or control character,
    no Windows device name, no leading dot, at most ``limit`` UTF-8 bytes (a longer name is
    cut and ends with a digest of the whole, so two long names stay apart)."""
    name = _RESERVED.sub("_", text).strip(" .") or "_"
    if name.split(".")[0].lower() in _WINDOWS_DEVICES:
        name = f"_{name}"
    encoded = name.encode("utf-8")
    if len(encoded) <= limit:
        return name
    import hashlib  # only a long name needs it; the command line imports this module at start

    tag = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    cut = encoded[: limit - len(tag) - 1].decode("utf-8", "ignore").rstrip(" .-")
    return f"{cut}-{tag}"
