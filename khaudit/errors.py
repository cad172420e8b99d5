"""Exceptions that tell the user where a problem is and what to do about it.

Modelled on bagit-python's ``BagValidationError``: an error carries located details
(file, sheet, row, column) so the CLI can print every problem at once instead of a traceback.
"""

from __future__ import annotations


class KhauditError(Exception):
    """Base of every error khaudit reports to a user as a message rather than a traceback."""


class ProjectError(KhauditError):
    """The project file is wrong: the message names the key and the fix."""


class InventoryFileError(KhauditError):
    """An inventory file cannot be read at all (the other files still load)."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        text = f"{path}: {reason}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)
