"""``khaudit package``: a locality's handover as a BagIt bag (RFC 8493).

The bag holds the locality's scans, its inventory files, the run's tables and its signed report,
with a SHA-256 manifest, a tag manifest, and bag-info.txt carrying the run fingerprint and the
counts per status. Nothing is hashed twice: a scan whose size, mtime and inode are unchanged
since the scan catalogue saw it takes its SHA-256 from there. Payload files are hard-linked
where the file system allows (copied otherwise), or left in place with a ``fetch.txt`` pointing
at them (a "holey" bag), so a terabyte is not copied. The bag is built beside ``out`` and renamed
into place at the end: it is complete or absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .._version import __version__
from ..errors import KhauditError
from ..executor import stream_map
from ..i18n import t
from ..project import load_project
from ..reconcile import FILE_STATUSES, RECORD_STATUSES
from ..report.locality import resolve_locality
from ..run import load_run
from ..scan.catalogue import Catalogue
from ..textnorm import slugify
from .bagit_format import BAGIT_TXT, encode_path, write_bag_info, write_manifest

MODES = ("link", "copy", "fetch")


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


def _collect(run_dir: Path, locality: str, rehash: bool, project_file: Path | None
             ) -> tuple[list[PayloadFile], dict, int, list[str]]:
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
    mine = pd.read_parquet(run.path / "files.parquet",
                           columns=["locality", "root", "path", "xxh3_128", "sha256", "size",
                                    "mtime", "inode"], filters=[("locality", "==", name)])
    ignored = run.table("ignored_files")
    if len(ignored):
        ignored = ignored[(ignored["locality"] == name) & (ignored["role"] == "sidecar")]
    roots = sorted(set(mine["root"]) | set(ignored["root"] if len(ignored) else []))
    labels: dict[str, str] = {}
    for root in roots:
        label = _safe_component(Path(root).name)
        while label in labels.values():
            label += "-2"
        labels[root] = label

    prefix = {root: os.path.join(base, root) for root in roots}  # an absolute root stays itself
    payload: list[PayloadFile] = []
    missing: list[str] = []
    from_catalogue = 0
    # The run itself holds the SHA-256 of each scan when the audit asked for it: a file whose
    # size, mtime and inode are still the audited ones takes it from there.
    for root, path, xxh, sha, size, mtime, inode in zip(
            mine["root"].tolist(), mine["path"].tolist(), mine["xxh3_128"].tolist(),
            mine["sha256"].tolist(), mine["size"].tolist(), mine["mtime"].tolist(),
            mine["inode"].tolist()):
        source = f"{prefix[root]}/{path}"
        try:
            st = os.stat(source)
        except OSError:
            missing.append(source)
            continue
        item = PayloadFile(source, f"data/scans/{labels[root]}/{path}", st.st_size,
                           expected_xxh3=str(xxh), key=(root, path))
        if not rehash and sha and (st.st_size, st.st_mtime, st.st_ino) == (size, mtime, inode):
            item.sha256 = sha
            from_catalogue += 1
        payload.append(item)
    for root, path, xxh in (zip(ignored["root"].tolist(), ignored["path"].tolist(),
                                ignored["xxh3_128"].tolist()) if len(ignored) else ()):
        source = f"{prefix[root]}/{path}"
        if not os.path.exists(source):
            missing.append(source)
            continue
        payload.append(PayloadFile(source, f"data/scans/{labels[root]}/{path}",
                                   os.path.getsize(source), expected_xxh3=str(xxh),
                                   key=(root, path)))
    lacking = [p for p in payload if p.expected_xxh3 and not p.sha256]
    if lacking and not rehash and project.scan.catalogue and Path(project.scan.catalogue).exists():
        from_catalogue += _from_catalogue(project.scan.catalogue, lacking, prefix)
    for entry in run.meta.get("inputs", []):
        if entry.get("locality") == name:
            source = os.path.join(base, entry["path"])
            if not os.path.exists(source):
                missing.append(source)
                continue
            payload.append(PayloadFile(source, f"data/inventories/{entry['path']}",
                                       os.path.getsize(source)))
    report = run_dir / slugify(name)
    extras = [(c, f"data/run/{c.name}") for c in sorted(run_dir.iterdir())
              if c.is_file() and not c.name.startswith(".")]
    if report.is_dir():
        extras += [(c, f"data/report/{c.name}") for c in sorted(report.glob("report.*"))]
    known_tables = run.meta.get("tables", {})  # verified above: no need to hash them again
    payload += [PayloadFile(str(c), bag_path, c.stat().st_size,
                            sha256=known_tables.get(c.name, "") if c.parent == run_dir else "")
                for c, bag_path in extras]
    meta = {"locality": name, "run": run.meta, "roots": {v: k for k, v in labels.items()}}
    return payload, meta, from_catalogue, missing


_PLAIN = re.compile(r"[A-Za-z0-9/._~ -]*")


def _file_uri(path: str) -> str:
    """file:// URL of an absolute path (fast for the plain names scans usually have)."""
    if _PLAIN.fullmatch(path):
        return "file://" + path.replace(" ", "%20")
    return "file://" + quote(path, safe="/")


