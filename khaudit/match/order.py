"""Scan order: a batch of scanner counters with no metadata, aligned with the inventory.

A station that numbers what it scans (``SCAN0001.pdf``, ``IMG_000123.pdf``) and writes no
metadata export still scans a box in the order of its inventory. The counters of such a batch,
in their natural order, and the records no other evidence has placed, in inventory order, are
aligned as two sequences: a record may have no scan, a counter may be no record's, and two
neighbours may have gone through the station in each other's place.

The alignment is a probability model, not a score: every monotone alignment is weighed by how
likely its steps are (a record skipped, a counter left over, a neighbour swap) and how likely
each scan's page count is for the sheets its record lists. How pages relate to sheets is
learned from the batch itself (expectation maximisation): one page a sheet, two (duplex), in
between, a few off (a cover, a blank back skipped), far short or far over. Summing over all
alignments (forward-backward) gives, for each counter, the probability of each record and of
none. A counter is linked when one record has at least ``LINK_POSTERIOR`` of it, or when the
order favours it (``ORDER_DECIDES``) and no page count shows otherwise: a swap of neighbours
alike in sheets, or a stray file, that nothing calls for is not assumed. When the pages place
it two ways (a missing record and a swap fit alike, or another record fits its pages better)
the records go to a person with their probability; otherwise the order says nothing about it.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from .evidence import is_copy_name
from .items import Item
from .pages import CLASS_PRIOR, CLASSES, learned_shares, page_classes

#: Rates of the steps, as priors (share, pseudo-counts) and the floors learning keeps them
#: above: a station's swaps and stray counters are rare but never impossible, and a model that
#: believed them impossible would link a swapped pair with false certainty.
MISSING_PRIOR = (0.10, 10.0)
SWAP_PRIOR, SWAP_FLOOR = (0.02, 50.0), 0.01
STRAY_PRIOR, STRAY_FLOOR = (0.01, 50.0), 0.002
EM_ROUNDS = 3
#: A counter is linked when one record has this share of its probability.
LINK_POSTERIOR = 0.995
#: A record with at least this share of a counter the order did not decide is named to a
#: person, and the counter goes to review when such records hold ``DOUBT_MASS`` together.
DOUBT_SHARE = 0.01
#: The order decides a counter whose doubt no page count shows when its record holds this
#: share of it: the share a swap of alike neighbours leaves, not a gap the order cannot place
#: (two of three alike records scanned, which two: at most two thirds each).
ORDER_DECIDES = 0.9
DOUBT_MASS = 0.9
#: The expected share of the batch's pairs whose pages are near the range for the record's
#: sheets (neither far short nor far over), below which the pages do not follow the
#: inventory and nothing is linked.
MIN_FIT_SHARE = 0.8
#: Batches shorter than this say too little about an order; larger products are not aligned
#: (the tables are counters x records).
MIN_BATCH = 3
#: Counter numbers one folder's first scan may skip after the last of the folder before it
#: and still continue its run (a scan or two deleted, a stray kept apart).
CHAIN_GAP = 5
MAX_CELLS = 4_000_000


def natural_key(path: str) -> tuple[object, ...]:
    """A path as a scanning station's counter orders it: numbers by value."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.lower()))


def batches(items: list[Item]) -> list[list[Item]]:
    """Counters of one folder with no metadata at all, in the order the station numbered
    them (folders its counter runs on through, one batch). A folder where any scan has a
    metadata row is not a batch without metadata."""
    folders: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        folders[(item.root, item.relpath.rsplit("/", 1)[0] if "/" in item.relpath else "")].append(
            item
        )
    out = []
    for members in folders.values():
        if any(item.sidecar is not None for item in members):
            continue
        # A copy's name ("SCAN0004 - Copy.pdf") is its original's: no place of its own.
        counters = [
            item for item in members if item.evidence.counter and not is_copy_name(item.relpath)
        ]
        if counters:
            out.append(sorted(counters, key=lambda item: natural_key(item.relpath)))
    return [batch for batch in _chained(out) if len(batch) >= MIN_BATCH]


