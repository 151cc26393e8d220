"""Building blocks every page uses: escaping, a status area, safe callbacks, the session.

`widgets.HTML` and Markdown outputs are trusted by Voila and would run a script hidden in a
person's words, so every piece of user text goes through `esc` before it reaches HTML.
"""

from __future__ import annotations

import base64
import functools
import logging
import os
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle

from .. import settings
from ..domain import PARTNER_IDS, STEPS, PartnerId, ValidationError
from ..markup import esc
from ..paths import check_name
from ..steps import HEALING_STEPS
from ..store import Workbook, WorkbookError, open_workbook

if TYPE_CHECKING:
    from .live import LiveRefresh
    from .sitting import PrivateState

log = logging.getLogger("workbook.ui")

#: Notebook file for each page, relative to the served folder (steps' from `workbook.steps`).
PAGES: dict[int | str, str] = {
    0: "00_start.ipynb",
    **{n: s.notebook for n, s in HEALING_STEPS.items()},
    "trends": "09_trends.ipynb",
    "facilitator": "10_facilitator.ipynb",
}


def workshop_mode() -> bool:
    """True when the server runs a workshop: couples join with a code, never by name."""
    return settings.WORKSHOP.is_on()


def page_url(
    page: int | str, wb_name: str | None = None, who: str | None = None, code: str | None = None
) -> str:
    """The relative address of a page, carrying the workbook (or join code) and the partner."""
    url = f"./{PAGES[page]}" if page in PAGES else "./" + PAGES[0]
    target = ("code", code) if code else ("wb", wb_name)
    query = {k: v for k, v in (target, ("who", who)) if v}
    return url + ("?" + urllib.parse.urlencode(query) if query else "")


# Every widget brings a layout and a style model of its own, and the browser builds each model
# before it shows the page. Widgets that ask for the same layout share one, and static text,
# status lines and buttons share their style: a step page then has about 40% fewer models to
# load. So a layout from `layout()` or a shared style must never be changed after creation;
# a widget that is to be hidden or resized later gets `own_layout()`.


@functools.cache
def _shared(kind: type[widgets.Widget], **kw: Any) -> Any:
    """One instance per kind and settings, shared by every widget that asks for it."""
    return kind(**kw)


def layout(**kw: Any) -> widgets.Layout:
    """A shared Layout, full width by default so forms fit a 375-pixel phone. Never change it."""
    kw.setdefault("width", "100%")
    return _shared(widgets.Layout, **kw)


def own_layout(**kw: Any) -> widgets.Layout:
    """A Layout of the widget's own (full width by default), for one that changes later."""
    kw.setdefault("width", "100%")
    return widgets.Layout(**kw)


def html_text(value: str = "", *, wide: bool = False) -> widgets.HTML:
    """An HTML widget whose value may change but whose layout and style never do (shared).

    ``wide`` gives it the full width; otherwise it has the default layout.
    """
    shared = layout() if wide else _shared(widgets.Layout)
    return widgets.HTML(value, layout=shared, style=_shared(HTMLStyle))


def download_link(
    content: str, filename: str, text: str, *, mime: str = "text/html", cls: str = "ht-nav-link"
) -> str:
    """A link that downloads `content` as a file, from a data: URL (nothing kept on the server).

    `filename` and `text` are escaped; `content` is encoded, so it needs no escaping here.
    """
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (
        f"<a class='{cls}' download='{esc(filename)}' "
        f"href='data:{mime};charset=utf-8;base64,{data}'>{esc(text)}</a>"
    )


def heading(text: str, level: int = 2) -> widgets.HTML:
    """A heading from trusted project text (still escaped)."""
    return html_text(f"<h{level} class='ht-h{level}'>{esc(text)}</h{level}>")


def paragraph(text: str, cls: str = "ht-p") -> widgets.HTML:
    """A paragraph of plain text, escaped."""
    return html_text(f"<p class='{cls}'>{esc(text)}</p>")


