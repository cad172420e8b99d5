"""Content evidence: what a scan's first page says, weighed against what its name says.

Every other link rests on names. A station that saves record A's pages under record B's name
passes them all; the pages themselves do not lie. A searchable PDF's first page carries the
record's heading and often its code (scan/pagetext.py reads it once, the catalogue keeps it).

- a record code of the inventory written in the text names that record outright;
- otherwise the text is compared with records as titles are (scoring.py's index, so marks,
  case, abbreviations and typos count alike): the share of a record's title, weighted by how
  rare each word is, that the page shows, less ``number_conflict_penalty`` for each number of
  the title the page lacks (near-twins differ in a parcel or a year). Measured from the
  record's side because a page carries much more than a title (the national heading, the
  fonds, dates), which says nothing against it.

A link whose page names another record, or agrees far less than its name did, goes to review
with both records, never matched; a scan whose name says nothing (a counter, a timestamp, and
no sidecar) is linked by its page when that is decisive. Links a person made are never
second-guessed.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..i18n import t
from ..inventory.encodings import convert_cell, fits_one_byte
from ..textnorm import nfc
from .evidence import is_page_name, normalize_code, path_evidence
from .items import Item

if TYPE_CHECKING:
    from .link import _Linker

#: Characters of the first page's text compared: the heading and the code come first.
TEXT_HEAD = 800
#: A page agreeing this much with a record (0-100) is that record's, when no other comes close.
DECISIVE_SCORE = 80.0
#: How far ahead of the second record the best must be to decide, or to contradict a name.
DECISIVE_MARGIN = 15.0
#: A record's cover agreeing this many points less than the name did contradicts the link,
#: when it shows at least MIN_KNOWN_WORDS words of the inventory (else it says too little).
#: Only a cover: a scan that starts with the record's first document carries that
#: document's text, which need not repeat the record's title.
FAR_BELOW_NAME = 50.0
MIN_KNOWN_WORDS = 4
#: Records a page is compared with, from each of two rankings (:meth:`PageScores.nearest`).
CANDIDATES = 20

_CODE = re.compile(r"[0-9A-Za-zĐđ]+(?:\s?[./_\-]\s?[0-9A-Za-zĐđ]+)+")
#: What a record's cover writes and a document's page does not: "HỒ SƠ" in capitals, the
#: labels of the code and the title.
_COVER = re.compile(
    r"(?-i:\bH[ỒO] S[ƠO]\b)|\b(?:m[ãa]|k[ýy] hi[ệe]u|ti[êe]u [đd][ềe]|s[ốo]) h[ồo] s[ơo]\b",
    re.IGNORECASE,
)


@dataclass
class ContentCheck:
    """What one item's first page said about its record."""

    item_id: int
    content_match: float | None  # 0-1 against the record it is linked or proposed to
    verdict: str  # agrees | contradicts | unclear | linked (by content) | unlinked
    record: int | None = None  # the record the page points at, when it points at one


def sampled(hashes: pd.Series, share: float) -> np.ndarray:
    """Which files a sample of ``share`` checks: drawn from each file's content hash, so the
    same files are drawn on every run and machine, and a renamed file stays in or out."""
    if share >= 1.0:
        return np.ones(len(hashes), dtype=bool)
    head = hashes.fillna("").astype(str).str[:8]
    value = np.array([int(h, 16) if h else 0 for h in head], dtype=np.float64)
    return (value / float(1 << 32)) < share


def wanted(scans: pd.DataFrame, share: float) -> np.ndarray:
    """Files whose first-page text matching reads: the sample, and every scanner counter (a
    counter without a sidecar has nothing else to be linked by)."""
    if share >= 1.0:
        return np.ones(len(scans), dtype=bool)
    counters = np.array([path_evidence(str(p)).counter for p in scans["path"]], dtype=bool)
    return sampled(scans["xxh3_128"], share) | counters.reshape(-1)


