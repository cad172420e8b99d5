"""``khaudit inventory check``: what the loader sees in a file, before any audit.

An inspector runs it on an office's inventory to fix the source first: which sheet, which header
row, which column became which field, which legacy encoding was converted, how many rows, and
every located issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InventoryFileError
from ..i18n import t
from .issues import InventoryIssue
from .loader import SheetInfo, load_inventory, mark_duplicates


@dataclass
class CheckResult:
    path: Path
    sheets: list[SheetInfo] = field(default_factory=list)
    issues: list[InventoryIssue] = field(default_factory=list)
    records: int = 0
    error: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error") + bool(self.error)


def check_inventory(path: str | Path, overrides: dict[str, str] | None = None) -> CheckResult:
    path = Path(path)
    result = CheckResult(path)
    try:
        rows, result.issues = load_inventory(path, path.name, "", overrides, info=result.sheets)
    except InventoryFileError as exc:
        result.error = str(exc)
        return result
    import pandas as pd

    from .loader import RECORD_FIELDS

    frame = pd.DataFrame(rows, columns=RECORD_FIELDS)
    for col in ("box", "file_no", "year_start", "year_end", "sheets"):
        frame[col] = frame[col].astype("Int64")
    mark_duplicates(frame, result.issues)
    result.records = len(rows)
    return result


def format_check(result: CheckResult) -> str:
    lines = [str(result.path)]
    if result.error:
        return "\n".join([*lines, t("check.unreadable", error=result.error)])
    for sheet in result.sheets:
        name = repr(sheet.name) if sheet.name else "(csv)"
        if sheet.skipped:
            lines.append(t("check.no_header", name=name))
            continue
        where = (
            t("check.continues")
            if sheet.continuation
            else t("check.header_row", row=sheet.header_rows)
        )
        extra = t("check.decoded", encoding=sheet.byte_encoding) if sheet.byte_encoding else ""
        lines.append(
            t(
                "check.sheet",
                name=name,
                where=where,
                rows=sheet.data_rows,
                hidden=sheet.hidden_rows,
                extra=extra,
            )
        )
        lines.append(
            t("check.columns") + "; ".join(f"{h!r} -> {f}" for h, f in sheet.mapping.items())
        )
        if sheet.encodings:
            lines.append(
                t("check.legacy") + ", ".join(f"{f} ({e})" for f, e in sheet.encodings.items())
            )
    errors = [i for i in result.issues if i.severity == "error"]
    notes = [i for i in result.issues if i.severity != "error"]
    lines.append(t("check.totals", records=result.records, errors=len(errors), notes=len(notes)))
    for issue in errors + notes:
        lines.append(f"    {t('check.severity.' + issue.severity)}: {issue}")
    return "\n".join(lines)
