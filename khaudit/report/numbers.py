"""Numbers and dates as a reader of the report's language writes them.

Vietnamese puts a decimal comma and a thousands dot (92,3%; 190.500), English the reverse
(92.3%; 190,500). Reports keep numbers as numbers until the last step and call these to show
them; a blank (None, NaN, pandas' NA) is shown as nothing, never as "None", "nan" or "<NA>".
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

#: (decimal mark, thousands separator) per language.
MARKS = {"vi": (",", "."), "en": (".", ",")}

#: Text a table cell holds where a value was missing (pandas and Python spell it many ways).
BLANK_TEXTS = frozenset({"nan", "NaN", "None", "<NA>", "NaT", "null"})


def is_blank(value: Any) -> bool:
    """None, NaN, NaT, pandas' NA, an empty string or one of :data:`BLANK_TEXTS`."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == "" or value.strip() in BLANK_TEXTS
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pandas' NA refuses to be a truth value
        return True


def as_number(value: Any) -> float | None:
    """A number from a value or its text ("302", "0.923"), or None when it holds none."""
    if is_blank(value) or is_truth(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def is_truth(value: Any) -> bool:
    """A truth value, Python's or numpy's: never read as the number 1 or 0."""
    return isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b"


def number(value: float, lang: str = "vi", digits: int = 0, sign: bool = False) -> str:
    """``value`` with ``digits`` decimals and the language's marks ("190.500", "12,50")."""
    decimal_mark, thousands = MARKS.get(lang, MARKS["en"])
    text = f"{value:{'+' if sign else ''},.{digits}f}"
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)


def integer(value: Any, lang: str = "vi", sign: bool = False) -> str:
    """A count ("190.500" in Vietnamese); blank stays blank."""
    n = as_number(value)
    return "" if n is None else number(round(n), lang, sign=sign)


def decimal(value: Any, lang: str = "vi", digits: int = 2) -> str:
    """A measure with ``digits`` decimals ("0,87"); blank stays blank."""
    n = as_number(value)
    return "" if n is None else number(n, lang, digits)


def percent(share: Any, lang: str = "vi", digits: int = 1) -> str:
    """A share in 0-1 as a percentage ("92,3%"); blank stays blank."""
    n = as_number(share)
    return "" if n is None else number(100 * n, lang, digits) + "%"


def plain(value: Any) -> str:
    """An identifier that happens to be a number (a row, a box, a year): digits only, no
    separators, no ".0"; blank stays blank."""
    n = as_number(value)
    if n is None:
        return "" if is_blank(value) else str(value)
    return str(int(n)) if n.is_integer() else str(value)


def to_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or ISO text; None when it holds none."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def date_text(value: Any, lang: str = "vi") -> str:
    """A date as dd/mm/yyyy (Vietnamese) or yyyy-mm-dd (English); other text as it is."""
    day = to_date(value)
    if day is None:
        return "" if is_blank(value) else str(value)
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def to_moment(value: Any) -> dt.datetime | None:
    """A moment from a datetime or ISO text ("2026-11-30T19:44:24Z"), in UTC and without a
    zone (a workbook cell holds none); None when it holds none."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def moment_text(value: Any, lang: str = "vi") -> str:
    """A moment as "30/11/2026 19:44:24" (Vietnamese) or "2026-11-30 19:44:24" (English);
    other text as it is."""
    moment = to_moment(value)
    if moment is None:
        return "" if is_blank(value) else str(value)
    return moment.strftime("%d/%m/%Y %H:%M:%S" if lang == "vi" else "%Y-%m-%d %H:%M:%S")
