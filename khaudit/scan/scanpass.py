"""One scan of one root: list its folders, compare them with the catalogue, read what changed.

The listing and the reading run on the workers (``listing.py``); this side compares listings
with the catalogue's rows, writes the rows, the folder stamps and what went missing, and keeps
the pass's counts (:class:`ScanSummary`).
"""

from __future__ import annotations

import sqlite3
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..executor import Pool
from ..i18n import language, t
from ..progress import bar
from .listing import FolderListing, inspect_files, walk_folders
from .schema import CHANGED, UPSERT, CatalogueRow, Facts, level
from .walk import Folder, Listed, WalkProblem, relpath_bytes, role_of

#: Files per task sent to a worker, at most: a file inspected costs about a millisecond, one
#: only hashed a tenth of that, so hash-only tasks are larger, to keep the pool's own work per
#: task (pickling, its threads waking each other) small beside theirs: 256 files a task
#: instead of 64 took a fifth off the CPU time of the scanning process of a hash-only scan of
#: 4,000 PDFs. The first tasks are smaller, doubling up to these, so the workers start early
#: and a small tree still spreads over them. A task also holds about _TASK_BYTES at most, so
#: large files spread over the workers.
_TASK_FILES = 64
_HASH_TASK_FILES = 256
_FIRST_TASK_FILES = 32
_TASK_BYTES = 64 << 20
_COMMIT_SECONDS = 1.0
_WALK_FOLDERS = 64  # folders listed per walk task, at most
_SMALL_TREE = 64  # a known root with fewer folders is listed in this process


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


@dataclass(slots=True)
class _Reading:
    """A folder whose changed files are being read: its stamp is written once the last of
    them is, and only if every fact asked for is known and no file of it vanished."""

    stamp: bytes
    pending: int = 0  # reads submitted, not yet written
    stampable: bool = True
    listed: bool = False  # every read of the folder has been submitted


class ScanPass:
    """One scan of one root: folders are listed (on the workers when rescanning a large known
    tree), their listings compared with the catalogue here, what changed is read on the
    workers, and the rows written here.

    Tasks depend on earlier results (a folder's subfolders are known once it is listed), so
    the pass submits them itself, keeping a bounded number in flight, and handles results in
    the order it asked for them.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        exclude: frozenset[str],
        root: Path,
        scan_id: int,
        sha256: bool,
        pages: bool,
        full: bool,
        max_mbps: float,
        desc: str,
    ):
        self.db = db
        self.root, self.key, self.scan_id = root, str(root), scan_id
        self.sha256, self.pages, self.full, self.max_mbps = sha256, pages, full, max_mbps
        self.level = level(sha256, pages)
        self.exclude = exclude
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
        self.task_cap = _TASK_FILES if pages else _HASH_TASK_FILES
        self.task_files = min(_FIRST_TASK_FILES, self.task_cap)
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
                job = (self.root, chunk, self.exclude, expected, lang)
                walks.append(walker.submit(walk_folders, job))
            for listing in walks.popleft().result():
                stack.extend(reversed(listing.subfolders))
                self._compare(listing)
        if self.batch:
            self._submit_read()
        while self.reads:
            self._finish_read()
        self.bar.close()
        self._commit()

    def _compare(self, listing: FolderListing) -> None:
        """A listed folder against the catalogue's rows: what to read, what is gone."""
        folder, count, files = listing.folder, listing.n_files, listing.files
        self.seen.add(folder)
        self.summary.problems.extend(listing.problems)
        self.summary.files += count
        old_stamp = self.stamps.pop(folder, None)
        if files is None:  # the listing digests to the folder's stamp
            self.summary.unchanged += count
            self.bar.update(count)
            return
        if old_stamp is not None:  # dropped before any of the folder's rows change
            self.db.execute("DELETE FROM folders WHERE root = ? AND dir = ?", (self.key, folder))
        # Plain tuples, unpacked where compared: a rescan looks at every file of a changed
        # folder, and building an object per file would cost more than the comparison.
        known = {
            path: (size, mtime_ns, inode, sha256, inspected)
            for path, size, mtime_ns, inode, sha256, inspected in self.db.execute(
                "SELECT path, size, mtime_ns, inode, sha256, inspected FROM files "
                "WHERE root = ? AND dir = ?",
                (self.key, folder),
            )
        }
        state = self.reading[folder] = _Reading(listing.stamp)
        unchanged = 0
        for item in files:
            _, relpath, size, mtime_ns, inode = item
            old = known.pop(relpath, None)
            if old is not None and not self.full:
                old_size, old_mtime_ns, old_inode, has_sha256, inspected = old
                if (
                    (old_size, old_mtime_ns, old_inode) == (size, mtime_ns, inode)
                    and (has_sha256 or not self.sha256)
                    and (inspected or not self.pages)
                ):
                    unchanged += 1
                    continue
            if old is None:
                self.summary.new += 1
            else:
                self.existed.add(relpath)
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
        _, _, size, _, _ = item
        self.batch_bytes += size
        if len(self.batch) >= self.task_files or self.batch_bytes >= _TASK_BYTES:
            self._submit_read()

    def _submit_read(self) -> None:
        while len(self.reads) >= self.read_limit:
            self._finish_read()
        job = ([abspath for abspath, *_ in self.batch], self.sha256, self.pages)
        self.reads.append((self.batch, self.pool.submit(inspect_files, job)))
        self.batch, self.batch_bytes = [], 0
        self.task_files = min(2 * self.task_files, self.task_cap)

    def _finish_read(self) -> None:
        batch, future = self.reads.popleft()
        rows = [self._row(item, facts) for item, facts in zip(batch, future.result())]
        existing = [r for r in rows if r.path in self.existed]
        if existing:
            changed = self.db.executemany(
                CHANGED, [(self.scan_id, self.key, r.path, r.xxh3_128) for r in existing]
            )
            self.summary.changed += max(0, changed.rowcount)
        self.db.executemany(UPSERT, rows)
        for row in rows:
            state = self.reading[row.dir]
            state.pending -= 1
            if (self.sha256 and not row.sha256) or (self.pages and not row.inspected):
                state.stampable = False  # an unreadable file: the next scan tries it again
            self._stamp_if_done(row.dir, state)
        summary = self.summary
        summary.read += len(rows)
        summary.bytes_read += sum(r.size or 0 for r in rows)
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

    def _row(self, item: Listed, facts: Facts) -> CatalogueRow:
        abspath, relpath, *_ = item
        folder, _, name = relpath.rpartition("/")
        inspected = int(self.pages and facts.integrity != "unreadable")
        return CatalogueRow(
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
