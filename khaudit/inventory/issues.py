"""Row-level inventory problems, collected (never raised) and located for the inspector."""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: Columns of DIR/inventory_issues.csv (part of the run contract).
ISSUE_COLUMNS = [
    "locality", "source_file", "source_sheet", "source_row", "column", "field", "value",
    "problem", "expected", "severity",
]

#: problem code -> what was expected, in words an inspector can act on.
EXPECTED = {
    "file_unreadable": "an xlsx, xls, ods or csv file that opens",
    "no_header": "a header row naming at least the title column (Tiêu đề hồ sơ)",
    "no_title": "a title (Tiêu đề hồ sơ) for every file",
    "unreadable_date": "a date or year such as 05/2019, 2019 or 2019-2020",
    "end_before_start": "an end date on or after the start date",
    "sheets_not_number": "a whole number of sheets, e.g. 12",
    "box_not_number": "a whole box number, e.g. 12",
    "file_no_not_number": "a whole file number, e.g. 45",
    "duplicate_code": "each record code once per locality",
    "duplicate_row": "each file listed once (this row repeats an earlier one)",
    "hidden_row": "a visible row (hidden in the spreadsheet; read and counted anyway)",
    "hidden_column": "a visible column (hidden in the spreadsheet; read anyway)",
}


@dataclass
class InventoryIssue:
    locality: str
    source_file: str
    source_sheet: str
    source_row: int | None
    column: str
    field: str
    value: str
    problem: str
    severity: str = "error"  # "error" needs fixing in the source; "info" is a note

    @property
    def expected(self) -> str:
        return EXPECTED.get(self.problem, "")

    def as_row(self) -> dict[str, object]:
        row = asdict(self)
        row["expected"] = self.expected
        return {c: row[c] for c in ISSUE_COLUMNS}

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.source_file, self.source_sheet and f"sheet {self.source_sheet!r}",
                        self.source_row and f"row {self.source_row}",
                        self.column and f"column {self.column!r}") if p
        )
        return f"{where}: {self.problem} (value {self.value!r}; expected {self.expected})"
