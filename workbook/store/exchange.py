"""Everything in and out of a workbook: JSON export and restore, CSV, plain records, frames."""

from __future__ import annotations

import base64
import csv
import io
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from ..domain import PARTNER_IDS, UNRECORDED_STEPS, CheckIn, ValidationError
from .journal import Journal
from .ledger import Ledger
from .records import insert
from .schema import EXPORT_FORMAT, SCHEMA_VERSION

#: The tables an export holds, in an order that satisfies their references.
TABLES = ("partners", "checkins", "reflections", "promises", "progress", "csi4", "selfcare")
_BLOB_COLUMNS = {"key_salt", "key_check", "note_sealed", "text_sealed"}
#: First characters that make a spreadsheet read a cell as a formula (or a command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FRAME_COLUMNS = ["id", "at", "day", "partner", "name", "mood", "trust", "note", "visibility"]


class Exchange(Journal, Ledger):
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


def read_export(text: str | bytes) -> dict[str, Any]:
    """The document of a `Workbook.export_json()` text, checked enough to start an import."""
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
    return doc


def export_partners(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The partners of an export by id; both must be there."""
    partners = {p["id"]: p for p in doc.get("partners", []) if isinstance(p, dict)}
    if set(partners) != set(PARTNER_IDS):
        raise ValidationError("That export does not name both partners.")
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
        raise ValidationError(f"unknown column(s) {sorted(unknown)} in {table}")
    values = {
        c: base64.b64decode(row[c]) if c in _BLOB_COLUMNS and row[c] is not None else row[c]
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
