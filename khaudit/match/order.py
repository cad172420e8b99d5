"""Scan order: a batch of scanner counters with no metadata, aligned with the inventory.

A station that numbers what it scans (``SCAN0001.pdf``, ``IMG_000123.pdf``) and writes no
metadata export still scans a box in the order of its inventory. The counters of such a batch,
in their natural order, and the records no other evidence has placed, in inventory order, are
aligned as two sequences (a record may have no scan; a counter may be no record's; two
neighbours may have gone through the station in each other's place): each
pairing scores by whether the scan's page count fits the sheets the inventory lists. The best
monotone alignment is found by dynamic programming, and a pair is linked only when every
alignment that pairs the counter otherwise (or leaves it out) is clearly worse (max-marginals):
a shift by one breaks many page fits at once, so the order is decisive or nothing is linked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .items import Item

#: A page count within the sheets' range adds this; outside it takes this off.
FIT = 1.0
MISFIT = 1.0
#: Leaving a record without a scan, or a counter without a record, costs this much.
SKIP_RECORD = 0.2
SKIP_SCAN = 1.0
#: A pair is linked when the best alignment without it is at least this much worse.
DECISIVE_MARGIN = 1.0
#: The share of the best alignment's pairs whose pages fit, below which a batch is not linked.
MIN_FIT_SHARE = 0.8
#: Batches shorter than this say too little about an order; larger products are not aligned
#: (the tables are counters x records).
MIN_BATCH = 3
MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class OrderLink:
    item: Item
    record: int
    position: int  # the counter's place in its batch, from 1
    batch: int  # counters in the batch


def natural_key(path: str) -> tuple[object, ...]:
    """A path as a scanning station's counter orders it: numbers by value."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.lower()))


def batches(items: list[Item]) -> list[list[Item]]:
    """Counters of one folder with no metadata at all, in the order the station numbered
    them. A folder where any scan has a metadata row is not a batch without metadata."""
    folders: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        folders[(item.root, item.relpath.rsplit("/", 1)[0] if "/" in item.relpath else "")].append(
            item
        )
    out = []
    for members in folders.values():
        if any(item.sidecar is not None for item in members):
            continue
        counters = [item for item in members if item.evidence.counter]
        if len(counters) >= MIN_BATCH:
            out.append(sorted(counters, key=lambda item: natural_key(item.relpath)))
    return out


def _forward(fit: np.ndarray) -> np.ndarray:
    """F[i, j]: the best score of aligning the first i counters with the first j records.
    Besides a pair, a skipped record and a skipped counter, two neighbours scanned in each
    other's place (a local shuffle at the station) are one step."""
    k, m = fit.shape
    steps = SKIP_RECORD * np.arange(m + 1)
    table = np.empty((k + 1, m + 1))
    table[0] = -steps
    for i in range(1, k + 1):
        prev = table[i - 1]
        best = prev - SKIP_SCAN
        best[1:] = np.maximum(best[1:], prev[:-1] + fit[i - 1])
        if i >= 2 and m >= 2:
            crossed = table[i - 2][:-2] + fit[i - 2, 1:] + fit[i - 1, :-1]
            best[2:] = np.maximum(best[2:], crossed)
        table[i] = np.maximum.accumulate(best + steps) - steps
    return table


def page_fit(
    pages: np.ndarray, sheets: np.ndarray, min_per_sheet: float, max_per_sheet: float
) -> np.ndarray:
    """FIT when a scan's page count is within a record's sheets range, -MISFIT outside it,
    0 when either is unknown. A graded fit was tried and told neighbours apart less well: a
    shifted alignment then keeps most of its score."""
    with np.errstate(invalid="ignore"):
        fits = (pages >= sheets * min_per_sheet) & (pages <= sheets * max_per_sheet)
    known = ~np.isnan(pages) & ~np.isnan(sheets) & (sheets > 0)
    return np.where(known, np.where(fits, FIT, -MISFIT), 0.0)


def align(
    pages: list[float], sheets: list[float], min_per_sheet: float, max_per_sheet: float
) -> dict[int, int]:
    """counter index -> record index for the decisive pairs of the best alignment."""
    return align_with_doubts(pages, sheets, min_per_sheet, max_per_sheet)[0]


def align_with_doubts(
    pages: list[float], sheets: list[float], min_per_sheet: float, max_per_sheet: float
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """The decisive pairs of the best alignment (counter index -> record index) and, for the
    counters the order placed but could not decide (two neighbours whose pages fit either
    way round), the records an alignment nearly as good gives them, best first (ties in
    inventory order): not links, but where a person should look."""
    k, m = len(pages), len(sheets)
    if not k or not m or k * m > MAX_CELLS:
        return {}, {}
    p = np.asarray(pages, dtype=float)[:, None]
    s = np.asarray(sheets, dtype=float)[None, :]
    fit = page_fit(p, s, min_per_sheet, max_per_sheet)
    forward = _forward(fit)
    backward = _forward(fit[::-1, ::-1])[::-1, ::-1]  # B[i, j]: counters i.., records j..
    best = forward[k, m]
    through = forward[:k, :m] + fit + backward[1:, 1:]
    if k >= 2 and m >= 2:
        # Crossed blocks at (a, b): counter a with record b + 1, counter a + 1 with record b.
        crossed = forward[: k - 1, : m - 1] + fit[:-1, 1:] + fit[1:, :-1] + backward[2:, 2:]
        through[:-1, 1:] = np.maximum(through[:-1, 1:], crossed)
        through[1:, :-1] = np.maximum(through[1:, :-1], crossed)
    left_out = (forward[:k] - SKIP_SCAN + backward[1:]).max(axis=1)
    chosen = through.argmax(axis=1)
    on_path = [(i, int(j)) for i, j in enumerate(chosen) if through[i, j] >= best - 1e-9]
    fitting = sum(fit[i, j] > 0 for i, j in on_path)
    if not on_path or fitting < MIN_FIT_SHARE * len(on_path):
        return {}, {}  # the pages do not follow the inventory: the order says nothing here
    decided: dict[int, int] = {}
    doubts: dict[int, list[int]] = {}
    for i, j in on_path:
        if fit[i, j] <= 0:
            continue  # only a pair whose pages fit is linked by order
        others = np.delete(through[i], j).max(initial=-np.inf)
        if max(others, left_out[i]) <= best - DECISIVE_MARGIN:
            decided[i] = int(j)
            continue
        near = np.flatnonzero((through[i] > best - DECISIVE_MARGIN) & (fit[i] > 0))
        doubts[i] = sorted((int(c) for c in near), key=lambda c: (-through[i, c], c))
    return decided, doubts
