"""Scan items: the units that are matched to records.

Usually one file is one item. A folder of page images (``HS 014/001.jpg, 002.jpg...``) is one
item, a page series: it is the scan of one record, and its name is the folder's. That holds for
a one-page record too (``HS 434/001.tif``): "001" is a page number, not a file number. So does
a folder named as a record holding its documents (``Hop 34/HS 338/01.pdf, 02.pdf``,
``H56.22.2019.0012/Van ban 2.pdf``): "01" is the document's number, not the record's.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from .blockpool import run_blocks
from .evidence import (
    PathEvidence,
    is_box_name,
    is_page_name,
    is_part_name,
    is_year,
    names_a_record,
    path_evidence,
)
from .sidecar import SidecarEntry, SidecarIndex

_IMAGE_FORMATS = {"jpeg", "tiff", "png"}
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".tif", ".tiff", ".png")
_DIGITS = re.compile(r"\d+")
#: Pages a series may lack (a scan short of a sheet or two) and still be read as one.
SERIES_GAPS = 3
#: Pages a file of a page series holds: one sheet, one or both sides.
PAGES_OF_A_SHEET = 2
#: Folders of bare numbers holding bare numbers from one, as a share of the inventory's
#: records, from which a root's numbered folders are records rather than boxes.
RECORD_FOLDERS_SHARE = 0.15
RECORD_FOLDERS_MIN = 10
#: Items whose paths are read in one block (on one core where several are used).
EVIDENCE_BLOCK = 4096


@dataclass
class Item:
    item_id: int
    root: str
    relpath: str  # the file, or the folder of a page series
    files: list[int]  # row labels in the scan table
    series: bool
    pages: int | None
    hashes: frozenset[str]
    evidence: PathEvidence
    sidecar: SidecarEntry | None = None
    scheme: str = field(default="")
    #: When the station wrote it (the latest of its files' modification times), if known.
    mtime: float | None = None


def stem(name: str) -> str:
    """A file name without its extension (a leading dot is part of the name)."""
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _median_pages(counts: list[int | None]) -> float:
    known = sorted(n for n in counts if n is not None)
    return float(known[len(known) // 2]) if known else 1.0


def _image_page(path: str, fmt: str) -> bool:
    """An image, or an empty file named as one: a page lost in transfer is still a page."""
    return fmt in _IMAGE_FORMATS or (fmt == "empty" and path.lower().endswith(_IMAGE_SUFFIXES))


def _numbered_from_one(stems: list[str], folder: str = "") -> bool:
    """Pages of one record are numbered from 1 (or 0) with few gaps; a folder of images
    numbered 35, 37, 38 ... is a folder of records named by number. The last number of a
    name counts ("0034_001" is page 1), not the folder's own ("01_0034" is page 1 too)."""
    own = [int(n) for n in _DIGITS.findall(folder)][-1:]
    numbers = []
    for stem in stems:
        found = [int(n) for n in _DIGITS.findall(stem)]
        if len(found) > 1 and own and found[-1] == own[0]:
            found = found[:-1]
        if found:
            numbers.append(found[-1])
    numbers.sort()
    return bool(numbers) and numbers[0] <= 1 and numbers[-1] <= len(numbers) + SERIES_GAPS


def _record_folder(folder: str, stems: list[str], numbers_records: bool = False) -> bool:
    """A folder named as one record ("HS 338", "0034", a record code) holding its documents or
    page images numbered from one ("01.pdf", "Văn bản 2.pdf", "IMG_0001.jpg"): one item, the
    record's, whatever the files' format or pages."""
    # Under a bare number ("0034") bare numbers ("001.pdf") are as likely a box's records,
    # unless the root numbers records, not boxes, by its folders (``numbers_records``).
    bare = folder.strip().isdigit()
    return (
        names_a_record(folder)
        and all(is_part_name(name, folder) for name in stems)
        and not (bare and not numbers_records and any(name.strip().isdigit() for name in stems))
        and _numbered_from_one(stems, folder)
    )


def _roots_numbering_records(
    by_folder: dict[tuple[str, str], list[int]], paths: list[str], records: int | None
) -> set[str]:
    """Roots whose folders of bare numbers holding bare numbers from one ("0001/01.pdf",
    "0001/02.pdf", "0002/01.pdf") are records holding their documents, not boxes holding
    records: there are as many such folders as a good share of the inventory's records
    (``RECORD_FOLDERS_SHARE``), where boxes, ten records or more each, are far fewer."""
    if not records:
        return set()
    counts: dict[str, int] = defaultdict(int)
    for (root, folder), positions in by_folder.items():
        name = posixpath.basename(folder).strip()
        stems = [stem(posixpath.basename(paths[p])).strip() for p in positions]
        if (
            name.isdigit()
            and not is_year(name)
            and all(s.isdigit() for s in stems)
            and _numbered_from_one(stems)
        ):
            counts[root] += 1
    floor = max(RECORD_FOLDERS_MIN, RECORD_FOLDERS_SHARE * records)
    return {root for root, n in counts.items() if n >= floor}


