"""The demo's former district fonds: UBND huyện Diên Khánh, abolished on 1 July 2025.

Its records name the former communes they concern the way offices write them (with or without
marks, upper case, "X."/"TT." or the kind in full, or only in an "Địa chỉ" column), so zoning
sends them to the 2025 communes that took those communes over; records about the district as a
whole name no commune and go to the project's default receiver (the provincial archive); a few
name two communes that went to different units and wait for a person. Its scans are named by
record code and good, a few not made yet, so the fonds shows zoning, not matching.

The expected receiver of every row (``ground_truth/zoning.csv``) is drawn from the official
mapping (``khaudit.zoning.official``, data of the ``vietnamadminunits`` package).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..textnorm import strip_marks
from . import scanfiles as sf
from .inventories import SheetPlan, write_xlsx

NAME = "UBND huyện Diên Khánh"
FORMER = "Huyện Diên Khánh, Tỉnh Khánh Hòa"
DEFAULT_RECEIVER = "Lưu trữ lịch sử tỉnh Khánh Hòa"
SLUG = "ubnd-huyen-dien-khanh"
PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Võ Văn Em"]
SUBJECTS = [
    "Hồ sơ cấp GCN QSDĐ cho hộ {who}, thửa đất số {n}, tờ bản đồ số {m}",
    "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ hộ {who}",
    "Hồ sơ thu hồi đất, bồi thường hộ {who}, thửa {n}",
    "Hồ sơ chuyển mục đích sử dụng đất hộ {who}",
]
DISTRICT_WIDE = [
    "Báo cáo tình hình kinh tế - xã hội huyện Diên Khánh năm {y}",
    "Kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn năm {y}",
    "Quyết định khen thưởng tập thể, cá nhân có thành tích năm {y}",
    "Nghị quyết HĐND huyện về dự toán ngân sách năm {y}",
]


@dataclass
class DistrictRow:
    code: str
    title: str
    address: str
    receiver: str
    receiver_code: str
    basis: str


def _written(name: str, rng: random.Random) -> str:
    """A former commune as an office may write it: "xã Diên Phú", "X.Dien Phu", "XÃ DIÊN PHÚ"."""
    kind, short = (
        ("TT.", name.removeprefix("Thị trấn "))
        if name.startswith("Thị trấn")
        else (
            "X.",
            name.removeprefix("Xã "),
        )
    )
    whole = "thị trấn" if kind == "TT." else "xã"
    forms = [
        f"{whole} {short}",
        f"{kind} {short}",
        f"{kind}{strip_marks(short)}",
        f"{whole} {short}".upper(),
        strip_marks(f"{whole} {short}"),
    ]
    return rng.choice(forms)


def district_rows(rng: random.Random, n: int) -> list[DistrictRow]:
    """``n`` rows of the fonds with the receiver each must get."""
    from ..zoning.official import former_units, units_of_province

    names = {u.code: u.name for u in units_of_province("Khánh Hòa")}
    communes = [f for f in former_units("Khánh Hòa") if f.name and f.district == "Huyện Diên Khánh"]
    rows = []
    for i in range(n):
        year = rng.randint(2016, 2024)
        code = f"H574.{year}.{i + 1:04d}"
        roll = rng.random()
        if roll < 0.15:
            title = rng.choice(DISTRICT_WIDE).format(y=year)
            rows.append(DistrictRow(code, title, "", DEFAULT_RECEIVER, "", "default"))
            continue
        subject = rng.choice(SUBJECTS).format(
            who=f"{rng.choice(['ông', 'bà'])} {rng.choice(PEOPLE)}",
            n=rng.randint(1, 400),
            m=rng.randint(1, 40),
        )
        if roll < 0.2:
            a, b = _apart(communes, rng)
            title = f"{subject}, giáp ranh {_written(a.name, rng)} và {_written(b.name, rng)}"
            rows.append(DistrictRow(code, title, "", "", "", "unresolved"))
            continue
        commune = rng.choice(communes)
        heir = commune.successors[0]
        if roll < 0.35:  # the place only in the address column, a commune without its kind
            town = commune.name.startswith("Thị trấn")
            place = "TT Diên Khánh" if town else commune.name.removeprefix("Xã ")
            address = f"thôn {rng.randint(1, 5)}, {place}, Diên Khánh"
            rows.append(DistrictRow(code, subject, address, names[heir], heir, "place"))
        else:
            title = f"{subject}, {_written(commune.name, rng)}"
            rows.append(DistrictRow(code, title, "", names[heir], heir, "place"))
    return rows


def _apart(communes: list, rng: random.Random) -> tuple:
    """Two former communes taken over by different 2025 units."""
    while True:
        a, b = rng.sample(communes, 2)
        if a.successors[0] != b.successors[0]:
            return a, b


def write_district(base: Path, seed: int, n: int) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """Write the fonds' inventory and scans under ``base``; return its project-file lines and
    its ground-truth rows (records, files)."""
    rng = random.Random(seed * 100 + 74)
    rows = district_rows(rng, n)
    folder = base / "inventories" / SLUG
    where = write_xlsx(
        folder / "muc-luc-ho-so-huyen-dien-khanh.xlsx",
        ["UBND HUYỆN DIÊN KHÁNH", "MỤC LỤC HỒ SƠ", f"Phông: {NAME}", "Mục lục số: 01"],
        ["STT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Địa chỉ", "Năm", "Số tờ", "Ghi chú"],
        [
            SheetPlan(
                "Mục lục 01",
                [
                    [i + 1, r.code, r.title, r.address, r.code.split(".")[1], 2, ""]
                    for i, r in enumerate(rows)
                ],
                "full",
            )
        ],
        footer=f"Mục lục này gồm có {n} hồ sơ.",
    )
    root = base / "scans" / SLUG
    root.mkdir(parents=True, exist_ok=True)
    unscanned = set(rng.sample(range(n), max(2, n // 25)))  # not scanned yet: zoned all the same
    for i, r in enumerate(rows):
        if i not in unscanned:
            (root / f"{r.code}.pdf").write_bytes(sf.pdf_bytes(r.code, 2, rng))
    scanned = [r for i, r in enumerate(rows) if i not in unscanned]
    source = f"inventories/{SLUG}/muc-luc-ho-so-huyen-dien-khanh.xlsx"
    records = pd.DataFrame(
        {
            "locality": NAME,
            "source_file": source,
            "source_sheet": [sheet for sheet, _ in where],
            "source_row": [row for _, row in where],
            "record_code": [r.code for r in rows],
            "title": [r.title for r in rows],
            "expected_status": [
                "missing" if i in unscanned else "digitized" for i in range(len(rows))
            ],
            "injected": ["missing" if i in unscanned else "" for i in range(len(rows))],
            "true_paths": ["" if i in unscanned else f"{r.code}.pdf" for i, r in enumerate(rows)],
            "expected_receiver": [r.receiver for r in rows],
            "expected_receiver_code": [r.receiver_code for r in rows],
            "expected_zoning_basis": [r.basis for r in rows],
        }
    )
    kept = [i for i in range(len(rows)) if i not in unscanned]
    files = pd.DataFrame(
        {
            "locality": NAME,
            "path": [f"{r.code}.pdf" for r in scanned],
            "expected_status": "matched",
            "injected": "",
            "source_file": source,
            "source_sheet": records["source_sheet"].iloc[kept].to_list(),
            "source_row": records["source_row"].iloc[kept].to_list(),
        }
    )
    lines = [
        "[[locality]]",
        f'name = "{NAME}"',
        f'former = "{FORMER}"',
        f'inventories = ["inventories/{SLUG}/*"]',
        f'scan_roots = ["scans/{SLUG}"]',
        "",
    ]
    return lines, records, files


def add_district(base: Path, seed: int, n: int) -> None:
    """Add the former district's fonds to a generated demo: its files, its ground truth (the
    zoning columns in ``ground_truth/zoning.csv`` too) and its project-file tables."""
    lines, records, files = write_district(base, seed, n)
    truth = base / "ground_truth"
    old_records = pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False)
    old_files = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    zoning = records[["locality", "source_file", "source_sheet", "source_row", "record_code"]]
    zoning = zoning.assign(
        expected_receiver=records["expected_receiver"],
        expected_receiver_code=records["expected_receiver_code"],
        expected_zoning_basis=records["expected_zoning_basis"],
    )
    plain = records.drop(
        columns=["expected_receiver", "expected_receiver_code", "expected_zoning_basis"]
    )
    pd.concat([old_records, plain.astype(str)]).to_csv(truth / "records.csv", index=False)
    pd.concat([old_files, files.astype(str)]).to_csv(truth / "files.csv", index=False)
    zoning.to_csv(truth / "zoning.csv", index=False)
    project = base / "project.toml"
    text = project.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    text += f'[zoning]\ndefault_receiver = "{DEFAULT_RECEIVER}"\n\n' + "\n".join(lines)
    project.write_text(text, encoding="utf-8")


__all__ = ["DEFAULT_RECEIVER", "FORMER", "NAME", "add_district", "district_rows"]
