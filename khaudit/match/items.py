"""Scan items: the units that are matched to records.

Usually one file is one item. A folder of page images (``HS 014/001.jpg, 002.jpg...``) is one
item, a page series: it is the scan of one record, and its name is the folder's. That holds for
a one-page record too (``HS 434/001.tif``): "001" is a page number, not a file number. So does
a folder named as a record holding its documents (``Hop 34/HS 338/01.pdf, 02.pdf``,
``H56.22.2019.0012/Van ban 2.pdf``): "01" is the document's number, not the record's. And so
does a folder holding documents named by their kind, as a one-stop shop or the national portal
hands a record back (``000.36.17.H56-151113-0003_Nguyen Van A/01_To khai.pdf``, ``Ban sao
CCCD.pdf``, ``Bien lai thu phi.pdf``): the root's own folders show which names are kinds.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..textnorm import fold
from .blockpool import run_blocks
from .evidence import (
    COUNTER_WORDS,
    NUMBERS_WORDS,
    PathEvidence,
    is_box_name,
    is_page_name,
    is_part_name,
    is_year,
    names_a_record,
    path_evidence,
    strip_copy_mark,
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
#: Words a document's kind has at most ("Phiếu tiếp nhận và hẹn trả kết quả"): a longer
#: name is a title, which a monthly report repeats in every month's folder.
KIND_MAX_WORDS = 8
#: Folders of two documents or more a name recurs in before it is read as a document's kind.
COMPONENT_FOLDERS_MIN = 3
#: A document's place in its record's folder before its kind ("01_To khai", "3. Ban sao").
_ORDER_PREFIX = re.compile(r"^\d{1,2}\s+")
#: Folders that hold records, not one record's documents: a year, a day, a lot.
_NO_RECORD_FOLDER = re.compile(r"^(?:nam\s*)?(?:19|20)\d\d$|^\d{8}$|^(?:lo|dot|lot|batch)\s*\d+$")
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
    #: The path its name is read from when that is not ``relpath``: a record scanned in parts
    #: ("152-1.pdf", "152-2.pdf") is read as "152.pdf".
    read_as: str = ""

    @property
    def named_as(self) -> str:
        """The path the item's name is read from."""
        return self.read_as or self.relpath


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


def component_name(name: str) -> str:
    """The kind a document's file name gives ("01_Tờ khai.pdf" -> "to khai", "Ban sao CCCD
    (2).pdf" -> "ban sao cccd"), or "" for a name with a number in it (a page, a counter, a
    record's number: never a kind) or of more than ``KIND_MAX_WORDS`` words."""
    folded = _ORDER_PREFIX.sub("", fold(strip_copy_mark(stem(name))))
    words = folded.split()
    if not words or any(ch.isdigit() for ch in folded) or words[0] in COUNTER_WORDS:
        return ""
    if len(words) > KIND_MAX_WORDS:
        return ""  # a typed title ("Thông báo kết luận của Chủ tịch …"), no kind
    return folded if sum(map(str.isalpha, folded)) >= 3 else ""


def _component_names(
    by_folder: dict[tuple[str, str], list[int]], paths: list[str]
) -> dict[str, set[str]]:
    """Per root, the names of documents' kinds: names that recur in ``COMPONENT_FOLDERS_MIN``
    folders or more beside another such name. Owners' names or titles recur too, but not
    beside each other in folder after folder; what a root's names are is its own affair."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for (root, folder), positions in by_folder.items():
        names = {component_name(posixpath.basename(paths[p])) for p in positions} - {""}
        if folder and len(names) >= 2:
            counts[root].update(names)
    return {
        root: {name for name, n in found.items() if n >= COMPONENT_FOLDERS_MIN}
        for root, found in counts.items()
    }


def _components_folder(folder: str, paths: list[str], kinds: set[str]) -> bool:
    """A record's folder of documents named by their kinds: every file a kind the root's
    folders show (or a numbered part), the folder no year, day or lot of records."""
    name = fold(posixpath.basename(folder))
    if not kinds or not name or _NO_RECORD_FOLDER.match(name) or is_box_name(name):
        return False
    stems = [stem(posixpath.basename(path)) for path in paths]
    found = [component_name(s) in kinds for s in stems]
    return any(found) and all(f or is_part_name(s, "") for f, s in zip(found, stems))


#: A part of a record scanned in several files, after its name: "152-1", "X_2" (not "Sổ
#: khai sinh - Quyển 2", a volume of its own: see _numbered_word).
_UNLABELLED_PART = re.compile(r"^(.*\S)[-_]([1-4])$")
#: Names in parts, as a share of a folder's names, above which the numbers are no parts
#: ("12-1, 12-2, 13-1 …": box and file in every name).
PARTS_MAX_SHARE = 0.5


#: Words a title numbers, and those that number an attempt or a batch ("Lần 2", "Đợt 1").
_PART_OR_VOLUME_WORDS = NUMBERS_WORDS | {"phan", "lan", "dot", "ky"}


def _numbered_word(base: str) -> bool:
    """Whether ``base`` ends with a word a title numbers ("… Quyển", "… Tập", "… Q"): the
    number after it is the title's."""
    words = fold(base).split()
    return bool(words) and words[-1] in _PART_OR_VOLUME_WORDS


