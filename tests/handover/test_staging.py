"""The staging folder of a package run killed with ``kill -9``: removed by the next run, and
only when its owner is gone; a live run's and anything not made by khaudit are left alone."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_handover import small_project

from khaudit.handover.package import package_locality
from khaudit.handover.staging import MARKER, remove_stale
from khaudit.handover.verify import verify_bag

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")

#: A package run whose copying stalls after its first files, so it is surely mid-copy when
#: it is killed: each copying thread copies one file whole, says so, and waits.
_STALLING = """
import sys, time
from pathlib import Path
import khaudit.handover.package as pkg

real = pkg._copy


def stalled(source, target):
    cloned = real(source, target)
    Path(sys.argv[3]).touch()
    time.sleep(600)
    return cloned


pkg._copy = stalled
pkg.package_locality(sys.argv[1], "Xã A", sys.argv[2])
"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    from khaudit.audit import audit

    base = tmp_path_factory.mktemp("staging")
    project = small_project(base / "p", [f"A.{i}.pdf" for i in range(12)])
    return audit(project, base / "run").path


def _start_stalled(run_dir: Path, out: Path, flag: Path) -> subprocess.Popen:
    script = flag.parent / "stalled_package.py"
    script.write_text(_STALLING, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(run_dir), str(out), str(flag)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not flag.exists():
        child.kill()
        raise AssertionError(child.communicate()[1].decode(errors="replace"))
    return child


def _staging_folders(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name.startswith(".") and p.is_dir())


def _package_cli(run_dir: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "package", str(run_dir)]
        + ["--locality", "Xã A", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "KHAUDIT_LANG": "en"},
    )


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(run_dir: Path, tmp_path: Path):
    bags = tmp_path / "bags"
    child = _start_stalled(run_dir, bags / "dien-lac", tmp_path / "copying")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    (left,) = _staging_folders(bags)
    assert left.name.startswith(".dien-lac.") and (left / MARKER).is_file()
    assert list((left / "data").rglob("*.pdf"))  # full copies of scans, left behind
    assert json.loads((left / MARKER).read_text())["pid"] == child.pid
    assert not (bags / "dien-lac").exists()

    again = _package_cli(run_dir, bags / "dien-lac")
    assert again.returncode == 0, again.stderr
    assert _staging_folders(bags) == []
    said = [line for line in again.stderr.splitlines() if left.name in line]
    assert len(said) == 1 and "removed 1 staging folder" in said[0]
    assert f"process {child.pid} on {socket.gethostname()}" in said[0]
    assert verify_bag(bags / "dien-lac", workers=1).valid
    assert not (bags / "dien-lac" / MARKER).exists()


def test_a_live_runs_staging_folder_is_never_touched(run_dir: Path, tmp_path: Path):
    bags = tmp_path / "bags"
    child = _start_stalled(run_dir, bags / "one", tmp_path / "copying")
    try:
        (live,) = _staging_folders(bags)
        result = package_locality(run_dir, "Xã A", bags / "two")
        assert not result.notes  # nothing removed, nothing said
        assert _staging_folders(bags) == [live] and (live / MARKER).is_file()
        assert remove_stale(bags) == [] and live.is_dir()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert [name for name, _ in remove_stale(bags)] == [live.name]  # once its owner is gone
    assert _staging_folders(bags) == [] and (bags / "two").is_dir() and not (bags / "one").exists()


def test_a_live_owner_on_another_host_keeps_its_folder_by_its_lock(tmp_path: Path):
    """The process named in the marker cannot be asked about on another host: the lock its
    owner holds decides."""
    folder = tmp_path / ".bag.remote"
    folder.mkdir()
    holder = {"user": "u", "host": "another-host", "pid": 1, "since": "2026-01-01T00:00:00"}
    script = (
        "import json, sys, time\n"
        "from khaudit.fslock import _try_lock\n"
        "import os\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "assert _try_lock(fd)\n"
        "os.write(fd, sys.argv[2].encode())\n"
        "print('held', flush=True)\n"
        "time.sleep(600)\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script, str(folder / MARKER), json.dumps(holder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "held"
        assert remove_stale(tmp_path) == [] and (folder / MARKER).is_file()
    finally:
        owner.kill()
        owner.wait()
    assert remove_stale(tmp_path) == [(".bag.remote", {**holder, "pid": "1", "command": "?"})]
    assert not folder.exists()


def test_folders_khaudit_did_not_make_are_left_alone(tmp_path: Path):
    plain = tmp_path / ".my-hidden-folder"
    plain.mkdir()
    (plain / "notes.txt").write_text("mine")
    linked = tmp_path / ".bag.linked"
    linked.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"pid": 999999999, "host": socket.gethostname()}))
    (linked / MARKER).symlink_to(elsewhere)
    unnamed = tmp_path / ".bag.unnamed"
    unnamed.mkdir()
    (unnamed / MARKER).write_text("not a holder")
    fifo = tmp_path / ".bag.fifo"
    fifo.mkdir()
    os.mkfifo(fifo / MARKER)
    visible = tmp_path / "bag.visible"
    visible.mkdir()
    (visible / MARKER).write_text(json.dumps({"pid": 999999999, "host": socket.gethostname()}))
    assert remove_stale(tmp_path) == []
    for folder in (plain, linked, unnamed, fifo, visible):
        assert folder.is_dir(), folder
    assert elsewhere.is_file() and (plain / "notes.txt").read_text() == "mine"


def test_an_interrupted_run_removes_its_own_staging_folder(
    run_dir: Path, tmp_path: Path, monkeypatch
):
    import khaudit.handover.package as pkg

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pkg, "_write_tags", interrupted)
    with pytest.raises(KeyboardInterrupt):
        package_locality(run_dir, "Xã A", tmp_path / "bag")
    assert list(tmp_path.iterdir()) == []
