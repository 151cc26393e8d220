"""Step 4, rebuild trust gradually: the promise ledger (its written prompts are in `steps`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from ..domain import Promise, ValidationError
from ..i18n import N_, translator
from ..markup import html
from ..steps import TRUST, Exercise, steps_in
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
from .corrections import Corrections, own, refresh_on_stale
from .entry_words import day_text, first_words
from .replies import ReplyPanel

#: Where a promise stands, as the ledger says it.
STATUS = {"open": N_("open"), "kept": N_("kept"), "broken": N_("broken")}
#: Where a resolved promise stands, with the day it was marked.
STATUS_ON = {"kept": N_("kept on %(day)s"), "broken": N_("broken on %(day)s")}
#: What marking a promise says.
MARKED = {
    "kept": N_("Marked kept. Well done."),
    "broken": N_("Marked broken."),
    "open": N_("Marked open."),
}
#: Undoing a kept or broken promise: the button, and what it says once done.
UNDO_LABEL = {
    "kept": N_("Undo “kept”: mark it open again"),
    "broken": N_("Undo “broken”: mark it open again"),
}
UNDONE = {
    "kept": N_("Marked open again: it no longer counts as kept."),
    "broken": N_("Marked open again: it no longer counts as broken."),
}


def keeping_summary(promises: list[Promise], names: dict[str, str], lang: str | None = None) -> str:
    """One sentence per partner: how many promises were kept of those resolved (in `lang`)."""
    t = translator(lang)
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
            # right number, and a share only where it says more than the two counts (the
            # singular form is the one for a single promise, which has no share).
            text = t.ngettext(
                "%(name)s kept %(kept)d of %(n)d promise marked kept or broken",
                "%(name)s kept %(kept)d of %(n)d promises marked kept or broken (%(share)d%%)",
                resolved,
            ) % {
                "name": names[who],
                "kept": kept,
                "n": resolved,
                "share": round(100 * kept / resolved),
            }
            if open_:
                text = t.ngettext(
                    "%(counted)s; %(n)d is still open.", "%(counted)s; %(n)d are still open.", open_
                ) % {"counted": text, "n": open_}
            else:
                text += "."
            parts.append(text)
        else:
            parts.append(
                t.ngettext(
                    "%(name)s has %(n)d open promise.", "%(name)s has %(n)d open promises.", open_
                )
                % {"name": names[who], "n": open_}
            )
    return " ".join(parts) or t.gettext(
        "No promises yet. Start with something small you can surely keep."
    )


class PromiseLedger(CardForm):
    """Promises made, kept and broken, with dates: do words and actions align?"""

    css_class = "ht-ledger"

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        self.session = session
        _ = session.gettext
        ex = exercise or steps_in(session.lang)[TRUST.number].exercise("promise-ledger")
        self.text = text_input(
            _("I promise to…"), _("text you if I will be more than 30 minutes late")
        )
        self.due = date_picker(_("By (optional)"))
        self.add = self.action(_("Add promise"), self._add)
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
            raise ValidationError(N_("The due date is in the past. Pick today or a later day."))
        p = self.session.wb.add_promise(self.session.who, self.text.value, due=due)
        self.text.value = ""
        self.due.value = None
        self.corrections.changed()
        return self.session.gettext("Promise added: “%(text)s”.") % {"text": p.text}

    def resolve(self, promise_id: int, status: str, version: int | None = None) -> None:
        """Mark a promise kept, broken or open again (only its author may).

        `version` is the one this page showed: if the promise changed since (another tab, the
        other phone), nothing changes, the person is told, and the ledger shows the latest.
        """

        def act() -> str:
            mine = {p.id for p in self.session.wb.promises(self.session.who)}
            if promise_id not in mine:
                raise ValidationError(N_("Only the partner who made a promise marks it."))
            self.session.wb.resolve_promise(
                promise_id,
                status,  # type: ignore[arg-type]
                version=version,
            )
            self.corrections.changed()
            return self.session.gettext(MARKED[status])

        guarded(self.status, refresh_on_stale(self.corrections.changed, act))

    def refresh(self) -> None:
        """Re-read the promises and rebuild the ledger rows."""
        wb, _, lang = self.session.wb, self.session.gettext, self.session.lang
        names = wb.names()
        promises = wb.promises()
        self.replies.update(promises)
        self.summary.value = str(
            html("<p class='ht-summary'>{}</p>", keeping_summary(promises, names, lang))
        )
        self.corrections.update(any(p.author == self.session.who for p in promises))
        rows: list[widgets.Widget] = []
        for p in reversed(promises):
            due = (
                " · " + _("by %(day)s") % {"day": day_text(p.due, lang, year=False)}
                if p.due
                else ""
            )
            label = html_text(
                html(
                    "<div class='ht-entry ht-promise ht-{}'>"
                    "<div class='ht-entry-meta'>{} · {}{} · "
                    "<strong>{}</strong></div><div class='ht-entry-text'>{}</div></div>",
                    p.status,
                    names[p.author],
                    _("made %(day)s") % {"day": day_text(p.made, lang)},
                    due,
                    standing(p, self.session.gettext, lang),
                    p.text,
                )
            )
            items: list[widgets.Widget] = [label]
            if p.author == self.session.who and p.id is not None and p.status == "open":
                kept = button(_("Kept"), style="success")
                broken = button(_("Broken"), style="warning")
                kept.on_click(lambda _, i=p.id, v=p.version: self.resolve(i, "kept", v))
                broken.on_click(lambda _, i=p.id, v=p.version: self.resolve(i, "broken", v))
                items.append(widgets.HBox([kept, broken], layout=layout(flex_flow="row wrap")))
            rows.append(widgets.VBox(items, layout=layout()))
        self.rows.children = rows


def standing(p: Promise, gettext: Callable[[str], str], lang: str | None) -> str:
    """Where a promise stands: "open", or "kept on 05 Dec" (in the reader's language)."""
    if p.resolved and p.status in STATUS_ON:
        return gettext(STATUS_ON[p.status]) % {"day": day_text(p.resolved, lang, year=False)}
    return gettext(STATUS.get(p.status, p.status))


class PromiseCorrections(Corrections[Promise]):
    """Correct the words or due date of one's own promise, undo kept or broken, or delete it."""

    kind = "promises"
    opener_label = N_("Correct, undo or delete one of my promises")
    what = "promise"

    def mine(self) -> list[Promise]:
        """The writer's promises, most recently made first."""
        return own(self.session.wb.promises(self.session.who), self.session.who)

    def describe(self, entry: Promise) -> str:
        """When it was made, where it stands, and its first words."""
        _, lang = self.session.gettext, self.session.lang
        made = _("made %(day)s") % {"day": day_text(entry.made, lang)}
        return f"{made} · {_(STATUS.get(entry.status, entry.status))} · {first_words(entry.text)}"

    def describe_text(self, entry: Promise) -> str:
        """The promise's words."""
        return entry.text

    def make_fields(self) -> list[widgets.Widget]:
        """The promise's words and its due date; undo sits with the buttons."""
        _ = self.session.gettext
        self.text = text_input(_("My promise (corrected)"))
        self.due = date_picker(_("Due by (corrected, optional)"))
        self.undo = button(_("Undo: mark it open again"), style="warning", icon="undo")
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
            self.undo.description = self.session.gettext(UNDO_LABEL[entry.status])
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
        return self.session.gettext("Saved your correction to the promise.")

    def _undo(self) -> str:
        entry = self.current()
        _ = self.session.gettext
        if entry.status == "open":
            return _("This promise is already open.")
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
        return _(UNDONE[entry.status])