def _counter(item: Item) -> tuple[str, int] | None:
    """A counter's words and number ("doc", 38 for "DOC0038.pdf")."""
    name = item.relpath.rsplit("/", 1)[-1]
    found = re.match(r"^(\D*?)(\d+)\D*$", name)
    return (found.group(1).lower(), int(found.group(2))) if found else None


def _chained(folders: list[list[Item]]) -> list[list[Item]]:
    """One station's counter over several folders (a folder a day, "May scan 2/2025-05-20",
    "…/2025-05-22") is one batch where each folder's first counter follows the last of the
    folder before it (within ``CHAIN_GAP``): the station scanned them in one run of the
    inventory, and a folder's first scans are placed by the folder before it."""

    def parent(batch: list[Item]) -> tuple[str, str]:
        folder = posixpath.dirname(batch[0].relpath)
        return batch[0].root, posixpath.dirname(folder)

    ordered = sorted(folders, key=lambda b: (parent(b), natural_key(b[0].relpath)))
    out: list[list[Item]] = []
    for batch in ordered:
        last = _counter(out[-1][-1]) if out and parent(out[-1]) == parent(batch) else None
        first = _counter(batch[0])
        if last and first and last[0] == first[0] and 0 < first[1] - last[1] <= CHAIN_GAP:
            out[-1] = out[-1] + batch
        else:
            out.append(batch)
    return out


@dataclass(frozen=True)
class _Steps:
    """Log weights of the alignment's steps."""

    pair: float
    missing: float
    swap: float
    stray: float

    @classmethod
    def from_rates(cls, missing: float, swap: float, stray: float) -> _Steps:
        return cls(
            pair=float(np.log((1 - missing) * (1 - swap))),
            missing=float(np.log(missing)),
            swap=float(np.log((1 - missing) ** 2 * swap)),
            stray=float(np.log(stray)),
        )


#: A cell below this share of its row's largest is taken as nothing: it is the weight of
#: alignments e^-69 times less likely than the best, and dropping it keeps each row to the
#: band of records its counter can still be.
NEGLIGIBLE = 1e-30


def _forward(weight: np.ndarray, steps: _Steps) -> np.ndarray:
    """F[i, j]: log of the summed weight of every alignment of the first i counters with the
    first j records, given each pair's page-count likelihood ratio (``weight``, not in log).
    Records before the first counter and after the last are free (a batch covers a stretch
    of the inventory); a record skipped inside the stretch is a missing scan.

    Rows are kept as probabilities scaled to their largest cell (the log of the scale carried
    beside them), so a run of skipped records is a first-order linear filter over the row
    instead of a log-sum per cell, and each row is computed only over the band where the
    rows before it still hold weight."""
    k, m = weight.shape
    rows = np.zeros((k + 1, m + 1))
    scale = np.zeros(k + 1)
    rows[0] = 1.0
    skip = float(np.exp(steps.missing))
    pair, swap, stray = np.exp(steps.pair), np.exp(steps.swap), np.exp(steps.stray)
    reach = int(np.ceil(np.log(NEGLIGIBLE) / steps.missing)) + 2
    held = [(0, m + 1)]  # per row, the columns holding weight
    for i in range(1, k + 1):
        last = i == k
        # The swap step reads two rows back: the band spans both rows before this one.
        lo = min(band[0] for band in held[-2:])
        hi = max(band[1] for band in held[-2:])
        end = m + 1 if last else min(m + 1, hi + reach)
        prev = rows[i - 1, lo:end]
        best = prev * stray
        best[1:] += prev[:-1] * pair * weight[i - 1, lo : end - 1]
        if i >= 2 and end - lo >= 3:
            back = np.exp(scale[i - 2] - scale[i - 1])
            best[2:] += (
                rows[i - 2, lo : end - 2]
                * back
                * swap
                * weight[i - 2, lo + 1 : end - 1]
                * weight[i - 1, lo : end - 2]
            )
        row = lfilter([1.0], [1.0, -(1.0 if last else skip)], best)
        top = row.max() if len(row) else 0.0
        if not top > 0:
            scale[i:] = -np.inf
            break
        row /= top
        row[row < NEGLIGIBLE] = 0.0
        rows[i, lo:end] = row
        scale[i] = scale[i - 1] + np.log(top)
        nonzero = np.flatnonzero(row)
        held.append((lo + int(nonzero[0]), lo + int(nonzero[-1]) + 1))
    with np.errstate(divide="ignore"):
        return np.log(rows) + scale[:, None]


