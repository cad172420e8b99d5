"""Vietnamese-aware title scoring with numbers as hard evidence, vectorised over candidate pairs.

Titles are compared in :func:`~khaudit.textnorm.match_form` (no marks, abbreviations expanded).
The score is the share of the scan title's words found in the record title, each word weighted
by how rare it is in the locality (IDF): boilerplate ("hồ sơ cấp giấy chứng nhận") weighs little,
names and places weigh a lot, so "hộ ông Nguyễn Văn An" and "hộ bà Trần Thị Bình" stay apart.
The same share is taken the other way over the stretch of the record title the scan title
spans (as many words from the start): "Hồ Bích Linh" typed for "Phạm Bích Linh" finds all its
own words in the record, but skips the record's "Phạm", and the lower of the two shares is the
coverage. A truncated scan title loses nothing for the words after its end. A number in the scan
title that the record lacks (a parcel, map sheet, year) costs ``number_conflict_penalty`` points
each.

Typos: a scan word the inventory never uses ("thah") counts as the nearest inventory word
("thanh", rapidfuzz ratio >= 85, four letters or more) with partial credit; a rare inventory
word the scans never use (a typo typed into the inventory) is reached the same way from the
scan side. A word both sides use is never re-read as another ("Phước" stays "Phước" even where
"Phương" is common). The nearest words are found with ``process.cdist`` on all cores.

What the locality-wide reading leaves unread (an initialism, a short word with a letter
dropped, two words typed together) is read pair by pair against the record (typed.py), and the
candidates near a scan's best are weighed by the words found in the record's order
(:meth:`TitleIndex.in_order`).

Scale: titles become sparse word vectors (scipy), so blocking is one sparse product per chunk
of scans (shared rare words, word pairs and numbers, weighted by IDF) and scoring is a row-wise
product over the candidate pairs; the pairwise Python reading runs only on each scan's few
best candidates, and word order only on those near its best.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..textnorm import match_form, numbers
from .settings import MatchSettings
from .typed import Reading, RecordToken, ScanToken, in_order, read_as_typed

#: Words (and word pairs, numbers) this common in a locality do not open a block: they would
#: join everything. The cap grows with the locality up to ``BLOCK_MAX_POSTINGS``.
BLOCK_MAX_SHARE = 0.05
BLOCK_MAX_POSTINGS = 1000
#: A typo is at least this similar to the word meant (rapidfuzz ratio) and this long.
TYPO_MIN_RATIO = 85
TYPO_MIN_LENGTH = 4
#: The credit of a word one edit from exactly one inventory word that ``ratio`` does not reach
#: (two letters swapped).
SWAP_CREDIT = 0.5
#: A key reached through a typo weighs this share of the key itself in blocking.
TYPO_BLOCK_WEIGHT = 0.5
#: A cut last word opens the blocks of the longer words it begins only when they are this few.
PREFIX_BLOCK_KEYS = 20
#: Scans blocked per sparse product; bounds the memory of the product.
BLOCK_CHUNK = 2048
#: The weight of a letter alone in a scan title the inventory does not have (the IDF of a word
#: every record has).
LETTER_WEIGHT = math.log(2)
#: Scan titles a word no inventory title has must be in to be read as the office's own word.
OFFICE_WORD_TITLES = 3
#: Words longer than this are not cut into known words typed together (a code, a hash).
MAX_RUN_TOGETHER = 40
#: A title that may be cut spans the record words it has and at most this many more (words
#: an operator dropped or abbreviated before the cut).
ORDER_SLACK = 2


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class TitleScore:
    score: float  # 0-100 and beyond with bonuses, after penalties
    #: The score without page agreement. A page count in range is weak evidence (a coin flip
    #: between near-twins), so it adds confidence but never settles an ambiguity on its own.
    identity: float
    coverage: float  # 0-100, the IDF-weighted share of the scan's words found
    conflicts: tuple[int, ...]  # numbers in the scan title the record does not have
    year_agrees: bool
    pages_agree: bool
    #: The record lies in the scope a folder of the scan names by the root's own convention
    #: (its year, its box).
    scope_agrees: bool = False


@dataclass
class PairScores:
    """Scores of candidate pairs (scan i, record j), one array entry per pair."""

    item: np.ndarray
    record: np.ndarray
    score: np.ndarray
    identity: np.ndarray
    coverage: np.ndarray
    conflicts: np.ndarray  # how many numbers conflict
    year_agrees: np.ndarray
    pages_agree: np.ndarray
    begun: np.ndarray  # the scan's cut last word begins a record word
    #: What the scores are made of: the weight found, the scan's total weight and how many
    #: record words it spans (after reading it as typed, see typed.py).
    found: np.ndarray
    total: np.ndarray
    length: np.ndarray
    scope_agrees: np.ndarray
    #: Pair -> its scan words and their reading as typed (``TitleIndex._reading``): read
    #: for its score, then again for word order, it is read once.
    readings: dict[int, tuple[list[ScanToken], Reading]] = field(default_factory=dict)


@dataclass
class EncodedTitles:
    """Scan titles as the index reads them (see :meth:`TitleIndex.encode`)."""

    forms: list[str]
    numbers: list[frozenset[int]]
    words: sp.csr_matrix  # scans x vocabulary, IDF x credit
    total: np.ndarray  # the IDF weight of each scan's words: the denominator of coverage
    length: np.ndarray  # how many words each scan title has (the record stretch it spans)
    numbers_matrix: sp.csr_matrix  # scans x numbers (binary)
    number_count: np.ndarray
    keys: sp.csr_matrix  # scans x block keys, IDF weights
    #: Whether a whole word, word pair or number of the title is a block key (a cut last
    #: word's beginning alone is not enough to block on).
    word_keyed: np.ndarray
    #: The last word of a title that may have been cut: its id among the records' word
    #: beginnings (-1: none), its column in the vocabulary (-1: unknown), the weight it adds
    #: to ``total`` and, when it is a number, its value (-1 otherwise).
    last_prefix: np.ndarray
    last_col: np.ndarray
    last_weight: np.ndarray
    last_number: np.ndarray
    #: Each scan's words as read (see typed.ScanToken), the columns it has, and whether its
    #: title may have been cut.
    tokens: list[list[ScanToken]]
    cols: list[frozenset[int]]
    cut: list[bool]


def title_words(form: str) -> list[str]:
    """The words of a title in match form, numbers included without leading zeros: a parcel
    number both sides share is evidence for, as much as a rare name (and one they do not
    share is also a conflict, see number_conflict_penalty)."""
    if form.isascii() and not _DIGIT.search(form):
        return form.split()  # no number to write without its zeros (most titles)
    return [
        str(int(w)) if w.isdigit() else w for w in form.split() if not (w.isdigit() and len(w) > 9)
    ]


def _typo_candidate(word: str) -> bool:
    return len(word) >= TYPO_MIN_LENGTH and "#" not in word and not word.isdigit()


def occurrences(words: list[str]) -> list[str]:
    """Words with a repeat told apart ("le", "le#2"): "riêng lẻ cho hộ bà Lê" has two, and a
    record that has the first only ("riêng lẻ cho hộ bà Đặng") must not find the second."""
    if len(set(words)) == len(words):
        return list(words)  # no repeat (most titles)
    count: dict[str, int] = {}
    out = []
    for w in words:
        n = count[w] = count.get(w, 0) + 1
        out.append(w if n == 1 else f"{w}#{n}")
    return out


def _pairs(words: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


def _nearest(queries: list[str], choices: list[str], workers: int) -> dict[str, tuple[str, float]]:
    """For each query, the choice it most likely mistypes, and the credit it earns.

    First by rapidfuzz ``ratio`` (a dropped or doubled letter costs little, a different letter
    twice as much, so "puong" reads "phuong" rather than "luong"); a query that none reaches
    then by optimal string alignment, when exactly one choice is one edit away (two swapped
    letters, "tahnh" for "thanh")."""
    if not queries or not choices:
        return {}
    found: dict[str, tuple[str, float]] = {}
    for start in range(0, len(queries), 4096):
        chunk = queries[start : start + 4096]
        matrix = process.cdist(
            chunk,
            choices,
            scorer=fuzz.ratio,
            dtype=np.uint8,
            score_cutoff=TYPO_MIN_RATIO,
            workers=workers,
        )
        best = matrix.argmax(axis=1)
        ratio = matrix[np.arange(len(chunk)), best]
        rest = []
        for query, j, r in zip(chunk, best, ratio):
            if r >= TYPO_MIN_RATIO:
                found[query] = (choices[j], (float(r) - 75) / 25)
            else:
                rest.append(query)
        if not rest:
            continue
        edits = process.cdist(
            rest, choices, scorer=OSA.distance, dtype=np.int32, score_cutoff=1, workers=workers
        )
        for query, row in zip(rest, edits):
            near = np.flatnonzero(row == 1)
            if len(near) == 1 and len(choices[near[0]]) >= TYPO_MIN_LENGTH:
                found[query] = (choices[near[0]], SWAP_CREDIT)
    return found


def _join_letters(words: list[str]) -> list[str]:
    """Letters typed apart ("T-H" for "thực hiện", "K.T") as the initialism they spell."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        out += ["".join(run)] if len(run) > 1 else run
        run = []
        if word:
            out.append(word)
    return out


