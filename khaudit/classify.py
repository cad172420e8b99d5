"""Which records are administrative-procedure records (hồ sơ thủ tục hành chính, TTHC).

The province ordered these digitized first, so reports count them apart. Inventories rarely
mark them, so khaudit recognises them by the procedures their titles name. The list is the
common commune-level procedures; a title that names none is counted as other records.
"""

from __future__ import annotations

import re

from .textnorm import match_form

#: Folded, abbreviation-expanded phrases that name a citizen-facing procedure.
TTHC_PHRASES = (
    "giay chung nhan quyen su dung dat",
    "dang ky ket hon",
    "giay phep xay dung",
    "dang ky khai sinh",
    "khai sinh",
    "khai tu",
    "chung thuc",
    "ho tich",
    "can cuoc cong dan",
    "dang ky thuong tru",
    "dang ky tam tru",
    "chuyen muc dich su dung dat",
    "chuyen nhuong quyen su dung dat",
    "tang cho quyen su dung dat",
    "thu tuc hanh chinh",
    "dang ky kinh doanh",
    "xac nhan tinh trang hon nhan",
    "cap doi",
    "cap lai",
)
_TTHC = re.compile(r"\b(" + "|".join(TTHC_PHRASES) + r")\b")


def is_tthc(title: str) -> bool:
    return bool(_TTHC.search(match_form(title)))
