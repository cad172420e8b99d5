"""``khaudit verify``: is this bag what was audited and signed? Nothing missing, nothing altered,
nothing slipped in.

A fast check compares Payload-Oxum and presence; a full check hashes every payload file with
every manifest's algorithm (on all cores). Every problem is collected, bagit-python style, and
each payload problem names the inventory record the file belongs to when the bag carries
khaudit's run tables. The bag is read as hostile: no link is followed (``data`` itself
included), only regular files are read, tag files are read line by line with each line capped
(bagit.txt and bag-info.txt whole, capped), what is kept of a manifest is bounded by the
bag's own files, manifest and ``fetch.txt`` paths that leave the bag are reported, and nothing
listed in ``fetch.txt`` is ever fetched or read in place: it is reported as not fetched.

The steps, in order: the declaration (bagit.txt), the tag manifests, bag-info.txt, the payload
walk, fetch.txt, the payload manifests, the manifests against the walk, Payload-Oxum, hashing.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
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
    LINE_CAP,
    BagFileError,
    Finding,
    ManifestEntry,
    UnsafePath,
    decode_path,
    digest_fd,
    is_system_file,
    lookup_encoding,
    manifest_entries,
    nfc,
    parse_bag_info,
    parse_info_lines,
    repeat_finding,
    safe_path,
    tag_file_lines,
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
    "unlisted",
)
WARNING_KINDS = ("repeat", "md5sum", "relative", "case", "system", "oxum", "unlisted")
#: Problems (and, apart, warnings) listed one by one; past this many they are only counted,
#: so a crafted bag with millions of bad lines costs no more than a bag with a few.
LISTED_CAP = 10_000
#: Entries of a manifest naming files absent from the bag, and fetch.txt lines naming files
#: to fetch, kept for the checks that need them; past these they are counted in one problem.
#: Entries of files that are in the bag are always kept: the bag's own files bound them.
ABSENT_KEPT = 5_000
FETCH_KEPT = 100_000


@dataclass(frozen=True)
class BagProblem:
    kind: str
    path: str
    detail: str
    record: str = ""

    def __str__(self) -> str:
        where = f" [{for_terminal(self.record)}]" if self.record else ""
        path = f"{for_terminal(self.path)}: " if self.path else ""  # a count of the bag's
        return f"{t('bag.kind.' + self.kind)}: {path}{for_terminal(self.detail)}{where}"


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
    unlisted: list[int] = field(default_factory=lambda: [0, 0])  # problems, warnings
    _seen: set[BagProblem] = field(default_factory=set)

    def problem(self, kind: str, path: str, key: str, **values: object) -> None:
        """Record a problem once: a tag file both listed in a tag manifest and read (a
        bag-info.txt linked to /dev/zero) is refused by both steps for the same reason."""
        if self._full(warning=False):
            return
        found = BagProblem(kind, path, t(key, **values))
        if found not in self._seen:
            self._seen.add(found)
            self.result.problems.append(found)

    def warn(self, kind: str, path: str, key: str, **values: object) -> None:
        if not self._full(warning=True):
            self.result.warnings.append(BagProblem(kind, path, t(key, **values)))

    def _full(self, warning: bool) -> bool:
        """Whether problems (or warnings) are listed up to :data:`LISTED_CAP`; this one is
        then only counted."""
        if len(self.result.warnings if warning else self.result.problems) < LISTED_CAP:
            return False
        self.unlisted[warning] += 1
        return True

    def finding(self, name: str, f: Finding) -> None:
        if self._full(f.warning):
            return
        found = BagProblem(f.kind, name, t("bag.at_line", line=f.line, text=t(f.key, **f.values)))
        (self.result.warnings if f.warning else self.result.problems).append(found)

    def lines(self, name: str, cap: int | None = None) -> Iterator[tuple[int, str]]:
        """The numbered lines of a tag file as they are read (a chunk and a line in memory at
        a time); what cannot be read, a line too long and bytes not in the bag's encoding are
        recorded as problems on the way. ``cap``: the most bytes the file may hold."""
        try:
            fd = self.root.open(name)
        except BagFileError as exc:
            self.problem(exc.kind, name, exc.key, **exc.values)
            return
        try:
            for item in tag_file_lines(_chunks(fd, cap), self.encoding):
                if isinstance(item, Finding):
                    self.finding(name, item)
                else:
                    yield item
        except BagFileError as exc:
            self.problem(exc.kind, name, exc.key, **exc.values)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Count what was left unlisted, in one line each."""
        if self.unlisted[0]:
            self.result.problems.append(
                BagProblem("unlisted", "", t("bag.unlisted", n=self.unlisted[0], cap=LISTED_CAP))
            )
        if self.unlisted[1]:
            self.result.warnings.append(
                BagProblem("unlisted", "", t("bag.unlisted", n=self.unlisted[1], cap=LISTED_CAP))
            )


