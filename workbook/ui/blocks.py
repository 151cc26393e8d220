"""Widget building blocks every page uses: layouts, text, cards, buttons, a status area and
safe callbacks (`guarded`).

`widgets.HTML` and Markdown outputs are trusted by Voila and would run a script hidden in a
person's words, so every piece of HTML is built with `workbook.markup.html`, which escapes it.
"""

from __future__ import annotations

import base64
import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle

from ..domain import STEPS, ValidationError
from ..i18n import N_
from ..markup import Markup, html
from ..store import WorkbookError
from . import activity
from .logs import log, page_name

if TYPE_CHECKING:
    from .session import Session


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


def html_text(value: Markup | str = "", *, wide: bool = False) -> widgets.HTML:
    """An HTML widget whose value may change but whose layout and style never do (shared).

    `value` is `Markup` from `workbook.markup.html` (or project text without tags).
    ``wide`` gives it the full width; otherwise it has the default layout.
    """
    shared = layout() if wide else _shared(widgets.Layout)
    return widgets.HTML(str(value), layout=shared, style=_shared(HTMLStyle))


def download_link(
    content: str, filename: str, text: str, *, mime: str = "text/html", cls: str = "ht-nav-link"
) -> Markup:
    """A link that downloads `content` as a file, from a data: URL (nothing kept on the server).

    `filename` and `text` are escaped; `content` is encoded, so it needs no escaping here.
    """
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return html(
        "<a class='{}' download='{}' href='data:{};charset=utf-8;base64,{}'>{}</a>",
        cls,
        filename,
        mime,
        data,
        text,
    )


def heading(text: str, level: int = 2) -> widgets.HTML:
    """A heading from trusted project text (still escaped)."""
    return html_text(html("<h{0} class='ht-h{0}'>{1}</h{0}>", int(level), text))


def paragraph(text: str, cls: str = "ht-p") -> widgets.HTML:
    """A paragraph of plain text, escaped."""
    return html_text(html("<p class='{}'>{}</p>", cls, text))


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

    def __init__(self, gettext: Callable[[str], str] | None = None) -> None:
        super().__init__(value="", layout=_shared(widgets.Layout), style=_shared(HTMLStyle))
        self.add_class("ht-status")
        #: The reader's language (``session.gettext``), for the errors `guarded` shows.
        self.gettext: Callable[[str], str] = gettext or str
        self.kind = ""
        self.message = ""

    def show(self, message: str, kind: str = "ok") -> None:
        """Show a message; kind is 'ok', 'error' or 'info'."""
        self.kind, self.message = kind, message
        role = "alert" if kind == "error" else "status"
        self.value = str(html("<div class='ht-msg ht-{}' role='{}'>{}</div>", kind, role, message))

    def clear(self) -> None:
        """Remove the message."""
        self.kind, self.message, self.value = "", "", ""


#: The class of the widget carrying the stylesheet in a notebook front end (`pages.styled`).
LAB_STYLE = "ht-lab-style"

#: What a page says when an action failed for a reason not meant for people (it is logged).
SOMETHING_WENT_WRONG = N_(
    "Something went wrong and nothing was saved. Please try again; "
    "if it keeps happening, reload the page."
)


class Notice(str):
    """An action's word when it did not do what was pressed yet (shown as information)."""


def guarded(status: Status, action: Callable[[], str | None]) -> None:
    """Run a form action; show its success text, or the error, in the status area.

    Errors meant for people (bad input, a locked entry, a busy file) are shown as they are.
    Anything else goes to the server's log with its traceback, the page and the action, and
    the person sees a calm, general message, never a traceback or a file path.
    """
    activity.note_activity()
    try:
        message = action()
    except (ValidationError, WorkbookError) as err:
        status.show(err.in_language(status.gettext), "error")
        return
    except Exception:
        name = getattr(action, "__qualname__", None) or type(action).__name__
        log.exception("A form action failed on %s: %s", page_name(), name)
        status.show(status.gettext(SOMETHING_WENT_WRONG), "error")
        return
    if isinstance(message, Notice):
        status.show(message, "info")
    elif message:
        status.show(message, "ok")
    else:
        # Done, with nothing to say: an older message (say, a wrong code) must not linger.
        status.clear()


class CardForm(widgets.VBox):
    """The shape the forms share: one card holding the form, one status line saying what
    happened, and buttons whose actions run `guarded` (bad input: a clear message, no change).

    A form sets its widgets, makes its buttons with `action`, then calls
    ``super().__init__(*children, title=...)`` to show them in its card, which carries the
    form's `css_class` for the stylesheet.
    """

    css_class = ""

    def __init__(self, *children: widgets.Widget, title: str | None) -> None:
        super().__init__([card(*children, title=title, cls=self.css_class)], layout=layout())

    @functools.cached_property
    def status(self) -> Status:
        """The form's one message area (made on first use, so a form may place it anywhere),
        speaking the language of the form's `session` when it has one."""
        session = getattr(self, "session", None)
        return Status(session.gettext if session is not None else None)

    def refresh(self) -> None:
        """Show what is saved now (a form that shows saved entries says how)."""

    def follow(self, session: Session, *topics: str) -> None:
        """Show what is saved now, and again each time entries of `topics` change: a save
        here, in another tab or by the partner, announced once through the session."""
        session.subscribe(self.refresh, *topics)
        self.refresh()

    def action(
        self, label: str, act: Callable[[], str | None], *, style: str = "primary", icon: str = ""
    ) -> widgets.Button:
        """A button that runs `act` guarded, its message shown in this form's status line."""
        b = button(label, style=style, icon=icon)
        b.on_click(lambda _: guarded(self.status, act))
        return b


