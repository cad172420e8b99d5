"""Caps on what khaudit reads from an inventory or sidecar file: one documented place.

Inventories and sidecars come from many hands; a file can be damaged, or crafted, so that a
naive reader needs minutes or gigabytes (a zip bomb, a column range to four billion, a row of
millions of cells, JSON nested a hundred thousand deep). Each cap is far beyond what a real
inventory needs, so it only ever stops a broken or hostile file, and that file becomes a
located issue while the others load. The spreadsheet limits are Excel's own: a file past them
could not have been typed in a spreadsheet.
"""

from __future__ import annotations

#: Largest text file (csv/tsv/txt inventory, csv/json/xml sidecar) read whole. A real
#: inventory of 100,000 rows is about 30 MB.
MAX_TEXT_BYTES = 64 * 1024 * 1024

#: Largest spreadsheet or Word file (xlsx, xlsm, xls, ods, docx) opened.
MAX_WORKBOOK_BYTES = 64 * 1024 * 1024

#: Largest total of the uncompressed members of an xlsx/ods (a zip), declared or real. An
#: inventory of 100,000 rows unpacks to about 60 MB of XML.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024

#: Largest ratio of uncompressed to compressed size of one zip member (spreadsheet XML
#: compresses 5 to 30 times; a zip bomb, thousands of times), checked above 1 MB unpacked.
MAX_COMPRESSION_RATIO = 200

#: Most columns in a row (Excel's limit, column XFD).
MAX_COLUMNS = 16_384

#: Most rows in a sheet or text file (Excel's limit).
MAX_ROWS = 1_048_576

#: Most cells (rows x columns of the used area) of one sheet read into memory.
MAX_CELLS = 20_000_000

#: Longest cell text (Excel's limit).
MAX_CELL_CHARS = 32_767

#: Deepest nesting of a JSON sidecar (a sidecar is a list of flat objects: 3 is enough).
MAX_JSON_DEPTH = 64