def _chunks(fd: int, cap: int | None) -> Iterator[bytes]:
    """The bytes of an open file in chunks; BagFileError once more than ``cap`` arrived."""
    if cap is not None and os.fstat(fd).st_size > cap:
        raise BagFileError("size", "bag.too_big", cap=cap)
    total = 0
    while chunk := os.read(fd, 1 << 20):
        total += len(chunk)
        if cap is not None and total > cap:  # grew while read, or a device
            raise BagFileError("size", "bag.too_big", cap=cap)
        yield chunk


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
    """Each tag file listed is hashed as its line is read: an edited bag-info.txt or manifest
    is caught here."""
    for algorithm, name in sorted(names.items()):
        seen: dict[str, ManifestEntry] = {}
        absent = 0
        for entry in manifest_entries(bag.lines(name), bag.version, payload=False):
            if isinstance(entry, Finding):
                bag.finding(name, entry)
                continue
            key = nfc(entry.path)
            if key in seen:
                bag.finding(name, repeat_finding(seen[key], entry, bag.version))
                continue
            found = _check_tag(bag, entry, algorithm, name)
            if found or absent < ABSENT_KEPT:  # what a repeat is checked against, bounded
                seen[key] = entry
                absent += not found


def _check_tag(bag: _Bag, entry: ManifestEntry, algorithm: str, manifest: str) -> bool:
    """Hash one tag file a tag manifest lists; False when it is absent or unreadable."""
    try:
        fd = bag.root.open(entry.path)
    except BagFileError as exc:
        key = "bag.tag_absent" if exc.kind == "missing" else exc.key
        bag.problem(exc.kind, entry.path, key, **exc.values)
        return False
    try:
        digest = digest_fd(fd, [algorithm])[algorithm]
    finally:
        os.close(fd)
    if digest != entry.digest:
        bag.problem("tag", entry.path, "bag.tag_differs", algorithm=algorithm, manifest=manifest)
    return True


def _bag_info(bag: _Bag) -> None:
    if bag.root.lstat("bag-info.txt") is None:
        return  # optional (a tag manifest that lists it has already said it is absent)
    lines = [line for _, line in bag.lines("bag-info.txt", BAG_INFO_CAP)]
    bag.info = dict(parse_info_lines(lines))


def _payload_manifests(
    bag: _Bag, names: dict[str, str], on_disk: dict[str, tuple[str, int]]
) -> dict[str, dict[str, ManifestEntry]]:
    """NFC path -> entry of each payload manifest, read line by line."""
    manifests: dict[str, dict[str, ManifestEntry]] = {}
    for algorithm in ALGORITHMS:
        if algorithm in names:
            manifests[algorithm] = _listed(bag, names[algorithm], on_disk)
    if not manifests and not names:
        bag.problem("format", "manifest-*.txt", "bag.no_manifest")
    return manifests


def _listed(bag: _Bag, name: str, on_disk: dict[str, tuple[str, int]]) -> dict[str, ManifestEntry]:
    """The entries of one payload manifest: every one of a file in the bag, and the first
    :data:`ABSENT_KEPT` of files absent from it (the rest counted in one problem)."""
    listed: dict[str, ManifestEntry] = {}
    absent = dropped = 0
    for entry in manifest_entries(bag.lines(name), bag.version, payload=True):
        if isinstance(entry, Finding):
            bag.finding(name, entry)
            continue
        key = nfc(entry.path)
        if key in listed:
            bag.finding(name, repeat_finding(listed[key], entry, bag.version))
            continue
        if key not in on_disk:
            if absent >= ABSENT_KEPT:
                dropped += 1
                continue
            absent += 1
        listed[key] = entry
    if dropped:
        bag.problem("missing", name, "bag.more_absent", n=dropped, cap=ABSENT_KEPT)
    return listed


