"""Where a single output file (a review workbook, a comparison CSV) may be written.

A file output is named by the user, so one slip of the keyboard could point it at an
inventory, a run's own table, or a file inside a scan root that the next audit would read as a
scan. The check refuses, before anything is written: a name without the expected suffix, a
path inside a scan root (links resolved), a folder that holds one of the run's inventories
(the project's globs would pick the new file up as an inventory), an existing path that is not
a regular file, and an existing file that khaudit did not write for this purpose.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import KhauditError
from .i18n import t


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _real_pattern(pattern: str) -> list[str]:
    """``pattern``'s segments, its literal leading folders resolved as the run's path is."""
    parts = list(Path(pattern).parts)
    cut = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    head = os.path.realpath(os.path.join(*parts[:cut])) if cut else ""
    return [*Path(head).parts, *parts[cut:]] if head else parts


def glob_reaches(pattern: str | Path, path: str | Path) -> bool:
    """Whether the (absolute) glob ``pattern``, as the project file's inventory patterns are
    expanded (``**`` any folders, ``*`` within one name), would name ``path``."""
    segments = _real_pattern(str(pattern))
    target = Path(os.path.realpath(path)).parts

    def match(i: int, j: int) -> bool:
        if i == len(segments):
            return j == len(target)
        if segments[i] == "**":
            return any(match(i + 1, k) for k in range(j, len(target) + 1))
        return j < len(target) and fnmatch.fnmatch(target[j], segments[i]) and match(i + 1, j + 1)

    return match(0, 0)


def run_places(meta: dict[str, Any]) -> tuple[list[Path], list[Path]]:
    """The scan roots and the inventory files a run read, as absolute paths, from its
    run.json (the project file may have moved or changed since)."""
    project = meta.get("project") or {}
    location = project.get("location") if isinstance(project, dict) else None
    if not isinstance(location, str) or not location:
        return [], []
    base = Path(location).parent
    schemes = meta.get("schemes") or {}
    roots = [
        base / root
        for per_locality in schemes.values()
        if isinstance(per_locality, dict)
        for root in per_locality
    ]
    inputs = meta.get("inputs") or []
    inventories = [
        base / str(entry.get("path", ""))
        for entry in inputs
        if isinstance(entry, dict) and entry.get("kind") == "inventory" and entry.get("path")
    ]
    return roots, inventories


def csv_with_header(columns: Sequence[str]) -> Callable[[Path], bool]:
    """A test of whether a file is a CSV khaudit wrote with these columns (its first line,
    after an optional BOM, is exactly their header)."""
    header = ",".join(columns)

    def ours(path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(header) * 4 + 16)
        except OSError:
            return False
        first = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
        return bool(first) and first[0] == header

    return ours


def check_out_file(
    out: str | Path,
    suffix: str,
    ours: Callable[[Path], bool],
    scan_roots: Iterable[str | Path] = (),
    inventories: Iterable[str | Path] = (),
) -> None:
    """Refuse ``out`` as the place of a new output file (KhauditError, one line, nothing
    written); ``ours`` tells whether an existing file is one khaudit wrote there before, which
    may be replaced."""
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise KhauditError(t("err.outfile.suffix", out=out, suffix=suffix))
    real = Path(os.path.realpath(out))
    for root in scan_roots:
        if _inside(real, Path(os.path.realpath(root))):
            raise KhauditError(t("err.out.in_scan_root", out=out, root=root))
    for inventory in inventories:
        if Path(os.path.realpath(inventory)).parent == real.parent:
            raise KhauditError(t("err.outfile.beside_inventory", out=out, inventory=inventory))
    try:
        info = os.lstat(out)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise KhauditError(t("err.outfile.not_ours", out=out)) from exc
    if not stat.S_ISREG(info.st_mode) or not ours(out):
        raise KhauditError(t("err.outfile.not_ours", out=out))
