"""The run a report is made from, read once per process.

Rendering a province runs many localities in each worker process, and each locality's page,
workbook and minutes read the same run. Kept here, the run's tables are read once per process
and each locality's rows are taken from them in memory, instead of a Parquet read per table,
report and locality. A run written again in the same folder (a new audit) is read again: the
copy is keyed by run.json's path, size and modification time.
"""

from __future__ import annotations

from pathlib import Path

from ..run import Run, load_run

_KEPT: dict[tuple[str, int, int], Run] = {}


def shared_run(path: str | Path) -> Run:
    """The run at ``path``, the same object for every report of this process while run.json
    is unchanged (callers treat its tables as read-only, as :class:`~khaudit.run.Run` asks)."""
    meta = Path(path).resolve() / "run.json"
    try:
        stat = meta.stat()
    except OSError:
        return load_run(path)  # which says, located, that there is no run here
    key = (str(meta), stat.st_size, stat.st_mtime_ns)
    if key not in _KEPT:
        _KEPT.clear()  # one run at a time: a worker renders one run
        _KEPT[key] = load_run(meta.parent)
    return _KEPT[key]


def preload(run: Run, tables: tuple[str, ...] = ("records", "files")) -> None:
    """Read ``tables`` whole now, so every locality's rows come from memory."""
    for name in tables:
        run.table(name)
