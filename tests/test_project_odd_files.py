"""Project files as careless hands and other editors write them: saved by Windows Notepad
with a UTF-8 byte-order mark or as "Unicode" (UTF-16), paths from the home folder (``~/``),
and [matching] values of the right type that cannot work (a review threshold above the
acceptance one, a score off the 0-100 scale, a fractional count, an inverted page rule), each
named with its key, all at once; ``content.sample`` above 1 says what is allowed."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from khaudit.errors import ProjectError
from khaudit.project import load_project

HEAD = 'title = "T"\nprovince = "Khánh Hòa"\n'
LOCALITY = '[[locality]]\nname = "Xã Diên Lạc"\ninventories = ["{inv}"]\nscan_roots = ["{scans}"]\n'


@pytest.fixture()
def layout(tmp_path: Path) -> Path:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.csv").write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    (tmp_path / "scans").mkdir()
    return tmp_path


def _text(body: str = "", inv: str = "inv/*.csv", scans: str = "scans") -> str:
    return HEAD + LOCALITY.format(inv=inv, scans=scans) + body


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # Notepad's "Unicode": a BOM, then UTF-16 LE
    ],
    ids=["utf-8 with BOM", "utf-16"],
)
def test_a_project_file_saved_by_notepad_loads(layout: Path, encode):
    path = layout / "project.toml"
    path.write_bytes(encode(_text()))
    project = load_project(path)
    assert project.localities[0].name == "Xã Diên Lạc"
    assert project.localities[0].inventories[0][1] == "inv/a.csv"


def test_paths_from_the_home_folder(layout: Path, tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    (home / "muc-luc").mkdir()
    (home / "muc-luc" / "b.csv").write_text("STT,Tiêu đề hồ sơ\n1,Tờ trình\n", encoding="utf-8")
    (home / "so-hoa").mkdir()
    monkeypatch.setenv("HOME", str(home))
    path = layout / "project.toml"
    path.write_text(_text(inv="~/muc-luc/*.csv", scans="~/so-hoa"), encoding="utf-8")
    locality = load_project(path).localities[0]
    assert locality.inventories[0][0] == (home / "muc-luc" / "b.csv").resolve()
    assert locality.scan_roots[0] == (home / "so-hoa").resolve()
    assert any(p.startswith(str(home)) for p in locality.inventory_patterns)


def _problems(layout: Path, body: str) -> str:
    path = layout / "project.toml"
    path.write_text(_text(body), encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        load_project(path)
    return str(caught.value)


def test_matching_values_that_cannot_work_are_each_named_at_once(layout: Path):
    said = _problems(
        layout,
        "[matching]\nreview_score = 95\naccept_score = 50\nhint_score = -5\n"
        "max_candidates = 2.5\nnumber_conflict_penalty = -1\n"
        "min_pages_per_sheet = 3\nmax_pages_per_sheet = 2\n",
    )
    assert "'matching.review_score' (95) must not be above 'matching.accept_score' (50)" in said
    assert "'matching.hint_score' must be between 0 and 100 (found -5)" in said
    assert "'matching.max_candidates' must be at least 1 (found 2.5)" in said
    assert "'matching.number_conflict_penalty' must be at least 0" in said
    assert "'matching.min_pages_per_sheet' (3) must not be above" in said
    assert len(said.splitlines()) == 5


def test_a_score_over_100_and_a_sample_over_one_say_the_bound(layout: Path):
    said = _problems(layout, "[matching]\naccept_score = 850\n[content]\nsample = 2.0\n")
    assert "'matching.accept_score' must be between 0 and 100 (found 850)" in said
    assert "'content.sample' must be at most 1.0 (found 2.0)" in said


def test_sound_matching_values_load(layout: Path):
    path = layout / "project.toml"
    path.write_text(_text("[matching]\naccept_score = 90\nreview_score = 70\n"), encoding="utf-8")
    settings = load_project(path).matching
    assert (settings.accept_score, settings.review_score) == (90, 70)


def test_an_inventory_whose_name_is_not_utf8_is_named_not_a_traceback(layout: Path):
    name = os.fsdecode(b"m\xfcc-l\xfcc.csv")  # Latin-1 bytes, as an old Windows share writes
    try:
        (layout / "inv" / name).write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system keeps only UTF-8 names")
    said = _problems(layout, "")
    assert "is not valid UTF-8" in said and "rename the file" in said
    assert "\\udcfc" in said  # shown escaped, never as raw bytes on the terminal
