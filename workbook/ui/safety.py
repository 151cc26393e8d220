"""Step 8, when to walk away: help first, a plain word on abuse, a private safety check.

The safety check is deliberately stateless: its answers live only in the checkboxes on this
page. They are never written to the workbook, never logged and never sent anywhere, so a
partner or a facilitator cannot see them. Every piece of HTML here is fixed project text.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from .. import resources
from ..markup import Markup, html
from ..resources import resources_list_html
from ..steps import WALK_AWAY, Exercise
from .base import CardForm, card, html_text, layout, paragraph

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
#: What step 8 says about itself, in place of "Finished this step?".
NO_TRACE = (
    "Nothing you do on this page is saved in the workbook: not your visit, not the safety "
    "check, not the country you choose. There is no “done” to mark here, so nothing about "
    "this page can show on your partner's pages, in a facilitator's view, in an export or on "
    "a chart. Your browser's history does keep this page's address; a private window keeps "
    "none. Come back whenever you need to."
)


def safety_resources_html(code: str | None = None) -> Markup:
    """One country's crisis resources (the U.S. by default), from the one list, with
    tap-to-call and tap-to-text links."""
    chosen = resources.country(code)
    return html(
        "<div class='ht-resources' role='region' aria-label='{}'>"
        "<p class='ht-p'><strong>{}</strong></p>{}<p class='ht-p ht-quiet'>{}</p></div>",
        chosen.title,
        chosen.title,
        resources_list_html("ht-list", chosen.code),
        resources.PHONE_HISTORY,
    )


def any_yes_html(code: str | None = None) -> Markup:
    """What the safety check says when anything is ticked, with the chosen country's help."""
    return html(
        "<div class='ht-msg ht-safety-yes' role='alert'>"
        "<p class='ht-p'><strong>Thank you for answering honestly. Your safety comes first."
        "</strong></p><p class='ht-p'>What you ticked can be a sign of abuse. Couples work "
        "is not advised right now; please put the exercises aside. A hotline advocate can "
        "listen, help you make a safety plan and talk through what comes next, whenever "
        "you are ready.</p>{}</div>",
        safety_resources_html(code),
    )


def all_no_html(code: str | None = None) -> Markup:
    """What the safety check says when nothing is ticked, with the chosen country's help."""
    return html(
        "<div class='ht-msg ht-safety-no' role='status'>"
        "<p class='ht-p'>Thank you for checking in with yourself. If anything changes, or "
        "you ever feel unsure, these services are always there for you.</p>{}</div>",
        safety_resources_html(code),
    )


ANY_YES = any_yes_html()
ALL_NO = all_no_html()


class HelpFirst(CardForm):
    """The ways to get help, first on step 8, for the country chosen here (the U.S. at first).

    The choice lives only in this open page: it is not saved in the workbook, the address, the
    browser's storage or a cookie, so choosing a country leaves nothing for anyone to find.
    """

    css_class = "ht-help-first"

    def __init__(self, exercise: Exercise | None = None) -> None:
        self.country = widgets.Dropdown(
            options=[(c.name, c.code) for c in resources.COUNTRIES.values()],
            value=resources.DEFAULT_COUNTRY,
            description="Where are you?",
            style={"description_width": "initial"},
            layout=layout(width="auto"),
        )
        self.country.add_class("ht-country")
        self.list = html_text(safety_resources_html(), wide=True)
        self.listeners: list[Callable[[str], None]] = []
        self.country.observe(self._chose, names="value")
        title = exercise.title if exercise else "Help, any time"
        super().__init__(
            self.country,  # above the list: someone outside the U.S. finds it at once
            self.list,
            paragraph(
                "Choosing a country here is not saved anywhere; the page starts with "
                "the U.S. each time."
            ),
            title=title,
        )

    @property
    def code(self) -> str:
        """The chosen country's code."""
        return str(self.country.value)

    def _chose(self, change: dict[str, object]) -> None:
        self.list.value = str(safety_resources_html(self.code))
        for listener in self.listeners:
            listener(self.code)


class SafetyCheck(CardForm):
    """A private yes/no safety check whose answers are never stored or logged.

    Once `attach`ed to the page's help card, its answer shows that card's country.
    """

    css_class = "ht-safety"

    def __init__(self, exercise: Exercise | None = None) -> None:
        ex = exercise or WALK_AWAY.exercise("safety-check")
        self.help_first: HelpFirst | None = None
        self.questions = [
            widgets.Checkbox(value=False, description=q, indent=False, layout=layout(height="auto"))
            for q in SAFETY_QUESTIONS
        ]
        for box in self.questions:
            box.add_class("ht-wrap")
        self.check = self.action("Check", self._check, icon="check")
        self.clear = self.action("Clear my answers", self._clear, style="", icon="eraser")
        self.result = html_text(wide=True)
        intro = paragraph(ex.question)
        super().__init__(
            intro,
            *self.questions,
            self.check,
            self.result,
            self.clear,
            self.status,
            title=ex.title,
        )

    def attach(self, help_first: HelpFirst) -> None:
        """Show the country chosen in `help_first` (and follow its changes)."""
        self.help_first = help_first
        help_first.listeners.append(self._country_changed)

    @property
    def any_yes(self) -> bool:
        """Whether any question is ticked."""
        return any(box.value for box in self.questions)

    def _check(self) -> None:
        # Nothing here may write or log the answers: they only choose which fixed text to show.
        self.status.clear()
        code = self.help_first.code if self.help_first else None
        self.result.value = str(any_yes_html(code) if self.any_yes else all_no_html(code))

    def _country_changed(self, code: str) -> None:
        if self.result.value:  # an answer on show follows the country chosen at the top
            self.result.value = str(any_yes_html(code) if self.any_yes else all_no_html(code))

    def _clear(self) -> str:
        for box in self.questions:
            box.value = False
        self.result.value = ""
        return "Your answers are cleared."


def not_advised_card(exercise: Exercise) -> widgets.VBox:
    """The plain word that couples work is not advised where there is abuse, and what helps."""
    return card(
        paragraph(
            "Many couples can heal. But some relationships are abusive or unsafe. Couples "
            "exercises are not advised where there is abuse: then the healthiest step may be "
            "help for yourself, and possibly separation."
        ),
        paragraph(NOT_ADVISED),
        paragraph(INSTEAD),
        title=exercise.title,
    )


def no_trace_card() -> widgets.VBox:
    """Step 8's word about itself, where other steps ask "Finished this step?"."""
    return card(paragraph(NO_TRACE), title="This page leaves no trace", cls="ht-no-trace")
