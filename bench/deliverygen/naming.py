"""How a lot names its scans, and what each name lets a reader check (its evidence).

Every function returns the name *as meant* (``damage`` later spoils it as the delivery did) and
the evidence a careful reader takes from it or from the scan's metadata or list row: a dict of
``code``, ``box``, ``file_no``, ``year``, ``typed`` (a title as the clerk typed it, with the
cut length the clerk's field had), ``map_sheet``/``parcel``/``commune``, ``person`` (and
whether it is compared without marks), ``birth`` or ``birth_year``.
"""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

from .records import Record
from .text import abbreviate, drop_letter, fold


def typed_title(title: str, typing: dict[str, Any], rng: random.Random) -> str:
    """The title as a contractor's clerk typed it: abbreviated or not, marks or not, now and
    then a letter left out, cut at the field's length."""
    text = " ".join(title.split())
    if typing["abbreviate"]:
        text = abbreviate(text)
    if not typing["marks"]:
        text = fold(text)
    if rng.random() < typing["slips"]:
        text = drop_letter(text, rng.randrange(1000))
    return text[: typing["cut"]] if typing["cut"] else text


def safe(text: str) -> str:
    """What Windows lets a file name hold."""
    return re.sub(r'[\\/:*?"<>|]', "-", text).strip(" .")


def new_id(rng: random.Random, form: str) -> str:
    if form == "edoc":
        return f"EDOC-{rng.randint(2019, 2025)}-{rng.randint(0, 9_999_999):07d}"
    value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return value.upper() if form == "uuid_upper" else value


def _typed(rec: Record, typing: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    return {"typed": typed_title(rec.title, typing, rng), "cut": typing["cut"]}


def code_name(rec: Record, lot: dict[str, Any]) -> str:
    return re.sub(r"[./]", lot["code_sep"], rec.code)


def number_title(rec: Record, lot: dict[str, Any], typing: dict[str, Any], rng: random.Random):
    ev = _typed(rec, typing, rng)
    ev["typed"] = safe(ev["typed"])
    pad = lot["number_pad"]
    number = f"{rec.file_no:0{pad}d}" if pad else str(rec.file_no)
    return f"{number} - {ev['typed']}", {"file_no": rec.file_no, **ev}


def title_name(rec: Record, typing: dict[str, Any], rng: random.Random):
    """A file with nothing but its typed title (a series in a lot named by parcel or person)."""
    ev = _typed(rec, typing, rng)
    ev["typed"] = safe(ev["typed"])
    return ev["typed"], ev


def parcel_name(rec: Record, lot: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = lot["parcel_style"].format(s=rec.map_sheet, p=rec.parcel)
    ev: dict[str, Any] = {"map_sheet": rec.map_sheet, "parcel": rec.parcel}
    if lot["commune_folders"]:
        ev["commune"] = rec.commune
        name = f"{rec.commune.replace('xã ', '').replace('thị trấn ', 'TT ')}/{name}"
    return name, ev


def person_name(rec: Record, lot: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assert rec.birth is not None
    style = lot["person_style"]
    ev: dict[str, Any] = {"person": rec.person, "folded": lot["damage"] == "upper_nomarks"}
    if style == "camel_ddmmyyyy":
        ev["folded"] = True
        ev["birth"] = rec.birth
        return f"{fold(rec.person).replace(' ', '')}_{rec.birth:%d%m%Y}", ev
    if style == "spaced_dotted":
        ev["birth"] = rec.birth
        return f"{rec.person} - {rec.birth:%d.%m.%Y}", ev
    ev["birth_year"] = rec.birth.year
    return f"{rec.person} ({rec.birth.year})", ev


def docs_folder(rec: Record, lot: dict[str, Any], by_code: bool) -> tuple[str, dict[str, Any]]:
    if by_code:
        return code_name(rec, lot), {"code": rec.code}
    return f"Hop {rec.box:02d}/HS {rec.file_no:03d}", {"box": rec.box, "file_no": rec.file_no}


def doc_names(rec: Record, lot: dict[str, Any]) -> list[str]:
    if not rec.docs:
        return ["01"]
    style = lot["docs_names"]
    names = []
    for i, (number, kind, issuer) in enumerate(rec.docs, start=1):
        if style == "number_kind":
            names.append(f"{number}-{fold(kind)}-{issuer}")
        elif style == "kind_number":
            names.append(f"{fold(kind)} {number}")
        else:
            names.append(f"VB{i:02d}")
    return names


def record_fields(
    rec: Record, content: str, has_code: bool, has_box: bool, typing: dict[str, Any], rng
) -> dict[str, Any]:
    """What a metadata file or a list row says of its record (``content``: the code, the
    code's parts, box and file number, or a typed title with its year)."""
    if content == "code" and has_code:
        return {"code": rec.code}
    if content == "split" and has_code:
        return {"year": rec.year, "file_no": rec.file_no}
    if content == "box_file" and has_box:
        return {"box": rec.box, "file_no": rec.file_no}
    return {**_typed(rec, typing, rng), "year": rec.year}
