"""Where inspectors work: Windows paths, consoles with a code page, shared network folders, two
audits of one project at once. A Linux machine shows none of this unless tested on purpose."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path, PureWindowsPath

import pytest

from khaudit.demo import scanfiles as sf
from khaudit.errors import ProjectError
from khaudit.match.sidecar import SidecarEntry, SidecarIndex
from khaudit.project import load_project
from khaudit.scan.catalogue import Catalogue
from khaudit.scan.location import (
    is_network_type,
    mount_of,
    network_filesystem,
    parse_mountinfo,
    place_catalogue,
)
from khaudit.scan.walk import WINDOWS_MAX_PATH, walk_folders
from khaudit.winpath import native, windows_kind

# Lines as Linux writes them (proc(5)): a local root, a cifs share of the province's server
# (its mount point has a space, written \040), an NFS export, sshfs, and a USB disk (fuseblk,
# local) mounted under the share's folder.
MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
25 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
98 22 0:51 / /mnt/so\040hoa rw,relatime shared:45 - cifs //may-chu/so-hoa rw,vers=3.1.1,cache=strict
99 22 0:52 / /srv/kho rw,relatime shared:46 - nfs4 10.0.0.5:/export/kho rw,vers=4.2,rsize=1048576
100 22 0:53 / /home/canbo/xa rw,nosuid,relatime shared:47 - fuse.sshfs canbo@may-chu:/so-hoa rw
101 98 8:17 / /mnt/so\040hoa/usb rw,relatime shared:48 - fuseblk /dev/sdb1 rw,user_id=0
"""


def test_mountinfo_lines_are_read_as_the_kernel_writes_them():
    mounts = parse_mountinfo(MOUNTINFO + "garbage line\n\n")
    assert [m.fstype for m in mounts] == ["ext4", "proc", "cifs", "nfs4", "fuse.sshfs", "fuseblk"]
    assert mounts[2].point == "/mnt/so hoa" and mounts[2].source == "//may-chu/so-hoa"
    assert mount_of("/mnt/so hoa/xa-a/HS 01.pdf", mounts).fstype == "cifs"
    assert mount_of("/mnt/so hoa/usb/x", mounts).fstype == "fuseblk"  # the deeper mount wins
    assert mount_of("/mnt/so hoax", mounts).fstype == "ext4"  # a prefix is not a parent
    assert mount_of("/srv/kho", mounts).fstype == "nfs4"
    assert [is_network_type(m.fstype) for m in mounts] == [False, False, True, True, True, False]


def test_this_machines_own_mount_table_reads(tmp_path: Path):
    if not Path("/proc/self/mountinfo").exists():
        pytest.skip("no /proc here")
    mounts = parse_mountinfo(Path("/proc/self/mountinfo").read_text())
    assert mounts and mount_of(str(tmp_path), mounts) is not None


def _fake_network(tmp_path: Path, share: Path, fstype: str = "cifs") -> dict[str, str]:
    """Environment that plays ``share`` as a network mount (and keeps the cache in tmp)."""
    point = str(share.resolve()).replace(" ", "\\040")
    table = tmp_path / "mountinfo"
    table.write_text(
        MOUNTINFO + f"120 22 0:60 / {point} rw - {fstype} //may-chu/so-hoa rw,vers=3.0\n"
    )
    return {"KHAUDIT_MOUNTINFO": str(table), "KHAUDIT_CACHE_DIR": str(tmp_path / "cache")}


def test_a_catalogue_asked_for_on_a_network_share_is_kept_in_the_local_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    share = tmp_path / "so hoa"
    (share / "scans").mkdir(parents=True)
    (share / "scans" / "HS 01.pdf").write_bytes(sf.pdf_bytes("HS.01", 2, random.Random(1)))
    for name, value in _fake_network(tmp_path, share).items():
        monkeypatch.setenv(name, value)
    asked = share / ".khaudit" / "catalogue.sqlite"
    assert network_filesystem(share / ".khaudit") == "cifs"  # not there yet: its parent's mount
    where = place_catalogue(asked)
    assert where.network == "cifs" and where.database.is_relative_to(tmp_path / "cache")
    assert where.lock == asked.with_name("catalogue.sqlite.lock")  # every machine sees it
    with Catalogue(asked) as cat:
        assert cat.note and str(where.database) in cat.note and "cifs" in cat.note
        assert cat.scan(share / "scans", workers=1).files == 1
        assert cat.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # local: WAL is safe
    # Nothing of SQLite on the share: no database, no -wal or -shm beside it; the lock file only.
    assert sorted(p.name for p in asked.parent.iterdir()) == ["catalogue.sqlite.lock"]
    # Another project on the same share keeps its own catalogue.
    other = place_catalogue(share / "other" / ".khaudit" / "catalogue.sqlite")
    assert other.database != where.database
    # On a local disk, nothing moves.
    monkeypatch.setenv("KHAUDIT_MOUNTINFO", str(tmp_path / "no-such-table"))
    assert place_catalogue(asked).database == asked and not place_catalogue(asked).note


