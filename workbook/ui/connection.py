"""Step 7, rebuilding intimacy and connection: plans for time together (prompts in `steps`)."""

from __future__ import annotations

from datetime import date

from ..domain import ValidationError
from ..i18n import N_, SOURCE, format_date
from ..steps import CONNECTION, Exercise
from .base import Session, date_picker
from .forms import PromptForm, prompt_settings


class QualityTimeForm(PromptForm):
    """A plan for time together: what, and optionally when; always shared."""

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        ex = exercise or CONNECTION.exercise("quality-time")
        self.when = date_picker(session.gettext("When (optional)"))
        super().__init__(session, CONNECTION.number, **prompt_settings(ex, session))
        card_box = self.children[0]
        items = list(card_box.children)
        at = items.index(self.answer) + 1
        card_box.children = (*items[:at], self.when, *items[at:])

    def text_to_save(self) -> str:
        """'what — on DATE', or just 'what' when no day is chosen."""
        what = str(self.answer.value).strip()
        if not what:
            raise ValidationError(N_("Write what you would like to do together, then save."))
        when: date | None = self.when.value
        if when is None:
            return what
        # Saved as the writer reads it: "Saturday 05 December 2026" / "sábado, 5 de ...".
        lang = self.session.lang
        day = format_date(when, lang, "EEEE dd MMMM y" if lang == SOURCE else "full")
        return self.session.gettext("%(what)s — on %(day)s") % {"what": what, "day": day}

    def _save(self) -> str:
        message = super()._save()
        self.when.value = None
        return message
