"""A locality's habits, drawn axis by axis (each axis on its own, never a whole scheme).

``draw(rng, unit)`` returns plain data (written to ``ground_truth/habits.json``): how the unit
codes and numbers its files, how its inventory was typed and saved, and how the contractor
delivered the scans, lot by lot (each lot its anchor, its folder, its damage, its format).
"""

from __future__ import annotations

import random
from typing import Any

from .vocab import HEADINGS

#: What names a scan (or the folder of its documents), and what it needs of the office.
ANCHORS = {
    "code": "a record code",
    "number_title": "file number and a typed title",
    "parcel": "map sheet and parcel",
    "person": "a person's name and birth date",
    "docs_folder": "a folder per record, one PDF per document",
    "uuid_meta": "UUID or eDoc id, a JSON/XML metadata file beside each scan",
    "uuid_list": "UUID or eDoc id, listed in the delivery list (danh mục bàn giao)",
    "lot_seq": "the contractor's running number in its lot, listed in the delivery list",
}
DAMAGES = ("none", "upper_nomarks", "mojibake", "tcvn3", "short83")  # and "vni": ``widen``


def _anchors(rng: random.Random, kind: str, has_code: bool, box_file: bool) -> list[str]:
    usable = ["number_title", "uuid_meta", "uuid_list", "lot_seq"]
    if has_code:
        usable.append("code")
    usable += {"land": ["parcel", "parcel"], "personnel": ["person", "person"]}.get(kind, [])
    if kind == "register" and (box_file or has_code):
        usable += ["docs_folder", "docs_folder"]
    lots = rng.choice((1, 2, 2, 3))
    return [rng.choice(usable) for _ in range(lots)]


def _inventory(rng: random.Random, kind: str, code_form: str) -> dict[str, Any]:
    layout = rng.choice(("word_xlsx", "word_xlsx", "plain_xlsx", "csv_bom", "txt_utf16"))
    columns = {
        "box": rng.random() < 0.6,
        "file_no": code_form == "none" or rng.random() < 0.6,
        "code": code_form != "none",
        "sheets": rng.random() < 0.8,
        "retention": rng.random() < 0.5,
        "birth": kind == "personnel" and rng.random() < 0.6,
        "map_sheet": kind == "land" and rng.random() < 0.5,
        "docs": kind == "register" and rng.random() < 0.6,
    }
    columns["parcel"] = columns["map_sheet"]
    headings = {field: rng.choice(names) for field, names in HEADINGS.items()}
    return {
        "layout": layout,
        "columns": columns,
        "headings": headings,
        "dates": rng.choice(("range_years", "range_dates", "year")),
        "title_cells": rng.choice(("unicode", "unicode", "tcvn3"))
        if layout.endswith("xlsx")
        else "unicode",
        "wrapped_titles": layout == "word_xlsx" and rng.random() < 0.6,
        "box_sections": layout == "word_xlsx" and not columns["box"] and rng.random() < 0.6,
        "sheet_per_years": layout == "plain_xlsx" and rng.random() < 0.6,
        "duplicate_rows": rng.choice((0.0, 0.005, 0.01)),
    }


def _typing(rng: random.Random) -> dict[str, Any]:
    return {
        "marks": rng.random() < 0.5,
        "abbreviate": rng.random() < 0.6,
        "cut": rng.choice((60, 80, 120, 0)),
        "slips": rng.choice((0.0, 0.05, 0.15)),
    }


def _lot(rng: random.Random, anchor: str, number: int) -> dict[str, Any]:
    listed = anchor in ("uuid_list", "lot_seq")
    # most lots arrive with their names as typed; a few went through a tool that spoilt them
    spoilt = DAMAGES[1:] if listed else DAMAGES[1:4]
    damage = "none" if rng.random() < 0.45 else rng.choice(spoilt)
    folder = rng.choice(("Lo {n:02d}", "Dot {n}", "BG_{n:03d}", "Lô {n} - giao ngày {d}"))
    return {
        "anchor": anchor,
        "folder": folder.format(n=number, d=f"{10 + 3 * number:02d}.06.2025"),
        "damage": damage,
        "format": rng.choice(("pdf", "pdf", "pdf", "tiff")),
        "id_form": rng.choice(("uuid", "uuid_upper", "edoc")),
        "meta_format": rng.choice(("json", "xml")),
        "meta_fields": rng.choice(("tt05", "snake", "english")),
        "meta_content": rng.choice(("code", "split", "typed")),
        "list_content": rng.choice(("code", "box_file", "typed")),
        "commune_folders": rng.random() < 0.5,
        "parcel_style": rng.choice(
            ("T{s}_th{p}", "{s}-{p}", "To {s} Thua {p}", "TBD{s:02d}_TD{p:04d}")
        ),
        "person_style": rng.choice(("camel_ddmmyyyy", "spaced_dotted", "year_only")),
        "number_pad": rng.choice((3, 4, 0)),
        "docs_names": rng.choice(("number_kind", "kind_number", "ordinal")),
        "code_sep": rng.choice((".", "-", "_")),
    }


def widen(habits: dict[str, Any], rng: random.Random) -> None:
    """Habits added after the first draws, from a stream of their own (so that what a seed drew
    before stays as it was): half the lots whose names became TCVN3 glyphs became VNI glyphs
    instead (the contractor's machine had the other font set); the delivery list under a title
    block, in xlsx a sheet a lot; short scans scanned again."""
    for lot in habits["lots"]:
        if lot["damage"] == "tcvn3" and rng.random() < 0.5:
            lot["damage"] = "vni"
    habits["list"]["title_block"] = rng.random() < 0.5
    habits["list"]["sheet_per_lot"] = rng.random() < 0.5
    habits["problems"]["rescan_short"] = rng.choice((0.0, 0.3, 0.6))


def draw(rng: random.Random, unit: tuple[str, str, str]) -> dict[str, Any]:
    """One locality's habits; ``unit`` is (name, kind, fonds prefix) from ``vocab.UNITS``."""
    name, kind, fonds = unit
    code_form = rng.choice(("fonds_dotted", "fonds_dotted", "year_office", "slashed", "none"))
    inventory = _inventory(rng, kind, code_form)
    box_file = inventory["columns"]["box"] and inventory["columns"]["file_no"]
    anchors = _anchors(rng, kind, code_form != "none", box_file)
    lots = [_lot(rng, anchor, i + 1) for i, anchor in enumerate(anchors)]
    return {
        "unit": name,
        "kind": kind,
        "fonds": fonds,
        "code_form": code_form,
        "numbering": rng.choice(("through", "through", "yearly")),
        "catalogue": rng.choice(("01", "02", "03")),
        "inventory": inventory,
        "typing": _typing(rng),
        "lots": lots,
        "list": {
            "format": rng.choice(("xlsx", "csv")),
            "place": rng.choice(("beside", "root")),
            "drive": rng.choice(("D:\\SO HOA\\{unit}", "\\\\NAS-SOHOA\\bangiao\\{unit}", "E:\\")),
            "headings": rng.choice(("vi", "folded", "english", "contractor")),
        },
        "problems": {
            "missing": rng.choice((0.02, 0.04, 0.06)),
            "orphan": rng.choice((0.005, 0.01)),
            "copy": rng.choice((0.005, 0.01, 0.02)),
            "rescan": rng.choice((0.0, 0.005, 0.01)),
            "short": rng.choice((0.01, 0.02)),
            "empty": 0.004,
            "truncated": 0.004,
        },
    }
