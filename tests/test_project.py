from __future__ import annotations

from pathlib import Path

import pytest

from khaudit.errors import ProjectError
from khaudit.project import load_project


@pytest.fixture()
def layout(tmp_path: Path) -> Path:
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "a.csv").write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    (tmp_path / "scans").mkdir()
    return tmp_path


def write(base: Path, body: str) -> Path:
    path = base / "project.toml"
    path.write_text('title = "T"\nprovince = "Khánh Hòa"\n' + body, encoding="utf-8")
    return path


LOCALITY = ('[[locality]]\nname = "Xã Diên Lạc"\ninventories = ["inv/*.csv"]\n'
            'scan_roots = ["scans"]\n')


def test_valid_project_resolves_paths_relative_to_the_file(layout):
    project = load_project(write(layout, LOCALITY + 'code = "22678"\n'))
    loc = project.localities[0]
    assert loc.slug == "xa-dien-lac" and loc.code == "22678"
    assert loc.inventories[0][1] == "inv/a.csv"
    assert loc.scan_roots[0] == (layout / "scans").resolve()
    assert project.locality("22678") is loc


@pytest.mark.parametrize("body, words", [
    (LOCALITY + "scanroots = ['x']\n", ["locality[0].scanroots", "did you mean 'scan_roots'"]),
    ("titel = 'x'\n" + LOCALITY, ["'titel'", "did you mean 'title'"]),
    ('[[locality]]\nname = "A"\ninventories = ["inv/*.xlsx"]\nscan_roots = ["scans"]\n',
     ["locality 'A'.inventories", "matches no file"]),
    ('[[locality]]\nname = "A"\ninventories = ["inv/*.csv"]\nscan_roots = ["nowhere"]\n',
     ["'nowhere' is not a folder"]),
    ('[[locality]]\nname = "A"\ninventories = ["inv/*.csv"]\n', ["has no 'scan_roots'"]),
    ('[[locality]]\nname = "A"\nscan_roots = ["scans"]\n', ["has no 'inventories'"]),
    ("", ["no [[locality]] tables"]),
    (LOCALITY + "naming_pattern = '(?P<nothing>x)'\n", ["needs a named group"]),
    (LOCALITY + "naming_pattern = '(unclosed'\n", ["not a valid regular expression"]),
    (LOCALITY + "[locality.columns]\ntitel = 'Tên'\n", ["locality 'Xã Diên Lạc'.columns.titel"]),
    (LOCALITY + "[matching]\naccept = 90\n", ["matching.accept", "allowed"]),
    (LOCALITY + "[matching]\naccept_score = 'high'\n", ["must be a number"]),
])
def test_mistakes_get_one_line_errors_naming_the_key(layout, body, words):
    with pytest.raises(ProjectError) as info:
        load_project(write(layout, body))
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ProjectError, match="not found"):
        load_project(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n", encoding="utf-8")
    with pytest.raises(ProjectError, match="not valid TOML"):
        load_project(bad)


def test_matching_overrides_reach_the_settings(layout):
    project = load_project(write(layout, LOCALITY + "[matching]\naccept_score = 92\n"))
    assert project.matching.accept_score == 92
