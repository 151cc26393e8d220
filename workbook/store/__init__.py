"""The store: one SQLite file per couple.

WAL journal, every write in a ``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL`` (a saved
entry survives a crash or power loss), a schema version in ``PRAGMA user_version`` with forward
migrations, and an ``application_id`` that marks the file as a workbook. A file is checked
read-only before anything is written to it: a damaged file, a file from a newer version of the
app, or a file that is not a workbook raises a clear error and is never modified. A copy is
kept before any migration.

Private text (private reflections, private check-in notes) is sealed with the author's key
(`workbook.privacy`); the file alone does not reveal it.

The modules, by concern: `schema` (the file: schema, migrations, checks, backups, transactions,
the crash-safe create), `records` (one generic way to read and write records, and the couple),
`journal` (check-ins and reflections, which may be private), `ledger` (promises, progress,
CSI-4, self-care), `keyring` (passphrases, sealing, sittings), `exchange` (JSON, CSV, plain
records, DataFrames), `keep` (backups and imported check-ins) and `book` (the `Workbook` and
opening one). Import from here.
"""

from .book import Workbook, create, import_json, open_workbook, restore_backup
from .errors import (
    CannotSave,
    DamagedWorkbook,
    NewerWorkbook,
    NotAWorkbook,
    StaleEntry,
    WorkbookError,
    WorkbookExists,
    WorkbookNotFound,
)
from .exchange import _FORMULA_START, checkins_csv, csv_cell
from .keep import BackupSummary, backup_filename, read_backup
from .keyring import QUIET_SECONDS
from .ledger import CSI4_EVERY_DAYS
from .schema import APP_ID, EXPORT_FORMAT, MIGRATIONS, SCHEMA_VERSION, SQLITE_HEADER

__all__ = [
    "APP_ID",
    "CSI4_EVERY_DAYS",
    "EXPORT_FORMAT",
    "MIGRATIONS",
    "QUIET_SECONDS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "_FORMULA_START",
    "BackupSummary",
    "CannotSave",
    "DamagedWorkbook",
    "NewerWorkbook",
    "NotAWorkbook",
    "StaleEntry",
    "Workbook",
    "WorkbookError",
    "WorkbookExists",
    "WorkbookNotFound",
    "backup_filename",
    "checkins_csv",
    "create",
    "csv_cell",
    "import_json",
    "open_workbook",
    "read_backup",
    "restore_backup",
]
