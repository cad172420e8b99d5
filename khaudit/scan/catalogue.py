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

The schema is in ``schema.py``, the workers' listing and reading in ``listing.py``, one scan
pass in ``scanpass.py``; this module opens catalogues and answers questions about them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import KhauditError
from ..executor import Pool
from ..fslock import FileLock
from ..i18n import t
from .location import place_catalogue
from .scanpass import ScanPass, ScanSummary
from .schema import (
    ADDED_COLUMNS,
    REINSPECT,
    SCAN_CHANGE_COLUMNS,
    SCAN_COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    UPGRADABLE,
    UPGRADE,
)
from .walk import WalkProblem


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
        if version not in (*UPGRADABLE, SCHEMA_VERSION):
            raise KhauditError(
                t("err.catalogue.version", path=self.path, version=version, ours=SCHEMA_VERSION)
            )
        if version != SCHEMA_VERSION:
            self.db.executescript(UPGRADE + SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(files)")}
            missing = [name for name in ADDED_COLUMNS if name not in columns]
            for name in missing:
                self.db.execute(f"ALTER TABLE files ADD COLUMN {name} {ADDED_COLUMNS[name]}")
            if missing:
                self.db.executescript(REINSPECT)
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
        scan = ScanPass(
            self.db,
            self._own_files(),
            root,
            scan_id,
            sha256=sha256,
            pages=pages,
            full=full,
            max_mbps=max_mbps,
            desc=desc,
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

    def _own_files(self) -> frozenset[str]:
        """The catalogue's own files (database, journals, lock): a scan of the folder that
        holds them must not list them as scans."""
        suffixes = ("", "-wal", "-shm", "-journal")
        return frozenset({*(self.path + s for s in suffixes), self.lock_path})

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
    "SCHEMA_VERSION",
    "default_catalogue",
]
