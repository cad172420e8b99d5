"""``khaudit verify``: is this bag what was audited and signed? Nothing missing, nothing altered,
nothing slipped in.

A fast check compares Payload-Oxum and presence; a full check hashes every payload file (on all
cores). Every problem is collected, bagit-python style, and each payload problem names the
inventory record the file belongs to when the bag carries khaudit's run tables. The bag is read
as hostile: manifest paths that leave it, links inside it, repeated entries and names that only
differ by Unicode normalisation are reported, never followed.
"""

from __future__ import annotations

import csv
import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..executor import stream_map
from ..i18n import t
from .bagit_format import ALGORITHMS, read_bag_info, read_manifest, safe_path

PROBLEM_KINDS = ("missing", "altered", "unexpected", "unsafe", "link", "oxum", "tag", "format",
                 "not_fetched")


@dataclass(frozen=True)
class BagProblem:
    kind: str
    path: str
    detail: str
    record: str = ""

    def __str__(self) -> str:
        where = f" [{self.record}]" if self.record else ""
        return f"{t('bag.kind.' + self.kind)}: {self.path}: {self.detail}{where}"


@dataclass
class VerifyResult:
    bag: Path
    fast: bool
    files: int = 0
    bytes: int = 0
    problems: list[BagProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _digest(job: tuple[list[str], str]) -> list[str]:
    paths, algorithm = job
    out = []
    for path in paths:
        with open(path, "rb") as fh:
            out.append(hashlib.file_digest(fh, algorithm).hexdigest())
    return out


def _records(bag: Path) -> dict[str, str]:
    """Bag path -> "inventory file!sheet:row (code)" from the bag's own run tables."""
    files = bag / "data" / "run" / "files.csv"
    info = dict(read_bag_info(bag / "bag-info.txt"))
    if not files.exists() or "KHAudit-Scan-Roots" not in info:
        return {}
    import json

    try:
        roots = {root: label for label, root in json.loads(info["KHAudit-Scan-Roots"]).items()}
    except ValueError:
        return {}
    out = {}
    with open(files, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label = roots.get(row.get("root", ""))
            if label and row.get("source_row"):
                sheet = f"!{row['source_sheet']}" if row.get("source_sheet") else ""
                code = f" ({row['record_code']})" if row.get("record_code") else ""
                out[f"data/scans/{label}/{row['path']}"] = (
                    f"{row['source_file']}{sheet}:{row['source_row']}{code}")
    return out


def verify_bag(bag: str | Path, fast: bool = False, workers: int = 0) -> VerifyResult:
    """Check a bag; every problem found is in ``result.problems`` (none: the bag is valid)."""
    bag = Path(bag)
    result = VerifyResult(bag=bag, fast=fast)
    problems = result.problems
    if not (bag / "bagit.txt").is_file():
        problems.append(BagProblem("format", "bagit.txt", t("bag.not_a_bag")))
        return result
    declaration = dict(read_bag_info(bag / "bagit.txt"))
    if "BagIt-Version" not in declaration:
        problems.append(BagProblem("format", "bagit.txt", t("bag.no_version")))

    # Tag files first: an edited bag-info.txt or manifest is caught here.
    for tagmanifest in sorted(bag.glob("tagmanifest-*.txt")):
        algorithm = tagmanifest.name[len("tagmanifest-"):-4]
        entries, found = read_manifest(tagmanifest)
        problems += [BagProblem("unsafe", tagmanifest.name, p) for p in found]
        for entry in entries:
            target = bag / entry.path
            if not target.is_file() or target.is_symlink():
                problems.append(BagProblem("missing", entry.path, t("bag.tag_absent")))
            elif _digest(([str(target)], algorithm))[0] != entry.digest:
                problems.append(BagProblem("tag", entry.path,
                                           t("bag.tag_differs", algorithm=algorithm,
                                             manifest=tagmanifest.name)))

    manifests = {m.name[len("manifest-"):-4]: m for m in bag.glob("manifest-*.txt")}
    usable = [a for a in ALGORITHMS if a in manifests]
    if not usable:
        problems.append(BagProblem("format", "manifest-*.txt", t("bag.no_manifest")))
        return result
    algorithm = usable[0]
    entries, found = read_manifest(manifests[algorithm])
    problems += [BagProblem("unsafe", manifests[algorithm].name, p) for p in found]

    fetch: dict[str, Path | None] = {}
    if (bag / "fetch.txt").is_file():
        for line in (bag / "fetch.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split(maxsplit=2)
            if len(parts) != 3:
                continue
            try:
                rel = safe_path(parts[2])
            except ValueError as exc:
                problems.append(BagProblem("unsafe", "fetch.txt", str(exc)))
                continue
            url = urlparse(parts[0])
            fetch[unicodedata.normalize("NFC", rel)] = \
                Path(unquote(url.path)) if url.scheme == "file" else None

    on_disk: dict[str, str] = {}  # NFC key -> path as on disk
    size_of: dict[str, int] = {}  # path as on disk -> size
    stack = [(str(bag / "data"), "data")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                listing = list(it)
        except OSError as exc:
            problems.append(BagProblem("missing", prefix, t("bag.cannot_list", error=exc.strerror)))
            continue
        for item in listing:
            rel = f"{prefix}/{item.name}"
            if item.is_symlink():
                problems.append(BagProblem("link", rel, t("bag.link")))
            elif item.is_dir(follow_symlinks=False):
                stack.append((item.path, rel))
            else:
                key = unicodedata.normalize("NFC", rel) if not rel.isascii() else rel
                if key in on_disk:
                    problems.append(BagProblem("unsafe", rel,
                                               t("bag.same_name", other=on_disk[key])))
                on_disk[key] = rel
                size_of[rel] = item.stat(follow_symlinks=False).st_size

    bag_dir = str(bag)
    listed: dict[str, str] = {}
    to_hash: list[tuple[str, str, str]] = []  # (bag path, file to read, expected digest)
    for entry in entries:
        key = unicodedata.normalize("NFC", entry.path) if not entry.path.isascii() else entry.path
        listed[key] = entry.path
        if not entry.path.startswith("data/"):
            problems.append(BagProblem("unsafe", entry.path, t("bag.outside")))
            continue
        if key in on_disk:
            to_hash.append((entry.path, f"{bag_dir}/{on_disk[key]}", entry.digest))
        elif key in fetch:
            target = fetch[key]
            if target is None or not target.is_file():
                problems.append(BagProblem("not_fetched", entry.path,
                                           t("bag.not_fetched")))
            else:
                to_hash.append((entry.path, str(target), entry.digest))
        else:
            problems.append(BagProblem("missing", entry.path, t("bag.absent")))
    for key, rel in sorted(on_disk.items()):
        if key not in listed:
            problems.append(BagProblem("unexpected", rel, t("bag.unexpected")))

    fetched_size = {str(t): os.path.getsize(t) for k, t in fetch.items()
                    if k not in on_disk and t is not None and t.is_file()}
    bag_prefix = bag_dir + "/"
    sizes = [size_of[source[len(bag_prefix):].replace(os.sep, "/")]
             if source.startswith(bag_prefix) else fetched_size[source]
             for _, source, _ in to_hash]
    result.files, result.bytes = len(to_hash), sum(sizes)
    oxum = dict(read_bag_info(bag / "bag-info.txt")).get("Payload-Oxum")
    if oxum:
        octets, _, count = oxum.partition(".")
        # The payload as it is: every file in data/, and fetched files readable in place.
        present = list(size_of.values()) + list(fetched_size.values())
        actual = (sum(present), len(present))
        if not octets.isdigit() or not count.isdigit() or (int(octets), int(count)) != actual:
            problems.append(BagProblem("oxum", "bag-info.txt",
                                       t("bag.oxum", oxum=oxum, actual=f"{actual[0]}.{actual[1]}")))
    if fast:
        return _with_records(result)
    order = sorted(range(len(to_hash)), key=lambda i: -sizes[i])  # big files first: even load
    batches: list[list[int]] = []
    current: list[int] = []
    weight = 0
    for i in order:
        current.append(i)
        weight += sizes[i]
        if len(current) >= 32 or weight >= 64 << 20:
            batches.append(current)
            current, weight = [], 0
    if current:
        batches.append(current)
    jobs = (([to_hash[i][1] for i in batch], algorithm) for batch in batches)
    for batch, digests in zip(batches, stream_map(_digest, jobs, workers=workers)):
        for i, digest in zip(batch, digests):
            path, _, expected = to_hash[i]
            if digest != expected:
                problems.append(BagProblem("altered", path, t(
                    "bag.altered", algorithm=algorithm, digest=digest, expected=expected)))
    return _with_records(result)


def _with_records(result: VerifyResult) -> VerifyResult:
    """Name the inventory record of each payload problem (read only when there are some)."""
    if any(p.path.startswith("data/scans/") for p in result.problems):
        records = _records(result.bag)
        result.problems = [BagProblem(p.kind, p.path, p.detail, records.get(p.path, p.record))
                           for p in result.problems]
    return result
