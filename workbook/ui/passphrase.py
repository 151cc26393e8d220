"""The passphrase panels of a page: set, enter or close a partner's passphrase where private
writing happens. Each follows the page's one owner of the unlock state
(`workbook.ui.sitting.PrivateState`).
"""

from __future__ import annotations

import contextlib

import ipywidgets as widgets

from ..domain import ValidationError
from ..i18n import N_
from ..markup import html
from .blocks import PasswordBox, Status, button, guarded, html_text, layout, paragraph
from .sitting import ELSEWHERE_NOTE, LOST_KEY_NOTE, PrivateState


class PassphrasePanel(widgets.VBox):
    """Set, enter or close this partner's passphrase, right where private writing happens.

    `compact` panels sit inside a form (a line of text and the fields); the full panel is a
    card of its own. Every panel of a page follows the page's `PrivateState`.
    """

    def __init__(self, state: PrivateState, *, compact: bool = True, purpose: str = "") -> None:
        self.state = state
        self.compact = compact
        self.purpose = purpose
        #: Set once a passphrase was set or typed here, so this panel stays to show the answer.
        self.used = False
        _ = state.session.gettext
        self.password = PasswordBox(description=_("Passphrase"), layout=layout())
        self.password.style.description_width = "initial"
        self.password.add_class("ht-stacked")
        self.confirm = PasswordBox(description=_("Type it again"), layout=layout())
        self.confirm.style.description_width = "initial"
        self.confirm.add_class("ht-stacked")
        self.set_button = button(_("Set passphrase"), icon="lock")
        self.unlock_button = button(_("Unlock"), icon="unlock")
        self.lock_button = button(_("Lock my private entries"), style="", icon="lock")
        self.info = html_text(wide=True)
        self.status = Status(_)
        self.set_button.on_click(lambda _: guarded(self.status, self._set))
        self.unlock_button.on_click(lambda _: guarded(self.status, self._unlock))
        self.lock_button.on_click(lambda _: guarded(self.status, self.state.lock))
        self.body = widgets.VBox(layout=layout())
        super().__init__([self.info, self.body, self.status], layout=layout())
        self.add_class("ht-passphrase")
        if compact:
            self.add_class("ht-passphrase-inline")
        self._sub = state.subscribe(self.render)
        self.render()
        if not compact:
            # The page's own panel: the forms of the page point to it instead of repeating it.
            state.panel_holder = self
            state.session.bus.publish("passphrase-panel")

    @property
    def mode(self) -> str:
        """'set', 'unlock' or 'unlocked' (see `PrivateState.mode`)."""
        return self.state.mode

    def render(self) -> None:
        """Show the controls that fit the current state."""
        mode = self.mode
        session = self.state.session
        _ = session.gettext
        # `purpose` comes from the form, already in the reader's language.
        lead = [self.purpose] if self.purpose else []
        if mode == "set":
            text = [
                *lead,
                _(
                    "Private writing is locked with a passphrase only you know. Choose one "
                    "you will remember; a few words work well."
                ),
                _(LOST_KEY_NOTE),
            ]
            self.body.children = (self.password, self.confirm, self.set_button)
        elif mode == "unlock":
            count = session.wb.locked_count(session.who)
            values = {"count": count, "minutes": int(self.state.quiet // 60)}
            if count:
                how = session.ngettext(
                    "You have %(count)d private entry. Type your passphrase to open it; it "
                    "stays open on the pages you visit until you lock it, or until "
                    "%(minutes)d minutes pass without you using the workbook.",
                    "You have %(count)d private entries. Type your passphrase to open them; "
                    "they stay open on the pages you visit until you lock them, or until "
                    "%(minutes)d minutes pass without you using the workbook.",
                    count,
                )
            else:
                how = _(
                    "Type your passphrase to open your private entries; they stay open on the "
                    "pages you visit until you lock them, or until %(minutes)d minutes pass "
                    "without you using the workbook."
                )
            text = [*lead, how % values]
            self.body.children = (self.password, self.unlock_button)
        else:
            text = [
                _(
                    "Your private entries are open. Lock them before you hand the device to "
                    "someone else."
                )
            ]
            self.body.children = (self.lock_button,)
        self.info.value = str(html("<p class='ht-p'>{}</p>", " ".join(text)))

    def _set(self) -> str:
        self.used = True
        try:
            return self.state.set_passphrase(self.password.value, self.confirm.value)
        finally:
            # Never leave a passphrase sitting in the page, whatever happened.
            self.password.value = ""
            self.confirm.value = ""

    def _unlock(self) -> str:
        self.used = True
        try:
            return self.state.unlock(self.password.value)
        finally:
            self.password.value = ""


class InlinePrivacy(widgets.VBox):
    """The passphrase panel of one form, built only when that form needs it.

    Shown while the form is set to private and the writer is locked (or has no passphrase
    yet); most pages never build it, which keeps them light.
    """

    def __init__(self, state: PrivateState, purpose: str = "") -> None:
        self.state = state
        self.purpose = purpose
        self.panel: PassphrasePanel | None = None
        self.wanted = False
        #: Where the panel's subscription goes when it is built later: with this form's views.
        self._group = state.session.bus.current_group
        self._elsewhere: widgets.Widget | None = None
        super().__init__(layout=layout())
        self._sub = state.subscribe(self.update)
        state.session.bus.subscribe(self.update, "passphrase-panel")

    def open_with_typed(self) -> None:
        """A private save pressed while the page's passphrase panel holds a passphrase that
        was typed but not sent with the panel's own button: open (or set) with it first.

        In a walk, a partner typed the passphrase, pressed "Save check-in" and nothing was
        saved. A wrong passphrase (or two that differ) raises, and the form saves nothing.
        """
        holder = self.state.panel_holder
        panel = holder.panel if isinstance(holder, InlinePrivacy) else holder
        if panel is None or self.state.unlocked or not panel.password.value:
            return
        if panel.mode == "set" and not panel.confirm.value:
            # Typed once, not yet twice: a form in progress, not two passphrases that differ.
            raise ValidationError(
                N_(
                    "Type your new passphrase a second time, under “Type it again”, then "
                    "save. Nothing was saved yet."
                )
            )
        try:
            message = panel._set() if panel.mode == "set" else panel._unlock()
        except Exception:
            panel.status.clear()  # the form's own message says what went wrong
            raise
        panel.status.show(message)

    def want(self, wanted: bool) -> None:
        """Whether the form is set to private right now."""
        self.wanted = wanted
        if not wanted and self.panel is not None:
            self.panel.used = False
        self.update()

    def update(self) -> None:
        """Show the panel while it is needed, and its answer right after it was used here.

        One panel per page: the first form that needs it holds it; another form that needs
        it meanwhile says where it is, and takes it over once the holder lets it go.
        """
        state = self.state
        if state.panel_holder is not None and not state.panel_holder._sub.active:
            state.panel_holder = None  # the form that held it was replaced
        just_used = self.panel is not None and self.panel.used
        needed = self.wanted and (not state.unlocked or just_used)
        shown: tuple[widgets.Widget, ...] = ()
        if needed and state.panel_holder in (None, self):
            state.panel_holder = self
            if self.panel is None:
                bus = state.session.bus
                with bus.collect(self._group) if self._group else contextlib.nullcontext():
                    self.panel = PassphrasePanel(state, purpose=self.purpose)
            shown = (self.panel,)
        elif needed:
            if self._elsewhere is None:
                self._elsewhere = paragraph(state.session.gettext(ELSEWHERE_NOTE), "ht-small")
            shown = (self._elsewhere,)
        elif state.panel_holder is self:
            state.panel_holder = None
            self.children = ()
            # Another form of the page that needs the panel shows it now.
            state.session.bus.publish("passphrase-panel")
            return
        self.children = shown
