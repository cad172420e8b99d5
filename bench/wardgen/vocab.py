"""What ward and commune offices of Khánh Hòa write: units, people, procedures, devices.

The 2025 units and the former communes merged into them are the official lists (as the
``vietnam-provinces`` and ``vietnamadminunits`` packages ship them), copied here so the
generator depends on nothing of khaudit's.
"""

from __future__ import annotations

from dataclasses import dataclass

#: (2025 unit, its code, former communes merged into it, the abolished district and its code)
UNITS: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    (
        "Xã Diên Điền",
        "22657",
        ("Xã Diên Điền", "Xã Diên Sơn", "Xã Diên Phú"),
        "Huyện Diên Khánh",
        "574",
    ),
    (
        "Xã Diên Khánh",
        "22651",
        ("Thị trấn Diên Khánh", "Xã Diên Toàn", "Xã Diên An"),
        "Huyện Diên Khánh",
        "574",
    ),
    (
        "Xã Diên Lạc",
        "22678",
        ("Xã Diên Lạc", "Xã Diên Hòa", "Xã Diên Thạnh"),
        "Huyện Diên Khánh",
        "574",
    ),
    (
        "Xã Diên Thọ",
        "22672",
        ("Xã Diên Thọ", "Xã Diên Phước", "Xã Diên Tân"),
        "Huyện Diên Khánh",
        "574",
    ),
    (
        "Xã Suối Hiệp",
        "22702",
        ("Xã Bình Lộc", "Xã Suối Hiệp", "Xã Suối Tiên"),
        "Huyện Diên Khánh",
        "574",
    ),
    (
        "Xã Cam An",
        "22465",
        ("Xã Cam Phước Tây", "Xã Cam An Bắc", "Xã Cam An Nam"),
        "Huyện Cam Lâm",
        "570",
    ),
    (
        "Xã Vạn Ninh",
        "22489",
        ("Thị trấn Vạn Giã", "Xã Vạn Phú", "Xã Vạn Lương"),
        "Huyện Vạn Ninh",
        "571",
    ),
    (
        "Xã Tu Bông",
        "22498",
        ("Xã Vạn Phước", "Xã Vạn Long", "Xã Vạn Khánh"),
        "Huyện Vạn Ninh",
        "571",
    ),
    (
        "Xã Bắc Ninh Hòa",
        "22546",
        ("Xã Ninh Sơn", "Xã Ninh An", "Xã Ninh Thọ"),
        "Thị xã Ninh Hòa",
        "572",
    ),
    (
        "Xã Hòa Trí",
        "22558",
        ("Xã Ninh Thượng", "Xã Ninh Trung", "Xã Ninh Thân"),
        "Thị xã Ninh Hòa",
        "572",
    ),
    (
        "Xã Tân Định",
        "22576",
        ("Xã Ninh Xuân", "Xã Ninh Bình", "Xã Ninh Quang"),
        "Thị xã Ninh Hòa",
        "572",
    ),
    (
        "Phường Cam Linh",
        "22432",
        ("Phường Cam Thuận", "Phường Cam Lợi", "Phường Cam Linh"),
        "Thành phố Cam Ranh",
        "569",
    ),
    (
        "Phường Cam Ranh",
        "22420",
        ("Phường Cam Phúc Nam", "Phường Cam Lộc", "Phường Cam Phú"),
        "Thành phố Cam Ranh",
        "569",
    ),
    (
        "Xã Khánh Vĩnh",
        "22609",
        ("Thị trấn Khánh Vĩnh", "Xã Sông Cầu", "Xã Khánh Phú"),
        "Huyện Khánh Vĩnh",
        "573",
    ),
    (
        "Xã Khánh Sơn",
        "22714",
        ("Thị trấn Tô Hạp", "Xã Sơn Hiệp", "Xã Sơn Bình"),
        "Huyện Khánh Sơn",
        "575",
    ),
    ("Xã Tây Ninh Hòa", "22552", ("Xã Ninh Tây", "Xã Ninh Sim"), "Thị xã Ninh Hòa", "572"),
)

SURNAMES = (
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Võ", 5),
    ("Phan", 4),
    ("Trương", 2),
    ("Bùi", 2),
    ("Đặng", 2),
    ("Đỗ", 2),
    ("Ngô", 2),
    ("Hồ", 2),
    ("Dương", 1),
    ("Đinh", 1),
    ("Lâm", 1),
    ("Mai", 1),
    ("Tô", 1),
    ("Cao", 1),
)
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Hữu", "Minh", "Đức", "Quốc", "Thanh", "Công", "Ngọc")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích")
GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Hưng",
    "Khánh",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Tuấn",
    "Việt",
    "Vũ",
    "Trung",
    "Hiếu",
    "Nghĩa",
    "Toàn",
    "Phong",
    "Thành",
    "Tâm",
    "Huy",
    "Kiên",
)
GIVEN_FEMALE = (
    "Anh",
    "Chi",
    "Dung",
    "Hà",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Hạnh",
    "Hiền",
    "Diễm",
    "Nhi",
    "Quyên",
    "Trinh",
    "My",
)
VILLAGES = (
    "thôn Phú Ân Nam",
    "thôn Đại Điền Trung",
    "thôn Lạc Lợi",
    "thôn Xuân Phú",
    "thôn Hà Dừa",
    "thôn Tân Khánh",
    "tổ dân phố Hòa Nam",
    "tổ dân phố Bắc Sơn",
    "thôn Võ Cạnh",
    "thôn Cây Sung",
    "thôn Đông Hòa",
    "thôn Tây Hòa",
    "thôn Phước Lương",
    "thôn Suối Lau",
)
SHOPS = (
    "Tạp hóa",
    "Quán cơm",
    "Cà phê",
    "Tiệm sửa xe",
    "Cửa hàng vật liệu xây dựng",
    "Tiệm may",
    "Quán bún cá",
    "Cửa hàng điện thoại",
    "Tiệm vàng",
    "Nhà thuốc",
)


