"""Step 7, rebuilding intimacy and connection: plans for time together (prompts in `steps`)."""

from __future__ import annotations

from datetime import date

from ..domain import ValidationError
from ..steps import CONNECTION, Exercise
from .base import Session, date_picker
from .forms import PromptForm, prompt_settings


class QualityTimeForm(PromptForm):
    """A plan for time together: what, and optionally when; always shared."""

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        ex = exercise or CONNECTION.exercise("quality-time")
        self.when = date_picker("When (optional)")
        super().__init__(session, CONNECTION.number, **prompt_settings(ex, session))
        card_box = self.children[0]
        items = list(card_box.children)
        at = items.index(self.answer) + 1
        card_box.children = (*items[:at], self.when, *items[at:])

    def text_to_save(self) -> str:
        """'what — on DATE', or just 'what' when no day is chosen."""
        what = str(self.answer.value).strip()
        if not what:
            raise ValidationError("Write what you would like to do together, then save.")
        when: date | None = self.when.value
        return f"{what} — on {when:%A %d %B %Y}" if when else what

    def _save(self) -> str:
        message = super()._save()
        self.when.value = None
        return message
