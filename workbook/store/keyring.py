"""The keyring: passphrases, the keys they open, sealing private text, and sittings.

Private text (private reflections, private check-in notes) is sealed with the author's key
(`workbook.privacy`); the file alone does not reveal it. A key is held in memory only, for the
session that unlocked it. A sitting carries one unlock from page to page: the key is stored
sealed with a random secret that only the browser holds. However a sitting ends (a lock, another
writer chosen, the quick exit, a change of passphrase, or `QUIET_SECONDS` without use), its row
is deleted and the file is scrubbed (`scrub`): ``secure_delete`` overwrites the row in its page,
and a truncating checkpoint moves that page into the file and empties the WAL, where older
copies of the row were kept.
"""

from __future__ import annotations

import base64
import logging
import secrets
import sqlite3
import time

from .. import privacy
from ..domain import PartnerId, ValidationError, check_partner
from ..i18n import N_
from .errors import DamagedWorkbook
from .schema import write

#: A sitting (one unlock carried from page to page) ends after this long without use.
QUIET_SECONDS = 15 * 60
#: The tables holding sealed text, and the column that holds it.
SEALED_COLUMNS = (("reflections", "text_sealed"), ("checkins", "note_sealed"))
#: How long a scrub waits for other pages' readers before giving up (milliseconds).
SCRUB_WAIT_MS = 2000
#: The pause between two tries of a patient scrub (`Keyring.scrub`), in seconds.
SCRUB_RETRY_S = 0.25

log = logging.getLogger(__name__)


def scrub(con: sqlite3.Connection) -> bool:
    """Empty the WAL into the file, so deleted rows leave no older copy behind.

    Rows are overwritten where they were (``secure_delete``), but the WAL still holds every
    earlier version of their pages until a checkpoint; ``wal_checkpoint(TRUNCATE)`` copies
    the newest pages into the file and cuts the WAL to nothing. Another page reading an older
    snapshot at that moment blocks it: it waits up to `SCRUB_WAIT_MS`, and on failure returns
    False (the next scrub, or SQLite's own checkpoints, finish the job). Never inside a
    transaction.
    """
    timeout = con.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        con.execute(f"PRAGMA busy_timeout = {int(SCRUB_WAIT_MS)}")
        busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError:
        busy = 1
    finally:
        con.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    if busy:
        log.info("An ended sitting could not be scrubbed from the WAL yet (a page was reading).")
    return not busy


def purge_sittings(con: sqlite3.Connection, *, now: float | None = None) -> int:
    """Delete every sitting quiet for longer than `QUIET_SECONDS`, and scrub; returns how many.

    Runs whenever a workbook is opened and from every open page every half minute, so a
    sitting nobody ends by hand (a closed browser, a lost quick exit) does not outlive its
    quiet period by much, whoever's pages are open.
    """
    cutoff = (time.time() if now is None else now) - QUIET_SECONDS
    if con.execute("SELECT 1 FROM sittings WHERE last_used < ? LIMIT 1", (cutoff,)).fetchone():
        with write(con) as c:
            count = c.execute("DELETE FROM sittings WHERE last_used < ?", (cutoff,)).rowcount
        scrub(con)
        return int(count)
    return 0


def _aad(table: str, pid: str) -> bytes:
    return f"{table}:{pid}".encode()


def _sitting_aad(sid: str, pid: str) -> bytes:
    return f"sitting:{sid}:{pid}".encode()


def _parse_sitting(token: object) -> tuple[str, bytes] | None:
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 200:
        return None
    sid, secret_text = token.split(".")
    try:
        secret = base64.urlsafe_b64decode(secret_text + "=" * (-len(secret_text) % 4))
    except ValueError:
        return None
    return (sid, secret) if sid and len(secret) == 32 else None


