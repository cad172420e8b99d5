from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

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


@pytest.mark.skipif(os.name == "nt", reason="kill -9 and POSIX process checks")
def test_a_write_killed_before_its_rename_leaves_nothing_after_the_next_write(tmp_path):
    """kill -9 mid-write keeps the previous file; the partial copy it left beside it is
    removed by the next write of the same file, never one a running writer still holds."""
    target = tmp_path / "province.xlsx"
    write_text(target, "old")
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys, time\n"
            "from khaudit.atomic import atomic_path\n"
            "with atomic_path(sys.argv[1]) as tmp:\n"
            "    tmp.write_bytes(b'half' * 1000)\n"
            "    print('writing', flush=True)\n"
            "    time.sleep(60)\n",
            str(target),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1
    write_text(tmp_path / "other.csv", "x")  # another file's write leaves it alone
    write_text(target, "newer")  # its writer still runs: left alone too
    assert left[0].exists()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert target.read_text() == "newer" and left[0].exists()
    os.utime(left[0], (time.time() - 10, time.time() - 10))
    write_text(target, "newest")
    assert target.read_text() == "newest"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv", "province.xlsx"]
