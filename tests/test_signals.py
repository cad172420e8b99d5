"""Ctrl-C reaches khaudit: a command stops on SIGINT and leaves no worker behind, nothing in
khaudit changes how the user's process takes Ctrl-C (tests/conftest.py fails any test after
which it changed), and the suite takes Ctrl-C back when it was started with it ignored."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from khaudit.demo import scanfiles as sf

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signal dispositions")
TESTS = Path(__file__).resolve().parent


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_a_suite_started_with_ctrl_c_ignored_gives_its_commands_ctrl_c_back(tmp_path):
    """As a script's ``make test &`` or a CI runner starts it: SIGINT ignored on exec."""
    (tmp_path / "test_child.py").write_text(
        textwrap.dedent(
            """
            import signal, subprocess, sys

            def test_ctrl_c_is_taken():
                assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
                said = subprocess.run(
                    [sys.executable, "-c",
                     "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"],
                    capture_output=True, text=True, check=True,
                ).stdout
                assert said.strip() == "False"
            """
        ),
        "utf-8",
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider"]
        + ["-c", str(tmp_path / "pytest.ini"), str(tmp_path / "test_child.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=_ignore_sigint,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_ctrl_c_stops_an_audit_and_its_workers(tmp_path: Path):
    rng = random.Random(4)
    (tmp_path / "scans").mkdir()
    for i in range(4):  # read at 0.2 MB/s, the scan takes many seconds
        data = sf.pdf_bytes(f"A.{i}", 1, rng) + b"%" + os.urandom(1_000_000)
        (tmp_path / "scans" / f"A.{i}.pdf").write_bytes(data)
    (tmp_path / "inv.csv").write_text("STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.0,Báo cáo\n", "utf-8")
    project = tmp_path / "project.toml"
    project.write_text(
        'title = "t"\nprovince = "p"\n[scan]\nmax_mbps = 0.2\nworkers = 2\n'
        '[[locality]]\nname = "Xã A"\ninventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    audit = subprocess.Popen(
        [sys.executable, "-m", "khaudit", "audit", str(project), "--out", str(tmp_path / "run")],
        env={**os.environ, "KHAUDIT_LANG": "en"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not _children(audit.pid) and audit.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # until the scan's workers run
    workers = _children(audit.pid)
    assert workers and audit.poll() is None, "the audit ended before it could be stopped"
    audit.send_signal(signal.SIGINT)
    try:
        _, err = audit.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        audit.kill()
        raise AssertionError("Ctrl-C did not stop the audit") from None
    assert audit.returncode != 0
    assert "Traceback" not in err
    assert not (tmp_path / "run" / "run.json").exists()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [w for w in workers if Path(f"/proc/{w}/stat").exists()]
    alive = [w for w in alive if " Z " not in Path(f"/proc/{w}/stat").read_text()]
    assert not alive, f"workers left running after Ctrl-C: {alive}"


def test_ctrl_c_at_the_terminal_ends_busy_and_idle_workers_without_a_traceback(tmp_path: Path):
    # A terminal's Ctrl-C reaches the whole foreground group: `khaudit verify` of a bag
    # with one large file printed an idle worker's KeyboardInterrupt traceback
    script = tmp_path / "pool.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from khaudit.executor import Pool

            try:
                with Pool(workers=2, force_processes=True) as pool:
                    busy = pool.submit(time.sleep, 60)
                    print("ready", flush=True)
                    busy.result()
            except KeyboardInterrupt:
                print("Aborted!", file=sys.stderr)
                sys.exit(1)
            """
        ),
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(1)  # the second worker started and waits for a task
    workers = _children(child.pid)
    os.killpg(child.pid, signal.SIGINT)
    try:
        _, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        raise AssertionError("Ctrl-C did not stop the pool") from None
    assert err.strip() == "Aborted!", err
    assert workers and not [w for w in workers if Path(f"/proc/{w}/cmdline").exists()]
