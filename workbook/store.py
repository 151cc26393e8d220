"""The store: one SQLite file per couple.

WAL journal, every write in a ``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL`` (a saved
entry survives a crash or power loss), a schema version in ``PRAGMA user_version`` with forward
migrations, and an ``application_id`` that marks the file as a workbook. A file is checked
read-only before anything is written to it: a damaged file, a file from a newer version of the
app, or a file that is not a workbook raises a clear error and is never modified. A copy is
kept before any migration.

Private text (private reflections, private check-in notes) is sealed with the author's key
(`workbook.privacy`); the file alone does not reveal it.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import glob
import io
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import privacy
from .domain import (
    PARTNER_IDS,
    CheckIn,
    CSI4Answer,
    Partner,
    PartnerId,
    Promise,
    PromiseStatus,
    Reflection,
    SelfCare,
    StepProgress,
    ValidationError,
    Visibility,
    check_partner,
    now,
    partner_name,
    same_name,
)
from .paths import default_data_dir, ensure_private_dir, path_for

APP_ID = 0x48547762  # "HTwb": marks a SQLite file as a Healing Together workbook.
SCHEMA_VERSION = 3
#: A sitting (one unlock carried from page to page) ends after this long without use.
QUIET_SECONDS = 15 * 60
EXPORT_FORMAT = "healing-together-workbook"
#: The satisfaction check is answered at most once in this many days.
CSI4_EVERY_DAYS = 7
#: The tables of entries a partner writes (and may correct or delete).
_OWNED_TABLES = frozenset({"checkins", "reflections", "promises", "selfcare"})
_STALE = (
    "This entry was changed on another page or device since this page showed it. The page "
    "now shows the latest; nothing was changed."
)
SQLITE_HEADER = b"SQLite format 3\x00"


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


# Each entry takes the schema from version i to version i + 1. Never edit a released step:
# add a new one, so files written by any earlier version can be brought forward.
MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE partners (
        id TEXT PRIMARY KEY CHECK (id IN ('a', 'b')),
        name TEXT NOT NULL,
        key_salt BLOB, key_n INTEGER, key_check BLOB
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        at TEXT NOT NULL,
        mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 10),
        trust INTEGER NOT NULL CHECK (trust BETWEEN 1 AND 10),
        note TEXT NOT NULL DEFAULT '',
        note_sealed BLOB,
        visibility TEXT NOT NULL CHECK (visibility IN ('shared', 'private'))
    );
    CREATE INDEX checkins_at ON checkins(at);
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        step INTEGER NOT NULL,
        prompt TEXT NOT NULL,
        text TEXT,
        text_sealed BLOB,
        visibility TEXT NOT NULL CHECK (visibility IN ('shared', 'private', 'paired')),
        at TEXT NOT NULL
    );
    CREATE INDEX reflections_step ON reflections(step, prompt);
    CREATE TABLE promises (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        text TEXT NOT NULL,
        made TEXT NOT NULL,
        due TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken')),
        resolved TEXT
    );
    CREATE TABLE progress (
        author TEXT NOT NULL REFERENCES partners(id),
        step INTEGER NOT NULL,
        done INTEGER NOT NULL,
        how_it_went TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        PRIMARY KEY (author, step)
    );
    CREATE TABLE csi4 (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        day TEXT NOT NULL,
        i1 INTEGER NOT NULL, i2 INTEGER NOT NULL, i3 INTEGER NOT NULL, i4 INTEGER NOT NULL
    );
    """,
    # 1 -> 2: self-care log and consent to anonymised workshop aggregates (off by default).
    """
    CREATE TABLE selfcare (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        day TEXT NOT NULL,
        kind TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    ALTER TABLE partners ADD COLUMN consent_aggregate INTEGER NOT NULL DEFAULT 0;
    """,
    # 2 -> 3: a version on each entry, so a change made from an older view is refused; and
    # sittings, so that one unlock serves the pages of one sitting. Each row holds a
    # partner's key sealed with a random secret that only the browser has (a session cookie);
    # neither half opens anything alone, and a row is deleted on lock or after a quiet period.
    """
    CREATE TABLE sittings (
        id TEXT PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        wrapped BLOB NOT NULL,
        last_used REAL NOT NULL
    );
    ALTER TABLE checkins ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE reflections ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE promises ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE selfcare ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    """,
]
assert len(MIGRATIONS) == SCHEMA_VERSION


def _create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _check_file(path: Path) -> int:
    """Validate a workbook file read-only and return its schema version. Never writes."""
    if not path.exists():
        raise WorkbookNotFound(f"There is no workbook at {path.name}.")
    if not path.is_file():
        raise NotAWorkbook(f"{path.name} is not a file.")
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotAWorkbook(
            f"{path.name} is not a Healing Together workbook (it is not a SQLite file). "
            "It was left untouched."
        )
    # With no -wal, -shm or -journal beside it, the file alone is the whole database: open it
    # as immutable, so that checking a WAL-mode file does not leave new -wal/-shm files behind.
    quiet = not any(side.exists() for side in _sidecars(path))
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if quiet else "")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as err:
        raise DamagedWorkbook(
            f"{path.name} cannot be opened ({err}). It was left untouched."
        ) from err
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APP_ID:
            raise NotAWorkbook(
                f"{path.name} is a database, but not a Healing Together workbook. "
                "It was left untouched."
            )
        if version > SCHEMA_VERSION:
            raise NewerWorkbook(
                f"{path.name} was saved by a newer version of Healing Together (format "
                f"{version}; this version reads up to {SCHEMA_VERSION}). Update the app to open "
                "it. The file was left untouched."
            )
        result = con.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DamagedWorkbook(
                f"{path.name} is damaged ({result[0][0]}). It was left untouched; "
                "restore it from a backup copy if you have one."
            )
    except sqlite3.DatabaseError as err:
        raise DamagedWorkbook(
            f"{path.name} is damaged and cannot be read ({err}). It was left untouched; "
            "restore it from a backup copy if you have one."
        ) from err
    finally:
        con.close()
    return int(version)


