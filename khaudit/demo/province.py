"""The demo province: four real Khanh Hoa localities, their inventories, scans and ground truth.

Seeded and reproducible. Each locality shows one way offices work, so together they cover the
mess khaudit must handle:

==================  =======================================  ==================================
locality            inventory                                scans named by
==================  =======================================  ==================================
Phường Nha Trang    xlsx: title block, merged 2-row header,  record code (some lower case, with
                    numbered row, blank rows, footer          _ or O for 0; some in folders)
Xã Diên Lạc         xlsx over three sheets, NFD Unicode       box and file folders (PDF, TIFF,
                                                              JPG page series)
Xã Cam Lâm          xlsx typed in TCVN3 (ABC)                 file number + title without marks
Đặc khu Trường Sa   CSV in Windows-1258, semicolons           scanner counter + metadata sidecar
==================  =======================================  ==================================

Injected everywhere: missing scans, scans with too few pages, truncated and zero-byte files,
byte-identical copies under other names, orphan files, rows typed twice, near-twin titles; in
Cam Lâm also scans whose truncated title fits two records (a person must decide). The ground
truth (``ground_truth/records.csv`` and ``files.csv``) states the status every row and file
must get.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..i18n import t
from ..textnorm import slugify
from . import scanfiles as sf
from .inventories import SheetPlan, nfd, tcvn3, write_cp1258_csv, write_xlsx
from .titles import Title, drop_letter, make_titles, typed_title

RETENTIONS = ["Vĩnh viễn", "Vĩnh viễn", "70 năm", "20 năm", "10 năm"]


@dataclass
class DemoRecord:
    index: int
    box: int
    file_no: int
    code: str
    title: Title
    inventory_title: str
    sheets: int
    start: dt.date
    end: dt.date
    retention: str
    notes: str
    fate: str = "ok"  # ok, missing, short, truncated, empty, ambiguous, unscanned_twin
    repeat_of: DemoRecord | None = None
    source_file: str = ""
    source_sheet: str = ""
    source_row: int = 0
    paths: list[str] = field(default_factory=list)


@dataclass
class DemoFile:
    path: str
    record: DemoRecord | None
    expected: str
    injected: str = ""


@dataclass
class LocalitySpec:
    name: str
    code: str
    years: tuple[int, int]
    style: str


LOCALITIES = [
    LocalitySpec("Phường Nha Trang", "22366", (2016, 2024), "code"),
    LocalitySpec("Xã Diên Lạc", "22678", (2015, 2024), "box_file"),
    LocalitySpec("Xã Cam Lâm", "22453", (2017, 2024), "number_title"),
    LocalitySpec("Đặc khu Trường Sa", "22736", (2018, 2024), "sidecar"),
]


@dataclass
class DemoLocality:
    spec: LocalitySpec
    root: Path  # scan root
    rng: random.Random
    records: list[DemoRecord] = field(default_factory=list)
    rows: list[DemoRecord] = field(default_factory=list)  # inventory rows incl. repeats
    files: list[DemoFile] = field(default_factory=list)
    inventory: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.spec.name)

    def write(
        self,
        relpath: str,
        data: bytes,
        record: DemoRecord | None,
        expected: str,
        injected: str = "",
    ) -> None:
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.files.append(DemoFile(relpath, record, expected, injected))
        if record is not None and expected in ("matched", "corrupt", "empty"):
            record.paths.append(relpath)


def _records(loc: DemoLocality, n: int) -> None:
    rng = loc.rng
    place = (
        loc.spec.name.replace("Phường ", "phường ")
        .replace("Xã ", "xã ")
        .replace("Đặc khu ", "đặc khu ")
    )
    titles = make_titles(rng, n, loc.spec.years, place)
    for i, title in enumerate(titles):
        year = title.year
        start = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
        end = dt.date(year, rng.randint(7, 12), rng.randint(1, 28))
        code = {
            "code": f"H56.{loc.spec.code}.{year}.{i + 1:04d}",
            "sidecar": f"{i + 1:03d}/{year}/HS-UBND",
        }.get(loc.spec.style, "")
        inventory_title = title.text
        roll = rng.random()
        if roll < 0.08:
            inventory_title = inventory_title.replace(
                "GCN QSDĐ", "giấy chứng nhận quyền sử dụng đất"
            )
        elif roll < 0.11:
            inventory_title = drop_letter(inventory_title, rng)
        loc.records.append(
            DemoRecord(
                index=i,
                box=i // 12 + 1,
                file_no=i + 1,
                code=code,
                title=title,
                inventory_title=inventory_title,
                sheets=rng.randint(2, 12),
                start=start,
                end=end,
                retention=rng.choice(RETENTIONS),
                notes=rng.choice(["", "", "", "Bản chính", "Bản sao", "Có bản đồ kèm theo"]),
            )
        )


def _fates(loc: DemoLocality) -> None:
    rng = loc.rng
    pool = list(loc.records)
    rng.shuffle(pool)
    n = len(pool)
    plan = [
        ("missing", max(2, n * 4 // 100)),
        ("short", max(2, n * 3 // 100)),
        ("truncated", 1),
        ("empty", 1),
    ]
    for fate, count in plan:
        for _ in range(count):
            pool.pop().fate = fate
    if loc.spec.style == "number_title":
        # Scans whose title, cut short in the file name, fits a near-twin as well.
        by_prefix: dict[str, list[DemoRecord]] = {}
        for rec in loc.records:
            if (
                rec.title.kind in ("land", "permit")
                and "thửa" in rec.title.text
                and rec.inventory_title == rec.title.text
            ):
                by_prefix.setdefault(rec.title.text.split(", thửa")[0], []).append(rec)
        twins = [group for group in by_prefix.values() if len(group) >= 2]
        for group in twins[:2]:
            if group[0].fate == "ok" and all(r.fate == "ok" for r in group[1:]):
                # A true tie: the cut name fits this record and its twin, and the twin has no
                # scan of its own to rule it out (a twin with its scan would settle it).
                group[0].fate = "ambiguous"
                group[1].fate = "unscanned_twin"


def _repeat_rows(loc: DemoLocality) -> None:
    """Two rows typed twice, a few rows after the original."""
    rows = list(loc.records)
    for original in loc.rng.sample(loc.records[10:-10], 2):
        repeat = DemoRecord(
            **{**original.__dict__, "paths": [], "repeat_of": original, "fate": "repeat"}
        )
        rows.insert(rows.index(original) + 3, repeat)
    loc.rows = rows


# -- inventories -------------------------------------------------------------------------------


def _sheets_cell(rec: DemoRecord, rng: random.Random) -> object:
    return f"{rec.sheets} tờ" if rng.random() < 0.2 else rec.sheets


def _inventory(loc: DemoLocality, base: Path) -> None:
    spec, rng = loc.spec, loc.rng
    folder = base / "inventories" / loc.slug
    title_block = [
        f"UBND {spec.name.upper()}",
        "MỤC LỤC HỒ SƠ",
        f"Phông: UBND {spec.name}",
        "Mục lục số: 01",
    ]
    footer = f"Mục lục này gồm có {len(loc.records)} hồ sơ."
    if spec.style == "code":

        def date_cell(d: dt.date) -> object:
            roll = rng.random()
            return (
                d
                if roll < 0.5
                else (d.strftime("%d/%m/%Y") if roll < 0.9 else (d - dt.date(1899, 12, 30)).days)
            )

        data = [
            [
                i + 1,
                r.box,
                r.file_no,
                r.code,
                r.inventory_title,
                date_cell(r.start),
                date_cell(r.end),
                _sheets_cell(r, rng),
                r.retention,
                r.notes,
            ]
            for i, r in enumerate(loc.rows)
        ]
        name = "muc-luc-ho-so-2016-2024.xlsx"
        prov = write_xlsx(
            folder / name,
            title_block,
            [
                "STT",
                "Hộp số",
                "Hồ sơ số",
                "Số, ký hiệu hồ sơ",
                "Tiêu đề hồ sơ",
                "Thời gian",
                "Số tờ",
                "Thời hạn bảo quản",
                "Ghi chú",
            ],
            [SheetPlan("Mục lục 01", data, "full")],
            two_row_dates=(5, "Bắt đầu", "Kết thúc"),
            blank_every=60,
            footer=footer,
        )
    elif spec.style == "box_file":
        groups = [
            ("2015-2017", 2015, 2017, "full"),
            ("2018-2020", 2018, 2020, "repeat"),
            ("2021-2024", 2021, 2024, "none"),
        ]
        plans = []
        stt = 0
        for sheet, y0, y1, header in groups:
            rows = []
            for r in loc.rows:
                if y0 <= r.title.year <= y1:
                    stt += 1
                    rows.append(
                        [
                            stt,
                            r.box,
                            r.file_no,
                            r.inventory_title,
                            r.title.year,
                            _sheets_cell(r, rng),
                            r.retention,
                            r.notes,
                        ]
                    )
            plans.append(SheetPlan(sheet, rows, header))
        name = "muc-luc-dien-lac.xlsx"
        prov = write_xlsx(
            folder / name,
            title_block,
            [
                "Số TT",
                "Hộp số",
                "Hồ sơ số",
                "Tiêu đề hồ sơ",
                "Năm",
                "Số tờ",
                "Thời hạn bảo quản",
                "Ghi chú",
            ],
            plans,
            transform=nfd,
            numbered_row=False,
        )
    elif spec.style == "number_title":

        def range_cell(r: DemoRecord) -> str:
            y = r.title.year
            return rng.choice(
                [
                    f"{y}",
                    f"{r.start:%m/%Y} - {r.end:%m/%Y}",
                    f"{y}-{y}",
                    f"Quý {rng.choice(['I', 'II', 'III', 'IV'])}/{y}",
                ]
            )

        data = [
            [
                i + 1,
                r.file_no,
                r.inventory_title,
                range_cell(r),
                _sheets_cell(r, rng),
                r.retention,
                r.notes,
            ]
            for i, r in enumerate(loc.rows)
        ]
        name = "muc-luc-cam-lam-tcvn3.xlsx"
        prov = write_xlsx(
            folder / name,
            title_block,
            [
                "STT",
                "Hồ sơ số",
                "Tiêu đề hồ sơ",
                "Thời gian bắt đầu - kết thúc",
                "Số tờ",
                "THBQ",
                "Ghi chú",
            ],
            [SheetPlan("Sheet1", data, "full")],
            transform=tcvn3,
            blank_every=45,
            footer=footer,
        )
    else:
        data = [
            [
                i + 1,
                r.code,
                r.inventory_title,
                f"{r.start:%m/%Y}",
                f"{r.end:%m/%Y}",
                r.sheets,
                r.retention,
                r.notes,
            ]
            for i, r in enumerate(loc.rows)
        ]
        name = "muc-luc-truong-sa.csv"
        prov = write_cp1258_csv(
            folder / name,
            [
                "STT",
                "Số, ký hiệu hồ sơ",
                "Tiêu đề hồ sơ",
                "Thời gian bắt đầu",
                "Thời gian kết thúc",
                "Số tờ",
                "THBQ",
                "Ghi chú",
            ],
            data,
        )
    if spec.style == "box_file":
        # Rows were written sheet by sheet; map provenance back to the rows in that order.
        ordered = [r for _, y0, y1, _ in groups for r in loc.rows if y0 <= r.title.year <= y1]
        for rec, (sheet, row) in zip(ordered, prov):
            rec.source_sheet, rec.source_row = sheet, row
    else:
        for rec, (sheet, row) in zip(loc.rows, prov):
            rec.source_sheet, rec.source_row = sheet, row
    loc.inventory = f"inventories/{loc.slug}/{name}"
    for rec in loc.rows:
        rec.source_file = loc.inventory


# -- scans -------------------------------------------------------------------------------------


def _page_count(rec: DemoRecord, rng: random.Random) -> int:
    if rec.fate == "short":
        return rng.randint(1, rec.sheets - 1)
    return rec.sheets + (rng.randint(0, rec.sheets) if rng.random() < 0.3 else 0)


def _scan_name(loc: DemoLocality, rec: DemoRecord, counter: int) -> tuple[str, str]:
    """(relative path, format) of a record's scan under the locality's naming habit."""
    rng = loc.rng
    roll = rng.random()
    if loc.spec.style == "code":
        year = rec.title.year
        if roll < 0.10:
            return f"{year}/{rec.code.lower().replace('.', '_')}.pdf", "pdf"
        if roll < 0.15:
            return f"{year}/{rec.code.replace(str(year), str(year).replace('0', 'O'))}.pdf", "pdf"
        if roll < 0.20:
            return f"{year}/{rec.code} - {typed_title(rec.title.text, rng, 40)}.pdf", "pdf"
        if roll < 0.25:
            return f"{year}/{rec.code}/", "pdf-docs"
        return f"{year}/{rec.code}.pdf", "pdf"
    if loc.spec.style == "box_file":
        folder = f"Hop {rec.box:02d}/HS {rec.file_no:03d}"
        if roll < 0.15:
            return f"{folder}.tif", "tiff"
        if roll < 0.25:
            return f"{folder}/", "jpeg-series"
        if roll < 0.40:
            return f"H{rec.box:03d}_{rec.file_no:03d}.pdf", "pdf"
        return f"{folder}.pdf", "pdf"
    if loc.spec.style == "number_title":
        title = typed_title(rec.title.text, rng)
        if rng.random() < 0.1:
            title = drop_letter(title, rng)
        if roll < 0.10:
            return f"{typed_title(rec.title.text, rng, 200)}.pdf", "pdf"
        return f"{rec.file_no:03d} - {title}.pdf", "pdf"
    if roll < 0.15:
        return f"SCAN{counter:04d}.tif", "tiff"
    return f"IMG_{counter:06d}.pdf", "pdf"


def _write_scan(loc: DemoLocality, rec: DemoRecord, relpath: str, kind: str, pages: int) -> None:
    rng = loc.rng
    label = rec.code or f"{rec.box}/{rec.file_no}"
    damaged = rec.fate in ("truncated", "empty")
    expected = {"truncated": "corrupt", "empty": "empty"}.get(rec.fate, "matched")
    if kind == "jpeg-series" and not damaged:
        for i, data in enumerate(sf.jpeg_series(label, pages, rng)):
            loc.write(f"{relpath}{i + 1:03d}.jpg", data, rec, "matched")
        return
    if kind == "pdf-docs" and not damaged and pages >= 2:
        split = pages // 2
        loc.write(f"{relpath}VB01.pdf", sf.pdf_bytes(label, split, rng), rec, "matched")
        loc.write(f"{relpath}VB02.pdf", sf.pdf_bytes(label, pages - split, rng), rec, "matched")
        return
    if kind in ("jpeg-series", "pdf-docs"):
        relpath, kind = relpath.rstrip("/") + ".pdf", "pdf"
    data = sf.tiff_bytes(label, pages, rng) if kind == "tiff" else sf.pdf_bytes(label, pages, rng)
    if rec.fate == "truncated":
        data = sf.truncate(data)
    elif rec.fate == "empty":
        data = b""
    loc.write(relpath, data, rec, expected, rec.fate if damaged else "")


def _scans(loc: DemoLocality) -> list[dict[str, object]]:
    rng = loc.rng
    sidecar: list[dict[str, object]] = []
    counter = 100
    for rec in loc.records:
        if rec.fate in ("missing", "unscanned_twin"):
            continue
        counter += rng.randint(1, 3)
        pages = _page_count(rec, rng)
        if rec.fate == "ambiguous":
            cut = typed_title(rec.title.text.split(", thửa")[0], rng, 200)
            loc.write(
                f"{cut}.pdf",
                sf.pdf_bytes(rec.title.text, pages, rng),
                rec,
                "needs_review",
                "ambiguous",
            )
            continue
        relpath, kind = _scan_name(loc, rec, counter)
        _write_scan(loc, rec, relpath, kind, pages)
        if loc.spec.style == "sidecar":
            with_code = rng.random() < 0.9
            sidecar.append(
                {
                    "Tên tệp": relpath,
                    "Mã hồ sơ": rec.code if with_code else "",
                    "Tiêu đề hồ sơ": rec.title.text,
                    "Số lượng trang": pages,
                    "Thời gian bắt đầu": f"{rec.start:%d/%m/%Y}",
                }
            )
    return sidecar


def _searchable_scans(loc: DemoLocality) -> None:
    """The locality's station makes searchable PDFs: each scan's first page carries the
    record's cover as text. Two good records' scans are swapped at the station (each file
    named for one record holds the other's pages): names alone link them, only the pages
    tell, so both go to review with both records."""
    fonds = f"UBND {loc.spec.name}"
    single = [
        f
        for f in loc.files
        if f.expected == "matched"
        and f.record is not None
        and f.path.endswith(".pdf")
        and "/VB0" not in f.path
    ]
    for f in single:
        assert f.record is not None
        lines = sf.cover_lines(fonds, f.record.inventory_title, f.record.code)
        target = loc.root / f.path
        target.write_bytes(sf.with_text_layer(target.read_bytes(), lines))
    rng = random.Random(f"swap {loc.spec.code}")
    pair = rng.sample([f for f in single if f.record is not None and f.record.fate == "ok"], 2)
    pages = [(loc.root / f.path).read_bytes() for f in pair]
    for f, data in zip(pair, reversed(pages)):
        (loc.root / f.path).write_bytes(data)
        assert f.record is not None
        f.expected, f.injected = "needs_review", "swapped"
        f.record.fate = "swapped"
        f.record.paths.remove(f.path)


def _extras(loc: DemoLocality) -> None:
    """Byte-identical copies under other names, orphans, and a system file."""
    rng = loc.rng
    fine = [
        f
        for f in loc.files
        if f.expected == "matched"
        and f.record is not None
        and f.record.fate == "ok"
        and not f.path.endswith(".jpg")
    ]
    for k, original in enumerate(rng.sample(fine, 2)):
        data = (loc.root / original.path).read_bytes()
        loc.write(
            f"ban sao/ban sao {k + 1}.pdf"
            if original.path.endswith(".pdf")
            else f"ban sao/ban sao {k + 1}.tif",
            data,
            original.record,
            "duplicate",
            "duplicate",
        )
    orphans = {
        "code": [f"2019/H56.{loc.spec.code}.2019.9991.pdf", "tai lieu khac/scan_0001.pdf"],
        "box_file": ["Hop 99/HS 999.pdf", "khac/IMG_4471.pdf"],
        "number_title": [
            "999 - Bien ban ban giao tai san co quan nam 2010.pdf",
            "scan chua dat ten.pdf",
        ],
        "sidecar": ["IMG_999001.pdf", "IMG_999002.pdf"],
    }[loc.spec.style]
    for path in orphans:
        loc.write(path, sf.pdf_bytes(path, rng.randint(1, 4), rng), None, "orphan", "orphan")
    (loc.root / "Thumbs.db").write_bytes(b"\x00" * 64)


def _truth(locs: list[DemoLocality], base: Path) -> None:
    record_rows, file_rows = [], []
    for loc in locs:
        for rec in loc.rows:
            expected = {
                "ok": "digitized",
                "missing": "missing",
                "short": "page_mismatch",
                "truncated": "damaged_scan",
                "empty": "damaged_scan",
                "ambiguous": "needs_review",
                "unscanned_twin": "needs_review",
                "swapped": "needs_review",
                "repeat": "duplicate_entry",
            }[rec.fate]
            record_rows.append(
                {
                    "locality": loc.spec.name,
                    "source_file": rec.source_file,
                    "source_sheet": rec.source_sheet,
                    "source_row": rec.source_row,
                    "record_code": rec.code,
                    "title": rec.inventory_title,
                    "expected_status": expected,
                    "injected": "" if rec.fate == "ok" else rec.fate,
                    "true_paths": "|".join(rec.paths),
                }
            )
        for f in loc.files:
            owner = f.record
            file_rows.append(
                {
                    "locality": loc.spec.name,
                    "path": f.path,
                    "expected_status": f.expected,
                    "injected": f.injected,
                    "source_file": owner.source_file if owner else "",
                    "source_sheet": owner.source_sheet if owner else "",
                    "source_row": owner.source_row if owner else "",
                }
            )
    folder = base / "ground_truth"
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(record_rows).to_csv(folder / "records.csv", index=False)
    pd.DataFrame(file_rows).to_csv(folder / "files.csv", index=False)


#: Who signs the demo's minutes (made-up people): the scanning contractor hands over, each
#: locality's People's Committee receives and issues its minutes (its number and symbol), the
#: provincial archive receives the former district's fonds, Home Affairs signs the province
#: summary. (unit, name, position) each.
CONTRACTOR = ("Công ty Cổ phần Số hóa Nam Trung Bộ", "Nguyễn Văn An", "Giám đốc")
RECEIVERS = {
    "Phường Nha Trang": ("Ủy ban nhân dân phường Nha Trang", "Trần Thị Bình", "Chủ tịch"),
    "Xã Diên Lạc": ("Ủy ban nhân dân xã Diên Lạc", "Lê Văn Cường", "Chủ tịch"),
    "Xã Cam Lâm": ("Ủy ban nhân dân xã Cam Lâm", "Phạm Thị Dung", "Phó Chủ tịch"),
    "Đặc khu Trường Sa": ("Ủy ban nhân dân đặc khu Trường Sa", "Hoàng Văn Em", "Chủ tịch"),
}
ARCHIVE_SIGNER = ("Võ Thị Hoa", "Giám đốc")
HOME_AFFAIRS = ("Sở Nội vụ tỉnh Khánh Hòa", "Đặng Văn Giang", "Giám đốc")


def _party_lines(table: str, party: tuple[str, str, str]) -> list[str]:
    unit, name, position = (json.dumps(v, ensure_ascii=False) for v in party)
    return [f"[{table}]", f"unit = {unit}", f"name = {name}", f"position = {position}"]


def _handover_lines(names: list[str], district: bool) -> list[str]:
    """The ``[handover]`` tables: parties for every locality's minutes, named."""
    lines = ["[handover]  # who signs the minutes (made-up names)"]
    lines += _party_lines("handover.giver", CONTRACTOR)
    lines += _party_lines("handover.province", HOME_AFFAIRS)
    receivers = {n: (RECEIVERS[n], "UBND") for n in names if n in RECEIVERS}
    if district:
        from .district import DEFAULT_RECEIVER, NAME

        receivers[NAME] = ((DEFAULT_RECEIVER, *ARCHIVE_SIGNER), "LTLS")
    for number, (name, (party, symbol)) in enumerate(receivers.items(), 1):
        key = json.dumps(name, ensure_ascii=False)
        lines += [f"[handover.locality.{key}]", f'number = "{number:02d}"', f'symbol = "{symbol}"']
        lines += _party_lines(f"handover.locality.{key}.receiver", party)
    return [*lines, ""]


def _project_file(locs: list[DemoLocality], base: Path, district: bool = False) -> Path:
    lines = [
        'title = "Kiểm tra số hóa tài liệu lưu trữ tỉnh Khánh Hòa (dữ liệu mẫu)"',
        'province = "Khánh Hòa"',
        "",
        "[scan]",
        "sha256 = true",
        "",
        "[progress]",
        "deadline = 2025-06-30",
        "pages_per_day = 60       # per scanning station and working day",
        "stations = 1",
        "cost_per_page = 1500     # VND",
        "",
        *_handover_lines([loc.spec.name for loc in locs], district),
    ]
    for loc in locs:
        lines += [
            "[[locality]]",
            f'name = "{loc.spec.name}"',
            f'code = "{loc.spec.code}"',
            f'inventories = ["inventories/{loc.slug}/*"]',
            f'scan_roots = ["scans/{loc.slug}"]',
            "",
        ]
    path = base / "project.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


INCOMING = "incoming"
#: Where a few scans sit filed in the wrong folder until the delivery puts them back, and the
#: list of those moves (kept outside the scan roots), so the second audit reports them as moved.
MISFILED = "_chua_sap_xep"
REFILE = "refile.json"


def _hold_back(loc: DemoLocality, base: Path, share: float) -> None:
    """Move the scans of a share of good records to incoming/: a batch not delivered yet; and
    misfile the scans of two other good records, to be put back in place by the delivery."""
    if share <= 0:
        return
    rng = random.Random(f"hold back {loc.spec.code}")  # str seeds are stable; hash() is not
    good = [r for r in loc.records if r.fate == "ok" and r.paths]
    late = rng.sample(good, int(len(good) * share))
    for rec in late:
        for rel in rec.paths:
            target = base / INCOMING / loc.slug / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            (loc.root / rel).rename(target)
    on_time = [r for r in good if r not in late and len(r.paths) == 1]
    moves = []
    for rec in rng.sample(on_time, min(2, len(on_time))):
        rel = rec.paths[0]
        misfiled = f"{MISFILED}/{Path(rel).name}"
        (loc.root / misfiled).parent.mkdir(parents=True, exist_ok=True)
        (loc.root / rel).rename(loc.root / misfiled)
        moves.append([misfiled, rel])
    refile = base / INCOMING / REFILE
    refile.parent.mkdir(parents=True, exist_ok=True)
    plan = json.loads(refile.read_text(encoding="utf-8")) if refile.exists() else {}
    plan[loc.slug] = moves
    refile.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")


#: What a demo folder holds at its top: what :func:`generate_demo` writes, and what auditing
#: the demo adds beside it (the catalogue and history in .khaudit). Runs are recognised apart.
DEMO_ENTRIES = {"project.toml", "ground_truth", "inventories", "scans", INCOMING, ".khaudit"}


def _check_is_demo(base: Path) -> None:
    """Refuse a folder that is not a demo khaudit wrote: its files are the user's."""
    from ..errors import KhauditError
    from ..run import is_run

    if base.is_symlink() or not base.is_dir():
        raise KhauditError(t("err.demo.not_a_demo", path=base))
    if not (base / "project.toml").is_file() or not (base / "ground_truth").is_dir():
        raise KhauditError(t("err.demo.not_a_demo", path=base))
    for entry in sorted(base.iterdir()):
        if entry.name not in DEMO_ENTRIES and not (entry.is_dir() and is_run(entry)):
            raise KhauditError(t("err.demo.refuse", path=base, entry=entry.name))


def _clear(base: Path, force: bool) -> None:
    """Make room for a new demo: an empty or missing folder is used as it is; an earlier
    demo is removed with ``force``; any other folder is left untouched."""
    from ..errors import KhauditError

    if not base.is_symlink() and (not base.exists() or not any(base.iterdir())):
        return
    if not force:
        raise KhauditError(t("err.demo.not_empty", path=base))
    _check_is_demo(base)
    shutil.rmtree(base)


def _check_free(base: Path, plan: dict[str, Any], incoming: Path) -> None:
    """Refuse a delivery that would replace a file already in a scan root (a rename does so
    silently), before anything moves."""
    from ..errors import KhauditError

    targets = [base / "scans" / slug / rel for slug, moves in plan.items() for _, rel in moves]
    if incoming.is_dir():
        targets += [
            base / "scans" / p.relative_to(incoming)
            for p in incoming.rglob("*")
            if p.is_file() and p != incoming / REFILE
        ]
    for target in targets:
        if target.exists() or target.is_symlink():
            raise KhauditError(t("err.demo.occupied", path=target))


def deliver_demo(out: str | Path) -> int:
    """Move the held-back scans into the scan roots, as a scanning contractor's delivery, and
    put the misfiled scans back where they belong. Returns how many files moved."""
    base = Path(out)
    _check_is_demo(base)
    incoming = base / INCOMING
    moved = 0
    refile = incoming / REFILE
    plan = json.loads(refile.read_text(encoding="utf-8")) if refile.exists() else {}
    _check_free(base, plan, incoming)
    for slug, moves in plan.items():
        root = base / "scans" / slug
        for misfiled, rel in moves:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / misfiled).rename(root / rel)
            moved += 1
        with contextlib.suppress(OSError):
            (root / MISFILED).rmdir()
    refile.unlink(missing_ok=True)
    files = sorted(p for p in incoming.rglob("*") if p.is_file()) if incoming.exists() else []
    for source in files:
        slug, *rest = source.relative_to(incoming).parts
        target = base / "scans" / slug / Path(*rest)
        target.parent.mkdir(parents=True, exist_ok=True)
        source.rename(target)
        moved += 1
    if incoming.exists():
        shutil.rmtree(incoming)
    return moved


