"""A labelled matching benchmark: one locality's inventory and scan catalogue, with the truth.

Separate from the demo province and harder: no bytes on disk (the scan table is what a
catalogue would hold), a third of the titles are near-twins (another parcel, another year,
another person under the same wording), every naming habit mixed in one tree, and the cases
that make a matcher guess wrong on purpose:

- title-only scans of near-twins, where one number is all that tells them apart;
- orphan scans that are near-twins of inventory records (a record of the old district that is
  not in this inventory) and must stay orphans, not be linked to the twin;
- a typed file number that is wrong while the title in the same name is right;
- titles without marks, abbreviated, truncated, with a dropped letter, or in NFD;
- scanner counters whose identity is only in a sidecar (a code, or a title, year and pages);
- page series (a folder of one JPEG per page), byte-identical copies, damaged and empty
  scans, short scans (page_mismatch), missing scans and rows typed twice.

``generate(n, seed)`` returns a :class:`MatchCase`: ``records`` in the loader's columns,
``scans`` in the catalogue's, the sidecar index, and the expected status of every record and
file with the record each file belongs to.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from khaudit.demo.titles import Title, drop_letter, make_titles, typed_title
from khaudit.inventory.loader import RECORD_FIELDS, mark_duplicates
from khaudit.match.settings import MatchSettings
from khaudit.match.sidecar import SidecarEntry, SidecarIndex
from khaudit.scan.catalogue import SCAN_COLUMNS
from khaudit.textnorm import match_form

#: Share of records by fate (the rest are digitized).
FATES = {"missing": 0.08, "short": 0.03, "corrupt": 0.01, "empty": 0.005}
#: Share of scanned records by naming habit (a record without a code falls back to box/file).
SCHEMES = {"code": 0.25, "box_file": 0.2, "number_title": 0.15, "title": 0.25, "sidecar": 0.15}
ORPHAN_SHARE = 0.03
DUPLICATE_FILE_SHARE = 0.02
DUPLICATE_ROW_SHARE = 0.01
SOURCE = "muc_luc_ho_so.xlsx"
REVIEW_CANDIDATES = MatchSettings().review_candidates


@dataclass
class MatchCase:
    locality: str
    records: pd.DataFrame  # RECORD_FIELDS + expected_status
    scans: pd.DataFrame  # SCAN_COLUMNS + expected_status, expected_record (label or -1)
    sidecars: SidecarIndex
    schemes: dict[str, int] = field(default_factory=dict)
    sidecar_entries: list[SidecarEntry] = field(default_factory=list)


@dataclass
class _Rec:
    label: int
    title: Title
    code: str
    box: int
    file_no: int
    sheets: int
    fate: str = "digitized"


class _Builder:
    def __init__(self, n: int, seed: int, locality: str, series_share: float = 0.15):
        self.series_share = series_share
        self.rng = random.Random(seed)
        self.locality = locality
        self.root = f"/bench/{seed}"
        self.files: list[dict[str, object]] = []
        self.sidecar: list[SidecarEntry] = []
        self.counter = 0
        self.schemes: dict[str, int] = {}
        #: path -> (the title it carries before any typo, the year it carries): the scans
        #: whose only evidence is a title, checked for ambiguity once all are named.
        self.title_only: dict[str, tuple[str, int | None]] = {}
        self.clean = ""
        place = locality.lower()
        titles = make_titles(
            self.rng, n + int(n * ORPHAN_SHARE) + 1, (1995, 2024), place, twin_share=0.35
        )
        self.rng.shuffle(titles)
        self.inventory = titles[:n]
        self.outsiders = titles[n:]
        self.inventory.sort(key=lambda t: t.year)

    def _hash(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def add_file(
        self,
        path: str,
        pages: int | None,
        expected: str,
        record: int,
        integrity: str = "ok",
        fmt: str = "pdf",
        digest: str = "",
    ) -> str:
        digest = digest or self._hash()
        self.files.append(
            {
                "locality": self.locality,
                "root": self.root,
                "path": path,
                "role": "scan",
                "size": self.rng.randint(50_000, 5_000_000) if integrity != "empty" else 0,
                "mtime": 1.7e9 + len(self.files),
                "inode": len(self.files) + 1,
                "xxh3_128": digest,
                "sha256": "",
                "format": "empty" if integrity == "empty" else fmt,
                "pages": None if integrity != "ok" else pages,
                "dpi": 300.0,
                "color_mode": "L",
                "integrity": integrity,
                "integrity_note": {
                    "ok": "",
                    "empty": "empty file",
                    "truncated": "PDF has no end-of-file marker",
                }[integrity],
                "expected_status": expected,
                "expected_record": record,
            }
        )
        return digest

    def typed(self, title: Title, limit: int = 0) -> str:
        """The title as typed into a file name; ``self.clean`` keeps it before any typo."""
        limit = limit or (72 if self.rng.random() < 0.3 else 150)
        text = typed_title(title.text, self.rng, limit)
        roll = self.rng.random()
        if roll < 0.1:  # typed with marks by a newer machine, stored decomposed
            text = unicodedata.normalize("NFD", title.text.replace(",", "").replace("/", "-"))
        self.clean = text
        if roll > 0.85:
            text = drop_letter(text, self.rng)
        return text

    def name(self, rec: _Rec) -> tuple[str, str]:
        """(path, scheme) of a record's scan under one of the office's habits."""
        rng = self.rng
        scheme = _pick(rng, SCHEMES, "title")
        if scheme == "code" and not rec.code:
            scheme = "box_file"
        year = rec.title.year
        if scheme == "code":
            variant = rng.random()
            if variant < 0.15:
                return f"{year}/{rec.code.lower().replace('.', '_')}.pdf", scheme
            if variant < 0.25:
                return (
                    f"{year}/{rec.code.replace(str(year), str(year).replace('0', 'O'))}.pdf",
                    scheme,
                )
            if variant < 0.4:
                return f"{year}/{rec.code} - {self.typed(rec.title, 40)}.pdf", scheme
            return f"{year}/{rec.code}.pdf", scheme
        if scheme == "box_file":
            variant = rng.random()
            if variant < 0.3:
                return f"H{rec.box:03d}_{rec.file_no:03d}.pdf", scheme
            if variant < 0.45:
                return f"hop-{rec.box}/{rec.file_no:03d} - {self.typed(rec.title, 50)}.pdf", scheme
            return f"Hop {rec.box:02d}/HS {rec.file_no:03d}.pdf", scheme
        if scheme == "number_title":
            number = rec.file_no
            if rng.random() < 0.05:  # the number typed wrong; the title is right
                number = (
                    rec.file_no + rng.choice([1, -1, 10]) if rec.file_no > 10 else rec.file_no + 1
                )
            path = f"so_hs/{number:04d} - {self.typed(rec.title)}.pdf"
            if number != rec.file_no:
                self.title_only[path] = (self.clean, None)
            return path, scheme
        if scheme == "title":
            path = f"{rec.title.kind}/{self.typed(rec.title)}.pdf"
            self.title_only[path] = (self.clean, None)
            return path, scheme
        self.counter += 1
        name = f"IMG_{self.counter:06d}.pdf"
        if rng.random() < 0.5 and rec.code:
            entry = SidecarEntry(name, rec.code, "", None, None, f"metadata.csv row {self.counter}")
        else:
            entry = SidecarEntry(
                name, "", rec.title.text, None, year, f"metadata.csv row {self.counter}"
            )
            self.title_only[f"may_quet/{name}"] = (rec.title.text, year)
        self.sidecar.append(entry)
        return f"may_quet/{name}", "sidecar"

    def scan(self, rec: _Rec) -> None:
        rng = self.rng
        if rec.fate == "short":
            pages = rng.randint(1, rec.sheets - 1)
        else:
            pages = rec.sheets + (rng.randint(0, rec.sheets) if rng.random() < 0.3 else 0)
        path, scheme = self.name(rec)
        self.schemes[scheme] = self.schemes.get(scheme, 0) + 1
        expected = {"corrupt": "corrupt", "empty": "empty"}.get(rec.fate, "matched")
        integrity = {"corrupt": "truncated", "empty": "empty"}.get(rec.fate, "ok")
        if (
            scheme == "box_file"
            and rec.fate in ("digitized", "short")
            and rng.random() < self.series_share
        ):
            # A page series: one JPEG per page in the file's folder.
            for page in range(1, pages + 1):
                self.add_file(
                    f"Hop {rec.box:02d}/HS {rec.file_no:03d}/{page:03d}.jpg",
                    1,
                    "matched",
                    rec.label,
                    fmt="jpeg",
                )
            return
        digest = self.add_file(path, pages, expected, rec.label, integrity)
        if (
            rec.fate == "digitized"
            and path not in self.title_only
            and rng.random() < DUPLICATE_FILE_SHARE
        ):
            self.add_file(
                f"ban_sao/{path.rsplit('/', 1)[-1]}", pages, "duplicate", rec.label, digest=digest
            )

    def orphans(self) -> None:
        """Scans of records this inventory does not list, many of them near-twins of ones it
        does: a matcher that links them has linked the wrong parcel, year or person."""
        for title in self.outsiders:
            pages = self.rng.randint(1, 40)
            if self.rng.random() < 0.7:
                # Typed in full: a truncated outsider is indistinguishable from its twin.
                self.add_file(f"{title.kind}/{self.typed(title, 250)}.pdf", pages, "orphan", -1)
            else:
                self.counter += 1
                name = f"IMG_{self.counter:06d}.pdf"
                self.sidecar.append(
                    SidecarEntry(
                        name, "", title.text, None, title.year, f"metadata.csv row {self.counter}"
                    )
                )
                self.add_file(f"may_quet/{name}", pages, "orphan", -1)


def _pick(rng: random.Random, shares: dict[str, float], rest: str) -> str:
    """A key drawn with the probabilities ``shares``; ``rest`` for what they leave."""
    roll = rng.random()
    for key, share in shares.items():
        if roll < share:
            return key
        roll -= share
    return rest


def _record_status(fate: str) -> str:
    return {
        "missing": "missing",
        "short": "page_mismatch",
        "corrupt": "damaged_scan",
        "empty": "damaged_scan",
    }.get(fate, "digitized")


def generate(
    n: int, seed: int = 1, locality: str = "Xã Bàn Cờ", series_share: float = 0.15
) -> MatchCase:
    """One locality of ``n`` inventory rows (plus repeats) and its scans, labelled.

    ``series_share`` is the share of box/file-named scans that are page series (one JPEG per
    page): they multiply the files; 0 gives about as many files as records."""
    b = _Builder(n, seed, locality, series_share)
    rng = b.rng
    recs: list[_Rec] = []
    for i, title in enumerate(b.inventory):
        file_no = i + 1
        code = f"H56.22.{seed % 100:02d}.{title.year}.{file_no:05d}" if rng.random() < 0.7 else ""
        rec = _Rec(i, title, code, (file_no - 1) // 25 + 1, file_no, rng.randint(2, 80))
        rec.fate = _pick(rng, FATES, "digitized")
        recs.append(rec)
    rows = []
    for rec in recs:
        rows.append(_row(locality, rec, len(rows)))
        if rng.random() < DUPLICATE_ROW_SHARE:
            rows.append(_row(locality, rec, len(rows)))
    records = pd.DataFrame(rows, columns=RECORD_FIELDS)
    for col in ("box", "file_no", "year_start", "year_end", "sheets"):
        records[col] = records[col].astype("Int64")
    records = mark_duplicates(records, [])
    label_of_rec = records.index[records["duplicate_of"] == ""]
    records["expected_status"] = "duplicate_entry"
    for rec, label in zip(recs, label_of_rec):
        records.at[label, "expected_status"] = _record_status(rec.fate)
        rec.label = int(label)
    for rec in recs:
        if rec.fate != "missing":
            b.scan(rec)
    b.orphans()
    _label_ambiguous(b, records)
    scans = pd.DataFrame(b.files, columns=[*SCAN_COLUMNS, "expected_status", "expected_record"])
    scans["pages"] = scans["pages"].astype("Int64")
    scans = scans.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return MatchCase(locality, records, scans, SidecarIndex(b.sidecar), b.schemes, b.sidecar)


def _label_ambiguous(b: _Builder, records: pd.DataFrame) -> None:
    """A scan whose only evidence is a title that begins two inventory titles (a name cut
    before the parcel number, a report named without its year), neither of which another scan
    singles out, cannot be decided from the data: the right answer is needs_review, for it and
    for every record it could be."""
    targets = records[records["duplicate_of"] == ""]
    forms = {j: match_form(t).split() for j, t in zip(targets.index, targets["title"])}
    years = dict(zip(targets.index, targets["year_start"]))
    starting: dict[str, list[int]] = {}  # every start of every title -> the titles
    for j, words in forms.items():
        for k in range(1, len(words) + 1):
            starting.setdefault(" ".join(words[:k]), []).append(j)
    fitting: dict[str, list[int]] = {}
    for f in b.files:
        if f["path"] not in b.title_only or f["expected_record"] == -1:
            continue
        text, year = b.title_only[str(f["path"])]
        fitting[str(f["path"])] = [
            j for j in starting.get(match_form(text), ()) if year is None or years[j] == year
        ]
    _eliminate(b, fitting)
    candidates: set[int] = set()
    undecided: set[int] = set()
    for f in b.files:
        fits = fitting.get(str(f["path"]))
        if fits is not None and len(fits) > 1:
            undecided.add(int(f["expected_record"]))
            if len(fits) <= REVIEW_CANDIDATES:  # a longer list is cut at the best few
                candidates.update(fits)
            f["expected_record"] = -1
            if f["expected_status"] == "matched":
                f["expected_status"] = "needs_review"
    decided = {int(f["expected_record"]) for f in b.files if f["expected_record"] != -1}
    for j in candidates | undecided:
        if j not in decided:
            records.at[j, "expected_status"] = "needs_review"


def _eliminate(b: _Builder, fitting: dict[str, list[int]]) -> None:
    """One scan per record: a record another scan singles out (by code, number, or a title
    only it fits) is no candidate for a title-only scan, until nothing changes."""
    certain = {
        int(f["expected_record"])
        for f in b.files
        if f["expected_record"] != -1 and len(fitting.get(str(f["path"]), [0])) == 1
    }
    changed = True
    while changed:
        changed = False
        for f in b.files:
            fits = fitting.get(str(f["path"]))
            if not fits:
                continue
            own = int(f["expected_record"])
            rest = [j for j in fits if j == own or j not in certain]
            if rest != fits:
                fitting[str(f["path"])] = rest
                changed = True
            if len(rest) == 1 and own not in certain:
                certain.add(own)
                changed = True


def _row(locality: str, rec: _Rec, index: int) -> dict[str, object]:
    return {
        "locality": locality,
        "source_file": SOURCE,
        "source_sheet": "Mục lục",
        "source_row": index + 6,
        "stt": str(index + 1),
        "record_code": rec.code,
        "box": rec.box,
        "file_no": rec.file_no,
        "title": rec.title.text,
        "title_original": "",
        "year_start": rec.title.year,
        "year_end": rec.title.year,
        "dates_raw": str(rec.title.year),
        "sheets": rec.sheets,
        "retention": "Vĩnh viễn",
        "notes": "",
        "encoding": "",
        "duplicate_of": "",
        "hidden": False,
        "date_start": "",
        "date_end": "",
        "original_cells": "",
    }
