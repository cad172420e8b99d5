"""A bag's files read as hostile, on every system: no link inside the bag is ever followed
(its ``data`` folder included), only regular files are opened, a file read whole is capped.

Where the system opens a file relative to an open folder and refuses links itself (Linux,
macOS, the BSDs: ``O_DIRECTORY``, ``O_NOFOLLOW``, ``dir_fd``), each folder on the way is
opened from the previous one and no name is looked up twice. Where it does not (Windows), each
step of the path is checked by name first (a symbolic link or a junction is refused, a FIFO or
device is never opened) and the file opened must be the very file checked (same device and
file number): a folder swapped for a link in between opens another file, which is refused.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .bagit_format import BagFileError

#: Reparse tags with this bit name another place (symbolic links, junctions, mount points);
#: others (a cloud placeholder, deduplicated data) are the file itself.
_NAME_SURROGATE = 0x20000000


def fd_relative() -> bool:
    """Whether this system opens files relative to a folder without following links."""
    return (
        getattr(os, "O_DIRECTORY", None) is not None
        and getattr(os, "O_NOFOLLOW", None) is not None
        and os.open in os.supports_dir_fd
        and os.stat in os.supports_dir_fd
        and os.scandir in os.supports_fd
    )


def is_link(info: os.stat_result) -> bool:
    """A symbolic link, or on Windows any reparse point that names another place."""
    return stat.S_ISLNK(info.st_mode) or bool(getattr(info, "st_reparse_tag", 0) & _NAME_SURROGATE)


@dataclass(frozen=True)
class Entry:
    """One name in a folder of the bag, as it is on disk (links not followed)."""

    name: str
    kind: str  # "file", "dir", "link" or "special"
    size: int = 0


def _entry(item: os.DirEntry) -> Entry:
    info = item.stat(follow_symlinks=False)
    if is_link(info):
        return Entry(item.name, "link")
    if stat.S_ISDIR(info.st_mode):
        return Entry(item.name, "dir")
    if stat.S_ISREG(info.st_mode):
        return Entry(item.name, "file", info.st_size)
    return Entry(item.name, "special")


def _failure(exc: OSError, is_a_link: bool) -> BagFileError:
    if is_a_link:
        return BagFileError("link", "bag.link")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return BagFileError("missing", "bag.absent")
    return BagFileError("missing", "bag.cannot_read", error=exc.strerror or str(exc))


class BagDir:
    """The top folder of a bag, open for reading its files (OSError when it is no folder)."""

    def __init__(self, path: str | Path):
        self.path = os.fspath(path)
        self._by_fd = fd_relative()
        self._fd = -1
        if self._by_fd:
            self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
        elif not stat.S_ISDIR(os.stat(self.path).st_mode):
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), self.path)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> BagDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lstat(self, rel: str) -> os.stat_result | None:
        """The name ``rel`` of the top folder as it is (a link not followed), None if absent."""
        try:
            if self._by_fd:
                return os.stat(rel, dir_fd=self._fd, follow_symlinks=False)
            return os.lstat(os.path.join(self.path, rel))
        except OSError:
            return None

    def open(self, rel: str) -> int:
        """A descriptor of the regular file ``rel`` ("/"-separated), or BagFileError."""
        parts = rel.split("/")
        if self._by_fd:
            return self._open_by_fd(parts)
        return self._open_by_name(parts)

    def listdir(self, rel: str) -> list[Entry]:
        """The names in folder ``rel`` ("" for the top), or BagFileError."""
        parts = rel.split("/") if rel else []
        if self._by_fd:
            fd = self._folder_fd(parts)
            try:
                with os.scandir(fd) as listing:
                    return [_entry(item) for item in listing]
            finally:
                if fd != self._fd:
                    os.close(fd)
        path = self._checked(parts, folder=True)[0]
        try:
            with os.scandir(path) as listing:
                return [_entry(item) for item in listing]
        except OSError as exc:
            raise _failure(exc, False) from None

    def walk(self, top: str) -> Iterator[tuple[str, Entry | BagFileError]]:
        """Every name under folder ``top`` but its folders, as ("/"-separated path, entry),
        links and special files included, never followed; a folder that cannot be listed
        comes as (its path, BagFileError). Each folder is opened once, from its parent, and
        a parent stays open only while some of its folders are still to list, so a bag
        thousands of folders deep or wide costs what its size does."""
        if self._by_fd:
            yield from self._walk_by_fd(top)
        else:
            yield from self._walk_by_name(top)

    def read_capped(self, rel: str, cap: int) -> bytes:
        """The bytes of a tag file read whole, refused beyond ``cap`` (BagFileError)."""
        fd = self.open(rel)
        try:
            if os.fstat(fd).st_size > cap:
                raise BagFileError("size", "bag.too_big", cap=cap)
            chunks, total = [], 0
            while chunk := os.read(fd, 1 << 20):
                total += len(chunk)
                if total > cap:  # grew while read
                    raise BagFileError("size", "bag.too_big", cap=cap)
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    # --- folders opened one from the other (O_NOFOLLOW, dir_fd)

    def _step(self, fd: int, name: str, flags: int) -> int:
        try:
            return os.open(name, flags | os.O_NOFOLLOW, dir_fd=fd)
        except OSError as exc:
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                raise _failure(exc, False) from None
            raise _failure(exc, stat.S_ISLNK(info.st_mode)) from None

    def _folder_fd(self, parts: list[str]) -> int:
        fd = self._fd
        try:
            for part in parts:
                sub = self._step(fd, part, os.O_RDONLY | os.O_DIRECTORY)
                if fd != self._fd:
                    os.close(fd)
                fd = sub
        except BaseException:
            if fd != self._fd:
                os.close(fd)
            raise
        return fd

    def _walk_by_fd(self, top: str) -> Iterator[tuple[str, Entry | BagFileError]]:
        try:
            current: tuple[int, str] | None = (self._folder_fd(top.split("/")), top)
        except BagFileError as exc:
            yield top, exc
            return
        waiting: list[tuple[int, str, str]] = []  # (open parent, name, path) still to list
        children: dict[int, int] = {}  # open parent -> its folders still waiting
        try:
            while current is not None:
                fd, rel = current
                with os.scandir(fd) as listing:
                    entries = [_entry(item) for item in listing]
                folders = [e.name for e in entries if e.kind == "dir"]
                for entry in entries:
                    if entry.kind != "dir":
                        yield f"{rel}/{entry.name}", entry
                if folders:
                    children[fd] = len(folders)
                    waiting += [(fd, name, f"{rel}/{name}") for name in reversed(folders)]
                else:
                    os.close(fd)
                current = None
                while current is None and waiting:
                    parent, name, sub = waiting.pop()
                    try:
                        current = (self._step(parent, name, os.O_RDONLY | os.O_DIRECTORY), sub)
                    except BagFileError as exc:
                        yield sub, exc
                    finally:
                        children[parent] -= 1
                        if not children[parent]:
                            del children[parent]
                            os.close(parent)
        finally:
            for fd in [*children, *([current[0]] if current else [])]:
                os.close(fd)

    def _open_by_fd(self, parts: list[str]) -> int:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just after)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        folder = self._folder_fd(parts[:-1])
        try:
            fd = self._step(folder, parts[-1], flags)
        finally:
            if folder != self._fd:
                os.close(folder)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise BagFileError("special", "bag.special")
        return fd

    # --- by name, each step checked before the file is opened

    def _checked(self, parts: list[str], folder: bool) -> tuple[str, os.stat_result | None]:
        """The path of ``parts`` once no step of it is a link and each but the last (all,
        for a ``folder``) is a folder, with the last step's status."""
        path, info = self.path, None
        for i, part in enumerate(parts):
            path = os.path.join(path, part)
            try:
                info = os.lstat(path)
            except OSError as exc:
                raise _failure(exc, False) from None
            if is_link(info):
                raise BagFileError("link", "bag.link")
            if (folder or i < len(parts) - 1) and not stat.S_ISDIR(info.st_mode):
                raise BagFileError("missing", "bag.absent")
        return path, info

    def _walk_by_name(self, top: str) -> Iterator[tuple[str, Entry | BagFileError]]:
        # A folder's own step is checked when its parent is listed and again here, so the
        # walk costs one check a folder however deep the bag is.
        try:
            waiting = [(top, self._checked(top.split("/"), folder=True)[0])]
        except BagFileError as exc:
            yield top, exc
            return
        while waiting:
            rel, path = waiting.pop()
            try:
                before = os.lstat(path)
                if is_link(before) or not stat.S_ISDIR(before.st_mode):
                    raise BagFileError("link", "bag.changed_while_read")  # swapped since
                with os.scandir(path) as listing:
                    entries = [_entry(item) for item in listing]
                after = os.lstat(path)
                if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
                    raise BagFileError("link", "bag.changed_while_read")
            except BagFileError as exc:
                yield rel, exc
                continue
            except OSError as exc:
                yield rel, _failure(exc, False)
                continue
            for entry in entries:
                if entry.kind == "dir":
                    waiting.append((f"{rel}/{entry.name}", os.path.join(path, entry.name)))
                else:
                    yield f"{rel}/{entry.name}", entry

    def _open_by_name(self, parts: list[str]) -> int:
        path, info = self._checked(parts, folder=False)
        if info is None or not stat.S_ISREG(info.st_mode):
            raise BagFileError("special", "bag.special")  # a FIFO or a device is never opened
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise _failure(exc, False) from None
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(
            opened.st_mode
        ):
            os.close(fd)
            raise BagFileError("link", "bag.changed_while_read")
        return fd
