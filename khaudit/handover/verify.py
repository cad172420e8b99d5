"""``khaudit verify``: is this bag what was audited and signed? Nothing missing, nothing altered,
nothing slipped in.

A fast check compares Payload-Oxum and presence; a full check hashes every payload file with
every manifest's algorithm (on all cores). Every problem is collected, bagit-python style, and
each payload problem names the inventory record the file belongs to when the bag carries
khaudit's run tables. The bag is read as hostile: no link is followed (``data`` itself
included), only regular files are read, tag files read whole are capped, manifest and
``fetch.txt`` paths that leave the bag are reported, and nothing listed in ``fetch.txt`` is
ever fetched or read in place: it is reported as not fetched.

The steps, in order: the declaration (bagit.txt), the tag manifests, bag-info.txt, the payload
manifests, fetch.txt, the payload walk, the manifests against the walk, Payload-Oxum, hashing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ..contract import provenance
from ..escape import for_terminal
from ..executor import stream_map
from ..i18n import t
from .bagfiles import BagDir
from .bagit_format import (
    ALGORITHMS,
    BAG_INFO_CAP,
    DECLARATION_CAP,
    MANIFEST_CAP,
    BagFileError,
    Finding,
    ManifestEntry,
    UnsafePath,
    decode_path,
    decode_tag,
    digest_fd,
    is_system_file,
    lookup_encoding,
    nfc,
    parse_bag_info,
    read_manifest,
    safe_path,
    tag_lines,
    windows_safe,
)

PROBLEM_KINDS = (
    "missing",
    "altered",
    "unexpected",
    "unsafe",
    "link",
    "oxum",
    "tag",
    "format",
    "not_fetched",
    "special",
    "size",
    "encoding",
    "repeat",
)
WARNING_KINDS = ("repeat", "md5sum", "relative", "case", "system", "oxum")


@dataclass(frozen=True)
class BagProblem:
    kind: str
    path: str
    detail: str
    record: str = ""

    def __str__(self) -> str:
        where = f" [{for_terminal(self.record)}]" if self.record else ""
        return (
            f"{t('bag.kind.' + self.kind)}: {for_terminal(self.path)}: "
            f"{for_terminal(self.detail)}{where}"
        )


@dataclass
class VerifyResult:
    bag: Path
    fast: bool
    files: int = 0
    bytes: int = 0
    version: str = ""
    problems: list[BagProblem] = field(default_factory=list)
    #: Remarks that leave the bag valid (a repeat the bag's BagIt version tolerates, md5sum's
    #: "*" mark, a "./" prefix, a system file, a name listed twice in two cases).
    warnings: list[BagProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class _Bag:
    """What the steps share: the bag opened once, its version and tag-file encoding."""

    result: VerifyResult
    root: BagDir
    version: tuple[int, int] = (1, 0)
    encoding: str = "utf-8"
    info: dict[str, str] = field(default_factory=dict)

    def problem(self, kind: str, path: str, key: str, **values: object) -> None:
        """Record a problem once: a tag file both listed in a tag manifest and read (a
        bag-info.txt linked to /dev/zero) is refused by both steps for the same reason."""
        found = BagProblem(kind, path, t(key, **values))
        if found not in self.result.problems:
            self.result.problems.append(found)

    def warn(self, kind: str, path: str, key: str, **values: object) -> None:
        self.result.warnings.append(BagProblem(kind, path, t(key, **values)))

    def findings(self, name: str, found: list[Finding]) -> None:
        for f in found:
            detail = t("bag.at_line", line=f.line, text=t(f.key, **f.values))
            target = self.result.warnings if f.warning else self.result.problems
            target.append(BagProblem(f.kind, name, detail))

    def read_text(self, name: str, cap: int) -> str | None:
        """A tag file decoded, or None (with the problem recorded) when it cannot be read."""
        try:
            data = self.root.read_capped(name, cap)
        except BagFileError as exc:
            self.problem(exc.kind, name, exc.key, **exc.values)
            return None
        text, found = decode_tag(data, self.encoding)
        self.findings(name, found)
        return text


def _declaration(bag: _Bag) -> bool:
    """bagit.txt: exactly its two lines (strict from 1.0), a version, a known encoding."""
    try:
        data = bag.root.read_capped("bagit.txt", DECLARATION_CAP)
    except BagFileError as exc:
        key = "bag.not_a_bag" if exc.kind == "missing" else exc.key
        bag.problem(exc.kind if exc.kind != "missing" else "format", "bagit.txt", key, **exc.values)
        return False
    if data.startswith(b"\xef\xbb\xbf"):
        bag.problem("format", "bagit.txt", "bag.bom")
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    fields = dict(parse_bag_info(text))
    version = fields.get("BagIt-Version", "")
    match = re.fullmatch(r"(\d+)\.(\d+)", version)
    if not match:
        bag.problem("format", "bagit.txt", "bag.bad_version", version=version)
    else:
        bag.version = (int(match.group(1)), int(match.group(2)))
        bag.result.version = version
    declared = fields.get("Tag-File-Character-Encoding", "")
    if not declared:
        bag.problem("format", "bagit.txt", "bag.no_encoding")
    elif lookup_encoding(declared) is None:
        bag.problem("format", "bagit.txt", "bag.unknown_encoding", encoding=declared)
    else:
        bag.encoding = declared
    if bag.version >= (1, 0):
        for number, line in enumerate(tag_lines(text), 1):
            if not re.fullmatch(r"(BagIt-Version|Tag-File-Character-Encoding): \S+", line):
                bag.problem(
                    "format", "bagit.txt", "bag.at_line", line=number, text=t("bag.bad_declaration")
                )
    return True


def _tag_files(bag: _Bag) -> dict[str, dict[str, str]]:
    """``{"manifest": {algorithm: file}, "tagmanifest": {...}}`` from the bag's top folder;
    a manifest that is a link or not a regular file is a problem, an unknown algorithm too."""
    found: dict[str, dict[str, str]] = {"manifest": {}, "tagmanifest": {}}
    for entry in sorted(bag.root.listdir(""), key=lambda e: e.name):
        match = re.fullmatch(r"(tagmanifest|manifest)-(.+)\.txt", entry.name)
        if not match:
            continue
        if entry.kind == "link":
            bag.problem("link", entry.name, "bag.link")
        elif entry.kind != "file":
            bag.problem("special", entry.name, "bag.special")
        elif match.group(2) not in ALGORITHMS:
            bag.problem(
                "format",
                entry.name,
                "bag.unknown_algorithm",
                algorithm=match.group(2),
                known=", ".join(ALGORITHMS),
            )
        else:
            found[match.group(1)][match.group(2)] = entry.name
    return found


def _tag_manifests(bag: _Bag, names: dict[str, str]) -> None:
    """Each tag file listed is hashed: an edited bag-info.txt or manifest is caught here."""
    for algorithm, name in sorted(names.items()):
        text = bag.read_text(name, MANIFEST_CAP)
        if text is None:
            continue
        entries, found = read_manifest(text, bag.version, payload=False)
        bag.findings(name, found)
        for entry in entries:
            try:
                fd = bag.root.open(entry.path)
            except BagFileError as exc:
                key = "bag.tag_absent" if exc.kind == "missing" else exc.key
                bag.problem(exc.kind, entry.path, key, **exc.values)
                continue
            try:
                digest = digest_fd(fd, [algorithm])[algorithm]
            finally:
                os.close(fd)
            if digest != entry.digest:
                bag.problem(
                    "tag", entry.path, "bag.tag_differs", algorithm=algorithm, manifest=name
                )


def _bag_info(bag: _Bag) -> None:
    if bag.root.lstat("bag-info.txt") is None:
        return  # optional (a tag manifest that lists it has already said it is absent)
    text = bag.read_text("bag-info.txt", BAG_INFO_CAP)
    if text is not None:
        bag.info = dict(parse_bag_info(text))


def _payload_manifests(bag: _Bag, names: dict[str, str]) -> dict[str, list[ManifestEntry]]:
    manifests: dict[str, list[ManifestEntry]] = {}
    for algorithm in ALGORITHMS:
        if algorithm in names:
            text = bag.read_text(names[algorithm], MANIFEST_CAP)
            if text is not None:
                entries, found = read_manifest(text, bag.version, payload=True)
                bag.findings(names[algorithm], found)
                manifests[algorithm] = entries
    if not manifests and not names:
        bag.problem("format", "manifest-*.txt", "bag.no_manifest")
    return manifests


def _fetch(bag: _Bag) -> dict[str, str]:
    """NFC path -> URL of each fetch.txt line. Only read: nothing is fetched, no URL opened."""
    if bag.root.lstat("fetch.txt") is None:
        return {}
    text = bag.read_text("fetch.txt", MANIFEST_CAP)
    fetch: dict[str, str] = {}
    for number, line in enumerate(tag_lines(text or ""), 1):
        if not line.strip():
            continue
        match = re.fullmatch(r"(\S+)[ \t]+(\S+)[ \t]+(.+)", line)
        parts = match.groups() if match else ()
        if (
            not parts
            or not (parts[1] == "-" or parts[1].isdigit())
            or not urlparse(parts[0]).scheme
        ):
            bag.problem(
                "format", "fetch.txt", "bag.at_line", line=number, text=t("bag.bad_fetch_line")
            )
            continue
        try:
            rel = safe_path(decode_path(parts[2]) if bag.version >= (1, 0) else parts[2])
        except UnsafePath as exc:
            bag.problem("unsafe", "fetch.txt", "bag.at_line", line=number, text=t(exc.args[0]))
            continue
        if not rel.startswith("data/"):
            bag.problem("unsafe", "fetch.txt", "bag.at_line", line=number, text=t("bag.outside"))
            continue
        fetch[nfc(rel)] = parts[0]
    return fetch


def _walk_payload(bag: _Bag) -> dict[str, tuple[str, int]]:
    """NFC path -> (path as on disk, size) of every regular file under data/, links and
    special files reported, never followed nor read."""
    on_disk: dict[str, tuple[str, int]] = {}
    for rel, item in bag.root.walk("data"):
        if isinstance(item, BagFileError):
            if rel == "data" and item.key == "bag.absent":
                bag.problem("missing", "data", "bag.no_data")
            elif rel == "data" and item.kind != "link":
                bag.problem("format", "data", item.key, **item.values)
            else:
                bag.problem(item.kind, rel, item.key, **item.values)
        elif item.kind == "link":
            bag.problem("link", rel, "bag.link")
        elif item.kind != "file":
            bag.problem("special", rel, "bag.special")
        else:
            key = nfc(rel)
            if key in on_disk:
                bag.problem("unsafe", rel, "bag.same_name", other=on_disk[key][0])
            on_disk[key] = (rel, item.size)
            if is_system_file(rel):
                bag.warn("system", rel, "bag.system_file")
    return on_disk


def _compare(
    bag: _Bag,
    manifests: dict[str, list[ManifestEntry]],
    fetch: dict[str, str],
    on_disk: dict[str, tuple[str, int]],
) -> tuple[dict[str, dict[str, str]], int]:
    """Files to hash (path on disk -> {algorithm: expected}) and how many listed files are
    absent but tolerated (system files a copy dropped, a name repeated in another case)."""
    to_hash: dict[str, dict[str, str]] = {}
    tolerated = 0
    for algorithm, entries in manifests.items():
        listed = {nfc(e.path): e for e in entries}
        folded = {}
        for key, entry in listed.items():
            if key in on_disk:
                folded[key.casefold()] = entry
        for key, entry in listed.items():
            if key in on_disk:
                to_hash.setdefault(on_disk[key][0], {})[algorithm] = entry.digest
            elif key in fetch:
                bag.problem("not_fetched", entry.path, "bag.not_fetched", url=fetch[key])
            elif (twin := folded.get(key.casefold())) and twin.digest == entry.digest:
                bag.warn("case", entry.path, "bag.case_twin", other=twin.path)
                tolerated += algorithm == next(iter(manifests))
            elif is_system_file(entry.path):
                bag.warn("system", entry.path, "bag.system_absent")
                tolerated += algorithm == next(iter(manifests))
            else:
                bag.problem("missing", entry.path, "bag.absent")
        for key, (rel, _) in sorted(on_disk.items()):
            if key not in listed:
                bag.problem(
                    "unexpected", rel, "bag.unexpected", manifest=f"manifest-{algorithm}.txt"
                )
    return to_hash, tolerated


def _oxum(bag: _Bag, on_disk: dict[str, tuple[str, int]], system_absent: int) -> None:
    oxum = bag.info.get("Payload-Oxum")
    if not oxum or any(p.kind == "not_fetched" for p in bag.result.problems):
        return  # an incomplete bag's size is unknown until fetched; that is reported already
    octets, _, count = oxum.partition(".")
    actual = (sum(size for _, size in on_disk.values()), len(on_disk))
    shown = {"oxum": oxum, "actual": f"{actual[0]}.{actual[1]}"}
    if not octets.isdigit() or not count.isdigit():
        bag.problem("oxum", "bag-info.txt", "bag.oxum", **shown)
    elif (int(octets), int(count)) != actual:
        explained = (
            system_absent and int(count) - actual[1] == system_absent and int(octets) >= actual[0]
        )
        (bag.warn if explained else bag.problem)("oxum", "bag-info.txt", "bag.oxum", **shown)


def _digest(job: tuple[str, list[str], list[list[str]]]) -> list[dict[str, str] | str]:
    """Digests of files of a bag (each opened without following links), or the failure."""
    bag_dir, paths, algorithms = job
    out: list[dict[str, str] | str] = []
    with BagDir(bag_dir) as root:
        for path, algs in zip(paths, algorithms):
            try:
                fd = root.open(path)
            except BagFileError as exc:
                out.append(exc.kind)
                continue
            try:
                out.append(digest_fd(fd, algs))
            finally:
                os.close(fd)
    return out


def _hash_payload(
    bag: _Bag, to_hash: dict[str, dict[str, str]], sizes: dict[str, int], workers: int
) -> None:
    """Hash every file on all cores, big files first so the workers end together."""
    order = sorted(to_hash, key=lambda p: -sizes[p])
    batches: list[list[str]] = []
    current: list[str] = []
    weight = 0
    for path in order:
        current.append(path)
        weight += sizes[path]
        if len(current) >= 32 or weight >= 64 << 20:
            batches.append(current)
            current, weight = [], 0
    if current:
        batches.append(current)
    root = str(bag.result.bag)
    jobs = ((root, batch, [sorted(to_hash[p]) for p in batch]) for batch in batches)
    for batch, digests in zip(batches, stream_map(_digest, jobs, workers=workers)):
        for path, found in zip(batch, digests):
            if isinstance(found, str):
                bag.problem(found, path, "bag.changed_while_read")
                continue
            for algorithm, expected in sorted(to_hash[path].items()):
                if found[algorithm] != expected:
                    bag.problem(
                        "altered",
                        path,
                        "bag.altered",
                        algorithm=algorithm,
                        digest=found[algorithm],
                        expected=expected,
                    )


def verify_bag(bag: str | Path, fast: bool = False, workers: int = 0) -> VerifyResult:
    """Check a bag; every problem found is in ``result.problems`` (none: the bag is valid),
    remarks that leave it valid in ``result.warnings``."""
    result = VerifyResult(bag=Path(os.path.realpath(bag)), fast=fast)
    try:
        root = BagDir(result.bag)
    except OSError:
        result.problems.append(BagProblem("format", "bagit.txt", t("bag.not_a_bag")))
        return result
    with root:
        state = _Bag(result, root)
        if not _declaration(state):
            return result
        tag_files = _tag_files(state)
        _tag_manifests(state, tag_files["tagmanifest"])
        _bag_info(state)
        manifests = _payload_manifests(state, tag_files["manifest"])
        fetch = _fetch(state)
        on_disk = _walk_payload(state)
        to_hash, tolerated = _compare(state, manifests, fetch, on_disk)
        _oxum(state, on_disk, tolerated)
        sizes = {rel: size for rel, size in on_disk.values()}
        result.files, result.bytes = len(to_hash), sum(sizes[p] for p in to_hash)
        if not fast:
            _hash_payload(state, to_hash, sizes, workers)
    return _with_records(result)


def _records(bag: Path) -> dict[str, str]:
    """Bag path -> "inventory file!sheet:row (code)" from the bag's own run tables (read
    capped and without following links, like the rest of the bag)."""
    from ..run import unescape_cell

    try:
        root = BagDir(bag)
    except OSError:
        return {}
    try:
        tags = root.read_capped("bag-info.txt", BAG_INFO_CAP).decode("utf-8", "replace")
        info = dict(parse_bag_info(tags))
        roots = {
            root: label for label, root in json.loads(info.get("KHAudit-Scan-Roots", "{}")).items()
        }
        text = root.read_capped("data/run/files.csv", MANIFEST_CAP).decode("utf-8", "replace")
        out = {}
        for row in csv.DictReader(io.StringIO(text)):
            row = {k: unescape_cell(v or "") for k, v in row.items() if k}
            label = roots.get(row.get("root", ""))
            if label and row.get("source_row"):
                code = f" ({row['record_code']})" if row.get("record_code") else ""
                where = provenance(
                    row.get("source_file", ""), row.get("source_sheet", ""), row["source_row"]
                )
                out[f"data/scans/{label}/{windows_safe(row['path'])}"] = where + code
        return out
    except (BagFileError, ValueError, RecursionError, AttributeError, csv.Error):
        return {}  # not a khaudit bag, or its tables are unreadable: problems stay unnamed
    finally:
        root.close()


def _with_records(result: VerifyResult) -> VerifyResult:
    """Name the inventory record of each payload problem (read only when there are some)."""
    if any(p.path.startswith("data/scans/") for p in result.problems):
        records = _records(result.bag)
        result.problems = [
            BagProblem(p.kind, p.path, p.detail, records.get(p.path, p.record))
            for p in result.problems
        ]
    return result
