"""Step 3, empathy and patience: perspective-taking revealed when both answered, setbacks log."""

from __future__ import annotations

import ipywidgets as widgets

from ..domain import reveal_when_both_answered
from .base import Session, Status, button, card, esc, guarded, html_text, layout, textarea
from .forms import PromptForm

#: (prompt, question, card title); the titles match the printed worksheet's.
PERSPECTIVE_PROMPTS: tuple[tuple[str, str, str], ...] = (
    (
        "perspective-feel",
        "What might {other} be feeling about what happened?",
        "Perspective-taking: feelings",
    ),
    (
        "perspective-need",
        "What might {other} need from you right now?",
        "Perspective-taking: needs",
    ),
)


class PerspectiveTaking(widgets.VBox):
    """A paired prompt: each answer stays hidden until both partners have answered."""

    def __init__(
        self, session: Session, prompt: str, question: str, title: str = "Perspective-taking"
    ) -> None:
        self.session, self.prompt = session, prompt
        self.question = question.format(other=session.other_name)
        self.answer = textarea(self.question, "Put yourself in their shoes for a moment.")
        self.save = button("Save my answer")
        self.status = Status()
        self.reveal = html_text()
        self.save.on_click(lambda _: guarded(self.status, self._save))
        super().__init__(
            [
                card(
                    self.answer,
                    self.save,
                    self.status,
                    self.reveal,
                    title=title,
                    cls="ht-paired",
                )
            ],
            layout=layout(),
        )
        self.refresh()

    def _save(self) -> str:
        self.session.wb.add_reflection(
            self.session.who, 3, self.prompt, self.answer.value, visibility="paired"
        )
        self.answer.value = ""
        self.refresh()
        return "Saved. Answers are shown side by side once you have both answered."

    def refresh(self) -> None:
        """Show the waiting state, or both answers side by side once both exist."""
        wb, who = self.session.wb, self.session.who
        visible = wb.reflections(3, self.prompt, viewer=who)
        both = reveal_when_both_answered(visible, self.prompt)
        names = wb.names()
        if both is None:
            answered = wb.paired_status(3, self.prompt)
            if who in answered:
                msg = f"You have answered. Waiting for {self.session.other_name}."
            elif answered:
                msg = f"{self.session.other_name} has answered. Answer too to see both."
            else:
                msg = "Neither of you has answered yet."
            mine = [r for r in visible if r.author == who]
            own = (
                f"<div class='ht-entry'><div class='ht-entry-meta'>Your answer, hidden from "
                f"{esc(self.session.other_name)} for now</div>"
                f"<div class='ht-entry-text'>{esc(mine[-1].text)}</div></div>"
                if mine
                else ""
            )
            self.reveal.value = f"<p class='ht-empty'>{esc(msg)}</p>{own}"
            return
        cols = "".join(
            f"<div class='ht-col'><strong>{esc(names[p])}</strong><p>{esc(both[p].text)}</p></div>"
            for p in ("a", "b")
        )
        self.reveal.value = f"<div class='ht-cols ht-revealed'>{cols}</div>"


def exercises(session: Session) -> list[widgets.Widget]:
    """Step 3's exercises in page order."""
    return [
        *(PerspectiveTaking(session, key, q, title) for key, q, title in PERSPECTIVE_PROMPTS),
        PromptForm(
            session,
            3,
            "setback",
            "Setbacks log",
            "A setback, what set it off, and how you came back from it.",
            placeholder="Old argument resurfaced on Sunday; we took a pause and talked on Monday.",
            empty="No setbacks logged. Writing one down when it happens helps you see patterns.",
        ),
        PromptForm(
            session,
            3,
            "patience",
            "Patience with myself",
            "What would you tell a friend who was healing at your pace?",
            default_visibility="private",
        ),
    ]
