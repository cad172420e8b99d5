"""A scan's work on the workers: listing folders and reading files.

Both run in worker processes (or in the scanning process for small jobs) and send back plain
data: the catalogue is written only by the process that owns it (``scanpass.py``).
"""

from __future__ import annotations

import marshal
import os
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import xxhash

from ..i18n import set_language
from .inspect import inspect_file
from .schema import FACT_COLUMNS, Facts
from .walk import Folder, Listed, WalkProblem, list_folder


def listing_stamp(files: list) -> bytes:
    """A digest of a folder's listing as the walk gives it (sorted by name).

    ``marshal`` version 2 writes values only (no back-references, which depend on how objects
    are shared in memory), so the same listing always gives the same bytes; it is 4-5x faster
    than ``repr``. Another Python may serialise differently: then stamps simply do not match
    and that one rescan compares file by file.
    """
    return xxhash.xxh3_128_digest(marshal.dumps(files, 2))


_FACTS = attrgetter(*FACT_COLUMNS)  # a FileFacts as a row's facts, in one call


def inspect_files(job: tuple[list[str], bool, bool]) -> list[Facts]:
    """Read files on a worker: ``(paths, sha256, pages)`` gives one :class:`Facts` a path."""
    paths, sha256, pages = job
    return [Facts._make(_FACTS(inspect_file(p, sha256=sha256, pages=pages))) for p in paths]


class FolderListing(NamedTuple):
    """A folder as a walk task reports it."""

    folder: str  # readable path relative to the root
    n_files: int  # files in it
    files: list[Listed] | None  # None when they digest to the stamp the task was given
    stamp: bytes
    subfolders: list[Folder]
    problems: list[WalkProblem]


def walk_folders(
    job: tuple[Path, list[Folder], frozenset[str], dict[str, bytes], str],
) -> list[FolderListing]:
    """List folders on a worker. A folder whose listing digests to its stamp comes back as a
    count: an unchanged tree sends back little more than its folder names."""
    root, folders, exclude, expected, lang = job
    set_language(lang)  # problems are written in the scan's language wherever they are found
    real_root = os.path.realpath(root)
    out: list[FolderListing] = []
    for folder in folders:
        _, rel = folder
        problems: list[WalkProblem] = []
        files, subfolders = list_folder(root, folder, problems, exclude, real_root)
        stamp = listing_stamp(files)
        same = expected.get(rel) == stamp
        out.append(
            FolderListing(rel, len(files), None if same else files, stamp, subfolders, problems)
        )
    return out
