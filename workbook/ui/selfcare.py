"""Step 6, self-care: a private journal, a passphrase panel, a self-care log, people to talk to.

The journal and the "people I can talk to" list are private by default: their text is sealed
with the writer's passphrase by the store. Until a passphrase is set and unlocked, saving
privately is refused by the store with a clear message (`privacy.Locked`), shown by `guarded`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import ipywidgets as widgets

from ..domain import SELF_CARE_KINDS, SelfCare, ValidationError
from .base import (
    Session,
    Status,
    button,
    card,
    esc,
    guarded,
    html_text,
    layout,
    paragraph,
    text_input,
)
from .forms import PromptForm

STEP = 6

#: Friendly labels for the stored self-care kinds (the Dropdown shows these).
KIND_LABELS: dict[str, str] = {
    "mindfulness": "Mindfulness or meditation",
    "journaling": "Journaling",
    "hobby": "A hobby",
    "exercise": "Exercise or movement",
    "talking": "Talking with someone I trust",
    "rest": "Rest",
}

LOST_KEY_NOTE = (
    "Please choose something you will remember. Your passphrase is never stored, so if it is "
    "lost nobody can open your private entries again: not you, not your partner, not us. "
    "Your shared entries and check-ins stay as they are."
)


class PassphrasePanel(widgets.VBox):
    """Set, unlock or lock this partner's passphrase for private entries."""

    def __init__(self, session: Session, *, on_change: Callable[[], None] | None = None) -> None:
        self.session = session
        self._on_change = on_change
        self.password = widgets.Password(description="Passphrase", layout=layout())
        self.password.style.description_width = "initial"
        self.password.add_class("ht-stacked")
        self.confirm = widgets.Password(description="Type it again", layout=layout())
        self.confirm.style.description_width = "initial"
        self.confirm.add_class("ht-stacked")
        self.set_button = button("Set passphrase", icon="lock")
        self.unlock_button = button("Unlock", icon="unlock")
        self.lock_button = button("Lock my private entries", style="", icon="lock")
        self.info = html_text(wide=True)
        self.status = Status()
        self.set_button.on_click(lambda _: guarded(self.status, self._set))
        self.unlock_button.on_click(lambda _: guarded(self.status, self._unlock))
        self.lock_button.on_click(lambda _: guarded(self.status, self._lock))
        self.body = widgets.VBox(layout=layout())
        super().__init__(
            [card(self.info, self.body, self.status, title="Your private entries")],
            layout=layout(),
        )
        self.render()

    @property
    def mode(self) -> str:
        """'set' (no passphrase yet), 'unlock' (locked) or 'unlocked'."""
        wb, who = self.session.wb, self.session.who
        if not wb.has_passphrase(who):
            return "set"
        return "unlocked" if wb.is_unlocked(who) else "unlock"

    def render(self) -> None:
        """Show the controls that fit the current state, re-read from the workbook."""
        mode = self.mode
        if mode == "set":
            text = (
                "Private entries are locked with a passphrase only you know. Set one to keep "
                "a private journal. " + LOST_KEY_NOTE
            )
            self.body.children = (self.password, self.confirm, self.set_button)
        elif mode == "unlock":
            count = self.session.wb.locked_count(self.session.who)
            plural = "entry" if count == 1 else "entries"
            kept = f"You have {count} private {plural}. " if count else ""
            text = (
                f"{kept}Type your passphrase to open your private entries on this page. "
                "A lost passphrase cannot be recovered."
            )
            self.body.children = (self.password, self.unlock_button)
        else:
            text = (
                "Your private entries are open on this page. Lock them before you hand the "
                "device to someone else."
            )
            self.body.children = (self.lock_button,)
        self.info.value = f"<p class='ht-p'>{esc(text)}</p>"

    def _changed(self) -> None:
        self.render()
        if self._on_change is not None:
            self._on_change()

    def _set(self) -> str:
        try:
            if self.password.value != self.confirm.value:
                raise ValidationError(
                    "The two passphrases are not the same. Nothing was set; please type them again."
                )
            self.session.wb.set_passphrase(self.session.who, self.password.value)
        finally:
            # Never leave a passphrase sitting in the page, whatever happened.
            self.password.value = ""
            self.confirm.value = ""
        self._changed()
        return "Passphrase set. Your private entries are open on this page."

    def _unlock(self) -> str:
        try:
            self.session.wb.unlock(self.session.who, self.password.value)
        finally:
            self.password.value = ""
        self._changed()
        return "Unlocked. Your private entries are shown below."

    def _lock(self) -> str:
        self.session.wb.lock(self.session.who)
        self._changed()
        return "Locked. Your private entries are hidden again."


