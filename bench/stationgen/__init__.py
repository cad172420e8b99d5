"""A labelled province as scanning stations and office clerks in Khánh Hòa make them (2025).

``generate(out_dir, seed, records_per_locality, localities=5)`` writes ``project.toml``, each
locality's inventory, scan tree and scanning-software export, and ``ground_truth/``
(``records.csv``, ``files.csv`` in the format ``khaudit score`` reads, with a ``keying`` column
naming the convention of each scan; ``habits.json``, each locality's drawn habits). It was
written from the project's issue and DOMAIN.md, sharing no code with the demo, ``matchgen`` or
``provgen`` and without reading the matcher.

Each locality draws its habits axis by axis (``habits.py``): one or two of twelve naming
conventions (``habits.CONVENTIONS``; two as an older and a newer series of years), folders
(year, year/month, batch by date, operator, box folders spelt as offices spell them), the
operator's typing (marks, abbreviations, typos, words run together, cuts at 60-255
characters, file names cut at 64, 80 or 120), the name style (NFC, NFD, folded; as typed,
capitals, lower case, CamelCase; space, ``_``, ``-`` or ``.`` between words; numbers padded,
not, or both), the code's form and how names re-separate it, the export (CSV, XLSX, JSON,
XML; five families of headings; the file name with or without extension or as a Windows
path; year, page count and code columns or not; in the root, in each batch folder or beside
the tree), and the inventory (xlsx or CSV in UTF-8, UTF-8 with BOM or Windows-1258; title
block, merged two-row header, numbered row, a sheet per year range with the STT restarting,
blank rows, footer, TCVN3 title cells, capitals, columns present or absent, headings common
or rarer; a title heading khaudit cannot know is mapped in ``[locality.columns]``, as an
office would have to).

Injected problems: records without a scan (``missing``), scans with too few or too many pages
(``page_mismatch``), zero-byte or truncated scans (files ``empty``/``corrupt``, records
``damaged_scan``), byte-identical copies (``X (1).pdf``, ``X - Copy.pdf``, ``Copy of X.pdf``
or the same name in a ``Trung lap`` or ``Scan lai`` folder: the copy ``duplicate``, the
original ``matched``), orphans (a scan of a record the inventory lacks, named in the same
convention), rows typed twice (``duplicate_entry``; the scan belongs to the first row).

**The labelling rule** (what the truth says of each scan, decided here, not by khaudit):

1. Evidence is what a careful reader sees: the name and folders (a code, a file or box
   number, a year or date, the visible part of a typed title), the export's row (typed
   title, year, code), the scan's page count, and for counters the scanning order. Typos and
   abbreviations are read through; a cut is not: a cut title shows a prefix of the original,
   its last word possibly partial (``TBD 1`` may be ``tờ bản đồ số 18`` or ``số 124``). A
   field the inventory does not have (no dates, no box column) checks nothing.
2. A record is a candidate of a scan when every piece of evidence fits it. The pages then
   narrow the candidates to those whose sheets they fit (``sheets <= pages <= 2 x sheets``)
   when any fit. Counters without an export are aligned to the inventory order (a record may
   be missing, two neighbours may be swapped) under the same page fit; a file's candidates
   are the records it takes in any alignment.
3. A record that a decided scan certainly is cannot be another scan's (repeated until
   nothing changes); with an export, an undecided counter lies between the records of its
   nearest decided neighbours in the batch.
4. A scan whose candidates are exactly its own record is ``matched`` (with its damage or page
   status); otherwise it is a true tie, ``needs_review``, and so are its record and every
   other candidate record that no decided scan takes (a record without a scan that a review
   pair names is ``needs_review``, not ``missing``). Evidence that singles out another
   record (a short scan whose pages fit only its twin) is a tie too: no reader could know.
   Problems are injected only where they do not make the truth unknowable: damage and short
   scans only on scans their name or export alone decides; orphans only where no record
   fits; copies only of ``matched`` scans; none of these in counter groups without an export.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from .build import build_locality
from .habits import CONVENTIONS
from .truth import write_truth
from .vocab import LOCALITIES

__all__ = ["CONVENTIONS", "generate"]


def _toml(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def generate(
    out_dir: str | Path, seed: int, records_per_locality: int, localities: int = 5
) -> Path:
    """Write a labelled province under ``out_dir``; return its project file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"stationgen-{seed}")
    picks = rng.sample(LOCALITIES, min(localities, len(LOCALITIES)))
    # each locality its own main convention, dealt in turn across seeds, so that any three
    # consecutive seeds of five localities draw all twelve
    lines = [
        f'title = "Kiểm tra số hóa tài liệu lưu trữ (stationgen, seed {seed})"',
        'province = "Khánh Hòa"',
    ]
    built = []
    for k, (name, code, abbr) in enumerate(picks):
        loc_rng = random.Random(f"stationgen-{seed}-{k}")
        convention = CONVENTIONS[(localities * seed + k) % len(CONVENTIONS)]
        loc = build_locality(loc_rng, out, name, abbr, records_per_locality, convention)
        built.append(loc)
        lines += ["", "[[locality]]", f"name = {_toml(name)}"]
        if code:
            lines.append(f"code = {_toml(code)}")
        lines.append(f"inventories = {_toml(loc.inventories)}")
        lines.append(f"scan_roots = {_toml([loc.root])}")
        if loc.sidecar:
            lines.append(f"sidecar = {_toml(loc.sidecar)}")
        if loc.columns:
            lines.append("[locality.columns]")
            lines += [f"{field} = {_toml(heading)}" for field, heading in loc.columns.items()]
    project = out / "project.toml"
    project.write_text("\n".join(lines) + "\n", "utf-8")
    write_truth(out / "ground_truth", built)
    return project
