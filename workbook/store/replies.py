"""Answering each other, the question of the day, and each partner's last visit.

A partner may answer the other's entry in a few words (or "I hear you") when the entry is one
both may see: a shared reflection, a paired answer once it is revealed to them, or a promise.
Nothing answers private text or step 8, and an answer is shown only while its entry is one the
viewer may see, so an entry made private later takes its answers out of view with it. Each
partner has at most one answer under an entry, which they may correct or delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from .. import daily
from ..domain import (
    UNRECORDED_STEPS,
    PartnerId,
    Reflection,
    Reply,
    ValidationError,
    check_partner,
    now,
)
from ..i18n import N_
from .errors import StaleEntry
from .journal import Journal
from .ledger import Ledger
from .records import to_record

#: An entry that can be answered: (table, id).
EntryKey = tuple[str, int]


class Replies(Journal, Ledger):
    """Answers under entries, the question of the day, and visits."""

    # -- answers -------------------------------------------------------------------------------

    def answerable(self, viewer: str | None) -> dict[EntryKey, PartnerId]:
        """The entries `viewer` may see that can be answered, with each entry's author.

        Viewer None: what anyone may see (shared entries, paired ones both have answered).
        """
        pid = None if viewer is None else check_partner(viewer)
        out: dict[EntryKey, PartnerId] = {}
        for r in self.reflections(viewer=pid):
            if r.id is not None and r.visibility != "private" and r.step not in UNRECORDED_STEPS:
                out[("reflections", r.id)] = r.author
        for p in self.promises():
            if p.id is not None:
                out[("promises", p.id)] = p.author
        return out

    def replies(self, *, viewer: str | None) -> list[Reply]:
        """The answers `viewer` may see (under entries they may see), oldest first."""
        visible = self.answerable(viewer)
        return [
            to_record(Reply, r)
            for r in self._select(Reply)
            if (r["entry_table"], r["entry_id"]) in visible
        ]

    def replies_under(self, entries: Iterable[EntryKey]) -> list[Reply]:
        """The answers under these entries (ones the caller already shows), oldest first.

        One read, for a list's view; `replies` is the way to read what a viewer may see.
        """
        out: list[Reply] = []
        by_table: dict[str, list[int]] = {}
        for table, entry_id in entries:
            by_table.setdefault(table, []).append(entry_id)
        for table, ids in by_table.items():
            marks = ", ".join("?" * len(ids))
            rows = self._rows(
                f"SELECT * FROM replies WHERE entry_table = ? AND entry_id IN ({marks})"  # noqa: S608
                " ORDER BY at, id",
                (table, *ids),
            )
            out += [to_record(Reply, r) for r in rows]
        return sorted(out, key=lambda r: (r.at, r.id or 0))

    def add_reply(self, author: str, entry_table: str, entry_id: int, text: str) -> Reply:
        """Answer the other partner's entry; nothing is saved if it may not be answered."""
        reply = Reply(author=check_partner(author), entry_table=entry_table, entry_id=entry_id,
                      text=text, at=now())  # fmt: skip
        owner = self.answerable(reply.author).get((reply.entry_table, reply.entry_id))
        if owner is None:
            raise ValidationError(
                N_(
                    "That entry cannot be answered (it is private, gone, or not shown to you yet). "
                    "Nothing was saved."
                )
            )
        if owner == reply.author:
            raise ValidationError(
                N_("You answer your partner's entries, not your own. Nothing was saved.")
            )
        if self.my_reply(reply.author, reply.entry_table, reply.entry_id) is not None:
            raise ValidationError(
                N_(
                    "You have answered that already: correct your answer instead. "
                    "Nothing was saved."
                )
            )
        seen = self._entry_version(reply.entry_table, reply.entry_id)
        return self._add(replace(reply, entry_version=seen))

    def _entry_version(self, table: str, entry_id: int) -> int:
        """The answered entry's version now (the words an answer written now answers)."""
        rows = self._rows(
            f"SELECT version FROM {table} WHERE id = ?",  # noqa: S608 - a checked table name
            (entry_id,),
        )
        return int(rows[0]["version"]) if rows else 1

    def my_reply(self, author: str, entry_table: str, entry_id: int) -> Reply | None:
        """This partner's answer under one entry, if they wrote one."""
        rows = self._select(
            Reply, author=check_partner(author), entry_table=entry_table, entry_id=entry_id
        )
        return to_record(Reply, rows[-1]) if rows else None

    def edit_reply(
        self, reply_id: int, *, author: str, text: str, version: int | None = None
    ) -> Reply:
        """Correct one of the author's own answers."""
        pid = check_partner(author)
        old = next((r for r in self.replies(viewer=pid) if r.id == reply_id), None)
        if old is None or old.author != pid:
            raise StaleEntry(
                N_(
                    "That answer is not one of yours that this page may change, or it is gone. "
                    "Nothing was changed."
                )
            )
        seen = self._entry_version(old.entry_table, old.entry_id)
        new = replace(old, text=text, entry_version=seen)  # validated by the domain
        values = {"text": new.text, "entry_version": seen}
        self._change_own("replies", reply_id, pid, version, values)
        return replace(new, version=(version or old.version) + 1)

    def delete_reply(self, reply_id: int, *, author: str, version: int | None = None) -> None:
        """Delete one of the author's own answers, from the file too."""
        self._change_own("replies", reply_id, author, version, None)

    def news(self, who: str, since: datetime | None) -> list[Reply]:
        """The other partner's answers under `who`'s entries written after `since`."""
        pid = check_partner(who)
        if since is None:
            return []
        mine = {key for key, owner in self.answerable(pid).items() if owner == pid}
        return [
            r
            for r in self.replies(viewer=pid)
            if r.author != pid and r.at > since and (r.entry_table, r.entry_id) in mine
        ]

    # -- the question of the day ---------------------------------------------------------------

    def question_of_the_day(self, day: date | None = None) -> daily.DailyQuestion:
        """This workbook's question for `day` (today by default), in its own order."""
        seed = self._meta("created") or self.name
        return daily.question_for(seed, day or date.today())

    def daily_answers(self, *, viewer: str) -> list[tuple[daily.DailyQuestion, list[Reflection]]]:
        """Every day's question that has answers `viewer` may see, newest first.

        The answers follow step 3's rule: the partner's shows only once the viewer answered.
        """
        days: dict[str, list[Reflection]] = {}
        for r in self.reflections(daily.DAILY_STEP, viewer=check_partner(viewer)):
            days.setdefault(r.prompt, []).append(r)
        out = []
        for prompt, answers in days.items():
            question = daily.from_prompt(prompt)
            if question is not None:
                out.append((question, answers))
        return sorted(out, key=lambda qa: qa[0].day, reverse=True)

    def answered_since(self, author: str, prompt: str, since: datetime | None) -> bool:
        """Whether `author` answered a daily question after `since` (not what they wrote)."""
        if since is None:
            return False
        row = self._con.execute(
            "SELECT 1 FROM reflections WHERE step = ? AND prompt = ? AND author = ? AND at > ?",
            (daily.DAILY_STEP, prompt, check_partner(author), since.isoformat()),
        ).fetchone()
        return row is not None

    # -- visits --------------------------------------------------------------------------------

    def last_visit(self, who: str) -> datetime | None:
        """When this partner last opened the start page (None: never)."""
        row = self._con.execute(
            "SELECT at FROM visits WHERE author = ?", (check_partner(who),)
        ).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def record_visit(self, who: str, at: datetime | None = None) -> datetime | None:
        """Note that this partner opened the start page now; returns their visit before."""
        pid = check_partner(who)
        before = self.last_visit(pid)
        with self._write() as con:
            con.execute(
                "INSERT INTO visits (author, at) VALUES (?, ?)"
                " ON CONFLICT (author) DO UPDATE SET at = excluded.at",
                (pid, (at or now()).isoformat()),
            )
        return before