def generate_demo(
    out: str | Path,
    seed: int = 2025,
    rows: int = 300,
    localities: int = 4,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    hold_back: float = 0.0,
) -> Path:
    """Write the demo province to ``out``; return its project file.

    The same seed and sizes always give the same files (the same names and sizes; the bytes but
    for the mtimes and the creation time Pillow writes into each PDF it makes).
    ``hold_back`` keeps that share of the good scans in ``incoming/`` until
    :func:`deliver_demo`, so two audits at two dates show a real trend.
    """
    base = Path(out)
    _clear(base, force)
    base.mkdir(parents=True, exist_ok=True)
    locs = []
    for i, spec in enumerate(LOCALITIES[:localities]):
        loc = DemoLocality(spec, base / "scans" / slugify(spec.name), random.Random(seed * 100 + i))
        loc.root.mkdir(parents=True, exist_ok=True)
        if progress:
            progress(spec.name)
        _records(loc, rows)
        _fates(loc)
        _repeat_rows(loc)
        _inventory(loc, base)
        sidecar = _scans(loc)
        if spec.style == "code":
            _searchable_scans(loc)
        _extras(loc)
        if sidecar:
            pd.DataFrame(sidecar).to_csv(
                loc.root / "metadata.csv", index=False, encoding="utf-8-sig"
            )
        _hold_back(loc, base, hold_back)
        locs.append(loc)
    _truth(locs, base)
    district = localities >= len(LOCALITIES)  # the whole demo: with a former district's fonds
    project = _project_file(locs, base, district)
    if district:
        from .district import add_district

        add_district(base, seed, max(rows // 3, 30))
    return project


__all__ = ["generate_demo", "deliver_demo", "LOCALITIES"]
