"""Building blocks every page uses, under one name: escaping, widgets, addresses, the session.

The blocks live in modules of one concern each, imported here so that the pages keep one import:

* `workbook.ui.blocks`: layouts, text, cards, buttons, the status area, `guarded` callbacks;
* `workbook.ui.urls`: the notebook of each page and links between pages;
* `workbook.ui.logs`: the ``workbook`` loggers go to the server's log, never the page;
* `workbook.ui.session`: who is using the page (`Session`, `resolve_session`);
* `workbook.request`: the page's request (`served_by_voila`, its query and cookies).

`widgets.HTML` and Markdown outputs are trusted by Voila and would run a script hidden in a
person's words, so every piece of HTML is built with `workbook.markup.html`, which escapes it.
"""

from __future__ import annotations

from ..markup import esc
from ..request import served_by_voila
from .blocks import (
    CardForm,
    Notice,
    OnePressButton,
    PasswordBox,
    Status,
    TextArea,
    TextBox,
    button,
    card,
    choice,
    date_picker,
    download_link,
    guarded,
    heading,
    html_text,
    layout,
    own_layout,
    paragraph,
    say,
    step_title,
    text_input,
    textarea,
    tick_box,
)
from .logs import log, route_logs_to_server
from .page_shown import PageShown
from .session import Session, page_inputs, read_query, resolve_session, workbook_for
from .start_links import start_page_link, way_back
from .urls import PAGES, page_url, workshop_mode

__all__ = [
    "PAGES",
    "CardForm",
    "Notice",
    "OnePressButton",
    "PageShown",
    "PasswordBox",
    "Session",
    "Status",
    "TextArea",
    "TextBox",
    "button",
    "card",
    "choice",
    "date_picker",
    "download_link",
    "esc",
    "guarded",
    "heading",
    "html_text",
    "layout",
    "log",
    "own_layout",
    "page_inputs",
    "page_url",
    "paragraph",
    "read_query",
    "resolve_session",
    "route_logs_to_server",
    "say",
    "served_by_voila",
    "start_page_link",
    "step_title",
    "text_input",
    "textarea",
    "tick_box",
    "way_back",
    "workbook_for",
    "workshop_mode",
]
