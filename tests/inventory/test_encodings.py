from __future__ import annotations

import random
import unicodedata

import pytest

from khaudit.demo.titles import SURNAMES, make_titles, person
from khaudit.inventory.encodings import (
    ENCODINGS,
    convert_cell,
    decode_cp1258,
    decode_tcvn3,
    decode_viqr,
    decode_vni,
    detect_column_encoding,
    encode_cp1258,
)
from khaudit.inventory.readers import decode_text_file

EXTRA = [
    "Ghi chú",
    "Vĩnh viễn",
    "Bản chính",
    "Số tờ",
    "Tiêu đề hồ sơ",
    "Ủy ban",
    "Đà Nẵng",
    "Khánh Hòa",
    "Ông Lê Văn Tám",
    "Cà Mau",
    "Há",
    "Hà Nội 2019",
    "Hồ sơ (bản sao).",
    "Quyết định số 12/QĐ-UBND ngày 05/3/2019.",
    "Tờ trình v/v xin ý kiến?",
    "Cam Lâm",
    "THBQ",
    "Ninh Hòa",
    "Vạn Giã",
    "Trường Sa",
    "KT-XH",
    "GCN QSDĐ",
    "ĐKKH",
    "Bà Rịa",
    "Bảo Thắng",
    "Mường Khương",
    "Bát Xát",
]
FOREIGN = ["café", "naïve", "x²", "½ tờ", "°C", "№ 5", "Ærø", "Øresund", "São Paulo"]


def clean_corpus(n: int) -> list[str]:
    rng = random.Random(1)
    titles = [t.text for t in make_titles(rng, n, (1990, 2024), "xã Diên Lạc", twin_share=0.0)]
    names = [person(rng)[0] for _ in range(n // 4)]
    words = sorted({w.strip(",.") for t in titles[:500] for w in t.split()})
    return titles + names + words + SURNAMES + EXTRA


def test_domain_examples_decode():
    assert decode_tcvn3("Hå s¬ cÊp giÊy chøng nhËn") == "Hồ sơ cấp giấy chứng nhận"
    assert decode_vni("Hoaø") == "Hoà"
    assert decode_viqr("Vie^.t Nam") == "Việt Nam"


@pytest.mark.parametrize("name", ["vni", "viqr"])
def test_round_trip(name):
    enc = ENCODINGS[name]
    for text in clean_corpus(400):
        if name == "viqr" and "DĐ" in text:
            continue  # VIQR writes Đ as DD: "QSDĐ" cannot be told from "QSĐD" (documented)
        assert enc.decode(enc.encode(text)) == text


def test_tcvn3_round_trip_lowercases_only_toned_capitals():
    enc = ENCODINGS["tcvn3"]
    for text in clean_corpus(400):
        back = enc.decode(enc.encode(text))
        differ = [(b, t) for b, t in zip(back, text, strict=True) if b != t]
        assert all(b == t.lower() and not t.isascii() for b, t in differ)


def test_cp1258_round_trip_and_combining_tones():
    for text in clean_corpus(400):
        if all(ord(ch) < 0x2000 for ch in text):  # "№" and the like have no cp1258 code
            assert decode_cp1258(encode_cp1258(text)) == text
    raw = encode_cp1258("Hồ sơ")
    assert "\u0300" in raw.decode("cp1258")  # tone kept as a combining mark, as old tools did
    assert decode_text_file(raw)[1] == "cp1258"


def test_no_false_conversion_on_ten_thousand_clean_strings():
    corpus = clean_corpus(8000) + FOREIGN
    assert len(corpus) >= 10_000
    converted = [t for t in corpus if convert_cell(t, None)[1] is not None]
    assert converted == []
    assert detect_column_encoding(corpus) is None
    ascii_marks_free = [unicodedata.normalize("NFC", t) for t in corpus]
    assert (
        detect_column_encoding([t.encode("ascii", "ignore").decode() for t in ascii_marks_free])
        is None
    )


@pytest.mark.parametrize("name", ["tcvn3", "vni", "viqr"])
def test_columns_are_told_apart(name):
    enc = ENCODINGS[name]
    column = [enc.encode(t) for t in clean_corpus(60)[:60]]
    assert detect_column_encoding(column) == name
    decoded = [convert_cell(c, name)[0] for c in column]
    expected = clean_corpus(60)[:60]
    if name == "tcvn3":
        decoded, expected = [d.lower() for d in decoded], [e.lower() for e in expected]
    if name == "viqr":
        expected = [e.replace("QSDĐ", "QSĐD") for e in expected]
    assert decoded == expected


def test_single_cells_are_converted_only_on_evidence():
    assert convert_cell(ENCODINGS["tcvn3"].encode("Hồ sơ đăng ký kết hôn"), None) == (
        "Hồ sơ đăng ký kết hôn",
        "tcvn3",
    )
    assert convert_cell(ENCODINGS["vni"].encode("Hồ sơ đăng ký kết hôn"), None) == (
        "Hồ sơ đăng ký kết hôn",
        "vni",
    )
    assert convert_cell("Ghi chú", None) == ("Ghi chú", None)


def test_nfd_is_normalised_without_conversion():
    text = unicodedata.normalize("NFD", "Hồ sơ đăng ký kết hôn")
    assert convert_cell(text, None) == ("Hồ sơ đăng ký kết hôn", None)
