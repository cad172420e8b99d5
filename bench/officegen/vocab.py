"""Words an office's records are made of: people, places, subjects, localities.

Kept apart from the record builders so that a new kind of record only needs its title pattern.
"""

from __future__ import annotations

import random

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đoàn",
    "Mai",
    "Lương",
    "Tạ",
)
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Công", "Quang", "Xuân", "Ngọc", "Thành", "Tấn")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Bích", "Diệu", "Hồng", "Phương")
GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khoa",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Tuấn",
    "Vinh",
    "Lộc",
    "Trí",
    "Thắng",
    "Định",
)
GIVEN_FEMALE = (
    "Hà",
    "Hạnh",
    "Hoa",
    "Lan",
    "Mai",
    "Nga",
    "Thảo",
    "Trang",
    "Yến",
    "Linh",
    "Nhung",
    "Oanh",
    "Vân",
    "Xuân",
    "Quyên",
    "Hằng",
    "Loan",
    "Diễm",
    "Tuyết",
    "Ánh",
)

#: Villages and residential groups (thôn, tổ dân phố) records name.
PLACES = (
    "thôn Phú Lộc",
    "thôn Xuân Phong",
    "thôn Đại Điền Trung",
    "thôn Tân Đức",
    "thôn Suối Cát",
    "thôn Hòa Sơn",
    "tổ dân phố Vĩnh Phước",
    "tổ dân phố Phước Hải",
    "thôn Cửu Lợi",
    "thôn Lương Hòa",
    "tổ dân phố Ngọc Hiệp",
    "thôn Văn Đăng",
    "thôn Bình Khánh",
)

SHOPS = (
    "tạp hóa",
    "quán cà phê",
    "sửa chữa xe máy",
    "bán lẻ vật liệu xây dựng",
    "may đo",
    "cơm bình dân",
    "điện thoại di động",
    "thu mua hải sản",
    "hớt tóc",
    "in ấn photocopy",
)

DECISION_SUBJECTS = (
    "khen thưởng các tập thể, cá nhân có thành tích trong phong trào thi đua",
    "thành lập Tổ công tác rà soát hộ nghèo, hộ cận nghèo",
    "phê duyệt kế hoạch lựa chọn nhà thầu công trình đường giao thông nông thôn",
    "kiện toàn Ban chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn",
    "giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội",
    "xử phạt vi phạm hành chính trong lĩnh vực đất đai",
    "hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình chính sách",
    "công nhận kết quả bầu cử trưởng thôn",
)

#: Localities of Khánh Hòa after the 2025 merger (name, official code where known).
LOCALITIES = (
    ("Xã Diên Điền", "22657"),
    ("Xã Diên Khánh", "22651"),
    ("Phường Nha Trang", "22366"),
    ("Xã Cam Lâm", "22453"),
    ("Xã Diên Lạc", "22678"),
    ("Phường Cam Ranh", ""),
    ("Phường Ninh Hòa", ""),
    ("Xã Vạn Ninh", ""),
    ("Xã Khánh Sơn", ""),
    ("Xã Suối Dầu", ""),
    ("Phường Tây Nha Trang", ""),
    ("Xã Tân Định", ""),
)


def person(rng: random.Random, female: bool | None = None) -> tuple[str, bool]:
    """A full name and whether the person is a woman."""
    if female is None:
        female = rng.random() < 0.45
    middle = MIDDLE_FEMALE if female else MIDDLE_MALE
    given = GIVEN_FEMALE if female else GIVEN_MALE
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}", female


def honorific(female: bool) -> str:
    return "bà" if female else "ông"


def short_name(locality: str) -> str:
    """'Xã Diên Điền' -> 'xã Diên Điền' as it reads inside a title."""
    head, _, rest = locality.partition(" ")
    return f"{head.lower()} {rest}"