def _parts(stems: list[str]) -> dict[int, str]:
    """Of a folder's file stems, those that are parts of one name (position -> that name):
    numbered from 1 with no gap, two or more, the name itself not beside them, and fewer
    names in parts than not."""
    by_base: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for position, name in enumerate(stems):
        if (m := _UNLABELLED_PART.match(name)) and not _numbered_word(m.group(1)):
            by_base[m.group(1)].append((int(m.group(2)), position))
    names = set(stems)
    bases = {
        base: members
        for base, members in by_base.items()
        if sorted(n for n, _ in members) == list(range(1, len(members) + 1))
        and len(members) >= 2
        and base not in names
    }
    whole = len(names) - sum(len(m) for m in bases.values())
    if not bases or len(bases) > PARTS_MAX_SHARE * (whole + len(bases)):
        return {}
    return {position: base for base, members in bases.items() for _, position in members}


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
    kinds: set[str],
) -> bool:
    """Whether a folder's files are one item: a record's folder of its documents (numbered,
    or named by their ``kinds``), or a folder of page images numbered from one, unless it is
    a box ("hop-1/1.tif … 13.tif" are records 1-13) or its files hold many pages each (a
    sheet scanned both sides is two)."""
    if folder == "" or is_box_name(posixpath.basename(folder)):
        return False
    stems = [stem(posixpath.basename(path)) for path in paths]
    if _components_folder(folder, paths, kinds):
        return True
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
    planned = _plan(roots, paths, pages, formats, records)
    evidence = _path_evidence(
        [(read_as or relpath, series) for _, relpath, _, series, read_as in planned],
        pattern,
        workers,
    )
    items: list[Item] = []
    for (root, relpath, group, is_series, read_as), found in zip(planned, evidence):
        counted = [n for p in group if (n := pages[p]) is not None]
        written = [m for p in group if (m := mtimes[p]) is not None]
        item = Item(
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
            read_as=read_as,
        )
        items.append(item)
    return items


def _plan(
    roots: list[str],
    paths: list[str],
    pages: list[int | None],
    formats: list[str],
    records: int | None,
) -> list[tuple[str, str, list[int], bool, str]]:
    """Every folder's items, in folder order (see _plan_folder)."""
    by_folder: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, (root, path) in enumerate(zip(roots, paths)):
        by_folder[(root, posixpath.dirname(path))].append(position)
    numbering = _roots_numbering_records(by_folder, paths, records)
    kinds = _component_names(by_folder, paths)
    planned: list[tuple[str, str, list[int], bool, str]] = []
    for (root, folder), positions in sorted(by_folder.items()):
        is_series = _is_series(
            folder,
            [paths[p] for p in positions],
            [pages[p] for p in positions],
            [formats[p] for p in positions],
            root in numbering,
            kinds.get(root, set()),
        )
        planned.extend(_plan_folder(root, folder, positions, paths, is_series))
    return planned


def _plan_folder(
    root: str, folder: str, positions: list[int], paths: list[str], is_series: bool
) -> list[tuple[str, str, list[int], bool, str]]:
    """A folder's items as (root, relpath, files, series, the path the name is read from
    when another): the folder, or a file each, the parts of one name together."""
    if is_series:
        return [(root, folder, positions, True, "")]
    names = [posixpath.basename(paths[p]) for p in positions]
    parts = _parts([stem(name) for name in names])
    grouped: dict[str, list[int]] = defaultdict(list)
    for k, position in enumerate(positions):
        if k in parts:
            grouped[parts[k]].append(position)
    planned = []
    for k, position in enumerate(positions):
        if k not in parts:
            planned.append((root, paths[position], [position], False, ""))
        elif (members := grouped.pop(parts[k], None)) is not None:
            suffix = posixpath.splitext(names[k])[1]
            base = posixpath.join(folder, parts[k] + suffix)
            planned.append((root, paths[position], sorted(members), False, base))
    return planned


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