class Keyring:
    """The partners' keys for one open workbook, kept outside the file."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con
        self.keys: dict[PartnerId, bytes] = {}
        #: A sitting ended here and its scrub was blocked by a reader: the next half-minute
        #: purge (`purge_sittings`) tries again.
        self.unscrubbed = False

    def scrub(self, *, patience: float = 0.0) -> bool:
        """Scrub the file (`scrub`), trying again for up to `patience` seconds while other
        pages' readers block it; whether the WAL is empty now."""
        deadline = time.monotonic() + patience
        while not scrub(self._con):
            if time.monotonic() >= deadline:
                self.unscrubbed = True
                return False
            time.sleep(SCRUB_RETRY_S)
        self.unscrubbed = False
        return True

    def _record(self, pid: PartnerId) -> privacy.KeyRecord | None:
        row = self._con.execute(
            "SELECT key_salt, key_n, key_check FROM partners WHERE id = ?", (pid,)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return privacy.KeyRecord(salt=row[0], n=row[1], check=row[2])

    # -- passphrases ------------------------------------------------------------------------

    def has_passphrase(self, who: str) -> bool:
        """Whether this partner has set a passphrase for private entries."""
        return self._record(check_partner(who)) is not None

    def is_unlocked(self, who: str) -> bool:
        """Whether this partner's private entries are open in this session."""
        return check_partner(who) in self.keys

    def set_passphrase(self, who: str, passphrase: str, *, old: str | None = None) -> None:
        """Set a partner's passphrase, or change it (give the old one); unlocks the entries.

        Changing it re-seals every private entry of that partner with the new key in one
        transaction, so a failure leaves the old passphrase working.
        """
        pid = check_partner(who)
        record = self._record(pid)
        old_key: bytes | None = None
        if record is not None:
            if old is None:
                raise ValidationError(
                    N_("This partner already has a passphrase. Give the current one to change it.")
                )
            old_key = privacy.unlock(old, record)
        key, new = privacy.new_key(passphrase, n=record.n if record else privacy.SCRYPT_N)
        with write(self._con) as con:
            if old_key is not None:
                for table, col in SEALED_COLUMNS:
                    rows = con.execute(
                        f"SELECT id, {col} FROM {table} WHERE author = ? AND {col} IS NOT NULL",  # noqa: S608 - fixed names
                        (pid,),
                    ).fetchall()
                    for row_id, blob in rows:
                        aad = _aad(table, pid)
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
            ended = con.execute("DELETE FROM sittings WHERE author = ?", (pid,)).rowcount
        if ended:
            self.scrub()
        self.keys[pid] = key

    def unlock(self, who: str, passphrase: str) -> None:
        """Open this partner's private entries for this session, or raise WrongPassphrase."""
        pid = check_partner(who)
        record = self._record(pid)
        if record is None:
            raise privacy.Locked(
                N_("No passphrase has been set yet. Set one to keep private entries.")
            )
        self.keys[pid] = privacy.unlock(passphrase, record)

    def lock(self, who: str) -> None:
        """Forget this partner's key in this session."""
        self.keys.pop(check_partner(who), None)

    def may_view_as(self, who: str) -> bool:
        """Whether what only `who` may see can be shown here.

        True once `who` has unlocked with their passphrase; also true when `who` has set no
        passphrase at all, where nothing but trust separates the partners (the pages say so).
        """
        return self.is_unlocked(who) or not self.has_passphrase(who)

    # -- sittings: one unlock for the pages of one sitting ------------------------------------

    def open_sitting(self, who: str) -> str:
        """Remember this partner's unlock for other pages; returns the browser's half.

        The key is stored sealed with a fresh random secret; the returned token (sitting id
        and secret) is all that can open it, and is kept by the browser only. Needs the
        partner to be unlocked here.
        """
        pid = check_partner(who)
        key = self.keys.get(pid)
        if key is None:
            raise privacy.Locked(N_("Unlock your private entries first."))
        sid = secrets.token_urlsafe(16)
        secret = secrets.token_bytes(32)
        wrapped = privacy.seal(secret, key, _sitting_aad(sid, pid))
        purge_sittings(self._con)
        with write(self._con) as con:
            con.execute(
                "INSERT INTO sittings (id, author, wrapped, last_used) VALUES (?, ?, ?, ?)",
                (sid, pid, wrapped, time.time()),
            )
        return f"{sid}.{base64.urlsafe_b64encode(secret).decode('ascii').rstrip('=')}"

    def resume_sitting(self, who: str, token: object, *, quiet: float = QUIET_SECONDS) -> bool:
        """Unlock with a sitting's token from this browser; False if it is unknown or over.

        A sitting is over once it has not been used for `quiet` seconds, after a lock, and
        after a change of passphrase.
        """
        pid = check_partner(who)
        parsed = _parse_sitting(token)
        record = self._record(pid)
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
            key = privacy.open_sealed(secret, row[0], _sitting_aad(sid, pid))
        except privacy.SealBroken:
            return False
        if not privacy.key_matches(key, record):
            self._end_sitting(sid)
            return False
        self.keys[pid] = key
        self.touch_sitting(who, token)
        return True

    def touch_sitting(self, who: str, token: object) -> bool:
        """Mark a sitting as in use now; False if it is over (locked elsewhere, or quiet)."""
        now = time.time()
        return self._change_sitting(
            who,
            token,
            "UPDATE sittings SET last_used = :now "
            "WHERE id = :id AND author = :who AND last_used >= :since",
            now=now,
            since=now - QUIET_SECONDS,
        )

    def _change_sitting(self, who: str, token: object, sql: str, **values: float) -> bool:
        """Run `sql` (named :id, :who and `values`) on this partner's sitting of `token`;
        whether it changed that one row (False for a token that is not a sitting's)."""
        parsed = _parse_sitting(token)
        if parsed is None:
            return False
        with write(self._con) as con:
            cur = con.execute(sql, {"id": parsed[0], "who": check_partner(who), **values})
        return cur.rowcount == 1

    def sitting_alive(self, who: str, token: object) -> bool:
        """Whether a sitting is still open (not locked elsewhere, not quiet), without a write."""
        parsed = _parse_sitting(token)
        if parsed is None:
            return False
        row = self._con.execute(
            "SELECT 1 FROM sittings WHERE id = ? AND author = ? AND last_used >= ?",
            (parsed[0], check_partner(who), time.time() - QUIET_SECONDS),
        ).fetchone()
        return row is not None

    def _end_sitting(self, sid: str) -> None:
        with write(self._con) as con:
            con.execute("DELETE FROM sittings WHERE id = ?", (sid,))
        self.scrub()

    def end_sitting(self, who: str, token: object, *, patience: float = 0.0) -> bool:
        """End one sitting of this partner (this browser's), deleting and scrubbing its row;
        whether this call deleted it.

        The file is scrubbed even when the row was already gone: whoever deleted it (another
        page, or the server on the quick exit) may have been shut down, or blocked by a
        reader, before its scrub, and the WAL would keep the row's older copies. A scrub
        blocked by readers is tried again for `patience` seconds.
        """
        if _parse_sitting(token) is None:
            return False
        ended = self._change_sitting(
            who, token, "DELETE FROM sittings WHERE id = :id AND author = :who"
        )
        self.scrub(patience=patience)
        return ended

    def end_sittings(self, who: str) -> int:
        """Lock this partner everywhere: forget the key here, end and scrub every sitting."""
        pid = check_partner(who)
        self.keys.pop(pid, None)
        with write(self._con) as con:
            cur = con.execute("DELETE FROM sittings WHERE author = ?", (pid,))
        self.scrub()
        return int(cur.rowcount)

    def purge_sittings(self) -> int:
        """Delete and scrub every sitting (of either partner) past its quiet period, and
        finish a scrub that was blocked before."""
        count = purge_sittings(self._con)
        if self.unscrubbed:
            self.scrub()
        return count

    # -- sealing ----------------------------------------------------------------------------

    def seal(self, table: str, pid: PartnerId, text: str) -> bytes:
        """`text` sealed with the author's key, or `privacy.Locked` while they are locked."""
        key = self.keys.get(pid)
        if key is None:
            raise privacy.Locked(
                N_(
                    "Private entries are kept with your passphrase. Unlock them (or set a "
                    "passphrase) first; nothing was saved."
                )
            )
        return privacy.seal(key, text.encode("utf-8"), _aad(table, pid))

    def unseal(self, table: str, pid: PartnerId, blob: bytes) -> str:
        """The text of a sealed entry (its author is unlocked)."""
        try:
            return privacy.open_sealed(self.keys[pid], blob, _aad(table, pid)).decode()
        except privacy.SealBroken as err:
            raise DamagedWorkbook(
                N_("A private entry cannot be decrypted; it may be damaged.")
            ) from err

    def can_see_private(self, viewer: str | None, author: str) -> bool:
        """Whether `viewer` may see a private entry of `author` (their own, unlocked)."""
        return viewer is not None and viewer == author and viewer in self.keys
