"""Step 5, professional support: what the main kinds of couples therapy are, and getting ready.

The explainers are the project's own plain-language summaries, kept in the page (no live web).
The person's own words (questions, session notes) go through `PromptForm`, so they are saved
by the workbook and escaped wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..domain import ValidationError
from ..i18n import N_
from ..markup import html
from ..steps import SUPPORT, Exercise
from .base import Session, card, html_text, layout, paragraph, tick_box
from .forms import ALREADY_SAVED, PromptForm, already_saved, prompt_settings

#: (title, plain-language summary) of each kind of help, in the order the page shows them
#: (catalogue entries: shown in the reader's language).
APPROACHES: tuple[tuple[str, str], ...] = (
    (
        N_("Emotionally Focused Therapy (EFT)"),
        N_(
            "EFT sees a couple's fights as a pattern the two of you get caught in together, often "
            "one partner reaching out harder while the other pulls back. It draws on attachment "
            "research: underneath the anger there is usually a longing to feel close, safe and "
            "important to each other. The therapist helps you spot the pattern, name the softer "
            "feelings under it, such as fear or hurt, and ask for what you need in a way your "
            "partner can answer. It is usually a fairly short course of weekly sessions."
        ),
    ),
    (
        N_("Gottman Method Couples Therapy"),
        N_(
            "This approach grew out of many years of research by John and Julie Gottman watching "
            "how couples talk and argue. It usually begins with an assessment: a joint session, "
            "time with each of you alone and questionnaires. From there you work on three things: "
            "friendship and fondness, handling conflict more gently (for example, noticing "
            "criticism, contempt, defensiveness and stonewalling and learning to repair after a "
            "hard moment), and building shared meaning and goals."
        ),
    ),
    (
        N_("Cognitive Behavioral Therapy (CBT) for couples"),
        N_(
            "CBT looks at how thoughts, feelings and actions feed one another. Together you learn "
            "to notice quick assumptions about each other (\u201cthey don't care\u201d), check "
            "them against what actually happened, and practise practical skills such as "
            "listening, problem-solving and making requests. Sessions are structured and focused "
            "on the present, often with small exercises to try at home between them."
        ),
    ),
    (
        N_("Trauma-informed counselling"),
        N_(
            "This is less a single method than a way of working. The counsellor keeps in mind that "
            "past trauma, such as a loss, a betrayal, violence or a hard childhood, can shape how "
            "each of you reacts today. Safety, choice and trust come first: you set the pace, "
            "nothing is forced, and care is taken not to reopen wounds carelessly. It can help "
            "when a shared loss or an earlier trauma is part of your story."
        ),
    ),
    (
        N_("What is an LMFT?"),
        N_(
            "An LMFT is a licensed marriage and family therapist. In the U.S. this usually means a "
            "master's or doctoral degree focused on relationships and families, a period of "
            "supervised practice after the degree, a licensing exam, and a licence from the state, "
            "which you can look up on your state's licensing board website. The details differ by "
            "state. LMFTs are trained to see problems as part of a relationship rather than inside "
            "one person. Psychologists, clinical social workers and licensed counsellors may also "
            "offer couples therapy."
        ),
    ),
)


def approaches(
    exercise: Exercise | None = None, gettext: Callable[[str], str] = str
) -> widgets.VBox:
    """The kinds of couples therapy and what an LMFT is, one fold each, in `gettext`'s language
    (the exercise comes in that language already)."""
    _ = gettext
    ex = exercise or SUPPORT.exercise("therapy-approaches")
    panels = [
        html_text(html("<p class='ht-p'>{}</p>", _(text)), wide=True) for _t, text in APPROACHES
    ]
    acc = widgets.Accordion(children=panels, layout=layout())
    acc.titles = tuple(_(title) for title, _t in APPROACHES)
    acc.add_class("ht-accordion")
    return card(paragraph(ex.question), acc, title=ex.title)


class TherapistQuestionsForm(PromptForm):
    """A checklist of questions to ask a therapist, plus one's own, saved as one reflection."""

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        ex = exercise or SUPPORT.exercise("therapist-questions")
        self.questions = [tick_box(q) for q in ex.items]
        for box in self.questions:
            box.add_class("ht-wrap")
        # The answer box holds one's own question; the exercise's question is the intro.
        own = session.gettext("My own question (optional)")
        settings = prompt_settings(ex, session) | {"question": own}
        super().__init__(session, SUPPORT.number, **settings)
        intro = paragraph(ex.question)
        card_box = self.children[0]
        items = list(card_box.children)
        at = items.index(self.answer)
        card_box.children = (*items[:at], intro, *self.questions, *items[at:])

    def text_to_save(self) -> str:
        """The ticked questions and the person's own, one per line."""
        chosen = [box.description for box in self.questions if box.value]
        own = str(self.answer.value).strip()
        if own:
            chosen.append(own)
        if not chosen:
            raise ValidationError(N_("Tick at least one question, or write your own, then save."))
        return "\n".join(f"\u2022 {q}" for q in chosen)

    def _save(self) -> str:
        vis = self.visibility.value
        if already_saved(self.session, self.step, self.prompt, self.text_to_save(), vis):
            return self.session.gettext(ALREADY_SAVED)  # a second press: no second copy
        message = super()._save()
        for box in self.questions:
            box.value = False
        return message
