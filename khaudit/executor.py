"""Where work runs. Stages call :func:`stream_map` (or :class:`Pool` when their next tasks
depend on results); they never know what runs it.

Local processes by default (one per core). When a Dask distributed scheduler is configured
(``khaudit audit --scheduler tcp://HOST:8786`` or ``[cluster] scheduler`` in the project file),
the same calls run as tasks on its workers, which must see the scan roots at the same paths and
have khaudit installed. Results come back in order either way, so a run is identical row for
row whichever executor ran it.

Local workers start the way the platform does (fork on Linux: the fastest, nothing is imported
again; spawn on Windows and macOS). ``KHAUDIT_START_METHOD=spawn`` (or ``forkserver``) asks for
another method, so a Linux machine can run exactly what a Windows laptop runs: every task and
its argument must then pickle and import cleanly in a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .errors import KhauditError
from .i18n import t

T = TypeVar("T")
R = TypeVar("R")

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


def _exit_when_parent_ends(sentinel: int, parent_pid: int) -> None:
    """Wait for the parent to end, then end this worker at once.

    The parent's sentinel (a pipe end on POSIX, a process handle on Windows; set up by
    multiprocessing for the fork and the spawn start methods alike) becomes ready when the
    parent ends, even by ``kill -9``. On POSIX a worker forked after another may hold that
    pipe open, so a change of parent process id is watched too.
    """
    from multiprocessing.connection import wait

    while not wait([sentinel], timeout=0.5):
        if os.name == "posix" and os.getppid() != parent_pid:
            break
    os._exit(1)


#: prctl's option that has the kernel signal a process when its parent ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """On Linux, have the kernel kill this worker the moment its parent ends.

    The watcher thread needs the GIL to act, so a worker deep in one long C call that holds
    it (a decoder, a regular expression, a sum over a huge range) would outlive a killed
    parent until that call returned; the kernel's signal needs nothing from the worker.
    The signal is tied to the thread that started the worker, which is the thread that
    submitted the pool's first task and waits for its results while the pool lives.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no C library to ask: the watcher thread still acts
        return
    if os.getppid() != parent_pid:  # the parent ended before the request was in place
        os._exit(1)


def _leave_fork_server_alive() -> None:
    """A worker started by a fork server holds the write end of the server's "alive" pipe,
    which keeps the server running as long as any worker lives; the server is the worker's
    parent, so the kernel's parent-death signal never came when the process that asked for
    the worker was killed. Letting go of that pipe, the worker lets the server end with that
    process, and the signal then ends the worker (``forkserver`` start method only)."""
    module = sys.modules.get("multiprocessing.forkserver")
    server = getattr(module, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is None:
        return
    with contextlib.suppress(OSError):
        os.close(fd)
    server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _end_quietly(signum: int, frame: object) -> None:
    """A worker's Ctrl-C: end at once and say nothing (exit status 130, as a shell gives)."""
    os._exit(130)


def _watch_parent() -> None:
    """Worker initializer: a worker must never outlive the process that started it (it would
    sit blocked on its task pipe for good, holding memory and open files). A Ctrl-C at the
    terminal reaches the workers too: each ends without a word, where an idle one printed
    multiprocessing's KeyboardInterrupt traceback under the parent's "Aborted!"."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _end_quietly)
    _leave_fork_server_alive()
    parent_pid = os.getppid() if os.name == "posix" else 0
    _die_with_parent(parent_pid)
    threading.Thread(
        target=_exit_when_parent_ends,
        args=(parent.sentinel, parent_pid),
        name="khaudit-parent-watch",
        daemon=True,
    ).start()


#: In a local worker: the count of its pool's workers busy with a task, shared by them all, and
#: how many there are (set by :func:`_start_worker`). None elsewhere: the parent, a Dask
#: worker, a process no pool of this module started.
_busy: Any = None
_capacity = 0


def _start_worker(busy: Any, capacity: int) -> None:
    """Local workers' initializer: :func:`_watch_parent`, and the shared count of busy workers
    that lets a worker alone on the machine lend itself the idle cores (:func:`spare_cores`)."""
    global _busy, _capacity
    _watch_parent()
    _busy, _capacity = busy, capacity


def _counted(func: Callable[[T], R], item: T) -> R:
    """``func(item)`` on a local worker, counted busy while it runs."""
    with _busy.get_lock():
        _busy.value += 1
    try:
        return func(item)
    finally:
        with _busy.get_lock():
            _busy.value -= 1


@contextlib.contextmanager
def spare_cores(wanted: int) -> Iterator[int]:
    """How many more processes than this one a task may run now, at most ``wanted``.

    Outside the executor's workers, all of them: the caller alone decides. In a local worker,
    the cores its pool's other workers leave idle (a last locality still matching after the
    others are done, a project of one big locality among small ones), held until the block
    ends so that two workers never take the same idle core; other workers keep their own
    core whenever a task reaches them, so this never delays their work by more than a share
    of the machine.
    """
    if _busy is None:
        yield max(0, wanted)
        return
    with _busy.get_lock():
        taken = max(0, min(wanted, _capacity - _busy.value))
        _busy.value += taken
    try:
        yield taken
    finally:
        with _busy.get_lock():
            _busy.value -= taken


def lends_cores() -> bool:
    """Whether this process is a local worker that :func:`spare_cores` may lend idle cores."""
    return _busy is not None


START_METHOD_VARIABLE = "KHAUDIT_START_METHOD"


def start_method() -> str:
    """The start method local workers use: ``KHAUDIT_START_METHOD`` when set, else the
    platform's default."""
    wanted = os.environ.get(START_METHOD_VARIABLE, "").strip().lower()
    if not wanted:
        return multiprocessing.get_start_method(allow_none=False)
    known = multiprocessing.get_all_start_methods()
    if wanted not in known:
        raise KhauditError(
            t(
                "err.start_method",
                variable=START_METHOD_VARIABLE,
                value=wanted,
                known=", ".join(known),
            )
        )
    return wanted


