"""Where work runs: results in order, lazily consumed inputs, errors raised where asked for."""

from __future__ import annotations

import pytest

from khaudit.executor import Pool, stream_map


def _square(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * x


def test_stream_map_keeps_order_on_processes_and_in_process():
    items = list(range(50))
    assert list(stream_map(_square, items, workers=2)) == [x * x for x in items]
    assert list(stream_map(_square, items, workers=1)) == [x * x for x in items]


def test_stream_map_consumes_its_input_lazily():
    pulled = []

    def items():
        for x in range(1_000):
            pulled.append(x)
            yield x

    out = stream_map(_square, items(), workers=1)
    assert [next(out) for _ in range(3)] == [0, 1, 4]
    assert len(pulled) <= 4  # not the thousand items


def test_pool_starts_no_process_before_a_first_task_and_answers_in_order():
    with Pool(workers=2) as pool:
        assert pool._processes is None and not pool.inline and pool.capacity == 2
        futures = [pool.submit(_square, x) for x in range(10)]
        assert [f.result() for f in futures] == [x * x for x in range(10)]
        failed = pool.submit(_square, -1)
        with pytest.raises(ValueError, match="negative: -1"):
            failed.result()


def test_an_in_process_pool_runs_each_task_at_once_and_keeps_its_error_for_result():
    pool = Pool(workers=4, in_process=True)
    assert pool.inline and pool.capacity == 1
    done = pool.submit(_square, 3)
    assert done.done() and done.result() == 9
    failed = pool.submit(_square, -2)
    assert failed.done()
    with pytest.raises(ValueError, match="negative: -2"):
        failed.result()
    pool.close()


_ORPHAN_SCRIPT = """
import os, sys, time
import multiprocessing
from pathlib import Path

from khaudit.executor import Pool


def hold(folder):
    (Path(folder) / str(os.getpid())).touch()  # this worker is busy, for good
    time.sleep(600)


if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    with Pool(workers=2, force_processes=True) as pool:
        for _ in range(4):  # two run (one per worker), two wait on the task pipe
            pool.submit(hold, sys.argv[2])
        time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Running, or stopped; a zombie waiting for a reaper has ended."""
    import os

    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


@pytest.mark.skipif(__import__("os").name != "posix", reason="kill -9 is POSIX")
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_workers_end_when_their_parent_is_killed_with_sigkill(tmp_path, method):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "orphans.py"
    script.write_text(_ORPHAN_SCRIPT)
    busy = tmp_path / "busy"
    busy.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), method, str(busy)])
    try:
        deadline = time.monotonic() + 120  # spawn imports khaudit in each worker: slow
        while len(list(busy.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in busy.iterdir()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [p for p in workers if _alive(p)]
    for p in survivors:  # never leave them behind, whatever the test says
        os.kill(p, signal.SIGKILL)
    assert survivors == []


_GIL_SCRIPT = _ORPHAN_SCRIPT.replace(
    "time.sleep(600)\n\n\nif", "sum(range(10**12))  # one C call that keeps the GIL\n\n\nif"
)


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="prctl")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_worker_in_a_long_c_call_ends_with_its_killed_parent(tmp_path, monkeypatch, method):
    """The watcher thread cannot run while a C call holds the GIL; the kernel's parent-death
    signal ends the worker all the same (a fork server's worker too: its parent is the
    server, which must end with the process that asked for the worker)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    assert "sum(range(10**12))" in _GIL_SCRIPT
    script = tmp_path / "busy_in_c.py"
    script.write_text(_GIL_SCRIPT)
    busy = tmp_path / "busy"
    busy.mkdir()
    monkeypatch.delenv("KHAUDIT_START_METHOD", raising=False)  # the method asked for here
    parent = subprocess.Popen([sys.executable, str(script), method, str(busy)])
    try:
        deadline = time.monotonic() + 120
        while len(list(busy.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in busy.iterdir()]
        assert len(workers) == 2
        time.sleep(0.5)  # both are inside the C call now
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [p for p in workers if _alive(p)]
    for p in survivors:
        os.kill(p, signal.SIGKILL)
    assert survivors == []


def _children(pid: int) -> set[int]:
    import contextlib
    from pathlib import Path

    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(
    not __import__("os").path.exists("/proc/self/task"),
    reason="lists child processes through /proc",
)
def test_a_scan_killed_with_sigkill_leaves_no_worker_behind(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from khaudit.demo import generate_demo

    generate_demo(tmp_path / "p", seed=5, rows=30, localities=1)
    # Throttled to a crawl, so the workers are surely mid-scan when the parent is killed.
    parent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "khaudit.cli",
            "scan",
            str(tmp_path / "p" / "project.toml"),
            "--workers",
            "2",
            "--max-mbps",
            "0.01",
            "--full",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 180  # a loaded machine, spawned workers: slow to start
    try:
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.1)
        assert len(workers) >= 2, "the scan started no worker processes"
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [p for p in workers if _alive(p)]
    for p in survivors:
        os.kill(p, signal.SIGKILL)
    assert survivors == []


def test_khaudit_start_method_chooses_how_workers_start(monkeypatch: pytest.MonkeyPatch):
    import multiprocessing

    from khaudit.errors import KhauditError
    from khaudit.executor import start_method

    monkeypatch.delenv("KHAUDIT_START_METHOD", raising=False)
    assert start_method() == multiprocessing.get_start_method()  # the platform's own default
    monkeypatch.setenv("KHAUDIT_START_METHOD", "spawn")
    assert start_method() == "spawn"
    with Pool(workers=2) as pool:
        futures = [pool.submit(_square, x) for x in range(6)]
        assert [f.result() for f in futures] == [x * x for x in range(6)]
        assert pool._processes is not None
        assert pool._processes._mp_context.get_start_method() == "spawn"
    assert list(stream_map(_square, range(20), workers=2)) == [x * x for x in range(20)]
    monkeypatch.setenv("KHAUDIT_START_METHOD", "vfork")
    with pytest.raises(KhauditError, match="KHAUDIT_START_METHOD=vfork.*spawn"):
        start_method()


def test_an_audit_its_bag_and_the_bag_check_run_whole_under_spawn(tmp_path):
    """Every task the pipeline hands to worker processes (scanning, matching, hashing for the
    bag, checking the bag) pickles and imports in a fresh interpreter, as on Windows and
    macOS, and gives the very run that forked workers give."""
    import os
    import subprocess
    import sys

    from khaudit.audit import audit
    from khaudit.demo import generate_demo
    from khaudit.run import load_run

    project = generate_demo(tmp_path / "p", seed=5, rows=30, localities=2)
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("[scan]\n", "[scan]\nworkers = 2\n"), encoding="utf-8")
    env = {**os.environ, "KHAUDIT_START_METHOD": "spawn"}

    def khaudit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "khaudit.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    run, bag = str(tmp_path / "run"), str(tmp_path / "bag")
    for step in (
        ("audit", str(project), "--out", run, "--no-report", "--lang", "vi"),
        ("package", run, "--locality", "Xã Diên Lạc", "--out", bag, "--rehash"),
        ("verify", bag),
    ):
        done = khaudit(*step)
        assert done.returncode == 0, (step, done.stderr[-3000:])
    forked = audit(project, tmp_path / "forked", lang="vi")  # the default: fork on Linux
    spawned = load_run(run)
    assert spawned.meta["fingerprint"] == forked.meta["fingerprint"]
    assert spawned.records.equals(forked.records)


def _spare_alone(_: int) -> int:
    from khaudit import executor

    with executor.spare_cores(4) as taken:
        return taken


def _meet(folder: str, step: str, count: int = 2) -> None:
    """Wait until ``count`` tasks have reached ``step`` (a file each in ``folder``)."""
    import os
    import time
    from pathlib import Path

    (Path(folder) / f"{step}-{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while len(list(Path(folder).glob(f"{step}-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def _spare_beside_another(folder: str) -> int:
    """Asks while the other worker is busy too, and stays busy until the other has asked."""
    from khaudit import executor

    _meet(folder, "arrived")
    with executor.spare_cores(4) as taken:
        _meet(folder, "asked")
        return taken


@pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork here"
)
def test_a_worker_alone_is_lent_the_idle_cores_and_busy_workers_none(monkeypatch, tmp_path):
    from khaudit import executor

    monkeypatch.delenv("KHAUDIT_START_METHOD", raising=False)
    with executor.spare_cores(3) as taken:  # not a worker: the caller decides alone
        assert taken == 3 and not executor.lends_cores()
    with Pool(workers=2) as pool:
        assert pool.submit(_spare_alone, 0).result() == 1  # the other worker is idle
        together = [pool.submit(_spare_beside_another, str(tmp_path)) for _ in range(2)]
        assert [f.result() for f in together] == [0, 0]
        assert pool.submit(_spare_alone, 0).result() == 1  # the cores lent were given back


def test_a_lone_locality_is_matched_in_this_process_and_several_on_the_workers(
    demo_dir, tmp_path, monkeypatch
):
    """One locality: nothing to scan meanwhile, so no worker; its matching may then use every
    core (match/blockpool.py). Several: the executor's workers match them side by side."""
    import dataclasses
    import importlib
    import os

    from khaudit.project import load_project

    audit_module = importlib.import_module("khaudit.audit")  # the package's audit is the function

    project = load_project(demo_dir / "project.toml")
    matched_in: list[int] = []
    match_locality = audit_module.match_locality

    def noted(*args, **kwargs):
        matched_in.append(os.getpid())  # kept in the parent only when it runs here
        return match_locality(*args, **kwargs)

    monkeypatch.setattr(audit_module, "match_locality", noted)
    lone = dataclasses.replace(project, localities=project.localities[:1])
    audit_module.audit(lone, tmp_path / "lone")
    assert matched_in == [os.getpid()]
    matched_in.clear()
    audit_module.audit(
        dataclasses.replace(project, localities=project.localities[:2]), tmp_path / "two"
    )
    assert matched_in == []
