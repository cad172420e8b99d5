"""Where a project file may send khaudit looking: inventory patterns search folders only in
the project's folder, every pattern is bounded, and an inventory that lies in a scan root is
read once, as the inventory."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from khaudit import project_glob
from khaudit.audit import audit
from khaudit.demo import scanfiles as sf
from khaudit.errors import ProjectError
from khaudit.project import load_project

INVENTORY = "STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.1,Báo cáo\n2,A.2,Tờ trình\n"


def _project(folder: Path, inventories: list[str], roots: str = "'scans'") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(f"'{p}'" for p in inventories)
    path = folder / "project.toml"
    path.write_text(
        f'title = "t"\nprovince = "p"\n[[locality]]\nname = "Xã A"\n'
        f"inventories = [{listed}]\nscan_roots = [{roots}]\n",
        encoding="utf-8",
    )
    (folder / "scans").mkdir(exist_ok=True)
    return path


def test_a_pattern_searching_folders_outside_the_project_is_refused_at_once(tmp_path):
    project = _project(tmp_path / "p", ["/**/*.csv", "../*/muc-luc/*.csv", "../../**"])
    start = time.monotonic()
    with pytest.raises(ProjectError) as caught:
        load_project(project)
    assert time.monotonic() - start < 5  # refused before walking anything
    problems = caught.value.problems
    assert len(problems) == 3
    for pattern, problem in zip(["/**/*.csv", "../*/muc-luc/*.csv", "../../**"], problems):
        assert f"'{pattern}'" in problem and "outside the project's folder" in problem
        assert "name the folder and put wildcards only in the file name" in problem


def test_patterns_inside_the_project_and_a_named_folder_outside_still_find_their_files(
    tmp_path,
):
    (tmp_path / "p" / "muc-luc" / "2019").mkdir(parents=True)
    (tmp_path / "p" / "muc-luc" / "2019" / "a.csv").write_text(INVENTORY, "utf-8")
    (tmp_path / "p" / "muc-luc" / ".an" / "hidden.csv").parent.mkdir()
    (tmp_path / "p" / "muc-luc" / ".an" / "hidden.csv").write_text(INVENTORY, "utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.csv").write_text(INVENTORY, "utf-8")
    (tmp_path / "p" / "muc-luc" / "loop").symlink_to(tmp_path / "p")  # '**' must not loop
    project = load_project(_project(tmp_path / "p", ["muc-luc/**/*.csv", "../outside/*.csv"]))
    shown = [s for _, s in project.localities[0].inventories]
    assert shown == ["muc-luc/2019/a.csv", str(tmp_path / "outside" / "b.csv")]


def test_a_pattern_reaching_too_many_folders_is_refused_not_walked(tmp_path, monkeypatch):
    monkeypatch.setattr(project_glob, "MAX_FOLDERS", 40)
    for i in range(60):
        (tmp_path / "p" / "cay" / f"{i:02d}").mkdir(parents=True)
    with pytest.raises(ProjectError) as caught:
        load_project(_project(tmp_path / "p", ["cay/**/*.csv"]))
    assert "'cay/**/*.csv' reaches more than 40 folders" in caught.value.problems[0]


def test_an_inventory_inside_a_scan_root_is_read_once_as_the_inventory(tmp_path):
    rng = random.Random(2)
    project = _project(tmp_path / "p", ["scans/muc-luc.csv", "scans/bo-sung.ods"])
    scans = tmp_path / "p" / "scans"
    from spreadsheets import write_ods

    (scans / "muc-luc.csv").write_text(INVENTORY, "utf-8")  # would be read as a sidecar
    write_ods(  # an .ods is no sidecar kind: it would be an orphan scan
        scans / "bo-sung.ods", {"Sheet1": [["STT", "Mã hồ sơ", "Tiêu đề hồ sơ"], [3, "A.3", "QĐ"]]}
    )
    for code in ("A.1", "A.2", "A.3"):
        (scans / f"{code}.pdf").write_bytes(sf.pdf_bytes(code, 1, rng))
    before = {p: p.stat().st_mtime_ns for p in scans.iterdir()}
    run = audit(project, tmp_path / "run", lang="en")
    records = run.table("records")
    assert sorted(records["record_code"]) == ["A.1", "A.2", "A.3"]
    assert set(records["status"]) == {"digitized"}
    files = run.table("files")
    assert sorted(files["path"]) == ["A.1.pdf", "A.2.pdf", "A.3.pdf"]  # no inventory as a scan
    ignored = run.table("ignored_files").set_index("path")
    for name in ("muc-luc.csv", "bo-sung.ods"):
        assert ignored.loc[name, "role"] == "inventory"
        assert "read once, as the inventory" in ignored.loc[name, "reason"]
    assert {p: p.stat().st_mtime_ns for p in scans.iterdir()} == before  # nothing written


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_in_the_project_folder_does_not_let_a_pattern_walk_out(tmp_path):
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    (tmp_path / "elsewhere" / "deep" / "c.csv").write_text(INVENTORY, "utf-8")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "ra-ngoai").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ProjectError) as caught:
        load_project(_project(folder, ["ra-ngoai/**/*.csv"]))
    assert "outside the project's folder" in caught.value.problems[0]


def test_an_inventory_reached_through_a_link_is_refused_with_where_it_leads(tmp_path):
    # a linked folder inside the project leading out: read by the audit and copied into the
    # bag (a private file beside the inventory went with it); a linked file: read by the
    # audit, then "gone since the audit" for the bag
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.csv").write_text(INVENTORY, "utf-8")
    folder = tmp_path / "p"
    (folder / "muc-luc").mkdir(parents=True)
    (folder / "muc-luc" / "a.csv").write_text(INVENTORY, "utf-8")
    (folder / "ra-ngoai").symlink_to(tmp_path / "elsewhere")
    (folder / "muc-luc" / "lien-ket.csv").symlink_to(folder / "muc-luc" / "a.csv")
    with pytest.raises(ProjectError) as caught:
        load_project(_project(folder, ["ra-ngoai/*.csv", "muc-luc/*.csv"]))
    said = caught.value.problems
    assert len(said) == 2
    assert "ra-ngoai/b.csv" in said[0] and str(tmp_path / "elsewhere" / "b.csv") in said[0]
    assert "muc-luc/lien-ket.csv" in said[1] and "symbolic link" in said[1]


def test_a_pattern_leading_out_openly_is_still_read(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.csv").write_text(INVENTORY, "utf-8")
    (tmp_path / "p").mkdir()
    project = load_project(_project(tmp_path / "p", ["../elsewhere/*.csv"]))
    assert [s for _, s in project.localities[0].inventories] == [
        str(tmp_path / "elsewhere" / "b.csv")
    ]


def test_a_refused_locality_is_not_also_named_unknown_by_its_handover_table(tmp_path):
    # one mistake, one line: its [handover.locality."Xã A"] table names a locality that
    # exists, only refused for its own problem
    path = _project(tmp_path / "p", ["muc-luc/*.csv"])
    text = path.read_text("utf-8") + '[handover.locality."Xã A"]\nnumber = "01"\n'
    text += '[handover.locality."Xã Khác"]\nnumber = "02"\n'
    path.write_text(text, "utf-8")
    with pytest.raises(ProjectError) as caught:
        load_project(path)
    said = caught.value.problems
    assert len(said) == 2 and "muc-luc/*.csv" in said[0] and "Xã Khác" in said[1]
