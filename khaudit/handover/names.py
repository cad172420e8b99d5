"""Scan names a handover cannot carry as they are: names that are not valid UTF-8, names
that are another's once Unicode-normalised, and paths longer than Windows programs open.

The audit keeps such files (they are scans like any other) and names them in its warnings so
the person who runs it reads them before packaging; ``khaudit package`` refuses the first
two kinds (a bag's manifests are UTF-8; a receiver holds NFC and NFD twins as one file)
and warns of the third (a BagIt bag may hold long paths,
but a receiver on Windows cannot open them).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable

from ..scan.walk import WINDOWS_MAX_PATH

#: How the scan's walk writes a byte that is not UTF-8 in a name (``\\xe9``): only bytes
#: 0x80-0xFF are ever written so, since ASCII bytes are always valid.
_ESCAPED_BYTE = re.compile(r"\\x[89a-fA-F][0-9a-fA-F]")


def not_utf8(root: str, paths: Iterable[str]) -> list[str]:
    """The paths (relative to ``root``, as the run writes them) whose name on disk is not
    valid UTF-8: the run's form carries ``\\xNN`` escapes and no file has that very name."""
    return [
        p for p in paths if _ESCAPED_BYTE.search(p) and not os.path.lexists(os.path.join(root, p))
    ]


def too_long(root: str, paths: Iterable[str]) -> list[str]:
    """The paths (relative to ``root``) whose full path is longer than Windows programs
    open."""
    width = len(root.rstrip("/\\")) + 1
    return [p for p in paths if width + len(p) > WINDOWS_MAX_PATH]


def normal_twins(paths: Iterable[str]) -> list[str]:
    """The paths that another path equals once both are Unicode-normalised ("Biên" typed
    precomposed and decomposed): the second of each pair on, in the order given. A
    receiver's macOS or Windows tools, and khaudit's verify, hold such twins as one file."""
    seen: set[str] = set()
    twins = []
    for path in paths:
        key = unicodedata.normalize("NFC", path)
        if key in seen:
            twins.append(path)
        seen.add(key)
    return twins
