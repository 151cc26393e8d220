"""Correct or delete one's own entries: one small editor per list, built only when opened.

A list on a page (a prompt's saved answers, the promise ledger, the self-care log) carries a
"Correct or delete one of mine" button while the writer has entries in it. Pressing it builds
the editor: a choice of the writer's own entries (most recent first), fields filled from the
chosen one, "Save changes" and "Delete" (which asks once). Pages that are never corrected
build nothing but that button, which keeps them light.

Every change passes the `version` the page showed, so a change made from an older view (another
tab, the other phone) is refused by the store with `StaleEntry`; the page then re-reads the list
and says so. After any change the list's topic is published once on the page's bus
(`entries_changed`), and only the views of that list re-read it from the store (the workbook
is the one owner of state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import ipywidgets as widgets

from ..domain import CheckIn, Promise, Reflection, SelfCare
from ..i18n import N_
from ..markup import html
from ..store import StaleEntry
from .base import Session, Status, button, choice, guarded, html_text, layout
from .entry_words import first_words

Entry = TypeVar("Entry", Reflection, Promise, SelfCare, CheckIn)

#: The store's delete for each list.
_DELETE = {
    "checkins": "delete_checkin",
    "reflections": "delete_reflection",
    "promises": "delete_promise",
    "selfcare": "delete_selfcare",
}

#: The lists a change can touch.
KINDS = frozenset({"reflections", "promises", "selfcare", "checkins"})

#: The question before a delete, one whole sentence for each kind of entry (`Corrections.what`),
#: so that a language can give each its own article and gender.
DELETE_QUESTIONS = {
    "answer": N_("Delete this answer for good? “%(words)s” cannot be brought back."),
    "promise": N_("Delete this promise for good? “%(words)s” cannot be brought back."),
    "check-in": N_("Delete this check-in for good? “%(words)s” cannot be brought back."),
    "entry": N_("Delete this entry for good? “%(words)s” cannot be brought back."),
}

#: A change refused because the entry changed meanwhile: what the boxes still hold.
KEPT_TYPING = N_(
    "%(why)s What you typed is still in the boxes: read the latest above and save again if "
    "you still want your change."
)
#: The chosen entry changed on another page or device while the editor was open here.
CHANGED_ELSEWHERE = N_(
    "This entry was just changed on another page or device; the list above shows it. "
    "What is in the boxes here stays as it was."
)


class StaleKeptTyping(StaleEntry):
    """A correction refused as stale (`cause`), the typed words kept: both sentences are said
    in the reader's language."""

    def __init__(self, cause: StaleEntry) -> None:
        self.cause = cause
        super().__init__(KEPT_TYPING, why=str(cause))

    def in_language(self, gettext: Callable[[str], str]) -> str:
        """The store's reason and the note about the boxes, both in `gettext`'s language."""
        return gettext(KEPT_TYPING) % {"why": self.cause.in_language(gettext)}


def on_entries_changed(session: Session, refresh: Callable[[], None], *topics: str) -> Any:
    """Call `refresh` after entries of these topics (every list when none given) change.

    A topic is a list's kind, or narrower: ``"reflections:<step>:<prompt>"``. Returns the
    subscription (`cancel` it when the view is replaced).
    """
    return session.bus.subscribe(refresh, *(topics or sorted(KINDS)))


def entries_changed(session: Session, topic: str) -> int:
    """Entries of `topic` were added, changed or deleted: the views that show them refresh."""
    return session.bus.publish(topic)


