"""Step 8, when to walk away: a plain word on abuse, a private safety check, crisis resources.

The safety check is deliberately stateless: its answers live only in the checkboxes on this
page. They are never written to the workbook, never logged and never sent anywhere, so a
partner or a facilitator cannot see them. Every piece of HTML here is fixed project text.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import resources
from ..resources import RESOURCES_TITLE, resources_list_html
from ..steps import WALK_AWAY, Exercise
from .base import Status, button, card, esc, guarded, html_text, layout, paragraph

#: The questions of the safety check; a tick means "yes, this is true for me".
SAFETY_QUESTIONS: tuple[str, ...] = (
    "I am afraid of my partner.",
    "My partner has threatened me, my children, my pets or themselves.",
    "My partner controls my money, my phone, or who I can see.",
    "My partner has hurt me physically or pressured or forced me into sexual contact.",
    "I feel unsafe going home.",
)

#: The plain word on abuse with the reason, and what helps instead (texts from workbook.resources).
NOT_ADVISED = f"{resources.NOT_ADVISED} {resources.NOT_ADVISED_WHY}"
INSTEAD = f"What helps instead: {resources.HELP_INSTEAD}"

_RESOURCES_HTML = (
    f"<div class='ht-resources' role='region' aria-label='{esc(RESOURCES_TITLE)}'>"
    f"<p class='ht-p'><strong>{esc(RESOURCES_TITLE)}</strong></p>"
    f"{resources_list_html('ht-list')}</div>"
)


def safety_resources_html() -> str:
    """The U.S. crisis resources, from the one list, with tap-to-call and tap-to-text links."""
    return _RESOURCES_HTML


ANY_YES = (
    "<div class='ht-msg ht-safety-yes' role='alert'>"
    "<p class='ht-p'><strong>Thank you for answering honestly. Your safety comes first.</strong>"
    "</p><p class='ht-p'>What you ticked can be a sign of abuse. Couples work is not advised "
    "right now; please put the exercises aside. A hotline advocate can listen, help you make "
    "a safety plan and talk through what comes next, whenever you are ready.</p>"
    + _RESOURCES_HTML
    + "</div>"
)

ALL_NO = (
    "<div class='ht-msg ht-safety-no' role='status'>"
    "<p class='ht-p'>Thank you for checking in with yourself. If anything changes, or you "
    "ever feel unsure, these services are always there for you.</p>" + _RESOURCES_HTML + "</div>"
)


class SafetyCheck(widgets.VBox):
    """A private yes/no safety check whose answers are never stored or logged."""

    def __init__(self, exercise: Exercise | None = None) -> None:
        ex = exercise or WALK_AWAY.exercise("safety-check")
        self.questions = [
            widgets.Checkbox(value=False, description=q, indent=False, layout=layout(height="auto"))
            for q in SAFETY_QUESTIONS
        ]
        for box in self.questions:
            box.add_class("ht-wrap")
        self.check = button("Check", icon="check")
        self.clear = button("Clear my answers", style="", icon="eraser")
        self.status = Status()
        self.result = html_text(wide=True)
        self.check.on_click(lambda _: guarded(self.status, self._check))
        self.clear.on_click(lambda _: guarded(self.status, self._clear))
        intro = paragraph(ex.question)
        super().__init__(
            [
                card(
                    intro,
                    *self.questions,
                    self.check,
                    self.result,
                    self.clear,
                    self.status,
                    title=ex.title,
                    cls="ht-safety",
                )
            ],
            layout=layout(),
        )

    @property
    def any_yes(self) -> bool:
        """Whether any question is ticked."""
        return any(box.value for box in self.questions)

    def _check(self) -> None:
        # Nothing here may write or log the answers: they only choose which fixed text to show.
        self.status.clear()
        self.result.value = ANY_YES if self.any_yes else ALL_NO

    def _clear(self) -> str:
        for box in self.questions:
            box.value = False
        self.result.value = ""
        return "Your answers are cleared."


def not_advised_card(exercise: Exercise) -> widgets.VBox:
    """The plain word that couples work is not advised where there is abuse, and what helps."""
    return card(paragraph(NOT_ADVISED), paragraph(INSTEAD), title=exercise.title)


def resources_card(exercise: Exercise) -> widgets.VBox:
    """Every U.S. crisis resource, from the one list."""
    return card(html_text(safety_resources_html(), wide=True), title=exercise.title)
