"""The workbook file: schema and migrations, checks before any write, backups, transactions.

A file is checked read-only before anything is written to it (`check_file`): a damaged file, a
file from a newer version of the app, or a file that is not a workbook raises a clear error and
is never modified. A copy is kept before any migration (`backup`). Every connection runs in WAL
mode with ``synchronous=FULL`` and ``secure_delete`` (`connect`), and every write is one
``BEGIN IMMEDIATE`` transaction (`write`). A new file is built beside its final name and linked
into place (`build_new`), so a crash never leaves half a workbook.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ..domain import Partner, ValidationError, now, partner_name, same_name
from .errors import (
    BUSY,
    CANNOT_OPEN,
    DAMAGED_FILE,
    DIFFERENT_NAMES,
    EXISTS_OPEN,
    NEWER,
    NO_WAL,
    NO_WORKBOOK_AT,
    NOT_A_FILE,
    NOT_OURS,
    NOT_SQLITE,
    UNFINISHED,
    UNREADABLE,
    DamagedWorkbook,
    NewerWorkbook,
    NotAWorkbook,
    WorkbookError,
    WorkbookExists,
    WorkbookNotFound,
    cannot_save,
)
from .migrations import MIGRATIONS

APP_ID = 0x48547762  # "HTwb": marks a SQLite file as a Healing Together workbook.
SCHEMA_VERSION = 8
EXPORT_FORMAT = "healing-together-workbook"
SQLITE_HEADER = b"SQLite format 3\x00"
#: Suffix of a workbook being built by `build_new` (hidden, never listed or opened by name).
_BUILDING = ".building"
#: A build this old was interrupted (a build takes well under a second).
_STALE_BUILD = 600.0

assert len(MIGRATIONS) == SCHEMA_VERSION
#: Deletes step 8's progress rows (every schema version has the progress table).
_UNTRACE_STEP_8 = "DELETE FROM progress WHERE step = 8"


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def sidecars(path: Path) -> list[Path]:
    """The files SQLite may keep beside a database: its -wal, -shm and -journal."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def check_file(path: Path) -> int:
    """Validate a workbook file read-only and return its schema version. Never writes."""
    if not path.exists():
        raise WorkbookNotFound(NO_WORKBOOK_AT, file=path.name)
    if not path.is_file():
        raise NotAWorkbook(NOT_A_FILE, file=path.name)
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotAWorkbook(NOT_SQLITE, file=path.name)
    # With no -wal, -shm or -journal beside it, the file alone is the whole database: open it
    # as immutable, so that checking a WAL-mode file does not leave new -wal/-shm files behind.
    quiet = not any(side.exists() for side in sidecars(path))
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if quiet else "")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as err:
        raise DamagedWorkbook(CANNOT_OPEN, file=path.name, why=str(err)) from err
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APP_ID:
            raise NotAWorkbook(NOT_OURS, file=path.name)
        if version > SCHEMA_VERSION:
            raise NewerWorkbook(NEWER, file=path.name, version=version, newest=SCHEMA_VERSION)
        result = con.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DamagedWorkbook(DAMAGED_FILE, file=path.name, why=str(result[0][0]))
    except sqlite3.DatabaseError as err:
        raise DamagedWorkbook(UNREADABLE, file=path.name, why=str(err)) from err
    finally:
        con.close()
    return int(version)


