"""Scan names a handover cannot carry as they are: names that are not valid UTF-8, and paths
longer than Windows programs open.

The audit keeps such files (they are scans like any other) and names them in its warnings so
the person who runs it reads them before packaging; ``khaudit package`` refuses the first
kind (a bag's manifests are UTF-8) and warns of the second (a BagIt bag may hold long paths,
but a receiver on Windows cannot open them).
"""

from __future__ import annotations

import os
import re
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
