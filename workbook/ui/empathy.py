"""Step 3, empathy and patience: perspective-taking, revealed only when both have answered."""

from __future__ import annotations

import ipywidgets as widgets

from ..domain import Reflection, reveal_when_both_answered
from ..markup import Markup, html, join
from ..steps import EMPATHY, Exercise, steps_in
from .base import CardForm, Session, card, html_text, layout, say, textarea
from .forms import ReflectionCorrections
from .passphrase import InlinePrivacy
from .replies import ReplyPanel

STEP = EMPATHY.number


class PerspectiveTaking(CardForm):
    """A paired prompt: each answer stays hidden until both partners have answered."""

    css_class = "ht-paired"

    def __init__(self, session: Session, exercise: Exercise) -> None:
        self.session, self.prompt = session, str(exercise.prompt)
        self.question = exercise.question_for(session.other_name)
        self.answer = textarea(self.question, exercise.placeholder)
        self.save = self.action(session.gettext("Save my answer"), self._save)
        self.reveal = html_text()
        self.replies = ReplyPanel(session)  # under the partner's answer, once revealed
        self.corrections = ReflectionCorrections(
            session, STEP, self.prompt, allow_private=False, beside=self.status
        )
        super().__init__(
            self.answer,
            self.save,
            self.status,
            self.reveal,
            self.replies,
            self.corrections,
            title=exercise.title,
        )
        session.privacy.subscribe(self.refresh)
        # Waiting for the partner's answer: it shows when they save it, without a reload.
        session.live.start()
        self.follow(session, self.corrections.topic)

    def _save(self) -> str:
        shown = len(self.session.wb.paired_status(STEP, self.prompt)) == 2
        self.session.wb.add_reflection(
            self.session.who, STEP, self.prompt, self.answer.value, visibility="paired"
        )
        self.answer.value = ""
        self.corrections.changed()
        return saved_paired_message(self.session, STEP, self.prompt, already_shown=shown)

    def refresh(self) -> None:
        """Show the waiting state, or both answers side by side once both exist."""
        wb, who = self.session.wb, self.session.who
        if not wb.may_view_as(who):
            locked = self.session.gettext(
                "Unlock with your passphrase (above) to write here and to see the answers."
            )
            say(self.reveal, locked, "ht-empty")
            self.corrections.update(False)
            self.replies.update([])  # nothing revealed stays on a locked page
            return
        visible = wb.reflections(STEP, self.prompt, viewer=who)
        self.corrections.update(any(r.author == who for r in visible))
        both = reveal_when_both_answered(visible, self.prompt)
        self.replies.update(list(both.values()) if both else [])
        if both is None:
            self.reveal.value = waiting_html(self.session, STEP, self.prompt, visible)
            return
        self.status.clear()  # "shown side by side once you have both answered" is over
        # Each answer is a guess from the other partner's place: under a bare name it read as
        # that partner's own feeling (a walker misread it so).
        _ = self.session.gettext
        heads = {
            who: _("You, in %(other)s's place") % {"other": self.session.other_name},
            self.session.other: _("%(name)s, in your place") % {"name": self.session.other_name},
        }
        cols = join(
            html("<div class='ht-col'><strong>{}</strong><p>{}</p></div>", heads[p], both[p].text)
            for p in ("a", "b")
        )
        self.reveal.value = str(html("<div class='ht-cols ht-revealed'>{}</div>", cols))


class RevealGuard(widgets.VBox):
    """Who can see the paired answers, said plainly, with the passphrase panel when needed.

    A partner's answer (and the reveal) is shown only to that partner's own secret: their
    passphrase. Without one, anyone who opens the page as them could read it, and the page
    says so.
    """

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        self.session = session
        title = (exercise or steps_in(session.lang)[STEP].exercise("reveal-guard")).title
        self.note = html_text(wide=True)
        self.unlock = InlinePrivacy(session.privacy)
        super().__init__([card(self.note, self.unlock, title=title)], layout=layout())
        session.privacy.subscribe(self.render)
        self.render()

    def render(self) -> None:
        """Say how the answers are kept, for the current state."""
        _, state = self.session.gettext, self.session.privacy
        names = {"name": self.session.name, "other": self.session.other_name}
        if not state.has_passphrase:
            text = _(
                "You each answer on your own; the answers are shown side by side once you have "
                "both answered. Without a passphrase this rests on trust: anyone who opens this "
                "page as %(name)s can read %(name)s's answers. Set a passphrase to keep them yours."
            )
        elif not state.unlocked:
            text = _(
                "Your answers are kept for you, %(name)s: type your passphrase to write here and "
                "to see them, and %(other)s's once you have both answered."
            )
        else:
            text = _(
                "Open for %(name)s. Each answer stays hidden from the other until you have both "
                "answered."
            )
        self.note.value = str(html("<p class='ht-p'>{}</p>", text % names))
        self.unlock.want(not state.unlocked)


def waiting_html(session: Session, step: int, prompt: str, visible: list[Reflection]) -> str:
    """Before both answered a paired question: who has answered, and the writer's own answer
    (hidden from the partner for now). Step 3 and the question of the day say it the same way."""
    _, other = session.gettext, {"other": session.other_name}
    answered = session.wb.paired_status(step, prompt)
    if session.who in answered:
        msg = _("You have answered. Waiting for %(other)s.") % other
    elif answered:
        msg = _("%(other)s has answered. Answer too to see both.") % other
    else:
        msg = _("Neither of you has answered yet.")
    mine = [r for r in visible if r.author == session.who]
    own = (
        html(
            "<div class='ht-entry'><div class='ht-entry-meta'>{}</div>"
            "<div class='ht-entry-text'>{}</div></div>",
            _("Your answer, hidden from %(other)s for now") % other,
            mine[-1].text,
        )
        if mine
        else Markup()
    )
    return str(html("<p class='ht-empty'>{}</p>{}", msg, own))


def saved_paired_message(
    session: Session, step: int, prompt: str, *, already_shown: bool = False
) -> str:
    """What a save of a paired answer says: the second answer reveals both at once, so it
    must not say "once you have both answered" above the two answers (a walker saw that).
    A new answer after the reveal (`already_shown`) takes the place of the one the partner
    read, and says so: it was replaced without a word."""
    _ = session.gettext
    if already_shown:
        return _(
            "Saved. Your new answer is the one shown now, in place of the one %(other)s has "
            "read; %(other)s can read this one too."
        ) % {"other": session.other_name}
    if len(session.wb.paired_status(step, prompt)) == 2:
        return _("Saved. You have both answered: both answers are below.")
    return _("Saved. Answers are shown side by side once you have both answered.")
