"""The demo province: a held-back delivery and misfiled scans, then everything in place."""

from __future__ import annotations

from pathlib import Path

from khaudit.demo.province import INCOMING, MISFILED, deliver_demo, generate_demo


def _tree(base: Path) -> dict[str, int]:
    """Every file under the scan roots and its size (Pillow writes the time into a PDF, so
    two generations a second apart differ in a few bytes, not in size)."""
    return {
        p.relative_to(base).as_posix(): p.stat().st_size
        for p in sorted((base / "scans").rglob("*"))
        if p.is_file()
    }


def test_a_delivery_puts_the_tree_as_the_truth_describes_it(tmp_path: Path):
    plain = generate_demo(tmp_path / "plain", seed=3, rows=40, localities=2).parent
    late = generate_demo(tmp_path / "late", seed=3, rows=40, localities=2, hold_back=0.25).parent
    again = generate_demo(tmp_path / "again", seed=3, rows=40, localities=2, hold_back=0.25).parent
    held = sorted(
        p.relative_to(late / INCOMING).as_posix()
        for p in (late / INCOMING).rglob("*")
        if p.is_file()
    )
    assert held == sorted(
        p.relative_to(again / INCOMING).as_posix()  # the same each time
        for p in (again / INCOMING).rglob("*")
        if p.is_file()
    )
    misfiled = sorted((late / "scans").glob(f"*/{MISFILED}/*"))
    assert len(misfiled) == 4  # two a locality
    before = _tree(late)
    assert len(before) < len(_tree(plain))
    moved = deliver_demo(late)
    assert moved == len(held) - 1 + len(misfiled)  # held files (less the plan) + re-filed
    assert _tree(late) == _tree(plain)
    assert not (late / INCOMING).exists() and not list((late / "scans").glob(f"*/{MISFILED}"))


def _demo_cli(*args: str):
    from click.testing import CliRunner

    from khaudit.cli import cli

    return CliRunner().invoke(cli, ["--lang", "en", "demo", *args])


def test_force_never_deletes_a_folder_with_the_users_own_files(tmp_path: Path):
    mine = tmp_path / "mine"
    (mine / "ground_truth").mkdir(parents=True)
    (mine / "project.toml").write_text("title = 'mine'\n", encoding="utf-8")
    (mine / "thesis.docx").write_bytes(b"two years of work")
    result = _demo_cli(str(mine), "--force", "--localities", "1")
    assert result.exit_code == 2 and "thesis.docx" in result.output, result.output
    assert (mine / "thesis.docx").read_bytes() == b"two years of work"
    assert (mine / "project.toml").read_text(encoding="utf-8") == "title = 'mine'\n"
    result = _demo_cli(str(mine), "--localities", "1")
    assert result.exit_code == 2 and "not empty" in result.output
    assert "Traceback" not in result.output


def test_force_replaces_an_earlier_demo_and_its_runs(tmp_path: Path):
    from khaudit.run import is_run

    base = tmp_path / "demo"
    generate_demo(base, seed=3, rows=30, localities=1)
    (base / "run").mkdir()
    (base / "run" / "run.json").write_text('{"tool": "khaudit", "tables": {}}', encoding="utf-8")
    assert is_run(base / "run")
    result = _demo_cli(str(base), "--force", "--localities", "1", "--rows", "30")
    assert result.exit_code == 0, result.output
    assert not (base / "run").exists() and (base / "project.toml").is_file()


def test_deliver_moves_nothing_in_a_folder_that_is_not_a_demo(tmp_path: Path):
    folder = tmp_path / "work"
    (folder / INCOMING / "a").mkdir(parents=True)
    (folder / INCOMING / "a" / "letter.txt").write_text("mine", encoding="utf-8")
    result = _demo_cli(str(folder), "--deliver")
    assert result.exit_code == 2 and "not a khaudit demo" in result.output, result.output
    assert "refusing" in result.output
    assert (folder / INCOMING / "a" / "letter.txt").read_text(encoding="utf-8") == "mine"
    assert not (folder / "scans").exists()


def test_deliver_never_replaces_a_scan_already_in_place(tmp_path: Path):
    late = generate_demo(tmp_path / "late", seed=3, rows=40, localities=1, hold_back=0.25).parent
    held = next(p for p in (late / INCOMING).rglob("*.pdf") if p.is_file())
    target = late / "scans" / held.relative_to(late / INCOMING)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"a scan delivered meanwhile")
    before = sorted(p for p in (late / INCOMING).rglob("*"))
    result = _demo_cli(str(late), "--deliver")
    assert result.exit_code == 2 and "already exists" in result.output, result.output
    assert target.read_bytes() == b"a scan delivered meanwhile"
    assert sorted(p for p in (late / INCOMING).rglob("*")) == before


def test_too_few_rows_is_a_usage_error_not_a_traceback(tmp_path: Path):
    result = _demo_cli(str(tmp_path / "d"), "--rows", "5")
    assert result.exit_code == 2 and "30" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
