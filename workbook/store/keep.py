"""A workbook to keep and to move: one backup file, restored on another computer; imports.

A backup is the JSON export (`Exchange.export_json`: every table, private text still sealed,
nothing of step 8) inside a small envelope that carries when it was made and the export's
SHA-256, so that a file damaged on the way is refused before anything is written. A plain
export is read too. Restoring never overwrites a workbook: a name in use is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .. import privacy
from ..domain import PARTNER_IDS, CheckIn, ValidationError
from ..i18n import N_
from ..validation import Reworded
from .exchange import (
    MAX_EXPORT_BYTES,
    NOTHING_IMPORTED,
    Exchange,
    check_export,
    export_partners,
    read_export,
)

BACKUP_FORMAT = "healing-together-backup"
BACKUP_VERSION = 1


class Keep(Exchange):
    """Backups and imported check-ins of a workbook."""

    def backup(self, *, viewer: str | None = None) -> str:
        """The workbook as one backup text (see the module's docstring).

        With a `viewer` (a backup made in the pages), only what that partner may have: all of
        their own entries and their partner's shared ones; the partner's private check-ins
        and reflections, their answers not yet revealed, and their passphrase record are left
        out (their sealed text and their private moods are theirs to keep). Without one (the
        library, the command line: whoever holds the file), everything.
        """
        if viewer is not None and not self._keyring.may_view_as(viewer):
            # Their own private entries and unrevealed answers are in it: only for them.
            raise privacy.Locked(
                N_(
                    "Your backup carries your private entries and your answers not yet "
                    "revealed: unlock them with your passphrase first. No backup was made."
                )
            )
        if viewer is None:
            export = self.export_json()
        else:
            # The partner's paired answers that this viewer sees (both answered) go in too.
            revealed = {
                entry_id
                for (table, entry_id), author in self.answerable(viewer).items()
                if table == "reflections" and author != viewer
            }
            export = _for_viewer(self.export_json(), viewer, revealed)
        made = datetime.now(UTC).replace(microsecond=0).isoformat()
        doc = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "made_at": made,
            "by": viewer,
            "sha256": hashlib.sha256(export.encode("utf-8")).hexdigest(),
            "export": export,
        }
        return json.dumps(doc, ensure_ascii=False, indent=0)

    def checkin_times(self, author: str) -> set[datetime]:
        """When each of this partner's check-ins was made (private ones too): for imports."""
        rows = self._rows("SELECT at FROM checkins WHERE author = ?", (author,))
        return {datetime.fromisoformat(r["at"]) for r in rows}

    def add_new_checkins(self, checkins: Sequence[CheckIn]) -> int:
        """Save the check-ins this partner does not have yet (same author and moment), in one
        transaction; private ones sealed with the author's key (unlock first). Returns how
        many were written: importing the same file again writes none."""
        seen: dict[str, set[datetime]] = {}
        rows = []
        for c in checkins:
            times = seen.setdefault(c.author, self.checkin_times(c.author))
            if c.at in times:
                continue
            times.add(c.at)
            stored: dict[str, object] = {"mood": c.mood, "trust": c.trust, "note": c.note}
            if c.visibility == "private":
                stored = self._sealed_checkin(c)
            rows.append(
                (
                    c.author,
                    c.at.isoformat(),
                    stored["mood"],
                    stored["trust"],
                    stored["note"],
                    stored.get("note_sealed"),
                    c.visibility,
                )
            )
        if rows:
            with self._write() as con:
                con.executemany(
                    "INSERT INTO checkins (author, at, mood, trust, note, note_sealed, visibility)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        return len(rows)


def _for_viewer(export: str, viewer: str, revealed: Set[int] = frozenset()) -> str:
    """An export with only what `viewer` may have (see `Keep.backup`).

    `revealed`: ids of the partner's paired answers this viewer sees. Answers (replies) go
    with their entry: one under an entry left out is left out, so the backup restores.
    """
    if viewer not in PARTNER_IDS:
        raise ValidationError(N_("A backup is made by partner a or b."))
    doc = json.loads(export)
    for table in ("checkins", "reflections"):
        doc[table] = [
            r
            for r in doc[table]
            if r["author"] == viewer
            or r["visibility"] == "shared"
            or (table == "reflections" and r["id"] in revealed)
        ]
    kept = {"reflections": {r["id"] for r in doc["reflections"]}}
    doc["replies"] = [
        r
        for r in doc.get("replies", [])
        if r["entry_table"] not in kept or r["entry_id"] in kept[r["entry_table"]]
    ]
    for partner in doc["partners"]:
        if partner["id"] != viewer:
            partner.update(key_salt=None, key_check=None, key_n=None)
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, said before it is restored."""

    name: str
    names: Mapping[str, str]
    made_at: datetime | None
    counts: Mapping[str, int]
    private: int
    first: date | None
    last: date | None
    checked: bool
    #: The partner who made it in the pages (None: the whole workbook).
    by: str | None
    #: The export inside, checked and ready for `import_json`.
    export: str

    def lines(self) -> list[str]:
        """The summary in plain sentences."""
        a, b = self.names["a"], self.names["b"]
        made = (
            self.made_at.strftime("%d %b %Y at %H:%M UTC") if self.made_at else "on a day not given"
        )
        c = self.counts
        span = (
            f"Entries from {self.first:%d %b %Y} to {self.last:%d %b %Y}."
            if self.first and self.last
            else "It holds no dated entries."
        )
        return [
            f"The workbook {self.name!r} of {a} and {b}, saved {made}.",
            f"{_n(c['checkins'], 'check-in')}, {_n(c['reflections'], 'written answer')}, "
            f"{_n(c['promises'], 'promise')}, {_n(c['csi4'], 'weekly satisfaction check')}, "
            f"{_n(c['selfcare'], 'self-care entry', 'self-care entries')}, "
            f"{_n(c['progress'], 'step')} marked.",
            (
                f"{_n(self.private, 'private entry', 'private entries')}, still locked: each "
                "opens only with its author's passphrase, which is not in the file."
                if self.private
                else "No private entries."
            ),
            span,
        ] + (
            [
                f"Made by {self.names[self.by]}: the other partner's private entries and "
                "unrevealed answers are not in it; they can make their own backup."
            ]
            if self.by in PARTNER_IDS
            else []
        )


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _entry_days(doc: Mapping[str, Any]) -> list[date]:
    days = []
    for table, column in (("checkins", "at"), ("reflections", "at"), ("csi4", "day")):
        for row in doc.get(table, []):
            value = row.get(column) if isinstance(row, dict) else None
            if isinstance(value, str):
                try:
                    days.append(datetime.fromisoformat(value).date())
                except ValueError:
                    continue
    return days


def read_backup(data: str | bytes) -> BackupSummary:
    """Read and check a backup (or a plain export) completely, writing nothing.

    A damaged file (its checksum, its JSON, any row), a file of another app or a newer
    version is refused with a ValidationError that says why.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_EXPORT_BYTES * 2:
            raise ValidationError(
                N_("That file is far too large to be a backup. Nothing was restored.")
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                N_("That is not a workbook backup (it is not text). Nothing was restored.")
            ) from None
    try:
        envelope = json.loads(data)
    except (ValueError, RecursionError):
        raise ValidationError(
            N_(
                "That file is damaged or is not a workbook backup (it is not complete JSON). "
                "Nothing was restored."
            )
        ) from None
    made_at = None
    checked = False
    by = None
    if isinstance(envelope, dict) and envelope.get("format") == BACKUP_FORMAT:
        export = envelope.get("export")
        version = envelope.get("version")
        if not isinstance(version, int) or version > BACKUP_VERSION:
            raise ValidationError(
                N_(
                    "That backup comes from a newer version of Healing Together. "
                    "Nothing was restored."
                )
            )
        if not isinstance(export, str) or not isinstance(envelope.get("sha256"), str):
            raise ValidationError(
                N_("That backup is damaged (its contents are missing). Nothing was restored.")
            )
        digest = hashlib.sha256(export.encode("utf-8")).hexdigest()
        if digest != envelope["sha256"]:
            raise ValidationError(
                N_(
                    "That backup is damaged: its contents changed after it was made (the "
                    "checksum does not match). Nothing was restored."
                )
            )
        checked = True
        by = envelope.get("by") if envelope.get("by") in PARTNER_IDS else None
        try:
            made_at = datetime.fromisoformat(str(envelope.get("made_at")))
        except ValueError:
            made_at = None
    else:
        export = data
    try:
        doc = read_export(export)
        partners = export_partners(doc)
        name = str(doc.get("meta", {}).get("name") or "restored")
        check_export(doc, name)
    except ValidationError as err:
        said = str(err).replace(" " + NOTHING_IMPORTED, "").replace("export", "backup")
        raise ValidationError(
            N_("%(said)s Nothing was restored."), said=Reworded(said, err, NOTHING_IMPORTED)
        ) from None
    counts = {
        t: len(doc.get(t, []))
        for t in ("checkins", "reflections", "promises", "csi4", "selfcare", "progress")
    }
    private = sum(
        1
        for t in ("checkins", "reflections")
        for r in doc.get(t, [])
        if r.get("visibility") == "private"
    )
    days = _entry_days(doc)
    return BackupSummary(
        name=name,
        names={pid: str(partners[pid]["name"]) for pid in PARTNER_IDS},
        made_at=made_at,
        counts=counts,
        private=private,
        first=min(days) if days else None,
        last=max(days) if days else None,
        checked=checked,
        by=by,
        export=export,
    )


def backup_filename(name: str, day: date | None = None) -> str:
    """The backup file's name: the workbook's name and the day."""
    return f"{name}-backup-{(day or date.today()).isoformat()}.json"


def free_name(name: str, taken: Sequence[str]) -> str:
    """`name`, or `name-2`, `name-3`, ... : the first not in `taken`."""
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"
