"""Where work runs. Stages call :func:`stream_map`; they never know what runs it.

Local processes by default (one per core). When a Dask distributed scheduler is configured
(``khaudit audit --scheduler tcp://HOST:8786`` or ``[cluster] scheduler`` in the project file),
the same calls run as tasks on its workers, which must see the scan roots at the same paths and
have khaudit installed. Results come back in order either way, so a run is identical row for
row whichever executor ran it.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_NOTHING: Any = object()
_scheduler: str | None = None
_client: Any = None


def configure(scheduler: str | None) -> None:
    """Run later work on this Dask scheduler (None: local processes)."""
    global _scheduler, _client
    if scheduler != _scheduler and _client is not None:
        _client.close()
        _client = None
    _scheduler = scheduler or None


def scheduler() -> str | None:
    return _scheduler


def _dask_client() -> Any:
    global _client
    if _client is None:
        from distributed import Client

        _client = Client(_scheduler, set_as_default=False)
    return _client


def cpu_workers(requested: int = 0) -> int:
    return requested if requested > 0 else max(1, os.cpu_count() or 1)


def stream_map(func: Callable[[T], R], items: Iterable[T], workers: int = 0,
               in_flight: int = 4, force_processes: bool = False) -> Iterator[R]:
    """``map(func, items)`` in order, consuming ``items`` lazily.

    At most ``in_flight`` tasks per worker are queued, so a generator over millions of files is
    never held in memory at once (``ProcessPoolExecutor.map`` would list it all first). No pool
    is started until there is a first item: a rescan of an unchanged tree has none, and
    starting worker processes for nothing cost more than the rest of it.
    """
    iterator = iter(items)
    first = next(iterator, _NOTHING)
    if first is _NOTHING:
        return
    items = itertools.chain([first], iterator)
    if _scheduler:
        client = _dask_client()
        limit = max(2, sum(client.nthreads().values()) * in_flight)
        queued: deque[Any] = deque()
        for item in items:
            queued.append(client.submit(func, item, pure=False))
            if len(queued) >= limit:
                yield queued.popleft().result()
        while queued:
            yield queued.popleft().result()
        return
    n = cpu_workers(workers)
    if n == 1 and not force_processes:
        yield from map(func, items)
        return
    with ProcessPoolExecutor(max_workers=n) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= n * in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
