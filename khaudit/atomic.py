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
import time
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: A temporary file whose writer is gone is removed once it is this old (seconds): a writer
#: on another machine sharing the folder is never seen by the process check, and no single
#: output takes this long to write.
STALE_AFTER = 3600.0


def _writer_gone(name: str, prefix: str) -> bool:
    """Whether the temporary file ``name`` (``.<target>.<pid>-<random>.tmp``) was left by a
    process of this machine that no longer runs (``kill -9``, a crash, a power cut)."""
    pid = name[len(prefix) :].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid() or os.name == "nt":
        return False  # Windows' os.kill would end the process it asks about
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_stale(target: Path) -> None:
    """Remove what writes of ``target`` killed before their rename left beside it: each would
    keep a partial copy (a report, a workbook) for good, one more with every kill."""
    prefix = f".{target.name}."
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if old or (_writer_gone(entry.name, prefix) and now - entry.stat().st_mtime > 5):
                os.unlink(entry.path)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one rename.
    Temporary files of earlier writes of ``target`` whose process was killed are removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent
    )
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