def codes_in(text: str, codes: dict[str, set[int]]) -> dict[int, str]:
    """Records whose code the text writes, each with the code as written (separators, case,
    padding and O/0 forgiven)."""
    found: dict[int, str] = {}
    for match in _CODE.finditer(text):
        for record in codes.get(normalize_code(match.group()), ()):
            found.setdefault(record, match.group())
    return found


class PageScores:
    """The first pages of a locality's items, scored against its records (a sparse product
    over the linker's title index, one row per page)."""

    def __init__(self, linker: _Linker, texts: dict[int, str]):
        self.linker = linker
        self.ids = list(texts)
        self.row = {item_id: i for i, item_id in enumerate(self.ids)}
        self.texts = [texts[i] for i in self.ids]
        index = linker.titles
        self.pages = index.encode(self.texts) if self.texts else None
        self.known = (
            np.diff(self.pages.words.indptr) if self.pages is not None else np.zeros(0, int)
        )
        #: Each record's blocking weight in all (its rare words, pairs and numbers, by IDF):
        #: what a page showing the whole record shares with it.
        self.key_totals = np.asarray(
            index.key_matrix.multiply(index.key_idf.reshape(-1, 1)).sum(axis=0)
        ).ravel()

    def score(self, item_id: int, labels: list[int]) -> np.ndarray:
        """0-100 per record label: the record's title found on the page, numbers it lacks
        taken off."""
        index, pages = self.linker.titles, self.pages
        if pages is None or not labels:
            return np.zeros(len(labels))
        i = self.row[item_id]
        cols = np.array([self.linker.position[label] for label in labels], dtype=np.int64)
        found = np.asarray(index.words[cols].multiply(pages.words[[i] * len(cols)]).sum(axis=1))
        whole = index.prefix_idf[cols, -1]
        share = np.where(whole > 0, 100.0 * np.minimum(found.ravel(), whole) / whole, 0.0)
        lacking = np.array([len(index.numbers[c] - pages.numbers[i]) for c in cols])
        penalty = self.linker.settings.number_conflict_penalty
        return np.maximum(share - penalty * lacking, 0.0)

    def nearest(self, item_id: int, named: int | None = None) -> list[tuple[float, int]]:
        """(score, record label) of the records nearest the page, best first, ``named`` (the
        record the scan's name gives) always among them.

        Scored are the :data:`CANDIDATES` records sharing the most blocking weight with the
        page and the :data:`CANDIDATES` records the page shows the largest share of (that
        weight over the record's own). A page carries far more than a title: the fonds'
        heading, the national motto, the retention line. Where those words stand in dozens
        of titles, each such record shares more weight with every cover than the record the
        cover shows, whose title may differ from its neighbours only by a name; that record
        still shares all of its own weight, so the second ranking holds it."""
        if self.pages is None:
            return []
        i = self.row[item_id]
        product = (self.pages.keys[i] @ self.linker.titles.key_matrix).tocsr()
        shared, cols = product.data, product.indices
        share = shared / np.maximum(self.key_totals[cols], 1e-9)
        picked = np.union1d(
            np.argsort(-shared, kind="stable")[:CANDIDATES],
            np.argsort(-share, kind="stable")[:CANDIDATES],
        )
        labels = [self.linker.labels[int(c)] for c in cols[picked]]
        weight = dict(zip(labels, shared[picked].tolist()))
        if named is not None and named not in weight:
            labels.append(named)
        scores = self.score(item_id, labels)
        # Equal scores (every word of both titles on the page: "Hồ Xuân Phúc" is read in
        # "HỒ SƠ ... HUỲNH XUÂN PHÚC"; equal up to the order floats were summed in) go to the
        # record sharing more rare pairs with the page.
        return sorted(
            zip(scores.tolist(), labels),
            key=lambda x: (-round(x[0], 6), -weight.get(x[1], 0.0), x[1]),
        )

    def informative(self, item_id: int) -> bool:
        return bool(self.known[self.row[item_id]] >= MIN_KNOWN_WORDS)


