"""Tick lists both partners answer (step 1's agreements, step 2's situations).

Each partner has one current list: the boxes come back ticked as they were last saved (in the
reader's language, whichever language they were saved in), the partner's own item comes back in
its field, and the card shows each partner's latest list side by side. Saving again saves the
new list; the older ones stay in the writer's corrections.
"""

from __future__ import annotations

from ..app_phrases import entry_text
from ..domain import Reflection, ValidationError
from ..markup import html, join
from ..steps import Exercise, steps_in
from .base import CardForm, Session, html_text, paragraph, say, text_input, tick_box
from .corrections import on_entries_changed
from .forms import ALREADY_SAVED, ReflectionCorrections, already_saved, reflection_topic


class ChecklistForm(CardForm):
    """Tick boxes and an optional item of one's own, saved as one shared reflection (a line each).

    Subclasses say which step and prompt the list is (its items, question and title come from
    the step definitions), and name its field, its button and its messages.
    """

    step: int
    prompt: str
    own_label: str  # the field for an item of one's own
    save_label: str
    nothing_ticked: str  # the message when Save is pressed with nothing chosen
    saved_message: str
    nothing_saved: str  # the card's words before either partner saved a list

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        ex = exercise or steps_in(session.lang)[self.step].exercise(self.prompt)
        self.session = session
        _ = session.gettext
        # The items are ticked in the reader's language and saved in the words shown to them.
        self.boxes = [tick_box(item) for item in ex.items]
        self.own = text_input(_(self.own_label))
        self.save = self.action(_(self.save_label), self._save)
        self.summary = html_text()
        self.corrections = ReflectionCorrections(
            session, self.step, self.prompt, allow_private=False, beside=self.status
        )
        super().__init__(
            paragraph(ex.question),
            paragraph(_("Your partner sees the list you save."), "ht-small"),
            *self.boxes,
            self.own,
            self.save,
            self.status,
            self.summary,
            self.corrections,
            title=ex.title,
        )
        #: The ticks and own item as the card last showed them from what was saved; None:
        #: show the saved list whatever the boxes hold (at first, and after this card's save).
        self._shown: tuple[tuple[bool, ...], str] | None = None
        on_entries_changed(session, self.reread, reflection_topic(self.step, self.prompt))
        self.reread()

    def reread(self) -> None:
        """Show what has been saved, and offer to correct the writer's own lists."""
        rows = self.saved()
        self.refresh(rows)
        self.corrections.update(any(r.author == self.session.who for r in rows))

    def _save(self) -> str:
        chosen = [b.description for b in self.boxes if b.value]
        if self.own.value.strip():
            chosen.append(self.own.value.strip())
        if not chosen:
            raise ValidationError(self.nothing_ticked)  # said in the reader's language
        if already_saved(self.session, self.step, self.prompt, "\n".join(chosen)):
            return self.session.gettext(ALREADY_SAVED)  # a second press: no second copy
        self.session.wb.add_reflection(self.session.who, self.step, self.prompt, "\n".join(chosen))
        self._shown = None  # the boxes show the list just saved (`refresh`)
        self.corrections.changed()  # this list, and every other view of it, re-read
        return self.session.gettext(self.saved_message)

    def saved(self) -> list[Reflection]:
        """The saved lists this partner may see, oldest first."""
        return self.session.wb.reflections(self.step, self.prompt, viewer=self.session.who)

    def refresh(self, rows: list[Reflection] | None = None) -> None:
        """Tick this partner's last saved list again, and show each partner's latest list."""
        names = self.session.wb.names()
        lang = self.session.lang  # the app's items in the reader's language, own words as written
        rows = self.saved() if rows is None else rows
        latest = {r.author: entry_text(r, lang).splitlines() for r in rows}
        mine = latest.get(self.session.who, [])
        # `entry_text` gave the ticked items in the reader's language, whichever language they
        # were saved in: each box is ticked by its own words. The partner's own item is part
        # of their list: it comes back in its field, so that saving again keeps it.
        listed = {b.description for b in self.boxes}
        saved = (
            tuple(b.description in mine for b in self.boxes),
            "; ".join(item for item in mine if item not in listed),
        )
        here = (tuple(b.value for b in self.boxes), self.own.value)
        if self._shown is None or here == self._shown:
            # Unchanged since the saved list was shown: show it again. Ticks and words not
            # saved yet stay (the partner's save re-reads this card too, and took them).
            for box, ticked in zip(self.boxes, saved[0], strict=True):
                box.value = ticked
            self.own.saved_as(saved[1])
            self._shown = saved
        if not latest:
            say(self.summary, self.session.gettext(self.nothing_saved), "ht-empty")
            return
        cols = join(
            html(
                "<div class='ht-col'><strong>{}</strong><ul>{}</ul></div>",
                names[who],
                join(html("<li>{}</li>", item) for item in items),
            )
            for who, items in sorted(latest.items())
        )
        # The same item in other capitals or spacing is the same choice ("Money worries").
        theirs = {item.strip().casefold() for item in latest.get("b", [])}
        both = [item for item in latest.get("a", []) if item.strip().casefold() in theirs]
        common = (
            html(
                "<p class='ht-small'>{}</p><ul class='ht-list'>{}</ul>",
                self.session.gettext("You both chose:"),
                join(html("<li>{}</li>", item) for item in both),
            )
            if both
            else ""
        )
        self.summary.value = str(html("{}<div class='ht-cols'>{}</div>", common, cols))
