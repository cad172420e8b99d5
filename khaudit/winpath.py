"""Paths as Windows users write them, read on any system.

A project file is often written on a Windows laptop and run elsewhere (a Linux server that
mounts the same share), or the other way round. Relative paths written with backslashes
(``scans\\xa-a``) mean the same folders everywhere; a drive letter (``D:\\scans``) or a UNC
path (``\\\\may-chu\\so-hoa``) names a place only Windows can reach, and is reported as such
instead of as a folder that does not exist.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PureWindowsPath

_DRIVE = re.compile(r"[A-Za-z]:([\\/]|$)")


def windows_kind(text: str) -> str:
    """``"unc"`` or ``"drive"`` when ``text`` is a Windows absolute path, else ``""``.

    A POSIX path such as ``//server/x`` is left alone: it only names a share on Windows.
    """
    if text.startswith("\\\\") and PureWindowsPath(text).drive:
        return "unc"
    return "drive" if _DRIVE.match(text) else ""


def unreachable_here(text: str) -> str:
    """The kind of Windows-only path ``text`` is, when this system is not Windows."""
    return "" if os.name == "nt" else windows_kind(text)


def native(text: str, base: Path) -> Path:
    """``text`` (a path as written in a project file) relative to ``base``, as this system
    reads it: a relative path's backslashes are separators unless a name with the backslash
    itself exists (a backslash is an ordinary character in POSIX names)."""
    literal = base / text
    if os.name == "nt" or "\\" not in text or literal.exists():
        return literal
    return base / PureWindowsPath(text).as_posix()


def native_pattern(pattern: str) -> str:
    """A glob pattern with a relative path's backslashes read as separators (POSIX only)."""
    if os.name == "nt" or "\\" not in pattern or windows_kind(pattern):
        return pattern
    return PureWindowsPath(pattern).as_posix()
