"""Step 8, when to walk away: help first, a plain word on abuse, a private safety check.

The safety check is deliberately stateless: its answers live only in the checkboxes on this
page. They are never written to the workbook, never logged and never sent anywhere, so a
partner or a facilitator cannot see them. Every piece of HTML here is fixed project text.

Every word is in the reader's language (`lang`, the session's; English when none is given).
The language comes from the page's address or the partner's own choice made elsewhere: this
page saves nothing, not even that.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from .. import resources
from ..i18n import N_, translator
from ..markup import Markup, html
from ..resources import country_title, resources_list_html
from ..steps import WALK_AWAY, Exercise
from .base import CardForm, card, html_text, layout, paragraph, tick_box

#: The questions of the safety check; a tick means "yes, this is true for me".
SAFETY_QUESTIONS: tuple[str, ...] = (
    N_("I am afraid of my partner."),
    N_("My partner has threatened me, my children, my pets or themselves."),
    N_("My partner controls my money, my phone, or who I can see."),
    N_("My partner has hurt me physically or pressured or forced me into sexual contact."),
    N_("I feel unsafe going home."),
)

#: The plain word on abuse, where couples work is not advised (before the reason).
ABUSIVE = N_(
    "Many couples can heal. But some relationships are abusive or unsafe. Couples "
    "exercises are not advised where there is abuse: then the healthiest step may be "
    "help for yourself, and possibly separation."
)
#: What helps instead; "%(help)s" is `resources.HELP_INSTEAD`.
INSTEAD = N_("What helps instead: %(help)s")
#: What step 8 says about itself, in place of "Finished this step?".
NO_TRACE = N_(
    "Nothing you do on this page is saved in the workbook: not your visit, not the safety "
    "check, not the country you choose. There is no “done” to mark here, so nothing about "
    "this page can show on your partner's pages, in a facilitator's view, in an export or on "
    "a chart. Your browser's history does keep this page's address; a private window keeps "
    "none. Come back whenever you need to."
)
NO_TRACE_TITLE = N_("This page leaves no trace")
#: Said before the safety check's questions: what the browser itself keeps (the walk of the
#: wary partner found the page's address in the browser's history, said only at the foot).
BROWSER_HISTORY = N_(
    "Your answers here are never saved. This browser's history does keep this page's "
    "address: if someone else may look at it, a private window keeps none."
)
#: The names in the country chooser that `workbook.helplines` does not mark (the others are
#: its entries already), so that the catalogue has them.
_COUNTRY_NAMES = (N_("United States"), N_("United Kingdom"))


def safety_resources_html(code: str | None = None, lang: str | None = None) -> Markup:
    """One country's crisis resources (the U.S. by default), from the one list, with
    tap-to-call and tap-to-text links, in `lang`."""
    chosen = resources.country(code)
    title = country_title(chosen, lang)
    return html(
        "<div class='ht-resources' role='region' aria-label='{}'>"
        "<p class='ht-p'><strong>{}</strong></p>{}<p class='ht-p ht-quiet'>{}</p></div>",
        title,
        title,
        resources_list_html("ht-list", chosen.code, lang),
        translator(lang).gettext(resources.PHONE_HISTORY),
    )


def any_yes_html(code: str | None = None, lang: str | None = None) -> Markup:
    """What the safety check says when anything is ticked, with the chosen country's help."""
    _ = translator(lang).gettext
    return html(
        "<div class='ht-msg ht-safety-yes' role='alert'>"
        "<p class='ht-p'><strong>{}</strong></p><p class='ht-p'>{}</p>{}</div>",
        _("Thank you for answering honestly. Your safety comes first."),
        _(
            "What you ticked can be a sign of abuse. Couples work is not advised right now; "
            "please put the exercises aside. A hotline advocate can listen, help you make a "
            "safety plan and talk through what comes next, whenever you are ready."
        ),
        safety_resources_html(code, lang),
    )


