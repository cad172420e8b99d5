"""Blocks of title ranking on forked workers: the same result as one process, in block order;
one process wherever a pool cannot or should not be made; no worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from khaudit.errors import KhauditError
from khaudit.match import blockpool, items, link
from khaudit.match.blockpool import PROCESSES_VARIABLE, processes, run_blocks
from khaudit.match.settings import MatchSettings

BENCH = Path(__file__).resolve().parents[2] / "bench"
FORK = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork here"
)


@pytest.fixture
def two_cores(monkeypatch):
    """A pool of two, whatever this machine has and however the suite was started."""
    monkeypatch.setattr(blockpool, "_cores", lambda: 2)
    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    monkeypatch.delenv("KHAUDIT_START_METHOD", raising=False)


@FORK
def test_blocks_run_on_forked_workers_and_come_back_in_block_order(two_cores):
    seen = {"index": list(range(0, 100, 10))}  # the parent's state, not pickled: inherited
    parent = os.getpid()

    def job(block: int) -> tuple[int, int]:
        time.sleep(0.01 * (block % 3))  # blocks end out of order
        return seen["index"][block], os.getpid()

    assert processes(10, -1) == 2
    results = run_blocks(job, 10)
    assert [value for value, _ in results] == seen["index"]
    assert parent not in {pid for _, pid in results}


def test_one_process_where_no_pool_should_be_made(two_cores, monkeypatch):
    assert processes(1, -1) == 1  # one block: the pool would cost more than it saves
    assert processes(5, 1) == 1  # settings.workers = 1
    monkeypatch.setenv(PROCESSES_VARIABLE, "1")
    assert processes(5, -1) == 1
    assert run_blocks(lambda b: (b, os.getpid()), 3) == [(b, os.getpid()) for b in range(3)]
    monkeypatch.delenv(PROCESSES_VARIABLE)
    monkeypatch.setenv("KHAUDIT_START_METHOD", "spawn")  # what Windows and macOS do
    assert processes(5, -1) == 1
    monkeypatch.delenv("KHAUDIT_START_METHOD")
    in_thread: list[int] = []  # a Dask worker runs its tasks on threads: no fork beside them
    worker = threading.Thread(target=lambda: in_thread.append(processes(5, -1)))
    worker.start()
    worker.join()
    assert in_thread == [1]
    monkeypatch.setattr(blockpool, "_cores", lambda: 1)
    assert processes(5, -1) == 1


def test_a_wrong_process_count_is_said_in_words(monkeypatch):
    monkeypatch.setenv(PROCESSES_VARIABLE, "many")
    with pytest.raises(KhauditError, match=f"{PROCESSES_VARIABLE}=many"):
        processes(5, -1)


def _pid_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@FORK
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_an_error_in_a_block_is_raised_and_ends_every_worker(two_cores, tmp_path):
    def job(block: int) -> int:
        (tmp_path / str(os.getpid())).touch()
        if block == 3:
            raise ValueError("block 3 is bad")
        time.sleep(0.05)
        return block

    with pytest.raises(ValueError, match="block 3 is bad"):
        run_blocks(job, 8)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert workers and os.getpid() not in workers
    assert _survivors(workers, seconds=0) == []  # ended before the error reached the caller


_INTERRUPTED = """
import os, sys, time
from pathlib import Path

from khaudit.match.blockpool import run_blocks


def job(block):
    (Path(sys.argv[1]) / str(os.getpid())).touch()
    time.sleep(600)


if __name__ == "__main__":
    run_blocks(job, 4, 2)