def test_windows_shares_are_told_from_local_disks_by_their_path():
    assert network_filesystem(r"\\may-chu\so-hoa\Xa A", windows=True) == "smb"
    assert network_filesystem(PureWindowsPath(r"\\10.0.0.5\kho"), windows=True) == "smb"
    if sys.platform != "win32":  # a drive letter's type is asked of Windows itself
        assert network_filesystem(r"D:\so-hoa", windows=True) == ""


def _small_project(folder: Path, files: int = 4, max_mbps: float = 0.0) -> Path:
    (folder / "scans").mkdir(parents=True, exist_ok=True)
    rows = [f"{i},A.{i},Báo cáo số {i} năm 2019,2" for i in range(1, 11)]
    (folder / "inv.csv").write_text(
        "STT,Mã hồ sơ,Tiêu đề hồ sơ,Số tờ\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    rng = random.Random(1)
    for i in range(1, files + 1):
        (folder / "scans" / f"A.{i}.pdf").write_bytes(sf.pdf_bytes(f"A.{i}", 2, rng))
    path = folder / "project.toml"
    path.write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n'
        f"[scan]\nmax_mbps = {max_mbps}\nworkers = 1\n"
        '[[locality]]\nname = "Xã A"\ninventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return path


def _khaudit(*args: str, env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "khaudit", "--lang", "en", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


_HOLD_SCRIPT = """
import sys, time
from pathlib import Path
from khaudit.scan.catalogue import Catalogue

with Catalogue(sys.argv[1]):
    Path(sys.argv[2]).touch()
    time.sleep(600)
"""


def test_an_audit_while_another_holds_the_catalogue_is_refused_clearly_then_runs(tmp_path):
    project = _small_project(tmp_path / "p")
    catalogue = load_project(project).scan.catalogue
    ready = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_SCRIPT, str(catalogue), str(ready)])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready.exists(), "the first process never took the catalogue"
        refused = _khaudit(
            "audit",
            str(project),
            "--out",
            str(tmp_path / "run"),
            "--no-report",
            env={"KHAUDIT_LOCK_WAIT": "0"},
        )
        out, err = refused.communicate(timeout=120)
        message = err.decode()
        assert refused.returncode == 2, message
        assert "Traceback" not in message
        assert f"process {holder.pid}" in message and "is in use by" in message
        assert str(catalogue) + ".lock" in message
        assert not (tmp_path / "run" / "run.json").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # ends holding the lock: it must not stay taken
        holder.wait()
    assert (catalogue.parent / "catalogue.sqlite.lock").exists()  # left behind, never stale
    again = _khaudit(
        "audit",
        str(project),
        "--out",
        str(tmp_path / "run"),
        "--no-report",
        env={"KHAUDIT_LOCK_WAIT": "0"},
    )
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    assert (tmp_path / "run" / "run.json").exists()


def test_two_audits_at_once_on_a_network_share_end_whole_or_refused_never_corrupt(tmp_path):
    share = tmp_path / "share"
    # Throttled so the two overlap: each reads its four scans at a crawl.
    project = _small_project(share, max_mbps=0.002)
    env = {**_fake_network(tmp_path, share), "KHAUDIT_LOCK_WAIT": "0"}
    procs = [
        _khaudit("audit", str(project), "--out", str(tmp_path / name), "--no-report", env=env)
        for name in ("a", "b")
    ]
    outcomes = []
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        outcomes.append((proc.returncode, err.decode()))
    codes = sorted(code for code, _ in outcomes)
    assert codes in ([0, 0], [0, 2]), outcomes
    for (code, err), name in zip(outcomes, ("a", "b")):
        assert "Traceback" not in err
        assert (tmp_path / name / "run.json").exists() == (code == 0)  # whole, or nothing
        if code == 2:
            assert "is in use by" in err and "since" in err
        else:
            assert "network file system (cifs)" in err  # the note, on every run
    assert sorted(p.name for p in (share / ".khaudit").iterdir() if "catalogue" in p.name) == [
        "catalogue.sqlite.lock"
    ]
    (database,) = (tmp_path / "cache").rglob("catalogue.sqlite")
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 4
        assert db.execute("SELECT count(*) FROM scans WHERE complete = 0").fetchone()[0] == 0


