"""Answering each other: a few words, or "I hear you", under the partner's shared entries.

A form that lists entries puts a `ReplyPanel` under its list and hands it the entries it shows
(`update`). The panel shows the answers under those entries, and lets the writer answer one of
the partner's entries that both may see (never private text, never step 8: the store decides,
`Workbook.answerable`), then correct or delete their own answer. A save publishes
``"replies"`` once; the partner's answers arrive through the page's watcher (`ui.live`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from ..app_phrases import ACKNOWLEDGEMENTS, entry_text, reply_text
from ..domain import UNRECORDED_STEPS, Promise, Reflection, Reply, ValidationError
from ..i18n import N_
from ..markup import html, join
from .base import Session, Status, button, guarded, html_text, layout, own_layout, text_input
from .entry_words import first_words

#: One-press answers (`app_phrases.ACKNOWLEDGEMENTS`) are saved in the words their writer saw
#: and, being the app's words, shown to each reader in the reader's language (`reply_text`).

#: How an answer is introduced, one whole sentence for each case: the viewer's own or the
#: partner's, to the entry's words as they are or as they were before its author changed them.
_ANSWERED = {
    (True, False): N_("You answered “%(words)s”:"),
    (True, True): N_("You answered “%(words)s” (before %(author)s changed it):"),
    (False, False): N_("%(name)s answered “%(words)s”:"),
    (False, True): N_("%(name)s answered “%(words)s” (before %(author)s changed it):"),
}
#: The bus topic of answers.
TOPIC = "replies"

Entry = Reflection | Promise


def table_of(entry: Entry) -> str:
    """The table an entry is kept in (what a reply names)."""
    return "promises" if isinstance(entry, Promise) else "reflections"


def answerable(entry: object) -> bool:
    """Whether an entry of a list is one a partner may answer (never private, never step 8)."""
    if isinstance(entry, Promise):
        return entry.id is not None
    return (
        isinstance(entry, Reflection)
        and entry.id is not None
        and entry.visibility != "private"
        and entry.step not in UNRECORDED_STEPS
    )


def replies_html(
    entries: Sequence[Entry],
    replies: Sequence[Reply],
    names: dict[str, str],
    viewer: str,
    gettext: Callable[[str], str] = str,
    lang: str | None = None,
) -> str:
    """The answers under these entries, each with the start of the entry it answers; the
    viewer's own are "You answered" (in the viewer's language, `gettext` and `lang`), and the
    app's phrases (one-press answers, checklist items) are in that language too."""
    by_key = {(table_of(e), e.id): e for e in entries}
    rows = []
    for r in replies:
        entry = by_key.get((r.entry_table, r.entry_id))
        if entry is None:
            continue
        # A reflection's version grows only when its author changes it: the answer was to
        # its earlier words (a promise's grows when it is kept or broken, too).
        earlier = isinstance(entry, Reflection) and entry.version > r.entry_version
        said = gettext(_ANSWERED[r.author == viewer, earlier]) % {
            "name": names[r.author],
            "words": first_words(entry_text(entry, lang)),
            "author": names[entry.author],
        }
        rows.append(
            html(
                "<li class='ht-reply'><span class='ht-reply-on'>{}</span> "
                "<span class='ht-reply-text'>{}</span></li>",
                said,
                reply_text(r.text, gettext),
            )
        )
    if not rows:
        return ""
    label = gettext("Answers")
    return str(html("<ul class='ht-replies' aria-label='{}'>{}</ul>", label, join(rows)))