def all_no_html(code: str | None = None, lang: str | None = None) -> Markup:
    """What the safety check says when nothing is ticked, with the chosen country's help."""
    _ = translator(lang).gettext
    return html(
        "<div class='ht-msg ht-safety-no' role='status'><p class='ht-p'>{}</p>{}</div>",
        _(
            "Thank you for checking in with yourself. If anything changes, or you ever feel "
            "unsure, these services are always there for you."
        ),
        safety_resources_html(code, lang),
    )


class HelpFirst(CardForm):
    """The ways to get help, first on step 8, for the country chosen here (the U.S. at first).

    The choice lives only in this open page: it is not saved in the workbook, the address, the
    browser's storage or a cookie, so choosing a country leaves nothing for anyone to find.
    """

    css_class = "ht-help-first"

    def __init__(self, exercise: Exercise | None = None, lang: str | None = None) -> None:
        self.lang = lang
        _ = translator(lang).gettext
        self.country = widgets.Dropdown(
            options=[(_(c.name), c.code) for c in resources.COUNTRIES.values()],
            value=resources.DEFAULT_COUNTRY,
            description=_("Where are you?"),
            style={"description_width": "initial"},
            layout=layout(width="auto"),
        )
        self.country.add_class("ht-country")
        self.list = html_text(safety_resources_html(lang=lang), wide=True)
        self.listeners: list[Callable[[str], None]] = []
        self.country.observe(self._chose, names="value")
        title = exercise.title if exercise else _("Help, any time")
        super().__init__(
            self.country,  # above the list: someone outside the U.S. finds it at once
            self.list,
            paragraph(
                _(
                    "Choosing a country here is not saved anywhere; the page starts with "
                    "the U.S. each time."
                )
            ),
            title=title,
        )

    @property
    def code(self) -> str:
        """The chosen country's code."""
        return str(self.country.value)

    def _chose(self, change: dict[str, object]) -> None:
        self.list.value = str(safety_resources_html(self.code, self.lang))
        for listener in self.listeners:
            listener(self.code)


class SafetyCheck(CardForm):
    """A private yes/no safety check whose answers are never stored or logged.

    Once `attach`ed to the page's help card, its answer shows that card's country.
    """

    css_class = "ht-safety"

    def __init__(self, exercise: Exercise | None = None, lang: str | None = None) -> None:
        ex = exercise or WALK_AWAY.exercise("safety-check")
        self.lang = lang
        self.gettext = _ = translator(lang).gettext
        self.help_first: HelpFirst | None = None
        self.questions = [tick_box(_(q)) for q in SAFETY_QUESTIONS]
        for box in self.questions:
            box.add_class("ht-wrap")
        self.check = self.action(_("Check"), self._check, icon="check")
        self.clear = self.action(_("Clear my answers"), self._clear, style="", icon="eraser")
        self.result = html_text(wide=True)
        intro = paragraph(ex.question)
        super().__init__(
            paragraph(_(BROWSER_HISTORY), "ht-small"),
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
        self.result.value = str(self._answer_html(code))

    def _answer_html(self, code: str | None) -> Markup:
        return any_yes_html(code, self.lang) if self.any_yes else all_no_html(code, self.lang)

    def _country_changed(self, code: str) -> None:
        if self.result.value:  # an answer on show follows the country chosen at the top
            self.result.value = str(self._answer_html(code))

    def _clear(self) -> str:
        for box in self.questions:
            box.value = False
        self.result.value = ""
        return self.gettext("Your answers are cleared.")


def not_advised_card(exercise: Exercise, lang: str | None = None) -> widgets.VBox:
    """The plain word that couples work is not advised where there is abuse, and what helps."""
    _ = translator(lang).gettext
    return card(
        paragraph(_(ABUSIVE)),
        paragraph(_(resources.NOT_ADVISED) + " " + _(resources.NOT_ADVISED_WHY)),
        paragraph(_(INSTEAD) % {"help": _(resources.HELP_INSTEAD)}),
        title=exercise.title,
    )


def no_trace_card(lang: str | None = None) -> widgets.VBox:
    """Step 8's word about itself, where other steps ask "Finished this step?"."""
    _ = translator(lang).gettext
    return card(paragraph(_(NO_TRACE)), title=_(NO_TRACE_TITLE), cls="ht-no-trace")
