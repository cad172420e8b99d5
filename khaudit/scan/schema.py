"""The scan catalogue's SQLite schema, its versions, and the shape of its rows.

A catalogue row is written by one statement (:data:`UPSERT`) from a :class:`CatalogueRow`,
whose fields are the statement's columns in order; a worker's reading of a file is a
:class:`Facts`, the part of the row that inspection fills.
"""

from __future__ import annotations

from typing import NamedTuple

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
FACT_COLUMNS = [
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


class Facts(NamedTuple):
    """What reading one file found (FACT_COLUMNS, in order)."""

    size: int
    mtime: float
    mtime_ns: int
    inode: int
    xxh3_128: str
    sha256: str
    format: str
    pages: int | None
    dpi: int | None
    color_mode: str
    integrity: str
    integrity_note: str
    pdfa: str
    first_page_text: str


class CatalogueRow(NamedTuple):
    """One row of the ``files`` table, in the column order of :data:`UPSERT`."""

    root: str
    path: str
    dir: str
    path_bytes: bytes | None
    role: str
    size: int
    mtime: float
    mtime_ns: int
    inode: int
    xxh3_128: str
    sha256: str
    format: str
    pages: int | None
    dpi: int | None
    color_mode: str
    integrity: str
    integrity_note: str
    pdfa: str
    first_page_text: str
    inspected: int
    first_seen: int
    last_seen: int
    read_in: int


#: Columns of the changes the catalogue recorded (``Catalogue.changes_since_audit``): the run
#: table scan_changes (run.CHANGE_COLUMNS) but for its locality column.
SCAN_CHANGE_COLUMNS = ["root", "kind", "path", "other_path", "xxh3_128", "scan_id", "scanned_at"]


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
UPGRADABLE = (0, 1, 2, 3, 4)
UPGRADE = "DROP INDEX IF EXISTS files_hash; DROP TABLE IF EXISTS seen_dirs;"
ADDED_COLUMNS = {"pdfa": "TEXT", "first_page_text": "TEXT"}
REINSPECT = (
    "UPDATE files SET inspected = 0 WHERE format = 'pdf' "
    "OR (format IN ('tiff', 'jpeg', 'png') AND integrity != 'ok');"
    "UPDATE folders SET level = level & ~2;"
)  # 2: INSPECTED, below
#: Facts a folder stamp vouches for: SHA-256 known, inspection done (see ``level``).
HAS_SHA256, INSPECTED = 1, 2


def level(sha256: bool, pages: bool) -> int:
    """The facts a scan asks for, as a folder stamp's level."""
    return (HAS_SHA256 if sha256 else 0) | (INSPECTED if pages else 0)


UPSERT = (
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
CHANGED = (
    "INSERT INTO events (scan_id, root, kind, path, xxh3_128) "
    "SELECT ?, root, 'changed', path, xxh3_128 FROM files "
    "WHERE root = ? AND path = ? AND xxh3_128 IS NOT ? AND xxh3_128 != ''"
)
