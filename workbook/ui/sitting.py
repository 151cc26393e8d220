"""Private entries on every page: one owner of the unlock state (the passphrase panels that
follow it are in `workbook.ui.passphrase`).

A partner unlocks once and stays unlocked for the pages of that sitting:

- The key lives in the page kernel's memory only. To carry it to the next page, the store
  keeps it sealed with a random secret (`Workbook.open_sitting`), and the browser keeps that
  secret in a session cookie of this app (set by the page template's script, never stored by
  the server). A new page reads the cookie from its request and resumes the sitting
  (`Workbook.resume_sitting`). Neither half opens anything alone.
- After `QUIET_SECONDS` without anything done on any page of the sitting, it is over: each
  page locks itself (a timer on the kernel's event loop) and the store refuses the sitting.
- "Lock" ends every sitting of that partner and forgets the key at once; every view that
  shows private text is refreshed by this owner, so nothing private stays on the page.
- Choosing another writer (`end_other_writer`), the quick exit and Lock also end the sitting
  in every other tab of the browser at once: the page's script clears the cookie and tells
  the app's other tabs (a BroadcastChannel), whose scripts press each page's hidden "end"
  button (`ender`); that page's kernel deletes its sitting and locks (`left`).
- However a sitting ends, its row is deleted and scrubbed from the file and its WAL; quiet
  sittings of either partner are purged by every open page every half minute and on every
  open of the workbook (`Workbook.purge_sittings`).

`PrivateState` is the one owner per page: it announces each change on the page's bus as the
topic ``"privacy"`` (views subscribe through `subscribe`, and cancel when replaced), panels
call its `set_passphrase`, `unlock` and `lock`. A page shows one passphrase panel at a time:
the first form that needs it holds it, the others point to it.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..domain import ValidationError
from ..exit_sittings import cookie_name
from ..i18n import N_
from ..markup import Markup, html, join
from ..request import served_by_voila
from ..store import QUIET_SECONDS
from .activity import _STATES
from .blocks import Status, button, guarded, layout

if TYPE_CHECKING:
    from .passphrase import InlinePrivacy, PassphrasePanel
    from .session import Session

#: How often an open page checks whether its sitting went quiet or was locked elsewhere.
CHECK_EVERY_SECONDS = 30.0

#: What a form that needs the passphrase says while another form of the page shows the panel.
ELSEWHERE_NOTE = N_(
    "To write privately here, first set or type your passphrase in the passphrase panel on "
    "this page; then save here."
)

#: Said wherever a passphrase is chosen (translate it where shown: ``gettext(LOST_KEY_NOTE)``).
LOST_KEY_NOTE = N_(
    "Your passphrase is never stored, so if it is lost nobody can open your private entries "
    "again: not you, not your partner, not us. Shared entries are not affected."
)

_counter = itertools.count(1)


class PrivateState:
    """The one owner of a page's private-entry state: unlocked or not, and for how long."""

    def __init__(
        self,
        session: Session,
        *,
        cookies: dict[str, str] | None = None,
        quiet: float = QUIET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.quiet = quiet
        self._clock = clock
        self.closed = False
        #: Where the page's one passphrase panel is shown (a form's `InlinePrivacy`, or the
        #: page's own full panel); the page's other forms point to it.
        self.panel_holder: InlinePrivacy | PassphrasePanel | None = None
        self._last_activity = clock()
        self._last_touch = 0.0
        self.token: str | None = None
        #: The last few instructions for the page's script (kept until it has acted on them).
        self._sent: list[Markup] = []
        self.cookie = cookie_name(session.wb.name, session.who)
        # A hidden widget through which the page's script sets and clears the cookie.
        self.bridge = widgets.HTML(layout=widgets.Layout(display="none"))
        self.bridge.add_class("ht-sitting-bridge")
        # A hidden button the page's script presses when this sitting ended in another tab
        # of the browser (or by the quick exit): the kernel then ends and locks it here.
        self.ender = widgets.Button(layout=widgets.Layout(display="none"))
        self.ender.add_class("ht-sitting-end")
        self.ender.add_class(f"ht-end-{self.cookie}")
        self.ender.on_click(lambda _: self.left())
        #: What every page carries, out of sight: the bridge and the hidden button.
        self.hidden = widgets.Box([self.bridge, self.ender], layout=widgets.Layout(display="none"))
        if cookies is None and served_by_voila():
            from ..request import request_cookies

            cookies = request_cookies()
        self._cookies = dict(cookies or {})
        token = self._cookies.get(self.cookie)
        if token and session.wb.has_passphrase(session.who):
            if session.wb.resume_sitting(session.who, token, quiet=quiet):
                self.token = token
            else:
                self._send("clear")
        _STATES.add(self)
        self._schedule()

    # -- what the page shows ------------------------------------------------------------------

    @property
    def has_passphrase(self) -> bool:
        """Whether the writing partner has set a passphrase."""
        return self.session.wb.has_passphrase(self.session.who)

    @property
    def unlocked(self) -> bool:
        """Whether the writing partner's private entries are open on this page."""
        return self.session.wb.is_unlocked(self.session.who)

    @property
    def mode(self) -> str:
        """'set' (no passphrase yet), 'unlock' (locked) or 'unlocked'."""
        if not self.has_passphrase:
            return "set"
        return "unlocked" if self.unlocked else "unlock"

    def subscribe(self, refresh: Callable[[], None]) -> Any:
        """Call `refresh` whenever private entries open or close on this page."""
        return self.session.bus.subscribe(refresh, "privacy")

    def changed(self) -> None:
        """Refresh every view that shows private entries or the unlock state."""
        self.session.bus.publish("privacy")

    def close(self) -> None:
        """The session is gone: no more activity, timers or refreshes from this owner."""
        self.closed = True
        _STATES.discard(self)

    # -- actions -------------------------------------------------------------------------------

    def set_passphrase(self, passphrase: str, confirm: str) -> str:
        """Set the first passphrase (typed twice) and open the private entries."""
        if passphrase != confirm:
            raise ValidationError(
                N_("The two passphrases are not the same. Nothing was set; please type them again.")
            )
        self.session.wb.set_passphrase(self.session.who, passphrase)
        self._opened()
        _ = self.session.gettext
        return _("Passphrase set. Your private entries are open until you lock them.")

    def unlock(self, passphrase: str) -> str:
        """Open the private entries with the passphrase."""
        self.session.wb.unlock(self.session.who, passphrase)
        self._opened()
        return self.session.gettext(
            "Unlocked. Your private entries are shown on the pages you open now."
        )

    def lock(self) -> str:
        """Close the private entries on every page of every sitting of this partner."""
        self.session.wb.end_sittings(self.session.who)
        self.token = None
        # "end": the script clears the cookie and tells this browser's other tabs at once.
        self._send("end")
        self.changed()
        return self.session.gettext("Locked. Your private entries are hidden.")

    def left(self) -> None:
        """This browser ended the sitting elsewhere (another tab's Lock, another writer
        chosen, the quick exit): end this page's sitting in the file and lock the page."""
        if self.token:
            self.session.wb.end_sitting(self.session.who, self.token)
            self.token = None
        if self.unlocked:
            self.session.wb.lock(self.session.who)
        self.changed()

    def end_other_writer(self) -> None:
        """Someone chose this writer on this browser: the other partner's sitting here ends.

        The sitting whose cookie came with this page is deleted now; the page's script then
        clears that cookie and tells the browser's other tabs, whose pages of the other
        partner lock at once (`left`), whenever their sitting began.
        """
        wb, other = self.session.wb, self.session.other
        other_cookie = cookie_name(wb.name, other)
        token = self._cookies.pop(other_cookie, None)
        if token:
            wb.end_sitting(other, token)
        wb.lock(other)
        self._send("end", name=other_cookie)

    def touch(self) -> None:
        """Note activity; keeps the sitting alive (written at most once a minute)."""
        now = self._clock()
        self._last_activity = now
        if self.token and self.unlocked and now - self._last_touch > 60:
            self._last_touch = now
            if not self.session.wb.touch_sitting(self.session.who, self.token):
                self._expire()

    def check(self) -> None:
        """Lock this page if it has been quiet too long or its sitting was locked elsewhere."""
        if not self.unlocked:
            return
        quiet = self._clock() - self._last_activity > self.quiet
        gone = False
        if self.token and not quiet:
            # Read only: a write every half minute from every open page would wake the
            # partner's pages (they watch the file for news) for nothing.
            gone = not self.session.wb.sitting_alive(self.session.who, self.token)
        if quiet or gone:
            self._expire()

    def set_address(self, query: dict[str, str | None], *, who: str) -> None:
        """Put the workbook (or code) and the partner in the page's address, without a reload.

        The browser keeps any other part of the address (such as the server's token).
        """
        from urllib.parse import urlencode

        pairs = {k: v for k, v in {**query, "who": who}.items() if v}
        self._send("address", urlencode(pairs))

    # -- inner workings ------------------------------------------------------------------------

    def _opened(self) -> None:
        self._last_activity = self._clock()
        if served_by_voila():
            self.token = self.session.wb.open_sitting(self.session.who)
            self._send("set", self.token)
        self.changed()

    def _expire(self) -> None:
        self.session.wb.lock(self.session.who)
        self.token = None
        self._send("clear")
        self.changed()

    def _send(self, op: str, value: str = "", *, name: str | None = None) -> None:
        # The page's script (static/healing.js) acts on each new instruction once; earlier
        # ones stay in the bridge until acted on, so none is lost to a quick succession.
        span = html(
            "<span class='ht-sitting' data-op='{}' data-name='{}' data-value='{}' data-n='{}'>"
            "</span>",
            op,
            name or self.cookie,
            value,
            next(_counter),
        )
        self._sent = [*self._sent[-3:], span]
        self.bridge.value = str(join(self._sent))

    def _schedule(self) -> None:
        try:  # in a page kernel, widget callbacks and cells run on its event loop
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a test or a script: no timer
            return
        loop.call_later(CHECK_EVERY_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.closed:
            return
        try:
            self._tick_work()
        finally:
            self._schedule()

    def _tick_work(self) -> None:
        """Every half minute: close this page if its join code was replaced, lock it if its
        sitting is over, and purge quiet ones."""
        if not self._code_still_opens():
            self._code_replaced()
            return
        self.check()
        self.session.wb.purge_sittings()

    def _code_still_opens(self) -> bool:
        """Whether the join code this page was opened with (in a workshop) is still the
        couple's; a page opened by name has none to lose."""
        code = self.session.code
        if not code:
            return True
        from ..workshop import join_code, normalize_code

        wb = self.session.wb
        try:
            return join_code(wb.name, wb.path.parent) == normalize_code(code)
        except ValidationError:
            return False

    def _code_replaced(self) -> None:
        """The facilitator gave this couple a new code (the old one was overheard): a page
        opened with the old one, by the couple or by whoever overheard it, stops serving the
        workbook and goes to the start page, where only the new code opens it."""
        from .urls import page_url

        session = self.session
        session.wb.lock(session.who)
        self.token = None
        self._send("leave", page_url(0, lang=session.lang))
        session.close()
        session.wb.close()


def header_lock(state: PrivateState) -> widgets.Widget:
    """A 'Lock my private entries' control for the page header, shown while unlocked."""
    _ = state.session.gettext
    lock = button(_("Lock my private entries"), style="", icon="lock")
    status = Status(_)
    box = widgets.HBox(layout=layout(flex_flow="row wrap", align_items="center"))
    box.add_class("ht-header-lock")

    def render() -> None:
        # After a lock only its confirmation stays (and goes with the next page).
        box.children = (lock, status) if state.unlocked else (status,)

    def unlocked_again() -> None:
        if state.unlocked:
            status.clear()
        render()

    lock.on_click(lambda _: guarded(status, state.lock))
    state.subscribe(unlocked_again)
    render()
    return box


def page_parts(state: PrivateState) -> list[Any]:
    """What every page with a session carries: the hidden cookie bridge and end button."""
    return [state.hidden]
