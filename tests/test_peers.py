"""bench/peers.py: the command each linker audits with, and the comparison that finds the scans
a peer links rightly and khaudit does not (the peers themselves are bench dependencies only:
nothing here imports Splink or recordlinkage)."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import peers  # noqa: E402

SOURCE = {"source_file": "inv.xlsx", "source_sheet": "S1"}


def files(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """A files table: (path, status, source_row) in locality A."""
    return pd.DataFrame(
        [
            {
                "locality": "A",
                "path": path,
                "status": status,
                **SOURCE,
                "source_row": row,
                "note": f"note of {path} row 12",
            }
            for path, status, row in rows
        ]
    )


def test_each_linker_audits_in_a_process_of_its_own(tmp_path: Path) -> None:
    project, run = tmp_path / "project.toml", tmp_path / "run"
    ours = peers.command("khaudit", project, run)
    assert ours[1:] == ["audit", str(project), "--out", str(run), "--no-report"]
    theirs = peers.command("splink", project, run)
    assert theirs[0] == sys.executable
    assert theirs[1].endswith("peers.py")
    assert theirs[2:] == ["--audit", "splink", str(project), str(run)]


def test_wins_are_the_peers_right_links_that_khaudit_missed_or_got_wrong() -> None:
    truth = pd.DataFrame(
        [
            {
                "locality": "A",
                "path": p,
                "expected_status": s,
                **SOURCE,
                "source_row": r,
                "keying": k,
            }
            for p, s, r, k in [
                ("a.pdf", "matched", "2", "title_only"),  # khaudit unlinked, peer right
                ("b.pdf", "matched", "3", "title_only"),  # both right: no win
                ("c.pdf", "matched", "4", "counter"),  # khaudit elsewhere, peer right
                ("d.pdf", "needs_review", "5", "counter"),  # a tie: never a win
                ("e.pdf", "matched", "6", "counter"),  # peer wrong too: no win
            ]
        ]
    )
    ours = files(
        [
            ("a.pdf", "orphan", ""),
            ("b.pdf", "matched", "3"),
            ("c.pdf", "matched", "9"),
            ("d.pdf", "needs_review", ""),
            ("e.pdf", "orphan", ""),
        ]
    )
    theirs = files(
        [
            ("a.pdf", "matched", "2"),
            ("b.pdf", "matched", "3"),
            ("c.pdf", "matched", "4"),
            ("d.pdf", "matched", "5"),
            ("e.pdf", "matched", "7"),
        ]
    )
    records = pd.DataFrame(
        [
            {"locality": "A", **SOURCE, "source_row": r, "title": t, "record_code": c, "box": ""}
            for r, t, c in [("2", "Hồ sơ a", ""), ("4", "Hồ sơ c", "X.4"), ("9", "Hồ sơ i", "")]
        ]
    )
    found = peers.wins(truth, ours, theirs, records, "splink").set_index("path")
    assert list(found.index) == ["a.pdf", "c.pdf"]
    assert found.at["a.pdf", "case"] == "none"
    assert found.at["a.pdf", "khaudit_status"] == "orphan"
    assert found.at["a.pdf", "fields"] == "title"
    assert found.at["c.pdf", "case"] == "wrong"
    assert found.at["c.pdf", "fields"] == "code+title"
    assert "Hồ sơ i" in found.at["c.pdf", "khaudit_record"]
    assert found.at["c.pdf", "note_form"] == "note of c.pdf row N"
    kinds = peers.win_kinds(found.reset_index())
    assert kinds["scans"].sum() == 2
    assert set(kinds["case"]) == {"none", "wrong"}


def test_name_shapes_keep_the_numbers_places_and_the_short_capitals() -> None:
    assert peers.name_shape("hop-12/IMG_000123.PDF") == "w-N/IMG_N.pdf"
    assert peers.name_shape("HS 338/01.pdf") == "HS N/N.pdf"
    assert peers.name_shape("86-QD-UBND.pdf") == "N-QD-UBND.pdf"
    assert peers.name_shape("0012 - Hồ sơ về việc cấp đất.pdf") == "N - T.pdf"
    assert peers.name_shape("2014-01-05 - KH PHÁT TRIỂN KINH TẾ.pdf") == "N-N-N - T.pdf"
    decomposed = unicodedata.normalize("NFD", "2014/hồ sơ đăng ký hộ kinh doanh.pdf")
    assert peers.name_shape(decomposed) == "N/T.pdf"


def test_note_forms_group_notes_that_differ_only_in_numbers_and_names() -> None:
    a = peers.note_form("file number 12 fits 'Hồ sơ A' and 3 others")
    b = peers.note_form("file number 7 fits 'Sổ B' and 14 others")
    assert a == b == "file number N fits '…' and N others"


def test_a_kept_province_is_scored_again_without_auditing_it_again(tmp_path: Path) -> None:
    from bench.generalize import run_seed

    (first,) = run_seed(3, 20, tmp_path, 2, by_keying=False, keep=True)
    assert first["tool"] == "khaudit" and "error" not in first, first
    log = tmp_path / "seed3-n20" / "run.log"
    assert log.exists()  # the command's own messages, beside its run
    (again,) = run_seed(3, 20, tmp_path, 2, by_keying=False, keep=False, reuse=True)
    assert again["seconds"] != again["seconds"]  # NaN: nothing was audited
    for key in ("link_precision", "link_recall", "record_status_f1", "file_status_f1"):
        assert again[key] == first[key], key
    assert not (tmp_path / "seed3-n20").exists()


def test_the_wins_csv_keeps_its_header_when_no_peer_won_a_scan(tmp_path: Path) -> None:
    from bench.generalize import _print_wins

    _print_wins([{"tool": "khaudit", "seed": 212, "diagnosis": []}], tmp_path)
    empty = pd.read_csv(tmp_path / "peer-wins.csv")  # one blank line would raise here
    assert list(empty.columns) == ["seed", *peers.WIN_COLUMNS] and empty.empty
    win = {"seed": 5, **{c: "x" for c in peers.WIN_COLUMNS}}
    _print_wins([{"tool": "khaudit", "seed": 5, "diagnosis": [win]}], tmp_path)
    one = pd.read_csv(tmp_path / "peer-wins.csv", dtype=str)
    assert one.to_dict("records") == [{"seed": "5", **{c: "x" for c in peers.WIN_COLUMNS}}]
