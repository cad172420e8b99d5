"""The labelling rule: which scans the evidence singles out, and which are true ties.

See the package docstring for the rule in words. ``known`` names the fields the inventory
lets a reader check (a year folder says nothing against an inventory without dates or codes).
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from .layout import Scan, segments
from .records import Record
from .typed import Visible, norm


def fits_pages(pages: int | None, sheets: int) -> bool:
    return pages is None or sheets <= pages <= 2 * sheets


def compatible(record: Record, ev: dict[str, object], known: set[str]) -> bool:
    if "code" in ev and "code" in known and segments(record.code) != ev["code"]:
        return False
    if "file_no" in ev and "file_no" in known and record.file_no != ev["file_no"]:
        return False
    if "box" in ev and "box" in known and record.box != ev["box"]:
        return False
    year = ev.get("year")
    month = ev.get("month")
    start = (record.date_start.year, record.date_start.month)
    if month is not None and "date" in known and start != month:
        return False
    if "date" in ev:
        if "date" in known and record.date_start != ev["date"]:
            return False
        year = ev["date"].year  # type: ignore[attr-defined]
    if (
        year is not None
        and "year" in known
        and not record.year_start <= int(year) <= record.year_end
    ):  # type: ignore[call-overload]
        return False
    title = ev.get("title")
    return not (isinstance(title, Visible) and not title.fits(record.text))


def _pool(live: list[Record], ev: dict[str, object], known: set[str]) -> list[Record]:
    """The records worth checking: those with the scan's number when it carries one."""
    if "file_no" in ev and "file_no" in known:
        return _by_number(tuple(live)).get(ev["file_no"], [])  # type: ignore[call-overload]
    title = ev.get("title")
    if isinstance(title, Visible) and title.prefix:
        keys, records = _by_title(tuple(live))
        at = bisect.bisect_left(keys, title.prefix)
        out = []
        while at < len(keys) and keys[at].startswith(title.prefix):
            out.append(records[at])
            at += 1
        return out
    return live


_TITLE_INDEX: dict[tuple[int, int], tuple[list[str], list[Record]]] = {}


def _by_title(live: tuple[Record, ...]) -> tuple[list[str], list[Record]]:
    key = (id(live[0]) if live else 0, len(live))
    if key not in _TITLE_INDEX:
        pairs = sorted(((norm(r.text), r) for r in live), key=lambda p: p[0])
        _TITLE_INDEX[key] = ([p[0] for p in pairs], [p[1] for p in pairs])
    return _TITLE_INDEX[key]


_NUMBER_INDEX: dict[int, dict[object, list[Record]]] = {}


def _by_number(live: tuple[Record, ...]) -> dict[object, list[Record]]:
    key = id(live[0]) if live else 0
    index = _NUMBER_INDEX.get(key)
    if index is None or sum(len(v) for v in index.values()) != len(live):
        index = defaultdict(list)
        for r in live:
            index[r.file_no].append(r)
        _NUMBER_INDEX[key] = index
    return index


def _first_candidates(
    scans: list[Scan], live: list[Record], known: set[str]
) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for k, scan in enumerate(scans):
        if scan.evidence.get("bare"):
            continue
        pool = _pool(live, scan.evidence, known)
        cand = {r.position for r in pool if compatible(r, scan.evidence, known)}
        if "sheets" in known and scan.pages is not None and len(cand) > 1:
            by_pos = {r.position: r for r in live}
            fit = {p for p in cand if fits_pages(scan.pages, by_pos[p].sheets)}
            cand = fit or cand
        out[k] = cand
    return out


