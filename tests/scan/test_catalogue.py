"""The scan catalogue: incremental rescans, history, crash safety, concurrent readers."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from khaudit.demo import scanfiles as sf
from khaudit.scan.catalogue import SCHEMA_VERSION, Catalogue


def make_tree(root: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for i in range(n):
        folder = root / f"Hop {i // 10:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"HS {i:03d}.pdf").write_bytes(sf.pdf_bytes(f"r{i}", 1 + i % 4, rng))


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "scans"
    make_tree(root, 30)
    return root


def test_rescan_reads_only_what_changed_and_records_history(tree: Path, tmp_path: Path):
    with Catalogue(tmp_path / "cat.sqlite") as cat:
        first = cat.scan(tree, workers=1)
        assert (first.files, first.read, first.new) == (30, 30, 30)
        again = cat.scan(tree, workers=1)
        assert (again.read, again.unchanged) == (0, 30)

        changed = tree / "Hop 00" / "HS 001.pdf"
        changed.write_bytes(sf.pdf_bytes("new content", 2, random.Random(9)))
        os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
        (tree / "Hop 00" / "HS 002.pdf").unlink()
        (tree / "Hop 01" / "HS 010.pdf").rename(tree / "Hop 02" / "moved.pdf")
        (tree / "Hop 02" / "added.pdf").write_bytes(sf.pdf_bytes("added", 1, random.Random(3)))
        third = cat.scan(tree, workers=1)
        assert (third.read, third.changed, third.deleted, third.moved, third.new) == (3, 1, 1, 1, 1)
        events = cat.events(tree)
        kinds = {
            (k, p, o)
            for k, p, o in zip(events["kind"], events["path"], events["other_path"].fillna(""))
        }
        assert ("changed", "Hop 00/HS 001.pdf", "") in kinds
        assert ("deleted", "Hop 00/HS 002.pdf", "") in kinds
        assert ("moved", "Hop 01/HS 010.pdf", "Hop 02/moved.pdf") in kinds
        files = cat.files([tree])
        assert len(files) == 30 and "Hop 00/HS 002.pdf" not in set(files["path"])
        assert files.loc[files["path"] == "Hop 00/HS 001.pdf", "pages"].item() == 2


def test_asking_for_more_reads_again(tree: Path):
    with Catalogue() as cat:
        cat.scan(tree, pages=False, workers=1)
        assert cat.files([tree])["pages"].isna().all()
        assert cat.scan(tree, workers=1).read == 30  # page counts were not known
        assert cat.scan(tree, sha256=True, workers=1).read == 30  # nor SHA-256
        assert cat.files([tree])["sha256"].str.len().eq(64).all()
        assert cat.scan(tree, sha256=True, workers=1).read == 0
        assert cat.scan(tree, full=True, workers=1).read == 30


def test_a_reader_sees_the_catalogue_while_a_scan_writes(tree: Path, tmp_path: Path):
    path = tmp_path / "cat.sqlite"
    with Catalogue(path) as cat:
        cat.scan(tree, workers=1)
        cat.db.execute("BEGIN IMMEDIATE")
        cat.db.execute("DELETE FROM files")  # a writer mid-transaction
        reader = sqlite3.connect(path, timeout=1)
        assert reader.execute("SELECT count(*) FROM files").fetchone()[0] == 30
        reader.close()
        cat.db.rollback()


def test_non_utf8_and_nfd_names_are_kept(tmp_path: Path):
    root = tmp_path / "scans"
    root.mkdir()
    rng = random.Random(2)
    bad = os.fsencode(str(root)) + b"/h\xf4 s\xf5.pdf"
    with open(bad, "wb") as fh:
        fh.write(sf.pdf_bytes("x", 2, rng))
    nfd = "Hồ sơ".encode().decode()  # NFC
    import unicodedata

    (root / f"{unicodedata.normalize('NFD', nfd)}.pdf").write_bytes(sf.pdf_bytes("y", 1, rng))
    with Catalogue() as cat:
        cat.scan(root, workers=1)
        rows = cat.db.execute("SELECT path, path_bytes, pages, integrity FROM files").fetchall()
    by_path = {r[0]: r for r in rows}
    assert by_path["h\\xf4 s\\xf5.pdf"][1:] == (b"h\xf4 s\xf5.pdf", 2, "ok")
    assert by_path[unicodedata.normalize("NFD", "Hồ sơ.pdf")][2] == 1


def test_throttle_caps_the_read_rate(tree: Path):
    size = sum(p.stat().st_size for p in tree.rglob("*.pdf"))
    limit = size / 1e6 / 0.5  # the whole tree in no less than half a second
    start = time.monotonic()
    with Catalogue() as cat:
        cat.scan(tree, workers=1, max_mbps=limit)
    assert time.monotonic() - start >= 0.45


# The scan stands for a user's command: Ctrl-C interrupts it even when the test runner that
# starts it ignores SIGINT (an ignored signal is inherited across exec).
SCAN_SCRIPT = """
import signal
import sys
from pathlib import Path
from khaudit.scan.catalogue import Catalogue
signal.signal(signal.SIGINT, signal.default_int_handler)
with Catalogue(sys.argv[1]) as cat:
    cat.scan(Path(sys.argv[2]), workers=int(sys.argv[4]), max_mbps=float(sys.argv[3]))
