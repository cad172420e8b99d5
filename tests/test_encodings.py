from __future__ import annotations

import random
import unicodedata

from khaudit.demo.titles import make_titles
from khaudit.inventory.encodings import (
    convert_cell,
    decode_cp1258,
    decode_tcvn3,
    detect_column_encoding,
    encode_cp1258,
    encode_tcvn3,
    has_tcvn3_evidence,
)
from khaudit.inventory.readers import decode_text_file


def test_domain_example_decodes():
    assert decode_tcvn3("Hå s¬ cÊp giÊy chøng nhËn") == "Hồ sơ cấp giấy chứng nhận"


def clean_corpus(n: int = 3000) -> list[str]:
    rng = random.Random(1)
    texts = [t.text for t in make_titles(rng, n, (2000, 2024), "xã Diên Lạc")]
    return texts + ["Ghi chú", "Vĩnh viễn", "Bản chính", "Số tờ", "Tiêu đề hồ sơ", "Ủy ban",
                    "Đà Nẵng", "Khánh Hòa", "Ông Lê Văn Tám", "Cà Mau", "Há", "Hà Nội 2019"]


def test_tcvn3_round_trip_except_toned_capitals():
    for text in clean_corpus(500):
        encoded = encode_tcvn3(text)
        back = decode_tcvn3(encoded)
        assert back.lower() == text.lower()
        assert [c for c, d in zip(back, text) if c != d] == [
            c for c, d in zip(back, text) if c != d and c == d.lower()]


def test_cp1258_round_trip_and_combining_tones():
    for text in clean_corpus(500):
        data = encode_cp1258(text)
        assert decode_cp1258(data) == text
    raw = encode_cp1258("Hồ sơ")
    assert "\u0300" in raw.decode("cp1258")  # tone kept as a combining mark, as old tools did
    assert decode_text_file(raw)[1] == "cp1258"


def test_no_false_conversion_on_clean_unicode():
    corpus = clean_corpus()
    converted = [t for t in corpus if convert_cell(t, None)[1] is not None]
    assert converted == []
    assert not any(has_tcvn3_evidence(t) for t in corpus)
    assert detect_column_encoding(corpus) is None


def test_column_detection_converts_evidence_free_cells_too():
    column = [encode_tcvn3(t) for t in ["Hồ sơ cấp phép", "Bản sao", "có", "Số tờ"]]
    assert detect_column_encoding(column) == "tcvn3"
    assert convert_cell(encode_tcvn3("có"), "tcvn3") == ("có", "tcvn3")


def test_nfd_is_normalised_without_conversion():
    text = unicodedata.normalize("NFD", "Hồ sơ đăng ký kết hôn")
    assert convert_cell(text, None) == ("Hồ sơ đăng ký kết hôn", None)
