"""The forms most steps share: check-in, a written prompt with its past answers, step done.

Each form is a class composed from ipywidgets boxes. It turns its inputs into a domain object,
hands it to the workbook (the one owner of state), and re-reads the workbook to show what is
saved, so what a page shows is always what is in the file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ipywidgets as widgets

from ..app_phrases import entry_text, same_answer
from ..domain import Reflection, Visibility
from ..i18n import N_
from ..markup import Markup, html, join
from ..steps import Exercise
from .base import (
    CardForm,
    Session,
    Status,
    TextBox,
    button,
    card,
    guarded,
    html_text,
    layout,
    textarea,
)
from .corrections import Corrections, own
from .entry_words import day_text, first_words
from .passphrase import InlinePrivacy
from .replies import ReplyPanel

VISIBILITY_LABELS: dict[str, Visibility] = {
    N_("Shared with my partner"): "shared",
    N_("Private (only me, kept with my passphrase)"): "private",
}


def visibility_options(session: Session, allow_private: bool = True) -> list[tuple[str, str]]:
    """Shared or private, as the reader's language says them (the toggle's options)."""
    return [
        (session.gettext(label), value)
        for label, value in VISIBILITY_LABELS.items()
        if allow_private or value == "shared"
    ]


def when_written(at: datetime, lang: str | None = None) -> str:
    """A saved entry's local date and time, as the pages show it (in the reader's language)."""
    local = at.astimezone()
    return f"{day_text(local.date(), lang)}, {local:%H:%M}"


def entry_list_html(entries: list[Reflection], session: Session, empty: str) -> Markup:
    """Saved answers as HTML (a widget's value), every piece of user text escaped; `empty` is
    said (in the reader's language) when there are none."""
    if not entries:
        return html("<p class='ht-empty'>{}</p>", session.gettext(empty))
    names = session.wb.names()
    private = html("<span class='ht-badge'>{}</span>", session.gettext("private"))
    items = join(
        html(
            "<li class='ht-entry'><div class='ht-entry-meta'>{} · {} {}</div>"
            "<div class='ht-entry-text'>{}</div></li>",
            names[r.author],
            when_written(r.at, session.lang),
            private if r.visibility == "private" else "",
            entry_text(r, session.lang),  # the app's checklist items in the reader's language
        )
        for r in reversed(entries)
    )
    return html("<ul class='ht-entries'>{}</ul>", items)


#: A save whose answer equals the writer's latest saved one (a second press) saves nothing.
ALREADY_SAVED = N_("Already saved; nothing changed.")


def already_saved(
    session: Session, step: int, prompt: str, text: str, visibility: Visibility = "shared"
) -> bool:
    """Whether `text` is what this partner last saved to this prompt (items in any language)."""
    mine = own(session.wb.reflections(step, prompt, viewer=session.who), session.who)
    latest = mine[0] if mine else None  # `own` is most recent first
    return (
        latest is not None
        and latest.visibility == visibility
        and same_answer(step, prompt, latest.text, text)
    )


def reflection_topic(step: int, prompt: str) -> str:
    """The bus topic of one prompt's answers (see `ui.events`)."""
    return f"reflections:{step}:{prompt}"


class PromptForm(CardForm):
    """A written prompt of one step: an answer box, shared or private, and past answers."""

    def __init__(
        self,
        session: Session,
        step: int,
        prompt: str,
        title: str,
        question: str,
        *,
        placeholder: str = "",
        default_visibility: Visibility = "shared",
        allow_private: bool = True,
        empty: str = N_("Nothing saved here yet."),
        rows: int = 4,
    ) -> None:
        self.session, self.step, self.prompt = session, step, prompt
        self.answer = textarea(question, placeholder, rows=rows)
        self.visibility = widgets.ToggleButtons(
            options=visibility_options(session, allow_private),
            value=default_visibility,
            layout=layout(),
            style={"button_width": "auto"},
        )
        self.visibility.add_class("ht-toggle")
        self.unlock_here = InlinePrivacy(session.privacy)
        self.visibility.observe(self._visibility_changed, names="value")
        self.save = self.action(session.gettext("Save"), self._save)
        self.saved = html_text()
        self.empty = empty
        self.corrections = ReflectionCorrections(
            session, step, prompt, allow_private=allow_private, beside=self.status
        )
        children: list[widgets.Widget] = [self.answer]
        if allow_private:
            children += [self.visibility, self.unlock_here]
        self.replies = ReplyPanel(session)  # the partner answers a shared entry here
        children += [self.save, self.status, self.saved, self.replies, self.corrections]
        super().__init__(*children, title=title)
        self._visibility_changed()
        session.privacy.subscribe(self._privacy_changed)
        self.follow(session, reflection_topic(step, prompt))

    def _privacy_changed(self) -> None:
        # An error from before (say, "nothing was saved" while locked) is old news once the
        # passphrase is set or typed, or the entries locked: the panel says what is true now.
        if self.status.kind == "error":
            self.status.clear()
        self.refresh()

    def _visibility_changed(self, _change: object = None) -> None:
        self.unlock_here.want(self.visibility.value == "private")

    def text_to_save(self) -> str:
        """The text the form will save (subclasses compose it from several fields)."""
        return str(self.answer.value)

    def _save(self) -> str:
        vis = self.visibility.value
        if vis == "private":
            self.unlock_here.open_with_typed()
        self.session.wb.add_reflection(
            self.session.who, self.step, self.prompt, self.text_to_save(), visibility=vis
        )
        self.answer.value = ""
        self.corrections.changed()  # this list, and every other view of it, re-read
        _ = self.session.gettext
        return (
            _("Saved privately.") if vis == "private" else _("Saved. Your partner can read it too.")
        )

    def refresh(self) -> None:
        """Re-read saved answers the writer may see (and what the writer may correct).

        While the writer is locked, their private answers here are counted, never called
        "nothing yet" (the wary-partner walk: "No journal entries yet" under "You have 2
        private entries")."""
        s = self.session
        entries = s.wb.reflections(self.step, self.prompt, viewer=s.who)
        locked = (
            0
            if s.wb.is_unlocked(s.who)
            else s.wb.private_reflection_count(s.who, self.step, self.prompt)
        )
        shown = entry_list_html(entries, s, self.empty) if entries or not locked else Markup()
        if locked:
            shown += html(
                "<p class='ht-small ht-hidden-count'>{}</p>",
                s.ngettext(
                    "You have %(n)d private answer here; unlock to see it.",
                    "You have %(n)d private answers here; unlock to see them.",
                    locked,
                )
                % {"n": locked},
            )
        self.saved.value = str(shown)
        self.replies.update(entries)
        self.corrections.update(any(r.author == self.session.who for r in entries))


class ReflectionCorrections(Corrections[Reflection]):
    """Correct, move between shared and private, or delete one's own answers to a prompt."""

    kind = "reflections"
    what = "answer"

    def __init__(
        self,
        session: Session,
        step: int,
        prompt: str,
        *,
        allow_private: bool = True,
        beside: Status | None = None,
    ) -> None:
        self.step, self.prompt, self.allow_private = step, prompt, allow_private
        self.topic = reflection_topic(step, prompt)
        super().__init__(session, beside=beside)

    def mine(self) -> list[Reflection]:
        """The writer's answers to this prompt that the page may show, most recent first."""
        s = self.session
        return own(s.wb.reflections(self.step, self.prompt, viewer=s.who), s.who)

    def describe(self, entry: Reflection) -> str:
        """Date, shared or private, and the first words."""
        _, words = self.session.gettext, first_words(entry_text(entry, self.session.lang))
        when = when_written(entry.at, self.session.lang)
        if entry.visibility == "private":
            return _("%(when)s (private) · %(words)s") % {"when": when, "words": words}
        return f"{when} · {words}"

    def describe_text(self, entry: Reflection) -> str:
        """The answer's first words."""
        return entry_text(entry, self.session.lang)

    def make_fields(self) -> list[widgets.Widget]:
        """The answer's words, and (where the prompt allows it) shared or private."""
        _ = self.session.gettext
        self.text = textarea(_("Your answer (corrected)"), rows=4)
        fields: list[widgets.Widget] = [self.text]
        if self.allow_private:
            self.visibility = widgets.ToggleButtons(
                options=visibility_options(self.session),
                value="shared",
                description=_("Who can read it"),
                layout=layout(),
                style={"button_width": "auto", "description_width": "initial"},
            )
            self.visibility.add_class("ht-toggle")
            self.unlock_here = InlinePrivacy(self.session.privacy)
            self.visibility.observe(
                lambda _: self.unlock_here.want(self.visibility.value == "private"),
                names="value",
            )
            fields += [self.visibility, self.unlock_here]
        return fields

    def fill(self, entry: Reflection) -> None:
        """The chosen answer's words and visibility."""
        self.text.value = entry.text
        if self.allow_private and entry.visibility in ("shared", "private"):
            self.visibility.value = entry.visibility
            self.unlock_here.want(entry.visibility == "private")

    def apply(self, entry: Reflection) -> str:
        """Save the corrected words and visibility, from the version this page showed."""
        vis: Visibility = entry.visibility
        if self.allow_private and entry.visibility in ("shared", "private"):
            vis = self.visibility.value
            if vis == "private":
                self.unlock_here.open_with_typed()
        new = self.session.wb.edit_reflection(
            entry.id,  # type: ignore[arg-type]
            author=self.session.who,
            text=str(self.text.value),
            visibility=vis,
            version=entry.version,
        )
        _ = self.session.gettext
        if new.visibility != entry.visibility:
            return (
                _("Moved to private: only you can read it now.")
                if new.visibility == "private"
                else _("Shared: your partner can read it now.")
            )
        return _("Saved your correction.")


def prompt_settings(exercise: Exercise, session: Session) -> dict[str, Any]:
    """PromptForm's arguments after the step number, from an exercise's definition."""
    return {
        "prompt": exercise.prompt,
        "title": exercise.title,
        "question": exercise.question_for(session.other_name),
        "placeholder": exercise.placeholder,
        "default_visibility": "private" if exercise.privacy == "private" else "shared",
        "allow_private": exercise.privacy != "shared-only",
        "empty": exercise.empty,
        "rows": exercise.rows,
    }


class StepDoneForm(widgets.VBox):
    """Mark a step done, with a one-line 'how did it go'."""

    def __init__(self, session: Session, step: int) -> None:
        self.session, self.step = session, step
        _ = session.gettext
        self.how = TextBox(
            description=_("How did it go? (Your partner can read it.)"),
            placeholder=_("One line is enough"),
            layout=layout(),
        )
        self.how.style.description_width = "initial"
        self.how.add_class("ht-stacked")
        self.done = button(_("Mark this step done"), style="success", icon="check")
        self.status = Status(session.gettext)
        self.state = html_text()
        self.done.on_click(lambda _b: guarded(self.status, self._mark))
        title = _("Finished this step?")
        super().__init__(
            [card(self.how, self.done, self.status, self.state, title=title)],
            layout=layout(),
        )
        session.subscribe(self.refresh, "progress")
        session.live.start()  # the partner marking it done shows at once
        self.refresh()

    def _mark(self) -> str:
        self.session.wb.mark_step(self.session.who, self.step, how_it_went=self.how.value)
        self.how.value = ""
        self.session.publish("progress")
        return self.session.gettext("Marked done. You can come back to this step any time.")

    def refresh(self) -> None:
        """Show both partners' progress on this step."""
        _ = self.session.gettext
        names = self.session.wb.names()
        lines = []
        for p in self.session.wb.progress():
            if p.step == self.step and p.done:
                said = {"name": names[p.author], "how": p.how_it_went}
                line = (
                    _("%(name)s finished this step: “%(how)s”")
                    if p.how_it_went
                    else _("%(name)s finished this step")
                )
                lines.append(html("<li>{}</li>", line % said))
        self.state.value = str(
            html("<ul class='ht-list'>{}</ul>", join(lines))
            if lines
            else html("<p class='ht-empty'>{}</p>", _("Not marked done yet."))
        )
