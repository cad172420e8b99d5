"""Copies of one cut name a file system numbered, placed by their numbers' order (series.py)."""

from __future__ import annotations

import pandas as pd
from test_link import records, scans

from khaudit.match.link import match_locality
from khaudit.match.series import numbered_runs
from khaudit.match.settings import MatchSettings
from khaudit.match.sidecar import SidecarIndex

CUT = "ho so cap giay chung nhan quyen su dung dat quyen so huu nha"
TITLE = "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở của hộ ông {}"
OWNERS = ["An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hải", "Khánh"]


def _run(pages: list[int], sheets: list[int]) -> pd.DataFrame:
    recs = records([TITLE.format(o) for o in OWNERS] + ["Báo cáo tình hình kinh tế năm 2019"])
    recs["sheets"] = pd.array([*sheets, 5], dtype="Int64")
    names = [f"{CUT}.pdf"] + [f"{CUT} ({n}).pdf" for n in range(2, len(pages) + 1)]
    table = scans(names)
    table["pages"] = pages
    result = match_locality(recs, table, SidecarIndex([]), MatchSettings())
    paths = {item.item_id: item.relpath for item in result.items}
    links = result.links.assign(path=result.links["item_id"].map(paths))
    return links


def test_copies_numbered_by_the_system_follow_the_inventorys_order_where_pages_agree():
    # Eight records the cut title ties; the copies' pages fit the records' sheets in order.
    sheets = [12, 30, 7, 22, 15, 41, 9, 18]
    links = _run(sheets, sheets)
    linked = links[links["decision"] == "link"].sort_values("record")
    assert list(linked["record"]) == list(range(8))
    assert list(linked["path"]) == [f"{CUT}.pdf"] + [f"{CUT} ({n}).pdf" for n in range(2, 9)]
    assert (linked["method"] == "copy_order").sum() + (linked["method"] == "title").sum() == 8


def test_copies_whose_pages_do_not_follow_the_order_go_to_a_person():
    sheets = [12, 30, 7, 22, 15, 41, 9, 18]
    shuffled = [41, 7, 18, 12, 30, 9, 22, 15]
    links = _run(shuffled, sheets)
    assert not (links["method"] == "copy_order").any()
    assert (links["decision"] == "review").any()


def test_a_run_is_three_copies_of_one_name_at_least_two_numbered():
    from khaudit.match.evidence import path_evidence
    from khaudit.match.items import Item

    def tie(path: str, i: int):
        return (Item(i, "/s", path, [i], False, 3, frozenset(), path_evidence(path)), [])

    ties = [
        tie(p, i) for i, p in enumerate(["a/X.pdf", "a/X (2).pdf", "a/X (3).pdf", "b/X (2).pdf"])
    ]
    runs = numbered_runs(ties)
    assert [[t[0].relpath for t in run] for run in runs] == [
        ["a/X.pdf", "a/X (2).pdf", "a/X (3).pdf"]
    ]
