"""Step 6, self-care: a private journal, a passphrase panel, a self-care log, people to talk to.

The journal and the "people I can talk to" list are private by default: their text is sealed
with the writer's passphrase by the store. The passphrase panel (`workbook.ui.sitting`) sits at
the top and beside every private choice; one unlock serves the pages of a sitting.
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as widgets

from ..domain import SELF_CARE_KINDS, SelfCare, ValidationError
from ..markup import html, join
from ..steps import SELF_CARE, Exercise
from .base import (
    CardForm,
    Session,
    card,
    choice,
    html_text,
    layout,
    paragraph,
    text_input,
)
from .corrections import Corrections, first_words, own
from .passphrase import PassphrasePanel
from .sitting import LOST_KEY_NOTE

__all__ = [
    "LOST_KEY_NOTE",
    "PassphrasePanel",
    "SelfCareCorrections",
    "SelfCareForm",
    "check_minutes",
    "passphrase_card",
]

#: Friendly labels for the stored self-care kinds (the Dropdown shows these).
KIND_LABELS: dict[str, str] = {
    "mindfulness": "Mindfulness or meditation",
    "journaling": "Journaling",
    "hobby": "A hobby",
    "exercise": "Exercise or movement",
    "talking": "Talking with someone I trust",
    "rest": "Rest",
}


#: The most a day holds; the domain refuses more.
MAX_MINUTES = 24 * 60


def check_minutes(value: object) -> int:
    """Minutes as typed, or a sentence that gives the range; nothing is ever clipped silently.

    (A bounded number box would quietly turn 5,000 into 1,440 and save that.)
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MINUTES:
        raise ValidationError(
            f"Minutes must be more than 0 and at most {MAX_MINUTES} (a whole day); "
            f"{value} is outside that. Nothing was saved."
        )
    return value


def minutes_box(label: str = "Minutes") -> widgets.IntText:
    """A plain whole-number box for minutes: what is typed is what is checked."""
    box = widgets.IntText(value=15, description=label, layout=layout())
    box.style.description_width = "initial"
    return box


def kind_choice(label: str) -> widgets.Dropdown:
    """The kinds of self-care to choose from, the first chosen."""
    return choice(label, [(KIND_LABELS[k], k) for k in SELF_CARE_KINDS], SELF_CARE_KINDS[0])


class SelfCareForm(CardForm):
    """Log time spent on self-care; shows recent entries and the last seven days' total."""

    def __init__(
        self, session: Session, exercise: Exercise | None = None, *, recent: int = 5
    ) -> None:
        self.session = session
        ex = exercise or SELF_CARE.exercise("self-care-log")
        self.recent_count = recent
        self.kind = kind_choice("What I did")
        self.minutes = minutes_box()
        self.note = text_input("Note (optional)", "How did it feel?")
        self.save = self.action("Save self-care", self._save, icon="check")
        self.summary = html_text(wide=True)
        self.corrections = SelfCareCorrections(session, beside=self.status)
        intro = paragraph(ex.question)
        super().__init__(
            intro,
            self.kind,
            self.minutes,
            self.note,
            self.save,
            self.status,
            self.summary,
            self.corrections,
            title=ex.title,
        )
        self.follow(session, "selfcare")

    def _save(self) -> str:
        minutes = check_minutes(self.minutes.value)
        s = self.session.wb.add_selfcare(
            self.session.who, self.kind.value, minutes, self.note.value
        )
        self.note.value = ""
        self.corrections.changed()
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
        head = html("<p class='ht-small'>Last 7 days: {} minutes of self-care.</p>", total)
        self.corrections.update(bool(mine))
        if not mine:
            self.summary.value = str(head + html("<p class='ht-empty'>Nothing logged yet.</p>"))
            return
        rows = join(
            html(
                "<li>{}: {}, {} min{}</li>",
                s.day.strftime("%d %b %Y"),
                KIND_LABELS[s.kind],
                s.minutes,
                f" · {s.note}" if s.note else "",
            )
            for s in reversed(mine[-self.recent_count :])
        )
        self.summary.value = str(head + html("<ul class='ht-list'>{}</ul>", rows))


class SelfCareCorrections(Corrections[SelfCare]):
    """Correct what, how long or the note of one's own self-care entry, or delete it."""

    kind = "selfcare"
    what = "entry"

    def mine(self) -> list[SelfCare]:
        """The writer's self-care entries, most recent first."""
        return own(self.session.wb.selfcare(self.session.who), self.session.who)

    def describe(self, entry: SelfCare) -> str:
        """Day, kind, minutes and the note's first words."""
        note = f" · {first_words(entry.note, 30)}" if entry.note else ""
        return f"{entry.day:%d %b %Y} · {KIND_LABELS[entry.kind]}, {entry.minutes} min{note}"

    def make_fields(self) -> list[widgets.Widget]:
        """What was done, for how long, and the note."""
        self.kind_choice = kind_choice("What I did (corrected)")
        self.minutes = minutes_box("Minutes (corrected)")
        self.note = text_input("Note (corrected, optional)")
        return [self.kind_choice, self.minutes, self.note]

    def fill(self, entry: SelfCare) -> None:
        """The chosen entry's values."""
        self.kind_choice.value = entry.kind
        self.minutes.value = entry.minutes
        self.note.value = entry.note

    def apply(self, entry: SelfCare) -> str:
        """Save the corrected entry, from the version this page showed."""
        s = self.session.wb.edit_selfcare(
            entry.id,  # type: ignore[arg-type]
            author=self.session.who,
            kind=self.kind_choice.value,
            minutes=check_minutes(self.minutes.value),
            note=str(self.note.value),
            version=entry.version,
        )
        return f"Saved your correction: {s.minutes} minutes of {KIND_LABELS[s.kind].lower()}."


def passphrase_card(session: Session, exercise: Exercise) -> widgets.VBox:
    """The step's own passphrase card: set, unlock or lock private writing for the sitting."""
    return card(PassphrasePanel(session.privacy, compact=False), title=exercise.title)
