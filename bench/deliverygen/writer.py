"""Writing a planned locality: the scan tree as the contractor delivered it, each scan's
metadata file, the delivery list, and the truth rows.

The lot's damage is applied here, to the lot folder and every name below it: capitals without
marks, a UTF-8 name read as Windows-1252, TCVN3 or VNI glyphs; or, to the file names only, DOS
8.3 aliases (``~N`` counted per folder and alias in the list's order, the copying order).
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

from . import scanfiles, xlsx
from .items import Item
from .locality import Plan
from .text import fold, mojibake, short83, tcvn3_glyphs, vni_glyphs

_META_KEYS = {
    "tt05": {
        "code": "maHoSo",
        "fonds": "maPhong",
        "catalogue": "mucLucSo",
        "typed": "tieuDe",
        "year": "nam",
        "file_no": "hoSoSo",
        "box": "hopSo",
        "pages": "soLuongTrang",
    },
    "snake": {
        "code": "ma_ho_so",
        "fonds": "ma_phong",
        "catalogue": "muc_luc_so",
        "typed": "tieu_de",
        "year": "nam",
        "file_no": "so_ho_so",
        "box": "hop_so",
        "pages": "so_trang",
    },
    "english": {
        "code": "recordCode",
        "fonds": "fondsCode",
        "catalogue": "catalogueNo",
        "typed": "title",
        "year": "year",
        "file_no": "fileNumber",
        "box": "boxNumber",
        "pages": "pageCount",
    },
}
_LIST_HEADS = {
    "vi": (
        "STT",
        "Đường dẫn",
        "Mã hồ sơ",
        "Hộp số",
        "Hồ sơ số",
        "Tiêu đề hồ sơ",
        "Năm",
        "Số trang",
    ),
    "folded": (
        "STT",
        "Duong dan tep",
        "Ma ho so",
        "Hop so",
        "Ho so so",
        "Tieu de",
        "Nam",
        "So trang",
    ),
    "english": ("No.", "File path", "Record code", "Box", "File no.", "Title", "Year", "Pages"),
    "contractor": (
        "TT",
        "Vị trí lưu trữ",
        "Mã HS gốc",
        "Hộp",
        "Số HS",
        "Nội dung",
        "Năm HS",
        "SL trang",
    ),
}


def _spoil(part: str, damage: str) -> str:
    if damage == "upper_nomarks":
        return fold(part).upper()
    if damage == "mojibake":
        return mojibake(part)
    if damage == "tcvn3":
        return tcvn3_glyphs(part)
    if damage == "vni":
        return vni_glyphs(part)
    return part


def _ext(item: Item) -> str:
    return "tif" if item.lot["format"] == "tiff" and len(item.names) == 1 else "pdf"


class _Tree:
    """The root being written: names taken so far, 8.3 counters per folder and alias."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.taken: set[str] = set()
        self.aliases: dict[tuple[str, str], int] = {}

    def place(self, lot: dict[str, Any], name: str, ext: str) -> tuple[str, bool]:
        """Where a name as meant lands, and whether the lot's damage changed it."""
        damage = lot["damage"]
        meant = "/".join([lot["folder"], *name.split("/")]) + f".{ext}"
        parts = [_spoil(p, damage) for p in [lot["folder"], *name.split("/")]]
        if damage == "short83" and len(parts[-1]) + len(ext) + 1 > 12:
            folder = "/".join(parts[:-1])
            key = (folder, short83(parts[-1], 1, ext).split("~")[0])
            self.aliases[key] = self.aliases.get(key, 0) + 1
            rel = f"{folder}/{short83(parts[-1], self.aliases[key], ext)}"
        else:
            if damage == "short83":
                ext = ext.upper()
                parts[-1] = parts[-1].upper()
            rel = "/".join(parts) + f".{ext}"
        return self._free(rel), rel != meant

    def _free(self, rel: str) -> str:
        """Windows' answer to a name already taken (two namesakes, folded alike): ``X (2)``."""
        stem, dot, ext = rel.rpartition(".")
        k, out = 1, rel
        while out.lower() in self.taken:
            k += 1
            out = f"{stem} ({k}).{ext}"
        self.taken.add(out.lower())
        return out

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _copy_path(original: str, rng: random.Random) -> str:
    p = PurePosixPath(original)
    form = rng.choice(("paren", "copy", "later_lot"))
    if form == "paren":
        return str(p.with_name(f"{p.stem} (1){p.suffix}"))
    if form == "copy":
        return str(p.with_name(f"{p.stem} - Copy{p.suffix}"))
    return str(PurePosixPath("Giao bo sung", *p.parts))