def _without_number_word(words: list[str]) -> list[str]:
    """A "so" that a split brought before a number ("quyenso 01") goes, as match_form's do."""
    return [
        w
        for k, w in enumerate(words)
        if not (w == "so" and k + 1 < len(words) and words[k + 1].isdigit())
    ]


def _split_run_together(words: list[str], vocab: dict[str, int]) -> dict[str, list[str]]:
    """Words typed together ("hoso", "chungnhan", an owner's name "dangthanhson") as the
    known words they are: the split into the fewest known words, and among those the one
    whose shortest part is longest, so "thanhpho" is "thanh pho", not "th anhpho"."""
    found: dict[str, list[str]] = {}
    for word in words:
        if len(word) < 4 or len(word) > MAX_RUN_TOGETHER or word.isdigit() or "#" in word:
            continue
        parts = _fewest_known_words(word, vocab)
        if parts is not None:
            found[word] = parts
    return found


def _fewest_known_words(word: str, vocab: dict[str, int]) -> list[str] | None:
    """``word`` cut into at least two known words of two letters or more: fewest parts
    first, then the longest shortest part; None when no such cut exists."""
    # best[k]: (parts, -shortest part, cuts) of the best split of word[:k].
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (len(word) + 1)
    best[0] = (0, -len(word), ())
    for end in range(2, len(word) + 1):
        for start in range(0, end - 1):
            before = best[start]
            if before is None or word[start:end] not in vocab:
                continue
            split = (before[0] + 1, max(before[1], start - end), (*before[2], end))
            if best[end] is None or split < best[end]:  # type: ignore[operator]
                best[end] = split
    whole = best[len(word)]
    if whole is None or whole[0] < 2:
        return None
    cuts = (0, *whole[2])
    return [word[a:b] for a, b in zip(cuts, cuts[1:])]


