"""The start page's daily views: the question of the day, and what is new since your last visit.

The question of the day works like step 3's perspective-taking (`ui.empathy`): each partner
answers on their own, as a paired answer that only their own secret opens, and both answers
show side by side once both have answered; the partner's answer arrives without a reload.
Earlier questions stay readable under it. "What is new" lists the partner's answers under the
writer's entries (and the partner's answer to today's question) since the writer's last visit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import ipywidgets as widgets

from ..app_phrases import reply_text
from ..daily import DAILY_STEP, DailyQuestion, from_prompt
from ..domain import PartnerId, Reflection, reveal_when_both_answered
from ..i18n import N_, format_date
from ..markup import Markup, html, join
from ..steps import steps_in
from ..store import WorkbookError
from .base import (
    CardForm,
    Session,
    card,
    html_text,
    log,
    own_layout,
    say,
    textarea,
)
from .empathy import saved_paired_message, waiting_html
from .forms import ReflectionCorrections, reflection_topic
from .passphrase import InlinePrivacy
from .replies import TOPIC, ReplyPanel

#: How "what is new" names an entry of yours that was answered, by its prompt.
_YOUR = {
    "i-statement": N_("your “I” statement"),
    "validation": N_("your validation"),
    "appreciation": N_("your appreciation"),
    "my-mistakes": N_("your naming of your part"),
    "perspective-feel": N_("your answer on step 3"),
    "perspective-need": N_("your answer on step 3"),
}


def note_visit(session: Session) -> datetime | None:
    """Record that the writer opened the start page; returns their visit before.

    A file that cannot be written (a full disk, read-only) must not keep the page from
    opening: the visit is then not recorded, and "what is new" has nothing to say.
    """
    try:
        return session.wb.record_visit(session.who)
    except WorkbookError:
        log.warning("A visit could not be recorded (the workbook cannot be written).")
        return None


def _day(question: DailyQuestion, lang: str | None) -> str:
    # "05 Dec 2026" / "05 dic 2026": the day as the reader's language writes it.
    return format_date(question.day, lang, "dd MMM y")


class DailyQuestionCard(CardForm):
    """Today's question: answer it, see both answers once both answered, browse earlier ones."""

    css_class = "ht-daily"

    def __init__(self, session: Session, question: DailyQuestion | None = None) -> None:
        self.session = session
        _ = session.gettext
        self.question = question or session.wb.question_of_the_day()
        prompt = self.question.prompt
        #: The question stays in view once answered (the answer box goes).
        self.asked = html_text(html("<p class='ht-question'>{}</p>", _(self.question.text)))
        self.answer = textarea(_("Your answer"), _("A few words are enough."), rows=3)
        self.save = self.action(_("Save my answer"), self._save)
        self.note = html_text()
        self.unlock = InlinePrivacy(session.privacy)
        self.reveal = html_text()
        self.corrections = ReflectionCorrections(
            session, DAILY_STEP, prompt, allow_private=False, beside=self.status
        )
        self.replies = ReplyPanel(session)
        self.earlier = html_text()
        self.form = widgets.VBox([self.answer, self.save], layout=own_layout())
        super().__init__(
            self.asked,
            self.note,
            self.unlock,
            self.form,
            self.status,
            self.reveal,
            self.corrections,
            self.replies,
            self.earlier,
            title=_("Question of the day"),
        )
        session.privacy.subscribe(self.refresh)
        session.live.start()  # the partner's answer shows as soon as it is saved
        self.follow(session, reflection_topic(DAILY_STEP, prompt))

    def _save(self) -> str:
        s = self.session
        s.wb.add_reflection(s.who, DAILY_STEP, self.question.prompt, self.answer.value,
                            visibility="paired")  # fmt: skip
        self.answer.value = ""
        self.corrections.changed()
        return saved_paired_message(s, DAILY_STEP, self.question.prompt)

    def refresh(self) -> None:
        """Show the waiting state, or both answers once both exist, and earlier questions."""
        s = self.session
        _ = s.gettext
        wb, who = s.wb, s.who
        state = s.privacy
        if not state.has_passphrase:
            note = _(
                "Answer on your own; you see each other's answer once you have both answered. "
                "Without a passphrase this rests on trust: anyone who opens this page as "
                "%(name)s can read %(name)s's answer."
            ) % {"name": s.name}
        elif not state.unlocked:
            note = _("Type your passphrase to answer and to see the answers, %(name)s.") % {
                "name": s.name
            }
        else:
            note = _("Each answer stays hidden from the other until you have both answered.")
        say(self.note, note)
        may = wb.may_view_as(who)
        self.unlock.want(not may)
        if not may:
            self.form.layout.display = "none"
            self.reveal.value = ""
            self.earlier.value = ""
            self.corrections.update(False)
            self.replies.update([])
            return
        visible = wb.reflections(DAILY_STEP, self.question.prompt, viewer=who)
        mine = [r for r in visible if r.author == who]
        self.corrections.update(bool(mine))
        self.form.layout.display = "none" if mine else None
        both = reveal_when_both_answered(visible, self.question.prompt)
        names = wb.names()
        if both is None:
            self.reveal.value = waiting_html(s, DAILY_STEP, self.question.prompt, visible)
            self.replies.update([])
        else:
            self.reveal.value = str(_both_html(both, names))
            self.replies.update(list(both.values()))
            self.status.clear()  # "you see both once you have both answered" is over
        self.earlier.value = self._earlier_html()

    def _earlier_html(self) -> str:
        s = self.session
        _ = s.gettext
        names = s.wb.names()
        items = []
        for question, answers in s.wb.daily_answers(viewer=s.who):
            if question.prompt == self.question.prompt:
                continue
            both = reveal_when_both_answered(answers, question.prompt)
            if both is not None:
                body = _both_html(both, names)
            else:
                only = _("Only you answered: %(answer)s") % {"answer": answers[-1].text}
                body = html("<p class='ht-small'>{}</p>", only)
            items.append(
                html(
                    "<li class='ht-entry'><div class='ht-entry-meta'>{} · {}</div>{}</li>",
                    _day(question, s.lang),
                    _(question.text),
                    body,
                )
            )
        if not items:
            return ""
        return str(
            html(
                "<details class='ht-earlier'><summary>{}</summary>"
                "<ul class='ht-entries'>{}</ul></details>",
                _("Earlier questions (%(n)d)") % {"n": len(items)},
                join(items),
            )
        )


