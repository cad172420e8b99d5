"""The Library of Congress BagIt conformance suite (public domain, vendored under
tests/data/bagit-conformance) through khaudit's verify: every bag judged as the suite says.

"valid" bags verify with no problem, "invalid" and "linux-only" bags with at least one,
"warning" bags are valid with at least one warning. "windows-only" bags test Windows path
semantics and are skipped on POSIX, as the suite's own harness does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from khaudit.handover.verify import verify_bag

SUITE = Path(__file__).resolve().parents[1] / "data" / "bagit-conformance"
BAGS = sorted(
    bag
    for version in SUITE.glob("v*")
    for category in version.iterdir()
    if category.is_dir() and category.name != "windows-only"
    for bag in category.iterdir()
    if bag.is_dir()
)


def test_the_suite_is_all_there():
    assert len(BAGS) == 54
    assert (SUITE / "LICENSE.md").is_file() and (SUITE / "README.md").is_file()


@pytest.mark.parametrize("bag", BAGS, ids=lambda b: "/".join(b.parts[-3:]))
def test_verdict_is_the_suites(bag: Path):
    category = bag.parent.name
    result = verify_bag(bag, workers=1)
    if category == "valid":
        assert result.valid, [str(p) for p in result.problems]
    elif category == "warning":
        assert result.valid, [str(p) for p in result.problems]
        assert result.warnings
    else:
        assert category in ("invalid", "linux-only")
        assert not result.valid


@pytest.mark.parametrize(
    "bag, kind",
    [
        ("v0.97/warning/made-with-md5sum-tools", "md5sum"),
        ("v0.97/warning/relative-path", "relative"),
        ("v0.97/warning/same-filename-listed-twice-with-the-same-hash", "repeat"),
        ("v0.97/warning/same-filename-listed-twice-with-different-normalization", "repeat"),
        ("v0.97/warning/duplicate-file-with-different-case", "case"),
        ("v0.97/warning/special-system-files", "system"),
    ],
)
def test_warnings_say_what_the_suite_warns_of(bag: str, kind: str):
    assert kind in {w.kind for w in verify_bag(SUITE / bag, workers=1).warnings}


@pytest.mark.parametrize(
    "bag, problem",
    [
        ("v1.0/invalid/bagit-with-invalid-whitespace", ("format", "bagit.txt")),
        (
            "v1.0/invalid/same-filename-listed-twice-with-the-same-hash",
            ("repeat", "manifest-sha256.txt"),
        ),
        (
            "v1.0/invalid/notAllManifestsListAllFiles",
            ("unexpected", "data/missingFromManifest.txt"),
        ),
        ("v0.97/invalid/bom-in-bagit.txt", ("format", "bagit.txt")),
        ("v0.97/invalid/baginfo-missing-encoding", ("format", "bagit.txt")),
        ("v0.97/invalid/missing-baginfo", ("missing", "bag-info.txt")),
        (
            "v0.97/linux-only/out-of-scope-file-paths-using-shortcut-for-fetch",
            ("unsafe", "fetch.txt"),
        ),
        ("v0.97/linux-only/out-of-scope-file-paths-using-shortcut", ("unsafe", "manifest-md5.txt")),
        (
            "v0.97/invalid/out-of-scope-file-paths-using-dot-notation-for-fetch",
            ("unsafe", "fetch.txt"),
        ),
    ],
)
def test_invalid_bags_fail_for_the_suites_reason(bag: str, problem: tuple[str, str]):
    found = {(p.kind, p.path) for p in verify_bag(SUITE / bag, workers=1).problems}
    assert problem in found, found


def test_encodings_the_bag_declares_are_honoured():
    for bag in ("UTF-16-encoded-tag-files", "ISO-8859-1-encoded-tag-files"):
        result = verify_bag(SUITE / "v0.97/valid" / bag, workers=1)
        assert result.valid and result.files == 2 and not result.warnings
