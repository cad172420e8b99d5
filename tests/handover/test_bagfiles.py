"""A bag read as hostile on every system: with fd-relative opens (POSIX) and, where the system
has no ``O_DIRECTORY`` (Windows), by name with each step checked. Both routes run here: the
second with ``O_DIRECTORY`` taken away from ``os``."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import bagit
import pytest

from khaudit.handover import bagfiles
from khaudit.handover.bagfiles import BagDir, fd_relative, is_link
from khaudit.handover.bagit_format import BagFileError
from khaudit.handover.verify import verify_bag


@pytest.fixture(params=["fd", "by_name"])
def route(request, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "by_name":
        monkeypatch.delattr(os, "O_DIRECTORY")
        assert not fd_relative()
    else:
        assert fd_relative()
    return request.param


def bag_of(tmp_path: Path, files: dict[str, bytes] | None = None) -> Path:
    """A small bag made by bagit-python (another tool's bag)."""
    payload = tmp_path / "bag"
    for name, data in (files or {"a.txt": b"xin chao", "hop/b.txt": b"ho so"}).items():
        (payload / name).parent.mkdir(parents=True, exist_ok=True)
        (payload / name).write_bytes(data)
    bagit.make_bag(str(payload), checksums=["sha256", "md5"])
    return payload


def found(bag: Path) -> list[tuple[str, str]]:
    return sorted((p.kind, p.path) for p in verify_bag(bag, workers=1).problems)


def test_a_valid_bag_is_valid_and_edits_are_caught_on_both_routes(tmp_path: Path, route: str):
    bag = bag_of(tmp_path)
    result = verify_bag(bag, workers=1)
    assert result.valid and result.files == 2, result.problems
    (bag / "data/hop/b.txt").write_bytes(b"ho so sua")
    (bag / "data/a.txt").unlink()
    (bag / "data/them.txt").write_bytes(b"x")
    assert found(bag) == [
        ("altered", "data/hop/b.txt"),
        ("altered", "data/hop/b.txt"),  # md5 and sha256 each
        ("missing", "data/a.txt"),  # once: both manifests say the same
        ("oxum", "bag-info.txt"),
        ("unexpected", "data/them.txt"),
        ("unexpected", "data/them.txt"),
    ]


def test_no_link_is_followed_on_either_route(tmp_path: Path, route: str):
    bag = bag_of(tmp_path)
    outside = tmp_path / "outside"
    shutil.copytree(bag / "data", outside)
    shutil.rmtree(bag / "data")
    os.symlink(outside, bag / "data")  # the very files, outside the bag
    assert found(bag) == [
        ("link", "data"),
        ("missing", "data/a.txt"),  # nothing under the link is read
        ("missing", "data/hop/b.txt"),
        ("oxum", "bag-info.txt"),
    ]
    (bag / "data").unlink()
    shutil.copytree(outside, bag / "data")
    shutil.rmtree(bag / "data/hop")
    os.symlink(outside / "hop", bag / "data/hop")
    os.symlink(outside / "a.txt", bag / "data/c.txt")
    assert ("link", "data/hop") in found(bag) and ("link", "data/c.txt") in found(bag)
    (bag / "bag-info.txt").unlink()
    os.symlink("/dev/zero", bag / "bag-info.txt")
    assert found(bag).count(("link", "bag-info.txt")) == 1


def test_fifos_are_never_opened_on_either_route(tmp_path: Path, route: str):
    bag = bag_of(tmp_path)
    (bag / "data/a.txt").unlink()
    os.mkfifo(bag / "data/a.txt")  # opening it for reading would wait for a writer for good
    os.unlink(bag / "manifest-md5.txt")
    os.mkfifo(bag / "manifest-md5.txt")
    problems = found(bag)
    assert ("special", "data/a.txt") in problems and ("special", "manifest-md5.txt") in problems
    with BagDir(bag) as root, pytest.raises(BagFileError) as info:
        root.open("data/a.txt")
    assert info.value.kind == "special"


def test_a_folder_swapped_for_a_link_after_its_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """By name, a folder could become a link between the check and the open: the file then
    opened is not the one checked, and is refused."""
    monkeypatch.delattr(os, "O_DIRECTORY")
    bag = bag_of(tmp_path, {"hop/b.txt": b"ho so"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_bytes(b"secret")
    checked = BagDir._checked

    def check_then_swap(self, parts, folder):
        answer = checked(self, parts, folder)
        if parts[:2] == ["data", "hop"]:
            shutil.rmtree(bag / "data/hop")
            os.symlink(outside, bag / "data/hop")
        return answer

    monkeypatch.setattr(BagDir, "_checked", check_then_swap)
    with BagDir(bag) as root, pytest.raises(BagFileError) as info:
        root.open("data/hop/b.txt")
    assert info.value.kind == "link"


def test_junctions_count_as_links_cloud_placeholders_do_not():
    junction = SimpleNamespace(st_mode=stat.S_IFDIR, st_reparse_tag=0xA0000003)
    symlink = SimpleNamespace(st_mode=stat.S_IFREG, st_reparse_tag=0xA000000C)
    onedrive = SimpleNamespace(st_mode=stat.S_IFREG, st_reparse_tag=0x9000001A)
    posix = SimpleNamespace(st_mode=stat.S_IFLNK)
    assert is_link(junction) and is_link(symlink) and is_link(posix)  # type: ignore[arg-type]
    assert not is_link(onedrive)  # type: ignore[arg-type]


def test_a_bag_that_is_no_folder_is_not_a_bag(tmp_path: Path, route: str):
    (tmp_path / "file").write_bytes(b"x")
    for target in (tmp_path / "file", tmp_path / "absent"):
        result = verify_bag(target, workers=1)
        assert [(p.kind, p.path) for p in result.problems] == [("format", "bagit.txt")]
    assert bagfiles.fd_relative() == (route == "fd")


def remove_chain(top: Path, depth: int) -> None:
    """Remove ``top/d/d/.../f.txt`` from the bottom up: shutil.rmtree (pytest's clean-up of
    old temporary folders) recurses once a level and would fail on it."""
    path = os.path.join(top, *["d"] * depth)
    os.unlink(os.path.join(path, "f.txt"))
    for _ in range(depth):
        os.rmdir(path)
        path = os.path.dirname(path)


def test_a_bag_thousands_of_folders_deep_and_wide_costs_a_few_calls_a_folder(
    tmp_path: Path, route: str, monkeypatch: pytest.MonkeyPatch
):
    """Each folder is opened (or checked) once, not once per folder above it: a bag 1,500
    folders deep would otherwise cost a million opens."""
    bag = bag_of(tmp_path)
    (bag / "data/wide").mkdir()
    for i in range(1_500):
        (bag / f"data/wide/{i}").mkdir()
    (bag / "data/wide/7/f.txt").write_bytes(b"x")
    monkeypatch.chdir(bag / "data")
    for _ in range(1_500):
        os.mkdir("d")
        os.chdir("d")
    Path("f.txt").write_bytes(b"y")
    monkeypatch.chdir(tmp_path)
    chosen = fd_relative()
    monkeypatch.setattr(bagfiles, "fd_relative", lambda: chosen)
    calls = {"n": 0}
    for name in ("open", "lstat", "stat", "scandir"):
        real = getattr(os, name)

        def counted(*args, real=real, **kwargs):
            calls["n"] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)
    fds = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else 0
    try:
        problems = found(bag)
    finally:
        monkeypatch.undo()
        remove_chain(bag / "data", 1_500)
    assert ("unexpected", "data/" + "d/" * 1_500 + "f.txt") in problems
    assert ("unexpected", "data/wide/7/f.txt") in problems
    assert calls["n"] < 4 * 3_010 + 200, calls
    if fds:
        assert len(os.listdir("/proc/self/fd")) == fds  # every folder closed again
