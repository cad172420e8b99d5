"""Row-level inventory problems, collected (never raised) and located for the inspector."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..i18n import t

#: Columns of DIR/inventory_issues.csv (part of the run contract).
ISSUE_COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "column",
    "field",
    "value",
    "problem",
    "expected",
    "severity",
]

#: Problem codes; what each expects is in the locale catalogues ("issue.expected.<code>").
PROBLEMS = (
    "file_unreadable",
    "no_header",
    "no_title",
    "unreadable_date",
    "end_before_start",
    "sheets_not_number",
    "box_not_number",
    "file_no_not_number",
    "duplicate_code",
    "duplicate_row",
    "hidden_row",
    "hidden_column",
    "nul_byte",
    "cell_too_long",
    "cell_at_limit",
    "column_by_content",
    "year_from_context",
    "box_from_section",
    "title_continued",
)


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

    def expected(self, lang: str | None = None) -> str:
        """What the inspector should find in the source instead, in words they can act on."""
        return t(f"issue.expected.{self.problem}", lang) if self.problem in PROBLEMS else ""

    def as_row(self, lang: str | None = None) -> dict[str, object]:
        row = asdict(self)
        row["expected"] = self.expected(lang)
        return {c: row[c] for c in ISSUE_COLUMNS}

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (
                self.source_file,
                self.source_sheet and t("issue.sheet", sheet=self.source_sheet),
                self.source_row and t("issue.row", row=self.source_row),
                self.column and t("issue.column", column=self.column),
            )
            if p
        )
        return t(
            "issue.line",
            where=where,
            problem=self.problem,
            value=self.value,
            expected=self.expected(),
        )
