"""Tag files are read line by line: a crafted manifest, fetch.txt or bag-info.txt costs a line of
memory, not its size, and a line too long is a located bag problem."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_handover import tiny_bag

from khaudit.handover.bagit_format import LINE_CAP, tag_file_lines, tag_lines
from khaudit.handover.verify import ABSENT_KEPT, LISTED_CAP, verify_bag

#: Verify in a fresh interpreter, tracing what Python allocates while it runs.
_MEASURE = """
import json, sys, tracemalloc
from khaudit.handover.verify import verify_bag

tracemalloc.start()
result = verify_bag(sys.argv[1], workers=1)
peak = tracemalloc.get_traced_memory()[1]
kinds = sorted({p.kind for p in result.problems})
print(json.dumps({"peak": peak, "problems": len(result.problems), "kinds": kinds,
                  "details": [str(p) for p in result.problems[:3]]}))
"""

MANIFEST_BYTES = 200 << 20


def _write_manifest(path: Path, one_line: bool) -> None:
    """About 200 MB: distinct absent files, each on its own line, or one line with no end."""
    digest = "0" * 64
    with open(path, "ab") as fh:
        written = 0
        while written < MANIFEST_BYTES:
            if one_line:
                block = b"x" * (1 << 20)
            else:
                start = written // 1000
                block = "".join(
                    f"{digest}  data/{'d' * 900}/{i:09d}.pdf\n" for i in range(start, start + 1000)
                ).encode()
            fh.write(block)
            written += len(block)


@pytest.mark.parametrize("one_line", [False, True], ids=["many-lines", "one-line"])
def test_a_200_mb_manifest_is_verified_in_bounded_memory(tmp_path: Path, one_line: bool):
    bag = tiny_bag(tmp_path)
    (bag / "tagmanifest-sha256.txt").unlink()  # it would say the manifest was edited
    _write_manifest(bag / "manifest-sha256.txt", one_line)
    assert (bag / "manifest-sha256.txt").stat().st_size > MANIFEST_BYTES
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(bag)], capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["peak"] < 48 << 20, found["peak"]  # the manifest is over 200 MB
    if one_line:
        assert found["kinds"] == ["size"]
        assert f"line 3: longer than {LINE_CAP} characters" in found["details"][0]
    else:  # every entry names an absent file: the first ones listed, the rest counted
        assert found["kinds"] == ["missing"]
        assert found["problems"] == ABSENT_KEPT + 1 < LISTED_CAP
        assert "more entries of files absent from the bag" in found["details"][0]


def test_a_line_too_long_is_located_and_the_rest_is_read(tmp_path: Path):
    bag = tiny_bag(tmp_path)
    manifest = bag / "manifest-sha256.txt"
    lines = manifest.read_bytes().splitlines(keepends=True)
    assert len(lines) == 2
    long_line = b"a" * (LINE_CAP + 10) + b"  data/elsewhere.txt\r\n"
    manifest.write_bytes(lines[0] + long_line + lines[1])
    (bag / "fetch.txt").write_bytes(b"http://example.org/" + b"f" * (2 * LINE_CAP) + b" 1 data/x\n")
    info = (bag / "bag-info.txt").read_bytes()
    (bag / "bag-info.txt").write_bytes(info + b"Note: " + b"n" * (LINE_CAP + 1) + b"\n")
    tags = bag / "tagmanifest-sha256.txt"
    tags.write_text(
        "".join(
            f"{hashlib.sha256((bag / n).read_bytes()).hexdigest()}  {n}\n"
            for n in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "fetch.txt")
        ),
        encoding="utf-8",
    )
    result = verify_bag(bag, workers=1)
    found = {(p.kind, p.path, p.detail) for p in result.problems}
    too_long = f"longer than {LINE_CAP} characters: not read"
    n_info = info.count(b"\n") + 1
    assert found == {
        ("size", "manifest-sha256.txt", f"line 2: {too_long}"),
        ("size", "fetch.txt", f"line 1: {too_long}"),
        ("size", "bag-info.txt", f"line {n_info}: {too_long}"),
    }, found
    assert result.files == 2  # both files listed on the lines around it were checked


def test_problems_past_the_cap_are_counted_not_listed(tmp_path: Path):
    bag = tiny_bag(tmp_path)
    lines = "".join(f"{'0' * 64}  tag-{i}.txt\n" for i in range(LISTED_CAP + 500))
    (bag / "tagmanifest-sha256.txt").write_text(lines, encoding="utf-8")
    result = verify_bag(bag, workers=1)
    assert len(result.problems) == LISTED_CAP + 1
    assert result.problems[0].path == "tag-0.txt"
    assert str(result.problems[-1]) == "not listed: 500 more (only the first 10000 are listed)"


@given(
    data=st.binary(max_size=60).map(lambda b: bytes(b"ab\r\n\xc3\xa1\xff"[x % 7] for x in b)),
    size=st.integers(1, 9),
)
def test_lines_read_in_chunks_are_the_lines_of_the_whole_file(data: bytes, size: int):
    """However a file arrives, its lines are those of the whole text; a line over the cap is a
    finding on its own line number, never part of another line."""
    from khaudit.handover import bagit_format

    cap = bagit_format.LINE_CAP
    try:
        bagit_format.LINE_CAP = 5
        got = list(tag_file_lines([data[i : i + size] for i in range(0, len(data), size)], "utf-8"))
    finally:
        bagit_format.LINE_CAP = cap
    whole = list(enumerate(tag_lines(data.decode("utf-8", "surrogateescape")), 1))
    assert [g for g in got if isinstance(g, tuple)] == [w for w in whole if len(w[1]) <= 5]
    long_lines = [g.line for g in got if not isinstance(g, tuple) and g.kind == "size"]
    assert long_lines == [n for n, line in whole if len(line) > 5]


@pytest.mark.parametrize(
    "encoding", ["zlib", "bz2", "base64", "hex", "rot13", "uu", "idna", "punycode", "utf-16"]
)
def test_a_declared_encoding_that_cannot_read_tag_files_is_a_problem(tmp_path: Path, encoding):
    """Python names transforms ("zlib": a tag file would be a decompression bomb) and codecs
    that take no error handler beside text encodings: each is a bag problem, never a
    traceback."""
    import zlib

    bag = tiny_bag(tmp_path)
    (bag / "tagmanifest-sha256.txt").unlink()
    (bag / "bagit.txt").write_text(
        f"BagIt-Version: 0.97\nTag-File-Character-Encoding: {encoding}\n", encoding="utf-8"
    )
    (bag / "fetch.txt").write_bytes(zlib.compress(b"0" * (8 << 20)))
    result = verify_bag(bag, workers=1)
    kinds = {p.kind for p in result.problems}
    assert not result.valid and kinds <= {"format", "encoding"}, kinds
    if encoding in ("zlib", "bz2", "base64", "hex", "rot13", "uu"):
        assert f"Tag-File-Character-Encoding '{encoding}'" in str(result.problems[0])
