from __future__ import annotations

from khaudit.match.scoring import TitleIndex
from khaudit.match.settings import MatchSettings
from khaudit.textnorm import match_form

TITLES = [
    "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An, thửa đất số 123, tờ bản đồ số 4",
    "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An, thửa đất số 124, tờ bản đồ số 4",
    "Hồ sơ cấp GCN QSDĐ cho hộ bà Trần Thị Bình, thửa đất số 77, tờ bản đồ số 9",
    "Báo cáo tình hình kinh tế - xã hội năm 2018",
    "Báo cáo tình hình kinh tế - xã hội năm 2019",
    "Hồ sơ đăng ký kết hôn của anh Lê Văn Nam và chị Phạm Thị Lan",
] + [f"Quyết định của UBND xã về việc phân bổ kinh phí đợt {i}" for i in range(30)]


def index() -> TitleIndex:
    return TitleIndex(TITLES, [(2019, 2019)] * len(TITLES), [5] * len(TITLES), MatchSettings())


def best(idx: TitleIndex, title: str, **kw) -> list[tuple[float, int]]:
    block = idx.block(match_form(title), 50)
    return sorted(((idx.score(title, i, **kw).score, i) for i in block), reverse=True)


def test_abbreviations_and_missing_marks_do_not_matter():
    idx = index()
    ranked = best(
        idx,
        "Ho so cap giay chung nhan quyen su dung dat cho ho ong Nguyen Van An "
        "thua dat so 124 to ban do so 4",
    )
    assert ranked[0][1] == 1 and ranked[0][0] >= 95


def test_a_different_parcel_number_is_hard_evidence():
    idx = index()
    right = idx.score("Ho so cap GCN QSDD ho ong Nguyen Van An thua 123", 0)
    wrong = idx.score("Ho so cap GCN QSDD ho ong Nguyen Van An thua 123", 1)
    assert right.score - wrong.score >= 40
    assert wrong.conflicts == (123,)


def test_a_different_year_is_hard_evidence():
    idx = index()
    ranked = best(idx, "Bao cao tinh hinh KT-XH nam 2019")
    assert ranked[0][1] == 4 and ranked[0][0] - ranked[1][0] >= 40


def test_a_different_person_scores_low():
    idx = index()
    other = idx.score("Ho so cap GCN QSDD cho ho ba Tran Thi Binh", 0)
    same = idx.score("Ho so cap GCN QSDD cho ho ba Tran Thi Binh", 2)
    assert same.coverage == 100 and other.coverage < 80


def test_truncated_title_fits_both_twins_equally():
    idx = index()
    a = idx.score("Ho so cap GCN QSDD cho ho ong Nguyen Van An", 0)
    b = idx.score("Ho so cap GCN QSDD cho ho ong Nguyen Van An", 1)
    assert a.identity == b.identity == 100


def test_a_typo_still_counts():
    idx = index()
    typo = idx.score("Ho so dang ky ket hon cua anh Le Van Nam va chi Pham Thi Lna", 5)
    assert typo.coverage > 90


def test_pages_and_year_agreement_add_confidence_not_identity():
    idx = index()
    plain = idx.score("Bao cao tinh hinh KT-XH nam 2019", 4)
    agreed = idx.score("Bao cao tinh hinh KT-XH nam 2019", 4, year=2019, pages=7)
    assert agreed.year_agrees and agreed.pages_agree
    assert agreed.score == plain.score + 10 and agreed.identity == plain.identity + 5


def test_a_typo_in_the_inventory_does_not_hide_the_record_from_its_block():
    titles = ["Hồ sơ đăng ký khai sinh cho cháu Hồ Thàh Nam"] + [
        f"Hồ sơ đăng ký khai sinh cho cháu Trần Thanh {name}"
        for name in ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Phúc", "Sơn", "Tài")
    ] * 3
    idx = TitleIndex(titles, [(2019, 2019)] * len(titles), [2] * len(titles), MatchSettings())
    form = match_form("Ho so dang ky khai sinh cho chau Ho Thanh Nam")
    assert 0 in idx.block(form, 200)
    best = max(idx.block(form, 200), key=lambda i: idx.score(form, i).score)
    assert best == 0


