"""The scan catalogue: every file ever seen under the scan roots, in one SQLite database.

Why a database: a province is re-audited many times before the handover, and re-reading
terabytes each time would take days. The catalogue remembers each file's size, mtime, inode,
hashes and inspection; a rescan reads only files whose size, mtime or inode changed.

- Embedded, no server: SQLite in WAL mode, so a notebook can read while a scan writes. WAL
  needs memory shared between its users, which a network file system does not give: a
  catalogue asked for on one is kept in the local cache (:mod:`.location`), and one writer
  at a time holds its lock (:mod:`khaudit.fslock`).
- Crash-safe: results are committed in small transactions; a scan killed with ``kill -9``
  leaves only whole rows, and the next scan resumes (committed files are not read again).
  Deletions are only concluded at the end of a complete walk.
- History: deleted, changed and moved files (a new path with the hash of a deleted one) are
  recorded as events of the scan that saw them.
- Folder stamps: a digest of each folder's listing (names, sizes, mtimes, inodes) as of the
  rows the catalogue holds for it. A rescan still looks at every file's size, mtime and inode,
  but a folder whose listing digests to its stamp needs no catalogue read at all. A stamp is
  written only in the transaction that makes the folder's rows match it (or later), and
  dropped before any of its rows change, so a crash never leaves a stamp vouching for rows
  that are not there.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

import pandas as pd
import xxhash

from ..errors import KhauditError
from ..executor import Pool
from ..fslock import FileLock
from ..i18n import language, set_language, t
from ..progress import bar
from .inspect import inspect_file
from .location import place_catalogue
from .walk import Folder, Listed, WalkProblem, list_folder, relpath_bytes, role_of

#: Columns of a scan table (the scan half of files.csv, before matching adds its verdicts).
SCAN_COLUMNS = [
    "locality",
    "root",
    "path",
    "role",
    "size",
    "mtime",
    "inode",
    "xxh3_128",
    "sha256",
    "format",
    "pages",
    "dpi",
    "color_mode",
    "integrity",
    "integrity_note",
    "pdfa",
]
_FACT_COLUMNS = [
    "size",
    "mtime",
    "mtime_ns",
    "inode",
    "xxh3_128",
    "sha256",
    "format",
    "pages",
    "dpi",
    "color_mode",
    "integrity",
    "integrity_note",
    "pdfa",
    "first_page_text",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    root TEXT NOT NULL, path TEXT NOT NULL, dir TEXT NOT NULL, path_bytes BLOB,
    role TEXT, size INTEGER, mtime REAL, mtime_ns INTEGER, inode INTEGER,
    xxh3_128 TEXT, sha256 TEXT, format TEXT, pages INTEGER, dpi INTEGER, color_mode TEXT,
    integrity TEXT, integrity_note TEXT, pdfa TEXT, first_page_text TEXT, inspected INTEGER,
    first_seen INTEGER, last_seen INTEGER, read_in INTEGER,
    PRIMARY KEY (root, dir, path)  -- a folder's rows are contiguous: one range read per folder
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS files_path ON files (root, path);
CREATE TABLE IF NOT EXISTS scans (
    scan_id INTEGER PRIMARY KEY, root TEXT, started REAL, finished REAL, complete INTEGER,
    files INTEGER, files_read INTEGER, bytes_read INTEGER
);
CREATE TABLE IF NOT EXISTS events (
    scan_id INTEGER, root TEXT, kind TEXT, path TEXT, other_path TEXT, xxh3_128 TEXT
);
CREATE TABLE IF NOT EXISTS problems (scan_id INTEGER, root TEXT, path TEXT, problem TEXT);
CREATE TABLE IF NOT EXISTS gone (scan_id INTEGER, root TEXT, path TEXT);
CREATE INDEX IF NOT EXISTS gone_key ON gone (root, scan_id, path);
CREATE TABLE IF NOT EXISTS folders (
    root TEXT NOT NULL, dir TEXT NOT NULL, stamp BLOB NOT NULL, level INTEGER NOT NULL,
    PRIMARY KEY (root, dir)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audited (root TEXT PRIMARY KEY, scan_id INTEGER NOT NULL)
    WITHOUT ROWID;
"""

