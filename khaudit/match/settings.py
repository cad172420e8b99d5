"""Matching and reconciliation thresholds: the one documented place they live.

A project file may override any of them under ``[matching]``; unknown keys are errors.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..errors import ProjectError
from ..i18n import t


@dataclass(frozen=True)
class MatchSettings:
    #: A fuzzy link at or above this combined score (0-100) is made without review.
    accept_score: float = 85.0
    #: Below accept but at or above this, the best candidate goes to review (needs_review).
    review_score: float = 80.0
    #: Two candidates closer than this (points) are ambiguous: review, whatever their score.
    ambiguity_margin: float = 5.0
    #: A best candidate below accept_score (but at review_score or above) is linked without
    #: review when every other candidate is at least this many points behind it, no number
    #: of the scan contradicts it and its year, pages or folder scope agree: a title typed
    #: badly ("HScap_…_hoba_Luu_Bich_Nhung_thua_657_TBD_32") whose record nothing else
    #: comes near.
    clear_margin: float = 30.0
    #: Points taken off a title score per number that one side has and the other contradicts
    #: (a parcel, sheet, map number or year): numbers are hard evidence.
    number_conflict_penalty: float = 40.0
    #: A scan word in the place of a different record word (Bùi for Phan) costs its share of
    #: the title once in coverage and this many times more: a different name is evidence
    #: against, where a word left out is only evidence missing.
    substitution_weight: float = 1.0
    #: Points added when the scan's year or page count agrees with the record's.
    year_agreement_bonus: float = 5.0
    page_agreement_bonus: float = 5.0
    #: Points added when the record lies in the scope (a year, a box) that a folder of the
    #: scan names by a convention the root's certain links hold to.
    scope_agreement_bonus: float = 5.0
    #: Candidate records scored per scan at most after blocking (keeps cost linear).
    max_candidates: int = 200
    #: Candidates listed for review at most when several records fit a scan equally well
    #: (the same procedure for five years, a title cut before the parcel number).
    review_candidates: int = 50
    #: A scan whose best score is below accept_score and that fits more records than this
    #: about as well says too little to point at any of them (a different person whose
    #: name shares words with many): it is left unmatched rather than put to review.
    weak_candidates: int = 3
    #: A title typed beside a number the root's convention reads vetoes the number's record
    #: below this score (it is another record's, or no record's): above it, a title typed
    #: badly or cut where twins differ ("Tạ.Dieu") leaves the number to decide, unless it fits
    #: another record clearly.
    number_veto_score: float = 20.0
    #: A scan that is not linked names its nearest records (and a record without a scan its
    #: nearest scans) when they score at least this: never silent, never decided.
    hint_score: float = 40.0
    #: Page rule: a scan has between min and max pages per sheet listed; outside is page_mismatch.
    min_pages_per_sheet: float = 1.0
    max_pages_per_sheet: float = 2.0
    #: Cores matching uses (-1: every core; 1: this process alone): rapidfuzz's cdist
    #: threads, and the worker processes a locality's title ranking is forked onto
    #: (blockpool.py; ``KHAUDIT_MATCH_PROCESSES`` overrides the count for those).
    workers: int = -1

    @classmethod
    def from_mapping(cls, raw: dict[str, Any], source: str = "") -> MatchSettings:
        """Settings from a project file's [matching] table; ``source`` prefixes errors."""
        known = {f.name: f for f in fields(cls)}
        for key, value in raw.items():
            if key not in known:
                allowed = ", ".join(known)
                raise ProjectError(
                    t("err.matching.unknown", source=source, key=key, allowed=allowed)
                )
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ProjectError(t("err.matching.number", source=source, key=key, value=value))
        return cls(**raw)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ContentSettings:
    """``[content]``: how scans are checked by what their first page says (content.py)."""

    #: The share of scans checked (0 < sample <= 1), drawn from each file's content hash so
    #: every run draws the same files; scanner counters are always read (their page is all
    #: they have). 0.05 suits a tree too large to check whole.
    sample: float = 1.0
    #: Recognise the first page of image-only scans with Tesseract and its Vietnamese model
    #: when the machine has them (scan/ocr.py): seconds a page, so off unless asked.
    ocr: bool = False