def _both_html(both: Mapping[PartnerId, Reflection], names: dict[str, str]) -> Markup:
    cols = join(
        html("<div class='ht-col'><strong>{}</strong><p>{}</p></div>", names[p], both[p].text)
        for p in ("a", "b")
    )
    return html("<div class='ht-cols ht-revealed'>{}</div>", cols)


def what_was_answered(session: Session, table: str, entry_id: int) -> str:
    """How "what is new" names one of the writer's entries ("your appreciation"), in the
    writer's language."""
    s = session
    _ = s.gettext
    if table == "promises":
        return _("your promise")
    entry = next(
        (r for r in s.wb.reflections(viewer=s.who, author=s.who) if r.id == entry_id), None
    )
    if entry is None:
        return _("your entry")
    if from_prompt(entry.prompt) is not None:
        return _("what you said on a question of the day")
    if entry.prompt in _YOUR:
        return _(_YOUR[entry.prompt])
    step = steps_in(s.lang).get(entry.step)  # the exercise's title in the writer's language
    title = step.exercise(entry.prompt).title if step else ""
    return _("your entry in “%(title)s”") % {"title": title} if title else _("your entry")


class WhatsNew(widgets.VBox):
    """What the partner answered since the writer's last visit (nothing shown when nothing).

    `since` is the last visit, or a function giving it once the writer may see it: a locked
    writer's news waits, and shows as soon as they unlock on this page.
    """

    def __init__(
        self, session: Session, since: datetime | Callable[[], datetime | None] | None
    ) -> None:
        self.session = session
        self._since = since if callable(since) else lambda: since
        self.html = html_text()
        self.box = card(
            self.html, title=session.gettext("New since your last visit"), cls="ht-news"
        )
        super().__init__([self.box], layout=own_layout())  # its own: hidden when no news
        # The partner's answers arrive through the watcher (every data view hears it).
        session.subscribe(self.refresh, TOPIC)
        session.privacy.subscribe(self.refresh)  # unlocked here: the news waiting shows
        session.live.start()
        self.refresh()

    @property
    def since(self) -> datetime | None:
        """The last visit the news counts from (None: nothing is news)."""
        return self._since()

    def items(self) -> list[str]:
        """One sentence per piece of news, oldest first."""
        s = self.session
        _ = s.gettext
        since = self.since
        if since is None:
            return []
        other = s.other_name
        out = []
        for r in s.wb.news(s.who, since):
            what = what_was_answered(s, r.entry_table, r.entry_id)
            out.append(
                _("%(other)s answered %(what)s: “%(text)s”")
                % {"other": other, "what": what, "text": reply_text(r.text, _)}
            )
        today = s.wb.question_of_the_day()
        if s.wb.answered_since(s.other, today.prompt, since):
            out.append(_("%(other)s answered today's question.") % {"other": other})
        return out

    def refresh(self) -> None:
        """Re-read the news."""
        items = self.items()
        self.layout.display = None if items else "none"
        self.html.value = str(
            html("<ul class='ht-news-list'>{}</ul>", join(html("<li>{}</li>", i) for i in items))
        )
