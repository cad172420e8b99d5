"""BagIt (RFC 8493 and its drafts back to 0.93) on disk: tag files, manifest lines, and paths
treated as hostile.

Shared by packaging and verification. Paths in manifests and ``fetch.txt`` are percent-encoded
only for CR, LF and "%" (RFC 8493 §2.1.3), separated by "/", and must stay inside the bag:
absolute paths, ``~`` shortcuts and ".." segments are errors, never followed. A file of the bag
is opened without following any link and must be a regular file (a FIFO or a device would
hang or never end), and a file read whole is capped (:mod:`.bagfiles`).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
#: Manifest algorithms khaudit checks, strongest first (the BagIt names are hashlib's).
ALGORITHMS = ("sha512", "sha384", "sha256", "sha224", "sha1", "md5")
#: Largest bagit.txt / bag-info.txt / manifest or fetch.txt read whole, in bytes.
DECLARATION_CAP = 64 << 10
BAG_INFO_CAP = 1 << 20
MANIFEST_CAP = 1 << 30
#: Names operating systems leave in folders: not archival content.
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"})


def encode_path(path: str) -> str:
    """A path as a manifest or fetch.txt line carries it (RFC 8493 §2.1.3).

    CR and LF are encoded; a "%" only where it starts what a reader would decode ("%0A",
    "%0D", "%25"): RFC readers decode a lone "%" as itself, and bagit-python, which decodes no
    "%25", then reads "100% done.pdf" right too.
    """
    path = re.sub(r"%(?=0[aAdD]|25)", "%25", path)
    return path.replace("\n", "%0A").replace("\r", "%0D")


def decode_path(path: str) -> str:
    return re.sub(r"%(0[aAdD]|25)", lambda m: chr(int(m.group(1), 16)), path)


def is_system_file(path: str) -> bool:
    name = posixpath.basename(path)
    return name.lower() in SYSTEM_FILES or name.startswith("._")


#: Names Windows gives to devices, whatever their extension ("CON.pdf" opens the console).
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"123456789", "¹", "²", "³")}
)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f]')


def windows_safe(path: str) -> str:
    """A bag path every receiver can unpack, Windows included (POSIX names may hold what
    Windows refuses): a device name (``CON``, ``nul.pdf``, ``COM1.tif``) gains a leading
    "_", a trailing dot or space (which Windows drops, merging names) becomes "_", and
    ``<>:"|?*`` and control characters become "_". Other names pass unchanged, so the
    same path always maps the same way: the run's own tables (``data/run/files.csv``) keep
    the scan's real name beside it."""
    return "/".join(_windows_safe_name(part) for part in path.split("/"))


def _windows_safe_name(name: str) -> str:
    if name in ("", ".", ".."):
        return name
    safe = _WINDOWS_FORBIDDEN.sub("_", name)
    stripped = safe.rstrip(" .")
    safe = stripped + "_" * (len(safe) - len(stripped))
    if safe.split(".")[0].rstrip(" ").lower() in WINDOWS_DEVICES:
        safe = "_" + safe
    return safe


class UnsafePath(ValueError):
    """A path that would leave the bag (the message key and its values are in ``args``)."""


def safe_path(path: str) -> str:
    """The path as a relative, normalised POSIX path inside the bag, or UnsafePath.

    A backslash is an ordinary character on POSIX, but a Windows receiver reads it as a
    separator: the path must stay inside the bag read either way.
    """
    if not path or path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", path):
        raise UnsafePath("bag.path.absolute")
    if path.startswith("~"):
        raise UnsafePath("bag.path.shortcut")
    for separators in ("/", "/\\"):
        depth = 0
        for part in re.split(f"[{re.escape(separators)}]", path):
            depth += -1 if part == ".." else 0 if part in ("", ".") else 1
            if depth < 0:
                raise UnsafePath("bag.path.leaves")
    normal = posixpath.normpath(path)
    if normal in (".", "") or normal.startswith("../"):
        raise UnsafePath("bag.path.leaves")
    return normal


class BagFileError(Exception):
    """A file of the bag that cannot be read as one: ``kind`` and a message key."""

    def __init__(self, kind: str, key: str, **values: object):
        super().__init__(kind, key)
        self.kind, self.key, self.values = kind, key, values


def digest_fd(fd: int, algorithms: list[str]) -> dict[str, str]:
    """Every digest of an open file in one read."""
    hashers = {a: hashlib.new(a) for a in algorithms}
    while chunk := os.read(fd, 8 << 20):
        for h in hashers.values():
            h.update(chunk)
    return {a: h.hexdigest() for a, h in hashers.items()}


