"""Titles as a scanning operator types them, and how much of the real title survives.

An operator abbreviates the office's way ("V/v" for "về việc", "Q.I/2019" for "quý I năm 2019",
"HKD", "TDP", "ô." for "ông"), drops the marks on some or all words, types in capitals, joins
words with dots or underscores, slips a letter, runs two words together and stops at the field's
length, even inside a number. ``typed_title`` returns the typed text and the *covered* part of
the original: the words typed whole and the prefix of the word it stopped in. The labelling
reads only the covered part, so a title cut before its deciding word is labelled as such.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

#: phrase (lower case, as written) -> ways offices shorten it; longest phrases first.
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("giấy chứng nhận quyền sử dụng đất", ("GCN QSDĐ", "GCNQSDĐ", "GCN QSD đất")),
    ("đăng ký kết hôn", ("ĐKKH", "ĐK kết hôn")),
    ("đăng ký khai sinh", ("ĐKKS", "ĐK khai sinh")),
    ("thực hiện nhiệm vụ", ("TH nhiệm vụ", "t/h NV")),
    ("giấy phép xây dựng", ("GPXD", "GP xây dựng")),
    ("quyền sử dụng đất", ("QSDĐ", "QSD đất")),
    ("kinh tế - xã hội", ("KT-XH", "KTXH", "KT - XH")),
    ("ủy ban nhân dân", ("UBND",)),
    ("tờ bản đồ số", ("TBĐ", "tờ BĐ", "TBĐ số")),
    ("hộ kinh doanh", ("HKD",)),
    ("tổ dân phố", ("TDP",)),
    ("thửa đất số", ("thửa", "TĐ")),
    ("quyết định", ("QĐ",)),
    ("giải quyết", ("GQ",)),
    ("hồ sơ", ("HS", "Hs")),
    ("báo cáo", ("BC",)),
    ("kế hoạch", ("KH",)),
    ("chủ tịch", ("CT",)),
    ("về việc", ("V/v", "vv")),
    ("quyển số", ("Q.", "quyển")),
    ("ông", ("ô.",)),
    ("bà", ("b.",)),
)
_RULES = [(tuple(p.split(" ")), forms) for p, forms in ABBREVIATIONS]
_QUARTER = re.compile(r"^(I|II|III|IV)$")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def fold(text: str) -> str:
    """No marks, lower case, letters and digits only, single spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


@dataclass(frozen=True)
class TypingHabit:
    """How one operator types (drawn once per locality and convention)."""

    abbreviate: float  # chance a known phrase is shortened
    marks: str  # keep | strip | half | nfd
    case: str  # asis | upper | lower
    joiner: str  # between words
    slips: float  # chance per word of a dropped, doubled or swapped letter, or a run-on
    limit: int  # characters kept


@dataclass(frozen=True)
class Typed:
    text: str
    covered: str  # folded original words typed whole, then the prefix of the cut word


def _bare(word: str) -> str:
    return word.rstrip(",.;:").lower()


def _tokens(
    words: list[str], habit: TypingHabit, rng: random.Random
) -> list[tuple[str, int, int, bool]]:
    """(text, first word, end word, is_plain_word) after abbreviation."""
    out: list[tuple[str, int, int, bool]] = []
    bare = [_bare(w) for w in words]
    i = 0
    while i < len(words):
        if (
            words[i].lower() == "quý"
            and i + 3 < len(words)
            and _QUARTER.match(words[i + 1])
            and bare[i + 2] == "năm"
            and rng.random() < habit.abbreviate
        ):
            q, year = words[i + 1], bare[i + 3]
            form = rng.choice((f"Q.{q}/{year}", f"Q{_ROMAN[q]}-{year}", f"quý {_ROMAN[q]}/{year}"))
            out.append((form, i, i + 4, False))
            i += 4
            continue
        for phrase, forms in _RULES:
            k = len(phrase)
            if (
                bare[i] == phrase[0]
                and tuple(bare[i : i + k]) == phrase
                and rng.random() < habit.abbreviate
            ):
                tail = words[i + k - 1][len(bare[i + k - 1]) :]
                out.append((rng.choice(forms) + tail, i, i + k, False))
                i += k
                break
        else:
            out.append((words[i], i, i + 1, True))
            i += 1
    return out


def _slip(word: str, rng: random.Random) -> str:
    letters = [j for j, c in enumerate(word) if c.isalpha()]
    if len(letters) < 4:
        return word
    j = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return word[:j] + word[j + 1 :]
    if kind == 1:
        return word[:j] + word[j] + word[j:]
    return word[:j] + word[j + 1] + word[j] + word[j + 2 :] if j + 1 < len(word) else word


def _marks(text: str, habit: TypingHabit, rng: random.Random) -> str:
    if habit.marks == "strip" or (habit.marks == "half" and rng.random() < 0.5):
        return strip_marks(text)
    return text


def _case(text: str, habit: TypingHabit) -> str:
    if habit.case == "upper":
        return text.upper()
    if habit.case == "lower":
        return text.lower()
    return text


def typed_title(title: str, habit: TypingHabit, rng: random.Random) -> Typed:
    """The operator's version of ``title`` and the folded part of the original it covers."""
    words = title.split(" ")
    pieces: list[tuple[str, int, int, bool]] = []  # text as typed, span of original words
    for text, first, end, plain in _tokens(words, habit, rng):
        if plain and not any(c.isdigit() for c in text) and rng.random() < habit.slips:
            text = _slip(text, rng)
        pieces.append((_case(_marks(text, habit, rng), habit), first, end, plain))
    out, covered_words, partial = "", 0, ""
    for n, (text, first, end, plain) in enumerate(pieces):
        run_on = n > 0 and rng.random() < habit.slips / 2
        sep = "" if n == 0 or run_on else habit.joiner
        room = habit.limit - len(out) - len(sep)
        if room <= 0:
            break
        if len(text) <= room:
            out += sep + text
            covered_words = end
            continue
        out += sep + text[:room]
        if plain:
            partial = fold(words[first])[: len(fold(text[:room]))]
        break
    covered = " ".join(fold(w) for w in words[:covered_words] if fold(w))
    if partial:
        covered = f"{covered} {partial}".strip()
    text = out.rstrip(" _.-,")
    if habit.marks == "nfd":
        text = unicodedata.normalize("NFD", text)
    return Typed(text, covered if not partial else covered + "\x00")


def title_fits(covered: str, folded_title: str) -> bool:
    """Whether a title could be the one typed: its words begin with the covered part."""
    if covered.endswith("\x00"):  # stopped inside a word: the last word is a prefix
        return folded_title.startswith(covered[:-1])
    return folded_title == covered or folded_title.startswith(covered + " ")
