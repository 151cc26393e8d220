"""Records in the file: one generic way to read, write, change and delete them, and the couple.

Each kind of record (a domain dataclass) maps to one table (`KINDS`). `Records._select` reads
any table filtered by author, other columns and a period, and `to_record` rebuilds a record from
its row; `Records._add` stores a new record (`to_row`) and `Records._change_own` changes or
deletes one of an author's own entries, checking its version. The kinds themselves are in
`journal` (check-ins and reflections, which may be private) and `ledger` (promises, progress,
CSI-4 and self-care).
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from .. import domain
from ..domain import (
    PARTNER_IDS,
    Partner,
    ValidationError,
    check_partner,
    partner_name,
    same_name,
)
from ..i18n import N_, known, languages
from ..validation import Message
from .errors import DIFFERENT_NAMES, GONE, STALE, DamagedWorkbook, StaleEntry
from .keyring import Keyring
from .schema import write

R = TypeVar("R")

#: The tables of entries a partner writes (and may correct or delete).
OWNED_TABLES = frozenset({"checkins", "reflections", "promises", "selfcare", "replies"})


@dataclasses.dataclass(frozen=True)
class Kind:
    """Where a kind of record is stored: its table, its order, the column a period bounds."""

    table: str
    order: str
    period: str = "at"


KINDS: dict[type, Kind] = {
    domain.CheckIn: Kind("checkins", "at, id"),
    domain.Reflection: Kind("reflections", "at, id"),
    domain.Promise: Kind("promises", "made, id"),
    domain.StepProgress: Kind("progress", "step, author"),
    domain.CSI4Answer: Kind("csi4", "day, id", period="day"),
    domain.SelfCare: Kind("selfcare", "day, id", period="day"),
    domain.Reply: Kind("replies", "at, id"),
}


def iso(d: date | None) -> str | None:
    """A date as stored (ISO text), or None."""
    return None if d is None else d.isoformat()


def _date(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


#: How a stored column becomes a record's field (the others are stored as they are).
_FROM_SQL: dict[str, Callable[[Any], Any]] = {
    "at": datetime.fromisoformat,
    "made": date.fromisoformat,
    "day": date.fromisoformat,
    "due": _date,
    "resolved": _date,
    "done": bool,
}


def to_record(cls: type[R], row: sqlite3.Row, **fields: Any) -> R:
    """The record of class `cls` stored in `row`; `fields` give values the row does not hold."""
    columns = row.keys()
    stored = {
        f.name: _FROM_SQL.get(f.name, _as_stored)(row[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in columns
    }
    return cls(**(stored | fields))


def _as_stored(value: Any) -> Any:
    return value


def to_row(record: Any) -> dict[str, Any]:
    """The columns a new record is stored in (its id and version are the table's to give)."""
    row: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name in ("id", "version"):
            continue
        if f.name == "items":  # a CSI-4 answer: one column per item
            row.update(zip(("i1", "i2", "i3", "i4"), value, strict=True))
        else:
            row[f.name] = value.isoformat() if isinstance(value, date) else value
    return row


def bound(value: datetime | date, *, start: bool) -> str:
    """A time bound as stored (UTC ISO text); a date means the whole local day.

    A bound beyond what dates can hold (the day after 9999-12-31, or local midnight of
    0001-01-01 moved to UTC) means "no bound": it sorts before or after every stored time.
    """
    if not isinstance(value, date):
        raise ValidationError(N_("A period is bounded by dates, got %(got)s."), got=repr(value))
    try:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.astimezone()
            return value.astimezone(UTC).isoformat()
        day = value if start else date.fromordinal(value.toordinal() + 1)
        return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC).isoformat()
    except (ValueError, OverflowError):
        return "0000" if start else "9999-99"


