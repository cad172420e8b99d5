"""Untrusted names shown in a chart, a file name and a terminal are escaped for that medium."""

from __future__ import annotations

import pytest

from khaudit.escape import for_filename, for_mathtext, for_terminal
from khaudit.textnorm import slugify


def test_mathtext_escape_is_literal():
    assert for_mathtext("a $x$ b") == r"a \$x\$ b"


@pytest.mark.parametrize(
    "name", ["x" * 300, "Ủy ban " * 60, 'a/b\\c:d*e?f"g<h>i|j', "con", "..", "\x1b[31m.pdf"]
)
def test_file_names_are_safe_and_short(name: str):
    safe = for_filename(name)
    assert len(safe.encode("utf-8")) <= 120 and safe and not safe.startswith(".")
    assert not set(safe) & set('/\\:*?"<>|\x1b') and safe.lower() != "con"
    assert for_filename(name + "1") != safe or len(name) < 100


def test_a_300_letter_locality_gets_a_short_distinct_folder():
    a, b = slugify("Xã " + "A" * 300), slugify("Xã " + "A" * 299 + "B")
    assert len(a) <= 80 and len(b) <= 80 and a != b
    assert slugify("Xã Diên Lạc") == "xa-dien-lac"  # ordinary names are unchanged


def test_terminal_escape_keeps_vietnamese_and_shows_controls():
    assert for_terminal("Xã Diên Lạc 100%") == "Xã Diên Lạc 100%"
    assert for_terminal("a\x1b[2Kb\rc\nd\u202ee\x9bf") == "a\\x1b[2Kb\\x0dc\\x0ad\\u202ee\\x9bf"
    assert for_terminal("one\ntwo", lines=True) == "one\ntwo"
    assert for_terminal("bad \udcff byte") == "bad \\udcff byte"