class OnePressButton(widgets.Button):
    """A button that acts once per press of a person.

    A double click or a second tap sends two presses; both reach the kernel and, one after
    the other, would save twice. Presses that arrive while the button's work runs, or within
    `settle` seconds after it finished with nothing typed or chosen in between, are dropped.
    A press after the person changed something counts at once: a join code corrected within
    a second of "That join code is not part of this workshop" was dropped without a word.
    (`click()` from code is not limited.)
    """

    settle = 0.8
    #: When the page last sent anything but a press of one of these buttons (one page per
    #: kernel, so this is the page's own last input; see `_note_input`).
    last_input_at = -1e9

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._busy = False
        self._done_at = -1e9

    def _handle_button_msg(self, _: Any, content: dict[str, Any], buffers: Any) -> None:
        if content.get("event") != "click":
            return
        if self._busy:
            return
        changed = OnePressButton.last_input_at > self._done_at
        if time.monotonic() - self._done_at < self.settle and not changed:
            return
        self._busy = True
        try:
            self.click()
        finally:
            self._busy = False
            self._done_at = time.monotonic()


_handle_msg = widgets.Widget._handle_msg


def _note_input(self: widgets.Widget, msg: dict[str, Any]) -> None:
    """Every message from the page to a widget: note when the person last typed or chose."""
    if not isinstance(self, OnePressButton):
        OnePressButton.last_input_at = time.monotonic()
    _handle_msg(self, msg)


# Widgets register this method for their messages when they open, so it is set before any is
# made (ipywidgets has no public hook for "the page sent something").
widgets.Widget._handle_msg = _note_input


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

    The text is sent when the box is left (``continuous_update=False``), not at each key: a
    widget has one update in flight at a time, and while the page's kernel was busy the later
    keys waited in the browser while a Save pressed straight after went ahead on its own, so
    Save stored the first letters ("I need o."). Leaving the box for the button sends its
    whole text before the press.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("continuous_update", False)
        super().__init__(*args, **kwargs)

    def _send(self, msg: Any, buffers: Any = None) -> None:
        super()._send(_sendable(msg), buffers)  # type: ignore[misc]

    def saved_as(self, text: str) -> None:
        """Show `text` as saved, set even if shown (the page: a box typed in, unset, is unsaved)."""
        if getattr(self, "value", None) == text:
            self.value = ""
        self.value = text


class TextBox(_KeepsWhatWasTyped, widgets.Text):
    """`widgets.Text` that keeps what was typed (see `_KeepsWhatWasTyped`)."""


class TextArea(_KeepsWhatWasTyped, widgets.Textarea):
    """`widgets.Textarea` that keeps what was typed (see `_KeepsWhatWasTyped`)."""


class PasswordBox(_KeepsWhatWasTyped, widgets.Password):
    """`widgets.Password` that keeps what was typed (see `_KeepsWhatWasTyped`)."""


def text_input(label: str, placeholder: str = "") -> TextBox:
    """A labelled one-line text box."""
    t = TextBox(placeholder=placeholder, description=label, layout=layout())
    t.style.description_width = "initial"
    t.add_class("ht-stacked")
    return t


def choice(label: str, options: Any = (), value: Any = None) -> widgets.Dropdown:
    """A drop-down list, its label shown whole (ipywidgets cuts labels to a narrow width)."""
    kw = {} if value is None else {"value": value}
    box = widgets.Dropdown(options=options, description=label, layout=layout(), **kw)
    box.style.description_width = "initial"
    return box


def say(widget: widgets.HTML, text: str, cls: str = "ht-p") -> None:
    """Show `text` (escaped) as the one paragraph of `widget`, styled by `cls`."""
    widget.value = str(html("<p class='{}'>{}</p>", cls, text))


def tick_box(label: str, value: bool = False) -> widgets.Checkbox:
    """A box to tick, its label shown whole (wrapping on a narrow screen, not cut)."""
    return widgets.Checkbox(
        value=value, description=label, indent=False, layout=layout(height="auto")
    )


def date_picker(label: str) -> widgets.DatePicker:
    """A date, unset at first, its label shown whole."""
    box = widgets.DatePicker(description=label, value=None, layout=layout())
    box.style.description_width = "initial"
    return box


#: The start page's name in the map of pages (`workbook.domain.STEPS[0]`).
START_HERE = N_("Start here")


def step_title(step: int, gettext: Callable[[str], str] = str) -> str:
    """The title of a step, as the pages show it, in the reader's language (`gettext`)."""
    _ = gettext
    if step == 0:
        return _(STEPS[0])
    return _("Step %(number)d: %(title)s") % {"number": step, "title": _(STEPS[step])}
