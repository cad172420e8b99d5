"""Where the scan catalogue can safely live: never a WAL database on a network file system.

SQLite's WAL mode keeps its index in shared memory beside the database, which SMB, NFS and
FUSE network mounts do not provide across machines: two inspectors auditing one project from
a shared folder would corrupt it. So when the folder a catalogue would go to is on a network
file system, the catalogue goes to this user's local cache folder instead (keyed by the path
it was meant for, so each project keeps its own), and the run says so. The lock that keeps
writers apart stays at the shared place, where every machine sees it.

Detection: on Linux the mount table (``/proc/self/mountinfo``, or the file
``KHAUDIT_MOUNTINFO`` names, which tests use to play a network mount); on Windows a UNC path
(``\\\\server\\share``) or a drive letter the system reports as remote.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath

from ..i18n import t

MOUNTINFO_VARIABLE = "KHAUDIT_MOUNTINFO"
CACHE_VARIABLE = "KHAUDIT_CACHE_DIR"

#: File system types (as the mount table names them) whose files live on another machine.
NETWORK_TYPES = frozenset(
    {
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ncpfs",
        "davfs",
        "coda",
        "beegfs",
        "orangefs",
    }
)
#: FUSE file systems that reach over the network (``fuse.sshfs``, ``fuse.rclone``...).
NETWORK_FUSE = frozenset(
    {"sshfs", "rclone", "s3fs", "gcsfuse", "davfs", "smbnetfs", "glusterfs", "cephfs", "curlftpfs"}
)

_OCTAL = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True)
class Mount:
    point: str  # where it is mounted
    fstype: str  # e.g. "ext4", "cifs", "fuse.sshfs"
    source: str  # e.g. "//may-chu/so-hoa", "/dev/sda1"


@dataclass(frozen=True)
class CatalogueLocation:
    """Where a catalogue is kept, and why when that is not where it was asked for."""

    database: Path  # the SQLite file actually opened
    lock: Path  # the lock file, at the place asked for (seen by every machine)
    network: str = ""  # the network file system found there, if any
    note: str = ""  # what the user is told when the catalogue was moved


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a ``/proc/<pid>/mountinfo`` text (malformed lines are skipped)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        dash = fields.index("-", 6)
        if len(fields) < dash + 3 or len(fields) < 5:
            continue
        point = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), fields[4])
        mounts.append(Mount(point=point, fstype=fields[dash + 1], source=fields[dash + 2]))
    return mounts


def mount_of(path: str | PurePath, mounts: list[Mount]) -> Mount | None:
    """The mount holding ``path`` (absolute): the longest mount point it lies under."""
    text = str(path)
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        inside = text == point or text.startswith(point if point == "/" else point + "/")
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount  # a later mount over the same point hides the earlier one
    return best


def is_network_type(fstype: str) -> bool:
    kind = fstype.lower()
    if kind.startswith("fuse."):
        return kind[5:] in NETWORK_FUSE
    return kind in NETWORK_TYPES


def _mountinfo_text() -> str | None:
    source = os.environ.get(MOUNTINFO_VARIABLE) or "/proc/self/mountinfo"
    try:
        with open(source, encoding="utf-8", errors="surrogateescape") as fh:
            return fh.read()
    except OSError:
        return None


def _windows_network(path: PureWindowsPath) -> str:
    """``"smb"`` for a UNC path or a remote drive letter, else ``""``."""
    if path.drive.startswith("\\\\"):
        return "smb"
    if sys.platform == "win32" and path.drive:
        import ctypes

        drive_remote = 4  # GetDriveTypeW's DRIVE_REMOTE
        if ctypes.windll.kernel32.GetDriveTypeW(path.drive + "\\") == drive_remote:  # type: ignore[attr-defined]
            return "smb"
    return ""


def network_filesystem(folder: str | Path, windows: bool | None = None) -> str:
    """The network file system type ``folder`` is on (``"cifs"``, ``"nfs4"``...), or ``""``.

    ``windows`` reads ``folder`` as a Windows path (default: when running on Windows)."""
    if sys.platform == "win32" if windows is None else windows:
        return _windows_network(PureWindowsPath(folder))
    text = _mountinfo_text()
    if text is None:
        return ""  # no mount table to read (macOS, a container without /proc): assume local
    mount = mount_of(os.path.realpath(folder), parse_mountinfo(text))
    return mount.fstype if mount is not None and is_network_type(mount.fstype) else ""


def user_cache_dir() -> Path:
    """khaudit's cache folder for this user on this machine (``KHAUDIT_CACHE_DIR`` overrides):
    ``%LOCALAPPDATA%\\khaudit\\Cache`` on Windows, ``~/Library/Caches/khaudit`` on macOS,
    ``$XDG_CACHE_HOME/khaudit`` (``~/.cache/khaudit``) elsewhere."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "khaudit" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "khaudit"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "khaudit"


def _cache_key(path: Path) -> str:
    """A folder name for ``path``'s catalogue: readable, and unique per full path."""
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", path.parent.parent.name or "catalogue")[:40]
    return f"{readable}-{digest}"


def place_catalogue(path: str | Path) -> CatalogueLocation:
    """Where the catalogue asked for at ``path`` is kept: there, or in the local cache when
    ``path``'s folder is on a network file system."""
    path = Path(os.path.abspath(path))
    lock = path.with_name(path.name + ".lock")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the folder may not exist yet: the mount is its nearest parent
    network = network_filesystem(folder)
    if not network:
        return CatalogueLocation(database=path, lock=lock)
    database = user_cache_dir() / "catalogues" / _cache_key(path) / path.name
    note = t("catalogue.network", path=path, fstype=network, local=database)
    return CatalogueLocation(database=database, lock=lock, network=network, note=note)
