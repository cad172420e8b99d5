"""The labelling rule: what the truth says of each scan (see the package docstring).

1. A scan's candidates are the inventory's records (rows typed twice excluded: a reader sees
   the repeat) that fit every constraint its name, folders and export row carry and the
   inventory can check (``naming``), and every typed title it shows (``keyboard.TitleSeen``).
2. When more than one is left and the inventory has a sheets column, the scan's page count
   keeps those whose sheets it fits (sheets <= pages <= 2 x sheets), if any.
3. A record that a scan alone is left with is that scan's; it is struck from the other
   scans' candidates (never down to none). Scans go through the scanner in the inventory's
   order, so a sequence (a counter series; a name the tool saved again as ``X (2)``,
   ``X (3)``) takes its records in that order: each of its scans keeps the candidates it can
   take in some assignment of the whole sequence that keeps the order (one record a scan).
   Until nothing changes.
4. One candidate: the scan is linked (``matched``). None: an ``orphan``. More: a true tie;
   the scan is ``needs_review`` and so is every candidate record no linked scan took.
"""

from __future__ import annotations

from collections import defaultdict

from .keyboard import words
from .legacy import fold
from .naming import Item, record_keys
from .records import Record


class Reader:
    """Candidates of scans among one inventory's records."""

    def __init__(self, rows: list[Record]):
        self.rows = [r for r in rows if r.repeat_of < 0 and r.in_inventory]
        self.index: dict[str, dict[object, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.by_index = {r.index: r for r in self.rows}
        for rec in self.rows:
            for key, val in record_keys(rec).items():
                self.index[key][val].add(rec.index)
        self._words: dict[tuple[int, bool], tuple[str, ...]] = {}
        self._grams: dict[tuple[int, bool], set[str]] = {}

    def title_words(self, rec: Record, folded: bool) -> tuple[str, ...]:
        key = (rec.index, folded)
        if key not in self._words:
            self._words[key] = words(rec.title, folded)
        return self._words[key]

    def by_name(self, item: Item) -> set[int]:
        """Step 1: the records the scan's name, folders and export row allow."""
        found: set[int] | None = None
        for key, val in item.eq.items():
            if key == "owner":
                continue
            hits = self.index[key].get(val, set())
            found = set(hits) if found is None else found & hits
        cands = set(self.by_index) if found is None else found
        if "owner" in item.eq:
            cands = {i for i in cands if self._names(self.by_index[i], str(item.eq["owner"]))}
        for seen in item.seen:
            cands = {i for i in cands if seen.fits(self.title_words(self.by_index[i], seen.folded))}
        return cands

    def _names(self, rec: Record, key: str) -> bool:
        """The title names this person (words run together or not, as the key was typed)."""
        folded = key == fold(key)
        cache = (rec.index, folded)
        if cache not in self._grams:
            ws = self.title_words(rec, folded)
            self._grams[cache] = {
                "".join(ws[i : i + n]) for n in (2, 3, 4) for i in range(len(ws) - n + 1)
            }
        return key in self._grams[cache]

    def by_pages(self, item: Item, cands: set[int]) -> set[int]:
        """Step 2: the page count's narrowing."""
        if len(cands) < 2 or not item.pages:
            return cands
        fit = {
            i for i in cands if self.by_index[i].sheets <= item.pages <= 2 * self.by_index[i].sheets
        }
        return fit or cands


def label(items: list[Item], reader: Reader, pages_visible: bool) -> None:
    """Set each item's ``fit`` and ``expected`` by the rule (steps 1-4)."""
    cands: dict[int, set[int]] = {}
    for k, item in enumerate(items):
        found = reader.by_name(item)
        if pages_visible and item.injected not in ("empty", "truncated"):
            found = reader.by_pages(item, found)
        cands[k] = found
    runs: dict[str, list[int]] = defaultdict(list)
    for k in sorted((k for k, i in enumerate(items) if i.order), key=lambda k: items[k].order):
        runs[items[k].sequence].append(k)
    changed = True
    while changed:
        owner = {next(iter(c)): k for k, c in cands.items() if len(c) == 1}
        changed = _strike(cands, owner)
        for run in runs.values():
            changed |= _aligned(cands, run)
    for k, item in enumerate(items):
        item.fit = tuple(sorted(cands[k]))
        item.expected = {0: "orphan", 1: "matched"}.get(len(item.fit), "needs_review")


def _strike(cands: dict[int, set[int]], owner: dict[int, int]) -> bool:
    changed = False
    for k, c in cands.items():
        if len(c) < 2:
            continue
        left = {i for i in c if owner.get(i, k) == k}
        if left and left != c:
            cands[k], changed = left, True
    return changed


def _aligned(cands: dict[int, set[int]], run: list[int]) -> bool:
    """A sequence in scanning order takes its records in the inventory's order: each scan
    keeps the candidates it can take in some order-keeping assignment of the whole run
    (earliest records for the scans before it, latest for those after)."""
    run = [k for k in run if cands[k]]
    low, high = [-1], [1 << 30]
    for k in run:
        low.append(min((r for r in cands[k] if r > low[-1]), default=low[-1]))
    for k in reversed(run):
        high.append(max((r for r in cands[k] if r < high[-1]), default=high[-1]))
    high.reverse()  # high[p + 1]: the latest record the scans after run[p] leave free
    changed = False
    for p, k in enumerate(run):
        left = {r for r in cands[k] if low[p] < r < high[p + 1]}
        if left and left != cands[k]:
            cands[k], changed = left, True
    return changed
