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

import itertools
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

from ..i18n import t
from ..textnorm import fold
from .blockpool import run_blocks
from .content import ContentCheck, PageScores, check_links, item_texts, link_unnamed
from .decisions import DecisionIndex
from .evidence import code_year, is_year, normalize_code
from .items import Item, build_items
from .named import InventoryNames
from .order import align_with_doubts, batches, natural_key
from .pages import PageModel
from .readings import (
    Convention,
    ConventionIndex,
    anchors_from,
    describe_field,
    describe_reading,
    item_readings,
    whole_number,
)
from .scoring import (
    BLOCK_CHUNK,
    EncodedTitles,
    PairScores,
    TitleIndex,
    TitleScore,
    top_per_row,
    unique_sorted,
)
from .series import settle_runs
from .settings import MatchSettings
from .sidecar import SidecarIndex
from .tags import Tags, find_tags, read_tags
from .twins import (
    POINTS_PER_NAT,
    TIE_MARGIN,
    TWIN_NUMBER,
    TWIN_ORDER_POINTS,
    scan_time_order,
    time_ordered_roots,
    twin_sets,
)

#: Columns of matching's link table (in memory: reconcile turns it into the run's statuses and
#: candidates; no run writes it as a table of its own).
LINK_COLUMNS = ["item_id", "record", "method", "score", "decision", "rank", "explanation"]
#: Nearest records named for a scan that is not linked (decision "hint").
HINT_CANDIDATES = 3
#: A scan's best candidates (by the locality-wide reading) that are read again as an operator
#: types (typed.py): a typo costs the right record a few points, not its place among the best.
TYPED_CANDIDATES = 10
#: Titles at the longest length of their root are taken as cut when at least this share of
#: the root's titles (and three) sit there.
CUT_MIN_SHARE = 0.03
#: ... and when the titles longer than that length (but by a twin's number) are at most this
#: many for each title at it, and the length at least this many characters.
CUT_MAX_LONGER = 0.25
MIN_CUT_LENGTH = 24
#: Near-twins: points a counter series' scan order adds to the pair it puts in order (the
#: margin the assignment must clear is twins.TIE_MARGIN); the largest group of competing scans
#: settled together (a larger one goes to review).
ORDER_BONUS = 7.0
MAX_TIE_GROUP = 60
#: A record code found inside a longer name code has at least this many segments.
MIN_CODE_SEGMENTS = 3
#: The end of a record code a name carries has at least this many digits in its numbers.
MIN_TAIL_DIGITS = 6
BLOCKED = 1e6
#: Titled scans per root ranked to learn the naming conventions from.
LEARN_SAMPLE = 2000
#: The score of a link made by scan order alone.
ORDER_LINK_SCORE = 0.9


@dataclass
class MatchResult:
    items: list[Item]
    links: pd.DataFrame  # LINK_COLUMNS; record is a row label of the records table
    schemes: dict[str, dict[str, int]] = field(default_factory=dict)  # root -> scheme -> items
    #: root -> the naming conventions adopted there, with their evidence (readings.py).
    conventions: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    #: item id -> why a scan was left unlinked (the reason a person reads in files.csv).
    reasons: dict[int, str] = field(default_factory=dict)
    #: item id -> what its first page said about its record (content.py), for items with text.
    content: dict[int, ContentCheck] = field(default_factory=dict)


def _record_years(targets: pd.DataFrame) -> list[tuple[int | None, int | None]]:
    """Each record's years as the inventory types them or, where it types none, the year its
    code carries ("2020/HS/0274"): a scan's year then tells apart twins the code's number
    alone would (a title cut before "năm 2020")."""
    years: list[tuple[int | None, int | None]] = []
    starts, ends = _ints(targets["year_start"]), _ints(targets["year_end"])
    for start, end, code in zip(starts, ends, targets["record_code"]):
        if start is None and end is None:
            year = code_year(str(code)) if code else None
            years.append((year, year))
        else:
            years.append((start, end))
    return years


