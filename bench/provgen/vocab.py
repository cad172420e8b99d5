"""Words an office's archive is made of: communes, people, hamlets, topics, abbreviations.

Communes are real Khánh Hòa units after 1 July 2025 (official codes); people are drawn from
common Vietnamese family, middle and given names, so two dossiers of the same family or of two
neighbours with one given name differing are as frequent as in a real cadastre.
"""

from __future__ import annotations

#: (name, official code where DOMAIN.md gives it): commune-level names of Khánh Hòa.
COMMUNES: tuple[tuple[str, str], ...] = (
    ("Phường Nha Trang", "22366"), ("Xã Diên Lạc", "22678"), ("Xã Cam Lâm", "22453"),
    ("Đặc khu Trường Sa", "22736"), ("Xã Diên Điền", "22657"), ("Xã Diên Khánh", "22651"),
    ("Phường Cam Ranh", ""), ("Phường Ninh Hòa", ""), ("Xã Vạn Ninh", ""),
    ("Xã Khánh Vĩnh", ""), ("Xã Khánh Sơn", ""), ("Phường Bắc Nha Trang", ""),
    ("Phường Nam Nha Trang", ""), ("Xã Suối Dầu", ""), ("Xã Cam An", ""),
    ("Xã Vạn Thắng", ""), ("Xã Tu Bông", ""), ("Phường Đông Ninh Hòa", ""),
    ("Xã Hòa Trí", ""), ("Xã Diên Thọ", ""),
)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lương", "Cao", "Mai", "Tô", "Châu")
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Ngọc", "Xuân", "Thanh")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hồng", "Thùy", "Diệu")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Hùng", "Hưng", "Khánh", "Long", "Nam", "Phúc",
           "Quang", "Sơn", "Tài", "Thắng", "Toàn", "Trung", "Tuấn", "Vinh", "Hải", "Lộc",
           "Nghĩa", "Phong", "Tâm", "Thịnh", "Đạt", "Hiếu", "Kiên", "Luân", "Tín", "Vũ")
GIVEN_F = ("Anh", "Bích", "Châu", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
           "Nga", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang", "Tuyết", "Vân", "Yến",
           "Hằng", "Loan", "Thủy", "Xuân", "Diễm", "Hiền", "Ngân", "Nhi", "Tiên")

HAMLETS = ("Phú Ân Nam", "Phú Ân Bắc", "Lạc Lợi", "Quang Thạnh", "Đông Dinh", "Tân Mỹ",
           "Văn Thủy", "Cửu Lợi", "Hòa Sơn", "Phước Lộc", "Xuân Phong", "Thủy Triều", "Bãi Giếng",
           "Tân Xương", "Trung Hiệp", "Đại Điền", "Vĩnh Thái", "Ninh Ích")

ANNUAL_TOPICS = (
    "cải cách hành chính", "công tác dân vận chính quyền", "phòng chống tham nhũng",
    "quốc phòng - quân sự địa phương", "công tác tiếp công dân", "thi đua khen thưởng",
    "phổ biến giáo dục pháp luật", "xây dựng nông thôn mới", "quản lý đất đai",
    "công tác văn thư lưu trữ", "chuyển đổi số", "bảo vệ môi trường",
)
PLAN_TOPICS = (
    "phát triển kinh tế - xã hội", "phòng chống thiên tai và tìm kiếm cứu nạn",
    "sử dụng đất", "đầu tư công trung hạn", "chuyển đổi số", "tuyển chọn và gọi công dân nhập ngũ",
    "phòng chống dịch bệnh", "thu ngân sách nhà nước", "kiểm tra công tác văn thư lưu trữ",
    "cải cách hành chính",
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")

#: Office abbreviations an operator types (marked phrase -> short form), longest first so a
#: phrase is shortened before the words inside it.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("giấy chứng nhận quyền sử dụng đất", "GCN QSDĐ"),
    ("kinh tế - xã hội", "KT-XH"),
    ("Ủy ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("giấy phép xây dựng", "GPXD"),
    ("đăng ký kết hôn", "ĐKKH"),
    ("thủ tục hành chính", "TTHC"),
    ("quyền sử dụng đất", "QSDĐ"),
    ("tờ bản đồ số", "TBĐ"),
    ("thửa đất số", "thửa"),
    ("quyết định", "QĐ"),
    ("báo cáo", "BC"),
    ("Báo cáo", "BC"),
    ("kế hoạch", "KH"),
    ("Kế hoạch", "KH"),
    ("công văn", "CV"),
    ("Chủ tịch", "CT"),
    ("ông", "ô."),
    ("bà", "b."),
)