@dataclass(frozen=True)
class Posterior:
    """What the batch's alignments say: P(counter i is record j's scan), P(counter i is no
    record's), the expected number of swaps and of records skipped inside the stretch."""

    pairs: np.ndarray
    stray: np.ndarray
    swaps: float
    missing: float


def posterior(emit: np.ndarray, steps: _Steps) -> Posterior:
    """Forward-backward over the batch: each (counter, record) pair's probability, a swapped
    pair counted for both of its pairs, given the pairs' page log-likelihood ratios ``emit``."""
    k, m = emit.shape
    weight = np.exp(emit)
    forward = _forward(weight, steps)
    backward = _forward(weight[::-1, ::-1], steps)[::-1, ::-1]
    total = forward[k, m]
    pairs = np.exp(forward[:k, :m] + steps.pair + emit + backward[1:, 1:] - total)
    swaps = 0.0
    if k >= 2 and m >= 2:
        crossed = np.exp(
            forward[: k - 1, : m - 1]
            + steps.swap
            + emit[:-1, 1:]
            + emit[1:, :-1]
            + backward[2:, 2:]
            - total
        )
        pairs[:-1, 1:] += crossed
        pairs[1:, :-1] += crossed
        swaps = float(crossed.sum())
    paired = pairs.sum(axis=1)
    stray = np.clip(1.0 - paired, 0.0, 1.0)
    # Records skipped inside the stretch: the records between where the first and the last
    # counter are expected to fall, less those expected to have a scan.
    where = (pairs @ np.arange(m)) / np.maximum(paired, 1e-12)
    placed = np.flatnonzero(paired > 0.5)
    span = float(where[placed[-1]] - where[placed[0]] + 1) if len(placed) else 0.0
    missing = (
        max(span - float(pairs[placed[0] : placed[-1] + 1].sum()), 0.0) if len(placed) else 0.0
    )
    return Posterior(pairs=pairs, stray=stray, swaps=swaps, missing=missing)


def _learn(post: Posterior, cls: np.ndarray) -> tuple[np.ndarray, _Steps]:
    """The class shares and step rates the batch's current posterior implies, each pulled
    towards its prior by its pseudo-counts."""
    shares = learned_shares(np.bincount(cls[cls >= 0], post.pairs[cls >= 0], len(CLASSES)))
    paired = float(post.pairs.sum())

    def rate(events: float, trials: float, prior: tuple[float, float], floor: float) -> float:
        share, weight = prior
        return min(max((events + share * weight) / (trials + weight), floor), 0.5)

    steps = _Steps.from_rates(
        missing=rate(post.missing, post.missing + paired, MISSING_PRIOR, 1e-3),
        swap=rate(post.swaps, paired / 2, SWAP_PRIOR, SWAP_FLOOR),
        stray=rate(float(post.stray.sum()), len(post.stray), STRAY_PRIOR, STRAY_FLOOR),
    )
    return shares, steps


