"""``khaudit history`` as a person reads it: the audits one per line, then the forecast table,
with headings, numbers, dates and notes in the terminal's language and no blank markers
("None", "NaN") where a figure does not exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .i18n import language, t

#: Forecast columns shown, each with the catalogue key of its heading.
COLUMNS = (
    ("locality", "col.locality"),
    ("completion", "report.completion"),
    ("pace", "report.pace"),
    ("forecast", "report.forecast_date"),
    ("earliest", "history.earliest"),
    ("latest", "history.latest"),
    ("days_vs_deadline", "history.days_vs_deadline"),
    ("pages_to_scan", "report.pages_to_scan"),
    ("working_days", "report.working_days"),
    ("budget", "report.budget"),
    ("note", "col.note"),
)


def _blank(value: Any) -> bool:
    return value is None or value != value  # NaN and NaT are not equal to themselves


def number(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """``value`` with the language's separators: 190.500 and 92,3 in Vietnamese."""
    text = f"{value:,.{decimals}f}"
    if (lang or language()) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float, lang: str | None = None) -> str:
    return number(100 * share, 1, lang) + "%"


def date(value: Any, lang: str | None = None) -> str:
    """A date as the language writes it (dd/mm/yyyy in Vietnamese, ISO otherwise)."""
    if _blank(value):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y") if (lang or language()) == "vi" else value.isoformat()


def _cell(column: str, value: Any) -> str:
    if column == "note":
        return t(f"forecast.{value}") if value else ""
    if _blank(value):
        return ""
    if column == "completion":
        return percent(value)
    if column == "pace":
        return t("cli.per_day", pace=number(value, 2))
    if column in ("forecast", "earliest", "latest"):
        return date(value)
    if column == "days_vs_deadline":  # in words, as the reports write it: "sớm 1 ngày"
        from .report.present import against_deadline

        return against_deadline(value, language())
    if column in ("working_days", "budget", "pages_to_scan"):
        return number(value, 1 if column == "working_days" else 0)
    return str(value)


def forecast_text(table: Any) -> str:
    """The forecast table as aligned text, headings translated."""
    headings = [t(key) for _, key in COLUMNS]
    rows = [[_cell(c, row.get(c)) for c, _ in COLUMNS] for row in table.to_dict("records")]
    return aligned([headings, *rows], right=set(range(1, len(COLUMNS) - 1)))


def aligned(rows: list[list[str]], right: Iterable[int] = ()) -> str:
    """Rows as columns padded to their widest cell (numbers to the right)."""
    right = set(right)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def history_line(entry: Any) -> str:
    """One audit of the history: date, run, records digitized and the share."""
    done = sum(s["digitized"] for s in entry.localities.values())
    total = sum(s["records"] for s in entry.localities.values())
    mark = t("cli.history_excluded", reason=entry.excluded) if entry.excluded else ""
    return t(
        "cli.history_line",
        as_of=date(entry.as_of),
        run_id=entry.run_id,
        done=number(done),
        total=number(total),
        share=percent(done / total if total else 0.0),
        mark=mark,
    )
