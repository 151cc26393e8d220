"""Step 2, acknowledge the pain: the situations that apply, what happened, naming mistakes."""

from __future__ import annotations

import ipywidgets as widgets

from ..content import SITUATIONS
from .base import (
    Session,
    esc,
)
from .forms import ChecklistForm, PromptForm


class SituationsChecklist(ChecklistForm):
    """Which common situations apply to us; each partner's view, side by side once saved."""

    step, prompt = 2, "situations"

    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            SITUATIONS,
            intro="Tick what applies to your relationship now. There is no score.",
            own_label="Something else (optional)",
            save_label="Save what applies",
            title="What brings us here",
            nothing_ticked="Tick at least one situation, or describe your own.",
            saved_message="Saved.",
        )

    def refresh(self) -> None:
        """Show each partner's latest choice, and tick this partner's last saved answers."""
        names = self.session.wb.names()
        latest = {r.author: r.text.splitlines() for r in self.saved()}
        mine = latest.get(self.session.who, [])
        for b in self.boxes:
            b.value = b.description in mine
        # The partner's own item is part of their answer: put it back in its field, so that
        # saving again (say, to tick one more box) keeps it.
        listed = {b.description for b in self.boxes}
        self.own.value = "; ".join(item for item in mine if item not in listed)
        if not latest:
            self.summary.value = "<p class='ht-empty'>Nothing saved yet.</p>"
            return
        cols = "".join(
            f"<div class='ht-col'><strong>{esc(names[who])}</strong><ul>"
            + "".join(f"<li>{esc(item)}</li>" for item in items)
            + "</ul></div>"
            for who, items in sorted(latest.items())
        )
        self.summary.value = f"<div class='ht-cols'>{cols}</div>"


def exercises(session: Session) -> list[widgets.Widget]:
    """Step 2's exercises in page order."""
    return [
        SituationsChecklist(session),
        PromptForm(
            session,
            2,
            "what-happened",
            "What happened",
            "In your own words, what happened?",
            placeholder="Describe it as you lived it, without judging either of you.",
        ),
        PromptForm(
            session,
            2,
            "how-it-affected-me",
            "How it affected me",
            "How has it affected you?",
            placeholder="I have felt … I have noticed that I …",
        ),
        PromptForm(
            session,
            2,
            "how-it-affected-us",
            "How it affected us",
            "How has it affected the two of you as a couple?",
        ),
        PromptForm(
            session,
            2,
            "my-mistakes",
            "Naming my part",
            "What mistakes of your own can you name?",
            placeholder="I see now that I …",
        ),
        PromptForm(
            session,
            2,
            "unshared-pain",
            "Pain I have not shared",
            "Is there pain you have not shared before? You can keep it private for now.",
            default_visibility="private",
        ),
    ]