def _csr(rows: list[list[int]], values: list[list[float]], width: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    chain = itertools.chain.from_iterable
    flat = np.fromiter(chain(rows), dtype=np.int64, count=int(indptr[-1]))
    data = np.fromiter(chain(values), dtype=np.float64, count=int(indptr[-1]))
    matrix = sp.csr_matrix((data, flat, indptr), shape=(len(rows), width))
    matrix.sum_duplicates()
    return matrix


def top_per_row(matrix: sp.csr_matrix, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the ``limit`` largest entries of every row of a sparse matrix, row by
    row, largest first (ties in the order the matrix stores them)."""
    matrix = matrix.tocsr()
    indptr, data = matrix.indptr, matrix.data
    # Row by row: a partition finds each row's ``limit``-th largest entry, and only the
    # entries that reach it are sorted. A sort of every entry (np.lexsort) cost more than all
    # the rest of blocking, a row of common words holding most of the records.
    kept = [
        int(indptr[row]) + _row_top(data[indptr[row] : indptr[row + 1]], limit)
        for row in range(matrix.shape[0])
    ]
    keep = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(indptr))
    return rows[keep], matrix.indices[keep]


def _row_top(values: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` largest of ``values``, largest first, equal values in
    their order (as a stable sort of all of them would give)."""
    if len(values) > limit:
        kth = np.partition(values, len(values) - limit)[len(values) - limit]
        above = np.flatnonzero(values > kth)
        ties = np.flatnonzero(values == kth)[: limit - len(above)]
        chosen = np.sort(np.concatenate((above, ties)))
    else:
        chosen = np.arange(len(values))
    return chosen[np.argsort(-values[chosen], kind="stable")]


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by one sort: numpy 2 hashes first, which costs more on the
    millions of candidate pairs, nearly all distinct, that blocking gives."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


@dataclass
class _EncodedTitle:
    """One scan title as :meth:`TitleIndex.encode` reads it: its known words' columns and
    weights, its total weight and length, its block keys, its tokens (typed.py), its last
    word as the beginning of a longer record word (id among the beginnings, column, weight,
    number; -1, -1, 0, -1: none) and its numbers."""

    length: int
    cols: list[int]
    vals: list[float]
    total: float
    key_cols: list[int]
    key_vals: list[float]
    keyed: bool
    tokens: list[ScanToken]
    col_set: frozenset[int]
    end: tuple[int, int, float, int]
    numbers: frozenset[int]
    number_cols: list[int]


class TitleIndex:
    """The titles of one locality's records, indexed for blocking and scoring."""

    def __init__(
        self,
        titles: list[str],
        years: list[tuple[int | None, int | None]],
        sheets: list[int | None],
        settings: MatchSettings,
        own_numbers: list[frozenset[int]] | None = None,
    ):
        self.settings = settings
        self._encodings: dict[tuple[str, bool], _EncodedTitle] = {}  # see _encoded
        self.forms = [match_form(t) for t in titles]
        n = max(1, len(titles))
        word_lists = [occurrences(title_words(f)) for f in self.forms]
        self.numbers = [numbers(f) for f in self.forms]
        # A scan's number conflicts with a record that neither writes it in its title nor is
        # numbered by it (its file number, STT, its code's last number: ``own_numbers``): a
        # scan named "<title>-411" for the record coded 411 carries no number it lacks.
        self.known_numbers = [
            ns | own for ns, own in zip(self.numbers, own_numbers or [frozenset()] * n)
        ]
        df = self._index_words(word_lists, n)
        self._index_beginnings()
        self.number_ids = {
            x: i for i, x in enumerate(sorted({x for ns in self.known_numbers for x in ns}))
        }
        self.numbers_matrix = _csr(
            [[self.number_ids[x] for x in ns] for ns in self.known_numbers],
            [[1.0] * len(ns) for ns in self.known_numbers],
            max(1, len(self.number_ids)),
        )
        self._index_keys(word_lists, n)
        ends = [b if b is not None else a for a, b in years]  # one year: ends where it starts
        self.years = np.array([np.nan if a is None else a for a, _ in years], dtype=float)
        self.year_ends = np.array([np.nan if e is None else e for e in ends], dtype=float)
        self.sheets = np.array([np.nan if s is None else s for s in sheets], dtype=float)
        self.long_words = [
            w for w in df if len(w) >= TYPO_MIN_LENGTH - 1 and "#" not in w and not w.isdigit()
        ]
        self.record_tokens: list[list[RecordToken]] = [
            [self._record_token(w) for w in ws] for ws in word_lists
        ]
        #: The IDF of a word in two records: a two-letter initialism stands only for words
        #: at least this common (typed.py).
        self.common_idf = math.log(1 + n / 2)
        indptr, indices = self.words.indptr, self.words.indices
        self.record_cols = [
            frozenset(indices[indptr[j] : indptr[j + 1]].tolist()) for j in range(len(word_lists))
        ]

    def learn_office_words(self, titles: list[str]) -> None:
        """Take as the office's words those the inventory never uses that
        ``OFFICE_WORD_TITLES`` of the scans' ``titles`` or more write: they weigh as little
        as a letter alone, where a word no record has otherwise weighs as the rarest (an
        owner's name the list lacks). Call before any title is encoded."""
        counts: Counter[str] = Counter()
        for title in titles:
            counts.update({w for w in title_words(match_form(title)) if w not in self.vocab})
        self.office_words = frozenset(
            w for w, n in counts.items() if n >= OFFICE_WORD_TITLES and not w.isdigit()
        )
        self._encodings.clear()

    def _index_words(self, word_lists: list[list[str]], n: int) -> Counter[str]:
        """The vocabulary with its IDF, the typos it resolves, each record's words as a sparse
        row, and the IDF of each record's first p words; returns each word's document count."""
        # Built in title order (not set order), so that ids and ties do not depend on the
        # process's string hash seed: a cluster worker must score exactly as this process.
        df = Counter(itertools.chain.from_iterable(dict.fromkeys(ws) for ws in word_lists))
        self.vocab = {w: i for i, w in enumerate(df)}
        self.idf = np.array([math.log(1 + n / df[w]) for w in df])
        self.idf_values: list[float] = self.idf.tolist()  # read a word at a time
        self.unknown_idf = math.log(1 + n)
        #: Words the locality's scans use often and its inventory never does ("xin" of "xin
        #: phép XD"): the office's words for its procedures, which tell no record apart.
        self.office_words = frozenset[str]()
        # Typos in the inventory: a rare word ("thah", once) near a common one ("thanh") also
        # counts as the common one, with partial credit, and weighs what the common one does.
        rare = [w for w, c in df.items() if c <= 2 and _typo_candidate(w)]
        common = [w for w, c in df.items() if c > 2 and "#" not in w and not w.isdigit()]
        self.meant = _nearest(rare, common, self.settings.workers)
        rows, values = [], []
        for ws in word_lists:
            cols = {self.vocab[w]: 1.0 for w in ws}
            for w in ws:
                if w in self.meant:
                    word, credit = self.meant[w]
                    cols.setdefault(self.vocab[word], credit)
            rows.append(list(cols))
            values.append(list(cols.values()))
        self.words = _csr(rows, values, len(self.vocab))
        # IDF weight of each record's first p words: the denominator of the reverse share for
        # a scan title p words long.
        # (Summed in order as np.cumsum does, in Python: a numpy call a record cost more.)
        width = 1 + max((len(ws) for ws in word_lists), default=0)
        idf, vocab, meant = self.idf_values, self.vocab, self.meant
        prefix = []
        for ws in word_lists:
            weights = [idf[vocab[meant[w][0] if w in meant else w]] for w in ws]
            sums = list(itertools.accumulate(weights, initial=0.0))
            prefix.append(sums + sums[-1:] * (width - len(sums)))
        self.prefix_idf = np.array(prefix, dtype=np.float64).reshape(len(word_lists), width)
        return df

    def _record_token(self, word: str) -> RecordToken:
        """A record word as typed.py reads it, with the word an inventory typo stands for."""
        if word not in self.meant and "#" not in word:
            return (word, self.vocab[word], "", 0.0)  # most words: no typo, no repeat
        meant, credit = self.meant.get(word, ("", 0.0))
        weight = credit * self.idf_values[self.vocab[meant]] if meant else 0.0
        return (word.split("#", 1)[0], self.vocab[word], meant, weight)

    def _index_beginnings(self) -> None:
        """Beginnings of inventory words (numbers from one digit, words from two letters): a
        scan title cut inside a word or number ends in one of them. Indexed over the
        vocabulary (prefix -> the words it begins), not over the records: a locality has far
        fewer distinct words than records."""
        begins: dict[str, list[int]] = defaultdict(list)
        for word, col in self.vocab.items():
            if "#" in word:
                continue
            for length in range(1 if word.isdigit() else 2, len(word)):
                begins[word[:length]].append(col)
        self.prefix_ids = {h: i for i, h in enumerate(sorted(begins))}
        self.prefix_words = _csr(
            [begins[h] for h in self.prefix_ids],
            [[1.0] * len(begins[h]) for h in self.prefix_ids],
            len(self.vocab),
        )

    def _index_keys(self, word_lists: list[list[str]], n: int) -> None:
        """Block keys: rare words, rare word pairs, numbers; each weighted by its IDF. A key
        in more records than the cap blocks nothing and is left out."""
        key_lists = [
            list(
                dict.fromkeys(
                    [
                        *ws,
                        *_pairs(ws),
                        *(f"#{x}" for x in sorted(ns)),
                        *(self.meant[w][0] for w in ws if w in self.meant),
                    ]
                )
            )
            for ws, ns in zip(word_lists, self.numbers)
        ]
        key_df = Counter(itertools.chain.from_iterable(key_lists))
        cap = max(20, min(int(BLOCK_MAX_SHARE * n), BLOCK_MAX_POSTINGS))
        self.keys = {k: i for i, k in enumerate(k for k, c in key_df.items() if c <= cap)}
        self.key_idf = np.array([math.log(1 + n / key_df[k]) for k in self.keys], dtype=float)
        self.prefix_keys: dict[str, list[int]] = {}
        for k, key_id in self.keys.items():
            if " " in k:
                continue
            word = k[1:] if k.startswith("#") else k
            for length in range(1 if word.isdigit() else 2, len(word)):
                self.prefix_keys.setdefault(word[:length], []).append(key_id)
        key_cols = [[self.keys[k] for k in ks if k in self.keys] for ks in key_lists]
        self.key_matrix = _csr(
            key_cols, [[1.0] * len(cols) for cols in key_cols], max(1, len(self.keys))
        ).T.tocsr()

    # -- scans -------------------------------------------------------------------------------
    def encode(self, titles: list[str], cut: list[bool] | None = None) -> EncodedTitles:
        """Scan titles as sparse vectors over the inventory's words, typos resolved.

        ``cut[i]`` says title i may have been cut at a fixed length: its last word then also
        counts as the beginning of a longer record word ("TBD 1" for "tờ bản đồ số 18").
        """
        forms = [match_form(t) for t in titles]
        cut = cut or [False] * len(titles)
        read = self._encoded(forms, cut)
        number_cols = [r.number_cols for r in read]
        return EncodedTitles(
            forms=forms,
            numbers=[r.numbers for r in read],
            words=_csr([r.cols for r in read], [r.vals for r in read], len(self.vocab)),
            total=np.array([r.total for r in read], dtype=float),
            length=np.array([r.length for r in read], dtype=np.int64),
            numbers_matrix=_csr(
                number_cols, [[1.0] * len(c) for c in number_cols], max(1, len(self.number_ids))
            ),
            number_count=np.array([len(r.numbers) for r in read], dtype=float),
            keys=_csr(
                [r.key_cols for r in read], [r.key_vals for r in read], max(1, len(self.keys))
            ),
            word_keyed=np.array([r.keyed for r in read], dtype=bool),
            last_prefix=np.array([r.end[0] for r in read], dtype=np.int64),
            last_col=np.array([r.end[1] for r in read], dtype=np.int64),
            last_weight=np.array([r.end[2] for r in read], dtype=float),
            last_number=np.array([r.end[3] for r in read], dtype=np.int64),
            tokens=[r.tokens for r in read],
            cols=[r.col_set for r in read],
            cut=list(cut),
        )

    def _encoded(self, forms: list[str], cut: list[bool]) -> list[_EncodedTitle]:
        """Each title (in match form, and whether it may be cut) as encoded: read once and
        kept, as the rankings of a locality encode most of its titles two or three times. A
        title reads the same whatever titles it is read with (typos and words run together
        are resolved word by word)."""
        new = list(dict.fromkeys(key for key in zip(forms, cut) if key not in self._encodings))
        if new:
            word_lists, as_known = self._scan_words([f for f, _ in new], [c for _, c in new])
            for (form, is_cut), ws in zip(new, word_lists):
                self._encodings[form, is_cut] = self._encode_title(form, ws, is_cut, as_known)
        return [self._encodings[key] for key in zip(forms, cut)]

    def _encode_title(
        self, form: str, ws: list[str], cut: bool, as_known: dict[str, tuple[str, float]]
    ) -> _EncodedTitle:
        cols, vals, total, canonical, tokens = self._title_words(ws, as_known)
        keys: dict[int, float] = {}
        self._word_keys(canonical, keys)
        keyed = bool(keys)
        end = (-1, -1, 0.0, -1)
        if cut and ws and ws[-1] in self.prefix_ids and "#" not in ws[-1]:
            end = self._cut_end(ws[-1], keys)
        key_cols, key_vals = list(keys), list(keys.values())
        found = numbers(form)
        for x in found:
            k = self.keys.get(f"#{x}", -1)
            if k >= 0:
                key_cols.append(k)
                key_vals.append(float(self.key_idf[k]))
                keyed = True
        number_cols = [self.number_ids[x] for x in found if x in self.number_ids]
        return _EncodedTitle(
            len(ws),
            cols,
            vals,
            total,
            key_cols,
            key_vals,
            keyed,
            tokens,
            frozenset(cols),
            end,
            found,
            number_cols,
        )

    def _scan_words(
        self, forms: list[str], cut: list[bool]
    ) -> tuple[list[list[str]], dict[str, tuple[str, float]]]:
        """Each scan title's words, words run together split apart; and the unknown words
        taken for an inventory word they are a typo of (with their credit)."""
        word_lists = [_join_letters(title_words(f)) for f in forms]
        seen = {w for ws in word_lists for w in ws}
        unknown = sorted(w for w in seen if w not in self.vocab and _typo_candidate(w))
        as_known = _nearest(unknown, self.long_words, self.settings.workers)
        joined = _split_run_together([w for w in unknown if w not in as_known], self.vocab)
        if joined:
            word_lists = [
                _without_number_word([part for w in ws for part in joined.get(w, (w,))])
                for ws in word_lists
            ]
        # A cut title that ends in one letter ("… thửa đất s", "… từ số 51 đ") keeps nothing of
        # its last word: as an unknown word it would weigh like the rarest word there is.
        word_lists = [
            ws[:-1] if is_cut and len(ws) > 1 and len(ws[-1]) == 1 and ws[-1].isalpha() else ws
            for ws, is_cut in zip(word_lists, cut)
        ]
        return word_lists, as_known

    def _title_words(
        self, ws: list[str], as_known: dict[str, tuple[str, float]]
    ) -> tuple[list[int], list[float], float, list[tuple[str, float]], list[ScanToken]]:
        """One scan title's known words (columns, IDF times credit), its total IDF (unknown
        words included), the words meant with their weight as block keys, and every word as
        a token to read pair by pair (typed.py)."""
        cols: list[int] = []
        vals: list[float] = []
        total = 0.0
        canonical = []
        tokens: list[ScanToken] = []
        # Typos first, so that repeats are counted over the words meant.
        meant = [(w, 1.0) if w in self.vocab or w not in as_known else as_known[w] for w in ws]
        for word, (_, credit), token in zip(ws, meant, occurrences([m for m, _ in meant])):
            col = self.vocab.get(token, -1)
            if col < 0:
                # A letter alone ("Q 4", "S. 12") tells as little as the commonest word; any
                # other unknown word weighs as the rarest.
                low = len(word) == 1 or word in self.office_words
                weight = LETTER_WEIGHT if low else self.unknown_idf
                total += weight
                tokens.append((word, -1, weight, 0.0))
                continue
            idf = self.idf_values[col]
            total += idf
            cols.append(col)
            vals.append(idf * credit)
            canonical.append((token, 1.0 if credit == 1.0 else TYPO_BLOCK_WEIGHT))
            tokens.append(
                (word if credit == 1.0 else token.split("#", 1)[0], col, idf, idf * credit)
            )
        return cols, vals, total, canonical, tokens

    def _cut_end(self, last: str, keys: dict[int, float]) -> tuple[int, int, float, int]:
        """The last word of a title that may be cut, as the beginning of longer record words:
        its id among the beginnings, its column, its weight and its number (see
        _EncodedTitle); the keys of the words it begins are added (when they are few)."""
        col = self.vocab.get(last, -1)
        weight = float(self.idf[col]) if col >= 0 else self.unknown_idf
        longer = self.prefix_keys.get(last, ())
        if len(longer) <= PREFIX_BLOCK_KEYS:
            for k in longer:
                keys[k] = max(keys.get(k, 0.0), TYPO_BLOCK_WEIGHT * self.key_idf[k])
        return self.prefix_ids[last], col, weight, int(last) if last.isdigit() else -1

    def _word_keys(self, canonical: list[tuple[str, float]], keys: dict[int, float]) -> None:
        """The block keys of a title's words and word pairs, each at its best weight."""
        for word, weight in canonical:
            k = self.keys.get(word, -1)
            if k >= 0:
                keys[k] = max(keys.get(k, 0.0), weight * self.key_idf[k])
        for pair in _pairs([w for w, _ in canonical]):
            k = self.keys.get(pair, -1)
            if k >= 0:
                keys[k] = max(keys.get(k, 0.0), self.key_idf[k])

    def candidates(
        self, scans: EncodedTitles, limit: int, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scan, record) pairs: for each scan the ``limit`` records sharing the most weight of
        rare words, word pairs and numbers with it, and for a scan none of whose words is rare
        enough to block on, the ``limit`` records sharing the most weight of its words
        (:meth:`common_overlap`). ``rows`` restricts the scans considered."""
        rows = np.arange(scans.keys.shape[0]) if rows is None else rows
        items, records = [], []
        for start in range(0, len(rows), BLOCK_CHUNK):
            chunk = rows[start : start + BLOCK_CHUNK]
            product = (scans.keys[chunk] @ self.key_matrix).tocsr()
            r, c = top_per_row(product, limit)
            items.append(chunk[r])
            records.append(c)
            common = chunk[~scans.word_keyed[chunk] & (scans.total[chunk] > 0)]
            if len(common):
                r, c = top_per_row(self.common_overlap(scans, common), limit)
                items.append(common[r])
                records.append(c)
        if not items:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # Each pair as one number (scan major), so one flat sort makes them unique in the
        # order of (scan, record): np.unique over columns sorts rows of objects, far slower.
        width = max(1, self.words.shape[0])
        pairs = unique_sorted(np.concatenate(items) * width + np.concatenate(records))
        return pairs // width, pairs % width

    def common_overlap(self, scans: EncodedTitles, rows: np.ndarray) -> sp.csr_matrix:
        """Rows x records: the IDF weight of the words each of these scans shares with each
        record. For titles whose every word and word pair is too common to block on (a
        series' shared beginning, cut before the words that tell its members apart): their
        candidates are the members of the series, and the page count or a review decides."""
        return (scans.words[rows] @ self.words_by_word).tocsr()

    @cached_property
    def words_by_word(self) -> sp.csr_matrix:
        """The records' words as vocabulary x records (the transpose of ``words``)."""
        return self.words.T.tocsr()

    def score_pairs(
        self,
        scans: EncodedTitles,
        item: np.ndarray,
        record: np.ndarray,
        years: np.ndarray | None = None,
        pages: np.ndarray | None = None,
        scoped: np.ndarray | None = None,
    ) -> PairScores:
        """Scores of the pairs (scans[item[k]], record[k]). ``years``/``pages`` are per scan
        (NaN where unknown); ``scoped`` per pair, whether the record lies in the scope the
        scan's folders name (its year or box, by the root's adopted convention)."""
        item = np.asarray(item, dtype=np.int64)
        record = np.asarray(record, dtype=np.int64)
        found = np.asarray(scans.words[item].multiply(self.words[record]).sum(axis=1)).ravel()
        total = scans.total[item]
        begun = self._cut_word_begins(scans, item, record)
        found = found + np.where(begun, scans.last_weight[item], 0.0)
        length = scans.length[item].copy()
        shared = np.asarray(
            scans.numbers_matrix[item].multiply(self.numbers_matrix[record]).sum(axis=1)
        ).ravel()
        conflicts = scans.number_count[item] - shared - (begun & (scans.last_number[item] >= 0))
        year_agrees, pages_agree = self._agreements(item, record, years, pages)
        n = len(item)
        pairs = PairScores(
            item,
            record,
            np.zeros(n),
            np.zeros(n),
            np.zeros(n),
            conflicts,
            year_agrees,
            pages_agree,
            begun,
            found,
            total,
            length,
            np.zeros(n, dtype=bool) if scoped is None else np.asarray(scoped, dtype=bool),
        )
        self._judge(pairs, np.arange(n))
        return pairs

    def _judge(self, pairs: PairScores, ks: np.ndarray) -> None:
        """Coverage, identity and score of pairs ``ks`` from what they are made of."""
        s = self.settings
        found, total = pairs.found[ks], pairs.total[ks]
        width = self.prefix_idf.shape[1] - 1
        span = self.prefix_idf[pairs.record[ks], np.minimum(pairs.length[ks], width)]
        with np.errstate(invalid="ignore", divide="ignore"):
            forward = np.where(total > 0, 100.0 * np.minimum(found, total) / total, 0.0)
            reverse = np.where(span > 0, 100.0 * np.minimum(found, span) / span, 100.0)
        coverage = np.round(np.minimum(forward, reverse), 9)  # sums in any order agree
        # A word the scan has in place of a word the record has (in the stretch the scan
        # spans) is a different person or place, not a word left out: it counts again.
        swapped = np.maximum(0.0, np.minimum(total - found, span - found))
        with np.errstate(invalid="ignore", divide="ignore"):
            swapped_share = np.round(np.where(total > 0, 100.0 * swapped / total, 0.0), 9)
        identity = (
            coverage
            - s.substitution_weight * swapped_share
            - s.number_conflict_penalty * pairs.conflicts[ks]
            + s.year_agreement_bonus * pairs.year_agrees[ks]
            + s.scope_agreement_bonus * pairs.scope_agrees[ks]
        )
        score = identity + s.page_agreement_bonus * pairs.pages_agree[ks]
        # Not capped at 100: two candidates that both agree on year and pages must still be
        # told apart by their titles. Callers cap when they show the score.
        pairs.coverage[ks] = coverage
        pairs.identity[ks] = np.maximum(identity, 0.0)
        pairs.score[ks] = np.maximum(score, 0.0)

    def _reading(
        self, scans: EncodedTitles, pairs: PairScores, k: int
    ) -> tuple[list[ScanToken], Reading]:
        """Pair ``k``'s scan words (a cut last word that begins a record word aside) and
        what reading them as typed against its record gives (typed.py)."""
        if k in pairs.readings:
            return pairs.readings[k]
        i, j = int(pairs.item[k]), int(pairs.record[k])
        tokens = scans.tokens[i][:-1] if pairs.begun[k] else scans.tokens[i]
        read = read_as_typed(
            tokens,
            self.record_tokens[j],
            scans.cols[i],
            self.record_cols[j],
            self.idf,
            self.common_idf,
        )
        pairs.readings[k] = (tokens, read)
        return tokens, read

    def in_order(self, scans: EncodedTitles, pairs: PairScores, ks: np.ndarray) -> None:
        """Pairs ``ks`` scored again counting only the words found in the record's order and,
        for a title that may be cut, within the stretch it spans (typed.in_order). Costs a
        Python alignment a pair: for the few candidates near each scan's best, where a bag of
        words cannot tell a title's own names from the same names elsewhere in a twin's."""
        for k in ks:
            i, record = int(pairs.item[k]), self.record_tokens[int(pairs.record[k])]
            tokens, read = self._reading(scans, pairs, int(k))
            limit = int(pairs.length[k]) + ORDER_SLACK if scans.cut[i] else len(record)
            found = in_order(tokens, record, read, self.idf, limit)
            found += float(scans.last_weight[i]) if pairs.begun[k] else 0.0
            pairs.found[k] = min(float(pairs.found[k]), found)
        self._judge(pairs, np.asarray(ks, dtype=np.int64))

    def read_typed(self, scans: EncodedTitles, pairs: PairScores, ks: np.ndarray) -> None:
        """Pairs ``ks`` scored again after reading the scan's words the record lacks as an
        operator types them (typed.py). A Python loop a pair, so callers pass the few best
        candidates of each scan, not every pair blocking found; call it once per pair (it
        adds to what the pair is made of)."""
        changed = []
        for k in ks:
            if pairs.found[k] >= pairs.total[k]:
                continue
            _, read = self._reading(scans, pairs, int(k))
            if read.used:
                pairs.found[k] += read.found
                pairs.total[k] += read.total
                pairs.length[k] += read.length
                if read.cut_number and pairs.conflicts[k] > 0:
                    pairs.conflicts[k] -= 1
                changed.append(k)
        self._judge(pairs, np.asarray(changed, dtype=np.int64))

    def _agreements(
        self,
        item: np.ndarray,
        record: np.ndarray,
        years: np.ndarray | None,
        pages: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per pair, whether the scan's year falls in the record's years, and whether its
        pages fit the record's sheets (unknown on either side: no agreement)."""
        s = self.settings
        n = len(item)
        year = np.full(n, np.nan) if years is None else np.asarray(years, dtype=float)[item]
        page = np.full(n, np.nan) if pages is None else np.asarray(pages, dtype=float)[item]
        start, end = self.years[record], self.year_ends[record]
        with np.errstate(invalid="ignore"):
            year_agrees = (year >= start) & (year <= end)
            sheets = self.sheets[record]
            pages_agree = (
                (page > 0)
                & (sheets > 0)
                & (page >= sheets * s.min_pages_per_sheet)
                & (page <= sheets * s.max_pages_per_sheet)
            )
        return year_agrees, pages_agree

    def _cut_word_begins(
        self, scans: EncodedTitles, item: np.ndarray, record: np.ndarray
    ) -> np.ndarray:
        """Per pair: the scan's title may be cut, its last word is not a word of the record
        but begins one (a number cut short is then no conflict)."""
        begun = np.zeros(len(item), dtype=bool)
        prefix = scans.last_prefix[item]
        open_ = np.flatnonzero(prefix >= 0)
        if not len(open_):
            return begun
        has_word = (self.words[record[open_]] > 0).astype(np.float64)
        hit = (
            np.asarray(has_word.multiply(self.prefix_words[prefix[open_]]).sum(axis=1)).ravel() > 0
        )
        col = scans.last_col[item[open_]]
        known = col >= 0
        whole = np.zeros(len(open_), dtype=bool)
        if known.any():  # (an empty fancy index of a sparse matrix is no array)
            whole[known] = np.asarray(self.words[record[open_][known], col[known]]).ravel() > 0
        begun[open_] = hit & ~whole
        return begun

    def title_score(self, scans: EncodedTitles, pairs: PairScores, k: int) -> TitleScore:
        """Pair ``k`` of ``pairs`` as a TitleScore, with the conflicting numbers named."""
        i, j = int(pairs.item[k]), int(pairs.record[k])
        conflicts = scans.numbers[i] - self.known_numbers[j]
        if pairs.begun[k]:
            conflicts = conflicts - {int(scans.last_number[i])}
        last = scans.tokens[i][-1][0] if scans.tokens[i] else ""
        if len(conflicts) > pairs.conflicts[k] and last.isdigit():
            conflicts = conflicts - {int(last)}  # read as the record's number cut short
        return TitleScore(
            float(pairs.score[k]),
            float(pairs.identity[k]),
            float(pairs.coverage[k]),
            tuple(sorted(conflicts)),
            bool(pairs.year_agrees[k]),
            bool(pairs.pages_agree[k]),
            bool(pairs.scope_agrees[k]),
        )

    # -- one scan at a time (tests, notebooks) -----------------------------------------------
    def block(self, form: str, limit: int) -> list[int]:
        """Records sharing rare words, word pairs or numbers with one scan title, best first."""
        scans = self.encode([form])
        product = (scans.keys @ self.key_matrix).tocsr()
        if not scans.word_keyed[0] and scans.total[0] > 0:
            product = product + self.common_overlap(scans, np.zeros(1, dtype=np.int64))
        order = np.argsort(-product.data, kind="stable")[:limit]
        return [int(c) for c in product.indices[order]]

    def score(
        self, title: str, record: int, year: int | None = None, pages: int | None = None
    ) -> TitleScore:
        scans = self.encode([title])
        pairs = self.score_pairs(
            scans,
            np.array([0]),
            np.array([record]),
            np.array([np.nan if year is None else year]),
            np.array([np.nan if pages is None else pages]),
        )
        self.read_typed(scans, pairs, np.array([0]))
        self.in_order(scans, pairs, np.array([0]))
        return self.title_score(scans, pairs, 0)
