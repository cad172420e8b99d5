"""A scan title read against one record title the way an operator types: pair by pair.

The vectorised score (scoring.py) finds a scan word in a record only when the two are the same
word, or when the scan word is a typo of one inventory word the whole locality agrees on. What
an operator does to a title is often only readable against the record it was typed from:

- an initialism of the record's words, any office's ("CT" for "Chủ tịch", "LĐTBXH", "PCT"):
  a scan word the inventory never uses, or one without a vowel, that spells the first letters
  of as many consecutive record words (two letters only for words of the office's vocabulary,
  not a person's name);
- a word with a letter dropped, doubled or two letters swapped, three letters long or more
  ("cah" for "cách", "khia" for "khai"), which the locality-wide reading leaves alone because a
  short word is one edit from many: against one record it is one edit from one of its words
  at most; a changed letter only in a longer word the inventory never uses (a changed letter
  in a short word is another name: "Tân", "Tâm", "Lâm");
- two record words typed together ("qyuenso" for "quyển số"), with a typo or without, by a
  word the inventory never uses;
- the last word cut short by a name's length limit, at whatever length the name was cut
  ("… xã Vạn Th"), read as the record word it begins where typing in order puts it.

Each scan word is read as the record words it stands for, once, and only as words the scan
does not already have; it then counts as those words (their IDF) with a credit below one for a
typo (rapidfuzz's Indel similarity: a dropped letter keeps more than a changed one, so "thy"
reads "thùy" rather than "thị"). Numbers are never re-read: they are hard evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import OSA, Indel

#: A scan word re-read as a typo is at least this long, and at most this many edits (optimal
#: string alignment: a swap is one) from the record word; longer words may take two.
TYPO_MIN_LETTERS = 3
LONG_WORD = 7
#: A word the inventory never uses may have a letter changed only from this many letters.
CHANGED_LETTER_MIN = 5
#: Initialisms are this many letters long.
INITIALISM_LETTERS = range(2, 7)
VOWELS = frozenset("aeiouy")

#: A scan token: the word (repeats untagged), its column in the inventory's vocabulary (-1 when
#: the inventory never uses it), the weight it adds to the scan's total and the weight it adds
#: where found (less for a typo the locality-wide reading resolved).
ScanToken = tuple[str, int, float, float]
#: A record token: the word, its column, and the word it is taken for when the inventory
#: mistyped it ("thắg" for "thắng", see scoring.TitleIndex) with the weight that reading
#: earns ("" and 0 when none).
RecordToken = tuple[str, int, str, float]


class Reading:
    """What re-reading one scan title against one record adds: to the weight found, to the
    scan's total weight, and to the number of record words the scan spans; and each re-read
    word as (its index in the scan, the record words it stands for, the weight found)."""

    __slots__ = ("found", "total", "length", "used", "links", "cut_number")

    def __init__(self) -> None:
        self.found = 0.0
        self.total = 0.0
        self.length = 0
        self.used: set[int] = set()
        self.links: list[tuple[int, tuple[int, ...], float]] = []
        #: The scan's last word, a number, was read as the record's number cut short: it is
        #: then no number the record lacks.
        self.cut_number = False

    def take(
        self, token: tuple[int, ScanToken], run: Sequence[int], weight: float, credit: float
    ) -> None:
        self.found += credit * weight
        self.total += weight - token[1][2]
        self.length += len(run) - 1
        self.used.update(run)
        self.links.append((token[0], tuple(run), credit * weight))


def read_as_typed(
    scan: Sequence[ScanToken],
    record: Sequence[RecordToken],
    scan_cols: frozenset[int],
    record_cols: frozenset[int],
    idf: np.ndarray,
    common_idf: float = 0.0,
) -> Reading:
    """The words of ``scan`` the record lacks, read as record words the scan lacks.
    ``common_idf`` bounds the IDF of words a two-letter initialism may stand for."""
    reading = Reading()
    cut = _cut_last(scan, record, scan_cols, record_cols, idf, reading)
    # A word the locality-wide reading took for a typo (found < total) is that reading's
    # guess, not what was typed: it is not read again.
    # (An unknown word's column, -1, is never among the record's: that set is asked first, as
    # most of a candidate's words are the record's.)
    loose = [
        (i, tok)
        for i, tok in enumerate(scan[: len(scan) - cut] if cut else scan)
        if tok[1] not in record_cols and (tok[1] < 0 or tok[3] >= tok[2]) and not tok[0].isdigit()
    ]
    if not loose:
        return reading
    free = [
        k
        for k, (word, col, _, _) in enumerate(record)
        if col not in scan_cols and len(word) > 1 and not word.isdigit()
    ]
    if not free:
        return reading
    for token in loose:
        if _initialism(token, record, free, idf, reading, common_idf):
            continue
        # (A word of the locality's own is never two words run together: see _joined.)
        if token[1][1] < 0 and _joined(token, record, free, idf, reading):
            continue
        _typo(token, record, free, idf, reading)
    return reading


def _cut_last(
    scan: Sequence[ScanToken],
    record: Sequence[RecordToken],
    scan_cols: frozenset[int],
    record_cols: frozenset[int],
    idf: np.ndarray,
    reading: Reading,
) -> int:
    """The scan title's last word cut short by a name's length limit, wherever it fell ("…
    xã Vạn Th" for "Vạn Thắng", "… tờ bản đồ số 1" for "số 18"): read as the record word it
    begins when that word follows the record word the scan's word before it is, as typing in
    order puts it. Numbers too: the record's number, not another. 1 when read, else 0."""
    if len(scan) < 2:
        return 0
    word, col, _, _ = scan[-1]
    before = scan[-2][1]
    # (Every record word's column is among ``record_cols``: a word before the record lacks
    # is nowhere in it.)
    if (col >= 0 and col in record_cols) or before not in record_cols:
        return 0
    for k in range(len(record) - 1):
        meant, meant_col = record[k + 1][0], record[k + 1][1]
        if (
            record[k][1] == before
            and len(meant) > len(word)
            and meant.startswith(word)
            and meant_col not in scan_cols
        ):
            reading.take((len(scan) - 1, scan[-1]), (k + 1,), float(idf[meant_col]), 1.0)
            reading.cut_number = word.isdigit()
            return 1
    return 0


def _initialism(
    token: tuple[int, ScanToken],
    record: Sequence[RecordToken],
    free: list[int],
    idf: np.ndarray,
    reading: Reading,
    common_idf: float,
) -> bool:
    word = token[1][0]
    if len(word) not in INITIALISM_LETTERS or not word.isalpha():
        return False
    if token[1][1] >= 0 and VOWELS & set(word):
        return False  # a word of the locality's own ("hồ", "an"), not letters standing for words
    open_ = set(free) - reading.used
    for start in free:
        run = range(start, start + len(word))
        if not all(k in open_ for k in run) or "".join(record[k][0][0] for k in run) != word:
            continue
        # Two letters spell many pairs of words: they stand only for words of the office's
        # vocabulary ("CT", "chủ tịch"), never for a person's name ("Cao Tấn").
        if len(word) == 2 and any(idf[record[k][1]] > common_idf for k in run):
            continue
        reading.take(token, run, sum(idf[record[k][1]] for k in run), 1.0)
        return True
    return False


def _joined(
    token: tuple[int, ScanToken],
    record: Sequence[RecordToken],
    free: list[int],
    idf: np.ndarray,
    reading: Reading,
) -> bool:
    word = token[1][0]
    if token[1][1] >= 0 or len(word) < 2 * TYPO_MIN_LETTERS - 1:
        return False  # a word of the locality's own ("thuận") is not two words run together
    open_ = set(free) - reading.used
    for start in free:
        run = (start, start + 1)
        if start + 1 not in open_ or start not in open_:
            continue
        together = record[start][0] + record[start + 1][0]
        if OSA.distance(word, together, score_cutoff=1) <= 1:
            credit = 1.0 if word == together else Indel.normalized_similarity(word, together)
            reading.take(token, run, idf[record[start][1]] + idf[record[start + 1][1]], credit)
            return True
    return False


def _mistyped(typed: str, meant: str, known: bool) -> bool:
    """Whether ``typed`` is ``meant`` with a letter dropped or doubled, or two letters swapped;
    a word of five letters or more the inventory never uses may also have one letter changed
    (two from seven letters). A changed letter in a short word is another word ("Tân" is not
    "Tâm"), and a word the inventory uses is re-read only for a dropped or doubled letter."""
    if abs(len(typed) - len(meant)) > (1 if known else 2):
        return False  # more letters apart than any of these edits makes (most pairs)
    if Indel.distance(typed, meant, score_cutoff=1) <= 1:
        return True  # a letter dropped or doubled
    if known:
        return False
    if len(typed) == len(meant) and sorted(typed) == sorted(meant):
        return OSA.distance(typed, meant, score_cutoff=1) <= 1  # two letters swapped
    if min(len(typed), len(meant)) < CHANGED_LETTER_MIN:
        return False
    edits = 2 if min(len(meant), len(typed)) >= LONG_WORD else 1
    return OSA.distance(typed, meant, score_cutoff=edits) <= edits


def _typo(
    token: tuple[int, ScanToken],
    record: Sequence[RecordToken],
    free: list[int],
    idf: np.ndarray,
    reading: Reading,
) -> None:
    word = token[1][0]
    if len(word) < TYPO_MIN_LETTERS:
        return
    # "quynso 01": the "số" both sides drop before a number, typed onto the word before it.
    forms = (
        [word, word[:-2]] if word.endswith("so") and len(word) > 2 + TYPO_MIN_LETTERS else [word]
    )
    known = token[1][1] >= 0
    # _mistyped's first test, made here on lengths: most record words fail it.
    slack = 1 if known else 2
    shortest, longest = len(forms[-1]) - slack, len(word) + slack
    best: tuple[float, int] | None = None
    for k in free:
        meant = record[k][0]
        if not (shortest <= len(meant) <= longest) or len(meant) < TYPO_MIN_LETTERS:
            continue
        if k in reading.used:
            continue
        for form in forms:
            if not _mistyped(form, meant, known=known):
                continue
            similarity = Indel.normalized_similarity(form, meant)
            if best is None or similarity > best[0]:
                best = (similarity, k)
    if best is not None:
        reading.take(token, (best[1],), idf[record[best[1]][1]], best[0])


def in_order(
    scan: Sequence[ScanToken],
    record: Sequence[RecordToken],
    reading: Reading,
    idf: np.ndarray,
    limit: int,
) -> float:
    """The weight the scan finds in the record with its words in the record's order, among
    the record's first ``limit`` words: an operator types a title from its start, in order,
    so "… từ ông Bùi Thanh Đạt sang" does not fit "… từ ông Bùi Ngọc Luân sang bà Huỳnh Thanh
    Oanh, thửa đất" however many of its words that title has somewhere. A number ends a
    field ("tờ 20", "thửa 301", "quý 2"): fields are read in order each, in any order
    between them, as "Tờ 20 thửa 301" names the parcel the title calls "thửa đất số 301, tờ
    bản đồ số 20"."""
    where: dict[str, list[tuple[int, float]]] = {}
    for j, (word, col, meant, weight) in enumerate(record[:limit]):
        where.setdefault(word, []).append((j, float(idf[col])))
        if meant:  # the inventory's own typo, read as the word it stands for
            where.setdefault(meant, []).append((j, weight))
    # Matches are gathered by field as they are found (a field ends after each number), the
    # scan's words first, in order, then its words read as typed.
    by_field: dict[int, list[tuple[int, int, int, float]]] = {}
    fields: list[int] = []
    field = 0
    for i, (word, col, total, found) in enumerate(scan):
        fields.append(field)
        if col >= 0 and found > 0 and word in where:
            share = found / total
            by_field.setdefault(field, []).extend([(i, j, j, share * w) for j, w in where[word]])
        if word.isdigit():
            field += 1
    for i, run, weight in reading.links:
        if run[-1] < limit:
            by_field.setdefault(fields[i], []).append((i, run[0], run[-1], weight))
    in_fields = sum(_longest_chain(sorted(ms)) for ms in by_field.values())
    best: dict[int, float] = {}
    for ms in by_field.values():
        for i, _, _, w in ms:
            best[i] = max(best.get(i, 0.0), w)
    if in_fields >= ROTATE_BELOW * sum(best.values()):
        return in_fields  # in order already, or nearly: no rotation can add much
    return max(in_fields, _rotated(by_field, len(scan)))


#: Rotations are tried only where the words in order find less than this share of what the
#: words found anywhere in the record weigh (a title typed in order needs none).
ROTATE_BELOW = 0.9
#: Scan titles this long at most are tried with their words rotated (each rotation costs a
#: chain); longer ones are typed titles, not an owner and a procedure.
ROTATED_MAX_WORDS = 12


def _rotated(by_field: dict[int, list[tuple[int, int, int, float]]], n: int) -> float:
    """The heaviest chain of the scan's words read from a word onwards and then from its start:
    an owner typed before the procedure ("Tô Quốc Tài kết hôn") is the title's "kết hôn giữa
    anh Tô Quốc Tài" in its order, where "… từ ông Bùi Thanh Đạt sang" stays what it is
    against "… Bùi Ngọc Luân sang bà Huỳnh Thanh Oanh" (no rotation puts its words in that
    order)."""
    if not 3 <= n <= ROTATED_MAX_WORDS:
        return 0.0
    matches = [m for ms in by_field.values() for m in ms]
    best = 0.0
    # What was typed first is a name of two words or more, and either it has three or what
    # follows has two: "Nguyễn Văn Nam CT", "Lê Lợi kết hôn"; "Tạ Quang Dũng" turned
    # ("Dũng Tạ Quang") is another name.
    for k in (k for k in range(2, n) if k >= 3 or n - k >= 2):
        turned = sorted(((i - k) % n, first, last, w) for i, first, last, w in matches)
        best = max(best, _longest_chain(turned))
    return best


def _longest_chain(matches: list[tuple[int, int, int, float]]) -> float:
    """The heaviest chain of (scan word, first and last record word, weight) matches, sorted,
    increasing in both the scan's and the record's order."""
    if not matches:
        return 0.0
    # ends[p]: the heaviest chain of the earlier scan words' matches that ends at record word
    # p (0: none). Weights are never negative, so the best chain a match extends is the
    # largest of ends[:first], and 0 where none ends before it.
    ends = [0.0] * (1 + max(m[2] for m in matches))
    pending: list[tuple[int, float]] = []  # this scan word's chains: not extended by its own
    heaviest = 0.0
    word = matches[0][0]
    for i, first, last, weight in matches:
        if i != word:
            for end, chain in pending:
                if chain > ends[end]:
                    ends[end] = chain
            pending = []
            word = i
        chain = weight + max(ends[:first], default=0.0)
        pending.append((last, chain))
        if chain > heaviest:
            heaviest = chain
    return heaviest
