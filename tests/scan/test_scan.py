from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from khaudit.demo import scanfiles as sf
from khaudit.scan.catalogue import scan_roots
from khaudit.scan.inspect import inspect_file


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    rng = random.Random(3)
    root = tmp_path / "root"
    (root / "Hop 01").mkdir(parents=True)
    (root / "Hop 01" / "HS 001.pdf").write_bytes(sf.pdf_bytes("a", 3, rng))
    (root / "Hop 01" / "HS 002.tif").write_bytes(sf.tiff_bytes("b", 4, rng))
    (root / "cut.pdf").write_bytes(sf.truncate(sf.pdf_bytes("c", 5, rng)))
    (root / "cut.tif").write_bytes(sf.truncate(sf.tiff_bytes("c", 5, rng), 0.5))
    (root / "page.jpg").write_bytes(sf.jpeg_series("d", 1, rng)[0])
    (root / "cut.jpg").write_bytes(sf.jpeg_series("d", 1, rng)[0][:-200])
    (root / "zero.pdf").write_bytes(b"")
    (root / "fake.pdf").write_bytes(b"hello, not a pdf")
    (root / "scan.bin").write_bytes(sf.pdf_bytes("e", 2, rng))  # a PDF whatever its name
    (root / "Thumbs.db").write_bytes(b"\0" * 10)
    (root / "metadata.csv").write_text("Tên tệp,Mã hồ sơ\nx.pdf,A\n", encoding="utf-8")
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(sf.pdf_bytes("f", 1, rng))
    os.symlink(outside, root / "link-out.pdf")
    os.symlink(root / "Hop 01", root / "loop")
    return root


def test_inspection_verdicts(tree: Path):
    facts = {p.name: inspect_file(str(p)) for p in tree.rglob("*") if p.is_file()}
    assert (facts["HS 001.pdf"].format, facts["HS 001.pdf"].pages) == ("pdf", 3)
    assert (facts["HS 002.tif"].format, facts["HS 002.tif"].pages) == ("tiff", 4)
    assert facts["HS 002.tif"].dpi == 200 and facts["HS 002.tif"].color_mode == "L"
    assert facts["cut.pdf"].integrity == "truncated"
    assert facts["cut.tif"].integrity in ("truncated", "unparsable")
    assert facts["page.jpg"].integrity == "ok" and facts["page.jpg"].pages == 1
    assert facts["cut.jpg"].integrity == "truncated"
    assert facts["zero.pdf"].integrity == "empty"
    assert facts["fake.pdf"].integrity == "unparsable"
    assert (facts["scan.bin"].format, facts["scan.bin"].pages) == ("pdf", 2)
    assert len(facts["HS 001.pdf"].xxh3_128) == 32 and facts["HS 001.pdf"].sha256 == ""
    assert len(inspect_file(str(tree / "cut.pdf"), sha256=True).sha256) == 64


def test_encrypted_pdf_is_reported(tmp_path: Path):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert inspect_file(str(path)).integrity == "encrypted"


def test_walk_roles_links_and_no_escape(tree: Path):
    result = scan_roots("X", [tree], workers=1)
    by_path = dict(zip(result.files["path"], result.files["role"]))
    assert by_path["Thumbs.db"] == "system" and by_path["metadata.csv"] == "sidecar"
    assert by_path["Hop 01/HS 001.pdf"] == "scan"
    assert "link-out.pdf" not in by_path
    assert not any(p.startswith("loop/") for p in by_path)
    problems = {p.relpath: p.problem for p in result.problems}
    assert "outside" in problems["link-out.pdf"] and "not followed" in problems["loop"]


def test_listing_through_an_open_folder_or_by_path_agree(tree: Path, monkeypatch):
    from khaudit.scan import walk

    inside = tree / "Hop 01" / "inside-link.pdf"  # a link to a file within the root is kept
    os.symlink(tree / "page.jpg", inside)

    def listing() -> tuple[list, list]:
        problems: list = []
        folders = list(walk.walk_folders(tree, problems))
        return folders, [(p.relpath, p.problem) for p in problems]

    by_fd = listing()
    monkeypatch.setattr(walk, "_BY_FD", False)  # as on Windows
    by_path = listing()
    assert by_fd == by_path
    files = {f[1]: f for _, fs in by_fd[0] for f in fs}
    assert files["Hop 01/inside-link.pdf"][0] == str(inside)
    assert files["Hop 01/inside-link.pdf"][2] == (tree / "page.jpg").stat().st_size
    assert ("link-out.pdf", walk.t("walk.outside")) in by_fd[1]


def test_a_scan_changes_nothing_in_the_tree(tree: Path):
    def state() -> dict[str, tuple[bytes, int] | None]:
        return {
            str(p): (p.read_bytes(), p.stat().st_mtime_ns)
            if p.is_file() and not p.is_symlink()
            else None
            for p in sorted(tree.rglob("*"))
        }

    before = state()
    scan_roots("X", [tree], sha256=True, workers=2)
    assert state() == before  # same names, same bytes, same mtimes: nothing added or touched


def test_unreadable_folder_is_a_problem_not_a_crash(tree: Path, monkeypatch):
    real_scandir, real_open = os.scandir, os.open
    locked = str(tree / "Hop 01")  # tests run as root here, so chmod would not lock it

    def scandir(path="."):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(path, flags, *args, **kwargs):  # the walk lists a folder through an open fd
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    result = scan_roots("X", [tree], workers=1)
    assert [(p.relpath, p.problem) for p in result.problems if "cannot list" in p.problem] == [
        ("Hop 01", "cannot list folder: Permission denied")
    ]
    assert "page.jpg" in set(result.files["path"])


def _tiff_with_directories_last(pages: int) -> bytes:
    """A grey TIFF whose pages each store their pixels first and their tags after them, as
    some stations write: a transfer cut short then cuts a directory, not pixels."""
    import struct

    width, height = 8, 2
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    link = 4  # where the offset of the next directory goes
    for page in range(pages):
        pixels = len(out)
        out += bytes([page * 20]) * (width * height)
        struct.pack_into("<I", out, link, len(out))
        tags = [(256, 3, width), (257, 3, height), (258, 3, 8), (259, 3, 1), (262, 3, 1)]
        tags += [(273, 4, pixels), (277, 3, 1), (278, 3, height), (279, 4, width * height)]
        out += struct.pack("<H", len(tags))
        for tag, kind, value in tags:
            out += struct.pack("<HHI", tag, kind, 1) + struct.pack("<I", value)
        link = len(out)
        out += b"\x00\x00\x00\x00"
    return bytes(out)


def test_a_tiff_cut_inside_its_last_directory_is_truncated(tmp_path: Path):
    whole = _tiff_with_directories_last(4)
    (tmp_path / "whole.tif").write_bytes(whole)
    assert inspect_file(str(tmp_path / "whole.tif")).integrity == "ok"
    (tmp_path / "cut.tif").write_bytes(whole[:-6])
    facts = inspect_file(str(tmp_path / "cut.tif"))
    assert facts.integrity == "truncated", facts.integrity_note
