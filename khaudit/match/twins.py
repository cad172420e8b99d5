"""Evidence for settling near-twins: page counts as learned likelihoods, and the order a
file system numbered two copies of one cut name in.

Two scans whose titles fit the same records equally (a name cut before the word that tells
them apart, "…_thua_dat_s.pdf" and "…_thua_dat_s_2.pdf") are settled by what else they show.
Each signal enters the assignment as points worth its evidence: ``POINTS_PER_NAT`` points a
unit of log-likelihood, so the assignment's margin (``TIE_MARGIN`` points) is a
likelihood ratio of about 999:1 and a pair decided by it is right at least 99.9% of the time
when the signals are as reliable as they are taken to be.
"""

from __future__ import annotations

import math
import posixpath
import re

from .items import Item, stem

#: How much better (in title-score points) the chosen assignment of near-twins must be than
#: any other for a pair to be decided.
TIE_MARGIN = 6.0
#: Points of title score a unit of log-likelihood is worth: the margin is odds of 999:1.
POINTS_PER_NAT = TIE_MARGIN / math.log(999)
#: A station scans a box in its inventory's order and a file system numbers a second copy of
#: a name after the first, so the twin numbered first is the earlier record about 19 times in
#: 20 (the rest: neighbours scanned in each other's place).
TWIN_ORDER_ODDS = 19.0
TWIN_ORDER_POINTS = POINTS_PER_NAT * math.log(TWIN_ORDER_ODDS)
#: What a file system or an operator appends to tell two names apart: "_2", " (3)", "-1".
TWIN_NUMBER = re.compile(r"[ _-]*\(?(\d{1,2})\)?")


def _stem(item: Item) -> str:
    folder, name = posixpath.split(item.relpath)
    return posixpath.join(folder, stem(name)).casefold()


def twin_sets(items: list[Item]) -> list[list[int]]:
    """Indexes into ``items`` of scans that are copies of one name told apart by a number
    (the bare name first, then by its number), each set of two or more in numbering order."""
    stems = [(_stem(item), item.root) for item in items]
    sets: dict[int, list[tuple[int, int]]] = {}
    for i, (name, root) in enumerate(stems):
        for j, (other, other_root) in enumerate(stems):
            if i == j or root != other_root or not name.startswith(other) or name == other:
                continue
            number = TWIN_NUMBER.fullmatch(name[len(other) :])
            if number:
                sets.setdefault(j, [(j, 1)]).append((i, int(number.group(1))))
    out = []
    for members in sets.values():
        ordered = sorted(dict(members).items(), key=lambda kv: (kv[1], kv[0]))
        if len(ordered) >= 2:
            out.append([i for i, _ in ordered])
    return out


#: A root's modification times are read as its scanning order when, over the scans already
#: linked on their own evidence, at least this share of each folder's consecutive scans (in
#: time order) are of records in inventory order, over at least ``MIN_TIMED_PAIRS`` pairs.
TIME_ORDER_AGREEMENT = 0.9
MIN_TIMED_PAIRS = 10


def time_ordered_roots(claimed: dict[int, Item], position: dict[int, int]) -> set[str]:
    """The roots whose files' modification times follow the inventory, learned from the
    links already made (record -> its scan): where a station wrote its scans in the order it
    scanned a box, times are the order; where a copy or a later edit reset them, they are not."""
    by_folder: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for record, item in claimed.items():
        if item.mtime is not None:
            key = (item.root, posixpath.dirname(item.relpath))
            by_folder.setdefault(key, []).append((item.mtime, position[record]))
    agree: dict[str, list[int]] = {}
    for (root, _), members in by_folder.items():
        members.sort()
        counts = agree.setdefault(root, [0, 0])
        for (t1, p1), (t2, p2) in zip(members, members[1:]):
            if t1 < t2:
                counts[0] += p1 < p2
                counts[1] += 1
    return {
        root
        for root, (ordered, pairs) in agree.items()
        if pairs >= MIN_TIMED_PAIRS and ordered >= TIME_ORDER_AGREEMENT * pairs
    }


def scan_time_order(items: list[Item], timed_roots: set[str]) -> list[int] | None:
    """Indexes into ``items`` in the order the station wrote them, when that order is known:
    all in one folder of a root whose times follow its inventory (``timed_roots``), each with
    its own modification time. A group spread over batches says nothing."""
    if len({(item.root, posixpath.dirname(item.relpath)) for item in items}) != 1:
        return None
    if items[0].root not in timed_roots:
        return None
    times = [item.mtime for item in items]
    if any(m is None for m in times) or len(set(times)) < len(times):
        return None
    return sorted(range(len(items)), key=lambda i: times[i] or 0.0)