"""


@pytest.mark.parametrize(
    ("stop", "workers"),
    [(signal.SIGKILL, 1), (signal.SIGINT, 2)],
    ids=["kill -9", "Ctrl-C with worker processes"],
)
def test_a_stopped_scan_leaves_whole_rows_and_the_next_scan_resumes(
    tmp_path: Path, stop: int, workers: int
):
    root = tmp_path / "scans"
    make_tree(root, 300, seed=4)
    size = sum(p.stat().st_size for p in root.rglob("*.pdf"))
    path = tmp_path / "cat.sqlite"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SCAN_SCRIPT,
            str(path),
            str(root),
            str(size / 1e6 / 20),
            str(workers),
        ],  # a 20-second scan, stopped
        stderr=subprocess.DEVNULL,
    )  # early (Ctrl-C prints a traceback)
    try:
        deadline = time.monotonic() + 120  # a loaded machine, spawned workers: slow to start
        committed = 0
        while time.monotonic() < deadline and committed < 40:
            time.sleep(0.2)
            if path.exists():
                try:
                    with sqlite3.connect(path, timeout=1) as db:
                        committed = db.execute("SELECT count(*) FROM files").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
        assert committed >= 40, "the scan did not commit in time"
    finally:
        proc.send_signal(stop)
        proc.wait(timeout=30)
        if stop == signal.SIGINT:
            assert proc.returncode != 0  # interrupted, not finished
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT xxh3_128, size, inspected FROM files").fetchall()
        assert all(len(h) == 32 and s > 0 and i == 1 for h, s, i in rows)
        assert db.execute("SELECT complete FROM scans").fetchone()[0] == 0
        _stamps_match_rows(db, root)  # no stamp vouches for rows that were not written
        done = len(rows)
    assert 40 <= done < 300
    with Catalogue(path) as cat:
        resumed = cat.scan(root, workers=1)
        assert (resumed.files, resumed.read, resumed.deleted) == (300, 300 - done, 0)
        assert len(cat.files([root])) == 300


def _stamps_match_rows(db: sqlite3.Connection, root: Path) -> int:
    """Every stamped folder's rows are exactly its listing now; returns how many are stamped."""
    from khaudit.scan.listing import listing_stamp
    from khaudit.scan.walk import walk_folders

    stamps = dict(db.execute("SELECT dir, stamp FROM folders").fetchall())
    for folder, files in walk_folders(root.resolve(), []):
        if folder not in stamps:
            continue
        rows = db.execute(
            "SELECT path, size, mtime_ns, inode FROM files WHERE dir = ? ORDER BY path", (folder,)
        ).fetchall()
        assert rows == sorted(f[1:] for f in files), folder
        assert stamps[folder] == listing_stamp(files)
    return len(stamps)


