"""How a clerk's keyboard writes Vietnamese into file names and logs.

Marks kept (NFC), decomposed (a Mac's NFD), dropped, or left as the keystrokes of an input
method that was switched off: Telex (``Quyeets ddinhj``) or VNI (``Quye6t1 d9inh5``). Then the
case, the separator, slips of the fingers, words run together. ``fold`` is the reader's view:
what survives every one of these, so the labelling rule compares folded words.
"""

from __future__ import annotations

import random
import re
import unicodedata

_TONES = {"\u0301": ("s", "1"), "\u0300": ("f", "2"), "\u0309": ("r", "3"), "\u0303": ("x", "4")}
_TONES["\u0323"] = ("j", "5")
#: base letter + shape mark -> (Telex keys, VNI keys)
_SHAPES = {
    "a\u0302": ("aa", "a6"),
    "e\u0302": ("ee", "e6"),
    "o\u0302": ("oo", "o6"),
    "a\u0306": ("aw", "a8"),
    "o\u031b": ("ow", "o7"),
    "u\u031b": ("uw", "u7"),
}


def fold(text: str) -> str:
    """Lower case, no marks, ``đ`` as ``d``, anything not a letter or digit a single space."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _keys(word: str, telex: bool) -> str:
    """One word as the keys an input method would have turned into it, tone last."""
    pick = 0 if telex else 1
    out: list[str] = []
    tone = ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch][pick]
        elif unicodedata.combining(ch) and out:
            base = out[-1]
            keys = _SHAPES.get(base.lower() + ch)
            if keys:
                k = keys[pick]
                out[-1] = (k[0].upper() + k[1:]) if base.isupper() else k
        elif ch in "đĐ":
            out.append(("dd" if telex else "d9") if ch == "đ" else ("DD" if telex else "D9"))
        else:
            out.append(ch)
    return "".join(out) + tone


def marks(text: str, mode: str) -> str:
    """The text with its marks as the clerk's setup leaves them."""
    if mode == "nfc":
        return unicodedata.normalize("NFC", text)
    if mode == "nfd":
        return unicodedata.normalize("NFD", text)
    if mode in ("telex", "vni"):
        return " ".join(_keys(w, mode == "telex") for w in text.split(" "))
    return strip_marks(text)


def case(text: str, mode: str) -> str:
    if mode == "upper":
        return text.upper()
    if mode == "lower":
        return text.lower()
    if mode == "title":
        return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    return text


def slip(word: str, rng: random.Random) -> str:
    """One slip of the fingers in a word of four letters or more: a letter dropped, doubled
    or two swapped. Digits are left alone (a number typed wrong is another number)."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def join(tokens: list[str], sep: str, camel: bool) -> str:
    if camel:
        return "".join(t[:1].upper() + t[1:] for t in tokens)
    return sep.join(tokens)
