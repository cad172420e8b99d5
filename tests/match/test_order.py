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


def test_neighbours_the_pages_cannot_tell_apart_are_placed_by_the_order():
    # Records 4 and 5 have the same sheets: scanned in either order their pages fit both.
    # Nothing shows a swap, so the order the station scanned in decides.
    sheets = [3.0, 40.0, 9.0, 25.0, 12.0, 12.0, 60.0, 5.0, 33.0, 17.0]
    pages = [s * 2 for s in sheets]
    decided, doubts = align_with_doubts(pages, sheets, 1.0, 2.0)
    assert decided == {j: j for j in range(10)} and doubts == {}


def test_a_counter_the_pages_place_two_ways_names_both_records():
    # Record 3 (48 sheets) has no scan, and the 60-page counter after record 2's fits both it
    # (in order, record 5 then missing) and record 5 (60 sheets, swapped with record 4's scan).
    sheets = [3.0, 40.0, 9.0, 48.0, 6.0, 60.0, 5.0, 33.0, 17.0, 12.0, 25.0]
    pages = [6.0, 80.0, 18.0, 60.0, 8.0, 5.0, 66.0, 17.0, 24.0, 50.0]
    decided, doubts = align_with_doubts(pages, sheets, 1.0, 2.0)
    # The 8-page counter after it fits record 4 either way: the order places it.
    assert decided == {0: 0, 1: 1, 2: 2, 4: 4, 5: 6, 6: 7, 7: 8, 8: 9, 9: 10}
    assert sorted(j for j, _ in doubts[3]) == [3, 5]
    assert all(0.1 < p < 0.9 for _, p in doubts[3])


def test_each_counter_is_one_record_or_none():
    rng = random.Random(2)
    sheets = [float(rng.randint(1, 80)) for _ in range(60)]
    pages = [
        s * rng.choice((1, 2)) + rng.choice((0, 0, 0, 1)) for s in sheets if rng.random() > 0.1
    ]
    aligned = align_posterior(pages, sheets, 1.0, 2.0)
    assert aligned is not None
    post = aligned.posterior
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


def test_a_counter_whose_pages_fit_a_later_record_better_is_not_placed_by_the_order():
    # Record 5 (19 sheets) was scanned after record 7 (10 sheets) and record 6 has no scan:
    # the 10-page counter in record 5's place is short for it and exact for record 7.
    sheets = [30.0, 12.0, 45.0, 8.0, 60.0, 19.0, 9.0, 10.0, 70.0, 25.0, 14.0]
    pages = [30.0, 12.0, 45.0, 8.0, 60.0, 10.0, 19.0, 70.0, 25.0, 14.0]
    decided, doubts = align_with_doubts(pages, sheets, 1.0, 2.0)
    assert decided.get(5) in (None, 7)
    assert all(j == [0, 1, 2, 3, 4, 7, 5, 8, 9, 10][i] for i, j in decided.items())


def test_a_counter_running_on_through_day_folders_is_one_batch():
    # "May scan 2/2025-05-20/DOC0030.pdf", then "…/2025-05-22/DOC0038.pdf": one station's
    # counter over a folder a day is one run; another station's, or a counter that starts
    # again, is a batch of its own.
    from test_link import scans

    from khaudit.match.items import build_items
    from khaudit.match.order import batches
    from khaudit.match.sidecar import SidecarIndex

    paths = [f"May 2/2025-05-20/DOC{n:04d}.pdf" for n in range(28, 38)]
    paths += [f"May 2/2025-05-22/DOC{n:04d}.pdf" for n in range(38, 44)]
    paths += [f"May 1/2025-05-22/DOC{n:04d}.pdf" for n in range(44, 50)]
    paths += [f"May 1/2025-05-23/DOC{n:04d}.pdf" for n in range(1, 6)]
    found = batches(build_items(scans(paths), SidecarIndex([])))
    assert sorted(len(batch) for batch in found) == [5, 6, 16]
    longest = max(found, key=len)
    assert [item.relpath for item in longest] == paths[:16]
