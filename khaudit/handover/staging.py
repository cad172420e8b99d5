"""The hidden folder a bag is built in, beside its destination, and what a killed run left there.

A bag is built in ``.<name>.<random>`` beside ``--out`` and renamed into place when whole, so
it is complete or absent. Ctrl-C removes that folder; ``kill -9``, a power cut or a crash
cannot, and it would keep full copies of the scans. So the folder carries a marker,
``.khaudit-staging``, naming its owner (user, host, process, since when) and locked by the
owner for as long as it runs (the operating system's lock of :mod:`khaudit.fslock`, dropped when
the owner ends however it ends). The next package run beside the same place removes every
folder whose marker it can lock: its owner is gone. A folder without a marker (not khaudit's,
or one being made this instant) and one whose owner still holds the lock, or runs on this
host under the named process, are left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..fslock import FileLock, _try_lock, _unlock
from ..i18n import t

MARKER = ".khaudit-staging"


def _pid_alive(pid: str) -> bool:
    """Whether a process of this host runs under ``pid`` (unknown counts as alive: kept)."""
    try:
        number = int(pid)
    except ValueError:
        return True
    if number <= 0:
        return True
    if number == os.getpid() or sys.platform == "win32":
        # This run has made no staging folder yet, so the marker is an ended run's. Windows'
        # os.kill would end the process it asks about: there the lock alone decides.
        return False
    try:
        os.kill(number, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True


def _open_marker(marker: Path) -> int | None:
    """The marker, opened for reading without following a link and only as a regular file;
    None when it is absent or anything else (then the folder is not a khaudit staging folder)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        if os.path.islink(marker):
            return None
        fd = os.open(marker, flags)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def _holder(fd: int) -> dict[str, str]:
    """The owner a marker names, read from its open descriptor ("?" where it says nothing)."""
    try:
        item = json.loads(os.read(fd, 4096).decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        item = {}
    item = item if isinstance(item, dict) else {}
    return {k: str(item.get(k, "?")) for k in ("user", "host", "pid", "since", "command")}


def _remove_if_dead(folder: Path) -> dict[str, str] | None:
    """Remove ``folder`` when its marker names a run that has ended; its holder, else None."""
    marker = folder / MARKER
    fd = _open_marker(marker)
    if fd is None:
        return None
    try:
        holder = _holder(fd)
        if "?" in (holder["pid"], holder["host"]):
            return None  # being made this instant (the owner writes it once it holds the lock)
        if holder["host"] == socket.gethostname() and _pid_alive(holder["pid"]):
            return None
        if not _try_lock(fd):
            return None  # its owner, on this host or another, still holds it
        try:
            if os.lstat(marker).st_ino != os.fstat(fd).st_ino:
                return None  # the folder was renamed into a bag meanwhile; not this one
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            _unlock(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if folder.exists() else holder


def remove_stale(parent: Path) -> list[tuple[str, dict[str, str]]]:
    """Remove the staging folders under ``parent`` left by package runs that have ended; their
    names and former owners."""
    removed = []
    try:
        entries = sorted(os.scandir(parent), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
            continue
        holder = _remove_if_dead(Path(entry.path))
        if holder is not None:
            removed.append((entry.name, holder))
    return removed


def stale_note(removed: list[tuple[str, dict[str, str]]], parent: Path) -> str:
    """One line saying which leftover staging folders were removed, and whose they were."""
    names = ", ".join(
        t("package.stale_one", name=name, pid=h["pid"], host=h["host"], since=h["since"])
        for name, h in removed
    )
    return t("package.stale_removed", n=len(removed), parent=parent, names=names)


@contextlib.contextmanager
def staging_for(out: Path, notes: list[str]) -> Iterator[Path]:
    """A new staging folder beside ``out``, marked and locked as this run's, renamed to ``out``
    when the block ends normally and removed when it raises (Ctrl-C included). Leftovers of
    ended runs beside ``out`` are removed first, with a line in ``notes``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    removed = remove_stale(out.parent)
    if removed:
        notes.append(stale_note(removed, out.parent))
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    lock = FileLock(staging / MARKER, wait=0)
    try:
        lock.acquire()
        yield staging
        _finish(staging, out, lock)
    except BaseException:
        lock.release()
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _finish(staging: Path, out: Path, lock: FileLock) -> None:
    """Rename the whole bag into place and take the marker out of it. On POSIX the lock is
    held across the rename, so no other run can judge the folder abandoned in between; Windows
    renames no folder with a file open inside, so there the marker goes first."""
    if sys.platform == "win32":
        lock.release()
        (staging / MARKER).unlink()
        os.replace(staging, out)
        return
    os.replace(staging, out)
    (out / MARKER).unlink()
    lock.release()
