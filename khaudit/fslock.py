"""One writer at a time: a lock file that names who holds it.

Two inspectors may audit the same project at once, from two machines sharing its folder. The
scan catalogue takes one writer at a time, so the second waits for the first and, past a
limit, stops with a message naming the holder (user, host, process, since when) instead of
failing half-way or damaging anything.

The lock is the operating system's own, held on a file whose text says who holds it: ``flock``
on POSIX (Linux carries it to the server on NFS and SMB mounts; unlike a ``fcntl`` record
lock, it is not dropped when the same process opens and closes the file elsewhere) and a
byte-range lock on Windows (``msvcrt.locking``, which SMB honours). The system drops it when
its holder ends, even by ``kill -9`` or a crash, so a lock file left behind is never stale:
the next run finds it unlocked and takes it over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import getpass
import json
import os
import socket
import stat
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from .errors import KhauditError
from .escape import for_terminal
from .i18n import t

#: Seconds a writer waits for the lock by default; ``KHAUDIT_LOCK_WAIT`` overrides it.
DEFAULT_WAIT = 600.0
WAIT_VARIABLE = "KHAUDIT_LOCK_WAIT"
#: On Windows the locked byte lies past the holder's text, so others can still read who holds
#: it (a Windows byte-range lock forbids reading the bytes it covers).
_LOCK_OFFSET = 1 << 20

_held: dict[str, list] = {}  # path -> [open descriptor, holders in this process]
_held_guard = threading.Lock()


class LockedError(KhauditError):
    """Another process holds the lock; the message says who and what to do."""


def wait_limit() -> float:
    """Seconds to wait for a held lock (``KHAUDIT_LOCK_WAIT``, else :data:`DEFAULT_WAIT`)."""
    raw = os.environ.get(WAIT_VARIABLE, "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_WAIT
    except ValueError:
        raise KhauditError(t("err.lock.wait", variable=WAIT_VARIABLE, value=raw)) from None


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def holder_text() -> str:
    """Who this process is, as the lock file records it (one JSON line)."""
    return json.dumps(
        {
            "user": getpass.getuser(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:4]]),
        },
        ensure_ascii=False,
    )


def read_holder(path: Path) -> dict[str, str]:
    """The holder a lock file names (empty values when it cannot be read)."""
    try:
        with open(path, "rb") as fh:  # a lock file khaudit opened, so a regular file
            item = json.loads(fh.read(4096).decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        item = {}
    item = item if isinstance(item, dict) else {}
    return {k: str(item.get(k, "?")) for k in ("user", "host", "pid", "since", "command")}


class FileLock:
    """``with FileLock(path):`` holds the lock on ``path`` for the block.

    Waits up to ``wait`` seconds (default: :func:`wait_limit`) for another process to let go,
    then raises :class:`LockedError`. Taken again in the same process (a scan inside an
    audit), it is shared: only the outermost release lets go.
    """

    def __init__(self, path: str | Path, wait: float | None = None, what: str = ""):
        self.path = Path(path)
        self.wait = wait_limit() if wait is None else wait
        self.what = what or str(self.path)
        self._key = os.path.abspath(self.path)

    def acquire(self) -> None:
        with _held_guard:
            if self._key in _held:
                _held[self._key][1] += 1
                return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = self._open()
        deadline = time.monotonic() + self.wait
        told = False
        while not _try_lock(fd):
            holder = read_holder(self.path)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockedError(t("err.lock.held", what=self.what, lock=self.path, **holder))
            if not told:  # a wait of minutes must not look like a hang
                print(
                    for_terminal(
                        t("lock.waiting", what=self.what, seconds=round(self.wait), **holder)
                    ),
                    file=sys.stderr,
                    flush=True,
                )
                told = True
            time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (holder_text() + "\n").encode("utf-8"))
        with _held_guard:
            _held[self._key] = [fd, 1]

    def _open(self) -> int:
        """The lock file, opened without following a link, and only when it is a regular
        file: the holder's text is written into it, and a link to another file (an
        inventory) would have that file truncated; a FIFO or a device is no place for it."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            if os.path.islink(self.path):  # O_NOFOLLOW's refusal, where the system lacks it
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(self.path))
            fd = os.open(self.path, flags, 0o666)
        except OSError as exc:
            raise KhauditError(t("err.lock.unusable", lock=self.path, error=exc.strerror)) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise KhauditError(
                t("err.lock.unusable", lock=self.path, error=t("err.lock.not_regular"))
            )
        return fd

    def release(self) -> None:
        with _held_guard:
            entry = _held.get(self._key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _held[self._key]
        fd = entry[0]
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # nobody holds it now; the file itself stays for the next run
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
