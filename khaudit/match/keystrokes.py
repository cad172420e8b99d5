"""Names typed with the Vietnamese input method off, read back to their letters.

An operator whose Telex or VNI keyboard was switched off types the keystrokes themselves:
"Quyeets ddinhj" (Telex) or "Quye6t1 d9inh5" (VNI) for "Quyết định". Matching compares
titles without marks, so only the letters matter: the keys that would have made a mark are
dropped ("quyet dinh"). A folded Vietnamese word never ends in s, f, r, x or j, never holds
a w, "dd" or a doubled a, e or o, and never has a digit after a letter; a name is read back
only when several of its words show such keys, so an abbreviation ("HS", "KS") or a code
("H56") in an ordinary name stays as typed.
"""

from __future__ import annotations

import re

from ..textnorm import fold

#: Words with keystrokes a name needs, and their share of its words, to be read back.
MIN_KEYED_WORDS = 2
MIN_KEYED_SHARE = 0.3

_VOWELS = "aeiouy"
_TELEX_TONE = re.compile(r"(?<=[aeiouycmnptgh])[sfrxj]$")
_TELEX_SHAPE = re.compile(r"w|^dd|aa|ee|oo")
#: A VNI key: a digit 1-9 straight after a letter, inside a word of letters ("quye6t1",
#: "d9inh5", "ho62"), never a number of its own ("so 12", "Q2": one digit after a capital
#: and nothing else is a quarter, not a key).
_VNI_KEY = re.compile(r"(?<=[a-z])[1-9]+")
_VNI_WORD = re.compile(r"^[a-z]+[1-9]+(?:[a-z]+[1-9]*)*$")
#: A capital after a small letter starts a word of a name typed run together
#: ("PhamjQuoocsTaam").
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[1-9])(?=[A-Z][a-z])")
#: A VNI key between letters ("d9inh", "co6ng"): no code or count writes a digit so.
_VNI_INSIDE = re.compile(r"[a-z][1-9][a-z]")


def _telex_keyed(word: str) -> bool:
    if word.startswith("dd"):  # "DDK" for "ĐK"
        return True
    if not any(ch in _VOWELS for ch in word[:-1]):
        return False
    return bool(_TELEX_SHAPE.search(word) or _TELEX_TONE.search(word))


def _vni_keyed(word: str) -> bool:
    vowel = any(ch in _VOWELS for ch in word) and len(word) > 2
    return bool(_VNI_WORD.match(word)) and (vowel or "d9" in word)  # "D9K" for "ĐK"


def _untelex(word: str) -> str:
    word = _TELEX_TONE.sub("", word)
    word = word.replace("dd", "d")
    word = re.sub(r"([aeo])\1", r"\1", word)
    return word.replace("w", "") if any(ch in _VOWELS for ch in word) else word


def _unvni(word: str) -> str:
    return _VNI_KEY.sub("", word)


def read_back(text: str) -> str:
    """``text`` folded with its Telex or VNI keystrokes dropped, when enough of its words
    carry them (``MIN_KEYED_WORDS``, ``MIN_KEYED_SHARE``) or one word a VNI key between its
    letters ("D9inhThanhHuy"); else ``text`` unchanged."""
    words = fold(_CAMEL.sub(" ", text)).split()
    floor = max(MIN_KEYED_WORDS, MIN_KEYED_SHARE * len(words))
    for keyed, undo in ((_telex_keyed, _untelex), (_vni_keyed, _unvni)):
        inside = keyed is _vni_keyed and any(_VNI_INSIDE.search(w) for w in words)
        if inside or sum(map(keyed, words)) >= floor:
            return " ".join(undo(w) if keyed(w) else w for w in words)
    return text