def card(*children: widgets.Widget, title: str | None = None, cls: str = "") -> widgets.VBox:
    """A titled panel that groups one exercise."""
    items = ([heading(title, 3)] if title else []) + list(children)
    box = widgets.VBox(items, layout=layout())
    box.add_class("ht-card")
    if cls:
        box.add_class(cls)
    return box


class Status(widgets.HTML):
    """The message area under a form: errors, confirmations, always escaped."""

    def __init__(self) -> None:
        super().__init__(value="", layout=_shared(widgets.Layout), style=_shared(HTMLStyle))
        self.add_class("ht-status")
        self.kind = ""
        self.message = ""

    def show(self, message: str, kind: str = "ok") -> None:
        """Show a message; kind is 'ok', 'error' or 'info'."""
        self.kind, self.message = kind, message
        role = "alert" if kind == "error" else "status"
        self.value = f"<div class='ht-msg ht-{kind}' role='{role}'>{esc(message)}</div>"

    def clear(self) -> None:
        """Remove the message."""
        self.kind, self.message, self.value = "", "", ""


def _server_log_stream() -> TextIO:
    """The server's log, from inside a Voila kernel: never the page.

    A kernel's ``sys.stderr`` is sent to the browser. ipykernel also points file descriptor 2
    at the browser, and keeps a copy of the kernel's own stderr (the server's log, since Voila
    starts kernels with its own stderr): ``sys.stderr.fileno()`` returns that copy. Without
    that capture, descriptor 2 itself is still the server's log.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        fd = (sys.__stderr__ or sys.stderr).fileno()
    return open(  # kept open for the kernel's lifetime, like stderr
        os.dup(fd), "w", buffering=1, encoding="utf-8", errors="backslashreplace"
    )


def route_logs_to_server(stream: TextIO | None = None) -> None:
    """Send the ``workbook`` loggers to the server's log instead of the page (once per kernel).

    Without this, Python's last-resort handler writes errors to ``sys.stderr``, which a
    Voila kernel sends to the browser: a traceback with file paths reached the page.
    """
    logger = logging.getLogger("workbook")
    if any(getattr(h, "workbook_server_log", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(stream or _server_log_stream())
    handler.workbook_server_log = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter("[workbook %(levelname)s %(asctime)s %(name)s] %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _page_name() -> str:
    """The notebook of this page (from the request path; never its query, which has secrets)."""
    return os.path.basename(os.environ.get("SCRIPT_NAME", "")) or "a page outside Voila"


def guarded(status: Status, action: Callable[[], str | None]) -> None:
    """Run a form action; show its success text, or the error, in the status area.

    Errors meant for people (bad input, a locked entry, a busy file) are shown as they are.
    Anything else goes to the server's log with its traceback, the page and the action, and
    the person sees a calm, general message, never a traceback or a file path.
    """
    from .sitting import note_activity

    note_activity()
    try:
        message = action()
    except (ValidationError, WorkbookError) as err:
        status.show(str(err), "error")
        return
    except Exception:
        name = getattr(action, "__qualname__", None) or type(action).__name__
        log.exception("A form action failed on %s: %s", _page_name(), name)
        status.show(
            "Something went wrong and nothing was saved. Please try again; "
            "if it keeps happening, reload the page.",
            "error",
        )
        return
    if message:
        status.show(message, "ok")
    else:
        # Done, with nothing to say: an older message (say, a wrong code) must not linger.
        status.clear()


class OnePressButton(widgets.Button):
    """A button that acts once per press of a person.

    A double click or a second tap sends two presses; both reach the kernel and, one after
    the other, would save twice. Presses that arrive while the button's work runs, or within
    `settle` seconds after it finished, are dropped. (`click()` from code is not limited.)
    """

    settle = 0.8

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._busy = False
        self._done_at = -1e9

    def _handle_button_msg(self, _: Any, content: dict[str, Any], buffers: Any) -> None:
        if content.get("event") != "click":
            return
        if self._busy or time.monotonic() - self._done_at < self.settle:
            return
        self._busy = True
        try:
            self.click()
        finally:
            self._busy = False
            self._done_at = time.monotonic()


def button(description: str, *, style: str = "primary", icon: str = "") -> widgets.Button:
    """A full-width, touch-sized button that acts once per press."""
    b = OnePressButton(
        description=description,
        button_style=style,
        icon=icon,
        layout=layout(width="auto", min_height="44px"),
        style=_shared(widgets.ButtonStyle),
        tooltip=description,
    )
    b.add_class("ht-button")
    return b


def textarea(label: str, placeholder: str = "", rows: int = 4) -> widgets.Textarea:
    """A labelled multi-line text box."""
    t = TextArea(placeholder=placeholder, description=label, rows=rows, layout=layout())
    t.style.description_width = "initial"
    t.add_class("ht-stacked")
    return t


def _sendable(value: Any) -> Any:
    """A message with half-pairs of surrogates (cut emoji) shown as U+FFFD, to be sent."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return value
    if isinstance(value, dict):
        return {key: _sendable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_sendable(item) for item in value]
    return value


