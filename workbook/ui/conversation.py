"""Step 1, a safe space for honest conversation: agreements, "I" statements, turns, validation."""

from __future__ import annotations

import re
import threading

import ipywidgets as widgets

from ..domain import ValidationError
from ..markup import html, join
from ..steps import CONVERSATION, Exercise
from .base import (
    CardForm,
    Session,
    button,
    choice,
    html_text,
    layout,
    paragraph,
    text_input,
)
from .forms import ChecklistForm, ReflectionCorrections, entry_list_html
from .replies import ReplyPanel

#: Phrasings that usually land as blame rather than as a feeling. Each is paired with a gentler
#: way to say the same thing, shown to the writer; nothing is ever blocked.
BLAMING_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\byou\s+always\b", re.I), "“you always” turns one moment into a verdict"),
    (re.compile(r"\byou\s+never\b", re.I), "“you never” turns one moment into a verdict"),
    (re.compile(r"\byou\s+make\s+me\b", re.I), "“you make me” hands your feeling to your partner"),
    (re.compile(r"\bit'?s\s+your\s+fault\b", re.I), "“it's your fault” puts blame before feeling"),
    (re.compile(r"\byou\s+should\b", re.I), "“you should” tells rather than asks"),
    (
        re.compile(
            r"\byou(?:'re|\s+are)\s+(?:so\s+)?(?:selfish|lazy|crazy|useless|impossible)\b", re.I
        ),
        "a label for your partner rather than your feeling",
    ),
    (re.compile(r"\bwhat'?s\s+wrong\s+with\s+you\b", re.I), "a question that attacks"),
)


def blaming_forms(text: str) -> list[str]:
    """The blaming phrasings found in a sentence, each as a short explanation."""
    return [why for pattern, why in BLAMING_FORMS if pattern.search(text)]


def compose_i_statement(feeling: str, situation: str, need: str) -> str:
    """Put the three parts together as one sentence: I feel ... when ... because I need ..."""
    feeling, situation, need = feeling.strip(), situation.strip(), need.strip()
    missing = [n for n, v in (("a feeling", feeling), ("the situation", situation)) if not v]
    if missing:
        raise ValidationError(f"Add {' and '.join(missing)} to build your “I” statement.")
    sentence = f"I feel {feeling} when {situation}"
    if need:
        sentence += f", and I need {need}"
    return sentence.rstrip(".") + "."


class AgreementsForm(ChecklistForm):
    """Ground rules both partners tick; each partner's ticks are saved as a shared reflection."""

    step, prompt = CONVERSATION.number, "agreements"
    own_label = "An agreement of our own (optional)"
    save_label = "Save our agreements"
    nothing_ticked = "Tick at least one agreement, or write one of your own."
    saved_message = "Agreements saved."

    def refresh(self) -> None:
        """Show the agreements saved so far."""
        self.summary.value = entry_list_html(self.saved(), self.session, "No agreements saved yet.")


class IStatementBuilder(CardForm):
    """Builds "I feel ... when ... and I need ..." and gently flags blaming forms as you type."""

    css_class = "ht-istatement"

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        self.session = session
        self.exercise = ex = exercise or CONVERSATION.exercise("i-statement")
        self.feeling = text_input("I feel…", "hurt, lonely, anxious, unimportant")
        self.situation = text_input("when…", "plans change without a word")
        self.need = text_input("and I need…", "a message when things change")
        for w in (self.feeling, self.situation, self.need):
            w.continuous_update = True
            w.observe(self._update, names="value")
        self.preview = html_text()
        self.warning = html_text()
        self.save = self.action("Save this statement", self._save)
        self.saved = html_text()
        self.replies = ReplyPanel(session)
        self.corrections = ReflectionCorrections(
            session, CONVERSATION.number, str(ex.prompt), allow_private=False, beside=self.status
        )
        super().__init__(
            paragraph(ex.question),
            self.feeling,
            self.situation,
            self.need,
            self.preview,
            self.warning,
            self.save,
            self.status,
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
        try:
            sentence = compose_i_statement(*self._parts())
            self.preview.value = str(html("<blockquote class='ht-quote'>{}</blockquote>", sentence))
        except ValidationError:
            self.preview.value = ""
        found = blaming_forms(" ".join(self._parts()))
        if found:
            tips = join(html("<li>{}</li>", f) for f in found)
            self.warning.value = str(
                html(
                    "<div class='ht-msg ht-info' role='status'>This may land as blame:"
                    "<ul>{}</ul>Try naming your own feeling and what you need instead.</div>",
                    tips,
                )
            )
        else:
            self.warning.value = ""

    def _save(self) -> str:
        sentence = compose_i_statement(*self._parts())
        prompt = str(self.exercise.prompt)
        self.session.wb.add_reflection(self.session.who, CONVERSATION.number, prompt, sentence)
        for w in (self.feeling, self.situation, self.need):
            w.value = ""
        self.corrections.changed()
        return "Saved. Your partner can read it too."

    def refresh(self) -> None:
        """Show saved statements."""
        prompt = str(self.exercise.prompt)
        entries = self.session.wb.reflections(CONVERSATION.number, prompt, viewer=self.session.who)
        self.saved.value = entry_list_html(entries, self.session, "No statements saved yet.")
        self.replies.update(entries)
        self.corrections.update(any(r.author == self.session.who for r in entries))


class SpeakerListenerTimer(CardForm):
    """Turns for speaker and listener with a visible countdown; then swap."""

    css_class = "ht-timer"

    def __init__(
        self, session: Session, exercise: Exercise | None = None, *, tick: float = 1.0
    ) -> None:
        self.session = session
        ex = exercise or CONVERSATION.exercise("speaker-listener")
        self.tick = tick
        self.minutes = choice(
            "Each turn",
            [("1 minute", 1), ("2 minutes", 2), ("3 minutes", 3), ("5 minutes", 5)],
            value=2,
        )
        # Read once: the countdown thread must not touch the workbook's connection.
        self.names = names = session.wb.names()
        self.speaker = widgets.ToggleButtons(
            options=[(f"{names['a']} speaks", "a"), (f"{names['b']} speaks", "b")],
            value=session.who,
            layout=layout(),
            style={"button_width": "auto"},
        )
        self.clock = html_text()
        self.clock.add_class("ht-clock")
        self.start = button("Start turn", icon="play")
        self.stop = button("Stop", style="", icon="stop")
        self.swap = button("Swap roles", style="info", icon="exchange")
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
        names = self.names
        speaker = names[self.speaker.value]
        listener = names["b" if self.speaker.value == "a" else "a"]
        if self.remaining > 0:
            m, s = divmod(self.remaining, 60)
            state = html("<span class='ht-time'>{}:{:02d}</span> left", m, s)
        else:
            state = html("<span class='ht-time'>Ready</span>")
        self.clock.value = str(
            html(
                "<div class='ht-clock-face' aria-live='polite'>{}<br>{} speaks · {} listens</div>",
                state,
                speaker,
                listener,
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
            names = self.names
            self.clock.value = str(
                html(
                    "<div class='ht-clock-face' aria-live='polite'>"
                    "<span class='ht-time'>Time</span><br>{}, "
                    "sum up what you heard, then swap.</div>",
                    names["b" if self.speaker.value == "a" else "a"],
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