def _align(files: list[Scan], records: list[Record]) -> list[set[int]]:
    """Every record each file of a bare counter group can be, over the alignments that keep
    the inventory order (a record may be missing), fit each file's page count to its record's
    sheets, and swap the fewest neighbours (a swap is read only where the pages demand it)."""
    m, n = len(files), len(records)
    pages = [f.pages for f in files]
    sheets = [r.sheets for r in records]
    inf = 10**9

    def ok(i: int, j: int) -> bool:
        return fits_pages(pages[i], sheets[j])

    def swap(i: int, j: int) -> bool:
        return i + 1 < m and j + 1 < n and ok(i, j + 1) and ok(i + 1, j)

    fwd = [[inf] * (n + 1) for _ in range(m + 1)]
    fwd[0][0] = 0
    for i in range(m + 1):
        for j in range(n + 1):
            here = fwd[i][j]
            if here >= inf:
                continue
            if j < n:
                fwd[i][j + 1] = min(fwd[i][j + 1], here)
            if i < m and j < n and ok(i, j):
                fwd[i + 1][j + 1] = min(fwd[i + 1][j + 1], here)
            if swap(i, j):
                fwd[i + 2][j + 2] = min(fwd[i + 2][j + 2], here + 1)
    back = [[inf] * (n + 1) for _ in range(m + 1)]
    back[m][n] = 0
    for i in range(m, -1, -1):
        for j in range(n, -1, -1):
            best = back[i][j]
            if j < n:
                best = min(best, back[i][j + 1])
            if i < m and j < n and ok(i, j):
                best = min(best, back[i + 1][j + 1])
            if swap(i, j):
                best = min(best, back[i + 2][j + 2] + 1)
            back[i][j] = best
    total = back[0][0]
    cand: list[set[int]] = [set() for _ in range(m)]
    if total >= inf:
        return cand
    for i in range(m):
        for j in range(n):
            if fwd[i][j] >= inf:
                continue
            if ok(i, j) and fwd[i][j] + back[i + 1][j + 1] == total:
                cand[i].add(records[j].position)
            if swap(i, j) and fwd[i][j] + 1 + back[i + 2][j + 2] == total:
                cand[i].add(records[j + 1].position)
                cand[i + 1].add(records[j].position)
    return cand


def _bare_candidates(scans: list[Scan], live: list[Record]) -> dict[int, set[int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for k, scan in enumerate(scans):
        if scan.evidence.get("bare"):
            groups[scan.evidence["bare"]].append(k)
    out: dict[int, set[int]] = {}
    for group, members in groups.items():
        keying, box = group  # type: ignore[misc]
        records = [r for r in live if r.keying == keying and (box is None or r.box == box)]
        members.sort(key=lambda k: scans[k].seq)
        for k, cand in zip(members, _align([scans[k] for k in members], records), strict=True):
            out[k] = cand
    return out


def _eliminate(scans: list[Scan], cand: dict[int, set[int]]) -> None:
    """A record a decided scan certainly is cannot be another scan's."""
    changed = True
    while changed:
        changed = False
        claimed = {next(iter(c)) for k, c in cand.items() if len(c) == 1 and _truth(scans[k]) in c}
        for c in cand.values():
            if len(c) > 1 and c & claimed:
                c -= claimed
                changed = True


def _order(scans: list[Scan], cand: dict[int, set[int]]) -> None:
    """Counters with an export: an undecided scan lies between its decided neighbours."""
    batches: dict[str, list[int]] = defaultdict(list)
    for k, scan in enumerate(scans):
        if "order" in scan.evidence and k in cand:
            batches[scan.batch].append(k)
    for members in batches.values():
        members.sort(key=lambda k: scans[k].seq)
        decided = [k for k in members if len(cand[k]) == 1 and _truth(scans[k]) in cand[k]]
        for k in members:
            if len(cand[k]) <= 1:
                continue
            before = [next(iter(cand[d])) for d in decided if scans[d].seq < scans[k].seq]
            after = [next(iter(cand[d])) for d in decided if scans[d].seq > scans[k].seq]
            lo = before[-1] if before else -1
            hi = after[0] if after else 10**9
            narrowed = {p for p in cand[k] if lo < p < hi}
            if narrowed:
                cand[k] = narrowed


def _truth(scan: Scan) -> int:
    assert scan.record is not None
    return -1 if scan.record.orphan else scan.record.position


def label(scans: list[Scan], live: list[Record], known: set[str]) -> None:
    """Set ``status`` (matched, needs_review or orphan) and ``candidates`` of each scan that
    is not a copy; damage and page statuses are applied afterwards by the caller."""
    cand = _first_candidates(scans, live, known)
    cand.update(_bare_candidates(scans, live))
    _eliminate(scans, cand)
    _order(scans, cand)
    _eliminate(scans, cand)
    for k, scan in enumerate(scans):
        c = cand.get(k, set())
        scan.candidates = frozenset(c)
        if scan.record is not None and scan.record.orphan:
            scan.status = "orphan" if not c else "needs_review"
        elif c == {_truth(scan)}:
            scan.status = "matched"
        else:
            scan.status = "needs_review"


def decided_alone(scan: Scan, live: list[Record], known: set[str]) -> bool:
    """The scan's own name and export single out its record, without pages or order."""
    if scan.evidence.get("bare"):
        return False
    cand = [r for r in _pool(live, scan.evidence, known) if compatible(r, scan.evidence, known)]
    return len(cand) == 1 and scan.record is cand[0]