def _is_series(
    folder: str,
    paths: list[str],
    pages: list[int | None],
    formats: list[str],
    numbers_records: bool,
) -> bool:
    """Whether a folder's files are one item: a record's folder of its documents, or a
    folder of page images numbered from one, unless it is a box ("hop-1/1.tif … 13.tif" are
    records 1-13) or its files hold many pages each (a sheet scanned both sides is two)."""
    if folder == "" or is_box_name(posixpath.basename(folder)):
        return False
    stems = [stem(posixpath.basename(path)) for path in paths]
    return _record_folder(posixpath.basename(folder), stems, numbers_records) or (
        _median_pages(pages) <= PAGES_OF_A_SHEET
        and (len(paths) >= 2 or _image_page(paths[0], formats[0]))
        and all(f in _IMAGE_FORMATS or f == "empty" for f in formats)
        and all(is_page_name(name) for name in stems)
        and _numbered_from_one(stems)
    )


def build_items(
    scans: pd.DataFrame,
    sidecars: SidecarIndex,
    pattern: re.Pattern[str] | None = None,
    records: int | None = None,
    workers: int = -1,
) -> list[Item]:
    """Group a locality's scan files into items and read each item's evidence (``records``:
    how many records its inventory holds, which tells record folders from boxes; ``workers``:
    the cores the paths are read on, as ``MatchSettings.workers``).

    Plain lists, not DataFrame lookups: a locality has tens of thousands of folders and a
    ``.loc`` per folder cost more than all the matching after it.
    """
    labels = scans.index.tolist()
    roots = scans["root"].tolist()
    paths = scans["path"].tolist()
    formats = scans["format"].tolist()
    hashes = scans["xxh3_128"].tolist()
    pages = [None if pd.isna(v) else int(v) for v in scans["pages"]]
    mtimes = [None if pd.isna(v) else float(v) for v in scans["mtime"]]
    by_folder: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, (root, path) in enumerate(zip(roots, paths)):
        by_folder[(root, posixpath.dirname(path))].append(position)
    numbering = _roots_numbering_records(by_folder, paths, records)
    planned: list[tuple[str, str, list[int], bool]] = []  # root, relpath, files, series
    for (root, folder), positions in sorted(by_folder.items()):
        is_series = _is_series(
            folder,
            [paths[p] for p in positions],
            [pages[p] for p in positions],
            [formats[p] for p in positions],
            root in numbering,
        )
        groups = [positions] if is_series else [[p] for p in positions]
        planned.extend((root, folder if is_series else paths[g[0]], g, is_series) for g in groups)
    evidence = _path_evidence(
        [(relpath, series) for _, relpath, _, series in planned], pattern, workers
    )
    items: list[Item] = []
    for (root, relpath, group, is_series), found in zip(planned, evidence):
        counted = [n for p in group if (n := pages[p]) is not None]
        written = [m for p in group if (m := mtimes[p]) is not None]
        items.append(
            Item(
                item_id=len(items),
                root=root,
                relpath=relpath,
                files=[labels[p] for p in group],
                series=is_series,
                pages=sum(counted) if counted else None,
                # An empty file's hash is every empty file's: it tells no scan apart.
                hashes=frozenset(hashes[p] for p in group if hashes[p] and formats[p] != "empty"),
                evidence=found,
                sidecar=None if is_series else sidecars.get(relpath),
                mtime=max(written) if written else None,
            )
        )
    return items


def _path_evidence(
    paths: list[tuple[str, bool]], pattern: re.Pattern[str] | None, workers: int
) -> list[PathEvidence]:
    """Each item's path evidence (relpath, whether a folder is the item), in blocks on every
    core where a pool can be had (blockpool.py): a path is read alone, whatever the others."""

    def block(b: int) -> list[PathEvidence]:
        chunk = paths[b * EVIDENCE_BLOCK : (b + 1) * EVIDENCE_BLOCK]
        return [path_evidence(p, is_folder_item=series, pattern=pattern) for p, series in chunk]

    blocks = -(-len(paths) // EVIDENCE_BLOCK)
    return [ev for part in run_blocks(block, blocks, workers) for ev in part]