@pytest.mark.parametrize("encoding", ["cp1252", "cp437"])
def test_the_cli_survives_a_console_with_a_code_page(tmp_path: Path, encoding: str):
    project = _small_project(tmp_path / "p")
    runs = [
        ["--lang", "vi", "--help"],
        ["--lang", "vi", "audit", str(tmp_path / "không-có.toml"), "--out", str(tmp_path / "x")],
    ]
    if encoding == "cp1252":  # a whole audit once: its lines name localities and statuses
        runs.append(["--lang", "vi", "audit", str(project), "--out", str(tmp_path / "run")])
    for args in runs:
        proc = subprocess.run(
            [sys.executable, "-m", "khaudit", *args],
            env={
                **os.environ,
                "PYTHONIOENCODING": encoding,
                "PYTHONUTF8": "0",
                "KHAUDIT_LANG": "vi",
            },
            capture_output=True,
            timeout=300,
        )
        err = proc.stderr.decode(encoding, errors="strict")
        assert "UnicodeEncodeError" not in err and "Traceback" not in err, err
        assert proc.returncode in (0, 2)
        said = (proc.stdout + proc.stderr).decode(encoding)  # in the console's own bytes
        assert "?" in said  # letters the code page lacks, replaced
    assert (tmp_path / "run" / "run.json").exists() == (encoding == "cp1252")


