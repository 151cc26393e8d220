"""Step 1, a safe space for honest conversation: agreements, "I" statements, turns, validation."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import ipywidgets as widgets

from ..domain import ValidationError
from ..i18n import N_
from ..markup import esc, html, join
from ..steps import CONVERSATION, Exercise, steps_in
from .base import (
    CardForm,
    Notice,
    Session,
    button,
    choice,
    html_text,
    layout,
    paragraph,
    text_input,
)
from .checklists import ChecklistForm
from .forms import ReflectionCorrections, entry_list_html
from .replies import ReplyPanel

#: Phrasings that usually land as blame rather than as a feeling. Each is paired with a gentler
#: way to say the same thing, shown to the writer (in their language). Nothing is ever blocked:
#: the first press of Save on a sentence with one of them shows the note and shares nothing; a
#: second press shares the sentence as it is.
#: A partner writing in Spanish gets the same notes for the Spanish forms of each phrasing
#: (each note: its English and its Spanish patterns).
BLAMING_FORMS: dict[str, tuple[re.Pattern[str], ...]] = {
    why: tuple(re.compile(p, re.I) for p in patterns)
    for why, patterns in {
        N_("“you always” turns one moment into a verdict"): (
            r"\byou\s+always\b",
            # Spanish often leaves the subject out: "siempre llegas tarde".
            r"\b(?:tú\s+)?siempre\s+(?:me\s+|te\s+|lo\s+|la\s+)?\w+(?:[aá]s|[eé]s)\b",
        ),
        N_("“you never” turns one moment into a verdict"): (
            r"\byou\s+never\b",
            r"\b(?:tú\s+)?nunca\s+(?:me\s+|te\s+|lo\s+|la\s+)?\w+(?:[aá]s|[eé]s)\b",
        ),
        N_("“you make me” hands your feeling to your partner"): (
            r"\byou\s+make\s+me\b",
            r"\bme\s+haces\s+sentir\b",
        ),
        N_("“it's your fault” puts blame before feeling"): (
            r"\bit'?s\s+your\s+fault\b",
            r"\b(?:es|fue)\s+(?:toda\s+)?tu\s+culpa\b",
        ),
        N_("“you should” tells rather than asks"): (r"\byou\s+should\b", r"\bdeber(?:ías|ias)\b"),
        N_("a label for your partner rather than your feeling"): (
            r"\byou(?:'re|\s+are)\s+(?:so\s+)?(?:selfish|lazy|crazy|useless|impossible)\b",
            r"\beres\s+(?:tan\s+|muy\s+)?(?:egoísta|egoista|flojo|floja|vago|vaga|"
            r"inútil|inutil|imposible|loco|loca)\b",
        ),
        N_("a question that attacks"): (
            r"\bwhat'?s\s+wrong\s+with\s+you\b",
            r"\bqué\s+te\s+pasa\b",
        ),
    }.items()
}


#: Words of fear or of being harmed. A sentence with them gets no note on its wording (a
#: frightened person must not be told to soften how they say it): it gets a word on safety and
#: the way to step 8 instead, before anything is shared. English and Spanish patterns.
FEAR_SIGNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"\b(?:scared|afraid|frightened|terrified|unsafe|in danger)\b",
        r"\b(?:shouts?|shouting|yells?|yelling|screams?|screaming)\s+at\s+me\b",
        r"\b(?:hits?|hitting|pushe?s?|shoves?|grabs?|chokes?|slaps?|kicks?)\s+me\b",
        r"\bthreaten(?:s|ed|ing)?\b",
        r"\b(?:miedo|asustad[oa]|aterrad[oa]|en peligro|insegur[oa])\b",
        r"\bme\s+(?:gritas?|pegas?|golpeas?|empujas?|amenazas?|agarras?)\b",
        r"\bamenaz(?:a|as|ó|an)\b",
    )
)


def sounds_afraid(text: str) -> bool:
    """Whether a sentence speaks of fear or of being harmed (see `FEAR_SIGNS`)."""
    return any(p.search(text) for p in FEAR_SIGNS)


def blaming_forms(text: str) -> list[str]:
    """The blaming phrasings found in a sentence, each as a short explanation (English, a
    catalogue entry: the page says it in the reader's language)."""
    # One note per kind of phrasing, in the table's order.
    return [why for why, patterns in BLAMING_FORMS.items() if any(p.search(text) for p in patterns)]


#: What is missing before an "I" statement can be built, one whole sentence for each case.
_MISSING = {
    (True, True): N_("Add a feeling and the situation to build your “I” statement."),
    (True, False): N_("Add a feeling to build your “I” statement."),
    (False, True): N_("Add the situation to build your “I” statement."),
}


def compose_i_statement(
    feeling: str, situation: str, need: str, gettext: Callable[[str], str] = str
) -> str:
    """Put the three parts together as one sentence: I feel ... when ... and I need ...

    `gettext` is the writer's language: a Spanish partner's statement is saved in the Spanish
    words shown to them ("Me siento ... cuando ...").
    """
    feeling, situation, need = feeling.strip(), situation.strip(), need.strip()
    missing = (not feeling, not situation)
    if any(missing):
        raise ValidationError(_MISSING[missing])
    parts = {"feeling": feeling, "situation": situation, "need": need}
    if need:
        sentence = gettext("I feel %(feeling)s when %(situation)s, and I need %(need)s") % parts
    else:
        sentence = gettext("I feel %(feeling)s when %(situation)s") % parts
    return sentence.rstrip(".") + "."


class AgreementsForm(ChecklistForm):
    """Ground rules both partners tick; each partner's current list, side by side once saved."""

    step, prompt = CONVERSATION.number, "agreements"
    own_label = N_("An agreement of our own (optional)")
    save_label = N_("Save our agreements")
    nothing_ticked = N_("Tick at least one agreement, or write one of your own.")
    saved_message = N_("Agreements saved.")
    nothing_saved = N_("No agreements saved yet.")


class IStatementBuilder(CardForm):
    """Builds "I feel ... when ... and I need ..." and gently flags blaming forms as each part
    is written (when its box is left: see `blocks.TextBox`)."""

    css_class = "ht-istatement"

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        self.session = session
        _ = session.gettext
        self.exercise = ex = exercise or steps_in(session.lang)[1].exercise("i-statement")
        self.feeling = text_input(_("I feel…"), _("hurt, lonely, anxious, unimportant"))
        self.situation = text_input(_("when…"), _("plans change without a word"))
        self.need = text_input(_("and I need…"), _("a message when things change"))
        for w in (self.feeling, self.situation, self.need):
            w.observe(self._update, names="value")  # as each part is left (see TextBox)
        self.preview = html_text()
        self.warning = html_text()
        self.save = self.action(_("Save this statement"), self._save)
        self.saved = html_text()
        #: The parts of a sentence whose blame note the writer has seen on pressing Save: a
        #: second press with the same words shares it as it is.
        self._noted: tuple[str, str, str] | None = None
        self.replies = ReplyPanel(session)
        self.corrections = ReflectionCorrections(
            session, CONVERSATION.number, str(ex.prompt), allow_private=False, beside=self.status
        )
        super().__init__(
            paragraph(ex.question),
            paragraph(_("Your partner can read the statements you save here."), "ht-small"),
            self.feeling,
            self.situation,
            self.need,
            # The button right under the boxes: the sentence and any tip change when a box is
            # left, which is the moment the button is pressed; above it they moved it between
            # press and release, and the press was lost (seen in the browser tests). What the
            # press says comes right under it, then the note on the words, then the sentence: a
            # phone shows them where the finger was (the note once fell below the fold).
            self.save,
            self.status,
            self.warning,
            self.preview,
            self.saved,
            self.replies,
            self.corrections,
            title=ex.title,
        )
        self._update()
        self.follow(session, self.corrections.topic)

    def _parts(self) -> tuple[str, str, str]:
        return self.feeling.value, self.situation.value, self.need.value

    def _update(self, _change: object = None) -> None:
        _ = self.session.gettext
        try:
            sentence = compose_i_statement(*self._parts(), gettext=_)
            self.preview.value = str(
                html(
                    "<p class='ht-small'>{}</p><blockquote class='ht-quote'>{}</blockquote>",
                    _("Your sentence so far (not saved yet):"),
                    sentence,
                )
            )
        except ValidationError:
            self.preview.value = ""
        text = " ".join(self._parts())
        if sounds_afraid(text):
            self.warning.value = str(
                html(
                    "<div class='ht-msg ht-info' role='status'>{} {}</div>",
                    _(
                        "You wrote about fear. If you are afraid of your partner, your safety "
                        "comes before this exercise, and your partner can read what you save here."
                    ),
                    esc(_("See %(walk_away)s: it has helplines and leaves no trace."))
                    % {
                        "walk_away": html(
                            "<a href='{}'>{}</a>", self.session.url(8), _("when to walk away")
                        )
                    },
                )
            )
            return
        found = blaming_forms(text)
        if found:
            tips = join(html("<li>{}</li>", _(f)) for f in found)
            self.warning.value = str(
                html(
                    "<div class='ht-msg ht-info' role='status'>{}<ul>{}</ul>{}</div>",
                    _("This may land as blame:"),
                    tips,
                    _("Try naming your own feeling and what you need instead."),
                )
            )
        else:
            self.warning.value = ""

    def _save(self) -> str:
        _ = self.session.gettext
        parts = self._parts()
        sentence = compose_i_statement(*parts, gettext=_)
        text = " ".join(parts)
        if (blaming_forms(text) or sounds_afraid(text)) and self._noted != parts:
            # The note sits below the button and only shows once a box is left, which may be
            # this very press: the partner must not read the sentence before its writer could
            # read the note.
            self._noted = parts
            self._update()
            if sounds_afraid(text):
                # The sentence may be about the very partner who would read it.
                return Notice(
                    _(
                        "Not shared yet. If you are afraid of %(other)s, you may prefer not to "
                        "share it: change or clear the words. Press “Save this statement” "
                        "again only if you want %(other)s to read it."
                    )
                    % {"other": self.session.other_name}
                )
            return Notice(
                _(
                    "Not shared yet. Read the note below: change the words, or press "
                    "“Save this statement” again to share it as it is."
                )
            )
        self._noted = None
        prompt = str(self.exercise.prompt)
        self.session.wb.add_reflection(self.session.who, CONVERSATION.number, prompt, sentence)
        for w in (self.feeling, self.situation, self.need):
            w.value = ""
        self.corrections.changed()
        return self.session.gettext("Saved. Your partner can read it too.")

    def refresh(self) -> None:
        """Show saved statements."""
        prompt = str(self.exercise.prompt)
        entries = self.session.wb.reflections(CONVERSATION.number, prompt, viewer=self.session.who)
        empty = N_("No statements saved yet.")
        self.saved.value = str(entry_list_html(entries, self.session, empty))
        self.replies.update(entries)
        self.corrections.update(any(r.author == self.session.who for r in entries))


class SpeakerListenerTimer(CardForm):
    """Turns for speaker and listener with a visible countdown; then swap."""

    css_class = "ht-timer"

    def __init__(
        self, session: Session, exercise: Exercise | None = None, *, tick: float = 1.0
    ) -> None:
        self.session = session
        # Read once, like the names: the countdown thread only formats text.
        self.gettext = _ = session.gettext
        ex = exercise or steps_in(session.lang)[1].exercise("speaker-listener")
        self.tick = tick
        minutes = [
            (session.ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}, n)
            for n in (1, 2, 3, 5)
        ]
        self.minutes = choice(_("Each turn"), minutes, value=2)
        # Read once: the countdown thread must not touch the workbook's connection.
        self.names = names = session.wb.names()
        speaks = _("%(name)s speaks")
        self.speaker = widgets.ToggleButtons(
            options=[(speaks % {"name": names["a"]}, "a"), (speaks % {"name": names["b"]}, "b")],
            value=session.who,
            layout=layout(),
            style={"button_width": "auto"},
        )
        self.clock = html_text()
        self.clock.add_class("ht-clock")
        self.start = button(_("Start turn"), icon="play")
        self.stop = button(_("Stop"), style="", icon="stop")
        self.swap = button(_("Swap roles"), style="info", icon="exchange")
        self.start.on_click(lambda _: self.start_turn())
        self.stop.on_click(lambda _: self.stop_turn())
        self.swap.on_click(lambda _: self.swap_roles())
        self.remaining = 0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        controls = widgets.HBox(
            [self.start, self.stop, self.swap], layout=layout(flex_flow="row wrap")
        )
        super().__init__(
            paragraph(ex.question),
            self.minutes,
            self.speaker,
            self.clock,
            controls,
            title=ex.title,
        )
        self._render()

    def _render(self) -> None:
        _, names = self.gettext, self.names
        speaker = names[self.speaker.value]
        listener = names["b" if self.speaker.value == "a" else "a"]
        if self.remaining > 0:
            m, s = divmod(self.remaining, 60)
            time = html("<span class='ht-time'>{}:{:02d}</span>", m, s)
            state = esc(_("%(time)s left")) % {"time": time}
        else:
            state = html("<span class='ht-time'>{}</span>", _("Ready"))
        roles = _("%(speaker)s speaks · %(listener)s listens")
        self.clock.value = str(
            html(
                "<div class='ht-clock-face' aria-live='polite'>{}<br>{}</div>",
                state,
                roles % {"speaker": speaker, "listener": listener},
            )
        )

    def start_turn(self) -> None:
        """Start the countdown for the current speaker."""
        self.stop_turn()
        self.remaining = int(self.minutes.value) * 60
        self._stop = threading.Event()
        self._render()
        self._thread = threading.Thread(target=self._run, args=(self._stop,), daemon=True)
        self._thread.start()

    def _run(self, stop: threading.Event) -> None:
        while self.remaining > 0 and not stop.wait(self.tick):
            self.remaining -= 1
            self._render()
        if self.remaining == 0 and not stop.is_set():
            _, names = self.gettext, self.names
            listener = names["b" if self.speaker.value == "a" else "a"]
            self.clock.value = str(
                html(
                    "<div class='ht-clock-face' aria-live='polite'>"
                    "<span class='ht-time'>{}</span><br>{}</div>",
                    _("Time"),
                    _("%(name)s, sum up what you heard, then swap.") % {"name": listener},
                )
            )

    def stop_turn(self) -> None:
        """Stop the countdown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._thread = None
        self.remaining = 0
        self._render()

    def swap_roles(self) -> None:
        """Swap speaker and listener and reset the clock."""
        self.stop_turn()
        self.speaker.value = "b" if self.speaker.value == "a" else "a"
        self._render()
