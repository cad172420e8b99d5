"""Values as offices type them: dates and year ranges, sheet counts, retention periods.

Each parser returns the parsed value and, on failure, None so the loader can record a located
issue instead of raising: one bad cell never hides the others.
"""

from __future__ import annotations

import datetime as dt
import math
import re

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
_INT = re.compile(r"\d+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_PERMANENT = ("vinh vien", "permanent", "vv")
#: No box, file or sheet count is this large; bigger numbers are typing errors.
MAX_COUNT = 10**9


def excel_serial_to_date(value: float) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def parse_years(value: object) -> tuple[int | None, int | None]:
    """(first year, last year) of a date cell or range; (None, None) if it names no year.

    Handles dd/mm/yyyy, mm/yyyy, yyyy, "2019-2020", "01/2019 - 12/2019", "Quý I/2019",
    spreadsheet dates and Excel serial numbers.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime | dt.date):
        return value.year, value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or not 0 < value < 100000:
            return None, None
        number = int(value)
        if 1800 <= number <= 2100:
            return number, number
        if 1 <= number <= 80000:  # an Excel serial day number
            year = excel_serial_to_date(number).year
            return year, year
        return None, None
    years = [int(y) for y in _YEAR.findall(str(value))]
    if not years:
        return None, None
    return min(years), max(years)


def parse_count(value: object) -> int | None:
    """A count typed as a number or as text ("12 tờ", "12.0"); None if there is none."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        ok = float(value).is_integer() and 0 <= value <= MAX_COUNT
        return int(value) if ok else None
    text = str(value).strip()
    if re.fullmatch(r"\d{1,9}(?:[.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    match = re.fullmatch(r"(\d{1,9})\s*(?:to|tờ|trang|sheets?|pages?|t)\.?", text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def parse_retention(value: object) -> str | None:
    """"permanent" or a number of years as text ("10"); None if unreadable."""
    from ..textnorm import fold

    if value is None or value == "":
        return None
    text = fold(str(value))
    if any(text == p or text.startswith(p + " ") for p in _PERMANENT):
        return "permanent"
    match = _INT.search(text)
    return match.group(0) if match else None


def cell_text(value: object) -> str:
    """A cell as the text a person would read ("" for empty; 12.0 -> "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
