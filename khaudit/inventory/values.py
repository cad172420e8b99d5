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


_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE_TOKEN = re.compile(
    r"(?P<d>\d{1,2})[/.\-](?P<dm>\d{1,2})[/.\-](?P<dy>\d{4})"
    r"|(?P<m>\d{1,2})[/.\-](?P<my>\d{4})"
    r"|(?:quý|quy|q)\.?\s*(?P<q>iv|iii|ii|i|[1-4])\s*[/.\-]?\s*(?:năm\s*)?(?P<qy>\d{4})"
    r"|(?<!\d)(?P<y>\d{4})(?!\d)",
    re.IGNORECASE,
)


def _token_range(m: re.Match[str]) -> tuple[str, str] | None:
    """(start, end) of one date token as ISO text with the precision it was typed in."""
    try:
        if m.group("d"):
            day = dt.date(int(m.group("dy")), int(m.group("dm")), int(m.group("d")))
            return day.isoformat(), day.isoformat()
        if m.group("m"):
            month = dt.date(int(m.group("my")), int(m.group("m")), 1)
            return month.isoformat()[:7], month.isoformat()[:7]
        if m.group("q"):
            quarter = _ROMAN_QUARTER[m.group("q").lower()]
            year = int(m.group("qy"))
            return f"{year}-{3 * quarter - 2:02d}", f"{year}-{3 * quarter:02d}"
        year = int(m.group("y"))
        return (str(year), str(year)) if 1800 <= year <= 2100 else None
    except ValueError:  # 31/02/2019, month 13
        return None


def parse_dates(value: object) -> tuple[str, str] | None:
    """(start, end) as ISO dates with the precision typed: "2019-03-05", "2019-03", "2019".

    Handles every form of :func:`parse_years`; a quarter ("Quý I/2019") spans its months.
    None when the cell names no valid date (an impossible day or month included).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.isoformat(), day.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        start, end = parse_years(value)
        if start is None:
            return None
        if 1800 <= value <= 2100:
            return str(start), str(end)
        serial_day = excel_serial_to_date(value).isoformat()
        return serial_day, serial_day
    tokens = list(_DATE_TOKEN.finditer(str(value)))
    ranges = [_token_range(m) for m in tokens]
    if not ranges or any(r is None for r in ranges):
        return None
    return ranges[0][0], ranges[-1][1]  # type: ignore[index]


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
    """ "permanent" or a number of years as text ("10"); None if unreadable."""
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