def test_a_surname_spelled_like_a_boilerplate_word_is_not_found_in_the_boilerplate():
    # "Lê" folds to "le" as in "riêng lẻ": the record of "Đặng Bích Hà" has one "le", not two.
    titles = [
        "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Lê Bích Hà, thửa đất số 254",
        "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Đặng Bích Hà, thửa đất số 348",
    ] + [
        f"Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ ông Trần Văn {n}"
        for n in ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Phúc", "Sơn", "Tài")
    ]
    idx = TitleIndex(titles, [(2019, 2019)] * len(titles), [2] * len(titles), MatchSettings())
    scan = "Ho so cap giay phep xay dung nha o rieng le cho ho ba Le Bich Ha thua"
    right, wrong = idx.score(scan, 0), idx.score(scan, 1)
    assert right.coverage == 100 and right.score - wrong.score >= 10


def test_a_record_word_the_scan_skips_costs_coverage_but_a_cut_tail_does_not():
    idx = index()
    # Every word of the first scan is in the record, but it skips the record's "Trần": the
    # share of the record it spans that it found is the coverage, the IDF of "tran" short.
    skipped = idx.score("Ho so cap GCN QSDD cho ho ba Thi Binh thua dat so 77", 2)
    cut = idx.score("Ho so cap GCN QSDD cho ho ba Tran Thi Binh", 2)
    span = idx.prefix_idf[2, 19]  # the 19 words of the scan title span the record's first 19
    tran, parcel = idx.idf[idx.vocab["tran"]], idx.idf[idx.vocab["77"]]
    assert cut.coverage == 100
    # (the scan's parcel number is found just past the span: found words count wherever they
    # are in the record, which errs on the lenient side)
    assert abs(skipped.coverage - 100 * (span - tran + parcel) / span) < 1e-6


def test_bulk_scores_equal_one_at_a_time_scores():
    import numpy as np

    idx = index()
    scans = [
        "Bao cao tinh hinh KT-XH nam 2019",
        "Ho so cap GCN QSDD ho ong Nguyen Van An thua 123",
        "Ho so dang ky ket hon cua anh Le Van Nam va chi Pham Thi Lna",
    ]
    encoded = idx.encode(scans)
    item, record = idx.candidates(encoded, 5)
    pairs = idx.score_pairs(encoded, item, record, np.array([2019.0] * 3), np.array([7.0] * 3))
    every = np.arange(len(item))
    idx.read_typed(encoded, pairs, every)
    idx.in_order(encoded, pairs, every)
    assert len(item) >= 3 and set(item) == {0, 1, 2}
    for k in range(len(item)):
        one = idx.score(scans[item[k]], int(record[k]), year=2019, pages=7)
        assert idx.title_score(encoded, pairs, k) == one


def test_a_cut_title_ending_in_one_letter_loses_nothing_for_it():
    # Cut at the operator's limit inside "số" and inside "đến": the lone letter is no word of
    # the record, and as an unknown word it would outweigh the whole title.
    import numpy as np

    idx = index()
    for title, record in [
        ("Ho so cap GCN QSDD cho ho ba Tran Thi Binh, thua dat s", 2),
        ("Ho_so_dang_ky_ket_hon_cua_anh_Le_Van_Nam_va_c", 5),
    ]:
        encoded = idx.encode([title], [True])
        pairs = idx.score_pairs(encoded, np.array([0]), np.array([record]))
        assert idx.title_score(encoded, pairs, 0).identity == 100
    # Not cut, a lone letter is a word like any other ("s" is read as "số" wherever it stands).
    whole = idx.encode(["Ho_so_dang_ky_ket_hon_cua_anh_Le_Van_Nam_va_c"], [False])
    pairs = idx.score_pairs(whole, np.array([0]), np.array([5]))
    assert idx.title_score(whole, pairs, 0).identity < 100