def backup(path: Path, version: int) -> Path:
    """Copy a workbook (consistently, through SQLite) before it is migrated."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.backup")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.v{version}-{stamp}-{n}.backup")
        n += 1
    create_private_file(target)
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # The copy keeps everything the couple wrote, but not step 8's marks from older
        # versions: they must leave no trace anywhere, a backup included.
        dst.execute("PRAGMA secure_delete = ON")
        dst.execute(_UNTRACE_STEP_8)
        dst.commit()
    finally:
        dst.close()
        src.close()
    return target


def connect(path: Path, version: int | None = None) -> tuple[sqlite3.Connection, Path | None]:
    """Open a workbook file for reading and writing, bringing its schema up to date.

    The file is checked first (unless `version` says what an empty new file holds); returns
    the connection and the backup copied before a migration (None when there was none).
    """
    version = check_file(path) if version is None else version
    backup_path: Path | None = None
    if version < SCHEMA_VERSION and version > 0:
        backup_path = backup(path, version)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 30000")
    mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":  # pragma: no cover - only on filesystems without shared memory
        raise WorkbookError(NO_WAL, file=path.name, mode=str(mode))
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    # Deleted rows (an ended sitting, a deleted entry) are overwritten, not left in free pages.
    con.execute("PRAGMA secure_delete = ON")
    if version < SCHEMA_VERSION:
        _migrate(con, version)
        # What a migration deleted (step 8's old marks) must not stay readable in the WAL
        # or in the main file's old pages: copy it all in and empty the WAL.
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return con, backup_path


@contextlib.contextmanager
def write(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction taken with BEGIN IMMEDIATE, retried while another writer holds it.

    A full disk or a read-only file raises `CannotSave` with a message saying exactly that.
    """
    delay = 0.01
    for attempt in range(50):
        try:
            con.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as err:
            if (plain := cannot_save(err)) is not None:
                raise plain from err
            if ("locked" not in str(err) and "busy" not in str(err)) or attempt == 49:
                raise WorkbookError(BUSY) from err
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        yield con
        con.execute("COMMIT")
    except BaseException as err:
        if con.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                con.execute("ROLLBACK")
        if isinstance(err, sqlite3.OperationalError) and (plain := cannot_save(err)):
            raise plain from err
        raise


def _migrate(con: sqlite3.Connection, version: int) -> None:
    with write(con):
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step].split(";"):
                add = re.match(r"\s*ALTER TABLE (\w+) ADD COLUMN (\w+)", statement, re.I)
                if add and add[2] in {r[1] for r in con.execute(f"PRAGMA table_info({add[1]})")}:
                    continue  # there already (a file marked older than it is): like IF NOT EXISTS
                if statement.strip():
                    con.execute(statement)
        con.execute(f"PRAGMA application_id = {APP_ID}")
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def build_new(path: Path, name: str, partner_a: str, partner_b: str) -> None:
    """Build the workbook in a hidden file beside `path`, then link it into place.

    A crash (or a kill) at any moment leaves either no workbook of that name or a complete
    one: never a half-made file that neither opens nor lets the name be created again.
    """
    a = Partner(id="a", name=partner_name(partner_a))
    b = Partner(id="b", name=partner_name(partner_b))
    if same_name(a.name, b.name):
        raise ValidationError(DIFFERENT_NAMES)
    _remove_stale_builds(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_BUILDING}")
    create_private_file(tmp)
    try:
        con, _ = connect(tmp, 0)
        try:
            with write(con):
                con.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("name", name), ("created", now().isoformat()), ("app", EXPORT_FORMAT)],
                )
                con.executemany(
                    "INSERT INTO partners (id, name) VALUES (?, ?)",
                    [("a", a.name), ("b", b.name)],
                )
            # Everything into the one file; closing the last connection then removes the
            # -wal and -shm, and the file stays in WAL mode (no conversion when it is opened).
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        if any(side.exists() for side in sidecars(tmp)):
            raise WorkbookError(UNFINISHED)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic, and never replaces a workbook made meanwhile
        except FileExistsError:
            raise WorkbookExists(EXISTS_OPEN, name=repr(name)) from None
        _fsync_folder(path.parent)
    finally:
        for leftover in (tmp, *sidecars(tmp)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _remove_stale_builds(path: Path) -> None:
    """Delete what interrupted builds of this workbook left behind (never a finished one)."""
    cutoff = time.time() - _STALE_BUILD
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*{_BUILDING}*"):
        with contextlib.suppress(OSError):
            if leftover.lstat().st_mtime < cutoff:
                leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    """Make a new name in `folder` survive a power cut (POSIX; a no-op elsewhere)."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
