"""A write the system refused (disk full, over quota, file too large, read-only or forbidden
folder) as one sentence for the terminal, instead of a traceback.

These failures come from any writer deep in the stack (pandas, pyarrow, SQLite, the report
renderer) and mean the same to the user whichever it was: the place named is full or closed,
and, since every output is written whole or not at all (:mod:`khaudit.atomic`), what stood
there before is unchanged. The command line turns them into that sentence and exit code 1.
"""

from __future__ import annotations

import errno

from .escape import for_terminal
from .i18n import t

#: errno values that mean "no room": the fix is to free space or choose another disk.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

#: errno values that mean "not allowed here": the fix is to choose another folder.
_CLOSED = {errno.EROFS, errno.EACCES, errno.EPERM}


def _sqlite_full(exc: BaseException) -> bool:
    """SQLite reports a full disk as its own error, not an OSError with an errno: "database
    or disk is full", or "disk I/O error" when its shared-memory file cannot grow."""
    said = str(exc).lower()
    return type(exc).__module__ == "sqlite3" and ("full" in said or "disk i/o error" in said)


def write_failure(exc: BaseException) -> str | None:
    """The sentence for a refused write, or None when ``exc`` is something else (a bug,
    which must keep its traceback)."""
    if _sqlite_full(exc):
        return t("err.write.full", where=t("err.write.catalogue"), error=for_terminal(exc))
    if not isinstance(exc, OSError) or exc.errno not in _FULL | _CLOSED:
        return None
    where = for_terminal(str(exc.filename)) if exc.filename else t("err.write.somewhere")
    error = exc.strerror or str(exc)
    key = "err.write.full" if exc.errno in _FULL else "err.write.closed"
    return t(key, where=where, error=error)