def test_quarters_and_terms_in_roman_numerals_are_their_numbers():
    assert match_form("Báo cáo KT-XH quý III năm 2016") == match_form(
        "bao cao kinh te - xa hoi quy 3 nam 2016"
    )
    assert (
        match_form("HS kỳ họp thứ 3 HĐND khóa XII năm 2021")
        == "ho so ky hop thu 3 hoi dong nhan dan khoa 12 nam 2021"
    )
    # Only after the words that number things: a letter elsewhere stays a letter.
    assert match_form("ông V Văn A") == "ong v van a"
    assert match_form("quý IIII") == "quy iiii"  # not a numeral as anyone writes one
    # Two letters or more stand for a number wherever they are, but for Vietnamese words.
    assert match_form("khhoa XIII năm 2015") == "khhoa 13 nam 2015"
    assert match_form("vi phạm hành chính, xi măng") == "vi pham hanh chinh xi mang"
    assert match_form("kha XI năm 2014") == "kha 11 nam 2014"


def test_office_shorthands_operators_type_are_the_words():
    assert match_form("HS cấp GCN QSD đất cho hộ b. Mai, thửa đất s. 172, tờ bđ") == match_form(
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ bà Mai, thửa đất số 172, tờ bản đồ"
    )
    assert match_form("Tập QĐ của CT UBND xã") == match_form(
        "Tập quyết định của Chủ tịch Ủy ban nhân dân xã"
    )


def test_a_series_beginning_cut_before_its_rare_words_still_finds_the_series():
    # Forty conclusions of the chairman, told apart only by the village and the year after
    # the cut: no word of the scan's title is rare enough to block on.
    villages = [f"thôn {v}" for v in ("Cửu Lợi", "Hòa Bình", "Trung Ninh", "Thủy Triều")]
    titles = [
        f"Thông báo kết luận của Chủ tịch UBND xã Vạn Ninh tại buổi làm việc với {v} năm {y}"
        for v in villages
        for y in range(2015, 2025)
    ] + TITLES
    idx = TitleIndex(titles, [(None, None)] * len(titles), [None] * len(titles), MatchSettings())
    cut = "thông báo kết luận của ct ủy ban nhân dân xã vạn ninh tại buổi l"
    found = idx.block(match_form(cut), 200)
    assert set(found[:40]) == set(range(40))
    assert all(idx.score(cut, j).score >= 95 for j in found[:40])


def test_abbreviations_run_together_are_set_apart():
    assert match_form("THONG BAO KET LUAN CUA CTUBND XA") == match_form(
        "Thông báo kết luận của Chủ tịch Ủy ban nhân dân xã"
    )
    assert match_form("HSDKKH giua anh Tai") == match_form("Hồ sơ đăng ký kết hôn giữa anh Tài")
    assert match_form("HS kỳ họp thứ 2 HĐND khóaXII củaUBND") == match_form(
        "Hồ sơ kỳ họp thứ 2 HĐND khóa XII của UBND"
    )
    # An abbreviation of its own is not cut in two ("ĐKKH" is no "ĐK" + "KH").
    assert match_form("Sổ ĐKKH năm 2017") == "so dang ky ket hon nam 2017"


def test_a_date_typed_without_separators_is_its_day_month_and_year():
    assert match_form("009_QD-UBND_14012014").split()[-3:] == ["14", "1", "2014"]
    assert match_form("20140114 bao cao").split()[:3] == ["14", "1", "2014"]
    assert "99999999" in match_form("so 99999999")  # no date: left as it is


