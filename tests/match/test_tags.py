"""Tags an office adds to typed names (khaudit/match/tags.py)."""

from __future__ import annotations

from test_link import links

from khaudit.match.tags import Tags, find_tags, read_tags
from khaudit.textnorm import fold, strip_marks

KINDS = {
    "HT": "Hồ sơ đăng ký khai tử cho ông {}",
    "XD": "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho ông {} tại thôn Bình Khánh",
    "DON": "Hồ sơ giải quyết đơn kiến nghị của ông {} về việc tranh chấp đất đai",
    "GCN": "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ ông {}, thửa đất số 12",
}
OWNERS = [
    "Tạ Xuân Nam",
    "Võ Văn Nga",
    "Lê Ngọc Thảo",
    "Đặng Quang Cường",
    "Trần Thành Long",
    "Mai Ngọc Loan",
    "Ngô Công Sơn",
    "Phan Hữu Long",
    "Bùi Đức Lộc",
    "Ngô Ngọc Hằng",
    "Đỗ Công Quân",
    "Lý Văn Tám",
]
VOCABULARY = {
    "ho",
    "so",
    "dang",
    "ky",
    "khai",
    "tu",
    "cho",
    "ong",
    "don",
    "giay",
    "chung",
    "nhan",
    "xay",
} | {word for owner in OWNERS for word in fold(owner).split()}


def test_a_short_token_many_names_carry_is_a_tag_read_where_titles_write_it():
    names = [f"{o} - {kind}" for o in OWNERS for kind in KINDS]
    names += ["QD - 124", "QD - 125"]
    tags = find_tags(names, VOCABULARY)
    # "HT" is no word of the inventory: left out. "DON", "XD" and "GCN" are a title's (or
    # expand to its words) and stand alone after the name: read first, as titles write the
    # kind before the owner.
    assert tags.dropped == {"ht"} and tags.leading == {"don", "gcn", "xd"}
    assert read_tags("TA XUAN NAM - HT", tags) == "TA XUAN NAM"
    assert read_tags("HT_TA XUAN NAM", tags) == "TA XUAN NAM"
    assert read_tags("DO CONG QUAN - DON", tags) == "DON DO CONG QUAN"
    assert read_tags("QD - 124", Tags(frozenset({"qd"}))) == "QD - 124"  # a decision


def test_too_few_names_make_no_tag_and_a_cut_word_is_none():
    assert find_tags(["TA XUAN NAM - HT", "LE VAN TAM - HT"], VOCABULARY) == Tags()
    cut = [f"Ho so dang ky khai tu cho ong {o} th" for o in OWNERS]
    assert "th" not in find_tags(cut, VOCABULARY | {"thon", "thua"}).dropped


def test_an_owners_name_with_a_kind_after_it_links_its_record():
    # Each owner twice, under two kinds: six names a kind, enough to show the tags.
    pairs = [(o, kind) for k, o in enumerate(OWNERS) for kind in list(KINDS)[k % 2 :: 2]]
    titles = [KINDS[kind].format(o) for o, kind in pairs]
    paths = [f"Nam 2019/{strip_marks(o).upper()} - {kind}.pdf" for o, kind in pairs]
    table = links(titles, paths)
    linked = table[table["decision"] == "link"]
    assert sorted(zip(linked["path"], linked["record"])) == sorted(
        (p, i) for i, p in enumerate(paths)
    )


def test_words_joined_one_by_one_are_no_tags():
    names = [
        f"HỒ-SƠ-ĐĂNG-KÝ-KHAI-TỬ-CHO-ÔNG-{strip_marks(o).upper().replace(' ', '-')}" for o in OWNERS
    ]
    assert find_tags(names, VOCABULARY) == Tags()


def test_a_label_with_its_number_is_no_tag():
    names = [
        f"HS DANG KY BIEN DONG DAT DAI CHO {strip_marks(o).upper()}, TD.{k}"
        for k, o in enumerate(OWNERS)
    ]
    assert find_tags(names, VOCABULARY) == Tags()
