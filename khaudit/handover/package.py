"""``khaudit package``: a locality's handover as a BagIt bag (RFC 8493).

The bag holds exactly one locality: its scans, its inventory files, its rows of the run's tables
(``data/run``, with a run.json that keeps the run's fingerprint), its reports and its signed
minutes ``bien-ban.pdf``, with a SHA-256 manifest, a tag manifest, and bag-info.txt carrying the
run fingerprint and the counts per status. Nothing is hashed twice: a scan whose size, mtime and
inode are unchanged since the scan catalogue saw it takes its SHA-256 from there.

Payload files are copied by default, as a reflink (a copy-on-write clone sharing no inode) where
the file system has them: editing a file in the bag never edits the audited original. Hard
links only on request (``mode="link"``, with a warning), or the files are left in place with a
``fetch.txt`` pointing at them (a "holey" bag the receiver completes). Every path in the bag is
built from a safe relative name: an inventory outside the project folder goes under
``data/inventories/_outside/``, never to ``..``. The bag is built beside ``out`` and renamed
into place at the end: it is complete or absent (:mod:`khaudit.handover.staging`).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import posixpath
import re
import shutil
import stat
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .._version import __version__
from ..contract import FILE_STATUSES, RECORD_STATUSES
from ..errors import KhauditError
from ..executor import stream_map
from ..i18n import t
from ..outfile import glob_reaches
from ..project import INVENTORY_SUFFIXES, Project, load_project
from ..report.locality import resolve_locality
from ..run import TABLES, Run, check_out, load_run, write_locality_run
from ..scan.catalogue import Catalogue
from ..textnorm import slugify
from .bagit_format import (
    BAGIT_TXT,
    UnsafePath,
    encode_path,
    safe_path,
    windows_safe,
    write_bag_info,
    write_manifest,
)
from .staging import staging_for

MODES = ("copy", "link", "fetch")
#: The report files of a locality that go into its bag (the minutes are the signed document).
REPORT_FILES = ("report.html", "report.xlsx", "report.ipynb", "bien-ban.pdf")
#: ioctl request of Linux's FICLONE: a copy-on-write clone of a whole file (Btrfs, XFS, ...).
FICLONE = 0x40049409


@dataclass
class PayloadFile:
    source: str  # where it is now
    bag_path: str  # "data/..." inside the bag
    size: int
    sha256: str = ""
    expected_xxh3: str = ""  # scans: the hash the audit saw
    key: tuple[str, str] = ("", "")  # scans: (root as written in the run, path)


@dataclass
class PackageResult:
    bag: Path
    files: int
    bytes: int
    hashed: int  # payload files read to hash them
    from_catalogue: int  # scans whose SHA-256 came from the run or the catalogue, not re-read
    linked: int
    copied: int
    fetch: int
    notes: list[str] = field(default_factory=list)
    reflinked: int = 0  # of ``copied``: clones sharing blocks (not an inode) with the original


def _sha256(path: str) -> tuple[str, str]:
    import xxhash

    xh, sh = xxhash.xxh3_128(), hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(8 << 20):
            xh.update(chunk)
            sh.update(chunk)
    return sh.hexdigest(), xh.hexdigest()


def _safe_component(text: str) -> str:
    return slugify(text) or "root"


def _scan_bag_path(label: str, path: str) -> str:
    """``data/scans/LABEL/PATH`` of a scan, or KhauditError when the run's path would leave
    the bag (a run table edited by hand)."""
    try:
        return f"data/scans/{label}/{safe_path(windows_safe(path))}"
    except UnsafePath:
        raise KhauditError(t("err.package.unsafe_path", path=path)) from None


def _inventory_bag_path(path: str, taken: set[str]) -> str:
    """The bag path of an inventory given relative to the project folder (or absolute): inside
    it, the same relative path; outside it, its folders without ``..`` under ``_outside/``."""
    normal = posixpath.normpath(path.replace(os.sep, "/"))
    if normal.startswith(("../", "/")) or normal == "..":
        parts = [p for p in normal.split("/") if p not in ("", ".", "..")]
        normal = "/".join(["_outside", *parts]) or "_outside/inventory"
    bag_path = f"data/inventories/{windows_safe(normal)}"
    stem, dot, suffix = bag_path.rpartition(".")
    n = 2
    while bag_path in taken:
        bag_path = f"{stem}-{n}{dot}{suffix}" if dot else f"{bag_path}-{n}"
        n += 1
    taken.add(bag_path)
    return bag_path


def _regular_size(source: str) -> int | None:
    """Size of a regular file (a link, FIFO or device is not packaged: None)."""
    try:
        st = os.lstat(source)
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


@dataclass
class _Collected:
    """What a bag will hold, before anything is written: the payload (SHA-256 where already
    known), the files gone since the audit, and where the locality's scan roots are."""

    run: Run
    name: str
    payload: list[PayloadFile]
    missing: list[str]
    from_catalogue: int
    labels: dict[str, str]  # root as written in the run -> its folder under data/scans
    scan_roots: list[str]  # absolute
    #: every locality's inventory patterns (absolute): none may reach a file of the bag
    inventory_patterns: list[str] = field(default_factory=list)


