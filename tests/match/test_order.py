"""Scan order (khaudit/match/order.py): counters without metadata aligned with the inventory."""

from __future__ import annotations

import math
import random

from khaudit.match.order import align, align_with_doubts


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
    assert len(decided) >= 25  # the rest stay for a person: neighbours whose pages fit both


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
    assert doubts == {4: [4, 5], 5: [4, 5]}  # both, in inventory order
