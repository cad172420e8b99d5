"""Columns found by what they hold, when no heading names them.

An office may head its title column with words no synonym lists ("Tên gọi và nội dung hồ sơ",
"Diễn giải", a heading in another language). The title is required, so without this the whole
inventory, and so the whole locality, would be lost to one heading. When a header row names
other columns (STT, box, code, ...) but none is the title, the column of long, varied, mostly
alphabetic text below it is the title; when no column is named for the dates, a column of
years or dates is. A guess only fills a field no heading (nor the project file) names, never
from a column whose heading names something else (a birth date, a map sheet: see
``columns.OTHER_OBJECTS``), and the loader reports each one as a note in
``inventory_issues.csv`` so the inspector can check it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import values as V

#: Data rows looked at to judge a column.
SAMPLE = 200
#: A title column: most of its rows filled, long on average, mostly letters, nearly all
#: different. Codes ("H56.22678.2014.0001"), dates, counts and short notes ("Bản chính") fail.
TITLE_FILLED = 0.6
TITLE_MEAN_CHARS = 20
TITLE_LETTERS = 0.7
TITLE_DISTINCT = 0.8
#: A dates column: nearly all filled cells read as years or dates.
DATES_SHARE = 0.9
#: Fewest filled cells a guess rests on.
MIN_CELLS = 3


def _column(rows: Iterable[list[Any]], c: int) -> list[str]:
    return [V.cell_text(row[c]) if c < len(row) else "" for row in rows]


def _letter_share(text: str) -> float:
    chars = [ch for ch in text if not ch.isspace()]
    return sum(ch.isalpha() for ch in chars) / len(chars) if chars else 0.0


def title_column(rows: list[list[Any]], candidates: Iterable[int]) -> int | None:
    """The candidate column whose cells read like titles (the longest such), or None.

    ``rows`` are the data rows under the header (rows with no cell at all are ignored)."""
    sample = [row for row in rows[:SAMPLE] if any(V.cell_text(v) for v in row)]
    best: tuple[float, int] | None = None
    for c in candidates:
        cells = [x for x in _column(sample, c) if x]
        if len(cells) < MIN_CELLS or len(cells) < TITLE_FILLED * len(sample):
            continue
        mean = sum(len(x) for x in cells) / len(cells)
        letters = sum(_letter_share(x) for x in cells) / len(cells)
        if (
            mean >= TITLE_MEAN_CHARS
            and letters >= TITLE_LETTERS
            and len(set(cells)) >= TITLE_DISTINCT * len(cells)
            and (best is None or mean > best[0])
        ):
            best = (mean, c)
    return best[1] if best else None


def dates_column(rows: list[list[Any]], candidates: Iterable[int]) -> int | None:
    """The first candidate column whose filled cells are nearly all years or dates (a
    4-digit year, "05/2019", "2015-2016", a date cell), or None. Small counts (sheets, box
    numbers) are not years, so they never qualify."""
    sample = rows[:SAMPLE]
    for c in candidates:
        cells = [row[c] for row in sample if c < len(row) and V.cell_text(row[c])]
        if len(cells) < MIN_CELLS:
            continue
        dated = sum(1 for v in cells if V.parse_years(v)[0] is not None)
        if dated >= DATES_SHARE * len(cells):
            return c
    return None
