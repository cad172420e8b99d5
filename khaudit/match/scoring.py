"""Vietnamese-aware title scoring with numbers as hard evidence.

Titles are compared in :func:`~khaudit.textnorm.match_form` (no marks, abbreviations expanded).
The score is the share of the scan title's words found in the record title, each word weighted
by how rare it is in the locality (IDF): boilerplate ("hồ sơ cấp giấy chứng nhận") weighs little,
names and places weigh a lot, so "hộ ông Nguyễn Văn An" and "hộ bà Trần Thị Bình" stay apart.
Words typed with a typo still count (rapidfuzz ratio). A number in the scan title that the record
lacks (a parcel, map sheet, year) costs ``number_conflict_penalty`` points each. A truncated
scan title loses nothing for the words it does not have.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..textnorm import match_form, numbers
from .settings import MatchSettings

#: Words this common in a locality do not open a block (they would join everything).
BLOCK_MAX_SHARE = 0.05


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


def _words(form: str) -> list[str]:
    return [w for w in form.split() if not w.isdigit()]


class TitleIndex:
    """The titles of one locality's records, indexed for blocking and scoring."""

    def __init__(self, titles: list[str], years: list[tuple[int | None, int | None]],
                 sheets: list[int | None], settings: MatchSettings):
        self.settings = settings
        self.forms = [match_form(t) for t in titles]
        self.words = [set(_words(f)) for f in self.forms]
        self.numbers = [numbers(f) for f in self.forms]
        self.years = years
        self.sheets = sheets
        n = max(1, len(titles))
        df = Counter(w for ws in self.words for w in ws)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.unknown_idf = math.log(1 + n)
        self.vocabulary = list(df)
        cap = max(20, int(BLOCK_MAX_SHARE * n))
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, (ws, ns) in enumerate(zip(self.words, self.numbers)):
            for w in ws:
                if df[w] <= cap:
                    self.postings[w].append(i)
            for num in ns:
                self.postings[f"#{num}"].append(i)

    def block(self, form: str, limit: int) -> list[int]:
        """Records sharing a rare word or a number with the scan title, most shared first."""
        weight: dict[int, float] = defaultdict(float)
        keys = [w for w in set(_words(form))] + [f"#{n}" for n in numbers(form)]
        for key in keys:
            for i in self.postings.get(key, ()):
                weight[i] += self.idf.get(key, 1.0)
            if not key.startswith("#") and len(key) >= 4:
                # The same word typed with a typo on either side ("thah" for "thanh") still
                # opens the block: a record must not be missed for one dropped letter.
                for near, _, _ in process.extract(key, self.vocabulary, scorer=fuzz.ratio,
                                                  score_cutoff=85, limit=4):
                    if near != key:
                        for i in self.postings.get(near, ()):
                            weight[i] += self.idf.get(near, 1.0) / 2
        return sorted(weight, key=lambda i: -weight[i])[:limit]

    def _word_match(self, word: str, record_words: set[str]) -> float:
        """1 for the same word; partial credit for a typo ("puong" for "phuong"), none for a
        different short word ("hong" is not "phuong": names must not blur together)."""
        if word in record_words:
            return 1.0
        if len(word) < 5:
            return 0.0
        near = process.extractOne(word, record_words, scorer=fuzz.ratio, score_cutoff=85)
        return (near[1] - 75) / 25 if near else 0.0

    def score(self, title: str, record: int, year: int | None = None,
              pages: int | None = None) -> TitleScore:
        form = match_form(title)
        words = _words(form)
        record_words = self.words[record]
        total = sum(self.idf.get(w, self.unknown_idf) for w in words) or 1.0
        found = sum(self.idf.get(w, self.unknown_idf) * self._word_match(w, record_words)
                    for w in words)
        coverage = 100.0 * found / total if words else 0.0
        conflicts = tuple(sorted(numbers(form) - self.numbers[record]))
        start, end = self.years[record]
        year_agrees = year is not None and start is not None and start <= year <= (end or start)
        sheets = self.sheets[record]
        pages_agree = bool(pages and sheets and
                           sheets * self.settings.min_pages_per_sheet <= pages
                           <= sheets * self.settings.max_pages_per_sheet)
        identity = coverage - self.settings.number_conflict_penalty * len(conflicts)
        identity += self.settings.year_agreement_bonus * year_agrees
        score = identity + self.settings.page_agreement_bonus * pages_agree
        # Not capped at 100: two candidates that both agree on year and pages must still be
        # told apart by their titles. Callers cap when they show the score.
        return TitleScore(max(0.0, score), max(0.0, identity), coverage, conflicts, year_agrees,
                          pages_agree)
