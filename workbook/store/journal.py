"""Check-ins and reflections: the entries that may be private (sealed with the author's key)."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import replace
from datetime import date, datetime

from .. import privacy
from ..domain import (
    PARTNER_IDS,
    CheckIn,
    Reflection,
    ValidationError,
    Visibility,
    check_partner,
    now,
)
from ..i18n import N_
from .errors import DAMAGED, DamagedWorkbook, StaleEntry
from .keyring import SEALED_COLUMNS
from .records import KINDS, Records, to_record

log = logging.getLogger("workbook.store")


class Journal(Records):
    """Check-ins and reflections, each shown only to whom may see it."""

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
        if c.visibility == "private":
            # A private check-in, its numbers too, is for its author alone: sealed with their
            # key (even without a note), and shown only once they have unlocked.
            return self._add(c, **self._sealed_checkin(c))
        return self._add(c)

    def _sealed_checkin(self, c: CheckIn) -> dict[str, object]:
        """The stored columns of a private check-in: mood, trust and note sealed together."""
        numbers = {"mood": c.mood, "trust": c.trust, "note": c.note}
        blob = self._keyring.seal("checkins", c.author, json.dumps(numbers, ensure_ascii=False))
        return {"mood": None, "trust": None, "note": "", "note_sealed": blob}

    def _opened_checkin(self, r: sqlite3.Row) -> CheckIn | None:
        """A private check-in its author may see, opened; None when its seal is damaged."""
        if r["mood"] is not None:  # sealed before its numbers were (schema 7): the note only
            note = r["note"] if r["note_sealed"] is None else self._unseal_or_mark("checkins", r)
            return to_record(CheckIn, r, note=note)
        text = self._unseal_or_mark("checkins", r)
        if text == DAMAGED:  # logged where it did not open
            return None
        try:
            opened = json.loads(text)
            return to_record(
                CheckIn, r, mood=opened["mood"], trust=opened["trust"], note=opened["note"]
            )
        except (ValueError, TypeError, KeyError, ValidationError):
            log.warning("A private check-in (id %s) opened to no numbers.", r["id"])
            return None

    def seal_private_numbers(self, who: str) -> int:
        """Seal the numbers of this partner's private check-ins saved before they were sealed
        (schema 7 and older); they need the key, so this runs when the author unlocks.
        Returns how many were sealed; the file is scrubbed of the plain numbers."""
        pid = check_partner(who)
        rows = self._rows(
            "SELECT * FROM checkins WHERE author = ? AND visibility = 'private' "
            "AND mood IS NOT NULL",
            (pid,),
        )
        changes = []
        for r in rows:
            c = self._opened_checkin(r)
            if c is not None and c.note != DAMAGED:
                changes.append((self._sealed_checkin(c)["note_sealed"], r["id"]))
        if changes:
            with self._write() as con:
                con.executemany(
                    "UPDATE checkins SET mood = NULL, trust = NULL, note = '', note_sealed = ? "
                    "WHERE id = ?",
                    changes,
                )
            self._keyring.scrub()
        return len(changes)

    def add_checkins(self, checkins: list[CheckIn]) -> int:
        """Save many shared check-ins in one transaction (for imports and demos)."""
        rows = []
        for c in checkins:
            if c.visibility != "shared":
                raise ValidationError(N_("Bulk check-ins must be shared; add private ones singly."))
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
        out: list[CheckIn] = []
        for r in self._select(CheckIn, since=since, until=until, author=partner):
            if r["visibility"] != "private":
                out.append(to_record(CheckIn, r))
            elif self._keyring.can_see_private(viewer, r["author"]):
                opened = self._opened_checkin(r)
                if opened is not None:
                    out.append(opened)
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
                N_(
                    "That check-in is not one of yours that this page may change, or it is gone. "
                    "Nothing was changed."
                )
            )
        new = replace(old, mood=mood, trust=trust, note=note, visibility=visibility)
        stored: dict[str, object] = (
            self._sealed_checkin(new)
            if visibility == "private"
            else {"mood": new.mood, "trust": new.trust, "note": new.note, "note_sealed": None}
        )
        self._change_own("checkins", checkin_id, pid, version, stored | {"visibility": visibility})
        return replace(new, version=(version or old.version) + 1)

    def delete_checkin(self, checkin_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own check-ins, from the file, exports and charts."""
        self._change_own("checkins", checkin_id, author, version, None)

    def private_checkin_count(
        self,
        who: str,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
    ) -> int:
        """How many private check-ins this partner has in a period (others see the count only)."""
        equal = {"author": check_partner(who), "visibility": "private"}
        where, params = self._where(KINDS[CheckIn], equal, since, until)
        sql = f"SELECT COUNT(*) FROM checkins{where}"  # noqa: S608 - fixed names
        return int(self._con.execute(sql, params).fetchone()[0])

    def private_reflection_count(self, who: str, step: int, prompt: str) -> int:
        """How many private answers this partner has to one prompt (a count while locked)."""
        row = self._con.execute(
            "SELECT COUNT(*) FROM reflections WHERE author = ? AND visibility = 'private' "
            "AND step = ? AND prompt = ?",
            (check_partner(who), step, prompt),
        ).fetchone()
        return int(row[0])

    def locked_count(self, who: str) -> int:
        """How many private entries of this partner exist (shown as a count while locked)."""
        pid = check_partner(who)
        n = 0
        for table, _ in SEALED_COLUMNS:
            n += self._con.execute(
                f"SELECT COUNT(*) FROM {table} WHERE author = ? AND visibility = 'private'",  # noqa: S608
                (pid,),
            ).fetchone()[0]
        return int(n)

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
        if r.visibility == "paired" and not self._keyring.may_view_as(r.author):
            raise privacy.Locked(
                N_(
                    "Unlock with your passphrase first, so that no one else can answer as you; "
                    "nothing was saved."
                )
            )
        if r.visibility == "private":
            return self._add(
                r, text=None, text_sealed=self._keyring.seal("reflections", r.author, r.text)
            )
        return self._add(r)

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
        rows = self._select(Reflection, step=step, prompt=prompt, author=author)
        answered = self._paired_answerers()
        out = []
        for r in rows:
            vis = r["visibility"]
            text = r["text"]
            if vis == "private":
                if not self._keyring.can_see_private(viewer, r["author"]):
                    continue
                text = self._unseal_or_mark("reflections", r)
            elif vis == "paired" and viewer is not None and not self._keyring.may_view_as(viewer):
                # Seeing a paired answer as a partner (one's own before the reveal, both
                # after it) needs that partner's own secret when they have one.
                continue
            elif vis == "paired" and viewer != r["author"]:
                who = answered.get((r["step"], r["prompt"]), set())
                needed = set(PARTNER_IDS) if viewer is None else {viewer}
                if not needed <= who:
                    continue
            out.append(to_record(Reflection, r, text=text))
        return out

    def _unseal_or_mark(self, table: str, r: sqlite3.Row) -> str:
        """A private row's text, or `DAMAGED` when it does not open (one damaged row must not
        hide the author's other private entries)."""
        blob = r["note_sealed" if table == "checkins" else "text_sealed"]
        try:
            if not isinstance(blob, bytes):
                raise DamagedWorkbook(N_("A private entry has no sealed text."))
            return self._keyring.unseal(table, r["author"], blob)
        except (DamagedWorkbook, UnicodeDecodeError):
            log.warning("A private entry in %s (id %s) cannot be decrypted.", table, r["id"])
            return DAMAGED

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
        pid = check_partner(author)
        old = next(
            (r for r in self.reflections(viewer=pid, author=pid) if r.id == reflection_id), None
        )
        if old is None:
            raise StaleEntry(
                N_(
                    "That entry is not one of yours that this page may change, or it is gone. "
                    "Nothing was changed."
                )
            )
        vis = visibility or old.visibility
        if (old.visibility == "paired") != (vis == "paired"):
            raise ValidationError(
                N_("An answer for two stays an answer for two. Nothing was changed.")
            )
        new = replace(old, text=text, visibility=vis)  # validated by the domain
        sealed = self._keyring.seal("reflections", pid, new.text) if vis == "private" else None
        plain = None if vis == "private" else new.text
        self._change_own(
            "reflections",
            reflection_id,
            author,
            version,
            {"text": plain, "text_sealed": sealed, "visibility": vis},
        )
        return replace(new, version=(version or old.version) + 1)