#: 2 added folder stamps and dropped the index on xxh3_128 (a third of the cost of writing a
#: row, and only moved-file detection needs hashes, which reads the scan's new rows at once)
#: and the seen_dirs table (the folders a scan saw are kept in memory: only that scan reads them).
#: A version 1 catalogue is upgraded in place: no stamps yet simply means the first rescan
#: compares file by file, as version 1 did. 3 added the audit marks (``audited``): the last
#: scan of each root that a completed audit reported, so the next reports what changed since.
#: 4 added the PDF/A claim (``pdfa``), and PDFs gained resolution and colour; 5 the first
#: page's text of searchable PDFs (``first_page_text``). An older catalogue gains the columns
#: it lacks; its PDFs, and its images judged damaged (the pixel guard once failed large valid
#: ones), are marked uninspected and their folders' stamps stop vouching for inspection, so
#: the next scan reads just those files again.
SCHEMA_VERSION = 5
_UPGRADABLE = (0, 1, 2, 3, 4)
_UPGRADE = "DROP INDEX IF EXISTS files_hash; DROP TABLE IF EXISTS seen_dirs;"
_ADDED_COLUMNS = {"pdfa": "TEXT", "first_page_text": "TEXT"}
_REINSPECT = (
    "UPDATE files SET inspected = 0 WHERE format = 'pdf' "
    "OR (format IN ('tiff', 'jpeg', 'png') AND integrity != 'ok');"
    "UPDATE folders SET level = level & ~2;"
)  # 2: _INSPECTED, below
#: Facts a folder stamp vouches for: SHA-256 known, inspection done (see ``_level``).
_HAS_SHA256, _INSPECTED = 1, 2
_TASK_FILES = 64  # files per task sent to a worker, at most...
_TASK_BYTES = 64 << 20  # ...and about this many bytes, so large files spread over workers
_COMMIT_SECONDS = 1.0
_INTEGRITY = _FACT_COLUMNS.index("integrity")
_ROW_FACTS = 5  # a catalogue row (see ``_row``): root, path, dir, path_bytes, role, *facts, ...
_ROW_PATH, _ROW_DIR = 1, 2
_ROW_SIZE = _ROW_FACTS + _FACT_COLUMNS.index("size")
_ROW_XXH3 = _ROW_FACTS + _FACT_COLUMNS.index("xxh3_128")
_ROW_SHA256 = _ROW_FACTS + _FACT_COLUMNS.index("sha256")
_ROW_INSPECTED = _ROW_FACTS + len(_FACT_COLUMNS)


def listing_stamp(files: list) -> bytes:
    """A digest of a folder's listing as the walk gives it (sorted by name).

    ``marshal`` version 2 writes values only (no back-references, which depend on how objects
    are shared in memory), so the same listing always gives the same bytes; it is 4-5x faster
    than ``repr``. Another Python may serialise differently: then stamps simply do not match
    and that one rescan compares file by file.
    """
    return xxhash.xxh3_128_digest(marshal.dumps(files, 2))


def _level(sha256: bool, pages: bool) -> int:
    return (_HAS_SHA256 if sha256 else 0) | (_INSPECTED if pages else 0)


@dataclass
class ScanSummary:
    root: str
    scan_id: int
    files: int = 0
    read: int = 0
    unchanged: int = 0
    bytes_read: int = 0
    new: int = 0
    changed: int = 0
    deleted: int = 0
    moved: int = 0
    seconds: float = 0.0
    problems: list[WalkProblem] = field(default_factory=list)

    def line(self) -> str:
        rate = self.bytes_read / self.seconds / 1e6 if self.seconds else 0.0
        return t(
            "scan.summary",
            root=self.root,
            files=self.files,
            read=self.read,
            unchanged=self.unchanged,
            new=self.new,
            changed=self.changed,
            moved=self.moved,
            deleted=self.deleted,
            problems=len(self.problems),
            seconds=self.seconds,
            rate=rate,
        )


#: Columns of the changes the catalogue recorded (``Catalogue.changes_since_audit``): the run
#: table scan_changes (run.CHANGE_COLUMNS) but for its locality column.
SCAN_CHANGE_COLUMNS = ["root", "kind", "path", "other_path", "xxh3_128", "scan_id", "scanned_at"]


