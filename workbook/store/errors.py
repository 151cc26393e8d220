"""What can go wrong with a workbook file or an entry; each message says what to do."""

from __future__ import annotations

from ..domain import ValidationError


class WorkbookError(Exception):
    """A workbook file cannot be used; the message says why and what to do."""


class NotAWorkbook(WorkbookError):
    """The file is not a Healing Together workbook."""


class DamagedWorkbook(WorkbookError):
    """The file is a workbook but is damaged."""


class NewerWorkbook(WorkbookError):
    """The file was written by a newer version of the app."""


class StaleEntry(ValidationError):
    """An entry changed (or went) since the page showed it; nothing was changed."""


class WorkbookNotFound(WorkbookError):
    """No workbook by that name or path."""


class WorkbookExists(WorkbookError):
    """A workbook by that name already exists."""


STALE = (
    "This entry was changed on another page or device since this page showed it. The page "
    "now shows the latest; nothing was changed."
)
