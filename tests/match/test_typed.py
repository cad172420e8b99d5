"""Titles read pair by pair as operators type them: initialisms, short typos, words run
together, word order (khaudit/match/typed.py through the title index)."""

from __future__ import annotations

import numpy as np

from khaudit.match.scoring import TitleIndex
from khaudit.match.settings import MatchSettings
from khaudit.match.typed import Reading, read_as_typed

REPORTS = [
    f"Báo cáo tổng kết công tác {topic} năm {year}"
    for topic in (
        "cải cách hành chính",
        "quản lý đất đai",
        "phòng chống tham nhũng",
        "thi đua khen thưởng",
        "văn thư lưu trữ",
    )
    for year in range(2013, 2019)
]
TRANSFERS = [
    "Hồ sơ đăng ký biến động chuyển nhượng quyền sử dụng đất từ ông Bùi Thành Đạt sang ông "
    "Đỗ Ngọc An, thửa đất số 12, tờ bản đồ số 4",
    "Hồ sơ đăng ký biến động chuyển nhượng quyền sử dụng đất từ ông Bùi Ngọc Luân sang bà "
    "Huỳnh Thanh Oanh, thửa đất số 40, tờ bản đồ số 7",
    "Hồ sơ đăng ký biến động chuyển nhượng quyền sử dụng đất từ ông Lý Hữu Hưng sang ông "
    "Bùi Thanh Phong, thửa đất số 51, tờ bản đồ số 2",
]
OTHERS = [
    "Tập quyết định của Chủ tịch Ủy ban nhân dân xã Hòa Trí năm 2015 từ số 1 đến số 150",
    "Kế hoạch công tác của Chủ tịch Ủy ban nhân dân xã Hòa Trí năm 2016",
    "Tập quyết định của Chủ tịch Ủy ban nhân dân xã Hòa Trí năm 2016 từ số 151 đến số 210",
    "Tập quyết định của Ủy ban nhân dân xã Hòa Trí năm 2016 từ số 151 đến số 210",
    "Hồ sơ đăng ký khai sinh cho cháu Võ Thùy Nhung, con của ông Huỳnh Xuân Hùng",
    "Hồ sơ đăng ký khai sinh cho cháu Võ Thị Nhung, con của ông Huỳnh Xuân Hùng",
    "Sổ đăng ký khai sinh năm 2018, quyển số 02",
    "Sổ đăng ký kết hôn năm 2018, quyển số 02",
]
TITLES = REPORTS + TRANSFERS + OTHERS


def index() -> TitleIndex:
    return TitleIndex(TITLES, [(None, None)] * len(TITLES), [None] * len(TITLES), MatchSettings())


def ranked(title: str, cut: bool = False) -> list[tuple[float, str]]:
    """Every record's identity for one scan title, best first (as the linker weighs the
    candidates near its best: word order included)."""
    idx = index()
    scans = idx.encode([title], [cut])
    records = np.arange(len(TITLES))
    pairs = idx.score_pairs(scans, np.zeros(len(TITLES), dtype=np.int64), records)
    idx.read_typed(scans, pairs, records)
    idx.in_order(scans, pairs, records)
    return sorted(zip(pairs.identity.tolist(), TITLES), reverse=True)


def test_a_dropped_letter_in_a_short_word_reads_as_the_record_word():
    (first, title), (second, _) = ranked("BC tong ket cong tac cai cah hanh chinh nam 2016")[:2]
    assert title == "Báo cáo tổng kết công tác cải cách hành chính năm 2016"
    assert first >= 95 and first - second >= 10


def test_an_office_initialism_stands_for_the_record_words_it_spells():
    (first, title), (second, _) = ranked(
        "Tap QD cua CT UBND xa Hoa Tri nam 2016 tu so 151 den so 210"
    )[:2]
    assert title.startswith("Tập quyết định của Chủ tịch")
    assert first >= 99 and first - second >= 5


def test_a_dropped_letter_reads_as_the_name_a_changed_letter_does_not():
    # "Thy" is "Thùy" with a letter dropped, and "Thị" with a letter changed: a changed letter
    # in a short word is another name, so only "Thùy" is read.
    (first, title), (second, other) = ranked(
        "Ho so dang ky khai sinh cho chau Vo Thy Nhung, con cua ong Huynh Xuan Hung"
    )[:2]
    assert "Thùy" in title and "Thị" in other and first > second


def test_a_changed_letter_in_a_short_name_is_another_name():
    # The scan's father "Tân" is not the record's "Tâm": no typo credit lifts the pair.
    idx = index()
    record = TITLES.index(
        "Hồ sơ đăng ký khai sinh cho cháu Võ Thùy Nhung, con của ông Huỳnh Xuân Hùng"
    )
    before = idx.score(
        "Ho so dang ky khai sinh cho chau Vo Thuy Nhung, con cua ong Huynh Xuan Hun", record
    )
    wrong = idx.score(
        "Ho so dang ky khai sinh cho chau Vo Thuy Nhung, con cua ong Huynh Xuan Hang", record
    )
    assert before.identity - wrong.identity >= 5


def test_a_word_the_locality_uses_is_not_two_record_words_run_together():
    idf = np.ones(3)
    reading = read_as_typed(
        [("thuan", 0, 1.0, 1.0)],
        [("thu", 1, "", 0.0), ("an", 2, "", 0.0)],
        frozenset({0}),
        frozenset({1, 2}),
        idf,
    )
    assert not reading.used


