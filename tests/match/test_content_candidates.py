"""The records a first page is scored against: a page's boilerplate (the fonds' heading, the
national motto, "Thời hạn bảo quản") must not crowd out the record the page shows, however
many records of the inventory share those words."""

from __future__ import annotations

import csv
import random

import pytest
from test_content import cover

from khaudit.audit import audit

FAMILIES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
MIDDLES = ["Văn", "Thị", "Minh", "Thanh", "Hồng", "Ngọc", "Quang", "Gia", "Hữu", "Thu"]
GIVENS = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hương",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngân",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tú",
    "Vy",
    "Yến",
]


def crowded_titles(records: int = 800, crowd: int = 35) -> list[str]:
    """An inventory where the fonds' own name ("Ủy ban nhân dân xã Diên Lạc", on every cover)
    stands in ``crowd`` titles: few enough to stay a blocking word, many enough to outnumber
    the candidates a page is scored against; the rest birth registrations, told apart only by
    a child's name."""
    names = [f"{f} {m} {g}" for f in FAMILIES for m in MIDDLES for g in GIVENS]
    random.Random(7).shuffle(names)
    titles = [
        f"Quyết định của Ủy ban nhân dân xã Diên Lạc về việc khen thưởng năm {1990 + k}"
        for k in range(crowd)
    ]
    return titles + [f"Hồ sơ đăng ký khai sinh cho cháu {n}" for n in names[: records - crowd]]


@pytest.fixture(scope="module")
def crowded_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("crowded")
    titles = crowded_titles() + [
        "Hồ sơ đăng ký khai sinh cho cháu Hồ Xuân Phúc",  # every word on the next one's cover
        "Hồ sơ đăng ký khai sinh cho cháu Huỳnh Xuân Phúc",
        "Hồ sơ cấp giấy phép xây dựng cho ông Đinh Công Tráng",
    ]
    codes = [f"H56.22.01.2019.{i:05d}" for i in range(len(titles))]
    with (base / "inv.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Số tờ"])
        writer.writerows([i + 1, c, t, 2] for i, (c, t) in enumerate(zip(codes, titles)))
    (base / "scans").mkdir()
    # Two birth registrations swapped at the station, covers without a code line; four
    # named right; a building permit's name on a birth registration's pages.
    for i, shown in ((40, 41), (41, 40), (42, 42), (43, 43), (44, 44), (45, 45), (802, 801)):
        (base / "scans" / f"{codes[i]}.pdf").write_bytes(cover(titles[shown], None))
    (base / "project.toml").write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Diên Lạc"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return audit(base / "project.toml", base / "run", lang="en"), codes


def test_boilerplate_shared_by_many_records_does_not_hide_the_record_a_page_shows():
    """The page's heading alone weighs more, against each crowding record, than the child's
    name does against the record the page shows: a ranking by shared weight alone leaves that
    record outside the candidates."""
    from khaudit.match.content import CANDIDATES
    from khaudit.match.scoring import TitleIndex
    from khaudit.match.settings import MatchSettings

    titles = crowded_titles()
    index = TitleIndex(titles, [(None, None)] * len(titles), [None] * len(titles), MatchSettings())
    page = index.encode([f"ỦY BAN NHÂN DÂN XÃ DIÊN LẠC HỒ SƠ {titles[41].upper()}"])
    shared = (page.keys[0] @ index.key_matrix).toarray().ravel()
    assert (shared[:35] > shared[41]).all() and CANDIDATES < 35


def test_a_swapped_cover_is_caught_among_many_records_sharing_its_heading(crowded_run):
    run, codes = crowded_run
    files = run.files.set_index("path")
    swapped = [f"{codes[40]}.pdf", f"{codes[41]}.pdf"]
    assert list(files.loc[swapped, "status"]) == ["needs_review"] * 2
    assert list(files.loc[swapped, "content_verdict"]) == ["contradicts"] * 2
    candidates = run.table("candidates")
    for path, other in zip(swapped, (codes[41], codes[40])):
        assert other in set(candidates.loc[candidates["path"] == path, "record_code"])
    right = [f"{codes[i]}.pdf" for i in range(42, 46)]
    assert list(files.loc[right, "status"]) == ["matched"] * 4
    assert (files.loc[right, "content_match"] >= 0.8).all()


def test_a_page_showing_two_titles_whole_names_the_one_sharing_its_rare_pairs(crowded_run):
    """'Hồ Xuân Phúc' is read whole in 'HỒ SƠ ... HUỲNH XUÂN PHÚC' (the cover's own "HỒ SƠ"):
    both records score 100, and the page names the one whose name it carries."""
    run, codes = crowded_run
    path = f"{codes[802]}.pdf"
    assert run.files.set_index("path").loc[path, "content_verdict"] == "contradicts"
    candidates = run.table("candidates")
    assert set(candidates.loc[candidates["path"] == path, "record_code"]) == {
        codes[802],
        codes[801],
    }
