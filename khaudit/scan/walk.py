"""Walk scan roots without ever leaving them or writing to them.

The walk goes folder by folder (``os.scandir``: its entries carry the file type and inode for
free; size and mtime cost one ``stat`` per file, except on Windows), so a rescan compares a
whole folder with the catalogue at once (by its stamp, see catalogue.py), a folder can be
listed on any worker, and memory stays flat however large the tree.

Symbolic links are never followed out of a root: a link to a folder is not descended (a link
back to an ancestor is reported as a loop); a link to a file is kept only when its target lies
inside the root. Unreadable files and folders are recorded as problems, never fatal. Names that
are not valid UTF-8 are kept as bytes, with a readable form (``\\xNN`` escapes) for people.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..i18n import t

#: Files that operating systems and tools leave in folders: never scans, never matched.
SYSTEM_NAMES = {"thumbs.db", ".ds_store", "desktop.ini", "ehthumbs.db", ".localized"}
SIDECAR_SUFFIXES = {".csv", ".xlsx", ".xls", ".json", ".xml", ".tsv"}


@dataclass(frozen=True)
class WalkProblem:
    root: Path
    relpath: str
    problem: str


def readable(name: str) -> str:
    """A printable form of an OS name: invalid UTF-8 bytes become \\x escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def role_of(name: str) -> str:
    """scan | sidecar | system, from a file's name."""
    lower = name.lower()
    if lower in SYSTEM_NAMES or name.startswith(("._", "~$", ".")):
        return "system"
    dot = lower.rfind(".")
    if dot > 0 and lower[dot:] in SIDECAR_SUFFIXES:
        return "sidecar"
    return "scan"


def relpath_bytes(root: str, abspath: str, relpath: str) -> bytes | None:
    """The path's bytes when its readable form differs from them (not valid UTF-8).

    ``readable`` writes each invalid byte as a ``\\xNN`` escape, so a readable path without a
    backslash is its own bytes: the usual case costs one ``in``.
    """
    if "\\" not in relpath:
        return None
    raw = os.fsencode(abspath)[len(os.fsencode(root)) + 1 :]
    return None if raw == relpath.encode("utf-8") else raw


#: A file as listed: (absolute path, readable relative path, size, mtime_ns, inode). Plain tuples:
#: a rescan compares hundreds of thousands of them and builds objects only for what changed.
Listed = tuple[str, str, int, int, int]


#: Listing through an open folder makes each ``stat`` look up one name instead of the whole
#: path again (12% of a bare list-and-stat loop on a two-level tree, 5-7% of a whole rescan;
#: more on deeper trees). POSIX only.
_BY_FD = os.scandir in os.supports_fd


def _sorted_entries(folder: str) -> tuple[int | None, list[os.DirEntry]]:
    """The folder's entries sorted by name, and the open folder their ``stat`` is relative to."""
    if not _BY_FD:
        with os.scandir(folder) as it:
            return None, sorted(it, key=lambda e: e.name)
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        with os.scandir(fd) as it:
            return fd, sorted(it, key=lambda e: e.name)
    except BaseException:
        os.close(fd)
        raise


#: A folder to list: (path as the OS gives it, readable path relative to the root).
Folder = tuple[str, str]


def _link_problem(path: str, real_root: str) -> str:
    """Why a symbolic link is not listed as a file ("" when it is one: a file inside the
    root). A link to a folder is never followed, and says so when it makes a loop."""
    target = os.path.realpath(path)
    if os.path.isdir(target):
        inside = real_root == target or real_root.startswith(target + os.sep)
        return t("walk.folder_link") + (t("walk.loop") if inside else "")
    if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
        return t("walk.outside")
    return ""


def list_folder(
    root: Path,
    folder: Folder,
    problems: list[WalkProblem],
    exclude: set[str] | frozenset[str] = frozenset(),
    real_root: str | None = None,
) -> tuple[list[Listed], list[Folder]]:
    """One folder's files (sorted by name) and its subfolders to walk next.

    Runs wherever the walk is spread: it needs nothing but the paths.
    """
    real_root = real_root or os.path.realpath(root)
    path_of_folder, rel_folder = folder
    prefix = rel_folder + "/" if rel_folder else ""
    base = path_of_folder if path_of_folder.endswith(os.sep) else path_of_folder + os.sep
    files: list[Listed] = []
    subfolders: list[Folder] = []
    try:
        fd, entries = _sorted_entries(path_of_folder)
    except OSError as exc:
        problems.append(
            WalkProblem(root, rel_folder or ".", t("walk.cannot_list", error=exc.strerror))
        )
        return files, subfolders
    try:
        for entry in entries:
            name = entry.name if entry.name.isascii() else readable(entry.name)
            rel = prefix + name
            path = base + entry.name
            if path in exclude:
                continue
            try:
                if entry.is_symlink():
                    problem = _link_problem(path, real_root)
                    if problem:
                        problems.append(WalkProblem(root, rel, problem))
                        continue
                    st = os.stat(path)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((path, rel))
                    continue
                elif not entry.is_file(follow_symlinks=False):
                    problems.append(WalkProblem(root, rel, t("walk.not_file")))
                    continue
                else:
                    st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                problems.append(WalkProblem(root, rel, t("walk.cannot_read", error=exc.strerror)))
                continue
            files.append((path, rel, st.st_size, st.st_mtime_ns, st.st_ino))
    finally:
        if fd is not None:
            os.close(fd)
    problems += windows_problems(root, prefix, [e.name for e in entries], base)
    return files, subfolders


#: Longest path most Windows programs open: MAX_PATH is 260 characters with the final NUL.
WINDOWS_MAX_PATH = 259


def _ntfs_key(name: str) -> str:
    """The name as NTFS compares names: letter case aside, one character for one (its upcase
    table never turns "ß" into "SS"), with no Unicode normalisation."""
    if name.isascii():
        return name.upper()
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in name)


def windows_problems(root: Path, prefix: str, names: list[str], base: str) -> list[WalkProblem]:
    """What a folder's names would break on Windows, which many receivers and scanning
    stations run: names that differ only by letter case (one file on NTFS and SMB shares:
    copying the folder there loses one), paths longer than MAX_PATH (as this machine sees
    them; a mapped share adds or removes a few characters), and names that are not valid
    UTF-8 (kept under their ``\\xNN`` form in the tables; a bag cannot carry them)."""
    found: list[WalkProblem] = []
    seen: dict[str, str] = {}
    for name in names:
        shown = name if name.isascii() else readable(name)
        if shown != name:  # bytes another system's encoding wrote: no bag or table holds them
            found.append(WalkProblem(root, prefix + shown, t("walk.not_utf8")))
        other = seen.setdefault(_ntfs_key(name), shown)
        if other != shown:
            found.append(WalkProblem(root, prefix + shown, t("walk.case_twin", other=other)))
        if len(base) + len(name) > WINDOWS_MAX_PATH:
            found.append(
                WalkProblem(
                    root,
                    prefix + shown,
                    t("walk.long_path", length=len(base) + len(name), limit=WINDOWS_MAX_PATH + 1),
                )
            )
    return found


def walk_folders(
    root: Path, problems: list[WalkProblem], exclude: set[str] | None = None
) -> Iterator[tuple[str, list[Listed]]]:
    """Yield (folder relative to the root, its files) for every folder under ``root``, depth
    first, in name order."""
    real_root = os.path.realpath(root)
    stack: list[Folder] = [(str(root), "")]
    while stack:
        folder = stack.pop()
        files, subfolders = list_folder(root, folder, problems, exclude or frozenset(), real_root)
        stack.extend(reversed(subfolders))
        yield folder[1], files
