"""What offices write: people, places, record titles (with their near-twin series), and the
abbreviations clerks and scanning operators use.

A title is built as a list of words, each tagged with the abbreviation span it can be typed
as, so an operator's typed version can be traced back word by word to the original (the
labelling rule needs to know which original words a cut title still shows).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES = [
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
    "Lý",
    "Trương",
    "Đinh",
    "Lương",
    "Mai",
    "Tạ",
    "Châu",
    "Quách",
    "Lâm",
    "Thái",
    "Tô",
    "Văn",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Ngọc", "Xuân", "Đình", "Trọng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Bích", "Mỹ", "Thanh", "Hồng", "Diệu"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Tuấn",
    "Vinh",
    "Lộc",
    "Phúc",
    "Hiếu",
    "Nghĩa",
    "Trí",
    "Đạt",
    "Toàn",
    "Khoa",
]
GIVEN_F = [
    "Anh",
    "Chi",
    "Dung",
    "Hà",
    "Hằng",
    "Hoa",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Oanh",
    "Phượng",
    "Thảo",
    "Trang",
    "Yến",
    "Nhung",
]
VILLAGES = [
    "Phú Lộc Đông",
    "Phú Lộc Tây",
    "Xuân Phong",
    "Văn Định",
    "Hòa Bình",
    "Tân Lập",
    "Lạc Thiện",
    "Đại Điền",
    "Trung Ninh",
    "Thủy Triều",
    "Suối Cát",
    "Cửu Lợi",
]
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Localities of Khánh Hòa after 1 July 2025 (official codes only where DOMAIN.md gives them).
LOCALITIES = (
    ("Phường Nha Trang", "22366", "NT"),
    ("Xã Diên Lạc", "22678", "DL"),
    ("Xã Cam Lâm", "22453", "CL"),
    ("Xã Diên Điền", "22657", "DD"),
    ("Xã Diên Khánh", "22651", "DK"),
    ("Phường Bắc Nha Trang", "", "BNT"),
    ("Phường Tây Nha Trang", "", "TNT"),
    ("Phường Cam Ranh", "", "CR"),
    ("Phường Ba Ngòi", "", "BN"),
    ("Phường Ninh Hòa", "", "NH"),
    ("Xã Vạn Ninh", "", "VN"),
    ("Xã Tu Bông", "", "TB"),
    ("Xã Khánh Vĩnh", "", "KV"),
    ("Xã Khánh Sơn", "", "KS"),
    ("Xã Suối Dầu", "", "SD"),
    ("Xã Cam An", "", "CA"),
    ("Xã Diên Lâm", "", "DLM"),
    ("Xã Suối Hiệp", "", "SH"),
)

# Abbreviations as offices type them: (original words, typed forms). Longest spans first, so
# "giấy chứng nhận quyền sử dụng đất" becomes "GCN QSDĐ" rather than "GCN" + "QSDĐ".
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("giấy chứng nhận quyền sử dụng đất", ("GCN QSDĐ", "GCNQSDĐ", "GCN QSD đất")),
    ("quyền sử dụng đất", ("QSDĐ", "QSD đất")),
    ("Ủy ban nhân dân", ("UBND",)),
    ("Hội đồng nhân dân", ("HĐND",)),
    ("giấy chứng nhận", ("GCN",)),
    ("kinh tế - xã hội", ("KT-XH", "KTXH")),
    ("tờ bản đồ số", ("TBĐ", "tờ BĐ", "TBĐ số")),
    ("thửa đất số", ("thửa", "thửa số", "TĐ")),
    ("Chủ tịch", ("CT",)),
    ("Phó Chủ tịch", ("PCT",)),
    ("quyết định", ("QĐ",)),
    ("thông báo", ("TB",)),
    ("báo cáo", ("BC",)),
    ("Báo cáo", ("BC",)),
    ("tờ trình", ("TTr",)),
    ("Tờ trình", ("TTr",)),
    ("kế hoạch", ("KH",)),
    ("Kế hoạch", ("KH",)),
    ("đăng ký kết hôn", ("ĐKKH",)),
    ("giấy phép xây dựng", ("GPXD",)),
    ("thủ tục hành chính", ("TTHC",)),
    ("Hồ sơ", ("HS",)),
    ("hộ ông", ("hộ ô.", "ô.")),
    ("hộ bà", ("hộ b.", "b.")),
    ("số", ("s.", "so")),
)


@dataclass
class Title:
    """A record title as words, the near-twin series it belongs to and its deciding slot."""

    words: list[str]
    series: str  # the near-twin series the title belongs to ("" when none)
    slot: str  # what tells it apart from its twins (a number, a person, a quarter)
    year: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


def person(rng: random.Random, female: bool | None = None) -> str:
    female = rng.random() < 0.45 if female is None else female
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{rng.choice(SURNAMES)} {middle} {given}"


def _honorific(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.45
    return ("bà" if female else "ông"), person(rng, female)


_LAND = ("cấp giấy chứng nhận quyền sử dụng đất", "đăng ký biến động đất đai")


def _land(kind: str, parcel: int, sheet: int, who: str) -> str:
    return f"Hồ sơ {kind} cho hộ {who}, thửa đất số {parcel}, tờ bản đồ số {sheet}"


def series_titles(rng: random.Random, unit: str, kind: str, year: int, n: int) -> list[Title]:
    """``n`` near-twin titles of one series: they differ in one slot only."""
    out: list[Title] = []
    if kind == "quarter":
        for q in range(n):
            slot = ROMAN[q % 4]
            text = (
                f"Báo cáo tình hình kinh tế - xã hội quý {slot} năm {year} "
                f"của Ủy ban nhân dân {unit}"
            )
            out.append(Title(text.split(), kind, slot, year))
    elif kind == "decisions":
        start = 1
        for _ in range(n):
            end = start + rng.randint(30, 120)
            slot = f"{start:02d}"
            text = (
                f"Tập quyết định của Chủ tịch Ủy ban nhân dân {unit} năm {year} "
                f"từ số {start:02d} đến số {end}"
            )
            out.append(Title(text.split(), kind, slot, year))
            start = end + 1
    elif kind == "parcel":
        hon, who = _honorific(rng)
        sheet = rng.randint(1, 60)
        base = rng.randint(10, 900)
        parcels = sorted(rng.sample(range(base, base + 40), n))
        land = rng.choice(_LAND)
        for parcel in parcels:
            text = _land(land, parcel, sheet, f"{hon} {who}")
            out.append(Title(text.split(), kind, str(parcel), year))
    elif kind == "book":
        what = rng.choice(("khai sinh", "khai tử", "kết hôn", "chứng thực chữ ký"))
        for k in range(n):
            text = f"Sổ đăng ký {what} năm {year}, quyển số {k + 1:02d}"
            out.append(Title(text.split(), kind, f"{k + 1:02d}", year))
    elif kind == "sessions":
        term = rng.choice(("XI", "XII"))
        for k in range(n):
            text = f"Hồ sơ kỳ họp thứ {k + 1} Hội đồng nhân dân {unit} khóa {term} năm {year}"
            out.append(Title(text.split(), kind, str(k + 1), year))
    return out


def single_title(rng: random.Random, unit: str, year: int) -> Title:
    """One title of an ordinary record (twins by chance only)."""
    hon, who = _honorific(rng)
    village = rng.choice(VILLAGES)
    choice = rng.randrange(10)
    if choice == 0:
        text = _land(rng.choice(_LAND), rng.randint(1, 999), rng.randint(1, 80), f"{hon} {who}")
    elif choice == 1:
        text = f"Hồ sơ đăng ký khai sinh cho cháu {person(rng)}, con của {hon} {who}"
    elif choice == 2:
        text = f"Hồ sơ đăng ký kết hôn giữa anh {person(rng, False)} và chị {person(rng, True)}"
    elif choice == 3:
        text = f"Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho {hon} {who} tại thôn {village}"
    elif choice == 4:
        text = (
            f"Hồ sơ giải quyết đơn khiếu nại của {hon} {who} về tranh chấp đất đai "
            f"tại thôn {village}"
        )
    elif choice == 5:
        text = (
            f"Tờ trình của Ủy ban nhân dân {unit} về việc xây dựng đường giao thông "
            f"thôn {village} năm {year}"
        )
    elif choice == 6:
        text = f"Kế hoạch phát triển kinh tế - xã hội năm {year} của Ủy ban nhân dân {unit}"
    elif choice == 7:
        text = (
            f"Thông báo kết luận của Chủ tịch Ủy ban nhân dân {unit} tại buổi làm việc "
            f"với thôn {village} năm {year}"
        )
    elif choice == 8:
        text = f"Hồ sơ chuyển nhượng quyền sử dụng đất từ {hon} {who} cho {person(rng)}"
    else:
        text = f"Báo cáo tổng kết công tác văn thư, lưu trữ năm {year} của Ủy ban nhân dân {unit}"
    return Title(text.split(), "", "", year)


# --- legacy encodings -------------------------------------------------------------------

_TCVN3_LOWER = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ",
        "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ",
        strict=True,
    )
)
_TCVN3_UPPER = {"Ă": "¡", "Â": "¢", "Đ": "§", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦"}


def to_tcvn3(text: str) -> str:
    """The text as a .VnTime cell shows it in Excel: TCVN3 (ABC) bytes read as Latin-1.
    TCVN3 has no toned capitals, so those take their lower-case code."""
    out = []
    for ch in text:
        if ch in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[ch])
        elif ch in _TCVN3_LOWER:
            out.append(_TCVN3_LOWER[ch])
        elif ch.lower() in _TCVN3_LOWER:
            out.append(_TCVN3_LOWER[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258_form(text: str) -> str:
    """Windows-1258's own form of Vietnamese: letters with circumflex, breve or horn
    precomposed, tone marks as separate combining characters (so it encodes to cp1258)."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        rest = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(rest + tones)
    return "".join(out)
