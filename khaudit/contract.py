"""The vocabulary of the run contract, in one place: statuses, provenance, booleans, localities.

Every stage that writes or reads a run speaks these. The values are public (reports, notebooks
and other systems filter on them): add members freely, never rename one. This module imports
nothing heavy, so the command's start-up and the demo can use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import pandas as pd


class RecordStatus(StrEnum):
    """What became of one inventory row (reconcile.py decides, with a reason in ``note``)."""

    DIGITIZED = "digitized"
    PAGE_MISMATCH = "page_mismatch"
    MISSING = "missing"
    DUPLICATE_ENTRY = "duplicate_entry"
    DAMAGED_SCAN = "damaged_scan"
    NEEDS_REVIEW = "needs_review"


class FileStatus(StrEnum):
    """What one scan file under the roots is to the inventories."""

    MATCHED = "matched"
    ORPHAN = "orphan"
    DUPLICATE = "duplicate"
    CORRUPT = "corrupt"
    EMPTY = "empty"
    NEEDS_REVIEW = "needs_review"


#: The statuses in the order reports count them.
RECORD_STATUSES: tuple[str, ...] = tuple(RecordStatus)
FILE_STATUSES: tuple[str, ...] = tuple(FileStatus)


def provenance(source_file: str, source_sheet: object, source_row: object) -> str:
    """Where an inventory row came from, as people quote it: ``file!sheet:row``.

    A CSV has no sheet (empty, or missing in a table read back): its rows read ``file:row``.
    """
    sheet = f"!{source_sheet}" if isinstance(source_sheet, str) and source_sheet else ""
    return f"{source_file}{sheet}:{source_row}"


def provenance_column(frame: pd.DataFrame) -> pd.Series:
    """:func:`provenance` of every row of a frame with ``source_file/sheet/row`` columns."""
    sheet = frame["source_sheet"].fillna("").astype(str)
    sheet = sheet.where(sheet == "", "!" + sheet)
    return frame["source_file"].astype(str) + sheet + ":" + frame["source_row"].astype(str)


#: How a true boolean reads back from a run's CSV (pandas writes ``True``; people type 1).
_TRUE = frozenset({"true", "1"})


def is_true(value: object) -> bool:
    """One boolean cell of a run table, as Parquet keeps it or a CSV gives it back as text."""
    return str(value).strip().lower() in _TRUE


def true_column(values: pd.Series) -> pd.Series:
    """:func:`is_true` over a column, as a ``bool`` column."""
    if values.dtype == bool:
        return values
    return values.map(is_true).astype(bool)


T = TypeVar("T")


def find_locality(
    localities: Iterable[T], name: str, keys: Callable[[T], Iterable[str | None]]
) -> T | None:
    """The locality that ``name`` names by its name, slug or code (``keys`` gives the three),
    or None. Projects and runs answer to the same three spellings."""
    for locality in localities:
        if name in tuple(keys(locality)):
            return locality
    return None
