"""Scan order (khaudit/match/order.py): counters without metadata aligned with the inventory."""

from __future__ import annotations

import math
import random

import numpy as np

from khaudit.match.order import align, align_posterior, align_with_doubts


def test_counters_follow_the_inventory_through_a_gap_and_a_swap():
    rng = random.Random(4)
    sheets = [float(rng.randint(2, 60)) for _ in range(40)]
    # Record 10 has no scan; records 20 and 21 went through the station in each other's place.
    scanned = [j for j in range(40) if j != 10]
    k = scanned.index(20)
    scanned[k], scanned[k + 1] = scanned[k + 1], scanned[k]
    pages = [sheets[j] * rng.choice((1, 2)) for j in scanned]
    decided = align(pages, sheets, 1.0, 2.0)
    assert all(scanned[i] == j for i, j in decided.items())  # never a wrong pair
    # Exact page counts (one or two a sheet) tell neighbours apart, the swapped pair included.
    assert len(decided) >= 37


def test_pages_that_say_nothing_link_nothing():
    sheets = [5.0] * 12
    pages = [7.0] * 10  # every scan fits every record: the order alone cannot place a gap
    assert align(pages, sheets, 1.0, 2.0) == {}
    assert align([math.nan] * 5, [3.0] * 6, 1.0, 2.0) == {}


def test_pages_that_do_not_follow_the_inventory_link_nothing():
    rng = random.Random(9)
    sheets = [float(rng.randint(2, 60)) for _ in range(30)]
    pages = [float(rng.randint(200, 400)) for _ in range(28)]  # fit no record
    assert align(pages, sheets, 1.0, 2.0) == {}


def test_a_counter_the_order_cannot_decide_names_the_records_it_fits():
    # Records 4 and 5 have the same sheets: scanned in either order their pages fit both.
    sheets = [3.0, 40.0, 9.0, 25.0, 12.0, 12.0, 60.0, 5.0, 33.0, 17.0]
    pages = [s * 2 for s in sheets]
    decided, doubts = align_with_doubts(pages, sheets, 1.0, 2.0)
    assert decided == {j: j for j in range(10) if j not in (4, 5)}
    # Both records for each, the one the order favours first: a swap is rare, not impossible.
    assert [j for j, _ in doubts[4]] == [4, 5] and [j for j, _ in doubts[5]] == [5, 4]
    assert 0.9 < doubts[4][0][1] < 0.995 and 0.005 < doubts[4][1][1] < 0.1


def test_each_counter_is_one_record_or_none():
    rng = random.Random(2)
    sheets = [float(rng.randint(1, 80)) for _ in range(60)]
    pages = [
        s * rng.choice((1, 2)) + rng.choice((0, 0, 0, 1)) for s in sheets if rng.random() > 0.1
    ]
    aligned = align_posterior(pages, sheets, 1.0, 2.0)
    assert aligned is not None
    post, _ = aligned
    assert np.allclose(post.pairs.sum(axis=1) + post.stray, 1.0)
    assert np.all(post.pairs.sum(axis=0) <= 1.0 + 1e-9)  # no record is two counters' scan


def test_links_by_order_are_right_as_often_as_they_claim():
    """Simulated stations (records missing, neighbours swapped, duplex or not, a cover page
    now and then): of the pairs linked, at most one in a thousand is wrong."""
    wrong = linked = 0
    for seed in range(30):
        rng = random.Random(seed)
        sheets = [float(rng.randint(1, 120)) for _ in range(rng.randint(40, 120))]
        scanned = [j for j in range(len(sheets)) if rng.random() > rng.choice((0.02, 0.1))]
        for i in range(len(scanned) - 1):
            if rng.random() < 0.02:
                scanned[i], scanned[i + 1] = scanned[i + 1], scanned[i]
        duplex = rng.random()
        pages = [
            sheets[j] * (2 if rng.random() < duplex else 1) + (1 if rng.random() < 0.05 else 0)
            for j in scanned
        ]
        decided = align(pages, sheets, 1.0, 2.0)
        linked += len(decided)
        wrong += sum(scanned[i] != j for i, j in decided.items())
    assert linked > 0.8 * 30 * 70
    assert wrong <= linked / 1000
