from __future__ import annotations

import pytest

from khaudit.atomic import atomic_path, write_text


def test_failed_write_leaves_the_previous_file(tmp_path):
    target = tmp_path / "records.csv"
    write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["records.csv"]


def test_interrupted_run_keeps_the_previous_run_consistent(demo_run, monkeypatch, tmp_path):
    import shutil

    from khaudit import run as run_module
    from khaudit.run import load_run

    copy = tmp_path / "run"
    shutil.copytree(demo_run.path, copy)
    before = (copy / "run.json").read_text()
    tables = {name: demo_run.table(name) for name in run_module.TABLES}
    tables["records"] = tables["records"].iloc[1:]  # the new run differs from the old
    calls = {"n": 0}
    real = run_module.sha256_file

    def crash_after_first_table(path):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(path)

    monkeypatch.setattr(run_module, "sha256_file", crash_after_first_table)
    with pytest.raises(KeyboardInterrupt):
        run_module.write_run(copy, tables, {"version": "x"})
    assert (copy / "run.json").read_text() == before
    assert not any(p.name.startswith(".staging") for p in copy.iterdir())
    assert load_run(copy).verify_tables() == []  # the previous run, whole


def test_ctrl_c_between_two_localities_of_an_audit_keeps_the_previous_run(
    demo_dir, tmp_path, monkeypatch
):
    import importlib
    import shutil

    from khaudit.run import load_run

    audit_module = importlib.import_module("khaudit.audit")  # the module, not the function
    project = tmp_path / "demo"
    shutil.copytree(demo_dir, project, ignore=shutil.ignore_patterns(".khaudit"))
    out = tmp_path / "run"
    audit_module.audit(project / "project.toml", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = audit_module._result
    seen = []

    def interrupted_after_the_first_locality(prepared, outcome, base):
        seen.append(prepared.job.locality)
        if len(seen) == 2:  # the first locality's rows are already in the staging folder
            raise KeyboardInterrupt
        return real(prepared, outcome, base)

    monkeypatch.setattr(audit_module, "_result", interrupted_after_the_first_locality)
    with pytest.raises(KeyboardInterrupt):
        audit_module.audit(project / "project.toml", out)
    assert len(seen) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no staging left either
    assert load_run(out).verify_tables() == []
