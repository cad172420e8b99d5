"""Words the offices use: units handing over, communes, people, titles and headings.

Only what the records and the inventories of a specialised office or a provincial department
hold; nothing here is drawn from khaudit's own lists (the generator must not echo them).
"""

from __future__ import annotations

#: Units handing over (name, what they keep, fonds prefix). Abolished districts' specialised
#: offices and provincial departments, the ones the province's 2025 restructuring moved.
UNITS = (
    ("Chi nhánh Văn phòng Đăng ký đất đai huyện Cam Lâm", "land", "H41"),
    ("Chi nhánh Văn phòng Đăng ký đất đai huyện Diên Khánh", "land", "H43"),
    ("Chi nhánh Văn phòng Đăng ký đất đai thị xã Ninh Hòa", "land", "H44"),
    ("Phòng Nội vụ huyện Vạn Ninh", "personnel", "H52"),
    ("Sở Nội vụ tỉnh Khánh Hòa", "personnel", "S07"),
    ("Phòng Tổ chức cán bộ Sở Y tế", "personnel", "S12"),
    ("Văn phòng HĐND và UBND huyện Khánh Sơn", "register", "H57"),
    ("Văn phòng UBND huyện Khánh Vĩnh", "register", "H58"),
    ("Văn phòng Sở Tài nguyên và Môi trường", "register", "S09"),
    ("Phòng Tài chính - Kế hoạch huyện Cam Lâm", "register", "H42"),
)

#: Communes a district's land office served (pre-2025 names, as the files keep them).
COMMUNES = (
    "xã Cam Hải Đông",
    "xã Cam Hải Tây",
    "xã Cam Thành Bắc",
    "xã Suối Tân",
    "xã Sơn Tân",
    "thị trấn Cam Đức",
    "xã Diên Phú",
    "xã Diên An",
    "xã Ninh Hưng",
    "xã Ninh Xuân",
)

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
)
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quốc", "Xuân", "Thị Kim")
GIVEN = (
    "An",
    "Ân",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuấn",
    "Vinh",
    "Yến",
)

#: What a land registration office opens a file for.
LAND_MATTERS = (
    "Hồ sơ đăng ký, cấp giấy chứng nhận quyền sử dụng đất lần đầu",
    "Hồ sơ đăng ký biến động đất đai do chuyển nhượng quyền sử dụng đất",
    "Hồ sơ tặng cho quyền sử dụng đất",
    "Hồ sơ chuyển mục đích sử dụng đất",
    "Hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất",
    "Hồ sơ thế chấp quyền sử dụng đất",
    "Hồ sơ tách thửa, hợp thửa",
)
#: A personnel file's kind.
PERSONNEL_KINDS = (
    "Hồ sơ cán bộ, công chức",
    "Hồ sơ viên chức",
    "Hồ sơ nâng bậc lương",
    "Hồ sơ nghỉ hưu",
    "Hồ sơ tuyển dụng công chức",
    "Hồ sơ bổ nhiệm",
)
POSITIONS = (
    "chuyên viên",
    "kế toán",
    "văn thư",
    "trưởng phòng",
    "phó trưởng phòng",
    "cán sự",
    "nhân viên hợp đồng",
)
#: A register office's matters: a file is the bundle of documents issued on one matter.
REGISTER_MATTERS = (
    "về việc giải quyết khiếu nại của công dân",
    "về việc phê duyệt dự toán công trình đường giao thông nông thôn",
    "về việc thu hồi đất để thực hiện dự án",
    "về việc khen thưởng thành tích phong trào thi đua",
    "về việc thành lập Hội đồng thẩm định giá đất",
    "về việc phê duyệt kế hoạch sử dụng đất",
    "về việc kỷ luật cán bộ",
    "về việc hỗ trợ hộ nghèo",
    "về việc điều chỉnh quy hoạch chi tiết khu dân cư",
)
DOC_KINDS = (("QĐ", "Quyết định"), ("TTr", "Tờ trình"), ("CV", "Công văn"), ("BC", "Báo cáo"))
ISSUERS = ("UBND", "VP", "TNMT", "NV", "TCKH")
PROJECTS = ("thôn Tân Xương", "khu dân cư Suối Hiệp", "đường Cam Thành", "cầu Sông Cạn")

#: Series every office keeps beside its main records: near-twins by period.
SERIES = (
    "Báo cáo tình hình thực hiện nhiệm vụ quý {q} năm {y}",
    "Báo cáo công tác cải cách hành chính 6 tháng đầu năm {y}",
    "Kế hoạch công tác năm {y}",
    "Biên bản họp giao ban tháng {m} năm {y}",
    "Báo cáo thống kê đất đai năm {y}",
)

#: The abbreviations clerks type (DOMAIN.md's list and the offices' own).
ABBREVIATIONS = (
    ("giấy chứng nhận quyền sử dụng đất", "GCN QSDĐ"),
    ("quyền sử dụng đất", "QSDĐ"),
    ("giấy chứng nhận", "GCN"),
    ("Ủy ban nhân dân", "UBND"),
    ("thửa đất số", "thửa"),
    ("tờ bản đồ số", "TBĐ"),
    ("quyết định", "QĐ"),
    ("báo cáo", "BC"),
    ("cán bộ, công chức", "CBCC"),
    ("kế hoạch", "KH"),
    ("Hồ sơ", "HS"),
)

#: Headings per field, as Word-typed inventories head them (several per field).
HEADINGS = {
    "stt": ("STT", "Số TT", "TT"),
    "box": ("Hộp số", "Hộp/cặp", "Số hộp"),
    "file_no": ("Hồ sơ số", "Số hồ sơ", "HS số"),
    "code": ("Mã hồ sơ", "Số, ký hiệu hồ sơ", "Ký hiệu hồ sơ"),
    "title": ("Tiêu đề hồ sơ", "Trích yếu nội dung", "Tên hồ sơ"),
    "dates": ("Thời gian bắt đầu - kết thúc", "Thời gian tài liệu", "Năm"),
    "sheets": ("Số tờ", "Số lượng tờ", "Số trang"),
    "retention": ("Thời hạn bảo quản", "THBQ"),
    "notes": ("Ghi chú",),
    "birth": ("Ngày sinh", "Ngày, tháng, năm sinh", "Sinh ngày"),
    "map_sheet": ("Tờ bản đồ số", "Số tờ BĐ", "Tờ BĐ"),
    "parcel": ("Thửa đất số", "Số thửa", "Thửa"),
    "docs": ("Số, ký hiệu văn bản", "Số văn bản", "Văn bản trong hồ sơ"),
}