def write_tree(plan: Plan, root: Path, rng: random.Random) -> None:
    """Every item's files, with their metadata files; ``item.paths`` set."""
    tree = _Tree(root)
    for item in plan.items:
        if item.copy_of is not None:
            continue
        ext = _ext(item)
        for name, pages in zip(item.names, item.pages):
            rel, spoilt = tree.place(item.lot, name, ext)
            item.spoilt = item.spoilt or spoilt
            item.paths.append(rel)
            tree.write(rel, _bytes(item, pages, rel))
        if item.meta is not None:
            _write_meta(tree, item)
    for item in plan.items:
        if item.copy_of is not None:
            rel = tree._free(_copy_path(item.copy_of.paths[0], rng))
            item.paths.append(rel)
            tree.write(rel, (root / item.copy_of.paths[0]).read_bytes())


def _bytes(item: Item, pages: int, rel: str) -> bytes:
    if item.injected == "empty":
        return b""
    data = scanfiles.scan("tiff" if rel.lower().endswith(".tif") else "pdf", pages, rel)
    return scanfiles.truncated(data) if item.injected == "truncated" else data


def _meta_values(item: Item) -> dict[str, Any]:
    values = dict(item.meta or {})
    values["pages"] = sum(item.pages)
    values.pop("cut", None)
    return values


def _write_meta(tree: _Tree, item: Item) -> None:
    keys = _META_KEYS[item.lot["meta_fields"]]
    values = {keys[k]: v for k, v in _meta_values(item).items() if k in keys}
    stem = item.paths[0].rsplit(".", 1)[0]
    if item.lot["meta_format"] == "json":
        data = json.dumps(
            {"hoSo": values} if item.lot["meta_fields"] == "tt05" else values,
            ensure_ascii=False,
            indent=2,
        ).encode("utf-8")
        tree.write(f"{stem}.json", data)
        return
    body = "".join(f"  <{k}>{escape(str(v))}</{k}>\n" for k, v in values.items())
    tree.write(
        f"{stem}.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<HoSo>\n{body}</HoSo>\n'.encode()
    )


def delivery_list(plan: Plan, target: Path, place: dict[str, Any], unit: str) -> Path | None:
    """The danh mục bàn giao: one row a listed scan, its path on the contractor's drive; in
    xlsx one sheet, or a sheet a lot (the STT restarting), under a title block or not."""
    listed = [it for it in plan.items if it.row is not None and it.copy_of is None]
    if not listed:
        return None
    drive = place["drive"].format(unit=fold(unit).upper())
    lots: dict[str, list[list[object]]] = {}
    for it in listed:
        sheet = it.lot["folder"] if place.get("sheet_per_lot") else "Danh muc"
        rows = lots.setdefault(fold(sheet)[:31], [])
        long_name = "/".join([it.lot["folder"], *it.names[0].split("/")]) + f".{_ext(it)}"
        row = it.row or {}
        windows = drive.rstrip("\\") + "\\" + long_name.replace("/", "\\")
        fields = [row.get(k, "") for k in ("code", "box", "file_no", "typed", "year")]
        rows.append([len(rows) + 1, windows, *fields, sum(it.pages)])
    head: list[list[object]] = [list(_LIST_HEADS[place["headings"]])]
    if place.get("title_block"):
        title = f"DANH MỤC HỒ SƠ, TÀI LIỆU SỐ HÓA BÀN GIAO - {unit.upper()}"
        head = [[title], ["(Kèm theo biên bản bàn giao ngày 30/6/2025)"], [], *head]
    path = target.with_suffix(f".{place['format']}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if place["format"] == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(head + [r for rows in lots.values() for r in rows])
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        return path
    book = Workbook()
    book.remove(book.active)
    for name, rows in lots.items():
        sheet = book.create_sheet(name)
        for r in head + rows:
            sheet.append(r)
    xlsx.save(book, path)
    return path