def _backup(path: Path, version: int) -> Path:
    """Copy a workbook (consistently, through SQLite) before it is migrated."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.backup")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.v{version}-{stamp}-{n}.backup")
        n += 1
    _create_private_file(target)
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _date(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


class Workbook:
    """A couple's workbook, backed by one SQLite file. Use `workbook.open` or `workbook.create`.

    Every read goes to the file, so two pages (or two partners' phones) always see each
    other's saved entries. Reads take a `viewer`: the partner looking ('a' or 'b'), or None for
    a view anyone may see (shared entries only). Private entries are returned only to their
    author, and only once that partner has unlocked them with their passphrase.
    """

    def __init__(self, path: Path, *, _version: int | None = None) -> None:
        self.path = Path(path)
        version = _check_file(self.path) if _version is None else _version
        self.backup_path: Path | None = None
        if version < SCHEMA_VERSION and version > 0:
            self.backup_path = _backup(self.path, version)
        self._con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._con.execute("PRAGMA busy_timeout = 30000")
        mode = self._con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - only on filesystems without shared memory
            raise WorkbookError(f"{self.path.name}: the folder does not support WAL ({mode}).")
        self._con.execute("PRAGMA synchronous = FULL")
        self._con.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (an ended sitting, a deleted entry) are overwritten, not left in free pages.
        self._con.execute("PRAGMA secure_delete = ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)
        self._keys: dict[PartnerId, bytes] = {}

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file. The workbook cannot be used afterwards."""
        self._keys.clear()
        self._con.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workbook {self.name!r} at {str(self.path)!r}>"

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken with BEGIN IMMEDIATE, retried while another writer holds it."""
        delay = 0.01
        for attempt in range(50):
            try:
                self._con.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as err:
                if ("locked" not in str(err) and "busy" not in str(err)) or attempt == 49:
                    raise WorkbookError(
                        "The workbook is busy (another page is saving). Nothing was saved; "
                        "please try again."
                    ) from err
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        else:
            self._con.execute("COMMIT")

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        cur = self._con.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def _migrate(self, version: int) -> None:
        with self._write() as con:
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        con.execute(statement)
            con.execute(f"PRAGMA application_id = {APP_ID}")
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- the couple -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The workbook's name (its file name without the suffix)."""
        return self._meta("name") or self.path.name.split(".")[0]

    def _meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def partners(self) -> tuple[Partner, Partner]:
        """Both partners, 'a' first."""
        rows = self._con.execute("SELECT id, name FROM partners ORDER BY id").fetchall()
        if [r[0] for r in rows] != list(PARTNER_IDS):
            raise DamagedWorkbook(
                f"{self.path.name} is incomplete (it has no partners). It was left untouched."
            )
        a, b = (Partner(id=r[0], name=r[1]) for r in rows)
        return a, b

    def partner(self, who: str) -> Partner:
        """A partner by id ('a' or 'b')."""
        pid = check_partner(who)
        return next(p for p in self.partners if p.id == pid)

    def names(self) -> dict[str, str]:
        """Display names by partner id, for charts and summaries."""
        return {p.id: p.name for p in self.partners}

    def rename_partner(self, who: str, name: str) -> Partner:
        """Change how a partner is shown (never to the other partner's name)."""
        partner = Partner(id=check_partner(who), name=partner_name(name))
        other = self.partner("b" if partner.id == "a" else "a")
        if same_name(partner.name, other.name):
            raise ValidationError(
                "Give the two partners different names, so entries can be told apart."
            )
        with self._write() as con:
            con.execute("UPDATE partners SET name = ? WHERE id = ?", (partner.name, partner.id))
        return partner

    def set_consent(self, who: str, consent: bool) -> None:
        """Whether this partner lets anonymised mood and trust join a workshop's aggregate."""
        pid = check_partner(who)
        if not isinstance(consent, bool):
            raise ValidationError("Consent is yes or no.")
        with self._write() as con:
            con.execute(
                "UPDATE partners SET consent_aggregate = ? WHERE id = ?", (int(consent), pid)
            )

    def consent(self, who: str) -> bool:
        """This partner's consent to anonymised aggregates (off unless they turned it on)."""
        pid = check_partner(who)
        row = self._con.execute(
            "SELECT consent_aggregate FROM partners WHERE id = ?", (pid,)
        ).fetchone()
        return bool(row[0])

    # -- passphrases ------------------------------------------------------------------------

    def _key_record(self, pid: PartnerId) -> privacy.KeyRecord | None:
        row = self._con.execute(
            "SELECT key_salt, key_n, key_check FROM partners WHERE id = ?", (pid,)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return privacy.KeyRecord(salt=row[0], n=row[1], check=row[2])

    def has_passphrase(self, who: str) -> bool:
        """Whether this partner has set a passphrase for private entries."""
        return self._key_record(check_partner(who)) is not None

    def is_unlocked(self, who: str) -> bool:
        """Whether this partner's private entries are open in this session."""
        return check_partner(who) in self._keys

    def set_passphrase(self, who: str, passphrase: str, *, old: str | None = None) -> None:
        """Set a partner's passphrase, or change it (give the old one); unlocks the entries.

        Changing it re-seals every private entry of that partner with the new key in one
        transaction, so a failure leaves the old passphrase working.
        """
        pid = check_partner(who)
        record = self._key_record(pid)
        old_key: bytes | None = None
        if record is not None:
            if old is None:
                raise ValidationError(
                    "This partner already has a passphrase. Give the current one to change it."
                )
            old_key = privacy.unlock(old, record)
        key, new = privacy.new_key(passphrase, n=record.n if record else privacy.SCRYPT_N)
        with self._write() as con:
            if old_key is not None:
                for table, col in (("reflections", "text_sealed"), ("checkins", "note_sealed")):
                    rows = con.execute(
                        f"SELECT id, {col} FROM {table} WHERE author = ? AND {col} IS NOT NULL",  # noqa: S608 - fixed names
                        (pid,),
                    ).fetchall()
                    for row_id, blob in rows:
                        aad = self._aad(table, pid)
                        plain = privacy.open_sealed(old_key, blob, aad)
                        con.execute(
                            f"UPDATE {table} SET {col} = ? WHERE id = ?",  # noqa: S608 - fixed names
                            (privacy.seal(key, plain, aad), row_id),
                        )
            con.execute(
                "UPDATE partners SET key_salt = ?, key_n = ?, key_check = ? WHERE id = ?",
                (new.salt, new.n, new.check, pid),
            )
            # A sitting carries the old key; it must not outlive the passphrase it came from.
            con.execute("DELETE FROM sittings WHERE author = ?", (pid,))
        self._keys[pid] = key

    def unlock(self, who: str, passphrase: str) -> None:
        """Open this partner's private entries for this session, or raise WrongPassphrase."""
        pid = check_partner(who)
        record = self._key_record(pid)
        if record is None:
            raise privacy.Locked("No passphrase has been set yet. Set one to keep private entries.")
        self._keys[pid] = privacy.unlock(passphrase, record)

    def lock(self, who: str) -> None:
        """Forget this partner's key in this session."""
        self._keys.pop(check_partner(who), None)

    def may_view_as(self, who: str) -> bool:
        """Whether what only `who` may see can be shown here.

        True once `who` has unlocked with their passphrase; also true when `who` has set no
        passphrase at all, where nothing but trust separates the partners (the pages say so).
        """
        return self.is_unlocked(who) or not self.has_passphrase(who)

    # -- sittings: one unlock for the pages of one sitting ------------------------------------

    @staticmethod
    def _sitting_aad(sid: str, pid: str) -> bytes:
        return f"sitting:{sid}:{pid}".encode()

    def open_sitting(self, who: str) -> str:
        """Remember this partner's unlock for other pages; returns the browser's half.

        The key is stored sealed with a fresh random secret; the returned token (sitting id
        and secret) is all that can open it, and is kept by the browser only. Needs the
        partner to be unlocked here.
        """
        import secrets

        pid = check_partner(who)
        key = self._keys.get(pid)
        if key is None:
            raise privacy.Locked("Unlock your private entries first.")
        sid = secrets.token_urlsafe(16)
        secret = secrets.token_bytes(32)
        wrapped = privacy.seal(secret, key, self._sitting_aad(sid, pid))
        with self._write() as con:
            con.execute("DELETE FROM sittings WHERE last_used < ?", (time.time() - QUIET_SECONDS,))
            con.execute(
                "INSERT INTO sittings (id, author, wrapped, last_used) VALUES (?, ?, ?, ?)",
                (sid, pid, wrapped, time.time()),
            )
        return f"{sid}.{base64.urlsafe_b64encode(secret).decode('ascii').rstrip('=')}"

    @staticmethod
    def _parse_sitting(token: object) -> tuple[str, bytes] | None:
        if not isinstance(token, str) or token.count(".") != 1 or len(token) > 200:
            return None
        sid, secret_text = token.split(".")
        try:
            secret = base64.urlsafe_b64decode(secret_text + "=" * (-len(secret_text) % 4))
        except ValueError:
            return None
        return (sid, secret) if sid and len(secret) == 32 else None

    def resume_sitting(self, who: str, token: object, *, quiet: float = QUIET_SECONDS) -> bool:
        """Unlock with a sitting's token from this browser; False if it is unknown or over.

        A sitting is over once it has not been used for `quiet` seconds, after a lock, and
        after a change of passphrase.
        """
        pid = check_partner(who)
        parsed = self._parse_sitting(token)
        record = self._key_record(pid)
        if parsed is None or record is None:
            return False
        sid, secret = parsed
        row = self._con.execute(
            "SELECT wrapped, last_used FROM sittings WHERE id = ? AND author = ?", (sid, pid)
        ).fetchone()
        if row is None:
            return False
        if time.time() - row[1] > quiet:
            self._end_sitting(sid)
            return False
        try:
            key = privacy.open_sealed(secret, row[0], self._sitting_aad(sid, pid))
        except privacy.SealBroken:
            return False
        if not privacy.key_matches(key, record):
            self._end_sitting(sid)
            return False
        self._keys[pid] = key
        self.touch_sitting(who, token)
        return True

    def touch_sitting(self, who: str, token: object) -> bool:
        """Mark a sitting as in use now; False if it is over (locked elsewhere, or quiet)."""
        parsed = self._parse_sitting(token)
        if parsed is None:
            return False
        with self._write() as con:
            cur = con.execute(
                "UPDATE sittings SET last_used = ? WHERE id = ? AND author = ? AND last_used >= ?",
                (time.time(), parsed[0], check_partner(who), time.time() - QUIET_SECONDS),
            )
        return cur.rowcount == 1

    def _end_sitting(self, sid: str) -> None:
        with self._write() as con:
            con.execute("DELETE FROM sittings WHERE id = ?", (sid,))

    def end_sittings(self, who: str) -> int:
        """Lock this partner everywhere: forget the key here and end every sitting."""
        pid = check_partner(who)
        self._keys.pop(pid, None)
        with self._write() as con:
            cur = con.execute("DELETE FROM sittings WHERE author = ?", (pid,))
        return int(cur.rowcount)

    @staticmethod
    def _aad(table: str, pid: str) -> bytes:
        return f"{table}:{pid}".encode()

    def _seal(self, table: str, pid: PartnerId, text: str) -> bytes:
        key = self._keys.get(pid)
        if key is None:
            raise privacy.Locked(
                "Private entries are kept with your passphrase. Unlock them (or set a "
                "passphrase) first; nothing was saved."
            )
        return privacy.seal(key, text.encode("utf-8"), self._aad(table, pid))

    def _unseal(self, table: str, pid: PartnerId, blob: bytes) -> str:
        try:
            return privacy.open_sealed(self._keys[pid], blob, self._aad(table, pid)).decode()
        except privacy.SealBroken as err:
            raise DamagedWorkbook(
                "A private entry cannot be decrypted; it may be damaged."
            ) from err

    def _can_see_private(self, viewer: str | None, author: str) -> bool:
        return viewer is not None and viewer == author and viewer in self._keys

    def private_checkin_count(
        self,
        who: str,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
    ) -> int:
        """How many private check-ins this partner has in a period (others see the count only)."""
        sql = "SELECT COUNT(*) FROM checkins WHERE author = ? AND visibility = 'private'"
        params: list[Any] = [check_partner(who)]
        if since is not None:
            sql += " AND at >= ?"
            params.append(_bound(since, start=True))
        if until is not None:
            sql += " AND at < ?"
            params.append(_bound(until, start=False))
        return int(self._con.execute(sql, tuple(params)).fetchone()[0])

    def locked_count(self, who: str) -> int:
        """How many private entries of this partner exist (shown as a count while locked)."""
        pid = check_partner(who)
        n = 0
        for table in ("reflections", "checkins"):
            n += self._con.execute(
                f"SELECT COUNT(*) FROM {table} WHERE author = ? AND visibility = 'private'",  # noqa: S608
                (pid,),
            ).fetchone()[0]
        return int(n)

    # -- check-ins --------------------------------------------------------------------------

    def add_checkin(
        self,
        author: str,
        mood: int,
        trust: int,
        note: str = "",
        *,
        at: datetime | None = None,
        visibility: Visibility = "shared",
    ) -> CheckIn:
        """Save a mood and trust check-in (1 to 10 each); returns it with its id."""
        c = CheckIn(
            author=check_partner(author),
            mood=mood,
            trust=trust,
            note=note,
            at=at or now(),
            visibility=visibility,
        )
        return self._insert_checkin(c)

    def _insert_checkin(self, c: CheckIn, row_id: int | None = None) -> CheckIn:
        sealed = None
        note = c.note
        if c.visibility == "private":
            # A private check-in (its numbers too) is for its author alone: it needs their key
            # even without a note, so that it is shown only once they have unlocked.
            sealed = self._seal("checkins", c.author, note)
            note = ""
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO checkins (id, author, at, mood, trust, note, note_sealed, visibility)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row_id, c.author, c.at.isoformat(), c.mood, c.trust, note, sealed, c.visibility),
            )
        return CheckIn(
            author=c.author,
            mood=c.mood,
            trust=c.trust,
            note=c.note,
            at=c.at,
            visibility=c.visibility,
            id=cur.lastrowid,
        )

    def add_checkins(self, checkins: list[CheckIn]) -> int:
        """Save many shared check-ins in one transaction (for imports and demos)."""
        rows = []
        for c in checkins:
            if c.visibility != "shared":
                raise ValidationError("Bulk check-ins must be shared; add private ones singly.")
            rows.append((c.author, c.at.isoformat(), c.mood, c.trust, c.note, "shared"))
        with self._write() as con:
            con.executemany(
                "INSERT INTO checkins (author, at, mood, trust, note, visibility)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def checkins(
        self,
        partner: str | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        *,
        viewer: str | None = None,
    ) -> list[CheckIn]:
        """Check-ins, oldest first, as plain records.

        `partner` limits to one author; `since`/`until` bound the time (dates are whole local
        days, inclusive). Private check-ins are included only for their unlocked author.
        """
        sql = (
            "SELECT id, author, at, mood, trust, note, note_sealed, visibility, version"
            " FROM checkins"
        )
        where: list[str] = []
        params: list[Any] = []
        if partner is not None:
            where.append("author = ?")
            params.append(check_partner(partner))
        if since is not None:
            where.append("at >= ?")
            params.append(_bound(since, start=True))
        if until is not None:
            where.append("at < ?")
            params.append(_bound(until, start=False))
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY at, id"
        out: list[CheckIn] = []
        for r in self._rows(sql, tuple(params)):
            note = r["note"]
            if r["visibility"] == "private":
                if not self._can_see_private(viewer, r["author"]):
                    continue
                if r["note_sealed"] is not None:
                    note = self._unseal("checkins", r["author"], r["note_sealed"])
            out.append(
                CheckIn(
                    author=r["author"],
                    mood=r["mood"],
                    trust=r["trust"],
                    note=note,
                    at=datetime.fromisoformat(r["at"]),
                    visibility=r["visibility"],
                    id=r["id"],
                    version=r["version"],
                )
            )
        return out

    def edit_checkin(
        self,
        checkin_id: int,
        *,
        author: str,
        mood: int,
        trust: int,
        note: str = "",
        visibility: Visibility = "shared",
        version: int | None = None,
    ) -> CheckIn:
        """Correct one of the author's own check-ins (numbers, note, shared or private)."""
        pid = check_partner(author)
        old = next((c for c in self.checkins(pid, viewer=pid) if c.id == checkin_id), None)
        if old is None:
            raise StaleEntry(
                "That check-in is not one of yours that this page may change, or it is gone. "
                "Nothing was changed."
            )
        new = replace(old, mood=mood, trust=trust, note=note, visibility=visibility)
        sealed = self._seal("checkins", pid, new.note) if visibility == "private" else None
        self._change_own(
            "checkins",
            checkin_id,
            pid,
            version,
            {
                "mood": new.mood,
                "trust": new.trust,
                "note": "" if sealed is not None else new.note,
                "note_sealed": sealed,
                "visibility": visibility,
            },
        )
        return replace(new, version=(version or old.version) + 1)

    def delete_checkin(self, checkin_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own check-ins, from the file, exports and charts."""
        self._change_own("checkins", checkin_id, author, version, None)

    def checkins_frame(self, partner: str | None = None, *, viewer: str | None = None) -> Any:
        """Check-ins as a pandas DataFrame (needs the optional `pandas` dependency)."""
        try:
            import pandas as pd
        except ImportError as err:
            raise ImportError(
                "checkins_frame() needs pandas: pip install 'workbook[dataframe]'"
            ) from err
        names = self.names()
        rows = [
            {
                "id": c.id,
                "at": c.at,
                "day": c.day,
                "partner": c.author,
                "name": names[c.author],
                "mood": c.mood,
                "trust": c.trust,
                "note": c.note,
                "visibility": c.visibility,
            }
            for c in self.checkins(partner, viewer=viewer)
        ]
        columns = ["id", "at", "day", "partner", "name", "mood", "trust", "note", "visibility"]
        return pd.DataFrame(rows, columns=columns)

    # -- reflections ------------------------------------------------------------------------

    def add_reflection(
        self,
        author: str,
        step: int,
        prompt: str,
        text: str,
        *,
        visibility: Visibility = "shared",
        at: datetime | None = None,
    ) -> Reflection:
        """Save an answer to a step's prompt. Private text is sealed with the author's key."""
        r = Reflection(
            author=check_partner(author),
            step=step,
            prompt=prompt,
            text=text,
            visibility=visibility,
            at=at or now(),
        )
        return self._insert_reflection(r)

    def _insert_reflection(self, r: Reflection, row_id: int | None = None) -> Reflection:
        plain: str | None = r.text
        sealed = None
        if r.visibility == "paired" and not self.may_view_as(r.author):
            raise privacy.Locked(
                "Unlock with your passphrase first, so that no one else can answer as you; "
                "nothing was saved."
            )
        if r.visibility == "private":
            sealed = self._seal("reflections", r.author, r.text)
            plain = None
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO reflections (id, author, step, prompt, text, text_sealed, visibility,"
                " at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row_id, r.author, r.step, r.prompt, plain, sealed, r.visibility, r.at.isoformat()),
            )
        return Reflection(
            author=r.author,
            step=r.step,
            prompt=r.prompt,
            text=r.text,
            visibility=r.visibility,
            at=r.at,
            id=cur.lastrowid,
        )

    def reflections(
        self,
        step: int | None = None,
        prompt: str | None = None,
        *,
        viewer: str | None = None,
        author: str | None = None,
    ) -> list[Reflection]:
        """Reflections the viewer may see, oldest first.

        Shared ones always; private ones only for their unlocked author; a "paired" answer of
        the other partner only once the viewer has answered the same prompt too (viewer None
        sees paired answers once both partners have answered).
        """
        sql = "SELECT * FROM reflections"
        where: list[str] = []
        params: list[Any] = []
        if step is not None:
            where.append("step = ?")
            params.append(step)
        if prompt is not None:
            where.append("prompt = ?")
            params.append(prompt)
        if author is not None:
            where.append("author = ?")
            params.append(check_partner(author))
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY at, id"
        rows = self._rows(sql, tuple(params))
        answered = self._paired_answerers()
        out = []
        for r in rows:
            vis = r["visibility"]
            text = r["text"]
            if vis == "private":
                if not self._can_see_private(viewer, r["author"]):
                    continue
                text = self._unseal("reflections", r["author"], r["text_sealed"])
            elif vis == "paired" and viewer is not None and not self.may_view_as(viewer):
                # Seeing a paired answer as a partner (one's own before the reveal, both
                # after it) needs that partner's own secret when they have one.
                continue
            elif vis == "paired" and viewer != r["author"]:
                who = answered.get((r["step"], r["prompt"]), set())
                needed = set(PARTNER_IDS) if viewer is None else {viewer}
                if not needed <= who:
                    continue
            out.append(
                Reflection(
                    author=r["author"],
                    step=r["step"],
                    prompt=r["prompt"],
                    text=text,
                    visibility=vis,
                    at=datetime.fromisoformat(r["at"]),
                    id=r["id"],
                    version=r["version"],
                )
            )
        return out

    def _paired_answerers(self) -> dict[tuple[int, str], set[str]]:
        seen: dict[tuple[int, str], set[str]] = {}
        for step, prompt, author in self._con.execute(
            "SELECT DISTINCT step, prompt, author FROM reflections WHERE visibility = 'paired'"
        ):
            seen.setdefault((step, prompt), set()).add(author)
        return seen

    def paired_status(self, step: int, prompt: str) -> set[str]:
        """Which partners have answered a paired prompt (without revealing the answers)."""
        return self._paired_answerers().get((step, prompt), set())

    def delete_reflection(
        self, reflection_id: int, *, author: str, version: int | None = None
    ) -> None:
        """Delete one of the author's own reflections, from the file too."""
        self._change_own("reflections", reflection_id, author, version, None)

    def edit_reflection(
        self,
        reflection_id: int,
        *,
        author: str,
        text: str,
        visibility: Visibility | None = None,
        version: int | None = None,
    ) -> Reflection:
        """Correct one of the author's own answers, or move it between shared and private.

        A paired answer stays paired. Private text is sealed with the author's key.
        """
        old = self._own_reflection(reflection_id, author)
        vis = visibility or old.visibility
        if (old.visibility == "paired") != (vis == "paired"):
            raise ValidationError("An answer for two stays an answer for two. Nothing was changed.")
        new = replace(old, text=text, visibility=vis)  # validated by the domain
        sealed = self._seal("reflections", new.author, new.text) if vis == "private" else None
        plain = None if vis == "private" else new.text
        self._change_own(
            "reflections",
            reflection_id,
            author,
            version,
            {"text": plain, "text_sealed": sealed, "visibility": vis},
        )
        return replace(new, version=(version or old.version) + 1)

    def _own_reflection(self, reflection_id: int, author: str) -> Reflection:
        pid = check_partner(author)
        found = [r for r in self.reflections(viewer=pid, author=pid) if r.id == reflection_id]
        if not found:
            raise StaleEntry(
                "That entry is not one of yours that this page may change, or it is gone. "
                "Nothing was changed."
            )
        return found[0]

    def _change_own(
        self,
        table: str,
        entry_id: int,
        author: str,
        version: int | None,
        values: Mapping[str, Any] | None,
    ) -> None:
        """Change (values) or delete (None) one entry of `author`, checking its version.

        Only the author may change an entry; an entry changed since the page showed it
        (another tab, the other phone) raises `StaleEntry` and nothing is changed. A delete
        also clears the entry out of the write-ahead log, so its words leave the file.
        """
        if table not in _OWNED_TABLES:
            raise ValueError(f"not an entry table: {table}")
        pid = check_partner(author)
        with self._write() as con:
            row = con.execute(
                f"SELECT author, version FROM {table} WHERE id = ?",  # noqa: S608 - checked name
                (entry_id,),
            ).fetchone()
            if row is None:
                raise StaleEntry("That entry is no longer there. Nothing was changed.")
            if row[0] != pid:
                raise ValidationError(
                    "Only the partner who wrote this can change it. Nothing was changed."
                )
            if version is not None and row[1] != version:
                raise StaleEntry(_STALE)
            if values is None:
                con.execute(f"DELETE FROM {table} WHERE id = ?", (entry_id,))  # noqa: S608
            else:
                sets = ", ".join(f"{column} = ?" for column in values)
                con.execute(
                    f"UPDATE {table} SET {sets}, version = version + 1 WHERE id = ?",  # noqa: S608
                    (*values.values(), entry_id),
                )
        if values is None:
            self._forget_deleted()

    def _forget_deleted(self) -> None:
        # secure_delete overwrote the rows in the database pages; a checkpoint moves those
        # pages out of the write-ahead log, which still held the old page images.
        with contextlib.suppress(sqlite3.Error):
            self._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- promises ---------------------------------------------------------------------------

    def add_promise(
        self, author: str, text: str, *, made: date | None = None, due: date | None = None
    ) -> Promise:
        """Record a promise one partner made."""
        p = Promise(author=check_partner(author), text=text, made=made or date.today(), due=due)
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO promises (author, text, made, due, status)"
                " VALUES (?, ?, ?, ?, 'open')",
                (p.author, p.text, p.made.isoformat(), _iso(p.due)),
            )
        return Promise(author=p.author, text=p.text, made=p.made, due=p.due, id=cur.lastrowid)

    def resolve_promise(
        self,
        promise_id: int,
        status: PromiseStatus,
        *,
        on: date | None = None,
        version: int | None = None,
    ) -> Promise:
        """Mark a promise kept or broken, or open again (undo).

        Give the `version` the page showed: if the promise changed since (another tab or
        phone), nothing is changed and `StaleEntry` says so.
        """
        current = next((p for p in self.promises() if p.id == promise_id), None)
        if current is None:
            raise StaleEntry("That promise is no longer there. Nothing was changed.")
        resolved = None if status == "open" else (on or date.today())
        p = replace(current, status=status, resolved=resolved, version=current.version + 1)
        with self._write() as con:
            cur = con.execute(
                "UPDATE promises SET status = ?, resolved = ?, version = version + 1"
                " WHERE id = ? AND version = ?",
                (p.status, _iso(p.resolved), promise_id, current.version),
            )
            if cur.rowcount != 1 or (version is not None and version != current.version):
                raise StaleEntry(_STALE)
        return p

    def edit_promise(
        self,
        promise_id: int,
        *,
        author: str,
        text: str,
        due: date | None = None,
        version: int | None = None,
    ) -> Promise:
        """Correct the words or due date of one of the author's own promises."""
        old = next((p for p in self.promises() if p.id == promise_id), None)
        if old is None:
            raise StaleEntry("That promise is no longer there. Nothing was changed.")
        new = replace(old, text=text, due=due)
        self._change_own(
            "promises", promise_id, author, version, {"text": new.text, "due": _iso(new.due)}
        )
        return replace(new, version=(version or old.version) + 1)

    def delete_promise(self, promise_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own promises."""
        self._change_own("promises", promise_id, author, version, None)

    def promises(self, author: str | None = None) -> list[Promise]:
        """Promises, in the order they were made."""
        sql = "SELECT * FROM promises"
        params: tuple[Any, ...] = ()
        if author is not None:
            sql += " WHERE author = ?"
            params = (check_partner(author),)
        return [
            Promise(
                author=r["author"],
                text=r["text"],
                made=date.fromisoformat(r["made"]),
                due=_date(r["due"]),
                status=r["status"],
                resolved=_date(r["resolved"]),
                id=r["id"],
                version=r["version"],
            )
            for r in self._rows(sql + " ORDER BY made, id", params)
        ]

    # -- progress through the steps -----------------------------------------------------------

    def mark_step(
        self,
        author: str,
        step: int,
        *,
        done: bool = True,
        how_it_went: str = "",
        at: datetime | None = None,
    ) -> StepProgress:
        """Mark a step done (or not) for one partner, with a line on how it went."""
        sp = StepProgress(
            author=check_partner(author),
            step=step,
            done=done,
            how_it_went=how_it_went,
            at=at or now(),
        )
        with self._write() as con:
            con.execute(
                "INSERT INTO progress (author, step, done, how_it_went, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (author, step) DO UPDATE SET done = excluded.done,"
                " how_it_went = excluded.how_it_went, at = excluded.at",
                (sp.author, sp.step, int(sp.done), sp.how_it_went, sp.at.isoformat()),
            )
        return sp

    def progress(self, author: str | None = None) -> list[StepProgress]:
        """Progress records, by step."""
        sql = "SELECT * FROM progress"
        params: tuple[Any, ...] = ()
        if author is not None:
            sql += " WHERE author = ?"
            params = (check_partner(author),)
        return [
            StepProgress(
                author=r["author"],
                step=r["step"],
                done=bool(r["done"]),
                how_it_went=r["how_it_went"],
                at=datetime.fromisoformat(r["at"]),
            )
            for r in self._rows(sql + " ORDER BY step, author", params)
        ]

    def steps_done(self, author: str) -> set[int]:
        """The steps this partner has marked done."""
        return {p.step for p in self.progress(author) if p.done}

    def milestones(self) -> list[tuple[date, str]]:
        """Days a step was first marked done by either partner, for marking charts."""
        first: dict[int, date] = {}
        for p in self.progress():
            if p.done and p.step > 0:
                d = p.at.astimezone().date()
                first[p.step] = min(first.get(p.step, d), d)
        return sorted((d, f"Step {s}") for s, d in first.items())

    # -- CSI-4 and self-care ------------------------------------------------------------------

    def add_csi4(
        self, author: str, items: tuple[int, int, int, int], *, day: date | None = None
    ) -> CSI4Answer:
        """Save one partner's four CSI-4 answers: at most once a week."""
        a = CSI4Answer(author=check_partner(author), items=items, day=day or date.today())
        due = self.csi4_next_due(a.author, before=a.day)
        if due is not None and a.day < due:
            raise ValidationError(
                f"The satisfaction check is weekly: you answered on "
                f"{(due - timedelta(days=CSI4_EVERY_DAYS)).strftime('%d %b')}, so the next one "
                f"is due on {due.strftime('%d %b %Y')}. Nothing was saved."
            )
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO csi4 (author, day, i1, i2, i3, i4) VALUES (?, ?, ?, ?, ?, ?)",
                (a.author, a.day.isoformat(), *a.items),
            )
        return CSI4Answer(author=a.author, items=a.items, day=a.day, id=cur.lastrowid)

    def csi4_next_due(self, author: str, *, before: date | None = None) -> date | None:
        """The first day this partner may answer the weekly CSI-4 again (None: any day).

        `before` ignores answers on or after that day (for back-filled data).
        """
        days = [a.day for a in self.csi4(author) if before is None or a.day <= before]
        return max(days) + timedelta(days=CSI4_EVERY_DAYS) if days else None

    def csi4(self, author: str | None = None) -> list[CSI4Answer]:
        """CSI-4 answers, oldest first."""
        sql = "SELECT * FROM csi4"
        params: tuple[Any, ...] = ()
        if author is not None:
            sql += " WHERE author = ?"
            params = (check_partner(author),)
        return [
            CSI4Answer(
                author=r["author"],
                items=(r["i1"], r["i2"], r["i3"], r["i4"]),
                day=date.fromisoformat(r["day"]),
                id=r["id"],
            )
            for r in self._rows(sql + " ORDER BY day, id", params)
        ]

    def add_selfcare(
        self, author: str, kind: str, minutes: int, note: str = "", *, day: date | None = None
    ) -> SelfCare:
        """Log time a partner spent on self-care."""
        s = SelfCare(
            author=check_partner(author),
            day=day or date.today(),
            kind=kind,
            minutes=minutes,
            note=note,
        )
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO selfcare (author, day, kind, minutes, note) VALUES (?, ?, ?, ?, ?)",
                (s.author, s.day.isoformat(), s.kind, s.minutes, s.note),
            )
        return SelfCare(
            author=s.author,
            day=s.day,
            kind=s.kind,
            minutes=s.minutes,
            note=s.note,
            id=cur.lastrowid,
        )

    def edit_selfcare(
        self,
        entry_id: int,
        *,
        author: str,
        kind: str,
        minutes: int,
        note: str = "",
        version: int | None = None,
    ) -> SelfCare:
        """Correct one of the author's own self-care entries."""
        old = next((e for e in self.selfcare() if e.id == entry_id), None)
        if old is None:
            raise StaleEntry("That entry is no longer there. Nothing was changed.")
        new = replace(old, kind=kind, minutes=minutes, note=note)
        values = {"kind": new.kind, "minutes": new.minutes, "note": new.note}
        self._change_own("selfcare", entry_id, author, version, values)
        return replace(new, version=(version or old.version) + 1)

    def delete_selfcare(self, entry_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own self-care entries."""
        self._change_own("selfcare", entry_id, author, version, None)

    def selfcare(self, author: str | None = None) -> list[SelfCare]:
        """Self-care entries, oldest first."""
        sql = "SELECT * FROM selfcare"
        params: tuple[Any, ...] = ()
        if author is not None:
            sql += " WHERE author = ?"
            params = (check_partner(author),)
        return [
            SelfCare(
                author=r["author"],
                day=date.fromisoformat(r["day"]),
                kind=r["kind"],
                minutes=r["minutes"],
                note=r["note"],
                id=r["id"],
                version=r["version"],
            )
            for r in self._rows(sql + " ORDER BY day, id", params)
        ]

    # -- export and import --------------------------------------------------------------------

    def export_json(self) -> str:
        """Everything in the workbook as JSON, losslessly.

        Private text stays sealed (base64 of the ciphertext), so an export reveals no more than
        the file itself; `import_json` restores it byte for byte.
        """

        def b64(v: bytes | None) -> str | None:
            return None if v is None else base64.b64encode(v).decode("ascii")

        def table(name: str) -> list[dict[str, Any]]:
            rows = self._rows(f"SELECT * FROM {name} ORDER BY rowid")  # noqa: S608 - fixed names
            return [
                {k: (b64(r[k]) if isinstance(r[k], bytes) else r[k]) for k in r.keys()}  # noqa: SIM118
                for r in rows
            ]

        doc = {
            "format": EXPORT_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "meta": {r["key"]: r["value"] for r in self._rows("SELECT * FROM meta")},
            **{t: table(t) for t in _TABLES},
        }
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)

    def export_csv(self, *, viewer: str | None = None) -> str:
        """Check-ins the viewer may see as CSV text (date, time, partner, mood, trust, note)."""
        return checkins_csv(self.checkins(viewer=viewer), self.names())

    def records(self, *, viewer: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """All entries the viewer may see, as lists of plain dicts (for JSON or DataFrames)."""
        return {
            "checkins": [asdict(c) for c in self.checkins(viewer=viewer)],
            "reflections": [asdict(r) for r in self.reflections(viewer=viewer)],
            "promises": [asdict(p) for p in self.promises()],
            "progress": [asdict(p) for p in self.progress()],
            "csi4": [asdict(a) for a in self.csi4()],
            "selfcare": [asdict(s) for s in self.selfcare()],
        }


_TABLES = ("partners", "checkins", "reflections", "promises", "progress", "csi4", "selfcare")
_BLOB_COLUMNS = {"key_salt", "key_check", "note_sealed", "text_sealed"}


def _bound(value: datetime | date, *, start: bool) -> str:
    """A time bound as stored (UTC ISO text); a date means the whole local day.

    A bound beyond what dates can hold (the day after 9999-12-31, or local midnight of
    0001-01-01 moved to UTC) means "no bound": it sorts before or after every stored time.
    """
    if not isinstance(value, date):
        raise ValidationError(f"A period is bounded by dates, got {value!r}.")
    try:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.astimezone()
            return value.astimezone(UTC).isoformat()
        day = value if start else date.fromordinal(value.toordinal() + 1)
        return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC).isoformat()
    except (ValueError, OverflowError):
        return "0000" if start else "9999-99"


def _init_new(path: Path, name: str, partner_a: str, partner_b: str) -> Workbook:
    """Build the workbook in a hidden file beside `path`, then link it into place.

    A crash (or a kill) at any moment leaves either no workbook of that name or a complete
    one: never a half-made file that neither opens nor lets the name be created again.
    """
    a = Partner(id="a", name=partner_name(partner_a))
    b = Partner(id="b", name=partner_name(partner_b))
    if same_name(a.name, b.name):
        raise ValidationError(
            "Give the two partners different names, so entries can be told apart."
        )
    _remove_stale_builds(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_BUILDING}")
    _create_private_file(tmp)
    try:
        wb = Workbook(tmp, _version=0)
        try:
            with wb._write() as con:
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
            wb._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            wb.close()
        if any(side.exists() for side in _sidecars(tmp)):
            raise WorkbookError("The new workbook could not be finished; nothing was created.")
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic, and never replaces a workbook made meanwhile
        except FileExistsError:
            raise WorkbookExists(
                f"A workbook called {name!r} already exists. Open it instead."
            ) from None
        _fsync_folder(path.parent)
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return Workbook(path)


#: Suffix of a workbook being built by `_init_new` (hidden, never listed or opened by name).
_BUILDING = ".building"
#: A build this old was interrupted (a build takes well under a second).
_STALE_BUILD = 600.0


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


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


def create(name: str, partner_a: str, partner_b: str, *, data_dir: Path | None = None) -> Workbook:
    """Create a new workbook named `name` in the data folder, for two partners."""
    folder = ensure_private_dir(Path(data_dir) if data_dir else default_data_dir())
    path = path_for(name, folder)
    if path.exists():
        raise WorkbookExists(f"A workbook called {name!r} already exists. Open it instead.")
    # Validate before touching the disk.
    Partner(id="a", name=partner_name(partner_a))
    Partner(id="b", name=partner_name(partner_b))
    return _init_new(path, name, partner_a, partner_b)


def open_workbook(target: str | Path, *, data_dir: Path | None = None) -> Workbook:
    """Open a workbook: a `str` is a name in the data folder, a `Path` is a file anywhere."""
    if isinstance(target, Path):
        return Workbook(target.expanduser())
    folder = Path(data_dir) if data_dir else default_data_dir()
    path = path_for(target, folder)
    if not path.exists():
        raise WorkbookNotFound(
            f"There is no workbook called {target!r} yet. Check the name, or create it."
        )
    return Workbook(path)


def import_json(text: str | bytes, name: str, *, data_dir: Path | None = None) -> Workbook:
    """Create a new workbook `name` from `Workbook.export_json()` output, exactly as it was."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError) as err:
        raise ValidationError(f"That is not a workbook export (not valid JSON: {err}).") from err
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise ValidationError("That JSON is not a Healing Together workbook export.")
    version = doc.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValidationError(
            f"That export comes from a newer version of Healing Together (format {version})."
        )
    partners = {p["id"]: p for p in doc.get("partners", []) if isinstance(p, dict)}
    if set(partners) != set(PARTNER_IDS):
        raise ValidationError("That export does not name both partners.")
    folder = ensure_private_dir(Path(data_dir) if data_dir else default_data_dir())
    path = path_for(name, folder)
    if path.exists():
        raise WorkbookExists(f"A workbook called {name!r} already exists. Choose another name.")
    wb = _init_new(path, name, partners["a"]["name"], partners["b"]["name"])
    try:
        with wb._write() as con:
            meta = dict(doc.get("meta", {}))
            meta["name"] = name
            con.execute("DELETE FROM meta")
            con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", list(meta.items()))
            con.execute("DELETE FROM partners")
            for t in _TABLES:
                for row in doc.get(t, []):
                    _insert_row(con, t, row)
        # Validate everything through the domain, so a hand-edited export cannot sneak in
        # out-of-range values.
        wb.partners  # noqa: B018
        wb.checkins()
        wb.promises()
        wb.progress()
        wb.csi4()
        wb.selfcare()
    except (sqlite3.Error, ValidationError, KeyError, TypeError, ValueError) as err:
        wb.close()
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        raise ValidationError(f"That export could not be imported: {err}") from err
    return wb


def _insert_row(con: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    cols = [str(c) for c in row]
    allowed = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    unknown = set(cols) - allowed
    if unknown:
        raise ValidationError(f"unknown column(s) {sorted(unknown)} in {table}")
    values = [
        base64.b64decode(row[c]) if c in _BLOB_COLUMNS and row[c] is not None else row[c]
        for c in cols
    ]
    placeholders = ", ".join("?" for _ in cols)
    con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})",  # noqa: S608 - checked
        values,
    )


#: First characters that make a spreadsheet read a cell as a formula (or a command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    """A value for a CSV cell; text a spreadsheet would run as a formula gets an apostrophe.

    Leading spaces are looked through: some spreadsheets drop them and then see the '='.
    """
    if isinstance(value, str) and value.lstrip(" ")[:1] in _FORMULA_START:
        return "'" + value
    return value


def checkins_csv(checkins: Sequence[CheckIn], names: Mapping[str, str]) -> str:
    """Check-ins as CSV text: date, time (UTC), partner, name, mood, trust, note, visibility.

    Every text cell (names and notes alike) is defused with `csv_cell`.
    """
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["date", "time_utc", "partner", "name", "mood", "trust", "note", "visibility"])
    for c in checkins:
        row = [
            c.day.isoformat(),
            c.at.strftime("%H:%M:%S"),
            c.author,
            names[c.author],
            c.mood,
            c.trust,
            c.note,
            c.visibility,
        ]
        w.writerow([csv_cell(value) for value in row])
    return buf.getvalue()
