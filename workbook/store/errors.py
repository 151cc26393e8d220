"""What can go wrong with a workbook file or an entry; each message says what to do."""

from __future__ import annotations

from ..domain import ValidationError
from ..validation import Message


class WorkbookError(Message):
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


class CannotSave(WorkbookError):
    """The file cannot be written (a full disk, a read-only file); nothing was saved."""


#: What a page says when its save did not reach the file. The typed text stays in the form, so
#: the message never asks for a reload (which would lose it).
DISK_FULL = (
    "Nothing was saved: the disk of the computer that runs the app is full. What you typed is "
    "still here; ask the person who runs the app to free some space, then press Save again."
)
READ_ONLY = (
    "Nothing was saved: the workbook file cannot be written to (it is read-only). What you "
    "typed is still here; ask the person who runs the app to make the file writable, then "
    "press Save again."
)
DISK_ERROR = (
    "Nothing was saved: the computer that runs the app could not write to its disk. What you "
    "typed is still here; press Save again in a moment, and if it keeps happening, copy your "
    "text somewhere safe and tell the person who runs the app."
)


def cannot_save(err: BaseException) -> CannotSave | None:
    """The clear error for an SQLite failure to write (full, read-only, I/O), or None."""
    text = str(err).lower()
    if "full" in text:
        return CannotSave(DISK_FULL)
    if "readonly" in text or "read-only" in text or "read only" in text:
        return CannotSave(READ_ONLY)
    if "disk i/o" in text:
        return CannotSave(DISK_ERROR)
    return None


#: The text shown for a private entry whose sealed text does not open (damaged in the file or
#: in an imported export); the author's other entries are shown as usual.
DAMAGED = "(This private entry is damaged and cannot be opened. Your other entries are safe.)"

STALE = (
    "This entry was changed on another page or device since this page showed it. The page "
    "now shows the latest; nothing was changed."
)