class _Linker:
    def __init__(
        self,
        records: pd.DataFrame,
        settings: MatchSettings,
        lang: str,
        decisions: DecisionIndex | None = None,
    ):
        self.settings = settings
        self.lang = lang
        self.decisions = decisions or DecisionIndex()
        self.rows: list[dict[str, Any]] = []
        self.provenance = {
            label: (str(f), str(s), int(r))
            for label, f, s, r in zip(
                records.index,
                records["source_file"],
                records["source_sheet"],
                records["source_row"],
            )
        }
        self.by_provenance = {p: label for label, p in self.provenance.items()}
        self.locality = str(records["locality"].iloc[0]) if len(records) else ""
        targets = records[records["duplicate_of"] == ""]
        self.labels = list(targets.index)
        self._index_numbers(targets)
        self.names = InventoryNames(targets)
        self.titles = TitleIndex(
            list(targets["title"]),
            _record_years(targets),
            _ints(targets["sheets"]),
            settings,
            _own_numbers(targets),
        )
        self.position = {label: i for i, label in enumerate(self.labels)}
        self.claimed: dict[int, Item] = {}
        #: item id -> the records a reading narrowed it to (its title chooses among them).
        self.allowed: dict[int, frozenset[int]] = {}
        #: item id -> the records in the scope its folders name (a year, a box: a reading
        #: that is no key) and what names it; a title in scope scores the agreement.
        self.scope: dict[int, tuple[frozenset[int], str]] = {}
        #: item id -> the year that chose its record among those its number names.
        self.dated: dict[int, int] = {}
        #: item id -> why it is not linked.
        self.reasons: dict[int, str] = {}
        self.items: list[Item] = []
        #: root -> the tags its names carry (tags.py), left out of their titles.
        self.tags: dict[str, Tags] = {}

    def _index_numbers(self, targets: pd.DataFrame) -> None:
        """The records by code, by the end of their code, by file number and by box and
        file number."""
        self.codes: dict[str, set[int]] = defaultdict(set)
        #: The ends of record codes a name may carry without the agency's prefix (a one-stop
        #: shop's receipt "H56-160121-0001" of "000.29.22.H56-160121-0001") -> their records.
        self.code_tails: dict[str, set[int]] = defaultdict(set)
        self.box_file: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.record_codes = dict(zip(targets.index, targets["record_code"]))
        self.notes = dict(zip(targets.index, targets["notes"])) if "notes" in targets else {}
        self.file_no: dict[int, set[int]] = defaultdict(set)
        for label, code, box, file_no in zip(
            targets.index, targets["record_code"], _ints(targets["box"]), _ints(targets["file_no"])
        ):
            if code:
                key = normalize_code(code)
                self.codes[key].add(label)
                for tail in _code_tails(key):
                    self.code_tails[tail].add(label)
            if file_no is not None:
                self.file_no[file_no].add(label)
                if box is not None:
                    self.box_file[(box, file_no)].add(label)
        #: How many segments the inventory's codes have (a code within a name has one of them).
        self.code_sizes = {key.count(".") + 1 for key in self.codes}

    def add(
        self,
        item: Item,
        record: int,
        method: str,
        score: float,
        decision: str,
        explanation: str,
        rank: int = 1,
    ) -> None:
        if method != "decision" and self.decisions.rejected(
            self.locality, content_key(item), self.provenance[record]
        ):
            return  # a person said no to this pair: never propose it again
        self.rows.append(
            {
                "item_id": item.item_id,
                "record": record,
                "method": method,
                "score": round(score, 4),
                "decision": decision,
                "rank": rank,
                "explanation": explanation,
            }
        )
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
        self.add(
            item,
            record,
            "decision",
            1.0,
            "link",
            t("why.decision", self.lang, by=d.by, at=d.at[:10]),
        )
        return True

    # -- stage 1 ---------------------------------------------------------------------------
    def exact(self, item: Item) -> bool:
        ev = item.evidence
        methods = {"name": "code", "folder": "code_folder", "pattern": "pattern"}
        tries = [(key, text, methods[where]) for key, text, where in ev.code_keys]
        if item.sidecar and item.sidecar.record_code:
            tries.insert(
                0,
                (
                    normalize_code(item.sidecar.record_code),
                    item.sidecar.record_code,
                    "sidecar_code",
                ),
            )
        # A code inside a longer name is looked for only when no whole code hit.
        within = (
            (code, text, method)
            for key, text, method in list(tries)
            if method == "code" and (code := self._code_within(key))
        )
        # ... and the end of one record's code only when neither did.
        tails = (
            (key, text, "code_tail")
            for key, text, method in list(tries)
            if method == "code" and len(self.code_tails.get(key, ())) == 1
        )
        for key, text, method in itertools.chain(tries, within, tails):
            hits = self.code_tails[key] if method == "code_tail" else self.codes.get(key)
            if not hits:
                continue
            item.scheme = "scanner_counter+sidecar" if method == "sidecar_code" else "record_code"
            source = item.sidecar.source if item.sidecar else ""
            why = t(
                f"why.{method}",
                self.lang,
                code=text,
                source=source,
                record_code=self._code_of(hits),
            )
            if len(hits) == 1:
                self.add(item, next(iter(hits)), method, 1.0, "link", why)
            else:
                for rank, record in enumerate(sorted(hits), 1):
                    self.add(
                        item,
                        record,
                        method,
                        1.0,
                        "review",
                        f"{why}; {t('why.ambiguous', self.lang, n=len(hits))}",
                        rank,
                    )
            return True
        return False

    def _code_of(self, records: set[int]) -> str:
        """The record code as the inventory writes it, of the first of ``records``."""
        return str(self.record_codes.get(min(records), ""))

    def _code_within(self, key: str) -> str:
        """The one record code that stands whole inside a longer code read from a name, the
        longest first: a station's prefix ("KHCR_2015_hs_0001" for "2015/HS/0001") or a
        title typed after it ("H56.02.2015.0001_HS CAP …"); "" when none or several do."""
        parts = key.split(".")
        # Only the lengths the inventory's codes have can hit: a long name (a typed title
        # after the code) is not joined at every length and start.
        sizes = [n for n in self.code_sizes if MIN_CODE_SEGMENTS <= n < len(parts)]
        digits = list(itertools.accumulate((p.isdigit() for p in parts), initial=0))
        for size in sorted(sizes, reverse=True):
            found = {
                code
                for start in range(len(parts) - size + 1)
                if digits[start + size] - digits[start] >= 2
                and (code := ".".join(parts[start : start + size])) in self.codes
            }
            if found:
                return next(iter(found)) if len(found) == 1 else ""
        return ""

    def by_inventory_names(self, items: list[Item]) -> list[Item]:
        """Link the scans the inventory's notes name (named.py), names typed exactly first,
        then those one letter off; of several records named, the scan's year chooses, else
        its title among them (``self.allowed``). Returns the items not linked here."""
        if not self.names:
            return items
        found = {item.item_id: self.names.named(item) for item in items}
        linked: set[int] = set()
        for item in sorted(items, key=lambda i: found[i.item_id][1]):
            records, near = found[item.item_id]
            free = frozenset(r for r in records if r not in self.claimed)
            if len(free) > 1 and (dated := self._of_its_year(item, free)) is not None:
                free = frozenset({dated})
            if len(free) != 1:
                if free:
                    self.allowed[item.item_id] = free
                continue
            record = next(iter(free))
            notes = str(self.notes.get(record, ""))
            key = "why.inventory_name_near" if near else "why.inventory_name"
            why = t(key, self.lang, notes=notes)
            if item.item_id in self.dated:
                why += "; " + t("why.dated", self.lang, year=self.dated[item.item_id])
            item.scheme = item.scheme or "inventory_name"
            self.add(item, record, "inventory_name", 0.95 if near else 0.99, "link", why)
            linked.add(item.item_id)
        return [item for item in items if item.item_id not in linked]

    # -- stage 2 ---------------------------------------------------------------------------
    def anchors(self, ranked: dict[int, list[tuple[TitleScore, int]]]) -> dict[int, int]:
        """Links certain enough to learn a root's naming conventions from: the links made so
        far (decisions, codes) and titles that fit one record only, fully and clearly."""
        s = self.settings
        found = anchors_from(
            (int(r["item_id"]), int(r["record"])) for r in self.rows if r["decision"] == "link"
        )
        by_record: dict[int, list[int]] = defaultdict(list)
        for item_id, choices in ranked.items():
            best, record = choices[0]
            runner_up = choices[1][0].identity if len(choices) > 1 else 0.0
            if (
                best.score >= s.accept_score
                and not best.conflicts
                and best.coverage >= 90
                and best.identity - runner_up >= s.ambiguity_margin + s.page_agreement_bonus
            ):
                by_record[record].append(item_id)
        claimed = set(found.values())
        for record, item_ids in by_record.items():
            if len(item_ids) == 1 and record not in claimed:
                found[item_ids[0]] = record
        return found

    def by_readings(
        self,
        items: list[Item],
        conventions: ConventionIndex,
        readings: dict[int, dict[str, int]],
        ranked: dict[int, list[tuple[TitleScore, int]]],
    ) -> list[Item]:
        """Link by the numbers the root's adopted conventions read; a title typed beside them
        must not point clearly elsewhere. Items a reading narrows to a few records keep that
        set for the title stage (``self.allowed``). Returns the items not linked here."""
        rest: list[Item] = []
        checks: list[tuple[Item, int, list[Convention]]] = []
        for item in items:
            named = self._narrow(item, conventions, readings[item.item_id])
            if named is None:
                rest.append(item)
            else:
                checks.append((item, *named))
        titled = [(item, record, used) for item, record, used in checks if self._title(item)]
        fits = self._pair_scores([(item, record) for item, record, _ in titled])
        fit_of = {(item.item_id, record): sc for (item, record, _), sc in zip(titled, fits)}
        # Only a title that fits its number's record poorly can point elsewhere: rank those.
        doubtful = [
            item
            for (item, _, _), sc in zip(titled, fits)
            if sc.score < self.settings.review_score and item.item_id not in ranked
        ]
        ranked = {**ranked, **self.rank_titles(doubtful)}
        for item, record, used in checks:
            own = fit_of.get((item.item_id, record))
            choices = ranked.get(item.item_id, [])
            if own is not None and choices and self._contradicts(own, choices, record):
                rest.append(item)  # a number mistyped beside a clear title: the title decides
                continue
            if own is not None and own.score < self.settings.number_veto_score:
                rest.append(item)  # the title typed beside the number is another record's
                continue
            item.scheme = item.scheme or self._scheme(item, used)
            method = self._reading_method(used, own)
            score = {"box_file": 0.99, "file_no": 0.95}.get(method, 0.97)
            why = self._why_reading(item, used, readings[item.item_id], own)
            if item.item_id in self.dated:
                why += "; " + t("why.dated", self.lang, year=self.dated[item.item_id])
            self.add(item, record, method, score, "link", why)
        return rest

    def _narrow(
        self, item: Item, conventions: ConventionIndex, values: dict[str, int]
    ) -> tuple[int, list[Convention]] | None:
        """The one record the root's conventions name for ``item`` and the conventions that
        name it; else None, keeping for the title stage the few records they allow
        (``self.allowed``) or the scope its folders name (``self.scope``)."""
        allowed, used = conventions.candidates(item, values)
        # A key names a record; two scopes read from two numbers of the path (box and file
        # number restarting in each box) may too. One number agreeing with two fields (a
        # year folder that is also the code's year) is still one scope, and so is a folder
        # read both by its number and as an inventory sheet's name ("Nam 2019").
        places = {c.reading.replace(".sheet", ".first") for c in used}
        keys = used if len(places) >= 2 else [c for c in used if c.is_key]
        if allowed is not None and keys and len(allowed) == 1:
            return next(iter(allowed)), used
        if allowed is not None and keys and (dated := self._of_its_year(item, allowed)):
            return dated, used
        if allowed is not None and not keys:
            self.scope[item.item_id] = (allowed, self._why_reading(item, used, values, None))
        if allowed is not None and len(allowed) <= self.settings.review_candidates:
            self.allowed[item.item_id] = allowed
        return None

    def _of_its_year(self, item: Item, allowed: frozenset[int]) -> int | None:
        """Of the records a number names in several years ("2021/0025/01_0025.pdf": file 25
        of each year), the one whose years hold the year the scan carries (its year folder,
        its name's date), when exactly one does."""
        year = item.evidence.year
        if year is None or len(allowed) > self.settings.review_candidates:
            return None
        titles = self.titles
        fits = [
            label
            for label in allowed
            if titles.years[p := self.position[label]] <= year <= titles.year_ends[p]
        ]
        if len(fits) != 1:
            return None
        self.dated[item.item_id] = year
        return fits[0]

    def _contradicts(
        self, own: TitleScore, choices: list[tuple[TitleScore, int]], record: int
    ) -> bool:
        """The typed title fits another record clearly and this one poorly."""
        best, other = choices[0]
        s = self.settings
        return (
            other != record
            and best.score >= s.accept_score
            and own.score < s.review_score
            and best.identity - own.identity >= 2 * s.ambiguity_margin
        )

    def _scheme(self, item: Item, used: list[Convention]) -> str:
        readings = {c.reading for c in used}
        if readings <= {"parsed.box", "parsed.file_no"} and not self._title(item):
            return "box_file" if "parsed.box" in readings else "file_no"
        return "number_title" if self._title(item) else "number"

    @staticmethod
    def _reading_method(used: list[Convention], own: TitleScore | None) -> str:
        readings = {c.reading for c in used}
        if readings <= {"parsed.box", "parsed.file_no"}:
            if own is not None:
                return "file_no_title"
            return "box_file" if "parsed.box" in readings else "file_no"
        return "reading"

    def _why_reading(
        self, item: Item, used: list[Convention], values: dict[str, int], own: TitleScore | None
    ) -> str:
        parts = [
            t(
                "why.reading",
                self.lang,
                reading=describe_reading(c.reading, self.lang),
                value=values[c.reading],
                field=describe_field(c.field, self.lang),
            )
            for c in used
        ]
        text = "; ".join(parts)
        if own is not None:
            text += "; " + t("why.title", self.lang, title=round(own.coverage))
        return text

    # -- stage 3 ---------------------------------------------------------------------------
    @staticmethod
    def _year(item: Item) -> int | None:
        """The year a scan carries: its sidecar's when it has one, else its path's."""
        return item.sidecar.year if item.sidecar else item.evidence.year

    @classmethod
    def _years(cls, items: list[Item]) -> np.ndarray:
        years = [cls._year(item) for item in items]
        return np.array([np.nan if y is None else y for y in years], dtype=float)

    def page_model(self) -> PageModel:
        """How this locality's scans count pages against sheets, learned from the links made
        so far (codes, adopted readings, titles that fit one record clearly)."""
        items = {item.item_id: item for item in self.items}
        links = [r for r in self.rows if r["decision"] == "link" and int(r["item_id"]) in items]
        pages = self._pages([items[int(r["item_id"])] for r in links])
        sheets = np.array(
            [self.titles.sheets[self.position[int(r["record"])]] for r in links], dtype=float
        )
        s = self.settings
        return PageModel.learn(pages, sheets, s.min_pages_per_sheet, s.max_pages_per_sheet)

    @staticmethod
    def _pages(items: list[Item]) -> np.ndarray:
        pages = [
            item.pages if item.pages else (item.sidecar.pages if item.sidecar else None)
            for item in items
        ]
        return np.array([np.nan if p is None else p for p in pages], dtype=float)

    def _why_title(self, item: Item, scored: TitleScore, from_sidecar: bool) -> str:
        key = "why.sidecar_title" if from_sidecar else "why.title"
        text = t(key, self.lang, title=round(scored.coverage))
        agree = []
        if scored.year_agrees and self._year(item) is not None:
            agree.append(t("why.agree_year", self.lang, year=self._year(item)))
        pages = self._pages([item])[0]
        if scored.pages_agree and not np.isnan(pages):
            agree.append(t("why.agree_pages", self.lang, pages=int(pages)))
        if agree:
            parts = f" {t('why.and', self.lang)} ".join(agree)
            text += ", " + t("why.agree_suffix", self.lang, parts=parts)
        if scored.scope_agrees and item.item_id in self.scope:
            text += "; " + self.scope[item.item_id][1]
        if scored.conflicts:
            numbers = ", ".join(str(n) for n in scored.conflicts)
            text += "; " + t("why.number_conflict", self.lang, numbers=numbers)
        return text

    def learn_tags(self) -> None:
        """The tags each root's names carry ("- HT", "- XD"), from all its items (a station's
        list types titles, not tags); and the words the scans' titles use often that no
        record's title has (scoring.TitleIndex.learn_office_words)."""
        titles: dict[str, list[str]] = defaultdict(list)
        for item in self.items:
            if item.evidence.title and not (item.sidecar and item.sidecar.title):
                titles[item.root].append(item.evidence.title)
        self.tags = {root: find_tags(names, self.titles.vocab) for root, names in titles.items()}
        self.titles.learn_office_words([t for item in self.items if (t := self._title(item))])

    @staticmethod
    def _title(item: Item) -> str:
        """The title typed for a scan: its sidecar's when it has one, else its name's."""
        if item.sidecar and item.sidecar.title:
            return item.sidecar.title
        return item.evidence.title

    @staticmethod
    def _title_method(item: Item) -> str:
        return "sidecar_title" if item.sidecar and item.sidecar.title else "title"

    def _cut_titles(self, items: list[Item]) -> tuple[list[str], list[bool]]:
        """The items' titles, and which may be cut at a fixed length: per root and source
        (names or sidecar), those at the length a tool cut them to (:func:`_cut_length`). A
        name past that length by a number only ("…_thua_dat_s_2") is a cut name the file
        system told apart from its twin: the number is not the title's."""
        texts: dict[int, str] = {}
        groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for item in items:
            from_sidecar = bool(item.sidecar and item.sidecar.title)
            text = self._title(item) if from_sidecar else posixpath.basename(item.relpath)
            text = text.rsplit(".", 1)[0] if not from_sidecar and "." in text else text
            # Counted in characters as a person reads them: a name stored decomposed (NFD)
            # has two code points for "ồ", and a cut at 64 would not show as one.
            texts[item.item_id] = unicodedata.normalize("NFC", text.rstrip())
            groups[(item.root, from_sidecar)].append(texts[item.item_id])
        limits = {key: _cut_length(group) for key, group in groups.items()}
        titles, flags = [], []
        for item in items:
            limit = limits[(item.root, bool(item.sidecar and item.sidecar.title))]
            title = self._title(item)
            if not (item.sidecar and item.sidecar.title):
                title = read_tags(title, self.tags.get(item.root, Tags()))
            tail = texts[item.item_id][limit + 1 :]
            if tail and TWIN_NUMBER.fullmatch(tail) and title.endswith(tail):
                title = title[: -len(tail)]
            titles.append(title)
            flags.append(len(texts[item.item_id]) >= limit)
        return titles, flags

    def _pair_scores(self, pairs: list[tuple[Item, int]]) -> list[TitleScore]:
        """Title scores of given (item, record) pairs, in bulk."""
        if not pairs:
            return []
        items = [item for item, _ in pairs]
        scans = self.titles.encode(*self._cut_titles(items))
        item = np.arange(len(pairs))
        record = np.array([self.position[r] for _, r in pairs])
        scored = self.titles.score_pairs(
            scans,
            item,
            record,
            self._years(items),
            self._pages(items),
            self._scoped(items, item, record),
        )
        self.titles.read_typed(scans, scored, np.arange(len(pairs)))
        self.titles.in_order(scans, scored, np.arange(len(pairs)))
        return [self.titles.title_score(scans, scored, k) for k in range(len(pairs))]

    def rank_titles(self, items: list[Item]) -> dict[int, list[tuple[TitleScore, int]]]:
        """For every titled item, the records its title fits best, best first (as many as
        review may list). Items a reading narrowed (``self.allowed``) are scored against
        those records only; the others are blocked over the whole inventory."""
        todo = [item for item in items if self._title(item)]
        if not todo:
            return {}
        scans = self.titles.encode(*self._cut_titles(todo))
        years, pages = self._years(todo), self._pages(todo)
        narrowed = [k for k, item in enumerate(todo) if item.item_id in self.allowed]
        free = np.array(
            [k for k, item in enumerate(todo) if item.item_id not in self.allowed], dtype=np.int64
        )

        def rank_block(block: int) -> dict[int, list[tuple[TitleScore, int]]]:
            part: dict[int, list[tuple[TitleScore, int]]] = {}
            rows = free[block * BLOCK_CHUNK : (block + 1) * BLOCK_CHUNK]
            item, record = self.titles.candidates(scans, self.settings.max_candidates, rows)
            self._collect(part, todo, scans, item, record, years, pages)
            return part

        # The blocks are independent: on both cores when a pool can be had (blockpool.py),
        # merged in block order, so the result is the one a single process builds.
        ranked: dict[int, list[tuple[TitleScore, int]]] = {}
        blocks = -(-len(free) // BLOCK_CHUNK)
        for part in run_blocks(rank_block, blocks, self.settings.workers):
            for owner, choices in part.items():
                ranked.setdefault(owner, []).extend(choices)
        if narrowed:
            item = np.array(
                [k for k in narrowed for _ in self.allowed[todo[k].item_id]], dtype=np.int64
            )
            record = np.array(
                [self.position[r] for k in narrowed for r in sorted(self.allowed[todo[k].item_id])],
                dtype=np.int64,
            )
            self._collect(ranked, todo, scans, item, record, years, pages)
        for choices in ranked.values():
            choices.sort(key=lambda p: (-p[0].score, p[1]))
        return ranked

    def _collect(
        self,
        ranked: dict[int, list[tuple[TitleScore, int]]],
        todo: list[Item],
        scans: EncodedTitles,
        item: np.ndarray,
        record: np.ndarray,
        years: np.ndarray,
        pages: np.ndarray,
    ) -> None:
        """Score pairs and keep, per item, the best candidates within reach of its best."""
        if not len(item):
            return
        scoped = self._scoped(todo, item, record)
        pairs = self.titles.score_pairs(scans, item, record, years, pages, scoped)
        rows = unique_sorted(item)
        local = np.searchsorted(rows, item)
        best_item, best_k = top_per_row(
            sp.csr_matrix(
                (pairs.score + 1e-9, (local, np.arange(len(item)))), shape=(len(rows), len(item))
            ),
            self.settings.review_candidates,
        )
        order = np.lexsort((-pairs.score[best_k], best_item))
        rank = np.empty(len(order), dtype=np.int64)
        first = np.searchsorted(best_item[order], best_item[order])
        rank[order] = np.arange(len(order)) - first
        # Each scan's best few are read as an operator types, then those near its best are
        # weighed with word order: a bag of words cannot tell twins apart whose names
        # differ only in where they stand.
        self.titles.read_typed(scans, pairs, best_k[rank < TYPED_CANDIDATES])
        near = self._in_order_near_best(scans, pairs, best_k, best_item, len(rows))
        # Candidates read back: those that may tie with the best (within the margin, less
        # the page bonus that may have ranked another first) and a few more, so that a scan
        # no record claims can still name its nearest records.
        keep = near | (rank < HINT_CANDIDATES)
        for i, k in zip(best_item[keep], best_k[keep]):
            owner = todo[int(rows[int(i)])].item_id
            ranked.setdefault(owner, []).append(
                (self.titles.title_score(scans, pairs, int(k)), self.labels[int(pairs.record[k])])
            )

    def _scoped(self, items: list[Item], item: np.ndarray, record: np.ndarray) -> np.ndarray | None:
        """Per pair (items[item[k]], record position record[k]): whether the record lies in
        the scope the item's folders name (None: no item has one)."""
        n = len(self.labels)
        ids: dict[frozenset[int], int] = {}
        members: list[int] = []
        item_scope = np.full(len(items), -1, dtype=np.int64)
        for k, it in enumerate(items):
            if it.item_id not in self.scope:
                continue
            labels = self.scope[it.item_id][0]
            if labels not in ids:
                ids[labels] = len(ids)
                members.extend(ids[labels] * n + self.position[r] for r in labels)
            item_scope[k] = ids[labels]
        if not ids:
            return None
        scope = item_scope[item]
        return (scope >= 0) & np.isin(scope * n + record, np.array(members, dtype=np.int64))

    def _in_order_near_best(
        self,
        scans: EncodedTitles,
        pairs: PairScores,
        best_k: np.ndarray,
        owner: np.ndarray,
        n: int,
    ) -> np.ndarray:
        """Weigh with word order every candidate within reach of its scan's best, again
        while the best falls and brings others within reach; returns which are within reach
        (the ones review or the assignment weighs against each other)."""
        reach = self.settings.ambiguity_margin + self.settings.page_agreement_bonus
        checked = np.zeros(len(best_k), dtype=bool)
        while True:
            identity = pairs.identity[best_k]
            top = np.full(n, -np.inf)
            np.maximum.at(top, owner, identity)
            near = identity > top[owner] - reach - 1e-9
            todo = near & ~checked
            if not todo.any():
                return near
            self.titles.in_order(scans, pairs, best_k[todo])
            checked |= todo

    def fuzzy(self, items: list[Item], ranked: dict[int, list[tuple[TitleScore, int]]]) -> None:
        """Link titles one to one: a clear best takes its record, strongest first; near-twins
        are settled together by every signal they have (scan order included) when that is
        decisive, else go to review; a scan that fits nothing well lists its nearest records
        as hints."""
        s = self.settings
        scored_items = [(item, ranked[item.item_id]) for item in items if item.item_id in ranked]
        # Best first, so a strong link takes its record before a weaker claim is considered.
        scored_items.sort(key=lambda x: (-x[1][0][0].score, x[0].item_id))
        ties: list[tuple[Item, list[tuple[TitleScore, int]]]] = []
        for item, choices in scored_items:
            item.scheme = item.scheme or (
                "scanner_counter+sidecar"
                if self._title_method(item) == "sidecar_title"
                else "title"
            )
            best, record = choices[0]
            if best.score < s.review_score:
                self._hint(item, choices, self._no_link_reason(item, choices))
                continue
            close = [
                (sc, r) for sc, r in choices if best.identity - sc.identity < s.ambiguity_margin
            ]
            if best.score < s.accept_score and len(close) > s.weak_candidates:
                self._hint(item, choices, t("why.weak", self.lang, n=len(close)))
                continue
            if len(close) == 1 and (best.score >= s.accept_score or self._clear(choices)):
                why = self._why_title(item, best, self._title_method(item) == "sidecar_title")
                if best.score < s.accept_score:
                    why += "; " + t("why.clear", self.lang, lead=round(_lead(choices)))
                self.add(
                    item, record, self._title_method(item), min(best.score, 100) / 100, "link", why
                )
                continue
            ties.append((item, close))
        settle_ties(self, ties)

    def _clear(self, choices: list[tuple[TitleScore, int]]) -> bool:
        """A best candidate under accept_score that is still beyond doubt: nothing else comes
        within ``clear_margin`` points, no number contradicts it, something besides the
        title agrees, and no scan holds its record yet."""
        best, record = choices[0]
        return (
            _lead(choices) >= self.settings.clear_margin
            and not best.conflicts
            and (best.year_agrees or best.pages_agree or best.scope_agrees)
            and record not in self.claimed
        )

    def _no_link_reason(self, item: Item, choices: list[tuple[TitleScore, int]]) -> str:
        s = self.settings
        best, record = choices[0]
        if record in self.claimed and best.score >= s.review_score:
            return t("why.claimed", self.lang, path=self.claimed[record].relpath)
        if best.score < 1 and item.evidence.title:
            return t("why.title_unknown", self.lang, title=item.evidence.title)
        return t(
            "why.below_review",
            self.lang,
            score=round(min(best.score, 100)),
            review=round(s.review_score),
        )

    def by_order(self, items: list[Item]) -> None:
        """Counters of a batch without metadata, linked by the order the station scanned
        them in (order.py), to the records nothing else placed."""
        taken = {int(r["record"]) for r in self.rows if r["decision"] in ("link", "review")}
        listed = {int(r["item_id"]) for r in self.rows if r["decision"] in ("link", "review")}
        free = [label for label in self.labels if label not in taken]
        s = self.settings
        for batch in batches([item for item in items if item.item_id not in listed]):
            pages = list(self._pages(batch))
            pool = self._in_scope(batch, free)
            sheets = [float(self.titles.sheets[self.position[label]]) for label in pool]
            decided, doubts = align_with_doubts(
                pages, sheets, s.min_pages_per_sheet, s.max_pages_per_sheet
            )
            for i, j in sorted(decided.items()):
                item = batch[i]
                item.scheme = "scan_order"
                self.add(
                    item,
                    pool[j],
                    "scan_order",
                    ORDER_LINK_SCORE,
                    "link",
                    t("why.scan_order", self.lang, position=i + 1, batch=len(batch)),
                )
            used = {pool[j] for j in decided.values()}
            for i, near in sorted(doubts.items()):
                choices = [(pool[j], share) for j, share in near if pool[j] not in used]
                if choices:
                    self._order_review(batch[i], choices, i + 1, len(batch))
            free = [label for label in free if label not in used]

    def _in_scope(self, batch: list[Item], free: list[int]) -> list[int]:
        """The free records a batch of counters is aligned against: those in the one scope
        all its scans' folders name ("Hop so 2/Scan_00001.tif" is box 2's), in inventory
        order; all free records when the folders name none, several, or none free."""
        scopes = {self.scope[item.item_id][0] for item in batch if item.item_id in self.scope}
        if len(scopes) != 1 or any(item.item_id not in self.scope for item in batch):
            return free
        scope = next(iter(scopes))
        return [label for label in free if label in scope] or free

    def _order_review(
        self, item: Item, choices: list[tuple[int, float]], position: int, batch: int
    ) -> None:
        """A counter the order placed between records it fits either way round (or that may
        be a stray counter): a person decides, shown each record with its probability."""
        reason = t(
            "why.scan_order_doubt", self.lang, position=position, batch=batch, n=len(choices)
        )
        self.reasons[item.item_id] = reason
        for rank, (record, share) in enumerate(choices[:HINT_CANDIDATES], 1):
            self.add(item, record, "scan_order", share, "review", reason, rank)

    def record_hints(self, ranked: dict[int, list[tuple[TitleScore, int]]]) -> None:
        """A record no scan is linked or proposed for names the scans nearest to it."""
        taken = {int(r["record"]) for r in self.rows if r["decision"] in ("link", "review")}
        listed = {(int(r["item_id"]), int(r["record"])) for r in self.rows}
        linked = {int(r["item_id"]) for r in self.rows if r["decision"] == "link"}
        items = {item.item_id: item for item in self.items}
        near: dict[int, list[tuple[float, int, TitleScore]]] = defaultdict(list)
        for item_id, choices in ranked.items():
            if item_id in linked:
                continue
            for sc, record in choices:
                if record not in taken and sc.score >= self.settings.hint_score:
                    near[record].append((sc.score, item_id, sc))
        for record, found in near.items():
            found.sort(key=lambda x: (-x[0], x[1]))
            for rank, (_, item_id, sc) in enumerate(found[:HINT_CANDIDATES], 1):
                if (item_id, record) in listed:
                    continue
                item = items[item_id]
                why = self._why_title(item, sc, self._title_method(item) == "sidecar_title")
                self.add(
                    item,
                    record,
                    self._title_method(item),
                    min(sc.score, 100) / 100,
                    "hint",
                    why,
                    rank,
                )

    def _hint(self, item: Item, choices: list[tuple[TitleScore, int]], reason: str) -> None:
        """Name a scan's nearest records without linking it: a person sees where to look."""
        self.reasons[item.item_id] = reason
        for rank, (sc, record) in enumerate(choices[:HINT_CANDIDATES], 1):
            if sc.score < self.settings.hint_score:
                break
            why = self._why_title(item, sc, self._title_method(item) == "sidecar_title")
            self.add(
                item,
                record,
                self._title_method(item),
                min(sc.score, 100) / 100,
                "hint",
                f"{why}; {reason}",
                rank,
            )


def _ints(column: pd.Series) -> list[int | None]:
    """A column's values as whole numbers, None where missing (one isna for the column, not
    one a value)."""
    return [None if missing else int(v) for v, missing in zip(column, column.isna().tolist())]


def _lead(choices: list[tuple[TitleScore, int]]) -> float:
    """How many points the best candidate stands ahead of the next (all, if it is alone)."""
    return choices[0][0].identity - (choices[1][0].identity if len(choices) > 1 else 0.0)


def _own_numbers(targets: pd.DataFrame) -> list[frozenset[int]]:
    """The numbers each record is numbered by: its file number, STT and its code's last
    number (a name may write one of them after the title)."""
    columns = [targets[c] for c in ("file_no", "stt") if c in targets]
    columns.append(targets["record_code"].map(lambda code: _code_last_number(str(code or ""))))
    return [
        frozenset(n for value in row if (n := whole_number(value)) is not None)
        for row in zip(*columns)
    ]


def _code_last_number(code: str) -> int | None:
    """A record code's own number: its last number that is no year ("0110" of
    "H56.72.01.2018.0110", "411" of "411/2020/HS-UBND")."""
    found = [n for n in re.findall(r"\d+", code) if len(n) <= 9 and not is_year(n)]
    return int(found[-1]) if found else None


def _code_tails(code: str) -> list[str]:
    """The ends of a normalised record code that still name a record: two segments or more,
    short of the whole code, with two numbers of six digits in all at least ("160121.0001",
    "H56.160121.0001"; not "1.2")."""
    parts = code.split(".")
    # How many numbers, and digits in them, each end holds: counted once from the end.
    numbers, digits, ends = 0, 0, []
    for start in range(len(parts) - 1, 0, -1):
        if parts[start].isdigit():
            numbers, digits = numbers + 1, digits + len(parts[start])
        if start < len(parts) - 1 and numbers >= 2 and digits >= MIN_TAIL_DIGITS:
            ends.append(start)
    return [".".join(parts[start:]) for start in reversed(ends)]


def _cut_length(texts: list[str]) -> int:
    """The length one less than a tool cut these titles to, or a length none reaches.

    An operator's tool cuts at 60, 80, 120 or 255 characters, so the cut titles pile up at
    the limit (the most common length among the longer half; a few names past it, "… tu
    so_2", do not hide it) and almost none is longer but by a twin's number. Names that
    are short by nature (an owner's name, a symbol) also share a most common length, with
    as many longer ones beside it: that is no cut, and reading them as cut would look for
    them at the start of the record's title only."""
    lengths = [len(text) for text in texts]
    middle = float(np.median(lengths))
    counts = Counter(n for n in lengths if n >= middle)
    limit, seen = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    longer = sum(
        1 for text in texts if len(text) > limit and not TWIN_NUMBER.fullmatch(text[limit:])
    )
    cut = (
        limit >= MIN_CUT_LENGTH
        and seen >= max(3, CUT_MIN_SHARE * len(lengths))
        and longer <= CUT_MAX_LONGER * seen
    )
    return limit - 1 if cut else 10**9


def _tie_groups(
    ties: list[tuple[Item, list[tuple[TitleScore, int]]]],
) -> list[list[tuple[Item, list[tuple[TitleScore, int]]]]]:
    """Scans that compete for the same records, directly or through others, as one group."""
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item, close in ties:
        for _, record in close:
            parent[find(("i", item.item_id))] = find(("r", record))
    groups: dict[object, list[tuple[Item, list[tuple[TitleScore, int]]]]] = defaultdict(list)
    for item, close in ties:
        groups[find(("i", item.item_id))].append((item, close))
    return list(groups.values())


def settle_ties(linker: _Linker, ties: list[tuple[Item, list[tuple[TitleScore, int]]]]) -> None:
    """Near-twins settled together. Scans that compete for the same records form a group; the
    one-to-one assignment of the group that agrees best with every signal (title, year, page
    count, and for a counter series the order the station scanned in) is taken for each pair
    that no other assignment nearly equals; the rest go to review with all their candidates."""
    s = linker.settings
    model = linker.page_model()
    sheets = {
        r: float(linker.titles.sheets[linker.position[r]]) for _, close in ties for _, r in close
    }
    shown = {item.item_id: close for item, close in ties}
    # One scan per record: a record a scan has already been linked to on its own evidence is
    # no longer a candidate for its near-twins (the twin it was confused with is the one left).
    # A scan that fits nothing else keeps its candidates and goes to a person.
    open_ties = []
    for item, close in ties:
        left = [(sc, r) for sc, r in close if r not in linker.claimed]
        if left:
            open_ties.append((item, left))
        else:
            _review_tie(linker, item, close)
    timed_roots = time_ordered_roots(linker.claimed, linker.position)
    undecided = []
    for members in _tie_groups(open_ties):
        decided = (
            _assign(members, s, model, sheets, timed_roots) if len(members) <= MAX_TIE_GROUP else {}
        )
        for item, _ in members:
            pick = decided.get(item.item_id)
            if pick is not None and pick[1] not in linker.claimed:
                _link_settled(linker, item, pick, shown[item.item_id])
                continue
            undecided.append((item, shown[item.item_id]))
    # Copies of one cut name the system numbered, too many or too alike for the assignment,
    # are placed by their numbers' order where the pages follow it (series.py).
    for item, close in settle_runs(linker, undecided):
        _review_tie(linker, item, close)


def _link_settled(
    linker: _Linker,
    item: Item,
    pick: tuple[TitleScore, int],
    close: list[tuple[TitleScore, int]],
) -> None:
    """Link a near-twin its group's assignment decided, saying what it was told apart from
    (the twins it fitted, and any record eliminated because another scan has it)."""
    sc, record = pick
    why = linker._why_title(item, sc, linker._title_method(item) == "sidecar_title")
    taken = [linker.claimed[r].relpath for _, r in close if r in linker.claimed]
    if len(close) > 1:
        why += "; " + t("why.twin_settled", linker.lang, n=len(close))
    if taken:
        why += "; " + t("why.twin_eliminated", linker.lang, paths=", ".join(taken[:3]))
    linker.add(item, record, linker._title_method(item), min(sc.score, 100) / 100, "link", why)


def _review_tie(linker: _Linker, item: Item, close: list[tuple[TitleScore, int]]) -> None:
    """A scan the group's assignment did not decide goes to review with every candidate, each
    saying why (near-identical records, a score below the automatic threshold, or the scan a
    candidate already has)."""
    s = linker.settings
    best, first = close[0]
    note = (
        t("why.ambiguous", linker.lang, n=len(close))
        if len(close) > 1
        else ""
        if first in linker.claimed
        else t(
            "why.low_score",
            linker.lang,
            score=round(min(best.score, 100)),
            accept=round(s.accept_score),
        )
    )
    for rank, (sc, r) in enumerate(close, 1):
        why = linker._why_title(item, sc, linker._title_method(item) == "sidecar_title")
        if r in linker.claimed:
            why += "; " + t("why.claimed", linker.lang, path=linker.claimed[r].relpath)
        linker.add(
            item,
            r,
            linker._title_method(item),
            min(sc.score, 100) / 100,
            "review",
            f"{why}; {note}" if note else why,
            rank,
        )


def _assign(
    members: list[tuple[Item, list[tuple[TitleScore, int]]]],
    s: MatchSettings,
    pages: PageModel | None = None,
    sheets: dict[int, float] | None = None,
    timed_roots: set[str] | None = None,
) -> dict[int, tuple[TitleScore, int]]:
    """item id -> (score, record) for the pairs of the best assignment that are decisive.
    Each pair weighs its title score, its page count's likelihood under the locality's
    learned page model (``pages``, with the records' ``sheets``) and the order a counter
    series, the station's write times (in ``timed_roots``) or a file system's twin numbers
    put the scans in."""
    records = sorted({r for _, close in members for _, r in close})
    col = {r: j for j, r in enumerate(records)}
    weight = np.full((len(members), len(records)), -BLOCKED)
    scores: dict[tuple[int, int], TitleScore] = {}
    graded = pages is not None and sheets is not None
    for i, (_, close) in enumerate(members):
        for sc, r in close:
            # With the learned page model the page count enters once, graded, instead of
            # the title score's in-range bonus.
            weight[i, col[r]] = sc.identity if graded else sc.score
            scores[(i, col[r])] = sc
    if pages is not None and sheets is not None:
        _add_page_evidence(weight, members, records, pages, sheets)
    counters = (
        all(item.evidence.counter for item, _ in members)
        and len({item.root for item, _ in members}) == 1
    )
    timed = scan_time_order([item for item, _ in members], timed_roots or set())
    if len(members) == len(records) > 1 and (counters or timed is not None):
        # As many scans as records: the order the station scanned them in (its counter, else
        # the times it wrote them) decides unless the pages or the titles say otherwise.
        by_scan = (
            sorted(range(len(members)), key=lambda i: natural_key(members[i][0].relpath))
            if counters
            else timed or []
        )
        for rank, i in enumerate(by_scan):
            if weight[i, rank] > -BLOCKED:
                weight[i, rank] += ORDER_BONUS
    else:
        _add_twin_order(weight, members, col)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    total = weight[rows, cols].sum()
    decided: dict[int, tuple[TitleScore, int]] = {}
    for i, j in zip(rows, cols):
        chosen = scores.get((i, j))
        if chosen is None or chosen.score < s.accept_score:
            continue
        if len(members) > 1 or len(members[i][1]) > 1:
            trial = weight.copy()
            trial[i, j] = -BLOCKED
            r2, c2 = linear_sum_assignment(trial, maximize=True)
            if trial[r2, c2].sum() >= total - TIE_MARGIN:
                continue
        decided[members[i][0].item_id] = (chosen, records[j])
    return decided


def _add_page_evidence(
    weight: np.ndarray,
    members: list[tuple[Item, list[tuple[TitleScore, int]]]],
    records: list[int],
    pages: PageModel,
    sheets: dict[int, float],
) -> None:
    """Each candidate pair gains the log-likelihood of the scan's page count for the record's
    sheets, in points: an exact count where the locality's scans are exact tells twins apart
    that "within range" could not."""
    counts = _Linker._pages([item for item, _ in members])[:, None]
    listed = np.array([sheets.get(r, np.nan) for r in records], dtype=float)[None, :]
    evidence = pages.loglik(counts, listed) * POINTS_PER_NAT
    open_ = weight > -BLOCKED
    weight[open_] += evidence[open_]


def _add_twin_order(
    weight: np.ndarray,
    members: list[tuple[Item, list[tuple[TitleScore, int]]]],
    col: dict[int, int],
) -> None:
    """Copies of one name told apart by a number ("…_s.pdf", "…_s_2.pdf"): the k-th copy
    gains, by the odds that a station scans in inventory order, for the records it can hold
    in an order-keeping assignment of the copies to their candidates in inventory order
    (the k-th of them when there are as many records as copies)."""
    for twins in twin_sets([item for item, _ in members]):
        shared = sorted({r for i in twins for _, r in members[i][1]})
        spare = len(shared) - len(twins)
        if spare < 0:
            continue
        for rank, i in enumerate(twins):
            for record in shared[rank : rank + spare + 1]:
                j = col[record]
                if weight[i, j] > -BLOCKED:
                    weight[i, j] += TWIN_ORDER_POINTS


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
    """Link one locality's scan items to its records. ``scans`` holds role == "scan" rows.

    Decisions and codes first; then the root's naming conventions are learned on the links
    that are certain (those made so far and titles that fit one record only) and applied;
    then titles decide, one to one."""
    compiled = re.compile(pattern) if pattern else None
    items = build_items(scans, sidecars, compiled, len(records), settings.workers)
    linker = _Linker(records, settings, lang, decisions)
    linker.items = items
    linker.learn_tags()
    rest = [item for item in items if not linker.decided(item)]
    rest = [item for item in rest if not linker.exact(item)]
    rest = linker.by_inventory_names(rest)
    readings = {item.item_id: item_readings(item) for item in items}
    conventions = ConventionIndex(records[records["duplicate_of"] == ""])
    conventions.read_sheets(items, readings)
    # Conventions are learned from a sample of titled scans per root: a few thousand certain
    # links tell a convention from chance as well as all of them, at a fraction of the cost.
    ranked = linker.rank_titles(_learning_sample(rest))
    conventions.learn(items, readings, linker.anchors(ranked))
    rest = linker.by_readings(rest, conventions, readings, ranked)
    linked_items = {row["item_id"] for row in linker.rows if row["decision"] == "link"}
    linked_hashes = {h for item in items if item.item_id in linked_items for h in item.hashes}
    fuzzy = [item for item in rest if not (len(item.hashes) and item.hashes <= linked_hashes)]
    # Items a reading narrowed are ranked again, among the records it allows, and those it
    # scoped with the scope's agreement; the others the learning sample did not rank are
    # ranked now.
    ranked = {k: v for k, v in ranked.items() if k not in linker.allowed and k not in linker.scope}
    ranked |= linker.rank_titles([item for item in fuzzy if item.item_id not in ranked])
    linker.fuzzy(fuzzy, ranked)
    pages = PageScores(linker, item_texts(items, scans))
    link_unnamed(linker, fuzzy, pages)
    linker.by_order(fuzzy)
    content = check_links(linker, pages)
    linker.record_hints(ranked)
    schemes = _name_schemes(linker, items, readings, lang)
    links = pd.DataFrame(linker.rows, columns=LINK_COLUMNS)
    return MatchResult(
        items=items,
        links=links,
        schemes={root: dict(counts) for root, counts in schemes.items()},
        conventions=conventions.summary(),
        reasons=linker.reasons,
        content=content,
    )


def _name_schemes(
    linker: _Linker, items: list[Item], readings: dict[int, dict[str, int]], lang: str
) -> dict[str, dict[str, int]]:
    """How each root's scans are named (the scheme that linked them, or what their names
    show), counted per root; a scan left unlinked without a reason gets one."""
    linked_items = {row["item_id"] for row in linker.rows if row["decision"] == "link"}
    schemes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        if not item.scheme:
            ev = item.evidence
            item.scheme = (
                "scanner_counter"
                if ev.counter
                else "box_file"
                if ev.box is not None and ev.file_no is not None
                else "title"
                if ev.title
                else "unrecognised"
            )
        schemes[item.root][item.scheme] += 1
        if item.item_id not in linked_items and item.item_id not in linker.reasons:
            linker.reasons[item.item_id] = _silent_reason(
                item, readings[item.item_id], lang, linker.file_no
            )
    return schemes


def _learning_sample(items: list[Item]) -> list[Item]:
    """At most LEARN_SAMPLE items per root, spread over the root (every k-th)."""
    by_root: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_root[item.root].append(item)
    sample: list[Item] = []
    for members in by_root.values():
        step = max(1, len(members) // LEARN_SAMPLE)
        sample += members[::step]
    return sample


_YEAR_FOLDER = re.compile(r"^(?:nam|year|nam hoc|giai doan)?\s*(?:19|20)\d\d$")


def _reads_as_code(text: str) -> bool:
    """A path part that names a code ("H56.01.2019.0012"), neither a bare number nor a typed
    title with a year in it: letters in it, and no more letters than digits."""
    letters = sum(ch.isalpha() for ch in text)
    if _YEAR_FOLDER.match(fold(text)):
        return False  # "Năm 2010", "Year 2019": a year, no code
    return 0 < letters <= sum(ch.isdigit() for ch in text)


def _silent_reason(
    item: Item, readings: dict[str, int], lang: str, file_no: dict[int, set[int]]
) -> str:
    """Why a scan with no candidate at all is not linked: what its name says, and that no
    record has it (or that several have it, ``file_no``: the records by file number)."""
    ev = item.evidence
    if ev.counter and item.sidecar is None:
        return t("why.counter_no_sidecar", lang)
    codes = [(text, where) for _, text, where in ev.code_keys if _reads_as_code(text)]
    if codes and not ev.counter:
        text, where = codes[0]
        key = "why.unknown_code_folder" if where == "folder" else "why.unknown_code"
        return t(key, lang, code=text)
    if ev.box is not None and ev.file_no is not None:
        return t("why.unknown_box_file", lang, box=ev.box, file_no=ev.file_no)
    if ev.file_no is not None and len(file_no.get(ev.file_no, ())) > 1:
        return t("why.several_file_no", lang, file_no=ev.file_no, n=len(file_no[ev.file_no]))
    if ev.file_no is not None:
        return t("why.unknown_file_no", lang, file_no=ev.file_no)
    if readings:
        numbers = ", ".join(str(v) for v in dict.fromkeys(readings.values()))
        return t("why.unknown_numbers", lang, numbers=numbers)
    if item.sidecar is not None:
        return t("why.sidecar_no_title", lang, source=item.sidecar.source)
    if ev.title:
        return t("why.title_unknown", lang, title=ev.title)
    return t("why.no_evidence", lang)