def _place_all(pairs: list[tuple[str, str]], link: bool) -> int:
    """Hard-link each source at its target, or copy it when linking is impossible; the number
    linked."""
    linked = 0
    for source, target in pairs:
        if link:
            try:
                os.link(source, target)
                linked += 1
                continue
            except OSError:
                link = False  # another file system: copy the rest without trying again
        shutil.copy2(source, target)
    return linked


def _from_catalogue(catalogue: Path, items: list[PayloadFile], prefix: dict[str, str]) -> int:
    """SHA-256 from the scan catalogue for files it saw exactly as they are now."""
    found = 0
    with Catalogue(catalogue) as cat:
        for item in items:
            root, path = item.key
            row = cat.db.execute(
                "SELECT size, mtime_ns, inode, sha256, xxh3_128 FROM files "
                "WHERE root = ? AND path = ?", (os.path.realpath(prefix[root]), path)).fetchone()
            if not row or not row[3] or row[4] != item.expected_xxh3:
                continue
            st = os.stat(item.source)
            if (st.st_size, st.st_mtime_ns, st.st_ino) == tuple(row[:3]):
                item.sha256 = row[3]
                found += 1
    return found


def _hash_job(paths: list[str]) -> list[tuple[str, str]]:
    return [_sha256(p) for p in paths]


def package_locality(run_dir: str | Path, locality: str, out: str | Path, mode: str = "link",
                     rehash: bool = False, project: str | Path | None = None,
                     workers: int = 0) -> PackageResult:
    """Write the handover bag of one locality of a run to ``out`` (which must not exist)."""
    if mode not in MODES:
        raise KhauditError(t("err.package.mode", mode=mode, modes=", ".join(MODES)))
    run_dir, out = Path(run_dir), Path(out)
    if out.exists():
        raise KhauditError(t("err.package.exists", out=out))
    payload, meta, from_catalogue, missing = _collect(run_dir, locality, rehash,
                                                      Path(project) if project else None)
    if missing:
        raise KhauditError(t("err.package.gone", n=len(missing),
                             examples=", ".join(missing[:3])))
    todo = [p for p in payload if not p.sha256]
    chunks = [todo[i:i + 16] for i in range(0, len(todo), 16)]
    if sum(p.size for p in todo) < 256 << 20:
        workers = 1  # a few small files: starting worker processes costs more than it saves
    changed = []
    for chunk, results in zip(chunks, stream_map(_hash_job, ([p.source for p in c]
                                                             for c in chunks), workers=workers)):
        for p, (sha, xxh) in zip(chunk, results):
            p.sha256 = sha
            if p.expected_xxh3 and xxh != p.expected_xxh3:
                changed.append(p.source)
    if changed:
        raise KhauditError(t("err.package.changed", n=len(changed), example=changed[0]))

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    result = PackageResult(bag=out, files=len(payload), bytes=sum(p.size for p in payload),
                           hashed=len(todo), from_catalogue=from_catalogue, linked=0, copied=0,
                           fetch=0)
    try:
        fetch_lines = []
        made: set[str] = set()
        root = str(staging)
        placed: list[tuple[str, str]] = []
        for p in payload:
            target = os.path.join(root, p.bag_path)
            if mode == "fetch" and p.bag_path.startswith("data/scans/"):
                fetch_lines.append(f"{_file_uri(p.source)} {p.size} "
                                   f"{encode_path(p.bag_path)}\n")
                result.fetch += 1
                continue
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            placed.append((p.source, target))
        # Links and copies are system calls that release the GIL: a few threads overlap them.
        chunks = [placed[i::4] for i in range(4)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            linked = sum(pool.map(lambda chunk: _place_all(chunk, mode == "link"), chunks))
        result.linked = linked
        result.copied = len(placed) - linked
        (staging / "data").mkdir(exist_ok=True)
        (staging / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8", newline="\n")
        write_manifest(staging / "manifest-sha256.txt", [(p.sha256, p.bag_path) for p in payload])
        if fetch_lines:
            (staging / "fetch.txt").write_text("".join(fetch_lines), encoding="utf-8",
                                                newline="\n")
        write_bag_info(staging / "bag-info.txt", _bag_info(meta, payload))
        tags = [name for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "fetch.txt")
                if (staging / name).exists()]
        write_manifest(staging / "tagmanifest-sha256.txt",
                       [(_sha256(str(staging / t))[0], t) for t in tags])
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _bag_info(meta: dict, payload: list[PayloadFile]) -> list[tuple[str, str]]:
    run = meta["run"]
    name = meta["locality"]
    code = next((loc.get("code", "") for loc in run.get("localities", [])
                 if loc["name"] == name), "")
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
    return [(label, unicodedata.normalize("NFC", value).replace("\n", " "))
            for label, value in items]
