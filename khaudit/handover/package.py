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
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .._version import __version__
from ..errors import KhauditError
from ..executor import stream_map
from ..project import load_project
from ..reconcile import FILE_STATUSES, RECORD_STATUSES
from ..report.locality import resolve_locality
from ..run import load_run
from ..scan.catalogue import Catalogue
from ..textnorm import slugify
from .bagit_format import BAGIT_TXT, write_bag_info, write_manifest

MODES = ("link", "copy", "fetch")


@dataclass
class PayloadFile:
    source: Path  # where it is now
    bag_path: str  # "data/..." inside the bag
    size: int
    sha256: str = ""
    expected_xxh3: str = ""  # scans: the hash the audit saw
    catalogue_key: tuple[str, str] | None = None  # scans: (absolute root, path) in the catalogue


@dataclass
class PackageResult:
    bag: Path
    files: int
    bytes: int
    hashed: int  # payload files read to hash them
    from_catalogue: int  # scans whose SHA-256 came from the catalogue
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
             ) -> tuple[list[PayloadFile], dict, int]:
    run = load_run(run_dir)
    stale = run.verify_tables()
    if stale:
        raise KhauditError(f"{run_dir}: tables {', '.join(stale)} differ from run.json; "
                           "re-run the audit before packaging")
    name = resolve_locality(run, locality)
    location = project_file or Path(run.meta.get("project", {}).get("location", ""))
    if not location or not Path(location).exists():
        raise KhauditError(f"{run_dir}: the project file of this run is not at {location!s}; "
                           "pass --project PROJECT.toml")
    project = load_project(location)
    base = project.base
    files = run.files
    mine = files[files["locality"] == name]
    ignored = run.table("ignored_files")
    sidecars = ignored[(ignored["locality"] == name) & (ignored["role"] == "sidecar")] \
        if len(ignored) else ignored
    roots = sorted(set(mine["root"]) | set(sidecars["root"] if len(sidecars) else []))
    names: dict[str, str] = {}
    for root in roots:
        label = _safe_component(Path(root).name)
        while label in names.values():
            label += "-2"
        names[root] = label
    payload: list[PayloadFile] = []
    for table in (mine, sidecars):
        for root, path, size, xxh in zip(table["root"], table["path"], table["size"],
                                         table["xxh3_128"]):
            payload.append(PayloadFile(base / root / path, f"data/scans/{names[root]}/{path}",
                                       int(size), expected_xxh3=str(xxh),
                                       catalogue_key=(str((base / root).resolve()), path)))
    for item in run.meta.get("inputs", []):
        if item.get("locality") == name:
            source = base / item["path"]
            payload.append(PayloadFile(source, f"data/inventories/{item['path']}",
                                       int(item["size"]), sha256=str(item["sha256"])))
    for child in sorted(run_dir.iterdir()):
        if child.is_file() and not child.name.startswith("."):
            payload.append(PayloadFile(child, f"data/run/{child.name}", child.stat().st_size))
    report = run_dir / slugify(name)
    for child in sorted(report.glob("report.*")) if report.is_dir() else []:
        payload.append(PayloadFile(child, f"data/report/{child.name}", child.stat().st_size))

    from_catalogue = 0
    if not rehash and project.scan.catalogue and Path(project.scan.catalogue).exists():
        with Catalogue(project.scan.catalogue) as cat:
            for p in payload:
                if p.catalogue_key is None:
                    continue
                row = cat.db.execute(
                    "SELECT size, mtime_ns, inode, sha256, xxh3_128 FROM files "
                    "WHERE root = ? AND path = ?", p.catalogue_key).fetchone()
                if not row or not row[3] or not p.source.exists():
                    continue
                st = os.stat(p.source)
                if (st.st_size, st.st_mtime_ns, st.st_ino) == tuple(row[:3]) \
                        and row[4] == p.expected_xxh3:
                    p.sha256 = row[3]
                    from_catalogue += 1
    if rehash:
        for p in payload:
            p.sha256 = ""
    meta = {"locality": name, "run": run.meta, "roots": {v: k for k, v in names.items()}}
    return payload, meta, from_catalogue


def _hash_job(paths: list[str]) -> list[tuple[str, str]]:
    return [_sha256(p) for p in paths]


def package_locality(run_dir: str | Path, locality: str, out: str | Path, mode: str = "link",
                     rehash: bool = False, project: str | Path | None = None,
                     workers: int = 0) -> PackageResult:
    """Write the handover bag of one locality of a run to ``out`` (which must not exist)."""
    if mode not in MODES:
        raise KhauditError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    run_dir, out = Path(run_dir), Path(out)
    if out.exists():
        raise KhauditError(f"{out} exists; a bag is written to a new folder")
    payload, meta, from_catalogue = _collect(run_dir, locality, rehash,
                                             Path(project) if project else None)
    missing = [str(p.source) for p in payload if not p.source.exists()]
    if missing:
        raise KhauditError(f"{len(missing)} payload file(s) are gone since the audit (or have a "
                           f"name that is not UTF-8, which a bag cannot carry), e.g. "
                           f"{', '.join(missing[:3])}; re-run the audit or rename them")
    todo = [p for p in payload if not p.sha256]
    chunks = [todo[i:i + 16] for i in range(0, len(todo), 16)]
    changed = []
    for chunk, results in zip(chunks, stream_map(_hash_job, ([str(p.source) for p in c]
                                                             for c in chunks), workers=workers)):
        for p, (sha, xxh) in zip(chunk, results):
            p.sha256 = sha
            if p.expected_xxh3 and xxh != p.expected_xxh3:
                changed.append(str(p.source))
    if changed:
        raise KhauditError(f"{len(changed)} scan(s) changed since the audit, e.g. {changed[0]}; "
                           "re-run the audit so the signed report matches what is handed over")

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    result = PackageResult(bag=out, files=len(payload), bytes=sum(p.size for p in payload),
                           hashed=len(todo), from_catalogue=from_catalogue, linked=0, copied=0,
                           fetch=0)
    try:
        fetch_lines = []
        for p in payload:
            target = staging / p.bag_path
            if mode == "fetch" and p.bag_path.startswith("data/scans/"):
                fetch_lines.append(f"{p.source.resolve().as_uri()} {p.size} {p.bag_path}\n")
                result.fetch += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == "link":
                try:
                    os.link(p.source, target)
                    result.linked += 1
                    continue
                except OSError:
                    pass
            shutil.copy2(p.source, target)
            result.copied += 1
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
