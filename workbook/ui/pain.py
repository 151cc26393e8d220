"""Step 2, acknowledge the pain: the situations that apply, what happened, naming mistakes."""

from __future__ import annotations

import ipywidgets as widgets

from ..content import SITUATIONS
from ..domain import ValidationError
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


class SituationsChecklist(widgets.VBox):
    """Which common situations apply to us; each partner's view, side by side once saved."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.boxes = [
            widgets.Checkbox(value=False, description=s, indent=False, layout=layout())
            for s in SITUATIONS
        ]
        self.other = text_input("Something else (optional)")
        self.save = button("Save what applies")
        self.status = Status()
        self.summary = html_text()
        self.save.on_click(lambda _: guarded(self.status, self._save))
        super().__init__(
            [
                card(
                    paragraph("Tick what applies to your relationship now. There is no score."),
                    *self.boxes,
                    self.other,
                    self.save,
                    self.status,
                    self.summary,
                    title="What brings us here",
                )
            ],
            layout=layout(),
        )
        self.refresh()

    def _save(self) -> str:
        chosen = [b.description for b in self.boxes if b.value]
        if self.other.value.strip():
            chosen.append(self.other.value.strip())
        if not chosen:
            raise ValidationError("Tick at least one situation, or describe your own.")
        self.session.wb.add_reflection(self.session.who, 2, "situations", "\n".join(chosen))
        self.refresh()
        return "Saved."

    def refresh(self) -> None:
        """Show each partner's latest choice, and tick this partner's last saved answers."""
        names = self.session.wb.names()
        latest: dict[str, list[str]] = {}
        for r in self.session.wb.reflections(2, "situations", viewer=self.session.who):
            latest[r.author] = r.text.splitlines()
        mine = latest.get(self.session.who, [])
        for b in self.boxes:
            b.value = b.description in mine
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
