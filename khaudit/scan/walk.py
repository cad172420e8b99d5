"""Walk scan roots without ever leaving them or writing to them.

Symbolic links are never followed out of a root (a link to a folder is not descended; a link to
a file is kept only when its target lies inside the root). Unreadable folders are recorded as
problems, never fatal. Names that are not valid UTF-8 keep a readable form with escapes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Files that operating systems and tools leave in folders: never scans, never matched.
SYSTEM_NAMES = {"thumbs.db", ".ds_store", "desktop.ini", "ehthumbs.db", ".localized"}
SIDECAR_SUFFIXES = {".csv", ".xlsx", ".xls", ".json", ".xml", ".tsv"}


@dataclass(frozen=True)
class WalkedFile:
    root: Path
    abspath: str  # str as the OS gives it (may hold surrogate escapes)
    relpath: str  # readable, "/"-separated, relative to the root
    role: str  # scan | sidecar | system


@dataclass(frozen=True)
class WalkProblem:
    root: Path
    relpath: str
    problem: str


def readable(name: str) -> str:
    """A printable form of an OS name: invalid UTF-8 bytes become \\x escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def role_of(name: str) -> str:
    lower = name.lower()
    if lower in SYSTEM_NAMES or name.startswith(("._", "~$", ".")):
        return "system"
    if os.path.splitext(lower)[1] in SIDECAR_SUFFIXES:
        return "sidecar"
    return "scan"


def walk_root(root: Path, problems: list[WalkProblem]) -> Iterator[WalkedFile]:
    real_root = os.path.realpath(root)

    def on_error(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename or str(root), root)
        problems.append(WalkProblem(root, readable(rel), f"cannot list folder: {exc.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=on_error, followlinks=False):
        dirs.sort()
        for d in dirs:
            if os.path.islink(os.path.join(folder, d)):
                rel = os.path.relpath(os.path.join(folder, d), root)
                problems.append(WalkProblem(root, readable(rel).replace(os.sep, "/"),
                                            "link to a folder: not followed"))
        for name in sorted(files):
            full = os.path.join(folder, name)
            rel = readable(os.path.relpath(full, root)).replace(os.sep, "/")
            if os.path.islink(full):
                target = os.path.realpath(full)
                if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
                    problems.append(WalkProblem(root, rel, "link pointing outside the root or "
                                                "to nothing: not followed"))
                    continue
            yield WalkedFile(root=root, abspath=full, relpath=rel, role=role_of(name))
