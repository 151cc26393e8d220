"""Healing Together: a relationship reflection workbook for couples.

The public API for notebooks and data-minded users::

    import workbook
    wb = workbook.create("sam-and-alex", "Sam", "Alex")   # or workbook.open("sam-and-alex")
    wb.add_checkin("a", mood=6, trust=5, note="Talked at dinner")
    wb.checkins(partner="a")        # plain records (frozen dataclasses)
    wb.checkins_frame()             # a pandas DataFrame (pandas is optional)
    wb.export_json(); wb.export_csv()
    workbook.import_json(text, "sam-and-alex-copy")
    wb.backup(); workbook.restore_backup(text)   # one file to keep; restored elsewhere

The distribution is ``healing-together``; its version is `__version__`, the one place it is set
(pyproject.toml reads it from here; the start page footer and ``--version`` show it).
"""

__version__ = "0.2.0"

from .domain import (
    CheckIn,
    CSI4Answer,
    Partner,
    Promise,
    Reflection,
    SelfCare,
    StepProgress,
    ValidationError,
)
from .paths import BadName, default_data_dir, list_names
from .privacy import Locked, WrongPassphrase
from .store import (
    DamagedWorkbook,
    NewerWorkbook,
    NotAWorkbook,
    Workbook,
    WorkbookError,
    WorkbookExists,
    WorkbookNotFound,
    create,
    import_json,
    restore_backup,
)
from .store import open_workbook as open

__all__ = [
    "BadName",
    "CSI4Answer",
    "CheckIn",
    "DamagedWorkbook",
    "Locked",
    "NewerWorkbook",
    "NotAWorkbook",
    "Partner",
    "Promise",
    "Reflection",
    "SelfCare",
    "StepProgress",
    "ValidationError",
    "Workbook",
    "WorkbookError",
    "WorkbookExists",
    "WorkbookNotFound",
    "WrongPassphrase",
    "__version__",
    "create",
    "default_data_dir",
    "import_json",
    "list_names",
    "open",
    "restore_backup",
]
