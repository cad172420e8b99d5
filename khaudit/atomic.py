"""Atomic output: a file is either its old version or its complete new one, never half.

A single output file (a report, a workbook, the minutes, a review sheet, a history entry) goes
through :func:`atomic_path`: it is written to a temporary file in the same folder and renamed
over the target, so a crash or Ctrl-C leaves the previous results. Outputs made of several
files hold the same promise at their own scale without this module: a run is written into a
staging folder inside its target and its files renamed into place with ``run.json`` last
(``run.RunWriter``); a bag is built beside its target and renamed whole
(``handover/package.py``). The scan catalogue is SQLite (transactions) and review decisions are
appended one line each (``match/decisions.py``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    if hasattr(os, "fchmod"):  # POSIX: mkstemp's 0600 would hide reports from colleagues
        os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def write_text(target: str | Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
