"""Promises, progress through the steps, the weekly CSI-4 and self-care: plain shared records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from ..domain import (
    UNRECORDED_STEPS,
    CSI4Answer,
    Promise,
    PromiseStatus,
    SelfCare,
    StepProgress,
    ValidationError,
    check_partner,
    now,
)
from ..i18n import N_
from ..validation import Day
from .errors import GONE, STALE, StaleEntry
from .records import Records, iso, to_record

#: The satisfaction check is answered at most once in this many days.
CSI4_EVERY_DAYS = 7
_PROMISE_GONE = N_("That promise is no longer there. Nothing was changed.")


class Ledger(Records):
    """Promises, step progress, CSI-4 answers and self-care, as plain records."""

    # -- promises ---------------------------------------------------------------------------

    def add_promise(
        self, author: str, text: str, *, made: date | None = None, due: date | None = None
    ) -> Promise:
        """Record a promise one partner made."""
        p = Promise(author=check_partner(author), text=text, made=made or date.today(), due=due)
        return self._add(p)

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
        current = self._promise(promise_id)
        resolved = None if status == "open" else (on or date.today())
        p = replace(current, status=status, resolved=resolved, version=current.version + 1)
        with self._write() as con:
            cur = con.execute(
                "UPDATE promises SET status = ?, resolved = ?, version = version + 1"
                " WHERE id = ? AND version = ?",
                (p.status, iso(p.resolved), promise_id, current.version),
            )
            if cur.rowcount != 1 or (version is not None and version != current.version):
                raise StaleEntry(STALE)
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
        old = self._promise(promise_id)
        new = replace(old, text=text, due=due)
        self._change_own(
            "promises", promise_id, author, version, {"text": new.text, "due": iso(new.due)}
        )
        return replace(new, version=(version or old.version) + 1)

    def delete_promise(self, promise_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own promises."""
        self._change_own("promises", promise_id, author, version, None)

    def promises(self, author: str | None = None) -> list[Promise]:
        """Promises, in the order they were made."""
        return [to_record(Promise, r) for r in self._select(Promise, author=author)]

    def _promise(self, promise_id: int) -> Promise:
        found = next((p for p in self.promises() if p.id == promise_id), None)
        if found is None:
            raise StaleEntry(_PROMISE_GONE)
        return found

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
        """Progress records, by step (never of step 8, even from a file an older version wrote)."""
        return [
            to_record(StepProgress, r)
            for r in self._select(StepProgress, author=author)
            if r["step"] not in UNRECORDED_STEPS
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

    # -- CSI-4 ------------------------------------------------------------------------------

    def add_csi4(
        self, author: str, items: tuple[int, int, int, int], *, day: date | None = None
    ) -> CSI4Answer:
        """Save one partner's four CSI-4 answers: at most once a week."""
        a = CSI4Answer(author=check_partner(author), items=items, day=day or date.today())
        due = self.csi4_next_due(a.author, before=a.day)
        if due is not None and a.day < due:
            raise ValidationError(
                N_(
                    "The satisfaction check is weekly: you answered on %(last)s, so the next "
                    "one is due on %(due)s. Nothing was saved."
                ),
                last=Day(due - timedelta(days=CSI4_EVERY_DAYS), N_("dd MMM")),
                due=Day(due, N_("dd MMM y")),
            )
        return self._add(a)

    def csi4_next_due(self, author: str, *, before: date | None = None) -> date | None:
        """The first day this partner may answer the weekly CSI-4 again (None: any day).

        `before` ignores answers on or after that day (for back-filled data).
        """
        days = [a.day for a in self.csi4(author) if before is None or a.day <= before]
        return max(days) + timedelta(days=CSI4_EVERY_DAYS) if days else None

    def csi4(self, author: str | None = None) -> list[CSI4Answer]:
        """CSI-4 answers, oldest first."""
        return [
            to_record(CSI4Answer, r, items=(r["i1"], r["i2"], r["i3"], r["i4"]))
            for r in self._select(CSI4Answer, author=author)
        ]

    # -- self-care --------------------------------------------------------------------------

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
        return self._add(s)

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
            raise StaleEntry(GONE)
        new = replace(old, kind=kind, minutes=minutes, note=note)
        values = {"kind": new.kind, "minutes": new.minutes, "note": new.note}
        self._change_own("selfcare", entry_id, author, version, values)
        return replace(new, version=(version or old.version) + 1)

    def delete_selfcare(self, entry_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own self-care entries."""
        self._change_own("selfcare", entry_id, author, version, None)

    def selfcare(self, author: str | None = None) -> list[SelfCare]:
        """Self-care entries, oldest first."""
        return [to_record(SelfCare, r) for r in self._select(SelfCare, author=author)]