class SelfCareForm(widgets.VBox):
    """Log time spent on self-care; shows recent entries and the last seven days' total."""

    def __init__(self, session: Session, *, recent: int = 5) -> None:
        self.session = session
        self.recent_count = recent
        self.kind = widgets.Dropdown(
            options=[(KIND_LABELS[k], k) for k in SELF_CARE_KINDS],
            value=SELF_CARE_KINDS[0],
            description="What I did",
            layout=layout(),
        )
        self.kind.style.description_width = "initial"
        self.minutes = widgets.BoundedIntText(
            value=15, min=0, max=1440, description="Minutes", layout=layout()
        )
        self.minutes.style.description_width = "initial"
        self.note = text_input("Note (optional)", "How did it feel?")
        self.save = button("Save self-care", icon="check")
        self.status = Status()
        self.summary = html_text(wide=True)
        self.save.on_click(lambda _: guarded(self.status, self._save))
        intro = paragraph(
            "Looking after yourself helps you show up for the relationship. Log a few "
            "minutes of something that did you good today."
        )
        super().__init__(
            [
                card(
                    intro,
                    self.kind,
                    self.minutes,
                    self.note,
                    self.save,
                    self.status,
                    self.summary,
                    title="Self-care log",
                )
            ],
            layout=layout(),
        )
        self.refresh()

    def _save(self) -> str:
        minutes = self.minutes.value
        if minutes == 0:
            raise ValidationError("Add how many minutes it took (more than 0). Nothing was saved.")
        s = self.session.wb.add_selfcare(
            self.session.who, self.kind.value, minutes, self.note.value
        )
        self.note.value = ""
        self.refresh()
        return f"Saved: {s.minutes} minutes of {KIND_LABELS[s.kind].lower()}. Well done."

    def week_total(self, entries: list[SelfCare], today: date | None = None) -> int:
        """Minutes logged in the last seven days, today included."""
        today = today or date.today()
        start = today - timedelta(days=6)
        return sum(s.minutes for s in entries if start <= s.day <= today)

    def refresh(self) -> None:
        """Show this partner's recent entries and weekly total, re-read from the workbook."""
        mine = self.session.wb.selfcare(self.session.who)
        total = self.week_total(mine)
        head = f"<p class='ht-small'>Last 7 days: {total} minutes of self-care.</p>"
        if not mine:
            self.summary.value = head + "<p class='ht-empty'>Nothing logged yet.</p>"
            return
        rows = "".join(
            f"<li>{esc(s.day.strftime('%d %b %Y'))}: {esc(KIND_LABELS[s.kind])}, "
            f"{s.minutes} min" + (f" · {esc(s.note)}" if s.note else "") + "</li>"
            for s in reversed(mine[-self.recent_count :])
        )
        self.summary.value = head + f"<ul class='ht-list'>{rows}</ul>"


def exercises(session: Session) -> list[widgets.Widget]:
    """Step 6's exercises in page order."""
    journal = PromptForm(
        session,
        STEP,
        "journal",
        "Journal",
        "What is on my mind today?",
        placeholder="Write freely; private entries are for you alone",
        default_visibility="private",
        empty="No journal entries yet (private ones show here once unlocked).",
        rows=6,
    )
    people = PromptForm(
        session,
        STEP,
        "support-people",
        "People I can talk to",
        "Who can I turn to when things feel heavy, and how do I reach them?",
        placeholder="A friend, a family member, a therapist of my own",
        default_visibility="private",
        empty="No one listed yet.",
        rows=3,
    )

    def refresh_private() -> None:
        journal.refresh()
        people.refresh()

    panel = PassphrasePanel(session, on_change=refresh_private)
    return [panel, journal, SelfCareForm(session), people]