def item_texts(items: list[Item], scans: pd.DataFrame) -> dict[int, str]:
    """Item id -> the first page's text (its first file's), for items that have one."""
    if "first_page_text" not in scans:
        return {}
    text = scans["first_page_text"]
    out = {}
    for item in items:
        if item.series or not item.files:
            continue
        value = text.get(item.files[0])
        if isinstance(value, str) and value:
            out[item.item_id] = value[:TEXT_HEAD]
    return out


def link_unnamed(linker: _Linker, items: list[Item], pages: PageScores) -> None:
    """Scans whose name says nothing (:func:`says_nothing`) and not yet linked, linked by
    their first page when it is decisive: an inventory code it writes that no other scan
    has, or a record it agrees with clearly best (and above DECISIVE_SCORE) that has no scan
    yet."""
    listed = {int(str(r["item_id"])) for r in linker.rows if r["decision"] in ("link", "review")}
    for item in items:
        if not says_nothing(item) or item.item_id in listed or item.item_id not in pages.row:
            continue
        choice = _decisive(linker, item, pages)
        if choice is None:
            continue
        record, score, method = choice
        item.scheme = "content"
        why = t(f"why.{method}", linker.lang, score=round(score))
        linker.add(item, record, method, min(score, 100.0) / 100, "link", why)


def says_nothing(item: Item) -> bool:
    """A name that gives no record: a scanner counter, or a name with neither a title nor a
    file number (a timestamp, a code no record has), and no sidecar row."""
    ev = item.evidence
    return item.sidecar is None and (ev.counter or not (ev.title or ev.file_no is not None))


def _decisive(linker: _Linker, item: Item, pages: PageScores) -> tuple[int, float, str] | None:
    by_code = codes_in(pages.texts[pages.row[item.item_id]], linker.codes)
    if by_code:
        (record,) = list(by_code) if len(by_code) == 1 else [None]
        if record is None or record in linker.claimed:
            return None
        return record, 100.0, "content_code"
    near = pages.nearest(item.item_id)
    if not near or not pages.informative(item.item_id):
        return None
    best, record = near[0]
    second = near[1][0] if len(near) > 1 else 0.0
    if best >= DECISIVE_SCORE and best - second >= DECISIVE_MARGIN and record not in linker.claimed:
        return record, best, "content"
    return None


def check_links(linker: _Linker, pages: PageScores) -> dict[int, ContentCheck]:
    """Each linked item with a page read: does the page agree with the record its name gave?
    A contradicted link becomes a review of the named record and the one the page names."""
    checks: dict[int, ContentCheck] = {}
    links = [r for r in linker.rows if r["decision"] == "link"]
    scans_of = Counter(int(str(r["record"])) for r in links)
    for row in links:
        item_id, record = int(str(row["item_id"])), int(str(row["record"]))
        if item_id in checks or item_id not in pages.row:
            continue
        own = float(pages.score(item_id, [record])[0])
        if row["method"] in ("content", "content_code"):
            checks[item_id] = ContentCheck(item_id, float(str(row["score"])), "linked", record)
            continue
        if record in codes_in(pages.texts[pages.row[item_id]], linker.codes):
            checks[item_id] = ContentCheck(item_id, 1.0, "agrees", record)
            continue
        # the weak rule needs the record's own cover: one scan, whose page is a cover
        name = float(str(row["score"])) if scans_of[record] == 1 else 0.0
        found = _contradiction(linker, pages, item_id, record, own, name)
        if found is not None and row["method"] != "decision":
            other, other_score, why = found
            _to_review(linker, row, other, other_score, why)
            checks[item_id] = ContentCheck(item_id, own / 100, "contradicts", other)
        else:
            verdict = "agrees" if own >= DECISIVE_SCORE else "unclear"
            checks[item_id] = ContentCheck(item_id, own / 100, verdict, record)
    for item_id in pages.ids:
        checks.setdefault(item_id, ContentCheck(item_id, None, "unlinked"))
    return checks


