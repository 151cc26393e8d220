"""The daily check-in: mood and trust (1 to 10, unset until chosen), a note, private or not,
"You checked in today at 09:12", and the author's own corrections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ipywidgets as widgets

from ..domain import CheckIn, ValidationError, Visibility
from ..markup import Markup, html, join
from .base import (
    CardForm,
    Session,
    html_text,
    layout,
    paragraph,
    textarea,
)
from .corrections import Corrections, entries_changed, first_words, own
from .forms import when_written
from .passphrase import InlinePrivacy

#: The check-in's private choice hides all of it (numbers too) from the partner and the group.
PRIVATE_CHECKIN_LABEL = "Keep this check-in private: mood, trust and note, for me only"


def rating(label: str, value: int | None = None) -> widgets.ToggleButtons:
    """A 1-to-10 choice as ten touch-sized buttons, each with its own accessible name.

    Nothing is chosen at first, so a quick tap on Save cannot record a number nobody chose.
    (ipywidgets' slider handle has no accessible name, and is fiddly on a phone.)
    """
    w = widgets.ToggleButtons(
        options=[(str(i), i) for i in range(1, 11)],
        value=value,
        description=label,
        tooltips=[f"{label} {i} of 10" for i in range(1, 11)],
        layout=layout(),
        style={"button_width": "2.75rem", "description_width": "initial"},
    )
    w.add_class("ht-rating")
    w.add_class("ht-stacked")
    return w


def checked_in_today(mine: Sequence[CheckIn], today: date | None = None) -> Markup:
    """'You checked in today at 09:12' (and how many times), or '' before the first today."""
    today = today or date.today()
    times = [c.at.astimezone() for c in mine if c.at.astimezone().date() == today]
    if not times:
        return Markup()
    last = max(times).strftime("%H:%M")
    more = f" ({len(times)} check-ins today; the day counts their mean)" if len(times) > 1 else ""
    return html(
        "<p class='ht-done-today' role='status'>✓ You checked in today at {}{}.</p>", last, more
    )


class CheckInForm(CardForm):
    """Mood and trust, 1 to 10 each, with an optional note: quick on a phone."""

    css_class = "ht-checkin"

    def __init__(self, session: Session, *, on_saved: object = None) -> None:
        self.session = session
        self.mood = rating("Mood")
        self.trust = rating("Trust")
        self.note = textarea("Note (optional)", "What is behind today's numbers?", rows=2)
        self.private = widgets.Checkbox(
            value=False, description=PRIVATE_CHECKIN_LABEL, indent=False
        )
        self.private.add_class("ht-private-choice")
        self.unlock_here = InlinePrivacy(session.privacy)
        self.private.observe(lambda _: self.unlock_here.want(self.private.value), names="value")
        self.save = self.action("Save check-in", self._save, icon="check")
        self.recent = html_text()
        self.today = html_text()
        self.corrections = CheckInCorrections(session, beside=self.status)
        self._on_saved = on_saved
        intro = paragraph(
            f"{session.name}, how are you today? 1 is very low, 10 is very good. "
            "Trust means how safe and confident you feel with your partner right now."
        )
        super().__init__(
            intro,
            self.today,
            self.mood,
            self.trust,
            self.note,
            self.private,
            self.unlock_here,
            self.save,
            self.status,
            self.recent,
            self.corrections,
            title="Daily check-in",
        )
        session.privacy.subscribe(self._privacy_changed)
        self.follow(session, "checkins")

    def _privacy_changed(self) -> None:
        # An old error (say, "nothing was saved" while locked) must not stay under the
        # panel's news that the passphrase is set or typed.
        if self.status.kind == "error":
            self.status.clear()
        self.refresh()

    def _save(self) -> str:
        vis: Visibility = "private" if self.private.value else "shared"
        missing = [w.description.lower() for w in (self.mood, self.trust) if w.value is None]
        if missing:
            raise ValidationError(
                f"Choose your {' and '.join(missing)} (1 to 10) first. Nothing was saved."
            )
        c = self.session.wb.add_checkin(
            self.session.who, self.mood.value, self.trust.value, self.note.value, visibility=vis
        )
        self.note.value = ""
        self.mood.value = self.trust.value = None
        entries_changed(self.session, "checkins")
        if callable(self._on_saved):
            self._on_saved()
        kept = " Only you can see it." if vis == "private" else ""
        return f"Saved: mood {c.mood}, trust {c.trust}.{kept} Thank you for checking in."

    def refresh(self) -> None:
        """Show this partner's last few check-ins and today's, re-read from the workbook."""
        wb, who = self.session.wb, self.session.who
        mine = wb.checkins(who, viewer=who)
        self.today.value = str(checked_in_today(mine))
        self.corrections.update(bool(mine))
        mine = mine[-3:]
        # While locked, private check-ins are not shown: say how many, never "no check-ins".
        locked = 0 if wb.is_unlocked(who) else wb.private_checkin_count(who)
        noun, them = ("check-in", "it") if locked == 1 else ("check-ins", "them")
        kept = (
            html(
                "<p class='ht-small ht-hidden-count'>You have {} private {}; unlock to see {}.</p>",
                locked,
                noun,
                them,
            )
            if locked
            else Markup()
        )
        if not mine:
            self.recent.value = str(kept or html("<p class='ht-empty'>No check-ins yet.</p>"))
            return
        private = html(" <span class='ht-badge'>private</span>")
        rows = join(
            html(
                "<li>{}: mood {}, trust {}{}{}</li>",
                when_written(c.at),
                c.mood,
                c.trust,
                f" · {c.note}" if c.note else "",
                private if c.visibility == "private" else "",
            )
            for c in reversed(mine)
        )
        self.recent.value = str(
            html(
                "<p class='ht-small'>Your last check-ins</p><ul class='ht-list'>{}</ul>{}",
                rows,
                kept,
            )
        )


class CheckInCorrections(Corrections[CheckIn]):
    """Correct the numbers, note or privacy of one's own check-in, or delete it."""

    kind = "checkins"
    what = "check-in"

    def mine(self) -> list[CheckIn]:
        """The writer's check-ins the page may show (private ones once unlocked), newest first."""
        s = self.session
        return own(s.wb.checkins(s.who, viewer=s.who), s.who)[:30]

    def describe(self, entry: CheckIn) -> str:
        """When, the two numbers and the note's first words."""
        kept = " (private)" if entry.visibility == "private" else ""
        note = f" · {first_words(entry.note, 30)}" if entry.note else ""
        return f"{when_written(entry.at)}{kept} · mood {entry.mood}, trust {entry.trust}{note}"

    def describe_text(self, entry: CheckIn) -> str:
        """The check-in as one line."""
        return self.describe(entry)

    def make_fields(self) -> list[widgets.Widget]:
        """Mood, trust, note, and private or not."""
        self.mood = rating("Mood (corrected)")
        self.trust = rating("Trust (corrected)")
        self.note = textarea("Note (corrected, optional)", rows=2)
        self.private = widgets.Checkbox(
            value=False, description="Private: for me only (corrected)", indent=False
        )
        return [self.mood, self.trust, self.note, self.private]

    def fill(self, entry: CheckIn) -> None:
        """The chosen check-in's values."""
        self.mood.value, self.trust.value = entry.mood, entry.trust
        self.note.value = entry.note
        self.private.value = entry.visibility == "private"

    def apply(self, entry: CheckIn) -> str:
        """Save the corrected check-in, from the version this page showed."""
        if self.mood.value is None or self.trust.value is None:
            raise ValidationError("Choose a mood and a trust (1 to 10). Nothing was changed.")
        c = self.session.wb.edit_checkin(
            entry.id,  # type: ignore[arg-type]
            author=self.session.who,
            mood=self.mood.value,
            trust=self.trust.value,
            note=str(self.note.value),
            visibility="private" if self.private.value else "shared",
            version=entry.version,
        )
        return f"Saved your correction: mood {c.mood}, trust {c.trust}."