def _fetch(bag: _Bag, on_disk: dict[str, tuple[str, int]]) -> dict[str, str]:
    """NFC path -> URL of each fetch.txt line naming a file absent from the bag (the first
    :data:`FETCH_KEPT`). Only read: nothing is fetched, no URL opened."""
    if bag.root.lstat("fetch.txt") is None:
        return {}
    fetch: dict[str, str] = {}
    dropped = 0
    for number, line in bag.lines("fetch.txt"):
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
        key = nfc(rel)
        if key in on_disk:
            continue  # fetched already: its manifest entry is checked as any other
        if len(fetch) >= FETCH_KEPT:
            dropped += 1
            continue
        fetch[key] = parts[0]
    if dropped:
        bag.problem("not_fetched", "fetch.txt", "bag.more_fetch", n=dropped, cap=FETCH_KEPT)
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
    manifests: dict[str, dict[str, ManifestEntry]],
    fetch: dict[str, str],
    on_disk: dict[str, tuple[str, int]],
) -> tuple[dict[str, dict[str, str]], int]:
    """Files to hash (path on disk -> {algorithm: expected}) and how many listed files are
    absent but tolerated (system files a copy dropped, a name repeated in another case)."""
    to_hash: dict[str, dict[str, str]] = {}
    tolerated = 0
    for algorithm, listed in manifests.items():
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
        on_disk = _walk_payload(state)  # first: it bounds what the manifests must keep
        fetch = _fetch(state, on_disk)
        manifests = _payload_manifests(state, tag_files["manifest"], on_disk)
        to_hash, tolerated = _compare(state, manifests, fetch, on_disk)
        _oxum(state, on_disk, tolerated)
        sizes = {rel: size for rel, size in on_disk.values()}
        result.files, result.bytes = len(to_hash), sum(sizes[p] for p in to_hash)
        if not fast:
            _hash_payload(state, to_hash, sizes, workers)
        state.close()
    return _with_records(result)


def _records(bag: Path, wanted: set[str]) -> dict[str, str]:
    """Bag path -> "inventory file!sheet:row (code)" of the ``wanted`` paths, from the bag's
    own run tables (read row by row, each line capped, without following links, like the
    rest of the bag)."""
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
        out = {}
        with open(
            root.open("data/run/files.csv"), encoding="utf-8", errors="replace", newline=""
        ) as fh:
            for row in csv.DictReader(_capped_lines(fh)):
                row = {k: unescape_cell(v or "") for k, v in row.items() if k}
                label = roots.get(row.get("root", ""))
                path = f"data/scans/{label}/{windows_safe(row.get('path', ''))}"
                if label and row.get("source_row") and path in wanted:
                    code = f" ({row['record_code']})" if row.get("record_code") else ""
                    where = provenance(
                        row.get("source_file", ""), row.get("source_sheet", ""), row["source_row"]
                    )
                    out[path] = where + code
        return out
    except (BagFileError, OSError, ValueError, RecursionError, AttributeError, csv.Error):
        return {}  # not a khaudit bag, or its tables are unreadable: problems stay unnamed
    finally:
        root.close()


def _capped_lines(fh: TextIO) -> Iterator[str]:
    """The lines of a text file, each read at most :data:`LINE_CAP` characters long (a longer
    one ends the reading with ValueError)."""
    while line := fh.readline(LINE_CAP + 1):
        if len(line) > LINE_CAP:
            raise ValueError("line too long")
        yield line


def _with_records(result: VerifyResult) -> VerifyResult:
    """Name the inventory record of each payload problem (read only when there are some)."""
    if any(p.path.startswith("data/scans/") for p in result.problems):
        records = _records(result.bag, {p.path for p in result.problems})
        result.problems = [
            BagProblem(p.kind, p.path, p.detail, records.get(p.path, p.record))
            for p in result.problems
        ]
    return result