def _project_with_roots(tmp_path: Path, roots: list[str], inventories: str = "inv.csv") -> Path:
    (tmp_path / "inv.csv").write_text("STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.1,Báo cáo\n", "utf-8")
    quoted = ", ".join(f"'{r}'" for r in roots)
    path = tmp_path / "project.toml"
    path.write_text(
        f'title = "t"\nprovince = "p"\n[[locality]]\nname = "Xã A"\n'
        f"inventories = ['{inventories}']\nscan_roots = [{quoted}]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.skipif(os.name == "nt", reason="these paths exist on Windows")
def test_unc_and_drive_letter_roots_get_a_clear_message_off_windows(tmp_path: Path):
    path = _project_with_roots(
        tmp_path,
        [r"\\may-chu\so-hoa\Xã A", "D:\\so-hoa\\xa-a", "E:/scans"],
        r"\\may-chu\mục lục\*.xlsx",
    )
    with pytest.raises(ProjectError) as caught:
        load_project(path)
    problems = caught.value.problems
    assert len(problems) == 4
    assert (
        sum("UNC" in p for p in problems) == 2 and sum("drive letter" in p for p in problems) == 2
    )
    assert all("only Windows can reach" in p and "Mount the share" in p for p in problems)
    assert any(r"\\may-chu\so-hoa\Xã A" in p for p in problems)


def test_relative_paths_written_with_backslashes_mean_the_same_folders(tmp_path: Path):
    (tmp_path / "scans" / "xa-a").mkdir(parents=True)
    (tmp_path / "muc luc").mkdir()
    (tmp_path / "muc luc" / "inv.csv").write_text("STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.1,B\n", "utf-8")
    path = _project_with_roots(tmp_path, ["scans\\xa-a"], "muc luc\\*.csv")
    loc = load_project(path).localities[0]
    if os.name != "nt":
        assert loc.scan_roots == ((tmp_path / "scans" / "xa-a").resolve(),)
        assert [p.name for p, _ in loc.inventories] == ["inv.csv"]
    assert windows_kind(r"\\may-chu\so-hoa") == "unc" and windows_kind("C:\\") == "drive"
    assert windows_kind("/mnt/so-hoa") == windows_kind("//server/x") == windows_kind("a\\b") == ""
    assert native("a\\b", tmp_path) == tmp_path / ("a\\b" if os.name == "nt" else "a/b")


def test_sidecar_paths_written_by_windows_tools_find_their_scans():
    def entry(file: str) -> SidecarEntry:
        return SidecarEntry(file, "A.1", "t", 2, 2019, "metadata.csv row 2")

    written = [
        entry(r"\\may-chu\so-hoa\Xã A\Hộp 01\HS 01.pdf"),
        entry(r"D:\scan\Hộp 01\HS 02.PDF"),
        entry("Hộp 01\\HS 03.pdf"),
    ]
    index = SidecarIndex(written)
    for number, source in ((1, written[0]), (2, written[1]), (3, written[2])):
        relpath = PureWindowsPath(source.file).relative_to(PureWindowsPath(source.file).anchor)
        assert index.get(relpath.as_posix()) is source
        assert index.get(f"Hộp 01/hs 0{number}.pdf") is source  # case, as NTFS ignores it


def test_names_that_windows_would_merge_and_paths_too_long_for_it_are_reported(tmp_path):
    root = tmp_path / "scans"
    (root / "Hộp 01").mkdir(parents=True)
    (root / "Hộp 01" / "HS 01.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "Hộp 01" / "hs 01.PDF").write_bytes(b"%PDF-1.4\n")
    (root / "Hộp 01" / "HS 02.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "HỘP 01").mkdir()  # a folder Windows would merge with the first
    (root / "Straße.pdf").write_bytes(b"%PDF-1.4\n")  # NTFS does not fold ß into SS
    (root / "STRASSE.pdf").write_bytes(b"%PDF-1.4\n")
    deep = root / ("d" * 50) / ("e" * 50)
    deep.mkdir(parents=True)
    long_name = "f" * max(1, WINDOWS_MAX_PATH + 1 - len(str(deep)) - 1) + ".pdf"
    (deep / long_name).write_bytes(b"%PDF-1.4\n")
    problems: list = []
    for _ in walk_folders(root, problems):
        pass
    found = {(p.relpath, p.problem.split(":")[0]) for p in problems}
    twins = sorted(p.relpath for p in problems if "letter case" in p.problem)
    assert twins == ["Hộp 01", "Hộp 01/hs 01.PDF"], found
    assert any('"HS 01.pdf"' in p.problem for p in problems if p.relpath.endswith("hs 01.PDF"))
    longs = [p for p in problems if "characters" in p.problem]
    assert [p.relpath.rsplit("/", 1)[-1] for p in longs] == [long_name]
    with Catalogue() as cat:  # and they reach the run's scan problems through the catalogue
        cat.scan(root, workers=1)
        assert len(cat.problems([root])) == 3


def test_names_windows_reserves_are_mapped_in_bags_that_still_verify(tmp_path: Path):
    import bagit

    from khaudit.audit import audit
    from khaudit.handover.bagit_format import windows_safe
    from khaudit.handover.package import package_locality
    from khaudit.handover.verify import verify_bag

    names = ["CON.pdf", "nul", "HS 02.pdf.", "HS 03 ", "com1.tif", "A.1 aux.pdf", "a:b.pdf"]
    (tmp_path / "p" / "scans").mkdir(parents=True)
    rng = random.Random(3)
    for i, name in enumerate(names):
        (tmp_path / "p" / "scans" / name).write_bytes(sf.pdf_bytes(f"A.{i}", 1, rng))
    project = _project_with_roots(tmp_path / "p", ["scans"])
    run = audit(project, tmp_path / "run")
    out = tmp_path / "bag"
    package_locality(run.path, "Xã A", out)
    payload = {
        p.relative_to(out / "data" / "scans" / "scans").as_posix()
        for p in (out / "data" / "scans" / "scans").iterdir()
    }
    assert payload == {
        "_CON.pdf",
        "_nul",
        "HS 02.pdf_",
        "HS 03_",
        "_com1.tif",
        "A.1 aux.pdf",
        "a_b.pdf",
    }
    for name in payload:  # each one a name Windows creates as it is
        stem = PureWindowsPath(name).stem.split(".")[0].lower()
        assert stem not in {"con", "nul", "com1"} and not name.endswith((" ", "."))
    assert windows_safe("Hộp 01/HS 01.pdf") == "Hộp 01/HS 01.pdf"  # ordinary names unchanged
    assert verify_bag(out, workers=1).problems == []
    bagit.Bag(str(out)).validate()  # another tool agrees


def test_the_demo_without_make_runs_the_steps_make_demo_runs(monkeypatch: pytest.MonkeyPatch):
    from khaudit import devtasks

    root = Path(__file__).resolve().parents[1]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    assert "-m khaudit.devtasks demo --demo-dir $(DEMO_DIR) --run-dir $(RUN_DIR)" in makefile
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "python -m khaudit.devtasks demo" in readme and "python -m pytest -q" in readme
    ran: list[list[str]] = []
    monkeypatch.setattr(devtasks, "_run", lambda command: ran.append(command) or 0)
    assert devtasks.main(["demo", "--demo-dir", "d", "--run-dir", "r/demo"]) == 0
    assert all(c[:3] == [sys.executable, "-m", "khaudit"] for c in ran)
    assert [c[3] for c in ran] == ["demo", "audit", "demo", "audit", "history", "score"]
    assert ran[1][4:] == [
        "d/project.toml",
        "--out",
        "r/demo-2025-06-10",
        "--as-of",
        "2025-06-10",
        "--no-report",
    ]
    ran.clear()
    monkeypatch.setattr(devtasks, "_run", lambda command: ran.append(command) or 3)
    assert devtasks.main(["demo"]) == 3 and len(ran) == 1  # a failed step stops the demo
    ran.clear()
    monkeypatch.setattr(devtasks, "_run", lambda command: ran.append(command) or 0)
    assert devtasks.main(["test", "-x", "tests/test_atomic.py"]) == 0
    assert ran == [[sys.executable, "-m", "pytest", "-q", "-x", "tests/test_atomic.py"]]


def test_a_lock_is_shared_within_a_process_and_waits_then_names_its_holder(tmp_path: Path):
    from khaudit.errors import KhauditError
    from khaudit.fslock import FileLock, LockedError, read_holder, wait_limit

    path = tmp_path / "x.lock"
    with FileLock(path, wait=0):
        with FileLock(path, wait=0):  # a scan inside an audit: the same process, no deadlock
            pass
        holder = read_holder(path)
        assert holder["pid"] == str(os.getpid()) and holder["host"] and holder["since"]
        script = (
            "import sys\nfrom khaudit.fslock import FileLock\n"
            "FileLock(sys.argv[1], wait=0.5).acquire()\n"
        )
        other = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, timeout=120
        )
        assert other.returncode != 0 and b"LockedError" in other.stderr
        assert f"process {os.getpid()}".encode() in other.stderr
    assert read_holder(path)["pid"] == "?"  # let go: the file names nobody
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHAUDIT_LOCK_WAIT", "soon")
        with pytest.raises(KhauditError, match="KHAUDIT_LOCK_WAIT=soon"):
            wait_limit()
        mp.setenv("KHAUDIT_LOCK_WAIT", "2.5")
        assert wait_limit() == 2.5
    assert issubclass(LockedError, KhauditError)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="links and FIFOs made the POSIX way")
def test_a_lock_file_that_is_a_link_or_a_fifo_is_refused_and_nothing_is_truncated(
    tmp_path: Path,
):
    from khaudit.errors import KhauditError
    from khaudit.fslock import FileLock

    inventory = tmp_path / "muc-luc.csv"
    inventory.write_text("STT,Mã hồ sơ\n1,A.0\n", encoding="utf-8")
    os.symlink(inventory, tmp_path / "link.lock")  # left by someone, or planted
    os.mkfifo(tmp_path / "fifo.lock")
    for name in ("link.lock", "fifo.lock"):
        with pytest.raises(KhauditError, match="cannot be used as khaudit's lock file"):
            FileLock(tmp_path / name, wait=0).acquire()
    assert inventory.read_text(encoding="utf-8") == "STT,Mã hồ sơ\n1,A.0\n"  # not truncated


def test_the_readme_names_the_start_method_variable_beside_the_windows_commands():
    """A Linux user reproduces a Windows laptop's workers with the variable khaudit reads."""
    from khaudit.executor import START_METHOD_VARIABLE

    root = Path(__file__).resolve().parents[1]
    lines = (root / "README.md").read_text(encoding="utf-8").splitlines()
    windows = next(i for i, line in enumerate(lines) if line.startswith("On Windows"))
    named = [line for line in lines[windows : windows + 4] if START_METHOD_VARIABLE in line]
    assert named and "spawn" in named[0] and "forkserver" in named[0]
