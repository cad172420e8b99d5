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
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
#: Manifest algorithms khaudit checks, strongest first (the BagIt names are hashlib's).
ALGORITHMS = ("sha512", "sha384", "sha256", "sha224", "sha1", "md5")
#: Largest bagit.txt and bag-info.txt read, in bytes (manifests and fetch.txt are read line by
#: line, each line capped: :data:`LINE_CAP`).
DECLARATION_CAP = 64 << 10
BAG_INFO_CAP = 1 << 20
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


#: Longest line of a tag file read, in characters (a path of 4,096 bytes, a digest and a URL fit).
LINE_CAP = 64 << 10
_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPED = re.compile("[\udc00-\udcff]")
_ESCAPE_HANDLER = "khaudit.tag_bytes"
_first_error = threading.local()


def _escape_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Bytes a tag file's encoding cannot decode, kept as U+DC00 + byte (surrogateescape's own
    mapping for the bytes it handles, so a name still matches the name on disk), the first
    one's position noted for the reader."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    if getattr(_first_error, "start", None) is None:
        _first_error.start = exc.start
    return "".join(chr(0xDC00 + b) for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(_ESCAPE_HANDLER, _escape_bytes)


class _LineSplitter:
    """Lines of a tag file from its decoded text as it arrives, each line at most
    :data:`LINE_CAP` characters kept (a longer one is a finding and is skipped whole)."""

    def __init__(self) -> None:
        self.number = 0
        self.pending = ""
        self.skipping = False

    def feed(self, text: str, final: bool) -> Iterator[tuple[int, str] | Finding]:
        data = self.pending + text
        hold = "" if final or not data.endswith("\r") else "\r"  # maybe half of a CRLF
        parts = _BREAK.split(data[:-1] if hold else data)
        if final:
            if parts[-1] == "":
                parts.pop()
            self.pending = ""
        else:
            self.pending = parts.pop() + hold
        for part in parts:
            self.number += 1
            if self.skipping:
                self.skipping = False  # the end of the line found too long
            elif len(part) > LINE_CAP:
                yield Finding("size", self.number, "bag.long_line", {"cap": LINE_CAP})
            else:
                yield self.number, part.removeprefix("\ufeff") if self.number == 1 else part
        if len(self.pending) - len(hold) > LINE_CAP and not self.skipping:
            self.skipping = True
            self.pending = hold
            yield Finding("size", self.number + 1, "bag.long_line", {"cap": LINE_CAP})
        elif self.skipping:
            self.pending = hold


def tag_file_lines(chunks: Iterable[bytes], encoding: str) -> Iterator[tuple[int, str] | Finding]:
    """The numbered lines of a tag file read chunk by chunk (so a file of any size costs a
    chunk and a line of memory), decoded in ``encoding``; findings on the way: a line longer
    than :data:`LINE_CAP` (skipped) and the first byte that is not ``encoding`` (its line read
    with such bytes kept as escapes, which still match the names on disk)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=_ESCAPE_HANDLER)
    lines = _LineSplitter()
    consumed, reported = 0, False
    for chunk, final in _with_last(chunks):
        buffered = len(decoder.getstate()[0])
        _first_error.start = None
        try:
            text = decoder.decode(chunk, final)
        except (UnicodeError, ValueError, TypeError):
            # A codec that takes no error handler (idna, punycode), or UTF-16/32 without a
            # byte-order mark: the rest is read as UTF-8, names kept as on disk.
            if not reported:
                reported = True
                where = {"encoding": encoding, "offset": consumed}
                yield Finding("encoding", lines.number + 1, "bag.not_encoded", where)
            decoder = codecs.getincrementaldecoder("utf-8")(errors=_ESCAPE_HANDLER)
            text = decoder.decode(chunk, final)
        if _first_error.start is not None and not reported:
            reported = True
            at = _ESCAPED.search(text)
            before = lines.pending + text[: at.start() if at else 0]
            line = lines.number + len(_BREAK.findall(before)) + 1
            offset = consumed - buffered + _first_error.start
            yield Finding(
                "encoding", line, "bag.not_encoded", {"encoding": encoding, "offset": offset}
            )
        consumed += len(chunk)
        yield from lines.feed(text, final)


def _with_last(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each chunk with whether it is the last one (an empty last chunk when there are none)."""
    previous: bytes | None = None
    for chunk in chunks:
        if previous is not None:
            yield previous, False
        previous = chunk
    yield previous or b"", True


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


def manifest_entries(
    lines: Iterable[tuple[int, str] | Finding], version: tuple[int, int], payload: bool
) -> Iterator[ManifestEntry | Finding]:
    """The entries of a manifest as its lines arrive, and what was found on the way (bad lines,
    unsafe paths, a line too long). Repeats are the reader's to find (:func:`repeat_finding`):
    only it knows which entries it keeps."""
    for item in lines:
        if isinstance(item, Finding):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if not match:
            yield Finding("format", number, "bag.bad_line")
            continue
        digest, rel = match.group(1).lower(), match.group(2)
        if rel.startswith("*"):  # md5sum's binary-mode mark
            rel = rel[1:]
            yield Finding("md5sum", number, "bag.md5sum", warning=True)
        if rel.startswith("./"):
            yield Finding("relative", number, "bag.dot_slash", warning=True)
        try:
            rel = safe_path(decode_path(rel) if version >= (1, 0) else rel)
        except UnsafePath as exc:
            yield Finding("unsafe", number, exc.args[0])
            continue
        if payload and not rel.startswith("data/"):
            yield Finding("unsafe", number, "bag.outside")
            continue
        yield ManifestEntry(digest, rel, number)


def repeat_finding(first: ManifestEntry, again: ManifestEntry, version: tuple[int, int]) -> Finding:
    """A path listed twice (also after Unicode normalisation): with the same digest tolerated
    before BagIt 1.0 (a warning there); from 1.0 on, and with another digest, a problem."""
    same = first.digest == again.digest
    return Finding(
        "repeat",
        again.line,
        "bag.repeat" if same else "bag.repeat_other",
        {"first": first.line},
        warning=same and version < (1, 0),
    )


def write_manifest(path: Path, entries: list[tuple[str, str]]) -> None:
    ordered = sorted(entries, key=lambda e: e[1])
    lines = [f"{digest}  {encode_path(rel)}\n" for digest, rel in ordered]
    path.write_text("".join(lines), encoding="utf-8", newline="\n")


def parse_bag_info(text: str) -> list[tuple[str, str]]:
    """Labels and values in order (:func:`parse_info_lines` of the text's lines)."""
    return parse_info_lines(tag_lines(text))


def parse_info_lines(lines: Iterable[str]) -> list[tuple[str, str]]:
    """Labels and values in order; continuation lines (leading white space) are joined, and
    white space around the colon is allowed (older bags have "Label : value")."""
    items: list[tuple[str, str]] = []
    for line in lines:
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
    """The codec name of a declared Tag-File-Character-Encoding, or None when unknown or not
    a text encoding (Python also names transforms such as "zlib", "base64" or "rot13":
    a tag file "encoded" in zlib would be a decompression bomb)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None