@dataclass
class ScanResult:
    files: pd.DataFrame
    problems: list[WalkProblem] = field(default_factory=list)
    summaries: list[ScanSummary] = field(default_factory=list)
    #: Files changed, moved or deleted since the last audit of each root (SCAN_CHANGE_COLUMNS,
    #: after a locality column).
    changes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["locality", *SCAN_CHANGE_COLUMNS])
    )
    #: Root, path and the head of the first-page text of every searchable PDF (texts=True).
    texts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["root", "path", "first_page_text"])
    )


_FACTS = attrgetter(*_FACT_COLUMNS)  # a FileFacts as a row's facts, in one call


def _inspect(job: tuple[list[str], bool, bool]) -> list[tuple]:
    paths, sha256, pages = job
    return [_FACTS(inspect_file(p, sha256=sha256, pages=pages)) for p in paths]


_UPSERT = (
    "INSERT INTO files (root, path, dir, path_bytes, role, size, mtime, mtime_ns, inode, "
    "xxh3_128, sha256, format, pages, dpi, color_mode, integrity, integrity_note, pdfa, "
    "first_page_text, inspected, first_seen, last_seen, read_in) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (root, dir, path) DO UPDATE SET "
    "path_bytes = excluded.path_bytes, role = excluded.role, size = excluded.size, "
    "mtime = excluded.mtime, mtime_ns = excluded.mtime_ns, inode = excluded.inode, "
    "xxh3_128 = excluded.xxh3_128, sha256 = excluded.sha256, format = excluded.format, "
    "pages = excluded.pages, dpi = excluded.dpi, color_mode = excluded.color_mode, "
    "integrity = excluded.integrity, integrity_note = excluded.integrity_note, "
    "pdfa = excluded.pdfa, first_page_text = excluded.first_page_text, "
    "inspected = excluded.inspected, last_seen = excluded.last_seen, "
    "read_in = excluded.read_in"
)
_CHANGED = (
    "INSERT INTO events (scan_id, root, kind, path, xxh3_128) "
    "SELECT ?, root, 'changed', path, xxh3_128 FROM files "
    "WHERE root = ? AND path = ? AND xxh3_128 IS NOT ? AND xxh3_128 != ''"
)
_WALK_FOLDERS = 64  # folders listed per walk task, at most
_SMALL_TREE = 64  # a known root with fewer folders is listed in this process

#: A folder as a walk task reports it: (readable relative path, number of files, the files or
#: None when they digest to the stamp the task was given, their stamp, subfolders, problems).
FolderListing = tuple[str, int, "list[Listed] | None", bytes, list[Folder], list[WalkProblem]]


def _walk(
    job: tuple[Path, list[Folder], frozenset[str], dict[str, bytes], str],
) -> list[FolderListing]:
    """List folders on a worker. A folder whose listing digests to its stamp comes back as a
    count: an unchanged tree sends back little more than its folder names."""
    root, folders, exclude, expected, lang = job
    set_language(lang)  # problems are written in the scan's language wherever they are found
    real_root = os.path.realpath(root)
    out: list[FolderListing] = []
    for folder in folders:
        problems: list[WalkProblem] = []
        files, subfolders = list_folder(root, folder, problems, exclude, real_root)
        stamp = listing_stamp(files)
        same = expected.get(folder[1]) == stamp
        out.append((folder[1], len(files), None if same else files, stamp, subfolders, problems))
    return out


@dataclass(slots=True)
class _Reading:
    """A folder whose changed files are being read: its stamp is written once the last of
    them is, and only if every fact asked for is known and no file of it vanished."""

    stamp: bytes
    pending: int = 0  # reads submitted, not yet written
    stampable: bool = True
    listed: bool = False  # every read of the folder has been submitted


