"""Is a word a possible Vietnamese syllable? The judge between candidate decodings.

A legacy-encoded cell can often be read as more than one encoding (TCVN3 and VNI share many
codes). The right reading is the one whose words are Vietnamese syllables: an onset, a vowel
cluster, a final consonant, and at most one tone mark. Genuine text scores high as it is, so it
is never "improved" into mojibake.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_NUCLEUS = (
    r"(?:uye|uya|uyu|ieu|yeu|uoi|uou|oai|oay|oeo|uay|"
    r"ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|"
    r"[aeiouy])"
)
_CODA = r"(?:ch|nh|ng|[cmnpt])?"
_SYLLABLE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")
_WORD = re.compile(r"[^\W\d_]+|\S+")


def is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONES for ch in decomposed) > 1:
        return False
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bool(_SYLLABLE.match(bare))


def plausibility(text: str) -> float:
    """Share of the words in ``text`` that are Vietnamese syllables (1.0 for no words).

    Words with digits or punctuation only are left out; a word mixing letters with symbols
    (mojibake such as "s¬") counts as not a syllable.
    """
    words = [w for w in _WORD.findall(text) if any(ch.isalpha() for ch in w)]
    if not words:
        return 1.0
    return sum(is_syllable(w) for w in words) / len(words)
