"""Everything in and out of a workbook: JSON export and restore, CSV, plain records, frames."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from .. import domain
from ..domain import PARTNER_IDS, UNRECORDED_STEPS, CheckIn, ValidationError
from ..i18n import N_
from ..privacy import NONCE_BYTES
from .consents import ReportConsents
from .records import insert, to_record
from .replies import Replies
from .schema import EXPORT_FORMAT, MIGRATIONS, SCHEMA_VERSION

#: The tables an export holds, in an order that satisfies their references.
TABLES = (
    "partners",
    "checkins",
    "reflections",
    "promises",
    "progress",
    "csi4",
    "selfcare",
    "replies",
)
_BLOB_COLUMNS = {"key_salt", "key_check", "note_sealed", "text_sealed"}
#: First characters that make a spreadsheet read a cell as a formula (or a command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FRAME_COLUMNS = ["id", "at", "day", "partner", "name", "mood", "trust", "note", "visibility"]
#: The largest export `read_export` reads: far above a couple's years of writing (each text is
#: at most 20,000 characters), far below what would exhaust a laptop's memory.
MAX_EXPORT_BYTES = 25 * 2**20
#: The shortest sealed text: a nonce and AES-GCM's 16-byte tag around an empty text.
_SEALED_MIN = NONCE_BYTES + 16


class Exchange(Replies, ReportConsents):
    """Exports of a workbook: JSON (everything), CSV, plain records and a DataFrame."""

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
                if not _step_8_trace(name, dict(r))  # step 8 leaves no trace, here either
            ]

        doc = {
            "format": EXPORT_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "meta": {r["key"]: r["value"] for r in self._rows("SELECT * FROM meta")},
            **{t: table(t) for t in TABLES},
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
            "replies": [asdict(r) for r in self.replies(viewer=viewer)],
        }

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
        return pd.DataFrame(rows, columns=_FRAME_COLUMNS)


#: The last sentence of a refused import's message (a restore says "Nothing was restored.").
NOTHING_IMPORTED = N_("Nothing was imported.")
#: What a private row's sealed text is, in the message when it is missing.
_SEALED_WHAT = {"passphrase check": N_("passphrase check"), "note": N_("note"), "text": N_("text")}


def read_export(text: str | bytes) -> dict[str, Any]:
    """The document of a `Workbook.export_json()` text, checked enough to start an import.

    At most `MAX_EXPORT_BYTES`; JSON nested too deep to read is refused with a message too.
    """
    if not isinstance(text, str | bytes):
        raise ValidationError(N_("That is not a workbook export (it is not text)."))
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_EXPORT_BYTES:
        raise ValidationError(
            N_(
                "That file is too large to be a workbook export (%(size)s MB; an export is at "
                "most %(most)d MB). Nothing was imported."
            ),
            size=f"{size / 2**20:.0f}",
            most=MAX_EXPORT_BYTES // 2**20,
        )
    try:
        doc = json.loads(text)
    except RecursionError as err:
        raise ValidationError(
            N_(
                "That is not a workbook export (its JSON is nested far too deep). "
                "Nothing was imported."
            )
        ) from err
    except (ValueError, TypeError) as err:
        raise ValidationError(
            N_("That is not a workbook export (not valid JSON: %(why)s)."), why=str(err)
        ) from err
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise ValidationError(N_("That JSON is not a Healing Together workbook export."))
    version = doc.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValidationError(
            N_("That export comes from a newer version of Healing Together (format %(version)s)."),
            version=str(version),
        )
    return doc


def check_export(doc: Mapping[str, Any], name: str) -> None:
    """Check every row of an export before anything is written; ValidationError says which.

    The rows are restored into a workbook in memory and each is rebuilt as its domain record
    (ranges, steps, dates, text lengths), and each private row must hold sealed text only:
    no plain text beside it, and sealed text that is base64 of at least a nonce and a tag.
    Whether sealed text opens needs its author's passphrase, which an import does not have:
    an entry damaged inside its ciphertext is shown as damaged when read (see `journal`).
    """
    con = sqlite3.connect(":memory:")
    con.row_factory = sqlite3.Row
    try:
        for script in MIGRATIONS:
            con.executescript(script)
        for t in TABLES:
            rows = doc.get(t, [])
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValidationError(N_("its %(table)s are not a list of rows"), table=t)
        try:
            restore(con, doc, name)
        except (sqlite3.Error, TypeError, ValueError, binascii.Error, OverflowError) as err:
            raise ValidationError(str(err)) from err  # a library's own words, as written
        for t in TABLES:
            for n, row in enumerate(con.execute(f"SELECT * FROM {t} ORDER BY rowid"), 1):  # noqa: S608
                try:
                    _check_row(t, row)
                except (ValidationError, KeyError, TypeError, ValueError) as err:
                    raise ValidationError(
                        N_("%(table)s row %(n)d: %(why)s"), table=t, n=n, why=err
                    ) from err
        _check_replies(con)
    except ValidationError as err:
        raise ValidationError(
            N_("That export could not be imported (%(why)s). Nothing was imported."), why=err
        ) from err
    finally:
        con.close()


def _sealed(blob: object, what: str) -> None:
    if not isinstance(blob, bytes) or len(blob) < _SEALED_MIN:
        raise ValidationError(
            N_("the sealed %(what)s is missing or too short to be sealed text"),
            what=_SEALED_WHAT[what],
        )


def _check_row(table: str, r: sqlite3.Row) -> None:
    """One restored row, as the store would read it (see `_check_export`)."""
    if table == "partners":
        domain.Partner(id=r["id"], name=r["name"])
        keyed = [r["key_salt"] is not None, r["key_check"] is not None, r["key_n"] is not None]
        if any(keyed) and not all(keyed):
            raise ValidationError(N_("a passphrase record is incomplete"))
        if r["key_check"] is not None:
            _sealed(r["key_check"], "passphrase check")
    elif table == "checkins":
        if r["visibility"] == "private":
            if r["note"]:
                raise ValidationError(N_("a private check-in holds plain text"))
            if r["mood"] is None:  # its numbers sealed with its note (schema 8)
                _sealed(r["note_sealed"], "note")
                to_record(domain.CheckIn, r, mood=1, trust=1)  # the numbers open with the key
                return
            if r["note_sealed"] is not None:
                _sealed(r["note_sealed"], "note")
        elif r["note_sealed"] is not None:
            raise ValidationError(N_("a shared check-in holds sealed text"))
        to_record(domain.CheckIn, r)
    elif table == "reflections":
        if r["visibility"] == "private":
            if r["text"] is not None:
                raise ValidationError(N_("a private reflection holds plain text"))
            _sealed(r["text_sealed"], "text")
            to_record(domain.Reflection, r, text="sealed")
        else:
            if r["text_sealed"] is not None:
                raise ValidationError(
                    N_("a paired reflection holds sealed text")
                    if r["visibility"] == "paired"
                    else N_("a shared reflection holds sealed text")
                )
            to_record(domain.Reflection, r)
    elif table == "promises":
        to_record(domain.Promise, r)
    elif table == "progress":
        to_record(domain.StepProgress, r)
    elif table == "csi4":
        to_record(domain.CSI4Answer, r, items=(r["i1"], r["i2"], r["i3"], r["i4"]))
    elif table == "selfcare":
        to_record(domain.SelfCare, r)
    elif table == "replies":
        to_record(domain.Reply, r)


def _check_replies(con: sqlite3.Connection) -> None:
    """Each answer is under an entry of the other partner that both may see."""
    for n, r in enumerate(con.execute("SELECT * FROM replies ORDER BY rowid"), 1):
        table = r["entry_table"]
        if table not in domain.REPLY_TABLES:
            raise ValidationError(
                N_("replies row %(n)d: it answers something that cannot be answered"), n=n
            )
        entry = con.execute(
            f"SELECT * FROM {table} WHERE id = ?",  # noqa: S608 - a checked name
            (r["entry_id"],),
        ).fetchone()
        if entry is None:
            raise ValidationError(N_("replies row %(n)d: the entry it answers is not there"), n=n)
        if entry["author"] == r["author"]:
            raise ValidationError(N_("replies row %(n)d: it answers its own author"), n=n)
        # An entry made private after it was answered keeps its answers out of view (the
        # store's rule), so they are in a whole workbook's export; step 8 is never answered.
        if table == "reflections" and entry["step"] in UNRECORDED_STEPS:
            raise ValidationError(
                N_("replies row %(n)d: it answers an entry no one else may see"), n=n
            )


def export_partners(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The partners of an export by id; both must be there."""
    partners = {p["id"]: p for p in doc.get("partners", []) if isinstance(p, dict)}
    if set(partners) != set(PARTNER_IDS):
        raise ValidationError(N_("That export does not name both partners."))
    return partners