def inventory_patterns(project: Project) -> list[str]:
    return [p for loc in project.localities for p in loc.inventory_patterns]


#: The files of every bag whose names an inventory pattern could name (besides the payload).
_BAG_FILES = (
    *(f"data/run/{table}.csv" for table in TABLES),
    *(f"data/report/{name}" for name in REPORT_FILES),
    "bagit.txt",
    "bag-info.txt",
    "fetch.txt",
    "manifest-sha256.txt",
    "tagmanifest-sha256.txt",
)


def check_bag_out(out: Path, collected: _Collected) -> None:
    """Refuse ``out`` inside (or holding) a scan root, or where an inventory pattern of the
    project reaches a file the bag will hold: the next audit would read the bag's copies of
    inventories, its tables and its tag files as inventories of its own."""
    check_out(out, collected.scan_roots)
    names = [p.bag_path for p in collected.payload] + list(_BAG_FILES)
    readable = [n for n in names if posixpath.splitext(n)[1].lower() in INVENTORY_SUFFIXES]
    for pattern in collected.inventory_patterns:
        reached = next((n for n in readable if glob_reaches(pattern, out / n)), None)
        if reached is not None:
            raise KhauditError(
                t("err.package.inventory_pattern", out=out, pattern=pattern, file=reached)
            )


def _scans(
    rows: pd.DataFrame,
    prefix: dict[str, str],
    labels: dict[str, str],
    rehash: bool,
    collected: _Collected,
) -> None:
    """The locality's scans: a file whose size, mtime and inode are still the audited ones
    takes its SHA-256 from the run (when the audit computed it). Links, FIFOs and devices are
    not packaged: they count as gone."""
    for root, path, xxh, sha, size, mtime, inode in zip(
        rows["root"].tolist(),
        rows["path"].tolist(),
        rows["xxh3_128"].tolist(),
        rows["sha256"].tolist(),
        rows["size"].tolist(),
        rows["mtime"].tolist(),
        rows["inode"].tolist(),
    ):
        source = f"{prefix[root]}/{path}"
        try:
            st = os.lstat(source)
        except OSError:
            collected.missing.append(source)
            continue
        if not stat.S_ISREG(st.st_mode):
            collected.missing.append(source)
            continue
        item = PayloadFile(
            source,
            _scan_bag_path(labels[root], path),
            st.st_size,
            expected_xxh3=str(xxh),
            key=(root, path),
        )
        if not rehash and sha and (st.st_size, st.st_mtime, st.st_ino) == (size, mtime, inode):
            item.sha256 = sha
            collected.from_catalogue += 1
        collected.payload.append(item)