def _contradiction(
    linker: _Linker, pages: PageScores, item_id: int, record: int, own: float, name: float
) -> tuple[int | None, float, str] | None:
    """(the record the page names instead, its score 0-1, why) when the page contradicts the
    link: it writes another record's code, agrees clearly better with another record, or
    (a cover saying enough) agrees far less than the name did (``name``: 0 waives that)."""
    lang = linker.lang
    by_code = codes_in(pages.texts[pages.row[item_id]], linker.codes)
    if by_code:
        other = min(by_code)
        return other, 1.0, t("why.content_other_code", lang, code=by_code[other])
    # No record scores above 100: a page agreeing better than 100 - DECISIVE_MARGIN with its
    # own record cannot agree clearly better with another, and skips that search.
    nearest = pages.nearest(item_id, record) if own < 100.0 - DECISIVE_MARGIN else []
    near = [(s, r) for s, r in nearest if r != record]
    if near and near[0][0] >= DECISIVE_SCORE and near[0][0] - own >= DECISIVE_MARGIN:
        score, other = near[0]
        why = t("why.content_other", lang, score=round(score), own=round(own))
        return other, min(score, 100.0) / 100, why
    cover = _COVER.search(pages.texts[pages.row[item_id]]) is not None
    if cover and pages.informative(item_id) and own < 100 * name - FAR_BELOW_NAME:
        why = t("why.content_weak", lang, own=round(own), name=round(100 * name))
        if near and near[0][0] >= linker.settings.hint_score:
            return near[0][1], min(near[0][0], 100.0) / 100, why
        return None, 0.0, why
    return None


def _to_review(
    linker: _Linker, row: dict[str, object], other: int | None, score: float, why: str
) -> None:
    """The link becomes a review candidate (rank 1, what the name says) beside the record the
    page names (rank 2); the named record is no longer claimed by this scan."""
    row["decision"] = "review"
    row["explanation"] = f"{row['explanation']}; {why}"
    record = int(str(row["record"]))
    holder = linker.claimed.get(record)
    if holder is not None and holder.item_id == row["item_id"]:
        del linker.claimed[record]
    if other is None or other == record:
        return
    item = next(i for i in linker.items if i.item_id == row["item_id"])
    linker.add(item, other, "content", score, "review", why, rank=2)


def with_texts(scans: pd.DataFrame, texts: pd.DataFrame, share: float) -> pd.DataFrame:
    """``scans`` with ``text_source`` ("layer" where the catalogue keeps a first-page text)
    and ``first_page_text`` (the head of it, for the files :func:`wanted` draws)."""
    key = scans["root"].astype(str) + "\0" + scans["path"].astype(str)
    known = texts["root"].astype(str) + "\0" + texts["path"].astype(str)
    text = key.map(dict(zip(known, texts["first_page_text"].astype(str)))).astype(object)
    text = text.fillna("").astype(str)
    out = scans.assign(text_source=np.where(text != "", "layer", ""))
    out["first_page_text"] = text.where(wanted(scans, share), "").str[:TEXT_HEAD].map(readable)
    return out


def readable(text: str) -> str:
    """A text layer as Vietnamese in NFC. A document typed in a legacy font (TCVN3's .VnTime,
    VNI-Times) and saved as PDF keeps the font's one-byte codes, so its layer reads as
    Latin-1 mojibake ("Hå s¬" for "Hồ sơ"); each run of words that fits one byte and carries
    an encoding's evidence is decoded as the inventory's cells are (inventory/encodings.py:
    only when the result reads clearly more like Vietnamese, so genuine text is never
    altered)."""
    if text.isascii():
        return text
    if fits_one_byte(text):
        return convert_cell(text, None)[0]
    out: list[str] = []
    run: list[str] = []
    for word in text.split(" "):
        if fits_one_byte(word):
            run.append(word)
            continue
        if run:
            out.append(convert_cell(" ".join(run), None)[0])
            run = []
        out.append(nfc(word))
    if run:
        out.append(convert_cell(" ".join(run), None)[0])
    return " ".join(out)


