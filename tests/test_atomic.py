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
