"""Exceptions that tell the user where a problem is and what to do about it.

Modelled on bagit-python's ``BagValidationError``: an error carries located details
(file, sheet, row, column) so the CLI can print every problem at once instead of a traceback.
"""

from __future__ import annotations


class KhauditError(Exception):
    """Base of every error khaudit reports to a user as a message rather than a traceback."""


class ProjectError(KhauditError):
    """The project file is wrong: one line per problem, each naming the key and the fix."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or [message]
        super().__init__(message)

    @classmethod
    def listing(cls, problems: list[str]) -> ProjectError:
        """Every problem found at once (a file is fixed in one pass, not one error a run)."""
        return cls("\n".join(problems), problems)


class InventoryFileError(KhauditError):
    """An inventory or sidecar file cannot be read (the other files still load).

    ``sheet``, ``row`` (1-based) and ``column`` (a spreadsheet letter or a heading) say where,
    when the problem is at one place in the file (a cell too long, a row too wide).
    """

    def __init__(
        self,
        path: str,
        reason: str,
        hint: str = "",
        sheet: str = "",
        row: int | None = None,
        column: str = "",
    ) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        self.sheet = sheet
        self.row = row
        self.column = column
        from .i18n import t

        where = ", ".join(
            p
            for p in (
                path,
                sheet and t("issue.sheet", sheet=sheet),
                row and t("issue.row", row=row),
                column and t("issue.column", column=column),
            )
            if p
        )
        text = f"{where}: {reason}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)