def test_words_typed_together_are_split_into_the_fewest_known_words():
    from khaudit.match.scoring import _fewest_known_words

    vocab = dict.fromkeys(["dang", "thanh", "son", "than", "pho", "th", "anhpho", "ho", "so"], 0)
    assert _fewest_known_words("dangthanhson", vocab) == ["dang", "thanh", "son"]
    assert _fewest_known_words("thanhpho", vocab) == ["thanh", "pho"]
    assert _fewest_known_words("thanhxyz", vocab) is None


def test_letters_typed_apart_or_onto_a_number_read_as_the_record_has_them():
    # "T-H" for "thực hiện", "NV" for "nhiệm vụ", "Q4" for "quý IV": what typing leaves of
    # the words; the year still decides between the quarters of two years.
    titles = [
        f"Báo cáo tình hình thực hiện nhiệm vụ kinh tế - xã hội quý {q} năm {y} của UBND xã"
        for y in (2016, 2018)
        for q in ("I", "II", "III", "IV")
    ]
    titles += [f"Hồ sơ đăng ký khai sinh cho cháu {n}" for n in ("An", "Bình", "Cúc", "Hà")]
    idx = TitleIndex(titles, [(None, None)] * len(titles), [None] * len(titles), MatchSettings())
    scan = "BAO CAO TINH HINH T-H NV KINH TE - XA HOI Q4-2016 CUA UBND XA"
    scores = [idx.score(scan, r).score for r in range(8)]
    assert scores[3] >= 85
    assert max(scores[:3] + scores[4:]) < 50


def test_registered_kh_is_a_marriage_and_kh_alone_a_plan():
    assert match_form("Hồ sơ ĐK KH anh A") == "ho so dang ky ket hon anh a"
    assert match_form("So DKKS nam 2015") == "so dang ky khai sinh nam 2015"
    assert match_form("KH phat trien KT-XH") == "ke hoach phat trien kinh te xa hoi"


def test_a_number_with_letters_typed_onto_its_end_is_a_number_and_a_word():
    # "số 46qđ" for "số 46/QĐ": the decision's number and its kind.
    assert match_form("quyet_dinh_so_46qd_ngay_13_1_2017") == match_form(
        "Quyết định số 46/QĐ ngày 13/1/2017"
    )


def test_a_one_stop_shops_names_for_procedures_are_read_as_their_words():
    assert match_form("XNHN Nguyễn Thu Hoa") == match_form(
        "xác nhận tình trạng hôn nhân Nguyễn Thu Hoa"
    )
    assert match_form("XPXD_Tran_Van_Son").startswith("giay phep xay dung")


def test_a_title_encodes_the_same_whatever_it_is_encoded_with_and_however_often():
    """encode keeps each title's reading (the rankings encode most titles two or three
    times): a typo, words run together and a cut end read the same alone or among others."""
    import numpy as np

    scans = [
        "Ho so cap GCN QSDD cho ho ong Nguyen Vn An thua 123",
        "Bao cao tinhhinh KT-XH nam 2019",
        "Quyet dinh cua UBND xa ve viec phan bo kinh phi dot 1",
        "Ho so dang ky ket hon cua anh Le Van Nam va chi Pham Thi La",
    ]
    cut = [False, False, True, True]
    together = index().encode(scans, cut)
    warm = index()
    warm.encode(scans[1:], [not c for c in cut[1:]])  # a title read cut is another reading
    warm.encode(scans[2:], cut[2:])
    for idx, titles, flags in [(warm, scans, cut), (index(), scans[::-1], cut[::-1])]:
        again = idx.encode(titles, flags)
        order = [titles.index(t) for t in scans]
        for name, value in vars(together).items():
            other = getattr(again, name)
            if hasattr(value, "toarray"):
                assert (value != other[order]).nnz == 0, name
            elif isinstance(value, np.ndarray):
                assert np.array_equal(value, other[order]), name
            else:
                assert value == [other[k] for k in order], name