class _Pass:
    """One scan of one root: folders are listed (on the workers when rescanning a large known
    tree), their listings compared with the catalogue here, what changed is read on the
    workers, and the rows written here.

    Tasks depend on earlier results (a folder's subfolders are known once it is listed), so
    the pass submits them itself, keeping a bounded number in flight, and handles results in
    the order it asked for them.
    """

    def __init__(
        self,
        cat: Catalogue,
        root: Path,
        scan_id: int,
        sha256: bool,
        pages: bool,
        full: bool,
        max_mbps: float,
        desc: str,
    ):
        self.db = cat.db
        self.root, self.key, self.scan_id = root, str(root), scan_id
        self.sha256, self.pages, self.full, self.max_mbps = sha256, pages, full, max_mbps
        self.level = _level(sha256, pages)
        self.exclude = frozenset(
            {cat.path, cat.path + "-wal", cat.path + "-shm", cat.path + "-journal", cat.lock_path}
        )
        self.summary = ScanSummary(root=self.key, scan_id=scan_id)
        self.started = time.time()
        self.reading_since: float | None = None  # when the first read came back (the throttle)
        self.bar = bar(desc=desc or f"scan {root.name}", unit=" files", leave=False)
        #: Stamps of folders not listed yet (those left at the end were not seen).
        self.stamps = {
            folder: (stamp, have)
            for folder, stamp, have in self.db.execute(
                "SELECT dir, stamp, level FROM folders WHERE root = ?", (self.key,)
            )
        }
        self.seen: set[str] = set()
        self.gone: list[tuple[int, str, str]] = []
        self.existed: set[str] = set()
        self.new_stamps: list[tuple[str, str, bytes, int]] = []
        #: Folders whose files are being read, until their stamp can be written.
        self.reading: dict[str, _Reading] = {}
        self.batch: list[Listed] = []
        self.batch_bytes = 0
        self.reads: deque[tuple[list[Listed], Any]] = deque()
        self.last_commit = time.monotonic()

    def run(self, pool: Pool) -> None:
        self.pool = pool
        self.read_limit = 1 if pool.inline else max(2, 4 * pool.capacity)
        # Listing runs on the workers for a rescan of a tree the catalogue knows, where it is
        # most of the work. Here for a small known tree (starting workers would cost more
        # than listing it, and an unchanged one then starts none at all) and for a first
        # scan, where reading is the work: listing here keeps the workers reading, and no
        # listing goes to a worker and back before its files can be sent out to be read.
        first = (
            not self.stamps
            and self.db.execute(
                "SELECT 1 FROM files WHERE root = ? LIMIT 1", (self.key,)
            ).fetchone()
            is None
        )
        walker = Pool(in_process=True) if first or len(self.stamps) < _SMALL_TREE else pool
        walk_limit = 2 * walker.capacity
        lang = language()
        stack: list[Folder] = [(self.key, "")]  # depth first: the stack stays short
        walks: deque[Any] = deque()
        while stack or walks:
            while stack and len(walks) < walk_limit:
                size = max(1, min(_WALK_FOLDERS, len(stack) // (2 * walker.capacity)))
                chunk, stack[-size:] = stack[-size:], []
                expected = {
                    rel: self.stamps[rel][0]
                    for _, rel in chunk
                    if rel in self.stamps
                    and not self.full
                    and self.stamps[rel][1] & self.level == self.level
                }
                walks.append(walker.submit(_walk, (self.root, chunk, self.exclude, expected, lang)))
            for listing in walks.popleft().result():
                stack.extend(reversed(listing[4]))
                self._compare(listing)
        if self.batch:
            self._submit_read()
        while self.reads:
            self._finish_read()
        self.bar.close()
        self._commit()

    def _compare(self, listing: FolderListing) -> None:
        """A listed folder against the catalogue's rows: what to read, what is gone."""
        folder, count, files, stamp, _, problems = listing
        self.seen.add(folder)
        self.summary.problems.extend(problems)
        self.summary.files += count
        old_stamp = self.stamps.pop(folder, None)
        if files is None:  # the listing digests to the folder's stamp
            self.summary.unchanged += count
            self.bar.update(count)
            return
        if old_stamp is not None:  # dropped before any of the folder's rows change
            self.db.execute("DELETE FROM folders WHERE root = ? AND dir = ?", (self.key, folder))
        known = {
            row[0]: row[1:]
            for row in self.db.execute(
                "SELECT path, size, mtime_ns, inode, sha256, inspected FROM files "
                "WHERE root = ? AND dir = ?",
                (self.key, folder),
            )
        }
        state = self.reading[folder] = _Reading(stamp)
        unchanged = 0
        for item in files:
            old = known.pop(item[1], None)
            if (
                old is not None
                and not self.full
                and old[:3] == item[2:]
                and (old[3] or not self.sha256)
                and (old[4] or not self.pages)
            ):
                unchanged += 1
                continue
            if old is None:
                self.summary.new += 1
            else:
                self.existed.add(item[1])
            state.pending += 1
            self._add(item)
        self.gone.extend((self.scan_id, self.key, path) for path in known)
        self.summary.unchanged += unchanged
        self.bar.update(unchanged)
        state.listed = True
        if known:  # vanished files: stamped by a later scan, once they are concluded
            state.stampable = False
        self._stamp_if_done(folder, state)
        if time.monotonic() - self.last_commit > _COMMIT_SECONDS:
            self._commit()

    def _add(self, item: Listed) -> None:
        self.batch.append(item)
        self.batch_bytes += item[2]
        if len(self.batch) >= _TASK_FILES or self.batch_bytes >= _TASK_BYTES:
            self._submit_read()

    def _submit_read(self) -> None:
        while len(self.reads) >= self.read_limit:
            self._finish_read()
        job = ([item[0] for item in self.batch], self.sha256, self.pages)
        self.reads.append((self.batch, self.pool.submit(_inspect, job)))
        self.batch, self.batch_bytes = [], 0

    def _finish_read(self) -> None:
        batch, future = self.reads.popleft()
        rows = [self._row(item, facts) for item, facts in zip(batch, future.result())]
        existing = [r for r in rows if r[_ROW_PATH] in self.existed]
        if existing:
            changed = self.db.executemany(
                _CHANGED, [(self.scan_id, self.key, r[_ROW_PATH], r[_ROW_XXH3]) for r in existing]
            )
            self.summary.changed += max(0, changed.rowcount)
        self.db.executemany(_UPSERT, rows)
        for row in rows:
            state = self.reading[row[_ROW_DIR]]
            state.pending -= 1
            if (self.sha256 and not row[_ROW_SHA256]) or (self.pages and not row[_ROW_INSPECTED]):
                state.stampable = False  # an unreadable file: the next scan tries it again
            self._stamp_if_done(row[_ROW_DIR], state)
        summary = self.summary
        summary.read += len(rows)
        summary.bytes_read += sum(r[_ROW_SIZE] or 0 for r in rows)
        self.bar.update(len(rows))
        elapsed = time.time() - self.started
        if elapsed:
            self.bar.set_postfix_str(
                f"{summary.bytes_read / elapsed / 1e6:.0f} MB/s", refresh=False
            )
        if self.max_mbps > 0:
            self._throttle(summary.bytes_read)
        if time.monotonic() - self.last_commit > _COMMIT_SECONDS:
            self._commit()

    def _throttle(self, bytes_read: int) -> None:
        """Keep reading under ``max_mbps``, timed from the first file read: time spent
        listing a large tree, or starting worker processes (seconds each under spawn), must
        not buy a burst at full speed that the cap is there to spare the share from."""
        now = time.monotonic()
        if self.reading_since is None:
            self.reading_since = now
        ahead = bytes_read / (self.max_mbps * 1e6) - (now - self.reading_since)
        if ahead > 0:
            time.sleep(ahead)

    def _stamp_if_done(self, folder: str, state: _Reading) -> None:
        """Once a listed folder's last read is written, queue its stamp (written after them)."""
        if state.listed and state.pending == 0:
            del self.reading[folder]
            if state.stampable:
                self.new_stamps.append((self.key, folder, state.stamp, self.level))

    def _row(self, item: Listed, facts: tuple) -> tuple:
        abspath, relpath = item[0], item[1]
        folder, _, name = relpath.rpartition("/")
        inspected = int(self.pages and facts[_INTEGRITY] != "unreadable")
        return (
            self.key,
            relpath,
            folder,
            relpath_bytes(self.key, abspath, relpath),
            role_of(name),
            *facts,
            inspected,
            self.scan_id,
            self.scan_id,
            self.scan_id,
        )

    def _commit(self) -> None:
        self.db.executemany("INSERT INTO gone VALUES (?, ?, ?)", self.gone)
        self.db.executemany("INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)", self.new_stamps)
        self.gone.clear()
        self.new_stamps.clear()
        self.db.commit()
        self.last_commit = time.monotonic()


class Catalogue:
    """One catalogue file (or ``":memory:"`` for a one-off scan)."""

    def __init__(self, path: str | Path = ":memory:", lock: bool = True):
        """Open (or create) the catalogue asked for at ``path``.

        A catalogue on a network file system is kept in the local cache instead (see
        :mod:`.location`; ``note`` says so). With ``lock``, this process is the catalogue's
        only writer until :meth:`close` (another waits, then stops with a message naming
        the holder, see :mod:`khaudit.fslock`); a reader that writes nothing passes False.
        """
        self.note = ""
        self._lock: FileLock | None = None
        self.path = str(path)
        self.lock_path = ""
        if self.path != ":memory:":
            self._open_file(path, lock)
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self._setup_when_free()
        except BaseException:
            self.close()
            raise

    def _open_file(self, path: str | Path, lock: bool) -> None:
        """Place the file (local, or the cache for a network folder) and take its lock."""
        where = place_catalogue(path)
        self.path, self.note, self.lock_path = str(where.database), where.note, str(where.lock)
        if lock:
            self._lock = FileLock(where.lock, what=t("catalogue.what", path=path))
            self._lock.acquire()
        try:
            where.database.parent.mkdir(parents=True, exist_ok=True)
        except BaseException:
            self._release()
            raise

    def _setup_when_free(self) -> None:
        for attempt in range(100):  # a reader starting at once: the schema waits its turn
            try:
                self._setup()
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                self.db.rollback()
                time.sleep(0.05 * (1 + attempt % 10))

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _setup(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (*_UPGRADABLE, SCHEMA_VERSION):
            raise KhauditError(
                t("err.catalogue.version", path=self.path, version=version, ours=SCHEMA_VERSION)
            )
        if version != SCHEMA_VERSION:
            self.db.executescript(_UPGRADE + SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(files)")}
            missing = [name for name in _ADDED_COLUMNS if name not in columns]
            for name in missing:
                self.db.execute(f"ALTER TABLE files ADD COLUMN {name} {_ADDED_COLUMNS[name]}")
            if missing:
                self.db.executescript(_REINSPECT)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.commit()

    def close(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
        self._release()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- scanning ------------------------------------------------------------------------------
    def scan(
        self,
        root: Path,
        sha256: bool = False,
        pages: bool = True,
        workers: int = 0,
        max_mbps: float = 0.0,
        full: bool = False,
        desc: str = "",
    ) -> ScanSummary:
        """Bring the catalogue up to date with ``root``; read only what changed.

        Each folder's listing is compared with the catalogue's rows for it: unchanged files
        (size, mtime and inode equal, and the facts asked for known) cost no read and no write;
        files no longer listed are remembered as gone and concluded (deleted or moved) only
        when the whole walk completes. ``full`` re-reads every file; ``max_mbps`` caps the
        read rate for a network share. Reading runs on the workers, and so does listing
        when a large tree the catalogue knows is rescanned.
        """
        root = Path(root).resolve()
        key = str(root)
        started = time.time()
        cur = self.db.execute(
            "INSERT INTO scans (root, started, complete) VALUES (?, ?, 0)", (key, started)
        )
        scan_id = int(cur.lastrowid or 0)
        self.db.commit()
        scan = _Pass(
            self, root, scan_id, sha256=sha256, pages=pages, full=full, max_mbps=max_mbps, desc=desc
        )
        with Pool(workers) as pool:
            scan.run(pool)
        summary = scan.summary
        summary.problems.sort(key=lambda p: p.relpath)  # the same whichever worker listed what
        self._conclude(key, scan_id, summary, scan.seen, scan.stamps)
        summary.seconds = time.time() - started
        self.db.execute(
            "UPDATE scans SET finished = ?, complete = 1, files = ?, files_read = ?, "
            "bytes_read = ? WHERE scan_id = ?",
            (time.time(), summary.files, summary.read, summary.bytes_read, scan_id),
        )
        self.db.execute("DELETE FROM problems WHERE root = ?", (key,))
        self.db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?)",
            [(scan_id, key, p.relpath, p.problem) for p in summary.problems],
        )
        self.db.commit()
        return summary

    def _conclude(
        self,
        key: str,
        scan_id: int,
        summary: ScanSummary,
        seen: set[str],
        unseen_stamps: Iterable[str],
    ) -> None:
        """After a complete walk: files gone from a listed folder, or whose folder is gone,
        are deleted, or moved when a file first seen in this scan has their hash.

        Costs what changed, not the size of the catalogue: gone files are looked up by path,
        and the folders holding rows are found by one index seek each."""
        gone = self.db.execute(
            "SELECT path, xxh3_128 FROM files WHERE root = ? AND path IN "
            "(SELECT path FROM gone WHERE scan_id = ? AND root = ?)",
            (key, scan_id, key),
        ).fetchall()
        for folder in self._folders_with_rows(key):
            if folder not in seen:
                gone += self.db.execute(
                    "SELECT path, xxh3_128 FROM files WHERE root = ? AND dir = ?", (key, folder)
                ).fetchall()
        gone.sort()
        arrived: dict[str, list[str]] = {}  # hash -> paths first seen in this scan
        if gone:
            for digest, path in self.db.execute(
                "SELECT xxh3_128, path FROM files WHERE root = ? AND first_seen = ? "
                "AND xxh3_128 != '' ORDER BY path DESC",
                (key, scan_id),
            ):
                arrived.setdefault(digest, []).append(path)
        for path, digest in gone:
            candidates = arrived.get(digest) if digest else None
            moved_to = candidates.pop() if candidates else None  # each arrival explains one
            kind = "moved" if moved_to else "deleted"
            self.db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                (scan_id, key, kind, path, moved_to, digest),
            )
            if moved_to:
                summary.moved += 1
                summary.new -= 1
            else:
                summary.deleted += 1
            self.db.execute("DELETE FROM files WHERE root = ? AND path = ?", (key, path))
        self.db.executemany(
            "DELETE FROM folders WHERE root = ? AND dir = ?",
            [(key, folder) for folder in unseen_stamps],
        )
        self.db.execute("DELETE FROM gone WHERE root = ?", (key,))

    def _folders_with_rows(self, key: str) -> Iterator[str]:
        """Each folder holding rows under ``key``, by seeking the primary key (a skip scan)."""
        row = self.db.execute(
            "SELECT dir FROM files WHERE root = ? ORDER BY dir LIMIT 1", (key,)
        ).fetchone()
        while row is not None:
            yield row[0]
            row = self.db.execute(
                "SELECT dir FROM files WHERE root = ? AND dir > ? ORDER BY dir LIMIT 1",
                (key, row[0]),
            ).fetchone()

    # -- reading -----------------------------------------------------------------------------
    def files(self, roots: list[Path]) -> pd.DataFrame:
        """The current rows for ``roots`` (as the last scan of each saw them)."""
        keys = [str(Path(r).resolve()) for r in roots]
        marks = ",".join("?" * len(keys))
        # Read in chunks into compact (Arrow-backed) columns: a million rows as Python tuples
        # would take gigabytes; this way the table costs about its own size.
        chunks = []
        for chunk in pd.read_sql_query(
            f"SELECT root, path, role, size, mtime, inode, xxh3_128, sha256, format, pages, "
            f"dpi, color_mode, integrity, integrity_note, pdfa FROM files "
            f"WHERE root IN ({marks}) "
            f"ORDER BY root, path",
            self.db,
            params=keys,
            chunksize=100_000,
        ):
            for col in (
                "root",
                "path",
                "role",
                "xxh3_128",
                "sha256",
                "format",
                "color_mode",
                "integrity",
                "integrity_note",
                "pdfa",
            ):
                chunk[col] = chunk[col].fillna("").astype("string[pyarrow]")
            for col in ("pages", "dpi", "size", "inode"):
                chunk[col] = chunk[col].astype("Int64")
            chunks.append(chunk)
        if not chunks:
            return pd.DataFrame(columns=SCAN_COLUMNS[1:])
        return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]

    def first_page_texts(self, roots: list[Path], head: int = 0) -> pd.DataFrame:
        """Root, path and first-page text (its first ``head`` characters when given) of every
        searchable PDF under ``roots``, as the last scan read it: kept apart from
        :meth:`files` so a million-file audit that does not look at content does not hold
        every text in memory."""
        keys = [str(Path(r).resolve()) for r in roots]
        marks = ",".join("?" * len(keys))
        text = "substr(first_page_text, 1, ?)" if head > 0 else "first_page_text"
        frame = pd.read_sql_query(
            f"SELECT root, path, {text} AS first_page_text FROM files "
            f"WHERE root IN ({marks}) AND first_page_text != '' ORDER BY root, path",
            self.db,
            params=([head] if head > 0 else []) + keys,
        )
        return frame.astype({"first_page_text": "string[pyarrow]"})

    def events(self, root: Path | None = None) -> pd.DataFrame:
        query = "SELECT * FROM events"
        params: tuple = ()
        if root is not None:
            query += " WHERE root = ?"
            params = (str(Path(root).resolve()),)
        return pd.read_sql_query(query + " ORDER BY scan_id", self.db, params=params)

    def changes_since_audit(self, root: Path, up_to: int) -> pd.DataFrame:
        """Files changed, moved or deleted under ``root`` after the scan the last completed
        audit reported (all recorded changes if none did), up to scan ``up_to``.

        A change stays listed until an audit has reported it, whoever's scan found it: a
        ``khaudit scan`` between two audits does not hide what it saw from the next one."""
        key = str(Path(root).resolve())
        frame = pd.read_sql_query(
            "SELECT e.root, e.kind, e.path, e.other_path, e.xxh3_128, e.scan_id, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', s.started, 'unixepoch') AS scanned_at "
            "FROM events e JOIN scans s ON s.scan_id = e.scan_id "
            "WHERE e.root = ? AND e.scan_id <= ? AND e.scan_id > "
            "coalesce((SELECT scan_id FROM audited WHERE root = ?), 0) "
            "ORDER BY e.scan_id, e.path",
            self.db,
            params=(key, up_to, key),
        )
        return frame.fillna({"other_path": ""})[SCAN_CHANGE_COLUMNS]

    def mark_audited(self, marks: dict[str, int]) -> None:
        """Remember, per root, the last scan a completed audit reported."""
        self.db.executemany("INSERT OR REPLACE INTO audited VALUES (?, ?)", marks.items())
        self.db.commit()

    def problems(self, roots: list[Path]) -> list[WalkProblem]:
        out = []
        for r in roots:
            for path, problem in self.db.execute(
                "SELECT path, problem FROM problems WHERE root = ?", (str(Path(r).resolve()),)
            ):
                out.append(WalkProblem(Path(r), path, problem))
        return out


def scan_roots(
    locality: str,
    roots: list[Path],
    sha256: bool = False,
    workers: int = 0,
    catalogue: Catalogue | str | Path | None = None,
    pages: bool = True,
    max_mbps: float = 0.0,
    full: bool = False,
    texts: int = 0,
) -> ScanResult:
    """Scan ``roots`` through a catalogue (a throwaway in-memory one when none is given);
    ``texts``: also return the first ``texts`` characters of every first-page text."""
    own = not isinstance(catalogue, Catalogue)
    cat = catalogue if isinstance(catalogue, Catalogue) else Catalogue(catalogue or ":memory:")
    try:
        summaries = [
            cat.scan(
                r,
                sha256=sha256,
                pages=pages,
                workers=workers,
                max_mbps=max_mbps,
                full=full,
                desc=f"scan {locality}",
            )
            for r in roots
        ]
        frame = cat.files(roots)
        found = cat.first_page_texts(roots, head=texts) if texts else None
        changes = pd.concat(
            [cat.changes_since_audit(Path(s.root), s.scan_id) for s in summaries]
            or [pd.DataFrame(columns=SCAN_CHANGE_COLUMNS)],
            ignore_index=True,
        )
    finally:
        if own:
            cat.close()
    frame.insert(0, "locality", locality)
    changes.insert(0, "locality", locality)
    problems = [p for s in summaries for p in s.problems]
    result = ScanResult(
        files=frame[SCAN_COLUMNS], problems=problems, summaries=summaries, changes=changes
    )
    if found is not None:
        result.texts = found
    return result


def default_catalogue(project_dir: Path) -> Path:
    return project_dir / ".khaudit" / "catalogue.sqlite"


__all__ = [
    "Catalogue",
    "ScanResult",
    "ScanSummary",
    "scan_roots",
    "SCAN_COLUMNS",
    "SCAN_CHANGE_COLUMNS",
    "default_catalogue",
]
