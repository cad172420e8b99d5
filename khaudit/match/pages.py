"""How a scan's page count relates to the sheets its record lists, learned from the data.

An inventory counts sheets (tờ); a scan counts pages. A station scanning one side gives a
page a sheet, duplex gives two, a cover or a skipped blank back puts a count a little off
either end, a scan cut short falls far below. Which of these a locality's stations show is
not assumed: the shares of each class are learned from links already certain (or, for a
counter batch, from the alignment's own posterior), so an exact count weighs what it is
worth there. The log-likelihood of a page count under the learned shares is the evidence
near-twins and counter batches are decided by.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: How a scan's page count p relates to its record's sheets s, with the project's range of
#: pages a sheet lo..hi (a = s*lo, b = s*hi): each offset from a and from b up to ``OFFSET``
#: (exact, a cover or two, a blank back skipped), the rest of the range between them, far
#: short, far over. Which of them a station's scans show is learned; the prior shares are
#: where learning starts.
OFFSET = 3
CLASSES = (
    *(f"a{d:+d}" for d in range(-OFFSET, OFFSET + 1)),
    *(f"b{d:+d}" for d in range(-OFFSET, OFFSET + 1)),
    "between",
    "short",
    "long",
)
_NEAR = 2 * OFFSET + 1
CLASS_PRIOR = np.array(
    [*(0.40 if d == 0 else 0.01 for d in range(-OFFSET, OFFSET + 1))]
    + [*(0.25 if d == 0 else 0.01 for d in range(-OFFSET, OFFSET + 1))]
    + [0.15, 0.04, 0.04]
)
CLASS_PRIOR = CLASS_PRIOR / CLASS_PRIOR.sum()
#: Pseudo-counts behind the learned shares: a few dozen certain links move them, a handful
#: of odd scans does not.
PRIOR_WEIGHT = 20.0


def page_classes(
    pages: np.ndarray, sheets: np.ndarray, min_per_sheet: float, max_per_sheet: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each (pages, sheets) pair's class (an index into ``CLASSES``, -1 when a count is
    unknown; the two arrays broadcast against each other) and how many page counts that
    class holds for the record's sheets (a class's probability is spread over its members:
    an exact count is worth more than "in between")."""
    p = np.asarray(pages, dtype=float)
    s = np.asarray(sheets, dtype=float)
    known = ~np.isnan(p) & ~np.isnan(s) & (s > 0)
    shape = np.broadcast_shapes(p.shape, s.shape)
    with np.errstate(invalid="ignore"):
        a = np.maximum(np.rint(s * min_per_sheet), 1)
        b = np.maximum(np.rint(s * max_per_sheet), a)
        cls = np.full(shape, len(CLASSES) - 1, dtype=np.int8)
        size = np.broadcast_to(np.maximum(b, 10.0), shape).copy()
        short = p < a - OFFSET
        cls[short] = len(CLASSES) - 2
        size[short] = np.broadcast_to(np.maximum(a - OFFSET - 1, 1.0), shape)[short]
        between = (p > a + OFFSET) & (p < b - OFFSET)
        cls[between] = _NEAR * 2
        size[between] = np.broadcast_to(np.maximum(b - a - 2 * OFFSET - 1, 1.0), shape)[between]
        for base, first in ((b, _NEAR), (a, 0)):  # a's offsets win where the two overlap
            offset = p - base
            near = np.abs(offset) <= OFFSET
            cls[near] = (first + OFFSET + offset)[near]
            size[near] = 1.0
    cls[~known] = -1
    return cls, np.where(known, size, 1.0)


def learned_shares(counts: np.ndarray) -> np.ndarray:
    """Class shares from (expected) counts per class, pulled towards the prior."""
    return (counts + PRIOR_WEIGHT * CLASS_PRIOR) / (counts.sum() + PRIOR_WEIGHT)


@dataclass(frozen=True)
class PageModel:
    """The learned shares of a locality's page classes, with the project's pages-a-sheet
    range they are measured against."""

    shares: np.ndarray
    min_per_sheet: float
    max_per_sheet: float

    @classmethod
    def learn(
        cls, pages: np.ndarray, sheets: np.ndarray, min_per_sheet: float, max_per_sheet: float
    ) -> PageModel:
        """From pairs known to belong together (one scan's pages, its record's sheets)."""
        classes = page_classes(pages, sheets, min_per_sheet, max_per_sheet)[0]
        counts = np.bincount(classes[classes >= 0], minlength=len(CLASSES)).astype(float)
        return cls(learned_shares(counts), min_per_sheet, max_per_sheet)

    def loglik(self, pages: np.ndarray, sheets: np.ndarray) -> np.ndarray:
        """log P(pages | sheets) for each pair (pages[i], sheets[i]); 0 where either is
        unknown (no evidence either way)."""
        classes, size = page_classes(pages, sheets, self.min_per_sheet, self.max_per_sheet)
        known = classes >= 0
        return np.where(known, np.log(self.shares[np.maximum(classes, 0)] / size), 0.0)
