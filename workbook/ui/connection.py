"""Step 7, rebuilding intimacy and connection: goals, time together, appreciation, boundaries."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ..domain import ValidationError
from .base import Session, layout
from .forms import PromptForm

STEP = 7


class QualityTimeForm(PromptForm):
    """A plan for time together: what, and optionally when; always shared."""

    def __init__(self, session: Session) -> None:
        self.when = widgets.DatePicker(description="When (optional)", value=None, layout=layout())
        self.when.style.description_width = "initial"
        super().__init__(
            session,
            STEP,
            "quality-time",
            "Time together",
            "What would we like to do together?",
            placeholder="A walk, cooking a meal, an evening without phones",
            allow_private=False,
            empty="No plans yet. Small ones count.",
            rows=2,
        )
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


def exercises(session: Session) -> list[widgets.Widget]:
    """Step 7's exercises in page order."""
    return [
        PromptForm(
            session,
            STEP,
            "shared-goal",
            "Shared goals and values",
            "What matters to us both, and what would we like to build together?",
            placeholder="A value we share, a goal for this year, a hope for our home",
            empty="No shared goals written yet.",
        ),
        QualityTimeForm(session),
        PromptForm(
            session,
            STEP,
            "appreciation",
            "Appreciations",
            "Something I appreciated about you this week",
            placeholder="Thank you for…",
            allow_private=False,
            empty="No appreciations yet. Be the first.",
            rows=3,
        ),
        PromptForm(
            session,
            STEP,
            "boundary",
            "Healthy boundaries",
            "What do I need so I feel respected and safe with you?",
            placeholder="I need… / I'm not okay with… / I'd like us to…",
            empty="No boundaries written yet.",
        ),
    ]
