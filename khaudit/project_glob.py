"""Inventory patterns of a project file, expanded within the project's places and bounded.

``glob.glob`` walks wherever a pattern leads: ``/**/*.csv`` lists the whole file system (every
mounted share included) before the audit says anything. Here a pattern may search folders
with wildcards (``*/``, ``**``) only inside the project file's folder; outside it, it names
its folder and puts wildcards in the file name alone (``../muc-luc/*.xlsx``,
``~/muc-luc/*.csv``), which lists one folder. Every pattern lists at most ``MAX_FOLDERS``
folders and ``MAX_ENTRIES`` names: past that it is refused as too broad, said at once, instead
of walking on. Links to folders are not followed by ``**`` (a link to an ancestor would loop).
Names starting with a dot are matched only by a pattern that starts with one, as in glob.
"""

from __future__ import annotations

import fnmatch
import glob
import os

#: Folders one pattern may list (the project's own folders, a few hundred at most).
MAX_FOLDERS = 5_000
#: Names one pattern may read in those folders.
MAX_ENTRIES = 500_000


class PatternEscapes(Exception):
    """A pattern searches folders with wildcards outside the project's folder."""


class PatternTooBroad(Exception):
    """A pattern lists more folders or names than any project's inventories need."""


class _Budget:
    def __init__(self) -> None:
        self.folders = MAX_FOLDERS
        self.entries = MAX_ENTRIES

    def listing(self, folder: str) -> list[os.DirEntry[str]]:
        """The entries of ``folder`` (none when it cannot be listed, as glob does), counted."""
        self.folders -= 1
        if self.folders < 0:
            raise PatternTooBroad
        try:
            with os.scandir(folder) as it:
                entries = []
                for entry in it:
                    self.entries -= 1
                    if self.entries < 0:
                        raise PatternTooBroad
                    entries.append(entry)
        except OSError:
            return []
        return entries


def _inside(folder: str, project_dir: str) -> bool:
    real, home = os.path.realpath(folder), os.path.realpath(project_dir)
    return real == home or real.startswith(home.rstrip(os.sep) + os.sep)


def expand(pattern: str, project_dir: str) -> list[str]:
    """The paths ``pattern`` (relative to ``project_dir``, or absolute) names, sorted;
    PatternEscapes or PatternTooBroad when it may not or cannot be walked."""
    full = os.path.normpath(os.path.join(project_dir, pattern))
    parts = full.split(os.sep)
    first = next((i for i, part in enumerate(parts) if glob.has_magic(part)), None)
    if first is None:
        return [full] if os.path.lexists(full) else []
    start = os.sep.join(parts[:first]) or os.sep
    rest = parts[first:]
    if not _inside(start, project_dir) and (len(rest) > 1 or rest[0] == "**"):
        raise PatternEscapes
    found: list[str] = []
    _match(start, rest, found, _Budget())
    return sorted(found)


def _visible(name: str, component: str) -> bool:
    return not name.startswith(".") or component.startswith(".")


def _match(folder: str, rest: list[str], found: list[str], budget: _Budget) -> None:
    """Add to ``found`` the paths under ``folder`` that ``rest`` (components) names."""
    head, tail = rest[0], rest[1:]
    if head == "**":
        for sub in _tree(folder, budget):
            if tail:
                _match(sub, tail, found, budget)
                continue
            if sub != folder:  # '**' last names every folder below and their files
                found.append(sub)
            found += [e.path for e in _files(sub, budget)]
        return
    if not glob.has_magic(head):
        path = os.path.join(folder, head)
        if not tail:
            if os.path.lexists(path):
                found.append(path)
        elif os.path.isdir(path):
            _match(path, tail, found, budget)
        return
    for entry in budget.listing(folder):
        if not _visible(entry.name, head) or not fnmatch.fnmatch(entry.name, head):
            continue
        if not tail:
            found.append(entry.path)
        elif entry.is_dir():
            _match(entry.path, tail, found, budget)


def _files(folder: str, budget: _Budget) -> list[os.DirEntry[str]]:
    return [
        e
        for e in budget.listing(folder)
        if not e.name.startswith(".") and not e.is_dir(follow_symlinks=False)
    ]


def _tree(folder: str, budget: _Budget) -> list[str]:
    """``folder`` and every visible folder below it, links to folders not followed."""
    folders, stack = [], [folder]
    while stack:
        current = stack.pop()
        folders.append(current)
        stack += sorted(
            (
                e.path
                for e in budget.listing(current)
                if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
            ),
            reverse=True,
        )
    return folders