def insert(con: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> int | None:
    """Insert one row (column names from this package only); returns its rowid."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur = con.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - checked names
        tuple(values.values()),
    )
    return cur.lastrowid


class Records:
    """Reading and writing records of any kind, and the couple they belong to."""

    path: Path
    _con: sqlite3.Connection
    _keyring: Keyring

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with write(self._con) as con:
            yield con

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        cur = self._con.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    @staticmethod
    def _where(
        kind: Kind,
        equal: Mapping[str, Any],
        since: datetime | date | None = None,
        until: datetime | date | None = None,
    ) -> tuple[str, tuple[Any, ...]]:
        """The WHERE clause for columns equal to values (None: any) and a period, and its
        parameters. An author is checked first."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in equal.items():
            if value is not None:
                where.append(f"{column} = ?")
                params.append(check_partner(value) if column == "author" else value)
        for value, op, start in ((since, ">=", True), (until, "<", False)):
            if value is not None:
                where.append(f"{kind.period} {op} ?")
                params.append(bound(value, start=start))
        return (" WHERE " + " AND ".join(where) if where else ""), tuple(params)

    def _select(
        self,
        cls: type,
        *,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        **equal: Any,
    ) -> list[sqlite3.Row]:
        """The rows of one kind of record, in its order, filtered by `equal` and a period."""
        kind = KINDS[cls]
        where, params = self._where(kind, equal, since, until)
        sql = f"SELECT * FROM {kind.table}{where} ORDER BY {kind.order}"  # noqa: S608 - fixed
        return self._rows(sql, params)

    def _add(self, record: R, **stored: Any) -> R:
        """Save a new record, `stored` in place of some of its columns; returns it with its id."""
        with self._write() as con:
            row_id = insert(con, KINDS[type(record)].table, to_row(record) | stored)
        return dataclasses.replace(record, id=row_id)  # type: ignore[type-var]

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
        if table not in OWNED_TABLES:
            raise ValueError(f"not an entry table: {table}")
        pid = check_partner(author)
        with self._write() as con:
            row = con.execute(
                f"SELECT author, version FROM {table} WHERE id = ?",  # noqa: S608 - checked name
                (entry_id,),
            ).fetchone()
            if row is None:
                raise StaleEntry(GONE)
            if row[0] != pid:
                raise ValidationError(
                    N_("Only the partner who wrote this can change it. Nothing was changed.")
                )
            if version is not None and row[1] != version:
                raise StaleEntry(STALE)
            if values is None:
                con.execute(f"DELETE FROM {table} WHERE id = ?", (entry_id,))  # noqa: S608
                if table in domain.REPLY_TABLES:  # its answers go with it
                    con.execute(
                        "DELETE FROM replies WHERE entry_table = ? AND entry_id = ?",
                        (table, entry_id),
                    )
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
                N_("%(file)s is incomplete (it has no partners). It was left untouched."),
                file=self.path.name,
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
            raise ValidationError(DIFFERENT_NAMES)
        with self._write() as con:
            con.execute("UPDATE partners SET name = ? WHERE id = ?", (partner.name, partner.id))
        return partner

    def partner_lang(self, who: str) -> str | None:
        """The language this partner chose for the interface ("es", "en"), or None."""
        row = self._con.execute(
            "SELECT lang FROM partners WHERE id = ?", (check_partner(who),)
        ).fetchone()
        return known(row[0]) if row else None

    def set_partner_lang(self, who: str, lang: str) -> str:
        """Keep the language this partner reads the workbook in; returns it."""
        pid = check_partner(who)
        code = known(lang)
        if code is None:
            *some, last = languages()
            offered = Message(N_("%(some)s or %(last)s"), some=", ".join(some), last=last)
            raise ValidationError(
                N_("Choose a language the workbook speaks: %(offered)s."), offered=offered
            )
        with self._write() as con:
            con.execute("UPDATE partners SET lang = ? WHERE id = ?", (code, pid))
        return code

    def set_consent(self, who: str, consent: bool) -> None:
        """Whether this partner lets anonymised mood and trust join a workshop's aggregate."""
        pid = check_partner(who)
        if not isinstance(consent, bool):
            raise ValidationError(N_("Consent is yes or no."))
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