def test_two_letters_stand_only_for_common_words():
    idf = np.array([1.0, 1.0, 5.0, 5.0])
    tokens = [("ct", -1, 6.0, 0.0)]
    common = read_as_typed(
        tokens,
        [("chu", 0, "", 0.0), ("tich", 1, "", 0.0)],
        frozenset(),
        frozenset({0, 1}),
        idf,
        2.0,
    )
    names = read_as_typed(
        tokens, [("cao", 2, "", 0.0), ("tan", 3, "", 0.0)], frozenset(), frozenset({2, 3}), idf, 2.0
    )
    assert common.used and not names.used


def test_words_typed_together_with_a_swapped_letter_read_as_both():
    (first, title), _ = ranked("So dang kykai sinh nam 2018, quyen so 02")[:2]
    assert title == "Sổ đăng ký khai sinh năm 2018, quyển số 02" and first >= 95


def test_a_cut_title_fits_the_record_with_its_words_in_order():
    # Every word of the cut name is somewhere in all three titles; only one has them in order.
    scores = ranked(
        "Ho_so_dang_ky_bien_dong_chuyen_nhuong_quyen_su_dung_dat_tu_ong_Bui_Thanh_Dat_san",
        cut=True,
    )
    (first, title), (second, _) = scores[:2]
    assert "Bùi Thành Đạt" in title
    assert first - second >= MatchSettings().ambiguity_margin


def test_a_known_word_is_not_read_as_a_word_with_another_letter():
    idf = np.ones(2)
    reading = read_as_typed(
        [("thi", 0, 1.0, 1.0)], [("thu", 1, "", 0.0)], frozenset({0}), frozenset({1}), idf
    )
    assert not reading.used and isinstance(reading, Reading)


def test_numbers_are_never_read_as_typos():
    idf = np.ones(2)
    reading = read_as_typed(
        [("128", 0, 1.0, 1.0)], [("129", 1, "", 0.0)], frozenset({0}), frozenset({1}), idf
    )
    assert not reading.used


def test_the_number_word_typed_onto_a_misspelt_word_before_the_number():
    (first, title), (second, _) = ranked("So dang ky khai sinh nam 2018, quynso 02")[:2]
    assert title == "Sổ đăng ký khai sinh năm 2018, quyển số 02"
    assert first >= 95 and first - second >= 10


def test_a_short_abbreviated_name_is_read_as_a_title():
    from khaudit.match.evidence import path_evidence

    assert path_evidence("2020/So DKKH 2020, so 03.pdf").title == "So DKKH 2020, so 03"
    assert path_evidence("Hop 05/HS 012.pdf").title == ""


def test_a_typo_in_the_inventory_still_counts_when_word_order_is_weighed():
    # The inventory typed "Thắg" once where its other titles say "Thắng": the scan's correct
    # "Thang" finds it in the bag of words and must find it in order too.
    titles = [
        "Hồ sơ đăng ký khai sinh cho cháu Đặng Minh Thắg",
        *(f"Hồ sơ đăng ký khai sinh cho cháu Lê Văn Thắng, con của bà Nga {k}" for k in range(4)),
        *(f"Báo cáo tổng kết công tác năm {year}" for year in range(2010, 2020)),
    ]
    idx = TitleIndex(titles, [(None, None)] * len(titles), [None] * len(titles), MatchSettings())
    score = idx.score("Ho so dang ky khai sinh cho chau Dang Minh Thang", 0)
    assert score.identity >= 95


def test_a_last_word_cut_at_any_length_reads_as_the_word_it_begins():
    # A name cut by its length limit ends inside a word ("… xã Hòa Tr") or a number ("… tờ bản
    # đồ số 1" for 12 or 18), wherever it fell: not seen as cut by the locality's lengths.
    (first, title), (second, _) = ranked("Ke hoach cong tac cua Chu tich UBND xa Hoa Tr")[:2]
    assert title == "Kế hoạch công tác của Chủ tịch Ủy ban nhân dân xã Hòa Trí năm 2016"
    assert first >= 95 and first - second >= 10
    scores = dict(
        (t, s)
        for s, t in ranked(
            "Ho so dang ky bien dong chuyen nhuong quyen su dung dat tu ong Bui Thanh Dat "
            "sang ong Do Ngoc An, thua dat so 1"
        )
    )
    assert scores[TRANSFERS[0]] >= 95  # "số 1" begins the record's 12


def test_a_cut_last_word_is_read_only_where_typing_in_order_puts_it():
    # "Tr" begins "Trí" in every record of the locality, but the word before it decides where
    # it stands: after "Hòa", not after "của" ("Chủ tịch" is no "Tr…").
    idx = index()
    scans = idx.encode(["Tap quyet dinh cua Tr"], [False])
    record = OTHERS.index(
        "Tập quyết định của Ủy ban nhân dân xã Hòa Trí năm 2016 từ số 151 đến số 210"
    )
    position = len(REPORTS) + len(TRANSFERS) + record
    pairs = idx.score_pairs(scans, np.zeros(1, dtype=np.int64), np.array([position]))
    idx.read_typed(scans, pairs, np.arange(1))
    assert pairs.identity[0] < 90


def test_an_owner_typed_before_the_procedure_fits_as_well_as_after():
    # "Huỳnh Xuân Hùng khai sinh Võ Thùy Nhung" is the title's words in its order, rotated.
    owner_first = ranked("Vo Thuy Nhung khai sinh")
    in_order = ranked("khai sinh cho chau Vo Thuy Nhung")
    assert "Võ Thùy Nhung" in owner_first[0][1] and "Võ Thùy Nhung" in in_order[0][1]
    assert owner_first[0][0] >= in_order[0][0] - 1
    # Rotation does not lift a name whose words stand in no order of the title.
    (first, title), (second, _) = ranked("Bui Thanh Dat sang Do Ngoc An")[:2]
    assert "Bùi Thành Đạt" in title and first - second >= MatchSettings().ambiguity_margin
