"""The daily check-in: mood and trust (1 to 10, unset until chosen), a note, private or not,
"You checked in today at 09:12", and the author's own corrections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

import ipywidgets as widgets

from ..domain import CheckIn, ValidationError, Visibility
from ..i18n import N_, format_date, translator
from ..markup import Markup, html, join
from .base import (
    CardForm,
    Session,
    html_text,
    layout,
    paragraph,
    textarea,
)
from .corrections import Corrections, entries_changed, own
from .entry_words import first_words
from .passphrase import InlinePrivacy

#: The check-in's private choice hides all of it (numbers too) from the partner and the group.
PRIVATE_CHECKIN_LABEL = N_("Keep this check-in private: mood, trust and note, for me only")

#: When a check-in was written, as the lists show it ("05 Dec 2026, 09:12"): a Babel pattern,
#: in the catalogue so each language writes its own months.
WHEN_WRITTEN = N_("dd MMM y")


def when_written(at: datetime, lang: str | None = None) -> str:
    """A check-in's local date and time in the reader's language."""
    local = at.astimezone()
    gettext = translator(lang).gettext
    return f"{format_date(local.date(), lang, gettext(WHEN_WRITTEN))}, {local:%H:%M}"


def rating(
    label: str, value: int | None = None, gettext: Callable[[str], str] = str
) -> widgets.ToggleButtons:
    """A 1-to-10 choice as ten touch-sized buttons, each with its own accessible name.

    Nothing is chosen at first, so a quick tap on Save cannot record a number nobody chose.
    (ipywidgets' slider handle has no accessible name, and is fiddly on a phone.) `label`
    comes translated; `gettext` says the buttons' names in the same language.
    """
    w = widgets.ToggleButtons(
        options=[(str(i), i) for i in range(1, 11)],
        value=value,
        description=label,
        tooltips=[gettext("%(what)s %(n)d of 10") % {"what": label, "n": i} for i in range(1, 11)],
        layout=layout(),
        style={"button_width": "2.75rem", "description_width": "initial"},
    )
    w.add_class("ht-rating")
    w.add_class("ht-stacked")
    return w


def checked_in_today(
    mine: Sequence[CheckIn], today: date | None = None, gettext: Callable[[str], str] = str
) -> Markup:
    """'You checked in today at 09:12' (and how many times), or '' before the first today;
    in the language of `gettext`."""
    today = today or date.today()
    times = [c.at.astimezone() for c in mine if c.at.astimezone().date() == today]
    if not times:
        return Markup()
    values = {"time": max(times).strftime("%H:%M"), "n": len(times)}
    text = (
        gettext(
            "✓ You checked in today at %(time)s (%(n)d check-ins today; the day counts their mean)."
        )
        if len(times) > 1
        else gettext("✓ You checked in today at %(time)s.")
    )
    return html("<p class='ht-done-today' role='status'>{}</p>", text % values)


#: What Save with a rating left unset says, by (mood missing, trust missing).
CHOOSE_FIRST = {
    (True, False): N_("Choose your mood (1 to 10) first. Nothing was saved."),
    (False, True): N_("Choose your trust (1 to 10) first. Nothing was saved."),
    (True, True): N_("Choose your mood and trust (1 to 10) first. Nothing was saved."),
}


class CheckInForm(CardForm):
    """Mood and trust, 1 to 10 each, with an optional note: quick on a phone."""

    css_class = "ht-checkin"

    def __init__(self, session: Session, *, on_saved: object = None) -> None:
        self.session = session
        _ = session.gettext
        self.mood = rating(_("Mood"), gettext=_)
        self.trust = rating(_("Trust"), gettext=_)
        self.note = textarea(_("Note (optional)"), _("What is behind today's numbers?"), rows=2)
        self.private = widgets.Checkbox(
            value=False, description=_(PRIVATE_CHECKIN_LABEL), indent=False
        )
        self.private.add_class("ht-private-choice")
        self.unlock_here = InlinePrivacy(session.privacy)
        self.private.observe(lambda _: self.unlock_here.want(self.private.value), names="value")
        self.save = self.action(_("Save check-in"), self._save, icon="check")
        self.recent = html_text()
        self.today = html_text()
        self.corrections = CheckInCorrections(session, beside=self.status)
        self._on_saved = on_saved
        intro = paragraph(
            _(
                "%(name)s, how are you today? 1 is very low, 10 is very good. "
                "Trust means how safe and confident you feel with your partner right now."
            )
            % {"name": session.name}
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
            title=_("Daily check-in"),
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
        missing = (self.mood.value is None, self.trust.value is None)
        if any(missing):
            raise ValidationError(CHOOSE_FIRST[missing])
        if vis == "private":
            self.unlock_here.open_with_typed()
        c = self.session.wb.add_checkin(
            self.session.who, self.mood.value, self.trust.value, self.note.value, visibility=vis
        )
        self.note.value = ""
        self.mood.value = self.trust.value = None
        entries_changed(self.session, "checkins")
        if callable(self._on_saved):
            self._on_saved()
        _ = self.session.gettext
        saved = (
            _(
                "Saved: mood %(mood)d, trust %(trust)d. Only you can see it. "
                "Thank you for checking in."
            )
            if vis == "private"
            else _("Saved: mood %(mood)d, trust %(trust)d. Thank you for checking in.")
        )
        return saved % {"mood": c.mood, "trust": c.trust}

    def refresh(self) -> None:
        """Show this partner's last few check-ins and today's, re-read from the workbook."""
        wb, who, lang = self.session.wb, self.session.who, self.session.lang
        _ = self.session.gettext
        mine = wb.checkins(who, viewer=who)
        self.today.value = str(checked_in_today(mine, gettext=_))
        self.corrections.update(bool(mine))
        mine = mine[-3:]
        # While locked, private check-ins are not shown: say how many, never "no check-ins".
        locked = 0 if wb.is_unlocked(who) else wb.private_checkin_count(who)
        kept = (
            html(
                "<p class='ht-small ht-hidden-count'>{}</p>",
                self.session.ngettext(
                    "You have %(n)d private check-in; unlock to see it.",
                    "You have %(n)d private check-ins; unlock to see them.",
                    locked,
                )
                % {"n": locked},
            )
            if locked
            else Markup()
        )
        if not mine:
            self.recent.value = str(
                kept or html("<p class='ht-empty'>{}</p>", _("No check-ins yet."))
            )
            return
        private = html(" <span class='ht-badge'>{}</span>", _("private"))
        rows = join(
            html(
                "<li>{}{}{}</li>",
                _("%(when)s: mood %(mood)d, trust %(trust)d")
                % {"when": when_written(c.at, lang), "mood": c.mood, "trust": c.trust},
                f" · {c.note}" if c.note else "",
                private if c.visibility == "private" else "",
            )
            for c in reversed(mine)
        )
        self.recent.value = str(
            html(
                "<p class='ht-small'>{}</p><ul class='ht-list'>{}</ul>{}",
                _("Your last check-ins"),
                rows,
                kept,
            )
        )


class CheckInCorrections(Corrections[CheckIn]):
    """Correct the numbers, note or privacy of one's own check-in, or delete it."""

    kind = "checkins"
    what = N_("check-in")

    def mine(self) -> list[CheckIn]:
        """The writer's check-ins the page may show (private ones once unlocked), newest first."""
        s = self.session
        return own(s.wb.checkins(s.who, viewer=s.who), s.who)[:30]

    def describe(self, entry: CheckIn) -> str:
        """When, the two numbers and the note's first words."""
        _ = self.session.gettext
        values = {
            "when": when_written(entry.at, self.session.lang),
            "mood": entry.mood,
            "trust": entry.trust,
        }
        said = (
            _("%(when)s (private) · mood %(mood)d, trust %(trust)d")
            if entry.visibility == "private"
            else _("%(when)s · mood %(mood)d, trust %(trust)d")
        )
        note = f" · {first_words(entry.note, 30)}" if entry.note else ""
        return said % values + note

    def describe_text(self, entry: CheckIn) -> str:
        """The check-in as one line."""
        return self.describe(entry)

    def make_fields(self) -> list[widgets.Widget]:
        """Mood, trust, note, and private or not."""
        _ = self.session.gettext
        self.mood = rating(_("Mood (corrected)"), gettext=_)
        self.trust = rating(_("Trust (corrected)"), gettext=_)
        self.note = textarea(_("Note (corrected, optional)"), rows=2)
        self.private = widgets.Checkbox(
            value=False, description=_("Private: for me only (corrected)"), indent=False
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
            raise ValidationError(N_("Choose a mood and a trust (1 to 10). Nothing was changed."))
        c = self.session.wb.edit_checkin(
            entry.id,  # type: ignore[arg-type]
            author=self.session.who,
            mood=self.mood.value,
            trust=self.trust.value,
            note=str(self.note.value),
            visibility="private" if self.private.value else "shared",
            version=entry.version,
        )
        return self.session.gettext("Saved your correction: mood %(mood)d, trust %(trust)d.") % {
            "mood": c.mood,
            "trust": c.trust,
        }