"""


@FORK
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_parent_interrupted_or_killed_mid_block_leaves_no_worker(tmp_path, monkeypatch, sig):
    """Ctrl-C (to the parent alone: a terminal's reaches the workers too, which end quietly)
    ends the workers before the interrupt propagates; kill -9 takes them along."""
    monkeypatch.delenv("KHAUDIT_START_METHOD", raising=False)
    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    script = tmp_path / "interrupted.py"
    script.write_text(_INTERRUPTED)
    busy = tmp_path / "busy"
    busy.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), str(busy)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(list(busy.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in busy.iterdir()]
        assert len(workers) == 2 and all(_pid_alive(p) for p in workers)
        os.kill(parent.pid, sig)
        _, err = parent.communicate(timeout=30)
    finally:
        parent.kill()
        parent.wait()
    if sig == signal.SIGINT:
        assert b"KeyboardInterrupt" in err
    assert _survivors(workers) == []


def _survivors(pids: list[int], seconds: float = 10) -> list[int]:
    """The processes still alive after waiting up to ``seconds`` for them to end; killed
    then, so that no test leaves one behind whatever it asserts."""
    deadline = time.monotonic() + seconds
    alive = [p for p in pids if _pid_alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _pid_alive(p)]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    return alive


@FORK
def test_a_locality_matched_on_two_processes_is_the_one_matched_on_one(two_cores, monkeypatch):
    """Its items' path evidence (items.py) and its title ranking (link.py) in blocks."""
    sys.path.insert(0, str(BENCH))
    try:
        from matchgen import generate
    finally:
        sys.path.remove(str(BENCH))
    case = generate(400, 3)
    monkeypatch.setattr(link, "BLOCK_CHUNK", 64)  # several blocks of a small locality
    monkeypatch.setattr(items, "EVIDENCE_BLOCK", 64)
    pooled: list[int] = []  # the blocks each pool was given: the pool did run
    on_workers = blockpool._on_workers
    monkeypatch.setattr(
        blockpool, "_on_workers", lambda *args: pooled.append(args[1]) or on_workers(*args)
    )
    runs = []
    for count in ("1", "2"):
        monkeypatch.setenv(PROCESSES_VARIABLE, count)
        runs.append(link.match_locality(case.records, case.scans, case.sidecars, MatchSettings()))
    one, two = runs
    assert len(pooled) >= 2 and min(pooled) >= 2  # the paths' blocks, then the titles'
    pd.testing.assert_frame_equal(one.links, two.links, check_exact=True)
    assert one.reasons == two.reasons
    assert [vars(i) for i in one.items] == [vars(i) for i in two.items]


def _pid_block(block: int) -> int:
    time.sleep(0.02)
    return os.getpid()


def _blocks_where(folder: str) -> tuple[int, set[int]]:
    """An executor worker's task: the processes its blocks ran in; with a ``folder``, once
    the pool's other worker is busy too, and kept busy until the other's blocks are done."""
    from test_executor import _meet

    if folder:
        _meet(folder, "arrived")
    ran_in = set(run_blocks(_pid_block, 6))
    if folder:
        _meet(folder, "done")
    return os.getpid(), ran_in


@FORK
def test_an_executor_worker_runs_its_blocks_on_the_cores_the_others_leave_idle(two_cores, tmp_path):
    from khaudit.executor import Pool

    with Pool(workers=2) as pool:
        worker, ran_in = pool.submit(_blocks_where, "").result()  # alone: both cores
        assert worker not in ran_in and len(ran_in) == 2
        both = [pool.submit(_blocks_where, str(tmp_path)) for _ in range(2)]  # side by side
        assert all(ran_in == {worker} for worker, ran_in in (f.result() for f in both))


_NESTED = """
import os, sys, time
from pathlib import Path

from khaudit.executor import Pool
from khaudit.match.blockpool import run_blocks


def job(block):
    (Path(sys.argv[1]) / str(os.getpid())).touch()
    time.sleep(600)


def task(_):
    (Path(sys.argv[1]) / str(os.getpid())).touch()
    return run_blocks(job, 4, 2)


if __name__ == "__main__":
    with Pool(workers=2) as pool:
        pool.submit(task, 0).result()
"""


@FORK
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_audit_takes_its_workers_and_their_block_workers_along(tmp_path, monkeypatch):
    monkeypatch.delenv("KHAUDIT_START_METHOD", raising=False)
    monkeypatch.setenv(PROCESSES_VARIABLE, "2")
    script = tmp_path / "nested.py"
    script.write_text(_NESTED)
    busy = tmp_path / "busy"
    busy.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), str(busy)])
    try:
        deadline = time.monotonic() + 60
        while len(list(busy.iterdir())) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in busy.iterdir()]  # the executor's and its two blocks'
        assert len(workers) == 3 and all(_pid_alive(p) for p in workers)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    assert _survivors(workers) == []
