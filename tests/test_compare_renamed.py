"""Two audits of one project where a locality was renamed in the project file between them
(typed in full after its short form, a typo mended): the same locality, compared under its
new name, never refused as another project's nor shown as every row removed and added."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from khaudit.audit import audit
from khaudit.cli import cli
from khaudit.compare import compare, renamed_localities
from khaudit.demo import generate_demo
from khaudit.i18n import t

OLD, NEW = "Phường Nha Trang", "P. Nha Trang"


def _renamed_runs(tmp_path: Path) -> tuple[Path, Path]:
    generate_demo(tmp_path / "p", seed=3, rows=30, localities=1)
    project = tmp_path / "p" / "project.toml"
    audit(project, tmp_path / "a")
    project.write_text(project.read_text("utf-8").replace(OLD, NEW), "utf-8")
    audit(project, tmp_path / "b")
    return tmp_path / "a", tmp_path / "b"


def test_a_renamed_locality_is_compared_as_itself(tmp_path):
    a, b = _renamed_runs(tmp_path)
    result = compare(a, b)
    assert result.renamed == {OLD: NEW}
    # nothing changed but the name: no record moved, no file added or removed
    assert result.records.empty and result.files.empty
    out = CliRunner().invoke(cli, ["--lang", "en", "compare", str(a), str(b)])
    assert out.exit_code == 0, out.output
    assert t("compare.renamed", "en", a=OLD, b=NEW) in out.output


def _meta(name: str, code: str = "", roots: tuple[str, ...] = (), inventories=()) -> dict:
    return {
        "localities": [{"name": name, "code": code}],
        "schemes": {name: {root: {} for root in roots}},
        "inputs": [{"locality": name, "kind": "inventory", "path": p} for p in inventories],
    }


def _both(*metas: dict) -> dict:
    return {k: [x for m in metas for x in m[k]] if k != "schemes" else {} for k in metas[0]} | {
        "schemes": {n: r for m in metas for n, r in m["schemes"].items()}
    }


def test_what_makes_a_rename_and_what_does_not():
    # the same code, scan root or inventory file, one candidate on each side: a rename
    assert renamed_localities(_meta("Xã A", "1"), _meta("Xã B", "1")) == {"Xã A": "Xã B"}
    assert renamed_localities(_meta("Xã A", roots=("s/a",)), _meta("Xã B", roots=("s/a",))) == {
        "Xã A": "Xã B"
    }
    assert renamed_localities(
        _meta("Xã A", inventories=("i/a.xlsx",)), _meta("Xã B", inventories=("i/a.xlsx",))
    ) == {"Xã A": "Xã B"}
    # nothing in common: no rename (another project's locality)
    assert renamed_localities(_meta("Xã A", "1", ("s/a",)), _meta("Xã B", "2", ("s/b",))) == {}
    # two localities merged into one sharing both roots: no rename, a merge
    merged = _meta("Xã C", roots=("s/a", "s/b"))
    two = _both(_meta("Xã A", roots=("s/a",)), _meta("Xã B", roots=("s/b",)))
    assert renamed_localities(two, merged) == {}
    # a locality present in both runs is never renamed onto another
    kept = _both(_meta("Xã A", "1"), _meta("Xã B", "2"))
    assert renamed_localities(kept, kept) == {}


def test_runs_of_another_project_sharing_no_code_root_or_inventory_are_still_refused(tmp_path):
    a, b = _renamed_runs(tmp_path)
    meta = json.loads((b / "run.json").read_text("utf-8"))
    meta["localities"][0]["code"] = "99999"
    meta["schemes"] = {NEW: {"elsewhere": {}}}
    meta["inputs"] = []
    (b / "run.json").write_text(json.dumps(meta), "utf-8")  # run.json is not a table
    out = CliRunner().invoke(cli, ["--lang", "en", "compare", str(a), str(b)])
    assert out.exit_code != 0 and "different projects" in out.output
