"""Independent blocks of one locality's matching run on the machine's cores, merged in order.

Reading a locality's scan paths (``items.build_items``) and ranking its scan titles
(``link._Linker.rank_titles``) are Python work done block by block, and the blocks share
nothing but what was built before them (the title index, the linker's readings). Worker
processes forked after that inherit it all in memory, each takes whole blocks, and the
results come back in block order: the parent merges exactly what one process would have
built, so a run is identical row for row either way.

The blocks run in this process instead wherever a pool cannot or should not be made:

- the platform or ``KHAUDIT_START_METHOD`` starts workers another way than ``fork`` (Windows,
  macOS, a Linux run asked to behave as one): a spawned worker would have to rebuild the index;
- this process is a worker that no local executor pool started (a daemonic process, as Dask's
  and multiprocessing's workers are, may not have children), or a block pool's own worker,
  or this is not the main thread (a Dask worker's task thread: forking beside other threads
  is unsafe);
- this process is one of the audit's executor workers (one locality per core) and the
  others are busy: it takes only the cores they leave idle (``executor.spare_cores``), so a
  big locality still matching alone gets them and several small ones keep a core each;
- one core, ``settings.workers == 1``, or ``KHAUDIT_MATCH_PROCESSES=1``;
- fewer than two blocks (starting workers would cost more than it saves);
- the operating system refuses the workers (no memory, too many processes), or a worker dies.

Workers end with their parent as the executor's do (``executor._watch_parent``: Ctrl-C ends
them quietly, a killed parent takes them along), and any error or interrupt in the parent
ends them before it propagates: no process is left behind.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..errors import KhauditError
from ..executor import _watch_parent, lends_cores, spare_cores, start_method
from ..i18n import t

R = TypeVar("R")

PROCESSES_VARIABLE = "KHAUDIT_MATCH_PROCESSES"
#: Fewer blocks than this run in this process.
MIN_BLOCKS = 2

#: The job the forked workers run, set only while a pool lives (a closure over the parent's
#: index cannot be pickled; forked workers inherit it instead).
_job: Callable[[int], Any] | None = None


def _run(block: int) -> Any:
    assert _job is not None, "a block pool's worker runs only a forked parent's job"
    return _job(block)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _wanted(workers: int) -> int:
    """Processes asked for: ``KHAUDIT_MATCH_PROCESSES`` when set, else ``workers`` (the
    matching setting; -1 or 0: every core this process may use)."""
    raw = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if raw:
        try:
            asked = int(raw)
        except ValueError:
            asked = 0
        if asked < 1:
            raise KhauditError(t("err.match_processes", variable=PROCESSES_VARIABLE, value=raw))
        return min(asked, _cores())
    return min(workers, _cores()) if workers > 0 else _cores()


def processes(blocks: int, workers: int) -> int:
    """How many processes may run ``blocks`` blocks: 1 (this process, no pool) unless every
    condition of the module's docstring holds (in an executor's worker, the idle cores are
    counted when the blocks start)."""
    wanted = min(_wanted(workers), blocks)
    if wanted < 2 or blocks < MIN_BLOCKS:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods() or start_method() != "fork":
        return 1
    if _job is not None or multiprocessing.current_process().daemon:
        return 1  # a block pool's worker, or a process that may not have children
    if multiprocessing.parent_process() is not None and not lends_cores():
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1
    return wanted


def run_blocks(job: Callable[[int], R], blocks: int, workers: int = -1) -> list[R]:
    """``[job(0), job(1), ..., job(blocks - 1)]``, on forked workers when :func:`processes`
    allows, else in this process."""
    with spare_cores(processes(blocks, workers) - 1) as more:
        results = _on_workers(job, blocks, 1 + more) if more else None
    return [job(b) for b in range(blocks)] if results is None else results


def _on_workers(job: Callable[[int], R], blocks: int, n: int) -> list[R] | None:
    """The blocks' results from ``n`` forked workers; None when the system refused the
    workers or one died (killed for memory): this process then does it all."""
    global _job
    _job = job
    pool = ProcessPoolExecutor(
        max_workers=n, mp_context=multiprocessing.get_context("fork"), initializer=_watch_parent
    )
    try:
        results = list(pool.map(_run, range(blocks)))  # the workers are forked at the first task
    except (OSError, BrokenProcessPool):
        _end(pool)
        return None
    except BaseException:
        _end(pool)
        raise
    finally:
        _job = None
    pool.shutdown(wait=True)
    return results


def _end(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now, mid-block too (an error or Ctrl-C in the parent): a
    shutdown alone would wait for the blocks they are running."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
    for worker in workers:
        worker.join()
