"""A step's exercises built from its definition: written prompts as PromptForm, the rest by kind."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..steps import Exercise, Step, steps_in
from .base import Session, card, paragraph
from .connection import QualityTimeForm
from .conversation import AgreementsForm, IStatementBuilder, SpeakerListenerTimer
from .empathy import PerspectiveTaking, RevealGuard
from .forms import PromptForm, prompt_settings
from .pain import SituationsChecklist
from .safety import HelpFirst, SafetyCheck, not_advised_card
from .selfcare import SelfCareForm, passphrase_card
from .support import TherapistQuestionsForm, approaches
from .trust import PromiseLedger

Factory = Callable[[Session, Step, Exercise], widgets.Widget]


def written_prompt(session: Session, step: Step, ex: Exercise) -> PromptForm:
    """A plain written prompt: an answer box, shared or private as defined, and past answers."""
    return PromptForm(session, step.number, **prompt_settings(ex, session))


def note(session: Session, step: Step, ex: Exercise) -> widgets.VBox:
    """A card of fixed text: the exercise's title and its words."""
    return card(paragraph(ex.question), title=ex.title)


#: How each kind of exercise is built.
KINDS: dict[str, Factory] = {
    "prompt": written_prompt,
    "note": note,
    "agreements": lambda s, step, ex: AgreementsForm(s, ex),
    "i-statement": lambda s, step, ex: IStatementBuilder(s, ex),
    "speaker-listener": lambda s, step, ex: SpeakerListenerTimer(s, ex),
    "situations": lambda s, step, ex: SituationsChecklist(s, ex),
    "reveal-guard": lambda s, step, ex: RevealGuard(s, ex),
    "perspective": lambda s, step, ex: PerspectiveTaking(s, ex),
    "promise-ledger": lambda s, step, ex: PromiseLedger(s, ex),
    "therapy-approaches": lambda s, step, ex: approaches(ex, s.gettext),
    "therapist-questions": lambda s, step, ex: TherapistQuestionsForm(s, ex),
    "passphrase": lambda s, step, ex: passphrase_card(s, ex),
    "self-care-log": lambda s, step, ex: SelfCareForm(s, ex),
    "quality-time": lambda s, step, ex: QualityTimeForm(s, ex),
    "not-advised": lambda s, step, ex: not_advised_card(ex, s.lang),
    "safety-check": lambda s, step, ex: SafetyCheck(ex, s.lang),
    "crisis-resources": lambda s, step, ex: HelpFirst(ex, s.lang),
}


def step_exercises(session: Session, number: int) -> list[widgets.Widget]:
    """Step `number`'s exercises in page order, built from its definition."""
    step = steps_in(session.lang)[number]  # its text in the partner's language
    built = [KINDS[ex.kind](session, step, ex) for ex in step.on_page]
    helps = [w for w in built if isinstance(w, HelpFirst)]
    for w in built:
        if helps and isinstance(w, SafetyCheck):
            w.attach(helps[0])  # the check's answer names the country chosen at the top
    return built