@dataclass(frozen=True)
class Procedure:
    """A procedure the one-stop shop receives, or a series of the office's own papers."""

    key: str
    tthc: bool  # an administrative procedure with an owner and a receipt number
    portal: str  # its code on the national public service portal ("" when none)
    shorts: tuple[str, ...]  # how clerks shorten it in file names
    folder: tuple[str, ...]  # folders clerks file it under
    sheets: tuple[int, int]  # sheets a record of it usually has


PROCEDURES: dict[str, Procedure] = {
    p.key: p
    for p in (
        Procedure(
            "khai_sinh",
            True,
            "1.001193",
            ("KS", "khai sinh", "DKKS"),
            ("Khai sinh", "Ho tich/Khai sinh", "KS"),
            (2, 6),
        ),
        Procedure(
            "ket_hon",
            True,
            "1.000894",
            ("KH", "ket hon", "DKKH"),
            ("Ket hon", "Ho tich/Ket hon", "KH"),
            (3, 8),
        ),
        Procedure(
            "khai_tu", True, "1.000656", ("KT", "khai tu"), ("Khai tu", "Ho tich/Khai tu"), (2, 5)
        ),
        Procedure(
            "hon_nhan",
            True,
            "1.004873",
            ("XNHN", "TTHN", "xac nhan HN"),
            ("Xac nhan TTHN", "Ho tich/TTHN"),
            (2, 4),
        ),
        Procedure(
            "chung_thuc",
            True,
            "2.000884",
            ("CT", "chung thuc", "CTHD"),
            ("Chung thuc", "CT hop dong"),
            (4, 12),
        ),
        Procedure(
            "gcn",
            True,
            "1.003003",
            ("GCN", "cap GCN", "GCN QSDD"),
            ("Dat dai/Cap GCN", "GCN", "Dat dai"),
            (8, 30),
        ),
        Procedure(
            "bien_dong",
            True,
            "1.004227",
            ("BD", "bien dong", "DKBD"),
            ("Dat dai/Bien dong", "Bien dong"),
            (6, 20),
        ),
        Procedure(
            "gpxd", True, "1.009994", ("GPXD", "XPXD", "xin phep XD"), ("Xay dung", "GPXD"), (6, 18)
        ),
        Procedure(
            "hkd", True, "2.000575", ("HKD", "DKKD", "ho kinh doanh"), ("Kinh doanh", "HKD"), (3, 8)
        ),
        Procedure("bao_cao", False, "", ("BC",), ("Bao cao",), (4, 25)),
        Procedure("bien_ban", False, "", ("BB hop", "bien ban"), ("Bien ban hop",), (3, 12)),
        Procedure("quyet_dinh", False, "", ("QD", "so QD"), ("Quyet dinh",), (20, 90)),
        Procedure("so_ho_tich", False, "", ("So KS", "so ho tich"), ("So ho tich",), (40, 120)),
    )
}

#: abbreviation as offices type it -> the words it stands for (both sides are read through it)
ABBREVIATIONS: dict[str, str] = {
    "GCN QSDĐ": "giấy chứng nhận quyền sử dụng đất",
    "QSDĐ": "quyền sử dụng đất",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "QĐ": "quyết định",
    "TBĐ": "tờ bản đồ số",
    "thửa": "thửa đất số",
    "KT-XH": "kinh tế - xã hội",
    "ĐK": "đăng ký",
    "GPXD": "giấy phép xây dựng",
    "TTHN": "tình trạng hôn nhân",
    "BC": "báo cáo",
    "HKD": "hộ kinh doanh",
}

#: scanner and capture software: how each names what it saves (strftime-like fields)
DEVICES: dict[str, str] = {
    "generic": "Scan_{Y}{m}{d}_{H}{M}{S}",
    "konica": "SKM_C258{y}{m}{d}{H}{M}{S}0",
    "canon": "IMG_{Y}{m}{d}_{H}{M}{S}",
    "scansnap": "{Y}{m}{d}{H}{M}{S}",
    "camscanner": "New Doc {Y}-{m}-{d} {H}.{M}",
    "camscanner_new": "CamScanner {d}-{m}-{Y} {H}.{M}",
    "word": "Doc{n}",
    "hp": "HPSCAN_{Y}{m}{d}{H}{M}{S}",
    "epson": "img{n:04d}",
}

PRODUCERS = (
    "KONICA MINOLTA bizhub C258",
    "Canon iR-ADV C3525 PDF",
    "ScanSnap Manager #iX1600",
    "CamScanner",
    "NAPS2",
    "HP Scan",
    "Epson Scan 2",
    "Microsoft: Print To PDF",
)