def _emissions(cls: np.ndarray, size: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Log-likelihood ratio of each pair's page count: as the record's scan against as the
    scan of a record drawn at random from the batch's stretch (a constant per counter, so
    only the choice between records and "none" is moved by it)."""
    known = cls >= 0
    likely = np.where(known, shares[np.maximum(cls, 0)] / size, 0.0)
    counted = known.sum(axis=1, keepdims=True)
    background = likely.sum(axis=1, keepdims=True) / np.maximum(counted, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.log(likely) - np.log(background)
    return np.where(known, ratio, 0.0)


@dataclass(frozen=True)
class Alignment:
    """A batch's alignment: the posterior under the rates learned from it, each pair's page
    class and the log-likelihood ratio of its page count (its evidence)."""

    posterior: Posterior
    classes: np.ndarray
    evidence: np.ndarray


def align_posterior(
    pages: list[float], sheets: list[float], min_per_sheet: float, max_per_sheet: float
) -> Alignment | None:
    """The batch's alignment after learning how its pages relate to its records' sheets and
    how often its station skips, swaps and strays; None when the batch is empty or too large
    to align."""
    k, m = len(pages), len(sheets)
    if not k or not m or k * m > MAX_CELLS:
        return None
    cls, size = page_classes(
        np.asarray(pages, dtype=float)[:, None],
        np.asarray(sheets, dtype=float)[None, :],
        min_per_sheet,
        max_per_sheet,
    )
    shares = CLASS_PRIOR.copy()
    steps = _Steps.from_rates(MISSING_PRIOR[0], SWAP_PRIOR[0], STRAY_PRIOR[0])
    post = posterior(_emissions(cls, size, shares), steps)
    for _ in range(EM_ROUNDS):
        shares, steps = _learn(post, cls)
        emit = _emissions(cls, size, shares)
        post = posterior(emit, steps)
    return Alignment(posterior=post, classes=cls, evidence=emit)


def align(
    pages: list[float], sheets: list[float], min_per_sheet: float, max_per_sheet: float
) -> dict[int, int]:
    """counter index -> record index for the pairs the order decides."""
    return align_with_doubts(pages, sheets, min_per_sheet, max_per_sheet)[0]


def align_with_doubts(
    pages: list[float], sheets: list[float], min_per_sheet: float, max_per_sheet: float
) -> tuple[dict[int, int], dict[int, list[tuple[int, float]]]]:
    """The pairs the order decides (counter index -> record index) and, for the counters it
    placed between a few records without deciding (neighbours whose pages fit either way
    round), those records with their probability, most likely first (ties in inventory
    order): a person's choice, not a link."""
    aligned = align_posterior(pages, sheets, min_per_sheet, max_per_sheet)
    if aligned is None:
        return {}, {}
    post, cls = aligned.posterior, aligned.classes
    known = cls >= 0
    # Pairs near the range (within OFFSET of either end) count: a cover page is the order's
    # evidence as much as an exact count; only far short or far over says it is not.
    fitting = post.pairs[known & (cls < len(CLASSES) - 2)].sum()
    if not fitting or fitting < MIN_FIT_SHARE * post.pairs[known].sum():
        return {}, {}  # the pages do not follow the inventory: the order says nothing here
    decided: dict[int, int] = {}
    doubts: dict[int, list[tuple[int, float]]] = {}
    for i, row in enumerate(post.pairs):
        j = int(row.argmax())
        near = [int(c) for c in np.flatnonzero(row >= DOUBT_SHARE)]
        if row[j] >= LINK_POSTERIOR or _unshown_doubt(aligned, i, j, near):
            decided[i] = j
            continue
        if near and row[near].sum() >= DOUBT_MASS:
            ranked = sorted(near, key=lambda c: (-round(float(row[c]), 3), c))
            doubts[i] = [(c, float(row[c])) for c in ranked]
    return decided, doubts


def _unshown_doubt(aligned: Alignment, i: int, j: int, near: list[int]) -> bool:
    """Whether counter i's doubt between record j (the order's choice) and the others is one
    no page count shows: j holds ``ORDER_DECIDES`` of it, its pages fit j, and they fit every
    other record it may be exactly as well (a swap of neighbours alike in sheets, a stray file
    nothing calls for); a record they fit better or worse is evidence, and a person decides."""
    cls, evidence = aligned.classes[i], aligned.evidence[i]
    return (
        aligned.posterior.pairs[i, j] >= ORDER_DECIDES
        and 0 <= cls[j] < len(CLASSES) - 2
        and all(abs(evidence[c] - evidence[j]) <= 1e-9 for c in near)
    )
