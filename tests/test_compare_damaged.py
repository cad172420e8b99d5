"""`khaudit compare` on a run that is damaged or belongs to another project: one sentence
naming the run and what is wrong, exit status non-zero, never a traceback nor a comparison
that looks right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_compare import _pair, _run

from khaudit.cli import cli
from khaudit.compare import compare
from khaudit.errors import KhauditError
from khaudit.run import load_run


def _compare_cli(a: Path, b: Path):
    return CliRunner().invoke(cli, ["compare", str(a), str(b), "--lang", "en"])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: (b / "run.json").write_text("{not json", "utf-8"), id="json"),
        pytest.param(lambda b: (b / "run.json").write_text("[1, 2]", "utf-8"), id="array"),
        pytest.param(lambda b: (b / "run.json").write_bytes(b"\xff\xfe{}"), id="bytes"),
        pytest.param(lambda b: (b / "files.parquet").unlink(), id="table-gone"),
        pytest.param(
            lambda b: (b / "records.parquet").write_bytes(
                (b / "records.parquet").read_bytes()[:300]
            ),
            id="table-cut",
        ),
    ],
)
def test_a_damaged_run_is_named_not_compared(tmp_path: Path, damage):
    a, b = _pair(tmp_path)
    damage(b)
    result = _compare_cli(a, b)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(b) in result.output
    assert "damaged" in result.output
    with pytest.raises(KhauditError):
        compare(a, b)


def test_a_run_json_that_is_a_folder_is_a_damaged_run(tmp_path: Path):
    a, b = _pair(tmp_path)
    (b / "run.json").unlink()
    (b / "run.json").mkdir()
    with pytest.raises(KhauditError) as caught:
        load_run(b)
    assert "run.json" in str(caught.value) and "damaged" in str(caught.value)


def test_runs_of_another_project_are_refused_with_both_named(tmp_path: Path):
    a, _ = _pair(tmp_path)
    other = _run(tmp_path / "other", "run-o", [(2, "Z1", "missing")], [("z/Z1.pdf", "hz")])
    meta = json.loads((other / "run.json").read_text("utf-8"))
    meta["localities"] = [{"name": "Phường B"}]
    meta["province"] = "Ninh Thuận"
    (other / "run.json").write_text(json.dumps(meta), "utf-8")  # run.json is not a table
    result = _compare_cli(a, other)
    assert result.exit_code != 0
    assert "different projects" in result.output and "Phường B" in result.output
    assert "Xã A" in result.output