class ReplyForm(widgets.VBox):
    """The controls to answer: which entry, a few words, one-press answers, send, delete."""

    def __init__(self, panel: ReplyPanel) -> None:
        _ = panel.session.gettext
        self.entry = widgets.Dropdown(
            options=[],
            description=_("Answer %(name)s") % {"name": panel.session.other_name},
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.entry.add_class("ht-stacked")
        self.text = text_input(_("In a few words"), _("for example: That makes sense to me."))
        # The words shown on the button are the words saved: the writer's own language.
        words = [_(word) for word in ACKNOWLEDGEMENTS]
        self.acks = [button(word, style="") for word in words]
        self.send = button(_("Send my answer"))
        self.delete = button(_("Delete my answer"), style="")
        self.delete.layout = own_layout(width="auto", min_height="44px")  # shown when needed
        status = panel.status
        for b, word in zip(self.acks, words, strict=True):
            b.on_click(lambda _b, w=word: guarded(status, lambda: panel.answer(w)))
        self.send.on_click(lambda _: guarded(status, lambda: panel.answer(self.text.value)))
        self.delete.on_click(lambda _: guarded(status, panel.delete_mine))
        self.entry.observe(panel.chosen, names="value")
        buttons = widgets.HBox(
            [*self.acks, self.send, self.delete], layout=layout(flex_flow="row wrap")
        )
        # Its own layout: hidden while there is nothing to answer.
        super().__init__([self.entry, self.text, buttons], layout=own_layout())
        self.add_class("ht-reply-form")


class ReplyPanel(widgets.VBox):
    """The answers under one list of entries, and answering the partner's.

    The controls (`form`) are built only once there is something of the partner's to answer,
    so the many lists with nothing to answer stay light.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.entries: list[Entry] = []
        self.replies: list[Reply] = []
        self.shown = html_text()
        self.status = Status(session.gettext)
        self.form: ReplyForm | None = None
        super().__init__([self.shown, self.status], layout=layout())
        session.subscribe(self.render, TOPIC)
        session.live.start()  # the partner's answers show without a reload
        self.render()

    def update(self, entries: Sequence[Any]) -> None:
        """The entries the list shows now (the form calls this when it re-reads them)."""
        self.entries = [e for e in entries if answerable(e)]
        self.render()

    def render(self) -> None:
        """Re-read the answers under the list's entries, and what the writer may answer."""
        s = self.session
        if not self.entries:  # nothing here can be answered: no read at all
            self.replies, self.shown.value = [], ""
            self._offer([])
            return
        self.replies = s.wb.replies_under((table_of(e), e.id or 0) for e in self.entries)
        names = s.wb.names()
        self.shown.value = replies_html(self.entries, self.replies, names, s.who, s.gettext, s.lang)
        theirs = [e for e in self.entries if e.author == s.other]
        self._offer([(first_words(entry_text(e, s.lang), 60), e.id) for e in reversed(theirs)])

    def _offer(self, options: list[tuple[str, int | None]]) -> None:
        form = self.form
        if form is None:
            if not options:
                return
            form = self.form = ReplyForm(self)
            self.children = [self.shown, form, self.status]
        keep = form.entry.value if form.entry.value in [v for _, v in options] else None
        form.entry.options = options  # emptied too: no entry's words stay (a Lock, say)
        form.entry.value = keep if keep is not None else (options[0][1] if options else None)
        form.layout.display = None if options else "none"
        self.chosen()

    def _chosen_entry(self) -> Entry | None:
        s = self.session
        return next(
            (
                e
                for e in self.entries
                if self.form and e.id == self.form.entry.value and e.author == s.other
            ),
            None,
        )

    def _mine(self) -> Reply | None:
        entry = self._chosen_entry()
        if entry is None:
            return None
        key = (table_of(entry), entry.id)
        mine = [
            r
            for r in self.replies
            if r.author == self.session.who and (r.entry_table, r.entry_id) == key
        ]
        return mine[-1] if mine else None

    def chosen(self, _change: object = None) -> None:
        """An entry was chosen: fill in the writer's answer under it, if any."""
        if self.form is None:
            return
        _, mine = self.session.gettext, self._mine()
        self.form.text.value = mine.text if mine else ""
        self.form.send.description = _("Save the change") if mine else _("Send my answer")
        self.form.delete.layout.display = None if mine else "none"

    def answer(self, text: str) -> str:
        """Send the writer's answer under the chosen entry, or change the one they sent."""
        s, _ = self.session, self.session.gettext
        entry = self._chosen_entry()
        if entry is None or entry.id is None:
            raise ValidationError(N_("Choose what to answer first. Nothing was saved."))
        mine = self._mine()
        if mine is not None and mine.id is not None:
            if mine.text == text.strip():  # the same press twice
                return _("You have sent that answer already; nothing changed.")
            s.wb.edit_reply(mine.id, author=s.who, text=text, version=mine.version)
            message = _("Your answer is changed.")
        else:
            s.wb.add_reply(s.who, table_of(entry), entry.id, text)
            message = _("Sent. %(name)s sees it under that entry.") % {"name": s.other_name}
        s.publish(TOPIC)
        return message

    def delete_mine(self) -> str:
        """Delete the writer's answer under the chosen entry."""
        mine = self._mine()
        if mine is None or mine.id is None:
            raise ValidationError(N_("There is no answer of yours here to delete."))
        self.session.wb.delete_reply(mine.id, author=self.session.who, version=mine.version)
        self.session.publish(TOPIC)
        return self.session.gettext("Your answer is deleted.")