class _KeepsWhatWasTyped:
    """A text box that never loses what the browser sent.

    ipywidgets sends every change back to the browser; a lone surrogate (half of an emoji,
    e.g. from a cut paste) cannot be encoded, that echo failed, and the new value was thrown
    away without a word: Save then stored the old text and said "Saved". Here the echo
    carries a replacement character instead, the kernel keeps the text as it came, and the
    domain refuses to save it with a message (`workbook.domain`).
    """

    def _send(self, msg: Any, buffers: Any = None) -> None:
        super()._send(_sendable(msg), buffers)  # type: ignore[misc]


class TextBox(_KeepsWhatWasTyped, widgets.Text):
    """`widgets.Text` that keeps what was typed (see `_KeepsWhatWasTyped`)."""


class TextArea(_KeepsWhatWasTyped, widgets.Textarea):
    """`widgets.Textarea` that keeps what was typed (see `_KeepsWhatWasTyped`)."""


class PasswordBox(_KeepsWhatWasTyped, widgets.Password):
    """`widgets.Password` that keeps what was typed (see `_KeepsWhatWasTyped`)."""


def text_input(label: str, placeholder: str = "") -> widgets.Text:
    """A labelled one-line text box."""
    t = TextBox(placeholder=placeholder, description=label, layout=layout())
    t.style.description_width = "initial"
    t.add_class("ht-stacked")
    return t


@dataclass
class Session:
    """Who is using the page: the open workbook and the partner writing."""

    wb: Workbook
    who: PartnerId
    code: str | None = None
    _privacy: PrivateState | None = field(default=None, repr=False, compare=False)
    _live: LiveRefresh | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Made first, before any form reads the workbook: it may resume this partner's
        # unlock from the browser's sitting, which changes what the forms may show.
        from .sitting import PrivateState

        self._privacy = PrivateState(self)

    @property
    def live(self) -> LiveRefresh:
        """The page's watcher for the partner's new entries (made when a view first asks)."""
        if self._live is None:
            from .live import LiveRefresh

            self._live = LiveRefresh(self.wb)
        return self._live

    @property
    def privacy(self) -> PrivateState:
        """The page's one owner of the writer's private-entry state."""
        assert self._privacy is not None
        return self._privacy

    @property
    def name(self) -> str:
        """The writing partner's display name."""
        return self.wb.partner(self.who).name

    @property
    def other(self) -> PartnerId:
        """The other partner's id."""
        return "b" if self.who == "a" else "a"

    @property
    def other_name(self) -> str:
        """The other partner's display name."""
        return self.wb.partner(self.other).name

    def url(self, page: int | str) -> str:
        """Address of another page for this same workbook and partner."""
        return page_url(page, self.wb.name, self.who, self.code)


def served_by_voila() -> bool:
    """True in a kernel that Voila started for a page (preheated or not)."""
    return "VOILA_PREHEAT" in os.environ or "VOILA_BASE_URL" in os.environ


if served_by_voila():
    route_logs_to_server()