def test_a_folder_that_leaves_and_comes_back_is_read_again(tree: Path, tmp_path: Path):
    with Catalogue(tmp_path / "cat.sqlite") as cat:
        cat.scan(tree, workers=1)
        assert cat.scan(tree, workers=1).unchanged == 30  # every folder stamped now
        assert _stamps_match_rows(cat.db, tree) == 4  # the root and three boxes
        (tree / "Hop 01").rename(tmp_path / "away")
        assert cat.scan(tree, workers=1).deleted == 10
        (tmp_path / "away").rename(tree / "Hop 01")  # same names, sizes, mtimes and inodes
        back = cat.scan(tree, workers=1)
        assert (back.read, back.new) == (10, 10)
        assert len(cat.files([tree])) == 30


def test_identical_files_moved_together_each_find_their_own(tree: Path, tmp_path: Path):
    body = sf.pdf_bytes("copy", 1, random.Random(5))
    for name in ("a.pdf", "b.pdf"):
        (tree / "Hop 00" / name).write_bytes(body)
    with Catalogue(tmp_path / "cat.sqlite") as cat:
        cat.scan(tree, workers=1)
        for name in ("a.pdf", "b.pdf"):
            (tree / "Hop 00" / name).rename(tree / "Hop 02" / name)
        moved = cat.scan(tree, workers=1)
        assert (moved.moved, moved.deleted, moved.new) == (2, 0, 0)
        events = cat.events(tree)
        pairs = set(zip(events["path"], events["other_path"]))
        assert {("Hop 00/a.pdf", "Hop 02/a.pdf"), ("Hop 00/b.pdf", "Hop 02/b.pdf")} <= pairs


def test_a_version_1_catalogue_is_upgraded_in_place(tree: Path, tmp_path: Path):
    path = tmp_path / "cat.sqlite"
    with Catalogue(path) as cat:
        cat.scan(tree, workers=1)
    with sqlite3.connect(path) as db:  # as version 1 left it: no stamps, an index on hashes
        db.executescript(
            "DROP TABLE folders; CREATE INDEX files_hash ON files (xxh3_128);"
            "CREATE TABLE seen_dirs (scan_id INTEGER, root TEXT, dir TEXT);"
            "PRAGMA user_version = 1;"
        )
    with Catalogue(path) as cat:
        assert cat.scan(tree, workers=1).read == 0
        assert cat.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in cat.db.execute("SELECT name FROM sqlite_master")}
        assert "files_hash" not in names and "seen_dirs" not in names and "folders" in names
        assert _stamps_match_rows(cat.db, tree) == 4


def test_a_version_3_catalogue_reads_its_pdfs_again_once(tree: Path, tmp_path: Path):
    path = tmp_path / "cat.sqlite"
    jpeg = tree / "Hop 00" / "page.jpg"
    jpeg.write_bytes(sf.jpeg_series("p", 1, random.Random(2))[0])
    with Catalogue(path) as cat:
        cat.scan(tree, workers=1)
    with sqlite3.connect(path) as db:  # as version 3 left it: no PDF/A, no PDF resolution
        db.executescript(
            "ALTER TABLE files DROP COLUMN pdfa; UPDATE files SET dpi = NULL, "
            "color_mode = '' WHERE format = 'pdf'; PRAGMA user_version = 3;"
        )
    with Catalogue(path) as cat:
        summary = cat.scan(tree, workers=1)
        assert summary.read == 30 and summary.changed == 0  # the PDFs, not the JPEG
        assert cat.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = cat.files([tree])
        pdfs = rows[rows["format"] == "pdf"]
        assert (pdfs["dpi"] == sf.DPI).all() and (pdfs["color_mode"] == "L").all()
        assert (rows["pdfa"] == "").all()
        assert cat.scan(tree, workers=1).read == 0


