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