def restore(con: sqlite3.Connection, doc: Mapping[str, Any], name: str) -> None:
    """Replace a new workbook's contents with an export's, row by row (in a transaction)."""
    meta = dict(doc.get("meta", {}))
    meta["name"] = name
    con.execute("DELETE FROM meta")
    con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", list(meta.items()))
    con.execute("DELETE FROM partners")
    for t in TABLES:
        for row in doc.get(t, []):
            if _step_8_trace(t, row):
                continue  # an export from an older version: step 8 leaves no trace here either
            _insert_row(con, t, row)


def _step_8_trace(table: str, row: object) -> bool:
    """Whether an exported row is a trace of step 8 (its progress or a reflection on it)."""
    return (
        table in ("progress", "reflections")
        and isinstance(row, dict)
        and row.get("step") in UNRECORDED_STEPS
    )


def _insert_row(con: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    cols = [str(c) for c in row]
    allowed = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    unknown = set(cols) - allowed
    if unknown:
        raise ValidationError(
            N_("unknown column(s) %(columns)s in %(table)s"),
            columns=str(sorted(unknown)),
            table=table,
        )
    values = {
        c: base64.b64decode(row[c], validate=True)
        if c in _BLOB_COLUMNS and row[c] is not None
        else row[c]
        for c in cols
    }
    insert(con, table, values)


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
