"""Scan items: the units that are matched to records.

Usually one file is one item. A folder of page images (``HS 014/001.jpg, 002.jpg...``) is one
item, a page series: it is the scan of one record, and its name is the folder's.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from .evidence import PathEvidence, is_page_name, path_evidence
from .sidecar import SidecarEntry, SidecarIndex

_IMAGE_FORMATS = {"jpeg", "tiff", "png"}


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


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def build_items(scans: pd.DataFrame, sidecars: SidecarIndex,
                pattern: re.Pattern[str] | None = None) -> list[Item]:
    """Group a locality's scan files into items and read each item's evidence."""
    by_folder: dict[tuple[str, str], list[int]] = defaultdict(list)
    for label, root, path in zip(scans.index, scans["root"], scans["path"]):
        by_folder[(root, posixpath.dirname(path))].append(label)
    items: list[Item] = []
    for (root, folder), labels in sorted(by_folder.items()):
        rows = scans.loc[labels]
        is_series = (
            folder != "" and len(labels) >= 2
            and rows["format"].isin(_IMAGE_FORMATS | {"empty"}).all()
            and all(is_page_name(_stem(posixpath.basename(p))) for p in rows["path"])
        )
        groups = [labels] if is_series else [[label] for label in labels]
        for group in groups:
            part = scans.loc[group]
            relpath = folder if is_series else str(part["path"].iloc[0])
            pages = part["pages"].dropna()
            items.append(Item(
                item_id=len(items), root=root, relpath=relpath, files=list(group),
                series=is_series,
                pages=int(pages.sum()) if len(pages) else None,
                hashes=frozenset(h for h in part["xxh3_128"] if h),
                evidence=path_evidence(relpath, is_folder_item=is_series, pattern=pattern),
                sidecar=None if is_series else sidecars.get(relpath),
            ))
    return items
