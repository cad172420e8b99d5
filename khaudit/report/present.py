"""Run tables as a person reads them: each column's kind, its values shown or stored by kind.

The run's tables hold codes, numbers and blanks; a report shows words, numbers written the
reader's way and nothing where a value is missing. The kind of a column is known from its
name in the run contract, so the HTML page, the PDF and the workbook agree: a share is a
percentage everywhere (text "92,3%" on a page, 0.923 with a % format in a workbook), a row,
box or year number is never written "2.019".
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import pandas as pd

from ..contract import is_true
from ..i18n import catalogue, t
from . import numbers as N

#: Column kinds, by the column's name in the run contract.
KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("percent", "completion", "tthc_completion", "quality_share", "share"), "percent"
    ),
    **dict.fromkeys(
        (
            "source_row",
            "box",
            "file_no",
            "year_start",
            "year_end",
            "candidate_rank",
            "stt",
            "runs",
            "dpi",
            "key",
            "rank",
        ),
        "plain",
    ),
    **dict.fromkeys(
        (
            "size",
            "pages",
            "sheets",
            "count",
            "records",
            "unique_records",
            "digitized",
            "missing",
            "remaining",
            "tthc_records",
            "tthc_digitized",
            "tthc_remaining",
            "pages_expected",
            "pages_scanned",
            "pages_to_scan",
            "files",
            "changes",
            "budget",
        ),
        "count",
    ),
    **dict.fromkeys(("candidate_score", "match_score", "pace", "working_days"), "decimal"),
    **dict.fromkeys(("days_vs_deadline",), "days"),
    **dict.fromkeys(("as_of", "forecast", "earliest", "latest", "deadline"), "date"),
    **dict.fromkeys(("scanned_at",), "moment"),
    **dict.fromkeys(("tthc", "hidden", "pdfa", "will_miss_deadline", "excluded_flag"), "bool"),
}

#: Kinds stored as numbers in a workbook ("days": days ahead of a deadline, behind it if negative).
NUMERIC_KINDS = ("percent", "count", "decimal", "days", "plain")

#: Columns that hold codes, and the catalogue prefix that turns a code into words.
CODES: dict[str, str] = {
    "problem": "issue.problem.",
    "severity": "check.severity.",
    "status": "status.",
    "format": "format.",  # "empty", "unknown": no file format; "pdf", "tiff" are shown as they are
    "color_mode": "color_mode.",  # Pillow's mode names ("1", "L", "RGB"): the CSV keeps them
    "zoning_basis": "zoning.basis.",  # why a record goes to its receiver: "unresolved", "place"
}


def kind_of(column: str, lang: str = "vi") -> str:
    """The kind of a column named as in the run contract or by its heading in ``lang``."""
    if column in KINDS:
        return KINDS[column]
    return _by_heading(lang).get(column, "text")


@cache
def _by_heading(lang: str) -> dict[str, str]:
    """Kinds by heading in ``lang``; a status's name heads a column of counts (the province
    table counts each locality's records per status). Made once per language: every table
    asks it for each of its columns."""
    known = catalogue(lang)
    statuses = {known[k]: "count" for k in known if k.startswith("status.")}
    return {**statuses, **{known[f"col.{c}"]: k for c, k in KINDS.items() if f"col.{c}" in known}}


def code_text(column: str, value: Any, lang: str = "vi") -> str:
    """A code in the reader's words ("duplicate_row" -> "Dòng lặp lại"); unknown codes and
    text that is not a code are shown as they are."""
    if N.is_blank(value):
        return ""
    key = f"{CODES[column]}{value}"
    return t(key, lang) if key in catalogue(lang) or key in catalogue("vi") else str(value)


def against_deadline(days: Any, lang: str = "vi") -> str:
    """Days between a forecast and the deadline in words: "sớm 12 ngày" (the forecast is 12
    days before it), "đúng hạn", "trễ 3 ngày"; blank when ``days`` holds no number."""
    n = N.as_number(days)
    if n is None:
        return ""
    whole = round(n)
    if whole == 0:
        return t("report.on_deadline", lang)
    way = "early" if whole > 0 else "late"
    if abs(whole) == 1:
        return t(f"report.days_{way}_one", lang)
    return t(f"report.days_{way}", lang, n=N.integer(abs(whole), lang))


def shown(value: Any, kind: str, lang: str = "vi") -> str:
    """One value of a column of ``kind`` as text for a person."""
    if N.is_blank(value):
        return ""
    if isinstance(value, str) and kind not in ("date", "moment") and N.as_number(value) is None:
        return value  # words in a column of numbers ("Chưa đủ dữ liệu"), or already shown
    if kind == "percent":
        return N.percent(value, lang)
    if kind == "count":
        return N.integer(value, lang) or str(value)
    if kind == "decimal":
        return N.decimal(value, lang) or str(value)
    if kind == "days":
        return against_deadline(value, lang) or str(value)
    if kind == "plain":
        return N.plain(value)
    if kind == "date":
        return N.date_text(value, lang)
    if kind == "moment":
        return N.moment_text(value, lang)
    if kind == "bool" or isinstance(value, bool):
        truth = value if isinstance(value, bool) else is_true(value)
        return t("report.yes" if truth else "report.no", lang)
    if isinstance(value, float):
        return N.decimal(value, lang)
    if isinstance(value, int):
        return N.integer(value, lang)
    return str(value)


def for_people(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """``frame`` with every cell as text for a person: numbers written the reader's way,
    blanks empty. Column names are kept (contract names or headings)."""
    out = {}
    for column in frame.columns:
        out[column] = shown_column(frame[column].tolist(), kind_of(str(column), lang), lang)
    return pd.DataFrame(out, columns=frame.columns, index=frame.index)


def shown_column(values: list[Any], kind: str, lang: str = "vi") -> list[str]:
    """:func:`shown` for each of ``values``: a text column's words are shown as they are
    without testing each for a number first (most cells of a page's tables are such)."""
    if kind != "text":
        return [shown(v, kind, lang) for v in values]
    out = []
    for v in values:
        if type(v) is str:
            bare = v.strip()
            out.append("" if not bare or bare in N.BLANK_TEXTS else v)
        else:
            out.append(shown(v, kind, lang))
    return out


def stored(value: Any, kind: str) -> Any:
    """A value as a workbook should hold it: a number for a numeric kind when it holds one
    (text "302" included), a date for a date, None for a blank, text otherwise."""
    if N.is_blank(value):
        return None
    if kind in NUMERIC_KINDS:
        number = N.as_number(value)
        if number is not None:
            return int(number) if number.is_integer() and kind != "percent" else number
        return str(value)
    if kind == "date":
        return N.to_date(value) or str(value)
    if kind == "moment":
        return N.to_moment(value) or str(value)
    if kind == "bool" and not isinstance(value, bool):
        return is_true(value)
    if hasattr(value, "item") and not isinstance(value, str):  # a numpy scalar
        return value.item()
    return value


#: Rows from which a column is converted at once (below, pandas' set-up costs more than it saves).
COLUMN_AT_ONCE = 100


def stored_column(values: pd.Series, kind: str) -> list[Any]:
    """:func:`stored` for a whole column at once (a workbook's sheet of every record holds tens
    of thousands of cells): the same values, with the blank and number tests done by pandas
    over the column instead of once per cell."""
    if len(values) < COLUMN_AT_ONCE or (kind not in NUMERIC_KINDS and kind != "text"):
        return [stored(v, kind) for v in values.tolist()]
    if kind in NUMERIC_KINDS and _numbers_only(values):
        return _stored_numbers(values, kind)
    raw = values.tolist()
    text = values.astype("string").str.strip()
    blank = (values.isna() | text.isna() | text.isin(["", *N.BLANK_TEXTS])).tolist()
    if kind == "text":
        return [
            None if b else (v.item() if hasattr(v, "item") and not isinstance(v, str) else v)
            for v, b in zip(raw, blank, strict=True)
        ]
    parsed = pd.to_numeric(text.where(~values.map(N.is_truth).astype(bool)), errors="coerce")
    numbers = parsed.to_numpy(dtype=float, na_value=math.nan).tolist()
    out: list[Any] = []
    for v, b, n in zip(raw, blank, numbers, strict=True):
        if b:
            out.append(None)
        elif not math.isfinite(n):
            out.append(str(v))
        elif kind != "percent" and float(n).is_integer():
            out.append(int(n))
        else:
            out.append(float(n))
    return out


def _numbers_only(values: pd.Series) -> bool:
    """Whether a column holds numbers and blanks only (integers, floats, pandas' nullable
    integers), not text, truth values or objects."""
    dtype = values.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _stored_numbers(values: pd.Series, kind: str) -> list[Any]:
    """:func:`stored_column` of a column of numbers: blanks (NaN, NA) as None, whole numbers
    as int except in a share, infinities as their text (as :func:`stored` leaves them)."""
    numbers = values.to_numpy(dtype=float, na_value=math.nan).tolist()
    whole = kind != "percent"
    out: list[Any] = []
    for n in numbers:
        if n != n:
            out.append(None)
        elif not math.isfinite(n):
            out.append(str(n))
        elif whole and n.is_integer():
            out.append(int(n))
        else:
            out.append(n)
    return out