def read_query() -> dict[str, str]:
    """The page's URL query as a dict (empty when not served by Voila).

    With preheated kernels the kernel starts before any request, so this waits for the
    request first (`workbook.request.request_query`), then reads its QUERY_STRING.
    """
    if not served_by_voila():
        return {}
    from ..request import request_query

    return request_query()


def page_inputs(wb_name: str | None, who: str | None) -> tuple[str | None, str | None, str | None]:
    """The workbook, partner and join code for this page view.

    Served by Voila, only the URL counts: the notebook's `parameters` defaults (meant for
    JupyterLab and tests) must never open a workbook for a visitor who did not ask for it.
    """
    if served_by_voila():
        query = read_query()
        return query.get("wb"), query.get("who"), query.get("code")
    return wb_name, who, None


def workbook_for(wb_name: str | None, code: str | None) -> tuple[str | None, str | None]:
    """The workbook name to open, from a join code or a name; returns (name, error).

    In a workshop only a join code opens a workbook: names like 'couple-03' are easy to
    guess, codes are not.
    """
    if code:
        from ..workshop import resolve_code

        try:
            return resolve_code(None, code), None
        except ValidationError as err:
            return None, str(err)
    if workshop_mode():
        return None, "In this workshop, open your workbook with your couple's code."
    return wb_name, None


def resolve_session(
    wb_name: str | None = None, who: str | None = None, query: dict[str, str] | None = None
) -> Session | str:
    """Open the session named by the URL (or the notebook's parameters).

    Returns a Session, or a sentence saying what is missing, for the way-back panel.
    """
    if query is None:
        wb_name, who, code = page_inputs(wb_name, who)
    else:
        wb_name, who, code = query.get("wb") or wb_name, query.get("who") or who, query.get("code")
    wb_name, problem = workbook_for(wb_name, code)
    if problem:
        return problem
    if not wb_name:
        return "This page does not know which workbook to open."
    try:
        check_name(wb_name)
        book = open_workbook(wb_name)
    except (ValidationError, WorkbookError) as err:
        return str(err)
    if who not in PARTNER_IDS:
        book.close()
        return "This page does not know who is writing."
    return Session(wb=book, who=who, code=code)


def way_back(reason: str) -> widgets.VBox:
    """What a page shows when opened without a workbook or partner: a clear way back."""
    link = html_text(
        f"<p class='ht-p'>{esc(reason)} Start from the first page, open your workbook and "
        "choose who is writing; every step links from there.</p>"
        f"<p><a class='ht-link-button' href='{esc(page_url(0))}'>Go to the start page</a></p>"
    )
    box = card(link, title="Let's start from the beginning")
    box.add_class("ht-way-back")
    return box


def step_title(step: int) -> str:
    """The title of a step, as the pages show it."""
    return STEPS[step] if step == 0 else f"Step {step}: {STEPS[step]}"


class PageShown:
    """Tells the kernel when a browser has loaded this page's widgets.

    A widget the kernel changes while the page's browser is still loading the widgets can lose
    that change (the update reaches the browser before it listens; see voila-dashboards/voila
    #1101). Work whose result is shown by changing widgets later, such as charts drawn in the
    background, waits for this signal instead.

    It uses only standard widgets: two hidden numbers joined by `jslink`. The link lives in the
    browser; when the browser creates it (after every widget of the page is there) it copies
    the first number onto the second and sends that back, and the kernel sees the change.
    """

    def __init__(self, on_shown: Callable[[], None]) -> None:
        self._on_shown = on_shown
        self.shown = False
        hidden = {"layout": widgets.Layout(display="none")}
        self._source = widgets.IntText(value=1, **hidden)
        self._target = widgets.IntText(value=0, **hidden)
        self._link = widgets.jslink((self._source, "value"), (self._target, "value"))
        self._target.observe(self._changed, names="value")

    def _changed(self, change: dict[str, Any]) -> None:
        if change["new"] == self._source.value and not self.shown:
            self.shown = True
            self._on_shown()

    def signal(self) -> None:
        """What the browser does: mark the page as shown (for tests and scripts)."""
        self._target.value = self._source.value