def cpu_workers(requested: int = 0) -> int:
    return requested if requested > 0 else max(1, os.cpu_count() or 1)


class Pool:
    """Tasks submitted one at a time, each answered by a future (``.result()``).

    For stages whose next tasks depend on earlier results (the scan walks a folder, then its
    subfolders, then reads what changed), which :func:`stream_map` cannot express. Runs on the
    configured Dask scheduler, else on local processes; with one local worker, or
    ``in_process``, each task runs at once in this process. Nothing is started (no worker
    process, no connection to the scheduler) before a first task.
    """

    def __init__(self, workers: int = 0, force_processes: bool = False, in_process: bool = False):
        self._dask = bool(_scheduler) and not in_process
        self._n = 1 if in_process else cpu_workers(workers)
        self.inline = not self._dask and self._n == 1 and not force_processes
        self._processes: ProcessPoolExecutor | None = None

    @functools.cached_property
    def capacity(self) -> int:
        """How many tasks run at once (asked of the scheduler once)."""
        if self._dask:
            return max(1, sum(_dask_client().nthreads().values()))
        return self._n

    def submit(self, func: Callable[[T], R], item: T) -> Any:
        if self._dask:
            return _dask_client().submit(func, item, pure=False)
        if self.inline:
            done: Future[R] = Future()
            try:
                done.set_result(func(item))
            except Exception as exc:  # raised again by .result(), as a worker's would be
                done.set_exception(exc)
            return done
        if self._processes is None:
            context = multiprocessing.get_context(start_method())
            self._processes = ProcessPoolExecutor(
                max_workers=self._n,
                mp_context=context,
                initializer=_start_worker,
                initargs=(context.Value("i", 0), self._n),
            )
        return self._processes.submit(_counted, func, item)

    def close(self) -> None:
        if self._processes is not None:
            self._processes.shutdown(cancel_futures=True)
            self._processes = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stream_map(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int = 0,
    in_flight: int = 4,
    force_processes: bool = False,
) -> Iterator[R]:
    """``map(func, items)`` in order, consuming ``items`` lazily.

    At most ``in_flight`` tasks per worker are queued, so a generator over millions of files is
    never held in memory at once (``ProcessPoolExecutor.map`` would list it all first). No pool
    is started until there is a first item (:class:`Pool` starts nothing before a task): a
    rescan of an unchanged tree has none, and starting worker processes for nothing cost more
    than the rest of it.
    """
    with Pool(workers, force_processes) as pool:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= (1 if pool.inline else max(2, pool.capacity * in_flight)):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