@dataclass(frozen=True)
class Finding:
    """A problem (or with ``warning``, a remark that leaves the bag valid) in a tag file."""

    kind: str
    line: int
    key: str
    values: dict = field(default_factory=dict)
    warning: bool = False


def decode_tag(data: bytes, encoding: str) -> tuple[str, list[Finding]]:
    """Text of a tag file in the bag's declared encoding; bytes that are not are a finding
    (kept as surrogate escapes so they still match the names on disk)."""
    findings: list[Finding] = []
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        findings.append(
            Finding(
                "encoding", line, "bag.not_encoded", {"encoding": encoding, "offset": exc.start}
            )
        )
        text = data.decode(
            "utf-8" if encoding.lower().startswith("utf") else "latin-1", "surrogateescape"
        )
    return text.removeprefix("\ufeff"), findings


@dataclass(frozen=True)
class ManifestEntry:
    digest: str
    path: str  # decoded, normalised, inside the bag
    line: int


_LINE = re.compile(r"(\S+)[ \t]+(.*)")


def tag_lines(text: str) -> list[str]:
    """Lines of a tag file: ended by LF, CR or CRLF only (RFC 8493 §2.1), not by the other
    breaks ``str.splitlines`` knows (U+0085, U+2028, FS/GS/RS), which are legal in a name."""
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def nfc(path: str) -> str:
    return path if path.isascii() else unicodedata.normalize("NFC", path)


def read_manifest(
    text: str, version: tuple[int, int], payload: bool
) -> tuple[list[ManifestEntry], list[Finding]]:
    """Entries of a manifest and what was found in it (bad lines, unsafe paths, repeats).

    A repeat with the same digest (also after Unicode normalisation) was tolerated before
    BagIt 1.0 and is a warning there; from 1.0 on, and with another digest, it is a problem.
    """
    entries: dict[str, ManifestEntry] = {}
    findings: list[Finding] = []
    for number, line in enumerate(tag_lines(text), 1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if not match:
            findings.append(Finding("format", number, "bag.bad_line"))
            continue
        digest, rel = match.group(1).lower(), match.group(2)
        if rel.startswith("*"):  # md5sum's binary-mode mark
            rel = rel[1:]
            findings.append(Finding("md5sum", number, "bag.md5sum", warning=True))
        if rel.startswith("./"):
            findings.append(Finding("relative", number, "bag.dot_slash", warning=True))
        try:
            rel = safe_path(decode_path(rel) if version >= (1, 0) else rel)
        except UnsafePath as exc:
            findings.append(Finding("unsafe", number, exc.args[0]))
            continue
        if payload and not rel.startswith("data/"):
            findings.append(Finding("unsafe", number, "bag.outside"))
            continue
        key = nfc(rel)
        first = entries.get(key)
        if first is not None:
            same = first.digest == digest
            findings.append(
                Finding(
                    "repeat",
                    number,
                    "bag.repeat" if same else "bag.repeat_other",
                    {"first": first.line},
                    warning=same and version < (1, 0),
                )
            )
            continue
        entries[key] = ManifestEntry(digest, rel, number)
    return list(entries.values()), findings


def write_manifest(path: Path, entries: list[tuple[str, str]]) -> None:
    ordered = sorted(entries, key=lambda e: e[1])
    lines = [f"{digest}  {encode_path(rel)}\n" for digest, rel in ordered]
    path.write_text("".join(lines), encoding="utf-8", newline="\n")


def parse_bag_info(text: str) -> list[tuple[str, str]]:
    """Labels and values in order; continuation lines (leading white space) are joined, and
    white space around the colon is allowed (older bags have "Label : value")."""
    items: list[tuple[str, str]] = []
    for line in tag_lines(text):
        if line[:1] in (" ", "\t") and items:
            label, value = items[-1]
            items[-1] = (label, f"{value} {line.strip()}")
        elif ":" in line:
            label, _, value = line.partition(":")
            items.append((label.strip(), value.strip()))
    return items


def write_bag_info(path: Path, items: list[tuple[str, str]]) -> None:
    text = "".join(f"{label}: {value}\n" for label, value in items)
    path.write_text(text, encoding="utf-8", newline="\n")


def lookup_encoding(name: str) -> str | None:
    """The codec name of a declared Tag-File-Character-Encoding, or None when unknown."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
