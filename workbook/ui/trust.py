"""Step 4, rebuild trust gradually: the promise ledger (its written prompts are in `steps`)."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ..domain import Promise, ValidationError
from ..markup import html
from ..steps import TRUST, Exercise
from ..store import StaleEntry
from .base import (
    CardForm,
    Session,
    button,
    date_picker,
    guarded,
    html_text,
    layout,
    paragraph,
    text_input,
)
from .corrections import Corrections, first_words, own, refresh_on_stale
from .replies import ReplyPanel


def keeping_summary(promises: list[Promise], names: dict[str, str]) -> str:
    """One sentence per partner: how many promises were kept of those resolved."""
    parts = []
    for who in ("a", "b"):
        mine = [p for p in promises if p.author == who]
        kept = sum(p.status == "kept" for p in mine)
        broken = sum(p.status == "broken" for p in mine)
        open_ = sum(p.status == "open" for p in mine)
        if not mine:
            continue
        if resolved := kept + broken:
            # "kept 1 of 1 promises resolved" read wrongly: say what was counted, in the
            # right number, and a share only where it says more than the two counts.
            noun = "promise" if resolved == 1 else "promises"
            text = f"{names[who]} kept {kept} of {resolved} {noun} marked kept or broken"
            if resolved > 1:
                text += f" ({round(100 * kept / resolved)}%)"
            if open_:
                text += f"; {open_} {'is' if open_ == 1 else 'are'} still open"
            parts.append(text + ".")
        else:
            parts.append(f"{names[who]} has {open_} open promise{'s' if open_ != 1 else ''}.")
    return " ".join(parts) or "No promises yet. Start with something small you can surely keep."


class PromiseLedger(CardForm):
    """Promises made, kept and broken, with dates: do words and actions align?"""

    css_class = "ht-ledger"

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        self.session = session
        ex = exercise or TRUST.exercise("promise-ledger")
        self.text = text_input("I promise to…", "text you if I will be more than 30 minutes late")
        self.due = date_picker("By (optional)")
        self.add = self.action("Add promise", self._add)
        self.summary = html_text()
        self.rows = widgets.VBox(layout=layout())
        self.replies = ReplyPanel(session)  # answering the partner's promises
        self.corrections = PromiseCorrections(session, beside=self.status)
        super().__init__(
            paragraph(ex.question),
            self.text,
            self.due,
            self.add,
            self.status,
            self.summary,
            self.corrections,
            self.rows,
            self.replies,
            title=ex.title,
        )
        self.follow(session, "promises")

    def _add(self) -> str:
        due = self.due.value
        if due is not None and due < date.today():
            raise ValidationError("The due date is in the past. Pick today or a later day.")
        p = self.session.wb.add_promise(self.session.who, self.text.value, due=due)
        self.text.value = ""
        self.due.value = None
        self.corrections.changed()
        return f"Promise added: “{p.text}”."

    def resolve(self, promise_id: int, status: str, version: int | None = None) -> None:
        """Mark a promise kept, broken or open again (only its author may).

        `version` is the one this page showed: if the promise changed since (another tab, the
        other phone), nothing changes, the person is told, and the ledger shows the latest.
        """

        def act() -> str:
            mine = {p.id for p in self.session.wb.promises(self.session.who)}
            if promise_id not in mine:
                raise ValidationError("Only the partner who made a promise marks it.")
            self.session.wb.resolve_promise(
                promise_id,
                status,  # type: ignore[arg-type]
                version=version,
            )
            self.corrections.changed()
            return "Marked kept. Well done." if status == "kept" else f"Marked {status}."

        guarded(self.status, refresh_on_stale(self.corrections.changed, act))

    def refresh(self) -> None:
        """Re-read the promises and rebuild the ledger rows."""
        wb = self.session.wb
        names = wb.names()
        promises = wb.promises()
        self.replies.update(promises)
        self.summary.value = str(
            html("<p class='ht-summary'>{}</p>", keeping_summary(promises, names))
        )
        self.corrections.update(any(p.author == self.session.who for p in promises))
        rows: list[widgets.Widget] = []
        for p in reversed(promises):
            due = f" · by {p.due:%d %b}" if p.due else ""
            resolved = f" on {p.resolved:%d %b}" if p.resolved else ""
            label = html_text(
                html(
                    "<div class='ht-entry ht-promise ht-{0}'>"
                    "<div class='ht-entry-meta'>{1} · made {2:%d %b %Y}{3} · "
                    "<strong>{0}{4}</strong></div><div class='ht-entry-text'>{5}</div></div>",
                    p.status,
                    names[p.author],
                    p.made,
                    due,
                    resolved,
                    p.text,
                )
            )
            items: list[widgets.Widget] = [label]
            if p.author == self.session.who and p.id is not None and p.status == "open":
                kept = button("Kept", style="success")
                broken = button("Broken", style="warning")
                kept.on_click(lambda _, i=p.id, v=p.version: self.resolve(i, "kept", v))
                broken.on_click(lambda _, i=p.id, v=p.version: self.resolve(i, "broken", v))
                items.append(widgets.HBox([kept, broken], layout=layout(flex_flow="row wrap")))
            rows.append(widgets.VBox(items, layout=layout()))
        self.rows.children = rows


class PromiseCorrections(Corrections[Promise]):
    """Correct the words or due date of one's own promise, undo kept or broken, or delete it."""

    kind = "promises"
    opener_label = "Correct, undo or delete one of my promises"
    what = "promise"

    def mine(self) -> list[Promise]:
        """The writer's promises, most recently made first."""
        return own(self.session.wb.promises(self.session.who), self.session.who)

    def describe(self, entry: Promise) -> str:
        """When it was made, where it stands, and its first words."""
        return f"made {entry.made:%d %b %Y} · {entry.status} · {first_words(entry.text)}"

    def describe_text(self, entry: Promise) -> str:
        """The promise's words."""
        return entry.text

    def make_fields(self) -> list[widgets.Widget]:
        """The promise's words and its due date; undo sits with the buttons."""
        self.text = text_input("My promise (corrected)")
        self.due = date_picker("Due by (corrected, optional)")
        self.undo = button("Undo: mark it open again", style="warning", icon="undo")
        self.undo.on_click(lambda _: guarded(self.status, self._undo))
        self.undo_box = widgets.HBox(layout=layout(width="auto"))
        return [self.text, self.due]

    def more_buttons(self) -> list[widgets.Widget]:
        """Undo kept or broken, shown while the chosen promise is resolved."""
        return [self.undo_box]

    def chosen_changed(self, entry: Promise | None) -> None:
        """Offer undo only for a promise marked kept or broken."""
        resolved = entry is not None and entry.status != "open"
        self.undo_box.children = (self.undo,) if resolved else ()
        if resolved and entry is not None:
            self.undo.description = f"Undo “{entry.status}”: mark it open again"
            self.undo.tooltip = self.undo.description

    def fill(self, entry: Promise) -> None:
        """The chosen promise's words and due date."""
        self.text.value = entry.text
        self.due.value = entry.due

    def apply(self, entry: Promise) -> str:
        """Save the corrected words and due date, from the version this page showed."""
        self.session.wb.edit_promise(
            entry.id,  # type: ignore[arg-type]
            author=self.session.who,
            text=str(self.text.value),
            due=self.due.value,
            version=entry.version,
        )
        return "Saved your correction to the promise."

    def _undo(self) -> str:
        entry = self.current()
        if entry.status == "open":
            return "This promise is already open."
        try:
            self.session.wb.resolve_promise(
                entry.id,  # type: ignore[arg-type]
                "open",
                version=entry.version,
            )
        except StaleEntry:
            self.changed()
            raise
        self.changed()
        return f"Marked open again: it no longer counts as {entry.status}."
