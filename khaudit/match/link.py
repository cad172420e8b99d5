"""Linking scan items to inventory records, stage by stage, each link with its reason.

1. exact: a record code in the name, a folder, the project's naming pattern or a sidecar;
2. structural: box and file number from the path (a typed title, when present, must agree);
3. fuzzy: the title typed into the name or the sidecar, blocked and scored (scoring.py).

Exact and structural links may give one record several items (one PDF per document); fuzzy
links are one-to-one and never take a record that already has a scan. A byte-identical copy of
a linked item is not matched again (reconcile.py calls it a duplicate). Ambiguous cases become
review candidates, listed with their scores.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..i18n import t
from .decisions import DecisionIndex
from .evidence import normalize_code
from .items import Item, build_items
from .scoring import BLOCK_CHUNK, TitleIndex, TitleScore, top_per_row
from .settings import MatchSettings
from .sidecar import SidecarIndex

#: Columns of the link table (DIR/links.csv after the run writer adds provenance).
LINK_COLUMNS = ["item_id", "record", "method", "score", "decision", "rank", "explanation"]


@dataclass
class MatchResult:
    items: list[Item]
    links: pd.DataFrame  # LINK_COLUMNS; record is a row label of the records table
    schemes: dict[str, dict[str, int]] = field(default_factory=dict)  # root -> scheme -> items


class _Linker:
    def __init__(self, records: pd.DataFrame, settings: MatchSettings, lang: str,
                 decisions: DecisionIndex | None = None):
        self.settings = settings
        self.lang = lang
        self.decisions = decisions or DecisionIndex()
        self.rows: list[dict[str, object]] = []
        self.provenance = {label: (str(f), str(s), int(r)) for label, f, s, r in zip(
            records.index, records["source_file"], records["source_sheet"],
            records["source_row"])}
        self.by_provenance = {p: label for label, p in self.provenance.items()}
        self.locality = str(records["locality"].iloc[0]) if len(records) else ""
        targets = records[records["duplicate_of"] == ""]
        self.labels = list(targets.index)
        self.codes: dict[str, set[int]] = defaultdict(set)
        self.box_file: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.file_no: dict[int, set[int]] = defaultdict(set)
        for label, code, box, file_no in zip(targets.index, targets["record_code"],
                                             targets["box"], targets["file_no"]):
            if code:
                self.codes[normalize_code(code)].add(label)
            if pd.notna(file_no):
                self.file_no[int(file_no)].add(label)
                if pd.notna(box):
                    self.box_file[(int(box), int(file_no))].add(label)
        self.titles = TitleIndex(
            list(targets["title"]),
            [(None if pd.isna(a) else int(a), None if pd.isna(b) else int(b))
             for a, b in zip(targets["year_start"], targets["year_end"])],
            [None if pd.isna(s) else int(s) for s in targets["sheets"]],
            settings,
        )
        self.position = {label: i for i, label in enumerate(self.labels)}
        self.claimed: dict[int, Item] = {}

    def add(self, item: Item, record: int, method: str, score: float, decision: str,
            explanation: str, rank: int = 1) -> None:
        if method != "decision" and self.decisions.rejected(
                self.locality, content_key(item), self.provenance[record]):
            return  # a person said no to this pair: never propose it again
        self.rows.append({"item_id": item.item_id, "record": record, "method": method,
                          "score": round(score, 4), "decision": decision, "rank": rank,
                          "explanation": explanation})
        if decision == "link":
            self.claimed.setdefault(record, item)

    # -- stage 0 ---------------------------------------------------------------------------
    def decided(self, item: Item) -> bool:
        """A person accepted this scan for a record: that link comes before any evidence."""
        d = self.decisions.accepted(self.locality, content_key(item))
        if d is None:
            return False
        record = self.by_provenance.get((d.source_file, d.source_sheet, int(d.source_row)))
        if record is None:
            return False  # the row is gone from the inventory: the evidence decides again
        item.scheme = item.scheme or "decision"
        self.add(item, record, "decision", 1.0, "link",
                 t("why.decision", self.lang, by=d.by, at=d.at[:10]))
        return True

    # -- stage 1 ---------------------------------------------------------------------------
    def exact(self, item: Item) -> bool:
        ev = item.evidence
        methods = {"name": "code", "folder": "code_folder", "pattern": "pattern"}
        tries = [(key, text, methods[where]) for key, text, where in ev.code_keys]
        if item.sidecar and item.sidecar.record_code:
            tries.insert(0, (normalize_code(item.sidecar.record_code), item.sidecar.record_code,
                             "sidecar_code"))
        for key, text, method in tries:
            hits = self.codes.get(key)
            if not hits:
                continue
            item.scheme = "scanner_counter+sidecar" if method == "sidecar_code" else "record_code"
            source = item.sidecar.source if item.sidecar else ""
            why = t(f"why.{method}", self.lang, code=text, source=source)
            if len(hits) == 1:
                self.add(item, next(iter(hits)), method, 1.0, "link", why)
            else:
                for rank, record in enumerate(sorted(hits), 1):
                    self.add(item, record, method, 1.0, "review",
                             f"{why}; {t('why.ambiguous', self.lang, n=len(hits))}", rank)
            return True
        return False

    # -- stage 2 ---------------------------------------------------------------------------
    def structural(self, items: list[Item]) -> list[Item]:
        """Link by box and file number; return the items it could not place."""
        rest: list[Item] = []
        titled: list[tuple[Item, int]] = []
        for item in items:
            ev = item.evidence
            if ev.file_no is None:
                rest.append(item)
                continue
            if ev.box is not None and (ev.box, ev.file_no) in self.box_file:
                hits, method = self.box_file[(ev.box, ev.file_no)], "box_file"
            else:
                hits, method = self.file_no.get(ev.file_no, set()), "file_no"
            if len(hits) != 1:
                rest.append(item)
                continue
            record = next(iter(hits))
            if ev.title:
                titled.append((item, record))
                continue
            item.scheme = "box_file" if ev.box is not None else "file_no"
            why = t(f"why.{method}", self.lang, box=ev.box, file_no=ev.file_no)
            self.add(item, record, method, 0.99 if method == "box_file" else 0.95, "link", why)
        if not titled:
            return rest
        # A typed title beside the number must agree with the record the number names.
        scans = self.titles.encode([item.evidence.title for item, _ in titled])
        pairs = self.titles.score_pairs(
            scans, np.arange(len(titled)), np.array([self.position[r] for _, r in titled]),
            self._years([item for item, _ in titled]), self._pages([item for item, _ in titled]))
        for k, (item, record) in enumerate(titled):
            if pairs.score[k] < self.settings.review_score:
                rest.append(item)  # the number disagrees with the title: let the title decide
                continue
            item.scheme = "number_title"
            why = t("why.file_no_title", self.lang, file_no=item.evidence.file_no,
                    title=round(float(pairs.coverage[k])))
            score = 0.9 + min(float(pairs.score[k]), 100) / 1000
            self.add(item, record, "file_no_title", score, "link", why)
        return rest

    # -- stage 3 ---------------------------------------------------------------------------
    @staticmethod
    def _year(item: Item) -> int | None:
        """The year a scan carries: its sidecar's when it has one, else its path's."""
        return item.sidecar.year if item.sidecar else item.evidence.year

    @classmethod
    def _years(cls, items: list[Item]) -> np.ndarray:
        years = [cls._year(item) for item in items]
        return np.array([np.nan if y is None else y for y in years], dtype=float)

    @staticmethod
    def _pages(items: list[Item]) -> np.ndarray:
        pages = [item.pages if item.pages else (item.sidecar.pages if item.sidecar else None)
                 for item in items]
        return np.array([np.nan if p is None else p for p in pages], dtype=float)

    def _why_title(self, item: Item, scored: TitleScore, from_sidecar: bool) -> str:
        key = "why.sidecar_title" if from_sidecar else "why.title"
        text = t(key, self.lang, title=round(scored.coverage))
        agree = []
        if scored.year_agrees:
            agree.append(t("why.agree_year", self.lang, year=self._year(item)))
        if scored.pages_agree:
            agree.append(t("why.agree_pages", self.lang, pages=item.pages))
        if agree:
            parts = f" {t('why.and', self.lang)} ".join(agree)
            text += ", " + t("why.agree_suffix", self.lang, parts=parts)
        if scored.conflicts:
            numbers = ", ".join(str(n) for n in scored.conflicts)
            text += "; " + t("why.number_conflict", self.lang, numbers=numbers)
        return text

    def _ranked(self, items: list[Item], titles: list[str]
                ) -> list[list[tuple[TitleScore, int]]]:
        """The best records for each titled scan (as many as review may list): blocked, then
        scored in bulk."""
        scans = self.titles.encode(titles)
        years, pages = self._years(items), self._pages(items)
        ranked: list[list[tuple[TitleScore, int]]] = [[] for _ in items]
        for start in range(0, len(items), BLOCK_CHUNK):
            rows = np.arange(start, min(start + BLOCK_CHUNK, len(items)))
            item, record = self.titles.candidates(scans, self.settings.max_candidates, rows)
            pairs = self.titles.score_pairs(scans, item, record, years, pages)
            best_item, best_k = top_per_row(sp.csr_matrix(
                (pairs.score + 1e-9, (item - start, np.arange(len(item)))),
                shape=(len(rows), max(1, len(item)))), self.settings.review_candidates)
            # Only candidates that can be "close" to the best are read back: within the
            # margin of the best identity, less the page bonus that may have ranked another
            # first.
            identity = pairs.identity[best_k]
            top = np.full(len(rows), -np.inf)
            np.maximum.at(top, best_item, identity)
            reach = self.settings.ambiguity_margin + self.settings.page_agreement_bonus
            keep = identity > top[best_item] - reach - 1e-9
            for i, k in zip(best_item[keep], best_k[keep]):
                ranked[start + int(i)].append((self.titles.title_score(scans, pairs, int(k)),
                                               self.labels[int(pairs.record[k])]))
        for choices in ranked:
            choices.sort(key=lambda p: -p[0].score)
        return ranked

    def fuzzy(self, items: list[Item]) -> None:
        todo, titles, sources = [], [], []
        for item in items:
            from_sidecar = bool(item.sidecar and item.sidecar.title)
            title = item.sidecar.title if from_sidecar and item.sidecar else item.evidence.title
            if not title:
                continue
            item.scheme = item.scheme or ("scanner_counter+sidecar" if from_sidecar else "title")
            todo.append(item)
            titles.append(title)
            sources.append(from_sidecar)
        scored_items = [(item, ranked, from_sidecar) for item, ranked, from_sidecar
                        in zip(todo, self._ranked(todo, titles), sources) if ranked]
        # Best first, so a strong link takes its record before a weaker claim is considered.
        scored_items.sort(key=lambda x: -x[1][0][0].score)
        s = self.settings
        for item, ranked, from_sidecar in scored_items:
            best, record = ranked[0]
            if best.score < s.review_score:
                continue
            method = "sidecar_title" if from_sidecar else "title"
            close = [(sc, r) for sc, r in ranked
                     if best.identity - sc.identity < s.ambiguity_margin]
            if best.score < s.accept_score and len(close) > s.weak_candidates:
                continue
            if len(close) == 1 and record not in self.claimed and best.score >= s.accept_score:
                self.add(item, record, method, min(best.score, 100) / 100, "link",
                         self._why_title(item, best, from_sidecar))
                continue
            note = (t("why.ambiguous", self.lang, n=len(close)) if len(close) > 1 else
                    "" if record in self.claimed else
                    t("why.low_score", self.lang, score=round(best.score),
                      accept=round(s.accept_score)))
            for rank, (sc, r) in enumerate(close, 1):
                why = self._why_title(item, sc, from_sidecar)
                if r in self.claimed:
                    why += "; " + t("why.claimed", self.lang, path=self.claimed[r].relpath)
                self.add(item, r, method, min(sc.score, 100) / 100, "review",
                         f"{why}; {note}" if note else why, rank)


def content_key(item: Item) -> str:
    """What identifies a scan across rescans and renames: its content hash(es)."""
    return "|".join(sorted(item.hashes))


def match_locality(
    records: pd.DataFrame,
    scans: pd.DataFrame,
    sidecars: SidecarIndex,
    settings: MatchSettings,
    pattern: str = "",
    lang: str = "vi",
    decisions: DecisionIndex | None = None,
) -> MatchResult:
    """Link one locality's scan items to its records. ``scans`` holds role == "scan" rows."""
    compiled = re.compile(pattern) if pattern else None
    items = build_items(scans, sidecars, compiled)
    linker = _Linker(records, settings, lang, decisions)
    rest = [item for item in items if not linker.decided(item)]
    rest = [item for item in rest if not linker.exact(item)]
    rest = linker.structural(rest)
    linked_items = {row["item_id"] for row in linker.rows if row["decision"] == "link"}
    linked_hashes = {h for item in items if item.item_id in linked_items for h in item.hashes}
    fuzzy = [item for item in rest if not (len(item.hashes) and item.hashes <= linked_hashes)]
    linker.fuzzy(fuzzy)
    schemes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        if not item.scheme:
            ev = item.evidence
            item.scheme = ("scanner_counter" if ev.counter else
                           "box_file" if ev.box is not None and ev.file_no is not None else
                           "title" if ev.title else "unrecognised")
        schemes[item.root][item.scheme] += 1
    links = pd.DataFrame(linker.rows, columns=LINK_COLUMNS)
    return MatchResult(items=items, links=links,
                       schemes={root: dict(counts) for root, counts in schemes.items()})
