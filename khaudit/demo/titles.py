"""Record titles as Khanh Hoa offices write them, near-twins included.

Near-twins are deliberate: the same land-certificate title for neighbouring parcels, the same
annual report for consecutive years, the same procedure for different people. They are what
makes matching hard, so the demo must have them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..textnorm import strip_marks

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
    "Đinh",
    "Trương",
    "Lương",
    "Châu",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Ngọc", "Xuân", "Hoàng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Mỹ", "Diệu", "Hồng", "Phương"]
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
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hiếu",
    "Lộc",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Thảo",
    "Trang",
    "Uyên",
    "Vân",
    "Yến",
]
TOPICS = [
    "kiện toàn Ban chỉ đạo phòng chống thiên tai",
    "phê duyệt kế hoạch sử dụng đất",
    "thành lập Tổ công tác chuyển đổi số",
    "giao chỉ tiêu thu ngân sách",
    "phân bổ kinh phí sửa chữa trường học",
    "tổ chức Đại hội thể dục thể thao",
    "triển khai công tác phòng chống dịch bệnh",
    "bồi thường giải phóng mặt bằng",
    "xây dựng nông thôn mới",
    "cải cách thủ tục hành chính",
]
REPORTS = [
    "Báo cáo tình hình KT-XH năm {y}",
    "Kế hoạch phát triển KT-XH năm {y}",
    "Báo cáo tổng kết công tác tư pháp năm {y}",
    "Báo cáo kết quả thu chi ngân sách năm {y}",
    "Báo cáo công tác cải cách hành chính năm {y}",
    "Kế hoạch phòng chống thiên tai năm {y}",
]


@dataclass
class Title:
    text: str
    kind: str  # land, marriage, permit, birth, report, decision, council
    year: int


def person(rng: random.Random, female: bool | None = None) -> tuple[str, bool]:
    female = rng.random() < 0.5 if female is None else female
    middle = MIDDLE_F if female else MIDDLE_M
    given = GIVEN_F if female else GIVEN_M
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}", female


def _title(rng: random.Random, year: int, place: str) -> Title:
    roll = rng.random()
    if roll < 0.35:
        name, female = person(rng)
        who = "bà" if female else "ông"
        parcel, sheet = rng.randint(5, 900), rng.randint(1, 60)
        return Title(
            f"Hồ sơ cấp GCN QSDĐ cho hộ {who} {name}, thửa đất số {parcel}, tờ bản đồ số {sheet}",
            "land",
            year,
        )
    if roll < 0.5:
        groom, _ = person(rng, female=False)
        bride, _ = person(rng, female=True)
        return Title(f"Hồ sơ đăng ký kết hôn của anh {groom} và chị {bride}", "marriage", year)
    if roll < 0.62:
        name, female = person(rng)
        who = "bà" if female else "ông"
        return Title(
            f"Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ {who} {name}, "
            f"thửa đất số {rng.randint(5, 900)}",
            "permit",
            year,
        )
    if roll < 0.72:
        name, _ = person(rng)
        return Title(f"Hồ sơ đăng ký khai sinh cho cháu {name}", "birth", year)
    if roll < 0.84:
        return Title(rng.choice(REPORTS).format(y=year), "report", year)
    if roll < 0.95:
        return Title(
            f"Quyết định của UBND {place} về việc {rng.choice(TOPICS)} năm {year}", "decision", year
        )
    return Title(
        f"Biên bản kỳ họp thứ {rng.randint(1, 12)} HĐND {place} khóa "
        f"{rng.choice(['X', 'XI', 'XII'])} năm {year}",
        "council",
        year,
    )


def twin_of(rng: random.Random, title: Title) -> Title:
    """A near-twin: another parcel, another year, or another person under the same wording."""
    text = title.text
    if title.kind in ("land", "permit") and "thửa đất số " in text:
        head, tail = text.split("thửa đất số ", 1)
        number, rest = (tail.split(",", 1) + [""])[:2]
        new = f"{head}thửa đất số {int(number) + rng.choice([1, 2, 10])}"
        return Title(new + ("," + rest if rest else ""), title.kind, title.year)
    if str(title.year) in text:
        return Title(text.replace(str(title.year), str(title.year + 1)), title.kind, title.year + 1)
    name, _ = person(rng)
    words = text.split()
    return Title(" ".join(words[:-3] + name.split()), title.kind, title.year)


def make_titles(
    rng: random.Random, n: int, years: tuple[int, int], place: str, twin_share: float = 0.15
) -> list[Title]:
    """``n`` titles in year order, about ``twin_share`` of them near-twins of a neighbour."""
    titles: list[Title] = []
    seen: set[str] = set()
    while len(titles) < n:
        if titles and rng.random() < twin_share:
            candidate = twin_of(rng, rng.choice(titles[-20:]))
        else:
            candidate = _title(rng, rng.randint(*years), place)
        if candidate.text not in seen and years[0] <= candidate.year <= years[1]:
            seen.add(candidate.text)
            titles.append(candidate)
    titles.sort(key=lambda t: t.year)
    return titles


def typed_title(text: str, rng: random.Random, limit: int = 72) -> str:
    """A title as typed into a file name: no marks, no punctuation, maybe shortened."""
    bare = strip_marks(text).replace(",", "").replace("/", "-").replace(":", "")
    if rng.random() < 0.5:
        bare = bare.replace("giay chung nhan quyen su dung dat", "GCN QSDD")
    if len(bare) > limit:
        bare = bare[:limit].rsplit(" ", 1)[0]
    return bare.strip()


def drop_letter(text: str, rng: random.Random) -> str:
    """The text with one letter dropped from a long word: the commonest typing slip."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    j = rng.randrange(1, len(words[i]) - 1)
    words[i] = words[i][:j] + words[i][j + 1 :]
    return " ".join(words)