def _labels(roots: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for root in roots:
        label = _safe_component(Path(root).name)
        while label in labels.values():
            label += "-2"
        labels[root] = label
    return labels


def _collect(run_dir: Path, locality: str, rehash: bool, project_file: Path | None) -> _Collected:
    """Every payload file with the SHA-256 already known; and the files that are gone."""
    run = load_run(run_dir)
    stale = run.verify_tables()
    if stale:
        raise KhauditError(t("err.package.stale", run_dir=run_dir, tables=", ".join(stale)))
    name = resolve_locality(run, locality)
    location = project_file or Path(run.meta.get("project", {}).get("location", ""))
    if not location or not Path(location).exists():
        raise KhauditError(t("err.package.project", run_dir=run_dir, location=location))
    project = load_project(location)
    base = str(project.base)
    mine = run.locality_table(
        "files", name, ["locality", "root", "path", "xxh3_128", "sha256", "size", "mtime", "inode"]
    )
    ignored = run.table("ignored_files")
    if len(ignored):
        ignored = ignored[(ignored["locality"] == name) & (ignored["role"] == "sidecar")]
    roots = sorted(set(mine["root"]) | set(ignored["root"] if len(ignored) else []))
    labels = _labels(roots)
    prefix = {root: os.path.join(base, root) for root in roots}  # an absolute root stays itself
    collected = _Collected(run, name, [], [], 0, labels, list(prefix.values()))
    collected.inventory_patterns = inventory_patterns(project)
    _scans(mine, prefix, labels, rehash, collected)
    _sidecars(ignored, prefix, labels, collected)
    lacking = [p for p in collected.payload if p.expected_xxh3 and not p.sha256]
    if lacking and not rehash and project.scan.catalogue and Path(project.scan.catalogue).exists():
        collected.from_catalogue += _from_catalogue(project.scan.catalogue, lacking, prefix)
    _inventories(run, name, base, collected)
    report = run_dir / slugify(name)
    for report_name in REPORT_FILES:
        size = _regular_size(str(report / report_name))
        if size is not None:
            collected.payload.append(
                PayloadFile(str(report / report_name), f"data/report/{report_name}", size)
            )
    return collected


def check_payload_names(out: Path, collected: _Collected) -> list[str]:
    """Refuse a bag whose scans are gone, have a name that is not valid UTF-8 (a bag's
    manifests are UTF-8) or the name of another once Unicode-normalised (khaudit's own
    verify then found the bag not valid), each said apart; return the warning for payload
    paths longer than Windows programs open, counted from the bag's own folder (a
    receiver's folder adds more)."""
    from .names import WINDOWS_MAX_PATH, normal_twins, not_utf8, too_long

    renamed = not_utf8("", collected.missing)
    if renamed:
        examples = ", ".join(renamed[:3])
        raise KhauditError(t("err.package.not_utf8", n=len(renamed), examples=examples))
    if collected.missing:
        examples = ", ".join(collected.missing[:3])
        raise KhauditError(t("err.package.gone", n=len(collected.missing), examples=examples))
    twins = normal_twins(p.bag_path for p in collected.payload)
    if twins:
        examples = ", ".join(twins[:3])
        raise KhauditError(t("err.package.normal_twins", n=len(twins), examples=examples))
    long = too_long(out.name, [p.bag_path for p in collected.payload])
    if not long:
        return []
    example = f"{out.name}/{max(long, key=len)}"
    return [
        t(
            "package.long_paths",
            n=len(long),
            limit=WINDOWS_MAX_PATH + 1,
            length=len(example),
            example=example,
        )
    ]


def _sidecars(
    ignored: pd.DataFrame, prefix: dict[str, str], labels: dict[str, str], collected: _Collected
) -> None:
    """The locality's sidecar files (beside the scans, not matched) into the payload, under
    their scan root's label; one that is gone is listed as missing."""
    if not len(ignored):
        return
    for root, path, xxh in zip(
        ignored["root"].tolist(), ignored["path"].tolist(), ignored["xxh3_128"].tolist()
    ):
        source = f"{prefix[root]}/{path}"
        size = _regular_size(source)
        if size is None:
            collected.missing.append(source)
            continue
        collected.payload.append(
            PayloadFile(
                source,
                _scan_bag_path(labels[root], path),
                size,
                expected_xxh3=str(xxh),
                key=(root, path),
            )
        )


def _inventories(run: Run, name: str, base: str, collected: _Collected) -> None:
    """The locality's inventory files, as the run read them, into the payload; one that is
    gone is listed as missing."""
    taken: set[str] = set()
    for entry in run.meta.get("inputs", []):
        if entry.get("locality") == name:
            source = os.path.join(base, entry["path"])
            size = _regular_size(source)
            if size is None:
                collected.missing.append(source)
                continue
            collected.payload.append(
                PayloadFile(source, _inventory_bag_path(entry["path"], taken), size)
            )


def _locality_run(run: Run, name: str, folder: Path) -> list[PayloadFile]:
    """The locality's run (its rows of every table, see :func:`write_locality_run`) in
    ``folder``, as payload files."""
    written = write_locality_run(run, name, folder)
    return [
        PayloadFile(
            str(folder / file), f"data/run/{file}", (folder / file).stat().st_size, sha256=digest
        )
        for file, digest in written["tables"].items()
    ] + [
        PayloadFile(
            str(folder / "run.json"),
            "data/run/run.json",
            (folder / "run.json").stat().st_size,
            sha256=_sha256(str(folder / "run.json"))[0],
        )
    ]


_PLAIN = re.compile(r"[A-Za-z0-9/._~ -]*")


def _file_uri(path: str) -> str:
    """file:// URL of an absolute path (fast for the plain names scans usually have)."""
    if _PLAIN.fullmatch(path):
        return "file://" + path.replace(" ", "%20")
    return "file://" + quote(path, safe="/")


def _copy(source: str, target: str) -> bool:
    """Copy ``source`` to a new ``target`` (its own inode), as a copy-on-write clone when the
    file system has them; True when it was cloned. Times and mode follow the original."""
    cloned = False
    with open(source, "rb") as src, open(target, "xb") as dst:
        try:
            import fcntl

            fcntl.ioctl(dst.fileno(), FICLONE, src.fileno())
            cloned = True
        except (OSError, ImportError):
            _copy_bytes(src.fileno(), dst.fileno(), os.fstat(src.fileno()).st_size)
    shutil.copystat(source, target)
    return cloned


def _copy_bytes(src: int, dst: int, size: int) -> None:
    """In-kernel copy (copy_file_range), or read and write where the kernel cannot."""
    done = 0
    try:
        while done < size:
            n = os.copy_file_range(src, dst, size - done)
            if n == 0:
                break
            done += n
        return
    except OSError as exc:
        if exc.errno not in (
            errno.EXDEV,
            errno.EINVAL,
            errno.ENOSYS,
            errno.EOPNOTSUPP,
            errno.EBADF,
        ):
            raise
    os.lseek(src, done, os.SEEK_SET)
    os.lseek(dst, done, os.SEEK_SET)
    while chunk := os.read(src, 8 << 20):
        os.write(dst, chunk)


def _place_all(pairs: list[tuple[str, str]], link: bool) -> tuple[int, int]:
    """Put each source at its target: hard-linked when ``link`` (copied when linking is
    impossible), else copied or cloned. (linked, cloned)."""
    linked = cloned = 0
    for source, target in pairs:
        if link:
            try:
                os.link(source, target)
                linked += 1
                continue
            except OSError:
                link = False  # another file system: copy the rest without trying again
        cloned += _copy(source, target)
    return linked, cloned


def _from_catalogue(catalogue: Path, items: list[PayloadFile], prefix: dict[str, str]) -> int:
    """SHA-256 from the scan catalogue for files it saw exactly as they are now."""
    found = 0
    with Catalogue(catalogue, lock=False) as cat:  # reads only: an audit may be writing
        for item in items:
            root, path = item.key
            row = cat.db.execute(
                "SELECT size, mtime_ns, inode, sha256, xxh3_128 FROM files "
                "WHERE root = ? AND path = ?",
                (os.path.realpath(prefix[root]), path),
            ).fetchone()
            if not row or not row[3] or row[4] != item.expected_xxh3:
                continue
            st = os.stat(item.source)
            if (st.st_size, st.st_mtime_ns, st.st_ino) == tuple(row[:3]):
                item.sha256 = row[3]
                found += 1
    return found


def _hash_job(paths: list[str]) -> list[tuple[str, str]]:
    return [_sha256(p) for p in paths]


def _hash_unknown(payload: list[PayloadFile], workers: int) -> int:
    """Hash the files whose SHA-256 is not known yet; KhauditError when a scan changed since
    the audit (its xxh3 differs). The number of files read."""
    todo = [p for p in payload if not p.sha256]
    chunks = [todo[i : i + 16] for i in range(0, len(todo), 16)]
    if sum(p.size for p in todo) < 256 << 20:
        workers = 1  # a few small files: starting worker processes costs more than it saves
    changed = []
    for chunk, results in zip(
        chunks, stream_map(_hash_job, ([p.source for p in c] for c in chunks), workers=workers)
    ):
        for p, (sha, xxh) in zip(chunk, results):
            p.sha256 = sha
            if p.expected_xxh3 and xxh != p.expected_xxh3:
                changed.append(p.source)
    if changed:
        raise KhauditError(t("err.package.changed", n=len(changed), example=changed[0]))
    return len(todo)


def _place_payload(
    staging: Path, payload: list[PayloadFile], mode: str, result: PackageResult
) -> list[str]:
    """Copy, clone or link each payload file into the staging bag (threads overlap the system
    calls); in fetch mode list the scans instead. The fetch.txt lines."""
    fetch_lines = []
    made: set[str] = set()
    root = str(staging)
    placed: list[tuple[str, str]] = []
    for p in payload:
        target = os.path.join(root, p.bag_path)
        if os.path.normpath(target) != target or not target.startswith(root + os.sep):
            raise KhauditError(t("err.package.unsafe_path", path=p.bag_path))
        if p.source == target:  # the locality's run tables, written in place
            continue
        if mode == "fetch" and p.bag_path.startswith("data/scans/"):
            fetch_lines.append(f"{_file_uri(p.source)} {p.size} {encode_path(p.bag_path)}\n")
            result.fetch += 1
            continue
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        placed.append((p.source, target))
    chunks = [placed[i::4] for i in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(lambda chunk: _place_all(chunk, mode == "link"), chunks))
    result.linked = sum(c[0] for c in counts)
    result.reflinked = sum(c[1] for c in counts)
    result.copied = len(placed) - result.linked
    return fetch_lines


def _write_tags(
    staging: Path, payload: list[PayloadFile], fetch_lines: list[str], info: list[tuple[str, str]]
) -> None:
    (staging / "data").mkdir(exist_ok=True)
    (staging / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8", newline="\n")
    write_manifest(staging / "manifest-sha256.txt", [(p.sha256, p.bag_path) for p in payload])
    if fetch_lines:
        (staging / "fetch.txt").write_text("".join(fetch_lines), encoding="utf-8", newline="\n")
    write_bag_info(staging / "bag-info.txt", info)
    tags = [
        name
        for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "fetch.txt")
        if (staging / name).exists()
    ]
    write_manifest(
        staging / "tagmanifest-sha256.txt", [(_sha256(str(staging / t))[0], t) for t in tags]
    )


def package_locality(
    run_dir: str | Path,
    locality: str,
    out: str | Path,
    mode: str = "copy",
    rehash: bool = False,
    project: str | Path | None = None,
    workers: int = 0,
) -> PackageResult:
    """Write the handover bag of one locality of a run to ``out`` (which must not exist, nor be
    inside a scan root). ``mode``: "copy" (default; reflinks where possible), "link" (hard
    links: the bag's files are the originals; a warning says so), "fetch" (scans left in
    place, listed in fetch.txt)."""
    if mode not in MODES:
        raise KhauditError(t("err.package.mode", mode=mode, modes=", ".join(MODES)))
    run_dir, out = Path(run_dir), Path(out)
    if out.exists():
        raise KhauditError(t("err.package.exists", out=out))
    collected = _collect(run_dir, locality, rehash, Path(project) if project else None)
    check_bag_out(out, collected)
    long_paths = check_payload_names(out, collected)
    payload = collected.payload
    hashed = _hash_unknown(payload, workers)
    result = PackageResult(
        bag=out,
        files=0,
        bytes=0,
        hashed=hashed,
        from_catalogue=collected.from_catalogue,
        linked=0,
        copied=0,
        fetch=0,
    )
    result.notes += long_paths
    if mode == "link":
        result.notes.append(t("package.link_warning"))
    with staging_for(out, result.notes) as staging:
        payload += _locality_run(collected.run, collected.name, staging / "data" / "run")
        result.files, result.bytes = len(payload), sum(p.size for p in payload)
        fetch_lines = _place_payload(staging, payload, mode, result)
        meta = {
            "locality": collected.name,
            "run": collected.run.meta,
            "roots": {v: k for k, v in collected.labels.items()},
        }
        _write_tags(staging, payload, fetch_lines, _bag_info(meta, payload))
    return result


def _bag_info(meta: dict, payload: list[PayloadFile]) -> list[tuple[str, str]]:
    run = meta["run"]
    name = meta["locality"]
    code = next(
        (loc.get("code", "") for loc in run.get("localities", []) if loc["name"] == name), ""
    )
    counts = run.get("counts", {}).get(name, {})
    items = [
        ("Source-Organization", name),
        ("External-Description", run.get("title", "")),
        ("Bagging-Date", dt.date.today().isoformat()),
        ("Payload-Oxum", f"{sum(p.size for p in payload)}.{len(payload)}"),
        ("Bag-Software-Agent", f"khaudit {__version__}"),
        ("KHAudit-Locality", name),
        ("KHAudit-Locality-Code", str(code)),
        ("KHAudit-Province", run.get("province", "")),
        ("KHAudit-Run-Fingerprint", run.get("fingerprint", "")),
        ("KHAudit-Run-Id", run.get("run_id", "")),
        ("KHAudit-Tool-Version", run.get("version", "")),
        ("KHAudit-Scan-Roots", json.dumps(meta["roots"], ensure_ascii=False)),
    ]
    for status in RECORD_STATUSES:
        items.append((f"KHAudit-Records-{status}", str(counts.get("records", {}).get(status, 0))))
    for status in FILE_STATUSES:
        items.append((f"KHAudit-Files-{status}", str(counts.get("files", {}).get(status, 0))))
    return [
        (label, unicodedata.normalize("NFC", value).replace("\n", " ")) for label, value in items
    ]
