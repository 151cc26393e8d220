"""Step 6, self-care: a private journal, a passphrase panel, a self-care log, people to talk to.

The journal and the "people I can talk to" list are private by default: their text is sealed
with the writer's passphrase by the store. The passphrase panel (`workbook.ui.sitting`) sits at
the top and beside every private choice; one unlock serves the pages of a sitting.
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as widgets

from ..domain import SELF_CARE_KINDS, SelfCare, ValidationError
from ..i18n import N_
from ..markup import html, join
from ..steps import SELF_CARE, Exercise, steps_in
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
from .corrections import Corrections, own
from .entry_words import day_text, first_words
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
    "mindfulness": N_("Mindfulness or meditation"),
    "journaling": N_("Journaling"),
    "hobby": N_("A hobby"),
    "exercise": N_("Exercise or movement"),
    "talking": N_("Talking with someone I trust"),
    "rest": N_("Rest"),
}


#: The most a day holds; the domain refuses more.
MAX_MINUTES = 24 * 60


def check_minutes(value: object) -> int:
    """Minutes as typed, or a sentence that gives the range; nothing is ever clipped silently.

    (A bounded number box would quietly turn 5,000 into 1,440 and save that.)
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MINUTES:
        raise ValidationError(
            N_(
                "Minutes must be more than 0 and at most %(most)d (a whole day); "
                "%(value)s is outside that. Nothing was saved."
            ),
            most=MAX_MINUTES,
            value=str(value),
        )
    return value


def minutes_box(label: str) -> widgets.IntText:
    """A plain whole-number box for minutes: what is typed is what is checked."""
    box = widgets.IntText(value=15, description=label, layout=layout())
    box.style.description_width = "initial"
    return box


def kind_choice(session: Session, label: str) -> widgets.Dropdown:
    """The kinds of self-care to choose from (in the reader's language), the first chosen."""
    options = [(session.gettext(KIND_LABELS[k]), k) for k in SELF_CARE_KINDS]
    return choice(label, options, SELF_CARE_KINDS[0])


def minutes_of(session: Session, s: SelfCare, message: str) -> str:
    """A saved entry's `message` (already chosen by its minutes, ``session.ngettext``), its
    minutes and kind filled in, in the reader's language."""
    label = session.gettext(KIND_LABELS[s.kind])
    what = label[:1].lower() + label[1:]  # inside a sentence; "I" stays "I"
    return message % {"n": s.minutes, "what": what}


class SelfCareForm(CardForm):
    """Log time spent on self-care; shows recent entries and the last seven days' total."""

    def __init__(
        self, session: Session, exercise: Exercise | None = None, *, recent: int = 5
    ) -> None:
        self.session = session
        _ = session.gettext
        ex = exercise or steps_in(session.lang)[SELF_CARE.number].exercise("self-care-log")
        self.recent_count = recent
        self.kind = kind_choice(session, _("What I did"))
        self.minutes = minutes_box(_("Minutes"))
        self.note = text_input(_("Note (optional)"), _("How did it feel?"))
        self.save = self.action(_("Save self-care"), self._save, icon="check")
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
        said = self.session.ngettext(
            "Saved: %(n)d minute of %(what)s. Well done.",
            "Saved: %(n)d minutes of %(what)s. Well done.",
            s.minutes,
        )
        return minutes_of(self.session, s, said)

    def week_total(self, entries: list[SelfCare], today: date | None = None) -> int:
        """Minutes logged in the last seven days, today included."""
        today = today or date.today()
        start = today - timedelta(days=6)
        return sum(s.minutes for s in entries if start <= s.day <= today)

    def refresh(self) -> None:
        """Show this partner's recent entries and weekly total, re-read from the workbook."""
        _, lang = self.session.gettext, self.session.lang
        mine = self.session.wb.selfcare(self.session.who)
        total = self.week_total(mine)
        week = self.session.ngettext(
            "Last 7 days: %(n)d minute of self-care.",
            "Last 7 days: %(n)d minutes of self-care.",
            total,
        )
        head = html("<p class='ht-small'>{}</p>", week % {"n": total})
        self.corrections.update(bool(mine))
        if not mine:
            nothing = _("Nothing logged yet.")
            self.summary.value = str(head + html("<p class='ht-empty'>{}</p>", nothing))
            return
        rows = join(
            html(
                "<li>{}: {}, {}{}</li>",
                day_text(s.day, lang),
                _(KIND_LABELS[s.kind]),
                _("%(n)d min") % {"n": s.minutes},
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
        _ = self.session.gettext
        note = f" · {first_words(entry.note, 30)}" if entry.note else ""
        day = day_text(entry.day, self.session.lang)
        minutes = _("%(n)d min") % {"n": entry.minutes}
        return f"{day} · {_(KIND_LABELS[entry.kind])}, {minutes}{note}"

    def make_fields(self) -> list[widgets.Widget]:
        """What was done, for how long, and the note."""
        _ = self.session.gettext
        self.kind_choice = kind_choice(self.session, _("What I did (corrected)"))
        self.minutes = minutes_box(_("Minutes (corrected)"))
        self.note = text_input(_("Note (corrected, optional)"))
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
        said = self.session.ngettext(
            "Saved your correction: %(n)d minute of %(what)s.",
            "Saved your correction: %(n)d minutes of %(what)s.",
            s.minutes,
        )
        return minutes_of(self.session, s, said)


def passphrase_card(session: Session, exercise: Exercise) -> widgets.VBox:
    """The step's own passphrase card: set, unlock or lock private writing for the sitting."""
    return card(PassphrasePanel(session.privacy, compact=False), title=exercise.title)
