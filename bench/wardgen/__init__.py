"""wardgen: a fifth labelled province generator, of ward and commune one-stop shops (#15).

``generate(out_dir, seed, records_per_locality, localities=5)`` writes ``project.toml``, each
locality's inventory (``<slug>/muc-luc/``) and scan root (``<slug>/so-hoa/``, scanning logs
inside), and ``ground_truth/``: ``records.csv`` and ``files.csv`` in the format ``khaudit
score`` reads, each row with ``keying`` (the anchor that named the scan, or would have), and
``habits.json``. Written blind: from DOMAIN.md, the issue, the project file's schema and the
truth's format, without reading khaudit's matcher, the demo, ``matchgen`` or the four other
generators (only their package docstrings, to draw what they do not), sharing no code.

**Whose habits.** The 2025 communes of Khánh Hòa, most merged from two or three former ones
(official lists in ``vocab.py``), some holding an abolished district's land records. Their
records are mostly the one-stop shop's (bộ phận một cửa): births, marriages, deaths, marital
status, certifications, land certificates and changes, building permits, household
businesses, each with an owner, a receipt number (``000.70.10.H34-190128-0001``: agency,
date, sequence) and a procedure code of the national portal (``1.001193``); and a few series
of the office's own (quarterly reports, monthly minutes, decision books, register volumes).

**Axes** (``habits.draw``), each drawn on its own per locality:

- merger: none, or two or three former communes whose inventories became one sheet each or
  one table under section lines with the STT restarting, the boxes renumbered through (the old
  number kept in a column, or lost) and the contractor's box labels old or new; an abolished
  district's records in their own inventory file and their own folder tree
  (``UBND Huyen Dien Khanh/574 - Phong TNMT/…``, old codes ``574.TNMT.2018.045``);
- the inventory: xlsx (title block, one or two header rows, numbered row, footer, a sheet per
  former commune or per year group) or CSV (a Word table saved through Excel with titles
  wrapped inside their cells, UTF-8 with BOM; plain UTF-8; Windows-1258 with combining tones;
  comma or semicolon); which columns (box, file number, code, sheets; the code a receipt
  number, a fonds code, a slashed code or none); headings, some no synonym knows (mapped in
  ``[locality.columns]``); dates as ``15/05/2023``, ``15-5-2023``, ``05/2023``, ``2023`` or a
  range; titles with the office's abbreviations or in words; a Ghi chú column holding
  remarks, or the scan's file name as a clerk typed it (sometimes with ``.pdf``, sometimes one
  letter off);
- one to three batches (by year, by procedure or by former commune), each with its anchor: the
  receipt whole (as issued, its dots typed as ``_``, or after ``BN``) or its date-sequence
  tail; the owner and the procedure in either order (``KS``, ``DKKH``, ``cap GCN``; land with
  ``thua 123 to 4``); the portal code and the owner; a citizen ID or phone number and the
  owner; the receipt date (``15-5-2023``, ``2023.05.15``, ``15052023``…) and the owner; a
  capture device's stem (``Scan_20250515_143022``, ``SKM_C258…``, ``New Doc 2025-03-13
  07.49``, ``CamScanner 13-03-2025 07.49``, ``Doc3 (2)``, ``img0042``) named by the Ghi chú
  column or by the day folder's scanning log (CSV or XLSX, its headings varying; the file by
  stem, name or Windows path; the row giving the receipt, the owner and procedure, or a typed
  title, and the page count; an office whose Ghi chú holds file names names its first batch so
  half the time); box folders and file numbers; a typed title; a former commune's folder and
  the STT (which restarts there); for series a period (``BC KTXH Q2.2023``, ``BB hop
  T5-2023``), a code or a box;
- its decorations: folders (lot, scanning day, procedure, year, former commune, box), the
  device stem kept before a renamed name, separators (space, ``_``, ``-``, `` - ``, CamelCase),
  case, marks (NFC, NFD as a Mac writes, none, or the keystrokes of Telex or VNI typed with the
  input method off: ``Quyeets ddinhj``, ``Quye6t1 d9inh5``), slips, words run together, a
  phone number appended, names cut at 64 characters (an old burning tool's limit), a name
  saved again in its folder as ``X (2)``;
- the format: PDF (the office's producer, bilevel or grey, 200 or 300 dpi), multi-page TIFF,
  or a folder of JPEG pages (``001.jpg``, ``Page_1.jpg``, ``<name>_001.jpg``); or, as the
  portal hands a record back, a folder named for it with one PDF per component document
  (``01_To khai.pdf``, ``Ban sao CCCD.pdf``, ``Bien lai thu phi.pdf``: all ``matched``, the
  pages summed).

**Injected**: records not scanned (``missing``), scans of records the inventory lacks
(``orphan``), byte-identical copies (``X (1).pdf``, ``X - Copy.pdf``, ``Copy of X.pdf``,
``X - Bản sao.pdf``, a ``Ban sao`` folder: the copy ``duplicate``), rescans beside the first
(``X_quet lai``, ``X (scan lai)``, ``X_v2``, ``X_lan2``: both ``matched``, the record
``digitized``), a record scanned in two parts (``X_p1``/``X_p2``, ``X phan 1``, ``X-1``, ``X
(1)``/``X (2)``: both ``matched``, the pages summed), several records in one scan (the owners'
names together: a tie), short scans (``page_mismatch``, only where the inventory has sheets),
zero-byte and truncated PDFs (``empty``/``corrupt``, the record ``damaged_scan``), rows typed
twice (``duplicate_entry``), and twins (an owner's several parcels, the next period of a
series, namesakes: Vietnamese names repeat).

**The labelling rule** is in ``labels.py``: a scan's candidates are the rows fitting all its
evidence (what the inventory can check), narrowed by a Ghi chú that names it and then by its
pages; a record an item alone is left with is struck from the others until nothing changes;
one candidate links, none is an orphan, several is a true tie (``needs_review``, with every
candidate record no linked item took). Damage and short scans only on items their evidence
alone decides; orphans only where no row fits.
"""

from .province import generate

__all__ = ["generate"]
