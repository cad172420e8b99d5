"""deliverygen: a sixth labelled province generator, of handovers and contractors' deliveries.

``generate(out_dir, seed, records_per_locality, localities=5)`` writes ``project.toml``, each
unit's inventory (``<slug>/muc-luc/``), scan root (``<slug>/so-hoa/``, metadata files and
perhaps the delivery list inside) and delivery list (beside the root when it is not inside,
named in the project file as ``sidecar``), and ``ground_truth/``: ``records.csv`` and
``files.csv`` in the format ``khaudit score`` reads, each row with ``keying`` (the anchor that
named the scan, or would have, and ``/<damage>`` when the delivery spoilt the name), and
``habits.json``. Written blind (issue #15): from DOMAIN.md, the issue, the project file's
schema and the truth's format, without reading khaudit's matcher, the demo, ``matchgen`` or
the five other generators (only their package docstrings, to draw what they do not), sharing
no code with them.

**Whose habits.** Not communes: the units the 2025 restructuring moved, handing their fonds
over (``vocab.UNITS``): abolished districts' specialised offices (a land registration branch,
a home affairs office, a finance office, a district's People's Committee office) and
provincial departments. What they keep (``records``): land files named for the owner, the
parcel, the map sheet and the commune; personnel files for a person, their position and birth
date; register files, each the bundle of documents issued on one matter (``2002/TTr-TCKH``,
two to five documents); and beside them every office's series (quarterly reports, monthly
minutes, a year's plan). Twins as offices have them: the same map sheet and parcel in two
communes, namesakes (some born the same year), the next period of a series. Their scans were
made by an outsourced contractor and delivered lot by lot.

**Axes** (``habits.draw``), each drawn on its own per unit:

- the office: record codes (``H41.22.01.2015.0012`` fonds.agency.catalogue.year.file,
  ``2015.41.012``, ``012/2015/HS-H41``, or none), file numbers through the catalogue or
  restarting each year, boxes of 10-16 files;
- the inventory, typed as a table in Word (``inventory``): pasted into xlsx under a title block
  with merged lines, headings broken over lines, a ``(1) (2) (3)`` row, titles wrapped inside
  their cells, "Hộp số 03" section lines instead of a box column, a footer; a plain xlsx with a
  sheet per five years and the STT restarting; a CSV in UTF-8 with BOM; or Word's "Unicode
  text" (UTF-16, tabs, a heading line above); title cells in TCVN3 glyphs; which columns it
  has (box, file number, code, sheets, retention; the kind's own: map sheet and parcel, birth
  date, the documents' numbers, under headings khaudit may not know), their headings, dates as
  years, a range of years or of days, rows typed twice;
- the contractor's typing (marks or none, the office's abbreviations, a letter left out, a
  field of 60, 80 or 120 characters or none);
- one to three lots (``Lo 01``, ``Dot 2``, ``BG_003``, ``Lô 1 - giao ngày 13.06.2025``), the
  boxes split between them, each with its own anchor (``habits.ANCHORS``): the record code
  (``.``, ``-`` or ``_`` between its parts); the file number and a typed title; map sheet and
  parcel (``T12_th345``, ``12-345``, ``To 12 Thua 345``, ``TBD12_TD0345``; in commune folders
  or not); the person and birth date (``NguyenVanAn_12031975``, ``Nguyễn Văn An -
  12.03.1975``, ``Nguyễn Văn An (1975)``); a folder per register record (``Hop 03/HS 012`` or
  its code) with one PDF per document (``2002-TTr-TCKH.pdf``, ``TTr 2002.pdf``, ``VB01.pdf``);
  a UUID or eDoc id (``EDOC-2023-0012345``) with a JSON or XML file beside each scan whose
  fields follow Circular 05 (``maHoSo``, ``tieuDe``, ``soLuongTrang``), snake case or English,
  giving the code, the year and file number, or a typed title and year; a UUID or eDoc id, or
  the contractor's running number in the lot (``Lo 02/0045.pdf``: a number that looks like a
  file number and is not), listed in the delivery list (danh mục bàn giao: xlsx or CSV, in the
  root or beside it; the path on the contractor's drive, ``D:\\SO HOA\\…`` or
  ``\\NAS-SOHOA\bangiao\\…``; the code, box and file number, or a typed title and year; the
  pages; headings in Vietnamese, without marks, English or the contractor's own); series in a
  parcel or person lot are named by their typed title;
- what the delivery did to the names of the lot: nothing, capitals without marks, a UTF-8 name
  read as Windows-1252 (``Há»“ sÆ¡``), TCVN3 glyphs (``Hå s¬``), VNI glyphs (``Hoà sô``), or,
  in listed lots, DOS 8.3
  aliases (``3F2A9C~1.PDF``, ``EDOC-2~7.PDF``); two names that became one get Windows' ``(2)``;
- the format: PDF (bilevel pages at 300 dpi) or multi-page TIFF (Group 4).

**Injected**: records not scanned (``missing``), scans of files the inventory lacks
(``orphan``), byte-identical copies (``X (1).pdf``, ``X - Copy.pdf``, or the same path again
under ``Giao bo sung/``: the copy ``duplicate``, the original ``matched``), rescans beside the
first (``X_quet lai``, or a new id with its own metadata: both ``matched``), short scans
(``page_mismatch``), zero-byte and truncated files (``empty``/``corrupt``, the record
``damaged_scan``), rows typed twice (``duplicate_entry``), and the twins above.

**The labelling rule** is in ``labels`` (its docstring): a scan's candidates are the rows that
fit all its evidence (name, metadata file, list row; spoilt names read back where the spoiling
is one-to-one), narrowed by its pages, then by striking what other scans alone take and by the
list's order; one candidate links, none is an orphan, several is a true tie
(``needs_review``, with every candidate record no decided scan took).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from . import locality, truth, writer
from .habits import draw, widen
from .text import fold
from .vocab import UNITS

__all__ = ["generate"]


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in fold(name).lower()).split())


def _former(unit: str) -> str:
    """The abolished district a specialised office belonged to, as the project file names a
    fonds of a pre-2025 unit; a provincial department has none."""
    for kind in ("huyện", "thị xã"):
        if f" {kind} " in unit:
            place = unit.split(f" {kind} ", 1)[1]
            return f"{kind.capitalize()} {place}, Tỉnh Khánh Hòa"
    return ""


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def generate(
    out_dir: str | Path, seed: int, records_per_locality: int, localities: int = 5
) -> Path:
    """Write the province under ``out_dir`` and return its ``project.toml``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"deliverygen-{seed}")
    units = rng.sample(list(UNITS), min(localities, len(UNITS)))
    blocks, all_records, all_files, habits_out = [], [], [], {}
    for number, unit in enumerate(units, start=1):
        local = random.Random(f"deliverygen-{seed}-{number}")
        habits = draw(local, unit)
        widen(habits, random.Random(f"deliverygen-{seed}-{number}-widen"))
        slug = _slug(unit[0])
        folder = out / slug
        (folder / "muc-luc").mkdir(parents=True, exist_ok=True)
        plan = locality.plan(folder / "muc-luc", habits, records_per_locality, local)
        root = folder / "so-hoa"
        root.mkdir(parents=True, exist_ok=True)
        writer.write_tree(plan, root, local)
        place = habits["list"]
        beside = place["place"] == "beside"
        target = (folder if beside else root) / "DANH MUC BAN GIAO"
        listed = writer.delivery_list(plan, target, place, unit[0])
        source = plan.inventory_path.relative_to(out).as_posix()
        recs, files = truth.rows(plan, unit[0], source)
        all_records += recs
        all_files += files
        habits_out[unit[0]] = habits
        block = [
            "[[locality]]",
            f"name = {_toml(unit[0])}",
            f"inventories = [{_toml(source)}]",
            f"scan_roots = [{_toml(root.relative_to(out).as_posix())}]",
        ]
        former = _former(unit[0])
        if former:
            block.append(f"former = {_toml(former)}")
        if listed is not None and beside:
            block.append(f"sidecar = {_toml(listed.relative_to(out).as_posix())}")
        blocks.append("\n".join(block))
    project = out / "project.toml"
    head = 'title = "Kiểm tra số hóa tài liệu giao nộp"\nprovince = "Khánh Hòa"\n'
    project.write_text(head + "\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    _truth(out / "ground_truth", all_records, all_files, habits_out)
    return project


def _truth(folder: Path, records: list[dict], files: list[dict], habits: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("records.csv", records), ("files.csv", files)):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            out = csv.DictWriter(handle, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(rows)
    (folder / "habits.json").write_text(
        json.dumps(habits, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
