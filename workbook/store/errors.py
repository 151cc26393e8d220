"""What can go wrong with a workbook file or an entry; each message says what to do."""

from __future__ import annotations

from ..domain import ValidationError
from ..i18n import N_
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
DISK_FULL = N_(
    "Nothing was saved: the disk of the computer that runs the app is full. What you typed is "
    "still here; ask the person who runs the app to free some space, then press Save again."
)
READ_ONLY = N_(
    "Nothing was saved: the workbook file cannot be written to (it is read-only). What you "
    "typed is still here; ask the person who runs the app to make the file writable, then "
    "press Save again."
)
DISK_ERROR = N_(
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
DAMAGED = N_("(This private entry is damaged and cannot be opened. Your other entries are safe.)")

STALE = N_(
    "This entry was changed on another page or device since this page showed it. The page "
    "now shows the latest; nothing was changed."
)
#: An entry deleted on another page or device since this page showed it.
GONE = N_("That entry is no longer there. Nothing was changed.")

# What opening, checking or creating a workbook file says (`schema`, `book`); `file` is the
# file's name, `why` what SQLite said.
NO_WORKBOOK_AT = N_("There is no workbook at %(file)s.")
NOT_A_FILE = N_("%(file)s is not a file.")
NOT_SQLITE = N_(
    "%(file)s is not a Healing Together workbook (it is not a SQLite file). It was left untouched."
)
CANNOT_OPEN = N_("%(file)s cannot be opened (%(why)s). It was left untouched.")
NOT_OURS = N_("%(file)s is a database, but not a Healing Together workbook. It was left untouched.")
NEWER = N_(
    "%(file)s was saved by a newer version of Healing Together (format %(version)d; this "
    "version reads up to %(newest)d). Update the app to open it. The file was left untouched."
)
DAMAGED_FILE = N_(
    "%(file)s is damaged (%(why)s). It was left untouched; restore it from a backup copy if "
    "you have one."
)
UNREADABLE = N_(
    "%(file)s is damaged and cannot be read (%(why)s). It was left untouched; restore it "
    "from a backup copy if you have one."
)
NO_WAL = N_("%(file)s: the folder does not support WAL (%(mode)s).")
BUSY = N_("The workbook is busy (another page is saving). Nothing was saved; please try again.")
UNFINISHED = N_("The new workbook could not be finished; nothing was created.")
DIFFERENT_NAMES = N_("Give the two partners different names, so entries can be told apart.")
EXISTS_OPEN = N_("A workbook called %(name)s already exists. Open it instead.")
EXISTS_CHOOSE = N_("A workbook called %(name)s already exists. Choose another name.")
