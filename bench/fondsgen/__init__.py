"""fondsgen: a fourth labelled province generator, written blind (issue #15, item 5).

``generate(out_dir, seed, records_per_locality, localities=5)`` writes ``project.toml``, each
locality's inventory (``<slug>/muc-luc/``), scan root (``<slug>/so-hoa/``) and scanning-tool
export, and ``ground_truth/``: ``records.csv`` and ``files.csv`` in the format ``khaudit
score`` reads, each row with ``keying`` (the convention that named the scan, or would have),
and ``habits.json`` (every locality's drawn habits). It was written from DOMAIN.md, the issue,
the project file and the truth's format only: without reading khaudit's matcher, the demo,
``matchgen`` or the other three generators, and sharing no code with them.

**Habits, axis by axis** (``habits``), each drawn on its own for each locality: what the office
keeps (land, civil status, construction permits, business registration; decisions, reports,
minutes; ``records``); its record codes (five national forms or none), file numbers (through
the catalogue or restarting each year), boxes; the inventory (xlsx, xls or CSV; NFC, NFD,
TCVN3 or VNI cells, CSV in UTF-8, UTF-8 with BOM, Windows-1258, TCVN3 or VNI bytes; title
block, one or two header rows with merged cells, a row of column numbers, blank rows, footer;
one sheet or a sheet per year or kind with the STT restarting or not; which columns it has and
their headings with marks, without, in capitals or abbreviated, an unlisted heading mapped in
``[locality.columns]`` as an office must; ``inventory``); and one operator's naming, or two
who split the boxes (a mixed tree; ``naming``): an anchor (the code whole, its number, its
year and number, a file number leading or trailing, box and file together, the STT, a typed
title, the owner's name, parcel and map sheet, a decision's number and symbol, a scanner
counter with an export) with extras (a typed title, a year, a date in four forms), folders
(year, box, kind, the inventory's sheet, scanning batch, one folder per record of page images
or of documents), spellings, separators, padding, case, file format (PDF, multi-page TIFF,
JPEG or TIFF page series, one PDF per document), and typing (marks kept or dropped, DOMAIN's
abbreviations, three noise levels, cuts at 60-255 characters; ``keyboard``). An export's
headings vary (Vietnamese with and without marks, English, abbreviated, none anyone knows)
and it lies in the root or beside it (named in the project file).

**Injected**: records not scanned (``missing``), scans of records the inventory lacks
(``orphan``), byte-identical copies (``X (1).pdf``, ``X - Copy.pdf``, ``Copy of X.pdf``, a
``Ban sao`` folder: the copy ``duplicate``, the original ``matched``), rescans kept beside
the first scan (``X_quet lai.pdf``, ``X_lan2.pdf``, a ``Quet lai`` folder: both ``matched``, the
record ``digitized``, since it has a complete scan), scans with too few pages
(``page_mismatch``, only where the inventory has a sheets column), zero-byte and truncated
files (``empty``, ``corrupt``; record ``damaged_scan``), rows typed twice (the repeat
``duplicate_entry``), names saved twice (``X (2).pdf``: the order they were saved in), and
near-twins (an owner's several parcels, quarterly reports, monthly minutes, decision books by
number range, register books by volume) whose deciding words a cut title loses.

**The labelling rule** (``labels``). A reader sees the scan's path, its export row and its
page count, and the inventory. Evidence is each block of the name that the inventory can check
(a box folder says nothing when it has no box column; a file number is checked against the
file-number column or the number in the code; a year against dates or the code): code, file
number, box, year, date, STT, sheet, kind folder, owner (the title names the person), parcel
and map sheet, decision number; and each typed title, read through abbreviations, slips and
words run together but not through a cut: the record's title must start with the words whole
in the typed text, the last visible word a prefix of the next title word (a number too:
``TBD 1`` fits 18 and 124), and end there when the typing was not cut.
1. The scan's candidates are the inventory's records (repeated rows excluded) fitting all of
   its evidence.
2. More than one, and the inventory has sheets: those whose sheets its pages fit (sheets <=
   pages <= 2 x sheets) are kept, when any do.
3. A record a scan alone is left with is struck from the other scans' candidates. Scans go
   through the scanner in the inventory's order, so a sequence (a counter series, or a name
   the tool saved again as ``X (2)``, ``X (3)``) takes its records in that order: each of
   its scans keeps the candidates it can take in some order-keeping assignment of the whole
   sequence, one record a scan. Repeated until nothing changes.
4. One candidate: linked. None: ``orphan``. Several: a true tie, ``needs_review``, the scan and
   every candidate record that no linked scan took (its true record included).
Damage, short scans and copies are injected only into scans their evidence alone decides;
orphans only where no record fits. A needs_review scan's truth row still names the record it
was made from; an orphan's names none.
"""

from .province import generate

__all__ = ["generate"]