def with_ocr(
    scans: pd.DataFrame,
    base: Path,
    share: float,
    db: sqlite3.Connection | None,
    workers: int = 0,
) -> pd.DataFrame:
    """``scans`` (after :func:`with_texts`) with the first page of the image-only scans
    content evidence reads recognised by Tesseract (scan/ocr.py), ``workers`` files at a
    time: ``text_source`` "ocr". Each content hash is recognised once per engine (the
    catalogue keeps the text); without Tesseract and its Vietnamese model nothing changes."""
    from ..scan import ocr

    name = ocr.engine()
    if name is None or scans.empty:
        return scans
    rows = scans[_ocr_wanted(scans, share)]
    known = ocr.cached_texts(db, sorted(set(rows["xxh3_128"])), name)
    todo: dict[str, tuple[Path, str]] = {}
    for root, path, fmt, digest in zip(
        rows["root"], rows["path"], rows["format"], rows["xxh3_128"]
    ):
        if digest not in known and digest not in todo:
            todo[digest] = (base / str(root) / str(path), str(fmt))
    fresh = dict(zip(todo, ocr.recognise_all(todo.values(), workers)))
    ocr.keep_texts(db, fresh, name)
    known.update(fresh)
    out = scans.copy()
    for label, digest in zip(rows.index, rows["xxh3_128"]):
        text = known.get(digest, "")
        if text:
            out.at[label, "first_page_text"] = text[:TEXT_HEAD]
            out.at[label, "text_source"] = "ocr"
    return out


def _ocr_wanted(scans: pd.DataFrame, share: float) -> pd.Series:
    """Scans OCR reads: sound image-only files (no text layer) that content evidence reads,
    and not a page of a series (its folder is the scan, and its first page another file)."""
    names = scans["path"].astype(str).map(lambda p: p.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return (
        (scans["text_source"] == "")
        & scans["format"].isin(["pdf", "tiff", "jpeg", "png"])
        & (scans["integrity"] == "ok")
        & ~names.map(is_page_name)
        & wanted(scans, share)
    )


def ocr_digest(scans: pd.DataFrame) -> str:
    """SHA-256 of the OCR texts matching reads (content hash and text, in hash order); ""
    when none. A text layer is the file's own, so the catalogue's digest covers it; an OCR
    text is the engine's, and a run must say which texts made its numbers."""
    if "text_source" not in scans:
        return ""
    read = scans[(scans["text_source"] == "ocr") & (scans["first_page_text"] != "")]
    if read.empty:
        return ""
    pairs = sorted(set(zip(read["xxh3_128"].astype(str), read["first_page_text"].astype(str))))
    digest = hashlib.sha256()
    for xxh3, text in pairs:
        digest.update(f"{xxh3}\x1f{text}\x1e".encode())
    return digest.hexdigest()


def with_content(files: pd.DataFrame, checks: dict[int, ContentCheck]) -> pd.DataFrame:
    """``files`` (with ``item_id``) gaining ``content_match`` and ``content_verdict`` (agrees,
    contradicts, unclear, or linked by the page; empty where no record was compared) from the
    checks of their items, and ``text_source`` when the scan table had none; the texts
    themselves leave."""
    compared = {i: c for i, c in checks.items() if c.content_match is not None}
    out = files.drop(columns=["first_page_text"], errors="ignore")
    if "text_source" not in out:
        out["text_source"] = ""
    match = {i: c.content_match for i, c in compared.items()}
    out["content_match"] = out["item_id"].map(match).astype(float).round(4)
    verdict = {i: c.verdict for i, c in compared.items()}
    out["content_verdict"] = out["item_id"].map(verdict).fillna("").astype(str)
    return out


__all__ = [
    "ContentCheck",
    "PageScores",
    "check_links",
    "codes_in",
    "item_texts",
    "link_unnamed",
    "ocr_digest",
    "readable",
    "sampled",
    "wanted",
    "with_content",
    "with_ocr",
    "with_texts",
]
