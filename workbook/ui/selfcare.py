"""Step 6, self-care: a private journal, a passphrase panel, a self-care log, people to talk to.

The journal and the "people I can talk to" list are private by default: their text is sealed
with the writer's passphrase by the store. The passphrase panel (`workbook.ui.sitting`) sits at
the top and beside every private choice; one unlock serves the pages of a sitting.
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as widgets

from ..domain import SELF_CARE_KINDS, SelfCare, ValidationError
from ..steps import SELF_CARE, Exercise
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
from .sitting import LOST_KEY_NOTE, PassphrasePanel

__all__ = ["LOST_KEY_NOTE", "PassphrasePanel", "SelfCareForm", "passphrase_card"]

#: Friendly labels for the stored self-care kinds (the Dropdown shows these).
KIND_LABELS: dict[str, str] = {
    "mindfulness": "Mindfulness or meditation",
    "journaling": "Journaling",
    "hobby": "A hobby",
    "exercise": "Exercise or movement",
    "talking": "Talking with someone I trust",
    "rest": "Rest",
}


class SelfCareForm(widgets.VBox):
    """Log time spent on self-care; shows recent entries and the last seven days' total."""

    def __init__(
        self, session: Session, exercise: Exercise | None = None, *, recent: int = 5
    ) -> None:
        self.session = session
        ex = exercise or SELF_CARE.exercise("self-care-log")
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
        intro = paragraph(ex.question)
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
                    title=ex.title,
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


def passphrase_card(session: Session, exercise: Exercise) -> widgets.VBox:
    """The step's own passphrase card: set, unlock or lock private writing for the sitting."""
    return card(PassphrasePanel(session.privacy, compact=False), title=exercise.title)
