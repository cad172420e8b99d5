"""BagIt (RFC 8493) on disk: tag files, manifest lines, and paths treated as hostile.

Shared by packaging and verification. Paths in manifests are percent-encoded only for CR, LF and
"%" (RFC 8493 §2.1.3), separated by "/", and must stay inside the bag: absolute paths, ".."
segments, and duplicate entries (also after Unicode normalisation) are errors, never followed.
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass
from pathlib import Path

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
ALGORITHMS = ("sha256", "sha512", "sha1", "md5")


def encode_path(path: str) -> str:
    return path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def decode_path(path: str) -> str:
    return path.replace("%0A", "\n").replace("%0a", "\n").replace("%0D", "\r") \
        .replace("%0d", "\r").replace("%25", "%")


class UnsafePath(ValueError):
    """A manifest path that would leave the bag."""


def safe_path(path: str) -> str:
    """The path as a relative, normalised POSIX path inside the bag, or UnsafePath."""
    if not path or path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        raise UnsafePath(f"absolute path {path!r}")
    if "\\" in path:
        raise UnsafePath(f"backslash in path {path!r}")
    normal = posixpath.normpath(path)
    if normal.startswith("../") or normal == ".." or "/../" in f"/{path}/":
        raise UnsafePath(f"path {path!r} leaves the bag")
    return normal


@dataclass(frozen=True)
class ManifestEntry:
    digest: str
    path: str  # decoded, normalised, inside the bag
    line: int


def read_manifest(path: Path) -> tuple[list[ManifestEntry], list[str]]:
    """Entries of a manifest and the problems found in it (bad lines, unsafe paths, repeats)."""
    entries: list[ManifestEntry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    text = path.read_bytes().decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        digest, sep, rest = line.strip("\ufeff").partition(" ")
        rel = rest.lstrip(" *")
        if not sep or not rel:
            problems.append(f"{path.name} line {number}: not 'CHECKSUM  PATH': {line!r}")
            continue
        try:
            if "%" in rel or ".." in rel or rel.startswith("/") or "\\" in rel or "//" in rel \
                    or "/./" in rel or rel.startswith("./") or rel.endswith("/."):
                rel = safe_path(decode_path(rel))  # the plain case needs neither
        except UnsafePath as exc:
            problems.append(f"{path.name} line {number}: {exc}; entry ignored")
            continue
        key = rel if rel.isascii() else unicodedata.normalize("NFC", rel)
        if key in seen:
            problems.append(f"{path.name} line {number}: {rel!r} is listed again "
                            f"(first on line {seen[key]})")
            continue
        seen[key] = number
        entries.append(ManifestEntry(digest.lower(), rel, number))
    return entries, problems


def write_manifest(path: Path, entries: list[tuple[str, str]]) -> None:
    ordered = sorted(entries, key=lambda e: e[1])
    lines = [f"{digest}  {encode_path(rel)}\n" for digest, rel in ordered]
    path.write_text("".join(lines), encoding="utf-8", newline="\n")


def read_bag_info(path: Path) -> list[tuple[str, str]]:
    """Labels and values in order; continuation lines (leading white space) are joined."""
    items: list[tuple[str, str]] = []
    if not path.exists():
        return items
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
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