def test_listing_and_reading_on_worker_processes_give_the_same_catalogue(
    tmp_path: Path, monkeypatch
):
    from khaudit.scan import scanpass

    monkeypatch.setattr(scanpass, "_SMALL_TREE", 0)  # rescans list on the workers too
    root = tmp_path / "scans"
    for box in range(3):  # nested folders, so the walk fans out over several tasks
        make_tree(root / f"Kho {box}" / "Nam 2019", 40, seed=box)
    (root / "Kho 1" / "Nam 2019" / "Hop 00" / "empty.pdf").write_bytes(b"")
    os.symlink(tmp_path, root / "Kho 2" / "up")  # a problem, wherever it is found
    tables, summaries = [], []
    for workers in (1, 2):
        with Catalogue(tmp_path / f"cat-{workers}.sqlite") as cat:
            first = cat.scan(root, workers=workers)
            again = cat.scan(root, workers=workers)
            tables.append(cat.files([root]))
            summaries.append(
                (
                    first.files,
                    first.read,
                    first.new,
                    again.unchanged,
                    again.read,
                    [(p.relpath, p.problem) for p in first.problems],
                )
            )
            assert _stamps_match_rows(cat.db, root) == 3 * 5 + 3 + 1  # boxes, years, the root
    assert summaries[0] == summaries[1]
    assert summaries[0][:5] == (121, 121, 121, 121, 0)
    pd.testing.assert_frame_equal(tables[0], tables[1])


def test_changes_stay_listed_until_an_audit_has_reported_them(tree: Path, tmp_path: Path):
    with Catalogue(tmp_path / "cat.sqlite") as cat:
        first = cat.scan(tree, workers=1)
        cat.mark_audited({first.root: first.scan_id})
        (tree / "Hop 00" / "HS 002.pdf").unlink()
        cat.scan(tree, workers=1)  # a `khaudit scan` between two audits sees the deletion...
        later = cat.scan(tree, workers=1)
        changes = cat.changes_since_audit(tree, later.scan_id)
        assert list(zip(changes["kind"], changes["path"])) == [("deleted", "Hop 00/HS 002.pdf")]
        cat.mark_audited({later.root: later.scan_id})  # ...and the next audit reports it
        assert cat.changes_since_audit(tree, later.scan_id).empty


class _RecordingPool:
    """Runs each task at once in this process, as a one-worker pool does, and keeps the
    number of files of every read task, so their sizes can be checked."""

    inline = True
    capacity = 1

    def __init__(self) -> None:
        from khaudit.executor import Pool

        self.inner = Pool(in_process=True)
        self.reads: list[int] = []

    def submit(self, func, job):
        if func.__name__ == "inspect_files":
            self.reads.append(len(job[0]))
        return self.inner.submit(func, job)


@pytest.mark.parametrize(
    ("pages", "sizes"),
    [(False, [32, 64, 128, 256, 256, 64]), (True, [32] + [64] * 12)],
    ids=["hash only", "full inspection"],
)
def test_read_tasks_start_small_and_grow_to_a_cap_that_a_hash_only_scan_sets_higher(
    tmp_path: Path, pages: bool, sizes: list[int]
):
    """The workers get work early and a small tree spreads over them; a hash-only scan,
    whose files cost a tenth of an inspection's, sends fewer, larger tasks. Every file is
    read once whatever the tasks' sizes, and each row is whole."""
    from khaudit.scan.scanpass import ScanPass

    root = tmp_path / "scans"
    for i in range(800):
        folder = root / f"Hop {i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"HS {i:03d}.pdf").write_bytes(b"%PDF-1.4\n" + i.to_bytes(4, "big"))
    pool = _RecordingPool()
    with Catalogue(tmp_path / "cat.sqlite") as cat:
        scan = ScanPass(cat.db, frozenset(), root.resolve(), 1, False, pages, False, 0.0, "scan")
        scan.run(pool)  # type: ignore[arg-type]
        rows = cat.db.execute("SELECT xxh3_128, size FROM files").fetchall()
    assert pool.reads == sizes and sum(sizes) == 800
    assert len(rows) == 800 and all(len(h) == 32 and s == 13 for h, s in rows)