class Corrections(widgets.VBox, Generic[Entry]):
    """The "Correct or delete one of mine" control of one list, and its editor once opened.

    Subclasses say which entries are the writer's (`mine`), how each is labelled, which fields
    it has, and how a change and a delete reach the store.
    """

    kind = "reflections"
    #: What a change of this list announces (a kind, or narrower; see `on_entries_changed`).
    topic = ""
    opener_label = N_("Correct or delete one of mine")
    #: The kind of entry, for the delete question (a key of `DELETE_QUESTIONS`).
    what = "entry"

    def __init__(self, session: Session, *, beside: Status | None = None) -> None:
        self.session = session
        #: The list's own message area: its last message is old news once the editor opens.
        self.beside = beside
        #: The "Correct or delete" button, made the first time there is something to correct.
        self.opener: widgets.Button | None = None
        #: The entry that "Yes, delete it for good" deletes: the one the question quoted.
        self.asked: Entry | None = None
        self.built = False
        self.is_open = False
        self.entries: dict[int, Entry] = {}
        self.has_mine = False
        self._filling = False
        #: The entry (and so the version) the boxes were filled from; None: fill them afresh.
        self._filled_entry: Entry | None = None
        self._announcing = False  # this editor's own save or delete is being announced
        super().__init__(layout=layout())
        self.add_class("ht-corrections")

    # -- what each list defines -----------------------------------------------------------------

    def mine(self) -> list[Entry]:
        """The writer's own entries of this list, most recent first."""
        raise NotImplementedError

    def describe(self, entry: Entry) -> str:
        """A one-line label: date and first words."""
        raise NotImplementedError

    def make_fields(self) -> list[widgets.Widget]:
        """The editable fields (built once, when the editor first opens)."""
        raise NotImplementedError

    def fill(self, entry: Entry) -> None:
        """Put the entry's values into the fields."""
        raise NotImplementedError

    def apply(self, entry: Entry) -> str:
        """Save the fields over the entry (passing its version); return the message."""
        raise NotImplementedError

    def remove(self, entry: Entry) -> None:
        """Delete the entry for good, from the version this page showed."""
        delete = getattr(self.session.wb, _DELETE[self.kind])
        delete(entry.id, author=self.session.who, version=entry.version)

    def more_buttons(self) -> list[widgets.Widget]:
        """Further actions beside Save and Delete (none by default)."""
        return []

    def chosen_changed(self, entry: Entry | None) -> None:
        """The chosen entry changed (a hook for actions that depend on it)."""

    # -- the editor -------------------------------------------------------------------------------

    def _build(self) -> None:
        _ = self.session.gettext
        self.choice = choice(_("Which one"))
        self.choice.observe(self._chosen, names="value")
        self.fields = self.make_fields()
        self.save_button = button(_("Save changes"), icon="check")
        self.delete_button = button(_("Delete"), style="danger", icon="trash")
        self.done_button = button(_("Done"), style="")
        self.yes_button = button(_("Yes, delete it for good"), style="danger", icon="trash")
        self.keep_button = button(_("Keep it"), style="")
        self.status = Status(self.session.gettext)
        self.question = html_text(wide=True)
        self.elsewhere = html_text(wide=True)  # right under the boxes, where the writer looks
        self.confirm = widgets.VBox(layout=layout())
        self.confirm.add_class("ht-confirm")
        self.empty_note = html_text(
            html("<p class='ht-empty'>{}</p>", _("Nothing of yours is left in this list.")),
            wide=True,
        )
        self.save_button.on_click(lambda _: guarded(self.status, self._save))
        self.delete_button.on_click(lambda _: guarded(self.status, self._ask))
        self.yes_button.on_click(lambda _: guarded(self.status, self._delete))
        self.keep_button.on_click(lambda _: guarded(self.status, self._keep))
        self.done_button.on_click(lambda _: self.close_editor())
        row = layout(flex_flow="row wrap")
        self.actions = widgets.HBox(
            [self.save_button, self.delete_button, *self.more_buttons(), self.done_button],
            layout=row,
        )
        self.body = widgets.VBox(layout=layout())
        self.intro = html_text(
            html(
                "<p class='ht-small'>{}</p>",
                _(
                    "Choose one of your own entries to correct or delete. "
                    "Only you can change what you wrote."
                ),
            ),
            wide=True,
        )
        self.editor = widgets.VBox([self.body, self.status], layout=layout())
        self.editor.add_class("ht-editor")
        self.built = True

    def open_editor(self) -> None:
        """Show the editor (built the first time), filled with the most recent entry."""
        if not self.built:
            self._build()
        self.is_open = True
        self._filled_entry = None  # fill the boxes afresh from the store
        self.status.clear()
        if self.beside is not None:
            self.beside.clear()
        self.reload()

    def close_editor(self) -> None:
        """Hide the editor again; only the opener stays."""
        self.is_open = False
        self.asked = None
        if self.built:
            self.confirm.children = ()
            self.status.clear()
        self._show()

    def update(self, has_mine: bool) -> None:
        """The list was re-read: offer the opener while there is something of mine in it."""
        self.has_mine = has_mine
        if self.is_open:
            self.reload()
        else:
            self._show()

    def _show(self) -> None:
        shown: tuple[widgets.Widget, ...] = ()
        if self.is_open:
            shown = (self.editor,)
        elif self.has_mine:
            if self.opener is None:
                label = self.session.gettext(self.opener_label)
                self.opener = button(label, style="", icon="pencil")
                self.opener.on_click(lambda _: self.open_editor())
            shown = (self.opener,)
        self.children = shown

    def reload(self) -> None:
        """Re-read the writer's entries; keep the chosen one if it is still there."""
        entries = self.mine()
        self.entries = {e.id: e for e in entries if e.id is not None}
        self.confirm.children = ()
        self.asked = None
        self.question.value = ""  # it may quote a private entry that is now locked
        previous = self.choice.value
        self._filling = True
        try:
            self.choice.options = [(self.describe(e), e.id) for e in entries if e.id is not None]
            if self.entries:
                self.choice.value = (
                    previous if previous in self.entries else next(iter(self.entries))
                )
        finally:
            self._filling = False
        if self.entries:
            self.body.children = (
                self.intro,
                self.choice,
                *self.fields,
                self.elsewhere,
                self.actions,
                self.confirm,
            )
            entry = self.entries.get(self.choice.value)
            was = self._filled_entry
            if entry is None or was is None or was.id != entry.id or self._announcing:
                self._chosen()  # another entry, or this editor's own change: fill afresh
            elif was.version == entry.version:
                # Unchanged in the store: keep what the person may be typing in the boxes.
                self.chosen_changed(entry)
            else:
                # Changed elsewhere while open here: the boxes may hold words typed and not yet
                # sent, so they stay; a save is refused as stale once, the words kept (`_save`).
                self.entries[self.choice.value] = was
                note = self.session.gettext(CHANGED_ELSEWHERE)
                self.elsewhere.value = str(html("<div class='ht-msg ht-info'>{}</div>", note))
                self.chosen_changed(was)
        else:
            self.body.children = (self.empty_note, self.done_button)
            self._clear_fields()
            self._filled_entry = None
            self.chosen_changed(None)
        self._show()

    def _clear_fields(self) -> None:
        # Words of an entry that went (deleted, or private and now locked) leave the page.
        for f in self.fields:
            if isinstance(f, widgets.Text | widgets.Textarea):
                f.value = ""

    def current(self) -> Entry:
        """The chosen entry as this page last read it."""
        entry = self.entries.get(self.choice.value)
        if entry is None:
            raise StaleEntry(N_("That entry is no longer there. Nothing was changed."))
        return entry

    def _chosen(self, _change: object = None) -> None:
        if self._filling:
            return
        self.confirm.children = ()
        self.asked = None
        self.elsewhere.value = ""
        entry = self.entries.get(self.choice.value)
        if entry is not None:
            self.fill(entry)
        self._filled_entry = entry
        self.chosen_changed(entry)

    def changed(self) -> None:
        """Tell every view of the page that shows this list to re-read it (this editor then
        takes the stored version as its own: the change was made here)."""
        self._announcing = True
        try:
            entries_changed(self.session, self.topic or self.kind)
        finally:
            self._announcing = False

    def _save(self) -> str:
        entry = self.current()
        typed = [getattr(f, "value", None) for f in self.fields]
        try:
            message = self.apply(entry)
        except StaleEntry as err:
            self.changed()
            if self.entries.get(self.choice.value) is not None and self.choice.value == entry.id:
                # The list above shows the latest; the boxes keep what the person typed.
                for f, value in zip(self.fields, typed, strict=True):
                    if hasattr(f, "value"):
                        f.value = value
                raise StaleKeptTyping(err) from err
            raise
        # The boxes are filled again from what was saved (`changed`). Emptied first, so that
        # the page sees the kernel set them: a box the kernel has not set since it was typed
        # in counts as unsaved words, and leaving asked about a saved correction.
        self._clear_fields()
        self.changed()
        return message

    def _ask(self) -> str:
        entry = self.current()
        self.asked = entry
        self.status.clear()  # the question is what matters now
        question = self.session.gettext(DELETE_QUESTIONS.get(self.what, DELETE_QUESTIONS["entry"]))
        words = first_words(self.describe_text(entry), 60)
        self.question.value = str(html("<p class='ht-p'>{}</p>", question % {"words": words}))
        self.confirm.children = (
            self.question,
            widgets.HBox([self.yes_button, self.keep_button], layout=layout(flex_flow="row wrap")),
        )
        return ""

    def describe_text(self, entry: Entry) -> str:
        """The words the delete question quotes."""
        return self.describe(entry)

    def _keep(self) -> str:
        self.asked = None
        self.confirm.children = ()
        return self.session.gettext("Kept. Nothing was deleted.")

    def _delete(self) -> str:
        # Only the entry the question named, and only once: a second press of "Yes" (or one
        # after the list moved on to another entry) deletes nothing more.
        entry, self.asked = self.asked, None
        self.confirm.children = ()
        if entry is None:
            return ""
        try:
            self.remove(entry)
        except StaleEntry:
            self.changed()
            raise
        self.changed()
        return self.session.gettext("Deleted for good. It is gone from the workbook.")


def refresh_on_stale(refresh: Callable[[], None], action: Callable[[], str]) -> Callable[[], str]:
    """`action`, but a `StaleEntry` first re-reads the page (then its message is shown)."""

    def run() -> str:
        try:
            return action()
        except StaleEntry:
            refresh()
            raise

    return run


def own(entries: Sequence[Any], who: str) -> list[Any]:
    """The entries `who` wrote, most recent first (entries come oldest first)."""
    return [e for e in reversed(entries) if e.author == who]
