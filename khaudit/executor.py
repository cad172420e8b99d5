"""Where work runs. Stages call :func:`stream_map`; they never know what runs it.

Local processes by default (one per core). The province-scale issue adds a Dask distributed
backend behind this same function.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpu_workers(requested: int = 0) -> int:
    return requested if requested > 0 else max(1, os.cpu_count() or 1)


def stream_map(func: Callable[[T], R], items: Iterable[T], workers: int = 0,
               in_flight: int = 4) -> Iterator[R]:
    """``map(func, items)`` in order over local processes, consuming ``items`` lazily.

    At most ``in_flight`` tasks per worker are queued, so a generator over millions of files is
    never held in memory at once (``ProcessPoolExecutor.map`` would list it all first).
    """
    n = cpu_workers(workers)
    if n == 1:
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
